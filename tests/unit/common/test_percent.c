/* Unit tests: percent decoding (lenient and strict, '+' as a flag) and
 * encoding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "buf.h"
#include "percent.h"

/* Decode s with flags through both decoders; they must agree. */
static void dec(const char *s, unsigned flags, const char *want, size_t want_len)
{
	struct ward_buf b = WARD_BUF_INIT;
	buf_append_str(&b, "pre:");
	size_t n = percent_decode(&b, s, strlen(s), flags, NULL);
	assert_int_equal(n, want_len);
	assert_int_equal(b.len, 4 + want_len);
	assert_memory_equal(b.data, "pre:", 4);
	assert_memory_equal(b.data + 4, want, want_len);
	char tmp[256];
	strcpy(tmp, s);
	assert_int_equal(percent_decode_inplace(tmp, strlen(tmp), flags), want_len);
	assert_memory_equal(tmp, want, want_len);
	if (want_len < strlen(s))
		assert_int_equal(tmp[want_len], '\0');
	buf_free(&b);
}

static void test_percent_decode_basics(void **state)
{
	(void)state;
	dec("", 0, "", 0);
	dec("plain", 0, "plain", 5);
	dec("a%20b", 0, "a b", 3);
	dec("%41%62c", 0, "Abc", 3);
	dec("%e2%82%ac", 0, "\xe2\x82\xac", 3);
	dec("%E2%82%AC", 0, "\xe2\x82\xac", 3);
	dec("a%00b", 0, "a\0b", 3);		/* NUL decodes: callers check */
	dec("100%25", 0, "100%", 4);
	dec("%2525", 0, "%25", 3);		/* decoded once */
}

static void test_percent_plus(void **state)
{
	(void)state;
	dec("a+b", 0, "a+b", 3);
	dec("a+b", PERCENT_PLUS_SPACE, "a b", 3);
	dec("a%2Bb", PERCENT_PLUS_SPACE, "a+b", 3);	/* an escaped + stays + */
}

static void test_percent_lenient_keeps_bad_escapes(void **state)
{
	(void)state;
	dec("%", 0, "%", 1);
	dec("%4", 0, "%4", 2);
	dec("a%", 0, "a%", 2);
	dec("%zz", 0, "%zz", 3);
	dec("%4g1", 0, "%4g1", 4);
	dec("%%41", 0, "%A", 2);
	dec("50%", PERCENT_PLUS_SPACE, "50%", 3);
}

static void test_percent_strict(void **state)
{
	(void)state;
	struct ward_buf b = WARD_BUF_INIT;
	size_t at = 99;
	assert_int_equal(percent_decode(&b, "ok%41", 5, PERCENT_STRICT, &at), 3);
	assert_int_equal(at, 99);
	const char *bad[] = { "%", "%4", "x%4", "%zz", "%4g", "ab%" };
	const size_t pos[] = { 0, 0, 1, 0, 0, 2 };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		buf_reset(&b);
		assert_int_equal(percent_decode(&b, bad[i], strlen(bad[i]), PERCENT_STRICT, &at), PERCENT_BAD);
		assert_int_equal(at, pos[i]);
		char tmp[8];
		strcpy(tmp, bad[i]);
		assert_int_equal(percent_decode_inplace(tmp, strlen(tmp), PERCENT_STRICT), PERCENT_BAD);
	}
	/* length-bounded: an escape cut by n is bad even if bytes follow */
	assert_int_equal(percent_decode(&b, "%41", 2, PERCENT_STRICT, &at), PERCENT_BAD);
	buf_free(&b);
}

static void test_percent_encode(void **state)
{
	(void)state;
	struct ward_buf b = WARD_BUF_INIT;
	const char *s = "a-Z_0.9~ /?&=+%\xc3\xa9";
	percent_encode(&b, s, strlen(s), 0);
	assert_string_equal(b.data, "a-Z_0.9~%20%2F%3F%26%3D%2B%25%C3%A9");
	buf_reset(&b);
	percent_encode(&b, s, strlen(s), PERCENT_PLUS_SPACE);
	assert_string_equal(b.data, "a-Z_0.9~+%2F%3F%26%3D%2B%25%C3%A9");
	/* round trip, each convention with its own decoder flag */
	char tmp[64];
	strcpy(tmp, b.data);
	size_t n = percent_decode_inplace(tmp, strlen(tmp), PERCENT_PLUS_SPACE | PERCENT_STRICT);
	assert_int_equal(n, strlen(s));
	assert_memory_equal(tmp, s, n);
	buf_reset(&b);
	percent_encode(&b, "\0\x7f", 2, 0);
	assert_string_equal(b.data, "%00%7F");
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_percent_decode_basics),
		cmocka_unit_test(test_percent_plus),
		cmocka_unit_test(test_percent_lenient_keeps_bad_escapes),
		cmocka_unit_test(test_percent_strict),
		cmocka_unit_test(test_percent_encode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
