/* metrics.c - Prometheus exposition of a stage's counters (see metrics.h). */
#include "metrics.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "counters.h"
#include "hash.h"
#include "log.h"
#include "wtime.h"

/* ------------------------------------------------------------ the request */

static const char *memmem_s(const char *h, size_t hl, const char *n)
{
	return memmem(h, hl, n, strlen(n));
}

enum metrics_req metrics_parse_request(const char *buf, size_t len)
{
	/* The request line decides; headers are only waited for so the
	 * client is not answered before it finished sending. */
	const char *eol = memchr(buf, '\n', len);
	if (!eol)
		return len >= METRICS_MAX_REQUEST ? MREQ_BAD : MREQ_INCOMPLETE;
	size_t line = (size_t)(eol - buf);
	if (line && buf[line - 1] == '\r')
		line--;
	const char *sp1 = memchr(buf, ' ', line);
	if (!sp1 || sp1 == buf)
		return MREQ_BAD;
	for (const char *p = buf; p < sp1; p++)
		if (*p < 'A' || *p > 'Z')
			return MREQ_BAD;
	const char *target = sp1 + 1;
	const char *sp2 = memchr(target, ' ', line - (size_t)(target - buf));
	if (!sp2 || sp2 == target || *target != '/')
		return MREQ_BAD;
	size_t vlen = line - (size_t)(sp2 + 1 - buf);
	if (vlen != 8 || memcmp(sp2 + 1, "HTTP/1.", 7) != 0 || (sp2[8] != '0' && sp2[8] != '1'))
		return MREQ_BAD;
	/* End of headers: an empty line. */
	if (!memmem_s(buf, len, "\r\n\r\n") && !memmem_s(buf, len, "\n\n"))
		return len >= METRICS_MAX_REQUEST ? MREQ_BAD : MREQ_INCOMPLETE;
	size_t mlen = (size_t)(sp1 - buf);
	if (mlen != 3 || memcmp(buf, "GET", 3) != 0)
		return MREQ_BAD_METHOD;
	size_t tlen = (size_t)(sp2 - target);
	if (tlen >= 8 && memcmp(target, "/metrics", 8) == 0 && (tlen == 8 || target[8] == '?'))
		return MREQ_METRICS;
	return MREQ_NOT_FOUND;
}

/* ------------------------------------------------------------- rendering */

#define RULES_SLOTS 8192
#define RULES_MAX 4096

struct metrics_rules {
	pthread_mutex_t mu;
	size_t n;
	uint64_t other;		/* rules past RULES_MAX */
	struct {
		char *name;
		uint64_t count;
	} slot[RULES_SLOTS];
};

static uint64_t load(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static void bump(uint64_t *p)
{
	/* one writer (the stage's thread): no read-modify-write lock needed */
	__atomic_store_n(p, __atomic_load_n(p, __ATOMIC_RELAXED) + 1, __ATOMIC_RELAXED);
}

void metrics_escape_label(struct ward_buf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			buf_append_str(out, "\\\\");
		else if (*s == '"')
			buf_append_str(out, "\\\"");
		else if (*s == '\n')
			buf_append_str(out, "\\n");
		else
			buf_append_char(out, *s);
	}
}

static const char *const gauges[] = {
	"keys", "keys_peak", "kafka_lag", "kafka_unacked", "bans_active", "alertmanager_active",
};

static bool is_gauge(const char *name)
{
	for (size_t i = 0; i < sizeof gauges / sizeof gauges[0]; i++)
		if (strcmp(name, gauges[i]) == 0)
			return true;
	return false;
}

static void family(struct ward_buf *out, const char *name, const char *type, const char *help,
		   const char *stage, uint64_t v)
{
	buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n%s{stage=\"", name, help, name, type, name);
	metrics_escape_label(out, stage);
	buf_printf(out, "\"} %llu\n", (unsigned long long)v);
}

