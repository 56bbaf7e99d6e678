/* kafka_client.h - librdkafka configuration for the Kafka transport
 * (transport_kafka.c): one place that turns a kafka:// URI, the -X
 * properties, properties files and the environment into an rd_kafka_conf_t
 * with ward's delivery settings, and routes librdkafka's logs and errors
 * through log.h.
 *
 * Precedence, lowest first: ward's defaults, the file named by
 * WARD_KAFKA_CONFIG, files named by -X kafka.config=FILE (in order), the
 * secrets in WARD_KAFKA_SASL_USERNAME / WARD_KAFKA_SASL_PASSWORD /
 * WARD_KAFKA_SSL_KEY_PASSWORD, the other -X properties (in order), then the
 * URI (brokers, group). Properties that carry secrets are refused from -X.
 * The settings the delivery guarantee rests on are forced last
 * (enable.auto.offset.store=false on consumers). */
#ifndef WARD_KAFKA_CLIENT_H
#define WARD_KAFKA_CLIENT_H

#include <librdkafka/rdkafka.h>
#include <stdbool.h>
#include <stdint.h>

#include "kafka_conf.h"
#include "transport.h"
#include "wtime.h"

enum kafka_role { KAFKA_CONSUMER, KAFKA_PRODUCER };

/* ward's own kafka.* properties (not passed to librdkafka). */
struct kafka_settings {
	bool stop_at_eof;	/* kafka.eof=true: input ends when every assigned
				 * partition is at its end (tests, backfills) */
	int close_ms;		/* kafka.close.ms: how long a stopping stage waits
				 * for acknowledgements (outputs) and for its final
				 * commit and leaving the group (inputs) */
	bool no_schema_header;	/* kafka.schema.header=false: outputs send no
				 * ward-schema header (the event's "v" still
				 * says the version) */
};

#define KAFKA_CLOSE_MS_DEFAULT 10000

/* A new configuration, or NULL with the reason in err. The caller owns it
 * (rd_kafka_new takes it over on success). */
rd_kafka_conf_t *kafka_conf_build(const struct kafka_uri *u, const struct ward_transport_opts *o,
				  enum kafka_role role, struct kafka_settings *ws, char *err,
				  size_t errlen);

/* A started client for the role: its configuration from u and o
 * (kafka_conf_build), opaque, and the callbacks set_callbacks puts on the
 * configuration (the input's or the output's); NULL with the reason in err
 * if the configuration or the client is refused. */
rd_kafka_t *kafka_client_new(const struct kafka_uri *u, const struct ward_transport_opts *o,
			     enum kafka_role role, struct kafka_settings *ws, void *opaque,
			     void (*set_callbacks)(rd_kafka_conf_t *conf), char *err, size_t errlen);

/* The longest one librdkafka call waits in a bounded wait loop, so the
 * loop sees its deadline (and a stop request) in time. */
#define KAFKA_POLL_SLICE_MS 100

/* Monotonic milliseconds, for those deadlines. */
static inline int64_t kafka_mono_ms(void)
{
	return time_mono_ns() / 1000000;
}

/* After rd_kafka_new: serve librdkafka's logs from the handle's main queue
 * (so they are printed by the polling thread, through log.h). */
void kafka_client_started(rd_kafka_t *rk);

/* A handle whose shutdown did not finish in kafka.close.ms: not destroyed
 * (rd_kafka_destroy would wait for the same broker or group), kept
 * reachable until the process exits. */
void kafka_client_abandon(rd_kafka_t *rk);

/* A stage counter (counters_extra), or a private dummy when the stage
 * passed no counters. name must be static. */
uint64_t *kafka_counter(const struct ward_transport_opts *o, const char *name);

#endif
