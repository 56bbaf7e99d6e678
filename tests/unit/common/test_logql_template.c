/* The text/template subset of line_format, label_format and annotations;
 * expected outputs follow Go's text/template and Loki's function docs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <malloc.h>
#include <string.h>

#include "buf.h"
#include "event.h"
#include "logql.h"

/* a label built by a test (huge JSON documents) */
static const char *big_label;

static const char *lookup(void *ud, const char *name, size_t n, size_t *vlen)
{
	static const char *const kv[][2] = {
		{ "user", "Root" }, { "ip", "198.18.0.7" }, { "n", "42" }, { "empty", "" },
		{ "path", "/a%20b+c%2Fd" }, { "$value", "6" }, { "s", "  padded  " },
		{ "js", "{\"b\": 2, \"a\": \"x\", \"c\": [1, \"y\"], \"b\": 3}" },
		{ "arr", "[10, \"s\", true, null, {\"k\": \"v\"}]" },
		{ "qs", "[{\"query\": \"up\"}, {\"query\": \"rate(x[5m])\"}]" },
		{ "bad", "not json" }, { "from", "1679577215" }, { "multi", "a\nb" },
		{ "pats", "[\"a\", \"b\", \"a|b\", \"a|b\", \"b\"]" }, { "paren", "(" },
	};
	(void)ud;
	if (n == 3 && !memcmp(name, "big", 3) && big_label) {
		*vlen = strlen(big_label);
		return big_label;
	}
	for (size_t i = 0; i < sizeof(kv) / sizeof(kv[0]); i++)
		if (strlen(kv[i][0]) == n && !memcmp(kv[i][0], name, n)) {
			*vlen = strlen(kv[i][1]);
			return kv[i][1];
		}
	return NULL;
}

static void expect(const char *src, const char *want)
{
	char err[200];
	struct logql_tmpl *t = logql_tmpl_compile(src, strlen(src), err, sizeof err);
	if (!t)
		fail_msg("compile %s: %s", src, err);
	struct logql_re_scratch *re = logql_re_scratch_new(100000);
	struct logql_tmpl_env env = { lookup, NULL, "the line", 8, 1700000000LL * 1000000000LL, re };
	struct ward_buf out = WARD_BUF_INIT;
	int rc = logql_tmpl_exec(t, &env, &out, err, sizeof err);
	if (rc != 0 && want)
		fail_msg("exec %s: %s", src, err);
	if (!want) {
		if (rc == 0)
			fail_msg("%s should fail, gave %s", src, buf_cstr(&out));
	} else if (strcmp(buf_cstr(&out), want) != 0) {
		fail_msg("%s\n got: %s\nwant: %s", src, buf_cstr(&out), want);
	}
	buf_free(&out);
	logql_re_scratch_free(re);
	logql_tmpl_free(t);
}

/* A regex given by a value: compiled when the value changes, reused while it
 * repeats, and an evaluation error (not a crash) when it does not compile. */
static void test_regex_from_values(void **state)
{
	(void)state;
	expect("{{ range $p := fromJson .pats }}{{ count $p \"abab\" }} {{ end }}", "2 2 4 4 2 ");
	expect("{{ range $p := fromJson .pats }}{{ regexReplaceAll $p \"abc\" \"_\" }} {{ end }}",
	       "_bc a_c __c __c a_c ");
	expect("{{ count .paren \"x\" }}", NULL);
	expect("{{ range $p := fromJson .pats }}{{ count .paren $p }}{{ end }}", NULL);
}

static void bad(const char *src)
{
	char err[200];
	struct logql_tmpl *t = logql_tmpl_compile(src, strlen(src), err, sizeof err);
	if (t) {
		logql_tmpl_free(t);
		fail_msg("compiled: %s", src);
	}
	assert_non_null(strstr(err, "offset"));
}

static void test_fields_and_pipes(void **state)
{
	(void)state;
	expect("plain", "plain");
	expect("{{.user}}@{{.ip}}", "Root@198.18.0.7");
	expect("[{{.missing}}]", "[]");
	expect("{{ .user | ToUpper }} {{ .user | lower }} {{ upper .user }}", "ROOT root ROOT");
	expect("{{ $labels.ip }} {{ $value }}", "198.18.0.7 6");
	expect("{{__line__}} {{ __line__ | trunc 3 }}", "the line the");
	/* Go's Time.String(), in UTC */
	expect("{{__timestamp__}}", "2023-11-14 22:13:20 +0000 UTC");
	expect("a {{- \" b \" -}} c", "a b c");
	expect("x  {{- .n }}  y", "x42  y");
	expect("{{ (printf \"%s-%s\" .user .n) | ToLower }}", "root-42");
}

