/* ward-window - streaming metric rules over sliding windows: thresholds,
 * alert lifecycle, distinct counting and volume anomalies, per key, with
 * bounded memory. See docs/window.md. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event_fast.h"
#include "hash.h"
#include "signals.h"
#include "exitcodes.h"
#include "log.h"
#include "stage.h"
#include "stage_cli.h"
#include "stages/window/alert.h"
#include "stages/window/engine.h"
#include "stages/window/partstate.h"
#include "stages/window/ruleset.h"
#include "stages/window/watermark.h"
#include "wtime.h"

/* Events decoded ahead of the one the engine takes (engine.h, software
 * pipelining): an event's key slot is prefetched as it is decoded, its key
 * PF_KEY events later, its samples PF_RING events later, and it is fed
 * LOOKAHEAD events later, once those cache misses have had time to land.
 * The queue is emptied whenever no more input is buffered (a live stream
 * waits for nothing) and before every tick and the end, so events reach the
 * engine in input order and no later than without it. */
#define LOOKAHEAD 16	/* a power of two */
#define PF_KEY 6
#define PF_RING 11

struct queued {
	struct ward_event ev;
	struct ww_hint hint;
	struct ww_engine *eng;	/* the engine it goes to */
	struct ww_part *part;	/* its input partition's state, or NULL */
	int64_t off;		/* its offset in that partition */
};

struct window {
	struct ruleset rules;
	struct ww_engine *eng;	/* the engine of an unpartitioned input */
	struct ww_parts *parts;	/* a Kafka input: one engine per partition */
	bool holds_changed;	/* since the last commit on a tick */
	struct ward_stage *st;
	struct alert_builder ab;
	struct ward_event out;
	bool arrival_time;
	int64_t idle_ns;
	int64_t max_future_ns;
	int64_t last_input_mono;
	int64_t now;		/* wall clock at the last tick (no clock call per event) */
	int64_t now_mono;	/* monotonic clock at the last tick */
	bool input_since_tick;
	bool idle_flushed;
	uint64_t *no_ts;
	uint64_t *future;
	int emit_rc;
	/* sources and late events */
	const char *source_label;	/* names an event's source; "" : one source */
	const char *late_out_uri;
	struct ward_output *late_out;
	struct ward_buf late_buf;
	struct ward_ratelimit late_rl;
	/* -v: the watermarks last reported, and when */
	uint64_t wm_seen;
	int64_t wm_logged_mono;
	struct queued q[LOOKAHEAD];
	unsigned qhead, qlen;
};

static void on_alert(void *ctx, const struct ww_alert *a)
{
	struct window *w = ctx;
	if (a->series)
		alert_series_build(&w->ab, a, &w->out);
	else
		alert_build(&w->ab, a, &w->out);
	if (stage_emit(w->st, &w->out) != 0)
		w->emit_rc = -1;
}

static void publish_stats(struct window *w)
{
	struct ww_stats sum;
	const struct ww_stats *s = engine_stats(w->eng);
	struct ward_counters *c = &w->st->counters;
	if (w->parts) {
		parts_stats(w->parts, &sum);
		s = &sum;
		const struct ww_parts_counts *pc = parts_counts(w->parts);
		*counters_extra(c, "replay_suppressed") = pc->suppressed;
		*counters_extra(c, "replayed") = pc->replayed;
		*counters_extra(c, "partitions_restored") = pc->restored;
	}
	*counters_extra(c, "late") = s->late;
	*counters_extra(c, "unwrap_errors") = s->unwrap_errors;
	*counters_extra(c, "key_missing") = s->key_missing;
	*counters_extra(c, "evicted") = s->evicted;
	*counters_extra(c, "evicted_active") = s->evicted_active;
	*counters_extra(c, "keys") = s->keys;
	*counters_extra(c, "keys_peak") = s->keys_peak;
	*counters_extra(c, "alerts") = s->alerts;
	*counters_extra(c, "series") = s->series;
	*counters_extra(c, "template_unknown") = w->ab.template_unknown;
}

/* A late event is never silent: a rate-limited warning names its source
 * and how late it is, and --late-out keeps it. */
static int on_late(struct window *w, struct ward_stage *st, struct ww_engine *eng,
		   const struct ward_event *ev, size_t src, int64_t lag)
{
	const char *name = engine_source_name(eng, src);
	char behind[32];
	duration_format_human(lag, behind, sizeof behind);
	log_warn_limited(&w->late_rl, "late event from source %s%s%s: %s behind the watermark "
			 "(ignored; --lateness, --late-out)", *name ? w->source_label : "",
			 *name ? "=" : "(unnamed)", name, behind);
	st->counters.dropped++;
	if (!w->late_out)
		return 0;
	buf_reset(&w->late_buf);
	event_serialize(ev, &w->late_buf);
	if (output_write(w->late_out, ev, w->late_buf.data, w->late_buf.len) != 0) {
		log_error("writing to late output %s failed: %s", w->late_out_uri, strerror(errno));
		st->counters.errors++;
	}
	return 0;
}

