/* steps.h - step rules: aggregations across keys, evaluated at evaluation
 * steps of the event clock.
 *
 * avg, stddev, stdvar, topk, bottomk, sort, sort_desc (and sum, min, max,
 * count of inner shapes that no single key's window answers, such as
 * sum(avg_over_time(...)) or count(rate(...))) need the values of every
 * series of a group at one instant. A step rule therefore keeps the exact
 * sliding window of each *inner* series (the rule's fn/range/group, as a
 * per-key rule would) and, at every multiple of rule->eval_ns of event time
 * (Unix epoch aligned) once the watermark has passed it, computes every
 * inner value at that step s over (s - range, s], aggregates them per
 * outer group (vagg/vgroup), applies the scalar arithmetic (xf) and the
 * comparison, and runs the Prometheus lifecycle (lifecycle.h) of each
 * output series at the steps, as Loki's ruler does at each group interval:
 *   true at s while inactive -> pending (firing when `for` is 0) at s;
 *   pending and s - since >= for -> firing at s; false -> resolved (from
 *   firing) or inactive; firing and s - notified >= renotify -> repeated.
 * topk/bottomk keep the k series with the largest/smallest values per group
 * (ties broken by the series labels) and alert per series; sort/sort_desc
 * keep every series (an alert set has no order).
 *
 * Cost: O(1) amortized per event (one key lookup and window insert); O(n log
 * n) per evaluated step for n live inner series. A step where no inner
 * value can have changed since the last evaluated one (no sample applied or
 * expired) and no for/renotify deadline falls is skipped: it could produce
 * no transition (with emit_series every step is evaluated). Memory: inner series
 * count against the engine's max_keys (shared counter); an inner series is
 * freed at the first step that finds its window empty; an output series is
 * held only while pending or firing. No evidence lines are kept.
 *
 * Ownership: the steps object borrows the rules, the stats and the emit
 * callback from its engine. No I/O. */
#ifndef WARD_WINDOW_STEPS_H
#define WARD_WINDOW_STEPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stages/window/engine.h"
#include "stages/window/rule.h"

struct ward_event;
struct ww_steps;

struct ww_steps_ctx {
	ww_emit_fn emit;
	void *emit_ctx;
	struct ww_stats *st;	/* keys, keys_peak, evicted, key_missing, alerts, series */
	size_t max_keys;
	bool emit_series;
};

struct ww_steps *steps_new(const struct ww_steps_ctx *c);
void steps_free(struct ww_steps *s);
/* Add a step rule (rule_is_step); returns its index. */
size_t steps_add_rule(struct ww_steps *s, const struct ww_rule *r);
size_t steps_count(const struct ww_steps *s);
const struct ww_rule *steps_rule(const struct ww_steps *s, size_t i);
/* One sample of rule i at time t (not earlier than any step evaluated). */
void steps_sample(struct ww_steps *s, size_t i, const struct ward_event *ev, int64_t t,
		  double v, uint64_t h);
/* Evaluate every step before w. */
void steps_advance(struct ww_steps *s, int64_t w);
/* End of input: evaluate steps until every window is empty and every
 * output series resolved. */
void steps_finish(struct ww_steps *s);
/* Free one inner series to make room under max_keys; false if none held. */
bool steps_evict(struct ww_steps *s);
size_t steps_memory(const struct ww_steps *s);

#endif
