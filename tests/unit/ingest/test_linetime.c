/* Unit tests: the time of a log line in each layout real programs write,
 * the precedence between places, and look-alikes that must not win. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "stages/ingest/linetime.h"
#include "wtime.h"

static const int64_t NOW = 1795867200LL * NS_PER_SEC;	/* 2026-11-28T12:00:00Z */

/* The line's time as RFC 3339, or "none"; *where is set. */
static const char *when(const char *line, enum linetime_where *where)
{
	static char out[WARD_RFC3339_LEN];
	int64_t ts = 0;
	*where = linetime_find(line, strlen(line), NOW, &ts);
	if (*where == LINETIME_NONE)
		return "none";
	time_format_rfc3339(ts, out);
	return out;
}

struct sample {
	const char *line;
	const char *ts;
	enum linetime_where where;
};

static void check(const struct sample *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		enum linetime_where w;
		const char *got = when(s[i].line, &w);
		if (strcmp(got, s[i].ts) != 0 || w != s[i].where)
			fail_msg("%s: got %s (where %d), want %s (where %d)", s[i].line, got, (int)w,
				 s[i].ts, (int)s[i].where);
	}
}

static void test_line_start_layouts(void **state)
{
	(void)state;
	static const struct sample s[] = {
		/* BSD syslog, year from the reference time */
		{ "Nov 28 08:43:52 web1 sshd[812]: Failed password", "2026-11-28T08:43:52.000000000Z", LINETIME_START },
		{ "Dec  5 23:59:59 web1 cron[1]: x", "2025-12-05T23:59:59.000000000Z", LINETIME_START },
		{ "Nov 2 15:40:14 workshop sshd[28179]: x", "2026-11-02T15:40:14.000000000Z", LINETIME_START },
		/* Suricata fast.log */
		{ "07/11/2022-10:29:01.860293  [**] [1:2200074:2] SURICATA x [**] {TCP} 1.2.3.4:1 -> 5.6.7.8:2", "2022-07-11T10:29:01.860293000Z", LINETIME_START },
		/* rsyslog high precision */
		{ "2024-08-29T01:08:59.764590+00:00 host sshd[1]: x", "2024-08-29T01:08:59.764590000Z", LINETIME_START },
		/* RFC 5424 as written to a file, with PRI and version */
		{ "<38>1 2022-01-19T14:23:55+00:00 host sshd 123 - - Failed password", "2022-01-19T14:23:55.000000000Z", LINETIME_START },
		{ "<13>Nov 28 08:43:52 host app: x", "2026-11-28T08:43:52.000000000Z", LINETIME_START },
		/* PRI 0 to 191 (facility 23, severity 7); <192> is not a PRI */
		{ "<191>Nov 28 08:43:52 host app: x", "2026-11-28T08:43:52.000000000Z", LINETIME_START },
		{ "<0>Nov 28 08:43:52 host app: x", "2026-11-28T08:43:52.000000000Z", LINETIME_START },
		/* nginx error log */
		{ "2021/09/30 09:23:53 [error] 7#7: *3 open() \"/x\" failed", "2021-09-30T09:23:53.000000000Z", LINETIME_START },
		/* Apache error log, zero- and space-padded day */
		{ "[Thu Sep 30 13:27:06.009964 2021] [core:error] [pid 1] AH00126", "2021-09-30T13:27:06.009964000Z", LINETIME_START },
		{ "[Sat Oct  2 01:02:03 2021] [error] [client 1.2.3.4] x", "2021-10-02T01:02:03.000000000Z", LINETIME_START },
		/* ProFTPD: comma fraction, no zone (UTC) */
		{ "2021-05-28 18:08:34,399 ftp proftpd[1] ftp (1.2.3.4[1.2.3.4]): USER x", "2021-05-28T18:08:34.399000000Z", LINETIME_START },
		/* PostgreSQL '%h %m' and '%m' */
		{ "65.2.129.7 2023-03-12 11:17:28.425 UTC [53962] postgres@db FATAL:  x", "2023-03-12T11:17:28.425000000Z", LINETIME_START },
		{ "2001:db8::7 2023-03-12 11:17:28 UTC [1] x", "2023-03-12T11:17:28.000000000Z", LINETIME_START },
		{ "2023-03-12 11:17:28.425 UTC [53962] LOG:  x", "2023-03-12T11:17:28.425000000Z", LINETIME_START },
		/* MySQL, Suricata, offsets */
		{ "2020-04-16T05:13:40.861934Z 8 [Note] Access denied for user", "2020-04-16T05:13:40.861934000Z", LINETIME_START },
		{ "2022-07-12T06:22:33.415742+0000 suricata", "2022-07-12T06:22:33.415742000Z", LINETIME_START },
		{ "2022-07-12T08:22:33+02:00 x", "2022-07-12T06:22:33.000000000Z", LINETIME_START },
		{ "2022-07-12 06:22:33 GMT x", "2022-07-12T06:22:33.000000000Z", LINETIME_START },
		/* epoch */
		{ "1711741827.5 x", "2024-03-29T19:50:27.500000000Z", LINETIME_START },
	};
	check(s, sizeof s / sizeof s[0]);
}

