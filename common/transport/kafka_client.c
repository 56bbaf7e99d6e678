/* kafka_client.c - librdkafka configuration and logging (kafka_client.h). */
#include "kafka_client.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "counters.h"
#include "log.h"

#define KAFKA_CONFIG_FILE_MAX (1u << 20)

struct conf_ctx {
	rd_kafka_conf_t *conf;
	const char *origin;	/* for error messages: "FILE" or "-X" */
};

static int conf_set(rd_kafka_conf_t *conf, const char *name, const char *value, const char *origin,
		    char *err, size_t errlen)
{
	char why[256];
	if (rd_kafka_conf_set(conf, name, value, why, sizeof(why)) != RD_KAFKA_CONF_OK) {
		snprintf(err, errlen, "%s: %s", origin, why);
		return -1;
	}
	return 0;
}

static int file_prop(void *vctx, const char *name, const char *value, char *err, size_t errlen)
{
	struct conf_ctx *c = vctx;
	return conf_set(c->conf, name, value, c->origin, err, errlen);
}

static char *slurp(const char *path, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	struct stat sb;
	if (fstat(fileno(f), &sb) == 0 && (sb.st_mode & 0077) != 0)
		log_warn("%s: readable by group or others; keep Kafka credentials 0600", path);
	char *text = ward_xmalloc(KAFKA_CONFIG_FILE_MAX + 1);
	*len = fread(text, 1, KAFKA_CONFIG_FILE_MAX + 1, f);
	bool bad = ferror(f) || *len > KAFKA_CONFIG_FILE_MAX;
	fclose(f);
	if (bad) {
		snprintf(err, errlen, "%s: unreadable or larger than 1 MiB", path);
		free(text);
		return NULL;
	}
	return text;
}

static int read_config_file(rd_kafka_conf_t *conf, const char *path, char *err, size_t errlen)
{
	size_t len = 0;
	char *text = slurp(path, &len, err, errlen);
	if (!text)
		return -1;
	struct conf_ctx c = { conf, path };
	char why[512];
	int rc = kafka_props_parse(text, len, file_prop, &c, why, sizeof(why));
	memset(text, 0, len);
	free(text);
	if (rc != 0)
		snprintf(err, errlen, "%s: %s", path, why);
	return rc;
}

static int set_defaults(rd_kafka_conf_t *conf, const struct ward_transport_opts *o,
			enum kafka_role role, char *err, size_t errlen)
{
	static const char *const consumer_defaults[][2] = {
		{ "enable.auto.commit", "true" },
		{ "auto.commit.interval.ms", "1000" },
		{ "auto.offset.reset", "earliest" },
		/* eager assignors: whole-assignment revokes keep the window
		 * semantics simple, and the test mock stalls on cooperative */
		{ "partition.assignment.strategy", "range,roundrobin" },
		{ "enable.partition.eof", "true" },
		/* librdkafka 2.0.2 compares this per-partition prefetch target
		 * with the whole consumer queue, so with many partitions the
		 * default (100000) stalls fetching for a second at a time
		 * whenever the stage falls behind; the byte bound
		 * (queued.max.messages.kbytes) still caps memory */
		{ "queued.min.messages", "1000000" },
	};
	static const char *const producer_defaults[][2] = {
		{ "enable.idempotence", "true" },
		/* 20 ms fills batches 4x fuller than librdkafka's 5 when a
		 * stage's output spreads over many partitions: measured 0.2 us
		 * less CPU per event (producer threads and broker) for at most
		 * 20 ms more on a lone alert's way out (docs/kafka.md) */
		{ "linger.ms", "20" },
		/* successful deliveries are freed by librdkafka's broker
		 * threads instead of the stage's main thread (0.1 us per
		 * event); failures still come to dr_msg_cb, which is all the
		 * at-least-once contract needs (transport_kafka_out.c) */
		{ "delivery.report.only.error", "true" },
	};
	char client_id[128];
	snprintf(client_id, sizeof(client_id), "ward-%s", o && o->stage ? o->stage : "stage");
	if (conf_set(conf, "client.id", client_id, "default", err, errlen) != 0 ||
	    conf_set(conf, "log.queue", "true", "default", err, errlen) != 0)
		return -1;
	bool consumer = role == KAFKA_CONSUMER;
	size_t n = consumer ? sizeof(consumer_defaults) / sizeof(consumer_defaults[0])
			    : sizeof(producer_defaults) / sizeof(producer_defaults[0]);
	for (size_t i = 0; i < n; i++) {
		const char *const *kv = consumer ? consumer_defaults[i] : producer_defaults[i];
		if (conf_set(conf, kv[0], kv[1], "default", err, errlen) != 0)
			return -1;
	}
	return 0;
}

