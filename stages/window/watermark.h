/* watermark.h - event-time watermarks per input source.
 *
 * ward-window often reads a merge of logs that are each in time order but
 * not with each other (ward-run's merge, several files, several Kafka
 * producers). One watermark over all of them would call every event of
 * the slower source late. As Flink and Kafka Streams do, each source keeps
 * its own watermark, W_s = (latest time of s) - lateness, and time advances
 * to the minimum over the active sources:
 *
 *   - an event of s is late when older than W_s (its own source), or older
 *     than the global watermark (already evaluated: only an idle source
 *     that comes back can be behind it);
 *   - a source silent for idle_ns of arrival time is idle and no longer
 *     holds time back (a quiet log cannot stall the stream); its next
 *     event makes it active again;
 *   - with `expected` sources announced, time does not advance until that
 *     many have been seen (or idle_ns has passed since the first event), so
 *     a merge gives the same result whichever source's lines come first.
 *
 * Merged sources that are each in order therefore lose nothing and are
 * evaluated exactly as one sorted stream (deterministically), unless a
 * source stalls longer than idle_ns.
 *
 * At most WM_MAX_SOURCES sources are told apart; the rest share the last
 * one. Arrival times are any monotonic clock (the caller's); pure, no I/O. */
#ifndef WARD_WINDOW_WATERMARK_H
#define WARD_WINDOW_WATERMARK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WM_MAX_SOURCES 256

struct ww_wm_source {
	char *name;
	size_t len;
	int64_t max_t;		/* latest event time, INT64_MIN before one */
	int64_t arrival;	/* arrival time of its last event */
	bool idle;
	uint64_t late;
};

struct ww_wm {
	struct ww_wm_source *src;
	size_t n, cap;
	size_t last_hit;	/* events come in runs from one source */
	int64_t lateness_ns;
	int64_t idle_ns;	/* 0: never idle */
	unsigned expected;
	int64_t first_arrival;
	int64_t current;	/* the global watermark, never decreasing */
};

void watermark_init(struct ww_wm *w, int64_t lateness_ns, int64_t idle_ns, unsigned expected);
void watermark_free(struct ww_wm *w);
/* The index of the source named name (added if new). */
size_t watermark_source(struct ww_wm *w, const char *name, size_t len);
/* An event of source s at time t, arriving at `arrival`. Returns true if
 * it is on time (the source's time and the global watermark move on), false
 * if late: *lag (if not NULL) is how far it is behind. */
bool watermark_event(struct ww_wm *w, size_t s, int64_t t, int64_t arrival, int64_t *lag);
/* Sources silent since before now - idle_ns become idle. Returns the
 * global watermark. */
int64_t watermark_tick(struct ww_wm *w, int64_t now);
static inline int64_t watermark_current(const struct ww_wm *w)
{
	return w->current;
}

#endif
