/* LogQL log pipelines over events; expected results follow Loki's
 * documented behaviour (docs/logql.md lists where ward differs). */
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
#include "logql.h"

/* Run query over the event given as JSON; returns the serialized result
 * (caller frees) or NULL if the query drops the event. */
static char *run(const char *query, const char *event_json)
{
	struct logql_error err;
	struct logql_expr *e = logql_parse(query, strlen(query), &err);
	if (!e)
		fail_msg("parse %s: %u:%u %s", query, err.line, err.col, err.msg);
	const struct logql_log_query *q;
	assert_int_equal(logql_expr_log_queries(e, &q, 1), 1);
	struct logql_engine *eng = logql_engine_new();
	struct logql_pipeline *p = logql_pipeline_compile(eng, q, &err);
	if (!p)
		fail_msg("compile %s: %s", query, err.msg);
	struct ward_event ev;
	struct ward_event_parser ep;
	char why[128];
	event_init(&ev);
	assert_int_equal(event_parser_init(&ep), 0);
	assert_int_equal(event_parse(&ev, &ep, event_json, strlen(event_json), why, sizeof(why)), 0);
	struct logql_ctx *cx = logql_ctx_new(eng);
	logql_ctx_begin(cx, &ev);
	char *out = NULL;
	if (logql_eval(cx, p)) {
		struct ward_buf b = WARD_BUF_INIT;
		logql_apply(cx, &ev);
		event_serialize(&ev, &b);
		out = ward_xstrdup(buf_cstr(&b));
		buf_free(&b);
	}
	logql_ctx_free(cx);
	logql_engine_free(eng);
	event_free(&ev);
	event_parser_free(&ep);
	logql_expr_free(e);
	return out;
}

#define EV(labels, line) "{\"v\":1,\"labels\":" labels ",\"line\":" line "}"
#define SSH EV("{\"job\":\"sshd\"}", "\"Failed password for root from 198.18.0.7 port 4242 ssh2\"")

static void expect(const char *query, const char *ev, const char *want)
{
	char *got = run(query, ev);
	if (!want) {
		if (got) {
			char msg[1024];
			snprintf(msg, sizeof(msg), "%s kept the event: %s", query, got);
			free(got);
			fail_msg("%s", msg);
		}
		return;
	}
	if (!got)
		fail_msg("%s dropped the event", query);
	if (!strstr(got, want)) {
		char msg[2048];
		snprintf(msg, sizeof(msg), "%s\n got: %s\nwant: ...%s...", query, got, want);
		free(got);
		fail_msg("%s", msg);
	}
	free(got);
}

static void keep(const char *query, const char *ev) { expect(query, ev, "{"); }
static void drop(const char *query, const char *ev) { expect(query, ev, NULL); }

static void test_selector(void **state)
{
	(void)state;
	keep("{job=\"sshd\"}", SSH);
	drop("{job=\"nginx\"}", SSH);
	keep("{job!=\"nginx\"}", SSH);
	keep("{job=~\"ssh.*\"}", SSH);
	/* regex matchers are anchored to the whole value */
	drop("{job=~\"ssh\"}", SSH);
	drop("{job=~\"shd\"}", SSH);
	keep("{job!~\"ssh\"}", SSH);
	/* a missing label is the empty string */
	keep("{job=\"sshd\", host=\"\"}", SSH);
	drop("{host=~\".+\"}", SSH);
	keep("{job=~\"(?i)SSHD\"}", SSH);
	/* ".+" and ".*" take a shortcut; same answers as the regex */
	keep("{job=~\".+\"}", SSH);
	keep("{host=~\".*\"}", SSH);
	keep("{host!~\".+\"}", SSH);
	drop("{job!~\".*\"}", SSH);
	drop("{job=~\".+\"}", EV("{\"job\":\"a\\nb\"}", "\"x\""));
	keep("{job=~\"(?s).+\"}", EV("{\"job\":\"a\\nb\"}", "\"x\""));
}

static void test_line_filters(void **state)
{
	(void)state;
	keep("{job=\"sshd\"} |= \"Failed password\"", SSH);
	drop("{job=\"sshd\"} |= \"failed password\"", SSH);	/* case-sensitive */
	keep("{job=\"sshd\"} |~ \"(?i)failed password\"", SSH);
	drop("{job=\"sshd\"} != \"root\"", SSH);
	keep("{job=\"sshd\"} |= \"Accepted\" or \"Failed\"", SSH);
	drop("{job=\"sshd\"} != \"Accepted\" or \"Failed\"", SSH);
	keep("{job=\"sshd\"} |= \"Failed\" |= \"root\" != \"invalid\"", SSH);
	keep("{job=\"sshd\"} |~ \"port [0-9]+ ssh2$\"", SSH);
	drop("{job=\"sshd\"} |~ \"^port\"", SSH);
	keep("{job=\"sshd\"} !~ \"Accepted|publickey\"", SSH);
	keep("{job=\"sshd\"} |= \"\"", SSH);
	/* RE2 behaviour kept by the PCRE2 options: Unicode case folding, $ only
	 * at the very end, \\pL, [[:word:]], \\Q..\\E */
	const char *u = EV("{\"a\":\"b\"}", "\"\u00c9LAN .* x\\n\"");
	keep("{a=\"b\"} |~ \"(?i)\u00e9lan\"", u);
	drop("{a=\"b\"} |~ \"x$\"", u);
	keep("{a=\"b\"} |~ \"(?m)x$\"", u);
	keep("{a=\"b\"} |~ \"^\\\\pL+ \\\\Q.*\\\\E [[:word:]]\"", u);
	/* pattern filters: <_> matches at least one character */
	keep("{job=\"sshd\"} |> \"Failed password for <_> from <_> port <_>\"", SSH);
	drop("{job=\"sshd\"} |> \"Failed password for <_> from <_> port\"", SSH);
	keep("{job=\"sshd\"} !> \"Accepted <_>\"", SSH);
	drop("{job=\"sshd\"} |> \"password <_>\"", SSH);	/* anchored at the start */
}

