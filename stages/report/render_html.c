/* render_html.c - the report as one self-contained HTML file: inline CSS
 * and inline SVG charts, no script, nothing fetched. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stages/report/escape.h"
#include "stages/report/fmt.h"
#include "stages/report/report.h"
#include "stages/report/table.h"
#include "wtime.h"

#define ROWS 500
#define CELL 200
#define W 760		/* chart width */
#define ML 60		/* left margin (axis labels) */
#define MR 20
#define MT 34		/* top margin (legend) */
#define MB 34
#define TOP_LINES 6	/* keys drawn per rate chart */
#define TIMELINE_ROWS 15
#define TOP_TALKERS 10

static const char *const palette[] = { "#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b",
				       "#e377c2", "#17becf", "#bcbd22" };
#define NCOLORS (sizeof palette / sizeof palette[0])

static const char css[] =
	"body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;background:#f6f7f9;color:#1d2330}"
	"main{max-width:900px;margin:0 auto;padding:24px}"
	"h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #d9dde3;padding-bottom:4px}"
	"h3{font-size:15px;margin:16px 0 4px}.meta{color:#5b6475;margin:0 0 16px}"
	".cards{display:flex;flex-wrap:wrap;gap:10px}.card{background:#fff;border:1px solid #d9dde3;border-radius:6px;padding:10px 14px;min-width:120px}"
	".card b{display:block;font-size:24px}.card span{color:#5b6475;font-size:12px}"
	"table{border-collapse:collapse;width:100%;background:#fff;font-size:13px}"
	"th,td{border:1px solid #d9dde3;padding:4px 6px;text-align:left;vertical-align:top}th{background:#eef0f4}"
	"td.n{text-align:right;font-variant-numeric:tabular-nums}code{font-size:12px;word-break:break-all}"
	"svg{background:#fff;border:1px solid #d9dde3;border-radius:6px;display:block;margin:6px 0}"
	"svg text{font:11px system-ui,sans-serif;fill:#1d2330}.muted{color:#5b6475}";

struct scale {
	int64_t t0, t1;
	double vmax;
	int w, h;
	int ml;		/* left margin */
};

/* The smallest 1, 2 or 5 times a power of ten at or above v, so the axis
 * ticks are round numbers. */
static double nice_max(double v)
{
	if (v <= 0)
		return 1;
	double p = pow(10, floor(log10(v)));
	return v <= p ? p : v <= 2 * p ? 2 * p : v <= 5 * p ? 5 * p : 10 * p;
}

static double sx(const struct scale *s, int64_t t)
{
	/* In double: times from events can be far apart (years 1 to 9999). */
	double span = (double)s->t1 - (double)s->t0;
	return s->ml + (span > 0 ? ((double)t - (double)s->t0) / span : 0.5) * (s->w - s->ml - MR);
}

static double sy(const struct scale *s, double v)
{
	return s->h - MB - (s->vmax > 0 ? v / s->vmax : 0) * (s->h - MT - MB);
}

static void pad_range(int64_t *t0, int64_t *t1)
{
	if ((double)*t1 - (double)*t0 < 10.0 * NS_PER_SEC) {	/* one instant: give it room */
		*t0 = *t0 > INT64_MIN + 30 * NS_PER_SEC ? *t0 - 30 * NS_PER_SEC : INT64_MIN;
		*t1 = *t1 < INT64_MAX - 30 * NS_PER_SEC ? *t1 + 30 * NS_PER_SEC : INT64_MAX;
	}
}

static void time_range(const struct report *r, int64_t *t0, int64_t *t1)
{
	*t0 = r->t_min == WARD_TS_NONE ? 0 : r->t_min;
	*t1 = r->t_max == WARD_TS_NONE ? 0 : r->t_max;
	pad_range(t0, t1);
}

static void x_axis(struct ward_buf *out, const struct scale *s, bool days)
{
	int y = s->h - MB;
	buf_printf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>", s->ml, y, s->w - MR, y);
	for (int i = 0; i <= 4; i++) {
		double d = (double)s->t0 + ((double)s->t1 - (double)s->t0) / 4 * i;
		int64_t t = d >= 9.2e18 ? INT64_MAX : d <= -9.2e18 ? INT64_MIN : (int64_t)d;
		char lab[40];
		fmt_time(t, days && i == 0, lab, sizeof lab);
		double x = sx(s, t);
		buf_printf(out, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#888\"/>"
			   "<text x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">%s</text>", x, y, x, y + 4, x, y + 17,
			   i == 0 ? "start" : i == 4 ? "end" : "middle", lab);
	}
}

