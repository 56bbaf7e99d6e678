/* Unit tests: the JSON string reader - where a string ends, escapes,
 * \u surrogate pairs and lone surrogates, what is invalid, and the three
 * outputs (scratch, appended, in place) agreeing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "buf.h"
#include "jsonstr.h"

/* Read json (a quoted string, maybe followed by more) with flags; check
 * the value and the end; check the other entry points agree. */
static void ok(const char *json, unsigned flags, const char *want, size_t want_len)
{
	struct ward_buf sb = WARD_BUF_INIT, out = WARD_BUF_INIT;
	struct jsonstr r;
	size_t n = strlen(json);
	assert_int_equal(jsonstr_read(json, n, 0, flags, &sb, &r), 0);
	assert_int_equal(r.len, want_len);
	assert_memory_equal(r.v, want, want_len);
	size_t end = jsonstr_skip(json, n, 0, flags);
	assert_int_equal(r.end, end);
	assert_int_equal(json[end - 1], '"');
	/* the body alone: appended and in place */
	buf_append_str(&out, "<");
	assert_int_equal(jsonstr_unescape(&out, json + 1, end - 2, flags), 0);
	assert_int_equal(out.len, 1 + want_len);
	assert_memory_equal(out.data + 1, want, want_len);
	char tmp[256];
	memcpy(tmp, json + 1, end - 2);
	assert_int_equal(jsonstr_unescape_inplace(tmp, end - 2, flags), want_len);
	assert_memory_equal(tmp, want, want_len);
	assert_int_equal(r.escaped, memchr(json, '\\', end) != NULL);
	buf_free(&sb);
	buf_free(&out);
}

static void bad(const char *json, size_t n, unsigned flags)
{
	struct ward_buf sb = WARD_BUF_INIT;
	struct jsonstr r;
	assert_int_equal(jsonstr_read(json, n, 0, flags, &sb, &r), -1);
	assert_int_equal(jsonstr_skip(json, n, 0, flags), JSONSTR_INVALID);
	buf_free(&sb);
}

static void test_jsonstr_plain(void **state)
{
	(void)state;
	ok("\"\"", 0, "", 0);
	ok("\"abc\"", 0, "abc", 3);
	ok("\"abc\",\"next\"", 0, "abc", 3);
	ok("\"a long string without escapes, longer than a block\"", 0,
	   "a long string without escapes, longer than a block", 50);
	struct ward_buf sb = WARD_BUF_INIT;
	struct jsonstr r;
	const char *s = "{\"k\":\"caf\xc3\xa9\"}";
	assert_int_equal(jsonstr_read(s, strlen(s), 5, 0, &sb, &r), 0);
	assert_int_equal(r.end, strlen(s) - 1);
	assert_true(r.high);
	assert_false(r.escaped);
	assert_ptr_equal(r.v, s + 6);	/* no copy without escapes */
	assert_int_equal(jsonstr_read(s, strlen(s), 1, 0, &sb, &r), 0);
	assert_false(r.high);
	buf_free(&sb);
}

static void test_jsonstr_escapes(void **state)
{
	(void)state;
	ok("\"a\\\"b\"", 0, "a\"b", 3);
	ok("\"\\\\\\/\\b\\f\\n\\r\\t\"", 0, "\\/\b\f\n\r\t", 7);
	ok("\"\\u0041\\u00e9\\u20AC\"", 0, "A\xc3\xa9\xe2\x82\xac", 6);
	ok("\"\\u0000\"", 0, "\0", 1);
	ok("\"x\\ud83d\\ude00y\"", 0, "x\xf0\x9f\x98\x80y", 6);	/* a pair */
	ok("\"\\uDBFF\\uDFFF\"", 0, "\xf4\x8f\xbf\xbf", 4);
	ok("\"before the escape, a run of sixteen+ \\n and after it another run\"", 0,
	   "before the escape, a run of sixteen+ \n and after it another run", 63);
}

