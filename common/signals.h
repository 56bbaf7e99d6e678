/* signals.h - the signals every stage handles.
 *
 * SIGINT/SIGTERM: stop reading, drain outputs, exit 0. SIGPIPE is ignored so
 * a closed stdout shows up as EPIPE, which output treats as the normal end of
 * the stream. SIGUSR1: print counters. Handlers only set flags. */
#ifndef WARD_SIGNALS_H
#define WARD_SIGNALS_H

#include <signal.h>
#include <stdbool.h>

void signals_install(void);
bool signals_stop_requested(void);
void signals_request_stop(void);
/* True once per SIGUSR1 received. */
bool signals_take_usr1(void);
/* True while a SIGUSR1 waits to be taken: an input that waits where no
 * EINTR reaches (a library's own threads) returns to the stage for it. */
bool signals_usr1_pending(void);

#endif
