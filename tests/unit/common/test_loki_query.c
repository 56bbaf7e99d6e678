/* Unit tests: query_range pages, the paging cursor, URL escaping, conf. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "loki_conf.h"
#include "loki_query.h"
#include "percent.h"
#include "transport.h"
#include "wtime.h"

static const char PAGE[] =
	"{\"status\":\"success\",\"data\":{\"resultType\":\"streams\",\"result\":["
	"{\"stream\":{\"job\":\"a\"},\"values\":[[\"30\",\"a30\"],[\"10\",\"a10\"]]},"
	"{\"stream\":{\"job\":\"b\"},\"values\":[[\"10\",\"b10\"],[\"20\",\"b20\"]]}],"
	"\"stats\":{}}}";

static void test_page_sorted(void **state)
{
	(void)state;
	struct loki_page p = { 0 };
	char err[128];
	assert_int_equal(loki_page_parse(&p, PAGE, strlen(PAGE), err, sizeof(err)), 0);
	assert_int_equal(p.len, 4);
	const char *want[] = { "a10", "b10", "b20", "a30" };	/* by time, stable */
	for (size_t i = 0; i < 4; i++)
		assert_string_equal(p.entries[i].line, want[i]);
	assert_string_equal(p.entries[1].labels_json, "{\"job\":\"b\"}");
	struct ward_buf ev = WARD_BUF_INIT;
	loki_entry_to_event(&p.entries[0], false, &ev);
	assert_string_equal(buf_cstr(&ev),
		"{\"v\":1,\"ts\":\"1970-01-01T00:00:00.000000010Z\",\"labels\":{\"job\":\"a\"},"
		"\"line\":\"a10\",\"fields\":{}}");
	buf_free(&ev);
	loki_page_free(&p);
}

static void test_page_errors(void **state)
{
	(void)state;
	struct loki_page p = { 0 };
	char err[128];
	const char *bad[] = {
		"not json",
		"{\"status\":\"error\"}",
		"{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}",
		"{\"status\":\"success\",\"data\":{\"resultType\":\"streams\",\"result\":[{\"stream\":{},\"values\":[[1,\"x\"]]}]}}",
		"{\"status\":\"success\",\"data\":{\"resultType\":\"streams\",\"result\":[{\"stream\":{},\"values\":[[\"1x\",\"x\"]]}]}}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(loki_page_parse(&p, bad[i], strlen(bad[i]), err, sizeof(err)), -1);
		assert_int_equal(p.len, 0);
	}
}

static struct loki_entry entry(int64_t ts, const char *labels, const char *line)
{
	struct loki_entry e = { ts, (char *)labels, (char *)line, strlen(line), 0 };
	return e;
}

/* Page 1 ends inside a group of entries sharing ts 20; the next request
 * starts at 20 again: the ones seen are skipped, the new one is not. */
static void test_cursor_page_boundary(void **state)
{
	(void)state;
	struct loki_cursor c;
	loki_cursor_init(&c, 5);
	assert_true(loki_cursor_next_start(&c) == 5);
	struct loki_entry e10 = entry(10, "{}", "x"), e20a = entry(20, "{}", "a"),
			  e20b = entry(20, "{}", "b"), e20c = entry(20, "{\"j\":\"2\"}", "a"),
			  e30 = entry(30, "{}", "z");
	assert_true(loki_cursor_take(&c, &e10));
	assert_true(loki_cursor_take(&c, &e20a));
	assert_true(loki_cursor_take(&c, &e20b));
	assert_true(loki_cursor_next_start(&c) == 20);
	/* page 2 from 20 */
	assert_false(loki_cursor_take(&c, &e20a));
	assert_false(loki_cursor_take(&c, &e20b));
	assert_true(loki_cursor_take(&c, &e20c));	/* same line, other stream */
	assert_true(loki_cursor_take(&c, &e30));
	assert_false(loki_cursor_take(&c, &e20a));	/* older than the cursor */
	assert_false(loki_cursor_take(&c, &e30));
	loki_cursor_free(&c);
}

static void test_cursor_file_text(void **state)
{
	(void)state;
	struct loki_cursor c, d;
	loki_cursor_init(&c, 100);
	struct loki_entry a = entry(200, "{}", "a"), b = entry(200, "{}", "b");
	loki_cursor_take(&c, &a);
	loki_cursor_take(&c, &b);
	struct ward_buf t = WARD_BUF_INIT;
	loki_cursor_format(&c, &t);
	loki_cursor_init(&d, 0);
	assert_int_equal(loki_cursor_parse(&d, t.data, t.len), 0);
	assert_true(d.ts_ns == 200);
	assert_int_equal(d.nseen, 2);
	assert_false(loki_cursor_take(&d, &a));	/* still known as delivered */
	assert_true(loki_cursor_next_start(&d) == 200);
	const char *bad[] = { "", "ward-loki-cursor 1 \n", "ward-loki-cursor 1 5 zz\n", "ward-loki-cursor 1 5" };
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(loki_cursor_parse(&d, bad[i], strlen(bad[i])), -1);
	assert_true(d.ts_ns == 200);	/* unchanged */
	buf_free(&t);
	loki_cursor_free(&c);
	loki_cursor_free(&d);
}

