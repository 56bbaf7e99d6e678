/* keyalert.h - what the per-key engine hands its emit callback: a key's
 * transition (or, with series, a series point) as a struct ww_alert, its
 * key decoded into label names and values (by() names come from the rule,
 * other keys carry their names) and its evidence lines up to `at`. The
 * alert's pointers go into the engine's buffers, valid during the callback
 * only. Counts alerts and series in the engine's stats. No I/O. */
#ifndef WARD_WINDOW_KEYALERT_H
#define WARD_WINDOW_KEYALERT_H

#include "stages/window/engine_impl.h"

/* score: anomaly rules only (their count and baseline come from the key's
 * anomaly state). */
void keyalert_emit(struct ww_engine *e, const struct rstate *r, const struct ww_key *k,
		   enum ww_state st, int64_t at, double value, bool series, double score,
		   bool renotify);

#endif
