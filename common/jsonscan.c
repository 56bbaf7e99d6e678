/* jsonscan.c - see jsonscan.h. Each scanner skips whole blocks while no
 * byte of a block stops it, then finishes byte by byte. */
#include "jsonscan.h"

#include <stdint.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>

enum { BLOCK = 16, SOMEWHERE = 17 };

/* Bit i set if byte i of the block is '"', '\\' or a control byte;
 * *high_bits: bit i set if byte i is >= 0x80. */
static inline unsigned block_stops(const char *p, unsigned *high_bits)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
	const __m128i ctl_max = _mm_set1_epi8(0x1f);
	__m128i is_ctl = _mm_cmpeq_epi8(_mm_max_epu8(v, ctl_max), ctl_max);
	__m128i stop = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
						 _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))), is_ctl);
	*high_bits = (unsigned)_mm_movemask_epi8(v);
	return (unsigned)_mm_movemask_epi8(stop);
}

/* Offset in the block of the first stop (with_high: high bytes stop too),
 * BLOCK if none, SOMEWHERE if the block has one at an unknown offset. */
static inline __attribute__((always_inline)) size_t block_scan(const char *p, bool with_high, bool *high)
{
	unsigned hb, m = block_stops(p, &hb);
	if (hb)
		*high = true;
	if (with_high)
		m |= hb;
	return m ? (size_t)__builtin_ctz(m) : BLOCK;
}

#else	/* portable: eight bytes at a time in a 64-bit word */

enum { BLOCK = 8, SOMEWHERE = 9 };
#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* Borrows make the word flags exact only for the lowest-addressed byte, the
 * lowest-order one on little-endian machines; elsewhere a flagged word is
 * left to the byte loop. */
static inline __attribute__((always_inline)) size_t block_scan(const char *p, bool with_high, bool *high)
{
	uint64_t w;
	memcpy(&w, p, 8);
	uint64_t q = w ^ (ONES * '"'), b = w ^ (ONES * '\\');
	uint64_t m = ((q - ONES) & ~q & HIGHS) | ((b - ONES) & ~b & HIGHS) |
		     ((w - ONES * 0x20) & ~w & HIGHS);
	if (w & HIGHS)
		*high = true;
	if (with_high)
		m |= w & HIGHS;
	if (!m)
		return BLOCK;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return (size_t)__builtin_ctzll(m) >> 3;
#else
	return SOMEWHERE;
#endif
}
#endif

static inline bool is_stop(unsigned char c, bool with_high)
{
	return c == '"' || c == '\\' || c < 0x20 || (with_high && c >= 0x80);
}

/* Inlined into each caller, so with_high is a constant in both loops. */
static inline __attribute__((always_inline)) size_t scan(const char *s, size_t i, size_t n,
							  bool with_high, bool *high)
{
	while (i + BLOCK <= n) {
		size_t at = block_scan(s + i, with_high, high);
		if (at < BLOCK)
			return i + at;
		if (at == SOMEWHERE)
			break;
		i += BLOCK;
	}
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (is_stop(c, with_high))
			return i;
		if (c >= 0x80)
			*high = true;
	}
	return n;
}

size_t json_scan_special(const char *s, size_t i, size_t n, bool *high)
{
	return scan(s, i, n, false, high);
}

size_t json_scan_plain(const char *s, size_t n)
{
	bool high = false;
	return scan(s, 0, n, true, &high);
}
