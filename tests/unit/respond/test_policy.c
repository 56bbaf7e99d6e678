/* Unit tests: target validation, allowlist, escalation, rate limit, cap
 * (stages/respond/policy.c) and the ban table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <stdlib.h>
#include <unistd.h>

#include "stages/respond/allowfile.h"
#include "stages/respond/policy.h"
#include "wtime.h"

#define NOW (1764316800LL * NS_PER_SEC)

static int target(const struct respond_policy *p, const char *s, char *out, const char **why)
{
	struct ward_cidr c;
	*why = NULL;
	if (policy_target(p, s, strlen(s), &c, why) != 0)
		return -1;
	respond_target_format(&c, false, out, RESPOND_TARGET_STRLEN);
	return 0;
}

static void accepts_and_canonicalizes(void **state)
{
	(void)state;
	struct respond_policy p;
	char out[RESPOND_TARGET_STRLEN];
	const char *why;
	policy_init(&p);
	assert_int_equal(target(&p, "198.18.0.7", out, &why), 0);
	assert_string_equal(out, "198.18.0.7");
	assert_int_equal(target(&p, "2001:DB8:0:0::07", out, &why), 0);
	assert_string_equal(out, "2001:db8::7");
	p.v6_prefix = 64;
	assert_int_equal(target(&p, "2001:db8:1:2:3:4:5:6", out, &why), 0);
	assert_string_equal(out, "2001:db8:1:2::/64");
	assert_int_equal(target(&p, "198.18.0.7", out, &why), 0);
	assert_string_equal(out, "198.18.0.7");
	policy_free(&p);
}

/* Addresses that are no attacking host, each with the reason named, and
 * their neighbours that are ordinary unicast (the boundaries). */
static void refuses_non_hosts_at_their_boundaries(void **state)
{
	(void)state;
	static const struct { const char *ip, *why; } bad[] = {
		{ "240.0.0.1", "reserved or broadcast address" },
		{ "239.255.255.255", "multicast address" },
		{ "224.0.0.0", "multicast address" },
		{ "169.254.0.1", "link-local address (169.254.0.0/16)" },
		{ "169.254.255.255", "link-local address (169.254.0.0/16)" },
		{ "fe80::1", "link-local address (fe80::/10)" },
		{ "febf:ffff::1", "link-local address (fe80::/10)" },
		/* loopback in disguise: NAT64, 6to4, SIIT, IPv4-compatible, Teredo */
		{ "64:ff9b::7f00:1", "IPv6 address embedding a loopback IPv4 address (6to4, NAT64, SIIT or Teredo)" },
		{ "64:ff9b:1:7f00:0:100::", "IPv6 address embedding a loopback IPv4 address (6to4, NAT64, SIIT or Teredo)" },
		{ "2002:7f00:1::1", "IPv6 address embedding a loopback IPv4 address (6to4, NAT64, SIIT or Teredo)" },
		{ "::ffff:0:7f00:1", "IPv6 address embedding a loopback IPv4 address (6to4, NAT64, SIIT or Teredo)" },
		{ "::127.0.0.1", "IPv6 address embedding a loopback IPv4 address (6to4, NAT64, SIIT or Teredo)" },
		{ "2001:0:4136:e378:8000:63bf:80ff:fffe", "IPv6 address embedding a loopback IPv4 address (6to4, NAT64, SIIT or Teredo)" },
		{ "2002:a9fe:1::1", "IPv6 address embedding a link-local IPv4 address" },
		{ "64:ff9b::e000:1", "IPv6 address embedding a multicast, reserved or broadcast IPv4 address" },
		{ "64:ff9b::ffff:ffff", "IPv6 address embedding a multicast, reserved or broadcast IPv4 address" },
	};
	static const char *const good[] = {
		"223.255.255.255", "169.253.255.255", "169.255.0.1", "fec0::1", "fe7f::1",
		"64:ff9b::c612:7", "2002:c612:7::1", "2001:db8::1", "2003:7f00:1::1", "64:ff9a::7f00:1",
	};
	struct respond_policy p;
	char out[RESPOND_TARGET_STRLEN];
	const char *why;
	policy_init(&p);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (target(&p, bad[i].ip, out, &why) != -1)
			fail_msg("accepted: %s", bad[i].ip);
		if (strcmp(why, bad[i].why) != 0)
			fail_msg("%s: refused for '%s', want '%s'", bad[i].ip, why, bad[i].why);
	}
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (target(&p, good[i], out, &why) != 0)
			fail_msg("refused %s: %s", good[i], why);
	policy_free(&p);
}

