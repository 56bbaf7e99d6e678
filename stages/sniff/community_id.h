/* community_id.h - the Community ID flow hash, version 1 (no I/O).
 *
 * The identifier Suricata (`community_id`), Zeek (`community_id`) and
 * Wireshark (`communityid`) write for a flow, so that a ward event joins
 * their records by string equality. Spec: corelight/community-id-spec.
 *
 *   "1:" + base64(SHA1(seed . saddr . daddr . proto . 0 . sport . dport))
 *
 * seed is 2 bytes, addresses 4 or 16, proto 1 and a zero pad byte, ports 2
 * each, all in network byte order; the ports are left out for protocols
 * without them. The endpoints are ordered so that the smaller address
 * (then the smaller port) comes first: both directions of a flow hash the
 * same. ICMP and ICMPv6 use the type as the source port and, for a type
 * with a counterpart (echo request / echo reply, ...), the counterpart as
 * the destination port; other types use the code and keep their
 * direction ("one way"), as Zeek does.
 *
 *   char id[COMMUNITY_ID_SIZE];
 *   community_id_v1(0, &src, &dst, 6, true, 1234, 80, id);
 *
 * The SHA-1 is the module's own (community_id_sha1): no library ward
 * links exposes one, and an input of at most 40 bytes is one block. */
#ifndef WARD_SNIFF_COMMUNITY_ID_H
#define WARD_SNIFF_COMMUNITY_ID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipaddr.h"
#include "stages/sniff/decode.h"

/* "1:" + 28 base64 characters + NUL. */
#define COMMUNITY_ID_LEN 30
#define COMMUNITY_ID_SIZE (COMMUNITY_ID_LEN + 1)

#define COMMUNITY_ID_PROTO_SCTP 132

/* The ID of one flow tuple. src and dst have the same family. has_ports:
 * sport and dport are used (TCP, UDP, SCTP; for ICMP and ICMPv6 pass the
 * type as sport and the code as dport, the mapping is done here). Writes
 * COMMUNITY_ID_LEN characters and a NUL to out, returns COMMUNITY_ID_LEN. */
size_t community_id_v1(uint16_t seed, const struct ward_ip *src, const struct ward_ip *dst,
		       uint8_t proto, bool has_ports, uint16_t sport, uint16_t dport,
		       char out[COMMUNITY_ID_SIZE]);

/* The ID of a decoded packet with seed 0, or 0 (out = "") when the packet
 * has none: a TCP, UDP, SCTP, ICMP or ICMPv6 packet whose ports or type
 * were not decoded (a non-first fragment, SCTP, ICMP over IPv6), since an
 * address-only hash would name another flow than Suricata's and Zeek's
 * (which reassemble). Any other protocol hashes addresses and protocol. */
size_t community_id_packet(const struct sniff_pkt *p, char out[COMMUNITY_ID_SIZE]);

/* The IDs of recently seen flows, so that the packets of one flow hash
 * once: a direct-mapped table keyed by the exact hash input (a hit is the
 * same ID by construction; a collision only evicts). Packet mode computes
 * an ID per packet, and SHA-1 cost more than the rest of an event. */
struct community_id_cache;

struct community_id_cache *community_id_cache_new(void);
void community_id_cache_free(struct community_id_cache *c);
/* community_id_packet through the cache (c NULL: none). */
size_t community_id_packet_cached(struct community_id_cache *c, const struct sniff_pkt *p,
				  char out[COMMUNITY_ID_SIZE]);
/* Lookups and hits so far (tests, counters). */
void community_id_cache_stats(const struct community_id_cache *c, uint64_t *lookups, uint64_t *hits);

/* SHA-1 (FIPS 180-4) of len bytes. */
void community_id_sha1(const uint8_t *msg, size_t len, uint8_t digest[20]);

#endif
