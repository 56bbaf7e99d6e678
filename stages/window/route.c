/* route.c - rules by event name (see route.h). */
#include "stages/window/route.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"

void route_init(struct ww_route *rt)
{
	memset(rt, 0, sizeof(*rt));
	hashtab_init(&rt->names);
}

void route_free(struct ww_route *rt)
{
	for (uint32_t i = 0; i < rt->nnames; i++) {
		free(rt->name[i]);
		free(rt->lists[i].idx);
	}
	free(rt->name);
	free(rt->lists);
	free(rt->wild.idx);
	hashtab_free(&rt->names);
	memset(rt, 0, sizeof(*rt));
}

static void list_push(struct ww_route_list *l, uint32_t idx)
{
	if (l->n && l->idx[l->n - 1] == idx)
		return;		/* both sides of a rule under one name */
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 4;
		l->idx = ward_xrealloc(l->idx, l->cap * sizeof(*l->idx));
	}
	l->idx[l->n++] = idx;
}

struct name_probe {
	const struct ww_route *rt;
	const char *name;
};

static bool name_is(const void *ctx, uint32_t i)
{
	const struct name_probe *p = ctx;
	return strcmp(p->rt->name[i], p->name) == 0;
}

/* Eight bytes a step: FNV-1a's multiply per byte was most of a lookup. */
static uint64_t name_hash(const char *name)
{
	return hash_words(name, strlen(name));
}

static uint32_t find_name(const struct ww_route *rt, const char *name)
{
	const struct name_probe probe = { rt, name };
	return hashtab_find(&rt->names, name_hash(name), name_is, &probe);
}

/* The list of name, made on first use with the wildcards added so far
 * (their indexes are all lower than the rule being added). */
static struct ww_route_list *list_of(struct ww_route *rt, const char *name)
{
	uint32_t i = find_name(rt, name);
	if (i != HASHTAB_NONE)
		return &rt->lists[i];
	i = rt->nnames++;
	rt->name = ward_xrealloc(rt->name, rt->nnames * sizeof(*rt->name));
	rt->lists = ward_xrealloc(rt->lists, rt->nnames * sizeof(*rt->lists));
	rt->name[i] = ward_xstrdup(name);
	struct ww_route_list *l = &rt->lists[i];
	memset(l, 0, sizeof(*l));
	for (uint32_t w = 0; w < rt->wild.n; w++)
		list_push(l, rt->wild.idx[w]);
	hashtab_insert(&rt->names, name_hash(name), i);
	return l;
}

void route_add(struct ww_route *rt, uint32_t idx, const char *a, const char *b)
{
	if (!a || !b) {
		list_push(&rt->wild, idx);
		for (uint32_t i = 0; i < rt->nnames; i++)
			list_push(&rt->lists[i], idx);
		return;
	}
	list_push(list_of(rt, a), idx);
	list_push(list_of(rt, b), idx);
}

const uint32_t *route_rules(const struct ww_route *rt, const char *name, uint32_t *n)
{
	uint32_t i = name ? find_name(rt, name) : HASHTAB_NONE;
	const struct ww_route_list *l = i != HASHTAB_NONE ? &rt->lists[i] : &rt->wild;
	*n = l->n;
	return l->idx;
}
