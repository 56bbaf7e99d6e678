/* transport_kafka.c - kafka://BROKERS/TOPIC inputs (group consumers),
 * at-least-once (docs/kafka.md); the outputs are transport_kafka_out.c.
 *
 * The offset of every record handed out by next() is noted in a
 * per-partition table; commit() stores those offsets
 * (enable.auto.offset.store=false) and has librdkafka send them to the group
 * coordinator. A partition revoke asks the stage's rebalance hook to flush
 * first (transport.h).
 * Because the stage only commits after output_flush() succeeded, a stored
 * offset always lies behind outputs the broker acknowledged: a crash replays
 * input, never skips it. */
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

/* Messages taken from the consumer queue per call: one queue lock per batch
 * instead of one per record. */
#define KAFKA_CONSUME_BATCH 256

/* How long an assignment waits for the offsets and metadata committed for
 * its partitions (holds_commits only). */
#define KAFKA_COMMITTED_TIMEOUT_MS 10000

static struct ward_ratelimit kafka_err_rl = WARD_RATELIMIT_INIT(10, 10);

/* ---- input ----------------------------------------------------------------- */

/* What the input knows about one partition of its topic. */
struct part_state {
	int64_t next_offset;	/* offset + 1 of the last record handed out since
				 * the last commit, or -1 */
	int64_t stored_offset;	/* last offset stored in this assignment, or -1 */
	int64_t resume_offset;	/* where to start if the partition comes back
				 * after a revoke whose commit failed, or -1 */
	int64_t first_offset;	/* offset of the first record handed out in this
				 * assignment, or -1 */
	int64_t acked_offset;	/* last offset the group accepted from this
				 * instance (offset_commit_cb), or -1 */
	/* a stage that holds commits (transport.h, holds_commits) */
	int64_t read_offset;	/* offset + 1 of the last record handed out in
				 * this assignment, or -1 */
	int64_t hold_offset;	/* commit no further than this, or -1 */
	char *meta;		/* metadata of the next commit, or NULL */
	char *restored;		/* metadata the partition started with, or NULL */
	bool assigned;
	bool at_eof;
};

struct kafka_input {
	struct ward_input base;
	rd_kafka_t *rk;
	rd_kafka_queue_t *queue;	/* the consumer queue, for buffered() */
	char *topic;			/* the one subscribed topic */
	size_t max_line;
	struct kafka_settings ws;
	rd_kafka_message_t *held;	/* the message the last record points into */
	rd_kafka_message_t *batch[KAFKA_CONSUME_BATCH];	/* fetched, not handed out */
	int batch_next;
	int batch_len;
	/* indexed by partition number: one topic, so no name lookups per record */
	struct part_state *parts;
	int nparts;
	int npending;
	int nassigned;
	int neof;
	bool closing;
	bool fatal;
	uint64_t *c_oversized;
	uint64_t *c_lag;
	uint64_t *c_rebalances;
	uint64_t *c_commits;
	uint64_t *c_consume_errors;
	uint64_t *c_replay_after_revoke;
	uint64_t *c_commit_failed;
	uint64_t *c_uncommitted;
	uint64_t *c_commits_confirmed;
};

static struct part_state *part_get(struct kafka_input *k, int32_t partition)
{
	if (partition < 0)
		return NULL;
	if (partition >= k->nparts) {
		int n = partition + 1 > k->nparts * 2 ? partition + 1 : k->nparts * 2;
		k->parts = ward_xrealloc(k->parts, (size_t)n * sizeof(*k->parts));
		for (int i = k->nparts; i < n; i++)
			k->parts[i] = (struct part_state){ .next_offset = -1, .stored_offset = -1,
							   .resume_offset = -1, .first_offset = -1,
							   .acked_offset = -1, .read_offset = -1,
							   .hold_offset = -1 };
		k->nparts = n;
	}
	return &k->parts[partition];
}

static void pending_reset(struct kafka_input *k)
{
	for (int i = 0; i < k->nparts; i++)
		k->parts[i].next_offset = -1;
	k->npending = 0;
}

static void note_offset(struct kafka_input *k, const rd_kafka_message_t *m)
{
	struct part_state *ps = part_get(k, m->partition);
	if (!ps)
		return;
	if (ps->next_offset < 0)
		k->npending++;
	if (ps->first_offset < 0)
		ps->first_offset = m->offset;
	ps->next_offset = ps->read_offset = m->offset + 1;
	if (ps->at_eof) {
		ps->at_eof = false;
		k->neof--;
	}
}

