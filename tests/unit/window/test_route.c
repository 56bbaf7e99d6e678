/* Unit tests: routing events to rules by their `rule` name (route.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "stages/window/route.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_and_wildcards),
		cmocka_unit_test(test_compound_sides),
		cmocka_unit_test(test_many_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
