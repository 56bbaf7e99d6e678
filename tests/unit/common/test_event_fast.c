/* Unit tests: the fast event decoder (event_fast.h) against the reference
 * decoder (event_parse). Contract: what the fast path accepts, event_parse
 * accepts too and both events serialize to the same bytes; the plain events
 * ward-ingest writes are in the fast subset; everything outside the subset
 * (surrogate escapes, numbers in labels, duplicates, unknown keys, invalid
 * UTF-8...) is refused so the caller falls back. */
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
#include "event_fast.h"
#include "utf8.h"

static struct ward_event_parser P;
static struct ward_event A, B;
static struct ward_buf SCRATCH;

static int setup(void **state)
{
	(void)state;
	event_init(&A);
	event_init(&B);
	return event_parser_init(&P);
}

static int teardown(void **state)
{
	(void)state;
	event_free(&A);
	event_free(&B);
	event_parser_free(&P);
	buf_free(&SCRATCH);
	return 0;
}

/* Decode s both ways; when the fast path accepts, the reference must agree
 * byte for byte. Returns the fast path's result. */
static int agree_n(const char *s, size_t n)
{
	char err[160];
	/* decoded from a copy that is overwritten before A is written: the
	 * event owns every string it holds (no pointer into the record); the
	 * copy is restored after, for raw_head, and kept until the next call */
	static char *rec;
	free(rec);
	rec = ward_xmalloc(n + 1);
	memcpy(rec, s, n);
	int rc = event_decode_fast(&A, rec, n, &SCRATCH);
	if (rc != 0)
		return rc;
	if (event_parse(&B, &P, s, n, err, sizeof err) != 0) {
		print_error("fast accepted what event_parse rejects (%s): %.*s\n", err, (int)n, s);
		fail();
	}
	struct ward_buf sa = WARD_BUF_INIT, sb = WARD_BUF_INIT;
	/* the raw head, when given, is what the writer would write */
	event_serialize_head(&B, &sb);
	if (A.raw_head && (A.raw_head != rec || A.raw_head_len != sb.len ||
			   memcmp(A.raw_head, sb.data, sb.len) != 0)) {
		print_error("input:  %.*s\nraw head: %.*s\nwritten:  %s\n", (int)n, s, (int)A.raw_head_len,
			    A.raw_head, buf_cstr(&sb));
		fail();
	}
	memset(rec, '#', n);
	buf_reset(&sb);
	event_serialize(&A, &sa);
	event_serialize(&B, &sb);
	if (sa.len != sb.len || memcmp(sa.data, sb.data, sa.len) != 0) {
		print_error("input:  %.*s\nfast:   %s\njson-c: %s\n", (int)n, s, buf_cstr(&sa), buf_cstr(&sb));
		fail();
	}
	memcpy(rec, s, n);
	buf_free(&sa);
	buf_free(&sb);
	return 0;
}

static int agree(const char *s)
{
	return agree_n(s, strlen(s));
}

static void test_plain_event_is_fast(void **state)
{
	(void)state;
	const char *s = "{\"v\":1,\"ts\":\"2026-06-01T00:00:01.5Z\",\"labels\":{\"job\":\"sshd\",\"filename\":\"/var/log/auth.log\"},"
			"\"line\":\"Failed password for root from 192.0.2.7 port 22 ssh2\",\"fields\":{\"src_ip\":\"192.0.2.7\"},\"rule\":\"ssh-fail\"}";
	assert_int_equal(agree(s), 0);
	assert_int_equal(A.ts_ns, 1780272001500000000LL);
	assert_string_equal(A.line, "Failed password for root from 192.0.2.7 port 22 ssh2");
	assert_int_equal(A.labels.len, 2);
	assert_string_equal(event_label(&A, "job")->val, "sshd");
	assert_string_equal(event_field(&A, "src_ip")->val, "192.0.2.7");
	assert_string_equal(A.rule, "ssh-fail");
	/* whitespace between tokens and a trailing CR are still the subset */
	assert_int_equal(agree("{ \"line\" : \"x\" ,\t\"labels\" : { } }\r"), 0);
	assert_string_equal(A.line, "x");
	assert_int_equal(agree("{}"), 0);
	assert_int_equal(A.line_len, 0);
}

