/* Unit tests: event parse/serialize (docs/events.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <json-c/json.h>
#include <string.h>

#include "buf.h"
#include "event.h"
#include "utf8.h"

struct fx {
	struct ward_event ev;
	struct ward_event_parser p;
	struct ward_buf out;
	char err[160];
};

static int setup(void **state)
{
	struct fx *f = ward_xcalloc(1, sizeof *f);
	event_init(&f->ev);
	assert_int_equal(event_parser_init(&f->p), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	event_free(&f->ev);
	event_parser_free(&f->p);
	buf_free(&f->out);
	free(f);
	return 0;
}

static int parse(struct fx *f, const char *json)
{
	return event_parse(&f->ev, &f->p, json, strlen(json), f->err, sizeof f->err);
}

static const char *roundtrip(struct fx *f, const char *json)
{
	assert_int_equal(parse(f, json), 0);
	buf_reset(&f->out);
	event_serialize(&f->ev, &f->out);
	return buf_cstr(&f->out);
}

static void test_roundtrip_canonical(void **state)
{
	const char *in = "{\"v\":1,\"ts\":\"2026-11-28T08:43:52.123456789Z\",\"labels\":{\"job\":\"sshd\"},"
			 "\"line\":\"Failed password\",\"fields\":{\"src_ip\":\"198.18.0.7\",\"port\":4242},"
			 "\"rule\":\"R1\",\"alert\":{\"rule\":\"R1\",\"value\":6,\"evidence\":[\"a\",\"b\"]}}";
	assert_string_equal(roundtrip(*state, in), in);
}

/* Head then tail is event_serialize, so ward-match may write one head for
 * several tails (one per matching rule). */
static void test_head_and_tail_make_the_event(void **state)
{
	struct fx *f = *state;
	const char *in = "{\"v\":1,\"ts\":\"2026-11-28T08:43:52.123456789Z\",\"labels\":{\"job\":\"sshd\"},"
			 "\"line\":\"a \\\"q\\\" \\u0001\",\"fields\":{\"src_ip\":\"198.18.0.7\"},"
			 "\"rule\":\"R1\",\"x\":[1]}";
	const char *whole = roundtrip(f, in);
	struct ward_buf parts = WARD_BUF_INIT;
	event_serialize_head(&f->ev, &parts);
	assert_true(parts.len > 0 && strncmp(whole, parts.data, parts.len) == 0);
	event_serialize_tail(&f->ev, &parts);
	assert_string_equal(buf_cstr(&parts), whole);
	buf_free(&parts);
}

static void test_missing_members_are_tolerated(void **state)
{
	struct fx *f = *state;
	assert_string_equal(roundtrip(f, "{}"), "{\"v\":1,\"labels\":{},\"line\":\"\",\"fields\":{}}");
	assert_true(f->ev.ts_ns == WARD_TS_NONE);
	assert_null(f->ev.rule);
}

static void test_ts_offsets_normalize_to_utc(void **state)
{
	assert_string_equal(roundtrip(*state, "{\"ts\":\"2026-11-28T09:43:52.5+01:00\"}"),
			    "{\"v\":1,\"ts\":\"2026-11-28T08:43:52.500000000Z\",\"labels\":{},\"line\":\"\",\"fields\":{}}");
}

static void test_unknown_keys_pass_through(void **state)
{
	struct fx *f = *state;
	roundtrip(f, "{\"x_custom\":{\"deep\":[1,2,{\"k\":null}]},\"line\":\"l\"}");
	assert_non_null(strstr(buf_cstr(&f->out), "\"x_custom\":{\"deep\":[1,2,{\"k\":null}]}"));
	assert_non_null(event_get_extra(&f->ev, "x_custom"));
}

static void test_lookup_prefers_fields(void **state)
{
	struct fx *f = *state;
	assert_int_equal(parse(f, "{\"labels\":{\"host\":\"a\",\"src_ip\":\"1.1.1.1\"},\"fields\":{\"src_ip\":\"2.2.2.2\"}}"), 0);
	assert_string_equal(event_lookup(&f->ev, "src_ip")->val, "2.2.2.2");
	assert_string_equal(event_lookup(&f->ev, "host")->val, "a");
	assert_null(event_lookup(&f->ev, "nope"));
}

