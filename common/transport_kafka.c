/* transport_kafka.c - placeholder until the Kafka transport (issue 8) lands:
 * a kafka:// URI is recognized and refused as unavailable. */
#include "transport.h"

#include <errno.h>
#include <stdio.h>

struct ward_input *kafka_input_open(const char *uri, const struct ward_transport_opts *o,
				    char *err, size_t errlen)
{
	(void)uri;
	(void)o;
	snprintf(err, errlen, "the Kafka transport is not built yet");
	errno = ENOSYS;
	return NULL;
}

struct ward_output *kafka_output_open(const char *uri, const struct ward_transport_opts *o,
				      char *err, size_t errlen)
{
	(void)uri;
	(void)o;
	snprintf(err, errlen, "the Kafka transport is not built yet");
	errno = ENOSYS;
	return NULL;
}
