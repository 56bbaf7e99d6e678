/* log.h - diagnostics on stderr: "ward-<stage>: <level>: <message>".
 *
 * stdout carries only events; everything for people goes to stderr.
 * Warnings about input (bad lines) go through a ward_ratelimit so that a
 * flood of garbage produces a bounded number of stderr lines, with a summary
 * of how many were suppressed. */
#ifndef WARD_LOG_H
#define WARD_LOG_H

#include <stdint.h>

enum ward_log_level { LOG_LVL_ERROR = 0, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

/* The program name ("ward-match") used as prefix; also the default level. */
void log_init(const char *progname);
const char *log_progname(void);
void log_set_level(enum ward_log_level lvl);
enum ward_log_level log_level(void);

void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* At most `burst` messages per `period_s` seconds; the rest are counted and
 * summarized ("... N similar warnings suppressed") when the period ends or
 * at ratelimit_flush. */
struct ward_ratelimit {
	unsigned burst;
	unsigned period_s;
	int64_t window_start;	/* monotonic seconds */
	unsigned emitted;
	uint64_t suppressed;
};
#define WARD_RATELIMIT_INIT(burst, period) { (burst), (period), 0, 0, 0 }

void log_warn_limited(struct ward_ratelimit *rl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void ratelimit_flush(struct ward_ratelimit *rl);

#endif