void metrics_render(const struct ward_counters *c, struct metrics_rules *rules,
		    struct ward_buf *out)
{
	const char *st = c->stage;
	family(out, "ward_events_in_total", "counter", "Records read.", st, load(&c->in));
	family(out, "ward_events_out_total", "counter", "Events written.", st, load(&c->out));
	family(out, "ward_events_dropped_total", "counter",
	       "Valid records deliberately not written (filtered).", st, load(&c->dropped));
	family(out, "ward_events_malformed_total", "counter", "Records that were not valid events.",
	       st, load(&c->malformed));
	family(out, "ward_records_oversized_total", "counter",
	       "Records over the line limit, skipped whole.", st, load(&c->oversized));
	family(out, "ward_errors_total", "counter", "Output or processing errors.", st,
	       load(&c->errors));
	unsigned n = __atomic_load_n(&c->nextra, __ATOMIC_ACQUIRE);
	char name[160], help[200];
	for (unsigned i = 0; i < n; i++) {
		const char *x = c->extra[i].name;
		bool g = is_gauge(x);
		snprintf(name, sizeof name, "ward_%s%s", x, g ? "" : "_total");
		snprintf(help, sizeof help, "The stage's \"%s\" counter (its counters line).", x);
		family(out, name, g ? "gauge" : "counter", help, st, load(&c->extra[i].value));
	}
	if (!rules)
		return;
	pthread_mutex_lock(&rules->mu);
	if (rules->n || rules->other) {
		buf_append_str(out, "# HELP ward_rule_events_total Events written, per rule.\n"
				    "# TYPE ward_rule_events_total counter\n");
		for (size_t i = 0; i < RULES_SLOTS; i++) {
			if (!rules->slot[i].name)
				continue;
			buf_append_str(out, "ward_rule_events_total{stage=\"");
			metrics_escape_label(out, st);
			buf_append_str(out, "\",rule=\"");
			metrics_escape_label(out, rules->slot[i].name);
			buf_printf(out, "\"} %llu\n", (unsigned long long)load(&rules->slot[i].count));
		}
		if (rules->other) {
			buf_append_str(out, "ward_rule_events_total{stage=\"");
			metrics_escape_label(out, st);
			buf_printf(out, "\",rule=\"_other\"} %llu\n",
				   (unsigned long long)load(&rules->other));
		}
	}
	pthread_mutex_unlock(&rules->mu);
}

static void rules_count(struct metrics_rules *r, const char *rule)
{
	size_t i = (size_t)(hash_fnv1a_str(rule) & (RULES_SLOTS - 1));
	for (;; i = (i + 1) & (RULES_SLOTS - 1)) {
		const char *name = r->slot[i].name;
		if (!name)
			break;
		if (strcmp(name, rule) == 0) {
			bump(&r->slot[i].count);
			return;
		}
	}
	pthread_mutex_lock(&r->mu);
	if (r->n >= RULES_MAX) {
		bump(&r->other);
	} else {
		r->slot[i].name = ward_xstrdup(rule);
		r->slot[i].count = 1;
		r->n++;
	}
	pthread_mutex_unlock(&r->mu);
}

/* ---------------------------------------------------------------- merging */

struct mfamily {
	char *name;
	char *help, *type;	/* whole lines, or NULL */
	struct ward_buf samples;
};

static struct mfamily *find_family(struct mfamily **fams, size_t *n, const char *name, size_t len)
{
	for (size_t i = 0; i < *n; i++)
		if (strlen((*fams)[i].name) == len && memcmp((*fams)[i].name, name, len) == 0)
			return &(*fams)[i];
	*fams = ward_xrealloc(*fams, (*n + 1) * sizeof(**fams));
	struct mfamily *f = &(*fams)[(*n)++];
	memset(f, 0, sizeof(*f));
	f->name = ward_xstrndup(name, len);
	return f;
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == ':';
}

static size_t name_len(const char *p, size_t len)
{
	size_t i = 0;
	while (i < len && name_char(p[i]))
		i++;
	return i;
}

void metrics_merge(const char *const *texts, const size_t *lens, const char *const *extra_values,
		   size_t n, const char *extra_name, struct ward_buf *out)
{
	struct mfamily *fams = NULL;
	size_t nf = 0;
	for (size_t t = 0; t < n; t++) {
		const char *p = texts[t], *end = texts[t] + lens[t];
		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			const char *le = nl ? nl : end;
			size_t ll = (size_t)(le - p);
			if (ll > 9 && (memcmp(p, "# HELP ", 7) == 0 || memcmp(p, "# TYPE ", 7) == 0)) {
				size_t nl2 = name_len(p + 7, ll - 7);
				if (nl2 && 7 + nl2 < ll && p[7 + nl2] == ' ') {
					struct mfamily *f = find_family(&fams, &nf, p + 7, nl2);
					char **slot = p[2] == 'H' ? &f->help : &f->type;
					if (!*slot)
						*slot = ward_xstrndup(p, ll);
				}
			} else if (ll && p[0] != '#') {
				size_t nl2 = name_len(p, ll);
				if (nl2 && nl2 < ll && (p[nl2] == '{' || p[nl2] == ' ') &&
				    memchr(p + nl2, ' ', ll - nl2)) {
					struct mfamily *f = find_family(&fams, &nf, p, nl2);
					struct ward_buf *b = &f->samples;
					buf_append(b, p, nl2);
					buf_printf(b, "{%s=\"", extra_name);
					metrics_escape_label(b, extra_values[t]);
					buf_append_char(b, '"');
					if (p[nl2] == '{') {
						if (p[nl2 + 1] != '}')
							buf_append_char(b, ',');
						buf_append(b, p + nl2 + 1, ll - nl2 - 1);
					} else {
						buf_append_char(b, '}');
						buf_append(b, p + nl2, ll - nl2);
					}
					buf_append_char(b, '\n');
				}
			}
			p = nl ? nl + 1 : end;
		}
	}
	for (size_t i = 0; i < nf; i++) {
		struct mfamily *f = &fams[i];
		if (f->samples.len) {
			if (f->help)
				buf_printf(out, "%s\n", f->help);
			if (f->type)
				buf_printf(out, "%s\n", f->type);
			buf_append(out, f->samples.data, f->samples.len);
		}
		free(f->name);
		free(f->help);
		free(f->type);
		buf_free(&f->samples);
	}
	free(fams);
}

