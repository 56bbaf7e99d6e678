/* jsonscan.c - see jsonscan.h. */
#include "jsonscan.h"

#include <stdint.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>

/* Per 16-byte block: bit i of the result is set if byte i stops a scan. */
static unsigned special_mask(__m128i v, unsigned *high_bits)
{
	const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
	const __m128i ctl_max = _mm_set1_epi8(0x1f);
	__m128i is_ctl = _mm_cmpeq_epi8(_mm_max_epu8(v, ctl_max), ctl_max);
	__m128i stop = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote),
						 _mm_cmpeq_epi8(v, bslash)), is_ctl);
	*high_bits = (unsigned)_mm_movemask_epi8(v);
	return (unsigned)_mm_movemask_epi8(stop);
}

size_t json_scan_special(const char *s, size_t i, size_t n, bool *high)
{
	while (i + 16 <= n) {
		unsigned hb, m = special_mask(_mm_loadu_si128((const __m128i *)(const void *)(s + i)), &hb);
		if (hb)
			*high = true;
		if (m)
			return i + (size_t)__builtin_ctz(m);
		i += 16;
	}
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\' || c < 0x20)
			return i;
		if (c >= 0x80)
			*high = true;
	}
	return n;
}

size_t json_scan_plain(const char *s, size_t n)
{
	size_t i = 0;
	while (i + 16 <= n) {
		unsigned hb, m = special_mask(_mm_loadu_si128((const __m128i *)(const void *)(s + i)), &hb);
		m |= hb;
		if (m)
			return i + (size_t)__builtin_ctz(m);
		i += 16;
	}
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80)
			return i;
	}
	return n;
}

#else	/* portable: eight bytes at a time in a 64-bit word */

#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* High bit set in each byte of w that is '"', '\\' or a control character
 * (exact for the lowest such byte, which is all the callers use). */
static uint64_t word_stops(uint64_t w)
{
	uint64_t q = w ^ (ONES * '"'), b = w ^ (ONES * '\\');
	uint64_t zero_q = (q - ONES) & ~q & HIGHS;
	uint64_t zero_b = (b - ONES) & ~b & HIGHS;
	uint64_t ctl = (w - ONES * 0x20) & ~w & HIGHS;
	return zero_q | zero_b | ctl;
}

/* Borrows make the flags exact only for the lowest-addressed byte, which
 * is the lowest-order one on little-endian machines; elsewhere the byte
 * loop after the word loop finds the stop. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define WORD_SCAN 1
#else
#define WORD_SCAN 0
#endif

size_t json_scan_special(const char *s, size_t i, size_t n, bool *high)
{
	uint64_t w, m;
	while (i + 8 <= n) {
		memcpy(&w, s + i, 8);
		if (w & HIGHS)
			*high = true;
		if ((m = word_stops(w)) != 0) {
			if (WORD_SCAN)
				return i + ((size_t)__builtin_ctzll(m) >> 3);
			break;
		}
		i += 8;
	}
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\' || c < 0x20)
			return i;
		if (c >= 0x80)
			*high = true;
	}
	return n;
}

size_t json_scan_plain(const char *s, size_t n)
{
	uint64_t w, m;
	size_t i = 0;
	while (i + 8 <= n) {
		memcpy(&w, s + i, 8);
		if ((m = word_stops(w) | (w & HIGHS)) != 0) {
			if (WORD_SCAN)
				return i + ((size_t)__builtin_ctzll(m) >> 3);
			break;
		}
		i += 8;
	}
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80)
			return i;
	}
	return n;
}
#endif