static void test_ip_filters(void **state)
{
	(void)state;
	keep("{job=\"sshd\"} |= ip(\"198.18.0.0/15\")", SSH);
	keep("{job=\"sshd\"} |= ip(\"198.18.0.1-198.18.0.9\")", SSH);
	keep("{job=\"sshd\"} |= ip(\"198.18.0.7\")", SSH);
	drop("{job=\"sshd\"} |= ip(\"10.0.0.0/8\")", SSH);
	keep("{job=\"sshd\"} != ip(\"10.0.0.0/8\")", SSH);
	keep("{a=\"b\"} |= ip(\"2001:db8::/32\")", EV("{\"a\":\"b\"}", "\"from [2001:db8::7]:22 x\""));
	/* part of a longer token is not an address */
	drop("{a=\"b\"} |= ip(\"1.2.3.4\")", EV("{\"a\":\"b\"}", "\"v11.2.3.4x\""));
	keep("{a=\"b\"} |= ip(\"1.2.3.4\")", EV("{\"a\":\"b\"}", "\"host 1.2.3.4:80.\""));
}

#define J(line) EV("{\"app\":\"web\"}", line)

static void test_json(void **state)
{
	(void)state;
	/* nested keys joined with _, arrays skipped, numbers as text */
	expect("{app=\"web\"} | json",
	       J("\"{\\\"a\\\":{\\\"b\\\":\\\"c\\\",\\\"n\\\":5},\\\"l\\\":[1,2],\\\"t\\\":true}\""),
	       "\"fields\":{\"a_b\":\"c\",\"a_n\":\"5\",\"t\":\"true\"}");
	/* keys sanitized; leading digit prefixed */
	expect("{app=\"web\"} | json", J("\"{\\\"a.b-c\\\":\\\"x\\\",\\\"1st\\\":\\\"y\\\"}\""),
	       "\"fields\":{\"a_b_c\":\"x\",\"_1st\":\"y\"}");
	/* clash with a stream label: _extracted */
	expect("{app=\"web\"} | json", J("\"{\\\"app\\\":\\\"other\\\"}\""),
	       "\"labels\":{\"app\":\"web\"},\"line\":\"{\\\"app\\\":\\\"other\\\"}\",\"fields\":{\"app_extracted\":\"other\"}");
	/* selected paths; objects returned as JSON text */
	expect("{app=\"web\"} | json first=\"servers[0]\", ua=`request.headers[\"User-Agent\"]`, r=\"request\"",
	       J("\"{\\\"servers\\\":[\\\"a\\\",\\\"b\\\"],\\\"request\\\":{\\\"headers\\\":{\\\"User-Agent\\\":\\\"curl\\\"}}}\""),
	       "\"fields\":{\"first\":\"a\",\"ua\":\"curl\",\"r\":\"{\\\"headers\\\":{\\\"User-Agent\\\":\\\"curl\\\"}}\"}");
	/* escapes decoded */
	expect("{app=\"web\"} | json", J("\"{\\\"u\\\":\\\"\\\\u0041\\\\\\\"b\\\"}\""), "\"u\":\"A\\\"b\"");
	/* a failed parse never drops the line: __error__ is set */
	expect("{app=\"web\"} | json", J("\"not json\""), "\"__error__\":\"JSONParserErr\"");
	drop("{app=\"web\"} | json | __error__=\"\"", J("\"not json\""));
	keep("{app=\"web\"} | json | __error__=\"\"", J("\"{}\""));
	expect("{app=\"web\"} | json | __error__!=\"\" | drop __error__, __error_details__", J("\"[1]\""),
	       "\"fields\":{}");
}

/* The decision runs on the names later stages read; kept events still get
 * every key. */
/* An event whose line is `raw` (JSON-escaped here, so the tests below read
 * as the log line itself). */
static const char *line_ev(const char *raw)
{
	static char buf[8192];
	size_t n = (size_t)snprintf(buf, sizeof buf, "{\"v\":1,\"labels\":{\"app\":\"web\"},\"line\":\"");
	for (const char *p = raw; *p && n + 8 < sizeof buf; p++) {
		if (*p == '"' || *p == '\\')
			buf[n++] = '\\';
		buf[n++] = *p;
	}
	snprintf(buf + n, sizeof buf - n, "\"}");
	return buf;
}

/* The JSON parser of `| json`: strings with spaces and escapes decode as
 * JSON says, at every UTF-8 length boundary and for surrogate pairs. */
static void test_json_strings(void **state)
{
	(void)state;
	expect("{app=\"web\"} | json", line_ev("{\"msg\":\"Failed password for root\"}"),
	       "\"fields\":{\"msg\":\"Failed password for root\"}");
	expect("{app=\"web\"} | json", line_ev("{\"a\":\"\\u007f|\\u0080|\\u07ff|\\u0800|\\uffff\"}"),
	       "\"a\":\"\x7f|\xc2\x80|\xdf\xbf|\xe0\xa0\x80|\xef\xbf\xbf\"");
	/* the first and the last surrogate pairs */
	expect("{app=\"web\"} | json", line_ev("{\"a\":\"\\ud800\\udc00\",\"b\":\"\\udbff\\udfff\"}"),
	       "\"a\":\"\xf0\x90\x80\x80\",\"b\":\"\xf4\x8f\xbf\xbf\"");
	/* raw control characters are not JSON */
	expect("{app=\"web\"} | json", line_ev("{\"a\":\"x\ty\"}"), "\"__error__\":\"JSONParserErr\"");
	expect("{app=\"web\"} | json a=\"a\"", line_ev("{\"a\":\"x y\"}"), "\"fields\":{\"a\":\"x y\"}");
}

