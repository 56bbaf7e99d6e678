/* Unit tests: the --metrics request parser, exposition and ward-run's merge. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "counters.h"
#include "metrics.h"

static enum metrics_req parse(const char *s)
{
	return metrics_parse_request(s, strlen(s));
}

static void test_requests(void **state)
{
	(void)state;
	assert_int_equal(parse("GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n"), MREQ_METRICS);
	assert_int_equal(parse("GET /metrics?x=1 HTTP/1.0\r\n\r\n"), MREQ_METRICS);
	assert_int_equal(parse("GET /metrics HTTP/1.1\n\n"), MREQ_METRICS);
	assert_int_equal(parse("GET /metricsx HTTP/1.1\r\n\r\n"), MREQ_NOT_FOUND);
	assert_int_equal(parse("GET / HTTP/1.1\r\n\r\n"), MREQ_NOT_FOUND);
	assert_int_equal(parse("POST /metrics HTTP/1.1\r\n\r\n"), MREQ_BAD_METHOD);
	assert_int_equal(parse("HEAD /metrics HTTP/1.1\r\n\r\n"), MREQ_BAD_METHOD);
	/* not yet complete: wait for more */
	assert_int_equal(parse(""), MREQ_INCOMPLETE);
	assert_int_equal(parse("GET /metr"), MREQ_INCOMPLETE);
	assert_int_equal(parse("GET /metrics HTTP/1.1\r\nHost: a\r\n"), MREQ_INCOMPLETE);
	/* malformed */
	assert_int_equal(parse("hello\r\n\r\n"), MREQ_BAD);
	assert_int_equal(parse("get /metrics HTTP/1.1\r\n\r\n"), MREQ_BAD);
	assert_int_equal(parse("GET metrics HTTP/1.1\r\n\r\n"), MREQ_BAD);
	assert_int_equal(parse("GET /metrics HTTP/2.0\r\n\r\n"), MREQ_BAD);
	assert_int_equal(parse("GET /metrics HTTP/1.1 x\r\n\r\n"), MREQ_BAD);
	assert_int_equal(parse(" /metrics HTTP/1.1\r\n\r\n"), MREQ_BAD);
	/* a request line that never ends, at the bound */
	char *big = malloc(METRICS_MAX_REQUEST);
	memset(big, 'a', METRICS_MAX_REQUEST);
	assert_int_equal(metrics_parse_request(big, METRICS_MAX_REQUEST), MREQ_BAD);
	assert_int_equal(metrics_parse_request(big, METRICS_MAX_REQUEST - 1), MREQ_INCOMPLETE);
	free(big);
}

static void test_render(void **state)
{
	(void)state;
	struct ward_counters c;
	counters_init(&c, "window");
	c.in = 10;
	c.out = 3;
	c.malformed = 1;
	*counters_extra(&c, "late") = 2;
	*counters_extra(&c, "keys") = 7;
	struct ward_buf b = WARD_BUF_INIT;
	metrics_render(&c, NULL, &b);
	const char *s = buf_cstr(&b);
	assert_non_null(strstr(s, "# TYPE ward_events_in_total counter\nward_events_in_total{stage=\"window\"} 10\n"));
	assert_non_null(strstr(s, "ward_events_out_total{stage=\"window\"} 3\n"));
	assert_non_null(strstr(s, "ward_events_malformed_total{stage=\"window\"} 1\n"));
	assert_non_null(strstr(s, "# TYPE ward_late_total counter\nward_late_total{stage=\"window\"} 2\n"));
	assert_non_null(strstr(s, "# TYPE ward_keys gauge\nward_keys{stage=\"window\"} 7\n"));
	buf_free(&b);
}

static void test_escape(void **state)
{
	(void)state;
	struct ward_buf b = WARD_BUF_INIT;
	metrics_escape_label(&b, "a\"b\\c\nd");
	assert_string_equal(buf_cstr(&b), "a\\\"b\\\\c\\nd");
	buf_free(&b);
}

static void test_merge(void **state)
{
	(void)state;
	const char *a = "# HELP ward_events_in_total Records read.\n# TYPE ward_events_in_total counter\n"
			"ward_events_in_total{stage=\"match\"} 8\n"
			"# HELP ward_keys k\n# TYPE ward_keys gauge\nward_keys{stage=\"match\"} 1\n";
	const char *b = "# HELP ward_events_in_total Records read.\n# TYPE ward_events_in_total counter\n"
			"ward_events_in_total{stage=\"window\"} 6\nbare 5\nempty{} 1\n{junk} 1\nnovalue\n";
	const char *texts[] = { a, b };
	size_t lens[] = { strlen(a), strlen(b) };
	const char *steps[] = { "1", "2" };
	struct ward_buf out = WARD_BUF_INIT;
	metrics_merge(texts, lens, steps, 2, "step", &out);
	assert_string_equal(buf_cstr(&out),
		"# HELP ward_events_in_total Records read.\n# TYPE ward_events_in_total counter\n"
		"ward_events_in_total{step=\"1\",stage=\"match\"} 8\n"
		"ward_events_in_total{step=\"2\",stage=\"window\"} 6\n"
		"# HELP ward_keys k\n# TYPE ward_keys gauge\nward_keys{step=\"1\",stage=\"match\"} 1\n"
		"bare{step=\"2\"} 5\n"
		"empty{step=\"2\"} 1\n");
	buf_free(&out);
}

static void test_listen_errors(void **state)
{
	(void)state;
	struct ward_counters c;
	counters_init(&c, "x");
	char err[256];
	assert_null(metrics_start("nocolon", &c, err, sizeof err));
	assert_null(metrics_start("127.0.0.1:http", &c, err, sizeof err));
	assert_null(metrics_start("127.0.0.1:", &c, err, sizeof err));
	struct ward_metrics *m = metrics_start("127.0.0.1:0", &c, err, sizeof err);
	assert_non_null(m);
	metrics_count_rule(m, "R");
	metrics_count_rule(m, "R");
	metrics_stop(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_requests),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_listen_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
