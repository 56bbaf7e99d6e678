/* partstate.h - ward-window's state per input partition, exact across a
 * Kafka partition move (docs/kafka.md, "Window state across moves").
 *
 * Over a partitioned input each partition gets its own engine (engine.h):
 * a partition's events are in time order (its producers' order), the
 * partitions' interleaving is not, and keys never span partitions (the
 * topic is keyed by the rule's key). So each engine sees exactly the events
 * of its keys, in order, with its own watermark, and gives the transitions a
 * single instance would give for those keys.
 *
 * Commit behind the window: the offset committed for a partition is never
 * past the first record whose event time is after H = J - span, where J is
 * the engine's judged watermark (every instant before J judged and its
 * transitions emitted) and span the longest range + for + keep_firing_for of
 * the rules: from there, replay rebuilds every window, pending and firing
 * state as it is at J. The commit's metadata carries J, the offset read up
 * to, and fingerprints of the transitions emitted at instants at or after J
 * (a rule that fires as its event arrives). The partition's next owner
 * (another instance, or this one after a crash) replays from the commit and
 * suppresses, counted, every transition at an instant before J and every one
 * whose fingerprint was carried: it sends what the previous owner had not
 * sent, once. Offsets to event times are kept in segments of span/32 of
 * event time, so a commit sits at most that much further back.
 *
 * Not exact across a move (documented): keep_firing_for gaps longer than the
 * span ago, renotify phases, anomaly baselines (rebuilt from the replay),
 * rules aggregating across keys (they span partitions anyway). */
#ifndef WARD_WINDOW_PARTSTATE_H
#define WARD_WINDOW_PARTSTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stages/window/engine.h"

#define PART_FP_MAX 16	/* fingerprints carried in one commit's metadata */

/* A segment of a partition's records: from offset `off` on, until the next
 * segment, with event times up to max_t. */
struct part_seg {
	int64_t off;
	int64_t start_t;
	int64_t max_t;
};

struct part_sent {
	uint64_t fp;
	int64_t at;
};

struct ww_parts;

struct ww_part {
	int32_t id;
	struct ww_engine *eng;
	struct ww_parts *set;
	int64_t judged;		/* the engine's watermark after its last call */
	int64_t read_to;	/* offset + 1 of the last record fed */
	struct part_seg *segs;	/* ring */
	uint32_t seg_head, seg_len, seg_cap;
	/* restored from the previous owner's commit */
	int64_t sent_before;	/* transitions at instants before this were sent */
	int64_t replay_to;	/* records before this offset are replayed */
	/* transitions sent at instants >= judged (by this owner, or by the
	 * previous one: restored) */
	struct part_sent sent[PART_FP_MAX];
	unsigned nsent;
	bool sent_since_hold;	/* emitted since the last part_hold_meta */
	int64_t held_off;	/* the caller's: the last hold it gave the input */
	uint64_t held_meta;	/* ... and a hash of its metadata */
};

struct ww_parts_counts {
	uint64_t suppressed;	/* transitions already sent by a previous owner */
	uint64_t replayed;	/* records read again after a move or a crash */
	uint64_t restored;	/* partitions that started from a previous owner's state */
};

/* True when every rule is judged per key (no absent_over_time, no
 * aggregation across keys): such rules need all partitions in one engine,
 * so ward-window then keeps one engine and commits as other stages do. */
bool parts_apply(const struct ww_rule *rules, size_t nrules);
/* rules and opts as for engine_new; emit gets the transitions to send. */
struct ww_parts *parts_new(const struct ww_rule *rules, size_t nrules,
			   const struct ww_engine_opts *o, ww_emit_fn emit, void *ctx);
void parts_free(struct ww_parts *ps);
/* The state of partition id, made on its first record from meta (the
 * metadata its offset was committed with, or NULL). */
struct ww_part *parts_get(struct ww_parts *ps, int32_t id, const char *meta);
/* Drop every partition's state. */
void parts_clear(struct ww_parts *ps);
/* Drop the state of the partitions for which owned(ctx, id) is false. */
void parts_retain(struct ww_parts *ps, bool (*owned)(void *ctx, int32_t id), void *ctx);
size_t parts_count(const struct ww_parts *ps);
struct ww_part *parts_at(struct ww_parts *ps, size_t i);
/* Statistics summed over the engines, those dropped included. */
void parts_stats(const struct ww_parts *ps, struct ww_stats *out);
const struct ww_parts_counts *parts_counts(const struct ww_parts *ps);

/* A record of p at offset off with event time t is about to be fed. */
void part_note(struct ww_part *p, int64_t off, int64_t t);
/* After each call into p->eng: take its watermark as judged. */
void part_judged(struct ww_part *p);
/* The offset p's commit may go up to (-1: every record fed) and its
 * metadata, written into meta (at least 1024 bytes). */
int64_t part_hold_meta(struct ww_part *p, char *meta, size_t len);

#endif