/* Partition p may commit up to what its state no longer needs, with the
 * metadata its next owner restores from (partstate.h). */
static bool hold_part(struct window *w, struct ww_part *p, int64_t at_least)
{
	char meta[TRANSPORT_META_MAX];
	int64_t off = part_hold_meta(p, meta, sizeof meta);
	if (off < 0)
		off = at_least;
	uint64_t h = hash_fnv1a_add(HASH_FNV1A_SEED, meta, strlen(meta));
	bool changed = off != p->held_off || h != p->held_meta;
	p->held_off = off;
	p->held_meta = h;
	input_hold(w->st->in, p->id, off, meta);
	return changed;
}

/* True when a hold changed. */
static bool hold_all(struct window *w)
{
	bool changed = false;
	for (size_t i = 0; i < parts_count(w->parts); i++) {
		struct ww_part *p = parts_at(w->parts, i);
		part_judged(p);
		changed |= hold_part(w, p, -1);
	}
	return changed;
}

static int on_event(struct window *w, struct ward_stage *st, struct queued *q)
{
	struct ward_event *ev = &q->ev;
	struct ww_engine *eng = q->eng;
	int64_t t = ev->ts_ns;
	if (w->arrival_time) {
		t = time_now_ns();
	} else if (t == WARD_TS_NONE) {
		++*w->no_ts;
		st->counters.dropped++;
		return 0;
	} else if (w->max_future_ns > 0 && t > w->now + w->max_future_ns) {
		/* one event from 2100 would make every later event late */
		++*w->future;
		st->counters.dropped++;
		return 0;
	}
	w->input_since_tick = true;
	size_t src = 0;
	if (!w->arrival_time && *w->source_label) {
		const struct ward_kv *kv = event_label(ev, w->source_label);
		if (kv)
			src = engine_source(eng, kv->val, kv->val_len);
	}
	int64_t lag;
	if (q->part)
		part_note(q->part, q->off, t);
	/* the tick's clock is arrival time enough for an idle timeout of seconds */
	bool on_time = engine_event_from(eng, ev, t, src, w->now_mono, &lag);
	if (q->part) {
		part_judged(q->part);
		/* what it sent is in the metadata of any commit from now on */
		if (q->part->sent_since_hold)
			hold_part(w, q->part, q->off);
	}
	if (!on_time)
		return on_late(w, st, eng, ev, src, lag);
	return w->emit_rc;
}

/* -v: when the watermarks changed (the global one, a source appearing,
 * going idle or coming back), one debug line at most every second naming
 * each source's latest time; quiet otherwise. */
static void log_watermarks(struct window *w, int64_t now_mono)
{
	if (log_level() < LOG_LVL_DEBUG || now_mono - w->wm_logged_mono < NS_PER_SEC)
		return;
	const struct ww_wm *wm = engine_watermarks(w->eng);
	uint64_t sig = (uint64_t)wm->current * 31 + wm->n;
	for (size_t i = 0; i < wm->n; i++)
		sig = sig * 131 + (uint64_t)wm->src[i].max_t * 2 + wm->src[i].idle;
	if (sig == w->wm_seen || wm->current == INT64_MIN)
		return;
	w->wm_seen = sig;
	w->wm_logged_mono = now_mono;
	struct ward_buf b = WARD_BUF_INIT;
	char ts[WARD_RFC3339_LEN];
	time_format_rfc3339(wm->current, ts);
	buf_printf(&b, "watermark %s;", ts);
	for (size_t i = 0; i < wm->n && i < 8; i++) {
		if (wm->src[i].max_t == INT64_MIN)
			continue;
		time_format_rfc3339(wm->src[i].max_t, ts);
		buf_printf(&b, " %s%s%s latest %s%s,", *wm->src[i].name ? w->source_label : "source",
			   *wm->src[i].name ? "=" : "", wm->src[i].name, ts,
			   wm->src[i].idle ? " (idle)" : "");
	}
	if (wm->n > 8)
		buf_printf(&b, " and %zu more sources,", wm->n - 8);
	b.data[b.len - 1] = '\0';
	log_debug("%s", b.data);
	buf_free(&b);
}

