/* Unit tests: fail2ban filters (f2b_conf, f2b_regex, f2b_date, f2b_filter). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "event.h"
#include "stages/match/f2b_conf.h"
#include "stages/match/f2b_date.h"
#include "stages/match/f2b_filter.h"
#include "stages/match/f2b_regex.h"
#include "stages/match/f2b_time.h"

#define NS 1000000000LL
/* 2026-11-28T12:00:00Z: the time that supplies a missing year */
static const int64_t REF = 1795867200LL * NS;

static int load(const char *text, const char *opts, struct f2b_def *d, char *err, size_t errlen)
{
	return f2b_def_load_mem("t", text, strlen(text), opts, d, err, errlen);
}

/* ---- ConfigParser ----------------------------------------------------------- */

static void test_conf_interpolation_and_continuation(void **state)
{
	(void)state;
	struct f2b_def d;
	char err[512];
	const char *t = "[DEFAULT]\n_d = sshd\n"
			"[Definition]\n"
			"Pre = ^%(_d)s: ; an inline comment\n"
			"failregex = %(pre)sbad <HOST>\n"
			"    # a comment line inside the value\n"
			"            %(pre)s100%% worse <HOST>\n"
			"\n"
			"ignoreregex =\n";
	assert_int_equal(load(t, NULL, &d, err, sizeof(err)), 0);
	assert_int_equal(d.nfail, 2);
	assert_string_equal(d.fail[0].re, "^sshd:bad <HOST>");
	assert_string_equal(d.fail[1].re, "^sshd:100% worse <HOST>");
	assert_int_equal(d.fail[0].line, 5);
	assert_int_equal(d.nignore, 0);
	assert_int_equal(d.maxlines, 1);
	f2b_def_free(&d);
}

static void test_conf_tags_options_init(void **state)
{
	(void)state;
	struct f2b_def d;
	char err[512];
	const char *t = "[Definition]\n"
			"failregex = <re-<mode>> from <HOST>\n"
			"re-normal = ^normal\n"
			"re-aggressive = ^aggressive\n"
			"datepattern = <lt_x/datepattern>\n"
			"[lt_x]\n"
			"datepattern = {^LN-BEG}\n"
			"[Init]\n"
			"mode = normal\n"
			"maxlines = 3\n";
	assert_int_equal(load(t, NULL, &d, err, sizeof(err)), 0);
	assert_string_equal(d.fail[0].re, "^normal from <HOST>");
	assert_string_equal(d.datepattern, "{^LN-BEG}");
	assert_int_equal(d.maxlines, 3);
	f2b_def_free(&d);
	/* a filter option overrides [Init] */
	assert_int_equal(load(t, "mode=aggressive, maxlines=\"2\"", &d, err, sizeof(err)), 0);
	assert_string_equal(d.fail[0].re, "^aggressive from <HOST>");
	assert_int_equal(d.maxlines, 2);
	f2b_def_free(&d);
}

static void test_conf_errors(void **state)
{
	(void)state;
	struct f2b_def d;
	char err[512];
	assert_int_equal(load("[Definition]\nfailregex = %(nope)s <HOST>\n", NULL, &d, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "t:2:"));
	assert_non_null(strstr(err, "nope"));
	assert_int_equal(load("[Definition]\nfailregex = 5% <HOST>\n", NULL, &d, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "'%' must be followed"));
	assert_int_equal(load("failregex = x\n", NULL, &d, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "before any [section]"));
	assert_int_equal(load("[Definition]\nfailregex = <failregex>\n", NULL, &d, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "itself"));
	assert_int_equal(load("[Definition]\na = %(b)s\nb = %(a)s\nfailregex = %(a)s\n", NULL, &d, err,
			      sizeof(err)), -1);
	assert_non_null(strstr(err, "deeper"));
	char *p, *o;
	assert_int_equal(f2b_spec_split("x/sshd.conf[mode=ddos]", &p, &o), 0);
	assert_string_equal(p, "x/sshd.conf");
	assert_string_equal(o, "mode=ddos");
	free(p);
	free(o);
	assert_int_equal(f2b_spec_split("x/sshd.conf[mode=ddos", &p, &o), -1);
}

/* ---- tags and Python -> PCRE2 -------------------------------------------------- */

static char *xlate(const char *re, int *rc, char *why, size_t whylen)
{
	struct ward_buf e = WARD_BUF_INIT, out = WARD_BUF_INIT;
	f2b_expand_tags(re, true, &e);
	*rc = f2b_py2pcre(buf_cstr(&e), &out, why, whylen);
	buf_free(&e);
	char *s = ward_xstrdup(out.data ? buf_cstr(&out) : "");
	buf_free(&out);
	return s;
}

