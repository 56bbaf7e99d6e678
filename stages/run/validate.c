/* validate.c - the programs of a pipeline found and checked before it runs
 * (see validate.h). */
#include "stages/run/validate.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exitcodes.h"
#include "log.h"
#include "stages/run/policy.h"
#include "wtime.h"

extern char **environ;

/* ---- resolving programs ---------------------------------------------------- */

static char *path_join(const char *dir, size_t dlen, const char *name)
{
	struct ward_buf b = WARD_BUF_INIT;
	buf_append(&b, dir, dlen);
	buf_append_char(&b, '/');
	buf_append_str(&b, name);
	return b.data;
}

static bool executable(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && access(path, X_OK) == 0;
}

char *run_resolve(const char *name, const char *self_dir)
{
	if (strchr(name, '/'))
		return executable(name) ? ward_xstrdup(name) : NULL;
	if (self_dir && strncmp(name, "ward-", 5) == 0) {
		char *p = path_join(self_dir, strlen(self_dir), name);
		if (executable(p))
			return p;
		free(p);
	}
	const char *path = getenv("PATH");
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (const char *s = path;; s++) {
		const char *e = strchr(s, ':');
		size_t dlen = e ? (size_t)(e - s) : strlen(s);
		char *p = path_join(dlen ? s : ".", dlen ? dlen : 1, name);
		if (executable(p))
			return p;
		free(p);
		if (!e)
			return NULL;
		s = e;
	}
}

static bool is_ward_program(const char *argv0)
{
	const char *base = strrchr(argv0, '/');
	base = base ? base + 1 : argv0;
	return strncmp(base, "ward-", 5) == 0;
}

/* ---- validation ---------------------------------------------------------------- */

struct check_ctx {
	const struct run_opts *o;
	int rc;
};

static void check_stage_run(struct check_ctx *c, const struct pl_stage *st, const char *path);

static void check_chain(struct check_ctx *c, const struct pl_chain *ch)
{
	for (size_t i = 0; i < ch->len && c->rc == 0; i++) {
		const struct pl_node *n = &ch->nodes[i];
		if (n->kind == PL_FANOUT) {
			for (size_t j = 0; j < n->fan.len && c->rc == 0; j++)
				check_chain(c, &n->fan.branches[j].chain);
			continue;
		}
		char *path = run_resolve(n->stage.argv[0], c->o->self_dir);
		if (!path) {
			log_error("%s:%u: %s: program not found or not executable", n->stage.file,
				  n->stage.line, n->stage.argv[0]);
			c->rc = WARD_EX_CONFIG;
		} else if (is_ward_program(n->stage.argv[0])) {
			check_stage_run(c, &n->stage, path);
		}
		free(path);
	}
}

/* Read what the child writes on stderr until it closes, for the message. */
static void slurp(int fd, struct ward_buf *out, int64_t deadline_ns)
{
	for (;;) {
		int64_t left_ms = (deadline_ns - time_mono_ns()) / 1000000;
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		if (left_ms <= 0 || poll(&pfd, 1, (int)left_ms) <= 0)
			return;
		char chunk[4096];
		ssize_t r = read(fd, chunk, sizeof chunk);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return;
		if (out->len < 4096)
			buf_append(out, chunk, (size_t)r);
	}
}

static void check_stage_run(struct check_ctx *c, const struct pl_stage *st, const char *path)
{
	int errp[2];
	if (pipe2(errp, O_CLOEXEC) != 0) {
		log_error("pipe: %s", strerror(errno));
		c->rc = WARD_EX_OSERR;
		return;
	}
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(errp[1], 2) < 0)
			_exit(WARD_EX_OSERR);
		setenv("WARD_CHECK", "1", 1);
		execve(path, st->argv, environ);
		_exit(127);
	}
	close(errp[1]);
	if (pid < 0) {
		close(errp[0]);
		log_error("fork: %s", strerror(errno));
		c->rc = WARD_EX_OSERR;
		return;
	}
	struct ward_buf err = WARD_BUF_INIT;
	int64_t deadline = time_mono_ns() + c->o->check_timeout_ns;
	slurp(errp[0], &err, deadline);
	close(errp[0]);
	int ws = 0;
	pid_t w;
	while ((w = waitpid(pid, &ws, WNOHANG)) == 0 && time_mono_ns() < deadline)
		usleep(10000);
	if (w == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &ws, 0);
		log_error("%s:%u: %s: validation did not finish in time (does it honour WARD_CHECK?)",
			  st->file, st->line, st->argv[0]);
		c->rc = WARD_EX_CONFIG;
	} else if (!WIFEXITED(ws) || WEXITSTATUS(ws) != 0) {
		while (err.len && err.data[err.len - 1] == '\n')
			err.data[--err.len] = '\0';
		log_error("%s:%u: %s rejected its command line (status %d)%s", st->file, st->line,
			  st->argv[0], policy_exit_code(ws), err.len ? ":" : "");
		/* The stage's own messages follow, one per line, indented (the
		 * log line itself keeps to one line and would show each line
		 * break as '?'); control bytes are still not let through. */
		const char *line = buf_cstr(&err);
		while (err.len && *line) {
			size_t n = strcspn(line, "\n");
			fputs("  ", stderr);
			for (size_t i = 0; i < n; i++)
				fputc((unsigned char)line[i] < 0x20 || line[i] == 0x7f ? '?' : line[i], stderr);
			fputc('\n', stderr);
			line += n + (line[n] == '\n');
		}
		c->rc = WARD_EX_CONFIG;
	}
	buf_free(&err);
}

int run_validate(const struct pipeline *p, const struct run_opts *o)
{
	struct check_ctx c = { o, 0 };
	check_chain(&c, &p->chain);
	return c.rc;
}
