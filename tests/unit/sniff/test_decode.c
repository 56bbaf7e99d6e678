/* test_decode.c - the packet decoder on crafted frames, valid and malformed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "stages/sniff/decode.h"
#include "tests/unit/sniff/pktbuild.h"

#define V4A "198.18.0.7"
#define V4B "10.0.0.2"
#define V6A "2001:db8::7"
#define V6B "2001:db8::2"

/* Decode from a heap copy of exactly caplen bytes, so the sanitizer sees any
 * read past the capture. */
static enum sniff_status dec(int lt, const struct pb *p, size_t caplen, size_t wirelen, struct sniff_pkt *out)
{
	uint8_t *copy = malloc(caplen ? caplen : 1);
	memcpy(copy, p->b, caplen);
	enum sniff_status s = sniff_decode(lt, copy, (uint32_t)caplen, (uint32_t)wirelen, out);
	free(copy);
	return s;
}

static enum sniff_status dec_full(int lt, const struct pb *p, struct sniff_pkt *out)
{
	return dec(lt, p, p->len, p->len, out);
}

static void assert_ip(const struct ward_ip *ip, const char *want)
{
	char s[WARD_IP_STRLEN];
	ip_format(ip, s);
	assert_string_equal(s, want);
}

static void build_v4_tcp(struct pb *p, uint16_t flags)
{
	memset(p, 0, sizeof *p);
	pb_eth(p, 0x0800);
	pb_ipv4(p, V4A, V4B, 6, 5, 20, 0);
	pb_tcp(p, 4242, 22, flags, 5);
}

static void eth_ipv4_tcp_syn(void **state)
{
	(void)state;
	struct pb p;
	struct sniff_pkt k;
	build_v4_tcp(&p, TCPF_SYN);
	assert_int_equal(dec_full(SNIFF_DLT_EN10MB, &p, &k), SNIFF_IP);
	assert_int_equal(k.ip_version, 4);
	assert_ip(&k.src, V4A);
	assert_ip(&k.dst, V4B);
	assert_int_equal(k.proto, 6);
	assert_true(k.has_ports);
	assert_int_equal(k.sport, 4242);
	assert_int_equal(k.dport, 22);
	assert_int_equal(k.tcp_flags, TCPF_SYN);
	assert_int_equal(k.payload_len, 0);
	assert_int_equal(k.nvlan, 0);
	assert_true(sniff_is_syn(&k));
	assert_false(sniff_is_synack(&k));
}

static void syn_variants(void **state)
{
	(void)state;
	struct pb p;
	struct sniff_pkt k;
	build_v4_tcp(&p, TCPF_SYN | TCPF_ECE | TCPF_CWR);	/* ECN setup SYN 0xc2 */
	assert_int_equal(dec_full(SNIFF_DLT_EN10MB, &p, &k), SNIFF_IP);
	assert_true(sniff_is_syn(&k));
	build_v4_tcp(&p, TCPF_SYN | TCPF_ECE | TCPF_CWR | TCPF_AE);	/* AccECN 0x1c2 */
	assert_int_equal(dec_full(SNIFF_DLT_EN10MB, &p, &k), SNIFF_IP);
	assert_int_equal(k.tcp_flags, 0x1c2);
	assert_true(sniff_is_syn(&k));
	build_v4_tcp(&p, TCPF_SYN | TCPF_ACK);
	assert_int_equal(dec_full(SNIFF_DLT_EN10MB, &p, &k), SNIFF_IP);
	assert_false(sniff_is_syn(&k));
	assert_true(sniff_is_synack(&k));
}