static int set_env_secrets(rd_kafka_conf_t *conf, char *err, size_t errlen)
{
	static const char *const env_props[][2] = {
		{ "WARD_KAFKA_SASL_USERNAME", "sasl.username" },
		{ "WARD_KAFKA_SASL_PASSWORD", "sasl.password" },
		{ "WARD_KAFKA_SSL_KEY_PASSWORD", "ssl.key.password" },
	};
	for (size_t i = 0; i < sizeof(env_props) / sizeof(env_props[0]); i++) {
		const char *v = getenv(env_props[i][0]);
		if (v && *v && conf_set(conf, env_props[i][1], v, env_props[i][0], err, errlen) != 0)
			return -1;
	}
	return 0;
}

static bool other_transport_prop(const char *nv)
{
	return strncmp(nv, "loki.", 5) == 0;
}

/* First pass over -X: configuration files, in order. */
static int apply_config_files(rd_kafka_conf_t *conf, const struct ward_transport_opts *o,
			      char *err, size_t errlen)
{
	const char *env = getenv("WARD_KAFKA_CONFIG");
	if (env && *env && read_config_file(conf, env, err, errlen) != 0)
		return -1;
	for (const char *const *p = o && o->props ? o->props : NULL; p && *p; p++)
		if (strncmp(*p, "kafka.config=", 13) == 0 &&
		    read_config_file(conf, *p + 13, err, errlen) != 0)
			return -1;
	return 0;
}

/* A ward setting that is true or false into *flag; -1 with the reason in
 * err otherwise. */
static int bool_setting(const char *name, const char *value, bool *flag, char *err, size_t errlen)
{
	if (strcmp(value, "true") != 0 && strcmp(value, "false") != 0) {
		snprintf(err, errlen, "-X %s: want true or false", name);
		return -1;
	}
	*flag = strcmp(value, "true") == 0;
	return 0;
}

static int ward_setting(const char *name, const char *value, struct kafka_settings *ws,
			char *err, size_t errlen)
{
	if (strcmp(name, "kafka.config") == 0)
		return 0;	/* read in the first pass */
	if (strcmp(name, "kafka.eof") == 0)
		return bool_setting(name, value, &ws->stop_at_eof, err, errlen);
	if (strcmp(name, "kafka.schema.header") == 0) {
		bool on;
		if (bool_setting(name, value, &on, err, errlen) != 0)
			return -1;
		ws->no_schema_header = !on;
		return 0;
	}
	if (strcmp(name, "kafka.close.ms") == 0) {
		char *end;
		errno = 0;
		long v = strtol(value, &end, 10);
		if (errno || end == value || *end || v < 0 || v > 3600000) {
			snprintf(err, errlen, "-X kafka.close.ms: want milliseconds, 0 to 3600000");
			return -1;
		}
		ws->close_ms = (int)v;
		return 0;
	}
	snprintf(err, errlen, "-X %s: unknown ward Kafka setting (kafka.config, kafka.eof, "
		 "kafka.close.ms, kafka.schema.header)", name);
	return -1;
}

/* Second pass over -X: librdkafka properties and ward's kafka.* settings. */
static int apply_props(rd_kafka_conf_t *conf, const struct ward_transport_opts *o,
		       struct kafka_settings *ws, char *err, size_t errlen)
{
	for (const char *const *p = o && o->props ? o->props : NULL; p && *p; p++) {
		if (other_transport_prop(*p))
			continue;
		size_t nlen = kafka_prop_split(*p);
		if (nlen == 0) {
			snprintf(err, errlen, "-X %s: want NAME=VALUE", *p);
			return -1;
		}
		char *name = ward_xstrndup(*p, nlen);
		const char *value = *p + nlen + 1;
		int rc;
		if (strncmp(name, "kafka.", 6) == 0) {
			rc = ward_setting(name, value, ws, err, errlen);
		} else if (kafka_prop_is_secret(name)) {
			snprintf(err, errlen, "-X %s: secrets are not taken from the command line; "
				 "use a properties file (-X kafka.config=FILE, WARD_KAFKA_CONFIG) or "
				 "the environment", name);
			rc = -1;
		} else {
			rc = conf_set(conf, name, value, "-X", err, errlen);
		}
		free(name);
		if (rc != 0)
			return -1;
	}
	return 0;
}

static bool conf_has(rd_kafka_conf_t *conf, const char *name)
{
	size_t n = 0;
	return rd_kafka_conf_get(conf, name, NULL, &n) == RD_KAFKA_CONF_OK && n > 1;
}

