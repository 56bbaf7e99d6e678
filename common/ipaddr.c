/* ipaddr.c - addresses through inet_pton/inet_ntop (IPv4 text written here). */
#include "ipaddr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

int ip_parse(const char *s, size_t n, struct ward_ip *ip)
{
	char tmp[WARD_IP_STRLEN];
	if (n == 0 || n >= sizeof tmp || memchr(s, '\0', n))
		return -1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	memset(ip, 0, sizeof *ip);
	/* glibc's inet_pton for AF_INET rejects leading zeros ("010.1.1.1"),
	 * which other parsers read as octal: exactly the ambiguity to refuse. */
	if (inet_pton(AF_INET, tmp, ip->addr) == 1) {
		ip->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, tmp, ip->addr) == 1) {
		ip->family = AF_INET6;
		return 0;
	}
	return -1;
}

void ip_format(const struct ward_ip *ip, char out[WARD_IP_STRLEN])
{
	if (ip->family == AF_INET) {	/* inet_ntop's text, without its sprintf (every alert formats one) */
		char *o = out;
		for (int i = 0; i < 4; i++) {
			unsigned v = ip->addr[i];
			if (i)
				*o++ = '.';
			if (v >= 100)
				*o++ = (char)('0' + v / 100);
			if (v >= 10)
				*o++ = (char)('0' + v / 10 % 10);
			*o++ = (char)('0' + v % 10);
		}
		*o = '\0';
		return;
	}
	if (!inet_ntop(ip->family, ip->addr, out, WARD_IP_STRLEN))
		snprintf(out, WARD_IP_STRLEN, "?");
}

bool ip_equal(const struct ward_ip *a, const struct ward_ip *b)
{
	size_t len = a->family == AF_INET ? 4 : 16;
	return a->family == b->family && memcmp(a->addr, b->addr, len) == 0;
}

bool ip_is_mapped_v4(const struct ward_ip *ip)
{
	static const uint8_t prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	return ip->family == AF_INET6 && memcmp(ip->addr, prefix, 12) == 0;
}

bool ip_unmap(struct ward_ip *ip)
{
	if (!ip_is_mapped_v4(ip))
		return false;
	memmove(ip->addr, ip->addr + 12, 4);
	memset(ip->addr + 4, 0, 12);
	ip->family = AF_INET;
	return true;
}

bool ip_is_loopback(const struct ward_ip *ip)
{
	static const uint8_t v6lo[16] = { [15] = 1 };
	if (ip->family == AF_INET)
		return ip->addr[0] == 127;
	if (ip_is_mapped_v4(ip))
		return ip->addr[12] == 127;
	return memcmp(ip->addr, v6lo, 16) == 0;
}

bool ip_embedded_v4(const struct ward_ip *ip, struct ward_ip *v4)
{
	static const uint8_t zero[12];
	static const uint8_t siit[12] = { [8] = 0xff, [9] = 0xff };
	static const uint8_t nat64[12] = { 0x00, 0x64, 0xff, 0x9b };
	static const uint8_t nat64_local[6] = { 0x00, 0x64, 0xff, 0x9b, 0x00, 0x01 };
	const uint8_t *a = ip->addr;
	uint8_t b[4];

	if (ip->family != AF_INET6)
		return false;
	if (ip_is_mapped_v4(ip) || memcmp(a, siit, 12) == 0 || memcmp(a, nat64, 12) == 0 ||
	    (memcmp(a, zero, 12) == 0 && (a[12] | a[13]) != 0)) {
		/* the last 32 bits; ::/96 only beyond ::0.1.255.255, so that
		 * :: and ::1 stay themselves */
		memcpy(b, a + 12, 4);
	} else if (memcmp(a, nat64_local, 6) == 0) {
		b[0] = a[6], b[1] = a[7], b[2] = a[9], b[3] = a[10];	/* /48: bits 64-71 skipped */
	} else if (a[0] == 0x20 && a[1] == 0x02) {
		memcpy(b, a + 2, 4);
	} else if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0 && a[3] == 0) {
		for (int i = 0; i < 4; i++)
			b[i] = (uint8_t)~a[12 + i];
	} else {
		return false;
	}
	memset(v4, 0, sizeof *v4);
	v4->family = AF_INET;
	memcpy(v4->addr, b, 4);
	return true;
}

void ip_mask(struct ward_ip *ip, unsigned prefix)
{
	unsigned bits = ip->family == AF_INET ? 32 : 128;
	if (prefix >= bits)
		return;
	unsigned byte = prefix / 8, rem = prefix % 8;
	if (rem) {
		ip->addr[byte] &= (uint8_t)(0xff << (8 - rem));
		byte++;
	}
	memset(ip->addr + byte, 0, bits / 8 - byte);
}

int cidr_parse(const char *s, size_t n, struct ward_cidr *c)
{
	const char *slash = memchr(s, '/', n);
	size_t alen = slash ? (size_t)(slash - s) : n;
	if (ip_parse(s, alen, &c->ip) != 0)
		return -1;
	unsigned bits = c->ip.family == AF_INET ? 32 : 128;
	c->prefix = bits;
	if (slash) {
		const char *p = slash + 1, *end = s + n;
		unsigned v = 0;
		if (p == end || end - p > 3)
			return -1;
		for (; p < end; p++) {
			if (*p < '0' || *p > '9')
				return -1;
			v = v * 10 + (unsigned)(*p - '0');
		}
		if (v > bits)
			return -1;
		c->prefix = v;
	}
	ip_mask(&c->ip, c->prefix);
	return 0;
}

bool cidr_contains(const struct ward_cidr *c, const struct ward_ip *ip)
{
	struct ward_ip probe = *ip;
	if (probe.family != c->ip.family) {
		/* ::ffff:10.0.0.1 is 10.0.0.1 for matching purposes */
		if (!(c->ip.family == AF_INET && ip_unmap(&probe)))
			return false;
	}
	ip_mask(&probe, c->prefix);
	return ip_equal(&probe, &c->ip);
}

void cidr_format(const struct ward_cidr *c, char *out, size_t outlen)
{
	char a[WARD_IP_STRLEN];
	ip_format(&c->ip, a);
	snprintf(out, outlen, "%s/%u", a, c->prefix);
}
