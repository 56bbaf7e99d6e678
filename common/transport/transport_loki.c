/* transport_loki.c - Loki as a transport: push output, query_range input.
 *
 * Output: write() adds the event to the open batch (loki_push.h); a batch
 * is sealed when the next entry would take it over loki.batch_size. One
 * sender thread pushes sealed batches, or the open one once its oldest
 * entry is loki.batch_wait old, one request at a time, so the entries of a
 * stream reach Loki in the order they were written. 429, 5xx and connection
 * errors are retried with jittered exponential backoff; a 400 (or any other
 * 4xx) is never retried, because Loki stores the valid part of a rejected
 * batch: it is logged, counted and the stream goes on. write() blocks while
 * more than loki.buffer bytes of lines are undelivered (backpressure); what
 * is still undelivered when close() gives up is reported.
 *
 * Input: pages forward through query_range from a cursor (loki_query.h),
 * then, in follow mode, polls for new entries every loki.poll. */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "counters.h"
#include "event.h"
#include "log.h"
#include "loki_conf.h"
#include "loki_http.h"
#include "loki_push.h"
#include "loki_query.h"
#include "sender.h"
#include "signals.h"
#include "transport.h"
#include "wtime.h"

/* ------------------------------------------------------------------ output */

struct queued_batch {
	struct loki_batch batch;
	struct queued_batch *next;
};

struct loki_stats {
	uint64_t sent;		/* entries acknowledged by Loki */
	uint64_t requests;
	uint64_t retries;
	uint64_t rejected;	/* entries in batches answered 4xx */
	uint64_t undelivered;	/* entries given up on (retries exhausted,
				 * shutdown) */
};

struct loki_output {
	struct ward_output base;
	struct loki_conf conf;
	struct ward_counters *counters;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct loki_batch open;
	struct queued_batch *head, *tail;	/* sealed, oldest first */
	size_t queued_bytes;	/* line bytes in sealed batches */
	size_t inflight_bytes;	/* line bytes of the batch being pushed */
	size_t inflight_entries;
	bool inflight;
	bool flush_requested;
	bool closing;		/* sender: push what is left, then exit */
	bool aborting;		/* sender: give up now */
	uint64_t failed_since_flush;	/* entries given up on since the last flush */
	struct loki_stats stats;
	unsigned rnd_state;
};

static size_t pending_bytes(const struct loki_output *lo)
{
	return lo->open.line_bytes + lo->queued_bytes + lo->inflight_bytes;
}

static bool has_pending(const struct loki_output *lo)
{
	return lo->open.entries || lo->head || lo->inflight;
}

static void abs_deadline(struct timespec *ts, int64_t from_now_ns)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	int64_t ns = ts->tv_nsec + from_now_ns;
	ts->tv_sec += ns / NS_PER_SEC;
	ts->tv_nsec = ns % NS_PER_SEC;
}

static void seal_open(struct loki_output *lo)
{
	struct queued_batch *q = ward_xcalloc(1, sizeof(*q));
	q->batch = lo->open;	/* move */
	loki_batch_init(&lo->open);
	if (lo->tail)
		lo->tail->next = q;
	else
		lo->head = q;
	lo->tail = q;
	lo->queued_bytes += q->batch.line_bytes;
}

static struct queued_batch *take_ready(struct loki_output *lo, int64_t *wait_ns)
{
	*wait_ns = lo->conf.batch_wait_ns;
	if (!lo->head && lo->open.entries) {
		int64_t age = time_mono_ns() - lo->open.first_mono_ns;
		if (age >= lo->conf.batch_wait_ns || lo->flush_requested || lo->closing)
			seal_open(lo);
		else
			*wait_ns = lo->conf.batch_wait_ns - age;
	}
	struct queued_batch *q = lo->head;
	if (q) {
		lo->head = q->next;
		if (!lo->head)
			lo->tail = NULL;
		lo->queued_bytes -= q->batch.line_bytes;
	}
	return q;
}

static void log_rejection(long status, const struct ward_buf *resp, size_t entries)
{
	int n = (int)(resp->len > 1024 ? 1024 : resp->len);
	log_error("loki push: HTTP %ld, %zu entries not retried (Loki may have kept the valid ones): %.*s",
		  status, entries, n, resp->data ? resp->data : "");
}

