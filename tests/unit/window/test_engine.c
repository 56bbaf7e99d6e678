/* Unit tests: the streaming engine against a brute-force reference.
 *
 * The reference recomputes, for every key, the rule's value at every instant
 * where it can change (each event time t and each t + range) straight from
 * the definition "events with time in (c - range, c]", runs the Prometheus
 * lifecycle over those values, and lists every transition. The engine must
 * produce the same transitions: same key, state, time and value. Streams are
 * random with fixed seeds; some arrive out of order within the allowed
 * lateness. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "event.h"
#include "stages/window/engine.h"
#include "stages/window/rule.h"
#include "stages/window/watermark.h"
#include "wtime.h"

#define S NS_PER_SEC
#define MAXT 65536

struct tev {
	int64_t ts;
	int key;
	double v;
	int distinct;
	int side;	/* which side of and/or/unless takes it */
	int len;	/* line length, for bytes_over_time */
	size_t seq;
	int src;	/* input source, for merged streams */
};

struct trans {
	char key[32];
	int state;
	int64_t at;
	double value;
	size_t seq;
};

struct tlist {
	struct trans t[MAXT];
	size_t n;
};

static uint64_t rng_state;
static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}
static int rnd_int(int n) { return (int)(rnd() % (uint64_t)n); }

static void push(struct tlist *l, const char *key, int state, int64_t at, double v)
{
	assert_true(l->n < MAXT);
	struct trans *t = &l->t[l->n];
	snprintf(t->key, sizeof t->key, "%s", key);
	t->state = state;
	t->at = at;
	t->value = v;
	t->seq = l->n++;
}

