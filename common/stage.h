/* stage.h - the loop every stage runs: read -> process -> emit, drain, report.
 *
 *   struct ward_stage st;
 *   stage_init(&st, "match", &common);          // logging, signals, counters
 *   if (stage_open(&st, 0) != 0) return st.exit_code;
 *   int rc = stage_run(&st, &hooks, ctx);       // until EOF or a stop signal
 *   stage_finish(&st);                          // drain, counters to stderr
 *
 * Processing hooks do no I/O: they receive a decoded event and call
 * stage_emit() for each event they produce. Malformed input records are
 * counted, reported (rate-limited) and skipped, or written to the
 * dead-letter output; with --strict the stage stops with exit 65. */
#ifndef WARD_STAGE_H
#define WARD_STAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "counters.h"
#include "event.h"
#include "log.h"
#include "metrics.h"
#include "opts.h"
#include "transport.h"

struct ward_stage {
	const char *name;		/* "match" (program is ward-match) */
	const struct ward_common_opts *opts;
	struct ward_counters counters;
	struct ward_input *in;
	struct ward_output *out;
	struct ward_output *dead_letter;	/* may be NULL */
	struct ward_metrics *metrics;		/* --metrics listener, or NULL */
	struct ward_transport_opts topts;
	struct ward_event_parser parser;
	struct ward_event event;	/* the input event, reused */
	struct ward_buf outbuf;		/* serialization scratch, reused */
	struct ward_buf scratch;	/* unescaping scratch of the fast decoder */
	struct ward_ratelimit bad_input_rl;
	int exit_code;
	bool output_closed;		/* EPIPE seen: downstream went away */
};

typedef int (*stage_record_fn)(void *ctx, struct ward_stage *st, const struct ward_record *rec);

struct stage_hooks {
	/* Called with each raw record when the stage takes raw text (ingest).
	 * If NULL, records are parsed as events and on_event is called. */
	stage_record_fn on_record;
	/* Return 0, or -1 to stop the stage with st->exit_code. */
	int (*on_event)(void *ctx, struct ward_stage *st, struct ward_event *ev);
	/* Called every tick_ms of idle or busy time (window expiry, intervals). */
	int (*on_tick)(void *ctx, struct ward_stage *st, int64_t now_mono_ns);
	/* Called once at end of input, before the final drain. */
	int (*on_end)(void *ctx, struct ward_stage *st);
	int tick_ms;	/* 0: no ticks */
	/* Read the clock only every clock_every records while more input is
	 * buffered (0 or 1: after every record): for a stage whose work per
	 * record is far below its tick, the clock read is a measurable share. */
	unsigned clock_every;
	/* Handle up to burst records in a row, as long as the input gives
	 * them without waiting (input_next with timeout 0), before the stop,
	 * SIGUSR1, flush, clock and tick checks (0 or 1: after every record):
	 * for a stage whose work per record is close to the loop's own cost
	 * (ward-sniff reading capture files). */
	unsigned burst;
	/* For an input that is not a transport (ward-sniff's capture files):
	 * its size for the progress line (< 0: none shown) and the bytes read
	 * so far. NULL: a file transport's size, and the bytes of its records. */
	int64_t (*input_size)(void *ctx, struct ward_stage *st);
	int64_t (*input_pos)(void *ctx, struct ward_stage *st);
	/* Called before the counters are printed on SIGUSR1, for a stage that
	 * keeps counts of its own to copy into st->counters. */
	void (*on_report)(void *ctx, struct ward_stage *st);
};

void stage_init(struct ward_stage *st, const char *name, const struct ward_common_opts *opts);
/* Open the input (unless no_input) and outputs from the common options.
 * Returns 0 or -1 with st->exit_code set and the error logged.
 * In check mode it exits 0 instead, opening nothing (see below). */
int stage_open(struct ward_stage *st, bool no_input);
/* Check mode (WARD_CHECK=1 in the environment, set by ward-run to validate
 * a pipeline before starting it): the stage parses its options and loads
 * its configuration (queries, rules) as usual, then exits 0 at stage_open()
 * without opening any input or output; a bad command line exits as it
 * always does (64, 78). A stage that opens or changes anything before
 * stage_open() (a capture, a firewall table) checks this first. */
bool stage_check_mode(void);
int stage_run(struct ward_stage *st, const struct stage_hooks *hooks, void *ctx);
/* Serialize and write one event. Returns 0, or -1 when the output failed
 * (EPIPE ends the stage quietly with exit 0). */
int stage_emit(struct ward_stage *st, const struct ward_event *ev);
/* For a stage that serializes a hot, fixed-shape event itself: json (no
 * newline) must be exactly what event_serialize writes for ev. ev may be
 * NULL when stage_output_needs_event is false (the output only copies
 * bytes), which spares building it. Returns as stage_emit. */
int stage_emit_json(struct ward_stage *st, const struct ward_event *ev, const char *json,
		    size_t len);
bool stage_output_needs_event(const struct ward_stage *st);
/* Flush every output and wait until it is delivered (Kafka: acknowledged).
 * Returns 0, or -1 with st->exit_code set. The stage loop calls it before
 * each input_commit (every second while records flow, for inputs that
 * commit), and on a Kafka partition revoke; a stage that keeps state per key
 * (ward-window) installs its own rebalance hook (input_set_rebalance_hook)
 * that calls this and then flushes or drops its state. */
int stage_flush_outputs(struct ward_stage *st);
/* Count, report and dead-letter one bad record. Returns -1 with --strict. */
int stage_bad_record(struct ward_stage *st, const char *data, size_t len, const char *why);
/* Flush outputs, commit input, print counters, free everything.
 * Returns the final exit code. */
int stage_finish(struct ward_stage *st);

/* For programs' main(): handle --help/--version and the common log flags.
 * Returns -1 if the program should exit now with *exit_code. */
int stage_common_flags(const struct ward_common_opts *c, const struct ward_opt *table,
		       const char *synopsis, const char *description, const char *epilog,
		       int *exit_code);

#endif
