/* logql_tmpl_time.c - Go time layouts (see logql_tmpl_time_int.h). The element
 * table and the parse rules follow Go's time/format.go. */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "logql_tmpl_time_int.h"

enum std {
	S_NONE, S_LONGMONTH, S_MONTH, S_NUMMONTH, S_ZEROMONTH, S_LONGWEEKDAY, S_WEEKDAY,
	S_DAY, S_UNDERDAY, S_ZERODAY, S_UNDERYEARDAY, S_ZEROYEARDAY, S_HOUR, S_HOUR12,
	S_ZEROHOUR12, S_MINUTE, S_ZEROMINUTE, S_SECOND, S_ZEROSECOND, S_LONGYEAR, S_YEAR,
	S_PM, S_LPM, S_TZ,
	/* numeric zones: Z forms print "Z" for UTC */
	S_ISO_TZ, S_ISO_SECTZ, S_ISO_SHORTTZ, S_ISO_COLONTZ, S_ISO_COLONSECTZ,
	S_NUM_TZ, S_NUM_SECTZ, S_NUM_SHORTTZ, S_NUM_COLONTZ, S_NUM_COLONSECTZ,
	S_FRAC0, S_FRAC9,
};

static const char *const long_months[] = { "January", "February", "March", "April", "May", "June",
	"July", "August", "September", "October", "November", "December" };
static const char *const long_days[] = { "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday",
	"Friday", "Saturday" };

struct chunk {
	size_t at, len;	/* position and length of the element in the layout */
	enum std std;
	int frac;	/* digits of S_FRAC0/S_FRAC9 */
	char sep;	/* '.' or ',' before the fraction */
};

static bool has(const char *l, size_t n, size_t i, const char *w)
{
	size_t k = strlen(w);
	return n - i >= k && !memcmp(l + i, w, k);
}

static bool lower_at(const char *l, size_t n, size_t i)
{
	return i < n && l[i] >= 'a' && l[i] <= 'z';
}

static bool digit_at(const char *l, size_t n, size_t i)
{
	return i < n && l[i] >= '0' && l[i] <= '9';
}

static enum std zone_at(const char *l, size_t n, size_t i, size_t *len)
{
	static const struct { const char *w; enum std iso, num; } zones[] = {
		{ "070000", S_ISO_SECTZ, S_NUM_SECTZ }, { "07:00:00", S_ISO_COLONSECTZ, S_NUM_COLONSECTZ },
		{ "0700", S_ISO_TZ, S_NUM_TZ }, { "07:00", S_ISO_COLONTZ, S_NUM_COLONTZ },
		{ "07", S_ISO_SHORTTZ, S_NUM_SHORTTZ },
	};
	for (size_t k = 0; k < sizeof(zones) / sizeof(zones[0]); k++)
		if (has(l, n, i + 1, zones[k].w)) {
			*len = 1 + strlen(zones[k].w);
			return l[i] == 'Z' ? zones[k].iso : zones[k].num;
		}
	return S_NONE;
}

/* The element at l[i], or S_NONE (Go's nextStdChunk, one position). */
static enum std std_at(const char *l, size_t n, size_t i, struct chunk *c)
{
	static const enum std zero_x[] = { S_ZEROMONTH, S_ZERODAY, S_ZEROHOUR12, S_ZEROMINUTE,
					   S_ZEROSECOND, S_YEAR };
	c->len = 1;
	switch (l[i]) {
	case 'J':
		if (has(l, n, i, "January")) return c->len = 7, S_LONGMONTH;
		if (has(l, n, i, "Jan") && !lower_at(l, n, i + 3)) return c->len = 3, S_MONTH;
		break;
	case 'M':
		if (has(l, n, i, "Monday")) return c->len = 6, S_LONGWEEKDAY;
		if (has(l, n, i, "Mon") && !lower_at(l, n, i + 3)) return c->len = 3, S_WEEKDAY;
		if (has(l, n, i, "MST")) return c->len = 3, S_TZ;
		break;
	case '0':
		if (i + 1 < n && l[i + 1] >= '1' && l[i + 1] <= '6') return c->len = 2, zero_x[l[i + 1] - '1'];
		if (has(l, n, i, "002")) return c->len = 3, S_ZEROYEARDAY;
		break;
	case '1':
		if (has(l, n, i, "15")) return c->len = 2, S_HOUR;
		return S_NUMMONTH;
	case '2':
		if (has(l, n, i, "2006")) return c->len = 4, S_LONGYEAR;
		return S_DAY;
	case '_':
		if (has(l, n, i, "_2") && !has(l, n, i, "_2006")) return c->len = 2, S_UNDERDAY;
		if (has(l, n, i, "__2")) return c->len = 3, S_UNDERYEARDAY;
		break;
	case '3': return S_HOUR12;
	case '4': return S_MINUTE;
	case '5': return S_SECOND;
	case 'P': if (has(l, n, i, "PM")) return c->len = 2, S_PM; break;
	case 'p': if (has(l, n, i, "pm")) return c->len = 2, S_LPM; break;
	case '-': case 'Z': return zone_at(l, n, i, &c->len);
	case '.': case ',':
		if (i + 1 < n && (l[i + 1] == '0' || l[i + 1] == '9')) {
			size_t j = i + 1;
			while (j < n && l[j] == l[i + 1])
				j++;
			if (!digit_at(l, n, j)) {
				c->frac = (int)(j - i - 1);
				c->sep = l[i];
				c->len = j - i;
				return l[i + 1] == '0' ? S_FRAC0 : S_FRAC9;
			}
		}
		break;
	default: break;
	}
	return S_NONE;
}

