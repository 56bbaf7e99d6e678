/* render_md.c - the report as Markdown (GitHub-flavoured tables). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stages/report/escape.h"
#include "stages/report/fmt.h"
#include "stages/report/report.h"
#include "wtime.h"

#define MD_MAX_ROWS 500
#define CELL 200	/* bytes of event text per table cell */

static void md_header(const struct report *r, const struct report_meta *m, struct ward_buf *out)
{
	char gen[40], a[40], b[40];
	fmt_time(m->generated_ns, true, gen, sizeof gen);
	fmt_time(r->t_min, true, a, sizeof a);
	fmt_time(r->t_max, true, b, sizeof b);
	buf_append_str(out, "# ");
	esc_md(out, m->title, CELL);
	buf_printf(out, "\n\nGenerated %s from %s. Events from %s to %s.\n\n", gen, "ward-report", a, b);
	if (m->inputs) {
		buf_append_str(out, "Input: ");
		esc_md(out, m->inputs, CELL);
		buf_append_str(out, "\n\n");
	}
}

static void md_summary(const struct report *r, struct ward_buf *out)
{
	struct rp_summary s;
	report_summary(r, &s);
	char date[40];
	fmt_time(r->t_min, true, date, sizeof date);
	buf_append_str(out, "## Summary\n\n| | |\n|---|---|\n");
	buf_printf(out, "| Date | %.10s |\n", date);
	buf_printf(out, "| Alerts | %zu from %zu sources (and %zu pending, %zu resolved notices) |\n", s.alerts,
		   s.sources, s.pending, s.resolved);
	/* One row per category present, SSH and SQL injection always. */
	static const char *const cats[] = { "SSH", "SQL injection", "Path traversal", "XSS", "Scanner",
					    "Command injection", "SYN flood", "Port scan", "Volume anomaly",
					    "Other" };
	size_t ng;
	struct rp_group *g = report_groups(r, 'r', &ng);
	for (size_t c = 0; c < sizeof cats / sizeof cats[0]; c++) {
		size_t alerts = 0;
		for (size_t i = 0; i < ng; i++)
			if (strcmp(report_category(g[i].name), cats[c]) == 0)
				alerts += g[i].alerts;
		if (alerts || c < 2)
			buf_printf(out, "| %s alerts | %zu |\n", cats[c], alerts);
	}
	free(g);
	buf_printf(out, "| Actions taken | %zu bans applied, %zu dry-run, %zu refused, %zu failed, %zu other |\n",
		   s.bans, s.dry_run, s.refused, s.failed, s.other_actions);
	buf_printf(out, "| Events read | %llu (%zu alerts, %zu actions, %llu others) |\n\n",
		   (unsigned long long)r->events, r->nalerts, r->nactions, (unsigned long long)r->other);
}

static void md_groups(const struct report *r, char kind, struct ward_buf *out)
{
	bool days = fmt_multi_day(r);
	size_t n;
	struct rp_group *g = report_groups(r, kind, &n);
	if (kind == 'r')
		buf_append_str(out, "## Alerts by rule\n\n| rule | category | severity | alerts | sources | "
			       "highest value | first | last |\n|---|---|---|--:|--:|--:|---|---|\n");
	else
		buf_append_str(out, "## Alerts by source\n\n| source | alerts | rules | sum of values | "
			       "first | last | action |\n|---|--:|--:|--:|---|---|---|\n");
	for (size_t i = 0; i < n && i < MD_MAX_ROWS; i++) {
		char first[40], last[40], v[32];
		fmt_time(g[i].first, days, first, sizeof first);
		fmt_time(g[i].last, days, last, sizeof last);
		fmt_num(g[i].max_value, v, sizeof v);
		buf_append_str(out, "| ");
		esc_md_code(out, g[i].name, CELL);
		if (kind == 'r') {
			buf_printf(out, " | %s | ", report_category(g[i].name));
			esc_md(out, g[i].severity ? g[i].severity : "-", 40);
			buf_printf(out, " | %zu | %zu | %s | %s | %s |\n", g[i].alerts, g[i].sources, v, first, last);
		} else {
			char vol[32];
			fmt_num(g[i].volume, vol, sizeof vol);
			buf_printf(out, " | %zu | %zu | %s | %s | %s | ", g[i].alerts, g[i].sources, vol, first, last);
			esc_md(out, g[i].action ? g[i].action : "none", 40);
			buf_append_str(out, " |\n");
		}
	}
	if (n == 0)
		buf_append_str(out, "| (none) | | | | | | |\n");
	if (n > MD_MAX_ROWS)
		buf_printf(out, "\n%zu more not shown.\n", n - MD_MAX_ROWS);
	buf_append_char(out, '\n');
	free(g);
}