static void test_functions(void **state)
{
	(void)state;
	expect("{{ default \"none\" .missing }} {{ default \"none\" .user }} {{ .empty | default \"d\" }}", "none Root d");
	expect("{{ printf \"%05d|%-6s|%.2f|%q|%x|%%\" .n .user 3.14159 .ip 255 }}", "00042|Root  |3.14|\"198.18.0.7\"|ff|%");
	expect("{{ replace \"8\" \"X\" .ip }} {{ Replace .ip \".\" \"_\" 2 }}", "19X.1X.0.7 198_18_0.7");
	expect("{{ trunc -3 .ip }} {{ substr 0 3 .ip }} {{ trunc 99 .n }}", "0.7 198 42");
	expect("{{ trim .s }}|{{ trimAll \"R\" .user }}|{{ trimPrefix \"Ro\" .user }}|{{ trimSuffix \"ot\" .user }}|{{ TrimPrefix .user \"R\" }}",
	       "padded|oot|ot|Ro|oot");
	expect("{{ title \"hello world\" }} {{ repeat 3 \"ab\" }} {{ len .ip }}", "Hello World ababab 10");
	expect("{{ contains \"18\" .ip }} {{ hasPrefix \"198\" .ip }} {{ hasSuffix \"x\" .ip }}", "true true false");
	expect("{{ urldecode .path }} {{ urlencode \"a b/c\" }}", "/a b c/d a+b%2Fc");
	/* lenient: a % without two hex digits stays (Go would fail) */
	expect("{{ urldecode \"%%32%65x%\" }}", "%2ex%");
	expect("{{ b64enc \"ward!\" }} {{ b64dec \"d2FyZCE=\" }}", "d2FyZCE= ward!");
	expect("{{ regexReplaceAll \"(\\\\d+)\\\\.(\\\\d+)\" .ip \"${2}-$1\" }}", "18-198.7-0");
	expect("{{ regexReplaceAllLiteral \"\\\\d\" .n \"$1\" }}", "$1$1");
	expect("{{ alignLeft 6 .n }}|{{ alignRight 6 .n }}|{{ alignLeft 2 .ip }}", "42    |    42|19");
	/* Loki's documented examples; these count runes, not bytes */
	expect("{{ alignLeft 5 \"hello world\" }}|{{ alignLeft 5 \"hi\" }}|{{ alignRight 5 \"hello world\" }}|{{ alignRight 5 \"hi\" }}",
	       "hello|hi   |world|   hi");
	expect("{{ trunc 5 \"hello world\" }} {{ trunc -5 \"hello world\" }} {{ substr 6 11 \"hello world\" }} {{ substr -1 2 \"hello\" }}[{{ substr -1 -1 \"x\" }}]",
	       "hello world world he[]");
	expect("{{ trunc 2 \"\xc3\xa9t\xc3\xa9\" }} {{ substr 1 3 \"\xc3\xa9t\xc3\xa9s\" }} {{ alignRight 2 \"\xc3\xa9t\xc3\xa9\" }}",
	       "\xc3\xa9t t\xc3\xa9 t\xc3\xa9");
	expect("{{ title \"hello-world foo_bar x.y\" }}", "Hello-World Foo_bar X.Y");
	expect("{{ count \"8\" .ip }} {{ add 1 2 3 }} {{ sub 10 4 }} {{ mul 2 .n }} {{ div 7 2 }} {{ mod 7 2 }}", "2 6 6 84 3 1");
	/* sprig's int: a string with a fraction is 0 (spf13/cast) */
	expect("{{ int \"3.9\" }} {{ int \"3.0\" }} {{ int \"0x10\" }} {{ float64 \"2.50\" }} {{ add \"1.5\" 1 }}", "0 3 16 2.5 1");
}

static void test_control(void **state)
{
	(void)state;
	expect("{{ if .user }}yes{{ else }}no{{ end }}", "yes");
	expect("{{ if .empty }}yes{{ else }}no{{ end }}", "no");
	expect("{{ if eq .n \"42\" }}a{{ else if .user }}b{{ else }}c{{ end }}", "a");
	expect("{{ if eq .n \"1\" }}a{{ else if .missing }}b{{ else }}c{{ end }}", "c");
	expect("{{ if and .user .n }}both{{ end }}{{ if or .missing .empty }}x{{ end }}", "both");
	expect("{{ if not .missing }}none{{ end }} {{ if ne .n \"42\" }}ne{{ end }}", "none ");
	expect("{{ if eq .n \"1\" \"42\" }}any{{ end }}", "any");
}