static void mark_eof(struct kafka_input *k, int32_t partition)
{
	struct part_state *ps = part_get(k, partition);
	if (ps && ps->assigned && !ps->at_eof) {
		ps->at_eof = true;
		k->neof++;
	}
}

static bool all_at_eof(const struct kafka_input *k)
{
	return k->nassigned > 0 && k->neof == k->nassigned;
}

static void set_assignment(struct kafka_input *k, const rd_kafka_topic_partition_list_t *parts)
{
	for (int i = 0; i < k->nparts; i++)
		k->parts[i].assigned = k->parts[i].at_eof = false;
	k->nassigned = k->neof = 0;
	for (int i = 0; parts && i < parts->cnt; i++) {
		struct part_state *ps = part_get(k, parts->elems[i].partition);
		if (ps && strcmp(parts->elems[i].topic, k->topic) == 0 && !ps->assigned) {
			ps->assigned = true;
			k->nassigned++;
		}
	}
}

/* The assigned partitions (with_pending: only those with records handed
 * out since the last commit, at their next offsets). */
static rd_kafka_topic_partition_list_t *part_list(const struct kafka_input *k, bool with_pending)
{
	rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(k->nparts);
	for (int i = 0; i < k->nparts; i++) {
		const struct part_state *ps = &k->parts[i];
		if (with_pending ? ps->next_offset >= 0 : ps->assigned)
			rd_kafka_topic_partition_list_add(l, k->topic, i)->offset =
				with_pending ? ps->next_offset : RD_KAFKA_OFFSET_INVALID;
	}
	return l;
}

/* Sum over the assignment of high watermark - consumed position, from
 * librdkafka's cached values (no broker round trip). */
static void update_lag(struct kafka_input *k)
{
	rd_kafka_topic_partition_list_t *pos = part_list(k, false);
	uint64_t lag = 0;
	if (pos->cnt > 0 && rd_kafka_position(k->rk, pos) == RD_KAFKA_RESP_ERR_NO_ERROR) {
		for (int i = 0; i < pos->cnt; i++) {
			int64_t lo, hi;
			const rd_kafka_topic_partition_t *p = &pos->elems[i];
			if (rd_kafka_get_watermark_offsets(k->rk, p->topic, p->partition, &lo, &hi))
				continue;
			int64_t at = p->offset >= 0 ? p->offset : lo;
			if (hi > at && at >= 0)
				lag += (uint64_t)(hi - at);
		}
	}
	rd_kafka_topic_partition_list_destroy(pos);
	*k->c_lag = lag;
}

/* Store the pending offsets; the auto-committer (or a sync commit) sends
 * them. Partitions revoked meanwhile fail with __STATE and are skipped:
 * their new owner re-reads those records. */
static void store_pending(struct kafka_input *k)
{
	if (k->npending > 0) {
		rd_kafka_topic_partition_list_t *l = part_list(k, true);
		rd_kafka_resp_err_t err = rd_kafka_offsets_store(k->rk, l);
		if (err && err != RD_KAFKA_RESP_ERR__STATE)
			log_warn("kafka: storing offsets: %s", rd_kafka_err2str(err));
		rd_kafka_topic_partition_list_destroy(l);
		for (int i = 0; i < k->nparts; i++)
			if (k->parts[i].next_offset >= 0)
				k->parts[i].stored_offset = k->parts[i].next_offset;
	}
	pending_reset(k);
}

static void held_reset(struct part_state *ps)
{
	ps->read_offset = ps->hold_offset = -1;
	free(ps->meta);
	free(ps->restored);
	ps->meta = ps->restored = NULL;
}

/* The group refused the commit on revoke (a real broker does so only late
 * in a rebalance; the test mock always does): remember the stored offsets,
 * so partitions that come back resume there instead of replaying from the
 * last accepted commit. Safe either way: every record before a stored offset
 * was processed and delivered. */