static void vlan_and_qinq(void **state)
{
	(void)state;
	struct pb p = { 0 };
	struct sniff_pkt k;
	pb_eth(&p, 0x8100);
	pb_vlan(&p, 0x2000 | 200, 0x0800);	/* priority bits are not the id */
	pb_ipv4(&p, V4A, V4B, 6, 5, 20, 0);
	pb_tcp(&p, 1, 80, TCPF_SYN, 5);
	assert_int_equal(dec_full(SNIFF_DLT_EN10MB, &p, &k), SNIFF_IP);
	assert_int_equal(k.nvlan, 1);
	assert_int_equal(k.vlan[0], 200);
	assert_int_equal(k.dport, 80);

	memset(&p, 0, sizeof p);
	pb_eth(&p, 0x88a8);
	pb_vlan(&p, 100, 0x8100);
	pb_vlan(&p, 2001, 0x86dd);
	pb_ipv6(&p, V6A, V6B, 17, 8);
	pb_udp(&p, 53, 5353, 0);
	assert_int_equal(dec_full(SNIFF_DLT_EN10MB, &p, &k), SNIFF_IP);
	assert_int_equal(k.nvlan, 2);
	assert_int_equal(k.vlan[0], 100);
	assert_int_equal(k.vlan[1], 2001);
	assert_int_equal(k.ip_version, 6);
	assert_int_equal(k.dport, 5353);
}

static void other_link_types(void **state)
{
	(void)state;
	struct pb p;
	struct sniff_pkt k;
	/* Linux SLL: 16-byte header, protocol at 14 */
	memset(&p, 0, sizeof p);
	pb_zero(&p, 14);
	pb_be16(&p, 0x0800);
	pb_ipv4(&p, V4A, V4B, 6, 5, 20, 0);
	pb_tcp(&p, 5, 6, TCPF_SYN, 5);
	assert_int_equal(dec_full(SNIFF_DLT_LINUX_SLL, &p, &k), SNIFF_IP);
	assert_int_equal(k.sport, 5);
	/* SLL2: protocol first, 20 bytes */
	memset(&p, 0, sizeof p);
	pb_be16(&p, 0x86dd);
	pb_zero(&p, 18);
	pb_ipv6(&p, V6A, V6B, 6, 20);
	pb_tcp(&p, 7, 8, TCPF_SYN, 5);
	assert_int_equal(dec_full(SNIFF_DLT_LINUX_SLL2, &p, &k), SNIFF_IP);
	assert_int_equal(k.ip_version, 6);
	assert_int_equal(k.dport, 8);
	/* raw IP: version nibble decides */
	memset(&p, 0, sizeof p);
	pb_ipv6(&p, V6A, V6B, 6, 20);
	pb_tcp(&p, 7, 9, TCPF_SYN, 5);
	assert_int_equal(dec_full(SNIFF_DLT_RAW, &p, &k), SNIFF_IP);
	assert_int_equal(dec_full(SNIFF_LINKTYPE_RAW, &p, &k), SNIFF_IP);
	assert_int_equal(dec_full(SNIFF_LINKTYPE_IPV6, &p, &k), SNIFF_IP);
	assert_int_equal(k.dport, 9);
	assert_int_equal(dec_full(SNIFF_LINKTYPE_IPV4, &p, &k), SNIFF_MALFORMED);
	assert_int_equal(k.bad, SNIFF_BAD_IPV4_VERSION);
	/* BSD NULL, little-endian AF_INET, and big-endian AF_INET6 (28) */
	memset(&p, 0, sizeof p);
	pb_bytes(&p, "\x02\x00\x00\x00", 4);
	pb_ipv4(&p, V4A, V4B, 17, 5, 8, 0);
	pb_udp(&p, 1, 2, 0);
	assert_int_equal(dec_full(SNIFF_DLT_NULL, &p, &k), SNIFF_IP);
	assert_int_equal(k.ip_version, 4);
	memset(&p, 0, sizeof p);
	pb_be32(&p, 28);
	pb_ipv6(&p, V6A, V6B, 17, 8);
	pb_udp(&p, 1, 2, 0);
	assert_int_equal(dec_full(SNIFF_DLT_NULL, &p, &k), SNIFF_IP);
	assert_int_equal(dec_full(SNIFF_DLT_LOOP, &p, &k), SNIFF_IP);
	assert_int_equal(k.ip_version, 6);
	/* unknown family: a valid frame that is not IP */
	p.b[3] = 99;
	assert_int_equal(dec_full(SNIFF_DLT_LOOP, &p, &k), SNIFF_NOT_IP);
	/* 802.11 is not decoded */
	assert_int_equal(dec_full(105, &p, &k), SNIFF_UNSUPPORTED);
	assert_false(sniff_link_supported(105));
	assert_true(sniff_link_supported(SNIFF_DLT_LINUX_SLL2));
}

