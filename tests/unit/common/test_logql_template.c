/* The text/template subset of line_format, label_format and annotations;
 * expected outputs follow Go's text/template and Loki's function docs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "event.h"
#include "logql_re.h"
#include "logql_template.h"

static const char *lookup(void *ud, const char *name, size_t n, size_t *vlen)
{
	static const char *const kv[][2] = {
		{ "user", "Root" }, { "ip", "198.18.0.7" }, { "n", "42" }, { "empty", "" },
		{ "path", "/a%20b+c%2Fd" }, { "$value", "6" }, { "s", "  padded  " },
	};
	(void)ud;
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
	expect("{{__timestamp__}}", "2023-11-14T22:13:20.000000000Z");
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
	expect("{{ count \"8\" .ip }} {{ add 1 2 3 }} {{ sub 10 4 }} {{ mul 2 .n }} {{ div 7 2 }} {{ mod 7 2 }}", "2 6 6 84 3.5 1");
	expect("{{ int \"3.9\" }} {{ float64 \"2.50\" }}", "3 2.5");
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
		cmocka_unit_test(test_functions),
		cmocka_unit_test(test_control),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
