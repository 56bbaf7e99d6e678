/* Unit tests: timestamps and durations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "wtime.h"

#define S(x) x, strlen(x)
/* 2026-11-28T12:00:00Z */
static const int64_t NOW = 1795867200LL * NS_PER_SEC;

static void test_rfc3339_forms(void **state)
{
	(void)state;
	int64_t ns;
	assert_int_equal(time_parse_rfc3339(S("1970-01-01T00:00:00Z"), &ns), 0);
	assert_true(ns == 0);
	assert_int_equal(time_parse_rfc3339(S("2026-11-28T12:00:00Z"), &ns), 0);
	assert_true(ns == NOW);
	assert_int_equal(time_parse_rfc3339(S("2026-11-28T13:30:00.000000001+01:30"), &ns), 0);
	assert_true(ns == NOW + 1);
	assert_int_equal(time_parse_rfc3339(S("2026-11-28 12:00:00.5z"), &ns), 0);
	assert_true(ns == NOW + NS_PER_SEC / 2);
	assert_int_equal(time_parse_rfc3339(S("2024-02-29T00:00:00Z"), &ns), 0);
	assert_int_equal(time_parse_rfc3339(S("1969-12-31T23:59:59.999999999Z"), &ns), 0);
	assert_true(ns == -1);
}

static void test_rfc3339_rejects(void **state)
{
	(void)state;
	int64_t ns;
	static const char *const bad[] = {
		"", "2026-11-28", "2026-11-28T12:00:00", "2026-13-01T00:00:00Z", "2025-02-29T00:00:00Z",
		"2026-11-28T24:00:00Z", "2026-11-28T12:00:00Zjunk", "2026-11-28T12:00:00.Z",
		"2026-11-28T12:00:00+25:00", "20261128T120000Z",
		"9999-12-31T23:59:59Z", "1600-01-01T00:00:00Z",	/* beyond int64 nanoseconds */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (time_parse_rfc3339(bad[i], strlen(bad[i]), &ns) == 0)
			fail_msg("accepted %s", bad[i]);
}

static void test_format_roundtrip(void **state)
{
	(void)state;
	char out[WARD_RFC3339_LEN];
	int64_t samples[] = { 0, 1, NOW, NOW + 123456789, -1, 4102444799LL * NS_PER_SEC };
	for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
		int64_t back;
		time_format_rfc3339(samples[i], out);
		assert_int_equal(strlen(out), 30);
		assert_int_equal(time_parse_rfc3339(out, strlen(out), &back), 0);
		assert_true(back == samples[i]);
	}
	time_format_rfc3339(NOW + 5, out);
	assert_string_equal(out, "2026-11-28T12:00:00.000000005Z");
}

static void test_syslog_year_inference(void **state)
{
	(void)state;
	int64_t ns;
	size_t used;
	char out[WARD_RFC3339_LEN];
	assert_int_equal(time_parse_syslog(S("Nov 28 08:43:52 host sshd[1]: x"), NOW, &ns, &used), 0);
	assert_int_equal(used, 15);
	time_format_rfc3339(ns, out);
	assert_string_equal(out, "2026-11-28T08:43:52.000000000Z");
	/* December read at the end of November: last year's. */
	assert_int_equal(time_parse_syslog(S("Dec 25 10:00:00 h p: m"), NOW, &ns, &used), 0);
	time_format_rfc3339(ns, out);
	assert_string_equal(out, "2025-12-25T10:00:00.000000000Z");
	/* space-padded day and milliseconds */
	assert_int_equal(time_parse_syslog(S("Nov  1 00:00:01.250 h"), NOW, &ns, &used), 0);
	time_format_rfc3339(ns, out);
	assert_string_equal(out, "2026-11-01T00:00:01.250000000Z");
	/* Feb 29 belongs to the last leap year */
	assert_int_equal(time_parse_syslog(S("Feb 29 00:00:00 h"), NOW, &ns, &used), 0);
	time_format_rfc3339(ns, out);
	assert_string_equal(out, "2024-02-29T00:00:00.000000000Z");
	/* A sender up to a day ahead of our clock (time zones, skew) is this
	 * year, not last year; more than a day ahead is last year. */
	assert_int_equal(time_parse_syslog(S("Nov 28 20:00:00 h"), NOW, &ns, &used), 0);
	time_format_rfc3339(ns, out);
	assert_string_equal(out, "2026-11-28T20:00:00.000000000Z");
	assert_int_equal(time_parse_syslog(S("Nov 29 12:00:00 h"), NOW, &ns, &used), 0);
	time_format_rfc3339(ns, out);
	assert_string_equal(out, "2026-11-29T12:00:00.000000000Z");
	assert_int_equal(time_parse_syslog(S("Nov 29 12:00:01 h"), NOW, &ns, &used), 0);
	time_format_rfc3339(ns, out);
	assert_string_equal(out, "2025-11-29T12:00:01.000000000Z");
	/* across New Year: a sender already in January while we are on Dec 31 */
	const int64_t NYE = NOW + 33LL * 86400 * 1000000000LL + 10LL * 3600 * 1000000000LL; /* 2026-12-31T22:00Z */
	assert_int_equal(time_parse_syslog(S("Jan  1 02:00:00 h"), NYE, &ns, &used), 0);
	time_format_rfc3339(ns, out);
	assert_string_equal(out, "2027-01-01T02:00:00.000000000Z");
	assert_int_equal(time_parse_syslog(S("Dec 31 21:00:00 h"), NYE, &ns, &used), 0);
	time_format_rfc3339(ns, out);
	assert_string_equal(out, "2026-12-31T21:00:00.000000000Z");
	assert_int_equal(time_parse_syslog(S("Jan  2 23:00:00 h"), NYE, &ns, &used), 0);
	time_format_rfc3339(ns, out);
	assert_string_equal(out, "2026-01-02T23:00:00.000000000Z");
	assert_int_equal(time_parse_syslog(S("Foo 28 08:43:52 host"), NOW, &ns, &used), -1);
	assert_int_equal(time_parse_syslog(S("Nov 28 8:43:52 host x"), NOW, &ns, &used), -1);
	assert_int_equal(time_parse_syslog(S("Nov 31 08:43:52 host x"), NOW, &ns, &used), -1);
}