static void test_jsonstr_surrogates(void **state)
{
	(void)state;
	const unsigned F = JSONSTR_LONE_SURROGATE_FFFD;
	/* lone: invalid by default, U+FFFD with the flag */
	bad("\"\\ud800\"", 8, 0);
	bad("\"\\udc00\"", 8, 0);
	bad("\"\\ud800\\u0041\"", 14, 0);
	bad("\"\\ud800\\ud800\"", 14, 0);
	ok("\"\\ud800\"", F, "\xef\xbf\xbd", 3);
	ok("\"\\udc00x\"", F, "\xef\xbf\xbdx", 4);
	/* a high one before a non-low \u: U+FFFD, then that escape itself */
	ok("\"\\ud800\\u0041\"", F, "\xef\xbf\xbd" "A", 4);
	ok("\"\\ud800\\ud800\\udc00\"", F, "\xef\xbf\xbd\xf0\x90\x80\x80", 7);
	ok("\"\\ud800\\n\"", F, "\xef\xbf\xbd\n", 4);
	/* refused altogether, pairs included */
	bad("\"\\ud83d\\ude00\"", 14, JSONSTR_NO_SURROGATES);
	bad("\"\\udfff\"", 8, JSONSTR_NO_SURROGATES | F);
	ok("\"\\ud7ff\\ue000\"", JSONSTR_NO_SURROGATES, "\xed\x9f\xbf\xee\x80\x80", 6);
}

static void test_jsonstr_invalid(void **state)
{
	(void)state;
	bad("\"abc", 4, 0);		/* unterminated */
	bad("\"", 1, 0);
	bad("\"abc\\\"", 6, 0);		/* the quote is escaped */
	bad("\"a\nb\"", 5, 0);		/* raw control byte */
	bad("\"a\tb\"", 5, 0);
	bad("\"a\x01" "b\"", 5, 0);
	bad("\"a\x1f" "b\"", 5, 0);
	ok("\"a\x20\x7f\"", 0, "a\x20\x7f", 3);
	bad("\"\\x41\"", 6, 0);		/* unknown escape */
	bad("\"\\'\"", 4, 0);
	bad("\"\\u12\"", 6, 0);		/* short \u */
	bad("\"\\u12g4\"", 8, 0);
	bad("\"\\u123", 6, 0);
	bad("\"\\", 2, 0);
	bad("\"a\\u00e9\n\"", 10, 0);	/* control byte after an escape */
	/* n bounds the string even if the bytes go on */
	bad("\"abc\"", 4, 0);
	bad("\"\\ud83d\\ude00\"", 13, 0);	/* the closing quote cut off */
	/* a body with a raw quote is not a body */
	struct ward_buf out = WARD_BUF_INIT;
	assert_int_equal(jsonstr_unescape(&out, "a\"b", 3, 0), -1);
	char tmp[] = "a\\qb";
	assert_int_equal(jsonstr_unescape_inplace(tmp, 4, 0), JSONSTR_INVALID);
	buf_free(&out);
}

/* scratch is reset by an escaped string, not by a plain one */
static void test_jsonstr_scratch(void **state)
{
	(void)state;
	struct ward_buf sb = WARD_BUF_INIT;
	struct jsonstr r;
	buf_append_str(&sb, "old");
	assert_int_equal(jsonstr_read("\"plain\"", 7, 0, 0, &sb, &r), 0);
	assert_string_equal(sb.data, "old");
	assert_int_equal(jsonstr_read("\"e\\n\"", 5, 0, 0, &sb, &r), 0);
	assert_int_equal(sb.len, 2);
	assert_ptr_equal(r.v, sb.data);
	assert_int_equal(sb.data[2], '\0');
	buf_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jsonstr_plain),
		cmocka_unit_test(test_jsonstr_escapes),
		cmocka_unit_test(test_jsonstr_surrogates),
		cmocka_unit_test(test_jsonstr_invalid),
		cmocka_unit_test(test_jsonstr_scratch),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
