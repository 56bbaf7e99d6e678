/* Unit tests: thresholds, templates, LogQL shapes to rules, alert events,
 * anomalies, absence, eviction and bad input of the engine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "event.h"
#include "stages/window/alert.h"
#include "stages/window/engine.h"
#include "stages/window/rule.h"
#include "stages/window/ruleset.h"
#include "stages/window/alerttmpl.h"
#include "wtime.h"

#define S NS_PER_SEC
#define T0 (1700000000LL * S)

static void test_threshold(void **s)
{
	(void)s;
	enum ww_op op;
	double v;
	assert_int_equal(rule_parse_threshold("> 5", &op, &v), 0);
	assert_int_equal(op, WW_OP_GT);
	assert_true(v == 5);
	assert_int_equal(rule_parse_threshold(">=0.5", &op, &v), 0);
	assert_int_equal(op, WW_OP_GE);
	assert_true(v == 0.5);
	assert_int_equal(rule_parse_threshold(" != -3 ", &op, &v), 0);
	assert_int_equal(op, WW_OP_NE);
	assert_int_equal(rule_parse_threshold("<= 1e3", &op, &v), 0);
	assert_true(v == 1000);
	assert_int_equal(rule_parse_threshold("== 0", &op, &v), 0);
	assert_int_equal(op, WW_OP_EQ);
	assert_int_equal(rule_parse_threshold("=> 5", &op, &v), -1);
	assert_int_equal(rule_parse_threshold("> ", &op, &v), -1);
	assert_int_equal(rule_parse_threshold("> 5x", &op, &v), -1);
	assert_int_equal(rule_parse_threshold("> nan", &op, &v), -1);
	assert_int_equal(rule_parse_threshold("5", &op, &v), -1);
	assert_true(rule_compare(WW_OP_LE, 3, 3));
	assert_false(rule_compare(WW_OP_LT, 3, 3));
}

static const char *lookup(void *ctx, const char *name, size_t n, size_t *len)
{
	(void)ctx;
	if (n == 6 && memcmp(name, "src_ip", 6) == 0) {
		*len = 10;
		return "198.18.0.7";
	}
	return NULL;
}

static void expect_tmpl(const char *tmpl, double v, const char *want, unsigned unknown)
{
	struct ward_buf b = WARD_BUF_INIT;
	struct alerttmpl *t = alerttmpl_compile(tmpl, strlen(tmpl));
	for (int run = 0; run < 2; run++) {	/* compiled once, run many times */
		buf_reset(&b);
		assert_int_equal(alerttmpl_expand(t, lookup, NULL, v, &b), unknown);
		assert_string_equal(buf_cstr(&b), want);
	}
	alerttmpl_free(t);
	buf_free(&b);
}

/* Every comparison of an alerting rule at, just below and just above its
 * threshold (PromQL semantics), and `bool`, which makes every series hold
 * with 0/1 as its value. */
static void test_comparisons(void **s)
{
	(void)s;
	static const struct { enum ww_op op; double below, at, above; } want[] = {
		{ WW_OP_GT, 0, 0, 1 }, { WW_OP_GE, 0, 1, 1 }, { WW_OP_LT, 1, 0, 0 },
		{ WW_OP_LE, 1, 1, 0 }, { WW_OP_EQ, 0, 1, 0 }, { WW_OP_NE, 1, 0, 1 },
		{ WW_OP_NONE, 1, 1, 1 },
	};
	const double t[] = { 5, 0, -2.5, 1e9 };
	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		for (size_t k = 0; k < sizeof t / sizeof *t; k++) {
			double step = t[k] == 0 ? 0.5 : fabs(t[k]) / 4;
			assert_int_equal(rule_compare(want[i].op, t[k] - step, t[k]), want[i].below);
			assert_int_equal(rule_compare(want[i].op, t[k], t[k]), want[i].at);
			assert_int_equal(rule_compare(want[i].op, t[k] + step, t[k]), want[i].above);
		}
	}
	struct ww_rule r;
	memset(&r, 0, sizeof r);
	double v = -1;
	r.op = WW_OP_GE;
	r.threshold = 3;
	assert_true(rule_side_holds(&r, true, 3, &v));
	assert_true(v == 3);
	assert_false(rule_side_holds(&r, true, 2, &v));
	assert_false(rule_side_holds(&r, false, 9, &v));	/* no sample: no series */
	r.bool_result = true;
	v = -1;
	assert_true(rule_side_holds(&r, true, 2, &v));
	assert_true(v == 0);
	assert_true(rule_side_holds(&r, true, 3, &v));
	assert_true(v == 1);
	assert_false(rule_side_holds(&r, false, 3, &v));
}

