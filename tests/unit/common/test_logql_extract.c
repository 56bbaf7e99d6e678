/* Unit tests: the LogQL extractors (logql_extract_int.h) through their own API:
 * json (all leaves and paths), unpack, logfmt, pattern, decolorize, ip
 * specs, key sanitizing. Each case states what Loki yields for the input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "ipaddr.h"
#include "logql_extract_int.h"

static struct ward_buf OUT, SCRATCH[2];	/* the extractors take two scratch buffers */
#define S_(s) (s), strlen(s)

/* emitted pairs as "k=v;" */
static void collect(void *ud, const char *k, size_t kl, const char *v, size_t vl)
{
	(void)ud;
	buf_append(&OUT, k, kl);
	buf_append(&OUT, "=", 1);
	buf_append(&OUT, v, vl);
	buf_append(&OUT, ";", 1);
}

static const char *json_all(const char *s, int *rc)
{
	char err[160];
	buf_reset(&OUT);
	*rc = logql_json_all(s, strlen(s), SCRATCH, collect, NULL, err, sizeof err);
	return buf_cstr(&OUT);
}

static void test_json_all(void **state)
{
	(void)state;
	int rc;
	assert_string_equal(json_all("{\"a\":{\"b\":\"c\",\"n\":-1.5e3},\"l\":[1,{\"x\":2}],\"t\":true,\"f\":false,\"z\":null}", &rc),
			    "a_b=c;a_n=-1.5e3;t=true;f=false;");
	assert_int_equal(rc, 0);
	assert_string_equal(json_all(" { \"e\" : \"\\b\\f\\n\\r\\t\\/\\\\\\\"\" } ", &rc), "e=\b\f\n\r\t/\\\";");
	assert_int_equal(rc, 0);
	assert_string_equal(json_all("{\"u\":\"\\u0041\\u00e9\\u20ac\\ud83d\\ude00\"}", &rc), "u=A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80;");
	/* a lone surrogate becomes U+FFFD, as Go's decoder does */
	assert_string_equal(json_all("{\"u\":\"\\ud800x\"}", &rc), "u=\xef\xbf\xbdx;");
	assert_string_equal(json_all("{\"k-1\":\"v\",\"2k\":\"w\"}", &rc), "k_1=v;_2k=w;");
	assert_string_equal(json_all("{}", &rc), "");
	assert_int_equal(rc, 0);
	static const char *const bad[] = {
		"", "x", "[1]", "{", "{\"a\"", "{\"a\":", "{\"a\":\"b\"", "{\"a\" \"b\"}", "{\"a\":\"b\",}",
		"{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"\\u12x4\"}", "{\"a\":\"x\ty\"}", "{\"a\":tru}",
		"{\"a\":nul}", "{\"a\":[1,}", "{\"a\":{\"b\":}}", "{\"a\":\"b\"} x", "{a:1}", "{\"a\":@}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		json_all(bad[i], &rc);
		if (rc != -1)
			fail_msg("accepted: %s", bad[i]);
	}
	/* nesting up to the limit is fine, one more is an error */
	char deep[200];
	for (int d = 31; d <= 33; d++) {
		size_t n = 0;
		for (int i = 0; i < d; i++)
			deep[n++] = '[';
		for (int i = 0; i < d; i++)
			deep[n++] = ']';
		deep[n] = '\0';
		char obj[220];
		snprintf(obj, sizeof obj, "{\"a\":%s}", deep);
		json_all(obj, &rc);
		assert_int_equal(rc, d + 1 <= LOGQL_JSON_MAX_DEPTH ? 0 : -1);
	}
}

static int get(const char *json, const char *path, char *out, size_t outlen)
{
	struct logql_json_path p;
	const char *v;
	size_t vl;
	if (logql_json_path_compile(path, &p) != 0)
		return -2;
	int rc = logql_json_get(json, strlen(json), &p, SCRATCH, &v, &vl);
	if (rc == 1)
		snprintf(out, outlen, "%.*s", (int)vl, v);
	logql_json_path_free(&p);
	return rc;
}