/* range, with, variables: expected outputs are Go text/template's over the
 * value sprig's fromJson decodes (maps range in key order, the last of
 * duplicate keys wins, nested values print as Go's fmt does) */
static void test_range_with_vars(void **state)
{
	(void)state;
	expect("{{ range $k, $v := fromJson .js }}{{ $k }}={{ $v }};{{ end }}", "a=x;b=3;c=[1 y];");
	expect("{{ range $i, $v := fromJson .arr }}{{ $i }}:{{ $v }} {{ end }}", "0:10 1:s 2:true 3: 4:map[k:v] ");
	/* Loki's documented example: one line per query of a JSON array */
	expect("{{ range $q := fromJson .qs }} {{ $q.query }} {{ end }}", " up  rate(x[5m]) ");
	expect("{{ range fromJson .qs }}{{ .query }}|{{ $.user }}|{{ end }}", "up|Root|rate(x[5m])|Root|");
	expect("{{ range fromJson .bad }}x{{ else }}none{{ end }}", "none");
	expect("{{ range fromJson \"[]\" }}x{{ else }}empty{{ end }}", "empty");
	expect("{{ range $v := fromJson .arr }}{{ if eq $v \"s\" }}{{ break }}{{ end }}{{ $v }},{{ end }}", "10,");
	expect("{{ range $i, $v := fromJson \"[1,2,3]\" }}{{ if eq $i 1 }}{{ continue }}{{ end }}{{ $v }}{{ end }}", "13");
	expect("{{ range $a := fromJson \"[[1,2],[3]]\" }}({{ range $a }}{{ . }}{{ end }}){{ end }}", "(12)(3)");
	expect("{{ with .user }}{{ . }}{{ end }}|{{ with .missing }}x{{ else }}none{{ end }}", "Root|none");
	expect("{{ with $j := fromJson .js }}{{ $j.a }}{{ .c }}{{ end }}", "x[1 y]");
	expect("{{ with .missing }}a{{ else with .user }}{{ . }}{{ end }}", "Root");
	expect("{{ $x := .user }}{{ $x }}{{ $x = \"b\" }}{{ $x }}{{ $x = printf \"%s%s\" $x $x }}{{ $x }}", "Rootbbb");
	expect("{{ if $y := .n }}{{ $y }}{{ end }} {{ if $z := .missing }}{{ else }}[{{ $z }}]{{ end }}", "42 []");
	expect("{{ if .missing }}a{{ else if $w := .user }}{{ $w }}{{ end }}", "Root");
	expect("{{ $labels.user }} {{ $.user }} {{ $value }}", "Root Root 6");
	expect("{{ fromJson \"{\\\"foo\\\": 55}\" }}", "map[foo:55]");
	expect("{{ fromJson .js }}", "map[a:x b:3 c:[1 y]]");
	expect("{{ printf \"%v|%s\" (fromJson .js) (fromJson .arr) }}", "map[a:x b:3 c:[1 y]]|[10 s true <nil> map[k:v]]");
	expect("{{ range fromJson \"[1e6, 123456, 0.5, 1.5e-7, -0, 1e21]\" }}{{ . }} {{ end }}", "1e+06 123456 0.5 1.5e-07 -0 1e+21 ");
	expect("{{ fromJson \"\\\"\\\\u00e9\\\\ud83d\\\\ude00\\\\ud800\\\"\" }}", "\xc3\xa9\xf0\x9f\x98\x80\xef\xbf\xbd");
	expect("{{ len (fromJson .js) }} {{ len (fromJson .arr) }} {{ len .user }}", "3 5 4");
	expect("{{ index (fromJson .js) \"a\" }} {{ index (fromJson .arr) 4 \"k\" }} {{ index \"abc\" 1 }}", "x v 98");
	expect("{{ index (fromJson .js) \"nope\" }}.", ".");
	expect("{{ range $k, $v := fromJson \"{\\\"k9\\\":9,\\\"k1\\\":1,\\\"k5\\\":5,\\\"k3\\\":3,\\\"k7\\\":7,\\\"k2\\\":2,\\\"k1\\\":0,\\\"k8\\\":8,\\\"k6\\\":6,\\\"k4\\\":4,\\\"k\\\\u0030\\\":0}\" }}{{ $k }}{{ $v }}{{ end }}",
	       "k00k10k22k33k44k55k66k77k88k99");
	expect("a{{/* a comment */}}b {{- /* trimmed */ -}} c", "abc");
	expect("{{ \"}}\" }}{{ printf \"%s}}\" .n }}", "}}42}}");
	/* Go's truth: a non-empty string is true, a zero number false */
	expect("{{ if \"false\" }}t{{ end }}{{ if false }}t{{ else }}f{{ end }}{{ if sub 1 1 }}t{{ else }}f{{ end }}", "tff");
	expect("{{ if fromJson \"{}\" }}t{{ else }}f{{ end }}{{ default \"d\" (sub 1 1) }}", "fd");
	expect("{{ print \"a\" 1 2 \"b\" }}|{{ println \"a\" 1 }}", "a1 2b|a 1\n");
	expect("{{ lt 2 10 }} {{ lt \"2\" \"10\" }} {{ ge 3 3 }} {{ gt .n \"5\" }}", "true false true false");
	expect("{{ with fromJson \"{\\\"a\\\":{\\\"b\\\":7}}\" }}{{ .a.b }}{{ end }} {{ (fromJson .js).c }} {{ (fromJson .qs | len) }}", "7 [1 y] 2");
	/* Go 1.22: range over an integer; and/or stop at the deciding argument */
	expect("{{ range 3 }}{{ . }}{{ end }}|{{ range $i := len .user }}{{ $i }}{{ end }}|{{ range 0 }}x{{ else }}none{{ end }}", "012|0123|none");
	expect("{{ and .missing (div 1 0) }}|{{ or .user (div 1 0) }}|{{ and .user .n }}", "|Root|42");
	expect("{{ range 70000 }}{{ end }}", NULL);
	expect("{{ with fromJson .js }}{{ .c.x }}{{ end }}", NULL);	/* a field of a list */
	expect("{{ .user.x }}", NULL);					/* a field of a string */
	expect("{{ range .user }}x{{ end }}", NULL);				/* ranging a string */
}