static void test_url_escape(void **state)
{
	(void)state;
	struct ward_buf b = WARD_BUF_INIT;
	loki_url_escape(&b, "{job=\"a b\"} |= \"x&y\"");
	assert_string_equal(buf_cstr(&b), "%7Bjob%3D%22a%20b%22%7D%20%7C%3D%20%22x%26y%22");
	char s[] = "%7Bjob%3D%22a+b%22%7D%zz";
	percent_decode_inplace(s, strlen(s), PERCENT_PLUS_SPACE);	/* as loki_conf decodes */
	assert_string_equal(s, "{job=\"a b\"}%zz");
	buf_free(&b);
}

static void test_conf(void **state)
{
	(void)state;
	struct loki_conf c;
	char err[256];
	const char *props[] = { "loki.batch_size=64K", "loki.tenant=t1", "kafka.x=1",
				"loki.format=json", NULL };
	struct ward_transport_opts o = { .max_line = 1024, .props = props };
	int64_t now = 1000 * NS_PER_SEC;
	assert_int_equal(loki_conf_parse(&c, "loki+https://h:3100/prefix/?query=%7Ba%3D%22b%22%7D&start=10s&limit=7",
					 &o, true, now, err, sizeof(err)), 0);
	assert_string_equal(c.base_url, "https://h:3100/prefix");
	assert_string_equal(c.query, "{a=\"b\"}");
	assert_string_equal(c.tenant, "t1");
	assert_int_equal(c.batch_bytes, 64 * 1024);
	assert_true(c.start_ns == 990 * NS_PER_SEC);
	assert_int_equal(c.limit, 7);
	assert_true(c.follow);	/* no end */
	assert_true(c.whole_event);
	loki_conf_free(&c);
	const char *bad[] = { "loki.nope=1", NULL };
	o.props = bad;
	assert_int_equal(loki_conf_parse(&c, "loki+http://h", &o, false, now, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "loki.nope"));
	o.props = NULL;
	assert_int_equal(loki_conf_parse(&c, "loki+http://h", &o, true, now, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "query"));
	assert_int_equal(loki_conf_parse(&c, "loki+ftp://h", &o, false, now, err, sizeof(err)), -1);
	assert_int_equal(loki_conf_parse(&c, "loki+http://h?limit=9999&query=x", &o, true, now, err, sizeof(err)), -1);
	/* the authority is HOST[:PORT], the port 1-65535 */
	static const char *const bad_uris[] = {
		"loki+http://h:99999", "loki+http://h:0", "loki+http://h x:1", "loki+http://:3100",
		"loki+https://", "loki+http:///", "loki+http://user@h", "loki+http://[::1:3100",
	};
	for (size_t i = 0; i < sizeof bad_uris / sizeof bad_uris[0]; i++) {
		err[0] = '\0';
		if (loki_conf_parse(&c, bad_uris[i], &o, false, now, err, sizeof(err)) == 0)
			fail_msg("accepted: %s", bad_uris[i]);
		assert_true(err[0] != '\0');
	}
	assert_int_equal(loki_conf_parse(&c, "loki+http://[::1]:3100//", &o, false, now, err, sizeof(err)), 0);
	assert_string_equal(c.base_url, "http://[::1]:3100");
	loki_conf_free(&c);
}

/* The URI goes through libcurl's parser: what it splits off is checked. */
static void test_conf_uri(void **state)
{
	(void)state;
	struct loki_conf c;
	char err[256];
	struct ward_transport_opts o = { .max_line = 1024 };
	int64_t now = 1000 * NS_PER_SEC;
	/* a query as a shell user types it: spaces, quotes, '+' a space */
	assert_int_equal(loki_conf_parse(&c, "loki+http://h:3100?query={job=\"a b\"} |= \"x\"+y&limit=3",
					 &o, true, now, err, sizeof(err)), 0);
	assert_string_equal(c.base_url, "http://h:3100");
	assert_string_equal(c.query, "{job=\"a b\"} |= \"x\" y");
	assert_int_equal(c.limit, 3);
	loki_conf_free(&c);
	/* the prefix kept as written, empty parameters skipped */
	assert_int_equal(loki_conf_parse(&c, "loki+https://Loki.Example.org/a/../b//?&&query=q&",
					 &o, true, now, err, sizeof(err)), 0);
	assert_string_equal(c.base_url, "https://Loki.Example.org/a/../b");
	loki_conf_free(&c);
	static const struct { const char *uri, *why; } bad[] = {
		{ "loki+http://h/?query=a#b", "%23" },
		{ "loki+http://u:p@h/", "WARD_LOKI_USER" },
		{ "loki+http://[fe80::1%25eth0]:3100", "zone" },
		{ "loki+http://h:0", "1-65535" },
		{ "loki+http://:3100", "no host" },
		{ "loki+http://h?query", "without a value" },
		{ "loki+http://h x/", "bad URI" },
		{ "loki+http:/h", "not a loki" },
		{ "loki+http://[::1:3100", "bad URI" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		if (loki_conf_parse(&c, bad[i].uri, &o, false, now, err, sizeof(err)) == 0)
			fail_msg("accepted: %s", bad[i].uri);
		if (!strstr(err, bad[i].why))
			fail_msg("%s: \"%s\" does not say %s", bad[i].uri, err, bad[i].why);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_page_sorted),
		cmocka_unit_test(test_page_errors),
		cmocka_unit_test(test_cursor_page_boundary),
		cmocka_unit_test(test_cursor_file_text),
		cmocka_unit_test(test_url_escape),
		cmocka_unit_test(test_conf),
		cmocka_unit_test(test_conf_uri),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
