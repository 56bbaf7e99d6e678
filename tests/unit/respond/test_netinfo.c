/* Unit tests: gateways read from the kernel's routing tables as
 * /proc/net/route and /proc/net/ipv6_route print them (netinfo.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "stages/respond/netinfo.h"

static const char *fmt(const struct ward_ip *ip, char buf[WARD_IP_STRLEN])
{
	ip_format(ip, buf);
	return buf;
}

static void ipv4_gateways(void **state)
{
	(void)state;
	/* as the kernel prints it: a default route via 192.0.2.1, a link
	 * route (no gateway flag), a second gateway route via 198.51.100.254
	 * repeated, and broken lines */
	static const char text[] =
		"Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
		"eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
		"eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"
		"eth1\t0000000A\tFE6433C6\t0003\t0\t0\t0\t000000FF\t0\t0\t0\n"
		"eth1\t0000010A\tFE6433C6\t0003\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"
		"eth2\t00000000\t0A0B0C\t0003\n"
		"eth2\t00000000\tZZ0B0C0D\t0003\n"
		"eth3\t00000000\t01010101\t0001\n"
		"eth4\t00000000\t02020202";
	struct ward_ip out[8];
	size_t n = 0;
	char b[WARD_IP_STRLEN];
	netinfo_parse_route4(text, sizeof text - 1, out, &n, 8);
	assert_int_equal(n, 2);
	assert_string_equal(fmt(&out[0], b), "192.0.2.1");
	assert_string_equal(fmt(&out[1], b), "198.51.100.254");
	n = 0;
	netinfo_parse_route4(text, sizeof text - 1, out, &n, 1);	/* bounded */
	assert_int_equal(n, 1);
	/* lines that name no gateway: blanks only, a gateway of zero with the
	 * gateway flag, flags of 3 or 5 digits, a non-hex digit in either
	 * half of a byte */
	static const char odd[] =
		" \t \n"
		"eth0\t00000000\t00000000\t0003\n"
		"eth0\t00000000\t010200C0\t003\n"
		"eth0\t00000000\t010200C0\t00003\n"
		"eth0\t00000000\t010200CZ\t0003\n"
		"eth0\t00000000\t010200G0\t0003\n"
		"eth0\t00000000\t010200C0\t00G3\n"
		"eth0\t00000000\t0A0200C0\t0003 \n";
	n = 0;
	netinfo_parse_route4(odd, sizeof odd - 1, out, &n, 8);
	assert_int_equal(n, 1);
	assert_string_equal(fmt(&out[0], b), "192.0.2.10");
}

static void ipv6_next_hops(void **state)
{
	(void)state;
	static const char text[] =
		"fd000000000000000000000000000000 40 00000000000000000000000000000000 00 "
		"00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0\n"
		"00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
		"fe800000000000000000000000000001 00000400 00000003 00000000 00000003     eth0\n"
		"00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
		"fe80000000000000000000000000001\n";
	struct ward_ip out[4];
	size_t n = 0;
	char b[WARD_IP_STRLEN];
	netinfo_parse_route6(text, sizeof text - 1, out, &n, 4);
	assert_int_equal(n, 1);
	assert_int_equal(out[0].family, AF_INET6);
	assert_string_equal(fmt(&out[0], b), "fe80::1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ipv4_gateways),
		cmocka_unit_test(ipv6_next_hops),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
