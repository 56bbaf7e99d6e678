/* test_community_id.c - the Community ID against the spec's test vectors
 * (corelight/community-id-spec baseline/README.md tables, default seed
 * and seed 1, and the pycommunityid unit tests), SHA-1 against FIPS 180
 * examples, and the ID of decoded packets (both directions of a flow give
 * one ID; fragments, SCTP and other protocols). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "event.h"
#include "stages/sniff/community_id.h"
#include "stages/sniff/format.h"
#include "tests/unit/sniff/pktbuild.h"

struct vec {
	uint8_t proto;
	const char *src, *dst;
	int sport, dport;	/* -1: no ports; ICMP: type, code */
	const char *id;		/* seed 0 */
	const char *id_seed1;	/* NULL: not given by the source */
};

#define A4 "1.2.3.4"
#define B4 "5.6.7.8"
#define A6 "fe80:0001:0203:0405:0607:0809:0A0B:0C0D"
#define B6 "fe80:1011:1213:1415:1617:1819:1A1B:1C1D"

static const struct vec vecs[] = {
	/* baseline/README.md, "Default settings" and "A custom seed=1 value" */
	{ 6, A4, B4, 1122, 3344, "1:wCb3OG7yAFWelaUydu0D+125CLM=", "1:HhA1B+6CoLbiKPEs5nhNYN4XWfk=" },
	{ 6, B4, A4, 3344, 1122, "1:wCb3OG7yAFWelaUydu0D+125CLM=", "1:HhA1B+6CoLbiKPEs5nhNYN4XWfk=" },
	{ 17, A4, B4, 1122, 3344, "1:0Mu9InQx6z4ZiCZM/7HXi2WMhOg=", "1:OShq+iKDAMVouh/4bMxB9Sz4amw=" },
	{ 17, B4, A4, 3344, 1122, "1:0Mu9InQx6z4ZiCZM/7HXi2WMhOg=", "1:OShq+iKDAMVouh/4bMxB9Sz4amw=" },
	{ 132, A4, B4, 1122, 3344, "1:EKt4MsxuyaE6mL+hmrEkQ9csDD8=", "1:uitchpn5MMGAQKBJh7bIr/bAr7s=" },
	{ 132, B4, A4, 3344, 1122, "1:EKt4MsxuyaE6mL+hmrEkQ9csDD8=", "1:uitchpn5MMGAQKBJh7bIr/bAr7s=" },
	{ 1, A4, B4, 8, 0, "1:crodRHL2FEsHjbv3UkRrfbs4bZ0=", "1:9pr4ZGTICiuZoIh90RRYE2RyXpU=" },
	{ 1, B4, A4, 0, 0, "1:crodRHL2FEsHjbv3UkRrfbs4bZ0=", "1:9pr4ZGTICiuZoIh90RRYE2RyXpU=" },
	{ 1, A4, B4, 11, 0, "1:f/YiSyWqczrTgfUCZlBUnvHRcPk=", "1:1DD7cWGC/Yg91YGsQeni8du3pIA=" },
	{ 58, A6, B6, 128, 0, "1:0bf7hyMJUwt3fMED7z8LIfRpBeo=", "1:IO27GQzPuCtNnwFvjWALMHu5tJE=" },
	{ 58, B6, A6, 129, 0, "1:0bf7hyMJUwt3fMED7z8LIfRpBeo=", "1:IO27GQzPuCtNnwFvjWALMHu5tJE=" },
	{ 58, A6, B6, 146, 0, "1:fYC8+pz24E+EhANP1EZhpX0Dw10=", "1:Cv4IKJe56BNkF0MBW2YxQ3Nwc3s=" },
	{ 46, A4, B4, -1, -1, "1:ikv3kmf89luf73WPz1jOs49S768=", "1:/buhqeOmaRCopOZFy9HnoJd5XW8=" },
	{ 46, B4, A4, -1, -1, "1:ikv3kmf89luf73WPz1jOs49S768=", "1:/buhqeOmaRCopOZFy9HnoJd5XW8=" },
	{ 46, A6, B6, -1, -1, "1:wQ/2mwrnXP4lmJcHdGL5ePjR+e0=", "1:j6EyyfBzL4vWKHFXgUqb5Az3OxM=" },
	{ 46, B6, A6, -1, -1, "1:wQ/2mwrnXP4lmJcHdGL5ePjR+e0=", "1:j6EyyfBzL4vWKHFXgUqb5Az3OxM=" },
	/* pycommunityid tests/communityid_test.py */
	{ 1, "192.168.0.89", "192.168.0.1", 8, 0, "1:X0snYXpgwiv9TZtqg64sgzUn6Dk=", "1:03g6IloqVBdcZlPyX8r0hgoE7kA=" },
	{ 1, "192.168.0.1", "192.168.0.89", 0, 8, "1:X0snYXpgwiv9TZtqg64sgzUn6Dk=", "1:03g6IloqVBdcZlPyX8r0hgoE7kA=" },
	/* type 20 has no counterpart: the code is hashed, the direction kept */
	{ 1, "192.168.0.89", "192.168.0.1", 20, 0, "1:3o2RFccXzUgjl7zDpqmY7yJi8rI=", "1:lCXHHxavE1Vq3oX9NH5ladQg02o=" },
	{ 1, "192.168.0.89", "192.168.0.1", 20, 1, "1:tz/fHIDUHs19NkixVVoOZywde+I=", "1:Ie3wmFyxiEyikbsbcO03d2nh+PM=" },
	/* echo reply: the code is ignored */
	{ 1, "192.168.0.1", "192.168.0.89", 0, 20, "1:X0snYXpgwiv9TZtqg64sgzUn6Dk=", "1:03g6IloqVBdcZlPyX8r0hgoE7kA=" },
	{ 58, "fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea", 135, 0, "1:dGHyGvjMfljg6Bppwm3bg0LO8TY=", "1:kHa1FhMYIT6Ym2Vm2AOtoOARDzY=" },
	{ 58, "fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da", 136, 0, "1:dGHyGvjMfljg6Bppwm3bg0LO8TY=", "1:kHa1FhMYIT6Ym2Vm2AOtoOARDzY=" },
	{ 58, "3ffe:507:0:1:260:97ff:fe07:69ea", "3ffe:507:0:1:200:86ff:fe05:80da", 3, 0, "1:NdobDX8PQNJbAyfkWxhtL2Pqp5w=", "1:OlOWx9psIbBFi7lOCw/4MhlKR9M=" },
	{ 58, "3ffe:507:0:1:200:86ff:fe05:80da", "3ffe:507:0:1:260:97ff:fe07:69ea", 3, 0, "1:/OGBt9BN1ofenrmSPWYicpij2Vc=", "1:Ij4ZxnC87/MXzhOjvH2vHu7LRmE=" },
	{ 132, "192.168.170.8", "192.168.170.56", 7, 80, "1:jQgCxbku+pNGw8WPbEc/TS/uTpQ=", "1:Y1/0jQg6e+I3ZwZZ9LP65DNbTXU=" },
	{ 132, "192.168.170.56", "192.168.170.8", 80, 7, "1:jQgCxbku+pNGw8WPbEc/TS/uTpQ=", "1:Y1/0jQg6e+I3ZwZZ9LP65DNbTXU=" },
	{ 6, "128.232.110.120", "66.35.250.204", 34855, 80, "1:LQU9qZlK+B5F3KDmev6m5PMibrg=", "1:3V71V58M3Ksw/yuFALMcW0LAHvc=" },
	{ 6, "66.35.250.204", "128.232.110.120", 80, 34855, "1:LQU9qZlK+B5F3KDmev6m5PMibrg=", "1:3V71V58M3Ksw/yuFALMcW0LAHvc=" },
	/* pycommunityid issue 3: ports compared as numbers */
	{ 6, "10.0.0.1", "10.0.0.2", 10, 11569, "1:SXBGMX1lBOwhhoDrZynfROxnhnM=", "1:HmBRGR+fUyXF4t8WEtal7Y0gEAo=" },
	{ 17, "192.168.1.52", "8.8.8.8", 54585, 53, "1:d/FP5EW3wiY1vCndhwleRRKHowQ=", "1:Q9We8WO3piVF8yEQBNJF4uiSVrI=" },
	{ 17, "8.8.8.8", "192.168.1.52", 53, 54585, "1:d/FP5EW3wiY1vCndhwleRRKHowQ=", "1:Q9We8WO3piVF8yEQBNJF4uiSVrI=" },
	{ 46, "10.1.24.4", "10.1.12.1", -1, -1, "1:/nQI4Rh/TtY3mf0R2gJFBkVlgS4=", "1:BK3BVW3U2eemuwVQVN3zd/GULno=" },
	{ 46, "10.1.12.1", "10.1.24.4", -1, -1, "1:/nQI4Rh/TtY3mf0R2gJFBkVlgS4=", "1:BK3BVW3U2eemuwVQVN3zd/GULno=" },
	/* equal addresses: the smaller port first (computed with Python's
	 * hashlib from the spec's layout) */
	{ 6, "127.0.0.1", "127.0.0.1", 1234, 80, "1:CClrqgOo/86/YM8mzzGpJkw9tqQ=", NULL },
	{ 6, "127.0.0.1", "127.0.0.1", 80, 1234, "1:CClrqgOo/86/YM8mzzGpJkw9tqQ=", NULL },
	/* baseline/baseline_deflt.json (the spec's pcaps) */
	{ 6, "2001:470:e5bf:dead:4957:2174:e82c:4887", "2607:f8b0:400c:c03::1a", 63943, 25, "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=", NULL },
	{ 6, "2607:f8b0:400c:c03::1a", "2001:470:e5bf:dead:4957:2174:e82c:4887", 25, 63943, "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=", NULL },
	{ 58, "3ffe:501:1800:2345::2", "3ffe:507:0:1:200:86ff:fe05:80da", 3, 0, "1:2ObVBgIn28oZvibYZhZMBgh7WdQ=", NULL },
	{ 58, "3ffe:501:410:0:2c0:dfff:fe47:33e", "3ffe:507:0:1:200:86ff:fe05:80da", 1, 4, "1:hLZd0XGWojozrvxqE0dWB1iM6R0=", NULL },
	{ 58, "3ffe:507:0:1:200:86ff:fe05:80da", "3ffe:501:0:1001::2", 128, 0, "1:+TW+HtLHvV1xnGhV1lv7XoJrqQg=", NULL },
	{ 58, "3ffe:501:0:1001::2", "3ffe:507:0:1:200:86ff:fe05:80da", 129, 0, "1:+TW+HtLHvV1xnGhV1lv7XoJrqQg=", NULL },
	{ 58, "fe80::200:86ff:fe05:80da", "ff02::2", 133, 0, "1:hO+sN4H+MG5MY/8hIrXPqc4ZQz0=", NULL },
	{ 58, "fe80::260:97ff:fe07:69ea", "ff02::1", 134, 0, "1:pkvHqCL88/tg1k4cPigmZXUtL00=", NULL },
	{ 1, "10.0.0.1", "10.0.0.2", 11, 0, "1:YHxtAirCG//0OzkcVAukqKQN9xM=", NULL },
	{ 46, "10.1.12.1", "10.1.12.2", -1, -1, "1:KHlLkgoJW7ifUTyTSgyVfkFHzKw=", NULL },
	{ 46, "10.1.12.2", "10.1.12.1", -1, -1, "1:KHlLkgoJW7ifUTyTSgyVfkFHzKw=", NULL },
};