static void test_json_members(void **state)
{
	(void)state;
	static const struct sample s[] = {
		/* Caddy: epoch seconds as a float */
		{ "{\"level\":\"info\",\"ts\":1711741827.9626286,\"logger\":\"http.log.access\"}", "2024-03-29T19:50:27.962628600Z", LINETIME_JSON },
		{ "{\"time\":\"2021-09-30T09:23:53Z\",\"msg\":\"x\"}", "2021-09-30T09:23:53.000000000Z", LINETIME_JSON },
		{ "  {\"@timestamp\": \"2021-09-30T09:23:53.5+00:00\"}", "2021-09-30T09:23:53.500000000Z", LINETIME_JSON },
		/* nginx JSON log_format with $time_iso8601 / $time_local */
		{ "{\"remote_addr\":\"1.2.3.4\",\"time_iso8601\":\"2021-09-30T11:23:53+02:00\"}", "2021-09-30T09:23:53.000000000Z", LINETIME_JSON },
		{ "{\"time_local\":\"30/Sep/2021:09:23:53 +0000\",\"request\":\"GET / HTTP/1.1\"}", "2021-09-30T09:23:53.000000000Z", LINETIME_JSON },
		/* timestamp wins over ts; nested members are not the line's */
		{ "{\"ts\":1,\"timestamp\":\"2021-09-30 09:23:53\"}", "2021-09-30T09:23:53.000000000Z", LINETIME_JSON },
		{ "{\"req\":{\"time\":\"2000-01-01T00:00:00Z\",\"a\":[1,{\"b\":\"}\"}]},\"time\":\"2021-09-30T09:23:53Z\"}", "2021-09-30T09:23:53.000000000Z", LINETIME_JSON },
		/* a member that is not a time falls to the next one */
		{ "{\"time\":\"soon\",\"ts\":1711741827}", "2024-03-29T19:50:27.000000000Z", LINETIME_JSON },
		/* no member, or a line cut inside the object */
		{ "{\"msg\":\"no time\"}", "none", LINETIME_NONE },
		{ "{\"time\":\"2021-09-30T09:23:53Z\"", "none", LINETIME_NONE },	/* cut */
	};
	check(s, sizeof s / sizeof s[0]);
}