static void not_ip(void **state)
{
	(void)state;
	struct pb p = { 0 };
	struct sniff_pkt k;
	pb_eth(&p, 0x0806);	/* ARP */
	pb_zero(&p, 28);
	assert_int_equal(dec_full(SNIFF_DLT_EN10MB, &p, &k), SNIFF_NOT_IP);
	memset(&p, 0, sizeof p);
	pb_eth(&p, 46);		/* 802.3 length field */
	pb_zero(&p, 46);
	assert_int_equal(dec_full(SNIFF_DLT_EN10MB, &p, &k), SNIFF_NOT_IP);
}

/* An 802.3 length (<= 1500) after VLAN tags is LLC, not an ethertype, up to
 * and including 1500; tags beyond SNIFF_MAX_VLAN are counted, not stored. */
static void tagged_llc_and_many_tags(void **state)
{
	(void)state;
	struct pb p = { 0 };
	struct sniff_pkt k;
	static const uint16_t lens[] = { 46, 1499, 1500 };
	for (size_t i = 0; i < sizeof lens / sizeof *lens; i++) {
		memset(&p, 0, sizeof p);
		pb_eth(&p, 0x8100);
		pb_vlan(&p, 7, lens[i]);
		pb_zero(&p, 46);
		memset(&k, 0, sizeof k);
		assert_int_equal(dec_full(SNIFF_DLT_EN10MB, &p, &k), SNIFF_NOT_IP);
		assert_int_equal(k.ethertype, 0);
		assert_int_equal(k.nvlan, 1);
	}
	memset(&p, 0, sizeof p);
	pb_eth(&p, 0x8100);
	pb_vlan(&p, 100, 0x8100);
	pb_vlan(&p, 200, 0x8100);
	pb_vlan(&p, 0x305, 0x0806);	/* ARP inside three tags */
	pb_zero(&p, 28);
	memset(&k, 0, sizeof k);
	assert_int_equal(dec_full(SNIFF_DLT_EN10MB, &p, &k), SNIFF_NOT_IP);
	assert_int_equal(k.nvlan, 3);
	assert_int_equal(k.vlan[0], 100);
	assert_int_equal(k.vlan[1], 200);
	assert_int_equal(k.ip_version, 0);
	assert_int_equal(k.proto, 0);
}

static void ipv4_options_and_padding(void **state)
{
	(void)state;
	struct pb p = { 0 };
	struct sniff_pkt k;
	pb_eth(&p, 0x0800);
	pb_ipv4(&p, V4A, V4B, 6, 7, 24, 0);	/* 8 bytes of options */
	pb_tcp(&p, 1000, 443, TCPF_PSH | TCPF_ACK, 5);
	pb_zero(&p, 4);		/* payload */
	pb_zero(&p, 10);	/* Ethernet padding beyond the IP length */
	assert_int_equal(dec_full(SNIFF_DLT_EN10MB, &p, &k), SNIFF_IP);
	assert_int_equal(k.dport, 443);
	assert_int_equal(k.payload_len, 4);
	assert_int_equal(k.ip_len, 28 + 24);
}

static void ipv4_fragments(void **state)
{
	(void)state;
	struct pb p = { 0 };
	struct sniff_pkt k;
	pb_eth(&p, 0x0800);
	pb_ipv4(&p, V4A, V4B, 17, 5, 16, 0x2000);	/* MF, offset 0 */
	pb_udp(&p, 53, 4000, 1472);
	pb_zero(&p, 8);
	assert_int_equal(dec_full(SNIFF_DLT_EN10MB, &p, &k), SNIFF_IP);
	assert_true(k.fragment);
	assert_true(k.has_ports);
	assert_int_equal(k.sport, 53);
	assert_int_equal(k.payload_len, 8);	/* what this fragment carries */

	memset(&p, 0, sizeof p);
	pb_eth(&p, 0x0800);
	pb_ipv4(&p, V4A, V4B, 17, 5, 16, 185);	/* offset 1480, no UDP header */
	pb_bytes(&p, "\x00\x35\x0f\xa0\xff\xff\x00\x00", 8);
	pb_zero(&p, 8);
	assert_int_equal(dec_full(SNIFF_DLT_EN10MB, &p, &k), SNIFF_IP);
	assert_true(k.fragment);
	assert_int_equal(k.frag_offset, 1480);
	assert_false(k.has_ports);
	assert_int_equal(k.payload_len, 16);
}

