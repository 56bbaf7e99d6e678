/* Unit tests: hex digits, fixed-width hex numbers, hex byte strings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "hex.h"

static void test_hex_digits(void **state)
{
	(void)state;
	assert_int_equal(hex_digit_value('0'), 0);
	assert_int_equal(hex_digit_value('9'), 9);
	assert_int_equal(hex_digit_value('a'), 10);
	assert_int_equal(hex_digit_value('f'), 15);
	assert_int_equal(hex_digit_value('A'), 10);
	assert_int_equal(hex_digit_value('F'), 15);
	assert_int_equal(hex_digit_value('g'), -1);
	assert_int_equal(hex_digit_value('G'), -1);
	assert_int_equal(hex_digit_value('/'), -1);
	assert_int_equal(hex_digit_value(':'), -1);
	assert_int_equal(hex_digit_value('@'), -1);
	assert_int_equal(hex_digit_value('`'), -1);
	assert_int_equal(hex_digit_value('%'), -1);
	assert_int_equal(hex_digit_value(0xC3), -1);
	assert_int_equal(hex_digit_value(-1), -1);
	assert_int_equal(hex_digit_value(0), -1);
	/* every byte: exactly 22 are digits */
	int n = 0;
	for (int c = 0; c < 256; c++)
		n += hex_digit_value(c) >= 0;
	assert_int_equal(n, 22);
}

static void test_hex_parse(void **state)
{
	(void)state;
	assert_int_equal(hex_parse("00e9", 4), 0xe9);
	assert_int_equal(hex_parse("D83D", 4), 0xD83D);
	assert_int_equal(hex_parse("ffffffff", 8), 0xffffffffLL);
	assert_int_equal(hex_parse("7f", 2), 0x7f);
	assert_int_equal(hex_parse("7g", 2), -1);
	assert_int_equal(hex_parse("g7", 2), -1);
	assert_int_equal(hex_parse("12 4", 4), -1);
	assert_int_equal(hex_parse("12345", 4), 0x1234);	/* only ndig digits */
}

static void test_hex_decode(void **state)
{
	(void)state;
	uint8_t b[4];
	assert_true(hex_decode(b, 4, "0100007F", 8));
	assert_int_equal(b[0], 0x01);
	assert_int_equal(b[3], 0x7f);
	assert_true(hex_decode(b, 2, "aBcD", 4));
	assert_int_equal(b[0], 0xab);
	assert_int_equal(b[1], 0xcd);
	assert_false(hex_decode(b, 2, "abc", 3));	/* length */
	assert_false(hex_decode(b, 2, "abcde", 5));
	assert_false(hex_decode(b, 2, "abcx", 4));	/* digit */
	assert_true(hex_decode(b, 0, "", 0));
}

static void test_hex_encode(void **state)
{
	(void)state;
	char out[9] = { 0 };
	const uint8_t v[4] = { 0x00, 0x7f, 0xab, 0xff };
	hex_encode(out, v, 4, false);
	assert_string_equal(out, "007fabff");
	hex_encode(out, v, 4, true);
	assert_string_equal(out, "007FABFF");
	/* round trip */
	uint8_t back[4];
	assert_true(hex_decode(back, 4, out, 8));
	assert_memory_equal(back, v, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hex_digits),
		cmocka_unit_test(test_hex_parse),
		cmocka_unit_test(test_hex_decode),
		cmocka_unit_test(test_hex_encode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
