/* transport.h - where events come from and go to, by URI.
 *
 * Stages never know what carries their events. An input yields records (one
 * NDJSON event, or one raw text line for ward-ingest); an output takes events.
 *
 *   URI                          input                    output
 *   -                            stdin                    stdout
 *   PATH, file:PATH              a file                   a file (created/appended)
 *   kafka://BROKERS/TOPIC?...    consumer (transport_kafka.c)  producer
 *   loki+http(s)://HOST[:PORT]   query follow (transport_loki.c) push API
 *   alertmanager+http(s)://HOST[:PORT]  -      alerts, POST /api/v2/alerts
 *                                (transport_alertmanager.c; other events
 *                                are skipped and counted)
 *
 * Delivery contract (at-least-once): a stage calls output_flush() and then
 * input_commit() at quiet points and at exit. Commit means "every record
 * returned by next() so far has been fully processed and its outputs are
 * durable"; a Kafka input stores its offsets only then. A flush that cannot
 * deliver returns -1 and the stage must exit without committing.
 *
 * A new transport implements the ops below and adds one line to the scheme
 * table in transport.c. */
#ifndef WARD_TRANSPORT_H
#define WARD_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ward_event;
struct ward_counters;

/* Options common to all transports. props are "name=value" strings from -X
 * (Kafka properties, loki.* settings); each transport takes the names it
 * knows and rejects the rest. */
struct ward_transport_opts {
	size_t max_line;		/* record size bound, bytes */
	const char *const *props;	/* NULL-terminated, may be NULL */
	const char *stage;		/* "match", for client ids and logs */
	struct ward_counters *counters;	/* where transports count */
};

enum rec_status {
	REC_OK = 0,
	REC_EOF,
	REC_TIMEOUT,	/* nothing within timeout_ms; call again */
	REC_STOPPED,	/* stop requested (signals.h) */
	REC_SKIPPED,	/* a record was dropped by the transport (too long),
			 * already counted and reported; call again */
	REC_ERROR,	/* unrecoverable; the transport has logged why */
};

struct ward_record {
	const char *data;	/* valid until the next call to next() */
	size_t len;
	int64_t ts_ns;		/* time the transport knows (Kafka, Loki) or WARD_TS_NONE */
};

/* Partition rebalance notice from a partitioned input (Kafka consumer
 * groups), delivered from inside input_next(). REVOKE comes before this
 * instance loses its partitions: the hook flushes the outputs
 * (output_flush) and flushes or drops any state built from the records so
 * far (ward-window: its windows); returning 0 lets the input commit every
 * record returned so far, -1 commits only what earlier input_commit() calls
 * covered (the new owner then replays the rest: duplicates, never loss).
 * Without a hook, REVOKE behaves as if the hook returned -1. ASSIGN comes
 * after new partitions were assigned: state starts clean. */
enum ward_rebalance { WARD_REBALANCE_ASSIGN = 1, WARD_REBALANCE_REVOKE = 2 };
typedef int (*ward_rebalance_fn)(void *ctx, enum ward_rebalance what);

struct ward_input;
struct ward_input_ops {
	enum rec_status (*next)(struct ward_input *in, int timeout_ms, struct ward_record *rec);
	/* True when next() can return a record without waiting. The stage loop
	 * flushes its outputs whenever this is false, so no event waits in a
	 * buffer while the stage waits for input: latency of per-record
	 * flushing, throughput of batching. NULL means never buffered. */
	bool (*buffered)(struct ward_input *in);
	int (*commit)(struct ward_input *in);
	void (*close)(struct ward_input *in);
	/* Partitioned inputs (Kafka) only, NULL elsewhere; for a stage that
	 * keeps state built from each partition's records and sets
	 * holds_commits before its first next() (ward-window; docs/kafka.md
	 * "Window state across moves"):
	 * position: the partition and offset of the record next() returned
	 * last (false if none);
	 * hold: the next commits of partition part go no further than offset,
	 * the first record the stage still needs to rebuild its state (-1:
	 * no hold, every record handed out), and carry meta (at most
	 * TRANSPORT_META_MAX bytes, copied), which the partition's next owner
	 * reads with restored();
	 * restored: the metadata committed with the offset the partition
	 * started from in this assignment, or NULL;
	 * owns: whether the partition is assigned now.
	 * After a revoke, such a stage keeps its state: a partition assigned
	 * again goes on after the last record this instance read (its hold and
	 * metadata stay), and at ASSIGN the stage drops the state of those it
	 * does not own. */
	bool (*position)(struct ward_input *in, int32_t *part, int64_t *offset);
	void (*hold)(struct ward_input *in, int32_t part, int64_t offset, const char *meta);
	const char *(*restored)(struct ward_input *in, int32_t part);
	bool (*owns)(struct ward_input *in, int32_t part);
};
#define TRANSPORT_META_MAX 1024
struct ward_input {
	const struct ward_input_ops *ops;
	char *uri;
	/* Set by a stage that calls hold() (above): the input then commits
	 * each partition at the held offset with its metadata, instead of
	 * every record handed out, and fetches the metadata on assignment. */
	bool holds_commits;
	/* Set with input_set_rebalance_hook; only partitioned inputs read
	 * these, so other transports may leave them unset. */
	ward_rebalance_fn rebalance_hook;
	void *rebalance_ctx;
};