static void refuses_hostile_text(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"1.2.3.4; rm -rf /", "$(id)", "198.18.0.7\n", "010.1.1.1", "1.2.3", "1.2.3.4.5",
		"::ffff:1.2.3.4", "fe80::1%eth0", "198.18.0.7/32", " 198.18.0.7", "0x7f.1.1.1",
		"", "127.0.0.1", "::1", "0.0.0.0", "::", "224.0.0.1", "255.255.255.255", "ff02::1",
	};
	struct respond_policy p;
	char out[RESPOND_TARGET_STRLEN];
	const char *why;
	char longv[301];
	policy_init(&p);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (target(&p, bad[i], out, &why) != -1)
			fail_msg("accepted: %s", bad[i]);
		assert_non_null(why);
	}
	memset(longv, '7', 300);
	longv[300] = '\0';
	assert_int_equal(target(&p, longv, out, &why), -1);
	assert_string_equal(why, "target field too long for an address");
	struct ward_cidr c;
	assert_int_equal(policy_target(&p, "1.2.3.4\0" "5", 9, &c, &why), -1);
	/* the longest text form of an IPv6 address (45 characters) is a target;
	 * one character more is refused before parsing */
	static const char longest[] = "2001:0db8:3333:4444:5555:6666:198.151.100.255";
	assert_int_equal(strlen(longest), RESPOND_TARGET_MAXLEN);
	assert_int_equal(policy_target(&p, longest, strlen(longest), &c, &why), 0);
	static const char longer[] = "2001:0db8:3333:4444:5555:6666:198.151.100.255 ";
	assert_int_equal(policy_target(&p, longer, strlen(longer), &c, &why), -1);
	assert_string_equal(why, "target field too long for an address");
	policy_free(&p);
}

static void decide(struct respond_policy *p, struct ban_table *t, const char *s, int64_t now,
		   struct decision *d)
{
	struct ward_cidr c;
	const char *why;
	assert_int_equal(policy_target(p, s, strlen(s), &c, &why), 0);
	policy_decide(p, t, &c, now, d);
}

static void allowlist_overlaps(void **state)
{
	(void)state;
	struct respond_policy p;
	struct ban_table t;
	struct decision d;
	policy_init(&p);
	bantable_init(&t);
	assert_int_equal(policy_allow(&p, "198.18.0.0/28", 13, "config"), 0);
	assert_int_equal(policy_allow(&p, "2001:db8:1:2::5", 15, "host"), 0);
	assert_int_equal(policy_allow(&p, "nonsense", 8, "config"), -1);
	decide(&p, &t, "198.18.0.7", NOW, &d);
	assert_int_equal(d.kind, DEC_REFUSE);
	assert_string_equal(d.reason, "allowlisted");
	decide(&p, &t, "198.18.0.17", NOW, &d);
	assert_int_equal(d.kind, DEC_BAN);
	/* A /64 holding an allowlisted address is refused too. */
	p.v6_prefix = 64;
	decide(&p, &t, "2001:db8:1:2::99", NOW, &d);
	assert_int_equal(d.kind, DEC_REFUSE);
	p.v6_prefix = 128;
	decide(&p, &t, "2001:db8:1:2::99", NOW, &d);
	assert_int_equal(d.kind, DEC_BAN);
	bantable_free(&t);
	policy_free(&p);
}

