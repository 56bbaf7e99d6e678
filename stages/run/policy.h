/* policy.h - ward-run's decisions about ended processes, as pure functions
 * of a wait status (so unit tests cover them without forking). */
#ifndef WARD_RUN_POLICY_H
#define WARD_RUN_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define POLICY_BACKOFF_MAX_NS (30LL * 1000000000LL)
/* A run this long proves the stage healthy again: backoff starts over. */
#define POLICY_HEALTHY_NS (60LL * 1000000000LL)

/* The status ward-run reports for a wait status: the exit code, or 128 +
 * the signal number as a shell does. */
int policy_exit_code(int wstatus);
/* A clean end: exit 0, death by SIGPIPE (its reader finished first, which
 * ward stages report as exit 0 too), or, while ward-run is stopping the
 * pipeline, death by the signal it sent. */
bool policy_clean_end(int wstatus, bool stopping);
/* Worth a restart (for a stage reading Kafka, where restarting loses
 * nothing): a crash by signal or a transient failure. Usage (64), data
 * (65), permission (77) and configuration (78) errors would only repeat. */
bool policy_restartable(int wstatus);
/* The delay before the next restart: `initial` after a healthy run,
 * otherwise twice the previous delay, at most POLICY_BACKOFF_MAX_NS. */
int64_t policy_backoff(int64_t prev_ns, int64_t initial_ns, int64_t ran_ns);
/* A stage's counters line (counters.h): a JSON object opening with
 * "stage". */
bool policy_counters_line(const char *line, size_t len);

#endif