/* Sleep for the backoff, or until close gives up. Called with mu held. */
static bool backoff_wait(struct loki_output *lo, unsigned attempt)
{
	double rnd = (double)rand_r(&lo->rnd_state) / ((double)RAND_MAX + 1.0);
	int64_t wait = loki_backoff_ns(lo->conf.min_backoff_ns, lo->conf.max_backoff_ns, attempt, rnd);
	struct timespec dl;
	abs_deadline(&dl, wait);
	while (!lo->aborting)
		if (pthread_cond_timedwait(&lo->cv, &lo->mu, &dl) != 0)
			break;
	return !lo->aborting;
}

/* Push one batch with retries. Called with mu held; drops it while the
 * request runs. Returns true if Loki answered (2xx or a final 4xx). */
static bool push_batch(struct loki_output *lo, struct loki_http *http, struct loki_batch *b,
		       struct ward_buf *body, struct ward_buf *gz, struct ward_buf *resp)
{
	buf_reset(body);
	buf_reset(gz);
	loki_batch_serialize(b, body);
	bool use_gz = lo->conf.gzip && loki_gzip(body->data, body->len, gz) == 0;
	unsigned attempt;
	for (attempt = 0;; attempt++) {
		char err[256];
		pthread_mutex_unlock(&lo->mu);
		long status = loki_http_push(http, use_gz ? gz->data : body->data,
					     use_gz ? gz->len : body->len, use_gz, resp, err, sizeof(err));
		pthread_mutex_lock(&lo->mu);
		lo->stats.requests++;
		enum loki_push_verdict v = loki_push_verdict(status);
		if (v == LOKI_PUSH_OK) {
			lo->stats.sent += b->entries;
			return true;
		}
		if (v == LOKI_PUSH_REJECTED) {
			lo->stats.rejected += b->entries;
			log_rejection(status, resp, b->entries);
			return true;
		}
		if (status)
			log_warn("loki push: HTTP %ld (attempt %u), will retry", status, attempt + 1);
		else
			log_warn("loki push: %s (attempt %u), will retry", err, attempt + 1);
		if (attempt >= lo->conf.max_retries || lo->aborting)
			break;
		lo->stats.retries++;
		if (!backoff_wait(lo, attempt))
			break;
	}
	if (attempt < lo->conf.max_retries) {
		/* Shutdown cut the retries short: say what did, not the limit. */
		char dt[32];
		duration_format_human(lo->conf.drain_timeout_ns, dt, sizeof dt);
		log_error("loki push: gave up on %zu entries after %u attempt%s: the drain timeout "
			  "(loki.drain_timeout=%s) ended the retries at shutdown", b->entries,
			  attempt + 1, attempt ? "s" : "", dt);
	} else {
		log_error("loki push: gave up on %zu entries after %u retries (loki.max_retries)",
			  b->entries, lo->conf.max_retries);
	}
	lo->stats.undelivered += b->entries;
	lo->failed_since_flush += b->entries;
	return false;
}

static void *sender_main(void *arg)
{
	struct loki_output *lo = arg;
	struct loki_http *http = loki_http_new(&lo->conf);
	loki_http_abort_on(http, &lo->aborting);
	struct ward_buf body = WARD_BUF_INIT, gz = WARD_BUF_INIT, resp = WARD_BUF_INIT;
	pthread_mutex_lock(&lo->mu);
	for (;;) {
		int64_t wait_ns = lo->conf.batch_wait_ns;
		struct queued_batch *q = lo->aborting ? NULL : take_ready(lo, &wait_ns);
		if (!q) {
			if (lo->closing && (lo->aborting || !has_pending(lo)))
				break;
			if (!has_pending(lo))
				lo->flush_requested = false;
			struct timespec dl;
			abs_deadline(&dl, wait_ns < 10000000 ? 10000000 : wait_ns);
			pthread_cond_timedwait(&lo->cv, &lo->mu, &dl);
			continue;
		}
		lo->inflight = true;
		lo->inflight_bytes = q->batch.line_bytes;
		lo->inflight_entries = q->batch.entries;
		push_batch(lo, http, &q->batch, &body, &gz, &resp);
		lo->inflight = false;
		lo->inflight_bytes = 0;
		lo->inflight_entries = 0;
		loki_batch_free(&q->batch);
		free(q);
		pthread_cond_broadcast(&lo->cv);
	}
	pthread_mutex_unlock(&lo->mu);
	buf_free(&body);
	buf_free(&gz);
	buf_free(&resp);
	loki_http_free(http);
	return NULL;
}

