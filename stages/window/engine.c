/* engine.c - keyed streaming evaluation (see engine.h for the semantics). */
#include "stages/window/engine.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "event.h"
#include "logql.h"
#include <json-c/json.h>
#include "stages/window/lifecycle.h"
#include "stages/window/lineonce.h"
#include "stages/window/serieskey.h"
#include "stages/window/steps.h"
#include "stages/window/watermark.h"
#include "stages/window/win.h"
#include "wtime.h"

#define KEY_INLINE 32	/* an IPv4 address and most IPv6 ones */
#define EVICT_CANDIDATES 8
#define SWEEP_PER_CALL 2
#define SWEEP_AHEAD 16		/* keys the sweep prefetches ahead of its cursor */
#define MAX_EVIDENCE 10
#define EVIDENCE_LINE_MAX 1024
#define ANOMALY_MAX_GAP 100000	/* empty buckets replayed before a reset */

struct ww_evidence {
	uint8_t head, n;
	uint16_t len[MAX_EVIDENCE];
	uint16_t cap[MAX_EVIDENCE];
	int64_t ts[MAX_EVIDENCE];
	char *line[MAX_EVIDENCE];
};

/* The baseline of an anomaly rule's key. */
struct ww_anomaly {
	int64_t bucket;		/* bucket index being counted */
	uint64_t bucket_count;
	double mean, dev;	/* EWMA baseline and spread (var or mean abs dev) */
	uint32_t buckets_seen;
};

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
static char *key_bytes(const struct ww_key *k)
{
	return k->kbuf ? k->kbuf : (char *)k->kinline;
}

static int64_t min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

static int64_t key_next_apply(const struct ww_key *k)
{
	int64_t a = win_next_apply(&k->win);
	return k->win2 ? min64(a, win_next_apply(k->win2)) : a;
}

static bool key_empty(const struct ww_key *k)
{
	return win_empty(&k->win) && (!k->win2 || win_empty(k->win2));
}

struct dirty_ent {
	uint32_t idx, gen;
	int64_t ts;
};

/* A table slot: the key index (0: empty) and the low half of its hash, so
 * a probe touches a key only when it very likely matches, and moving slots
 * (growth, deletion) finds each one's home without reading its key. */
struct kslot {
	uint32_t idx;
	uint32_t tag;
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
	struct kslot *slots;	/* open addressing */
	uint32_t slots_cap;
	uint32_t used;
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
	struct ww_lineonce lineonce;	/* ward-match's events of one input line */
	bool repeat;		/* this event repeats an input line already taken */
	struct ward_event side_ev;	/* the right side's copy of an event */
	/* decoded key and evidence for emission */
	const char *knames[64];
	const char *kvals[64];
	size_t klens[64];
	struct ward_buf kdec;
	const char *elines[MAX_EVIDENCE];
	size_t elens[MAX_EVIDENCE];
};

bool engine_rule_eager(const struct ww_rule *r, int64_t lateness_ns)
{
	if (lateness_ns != 0 || r->kind != WW_KIND_THRESHOLD || r->rhs || r->bool_result ||
	    r->nxf || rule_is_step(r) || r->for_ns != 0 || (r->op != WW_OP_GT && r->op != WW_OP_GE))
		return false;
	switch (r->fn) {
	case WW_FN_COUNT: case WW_FN_RATE: case WW_FN_BYTES: case WW_FN_BYTES_RATE:
	case WW_FN_MAX: case WW_FN_DISTINCT:
		return true;
	default:
		return false;
	}
}

static bool falls_quietly(const struct ww_rule *r)
{
	if (r->kind != WW_KIND_THRESHOLD || r->rhs || r->bool_result || r->nxf ||
	    r->setop != WW_SET_NONE || rule_is_step(r) || (r->op != WW_OP_GT && r->op != WW_OP_GE))
		return false;
	switch (r->fn) {
	case WW_FN_COUNT: case WW_FN_RATE: case WW_FN_BYTES: case WW_FN_BYTES_RATE:
		return true;
	default:
		return false;
	}
}

const char *engine_state_str(enum ww_state s)
{
	switch (s) {
	case WW_PENDING: return "pending";
	case WW_FIRING: return "firing";
	case WW_RESOLVED: return "resolved";
	case WW_INACTIVE: break;
	}
	return "inactive";
}

/* ---- the wake heap ---- */

static void heap_set(struct rstate *r, uint32_t pos, uint32_t idx)
{
	r->heap[pos] = idx;
	r->keys[idx].heap_pos = pos;
}

static void heap_up(struct rstate *r, uint32_t pos)
{
	uint32_t idx = r->heap[pos];
	int64_t w = r->keys[idx].wake;
	while (pos > 1 && r->keys[r->heap[pos / 2]].wake > w) {
		heap_set(r, pos, r->heap[pos / 2]);
		pos /= 2;
	}
	heap_set(r, pos, idx);
}

static void heap_down(struct rstate *r, uint32_t pos)
{
	uint32_t idx = r->heap[pos];
	int64_t w = r->keys[idx].wake;
	for (;;) {
		uint32_t c = pos * 2;
		if (c > r->heap_len)
			break;
		if (c + 1 <= r->heap_len && r->keys[r->heap[c + 1]].wake < r->keys[r->heap[c]].wake)
			c++;
		if (r->keys[r->heap[c]].wake >= w)
			break;
		heap_set(r, pos, r->heap[c]);
		pos = c;
	}
	heap_set(r, pos, idx);
}

static void heap_remove(struct rstate *r, uint32_t idx)
{
	uint32_t pos = r->keys[idx].heap_pos;
	if (!pos)
		return;
	r->keys[idx].heap_pos = 0;
	uint32_t last = r->heap[r->heap_len--];
	if (pos > r->heap_len)
		return;
	heap_set(r, pos, last);
	heap_up(r, pos);
	heap_down(r, r->keys[last].heap_pos);
}

static void heap_update(struct rstate *r, uint32_t idx, int64_t wake)
{
	struct ww_key *k = &r->keys[idx];
	if (wake == INT64_MAX) {
		heap_remove(r, idx);
		return;
	}
	k->wake = wake;
	if (k->heap_pos) {
		heap_up(r, k->heap_pos);
		heap_down(r, r->keys[idx].heap_pos);
		return;
	}
	if (r->heap_len + 1 >= r->heap_cap) {
		r->heap_cap = r->heap_cap ? r->heap_cap * 2 : 64;
		r->heap = ward_xrealloc(r->heap, r->heap_cap * sizeof(*r->heap));
	}
	r->heap_len++;
	heap_set(r, r->heap_len, idx);
	heap_up(r, r->heap_len);
}

/* ---- dirty FIFO ---- */

