/* litscan: the literals one scan reports are exactly those a search of
 * each one finds (memmem, or ASCII-caseless), on random literal sets and
 * lines, and on the set and lines that Vectorscan 5.4.9 got wrong. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "litscan.h"

#define MAXL 64

struct seen {
	unsigned char hit[MAXL];
	int dup;
};

static void on(unsigned id, void *ud)
{
	struct seen *s = ud;
	if (s->hit[id])
		s->dup++;
	s->hit[id] = 1;
}

static bool naive(const char *s, size_t n, const char *p, size_t m, bool icase)
{
	for (size_t i = 0; i + m <= n; i++)
		if (icase ? strncasecmp(s + i, p, m) == 0 : memcmp(s + i, p, m) == 0)
			return true;
	return false;
}

/* Scan s with ls and compare with the naive search of every literal. */
static void check(const struct litscan *ls, struct litscan_scratch *sc, const char *const *lits, const size_t *lens,
		  const bool *icase, size_t nl, const char *s, size_t n)
{
	struct seen got = { 0 };
	assert_int_equal(litscan_scan(ls, sc, s, n, on, &got), 0);
	assert_int_equal(got.dup, 0);
	for (size_t k = 0; k < nl; k++)
		if (got.hit[k] != naive(s, n, lits[k], lens[k], icase[k]))
			fail_msg("literal %zu \"%.*s\"%s in \"%.*s\": scan %d, search %d", k, (int)lens[k], lits[k],
				 icase[k] ? " (caseless)" : "", (int)n, s, got.hit[k], !got.hit[k]);
}

/* openhab's gate with a witness of each half: Vectorscan 5.4.9 reported
 * nothing on this line at lengths 84 to 87 on an AVX-512 machine. */
static void test_vectorscan_case(void **state)
{
	(void)state;
	const char *lits[] = { "\" 401 ", "401 ", "\" 4" };
	size_t lens[] = { 6, 4, 3 };
	bool icase[] = { false, false, false };
	unsigned ids[] = { 0, 1, 2 };
	struct litscan *ls = litscan_build(lits, lens, icase, ids, 3);
	assert_non_null(ls);
	struct litscan_scratch *sc = NULL;
	assert_int_equal(litscan_scratch_for(ls, &sc), 0);
	const char *line = "175.18.15.10 -  -  [02/sept./2015:00:11:31 +0200] \"GET /openhab.app HTTP/1.1\" 401 1382 ";
	for (size_t n = 0; n <= strlen(line); n++) {
		char *copy = malloc(n + 1);
		memcpy(copy, line, n);
		check(ls, sc, lits, lens, icase, 3, copy, n);
		free(copy);
	}
	litscan_scratch_free(sc);
	litscan_free(ls);
}

/* Random literal sets over an alphabet with both cases, bytes >= 0x80 and
 * JSON punctuation, literals of 1 to 7 bytes, lines of every length to 200
 * (the SIMD pass works 16 bytes at a time and pads the rest). */
static void random_sets(enum litscan_first_pass how, unsigned seed)
{
	litscan_set_first_pass(how);
	srand(seed);
	static const char alpha[] = "abAB \"4_\x80\xc3";
	struct litscan_scratch *sc = NULL;
	for (int round = 0; round < 400; round++) {
		size_t nl = 1 + (size_t)rand() % MAXL;
		char buf[MAXL][8];
		const char *lits[MAXL];
		size_t lens[MAXL];
		bool icase[MAXL];
		unsigned ids[MAXL];
		for (size_t k = 0; k < nl; k++) {
			lens[k] = 1 + (size_t)rand() % 7;
			for (size_t j = 0; j < lens[k]; j++)
				buf[k][j] = alpha[rand() % (sizeof(alpha) - 1)];
			lits[k] = buf[k];
			icase[k] = rand() % 2;
			ids[k] = (unsigned)k;
		}
		struct litscan *ls = litscan_build(lits, lens, icase, ids, nl);
		assert_non_null(ls);
		assert_int_equal(litscan_scratch_for(ls, &sc), 0);	/* one scratch, many automata */
		for (int line = 0; line < 50; line++) {
			char s[200];
			size_t n = (size_t)rand() % sizeof(s);
			for (size_t j = 0; j < n; j++)
				s[j] = alpha[rand() % (sizeof(alpha) - 1)];
			check(ls, sc, lits, lens, icase, nl, s, n);
		}
		litscan_free(ls);
	}
	litscan_scratch_free(sc);
	litscan_set_first_pass(LITSCAN_FIRST_AUTO);
}