static void test_epoch_units(void **state)
{
	(void)state;
	int64_t ns;
	assert_int_equal(time_parse_epoch(S("1795867200"), &ns), 0);
	assert_true(ns == NOW);
	assert_int_equal(time_parse_epoch(S("1795867200123"), &ns), 0);
	assert_true(ns == NOW + 123000000);
	assert_int_equal(time_parse_epoch(S("1795867200123456"), &ns), 0);
	assert_true(ns == NOW + 123456000);
	assert_int_equal(time_parse_epoch(S("1795867200123456789"), &ns), 0);
	assert_true(ns == NOW + 123456789);
	assert_int_equal(time_parse_epoch(S("1795867200.25"), &ns), 0);
	assert_true(ns == NOW + 250000000);
	assert_int_equal(time_parse_epoch(S("17958x"), &ns), -1);
	assert_int_equal(time_parse_epoch(S("99999999999999999999999"), &ns), -1);
	/* found by fuzz_time_ip: milliseconds that overflow nanoseconds */
	assert_int_equal(time_parse_epoch(S("20000000000004"), &ns), -1);
}

static void test_prefix_detection(void **state)
{
	(void)state;
	int64_t ns;
	size_t used;
	assert_int_equal(time_parse_prefix(S("2026-11-28T12:00:00Z msg"), NOW, &ns, &used), 0);
	assert_int_equal(used, 20);
	assert_int_equal(time_parse_prefix(S("Nov 28 12:00:00 h"), NOW, &ns, &used), 0);
	assert_int_equal(time_parse_prefix(S("1795867200 msg"), NOW, &ns, &used), 0);
	assert_true(ns == NOW);
	assert_int_equal(time_parse_prefix(S("GET /index 200"), NOW, &ns, &used), -1);
	assert_int_equal(time_parse_prefix(S("42 is not a time"), NOW, &ns, &used), -1);
}

