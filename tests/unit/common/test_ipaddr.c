/* Unit tests: address parsing, canonical printing, CIDR. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "ipaddr.h"

#define S(x) x, strlen(x)

static const char *canon(const char *s)
{
	static char out[WARD_IP_STRLEN];
	struct ward_ip ip;
	if (ip_parse(s, strlen(s), &ip) != 0)
		return "REFUSED";
	ip_format(&ip, out);
	return out;
}

static void test_canonical_forms(void **state)
{
	(void)state;
	assert_string_equal(canon("198.18.0.7"), "198.18.0.7");
	assert_string_equal(canon("2001:DB8:0:0:0:0:0:1"), "2001:db8::1");
	assert_string_equal(canon("2001:db8:0000::0001"), "2001:db8::1");
	assert_string_equal(canon("::ffff:10.0.0.1"), "::ffff:10.0.0.1");
	assert_string_equal(canon("::1"), "::1");
}

/* ip_format writes IPv4 itself: the text inet_ntop gives, for every byte
 * value in every position. */
static void test_ipv4_text_as_inet_ntop(void **state)
{
	(void)state;
	for (unsigned v = 0; v < 256; v++) {
		struct ward_ip ip = { .family = AF_INET };
		const uint8_t b[4] = { (uint8_t)v, (uint8_t)(255 - v), (uint8_t)(v * 7), (uint8_t)(v / 3) };
		for (int r = 0; r < 4; r++) {
			for (int i = 0; i < 4; i++)
				ip.addr[i] = b[(i + r) % 4];
			char got[WARD_IP_STRLEN], want[WARD_IP_STRLEN];
			ip_format(&ip, got);
			assert_non_null(inet_ntop(AF_INET, ip.addr, want, sizeof(want)));
			assert_string_equal(got, want);
		}
	}
}

static void test_hostile_text_refused(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"1.2.3.4; rm -rf /", "$(id)", "1.2.3.4\n", "010.1.1.1", "1.2.3", "1.2.3.4.5",
		"256.1.1.1", " 1.2.3.4", "fe80::1%eth0", "", "::ffff:1.2.3.4.5", "1.2.3.4/32",
		"0x7f.1.1.1",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (strcmp(canon(bad[i]), "REFUSED") != 0)
			fail_msg("accepted %s", bad[i]);
	char longs[300];
	memset(longs, '1', sizeof longs);
	struct ward_ip ip;
	assert_int_equal(ip_parse(longs, sizeof longs, &ip), -1);
	assert_int_equal(ip_parse("1.2.3.4\0x", 9, &ip), -1);
}

static void test_mapped_and_loopback(void **state)
{
	(void)state;
	struct ward_ip ip;
	assert_int_equal(ip_parse(S("::ffff:127.0.0.1"), &ip), 0);
	assert_true(ip_is_mapped_v4(&ip));
	assert_true(ip_is_loopback(&ip));
	assert_true(ip_unmap(&ip));
	assert_int_equal(ip.family, AF_INET);
	char out[WARD_IP_STRLEN];
	ip_format(&ip, out);
	assert_string_equal(out, "127.0.0.1");
	assert_int_equal(ip_parse(S("::1"), &ip), 0);
	assert_true(ip_is_loopback(&ip));
	assert_false(ip_unmap(&ip));
	assert_int_equal(ip_parse(S("128.0.0.1"), &ip), 0);
	assert_false(ip_is_loopback(&ip));
}

static void test_cidr(void **state)
{
	(void)state;
	struct ward_cidr c;
	struct ward_ip ip;
	char out[64];
	assert_int_equal(cidr_parse(S("10.1.2.3/8"), &c), 0);
	cidr_format(&c, out, sizeof out);
	assert_string_equal(out, "10.0.0.0/8");
	assert_int_equal(ip_parse(S("10.255.0.1"), &ip), 0);
	assert_true(cidr_contains(&c, &ip));
	assert_int_equal(ip_parse(S("::ffff:10.9.9.9"), &ip), 0);
	assert_true(cidr_contains(&c, &ip));
	assert_int_equal(ip_parse(S("11.0.0.1"), &ip), 0);
	assert_false(cidr_contains(&c, &ip));
	assert_int_equal(cidr_parse(S("2001:db8::/32"), &c), 0);
	assert_int_equal(ip_parse(S("2001:db8:ffff::1"), &ip), 0);
	assert_true(cidr_contains(&c, &ip));
	assert_int_equal(ip_parse(S("10.0.0.1"), &ip), 0);
	assert_false(cidr_contains(&c, &ip));
	assert_int_equal(cidr_parse(S("0.0.0.0/0"), &c), 0);
	assert_true(cidr_contains(&c, &ip));
	assert_int_equal(cidr_parse(S("192.0.2.1/21"), &c), 0);
	cidr_format(&c, out, sizeof out);
	assert_string_equal(out, "192.0.0.0/21");
	assert_int_equal(cidr_parse(S("10.0.0.0/33"), &c), -1);
	assert_int_equal(cidr_parse(S("10.0.0.0/"), &c), -1);
	assert_int_equal(cidr_parse(S("10.0.0.0/8x"), &c), -1);
	assert_int_equal(cidr_parse(S("::/129"), &c), -1);
}

