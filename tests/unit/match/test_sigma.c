/* Unit tests: Sigma loading, conditions, value modifiers and the LogQL they
 * compile to - run through the real LogQL engine on events, so each test
 * checks what matches, not only the text. Expected answers follow the Sigma
 * specification 2.0. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "event.h"
#include "logql.h"
#include "rules.h"
#include "stages/match/match.h"
#include "stages/match/sigma.h"

/* Compile one rule document to LogQL; NULL (and err) when refused. */
static char *compile(const char *yaml, char *err, size_t errlen)
{
	struct sigma_rule *rules = NULL;
	size_t n = 0;
	assert_int_equal(sigma_load_buffer(yaml, strlen(yaml), "t.yml", &rules, &n, err, errlen), 0);
	assert_int_equal(n, 1);
	struct ward_buf out = WARD_BUF_INIT;
	char *res = NULL;
	if (sigma_to_logql(&rules[0], &out, err, errlen) == 0)
		res = ward_xstrdup(out.data);
	buf_free(&out);
	sigma_rule_free(&rules[0]);
	free(rules);
	return res;
}

static int count_emit(void *ud, const struct ward_event *ev)
{
	(void)ev;
	(*(int *)ud)++;
	return 0;
}

/* Does the rule match one line (job=test)? */
static bool fires(const char *yaml, const char *line)
{
	char err[512];
	char *q = compile(yaml, err, sizeof(err));
	if (!q)
		fail_msg("refused: %s", err);
	struct matcher m;
	matcher_init(&m, 100000);
	if (matcher_set_query(&m, q, err, sizeof(err)) != 0)
		fail_msg("query does not compile: %s\n%s", err, q);
	struct ward_event ev;
	event_init(&ev);
	event_set_line(&ev, line, strlen(line));
	event_set_label(&ev, "job", "test", 4);
	int hits = 0;
	int n = matcher_process(&m, &ev, count_emit, &hits);
	event_free(&ev);
	matcher_free(&m);
	free(q);
	return n > 0 && hits > 0;
}

#define WEB(det) "title: t\nlogsource: {category: webserver}\ndetection:\n" det
#define ACCESS(uri, status, ua) \
	"198.51.100.7 - - [01/Jun/2024:00:00:00 +0000] \"GET " uri " HTTP/1.1\" " status " 153 \"-\" \"" ua "\""

static void test_contains_case_and_list(void **s)
{
	(void)s;
	const char *r = WEB("  sel:\n    cs-uri-query|contains: ['/etc/passwd', '../..']\n  condition: sel\n");
	assert_true(fires(r, ACCESS("/a?f=/ETC/Passwd", "200", "x")));
	assert_true(fires(r, ACCESS("/a/../../b", "200", "x")));
	assert_false(fires(r, ACCESS("/etc/group", "200", "x")));
	/* the decoded URI counts too */
	assert_true(fires(r, ACCESS("/a?f=%2fetc%2fpasswd", "200", "x")));
}

static void test_cased_startswith_endswith(void **s)
{
	(void)s;
	const char *r = WEB("  sel:\n    c-useragent|startswith|cased: 'Nikto'\n  condition: sel\n");
	assert_true(fires(r, ACCESS("/", "200", "Nikto/2.5")));
	assert_false(fires(r, ACCESS("/", "200", "nikto/2.5")));
	assert_false(fires(r, ACCESS("/", "200", "xNikto")));
	r = WEB("  sel:\n    cs-uri-stem|endswith: '.php'\n  condition: sel\n");
	assert_true(fires(r, ACCESS("/a/shell.PHP?x=1", "200", "x")));
	assert_false(fires(r, ACCESS("/a/shell.php5", "200", "x")));
}

static void test_wildcards_and_escapes(void **s)
{
	(void)s;
	const char *r = WEB("  sel:\n    cs-uri-query: '/a*b?c'\n  condition: sel\n");
	assert_true(fires(r, ACCESS("/axyzbQc", "200", "x")));
	assert_false(fires(r, ACCESS("/abc", "200", "x")));	/* ? is exactly one */
	r = WEB("  sel:\n    cs-uri-query: '/a\\*b'\n  condition: sel\n");
	assert_true(fires(r, ACCESS("/a*b", "200", "x")));
	assert_false(fires(r, ACCESS("/axb", "200", "x")));
}

