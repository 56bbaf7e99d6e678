/* log.c - stderr diagnostics with a program prefix and rate limiting.
 * The only process-wide state is the prefix and the level: a program has
 * one of each. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "progress.h"
#include "wtime.h"

static char progname[64] = "ward";
static enum ward_log_level level = LOG_LVL_INFO;

void log_init(const char *name)
{
	snprintf(progname, sizeof progname, "%s", name);
}

const char *log_progname(void)
{
	return progname;
}

void log_set_level(enum ward_log_level lvl)
{
	level = lvl;
}

enum ward_log_level log_level(void)
{
	return level;
}

static void vlog(enum ward_log_level lvl, const char *fmt, va_list ap)
{
	static const char *const names[] = { "error", "warning", "info", "debug" };
	char msg[2048];
	if (lvl > level)
		return;
	vsnprintf(msg, sizeof msg, fmt, ap);
	/* Messages may quote input: keep them on one line, printable. */
	for (char *p = msg; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	progress_erase();	/* a progress line would run into the message */
	fprintf(stderr, "%s: %s: %s\n", progname, names[lvl], msg);
}

#define DEFINE_LOG(fn, lvl) \
	void fn(const char *fmt, ...) \
	{ \
		va_list ap; \
		va_start(ap, fmt); \
		vlog(lvl, fmt, ap); \
		va_end(ap); \
	}
DEFINE_LOG(log_error, LOG_LVL_ERROR)
DEFINE_LOG(log_warn, LOG_LVL_WARN)
DEFINE_LOG(log_info, LOG_LVL_INFO)
DEFINE_LOG(log_debug, LOG_LVL_DEBUG)

void ratelimit_flush(struct ward_ratelimit *rl)
{
	if (rl->suppressed)
		log_warn("... %llu similar warnings suppressed", (unsigned long long)rl->suppressed);
	rl->suppressed = 0;
}

void log_warn_limited(struct ward_ratelimit *rl, const char *fmt, ...)
{
	int64_t now = time_mono_ns() / NS_PER_SEC;
	if (now - rl->window_start >= (int64_t)rl->period_s) {
		ratelimit_flush(rl);
		rl->window_start = now;
		rl->emitted = 0;
	}
	if (rl->emitted >= rl->burst) {
		rl->suppressed++;
		return;
	}
	rl->emitted++;
	va_list ap;
	va_start(ap, fmt);
	vlog(LOG_LVL_WARN, fmt, ap);
	va_end(ap);
}
