/* ward-match with alert rules that share a name: each rule's events carry
 * its "rule_id" (and the user's name in "rule"), a line is tagged only by
 * the rules whose expr selects it, rules of one name and one expr (another
 * for:) tag a line once, and rules with names of their own are written as
 * before, without "rule_id". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stages/match/match.h"

static int collect(void *ud, const struct ward_event *ev)
{
	event_serialize(ev, ud);
	buf_append_char(ud, '\n');
	return 0;
}

/* Brute twice in one group and once more in a second group (the same expr
 * as the first, another for:), Solo alone. */
static const char yaml[] =
	"groups:\n"
	"  - name: g\n"
	"    rules:\n"
	"      - alert: Brute\n"
	"        expr: 'sum by (src_ip) (count_over_time({job=~\".+\"} |= \"Failed\" | regexp `from (?P<src_ip>\\S+)` [1m])) >= 3'\n"
	"      - alert: Brute\n"
	"        expr: '{job=~\".+\"} |= \"Invalid\" | regexp `from (?P<src_ip>\\S+)`'\n"
	"      - alert: Solo\n"
	"        expr: '{job=~\".+\"} |= \"Solo\" | regexp `from (?P<src_ip>\\S+)`'\n"
	"  - name: h\n"
	"    rules:\n"
	"      - alert: Brute\n"
	"        expr: 'sum by (src_ip) (count_over_time({job=~\".+\"} |= \"Failed\" | regexp `from (?P<src_ip>\\S+)` [1m])) >= 3'\n"
	"        for: 5m\n";

static void run(struct matcher *m, const char *line, struct ward_buf *out)
{
	struct ward_event ev;
	event_init(&ev);
	event_set_label(&ev, "job", "t", 1);
	event_set_line(&ev, line, strlen(line));
	buf_reset(out);
	assert_true(matcher_process(m, &ev, collect, out) >= 0);
	event_free(&ev);
}

static size_t count(const struct ward_buf *b, const char *s)
{
	size_t n = 0;
	for (const char *p = b->data; p && (p = strstr(p, s)); p++)
		n++;
	return n;
}

static void test_rule_ids(void **state)
{
	(void)state;
	char path[] = "/tmp/ward_match_samename.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, yaml, strlen(yaml)), (ssize_t)strlen(yaml));
	close(fd);
	struct ward_ruleset rs = { 0 };
	char err[512];
	assert_int_equal(rules_load_path(&rs, path, err, sizeof err), 0);
	unlink(path);
	assert_int_equal(rs.n, 4);
	assert_true(rs.rules[0].name_shared && rs.rules[1].name_shared && rs.rules[3].name_shared);
	assert_false(rs.rules[2].name_shared);
	assert_string_equal(rs.rules[0].id, rs.rules[3].id);	/* one expr, one id */
	assert_string_not_equal(rs.rules[0].id, rs.rules[1].id);
	struct matcher m;
	matcher_init(&m, 100000);
	assert_int_equal(matcher_add_rules(&m, &rs, NULL, err, sizeof err), 0);
	struct ward_buf out = WARD_BUF_INIT, want = WARD_BUF_INIT;

	run(&m, "Failed password for root from 198.18.0.1 port 22", &out);
	buf_printf(&want, "\"rule\":\"Brute\",\"rule_id\":\"%s\"}", rs.rules[0].id);
	assert_int_equal(count(&out, "\n"), 1);	/* once for its two rules */
	assert_non_null(strstr(buf_cstr(&out), buf_cstr(&want)));

	run(&m, "Invalid user bob from 198.18.0.2 port 22", &out);
	buf_reset(&want);
	buf_printf(&want, "\"rule\":\"Brute\",\"rule_id\":\"%s\"}", rs.rules[1].id);
	assert_int_equal(count(&out, "\n"), 1);	/* not the other Brute's */
	assert_non_null(strstr(buf_cstr(&out), buf_cstr(&want)));

	run(&m, "Failed Invalid from 198.18.0.3", &out);	/* both exprs select it */
	assert_int_equal(count(&out, "\"rule\":\"Brute\""), 2);
	assert_int_equal(count(&out, rs.rules[0].id), 1);
	assert_int_equal(count(&out, rs.rules[1].id), 1);

	run(&m, "Solo from 198.18.0.4", &out);	/* a name of its own: no id */
	assert_non_null(strstr(buf_cstr(&out), "\"fields\":{\"src_ip\":\"198.18.0.4\"},\"rule\":\"Solo\"}\n"));
	assert_null(strstr(buf_cstr(&out), "rule_id"));

	matcher_free(&m);
	rules_free(&rs);
	buf_free(&out);
	buf_free(&want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule_ids),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