static int apply_uri(rd_kafka_conf_t *conf, const struct kafka_uri *u,
		     const struct ward_transport_opts *o, enum kafka_role role, char *err,
		     size_t errlen)
{
	if (u->brokers[0] && conf_set(conf, "bootstrap.servers", u->brokers, "URI", err, errlen))
		return -1;
	if (!conf_has(conf, "bootstrap.servers")) {
		snprintf(err, errlen, "no brokers: name them in the URI (kafka://HOST:PORT/TOPIC) "
			 "or set bootstrap.servers in a properties file");
		return -1;
	}
	if (role != KAFKA_CONSUMER)
		return 0;
	char group[256];
	snprintf(group, sizeof(group), "ward-%s", o && o->stage ? o->stage : "stage");
	if (u->group && conf_set(conf, "group.id", u->group, "URI", err, errlen))
		return -1;
	if (!u->group && !conf_has(conf, "group.id") &&
	    conf_set(conf, "group.id", group, "default", err, errlen))
		return -1;
	/* The guarantee: offsets are stored by input_commit() only. */
	return conf_set(conf, "enable.auto.offset.store", "false", "forced", err, errlen);
}

static struct ward_ratelimit kafka_log_rl = WARD_RATELIMIT_INIT(10, 10);

static void log_cb(const rd_kafka_t *rk, int level, const char *fac, const char *msg)
{
	(void)rk;
	/* -X goes to consumers and producers alike, so a property of the
	 * other kind is expected, not worth a warning */
	if (strcmp(fac, "CONFWARN") == 0 && strstr(msg, "will be ignored by this"))
		level = 7;
	if (level <= 4)
		log_warn_limited(&kafka_log_rl, "kafka: %s: %s", fac, msg);
	else if (level <= 6)
		log_info("kafka: %s: %s", fac, msg);
	else
		log_debug("kafka: %s: %s", fac, msg);
}

rd_kafka_conf_t *kafka_conf_build(const struct kafka_uri *u, const struct ward_transport_opts *o,
				  enum kafka_role role, struct kafka_settings *ws, char *err,
				  size_t errlen)
{
	memset(ws, 0, sizeof(*ws));
	ws->close_ms = KAFKA_CLOSE_MS_DEFAULT;
	if (role == KAFKA_CONSUMER && u->key) {
		snprintf(err, errlen, "key= is for outputs (--out)");
		return NULL;
	}
	if (role == KAFKA_PRODUCER && u->group) {
		snprintf(err, errlen, "group= is for inputs (--in)");
		return NULL;
	}
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	rd_kafka_conf_set_log_cb(conf, log_cb);
	if (set_defaults(conf, o, role, err, errlen) != 0 ||
	    apply_config_files(conf, o, err, errlen) != 0 ||
	    set_env_secrets(conf, err, errlen) != 0 || apply_props(conf, o, ws, err, errlen) != 0 ||
	    apply_uri(conf, u, o, role, err, errlen) != 0) {
		rd_kafka_conf_destroy(conf);
		return NULL;
	}
	return conf;
}

#define KAFKA_ABANDONED_MAX 8
/* Reachable from here, so leak checkers do not report them. */
static rd_kafka_t *kafka_abandoned[KAFKA_ABANDONED_MAX];

void kafka_client_abandon(rd_kafka_t *rk)
{
	for (int i = 0; i < KAFKA_ABANDONED_MAX; i++)
		if (!kafka_abandoned[i]) {
			kafka_abandoned[i] = rk;
			return;
		}
}

void kafka_client_started(rd_kafka_t *rk)
{
	rd_kafka_set_log_queue(rk, NULL);
}

uint64_t *kafka_counter(const struct ward_transport_opts *o, const char *name)
{
	static uint64_t dummy[WARD_COUNTERS_EXTRA];
	static unsigned ndummy;
	uint64_t *c = o && o->counters ? counters_extra(o->counters, name) : NULL;
	if (c)
		return c;
	return &dummy[ndummy++ % WARD_COUNTERS_EXTRA];
}

rd_kafka_t *kafka_client_new(const struct kafka_uri *u, const struct ward_transport_opts *o,
			     enum kafka_role role, struct kafka_settings *ws, void *opaque,
			     void (*set_callbacks)(rd_kafka_conf_t *conf), char *err, size_t errlen)
{
	rd_kafka_conf_t *conf = kafka_conf_build(u, o, role, ws, err, errlen);
	if (!conf)
		return NULL;
	rd_kafka_conf_set_opaque(conf, opaque);
	set_callbacks(conf);
	char why[512];
	rd_kafka_t *rk = rd_kafka_new(role == KAFKA_CONSUMER ? RD_KAFKA_CONSUMER : RD_KAFKA_PRODUCER,
				      conf, why, sizeof(why));
	if (!rk) {
		rd_kafka_conf_destroy(conf);
		snprintf(err, errlen, "%s", why);
		return NULL;
	}
	kafka_client_started(rk);
	return rk;
}
