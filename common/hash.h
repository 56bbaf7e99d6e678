/* hash.h - hashing (FNV-1a, a 64-bit mixer) and the one open-addressing
 * hash table index ward's tables sit on.
 *
 * The table is an index, not a container: the user owns its entries
 * (usually a dense array) and the table maps a hash to an entry index
 * (uint32_t, < HASHTAB_NONE). A slot holds the entry index and 32 bits of
 * its hash, so probing compares hashes before touching an entry, and growth
 * rehashes from the slots alone without calling back. Linear probing, at
 * most half full, backward-shift deletion (no tombstones: lookups stay
 * short under churn, which bans and window keys have).
 *
 * Equality is the user's: lookups take a callback eq(ctx, idx) that says
 * whether entry idx is the key being looked for. The lookups are inline
 * (ward-window looks a key up per event); pass a static function and the
 * compiler inlines it too.
 *
 * The hash passed in must be well mixed in its low 32 bits (the home slot
 * is hash & mask): pass FNV-1a through hash_mix64 when keys differ only in
 * their last bytes. The same key must always get the same hash.
 *
 * A second shape of the same index, the counted set (struct hashcount):
 * a slot holds a 64-bit hash itself and a count, with no entry array
 * behind it, for sets of hashes where a few values per set are usual
 * (ward-window's distinct values of one key: 4 slots to start, not 16).
 * Both shapes share one placement, growth, run-clearing and
 * backward-shift deletion (hash.c): every slot begins with the low 32
 * bits of its hash (the home slot) and a 32-bit word that is 0 only in an
 * empty slot (hashtab: entry index + 1; hashcount: the count). Only the
 * probe that compares keys is the shape's own.
 *
 * Not thread-safe. No I/O. Allocation aborts on failure (ward_oom). */
#ifndef WARD_HASH_H
#define WARD_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* ---- hashing ---- */

/* ward's FNV-1a starts from 1469598103934665603, not the published offset
 * basis 14695981039346656037 (every copy had the same digit short). The
 * algorithm is the same and any start works as well for hashing; ward
 * keeps its value because the order some tables are walked in (and so
 * some output order) follows the hash. Hash with HASH_FNV1A_OFFSET_BASIS
 * through hash_fnv1a_add for the published function. */
#define HASH_FNV1A_SEED 1469598103934665603ULL
#define HASH_FNV1A_OFFSET_BASIS 14695981039346656037ULL
#define HASH_FNV1A_PRIME 1099511628211ULL

/* FNV-1a 64 over p[0..n), continuing from h (HASH_FNV1A_SEED to start):
 * hash_fnv1a_add(hash_fnv1a(a), b) hashes the concatenation of a and b. */
static inline uint64_t hash_fnv1a_add(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * HASH_FNV1A_PRIME;
	return h;
}

static inline uint64_t hash_fnv1a(const void *p, size_t n)
{
	return hash_fnv1a_add(HASH_FNV1A_SEED, p, n);
}

/* FNV-1a of a NUL-terminated string (without the NUL). */
static inline uint64_t hash_fnv1a_str(const char *s)
{
	uint64_t h = HASH_FNV1A_SEED;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * HASH_FNV1A_PRIME;
	return h;
}

/* A bijective 64-bit finalizer (splitmix64's): every output bit depends on
 * every input bit. */
static inline uint64_t hash_mix64(uint64_t x)
{
	x ^= x >> 31;
	x *= 0xBF58476D1CE4E5B9ULL;
	x ^= x >> 29;
	x *= 0x94D049BB133111EBULL;
	return x ^ (x >> 32);
}

/* A hash of p[0..n) eight bytes at a step, each step finished by
 * hash_mix64: several times fewer multiplies than FNV-1a on keys longer than
 * a few bytes. For in-memory tables whose order no output follows (the
 * value is not FNV-1a's; nothing stored or compared across runs uses it). */
static inline uint64_t hash_words(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t h = hash_mix64(n ^ HASH_FNV1A_SEED);
	for (; n >= 8; b += 8, n -= 8) {
		uint64_t w;
		memcpy(&w, b, 8);
		h = hash_mix64(h ^ w);
	}
	uint64_t t = 0;
	for (size_t i = 0; i < n; i++)
		t |= (uint64_t)b[i] << (8 * i);
	return hash_mix64(h ^ t);
}

/* ---- the table ---- */

#define HASHTAB_NONE UINT32_MAX
#define HASHTAB_MIN_SLOTS 16u

struct hashtab_slot {
	uint32_t hash;		/* low 32 bits of the entry's hash */
	uint32_t idx1;		/* entry index + 1; 0 = empty slot */
};

struct hashtab {
	struct hashtab_slot *slots;	/* NULL until the first insert */
	uint32_t mask;			/* slots - 1 (a power of two), 0 if none */
	uint32_t len;			/* mappings held */
};

/* Does entry idx hold the key being looked up? */
typedef bool (*hashtab_eq_fn)(const void *ctx, uint32_t idx);

#define HASHTAB_INIT { NULL, 0, 0 }
void hashtab_init(struct hashtab *t);
void hashtab_free(struct hashtab *t);
/* Forget every mapping; keeps the memory. */
void hashtab_clear(struct hashtab *t);
/* Forget every mapping and size the table for n entries (at least
 * HASHTAB_MIN_SLOTS slots): a table that held a burst can shrink back. */
