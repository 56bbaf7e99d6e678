/* evict.c - which key goes when the key table is full (see evict.h). */
#include "stages/window/evict.h"

#include <math.h>

#include "stages/window/anomaly.h"

#define EVICT_CANDIDATES 8

static double distance_from_firing(const struct rstate *r, const struct ww_key *k)
{
	const struct ww_rule *rule = r->rule;
	if (rule->kind == WW_KIND_ANOMALY)
		return -(double)k->an->buckets_seen;
	double v = (double)win_count(&k->win);
	if (rule->fn != WW_FN_COUNT && rule->fn != WW_FN_RATE)
		v = k->life.value;
	return fabs(rule->threshold - v);
}

/* Candidates are the next live keys after the sweep cursor: no list is
 * kept in recency order, which would cost cache misses on every event. */
void evict_one(struct ww_engine *e, struct rstate *r)
{
	uint32_t best = 0, first = 0, idx = r->sweep;
	double best_d = -INFINITY;
	for (uint32_t seen = 0, scanned = 0; seen < EVICT_CANDIDATES && scanned < r->nkeys_cap;
	     scanned++) {
		idx = idx + 1 < r->nkeys_cap ? idx + 1 : 1;
		const struct ww_key *k = &r->keys[idx];
		if (!k->live)
			continue;
		seen++;
		if (!first)
			first = idx;
		if (k->life.state != WW_INACTIVE)
			continue;
		double d = distance_from_firing(r, k);
		if (d > best_d) {
			best_d = d;
			best = idx;
		}
	}
	r->sweep = idx;
	if (!best) {
		best = first;
		e->st.evicted_active++;
	}
	e->st.evicted++;
	r->keys[best].dirty = 0;	/* its FIFO entry dies with the generation */
	engine_key_release(e, r, best);
}

struct rstate *evict_rule_with_most_keys(struct ww_engine *e)
{
	struct rstate *m = &e->rs[0];
	for (size_t i = 1; i < e->nrules; i++)
		if (e->rs[i].table.len > m->table.len)
			m = &e->rs[i];
	return m;
}