static void test_all_and_conditions(void **s)
{
	(void)s;
	const char *r = WEB("  sel_a:\n    cs-uri-query|contains|all: ['cmd=', 'exec']\n"
			    "  sel_b:\n    sc-status: 200\n  filter:\n    c-useragent: 'good'\n"
			    "  condition: all of sel_* and not filter\n");
	assert_true(fires(r, ACCESS("/x?cmd=exec", "200", "bad")));
	assert_false(fires(r, ACCESS("/x?cmd=1", "200", "bad")));	/* all */
	assert_false(fires(r, ACCESS("/x?cmd=exec", "404", "bad")));	/* all of sel_* */
	assert_false(fires(r, ACCESS("/x?cmd=exec", "200", "GOOD")));	/* not filter */
	r = WEB("  a:\n    sc-status: 500\n  b:\n    sc-status: 404\n  condition: 1 of them\n");
	assert_true(fires(r, ACCESS("/", "404", "x")));
	assert_false(fires(r, ACCESS("/", "200", "x")));
}

static void test_numeric_cidr_exists_null(void **s)
{
	(void)s;
	const char *r = WEB("  sel:\n    sc-status|gte: 500\n  condition: sel\n");
	assert_true(fires(r, ACCESS("/", "503", "x")));
	assert_false(fires(r, ACCESS("/", "404", "x")));
	r = WEB("  sel:\n    c-ip|cidr: '198.51.100.0/24'\n  condition: sel\n");
	assert_true(fires(r, ACCESS("/", "200", "x")));
	r = WEB("  sel:\n    c-ip|cidr: '10.0.0.0/8'\n  condition: not sel\n");
	assert_true(fires(r, ACCESS("/", "200", "x")));
	r = WEB("  sel:\n    cs-uri-query: null\n  condition: sel\n");
	assert_true(fires(r, ACCESS("/a", "200", "x")));
	assert_false(fires(r, ACCESS("/a?b=1", "200", "x")));
	r = WEB("  sel:\n    c-useragent|exists: true\n  condition: sel\n");
	assert_true(fires(r, ACCESS("/", "200", "x")));
	assert_false(fires(r, ACCESS("/", "200", "")));
}

static void test_re_flags(void **s)
{
	(void)s;
	const char *r = WEB("  sel:\n    cs-uri-query|re: 'id=[0-9]+ (or|and) '\n  condition: sel\n");
	assert_true(fires(r, ACCESS("/a?id=1 or 1", "200", "x")));
	assert_false(fires(r, ACCESS("/a?id=1 OR 1", "200", "x")));	/* re is cased */
	r = WEB("  sel:\n    cs-uri-query|re|i: 'id=[0-9]+ (or|and) '\n  condition: sel\n");
	assert_true(fires(r, ACCESS("/a?id=1 OR 1", "200", "x")));
}

static void test_base64_windash(void **s)
{
	(void)s;
	/* base64offset of "/bin/sh": any alignment inside a longer base64 text */
	const char *r = WEB("  sel:\n    cs-uri-query|base64offset|contains: '/bin/sh'\n  condition: sel\n");
	assert_true(fires(r, ACCESS("/?p=L2Jpbi9zaA", "200", "x")));	/* offset 0 */
	assert_true(fires(r, ACCESS("/?p=ZWNobyAvYmluL3No", "200", "x")));	/* "echo /bin/sh" */
	assert_false(fires(r, ACCESS("/?p=l2jpbi9zaa", "200", "x")));	/* base64 is cased */
	r = WEB("  sel:\n    c-useragent|windash|contains: ' -enc '\n  condition: sel\n");
	assert_true(fires(r, ACCESS("/", "200", "ps /enc x")));
	assert_true(fires(r, ACCESS("/", "200", "ps \xe2\x80\x93" "enc x")));
}

static void test_keywords_line_and_label_mode(void **s)
{
	(void)s;
	const char *r = "title: t\nlogsource: {product: linux, service: sshd}\ndetection:\n"
			"  keywords: ['crc32 compensation', 'Bad protocol']\n  condition: keywords\n";
	assert_true(fires(r, "Dec  7 10:00:00 host sshd[1]: Disconnecting: crc32 compensation attack"));
	/* the service is the program at the start of the line, not text a client sent */
	assert_false(fires(r, "Dec  7 10:00:00 host cron[1]: (sshd[1]: crc32 compensation) ran"));
	/* a keyword in an OR needs the line as a label */
	r = WEB("  kw:\n    - 'evil'\n  sel:\n    sc-status: 500\n  condition: kw or sel\n");
	assert_true(fires(r, ACCESS("/", "200", "evil-bot")));
	assert_true(fires(r, ACCESS("/", "500", "x")));
	assert_false(fires(r, ACCESS("/", "200", "x")));
}

