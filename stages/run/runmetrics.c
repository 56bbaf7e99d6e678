/* runmetrics.c - every stage's metrics on ward-run's port (runmetrics.h). */
#include "stages/run/runmetrics.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "buf.h"
#include "log.h"
#include "metrics.h"
#include "wtime.h"

#define FETCH_TIMEOUT_MS 1000
#define FETCH_MAX (4u << 20)

struct rm_stage {
	char *env;		/* WARD_METRICS=unix:PATH */
	const char *path;	/* into env */
	char *program;
	unsigned line;
};

struct run_metrics {
	char *dir;
	struct rm_stage *st;
	size_t n;
	struct ward_metrics *listener;
};

struct run_metrics *run_metrics_new(size_t nstages, char *err, size_t errlen)
{
	const char *tmp = getenv("TMPDIR");
	struct ward_buf b = WARD_BUF_INIT;
	buf_printf(&b, "%s/ward-run.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(b.data)) {
		snprintf(err, errlen, "%s: %s", b.data, strerror(errno));
		buf_free(&b);
		return NULL;
	}
	struct run_metrics *m = ward_xcalloc(1, sizeof(*m));
	m->dir = b.data;
	m->n = nstages;
	m->st = ward_xcalloc(nstages ? nstages : 1, sizeof(*m->st));
	for (size_t i = 0; i < nstages; i++) {
		struct ward_buf e = WARD_BUF_INIT;
		buf_printf(&e, "WARD_METRICS=unix:%s/%zu.sock", m->dir, i + 1);
		m->st[i].env = e.data;
		m->st[i].path = e.data + strlen("WARD_METRICS=unix:");
	}
	return m;
}

void run_metrics_describe(struct run_metrics *m, size_t i, const char *program, unsigned line)
{
	if (i >= m->n)
		return;
	free(m->st[i].program);
	const char *base = strrchr(program, '/');
	m->st[i].program = ward_xstrdup(base ? base + 1 : program);
	m->st[i].line = line;
}

const char *run_metrics_env(struct run_metrics *m, size_t i)
{
	if (i >= m->n)
		return NULL;
	unlink(m->st[i].path);	/* a crashed earlier run left it */
	return m->st[i].env;
}

long run_metrics_body(const char *resp, size_t len)
{
	if (len < 12 || memcmp(resp, "HTTP/1.", 7) != 0 || memcmp(resp + 8, " 200", 4) != 0)
		return -1;
	const char *end = memmem(resp, len, "\r\n\r\n", 4);
	return end ? (long)(end + 4 - resp) : -1;
}

/* GET /metrics from one stage's socket; the body into out. */
static int fetch(const char *path, struct ward_buf *out)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof sa.sun_path)
		return -1;
	strcpy(sa.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	int64_t deadline = time_mono_ns() + (int64_t)FETCH_TIMEOUT_MS * 1000000;
	static const char req[] = "GET /metrics HTTP/1.0\r\n\r\n";
	struct ward_buf resp = WARD_BUF_INIT;
	int rc = -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
	    send(fd, req, sizeof req - 1, MSG_NOSIGNAL) != (ssize_t)(sizeof req - 1))
		goto out;
	for (;;) {
		int left = (int)((deadline - time_mono_ns()) / 1000000);
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		if (left <= 0 || poll(&pfd, 1, left) <= 0)
			goto out;
		buf_reserve(&resp, 65536);
		ssize_t n = recv(fd, resp.data + resp.len, 65536, 0);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			goto out;
		if (n == 0)
			break;
		resp.len += (size_t)n;
		if (resp.len > FETCH_MAX)
			goto out;
	}
	long off = run_metrics_body(resp.data ? resp.data : "", resp.len);
	if (off >= 0) {
		buf_append(out, resp.data + off, resp.len - (size_t)off);
		rc = 0;
	}
out:
	close(fd);
	buf_free(&resp);
	return rc;
}

static void render(void *ctx, struct ward_buf *out)
{
	struct run_metrics *m = ctx;
	struct ward_buf *bodies = ward_xcalloc(m->n ? m->n : 1, sizeof(*bodies));
	const char **texts = ward_xcalloc(m->n ? m->n : 1, sizeof(*texts));
	size_t *lens = ward_xcalloc(m->n ? m->n : 1, sizeof(*lens));
	char **steps = ward_xcalloc(m->n ? m->n : 1, sizeof(*steps));
	bool *up = ward_xcalloc(m->n ? m->n : 1, sizeof(*up));
	size_t k = 0;
	for (size_t i = 0; i < m->n; i++) {
		if (fetch(m->st[i].path, &bodies[i]) != 0)
			continue;
		up[i] = true;
		texts[k] = bodies[i].data ? bodies[i].data : "";
		lens[k] = bodies[i].len;
		struct ward_buf s = WARD_BUF_INIT;
		buf_printf(&s, "%zu", i + 1);
		steps[k++] = s.data;
	}
	metrics_merge(texts, lens, (const char *const *)steps, k, "step", out);
	buf_append_str(out, "# HELP ward_run_stage_up 1 when the stage answered ward-run's scrape.\n"
			    "# TYPE ward_run_stage_up gauge\n");
	for (size_t i = 0; i < m->n; i++) {
		buf_printf(out, "ward_run_stage_up{step=\"%zu\",program=\"", i + 1);
		metrics_escape_label(out, m->st[i].program ? m->st[i].program : "");
		buf_printf(out, "\",line=\"%u\"} %d\n", m->st[i].line, up[i] ? 1 : 0);
	}
	for (size_t i = 0; i < m->n; i++) {
		buf_free(&bodies[i]);
		free(steps[i]);
	}
	free(bodies);
	free(texts);
	free(lens);
	free(steps);
	free(up);
}

int run_metrics_listen(struct run_metrics *m, const char *addr, char *err, size_t errlen)
{
	m->listener = metrics_serve(addr, render, m, err, errlen);
	return m->listener ? 0 : -1;
}

void run_metrics_free(struct run_metrics *m)
{
	if (!m)
		return;
	metrics_stop(m->listener);
	for (size_t i = 0; i < m->n; i++) {
		unlink(m->st[i].path);
		free(m->st[i].env);
		free(m->st[i].program);
	}
	if (rmdir(m->dir) != 0)
		log_warn("%s: %s", m->dir, strerror(errno));
	free(m->dir);
	free(m->st);
	free(m);
}
