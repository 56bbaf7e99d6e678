/* progress.c - the terminal progress line (see progress.h). */
#include "progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "wtime.h"

static struct {
	bool on;		/* showing for this input */
	bool shown;		/* the line is on the terminal now */
	char name[256];
	int64_t size;
	int64_t start_ns, next_ns, interval_ns;
} pg;

static int64_t interval(void)
{
	const char *v = getenv("WARD_PROGRESS_INTERVAL");
	int64_t ns;
	if (v && duration_parse(v, strlen(v), &ns) == 0)
		return ns;
	return 250 * 1000000LL;
}

void progress_begin(const char *name, int64_t size, int64_t now_mono_ns)
{
	progress_end();
	pg.on = size >= 0 && log_level() >= LOG_LVL_INFO && isatty(STDERR_FILENO);
	if (!pg.on)
		return;
	snprintf(pg.name, sizeof pg.name, "%s", name);
	for (char *p = pg.name; *p; p++)	/* a file name is shown, not run */
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	pg.size = size;
	pg.interval_ns = interval();
	pg.start_ns = now_mono_ns;
	pg.next_ns = now_mono_ns + 2 * pg.interval_ns;
}

/* 1234567 -> "1.2M", 83000 -> "83k", 950 -> "950". */
static void human_count(double v, char *out, size_t n)
{
	if (v >= 1e9)
		snprintf(out, n, "%.1fG", v / 1e9);
	else if (v >= 1e6)
		snprintf(out, n, "%.1fM", v / 1e6);
	else if (v >= 1e4)
		snprintf(out, n, "%.0fk", v / 1e3);
	else
		snprintf(out, n, "%.0f", v);
}

void progress_update(int64_t bytes, uint64_t events, int64_t now_mono_ns)
{
	if (!pg.on || now_mono_ns < pg.next_ns)
		return;
	pg.next_ns = now_mono_ns + pg.interval_ns;
	double secs = (double)(now_mono_ns - pg.start_ns) / 1e9;
	char ev[32], rate[32];
	human_count((double)events, ev, sizeof ev);
	human_count(secs > 0 ? (double)events / secs : 0, rate, sizeof rate);
	int pct = pg.size > 0 ? (int)(bytes * 100 / pg.size) : 100;
	fprintf(stderr, "\r%s: %s %3d%% %lld/%lld MiB, %s events, %s events/s\033[K", log_progname(),
		pg.name, pct > 100 ? 100 : pct, (long long)(bytes >> 20), (long long)(pg.size >> 20),
		ev, rate);
	fflush(stderr);
	pg.shown = true;
}

void progress_erase(void)
{
	if (!pg.shown)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	pg.shown = false;
}

void progress_end(void)
{
	progress_erase();
	pg.on = false;
}

bool progress_active(void)
{
	return pg.on;
}
