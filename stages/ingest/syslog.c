/* syslog.c - syslog parsing and TCP framing (see syslog.h). */
#include "stages/ingest/syslog.h"

#include <string.h>

#include "event.h"
#include "wtime.h"

static const char *const severities[] = {
	"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug",
};

const char *syslog_severity_name(int severity)
{
	return severity >= 0 && severity < 8 ? severities[severity] : NULL;
}

/* <PRI>: 1-3 digits, 0..191. Returns bytes used, 0 if absent. */
static size_t parse_pri(const char *s, size_t n, struct syslog_msg *m)
{
	if (n < 3 || s[0] != '<')
		return 0;
	int v = 0;
	size_t i = 1;
	for (; i < n && i <= 4 && s[i] >= '0' && s[i] <= '9'; i++)
		v = v * 10 + (s[i] - '0');
	if (i == 1 || i > 4 || i >= n || s[i] != '>' || v > 191)
		return 0;
	m->facility = v / 8;
	m->severity = v % 8;
	return i + 1;
}

/* The next space-separated token of s[*i..n). */
static struct syslog_str token(const char *s, size_t n, size_t *i)
{
	size_t b = *i;
	while (*i < n && s[*i] != ' ')
		(*i)++;
	struct syslog_str t = { s + b, *i - b };
	if (*i < n)
		(*i)++;
	return t;
}

static struct syslog_str nil_dash(struct syslog_str t)
{
	if (t.n == 1 && t.p[0] == '-')
		t.n = 0;
	return t;
}

/* Structured data: "-" or one or more [id k="v" ...] with \] escapes. */
static size_t sd_len(const char *s, size_t n)
{
	if (n >= 1 && s[0] == '-')
		return 1;
	size_t i = 0;
	while (i < n && s[i] == '[') {
		bool in_quote = false;
		for (i++; i < n; i++) {
			if (s[i] == '\\' && i + 1 < n) {
				i++;
				continue;
			}
			if (s[i] == '"')
				in_quote = !in_quote;
			else if (s[i] == ']' && !in_quote)
				break;
		}
		if (i >= n)
			return 0;
		i++;
	}
	return i;
}

static bool parse_5424(const char *s, size_t n, struct syslog_msg *m)
{
	if (n < 2 || s[0] != '1' || s[1] != ' ')
		return false;
	size_t i = 2;
	struct syslog_str ts = token(s, n, &i);
	if (!(ts.n == 1 && ts.p[0] == '-') && time_parse_rfc3339(ts.p, ts.n, &m->ts_ns) != 0)
		return false;
	m->host = nil_dash(token(s, n, &i));
	m->app = nil_dash(token(s, n, &i));
	m->procid = nil_dash(token(s, n, &i));
	m->msgid = nil_dash(token(s, n, &i));
	size_t sl = sd_len(s + i, n - i);
	if (sl == 0 && i < n)
		return false;
	m->sd = (struct syslog_str){ s + i, sl };
	if (sl == 1 && s[i] == '-')
		m->sd.n = 0;
	i += sl;
	if (i < n && s[i] == ' ')
		i++;
	if (n - i >= 3 && memcmp(s + i, "\xEF\xBB\xBF", 3) == 0)
		i += 3;	/* the BOM of a UTF-8 MSG */
	m->version = 1;
	m->msg = (struct syslog_str){ s + i, n - i };
	return true;
}

static bool host_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '-' || c == '_' || c == ':';
}

/* TAG[PID]: at s; sets app, procid; returns bytes up to MSG, 0 if none. */
static size_t parse_tag(const char *s, size_t n, struct syslog_msg *m)
{
	size_t i = 0;
	while (i < n && i < 48 && s[i] != '[' && s[i] != ':' && s[i] != ' ')
		i++;
	if (i == 0 || i >= n)
		return 0;
	struct syslog_str app = { s, i };
	struct syslog_str pid = { NULL, 0 };
	if (s[i] == '[') {
		size_t b = ++i;
		while (i < n && s[i] != ']')
			i++;
		if (i >= n)
			return 0;
		pid = (struct syslog_str){ s + b, i - b };
		i++;
	}
	if (i >= n || s[i] != ':')
		return 0;
	i++;
	if (i < n && s[i] == ' ')
		i++;
	m->app = app;
	m->procid = pid;
	return i;
}

static void parse_3164(const char *s, size_t n, int64_t now_ns, struct syslog_msg *m)
{
	size_t i = 0, used = 0;
	if (time_parse_syslog(s, n, now_ns, &m->ts_ns, &used) == 0) {
		i = used;
	} else {
		size_t e = 0;
		while (e < n && s[e] != ' ')
			e++;
		if (time_parse_rfc3339(s, e, &m->ts_ns) == 0)
			i = e;
		else
			m->ts_ns = WARD_TS_NONE;
	}
	while (i < n && s[i] == ' ')
		i++;
	/* HOST, when the word after the time is not already TAG: */
	if (i > 0) {
		size_t b = i;
		while (i < n && host_char(s[i]) && s[i] != ':')
			i++;
		if (i < n && s[i] == ' ' && i > b) {
			m->host = (struct syslog_str){ s + b, i - b };
			i++;
		} else {
			i = b;
		}
	}
	size_t t = parse_tag(s + i, n - i, m);
	m->msg = (struct syslog_str){ s + i + t, n - i - t };
}

