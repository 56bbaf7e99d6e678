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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_regex),
		cmocka_unit_test(test_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
