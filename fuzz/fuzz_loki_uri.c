/* fuzz_loki_uri - loki+http(s):// URIs (common/transport/loki_conf.c,
 * libcurl's URL parser underneath). The first line of the input is the
 * URI, parsed as an input's and as an output's. An accepted URI has a base
 * URL of http(s)://HOST... without a trailing '/', and an input a query. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "loki_conf.h"
#include "transport.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nl = memchr(data, '\n', size);
	size_t line = nl ? (size_t)(nl - (const char *)data) : size;
	char *uri = malloc(line + 1);
	if (!uri)
		return 0;
	memcpy(uri, data, line);
	uri[line] = '\0';
	struct ward_transport_opts o = { .max_line = 1024 };
	char err[256];
	for (int input = 0; input < 2; input++) {
		struct loki_conf c;
		if (loki_conf_parse(&c, uri, &o, input, 1000000000000000000LL, err, sizeof err) != 0)
			continue;
		size_t n = strlen(c.base_url);
		if ((strncmp(c.base_url, "http://", 7) != 0 && strncmp(c.base_url, "https://", 8) != 0) ||
		    c.base_url[n - 1] == '/' || (input && (!c.query || !*c.query)))
			abort();
		loki_conf_free(&c);
	}
	free(uri);
	return 0;
}
