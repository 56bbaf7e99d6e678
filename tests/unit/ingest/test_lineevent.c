/* Unit tests: one raw line to one event. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "stages/ingest/lineevent.h"
#include "wtime.h"

static const int64_t NOW = 1795867200LL * NS_PER_SEC;	/* 2026-11-28T12:00:00Z */

static void test_labels_and_syslog_time(void **state)
{
	(void)state;
	const char *items[] = { "job=sshd", "host=web1", NULL };
	struct opt_list l = { items, 2, 3 };
	struct lineevent_conf c = { .ts_mode = TS_AUTO };
	const char *bad = NULL;
	assert_int_equal(lineevent_labels(&c, &l, &bad), 0);
	struct ward_event ev;
	event_init(&ev);
	const char *line = "Nov 28 08:43:52 web1 sshd[812]: Failed password";
	assert_int_equal(lineevent_build(&c, &ev, line, strlen(line), NOW, NOW), 1);
	char ts[WARD_RFC3339_LEN];
	time_format_rfc3339(ev.ts_ns, ts);
	assert_string_equal(ts, "2026-11-28T08:43:52.000000000Z");
	assert_string_equal(event_label(&ev, "host")->val, "web1");
	assert_string_equal(ev.line, line);
	/* no time in the line: arrival time */
	assert_int_equal(lineevent_build(&c, &ev, "hello", 5, NOW, NOW), 0);
	assert_true(ev.ts_ns == NOW);
	event_free(&ev);
	lineevent_conf_free(&c);
}

static void test_modes(void **state)
{
	(void)state;
	struct lineevent_conf c = { 0 };
	struct ward_event ev;
	event_init(&ev);
	assert_int_equal(ts_mode_parse("epoch", &c.ts_mode), 0);
	assert_int_equal(lineevent_build(&c, &ev, "1795867200.5 x", 14, 0, 0), 1);
	assert_true(ev.ts_ns == NOW + NS_PER_SEC / 2);
	assert_int_equal(ts_mode_parse("rfc3339", &c.ts_mode), 0);
	assert_int_equal(lineevent_build(&c, &ev, "Nov 28 08:43:52 x", 17, NOW, NOW), 0);
	assert_int_equal(ts_mode_parse("none", &c.ts_mode), 0);
	assert_int_equal(lineevent_build(&c, &ev, "2026-11-28T12:00:00Z x", 22, 7, 7), 0);
	assert_true(ev.ts_ns == 7);
	assert_int_equal(ts_mode_parse("bogus", &c.ts_mode), -1);
	event_free(&ev);
}

static void test_bad_label_names(void **state)
{
	(void)state;
	static const char *const bad[] = { "novalue", "1abc=x", "a-b=x", "=x", "a b=x" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *items[] = { bad[i], NULL };
		struct opt_list l = { items, 1, 2 };
		struct lineevent_conf c = { 0 };
		const char *which = NULL;
		assert_int_equal(lineevent_labels(&c, &l, &which), -1);
		assert_string_equal(which, bad[i]);
		lineevent_conf_free(&c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_labels_and_syslog_time),
		cmocka_unit_test(test_modes),
		cmocka_unit_test(test_bad_label_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