static void escalation_and_extension(void **state)
{
	(void)state;
	struct respond_policy p;
	struct ban_table t;
	struct decision d;
	policy_init(&p);
	bantable_init(&t);
	p.ban_ns = 60 * NS_PER_SEC;
	p.max_ban_ns = 300 * NS_PER_SEC;
	p.factor = 3.0;
	assert_int_equal(policy_ttl(&p, 1), 60 * NS_PER_SEC);
	assert_int_equal(policy_ttl(&p, 2), 180 * NS_PER_SEC);
	assert_int_equal(policy_ttl(&p, 3), 300 * NS_PER_SEC);
	assert_int_equal(policy_ttl(&p, 4000000000u), 300 * NS_PER_SEC);

	decide(&p, &t, "198.18.0.7", NOW, &d);
	assert_int_equal(d.kind, DEC_BAN);
	assert_int_equal(d.offenses, 1);
	struct ban_entry *e = policy_commit(&p, &t, &d, "R;evil");
	assert_string_equal(e->rule, "R_evil");
	assert_int_equal(t.active, 1);
	/* While banned: extension at the same tier. */
	decide(&p, &t, "198.18.0.7", NOW + 10 * NS_PER_SEC, &d);
	assert_int_equal(d.kind, DEC_EXTEND);
	assert_int_equal(d.ttl_ns, 60 * NS_PER_SEC);
	assert_int_equal(d.until_ns, NOW + 70 * NS_PER_SEC);
	/* Same instant: nothing to do. */
	decide(&p, &t, "198.18.0.7", NOW, &d);
	assert_int_equal(d.kind, DEC_NOOP);
	/* After expiry: the next ban is escalated. */
	bantable_set_active(&t, e, false);
	decide(&p, &t, "198.18.0.7", NOW + 100 * NS_PER_SEC, &d);
	assert_int_equal(d.kind, DEC_BAN);
	assert_int_equal(d.offenses, 2);
	assert_int_equal(d.ttl_ns, 180 * NS_PER_SEC);
	/* Past the forget horizon: back to the first tier. */
	decide(&p, &t, "198.18.0.7", NOW + 60 * NS_PER_SEC + p.forget_ns, &d);
	assert_int_equal(d.offenses, 1);
	bantable_free(&t);
	policy_free(&p);
}

static void rate_limit_and_cap(void **state)
{
	(void)state;
	struct respond_policy p;
	struct ban_table t;
	struct decision d;
	char ip[32];
	policy_init(&p);
	bantable_init(&t);
	p.rate_per_min = 3;
	p.max_bans = 0;
	for (int i = 0; i < 3; i++) {
		snprintf(ip, sizeof(ip), "198.18.0.%d", i + 1);
		decide(&p, &t, ip, NOW, &d);
		assert_int_equal(d.kind, DEC_BAN);
		policy_commit(&p, &t, &d, "R");
	}
	decide(&p, &t, "198.18.0.9", NOW, &d);
	assert_int_equal(d.kind, DEC_REFUSE);
	assert_string_equal(d.reason, "ban rate limit reached");
	/* 20 s later one token is back (3 per minute). */
	decide(&p, &t, "198.18.0.9", NOW + 20 * NS_PER_SEC, &d);
	assert_int_equal(d.kind, DEC_BAN);
	policy_commit(&p, &t, &d, "R");
	p.rate_per_min = 0;
	p.max_bans = 4;
	decide(&p, &t, "198.18.0.10", NOW + 21 * NS_PER_SEC, &d);
	assert_int_equal(d.kind, DEC_REFUSE);
	assert_string_equal(d.reason, "active ban cap reached");
	/* Extensions are not new bans: still allowed at the cap. */
	decide(&p, &t, "198.18.0.1", NOW + 22 * NS_PER_SEC, &d);
	assert_int_equal(d.kind, DEC_EXTEND);
	bantable_free(&t);
	policy_free(&p);
}

/* After an idle hour the bucket holds --rate tokens, not an hour's worth:
 * a burst of alerts then bans exactly --rate addresses. */
static void rate_limit_refill_is_capped(void **state)
{
	(void)state;
	struct respond_policy p;
	struct ban_table t;
	struct decision d;
	char ip[32];
	int banned = 0;
	policy_init(&p);
	bantable_init(&t);
	p.rate_per_min = 3;
	decide(&p, &t, "198.18.0.1", NOW, &d);
	assert_int_equal(d.kind, DEC_BAN);
	policy_commit(&p, &t, &d, "R");
	for (int i = 0; i < 20; i++) {
		snprintf(ip, sizeof(ip), "198.18.1.%d", i + 1);
		decide(&p, &t, ip, NOW + 3600 * NS_PER_SEC, &d);
		if (d.kind == DEC_BAN) {
			policy_commit(&p, &t, &d, "R");
			banned++;
		}
	}
	assert_int_equal(banned, 3);
	bantable_free(&t);
	policy_free(&p);
}

