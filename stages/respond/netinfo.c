/* netinfo.c - the host's addresses, broadcasts and gateways (netinfo.h). */
#include "stages/respond/netinfo.h"

#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "hex.h"

#define RTF_GATEWAY_FLAG 0x0002	/* <linux/route.h> RTF_GATEWAY */

/* Split one line into at most max whitespace-separated fields. */
static size_t fields(const char *s, size_t len, const char **f, size_t *flen, size_t max)
{
	size_t n = 0, i = 0;
	while (i < len && n < max) {
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i == len)
			break;
		f[n] = s + i;
		while (i < len && s[i] != ' ' && s[i] != '\t')
			i++;
		flen[n] = (size_t)(s + i - f[n]);
		n++;
	}
	return n;
}

static void push(struct ward_ip *out, size_t *n, size_t max, const struct ward_ip *ip)
{
	for (size_t i = 0; i < *n; i++)
		if (ip_equal(&out[i], ip))
			return;
	if (*n < max)
		out[(*n)++] = *ip;
}

/* The line at *pos of text[0..len) (without its newline); false at the end. */
static bool next_line(const char *text, size_t len, size_t *pos, const char **line, size_t *llen)
{
	if (*pos >= len)
		return false;
	*line = text + *pos;
	const char *nl = memchr(*line, '\n', len - *pos);
	*llen = nl ? (size_t)(nl - *line) : len - *pos;
	*pos += *llen + 1;
	return true;
}

void netinfo_parse_route4(const char *text, size_t len, struct ward_ip *out, size_t *n, size_t max)
{
	const char *line;
	size_t llen, pos = 0;
	while (next_line(text, len, &pos, &line, &llen)) {
		const char *f[4];
		size_t fl[4];
		uint8_t gw[4], flags[2];
		/* Iface Destination Gateway Flags ...: the gateway is printed as
		 * the kernel's 32-bit word in host byte order, the flags as four
		 * hex digits. The header line fails the hex checks. */
		if (fields(line, llen, f, fl, 4) < 4 || !hex_decode(gw, 4, f[2], fl[2]) ||
		    fl[3] != 4 || !hex_decode(flags, 2, f[3], 4))
			continue;
		if (!(flags[1] & RTF_GATEWAY_FLAG) || (gw[0] | gw[1] | gw[2] | gw[3]) == 0)
			continue;
		struct ward_ip ip = { .family = AF_INET };
		for (int i = 0; i < 4; i++)
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			ip.addr[i] = gw[3 - i];
#else
			ip.addr[i] = gw[i];
#endif
		push(out, n, max, &ip);
	}
}

void netinfo_parse_route6(const char *text, size_t len, struct ward_ip *out, size_t *n, size_t max)
{
	static const uint8_t zero[16];
	const char *line;
	size_t llen, pos = 0;
	while (next_line(text, len, &pos, &line, &llen)) {
		const char *f[5];
		size_t fl[5];
		struct ward_ip ip = { .family = AF_INET6 };
		/* dest plen src plen next_hop metric refcnt use flags iface */
		if (fields(line, llen, f, fl, 5) < 5 || !hex_decode(ip.addr, 16, f[4], fl[4]))
			continue;
		if (memcmp(ip.addr, zero, 16) != 0)
			push(out, n, max, &ip);
	}
}

static void read_routes(const char *path, bool v6, struct ward_ip *out, size_t *n, size_t max)
{
	char buf[16384];
	FILE *f = fopen(path, "re");
	if (!f)
		return;
	size_t len = fread(buf, 1, sizeof buf, f);
	fclose(f);
	/* A table larger than the buffer ends mid-line: parse whole lines. */
	if (len == sizeof buf) {
		const char *last = memrchr(buf, '\n', len);
		len = last ? (size_t)(last - buf) : 0;
	}
	if (v6)
		netinfo_parse_route6(buf, len, out, n, max);
	else
		netinfo_parse_route4(buf, len, out, n, max);
}

static bool sockaddr_ip(const struct sockaddr *sa, struct ward_ip *ip)
{
	memset(ip, 0, sizeof *ip);
	if (sa && sa->sa_family == AF_INET) {
		ip->family = AF_INET;
		memcpy(ip->addr, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
		return true;
	}
	if (sa && sa->sa_family == AF_INET6) {
		ip->family = AF_INET6;
		memcpy(ip->addr, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16);
		return true;
	}
	return false;
}

size_t netinfo_never_ban(struct ward_ip *out, size_t max)
{
	struct ifaddrs *ifa;
	struct ward_ip ip;
	size_t n = 0;

	if (getifaddrs(&ifa) == 0) {
		for (struct ifaddrs *i = ifa; i; i = i->ifa_next) {
			if (sockaddr_ip(i->ifa_addr, &ip))
				push(out, &n, max, &ip);
			if ((i->ifa_flags & IFF_BROADCAST) && sockaddr_ip(i->ifa_broadaddr, &ip) &&
			    ip.family == AF_INET)
				push(out, &n, max, &ip);
		}
		freeifaddrs(ifa);
	}
	read_routes("/proc/net/route", false, out, &n, max);
	read_routes("/proc/net/ipv6_route", true, out, &n, max);
	return n;
}