static void test_fieldref(void **s)
{
	(void)s;
	const char *r = WEB("  s:\n    cs-referer|fieldref|contains: cs-method\n  condition: s\n");
	assert_true(fires(r, "198.51.100.7 - - [01/Jun/2024:00:00:00 +0000] \"GET / HTTP/1.1\" 200 1 \"http://x/get\" \"ua\""));
	assert_false(fires(r, "198.51.100.7 - - [01/Jun/2024:00:00:00 +0000] \"GET / HTTP/1.1\" 200 1 \"http://x/p\" \"ua\""));
	r = WEB("  s:\n    cs-referer|fieldref: c-useragent\n  condition: not s\n");
	assert_false(fires(r, ACCESS("/", "200", "-")));	/* referer "-" equals the agent */
	assert_true(fires(r, ACCESS("/", "200", "x")));
}

static void test_auditd_logfmt(void **s)
{
	(void)s;
	const char *r = "title: t\nlogsource: {product: linux, service: auditd}\ndetection:\n"
			"  sel:\n    type: EXECVE\n    a0: nc\n    a1|contains: '-e'\n  condition: sel\n";
	assert_true(fires(r, "type=EXECVE msg=audit(1700000000.123:42): argc=3 a0=\"nc\" a1=\"-e\" a2=\"/bin/sh\""));
	assert_false(fires(r, "type=EXECVE msg=audit(1700000000.123:42): argc=2 a0=\"nc\" a1=\"-l\""));
}

/* Values are data: quotes, backslashes and regex syntax cannot escape. */
static void test_values_are_data(void **s)
{
	(void)s;
	const char *r = WEB("  sel:\n    c-useragent: 'a\") or x=~\".*'\n  condition: sel\n");
	assert_false(fires(r, ACCESS("/", "200", "anything")));
	r = WEB("  sel:\n    c-useragent|contains: '(.*|['\n  condition: sel\n");
	assert_true(fires(r, ACCESS("/", "200", "x(.*|[y")));
	assert_false(fires(r, ACCESS("/", "200", "anything")));
	char err[256];
	/* a re value that would reach past its group is refused */
	assert_null(compile(WEB("  sel:\n    c-useragent|re: '\\Qa'\n  condition: sel\n"), err, sizeof(err)));
	assert_null(compile(WEB("  sel:\n    c-useragent|re: '(?x)a#'\n  condition: sel\n"), err, sizeof(err)));
	assert_null(compile(WEB("  sel:\n    c-useragent|re: 'a)|(b'\n  condition: sel\n"), err, sizeof(err)));
}

static void test_refusals_name_the_reason(void **s)
{
	(void)s;
	char err[256];
	assert_null(compile("title: t\nlogsource: {product: windows}\ndetection:\n  s: {a: 1}\n  condition: s\n", err,
			    sizeof(err)));
	assert_non_null(strstr(err, "windows"));
	assert_null(compile(WEB("  s:\n    cs-bogus: 1\n  condition: s\n"), err, sizeof(err)));
	assert_non_null(strstr(err, "cs-bogus"));
	assert_null(compile(WEB("  s:\n    c-ip|nosuch: 1\n  condition: s\n"), err, sizeof(err)));
	assert_non_null(strstr(err, "nosuch"));
	assert_null(compile(WEB("  s:\n    c-ip: 1\n  condition: s | count() > 5\n"), err, sizeof(err)));
	assert_null(compile(WEB("  s:\n    c-ip: 1\n  condition: s and t\n"), err, sizeof(err)));
	assert_non_null(strstr(err, "no selection called 't'"));
}

static void test_cond_parser(void **s)
{
	(void)s;
	struct sigma_sel sels[3] = { { .name = "sel_a" }, { .name = "sel_b" }, { .name = "_hidden" } };
	char err[256];
	struct sigma_cnode *n = sigma_cond_parse("not (sel_a or sel_b) and 1 of them", sels, 3, err, sizeof(err));
	assert_non_null(n);
	assert_int_equal(n->op, SC_AND);
	assert_int_equal(n->a->op, SC_NOT);
	assert_int_equal(n->b->op, SC_OR);	/* them: not _hidden */
	sigma_cond_free(n);
	n = sigma_cond_parse("all of sel_*", sels, 3, err, sizeof(err));
	assert_non_null(n);
	assert_int_equal(n->op, SC_AND);
	sigma_cond_free(n);
	assert_null(sigma_cond_parse("sel_a and", sels, 3, err, sizeof(err)));
	assert_null(sigma_cond_parse("(sel_a", sels, 3, err, sizeof(err)));
	assert_null(sigma_cond_parse("2 of sel_*", sels, 3, err, sizeof(err)));
	assert_null(sigma_cond_parse("1 of nothing*", sels, 3, err, sizeof(err)));
	/* deep nesting is an error, not a stack overflow */
	struct ward_buf deep = WARD_BUF_INIT;
	for (int i = 0; i < 5000; i++)
		buf_append_lit(&deep, "not ");
	buf_append_lit(&deep, "sel_a");
	assert_null(sigma_cond_parse(deep.data, sels, 3, err, sizeof(err)));
	buf_free(&deep);
}