static void test_new_functions(void **state)
{
	(void)state;
	expect("{{ Trim \"xxhixx\" \"x\" }} {{ TrimLeft \"xxhixx\" \"x\" }} {{ TrimRight \"xxhixx\" \"x\" }}", "hi hixx xxhi");
	expect("[{{ indent 2 .multi }}] [{{ nindent 2 .multi }}]", "[  a\n  b] [\n  a\n  b]");
	expect("{{ addf 3.5 2 5 }} {{ subf 5.5 2 1.5 }} {{ mulf 5.5 2 2.5 }} {{ divf 10 2 4 }} {{ addf 0.1 0.2 }}",
	       "10.5 2 27.5 1.25 0.3");
	expect("{{ max 1 2 3 }} {{ min 1 2 3 }} {{ maxf 1 2.5 3 }} {{ minf 1 2.5 3 }}", "3 1 3 1");
	expect("{{ ceil 123.001 }} {{ floor 123.9999 }} {{ round 123.555555 3 }} {{ round 123.88571428571 5 .2 }}",
	       "124 123 123.556 123.88572");
	expect("{{ count \"a|b\" \"abab\" }} {{ count \"o\" \"foo\" }} {{ count \"x*\" \"ab\" }}", "4 2 3");
	expect("{{ bytes \"1 KiB\" }} {{ bytes \"1.5MB\" }} {{ duration \"1h30m\" }} {{ duration_seconds \"250ms\" }}",
	       "1024 1.5e+06 5400 0.25");
	expect("{{ bytes \"lots\" }}", NULL);
	expect("{{ date \"2006-01-02\" __timestamp__ }} {{ __timestamp__ | date \"Mon Jan _2 15:04:05.000 MST 2006\" }}",
	       "2023-11-14 Tue Nov 14 22:13:20.000 UTC 2023");
	expect("{{ __timestamp__ | date \"2006-01-02T15:04:05.00Z07:00\" }} {{ date \"02/01/06 03:04PM -0700 .999\" 1700000000 }}",
	       "2023-11-14T22:13:20.00Z 14/11/23 10:13PM +0000 ");
	expect("{{ toDate \"2006-01-02\" \"2021-11-02\" | unixEpoch }} {{ toDate \"2006-01-02\" \"2021-11-02\" }}",
	       "1635811200 2021-11-02 00:00:00 +0000 UTC");
	expect("{{ toDateInZone \"2006-01-02T15:04:05.999999999Z07:00\" \"UTC\" \"2021-11-02T10:00:00.5+02:00\" | unixEpochMillis }}",
	       "1635840000500");
	expect("{{ toDate \"2006-01-02 15:04:05\" \"2021-11-02 10:00:00.123\" | unixEpochMillis }}", "1635847200123");
	expect("{{ toDate \"Jan _2 2006\" \"nov  2 2021\" | unixEpoch }}", "1635811200");
	/* a string that does not match the layout is Go's zero time */
	expect("{{ toDate \"2006-01-02\" \"2021-02-30\" | unixEpoch }} {{ toDate \"2006\" \"x\" | date \"2006-01-02\" }}",
	       "-62135596800 0001-01-01");
	expect("{{ date \"2006-01-02\" (unixToTime .from) }} {{ unixToTime \"19373\" | unixEpoch }} {{ unixToTime \"1679577215123\" | unixEpochMillis }}",
	       "2023-03-23 1673827200 1679577215123");
	expect("{{ unixToTime \"123\" }}", NULL);
	/* Go's layout elements (time.RFC850, yday, 12-hour, fractions) */
	expect("{{ __timestamp__ | date \"Monday, 02-Jan-06 15:04:05 MST\" }}|{{ __timestamp__ | date \"002 __2 3 03 pm PM .000 ,999 Z0700 -07\" }}",
	       "Tuesday, 14-Nov-23 22:13:20 UTC|318 318 10 10 pm PM .000  Z +00");
	expect("{{ __timestamp__ | date \"2006-01-02T15:04:05.999999999Z07:00\" }}", "2023-11-14T22:13:20Z");
	expect("{{ toDate \"2006-002\" \"2023-318\" | unixEpoch }} {{ toDate \"3:04pm\" \"10:13pm\" | unixEpoch }}",
	       "1699920000 -62167139220");
	expect("{{ toDate \"2006-01-02 15:04:05 MST\" \"2023-11-14 22:13:20 CET\" | unixEpoch }} {{ toDate \"2006-01-02T15:04:05Z07\" \"2023-11-14T22:13:20+02\" | unixEpoch }}",
	       "1700000000 1699992800");
	expect("{{ toDate \"2006-01-02\" \"2023-11-14 extra\" | unixEpoch }} {{ toDate \"2006-01-02\" \"2023-13-01\" | unixEpoch }}",
	       "-62135596800 -62135596800");
	expect("{{ __timestamp__ | unixEpochNanos }} {{ now | date \"2006\" | len }}", "1700000000000000000 4");
	expect("{{ unixEpoch .user }}", NULL);
	expect("{{ div 7 2 }} {{ mod -7 2 }} {{ mul 3 \"x\" }}", "3 -1 0");
}

