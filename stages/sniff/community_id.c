/* community_id.c - Community ID v1 over decoded packets, and the SHA-1 it
 * needs. See community_id.h for the layout; the ICMP tables are Zeek's
 * (ICMP4_counterpart / ICMP6_counterpart), as the spec and its reference
 * implementation (pycommunityid) use them. */
#include "stages/sniff/community_id.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "buf.h"

/* ---- SHA-1 ------------------------------------------------------------ */

static uint32_t rol(uint32_t x, unsigned n)
{
	return (x << n) | (x >> (32 - n));
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* One 64-byte block. The rounds are written out five at a time with the
 * working variables rotating through the macro arguments instead of being
 * moved, and the message schedule lives in a 16-word ring: this runs once
 * per packet in packet mode, and the plain loop (an 80-word schedule, a
 * branch per round, four moves per round) cost twice as much. */
#define SCHED(i) (w[(i) & 15] = rol(w[((i) + 13) & 15] ^ w[((i) + 8) & 15] ^ w[((i) + 2) & 15] ^ w[(i) & 15], 1))
#define F0(b, c, d) (((c) ^ (d)) & (b)) ^ (d)
#define F1(b, c, d) ((b) ^ (c) ^ (d))
#define F2(b, c, d) ((((b) | (c)) & (d)) | ((b) & (c)))
#define ROUND(a, b, c, d, e, f, k, wi) \
	do { \
		(e) += rol((a), 5) + (f((b), (c), (d))) + (k) + (wi); \
		(b) = rol((b), 30); \
	} while (0)
#define FIVE(f, k, i, W) \
	do { \
		ROUND(a, b, c, d, e, f, k, W((i))); \
		ROUND(e, a, b, c, d, f, k, W((i) + 1)); \
		ROUND(d, e, a, b, c, f, k, W((i) + 2)); \
		ROUND(c, d, e, a, b, f, k, W((i) + 3)); \
		ROUND(b, c, d, e, a, f, k, W((i) + 4)); \
	} while (0)
#define WLOAD(i) (w[(i)])

static void sha1_block(uint32_t h[5], const uint8_t block[64])
{
	uint32_t w[16];
	for (int i = 0; i < 16; i++)
		w[i] = be32(block + 4 * i);
	uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
	FIVE(F0, 0x5a827999u, 0, WLOAD);
	FIVE(F0, 0x5a827999u, 5, WLOAD);
	FIVE(F0, 0x5a827999u, 10, WLOAD);
	ROUND(a, b, c, d, e, F0, 0x5a827999u, w[15]);
	ROUND(e, a, b, c, d, F0, 0x5a827999u, SCHED(16));
	ROUND(d, e, a, b, c, F0, 0x5a827999u, SCHED(17));
	ROUND(c, d, e, a, b, F0, 0x5a827999u, SCHED(18));
	ROUND(b, c, d, e, a, F0, 0x5a827999u, SCHED(19));
	for (int i = 20; i < 40; i += 5)
		FIVE(F1, 0x6ed9eba1u, i, SCHED);
	for (int i = 40; i < 60; i += 5)
		FIVE(F2, 0x8f1bbcdcu, i, SCHED);
	for (int i = 60; i < 80; i += 5)
		FIVE(F1, 0xca62c1d6u, i, SCHED);
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

void community_id_sha1(const uint8_t *msg, size_t len, uint8_t digest[20])
{
	uint32_t h[5] = { 0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u, 0xc3d2e1f0u };
	size_t off = 0;
	for (; len - off >= 64; off += 64)
		sha1_block(h, msg + off);
	/* The rest, 0x80, zeros, and the length in bits: one block, or two
	 * when the rest leaves fewer than 9 bytes. */
	uint8_t tail[128] = { 0 };
	size_t rest = len - off, n = rest + 9 <= 64 ? 64 : 128;
	if (rest)
		memcpy(tail, msg + off, rest);
	tail[rest] = 0x80;
	uint64_t bits = (uint64_t)len * 8u;
	for (int i = 0; i < 8; i++)
		tail[n - 1 - (size_t)i] = (uint8_t)(bits >> (8 * i));
	for (size_t i = 0; i < n; i += 64)
		sha1_block(h, tail + i);
	for (int i = 0; i < 5; i++) {
		digest[4 * i] = (uint8_t)(h[i] >> 24);
		digest[4 * i + 1] = (uint8_t)(h[i] >> 16);
		digest[4 * i + 2] = (uint8_t)(h[i] >> 8);
		digest[4 * i + 3] = (uint8_t)h[i];
	}
}

/* ---- the ID ----------------------------------------------------------- */

/* Zeek's ICMP "counterpart" types: a request and its reply are one flow.
 * Returns -1 for a type without one (a one-way message). */
static int icmp4_counterpart(unsigned type)
{
	switch (type) {
	case 8: return 0;	/* echo -> echo reply */
	case 0: return 8;
	case 13: return 14;	/* timestamp */
	case 14: return 13;
	case 15: return 16;	/* information */
	case 16: return 15;
	case 10: return 9;	/* router solicitation -> advertisement */
	case 9: return 10;
	case 17: return 18;	/* address mask */
	case 18: return 17;
	default: return -1;
	}
}

static int icmp6_counterpart(unsigned type)
{
	switch (type) {
	case 128: return 129;	/* echo request -> reply */
	case 129: return 128;
	case 130: return 131;	/* MLD listener query -> report */
	case 131: return 130;
	case 133: return 134;	/* router solicitation -> advertisement */
	case 134: return 133;
	case 135: return 136;	/* neighbor solicitation -> advertisement */
	case 136: return 135;
	case 139: return 140;	/* node information query -> reply (WRU) */
	case 140: return 139;
	case 144: return 145;	/* home agent address discovery */
	case 145: return 144;
	default: return -1;
	}
}

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* 20 bytes -> 28 characters (the last group has 2 bytes: one '='). */
static void base64_20(const uint8_t in[20], char out[28])
{
	int o = 0;
	for (int i = 0; i < 18; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
		out[o++] = b64[v >> 18];
		out[o++] = b64[(v >> 12) & 63];
		out[o++] = b64[(v >> 6) & 63];
		out[o++] = b64[v & 63];
	}
	uint32_t v = (uint32_t)in[18] << 16 | (uint32_t)in[19] << 8;
	out[o++] = b64[v >> 18];
	out[o++] = b64[(v >> 12) & 63];
	out[o++] = b64[(v >> 6) & 63];
	out[o] = '=';
}

#define CID_INPUT_MAX 40	/* seed 2, addresses 2 x 16, proto + pad 2, ports 4 */

/* The hash input of a tuple, ordered and ICMP-mapped; returns its length. */
static size_t cid_input(uint16_t seed, const struct ward_ip *src, const struct ward_ip *dst,
			uint8_t proto, bool has_ports, uint16_t sport, uint16_t dport,
			uint8_t in[CID_INPUT_MAX])
{
	size_t alen = src->family == AF_INET6 ? 16 : 4;
	bool one_way = false;
	if (has_ports && (proto == IPPROTO_NUM_ICMP || proto == IPPROTO_NUM_ICMPV6)) {
		int peer = proto == IPPROTO_NUM_ICMP ? icmp4_counterpart(sport) : icmp6_counterpart(sport);
		if (peer >= 0)
			dport = (uint16_t)peer;
		else
			one_way = true;	/* type and code, in the packet's direction */
	}
	const uint8_t *a = src->addr, *b = dst->addr;
	int cmp = memcmp(a, b, alen);
	/* Smaller address first; equal addresses: smaller port first. */
	if (!one_way && (cmp > 0 || (cmp == 0 && has_ports && sport > dport))) {
		const uint8_t *t = a;
		a = b;
		b = t;
		uint16_t p = sport;
		sport = dport;
		dport = p;
	}
	uint8_t *q = in;
	put_be16(q, seed);
	q += 2;
	memcpy(q, a, alen);
	q += alen;
	memcpy(q, b, alen);
	q += alen;
	*q++ = proto;
	*q++ = 0;
	if (has_ports) {
		put_be16(q, sport);
		put_be16(q + 2, dport);
		q += 4;
	}
	return (size_t)(q - in);
}

static size_t cid_render(const uint8_t *in, size_t n, char out[COMMUNITY_ID_SIZE])
{
	uint8_t digest[20];
	community_id_sha1(in, n, digest);
	out[0] = '1';
	out[1] = ':';
	base64_20(digest, out + 2);
	out[COMMUNITY_ID_LEN] = '\0';
	return COMMUNITY_ID_LEN;
}

size_t community_id_v1(uint16_t seed, const struct ward_ip *src, const struct ward_ip *dst,
		       uint8_t proto, bool has_ports, uint16_t sport, uint16_t dport,
		       char out[COMMUNITY_ID_SIZE])
{
	uint8_t in[CID_INPUT_MAX];
	return cid_render(in, cid_input(seed, src, dst, proto, has_ports, sport, dport, in), out);
}

/* The tuple of a packet, or false when it has no ID (see the header). */
static bool packet_tuple(const struct sniff_pkt *p, bool *ports, uint16_t *sp, uint16_t *dp)
{
	if (p->ip_version != 4 && p->ip_version != 6)
		return false;
	if (p->has_ports) {
		*ports = true;
		*sp = p->sport;
		*dp = p->dport;
		return true;
	}
	if (p->has_icmp) {
		*ports = true;
		*sp = p->icmp_type;
		*dp = p->icmp_code;
		return true;
	}
	switch (p->proto) {
	case IPPROTO_NUM_TCP: case IPPROTO_NUM_UDP: case COMMUNITY_ID_PROTO_SCTP:
	case IPPROTO_NUM_ICMP: case IPPROTO_NUM_ICMPV6:
		return false;	/* a flow with ports we did not see */
	default:
		*ports = false;
		*sp = *dp = 0;
		return true;
	}
}

size_t community_id_packet(const struct sniff_pkt *p, char out[COMMUNITY_ID_SIZE])
{
	return community_id_packet_cached(NULL, p, out);
}

/* 4096 slots of 80 bytes (320 KiB): enough for the flows active at once
 * on a busy link to mostly stay, small enough to stay in L2/L3. */
#define CID_CACHE_BITS 12

struct cid_slot {
	uint8_t len;			/* 0: empty */
	uint8_t in[CID_INPUT_MAX];
	char id[COMMUNITY_ID_LEN];
};

struct community_id_cache {
	uint64_t lookups, hits;
	struct cid_slot slot[1u << CID_CACHE_BITS];
};

struct community_id_cache *community_id_cache_new(void)
{
	return ward_xcalloc(1, sizeof(struct community_id_cache));
}

void community_id_cache_free(struct community_id_cache *c)
{
	free(c);
}

void community_id_cache_stats(const struct community_id_cache *c, uint64_t *lookups, uint64_t *hits)
{
	*lookups = c ? c->lookups : 0;
	*hits = c ? c->hits : 0;
}

static size_t slot_of(const uint8_t in[CID_INPUT_MAX], size_t n)
{
	uint64_t h = n;
	for (size_t i = 0; i < CID_INPUT_MAX; i += 8) {
		uint64_t w;
		memcpy(&w, in + i, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15u;
	}
	return (size_t)(h >> (64 - CID_CACHE_BITS));
}

size_t community_id_packet_cached(struct community_id_cache *c, const struct sniff_pkt *p,
				  char out[COMMUNITY_ID_SIZE])
{
	bool ports;
	uint16_t sp, dp;
	out[0] = '\0';
	if (!packet_tuple(p, &ports, &sp, &dp))
		return 0;
	uint8_t in[CID_INPUT_MAX] = { 0 };	/* zero tail: the slot hash reads all of it */
	size_t n = cid_input(0, &p->src, &p->dst, p->proto, ports, sp, dp, in);
	if (!c)
		return cid_render(in, n, out);
	c->lookups++;
	struct cid_slot *s = &c->slot[slot_of(in, n)];
	if (s->len == n && memcmp(s->in, in, n) == 0) {
		c->hits++;
		memcpy(out, s->id, COMMUNITY_ID_LEN);
		out[COMMUNITY_ID_LEN] = '\0';
		return COMMUNITY_ID_LEN;
	}
	cid_render(in, n, out);
	s->len = (uint8_t)n;
	memcpy(s->in, in, n);
	memcpy(s->id, out, COMMUNITY_ID_LEN);
	return COMMUNITY_ID_LEN;
}