void hashtab_reset(struct hashtab *t, size_t n);
/* Clearing in O(mappings) rather than O(slots), for a big table that a
 * stream empties often holding few entries: call this with the hash of
 * every mapped entry (any order); after the last call the table is empty.
 * Each call empties the probe run through that hash's home slot. */
void hashtab_clear_run(struct hashtab *t, uint64_t hash);
/* Slots a table sized for n entries has (hashtab_reset, hashtab_reserve). */
size_t hashtab_slots_for(size_t n);
/* Make room for n mappings in all, so the next inserts do not grow. */
void hashtab_reserve(struct hashtab *t, size_t n);

/* Map hash to entry idx. The caller has made sure no entry with an equal
 * key is mapped (hashtab_find first, or hashtab_find_or_insert). May grow
 * the table (slot positions change; entry indices do not). */
void hashtab_insert(struct hashtab *t, uint64_t hash, uint32_t idx);
/* Remove the mapping to entry idx (hash must be the one it was inserted
 * with). Returns false if there was none. Other mappings keep their
 * entries; the user compacts its own array if it wants (hashtab_renumber). */
bool hashtab_remove(struct hashtab *t, uint64_t hash, uint32_t idx);
/* The mapping to entry from now maps to entry to (the user moved the entry,
 * e.g. the last one into a hole). Returns false if from was not mapped. */
bool hashtab_renumber(struct hashtab *t, uint64_t hash, uint32_t from, uint32_t to);

/* Iteration over the mapped entry indices, in slot order:
 *   size_t pos = 0; uint32_t idx;
 *   while (hashtab_next(t, &pos, &idx)) ...
 * No insert or remove during the walk. */
bool hashtab_next(const struct hashtab *t, size_t *pos, uint32_t *idx);

/* The index of the entry whose key eq accepts, or HASHTAB_NONE. */
static inline __attribute__((always_inline)) uint32_t
hashtab_find(const struct hashtab *t, uint64_t hash, hashtab_eq_fn eq, const void *ctx)
{
	if (!t->slots)
		return HASHTAB_NONE;
	uint32_t h = (uint32_t)hash;
	for (uint32_t i = h & t->mask; t->slots[i].idx1; i = (i + 1) & t->mask)
		if (t->slots[i].hash == h && eq(ctx, t->slots[i].idx1 - 1))
			return t->slots[i].idx1 - 1;
	return HASHTAB_NONE;
}

/* Grow the table if one more mapping would make it over half full
 * (hashtab_insert and hashtab_find_or_insert call it). */
void hashtab_make_room(struct hashtab *t);

/* The index of the entry whose key eq accepts; if there is none, maps hash
 * to new_idx and returns it (*inserted, if not NULL, says which). One probe
 * sequence for the common "count this key" path; the load check runs only
 * when a mapping is added (a found key, the common case, costs the probe
 * alone), and growing there gives the table hashtab_insert would. */
static inline __attribute__((always_inline)) uint32_t
hashtab_find_or_insert(struct hashtab *t, uint64_t hash, hashtab_eq_fn eq, const void *ctx,
		       uint32_t new_idx, bool *inserted)
{
	uint32_t h = (uint32_t)hash;
	if (t->slots) {
		uint32_t i;
		for (i = h & t->mask; t->slots[i].idx1; i = (i + 1) & t->mask) {
			if (t->slots[i].hash == h && eq(ctx, t->slots[i].idx1 - 1)) {
				if (inserted)
					*inserted = false;
				return t->slots[i].idx1 - 1;
			}
		}
		if (((size_t)t->len + 1) * 2 <= (size_t)t->mask + 1) {
			t->slots[i].hash = h;
			t->slots[i].idx1 = new_idx + 1;
			t->len++;
			if (inserted)
				*inserted = true;
			return new_idx;
		}
	}
	hashtab_insert(t, hash, new_idx);	/* grows first */
	if (inserted)
		*inserted = true;
	return new_idx;
}

/* ---- the counted set: hash -> count ----
 *
 * A multiset of 64-bit hashes: add(h, n) and sub(h, n) move h's count, h
 * is in the set while its count is above 0. Two different values whose
 * hashes are equal count as one (use a 64-bit hash). */

#define HASHCOUNT_MIN_SLOTS 4u

struct hashcount_slot {
	uint32_t hash;		/* low 32 bits of the hash (the home slot) */
	uint32_t count;		/* > 0; 0 = empty slot */
	uint32_t hash_hi;	/* high 32 bits of the hash */
};

struct hashcount {
	struct hashcount_slot *slots;	/* NULL until the first add */
	uint32_t mask;			/* slots - 1 (a power of two), 0 if none */
	uint32_t len;			/* hashes held (count > 0) */
};

#define HASHCOUNT_INIT { NULL, 0, 0 }
void hashcount_free(struct hashcount *t);
/* Add n (> 0) to hash's count. Returns true when hash was not in the set. */
bool hashcount_add(struct hashcount *t, uint64_t hash, uint32_t n);
/* Take n from hash's count; at n or less, hash leaves the set. Returns
 * true when it left (false also when it was not there). */
bool hashcount_sub(struct hashcount *t, uint64_t hash, uint32_t n);
/* hash's count, 0 when not in the set. */
uint32_t hashcount_get(const struct hashcount *t, uint64_t hash);
/* Bytes of slots allocated. */
size_t hashcount_heap_bytes(const struct hashcount *t);

#endif
