/* hostport.c - HOST[:PORT] of a URI, checked strictly (see hostport.h). */
#include "hostport.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "hex.h"

int hostport_check(const char *b, size_t n, char *err, size_t errlen)
{
	size_t host_end = n;
	const char *port = NULL;
	if (n > 0 && b[0] == '[') {
		const char *close = memchr(b, ']', n);
		if (!close || close == b + 1) {
			snprintf(err, errlen, "bad [IPv6] address in '%.*s'", (int)n, b);
			return -1;
		}
		for (const char *c = b + 1; c < close; c++)
			if (!(hex_digit_value(*c) >= 0 || *c == ':' || *c == '.')) {
				snprintf(err, errlen, "bad [IPv6] address in '%.*s'", (int)n, b);
				return -1;
			}
		host_end = (size_t)(close - b) + 1;
		if (host_end < n && b[host_end] != ':') {
			snprintf(err, errlen, "'%.*s': expected :PORT after ]", (int)n, b);
			return -1;
		}
	} else {
		const char *colon = memchr(b, ':', n);
		if (colon)
			host_end = (size_t)(colon - b);
		if (host_end == 0) {
			snprintf(err, errlen, "empty host in '%.*s'", (int)n, b);
			return -1;
		}
		for (size_t i = 0; i < host_end; i++) {
			char c = b[i];
			bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
				  (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
			if (!ok || (c == '.' && (i == 0 || b[i - 1] == '.'))) {
				snprintf(err, errlen, "'%.*s' is not a host name or address",
					 (int)host_end, b);
				return -1;
			}
		}
	}
	if (host_end < n)
		port = b + host_end + 1;
	if (port) {
		size_t plen = n - host_end - 1;
		unsigned long v = 0;
		bool ok = plen > 0 && plen <= 5;
		for (size_t i = 0; ok && i < plen; i++) {
			ok = port[i] >= '0' && port[i] <= '9';
			v = v * 10 + (unsigned long)(port[i] - '0');
		}
		if (!ok || v < 1 || v > 65535) {
			snprintf(err, errlen, "port '%.*s' is not 1-65535", (int)plen, port);
			return -1;
		}
	}
	return 0;
}
