/* fmt.h - small formatting helpers shared by the renderers. */
#ifndef WARD_REPORT_FMT_H
#define WARD_REPORT_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stages/report/report.h"

/* "2026-11-28 08:03:16Z" (with_date) or "08:03:16"; "-" for no time. */
void fmt_time(int64_t ns, bool with_date, char *out, size_t outlen);
/* Shortest decimal text of a value ("6", "0.25"). */
void fmt_num(double v, char *out, size_t outlen);
/* Does the report's time range cross a day (so times need their date)? */
bool fmt_multi_day(const struct report *r);

/* Counts for the summary. */
struct rp_summary {
	size_t alerts, pending, resolved, sources;	/* alerts: the firing ones */
	size_t bans, dry_run, refused, failed, other_actions;
};
void report_summary(const struct report *r, struct rp_summary *s);

#endif
