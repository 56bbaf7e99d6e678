/* ward-match rules mode with and without the literal prefilters: the same
 * events, in the same order, for many rules (several log queries per rule
 * too, rule_part) over random lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stages/match/match.h"

static int collect(void *ud, const struct ward_event *ev)
{
	event_serialize(ev, ud);
	buf_append_char(ud, '\n');
	return 0;
}

static const char *const words[] = {
	"Failed", "password", "for", "root", "from", "Invalid", "user", "port", "ssh2", "sshd[1]:",
	"error", "ERROR", "kex", "KEX", "alpha", "beta", "gamma", "198.18.0.1", "198.18.0.2", "[preauth]",
};
#define NWORDS (sizeof(words) / sizeof(words[0]))

static unsigned rnd(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return (*s >> 8) & 0xffffff;
}

static void test_same_events(void **state)
{
	(void)state;
	unsigned seed = 99;
	struct ward_buf y = WARD_BUF_INIT, line = WARD_BUF_INIT;
	buf_append_str(&y, "groups:\n  - name: g\n    rules:\n");
	for (int i = 0; i < 60; i++) {
		const char *a = words[rnd(&seed) % NWORDS], *b = words[rnd(&seed) % NWORDS];
		switch (i % 4) {
		case 0:
			buf_printf(&y, "      - alert: R%d\n        expr: '{job=~\".+\"} |= `%s` | regexp `(?P<src_ip>\\d+\\.\\d+\\.\\d+\\.\\d+)`'\n", i, a);
			break;
		case 1:
			buf_printf(&y, "      - alert: R%d\n        expr: '{job=~\".+\"} |~ `%s|%s`'\n", i, a, b);
			break;
		case 2:
			buf_printf(&y, "      - alert: R%d\n        expr: '{job=~\".+\"} |~ `(?i)%s`'\n", i, a);
			break;
		default:	/* two log queries: rule_part 0 and 1 */
			buf_printf(&y, "      - alert: R%d\n        expr: 'sum(count_over_time({job=~\".+\"} |= `%s` [1m])) / "
				   "sum(count_over_time({job=~\".+\"} |= `%s` [1m])) > 1'\n", i, a, b);
		}
	}
	struct ward_ruleset rs = { 0 };
	char err[512];
	if (rules_load_buffer(&rs, y.data, y.len, "test.yaml", err, sizeof err) != 0)
		fail_msg("%s", err);
	struct matcher on, off;
	matcher_init_opts(&on, 100000, true);
	matcher_init_opts(&off, 100000, false);
	assert_int_equal(matcher_add_rules(&on, &rs, NULL, err, sizeof err), 0);
	assert_int_equal(matcher_add_rules(&off, &rs, NULL, err, sizeof err), 0);
	struct ward_buf got = WARD_BUF_INIT, want = WARD_BUF_INIT;
	struct ward_event ev;
	event_init(&ev);
	event_set_label(&ev, "job", "t", 1);
	size_t parts = 0;
	for (int n = 0; n < 2000; n++) {
		buf_reset(&line);
		for (unsigned k = 0, m = rnd(&seed) % 8; k < m; k++)
			buf_printf(&line, "%s%s", k ? " " : "", words[rnd(&seed) % NWORDS]);
		event_set_line(&ev, line.data ? line.data : "", line.len);
		int a = matcher_process(&off, &ev, collect, &want);
		int b = matcher_process(&on, &ev, collect, &got);
		assert_int_equal(a, b);
	}
	for (const char *p = want.data; p && (p = strstr(p, "\"rule_part\":1")); p++)
		parts++;
	assert_true(want.len > 100000);	/* many matches, */
	assert_true(parts > 10);		/* second log queries among them */
	assert_int_equal(got.len, want.len);
	assert_memory_equal(got.data, want.data, want.len);
	event_free(&ev);
	matcher_free(&on);
	matcher_free(&off);
	rules_free(&rs);
	buf_free(&y);
	buf_free(&line);
	buf_free(&got);
	buf_free(&want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_events),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
