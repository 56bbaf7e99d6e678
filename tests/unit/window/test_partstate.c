/* Unit tests of ward-window's state per input partition (partstate.h):
 * an owner that commits (hold offset + metadata) and dies right there, and
 * a next owner that replays from the held offset with that metadata, send
 * together exactly the transitions one engine sends over the whole stream;
 * the metadata round trip; what is suppressed is counted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "stages/window/engine.h"
#include "stages/window/partstate.h"
#include "stages/window/rule.h"
#include "wtime.h"

#define S NS_PER_SEC
#define MAXEV 600
#define MAXT 4096

struct trans {
	char key[16];
	int state;
	int64_t at;
};

struct tlist {
	struct trans t[MAXT];
	size_t n;
};

static uint64_t rng_state;
static int rnd_int(int n)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (int)((rng_state >> 33) % (uint64_t)n);
}

static void on_alert(void *ctx, const struct ww_alert *a)
{
	struct tlist *l = ctx;
	assert_true(l->n < MAXT);
	struct trans *t = &l->t[l->n++];
	snprintf(t->key, sizeof t->key, "%s", a->nkey ? a->key_vals[0] : "");
	t->state = (int)a->state;
	t->at = a->at;
}

static int cmp_trans(const void *a, const void *b)
{
	const struct trans *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	if (c)
		return c;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->state - y->state;
}

struct stream {
	int64_t ts[MAXEV];
	int key[MAXEV];
	size_t n;
};

static void gen(struct stream *s, size_t n, int nkeys)
{
	int64_t t = 1700000000LL * S;
	for (size_t i = 0; i < n; i++) {
		int step = rnd_int(10);
		t += step < 3 ? 0 : step < 8 ? (int64_t)rnd_int(2000) * 1000000 : (int64_t)rnd_int(15) * S;
		s->ts[i] = t;
		s->key[i] = rnd_int(nkeys);
	}
	s->n = n;
}

static void feed(struct ww_engine *e, struct ward_event *ev, const struct stream *s, size_t i)
{
	char key[16];
	event_reset(ev);
	snprintf(key, sizeof key, "k%d", s->key[i]);
	event_set_field(ev, "src_ip", key, strlen(key));
	event_set_line(ev, "x", 1);
	ev->ts_ns = s->ts[i];
	engine_event_from(e, ev, s->ts[i], 0, 0, NULL);
}

static void rule(struct ww_rule *r)
{
	rule_init(r);
	rule_set_str(&r->name, "R");
	rule_add_group(r, "src_ip");
	r->fn = WW_FN_COUNT;
	r->range_ns = (int64_t)(1 + rnd_int(12)) * S;
	r->op = rnd_int(2) ? WW_OP_GT : WW_OP_LT;
	r->threshold = rnd_int(5);
	r->for_ns = rnd_int(2) ? 0 : (int64_t)rnd_int(6) * S;	/* eager when 0 with > */
}

/* Owner A feeds records [0, crash), commits and dies; owner B starts at the
 * held offset with the metadata and feeds to the end. */
static void move_once(const struct ww_rule *r, const struct stream *s, size_t crash,
		      struct tlist *got, uint64_t *suppressed)
{
	const struct ww_engine_opts o = { .evidence = 0 };
	struct ward_event ev;
	event_init(&ev);
	struct ww_parts *a = parts_new(r, 1, &o, on_alert, got);
	struct ww_part *pa = parts_get(a, 3, NULL);
	for (size_t i = 0; i < crash; i++) {
		part_note(pa, (int64_t)i, s->ts[i]);
		feed(pa->eng, &ev, s, i);
		part_judged(pa);
	}
	char meta[1024];
	int64_t off = part_hold_meta(pa, meta, sizeof meta);
	assert_true(off >= -1 && off <= (int64_t)crash);
	if (off < 0)
		off = 0;
	parts_free(a);	/* SIGKILL: nothing more is sent */
	struct ww_parts *b = parts_new(r, 1, &o, on_alert, got);
	struct ww_part *pb = parts_get(b, 3, crash ? meta : NULL);
	for (size_t i = (size_t)off; i < s->n; i++) {
		part_note(pb, (int64_t)i, s->ts[i]);
		feed(pb->eng, &ev, s, i);
		part_judged(pb);
	}
	engine_finish(pb->eng);
	*suppressed += parts_counts(b)->suppressed;
	assert_int_equal(parts_counts(b)->replayed, crash ? crash - (size_t)off : 0);
	parts_free(b);
	event_free(&ev);
}

