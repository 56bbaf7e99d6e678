/* runmetrics.h - ward-run --metrics ADDR:PORT: every stage's metrics on one
 * port (docs/run.md, "Metrics").
 *
 * ward-run makes a private directory (mode 0700) and starts each stage with
 * WARD_METRICS=unix:DIR/N.sock in its environment, so the stage serves its
 * own counters there (metrics.h). A scrape of ward-run's port fetches
 * GET /metrics from every stage's socket (1 s each at most), adds the label
 * step="N" (the stage's position in the pipeline, 1-based, as in the
 * combined counters) to every sample, merges the families, and adds
 * ward_run_stage_up{step,program,line} (1 when the stage answered). A stage
 * that is restarting or has ended answers nothing: up 0, no samples. */
#ifndef WARD_RUN_RUNMETRICS_H
#define WARD_RUN_RUNMETRICS_H

#include <stddef.h>

struct run_metrics;

/* Make the directory; nothing listens yet. NULL with err on failure. */
struct run_metrics *run_metrics_new(size_t nstages, char *err, size_t errlen);
/* Stage i (0-based): its program name and pipeline line, for the labels. */
void run_metrics_describe(struct run_metrics *m, size_t i, const char *program, unsigned line);
/* "WARD_METRICS=unix:DIR/N.sock" for stage i (owned by m); the socket of
 * an earlier run of stage i is removed first (a restart after a crash). */
const char *run_metrics_env(struct run_metrics *m, size_t i);
/* Listen on addr; call after the stages were forked (the listener is a
 * thread, and helper children fork without exec). 0 or -1 with err. */
int run_metrics_listen(struct run_metrics *m, const char *addr, char *err, size_t errlen);
/* Stop listening, remove the directory, free. */
void run_metrics_free(struct run_metrics *m);

/* Exposed for tests: split an HTTP response into status and body. Returns
 * the body offset, or -1 if resp is not a complete 200 response. */
long run_metrics_body(const char *resp, size_t len);

#endif
