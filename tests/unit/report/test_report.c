/* Unit tests: the report model, its aggregates and the escaping of
 * attacker-controlled text in both renderers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "stages/report/escape.h"
#include "stages/report/fmt.h"
#include "stages/report/report.h"
#include "stages/report/table.h"

static void add(struct report *r, const char *json)
{
	struct ward_event ev;
	struct ward_event_parser p;
	char err[128];
	event_init(&ev);
	assert_int_equal(event_parser_init(&p), 0);
	if (event_parse(&ev, &p, json, strlen(json), err, sizeof err) != 0)
		fail_msg("parse: %s: %s", err, json);
	report_add_event(r, &ev);
	event_parser_free(&p);
	event_free(&ev);
}

#define ALERT(ts, rule, ip, value, count) \
	"{\"ts\":\"2026-11-28T08:" ts "Z\",\"fields\":{\"src_ip\":\"" ip "\"},\"alert\":{\"rule\":\"" rule \
	"\",\"state\":\"firing\",\"key\":{\"src_ip\":\"" ip "\"},\"value\":" value ",\"op\":\">\",\"threshold\":5," \
	"\"window\":\"10s\",\"count\":" count ",\"evidence\":[\"line of " ip "\"],\"labels\":{\"severity\":\"high\"}}}"
#define ACTION(ts, ip, result) \
	"{\"ts\":\"2026-11-28T08:" ts "Z\",\"action\":{\"kind\":\"ban\",\"target\":\"" ip "\",\"result\":\"" result \
	"\",\"rule\":\"SSHBruteForce\",\"dry_run\":false}}"

static void build(struct report *r)
{
	report_init(r);
	add(r, ALERT("05:00", "SSHBruteForce", "198.18.0.7", "6", "6"));
	add(r, ACTION("05:01", "198.18.0.7", "applied"));
	add(r, ALERT("03:00", "WebSQLInjection", "198.18.5.5", "3", "3"));
	add(r, ALERT("04:00", "SSHBruteForce", "198.18.1.23", "9", "9"));
	add(r, ALERT("06:00", "WebSQLInjection", "198.18.0.7", "2", "2"));
	add(r, ACTION("04:01", "198.18.1.23", "refused"));
	add(r, "{\"ts\":\"2026-11-28T08:04:00Z\",\"fields\":{\"src_ip\":\"198.18.1.23\"},"
	       "\"series\":{\"rule\":\"SSHBruteForce\",\"value\":4,\"threshold\":5}}");
	add(r, "{\"ts\":\"2026-11-28T08:03:59Z\",\"fields\":{\"src_ip\":\"198.18.1.23\"},"
	       "\"series\":{\"rule\":\"SSHBruteForce\",\"value\":\"3\"}}");
	add(r, "{\"line\":\"an ordinary event\"}");
	/* The same episode's other notices: not counted as alerts. */
	add(r, "{\"ts\":\"2026-11-28T08:04:58Z\",\"alert\":{\"rule\":\"SSHBruteForce\",\"state\":\"pending\","
	       "\"key\":{\"src_ip\":\"198.18.0.7\"},\"value\":6}}");
	add(r, "{\"ts\":\"2026-11-28T08:05:30Z\",\"alert\":{\"rule\":\"SSHBruteForce\",\"state\":\"resolved\","
	       "\"key\":{\"src_ip\":\"198.18.0.7\"},\"value\":0}}");
	report_finish(r);
}

static void test_model(void **state)
{
	(void)state;
	struct report r;
	build(&r);
	assert_int_equal(r.events, 11);
	assert_int_equal(r.nalerts, 6);
	assert_int_equal(r.nactions, 2);
	assert_int_equal(r.nseries, 1);
	assert_int_equal(r.series[0].len, 2);
	assert_true(r.series[0].pts[0].ts < r.series[0].pts[1].ts);	/* sorted */
	assert_true(r.series[0].has_threshold);
	assert_int_equal(r.other, 1);
	assert_string_equal(r.alerts[0].rule, "WebSQLInjection");	/* by time */
	assert_string_equal(r.alerts[5].source, "198.18.0.7");
	assert_string_equal(r.alerts[5].state, "firing");
	assert_string_equal(r.alerts[0].severity, "high");
	assert_string_equal(r.alerts[0].evidence, "line of 198.18.5.5");

	size_t n;
	struct rp_group *g = report_groups(&r, 'r', &n);
	assert_int_equal(n, 2);
	assert_string_equal(g[0].name, "SSHBruteForce");	/* ties: more events first */
	assert_int_equal(g[0].alerts, 2);
	assert_int_equal(g[0].sources, 2);
	assert_true(g[0].volume == 15);
	free(g);
	g = report_groups(&r, 's', &n);
	assert_int_equal(n, 3);
	assert_string_equal(g[0].name, "198.18.0.7");
	assert_int_equal(g[0].alerts, 2);
	assert_int_equal(g[0].sources, 2);	/* two rules */
	assert_string_equal(g[0].action, "applied");
	free(g);

	struct rp_summary s;
	report_summary(&r, &s);
	assert_int_equal(s.alerts, 4);
	assert_int_equal(s.pending, 1);
	assert_int_equal(s.resolved, 1);
	assert_int_equal(s.sources, 3);
	assert_int_equal(s.bans, 1);
	assert_int_equal(s.refused, 1);
	report_free(&r);
}

