/* route.h - which rules an event can reach by its `rule` name.
 *
 * A rule of a --rules file (and --select-rule) takes only the events
 * ward-match tagged with its name; with the 200 rules of the shipped packs,
 * testing every rule against every event was a fifth of ward-window's time.
 * A route maps each name to the rules that may take its events, in rule
 * order, and gives the rules that take any name (wildcards: a QUERY, options
 * without --select-rule) for every name as well as for events without one.
 * The rules it gives still decide for themselves (rule_selects); a route
 * only leaves out rules that could not take the event.
 *
 * Ownership: the route owns its lists and copies of the names; route_free
 * releases them. No I/O. */
#ifndef WARD_WINDOW_ROUTE_H
#define WARD_WINDOW_ROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hash.h"

struct ww_route_list {
	uint32_t *idx;		/* rule indexes, increasing */
	uint32_t n, cap;
};

struct ww_route {
	struct hashtab names;	/* hash of a name -> its index in name/lists */
	char **name;
	struct ww_route_list *lists;
	uint32_t nnames;
	struct ww_route_list wild;	/* rules that take events of any name */
};

void route_init(struct ww_route *rt);
void route_free(struct ww_route *rt);
/* Rule idx takes events named a or b; NULL for either: of any name. Add
 * rules in increasing idx order. */
void route_add(struct ww_route *rt, uint32_t idx, const char *a, const char *b);
/* The rules that may take an event named name (NULL: without a name), in
 * increasing order; *n gets how many. */
const uint32_t *route_rules(const struct ww_route *rt, const char *name, uint32_t *n);
/* Whether some rule takes events of any name. */
static inline bool route_has_wild(const struct ww_route *rt)
{
	return rt->wild.n > 0;
}

#endif