static void dirty_push(struct rstate *r, uint32_t idx, int64_t ts)
{
	if (r->dirty_len == r->dirty_cap) {
		uint32_t ncap = r->dirty_cap ? r->dirty_cap * 2 : 256;
		struct dirty_ent *n = ward_xmalloc(ncap * sizeof(*n));
		for (uint32_t i = 0; i < r->dirty_len; i++)
			n[i] = r->dirty[(r->dirty_head + i) & (r->dirty_cap - 1)];
		free(r->dirty);
		r->dirty = n;
		r->dirty_cap = ncap;
		r->dirty_head = 0;
	}
	struct dirty_ent *d = &r->dirty[(r->dirty_head + r->dirty_len) & (r->dirty_cap - 1)];
	d->idx = idx;
	d->gen = r->keys[idx].gen;
	d->ts = ts;
	r->dirty_len++;
	r->keys[idx].dirty = 1;
}

/* ---- the key table ---- */

static void table_rehash(struct rstate *r, uint32_t ncap)
{
	struct kslot *ns = ward_xcalloc(ncap, sizeof(*ns));
	for (uint32_t i = 0; i < r->slots_cap; i++) {
		if (!r->slots[i].idx)
			continue;
		uint32_t j = r->slots[i].tag & (ncap - 1);
		while (ns[j].idx)
			j = (j + 1) & (ncap - 1);
		ns[j] = r->slots[i];
	}
	free(r->slots);
	r->slots = ns;
	r->slots_cap = ncap;
}

static uint32_t table_find(const struct rstate *r, uint64_t h, const char *kb, uint32_t klen,
			   uint32_t *slot)
{
	uint32_t mask = r->slots_cap - 1, tag = (uint32_t)h;
	for (uint32_t i = (uint32_t)h & mask;; i = (i + 1) & mask) {
		uint32_t idx = r->slots[i].idx;
		if (!idx) {
			*slot = i;
			return 0;
		}
		if (r->slots[i].tag != tag)
			continue;
		const struct ww_key *k = &r->keys[idx];
		if (k->hash == h && k->klen == klen && memcmp(key_bytes(k), kb, klen) == 0) {
			*slot = i;
			return idx;
		}
	}
}

static void table_delete(struct rstate *r, uint32_t idx)
{
	uint32_t slot;
	const struct ww_key *k = &r->keys[idx];
	if (table_find(r, k->hash, key_bytes(k), k->klen, &slot) != idx)
		return;
	uint32_t mask = r->slots_cap - 1, i = slot, j = slot;
	for (;;) {
		j = (j + 1) & mask;
		uint32_t jdx = r->slots[j].idx;
		if (!jdx)
			break;
		uint32_t home = r->slots[j].tag & mask;
		bool in_range = (i <= j) ? (home > i && home <= j) : (home > i || home <= j);
		if (!in_range) {
			r->slots[i] = r->slots[j];
			i = j;
		}
	}
	r->slots[i].idx = 0;
	r->slots[i].tag = 0;
	r->used--;
}

static void key_release(struct ww_engine *e, struct rstate *r, uint32_t idx)
{
	struct ww_key *k = &r->keys[idx];
	table_delete(r, idx);
	heap_remove(r, idx);
	win_free(&k->win);
	if (k->win2) {
		win_free(k->win2);
		free(k->win2);
	}
	free(k->kbuf);
	free(k->an);
	if (k->evid) {
		for (int i = 0; i < MAX_EVIDENCE; i++)
			free(k->evid->line[i]);
		free(k->evid);
	}
	uint32_t gen = k->gen + 1;
	memset(k, 0, sizeof(*k));
	k->gen = gen;
	k->free_next = r->free_head;
	r->free_head = idx;
	e->st.keys--;
}

static uint32_t key_alloc(struct rstate *r, size_t max_keys)
{
	if (!r->free_head) {
		uint32_t old = r->nkeys_cap;
		uint32_t ncap = old ? old * 2 : 64;
		if (ncap > max_keys + 1 && max_keys + 1 > old)
			ncap = (uint32_t)max_keys + 1;	/* index 0 is unused */
		r->keys = ward_xrealloc(r->keys, (size_t)ncap * sizeof(*r->keys));
		memset(&r->keys[old], 0, (size_t)(ncap - old) * sizeof(*r->keys));
		for (uint32_t i = ncap - 1; i >= (old ? old : 1); i--) {
			r->keys[i].free_next = r->free_head;
			r->free_head = i;
		}
		r->nkeys_cap = ncap;
	}
	uint32_t idx = r->free_head;
	r->free_head = r->keys[idx].free_next;
	r->keys[idx].free_next = 0;
	return idx;
}

/* ---- emission ---- */

static void decode_key(struct ww_engine *e, const struct rstate *r, const struct ww_key *k,
		       struct ww_alert *a)
{
	const struct ww_rule *rule = r->rule;
	const unsigned char *p = (const unsigned char *)key_bytes(k), *end = p + k->klen;
	size_t n = 0;
	buf_reset(&e->kdec);
	/* values live in kbuf; names for by() come from the rule, others are
	 * encoded in the key; copy values NUL-terminated into kdec */
	size_t offs[64], noffs = 0;
	while (p + 2 <= end && n < 64) {
		if (rule->group_mode == WW_GROUP_BY) {
			if (n >= rule->ngroup)
				break;
			e->knames[n] = rule->group[n];
		} else {
			size_t nl = (size_t)p[0] << 8 | p[1];
			p += 2;
			offs[noffs++] = e->kdec.len;
			buf_append(&e->kdec, p, nl);
			buf_append_char(&e->kdec, '\0');
			p += nl;
			if (p + 2 > end)
				break;
		}
		size_t vl = (size_t)p[0] << 8 | p[1];
		p += 2;
		offs[noffs++] = e->kdec.len;
		buf_append(&e->kdec, p, vl);
		buf_append_char(&e->kdec, '\0');
		e->klens[n] = vl;
		p += vl;
		n++;
	}
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (rule->group_mode != WW_GROUP_BY)
			e->knames[i] = e->kdec.data + offs[o++];
		e->kvals[i] = e->kdec.data + offs[o++];
	}
	a->nkey = n;
	a->key_names = e->knames;
	a->key_vals = e->kvals;
	a->key_lens = e->klens;
}

static void emit_full(struct ww_engine *e, const struct rstate *r, const struct ww_key *k,
		      enum ww_state st, int64_t at, double value, bool series, double score,
		      bool renotify)
{
	struct ww_alert a;
	memset(&a, 0, sizeof(a));
	a.rule = r->rule;
	a.state = st;
	a.series = series;
	a.renotify = renotify;
	a.at = at;
	a.value = value;
	a.first = k->episode_first != INT64_MIN ? k->episode_first : win_oldest(&k->win);
	a.last = win_newest(&k->win);
	a.count = win_count(&k->win);
	if (r->rule->kind == WW_KIND_ANOMALY) {
		a.count = k->an->bucket_count;
		a.baseline = k->an->mean;
		a.score = score;
	}
	decode_key(e, r, k, &a);
	if (k->evid && !series) {
		const struct ww_evidence *ev = k->evid;
		unsigned cap = e->o.evidence, m = 0;
		for (unsigned i = 0; i < ev->n; i++) {
			unsigned s = (ev->head + cap - ev->n + i) % cap;
			if (ev->ts[s] > at)	/* read ahead of the transition */
				continue;
			e->elines[m] = ev->line[s];
			e->elens[m++] = ev->len[s];
		}
		a.nevidence = m;
		a.evidence = e->elines;
		a.evidence_lens = e->elens;
	}
	if (series)
		e->st.series++;
	else
		e->st.alerts++;
	e->emit(e->emit_ctx, &a);
}

