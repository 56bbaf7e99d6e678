/* fwexec.c - in-process or namespace-worker backend execution. */
#include "stages/respond/fwexec.h"
#include "stages/respond/netinfo.h"

#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

enum wmsg_kind { WMSG_APPLY = 1, WMSG_ADDRS = 2 };

struct wmsg_req {
	uint32_t kind;
	struct fw_req req;
};

struct wmsg_rep {
	int32_t rc;
	char err[256];
	uint32_t naddrs;
	struct ward_ip addrs[FWEXEC_MAX_ADDRS];
};

bool fwexec_netns_name_ok(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > 64 || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return false;
	return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == n;
}

bool fwexec_netns_exists(const char *name)
{
	char path[128];
	snprintf(path, sizeof path, "/run/netns/%s", name);
	return access(path, F_OK) == 0;
}

static void serve(struct fw_backend *be, int sock)
{
	struct wmsg_req q;
	struct wmsg_rep *rep = ward_xcalloc(1, sizeof(*rep));

	for (;;) {
		ssize_t n = recv(sock, &q, sizeof(q), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n != (ssize_t)sizeof(q))
			break;	/* parent gone */
		memset(rep, 0, sizeof(*rep));
		if (q.kind == WMSG_APPLY)
			rep->rc = be->ops->apply(be, &q.req, rep->err, sizeof(rep->err));
		else
			rep->naddrs = (uint32_t)netinfo_never_ban(rep->addrs, FWEXEC_MAX_ADDRS);
		if (send(sock, rep, sizeof(*rep), MSG_NOSIGNAL) != (ssize_t)sizeof(*rep))
			break;
	}
	free(rep);
}

#ifdef WARD_COVERAGE
/* gcov writes its counts at exit(), never at _exit(): `make coverage` builds
 * with WARD_COVERAGE so the worker's own code is measured too. */
void __gcov_dump(void);
#define worker_exit() (__gcov_dump(), _exit(0))
#else
#define worker_exit() _exit(0)
#endif

/* The worker: never writes to the event stream, ignores the terminal's
 * signals (it ends when the parent closes the socket) and dies with it. */
static _Noreturn void worker_main(struct fw_exec *x, const char *netns, int sock, pid_t parent)
{
	struct wmsg_rep *hello = ward_xcalloc(1, sizeof(*hello));
	char path[128];
	int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)	/* the parent died before prctl took effect */
		_exit(0);
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGUSR1, SIG_IGN);
	if (devnull >= 0) {
		dup2(devnull, 0);
		dup2(devnull, 1);
	}
	snprintf(path, sizeof(path), "/run/netns/%s", netns);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET) != 0) {
		hello->rc = -1;
		snprintf(hello->err, sizeof(hello->err), "cannot enter network namespace %s: %s",
			 netns, strerror(errno));
	} else {
		hello->rc = x->be.ops->open(&x->be, hello->err, sizeof(hello->err));
	}
	send(sock, hello, sizeof(*hello), MSG_NOSIGNAL);
	if (hello->rc == 0) {
		serve(&x->be, sock);
		x->be.ops->close(&x->be);
	}
	free(hello);
	worker_exit();
}

static int recv_rep(struct fw_exec *x, struct wmsg_rep *rep, char *err, size_t errlen)
{
	for (;;) {
		ssize_t n = recv(x->sock, rep, sizeof(*rep), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n == (ssize_t)sizeof(*rep))
			return 0;
		snprintf(err, errlen, "namespace worker gone: %s", n < 0 ? strerror(errno) : "closed");
		return -1;
	}
}

/* Fork the worker and wait for its hello (namespace entered, backend open). */
static int spawn_worker(struct fw_exec *x, char *err, size_t errlen)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
		snprintf(err, errlen, "socketpair: %s", strerror(errno));
		return -1;
	}
	pid_t parent = getpid();
	fflush(NULL);
	x->worker = fork();
	if (x->worker < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		x->worker = 0;
		close(sv[0]), close(sv[1]);
		return -1;
	}
	if (x->worker == 0) {
		close(sv[0]);
		worker_main(x, x->netns, sv[1], parent);
	}
	close(sv[1]);
	x->sock = sv[0];
	struct wmsg_rep *hello = ward_xcalloc(1, sizeof(*hello));
	int rc = recv_rep(x, hello, err, errlen);
	if (rc == 0 && hello->rc != 0) {
		snprintf(err, errlen, "%s", hello->err);
		rc = -1;
	}
	free(hello);
	return rc;
}