/* Documents nest at most LOGQL_JSON_MAX_DEPTH (32) levels: a path of 32
 * segments extracts, a 33rd level makes the line a JSONParserErr. */
static void test_json_path_depth(void **state)
{
	(void)state;
	char line[512], q[512];
	for (int depth = 31; depth <= 33; depth++) {
		size_t n = 0, k = 0;
		for (int i = 0; i < depth; i++)
			n += (size_t)snprintf(line + n, sizeof line - n, "{\"a\":");
		n += (size_t)snprintf(line + n, sizeof line - n, "\"v\"");
		for (int i = 0; i < depth; i++)
			line[n++] = '}';
		line[n] = '\0';
		k += (size_t)snprintf(q + k, sizeof q - k, "{app=\"web\"} | json x=\"a");
		for (int i = 1; i < depth; i++)
			k += (size_t)snprintf(q + k, sizeof q - k, ".a");
		snprintf(q + k, sizeof q - k, "\"");
		if (depth <= 32)
			expect(q, line_ev(line), "\"fields\":{\"x\":\"v\"}");
		else
			expect(q, line_ev(line), "\"__error__\":\"JSONParserErr\"");
	}
}

static void test_json_hints(void **state)
{
	(void)state;
	const char *ev = J("\"{\\\"app\\\":\\\"x\\\",\\\"a\\\":\\\"1\\\",\\\"b\\\":{\\\"c\\\":\\\"2\\\"}}\"");
	expect("{app=\"web\"} | json | a=\"1\"", ev, "\"fields\":{\"app_extracted\":\"x\",\"a\":\"1\",\"b_c\":\"2\"}");
	drop("{app=\"web\"} | json | a=\"2\"", ev);
	keep("{app=\"web\"} | json | app_extracted=\"x\"", ev);
	expect("{app=\"web\"} | json | line_format \"{{.b_c}}\" | logfmt | b_c=\"2\"", ev, "\"line\":\"2\"");
	expect("{app=\"web\"} | json | label_format z=\"{{.a}}{{.b_c}}\" | z=\"12\"", ev, "\"z\":\"12\"");
	expect("{app=\"web\"} | json | keep a", ev, "\"fields\":{\"a\":\"1\"}");
	/* names a template reads inside range/with ($.x, $labels.x) are hinted */
	expect("{app=\"web\"} | json | line_format `{{ range 2 }}{{ $.a }}{{ end }}{{ with .b_c }}{{ $labels.a }}{{ . }}{{ end }}` |= \"1112\"",
	       ev, "\"line\":\"1112\"");
}

static void test_json_bomb(void **state)
{
	(void)state;
	struct ward_buf line = WARD_BUF_INIT, ev = WARD_BUF_INIT;
	for (int i = 0; i < 5000; i++)
		buf_append_str(&line, "{\\\"a\\\":");
	buf_printf(&ev, "{\"labels\":{\"app\":\"web\"},\"line\":\"%s\"}", buf_cstr(&line));
	expect("{app=\"web\"} | json", ev.data, "JSONParserErr");
	buf_free(&line);
	buf_free(&ev);
}

#define L(line) EV("{\"app\":\"api\"}", line)

static void test_logfmt(void **state)
{
	(void)state;
	expect("{app=\"api\"} | logfmt",
	       L("\"at=info method=GET path=\\\"/a b\\\" status=200 empty= dur=1.5s\""),
	       "\"fields\":{\"at\":\"info\",\"method\":\"GET\",\"path\":\"/a b\",\"status\":\"200\",\"dur\":\"1.5s\"}");
	expect("{app=\"api\"} | logfmt --keep-empty", L("\"a=1 empty= flag\""),
	       "\"fields\":{\"a\":\"1\",\"empty\":\"\",\"flag\":\"\"}");
	expect("{app=\"api\"} | logfmt s=\"status\", m=\"method\"", L("\"method=GET status=200 x=1\""),
	       "\"fields\":{\"m\":\"GET\",\"s\":\"200\"}");
	/* non-strict skips a bad pair; strict reports it */
	expect("{app=\"api\"} | logfmt", L("\"a=1 b=\\\"unterminated c=3\""), "\"fields\":{\"a\":\"1\"");
	expect("{app=\"api\"} | logfmt --strict", L("\"a=1 b=x=y c=3\""), "\"__error__\":\"LogfmtParserErr\"");
}

#define A(line) EV("{\"job\":\"nginx\"}", line)
#define ACCESS A("\"198.18.0.9 - - [28/Nov/2026:08:43:52 +0000] \\\"GET /index.php?id=1 HTTP/1.1\\\" 200 512 \\\"-\\\" \\\"curl/8.0\\\"\"")