static void test_categories(void **state)
{
	(void)state;
	assert_string_equal(report_category("SSHBruteForce"), "SSH");
	assert_string_equal(report_category("WebSQLInjection"), "SQL injection");
	assert_string_equal(report_category("web_sqli_union"), "SQL injection");
	assert_string_equal(report_category("WebPathTraversal"), "Path traversal");
	assert_string_equal(report_category("SYNFlood"), "SYN flood");
	assert_string_equal(report_category("PortScan"), "Port scan");
	assert_string_equal(report_category("WebScanner"), "Scanner");
	assert_string_equal(report_category("VolumeAnomaly"), "Volume anomaly");
	assert_string_equal(report_category("Mystery"), "Other");
}

static void test_escape(void **state)
{
	(void)state;
	struct ward_buf b = WARD_BUF_INIT;
	esc_html(&b, "<a href='x'>&\"</a>", 100);
	assert_string_equal(buf_cstr(&b), "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
	buf_reset(&b);
	esc_html(&b, "a\nb\x01" "c\xff" "d\xc3\xa9", 100);	/* control, invalid, valid UTF-8 */
	assert_string_equal(buf_cstr(&b), "a b c\xef\xbf\xbd" "d\xc3\xa9");
	buf_reset(&b);
	esc_html(&b, "abcdef", 3);
	assert_string_equal(buf_cstr(&b), "abc\xe2\x80\xa6");
	buf_reset(&b);
	esc_md(&b, "*x* _y_ [l](javascript:z) | `c` <b> # 1. http://e.x", 200);
	assert_string_equal(buf_cstr(&b), "\\*x\\* \\_y\\_ \\[l\\]\\(javascript\\:z\\) \\| \\`c\\` &lt;b&gt; "
			    "\\# 1\\. http\\://e\\.x");
	buf_reset(&b);
	esc_md_code(&b, "a`b|c", 100);
	assert_string_equal(buf_cstr(&b), "`` a'b\\|c ``");
	buf_free(&b);
}

static void test_markdown_escaped(void **state)
{
	(void)state;
	struct report r;
	report_init(&r);
	add(&r, "{\"ts\":\"2026-11-28T08:00:00Z\",\"alert\":{\"rule\":\"R|<script>x</script>\","
		"\"key\":{\"src_ip\":\"a|b\\nc\"},\"value\":1,\"evidence\":[\"`` | <img>\"]}}");
	report_finish(&r);
	struct report_meta m = { "T <b>|", 0, "in" };
	struct ward_buf b = WARD_BUF_INIT;
	report_markdown(&r, &m, &b);
	const char *md = buf_cstr(&b);
	assert_null(strstr(md, "<b>"));
	assert_non_null(strstr(md, "# T &lt;b&gt;\\|"));
	assert_null(strstr(md, "a|b"));
	assert_non_null(strstr(md, "`` a\\|b c ``"));
	/* every table row keeps its column count: no cell text adds a | */
	for (const char *line = md; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		if (strncmp(line, "| `` R", 6) != 0)
			continue;
		size_t bars = 0;
		for (const char *c = line; *c && *c != '\n'; c++)
			bars += *c == '|' && c[-1] != '\\';
		assert_int_equal(bars, 9);	/* 8 columns */
	}
	buf_free(&b);
	report_free(&r);
}

static void test_html_escaped_and_self_contained(void **state)
{
	(void)state;
	struct report r;
	build(&r);
	add(&r, "{\"ts\":\"2026-11-28T08:07:00Z\",\"alert\":{\"rule\":\"</svg><script>alert(1)</script>\","
		"\"key\":{\"src_ip\":\"\\\"><img src=x onerror=alert(2)>\"},\"value\":1}}");
	report_finish(&r);
	struct report_meta m = { "</title><script>", 0, NULL };
	struct ward_buf b = WARD_BUF_INIT;
	report_html(&r, &m, &b);
	const char *html = buf_cstr(&b);
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<img"));
	assert_null(strstr(html, "http://"));
	assert_null(strstr(html, "https://"));
	assert_non_null(strstr(html, "&lt;/svg&gt;&lt;script&gt;"));
	/* the charts: a rate chart per rule with its threshold, bars, timeline */
	assert_non_null(strstr(html, "class=\"chart rate\""));
	assert_non_null(strstr(html, "class=\"threshold\""));
	assert_non_null(strstr(html, "class=\"chart bars\""));
	assert_non_null(strstr(html, "class=\"chart timeline\""));
	assert_non_null(strstr(html, "class=\"ban\""));
	assert_non_null(strstr(html, "class=\"refused\""));
	buf_free(&b);
	report_free(&r);
}

static void test_empty_report(void **state)
{
	(void)state;
	struct report r;
	report_init(&r);
	report_finish(&r);
	struct report_meta m = { "empty", 0, NULL };
	struct ward_buf b = WARD_BUF_INIT;
	report_markdown(&r, &m, &b);
	assert_non_null(strstr(buf_cstr(&b), "| Alerts | 0 from 0 sources (and 0 pending, 0 resolved notices) |"));
	/* an empty table still has one cell per column */
	assert_non_null(strstr(buf_cstr(&b), "|---|---|---|--:|--:|--:|---|---|\n| (none) | | | | | | | |\n"));
	buf_reset(&b);
	report_html(&r, &m, &b);
	assert_non_null(strstr(buf_cstr(&b), "No alerts."));
	assert_non_null(strstr(buf_cstr(&b), "<tr><td colspan=\"8\" class=\"muted\">no alerts</td></tr></table>"
					     "<h2>Alerts by source</h2>"));
	buf_free(&b);
	report_free(&r);
}

/* The tables' cells, and rows beyond what a renderer shows are announced
 * in both formats. */
static void test_tables(void **state)
{
	(void)state;
	struct report r;
	build(&r);
	struct table t;
	struct table_row row;
	table_open(&t, &r, TABLE_RULES);
	assert_int_equal(t.ncols, 8);
	assert_int_equal(t.nrows, 2);
	table_row(&t, 0, 200, &row);
	assert_string_equal(row.cells[0].text, "SSHBruteForce");
	assert_int_equal(row.cells[0].kind, TABLE_CODE);
	assert_string_equal(row.cells[1].text, "SSH");
	assert_string_equal(row.cells[2].text, "high");
	assert_string_equal(row.cells[3].text, "2");	/* alerts */
	assert_int_equal(row.cells[3].kind, TABLE_NUM);
	assert_string_equal(row.cells[5].text, "9");	/* highest value */
	assert_string_equal(row.cells[6].text, "08:04:00");
	table_close(&t);
	table_open(&t, &r, TABLE_ACTIONS);
	table_row(&t, 0, 200, &row);
	assert_string_equal(row.cells[2].text, "198.18.1.23");
	assert_string_equal(row.cells[3].text, "refused");
	assert_string_equal(row.cells[5].text, "-");	/* no ttl */
	table_close(&t);
	report_free(&r);

	report_init(&r);
	for (int i = 0; i < 502; i++)
		add(&r, ACTION("05:01", "198.18.0.7", "applied"));
	report_finish(&r);
	struct report_meta m = { "many", 0, NULL };
	struct ward_buf b = WARD_BUF_INIT;
	report_markdown(&r, &m, &b);
	assert_non_null(strstr(buf_cstr(&b), "\n2 more not shown.\n"));
	buf_reset(&b);
	report_html(&r, &m, &b);
	assert_non_null(strstr(buf_cstr(&b), "</table><p class=\"muted\">2 more not shown.</p>"));
	buf_free(&b);
	report_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_model),
		cmocka_unit_test(test_categories),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_markdown_escaped),
		cmocka_unit_test(test_html_escaped_and_self_contained),
		cmocka_unit_test(test_empty_report),
		cmocka_unit_test(test_tables),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