static void test_access_log_bracket(void **state)
{
	(void)state;
	static const struct sample s[] = {
		{ "203.0.113.9 - - [30/Sep/2021:09:23:53 +0200] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl/8\"", "2021-09-30T07:23:53.000000000Z", LINETIME_BRACKET },
		{ "203.0.113.9 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326", "2000-10-10T20:55:36.000000000Z", LINETIME_BRACKET },
		/* vhost_combined */
		{ "www.example.com:443 203.0.113.9 - - [30/Sep/2021:09:23:53 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"x\"", "2021-09-30T09:23:53.000000000Z", LINETIME_BRACKET },
		/* the first bracket wins over one in the request */
		{ "1.2.3.4 - - [30/Sep/2021:09:23:53 +0000] \"GET /[01/Jan/2000:00:00:00 +0000] HTTP/1.1\" 404 5", "2021-09-30T09:23:53.000000000Z", LINETIME_BRACKET },
		/* brackets that are not times are skipped */
		{ "host sshd[812]: [x] [30/Sep/2021:09:23:53 +0000]", "2021-09-30T09:23:53.000000000Z", LINETIME_BRACKET },
	};
	check(s, sizeof s / sizeof s[0]);
}

static void test_look_alikes(void **state)
{
	(void)state;
	static const struct sample s[] = {
		/* <192> is no syslog PRI: the time after it is not the line's start */
		{ "<192>Nov 28 08:43:52 host app: x", "none", LINETIME_NONE },
		/* a line that starts with its time keeps it over a bracket in a URI */
		{ "Nov 28 08:43:52 web1 nginx: GET /[01/Jan/2000:00:00:00 +0000] 404", "2026-11-28T08:43:52.000000000Z", LINETIME_START },
		{ "2021-09-30T09:23:53Z GET /?t=[01/Jan/2000:00:00:00 +0000]", "2021-09-30T09:23:53.000000000Z", LINETIME_START },
		/* and over a JSON-looking text later in the line */
		{ "2021-09-30T09:23:53Z {\"time\":\"2000-01-01T00:00:00Z\"}", "2021-09-30T09:23:53.000000000Z", LINETIME_START },
		/* malformed dates do not parse and nothing else is a time */
		{ "2023-13-45 11:17:28 x", "none", LINETIME_NONE },
		{ "2021-02-29T00:00:00Z x", "none", LINETIME_NONE },
		{ "2021/09-30 09:23:53 x", "none", LINETIME_NONE },
		{ "2021-09-30 25:00:00 x", "none", LINETIME_NONE },
		{ "Foo 28 08:43:52 x", "none", LINETIME_NONE },
		{ "Nov 32 08:43:52 x", "none", LINETIME_NONE },
		{ "[Thu Sep 31 13:27:06 2021] x", "none", LINETIME_NONE },
		{ "[Thx Sep 30 13:27:06 2021] x", "none", LINETIME_NONE },
		{ "1.2.3.4 - - [31/Sep/2021:09:23:53 +0000] x", "none", LINETIME_NONE },
		{ "1.2.3.4 - - [30/Sep/2021:09:23:53] x", "none", LINETIME_NONE },
		{ "1.2.3.4 - - [30/Sepx/2021:09:23:53 +0000] x", "none", LINETIME_NONE },
		{ "1.2.3.4 - - [30/Sep/2021:09:23:53 +0000", "none", LINETIME_NONE },
		{ "<999>Nov 28 08:43:52 h x", "none", LINETIME_NONE },
		{ "12345 x", "none", LINETIME_NONE },
		{ "192.168.100.200 - - x", "none", LINETIME_NONE },
		{ "2021-09-30 09:23:53:12 x", "none", LINETIME_NONE },
		{ "", "none", LINETIME_NONE },
		{ "[", "none", LINETIME_NONE },
		{ "{", "none", LINETIME_NONE },
		{ "<", "none", LINETIME_NONE },
	};
	check(s, sizeof s / sizeof s[0]);
}

/* auditd's stamp "msg=audit(SECONDS.MILLIS:SERIAL)": in audit.log, after a
 * syslog header of the programs that forward audit records, and the
 * kernel's own "audit: type=N audit(...)"; another program's text is not
 * read. 1700000000 is 2023-11-14T22:13:20Z. */