static void test_json_paths(void **state)
{
	(void)state;
	char v[128];
	const char *doc = "{\"req\":{\"h\":{\"User-Agent\":\"curl\",\"n\":5},\"list\":[\"a\",{\"b\":\"c\"},[1,2]]},\"s\":\"x\\ny\"}";
	assert_int_equal(get(doc, "req.h[\"User-Agent\"]", v, sizeof v), 1);
	assert_string_equal(v, "curl");
	assert_int_equal(get(doc, "req.h.n", v, sizeof v), 1);
	assert_string_equal(v, "5");
	assert_int_equal(get(doc, "req.list[0]", v, sizeof v), 1);
	assert_string_equal(v, "a");
	assert_int_equal(get(doc, "req.list[1].b", v, sizeof v), 1);
	assert_string_equal(v, "c");
	assert_int_equal(get(doc, "req.list[2]", v, sizeof v), 1);
	assert_string_equal(v, "[1,2]");
	assert_int_equal(get(doc, "req.h", v, sizeof v), 1);
	assert_string_equal(v, "{\"User-Agent\":\"curl\",\"n\":5}");
	assert_int_equal(get(doc, "s", v, sizeof v), 1);
	assert_string_equal(v, "x\ny");
	assert_int_equal(get(doc, "req.list[3]", v, sizeof v), 0);
	assert_int_equal(get(doc, "req.nope", v, sizeof v), 0);
	assert_int_equal(get(doc, "s.x", v, sizeof v), 0);		/* not an object */
	assert_int_equal(get(doc, "req[0]", v, sizeof v), 0);		/* not an array */
	assert_int_equal(get("{\"a\":null}", "a", v, sizeof v), 1);
	assert_string_equal(v, "");
	assert_int_equal(get("{\"a\":", "a", v, sizeof v), -1);
	assert_int_equal(get("{\"a\":[1,", "a[5]", v, sizeof v), -1);
	assert_int_equal(get("{\"a\":1}", "", v, sizeof v), -2);
	assert_int_equal(get("{\"a\":1}", "a[", v, sizeof v), -2);
	assert_int_equal(get("{\"a\":1}", "a[x]", v, sizeof v), -2);
	assert_int_equal(get("{\"a\":1}", "a[-1]", v, sizeof v), -2);
}

static void test_unpack(void **state)
{
	(void)state;
	char err[160];
	buf_reset(&OUT);
	const char *s = "{\"_entry\":\"orig line\",\"app\":\"web\",\"n\":5,\"o\":{\"x\":\"y\"}}";
	assert_int_equal(logql_unpack(s, strlen(s), SCRATCH, collect, NULL, err, sizeof err), 0);
	assert_string_equal(buf_cstr(&OUT), "_entry=orig line;app=web;");
	buf_reset(&OUT);
	assert_int_equal(logql_unpack("not json", 8, SCRATCH, collect, NULL, err, sizeof err), -1);
	assert_int_equal(logql_unpack("{\"a\":\"b\"", 8, SCRATCH, collect, NULL, err, sizeof err), -1);
}

static const char *logfmt(const char *s, bool strict, bool keep_empty, int *rc)
{
	char err[160];
	buf_reset(&OUT);
	*rc = logql_logfmt(s, strlen(s), strict, keep_empty, SCRATCH, collect, NULL, err, sizeof err);
	return buf_cstr(&OUT);
}

static void test_logfmt(void **state)
{
	(void)state;
	int rc;
	assert_string_equal(logfmt("at=info msg=\"a \\\"b\\\" \\\\ \\n\\t\\r\\/ \\u00e9\" flag dur=1s", false, false, &rc),
			    "at=info;msg=a \"b\" \\ \n\t\r/ \xc3\xa9;dur=1s;");
	assert_int_equal(rc, 0);
	assert_string_equal(logfmt("a= b=\"\" c=1", false, true, &rc), "a=;b=;c=1;");
	assert_string_equal(logfmt("a= b=\"\" c=1", false, false, &rc), "c=1;");
	assert_string_equal(logfmt("k-1=v 2k=w", false, false, &rc), "k_1=v;_2k=w;");
	/* bad pairs: skipped, or an error in strict mode */
	assert_string_equal(logfmt("a=\"unterminated b=1", false, false, &rc), "");
	logfmt("a=\"x\\q\" b=1", true, false, &rc);
	assert_int_equal(rc, -1);
	logfmt("a=\"x\\u12\"", true, false, &rc);
	assert_int_equal(rc, -1);
	logfmt("=v", true, false, &rc);
	assert_int_equal(rc, -1);
	assert_string_equal(logfmt("  a=1   b=2  ", true, false, &rc), "a=1;b=2;");
	assert_int_equal(rc, 0);
}