static void publish_counters(struct loki_output *lo)
{
	if (!lo->counters)
		return;
	pthread_mutex_lock(&lo->mu);
	struct loki_stats s = lo->stats;
	pthread_mutex_unlock(&lo->mu);
	*counters_extra(lo->counters, "loki_sent") = s.sent;
	*counters_extra(lo->counters, "loki_requests") = s.requests;
	*counters_extra(lo->counters, "loki_retries") = s.retries;
	*counters_extra(lo->counters, "loki_rejected") = s.rejected;
	*counters_extra(lo->counters, "loki_undelivered") = s.undelivered;
}

static int loki_write(struct ward_output *out, const struct ward_event *ev,
		      const char *json, size_t len)
{
	struct loki_output *lo = (struct loki_output *)out;
	size_t line_len = lo->conf.whole_event || !ev ? len : ev->line_len;
	pthread_mutex_lock(&lo->mu);
	/* Backpressure: wait for the sender while the buffer is full. */
	while (pending_bytes(lo) + line_len > lo->conf.buffer_bytes && has_pending(lo) &&
	       !signals_stop_requested()) {
		struct timespec dl;
		abs_deadline(&dl, 100000000);
		pthread_cond_timedwait(&lo->cv, &lo->mu, &dl);
	}
	if (lo->open.entries && lo->open.line_bytes + line_len > lo->conf.batch_bytes) {
		seal_open(lo);
		pthread_cond_broadcast(&lo->cv);
	}
	if (ev) {
		loki_batch_add_event(&lo->open, ev, json, len, lo->conf.whole_event, time_now_ns());
	} else {
		/* A dead-letter record: raw bytes that are not an event. */
		static const char *const names[] = { "job" };
		static const char *const values[] = { "ward_dead_letter" };
		loki_batch_add(&lo->open, names, values, 1, time_now_ns(), json, len);
	}
	if (lo->open.entries == 1)
		pthread_cond_broadcast(&lo->cv);	/* start the wait timer */
	pthread_mutex_unlock(&lo->mu);
	return 0;
}

/* timeout_ms 0 is the stage loop's "input is idle" call: the sender
 * already pushes the open batch once it is loki.batch_wait old, so this only
 * reports a failure (entries given up on). Any other timeout pushes at once
 * and waits, at most loki.drain_timeout even for -1, so a stage whose Loki
 * is gone still ends and reports what it could not deliver. */
/* Give up on everything not delivered (shutdown). Called with mu held. */
static void abandon_pending(struct loki_output *lo)
{
	__atomic_store_n(&lo->aborting, true, __ATOMIC_RELAXED);
	pthread_cond_broadcast(&lo->cv);
	while (lo->inflight)	/* the request in flight is cut short */
		pthread_cond_wait(&lo->cv, &lo->mu);
	uint64_t left = lo->open.entries;
	loki_batch_clear(&lo->open);
	for (struct queued_batch *q = lo->head, *n; q; q = n) {
		n = q->next;
		left += q->batch.entries;
		loki_batch_free(&q->batch);
		free(q);
	}
	lo->head = lo->tail = NULL;
	lo->queued_bytes = 0;
	if (left) {
		lo->stats.undelivered += left;
		lo->failed_since_flush += left;
		log_error("loki push: %llu entries undelivered at shutdown (loki.drain_timeout)",
			  (unsigned long long)left);
	}
}

