/* stage.c - the read -> process -> emit loop shared by every stage. */
#include "stage.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "event_fast.h"
#include "exitcodes.h"
#include "progress.h"
#include "signals.h"
#include "wtime.h"

void stage_init(struct ward_stage *st, const char *name, const struct ward_common_opts *opts)
{
	char prog[64];
	memset(st, 0, sizeof *st);
	st->name = name;
	st->opts = opts;
	snprintf(prog, sizeof prog, "ward-%s", name);
	log_init(prog);
	if (opts->quiet)
		log_set_level(LOG_LVL_ERROR);
	if (opts->verbose)
		log_set_level(LOG_LVL_DEBUG);
	signals_install();
	counters_init(&st->counters, name);
	if (event_parser_init(&st->parser) != 0)
		ward_oom();
	event_init(&st->event);
	st->bad_input_rl = (struct ward_ratelimit)WARD_RATELIMIT_INIT(5, 10);
	st->topts.max_line = opts->max_line;
	st->topts.props = opts->props.len ? opts->props.items : NULL;
	st->topts.stage = name;
	st->topts.counters = &st->counters;
}

static int open_status(int err)
{
	switch (err) {
	case EPROTONOSUPPORT: return WARD_EX_USAGE;
	case EINVAL: return WARD_EX_CONFIG;
	case ENOSYS:
	case ECONNREFUSED: return WARD_EX_UNAVAILABLE;
	default: return WARD_EX_IOERR;
	}
}

bool stage_check_mode(void)
{
	const char *v = getenv("WARD_CHECK");
	return v != NULL && strcmp(v, "1") == 0;
}

/* How often a stage whose input commits (Kafka) stores its progress. */
#define STAGE_COMMIT_INTERVAL_NS 1000000000LL

static int output_failed(struct ward_stage *st);

int stage_flush_outputs(struct ward_stage *st)
{
	if (st->out && !st->output_closed && output_flush(st->out, -1) != 0)
		return output_failed(st);
	if (st->dead_letter && output_flush(st->dead_letter, -1) != 0) {
		log_error("flushing dead-letter output failed: %s", strerror(errno));
		st->exit_code = WARD_EX_IOERR;
		return -1;
	}
	return 0;
}

/* Default rebalance hook: before partitions go, deliver what was produced
 * from them so the input may commit it. */
static int stage_rebalance(void *ctx, enum ward_rebalance what)
{
	struct ward_stage *st = ctx;
	if (what != WARD_REBALANCE_REVOKE)
		return 0;
	return st->output_closed ? -1 : stage_flush_outputs(st);
}

/* Deliver, then commit: the at-least-once step (transport.h). */
static int stage_checkpoint(struct ward_stage *st)
{
	if (stage_flush_outputs(st) != 0 || st->output_closed)
		return -1;
	if (input_commit(st->in) != 0) {
		st->exit_code = WARD_EX_IOERR;
		return -1;
	}
	return 0;
}

int stage_open(struct ward_stage *st, bool no_input)
{
	char err[512] = "";
	const struct ward_common_opts *o = st->opts;
	const char *uris[] = { no_input ? NULL : o->in, o->out, o->dead_letter };
	for (size_t i = 0; i < 3; i++)
		if (uris[i] && transport_uri_check(uris[i], err, sizeof err) != 0) {
			log_error("%s: %s", uris[i], err);
			st->exit_code = WARD_EX_USAGE;
			return -1;
		}
	if (stage_check_mode()) {
		/* ward-run's validation: options and configuration were read
		 * before this point; open nothing. exit() here, not a return,
		 * so no stage needs a code path for it. */
		log_debug("check mode (WARD_CHECK=1): command line valid");
		exit(WARD_EX_OK);
	}
	if (!no_input && !(st->in = input_open(o->in, &st->topts, err, sizeof err))) {
		log_error("opening input %s failed: %s", o->in, err);
		st->exit_code = open_status(errno);
		return -1;
	}
	if (st->in)
		input_set_rebalance_hook(st->in, stage_rebalance, st);
	if (!(st->out = output_open(o->out, &st->topts, err, sizeof err))) {
		log_error("opening output %s failed: %s", o->out, err);
		st->exit_code = open_status(errno);
		return -1;
	}
	if (o->dead_letter && !(st->dead_letter = output_open(o->dead_letter, &st->topts, err, sizeof err))) {
		log_error("opening dead-letter output %s failed: %s", o->dead_letter, err);
		st->exit_code = open_status(errno);
		return -1;
	}
	if (o->metrics && *o->metrics &&
	    !(st->metrics = metrics_start(o->metrics, &st->counters, err, sizeof err))) {
		st->exit_code = errno == EINVAL ? WARD_EX_USAGE : WARD_EX_UNAVAILABLE;
		log_error("option --metrics: %s", err);
		return -1;
	}
	return 0;
}

