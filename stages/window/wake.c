/* wake.c - when each key must be advanced (see wake.h). */
#include "stages/window/wake.h"

#include <stdlib.h>

#include "buf.h"

static void heap_set(struct rstate *r, uint32_t pos, uint32_t idx)
{
	r->heap[pos] = idx;
	r->keys[idx].heap_pos = pos;
}

static void heap_up(struct rstate *r, uint32_t pos)
{
	uint32_t idx = r->heap[pos];
	int64_t w = r->keys[idx].wake;
	while (pos > 1 && r->keys[r->heap[pos / 2]].wake > w) {
		heap_set(r, pos, r->heap[pos / 2]);
		pos /= 2;
	}
	heap_set(r, pos, idx);
}

static void heap_down(struct rstate *r, uint32_t pos)
{
	uint32_t idx = r->heap[pos];
	int64_t w = r->keys[idx].wake;
	for (;;) {
		uint32_t c = pos * 2;
		if (c > r->heap_len)
			break;
		if (c + 1 <= r->heap_len && r->keys[r->heap[c + 1]].wake < r->keys[r->heap[c]].wake)
			c++;
		if (r->keys[r->heap[c]].wake >= w)
			break;
		heap_set(r, pos, r->heap[c]);
		pos = c;
	}
	heap_set(r, pos, idx);
}

void wake_heap_remove(struct rstate *r, uint32_t idx)
{
	uint32_t pos = r->keys[idx].heap_pos;
	if (!pos)
		return;
	r->keys[idx].heap_pos = 0;
	uint32_t last = r->heap[r->heap_len--];
	if (pos > r->heap_len)
		return;
	heap_set(r, pos, last);
	heap_up(r, pos);
	heap_down(r, r->keys[last].heap_pos);
}

void wake_heap_update(struct rstate *r, uint32_t idx, int64_t wake)
{
	struct ww_key *k = &r->keys[idx];
	if (wake == INT64_MAX) {
		wake_heap_remove(r, idx);
		return;
	}
	k->wake = wake;
	if (k->heap_pos) {
		heap_up(r, k->heap_pos);
		heap_down(r, r->keys[idx].heap_pos);
		return;
	}
	if (r->heap_len + 1 >= r->heap_cap) {
		r->heap_cap = r->heap_cap ? r->heap_cap * 2 : 64;
		r->heap = ward_xrealloc(r->heap, r->heap_cap * sizeof(*r->heap));
	}
	r->heap_len++;
	heap_set(r, r->heap_len, idx);
	heap_up(r, r->heap_len);
}

void wake_fifo_push(struct rstate *r, uint32_t idx, int64_t ts)
{
	if (r->dirty_len == r->dirty_cap) {
		uint32_t ncap = r->dirty_cap ? r->dirty_cap * 2 : 256;
		struct dirty_ent *n = ward_xmalloc(ncap * sizeof(*n));
		for (uint32_t i = 0; i < r->dirty_len; i++)
			n[i] = r->dirty[(r->dirty_head + i) & (r->dirty_cap - 1)];
		free(r->dirty);
		r->dirty = n;
		r->dirty_cap = ncap;
		r->dirty_head = 0;
	}
	struct dirty_ent *d = &r->dirty[(r->dirty_head + r->dirty_len) & (r->dirty_cap - 1)];
	d->idx = idx;
	d->gen = r->keys[idx].gen;
	d->ts = ts;
	r->dirty_len++;
	r->keys[idx].dirty = 1;
}