static void test_regexp_pattern(void **state)
{
	(void)state;
	expect("{job=\"sshd\"} | regexp `for (?P<user>\\S+) from (?P<src_ip>\\S+) port (?P<port>\\d+)`", SSH,
	       "\"fields\":{\"user\":\"root\",\"src_ip\":\"198.18.0.7\",\"port\":\"4242\"}");
	/* no match: no labels, no error, the line is kept */
	expect("{job=\"sshd\"} | regexp `user (?P<user>\\S+)`", SSH, "\"fields\":{}");
	expect("{job=\"nginx\"} | pattern `<ip> - - [<_>] \"<method> <uri> <_>\" <status> <size> <_>`", ACCESS,
	       "\"fields\":{\"ip\":\"198.18.0.9\",\"method\":\"GET\",\"uri\":\"/index.php?id=1\",\"status\":\"200\",\"size\":\"512\"}");
	/* a missing literal: the capture takes the rest (Loki) */
	expect("{job=\"sshd\"} | pattern `Failed password for <user> nowhere <x>`", SSH,
	       "\"fields\":{\"user\":\"root from 198.18.0.7 port 4242 ssh2\"}");
	expect("{job=\"sshd\"} | pattern `<_> from <ip> port <_>` | ip = ip(\"198.18.0.0/15\")", SSH, "\"ip\":\"198.18.0.7\"");
	drop("{job=\"sshd\"} | pattern `<_> from <ip> port <_>` | ip != ip(\"198.18.0.0/15\")", SSH);
	/* a leading literal anchors the pattern at the line start: a pattern
	 * for another message extracts nothing (the line is kept, as in Loki) */
	expect("{job=\"sshd\"} | pattern `Accepted <_> for <user> from <ip> port <_>`", SSH, "\"fields\":{}");
	expect("{job=\"sshd\"} | pattern `password for <user> from <ip> port <_>`", SSH, "\"fields\":{}");
	expect("{job=\"sshd\"} | pattern `Failed <_> for <user> from <ip> port <_>`", SSH,
	       "\"fields\":{\"user\":\"root\",\"ip\":\"198.18.0.7\"}");
}

#define N(line) EV("{\"app\":\"api\"}", line)

static void test_label_filters(void **state)
{
	(void)state;
	const char *ev = N("\"status=503 dur=1.5s size=20KB user=Bob\"");
	keep("{app=\"api\"} | logfmt | status >= 500", ev);
	drop("{app=\"api\"} | logfmt | status < 500", ev);
	keep("{app=\"api\"} | logfmt | status == 503", ev);
	/* every comparison at its boundary, both ways */
	keep("{app=\"api\"} | logfmt | status <= 503", ev);
	drop("{app=\"api\"} | logfmt | status <= 502", ev);
	keep("{app=\"api\"} | logfmt | status <= 504", ev);
	drop("{app=\"api\"} | logfmt | status < 503", ev);
	keep("{app=\"api\"} | logfmt | status < 504", ev);
	keep("{app=\"api\"} | logfmt | status >= 503", ev);
	drop("{app=\"api\"} | logfmt | status >= 504", ev);
	drop("{app=\"api\"} | logfmt | status > 503", ev);
	keep("{app=\"api\"} | logfmt | status > 502", ev);
	drop("{app=\"api\"} | logfmt | status == 502", ev);
	drop("{app=\"api\"} | logfmt | status != 503", ev);
	keep("{app=\"api\"} | logfmt | status != 502", ev);
	keep("{app=\"api\"} | logfmt | dur <= 1500ms", ev);
	drop("{app=\"api\"} | logfmt | dur < 1500ms", ev);
	keep("{app=\"api\"} | logfmt | size <= 20KB", ev);
	drop("{app=\"api\"} | logfmt | size < 20KB", ev);
	keep("{app=\"api\"} | logfmt | dur > 1s", ev);
	drop("{app=\"api\"} | logfmt | dur > 2s", ev);
	keep("{app=\"api\"} | logfmt | dur >= 1500ms", ev);
	keep("{app=\"api\"} | logfmt | size > 19KB", ev);
	drop("{app=\"api\"} | logfmt | size > 20KiB", ev);	/* 20KB < 20KiB */
	keep("{app=\"api\"} | logfmt | user = \"Bob\"", ev);
	keep("{app=\"api\"} | logfmt | user =~ \"B.*\"", ev);
	drop("{app=\"api\"} | logfmt | user =~ \"B\"", ev);	/* anchored */
	keep("{app=\"api\"} | logfmt | user != \"bob\"", ev);
	keep("{app=\"api\"} | logfmt | status >= 500 and user=\"Bob\"", ev);
	keep("{app=\"api\"} | logfmt | status < 500 or user=\"Bob\"", ev);
	drop("{app=\"api\"} | logfmt | status < 500 or user=\"Bob\" and dur > 2s", ev);
	keep("{app=\"api\"} | logfmt | (status < 500 or user=\"Bob\"), dur < 2s", ev);
	keep("{app=\"api\"} | logfmt | status >= 500 user=\"Bob\"", ev);
	/* a comma takes the rest: `a, b or c` is a and (b or c) */
	drop("{app=\"api\"} | logfmt | status < 500, user=\"x\" or user=\"Bob\"", ev);
	keep("{app=\"api\"} | logfmt | status < 500 and user=\"x\" or user=\"Bob\"", ev);
	/* missing label: numeric filters drop, string filters see "" */
	drop("{app=\"api\"} | logfmt | nosuch > 1", ev);
	keep("{app=\"api\"} | logfmt | nosuch = \"\"", ev);
	/* a value that does not convert keeps the line with LabelFilterErr */
	expect("{app=\"api\"} | logfmt | user > 1", ev, "\"__error__\":\"LabelFilterErr\"");
	drop("{app=\"api\"} | logfmt | user > 1 | __error__ = \"\"", ev);
	/* a line already in error passes numeric filters */
	keep("{app=\"api\"} | json | x > 5", ev);
	/* stream labels are filterable too */
	keep("{app=\"api\"} | app = \"api\"", ev);
}