static int output_failed(struct ward_stage *st)
{
	if (errno == EPIPE) {
		/* Downstream closed its end: the normal end of a pipeline such
		 * as `ward-match ... | head`. */
		st->output_closed = true;
		return -1;
	}
	log_error("writing to %s failed: %s", st->out->uri, strerror(errno));
	st->counters.errors++;
	st->exit_code = WARD_EX_IOERR;
	return -1;
}

int stage_emit(struct ward_stage *st, const struct ward_event *ev)
{
	if (st->output_closed)
		return -1;
	buf_reset(&st->outbuf);
	event_serialize(ev, &st->outbuf);
	if (output_write(st->out, ev, st->outbuf.data, st->outbuf.len) != 0)
		return output_failed(st);
	st->counters.out++;
	if (st->metrics && ev->rule)
		metrics_count_rule(st->metrics, ev->rule);
	return 0;
}

int stage_emit_json(struct ward_stage *st, const struct ward_event *ev, const char *json,
		    size_t len)
{
	if (st->output_closed)
		return -1;
	if (output_write(st->out, ev, json, len) != 0)
		return output_failed(st);
	st->counters.out++;
	if (st->metrics && ev && ev->rule)
		metrics_count_rule(st->metrics, ev->rule);
	return 0;
}

bool stage_output_needs_event(const struct ward_stage *st)
{
	return !st->out || !st->out->ops->ignores_event;
}

int stage_bad_record(struct ward_stage *st, const char *data, size_t len, const char *why)
{
	st->counters.malformed++;
	log_warn_limited(&st->bad_input_rl, "%s: record %llu: malformed event: %s",
			 st->in ? st->in->uri : "input", (unsigned long long)st->counters.in, why);
	if (st->dead_letter && output_write(st->dead_letter, NULL, data, len) != 0) {
		log_error("writing to dead-letter output failed: %s", strerror(errno));
		st->counters.errors++;
	}
	if (st->opts->strict) {
		log_error("stopping at the first malformed record (--strict)");
		st->exit_code = WARD_EX_DATAERR;
		return -1;
	}
	return 0;
}

/* A line of nothing but blanks separates nothing and carries nothing: NDJSON
 * readers (jq, JSON Lines) skip it, so a stage does too, without counting
 * it as a record or as malformed (docs/events.md). */
static bool blank_record(const struct ward_record *rec)
{
	for (size_t i = 0; i < rec->len; i++)
		if (rec->data[i] != ' ' && rec->data[i] != '\t' && rec->data[i] != '\r')
			return false;
	return true;
}

/* on_record is h->on_record, read once by the loop. */
static int handle_record(struct ward_stage *st, stage_record_fn on_record,
			 const struct stage_hooks *h, void *ctx, const struct ward_record *rec)
{
	char why[160];
	if (on_record) {
		st->counters.in++;
		return on_record(ctx, st, rec);
	}
	if (blank_record(rec))
		return 0;
	st->counters.in++;
	/* The strict-subset decoder takes the plain events that make up most
	 * streams several times faster; json-c handles the rest and reports. */
	if (event_decode_fast(&st->event, rec->data, rec->len, &st->scratch) != 0 &&
	    event_parse(&st->event, &st->parser, rec->data, rec->len, why, sizeof why) != 0)
		return stage_bad_record(st, rec->data, rec->len, why);
	return h->on_event ? h->on_event(ctx, st, &st->event) : 0;
}