static void test_escapes_decode_like_json(void **state)
{
	(void)state;
	assert_int_equal(agree("{\"line\":\"a\\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\"}"), 0);
	assert_int_equal(A.line_len, 17);
	assert_memory_equal(A.line, "a\"b\\c/d\be\ff\ng\rh\ti", 17);
	/* one, two and three byte UTF-8 from \u */
	assert_int_equal(agree("{\"line\":\"\\u0041\\u00e9\\u20AC\\uFFFD\"}"), 0);
	assert_int_equal(A.line_len, 1 + 2 + 3 + 3);
	assert_memory_equal(A.line, "A\xc3\xa9\xe2\x82\xac\xef\xbf\xbd", 9);
	/* boundaries of the UTF-8 length classes */
	assert_int_equal(agree("{\"line\":\"\\u007f\\u0080\\u07ff\\u0800\"}"), 0);
	assert_memory_equal(A.line, "\x7f\xc2\x80\xdf\xbf\xe0\xa0\x80", 8);
	/* a NUL inside the line is kept with its length */
	assert_int_equal(agree("{\"line\":\"a\\u0000b\"}"), 0);
	assert_int_equal(A.line_len, 3);
	/* escapes in keys and label values, and raw multibyte UTF-8 */
	assert_int_equal(agree("{\"labels\":{\"j\\u006fb\":\"caf\\u00e9\"},\"line\":\"\xe2\x82\xac \xf0\x9f\x98\x80\"}"), 0);
	assert_string_equal(event_label(&A, "job")->val, "caf\xc3\xa9");
}

static void test_surrogates_left_to_reference(void **state)
{
	(void)state;
	/* A pair is one code point (4 bytes of UTF-8), never two 3-byte halves. */
	const char *pair = "{\"line\":\"\\ud83d\\ude00\"}";
	int rc = agree(pair);
	if (rc == 0)
		assert_memory_equal(A.line, "\xf0\x9f\x98\x80", 4);
	/* Lone surrogates, high or low, upper or lower case hex: never accepted
	 * as they are (CESU bytes would not be valid UTF-8). */
	const char *lone[] = {
		"{\"line\":\"\\ud800\"}", "{\"line\":\"\\uDBFF x\"}", "{\"line\":\"\\udc00\"}",
		"{\"line\":\"\\uDFFF\"}", "{\"labels\":{\"a\":\"\\ud83d\"}}", "{\"fields\":{\"\\udc80\":\"v\"}}",
	};
	for (size_t i = 0; i < sizeof lone / sizeof *lone; i++) {
		rc = agree(lone[i]);
		if (rc == 0) {
			assert_true(utf8_valid(A.line, A.line_len));
			for (size_t k = 0; k < A.labels.len; k++)
				assert_true(utf8_valid(A.labels.items[k].val, A.labels.items[k].val_len));
		}
	}
	/* the code points either side of the surrogate block are plain */
	assert_int_equal(agree("{\"line\":\"\\ud7ff\\ue000\"}"), 0);
	assert_memory_equal(A.line, "\xed\x9f\xbf\xee\x80\x80", 6);
}