static void test_template(void **s)
{
	(void)s;
	expect_tmpl("from {{ $labels.src_ip }}: {{ $value }}", 6, "from 198.18.0.7: 6", 0);
	expect_tmpl("{{.Labels.src_ip}}/{{.Value}}", 0.25, "198.18.0.7/0.25", 0);
	expect_tmpl("[{{ $labels.user }}]", 1, "[]", 0);
	expect_tmpl("{{ humanize $value }}", 1234567, "1.235M", 0);
	expect_tmpl("{{- $value -}}", 3, "3", 0);
	expect_tmpl("{{ range . }}x{{ end }}", 1, "{{ range . }}x{{ end }}", 2);
	expect_tmpl("open {{ $value", 1, "open {{ $value", 1);
	expect_tmpl("{{ $labels.a-b }}", 1, "{{ $labels.a-b }}", 1);
	expect_tmpl("", 1, "", 0);
	expect_tmpl("{{ }}", 1, "{{ }}", 1);
	/* the LogQL template engine runs each action: its functions and pipes */
	expect_tmpl("{{ $labels.src_ip | replace \".\" \"-\" }}", 1, "198-18-0-7", 0);
	expect_tmpl("{{ $labels.user | default \"-\" }} {{ printf \"%s!\" $value }}", 2, "- 2!", 0);
	expect_tmpl("{{ humanize .Value }} {{ humanize 0.002 }}", 1e9, "1G 2m", 0);
	expect_tmpl("{{ humanize $labels.src_ip }}", 1, "{{ humanize $labels.src_ip }}", 1);
	expect_tmpl("{{ .Labels.src_ip.x }}|{{ \".Value\" }}", 1, "{{ .Labels.src_ip.x }}|.Value", 1);
	/* $value as Prometheus prints it (Go's %v) */
	expect_tmpl("{{ $value }}", 0.1 + 0.2, "0.30000000000000004", 0);
	expect_tmpl("{{ $value }}", 1e21, "1e+21", 0);
	expect_tmpl("{{ $value }}", NAN, "NaN", 0);
	expect_tmpl("{{ $value }} {{ .Value }}", 100, "100 100", 0);	/* not 1e+02 */
	expect_tmpl("{{ $value }}", 1e6, "1e+06", 0);
	expect_tmpl("{{ $value }}", 123456, "123456", 0);
}

/* ---- LogQL to rules ---- */

static int build(const char *query, struct ruleset *rs, char *err, size_t errlen)
{
	struct ruleset_opts o;
	ruleset_opts_defaults(&o);
	int rc = ruleset_build(rs, &o, query, err, errlen);
	ruleset_opts_free(&o);
	return rc;
}

static void expect_shape(const char *q, enum ww_fn fn, enum ww_group gm, const char *group0,
			 enum ww_op op, double thr)
{
	struct ruleset rs;
	char err[512] = "";
	int rc = build(q, &rs, err, sizeof err);
	if (rc != 0)
		print_error("%s: %s\n", q, err);
	assert_int_equal(rc, 0);
	assert_int_equal(rs.n, 1);
	const struct ww_rule *r = &rs.rules[0];
	assert_int_equal(r->fn, fn);
	assert_int_equal(r->group_mode, gm);
	if (group0) {
		assert_true(r->ngroup >= 1);
		assert_string_equal(r->group[0], group0);
	} else if (gm == WW_GROUP_BY) {
		assert_int_equal(r->ngroup, 0);
	}
	assert_int_equal(r->op, op);
	assert_true(r->threshold == thr);
	assert_non_null(r->select_fn);
	ruleset_free(&rs);
}

static void expect_refused(const char *q, int want_rc, const char *why)
{
	struct ruleset rs;
	char err[512] = "";
	assert_int_equal(build(q, &rs, err, sizeof err), want_rc);
	if (!strstr(err, why))
		print_error("%s: %s\n", q, err);
	assert_non_null(strstr(err, why));
	ruleset_free(&rs);
}

static const struct ww_rule *build_one(const char *q, struct ruleset *rs)
{
	char err[512] = "";
	int rc = build(q, rs, err, sizeof err);
	if (rc != 0)
		print_error("%s: %s\n", q, err);
	assert_int_equal(rc, 0);
	assert_int_equal(rs->n, 1);
	return &rs->rules[0];
}

