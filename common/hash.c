/* hash.c - the hash table index and its counted-set shape (see hash.h).
 *
 * Placement, growth, run clearing and backward-shift deletion are written
 * once, over slots of either shape: they read only a slot's first two
 * 32-bit words (home hash, nonzero when used) and move whole slots of the
 * shape's size. They are inlined into each shape's functions so that the
 * slot size is a constant there (moves are a few loads and stores, not
 * calls to memcpy). */
#include "hash.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"

#define SHARED static inline __attribute__((always_inline))

/* ---- both shapes ---- */

_Static_assert(offsetof(struct hashtab_slot, hash) == 0 && offsetof(struct hashtab_slot, idx1) == 4,
	       "hashtab slot: home hash, then the used word");
_Static_assert(offsetof(struct hashcount_slot, hash) == 0 && offsetof(struct hashcount_slot, count) == 4,
	       "hashcount slot: home hash, then the used word");

/* Slots of one shape: where they are, how many (mask + 1), how big. */
struct slots {
	unsigned char *base;
	uint32_t mask;
	size_t size;
};

SHARED unsigned char *slot_at(struct slots s, uint32_t i)
{
	return s.base + (size_t)i * s.size;
}

SHARED uint32_t word_at(const unsigned char *slot, size_t off)
{
	uint32_t w;
	memcpy(&w, slot + off, sizeof(w));
	return w;
}

SHARED uint32_t home_of(struct slots s, const unsigned char *slot)
{
	return word_at(slot, 0) & s.mask;
}

SHARED bool used(const unsigned char *slot)
{
	return word_at(slot, 4) != 0;
}

/* Slots a table holding n at most half full has, at least min_slots. */
static size_t slots_for(size_t n, size_t min_slots)
{
	size_t cap = min_slots;
	while (cap < n * 2 && cap <= ((size_t)UINT32_MAX + 1) / 2)
		cap *= 2;
	return cap;
}

/* Copy a slot into the first free slot of its probe run. */
SHARED void place(struct slots s, const unsigned char *slot)
{
	uint32_t i = home_of(s, slot);
	while (used(slot_at(s, i)))
		i = (i + 1) & s.mask;
	memcpy(slot_at(s, i), slot, s.size);
}

/* The slots of old (NULL: none) re-placed into cap new slots. */
SHARED struct slots resized(struct slots old, size_t cap)
{
	struct slots s = { ward_xcalloc(cap, old.size), (uint32_t)(cap - 1), old.size };
	if (old.base)
		for (size_t i = 0; i <= old.mask; i++)
			if (used(slot_at(old, (uint32_t)i)))
				place(s, slot_at(old, (uint32_t)i));
	free(old.base);
	return s;
}

/* Would one more slot in use make them over half full (or are there none)? */
SHARED bool full(struct slots s, uint32_t len)
{
	return !s.base || ((size_t)len + 1) * 2 > (size_t)s.mask + 1;
}

/* The slots, doubled (min_slots of them if there were none). */
SHARED struct slots grown(struct slots s, size_t min_slots)
{
	return resized(s, s.base ? ((size_t)s.mask + 1) * 2 : min_slots);
}

/* Empty slot hole, keeping every probe run intact (no tombstones). */
SHARED void delete_at(struct slots s, uint32_t hole)
{
	/* Backward shift: a later member of the probe run moves into the hole
	 * unless its home lies cyclically in (hole, j], where it must stay to
	 * remain reachable. */
	for (uint32_t j = (hole + 1) & s.mask; used(slot_at(s, j)); j = (j + 1) & s.mask) {
		uint32_t home = home_of(s, slot_at(s, j));
		bool stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
		if (stays)
			continue;
		memcpy(slot_at(s, hole), slot_at(s, j), s.size);
		hole = j;
	}
	memset(slot_at(s, hole), 0, s.size);
}

