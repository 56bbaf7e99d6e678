/* Unit tests of the alert lifecycle state machine (lifecycle.h): pending,
 * firing, resolved, for, keep_firing_for, renotify, value at resolution. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "stages/window/lifecycle.h"

struct evs {
	struct ww_life_ev e[32];
	int n;
};

static void rec(void *ctx, const struct ww_life_ev *ev)
{
	struct evs *l = ctx;
	assert_true(l->n < 32);
	l->e[l->n++] = *ev;
}

static void expect(const struct evs *l, int i, enum ww_state st, bool renotify, int64_t at, double v)
{
	assert_true(i < l->n);
	assert_int_equal(l->e[i].state, st);
	assert_int_equal(l->e[i].renotify, renotify);
	assert_int_equal(l->e[i].at, at);
	assert_true(l->e[i].value == v);
}

static void test_for_pending_then_firing(void **s)
{
	(void)s;
	struct ww_life l;
	struct evs out = { .n = 0 };
	const struct ww_life_params p = { .for_ns = 10 };
	lifecycle_init(&l);
	lifecycle_judge(&l, &p, 100, true, 6, rec, &out);
	expect(&out, 0, WW_PENDING, false, 100, 6);
	assert_int_equal(lifecycle_next_deadline(&l, &p), 110);
	lifecycle_timers(&l, &p, 110, rec, &out);	/* strictly before 110: nothing */
	assert_int_equal(out.n, 1);
	lifecycle_timers(&l, &p, 111, rec, &out);
	expect(&out, 1, WW_FIRING, false, 110, 6);
	/* resolved with the value at resolution, not the firing one */
	lifecycle_judge(&l, &p, 120, false, 4, rec, &out);
	expect(&out, 2, WW_RESOLVED, false, 120, 4);
	assert_int_equal(l.state, WW_INACTIVE);
}

static void test_pending_silently_inactive(void **s)
{
	(void)s;
	struct ww_life l;
	struct evs out = { .n = 0 };
	const struct ww_life_params p = { .for_ns = 10 };
	lifecycle_init(&l);
	lifecycle_judge(&l, &p, 100, true, 6, rec, &out);
	lifecycle_judge(&l, &p, 105, false, 2, rec, &out);
	assert_int_equal(out.n, 1);
	assert_int_equal(l.state, WW_INACTIVE);
	assert_int_equal(lifecycle_next_deadline(&l, &p), INT64_MAX);
}

/* keep_firing_for: a flapping condition keeps one firing alert; it
 * resolves once false for the whole keep time, at its exact end. */
static void test_keep_firing_for(void **s)
{
	(void)s;
	struct ww_life l;
	struct evs out = { .n = 0 };
	const struct ww_life_params p = { .keep_ns = 30 };
	lifecycle_init(&l);
	lifecycle_judge(&l, &p, 0, true, 6, rec, &out);
	expect(&out, 0, WW_FIRING, false, 0, 6);
	for (int64_t t = 5; t < 100; t += 10) {	/* false 5 s, true 5 s, ... */
		lifecycle_judge(&l, &p, t, false, 4, rec, &out);
		lifecycle_judge(&l, &p, t + 5, true, 7, rec, &out);
	}
	assert_int_equal(out.n, 1);
	lifecycle_judge(&l, &p, 110, false, 3, rec, &out);
	assert_int_equal(lifecycle_next_deadline(&l, &p), 140);
	lifecycle_judge(&l, &p, 120, false, 2, rec, &out);	/* the countdown runs from 110 */
	assert_int_equal(out.n, 1);
	lifecycle_timers(&l, &p, 200, rec, &out);
	expect(&out, 1, WW_RESOLVED, false, 140, 2);
	/* at steps: judged at the deadline itself */
	lifecycle_init(&l);
	out.n = 0;
	lifecycle_judge(&l, &p, 0, true, 6, rec, &out);
	lifecycle_judge(&l, &p, 10, false, 1, rec, &out);
	lifecycle_judge(&l, &p, 39, false, 1, rec, &out);
	assert_int_equal(out.n, 1);
	lifecycle_judge(&l, &p, 40, false, 0, rec, &out);
	expect(&out, 1, WW_RESOLVED, false, 40, 0);
}

static void test_renotify(void **s)
{
	(void)s;
	struct ww_life l;
	struct evs out = { .n = 0 };
	const struct ww_life_params p = { .renotify_ns = 10, .keep_ns = 15 };
	lifecycle_init(&l);
	lifecycle_judge(&l, &p, 0, true, 6, rec, &out);
	lifecycle_timers(&l, &p, 25, rec, &out);
	expect(&out, 1, WW_FIRING, true, 10, 6);
	expect(&out, 2, WW_FIRING, true, 20, 6);
	lifecycle_judge(&l, &p, 25, false, 1, rec, &out);	/* keeping until 40 */
	lifecycle_timers(&l, &p, 1000, rec, &out);
	expect(&out, 3, WW_FIRING, true, 30, 6);
	expect(&out, 4, WW_RESOLVED, false, 40, 1);
	assert_int_equal(out.n, 5);
	/* at steps: a renotify due at the step is sent there */
	lifecycle_init(&l);
	out.n = 0;
	lifecycle_judge(&l, &p, 0, true, 6, rec, &out);
	lifecycle_judge(&l, &p, 10, true, 8, rec, &out);
	expect(&out, 1, WW_FIRING, true, 10, 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_for_pending_then_firing),
		cmocka_unit_test(test_pending_silently_inactive),
		cmocka_unit_test(test_keep_firing_for),
		cmocka_unit_test(test_renotify),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
