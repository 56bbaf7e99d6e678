/* spawn.c - fork/execve of argv arrays. */
#include "stages/respond/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *const search_dirs[] = { "/usr/sbin", "/usr/bin", "/sbin", "/bin", NULL };

static int resolve(const char *prog, char *path, size_t n)
{
	if (strchr(prog, '/')) {
		snprintf(path, n, "%s", prog);
		return access(path, X_OK);
	}
	for (const char *const *d = search_dirs; *d; d++) {
		snprintf(path, n, "%s/%s", *d, prog);
		if (access(path, X_OK) == 0)
			return 0;
	}
	return -1;
}

/* In the child: only async-signal-safe calls until execve. */
static _Noreturn void child(const char *path, char *const argv[], int outfd)
{
	static char *const envp[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C", NULL };
	sigset_t none;
	int devnull = open("/dev/null", O_RDONLY);

	for (int s = 1; s < NSIG; s++)
		signal(s, SIG_DFL);	/* SIGPIPE is ignored in ward; not in iptables */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(outfd, 1) < 0 || dup2(outfd, 2) < 0)
		_exit(127);
	closefrom(3);
	execve(path, argv, envp);
	_exit(127);
}

static void drain(int fd, char *out, size_t outlen)
{
	size_t got = 0;
	char sink[512];

	for (;;) {
		char *dst = out && got + 1 < outlen ? out + got : sink;
		size_t room = out && got + 1 < outlen ? outlen - 1 - got : sizeof(sink);
		ssize_t n = read(fd, dst, room);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (dst != sink)
			got += (size_t)n;
	}
	if (out && outlen)
		out[got] = '\0';
}

int spawn_run(const struct fw_argv *a, char *out, size_t outlen, char *err, size_t errlen)
{
	char path[512];
	int pipefd[2], status;

	if (out && outlen)
		out[0] = '\0';
	if (a->argc < 1 || resolve(a->argv[0], path, sizeof(path)) != 0) {
		snprintf(err, errlen, "cannot run %s: not found or not executable",
			 a->argc ? a->argv[0] : "(nothing)");
		return -1;
	}
	if (pipe2(pipefd, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(pipefd[0]);
		close(pipefd[1]);
		return -1;
	}
	if (pid == 0)
		child(path, a->argv, pipefd[1]);
	close(pipefd[1]);
	drain(pipefd[0], out, outlen);
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			snprintf(err, errlen, "waitpid: %s", strerror(errno));
			return -1;
		}
	}
	if (WIFEXITED(status)) {
		if (WEXITSTATUS(status) == 127) {
			snprintf(err, errlen, "cannot execute %s", path);
			return -1;
		}
		return WEXITSTATUS(status);
	}
	return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}