/* `.*M.*` label regexes run as a search for M: same answers as anchoring */
static void test_contains_regex(void **state)
{
	(void)state;
	const char *ev = N("\"u=/a/UNION/b v=xb w=a.b z=xa..\"");
	keep("{app=\"api\"} | logfmt | u =~ \"(?i).*(union|select).*\"", ev);
	drop("{app=\"api\"} | logfmt | u =~ \".*(union|select).*\"", ev);	/* case */
	drop("{app=\"api\"} | logfmt | u !~ \"(?i).*union.*\"", ev);
	/* a top-level | is not a search: ".*a|b.*" is ^(.*a|b.*)$ */
	drop("{app=\"api\"} | logfmt | v =~ \".*a|b.*\"", ev);
	keep("{app=\"api\"} | logfmt | v =~ \".*a|x.*\"", ev);
	/* escaped dot before the last star: not the search form */
	drop("{app=\"api\"} | logfmt | w =~ \".*a\\\\.*\"", ev);
	keep("{app=\"api\"} | logfmt | z =~ \".*a\\\\.*\"", ev);
	drop("{app=\"api\"} | logfmt | v =~ \".*a\\\\.*\"", ev);
	/* newlines: . does not match them unless (?s) */
	const char *nl = "{\"labels\":{\"app\":\"api\"},\"line\":\"x\",\"fields\":{\"m\":\"a\\nUNION\\nb\"}}";
	drop("{app=\"api\"} | m =~ \"(?i).*union.*\"", nl);
	keep("{app=\"api\"} | m =~ \"(?is).*union.*\"", nl);
}

static void test_formatting(void **state)
{
	(void)state;
	expect("{job=\"sshd\"} | regexp `for (?P<user>\\S+) from (?P<ip>\\S+)` | line_format \"{{.user | ToUpper}}@{{.ip}} {{.job}}\"",
	       SSH, "\"line\":\"ROOT@198.18.0.7 sshd\"");
	expect("{job=\"sshd\"} | line_format `{{ printf \"%s-%05d\" .job 42 }} {{ trunc 6 __line__ }} {{ default \"none\" .missing }}`",
	       SSH, "\"line\":\"sshd-00042 Failed none\"");
	expect("{job=\"sshd\"} | line_format `{{ if eq .job \"sshd\" }}yes{{ else }}no{{ end }}-{{ replace \"o\" \"0\" .job }}{{.job | replace \"s\" \"z\"}}`",
	       SSH, "\"line\":\"yes-sshdzzhd\"");
	expect("{job=\"sshd\"} | line_format `{{ if .nope }}a{{ else if .job }}b{{ else }}c{{ end }}`", SSH, "\"line\":\"b\"");
	/* after line_format, line filters see the new line */
	keep("{job=\"sshd\"} | line_format \"x{{.job}}\" |= \"xsshd\"", SSH);
	drop("{job=\"sshd\"} | line_format \"x{{.job}}\" |= \"Failed\"", SSH);
	/* label_format: rename drops the source; template keeps it */
	expect("{job=\"sshd\"} | regexp `for (?P<user>\\S+)` | label_format account=user",
	       SSH, "\"fields\":{\"account\":\"root\"}");
	expect("{job=\"sshd\"} | regexp `for (?P<user>\\S+)` | label_format who=\"{{.user}}@{{.job}}\"",
	       SSH, "\"fields\":{\"user\":\"root\",\"who\":\"root@sshd\"}");
	/* drop and keep */
	expect("{job=\"sshd\"} | regexp `for (?P<user>\\S+) from (?P<ip>\\S+)` | drop ip", SSH,
	       "\"fields\":{\"user\":\"root\"}");
	expect("{job=\"sshd\"} | regexp `for (?P<user>\\S+) from (?P<ip>\\S+)` | drop user=\"admin\"", SSH,
	       "\"fields\":{\"user\":\"root\",\"ip\":\"198.18.0.7\"}");
	expect("{job=\"sshd\"} | regexp `for (?P<user>\\S+) from (?P<ip>\\S+)` | keep ip", SSH,
	       "\"labels\":{},\"line\":\"Failed password for root from 198.18.0.7 port 4242 ssh2\",\"fields\":{\"ip\":\"198.18.0.7\"}");
	/* decolorize */
	expect("{a=\"b\"} | decolorize", EV("{\"a\":\"b\"}", "\"\\u001b[31mred\\u001b[0m text\""), "\"line\":\"red text\"");
	/* unpack: _entry becomes the line, other keys labels */
	expect("{a=\"b\"} | unpack", EV("{\"a\":\"b\"}", "\"{\\\"container\\\":\\\"x\\\",\\\"_entry\\\":\\\"hello\\\"}\""),
	       "\"line\":\"hello\",\"fields\":{\"container\":\"x\"}");
}

static void test_fields_as_labels(void **state)
{
	(void)state;
	/* fields already on the event (from ward-ingest or ward-sniff) act as
	 * extracted labels */
	const char *ev = "{\"labels\":{\"job\":\"sniff\"},\"line\":\"pkt\",\"fields\":{\"src_ip\":\"198.18.0.7\",\"dest_port\":22}}";
	keep("{job=\"sniff\"} | dest_port == 22", ev);
	keep("{job=\"sniff\"} | src_ip = ip(\"198.18.0.0/15\")", ev);
	drop("{job=\"sniff\"} | dest_port > 22", ev);
}

