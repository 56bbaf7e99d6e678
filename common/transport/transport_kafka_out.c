/* transport_kafka_out.c - kafka://BROKERS/TOPIC outputs (idempotent
 * producers), at-least-once (docs/kafka.md); the inputs are
 * transport_kafka.c.
 *
 * Every message is produced with a copy of the event's JSON, a key from the
 * event field named by ?key=, and the header ward-schema: 1 (unless
 * -X kafka.schema.header=false). Only failed
 * deliveries are reported (delivery.report.only.error, kafka_client.c):
 * one failed report (or a fatal producer error) makes every later flush
 * fail, so the stage exits without committing and a restart replays; a
 * flush succeeds only when librdkafka holds no message any more, i.e. every
 * one was acknowledged or reported failed. kafka_delivered is derived at
 * each flush from what was produced, what failed and what is still held. flush(0), the stage's call at quiet points, only hands
 * messages to the network and serves delivery reports: it fails on a failed
 * delivery, never because acknowledgements are still on their way. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "counters.h"
#include "event.h"
#include "kafka_client.h"
#include "log.h"
#include "signals.h"
#include "transport.h"

/* Failure reports and logs are served every this many produced messages
 * (and at every flush): often enough to keep the queue short, rarely
 * enough that the queue lock is not taken per message. */
#define KAFKA_DR_POLL_EVERY 128
#define KAFKA_SCHEMA_HEADER "ward-schema"
#define KAFKA_SCHEMA_VALUE "1"

static struct ward_ratelimit kafka_err_rl = WARD_RATELIMIT_INIT(10, 10);

struct kafka_output {
	struct ward_output base;
	rd_kafka_t *rk;
	rd_kafka_topic_t *rkt;
	char *key_field;	/* NULL: no key (librdkafka spreads messages) */
	bool failed;		/* sticky: a message was not delivered */
	bool gave_up;		/* a stopping stage's wait hit kafka.close.ms */
	bool schema_header;	/* send ward-schema: 1 (kafka.schema.header) */
	int close_ms;		/* kafka.close.ms */
	uint64_t *c_produced;
	uint64_t *c_delivered;
	uint64_t *c_delivery_failed;
	uint64_t *c_queue_full;
	uint64_t *c_unacked;
};

static void dr_msg_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
	(void)rk;
	struct kafka_output *ko = opaque;
	if (!m->err)
		return;	/* only with -X delivery.report.only.error=false:
			 * kafka_delivered is derived (update_delivered) */
	(*ko->c_delivery_failed)++;
	if (ko->gave_up)
		return;	/* purged at close: kout_close said it */
	if (!ko->failed)
		log_error("kafka: delivery to %s failed: %s (%s); stopping without committing "
			  "input, a restart replays it", rd_kafka_topic_name(m->rkt),
			  rd_kafka_err2str(m->err),
			  rd_kafka_message_status(m) == RD_KAFKA_MSG_STATUS_NOT_PERSISTED
				  ? "not persisted" : "possibly persisted");
	ko->failed = true;
}

static void output_error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
	struct kafka_output *ko = opaque;
	char why[512];
	if (err == RD_KAFKA_RESP_ERR__FATAL &&
	    rd_kafka_fatal_error(rk, why, sizeof(why)) != RD_KAFKA_RESP_ERR_NO_ERROR) {
		log_error("kafka: producer fatal error: %s", why);
		ko->failed = true;
		return;
	}
	log_warn_limited(&kafka_err_rl, "kafka: %s: %s", rd_kafka_err2name(err), reason);
}

/* Messages produced that librdkafka still holds: neither acknowledged nor
 * reported failed (rd_kafka_outq_len() also counts callbacks not yet
 * served, which a flush serves first). */
static uint64_t unacked(const struct kafka_output *ko)
{
	int held = rd_kafka_outq_len(ko->rk);
	return held > 0 ? (uint64_t)held : 0;
}

/* Successful deliveries are not reported one by one: they are what was
 * produced, less what failed and what is still held. */
static void update_delivered(struct kafka_output *ko)
{
	uint64_t done = *ko->c_delivery_failed + unacked(ko);
	*ko->c_delivered = *ko->c_produced > done ? *ko->c_produced - done : 0;
}

