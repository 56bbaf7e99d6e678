/* fuzz_litscan - the multi-literal scanner (common/litscan.c) and its SIMD
 * first pass (common/litteddy.c). Input: a header byte (bits 0-2: number
 * of literals - 1; bits 3-7: caseless flags of the first five), then the
 * literals, each a length byte (1 + byte % 8) and its bytes, then the line.
 * Checks: the SIMD pass, the byte-by-byte pass and a naive search of each
 * literal report the same set of literals, each once. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "litscan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { MAXLIT = 8 };

static void on(unsigned id, void *ud)
{
	unsigned *count = ud;
	count[id]++;
}

static uint8_t lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
}

static bool naive(const uint8_t *s, size_t n, const uint8_t *p, size_t m, bool icase)
{
	for (size_t i = 0; i + m <= n; i++) {
		size_t j = 0;
		while (j < m && (icase ? lower(s[i + j]) == lower(p[j]) : s[i + j] == p[j]))
			j++;
		if (j == m)
			return true;
	}
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t nl = (size_t)(data[0] & 7) + 1, at = 1;
	const char *lits[MAXLIT];
	size_t lens[MAXLIT];
	bool icase[MAXLIT];
	unsigned ids[MAXLIT];
	for (size_t k = 0; k < nl; k++) {
		if (at >= size)
			return 0;
		lens[k] = 1 + (size_t)data[at++] % 8;
		if (size - at < lens[k])
			return 0;
		lits[k] = (const char *)data + at;
		at += lens[k];
		icase[k] = k < 5 && (data[0] >> (3 + k) & 1);
		ids[k] = (unsigned)k;
	}
	/* the line in its own allocation, so ASan sees any read past it */
	size_t n = size - at;
	uint8_t *line = malloc(n ? n : 1);
	if (!line)
		return 0;
	memcpy(line, data + at, n);
	enum litscan_first_pass hows[] = { LITSCAN_FIRST_SIMD, LITSCAN_FIRST_SCALAR };
	for (size_t h = 0; h < 2; h++) {
		litscan_set_first_pass(hows[h]);
		struct litscan *ls = litscan_build(lits, lens, icase, ids, nl);
		struct litscan_scratch *sc = NULL;
		if (!ls || litscan_scratch_for(ls, &sc) != 0)
			abort();
		unsigned count[MAXLIT] = { 0 };
		if (litscan_scan(ls, sc, (const char *)line, n, on, count) != 0)
			abort();
		for (size_t k = 0; k < nl; k++)
			if (count[k] != naive(line, n, (const uint8_t *)lits[k], lens[k], icase[k]))
				abort();
		litscan_scratch_free(sc);
		litscan_free(ls);
	}
	litscan_set_first_pass(LITSCAN_FIRST_AUTO);
	free(line);
	return 0;
}