static void test_regex_limit(void **state)
{
	(void)state;
	/* catastrophic backtracking ends at the match limit: no hang, no match */
	struct ward_buf ev = WARD_BUF_INIT;
	buf_append_str(&ev, "{\"labels\":{\"a\":\"b\"},\"line\":\"");
	for (int i = 0; i < 40; i++)
		buf_append_char(&ev, 'a');
	buf_append_str(&ev, "!\"}");
	drop("{a=\"b\"} |~ \"^(a+)+$\"", ev.data);
	buf_free(&ev);
}

/* Many pipelines over one event: parsers run once, literal checks shared. */
static void test_sharing(void **state)
{
	(void)state;
	const char *srcs[] = {
		"{job=\"sshd\"} |= \"Failed\" | regexp `from (?P<ip>\\S+)` | ip=\"198.18.0.7\"",
		"{job=\"sshd\"} |= \"Failed\" | regexp `from (?P<ip>\\S+)` | ip=\"10.0.0.1\"",
		"{job=\"sshd\"} |= \"Failed\" | regexp `from (?P<ip>\\S+)`",
		"{job=\"sshd\"} |= \"Accepted\" | regexp `from (?P<ip>\\S+)`",
	};
	struct logql_error err;
	struct logql_engine *eng = logql_engine_new();
	struct logql_expr *e[4];
	struct logql_pipeline *p[4];
	for (int i = 0; i < 4; i++) {
		e[i] = logql_parse(srcs[i], strlen(srcs[i]), &err);
		assert_non_null(e[i]);
		p[i] = logql_pipeline_compile(eng, e[i]->u.log, &err);
		assert_non_null(p[i]);
	}
	struct ward_event ev;
	event_init(&ev);
	event_set_label(&ev, "job", "sshd", 4);
	const char *line = "Failed password for root from 198.18.0.7 port 4242 ssh2";
	event_set_line(&ev, line, strlen(line));
	struct logql_ctx *cx = logql_ctx_new(eng);
	logql_ctx_begin(cx, &ev);
	assert_true(logql_eval(cx, p[0]));
	size_t n;
	assert_string_equal(logql_result_get(cx, "ip", &n), "198.18.0.7");
	assert_false(logql_eval(cx, p[1]));
	assert_true(logql_eval(cx, p[2]));
	assert_false(logql_eval(cx, p[3]));
	struct logql_stats st;
	logql_ctx_stats(cx, &st);
	assert_int_equal(st.parser_runs, 1);
	assert_int_equal(st.parser_cache_hits, 2);
	assert_int_equal(st.prefilter_rejects, 1);
	/* result label set for ward-window: stream labels then extracted */
	assert_true(logql_eval(cx, p[0]));
	assert_int_equal(logql_result_nlabels(cx), 2);
	const char *name, *val;
	logql_result_label(cx, 1, &name, &val, &n);
	assert_string_equal(name, "ip");
	logql_ctx_free(cx);
	logql_engine_free(eng);
	for (int i = 0; i < 4; i++)
		logql_expr_free(e[i]);
	event_free(&ev);
}

/* ward-window's path: main pipeline, unwrap conversion, post filters */
static void test_unwrap_post(void **state)
{
	(void)state;
	const char *src = "sum_over_time({a=\"b\"} | logfmt | unwrap bytes(size) | __error__=\"\" [1m])";
	struct logql_error err;
	struct logql_expr *e = logql_parse(src, strlen(src), &err);
	assert_non_null(e);
	struct logql_engine *eng = logql_engine_new();
	struct logql_pipeline *p = logql_pipeline_compile(eng, e->u.range.query, &err);
	struct logql_pipeline *post = logql_post_compile(eng, e->u.range.unwrap, &err);
	assert_non_null(p);
	assert_non_null(post);
	struct logql_ctx *cx = logql_ctx_new(eng);
	struct ward_event ev;
	event_init(&ev);
	event_set_label(&ev, "a", "b", 1);
	const char *lines[] = { "size=20KB", "size=lots" };
	for (int i = 0; i < 2; i++) {
		event_set_line(&ev, lines[i], strlen(lines[i]));
		logql_ctx_begin(cx, &ev);
		assert_true(logql_eval(cx, p));
		size_t n;
		const char *v = logql_result_get(cx, "size", &n);
		double bytes;
		if (logql_parse_bytes(v, n, &bytes) != 0)
			logql_result_set_error(cx, "SampleExtractionErr", "not bytes");
		else
			assert_true(bytes == 20000);
		/* the post filter drops the sample that failed to convert */
		assert_int_equal(logql_eval_post(cx, post), i == 0);
	}
	event_free(&ev);
	logql_ctx_free(cx);
	logql_engine_free(eng);
	logql_expr_free(e);
}