static void ipv4_big_tcp_length_zero(void **state)
{
	(void)state;
	struct pb p = { 0 };
	struct sniff_pkt k;
	pb_eth(&p, 0x0800);
	size_t ip = pb_ipv4(&p, V4A, V4B, 6, 5, 20, 0);
	pb_tcp(&p, 1, 2, TCPF_ACK, 5);
	pb_zero(&p, 100);
	pb_set16(&p, ip + 2, 0);
	assert_int_equal(dec_full(SNIFF_DLT_EN10MB, &p, &k), SNIFF_IP);
	assert_true(k.len_from_frame);
	assert_int_equal(k.payload_len, 100);
}

static void ipv6_extension_chain(void **state)
{
	(void)state;
	struct pb p = { 0 };
	struct sniff_pkt k;
	pb_eth(&p, 0x86dd);
	pb_ipv6(&p, V6A, V6B, 0, 8 + 8 + 12 + 20);
	pb_ext8(&p, 60);	/* hop-by-hop -> destination options */
	pb_ext8(&p, 51);	/* -> AH */
	pb_u8(&p, 6);		/* AH: next TCP, length 1 => (1+2)*4 = 12 bytes */
	pb_u8(&p, 1);
	pb_zero(&p, 10);
	pb_tcp(&p, 9999, 80, TCPF_SYN, 5);
	assert_int_equal(dec_full(SNIFF_DLT_EN10MB, &p, &k), SNIFF_IP);
	assert_int_equal(k.proto, 6);
	assert_int_equal(k.dport, 80);
	assert_true(sniff_is_syn(&k));

	/* fragment header: first fragment has ports, a later one not */
	memset(&p, 0, sizeof p);
	pb_eth(&p, 0x86dd);
	pb_ipv6(&p, V6A, V6B, 44, 8 + 8);
	pb_frag6(&p, 17, 0, 1);
	pb_udp(&p, 53, 53, 100);
	assert_int_equal(dec_full(SNIFF_DLT_EN10MB, &p, &k), SNIFF_IP);
	assert_true(k.fragment);
	assert_true(k.has_ports);
	memset(&p, 0, sizeof p);
	pb_eth(&p, 0x86dd);
	pb_ipv6(&p, V6A, V6B, 44, 8 + 8);
	pb_frag6(&p, 17, 1232, 0);
	pb_zero(&p, 8);
	assert_int_equal(dec_full(SNIFF_DLT_EN10MB, &p, &k), SNIFF_IP);
	assert_true(k.fragment);
	assert_int_equal(k.frag_offset, 1232);
	assert_false(k.has_ports);
	assert_int_equal(k.proto, 17);
}

static void icmp_both(void **state)
{
	(void)state;
	struct pb p = { 0 };
	struct sniff_pkt k;
	pb_eth(&p, 0x0800);
	pb_ipv4(&p, V4A, V4B, 1, 5, 8, 0);
	pb_icmp(&p, 8, 0);
	assert_int_equal(dec_full(SNIFF_DLT_EN10MB, &p, &k), SNIFF_IP);
	assert_true(k.has_icmp);
	assert_int_equal(k.icmp_type, 8);
	assert_false(k.has_ports);
	memset(&p, 0, sizeof p);
	pb_eth(&p, 0x86dd);
	pb_ipv6(&p, V6A, V6B, 58, 8);
	pb_icmp(&p, 135, 0);
	assert_int_equal(dec_full(SNIFF_DLT_EN10MB, &p, &k), SNIFF_IP);
	assert_int_equal(k.icmp_type, 135);
}