static int loki_flush(struct ward_output *out, int timeout_ms)
{
	struct loki_output *lo = (struct loki_output *)out;
	int64_t wait_ns = lo->conf.drain_timeout_ns;
	if (timeout_ms >= 0 && (int64_t)timeout_ms * 1000000 < wait_ns)
		wait_ns = (int64_t)timeout_ms * 1000000;
	struct timespec dl;
	abs_deadline(&dl, wait_ns);
	pthread_mutex_lock(&lo->mu);
	if (timeout_ms != 0) {
		lo->flush_requested = true;
		pthread_cond_broadcast(&lo->cv);
		while (has_pending(lo) && pthread_cond_timedwait(&lo->cv, &lo->mu, &dl) == 0)
			;
	}
	/* -1 is the final flush: past loki.drain_timeout, give up. */
	if (timeout_ms < 0 && has_pending(lo))
		abandon_pending(lo);
	bool ok = (timeout_ms == 0 || !has_pending(lo)) && lo->failed_since_flush == 0;
	lo->failed_since_flush = 0;
	pthread_mutex_unlock(&lo->mu);
	publish_counters(lo);
	if (!ok)
		errno = EIO;
	return ok ? 0 : -1;
}

static void loki_out_close(struct ward_output *out)
{
	struct loki_output *lo = (struct loki_output *)out;
	loki_flush(out, -1);
	pthread_mutex_lock(&lo->mu);
	lo->closing = true;
	__atomic_store_n(&lo->aborting, true, __ATOMIC_RELAXED);
	pthread_cond_broadcast(&lo->cv);
	pthread_mutex_unlock(&lo->mu);
	pthread_join(lo->thread, NULL);
	uint64_t left = lo->open.entries;
	for (struct queued_batch *q = lo->head, *n; q; q = n) {
		n = q->next;
		left += q->batch.entries;
		loki_batch_free(&q->batch);
		free(q);
	}
	if (left) {
		lo->stats.undelivered += left;
		log_error("loki push: %llu entries undelivered at shutdown", (unsigned long long)left);
	}
	publish_counters(lo);
	loki_batch_free(&lo->open);
	sender_sync_destroy(&lo->mu, &lo->cv);
	loki_conf_free(&lo->conf);
	free(lo->base.uri);
	free(lo);
}

static const struct ward_output_ops loki_output_ops = {
	.write = loki_write,
	.flush = loki_flush,
	.close = loki_out_close,
};

/* An input's or output's configuration, with libcurl ready for it; -1
 * with errno EINVAL (exit 78) for a URI it refuses. */
static int open_conf(struct loki_conf *conf, const char *uri, const struct ward_transport_opts *o,
		     bool input, char *err, size_t errlen)
{
	if (loki_conf_parse(conf, uri, o, input, time_now_ns(), err, errlen) != 0) {
		errno = EINVAL;
		return -1;
	}
	loki_http_global_init();
	return 0;
}

struct ward_output *loki_output_open(const char *uri, const struct ward_transport_opts *o,
				     char *err, size_t errlen)
{
	struct loki_output *lo = ward_xcalloc(1, sizeof(*lo));
	if (open_conf(&lo->conf, uri, o, false, err, errlen) != 0) {
		free(lo);
		return NULL;
	}
	lo->base.ops = &loki_output_ops;
	lo->base.uri = ward_xstrdup(uri);
	lo->counters = o ? o->counters : NULL;
	lo->rnd_state = (unsigned)time_mono_ns() ^ (unsigned)getpid();
	loki_batch_init(&lo->open);
	sender_sync_init(&lo->mu, &lo->cv);
	if (sender_thread_start(&lo->thread, sender_main, lo) != 0) {
		snprintf(err, errlen, "cannot start the sender thread");
		loki_batch_free(&lo->open);
		loki_conf_free(&lo->conf);
		free(lo->base.uri);
		free(lo);
		return NULL;
	}
	return &lo->base;
}

/* ------------------------------------------------------------------- input */

struct loki_input {
	struct ward_input base;
	struct loki_conf conf;
	struct loki_http *http;
	struct loki_cursor cursor;
	struct loki_page page;
	size_t pos;		/* next entry of page */
	size_t page_new;	/* entries of page delivered */
	bool page_full;
	unsigned limit;		/* current request limit (doubles when stuck) */
	bool done;
	int64_t next_poll_mono;
	unsigned failures;
	struct ward_buf rec;
	struct ward_buf params;
	struct ward_buf resp;
	unsigned rnd_state;
};