/* Every prefix length against a bit-by-bit reference: the network keeps
 * exactly the first `prefix` bits; the first and last address of the block
 * are inside, the neighbours outside. */
static void test_cidr_every_prefix(void **state)
{
	(void)state;
	struct ward_cidr c;
	struct ward_ip ip;
	char txt[80];
	for (unsigned fam = 0; fam < 2; fam++) {
		unsigned bits = fam ? 128 : 32;
		const char *base = fam ? "2001:db8:f0f0:ffff:a5a5:5a5a:ffff:ffff" : "203.0.113.219";
		for (unsigned pre = 0; pre <= bits; pre++) {
			snprintf(txt, sizeof txt, "%s/%u", base, pre);
			assert_int_equal(cidr_parse(txt, strlen(txt), &c), 0);
			assert_int_equal(c.prefix, pre);
			struct ward_ip orig;
			assert_int_equal(ip_parse(base, strlen(base), &orig), 0);
			for (unsigned b = 0; b < bits; b++) {
				unsigned by = b / 8, bit = 7 - b % 8;
				int want = b < pre ? (orig.addr[by] >> bit) & 1 : 0;
				if (((c.ip.addr[by] >> bit) & 1) != want)
					fail_msg("%s: bit %u is %d", txt, b, !want);
			}
			/* the original address, the block's last, and just past it */
			assert_true(cidr_contains(&c, &orig));
			ip = c.ip;
			for (unsigned b = pre; b < bits; b++)
				ip.addr[b / 8] |= (uint8_t)(1u << (7 - b % 8));
			assert_true(cidr_contains(&c, &ip));
			if (pre > 0) {
				ip = c.ip;
				ip.addr[(pre - 1) / 8] ^= (uint8_t)(1u << (7 - (pre - 1) % 8));
				assert_false(cidr_contains(&c, &ip));
			}
		}
	}
	/* the whole-address prefixes are valid; one more is not; at most 3 digits */
	assert_int_equal(cidr_parse(S("198.51.100.7/32"), &c), 0);
	cidr_format(&c, txt, sizeof txt);
	assert_string_equal(txt, "198.51.100.7/32");
	assert_int_equal(cidr_parse(S("2001:db8::7/128"), &c), 0);
	cidr_format(&c, txt, sizeof txt);
	assert_string_equal(txt, "2001:db8::7/128");
	assert_int_equal(cidr_parse(S("198.51.100.77/27"), &c), 0);
	cidr_format(&c, txt, sizeof txt);
	assert_string_equal(txt, "198.51.100.64/27");
	assert_int_equal(cidr_parse(S("10.0.0.0/0008"), &c), -1);
	assert_int_equal(cidr_parse(S("::/0128"), &c), -1);
	assert_int_equal(cidr_parse(S("::/1280"), &c), -1);
	assert_int_equal(cidr_parse(S("10.0.0.0/-1"), &c), -1);
}

static void test_aggregation(void **state)
{
	(void)state;
	struct ward_ip ip;
	char out[WARD_IP_STRLEN];
	assert_int_equal(ip_parse(S("2001:db8:1:2:3:4:5:6"), &ip), 0);
	ip_mask(&ip, 64);
	ip_format(&ip, out);
	assert_string_equal(out, "2001:db8:1:2::");
	assert_int_equal(ip_parse(S("198.18.7.200"), &ip), 0);
	ip_mask(&ip, 24);
	ip_format(&ip, out);
	assert_string_equal(out, "198.18.7.0");
	ip_mask(&ip, 0);
	ip_format(&ip, out);
	assert_string_equal(out, "0.0.0.0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_canonical_forms),
		cmocka_unit_test(test_ipv4_text_as_inet_ntop),
		cmocka_unit_test(test_hostile_text_refused),
		cmocka_unit_test(test_mapped_and_loopback),
		cmocka_unit_test(test_cidr),
		cmocka_unit_test(test_cidr_every_prefix),
		cmocka_unit_test(test_aggregation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