static void bantable_churn(void **state)
{
	(void)state;
	struct ban_table t;
	struct ward_cidr c;
	char ip[32];
	bantable_init(&t);
	for (int i = 0; i < 5000; i++) {
		snprintf(ip, sizeof(ip), "198.18.%d.%d", i / 250, i % 250);
		assert_int_equal(cidr_parse(ip, strlen(ip), &c), 0);
		struct ban_entry *e = bantable_put(&t, &c);
		e->offenses = (uint32_t)i + 1;
		bantable_set_active(&t, e, i % 2 == 0);
	}
	assert_int_equal(t.len, 5000);
	assert_int_equal(t.active, 2500);
	for (int i = 0; i < 5000; i += 3) {
		snprintf(ip, sizeof(ip), "198.18.%d.%d", i / 250, i % 250);
		cidr_parse(ip, strlen(ip), &c);
		bantable_del(&t, &c);
	}
	for (int i = 0; i < 5000; i++) {
		snprintf(ip, sizeof(ip), "198.18.%d.%d", i / 250, i % 250);
		cidr_parse(ip, strlen(ip), &c);
		struct ban_entry *e = bantable_get(&t, &c);
		if (i % 3 == 0) {
			assert_null(e);
		} else {
			assert_non_null(e);
			assert_int_equal(e->offenses, (uint32_t)i + 1);
		}
	}
	size_t n = 0, it = 0, active = 0;
	struct ban_entry *e;
	while ((e = bantable_next(&t, &it)) != NULL) {
		n++;
		active += e->active;
	}
	assert_int_equal(n, t.len);
	assert_int_equal(active, t.active);
	bantable_free(&t);
}

static bool allowed(const struct respond_policy *p, const char *s, const char **why)
{
	struct ward_cidr c;
	assert_int_equal(cidr_parse(s, strlen(s), &c), 0);
	return policy_allowed(p, &c, why) != NULL;
}

/* --allow-file: blanks, tabs, CRLF, comments, no final newline, more
 * entries than the first allocation; a reload replaces the file's entries
 * only; a bad line changes nothing and names FILE:LINE and the text. */
static void allow_file_entries_and_reload(void **state)
{
	(void)state;
	struct respond_policy p;
	char err[300], text[4096];
	const char *why;
	policy_init(&p);
	assert_int_equal(policy_allow(&p, "192.0.2.0/24", 12, NULL), 0);
	size_t n = (size_t)snprintf(text, sizeof(text),
				    "# our networks\r\n  198.18.7.0/24\t# office\r\n\n\t\n#x\n");
	for (int i = 0; i < 20; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "203.0.113.%d\n", i);
	n += (size_t)snprintf(text + n, sizeof(text) - n, "2001:db8:7::/48");
	assert_int_equal(allowfile_parse(&p, "allow", text, n, err, sizeof(err)), 22);
	assert_true(allowed(&p, "198.18.7.9", &why));
	assert_string_equal(why, "file");
	assert_true(allowed(&p, "2001:db8:7::5", &why));
	assert_true(allowed(&p, "203.0.113.19", &why));
	assert_false(allowed(&p, "203.0.113.20", &why));
	assert_true(allowed(&p, "192.0.2.1", &why));
	assert_string_equal(why, "config");	/* an entry added without a reason */

	/* reload: the old file entries go, the new come, --allow stays */
	assert_int_equal(allowfile_parse(&p, "allow", "198.51.100.0/24\n", 16, err, sizeof(err)), 1);
	assert_false(allowed(&p, "198.18.7.9", &why));
	assert_true(allowed(&p, "198.51.100.7", &why));
	assert_true(allowed(&p, "192.0.2.1", &why));

	/* a bad line: nothing changes; the text shown is cut at 64 bytes */
	char bad[200];
	int m = snprintf(bad, sizeof(bad), "10.0.0.0/8\n# ok\n%0100d\n", 7);
	assert_int_equal(allowfile_parse(&p, "allow", bad, (size_t)m, err, sizeof(err)), -1);
	char want[120];
	snprintf(want, sizeof(want), "allow:3: not an address or CIDR: %064d", 0);
	assert_string_equal(err, want);
	assert_false(allowed(&p, "10.1.2.3", &why));
	assert_true(allowed(&p, "198.51.100.7", &why));
	/* an empty file empties the file's entries */
	assert_int_equal(allowfile_parse(&p, "allow", "", 0, err, sizeof(err)), 0);
	assert_false(allowed(&p, "198.51.100.7", &why));
	policy_free(&p);
}

