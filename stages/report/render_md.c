/* render_md.c - the report as Markdown (GitHub-flavoured tables). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stages/report/escape.h"
#include "stages/report/fmt.h"
#include "stages/report/report.h"
#include "stages/report/table.h"
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

/* "## title", the header, then at most MD_MAX_ROWS rows: event text
 * escaped, a name or address as code. */
static void md_table(const struct report *r, enum table_id id, struct ward_buf *out)
{
	struct table t;
	table_open(&t, r, id);
	buf_printf(out, "## %s\n\n|", t.title);
	for (size_t c = 0; c < t.ncols; c++)
		buf_printf(out, " %s |", t.cols[c].name);
	buf_append_str(out, "\n|");
	for (size_t c = 0; c < t.ncols; c++)
		buf_append_str(out, t.cols[c].num ? "--:|" : "---|");
	buf_append_char(out, '\n');
	struct table_row row;
	for (size_t i = 0; i < t.nrows && i < MD_MAX_ROWS; i++) {
		table_row(&t, i, CELL, &row);
		buf_append_char(out, '|');
		for (size_t c = 0; c < t.ncols; c++) {
			const struct table_cell *x = &row.cells[c];
			buf_append_char(out, ' ');
			if (x->kind == TABLE_TEXT)
				esc_md(out, x->text, x->md_max);
			else if (x->kind == TABLE_CODE)
				esc_md_code(out, x->text, x->md_max);
			else
				buf_append_str(out, x->text);
			buf_append_str(out, " |");
		}
		buf_append_char(out, '\n');
	}
	if (t.nrows == 0) {
		buf_append_str(out, "| (none) |");
		for (size_t c = 1; c < t.ncols; c++)
			buf_append_str(out, " |");
		buf_append_char(out, '\n');
	}
	if (t.nrows > MD_MAX_ROWS)
		buf_printf(out, "\n%zu more not shown.\n", t.nrows - MD_MAX_ROWS);
	buf_append_char(out, '\n');
	table_close(&t);
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
	md_table(r, TABLE_RULES, out);
	md_table(r, TABLE_SOURCES, out);
	md_table(r, TABLE_ACTIONS, out);
	md_timeline(r, out);
	md_evidence(r, out);
	if (r->not_kept)
		buf_printf(out, "%llu alerts, actions or series points over the report's limits were counted "
			   "but not shown.\n", (unsigned long long)r->not_kept);
}