/* Each layout of time_parse_prefix with the bytes it takes. */
static void test_prefix_layouts(void **state)
{
	(void)state;
	static const struct { const char *s; const char *want; size_t used; } ok[] = {
		{ "2022-07-12T06:22:33.415742+0000 x", "2022-07-12T06:22:33.415742000Z", 31 },
		{ "2022-07-12T08:22:33+02:00 x", "2022-07-12T06:22:33.000000000Z", 25 },
		{ "2020-04-16T05:13:40.861934Z 8", "2020-04-16T05:13:40.861934000Z", 27 },
		{ "2021-05-28 18:08:34,399 host", "2021-05-28T18:08:34.399000000Z", 23 },
		{ "2023-03-12 11:17:28.425 UTC [1]", "2023-03-12T11:17:28.425000000Z", 27 },
		{ "2023-03-12 11:17:28 GMT", "2023-03-12T11:17:28.000000000Z", 23 },
		{ "2023-03-12 11:17:28 UTCx", "2023-03-12T11:17:28.000000000Z", 19 },
		/* the zone word ends at a non-letter; a letter (a to z, any case) continues a word */
		{ "2023-03-12 11:17:28 UTCa", "2023-03-12T11:17:28.000000000Z", 19 },
		{ "2023-03-12 11:17:28 UTCZ", "2023-03-12T11:17:28.000000000Z", 19 },
		{ "2023-03-12 11:17:28 GMTA x", "2023-03-12T11:17:28.000000000Z", 19 },
		{ "2023-03-12 11:17:28 UTC@", "2023-03-12T11:17:28.000000000Z", 23 },
		{ "2023-03-12 11:17:28 UTC[1]", "2023-03-12T11:17:28.000000000Z", 23 },
		{ "2023-03-12 11:17:28 UTC`", "2023-03-12T11:17:28.000000000Z", 23 },
		{ "2023-03-12 11:17:28 UTC{", "2023-03-12T11:17:28.000000000Z", 23 },
		/* zone offsets up to 23:59 */
		{ "2022-07-12T08:22:33+23:59 x", "2022-07-11T08:23:33.000000000Z", 25 },
		{ "2022-07-12T08:22:33-00:59 x", "2022-07-12T09:21:33.000000000Z", 25 },
		{ "2021/09/30 09:23:53 [error]", "2021-09-30T09:23:53.000000000Z", 19 },
		{ "[Thu Sep 30 13:27:06.009964 2021] [x]", "2021-09-30T13:27:06.009964000Z", 33 },
		{ "[Sat Oct  2 01:02:03 2021] x", "2021-10-02T01:02:03.000000000Z", 26 },
		{ "[10/Oct/2000:13:55:36 -0700] x", "2000-10-10T20:55:36.000000000Z", 28 },
		/* asctime bare: vsftpd's log, xferlog (space-padded day), logread */
		{ "Sun Oct 21 08:57:59 2012 [pid 2] [ftp] FAIL LOGIN", "2012-10-21T08:57:59.000000000Z", 24 },
		{ "Mon Oct  1 17:09:23 2001 1 127.0.0.1 0 /f b _ i r u ftp 0 * c", "2001-10-01T17:09:23.000000000Z", 24 },
		{ "Thu Jan  1 00:00:00 2015 daemon.info x", "2015-01-01T00:00:00.000000000Z", 24 },
		{ "Nov 28 08:43:52 h", "2026-11-28T08:43:52.000000000Z", 15 },
		{ "Nov  2 08:43:52 h", "2026-11-02T08:43:52.000000000Z", 15 },
		{ "Nov 2 08:43:52 h", "2026-11-02T08:43:52.000000000Z", 14 },
		{ "Nov 2 08:43:52", "2026-11-02T08:43:52.000000000Z", 14 },
		{ "07/11/2022-10:29:01.860293  [**] [1:2200074:2]", "2022-07-11T10:29:01.860293000Z", 26 },
		{ "07/31/2022-10:29:01 x", "2022-07-31T10:29:01.000000000Z", 19 },
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		int64_t ns;
		size_t used = 0;
		char out[WARD_RFC3339_LEN];
		if (time_parse_prefix(ok[i].s, strlen(ok[i].s), NOW, &ns, &used) != 0)
			fail_msg("refused %s", ok[i].s);
		time_format_rfc3339(ns, out);
		if (strcmp(out, ok[i].want) != 0 || used != ok[i].used)
			fail_msg("%s: %s (%zu bytes), want %s (%zu)", ok[i].s, out, used, ok[i].want, ok[i].used);
	}
	static const char *const bad[] = {
		"2021/09-30 09:23:53", "2021-09/30 09:23:53", "2021-09-30 09:23:53:01", "2021-09-30 09:23:531",
		"2021-09-30 09:23:53.", "2021-09-30 09:23:53+2", "[Thu Sep 30 13:27:06.009964 2021",
		"[Thu Sep 30 13:27:06. 2021]", "[Xyz Sep 30 13:27:06 2021]", "[Thu Sep 30 13:27:06 21]",
		"[10/Oct/2000:13:55:36]", "[10/Oct/2000:13:55:36 -07]", "[10/Oct/2000:13:55:36 -0700",
		"[10/Okt/2000:13:55:36 -0700]", "[1/Oct/2000:13:55:36 -0700]", "[32/Oct/2000:13:55:36 -0700]",
		"[", "2", "N", "Nov 28", "Nov 2 8:43:52", "Nov 123 08:43:52", "Nov   2 08:43:52",
		"13/11/2022-10:29:01", "07/11/22-10:29:01", "07/11/2022 10:29:01", "07/11/2022-10:29:01.",
		"07-11-2022-10:29:01",
		"Sun Oct 21 08:57:59 12", "Sun Okt 21 08:57:59 2012", "Xyz Oct 21 08:57:59 2012",
		"Sun Oct 21 08:57 2012", "Sun Oct 32 08:57:59 2012", "Thu Jan 1 00:00:00 2015",
		"2022-07-12T08:22:33+01:60", "2022-07-12T08:22:33+24:00", "2022-07-12T08:22:33+0160",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t ns;
		size_t used;
		if (time_parse_prefix(bad[i], strlen(bad[i]), NOW, &ns, &used) == 0)
			fail_msg("accepted %s", bad[i]);
	}
}