/* ---- malformed: one case per reason ------------------------------------ */

static void expect_bad(int lt, const struct pb *p, size_t caplen, size_t wirelen, enum sniff_bad why)
{
	struct sniff_pkt k;
	assert_int_equal(dec(lt, p, caplen, wirelen, &k), SNIFF_MALFORMED);
	if (k.bad != why)
		fail_msg("reason %s, want %s", sniff_bad_name(k.bad), sniff_bad_name(why));
	assert_string_not_equal(sniff_bad_name(why), "unknown");
}

static void malformed_link(void **state)
{
	(void)state;
	struct pb p;
	build_v4_tcp(&p, TCPF_SYN);
	expect_bad(SNIFF_DLT_EN10MB, &p, 10, 60, SNIFF_BAD_LINK_TRUNC);
	expect_bad(SNIFF_DLT_EN10MB, &p, 0, 60, SNIFF_BAD_LINK_TRUNC);
	expect_bad(SNIFF_DLT_LINUX_SLL, &p, 15, 60, SNIFF_BAD_LINK_TRUNC);
	expect_bad(SNIFF_DLT_LINUX_SLL2, &p, 19, 60, SNIFF_BAD_LINK_TRUNC);
	expect_bad(SNIFF_DLT_NULL, &p, 3, 60, SNIFF_BAD_LINK_TRUNC);
	expect_bad(SNIFF_DLT_RAW, &p, 0, 60, SNIFF_BAD_LINK_TRUNC);
	/* raw IP with version 0 (the Ethernet MAC's first byte is 0x02) */
	expect_bad(SNIFF_DLT_RAW, &p, p.len, p.len, SNIFF_BAD_RAW_VERSION);

	memset(&p, 0, sizeof p);
	pb_eth(&p, 0x8100);
	pb_be16(&p, 200);	/* TCI without the inner type */
	expect_bad(SNIFF_DLT_EN10MB, &p, p.len, 60, SNIFF_BAD_VLAN_TRUNC);
	memset(&p, 0, sizeof p);
	pb_eth(&p, 0x8100);
	for (int i = 0; i < SNIFF_VLAN_WALK + 1; i++)
		pb_vlan(&p, 1, 0x8100);
	expect_bad(SNIFF_DLT_EN10MB, &p, p.len, p.len, SNIFF_BAD_VLAN_TOO_MANY);
}

static void malformed_ipv4(void **state)
{
	(void)state;
	struct pb p;
	build_v4_tcp(&p, TCPF_SYN);
	expect_bad(SNIFF_DLT_EN10MB, &p, 26, 54, SNIFF_BAD_IPV4_TRUNC);	/* snaplen in IP header */
	p.b[14] = 0x43;							/* IHL 3 */
	expect_bad(SNIFF_DLT_EN10MB, &p, p.len, p.len, SNIFF_BAD_IPV4_HLEN);
	build_v4_tcp(&p, TCPF_SYN);
	p.b[14] = 0x4f;							/* IHL 15 > total 40 */
	expect_bad(SNIFF_DLT_EN10MB, &p, p.len, p.len, SNIFF_BAD_IPV4_IPLEN_LT_HLEN);
	build_v4_tcp(&p, TCPF_SYN);
	pb_set16(&p, 16, 10);						/* total length 10 */
	expect_bad(SNIFF_DLT_EN10MB, &p, p.len, p.len, SNIFF_BAD_IPV4_IPLEN_LT_HLEN);
	build_v4_tcp(&p, TCPF_SYN);
	pb_set16(&p, 16, 1500);						/* longer than the wire */
	expect_bad(SNIFF_DLT_EN10MB, &p, p.len, p.len, SNIFF_BAD_IPV4_TRUNC_PKT);
	build_v4_tcp(&p, TCPF_SYN);
	p.b[14] = 0x65;							/* version 6 under 0x0800 */
	expect_bad(SNIFF_DLT_EN10MB, &p, p.len, p.len, SNIFF_BAD_IPV4_VERSION);
	/* options cut by the snaplen */
	memset(&p, 0, sizeof p);
	pb_eth(&p, 0x0800);
	pb_ipv4(&p, V4A, V4B, 6, 8, 20, 0);
	pb_tcp(&p, 1, 2, TCPF_SYN, 5);
	expect_bad(SNIFF_DLT_EN10MB, &p, 14 + 28, p.len, SNIFF_BAD_IPV4_TRUNC);
}

