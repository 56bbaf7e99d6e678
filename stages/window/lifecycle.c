/* lifecycle.c - the alert lifecycle of one series (see lifecycle.h). */
#include "stages/window/lifecycle.h"

static int64_t add_sat(int64_t a, int64_t b)
{
	return b > 0 && a > INT64_MAX - b ? INT64_MAX : a + b;
}

static void out(ww_life_emit emit, void *ctx, enum ww_state st, bool renotify, int64_t at,
		double v)
{
	const struct ww_life_ev ev = { .state = st, .renotify = renotify, .at = at, .value = v };
	emit(ctx, &ev);
}

void lifecycle_init(struct ww_life *l)
{
	*l = (struct ww_life){ .state = WW_INACTIVE };
}

static void fire(struct ww_life *l, int64_t at, ww_life_emit emit, void *ctx)
{
	bool again = l->state == WW_FIRING;
	l->state = WW_FIRING;
	l->notified = at;
	out(emit, ctx, WW_FIRING, again, at, l->value);
}

static void resolve(struct ww_life *l, int64_t at, double v, ww_life_emit emit, void *ctx)
{
	l->state = WW_INACTIVE;
	l->keeping = false;
	out(emit, ctx, WW_RESOLVED, false, at, v);
}

void lifecycle_judge(struct ww_life *l, const struct ww_life_params *p, int64_t at, bool cond,
		double v, ww_life_emit emit, void *ctx)
{
	l->last = v;
	if (cond)
		l->value = v;
	switch ((enum ww_state)l->state) {
	case WW_INACTIVE:
		if (!cond)
			break;
		l->since = at;
		if (p->for_ns == 0) {
			fire(l, at, emit, ctx);
		} else {
			l->state = WW_PENDING;
			out(emit, ctx, WW_PENDING, false, at, v);
		}
		break;
	case WW_PENDING:
		if (!cond)
			l->state = WW_INACTIVE;
		else if (at - l->since >= p->for_ns)
			fire(l, at, emit, ctx);
		break;
	case WW_FIRING:
		if (cond) {
			l->keeping = false;
		} else if (p->keep_ns <= 0) {
			resolve(l, at, v, emit, ctx);
			break;
		} else if (!l->keeping) {
			l->keeping = true;
			l->false_since = at;
		} else if (at - l->false_since >= p->keep_ns) {
			resolve(l, at, v, emit, ctx);
			break;
		}
		if (p->renotify_ns > 0 && at - l->notified >= p->renotify_ns)
			fire(l, at, emit, ctx);
		break;
	default:
		break;
	}
}

void lifecycle_timers(struct ww_life *l, const struct ww_life_params *p, int64_t limit,
		 ww_life_emit emit, void *ctx)
{
	if (l->state == WW_PENDING) {
		int64_t due = add_sat(l->since, p->for_ns);
		if (due >= limit)
			return;
		fire(l, due, emit, ctx);
	}
	while (l->state == WW_FIRING) {
		int64_t end = l->keeping ? add_sat(l->false_since, p->keep_ns) : INT64_MAX;
		int64_t again = p->renotify_ns > 0 ? add_sat(l->notified, p->renotify_ns) : INT64_MAX;
		if (end < limit && end <= again) {
			resolve(l, end, l->last, emit, ctx);
		} else if (again < limit) {
			fire(l, again, emit, ctx);
		} else {
			break;
		}
	}
}

int64_t lifecycle_next_deadline(const struct ww_life *l, const struct ww_life_params *p)
{
	if (l->state == WW_PENDING)
		return add_sat(l->since, p->for_ns);
	if (l->state != WW_FIRING)
		return INT64_MAX;
	int64_t d = l->keeping ? add_sat(l->false_since, p->keep_ns) : INT64_MAX;
	if (p->renotify_ns > 0) {
		int64_t again = add_sat(l->notified, p->renotify_ns);
		d = again < d ? again : d;
	}
	return d;
}
