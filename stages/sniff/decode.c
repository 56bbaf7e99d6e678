/* decode.c - link, network and transport decoders over a bounds-checked cursor.
 *
 * Each layer takes a cursor positioned at its header and either fills its
 * part of struct sniff_pkt or returns a reason. Lengths claimed by headers are
 * checked against what the wire carried (wirelen) to detect lying headers and
 * against what was captured (the cursor) to detect snaplen cuts. */
#include "stages/sniff/decode.h"

#include <string.h>
#include <sys/socket.h>

#include "stages/sniff/cursor.h"

#define ETH_HLEN 14
#define SLL_HLEN 16
#define SLL2_HLEN 20
#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_IPV6 0x86dd
#define ETHERTYPE_8021Q 0x8100
#define ETHERTYPE_8021AD 0x88a8
#define ETHERTYPE_QINQ_OLD 0x9100

static const char *const bad_names[SNIFF_BAD_N] = {
#define SNIFF_BAD_NAME(id, name) [SNIFF_BAD_##id] = name,
	SNIFF_BAD_LIST(SNIFF_BAD_NAME)
#undef SNIFF_BAD_NAME
};

const char *sniff_bad_name(enum sniff_bad b)
{
	if ((unsigned)b >= SNIFF_BAD_N)
		return "unknown";
	return bad_names[b];
}

bool sniff_link_supported(int linktype)
{
	switch (linktype) {
	case SNIFF_DLT_NULL: case SNIFF_DLT_EN10MB: case SNIFF_DLT_RAW:
	case SNIFF_DLT_RAW_BSD: case SNIFF_LINKTYPE_RAW: case SNIFF_DLT_LOOP:
	case SNIFF_DLT_LINUX_SLL: case SNIFF_LINKTYPE_IPV4: case SNIFF_LINKTYPE_IPV6:
	case SNIFF_DLT_LINUX_SLL2:
		return true;
	default:
		return false;
	}
}

/* State shared by the layers of one frame. */
struct frame {
	struct cursor cur;	/* positioned at the current header */
	uint32_t wirelen;	/* bytes on the wire, never less than caplen */
	struct sniff_pkt *pkt;
};

static enum sniff_status bad(struct sniff_pkt *pkt, enum sniff_bad why)
{
	pkt->bad = why;
	return SNIFF_MALFORMED;
}

/* Bytes the wire carried from the cursor position on. */
static uint32_t wire_left(const struct frame *f)
{
	return f->cur.off >= f->wirelen ? 0 : f->wirelen - (uint32_t)f->cur.off;
}

/* ---- transport ------------------------------------------------------- */

/* l4: the transport header and payload as captured; seglen: their length
 * per the IP header (may exceed what was captured). */
static enum sniff_status decode_tcp(struct sniff_pkt *pkt, const struct cursor *l4, uint32_t seglen)
{
	uint16_t sport = 0, dport = 0;
	uint8_t off_byte = 0, flags_byte = 0;
	/* The flags are all we need; a snaplen cut after them is a short
	 * capture, not a malformed segment. */
	if (!cur_peek_u8(l4, 13, &flags_byte) || seglen < 20)
		return bad(pkt, SNIFF_BAD_TCP_TRUNC);
	cur_peek_be16(l4, 0, &sport);
	cur_peek_be16(l4, 2, &dport);
	cur_peek_u8(l4, 12, &off_byte);
	uint32_t doff = (uint32_t)(off_byte >> 4) * 4u;
	if (doff < 20 || doff > seglen)
		return bad(pkt, SNIFF_BAD_TCP_HLEN);
	pkt->has_ports = true;
	pkt->sport = sport;
	pkt->dport = dport;
	pkt->tcp_flags = (uint16_t)((off_byte & 1u) << 8 | flags_byte);
	pkt->payload_len = seglen - doff;
	return SNIFF_IP;
}

static enum sniff_status decode_udp(struct sniff_pkt *pkt, const struct cursor *l4, uint32_t seglen)
{
	uint16_t sport = 0, dport = 0, ulen = 0;
	if (!cur_peek_be16(l4, 4, &ulen) || seglen < 8)
		return bad(pkt, SNIFF_BAD_UDP_TRUNC);
	cur_peek_be16(l4, 0, &sport);
	cur_peek_be16(l4, 2, &dport);
	if (ulen < 8)
		return bad(pkt, SNIFF_BAD_UDP_LEN);
	pkt->has_ports = true;
	pkt->sport = sport;
	pkt->dport = dport;
	/* A first fragment carries less than the UDP length says. */
	pkt->payload_len = (ulen < seglen ? ulen : seglen) - 8u;
	return SNIFF_IP;
}