/* ----------------------------------------------------------------- server */

struct ward_metrics {
	const struct ward_counters *c;
	struct metrics_rules *rules;
	metrics_render_fn render;
	void *render_ctx;
	int lfd;
	int stop_pipe[2];
	char *unix_path;
	pthread_t thread;
};

void metrics_count_rule(struct ward_metrics *m, const char *rule)
{
	if (m && rule)
		rules_count(m->rules, rule);
}

static void write_all(int fd, const char *p, size_t n, int64_t deadline)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w > 0) {
			p += w;
			n -= (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			int left = (int)((deadline - time_mono_ns()) / 1000000);
			struct pollfd pfd = { .fd = fd, .events = POLLOUT };
			if (left > 0 && poll(&pfd, 1, left) > 0)
				continue;
		}
		return;
	}
}

static void respond(struct ward_metrics *m, int fd, enum metrics_req r, int64_t deadline)
{
	struct ward_buf body = WARD_BUF_INIT, resp = WARD_BUF_INIT;
	const char *status = "400 Bad Request";
	const char *ctype = "text/plain; charset=utf-8";
	switch (r) {
	case MREQ_METRICS:
		status = "200 OK";
		ctype = "text/plain; version=0.0.4; charset=utf-8";
		if (m->render)
			m->render(m->render_ctx, &body);
		else
			metrics_render(m->c, m->rules, &body);
		break;
	case MREQ_NOT_FOUND:
		status = "404 Not Found";
		buf_append_str(&body, "not found: only /metrics is served\n");
		break;
	case MREQ_BAD_METHOD:
		status = "405 Method Not Allowed";
		buf_append_str(&body, "only GET\n");
		break;
	default:
		buf_append_str(&body, "bad request\n");
		break;
	}
	buf_printf(&resp, "HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%s"
		   "Connection: close\r\n\r\n", status, ctype, body.len,
		   r == MREQ_BAD_METHOD ? "Allow: GET\r\n" : "");
	buf_append(&resp, body.data, body.len);
	write_all(fd, resp.data, resp.len, deadline);
	buf_free(&body);
	buf_free(&resp);
}

static void serve_one(struct ward_metrics *m, int fd)
{
	char req[METRICS_MAX_REQUEST];
	size_t len = 0;
	int64_t deadline = time_mono_ns() + (int64_t)METRICS_REQUEST_TIMEOUT_MS * 1000000;
	enum metrics_req r = MREQ_INCOMPLETE;
	while (r == MREQ_INCOMPLETE) {
		int left = (int)((deadline - time_mono_ns()) / 1000000);
		struct pollfd pfd[2] = { { .fd = fd, .events = POLLIN },
					 { .fd = m->stop_pipe[0], .events = POLLIN } };
		if (left <= 0 || poll(pfd, 2, left) <= 0 || pfd[1].revents)
			return;	/* slow or silent client, or stopping */
		ssize_t n = recv(fd, req + len, sizeof req - len, MSG_DONTWAIT);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			return;
		len += (size_t)n;
		r = metrics_parse_request(req, len);
		if (r == MREQ_INCOMPLETE && len == sizeof req)
			r = MREQ_BAD;
	}
	respond(m, fd, r, deadline);
}

static void *listener_main(void *arg)
{
	struct ward_metrics *m = arg;
	for (;;) {
		struct pollfd pfd[2] = { { .fd = m->lfd, .events = POLLIN },
					 { .fd = m->stop_pipe[0], .events = POLLIN } };
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[1].revents)
			break;
		/* the listening socket is non-blocking: a client gone before
		 * accept() costs an EAGAIN, not a hang */
		int fd = accept4(m->lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0)
			continue;
		serve_one(m, fd);
		close(fd);
	}
	return NULL;
}