/* The next element at or after l[from]; c->at == n if none. */
static void next_chunk(const char *l, size_t n, size_t from, struct chunk *c)
{
	for (size_t i = from; i < n; i++) {
		c->std = std_at(l, n, i, c);
		if (c->std != S_NONE) {
			c->at = i;
			return;
		}
	}
	c->at = n;
	c->len = 0;
	c->std = S_NONE;
}

/* ---- civil time (Howard Hinnant's algorithms) ------------------------------ */

static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

struct civil {
	int64_t year;
	int month, day, yday, wday, hour, min, sec;
};

static bool leap(int64_t y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static int days_in(int m, int64_t y)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && leap(y) ? 29 : dm[m - 1];
}

static void to_civil(int64_t sec, struct civil *c)
{
	int64_t z = sec >= 0 ? sec / 86400 : -((-sec + 86399) / 86400);
	int64_t rem = sec - z * 86400;
	c->hour = (int)(rem / 3600);
	c->min = (int)(rem / 60 % 60);
	c->sec = (int)(rem % 60);
	c->wday = (int)(((z % 7) + 11) % 7);	/* 1970-01-01 was a Thursday */
	int64_t days = z;
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	c->day = (int)(doy - (153 * mp + 2) / 5 + 1);
	c->month = (int)(mp < 10 ? mp + 3 : mp - 9);
	c->year = yoe + era * 400 + (c->month <= 2);
	c->yday = (int)(days - days_from_civil(c->year, 1, 1)) + 1;
}

/* ---- format ------------------------------------------------------------------ */

