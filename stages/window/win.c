/* win.c - exact sliding window of one key (see win.h). */
#include "stages/window/win.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "hash.h"
#include "wtime.h"

/* Distinct values sit in common/hash's counted set (value hash -> events
 * in the window), not in its hashtab index: a counted-set slot holds the
 * hash itself, so a key's few values are one allocation of 4 slots of 12
 * bytes. On hashtab (16 slots over a value array of its own) --distinct
 * took 5% more instructions and 183 more bytes per one-value key; on the
 * counted set it takes what win.c's own table took (300k events,
 * callgrind) and 14 fewer bytes per key. */

/* ---- the ring ---- */

void win_init(struct ww_win *w)
{
	memset(w, 0, sizeof(*w));
	w->cap = 1;
	w->latest = INT64_MIN;
}

void win_free(struct ww_win *w)
{
	free(w->buf);
	hashcount_free(&w->distinct);
	win_init(w);
}

size_t win_heap_bytes(const struct ww_win *w)
{
	size_t n = w->buf ? w->cap * sizeof(struct ww_sample) : 0;
	return n + hashcount_heap_bytes(&w->distinct);
}

/* The ring lives in the struct while it holds one sample: windows are
 * moved with their keys, so no pointer to `one` is ever stored. */
static struct ww_sample *at(const struct ww_win *w, uint32_t i)
{
	struct ww_sample *b = w->buf ? w->buf : (struct ww_sample *)&w->one;
	return &b[(w->head + i) & (w->cap - 1)];
}

static void grow(struct ww_win *w)
{
	uint32_t ncap = w->cap * 2;
	struct ww_sample *nb = ward_xmalloc(ncap * sizeof(*nb));
	for (uint32_t i = 0; i < w->len; i++)
		nb[i] = *at(w, i);
	free(w->buf);
	w->buf = nb;
	w->cap = ncap;
	w->head = 0;
}

static bool fn_merges(enum ww_fn fn)
{
	switch (fn) {
	case WW_FN_COUNT: case WW_FN_RATE: case WW_FN_BYTES: case WW_FN_BYTES_RATE:
	case WW_FN_ABSENT: case WW_FN_SUM: case WW_FN_AVG:
		return true;
	default:
		return false;
	}
}

void win_insert(struct ww_win *w, enum ww_fn fn, int64_t ts, double v, uint64_t h)
{
	if (ts > w->latest)
		w->latest = ts;
	/* find the place from the end: in-order input stops at once */
	uint32_t pos = w->len;
	while (pos > w->applied && at(w, pos - 1)->ts > ts)
		pos--;
	if (pos > w->applied && fn_merges(fn) && at(w, pos - 1)->ts == ts) {
		struct ww_sample *s = at(w, pos - 1);
		s->u.v += v;
		s->n++;
		return;
	}
	if (w->len == w->cap)
		grow(w);
	for (uint32_t i = w->len; i > pos; i--)
		*at(w, i) = *at(w, i - 1);
	struct ww_sample *s = at(w, pos);
	s->ts = ts;
	if (fn == WW_FN_DISTINCT)
		s->u.h = h;
	else
		s->u.v = v;
	s->n = 1;
	s->pad = 0;
	w->len++;
}

int64_t win_next_apply(const struct ww_win *w)
{
	return w->applied < w->len ? at(w, w->applied)->ts : INT64_MAX;
}

int64_t win_next_expiry(const struct ww_win *w, int64_t range_ns)
{
	if (w->applied == 0)
		return INT64_MAX;
	int64_t ts = at(w, 0)->ts;
	return ts > INT64_MAX - range_ns ? INT64_MAX : ts + range_ns;
}

static void apply_one(struct ww_win *w, enum ww_fn fn, const struct ww_sample *s)
{
	w->n += s->n;
	if (fn == WW_FN_DISTINCT) {
		hashcount_add(&w->distinct, s->u.h, s->n);
	} else {
		w->sum += s->u.v;
	}
	w->applied++;
}

static void expire_one(struct ww_win *w, enum ww_fn fn)
{
	const struct ww_sample *s = at(w, 0);
	w->n -= s->n;
	if (fn == WW_FN_DISTINCT) {
		hashcount_sub(&w->distinct, s->u.h, s->n);
	} else {
		w->sum -= s->u.v;
	}
	w->head = (w->head + 1) & (w->cap - 1);
	w->len--;
	w->applied--;
	if (w->applied == 0) {
		/* exact again: no drift from adding and subtracting floats */
		w->sum = 0;
		w->n = 0;
	}
}

