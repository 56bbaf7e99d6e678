/* decode.h - one captured frame to a decoded packet, no I/O.
 *
 *   struct sniff_pkt pkt;
 *   enum sniff_status s = sniff_decode(linktype, bytes, caplen, wirelen, &pkt);
 *
 * Link types (DLT_ values as pcap_datalink returns them): Ethernet with
 * 802.1Q / 802.1ad (QinQ) tags, Linux cooked SLL and SLL2, raw IP (DLT_RAW,
 * LINKTYPE_IPV4, LINKTYPE_IPV6), BSD loopback (NULL, LOOP). Then IPv4 (options,
 * fragments: only the first fragment carries ports), IPv6 (extension header
 * chain), TCP, UDP, ICMP, ICMPv6.
 *
 * Every byte is read through cursor.h: nothing is read past caplen, whatever
 * the headers claim. A frame that cannot be decoded is SNIFF_MALFORMED with
 * the reason in pkt->bad; the caller counts it and skips it.
 *
 * The decoded struct holds no pointer into the frame, so it stays valid after
 * the capture buffer is reused. */
#ifndef WARD_SNIFF_DECODE_H
#define WARD_SNIFF_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipaddr.h"

/* Link types we decode. Values are libpcap's DLT_ numbers on Linux, plus
 * the LINKTYPE_ numbers a file may carry for the same thing. */
enum sniff_link {
	SNIFF_DLT_NULL = 0,
	SNIFF_DLT_EN10MB = 1,
	SNIFF_DLT_RAW = 12,		/* DLT_RAW on Linux */
	SNIFF_DLT_RAW_BSD = 14,		/* DLT_RAW on OpenBSD */
	SNIFF_LINKTYPE_RAW = 101,
	SNIFF_DLT_LOOP = 108,
	SNIFF_DLT_LINUX_SLL = 113,
	SNIFF_LINKTYPE_IPV4 = 228,
	SNIFF_LINKTYPE_IPV6 = 229,
	SNIFF_DLT_LINUX_SLL2 = 276,
};

bool sniff_link_supported(int linktype);

enum sniff_status {
	SNIFF_IP = 0,		/* decoded an IPv4 or IPv6 packet */
	SNIFF_NOT_IP,		/* a valid frame carrying something else (ARP, LLDP) */
	SNIFF_UNSUPPORTED,	/* a link type we do not decode */
	SNIFF_MALFORMED,	/* truncated or inconsistent: see pkt->bad */
};

/* Why a frame was rejected: the enum and its names (sniff_bad_name) come
 * from this one list, so they cannot drift apart. Names follow Suricata's
 * decoder events where Suricata has one, so counters compare. */
#define SNIFF_BAD_LIST(X) \
	X(NONE, "none") \
	X(LINK_TRUNC, "link.pkt_too_small")	/* ethernet, sll, null */ \
	X(VLAN_TRUNC, "vlan.header_too_small") \
	X(VLAN_TOO_MANY, "vlan.too_many_layers") \
	X(IPV4_TRUNC, "ipv4.pkt_too_small") \
	X(IPV4_HLEN, "ipv4.hlen_too_small") \
	X(IPV4_IPLEN_LT_HLEN, "ipv4.iplen_smaller_than_hlen") \
	X(IPV4_TRUNC_PKT, "ipv4.trunc_pkt")	/* total length > frame */ \
	X(IPV4_VERSION, "ipv4.wrong_ip_version") \
	X(RAW_VERSION, "ipraw.invalid_ip_version") \
	X(IPV6_TRUNC, "ipv6.pkt_too_small") \
	X(IPV6_TRUNC_PKT, "ipv6.trunc_pkt")	/* payload length > frame */ \
	X(IPV6_VERSION, "ipv6.wrong_ip_version") \
	X(IPV6_EXTHDR, "ipv6.exthdr_invalid")	/* truncated or too long chain */ \
	X(TCP_TRUNC, "tcp.pkt_too_small") \
	X(TCP_HLEN, "tcp.hlen_invalid")		/* data offset too small or past the segment */ \
	X(UDP_TRUNC, "udp.pkt_too_small") \
	X(UDP_LEN, "udp.hlen_invalid") \
	X(ICMP_TRUNC, "icmpv4.pkt_too_small") \
	X(ICMPV6_TRUNC, "icmpv6.pkt_too_small")

enum sniff_bad {
#define SNIFF_BAD_ENUM(id, name) SNIFF_BAD_##id,
	SNIFF_BAD_LIST(SNIFF_BAD_ENUM)
#undef SNIFF_BAD_ENUM
	SNIFF_BAD_N
};

const char *sniff_bad_name(enum sniff_bad b);

/* TCP flag bits (the 9th, AE/NS, is the low bit of byte 12). */
#define TCPF_FIN 0x001
#define TCPF_SYN 0x002
#define TCPF_RST 0x004
#define TCPF_PSH 0x008
#define TCPF_ACK 0x010
#define TCPF_URG 0x020
#define TCPF_ECE 0x040
#define TCPF_CWR 0x080
#define TCPF_AE  0x100

#define IPPROTO_NUM_ICMP 1
#define IPPROTO_NUM_TCP 6
#define IPPROTO_NUM_UDP 17
#define IPPROTO_NUM_ICMPV6 58

#define SNIFF_MAX_VLAN 2	/* tags reported; more are walked up to SNIFF_VLAN_WALK */
#define SNIFF_VLAN_WALK 8
#define SNIFF_MAX_EXTHDR 16

struct sniff_pkt {
	uint32_t caplen;	/* bytes captured */
	uint32_t wirelen;	/* bytes on the wire (pkt_len) */
	enum sniff_bad bad;	/* SNIFF_BAD_NONE unless MALFORMED */
	uint16_t ethertype;	/* of the network layer, 0 if none */
	uint8_t nvlan;		/* tags seen (may exceed SNIFF_MAX_VLAN) */
	uint16_t vlan[SNIFF_MAX_VLAN];	/* outer first */
	uint8_t ip_version;	/* 4 or 6 when SNIFF_IP */
	struct ward_ip src, dst;
	uint8_t proto;		/* transport protocol after extension headers */
	uint32_t ip_len;	/* IP packet length per the header (or the frame) */
	bool len_from_frame;	/* header said 0 (BIG TCP / GSO / jumbo): taken from frame */
	bool fragment;		/* any fragment (MF set or offset != 0) */
	uint32_t frag_offset;	/* bytes */
	bool has_ports;		/* TCP/UDP header decoded (first fragment only) */
	uint16_t sport, dport;
	uint16_t tcp_flags;	/* TCPF_* when proto is TCP and has_ports */
	bool has_icmp;
	uint8_t icmp_type, icmp_code;
	uint32_t payload_len;	/* L4 payload bytes per the headers (tcpdump "length") */
};

enum sniff_status sniff_decode(int linktype, const uint8_t *frame, uint32_t caplen,
			       uint32_t wirelen, struct sniff_pkt *pkt);

/* SYN without ACK: a connection attempt (ECN and AccECN SYNs included). */
static inline bool sniff_is_syn(const struct sniff_pkt *p)
{
	return p->proto == IPPROTO_NUM_TCP && p->has_ports &&
	       (p->tcp_flags & (TCPF_SYN | TCPF_ACK)) == TCPF_SYN;
}

static inline bool sniff_is_synack(const struct sniff_pkt *p)
{
	return p->proto == IPPROTO_NUM_TCP && p->has_ports &&
	       (p->tcp_flags & (TCPF_SYN | TCPF_ACK)) == (TCPF_SYN | TCPF_ACK);
}

#endif
