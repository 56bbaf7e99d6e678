/* fmt.c - see fmt.h. */
#include "stages/report/fmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wtime.h"

void fmt_time(int64_t ns, bool with_date, char *out, size_t outlen)
{
	char t[WARD_RFC3339_LEN];
	if (ns == WARD_TS_NONE) {
		snprintf(out, outlen, "-");
		return;
	}
	time_format_rfc3339(ns, t);	/* 2026-11-28T08:43:52.123456789Z */
	if (with_date)
		snprintf(out, outlen, "%.10s %.8sZ", t, t + 11);
	else
		snprintf(out, outlen, "%.8s", t + 11);
}

void fmt_num(double v, char *out, size_t outlen)
{
	if (!isfinite(v))
		snprintf(out, outlen, "%s", isnan(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf");
	else if (v == floor(v) && fabs(v) < 1e15)
		snprintf(out, outlen, "%.0f", v);
	else
		snprintf(out, outlen, "%.3g", v);
}

bool fmt_multi_day(const struct report *r)
{
	if (r->t_min == WARD_TS_NONE)
		return false;
	char a[WARD_RFC3339_LEN], b[WARD_RFC3339_LEN];
	time_format_rfc3339(r->t_min, a);
	time_format_rfc3339(r->t_max, b);
	return strncmp(a, b, 10) != 0;
}

void report_summary(const struct report *r, struct rp_summary *s)
{
	memset(s, 0, sizeof *s);
	for (size_t i = 0; i < r->nalerts; i++) {
		const char *st = r->alerts[i].state;
		if (report_alert_fires(&r->alerts[i]))
			s->alerts++;
		else if (strcmp(st, "pending") == 0)
			s->pending++;
		else
			s->resolved++;
	}
	size_t n;
	free(report_groups(r, 's', &n));
	s->sources = n;
	for (size_t i = 0; i < r->nactions; i++) {
		const struct rp_action *a = &r->actions[i];
		const char *res = a->result ? a->result : "";
		const char *kind = a->kind ? a->kind : "";
		if (strcmp(res, "refused") == 0 || strcmp(kind, "refuse") == 0)
			s->refused++;
		else if (strcmp(res, "failed") == 0 || strcmp(kind, "error") == 0)
			s->failed++;
		else if (strcmp(res, "dry-run") == 0 || (!a->result && a->dry_run))
			s->dry_run++;
		else if (strcmp(kind, "ban") == 0 && strcmp(res, "applied") == 0)
			s->bans++;
		else
			s->other_actions++;
	}
}