static void malformed_ipv6(void **state)
{
	(void)state;
	struct pb p = { 0 };
	pb_eth(&p, 0x86dd);
	pb_ipv6(&p, V6A, V6B, 6, 20);
	pb_tcp(&p, 1, 2, TCPF_SYN, 5);
	expect_bad(SNIFF_DLT_EN10MB, &p, 44, p.len, SNIFF_BAD_IPV6_TRUNC);
	pb_set16(&p, 18, 1000);
	expect_bad(SNIFF_DLT_EN10MB, &p, p.len, p.len, SNIFF_BAD_IPV6_TRUNC_PKT);
	pb_set16(&p, 18, 20);
	p.b[14] = 0x40;
	expect_bad(SNIFF_DLT_EN10MB, &p, p.len, p.len, SNIFF_BAD_IPV6_VERSION);
	/* extension header claiming more than the payload */
	memset(&p, 0, sizeof p);
	pb_eth(&p, 0x86dd);
	pb_ipv6(&p, V6A, V6B, 0, 8);
	size_t e = pb_ext8(&p, 6);
	p.b[e + 1] = 4;		/* (4+1)*8 = 40 bytes */
	expect_bad(SNIFF_DLT_EN10MB, &p, p.len, p.len, SNIFF_BAD_IPV6_EXTHDR);
	/* extension header cut by the snaplen */
	memset(&p, 0, sizeof p);
	pb_eth(&p, 0x86dd);
	pb_ipv6(&p, V6A, V6B, 60, 28);
	pb_ext8(&p, 6);
	pb_tcp(&p, 1, 2, TCPF_SYN, 5);
	expect_bad(SNIFF_DLT_EN10MB, &p, 14 + 40 + 1, p.len, SNIFF_BAD_IPV6_EXTHDR);
	/* a chain longer than we walk */
	memset(&p, 0, sizeof p);
	pb_eth(&p, 0x86dd);
	pb_ipv6(&p, V6A, V6B, 60, (SNIFF_MAX_EXTHDR + 2) * 8);
	for (int i = 0; i < SNIFF_MAX_EXTHDR + 2; i++)
		pb_ext8(&p, 60);
	expect_bad(SNIFF_DLT_EN10MB, &p, p.len, p.len, SNIFF_BAD_IPV6_EXTHDR);
}

static void malformed_transport(void **state)
{
	(void)state;
	struct pb p;
	build_v4_tcp(&p, TCPF_SYN);
	expect_bad(SNIFF_DLT_EN10MB, &p, 44, 54, SNIFF_BAD_TCP_TRUNC);	/* before the flags */
	p.b[46] = 0x20;							/* data offset 2 */
	expect_bad(SNIFF_DLT_EN10MB, &p, p.len, p.len, SNIFF_BAD_TCP_HLEN);
	p.b[46] = 0xf0;							/* 60 > 20-byte segment */
	expect_bad(SNIFF_DLT_EN10MB, &p, p.len, p.len, SNIFF_BAD_TCP_HLEN);
	/* IP says the segment is 12 bytes: no room for a TCP header */
	memset(&p, 0, sizeof p);
	pb_eth(&p, 0x0800);
	pb_ipv4(&p, V4A, V4B, 6, 5, 12, 0);
	pb_tcp(&p, 1, 2, TCPF_SYN, 5);
	expect_bad(SNIFF_DLT_EN10MB, &p, p.len, p.len, SNIFF_BAD_TCP_TRUNC);

	memset(&p, 0, sizeof p);
	pb_eth(&p, 0x0800);
	pb_ipv4(&p, V4A, V4B, 17, 5, 8, 0);
	size_t u = pb_udp(&p, 1, 2, 0);
	expect_bad(SNIFF_DLT_EN10MB, &p, p.len - 3, p.len, SNIFF_BAD_UDP_TRUNC);
	pb_set16(&p, u + 4, 4);
	expect_bad(SNIFF_DLT_EN10MB, &p, p.len, p.len, SNIFF_BAD_UDP_LEN);

	memset(&p, 0, sizeof p);
	pb_eth(&p, 0x0800);
	pb_ipv4(&p, V4A, V4B, 1, 5, 8, 0);
	pb_icmp(&p, 8, 0);
	expect_bad(SNIFF_DLT_EN10MB, &p, 14 + 20 + 1, p.len, SNIFF_BAD_ICMP_TRUNC);
	memset(&p, 0, sizeof p);
	pb_eth(&p, 0x86dd);
	pb_ipv6(&p, V6A, V6B, 58, 8);
	pb_icmp(&p, 128, 0);
	expect_bad(SNIFF_DLT_EN10MB, &p, 14 + 40 + 1, p.len, SNIFF_BAD_ICMPV6_TRUNC);
}