static struct queued *queued_at(struct window *w, unsigned age)
{
	return &w->q[(w->qhead + w->qlen - 1 - age) & (LOOKAHEAD - 1)];
}

/* Feed the oldest queued event. */
static int feed_oldest(struct window *w)
{
	struct queued *q = &w->q[w->qhead];
	w->qhead = (w->qhead + 1) & (LOOKAHEAD - 1);
	w->qlen--;
	engine_hint_next(q->eng, &q->hint);
	int rc = on_event(w, w->st, q);
	engine_hint_next(q->eng, NULL);	/* on_event may not have fed it */
	return rc;
}

static int drain(struct window *w)
{
	int rc = 0;
	while (w->qlen && rc == 0)
		rc = feed_oldest(w);
	return rc;
}

/* The partition the record came from, its state made on its first record
 * from the metadata its offset was committed with; the partition is held
 * at that record until its state says more. */
static void to_partition(struct window *w, struct ward_stage *st, struct queued *q)
{
	int32_t id = -1;
	q->off = -1;
	input_position(st->in, &id, &q->off);
	size_t before = parts_count(w->parts);
	q->part = parts_get(w->parts, id, input_restored(st->in, id));
	q->eng = q->part->eng;
	if (parts_count(w->parts) != before && q->off >= 0)
		hold_part(w, q->part, q->off);
}

/* A record decoded into the queue (as the stage loop would decode it). */
static int on_record(void *ctx, struct ward_stage *st, const struct ward_record *rec)
{
	struct window *w = ctx;
	char why[160];
	struct queued *q = &w->q[(w->qhead + w->qlen) & (LOOKAHEAD - 1)];
	if (event_decode_fast(&q->ev, rec->data, rec->len, &st->scratch) != 0 &&
	    event_parse(&q->ev, &st->parser, rec->data, rec->len, why, sizeof why) != 0) {
		/* the events before it first, as without the queue (--strict stops here) */
		if (drain(w) != 0)
			return -1;
		return stage_bad_record(st, rec->data, rec->len, why);
	}
	w->qlen++;
	q->eng = w->eng;
	q->part = NULL;
	if (w->parts)
		to_partition(w, st, q);
	engine_prefetch_slot(q->eng, &q->ev, &q->hint);
	if (w->qlen > PF_KEY) {
		struct queued *k = queued_at(w, PF_KEY);
		engine_prefetch_key(k->eng, &k->hint);
	}
	if (w->qlen > PF_RING) {
		struct queued *r = queued_at(w, PF_RING);
		engine_prefetch_ring(r->eng, &r->hint);
	}
	int rc = 0;
	if (w->qlen == LOOKAHEAD)
		rc = feed_oldest(w);
	if (rc == 0 && !input_buffered(st->in))
		rc = drain(w);
	return rc;
}

/* After a tick: every partition holds its commit where its state now
 * needs it. The stage loop commits only after new records, with the holds
 * of the last tick or transition; so what a tick sent (idle input, silent
 * sources), and the holds once input pauses, are committed here. */
static int checkpoint_parts(struct window *w, struct ward_stage *st, bool input)
{
	bool sent = false;
	for (size_t i = 0; i < parts_count(w->parts); i++)
		sent |= parts_at(w->parts, i)->sent_since_hold;
	w->holds_changed |= hold_all(w);
	if (!(sent || (w->holds_changed && !input)) || st->output_closed)
		return 0;
	w->holds_changed = false;
	if (stage_flush_outputs(st) != 0)
		return -1;
	return input_commit(st->in) == 0 ? 0 : -1;
}

/* Live sources: time moves on without events. */
static int on_tick(void *ctx, struct ward_stage *st, int64_t now_mono)
{
	struct window *w = ctx;
	(void)st;
	if (drain(w) != 0)
		return -1;
	w->now = time_now_ns();
	w->now_mono = now_mono;
	bool input = w->input_since_tick;
	if (w->input_since_tick) {
		w->last_input_mono = now_mono;
		w->input_since_tick = false;
		w->idle_flushed = false;
	}
	bool idle = !w->idle_flushed && w->idle_ns > 0 && now_mono - w->last_input_mono >= w->idle_ns;
	size_t n = w->parts ? parts_count(w->parts) : 1;
	for (size_t i = 0; i < n; i++) {
		struct ww_engine *e = w->parts ? parts_at(w->parts, i)->eng : w->eng;
		if (w->arrival_time) {
			engine_advance(e, time_now_ns() - w->rules.eopts.lateness_ns);
			continue;
		}
		engine_tick(e, now_mono);	/* silent sources stop holding time back */
		/* input is quiet: everything seen so far is complete */
		if (idle && engine_max_time(e) != INT64_MIN)
			engine_advance(e, engine_max_time(e) + 1);
	}
	if (idle)
		w->idle_flushed = true;
	if (!w->parts && !w->arrival_time)
		log_watermarks(w, now_mono);
	publish_stats(w);
	return w->parts && w->emit_rc == 0 ? checkpoint_parts(w, st, input) : w->emit_rc;
}