/* Wait up to timeout_ms (-1: until every message is acknowledged or
 * failed, which message.timeout.ms bounds) for the output queue to empty, in
 * slices, so a stop signal that comes meanwhile is seen: from then on the
 * wait is bounded by kafka.close.ms, and only once: after a wait ran out
 * (gave_up), later ones do not wait. Returns what is still queued. */
static int flush_bounded(struct kafka_output *ko, int timeout_ms)
{
	int64_t deadline = timeout_ms < 0 ? -1 : kafka_mono_ms() + timeout_ms;
	int64_t stop_deadline = -1;
	for (;;) {
		int64_t now = kafka_mono_ms();
		if (signals_stop_requested() && stop_deadline < 0)
			stop_deadline = ko->gave_up ? now : now + ko->close_ms;
		int64_t until = deadline;
		if (stop_deadline >= 0 && (until < 0 || stop_deadline < until))
			until = stop_deadline;
		int64_t slice = until < 0 || until - now > KAFKA_POLL_SLICE_MS ? KAFKA_POLL_SLICE_MS
									: until - now;
		rd_kafka_flush(ko->rk, slice > 0 ? (int)slice : 0);
		int left = rd_kafka_outq_len(ko->rk);
		if (left == 0 || ko->failed)
			return left;
		if (until >= 0 && kafka_mono_ms() >= until) {
			if (until == stop_deadline)
				ko->gave_up = true;
			return left;
		}
	}
}

static int kout_write(struct ward_output *out, const struct ward_event *ev, const char *json,
		      size_t len)
{
	struct kafka_output *ko = (struct kafka_output *)out;
	const struct ward_kv *key = ko->key_field && ev ? event_lookup(ev, ko->key_field) : NULL;
	for (;;) {
		if (ko->failed) {
			errno = EIO;
			return -1;
		}
		/* A list per message: librdkafka 2.0.2 frees it with the
		 * message and has no shared or batch-level headers, so these
		 * are three allocations each time (docs/kafka.md, 0.3 us of
		 * CPU per event in all) */
		rd_kafka_headers_t *h = NULL;
		if (ko->schema_header) {
			h = rd_kafka_headers_new(1);
			rd_kafka_header_add(h, KAFKA_SCHEMA_HEADER, -1, KAFKA_SCHEMA_VALUE, 1);
		}
		rd_kafka_resp_err_t err = rd_kafka_producev(
			ko->rk, RD_KAFKA_V_RKT(ko->rkt), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
			RD_KAFKA_V_KEY(key ? key->val : NULL, key ? key->val_len : 0),
			RD_KAFKA_V_VALUE((void *)json, len), RD_KAFKA_V_HEADERS(h), RD_KAFKA_V_END);
		if (!err)
			break;
		if (h)
			rd_kafka_headers_destroy(h);
		if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
			log_error("kafka: produce to %s: %s", rd_kafka_topic_name(ko->rkt),
				  rd_kafka_err2str(err));
			ko->failed = true;
			errno = EIO;
			return -1;
		}
		/* Back-pressure: wait for acknowledgements, never drop; a
		 * stopping stage waits at most kafka.close.ms (once). */
		(*ko->c_queue_full)++;
		if (signals_stop_requested()) {
			if (flush_bounded(ko, -1) > 0) {
				log_error("kafka: output queue to %s still full after kafka.close.ms=%d "
					  "since the stop signal: not delivered, input not committed",
					  rd_kafka_topic_name(ko->rkt), ko->close_ms);
				ko->gave_up = ko->failed = true;
			}
			continue;
		}
		rd_kafka_poll(ko->rk, 10);
	}
	if (++(*ko->c_produced) % KAFKA_DR_POLL_EVERY == 0)
		rd_kafka_poll(ko->rk, 0);
	return 0;
}

/* timeout_ms 0 (the stage's quiet points): hand everything to the
 * network and serve delivery reports without waiting; only a failed
 * delivery is an error. Otherwise wait up to timeout_ms (-1: until every
 * message is acknowledged or failed, bounded by message.timeout.ms, or by
 * kafka.close.ms after a stop signal). */