static void remember_for_resume(struct kafka_input *k, bool commit_failed, bool flushed)
{
	for (int i = 0; i < k->nparts; i++) {
		struct part_state *ps = &k->parts[i];
		if (k->base.holds_commits && flushed && ps->read_offset >= 0) {
			/* the stage keeps its state: if the partition comes
			 * back, it goes on after the last record read, and
			 * its hold and metadata stay */
			ps->resume_offset = ps->read_offset;
			ps->stored_offset = ps->first_offset = -1;
			continue;
		}
		ps->resume_offset = commit_failed ? ps->stored_offset : -1;
		ps->stored_offset = ps->first_offset = -1;
		if (k->base.holds_commits)
			held_reset(ps);
	}
}

/* Start returning partitions at their remembered offsets (see above). */
static void apply_resume(struct kafka_input *k, rd_kafka_topic_partition_list_t *parts)
{
	int resumed = 0;
	for (int i = 0; i < parts->cnt; i++) {
		rd_kafka_topic_partition_t *p = &parts->elems[i];
		struct part_state *ps = part_get(k, p->partition);
		if (ps && ps->resume_offset >= 0 && strcmp(p->topic, k->topic) == 0) {
			p->offset = ps->resume_offset;
			/* pending at that offset, so the next commit stores it:
			 * a later revoke remembers it again even if no record
			 * of the partition came meanwhile */
			if (ps->next_offset < 0)
				k->npending++;
			ps->next_offset = ps->resume_offset;
			resumed++;
		}
	}
	for (int i = 0; i < k->nparts; i++) {
		if (!k->parts[i].assigned)
			held_reset(&k->parts[i]);
		k->parts[i].resume_offset = -1;
	}
	if (resumed)
		log_info("kafka: %d partition(s) resume where this instance stopped", resumed);
}

/* The coordinator's answer to a commit (ours or the auto-committer's),
 * served from the consumer queue: what it accepted is what a new owner
 * resumes from. */
static void offset_commit_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err,
			     rd_kafka_topic_partition_list_t *offsets, void *opaque)
{
	(void)rk;
	struct kafka_input *k = opaque;
	if (err == RD_KAFKA_RESP_ERR__NO_OFFSET)
		return;
	bool failed = false;
	for (int i = 0; offsets && i < offsets->cnt; i++) {
		const rd_kafka_topic_partition_t *p = &offsets->elems[i];
		struct part_state *ps = part_get(k, p->partition);
		if (!ps || strcmp(p->topic, k->topic) != 0)
			continue;
		if (!err && !p->err && p->offset > ps->acked_offset)
			ps->acked_offset = p->offset;
		if (!err && !p->err)
			(*k->c_commits_confirmed)++;
		else if (err || p->err)
			failed = true;
	}
	if (failed) {
		(*k->c_commit_failed)++;
		log_warn_limited(&kafka_err_rl, "kafka: commit refused: %s (retried at the next "
				 "commit; until then a new owner would replay from the last "
				 "accepted one)", rd_kafka_err2str(err ? err : offsets->elems[0].err));
	}
}

/* Records handed out in the current assignment, processed and stored, whose
 * commit the group has not confirmed: what a new owner would read again. */
static uint64_t unconfirmed_records(const struct kafka_input *k, int *nparts)
{
	uint64_t n = 0;
	*nparts = 0;
	for (int i = 0; i < k->nparts; i++) {
		const struct part_state *ps = &k->parts[i];
		int64_t floor = ps->acked_offset > ps->first_offset ? ps->acked_offset
								    : ps->first_offset;
		if (ps->stored_offset >= 0 && floor >= 0 && ps->stored_offset > floor) {
			n += (uint64_t)(ps->stored_offset - floor);
			(*nparts)++;
		}
	}
	return n;
}

/* A stage that holds commits: commit each partition read in this
 * assignment at its held offset (or every record handed out) with the
 * stage's metadata, in an explicit list. librdkafka 2.0.2 drops the
 * metadata of stored offsets (rd_kafka_offsets_store), so nothing is stored
 * and neither the auto-committer nor leaving the group commits anything
 * else. */
