/* Unit tests: JSON writer, UTF-8 validation, buffers, counters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "counters.h"
#include "fmtdouble.h"
#include "jsonw.h"
#include "utf8.h"

static void test_utf8_validation(void **state)
{
	(void)state;
	assert_true(utf8_valid("plain", 5));
	assert_true(utf8_valid("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 9));
	assert_false(utf8_valid("\xc0\xaf", 2));		/* overlong '/' */
	assert_false(utf8_valid("\xe0\x80\xaf", 3));	/* overlong */
	assert_false(utf8_valid("\xed\xa0\x80", 3));	/* surrogate */
	assert_false(utf8_valid("\xf4\x90\x80\x80", 4));	/* > U+10FFFF */
	assert_false(utf8_valid("\xe2\x82", 2));		/* truncated */
	assert_false(utf8_valid("\x80", 1));
	assert_false(utf8_valid("\xff", 1));
}

static const char *str(const char *s, size_t n)
{
	static struct ward_buf b;
	buf_reset(&b);
	jsonw_string(&b, s, n);
	return buf_cstr(&b);
}

static void test_string_escaping(void **state)
{
	(void)state;
	assert_string_equal(str("a\"b\\c", 5), "\"a\\\"b\\\\c\"");
	assert_string_equal(str("\n\r\t\x1f\x7f", 5), "\"\\n\\r\\t\\u001f\x7f\"");
	assert_string_equal(str("\0", 1), "\"\\u0000\"");
	assert_string_equal(str("x\xe2\x82", 3), "\"x\xef\xbf\xbd\xef\xbf\xbd\"");
	assert_string_equal(str("\xf0\x9f\x98\x80", 4), "\"\xf0\x9f\x98\x80\"");
	assert_string_equal(str("</script>", 9), "\"</script>\"");
}

static void test_numbers(void **state)
{
	(void)state;
	struct ward_buf b = WARD_BUF_INIT;
	jsonw_double(&b, 6);
	buf_append_char(&b, ' ');
	jsonw_double(&b, 0.1);
	buf_append_char(&b, ' ');
	jsonw_double(&b, -2.5e-7);
	buf_append_char(&b, ' ');
	jsonw_double(&b, NAN);
	buf_append_char(&b, ' ');
	jsonw_double(&b, -INFINITY);
	buf_append_char(&b, ' ');
	jsonw_int(&b, INT64_MIN);
	assert_string_equal(buf_cstr(&b), "6 0.1 -2.5e-07 \"NaN\" \"-Inf\" -9223372036854775808");
	buf_free(&b);
	/* the integral fast path writes what fmtdouble's JSON dialect does,
	 * at its edges: -0, 2^53 - 1, 2^53 and 1e17 (no longer written as integers) */
	static const double edges[] = { -0.0, 9007199254740991.0, -9007199254740991.0, 9007199254740992.0, 1e17, 1e20, 3.0 };
	for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++) {
		char want[FMTDOUBLE_MAX];
		want[fmtdouble(want, edges[i], FMTDOUBLE_JSON)] = '\0';
		buf_reset(&b);
		jsonw_double(&b, edges[i]);
		assert_string_equal(buf_cstr(&b), want);
	}
	buf_free(&b);
}

static void test_buf_growth(void **state)
{
	(void)state;
	struct ward_buf b = WARD_BUF_INIT;
	for (int i = 0; i < 10000; i++)
		buf_printf(&b, "%d,", i);
	assert_true(b.len > 40000);
	assert_true(strncmp(b.data, "0,1,2,", 6) == 0);
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_cstr(&b), "");
	buf_free(&b);
}

static void test_counters_line(void **state)
{
	(void)state;
	struct ward_counters c;
	counters_init(&c, "match");
	c.in = 10;
	c.out = 3;
	c.malformed = 1;
	++*counters_extra(&c, "regex_limit");
	++*counters_extra(&c, "regex_limit");
	char out[512] = "";
	FILE *f = fmemopen(out, sizeof out, "w");
	counters_print(&c, f);
	fclose(f);
	assert_string_equal(out, "{\"stage\":\"match\",\"in\":10,\"out\":3,\"dropped\":0,\"malformed\":1,"
				 "\"oversized\":0,\"errors\":0,\"regex_limit\":2}\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_validation),
		cmocka_unit_test(test_string_escaping),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_buf_growth),
		cmocka_unit_test(test_counters_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
