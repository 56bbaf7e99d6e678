/* Unit tests of alert events (alert.h): the alert and series members,
 * written as JSON text, are what json-c wrote before them: members in
 * order, a repeated name at its first place with its last value, strings
 * repaired to UTF-8, integral numbers as integers, NaN as a string. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "buf.h"
#include "event.h"
#include "stages/window/alert.h"
#include "stages/window/alerttmpl.h"

static struct ww_kv kv(const char *key, const char *tmpl)
{
	return (struct ww_kv){ .key = (char *)key, .val = (char *)tmpl,
			       .tmpl = alerttmpl_compile(tmpl, strlen(tmpl)) };
}

static void free_kvs(struct ww_kv *k, size_t n)
{
	for (size_t i = 0; i < n; i++)
		alerttmpl_free(k[i].tmpl);
}

static const char *written(struct ward_event *ev, struct ward_buf *out)
{
	buf_reset(out);
	event_serialize(ev, out);
	return buf_cstr(out);
}

static void test_alert_member(void **state)
{
	(void)state;
	struct ww_kv labels[] = { kv("severity", "high"), kv("src", "{{ $labels.src_ip }}"),
				  kv("severity", "low") };
	struct ww_kv ann[] = { kv("summary", "{{ $value }} from {{ $labels.src_ip }}") };
	struct ww_rule r = { .name = "Brute", .kind = WW_KIND_THRESHOLD, .range_ns = 10000000000LL,
			     .op = WW_OP_GE, .threshold = 5, .labels = labels, .nlabels = 3,
			     .annotations = ann, .nannotations = 1 };
	const char *names[] = { "src_ip", "user", "src_ip" };
	const char *vals[] = { "198.18.0.7", "r\"oot", "198.18.0.8" };
	const size_t lens[] = { 10, 5, 10 };
	const char *evid[] = { "a \xc0 b", "c" };
	const size_t evlens[] = { 5, 1 };
	struct ww_alert a = { .rule = &r, .state = WW_FIRING, .renotify = true, .at = 0, .value = 6,
			      .first = 1000000000, .last = INT64_MIN, .count = 7, .nkey = 3,
			      .key_names = names, .key_vals = vals, .key_lens = lens, .nevidence = 2,
			      .evidence = evid, .evidence_lens = evlens };
	struct alert_builder b;
	struct ward_event ev;
	struct ward_buf out = WARD_BUF_INIT;
	alert_builder_init(&b);
	event_init(&ev);
	alert_build(&b, &a, &ev);
	assert_string_equal(written(&ev, &out),
		"{\"v\":1,\"ts\":\"1970-01-01T00:00:00.000000000Z\","
		"\"labels\":{\"job\":\"ward\",\"alertname\":\"Brute\",\"severity\":\"low\",\"src\":\"198.18.0.7\"},"
		"\"line\":\"Brute firing src_ip=198.18.0.7 user=r\\\"oot src_ip=198.18.0.8 value=6 >= 5 over 10s\","
		"\"fields\":{\"src_ip\":\"198.18.0.8\",\"user\":\"r\\\"oot\"},"
		"\"alert\":{\"rule\":\"Brute\",\"state\":\"firing\","
		"\"key\":{\"src_ip\":\"198.18.0.8\",\"user\":\"r\\\"oot\"},\"value\":6,\"op\":\">=\",\"threshold\":5,"
		"\"window\":\"10s\",\"first\":\"1970-01-01T00:00:01.000000000Z\",\"count\":7,\"renotify\":true,"
		"\"evidence\":[\"a \xef\xbf\xbd b\",\"c\"],"
		"\"labels\":{\"severity\":\"low\",\"src\":\"198.18.0.7\"},"
		"\"annotations\":{\"summary\":\"6 from 198.18.0.7\"}}}");
	/* what the Alertmanager output reads */
	assert_non_null(event_get_extra(&ev, "alert"));
	/* a fractional value and a NaN threshold, `bool` */
	a.value = 0.25;
	a.nkey = 1;
	a.renotify = false;
	a.first = INT64_MIN;
	a.nevidence = 0;
	r.threshold = NAN;
	r.bool_result = true;
	r.nlabels = r.nannotations = 0;
	alert_build(&b, &a, &ev);
	assert_non_null(strstr(written(&ev, &out),
		"\"alert\":{\"rule\":\"Brute\",\"state\":\"firing\",\"key\":{\"src_ip\":\"198.18.0.7\"},"
		"\"value\":0.25,\"op\":\">=\",\"threshold\":\"NaN\",\"bool\":true,\"window\":\"10s\",\"count\":7,"
		"\"evidence\":[],\"labels\":{},\"annotations\":{}}}"));
	/* a series point */
	alert_series_build(&b, &a, &ev);
	assert_string_equal(written(&ev, &out),
		"{\"v\":1,\"ts\":\"1970-01-01T00:00:00.000000000Z\","
		"\"labels\":{\"job\":\"ward\",\"series\":\"Brute\"},\"line\":\"\","
		"\"fields\":{\"src_ip\":\"198.18.0.7\"},"
		"\"series\":{\"rule\":\"Brute\",\"value\":0.25,\"threshold\":\"NaN\",\"bool\":true}}");
	buf_free(&out);
	event_free(&ev);
	alert_builder_free(&b);
	free_kvs(labels, 3);
	free_kvs(ann, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alert_member),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
