/* Loki ruler YAML loader. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "rules.h"

static const char loki_rules[] =
	"groups:\n"
	"  - name: soc_auth\n"
	"    interval: 1m\n"
	"    limit: 10\n"
	"    rules:\n"
	"      - alert: SSHBruteForce\n"
	"        expr: |\n"
	"          sum by (host, src_ip) (\n"
	"            count_over_time({job=\"auth\"} |= \"Failed password\"\n"
	"              | regexp `from (?P<src_ip>\\S+) port` [5m])\n"
	"          ) > 20\n"
	"        for: 2m\n"
	"        labels:\n"
	"          severity: high\n"
	"        annotations:\n"
	"          summary: \"{{ $labels.src_ip }} failed {{ $value }} SSH logins\"\n"
	"      - alert: LogSourceSilent\n"
	"        expr: absent_over_time({job=\"auth\"}[15m])\n"
	"        for: 5m\n"
	"      - record: auth:failed_logins:rate5m\n"
	"        expr: sum by (host) (rate({job=\"auth\"} |= \"Failed password\" [5m]))\n";

static void test_loki_file(void **state)
{
	(void)state;
	struct ward_ruleset rs = { 0 };
	char err[512];
	assert_int_equal(rules_load_buffer(&rs, loki_rules, strlen(loki_rules), "t.yaml", err, sizeof err), 0);
	assert_int_equal(rs.n, 3);
	const struct ward_rule *r = &rs.rules[0];
	assert_string_equal(r->name, "SSHBruteForce");
	assert_false(r->is_record);
	assert_string_equal(r->group, "soc_auth");
	assert_true(r->group_interval_ns == 60LL * 1000000000LL);
	assert_int_equal(r->group_limit, 10);
	assert_true(r->for_ns == 120LL * 1000000000LL);
	assert_string_equal(rule_label(r, "severity"), "high");
	assert_non_null(strstr(rule_annotation(r, "summary"), "$labels.src_ip"));
	assert_int_equal(r->expr->kind, LQ_EXPR_BINARY);
	assert_int_equal(r->src_line, 6);
	assert_true(rs.rules[2].is_record);
	assert_string_equal(rs.rules[2].name, "auth:failed_logins:rate5m");
	assert_null(rule_label(&rs.rules[1], "severity"));
	rules_free(&rs);
}

static void test_samples(void **state)
{
	(void)state;
	const char *y =
		"groups:\n"
		"- name: g\n"
		"  rules:\n"
		"  - alert: A\n"
		"    expr: '{job=\"sshd\", host=~\".+\"} |= \"x\"'\n"
		"    tests:\n"
		"      match: ['x1', {line: 'x2', fields: {u: r}, labels: {job: other}}]\n"
		"      nomatch: ['y']\n";
	struct ward_ruleset rs = { 0 };
	char err[512];
	assert_int_equal(rules_load_buffer(&rs, y, strlen(y), "t", err, sizeof err), 0);
	const struct ward_rule *r = &rs.rules[0];
	assert_int_equal(r->nsamples, 3);
	assert_true(r->samples[0].want_match);
	/* default labels: the = matchers of the selector */
	assert_int_equal(r->samples[0].nlabels, 1);
	assert_string_equal(r->samples[0].labels[0].key, "job");
	assert_string_equal(r->samples[0].labels[0].val, "sshd");
	assert_string_equal(r->samples[1].labels[0].val, "other");
	assert_string_equal(r->samples[1].fields[0].key, "u");
	assert_false(r->samples[2].want_match);
	assert_int_equal(r->samples[2].src_line, 8);
	rules_free(&rs);
}

static void expect_error(const char *y, const char *part)
{
	struct ward_ruleset rs = { 0 };
	char err[512] = "";
	if (rules_load_buffer(&rs, y, strlen(y), "bad.yaml", err, sizeof err) == 0) {
		rules_free(&rs);
		fail_msg("loaded: %s", y);
	}
	assert_int_equal(rs.n, 0);
	if (!strstr(err, part))
		fail_msg("error \"%s\" lacks \"%s\"", err, part);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("groups: [\n", "bad.yaml:2: YAML");
	expect_error("groups:\n- name: g\n  rules:\n  - alert: A\n", "bad.yaml:4: missing expr");
	expect_error("groups:\n- name: g\n  rules:\n  - expr: '{a=\"b\"}'\n", "needs alert or record");
	expect_error("groups:\n- name: g\n  rules:\n  - alert: A\n    record: B\n    expr: '{a=\"b\"}'\n", "not both");
	expect_error("groups:\n- name: g\n  rules:\n  - alert: A\n    expr: '{a=\"b\" |= \"x\"'\n",
		     "bad.yaml:5: rule A: expr 1:8: expected ',' or '}'");
	expect_error("groups:\n- name: g\n  rules:\n  - alert: A\n    expr: '{a=\"b\"}'\n    for: soon\n", "for: not a duration");
	expect_error("groups:\n- rules: []\n", "missing name");
	expect_error("groups: 5\n", "groups: expected a list");
	expect_error("- a\n", "expected a mapping with groups");
	expect_error("groups:\n- name: g\n  rules:\n  - alert: A\n    expr: '{a=\"b\"}'\n    labels: [x]\n", "labels: expected a mapping");
}

static void test_alias_bomb(void **state)
{
	(void)state;
	/* aliases expand: 110 groups x 10 aliased rules */
	struct ward_buf y = WARD_BUF_INIT;
	buf_append_str(&y, "a: &a {alert: A, expr: '{a=\"b\"}', labels: {x: y}}\n"
		       "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\ngroups:\n");
	for (int i = 0; i < 110; i++)
		buf_printf(&y, "- {name: g%d, rules: *b}\n", i);
	struct ward_ruleset rs = { 0 };
	char err[512];
	int rc = rules_load_buffer(&rs, y.data, y.len, "bomb", err, sizeof err);
	if (rc != 0)
		fail_msg("%s", err);
	assert_int_equal(rs.n, 1100);
	assert_string_equal(rule_label(&rs.rules[1099], "x"), "y");
	rules_free(&rs);
	buf_free(&y);
	struct ward_buf big = WARD_BUF_INIT;
	buf_append_str(&big, "a: &a {alert: A, expr: '{a=\"b\"}'}\nb: &b [");
	for (int i = 0; i < 200; i++)
		buf_append_str(&big, i ? ",*a" : "*a");
	buf_append_str(&big, "]\ngroups:\n");
	for (int i = 0; i < 100; i++)
		buf_printf(&big, "- {name: g%d, rules: *b}\n", i);
	expect_error(buf_cstr(&big), "more than 10000 rules");
	buf_free(&big);
}

static void test_empty(void **state)
{
	(void)state;
	struct ward_ruleset rs = { 0 };
	char err[512];
	assert_int_equal(rules_load_buffer(&rs, "", 0, "e", err, sizeof err), 0);
	assert_int_equal(rules_load_buffer(&rs, "groups: []\n", 11, "e", err, sizeof err), 0);
	assert_int_equal(rs.n, 0);
	rules_free(&rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loki_file),
		cmocka_unit_test(test_samples),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_alias_bomb),
		cmocka_unit_test(test_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
