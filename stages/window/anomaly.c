/* anomaly.c - anomaly rules (see anomaly.h). */
#include "stages/window/anomaly.h"

#include <math.h>
#include <stdlib.h>

#include "buf.h"
#include "stages/window/keyalert.h"

#define ANOMALY_MAX_GAP 100000	/* empty buckets replayed before a reset */

struct ww_anomaly *anomaly_new(const struct ww_rule *rule, int64_t t)
{
	struct ww_anomaly *an = ward_xcalloc(1, sizeof(*an));
	an->bucket = t / rule->step_ns - (t < 0 && t % rule->step_ns ? 1 : 0);
	return an;
}

static double anomaly_score(const struct ww_rule *rule, const struct ww_key *k, double x)
{
	if (rule->use_mad)
		return (x - k->an->mean) / (1.4826 * k->an->dev + 1.0);
	return (x - k->an->mean) / (sqrt(k->an->dev) + 1.0);
}

struct anomaly_ctx {
	struct ww_engine *e;
	const struct rstate *r;
	const struct ww_key *k;
	double score;
};

static void on_life(void *ctx, const struct ww_life_ev *ev)
{
	const struct anomaly_ctx *c = ctx;
	keyalert_emit(c->e, c->r, c->k, ev->state, ev->at, ev->value, false, c->score, false);
}

static void anomaly_close(struct ww_engine *e, struct rstate *r, struct ww_key *k)
{
	const struct ww_rule *rule = r->rule;
	double x = (double)k->an->bucket_count;
	int64_t end = (k->an->bucket + 1) * rule->step_ns;
	if (k->an->buckets_seen >= rule->warmup) {
		/* fires once per episode, at once, and resolves as soon as the
		 * score falls back: the lifecycle without for, keep_firing_for or
		 * renotify */
		static const struct ww_life_params once = { 0, 0, 0 };
		struct anomaly_ctx c = { e, r, k, anomaly_score(rule, k, x) };
		lifecycle_judge(&k->life, &once, end, c.score > rule->threshold, x, on_life, &c);
	}
	if (e->o.emit_series)
		keyalert_emit(e, r, k, WW_INACTIVE, end, x, true, 0, false);
	double a = rule->alpha, d = x - k->an->mean;
	if (k->an->buckets_seen == 0) {
		k->an->mean = x;
		k->an->dev = 0;
	} else if (rule->use_mad) {
		k->an->mean += a * d;
		k->an->dev = (1 - a) * k->an->dev + a * fabs(d);
	} else {
		k->an->mean += a * d;
		k->an->dev = (1 - a) * (k->an->dev + a * d * d);
	}
	k->an->buckets_seen++;
	k->an->bucket++;
	k->an->bucket_count = 0;
}

void anomaly_advance(struct ww_engine *e, struct rstate *r, struct ww_key *k, int64_t T)
{
	const struct ww_rule *rule = r->rule;
	if (T == INT64_MAX)	/* end of input: close the bucket of the last event */
		T = (e->max_t / rule->step_ns + 1) * rule->step_ns;
	for (;;) {
		int64_t next_ts = win_next_apply(&k->win);
		int64_t bucket_end = (k->an->bucket + 1) * rule->step_ns;
		if (next_ts < T && next_ts < bucket_end) {
			win_advance(&k->win, WW_FN_COUNT, next_ts, INT64_MAX / 2);
			k->an->bucket_count = win_count(&k->win);
			continue;
		}
		if (bucket_end > T)
			break;
		int64_t upto = next_ts < T ? next_ts : T - 1;
		if (k->an->bucket_count == 0 && upto / rule->step_ns - k->an->bucket > ANOMALY_MAX_GAP) {
			/* a long silence: skip it, keeping the old baseline */
			k->an->bucket = upto / rule->step_ns;
			continue;
		}
		win_advance(&k->win, WW_FN_COUNT, bucket_end - 1, 0);
		anomaly_close(e, r, k);
		if (k->life.state == WW_INACTIVE && win_empty(&k->win) && k->an->mean < 1e-3)
			break;
	}
}
