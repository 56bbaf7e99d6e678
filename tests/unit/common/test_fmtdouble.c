/* Unit tests: the three dialects of shortest double formatting, each
 * against the outputs its users pin (JSON numbers in events; Go's %v as
 * Prometheus/Loki templates print; C's shortest %g as ward-window did). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fmtdouble.h"

static void is(double v, enum fmtdouble_mode mode, const char *want)
{
	char out[FMTDOUBLE_MAX];
	size_t n = fmtdouble(out, v, mode);
	if (strcmp(out, want) != 0)
		fail_msg("mode %d, %.17g: got \"%s\", want \"%s\"", (int)mode, v, out, want);
	assert_int_equal(n, strlen(want));
	struct ward_buf b = WARD_BUF_INIT;
	buf_append_str(&b, "x");
	fmtdouble_append(&b, v, mode);
	assert_string_equal(b.data + 1, want);
	buf_free(&b);
	if (isfinite(v))
		assert_true(strtod(out, NULL) == v);	/* round trip */
}

static void test_fmtdouble_json(void **state)
{
	(void)state;
	const enum fmtdouble_mode J = FMTDOUBLE_JSON;
	is(0, J, "0");
	is(-0.0, J, "0");
	is(3, J, "3");
	is(-42, J, "-42");
	is(1e15, J, "1000000000000000");
	is(1234567890123456.0, J, "1234567890123456");
	is(9007199254740991.0, J, "9007199254740991");
	is(9007199254740992.0, J, "9007199254740992");	/* %.16g */
	is(1e16, J, "1e+16");	/* past 2^53: %g, not an integer */
	is(1e20, J, "1e+20");
	is(0.1, J, "0.1");
	is(0.1 + 0.2, J, "0.30000000000000004");
	is(123456.789, J, "123456.789");
	is(1.5e-7, J, "1.5e-07");
	is(0.0001, J, "0.0001");
	is(-2.5, J, "-2.5");
	is(1.0 / 3, J, "0.3333333333333333");
	is(5e-324, J, "4.94065645841247e-324");	/* %.15g already round-trips */
	is(1.7976931348623157e308, J, "1.7976931348623157e+308");
	is(NAN, J, "NaN");
	is(INFINITY, J, "+Inf");
	is(-INFINITY, J, "-Inf");
}

static void test_fmtdouble_go(void **state)
{
	(void)state;
	const enum fmtdouble_mode G = FMTDOUBLE_GO;
	is(0, G, "0");
	is(-0.0, G, "-0");
	is(55, G, "55");
	is(0.5, G, "0.5");
	is(-1.5, G, "-1.5");
	is(100000, G, "100000");
	is(123456, G, "123456");
	is(1e6, G, "1e+06");
	is(1234567, G, "1.234567e+06");
	is(123456789, G, "1.23456789e+08");
	is(1e21, G, "1e+21");
	is(1e100, G, "1e+100");
	is(0.0001, G, "0.0001");
	is(0.00012, G, "0.00012");
	is(0.00001, G, "1e-05");
	is(1.5e-7, G, "1.5e-07");
	is(0.1 + 0.2, G, "0.30000000000000004");
	is(5e-324, G, "5e-324");
	is(1.7976931348623157e308, G, "1.7976931348623157e+308");
	is(12.75, G, "12.75");
	is(NAN, G, "NaN");
	is(INFINITY, G, "+Inf");
	is(-INFINITY, G, "-Inf");
}

static void test_fmtdouble_c_shortest(void **state)
{
	(void)state;
	const enum fmtdouble_mode C = FMTDOUBLE_C_SHORTEST;
	is(0, C, "0");
	is(-0.0, C, "-0");
	is(100, C, "1e+02");	/* %.1g round-trips: not what Go prints */
	is(123, C, "123");
	is(1e6, C, "1e+06");
	is(123456789, C, "123456789");
	is(0.1, C, "0.1");
	is(0.5, C, "0.5");
	is(1234.5, C, "1234.5");
	is(0.00001, C, "1e-05");
	is(0.1 + 0.2, C, "0.30000000000000004");
	is(5e-324, C, "5e-324");
	is(NAN, C, "NaN");
	is(-INFINITY, C, "-Inf");
}

/* Every mode round-trips a spread of values and fits FMTDOUBLE_MAX. */
static void test_fmtdouble_round_trip(void **state)
{
	(void)state;
	char out[FMTDOUBLE_MAX];
	srand(3);
	for (int i = 0; i < 20000; i++) {
		uint64_t bits = ((uint64_t)rand() << 42) ^ ((uint64_t)rand() << 21) ^ (uint64_t)rand();
		double v;
		memcpy(&v, &bits, sizeof v);
		if (!isfinite(v))
			continue;
		for (int m = FMTDOUBLE_JSON; m <= FMTDOUBLE_C_SHORTEST; m++) {
			size_t n = fmtdouble(out, v, (enum fmtdouble_mode)m);
			assert_true(n < FMTDOUBLE_MAX);
			assert_true(strtod(out, NULL) == v);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fmtdouble_json),
		cmocka_unit_test(test_fmtdouble_go),
		cmocka_unit_test(test_fmtdouble_c_shortest),
		cmocka_unit_test(test_fmtdouble_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