static void test_outside_subset_refused(void **state)
{
	(void)state;
	const char *refuse[] = {
		"",
		"[]",
		"{",
		"{\"line\":\"x\"",
		"{\"line\":\"x\"} x",
		"{\"line\":\"x\",}",
		"{\"line\":\"x\" \"rule\":\"r\"}",
		"{\"line\":\"x\",\"line\":\"y\"}",			/* duplicate */
		"{\"labels\":{\"a\":1}}",				/* number label */
		"{\"fields\":{\"a\":null}}",
		"{\"fields\":{\"n\":5}}",
		"{\"alert\":{\"x\":1}}",				/* other keys: extra */
		"{\"line\":\"a\\x\"}",					/* bad escape */
		"{\"line\":\"a\\u12\"}",
		"{\"line\":\"a\\u12g4\"}",
		"{\"line\":\"tab\there\"}",				/* raw control */
		"{\"line\":\"unit\x1fsep\"}",
		"{\"line\":\"a\x1fnb\"}",				/* a control byte is no backslash */
		"{\"line\":\"a\x1f\\\"b\"}",
		"{\"line\":\"\x01\"}",
		"{\"line\":\"\xff\"}",					/* invalid UTF-8 */
		"{\"line\":\"\xc3\"}",
		"{\"line\":\"\xed\xa0\x80\"}",				/* raw surrogate */
		"{\"v\":01}",
		"{\"v\":\"1\"}",
		"{\"v\":1234567890}",
		"{\"ts\":\"yesterday\"}",
		"{\"ts\":5}",
		"{\"rule\":\"a\\u0000b\"}",
		"{\"labels\":{\"a\\u0000\":\"v\"}}",
		"{\"labels\":[]}",
		"{\"line\":\"x\"}\n{\"line\":\"y\"}",
	};
	for (size_t i = 0; i < sizeof refuse / sizeof *refuse; i++) {
		if (agree(refuse[i]) == 0) {
			print_error("fast accepted: %s\n", refuse[i]);
			fail();
		}
		/* a refusal leaves the event empty for the fallback */
		assert_int_equal(A.labels.len + A.fields.len, 0);
		assert_int_equal(A.line_len, 0);
	}
	/* a key too long for the reference is refused too */
	char big[WARD_EVENT_MAX_KEY_LEN + 64];
	int n = snprintf(big, sizeof big, "{\"labels\":{\"");
	memset(big + n, 'k', WARD_EVENT_MAX_KEY_LEN + 1);
	n += WARD_EVENT_MAX_KEY_LEN + 1;
	n += snprintf(big + n, sizeof big - (size_t)n, "\":\"v\"}}");
	assert_int_not_equal(agree_n(big, (size_t)n), 0);
	/* and the longest allowed key is accepted */
	n = snprintf(big, sizeof big, "{\"labels\":{\"");
	memset(big + n, 'k', WARD_EVENT_MAX_KEY_LEN);
	n += WARD_EVENT_MAX_KEY_LEN;
	n += snprintf(big + n, sizeof big - (size_t)n, "\":\"v\"}}");
	assert_int_equal(agree_n(big, (size_t)n), 0);
}

static void test_max_keys(void **state)
{
	(void)state;
	struct ward_buf b = WARD_BUF_INIT;
	for (int total = WARD_EVENT_MAX_KEYS - 3; total <= WARD_EVENT_MAX_KEYS + 1; total++) {
		buf_reset(&b);
		buf_append(&b, "{\"labels\":{", 11);
		for (int k = 0; k < total; k++) {
			char kv[32];
			int m = snprintf(kv, sizeof kv, "%s\"k%d\":\"v\"", k ? "," : "", k);
			buf_append(&b, kv, (size_t)m);
		}
		buf_append(&b, "}}", 2);
		(void)agree_n(b.data, b.len);	/* whichever: both must agree */
	}
	buf_free(&b);
}

/* Consecutive records repeating a labels object or ts are decoded from the
 * event's memo: the same labels and time as parsing them, and a record
 * changing either, or filling the keys up with fields first, is parsed. */