/* ---- reference ---- */

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static bool ref_value(const struct ww_rule *r, const struct tev *ev, size_t n, int key,
		      int side, int64_t c, double *out)
{
	double vals[4096];
	int seen[64] = { 0 };
	size_t m = 0;
	double sum = 0, bytes = 0;
	int distinct = 0;
	for (size_t i = 0; i < n; i++) {
		if ((key >= 0 && ev[i].key != key) || ev[i].ts > c || ev[i].ts <= c - r->range_ns)
			continue;
		if (side >= 0 && ev[i].side != side)
			continue;
		vals[m++] = ev[i].v;
		sum += ev[i].v;
		bytes += ev[i].len;
		if (!seen[ev[i].distinct]++)
			distinct++;
	}
	double secs = (double)r->range_ns / S;
	if (r->fn == WW_FN_ABSENT) {
		*out = 1;
		return m == 0;
	}
	if (m == 0)
		return false;
	switch (r->fn) {
	case WW_FN_COUNT: *out = (double)m; break;
	case WW_FN_RATE: *out = (double)m / secs; break;
	case WW_FN_BYTES: *out = bytes; break;
	case WW_FN_BYTES_RATE: *out = bytes / secs; break;
	case WW_FN_SUM: *out = sum; break;
	case WW_FN_AVG: *out = sum / (double)m; break;
	case WW_FN_FIRST: *out = vals[0]; break;
	case WW_FN_LAST: *out = vals[m - 1]; break;
	case WW_FN_DISTINCT: *out = distinct; break;
	case WW_FN_MIN: case WW_FN_MAX: {
		double a = vals[0];
		for (size_t i = 1; i < m; i++)
			a = r->fn == WW_FN_MIN ? fmin(a, vals[i]) : fmax(a, vals[i]);
		*out = a;
		break;
	}
	case WW_FN_STDDEV: case WW_FN_STDVAR: {
		double mean = sum / (double)m, ss = 0;
		for (size_t i = 0; i < m; i++)
			ss += (vals[i] - mean) * (vals[i] - mean);
		*out = r->fn == WW_FN_STDDEV ? sqrt(ss / (double)m) : ss / (double)m;
		break;
	}
	case WW_FN_QUANTILE: {
		qsort(vals, m, sizeof(double), cmp_d);
		double rank = r->quantile * (double)(m - 1);
		size_t lo = (size_t)floor(rank), hi = lo + 1 < m ? lo + 1 : lo;
		*out = vals[lo] * (1 - (rank - (double)lo)) + vals[hi] * (rank - (double)lo);
		break;
	}
	default: fail();
	}
	return true;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Arithmetic, written out again for the reference. */
static double ref_op(enum ww_arith op, double a, double b)
{
	switch (op) {
	case WW_AR_ADD: return a + b;
	case WW_AR_SUB: return a - b;
	case WW_AR_MUL: return a * b;
	case WW_AR_DIV: return a / b;
	case WW_AR_MOD: return fmod(a, b);
	case WW_AR_POW: return pow(a, b);
	case WW_AR_GT: return a > b;
	case WW_AR_GE: return a >= b;
	case WW_AR_LT: return a < b;
	case WW_AR_LE: return a <= b;
	case WW_AR_EQ: return a == b;
	case WW_AR_NE: return a != b;
	default: fail();
	}
	return 0;
}

static double ref_xform(const struct ww_xform *xf, size_t n, double v)
{
	for (size_t i = 0; i < n; i++)
		v = xf[i].num_left ? ref_op(xf[i].op, xf[i].num, v) : ref_op(xf[i].op, v, xf[i].num);
	return v;
}

/* lhs vop rhs: false when a comparison filters the pair out. */
static bool ref_vector_op(const struct ww_rule *r, double a, double b, double *out)
{
	double x = ref_op(r->vop, a, b);
	if (r->vop < WW_AR_GT || r->vop_bool) {
		*out = x;
		return true;
	}
	*out = a;
	return x != 0;
}

/* Prometheus lifecycle over the exact change points of one key. */
/* The lifecycle, written out plainly (lifecycle.c must agree): deadlines
 * strictly before c at their exact times, then the judgement at c. */
struct ref_life {
	int state;
	bool keeping;
	int64_t since, notified, false_since;
	double value, last;
};

static void ref_timers(const struct ww_rule *r, struct ref_life *L, const char *kname, int64_t c,
		       struct tlist *out)
{
	if (L->state == WW_PENDING && L->since + r->for_ns < c) {
		push(out, kname, WW_FIRING, L->since + r->for_ns, L->value);
		L->state = WW_FIRING;
		L->notified = L->since + r->for_ns;
	}
	while (L->state == WW_FIRING) {
		int64_t end = L->keeping ? L->false_since + r->keep_ns : INT64_MAX;
		int64_t again = r->renotify_ns ? L->notified + r->renotify_ns : INT64_MAX;
		if (end < c && end <= again) {
			push(out, kname, WW_RESOLVED, end, L->last);
			L->state = WW_INACTIVE;
			L->keeping = false;
		} else if (again < c) {
			L->notified = again;
			push(out, kname, WW_FIRING, again, L->value);
		} else {
			break;
		}
	}
}

static void ref_judge(const struct ww_rule *r, struct ref_life *L, const char *kname, int64_t c,
		      bool cond, double v, struct tlist *out)
{
	if (L->state == WW_INACTIVE && !cond)
		return;
	L->last = v;
	if (cond)
		L->value = v;
	if (L->state == WW_INACTIVE) {
		L->since = c;
		if (r->for_ns == 0) {
			push(out, kname, WW_FIRING, c, v);
			L->state = WW_FIRING;
			L->notified = c;
		} else {
			push(out, kname, WW_PENDING, c, v);
			L->state = WW_PENDING;
		}
	} else if (L->state == WW_PENDING) {
		if (!cond) {
			L->state = WW_INACTIVE;
		} else if (c - L->since >= r->for_ns) {
			push(out, kname, WW_FIRING, c, v);
			L->state = WW_FIRING;
			L->notified = c;
		}
	} else if (L->state == WW_FIRING) {
		if (!cond && (!L->keeping ? r->keep_ns == 0 : c - L->false_since >= r->keep_ns)) {
			push(out, kname, WW_RESOLVED, c, v);
			L->state = WW_INACTIVE;
			L->keeping = false;
			return;
		}
		if (!cond && !L->keeping) {
			L->keeping = true;
			L->false_since = c;
		} else if (cond) {
			L->keeping = false;
		}
		if (r->renotify_ns && c - L->notified >= r->renotify_ns) {
			L->notified = c;
			push(out, kname, WW_FIRING, c, L->value);
		}
	}
}

static void ref_key(const struct ww_rule *r, const struct tev *ev, size_t n, int key,
		    struct tlist *out)
{
	static int64_t pts[8192];
	size_t np = 0;
	for (size_t i = 0; i < n; i++) {
		if (key >= 0 && ev[i].key != key)
			continue;
		pts[np++] = ev[i].ts;
		pts[np++] = ev[i].ts + (r->rhs && ev[i].side ? r->rhs->range_ns : r->range_ns);
	}
	if (!np)
		return;
	int64_t horizon = INT64_MAX;
	if (r->fn == WW_FN_ABSENT) {
		/* judged from one window after the first event; the end of input
		 * runs to the last event + range + for */
		pts[np++] = ev[0].ts + r->range_ns;
		int64_t last = ev[0].ts;
		for (size_t i = 0; i < n; i++)
			last = ev[i].ts > last ? ev[i].ts : last;
		horizon = last + r->range_ns + r->for_ns + r->keep_ns + 1;
		pts[np++] = horizon;
	}
	qsort(pts, np, sizeof(int64_t), cmp_i64);
	char kname[32] = "";
	if (key >= 0)
		snprintf(kname, sizeof kname, "k%d", key);
	struct ref_life L = { .state = WW_INACTIVE };
	for (size_t i = 0; i < np; i++) {
		int64_t c = pts[i];
		if (i > 0 && c == pts[i - 1])
			continue;
		ref_timers(r, &L, kname, c, out);
		if (c == horizon)	/* timers only: the end of input */
			break;
		double v, va = 0, vb = 0;
		bool has = ref_value(r, ev, n, key, r->rhs ? 0 : -1, c, &va);
		va = ref_xform(r->xf, r->nxf, va);
		bool cond;
		if (r->setop == WW_SET_ARITH) {
			bool hb = ref_value(r->rhs, ev, n, key, 1, c, &vb);
			vb = ref_xform(r->rhs->xf, r->rhs->nxf, vb);
			has = has && hb && ref_vector_op(r, va, vb, &va);
			if (has)
				va = ref_xform(r->post, r->npost, va);
		}
		cond = rule_side_holds(r, has, va, &va);
		v = va;
		if (r->rhs && r->setop != WW_SET_ARITH) {
			bool hb = ref_value(r->rhs, ev, n, key, 1, c, &vb);
			vb = ref_xform(r->rhs->xf, r->rhs->nxf, vb);
			bool pb = rule_side_holds(r->rhs, hb, vb, &vb);
			if (r->setop == WW_SET_AND)
				cond = cond && pb;
			else if (r->setop == WW_SET_UNLESS)
				cond = cond && !pb;
			else if (!cond && pb) {
				cond = true;
				v = vb;
			}
		}
		ref_judge(r, &L, kname, c, cond, v, out);
	}
	if (horizon == INT64_MAX)	/* keep_firing_for after the last change */
		ref_timers(r, &L, kname, INT64_MAX, out);
}

/* ---- engine side ---- */

static void on_alert(void *ctx, const struct ww_alert *a)
{
	struct tlist *l = ctx;
	if (a->series)
		return;
	char key[32] = "";
	if (a->nkey == 1)
		snprintf(key, sizeof key, "%s", a->key_vals[0]);
	for (size_t i = 0; a->nkey > 1 && i < a->nkey; i++)
		snprintf(key + strlen(key), sizeof key - strlen(key), "%s%s=%s", i ? ";" : "",
			 a->key_names[i], a->key_vals[i]);
	push(l, key, (int)a->state, a->at, a->value);
}

/* nsources > 0: events come from sources "s<src>" announced up front. */
static void run_engine_src(const struct ww_rule *r, const struct tev *arrivals, size_t n,
			   int64_t lateness, size_t max_keys, unsigned nsources, struct tlist *out,
			   struct ww_stats *st)
{
	struct ww_engine_opts o = { .max_keys = max_keys, .lateness_ns = lateness, .evidence = 3,
				    .sources = nsources };
	struct ww_engine *e = engine_new(r, 1, &o, on_alert, out);
	struct ward_event ev;
	event_init(&ev);
	for (size_t i = 0; i < n; i++) {
		char key[16], val[32], dv[16];
		event_reset(&ev);
		snprintf(key, sizeof key, "k%d", arrivals[i].key);
		snprintf(val, sizeof val, "%.17g", arrivals[i].v);
		snprintf(dv, sizeof dv, "u%d", arrivals[i].distinct);
		event_set_field(&ev, "src_ip", key, strlen(key));
		char host[8];
		snprintf(host, sizeof host, "h%d", arrivals[i].key % 2);
		event_set_field(&ev, "host", host, strlen(host));
		event_set_field(&ev, "val", val, strlen(val));
		event_set_field(&ev, "user", dv, strlen(dv));
		event_set_field(&ev, "side", arrivals[i].side ? "1" : "0", 1);
		static const char text[] = "Failed password for root from 198.18.0.7 port 4242 ssh2";
		event_set_line(&ev, text, (size_t)arrivals[i].len);
		ev.ts_ns = arrivals[i].ts;
		if (nsources) {
			char sn[16];
			snprintf(sn, sizeof sn, "s%d", arrivals[i].src);
			engine_event_from(e, &ev, arrivals[i].ts, engine_source(e, sn, strlen(sn)), 0, NULL);
		} else {
			engine_event(e, &ev, arrivals[i].ts);
		}
	}
	engine_finish(e);
	if (st)
		*st = *engine_stats(e);
	engine_free(e);
	event_free(&ev);
}

static void run_engine(const struct ww_rule *r, const struct tev *arrivals, size_t n,
		       int64_t lateness, size_t max_keys, struct tlist *out, struct ww_stats *st)
{
	run_engine_src(r, arrivals, n, lateness, max_keys, 0, out, st);
}

static int cmp_trans(const void *a, const void *b)
{
	const struct trans *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	if (c)
		return c;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static bool resolved_value_loose;
static bool value_loose;	/* compare states and times only */

/* eager: the rule fires as the crossing event arrives, so a firing value
 * may miss events that share the crossing instant (engine.h). */
static void assert_same_x(struct tlist *want, struct tlist *got, const char *what, bool eager)
{
	qsort(want->t, want->n, sizeof(struct trans), cmp_trans);
	qsort(got->t, got->n, sizeof(struct trans), cmp_trans);
	size_t n = want->n < got->n ? want->n : got->n;
	for (size_t i = 0; i < n; i++) {
		struct trans *w = &want->t[i], *g = &got->t[i];
		double tol = 1e-9 * fmax(1, fabs(w->value));
		bool value_differs = fabs(w->value - g->value) > tol;
		if (eager && w->state == WW_FIRING)
			value_differs = g->value > w->value + tol;
		/* the value at resolution of compound rules (and/or/unless,
		 * arithmetic) is not pinned down by the reference when a side has
		 * no series: state and time are */
		if ((resolved_value_loose && w->state == WW_RESOLVED) || value_loose)
			value_differs = false;
		if (strcmp(w->key, g->key) || w->state != g->state || w->at != g->at || value_differs) {
			print_error("%s: #%zu want %s %s at %lld value %.17g, got %s %s at %lld value %.17g\n",
				    what, i, w->key, engine_state_str(w->state), (long long)w->at, w->value,
				    g->key, engine_state_str(g->state), (long long)g->at, g->value);
			fail();
		}
	}
	if (want->n != got->n) {
		print_error("%s: want %zu transitions, got %zu\n", what, want->n, got->n);
		fail();
	}
}

static void assert_same(struct tlist *want, struct tlist *got, const char *what)
{
	assert_same_x(want, got, what, false);
}

/* Random stream: nkeys keys, bursts and gaps, some equal timestamps. */
static size_t gen_stream(struct tev *ev, size_t n, int nkeys, bool integer_values)
{
	int64_t t = 1700000000LL * S;
	for (size_t i = 0; i < n; i++) {
		int step = rnd_int(10);
		if (step < 3)
			t += 0;
		else if (step < 8)
			t += (int64_t)rnd_int(2000) * 1000000;	/* up to 2 s */
		else
			t += (int64_t)rnd_int(15) * S;
		ev[i].ts = t;
		ev[i].key = rnd_int(nkeys);
		ev[i].v = integer_values ? rnd_int(20) - 5 : (double)rnd_int(1000) / 8.0;
		ev[i].distinct = rnd_int(6);
		ev[i].side = rnd_int(2);
		ev[i].len = 1 + rnd_int(50);
		ev[i].seq = i;
	}
	return n;
}

static int cmp_arrival(const void *a, const void *b)
{
	const struct tev *x = a, *y = b;
	if (x->seq != y->seq)	/* seq holds the arrival time here */
		return x->seq < y->seq ? -1 : 1;
	return 0;
}

static bool select_side(void *ctx, struct ward_event *ev)
{
	const struct ward_kv *kv = event_field(ev, "side");
	return kv && kv->val[0] == *(const char *)ctx;
}

static void random_rule(struct ww_rule *r, enum ww_fn fn)
{
	static const enum ww_op ops[] = { WW_OP_GT, WW_OP_GE, WW_OP_LT, WW_OP_LE, WW_OP_EQ, WW_OP_NE };
	rule_init(r);
	rule_set_str(&r->name, "R");
	rule_add_group(r, "src_ip");
	r->fn = fn;
	r->range_ns = (int64_t)(1 + rnd_int(12)) * S + (rnd_int(2) ? 500000000 : 0);
	r->op = ops[rnd_int(6)];
	r->threshold = fn == WW_FN_COUNT || fn == WW_FN_DISTINCT ? rnd_int(6) : rnd_int(30) - 5;
	if (fn == WW_FN_RATE)
		r->threshold = (double)rnd_int(10) / 10.0;
	r->for_ns = rnd_int(3) ? 0 : (int64_t)rnd_int(6) * S;
	r->renotify_ns = rnd_int(3) ? 0 : (int64_t)(1 + rnd_int(5)) * S;
	r->keep_ns = rnd_int(3) ? 0 : (int64_t)rnd_int(4) * S + (int64_t)rnd_int(1000) * 1000000;
	if (rule_fn_needs_unwrap(fn))
		rule_set_str(&r->unwrap, "val");
	if (fn == WW_FN_DISTINCT)
		rule_set_str(&r->distinct, "user");
	if (fn == WW_FN_QUANTILE)
		r->quantile = (double)rnd_int(5) / 4.0;
	r->bool_result = rnd_int(8) == 0;
}

/* lhs and|or|unless rhs, each side on its own events (field side=0/1). */
static void random_compound(struct ww_rule *r, enum ww_fn fn, enum ww_fn fn2)
{
	static const enum ww_setop ops[] = { WW_SET_AND, WW_SET_OR, WW_SET_UNLESS };
	random_rule(r, fn);
	r->bool_result = false;
	r->setop = ops[rnd_int(3)];
	r->rhs = calloc(1, sizeof(*r->rhs));
	random_rule(r->rhs, fn2);
	r->rhs->bool_result = false;
	r->select_fn = select_side;
	r->select_ctx = (void *)"0";
	r->rhs->select_fn = select_side;
	r->rhs->select_ctx = (void *)"1";
}

static void check_rules(enum ww_fn fn, enum ww_fn fn2, uint64_t seed, bool shuffle)
{
	static struct tev ev[600], arr[600];
	static struct tlist want, got;
	rng_state = seed;
	resolved_value_loose = fn2 != WW_FN__COUNT;
	for (int round = 0; round < 40; round++) {
		struct ww_rule r;
		if (fn2 != WW_FN__COUNT)
			random_compound(&r, fn, fn2);
		else
			random_rule(&r, fn);
		size_t n = gen_stream(ev, 150 + (size_t)rnd_int(300), 1 + rnd_int(4),
				      fn == WW_FN_SUM || fn == WW_FN_AVG);
		int64_t lateness = 0;
		memcpy(arr, ev, n * sizeof(*ev));
		if (shuffle) {
			lateness = (int64_t)(1 + rnd_int(5)) * S;
			for (size_t i = 0; i < n; i++)
				arr[i].seq = (size_t)(arr[i].ts + rnd_int((int)(lateness / 1000000)) * 1000000LL);
			qsort(arr, n, sizeof(*arr), cmp_arrival);
		}
		want.n = got.n = 0;
		for (int k = 0; k < 4; k++)
			ref_key(&r, ev, n, k, &want);
		struct ww_stats st;
		run_engine(&r, arr, n, lateness, 1000, &got, &st);
		char what[96];
		snprintf(what, sizeof what, "%s seed %llu round %d %s", rule_fn_str(fn),
			 (unsigned long long)seed, round, shuffle ? "shuffled" : "ordered");
		assert_int_equal(st.late, 0);
		assert_same_x(&want, &got, what, engine_rule_eager(&r, lateness));
		assert_int_equal(st.keys, 0);
		rule_free(&r);
	}
}

static void check_fn(enum ww_fn fn, uint64_t seed, bool shuffle)
{
	check_rules(fn, WW_FN__COUNT, seed, shuffle);
}

/* ---- arithmetic: value OP number, and lhs OP rhs per key ---- */

static void random_xforms(struct ww_xform **xf, size_t *n)
{
	static const double nums[] = { 2, 0.5, 3, -1, 0, 10 };
	int m = rnd_int(3);
	for (int i = 0; i < m; i++)
		rule_add_xform(xf, n, (enum ww_arith)(WW_AR_ADD + rnd_int(6)), nums[rnd_int(6)], rnd_int(2));
}

static void random_arith(struct ww_rule *r, enum ww_fn fn, enum ww_fn fn2)
{
	random_compound(r, fn, fn2);
	r->setop = WW_SET_ARITH;
	r->vop = (enum ww_arith)(WW_AR_ADD + rnd_int(12));
	r->vop_bool = r->vop >= WW_AR_GT && rnd_int(2);
	r->bool_result = rnd_int(6) == 0;
	r->rhs->op = WW_OP_NONE;
	random_xforms(&r->xf, &r->nxf);
	random_xforms(&r->rhs->xf, &r->rhs->nxf);
	random_xforms(&r->post, &r->npost);
	if (rnd_int(4) == 0)
		r->op = WW_OP_NONE;
}

/* Scalar arithmetic on a single per-key rule, and the vector operations,
 * against the reference on random streams. */
static void check_arith(enum ww_fn fn, enum ww_fn fn2, uint64_t seed, bool shuffle)
{
	static struct tev ev[600], arr[600];
	static struct tlist want, got;
	rng_state = seed;
	resolved_value_loose = true;
	for (int round = 0; round < 40; round++) {
		struct ww_rule r;
		if (round % 4 == 0) {
			random_rule(&r, fn);
			random_xforms(&r.xf, &r.nxf);
		} else if (round % 4 == 1) {	/* and/or/unless, sides with arithmetic */
			random_compound(&r, fn, fn2);
			random_xforms(&r.xf, &r.nxf);
			random_xforms(&r.rhs->xf, &r.rhs->nxf);
		} else {
			random_arith(&r, fn, fn2);
		}
		bool ints = fn == WW_FN_SUM || fn == WW_FN_AVG || fn2 == WW_FN_SUM || fn2 == WW_FN_AVG;
		size_t n = gen_stream(ev, 150 + (size_t)rnd_int(300), 1 + rnd_int(4), ints);
		int64_t lateness = 0;
		memcpy(arr, ev, n * sizeof(*ev));
		if (shuffle) {
			lateness = (int64_t)(1 + rnd_int(5)) * S;
			for (size_t i = 0; i < n; i++)
				arr[i].seq = (size_t)(arr[i].ts + rnd_int((int)(lateness / 1000000)) * 1000000LL);
			qsort(arr, n, sizeof(*arr), cmp_arrival);
		}
		want.n = got.n = 0;
		for (int k = 0; k < 4; k++)
			ref_key(&r, ev, n, k, &want);
		struct ww_stats st;
		run_engine(&r, arr, n, lateness, 1000, &got, &st);
		char what[96];
		snprintf(what, sizeof what, "arith %s/%s seed %llu round %d", rule_fn_str(fn), rule_fn_str(fn2),
			 (unsigned long long)seed, round);
		assert_int_equal(st.late, 0);
		assert_same_x(&want, &got, what, engine_rule_eager(&r, lateness));
		assert_int_equal(st.keys, 0);
		rule_free(&r);
	}
}

static void test_arith_count_rate(void **s) { (void)s; check_arith(WW_FN_RATE, WW_FN_COUNT, 31, false); check_arith(WW_FN_COUNT, WW_FN_RATE, 32, true); }
static void test_arith_sum_max(void **s) { (void)s; check_arith(WW_FN_SUM, WW_FN_MAX, 33, false); check_arith(WW_FN_AVG, WW_FN_SUM, 34, true); }
static void test_arith_distinct(void **s) { (void)s; check_arith(WW_FN_DISTINCT, WW_FN_BYTES, 35, false); }

/* ---- aggregations across keys at evaluation steps ---- */

#define MAXOUT 16

struct ref_out {
	char key[32];
	int state;
	int64_t since, notified;
	struct ref_life life;	/* keeping, false_since, value, last */
};

static int64_t ref_align_up(int64_t t, int64_t iv)
{
	int64_t q = t / iv * iv;
	return q < t ? q + iv : q;
}

/* The output series of a step rule at step c, from every key's value. */
struct ref_series {
	char key[32];
	char group[32];
	double v;
};

static int cmp_rank(const void *a, const void *b, int dir)
{
	const struct ref_series *x = a, *y = b;
	int g = strcmp(x->group, y->group);
	if (g)
		return g;
	if (x->v != y->v)
		return (x->v < y->v ? -1 : 1) * dir;
	return strcmp(x->key, y->key);
}
static int cmp_desc(const void *a, const void *b) { return cmp_rank(a, b, -1); }
static int cmp_asc(const void *a, const void *b) { return cmp_rank(a, b, 1); }

static void ref_group_of(const struct ww_rule *r, int key, char *g, size_t n)
{
	if (r->nvgroup == 0 && r->vgroup_mode == WW_GROUP_BY)
		g[0] = '\0';
	else	/* by (host) or without (src_ip): the host */
		snprintf(g, n, "h%d", key % 2);
}

static size_t ref_outputs(const struct ww_rule *r, const struct tev *ev, size_t n, int64_t c,
			  struct ref_series *out)
{
	struct ref_series in[4];
	size_t m = 0, o = 0;
	for (int k = 0; k < 4; k++) {
		double v;
		if (!ref_value(r, ev, n, k, -1, c, &v))
			continue;
		v = ref_xform(r->ixf, r->nixf, v);	/* inside the aggregation */
		if (r->iop != WW_OP_NONE) {
			bool pass = rule_compare(r->iop, v, r->ithreshold);
			if (!pass && !r->ibool)
				continue;
			v = r->ibool ? pass : v;
		}
		snprintf(in[m].key, sizeof in[m].key, "host=h%d;src_ip=k%d", k % 2, k);
		ref_group_of(r, k, in[m].group, sizeof in[m].group);
		in[m++].v = v;
	}
	bool desc = r->vagg == WW_VAGG_TOPK || r->vagg == WW_VAGG_SORT_DESC;
	qsort(in, m, sizeof(in[0]), desc ? cmp_desc : cmp_asc);
	for (size_t a = 0; a < m;) {
		size_t b = a;
		while (b < m && strcmp(in[a].group, in[b].group) == 0)
			b++;
		if (r->vagg >= WW_VAGG_TOPK) {
			size_t take = b - a;
			if (r->vagg <= WW_VAGG_BOTTOMK && take > (size_t)r->vk)
				take = (size_t)r->vk;
			for (size_t i = a; i < a + take; i++)
				out[o++] = in[i];
		} else {
			double sum = 0, lo = INFINITY, hi = -INFINITY, ss = 0, cnt = (double)(b - a);
			for (size_t i = a; i < b; i++) {
				sum += in[i].v;
				lo = in[i].v < lo ? in[i].v : lo;
				hi = in[i].v > hi ? in[i].v : hi;
			}
			for (size_t i = a; i < b; i++)
				ss += (in[i].v - sum / cnt) * (in[i].v - sum / cnt);
			double agg[] = { [WW_VAGG_SUM] = sum, [WW_VAGG_MIN] = lo, [WW_VAGG_MAX] = hi,
					 [WW_VAGG_COUNT] = cnt, [WW_VAGG_AVG] = sum / cnt,
					 [WW_VAGG_STDDEV] = sqrt(ss / cnt), [WW_VAGG_STDVAR] = ss / cnt };
			snprintf(out[o].key, sizeof out[o].key, "%s", in[a].group);
			out[o++].v = agg[r->vagg];
		}
		a = b;
	}
	for (size_t i = 0; i < o; i++)
		out[i].v = ref_xform(r->xf, r->nxf, out[i].v);
	return o;
}

static struct ref_out *ref_find(struct ref_out *outs, size_t *nouts, const char *key)
{
	for (size_t i = 0; i < *nouts; i++)
		if (strcmp(outs[i].key, key) == 0)
			return &outs[i];
	assert_true(*nouts < MAXOUT);
	struct ref_out *o = &outs[(*nouts)++];
	memset(o, 0, sizeof(*o));
	memcpy(o->key, key, strnlen(key, sizeof o->key - 1));
	return o;
}

/* Prometheus rule evaluation at each step: every output series judged. */
static void ref_step_lifecycle(const struct ww_rule *r, struct ref_out *o, int64_t c, bool cond,
			       double v, struct tlist *out)
{
	if (o->state == WW_INACTIVE && !cond)
		return;
	o->life.last = v;
	if (cond)
		o->life.value = v;
	if (o->state == WW_INACTIVE) {
		o->since = c;
		o->state = r->for_ns == 0 ? WW_FIRING : WW_PENDING;
		o->notified = c;
		push(out, o->key, o->state, c, v);
	} else if (o->state == WW_PENDING && !cond) {
		o->state = WW_INACTIVE;
	} else if (o->state == WW_PENDING && c - o->since >= r->for_ns) {
		o->state = WW_FIRING;
		o->notified = c;
		push(out, o->key, WW_FIRING, c, v);
	} else if (o->state == WW_FIRING) {
		if (!cond && (!o->life.keeping ? r->keep_ns == 0 : c - o->life.false_since >= r->keep_ns)) {
			push(out, o->key, WW_RESOLVED, c, v);
			o->state = WW_INACTIVE;
			o->life.keeping = false;
			return;
		}
		if (!cond && !o->life.keeping) {
			o->life.keeping = true;
			o->life.false_since = c;
		} else if (cond) {
			o->life.keeping = false;
		}
		if (r->renotify_ns && c - o->notified >= r->renotify_ns) {
			o->notified = c;
			push(out, o->key, WW_FIRING, c, o->life.value);
		}
	}
}

static void ref_steps(const struct ww_rule *r, const struct tev *ev, size_t n, struct tlist *out)
{
	static struct ref_out outs[MAXOUT];
	size_t nouts = 0;
	int64_t first = ev[0].ts, last = ev[0].ts;
	for (size_t i = 0; i < n; i++) {
		first = ev[i].ts < first ? ev[i].ts : first;
		last = ev[i].ts > last ? ev[i].ts : last;
	}
	/* every step from the first event until one interval after the last
	 * window has emptied: nothing can hold later */
	int64_t end = last + r->range_ns + r->keep_ns + 2 * r->eval_ns;
	for (int64_t c = ref_align_up(first, r->eval_ns); c <= end; c += r->eval_ns) {
		struct ref_series cur[8];
		size_t m = ref_outputs(r, ev, n, c, cur);
		for (size_t i = 0; i < nouts; i++) {
			bool present = false;
			for (size_t j = 0; j < m; j++)
				present |= strcmp(cur[j].key, outs[i].key) == 0;
			if (!present)
				ref_step_lifecycle(r, &outs[i], c, false, outs[i].life.last, out);
		}
		for (size_t j = 0; j < m; j++) {
			double v = cur[j].v;
			bool cond = rule_side_holds(r, true, v, &v);
			ref_step_lifecycle(r, ref_find(outs, &nouts, cur[j].key), c, cond, v, out);
		}
	}
}

static void random_step_rule(struct ww_rule *r, enum ww_vagg vagg)
{
	static const enum ww_fn fns[] = { WW_FN_COUNT, WW_FN_RATE, WW_FN_SUM, WW_FN_MAX, WW_FN_DISTINCT,
					  WW_FN_STDDEV, WW_FN_AVG };
	static const int64_t ivs[] = { S, 2 * S, 2500000000LL, 5 * S, 500000000LL };
	enum ww_fn fn = fns[rnd_int(7)];
	random_rule(r, fn);
	for (size_t i = 0; i < r->ngroup; i++)
		free(r->group[i]);
	r->ngroup = 0;
	rule_add_group(r, "host");
	rule_add_group(r, "src_ip");
	r->vagg = vagg;
	r->vk = 1 + rnd_int(3);
	r->eval_ns = ivs[rnd_int(5)];
	int g = rnd_int(3);
	r->vgroup_mode = g == 2 ? WW_GROUP_WITHOUT : WW_GROUP_BY;
	if (g == 1)
		rule_add_vgroup(r, "host");
	if (g == 2)
		rule_add_vgroup(r, "src_ip");
	if (rnd_int(3) == 0)
		random_xforms(&r->xf, &r->nxf);
	if (rnd_int(3) == 0)
		random_xforms(&r->ixf, &r->nixf);
	if (rnd_int(3) == 0) {	/* count(X > 2): a comparison inside */
		r->iop = (enum ww_op)(WW_OP_GT + rnd_int(6));
		r->ithreshold = rnd_int(6);
		r->ibool = rnd_int(4) == 0;
	}
	if (vagg == WW_VAGG_COUNT || vagg == WW_VAGG_STDDEV || vagg == WW_VAGG_STDVAR)
		r->threshold = (double)rnd_int(8) / 2;
}

static void check_steps(enum ww_vagg vagg, uint64_t seed, bool shuffle)
{
	static struct tev ev[600], arr[600];
	static struct tlist want, got;
	rng_state = seed;
	for (int round = 0; round < 40; round++) {
		struct ww_rule r;
		random_step_rule(&r, vagg);
		char err[200];
		assert_int_equal(rule_check(&r, err, sizeof err), 0);
		size_t n = gen_stream(ev, 150 + (size_t)rnd_int(300), 1 + rnd_int(4),
				      r.fn == WW_FN_SUM || r.fn == WW_FN_AVG || r.fn == WW_FN_STDDEV);
		int64_t lateness = 0;
		memcpy(arr, ev, n * sizeof(*ev));
		if (shuffle) {
			lateness = (int64_t)(1 + rnd_int(5)) * S;
			for (size_t i = 0; i < n; i++)
				arr[i].seq = (size_t)(arr[i].ts + rnd_int((int)(lateness / 1000000)) * 1000000LL);
			qsort(arr, n, sizeof(*arr), cmp_arrival);
		}
		want.n = got.n = 0;
		ref_steps(&r, ev, n, &want);
		struct ww_stats st;
		run_engine(&r, arr, n, lateness, 1000, &got, &st);
		char what[96];
		snprintf(what, sizeof what, "%s(%s) seed %llu round %d %s", rule_vagg_str(vagg),
			 rule_fn_str(r.fn), (unsigned long long)seed, round, shuffle ? "shuffled" : "ordered");
		assert_int_equal(st.late, 0);
		assert_same(&want, &got, what);
		assert_int_equal(st.keys, 0);
		rule_free(&r);
	}
}

static void test_vagg_avg(void **s) { (void)s; check_steps(WW_VAGG_AVG, 41, false); check_steps(WW_VAGG_AVG, 42, true); }
static void test_vagg_stddev(void **s) { (void)s; check_steps(WW_VAGG_STDDEV, 43, false); check_steps(WW_VAGG_STDDEV, 44, true); }
static void test_vagg_stdvar(void **s) { (void)s; check_steps(WW_VAGG_STDVAR, 45, false); }
static void test_vagg_topk(void **s) { (void)s; check_steps(WW_VAGG_TOPK, 46, false); check_steps(WW_VAGG_TOPK, 47, true); }
static void test_vagg_bottomk(void **s) { (void)s; check_steps(WW_VAGG_BOTTOMK, 48, false); check_steps(WW_VAGG_BOTTOMK, 49, true); }
static void test_vagg_sort(void **s) { (void)s; check_steps(WW_VAGG_SORT, 50, false); check_steps(WW_VAGG_SORT_DESC, 51, true); }
static void test_vagg_sum_min_max_count(void **s)
{
	(void)s;
	check_steps(WW_VAGG_SUM, 52, false);
	check_steps(WW_VAGG_MIN, 53, true);
	check_steps(WW_VAGG_MAX, 54, false);
	check_steps(WW_VAGG_COUNT, 55, true);
}

/* The bound holds with step rules: inner series count against max_keys. */
static void test_vagg_max_keys(void **s)
{
	(void)s;
	static struct tev ev[400];
	static struct tlist got;
	rng_state = 60;
	struct ww_rule r;
	random_step_rule(&r, WW_VAGG_AVG);
	size_t n = gen_stream(ev, 400, 4, false);
	got.n = 0;
	struct ww_stats st;
	run_engine(&r, ev, n, 0, 2, &got, &st);
	assert_true(st.keys_peak <= 2);
	assert_true(st.evicted > 0);
	assert_int_equal(st.keys, 0);
	rule_free(&r);
}

/* A per-key rule and a step rule share the bound: whichever holds keys
 * gives one up, and the total never passes max_keys. */
static void test_vagg_shared_bound(void **s)
{
	(void)s;
	static struct tev ev[400];
	rng_state = 61;
	struct ww_rule r[2];
	random_rule(&r[0], WW_FN_COUNT);
	random_step_rule(&r[1], WW_VAGG_TOPK);
	size_t n = gen_stream(ev, 400, 4, false);
	struct tlist *got = calloc(1, sizeof(*got));
	struct ww_engine_opts o = { .max_keys = 3, .evidence = 2 };
	struct ww_engine *e = engine_new(r, 2, &o, on_alert, got);
	struct ward_event wev;
	event_init(&wev);
	uint64_t peak = 0;
	for (size_t i = 0; i < n; i++) {
		char key[16];
		event_reset(&wev);
		snprintf(key, sizeof key, "k%d", ev[i].key);
		event_set_field(&wev, "src_ip", key, strlen(key));
		event_set_field(&wev, "host", ev[i].key % 2 ? "h1" : "h0", 2);
		event_set_line(&wev, "x", 1);
		engine_event(e, &wev, ev[i].ts);
		peak = engine_stats(e)->keys > peak ? engine_stats(e)->keys : peak;
	}
	engine_finish(e);
	assert_true(peak <= 3);
	assert_true(engine_stats(e)->keys_peak <= 3);
	assert_true(engine_stats(e)->evicted > 0);
	assert_int_equal(engine_stats(e)->keys, 0);
	engine_free(e);
	event_free(&wev);
	rule_free(&r[0]);
	rule_free(&r[1]);
	free(got);
}

static void test_bytes(void **s)
{
	(void)s;
	check_fn(WW_FN_BYTES, 41, false);
	check_fn(WW_FN_BYTES, 42, true);
	check_fn(WW_FN_BYTES_RATE, 43, false);
}

/* absent_over_time: one series for the rule, whatever the keys. */
static void test_absent(void **s)
{
	(void)s;
	static struct tev ev[600];
	static struct tlist want, got;
	rng_state = 51;
	for (int round = 0; round < 60; round++) {
		struct ww_rule r;
		random_rule(&r, WW_FN_ABSENT);
		r.op = WW_OP_NONE;
		r.bool_result = false;
		size_t n = gen_stream(ev, 20 + (size_t)rnd_int(100), 3, false);
		want.n = got.n = 0;
		ref_key(&r, ev, n, -1, &want);
		struct ww_stats st;
		run_engine(&r, ev, n, 0, 100, &got, &st);
		char what[64];
		snprintf(what, sizeof what, "absent round %d", round);
		assert_same(&want, &got, what);
		rule_free(&r);
	}
}

static void test_set_ops(void **s)
{
	(void)s;
	check_rules(WW_FN_COUNT, WW_FN_COUNT, 31, false);
	check_rules(WW_FN_COUNT, WW_FN_SUM, 32, true);
	check_rules(WW_FN_MAX, WW_FN_DISTINCT, 33, false);
	check_rules(WW_FN_AVG, WW_FN_RATE, 34, true);
}

/* Many keys: the key array grows (and moves) while windows and inline keys
 * are live; every key still agrees with the reference. step: the largest
 * gap between events, in ms. */
static void check_many_keys(size_t n, int nkeys, int step, double threshold, uint64_t peak_min)
{
	enum { NMAX = 200000 };
	static struct tev ev[NMAX], sub[NMAX];
	static size_t first[NMAX + 1];
	static struct tlist want, got;
	assert_true(n <= NMAX && (size_t)nkeys <= NMAX);
	rng_state = 99;
	struct ww_rule r;
	random_rule(&r, WW_FN_COUNT);
	r.op = WW_OP_GT;
	r.threshold = threshold;
	r.range_ns = 20 * S;
	int64_t t = 1700000000LL * S;
	for (size_t i = 0; i < n; i++) {
		t += rnd_int(step) * 1000000LL;
		ev[i].ts = t;
		ev[i].key = rnd_int(nkeys);
		ev[i].v = 1;
		ev[i].distinct = 0;
		ev[i].seq = i;
	}
	/* each key's events in input order (a counting sort), for the reference */
	memset(first, 0, sizeof first);
	for (size_t i = 0; i < n; i++)
		first[ev[i].key + 1]++;
	for (int k = 0; k < nkeys; k++)
		first[k + 1] += first[k];
	for (size_t i = 0; i < n; i++)
		sub[first[ev[i].key]++] = ev[i];
	want.n = got.n = 0;
	for (int k = 0, at = 0; k < nkeys; k++) {
		size_t m = first[k] - (size_t)at;
		ref_key(&r, sub + at, m, k, &want);
		at = (int)first[k];
	}
	struct ww_stats st;
	run_engine(&r, ev, n, 0, 1000000, &got, &st);
	assert_true(want.n > 100);
	assert_same_x(&want, &got, "many keys", true);
	assert_true(st.keys_peak > peak_min);
	assert_int_equal(st.keys, 0);
	rule_free(&r);
}

static void test_many_keys(void **s)
{
	(void)s;
	check_many_keys(30000, 3000, 3, 2, 1000);
}

/* Over 16,384 live keys: the key array passes HUGEMEM_MIN (hugemem.h),
 * moves from malloc to its own mapping and grows there with mremap. */
static void test_huge_key_array(void **s)
{
	(void)s;
	check_many_keys(100000, 40000, 2, 2, 16384);
}

static void test_count(void **s) { (void)s; check_fn(WW_FN_COUNT, 1, false); check_fn(WW_FN_COUNT, 2, true); }
static void test_rate(void **s) { (void)s; check_fn(WW_FN_RATE, 3, false); check_fn(WW_FN_RATE, 4, true); }
static void test_sum(void **s) { (void)s; check_fn(WW_FN_SUM, 5, false); check_fn(WW_FN_SUM, 6, true); }
static void test_avg(void **s) { (void)s; check_fn(WW_FN_AVG, 7, false); check_fn(WW_FN_AVG, 8, true); }
static void test_min(void **s) { (void)s; check_fn(WW_FN_MIN, 9, false); check_fn(WW_FN_MIN, 10, true); }
static void test_max(void **s) { (void)s; check_fn(WW_FN_MAX, 11, false); check_fn(WW_FN_MAX, 12, true); }
static void test_first(void **s) { (void)s; check_fn(WW_FN_FIRST, 13, false); }
static void test_last(void **s) { (void)s; check_fn(WW_FN_LAST, 14, false); }
static void test_stddev(void **s) { (void)s; check_fn(WW_FN_STDDEV, 15, false); check_fn(WW_FN_STDDEV, 16, true); }
static void test_stdvar(void **s) { (void)s; check_fn(WW_FN_STDVAR, 17, false); }
static void test_quantile(void **s) { (void)s; check_fn(WW_FN_QUANTILE, 18, false); check_fn(WW_FN_QUANTILE, 19, true); }
static void test_distinct(void **s) { (void)s; check_fn(WW_FN_DISTINCT, 20, false); check_fn(WW_FN_DISTINCT, 21, true); }

/* Merged sources (issue 15): logs each in time order, interleaved at
 * random as a merge delivers them, give exactly the alerts of the one
 * sorted stream, nothing late, whatever the interleaving. Rules that fire
 * at once may fire with a different count at the same instant (events
 * that share it arrive in another order), so for them states and times
 * are compared. */
static void test_merged_sources(void **s)
{
	(void)s;
	static struct tev ev[600], arr[600];
	static struct tlist want, got;
	static const enum ww_fn fns[] = { WW_FN_COUNT, WW_FN_RATE, WW_FN_SUM, WW_FN_MAX,
					  WW_FN_DISTINCT, WW_FN_AVG, WW_FN_BYTES };
	rng_state = 77;
	for (int round = 0; round < 120; round++) {
		struct ww_rule r;
		if (round % 4 == 3)
			random_step_rule(&r, (enum ww_vagg)(WW_VAGG_SUM + rnd_int(WW_VAGG_SORT_DESC)));
		else
			random_rule(&r, fns[rnd_int(7)]);
		size_t n = gen_stream(ev, 150 + (size_t)rnd_int(300), 1 + rnd_int(4), true);
		unsigned nsrc = 2 + (unsigned)rnd_int(3);
		size_t next[4] = { 0 }, cnt[4] = { 0 }, idx[4][600];
		for (size_t i = 0; i < n; i++) {
			ev[i].src = rnd_int((int)nsrc);
			idx[ev[i].src][cnt[ev[i].src]++] = i;
		}
		/* a random merge that keeps each source's order */
		for (size_t i = 0; i < n; i++) {
			int k;
			do
				k = rnd_int((int)nsrc);
			while (next[k] == cnt[k]);
			arr[i] = ev[idx[k][next[k]++]];
		}
		want.n = got.n = 0;
		struct ww_stats st;
		run_engine(&r, ev, n, 0, 1000, &want, NULL);
		run_engine_src(&r, arr, n, 0, 1000, nsrc, &got, &st);
		assert_int_equal(st.late, 0);
		char what[96];
		snprintf(what, sizeof what, "merged %u sources, %s round %d", nsrc, rule_fn_str(r.fn), round);
		value_loose = engine_rule_eager(&r, 0);
		assert_same_x(&want, &got, what, false);
		value_loose = false;
		assert_int_equal(st.keys, 0);
		rule_free(&r);
	}
}

/* An event is late only against its own source; a silent source stops
 * holding time after the idle timeout; announced sources hold time until
 * seen. */
static void test_source_watermarks(void **s)
{
	(void)s;
	struct ww_wm w;
	int64_t lag;
	watermark_init(&w, 0, 5 * S, 2);
	size_t a = watermark_source(&w, "a", 1), b = watermark_source(&w, "b", 1);
	assert_true(watermark_event(&w, a, 100 * S, 0, NULL));
	assert_true(watermark_event(&w, a, 200 * S, 0, NULL));
	assert_int_equal(watermark_current(&w), INT64_MIN);	/* b not seen yet */
	assert_true(watermark_event(&w, b, 50 * S, 1, NULL));	/* behind a, not late */
	assert_int_equal(watermark_current(&w), 50 * S);
	assert_false(watermark_event(&w, b, 40 * S, 1, &lag));	/* late against b itself */
	assert_int_equal(lag, 10 * S);
	assert_int_equal(w.src[b].late, 1);
	assert_true(watermark_event(&w, a, 210 * S, 2 * S, NULL));
	assert_int_equal(watermark_current(&w), 50 * S);	/* b holds time */
	assert_int_equal(watermark_tick(&w, 5 * S), 50 * S);
	assert_int_equal(watermark_tick(&w, 6 * S), 210 * S);	/* b idle since 1 s + 5 s */
	assert_false(watermark_event(&w, b, 60 * S, 7 * S, &lag));	/* back, but behind time */
	assert_int_equal(lag, 150 * S);
	watermark_free(&w);
	/* an announced source never seen stops holding after the idle time */
	watermark_init(&w, 0, 5 * S, 2);
	a = watermark_source(&w, "a", 1);
	assert_true(watermark_event(&w, a, 100 * S, 0, NULL));
	assert_int_equal(watermark_tick(&w, 4 * S), INT64_MIN);
	assert_int_equal(watermark_tick(&w, 5 * S), INT64_MIN);	/* a itself is idle now */
	assert_true(watermark_event(&w, a, 101 * S, 6 * S, NULL));
	assert_int_equal(watermark_current(&w), 101 * S);
	watermark_free(&w);
}

/* ---- renotify: one behaviour for per-key and step rules ---- */

struct rn_list {
	int state[32];
	bool renotify[32];
	int64_t at[32];
	int n;
};

static void on_rn(void *ctx, const struct ww_alert *a)
{
	struct rn_list *l = ctx;
	if (a->series)
		return;
	assert_true(l->n < 32);
	l->state[l->n] = (int)a->state;
	l->renotify[l->n] = a->renotify;
	l->at[l->n++] = a->at;
}

/* count_over_time([5s]) > 2 with --renotify 4s over one event a second for
 * 21 s, per key and as a step rule at 1 s steps (which sees the same values
 * at the same instants): a firing alert is repeated every renotify interval
 * counted from the last notification, at the first judgement at or after
 * it (>=, docs/window.md), while it fires, and both kinds of rule run the
 * one lifecycle (lifecycle.h), so they send the same notifications. */
static void test_renotify_per_key_and_steps(void **s)
{
	(void)s;
	const int64_t t0 = 1700000000LL * S;
	static const int64_t want_at[] = { 2, 6, 10, 14, 18, 22, 23 };
	for (int step = 0; step < 2; step++) {
		struct ww_rule r;
		rule_init(&r);
		rule_set_str(&r.name, "R");
		rule_add_group(&r, "src_ip");
		r.range_ns = 5 * S;
		r.op = WW_OP_GT;
		r.threshold = 2;
		r.renotify_ns = 4 * S;
		if (step) {
			r.vagg = WW_VAGG_SORT;
			r.eval_ns = S;
		}
		char err[200];
		assert_int_equal(rule_check(&r, err, sizeof err), 0);
		assert_int_equal(rule_is_step(&r), step);
		struct rn_list got = { .n = 0 };
		struct ww_engine_opts o = { .max_keys = 100 };
		struct ww_engine *e = engine_new(&r, 1, &o, on_rn, &got);
		struct ward_event ev;
		event_init(&ev);
		for (int i = 0; i <= 20; i++) {
			event_reset(&ev);
			event_set_field(&ev, "src_ip", "k1", 2);
			event_set_line(&ev, "x", 1);
			ev.ts_ns = t0 + i * S;
			engine_event(e, &ev, ev.ts_ns);
		}
		engine_finish(e);
		engine_free(e);
		event_free(&ev);
		rule_free(&r);
		assert_int_equal(got.n, 7);
		for (int i = 0; i < 7; i++) {
			assert_int_equal(got.state[i], i < 6 ? WW_FIRING : WW_RESOLVED);
			assert_int_equal(got.renotify[i], i > 0 && i < 6);
			assert_int_equal(got.at[i], t0 + want_at[i] * S);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_renotify_per_key_and_steps),
		cmocka_unit_test(test_count),
		cmocka_unit_test(test_many_keys),
		cmocka_unit_test(test_huge_key_array),
		cmocka_unit_test(test_rate),
		cmocka_unit_test(test_sum),
		cmocka_unit_test(test_avg),
		cmocka_unit_test(test_min),
		cmocka_unit_test(test_max),
		cmocka_unit_test(test_first),
		cmocka_unit_test(test_last),
		cmocka_unit_test(test_stddev),
		cmocka_unit_test(test_stdvar),
		cmocka_unit_test(test_quantile),
		cmocka_unit_test(test_distinct),
		cmocka_unit_test(test_set_ops),
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_absent),
		cmocka_unit_test(test_arith_count_rate),
		cmocka_unit_test(test_arith_sum_max),
		cmocka_unit_test(test_arith_distinct),
		cmocka_unit_test(test_vagg_avg),
		cmocka_unit_test(test_vagg_stddev),
		cmocka_unit_test(test_vagg_stdvar),
		cmocka_unit_test(test_vagg_topk),
		cmocka_unit_test(test_vagg_bottomk),
		cmocka_unit_test(test_vagg_sort),
		cmocka_unit_test(test_vagg_sum_min_max_count),
		cmocka_unit_test(test_vagg_max_keys),
		cmocka_unit_test(test_vagg_shared_bound),
		cmocka_unit_test(test_merged_sources),
		cmocka_unit_test(test_source_watermarks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
