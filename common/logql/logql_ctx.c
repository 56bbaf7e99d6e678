/* logql_ctx.c - the per-thread evaluation context: its per-event caches
 * (sized to the engine, invalidated by bumping a generation) and arena. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logql_engine_int.h"

struct logql_ctx *logql_ctx_new(struct logql_engine *eng)
{
	struct logql_ctx *cx = ward_xcalloc(1, sizeof(*cx));
	cx->eng = eng;
	cx->re = logql_re_scratch_new(eng->match_limit);
	cx->query_last = -1;
	return cx;
}

void logql_ctx_free(struct logql_ctx *cx)
{
	if (!cx)
		return;
	logql_arena_reset(cx);
	while (cx->spare) {
		struct arena_blk *b = cx->spare;
		cx->spare = b->next;
		free(b);
	}
	logql_re_scratch_free(cx->re);
	buf_free(&cx->scratch[0]);
	buf_free(&cx->scratch[1]);
	buf_free(&cx->tmp);
	free(cx->lit_gen);
	free(cx->lit_val);
	litscan_scratch_free(cx->scan_scratch);
	litscan_scratch_free(cx->alt_scratch);
	free(cx->found);
	free(cx->rx_gen);
	free(cx->rx_val);
	free(cx->vrx_gen);
	free(cx->vrx_ptr);
	free(cx->vrx_len);
	free(cx->vrx_val);
	free(cx->pc);
	free(cx->sel_gen);
	free(cx->sel_val);
	free(cx->query_gen);
	free(cx->query_val);
	free(cx->pents);
	free(cx->lab);
	free(cx->mark);
	free(cx);
}

void logql_ctx_size_caches(struct logql_ctx *cx)
{
	struct logql_engine *e = cx->eng;
	if (cx->ncache_lits < e->nlits) {
		cx->lit_gen = ward_xrealloc(cx->lit_gen, e->nlits * sizeof(uint64_t));
		cx->lit_val = ward_xrealloc(cx->lit_val, e->nlits * sizeof(bool));
		memset(cx->lit_gen + cx->ncache_lits, 0, (e->nlits - cx->ncache_lits) * sizeof(uint64_t));
		cx->found = ward_xrealloc(cx->found, e->nlits * sizeof(*cx->found));
		cx->ncache_lits = e->nlits;
	}
	if (cx->ncache_rxs < e->nrxs) {
		cx->rx_gen = ward_xrealloc(cx->rx_gen, e->nrxs * sizeof(uint64_t));
		cx->rx_val = ward_xrealloc(cx->rx_val, e->nrxs * sizeof(bool));
		memset(cx->rx_gen + cx->ncache_rxs, 0, (e->nrxs - cx->ncache_rxs) * sizeof(uint64_t));
		cx->vrx_gen = ward_xrealloc(cx->vrx_gen, e->nrxs * sizeof(uint64_t));
		cx->vrx_ptr = ward_xrealloc(cx->vrx_ptr, e->nrxs * sizeof(*cx->vrx_ptr));
		cx->vrx_len = ward_xrealloc(cx->vrx_len, e->nrxs * sizeof(size_t));
		cx->vrx_val = ward_xrealloc(cx->vrx_val, e->nrxs * sizeof(bool));
		memset(cx->vrx_gen + cx->ncache_rxs, 0, (e->nrxs - cx->ncache_rxs) * sizeof(uint64_t));
		cx->ncache_rxs = e->nrxs;
	}
	if (cx->ncache_sels < e->nsels) {
		cx->sel_gen = ward_xrealloc(cx->sel_gen, e->nsels * sizeof(uint64_t));
		cx->sel_val = ward_xrealloc(cx->sel_val, e->nsels * sizeof(bool));
		memset(cx->sel_gen + cx->ncache_sels, 0, (e->nsels - cx->ncache_sels) * sizeof(uint64_t));
		cx->ncache_sels = e->nsels;
	}
	if (cx->ncache_queries < e->nqueries) {
		cx->query_gen = ward_xrealloc(cx->query_gen, e->nqueries * sizeof(uint64_t));
		cx->query_val = ward_xrealloc(cx->query_val, e->nqueries * sizeof(bool));
		memset(cx->query_gen + cx->ncache_queries, 0,
		       (e->nqueries - cx->ncache_queries) * sizeof(uint64_t));
		cx->ncache_queries = e->nqueries;
	}
	if (cx->ncache_pkeys < e->npkeys) {	/* two slots: full and hinted */
		cx->pc = ward_xrealloc(cx->pc, 2 * e->npkeys * sizeof(*cx->pc));
		memset(cx->pc + 2 * cx->ncache_pkeys, 0, 2 * (e->npkeys - cx->ncache_pkeys) * sizeof(*cx->pc));
		cx->ncache_pkeys = e->npkeys;
	}
}

void logql_ctx_begin(struct logql_ctx *cx, const struct ward_event *ev)
{
	cx->ev = ev;
	cx->gen++;
	cx->npents = 0;
	cx->nlab = 0;
	cx->query_last = -1;
	logql_arena_reset(cx);
	logql_ctx_size_caches(cx);
}

void logql_ctx_stats(const struct logql_ctx *cx, struct logql_stats *out)
{
	*out = cx->stats;
}