static void emit(struct ww_engine *e, const struct rstate *r, const struct ww_key *k,
		 enum ww_state st, int64_t at, double value, bool series)
{
	emit_full(e, r, k, st, at, value, series, 0, false);
}

static void emit_anomaly(struct ww_engine *e, const struct rstate *r, const struct ww_key *k,
			 enum ww_state st, int64_t at, double x, double score)
{
	emit_full(e, r, k, st, at, x, false, score, false);
}

/* ---- lifecycle (lifecycle.h) ---- */

struct life_ctx {
	struct ww_engine *e;
	const struct rstate *r;
	struct ww_key *k;
};

static void on_life(void *ctx, const struct ww_life_ev *ev)
{
	struct life_ctx *c = ctx;
	emit_full(c->e, c->r, c->k, ev->state, ev->at, ev->value, false, 0, ev->renotify);
	if (ev->state == WW_RESOLVED)
		c->k->episode_first = INT64_MIN;
}

static struct ww_life_params life_params(const struct ww_rule *rule)
{
	return (struct ww_life_params){ .for_ns = rule->for_ns, .keep_ns = rule->keep_ns,
					.renotify_ns = rule->renotify_ns };
}

/* Deadlines (for, keep_firing_for, renotify) strictly before limit. */
static void run_timers(struct ww_engine *e, struct rstate *r, struct ww_key *k, int64_t limit)
{
	if (k->life.state == WW_INACTIVE)
		return;
	const struct ww_life_params p = life_params(r->rule);
	struct life_ctx c = { e, r, k };
	lifecycle_timers(&k->life, &p, limit, on_life, &c);
}

static inline void transition(struct ww_engine *e, struct rstate *r, struct ww_key *k, int64_t c,
			      bool cond, double v)
{
	if (k->life.state == WW_INACTIVE) {
		if (!cond)
			return;
		k->episode_first = win_oldest(&k->win);
	}
	const struct ww_life_params p = life_params(r->rule);
	struct life_ctx lc = { e, r, k };
	lifecycle_judge(&k->life, &p, c, cond, v, on_life, &lc);
	if (k->life.state == WW_INACTIVE)
		k->episode_first = INT64_MIN;
}

static bool side(struct ww_engine *e, const struct ww_rule *rule, const struct ww_win *w,
		 double *value, bool *has)
{
	double v = 0;
	*has = win_value(w, rule, &e->scratch, &v);
	*value = v;
	return rule_side_holds(rule, *has, v, value);
}

/* Rules with arithmetic (rstate.arith): each side's value goes through its
 * scalar operations before its comparison; `lhs OP rhs` (WW_SET_ARITH)
 * combines the two values, then the rule's comparison judges the result.
 * *va receives the left value (the series value of a single rule). */
static bool arith_holds(struct ww_engine *e, const struct ww_rule *rule, const struct ww_key *k,
			double *va, double *v, bool *plot)
{
	double vb = 0;
	*va = 0;
	bool ha = win_value(&k->win, rule, &e->scratch, va);
	*va = rule_xform_apply(rule->xf, rule->nxf, *va);
	*v = *va;	/* the value when the comparison fails (a resolution's) */
	*plot = ha;
	if (!rule->rhs)
		return rule_side_holds(rule, ha, *va, v);
	bool hb = win_value(k->win2, rule->rhs, &e->scratch, &vb);
	vb = rule_xform_apply(rule->rhs->xf, rule->rhs->nxf, vb);
	bool cond;
	if (rule->setop == WW_SET_ARITH) {
		cond = rule_arith_holds(rule, ha, *va, hb, vb, v);
	} else {
		bool pa = rule_side_holds(rule, ha, *va, va), pb = rule_side_holds(rule->rhs, hb, vb, &vb);
		cond = rule->setop == WW_SET_AND ? pa && pb : rule->setop == WW_SET_OR ? pa || pb : pa && !pb;
		*v = rule->setop == WW_SET_OR && !pa ? vb : *va;
	}
	*plot = cond;
	return cond;
}

/* Rules with arithmetic, apart so that the others' path stays as it was. */
static void evaluate_arith(struct ww_engine *e, struct rstate *r, struct ww_key *k, int64_t c)
{
	const struct ww_rule *rule = r->rule;
	double va, v;
	bool plot;
	bool cond = arith_holds(e, rule, k, &va, &v, &plot);
	if (plot && e->o.emit_series)
		emit(e, r, k, WW_INACTIVE, c, rule->rhs || rule->bool_result ? v : va, true);
	transition(e, r, k, c, cond, v);
}

static void evaluate(struct ww_engine *e, struct rstate *r, struct ww_key *k, int64_t c)
{
	const struct ww_rule *rule = r->rule;
	if (r->arith) {
		evaluate_arith(e, r, k, c);
		return;
	}
	double va, vb = 0;
	bool has_a, has_b = false;
	bool pa = side(e, rule, &k->win, &va, &has_a), pb = false;
	if (rule->rhs)
		pb = side(e, rule->rhs, k->win2, &vb, &has_b);
	bool cond = pa;
	double v = va;
	switch (rule->setop) {
	case WW_SET_AND: cond = pa && pb; break;
	case WW_SET_OR: cond = pa || pb; v = pa ? va : vb; break;
	case WW_SET_UNLESS: cond = pa && !pb; break;
	case WW_SET_NONE: case WW_SET_ARITH: break;
	}
	bool plot = rule->rhs ? cond : has_a;
	if (plot && e->o.emit_series)
		emit(e, r, k, WW_INACTIVE, c, rule->rhs || rule->bool_result ? v : va, true);
	transition(e, r, k, c, cond, v);
}

/* At the end of input time runs on to here, not forever: far enough for
 * every window to drain and a last `for` to elapse (absent_over_time would
 * otherwise renotify without end). */
static int64_t end_horizon(const struct ww_engine *e, const struct ww_rule *rule)
{
	int64_t h = e->max_t, add[4] = { rule->range_ns, rule->for_ns, rule->keep_ns, 1 };
	if (rule->rhs && rule->rhs->range_ns > add[0])
		add[0] = rule->rhs->range_ns;
	for (int i = 0; i < 4; i++)
		h = h > INT64_MAX - add[i] ? INT64_MAX - 1 : h + add[i];
	return h;
}