static void test_regex_tags(void **state)
{
	(void)state;
	struct ward_buf b = WARD_BUF_INIT;
	f2b_expand_tags("<F-USER>\\S+</F-USER> <F-ID>x</F-ID> </F-NOPE> <HOST> <other>", true, &b);
	const char *s = buf_cstr(&b);
	assert_non_null(strstr(s, "(?P<user>\\S+) (?P<fid>x) </F-NOPE> "));
	assert_non_null(strstr(s, "(?P<ip4>"));
	assert_non_null(strstr(s, "(?P<dns>"));
	assert_non_null(strstr(s, " <other>"));
	buf_reset(&b);
	f2b_expand_tags("<HOST>", false, &b);	/* usedns = no: addresses only */
	assert_null(strstr(buf_cstr(&b), "(?P<dns>"));
	buf_reset(&b);
	f2b_expand_tags("a((?i)b)c", true, &b);
	assert_string_equal(buf_cstr(&b), "a(?i:b)c");
	buf_free(&b);
}

static void test_regex_translation(void **state)
{
	(void)state;
	char why[200];
	int rc;
	char *s = xlate("^(?P<a>x)(?P=a)\\Z{,3}[[:alpha:]]\\v\\u00e9$", &rc, why, sizeof(why));
	assert_int_equal(rc, 0);
	assert_string_equal(s, "^(?P<a>x)(?P=a)\\z{0,3}[\\[:alpha:]]\\x0b\\x{00e9}$");
	free(s);
	s = xlate("(?iu)^x(?i:y)", &rc, why, sizeof(why));
	assert_int_equal(rc, 0);
	assert_string_equal(s, "(?i)^x(?i:y)");
	free(s);
	static const char *const refused[] = { "(?P>n)", "a\\hb", "(?a)x", "x(?i)y", "(?|a)", "(*UTF)x",
					       "(?<n>x)", "\\N{DASH}", "[abc", "x\\" };
	for (size_t i = 0; i < sizeof(refused) / sizeof(*refused); i++) {
		s = xlate(refused[i], &rc, why, sizeof(why));
		if (rc != -1)
			fail_msg("not refused: %s -> %s", refused[i], s);
		free(s);
	}
}