static enum sniff_status decode_icmp(struct sniff_pkt *pkt, const struct cursor *l4,
				     uint32_t seglen, enum sniff_bad why)
{
	uint8_t type = 0, code = 0;
	if (!cur_peek_u8(l4, 0, &type) || !cur_peek_u8(l4, 1, &code) || seglen < 4)
		return bad(pkt, why);
	pkt->has_icmp = true;
	pkt->icmp_type = type;
	pkt->icmp_code = code;
	pkt->payload_len = seglen;
	return SNIFF_IP;
}

static enum sniff_status decode_transport(struct sniff_pkt *pkt, const struct cursor *l4, uint32_t seglen)
{
	pkt->payload_len = seglen;
	if (pkt->fragment && pkt->frag_offset != 0)
		return SNIFF_IP;	/* only the first fragment has a transport header */
	switch (pkt->proto) {
	case IPPROTO_NUM_TCP:
		return decode_tcp(pkt, l4, seglen);
	case IPPROTO_NUM_UDP:
		return decode_udp(pkt, l4, seglen);
	case IPPROTO_NUM_ICMP:
		return pkt->ip_version == 4 ? decode_icmp(pkt, l4, seglen, SNIFF_BAD_ICMP_TRUNC) : SNIFF_IP;
	case IPPROTO_NUM_ICMPV6:
		return pkt->ip_version == 6 ? decode_icmp(pkt, l4, seglen, SNIFF_BAD_ICMPV6_TRUNC) : SNIFF_IP;
	default:
		return SNIFF_IP;
	}
}

/* ---- network ----------------------------------------------------------- */

/* ip is still all zero (sniff_decode clears the packet, and a frame has
 * one network header): an IPv4 address leaves addr[4..15] zero, which
 * srctab's hash and ip_equal count on. */
static void set_addr(struct ward_ip *ip, int family, const struct cursor *c, size_t at, size_t n)
{
	ip->family = family;
	cur_peek_bytes(c, at, ip->addr, n);
}

static enum sniff_status decode_ipv4(struct frame *f)
{
	struct sniff_pkt *pkt = f->pkt;
	struct cursor *c = &f->cur;
	uint8_t vihl = 0, proto = 0;
	uint16_t tot = 0, frag = 0;
	if (!cur_has(c, 20))
		return bad(pkt, SNIFF_BAD_IPV4_TRUNC);
	cur_peek_u8(c, 0, &vihl);
	cur_peek_be16(c, 2, &tot);
	cur_peek_be16(c, 6, &frag);
	cur_peek_u8(c, 9, &proto);
	if (vihl >> 4 != 4)
		return bad(pkt, SNIFF_BAD_IPV4_VERSION);
	uint32_t ihl = (vihl & 15u) * 4u;
	uint32_t len = tot, wire = wire_left(f);
	if (ihl < 20)
		return bad(pkt, SNIFF_BAD_IPV4_HLEN);
	if (len == 0 && wire >= ihl) {
		/* Linux BIG TCP / GSO captures say 0: the frame is the truth. */
		len = wire;
		pkt->len_from_frame = true;
	}
	if (len < ihl)
		return bad(pkt, SNIFF_BAD_IPV4_IPLEN_LT_HLEN);
	if (len > wire)
		return bad(pkt, SNIFF_BAD_IPV4_TRUNC_PKT);
	if (!cur_has(c, ihl))
		return bad(pkt, SNIFF_BAD_IPV4_TRUNC);
	pkt->ip_version = 4;
	pkt->ip_len = len;
	pkt->proto = proto;
	set_addr(&pkt->src, AF_INET, c, 12, 4);
	set_addr(&pkt->dst, AF_INET, c, 16, 4);
	pkt->frag_offset = (uint32_t)(frag & 0x1fff) * 8u;
	pkt->fragment = pkt->frag_offset != 0 || (frag & 0x2000);
	struct cursor ipc, l4;
	bool short_read;
	cur_sub(c, len, &ipc, &short_read);
	cur_skip(&ipc, ihl);
	cur_sub(&ipc, len - ihl, &l4, &short_read);
	return decode_transport(pkt, &l4, len - ihl);
}

static bool ipv6_is_exthdr(uint8_t nh)
{
	return nh == 0 || nh == 43 || nh == 44 || nh == 51 || nh == 60 ||
	       nh == 135 || nh == 139 || nh == 140;
}

/* Walk the extension header chain; c spans the payload as captured and
 * *remaining is the payload length per the header. */
