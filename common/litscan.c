/* litscan.c - many literals, one pass (see litscan.h).
 *
 * A position of the line whose byte starts no literal costs one table
 * look-up; the others are tested against bitmaps of the literals' first
 * bytes (ASCII letters folded), hashed: the first four bytes for literals
 * of four bytes or more, the first two for those of two or three, the
 * byte for one-byte literals (8 KB each, in L1). Only where a bitmap
 * admits a position are the literals of that key compared. Positions do
 * not depend on each other, so the processor overlaps them, where an
 * automaton's next state waits for the one before: an Aho-Corasick table
 * for the fail2ban gate (about 900 KB) cost a cache miss per byte and
 * twice this scan's time. Where the CPU has SSSE3 and the literals'
 * first three bytes are selective, litteddy.c marks the candidate
 * positions 16 bytes at a time and only those are tested here. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "litscan.h"
#include "litteddy.h"

struct lit {
	char *text;	/* folded when icase: compared to the folded line */
	uint32_t len;
	bool icase;
	unsigned id;
};

/* The literals of one key (class and first bytes): lit[first .. first +
 * count), found by open addressing on the key. */
struct bucket {
	uint64_t key;	/* key_of + 1; 0: empty slot */
	uint32_t first, count;
};

enum { ONE, PAIR, QUAD };	/* the class of a literal: 1, 2-3, 4+ bytes */

struct litscan {
	uint64_t bits[3][65536 / 64];	/* per class, bit hash16(first bytes) */
	size_t nclass[3];
	uint8_t fold[256];	/* ASCII letters to lower case */
	uint8_t start[256];	/* start[b]: a literal may start with byte b (either case) */
	struct lit *lit;	/* sorted by key */
	size_t n;
	struct bucket *tab;
	uint32_t mask;	/* tab has mask + 1 slots */
	unsigned max_id;
	struct litteddy *first;	/* the SIMD first pass, or NULL: byte by byte */
};

static enum litscan_first_pass first_pass = LITSCAN_FIRST_AUTO;

void litscan_set_first_pass(enum litscan_first_pass how)
{
	first_pass = how;
}

struct litscan_scratch {
	uint32_t *seen;	/* seen[id] == gen: id reported in this scan */
	size_t cap;
	uint32_t gen;
};

static uint8_t fold(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
}

static int class_of(size_t len)
{
	return len >= 4 ? QUAD : len >= 2 ? PAIR : ONE;
}

/* The folded first bytes of a literal of class k, as the scan's window
 * holds them (the last byte lowest). */
static uint32_t word_of(const char *s, int k)
{
	size_t m = k == QUAD ? 4 : k == PAIR ? 2 : 1;
	uint32_t w = 0;
	for (size_t i = 0; i < m; i++)
		w = w << 8 | fold((uint8_t)s[i]);
	return w;
}

static uint32_t hash16(uint32_t w)
{
	return (w * 2654435761u) >> 16;
}

static bool test_bit(const uint64_t *bits, uint32_t b)
{
	return bits[b >> 6] >> (b & 63) & 1;
}

static uint64_t key_of(int k, uint32_t w)
{
	return ((uint64_t)k << 32 | w) + 1;
}

static uint32_t slot_of(uint64_t key, uint32_t mask)
{
	return (uint32_t)((key * 0x9e3779b97f4a7c15ull) >> 40) & mask;
}

static int cmp_lit(const void *a, const void *b)
{
	const struct lit *x = a, *y = b;
	int cx = class_of(x->len), cy = class_of(y->len);
	uint64_t kx = key_of(cx, word_of(x->text, cx)), ky = key_of(cy, word_of(y->text, cy));
	return kx < ky ? -1 : kx > ky;
}