/* allowfile_load: a missing file and a file over 4 MiB are errors that
 * leave the list as it was. */
static void allow_file_load_errors(void **state)
{
	(void)state;
	struct respond_policy p;
	char err[300], dir[] = "/tmp/ward-allow-XXXXXX", path[200];
	const char *why;
	policy_init(&p);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/allow", dir);
	assert_int_equal(allowfile_load(&p, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "No such file or directory"));
	FILE *f = fopen(path, "w");
	fputs("198.18.7.0/24\n", f);
	fclose(f);
	assert_int_equal(allowfile_load(&p, path, err, sizeof(err)), 1);
	assert_true(allowed(&p, "198.18.7.1", &why));
	f = fopen(path, "w");
	for (int i = 0; i < (ALLOWFILE_MAX_BYTES / 16) + 2; i++)
		fputs("# padding line.\n", f);
	fclose(f);
	assert_int_equal(allowfile_load(&p, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "file larger than 4 MiB"));
	assert_true(allowed(&p, "198.18.7.1", &why));
	unlink(path);
	rmdir(dir);
	policy_free(&p);
}

/* An escalation factor under 1 never shortens a repeat offender's ban; the
 * clock going back refills the bucket instead of draining it; a ban without
 * a rule name records "-"; refusals commit nothing. */
static void policy_edges(void **state)
{
	(void)state;
	struct respond_policy p;
	struct ban_table t;
	struct decision d;
	policy_init(&p);
	bantable_init(&t);
	p.factor = 0.5;
	assert_int_equal(policy_ttl(&p, 1), p.ban_ns);
	assert_int_equal(policy_ttl(&p, 5), p.ban_ns);
	p.rate_per_min = 1;
	decide(&p, &t, "198.18.0.1", NOW, &d);
	assert_int_equal(d.kind, DEC_BAN);
	struct ban_entry *e = policy_commit(&p, &t, &d, NULL);
	assert_non_null(e);
	assert_string_equal(e->rule, "-");
	decide(&p, &t, "198.18.0.2", NOW + NS_PER_SEC, &d);
	assert_int_equal(d.kind, DEC_REFUSE);
	assert_string_equal(d.reason, "ban rate limit reached");
	assert_null(policy_commit(&p, &t, &d, "R"));
	assert_int_equal(t.len, 1);
	/* the clock went back an hour: start with a full bucket */
	decide(&p, &t, "198.18.0.2", NOW - 3600 * NS_PER_SEC, &d);
	assert_int_equal(d.kind, DEC_BAN);
	bantable_free(&t);
	policy_free(&p);
}

/* IPv6 forms that carry an IPv4 address (6to4 here) are refused for the
 * IPv4 address's own reasons, each named. */
static void embedded_ipv4_reasons(void **state)
{
	(void)state;
	struct respond_policy p;
	struct ward_cidr c;
	const char *why;
	policy_init(&p);
	assert_int_equal(policy_target(&p, "2002:0001:0203::1", 17, &c, &why), -1);
	assert_string_equal(why, "IPv6 address embedding an unspecified IPv4 address");
	assert_int_equal(policy_target(&p, "2002:a9fe:0101::1", 17, &c, &why), -1);
	assert_string_equal(why, "IPv6 address embedding a link-local IPv4 address");
	assert_int_equal(policy_target(&p, "2002:e000:0001::1", 17, &c, &why), -1);
	assert_string_equal(why, "IPv6 address embedding a multicast, reserved or broadcast IPv4 address");
	assert_int_equal(policy_target(&p, "2002:c612:0007::1", 17, &c, &why), 0);
	policy_free(&p);
}

/* Deleting from a table loaded near its bound (47 entries in 64 slots), in
 * many orders, keeps every other entry reachable (the backward shift,
 * also across the end of the slot array); a second delete finds nothing. */