/* What to do once every entry of the page was looked at. */
static void page_finished(struct loki_input *li)
{
	if (li->page_full && li->page_new == 0) {
		/* A whole page of entries already delivered: they all share
		 * the cursor's timestamp. Ask for more at once, up to Loki's
		 * cap, then step past that nanosecond. */
		if (li->limit < 5000) {
			li->limit = li->limit * 2 > 5000 ? 5000 : li->limit * 2;
			return;
		}
		log_warn("loki query: more than 5000 entries share timestamp %lld; skipping the rest",
			 (long long)li->cursor.ts_ns);
		loki_cursor_init(&li->cursor, li->cursor.ts_ns + 1);
		return;
	}
	li->limit = li->conf.limit;
	if (li->page_full)
		return;
	/* Caught up with the end of the range. */
	if (li->conf.follow)
		li->next_poll_mono = time_mono_ns() + li->conf.poll_ns;
	else
		li->done = true;
}

static void build_params(struct loki_input *li, int64_t start, int64_t end)
{
	struct ward_buf *p = &li->params;
	buf_reset(p);
	buf_append_str(p, "query=");
	loki_url_escape(p, li->conf.query);
	buf_printf(p, "&start=%lld&end=%lld&limit=%u&direction=forward",
		   (long long)start, (long long)end, li->limit);
}

/* One query_range request. 0: page loaded; 1: nothing to ask yet;
 * -1: fatal. */
static int fetch_page(struct loki_input *li)
{
	int64_t start = loki_cursor_next_start(&li->cursor);
	int64_t end = li->conf.end_ns ? li->conf.end_ns : time_now_ns() - li->conf.delay_ns;
	if (start >= end) {
		if (!li->conf.follow)
			li->done = true;
		else
			li->next_poll_mono = time_mono_ns() + li->conf.poll_ns;
		return 1;
	}
	build_params(li, start, end);
	char err[256];
	long status = loki_http_query_range(li->http, buf_cstr(&li->params), &li->resp, err, sizeof(err));
	if (status == 200) {
		if (loki_page_parse(&li->page, li->resp.data ? li->resp.data : "", li->resp.len,
				    err, sizeof(err)) != 0) {
			log_error("loki query: %s", err);
			return -1;
		}
		li->failures = 0;
		li->pos = 0;
		li->page_new = 0;
		li->page_full = li->page.len >= li->limit;
		return 0;
	}
	if (loki_push_verdict(status) != LOKI_PUSH_RETRY) {
		int n = (int)(li->resp.len > 1024 ? 1024 : li->resp.len);
		log_error("loki query: HTTP %ld: %.*s", status, n, li->resp.data ? li->resp.data : "");
		return -1;
	}
	if (status)
		log_warn("loki query: HTTP %ld, will retry", status);
	else
		log_warn("loki query: %s, will retry", err);
	if (!li->conf.follow && li->failures >= li->conf.max_retries) {
		log_error("loki query: gave up after %u retries", li->failures);
		return -1;
	}
	double rnd = (double)rand_r(&li->rnd_state) / ((double)RAND_MAX + 1.0);
	li->next_poll_mono = time_mono_ns() +
		loki_backoff_ns(li->conf.min_backoff_ns, li->conf.max_backoff_ns, li->failures, rnd);
	li->failures++;
	return 1;
}

static bool next_from_page(struct loki_input *li, struct ward_record *rec)
{
	while (li->pos < li->page.len) {
		const struct loki_entry *e = &li->page.entries[li->pos++];
		if (!loki_cursor_take(&li->cursor, e))
			continue;
		li->page_new++;
		buf_reset(&li->rec);
		loki_entry_to_event(e, li->conf.whole_event, &li->rec);
		rec->data = buf_cstr(&li->rec);
		rec->len = li->rec.len;
		rec->ts_ns = e->ts_ns;
		return true;
	}
	return false;
}