/* Aggregations across keys become step rules: inner shape + vagg. */
static void expect_step(const char *q, enum ww_vagg vagg, enum ww_fn fn, size_t ninner,
			enum ww_group vgm, size_t nv, double k)
{
	struct ruleset rs;
	const struct ww_rule *r = build_one(q, &rs);
	assert_int_equal(r->vagg, vagg);
	assert_int_equal(r->fn, fn);
	assert_int_equal(r->ngroup, ninner);
	assert_int_equal(r->vgroup_mode, vgm);
	assert_int_equal(r->nvgroup, nv);
	assert_true(r->vk == k);
	assert_true(r->eval_ns == 60 * NS_PER_SEC);
	ruleset_free(&rs);
}

static void test_logql_vector_shapes(void **s)
{
	(void)s;
	expect_step("avg by (host) (sum by (host, src_ip) (count_over_time({a=\"b\"}[1m]))) > 3",
		    WW_VAGG_AVG, WW_FN_COUNT, 2, WW_GROUP_BY, 1, 0);
	expect_step("topk(5, sum by (src_ip) (rate({a=\"b\"}[1m]))) > 100", WW_VAGG_TOPK, WW_FN_RATE, 1,
		    WW_GROUP_BY, 0, 5);
	expect_step("bottomk by (host) (2, count_over_time({a=\"b\"}[1m]) by (host, src_ip))",
		    WW_VAGG_BOTTOMK, WW_FN_COUNT, 2, WW_GROUP_BY, 1, 2);
	expect_step("stddev without (src_ip) (count_over_time({a=\"b\"}[1m]) by (host, src_ip))",
		    WW_VAGG_STDDEV, WW_FN_COUNT, 2, WW_GROUP_WITHOUT, 1, 0);
	expect_step("stdvar(rate({a=\"b\"}[1m]))", WW_VAGG_STDVAR, WW_FN_RATE, 0, WW_GROUP_BY, 0, 0);
	expect_step("sort_desc(rate({a=\"b\"}[1m]))", WW_VAGG_SORT_DESC, WW_FN_RATE, 0, WW_GROUP_BY, 0, 0);
	expect_step("sort(sum by (x) (rate({a=\"b\"}[1m])))", WW_VAGG_SORT, WW_FN_RATE, 1, WW_GROUP_BY, 0, 0);
	expect_step("count(rate({a=\"b\"}[1m]))", WW_VAGG_COUNT, WW_FN_RATE, 0, WW_GROUP_BY, 0, 0);
	expect_step("count by (x) (sum by (x, y, z) (count_over_time({a=\"b\"}[1m])))",
		    WW_VAGG_COUNT, WW_FN_COUNT, 3, WW_GROUP_BY, 1, 0);
	expect_step("sum by (x) (max_over_time({a=\"b\"} | unwrap v [1m]))", WW_VAGG_SUM, WW_FN_MAX, 0,
		    WW_GROUP_BY, 1, 0);
	/* the exact per-key shapes stay per key */
	struct ruleset rs;
	const struct ww_rule *r = build_one("sum by (x) (count_over_time({a=\"b\"}[1m]))", &rs);
	assert_int_equal(r->vagg, WW_VAGG_NONE);
	ruleset_free(&rs);

	r = build_one("sum by (src_ip) (rate({a=\"b\"}[1m])) / sum by (src_ip) "
		      "(count_over_time({a=\"c\"}[1m])) * 100 > 5", &rs);
	assert_int_equal(r->setop, WW_SET_ARITH);
	assert_int_equal(r->vop, WW_AR_DIV);
	assert_non_null(r->rhs);
	assert_int_equal(r->rhs->fn, WW_FN_COUNT);
	assert_int_equal(r->npost, 1);
	assert_int_equal(r->post[0].op, WW_AR_MUL);
	assert_int_equal(r->op, WW_OP_GT);
	assert_true(r->threshold == 5);
	ruleset_free(&rs);

	r = build_one("100 - sum(rate({a=\"b\"}[1m])) * 60 > 5", &rs);
	assert_int_equal(r->setop, WW_SET_NONE);
	assert_int_equal(r->nxf, 2);
	assert_int_equal(r->xf[0].op, WW_AR_MUL);
	assert_false(r->xf[0].num_left);
	assert_int_equal(r->xf[1].op, WW_AR_SUB);
	assert_true(r->xf[1].num_left && r->xf[1].num == 100);
	ruleset_free(&rs);

	r = build_one("count_over_time({a=\"b\"}[1m]) > bool count_over_time({a=\"c\"}[1m])", &rs);
	assert_int_equal(r->vop, WW_AR_GT);
	assert_true(r->vop_bool);
	ruleset_free(&rs);

	r = build_one("count(sum by (src_ip) (rate({a=\"b\"}[1m])) * 60 > 5) > 3", &rs);
	assert_int_equal(r->vagg, WW_VAGG_COUNT);
	assert_int_equal(r->nixf, 1);
	assert_int_equal(r->ixf[0].op, WW_AR_MUL);
	assert_int_equal(r->iop, WW_OP_GT);
	assert_true(r->ithreshold == 5 && !r->ibool);
	assert_int_equal(r->op, WW_OP_GT);
	assert_true(r->threshold == 3);
	ruleset_free(&rs);

	r = build_one("avg(count_over_time({a=\"b\"}[1m])) ^ 2 > 4", &rs);
	assert_int_equal(r->vagg, WW_VAGG_AVG);
	assert_int_equal(r->nxf, 1);
	assert_int_equal(r->xf[0].op, WW_AR_POW);
	ruleset_free(&rs);
}

