/* jsonscan.h - find the bytes that JSON strings treat specially, 16 at a
 * time (SSE2 on x86-64, 8 at a time elsewhere). The event decoders and the
 * JSON writer spend most of their time here: every event is mostly string.
 * No state, no allocation. */
#ifndef WARD_JSONSCAN_H
#define WARD_JSONSCAN_H

#include <stdbool.h>
#include <stddef.h>

/* json_scan_special(s, i, n, high): offset of the first byte at or after i
 * that is '"', '\\' or a control byte (< 0x20); n if there is none. *high
 * becomes true if a byte >= 0x80 was scanned (possibly one past the stop:
 * callers use it only to decide whether to validate UTF-8).
 *
 * json_scan_plain(s, n): length of the leading run of s[0..n) that a JSON
 * writer copies as it is: bytes 0x20-0x7f except '"' and '\\'.
 *
 * Defined here, inline: they run once or more per string of every event,
 * and a call costs as much as scanning a short string. */

#include <stdint.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>

enum { JSONSCAN_BLOCK = 16, JSONSCAN_SOMEWHERE = 17 };

/* Bit i set if byte i of the block is '"', '\\' or a control byte;
 * *high_bits: bit i set if byte i is >= 0x80. */
static inline unsigned jsonscan_block_stops(const char *p, unsigned *high_bits)
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
 * JSONSCAN_BLOCK if none, JSONSCAN_SOMEWHERE if it has one at an unknown
 * offset. */
static inline __attribute__((always_inline)) size_t
jsonscan_block(const char *p, bool with_high, bool *high)
{
	unsigned hb, m = jsonscan_block_stops(p, &hb);
	if (hb)
		*high = true;
	if (with_high)
		m |= hb;
	return m ? (size_t)__builtin_ctz(m) : JSONSCAN_BLOCK;
}

#else	/* portable: eight bytes at a time in a 64-bit word */

enum { JSONSCAN_BLOCK = 8, JSONSCAN_SOMEWHERE = 9 };
#define JSONSCAN_ONES 0x0101010101010101ULL
#define JSONSCAN_HIGHS 0x8080808080808080ULL

/* Borrows make the word flags exact only for the lowest-addressed byte, the
 * lowest-order one on little-endian machines; elsewhere a flagged word is
 * left to the byte loop. */
static inline __attribute__((always_inline)) size_t
jsonscan_block(const char *p, bool with_high, bool *high)
{
	uint64_t w;
	memcpy(&w, p, 8);
	const uint64_t ones = JSONSCAN_ONES, highs = JSONSCAN_HIGHS;
	uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');
	uint64_t m = ((q - ones) & ~q & highs) | ((b - ones) & ~b & highs) |
		     ((w - ones * 0x20) & ~w & highs);
	if (w & JSONSCAN_HIGHS)
		*high = true;
	if (with_high)
		m |= w & JSONSCAN_HIGHS;
	if (!m)
		return JSONSCAN_BLOCK;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return (size_t)__builtin_ctzll(m) >> 3;
#else
	return JSONSCAN_SOMEWHERE;
#endif
}
#endif

/* Per byte, for the tail shorter than a block (most keys and values are):
 * 1 '"', '\\' or a control byte, 2 a byte >= 0x80. One load and test a
 * byte instead of four compares. */
enum { JSONSCAN_STOP = 1, JSONSCAN_HIGH = 2 };
static const unsigned char jsonscan_class[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 0x00 controls */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 0x10 controls */
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 0x20 '"' */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 0x30 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 0x40 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,	/* 0x50 '\\' */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 0x60 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 0x70 */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,	/* 0x80 0x80-0xff: high */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,	/* 0x90 */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,	/* 0xa0 */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,	/* 0xb0 */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,	/* 0xc0 */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,	/* 0xd0 */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,	/* 0xe0 */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,	/* 0xf0 */
};

/* Inlined into each caller, so with_high is a constant in both loops. */
static inline __attribute__((always_inline)) size_t
jsonscan_run(const char *s, size_t i, size_t n, bool with_high, bool *high)
{
	while (i + JSONSCAN_BLOCK <= n) {
		size_t at = jsonscan_block(s + i, with_high, high);
		if (at < JSONSCAN_BLOCK)
			return i + at;
		if (at == JSONSCAN_SOMEWHERE)
			break;
		i += JSONSCAN_BLOCK;
	}
	const unsigned stops = with_high ? JSONSCAN_STOP | JSONSCAN_HIGH : JSONSCAN_STOP;
	for (; i < n; i++) {
		unsigned c = jsonscan_class[(unsigned char)s[i]];
		if (c & stops)
			return i;
		if (c & JSONSCAN_HIGH)
			*high = true;
	}
	return n;
}

static inline size_t json_scan_special(const char *s, size_t i, size_t n, bool *high)
{
	return jsonscan_run(s, i, n, false, high);
}

static inline size_t json_scan_plain(const char *s, size_t n)
{
	bool high = false;
	return jsonscan_run(s, 0, n, true, &high);
}

#endif
