/* linetime.c - the time of a log line (see linetime.h). */
#include "stages/ingest/linetime.h"

#include <stdbool.h>
#include <string.h>

#include "stages/ingest/auditd_time.h"
#include "wtime.h"

static inline bool is_digit(unsigned char c)
{
	return (unsigned)(c - '0') < 10;
}

/* "<PRI>" (0..191) and an RFC 5424 "1 " after it: bytes to skip. */
static size_t syslog_pri(const char *s, size_t n)
{
	size_t i = 1;
	unsigned pri = 0;
	while (i < n && i <= 3 && is_digit((unsigned char)s[i]))
		pri = pri * 10 + (unsigned)(s[i++] - '0');
	if (i == 1 || i >= n || s[i] != '>' || pri > 191)
		return 0;
	i++;
	if (i + 1 < n && s[i] == '1' && s[i + 1] == ' ')
		i += 2;
	return i;
}

/* Length of a leading IPv4/IPv6 address token followed by a space, 0 if
 * the line does not start with one. */
static size_t address_token(const char *s, size_t n)
{
	size_t i = 0;
	bool sep = false;
	while (i < n && i < 46) {
		unsigned char c = (unsigned char)s[i];
		if (c == '.' || c == ':')
			sep = true;
		else if (!is_digit(c) && !((c | 0x20) >= 'a' && (c | 0x20) <= 'f'))
			break;
		i++;
	}
	return sep && i > 0 && i < n && s[i] == ' ' ? i + 1 : 0;
}

/* The line's start after a <PRI> or a leading address (the plain start is
 * tried by linetime_find itself): the offset where the time ends, 0 if none. */
static size_t line_start(const char *s, size_t n, int64_t year_ref, int64_t *ts)
{
	size_t used, p;
	if (n > 0 && s[0] == '<')
		p = syslog_pri(s, n);
	else
		p = address_token(s, n);
	return p && time_parse_prefix(s + p, n - p, year_ref, ts, &used) == 0 ? p + used : 0;
}

/* ---- audit records forwarded by syslog ------------------------------------ */

/* After a header's time at s[i]: " HOST TAG" where TAG is one of the
 * programs auditd_record_offset accepts, followed by ':', '[' or ' '. A
 * cheap test on every syslog line, so that only those pay the header parse. */
static bool audit_tag_follows(const char *s, size_t n, size_t i)
{
	if (i >= n || s[i] != ' ')
		return false;
	const char *host_end = memchr(s + i + 1, ' ', n - i - 1);
	if (!host_end)
		return false;
	i = (size_t)(host_end - s) + 1;
	if (i >= n || (s[i] != 'a' && s[i] != 'k'))	/* every such program's first letter */
		return false;
	size_t e = i;
	while (e < n && s[e] != ':' && s[e] != '[' && s[e] != ' ')
		e++;
	return e < n && auditd_program(s + i, e - i);
}

/* A line with a syslog header (its time ending at s[end]) whose message is
 * an audit record: the record's time, which is when the audited event
 * happened (the header's is when it was forwarded). */
static int forwarded_audit(const char *s, size_t n, size_t end, int64_t year_ref, int64_t *ts)
{
	if (!audit_tag_follows(s, n, end))
		return -1;
	size_t off = auditd_record_offset(s, n, year_ref);
	return off != (size_t)-1 && off > 0 ? auditd_record_time(s + off, n - off, ts) : -1;
}

/* ---- JSON members --------------------------------------------------------- */

static const char *const json_keys[] = {
	"timestamp", "time", "@timestamp", "ts", "time_iso8601", "time_local",
};
enum { NKEYS = sizeof json_keys / sizeof json_keys[0] };

struct span {
	const char *p;
	size_t n;
	bool string;
};

static size_t skip_ws(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
		i++;
	return i;
}

/* At '"': the index after the closing quote, or n if there is none.
 * *escaped tells the string holds a backslash escape. */
static size_t skip_string(const char *s, size_t n, size_t i, bool *escaped)
{
	*escaped = false;
	for (i++; i < n; i++) {
		if (s[i] == '\\') {
			*escaped = true;
			i++;
		} else if (s[i] == '"') {
			return i + 1;
		}
	}
	return n;
}

