/* wtime.c - timestamps and durations, without the C library's time zone
 * state (timegm/localtime are neither needed nor thread-safe to reason
 * about here): civil date arithmetic after Howard Hinnant's algorithms. */
#include "wtime.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define NS_PER_DAY (86400LL * NS_PER_SEC)

/* Not isdigit(): that is a locale table lookup through a function call, a
 * measurable share of decoding every event's timestamp. */
static inline bool is_digit(unsigned char c)
{
	return (unsigned)(c - '0') < 10;
}

int64_t time_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void time_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static unsigned days_in_month(int64_t y, unsigned m)
{
	static const unsigned dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : dim[m - 1];
}

/* Exactly `width` decimal digits at s[*i]. */
static int digits(const char *s, size_t n, size_t *i, int width, unsigned *out)
{
	unsigned v = 0;
	for (int k = 0; k < width; k++, (*i)++) {
		if (*i >= n || !is_digit((unsigned char)s[*i]))
			return -1;
		v = v * 10 + (unsigned)(s[*i] - '0');
	}
	*out = v;
	return 0;
}

static int expect(const char *s, size_t n, size_t *i, char c)
{
	if (*i >= n || s[*i] != c)
		return -1;
	(*i)++;
	return 0;
}

static int civil_to_ns(int64_t y, unsigned mo, unsigned d, unsigned h, unsigned mi,
		       unsigned sec, int64_t *ns)
{
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || sec > 60)
		return -1;
	if (sec == 60)
		sec = 59;	/* leap second: keep ordering, lose one second */
	int64_t secs = time_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
	/* int64 nanoseconds span 1677..2262; keep two days of margin for the
	 * fraction and the UTC offset the caller adds. */
	if (secs > INT64_MAX / NS_PER_SEC - 172800 || secs < INT64_MIN / NS_PER_SEC + 172800)
		return -1;
	*ns = secs * NS_PER_SEC;
	return 0;
}

enum { RFC3339_SECOND_LEN = 19 };	/* "YYYY-MM-DDTHH:MM:SS" */

/* The date and time of day at s (exactly RFC3339_SECOND_LEN bytes), as
 * nanoseconds of the second. */
static int rfc3339_second(const char *s, int64_t *base)
{
	size_t i = 0, n = RFC3339_SECOND_LEN;
	unsigned y, mo, d, h, mi, sec;
	if (digits(s, n, &i, 4, &y) || expect(s, n, &i, '-') || digits(s, n, &i, 2, &mo) ||
	    expect(s, n, &i, '-') || digits(s, n, &i, 2, &d))
		return -1;
	if (s[i] != 'T' && s[i] != 't' && s[i] != ' ')
		return -1;
	i++;
	if (digits(s, n, &i, 2, &h) || expect(s, n, &i, ':') || digits(s, n, &i, 2, &mi) ||
	    expect(s, n, &i, ':') || digits(s, n, &i, 2, &sec))
		return -1;
	return civil_to_ns(y, mo, d, h, mi, sec, base);
}

/* Consecutive events mostly carry the same second: its text and value are
 * cached per thread, so most timestamps cost a compare and the fraction. */
static int rfc3339_second_cached(const char *s, int64_t *base)
{
	static _Thread_local char last[RFC3339_SECOND_LEN];
	static _Thread_local int64_t last_base;
	static _Thread_local bool have_last;
	if (have_last && memcmp(s, last, RFC3339_SECOND_LEN) == 0) {
		*base = last_base;
		return 0;
	}
	if (rfc3339_second(s, base) != 0)
		return -1;
	memcpy(last, s, RFC3339_SECOND_LEN);
	last_base = *base;
	have_last = true;
	return 0;
}

/* A zone word after the time: " UTC" or " GMT" (PostgreSQL's log_line_prefix
 * %t/%m, some Java loggers), followed by the end or a non-letter. */
static size_t utc_word(const char *s, size_t n, size_t i)
{
	if (i + 4 > n || s[i] != ' ' || (memcmp(s + i + 1, "UTC", 3) != 0 && memcmp(s + i + 1, "GMT", 3) != 0))
		return 0;
	if (i + 4 < n && ((s[i + 4] | 0x20) >= 'a' && (s[i + 4] | 0x20) <= 'z'))
		return 0;
	return 4;
}

