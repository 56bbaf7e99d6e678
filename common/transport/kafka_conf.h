/* kafka_conf.h - the text formats of the Kafka transport: URIs and
 * properties files. Pure parsing, no I/O and no librdkafka, so the unit
 * tests and the fuzzer (fuzz/fuzz_kafka_uri.c) call it directly.
 *
 *   kafka://BROKERS/TOPIC[?PARAM=VALUE[&PARAM=VALUE]...]
 *
 * BROKERS is "host:port,host:port" (IPv6 as "[::1]:9092"); it may be empty
 * ("kafka:///TOPIC") when bootstrap.servers comes from a properties file.
 * TOPIC follows Kafka's rule: 1-249 characters of [A-Za-z0-9._-], not "." or
 * "..". Parameters: group=NAME (consumer group, inputs), key=FIELD (event
 * field whose value is the message key, outputs). Values are
 * percent-decoded. Unknown parameters are errors, so a typo never silently
 * changes delivery.
 *
 * Properties files are read as kcat -F reads them: one "name=value" per
 * line, surrounding whitespace trimmed, blank lines and lines starting with
 * '#' ignored, the value is everything after the first '='. */
#ifndef WARD_KAFKA_CONF_H
#define WARD_KAFKA_CONF_H

#include <stdbool.h>
#include <stddef.h>

#define KAFKA_TOPIC_MAX 249

struct kafka_uri {
	char *brokers;	/* "" when the URI names none */
	char *topic;
	char *group;	/* NULL if absent */
	char *key;	/* NULL if absent */
};

/* Parse uri into u (all strings owned by u, freed by kafka_uri_free).
 * Returns 0, or -1 with a reason in err and u left empty. */
int kafka_uri_parse(const char *uri, struct kafka_uri *u, char *err, size_t errlen);
void kafka_uri_free(struct kafka_uri *u);

/* Called for each property; name and value are NUL-terminated and valid
 * only during the call. Return 0 to go on, -1 to stop (the callback wrote
 * err). */
typedef int (*kafka_prop_fn)(void *ctx, const char *name, const char *value,
			     char *err, size_t errlen);

/* Parse a properties text of len bytes (need not be NUL-terminated).
 * Returns 0, or -1 with "line N: why" (or the callback's reason) in err. */
int kafka_props_parse(const char *text, size_t len, kafka_prop_fn fn, void *ctx,
		      char *err, size_t errlen);

/* Split "name=value" (a -X argument) at the first '='. Returns the length
 * of the name, or 0 when there is no '=' or the name is empty. */
size_t kafka_prop_split(const char *nv);

/* True for librdkafka properties that carry secrets (passwords, private
 * keys, JAAS/OAuth configs). These must come from a properties file or the
 * environment, never from the command line where ps(1) shows them. */
bool kafka_prop_is_secret(const char *name);

#endif