static void test_auditd_stamp(void **state)
{
	(void)state;
	static const struct sample s[] = {
		{ "type=SYSCALL msg=audit(1700000000.123:42): arch=c000003e syscall=59 success=yes", "2023-11-14T22:13:20.123000000Z", LINETIME_AUDIT },
		{ "type=EXECVE msg=audit(1700000000.5:7): argc=2 a0=\"ls\" a1=\"-l\"", "2023-11-14T22:13:20.500000000Z", LINETIME_AUDIT },
		{ "node=web1 type=USER_LOGIN msg=audit(1700000000.001:9): pid=1 msg='op=login acct=\"root\" res=failed'", "2023-11-14T22:13:20.001000000Z", LINETIME_AUDIT },
		/* forwarded: the record's time wins over the header's */
		{ "Nov 28 08:43:52 web1 audisp-syslog: type=EXECVE msg=audit(1700000000.123:42): argc=1 a0=\"id\"", "2023-11-14T22:13:20.123000000Z", LINETIME_AUDIT },
		{ "Nov 28 08:43:52 web1 audispd: node=web1 type=SYSCALL msg=audit(1700000000.250:43): arch=c000003e", "2023-11-14T22:13:20.250000000Z", LINETIME_AUDIT },
		{ "2024-08-29T01:08:59.764590+00:00 web1 audisp-syslog: type=PROCTITLE msg=audit(1700000000.123:42): proctitle=6964", "2023-11-14T22:13:20.123000000Z", LINETIME_AUDIT },
		{ "<14>Nov 28 08:43:52 web1 audisp-syslog: type=CWD msg=audit(1700000000.123:42): cwd=\"/\"", "2023-11-14T22:13:20.123000000Z", LINETIME_AUDIT },
		{ "Nov 28 08:43:52 web1 kernel: [  12.345678] audit: type=1400 audit(1700000000.999:5): apparmor=\"DENIED\"", "2023-11-14T22:13:20.999000000Z", LINETIME_AUDIT },
		{ "Nov 28 08:43:52 web1 kernel: audit: type=1326 audit(1700000000.000:6): auid=0", "2023-11-14T22:13:20.000000000Z", LINETIME_AUDIT },
		/* look-alikes: another program, a stamp not where auditd writes it,
		 * a malformed stamp */
		{ "Nov 28 08:43:52 web1 sshd[1]: type=SYSCALL msg=audit(1.0:1): x", "2026-11-28T08:43:52.000000000Z", LINETIME_START },
		{ "Nov 28 08:43:52 web1 audisp-syslog: user said msg=audit(1.0:1)", "2026-11-28T08:43:52.000000000Z", LINETIME_START },
		{ "hello type=SYSCALL msg=audit(1700000000.123:42): x", "none", LINETIME_NONE },
		{ "type=SYSCALL msg=audit(1700000000:42): x", "none", LINETIME_NONE },
		{ "type=SYSCALL msg=audit(1700000000.123:42 x", "none", LINETIME_NONE },
		{ "type=SYSCALL msg=audit(1700000000.123:x): x", "none", LINETIME_NONE },
		{ "type=SYSCALL msg=audit(99999999999.123:42): x", "none", LINETIME_NONE },
		{ "type=SYSCALL msg=audit(1700000000.123:99999999999): x", "none", LINETIME_NONE },
		{ "type= msg=audit(1700000000.123:42): x", "none", LINETIME_NONE },
		{ "node=type=SYSCALL msg=audit(1700000000.123:42): x", "none", LINETIME_NONE },
		{ "type=SYSCALL msg=audit(", "none", LINETIME_NONE },
		{ "node=", "none", LINETIME_NONE },
		{ "type=", "none", LINETIME_NONE },
	};
	check(s, sizeof s / sizeof s[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_start_layouts),
		cmocka_unit_test(test_json_members),
		cmocka_unit_test(test_access_log_bracket),
		cmocka_unit_test(test_look_alikes),
		cmocka_unit_test(test_auditd_stamp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
