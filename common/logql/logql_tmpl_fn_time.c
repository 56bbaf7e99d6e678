/* logql_tmpl_fn_time.c - the template functions over times: date,
 * toDate, toDateInZone, now, unixEpoch*, unixToTime, __timestamp__. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "logql_tmpl_int.h"
#include "wtime.h"

static struct logql_tmpl_time from_ns(int64_t ns)
{
	int64_t s = ns / NS_PER_SEC, r = ns % NS_PER_SEC;
	if (r < 0) {
		s--;
		r += NS_PER_SEC;
	}
	return (struct logql_tmpl_time){ s, (int32_t)r };
}

static bool want_time(struct texec *x, const struct tval *v, const char *fn)
{
	if (v->k != K_TIME)
		logql_tmpl_fail(x, "wrong type for value; expected time.Time", fn);
	return v->k == K_TIME;
}

/* sprig's date: a time, an integer (Unix seconds); anything else is now. */
static void fn_date(const struct tval *layout, const struct tval *v, struct tval *out)
{
	struct logql_tmpl_time tm;
	double d;
	if (v->k == K_TIME)
		tm = v->tm;
	else if (v->k == K_NUM && logql_tmpl_parse_float(v->b.data, v->b.len, &d) && d == floor(d) && fabs(d) < 9e15)
		tm = (struct logql_tmpl_time){ (int64_t)d, 0 };
	else
		tm = from_ns(time_now_ns());
	logql_tmpl_time_format(&out->b, layout->b.data, layout->b.len, tm);
}

static void fn_to_date(const struct tval *layout, const struct tval *s, struct tval *out)
{
	struct logql_tmpl_time tm;
	if (logql_tmpl_time_parse(layout->b.data, layout->b.len, s->b.data, s->b.len, &tm) != 0)
		tm = (struct logql_tmpl_time){ TMPL_TIME_ZERO_SEC, 0 };	/* Go's zero time */
	logql_tmpl_set_time(out, tm);
}

static void fn_epoch(struct texec *x, enum fn_id id, const struct tval *v, struct tval *out)
{
	if (!want_time(x, v, "unixEpoch"))
		return;
	uint64_t s = (uint64_t)v->tm.sec, ns = (uint64_t)v->tm.nsec;	/* Go wraps */
	int64_t r = id == F_UNIXEPOCH ? v->tm.sec :
		    id == F_UNIXEPOCHMILLIS ? (int64_t)(s * 1000u + ns / 1000000u) : (int64_t)(s * 1000000000u + ns);
	buf_printf(&out->b, "%" PRId64, r);
}

/* Loki's unixToTime: the unit from the digit count (days, s, ms, us, ns). */
static void fn_unix_to_time(struct texec *x, const struct tval *v, struct tval *out)
{
	static const struct { size_t digits; int64_t sec_mul, ns_mul; } units[] = {
		{ 5, 86400, 0 }, { 10, 1, 0 }, { 13, 0, 1000000 }, { 16, 0, 1000 }, { 19, 0, 1 },
	};
	char tmp[24], *end;
	size_t n = v->b.len;
	if (n == 0 || n >= sizeof(tmp) || isspace((unsigned char)v->b.data[0])) {
		logql_tmpl_fail(x, "unable to parse time", "unixToTime");
		return;
	}
	memcpy(tmp, v->b.data, n);
	tmp[n] = '\0';
	errno = 0;
	long long e = strtoll(tmp, &end, 10);
	for (size_t k = 0; k < sizeof(units) / sizeof(units[0]) && end == tmp + n && errno == 0; k++) {
		if (units[k].digits != n)
			continue;
		if (units[k].sec_mul)
			logql_tmpl_set_time(out, (struct logql_tmpl_time){ (int64_t)((uint64_t)e * (uint64_t)units[k].sec_mul), 0 });
		else
			logql_tmpl_set_time(out, from_ns((int64_t)((uint64_t)e * (uint64_t)units[k].ns_mul)));
		return;
	}
	logql_tmpl_fail(x, "unable to parse time", "unixToTime");
}

static void fn_timestamp(struct texec *x, struct tval *out)
{
	if (x->env->ts_ns != WARD_TS_NONE)
		logql_tmpl_set_time(out, from_ns(x->env->ts_ns));
}

bool logql_tmpl_call_time(struct texec *x, const struct cmd *c, struct tval **a, struct tval *out)
{
	enum fn_id id = logql_tmpl_funcs[c->fn].id;
	switch (id) {
	case F_DATE: fn_date(a[0], a[1], out); break;
	case F_TODATE: fn_to_date(a[0], a[1], out); break;
	/* zones other than UTC are read as UTC (docs/logql.md) */
	case F_TODATEINZONE: fn_to_date(a[0], a[2], out); break;
	case F_NOW: logql_tmpl_set_time(out, from_ns(time_now_ns())); break;
	case F_UNIXEPOCH: case F_UNIXEPOCHMILLIS: case F_UNIXEPOCHNANOS: fn_epoch(x, id, a[0], out); break;
	case F_UNIXTOTIME: fn_unix_to_time(x, a[0], out); break;
	case F_TIMESTAMP: fn_timestamp(x, out); break;
	default: return false;
	}
	return true;
}