/* A whole text in any layout: --regex ts groups and JSON members. */
static void test_text(void **state)
{
	(void)state;
	int64_t ns;
	const int64_t t = 1633000000LL * NS_PER_SEC;	/* 2021-09-30T11:06:40Z */
	static const char *const same[] = {
		"2021-09-30T11:06:40Z", "2021-09-30 11:06:40", " 2021-09-30T13:06:40+02:00 ",
		"2021/09/30 11:06:40", "30/Sep/2021:11:06:40 +0000", "[30/Sep/2021:12:06:40 +0100]",
		"1633000000", "1633000000000", "1633000000.0", "[Thu Sep 30 11:06:40 2021]",
		"2021-09-30 11:06:40 UTC",
	};
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
		ns = 0;
		if (time_parse_text(same[i], strlen(same[i]), NOW, &ns) != 0 || ns != t)
			fail_msg("%s: not 2021-09-30T11:06:40Z", same[i]);
	}
	static const char *const bad[] = {
		"", "soon", "2021-09-30T11:06:40Z and more", "30/Sep/2021:11:06:40", "Sep 30",
		"2021-09-30", "1633000000x",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (time_parse_text(bad[i], strlen(bad[i]), NOW, &ns) == 0)
			fail_msg("accepted %s", bad[i]);
}

static void test_durations(void **state)
{
	(void)state;
	static const struct { const char *s; int64_t ns; } ok[] = {
		{ "10s", 10 * NS_PER_SEC }, { "5m", 300 * NS_PER_SEC }, { "1h30m", 5400 * NS_PER_SEC },
		{ "250ms", 250000000 }, { "1.5h", 5400 * NS_PER_SEC }, { "2d", 172800 * NS_PER_SEC },
		{ "1w", 604800 * NS_PER_SEC }, { "1y", 31536000 * NS_PER_SEC }, { "0s", 0 }, { "0", 0 },
		{ "3us", 3000 }, { "3\xC2\xB5s", 3000 }, { "7ns", 7 }, { "1m30s500ms", 90500000000LL },
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		int64_t ns = -1;
		if (duration_parse(ok[i].s, strlen(ok[i].s), &ns) != 0 || ns != ok[i].ns)
			fail_msg("%s -> %lld", ok[i].s, (long long)ns);
	}
	static const char *const bad[] = { "", "s", "10", "-5s", "10x", "1h 30m", "5mm", "99999999999y" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t ns;
		if (duration_parse(bad[i], strlen(bad[i]), &ns) == 0)
			fail_msg("accepted %s", bad[i]);
	}
}

static void test_duration_format_human(void **state)
{
	(void)state;
	static const struct { int64_t ns; const char *want; } cases[] = {
		{ 297007060479LL, "4m57s" },		/* --list printed 4m57s7ms60us479ns */
		{ 297600000000LL, "4m58s" },		/* rounded, not truncated */
		{ 3600 * NS_PER_SEC + 1, "1h" },
		{ 86400 * NS_PER_SEC + 7200 * NS_PER_SEC + 400000000, "1d2h" },
		{ 250400000, "250ms" }, { 1, "1ms" }, { 999600000, "1s" },
		{ 0, "0s" }, { -5, "0s" },
	};
	char out[64];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		duration_format_human(cases[i].ns, out, sizeof out);
		assert_string_equal(out, cases[i].want);
	}
}

static void test_duration_format(void **state)
{
	(void)state;
	char out[32];
	duration_format(10 * NS_PER_SEC, out, sizeof out);
	assert_string_equal(out, "10s");
	duration_format(5400 * NS_PER_SEC, out, sizeof out);
	assert_string_equal(out, "1h30m");
	duration_format(250000000, out, sizeof out);
	assert_string_equal(out, "250ms");
	duration_format(0, out, sizeof out);
	assert_string_equal(out, "0s");
	duration_format(86400 * NS_PER_SEC + 1, out, sizeof out);
	assert_string_equal(out, "1d1ns");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc3339_forms),
		cmocka_unit_test(test_rfc3339_rejects),
		cmocka_unit_test(test_format_roundtrip),
		cmocka_unit_test(test_syslog_year_inference),
		cmocka_unit_test(test_epoch_units),
		cmocka_unit_test(test_prefix_detection),
		cmocka_unit_test(test_prefix_layouts),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_duration_format),
		cmocka_unit_test(test_duration_format_human),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
