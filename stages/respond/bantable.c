/* bantable.c - open-addressing hash table of ban entries. */
#include "stages/respond/bantable.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <stdio.h>

#include "buf.h"

static uint64_t cidr_hash(const struct ward_cidr *c)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */
	size_t n = c->ip.family == AF_INET6 ? 16 : 4;

	h = (h ^ (uint64_t)c->ip.family) * 1099511628211ULL;
	h = (h ^ c->prefix) * 1099511628211ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ c->ip.addr[i]) * 1099511628211ULL;
	return h ^ (h >> 29);
}

static bool cidr_same(const struct ward_cidr *a, const struct ward_cidr *b)
{
	return a->prefix == b->prefix && ip_equal(&a->ip, &b->ip);
}

void bantable_init(struct ban_table *t)
{
	memset(t, 0, sizeof(*t));
}

void bantable_free(struct ban_table *t)
{
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

void bantable_clear(struct ban_table *t)
{
	if (t->slots)
		memset(t->slots, 0, t->cap * sizeof(*t->slots));
	t->len = 0;
	t->active = 0;
}

static size_t slot_of(const struct ban_table *t, const struct ward_cidr *c)
{
	size_t mask = t->cap - 1;
	size_t i = (size_t)cidr_hash(c) & mask;

	while (t->slots[i].used && !cidr_same(&t->slots[i].target, c))
		i = (i + 1) & mask;
	return i;
}

struct ban_entry *bantable_get(struct ban_table *t, const struct ward_cidr *c)
{
	if (t->cap == 0)
		return NULL;
	size_t i = slot_of(t, c);
	return t->slots[i].used ? &t->slots[i] : NULL;
}

static void grow(struct ban_table *t)
{
	struct ban_table bigger = { 0 };

	bigger.cap = t->cap ? t->cap * 2 : 64;
	bigger.slots = ward_xcalloc(bigger.cap, sizeof(*bigger.slots));
	for (size_t i = 0; i < t->cap; i++) {
		if (!t->slots[i].used)
			continue;
		bigger.slots[slot_of(&bigger, &t->slots[i].target)] = t->slots[i];
	}
	bigger.len = t->len;
	bigger.active = t->active;
	free(t->slots);
	*t = bigger;
}

struct ban_entry *bantable_put(struct ban_table *t, const struct ward_cidr *c)
{
	struct ban_entry *e = bantable_get(t, c);

	if (e)
		return e;
	if ((t->len + 1) * 4 > t->cap * 3)	/* load <= 0.75 */
		grow(t);
	e = &t->slots[slot_of(t, c)];
	memset(e, 0, sizeof(*e));
	e->target = *c;
	e->used = true;
	e->rule[0] = '-';
	t->len++;
	return e;
}

/* Backward-shift deletion: move later members of the probe run into the
 * hole so every remaining entry stays reachable from its home slot. */
void bantable_del(struct ban_table *t, const struct ward_cidr *c)
{
	if (t->cap == 0)
		return;
	size_t mask = t->cap - 1;
	size_t hole = slot_of(t, c);

	if (!t->slots[hole].used)
		return;
	if (t->slots[hole].active)
		t->active--;
	t->len--;
	for (size_t j = (hole + 1) & mask; t->slots[j].used; j = (j + 1) & mask) {
		size_t home = (size_t)cidr_hash(&t->slots[j].target) & mask;
		/* j may move to hole unless its home lies cyclically in (hole, j]. */
		bool home_between = hole <= j ? (hole < home && home <= j)
					      : (hole < home || home <= j);
		if (home_between)
			continue;
		t->slots[hole] = t->slots[j];
		hole = j;
	}
	memset(&t->slots[hole], 0, sizeof(t->slots[hole]));
}

void bantable_set_active(struct ban_table *t, struct ban_entry *e, bool active)
{
	if (e->active == active)
		return;
	e->active = active;
	if (active)
		t->active++;
	else
		t->active--;
}

struct ban_entry *bantable_next(struct ban_table *t, size_t *iter)
{
	while (*iter < t->cap) {
		struct ban_entry *e = &t->slots[(*iter)++];
		if (e->used)
			return e;
	}
	return NULL;
}

static bool rule_char_ok(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '_' || ch == '.' || ch == ':' || ch == '-';
}

void respond_rule_clean(char *dst, const char *src, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; src && i < n && o < RESPOND_RULE_MAX; i++)
		dst[o++] = rule_char_ok((unsigned char)src[i]) ? src[i] : '_';
	if (o == 0)
		dst[o++] = '-';
	dst[o] = '\0';
}

void respond_target_format(const struct ward_cidr *c, bool always_prefix, char *out, size_t n)
{
	char addr[WARD_IP_STRLEN];
	unsigned full = c->ip.family == AF_INET ? 32 : 128;

	ip_format(&c->ip, addr);
	if (c->prefix == full && !always_prefix)
		snprintf(out, n, "%s", addr);
	else
		snprintf(out, n, "%s/%u", addr, c->prefix);
}
