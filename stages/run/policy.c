/* policy.c - see policy.h. */
#include "stages/run/policy.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "exitcodes.h"

int policy_exit_code(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return WARD_EX_SOFTWARE;
}

bool policy_clean_end(int wstatus, bool stopping)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus) == 0;
	if (!WIFSIGNALED(wstatus))
		return false;
	int sig = WTERMSIG(wstatus);
	return sig == SIGPIPE || (stopping && (sig == SIGINT || sig == SIGTERM || sig == SIGKILL));
}

bool policy_restartable(int wstatus)
{
	if (WIFSIGNALED(wstatus))
		return true;
	if (!WIFEXITED(wstatus))
		return false;
	switch (WEXITSTATUS(wstatus)) {
	case 0:
	case WARD_EX_USAGE:
	case WARD_EX_DATAERR:
	case WARD_EX_NOPERM:
	case WARD_EX_CONFIG:
	case 126:	/* found but not executable */
	case 127:	/* not found */
		return false;
	default:
		return true;
	}
}

int64_t policy_backoff(int64_t prev_ns, int64_t initial_ns, int64_t ran_ns)
{
	if (prev_ns <= 0 || ran_ns >= POLICY_HEALTHY_NS)
		return initial_ns;
	int64_t next = prev_ns > POLICY_BACKOFF_MAX_NS / 2 ? POLICY_BACKOFF_MAX_NS : prev_ns * 2;
	return next > POLICY_BACKOFF_MAX_NS ? POLICY_BACKOFF_MAX_NS : next;
}

bool policy_counters_line(const char *line, size_t len)
{
	static const char prefix[] = "{\"stage\":\"";
	return len > sizeof prefix && memcmp(line, prefix, sizeof prefix - 1) == 0 && line[len - 1] == '}';
}
