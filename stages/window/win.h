/* win.h - the exact sliding window of one key: its samples in time order.
 *
 * A window holds the samples (event time, value) of one key that can still
 * count, sorted by time, in a ring buffer. Samples are "applied" in time
 * order as evaluation reaches their time and "expired" once they leave the
 * window (t - range, t]; counts, sums and distinct values are kept as
 * running aggregates updated on apply/expire, so those functions cost O(1)
 * per sample. min/max/first/last/stddev/quantile scan the applied samples.
 *
 * Samples at the same time are merged for the additive functions (count,
 * rate, bytes, sum, avg), so a key's memory is bounded by the number of
 * distinct timestamps in its window (10 entries for [10s] over syslog's
 * whole-second stamps). A window of a single sample needs no allocation.
 *
 * Ownership: a window owns its ring and distinct-value set; win_free
 * releases them.
 * No I/O. */
#ifndef WARD_WINDOW_WIN_H
#define WARD_WINDOW_WIN_H

#include <stdbool.h>
#include <stdint.h>

#include "hash.h"
#include "stages/window/rule.h"

struct ww_sample {
	int64_t ts;
	union {
		double v;	/* value (or sum of merged values) */
		uint64_t h;	/* hash of the value, for WW_FN_DISTINCT */
	} u;
	uint32_t n;		/* events merged into this sample */
	uint32_t pad;
};

struct ww_win {
	struct ww_sample *buf;	/* NULL while cap == 1: the sample is `one` */
	struct ww_sample one;
	uint32_t cap;		/* power of two */
	uint32_t head;		/* oldest sample */
	uint32_t len;		/* samples held */
	uint32_t applied;	/* samples [head, head+applied) are in the aggregates */
	int64_t latest;		/* latest sample time ever inserted */
	uint64_t n;		/* events in the applied samples */
	double sum;		/* sum of applied values */
	struct hashcount distinct;	/* value hash -> events, for WW_FN_DISTINCT */
};

/* Scratch space for functions that need the values sorted. */
struct ww_scratch {
	double *vals;
	size_t cap;
};

void win_init(struct ww_win *w);
void win_free(struct ww_win *w);
/* Bytes allocated for this window beyond the struct itself. */
size_t win_heap_bytes(const struct ww_win *w);

/* Insert a sample. ts must not be earlier than the last applied sample;
 * samples after it may come in any order (allowed lateness). */
void win_insert(struct ww_win *w, enum ww_fn fn, int64_t ts, double v, uint64_t h);

/* Time of the next sample to apply, or INT64_MAX. */
int64_t win_next_apply(const struct ww_win *w);
/* Time at which the oldest applied sample leaves the window, or INT64_MAX. */
int64_t win_next_expiry(const struct ww_win *w, int64_t range_ns);
/* Apply every sample with ts <= t; expire every applied sample with
 * ts <= t - range. */
void win_advance(struct ww_win *w, enum ww_fn fn, int64_t t, int64_t range_ns);

bool win_empty(const struct ww_win *w);
/* Events currently in the window (applied). */
uint64_t win_count(const struct ww_win *w);
/* The latest time inserted (INT64_MIN if none), without reading the ring. */
int64_t win_latest(const struct ww_win *w);
/* Time of the oldest/newest applied sample (INT64_MIN when empty). */
int64_t win_oldest(const struct ww_win *w);
int64_t win_newest(const struct ww_win *w);

/* The window's value under the rule's function. Returns false when the
 * series does not exist at this time (an empty window; absent_over_time is
 * the reverse: it exists only while the window is empty). */
bool win_value(const struct ww_win *w, const struct ww_rule *r,
	       struct ww_scratch *scratch, double *out);

void win_scratch_free(struct ww_scratch *s);

#endif