static void test_repeated_labels_and_ts(void **state)
{
	(void)state;
	const char *recs[] = {
		"{\"ts\":\"2026-06-01T00:00:01Z\",\"labels\":{\"job\":\"sshd\",\"h\":\"a\"},\"line\":\"x\"}",
		"{\"ts\":\"2026-06-01T00:00:01Z\",\"labels\":{\"job\":\"sshd\",\"h\":\"a\"},\"line\":\"y\"}",
		"{\"ts\":\"2026-06-01T00:00:02Z\",\"labels\":{\"job\":\"sshd\",\"h\":\"b\"},\"line\":\"z\"}",
		"{\"ts\":\"2026-06-01T00:00:02Z\",\"labels\":{\"job\":\"sshd\",\"h\":\"b\"}}",
		"{\"ts\":\"2026-06-01T00:00:01Z\",\"labels\":{\"job\":\"sshd\",\"h\":\"a\"},\"line\":\"w\"}",
		"{\"labels\":{\"job\":\"sshd\",\"h\":\"a\",\"x\":\"\\u00e9\"},\"line\":\"v\"}",
		"{\"labels\":{\"job\":\"sshd\",\"h\":\"a\",\"x\":\"\\u00e9\"},\"line\":\"u\"}",
	};
	const char *h[] = { "a", "a", "b", "b", "a", "a", "a" };
	for (size_t i = 0; i < sizeof(recs) / sizeof(recs[0]); i++) {
		assert_int_equal(agree(recs[i]), 0);
		const struct ward_kv *kv = event_label(&A, "h");
		assert_non_null(kv);
		assert_string_equal(kv->val, h[i]);
	}
	assert_string_equal(event_label(&A, "x")->val, "\xc3\xa9");
	/* a label set and deleted on a memo'd event leaves the next one alone */
	event_set_label(&A, "h", "changed", 7);
	event_del_label(&A, "job");
	assert_int_equal(agree(recs[6]), 0);
	assert_string_equal(event_label(&A, "h")->val, "a");
	assert_non_null(event_label(&A, "job"));
	/* as many fields first as keys allow, then the remembered labels */
	struct ward_buf b = WARD_BUF_INIT;
	for (int nf = WARD_EVENT_MAX_KEYS - 5; nf <= WARD_EVENT_MAX_KEYS; nf++) {
		assert_int_equal(agree(recs[0]), 0);
		buf_reset(&b);
		buf_append_str(&b, "{\"fields\":{");
		for (int k = 0; k < nf; k++)
			buf_printf(&b, "%s\"f%d\":\"v\"", k ? "," : "", k);
		buf_append_str(&b, "},\"labels\":{\"job\":\"sshd\",\"h\":\"a\"}}");
		(void)agree_n(b.data, b.len);	/* whichever: both must agree */
	}
	buf_free(&b);
}

/* ---- random inputs ----------------------------------------------------- */

static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

static const char *const PIECES[] = {
	"a", "Z", "0", " ", "\\\"", "\\\\", "\\/", "\\n", "\\t", "\\b", "\\f", "\\r",
	"\\u0000", "\\u001f", "\\u0041", "\\u007f", "\\u0080", "\\u07ff", "\\u0800", "\\uffff",
	"\\ud7ff", "\\ud800", "\\udbff", "\\udc00", "\\udfff", "\\ue000", "\\uD83D\\uDE00",
	"\\ud83d\\ude00", "\\ud83d", "\\ude00", "\\u00E9", "\\u20ac",
	"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xed\x9f\xbf", "\xef\xbb\xbf",
	"\xff", "\xc3", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xc0\xaf", "\x01", "\x7f",
};

static void rand_string(struct ward_buf *b)
{
	buf_append(b, "\"", 1);
	for (uint32_t k = rnd(6); k > 0; k--) {
		const char *p = PIECES[rnd(sizeof PIECES / sizeof *PIECES)];
		buf_append(b, p, strlen(p));
	}
	buf_append(b, "\"", 1);
}

static void rand_object(struct ward_buf *b)
{
	buf_append(b, "{", 1);
	for (uint32_t k = rnd(4), first = 1; k > 0; k--, first = 0) {
		if (!first)
			buf_append(b, ",", 1);
		rand_string(b);
		buf_append(b, ":", 1);
		if (rnd(12) == 0)
			buf_append(b, "7", 1);
		else
			rand_string(b);
	}
	buf_append(b, "}", 1);
}

