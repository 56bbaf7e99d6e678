/* engine.h - streaming evaluation of metric rules over keyed sliding windows.
 *
 * Time. Each event brings a time t (its ts, or the arrival time in
 * --arrival-time mode; the caller decides) and a source (engine_source).
 * The engine keeps a watermark per source and W, the minimum over the
 * active sources (watermark.h); with one source W = (latest t seen) -
 * lateness. An event older than its source's watermark or than W is late:
 * counted, ignored and reported to the caller. Every rule value is defined at each instant t as the function of
 * the key's events with time in (t - range, t]; it changes only at event
 * times (rising) and at expiry times (event time + range, falling). The
 * engine evaluates every change point of every key exactly, in time order
 * per key, once the watermark has passed it (so all events at that instant
 * are in). Across keys the order is not time order: one advance judges the
 * keys one after another, each up to the watermark (docs/window.md "Output
 * order"). engine_advance() moves the watermark without an event (idle
 * input), engine_finish() moves it to the end of time: every window drains
 * and every firing alert resolves at its exact time.
 *
 * Firing at once. An instant is normally judged when the watermark has
 * passed it, i.e. when a later event arrives (or the input idles). For rules
 * whose value can only grow while events arrive (count, rate, bytes, max,
 * distinct compared with > or >=, for 0, no lateness), more events at the
 * same instant cannot undo a crossing, so such a rule fires as soon as the
 * event that crosses the threshold arrives: same key, same instant, and the
 * value at that moment (a later event with the same timestamp may raise the
 * window's value without a new alert).
 *
 * Lifecycle (lifecycle.h, shared with steps.h): condition true -> pending
 * (or firing when for is 0); true continuously for `for` -> firing at
 * exactly since+for; false -> resolved (from firing; with keep_firing_for,
 * once false that long) or silently inactive (from pending). One firing
 * per key per episode, repeated every renotify interval while it lasts.
 *
 * Input lines. A rule without match_rule (a QUERY, options) takes one
 * event per input line of ward-match --rules (lineonce.h).
 *
 * Memory. At most max_keys keys across all rules. A key is freed when its
 * window is empty and it is not alerting. When a new key finds the table
 * full, the engine evicts, among the next 8 live keys after a cursor that
 * walks the key table, the inactive one furthest from its threshold (a
 * pending or firing key only when all 8 are) and counts it in `evicted`.
 *
 * Cost: amortized O(1) per event for the additive functions (count, rate,
 * bytes, sum, avg, distinct); min/max/first/last/stddev/quantile scan the
 * key's window when evaluated. No allocation per event once keys and their
 * rings have reached their working size.
 *
 * Rules that aggregate across keys (rule_is_step: avg, stddev, topk, ...)
 * are handed to steps.h, which evaluates them at evaluation steps of the
 * same watermark; their inner series count against max_keys.
 *
 * No I/O: transitions are delivered to the emit callback. */
#ifndef WARD_WINDOW_ENGINE_H
#define WARD_WINDOW_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stages/window/rule.h"

struct ward_event;

enum ww_state { WW_INACTIVE = 0, WW_PENDING, WW_FIRING, WW_RESOLVED };

const char *engine_state_str(enum ww_state s);

/* One transition (or, with emit_series, one series point). Pointers are
 * valid during the callback only. */
struct ww_alert {
	const struct ww_rule *rule;
	enum ww_state state;
	bool series;		/* a series point, not a transition */
	bool renotify;		/* a repeated firing notification */
	int64_t at;		/* event time of the transition */
	double value;		/* the rule's value at `at` (last value for resolved) */
	double score;		/* anomaly rules: score and baseline */
	double baseline;
	int64_t first;		/* oldest event of the episode still known */
	int64_t last;		/* newest event counted */
	uint64_t count;		/* events in the window at `at` */
	size_t nkey;
	const char *const *key_names;
	const char *const *key_vals;
	const size_t *key_lens;
	size_t nevidence;
	const char *const *evidence;
	const size_t *evidence_lens;
};

typedef void (*ww_emit_fn)(void *ctx, const struct ww_alert *a);

struct ww_engine_opts {
	size_t max_keys;	/* default 1,000,000 */
	int64_t lateness_ns;	/* allowed lateness, default 0 */
	int64_t source_idle_ns;	/* a source silent this long stops holding time (0: never) */
	unsigned sources;	/* sources announced: time waits for them (0, 1: none) */
	unsigned evidence;	/* lines kept per key, at most 10 */
	bool emit_series;
};

