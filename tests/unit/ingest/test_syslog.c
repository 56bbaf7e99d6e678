/* Unit tests: syslog parsing (RFC 5424, RFC 3164, variants) and framing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "event.h"
#include "stages/ingest/syslog.h"
#include "wtime.h"

static const int64_t NOW = 1795867200LL * NS_PER_SEC;	/* 2026-11-28T12:00:00Z */

static void assert_str(struct syslog_str s, const char *want)
{
	assert_int_equal(s.n, strlen(want));
	assert_memory_equal(s.p, want, s.n);
}

static void parse(const char *s, struct syslog_msg *m)
{
	syslog_parse(s, strlen(s), NOW, m);
}

static void test_5424(void **state)
{
	(void)state;
	struct syslog_msg m;
	parse("<34>1 2026-11-28T08:43:52.123Z web1 su 77 ID47 [a@1 x=\"1\\]\"][b@2] \xEF\xBB\xBFmsg here\n", &m);
	assert_int_equal(m.version, 1);
	assert_int_equal(m.facility, 4);
	assert_int_equal(m.severity, 2);
	assert_true(m.ts_ns == 1795855432123000000LL);
	assert_str(m.host, "web1");
	assert_str(m.app, "su");
	assert_str(m.procid, "77");
	assert_str(m.msgid, "ID47");
	assert_str(m.sd, "[a@1 x=\"1\\]\"][b@2]");
	assert_str(m.msg, "msg here");
	parse("<13>1 - - - - - -", &m);
	assert_int_equal(m.version, 1);
	assert_true(m.ts_ns == WARD_TS_NONE);
	assert_int_equal(m.host.n, 0);
	assert_int_equal(m.msg.n, 0);
	assert_string_equal(syslog_severity_name(5), "notice");
	assert_null(syslog_severity_name(-1));
}

static void test_3164(void **state)
{
	(void)state;
	struct syslog_msg m;
	parse("<38>Nov 28 08:43:52 web1 sshd[812]: Failed password", &m);
	assert_int_equal(m.version, 0);
	assert_int_equal(m.severity, 6);
	assert_true(m.ts_ns == 1795855432LL * NS_PER_SEC);
	assert_str(m.host, "web1");
	assert_str(m.app, "sshd");
	assert_str(m.procid, "812");
	assert_str(m.msg, "Failed password");
	/* no host: the tag follows the time */
	parse("<13>Nov  8 01:02:03 cron: job done", &m);
	assert_int_equal(m.host.n, 0);
	assert_str(m.app, "cron");
	assert_str(m.msg, "job done");
	/* RFC 3339 time in a BSD message (rsyslog high precision) */
	parse("<13>2026-11-28T08:43:52.5Z host app: x", &m);
	assert_true(m.ts_ns == 1795855432500000000LL);
	assert_str(m.host, "host");
	/* nothing recognizable: all of it is the message */
	parse("just text: with a colon", &m);
	assert_int_equal(m.facility, -1);
	assert_true(m.ts_ns == WARD_TS_NONE);
	assert_str(m.app, "just text"[0] ? "" : "");
	assert_str(m.msg, "just text: with a colon");
	parse("<999>bad pri", &m);
	assert_int_equal(m.facility, -1);
	assert_str(m.msg, "<999>bad pri");
}

static void test_framing(void **state)
{
	(void)state;
	struct syslog_framer f;
	syslog_framer_init(&f, 16);
	const char *msg;
	size_t len;
	bool trunc;
	syslog_framer_feed(&f, "5 hello11 hello", 15);
	assert_int_equal(syslog_framer_next(&f, &msg, &len, &trunc), 1);
	assert_int_equal(len, 5);
	assert_memory_equal(msg, "hello", 5);
	assert_int_equal(syslog_framer_next(&f, &msg, &len, &trunc), 0);	/* 11 needs more */
	syslog_framer_feed(&f, " world\n<13>line one\n<13>par", 27);
	assert_int_equal(syslog_framer_next(&f, &msg, &len, &trunc), 1);
	assert_memory_equal(msg, "hello world", 11);
	assert_int_equal(syslog_framer_next(&f, &msg, &len, &trunc), 1);
	assert_memory_equal(msg, "<13>line one", 12);
	assert_int_equal(syslog_framer_next(&f, &msg, &len, &trunc), 0);
	assert_int_equal(syslog_framer_rest(&f, &msg, &len), 1);
	assert_memory_equal(msg, "<13>par", 7);
	/* oversized octet-counted frame: cut at max, the rest dropped */
	syslog_framer_feed(&f, "20 abcdefghijklmnopqrst3 xyz", 28);
	assert_int_equal(syslog_framer_next(&f, &msg, &len, &trunc), 1);
	assert_true(trunc);
	assert_int_equal(len, 16);
	assert_int_equal(syslog_framer_next(&f, &msg, &len, &trunc), 1);
	assert_false(trunc);
	assert_memory_equal(msg, "xyz", 3);
	syslog_framer_free(&f);
}

/* The event line: "program[pid]: message" for both RFCs, so rules written
 * for files written by syslog daemons match what the receiver gets. */
static void test_line(void **state)
{
	(void)state;
	static const struct { const char *in, *line; } cases[] = {
		{ "<38>1 2022-01-19T14:23:55+00:00 host sshd 4242 - - Failed password for root",
		  "sshd[4242]: Failed password for root" },
		{ "<38>1 2022-01-19T14:23:55+00:00 host sshd - - - Failed password", "sshd: Failed password" },
		{ "<38>1 2022-01-19T14:23:55+00:00 host - - - - no app", "no app" },
		{ "<38>1 - - cron 7 ID1 [a b=\"c\"] \xEF\xBB\xBFwith sd", "cron[7]: with sd" },
		{ "<38>Nov 28 08:43:52 web1 sshd[812]: Invalid user x", "sshd[812]: Invalid user x" },
		{ "<38>Nov 28 08:43:52 web1 sshd[812]:no space", "sshd[812]: no space" },
		{ "<13>Nov 28 08:43:52 web1 kernel: x", "kernel: x" },
		{ "<13>Nov 28 08:43:52 web1 no tag here", "no tag here" },
		{ "just text", "just text" },
		{ "", "" },
	};
	struct ward_buf b = WARD_BUF_INIT;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct syslog_msg m;
		parse(cases[i].in, &m);
		syslog_line(&m, &b);
		if (b.len != strlen(cases[i].line) || memcmp(b.data, cases[i].line, b.len) != 0)
			fail_msg("%s: line %.*s, want %s", cases[i].in, (int)b.len, b.data ? b.data : "",
				 cases[i].line);
	}
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_5424),
		cmocka_unit_test(test_3164),
		cmocka_unit_test(test_framing),
		cmocka_unit_test(test_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
