/* anomaly.h - anomaly rules: a key's events counted per bucket of
 * rule.step_ns, each closed bucket's count x scored against an EWMA
 * baseline of the earlier buckets (mean and variance, or mean absolute
 * deviation with use_mad): score = (x - mean) / (spread + 1). After
 * `warmup` buckets a score above the threshold fires, through the
 * lifecycle (lifecycle.h) without for, keep_firing_for or renotify: once
 * per episode, resolved at the first bucket that scores below. A silence of
 * more than 100,000 empty buckets is skipped, keeping the baseline.
 * No I/O: transitions go through keyalert.h. */
#ifndef WARD_WINDOW_ANOMALY_H
#define WARD_WINDOW_ANOMALY_H

#include <stdint.h>

#include "stages/window/engine_impl.h"

/* The baseline of an anomaly rule's key. */
struct ww_anomaly {
	int64_t bucket;		/* bucket index being counted */
	uint64_t bucket_count;
	double mean, dev;	/* EWMA baseline and spread (var or mean abs dev) */
	uint32_t buckets_seen;
};

/* The state of a key whose first event has time t (owned by the key). */
struct ww_anomaly *anomaly_new(const struct ww_rule *rule, int64_t t);
/* Count the key's samples before T into buckets, closing (scoring and
 * judging) every bucket that ends by T; T == INT64_MAX: the end of input,
 * which closes the bucket of the last event. */
void anomaly_advance(struct ww_engine *e, struct rstate *r, struct ww_key *k, int64_t T);

#endif
