/* logql_ip.c - ip("...") of line and label filters: one address, a CIDR
 * or a range, and finding an address token in a line. */
#include <arpa/inet.h>
#include <ctype.h>
#include <string.h>

#include "hex.h"
#include "logql_extract_int.h"

static int ipcmp(const struct ward_ip *a, const struct ward_ip *b)
{
	return memcmp(a->addr, b->addr, a->family == AF_INET ? 4 : 16);
}

int logql_ipspec_parse(const char *s, size_t n, struct logql_ipspec *spec)
{
	const char *dash = memchr(s, '-', n);
	while (n > 0 && s[0] == ' ') { s++; n--; }
	while (n > 0 && s[n - 1] == ' ') n--;
	if (dash) {
		size_t a = (size_t)(dash - s);
		if (ip_parse(s, a, &spec->lo) != 0 || ip_parse(dash + 1, n - a - 1, &spec->hi) != 0 ||
		    spec->lo.family != spec->hi.family || ipcmp(&spec->lo, &spec->hi) > 0)
			return -1;
		return 0;
	}
	struct ward_cidr c;
	if (cidr_parse(s, n, &c) != 0)
		return -1;
	spec->lo = c.ip;
	spec->hi = c.ip;
	unsigned bits = c.ip.family == AF_INET ? 32 : 128;
	for (unsigned b = c.prefix; b < bits; b++)
		spec->hi.addr[b / 8] |= (uint8_t)(0x80u >> (b % 8));
	return 0;
}

bool logql_ipspec_contains(const struct logql_ipspec *spec, const struct ward_ip *ip)
{
	struct ward_ip x = *ip;
	if (spec->lo.family == AF_INET)
		ip_unmap(&x);
	if (x.family != spec->lo.family)
		return false;
	return ipcmp(&x, &spec->lo) >= 0 && ipcmp(&x, &spec->hi) <= 0;
}

static bool ip_tok_char(unsigned char c)
{
	return hex_digit_value(c) >= 0 || c == '.' || c == ':';
}

/* Try the token, then without a trailing ':port' or trailing dot/colon. */
static bool token_ip(const char *t, size_t len, const struct logql_ipspec *spec)
{
	struct ward_ip ip;
	while (len > 0 && t[len - 1] == '.')
		len--;
	if (len < 2 || !(memchr(t, '.', len) || memchr(t, ':', len)))
		return false;
	if (ip_parse(t, len, &ip) == 0)
		return logql_ipspec_contains(spec, &ip);
	const char *colon = memrchr(t, ':', len);
	if (colon && memchr(t, '.', len) && ip_parse(t, (size_t)(colon - t), &ip) == 0)
		return logql_ipspec_contains(spec, &ip);
	return false;
}

bool logql_line_has_ip(const char *s, size_t n, const struct logql_ipspec *spec)
{
	size_t i = 0;
	while (i < n) {
		if (!ip_tok_char((unsigned char)s[i]) ||
		    (i > 0 && (isalnum((unsigned char)s[i - 1]) || s[i - 1] == '_'))) {
			i++;
			continue;
		}
		size_t st = i;
		while (i < n && ip_tok_char((unsigned char)s[i]))
			i++;
		if (i < n && (isalnum((unsigned char)s[i]) || s[i] == '_'))
			continue;	/* part of a word */
		if (token_ip(s + st, i - st, spec))
			return true;
	}
	return false;
}
