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

/* Prometheus lifecycle over the exact change points of one key. */
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
		horizon = last + r->range_ns + r->for_ns + 1;
		pts[np++] = horizon;
	}
	qsort(pts, np, sizeof(int64_t), cmp_i64);
	char kname[32] = "";
	if (key >= 0)
		snprintf(kname, sizeof kname, "k%d", key);
	int state = WW_INACTIVE;
	int64_t since = 0, notified = 0;
	double value = 0;
	for (size_t i = 0; i < np; i++) {
		int64_t c = pts[i];
		if (i > 0 && c == pts[i - 1])
			continue;
		if (c == horizon) {	/* timers only: the end of input */
			if (state == WW_PENDING && since + r->for_ns < c) {
				push(out, kname, WW_FIRING, since + r->for_ns, value);
				state = WW_FIRING;
				notified = since + r->for_ns;
			}
			while (state == WW_FIRING && r->renotify_ns && notified + r->renotify_ns < c) {
				notified += r->renotify_ns;
				push(out, kname, WW_FIRING, notified, value);
			}
			break;
		}
		if (state == WW_PENDING && since + r->for_ns < c) {
			push(out, kname, WW_FIRING, since + r->for_ns, value);
			state = WW_FIRING;
			notified = since + r->for_ns;
		}
		while (state == WW_FIRING && r->renotify_ns && notified + r->renotify_ns < c) {
			notified += r->renotify_ns;
			push(out, kname, WW_FIRING, notified, value);
		}
		double v, va = 0, vb = 0;
		bool has = ref_value(r, ev, n, key, r->rhs ? 0 : -1, c, &va);
		bool cond = rule_side_holds(r, has, va, &va);
		v = va;
		if (r->rhs) {
			bool hb = ref_value(r->rhs, ev, n, key, 1, c, &vb);
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
		if (state == WW_INACTIVE && cond) {
			since = c;
			value = v;
			if (r->for_ns == 0) {
				push(out, kname, WW_FIRING, c, v);
				state = WW_FIRING;
				notified = c;
			} else {
				push(out, kname, WW_PENDING, c, v);
				state = WW_PENDING;
			}
		} else if (state == WW_PENDING && !cond) {
			state = WW_INACTIVE;
		} else if (state == WW_PENDING && c - since >= r->for_ns) {
			value = v;
			push(out, kname, WW_FIRING, c, v);
			state = WW_FIRING;
			notified = c;
		} else if (state == WW_FIRING && !cond) {
			push(out, kname, WW_RESOLVED, c, value);
			state = WW_INACTIVE;
		}
		if (cond)
			value = v;
	}
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
	push(l, key, (int)a->state, a->at, a->value);
}

static void run_engine(const struct ww_rule *r, const struct tev *arrivals, size_t n,
		       int64_t lateness, size_t max_keys, struct tlist *out, struct ww_stats *st)
{
	struct ww_engine_opts o = { .max_keys = max_keys, .lateness_ns = lateness, .evidence = 3 };
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
		event_set_field(&ev, "val", val, strlen(val));
		event_set_field(&ev, "user", dv, strlen(dv));
		event_set_field(&ev, "side", arrivals[i].side ? "1" : "0", 1);
		static const char text[] = "Failed password for root from 198.18.0.7 port 4242 ssh2";
		event_set_line(&ev, text, (size_t)arrivals[i].len);
		ev.ts_ns = arrivals[i].ts;
		engine_event(e, &ev, arrivals[i].ts);
	}
	engine_finish(e);
	if (st)
		*st = *engine_stats(e);
	engine_free(e);
	event_free(&ev);
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
		if (strcmp(w->key, g->key) || w->state != g->state || w->at != g->at || value_differs) {
			print_error("%s: #%zu want %s %s at %lld value %.17g, got %s %s at %lld value %.17g\n",
				    what, i, w->key, ww_state_str(w->state), (long long)w->at, w->value,
				    g->key, ww_state_str(g->state), (long long)g->at, g->value);
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

/* Thousands of keys: the key array grows (and moves) while windows and
 * inline keys are live; every key still agrees with the reference. */
static void test_many_keys(void **s)
{
	(void)s;
	enum { N = 30000, K = 3000 };
	static struct tev ev[N], sub[N];
	static struct tlist want, got;
	rng_state = 99;
	struct ww_rule r;
	random_rule(&r, WW_FN_COUNT);
	r.op = WW_OP_GT;
	r.threshold = 2;
	r.range_ns = 20 * S;
	int64_t t = 1700000000LL * S;
	for (size_t i = 0; i < N; i++) {
		t += rnd_int(3) * 1000000LL;
		ev[i].ts = t;
		ev[i].key = rnd_int(K);
		ev[i].v = 1;
		ev[i].distinct = 0;
		ev[i].seq = i;
	}
	want.n = got.n = 0;
	for (int k = 0; k < K; k++) {
		size_t m = 0;
		for (size_t i = 0; i < N; i++)
			if (ev[i].key == k)
				sub[m++] = ev[i];
		ref_key(&r, sub, m, k, &want);
	}
	struct ww_stats st;
	run_engine(&r, ev, N, 0, 1000000, &got, &st);
	assert_true(want.n > 100);
	assert_same_x(&want, &got, "many keys", true);
	assert_true(st.keys_peak > 1000);
	assert_int_equal(st.keys, 0);
	rule_free(&r);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_count),
		cmocka_unit_test(test_many_keys),
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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
