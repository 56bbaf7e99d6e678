/* syslogsrv.c - the syslog receiver (see syslogsrv.h). */
#include "stages/ingest/syslogsrv.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "event.h"
#include "ipaddr.h"
#include "log.h"
#include "signals.h"
#include "stages/ingest/syslog.h"
#include "wtime.h"

struct conn {
	int fd;
	char peer[WARD_IP_STRLEN];
	struct syslog_framer framer;
	int64_t last_mono;
	bool eof;
	bool got_bytes;	/* the first-byte timeout applies until then */
};

struct syslogsrv {
	struct ingest_source src;
	struct syslogsrv_conf conf;
	int udp_fd, tcp_fd;
	struct conn *conns;	/* max_conn slots, fd -1 when free */
	size_t next_conn;	/* round robin */
	char *dgram;
	char dgram_peer[WARD_IP_STRLEN];
	bool dgram_ready;
	size_t dgram_len;
	struct ward_buf rec, line;
	char host[256], program[64], pid[32];
	struct ward_ratelimit rl;
	uint64_t *refused, *truncated, *idle_closed, *evicted;
};

static void peer_text(const struct sockaddr_storage *ss, char out[WARD_IP_STRLEN])
{
	struct ward_ip ip = { 0 };
	if (ss->ss_family == AF_INET) {
		ip.family = AF_INET;
		memcpy(ip.addr, &((const struct sockaddr_in *)ss)->sin_addr, 4);
	} else {
		ip.family = AF_INET6;
		memcpy(ip.addr, &((const struct sockaddr_in6 *)ss)->sin6_addr, 16);
		ip_unmap(&ip);
	}
	ip_format(&ip, out);
}

static int listen_on(const char *addr, int type, char *err, size_t errlen)
{
	char host[256];
	const char *colon = strrchr(addr, ':');
	if (!colon || colon - addr >= (long)sizeof(host)) {
		snprintf(err, errlen, "%s: not HOST:PORT", addr);
		return -1;
	}
	memcpy(host, addr, (size_t)(colon - addr));
	host[colon - addr] = '\0';
	char *h = host;
	if (h[0] == '[' && h[strlen(h) - 1] == ']') {
		h[strlen(h) - 1] = '\0';
		h++;
	}
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = type,
				  .ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV };
	struct addrinfo *res;
	int rc = getaddrinfo(*h ? h : NULL, colon + 1, &hints, &res);
	if (rc != 0) {
		snprintf(err, errlen, "%s: %s", addr, gai_strerror(rc));
		return -1;
	}
	int fd = socket(res->ai_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int one = 1;
	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (fd < 0 || bind(fd, res->ai_addr, res->ai_addrlen) != 0 ||
	    (type == SOCK_STREAM && listen(fd, 64) != 0)) {
		snprintf(err, errlen, "%s: %s", addr, strerror(errno));
		if (fd >= 0)
			close(fd);
		freeaddrinfo(res);
		return -1;
	}
	freeaddrinfo(res);
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char ip[WARD_IP_STRLEN];
	getsockname(fd, (struct sockaddr *)&ss, &sl);
	peer_text(&ss, ip);
	int port = ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
						 : ((struct sockaddr_in6 *)&ss)->sin6_port);
	log_info("syslog: listening on %s %s port %d", type == SOCK_STREAM ? "tcp" : "udp", ip, port);
	return fd;
}

static void conn_close(struct conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	syslog_framer_free(&c->framer);
}

static unsigned conns_of(const struct syslogsrv *s, const char *peer)
{
	unsigned n = 0;
	for (unsigned i = 0; i < s->conf.max_conn; i++)
		if (s->conns[i].fd >= 0 && !s->conns[i].eof && strcmp(s->conns[i].peer, peer) == 0)
			n++;
	return n;
}

/* Every slot is taken and a new address knocks: free the longest-idle
 * connection of the address holding the most, if it holds two or more, so
 * one sender's idle pile cannot lock others out. NULL when no address
 * holds two. */