static void rand_event(struct ward_buf *b)
{
	static const char *const KEYS[] = { "v", "ts", "labels", "line", "fields", "rule", "alert", "line" };
	static const char *const TS[] = {
		"\"2026-06-01T00:00:00Z\"", "\"2026-11-28T08:43:52.5+01:00\"", "\"1999-12-31T23:59:59.999999999-05:30\"",
		"\"2026-02-30T00:00:00Z\"", "\"x\"", "\"2026-06-01 00:00:00Z\"",
	};
	buf_reset(b);
	buf_append(b, "{", 1);
	for (uint32_t k = rnd(6), first = 1; k > 0; k--, first = 0) {
		if (!first)
			buf_append(b, rnd(30) ? "," : " ,", rnd(30) ? 1 : 2);
		const char *key = KEYS[rnd(sizeof KEYS / sizeof *KEYS)];
		buf_append(b, "\"", 1);
		buf_append(b, key, strlen(key));
		buf_append(b, "\":", 2);
		if (!strcmp(key, "v"))
			buf_append(b, rnd(4) ? "1" : "0", 1);
		else if (!strcmp(key, "ts")) {
			const char *ts = TS[rnd(6)];
			buf_append(b, ts, strlen(ts));
		}
		else if (!strcmp(key, "labels") || !strcmp(key, "fields"))
			rand_object(b);
		else if (!strcmp(key, "alert"))
			buf_append(b, "{\"a\":1}", 7);
		else
			rand_string(b);
	}
	buf_append(b, "}", 1);
}

/* The record's head is kept only when it is byte for byte what
 * event_serialize_head writes; any other layout or escape leaves NULL. */
/* Written times in the last one's minute are read from their seconds and
 * fraction alone; anything else (another minute, a leap second, a byte out
 * of place) is parsed in full. Each must decode as event_parse does. */
static void test_times_in_one_minute(void **state)
{
	(void)state;
	const char *ts[] = {
		"2026-06-01T00:00:09.000000000Z", "2026-06-01T00:00:10.000000000Z",
		"2026-06-01T00:00:59.999999999Z", "2026-06-01T00:01:00.000000000Z",
		"2026-06-01T00:01:07.000000500Z", "2026-06-01T00:01:60.000000000Z",
		"2026-06-01T00:01:08.000000000Z", "2026-06-01T00:01:0x.000000000Z",
		"2026-06-01T00:01:08.00000000xZ", "2026-06-01T00:01:08.000000000+00:00",
		"2026-06-01T00:01:08.1Z", "2026-06-01T00:01:09.100000000Z",
		"1969-12-31T23:59:58.500000000Z", "1969-12-31T23:59:59.250000000Z",
		"2026-06-01T00:01:09.10000000Z0", "2026-06-01T00:01:09.100000000Z",
	};
	const int64_t want[] = {
		1780272009000000000, 1780272010000000000, 1780272059999999999, 1780272060000000000,
		1780272067000000500, 1780272119000000000 /* a leap second reads as :59 */,
		1780272068000000000, -1,
		-1, 1780272068000000000, 1780272068100000000, 1780272069100000000,
		-1500000000, -750000000, -1, 1780272069100000000,
	};
	char rec[160];
	for (size_t i = 0; i < sizeof(ts) / sizeof(ts[0]); i++) {
		snprintf(rec, sizeof rec, "{\"v\":1,\"ts\":\"%s\",\"labels\":{},\"line\":\"x\"}", ts[i]);
		int rc = agree(rec);
		if (want[i] == -1) {
			assert_int_not_equal(rc, 0);
			continue;
		}
		assert_int_equal(rc, 0);
		assert_int_equal(A.ts_ns, want[i]);
	}
}