/* The size of the input when it is a regular file (a file URI, or stdin
 * redirected from one), else -1: the progress line needs a known end. */
static int64_t input_file_size(const struct ward_stage *st)
{
	struct stat sb;
	if (!fdio_input_is(st->in) || !st->in->uri)
		return -1;	/* followed files, Kafka, Loki: live, no end to measure */
	bool std_in = strcmp(st->in->uri, "<stdin>") == 0 || strcmp(st->in->uri, "-") == 0;
	int rc = std_in ? fstat(STDIN_FILENO, &sb) : stat(st->in->uri, &sb);
	return rc == 0 && S_ISREG(sb.st_mode) ? (int64_t)sb.st_size : -1;
}

/* Milliseconds from now_ns to deadline_ns, never negative. */
static int ms_until(int64_t deadline_ns, int64_t now_ns)
{
	int64_t left = (deadline_ns - now_ns) / 1000000;
	return left < 0 ? 0 : left > INT32_MAX ? INT32_MAX : (int)left;
}

/* How long input_next() may wait: until the next tick, and until the next
 * commit when records are waiting for one (-1: no limit). */
static int wait_budget(const struct stage_hooks *h, int64_t next_tick, bool commit_due,
		       int64_t next_commit, int64_t now_ns)
{
	int timeout_ms = h->tick_ms ? ms_until(next_tick, now_ns) : -1;
	if (commit_due) {
		int commit_ms = ms_until(next_commit, now_ns);
		if (timeout_ms < 0 || commit_ms < timeout_ms)
			timeout_ms = commit_ms;
	}
	return timeout_ms;
}

int stage_run(struct ward_stage *st, const struct stage_hooks *h, void *ctx)
{
	int64_t tick_ns = (int64_t)h->tick_ms * 1000000;
	/* one clock read per record, reused for the next wait: the clock is
	 * a measurable share of a pass-through stage */
	int64_t now_ns = time_mono_ns();
	int64_t next_tick = now_ns + tick_ns;
	bool ended = false;
	bool commits = st->in && st->in->ops->commit != NULL;
	int64_t next_commit = now_ns + STAGE_COMMIT_INTERVAL_NS;
	uint64_t committed_in = st->counters.in;
	int64_t bytes_read = 0;
	progress_begin(st->in && st->in->uri ? st->in->uri : "-",
		       h->input_size ? h->input_size(ctx, st) : input_file_size(st), now_ns);
	unsigned since_clock = 0;
	/* Whether the input holds a record, asked once per record: after it,
	 * for the clock read and for the flush before the next one. */
	bool buffered = input_buffered(st->in);
	const unsigned burst = h->burst;
	/* neither changes while the loop runs (hooks get st, but do not
	 * replace its input or their own table) */
	struct ward_input *const in = st->in;
	const stage_record_fn on_record = h->on_record;
	while (!signals_stop_requested() && !st->output_closed) {
		if (signals_take_usr1()) {
			progress_erase();
			if (h->on_report)
				h->on_report(ctx, st);
			counters_print(&st->counters, stderr);
		}
		int timeout_ms = 0;	/* a buffered input does not wait */
		if (!buffered) {
			if (output_flush(st->out, 0) != 0 && output_failed(st))
				break;
			bool commit_due = commits && st->counters.in != committed_in;
			timeout_ms = wait_budget(h, next_tick, commit_due, next_commit, now_ns);
		}
		struct ward_record rec;
		enum rec_status rs = input_next(in, timeout_ms, &rec);
		int rc = 0;
		/* A burst (h->burst > 1): the records the input gives without
		 * waiting, one after another, before the checks above run again.
		 * Its loop is the per-record cost of a stage like ward-sniff:
		 * the input and the hook are read once, and rc is tested alone. */
		for (unsigned n = 1; rs == REC_OK; n++) {
			rc = handle_record(st, on_record, h, ctx, &rec);
			bytes_read += (int64_t)rec.len + 1;
			if (rc != 0)
				break;
			if (n >= burst)
				break;
			rs = input_next(in, 0, &rec);
		}
		if (rs == REC_OK)
			;
		else if (rs == REC_SKIPPED && st->opts->strict)
			rc = stage_bad_record(st, "", 0, "record longer than --max-line");
		else if (rs == REC_EOF) {
			ended = true;
			break;
		} else if (rs == REC_STOPPED)
			break;
		else if (rs == REC_ERROR) {
			st->exit_code = WARD_EX_IOERR;
			break;
		}
		if (rc != 0)
			break;
		buffered = input_buffered(in);
		if (++since_clock < h->clock_every && buffered)
			continue;
		since_clock = 0;
		now_ns = time_mono_ns();
		progress_update(h->input_pos ? h->input_pos(ctx, st) : bytes_read, st->counters.in, now_ns);
		if (commits && st->counters.in != committed_in && now_ns >= next_commit) {
			if (stage_checkpoint(st) != 0)
				break;
			committed_in = st->counters.in;
			now_ns = time_mono_ns();
			next_commit = now_ns + STAGE_COMMIT_INTERVAL_NS;
		}
		if (h->on_tick && now_ns >= next_tick) {
			next_tick = now_ns + tick_ns;
			if (h->on_tick(ctx, st, now_ns) != 0)
				break;
			now_ns = time_mono_ns();
		}
	}
	progress_end();
	/* A stop signal also drains: whatever the stage holds (open windows,
	 * summaries) is still emitted. */
	if ((ended || signals_stop_requested()) && st->exit_code == 0 && h->on_end)
		h->on_end(ctx, st);
	return st->exit_code;
}