static rd_kafka_resp_err_t commit_held(struct kafka_input *k, bool async)
{
	rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(k->nparts);
	for (int i = 0; i < k->nparts; i++) {
		struct part_state *ps = &k->parts[i];
		if (!ps->assigned || ps->read_offset < 0)
			continue;
		int64_t at = ps->hold_offset >= 0 && ps->hold_offset < ps->read_offset
				     ? ps->hold_offset : ps->read_offset;
		rd_kafka_topic_partition_t *p = rd_kafka_topic_partition_list_add(l, k->topic, i);
		p->offset = at;
		if (ps->meta) {
			p->metadata = ward_xstrdup(ps->meta);
			p->metadata_size = strlen(ps->meta);
		}
		ps->stored_offset = at;
	}
	pending_reset(k);
	rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR__NO_OFFSET;
	if (l->cnt > 0)
		err = rd_kafka_commit(k->rk, l, async);
	rd_kafka_topic_partition_list_destroy(l);
	return err;
}

/* The offsets and metadata committed for the partitions just assigned:
 * they start there, and the stage reads the metadata with restored(). */
static void fetch_restored(struct kafka_input *k, rd_kafka_topic_partition_list_t *parts)
{
	rd_kafka_resp_err_t err = rd_kafka_committed(k->rk, parts, KAFKA_COMMITTED_TIMEOUT_MS);
	if (err) {
		log_warn("kafka: reading committed offsets of %s: %s (the partitions start from "
			 "their group offsets, their state without the metadata)", k->topic,
			 rd_kafka_err2str(err));
		return;
	}
	for (int i = 0; i < parts->cnt; i++) {
		const rd_kafka_topic_partition_t *p = &parts->elems[i];
		struct part_state *ps = part_get(k, p->partition);
		if (!ps || strcmp(p->topic, k->topic) != 0 || ps->resume_offset >= 0)
			continue;	/* resumed: its own metadata (apply_resume) */
		held_reset(ps);
		if (!p->metadata || !p->metadata_size || p->metadata_size > TRANSPORT_META_MAX)
			continue;
		ps->restored = ward_xcalloc(1, p->metadata_size + 1);
		memcpy(ps->restored, p->metadata, p->metadata_size);
	}
}

static bool kin_position(struct ward_input *in, int32_t *part, int64_t *offset)
{
	const struct kafka_input *k = (const struct kafka_input *)in;
	if (!k->held)
		return false;
	*part = k->held->partition;
	*offset = k->held->offset;
	return true;
}

static void kin_hold(struct ward_input *in, int32_t part, int64_t offset, const char *meta)
{
	struct kafka_input *k = (struct kafka_input *)in;
	struct part_state *ps = part < k->nparts ? part_get(k, part) : NULL;
	if (!ps || !ps->assigned)
		return;
	ps->hold_offset = offset;
	if (!ps->meta || !meta || strcmp(ps->meta, meta) != 0) {
		free(ps->meta);
		ps->meta = meta && strlen(meta) <= TRANSPORT_META_MAX ? ward_xstrdup(meta) : NULL;
	}
}

static bool kin_owns(struct ward_input *in, int32_t part)
{
	const struct kafka_input *k = (const struct kafka_input *)in;
	return part >= 0 && part < k->nparts && k->parts[part].assigned;
}

static const char *kin_restored(struct ward_input *in, int32_t part)
{
	struct kafka_input *k = (struct kafka_input *)in;
	return part >= 0 && part < k->nparts ? k->parts[part].restored : NULL;
}

static int kin_commit(struct ward_input *in)
{
	struct kafka_input *k = (struct kafka_input *)in;
	if (k->fatal)
		return -1;
	if (k->base.holds_commits) {
		commit_held(k, true);
	} else if (k->npending > 0) {
		store_pending(k);
		/* send now rather than at the next auto-commit tick: fewer
		 * replays after a crash, for one async request per commit */
		rd_kafka_commit(k->rk, NULL, 1);
	}
	(*k->c_commits)++;
	update_lag(k);
	return 0;
}

static void on_revoke(struct kafka_input *k)
{
	if (!k->closing) {
		ward_rebalance_fn hook = k->base.rebalance_hook;
		bool flushed = hook && hook(k->base.rebalance_ctx, WARD_REBALANCE_REVOKE) == 0;
		rd_kafka_resp_err_t err;
		if (flushed && k->base.holds_commits) {
			err = commit_held(k, false);
		} else {
			if (flushed) {
				store_pending(k);
			} else {
				if (k->npending > 0)
					(*k->c_replay_after_revoke)++;
				pending_reset(k);
			}
			err = rd_kafka_commit(k->rk, NULL, 0);
		}
		bool failed = err && err != RD_KAFKA_RESP_ERR__NO_OFFSET;
		if (failed)
			log_warn("kafka: commit on revoke: %s (a new owner replays)",
				 rd_kafka_err2str(err));
		remember_for_resume(k, failed, flushed);
	}
	rd_kafka_assign(k->rk, NULL);
	set_assignment(k, NULL);
}

