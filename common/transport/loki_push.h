/* loki_push.h - build Loki push request bodies (POST /loki/api/v1/push).
 *
 * A batch groups entries by stream (the label set) and serializes to Loki's
 * JSON push format:
 *   {"streams":[{"stream":{"job":"x"},"values":[["<ns>","<line>"],...]},...]}
 * Timestamps are written as strings of nanoseconds (a JSON number gets 400).
 * Entries of one stream keep the order they were added in. No I/O here.
 *
 * Ownership: the batch copies everything it is given. */
#ifndef WARD_LOKI_PUSH_H
#define WARD_LOKI_PUSH_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct ward_event;

struct loki_stream {
	char *key;		/* canonical label set, sorted: {a="1",b="2"} */
	struct ward_buf labels_json;	/* {"a":"1","b":"2"} */
	struct ward_buf values;	/* ["ns","line"],... without brackets */
	size_t entries;
	struct loki_stream *next;	/* hash chain */
};

struct loki_batch {
	struct loki_stream **table;	/* hash of streams by key */
	size_t nbuckets;
	struct loki_stream **order;	/* streams in order of first entry */
	size_t nstreams;
	size_t cap_streams;
	size_t entries;
	size_t line_bytes;	/* sum of line lengths: what batch size bounds */
	int64_t first_mono_ns;	/* when the first entry was added */
	struct ward_buf scratch;
};

void loki_batch_init(struct loki_batch *b);
void loki_batch_free(struct loki_batch *b);
/* Empty the batch (keeps nothing; streams are freed). */
void loki_batch_clear(struct loki_batch *b);

/* Add one entry to the stream with these labels. names/values are n pairs;
 * a label set with no valid label gets {job="ward"} (Loki rejects streams
 * without labels). Invalid label name characters are replaced by '_'. */
void loki_batch_add(struct loki_batch *b, const char *const *names,
		    const char *const *values, size_t n, int64_t ts_ns,
		    const char *line, size_t line_len);
/* Add an event: its labels, its ts (or fallback_ts_ns when it has none),
 * and as line either ev->line or json (the whole serialized event). */
void loki_batch_add_event(struct loki_batch *b, const struct ward_event *ev,
			  const char *json, size_t json_len, int whole_event,
			  int64_t fallback_ts_ns);

/* Append the JSON push body to out. */
void loki_batch_serialize(const struct loki_batch *b, struct ward_buf *out);

/* gzip-compress in into out (appended). Returns 0 or -1. */
int loki_gzip(const char *in, size_t len, struct ward_buf *out);

/* Jittered exponential backoff as Promtail/dskit: the wait for attempt k
 * (0-based) is uniform in [min*2^k, 2*min*2^k), capped at max. rnd is a
 * uniform value in [0,1). */
int64_t loki_backoff_ns(int64_t min_ns, int64_t max_ns, unsigned attempt, double rnd);

/* What to do with an HTTP status of a push: */
enum loki_push_verdict {
	LOKI_PUSH_OK,		/* 2xx */
	LOKI_PUSH_RETRY,	/* 429, 5xx, connection error (status 0) */
	LOKI_PUSH_REJECTED,	/* 4xx other than 429: never retried (Loki may
				 * have stored part of the batch) */
};
enum loki_push_verdict loki_push_verdict(long http_status);

#endif