int stage_finish(struct ward_stage *st)
{
	if (st->out && !st->output_closed && output_flush(st->out, -1) != 0 && errno != EPIPE) {
		log_error("flushing %s failed: %s", st->out->uri, strerror(errno));
		if (!st->exit_code)
			st->exit_code = WARD_EX_IOERR;
	}
	if (st->dead_letter && output_flush(st->dead_letter, -1) != 0 && !st->exit_code)
		st->exit_code = WARD_EX_IOERR;
	/* Commit only when everything produced from the input is delivered. */
	if (st->in && st->exit_code == 0 && input_commit(st->in) != 0)
		st->exit_code = WARD_EX_IOERR;
	ratelimit_flush(&st->bad_input_rl);
	/* closing counts too (Kafka: messages not acknowledged, records not
	 * committed at exit), so the counters line comes after */
	input_close(st->in);
	output_close(st->out);
	output_close(st->dead_letter);
	/* -q keeps stderr to errors; ward-run still needs the line for its
	 * summary, and says so with WARD_RUN_COUNTERS. */
	if (!st->opts->quiet || getenv("WARD_RUN_COUNTERS"))
		counters_print(&st->counters, stderr);
	metrics_stop(st->metrics);
	st->metrics = NULL;
	event_free(&st->event);
	event_parser_free(&st->parser);
	buf_free(&st->outbuf);
	buf_free(&st->scratch);
	st->in = NULL;
	st->out = st->dead_letter = NULL;
	return st->exit_code;
}

int stage_common_flags(const struct ward_common_opts *c, const struct ward_opt *table,
		       const char *synopsis, const char *description, const char *epilog,
		       int *exit_code)
{
	if (c->help) {
		opts_usage(table, synopsis, description, epilog);
		*exit_code = WARD_EX_OK;
		return -1;
	}
	if (c->version) {
		printf("%s %s\n", log_progname(), WARD_VERSION);
		*exit_code = WARD_EX_OK;
		return -1;
	}
	if (c->quiet)
		log_set_level(LOG_LVL_ERROR);
	if (c->verbose)
		log_set_level(LOG_LVL_DEBUG);
	return 0;
}