static void rebalance_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err,
			 rd_kafka_topic_partition_list_t *parts, void *opaque)
{
	struct kafka_input *k = opaque;
	(*k->c_rebalances)++;
	if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS && k->closing) {
		/* another member left while this one closes: take nothing, or
		 * leaving the group would wait for these to be revoked */
		rd_kafka_assign(rk, NULL);
		log_info("kafka: %d partition(s) offered while closing: declined", parts->cnt);
	} else if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
		set_assignment(k, parts);
		if (k->base.holds_commits)
			fetch_restored(k, parts);
		apply_resume(k, parts);
		rd_kafka_assign(rk, parts);
		log_info("kafka: assigned %d partition(s)", parts->cnt);
		if (!k->closing && k->base.rebalance_hook)
			k->base.rebalance_hook(k->base.rebalance_ctx, WARD_REBALANCE_ASSIGN);
	} else {
		log_info("kafka: %d partition(s) revoked", parts ? parts->cnt : 0);
		on_revoke(k);
	}
}

static void input_error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
	struct kafka_input *k = opaque;
	char why[512];
	if (err == RD_KAFKA_RESP_ERR__FATAL &&
	    rd_kafka_fatal_error(rk, why, sizeof(why)) != RD_KAFKA_RESP_ERR_NO_ERROR) {
		log_error("kafka: consumer fatal error: %s", why);
		k->fatal = true;
		return;
	}
	(*k->c_consume_errors)++;
	log_warn_limited(&kafka_err_rl, "kafka: %s: %s", rd_kafka_err2name(err), reason);
}

/* A consumer message that carries an error instead of a record. */
static void message_error(struct kafka_input *k, const rd_kafka_message_t *m)
{
	if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
		mark_eof(k, m->partition);
		return;
	}
	(*k->c_consume_errors)++;
	log_warn_limited(&kafka_err_rl, "kafka: consume: %s", rd_kafka_message_errstr(m));
}

static void fill_record(struct kafka_input *k, rd_kafka_message_t *m, struct ward_record *rec)
{
	rd_kafka_timestamp_type_t tstype;
	int64_t ts_ms = rd_kafka_message_timestamp(m, &tstype);
	rec->data = m->payload ? (const char *)m->payload : "";
	rec->len = m->len;
	rec->ts_ns = ts_ms >= 0 ? ts_ms * 1000000 : WARD_TS_NONE;
	k->held = m;
}

/* Messages of partitions revoked while the batch was being fetched are
 * dropped: their offsets were not stored, so the new owner reads them. */
static int drop_unassigned(struct kafka_input *k, int n)
{
	int kept = 0;
	for (int i = 0; i < n; i++) {
		rd_kafka_message_t *m = k->batch[i];
		struct part_state *ps = m->partition < k->nparts ? &k->parts[m->partition] : NULL;
		if (!m->err && (!ps || !ps->assigned)) {
			rd_kafka_message_destroy(m);
			continue;
		}
		k->batch[kept++] = m;
	}
	return kept;
}

/* Next fetched message, refilling the batch with up to slice_ms of waiting;
 * NULL if none came. Rebalance callbacks run inside the refill, when the
 * batch is empty. */
static rd_kafka_message_t *next_message(struct kafka_input *k, int slice_ms)
{
	if (k->batch_next == k->batch_len) {
		ssize_t n = rd_kafka_consume_batch_queue(k->queue, slice_ms, k->batch,
							 KAFKA_CONSUME_BATCH);
		k->batch_next = 0;
		k->batch_len = n > 0 ? drop_unassigned(k, (int)n) : 0;
		if (k->batch_len == 0)
			return NULL;
	}
	return k->batch[k->batch_next++];
}

