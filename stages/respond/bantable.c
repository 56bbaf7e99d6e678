/* bantable.c - ban entries, indexed by target (see bantable.h). */
#include "stages/respond/bantable.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <stdio.h>

#include "buf.h"
#include "hash.h"

/* Slot order (and so walk order) follows this hash: keep it. */
static uint64_t cidr_hash(const struct ward_cidr *c)
{
	const unsigned char head[2] = { (unsigned char)c->ip.family, (unsigned char)c->prefix };
	uint64_t h = hash_fnv1a(head, sizeof(head));
	h = hash_fnv1a_add(h, c->ip.addr, c->ip.family == AF_INET6 ? 16 : 4);
	return h ^ (h >> 29);
}

struct lookup {
	const struct ban_table *t;
	const struct ward_cidr *c;
};

static bool same_target(const void *ctx, uint32_t idx)
{
	const struct lookup *l = ctx;
	const struct ward_cidr *a = &l->t->ents[idx].target;
	return a->prefix == l->c->prefix && ip_equal(&a->ip, &l->c->ip);
}

/* 64 index slots from the start, as the table had before. */
#define BANTABLE_MIN 32

void bantable_init(struct ban_table *t)
{
	memset(t, 0, sizeof(*t));
	hashtab_init(&t->index);
}

void bantable_free(struct ban_table *t)
{
	free(t->ents);
	hashtab_free(&t->index);
	memset(t, 0, sizeof(*t));
}

void bantable_clear(struct ban_table *t)
{
	hashtab_clear(&t->index);
	t->len = 0;
	t->active = 0;
}

struct ban_entry *bantable_get(struct ban_table *t, const struct ward_cidr *c)
{
	struct lookup l = { t, c };
	uint32_t i = hashtab_find(&t->index, cidr_hash(c), same_target, &l);
	return i == HASHTAB_NONE ? NULL : &t->ents[i];
}

struct ban_entry *bantable_put(struct ban_table *t, const struct ward_cidr *c)
{
	struct ban_entry *e = bantable_get(t, c);

	if (e)
		return e;
	if (t->len == t->cap) {
		t->cap = t->cap ? t->cap * 2 : BANTABLE_MIN;
		t->ents = ward_xrealloc(t->ents, t->cap * sizeof(*t->ents));
	}
	if (!t->index.slots)
		hashtab_reserve(&t->index, BANTABLE_MIN);
	hashtab_insert(&t->index, cidr_hash(c), (uint32_t)t->len);
	e = &t->ents[t->len++];
	memset(e, 0, sizeof(*e));
	e->target = *c;
	e->rule[0] = '-';
	return e;
}

/* The last entry moves into the hole, so the array stays dense. */
void bantable_del(struct ban_table *t, const struct ward_cidr *c)
{
	struct ban_entry *e = bantable_get(t, c);

	if (!e)
		return;
	uint32_t i = (uint32_t)(e - t->ents), last = (uint32_t)(t->len - 1);
	if (e->active)
		t->active--;
	hashtab_remove(&t->index, cidr_hash(c), i);
	if (i != last) {
		t->ents[i] = t->ents[last];
		hashtab_renumber(&t->index, cidr_hash(&t->ents[i].target), last, i);
	}
	t->len--;
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

const struct ban_entry *bantable_next_const(const struct ban_table *t, size_t *iter)
{
	uint32_t idx;
	return hashtab_next(&t->index, iter, &idx) ? &t->ents[idx] : NULL;
}

struct ban_entry *bantable_next(struct ban_table *t, size_t *iter)
{
	uint32_t idx;
	return hashtab_next(&t->index, iter, &idx) ? &t->ents[idx] : NULL;
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