static void test_random(void **state)
{
	(void)state;
	random_sets(LITSCAN_FIRST_AUTO, 7);
	random_sets(LITSCAN_FIRST_SIMD, 8);
	random_sets(LITSCAN_FIRST_SCALAR, 9);
}

/* Case-sensitive literals of 1 to 24 bytes against lines holding them with
 * one byte changed, at every offset: the comparison after a marked
 * position (word by word, with an overlapping last word) must see a
 * difference anywhere, and report the literal itself. */
static void test_near_misses(void **state)
{
	(void)state;
	enum litscan_first_pass hows[] = { LITSCAN_FIRST_SIMD, LITSCAN_FIRST_SCALAR };
	struct litscan_scratch *sc = NULL;
	for (size_t h = 0; h < 2; h++) {
		litscan_set_first_pass(hows[h]);
		for (size_t n = 1; n <= 24; n++) {
			char lit[24], other[24];
			for (size_t j = 0; j < n; j++) {
				lit[j] = (char)('a' + j % 26);
				other[j] = (char)('A' + j % 26);	/* starts like lit only caselessly */
			}
			const char *lits[] = { lit, other };
			size_t lens[] = { n, n };
			bool icase[] = { false, false };
			unsigned ids[] = { 0, 1 };
			struct litscan *ls = litscan_build(lits, lens, icase, ids, 2);
			assert_non_null(ls);
			assert_int_equal(litscan_scratch_for(ls, &sc), 0);
			char line[40];
			for (size_t at = 0; at <= n; at++) {	/* at == n: unchanged */
				memcpy(line, "--", 2);
				memcpy(line + 2, lit, n);
				memcpy(line + 2 + n, "--", 2);
				if (at < n)
					line[2 + at] = '#';
				check(ls, sc, lits, lens, icase, 2, line, n + 4);
				check(ls, sc, lits, lens, icase, 2, line + 2, n);	/* the literal ends the line */
			}
			litscan_free(ls);
		}
	}
	litscan_scratch_free(sc);
	litscan_set_first_pass(LITSCAN_FIRST_AUTO);
}

/* Literals placed at the ends of lines whose lengths straddle the SIMD
 * pass's blocks (16 bytes, padded tail) and spans (512 positions): each
 * literal at the first and last position it fits, over filler that starts
 * none. Both passes must report exactly what the search finds. */
