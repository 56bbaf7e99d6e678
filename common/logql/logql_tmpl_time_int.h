/* logql_tmpl_time_int.h - Go time layouts ("2006-01-02T15:04:05Z07:00") for
 * the template's date, toDate and toDateInZone (internal to
 * logql_template.c).
 *
 * Times are UTC seconds and nanoseconds since the Unix epoch (int64 seconds,
 * so Go's zero time, year 1, is representable). Every layout element of Go's
 * time package is understood, both ways; the only zone is UTC (a zone
 * abbreviation or a numeric offset in the input is read, printed times are
 * UTC). No allocation beyond growing the output buffer. */
#ifndef WARD_LOGQL_TMPL_TIME_INT_H
#define WARD_LOGQL_TMPL_TIME_INT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct logql_tmpl_time {
	int64_t sec;
	int32_t nsec;	/* 0..999999999 */
};

/* Go's time.Time{}: January 1, year 1, 00:00:00 UTC. */
#define TMPL_TIME_ZERO_SEC (-62135596800LL)

/* Append t formatted with Go layout `layout` (time.Time.Format). */
void logql_tmpl_time_format(struct ward_buf *out, const char *layout, size_t ln, struct logql_tmpl_time t);
/* time.Parse(layout, s): 0, or -1 if s does not match the layout or a
 * field is out of range. */
int logql_tmpl_time_parse(const char *layout, size_t ln, const char *s, size_t n, struct logql_tmpl_time *t);

#endif