static enum sniff_status ipv6_walk(struct sniff_pkt *pkt, struct cursor *c, uint32_t *remaining)
{
	uint8_t nh = pkt->proto;
	for (int n = 0; ipv6_is_exthdr(nh); n++) {
		uint8_t next = 0, hlen = 0;
		if (n >= SNIFF_MAX_EXTHDR || !cur_peek_u8(c, 0, &next) || !cur_peek_u8(c, 1, &hlen))
			return bad(pkt, SNIFF_BAD_IPV6_EXTHDR);
		uint32_t size;
		if (nh == 44) {
			uint16_t offm = 0;
			if (!cur_peek_be16(c, 2, &offm))
				return bad(pkt, SNIFF_BAD_IPV6_EXTHDR);
			size = 8;
			pkt->frag_offset = offm & 0xfff8u;
			pkt->fragment = pkt->frag_offset != 0 || (offm & 1u);
		} else if (nh == 51) {
			size = ((uint32_t)hlen + 2u) * 4u;
		} else {
			size = ((uint32_t)hlen + 1u) * 8u;
		}
		if (size > *remaining || !cur_skip(c, size))
			return bad(pkt, SNIFF_BAD_IPV6_EXTHDR);
		*remaining -= size;
		nh = next;
		pkt->proto = nh;
		if (pkt->fragment && pkt->frag_offset != 0)
			break;	/* the rest belongs to the reassembled packet */
	}
	return SNIFF_IP;
}

static enum sniff_status decode_ipv6(struct frame *f)
{
	struct sniff_pkt *pkt = f->pkt;
	struct cursor *c = &f->cur;
	uint8_t v = 0, nh = 0;
	uint16_t plen = 0;
	if (!cur_has(c, 40))
		return bad(pkt, SNIFF_BAD_IPV6_TRUNC);
	cur_peek_u8(c, 0, &v);
	cur_peek_be16(c, 4, &plen);
	cur_peek_u8(c, 6, &nh);
	if (v >> 4 != 6)
		return bad(pkt, SNIFF_BAD_IPV6_VERSION);
	uint32_t wire = wire_left(f), payload = plen;
	if (payload == 0 && nh == 0 && wire > 40) {
		/* Jumbogram (hop-by-hop jumbo option) or BIG TCP: use the frame. */
		payload = wire - 40;
		pkt->len_from_frame = true;
	}
	if (40u + payload > wire)
		return bad(pkt, SNIFF_BAD_IPV6_TRUNC_PKT);
	pkt->ip_version = 6;
	pkt->ip_len = 40u + payload;
	pkt->proto = nh;
	set_addr(&pkt->src, AF_INET6, c, 8, 16);
	set_addr(&pkt->dst, AF_INET6, c, 24, 16);
	struct cursor pc;
	bool short_read;
	cur_skip(c, 40);
	cur_sub(c, payload, &pc, &short_read);
	uint32_t remaining = payload;
	enum sniff_status s = ipv6_walk(pkt, &pc, &remaining);
	if (s != SNIFF_IP)
		return s;
	struct cursor l4;
	cur_sub(&pc, remaining, &l4, &short_read);
	return decode_transport(pkt, &l4, remaining);
}

static enum sniff_status decode_ethertype(struct frame *f, uint16_t et)
{
	f->pkt->ethertype = et;
	if (et == ETHERTYPE_IPV4)
		return decode_ipv4(f);
	if (et == ETHERTYPE_IPV6)
		return decode_ipv6(f);
	return SNIFF_NOT_IP;
}

/* ---- link -------------------------------------------------------------- */

static bool is_vlan_tpid(uint16_t et)
{
	return et == ETHERTYPE_8021Q || et == ETHERTYPE_8021AD || et == ETHERTYPE_QINQ_OLD;
}

/* Tags between the link header and the network layer; *et is the type that
 * announced the first tag and becomes the encapsulated type. */
static enum sniff_status walk_vlans(struct frame *f, uint16_t *et)
{
	struct sniff_pkt *pkt = f->pkt;
	while (is_vlan_tpid(*et)) {
		uint16_t tci = 0, inner = 0;
		if (pkt->nvlan >= SNIFF_VLAN_WALK)
			return bad(pkt, SNIFF_BAD_VLAN_TOO_MANY);
		if (!cur_peek_be16(&f->cur, 0, &tci) || !cur_peek_be16(&f->cur, 2, &inner))
			return bad(pkt, SNIFF_BAD_VLAN_TRUNC);
		if (pkt->nvlan < SNIFF_MAX_VLAN)
			pkt->vlan[pkt->nvlan] = tci & 0x0fff;
		pkt->nvlan++;
		cur_skip(&f->cur, 4);
		*et = inner;
	}
	return SNIFF_IP;
}

