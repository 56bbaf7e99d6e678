/* ktab.c - the key table of step rules (see ktab.h). */
#include "stages/window/ktab.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "hash.h"

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

struct probe {
	const struct ww_ktab *t;
	uint64_t h;
	const char *kb;
	uint32_t klen;
};

static bool key_is(const void *ctx, uint32_t idx)
{
	const struct probe *p = ctx;
	const struct ww_khead *k = ktab_head(p->t, idx);
	return k->hash == p->h && k->klen == p->klen && memcmp(k->kb, p->kb, p->klen) == 0;
}

uint32_t ktab_lookup(struct ww_ktab *t, uint64_t h, const char *kb, uint32_t klen)
{
	const struct probe p = { t, h, kb, klen };
	uint32_t idx = hashtab_find(&t->index, h, key_is, &p);
	return idx == HASHTAB_NONE ? 0 : idx;
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
	uint32_t idx = t->freel[--t->nfree];
	hashtab_insert(&t->index, h, idx);
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
	if (hashtab_remove(&t->index, k->hash, idx))
		t->used--;
	free(k->kb);
	memset(k, 0, t->esize);
	t->freel[t->nfree++] = idx;
}

size_t ktab_bytes(const struct ww_ktab *t)
{
	size_t slots = t->index.slots ? (size_t)t->index.mask + 1 : 0;
	return (size_t)t->cap * (t->esize + sizeof(*t->freel)) + slots * sizeof(struct hashtab_slot);
}

void ktab_free(struct ww_ktab *t)
{
	for (uint32_t i = 1; i < t->cap; i++)
		free(ktab_head(t, i)->kb);
	free(t->ents);
	free(t->freel);
	hashtab_free(&t->index);
}
