/* litscan.c - many literals, one pass (Vectorscan/Hyperscan literal mode). */
#include <hs/hs.h>
#include <stdlib.h>

#include "buf.h"
#include "litscan.h"

struct litscan {
	hs_database_t *db;
};

struct litscan *litscan_build(const char *const *lits, const size_t *lens, const bool *icase,
			      const unsigned *ids, size_t n)
{
	if (n == 0 || n > 0xffffffu || hs_valid_platform() != HS_SUCCESS)
		return NULL;
	unsigned *flags = ward_xcalloc(n, sizeof(*flags));
	for (size_t i = 0; i < n; i++)
		flags[i] = HS_FLAG_SINGLEMATCH | (icase[i] ? HS_FLAG_CASELESS : 0);
	hs_database_t *db = NULL;
	hs_compile_error_t *cerr = NULL;
	hs_error_t rc = hs_compile_lit_multi(lits, flags, ids, lens, (unsigned)n, HS_MODE_BLOCK, NULL,
					     &db, &cerr);
	free(flags);
	if (rc != HS_SUCCESS) {
		hs_free_compile_error(cerr);
		return NULL;
	}
	struct litscan *ls = ward_xcalloc(1, sizeof(*ls));
	ls->db = db;
	return ls;
}

void litscan_free(struct litscan *ls)
{
	if (!ls)
		return;
	hs_free_database(ls->db);
	free(ls);
}

int litscan_scratch_for(const struct litscan *ls, struct litscan_scratch **scratch)
{
	hs_scratch_t *s = (hs_scratch_t *)*scratch;
	if (hs_alloc_scratch(ls->db, &s) != HS_SUCCESS)
		return -1;
	*scratch = (struct litscan_scratch *)s;
	return 0;
}

void litscan_scratch_free(struct litscan_scratch *scratch)
{
	if (scratch)
		hs_free_scratch((hs_scratch_t *)scratch);
}

struct cb {
	void (*on)(unsigned id, void *ud);
	void *ud;
};

static int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *ctx)
{
	(void)from;
	(void)to;
	(void)flags;
	struct cb *c = ctx;
	c->on(id, c->ud);
	return 0;
}

int litscan_scan(const struct litscan *ls, struct litscan_scratch *scratch, const char *s, size_t n,
		 void (*on)(unsigned id, void *ud), void *ud)
{
	if (n > 0xffffffffu)
		return -1;
	struct cb c = { on, ud };
	return hs_scan(ls->db, s ? s : "", (unsigned)n, 0, (hs_scratch_t *)scratch, on_match, &c) ==
	       HS_SUCCESS ? 0 : -1;
}
