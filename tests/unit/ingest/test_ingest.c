/* Unit tests: ward-ingest's record processing (ingest.h) through its sink,
 * with the file-system lookups replaced by counting fakes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "stages/ingest/ingest.h"
#include "wtime.h"

/* 2026-11-28T12:00:00Z and 2020-12-31T12:00:00Z (a year no clock reads now) */
static const int64_t NOW = 1795867200LL * NS_PER_SEC;
static const int64_t MTIME_2020 = 1609416000LL * NS_PER_SEC;

static int mtime_calls, container_calls;

static int64_t fake_mtime(const char *path)
{
	(void)path;
	mtime_calls++;
	return MTIME_2020;
}

static char *fake_container(const char *path)
{
	container_calls++;
	return strstr(path, "nginx") ? strdup("nginx") : NULL;
}

static const struct pathfacts_lookup fakes = { fake_mtime, fake_container };

/* What the sink received: each event's JSON, and the bad records' reasons. */
struct got {
	char *json[16];
	size_t n, bad;
	int stop_after;		/* emit fails after this many events (0: never) */
};

static int got_emit(void *ctx, const struct ward_event *ev)
{
	struct got *g = ctx;
	if (g->stop_after && (int)g->n >= g->stop_after)
		return -1;
	struct ward_buf b = WARD_BUF_INIT;
	event_serialize(ev, &b);
	assert_true(g->n < 16);
	g->json[g->n++] = strdup(buf_cstr(&b));
	buf_free(&b);
	return 0;
}

static int got_bad(void *ctx, const char *data, size_t len, const char *why)
{
	(void)data;
	(void)len;
	assert_non_null(why);
	((struct got *)ctx)->bad++;
	return 0;
}

static void got_free(struct got *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->json[i]);
}

static struct ingest *make(struct got *g, enum ingest_format f, const char *label,
			   uint64_t *fallbacks)
{
	struct lineevent_conf lines = { .ts_mode = TS_AUTO };
	const char *items[] = { label, NULL };
	struct opt_list l = { items, label ? 1 : 0, 2 };
	const char *bad;
	assert_int_equal(lineevent_labels(&lines, &l, &bad), 0);
	struct ingest_conf c = { .format = f, .events = f == INGEST_EVENTS, .fixed_now = WARD_TS_NONE,
				 .max_line = 1024, .ts_fallbacks = fallbacks, .lookup = &fakes };
	struct ingest_sink sink = { got_emit, got_bad, g };
	mtime_calls = container_calls = 0;
	return ingest_new(&c, &lines, NULL, NULL, &sink);
}

static int feed(struct ingest *in, const char *line)
{
	struct ward_record rec = { line, strlen(line), WARD_TS_NONE };
	return ingest_record(in, &rec);
}

/* A file read once: BSD syslog times take the year of its mtime, read once
 * when the file is set, not per line. */
static void test_file_year_from_mtime(void **state)
{
	(void)state;
	struct got g = { 0 };
	uint64_t fallbacks = 0;
	struct ingest *in = make(&g, INGEST_RAW, "job=sshd", &fallbacks);
	ingest_set_file(in, "/var/log/auth.log");
	assert_int_equal(feed(in, "Dec 30 23:59:58 web1 sshd[1]: one"), 0);
	assert_int_equal(feed(in, "Dec 31 00:00:01 web1 sshd[1]: two"), 0);
	assert_int_equal(feed(in, "no time here"), 0);
	assert_int_equal(g.n, 3);
	assert_non_null(strstr(g.json[0], "\"ts\":\"2020-12-30T23:59:58"));
	assert_non_null(strstr(g.json[1], "\"ts\":\"2020-12-31T00:00:01"));
	assert_non_null(strstr(g.json[0], "\"filename\":\"/var/log/auth.log\""));
	assert_non_null(strstr(g.json[0], "\"job\":\"sshd\""));
	assert_int_equal(mtime_calls, 1);
	assert_int_equal(fallbacks, 1);
	/* stdin: no filename, no mtime */
	ingest_set_file(in, "-");
	assert_int_equal(feed(in, "plain"), 0);
	assert_null(strstr(g.json[3], "filename"));
	assert_int_equal(mtime_calls, 1);
	/* a file of a source of ours (globs, .gz read once): its own mtime */
	struct ingest_source src = { 0 };
	src_labels_set(&src.labels, "filename", "/var/log/auth.log.1");
	ingest_set_source(in, &src);
	assert_int_equal(feed(in, "Dec 29 10:00:00 web1 sshd[1]: three"), 0);
	assert_non_null(strstr(g.json[4], "\"ts\":\"2020-12-29T10:00:00"));
	assert_non_null(strstr(g.json[4], "\"filename\":\"/var/log/auth.log.1\""));
	assert_int_equal(mtime_calls, 2);
	ingest_free(in);
	got_free(&g);
}

/* A source of ours: its labels (--label ones win) and its own time. */
static void test_source_labels_and_time(void **state)
{
	(void)state;
	struct got g = { 0 };
	struct ingest *in = make(&g, INGEST_RAW, "host=fixed", NULL);
	struct ingest_source src = { .ts_from_source = true };
	src_labels_set(&src.labels, "host", "sender");
	src_labels_set(&src.labels, "program", "sshd");
	ingest_set_source(in, &src);
	struct ward_record rec = { "hello", 5, NOW };
	assert_int_equal(ingest_record(in, &rec), 0);
	assert_int_equal(g.n, 1);
	assert_non_null(strstr(g.json[0], "\"host\":\"fixed\""));
	assert_non_null(strstr(g.json[0], "\"program\":\"sshd\""));
	assert_non_null(strstr(g.json[0], "\"ts\":\"2026-11-28T12:00:00.000000000Z\""));
	assert_int_equal(mtime_calls, 0);
	ingest_free(in);
	got_free(&g);
}