/* Past one value of any kind (nested ones by depth), or n if malformed. */
static size_t skip_value(const char *s, size_t n, size_t i)
{
	bool esc;
	if (i >= n)
		return n;
	if (s[i] == '"')
		return skip_string(s, n, i, &esc);
	if (s[i] != '{' && s[i] != '[') {
		while (i < n && s[i] != ',' && s[i] != '}' && s[i] != ']' && s[i] != ' ' &&
		       s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			i++;
		return i;
	}
	size_t depth = 0;
	for (; i < n; i++) {
		if (s[i] == '"') {
			i = skip_string(s, n, i, &esc) - 1;
		} else if (s[i] == '{' || s[i] == '[') {
			depth++;
		} else if (s[i] == '}' || s[i] == ']') {
			if (--depth == 0)
				return i + 1;
		}
	}
	return n;
}

static int key_index(const char *k, size_t kn)
{
	for (int j = 0; j < NKEYS; j++)
		if (strlen(json_keys[j]) == kn && memcmp(json_keys[j], k, kn) == 0)
			return j;
	return -1;
}

/* The top-level members named in json_keys (later duplicates ignored). */
static void json_members(const char *s, size_t n, struct span found[NKEYS])
{
	size_t i = skip_ws(s, n, 1);
	while (i < n && s[i] == '"') {
		bool esc;
		size_t kend = skip_string(s, n, i, &esc);
		if (kend >= n)
			return;
		int k = esc ? -1 : key_index(s + i + 1, kend - i - 2);
		i = skip_ws(s, n, kend);
		if (i >= n || s[i] != ':')
			return;
		i = skip_ws(s, n, i + 1);
		size_t vend = skip_value(s, n, i);
		if (vend >= n || vend == i)
			return;
		if (k >= 0 && !found[k].p) {
			bool str = s[i] == '"';
			bool vesc = false;
			if (str)
				skip_string(s, n, i, &vesc);
			if (!vesc)
				found[k] = (struct span){ s + i + str, vend - i - 2 * str, str };
		}
		i = skip_ws(s, n, vend);
		if (i >= n || s[i] != ',')
			return;
		i = skip_ws(s, n, i + 1);
	}
}

static int json_time(const char *s, size_t n, int64_t year_ref, int64_t *ts)
{
	struct span found[NKEYS] = { 0 };
	json_members(s, n, found);
	for (int k = 0; k < NKEYS; k++) {
		if (!found[k].p)
			continue;
		if (found[k].string ? time_parse_text(found[k].p, found[k].n, year_ref, ts) == 0
				    : time_parse_epoch(found[k].p, found[k].n, ts) == 0)
			return 0;
	}
	return -1;
}

/* ---- the access log's bracket ------------------------------------------- */

static int bracket_time(const char *s, size_t n, int64_t *ts)
{
	const char *p = s, *end = s + n;
	size_t used;
	while ((p = memchr(p, '[', (size_t)(end - p))) != NULL) {
		if (end - p >= 28 && is_digit((unsigned char)p[1]) &&
		    time_parse_access(p, (size_t)(end - p), ts, &used) == 0)
			return 0;
		p++;
	}
	return -1;
}

enum linetime_where linetime_find(const char *s, size_t n, int64_t year_ref_ns, int64_t *ts)
{
	int64_t t;
	size_t used;
	/* The common case first, with nothing around it: most lines start with
	 * their time (every parser writes *ts only on success). */
	if (n > 0 && s[0] != '<' && time_parse_prefix(s, n, year_ref_ns, &t, &used) == 0) {
		*ts = t;
		return forwarded_audit(s, n, used, year_ref_ns, ts) == 0 ? LINETIME_AUDIT : LINETIME_START;
	}
	if (n > 0 && (s[0] == 't' || s[0] == 'n') && auditd_record_time(s, n, ts) == 0)
		return LINETIME_AUDIT;
	size_t end = line_start(s, n, year_ref_ns, &t);
	if (end > 0) {
		*ts = t;
		return forwarded_audit(s, n, end, year_ref_ns, ts) == 0 ? LINETIME_AUDIT : LINETIME_START;
	}
	size_t j = skip_ws(s, n, 0);
	if (j < n && s[j] == '{' && json_time(s + j, n - j, year_ref_ns, &t) == 0) {
		*ts = t;
		return LINETIME_JSON;
	}
	if (bracket_time(s, n, &t) == 0) {
		*ts = t;
		return LINETIME_BRACKET;
	}
	return LINETIME_NONE;
}