static enum rec_status kin_next(struct ward_input *in, int timeout_ms, struct ward_record *rec)
{
	struct kafka_input *k = (struct kafka_input *)in;
	if (k->held) {
		rd_kafka_message_destroy(k->held);
		k->held = NULL;
	}
	int64_t deadline = -1;	/* computed once the first poll comes back empty */
	for (;;) {
		if (signals_stop_requested())
			return REC_STOPPED;
		if (signals_usr1_pending())
			return REC_TIMEOUT;	/* the stage prints its counters */
		if (k->fatal)
			return REC_ERROR;
		if (k->ws.stop_at_eof && all_at_eof(k))
			return REC_EOF;
		int slice = 0;
		if (deadline >= 0 || timeout_ms < 0) {
			int64_t left = timeout_ms < 0 ? KAFKA_POLL_SLICE_MS : deadline - kafka_mono_ms();
			if (left <= 0)
				return REC_TIMEOUT;
			slice = left < KAFKA_POLL_SLICE_MS ? (int)left : KAFKA_POLL_SLICE_MS;
		}
		rd_kafka_message_t *m = next_message(k, slice);
		if (!m) {
			if (deadline < 0 && timeout_ms >= 0)
				deadline = kafka_mono_ms() + timeout_ms;
			continue;
		}
		if (m->err) {
			message_error(k, m);
			rd_kafka_message_destroy(m);
			continue;
		}
		note_offset(k, m);
		if (m->len > k->max_line) {
			(*k->c_oversized)++;
			log_warn_limited(&kafka_err_rl, "kafka: %s [%d] offset %lld: record of %zu "
					 "bytes over --max-line, skipped", rd_kafka_topic_name(m->rkt),
					 (int)m->partition, (long long)m->offset, m->len);
			rd_kafka_message_destroy(m);
			return REC_SKIPPED;
		}
		fill_record(k, m, rec);
		return REC_OK;
	}
}

/* Records already fetched and waiting in the consumer queue: the stage
 * flushes its outputs only when there are none, so a busy stream is
 * batched and a quiet one is delivered at once. */
static bool kin_buffered(struct ward_input *in)
{
	struct kafka_input *k = (struct kafka_input *)in;
	return k->batch_next < k->batch_len || rd_kafka_queue_length(k->queue) > 0;
}

/* An event of the closing consumer's queue (ev may be NULL). The queue
 * hands out events, not callbacks (records and errors have no callback to
 * run), so the two that matter are passed to their callbacks here. */
static void serve_close_event(struct kafka_input *k, rd_kafka_event_t *ev)
{
	if (!ev)
		return;
	switch (rd_kafka_event_type(ev)) {
	case RD_KAFKA_EVENT_REBALANCE:
		rebalance_cb(k->rk, rd_kafka_event_error(ev), rd_kafka_event_topic_partition_list(ev), k);
		break;
	case RD_KAFKA_EVENT_OFFSET_COMMIT:
		offset_commit_cb(k->rk, rd_kafka_event_error(ev),
				 rd_kafka_event_topic_partition_list(ev), k);
		break;
	default:
		break;
	}
	rd_kafka_event_destroy(ev);
}

/* Commit what commit() stored (the auto-committer's final commit) and leave
 * the group, serving rebalance and commit callbacks, for at most
 * kafka.close.ms: rd_kafka_consumer_close() waits without a bound while a
 * rebalance or a coordinator that does not answer holds the group up, and
 * a user's SIGTERM must end the stage. Returns false when the bound was
 * hit (the handle is then left to the process's exit: destroying it would
 * wait for the same group). */
static bool close_bounded(struct kafka_input *k)
{
	rd_kafka_queue_t *q = rd_kafka_queue_new(k->rk);
	rd_kafka_error_t *e = rd_kafka_consumer_close_queue(k->rk, q);
	bool closed = true;
	if (e) {
		log_warn("kafka: closing consumer: %s", rd_kafka_error_string(e));
		rd_kafka_error_destroy(e);
	} else {
		int64_t deadline = kafka_mono_ms() + k->ws.close_ms;
		while (!(closed = rd_kafka_consumer_closed(k->rk)) && kafka_mono_ms() < deadline)
			serve_close_event(k, rd_kafka_queue_poll(q, KAFKA_POLL_SLICE_MS));
		if (!closed)
			log_warn("kafka: leaving group for %s not done within kafka.close.ms=%d; "
				 "the group drops this member after session.timeout.ms",
				 k->topic, k->ws.close_ms);
	}
	rd_kafka_queue_destroy(q);
	return closed;
}