static void y_axis(struct ward_buf *out, const struct scale *s)
{
	for (int i = 0; i <= 4; i++) {
		double v = s->vmax / 4 * i, y = sy(s, v);
		char lab[32];
		fmt_num(v, lab, sizeof lab);
		buf_printf(out, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>"
			   "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>", ML, y, s->w - MR, y, ML - 6,
			   y + 4, lab);
	}
}

static void legend_item(struct ward_buf *out, int *x, const char *color, const char *label)
{
	buf_printf(out, "<rect x=\"%d\" y=\"10\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"19\">",
		   *x, color, *x + 14);
	esc_html(out, label, 28);
	buf_append_str(out, "</text>");
	*x += 24 + 7 * (int)(strlen(label) > 28 ? 29 : strlen(label));
}

/* One line per key of one rule: from the series when there are any,
 * otherwise from the alerts' values. */
struct line {
	const char *key;
	struct rp_point *pts;
	size_t n;
	bool owned;
	double max;
};

static int cmp_line(const void *a, const void *b)
{
	const struct line *x = a, *y = b;
	return x->max > y->max ? -1 : x->max < y->max ? 1 : strcmp(x->key, y->key);
}

static size_t rule_lines(const struct report *r, const char *rule, struct line *lines, size_t cap,
			 double *threshold, bool *has_threshold)
{
	size_t n = 0;
	for (size_t i = 0; i < r->nseries && n < cap; i++) {
		const struct rp_series *s = &r->series[i];
		if (strcmp(s->rule, rule) != 0)
			continue;
		lines[n] = (struct line){ s->key, s->pts, s->len, false, 0 };
		for (size_t k = 0; k < s->len; k++)
			lines[n].max = fmax(lines[n].max, s->pts[k].value);
		if (s->has_threshold)
			*threshold = s->threshold, *has_threshold = true;
		n++;
	}
	if (n > 0)
		return n;
	for (size_t i = 0; i < r->nalerts; i++) {
		const struct rp_alert *a = &r->alerts[i];
		if (strcmp(a->rule, rule) != 0)
			continue;
		const char *key = a->source ? a->source : "-";
		size_t k = 0;
		while (k < n && strcmp(lines[k].key, key) != 0)
			k++;
		if (k == n) {
			if (n == cap)
				continue;
			lines[n++] = (struct line){ key, NULL, 0, true, 0 };
		}
		lines[k].pts = ward_xrealloc(lines[k].pts, (lines[k].n + 1) * sizeof *lines[k].pts);
		lines[k].pts[lines[k].n++] = (struct rp_point){ a->ts, a->value };
		lines[k].max = fmax(lines[k].max, a->value);
		if (a->has_threshold)
			*threshold = a->threshold, *has_threshold = true;
	}
	return n;
}

/* A rule's chart spans its own points: actions and other rules can carry
 * times far from them (a ban is stamped when it happens). */
static void lines_range(const struct report *r, const struct line *lines, size_t n,
			int64_t *t0, int64_t *t1)
{
	bool any = false;
	for (size_t i = 0; i < n && i < TOP_LINES; i++)
		for (size_t k = 0; k < lines[i].n; k++) {
			int64_t ts = lines[i].pts[k].ts;
			if (!any || ts < *t0)
				*t0 = ts;
			if (!any || ts > *t1)
				*t1 = ts;
			any = true;
		}
	if (!any) {
		time_range(r, t0, t1);
		return;
	}
	pad_range(t0, t1);
}