static enum sniff_status decode_ethertype_tagged(struct frame *f, uint16_t et)
{
	enum sniff_status s = walk_vlans(f, &et);
	if (s != SNIFF_IP)
		return s;
	if (et <= 1500)
		return SNIFF_NOT_IP;	/* 802.3 length: LLC, not IP */
	return decode_ethertype(f, et);
}

static enum sniff_status decode_ether(struct frame *f)
{
	uint16_t et = 0;
	if (!cur_peek_be16(&f->cur, 12, &et) || !cur_skip(&f->cur, ETH_HLEN))
		return bad(f->pkt, SNIFF_BAD_LINK_TRUNC);
	return decode_ethertype_tagged(f, et);
}

static enum sniff_status decode_sll(struct frame *f, size_t hlen, size_t proto_at)
{
	uint16_t proto = 0;
	if (!cur_peek_be16(&f->cur, proto_at, &proto) || !cur_skip(&f->cur, hlen))
		return bad(f->pkt, SNIFF_BAD_LINK_TRUNC);
	/* Values below 1536 are Linux pseudo protocols (802.2 LLC, 802.3). */
	if (proto <= 1500)
		return SNIFF_NOT_IP;
	return decode_ethertype_tagged(f, proto);
}

static enum sniff_status decode_raw(struct frame *f, int only_version)
{
	uint8_t v = 0;
	if (!cur_peek_u8(&f->cur, 0, &v))
		return bad(f->pkt, SNIFF_BAD_LINK_TRUNC);
	int version = v >> 4;
	if (only_version == 4 || (only_version == 0 && version == 4))
		return decode_ethertype(f, ETHERTYPE_IPV4);
	if (only_version == 6 || (only_version == 0 && version == 6))
		return decode_ethertype(f, ETHERTYPE_IPV6);
	return bad(f->pkt, SNIFF_BAD_RAW_VERSION);
}

/* BSD loopback: a 4-byte address family, host order for NULL (the byte
 * order of the capturing machine), network order for LOOP. */
static enum sniff_status decode_null(struct frame *f, bool network_order)
{
	uint32_t fam = 0;
	bool ok = network_order ? cur_peek_be32(&f->cur, 0, &fam) : cur_peek_le32(&f->cur, 0, &fam);
	if (!ok || !cur_skip(&f->cur, 4))
		return bad(f->pkt, SNIFF_BAD_LINK_TRUNC);
	if (!network_order && (fam & 0xffff0000u))
		fam = (fam >> 24) | ((fam >> 8) & 0xff00u);	/* written big-endian */
	switch (fam) {
	case 2:
		return decode_ethertype(f, ETHERTYPE_IPV4);
	case 10: case 24: case 28: case 30:	/* AF_INET6: Linux, NetBSD/OpenBSD, FreeBSD, macOS */
		return decode_ethertype(f, ETHERTYPE_IPV6);
	default:
		return SNIFF_NOT_IP;
	}
}

enum sniff_status sniff_decode(int linktype, const uint8_t *frame, uint32_t caplen,
			       uint32_t wirelen, struct sniff_pkt *pkt)
{
	memset(pkt, 0, sizeof *pkt);
	pkt->caplen = caplen;
	pkt->wirelen = wirelen;
	struct frame f = { .wirelen = wirelen < caplen ? caplen : wirelen, .pkt = pkt };
	cur_init(&f.cur, frame, caplen);
	switch (linktype) {
	case SNIFF_DLT_EN10MB:
		return decode_ether(&f);
	case SNIFF_DLT_LINUX_SLL:
		return decode_sll(&f, SLL_HLEN, 14);
	case SNIFF_DLT_LINUX_SLL2:
		return decode_sll(&f, SLL2_HLEN, 0);
	case SNIFF_DLT_RAW: case SNIFF_DLT_RAW_BSD: case SNIFF_LINKTYPE_RAW:
		return decode_raw(&f, 0);
	case SNIFF_LINKTYPE_IPV4:
		return decode_raw(&f, 4);
	case SNIFF_LINKTYPE_IPV6:
		return decode_raw(&f, 6);
	case SNIFF_DLT_NULL:
		return decode_null(&f, false);
	case SNIFF_DLT_LOOP:
		return decode_null(&f, true);
	default:
		return SNIFF_UNSUPPORTED;
	}
}
