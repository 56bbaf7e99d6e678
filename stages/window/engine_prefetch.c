/* engine_prefetch.c - software pipelining over the input (engine.h): the
 * read-only prefetches of a queued event's table slot, key and samples.
 * Calling them or not changes no result. */
#include <string.h>

#include "stages/window/engine_impl.h"
#include "stages/window/serieskey.h"

static void prefetch_lines(const void *p, size_t n)
{
	const char *c = p;
	for (size_t off = 0; off < n; off += 64)
		__builtin_prefetch(c + off, 1, 3);
	__builtin_prefetch(c + n - 1, 1, 3);
}

void engine_prefetch_slot(struct ww_engine *e, const struct ward_event *ev, struct ww_hint *h)
{
	h->n = 0;
	uint32_t n;
	const uint32_t *route = h->route = route_rules(&e->route, ev->rule, &n);
	h->nroute = n;
	for (uint32_t j = 0; j < n && h->n < WW_HINT_RULES; j++) {
		size_t i = route[j];
		const struct rstate *r = &e->rs[i];
		const struct ww_rule *rule = r->rule;
		/* only keys the event already names: a select hook may add fields */
		if (!r->table.slots || rule->rhs || rule->select_fn || rule->fn == WW_FN_ABSENT ||
		    rule->group_mode != WW_GROUP_BY || rule->kind == WW_KIND_ANOMALY)
			continue;
		if (rule->match_rule && (!ev->rule || strcmp(ev->rule, rule->match_rule) != 0))
			continue;
		if (rule->match_id && !rule_takes_id(rule, ev))
			continue;
		bool missing = serieskey_encode_by(&e->pfbuf, rule, ev);
		uint64_t hash = engine_key_hash(e->pfbuf.data ? e->pfbuf.data : "", e->pfbuf.len);
		h->rule[h->n] = (uint16_t)i;
		h->hash[h->n] = hash;
		h->missing[h->n] = missing;
		h->klen[h->n] = UINT8_MAX;
		if (e->pfbuf.len <= WW_HINT_KEY) {
			h->klen[h->n] = (uint8_t)e->pfbuf.len;
			if (e->pfbuf.len)
				memcpy(h->kb[h->n], e->pfbuf.data, e->pfbuf.len);
		}
		h->idx[h->n] = 0;
		h->n++;
		__builtin_prefetch(&r->table.slots[(uint32_t)hash & r->table.mask], 0, 3);
	}
}

void engine_prefetch_key(struct ww_engine *e, struct ww_hint *h)
{
	for (unsigned n = 0; n < h->n; n++) {
		const struct rstate *r = &e->rs[h->rule[n]];
		const struct hashtab_slot *slots = r->table.slots;
		uint32_t mask = r->table.mask, tag = (uint32_t)h->hash[n];
		uint32_t i = (uint32_t)h->hash[n] & mask;
		for (int probe = 0; probe < 4 && slots && slots[i].idx1; probe++, i = (i + 1) & mask) {
			if (slots[i].hash == tag && slots[i].idx1 - 1 < r->nkeys_cap) {
				h->idx[n] = slots[i].idx1 - 1;
				prefetch_lines(&r->keys[h->idx[n]], sizeof(struct ww_key));
				break;
			}
		}
	}
}

void engine_prefetch_ring(const struct ww_engine *e, const struct ww_hint *h)
{
	for (unsigned n = 0; n < h->n; n++) {
		const struct rstate *r = &e->rs[h->rule[n]];
		if (!h->idx[n] || h->idx[n] >= r->nkeys_cap)
			continue;
		const struct ww_win *w = &r->keys[h->idx[n]].win;
		if (!w->buf || !w->len)
			continue;
		__builtin_prefetch(&w->buf[w->head], 1, 3);
		__builtin_prefetch(&w->buf[(w->head + w->len - 1) & (w->cap - 1)], 1, 3);
	}
}