static void one_engine(const struct ww_rule *r, const struct stream *s, struct tlist *want)
{
	const struct ww_engine_opts o = { .evidence = 0 };
	struct ward_event ev;
	event_init(&ev);
	struct ww_engine *e = engine_new(r, 1, &o, on_alert, want);
	for (size_t i = 0; i < s->n; i++)
		feed(e, &ev, s, i);
	engine_finish(e);
	engine_free(e);
	event_free(&ev);
}

static void test_move_is_exact(void **st)
{
	(void)st;
	static struct tlist want, got;
	static struct stream s;
	uint64_t suppressed = 0;
	for (int round = 0; round < 1000; round++) {
		rng_state = 0x9e3779b97f4a7c15ULL * (uint64_t)(round + 1);
		struct ww_rule r;
		rule(&r);
		gen(&s, 50 + (size_t)rnd_int(MAXEV - 50), 1 + rnd_int(6));
		size_t crash = (size_t)rnd_int((int)s.n + 1);
		want.n = got.n = 0;
		one_engine(&r, &s, &want);
		move_once(&r, &s, crash, &got, &suppressed);
		qsort(want.t, want.n, sizeof want.t[0], cmp_trans);
		qsort(got.t, got.n, sizeof got.t[0], cmp_trans);
		if (want.n != got.n || memcmp(want.t, got.t, want.n * sizeof want.t[0]) != 0) {
			fprintf(stderr, "round %d: crash at %zu of %zu, range %lld s, for %lld s, op %d %g: "
				"%zu transitions, want %zu\n", round, crash, s.n,
				(long long)(r.range_ns / S), (long long)(r.for_ns / S), (int)r.op, r.threshold, got.n, want.n);
			fail();
		}
		rule_free(&r);
	}
	assert_true(suppressed > 0);	/* replays did re-judge sent transitions */
}

static void test_metadata_round_trip(void **st)
{
	(void)st;
	struct ww_rule r;
	rule_init(&r);
	rule_set_str(&r.name, "R");
	rule_add_group(&r, "src_ip");
	r.fn = WW_FN_COUNT;
	r.range_ns = 10 * S;
	r.op = WW_OP_GT;
	r.threshold = 1;
	static struct tlist got;
	got.n = 0;
	const struct ww_engine_opts o = { .evidence = 0 };
	struct ww_parts *a = parts_new(&r, 1, &o, on_alert, &got);
	struct ww_part *p = parts_get(a, 0, NULL);
	struct ward_event ev;
	event_init(&ev);
	static struct stream s = { .n = 2 };
	s.ts[0] = s.ts[1] = 100 * S;	/* the second fires at once, at 100 s */
	for (size_t i = 0; i < 2; i++) {
		part_note(p, (int64_t)i + 40, s.ts[i]);
		feed(p->eng, &ev, &s, i);
		part_judged(p);
	}
	assert_int_equal(got.n, 1);
	char meta[1024];
	assert_int_equal(part_hold_meta(p, meta, sizeof meta), 40);
	/* judged is 100 s (instants before it); the firing at 100 s is carried
	 * by its fingerprint */
	assert_non_null(strstr(meta, "ward-window/1 J=100000000000 R=42 F="));
	assert_non_null(strstr(meta, "@100000000000"));
	struct ww_parts *b = parts_new(&r, 1, &o, on_alert, &got);
	struct ww_part *q = parts_get(b, 0, meta);
	assert_int_equal(q->sent_before, 100 * S);
	assert_int_equal(q->replay_to, 42);
	assert_int_equal(q->nsent, 1);
	for (size_t i = 0; i < 2; i++) {
		part_note(q, (int64_t)i + 40, s.ts[i]);
		feed(q->eng, &ev, &s, i);
		part_judged(q);
	}
	assert_int_equal(got.n, 1);	/* the replayed firing is not sent again */
	assert_int_equal(parts_counts(b)->suppressed, 1);
	assert_int_equal(parts_counts(b)->replayed, 2);
	assert_int_equal(parts_counts(b)->restored, 1);
	/* a foreign or damaged metadata restores nothing */
	struct ww_part *x = parts_get(b, 1, "something else J=5");
	assert_int_equal(x->sent_before, INT64_MIN);
	parts_free(a);
	parts_free(b);
	event_free(&ev);
	rule_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_move_is_exact),
		cmocka_unit_test(test_metadata_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
