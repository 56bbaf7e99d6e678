/* engine_impl.h - the per-key engine's state (engine.h), shared by the
 * files that make it up; nothing outside the engine includes it:
 *
 *   engine.c           keys of a rule, judgement at change points, the watermark
 *   wake.c             the wake heap and the FIFO of keys with new samples
 *   anomaly.c          anomaly rules: bucket counts against an EWMA baseline
 *   evict.c            which key goes when the key table is full
 *   keyalert.c         a key's transition or series point as a ww_alert
 *   engine_prefetch.c  the read-only prefetches of the input pipeline
 *   evidence.c         the recent lines of a key
 *
 * Keys move when a rule's key array grows: hold indexes, never pointers,
 * across anything that may add a key. */
#ifndef WARD_WINDOW_ENGINE_IMPL_H
#define WARD_WINDOW_ENGINE_IMPL_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "event.h"
#include "hash.h"
#include "stages/window/engine.h"
#include "stages/window/evidence.h"
#include "stages/window/lifecycle.h"
#include "stages/window/lineonce.h"
#include "stages/window/route.h"
#include "stages/window/watermark.h"
#include "stages/window/win.h"

#define KEY_INLINE 32	/* an IPv4 address and most IPv6 ones */

struct ww_anomaly;
struct ww_steps;

struct ww_key {
	/* the first cache line is all a lookup reads */
	uint64_t hash;
	uint32_t klen;
	uint32_t gen;		/* bumped when the slot is freed */
	char kinline[KEY_INLINE];
	char *kbuf;		/* encoded key, or NULL when it fits kinline */
	struct ww_win win;
	struct ww_win *win2;	/* the right side of and/or/unless, or NULL */
	uint32_t free_next;	/* free list */
	uint32_t heap_pos;	/* 1-based, 0: not in the heap */
	uint8_t dirty;
	uint8_t live;
	struct ww_life life;	/* lifecycle.h; anomaly rules use state, value, since */
	int64_t episode_first;
	int64_t wake;		/* heap key */
	int64_t check_at;	/* an extra evaluation point (absent rules) */
	struct ww_evidence *evid;
	struct ww_anomaly *an;	/* anomaly rules only (kept apart: a key of the
				 * other rules stays within 256 bytes) */
};

/* Keys move when the key array grows: never keep a pointer into one. */
static inline char *key_bytes(const struct ww_key *k)
{
	return k->kbuf ? k->kbuf : (char *)k->kinline;
}

static inline int64_t min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

static inline int64_t key_next_apply(const struct ww_key *k)
{
	int64_t a = win_next_apply(&k->win);
	return k->win2 ? min64(a, win_next_apply(k->win2)) : a;
}

static inline bool key_empty(const struct ww_key *k)
{
	return win_empty(&k->win) && (!k->win2 || win_empty(k->win2));
}

/* The hash of an encoded key, for the rule's key table only (it is never
 * written out nor compared across runs): hash_words, FNV-1a's byte-at-a-time
 * chain of multiplies was 4% of ward-window's time at 100,000 keys. */
static inline uint64_t engine_key_hash(const void *p, size_t n)
{
	return hash_words(p, n);
}

struct dirty_ent {
	uint32_t idx, gen;
	int64_t ts;
};

struct rstate {
	const struct ww_rule *rule;
	bool wake_on_expiry;
	bool eager;		/* may fire as an event arrives (engine_rule_eager) */
	bool arith;		/* scalar or vector arithmetic: evaluate through arith_holds */
	/* An inactive key's value only falls as samples leave and a fall cannot
	 * make it hold (count, rate, bytes compared with > or >=, nothing after
	 * the range function, no series written): leaving samples need no
	 * judgement, only entering ones (advance_threshold). */
	bool quiet_fall;
	struct ww_key *keys;	/* [0] unused: index 0 means none */
	uint32_t nkeys_cap;
	uint32_t free_head;
	struct hashtab table;	/* key hash -> index in keys; len: keys held */
	uint32_t sweep;		/* cursor of the expiry sweep and eviction */
	struct dirty_ent *dirty;	/* FIFO ring */
	uint32_t dirty_cap, dirty_head, dirty_len;
	uint32_t *heap;		/* 1-based binary min-heap on wake */
	uint32_t heap_len, heap_cap;
};

struct ww_engine {
	struct rstate *rs;
	size_t nrules;
	struct ww_engine_opts o;
	ww_emit_fn emit;
	void *emit_ctx;
	int64_t max_t;
	int64_t watermark;
	struct ww_stats st;
	struct ward_buf keybuf;
	struct ward_buf pfbuf;	/* keys encoded for prefetching */
	const struct ww_hint *hint;	/* of the event being fed, or NULL */
	bool hint_exact;	/* no select hook may change an event's key fields */
	struct ww_scratch scratch;
	struct ww_steps *steps;	/* rules aggregating across keys, or NULL */
	struct ww_wm wm;	/* per-source watermarks */
	bool eager_ok;		/* no event can still come before this one's time */
	struct ww_route route;	/* the rules (rs) an event's rule name can reach */
	struct ww_route step_route;	/* the same for the step rules */
	struct ww_lineonce lineonce;	/* ward-match's events of one input line */
	bool repeat;		/* this event repeats an input line already taken */
	bool need_repeat;	/* some rule takes events of any name (uses repeat) */
	struct ward_event side_ev;	/* the right side's copy of an event */
	/* decoded key and evidence for emission */
	const char *knames[64];
	const char *kvals[64];
	size_t klens[64];
	struct ward_buf kdec;
	const char *elines[EVIDENCE_MAX];
	size_t elens[EVIDENCE_MAX];
};

/* Free key idx of rule r: its table slot, wake, windows and lines. */
void engine_key_release(struct ww_engine *e, struct rstate *r, uint32_t idx);

#endif
