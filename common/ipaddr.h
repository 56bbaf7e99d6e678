/* ipaddr.h - IPv4/IPv6 addresses and prefixes.
 *
 * Every address ward acts on goes through ip_parse (inet_pton, strict: no
 * leading zeros, no trailing garbage, no zone ids) and is printed with
 * ip_format (inet_ntop, canonical: RFC 5952 for IPv6). IPv4-mapped IPv6
 * (::ffff:a.b.c.d) is kept as IPv6 by ip_parse; ip_unmap converts it. */
#ifndef WARD_IPADDR_H
#define WARD_IPADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ward_ip {
	int family;		/* AF_INET or AF_INET6 */
	uint8_t addr[16];	/* network order; IPv4 uses addr[0..3] */
};

struct ward_cidr {
	struct ward_ip ip;	/* host bits cleared */
	unsigned prefix;	/* 0..32 or 0..128 */
};

#define WARD_IP_STRLEN 46	/* INET6_ADDRSTRLEN */

int ip_parse(const char *s, size_t n, struct ward_ip *ip);
void ip_format(const struct ward_ip *ip, char out[WARD_IP_STRLEN]);
bool ip_equal(const struct ward_ip *a, const struct ward_ip *b);
/* ::ffff:a.b.c.d -> a.b.c.d; returns true if it converted. */
bool ip_unmap(struct ward_ip *ip);
bool ip_is_mapped_v4(const struct ward_ip *ip);
bool ip_is_loopback(const struct ward_ip *ip);
/* An IPv6 address that carries an IPv4 address by a translation or
 * tunnelling convention: IPv4-mapped ::ffff:0:0/96, SIIT ::ffff:0:0:0/96,
 * IPv4-compatible ::/96, NAT64 64:ff9b::/96 and 64:ff9b:1::/48 (RFC 6052),
 * 6to4 2002::/16, Teredo 2001::/32 (the client, de-obfuscated). Writes it
 * to *v4 and returns true; false for other addresses (and for IPv4). A
 * policy that refuses an IPv4 address must refuse it in these disguises. */
bool ip_embedded_v4(const struct ward_ip *ip, struct ward_ip *v4);

/* "10.0.0.0/8", "2001:db8::/32", or a bare address (full-length prefix).
 * Host bits set ("10.0.0.1/8") are accepted and cleared. */
int cidr_parse(const char *s, size_t n, struct ward_cidr *c);
/* "a.b.c.d-e.f.g.h" ranges are not CIDRs; see LogQL's ip() for those. */
bool cidr_contains(const struct ward_cidr *c, const struct ward_ip *ip);
/* Clear all but the first `prefix` bits (aggregation to /24, /64). */
void ip_mask(struct ward_ip *ip, unsigned prefix);
void cidr_format(const struct ward_cidr *c, char *out, size_t outlen);

#endif
