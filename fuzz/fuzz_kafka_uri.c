/* fuzz_kafka_uri - kafka:// URIs and properties files (common/transport/kafka_conf.c).
 * The first line of the input is parsed as a URI, the whole input as a
 * properties file. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kafka_conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count_prop(void *ctx, const char *name, const char *value, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	size_t *n = ctx;
	*n += strlen(name) + strlen(value);
	(void)kafka_prop_is_secret(name);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	const char *text = (const char *)data;
	const char *nl = memchr(text, '\n', size);
	size_t line = nl ? (size_t)(nl - text) : size;
	char *uri = malloc(line + 1);
	if (!uri)
		return 0;
	memcpy(uri, text, line);
	uri[line] = '\0';
	struct kafka_uri u;
	if (kafka_uri_parse(uri, &u, err, sizeof err) == 0) {
		if (!u.brokers || !u.topic || !u.topic[0])
			abort();
		kafka_uri_free(&u);
	}
	(void)kafka_prop_split(uri);
	free(uri);
	size_t total = 0;
	(void)kafka_props_parse(text, size, count_prop, &total, err, sizeof err);
	return 0;
}
