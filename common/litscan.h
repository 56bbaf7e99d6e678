/* litscan.h - find which of many literals occur in a line, in one pass.
 *
 * Each position of the line is tested against bitmaps of the literals'
 * first bytes (litscan.c says which); only where one admits it are the
 * literals with those first bytes compared; on x86-64 with SSSE3 a SIMD
 * pass (litteddy.h) first picks the positions worth testing, 16 bytes at a
 * time. It reports each literal id that occurs at least once. Literals
 * are byte strings (NUL bytes allowed); a caseless literal compares ASCII
 * letters without case (bytes >= 0x80 exactly). Vectorscan's literal
 * mode did this job until 2026-12-07: its version 5.4.9 (Debian's) misses
 * literals on AVX-512 machines, depending on the line's length
 * (docs/rules.md, "Speed"; tests/unit/common/test_litscan.c keeps the case
 * that showed it).
 *
 * Ownership: litscan_build copies the literals; a scratch belongs to one
 * thread and may serve several scanners (litscan_scratch_for grows it). */
#ifndef WARD_LITSCAN_H
#define WARD_LITSCAN_H

#include <stdbool.h>
#include <stddef.h>

struct litscan;
struct litscan_scratch;

/* NULL when n is 0 or too large, or a length is 0: callers then search
 * literal by literal. n >= 1; every lens[i] >= 1. */
struct litscan *litscan_build(const char *const *lits, const size_t *lens, const bool *icase,
			      const unsigned *ids, size_t n);
void litscan_free(struct litscan *ls);

/* Make *scratch usable with ls (allocating or growing it); -1 on failure. */
int litscan_scratch_for(const struct litscan *ls, struct litscan_scratch **scratch);
void litscan_scratch_free(struct litscan_scratch *scratch);

/* The first pass of the scanners litscan_build makes from now on:
 * LITSCAN_FIRST_AUTO (the default) the SIMD pass of litteddy.h where the
 * CPU has it and its tables are selective, LITSCAN_FIRST_SIMD wherever the
 * CPU has it, LITSCAN_FIRST_SCALAR byte by byte. Process-wide; for tests
 * and measurements: every choice reports the same literals. */
enum litscan_first_pass { LITSCAN_FIRST_AUTO, LITSCAN_FIRST_SIMD, LITSCAN_FIRST_SCALAR };
void litscan_set_first_pass(enum litscan_first_pass how);

/* on(id, ud) once for each literal id that occurs in s[0..n), in no
 * particular order. -1 when scratch was not made for ls
 * (the caller then searches literal by literal). */
int litscan_scan(const struct litscan *ls, struct litscan_scratch *scratch, const char *s, size_t n,
		 void (*on)(unsigned id, void *ud), void *ud);

#endif