static void test_raw_head(void **state)
{
	(void)state;
	static const char head[] = "{\"v\":1,\"ts\":\"2026-06-01T00:00:01.500000000Z\",\"labels\":{\"job\":\"sshd\"},"
				   "\"line\":\"Failed password for r\xc3\xb6ot\"";
	const char *s = "{\"v\":1,\"ts\":\"2026-06-01T00:00:01.500000000Z\",\"labels\":{\"job\":\"sshd\"},"
			"\"line\":\"Failed password for r\xc3\xb6ot\",\"fields\":{\"user\":\"x\"}}";
	for (int twice = 0; twice < 2; twice++) {	/* fresh, then from the memo */
		assert_int_equal(agree(s), 0);
		assert_non_null(A.raw_head);
		assert_int_equal(A.raw_head_len, sizeof(head) - 1);
		assert_memory_equal(A.raw_head, head, sizeof(head) - 1);
	}
	static const char *const not_as_written[] = {
		/* an escape in the line, even one the writer writes alike */
		"{\"v\":1,\"ts\":\"2026-06-01T00:00:01.500000000Z\",\"labels\":{\"job\":\"sshd\"},\"line\":\"a\\\"b\"}",
		/* an escape in the time, fresh and then after the memo holds it */
		"{\"v\":1,\"ts\":\"2026-06-01T00:00:02.500000000\\u005a\",\"labels\":{\"job\":\"sshd\"},\"line\":\"x\"}",
		"{\"v\":1,\"ts\":\"2026-06-01T00:00:02.500000000\\u005a\",\"labels\":{\"job\":\"sshd\"},\"line\":\"x\"}",
		/* a time the writer writes with nine digits */
		"{\"v\":1,\"ts\":\"2026-06-01T00:00:01.5Z\",\"labels\":{\"job\":\"sshd\"},\"line\":\"x\"}",
		/* space in the labels, then between members */
		"{\"v\":1,\"ts\":\"2026-06-01T00:00:01.500000000Z\",\"labels\":{\"job\": \"sshd\"},\"line\":\"x\"}",
		"{\"v\":1,\"ts\":\"2026-06-01T00:00:01.500000000Z\",\"labels\":{\"job\":\"sshd\"}, \"line\":\"x\"}",
		/* another order, another version, no time */
		"{\"v\":1,\"ts\":\"2026-06-01T00:00:01.500000000Z\",\"line\":\"x\",\"labels\":{\"job\":\"sshd\"}}",
		"{\"v\":2,\"ts\":\"2026-06-01T00:00:01.500000000Z\",\"labels\":{\"job\":\"sshd\"},\"line\":\"x\"}",
		"{\"v\":1,\"labels\":{\"job\":\"sshd\"},\"line\":\"x\"}",
	};
	for (size_t i = 0; i < sizeof(not_as_written) / sizeof(not_as_written[0]); i++) {
		assert_int_equal(agree(not_as_written[i]), 0);
		assert_null(A.raw_head);
	}
	/* a changed line or label set no longer is the record's head */
	assert_int_equal(agree(s), 0);
	assert_non_null(A.raw_head);
	event_set_line(&A, "x", 1);
	assert_null(A.raw_head);
	assert_int_equal(agree(s), 0);
	event_set_label(&A, "host", "h", 1);
	assert_null(A.raw_head);
	assert_int_equal(agree(s), 0);
	event_del_label(&A, "job");
	assert_null(A.raw_head);
}

/* Records that begin in ward-ingest's layout and leave it at each point
 * (another member next, space, a bad value, a duplicate) decode as the
 * member loop and event_parse decode them, or go to event_parse alike. */
