/* Unit tests: labels and time from --regex and --ts-json. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "stages/ingest/extract.h"
#include "wtime.h"

static const int64_t NOW = 1795867200LL * NS_PER_SEC;	/* 2026-11-28T12:00:00Z */

static void test_regex(void **state)
{
	(void)state;
	char err[128];
	struct extract *x = extract_new("^(?<ts>\\S+) (?<host>\\w+) (?:(?<opt>x)|y)", NULL, err, sizeof(err));
	assert_non_null(x);
	struct ward_event ev;
	event_init(&ev);
	int64_t ts = 0;
	const char *l = "2026-11-28T08:43:52Z web1 y rest";
	assert_true(extract_apply(x, &ev, l, strlen(l), NOW, &ts));
	assert_true(ts == 1795855432LL * NS_PER_SEC);
	assert_string_equal(event_label(&ev, "host")->val, "web1");
	assert_null(event_label(&ev, "opt"));	/* unset group: no label */
	event_reset(&ev);
	l = "not-a-time web2 x";
	assert_false(extract_apply(x, &ev, l, strlen(l), NOW, &ts));
	assert_string_equal(event_label(&ev, "host")->val, "web2");
	l = "\xff\xfe invalid utf-8";
	assert_false(extract_apply(x, &ev, l, strlen(l), NOW, &ts));
	event_free(&ev);
	extract_free(x);
	assert_null(extract_new("(", NULL, err, sizeof(err)));
	assert_non_null(strstr(err, "--regex"));
	assert_null(extract_new(NULL, NULL, err, sizeof(err)));
}

static void test_json(void **state)
{
	(void)state;
	char err[128];
	struct extract *x = extract_new(NULL, "t", err, sizeof(err));
	struct ward_event ev;
	event_init(&ev);
	int64_t ts = 0;
	const char *ok[] = { "{\"t\":\"2026-11-28T08:43:52Z\"}", "{\"t\":1795855432}",
			     "{\"t\":1795855432000}", "{\"t\":\"1795855432\"}" };
	for (size_t i = 0; i < 4; i++) {
		ts = 0;
		assert_true(extract_apply(x, &ev, ok[i], strlen(ok[i]), NOW, &ts));
		assert_true(ts == 1795855432LL * NS_PER_SEC);
	}
	const char *no[] = { "{\"u\":1}", "{\"t\":true}", "[1]", "{\"t\":", "t=1" };
	for (size_t i = 0; i < 5; i++)
		assert_false(extract_apply(x, &ev, no[i], strlen(no[i]), NOW, &ts));
	event_free(&ev);
	extract_free(x);
}

/* The ts group takes the time in every layout time_parse_text reads. */
static void test_regex_ts_layouts(void **state)
{
	(void)state;
	char err[128];
	struct extract *x = extract_new("^[^|]*\\|(?<ts>[^|]+)\\|", NULL, err, sizeof(err));
	assert_non_null(x);
	struct ward_event ev;
	event_init(&ev);
	const int64_t want = 1633000000LL * NS_PER_SEC;	/* 2021-09-30T11:06:40Z */
	static const char *const lines[] = {
		"a|2021-09-30T11:06:40.000Z|", "a|30/Sep/2021:13:06:40 +0200|", "a|Sep 30 11:06:40|",
		"a|2021/09/30 11:06:40|", "a|[Thu Sep 30 11:06:40 2021]|", "a|1633000000|",
		"a|2021-09-30 11:06:40,000|", "a|2021-09-30 11:06:40 UTC|",
	};
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		int64_t ts = 0;
		event_reset(&ev);
		/* the reference for the BSD year: within 2021 */
		if (!extract_apply(x, &ev, lines[i], strlen(lines[i]), want + NS_PER_SEC, &ts) || ts != want)
			fail_msg("%s: time not read", lines[i]);
	}
	int64_t ts = 0;
	assert_false(extract_apply(x, &ev, "a|2021-09-31 11:06:40|", 22, NOW, &ts));
	event_free(&ev);
	extract_free(x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_regex),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_regex_ts_layouts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