static struct conn *evict_for_newcomer(struct syslogsrv *s)
{
	unsigned most = 1;
	const char *hog = NULL;
	for (unsigned i = 0; i < s->conf.max_conn; i++) {
		const struct conn *c = &s->conns[i];
		if (c->fd < 0 || c->eof)
			continue;
		unsigned n = conns_of(s, c->peer);
		if (n > most) {
			most = n;
			hog = c->peer;
		}
	}
	if (!hog)
		return NULL;
	struct conn *oldest = NULL;
	for (unsigned i = 0; i < s->conf.max_conn; i++) {
		struct conn *c = &s->conns[i];
		if (c->fd >= 0 && !c->eof && strcmp(c->peer, hog) == 0 &&
		    (!oldest || c->last_mono < oldest->last_mono))
			oldest = c;
	}
	/* Closed at once: whole frames were all taken before the poll that
	 * accepted (next() drains them first); only a partial one is lost. */
	log_warn_limited(&s->rl, "syslog: closed the longest-idle of %u connections from %s "
			 "for a new sender", most, oldest->peer);
	++*s->evicted;
	conn_close(oldest);
	return oldest;
}

/* The slot a new connection from peer may take, or NULL with why set. */
static struct conn *slot_for(struct syslogsrv *s, const char *peer, const char **why)
{
	unsigned mine = conns_of(s, peer), free_slots = 0;
	struct conn *slot = NULL;
	if (mine >= s->conf.max_per_host) {
		*why = "too many connections from this address (--syslog-max-conn-per-host)";
		return NULL;
	}
	for (unsigned i = 0; i < s->conf.max_conn; i++)
		if (s->conns[i].fd < 0) {
			free_slots++;
			if (!slot)
				slot = &s->conns[i];
		}
	unsigned reserve = s->conf.max_conn > 1 ? (s->conf.max_conn / 8 ? s->conf.max_conn / 8 : 1) : 0;
	if (mine > 0 && free_slots <= reserve) {
		*why = "the last free slots are kept for new addresses";
		return NULL;
	}
	if (!slot && mine == 0)
		slot = evict_for_newcomer(s);
	if (!slot)
		*why = "every slot is taken (--syslog-max-conn)";
	return slot;
}

static void accept_all(struct syslogsrv *s)
{
	for (;;) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);
		int fd = accept4(s->tcp_fd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;
		char peer[WARD_IP_STRLEN];
		peer_text(&ss, peer);
		const char *why = NULL;
		struct conn *slot = slot_for(s, peer, &why);
		if (!slot) {
			close(fd);
			++*s->refused;
			log_warn_limited(&s->rl, "syslog: refused a connection from %s: %s", peer, why);
			continue;
		}
		memset(slot, 0, sizeof(*slot));
		slot->fd = fd;
		memcpy(slot->peer, peer, sizeof peer);
		syslog_framer_init(&slot->framer, s->conf.max_msg);
		slot->last_mono = time_mono_ns();
	}
}

static void set_labels(struct syslogsrv *s, const struct syslog_msg *m, const char *peer)
{
	struct src_labels *l = &s->src.labels;
	l->n = 0;
	size_t hn = m->host.n < sizeof(s->host) - 1 ? m->host.n : sizeof(s->host) - 1;
	if (hn) {
		memcpy(s->host, m->host.p, hn);
		s->host[hn] = '\0';
		src_labels_set(l, "host", s->host);
	} else {
		src_labels_set(l, "host", peer);
	}
	size_t an = m->app.n < sizeof(s->program) - 1 ? m->app.n : sizeof(s->program) - 1;
	if (an) {
		memcpy(s->program, m->app.p, an);
		s->program[an] = '\0';
		src_labels_set(l, "program", s->program);
	}
	size_t pn = m->procid.n < sizeof(s->pid) - 1 ? m->procid.n : sizeof(s->pid) - 1;
	if (an && pn) {
		memcpy(s->pid, m->procid.p, pn);
		s->pid[pn] = '\0';
		src_labels_set(l, "pid", s->pid);
	}
	if (m->severity >= 0)
		src_labels_set(l, "severity", syslog_severity_name(m->severity));
	src_labels_set(l, "peer", peer);
}

