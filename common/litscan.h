/* litscan.h - find which of many literals occur in a line, in one pass.
 *
 * Backed by Vectorscan/Hyperscan's literal mode (hs_compile_lit_multi,
 * HS_FLAG_SINGLEMATCH): one scan of the line reports each literal id that
 * occurs at least once. Literals are byte strings (NUL bytes allowed); a
 * caseless literal compares ASCII letters without case (bytes >= 0x80
 * exactly). docs/rules.md ("Speed") says why this and not Aho-Corasick.
 *
 * Ownership: litscan_build copies nothing it keeps (the database holds the
 * literals); a scratch belongs to one thread and may serve several
 * databases (litscan_scratch_for grows it). */
#ifndef WARD_LITSCAN_H
#define WARD_LITSCAN_H

#include <stdbool.h>
#include <stddef.h>

struct litscan;
struct litscan_scratch;

/* NULL if the library refuses (unsupported CPU, no memory): callers then
 * search literal by literal. n >= 1; every lens[i] >= 1. */
struct litscan *litscan_build(const char *const *lits, const size_t *lens, const bool *icase,
			      const unsigned *ids, size_t n);
void litscan_free(struct litscan *ls);

/* Make *scratch usable with ls (allocating or growing it); -1 on failure. */
int litscan_scratch_for(const struct litscan *ls, struct litscan_scratch **scratch);
void litscan_scratch_free(struct litscan_scratch *scratch);

/* on(id, ud) once for each literal that occurs in s[0..n). -1 on a scan
 * error (the caller then searches literal by literal). */
int litscan_scan(const struct litscan *ls, struct litscan_scratch *scratch, const char *s, size_t n,
		 void (*on)(unsigned id, void *ud), void *ud);

#endif