static void parse(const char *s, struct ward_ip *ip)
{
	assert_int_equal(ip_parse(s, strlen(s), ip), 0);
}

static void spec_vectors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof vecs / sizeof vecs[0]; i++) {
		const struct vec *v = &vecs[i];
		struct ward_ip s, d;
		parse(v->src, &s);
		parse(v->dst, &d);
		bool ports = v->sport >= 0;
		uint16_t sp = ports ? (uint16_t)v->sport : 0, dp = ports ? (uint16_t)v->dport : 0;
		char id[COMMUNITY_ID_SIZE];
		memset(id, 'x', sizeof id);
		assert_int_equal(community_id_v1(0, &s, &d, v->proto, ports, sp, dp, id), COMMUNITY_ID_LEN);
		if (strcmp(id, v->id) != 0)
			fail_msg("vector %zu (%s > %s proto %u): %s, want %s", i, v->src, v->dst, v->proto, id, v->id);
		if (v->id_seed1) {
			community_id_v1(1, &s, &d, v->proto, ports, sp, dp, id);
			if (strcmp(id, v->id_seed1) != 0)
				fail_msg("vector %zu seed 1: %s, want %s", i, id, v->id_seed1);
		}
	}
}

static void hex(const uint8_t d[20], char out[41])
{
	for (int i = 0; i < 20; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* FIPS 180 examples, and lengths around the one/two final block edge. */
static void sha1_vectors(void **state)
{
	(void)state;
	uint8_t d[20];
	char h[41];
	community_id_sha1((const uint8_t *)"abc", 3, d);
	hex(d, h);
	assert_string_equal(h, "a9993e364706816aba3e25717850c26c9cd0d89d");
	community_id_sha1((const uint8_t *)"", 0, d);
	hex(d, h);
	assert_string_equal(h, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";	/* 56 bytes */
	community_id_sha1((const uint8_t *)m, strlen(m), d);
	hex(d, h);
	assert_string_equal(h, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
	const char *m2 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
	community_id_sha1((const uint8_t *)m2, strlen(m2), d);	/* 112 bytes */
	hex(d, h);
	assert_string_equal(h, "a49b2446a02c645bf419f995b67091253a04a259");
	uint8_t *a = malloc(1000000);
	memset(a, 'a', 1000000);
	community_id_sha1(a, 1000000, d);
	hex(d, h);
	assert_string_equal(h, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
	free(a);
}

static void decode_eth(const struct pb *p, struct sniff_pkt *k)
{
	assert_int_equal(sniff_decode(SNIFF_DLT_EN10MB, p->b, (uint32_t)p->len, (uint32_t)p->len, k), SNIFF_IP);
}

static void tcp_frame(struct pb *p, const char *s, const char *d, uint16_t sp, uint16_t dp)
{
	memset(p, 0, sizeof *p);
	pb_eth(p, 0x0800);
	pb_ipv4(p, s, d, 6, 5, 20, 0);
	pb_tcp(p, sp, dp, TCPF_SYN, 5);
}

/* Decoded packets: both directions of a TCP flow, ICMP and ICMPv6 echo and
 * reply, and the IP-only hash of other protocols. */
static void packet_ids(void **state)
{
	(void)state;
	struct pb p;
	struct sniff_pkt k;
	char a[COMMUNITY_ID_SIZE], b[COMMUNITY_ID_SIZE];
	tcp_frame(&p, "128.232.110.120", "66.35.250.204", 34855, 80);
	decode_eth(&p, &k);
	assert_int_equal(community_id_packet(&k, a), COMMUNITY_ID_LEN);
	assert_string_equal(a, "1:LQU9qZlK+B5F3KDmev6m5PMibrg=");
	tcp_frame(&p, "66.35.250.204", "128.232.110.120", 80, 34855);
	decode_eth(&p, &k);
	community_id_packet(&k, b);
	assert_string_equal(a, b);

	memset(&p, 0, sizeof p);
	pb_eth(&p, 0x0800);
	pb_ipv4(&p, "192.168.1.52", "8.8.8.8", 17, 5, 8, 0);
	pb_udp(&p, 54585, 53, 0);
	decode_eth(&p, &k);
	community_id_packet(&k, a);
	assert_string_equal(a, "1:d/FP5EW3wiY1vCndhwleRRKHowQ=");

	memset(&p, 0, sizeof p);
	pb_eth(&p, 0x0800);
	pb_ipv4(&p, "192.168.0.1", "192.168.0.89", 1, 5, 8, 0);
	pb_icmp(&p, 0, 0);
	pb_zero(&p, 4);
	decode_eth(&p, &k);
	community_id_packet(&k, a);
	assert_string_equal(a, "1:X0snYXpgwiv9TZtqg64sgzUn6Dk=");

	memset(&p, 0, sizeof p);
	pb_eth(&p, 0x86dd);
	pb_ipv6(&p, "3ffe:501:0:1001::2", "3ffe:507:0:1:200:86ff:fe05:80da", 58, 8);
	pb_icmp(&p, 129, 0);
	pb_zero(&p, 4);
	decode_eth(&p, &k);
	community_id_packet(&k, a);
	assert_string_equal(a, "1:+TW+HtLHvV1xnGhV1lv7XoJrqQg=");

	/* IPv6 with a hop-by-hop header: the protocol after the chain */
	memset(&p, 0, sizeof p);
	pb_eth(&p, 0x86dd);
	pb_ipv6(&p, "2607:f8b0:400c:c03::1a", "2001:470:e5bf:dead:4957:2174:e82c:4887", 0, 28);
	pb_ext8(&p, 6);
	pb_tcp(&p, 25, 63943, TCPF_SYN | TCPF_ACK, 5);
	decode_eth(&p, &k);
	community_id_packet(&k, a);
	assert_string_equal(a, "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=");

	memset(&p, 0, sizeof p);
	pb_eth(&p, 0x0800);
	pb_ipv4(&p, "10.1.12.2", "10.1.12.1", 46, 5, 4, 0);
	pb_zero(&p, 4);
	decode_eth(&p, &k);
	community_id_packet(&k, a);
	assert_string_equal(a, "1:KHlLkgoJW7ifUTyTSgyVfkFHzKw=");
}

/* No ID where the flow's ports were not seen: a non-first fragment of UDP
 * and SCTP (whose ports ward does not decode). The first fragment has
 * them. */
static void packets_without_id(void **state)
{
	(void)state;
	struct pb p;
	struct sniff_pkt k;
	char a[COMMUNITY_ID_SIZE];
	memset(&p, 0, sizeof p);
	pb_eth(&p, 0x0800);
	pb_ipv4(&p, "192.168.1.52", "8.8.8.8", 17, 5, 16, 0x2000);	/* MF, offset 0 */
	pb_udp(&p, 54585, 53, 100);
	pb_zero(&p, 8);
	decode_eth(&p, &k);
	assert_true(k.fragment);
	assert_int_equal(community_id_packet(&k, a), COMMUNITY_ID_LEN);
	assert_string_equal(a, "1:d/FP5EW3wiY1vCndhwleRRKHowQ=");

	memset(&p, 0, sizeof p);
	pb_eth(&p, 0x0800);
	pb_ipv4(&p, "192.168.1.52", "8.8.8.8", 17, 5, 16, 2);	/* offset 16 */
	pb_zero(&p, 16);
	decode_eth(&p, &k);
	assert_int_equal(community_id_packet(&k, a), 0);
	assert_string_equal(a, "");

	memset(&p, 0, sizeof p);
	pb_eth(&p, 0x0800);
	pb_ipv4(&p, "192.168.170.8", "192.168.170.56", 132, 5, 12, 0);
	pb_be16(&p, 7);
	pb_be16(&p, 80);
	pb_zero(&p, 8);
	decode_eth(&p, &k);
	assert_int_equal(community_id_packet(&k, a), 0);

	/* and so no field on the event */
	struct ward_event ev;
	struct ward_buf out = WARD_BUF_INIT;
	event_init(&ev);
	sniff_packet_event(&ev, &k, 0, NULL, NULL);
	event_serialize(&ev, &out);
	assert_null(strstr(buf_cstr(&out), "community_id"));
	buf_free(&out);
	event_free(&ev);
}

/* The packet event carries the ID after proto. */
static void packet_event_field(void **state)
{
	(void)state;
	struct pb p;
	struct sniff_pkt k;
	tcp_frame(&p, "198.18.0.10", "10.0.0.2", 1024, 80);
	decode_eth(&p, &k);
	char id[COMMUNITY_ID_SIZE];
	community_id_packet(&k, id);
	struct ward_event ev;
	struct ward_buf out = WARD_BUF_INIT;
	event_init(&ev);
	const struct sniff_source src = { "file", "c.pcap" };
	sniff_packet_event(&ev, &k, 0, &src, NULL);
	event_serialize(&ev, &out);
	char want[96];
	snprintf(want, sizeof want, "\"proto\":\"TCP\",\"community_id\":\"%s\",\"tcp_flags\":\"S\"", id);
	assert_non_null(strstr(buf_cstr(&out), want));
	buf_free(&out);
	event_free(&ev);
}

/* Through the cache the IDs are the uncached ones: 20,000 packets over
 * 3,000 flows in both directions (the slots collide and evict), IPv4 and
 * IPv6, TCP, UDP, ICMP, many flows per address pair; a repeated flow is a
 * hit. */
static void cache_is_transparent(void **state)
{
	(void)state;
	struct community_id_cache *c = community_id_cache_new();
	uint32_t x = 12345;
	for (int i = 0; i < 20000; i++) {
		x = x * 1103515245u + 12345u;
		unsigned flow = (x >> 8) % 3000;
		struct sniff_pkt k;
		memset(&k, 0, sizeof k);
		bool v6 = flow % 5 == 0, rev = (x >> 20) & 1;
		k.ip_version = v6 ? 6 : 4;
		k.src.family = k.dst.family = v6 ? AF_INET6 : AF_INET;
		/* 40 address pairs, many flows each: flows that differ only
		 * in their ports, some of them in one slot */
		k.src.addr[0] = 10;
		k.src.addr[v6 ? 15 : 3] = (uint8_t)(flow % 40);
		k.dst.addr[0] = 10;
		k.dst.addr[v6 ? 14 : 2] = 1;
		k.proto = flow % 3 == 0 ? IPPROTO_NUM_UDP : flow % 7 == 0 ? (v6 ? IPPROTO_NUM_ICMPV6 : IPPROTO_NUM_ICMP) : IPPROTO_NUM_TCP;
		if (k.proto == IPPROTO_NUM_ICMP || k.proto == IPPROTO_NUM_ICMPV6) {
			k.has_icmp = true;
			k.icmp_type = (uint8_t)(v6 ? 128 + rev : (rev ? 0 : 8));
		} else {
			k.has_ports = true;
			k.sport = (uint16_t)(1024 + flow);
			k.dport = 443;
		}
		if (rev) {
			struct ward_ip t = k.src;
			k.src = k.dst;
			k.dst = t;
			uint16_t p = k.sport;
			k.sport = k.dport;
			k.dport = p;
		}
		char a[COMMUNITY_ID_SIZE], b[COMMUNITY_ID_SIZE];
		assert_int_equal(community_id_packet_cached(c, &k, a), COMMUNITY_ID_LEN);
		community_id_packet(&k, b);
		assert_string_equal(a, b);
	}
	uint64_t lookups, hits;
	community_id_cache_stats(c, &lookups, &hits);
	assert_int_equal(lookups, 20000);
	assert_true(hits > 10000 && hits < 20000 - 3000 + 1);
	community_id_cache_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sha1_vectors),
		cmocka_unit_test(spec_vectors),
		cmocka_unit_test(packet_ids),
		cmocka_unit_test(packets_without_id),
		cmocka_unit_test(packet_event_field),
		cmocka_unit_test(cache_is_transparent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