static enum rec_status emit(struct syslogsrv *s, const char *p, size_t n, const char *peer,
			    struct ward_record *rec)
{
	struct syslog_msg m;
	/* A copy, so the record can be NUL-terminated without touching the
	 * next frame, and stays valid while more bytes arrive. */
	buf_reset(&s->rec);
	buf_append(&s->rec, p, n);
	buf_cstr(&s->rec);
	p = s->rec.data ? s->rec.data : "";
	int64_t now = s->conf.fixed_now != WARD_TS_NONE ? s->conf.fixed_now : time_now_ns();
	syslog_parse(p, n, now, &m);
	set_labels(s, &m, peer);
	s->src.ts_from_source = m.ts_ns != WARD_TS_NONE;
	rec->ts_ns = m.ts_ns;
	syslog_line(&m, &s->line);
	rec->data = s->line.data ? s->line.data : "";
	rec->len = s->line.len;
	return REC_OK;
}

/* A complete frame from some connection, round robin. */
static bool frame_ready(struct syslogsrv *s, struct ward_record *rec)
{
	for (unsigned k = 0; k < s->conf.max_conn; k++) {
		struct conn *c = &s->conns[(s->next_conn + k) % s->conf.max_conn];
		if (c->fd < 0)
			continue;
		const char *msg;
		size_t len;
		bool trunc;
		int r = syslog_framer_next(&c->framer, &msg, &len, &trunc);
		if (r == 0 && c->eof)
			r = syslog_framer_rest(&c->framer, &msg, &len);
		if (r == 0) {
			if (c->eof)
				conn_close(c);
			continue;
		}
		if (trunc)
			++*s->truncated;
		s->next_conn = (size_t)(c - s->conns);
		emit(s, msg, len, c->peer, rec);
		return true;
	}
	return false;
}

static void read_conn(struct syslogsrv *s, struct conn *c)
{
	char chunk[65536];
	ssize_t n = read(c->fd, chunk, sizeof(chunk));
	if (n > 0) {
		syslog_framer_feed(&c->framer, chunk, (size_t)n);
		c->last_mono = time_mono_ns();
		c->got_bytes = true;
	} else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
		c->eof = true;
	}
	(void)s;
}

static void read_dgram(struct syslogsrv *s)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	ssize_t n = recvfrom(s->udp_fd, s->dgram, s->conf.max_msg, MSG_TRUNC, (struct sockaddr *)&ss, &sl);
	if (n < 0)
		return;
	if ((size_t)n > s->conf.max_msg) {
		++*s->truncated;
		n = (ssize_t)s->conf.max_msg;
	}
	peer_text(&ss, s->dgram_peer);
	s->dgram_len = (size_t)n;
	s->dgram_ready = true;
}

static void close_idle(struct syslogsrv *s)
{
	int64_t now = time_mono_ns();
	for (unsigned i = 0; i < s->conf.max_conn; i++) {
		struct conn *c = &s->conns[i];
		int64_t limit = c->got_bytes ? s->conf.idle_timeout_ns : s->conf.first_byte_timeout_ns;
		if (c->fd >= 0 && !c->eof && now - c->last_mono > limit) {
			c->eof = true;	/* a partial last frame is still emitted */
			++*s->idle_closed;
			log_debug("syslog: closed a connection from %s idle for %llds%s", c->peer,
				  (long long)((now - c->last_mono) / NS_PER_SEC),
				  c->got_bytes ? "" : " that never sent a byte");
		}
	}
}

static int poll_once(struct syslogsrv *s, int ms)
{
	struct pollfd p[2 + 1024];
	unsigned np = 0, first_conn;
	if (s->udp_fd >= 0)
		p[np++] = (struct pollfd){ .fd = s->udp_fd, .events = POLLIN };
	if (s->tcp_fd >= 0)
		p[np++] = (struct pollfd){ .fd = s->tcp_fd, .events = POLLIN };
	first_conn = np;
	for (unsigned i = 0; i < s->conf.max_conn; i++)
		p[np++] = (struct pollfd){ .fd = s->conns[i].eof ? -1 : s->conns[i].fd, .events = POLLIN };
	int rc = poll(p, np, ms);
	if (rc <= 0)
		return rc;
	unsigned k = 0;
	if (s->udp_fd >= 0 && (p[k++].revents & POLLIN))
		read_dgram(s);
	if (s->tcp_fd >= 0 && (p[k++].revents & POLLIN))
		accept_all(s);
	for (unsigned i = 0; i < s->conf.max_conn; i++)
		if (p[first_conn + i].revents & (POLLIN | POLLHUP | POLLERR))
			read_conn(s, &s->conns[i]);
	return rc;
}

