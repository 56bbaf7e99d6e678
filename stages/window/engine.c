/* engine.c - keyed streaming evaluation (see engine.h for the semantics). */
#include "stages/window/engine.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "hash.h"
#include "logql.h"
#include "stages/window/anomaly.h"
#include "stages/window/engine_impl.h"
#include "stages/window/evict.h"
#include "stages/window/hugemem.h"
#include "stages/window/keyalert.h"
#include "stages/window/serieskey.h"
#include "stages/window/steps.h"
#include "stages/window/wake.h"
#include "wtime.h"

#define SWEEP_PER_CALL 2
#define SWEEP_AHEAD 16		/* keys the sweep prefetches ahead of its cursor */

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

/* ---- the key table (hash.h) ---- */

struct key_probe {
	const struct ww_key *keys;
	uint64_t h;
	const char *kb;
	uint32_t klen;
};

static bool key_is(const void *ctx, uint32_t idx)
{
	const struct key_probe *p = ctx;
	const struct ww_key *k = &p->keys[idx];
	return k->hash == p->h && k->klen == p->klen && memcmp(key_bytes(k), p->kb, p->klen) == 0;
}

void engine_key_release(struct ww_engine *e, struct rstate *r, uint32_t idx)
{
	struct ww_key *k = &r->keys[idx];
	hashtab_remove(&r->table, k->hash, idx);
	wake_heap_remove(r, idx);
	win_free(&k->win);
	if (k->win2) {
		win_free(k->win2);
		free(k->win2);
	}
	free(k->kbuf);
	free(k->an);
	evidence_free(k->evid);
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
		r->keys = hugemem_grow(r->keys, (size_t)old * sizeof(*r->keys),
				       (size_t)ncap * sizeof(*r->keys));
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

/* ---- lifecycle (lifecycle.h) ---- */

struct life_ctx {
	struct ww_engine *e;
	const struct rstate *r;
	struct ww_key *k;
};

static void on_life(void *ctx, const struct ww_life_ev *ev)
{
	struct life_ctx *c = ctx;
	keyalert_emit(c->e, c->r, c->k, ev->state, ev->at, ev->value, false, 0, ev->renotify);
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
		keyalert_emit(e, r, k, WW_INACTIVE, c, rule->rhs || rule->bool_result ? v : va, true, 0,
			      false);
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
		keyalert_emit(e, r, k, WW_INACTIVE, c, rule->rhs || rule->bool_result ? v : va, true, 0,
			      false);
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
		anomaly_advance(e, r, k, T);
	else
		advance_threshold(e, r, k, T);
	if (k->dirty && key_next_apply(k) == INT64_MAX)
		k->dirty = 0;
	if (key_idle(r, k)) {
		engine_key_release(e, r, idx);
		return;
	}
	wake_heap_update(r, idx, key_wake(r, k));
}

/* ---- key lookup from an event ---- */

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
	if (serieskey_encode_by(&e->keybuf, rule, ev))
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
	return engine_key_hash(kb, klen);
}

static uint32_t key_get(struct ww_engine *e, struct rstate *r, int64_t t)
{
	const char *kb = e->keybuf.data ? e->keybuf.data : "";
	uint32_t klen = (uint32_t)e->keybuf.len;
	uint64_t h = key_hash(e, r, kb, klen);
	const struct key_probe probe = { r->keys, h, kb, klen };
	uint32_t idx = hashtab_find(&r->table, h, key_is, &probe);
	if (idx != HASHTAB_NONE)
		return idx;
	while (e->st.keys >= e->o.max_keys) {
		struct rstate *victim = r->table.len ? r : evict_rule_with_most_keys(e);
		if (!victim->table.len && steps_evict(e->steps))
			continue;	/* every key held is a step rule's */
		evict_one(e, victim);
	}
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
		k->an = anomaly_new(r->rule, t);
	}
	hashtab_insert(&r->table, h, idx);
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
	if (rule->match_id && !rule_takes_id(rule, ev))
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
		*h = hash_fnv1a(kv->val, kv->val_len);
	}
	return true;
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
	if (e->o.evidence && evidence_worth(rule, w))
		evidence_add(&k->evid, e->o.evidence, ev, t);
	if (!k->dirty)
		wake_fifo_push(r, idx, t);
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
	/* without select hooks nothing changes the event: no copy (a ruler
	 * file's and/or/unless rules copied each of their events) */
	bool hooks = r->rule->select_fn || r->rule->rhs->select_fn;
	struct ward_event *side = ev;
	if (hooks) {
		event_copy(&e->side_ev, ev);
		side = &e->side_ev;
	}
	bool a = rule_selects(e, r->rule, ev);
	bool b = rule_selects(e, r->rule->rhs, side);
	if (a)
		feed_rule(e, r, ev, t, 0);
	if (b)
		feed_rule(e, r, side, t, 1);
	return a || b;
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
			wake_fifo_push(r, d.idx, key_next_apply(k));
	}
	while (r->heap_len && r->keys[r->heap[1]].wake < W) {
		uint32_t idx = r->heap[1];
		advance_key(e, r, idx, W);
		if (r->heap_len && r->heap[1] == idx && r->keys[idx].wake < W)
			wake_heap_remove(r, idx);	/* nothing more before W (capped end) */
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
		if (r->rule->fn != WW_FN_ABSENT || r->table.len)
			continue;
		buf_reset(&e->keybuf);
		uint32_t idx = key_get(e, r, t);
		/* no judgement before one full window has been seen */
		r->keys[idx].check_at = t + r->rule->range_ns;
		wake_heap_update(r, idx, r->keys[idx].check_at);
	}
}

