/* Unit tests: ward alert events as Alertmanager alerts, and the table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "am_alerts.h"
#include "event.h"
#include "wtime.h"

#define T0 1796083200000000000LL	/* 2026-12-01T00:00:00Z */

static enum am_from from_json(const char *json, struct am_update *u)
{
	struct ward_event ev;
	struct ward_event_parser p;
	char err[128];
	event_init(&ev);
	assert_int_equal(event_parser_init(&p), 0);
	assert_int_equal(event_parse(&ev, &p, json, strlen(json), err, sizeof err), 0);
	enum am_from f = am_update_from_event(&ev, T0, u);
	event_free(&ev);
	event_parser_free(&p);
	return f;
}

static void test_mapping(void **state)
{
	(void)state;
	struct am_update u;
	assert_int_equal(from_json("{\"ts\":\"2026-12-01T00:00:05Z\",\"alert\":{\"rule\":\"Brute\",\"state\":\"firing\","
				   "\"key\":{\"src_ip\":\"198.18.0.7\",\"alertname\":\"spoof\"},"
				   "\"labels\":{\"severity\":\"high\",\"src_ip\":\"rule wins\",\"bad-name\":\"x\",\"empty\":\"\",\"n\":3},"
				   "\"annotations\":{\"summary\":\"s \\\"q\\\"\",\"9bad\":\"x\"}}}", &u), AM_UPDATE);
	assert_string_equal(u.labels, "{\"alertname\":\"Brute\",\"n\":\"3\",\"severity\":\"high\",\"src_ip\":\"rule wins\"}");
	assert_string_equal(u.annotations, "{\"summary\":\"s \\\"q\\\"\"}");
	assert_int_equal(u.ts_ns, T0 + 5 * NS_PER_SEC);
	assert_false(u.resolved);
	am_update_free(&u);

	assert_int_equal(from_json("{\"line\":\"x\"}", &u), AM_NOT_ALERT);
	assert_int_equal(from_json("{\"action\":{\"kind\":\"ban\"}}", &u), AM_NOT_ALERT);
	assert_int_equal(from_json("{\"alert\":{\"rule\":\"R\",\"state\":\"pending\"}}", &u), AM_PENDING);
	assert_int_equal(from_json("{\"alert\":{\"rule\":\"R\"}}", &u), AM_INVALID);
	assert_int_equal(from_json("{\"alert\":{\"rule\":\"R\",\"state\":\"odd\"}}", &u), AM_INVALID);
	assert_int_equal(from_json("{\"alert\":[1]}", &u), AM_INVALID);
	/* no ts: now */
	assert_int_equal(from_json("{\"alert\":{\"rule\":\"R\",\"state\":\"resolved\"}}", &u), AM_UPDATE);
	assert_int_equal(u.ts_ns, T0);
	assert_true(u.resolved);
	am_update_free(&u);
}

static struct am_update upd(const char *labels, const char *ann, int64_t ts, bool resolved)
{
	struct am_update u = { ward_xstrdup(labels), ward_xstrdup(ann), ward_xstrdup("R"), ts, resolved };
	return u;
}

static void test_table_lifecycle(void **state)
{
	(void)state;
	struct am_table t;
	am_table_init(&t, 2);
	struct am_update u = upd("{\"a\":\"1\"}", "{}", T0, false);
	assert_int_equal(am_table_apply(&t, &u, 100), AM_NEW);
	assert_true(am_needs_send(&t.a[0], 100, 60));
	/* delivered */
	t.a[0].sent_gen = t.a[0].gen;
	t.a[0].last_sent_mono = 100;
	assert_false(am_needs_send(&t.a[0], 120, 60));
	assert_true(am_needs_send(&t.a[0], 160, 60));	/* resend interval */
	/* a renotification changes nothing: startsAt kept */
	u = upd("{\"a\":\"1\"}", "{}", T0 + 9, false);
	assert_int_equal(am_table_apply(&t, &u, 130), AM_SAME);
	assert_int_equal(t.a[0].starts_ns, T0);
	assert_int_equal(am_table_undelivered(&t), 0);
	/* resolved: endsAt the resolution time, must be sent again */
	u = upd("{\"a\":\"1\"}", "{}", T0 + 14, true);
	assert_int_equal(am_table_apply(&t, &u, 140), AM_CHANGED);
	assert_int_equal(t.a[0].ends_ns, T0 + 14);
	assert_int_equal(am_table_undelivered(&t), 1);
	assert_int_equal(am_table_firing(&t), 0);
	/* not forgotten before it is delivered, then after the retention */
	am_table_expire(&t, 10000, 100);
	assert_int_equal(t.n, 1);
	t.a[0].sent_gen = t.a[0].gen;
	am_table_expire(&t, 200, 100);
	assert_int_equal(t.n, 1);
	am_table_expire(&t, 240, 100);
	assert_int_equal(t.n, 0);
	am_table_free(&t);
}

static void test_table_bound(void **state)
{
	(void)state;
	struct am_table t;
	am_table_init(&t, 2);
	struct am_update u = upd("{\"a\":\"1\"}", "{}", T0, false);
	am_table_apply(&t, &u, 1);
	u = upd("{\"a\":\"2\"}", "{}", T0, false);
	am_table_apply(&t, &u, 2);
	u = upd("{\"a\":\"3\"}", "{}", T0, false);
	assert_int_equal(am_table_apply(&t, &u, 3), AM_FULL);
	assert_null(u.labels);	/* freed */
	/* a resolved alert makes room */
	u = upd("{\"a\":\"1\"}", "{}", T0 + 1, true);
	am_table_apply(&t, &u, 4);
	u = upd("{\"a\":\"3\"}", "{}", T0, false);
	assert_int_equal(am_table_apply(&t, &u, 5), AM_NEW);
	assert_int_equal(t.n, 2);
	am_table_free(&t);
}

static void test_json(void **state)
{
	(void)state;
	struct am_alert a = { .labels = "{\"alertname\":\"B r\"}", .annotations = "{}", .rule = "B r",
			      .starts_ns = T0 };
	struct ward_buf b = WARD_BUF_INIT;
	am_alert_json(&a, T0 + 10 * NS_PER_SEC, 240 * NS_PER_SEC, "http://w/r?n={rule}&x={rule}", &b);
	assert_string_equal(buf_cstr(&b),
		"{\"labels\":{\"alertname\":\"B r\"},\"annotations\":{},"
		"\"startsAt\":\"2026-12-01T00:00:00.000000000Z\",\"endsAt\":\"2026-12-01T00:04:10.000000000Z\","
		"\"generatorURL\":\"http://w/r?n=B%20r&x=B%20r\"}");
	/* event time ahead of the clock: endsAt still after startsAt */
	buf_reset(&b);
	am_alert_json(&a, T0 - 3600 * NS_PER_SEC, 240 * NS_PER_SEC, NULL, &b);
	assert_non_null(strstr(buf_cstr(&b), "\"endsAt\":\"2026-12-01T00:04:00.000000000Z\"}"));
	/* resolved */
	a.ends_ns = T0 + NS_PER_SEC;
	buf_reset(&b);
	am_alert_json(&a, T0 + 10 * NS_PER_SEC, 240 * NS_PER_SEC, "", &b);
	assert_non_null(strstr(buf_cstr(&b), "\"endsAt\":\"2026-12-01T00:00:01.000000000Z\"}"));
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mapping),
		cmocka_unit_test(test_table_lifecycle),
		cmocka_unit_test(test_table_bound),
		cmocka_unit_test(test_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
