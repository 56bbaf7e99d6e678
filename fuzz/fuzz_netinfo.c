/* libFuzzer target: the routing-table readers of ward-respond (netinfo.c).
 * Invariants: no crash or overread; never more results than asked for; no
 * result is the zero address (a route without a gateway); no duplicates. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "stages/respond/netinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct ward_ip *out, size_t n, size_t max, int family)
{
	static const uint8_t zero[16];
	if (n > max)
		abort();
	for (size_t i = 0; i < n; i++) {
		if (out[i].family != family || memcmp(out[i].addr, zero, family == AF_INET ? 4 : 16) == 0)
			abort();
		for (size_t j = 0; j < i; j++)
			if (ip_equal(&out[i], &out[j]))
				abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a copy of exactly size bytes, so reading past it is caught */
	char *text = malloc(size ? size : 1);
	struct ward_ip out[8];
	size_t n = 0, max = size % 9;

	memcpy(text, data, size);
	netinfo_parse_route4(text, size, out, &n, max);
	check(out, n, max, AF_INET);
	n = 0;
	netinfo_parse_route6(text, size, out, &n, 8);
	check(out, n, 8, AF_INET6);
	free(text);
	return 0;
}
