/* evict.h - making room for a new key when the engine holds max_keys:
 * among the next EVICT_CANDIDATES (8) live keys of a rule after its sweep
 * cursor, the inactive one furthest from its threshold goes (an anomaly
 * rule's key with the fewest buckets seen); a pending or firing key only
 * when all 8 are (counted in evicted_active). No list in recency order is
 * kept: it would cost cache misses on every event. No I/O. */
#ifndef WARD_WINDOW_EVICT_H
#define WARD_WINDOW_EVICT_H

#include "stages/window/engine_impl.h"

/* Free one key of r (which holds at least one), counted in `evicted`. */
void evict_one(struct ww_engine *e, struct rstate *r);
/* The per-key rule holding the most keys (the first of them on a tie). */
struct rstate *evict_rule_with_most_keys(struct ww_engine *e);

#endif
