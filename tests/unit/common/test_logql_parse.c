/* LogQL parser: the whole grammar, canonical form, positioned errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "logql.h"

/* Parse src and return its canonical text (caller frees), or NULL. */
static char *canon(const char *src)
{
	struct logql_error err;
	struct logql_expr *e = logql_parse(src, strlen(src), &err);
	if (!e)
		return NULL;
	struct ward_buf b = WARD_BUF_INIT;
	logql_expr_format(e, &b);
	logql_expr_free(e);
	char *s = ward_xstrdup(buf_cstr(&b));
	buf_free(&b);
	return s;
}

static void assert_canon(const char *src, const char *want)
{
	char *got = canon(src);
	if (!got)
		fail_msg("did not parse: %s", src);
	assert_string_equal(got, want);
	/* the canonical form parses back to itself */
	char *again = canon(got);
	assert_non_null(again);
	assert_string_equal(again, got);
	free(got);
	free(again);
}

static void assert_error(const char *src, unsigned col, const char *msg_part)
{
	struct logql_error err;
	struct logql_expr *e = logql_parse(src, strlen(src), &err);
	if (e) {
		logql_expr_free(e);
		fail_msg("parsed but should not: %s", src);
	}
	if (err.col != col || !strstr(err.msg, msg_part))
		fail_msg("%s: got %u:%u %s, want col %u and \"%s\"", src, err.line, err.col, err.msg,
			 col, msg_part);
}

static void test_selector(void **state)
{
	(void)state;
	assert_canon("{job=\"sshd\"}", "{job=\"sshd\"}");
	assert_canon("{ job = \"a\" , host!=\"b\", app=~\"x.+\", env!~`d.*` }",
		     "{job=\"a\", host!=\"b\", app=~\"x.+\", env!~\"d.*\"}");
	assert_canon("{job=\"a\\\"b\\n\"}", "{job=\"a\\\"b\\n\"}");
	/* raw strings keep backslashes */
	assert_canon("{job=~`\\w+`}", "{job=~\"\\\\w+\"}");
}

static void test_line_filters(void **state)
{
	(void)state;
	assert_canon("{a=\"b\"} |= \"x\" != \"y\" |~ \"(?i)z\" !~ \"w\"",
		     "{a=\"b\"} |= \"x\" != \"y\" |~ \"(?i)z\" !~ \"w\"");
	assert_canon("{a=\"b\"} |= \"x\" or \"y\" or ip(\"10.0.0.0/8\")",
		     "{a=\"b\"} |= \"x\" or \"y\" or ip(\"10.0.0.0/8\")");
	assert_canon("{a=\"b\"} |> \"<_> foo <_>\" !> \"bar <_>\"",
		     "{a=\"b\"} |> \"<_> foo <_>\" !> \"bar <_>\"");
	assert_error("{a=\"b\"} |~ ip(\"1.2.3.4\")", 12, "ip() is only allowed");
}

static void test_parsers(void **state)
{
	(void)state;
	assert_canon("{a=\"b\"} | json", "{a=\"b\"} | json");
	assert_canon("{a=\"b\"} | json first=\"servers[0]\", ua=\"request.headers[\\\"User-Agent\\\"]\"",
		     "{a=\"b\"} | json first=\"servers[0]\", ua=\"request.headers[\\\"User-Agent\\\"]\"");
	assert_canon("{a=\"b\"} | json status", "{a=\"b\"} | json status=\"status\"");
	assert_canon("{a=\"b\"} | logfmt --strict --keep-empty host, s=\"status\"",
		     "{a=\"b\"} | logfmt --strict --keep-empty host=\"host\", s=\"status\"");
	assert_canon("{a=\"b\"} | regexp `(?P<ip>\\S+)` | pattern `<ip> - <_>` | unpack",
		     "{a=\"b\"} | regexp \"(?P<ip>\\\\S+)\" | pattern \"<ip> - <_>\" | unpack");
	assert_canon("{a=\"b\"} | line_format \"{{.a}}\" | label_format x=y, z=\"{{.a}}\" | decolorize",
		     "{a=\"b\"} | line_format \"{{.a}}\" | label_format x=y, z=\"{{.a}}\" | decolorize");
	assert_canon("{a=\"b\"} | drop a, b=\"c\", d=~\"e.*\" | keep f",
		     "{a=\"b\"} | drop a, b=\"c\", d=~\"e.*\" | keep f");
	assert_error("{a=\"b\"} | label_format x=y, x=z", 11, "set twice");
}

