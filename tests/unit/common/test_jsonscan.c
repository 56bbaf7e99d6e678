/* Unit tests: the block scanners against a byte-at-a-time reference, at
 * every offset and length around the block sizes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "jsonscan.h"

static bool is_special(unsigned char c)
{
	return c == '"' || c == '\\' || c < 0x20;
}

static size_t ref_special(const char *s, size_t i, size_t n, bool *high)
{
	for (; i < n; i++) {
		if (is_special((unsigned char)s[i]))
			return i;
		if ((unsigned char)s[i] >= 0x80)
			*high = true;
	}
	return n;
}

static size_t ref_plain(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && !is_special((unsigned char)s[i]) && (unsigned char)s[i] < 0x80)
		i++;
	return i;
}

/* Every stop byte at every position of every length up to 40, from every
 * start offset: the block and tail loops and their boundary. */
static void test_each_stop_at_each_position(void **state)
{
	(void)state;
	static const unsigned char stops[] = { '"', '\\', 0x00, 0x01, 0x1f, 0x80, 0xC3, 0xff };
	char s[48];
	for (size_t st = 0; st < sizeof stops; st++)
		for (size_t n = 0; n <= 40; n++)
			for (size_t at = 0; at <= n; at++) {
				memset(s, 'a', sizeof s);
				s[n] = '"';	/* past the end: must never be seen */
				if (at < n)
					s[at] = (char)stops[st];
				for (size_t from = 0; from <= n; from++) {
					bool h1 = false, h2 = false;
					size_t got = json_scan_special(s, from, n, &h1);
					assert_int_equal(got, ref_special(s, from, n, &h2));
					if (h2)
						assert_true(h1);	/* a high byte before the stop is never missed */
				}
				assert_int_equal(json_scan_plain(s, n), ref_plain(s, n));
			}
}

static void test_plain_bytes_pass(void **state)
{
	(void)state;
	char s[0x60];
	for (int c = 0x20; c < 0x80; c++)
		s[c - 0x20] = (char)c;
	/* 0x20-0x7f minus '"' (0x22) and '\\' (0x5c) */
	assert_int_equal(json_scan_plain(s, sizeof s), 2);
	assert_int_equal(json_scan_plain(s + 3, sizeof s - 3), 0x5c - 0x23);
	assert_int_equal(json_scan_plain(s + 0x3d, sizeof s - 0x3d), sizeof s - 0x3d);
	bool high = false;
	assert_int_equal(json_scan_special(s, 3, sizeof s, &high), 0x5c - 0x20);
	assert_false(high);
}

static void test_random_buffers(void **state)
{
	(void)state;
	char s[300];
	srand(7);
	for (int round = 0; round < 20000; round++) {
		size_t n = (size_t)rand() % sizeof s;
		for (size_t i = 0; i < n; i++) {
			int r = rand() % 64;
			s[i] = r == 0 ? '"' : r == 1 ? '\\' : r == 2 ? (char)(rand() % 0x20)
			     : r < 6 ? (char)(0x80 + rand() % 0x80) : (char)(0x20 + rand() % 0x5f);
		}
		size_t from = n ? (size_t)rand() % (n + 1) : 0;
		bool h1 = false, h2 = false;
		assert_int_equal(json_scan_special(s, from, n, &h1), ref_special(s, from, n, &h2));
		if (h2)
			assert_true(h1);
		assert_int_equal(json_scan_plain(s, n), ref_plain(s, n));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_stop_at_each_position),
		cmocka_unit_test(test_plain_bytes_pass),
		cmocka_unit_test(test_random_buffers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
