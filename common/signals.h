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
void signals_request_stop(void);

/* The handlers' flags. Read through the functions below, which are inline
 * because the stage loop asks them for every record. */
extern volatile sig_atomic_t signals_stop_flag, signals_usr1_flag;

static inline bool signals_stop_requested(void)
{
	return signals_stop_flag != 0;
}

/* True once per SIGUSR1 received. */
static inline bool signals_take_usr1(void)
{
	if (!signals_usr1_flag)
		return false;
	signals_usr1_flag = 0;
	return true;
}
/* True while a SIGUSR1 waits to be taken: an input that waits where no
 * EINTR reaches (a library's own threads) returns to the stage for it. */
static inline bool signals_usr1_pending(void)
{
	return signals_usr1_flag != 0;
}

#endif