/* Process every change point of the key before T, in time order. */
static void advance_threshold(struct ww_engine *e, struct rstate *r, struct ww_key *k, int64_t T)
{
	const struct ww_rule *rule = r->rule;
	for (;;) {
		int64_t c = min64(win_next_apply(&k->win), win_next_expiry(&k->win, rule->range_ns));
		if (k->win2)
			c = min64(c, min64(win_next_apply(k->win2),
					   win_next_expiry(k->win2, rule->rhs->range_ns)));
		if (k->check_at < c)
			c = k->check_at;
		int64_t limit = c < T ? c : T;
		if (limit == INT64_MAX)
			limit = end_horizon(e, rule);
		run_timers(e, r, k, limit);
		if (c >= T)
			break;
		if (r->quiet_fall && k->life.state == WW_INACTIVE && k->check_at == INT64_MAX &&
		    c < win_next_apply(&k->win)) {
			/* only samples leave before the next one enters: the value
			 * falls and cannot cross (rstate.quiet_fall); judge at once
			 * after all of them, where the next sample enters or at T */
			int64_t na = win_next_apply(&k->win);
			win_advance(&k->win, rule->fn, (na < T ? na : T) - 1, rule->range_ns);
			continue;
		}
		if (k->check_at == c)
			k->check_at = INT64_MAX;
		win_advance(&k->win, rule->fn, c, rule->range_ns);
		if (k->win2)
			win_advance(k->win2, rule->rhs->fn, c, rule->rhs->range_ns);
		evaluate(e, r, k, c);
	}
}

/* ---- anomaly rules: bucket counts against an EWMA baseline ---- */

static double anomaly_score(const struct ww_rule *rule, const struct ww_key *k, double x)
{
	if (rule->use_mad)
		return (x - k->an->mean) / (1.4826 * k->an->dev + 1.0);
	return (x - k->an->mean) / (sqrt(k->an->dev) + 1.0);
}

static void anomaly_close(struct ww_engine *e, struct rstate *r, struct ww_key *k)
{
	const struct ww_rule *rule = r->rule;
	double x = (double)k->an->bucket_count;
	int64_t end = (k->an->bucket + 1) * rule->step_ns;
	if (k->an->buckets_seen >= rule->warmup) {
		double score = anomaly_score(rule, k, x);
		bool cond = score > rule->threshold;
		if (cond && k->life.state != WW_FIRING) {
			k->life.value = x;
			k->life.since = end;
			emit_anomaly(e, r, k, WW_FIRING, end, x, score);
			k->life.state = WW_FIRING;
			k->life.notified = end;
		} else if (!cond && k->life.state == WW_FIRING) {
			emit_anomaly(e, r, k, WW_RESOLVED, end, x, score);
			k->life.state = WW_INACTIVE;
		}
	}
	if (e->o.emit_series)
		emit(e, r, k, WW_INACTIVE, end, x, true);
	double a = rule->alpha, d = x - k->an->mean;
	if (k->an->buckets_seen == 0) {
		k->an->mean = x;
		k->an->dev = 0;
	} else if (rule->use_mad) {
		k->an->mean += a * d;
		k->an->dev = (1 - a) * k->an->dev + a * fabs(d);
	} else {
		k->an->mean += a * d;
		k->an->dev = (1 - a) * (k->an->dev + a * d * d);
	}
	k->an->buckets_seen++;
	k->an->bucket++;
	k->an->bucket_count = 0;
}

static void advance_anomaly(struct ww_engine *e, struct rstate *r, struct ww_key *k, int64_t T)
{
	const struct ww_rule *rule = r->rule;
	if (T == INT64_MAX)	/* end of input: close the bucket of the last event */
		T = (e->max_t / rule->step_ns + 1) * rule->step_ns;
	for (;;) {
		int64_t next_ts = win_next_apply(&k->win);
		int64_t bucket_end = (k->an->bucket + 1) * rule->step_ns;
		if (next_ts < T && next_ts < bucket_end) {
			win_advance(&k->win, WW_FN_COUNT, next_ts, INT64_MAX / 2);
			k->an->bucket_count = win_count(&k->win);
			continue;
		}
		if (bucket_end > T)
			break;
		int64_t upto = next_ts < T ? next_ts : T - 1;
		if (k->an->bucket_count == 0 && upto / rule->step_ns - k->an->bucket > ANOMALY_MAX_GAP) {
			/* a long silence: skip it, keeping the old baseline */
			k->an->bucket = upto / rule->step_ns;
			continue;
		}
		win_advance(&k->win, WW_FN_COUNT, bucket_end - 1, 0);
		anomaly_close(e, r, k);
		if (k->life.state == WW_INACTIVE && win_empty(&k->win) && k->an->mean < 1e-3)
			break;
	}
}

/* ---- per key driver ---- */

static bool key_idle(const struct rstate *r, const struct ww_key *k)
{
	if (k->life.state != WW_INACTIVE || !key_empty(k) || k->dirty)
		return false;
	if (r->rule->kind == WW_KIND_ANOMALY)
		return k->an->mean < 1e-3;
	return r->rule->fn != WW_FN_ABSENT;
}

static int64_t key_wake(const struct rstate *r, const struct ww_key *k)
{
	const struct ww_rule *rule = r->rule;
	int64_t w = INT64_MAX;
	if (rule->kind == WW_KIND_ANOMALY)
		return k->an->buckets_seen > 0 || !win_empty(&k->win) ? (k->an->bucket + 1) * rule->step_ns : w;
	if (k->life.state != WW_INACTIVE || r->wake_on_expiry) {
		w = win_next_expiry(&k->win, rule->range_ns);
		if (k->win2)
			w = min64(w, win_next_expiry(k->win2, rule->rhs->range_ns));
	}
	if (k->check_at < w)
		w = k->check_at;
	const struct ww_life_params p = life_params(rule);
	int64_t d = lifecycle_next_deadline(&k->life, &p);
	if (d < w)
		w = d;
	return w;
}

static void advance_key(struct ww_engine *e, struct rstate *r, uint32_t idx, int64_t T)
{
	struct ww_key *k = &r->keys[idx];
	if (r->rule->kind == WW_KIND_ANOMALY)
		advance_anomaly(e, r, k, T);
	else
		advance_threshold(e, r, k, T);
	if (k->dirty && key_next_apply(k) == INT64_MAX)
		k->dirty = 0;
	if (key_idle(r, k)) {
		key_release(e, r, idx);
		return;
	}
	heap_update(r, idx, key_wake(r, k));
}

/* ---- eviction ---- */

