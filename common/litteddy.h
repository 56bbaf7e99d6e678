/* litteddy.h - litscan's SIMD first pass: the positions of a line where
 * one of a set of literals may start, 16 bytes at a time (the "Teddy"
 * scheme of Hyperscan/Vectorscan: nibble tables looked up with SSSE3
 * pshufb, literals spread over 8 buckets). It may mark positions where no
 * literal starts, never leaves one unmarked: litscan verifies each mark.
 *
 * x86-64 with SSSE3 only (checked at run time); elsewhere litteddy_build
 * gives NULL and litscan scans byte by byte. */
#ifndef WARD_LITTEDDY_H
#define WARD_LITTEDDY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct litteddy;

/* The positions litteddy_mark covers in one call, a multiple of 64. */
enum { LITTEDDY_SPAN = 512 };

/* NULL when the CPU lacks SSSE3, or (unless always) when the tables would
 * admit so many positions that the byte-by-byte scan is as fast.
 * texts[i] holds lens[i] >= 1 bytes, compared without ASCII case when
 * icase[i]. */
struct litteddy *litteddy_build(const char *const *texts, const uint32_t *lens, const bool *icase, size_t n,
				bool always);
void litteddy_free(struct litteddy *t);

/* Bit (i - from) of marks for each i in [from, min(from + LITTEDDY_SPAN, n))
 * where a literal may start; the other bits are 0. Reads p[0..n) only. */
void litteddy_mark(const struct litteddy *t, const uint8_t *p, size_t n, size_t from,
		   uint64_t marks[LITTEDDY_SPAN / 64]);

#endif