static int on_end(void *ctx, struct ward_stage *st)
{
	struct window *w = ctx;
	(void)st;
	if (drain(w) != 0)
		return -1;
	if (!w->parts) {
		engine_finish(w->eng);
	} else if (!signals_stop_requested()) {
		/* the input's end (kafka.eof): every window drains, and a later
		 * owner takes the instants up to the last event as judged */
		for (size_t i = 0; i < parts_count(w->parts); i++) {
			struct ww_part *p = parts_at(w->parts, i);
			int64_t last = engine_max_time(p->eng);
			engine_finish(p->eng);
			if (last != INT64_MIN)
				p->judged = last + 1;
			char meta[TRANSPORT_META_MAX];
			part_hold_meta(p, meta, sizeof meta);
			input_hold(st->in, p->id, p->read_to, meta);
		}
	} else {
		/* a stop over Kafka drains nothing: the windows go on at the
		 * partitions' next owner, from the commits held here */
		hold_all(w);
	}
	publish_stats(w);
	return w->emit_rc;
}

static bool owned(void *ctx, int32_t id)
{
	return input_owns(ctx, id);
}

/* A Kafka revoke (eager assignors revoke every partition): deliver, and
 * commit each partition behind its windows; the state stays for the
 * partitions assigned again, which go on where this instance stopped
 * reading. At the assignment, the state of the partitions that went
 * elsewhere is dropped: their next owner rebuilds it by replay. */
static int on_rebalance(void *ctx, enum ward_rebalance what)
{
	struct window *w = ctx;
	if (what == WARD_REBALANCE_ASSIGN) {
		parts_retain(w->parts, owned, w->st->in);
		return 0;
	}
	int rc = w->st->output_closed || drain(w) != 0 ? -1 : stage_flush_outputs(w->st);
	if (rc == 0)
		hold_all(w);
	w->qlen = 0;
	if (rc != 0)
		parts_clear(w->parts);
	return rc;
}

static const char synopsis[] = "[options] [QUERY]";
static const char description[] =
	"Evaluate metric rules over sliding windows of the input events, per key,\n"
	"and write an alert event for each transition (pending, firing, resolved).\n"
	"The rule is a LogQL metric QUERY, a Loki ruler file (--rules), or built\n"
	"from options (--fn, --range, --by, --threshold, ...). Windows slide on the\n"
	"events' own time: the value at t covers the events in (t - range, t].";
static const char epilog[] =
	"exit status: 0 done, 64 usage, 69 unavailable, 74 I/O error, 78 bad rule.\n"
	"example: ward-window --name SSHBruteForce --select-rule SSHFailedPassword \\\n"
	"           --by src_ip --range 10s --threshold '> 5'";

static int run(struct window *w, const struct ward_common_opts *common)
{
	struct ward_stage st;
	stage_init(&st, "window", common);
	w->st = &st;
	w->no_ts = counters_extra(&st.counters, "no_ts");
	w->future = counters_extra(&st.counters, "future");
	w->eng = engine_new(w->rules.rules, w->rules.n, &w->rules.eopts, on_alert, w);
	alert_builder_init(&w->ab);
	event_init(&w->out);
	for (unsigned i = 0; i < LOOKAHEAD; i++)
		event_init(&w->q[i].ev);
	w->last_input_mono = time_mono_ns();
	w->now_mono = w->last_input_mono;
	w->now = time_now_ns();
	w->late_rl = (struct ward_ratelimit)WARD_RATELIMIT_INIT(5, 10);
	const struct stage_hooks hooks = {
		.on_record = on_record, .on_tick = on_tick, .on_end = on_end, .tick_ms = 200,
		.clock_every = 64,	/* 64 records take well under a millisecond */
	};
	char err[256];
	if (w->late_out_uri && !stage_check_mode() &&
	    !(w->late_out = output_open(w->late_out_uri, &st.topts, err, sizeof err))) {
		log_error("opening late output %s failed: %s", w->late_out_uri, err);
		st.exit_code = WARD_EX_UNAVAILABLE;
	} else if (stage_open(&st, false) == 0) {
		/* arrival time would stamp a replay anew: it would count twice */
		if (st.in->ops->hold && !w->arrival_time && parts_apply(w->rules.rules, w->rules.n)) {
			st.in->holds_commits = true;
			w->parts = parts_new(w->rules.rules, w->rules.n, &w->rules.eopts, on_alert, w);
			input_set_rebalance_hook(st.in, on_rebalance, w);
		} else if (st.in->ops->hold) {
			log_info("%s: one engine for all partitions, whose windows a partition move "
				 "restarts (docs/kafka.md)", w->arrival_time ? "--arrival-time"
				 : "a rule aggregates across keys or uses absent_over_time");
		}
		stage_run(&st, &hooks, w);
	}
	publish_stats(w);
	ratelimit_flush(&w->late_rl);
	if (w->late_out && output_flush(w->late_out, -1) != 0 && !st.exit_code) {
		log_error("flushing late output %s failed", w->late_out_uri);
		st.exit_code = WARD_EX_IOERR;
	}
	output_close(w->late_out);
	buf_free(&w->late_buf);
	int rc = stage_finish(&st);
	parts_free(w->parts);
	engine_free(w->eng);
	alert_builder_free(&w->ab);
	event_free(&w->out);
	for (unsigned i = 0; i < LOOKAHEAD; i++)
		event_free(&w->q[i].ev);
	return rc;
}