static void test_ruler_and_correlation(void **s)
{
	(void)s;
	const char *y = "title: base\nname: base_rule\nlevel: informational\ntags: [attack.t1110.001, attack.credential_access]\n"
			"logsource: {category: webserver}\ndetection:\n  s: {sc-status: 401}\n  condition: s\n---\n"
			"title: many\ncorrelation:\n  type: value_count\n  rules: [base_rule]\n  group-by: [c-ip]\n"
			"  timespan: 5m\n  condition: {gte: 10, field: uri}\n  generate: true\n";
	struct sigma_set set = { 0 };
	char err[256];
	assert_int_equal(sigma_load_buffer(y, strlen(y), "t.yml", &set.rules, &set.n, err, sizeof(err)), 0);
	struct ward_buf out = WARD_BUF_INIT;
	struct sigma_result res = { 0 };
	sigma_set_compile(&set, &out, &res);
	assert_int_equal(res.loaded, 2);
	assert_int_equal(res.refused, 0);
	assert_non_null(strstr(out.data, "severity: \"info\""));
	assert_non_null(strstr(out.data, "mitre_technique: \"T1110.001\""));
	assert_non_null(strstr(out.data, "mitre_tactic: \"credential_access\""));
	assert_non_null(strstr(out.data, "count by (src_ip) (sum by (src_ip, uri) (count_over_time("));
	/* the ruler text loads in the rule engine (the base rule too:
	 * generate: true) */
	struct ward_ruleset rs = { 0 };
	assert_int_equal(rules_load_buffer(&rs, out.data, out.len, "sigma", err, sizeof(err)), 0);
	assert_int_equal(rs.n, 2);
	assert_false(logql_expr_is_log(rs.rules[1].expr));
	rules_free(&rs);
	buf_free(&out);
	buf_free(&res.refusals);
	sigma_set_free(&set);
}

/* The ruler rules of y (the number of rules, and whether rule "base" is
 * among them). */
static size_t ruler_rules(const char *y, bool *has_base)
{
	struct sigma_set set = { 0 };
	char err[256];
	assert_int_equal(sigma_load_buffer(y, strlen(y), "t.yml", &set.rules, &set.n, err, sizeof(err)), 0);
	struct ward_buf out = WARD_BUF_INIT;
	struct sigma_result res = { 0 };
	sigma_set_compile(&set, &out, &res);
	*has_base = strstr(out.data, "alert: \"base\"") != NULL;
	struct ward_ruleset rs = { 0 };
	assert_int_equal(rules_load_buffer(&rs, out.data, out.len, "sigma", err, sizeof(err)), 0);
	size_t n = rs.n;
	rules_free(&rs);
	buf_free(&out);
	buf_free(&res.refusals);
	sigma_set_free(&set);
	return n;
}

/* Sigma's `generate`: a correlation's base rules alert on their own only
 * with generate: true; a refused correlation silences nothing. */
static void test_correlation_generate(void **s)
{
	(void)s;
	const char *base = "title: base\nname: b\nlogsource: {category: webserver}\ndetection:\n  s: {sc-status: 401}\n"
			   "  condition: s\n---\ntitle: many\ncorrelation:\n  type: event_count\n  rules: [b]\n"
			   "  group-by: [c-ip]\n  timespan: 5m\n  condition: {gte: 10}\n";
	struct ward_buf y = WARD_BUF_INIT;
	bool has_base;
	assert_int_equal(ruler_rules(base, &has_base), 1);
	assert_false(has_base);
	buf_printf(&y, "%s  generate: true\n", base);
	assert_int_equal(ruler_rules(y.data, &has_base), 2);
	assert_true(has_base);
	buf_reset(&y);
	buf_printf(&y, "%s  generate: false\n", base);
	assert_int_equal(ruler_rules(y.data, &has_base), 1);
	assert_false(has_base);
	/* one correlation with generate: true among two keeps the base rule */
	buf_reset(&y);
	buf_printf(&y, "%s---\ntitle: more\ncorrelation: {type: event_count, rules: [b], group-by: [c-ip], "
		       "timespan: 1h, condition: {gte: 50}, generate: true}\n", base);
	assert_int_equal(ruler_rules(y.data, &has_base), 3);
	assert_true(has_base);
	/* a refused correlation (a group-by that is no ward field) */
	buf_reset(&y);
	buf_printf(&y, "title: base\nname: b\nlogsource: {category: webserver}\ndetection:\n  s: {sc-status: 401}\n"
		       "  condition: s\n---\ntitle: bad\ncorrelation: {type: event_count, rules: [b], group-by: [a-b], "
		       "timespan: 5m, condition: {gte: 10}}\n");
	assert_int_equal(ruler_rules(y.data, &has_base), 1);
	assert_true(has_base);
	buf_free(&y);
}