static double distance_from_firing(const struct rstate *r, const struct ww_key *k)
{
	const struct ww_rule *rule = r->rule;
	if (rule->kind == WW_KIND_ANOMALY)
		return -(double)k->an->buckets_seen;
	double v = (double)win_count(&k->win);
	if (rule->fn != WW_FN_COUNT && rule->fn != WW_FN_RATE)
		v = k->life.value;
	return fabs(rule->threshold - v);
}

/* Candidates are the next live keys after the sweep cursor: no list is
 * kept in recency order, which would cost cache misses on every event. */
static void evict_one(struct ww_engine *e, struct rstate *r)
{
	uint32_t best = 0, first = 0, idx = r->sweep;
	double best_d = -INFINITY;
	for (uint32_t seen = 0, scanned = 0; seen < EVICT_CANDIDATES && scanned < r->nkeys_cap;
	     scanned++) {
		idx = idx + 1 < r->nkeys_cap ? idx + 1 : 1;
		const struct ww_key *k = &r->keys[idx];
		if (!k->live)
			continue;
		seen++;
		if (!first)
			first = idx;
		if (k->life.state != WW_INACTIVE)
			continue;
		double d = distance_from_firing(r, k);
		if (d > best_d) {
			best_d = d;
			best = idx;
		}
	}
	r->sweep = idx;
	if (!best) {
		best = first;
		e->st.evicted_active++;
	}
	e->st.evicted++;
	r->keys[best].dirty = 0;	/* its FIFO entry dies with the generation */
	key_release(e, r, best);
}

static struct rstate *rule_with_most_keys(struct ww_engine *e)
{
	struct rstate *m = &e->rs[0];
	for (size_t i = 1; i < e->nrules; i++)
		if (e->rs[i].used > m->used)
			m = &e->rs[i];
	return m;
}

/* ---- key lookup from an event ---- */

/* The encoded by() key of ev into b; true when a by() label was absent. */
static bool encode_by(struct ward_buf *b, const struct ww_rule *rule, const struct ward_event *ev)
{
	bool missing = false;
	buf_reset(b);
	for (size_t i = 0; i < rule->ngroup; i++) {
		const struct ward_kv *kv = event_lookup(ev, rule->group[i]);
		if (!kv)
			missing = true;
		serieskey_put(b, kv ? kv->val : "", kv ? kv->val_len : 0);
	}
	return missing;
}

/* The key engine_prefetch_slot encoded for rule r, into keybuf (hint_exact). */
static bool hinted_key(struct ww_engine *e, const struct rstate *r)
{
	const struct ww_hint *h = e->hint;
	for (unsigned n = 0; h && n < h->n; n++) {
		if (&e->rs[h->rule[n]] != r || h->klen[n] == UINT8_MAX)
			continue;
		buf_reset(&e->keybuf);
		buf_append(&e->keybuf, h->kb[n], h->klen[n]);
		if (h->missing[n])
			e->st.key_missing++;
		return true;
	}
	return false;
}

static void encode_key(struct ww_engine *e, const struct ww_rule *rule, const struct ward_event *ev)
{
	buf_reset(&e->keybuf);
	if (rule->fn == WW_FN_ABSENT)
		return;		/* one series per rule: absence has no labels */
	if (rule->group_mode != WW_GROUP_BY) {
		serieskey_put_all(&e->keybuf, rule, ev);
		return;
	}
	if (encode_by(&e->keybuf, rule, ev))
		e->st.key_missing++;
}

/* The key's hash: engine_prefetch_slot computed it already when the
 * event's fields cannot have changed since (hint_exact). */
static uint64_t key_hash(const struct ww_engine *e, const struct rstate *r, const char *kb,
			 uint32_t klen)
{
	const struct ww_hint *h = e->hint;
	for (unsigned n = 0; h && n < h->n; n++)
		if (&e->rs[h->rule[n]] == r)
			return h->hash[n];
	return ww_hash(kb, klen);
}

static uint32_t key_get(struct ww_engine *e, struct rstate *r, int64_t t)
{
	const char *kb = e->keybuf.data ? e->keybuf.data : "";
	uint32_t klen = (uint32_t)e->keybuf.len;
	uint64_t h = key_hash(e, r, kb, klen);
	if (r->slots_cap == 0)
		table_rehash(r, 64);
	uint32_t slot;
	uint32_t idx = table_find(r, h, kb, klen, &slot);
	if (idx)
		return idx;
	while (e->st.keys >= e->o.max_keys) {
		struct rstate *victim = r->used ? r : rule_with_most_keys(e);
		if (!victim->used && steps_evict(e->steps))
			continue;	/* every key held is a step rule's */
		evict_one(e, victim);
	}
	if ((r->used + 1) * 2 > r->slots_cap)
		table_rehash(r, r->slots_cap * 2);
	table_find(r, h, kb, klen, &slot);	/* slots may have moved */
	idx = key_alloc(r, e->o.max_keys);
	struct ww_key *k = &r->keys[idx];
	uint32_t gen = k->gen;
	memset(k, 0, sizeof(*k));
	k->gen = gen;
	k->hash = h;
	k->klen = klen;
	k->kbuf = klen <= KEY_INLINE ? NULL : ward_xmalloc(klen);
	memcpy(key_bytes(k), kb, klen);
	win_init(&k->win);
	if (r->rule->rhs) {
		k->win2 = ward_xmalloc(sizeof(*k->win2));
		win_init(k->win2);
	}
	k->episode_first = INT64_MIN;
	k->check_at = INT64_MAX;
	k->live = 1;
	if (r->rule->kind == WW_KIND_ANOMALY) {
		k->an = ward_xcalloc(1, sizeof(*k->an));
		k->an->bucket = t / r->rule->step_ns - (t < 0 && t % r->rule->step_ns ? 1 : 0);
	}
	r->slots[slot].idx = idx;
	r->slots[slot].tag = (uint32_t)h;
	r->used++;
	if (++e->st.keys > e->st.keys_peak)
		e->st.keys_peak = e->st.keys;
	return idx;
}

/* ---- values ---- */

