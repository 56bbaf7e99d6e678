/* runner.h - start, supervise and stop a parsed pipeline (docs/run.md).
 *
 * Stages run as child processes joined by pipes (pipe2/fork/execve, no
 * shell); fanouts add a tee and a merge helper process. Each child's stderr
 * comes back through a pipe: its lines are passed on to ward-run's stderr,
 * except the stage's counters line, which is kept for the combined report.
 * The runner does not own the pipeline; it must outlive the run. Finding
 * the programs and checking them first: validate.h. */
#ifndef WARD_RUN_RUNNER_H
#define WARD_RUN_RUNNER_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "stages/run/pipeline.h"

struct run_opts {
	int64_t grace_ns;		/* drain time before SIGTERM, then SIGKILL */
	long max_restarts;		/* per stage reading Kafka */
	int64_t restart_delay_ns;	/* first backoff */
	int64_t check_timeout_ns;	/* for each stage's validation run */
	const char *self_dir;		/* where ward-run lives: ward-* found there first */
	const char *pipeline_name;	/* for the combined counters */
	bool table;			/* also print the counters as a table */
	const char *metrics_addr;	/* --metrics: every stage's metrics here (runmetrics.h) */
};

/* Run the pipeline to its end. Returns ward-run's exit status: 0, or the
 * status of the first stage that failed. The combined counters JSON line
 * is appended to `counters` (without newline). */
int run_pipeline(const struct pipeline *p, const struct run_opts *o, struct ward_buf *counters);

#endif