/* Every prefix of every frame above: never a read past caplen (ASan), and
 * a result that is either decoded or malformed with a named reason. */
static void every_truncation(void **state)
{
	(void)state;
	static const int links[] = { SNIFF_DLT_EN10MB, SNIFF_DLT_LINUX_SLL, SNIFF_DLT_LINUX_SLL2,
				     SNIFF_DLT_RAW, SNIFF_DLT_NULL, SNIFF_DLT_LOOP,
				     SNIFF_LINKTYPE_IPV4, SNIFF_LINKTYPE_IPV6 };
	struct pb frames[4];
	memset(frames, 0, sizeof frames);
	build_v4_tcp(&frames[0], TCPF_SYN);
	pb_eth(&frames[1], 0x86dd);
	pb_ipv6(&frames[1], V6A, V6B, 0, 8 + 8 + 20);
	pb_ext8(&frames[1], 44);
	pb_frag6(&frames[1], 6, 0, 1);
	pb_tcp(&frames[1], 1, 2, TCPF_SYN, 5);
	pb_eth(&frames[2], 0x88a8);
	pb_vlan(&frames[2], 1, 0x8100);
	pb_vlan(&frames[2], 2, 0x0800);
	pb_ipv4(&frames[2], V4A, V4B, 17, 6, 8, 0);
	pb_udp(&frames[2], 1, 2, 0);
	pb_eth(&frames[3], 0x0800);
	pb_ipv4(&frames[3], V4A, V4B, 1, 5, 8, 0);
	pb_icmp(&frames[3], 3, 3);
	for (size_t f = 0; f < 4; f++)
		for (size_t l = 0; l < sizeof links / sizeof links[0]; l++)
			for (size_t cap = 0; cap <= frames[f].len; cap++) {
				struct sniff_pkt k;
				enum sniff_status s = dec(links[l], &frames[f], cap, frames[f].len, &k);
				if (s == SNIFF_MALFORMED)
					assert_true(k.bad > SNIFF_BAD_NONE && k.bad < SNIFF_BAD_N);
				else
					assert_int_equal(k.bad, SNIFF_BAD_NONE);
			}
	assert_string_equal(sniff_bad_name(SNIFF_BAD_N), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(eth_ipv4_tcp_syn),
		cmocka_unit_test(syn_variants),
		cmocka_unit_test(vlan_and_qinq),
		cmocka_unit_test(tagged_llc_and_many_tags),
		cmocka_unit_test(other_link_types),
		cmocka_unit_test(not_ip),
		cmocka_unit_test(ipv4_options_and_padding),
		cmocka_unit_test(ipv4_fragments),
		cmocka_unit_test(ipv4_big_tcp_length_zero),
		cmocka_unit_test(ipv6_extension_chain),
		cmocka_unit_test(icmp_both),
		cmocka_unit_test(malformed_link),
		cmocka_unit_test(malformed_ipv4),
		cmocka_unit_test(malformed_ipv6),
		cmocka_unit_test(malformed_transport),
		cmocka_unit_test(every_truncation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