static void test_layout_then_other(void **state)
{
	(void)state;
	static const char *const accepted[] = {
		"{\"v\":1,\"ts\":\"2026-06-01T00:00:01Z\",\"labels\":{\"job\":\"a\"},\"line\":\"x\",\"fields\":{\"k\":\"v\"},\"rule\":\"r\"}",
		"{\"v\":1,\"ts\":\"2026-06-01T00:00:01Z\",\"line\":\"x\",\"labels\":{\"job\":\"a\"}}",
		"{\"v\":1,\"ts\":\"2026-06-01T00:00:01Z\",\"labels\":{},\"fields\":{},\"line\":\"x\"}",
		"{\"v\":1,\"ts\":\"2026-06-01T00:00:01Z\" , \"labels\":{},\"line\":\"x\"}",
		"{\"v\":1,\"ts\":\"2026-06-01T00:00:01Z\",\"labels\":{} ,\"line\" : \"x\" }",
		"{\"v\":1,\"ts\":\"2026-06-01T00:00:01Z\",\"labels\":{\"job\":\"a\"},\"line\":\"a\\\"b\"}",
		"{\"v\":1,\"ts\":\"2026-06-01T00:00:01Z\"}",
		"{\"v\":12,\"ts\":\"2026-06-01T00:00:01Z\",\"labels\":{},\"line\":\"x\"}",
	};
	for (size_t i = 0; i < sizeof(accepted) / sizeof(accepted[0]); i++) {
		assert_int_equal(agree(accepted[i]), 0);
		assert_string_equal(A.line, i == 5 ? "a\"b" : i == 6 ? "" : "x");
	}
	static const char *const refused[] = {
		"{\"v\":1,\"ts\":\"not a time\",\"labels\":{},\"line\":\"x\"}",
		"{\"v\":1,\"ts\":\"2026-06-01T00:00:01Z\",\"labels\":{\"n\":1},\"line\":\"x\"}",
		"{\"v\":1,\"ts\":\"2026-06-01T00:00:01Z\",\"labels\":{},\"line\":7}",
		"{\"v\":1,\"ts\":\"2026-06-01T00:00:01Z\",\"labels\":{},\"line\":\"x\",\"v\":1}",
		"{\"v\":1,\"ts\":\"2026-06-01T00:00:01Z\",\"labels\":{},\"line\":\"x\",\"ts\":\"2026-06-01T00:00:01Z\"}",
		"{\"v\":1,\"ts\":\"2026-06-01T00:00:01Z\",\"labels\":{},\"line\":\"x\"",
		"{\"v\":1,\"ts\":",
	};
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		assert_int_equal(agree(refused[i]), -1);
}

static void test_random_against_reference(void **state)
{
	(void)state;
	struct ward_buf b = WARD_BUF_INIT;
	int accepted = 0, surrogate_refused = 0;
	for (int it = 0; it < 30000; it++) {
		rand_event(&b);
		/* one in four: flip, drop or insert a byte of a well-formed event */
		if (rnd(4) == 0 && b.len > 2) {
			size_t at = rnd((uint32_t)b.len);
			switch (rnd(3)) {
			case 0: b.data[at] = (char)rnd(256); break;
			case 1: memmove(b.data + at, b.data + at + 1, b.len - at - 1); b.len--; break;
			default:
				buf_append(&b, " ", 1);
				memmove(b.data + at + 1, b.data + at, b.len - at - 1);
				b.data[at] = "\"\\{}:,u0\xc3"[rnd(9)];
			}
		}
		int rc = agree_n(b.data, b.len);
		if (rc == 0)
			accepted++;
		else if (memmem(b.data, b.len, "\\ud8", 4) || memmem(b.data, b.len, "\\udc", 4))
			surrogate_refused++;
	}
	buf_free(&b);
	/* not a vacuous comparison: many inputs took the fast path */
	assert_true(accepted > 3000);
	assert_true(surrogate_refused > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_event_is_fast),
		cmocka_unit_test(test_escapes_decode_like_json),
		cmocka_unit_test(test_surrogates_left_to_reference),
		cmocka_unit_test(test_outside_subset_refused),
		cmocka_unit_test(test_max_keys),
		cmocka_unit_test(test_repeated_labels_and_ts),
		cmocka_unit_test(test_times_in_one_minute),
		cmocka_unit_test(test_raw_head),
		cmocka_unit_test(test_layout_then_other),
		cmocka_unit_test(test_random_against_reference),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