static void kin_close(struct ward_input *in)
{
	struct kafka_input *k = (struct kafka_input *)in;
	k->closing = true;
	if (k->held)
		rd_kafka_message_destroy(k->held);
	k->held = NULL;
	while (k->batch_next < k->batch_len)
		rd_kafka_message_destroy(k->batch[k->batch_next++]);
	bool closed = close_bounded(k);
	int nparts;
	uint64_t lost = unconfirmed_records(k, &nparts);
	*k->c_uncommitted = lost;
	if (lost > 0)
		log_warn("kafka: the group did not confirm the last commit of %d partition(s) of %s: "
			 "up to %llu record(s) already processed are read again by their next owner",
			 nparts, k->topic, (unsigned long long)lost);
	rd_kafka_queue_destroy(k->queue);
	if (closed)
		rd_kafka_destroy(k->rk);
	else
		kafka_client_abandon(k->rk);
	for (int i = 0; i < k->nparts; i++)
		held_reset(&k->parts[i]);
	free(k->parts);
	free(k->topic);
	free(k->base.uri);
	free(k);
}

static const struct ward_input_ops kafka_input_ops = {
	.next = kin_next,
	.buffered = kin_buffered,
	.commit = kin_commit,
	.close = kin_close,
	.position = kin_position,
	.hold = kin_hold,
	.restored = kin_restored,
	.owns = kin_owns,
};

static void input_counters(struct kafka_input *k, const struct ward_transport_opts *o)
{
	static uint64_t oversized_dummy;
	k->c_oversized = o && o->counters ? &o->counters->oversized : &oversized_dummy;
	k->c_lag = kafka_counter(o, "kafka_lag");
	k->c_rebalances = kafka_counter(o, "kafka_rebalances");
	k->c_commits = kafka_counter(o, "kafka_commits");
	k->c_consume_errors = kafka_counter(o, "kafka_consume_errors");
	k->c_replay_after_revoke = kafka_counter(o, "kafka_replay_after_revoke");
	k->c_commit_failed = kafka_counter(o, "kafka_commit_failed");
	k->c_uncommitted = kafka_counter(o, "kafka_uncommitted");
	k->c_commits_confirmed = kafka_counter(o, "kafka_commits_confirmed");
}

/* The consumer's callbacks, set on its configuration by kafka_client_new. */
static void input_callbacks(rd_kafka_conf_t *conf)
{
	rd_kafka_conf_set_rebalance_cb(conf, rebalance_cb);
	rd_kafka_conf_set_offset_commit_cb(conf, offset_commit_cb);
	rd_kafka_conf_set_error_cb(conf, input_error_cb);
}

struct ward_input *kafka_input_open(const char *uri, const struct ward_transport_opts *o,
				    char *err, size_t errlen)
{
	struct kafka_uri u;
	if (kafka_uri_parse(uri, &u, err, errlen) != 0) {
		errno = EINVAL;
		return NULL;
	}
	struct kafka_input *k = ward_xcalloc(1, sizeof(*k));
	k->rk = kafka_client_new(&u, o, KAFKA_CONSUMER, &k->ws, k, input_callbacks, err, errlen);
	if (!k->rk)
		goto fail;
	rd_kafka_poll_set_consumer(k->rk);
	k->queue = rd_kafka_queue_get_consumer(k->rk);
	rd_kafka_topic_partition_list_t *topics = rd_kafka_topic_partition_list_new(1);
	rd_kafka_topic_partition_list_add(topics, u.topic, RD_KAFKA_PARTITION_UA);
	rd_kafka_resp_err_t serr = rd_kafka_subscribe(k->rk, topics);
	rd_kafka_topic_partition_list_destroy(topics);
	if (serr) {
		snprintf(err, errlen, "subscribe %s: %s", u.topic, rd_kafka_err2str(serr));
		rd_kafka_queue_destroy(k->queue);
		rd_kafka_destroy(k->rk);
		goto fail;
	}
	k->base.ops = &kafka_input_ops;
	k->base.uri = ward_xstrdup(uri);
	k->max_line = o && o->max_line ? o->max_line : (size_t)1 << 20;
	input_counters(k, o);
	k->topic = u.topic;
	u.topic = NULL;
	kafka_uri_free(&u);
	return &k->base;
fail:
	kafka_uri_free(&u);
	free(k);
	errno = EINVAL;	/* a configuration the client refused: exit 78 */
	return NULL;
}

