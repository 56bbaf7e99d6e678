/* Unit tests: routing events to rules by their `rule` name (route.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "event.h"
#include "stages/window/engine.h"
#include "stages/window/route.h"
#include "wtime.h"

#define S NS_PER_SEC
#define T0 (1700000000LL * S)

static void expect_rules(const struct ww_route *rt, const char *name, const uint32_t *want,
			 uint32_t nwant)
{
	uint32_t n;
	const uint32_t *got = route_rules(rt, name, &n);
	assert_int_equal(n, nwant);
	for (uint32_t i = 0; i < n; i++)
		assert_int_equal(got[i], want[i]);
}

/* Named rules reach their name's events only; wildcards reach every
 * event, named or not, in rule order among the named ones. */
static void test_names_and_wildcards(void **s)
{
	(void)s;
	struct ww_route rt;
	route_init(&rt);
	route_add(&rt, 0, "A", "A");
	route_add(&rt, 1, NULL, NULL);
	route_add(&rt, 2, "B", "B");
	route_add(&rt, 3, "A", "A");
	route_add(&rt, 4, NULL, NULL);
	route_add(&rt, 5, "C", "C");	/* a name first seen after wildcards */
	expect_rules(&rt, "A", (const uint32_t[]){ 0, 1, 3, 4 }, 4);
	expect_rules(&rt, "B", (const uint32_t[]){ 1, 2, 4 }, 3);
	expect_rules(&rt, "C", (const uint32_t[]){ 1, 4, 5 }, 3);
	expect_rules(&rt, "D", (const uint32_t[]){ 1, 4 }, 2);
	expect_rules(&rt, NULL, (const uint32_t[]){ 1, 4 }, 2);
	expect_rules(&rt, "", (const uint32_t[]){ 1, 4 }, 2);
	assert_true(route_has_wild(&rt));
	route_free(&rt);
}

/* A compound rule whose sides take different names reaches both; one
 * side taking any name makes it a wildcard. Names are compared whole. */
static void test_compound_sides(void **s)
{
	(void)s;
	struct ww_route rt;
	route_init(&rt);
	route_add(&rt, 0, "Fail", "Accept");
	route_add(&rt, 1, "Fail", NULL);
	route_add(&rt, 2, "Failed", "Failed");
	expect_rules(&rt, "Fail", (const uint32_t[]){ 0, 1 }, 2);
	expect_rules(&rt, "Accept", (const uint32_t[]){ 0, 1 }, 2);
	expect_rules(&rt, "Failed", (const uint32_t[]){ 1, 2 }, 2);
	expect_rules(&rt, "Fai", (const uint32_t[]){ 1 }, 1);
	route_free(&rt);
}

/* Many names (the shipped packs have 200 rules): each finds its own. */
static void test_many_names(void **s)
{
	(void)s;
	struct ww_route rt;
	route_init(&rt);
	char name[32];
	for (uint32_t i = 0; i < 500; i++) {
		snprintf(name, sizeof name, "Rule%u", i / 2);
		route_add(&rt, i, name, name);
	}
	assert_false(route_has_wild(&rt));
	for (uint32_t i = 0; i < 250; i++) {
		snprintf(name, sizeof name, "Rule%u", i);
		expect_rules(&rt, name, (const uint32_t[]){ 2 * i, 2 * i + 1 }, 2);
	}
	expect_rules(&rt, "Rule250", NULL, 0);
	expect_rules(&rt, NULL, NULL, 0);
	route_free(&rt);
}

struct fired {
	const struct ww_rule *base;
	char order[16];
	int n;
};

static void collect(void *ctx, const struct ww_alert *a)
{
	struct fired *f = ctx;
	if (a->state == WW_FIRING && f->n < 15)
		f->order[f->n++] = (char)('0' + (a->rule - f->base));
}

static void feed(struct ww_engine *e, struct ward_event *ev, int64_t t, const char *rule)
{
	event_reset(ev);
	ev->ts_ns = t;
	event_set_line(ev, "l", 1);
	event_set_rule(ev, rule);
	engine_event(e, ev, t);
}

/* Through the engine: a rule named A counts A's events only, B's rule B's,
 * the rule without a name (a QUERY) every input line once, whatever name
 * it came with, and rules reached by one event fire in rule order. */
static void test_engine_routes(void **s)
{
	(void)s;
	struct ww_rule r[4];
	const char *names[4] = { "A", NULL, "B", "A" };
	const double at[4] = { 2, 3, 1, 2 };
	for (int i = 0; i < 4; i++) {
		rule_init(&r[i]);
		rule_set_str(&r[i].name, "R");
		if (names[i])
			rule_set_str(&r[i].match_rule, names[i]);
		r[i].range_ns = 60 * S;
		r[i].op = WW_OP_GE;
		r[i].threshold = at[i];
	}
	struct fired f = { .base = r };
	struct ww_engine_opts o = { 0 };
	o.max_keys = 100;
	struct ww_engine *e = engine_new(r, 4, &o, collect, &f);
	struct ward_event ev;
	event_init(&ev);
	feed(e, &ev, T0, "A");	/* line 1, tagged A then B: 0, 1 and 3 count it */
	feed(e, &ev, T0, "B");	/* 2 fires (>= 1); 1 does not count the line again */
	feed(e, &ev, T0 + S, "C");	/* a name no rule has: only 1 (2 lines) */
	feed(e, &ev, T0 + 2 * S, "A");	/* 0, 1 (3 lines) and 3 fire, in rule order */
	feed(e, &ev, T0 + 3 * S, NULL);	/* no name: 1 only (firing already) */
	engine_finish(e);
	f.order[f.n] = '\0';
	assert_string_equal(f.order, "2013");
	engine_free(e);
	event_free(&ev);
	for (int i = 0; i < 4; i++)
		rule_free(&r[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_and_wildcards),
		cmocka_unit_test(test_compound_sides),
		cmocka_unit_test(test_many_names),
		cmocka_unit_test(test_engine_routes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