static enum rec_status syslog_next(struct ward_input *in, int timeout_ms, struct ward_record *rec)
{
	struct syslogsrv *s = (struct syslogsrv *)in;
	int64_t deadline = timeout_ms < 0 ? INT64_MAX : time_mono_ns() + (int64_t)timeout_ms * 1000000;
	for (;;) {
		if (signals_stop_requested())
			return REC_STOPPED;
		if (s->dgram_ready) {
			s->dgram_ready = false;
			return emit(s, s->dgram, s->dgram_len, s->dgram_peer, rec);
		}
		if (frame_ready(s, rec))
			return REC_OK;
		close_idle(s);
		int64_t now = time_mono_ns();
		if (now >= deadline)
			return REC_TIMEOUT;
		int64_t left = (deadline - now) / 1000000;
		/* Often enough that idle timeouts are kept within a quarter second. */
		poll_once(s, left > 250 ? 250 : (int)left);
	}
}

static void syslog_close(struct ward_input *in)
{
	struct syslogsrv *s = (struct syslogsrv *)in;
	for (unsigned i = 0; i < s->conf.max_conn; i++)
		conn_close(&s->conns[i]);
	free(s->conns);
	if (s->udp_fd >= 0)
		close(s->udp_fd);
	if (s->tcp_fd >= 0)
		close(s->tcp_fd);
	free(s->dgram);
	buf_free(&s->rec);
	buf_free(&s->line);
	ratelimit_flush(&s->rl);
	free(s->src.in.uri);
	free(s);
}

static const struct ward_input_ops syslog_ops = {
	.next = syslog_next,
	.close = syslog_close,	/* never buffered; nothing to commit */
};

struct ingest_source *syslogsrv_open(const struct syslogsrv_conf *c, enum source_err *why,
				     char *err, size_t errlen)
{
	struct syslogsrv *s = ward_xcalloc(1, sizeof(*s));
	s->conf = *c;
	if (s->conf.max_conn == 0 || s->conf.max_conn > 1024)
		s->conf.max_conn = s->conf.max_conn ? 1024 : 1;
	if (s->conf.max_per_host == 0 || s->conf.max_per_host > s->conf.max_conn)
		s->conf.max_per_host = s->conf.max_conn;
	if (s->conf.first_byte_timeout_ns <= 0 || s->conf.first_byte_timeout_ns > s->conf.idle_timeout_ns)
		s->conf.first_byte_timeout_ns = s->conf.idle_timeout_ns;
	s->src.in.ops = &syslog_ops;
	s->src.in.uri = ward_xstrdup("syslog");
	s->rl = (struct ward_ratelimit)WARD_RATELIMIT_INIT(5, 10);
	s->udp_fd = s->tcp_fd = -1;
	s->conns = ward_xcalloc(s->conf.max_conn, sizeof(*s->conns));
	for (unsigned i = 0; i < s->conf.max_conn; i++)
		s->conns[i].fd = -1;
	s->dgram = ward_xmalloc(s->conf.max_msg + 1);
	s->refused = counters_extra(c->counters, "syslog_refused");
	s->truncated = counters_extra(c->counters, "syslog_truncated");
	s->idle_closed = counters_extra(c->counters, "syslog_idle_closed");
	s->evicted = counters_extra(c->counters, "syslog_evicted");
	if ((c->udp && (s->udp_fd = listen_on(c->udp, SOCK_DGRAM, err, errlen)) < 0) ||
	    (c->tcp && (s->tcp_fd = listen_on(c->tcp, SOCK_STREAM, err, errlen)) < 0)) {
		*why = SOURCE_ERR_UNAVAILABLE;
		syslog_close(&s->src.in);
		return NULL;
	}
	return &s->src;
}