static void test_malformed_records(void **state)
{
	struct fx *f = *state;
	static const char *const bad[] = {
		"", "not json", "[1,2]", "\"str\"", "{\"line\":5}", "{\"labels\":[]}",
		"{\"ts\":\"yesterday\"}", "{\"ts\":12}", "{\"a\":1} trailing", "{\"a\":1",
		"{\"line\":\"\xff\"}", "{\"rule\":1}", "{\"v\":\"1\"}", "{\"fields\":{\"\xc3\":1}}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (parse(f, bad[i]) != -1)
			fail_msg("accepted: %s", bad[i]);
		assert_true(strlen(f->err) > 0);
	}
}

static void test_depth_limit(void **state)
{
	struct fx *f = *state;
	struct ward_buf deep = WARD_BUF_INIT;
	buf_append_str(&deep, "{\"x\":");
	for (int i = 0; i < 100; i++)
		buf_append_char(&deep, '[');
	for (int i = 0; i < 100; i++)
		buf_append_char(&deep, ']');
	buf_append_char(&deep, '}');
	assert_int_equal(parse(f, buf_cstr(&deep)), -1);
	buf_free(&deep);
}

static void test_key_count_limit(void **state)
{
	struct fx *f = *state;
	struct ward_buf j = WARD_BUF_INIT;
	buf_append_str(&j, "{\"fields\":{");
	for (int i = 0; i < WARD_EVENT_MAX_KEYS + 1; i++)
		buf_printf(&j, "%s\"k%d\":1", i ? "," : "", i);
	buf_append_str(&j, "}}");
	assert_int_equal(parse(f, buf_cstr(&j)), -1);
	buf_free(&j);
}

static void test_serialize_sanitizes_utf8_and_controls(void **state)
{
	struct fx *f = *state;
	event_reset(&f->ev);
	event_set_line(&f->ev, "a\xff\n\"b\x01\0c", 8);
	event_set_field(&f->ev, "user", "r\xc3\xa9my", 5);
	buf_reset(&f->out);
	event_serialize(&f->ev, &f->out);
	assert_string_equal(buf_cstr(&f->out),
			    "{\"v\":1,\"labels\":{},\"line\":\"a\xef\xbf\xbd\\n\\\"b\\u0001\\u0000c\",\"fields\":{\"user\":\"r\xc3\xa9my\"}}");
	assert_true(utf8_valid(f->out.data, f->out.len));
	/* and it parses back to the same bytes, NUL included */
	assert_int_equal(parse(f, buf_cstr(&f->out)), 0);
	assert_int_equal(f->ev.line_len, 10);
	assert_memory_equal(f->ev.line, "a\xef\xbf\xbd\n\"b\x01\0c", 10);
}

static void test_extra_strings_are_sanitized(void **state)
{
	struct fx *f = *state;
	event_reset(&f->ev);
	struct json_object *a = json_object_new_object();
	json_object_object_add(a, "evidence", json_object_new_string_len("x\xc0y", 3));
	event_set_extra(&f->ev, "alert", a);
	buf_reset(&f->out);
	event_serialize(&f->ev, &f->out);
	assert_true(utf8_valid(f->out.data, f->out.len));
	assert_non_null(strstr(f->out.data, "\"alert\":{\"evidence\":\"x\xef\xbf\xbdy\"}"));
}

static void test_builders_replace_in_place(void **state)
{
	struct fx *f = *state;
	event_reset(&f->ev);
	event_set_label(&f->ev, "a", "1", 1);
	event_set_label(&f->ev, "b", "2", 1);
	event_set_label(&f->ev, "a", "3", 1);
	event_set_field_num(&f->ev, "n", 2.5);
	event_set_field_num(&f->ev, "i", 7);
	assert_true(event_del_label(&f->ev, "b"));
	assert_false(event_del_label(&f->ev, "b"));
	buf_reset(&f->out);
	event_serialize(&f->ev, &f->out);
	assert_string_equal(buf_cstr(&f->out),
			    "{\"v\":1,\"labels\":{\"a\":\"3\"},\"line\":\"\",\"fields\":{\"n\":2.5,\"i\":7}}");
}