/* Empty the probe run through hash's home slot; returns the slots emptied. */
SHARED uint32_t clear_run(struct slots s, uint64_t hash)
{
	uint32_t n = 0;
	/* Every mapping sits in the run that holds its home slot, so zeroing
	 * the runs through every mapping's home empties the table. */
	for (uint32_t i = (uint32_t)hash & s.mask; used(slot_at(s, i)); i = (i + 1) & s.mask) {
		memset(slot_at(s, i), 0, s.size);
		n++;
	}
	return n;
}

/* ---- the index ---- */

static struct slots tab_slots(const struct hashtab *t)
{
	return (struct slots){ (unsigned char *)t->slots, t->mask, sizeof(*t->slots) };
}

static void tab_set_slots(struct hashtab *t, struct slots s)
{
	t->slots = (struct hashtab_slot *)(void *)s.base;
	t->mask = s.mask;
}

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
	return slots_for(n, HASHTAB_MIN_SLOTS);
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
	if (t->slots)
		t->len -= clear_run(tab_slots(t), hash);
}

void hashtab_reserve(struct hashtab *t, size_t n)
{
	size_t cap = hashtab_slots_for(n);
	if (!t->slots || cap > (size_t)t->mask + 1)
		tab_set_slots(t, resized(tab_slots(t), cap));
}

/* Growth is rare: kept out of line so the check before it stays cheap. */
static __attribute__((noinline)) void tab_grow(struct hashtab *t)
{
	tab_set_slots(t, grown(tab_slots(t), HASHTAB_MIN_SLOTS));
}

void hashtab_make_room(struct hashtab *t)
{
	if (full(tab_slots(t), t->len))
		tab_grow(t);
}

void hashtab_insert(struct hashtab *t, uint64_t hash, uint32_t idx)
{
	hashtab_make_room(t);
	struct hashtab_slot s = { (uint32_t)hash, idx + 1 };
	place(tab_slots(t), (const unsigned char *)&s);
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
	delete_at(tab_slots(t), hole);
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

/* ---- the counted set ---- */

static struct slots count_slots(const struct hashcount *t)
{
	return (struct slots){ (unsigned char *)t->slots, t->mask, sizeof(*t->slots) };
}

void hashcount_free(struct hashcount *t)
{
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

static __attribute__((noinline)) void count_grow(struct hashcount *t)
{
	struct slots s = grown(count_slots(t), HASHCOUNT_MIN_SLOTS);
	t->slots = (struct hashcount_slot *)(void *)s.base;
	t->mask = s.mask;
}

/* The slot holding hash, or the empty slot that ends its probe run. */
static uint32_t count_probe(const struct hashcount *t, uint64_t hash)
{
	uint32_t lo = (uint32_t)hash, hi = (uint32_t)(hash >> 32), i;
	for (i = lo & t->mask; t->slots[i].count; i = (i + 1) & t->mask)
		if (t->slots[i].hash == lo && t->slots[i].hash_hi == hi)
			break;
	return i;
}

bool hashcount_add(struct hashcount *t, uint64_t hash, uint32_t n)
{
	if (n == 0)	/* a count of 0 would read as an empty slot */
		return false;
	if (full(count_slots(t), t->len))
		count_grow(t);
	struct hashcount_slot *s = &t->slots[count_probe(t, hash)];
	if (s->count) {
		s->count += n;
		return false;
	}
	*s = (struct hashcount_slot){ (uint32_t)hash, n, (uint32_t)(hash >> 32) };
	t->len++;
	return true;
}

bool hashcount_sub(struct hashcount *t, uint64_t hash, uint32_t n)
{
	if (!t->slots)
		return false;
	uint32_t i = count_probe(t, hash);
	struct hashcount_slot *s = &t->slots[i];
	if (!s->count)
		return false;
	if (s->count > n) {
		s->count -= n;
		return false;
	}
	delete_at(count_slots(t), i);
	t->len--;
	return true;
}

uint32_t hashcount_get(const struct hashcount *t, uint64_t hash)
{
	return t->slots ? t->slots[count_probe(t, hash)].count : 0;
}

size_t hashcount_heap_bytes(const struct hashcount *t)
{
	return t->slots ? ((size_t)t->mask + 1) * sizeof(*t->slots) : 0;
}