static void test_block_edges(void **state)
{
	(void)state;
	const char *lits[] = { "Q", "zy", "\x80\xc3x", "FaiLed", "\xff" };
	size_t lens[] = { 1, 2, 3, 6, 1 };
	bool icase[] = { false, true, true, true, false };
	unsigned ids[] = { 0, 1, 2, 3, 4 };
	static const size_t sizes[] = { 0, 1, 2, 3, 5, 15, 16, 17, 18, 19, 31, 32, 33, 34, 63, 64, 65, 66,
					511, 512, 513, 514, 1023, 1024, 1025, 1300 };
	enum litscan_first_pass hows[] = { LITSCAN_FIRST_SIMD, LITSCAN_FIRST_SCALAR };
	static char s[1300];
	for (size_t h = 0; h < 2; h++) {
		litscan_set_first_pass(hows[h]);
		struct litscan *ls = litscan_build(lits, lens, icase, ids, 5);
		struct litscan_scratch *sc = NULL;
		assert_int_equal(litscan_scratch_for(ls, &sc), 0);
		for (size_t z = 0; z < sizeof(sizes) / sizeof(*sizes); z++)
			for (size_t k = 0; k < 5; k++)
				for (int end = 0; end < 2; end++) {
					size_t n = sizes[z];
					memset(s, '.', n);
					if (lens[k] <= n) {
						size_t at = end ? n - lens[k] : 0;
						memcpy(s + at, lits[k], lens[k]);
						if (icase[k] && s[at] >= 'a' && s[at] <= 'z')
							s[at] = (char)(s[at] - 32);
					}
					char *copy = malloc(n ? n : 1);	/* exact size: ASan sees a read past it */
					memcpy(copy, s, n);
					check(ls, sc, lits, lens, icase, 5, copy, n);
					free(copy);
				}
		litscan_scratch_free(sc);
		litscan_free(ls);
	}
	litscan_set_first_pass(LITSCAN_FIRST_AUTO);
}

/* More distinct starts than two sets of eight buckets hold (40 literals
 * of three pseudo-random bytes, odd ones caseless, so that no bucket
 * admits another bucket's literals): each alone in a line of filler, at
 * every fifth position, is found by every pass. */
static void test_many_buckets(void **state)
{
	(void)state;
	char buf[40][3];
	const char *lits[40];
	size_t lens[40];
	bool icase[40];
	unsigned ids[40];
	uint32_t x = 12345;
	for (size_t k = 0; k < 40; k++) {
		for (size_t j = 0; j < 3; j++) {
			x = x * 1103515245u + 12345u;
			buf[k][j] = (char)(x >> 16);
		}
		lits[k] = buf[k];
		lens[k] = 3;
		icase[k] = k % 2;
		ids[k] = (unsigned)k;
	}
	enum litscan_first_pass hows[] = { LITSCAN_FIRST_AUTO, LITSCAN_FIRST_SIMD, LITSCAN_FIRST_SCALAR };
	char s[40];
	for (size_t h = 0; h < 3; h++) {
		litscan_set_first_pass(hows[h]);
		struct litscan *ls = litscan_build(lits, lens, icase, ids, 40);
		struct litscan_scratch *sc = NULL;
		assert_int_equal(litscan_scratch_for(ls, &sc), 0);
		for (size_t k = 0; k < 40; k++)
			for (size_t at = 0; at + 3 <= sizeof(s); at += 5) {
				memset(s, '.', sizeof(s));
				memcpy(s + at, lits[k], 3);
				check(ls, sc, lits, lens, icase, 40, s, sizeof(s));
			}
		litscan_scratch_free(sc);
		litscan_free(ls);
	}
	litscan_set_first_pass(LITSCAN_FIRST_AUTO);
}

/* Several literals with one id are reported once; an empty literal is
 * refused. */
static void test_shared_ids(void **state)
{
	(void)state;
	const char *lits[] = { "ab", "b", "AB" };
	size_t lens[] = { 2, 1, 2 };
	bool icase[] = { false, false, true };
	unsigned ids[] = { 5, 5, 5 };
	struct litscan *ls = litscan_build(lits, lens, icase, ids, 3);
	struct litscan_scratch *sc = NULL;
	assert_int_equal(litscan_scratch_for(ls, &sc), 0);
	struct seen got = { 0 };
	assert_int_equal(litscan_scan(ls, sc, "xxabab", 6, on, &got), 0);
	assert_int_equal(got.hit[5], 1);
	assert_int_equal(got.dup, 0);
	litscan_scratch_free(sc);
	litscan_free(ls);
	size_t zero[] = { 0 };
	assert_null(litscan_build(lits, zero, icase, ids, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectorscan_case),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_near_misses),
		cmocka_unit_test(test_block_edges),
		cmocka_unit_test(test_many_buckets),
		cmocka_unit_test(test_shared_ids),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