/* What follows "YYYY-MM-DDTHH:MM:SS" at s[RFC3339_SECOND_LEN]: a fraction
 * ('.' or ',', any length, 9 digits kept) and the zone: 'Z', +hh:mm, +hhmm,
 * or, unless need_zone, " UTC" / " GMT" / nothing (read as UTC). */
/* The digits of a fraction of a second at s[*i] (just after its '.' or
 * ','): nanoseconds in *frac; digits past the ninth are read and dropped.
 * -1 when there is no digit. */
static int fraction_ns(const char *s, size_t n, size_t *i, int64_t *frac)
{
	int nd = 0;
	*frac = 0;
	for (; *i < n && is_digit((unsigned char)s[*i]); (*i)++)
		if (nd < 9) {
			*frac = *frac * 10 + (s[*i] - '0');
			nd++;
		}
	if (nd == 0)
		return -1;
	while (nd++ < 9)
		*frac *= 10;
	return 0;
}

static int iso_tail(const char *s, size_t n, int64_t base, bool need_zone, int64_t *ns,
		    size_t *consumed)
{
	size_t i = RFC3339_SECOND_LEN;
	int64_t frac = 0;
	if (i < n && (s[i] == '.' || s[i] == ',')) {
		i++;
		if (fraction_ns(s, n, &i, &frac) != 0)
			return -1;
	}
	int64_t offset = 0;
	size_t w;
	if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
		i++;
	} else if (i < n && (s[i] == '+' || s[i] == '-')) {
		int sign = s[i] == '-' ? -1 : 1;
		unsigned oh, om;
		i++;
		if (digits(s, n, &i, 2, &oh))
			return -1;
		if (i < n && s[i] == ':')
			i++;
		if (digits(s, n, &i, 2, &om) || oh > 23 || om > 59)
			return -1;
		offset = sign * (int64_t)(oh * 3600 + om * 60) * NS_PER_SEC;
	} else if (need_zone) {
		return -1;
	} else if ((w = utc_word(s, n, i)) != 0) {
		i += w;
	} else if (i < n && (is_digit((unsigned char)s[i]) || s[i] == ':')) {
		return -1;	/* "12:00:00:5", "12:00:001": not a time that ends here */
	}
	*ns = base + frac - offset;
	*consumed = i;
	return 0;
}

static int rfc3339_prefix(const char *s, size_t n, int64_t *ns, size_t *consumed)
{
	int64_t base;
	if (n < RFC3339_SECOND_LEN || rfc3339_second_cached(s, &base) != 0)
		return -1;
	return iso_tail(s, n, base, true, ns, consumed);
}

/* ISO 8601 as logs write it: RFC 3339, or without a zone (read as UTC),
 * or with " UTC"; the date may also be written 2021/09/30 (nginx's error
 * log). */
static int iso_prefix(const char *s, size_t n, int64_t *ns, size_t *consumed)
{
	int64_t base;
	if (n < RFC3339_SECOND_LEN)
		return -1;
	if (s[4] == '/') {
		if (s[7] != '/')
			return -1;
		char head[RFC3339_SECOND_LEN];
		memcpy(head, s, RFC3339_SECOND_LEN);
		head[4] = head[7] = '-';
		if (rfc3339_second(head, &base) != 0)
			return -1;
	} else if (rfc3339_second_cached(s, &base) != 0) {
		return -1;
	}
	return iso_tail(s, n, base, false, ns, consumed);
}

int time_parse_rfc3339(const char *s, size_t n, int64_t *ns)
{
	size_t used;
	int64_t v;
	if (rfc3339_prefix(s, n, &v, &used) || used != n)
		return -1;
	*ns = v;
	return 0;
}