static int listen_unix(struct ward_metrics *m, const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (!*path || strlen(path) >= sizeof sa.sun_path) {
		snprintf(err, errlen, "unix socket path empty or too long");
		errno = EINVAL;
		return -1;
	}
	strcpy(sa.sun_path, path);
	m->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (m->lfd < 0 || bind(m->lfd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(m->lfd, 16) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	m->unix_path = ward_xstrdup(path);
	return 0;
}

static int listen_inet(struct ward_metrics *m, const char *addr, char *err, size_t errlen)
{
	char host[256];
	const char *colon = strrchr(addr, ':');
	if (!colon || !colon[1] || (size_t)(colon - addr) >= sizeof host) {
		snprintf(err, errlen, "expected HOST:PORT, [V6]:PORT, :PORT or unix:PATH");
		errno = EINVAL;
		return -1;
	}
	size_t hl = (size_t)(colon - addr);
	memcpy(host, addr, hl);
	host[hl] = '\0';
	if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']') {
		memmove(host, host + 1, hl - 2);
		host[hl - 2] = '\0';
	}
	for (const char *p = colon + 1; *p; p++)
		if (*p < '0' || *p > '9') {
			snprintf(err, errlen, "port is not a number: %s", colon + 1);
			errno = EINVAL;
			return -1;
		}
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_PASSIVE | AI_NUMERICSERV };
	struct addrinfo *res = NULL;
	int g = getaddrinfo(*host ? host : NULL, colon + 1, &hints, &res);
	if (g != 0) {
		snprintf(err, errlen, "%s: %s", addr, gai_strerror(g));
		errno = EINVAL;
		return -1;
	}
	int saved = 0;
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
		if (fd < 0)
			continue;
		int one = 1;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 16) == 0) {
			m->lfd = fd;
			break;
		}
		saved = errno;
		close(fd);
	}
	freeaddrinfo(res);
	if (m->lfd < 0) {
		snprintf(err, errlen, "%s: %s", addr, strerror(saved ? saved : EADDRNOTAVAIL));
		errno = saved ? saved : EADDRNOTAVAIL;
		return -1;
	}
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	char h[NI_MAXHOST], s[NI_MAXSERV];
	if (getsockname(m->lfd, (struct sockaddr *)&ss, &sl) == 0 &&
	    getnameinfo((struct sockaddr *)&ss, sl, h, sizeof h, s, sizeof s,
			NI_NUMERICHOST | NI_NUMERICSERV) == 0)
		log_info("serving metrics on http://%s%s%s:%s/metrics", strchr(h, ':') ? "[" : "", h,
			 strchr(h, ':') ? "]" : "", s);
	return 0;
}

static void free_metrics(struct ward_metrics *m)
{
	if (m->lfd >= 0)
		close(m->lfd);
	if (m->unix_path) {
		unlink(m->unix_path);
		free(m->unix_path);
	}
	if (m->stop_pipe[0] >= 0) {
		close(m->stop_pipe[0]);
		close(m->stop_pipe[1]);
	}
	if (m->rules) {
		for (size_t i = 0; i < RULES_SLOTS; i++)
			free(m->rules->slot[i].name);
		pthread_mutex_destroy(&m->rules->mu);
		free(m->rules);
	}
	free(m);
}

static struct ward_metrics *start(const char *addr, const struct ward_counters *c,
				  metrics_render_fn render, void *ctx, char *err, size_t errlen)
{
	struct ward_metrics *m = ward_xcalloc(1, sizeof(*m));
	m->c = c;
	m->render = render;
	m->render_ctx = ctx;
	m->lfd = -1;
	m->stop_pipe[0] = m->stop_pipe[1] = -1;
	m->rules = ward_xcalloc(1, sizeof(*m->rules));
	pthread_mutex_init(&m->rules->mu, NULL);
	int rc = strncmp(addr, "unix:", 5) == 0 ? listen_unix(m, addr + 5, err, errlen)
						 : listen_inet(m, addr, err, errlen);
	if (rc != 0) {
		int e = errno;
		free_metrics(m);
		errno = e;
		return NULL;
	}
	if (pipe2(m->stop_pipe, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		free_metrics(m);
		return NULL;
	}
	/* The listener must not take the stage's signals. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = pthread_create(&m->thread, NULL, listener_main, m);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		snprintf(err, errlen, "cannot start the listener thread");
		free_metrics(m);
		errno = EAGAIN;
		return NULL;
	}
	return m;
}

struct ward_metrics *metrics_start(const char *addr, const struct ward_counters *c,
				   char *err, size_t errlen)
{
	return start(addr, c, NULL, NULL, err, errlen);
}

struct ward_metrics *metrics_serve(const char *addr, metrics_render_fn render, void *ctx,
				   char *err, size_t errlen)
{
	return start(addr, NULL, render, ctx, err, errlen);
}

void metrics_stop(struct ward_metrics *m)
{
	if (!m)
		return;
	ssize_t w;
	do
		w = write(m->stop_pipe[1], "x", 1);
	while (w < 0 && errno == EINTR);
	pthread_join(m->thread, NULL);
	free_metrics(m);
}