static void bantable_delete_keeps_others(void **state)
{
	(void)state;
	enum { N = 47 };
	char ip[32];
	for (int trial = 0; trial < 60; trial++) {
		struct ban_table t;
		struct ward_cidr c[N];
		bool gone[N] = { false };
		bantable_init(&t);
		for (int i = 0; i < N; i++) {
			snprintf(ip, sizeof(ip), "198.%d.%d.%d", 18 + trial / 200, trial % 200, i + 1);
			assert_int_equal(cidr_parse(ip, strlen(ip), &c[i]), 0);
			bantable_put(&t, &c[i])->offenses = (uint32_t)i + 1;
		}
		assert_int_equal(t.cap, 64);
		for (int k = 0; k < N; k++) {
			int victim = (k * 17 + trial) % N;
			while (gone[victim])
				victim = (victim + 1) % N;
			bantable_del(&t, &c[victim]);
			bantable_del(&t, &c[victim]);
			gone[victim] = true;
			for (int i = 0; i < N; i++) {
				struct ban_entry *e = bantable_get(&t, &c[i]);
				if (gone[i])
					assert_null(e);
				else if (!e || e->offenses != (uint32_t)i + 1)
					fail_msg("trial %d: entry %d lost after deleting %d", trial, i, victim);
			}
			assert_int_equal(t.len, (size_t)(N - k - 1));
		}
		bantable_free(&t);
	}
	/* the same address with another prefix is another entry */
	struct ban_table t;
	struct ward_cidr a, b;
	bantable_init(&t);
	assert_int_equal(cidr_parse("2001:db8::/64", 13, &a), 0);
	assert_int_equal(cidr_parse("2001:db8::/128", 14, &b), 0);
	bantable_put(&t, &a);
	assert_null(bantable_get(&t, &b));
	bantable_free(&t);
}

/* Rule names are cleaned to [A-Za-z0-9_.:-], cut at RESPOND_RULE_MAX, and
 * "-" when empty; targets print without /32 or /128 unless asked. */
static void rule_names_and_targets(void **state)
{
	(void)state;
	char out[RESPOND_RULE_MAX + 1], t[RESPOND_TARGET_STRLEN];
	static const char messy[] = "SSH Brute;Force\x01.v2:a-b_c";
	respond_rule_clean(out, messy, strlen(messy));
	assert_string_equal(out, "SSH_Brute_Force_.v2:a-b_c");
	respond_rule_clean(out, "", 0);
	assert_string_equal(out, "-");
	respond_rule_clean(out, NULL, 5);
	assert_string_equal(out, "-");
	char longr[100];
	memset(longr, 'x', sizeof(longr));
	respond_rule_clean(out, longr, sizeof(longr));
	assert_int_equal(strlen(out), RESPOND_RULE_MAX);
	struct ward_cidr c;
	assert_int_equal(cidr_parse("2001:db8::7", 11, &c), 0);
	respond_target_format(&c, false, t, sizeof(t));
	assert_string_equal(t, "2001:db8::7");
	respond_target_format(&c, true, t, sizeof(t));
	assert_string_equal(t, "2001:db8::7/128");
	assert_int_equal(cidr_parse("2001:db8:1:2::/64", 17, &c), 0);
	respond_target_format(&c, false, t, sizeof(t));
	assert_string_equal(t, "2001:db8:1:2::/64");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepts_and_canonicalizes),
		cmocka_unit_test(refuses_hostile_text),
		cmocka_unit_test(refuses_non_hosts_at_their_boundaries),
		cmocka_unit_test(allowlist_overlaps),
		cmocka_unit_test(escalation_and_extension),
		cmocka_unit_test(rate_limit_and_cap),
		cmocka_unit_test(rate_limit_refill_is_capped),
		cmocka_unit_test(bantable_churn),
		cmocka_unit_test(bantable_delete_keeps_others),
		cmocka_unit_test(rule_names_and_targets),
		cmocka_unit_test(allow_file_entries_and_reload),
		cmocka_unit_test(allow_file_load_errors),
		cmocka_unit_test(policy_edges),
		cmocka_unit_test(embedded_ipv4_reasons),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