static void test_arith(void **s)
{
	(void)s;
	assert_true(rule_arith(WW_AR_DIV, 1, 0) == INFINITY);
	assert_true(isnan(rule_arith(WW_AR_DIV, 0, 0)));
	assert_true(rule_arith(WW_AR_MOD, 7, 3) == 1);
	assert_true(rule_arith(WW_AR_MOD, -7, 3) == -1);
	assert_true(rule_arith(WW_AR_POW, 2, 10) == 1024);
	assert_true(rule_arith(WW_AR_SUB, 1, 3) == -2);
	const struct ww_xform xf[2] = { { WW_AR_MUL, false, 60 }, { WW_AR_SUB, true, 100 } };
	assert_true(rule_xform_apply(xf, 2, 0.5) == 70);
}

static void test_logql_shapes(void **s)
{
	(void)s;
	expect_shape("sum by (src_ip) (count_over_time({job=\"sshd\"} |= \"Failed\" [10s])) > 5",
		     WW_FN_COUNT, WW_GROUP_BY, "src_ip", WW_OP_GT, 5);
	expect_shape("5 < sum by (src_ip) (rate({job=\"sshd\"}[1m]))",
		     WW_FN_RATE, WW_GROUP_BY, "src_ip", WW_OP_GT, 5);
	expect_shape("sum without (host) (bytes_over_time({job=\"a\"}[5m])) >= 100",
		     WW_FN_BYTES, WW_GROUP_WITHOUT, "host", WW_OP_GE, 100);
	expect_shape("sum(bytes_rate({job=\"a\"}[5m]))", WW_FN_BYTES_RATE, WW_GROUP_BY, NULL, WW_OP_NONE, 0);
	expect_shape("count_over_time({job=\"a\"}[5m]) == 0", WW_FN_COUNT, WW_GROUP_ALL, NULL, WW_OP_EQ, 0);
	expect_shape("max by (host) (max_over_time({job=\"a\"} | logfmt | unwrap took [1m])) > 2",
		     WW_FN_MAX, WW_GROUP_BY, "host", WW_OP_GT, 2);
	expect_shape("min by (host) (min_over_time({job=\"a\"} | logfmt | unwrap duration(took) | __error__=\"\" [1m])) < 0.1",
		     WW_FN_MIN, WW_GROUP_BY, "host", WW_OP_LT, 0.1);
	expect_shape("quantile_over_time(0.99, {job=\"a\"} | json | unwrap bytes(size) [1m]) by (host) > 1000",
		     WW_FN_QUANTILE, WW_GROUP_BY, "host", WW_OP_GT, 1000);
	expect_shape("avg_over_time({job=\"a\"} | json | unwrap v [1m]) by (host) != 3",
		     WW_FN_AVG, WW_GROUP_BY, "host", WW_OP_NE, 3);
	expect_shape("stddev_over_time({job=\"a\"} | json | unwrap v [1m]) without (pid)",
		     WW_FN_STDDEV, WW_GROUP_WITHOUT, "pid", WW_OP_NONE, 0);
	expect_shape("count by (src_ip) (sum by (src_ip, user) (count_over_time({job=\"a\"}[5m]))) > 10",
		     WW_FN_DISTINCT, WW_GROUP_BY, "src_ip", WW_OP_GT, 10);
	expect_shape("count by (src_ip) (count_over_time({job=\"a\"}[5m]) by (src_ip, dest_port)) > 100",
		     WW_FN_DISTINCT, WW_GROUP_BY, "src_ip", WW_OP_GT, 100);
	expect_shape("absent_over_time({job=\"a\"}[15m])", WW_FN_ABSENT, WW_GROUP_ALL, NULL, WW_OP_NONE, 0);
	expect_shape("count_over_time({a=\"b\"}[1m]) > bool 2", WW_FN_COUNT, WW_GROUP_ALL, NULL, WW_OP_GT, 2);
	expect_shape("sum by (src_ip) (count_over_time({job=\"sshd\"} |= \"Failed\" [1m])) > 5 unless "
		     "sum by (src_ip) (count_over_time({job=\"sshd\"} |= \"Accepted\" [1m])) > 0",
		     WW_FN_COUNT, WW_GROUP_BY, "src_ip", WW_OP_GT, 5);

	expect_refused("avg(avg by (x) (count_over_time({a=\"b\"}[1m])))", 78, "one aggregation across keys");
	expect_refused("avg((rate({a=\"b\"}[1m]) > 5) * 2)", 78, "applied last");
	expect_refused("avg(rate({a=\"b\"}[1m]) and rate({a=\"c\"}[1m]))", 78, "one comparison with numbers");
	expect_refused("avg(count_over_time({a=\"b\"}[1m])) / avg(count_over_time({a=\"c\"}[1m]))", 78,
		       "cannot be an operand");
	expect_refused("count_over_time({a=\"b\"}[1m]) / count_over_time({a=\"b\"}[1m]) / "
		       "count_over_time({a=\"b\"}[1m])", 78, "one operation between two vectors");
	expect_refused("sum by (a) (rate({a=\"b\"}[1m])) / sum by (b) (rate({a=\"b\"}[1m]))", 78, "same labels");
	expect_refused("sum by (a) (rate({a=\"b\"}[1m])) / on (a) sum by (a) (rate({a=\"b\"}[1m]))", 78, "on()");
	expect_refused("(count_over_time({a=\"b\"}[1m]) > 2) * 3", 78, "whole expression");
	expect_refused("1 + 2", 78, "numbers alone");
	expect_refused("topk(3, count_over_time({a=\"b\"}[1m])) and count_over_time({a=\"b\"}[1m])", 78,
		       "and/or/unless");
	expect_refused("avg(absent_over_time({a=\"b\"}[1m]))", 78, "absent_over_time");
	expect_refused("count_over_time({a=\"b\"}[1m]) or vector(0)", 78, "vector()");
	expect_refused("sum by (a) (count_over_time({a=\"b\"}[1m])) and sum by (b) (count_over_time({a=\"c\"}[1m]))",
		       78, "same labels");
	expect_refused("sum by (a) (count_over_time({a=\"b\"}[1m])) and on (a) sum by (a) (count_over_time({a=\"c\"}[1m]))",
		       78, "on()");
	expect_refused("count_over_time({a=\"b\"}[1m] offset 1m) > 1", 78, "offset");
	expect_refused("sum_over_time({a=\"b\"} | unwrap v | v > 1 [1m])", 78, "__error__");
	expect_refused("rate_counter({a=\"b\"} | unwrap v [1m])", 78, "rate_counter");
	expect_refused("{a=\"b\"} |= \"x\"", 78, "log query");
	expect_refused("count_over_time({a=\"b\"}[40d]) > 1", 78, "30d");
	expect_refused("count_over_time({a=\"b\"}[1m] > 1", 78, "query: 1:");
}