struct ww_stats {
	uint64_t events;	/* events taken by at least one rule */
	uint64_t late;		/* older than the watermark */
	uint64_t unwrap_errors;	/* __error__: value not a number/duration/bytes */
	uint64_t key_missing;	/* a by() label absent: grouped under "" */
	uint64_t evicted;	/* keys dropped at the max-keys bound */
	uint64_t evicted_active;/* ... of which pending or firing */
	uint64_t keys;		/* keys held now */
	uint64_t keys_peak;
	uint64_t alerts;	/* transitions emitted */
	uint64_t series;	/* series points emitted */
};

struct ww_engine;

/* rules are borrowed and must outlive the engine. */
struct ww_engine *engine_new(const struct ww_rule *rules, size_t nrules,
			     const struct ww_engine_opts *o, ww_emit_fn emit, void *ctx);
void engine_free(struct ww_engine *e);

/* True when rule r fires as the crossing event arrives (see above). */
bool engine_rule_eager(const struct ww_rule *r, int64_t lateness_ns);
/* Feed one event at time t (source 0). Rules' select hooks may add fields to ev. */
void engine_event(struct ww_engine *e, struct ward_event *ev, int64_t t);
/* The index of the source named name (added if new; "" is source 0). */
size_t engine_source(struct ww_engine *e, const char *name, size_t len);
const char *engine_source_name(const struct ww_engine *e, size_t src);
/* Feed one event of source src at time t, arrived at `arrival` (monotonic
 * ns, for the sources' idle timeout). Returns false if it was late, with
 * *lag (if not NULL) how far behind the watermark it was. */
bool engine_event_from(struct ww_engine *e, struct ward_event *ev, int64_t t, size_t src,
		       int64_t arrival, int64_t *lag);
/* Software pipelining. At 100,000 keys and more, the key slot, the key
 * and its samples are cache misses on every event; a caller that decodes a
 * few events ahead of the one it feeds calls, for each queued event, in
 * this order and a few events apart: engine_prefetch_slot (as it is
 * decoded: hashes the keys the event names and prefetches their table
 * slots), engine_prefetch_key (the keys), engine_prefetch_ring (their
 * newest and oldest samples), then feeds it. They only read and prefetch:
 * calling them or not never changes a result. Rules whose select hook may
 * add the key's fields (a QUERY's log part), compound and anomaly rules
 * are not prefetched. */
#define WW_HINT_RULES 4
#define WW_HINT_KEY 48
struct ww_hint {
	const uint32_t *route;	/* the rules the event's name reaches (route.h) */
	uint32_t nroute;
	unsigned n;
	uint16_t rule[WW_HINT_RULES];
	uint32_t idx[WW_HINT_RULES];	/* the key found by engine_prefetch_key, or 0 */
	uint64_t hash[WW_HINT_RULES];
	uint8_t klen[WW_HINT_RULES];	/* the encoded key, if at most WW_HINT_KEY bytes */
	bool missing[WW_HINT_RULES];	/* a by() label was absent */
	char kb[WW_HINT_RULES][WW_HINT_KEY];
};
void engine_prefetch_slot(struct ww_engine *e, const struct ward_event *ev, struct ww_hint *h);
void engine_prefetch_key(struct ww_engine *e, struct ww_hint *h);
void engine_prefetch_ring(const struct ww_engine *e, const struct ww_hint *h);
/* The next engine_event_from feeds the event h was made from: its key
 * hashes are taken from h when no rule's select hook can have changed the
 * event's fields in between (else h is ignored); so are their encoded keys. */
void engine_hint_next(struct ww_engine *e, const struct ww_hint *h);
/* Arrival time passes without events: idle sources stop holding time. */
void engine_tick(struct ww_engine *e, int64_t arrival);
/* Move the watermark to w (if later): evaluate everything before w. */
void engine_advance(struct ww_engine *e, int64_t w);
/* End of input: evaluate everything, drain all windows. */
void engine_finish(struct ww_engine *e);
/* The watermark: every instant before it has been judged and its
 * transitions emitted (INT64_MIN before the first event). */
int64_t engine_watermark(const struct ww_engine *e);
/* The latest event time seen (INT64_MIN before the first). */
int64_t engine_max_time(const struct ww_engine *e);
const struct ww_stats *engine_stats(const struct ww_engine *e);
/* The per-source watermarks, read-only (for -v messages). */
const struct ww_wm *engine_watermarks(const struct ww_engine *e);
/* Approximate bytes held by keys (tables, key structs, rings, evidence). */
size_t engine_memory(const struct ww_engine *e);

#endif
