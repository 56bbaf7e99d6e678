/* Unit tests: Loki push bodies, gzip, backoff, status verdicts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <zlib.h>

#include "event.h"
#include "loki_push.h"
#include "wtime.h"

static void test_streams_grouped_in_order(void **state)
{
	(void)state;
	struct loki_batch b;
	loki_batch_init(&b);
	const char *n1[] = { "job", "host" }, *v1[] = { "sshd", "web1" };
	const char *n2[] = { "host", "job" }, *v2[] = { "web1", "sshd" };	/* same set */
	const char *n3[] = { "job" }, *v3[] = { "nginx" };
	loki_batch_add(&b, n1, v1, 2, 3, "first", 5);
	loki_batch_add(&b, n3, v3, 1, 2, "other", 5);
	loki_batch_add(&b, n2, v2, 2, 1, "second \"q\"", 10);
	assert_int_equal(b.nstreams, 2);
	assert_int_equal(b.entries, 3);
	assert_int_equal(b.line_bytes, 20);
	struct ward_buf out = WARD_BUF_INIT;
	loki_batch_serialize(&b, &out);
	assert_string_equal(buf_cstr(&out),
		"{\"streams\":[{\"stream\":{\"host\":\"web1\",\"job\":\"sshd\"},\"values\":"
		"[[\"3\",\"first\"],[\"1\",\"second \\\"q\\\"\"]]},"
		"{\"stream\":{\"job\":\"nginx\"},\"values\":[[\"2\",\"other\"]]}]}");
	loki_batch_clear(&b);
	assert_int_equal(b.nstreams, 0);
	buf_free(&out);
	loki_batch_free(&b);
}

static void test_no_labels_and_bad_names(void **state)
{
	(void)state;
	struct loki_batch b;
	loki_batch_init(&b);
	loki_batch_add(&b, NULL, NULL, 0, 1700000000000000000LL, "x", 1);
	const char *n[] = { "bad-name", "empty" }, *v[] = { "1", "" };
	loki_batch_add(&b, n, v, 2, 5, "y", 1);
	struct ward_buf out = WARD_BUF_INIT;
	loki_batch_serialize(&b, &out);
	assert_non_null(strstr(buf_cstr(&out), "{\"stream\":{\"job\":\"ward\"},\"values\":[[\"1700000000000000000\",\"x\"]]}"));
	assert_non_null(strstr(buf_cstr(&out), "{\"stream\":{\"bad_name\":\"1\"}"));
	buf_free(&out);
	loki_batch_free(&b);
}

static void test_event_line_or_whole(void **state)
{
	(void)state;
	struct ward_event ev;
	event_init(&ev);
	event_set_label(&ev, "job", "x", 1);
	event_set_line(&ev, "the line", 8);
	struct loki_batch b;
	loki_batch_init(&b);
	loki_batch_add_event(&b, &ev, "{\"v\":1}", 7, 0, 42);	/* no ts: fallback */
	ev.ts_ns = 7;
	loki_batch_add_event(&b, &ev, "{\"v\":1}", 7, 1, 42);
	struct ward_buf out = WARD_BUF_INIT;
	loki_batch_serialize(&b, &out);
	assert_non_null(strstr(buf_cstr(&out), "[[\"42\",\"the line\"],[\"7\",\"{\\\"v\\\":1}\"]]"));
	buf_free(&out);
	loki_batch_free(&b);
	event_free(&ev);
}

static void test_gzip_round_trip(void **state)
{
	(void)state;
	char text[4096];
	for (size_t i = 0; i < sizeof(text); i++)
		text[i] = (char)('a' + i % 7);
	struct ward_buf gz = WARD_BUF_INIT;
	assert_int_equal(loki_gzip(text, sizeof(text), &gz), 0);
	assert_true(gz.len > 18 && gz.len < sizeof(text));
	assert_int_equal((unsigned char)gz.data[0], 0x1f);	/* gzip magic */
	assert_int_equal((unsigned char)gz.data[1], 0x8b);
	char back[5000];
	z_stream zs;
	memset(&zs, 0, sizeof(zs));
	assert_int_equal(inflateInit2(&zs, 15 + 16), Z_OK);
	zs.next_in = (Bytef *)gz.data;
	zs.avail_in = (uInt)gz.len;
	zs.next_out = (Bytef *)back;
	zs.avail_out = sizeof(back);
	assert_int_equal(inflate(&zs, Z_FINISH), Z_STREAM_END);
	assert_int_equal(zs.total_out, sizeof(text));
	assert_memory_equal(back, text, sizeof(text));
	inflateEnd(&zs);
	buf_free(&gz);
}

static void test_backoff(void **state)
{
	(void)state;
	int64_t min = 500 * 1000000LL, max = 300 * NS_PER_SEC;
	assert_true(loki_backoff_ns(min, max, 0, 0.0) == min);
	assert_true(loki_backoff_ns(min, max, 0, 0.999) < 2 * min);
	assert_true(loki_backoff_ns(min, max, 3, 0.0) == 8 * min);
	assert_true(loki_backoff_ns(min, max, 3, 0.5) == 12 * min);
	assert_true(loki_backoff_ns(min, max, 20, 0.5) == max);
	assert_true(loki_backoff_ns(min, max, 9, 0.9) == max);	/* capped */
}

static void test_verdicts(void **state)
{
	(void)state;
	assert_int_equal(loki_push_verdict(204), LOKI_PUSH_OK);
	assert_int_equal(loki_push_verdict(200), LOKI_PUSH_OK);
	assert_int_equal(loki_push_verdict(429), LOKI_PUSH_RETRY);
	assert_int_equal(loki_push_verdict(500), LOKI_PUSH_RETRY);
	assert_int_equal(loki_push_verdict(503), LOKI_PUSH_RETRY);
	assert_int_equal(loki_push_verdict(0), LOKI_PUSH_RETRY);
	assert_int_equal(loki_push_verdict(400), LOKI_PUSH_REJECTED);
	assert_int_equal(loki_push_verdict(401), LOKI_PUSH_REJECTED);
	assert_int_equal(loki_push_verdict(413), LOKI_PUSH_REJECTED);
	assert_int_equal(loki_push_verdict(260), LOKI_PUSH_REJECTED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_streams_grouped_in_order),
		cmocka_unit_test(test_no_labels_and_bad_names),
		cmocka_unit_test(test_event_line_or_whole),
		cmocka_unit_test(test_gzip_round_trip),
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_verdicts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
