/* ktab.h - a table of encoded keys, for step rules: entries of a
 * caller-chosen size, each beginning with a ww_khead, at indexes [1, cap)
 * (0 means none), found by hash through common/hash's hashtab.
 *
 * Entries move when the table grows: keep indexes, never pointers, across
 * ktab_insert. Ownership: the table owns its entries and their key bytes;
 * ktab_free releases them (what an entry points to beyond its head is the
 * caller's). No I/O. */
#ifndef WARD_WINDOW_KTAB_H
#define WARD_WINDOW_KTAB_H

#include <stddef.h>
#include <stdint.h>

#include "hash.h"

struct ww_khead {
	uint64_t hash;
	char *kb;		/* the key bytes (owned) */
	uint32_t klen;
	uint32_t live;
};

struct ww_ktab {
	char *ents;
	size_t esize;
	uint32_t cap;		/* entries; index 0 unused */
	uint32_t *freel;	/* free entry indexes */
	uint32_t nfree;
	struct hashtab index;	/* key hash -> entry index */
	uint32_t used;		/* live entries */
};

void ktab_init(struct ww_ktab *t, size_t esize);
void ktab_free(struct ww_ktab *t);
void *ktab_at(const struct ww_ktab *t, uint32_t i);
struct ww_khead *ktab_head(const struct ww_ktab *t, uint32_t i);
/* The index of the key, or 0. */
uint32_t ktab_lookup(struct ww_ktab *t, uint64_t h, const char *kb, uint32_t klen);
/* Insert a key known to be absent: a zeroed entry with its head set. */
uint32_t ktab_insert(struct ww_ktab *t, uint64_t h, const char *kb, uint32_t klen);
void ktab_remove(struct ww_ktab *t, uint32_t idx);
/* Bytes the table holds (entries, free list, index), keys apart. */
size_t ktab_bytes(const struct ww_ktab *t);

#endif