struct ward_output;
struct ward_output_ops {
	/* json is the serialized event without newline; ev is the same event
	 * decoded (for keys, labels, timestamps). Returns 0 or -1. */
	int (*write)(struct ward_output *out, const struct ward_event *ev,
		     const char *json, size_t len);
	/* Push everything buffered and wait up to timeout_ms (-1: forever) for
	 * acknowledgement. 0 when all is delivered. */
	int (*flush)(struct ward_output *out, int timeout_ms);
	void (*close)(struct ward_output *out);
	/* write never reads ev (plain byte streams): a stage may pass NULL. */
	bool ignores_event;
};
struct ward_output {
	const struct ward_output_ops *ops;
	char *uri;
};

/* Open by URI. On failure returns NULL, writes "why" into err and sets
 * errno to say what kind of failure it was, which stage_open maps to the
 * exit status: EPROTONOSUPPORT an unknown SCHEME:// (64: a mistyped
 * scheme is never taken as a file name), EINVAL a malformed URI or
 * property (78), ENOSYS or ECONNREFUSED a transport or service that is
 * unavailable (69), anything else an I/O failure (74). */
struct ward_input *input_open(const char *uri, const struct ward_transport_opts *o,
			      char *err, size_t errlen);
struct ward_output *output_open(const char *uri, const struct ward_transport_opts *o,
				char *err, size_t errlen);

/* 0 if uri is a known scheme's URI or a path; -1 with err (naming the
 * known schemes) and errno EPROTONOSUPPORT if it starts with an unknown
 * SCHEME://. input_open/output_open check it; check mode calls it alone. */
int transport_uri_check(const char *uri, char *err, size_t errlen);

static inline enum rec_status input_next(struct ward_input *in, int timeout_ms,
					 struct ward_record *rec)
{
	return in->ops->next(in, timeout_ms, rec);
}
static inline bool input_buffered(struct ward_input *in)
{
	return in->ops->buffered ? in->ops->buffered(in) : false;
}
static inline int input_commit(struct ward_input *in)
{
	return in->ops->commit ? in->ops->commit(in) : 0;
}
static inline bool input_position(struct ward_input *in, int32_t *part, int64_t *offset)
{
	return in->ops->position ? in->ops->position(in, part, offset) : false;
}
static inline void input_hold(struct ward_input *in, int32_t part, int64_t offset,
			      const char *meta)
{
	if (in->ops->hold)
		in->ops->hold(in, part, offset, meta);
}
static inline const char *input_restored(struct ward_input *in, int32_t part)
{
	return in->ops->restored ? in->ops->restored(in, part) : NULL;
}
static inline bool input_owns(struct ward_input *in, int32_t part)
{
	return in->ops->owns ? in->ops->owns(in, part) : true;
}
static inline void input_set_rebalance_hook(struct ward_input *in, ward_rebalance_fn fn,
					    void *ctx)
{
	in->rebalance_hook = fn;
	in->rebalance_ctx = ctx;
}
void input_close(struct ward_input *in);

static inline int output_write(struct ward_output *out, const struct ward_event *ev,
			       const char *json, size_t len)
{
	return out->ops->write(out, ev, json, len);
}
static inline int output_flush(struct ward_output *out, int timeout_ms)
{
	return out->ops->flush ? out->ops->flush(out, timeout_ms) : 0;
}
void output_close(struct ward_output *out);

/* Value of "name=value" in props for name, or NULL. */
const char *transport_prop(const struct ward_transport_opts *o, const char *name);

/* Constructors of each transport (transport_*.c), used by the scheme table. */
/* True if in reads a file or stdin once, front to back (not a followed
 * file, not a network input): the stage loop's progress line needs that. */
bool fdio_input_is(const struct ward_input *in);
struct ward_input *fdio_input_open(const char *uri, const struct ward_transport_opts *o,
				   char *err, size_t errlen);
struct ward_output *fdio_output_open(const char *uri, const struct ward_transport_opts *o,
				     char *err, size_t errlen);
struct ward_input *kafka_input_open(const char *uri, const struct ward_transport_opts *o,
				    char *err, size_t errlen);
struct ward_output *kafka_output_open(const char *uri, const struct ward_transport_opts *o,
				      char *err, size_t errlen);
struct ward_input *loki_input_open(const char *uri, const struct ward_transport_opts *o,
				   char *err, size_t errlen);
struct ward_output *loki_output_open(const char *uri, const struct ward_transport_opts *o,
				     char *err, size_t errlen);
struct ward_input *alertmanager_input_open(const char *uri, const struct ward_transport_opts *o,
					   char *err, size_t errlen);
struct ward_output *alertmanager_output_open(const char *uri, const struct ward_transport_opts *o,
					     char *err, size_t errlen);

#endif