void syslog_parse(const char *s, size_t n, int64_t now_ns, struct syslog_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->facility = m->severity = -1;
	m->ts_ns = WARD_TS_NONE;
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == '\0'))
		n--;
	size_t p = parse_pri(s, n, m);
	struct syslog_msg save = *m;
	if (parse_5424(s + p, n - p, m))
		return;
	*m = save;
	m->ts_ns = WARD_TS_NONE;
	parse_3164(s + p, n - p, now_ns, m);
}

void syslog_line(const struct syslog_msg *m, struct ward_buf *out)
{
	buf_reset(out);
	if (m->app.n) {
		buf_append(out, m->app.p, m->app.n);
		if (m->procid.n) {
			buf_append(out, "[", 1);
			buf_append(out, m->procid.p, m->procid.n);
			buf_append(out, "]", 1);
		}
		buf_append(out, ": ", 2);
	}
	buf_append(out, m->msg.p, m->msg.n);
	buf_cstr(out);
}

/* ---- framing ------------------------------------------------------------ */

void syslog_framer_init(struct syslog_framer *f, size_t max)
{
	memset(f, 0, sizeof(*f));
	f->max = max;
}

void syslog_framer_free(struct syslog_framer *f)
{
	buf_free(&f->buf);
	memset(f, 0, sizeof(*f));
}

void syslog_framer_feed(struct syslog_framer *f, const char *p, size_t n)
{
	if (f->start > 0 && f->start == f->buf.len) {
		f->buf.len = 0;
		f->start = 0;
	} else if (f->start > 65536) {
		memmove(f->buf.data, f->buf.data + f->start, f->buf.len - f->start);
		f->buf.len -= f->start;
		f->start = 0;
	}
	if (f->skip) {
		size_t k = n < f->skip ? n : f->skip;
		f->skip -= k;
		p += k;
		n -= k;
	}
	buf_append(&f->buf, p, n);
}

static int octet_frame(struct syslog_framer *f, const char **msg, size_t *len, bool *truncated)
{
	const char *s = f->buf.data + f->start;
	size_t avail = f->buf.len - f->start;
	size_t i = 0, count = 0;
	while (i < avail && i < 10 && s[i] >= '0' && s[i] <= '9')
		count = count * 10 + (size_t)(s[i++] - '0');
	if (i == avail)
		return 0;
	if (s[i] != ' ' || i == 10)
		return -1;	/* not octet counting after all */
	i++;
	if (count > f->max) {
		/* Keep the first max bytes, drop the rest as it arrives. */
		if (avail - i < f->max)
			return 0;
		*msg = s + i;
		*len = f->max;
		*truncated = true;
		size_t have = avail - i;
		size_t drop = have < count ? have : count;
		f->skip = count - drop;
		f->start += i + drop;
		return 1;
	}
	if (avail - i < count)
		return 0;
	*msg = s + i;
	*len = count;
	f->start += i + count;
	return 1;
}

static int line_frame(struct syslog_framer *f, const char **msg, size_t *len, bool *truncated)
{
	const char *s = f->buf.data + f->start;
	size_t avail = f->buf.len - f->start;
	size_t i = 0;
	while (i < avail && s[i] != '\n' && s[i] != '\0')
		i++;
	if (i == avail) {
		if (avail <= f->max)
			return 0;
		*msg = s;	/* an endless line: cut it */
		*len = f->max;
		*truncated = true;
		f->start += f->max;
		return 1;
	}
	*msg = s;
	*len = i > f->max ? f->max : i;
	*truncated = i > f->max;
	f->start += i + 1;
	return 1;
}

int syslog_framer_next(struct syslog_framer *f, const char **msg, size_t *len, bool *truncated)
{
	*truncated = false;
	for (;;) {
		if (f->start >= f->buf.len)
			return 0;
		char c = f->buf.data[f->start];
		if (c == '\n' || c == '\r' || c == '\0') {
			f->start++;	/* empty frames between messages */
			continue;
		}
		if (c >= '1' && c <= '9') {
			int r = octet_frame(f, msg, len, truncated);
			if (r >= 0)
				return r;
		}
		return line_frame(f, msg, len, truncated);
	}
}

int syslog_framer_rest(struct syslog_framer *f, const char **msg, size_t *len)
{
	if (f->start >= f->buf.len)
		return 0;
	*msg = f->buf.data + f->start;
	*len = f->buf.len - f->start;
	if (*len > f->max)
		*len = f->max;
	f->start = f->buf.len;
	return 1;
}