static int kout_flush(struct ward_output *out, int timeout_ms)
{
	struct kafka_output *ko = (struct kafka_output *)out;
	int left = 0;
	if (!ko->failed) {
		if (timeout_ms == 0) {
			rd_kafka_poll(ko->rk, 0);
		} else {
			left = flush_bounded(ko, timeout_ms);
			*ko->c_unacked = unacked(ko);
		}
		update_delivered(ko);
	}
	if (ko->failed) {
		errno = EIO;
		return -1;
	}
	if (left > 0) {
		log_warn("kafka: %d message(s) to %s not acknowledged within %d ms", left,
			 rd_kafka_topic_name(ko->rkt), ko->gave_up ? ko->close_ms : timeout_ms);
		errno = ETIMEDOUT;
		return -1;
	}
	return 0;
}

/* Wait for the last acknowledgements: without a stop signal (the input's
 * end) up to message.timeout.ms, so every message is acked or failed;
 * after one, up to kafka.close.ms. What is still unacknowledged then is
 * purged and counted (kafka_unacked): the input was not committed past it,
 * so a restart replays it. */
static void kout_close(struct ward_output *out)
{
	struct kafka_output *ko = (struct kafka_output *)out;
	if (!ko->failed)
		flush_bounded(ko, -1);
	update_delivered(ko);
	uint64_t left = unacked(ko);
	if (ko->failed || left > 0) {
		if (!ko->failed || ko->gave_up)
			log_warn("kafka: %llu message(s) to %s not acknowledged at exit (kafka.close.ms=%d): "
				 "dropped; the input was not committed past them, a restart replays them",
				 (unsigned long long)left, rd_kafka_topic_name(ko->rkt), ko->close_ms);
		*ko->c_unacked = left;
		ko->gave_up = true;
		rd_kafka_purge(ko->rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
		rd_kafka_flush(ko->rk, 1000);
	}
	rd_kafka_topic_destroy(ko->rkt);
	rd_kafka_destroy(ko->rk);
	free(ko->key_field);
	free(ko->base.uri);
	free(ko);
}

static const struct ward_output_ops kafka_output_ops = {
	.write = kout_write,
	.flush = kout_flush,
	.close = kout_close,
};

static void output_counters(struct kafka_output *ko, const struct ward_transport_opts *o)
{
	ko->c_produced = kafka_counter(o, "kafka_produced");
	ko->c_delivered = kafka_counter(o, "kafka_delivered");
	ko->c_delivery_failed = kafka_counter(o, "kafka_delivery_failed");
	ko->c_queue_full = kafka_counter(o, "kafka_queue_full");
	ko->c_unacked = kafka_counter(o, "kafka_unacked");
}

/* The producer's callbacks, set on its configuration by kafka_client_new. */
static void output_callbacks(rd_kafka_conf_t *conf)
{
	rd_kafka_conf_set_dr_msg_cb(conf, dr_msg_cb);
	rd_kafka_conf_set_error_cb(conf, output_error_cb);
}

struct ward_output *kafka_output_open(const char *uri, const struct ward_transport_opts *o,
				      char *err, size_t errlen)
{
	struct kafka_uri u;
	if (kafka_uri_parse(uri, &u, err, errlen) != 0) {
		errno = EINVAL;
		return NULL;
	}
	struct kafka_output *ko = ward_xcalloc(1, sizeof(*ko));
	struct kafka_settings ws;
	ko->rk = kafka_client_new(&u, o, KAFKA_PRODUCER, &ws, ko, output_callbacks, err, errlen);
	if (!ko->rk)
		goto fail;
	ko->rkt = rd_kafka_topic_new(ko->rk, u.topic, NULL);
	ko->base.ops = &kafka_output_ops;
	ko->base.uri = ward_xstrdup(uri);
	ko->key_field = u.key;
	u.key = NULL;
	ko->close_ms = ws.close_ms;
	ko->schema_header = !ws.no_schema_header;
	output_counters(ko, o);
	kafka_uri_free(&u);
	return &ko->base;
fail:
	kafka_uri_free(&u);
	free(ko);
	errno = EINVAL;
	return NULL;
}