/* ---- the engine beyond the reference tests ---- */

struct sink {
	char states[64][48];
	double values[64];
	double scores[64];
	size_t n;
	struct alert_builder ab;
	struct ward_event out;
	struct ward_buf json;
};

static void collect(void *ctx, const struct ww_alert *a)
{
	struct sink *k = ctx;
	if (a->series || k->n >= 64)
		return;
	char ts[WARD_RFC3339_LEN];
	time_format_rfc3339(a->at, ts);
	snprintf(k->states[k->n], sizeof k->states[0], "%s@%s", engine_state_str(a->state), ts + 11);
	k->values[k->n] = a->value;
	k->scores[k->n] = a->score;
	k->n++;
	alert_build(&k->ab, a, &k->out);
	buf_reset(&k->json);
	event_serialize(&k->out, &k->json);
}

static void feed(struct ww_engine *e, struct ward_event *ev, int64_t t, const char *key, const char *val)
{
	event_reset(ev);
	ev->ts_ns = t;
	if (key)
		event_set_field(ev, "src_ip", key, strlen(key));
	if (val)
		event_set_field(ev, "v", val, strlen(val));
	event_set_line(ev, "l", 1);
	engine_event(e, ev, t);
}

static struct ww_rule count_rule(enum ww_op op, double thr, int64_t range)
{
	struct ww_rule r;
	rule_init(&r);
	rule_set_str(&r.name, "R");
	rule_add_group(&r, "src_ip");
	r.op = op;
	r.threshold = thr;
	r.range_ns = range;
	return r;
}