struct litscan *litscan_build(const char *const *lits, const size_t *lens, const bool *icase,
			      const unsigned *ids, size_t n)
{
	if (n == 0 || n > 0xffffffu)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (lens[i] == 0 || lens[i] > UINT32_MAX)
			return NULL;
	struct litscan *ls = ward_xcalloc(1, sizeof(*ls));
	for (unsigned c = 0; c < 256; c++)
		ls->fold[c] = fold((uint8_t)c);
	ls->n = n;
	ls->lit = ward_xcalloc(n, sizeof(*ls->lit));
	for (size_t i = 0; i < n; i++) {
		struct lit *l = &ls->lit[i];
		l->text = ward_xmalloc(lens[i]);
		for (size_t k = 0; k < lens[i]; k++)
			l->text[k] = icase[i] ? (char)fold((uint8_t)lits[i][k]) : lits[i][k];
		l->len = (uint32_t)lens[i];
		l->icase = icase[i];
		l->id = ids[i];
		if (ids[i] > ls->max_id)
			ls->max_id = ids[i];
	}
	qsort(ls->lit, n, sizeof(*ls->lit), cmp_lit);
	size_t slots = 16;
	while (slots < 2 * n)
		slots *= 2;
	ls->tab = ward_xcalloc(slots, sizeof(*ls->tab));
	ls->mask = (uint32_t)slots - 1;
	for (size_t i = 0; i < n; i++) {
		const struct lit *l = &ls->lit[i];
		int k = class_of(l->len);
		uint32_t w = word_of(l->text, k), h = hash16(w);
		ls->bits[k][h >> 6] |= (uint64_t)1 << (h & 63);
		ls->nclass[k]++;
		for (unsigned b = 0; b < 256; b++)
			if (ls->fold[b] == (uint8_t)l->text[0] || ls->fold[b] == fold((uint8_t)l->text[0]))
				ls->start[b] = 1;
		uint64_t key = key_of(k, w);
		uint32_t s = slot_of(key, ls->mask);
		while (ls->tab[s].key && ls->tab[s].key != key)
			s = (s + 1) & ls->mask;
		if (!ls->tab[s].key) {
			ls->tab[s].key = key;
			ls->tab[s].first = (uint32_t)i;	/* sorted: the key's first literal */
		}
		ls->tab[s].count++;
	}
	if (first_pass != LITSCAN_FIRST_SCALAR) {
		const char **texts = ward_xmalloc(n * sizeof(*texts));
		uint32_t *tlens = ward_xmalloc(n * sizeof(*tlens));
		bool *ticase = ward_xmalloc(n * sizeof(*ticase));
		for (size_t i = 0; i < n; i++) {
			texts[i] = ls->lit[i].text;
			tlens[i] = ls->lit[i].len;
			ticase[i] = ls->lit[i].icase;
		}
		ls->first = litteddy_build(texts, tlens, ticase, n, first_pass == LITSCAN_FIRST_SIMD);
		free(texts);
		free(tlens);
		free(ticase);
	}
	return ls;
}

void litscan_free(struct litscan *ls)
{
	if (!ls)
		return;
	for (size_t i = 0; i < ls->n; i++)
		free(ls->lit[i].text);
	free(ls->lit);
	free(ls->tab);
	litteddy_free(ls->first);
	free(ls);
}

int litscan_scratch_for(const struct litscan *ls, struct litscan_scratch **scratch)
{
	struct litscan_scratch *s = *scratch;
	if (!s)
		s = *scratch = ward_xcalloc(1, sizeof(*s));
	if (s->cap <= ls->max_id) {
		size_t cap = (size_t)ls->max_id + 1;
		s->seen = ward_xrealloc(s->seen, cap * sizeof(*s->seen));
		memset(s->seen + s->cap, 0, (cap - s->cap) * sizeof(*s->seen));
		s->cap = cap;
	}
	return 0;
}

void litscan_scratch_free(struct litscan_scratch *scratch)
{
	if (!scratch)
		return;
	free(scratch->seen);
	free(scratch);
}

struct scan {
	const struct litscan *ls;
	struct litscan_scratch *sc;
	const uint8_t *p;
	size_t n;
	void (*on)(unsigned id, void *ud);
	void *ud;
	bool one, pair, quad;	/* the classes that have literals */
};

static inline uint64_t load64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

static inline uint32_t load32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

/* s[0..n) == t[0..n), inline: literals sharing their first bytes with the
 * line at a marked position mostly differ a few bytes later, and a memcmp
 * call per candidate cost more than the compare. Reads only [0, n). */