/* Rules that share `| json | label_format ...` expand the templates once */
static void test_label_format_sharing(void **state)
{
	(void)state;
	const char *srcs[] = {
		"{a=\"b\"} |= \"u\" | json | label_format d=`{{ .u | urldecode }}`, e=\"{{.d}}!\" | d =~ \".*x.*\"",
		"{a=\"b\"} | json | label_format d=`{{ .u | urldecode }}`, e=\"{{.d}}!\" | d =~ \".*y.*\"",
		"{a=\"b\"} | json | u != \"\" | label_format d=`{{ .u | urldecode }}`, e=\"{{.d}}!\"",
	};
	struct logql_error err;
	struct logql_engine *eng = logql_engine_new();
	struct logql_expr *e[3];
	struct logql_pipeline *p[3];
	for (int i = 0; i < 3; i++) {
		e[i] = logql_parse(srcs[i], strlen(srcs[i]), &err);
		assert_non_null(e[i]);
		p[i] = logql_pipeline_compile(eng, e[i]->u.log, &err);
		assert_non_null(p[i]);
	}
	struct ward_event ev;
	event_init(&ev);
	event_set_label(&ev, "a", "b", 1);
	const char *line = "{\"u\":\"%78y\"}";
	event_set_line(&ev, line, strlen(line));
	struct logql_ctx *cx = logql_ctx_new(eng);
	logql_ctx_begin(cx, &ev);
	size_t n;
	assert_true(logql_eval(cx, p[0]));
	assert_string_equal(logql_result_get(cx, "e", &n), "xy!");
	assert_true(logql_eval(cx, p[1]));
	assert_string_equal(logql_result_get(cx, "d", &n), "xy");
	assert_true(logql_eval(cx, p[2]));	/* another prefix: its own expansion */
	assert_string_equal(logql_result_get(cx, "e", &n), "xy!");
	struct logql_stats st;
	logql_ctx_stats(cx, &st);
	/* json: once hinted and once in full (kept events); label_format:
	 * reused by the second pipeline in both modes */
	assert_int_equal(st.parser_runs, 2);
	assert_true(st.parser_cache_hits >= 6);
	logql_ctx_free(cx);
	logql_engine_free(eng);
	for (int i = 0; i < 3; i++)
		logql_expr_free(e[i]);
	event_free(&ev);
}

static bool additive(const char *query)
{
	struct logql_error err;
	struct logql_expr *e = logql_parse(query, strlen(query), &err);
	assert_non_null(e);
	struct logql_engine *eng = logql_engine_new();
	struct logql_pipeline *p = logql_pipeline_compile(eng, e->u.log, &err);
	assert_non_null(p);
	struct ward_event ev;
	event_init(&ev);
	event_set_label(&ev, "job", "sshd", 4);
	event_set_field(&ev, "f", "1", 1);
	const char *line = "Failed password for root from 198.18.0.7 port 4242 ssh2";
	event_set_line(&ev, line, strlen(line));
	struct logql_ctx *cx = logql_ctx_new(eng);
	logql_ctx_begin(cx, &ev);
	assert_true(logql_eval(cx, p));
	bool add = logql_result_additive(cx);
	logql_ctx_free(cx);
	logql_engine_free(eng);
	event_free(&ev);
	logql_expr_free(e);
	return add;
}

static void test_additive(void **state)
{
	(void)state;
	assert_true(additive("{job=\"sshd\"} |= \"Failed\""));
	assert_true(additive("{job=\"sshd\"} | regexp `for (?P<user>\\S+)`"));
	assert_false(additive("{job=\"sshd\"} | regexp `for (?P<f>\\S+)`"));	/* overwrites a field */
	assert_false(additive("{job=\"sshd\"} | drop job"));
	assert_false(additive("{job=\"sshd\"} | line_format \"x\""));
	assert_false(additive("{job=\"sshd\"} | label_format job=\"y\""));
	assert_false(additive("{job=\"sshd\"} | regexp `for (?P<job>\\S+)` | drop job_extracted"));
}

static void test_compile_errors(void **state)
{
	(void)state;
	const char *bad[] = {
		"{a=~\"(\"}", "{a=\"b\"} |~ \"[\"", "{a=\"b\"} | regexp \"(\\\\d+)\"",
		"{a=\"b\"} | pattern \"<a><b>\"", "{a=\"b\"} | pattern \"no captures\"",
		"{a=\"b\"} |= ip(\"300.1.1.1\")", "{a=\"b\"} | x = ip(\"1.2.3.4/99\")",
		"{a=\"b\"} | line_format \"{{.a\"", "{a=\"b\"} | line_format \"{{ nosuchfn .a }}\"",
		"{a=\"b\"} | json x=\"a[\"",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct logql_error err;
		struct logql_expr *e = logql_parse(bad[i], strlen(bad[i]), &err);
		if (!e)
			fail_msg("should parse: %s", bad[i]);
		struct logql_engine *eng = logql_engine_new();
		if (logql_pipeline_compile(eng, e->u.log, &err))
			fail_msg("should not compile: %s", bad[i]);
		assert_true(err.msg[0] != '\0');
		logql_engine_free(eng);
		logql_expr_free(e);
	}
}

static void test_conversions(void **state)
{
	(void)state;
	double v;
	assert_int_equal(logql_parse_bytes("20KB", 4, &v), 0);
	assert_true(v == 20000);
	assert_int_equal(logql_parse_bytes("1.5KiB", 6, &v), 0);
	assert_true(v == 1536);
	assert_int_equal(logql_parse_bytes("42", 2, &v), 0);
	assert_true(v == 42);
	assert_int_equal(logql_parse_bytes("3 MB", 4, &v), 0);
	assert_true(v == 3e6);
	assert_int_equal(logql_parse_bytes("KB", 2, &v), -1);
	assert_int_equal(logql_parse_duration_seconds("1h30m", 5, &v), 0);
	assert_true(v == 5400);
	assert_int_equal(logql_parse_duration_seconds("-250ms", 6, &v), 0);
	assert_true(v == -0.25);
	assert_int_equal(logql_parse_duration_seconds("5", 1, &v), -1);
}

/* Equal queries (two rules over one query) share one evaluation per event;
 * a different query in between replaces the working set, so the result is
 * built again, never read from another query. */
