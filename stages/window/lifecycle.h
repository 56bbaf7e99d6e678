/* lifecycle.h - the alert lifecycle of one series, as Prometheus runs it,
 * shared by the per-key engine (engine.c) and the step rules (steps.c).
 *
 *   inactive --cond--> pending (firing at once when for is 0)
 *   pending  --cond, t - since >= for--> firing       --!cond--> inactive (silent)
 *   firing   --!cond--> resolved, or with keep_firing_for K: still firing
 *            until the condition has been false for K (a true judgement in
 *            between cancels the countdown), then resolved
 *   firing   --t - notified >= renotify--> firing again (renotify)
 *
 * Two ways to drive it. lifecycle_judge() takes the condition judged at instant
 * `at`: every deadline that falls exactly at `at` is honoured there. The
 * step rules call only lifecycle_judge (Prometheus evaluates deadlines at the
 * evaluation steps). The per-key engine knows that nothing changes between
 * two change points of a key, so it first calls lifecycle_timers() for the
 * deadlines strictly before the next change point, each at its exact time,
 * then lifecycle_judge() at the change point.
 *
 * A resolved notice carries the value at resolution (the last value judged,
 * false), not the value the alert fired with. Pure: no I/O, no allocation;
 * transitions go to the callback. */
#ifndef WARD_WINDOW_LIFECYCLE_H
#define WARD_WINDOW_LIFECYCLE_H

#include <stdbool.h>
#include <stdint.h>

#include "stages/window/engine.h"

struct ww_life_params {
	int64_t for_ns;
	int64_t keep_ns;	/* keep_firing_for */
	int64_t renotify_ns;	/* 0: once per episode */
};

struct ww_life {
	uint8_t state;		/* WW_INACTIVE, WW_PENDING or WW_FIRING */
	bool keeping;		/* firing on keep_firing_for: false since false_since */
	int64_t since;		/* pending (or firing) since */
	int64_t notified;	/* last firing notification */
	int64_t false_since;
	double value;		/* value while the condition held */
	double last;		/* value at the last judgement, true or false */
};

/* One transition: state is WW_PENDING, WW_FIRING (renotify: a repetition)
 * or WW_RESOLVED. */
struct ww_life_ev {
	enum ww_state state;
	bool renotify;
	int64_t at;
	double value;
};

typedef void (*ww_life_emit)(void *ctx, const struct ww_life_ev *ev);

void lifecycle_init(struct ww_life *l);
/* The condition judged at `at` (not earlier than any earlier call), with
 * the series' value v there. */
void lifecycle_judge(struct ww_life *l, const struct ww_life_params *p, int64_t at, bool cond,
		double v, ww_life_emit emit, void *ctx);
/* Deadlines (for, keep_firing_for, renotify) strictly before limit, at
 * their exact times, the condition unchanged since the last judgement. */
void lifecycle_timers(struct ww_life *l, const struct ww_life_params *p, int64_t limit,
		 ww_life_emit emit, void *ctx);
/* The earliest deadline that can make a transition without a new
 * judgement, INT64_MAX if none. */
int64_t lifecycle_next_deadline(const struct ww_life *l, const struct ww_life_params *p);

#endif