static inline bool same_bytes(const uint8_t *s, const uint8_t *t, size_t n)
{
	if (n >= 8) {
		for (size_t j = 0; j + 8 <= n; j += 8)
			if (load64(s + j) != load64(t + j))
				return false;
		return load64(s + n - 8) == load64(t + n - 8);
	}
	if (n >= 4)
		return load32(s) == load32(t) && load32(s + n - 4) == load32(t + n - 4);
	for (size_t j = 0; j < n; j++)
		if (s[j] != t[j])
			return false;
	return true;
}

/* Literals lit[first .. first + count) at p[i]: each id once per scan. */
static void try_at(const struct scan *c, size_t first, size_t count, size_t i)
{
	const uint8_t *f = c->ls->fold;
	for (size_t k = first; k < first + count; k++) {
		const struct lit *l = &c->ls->lit[k];
		if (c->sc->seen[l->id] == c->sc->gen || l->len > c->n - i)
			continue;
		const uint8_t *s = c->p + i, *t = (const uint8_t *)l->text;
		size_t j = 0;
		if (l->icase)
			while (j < l->len && f[s[j]] == t[j])
				j++;
		else
			j = same_bytes(s, t, l->len) ? l->len : 0;
		if (j == l->len) {
			c->sc->seen[l->id] = c->sc->gen;
			c->on(l->id, c->ud);
		}
	}
}

/* The literals of class k whose first bytes are w, at p[i], if any. */
static void try_key(const struct scan *c, int k, uint32_t w, size_t i)
{
	uint64_t key = key_of(k, w);
	const struct litscan *ls = c->ls;
	for (uint32_t s = slot_of(key, ls->mask); ls->tab[s].key; s = (s + 1) & ls->mask)
		if (ls->tab[s].key == key) {
			try_at(c, ls->tab[s].first, ls->tab[s].count, i);
			return;
		}
}

/* Every literal at p[i], where start[] admits p[i]. */
__attribute__((always_inline)) static inline void try_pos(const struct scan *c, size_t i)
{
	const struct litscan *ls = c->ls;
	const uint8_t *f = ls->fold, *p = c->p;
	uint32_t w = f[p[i]];	/* the folded bytes from p[i] on */
	if (c->one && test_bit(ls->bits[ONE], hash16(w)))
		try_key(c, ONE, w, i);
	if (i + 1 == c->n)
		return;
	w = w << 8 | f[p[i + 1]];
	if (c->pair && test_bit(ls->bits[PAIR], hash16(w)))
		try_key(c, PAIR, w, i);
	if (c->quad && i + 3 < c->n && (w = w << 16 | (uint32_t)f[p[i + 2]] << 8 | f[p[i + 3]],
					test_bit(ls->bits[QUAD], hash16(w))))
		try_key(c, QUAD, w, i);
}

/* The positions the SIMD pass marks, LITTEDDY_SPAN at a time. */
static void scan_marked(const struct scan *c)
{
	uint64_t marks[LITTEDDY_SPAN / 64];
	for (size_t from = 0; from < c->n; from += LITTEDDY_SPAN) {
		litteddy_mark(c->ls->first, c->p, c->n, from, marks);
		for (size_t k = 0; k < LITTEDDY_SPAN / 64; k++)
			for (uint64_t m = marks[k]; m; m &= m - 1) {
				size_t i = from + k * 64 + (size_t)__builtin_ctzll(m);
				if (c->ls->start[c->p[i]])
					try_pos(c, i);
			}
	}
}

int litscan_scan(const struct litscan *ls, struct litscan_scratch *scratch, const char *s, size_t n,
		 void (*on)(unsigned id, void *ud), void *ud)
{
	if (scratch->cap <= ls->max_id)
		return -1;	/* not made for ls (litscan_scratch_for) */
	if (++scratch->gen == 0) {	/* wrapped: forget every mark */
		memset(scratch->seen, 0, scratch->cap * sizeof(*scratch->seen));
		scratch->gen = 1;
	}
	const uint8_t *p = (const uint8_t *)s;
	struct scan c = { ls, scratch, p, n, on, ud, ls->nclass[ONE], ls->nclass[PAIR], ls->nclass[QUAD] };
	if (ls->first) {
		scan_marked(&c);
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		if (ls->start[p[i]])	/* most bytes: one table look-up */
			try_pos(&c, i);
	return 0;
}