static void test_copy_is_deep(void **state)
{
	struct fx *f = *state;
	struct ward_event copy;
	event_init(&copy);
	assert_int_equal(parse(f, "{\"ts\":\"2026-01-01T00:00:00Z\",\"labels\":{\"a\":\"b\"},\"line\":\"x\",\"rule\":\"r\",\"alert\":{\"v\":1}}"), 0);
	event_copy(&copy, &f->ev);
	event_reset(&f->ev);
	struct ward_buf out = WARD_BUF_INIT;
	event_serialize(&copy, &out);
	assert_string_equal(buf_cstr(&out),
			    "{\"v\":1,\"ts\":\"2026-01-01T00:00:00.000000000Z\",\"labels\":{\"a\":\"b\"},\"line\":\"x\",\"fields\":{},\"rule\":\"r\",\"alert\":{\"v\":1}}");
	buf_free(&out);
	event_free(&copy);
}

static void test_reuse_does_not_leak_between_events(void **state)
{
	struct fx *f = *state;
	for (int i = 0; i < 1000; i++) {
		assert_int_equal(parse(f, "{\"labels\":{\"a\":\"b\"},\"fields\":{\"x\":\"yyyyyyyyyyyyyyyyyyyyyy\"},\"alert\":{}}"), 0);
		assert_int_equal(f->ev.labels.len, 1);
		assert_int_equal(f->ev.fields.len, 1);
	}
}

/* Found by fuzz_event: json-c kept a pending high surrogate across reset. */
static void test_failed_parse_leaves_no_state(void **state)
{
	struct fx *f = *state;
	assert_int_equal(parse(f, "{\"line\":\"\\ud83d"), -1);
	assert_int_equal(parse(f, "{\"line\":\"1\\u0011\"}"), 0);
	assert_int_equal(f->ev.line_len, 2);
	assert_memory_equal(f->ev.line, "1\x11", 2);
}

/* Members written as text (ward-window's alerts) follow extra's, survive
 * a copy, and are found by event_get_extra as if set as objects. */
static void test_extra_text_members(void **state)
{
	struct fx *f = *state;
	event_reset(&f->ev);
	event_set_extra(&f->ev, "x", json_object_new_int(1));
	static const char text[] = ",\"alert\":{\"rule\":\"R\",\"count\":3},\"y\":[true]";
	event_set_extra_text(&f->ev, text, sizeof text - 1);
	buf_reset(&f->out);
	event_serialize(&f->ev, &f->out);
	assert_string_equal(buf_cstr(&f->out), "{\"v\":1,\"labels\":{},\"line\":\"\",\"fields\":{},\"x\":1"
			    ",\"alert\":{\"rule\":\"R\",\"count\":3},\"y\":[true]}");
	struct json_object *a = event_get_extra(&f->ev, "alert"), *v;
	assert_non_null(a);
	assert_true(json_object_object_get_ex(a, "count", &v));
	assert_int_equal(json_object_get_int(v), 3);
	assert_non_null(event_get_extra(&f->ev, "x"));
	assert_null(event_get_extra(&f->ev, "rule"));
	struct ward_event copy;
	event_init(&copy);
	event_copy(&copy, &f->ev);
	event_reset(&f->ev);
	assert_null(event_get_extra(&f->ev, "alert"));
	struct ward_buf out = WARD_BUF_INIT;
	event_serialize(&copy, &out);
	assert_non_null(strstr(buf_cstr(&out), ",\"alert\":{\"rule\":\"R\",\"count\":3},\"y\":[true]}"));
	buf_free(&out);
	event_free(&copy);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_roundtrip_canonical, setup, teardown),
		cmocka_unit_test_setup_teardown(test_head_and_tail_make_the_event, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_members_are_tolerated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ts_offsets_normalize_to_utc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_keys_pass_through, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lookup_prefers_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_records, setup, teardown),
		cmocka_unit_test_setup_teardown(test_depth_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_key_count_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_serialize_sanitizes_utf8_and_controls, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extra_strings_are_sanitized, setup, teardown),
		cmocka_unit_test_setup_teardown(test_builders_replace_in_place, setup, teardown),
		cmocka_unit_test_setup_teardown(test_copy_is_deep, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reuse_does_not_leak_between_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_parse_leaves_no_state, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extra_text_members, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
