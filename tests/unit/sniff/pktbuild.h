/* pktbuild.h - crafting frames for the sniff unit tests (header only).
 *
 * A frame is built layer by layer into a struct pb; helpers return the
 * offset of what they wrote so a test can corrupt a field afterwards. */
#ifndef WARD_TEST_PKTBUILD_H
#define WARD_TEST_PKTBUILD_H

#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>

struct pb {
	uint8_t b[2048];
	size_t len;
};

static inline size_t pb_bytes(struct pb *p, const void *src, size_t n)
{
	size_t at = p->len;
	memcpy(p->b + p->len, src, n);
	p->len += n;
	return at;
}

static inline size_t pb_u8(struct pb *p, uint8_t v)
{
	return pb_bytes(p, &v, 1);
}

static inline size_t pb_be16(struct pb *p, uint16_t v)
{
	uint8_t x[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	return pb_bytes(p, x, 2);
}

static inline size_t pb_be32(struct pb *p, uint32_t v)
{
	uint8_t x[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
	return pb_bytes(p, x, 4);
}

static inline size_t pb_zero(struct pb *p, size_t n)
{
	size_t at = p->len;
	memset(p->b + p->len, 0, n);
	p->len += n;
	return at;
}

static inline void pb_set16(struct pb *p, size_t at, uint16_t v)
{
	p->b[at] = (uint8_t)(v >> 8);
	p->b[at + 1] = (uint8_t)v;
}

static inline size_t pb_eth(struct pb *p, uint16_t ethertype)
{
	static const uint8_t macs[12] = { 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2 };
	size_t at = pb_bytes(p, macs, 12);
	pb_be16(p, ethertype);
	return at;
}

static inline size_t pb_vlan(struct pb *p, uint16_t vid, uint16_t next)
{
	size_t at = pb_be16(p, vid);
	pb_be16(p, next);
	return at;
}

/* IPv4 header; total = header + payload_len; ihl_words >= 5 adds NOP options. */
static inline size_t pb_ipv4(struct pb *p, const char *src, const char *dst, uint8_t proto,
			     unsigned ihl_words, uint16_t payload_len, uint16_t frag)
{
	uint8_t s[4], d[4];
	inet_pton(AF_INET, src, s);
	inet_pton(AF_INET, dst, d);
	size_t at = pb_u8(p, (uint8_t)(0x40 | ihl_words));
	pb_u8(p, 0);
	pb_be16(p, (uint16_t)(ihl_words * 4 + payload_len));
	pb_be16(p, 0x1234);
	pb_be16(p, frag);
	pb_u8(p, 64);
	pb_u8(p, proto);
	pb_be16(p, 0);
	pb_bytes(p, s, 4);
	pb_bytes(p, d, 4);
	for (unsigned i = 5; i < ihl_words; i++)
		pb_be32(p, 0x01010101);	/* NOPs */
	return at;
}

static inline size_t pb_ipv6(struct pb *p, const char *src, const char *dst, uint8_t nh, uint16_t plen)
{
	uint8_t s[16], d[16];
	inet_pton(AF_INET6, src, s);
	inet_pton(AF_INET6, dst, d);
	size_t at = pb_be32(p, 0x60000000);
	pb_be16(p, plen);
	pb_u8(p, nh);
	pb_u8(p, 64);
	pb_bytes(p, s, 16);
	pb_bytes(p, d, 16);
	return at;
}

/* 8-byte generic extension header (hop-by-hop, destination options). */
static inline size_t pb_ext8(struct pb *p, uint8_t nh)
{
	size_t at = pb_u8(p, nh);
	pb_u8(p, 0);
	pb_zero(p, 6);
	return at;
}

static inline size_t pb_frag6(struct pb *p, uint8_t nh, uint16_t offset_bytes, int more)
{
	size_t at = pb_u8(p, nh);
	pb_u8(p, 0);
	pb_be16(p, (uint16_t)((offset_bytes & 0xfff8) | (more ? 1 : 0)));
	pb_be32(p, 42);
	return at;
}

/* 20-byte TCP header plus (doff_words - 5) words of NOP options. */
static inline size_t pb_tcp(struct pb *p, uint16_t sport, uint16_t dport, uint16_t flags, unsigned doff_words)
{
	size_t at = pb_be16(p, sport);
	pb_be16(p, dport);
	pb_be32(p, 1000);
	pb_be32(p, 0);
	pb_u8(p, (uint8_t)(doff_words << 4 | ((flags >> 8) & 1)));
	pb_u8(p, (uint8_t)flags);
	pb_be16(p, 512);
	pb_be16(p, 0);
	pb_be16(p, 0);
	for (unsigned i = 5; i < doff_words; i++)
		pb_be32(p, 0x01010101);
	return at;
}

static inline size_t pb_udp(struct pb *p, uint16_t sport, uint16_t dport, uint16_t payload)
{
	size_t at = pb_be16(p, sport);
	pb_be16(p, dport);
	pb_be16(p, (uint16_t)(8 + payload));
	pb_be16(p, 0);
	return at;
}

static inline size_t pb_icmp(struct pb *p, uint8_t type, uint8_t code)
{
	size_t at = pb_u8(p, type);
	pb_u8(p, code);
	pb_be16(p, 0);
	pb_be32(p, 0x00010001);
	return at;
}

#endif