/* A rule whose query the engine would reject (an address ip() refuses, a
 * value too short for base64offset, an empty title) is refused alone: the
 * other rules still load (found by fuzz/fuzz_sigma.c). */
static void test_one_bad_rule_alone(void **s)
{
	(void)s;
	const char *y = "title: good\nlogsource: {category: webserver}\ndetection:\n  s: {sc-status: 401}\n  condition: s\n---\n"
			"title: bad\nlogsource: {category: webserver}\ndetection:\n  s: {c-ip|cidr: 05.0.0.0/8}\n  condition: s\n---\n"
			"title: short\nlogsource: {category: webserver}\ndetection:\n  s: {c-uri|base64offset|contains: ''}\n  condition: s\n---\n"
			"title: ''\nlogsource: {category: webserver}\ndetection:\n  s: {sc-status: 1}\n  condition: s\n";
	struct sigma_set set = { 0 };
	char err[256];
	assert_int_equal(sigma_load_buffer(y, strlen(y), "t.yml", &set.rules, &set.n, err, sizeof(err)), 0);
	struct ward_buf out = WARD_BUF_INIT;
	struct sigma_result res = { 0 };
	sigma_set_compile(&set, &out, &res);
	assert_int_equal(res.loaded, 1);
	assert_int_equal(res.refused, 3);
	assert_non_null(strstr(res.refusals.data, "bad: "));
	assert_non_null(strstr(res.refusals.data, "too short for base64offset"));
	assert_non_null(strstr(res.refusals.data, "no title"));
	struct ward_ruleset rs = { 0 };
	assert_int_equal(rules_load_buffer(&rs, out.data, out.len, "sigma", err, sizeof(err)), 0);
	rules_free(&rs);
	buf_free(&out);
	buf_free(&res.refusals);
	sigma_set_free(&set);
}

static void test_quote(void **s)
{
	(void)s;
	struct ward_buf b = WARD_BUF_INIT;
	sigma_quote_logql(&b, "a\"b\\c\n");
	assert_string_equal(b.data, "\"a\\\"b\\\\c\\x0a\"");
	buf_reset(&b);
	sigma_quote_yaml(&b, "x\"\x01\xc2\x85");
	assert_string_equal(b.data, "\"x\\\"\\x01\\u0085\"");
	/* a line separator inside a value comes back unchanged */
	const char *v = "a\xe2\x80\xa8" "b";
	buf_reset(&b);
	sigma_quote_yaml(&b, v);
	char y[128];
	snprintf(y, sizeof(y), "groups:\n- name: g\n  rules:\n  - alert: a\n    expr: '{a=\"b\"}'\n    labels:\n      x: %s\n", b.data);
	struct ward_ruleset rs = { 0 };
	char err[256];
	assert_int_equal(rules_load_buffer(&rs, y, strlen(y), "t", err, sizeof(err)), 0);
	assert_string_equal(rule_label(&rs.rules[0], "x"), v);
	rules_free(&rs);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_contains_case_and_list),
		cmocka_unit_test(test_cased_startswith_endswith),
		cmocka_unit_test(test_wildcards_and_escapes),
		cmocka_unit_test(test_all_and_conditions),
		cmocka_unit_test(test_numeric_cidr_exists_null),
		cmocka_unit_test(test_re_flags),
		cmocka_unit_test(test_base64_windash),
		cmocka_unit_test(test_keywords_line_and_label_mode),
		cmocka_unit_test(test_fieldref),
		cmocka_unit_test(test_auditd_logfmt),
		cmocka_unit_test(test_values_are_data),
		cmocka_unit_test(test_refusals_name_the_reason),
		cmocka_unit_test(test_cond_parser),
		cmocka_unit_test(test_ruler_and_correlation),
		cmocka_unit_test(test_correlation_generate),
		cmocka_unit_test(test_one_bad_rule_alone),
		cmocka_unit_test(test_quote),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