static char *put_digits(char *p, int64_t v, int width)
{
	for (int i = width - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + width;
}

/* "YYYY-MM-DDTHH:MM:SS" of a whole second. */
static void format_second(int64_t secs, char *out)
{
	int64_t days = secs / 86400, rem = secs % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	int64_t y;
	unsigned m, d;
	time_civil_from_days(days, &y, &m, &d);
	char *p = put_digits(out, y, 4);
	*p++ = '-';
	p = put_digits(p, m, 2);
	*p++ = '-';
	p = put_digits(p, d, 2);
	*p++ = 'T';
	p = put_digits(p, rem / 3600, 2);
	*p++ = ':';
	p = put_digits(p, rem / 60 % 60, 2);
	*p++ = ':';
	put_digits(p, rem % 60, 2);
}

/* Hand-formatted: snprintf was the largest cost of writing an event. The
 * calendar part is cached per thread, because consecutive events mostly
 * fall in the same second. */
void time_format_rfc3339(int64_t ns, char out[WARD_RFC3339_LEN])
{
	enum { SECOND_LEN = 19 };
	static _Thread_local int64_t cached_secs = INT64_MIN;
	static _Thread_local char cached[SECOND_LEN];
	int64_t secs = ns / NS_PER_SEC, frac = ns % NS_PER_SEC;
	if (frac < 0) {
		frac += NS_PER_SEC;
		secs--;
	}
	if (secs != cached_secs) {
		format_second(secs, cached);
		cached_secs = secs;
	}
	memcpy(out, cached, SECOND_LEN);
	char *p = out + SECOND_LEN;
	*p++ = '.';
	/* whole seconds (syslog's times) skip nine divisions */
	if (frac == 0) {
		memcpy(p, "000000000", 9);
		p += 9;
	} else {
		p = put_digits(p, frac, 9);
	}
	*p++ = 'Z';
	*p = '\0';
}

/* The three bytes at s as one number: twelve integer compares instead of
 * twelve strncmp calls (a tenth of the cost of every BSD syslog line). */
#define MONTH3(a, b, c) ((unsigned)(a) << 16 | (unsigned)(b) << 8 | (unsigned)(c))

static int month_index(const char *s)
{
	static const unsigned names[12] = {
		MONTH3('J', 'a', 'n'), MONTH3('F', 'e', 'b'), MONTH3('M', 'a', 'r'), MONTH3('A', 'p', 'r'),
		MONTH3('M', 'a', 'y'), MONTH3('J', 'u', 'n'), MONTH3('J', 'u', 'l'), MONTH3('A', 'u', 'g'),
		MONTH3('S', 'e', 'p'), MONTH3('O', 'c', 't'), MONTH3('N', 'o', 'v'), MONTH3('D', 'e', 'c'),
	};
	unsigned v = MONTH3((unsigned char)s[0], (unsigned char)s[1], (unsigned char)s[2]);
	for (int m = 0; m < 12; m++)
		if (names[m] == v)
			return m + 1;
	return 0;
}

/* The civil year of a time, cached per thread by day: the reference of
 * syslog times is the same for every line of a file or a second. */
static int64_t year_of(int64_t ns)
{
	static _Thread_local int64_t last_day = INT64_MIN, last_year;
	int64_t day = ns / NS_PER_DAY - (ns % NS_PER_DAY < 0);
	if (day != last_day) {
		unsigned m, d;
		time_civil_from_days(day, &last_year, &m, &d);
		last_day = day;
	}
	return last_year;
}

int time_parse_syslog(const char *s, size_t n, int64_t now_ns, int64_t *ns, size_t *consumed)
{
	if (n < 14)	/* "Nov 2 08:43:52" */
		return -1;
	int mo = month_index(s);
	if (!mo || s[3] != ' ')
		return -1;
	size_t i = 4;
	unsigned d, h, mi, sec;
	if (s[i] == ' ')
		i++;	/* "Nov  2", as syslog pads */
	/* "Nov 2" too (some senders and journald exports do not pad) */
	if (digits(s, n, &i, i + 1 < n && s[i + 1] == ' ' ? 1 : 2, &d))
		return -1;
	if (expect(s, n, &i, ' ') || digits(s, n, &i, 2, &h) || expect(s, n, &i, ':') ||
	    digits(s, n, &i, 2, &mi) || expect(s, n, &i, ':') || digits(s, n, &i, 2, &sec))
		return -1;
	int64_t frac = 0;	/* some daemons log milliseconds */
	if (i < n && s[i] == '.') {
		size_t j = i + 1;
		int nd = 0;
		while (j < n && is_digit((unsigned char)s[j]) && nd < 9) {
			frac = frac * 10 + (s[j++] - '0');
			nd++;
		}
		if (nd > 0) {
			while (nd++ < 9)
				frac *= 10;
			i = j;
		}
	}
	/* The latest year a line may be in is the one of now + the grace day
	 * (a sender ahead of us may already be in January). */
	int64_t y = year_of(now_ns <= INT64_MAX - NS_PER_DAY ? now_ns + NS_PER_DAY : now_ns);
	int64_t v;
	/* Feb 29 of a non-leap "current" year belongs to an earlier leap year. */
	for (int back = 0; back < 8; back++, y--) {
		if (civil_to_ns(y, (unsigned)mo, d, h, mi, sec, &v) == 0 && v + frac <= now_ns + NS_PER_DAY) {
			*ns = v + frac;
			*consumed = i;
			return 0;
		}
	}
	return -1;
}

int time_parse_epoch(const char *s, size_t n, int64_t *ns)
{
	size_t i = 0;
	int64_t ip = 0;
	int nd = 0;
	while (i < n && is_digit((unsigned char)s[i])) {
		if (ip > (INT64_MAX - 9) / 10)
			return -1;
		ip = ip * 10 + (s[i++] - '0');
		nd++;
	}
	if (nd == 0)
		return -1;
	if (i < n && s[i] == '.') {
		i++;
		int64_t frac = 0;
		int fd = 0;
		while (i < n && is_digit((unsigned char)s[i])) {
			if (fd < 9) {
				frac = frac * 10 + (s[i] - '0');
				fd++;
			}
			i++;
		}
		if (i != n || ip > INT64_MAX / NS_PER_SEC - 1)
			return -1;
		while (fd++ < 9)
			frac *= 10;
		*ns = ip * NS_PER_SEC + frac;
		return 0;
	}
	if (i != n)
		return -1;
	/* The magnitude decides the unit: < 1e11 seconds (until year 5138),
	 * then milliseconds, microseconds, nanoseconds. */
	int64_t mult = ip < 100000000000LL ? NS_PER_SEC
		     : ip < 100000000000000LL ? 1000000
		     : ip < 100000000000000000LL ? 1000 : 1;
	if (ip > INT64_MAX / mult)
		return -1;
	*ns = ip * mult;
	return 0;
}

/* C's asctime layout, "Thu Sep 30 13:27:06 2021" (the day may be
 * space-padded): in brackets, Apache's error log (apr_ctime, with
 * microseconds since 2.4: "[Thu Sep 30 13:27:06.009964 2021]"); bare, at
 * the start of vsftpd's own log and of xferlog (`Sun Oct 21 08:57:59 2012
 * [pid 2] ...`) and of OpenWrt's logread. */
static int ctime_time(const char *s, size_t n, bool bracket, int64_t *ns, size_t *consumed)
{
	static const char days[] = "MonTueWedThuFriSatSun";
	size_t b = bracket ? 1 : 0;	/* the weekday's offset */
	if (n < 24 + 2 * b || (bracket && s[0] != '[') || s[b + 3] != ' ')
		return -1;
	/* the blank after the month first: a syslog line ("Sep 30 09:...")
	 * has a digit there, and fails at once */
	if (s[b + 7] != ' ')
		return -1;
	int mo = month_index(s + b + 4);
	if (!mo)
		return -1;
	bool day_ok = false;
	for (int k = 0; k < 7 && !day_ok; k++)
		day_ok = memcmp(days + 3 * k, s + b, 3) == 0;
	if (!day_ok)
		return -1;
	size_t i = b + 8;
	unsigned d, h, mi, sec, y;
	bool padded = s[i] == ' ';
	if (padded)
		i++;
	if (digits(s, n, &i, padded ? 1 : 2, &d) || expect(s, n, &i, ' ') ||
	    digits(s, n, &i, 2, &h) || expect(s, n, &i, ':') || digits(s, n, &i, 2, &mi) ||
	    expect(s, n, &i, ':') || digits(s, n, &i, 2, &sec))
		return -1;
	int64_t frac = 0;
	if (i < n && s[i] == '.') {
		i++;
		if (fraction_ns(s, n, &i, &frac) != 0)
			return -1;
	}
	int64_t base;
	if (expect(s, n, &i, ' ') || digits(s, n, &i, 4, &y) || (bracket && expect(s, n, &i, ']')) ||
	    civil_to_ns(y, (unsigned)mo, d, h, mi, sec, &base))
		return -1;
	*ns = base + frac;
	*consumed = i;
	return 0;
}

/* The access log's %t: "10/Oct/2000:13:55:36 -0700" (Apache, nginx
 * $time_local), optionally in brackets. */
static int access_time(const char *s, size_t n, bool bracket, int64_t *ns, size_t *consumed)
{
	size_t i = 0;
	unsigned d, y, h, mi, sec, oh, om;
	if (bracket && expect(s, n, &i, '['))
		return -1;
	if (digits(s, n, &i, 2, &d) || expect(s, n, &i, '/') || i + 4 > n)
		return -1;
	int mo = month_index(s + i);
	if (!mo)
		return -1;
	i += 3;
	if (expect(s, n, &i, '/') || digits(s, n, &i, 4, &y) || expect(s, n, &i, ':') ||
	    digits(s, n, &i, 2, &h) || expect(s, n, &i, ':') || digits(s, n, &i, 2, &mi) ||
	    expect(s, n, &i, ':') || digits(s, n, &i, 2, &sec) || expect(s, n, &i, ' ') || i >= n ||
	    (s[i] != '+' && s[i] != '-'))
		return -1;
	int sign = s[i++] == '-' ? -1 : 1;
	int64_t base;
	if (digits(s, n, &i, 2, &oh) || digits(s, n, &i, 2, &om) || oh > 23 || om > 59 ||
	    (bracket && expect(s, n, &i, ']')) || civil_to_ns(y, (unsigned)mo, d, h, mi, sec, &base))
		return -1;
	*ns = base - sign * (int64_t)(oh * 3600 + om * 60) * NS_PER_SEC;
	*consumed = i;
	return 0;
}

int time_parse_access(const char *s, size_t n, int64_t *ns, size_t *consumed)
{
	return access_time(s, n, true, ns, consumed);
}

/* Suricata's fast.log: "07/11/2022-10:29:01.860293" (month first, local
 * time without a zone: read as UTC). */
static int mdy_prefix(const char *s, size_t n, int64_t *ns, size_t *consumed)
{
	size_t i = 0;
	unsigned mo, d, y, h, mi, sec;
	if (digits(s, n, &i, 2, &mo) || expect(s, n, &i, '/') || digits(s, n, &i, 2, &d) ||
	    expect(s, n, &i, '/') || digits(s, n, &i, 4, &y) || expect(s, n, &i, '-') ||
	    digits(s, n, &i, 2, &h) || expect(s, n, &i, ':') || digits(s, n, &i, 2, &mi) ||
	    expect(s, n, &i, ':') || digits(s, n, &i, 2, &sec))
		return -1;
	int64_t frac = 0, base;
	if (i < n && s[i] == '.') {
		i++;
		if (fraction_ns(s, n, &i, &frac) != 0)
			return -1;
	}
	if ((i < n && (is_digit((unsigned char)s[i]) || s[i] == ':')) ||
	    civil_to_ns(y, mo, d, h, mi, sec, &base))
		return -1;
	*ns = base + frac;
	*consumed = i;
	return 0;
}

/* Dispatch on the first byte: the common case (a BSD syslog line) costs one
 * comparison more than parsing that layout alone. */
int time_parse_prefix(const char *s, size_t n, int64_t now_ns, int64_t *ns, size_t *consumed)
{
	if (n == 0)
		return -1;
	unsigned char c = (unsigned char)s[0];
	if (c == '[')
		return ctime_time(s, n, true, ns, consumed) == 0 ? 0
								 : access_time(s, n, true, ns, consumed);
	/* a weekday first is asctime's layout; a month first, syslog's */
	if (n > 3 && s[3] == ' ' && ctime_time(s, n, false, ns, consumed) == 0)
		return 0;
	if (c >= 'A' && c <= 'S')	/* Apr ... Sep */
		return time_parse_syslog(s, n, now_ns, ns, consumed);
	if (!is_digit(c))
		return -1;
	if (n > 2 && s[2] == '/')
		return mdy_prefix(s, n, ns, consumed);
	if (iso_prefix(s, n, ns, consumed) == 0)
		return 0;
	size_t end = 0;
	while (end < n && (is_digit((unsigned char)s[end]) || s[end] == '.'))
		end++;
	if (end >= 10 && time_parse_epoch(s, end, ns) == 0) {
		*consumed = end;
		return 0;
	}
	return -1;
}

int time_parse_text(const char *s, size_t n, int64_t now_ns, int64_t *ns)
{
	size_t used;
	while (n > 0 && (s[0] == ' ' || s[0] == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n > 0 && is_digit((unsigned char)s[0]) && time_parse_epoch(s, n, ns) == 0)
		return 0;
	if (access_time(s, n, false, ns, &used) == 0 && used == n)
		return 0;
	return time_parse_prefix(s, n, now_ns, ns, &used) == 0 && used == n ? 0 : -1;
}

/* ---- durations -------------------------------------------------------- */

static int unit_ns(const char *s, size_t n, size_t *i, int64_t *unit)
{
	static const struct { const char *name; int64_t ns; } units[] = {
		{ "ns", 1 }, { "us", 1000 }, { "\xC2\xB5s", 1000 }, { "ms", 1000000 },
		{ "s", NS_PER_SEC }, { "m", 60 * NS_PER_SEC }, { "h", 3600 * NS_PER_SEC },
		{ "d", NS_PER_DAY }, { "w", 7 * NS_PER_DAY }, { "y", 365 * NS_PER_DAY },
	};
	for (size_t k = 0; k < sizeof units / sizeof units[0]; k++) {
		size_t l = strlen(units[k].name);
		/* "m" must not take the "m" of "ms" */
		if (*i + l <= n && memcmp(s + *i, units[k].name, l) == 0 &&
		    !(l == 1 && units[k].name[0] == 'm' && *i + 1 < n && s[*i + 1] == 's')) {
			*i += l;
			*unit = units[k].ns;
			return 0;
		}
	}
	return -1;
}

/* Integer arithmetic throughout: durations near the int64 limit must
 * round-trip through duration_format exactly, which doubles cannot do. */
int duration_parse(const char *s, size_t n, int64_t *ns)
{
	size_t i = 0;
	__int128 total = 0;
	if (n == 0)
		return -1;
	if (n == 1 && s[0] == '0') {	/* Prometheus accepts a bare 0 */
		*ns = 0;
		return 0;
	}
	while (i < n) {
		int64_t whole = 0, frac = 0, scale = 1;
		int nd = 0;
		while (i < n && is_digit((unsigned char)s[i])) {
			if (whole > (INT64_MAX - 9) / 10)
				return -1;
			whole = whole * 10 + (s[i++] - '0');
			nd++;
		}
		if (i < n && s[i] == '.') {
			i++;
			while (i < n && is_digit((unsigned char)s[i])) {
				if (scale < 1000000000000000LL) {
					frac = frac * 10 + (s[i] - '0');
					scale *= 10;
				}
				i++;
				nd++;
			}
		}
		int64_t unit;
		if (nd == 0 || unit_ns(s, n, &i, &unit) != 0)
			return -1;
		total += (__int128)whole * unit + ((__int128)frac * unit + scale / 2) / scale;
		if (total > INT64_MAX)
			return -1;
	}
	*ns = (int64_t)total;
	return 0;
}

void duration_format(int64_t ns, char *out, size_t outlen)
{
	static const struct { char name[3]; int64_t ns; } units[] = {
		{ "d", NS_PER_DAY }, { "h", 3600 * NS_PER_SEC }, { "m", 60 * NS_PER_SEC },
		{ "s", NS_PER_SEC }, { "ms", 1000000 }, { "us", 1000 }, { "ns", 1 },
	};
	size_t used = 0;
	if (outlen == 0)
		return;
	out[0] = '\0';
	if (ns <= 0) {
		snprintf(out, outlen, ns == 0 ? "0s" : "-");
		return;
	}
	for (size_t k = 0; k < sizeof units / sizeof units[0] && ns > 0; k++) {
		int64_t q = ns / units[k].ns;
		if (q == 0)
			continue;
		int w = snprintf(out + used, outlen - used, "%lld%s", (long long)q, units[k].name);
		if (w < 0 || (size_t)w >= outlen - used)
			return;
		used += (size_t)w;
		ns -= q * units[k].ns;
	}
}

void duration_format_human(int64_t ns, char *out, size_t outlen)
{
	if (ns <= 0)
		ns = 0;
	else if (ns < NS_PER_SEC)
		ns = ns < 500000 ? 1000000 : (ns + 500000) / 1000000 * 1000000;
	else
		ns = ns > INT64_MAX - NS_PER_SEC ? ns : (ns + NS_PER_SEC / 2) / NS_PER_SEC * NS_PER_SEC;
	duration_format(ns, out, outlen);
}

int64_t time_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

int64_t time_mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}