static void md_actions(const struct report *r, struct ward_buf *out)
{
	bool days = fmt_multi_day(r);
	buf_append_str(out, "## Actions taken\n\n| time | action | target | result | rule | ttl | backend | reason |\n"
		       "|---|---|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < r->nactions && i < MD_MAX_ROWS; i++) {
		const struct rp_action *a = &r->actions[i];
		char t[40];
		fmt_time(a->ts, days, t, sizeof t);
		buf_printf(out, "| %s | ", t);
		esc_md(out, a->kind ? a->kind : "-", 40);
		buf_append_str(out, " | ");
		esc_md_code(out, a->target ? a->target : "-", CELL);
		const char *cells[] = { a->result, a->rule, a->ttl, a->backend, a->reason };
		for (size_t c = 0; c < sizeof cells / sizeof cells[0]; c++) {
			buf_append_str(out, " | ");
			esc_md(out, cells[c] ? cells[c] : "-", CELL);
		}
		buf_append_str(out, " |\n");
	}
	if (r->nactions == 0)
		buf_append_str(out, "| (none) | | | | | | | |\n");
	if (r->nactions > MD_MAX_ROWS)
		buf_printf(out, "\n%zu more not shown.\n", r->nactions - MD_MAX_ROWS);
	buf_append_char(out, '\n');
}

static void md_timeline(const struct report *r, struct ward_buf *out)
{
	bool days = fmt_multi_day(r);
	buf_append_str(out, "## Timeline\n\n| time | what | source | rule | detail |\n|---|---|---|---|---|\n");
	size_t i = 0, j = 0, rows = 0;
	while ((i < r->nalerts || j < r->nactions) && rows++ < MD_MAX_ROWS) {
		bool alert = j >= r->nactions || (i < r->nalerts && r->alerts[i].ts <= r->actions[j].ts);
		char t[40], v[32], th[32];
		if (alert) {
			const struct rp_alert *a = &r->alerts[i++];
			fmt_time(a->ts, days, t, sizeof t);
			fmt_num(a->value, v, sizeof v);
			fmt_num(a->threshold, th, sizeof th);
			buf_printf(out, "| %s | alert ", t);
			esc_md(out, a->state ? a->state : "firing", 20);
			buf_append_str(out, " | ");
			esc_md_code(out, a->source ? a->source : "-", CELL);
			buf_append_str(out, " | ");
			esc_md(out, a->rule, CELL);
			buf_printf(out, " | value %s", v);
			if (a->has_threshold) {
				buf_append_char(out, ' ');
				esc_md(out, a->op ? a->op : ">", 4);
				buf_printf(out, " %s", th);
			}
			if (a->window) {
				buf_append_str(out, " over ");
				esc_md(out, a->window, 20);
			}
			buf_append_str(out, " |\n");
		} else {
			const struct rp_action *a = &r->actions[j++];
			fmt_time(a->ts, days, t, sizeof t);
			buf_printf(out, "| %s | ", t);
			esc_md(out, a->kind ? a->kind : "action", 20);
			buf_append_str(out, " | ");
			esc_md_code(out, a->target ? a->target : "-", CELL);
			buf_append_str(out, " | ");
			esc_md(out, a->rule ? a->rule : "-", CELL);
			buf_append_str(out, " | ");
			esc_md(out, a->result ? a->result : "-", 40);
			buf_append_str(out, " |\n");
		}
	}
	buf_append_char(out, '\n');
}

static void md_evidence(const struct report *r, struct ward_buf *out)
{
	size_t n;
	struct rp_group *g = report_groups(r, 'r', &n);
	buf_append_str(out, "## Evidence\n\nThe first evidence line of the first alert of each rule.\n\n");
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < r->nalerts; k++) {
			const struct rp_alert *a = &r->alerts[k];
			if (strcmp(a->rule, g[i].name) != 0 || !a->evidence)
				continue;
			buf_append_str(out, "- ");
			esc_md(out, a->rule, CELL);
			buf_append_str(out, ": ");
			esc_md_code(out, a->evidence, 400);
			buf_append_char(out, '\n');
			break;
		}
	}
	buf_append_char(out, '\n');
	free(g);
}

void report_markdown(const struct report *r, const struct report_meta *m, struct ward_buf *out)
{
	md_header(r, m, out);
	md_summary(r, out);
	md_groups(r, 'r', out);
	md_groups(r, 's', out);
	md_actions(r, out);
	md_timeline(r, out);
	md_evidence(r, out);
	if (r->not_kept)
		buf_printf(out, "%llu alerts, actions or series points over the report's limits were counted "
			   "but not shown.\n", (unsigned long long)r->not_kept);
}