static enum rec_status loki_next(struct ward_input *in, int timeout_ms, struct ward_record *rec)
{
	struct loki_input *li = (struct loki_input *)in;
	int64_t deadline = timeout_ms < 0 ? INT64_MAX : time_mono_ns() + (int64_t)timeout_ms * 1000000;
	for (;;) {
		if (signals_stop_requested())
			return REC_STOPPED;
		if (next_from_page(li, rec))
			return REC_OK;
		if (li->page.len) {
			page_finished(li);
			loki_page_free(&li->page);
		}
		if (li->done)
			return REC_EOF;
		int64_t now = time_mono_ns();
		if (now < li->next_poll_mono) {
			if (now >= deadline)
				return REC_TIMEOUT;
			int64_t nap = li->next_poll_mono < deadline ? li->next_poll_mono : deadline;
			nap -= now;
			struct timespec ts = { nap / NS_PER_SEC, nap % NS_PER_SEC };
			nanosleep(&ts, NULL);
			continue;
		}
		int rc = fetch_page(li);
		if (rc < 0)
			return REC_ERROR;
		if (rc == 0 && li->page.len == 0)
			page_finished(li);
	}
}

/* Save the cursor atomically: everything returned so far was processed. */
static int loki_commit(struct ward_input *in)
{
	struct loki_input *li = (struct loki_input *)in;
	if (!li->conf.cursor_file)
		return 0;
	struct ward_buf text = WARD_BUF_INIT, tmp = WARD_BUF_INIT;
	loki_cursor_format(&li->cursor, &text);
	buf_printf(&tmp, "%s.tmp", li->conf.cursor_file);
	int rc = -1;
	FILE *f = fopen(buf_cstr(&tmp), "w");
	if (f) {
		bool ok = fwrite(text.data, 1, text.len, f) == text.len && fflush(f) == 0 &&
			  fsync(fileno(f)) == 0;
		ok = fclose(f) == 0 && ok;
		rc = ok && rename(buf_cstr(&tmp), li->conf.cursor_file) == 0 ? 0 : -1;
	}
	if (rc != 0)
		log_error("saving the Loki cursor to %s failed: %s", li->conf.cursor_file, strerror(errno));
	buf_free(&text);
	buf_free(&tmp);
	return rc;
}

/* Resume from a saved cursor, if there is one. */
static int load_cursor(struct loki_input *li, char *err, size_t errlen)
{
	FILE *f = fopen(li->conf.cursor_file, "r");
	if (!f && errno == ENOENT)
		return 0;	/* the first run */
	if (!f) {
		snprintf(err, errlen, "%s: %s", li->conf.cursor_file, strerror(errno));
		return -1;
	}
	struct ward_buf text = WARD_BUF_INIT;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&text, chunk, n);
	fclose(f);
	int rc = loki_cursor_parse(&li->cursor, text.data ? text.data : "", text.len);
	if (rc != 0)
		snprintf(err, errlen, "%s: not a ward Loki cursor file", li->conf.cursor_file);
	buf_free(&text);
	return rc;
}

static void loki_in_close(struct ward_input *in)
{
	struct loki_input *li = (struct loki_input *)in;
	loki_http_free(li->http);
	loki_cursor_free(&li->cursor);
	loki_page_free(&li->page);
	buf_free(&li->rec);
	buf_free(&li->params);
	buf_free(&li->resp);
	loki_conf_free(&li->conf);
	free(li->base.uri);
	free(li);
}

static bool loki_buffered(struct ward_input *in)
{
	const struct loki_input *li = (const struct loki_input *)in;
	return li->pos < li->page.len;
}

static const struct ward_input_ops loki_input_ops = {
	.next = loki_next,
	.buffered = loki_buffered,
	.commit = loki_commit,
	.close = loki_in_close,
};

struct ward_input *loki_input_open(const char *uri, const struct ward_transport_opts *o,
				   char *err, size_t errlen)
{
	struct loki_input *li = ward_xcalloc(1, sizeof(*li));
	if (open_conf(&li->conf, uri, o, true, err, errlen) != 0) {
		free(li);
		return NULL;
	}
	li->base.ops = &loki_input_ops;
	li->base.uri = ward_xstrdup(uri);
	li->http = loki_http_new(&li->conf);
	li->limit = li->conf.limit;
	li->rnd_state = (unsigned)time_mono_ns();
	loki_cursor_init(&li->cursor, li->conf.start_ns);
	if (li->conf.cursor_file && load_cursor(li, err, errlen) != 0) {
		loki_in_close(&li->base);
		errno = EINVAL;
		return NULL;
	}
	return &li->base;
}