/* --format docker: partial lines joined, stream and container labels; the
 * container name is looked up once per path. */
static void test_docker_container_name(void **state)
{
	(void)state;
	struct got g = { 0 };
	struct ingest *in = make(&g, INGEST_DOCKER, NULL, NULL);
	struct ingest_source src = { 0 };
	src_labels_set(&src.labels, "filename", "/var/lib/docker/containers/nginx/x-json.log");
	ingest_set_source(in, &src);
	assert_int_equal(feed(in, "{\"log\":\"par\",\"stream\":\"stdout\",\"time\":\"2026-11-28T08:43:52Z\"}"), 0);
	assert_int_equal(g.n, 0);
	assert_int_equal(feed(in, "{\"log\":\"tial\\n\",\"stream\":\"stdout\",\"time\":\"2026-11-28T08:43:53Z\"}"), 0);
	assert_int_equal(feed(in, "{\"log\":\"again\\n\",\"stream\":\"stderr\",\"time\":\"2026-11-28T08:43:54Z\"}"), 0);
	assert_int_equal(feed(in, "not json"), 0);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.bad, 1);
	assert_non_null(strstr(g.json[0], "\"line\":\"partial\""));
	assert_non_null(strstr(g.json[0], "\"container\":\"nginx\""));
	assert_non_null(strstr(g.json[1], "\"stream\":\"stderr\""));
	assert_int_equal(container_calls, 1);
	ingest_free(in);
	got_free(&g);
}

/* --format events: relabeled, a default job only where none is, a bad
 * event to the sink's bad(). */
static void test_events_relabel(void **state)
{
	(void)state;
	struct got g = { 0 };
	uint64_t fallbacks = 0;
	struct lineevent_conf lines = { .ts_mode = TS_AUTO };
	lineevent_add_label(&lines, "env", "prod");
	struct ingest_conf c = { .format = INGEST_EVENTS, .events = true, .fixed_now = NOW,
				 .default_job = "file", .ts_fallbacks = &fallbacks, .lookup = &fakes };
	struct ingest_sink sink = { got_emit, got_bad, &g };
	struct ingest *in = ingest_new(&c, &lines, NULL, NULL, &sink);
	assert_int_equal(feed(in, "{\"v\":1,\"labels\":{\"job\":\"x\"},\"line\":\"a\"}"), 0);
	assert_int_equal(feed(in, "{\"v\":1,\"ts\":\"2026-11-28T08:00:00Z\",\"line\":\"b\"}"), 0);
	assert_int_equal(feed(in, "{\"v\":"), 0);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.bad, 1);
	assert_non_null(strstr(g.json[0], "\"job\":\"x\""));
	assert_non_null(strstr(g.json[0], "\"env\":\"prod\""));
	assert_non_null(strstr(g.json[0], "\"ts\":\"2026-11-28T12:00:00.000000000Z\""));
	assert_non_null(strstr(g.json[1], "\"job\":\"file\""));
	assert_int_equal(fallbacks, 1);
	ingest_free(in);
	got_free(&g);
}

/* A sink that stops (output gone) stops the processing. */
static void test_sink_stop(void **state)
{
	(void)state;
	struct got g = { .stop_after = 1 };
	struct ingest *in = make(&g, INGEST_RAW, NULL, NULL);
	assert_int_equal(feed(in, "one"), 0);
	assert_int_equal(feed(in, "two"), -1);
	ingest_free(in);
	got_free(&g);
}

/* --multiline-start: a block is held until the next first line, an idle
 * source, or the end. */
static void test_multiline_end(void **state)
{
	(void)state;
	struct got g = { 0 };
	char err[128];
	struct multiline *ml = multiline_new("^\\S", 10, 1024, NS_PER_SEC, err, sizeof err);
	assert_non_null(ml);
	struct lineevent_conf lines = { .ts_mode = TS_NONE };
	struct ingest_conf c = { .fixed_now = NOW, .max_line = 1024, .lookup = &fakes };
	struct ingest_sink sink = { got_emit, got_bad, &g };
	struct ingest *in = ingest_new(&c, &lines, NULL, ml, &sink);
	assert_int_equal(feed(in, "Exception"), 0);
	assert_int_equal(feed(in, "  at a"), 0);
	assert_int_equal(g.n, 0);
	assert_int_equal(feed(in, "Next"), 0);
	assert_int_equal(g.n, 1);
	assert_non_null(strstr(g.json[0], "\"line\":\"Exception\\n  at a\""));
	assert_int_equal(ingest_idle(in, 0), 0);
	assert_int_equal(g.n, 1);
	assert_int_equal(ingest_end(in), 0);
	assert_int_equal(g.n, 2);
	ingest_free(in);
	got_free(&g);
}

static void test_format_names(void **state)
{
	(void)state;
	enum ingest_format f;
	assert_int_equal(ingest_format_parse("journal-json", &f), 0);
	assert_int_equal(f, INGEST_JOURNAL_JSON);
	assert_int_equal(ingest_format_parse("cri", &f), 0);
	assert_int_equal(f, INGEST_CRI);
	assert_int_equal(ingest_format_parse("json", &f), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file_year_from_mtime),
		cmocka_unit_test(test_source_labels_and_time),
		cmocka_unit_test(test_docker_container_name),
		cmocka_unit_test(test_events_relabel),
		cmocka_unit_test(test_sink_stop),
		cmocka_unit_test(test_multiline_end),
		cmocka_unit_test(test_format_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