static void rate_chart(const struct report *r, const char *rule, struct ward_buf *out)
{
	enum { CAP = 256 };
	struct line *lines = ward_xcalloc(CAP, sizeof *lines);
	double threshold = 0;
	bool has_th = false;
	size_t n = rule_lines(r, rule, lines, CAP, &threshold, &has_th);
	qsort(lines, n, sizeof *lines, cmp_line);
	struct scale s = { .w = W, .h = 240, .ml = ML };
	lines_range(r, lines, n, &s.t0, &s.t1);
	for (size_t i = 0; i < n && i < TOP_LINES; i++)
		s.vmax = fmax(s.vmax, lines[i].max);
	s.vmax = nice_max(fmax(s.vmax, has_th ? threshold : 0) * 1.1);
	buf_append_str(out, "<h3>");
	esc_html(out, rule, CELL);
	buf_printf(out, "</h3><svg class=\"chart rate\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
		   "role=\"img\" aria-label=\"attack rate\">", s.w, s.h, s.w, s.h);
	y_axis(out, &s);
	x_axis(out, &s, fmt_multi_day(r));
	int lx = ML;
	for (size_t i = 0; i < n && i < TOP_LINES; i++) {
		const char *color = palette[i % NCOLORS];
		buf_printf(out, "<polyline class=\"series\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"", color);
		for (size_t k = 0; k < lines[i].n; k++)
			buf_printf(out, "%.1f,%.1f ", sx(&s, lines[i].pts[k].ts), sy(&s, lines[i].pts[k].value));
		buf_append_str(out, "\"/>");
		for (size_t k = 0; k < lines[i].n && lines[i].n <= 80; k++)
			buf_printf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>",
				   sx(&s, lines[i].pts[k].ts), sy(&s, lines[i].pts[k].value), color);
		legend_item(out, &lx, color, lines[i].key);
	}
	if (n > TOP_LINES)
		buf_printf(out, "<text x=\"%d\" y=\"19\" class=\"muted\">+%zu more</text>", lx, n - TOP_LINES);
	if (has_th) {
		char th[32];
		fmt_num(threshold, th, sizeof th);
		double y = sy(&s, threshold);
		buf_printf(out, "<line class=\"threshold\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#d62728\" "
			   "stroke-width=\"2\" stroke-dasharray=\"8 4\"/><text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" "
			   "fill=\"#d62728\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">threshold %s</text>", ML, y, s.w - MR, y, s.w - MR, y - 4, th);
	}
	buf_append_str(out, "</svg>");
	for (size_t i = 0; i < n; i++)
		if (lines[i].owned)
			free(lines[i].pts);
	free(lines);
}

static void top_talkers(const struct report *r, struct ward_buf *out)
{
	size_t n;
	struct rp_group *g = report_groups(r, 's', &n);
	size_t shown = n < TOP_TALKERS ? n : TOP_TALKERS;
	/* Ranked by the sum of their alerts' values (SYNs of a flood, failed
	 * passwords): the workshop's value_counts().head(). */
	for (size_t i = 0; i < shown; i++)
		for (size_t j = i + 1; j < n; j++)
			if (g[j].volume > g[i].volume) {
				struct rp_group t = g[i];
				g[i] = g[j];
				g[j] = t;
			}
	int h = MT + (int)shown * 24 + 10;
	double vmax = 1;
	for (size_t i = 0; i < shown; i++)
		vmax = fmax(vmax, g[i].volume);
	buf_printf(out, "<svg class=\"chart bars\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
		   "aria-label=\"top talkers\"><text x=\"10\" y=\"20\" class=\"muted\">sum of the alert values "
		   "per source (SYNs, failed passwords, requests...)</text>", W, h, W, h);
	for (size_t i = 0; i < shown; i++) {
		int y = MT + (int)i * 24;
		double bw = g[i].volume / vmax * (W - 200 - 60);
		char vol[32];
		fmt_num(g[i].volume, vol, sizeof vol);
		buf_printf(out, "<text x=\"190\" y=\"%d\" text-anchor=\"end\">", y + 14);
		esc_html(out, g[i].name, 30);
		buf_printf(out, "</text><rect class=\"bar\" x=\"200\" y=\"%d\" width=\"%.1f\" height=\"18\" fill=\"%s\"/>"
			   "<text x=\"%.1f\" y=\"%d\">%s</text>", y, bw > 1 ? bw : 1, palette[0], 206 + bw, y + 14, vol);
	}
	buf_append_str(out, "</svg>");
	free(g);
}

static size_t rule_color(struct rp_group *rules, size_t nrules, const char *rule)
{
	for (size_t i = 0; i < nrules; i++)
		if (strcmp(rules[i].name, rule) == 0)
			return i % NCOLORS;
	return 0;
}

static void timeline(const struct report *r, struct ward_buf *out)
{
	size_t nsrc, nrules;
	struct rp_group *src = report_groups(r, 's', &nsrc), *rules = report_groups(r, 'r', &nrules);
	size_t rows = nsrc < TIMELINE_ROWS ? nsrc : TIMELINE_ROWS;
	struct scale s = { .w = W, .h = MT + (int)rows * 22 + MB + 6, .vmax = 1, .ml = 150 };
	time_range(r, &s.t0, &s.t1);
	buf_printf(out, "<svg class=\"chart timeline\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
		   "aria-label=\"timeline\">", s.w, s.h, s.w, s.h);
	x_axis(out, &s, fmt_multi_day(r));
	int lx = 10;
	for (size_t i = 0; i < nrules && i < NCOLORS; i++)
		legend_item(out, &lx, palette[i], rules[i].name);

	for (size_t row = 0; row < rows; row++) {
		double y = MT + (double)row * 22 + 11;
		buf_printf(out, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#f0f0f0\"/>"
			   "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">", s.ml, y, s.w - MR, y, s.ml - 6, y + 4);
		esc_html(out, src[row].name, 22);
		buf_append_str(out, "</text>");
		/* Actions under the alerts: a ban 2 ms after its alert would hide it. */
		for (size_t i = 0; i < r->nactions; i++) {
			const struct rp_action *a = &r->actions[i];
			if (!a->target || strcmp(a->target, src[row].name) != 0)
				continue;
			double x = sx(&s, a->ts);
			if (a->result && strcmp(a->result, "refused") == 0)
				buf_printf(out, "<rect class=\"refused\" x=\"%.1f\" y=\"%.1f\" width=\"16\" height=\"16\" "
					   "fill=\"none\" stroke=\"#777\" stroke-width=\"1.5\"/>", x - 8, y - 8);
			else
				buf_printf(out, "<path class=\"ban\" d=\"M%.1f %.1fl9 -9l9 9l-9 9z\" fill=\"%s\" "
					   "stroke=\"#d62728\" stroke-width=\"1.5\"/>", x - 9, y,
					   a->dry_run ? "#fff" : "#fbd0d0");
		}
		for (size_t i = 0; i < r->nalerts; i++) {
			const struct rp_alert *a = &r->alerts[i];
			if (a->source && report_alert_fires(a) && strcmp(a->source, src[row].name) == 0)
				buf_printf(out, "<circle class=\"alert\" cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\" fill=\"%s\"/>",
					   sx(&s, a->ts), y, palette[rule_color(rules, nrules, a->rule)]);
		}
	}
	buf_append_str(out, "</svg>");
	buf_append_str(out, "<p class=\"muted\">Dots: alerts, coloured by rule. Around them: "
		       "<span style=\"color:#d62728\">&#9670;</span> ban applied, "
		       "<span style=\"color:#d62728\">&#9671;</span> dry run, &#9633; refused.</p>");
	if (nsrc > rows)
		buf_printf(out, "<p class=\"muted\">The %zu sources with the most alerts; %zu more in the table "
			   "below.</p>", rows, nsrc - rows);
	free(src);
	free(rules);
}

static void card(struct ward_buf *out, size_t n, const char *what)
{
	buf_printf(out, "<div class=\"card\"><b>%zu</b><span>%s</span></div>", n, what);
}

static void html_summary(const struct report *r, struct ward_buf *out)
{
	struct rp_summary s;
	report_summary(r, &s);
	size_t n, ssh = 0, sqli = 0;
	struct rp_group *g = report_groups(r, 'r', &n);
	for (size_t i = 0; i < n; i++) {
		const char *c = report_category(g[i].name);
		ssh += strcmp(c, "SSH") == 0 ? g[i].alerts : 0;
		sqli += strcmp(c, "SQL injection") == 0 ? g[i].alerts : 0;
	}
	free(g);
	buf_append_str(out, "<div class=\"cards\">");
	card(out, s.alerts, "alerts");
	card(out, s.sources, "sources");
	card(out, ssh, "SSH alerts");
	card(out, sqli, "SQL injection alerts");
	card(out, s.bans, "bans applied");
	card(out, s.dry_run, "dry-run actions");
	card(out, s.refused, "refused");
	buf_append_str(out, "</div>");
}

static void cell(struct ward_buf *out, const char *s, bool code)
{
	buf_append_str(out, code ? "<td><code>" : "<td>");
	esc_html(out, s ? s : "-", CELL);
	buf_append_str(out, code ? "</code></td>" : "</td>");
}

/* <h2>title</h2> and the table, at most ROWS rows: event text escaped
 * (whole CELL bytes), numbers right-aligned. */
static void html_table(const struct report *r, enum table_id id, struct ward_buf *out)
{
	struct table t;
	table_open(&t, r, id);
	buf_printf(out, "<h2>%s</h2><table><tr>", t.title);
	for (size_t c = 0; c < t.ncols; c++)
		buf_printf(out, "<th>%s</th>", t.cols[c].name);
	buf_append_str(out, "</tr>");
	struct table_row row;
	for (size_t i = 0; i < t.nrows && i < ROWS; i++) {
		table_row(&t, i, CELL, &row);
		buf_append_str(out, "<tr>");
		for (size_t c = 0; c < t.ncols; c++) {
			const struct table_cell *x = &row.cells[c];
			if (x->kind == TABLE_TEXT || x->kind == TABLE_CODE)
				cell(out, x->text, x->kind == TABLE_CODE);
			else
				buf_printf(out, "<td%s>%s</td>", x->kind == TABLE_NUM ? " class=\"n\"" : "", x->text);
		}
		buf_append_str(out, "</tr>");
	}
	if (t.nrows == 0)
		buf_printf(out, "<tr><td colspan=\"%zu\" class=\"muted\">%s</td></tr>", t.ncols, t.none);
	buf_append_str(out, "</table>");
	if (t.nrows > ROWS)
		buf_printf(out, "<p class=\"muted\">%zu more not shown.</p>", t.nrows - ROWS);
	table_close(&t);
}

static void html_evidence(const struct report *r, struct ward_buf *out)
{
	size_t n;
	struct rp_group *g = report_groups(r, 'r', &n);
	buf_append_str(out, "<h2>Evidence</h2><table><tr><th>rule</th><th>first evidence line</th></tr>");
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < r->nalerts; k++) {
			const struct rp_alert *a = &r->alerts[k];
			if (strcmp(a->rule, g[i].name) != 0 || !a->evidence)
				continue;
			buf_append_str(out, "<tr>");
			cell(out, a->rule, false);
			cell(out, a->evidence, true);
			buf_append_str(out, "</tr>");
			break;
		}
	buf_append_str(out, "</table>");
	free(g);
}

void report_html(const struct report *r, const struct report_meta *m, struct ward_buf *out)
{
	char gen[40], a[40], b[40];
	fmt_time(m->generated_ns, true, gen, sizeof gen);
	fmt_time(r->t_min, true, a, sizeof a);
	fmt_time(r->t_max, true, b, sizeof b);
	buf_append_str(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		       "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
		       "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>");
	esc_html(out, m->title, CELL);
	buf_printf(out, "</title><style>%s</style></head>\n<body><main><h1>", css);
	esc_html(out, m->title, CELL);
	buf_printf(out, "</h1><p class=\"meta\">Generated %s by ward-report. Events from %s to %s.", gen, a, b);
	if (m->inputs) {
		buf_append_str(out, " Input: ");
		esc_html(out, m->inputs, CELL);
		buf_append_char(out, '.');
	}
	buf_append_str(out, "</p>\n");
	html_summary(r, out);
	size_t n;
	struct rp_group *rules = report_groups(r, 'r', &n);
	buf_append_str(out, "\n<h2>Attack rate over time</h2><p class=\"muted\">Per rule: the value per source "
		       "(from <code>ward-window --emit-series</code> when given, else the alerts' values) and the "
		       "rule's threshold.</p>");
	for (size_t i = 0; i < n; i++)
		rate_chart(r, rules[i].name, out);
	if (n == 0)
		buf_append_str(out, "<p class=\"muted\">No alerts.</p>");
	free(rules);
	buf_append_str(out, "\n<h2>Top talkers</h2>");
	top_talkers(r, out);
	buf_append_str(out, "\n<h2>Timeline of alerts and bans</h2>");
	timeline(r, out);
	buf_append_char(out, '\n');
	html_table(r, TABLE_RULES, out);
	html_table(r, TABLE_SOURCES, out);
	html_table(r, TABLE_ACTIONS, out);
	html_evidence(r, out);
	buf_append_str(out, "\n</main></body></html>\n");
}