static void test_label_filters(void **state)
{
	(void)state;
	/* and binds tighter than or; `,` and whitespace mean and */
	assert_canon("{a=\"b\"} | x=\"1\" or y>2 and z<=3",
		     "{a=\"b\"} | x=\"1\" or y>2 and z<=3");
	assert_canon("{a=\"b\"} | (x=\"1\" or y>2), z!=3 w=~\"q\"",
		     "{a=\"b\"} | (x=\"1\" or y>2) and z!=3 and w=~\"q\"");
	/* `,` and juxtaposition take the rest of the filter (Loki's yacc shifts) */
	assert_canon("{a=\"b\"} | x=\"1\", y>2 or z<3", "{a=\"b\"} | x=\"1\" and (y>2 or z<3)");
	assert_canon("{a=\"b\"} | x=\"1\" y>2 or z<3", "{a=\"b\"} | x=\"1\" and (y>2 or z<3)");
	assert_canon("{a=\"b\"} | x=\"1\" or y>2, z<3", "{a=\"b\"} | x=\"1\" or y>2 and z<3");
	assert_canon("{a=\"b\"} | x=\"1\" and y>2, z<3 or w>4", "{a=\"b\"} | x=\"1\" and y>2 and (z<3 or w>4)");
	assert_canon("{a=\"b\"} | latency >= 250ms | size > 20KB | n == -1.5",
		     "{a=\"b\"} | latency>=250ms | size>20000B | n==-1.5");
	assert_canon("{a=\"b\"} | addr = ip(\"192.168.0.0/16\") | b != ip(\"::1\")",
		     "{a=\"b\"} | addr=ip(\"192.168.0.0/16\") | b!=ip(\"::1\")");
	assert_canon("{a=\"b\"} | __error__=\"\"", "{a=\"b\"} | __error__=\"\"");
	assert_error("{a=\"b\"} | x > \"s\"", 15, "expected a string, number");
}

static void test_metric(void **state)
{
	(void)state;
	assert_canon("count_over_time({a=\"b\"}[5m])", "count_over_time({a=\"b\"} [5m])");
	assert_canon("rate({a=\"b\"} |= \"x\" [1m] offset 5m)", "rate({a=\"b\"} |= \"x\" [1m] offset 5m)");
	/* range right after the selector */
	assert_canon("count_over_time({a=\"b\"}[5m] | json)", "count_over_time({a=\"b\"} | json [5m])");
	assert_canon("sum by (src_ip) (count_over_time({a=\"b\"} | json [5m])) > 5",
		     "sum by (src_ip) (count_over_time({a=\"b\"} | json [5m])) > 5");
	assert_canon("sum(rate({a=\"b\"}[1m])) without (host)",
		     "sum without (host) (rate({a=\"b\"} [1m]))");
	assert_canon("quantile_over_time(0.99, {a=\"b\"} | logfmt | unwrap duration(latency) | __error__=\"\" [5m]) by (path)",
		     "quantile_over_time(0.99, {a=\"b\"} | logfmt | unwrap duration(latency) | __error__=\"\" [5m]) by (path)");
	assert_canon("sum_over_time({a=\"b\"} | unwrap bytes(size) [1h])",
		     "sum_over_time({a=\"b\"} | unwrap bytes(size) [1h])");
	assert_canon("topk(3, sum by (u) (count_over_time({a=\"b\"}[1m])))",
		     "topk (3, sum by (u) (count_over_time({a=\"b\"} [1m])))");
	assert_canon("count_over_time({a=\"b\"}[1m]) > bool 2", "count_over_time({a=\"b\"} [1m]) > bool 2");
	assert_canon("sum(count_over_time({a=\"b\"}[1m])) or vector(0)",
		     "sum (count_over_time({a=\"b\"} [1m])) or vector(0)");
	assert_canon("rate({a=\"b\"}[1m]) / on (x) group_left (y) rate({c=\"d\"}[1m])",
		     "rate({a=\"b\"} [1m]) / on(x) group_left(y) rate({c=\"d\"} [1m])");
	assert_canon("absent_over_time({a=\"b\"}[15m])", "absent_over_time({a=\"b\"} [15m])");
	/* precedence: ^ right-assoc and above * above + above comparisons */
	assert_canon("1 + 2 * 3 ^ 2 ^ 2 > bool 4", "1 + 2 * 3 ^ 2 ^ 2 > bool 4");
	assert_canon("(1 + 2) * 3 - (4 - 5) > bool (2 ^ 3) ^ 2", "(1 + 2) * 3 - (4 - 5) > bool (2 ^ 3) ^ 2");
	assert_canon("label_replace(rate({a=\"b\"}[1m]), \"d\", \"$1\", \"s\", \"(.*)\")",
		     "label_replace(rate({a=\"b\"} [1m]), \"d\", \"$1\", \"s\", \"(.*)\")");
}

