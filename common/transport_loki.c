/* transport_kafka.c - placeholder until the Loki transport (issue 5) lands:
 * a loki+http(s):// URI is recognized and refused as unavailable. */
#include "transport.h"

#include <errno.h>
#include <stdio.h>

struct ward_input *loki_input_open(const char *uri, const struct ward_transport_opts *o,
				    char *err, size_t errlen)
{
	(void)uri;
	(void)o;
	snprintf(err, errlen, "the Loki transport is not built yet");
	errno = ENOSYS;
	return NULL;
}

struct ward_output *loki_output_open(const char *uri, const struct ward_transport_opts *o,
				      char *err, size_t errlen)
{
	(void)uri;
	(void)o;
	snprintf(err, errlen, "the Loki transport is not built yet");
	errno = ENOSYS;
	return NULL;
}