/* Hostile documents: bounded work and output, never a crash. */
static void test_limits(void **state)
{
	(void)state;
	struct ward_buf b = WARD_BUF_INIT;
	buf_append_char(&b, '[');
	for (int i = 0; i < 70000; i++)
		buf_append_str(&b, i ? ",0" : "0");
	buf_append_char(&b, ']');
	big_label = buf_cstr(&b);
	expect("{{ len (fromJson .big) }}", "70000");
	struct ward_buf want = WARD_BUF_INIT;
	buf_append_char(&want, '[');
	for (int i = 0; i < 70000; i++)
		buf_append_str(&want, i ? " 0" : "0");
	buf_append_char(&want, ']');
	expect("{{ fromJson .big }}", buf_cstr(&want));
	buf_free(&want);
	expect("{{ range fromJson .big }}{{ end }}", NULL);	/* over 65536 iterations */
	buf_reset(&b);
	buf_append_char(&b, '[');
	for (int i = 0; i < 300; i++)
		buf_append_str(&b, i ? ",1" : "1");
	buf_append_char(&b, ']');
	big_label = buf_cstr(&b);
	expect("{{ range fromJson .big }}{{ range fromJson $.big }}{{ end }}{{ end }}", NULL);	/* 300 * 300 */
	expect("{{ range fromJson .big }}{{ repeat 4000 \"x\" }}{{ end }}", NULL);	/* over 1 MiB */
	buf_reset(&b);
	for (int i = 0; i < 100; i++)
		buf_append_char(&b, '[');
	for (int i = 0; i < 100; i++)
		buf_append_char(&b, ']');
	big_label = buf_cstr(&b);
	expect("[{{ fromJson .big }}]", "[]");	/* nested deeper than 64: not JSON */
	/* a variable doubled in a range stops at 1 MiB */
	expect("{{ $x := \"ab\" }}{{ range $i, $v := fromJson \"[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25]\" }}{{ $x = printf \"%s%s\" $x $x }}{{ end }}{{ len $x }}", NULL);
	expect("{{ range $i, $v := fromJson \"[1]\" }}{{ end }}{{ range $i, $v := fromJson \"[]\" }}{{ else }}[{{ $v }}]{{ end }}", "[]");
	expect("{{ indent 600000 .multi }}", NULL);	/* 1.2 MB of padding */
	big_label = NULL;
	buf_free(&b);
}

