/* Unit tests: UTF-8 encoding (utf8_encode, utf8_put) and its agreement
 * with the validator. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "buf.h"
#include "utf8.h"

static void check(uint32_t cp, const char *want)
{
	struct ward_buf b = WARD_BUF_INIT;
	utf8_put(&b, cp);
	assert_int_equal(b.len, strlen(want) + (cp == 0));
	assert_memory_equal(b.data, want, b.len);
	assert_true(utf8_valid(b.data, b.len));
	buf_free(&b);
}

static void test_utf8_put_boundaries(void **state)
{
	(void)state;
	check(0, "");			/* NUL is one byte 0 */
	check(0x41, "A");
	check(0x7F, "\x7f");
	check(0x80, "\xc2\x80");
	check(0xE9, "\xc3\xa9");
	check(0x7FF, "\xdf\xbf");
	check(0x800, "\xe0\xa0\x80");
	check(0xD7FF, "\xed\x9f\xbf");
	check(0xE000, "\xee\x80\x80");
	check(0xFFFD, "\xef\xbf\xbd");
	check(0xFFFF, "\xef\xbf\xbf");
	check(0x10000, "\xf0\x90\x80\x80");
	check(0x1F600, "\xf0\x9f\x98\x80");
	check(0x10FFFF, "\xf4\x8f\xbf\xbf");
}

/* What UTF-8 cannot carry becomes U+FFFD, never CESU-8 or 5-byte forms. */
static void test_utf8_put_replaces_non_scalars(void **state)
{
	(void)state;
	check(0xD800, "\xef\xbf\xbd");
	check(0xDBFF, "\xef\xbf\xbd");
	check(0xDC00, "\xef\xbf\xbd");
	check(0xDFFF, "\xef\xbf\xbd");
	check(0x110000, "\xef\xbf\xbd");
	check(0xFFFFFFFFu, "\xef\xbf\xbd");
	assert_false(utf8_scalar_ok(0xD800));
	assert_false(utf8_scalar_ok(0x110000));
	assert_true(utf8_scalar_ok(0x10FFFF));
	assert_true(utf8_scalar_ok(0));
}

/* utf8_encode and utf8_seq_len agree on every scalar value. */
static void test_utf8_encode_all(void **state)
{
	(void)state;
	char u[UTF8_MAX_SEQ];
	for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
		size_t n = utf8_encode(u, cp);
		if (!utf8_scalar_ok(cp)) {
			assert_int_equal(n, 3);
			continue;
		}
		assert_int_equal(n, cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4);
		assert_int_equal(utf8_seq_len((const unsigned char *)u, n), n);
	}
}

static void test_utf8_put_appends(void **state)
{
	(void)state;
	struct ward_buf b = WARD_BUF_INIT;
	buf_append_str(&b, "caf");
	utf8_put(&b, 0xE9);
	utf8_put(&b, '!');
	assert_string_equal(b.data, "caf\xc3\xa9!");
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_put_boundaries),
		cmocka_unit_test(test_utf8_put_replaces_non_scalars),
		cmocka_unit_test(test_utf8_encode_all),
		cmocka_unit_test(test_utf8_put_appends),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