static void reap_worker(struct fw_exec *x)
{
	if (x->sock >= 0)
		close(x->sock);
	x->sock = -1;
	if (x->worker > 0)
		while (waitpid(x->worker, NULL, 0) < 0 && errno == EINTR)
			;
	x->worker = 0;
}

int fwexec_open(struct fw_exec *x, const struct fw_backend_ops *ops, const struct fw_cfg *cfg,
		const char *netns, char *err, size_t errlen)
{
	memset(x, 0, sizeof(*x));
	x->sock = -1;
	x->be.ops = ops;
	x->be.cfg = cfg;
	if (!netns)
		return ops->open(&x->be, err, errlen);
	if (!fwexec_netns_name_ok(netns)) {
		snprintf(err, errlen, "bad network namespace name");
		return -1;
	}
	snprintf(x->netns, sizeof(x->netns), "%s", netns);
	return spawn_worker(x, err, errlen);
}

static int call_once(struct fw_exec *x, const struct wmsg_req *q, struct wmsg_rep *rep, char *err,
		     size_t errlen)
{
	if (x->sock < 0) {
		snprintf(err, errlen, "namespace worker not running");
		return -1;
	}
	if (send(x->sock, q, sizeof(*q), MSG_NOSIGNAL) != (ssize_t)sizeof(*q)) {
		snprintf(err, errlen, "namespace worker gone: %s", strerror(errno));
		return -1;
	}
	return recv_rep(x, rep, err, errlen);
}

/* One request; if the worker is gone, start a new one and try once more. */
static int call(struct fw_exec *x, const struct wmsg_req *q, struct wmsg_rep *rep, char *err,
		size_t errlen)
{
	if (call_once(x, q, rep, err, errlen) == 0)
		return 0;
	reap_worker(x);
	if (spawn_worker(x, err, errlen) != 0) {
		reap_worker(x);
		return -1;
	}
	return call_once(x, q, rep, err, errlen);
}

int fwexec_apply(struct fw_exec *x, const struct fw_req *r, char *err, size_t errlen)
{
	if (!x->netns[0])
		return x->be.ops->apply(&x->be, r, err, errlen);
	struct wmsg_req q = { .kind = WMSG_APPLY, .req = *r };
	struct wmsg_rep *rep = ward_xcalloc(1, sizeof(*rep));
	int rc = call(x, &q, rep, err, errlen);
	if (rc == 0 && rep->rc != 0) {
		snprintf(err, errlen, "%s", rep->err);
		rc = -1;
	}
	free(rep);
	return rc;
}

int fwexec_check(struct fw_exec *x, char *err, size_t errlen)
{
	if (x->netns[0] || !x->be.ops || !x->be.ops->check)
		return 0;
	return x->be.ops->check(&x->be, err, errlen);
}

size_t fwexec_addrs(struct fw_exec *x, struct ward_ip *out, size_t max)
{
	if (!x->netns[0])
		return netinfo_never_ban(out, max);
	struct wmsg_req q = { .kind = WMSG_ADDRS };
	struct wmsg_rep *rep = ward_xcalloc(1, sizeof(*rep));
	char err[64];
	size_t n = 0;
	if (call(x, &q, rep, err, sizeof(err)) == 0)
		for (; n < rep->naddrs && n < max && n < FWEXEC_MAX_ADDRS; n++)
			out[n] = rep->addrs[n];
	free(rep);
	return n;
}

void fwexec_close(struct fw_exec *x)
{
	if (x->netns[0])
		reap_worker(x);
	else if (x->be.ops)
		x->be.ops->close(&x->be);
	x->be.ops = NULL;
}