/* Step rules (steps.h) take their samples here and are judged at steps. */
static bool feed_steps(struct ww_engine *e, struct ward_event *ev, int64_t t)
{
	bool taken = false;
	uint32_t n;
	const uint32_t *route = route_rules(&e->step_route, ev->rule, &n);
	for (uint32_t j = 0; j < n; j++) {
		size_t i = route[j];
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
	if (e->need_repeat)
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
	/* the rule name cannot change between the hint and here */
	uint32_t n = e->hint ? e->hint->nroute : 0;
	const uint32_t *route = e->hint ? e->hint->route : route_rules(&e->route, ev->rule, &n);
	for (uint32_t j = 0; j < n; j++) {
		struct rstate *r = &e->rs[route[j]];
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
				wake_heap_remove(r, idx);
		}
		/* keys that needed no wake-up still hold their last windows; the
		 * table slots their release will touch are prefetched ahead */
		for (uint32_t idx = 1; idx < r->nkeys_cap; idx++) {
			if (idx + SWEEP_AHEAD < r->nkeys_cap && r->table.slots) {
				const struct ww_key *a = &r->keys[idx + SWEEP_AHEAD];
				__builtin_prefetch(&r->table.slots[(uint32_t)a->hash & r->table.mask], 1, 3);
				__builtin_prefetch(&r->keys[idx + 2 * SWEEP_AHEAD < r->nkeys_cap ?
							    idx + 2 * SWEEP_AHEAD : idx], 0, 3);
			}
			if (r->keys[idx].live)
				advance_key(e, r, idx, INT64_MAX);
		}
	}
}

int64_t engine_watermark(const struct ww_engine *e)
{
	return e->watermark;
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
		size_t nslots = r->table.slots ? (size_t)r->table.mask + 1 : 0;
		n += (size_t)r->nkeys_cap * sizeof(struct ww_key) + nslots * sizeof(struct hashtab_slot) +
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
			n += evidence_bytes(k->evid);
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
	size_t i = steps_add_rule(e->steps, rule);
	route_add(&e->step_route, (uint32_t)i, rule->match_rule,
		  rule->rhs ? rule->rhs->match_rule : rule->match_rule);
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
	if (e->o.evidence > EVIDENCE_MAX)
		e->o.evidence = EVIDENCE_MAX;
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
	route_init(&e->route);
	route_init(&e->step_route);
	for (size_t i = 0; i < nrules; i++) {
		if (rule_is_step(&rules[i])) {
			add_step_rule(e, &rules[i]);
			continue;
		}
		route_add(&e->route, (uint32_t)e->nrules, rules[i].match_rule,
			  rules[i].rhs ? rules[i].rhs->match_rule : rules[i].match_rule);
		struct rstate *r = &e->rs[e->nrules++];
		r->rule = &rules[i];
		r->wake_on_expiry = rule_expiry_can_trigger(&rules[i]);
		r->eager = engine_rule_eager(&rules[i], e->o.lateness_ns);
		r->arith = rules[i].nxf || rules[i].setop == WW_SET_ARITH ||
			   (rules[i].rhs && rules[i].rhs->nxf);
		r->quiet_fall = falls_quietly(&rules[i]) && !e->o.emit_series;
	}
	e->need_repeat = route_has_wild(&e->route) || route_has_wild(&e->step_route);
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
				engine_key_release(e, r, j);
		hugemem_free(r->keys, (size_t)r->nkeys_cap * sizeof(*r->keys));
		hashtab_free(&r->table);
		free(r->dirty);
		free(r->heap);
	}
	free(e->rs);
	steps_free(e->steps);
	watermark_free(&e->wm);
	lineonce_free(&e->lineonce);
	route_free(&e->route);
	route_free(&e->step_route);
	buf_free(&e->keybuf);
	buf_free(&e->pfbuf);
	buf_free(&e->kdec);
	event_free(&e->side_ev);
	win_scratch_free(&e->scratch);
	free(e);
}