static void test_decolorize(void **state)
{
	(void)state;
	static const struct { const char *in, *out; } c[] = {
		{ "\x1b[31mred\x1b[0m plain", "red plain" },
		{ "\x1b[1;32;40mx", "x" },
		{ "\x1b]0;title\a after", " after" },
		{ "\x1b]8;;http://x\x1b\\link", "link" },
		{ "\x1b" "7x", "x" },
		{ "trailing \x1b", "trailing \x1b" },	/* a lone ESC is kept */
		{ "\x1b[", "" },
		{ "\x1b]unterminated", "" },
		{ "no escapes", "no escapes" },
	};
	for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
		buf_reset(&OUT);
		logql_decolorize(c[i].in, strlen(c[i].in), &OUT);
		if (strcmp(buf_cstr(&OUT), c[i].out) != 0)
			fail_msg("%zu: got '%s' want '%s'", i, buf_cstr(&OUT), c[i].out);
	}
}

static bool in_spec(const char *spec, const char *ip)
{
	struct logql_ipspec s;
	struct ward_ip a;
	assert_int_equal(logql_ipspec_parse(spec, strlen(spec), &s), 0);
	assert_int_equal(ip_parse(ip, strlen(ip), &a), 0);
	return logql_ipspec_contains(&s, &a);
}

static void test_ipspec(void **state)
{
	(void)state;
	assert_true(in_spec("192.0.2.0/24", "192.0.2.255"));
	assert_false(in_spec("192.0.2.0/24", "192.0.3.0"));
	assert_true(in_spec("192.0.2.10-192.0.2.20", "192.0.2.10"));
	assert_true(in_spec("192.0.2.10-192.0.2.20", "192.0.2.20"));
	assert_false(in_spec("192.0.2.10-192.0.2.20", "192.0.2.21"));
	assert_false(in_spec("192.0.2.10-192.0.2.20", "192.0.2.9"));
	assert_true(in_spec("2001:db8::/32", "2001:db8:ffff::1"));
	assert_false(in_spec("2001:db8::/32", "192.0.2.1"));
	assert_true(in_spec("198.51.100.7", "198.51.100.7"));
	assert_false(in_spec("198.51.100.7", "198.51.100.8"));
	struct logql_ipspec s;
	static const char *const bad[] = { "", "x", "1.2.3.4/33", "1.2.3.4-::1", "1.2.3.9-1.2.3.1", "1.2.3.4-" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (logql_ipspec_parse(bad[i], strlen(bad[i]), &s) == 0)
			fail_msg("accepted %s", bad[i]);
	assert_int_equal(logql_ipspec_parse(S_("10.0.0.0/8"), &s), 0);
	assert_true(logql_line_has_ip(S_("Failed password from 10.1.2.3 port 22"), &s));
	assert_false(logql_line_has_ip(S_("Failed password from 110.1.2.3 port 22"), &s));
	assert_false(logql_line_has_ip(S_("version 10.1.2.3.4"), &s));
	assert_false(logql_line_has_ip(S_("no address"), &s));
}

static void test_sanitize(void **state)
{
	(void)state;
	static const struct { const char *in; bool prefix; const char *out; } c[] = {
		{ "ok_Key9", false, "ok_Key9" }, { "a.b-c d", false, "a_b_c_d" }, { "9lives", true, "_9lives" },
		{ "9lives", false, "9lives" }, { "", true, "" }, { "\xc3\xa9t\xc3\xa9", true, "_t_" },	/* one _ per character */
	};
	for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
		buf_reset(&OUT);
		logql_sanitize_key(c[i].in, strlen(c[i].in), c[i].prefix, &OUT);
		if (strcmp(buf_cstr(&OUT), c[i].out) != 0)
			fail_msg("%s: got '%s' want '%s'", c[i].in, buf_cstr(&OUT), c[i].out);
	}
}

static int teardown(void **state)
{
	(void)state;
	buf_free(&OUT);
	buf_free(&SCRATCH[0]);
	buf_free(&SCRATCH[1]);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_all),
		cmocka_unit_test(test_json_paths),
		cmocka_unit_test(test_unpack),
		cmocka_unit_test(test_logfmt),
		cmocka_unit_test(test_decolorize),
		cmocka_unit_test(test_ipspec),
		cmocka_unit_test(test_sanitize),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
