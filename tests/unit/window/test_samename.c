/* Alert rules that share a name (Loki and Prometheus allow it): each rule
 * of a ruler file takes only the events ward-match tagged with its own
 * "rule_id", across two files and within one group, so one rule's events
 * never reach another's count; a name no other rule has needs no id. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "event.h"
#include "rules.h"
#include "stages/window/engine.h"
#include "stages/window/ruleset.h"
#include "wtime.h"

#define S NS_PER_SEC
#define T0 (1700000000LL * S)

/* a.yaml: two Brute rules in one group (3 "Failed", 2 "Invalid"); b.yaml:
 * a third Brute (1 "Timeout") and Solo, a name of its own. */
static const char a_yaml[] =
	"groups:\n"
	"  - name: g\n"
	"    rules:\n"
	"      - alert: Brute\n"
	"        expr: 'sum by (src_ip) (count_over_time({job=~\".+\"} |= \"Failed\" | regexp `from (?P<src_ip>\\S+)` [1m])) >= 3'\n"
	"      - alert: Brute\n"
	"        expr: 'sum by (src_ip) (count_over_time({job=~\".+\"} |= \"Invalid\" | regexp `from (?P<src_ip>\\S+)` [1m])) >= 2'\n";
static const char b_yaml[] =
	"groups:\n"
	"  - name: other\n"
	"    rules:\n"
	"      - alert: Brute\n"
	"        expr: 'sum by (src_ip) (count_over_time({job=~\".+\"} |= \"Timeout\" | regexp `from (?P<src_ip>\\S+)` [1m])) >= 1'\n"
	"      - alert: Solo\n"
	"        expr: 'sum by (src_ip) (count_over_time({job=~\".+\"} |= \"Solo\" | regexp `from (?P<src_ip>\\S+)` [1m])) >= 2'\n";

static char dir[64];

static void write_file(const char *name, const char *text)
{
	char path[128];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **s)
{
	(void)s;
	snprintf(dir, sizeof dir, "/tmp/ward_samename.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	write_file("a.yaml", a_yaml);
	write_file("b.yaml", b_yaml);
	return 0;
}

static int teardown(void **s)
{
	(void)s;
	char path[128];
	snprintf(path, sizeof path, "%s/a.yaml", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/b.yaml", dir);
	unlink(path);
	rmdir(dir);
	return 0;
}

struct fired {
	const struct ww_rule *base;
	int n;
	size_t rule[16];
	char key[16][32];
};

static void collect(void *ctx, const struct ww_alert *a)
{
	struct fired *f = ctx;
	if (a->state != WW_FIRING || f->n >= 16)
		return;
	f->rule[f->n] = (size_t)(a->rule - f->base);
	snprintf(f->key[f->n], sizeof f->key[0], "%.*s", (int)a->key_lens[0], a->key_vals[0]);
	f->n++;
}

/* one event as ward-match writes it: "rule", and "rule_id" unless NULL */
static void feed(struct ww_engine *e, struct ward_event *ev, int64_t t, const char *rule,
		 const char *id, const char *src)
{
	event_reset(ev);
	ev->ts_ns = t;
	event_set_line(ev, src, strlen(src));
	event_set_field(ev, "src_ip", src, strlen(src));
	event_set_rule(ev, rule);
	if (id)
		event_set_extra(ev, "rule_id", json_object_new_string(id));
	engine_event(e, ev, t);
}

static void test_ids(void **s)
{
	(void)s;
	struct ward_ruleset rs = { 0 };
	char err[512];
	assert_int_equal(rules_load_path(&rs, dir, err, sizeof err), 0);
	assert_int_equal(rs.n, 4);
	for (size_t i = 0; i < 3; i++) {
		assert_string_equal(rs.rules[i].name, "Brute");
		assert_true(rs.rules[i].name_shared);
		assert_int_equal(strlen(rs.rules[i].id), 16);
	}
	assert_string_not_equal(rs.rules[0].id, rs.rules[1].id);
	assert_string_not_equal(rs.rules[0].id, rs.rules[2].id);
	assert_string_not_equal(rs.rules[1].id, rs.rules[2].id);
	assert_false(rs.rules[3].name_shared);	/* Solo */
	/* the id depends on the expr alone: the same in a second load of the
	 * file on its own (ward-match and ward-window load independently) */
	struct ward_ruleset one = { 0 };
	char path[128];
	snprintf(path, sizeof path, "%s/b.yaml", dir);
	assert_int_equal(rules_load_path(&one, path, err, sizeof err), 0);
	assert_string_equal(one.rules[0].id, rs.rules[2].id);
	assert_false(one.rules[0].name_shared);	/* alone in this set */
	rules_free(&one);
	rules_free(&rs);
}

static void test_kept_apart(void **s)
{
	(void)s;
	struct ward_ruleset ids = { 0 };
	char err[512];
	assert_int_equal(rules_load_path(&ids, dir, err, sizeof err), 0);
	struct ruleset rs;
	struct ruleset_opts o;
	ruleset_opts_defaults(&o);
	o.rules_file = dir;
	assert_int_equal(ruleset_build(&rs, &o, NULL, err, sizeof err), 0);
	ruleset_opts_free(&o);
	assert_int_equal(rs.n, 4);
	struct fired f = { .base = rs.rules };
	struct ww_engine *e = engine_new(rs.rules, rs.n, &rs.eopts, collect, &f);
	struct ward_event ev;
	event_init(&ev);
	/* 2 events of the first Brute (threshold 3), 2 of the second (2):
	 * sharing, the first would see 4 and fire */
	for (int i = 0; i < 2; i++) {
		feed(e, &ev, T0 + i * S, "Brute", ids.rules[0].id, "198.18.0.1");
		feed(e, &ev, T0 + i * S, "Brute", ids.rules[1].id, "198.18.0.1");
	}
	/* an event of the name without an id: no rule of a shared name takes it */
	feed(e, &ev, T0 + 2 * S, "Brute", NULL, "198.18.0.3");
	/* Solo needs no id; one with another id is not Solo's */
	feed(e, &ev, T0 + 2 * S, "Solo", NULL, "198.18.0.4");
	feed(e, &ev, T0 + 3 * S, "Solo", ids.rules[0].id, "198.18.0.4");
	feed(e, &ev, T0 + 4 * S, "Solo", NULL, "198.18.0.4");
	engine_finish(e);
	assert_int_equal(f.n, 2);
	assert_int_equal(f.rule[0], 1);	/* the second Brute only */
	assert_string_equal(f.key[0], "198.18.0.1");
	assert_int_equal(f.rule[1], 3);	/* Solo, at its second own event */
	assert_string_equal(f.key[1], "198.18.0.4");
	engine_free(e);
	event_free(&ev);
	ruleset_free(&rs);
	rules_free(&ids);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_kept_apart),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
