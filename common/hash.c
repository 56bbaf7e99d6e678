/* hash.c - the hash table index (see hash.h). */
#include "hash.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"

void hashtab_init(struct hashtab *t)
{
	memset(t, 0, sizeof(*t));
}

void hashtab_free(struct hashtab *t)
{
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

void hashtab_clear(struct hashtab *t)
{
	if (t->slots)
		memset(t->slots, 0, ((size_t)t->mask + 1) * sizeof(*t->slots));
	t->len = 0;
}

size_t hashtab_slots_for(size_t n)
{
	size_t cap = HASHTAB_MIN_SLOTS;
	while (cap < n * 2 && cap <= ((size_t)UINT32_MAX + 1) / 2)
		cap *= 2;
	return cap;
}

/* Put a slot's mapping into the first free slot of its probe chain. */
static void place(struct hashtab *t, struct hashtab_slot s)
{
	uint32_t i = s.hash & t->mask;
	while (t->slots[i].idx1)
		i = (i + 1) & t->mask;
	t->slots[i] = s;
}

/* Re-place every mapping into a table of cap slots. */
static void resize(struct hashtab *t, size_t cap)
{
	struct hashtab_slot *old = t->slots;
	size_t old_cap = old ? (size_t)t->mask + 1 : 0;
	t->slots = ward_xcalloc(cap, sizeof(*t->slots));
	t->mask = (uint32_t)(cap - 1);
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].idx1)
			place(t, old[i]);
	free(old);
}

void hashtab_reset(struct hashtab *t, size_t n)
{
	size_t cap = hashtab_slots_for(n);
	if (!t->slots || cap != (size_t)t->mask + 1) {
		free(t->slots);
		t->slots = ward_xcalloc(cap, sizeof(*t->slots));
		t->mask = (uint32_t)(cap - 1);
	} else {
		hashtab_clear(t);
	}
	t->len = 0;
}

void hashtab_clear_run(struct hashtab *t, uint64_t hash)
{
	if (!t->slots)
		return;
	/* Every mapping sits in the run that holds its home slot, so zeroing
	 * the runs through every mapping's home empties the table. */
	for (uint32_t i = (uint32_t)hash & t->mask; t->slots[i].idx1; i = (i + 1) & t->mask) {
		t->slots[i].idx1 = 0;
		t->slots[i].hash = 0;
		t->len--;
	}
}

void hashtab_reserve(struct hashtab *t, size_t n)
{
	size_t cap = hashtab_slots_for(n);
	if (!t->slots || cap > (size_t)t->mask + 1)
		resize(t, cap);
}

void hashtab_make_room(struct hashtab *t)
{
	if (!t->slots)
		resize(t, HASHTAB_MIN_SLOTS);
	else if (((size_t)t->len + 1) * 2 > (size_t)t->mask + 1)
		resize(t, ((size_t)t->mask + 1) * 2);
}

void hashtab_insert(struct hashtab *t, uint64_t hash, uint32_t idx)
{
	hashtab_make_room(t);
	place(t, (struct hashtab_slot){ (uint32_t)hash, idx + 1 });
	t->len++;
}

/* The slot mapping hash to idx, or HASHTAB_NONE. */
static uint32_t slot_of(const struct hashtab *t, uint64_t hash, uint32_t idx)
{
	if (!t->slots)
		return HASHTAB_NONE;
	uint32_t h = (uint32_t)hash;
	for (uint32_t i = h & t->mask; t->slots[i].idx1; i = (i + 1) & t->mask)
		if (t->slots[i].idx1 == idx + 1 && t->slots[i].hash == h)
			return i;
	return HASHTAB_NONE;
}

bool hashtab_remove(struct hashtab *t, uint64_t hash, uint32_t idx)
{
	uint32_t hole = slot_of(t, hash, idx);
	if (hole == HASHTAB_NONE)
		return false;
	/* Backward shift: a later member of the probe run moves into the hole
	 * unless its home lies cyclically in (hole, j], where it must stay to
	 * remain reachable. */
	for (uint32_t j = (hole + 1) & t->mask; t->slots[j].idx1; j = (j + 1) & t->mask) {
		uint32_t home = t->slots[j].hash & t->mask;
		bool stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
		if (stays)
			continue;
		t->slots[hole] = t->slots[j];
		hole = j;
	}
	t->slots[hole].idx1 = 0;
	t->slots[hole].hash = 0;
	t->len--;
	return true;
}

bool hashtab_renumber(struct hashtab *t, uint64_t hash, uint32_t from, uint32_t to)
{
	uint32_t s = slot_of(t, hash, from);
	if (s == HASHTAB_NONE)
		return false;
	t->slots[s].idx1 = to + 1;
	return true;
}

bool hashtab_next(const struct hashtab *t, size_t *pos, uint32_t *idx)
{
	size_t cap = t->slots ? (size_t)t->mask + 1 : 0;
	while (*pos < cap) {
		const struct hashtab_slot *s = &t->slots[(*pos)++];
		if (s->idx1) {
			*idx = s->idx1 - 1;
			return true;
		}
	}
	return false;
}
