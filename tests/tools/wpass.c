/* wpass - the smallest ward stage: events in, events out through the common
 * stage loop and transports, optionally keeping only events whose field or
 * label NAME equals VALUE. Tests and benchmarks use it to exercise a
 * transport (Kafka) with a stage that does nothing else.
 *
 *   wpass [--keep NAME=VALUE] [common stage options: --in, --out, -X, ...]
 *
 * WPASS_CPU=1 prints, at exit, the CPU microseconds of the main thread and
 * of the whole process (librdkafka's threads included, also those already
 * ended) to stderr: "wpass_cpu main_us=N total_us=N". bench/kafka_cpu_bench.sh
 * takes the per-event cost from two runs' difference. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "exitcodes.h"
#include "stage.h"

struct wpass {
	const char *keep_name;
	const char *keep_value;
	size_t keep_value_len;
};

static int on_event(void *ctx, struct ward_stage *st, struct ward_event *ev)
{
	const struct wpass *w = ctx;
	if (w->keep_name) {
		const struct ward_kv *kv = event_lookup(ev, w->keep_name);
		if (!kv || kv->val_len != w->keep_value_len ||
		    memcmp(kv->val, w->keep_value, kv->val_len) != 0) {
			st->counters.dropped++;
			return 0;
		}
	}
	return stage_emit(st, ev) != 0 && !st->output_closed ? -1 : 0;
}

static long long cpu_us(int who)
{
	struct rusage ru;
	if (getrusage(who, &ru) != 0)
		return -1;
	return (long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 +
	       ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
}

int main(int argc, char **argv)
{
	struct ward_common_opts common;
	const char *keep = NULL;
	common_opts_defaults(&common);
	const struct ward_opt table[] = {
		{ "keep", 0, OPT_STRING, &keep, "NAME=VALUE", "keep only events whose NAME is VALUE", NULL },
		WARD_COMMON_OPTS(&common),
		{ 0 },
	};
	int nops, rc;
	log_init("ward-wpass");
	if (opts_parse(table, argc, argv, &nops) != 0)
		return WARD_EX_USAGE;
	if (stage_common_flags(&common, table, "[options]", "Pass events through.", "", &rc))
		return rc;
	struct wpass w = { 0 };
	if (keep) {
		const char *eq = strchr(keep, '=');
		if (!eq || eq == keep) {
			log_error("option --keep: want NAME=VALUE");
			return WARD_EX_USAGE;
		}
		static char name[256];
		snprintf(name, sizeof name, "%.*s", (int)(eq - keep), keep);
		w.keep_name = name;
		w.keep_value = eq + 1;
		w.keep_value_len = strlen(eq + 1);
	}
	struct ward_stage st;
	stage_init(&st, "wpass", &common);
	const struct stage_hooks hooks = { .on_event = on_event };
	if (stage_open(&st, false) == 0)
		stage_run(&st, &hooks, &w);
	rc = stage_finish(&st);
	opt_list_free(&common.props);
	const char *cpu = getenv("WPASS_CPU");
	if (cpu && strcmp(cpu, "1") == 0)
		fprintf(stderr, "wpass_cpu main_us=%lld total_us=%lld\n", cpu_us(RUSAGE_THREAD),
			cpu_us(RUSAGE_SELF));
	return rc;
}