static void put_int(struct ward_buf *out, int64_t v, int width, char pad)
{
	char tmp[24];
	size_t k = 0;
	bool neg = v < 0;
	uint64_t u = neg ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do {
		tmp[k++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (neg)
		buf_append_char(out, '-');
	for (int w = (int)k; w < width; w++)
		buf_append_char(out, pad);
	while (k)
		buf_append_char(out, tmp[--k]);
}

static void put_frac(struct ward_buf *out, const struct chunk *c, int32_t nsec)
{
	char d[9];
	for (int k = 8, v = nsec; k >= 0; k--, v /= 10)
		d[k] = (char)('0' + v % 10);
	int nd = c->frac > 9 ? 9 : c->frac;
	if (c->std == S_FRAC9)
		while (nd > 0 && d[nd - 1] == '0')
			nd--;
	if (nd == 0 && c->std == S_FRAC9)
		return;
	buf_append_char(out, c->sep);
	buf_append(out, d, (size_t)nd);
}

static void format_one(struct ward_buf *out, const struct chunk *c, const struct civil *cv,
		       int32_t nsec)
{
	int h12 = cv->hour % 12 ? cv->hour % 12 : 12;
	switch (c->std) {
	case S_LONGMONTH: buf_append_str(out, long_months[cv->month - 1]); break;
	case S_MONTH: buf_append(out, long_months[cv->month - 1], 3); break;
	case S_NUMMONTH: put_int(out, cv->month, 0, '0'); break;
	case S_ZEROMONTH: put_int(out, cv->month, 2, '0'); break;
	case S_LONGWEEKDAY: buf_append_str(out, long_days[cv->wday]); break;
	case S_WEEKDAY: buf_append(out, long_days[cv->wday], 3); break;
	case S_DAY: put_int(out, cv->day, 0, '0'); break;
	case S_UNDERDAY: put_int(out, cv->day, 2, ' '); break;
	case S_ZERODAY: put_int(out, cv->day, 2, '0'); break;
	case S_UNDERYEARDAY: put_int(out, cv->yday, 3, ' '); break;
	case S_ZEROYEARDAY: put_int(out, cv->yday, 3, '0'); break;
	case S_HOUR: put_int(out, cv->hour, 2, '0'); break;
	case S_HOUR12: put_int(out, h12, 0, '0'); break;
	case S_ZEROHOUR12: put_int(out, h12, 2, '0'); break;
	case S_MINUTE: put_int(out, cv->min, 0, '0'); break;
	case S_ZEROMINUTE: put_int(out, cv->min, 2, '0'); break;
	case S_SECOND: put_int(out, cv->sec, 0, '0'); break;
	case S_ZEROSECOND: put_int(out, cv->sec, 2, '0'); break;
	case S_LONGYEAR: put_int(out, cv->year, 4, '0'); break;
	case S_YEAR: put_int(out, ((cv->year % 100) + 100) % 100, 2, '0'); break;
	case S_PM: buf_append_str(out, cv->hour >= 12 ? "PM" : "AM"); break;
	case S_LPM: buf_append_str(out, cv->hour >= 12 ? "pm" : "am"); break;
	case S_TZ: buf_append_str(out, "UTC"); break;
	case S_ISO_TZ: case S_ISO_SECTZ: case S_ISO_SHORTTZ: case S_ISO_COLONTZ: case S_ISO_COLONSECTZ:
		buf_append_char(out, 'Z');
		break;
	case S_NUM_TZ: buf_append_str(out, "+0000"); break;
	case S_NUM_SECTZ: buf_append_str(out, "+000000"); break;
	case S_NUM_SHORTTZ: buf_append_str(out, "+00"); break;
	case S_NUM_COLONTZ: buf_append_str(out, "+00:00"); break;
	case S_NUM_COLONSECTZ: buf_append_str(out, "+00:00:00"); break;
	case S_FRAC0: case S_FRAC9: put_frac(out, c, nsec); break;
	case S_NONE: break;
	}
}

void logql_tmpl_time_format(struct ward_buf *out, const char *layout, size_t ln, struct logql_tmpl_time t)
{
	struct civil cv;
	struct chunk c;
	to_civil(t.sec, &cv);
	for (size_t i = 0; i < ln;) {
		next_chunk(layout, ln, i, &c);
		buf_append(out, layout + i, c.at - i);
		if (c.at == ln)
			break;
		format_one(out, &c, &cv, t.nsec);
		i = c.at + c.len;
	}
}

/* ---- parse ------------------------------------------------------------------- */

struct pstate {
	const char *v;
	size_t n, i;
	int64_t year;
	int month, day, yday, hour, min, sec, pm;	/* pm: 0 unset, 1 am, 2 pm */
	int32_t nsec;
	int64_t zone;	/* seconds east of UTC */
};

/* Go's getnum / getnum3: up to `max` digits, exactly `max` if fixed. */
static bool getnum(struct pstate *p, int max, bool fixed, int *out)
{
	int v = 0, k = 0;
	while (k < max && digit_at(p->v, p->n, p->i + (size_t)k)) {
		v = v * 10 + (p->v[p->i + (size_t)k] - '0');
		k++;
	}
	if (k == 0 || (fixed && k < max))
		return false;
	p->i += (size_t)k;
	*out = v;
	return true;
}

static int lookup(struct pstate *p, const char *const *names, size_t nnames, size_t len)
{
	for (size_t k = 0; k < nnames; k++) {
		size_t l = len ? len : strlen(names[k]);
		if (p->n - p->i >= l && !strncasecmp(p->v + p->i, names[k], l)) {
			p->i += l;
			return (int)k;
		}
	}
	return -1;
}

/* Go's skip: literal text; a space matches a run of spaces. */
static bool skip_literal(struct pstate *p, const char *l, size_t n)
{
	for (size_t i = 0; i < n;) {
		if (l[i] == ' ') {
			if (p->i < p->n && p->v[p->i] != ' ')
				return false;
			while (i < n && l[i] == ' ')
				i++;
			while (p->i < p->n && p->v[p->i] == ' ')
				p->i++;
			continue;
		}
		if (p->i >= p->n || p->v[p->i] != l[i])
			return false;
		i++;
		p->i++;
	}
	return true;
}

static bool parse_frac(struct pstate *p, size_t ndigits)
{
	/* p->v[p->i] is the separator; up to 9 digits count */
	int32_t ns = 0;
	size_t k;
	for (k = 1; k <= ndigits; k++) {
		if (!digit_at(p->v, p->n, p->i + k))
			return false;
		if (k <= 9)
			ns = ns * 10 + (p->v[p->i + k] - '0');
	}
	for (size_t s = ndigits; s < 9; s++)
		ns *= 10;
	p->nsec = ns;
	p->i += ndigits + 1;
	return true;
}

static bool parse_zone(struct pstate *p, enum std std)
{
	static const struct { enum std iso, num; size_t len; int colon; bool secs; } forms[] = {
		{ S_ISO_TZ, S_NUM_TZ, 5, 0, false }, { S_ISO_SECTZ, S_NUM_SECTZ, 7, 0, true },
		{ S_ISO_SHORTTZ, S_NUM_SHORTTZ, 3, 0, false }, { S_ISO_COLONTZ, S_NUM_COLONTZ, 6, 1, false },
		{ S_ISO_COLONSECTZ, S_NUM_COLONSECTZ, 9, 1, true },
	};
	size_t f = 0;
	while (forms[f].iso != std && forms[f].num != std)
		f++;
	if (std == forms[f].iso && p->i < p->n && p->v[p->i] == 'Z') {
		p->i++;
		p->zone = 0;
		return true;
	}
	const char *z = p->v + p->i;
	if (p->n - p->i < forms[f].len || (z[0] != '+' && z[0] != '-'))
		return false;
	int parts[3] = { 0, 0, 0 }, np = forms[f].len == 3 ? 1 : forms[f].secs ? 3 : 2;
	size_t at = 1;
	for (int k = 0; k < np; k++) {
		if (k > 0 && forms[f].colon && z[at++] != ':')
			return false;
		if (!isdigit((unsigned char)z[at]) || !isdigit((unsigned char)z[at + 1]))
			return false;
		parts[k] = (z[at] - '0') * 10 + (z[at + 1] - '0');
		at += 2;
	}
	if (parts[0] > 24 || parts[1] > 60 || parts[2] > 60)
		return false;
	p->zone = (int64_t)(parts[0] * 3600 + parts[1] * 60 + parts[2]) * (z[0] == '-' ? -1 : 1);
	p->i += at;
	return true;
}

static bool parse_tzname(struct pstate *p)
{
	size_t k = 0;
	while (p->i + k < p->n && p->v[p->i + k] >= 'A' && p->v[p->i + k] <= 'Z')
		k++;
	if (k < 3 || k > 5)
		return false;
	p->i += k;	/* an abbreviation other than UTC: offset 0, as Go without tzdata */
	return true;
}

static bool parse_one(struct pstate *p, const struct chunk *c, const char *layout, size_t ln)
{
	int v;
	switch (c->std) {
	case S_YEAR:
		if (!getnum(p, 2, true, &v)) return false;
		p->year = v >= 69 ? v + 1900 : v + 2000;
		return true;
	case S_LONGYEAR:
		if (!getnum(p, 4, true, &v)) return false;
		p->year = v;
		return true;
	case S_MONTH: case S_LONGMONTH:
		return (p->month = lookup(p, long_months, 12, c->std == S_MONTH ? 3 : 0) + 1) > 0;
	case S_NUMMONTH: case S_ZEROMONTH:
		return getnum(p, 2, c->std == S_ZEROMONTH, &p->month) && p->month >= 1 && p->month <= 12;
	case S_WEEKDAY: case S_LONGWEEKDAY:
		return lookup(p, long_days, 7, c->std == S_WEEKDAY ? 3 : 0) >= 0;
	case S_DAY: case S_UNDERDAY: case S_ZERODAY:
		if (c->std == S_UNDERDAY && p->i < p->n && p->v[p->i] == ' ')
			p->i++;
		return getnum(p, 2, c->std == S_ZERODAY, &p->day);
	case S_UNDERYEARDAY: case S_ZEROYEARDAY:
		for (int k = 0; k < 2 && c->std == S_UNDERYEARDAY && p->i < p->n && p->v[p->i] == ' '; k++)
			p->i++;
		return getnum(p, 3, c->std == S_ZEROYEARDAY, &p->yday);
	case S_HOUR:
		return getnum(p, 2, false, &p->hour) && p->hour < 24;
	case S_HOUR12: case S_ZEROHOUR12:
		return getnum(p, 2, c->std == S_ZEROHOUR12, &p->hour) && p->hour <= 12;
	case S_MINUTE: case S_ZEROMINUTE:
		return getnum(p, 2, c->std == S_ZEROMINUTE, &p->min) && p->min < 60;
	case S_SECOND: case S_ZEROSECOND: {
		if (!getnum(p, 2, c->std == S_ZEROSECOND, &p->sec) || p->sec >= 60)
			return false;
		/* a fraction the layout does not mention is read too (Go) */
		struct chunk nx;
		next_chunk(layout, ln, c->at + c->len, &nx);
		if (p->i + 1 < p->n && (p->v[p->i] == '.' || p->v[p->i] == ',') &&
		    digit_at(p->v, p->n, p->i + 1) && nx.std != S_FRAC0 && nx.std != S_FRAC9) {
			size_t k = 1;
			while (digit_at(p->v, p->n, p->i + k))
				k++;
			return parse_frac(p, k - 1);
		}
		return true;
	}
	case S_PM: case S_LPM: {
		if (p->n - p->i < 2) return false;
		const char *pm = c->std == S_PM ? "PM" : "pm", *am = c->std == S_PM ? "AM" : "am";
		p->pm = !memcmp(p->v + p->i, pm, 2) ? 2 : !memcmp(p->v + p->i, am, 2) ? 1 : 0;
		p->i += 2;
		return p->pm != 0;
	}
	case S_TZ:
		if (p->n - p->i >= 3 && !memcmp(p->v + p->i, "UTC", 3)) {
			p->i += 3;
			return true;
		}
		return parse_tzname(p);
	case S_FRAC0:
		if (p->i >= p->n || (p->v[p->i] != '.' && p->v[p->i] != ','))
			return false;
		return parse_frac(p, (size_t)c->frac);
	case S_FRAC9: {
		if (p->i + 1 >= p->n || (p->v[p->i] != '.' && p->v[p->i] != ',') || !digit_at(p->v, p->n, p->i + 1))
			return true;	/* the fraction is optional */
		size_t k = 1;
		while (digit_at(p->v, p->n, p->i + k))
			k++;
		return parse_frac(p, k - 1);
	}
	case S_NONE: return false;
	default: return parse_zone(p, c->std);
	}
}

static bool yday_to_date(struct pstate *p)
{
	if (p->yday < 1 || p->yday > (leap(p->year) ? 366 : 365))
		return false;
	int m = 1, d = p->yday;
	while (d > days_in(m, p->year))
		d -= days_in(m++, p->year);
	if ((p->month >= 0 && p->month != m) || (p->day >= 0 && p->day != d))
		return false;
	p->month = m;
	p->day = d;
	return true;
}

int logql_tmpl_time_parse(const char *layout, size_t ln, const char *s, size_t n, struct logql_tmpl_time *t)
{
	struct pstate p = { s, n, 0, 0, -1, -1, -1, 0, 0, 0, 0, 0, 0 };
	struct chunk c;
	for (size_t i = 0; i <= ln;) {
		next_chunk(layout, ln, i, &c);
		if (!skip_literal(&p, layout + i, c.at - i))
			return -1;
		if (c.at == ln)
			break;
		if (!parse_one(&p, &c, layout, ln))
			return -1;
		i = c.at + c.len;
	}
	if (p.i != p.n)
		return -1;	/* extra text */
	if (p.pm == 2 && p.hour < 12)
		p.hour += 12;
	else if (p.pm == 1 && p.hour == 12)
		p.hour = 0;
	if (p.yday >= 0 && !yday_to_date(&p))
		return -1;
	if (p.month < 0)
		p.month = 1;
	if (p.day < 0)
		p.day = 1;
	if (p.day < 1 || p.day > days_in(p.month, p.year))
		return -1;
	t->sec = days_from_civil(p.year, p.month, p.day) * 86400 + p.hour * 3600 + p.min * 60 + p.sec - p.zone;
	t->nsec = p.nsec;
	return 0;
}
