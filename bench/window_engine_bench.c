/* window_engine_bench.c - the ward-window engine alone, without JSON, for
 * bench/window_bench.sh (compiled there against the built libraries).
 *
 *   window_engine_bench rate EVENTS KEYS   count_over_time [10s] by (src_ip):
 *                                           events/s with KEYS active keys
 *   window_engine_bench keys KEYS MAXKEYS  KEYS distinct keys, one event each
 *                                           (a spoofed-source flood): bytes per key
 *   window_engine_bench topk EVENTS KEYS   topk(10, count_over_time [10s] by
 *                                           (src_ip)) at 1 s evaluation steps
 * Prints one line of "name=value" pairs. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "event.h"
#include "stages/window/engine.h"
#include "stages/window/rule.h"
#include "wtime.h"

static uint64_t alerts;
static void on_alert(void *ctx, const struct ww_alert *a)
{
	(void)ctx;
	(void)a;
	alerts++;
}

static void set_ip(struct ward_event *ev, uint32_t k)
{
	char ip[32];
	int n = snprintf(ip, sizeof ip, "198.%u.%u.%u", 18 + (k >> 16), (k >> 8) & 255, k & 255);
	event_set_field(ev, "src_ip", ip, (size_t)n);
}

static struct ww_rule count_rule(int64_t range_ns)
{
	struct ww_rule r;
	rule_init(&r);
	rule_set_str(&r.name, "bench");
	rule_add_group(&r, "src_ip");
	r.range_ns = range_ns;
	r.op = WW_OP_GT;
	r.threshold = 1e9;
	return r;
}

static long peak_rss_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static int bench_rate(uint64_t nevents, uint32_t nkeys, bool topk)
{
	struct ww_rule r = count_rule(10 * NS_PER_SEC);
	if (topk) {	/* an aggregation across keys: evaluated at steps */
		r.vagg = WW_VAGG_TOPK;
		r.vk = 10;
		r.eval_ns = NS_PER_SEC;
	}
	struct ww_engine_opts o = { .max_keys = 1000000, .evidence = 0 };
	struct ww_engine *e = engine_new(&r, 1, &o, on_alert, NULL);
	/* events made LOOK ahead of the one fed, with the engine's prefetch
	 * steps between (engine.h, as ward-window's stage loop does) */
	enum { LOOK = 16, PF_KEY = 6, PF_RING = 11 };
	struct ward_event evs[LOOK];
	struct ww_hint hints[LOOK];
	for (int i = 0; i < LOOK; i++)
		event_init(&evs[i]);
	char (*ips)[20] = malloc((size_t)nkeys * 20);
	for (uint32_t k = 0; k < nkeys; k++)
		snprintf(ips[k], 20, "198.%u.%u.%u", 18 + (k >> 16), (k >> 8) & 255, k & 255);
	int64_t t0 = 1700000000LL * NS_PER_SEC, step = 10000;
	uint64_t x = 88172645463325252ULL;
	int64_t start = time_mono_ns();
	for (uint64_t i = 0; i < nevents + LOOK - 1; i++) {
		if (i < nevents) {	/* event i enters the queue */
			x ^= x << 13; x ^= x >> 7; x ^= x << 17;
			const char *ip = ips[x % nkeys];
			event_set_field(&evs[i % LOOK], "src_ip", ip, strlen(ip));
			engine_prefetch_slot(e, &evs[i % LOOK], &hints[i % LOOK]);
		}
		if (i >= PF_KEY && i - PF_KEY < nevents)
			engine_prefetch_key(e, &hints[(i - PF_KEY) % LOOK]);
		if (i >= PF_RING && i - PF_RING < nevents)
			engine_prefetch_ring(e, &hints[(i - PF_RING) % LOOK]);
		if (i >= LOOK - 1) {	/* the oldest is fed */
			uint64_t j = i - (LOOK - 1);
			engine_hint_next(e, &hints[j % LOOK]);
			engine_event(e, &evs[j % LOOK], t0 + (int64_t)j * step);
		}
	}
	int64_t el = time_mono_ns() - start;
	const struct ww_stats *st = engine_stats(e);
	printf("mode=%s events=%llu keys=%u seconds=%.3f events_per_s=%.0f keys_held=%llu alerts=%llu\n",
	       topk ? "topk" : "rate", (unsigned long long)nevents, nkeys, (double)el / 1e9, (double)nevents * 1e9 / (double)el,
	       (unsigned long long)st->keys, (unsigned long long)alerts);
	engine_finish(e);
	engine_free(e);
	for (int i = 0; i < LOOK; i++)
		event_free(&evs[i]);
	free(ips);
	rule_free(&r);
	return 0;
}

static int bench_keys(uint64_t nkeys, uint64_t max_keys)
{
	struct ww_rule r = count_rule(60 * NS_PER_SEC);
	struct ww_engine_opts o = { .max_keys = max_keys, .evidence = 0 };
	struct ww_engine *e = engine_new(&r, 1, &o, on_alert, NULL);
	struct ward_event ev;
	event_init(&ev);
	long rss0 = peak_rss_kb();
	int64_t t0 = 1700000000LL * NS_PER_SEC;
	int64_t start = time_mono_ns();
	for (uint64_t i = 0; i < nkeys; i++) {
		event_reset(&ev);
		set_ip(&ev, (uint32_t)i);
		/* all inside one window: nothing expires, every key is live */
		engine_event(e, &ev, t0 + (int64_t)i);
	}
	int64_t el = time_mono_ns() - start;
	const struct ww_stats *st = engine_stats(e);
	size_t mem = engine_memory(e);
	long rss = peak_rss_kb();
	printf("mode=keys distinct=%llu max_keys=%llu held=%llu evicted=%llu engine_bytes=%zu "
	       "bytes_per_key=%.0f peak_rss_mb=%.0f rss_bytes_per_key=%.0f events_per_s=%.0f\n",
	       (unsigned long long)nkeys, (unsigned long long)max_keys,
	       (unsigned long long)st->keys, (unsigned long long)st->evicted, mem,
	       (double)mem / (double)st->keys, (double)rss / 1024.0,
	       (double)(rss - rss0) * 1024.0 / (double)st->keys, (double)nkeys * 1e9 / (double)el);
	engine_free(e);
	event_free(&ev);
	rule_free(&r);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "rate") == 0)
		return bench_rate(strtoull(argv[2], NULL, 10), (uint32_t)strtoul(argv[3], NULL, 10), false);
	if (argc == 4 && strcmp(argv[1], "topk") == 0)
		return bench_rate(strtoull(argv[2], NULL, 10), (uint32_t)strtoul(argv[3], NULL, 10), true);
	if (argc == 4 && strcmp(argv[1], "keys") == 0)
		return bench_keys(strtoull(argv[2], NULL, 10), strtoull(argv[3], NULL, 10));
	fprintf(stderr, "usage: window_engine_bench rate|topk EVENTS KEYS | keys KEYS MAXKEYS\n");
	return 64;
}