int main(int argc, char **argv)
{
	struct ward_common_opts common;
	struct window w;
	struct ruleset_opts ro;
	memset(&w, 0, sizeof(w));
	w.source_label = "filename";
	long sources = 1;
	common_opts_defaults(&common);
	ruleset_opts_defaults(&ro);
	const struct ward_opt table[] = {
		RULESET_OPTS(&ro),
		{ "arrival-time", 0, OPT_FLAG, &w.arrival_time, NULL, "use the time events arrive instead of their ts (live sources with wrong clocks)", NULL },
		{ "idle", 0, OPT_DURATION, &ro.idle_ns, "DURATION", "after this long without input, treat every event seen as complete (default 1s, 0: never)", NULL },
		{ "max-future", 0, OPT_DURATION, &ro.max_future_ns, "DURATION", "drop events stamped more than this ahead of the clock (default 1h, 0: keep)", NULL },
		{ "source-label", 0, OPT_STRING, &w.source_label, "LABEL", "the label naming an event's source, each with its own watermark (default filename; '': one source)", NULL },
		{ "sources", 0, OPT_INT, &sources, "N", "sources the input merges: time waits until N were seen or --source-idle passed (default 1)", NULL },
		{ "source-idle", 0, OPT_DURATION, &ro.source_idle_ns, "DURATION", "a source silent this long stops holding time back (default 5s, 0: never)", NULL },
		{ "late-out", 0, OPT_STRING, &w.late_out_uri, "URI", "write late events here (any --out URI)", NULL },
		WARD_COMMON_OPTS(&common),
		{ 0 },
	};
	int nops, rc;
	const struct stage_cli cli = { "ward-window", table, synopsis, description, epilog,
					&common };
	if (stage_cli_parse(&cli, argc, argv, &nops, &rc) != 0)
		return rc;
	if (nops > 1) {
		log_error("one QUERY at most (use --rules for several)");
		return WARD_EX_USAGE;
	}
	if (sources < 1 || sources > 256) {
		log_error("option --sources: must be in [1, 256]");
		return WARD_EX_USAGE;
	}
	char err[512];
	rc = ruleset_build(&w.rules, &ro, nops ? argv[1] : NULL, err, sizeof err);
	w.rules.eopts.sources = (unsigned)sources;
	if (rc != 0) {
		log_error("%s", err);
		ruleset_opts_free(&ro);
		ruleset_free(&w.rules);
		return rc;
	}
	w.idle_ns = ro.idle_ns;
	w.max_future_ns = ro.max_future_ns;
	log_debug("%zu metric rule%s to evaluate", w.rules.n, w.rules.n == 1 ? "" : "s");
	for (size_t i = 0; i < w.rules.n; i++) {
		const struct ww_rule *r = &w.rules.rules[i];
		struct ward_buf by = WARD_BUF_INIT;
		for (size_t g = 0; g < r->ngroup; g++)
			buf_printf(&by, "%s%s", g ? "," : "", r->group[g]);
		char range[32];
		duration_format(r->range_ns, range, sizeof range);
		log_debug("rule %s: range %s%s%s", r->name ? r->name : "(unnamed)", range,
			  r->ngroup ? ", by " : "", r->ngroup ? buf_cstr(&by) : "");
		buf_free(&by);
	}
	rc = run(&w, &common);
	ruleset_free(&w.rules);
	ruleset_opts_free(&ro);
	opt_list_free(&common.props);
	return rc;
}
