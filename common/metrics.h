/* metrics.h - a stage's counters in the Prometheus text exposition format,
 * served over HTTP (--metrics ADDR:PORT).
 *
 * One listener thread per stage answers GET /metrics (404 for any other
 * path, 405 for any other method) with every counter of the stage's
 * counters line (counters.h), one connection at a time: a request is read
 * up to METRICS_MAX_REQUEST bytes within METRICS_REQUEST_TIMEOUT_MS, then
 * answered and closed (HTTP/1.0 style, no keep-alive). Nothing from the
 * request reaches the response.
 *
 * The names: in/out/dropped/malformed/oversized/errors are
 * ward_events_in_total, ward_events_out_total, ward_events_dropped_total,
 * ward_events_malformed_total, ward_records_oversized_total and
 * ward_errors_total; every other counter NAME is ward_NAME_total, except the
 * levels (METRICS_GAUGES: keys, kafka_lag, bans_active, ...) which are
 * gauges ward_NAME. Every sample has the label stage="NAME". Events a stage
 * emits with a "rule" are also counted per rule:
 * ward_rule_events_total{stage="match",rule="SSHFailedPassword"}.
 *
 * Consistency: the stage's thread updates its counters without locks; the
 * listener reads each one with an atomic load, so a scrape sees each value
 * whole, and the set of counters a little earlier or later than another.
 * Values that a stage publishes in steps (ward-window's engine statistics,
 * transport statistics at each flush) move in those steps. At exit the
 * counters line and a last scrape agree. */
#ifndef WARD_METRICS_H
#define WARD_METRICS_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

struct ward_counters;

#define METRICS_MAX_REQUEST 8192
#define METRICS_REQUEST_TIMEOUT_MS 2000

/* Per-rule counts of emitted events (a small table; a mutex guards its
 * shape, the listener reads the values). */
struct metrics_rules;

struct ward_metrics;

/* Listen on addr: "HOST:PORT", "[V6]:PORT", ":PORT" (every interface) or
 * "unix:PATH" (ward-run's private sockets). Port 0 picks a free port (logged).
 * Returns NULL with err set and errno: EINVAL a malformed address, anything
 * else the listen failure. */
struct ward_metrics *metrics_start(const char *addr, const struct ward_counters *c,
				   char *err, size_t errlen);
/* The same listener answering with what render appends (ward-run: every
 * stage's metrics). render runs on the listener's thread. */
typedef void (*metrics_render_fn)(void *ctx, struct ward_buf *out);
struct ward_metrics *metrics_serve(const char *addr, metrics_render_fn render, void *ctx,
				   char *err, size_t errlen);
/* Count one emitted event of this rule. NULL m: nothing. */
void metrics_count_rule(struct ward_metrics *m, const char *rule);
/* Stop the listener and free everything (unlinks a unix socket). */
void metrics_stop(struct ward_metrics *m);

/* ------------------------------------------------ pure parts (tested, fuzzed) */

enum metrics_req {
	MREQ_INCOMPLETE = 0,	/* no end of headers yet: read more */
	MREQ_METRICS,		/* GET /metrics (optionally ?query) */
	MREQ_NOT_FOUND,		/* GET of another path */
	MREQ_BAD_METHOD,	/* a well-formed request line, not GET */
	MREQ_BAD,		/* not an HTTP/1.x request */
};
/* Classify the bytes received so far (they need not be NUL-terminated). */
enum metrics_req metrics_parse_request(const char *buf, size_t len);

/* Append the exposition of c (and rules, which may be NULL). */
void metrics_render(const struct ward_counters *c, struct metrics_rules *rules,
		    struct ward_buf *out);
/* Append an escaped label value ('\\', '"' and newline escaped). */
void metrics_escape_label(struct ward_buf *out, const char *s);

/* For ward-run: merge several expositions rendered by metrics_render into
 * one, adding the label extra_name="extra_values[i]" to every sample of
 * texts[i], keeping each family's samples together with one HELP and TYPE.
 * Lines that are not in metrics_render's shape are skipped. */
void metrics_merge(const char *const *texts, const size_t *lens, const char *const *extra_values,
		   size_t n, const char *extra_name, struct ward_buf *out);

#endif