static void test_metric_structure(void **state)
{
	(void)state;
	const char *src = "sum by (host, src_ip) (count_over_time({job=\"auth\"} |= \"Failed\" [5m])) > 20";
	struct logql_error err;
	struct logql_expr *e = logql_parse(src, strlen(src), &err);
	assert_non_null(e);
	assert_int_equal(e->kind, LQ_EXPR_BINARY);
	assert_int_equal(e->u.bin.op, LQ_BIN_GT);
	assert_int_equal(e->u.bin.rhs->kind, LQ_EXPR_LITERAL);
	assert_true(e->u.bin.rhs->u.literal == 20);
	const struct logql_expr *v = e->u.bin.lhs;
	assert_int_equal(v->kind, LQ_EXPR_VECTOR_AGG);
	assert_int_equal(v->u.vagg.op, LQ_VEC_SUM);
	assert_int_equal(v->u.vagg.grouping.kind, LQ_GROUP_BY);
	assert_int_equal(v->u.vagg.grouping.nlabels, 2);
	assert_string_equal(v->u.vagg.grouping.labels[1], "src_ip");
	const struct logql_expr *r = v->u.vagg.inner;
	assert_int_equal(r->kind, LQ_EXPR_RANGE);
	assert_int_equal(r->u.range.fn, LQ_RANGE_COUNT_OVER_TIME);
	assert_true(r->u.range.range_ns == 300LL * 1000000000LL);
	const struct logql_log_query *qs[4];
	assert_int_equal(logql_expr_log_queries(e, qs, 4), 1);
	assert_ptr_equal(qs[0], r->u.range.query);
	assert_int_equal(qs[0]->nstages, 1);
	logql_expr_free(e);
}

static void test_errors(void **state)
{
	(void)state;
	assert_error("", 1, "expected a stream selector");
	assert_error("{job=\"a\"", 9, "expected ',' or '}'");
	assert_error("{job=\"a\"} |= ", 14, "expected a string");
	assert_error("{job=\"a\"} | json | x=", 22, "expected");
	assert_error("{job=\"a\"} |= \"unterminated", 14, "unterminated string");
	/* Go refuses a surrogate or a code point past U+10FFFF in \u, \U */
	assert_error("{job=\"a\"} |= \"\\ud800\"", 14, "escape");
	assert_error("{job=\"a\"} |= \"\\U00110000\"", 14, "escape");
	assert_error("count_over_time({a=\"b\"})", 24, "expected a range");
	assert_error("sum_over_time({a=\"b\"}[5m])", 1, "needs | unwrap");
	assert_error("{a=\"b\"} | unwrap x", 11, "only allowed inside a range");
	assert_error("count_over_time({a=\"b\"} | unwrap x |= \"y\" [5m])", 36, "only label filters");
	assert_error("{a=\"b\"} > 1", 9, "metric operands");
	assert_error("1 > 2", 3, "must use bool");
	assert_error("topk(0, rate({a=\"b\"}[1m]))", 1, "positive integer");
	assert_error("{a=\"b\"} extra", 9, "end of query");
	/* found by fuzz_logql: overflowed to inf, which does not print back */
	assert_error("555555555555e555", 1, "expected");
	/* positions on the second line */
	struct logql_error err;
	assert_null(logql_parse("{a=\"b\"}\n  | json |", 18, &err));
	assert_int_equal(err.line, 2);
	assert_int_equal(err.col, 11);
}

static void test_depth_and_size(void **state)
{
	(void)state;
	/* nesting deeper than the limit is an error, not a crash */
	struct ward_buf b = WARD_BUF_INIT;
	for (int i = 0; i < 1000; i++)
		buf_append_str(&b, "sum(");
	struct logql_error err;
	assert_null(logql_parse(b.data, b.len, &err));
	assert_non_null(strstr(err.msg, "nested deeper"));
	buf_reset(&b);
	for (int i = 0; i < 1000; i++)
		buf_append_str(&b, "(");
	assert_null(logql_parse(b.data, b.len, &err));
	/* thousands of filters are fine */
	buf_reset(&b);
	buf_append_str(&b, "{a=\"b\"}");
	for (int i = 0; i < 5000; i++)
		buf_printf(&b, " |= \"x%d\"", i);
	struct logql_expr *e = logql_parse(b.data, b.len, &err);
	assert_non_null(e);
	assert_int_equal(e->u.log->nstages, 5000);
	logql_expr_free(e);
	/* label filters: thousands are fine, beyond the cap an error */
	buf_reset(&b);
	buf_append_str(&b, "{a=\"b\"} | x=\"0\"");
	for (int i = 0; i < 5000; i++)
		buf_printf(&b, ", x%d=\"%d\"", i, i);
	e = logql_parse(b.data, b.len, &err);
	assert_non_null(e);
	logql_expr_free(e);
	for (int i = 0; i < 6000; i++)
		buf_printf(&b, " y%d=\"%d\"", i, i);
	assert_null(logql_parse(b.data, b.len, &err));
	assert_non_null(strstr(err.msg, "label filters"));
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_selector),
		cmocka_unit_test(test_line_filters),
		cmocka_unit_test(test_parsers),
		cmocka_unit_test(test_label_filters),
		cmocka_unit_test(test_metric),
		cmocka_unit_test(test_metric_structure),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_depth_and_size),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