/* Numbers in an alert: the summary line prints them as the event's JSON
 * does ("value=10 > 9", not "1e+01 > 9"), {{ $value }} as Prometheus does. */
static void test_alert_numbers(void **s)
{
	(void)s;
	struct ww_rule r = count_rule(WW_OP_GT, 9, 60 * S);
	rule_add_annotation(&r, "v", "{{ $value }}/{{ humanize $value }}");
	struct sink k = { .n = 0 };
	alert_builder_init(&k.ab);
	event_init(&k.out);
	struct ww_engine_opts o = { .max_keys = 100 };
	struct ww_engine *e = engine_new(&r, 1, &o, collect, &k);
	struct ward_event ev;
	event_init(&ev);
	for (int i = 0; i < 10; i++)
		feed(e, &ev, T0 + i * S, "h", NULL);
	assert_int_equal(k.n, 1);
	assert_non_null(strstr(buf_cstr(&k.json), "\"line\":\"R firing src_ip=h value=10 > 9 over 1m\""));
	assert_non_null(strstr(buf_cstr(&k.json), "\"annotations\":{\"v\":\"10/10\"}"));
	engine_free(e);
	event_free(&ev);
	event_free(&k.out);
	buf_free(&k.json);
	alert_builder_free(&k.ab);
	rule_free(&r);
}

static void test_anomaly(void **s)
{
	(void)s;
	struct ww_rule r = count_rule(WW_OP_GT, 4, 60 * S);
	r.kind = WW_KIND_ANOMALY;
	r.step_ns = 60 * S;
	r.alpha = 0.2;
	r.warmup = 5;
	struct sink k = { .n = 0 };
	alert_builder_init(&k.ab);
	event_init(&k.out);
	struct ww_engine_opts o = { .max_keys = 100 };
	struct ww_engine *e = engine_new(&r, 1, &o, collect, &k);
	struct ward_event ev;
	event_init(&ev);
	int64_t t = T0 - T0 % (60 * S);
	for (int m = 0; m < 20; m++)	/* 3 or 4 a minute */
		for (int i = 0; i < 3 + m % 2; i++)
			feed(e, &ev, t + m * 60 * S + i * S, "h", NULL);
	for (int i = 0; i < 40; i++)	/* minute 20: 40 */
		feed(e, &ev, t + 20 * 60 * S + i * S, "h", NULL);
	feed(e, &ev, t + 21 * 60 * S, "h", NULL);
	feed(e, &ev, t + 22 * 60 * S, "h", NULL);
	assert_int_equal(k.n, 2);
	assert_string_equal(k.states[0], "firing@22:34:00.000000000Z");
	assert_true(k.values[0] == 40);
	assert_true(k.scores[0] > 4);
	assert_string_equal(k.states[1], "resolved@22:35:00.000000000Z");
	engine_finish(e);
	engine_free(e);
	event_free(&ev);
	event_free(&k.out);
	buf_free(&k.json);
	alert_builder_free(&k.ab);
	rule_free(&r);
}

/* Anomaly rules learn for `warmup` buckets and judge from the next one on:
 * a spike in the first judged bucket fires, one in the last learning bucket
 * does not. */
static int anomaly_spike_at(int spike_minute, int warmup)
{
	struct ww_rule r = count_rule(WW_OP_GT, 4, 60 * S);
	r.kind = WW_KIND_ANOMALY;
	r.step_ns = 60 * S;
	r.alpha = 0.2;
	r.warmup = (unsigned)warmup;
	struct sink k = { .n = 0 };
	alert_builder_init(&k.ab);
	event_init(&k.out);
	struct ww_engine_opts o = { .max_keys = 100 };
	struct ww_engine *e = engine_new(&r, 1, &o, collect, &k);
	struct ward_event ev;
	event_init(&ev);
	int64_t t = T0 - T0 % (60 * S);
	for (int m = 0; m <= spike_minute + 1; m++)
		for (int i = 0; i < (m == spike_minute ? 40 : 2); i++)
			feed(e, &ev, t + m * 60 * S + i * S, "h", NULL);
	int fired = 0;
	for (size_t i = 0; i < k.n; i++)
		fired += strncmp(k.states[i], "firing", 6) == 0;
	engine_free(e);
	event_free(&ev);
	event_free(&k.out);
	buf_free(&k.json);
	alert_builder_free(&k.ab);
	rule_free(&r);
	return fired;
}

