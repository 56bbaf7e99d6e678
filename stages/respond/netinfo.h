/* netinfo.h - addresses of this host's own network that no ban may hit.
 *
 * Besides the host's addresses (getifaddrs), an alert must never ban the
 * default gateways (every connection of the host goes through them: a
 * forged alert naming the gateway would cut the host off) nor the local
 * subnets' broadcast addresses. Gateways come from the kernel's routing
 * tables as /proc/net/route and /proc/net/ipv6_route print them; those
 * reflect the network namespace of the reading process, so the worker that
 * runs inside --netns NAME reports its namespace's own. */
#ifndef WARD_RESPOND_NETINFO_H
#define WARD_RESPOND_NETINFO_H

#include <stddef.h>

#include "ipaddr.h"

/* Gateways in the text of /proc/net/route (IPv4: routes with the
 * RTF_GATEWAY flag) appended to out[*n..max). Malformed lines are skipped. */
void netinfo_parse_route4(const char *text, size_t len, struct ward_ip *out, size_t *n, size_t max);
/* Next hops in the text of /proc/net/ipv6_route (non-zero next hop). */
void netinfo_parse_route6(const char *text, size_t len, struct ward_ip *out, size_t *n, size_t max);

/* This namespace's interface addresses, broadcast addresses and gateways.
 * Returns how many were written to out (at most max). */
size_t netinfo_never_ban(struct ward_ip *out, size_t max);

#endif