static void test_required_literal(void **state)
{
	(void)state;
	static const struct { const char *re, *want; } cases[] = {
		{ "^(?:\\[\\])?\\s*(?:\\S+\\s+)?sshd: Failed password for (?P<user>\\S+) from x$", "sshd: Failed password for " },
		{ "^abcd?efgh", "efgh" },		/* d is optional */
		{ "^abc*defg", "defg" },
		{ "ab+cdef", "cdef" },			/* b repeats: the run ends after it */
		{ "x{0,3}yzw", "yzw" },
		{ "\\x41\\x{263a}ab\\012defg", "defg" },	/* escapes are not literals */
		{ "a\\.b\\[c", "a.b[c" },
		{ "foo|barbaz", "" },			/* top-level alternative */
		{ "(?i)abcdef", "" },			/* case-insensitive */
		{ "(?P<x>abcdef)gh", "" },		/* only top-level text, and 2 chars are too few */
		{ "[abc]def[g]hi", "def" },
		{ "(abc)?defg(x)+hij", "defg" },
		/* longer than out: its first 63 bytes (stunnel's 75-byte run) */
		{ "^x\\d:SSL routines:SSL3_GET_CLIENT_CERTIFICATE:peer did not return a certificate$",
		  ":SSL routines:SSL3_GET_CLIENT_CERTIFICATE:peer did not return a" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char out[64];
		f2b_required_literal(cases[i].re, out, sizeof(out));
		if (strcmp(out, cases[i].want) != 0)
			fail_msg("%s: got \"%s\", want \"%s\"", cases[i].re, out, cases[i].want);
	}
}

/* ---- dates ------------------------------------------------------------------ */

static void date_case(const char *pattern, const char *line, const char *cut, int64_t want)
{
	char err[200];
	struct f2b_date *d = f2b_date_new(pattern, err, sizeof(err));
	if (!d)
		fail_msg("%s: %s", pattern ? pattern : "(defaults)", err);
	size_t s, e;
	int64_t ns;
	if (!f2b_date_find(d, line, strlen(line), REF, &s, &e, &ns))
		fail_msg("no date in %s", line);
	char got[200];
	snprintf(got, sizeof(got), "%.*s", (int)(e - s), line + s);
	assert_string_equal(got, cut);
	if (ns != want)
		fail_msg("%s: time %lld, want %lld", line, (long long)ns, (long long)want);
	f2b_date_free(d);
}

static void test_dates(void **state)
{
	(void)state;
	/* syslog without a year: the year of REF; 2026-11-28T08:43:52Z */
	date_case(NULL, "Nov 28 08:43:52 web1 sshd[1]: x", "Nov 28 08:43:52", 1795855432LL * NS);
	/* a syslog date ahead of REF is last year's */
	date_case(NULL, "Dec 24 08:00:00 web1 x", "Dec 24 08:00:00", 1766563200LL * NS);
	/* ISO 8601 with an offset and a fraction */
	date_case(NULL, "2026-11-28T09:43:52.250+01:00 web1 x", "2026-11-28T09:43:52.250+01:00",
		  1795855432LL * NS + 250000000);
	/* Apache access log */
	date_case(NULL, "192.0.2.1 - - [28/Nov/2026:09:43:52 +0100] \"GET / HTTP/1.1\"",
		  "28/Nov/2026:09:43:52 +0100", 1795855432LL * NS);
	/* epoch */
	date_case(NULL, "1795855432.500 x", "1795855432.500", 1795855432LL * NS + 500000000);
	/* a zone abbreviation (fail2ban's table): PDT = -07:00 */
	date_case(NULL, "[PDT Nov 28 01:43:52] error", "PDT Nov 28 01:43:52", 1795855432LL * NS);
	/* a custom pattern */
	date_case("^%Y%m%d %H%M%S", "20261128 084352 x", "20261128 084352", 1795855432LL * NS);
	/* an anchored template that starts with a letter, caseless (%b):
	 * its first byte in the other case is not skipped */
	date_case("^D (%b %d %H:%M:%S)", "d Nov 28 08:43:52 x", "Nov 28 08:43:52", 1795855432LL * NS);
	/* a time of day ahead of REF is yesterday's */
	date_case("^%H:%M:%S", "13:00:00 x", "13:00:00", REF + 3600 * NS - 86400 * NS);
	char err[200];
	assert_null(f2b_date_new("%c", err, sizeof(err)));
	assert_non_null(strstr(err, "%c"));
}

/* A time is read from the match data of the template that found the
 * date, unless that template has matched another line since: two
 * detectors share their templates' results; the second takes the first's
 * result for line a, the first then searches line b, and the second's time
 * of a must still be a's. */
static void test_date_time_after_shared_match(void **state)
{
	(void)state;
	char err[200];
	struct f2b_date *d1 = f2b_date_new(NULL, err, sizeof(err)), *d2 = f2b_date_new(NULL, err, sizeof(err));
	assert_non_null(d1);
	assert_non_null(d2);
	struct f2b_date *both[] = { d1, d2 };
	struct f2b_date_share *sh = f2b_date_share_new(both, 2);
	const char *a = "Nov 28 08:43:52 web1 x", *b = "Mon Dec 24 01:02:03 web1 y";
	size_t s, e;
	int64_t ns;
	assert_true(f2b_date_span(d1, a, strlen(a), REF, &s, &e));
	assert_true(f2b_date_span(d2, a, strlen(a), REF, &s, &e));	/* d1's result */
	assert_true(f2b_date_span(d1, b, strlen(b), REF, &s, &e));
	assert_true(f2b_date_find(d2, a, strlen(a), REF, &s, &e, &ns));
	assert_true(ns == 1795855432LL * NS);
	f2b_date_share_free(sh);
	f2b_date_free(d1);
	f2b_date_free(d2);
}

/* f2b_time_of's calendar arithmetic is timegm's and gmtime_r's: every day
 * of 1969-2101 (a missing year from the reference), days past a month's
 * end (Feb 31) and hours past 23 (%k) counted on as timegm does. */
static void test_time_as_timegm(void **state)
{
	(void)state;
	for (int64_t day = -400; day < 48000; day += 3) {
		time_t ref = (time_t)(day * 86400 + 43210);
		struct tm rt;
		gmtime_r(&ref, &rt);
		char mon[8], mday[8], hour[8];
		int k = (int)(day + 400), mo = k % 12, dd = 1 + k % 31, hh = k % 30;
		snprintf(mon, sizeof(mon), "%02d", mo + 1);
		snprintf(mday, sizeof(mday), "%02d", dd);
		snprintf(hour, sizeof(hour), "%02d", hh);
		struct f2b_tfields f = { 0 };
		f.v[F2B_TF_m] = mon, f.n[F2B_TF_m] = 2;
		f.v[F2B_TF_d] = mday, f.n[F2B_TF_d] = 2;
		f.v[F2B_TF_H] = hour, f.n[F2B_TF_H] = 2;
		struct tm want = { .tm_year = rt.tm_year, .tm_mon = mo, .tm_mday = dd, .tm_hour = hh };
		int64_t secs = (int64_t)timegm(&want);
		if (secs > (int64_t)ref + 86400) {	/* ahead of the reference: last year's */
			want.tm_year--;
			secs = (int64_t)timegm(&want);
		}
		int64_t got = f2b_time_of(&f, (int64_t)ref * NS);
		if (got != secs * NS)
			fail_msg("day %lld: %lld, timegm %lld", (long long)day, (long long)got, (long long)(secs * NS));
	}
	/* a reference before 1970: its day is floored (1969-12-31), so
	 * Jan 1 without a year is 1969's */
	struct f2b_tfields f = { 0 };
	f.v[F2B_TF_m] = "01", f.n[F2B_TF_m] = 2;
	f.v[F2B_TF_d] = "01", f.n[F2B_TF_d] = 2;
	assert_true(f2b_time_of(&f, -43190 * NS) == -31536000 * NS);
}

/* Can a datepattern's span be empty (a line then takes the last date)? Only
 * when a template's group 1 can match nothing; a filter with such a date
 * runs on every line (f2b_gate.c). */
static bool may_be_empty(const char *pattern)
{
	char err[200];
	struct f2b_date *d = f2b_date_new(pattern, err, sizeof(err));
	assert_non_null(d);
	bool r = f2b_date_may_be_empty(d);
	f2b_date_free(d);
	return r;
}

static void test_date_empty_span(void **state)
{
	(void)state;
	assert_true(may_be_empty("^I\\(()**"));	/* ejabberd-auth's */
	assert_true(may_be_empty("^x(a?)"));
	assert_false(may_be_empty(NULL));
	assert_false(may_be_empty("{^LN-BEG}"));
	assert_false(may_be_empty("^{DATE}"));	/* recidive's: the date itself is the group */
	assert_false(may_be_empty("^<W>{DATE}"));
	assert_false(may_be_empty("^%Y-%m-%d %H:%M:%S"));
}

/* ---- filters ------------------------------------------------------------------ */

static struct f2b_filter *mkfilter(const char *text)
{
	struct f2b_def d;
	char err[512];
	if (load(text, NULL, &d, err, sizeof(err)) != 0)
		fail_msg("load: %s", err);
	struct f2b_filter *f = f2b_filter_new(&d, 100000, NULL, err, sizeof(err));
	f2b_def_free(&d);
	if (!f)
		fail_msg("compile: %s", err);
	return f;
}

/* Returns f2b_id of the failure, or NULL; out keeps the event. */
static const char *feed(struct f2b_filter *f, const char *line, struct ward_event *out)
{
	struct ward_event ev;
	event_init(&ev);
	event_set_line(&ev, line, strlen(line));
	ev.ts_ns = REF;
	int r = f2b_filter_event(f, &ev, out);
	event_free(&ev);
	const struct ward_kv *kv = r == 1 ? event_field(out, "f2b_id") : NULL;
	return kv ? kv->val : NULL;
}

static void test_filter_single_line(void **state)
{
	(void)state;
	struct f2b_filter *f = mkfilter(
		"[Definition]\n"
		"prefregex = ^\\s*\\S+ app\\[\\d+\\]: <F-CONTENT>.+</F-CONTENT>$\n"
		"failregex = ^bad login for <F-USER>\\S+</F-USER> from <HOST>$\n"
		"            ^<F-NOFAIL>probe</F-NOFAIL> from <HOST>$\n"
		"            ^ticket <F-ID>\\d+</F-ID> refused$\n"
		"ignoreregex = from 10\\.\n");
	struct ward_event out;
	event_init(&out);
	const char *id = feed(f, "Nov 28 08:43:52 h app[1]: bad login for root from 192.0.2.7", &out);
	assert_non_null(id);
	assert_string_equal(id, "192.0.2.7");
	assert_string_equal(event_field(&out, "src_ip")->val, "192.0.2.7");
	assert_string_equal(event_field(&out, "user")->val, "root");
	assert_string_equal(out.rule, "f2b:t");
	assert_true(out.ts_ns == 1795855432LL * NS);
	/* a host name is the id, never src_ip */
	id = feed(f, "Nov 28 08:43:52 h app[1]: bad login for root from evil.example", &out);
	assert_string_equal(id, "evil.example");
	assert_null(event_field(&out, "src_ip"));
	assert_null(feed(f, "Nov 28 08:43:52 h app[1]: bad login for root from 10.1.2.3", &out));	/* ignored */
	assert_null(feed(f, "Nov 28 08:43:52 h app[1]: probe from 192.0.2.8", &out));	/* nofail */
	assert_null(feed(f, "Nov 28 08:43:52 h other[1]: bad login for root from 192.0.2.7", &out));	/* prefregex */
	assert_string_equal(feed(f, "Nov 28 08:43:52 h app[1]: ticket 42 refused", &out), "42");
	/* an address-looking user name cannot name a victim: the regex anchors */
	assert_null(feed(f, "Nov 28 08:43:52 h app[1]: bad login for x from 192.0.2.9 from 192.0.2.1 x", &out));
	event_free(&out);
	f2b_filter_free(f);
}

static void test_filter_mlfid(void **state)
{
	(void)state;
	struct f2b_filter *f = mkfilter(
		"[Definition]\n"
		"prefregex = ^<F-MLFID>\\S+ sshd\\[\\d+\\]: </F-MLFID><F-CONTENT>.+</F-CONTENT>$\n"
		"failregex = ^Connection from <HOST>$\n"
		"            ^Too many failures$\n"
		"            ^<F-NOFAIL>Failed publickey</F-NOFAIL> for <F-USER>\\S+</F-USER>$\n"
		"            ^<F-MLFFORGET>Closed</F-MLFFORGET> by <HOST>$\n");
	struct ward_event out;
	event_init(&out);
	/* the address of the connection's first line names a later failure */
	assert_null(feed(f, "h sshd[7]: Too many failures", &out));	/* pending: no id yet */
	assert_null(feed(f, "h sshd[9]: Failed publickey for bob", &out));
	const char *id = feed(f, "h sshd[7]: Connection from 192.0.2.7", &out);
	assert_non_null(id);
	assert_string_equal(id, "192.0.2.7");
	id = feed(f, "h sshd[7]: Too many failures", &out);
	assert_non_null(id);
	assert_string_equal(id, "192.0.2.7");
	/* another connection is another state */
	assert_null(feed(f, "h sshd[8]: Too many failures", &out));
	event_free(&out);
	f2b_filter_free(f);
}

static void test_filter_multiline(void **state)
{
	(void)state;
	struct f2b_filter *f = mkfilter(
		"[Definition]\n"
		"failregex = ^conn (?P<__c>\\d+) from <HOST><SKIPLINES>conn (?P=__c) auth failed$\n"
		"[Init]\nmaxlines = 5\n");
	struct ward_event out;
	event_init(&out);
	assert_null(feed(f, "conn 1 from 192.0.2.1", &out));
	assert_null(feed(f, "conn 2 from 192.0.2.2", &out));
	assert_null(feed(f, "conn 1 ok", &out));
	const char *id = feed(f, "conn 2 auth failed", &out);
	assert_non_null(id);
	assert_string_equal(id, "192.0.2.2");
	/* the matched lines left the buffer; the skipped ones stayed */
	assert_null(feed(f, "conn 2 auth failed", &out));
	event_free(&out);
	f2b_filter_free(f);
}

static void test_filter_refusals(void **state)
{
	(void)state;
	struct f2b_def d;
	char err[512];
	assert_int_equal(load("[Definition]\nfailregex = ^no id here$\n", NULL, &d, err, sizeof(err)), 0);
	assert_null(f2b_filter_new(&d, 1000, NULL, err, sizeof(err)));
	assert_non_null(strstr(err, "t:2: failregex 1: no failure-id group"));
	f2b_def_free(&d);
	assert_int_equal(load("[Definition]\n\nfailregex = ^a <HOST>\n  ^b \\h <HOST>\n", NULL, &d, err, sizeof(err)), 0);
	assert_null(f2b_filter_new(&d, 1000, NULL, err, sizeof(err)));
	assert_non_null(strstr(err, "t:4: failregex 2: an escape Python's re does not define"));
	f2b_def_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conf_interpolation_and_continuation),
		cmocka_unit_test(test_conf_tags_options_init),
		cmocka_unit_test(test_conf_errors),
		cmocka_unit_test(test_regex_tags),
		cmocka_unit_test(test_regex_translation),
		cmocka_unit_test(test_required_literal),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_time_as_timegm),
		cmocka_unit_test(test_date_time_after_shared_match),
		cmocka_unit_test(test_date_empty_span),
		cmocka_unit_test(test_filter_single_line),
		cmocka_unit_test(test_filter_mlfid),
		cmocka_unit_test(test_filter_multiline),
		cmocka_unit_test(test_filter_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