static void test_anomaly_warmup(void **s)
{
	(void)s;
	assert_int_equal(anomaly_spike_at(3, 3), 1);
	assert_int_equal(anomaly_spike_at(2, 3), 0);
	assert_int_equal(anomaly_spike_at(5, 5), 1);
	assert_int_equal(anomaly_spike_at(4, 5), 0);
}

static void test_absent(void **s)
{
	(void)s;
	struct ww_rule r = count_rule(WW_OP_NONE, 0, 10 * S);
	r.fn = WW_FN_ABSENT;
	struct sink k = { .n = 0 };
	alert_builder_init(&k.ab);
	event_init(&k.out);
	struct ww_engine_opts o = { .max_keys = 100 };
	struct ww_engine *e = engine_new(&r, 1, &o, collect, &k);
	struct ward_event ev;
	event_init(&ev);
	int64_t t = T0 - T0 % (60 * S);
	feed(e, &ev, t, "a", NULL);
	feed(e, &ev, t + 5 * S, "b", NULL);
	engine_advance(e, t + 30 * S);	/* time passes without events */
	feed(e, &ev, t + 31 * S, "c", NULL);
	engine_finish(e);
	assert_int_equal(k.n, 3);
	assert_string_equal(k.states[0], "firing@22:13:15.000000000Z");
	assert_string_equal(k.states[1], "resolved@22:13:31.000000000Z");
	assert_string_equal(k.states[2], "firing@22:13:41.000000000Z");
	engine_free(e);
	event_free(&ev);
	event_free(&k.out);
	buf_free(&k.json);
	alert_builder_free(&k.ab);
	rule_free(&r);
}

/* A full window of attackers and a flood of one-event keys: the bound
 * evicts the flood, not the key about to fire. */
static void test_eviction_keeps_close_keys(void **s)
{
	(void)s;
	struct ww_rule r = count_rule(WW_OP_GT, 5, 60 * S);
	struct sink k = { .n = 0 };
	alert_builder_init(&k.ab);
	event_init(&k.out);
	struct ww_engine_opts o = { .max_keys = 50 };
	struct ww_engine *e = engine_new(&r, 1, &o, collect, &k);
	struct ward_event ev;
	event_init(&ev);
	for (int i = 0; i < 5; i++)
		feed(e, &ev, T0 + i * S, "attacker", NULL);
	for (int i = 0; i < 5000; i++) {
		char ip[32];
		snprintf(ip, sizeof ip, "198.18.%d.%d", i / 256, i % 256);
		feed(e, &ev, T0 + 5 * S + i * 1000, ip, NULL);
	}
	feed(e, &ev, T0 + 6 * S, "attacker", NULL);
	engine_finish(e);
	const struct ww_stats *st = engine_stats(e);
	assert_true(st->keys_peak <= 50);
	assert_true(st->evicted >= 4950);
	assert_int_equal(st->evicted_active, 0);
	assert_int_equal(k.n, 2);
	assert_string_equal(k.states[0], "firing@22:13:26.000000000Z");
	engine_free(e);
	event_free(&ev);
	event_free(&k.out);
	buf_free(&k.json);
	alert_builder_free(&k.ab);
	rule_free(&r);
}

static void test_bad_input(void **s)
{
	(void)s;
	struct ww_rule r = count_rule(WW_OP_GT, 1, 10 * S);
	r.fn = WW_FN_SUM;
	rule_set_str(&r.unwrap, "v");
	struct sink k = { .n = 0 };
	alert_builder_init(&k.ab);
	event_init(&k.out);
	struct ww_engine_opts o = { .max_keys = 100, .lateness_ns = 2 * S };
	struct ww_engine *e = engine_new(&r, 1, &o, collect, &k);
	struct ward_event ev;
	event_init(&ev);
	feed(e, &ev, T0 + 10 * S, "a", "1");
	feed(e, &ev, T0 + 9 * S, "a", "0.5");	/* within lateness */
	feed(e, &ev, T0 + 5 * S, "a", "7");	/* late */
	feed(e, &ev, T0 + 11 * S, "a", "x");	/* __error__ */
	feed(e, &ev, T0 + 11 * S, "a", "1e400");	/* overflow: error */
	feed(e, &ev, T0 + 11 * S, NULL, "2");	/* no key: "" */
	engine_finish(e);
	const struct ww_stats *st = engine_stats(e);
	assert_int_equal(st->late, 1);
	assert_int_equal(st->unwrap_errors, 2);
	assert_int_equal(st->key_missing, 1);
	assert_int_equal(k.n, 4);	/* key a: 1.5 > 1, key "": 2 > 1 */
	engine_free(e);
	event_free(&ev);
	event_free(&k.out);
	buf_free(&k.json);
	alert_builder_free(&k.ab);
	rule_free(&r);
}

