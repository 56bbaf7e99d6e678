/* ktab.c - a small open-addressing key table (see ktab.h). */
#include "stages/window/ktab.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

void ktab_init(struct ww_ktab *t, size_t esize)
{
	memset(t, 0, sizeof(*t));
	t->esize = esize;
}

void *ktab_at(const struct ww_ktab *t, uint32_t i)
{
	return t->ents + (size_t)i * t->esize;
}

struct ww_khead *ktab_head(const struct ww_ktab *t, uint32_t i)
{
	return ktab_at(t, i);
}

static uint32_t find(const struct ww_ktab *t, uint64_t h, const char *kb, uint32_t klen,
			 uint32_t *slot)
{
	uint32_t mask = t->scap - 1;
	for (uint32_t i = (uint32_t)h & mask;; i = (i + 1) & mask) {
		uint32_t idx = t->slots[i];
		if (!idx) {
			*slot = i;
			return 0;
		}
		const struct ww_khead *k = ktab_head(t, idx);
		if (k->hash == h && k->klen == klen && memcmp(k->kb, kb, klen) == 0) {
			*slot = i;
			return idx;
		}
	}
}

static void rehash(struct ww_ktab *t, uint32_t ncap)
{
	uint32_t *ns = ward_xcalloc(ncap, sizeof(*ns));
	for (uint32_t i = 0; i < t->scap; i++) {
		if (!t->slots[i])
			continue;
		uint32_t j = (uint32_t)ktab_head(t, t->slots[i])->hash & (ncap - 1);
		while (ns[j])
			j = (j + 1) & (ncap - 1);
		ns[j] = t->slots[i];
	}
	free(t->slots);
	t->slots = ns;
	t->scap = ncap;
}

uint32_t ktab_lookup(struct ww_ktab *t, uint64_t h, const char *kb, uint32_t klen)
{
	uint32_t slot;
	if (!t->scap)
		return 0;
	return find(t, h, kb, klen, &slot);
}

uint32_t ktab_insert(struct ww_ktab *t, uint64_t h, const char *kb, uint32_t klen)
{
	if (!t->nfree) {
		uint32_t old = t->cap ? t->cap : 1, ncap = t->cap ? t->cap * 2 : 16;
		t->ents = ward_xrealloc(t->ents, (size_t)ncap * t->esize);
		memset(t->ents + (size_t)t->cap * t->esize, 0, (size_t)(ncap - t->cap) * t->esize);
		t->freel = ward_xrealloc(t->freel, (size_t)ncap * sizeof(*t->freel));
		for (uint32_t i = ncap - 1; i >= old; i--)
			t->freel[t->nfree++] = i;
		t->cap = ncap;
	}
	if ((t->used + 1) * 2 > t->scap)
		rehash(t, t->scap ? t->scap * 2 : 32);
	uint32_t slot, idx = t->freel[--t->nfree];
	find(t, h, kb, klen, &slot);
	t->slots[slot] = idx;
	t->used++;
	struct ww_khead *k = ktab_head(t, idx);
	memset(k, 0, t->esize);
	k->hash = h;
	k->klen = klen;
	k->kb = ward_xmalloc(klen ? klen : 1);
	memcpy(k->kb, kb, klen);
	k->live = 1;
	return idx;
}

void ktab_remove(struct ww_ktab *t, uint32_t idx)
{
	struct ww_khead *k = ktab_head(t, idx);
	uint32_t slot, mask = t->scap - 1;
	if (find(t, k->hash, k->kb, k->klen, &slot) == idx) {
		uint32_t i = slot, j = slot;
		for (;;) {	/* backward-shift deletion keeps probes short */
			j = (j + 1) & mask;
			uint32_t jdx = t->slots[j];
			if (!jdx)
				break;
			uint32_t home = (uint32_t)ktab_head(t, jdx)->hash & mask;
			bool in_range = i <= j ? (home > i && home <= j) : (home > i || home <= j);
			if (!in_range) {
				t->slots[i] = t->slots[j];
				i = j;
			}
		}
		t->slots[i] = 0;
		t->used--;
	}
	free(k->kb);
	memset(k, 0, t->esize);
	t->freel[t->nfree++] = idx;
}

void ktab_free(struct ww_ktab *t)
{
	for (uint32_t i = 1; i < t->cap; i++)
		free(ktab_head(t, i)->kb);
	free(t->ents);
	free(t->freel);
	free(t->slots);
}
