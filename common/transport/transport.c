/* transport.c - the scheme table: which transport serves which URI. */
#include "transport.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct ward_input *(*input_ctor)(const char *, const struct ward_transport_opts *,
					  char *, size_t);
typedef struct ward_output *(*output_ctor)(const char *, const struct ward_transport_opts *,
					    char *, size_t);

static const struct {
	const char *prefix;
	input_ctor in;
	output_ctor out;
} schemes[] = {
	{ "kafka://", kafka_input_open, kafka_output_open },
	{ "loki+http://", loki_input_open, loki_output_open },
	{ "loki+https://", loki_input_open, loki_output_open },
	{ "alertmanager+http://", alertmanager_input_open, alertmanager_output_open },
	{ "alertmanager+https://", alertmanager_input_open, alertmanager_output_open },
};

static size_t find_scheme(const char *uri)
{
	for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
		if (strncmp(uri, schemes[i].prefix, strlen(schemes[i].prefix)) == 0)
			return i;
	return (size_t)-1;
}

int transport_uri_check(const char *uri, char *err, size_t errlen)
{
	if (find_scheme(uri) != (size_t)-1)
		return 0;
	/* RFC 3986 scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) */
	size_t n = 0;
	if ((uri[0] | 32) >= 'a' && (uri[0] | 32) <= 'z')
		n = 1 + strspn(uri + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.");
	if (n == 0 || strncmp(uri + n, "://", 3) != 0)
		return 0;	/* a path */
	size_t used = (size_t)snprintf(err, errlen, "unknown scheme '%.*s://' (known:", (int)n, uri);
	for (size_t i = 0; i < sizeof schemes / sizeof schemes[0] && used < errlen; i++)
		used += (size_t)snprintf(err + used, errlen - used, " %s", schemes[i].prefix);
	if (used < errlen)
		snprintf(err + used, errlen - used, "; a file of that name: ./%.*s)", 32, uri);
	errno = EPROTONOSUPPORT;
	return -1;
}

struct ward_input *input_open(const char *uri, const struct ward_transport_opts *o,
			      char *err, size_t errlen)
{
	size_t i = find_scheme(uri);
	if (i == (size_t)-1 && transport_uri_check(uri, err, errlen) != 0)
		return NULL;
	errno = 0;
	return i == (size_t)-1 ? fdio_input_open(uri, o, err, errlen) : schemes[i].in(uri, o, err, errlen);
}

struct ward_output *output_open(const char *uri, const struct ward_transport_opts *o,
				char *err, size_t errlen)
{
	size_t i = find_scheme(uri);
	if (i == (size_t)-1 && transport_uri_check(uri, err, errlen) != 0)
		return NULL;
	errno = 0;
	return i == (size_t)-1 ? fdio_output_open(uri, o, err, errlen)
			       : schemes[i].out(uri, o, err, errlen);
}

void input_close(struct ward_input *in)
{
	if (in)
		in->ops->close(in);
}

void output_close(struct ward_output *out)
{
	if (out)
		out->ops->close(out);
}

const char *transport_prop(const struct ward_transport_opts *o, const char *name)
{
	size_t n = strlen(name);
	if (!o->props)
		return NULL;
	const char *found = NULL;
	for (const char *const *p = o->props; *p; p++)
		if (strncmp(*p, name, n) == 0 && (*p)[n] == '=')
			found = *p + n + 1;	/* the last one wins, as on a command line */
	return found;
}