static void test_alert_event(void **s)
{
	(void)s;
	struct ww_rule r = count_rule(WW_OP_GT, 1, 10 * S);
	rule_set_str(&r.name, "SSHBruteForce");
	rule_add_label(&r, "severity", "high");
	rule_add_annotation(&r, "summary", "{{ $labels.src_ip }} x{{ $value }}");
	struct sink k = { .n = 0 };
	alert_builder_init(&k.ab);
	event_init(&k.out);
	struct ww_engine_opts o = { .max_keys = 100, .evidence = 1 };
	struct ww_engine *e = engine_new(&r, 1, &o, collect, &k);
	struct ward_event ev;
	event_init(&ev);
	feed(e, &ev, T0, "198.18.0.7", NULL);
	feed(e, &ev, T0 + S, "198.18.0.7", NULL);
	feed(e, &ev, T0 + 2 * S, "198.18.0.8", NULL);
	assert_int_equal(k.n, 1);
	struct json_object *j = json_tokener_parse(buf_cstr(&k.json));
	assert_non_null(j);
	struct json_object *a, *x;
	assert_true(json_object_object_get_ex(j, "alert", &a));
	assert_true(json_object_object_get_ex(a, "state", &x));
	assert_string_equal(json_object_get_string(x), "firing");
	assert_true(json_object_object_get_ex(a, "value", &x));
	assert_int_equal(json_object_get_int(x), 2);
	assert_true(json_object_object_get_ex(a, "count", &x));
	assert_int_equal(json_object_get_int(x), 2);
	assert_true(json_object_object_get_ex(a, "evidence", &x));
	assert_int_equal(json_object_array_length(x), 1);
	assert_true(json_object_object_get_ex(a, "annotations", &x));
	assert_true(json_object_object_get_ex(x, "summary", &x));
	assert_string_equal(json_object_get_string(x), "198.18.0.7 x2");
	assert_true(json_object_object_get_ex(j, "fields", &x));
	assert_true(json_object_object_get_ex(x, "src_ip", &x));
	assert_string_equal(json_object_get_string(x), "198.18.0.7");
	assert_true(json_object_object_get_ex(j, "labels", &x));
	assert_true(json_object_object_get_ex(x, "severity", &x));
	json_object_put(j);
	engine_finish(e);
	engine_free(e);
	event_free(&ev);
	event_free(&k.out);
	buf_free(&k.json);
	alert_builder_free(&k.ab);
	rule_free(&r);
}

/* A rising count fires as the crossing event arrives; a `for` rule waits
 * for time to pass. */
static void test_eager(void **s)
{
	(void)s;
	for (int with_for = 0; with_for < 2; with_for++) {
		struct ww_rule r = count_rule(WW_OP_GT, 5, 10 * S);
		r.for_ns = with_for ? S : 0;
		struct sink k = { .n = 0 };
		alert_builder_init(&k.ab);
		event_init(&k.out);
		struct ww_engine_opts o = { .max_keys = 100 };
		struct ww_engine *e = engine_new(&r, 1, &o, collect, &k);
		struct ward_event ev;
		event_init(&ev);
		for (int i = 0; i < 6; i++)
			feed(e, &ev, T0 + i * S, "198.18.0.7", NULL);
		assert_int_equal(k.n, with_for ? 0 : 1);
		assert_int_equal(engine_rule_eager(&r, 0), !with_for);
		assert_false(engine_rule_eager(&r, S));
		engine_finish(e);
		assert_int_equal(k.n, with_for ? 3 : 2);
		engine_free(e);
		event_free(&ev);
		event_free(&k.out);
		buf_free(&k.json);
		alert_builder_free(&k.ab);
		rule_free(&r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threshold),
		cmocka_unit_test(test_comparisons),
		cmocka_unit_test(test_template),
		cmocka_unit_test(test_logql_shapes),
		cmocka_unit_test(test_logql_vector_shapes),
		cmocka_unit_test(test_arith),
		cmocka_unit_test(test_alert_numbers),
		cmocka_unit_test(test_anomaly),
		cmocka_unit_test(test_anomaly_warmup),
		cmocka_unit_test(test_absent),
		cmocka_unit_test(test_eviction_keeps_close_keys),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_alert_event),
		cmocka_unit_test(test_eager),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