/* The header's promise, as far as a test can see it: after the first
 * calls, evaluation holds no more memory however often it runs (glibc's
 * bytes in use stay put; this does not see an allocation freed within a
 * call, and under ASan mallinfo2 counts nothing). */
static void test_steady_state(void **state)
{
	(void)state;
	const char *src = "{{ $u := .user }}{{ range $k, $v := fromJson .js }}{{ $k }}={{ $v }} {{ end }}"
			  "{{ with fromJson .qs }}{{ len . }}{{ index . 1 \"query\" }}{{ end }}"
			  "{{ __timestamp__ | date \"2006-01-02T15:04:05Z07:00\" }} {{ printf \"%s-%05d\" $u 42 | upper }}"
			  "{{ regexReplaceAll \"(\\\\d+)\" .ip \"<$1>\" }}{{ count \"8\" .ip }}{{ addf 0.1 0.2 }}";
	char err[200];
	struct logql_tmpl *t = logql_tmpl_compile(src, strlen(src), err, sizeof err);
	if (!t)
		fail_msg("compile: %s", err);
	struct logql_re_scratch *re = logql_re_scratch_new(100000);
	struct logql_tmpl_env env = { lookup, NULL, "the line", 8, 1700000000LL * 1000000000LL, re };
	struct ward_buf out = WARD_BUF_INIT;
	for (int i = 0; i < 3; i++) {
		buf_reset(&out);
		assert_int_equal(logql_tmpl_exec(t, &env, &out, err, sizeof err), 0);
	}
	size_t before = mallinfo2().uordblks;
	for (int i = 0; i < 50; i++) {
		buf_reset(&out);
		assert_int_equal(logql_tmpl_exec(t, &env, &out, err, sizeof err), 0);
	}
	assert_int_equal(mallinfo2().uordblks, before);
	assert_string_equal(buf_cstr(&out), "a=x b=3 c=[1 y] 2rate(x[5m])2023-11-14T22:13:20Z ROOT-00042<198>.<18>.<0>.<7>20.3");
	buf_free(&out);
	logql_re_scratch_free(re);
	logql_tmpl_free(t);
}

static void test_errors(void **state)
{
	(void)state;
	bad("{{ .user ");
	bad("{{ nosuch .user }}");
	bad("{{ if .user }}x");
	bad("{{ end }}");
	bad("{{ .a .b }}");
	bad("{{ \"unterminated }}");
	bad("{{ printf \"%s\" .a or }}");
	bad("{{ trunc }}");
	bad("{{ $nope }}");
	bad("{{ if .user }}{{ $y := 1 }}{{ end }}{{ $y }}");
	bad("{{ break }}");
	bad("{{ range .a }}{{ else if .b }}{{ end }}");
	bad("{{ $ := 1 }}");
	bad("{{ regexReplaceAll \"(\" .a \"x\" }}");
	bad("{{/* unclosed }}");
	/* evaluation errors: bad numbers, huge widths, huge output */
	expect("{{ trunc \"x\" .user }}", NULL);
	expect("{{ printf \"%999999999s\" .user }}", NULL);
	expect("{{ repeat 100000 .ip }}", NULL);
	expect("{{ div 1 0 }}", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields_and_pipes),
		cmocka_unit_test(test_regex_from_values),
		cmocka_unit_test(test_functions),
		cmocka_unit_test(test_control),
		cmocka_unit_test(test_range_with_vars),
		cmocka_unit_test(test_new_functions),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_steady_state),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
