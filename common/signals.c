/* signals.c - flags set by handlers; nothing else happens in a handler. */
#include "signals.h"

#include <string.h>

static volatile sig_atomic_t stop_flag;
static volatile sig_atomic_t usr1_flag;

static void on_stop(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static void on_usr1(int sig)
{
	(void)sig;
	usr1_flag = 1;
}

void signals_install(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a blocking read must return EINTR so the loop sees
	 * the stop flag promptly. */
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

bool signals_stop_requested(void)
{
	return stop_flag != 0;
}

void signals_request_stop(void)
{
	stop_flag = 1;
}

bool signals_take_usr1(void)
{
	if (!usr1_flag)
		return false;
	usr1_flag = 0;
	return true;
}

bool signals_usr1_pending(void)
{
	return usr1_flag != 0;
}