void win_advance(struct ww_win *w, enum ww_fn fn, int64_t t, int64_t range_ns)
{
	while (w->applied < w->len && at(w, w->applied)->ts <= t)
		apply_one(w, fn, at(w, w->applied));
	int64_t cutoff = t - range_ns;	/* samples at or before cutoff are out */
	while (w->applied > 0 && at(w, 0)->ts <= cutoff)
		expire_one(w, fn);
	if (w->len == 0 && w->buf && w->cap > 8) {
		/* a burst is over: give the memory back */
		free(w->buf);
		w->buf = NULL;
		w->cap = 1;
		w->head = 0;
	}
	if (w->distinct.slots && w->distinct.len == 0 && w->len == 0)
		hashcount_free(&w->distinct);
}

bool win_empty(const struct ww_win *w)
{
	return w->len == 0;
}

uint64_t win_count(const struct ww_win *w)
{
	return w->n;
}

int64_t win_latest(const struct ww_win *w)
{
	return w->latest;
}

int64_t win_oldest(const struct ww_win *w)
{
	return w->applied ? at(w, 0)->ts : INT64_MIN;
}

int64_t win_newest(const struct ww_win *w)
{
	return w->applied ? at(w, w->applied - 1)->ts : INT64_MIN;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Prometheus' quantile: linear interpolation between closest ranks. */
static double quantile_of(const struct ww_win *w, double phi, struct ww_scratch *sc)
{
	if (sc->cap < w->applied) {
		sc->cap = w->applied * 2;
		sc->vals = ward_xrealloc(sc->vals, sc->cap * sizeof(double));
	}
	for (uint32_t i = 0; i < w->applied; i++)
		sc->vals[i] = at(w, i)->u.v;
	qsort(sc->vals, w->applied, sizeof(double), cmp_double);
	double rank = phi * (double)(w->applied - 1);
	size_t lo = (size_t)floor(rank);
	size_t hi = lo + 1 < w->applied ? lo + 1 : lo;
	double wt = rank - (double)lo;
	return sc->vals[lo] * (1 - wt) + sc->vals[hi] * wt;
}

static double scan_value(const struct ww_win *w, enum ww_fn fn)
{
	double acc = at(w, 0)->u.v;
	if (fn == WW_FN_FIRST)
		return acc;
	if (fn == WW_FN_LAST)
		return at(w, w->applied - 1)->u.v;
	if (fn == WW_FN_STDDEV || fn == WW_FN_STDVAR) {
		double mean = w->sum / (double)w->n, ss = 0;
		for (uint32_t i = 0; i < w->applied; i++) {
			double d = at(w, i)->u.v - mean;
			ss += d * d;
		}
		double var = ss / (double)w->n;
		return fn == WW_FN_STDDEV ? sqrt(var) : var;
	}
	for (uint32_t i = 1; i < w->applied; i++) {
		double v = at(w, i)->u.v;
		if (fn == WW_FN_MIN ? v < acc : v > acc)
			acc = v;
	}
	return acc;
}

bool win_value(const struct ww_win *w, const struct ww_rule *r,
	       struct ww_scratch *scratch, double *out)
{
	double secs = (double)r->range_ns / (double)NS_PER_SEC;
	if (r->fn == WW_FN_ABSENT) {
		*out = 1;
		return w->applied == 0;
	}
	if (w->applied == 0)
		return false;
	switch (r->fn) {
	case WW_FN_COUNT: *out = (double)w->n; break;
	case WW_FN_RATE: *out = (double)w->n / secs; break;
	case WW_FN_BYTES: case WW_FN_SUM: *out = w->sum; break;
	case WW_FN_BYTES_RATE: *out = w->sum / secs; break;
	case WW_FN_AVG: *out = w->sum / (double)w->n; break;
	case WW_FN_DISTINCT: *out = w->distinct.len; break;
	case WW_FN_QUANTILE: *out = quantile_of(w, r->quantile, scratch); break;
	default: *out = scan_value(w, r->fn); break;
	}
	return true;
}

void win_scratch_free(struct ww_scratch *s)
{
	free(s->vals);
	s->vals = NULL;
	s->cap = 0;
}