static int unwrap_value(const struct ww_rule *rule, const struct ward_event *ev, double *out)
{
	const struct ward_kv *kv = event_lookup(ev, rule->unwrap);
	if (!kv || kv->val_len == 0 || kv->val_len > 64)
		return -1;
	if (rule->conv == WW_CONV_DURATION)
		return logql_parse_duration_seconds(kv->val, kv->val_len, out);
	if (rule->conv == WW_CONV_BYTES)
		return logql_parse_bytes(kv->val, kv->val_len, out);
	char tmp[72];
	memcpy(tmp, kv->val, kv->val_len);
	tmp[kv->val_len] = '\0';
	char *end;
	errno = 0;
	double v = strtod(tmp, &end);
	if (end == tmp || *end != '\0' || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

static void evidence_add(struct ww_engine *e, struct ww_key *k, const struct ward_event *ev,
			 int64_t t)
{
	if (!k->evid)
		k->evid = ward_xcalloc(1, sizeof(*k->evid));
	struct ww_evidence *d = k->evid;
	unsigned s = d->head;
	size_t n = ev->line_len > EVIDENCE_LINE_MAX ? EVIDENCE_LINE_MAX : ev->line_len;
	if (d->cap[s] < n + 1) {
		free(d->line[s]);
		d->line[s] = ward_xmalloc(n + 1);
		d->cap[s] = (uint16_t)(n + 1);
	}
	memcpy(d->line[s], ev->line ? ev->line : "", n);
	d->line[s][n] = '\0';
	d->len[s] = (uint16_t)n;
	d->ts[s] = t;
	d->head = (uint8_t)((s + 1) % e->o.evidence);
	if (d->n < e->o.evidence)
		d->n++;
}

static int event_part(const struct ward_event *ev)
{
	struct json_object *p = event_get_extra(ev, "rule_part");
	return p ? json_object_get_int(p) : 0;
}

/* A rule that takes every event counts an input line once, however many
 * rules ward-match tagged it with (lineonce.h); one that selects by rule
 * name sees that rule's event only. */
static bool rule_selects(const struct ww_engine *e, const struct ww_rule *rule,
			 struct ward_event *ev)
{
	if (e->repeat && !rule->match_rule)
		return false;
	if (rule->match_rule && (!ev->rule || strcmp(ev->rule, rule->match_rule) != 0))
		return false;
	if (rule->match_rule && rule->part >= 0 && event_part(ev) != rule->part)
		return false;
	if (rule->select_fn && !rule->select_fn(rule->select_ctx, ev))
		return false;
	return true;
}

/* The sample one side of a rule takes from an event; false if the event
 * has no usable value for it (counted). */
static inline bool sample_of(struct ww_engine *e, const struct ww_rule *rule, const struct ward_event *ev,
		      double *v, uint64_t *h)
{
	*v = 1;
	*h = 0;
	if (rule->unwrap && unwrap_value(rule, ev, v) != 0) {
		e->st.unwrap_errors++;
		return false;
	}
	if (rule->fn == WW_FN_BYTES || rule->fn == WW_FN_BYTES_RATE)
		*v = (double)ev->line_len;
	if (rule->fn == WW_FN_DISTINCT) {
		const struct ward_kv *kv = event_lookup(ev, rule->distinct);
		if (!kv) {
			e->st.key_missing++;
			return false;
		}
		*h = ww_hash(kv->val, kv->val_len);
	}
	return true;
}

/* Evidence lines cost memory per key: under a rising threshold they are
 * kept only once a key holds half the events it needs to fire, so a flood
 * of one-event keys (spoofed sources) stores no text. */
static bool worth_evidence(const struct ww_rule *rule, const struct ww_win *w)
{
	if (rule->kind != WW_KIND_THRESHOLD || rule->bool_result ||
	    (rule->op != WW_OP_GT && rule->op != WW_OP_GE) ||
	    (rule->fn != WW_FN_COUNT && rule->fn != WW_FN_DISTINCT))
		return true;
	double held = (double)(win_count(w) + (w->len - w->applied));
	return held * 2 >= rule->threshold;
}

/* side 0: the rule, side 1: its right-hand rule. */
static void feed_rule(struct ww_engine *e, struct rstate *r, struct ward_event *ev, int64_t t,
		      int which)
{
	const struct ww_rule *rule = which ? r->rule->rhs : r->rule;
	double v;
	uint64_t h;
	if (!sample_of(e, rule, ev, &v, &h))
		return;
	if (which || !hinted_key(e, r))
		encode_key(e, r->rule, ev);
	uint32_t idx = key_get(e, r, t);
	struct ww_key *k = &r->keys[idx];
	struct ww_win *w = which ? k->win2 : &k->win;
	win_insert(w, rule->kind == WW_KIND_ANOMALY ? WW_FN_COUNT : rule->fn, t, v, h);
	if (e->o.evidence && worth_evidence(rule, w))
		evidence_add(e, k, ev, t);
	if (!k->dirty)
		dirty_push(r, idx, t);
	if (r->eager && e->eager_ok && k->life.state == WW_INACTIVE && t < INT64_MAX) {
		/* judge instant t now (engine.h), but only for a crossing: the
		 * instants before t are complete and may fire it already; an
		 * alert firing at t is judged (and resolved) with all of t's
		 * events, once the watermark passes t */
		advance_key(e, r, idx, t);
		k = &r->keys[idx];
		if (k->live && k->life.state == WW_INACTIVE)
			advance_key(e, r, idx, t + 1);
	}
}

/* Both sides of and/or/unless see the event as it came: the right side
 * runs on a copy, so the left side's pipeline cannot change what it sees. */
static bool feed_compound(struct ww_engine *e, struct rstate *r, struct ward_event *ev, int64_t t)
{
	event_copy(&e->side_ev, ev);
	bool a = rule_selects(e, r->rule, ev);
	bool b = rule_selects(e, r->rule->rhs, &e->side_ev);
	if (a)
		feed_rule(e, r, ev, t, 0);
	if (b)
		feed_rule(e, r, &e->side_ev, t, 1);
	return a || b;
}

/* ---- software pipelining (engine.h): read-only prefetches ---- */

static void prefetch_lines(const void *p, size_t n)
{
	const char *c = p;
	for (size_t off = 0; off < n; off += 64)
		__builtin_prefetch(c + off, 1, 3);
	__builtin_prefetch(c + n - 1, 1, 3);
}

void engine_prefetch_slot(struct ww_engine *e, const struct ward_event *ev, struct ww_hint *h)
{
	h->n = 0;
	for (size_t i = 0; i < e->nrules && h->n < WW_HINT_RULES; i++) {
		const struct rstate *r = &e->rs[i];
		const struct ww_rule *rule = r->rule;
		/* only keys the event already names: a select hook may add fields */
		if (!r->slots_cap || rule->rhs || rule->select_fn || rule->fn == WW_FN_ABSENT ||
		    rule->group_mode != WW_GROUP_BY || rule->kind == WW_KIND_ANOMALY)
			continue;
		if (rule->match_rule && (!ev->rule || strcmp(ev->rule, rule->match_rule) != 0))
			continue;
		bool missing = encode_by(&e->pfbuf, rule, ev);
		uint64_t hash = ww_hash(e->pfbuf.data ? e->pfbuf.data : "", e->pfbuf.len);
		h->rule[h->n] = (uint16_t)i;
		h->hash[h->n] = hash;
		h->missing[h->n] = missing;
		h->klen[h->n] = UINT8_MAX;
		if (e->pfbuf.len <= WW_HINT_KEY) {
			h->klen[h->n] = (uint8_t)e->pfbuf.len;
			if (e->pfbuf.len)
				memcpy(h->kb[h->n], e->pfbuf.data, e->pfbuf.len);
		}
		h->idx[h->n] = 0;
		h->n++;
		__builtin_prefetch(&r->slots[(uint32_t)hash & (r->slots_cap - 1)], 0, 3);
	}
}

void engine_prefetch_key(struct ww_engine *e, struct ww_hint *h)
{
	for (unsigned n = 0; n < h->n; n++) {
		const struct rstate *r = &e->rs[h->rule[n]];
		uint32_t mask = r->slots_cap - 1, tag = (uint32_t)h->hash[n];
		uint32_t i = (uint32_t)h->hash[n] & mask;
		for (int probe = 0; probe < 4 && r->slots[i].idx; probe++, i = (i + 1) & mask) {
			if (r->slots[i].tag == tag && r->slots[i].idx < r->nkeys_cap) {
				h->idx[n] = r->slots[i].idx;
				prefetch_lines(&r->keys[h->idx[n]], sizeof(struct ww_key));
				break;
			}
		}
	}
}

void engine_prefetch_ring(const struct ww_engine *e, const struct ww_hint *h)
{
	for (unsigned n = 0; n < h->n; n++) {
		const struct rstate *r = &e->rs[h->rule[n]];
		if (!h->idx[n] || h->idx[n] >= r->nkeys_cap)
			continue;
		const struct ww_win *w = &r->keys[h->idx[n]].win;
		if (!w->buf || !w->len)
			continue;
		__builtin_prefetch(&w->buf[w->head], 1, 3);
		__builtin_prefetch(&w->buf[(w->head + w->len - 1) & (w->cap - 1)], 1, 3);
	}
}

/* ---- the watermark ---- */

static void process_rule(struct ww_engine *e, struct rstate *r, int64_t W)
{
	while (r->dirty_len) {
		struct dirty_ent d = r->dirty[r->dirty_head];
		if (d.gen == r->keys[d.idx].gen && d.ts >= W)
			break;
		r->dirty_head = (r->dirty_head + 1) & (r->dirty_cap - 1);
		r->dirty_len--;
		if (d.gen != r->keys[d.idx].gen || !r->keys[d.idx].live)
			continue;
		r->keys[d.idx].dirty = 0;
		advance_key(e, r, d.idx, W);
		struct ww_key *k = &r->keys[d.idx];
		if (k->live && k->gen == d.gen && !k->dirty && key_next_apply(k) != INT64_MAX)
			dirty_push(r, d.idx, key_next_apply(k));
	}
	while (r->heap_len && r->keys[r->heap[1]].wake < W) {
		uint32_t idx = r->heap[1];
		advance_key(e, r, idx, W);
		if (r->heap_len && r->heap[1] == idx && r->keys[idx].wake < W)
			heap_remove(r, idx);	/* nothing more before W (capped end) */
	}
	/* free keys whose every event has left the window: a cursor visits a
	 * few key slots per call, so every key is seen within a bounded time */
	for (int i = 0; i < SWEEP_PER_CALL && r->nkeys_cap > 1; i++) {
		uint32_t idx = r->sweep = r->sweep + 1 < r->nkeys_cap ? r->sweep + 1 : 1;
		struct ww_key *k = &r->keys[idx];
		/* the keys the cursor reaches a few events from now: at 100,000
		 * keys they are out of the cache */
		uint32_t ahead = idx + SWEEP_AHEAD < r->nkeys_cap ? idx + SWEEP_AHEAD
								   : idx + SWEEP_AHEAD - r->nkeys_cap + 1;
		if (ahead < r->nkeys_cap) {
			__builtin_prefetch(&r->keys[ahead].live, 0, 3);
			__builtin_prefetch(&r->keys[ahead].win.latest, 0, 3);
		}
		if (!k->live || k->dirty || k->life.state != WW_INACTIVE || k->heap_pos ||
		    r->rule->kind == WW_KIND_ANOMALY || r->rule->fn == WW_FN_ABSENT)
			continue;
		int64_t latest = win_latest(&k->win), range = r->rule->range_ns;
		if (k->win2) {
			latest = win_latest(k->win2) > latest ? win_latest(k->win2) : latest;
			range = r->rule->rhs->range_ns > range ? r->rule->rhs->range_ns : range;
		}
		if (latest == INT64_MIN || latest <= W - 1 - range)
			advance_key(e, r, idx, W);
	}
}

void engine_advance(struct ww_engine *e, int64_t w)
{
	if (w <= e->watermark)
		return;
	e->watermark = w;
	if (w > e->wm.current)
		e->wm.current = w;	/* idle input, arrival time: evaluated is final */
	for (size_t i = 0; i < e->nrules; i++)
		process_rule(e, &e->rs[i], w);
	if (e->steps)
		steps_advance(e->steps, w);
}

/* absent_over_time has one series per rule, present from the start. */
static void start_absent(struct ww_engine *e, int64_t t)
{
	for (size_t i = 0; i < e->nrules; i++) {
		struct rstate *r = &e->rs[i];
		if (r->rule->fn != WW_FN_ABSENT || r->used)
			continue;
		buf_reset(&e->keybuf);
		uint32_t idx = key_get(e, r, t);
		/* no judgement before one full window has been seen */
		r->keys[idx].check_at = t + r->rule->range_ns;
		heap_update(r, idx, r->keys[idx].check_at);
	}
}

/* Step rules (steps.h) take their samples here and are judged at steps. */
static bool feed_steps(struct ww_engine *e, struct ward_event *ev, int64_t t)
{
	bool taken = false;
	for (size_t i = 0; i < steps_count(e->steps); i++) {
		const struct ww_rule *rule = steps_rule(e->steps, i);
		double v;
		uint64_t h;
		if (!rule_selects(e, rule, ev))
			continue;
		taken = true;
		if (sample_of(e, rule, ev, &v, &h))
			steps_sample(e->steps, i, ev, t, v, h);
	}
	return taken;
}

size_t engine_source(struct ww_engine *e, const char *name, size_t len)
{
	return watermark_source(&e->wm, name, len);
}

const struct ww_wm *engine_watermarks(const struct ww_engine *e)
{
	return &e->wm;
}

const char *engine_source_name(const struct ww_engine *e, size_t src)
{
	return src < e->wm.n ? e->wm.src[src].name : "";
}

bool engine_event_from(struct ww_engine *e, struct ward_event *ev, int64_t t, size_t src,
		       int64_t arrival, int64_t *lag)
{
	if (e->max_t == INT64_MIN)
		start_absent(e, t);
	e->repeat = lineonce_repeat(&e->lineonce, ev);
	if (!watermark_event(&e->wm, src, t, arrival, lag)) {
		e->st.late++;
		e->hint = NULL;
		return false;
	}
	int64_t w = watermark_current(&e->wm);
	/* firing at once judges instant t now: only if no source can still
	 * bring an earlier event (the slowest source's, or the only one) */
	e->eager_ok = t <= w;
	bool taken = false;
	for (size_t i = 0; i < e->nrules; i++) {
		struct rstate *r = &e->rs[i];
		if (r->rule->rhs) {
			taken |= feed_compound(e, r, ev, t);
			continue;
		}
		if (!rule_selects(e, r->rule, ev))
			continue;
		taken = true;
		feed_rule(e, r, ev, t, 0);
	}
	if (e->steps)
		taken |= feed_steps(e, ev, t);
	if (taken)
		e->st.events++;
	e->hint = NULL;
	if (t > e->max_t)
		e->max_t = t;
	engine_advance(e, w);
	return true;
}

void engine_hint_next(struct ww_engine *e, const struct ww_hint *h)
{
	e->hint = e->hint_exact ? h : NULL;
}

void engine_event(struct ww_engine *e, struct ward_event *ev, int64_t t)
{
	engine_event_from(e, ev, t, 0, 0, NULL);
}

void engine_tick(struct ww_engine *e, int64_t arrival)
{
	engine_advance(e, watermark_tick(&e->wm, arrival));
}

void engine_finish(struct ww_engine *e)
{
	engine_advance(e, INT64_MAX);
	steps_finish(e->steps);
	/* absent rules keep their key; release everything else that is left */
	for (size_t i = 0; i < e->nrules; i++) {
		struct rstate *r = &e->rs[i];
		while (r->heap_len && r->keys[r->heap[1]].wake < INT64_MAX) {
			uint32_t idx = r->heap[1];
			advance_key(e, r, idx, INT64_MAX);
			if (r->heap_len && r->heap[1] == idx && r->keys[idx].wake < INT64_MAX)
				heap_remove(r, idx);
		}
		/* keys that needed no wake-up still hold their last windows; the
		 * table slots their release will touch are prefetched ahead */
		for (uint32_t idx = 1; idx < r->nkeys_cap; idx++) {
			if (idx + SWEEP_AHEAD < r->nkeys_cap && r->slots_cap) {
				const struct ww_key *a = &r->keys[idx + SWEEP_AHEAD];
				__builtin_prefetch(&r->slots[(uint32_t)a->hash & (r->slots_cap - 1)], 1, 3);
				__builtin_prefetch(&r->keys[idx + 2 * SWEEP_AHEAD < r->nkeys_cap ?
							    idx + 2 * SWEEP_AHEAD : idx], 0, 3);
			}
			if (r->keys[idx].live)
				advance_key(e, r, idx, INT64_MAX);
		}
	}
}

int64_t engine_max_time(const struct ww_engine *e)
{
	return e->max_t;
}

const struct ww_stats *engine_stats(const struct ww_engine *e)
{
	return &e->st;
}

size_t engine_memory(const struct ww_engine *e)
{
	size_t n = steps_memory(e->steps);
	for (size_t i = 0; i < e->nrules; i++) {
		const struct rstate *r = &e->rs[i];
		n += (size_t)r->nkeys_cap * sizeof(struct ww_key) + (size_t)r->slots_cap * sizeof(struct kslot) +
		     (size_t)r->heap_cap * 4 + (size_t)r->dirty_cap * sizeof(struct dirty_ent);
		for (uint32_t j = 1; j < r->nkeys_cap; j++) {
			const struct ww_key *k = &r->keys[j];
			if (!k->live)
				continue;
			n += win_heap_bytes(&k->win);
			if (k->win2)
				n += sizeof(*k->win2) + win_heap_bytes(k->win2);
			if (k->kbuf)
				n += k->klen;
			if (k->an)
				n += sizeof(*k->an);
			if (k->evid) {
				n += sizeof(*k->evid);
				for (int l = 0; l < MAX_EVIDENCE; l++)
					n += k->evid->cap[l];
			}
		}
	}
	return n;
}

static void add_step_rule(struct ww_engine *e, const struct ww_rule *rule)
{
	if (!e->steps) {
		const struct ww_steps_ctx c = {
			.emit = e->emit, .emit_ctx = e->emit_ctx, .st = &e->st,
			.max_keys = e->o.max_keys, .emit_series = e->o.emit_series,
		};
		e->steps = steps_new(&c);
	}
	steps_add_rule(e->steps, rule);
}

struct ww_engine *engine_new(const struct ww_rule *rules, size_t nrules,
			     const struct ww_engine_opts *o, ww_emit_fn emit_fn, void *ctx)
{
	struct ww_engine *e = ward_xcalloc(1, sizeof(*e));
	e->o = *o;
	if (e->o.max_keys == 0)
		e->o.max_keys = 1000000;
	if (e->o.max_keys > UINT32_MAX / 4)
		e->o.max_keys = UINT32_MAX / 4;
	if (e->o.evidence > MAX_EVIDENCE)
		e->o.evidence = MAX_EVIDENCE;
	if (e->o.lateness_ns < 0)
		e->o.lateness_ns = 0;
	e->emit = emit_fn;
	e->emit_ctx = ctx;
	e->max_t = INT64_MIN;
	e->watermark = INT64_MIN;
	watermark_init(&e->wm, e->o.lateness_ns, e->o.source_idle_ns, e->o.sources);
	watermark_source(&e->wm, "", 0);
	event_init(&e->side_ev);
	e->rs = ward_xcalloc(nrules ? nrules : 1, sizeof(*e->rs));
	for (size_t i = 0; i < nrules; i++) {
		if (rule_is_step(&rules[i])) {
			add_step_rule(e, &rules[i]);
			continue;
		}
		struct rstate *r = &e->rs[e->nrules++];
		r->rule = &rules[i];
		r->wake_on_expiry = rule_expiry_can_trigger(&rules[i]);
		r->eager = engine_rule_eager(&rules[i], e->o.lateness_ns);
		r->arith = rules[i].nxf || rules[i].setop == WW_SET_ARITH ||
			   (rules[i].rhs && rules[i].rhs->nxf);
		r->quiet_fall = falls_quietly(&rules[i]) && !e->o.emit_series;
	}
	e->hint_exact = true;
	for (size_t i = 0; i < e->nrules; i++)
		if (e->rs[i].rule->select_fn || (e->rs[i].rule->rhs && e->rs[i].rule->rhs->select_fn))
			e->hint_exact = false;
	return e;
}

void engine_free(struct ww_engine *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->nrules; i++) {
		struct rstate *r = &e->rs[i];
		for (uint32_t j = 1; j < r->nkeys_cap; j++)
			if (r->keys[j].live)
				key_release(e, r, j);
		free(r->keys);
		free(r->slots);
		free(r->dirty);
		free(r->heap);
	}
	free(e->rs);
	steps_free(e->steps);
	watermark_free(&e->wm);
	lineonce_free(&e->lineonce);
	buf_free(&e->keybuf);
	buf_free(&e->pfbuf);
	buf_free(&e->kdec);
	event_free(&e->side_ev);
	win_scratch_free(&e->scratch);
	free(e);
}