static void test_equal_queries_share(void **state)
{
	(void)state;
	const char *srcs[] = {
		"{job=\"sshd\"} |= \"Failed\" | regexp `from (?P<ip>\\S+)` | ip!=\"10.0.0.1\"",
		"{job=\"sshd\"}  |=  \"Failed\" | regexp `from (?P<ip>\\S+)` | ip!=\"10.0.0.1\"",
		"{job=\"sshd\"} |= \"Failed\" | regexp `for (?P<user>\\S+)`",
	};
	struct logql_error err;
	struct logql_engine *eng = logql_engine_new();
	struct logql_expr *e[3];
	struct logql_pipeline *p[3];
	for (int i = 0; i < 3; i++) {
		e[i] = logql_parse(srcs[i], strlen(srcs[i]), &err);
		assert_non_null(e[i]);
		p[i] = logql_pipeline_compile(eng, e[i]->u.log, &err);
		assert_non_null(p[i]);
	}
	struct ward_event ev;
	event_init(&ev);
	event_set_label(&ev, "job", "sshd", 4);
	const char *line = "Failed password for root from 198.18.0.7 port 4242 ssh2";
	event_set_line(&ev, line, strlen(line));
	struct logql_ctx *cx = logql_ctx_new(eng);
	struct logql_stats st;
	size_t n;
	logql_ctx_begin(cx, &ev);
	assert_true(logql_eval(cx, p[0]));
	assert_false(logql_result_is_marked(cx));
	logql_result_mark(cx);
	assert_true(logql_eval(cx, p[1]));	/* shared */
	assert_true(logql_result_is_marked(cx));	/* the same result */
	logql_ctx_stats(cx, &st);
	assert_int_equal(st.query_cache_hits, 1);
	assert_string_equal(logql_result_get(cx, "ip", &n), "198.18.0.7");
	assert_true(logql_eval(cx, p[2]));
	assert_string_equal(logql_result_get(cx, "user", &n), "root");
	assert_false(logql_result_is_marked(cx));	/* other labels */
	assert_true(logql_eval(cx, p[1]));	/* built again */
	assert_true(logql_result_is_marked(cx));	/* equal to the marked one */
	logql_ctx_stats(cx, &st);
	assert_int_equal(st.query_cache_hits, 1);
	assert_null(logql_result_get(cx, "user", &n));
	assert_string_equal(logql_result_get(cx, "ip", &n), "198.18.0.7");
	line = "Failed password for root from 10.0.0.1 port 4242 ssh2";
	event_set_line(&ev, line, strlen(line));
	logql_ctx_begin(cx, &ev);	/* a new event: nothing carried over */
	assert_false(logql_result_is_marked(cx));
	assert_false(logql_eval(cx, p[0]));
	assert_true(logql_eval(cx, p[2]));
	assert_false(logql_eval(cx, p[1]));	/* a shared "no" */
	logql_ctx_stats(cx, &st);
	assert_int_equal(st.query_cache_hits, 2);
	event_free(&ev);
	logql_ctx_free(cx);
	logql_engine_free(eng);
	for (int i = 0; i < 3; i++)
		logql_expr_free(e[i]);
}

/* A label regex asked again on the same value answers from memory; on
 * another label's value (or the next event's) it is run again. */
static void test_label_regex_memo(void **state)
{
	(void)state;
	const char *srcs[] = {
		"{job=\"sshd\"} | regexp `(?P<a>\\S+) (?P<b>\\S+)` | a=~\"x.*\"",
		"{job=\"sshd\"} | regexp `(?P<a>\\S+) (?P<b>\\S+)` | b=~\"x.*\"",
		"{job=\"sshd\"} | regexp `(?P<a>\\S+) (?P<b>\\S+)` | a!~\"x.*\"",
	};
	struct logql_error err;
	struct logql_engine *eng = logql_engine_new();
	struct logql_expr *e[3];
	struct logql_pipeline *p[3];
	for (int i = 0; i < 3; i++) {
		e[i] = logql_parse(srcs[i], strlen(srcs[i]), &err);
		assert_non_null(e[i]);
		p[i] = logql_pipeline_compile(eng, e[i]->u.log, &err);
		assert_non_null(p[i]);
	}
	struct ward_event ev;
	event_init(&ev);
	event_set_label(&ev, "job", "sshd", 4);
	event_set_line(&ev, "xa yb", 5);
	struct logql_ctx *cx = logql_ctx_new(eng);
	logql_ctx_begin(cx, &ev);
	assert_true(logql_eval(cx, p[0]));
	assert_false(logql_eval(cx, p[1]));
	assert_false(logql_eval(cx, p[2]));
	event_set_line(&ev, "ya xb", 5);
	logql_ctx_begin(cx, &ev);
	assert_false(logql_eval(cx, p[0]));
	assert_true(logql_eval(cx, p[1]));
	assert_true(logql_eval(cx, p[2]));
	event_free(&ev);
	logql_ctx_free(cx);
	logql_engine_free(eng);
	for (int i = 0; i < 3; i++)
		logql_expr_free(e[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_selector),
		cmocka_unit_test(test_line_filters),
		cmocka_unit_test(test_ip_filters),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_hints),
		cmocka_unit_test(test_json_bomb),
		cmocka_unit_test(test_logfmt),
		cmocka_unit_test(test_regexp_pattern),
		cmocka_unit_test(test_json_strings),
		cmocka_unit_test(test_json_path_depth),
		cmocka_unit_test(test_label_filters),
		cmocka_unit_test(test_contains_regex),
		cmocka_unit_test(test_formatting),
		cmocka_unit_test(test_fields_as_labels),
		cmocka_unit_test(test_regex_limit),
		cmocka_unit_test(test_sharing),
		cmocka_unit_test(test_unwrap_post),
		cmocka_unit_test(test_label_format_sharing),
		cmocka_unit_test(test_additive),
		cmocka_unit_test(test_equal_queries_share),
		cmocka_unit_test(test_label_regex_memo),
		cmocka_unit_test(test_compile_errors),
		cmocka_unit_test(test_conversions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
