/* auditd_time.c - the time auditd writes in its records (see auditd_time.h). */
#include "stages/ingest/auditd_time.h"

#include <stdbool.h>
#include <string.h>

#include "stages/ingest/syslog.h"
#include "wtime.h"

static bool has_prefix(const char *s, size_t n, const char *lit, size_t ln)
{
	return n >= ln && memcmp(s, lit, ln) == 0;
}

/* Digits at s[*i], at most max of them, at least one: their value. */
static bool digits(const char *s, size_t n, size_t *i, size_t max, uint64_t *v)
{
	size_t start = *i;
	*v = 0;
	while (*i < n && *i - start < max && s[*i] >= '0' && s[*i] <= '9')
		*v = *v * 10 + (uint64_t)(s[(*i)++] - '0');
	return *i > start;
}

int auditd_stamp(const char *s, size_t n, int64_t *ts_ns, uint64_t *serial, size_t *used)
{
	size_t i = 6;
	uint64_t sec, frac, ser;
	if (!has_prefix(s, n, "audit(", 6) || !digits(s, n, &i, 12, &sec) || i >= n || s[i] != '.')
		return -1;
	size_t f0 = ++i;
	if (!digits(s, n, &i, 9, &frac) || i >= n || s[i] != ':')
		return -1;
	for (size_t k = i - f0; k < 9; k++)
		frac *= 10;
	i++;
	if (!digits(s, n, &i, 10, &ser) || i >= n || s[i] != ')' || ser > UINT32_MAX ||
	    sec >= (uint64_t)(INT64_MAX / NS_PER_SEC))
		return -1;
	*ts_ns = (int64_t)sec * NS_PER_SEC + (int64_t)frac;
	*serial = ser;
	*used = i + 1;
	return 0;
}

/* Past "KEY=TOKEN " at s (the token has no blank), or 0. */
static size_t skip_pair(const char *s, size_t n, const char *key, size_t kn)
{
	if (!has_prefix(s, n, key, kn))
		return 0;
	size_t i = kn;
	while (i < n && s[i] != ' ')
		i++;
	return i > kn && i < n ? i + 1 : 0;
}

int auditd_record_time(const char *s, size_t n, int64_t *ts_ns)
{
	uint64_t serial;
	size_t used, i = 0;
	if (has_prefix(s, n, "audit: ", 7)) {	/* the kernel: "audit: type=1400 audit(" */
		i = skip_pair(s + 7, n - 7, "type=", 5);
		return i && auditd_stamp(s + 7 + i, n - 7 - i, ts_ns, &serial, &used) == 0 ? 0 : -1;
	}
	if (has_prefix(s, n, "node=", 5)) {
		i = skip_pair(s, n, "node=", 5);
		if (!i)
			return -1;
	}
	size_t t = skip_pair(s + i, n - i, "type=", 5);
	if (!t || !has_prefix(s + i + t, n - i - t, "msg=", 4))
		return -1;
	i += t + 4;
	return auditd_stamp(s + i, n - i, ts_ns, &serial, &used);
}

bool auditd_program(const char *p, size_t n)
{
	static const char *const names[] = { "audisp-syslog", "audispd", "auditd", "kernel" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (n == strlen(names[i]) && memcmp(p, names[i], n) == 0)
			return true;
	return false;
}

size_t auditd_record_offset(const char *s, size_t n, int64_t year_ref_ns)
{
	int64_t ts;
	if (auditd_record_time(s, n, &ts) == 0)
		return 0;
	/* Only lines holding a stamp pay the header parse. */
	if (!memmem(s, n, "audit(", 6))
		return (size_t)-1;
	struct syslog_msg m;
	syslog_parse(s, n, year_ref_ns, &m);
	if (!auditd_program(m.app.p, m.app.n) || !m.msg.p)
		return (size_t)-1;
	const char *p = m.msg.p;
	size_t pn = m.msg.n;
	if (pn > 0 && p[0] == '[') {	/* the kernel's "[   12.345678] " */
		const char *e = memchr(p, ']', pn);
		if (!e || (size_t)(e - p) + 2 > pn || e[1] != ' ')
			return (size_t)-1;
		pn -= (size_t)(e - p) + 2;
		p = e + 2;
	}
	return auditd_record_time(p, pn, &ts) == 0 ? (size_t)(p - s) : (size_t)-1;
}
