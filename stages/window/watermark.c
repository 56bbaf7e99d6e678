/* watermark.c - per-source watermarks (see watermark.h). */
#include "stages/window/watermark.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"

void watermark_init(struct ww_wm *w, int64_t lateness_ns, int64_t idle_ns, unsigned expected)
{
	memset(w, 0, sizeof(*w));
	w->lateness_ns = lateness_ns > 0 ? lateness_ns : 0;
	w->idle_ns = idle_ns > 0 ? idle_ns : 0;
	w->expected = expected ? expected : 1;
	w->first_arrival = INT64_MIN;
	w->current = INT64_MIN;
}

void watermark_free(struct ww_wm *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->src[i].name);
	free(w->src);
	memset(w, 0, sizeof(*w));
}

size_t watermark_source(struct ww_wm *w, const char *name, size_t len)
{
	if (w->last_hit < w->n && w->src[w->last_hit].len == len &&
	    memcmp(w->src[w->last_hit].name, name, len) == 0)
		return w->last_hit;
	for (size_t i = 0; i < w->n; i++)
		if (w->src[i].len == len && memcmp(w->src[i].name, name, len) == 0)
			return w->last_hit = i;
	if (w->n == WM_MAX_SOURCES)
		return w->last_hit = w->n - 1;	/* the rest share the last one */
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 4;
		w->src = ward_xrealloc(w->src, w->cap * sizeof(*w->src));
	}
	struct ww_wm_source *s = &w->src[w->n];
	memset(s, 0, sizeof(*s));
	s->name = ward_xmalloc(len + 1);
	memcpy(s->name, name, len);
	s->name[len] = '\0';
	s->len = len;
	s->max_t = INT64_MIN;
	return w->last_hit = w->n++;
}

static int64_t source_mark(const struct ww_wm *w, const struct ww_wm_source *s)
{
	if (s->max_t == INT64_MIN)
		return INT64_MIN;
	return s->max_t < INT64_MIN + w->lateness_ns ? INT64_MIN : s->max_t - w->lateness_ns;
}

/* The minimum over active sources; held while announced sources are
 * still unseen (until idle_ns after the first event). */
static void recompute(struct ww_wm *w, int64_t now)
{
	size_t seen = 0;
	int64_t m = INT64_MAX;
	for (size_t i = 0; i < w->n; i++) {
		const struct ww_wm_source *s = &w->src[i];
		if (s->max_t == INT64_MIN)
			continue;
		seen++;
		if (s->idle)
			continue;
		int64_t sm = source_mark(w, s);
		m = sm < m ? sm : m;
	}
	if (m == INT64_MAX)
		return;		/* every source idle: time waits for one */
	if (seen < w->expected &&
	    (w->idle_ns == 0 || now - w->first_arrival < w->idle_ns))
		return;
	if (m > w->current)
		w->current = m;
}

bool watermark_event(struct ww_wm *w, size_t s, int64_t t, int64_t arrival, int64_t *lag)
{
	struct ww_wm_source *src = &w->src[s];
	int64_t bound = source_mark(w, src);
	if (w->current > bound)
		bound = w->current;
	if (t < bound) {
		src->late++;
		if (lag)
			*lag = bound - t;
		return false;
	}
	if (w->first_arrival == INT64_MIN)
		w->first_arrival = arrival;
	src->arrival = arrival;
	src->idle = false;
	if (t > src->max_t)
		src->max_t = t;
	recompute(w, arrival);
	return true;
}

int64_t watermark_tick(struct ww_wm *w, int64_t now)
{
	if (w->idle_ns > 0)
		for (size_t i = 0; i < w->n; i++)
			if (!w->src[i].idle && w->src[i].max_t != INT64_MIN &&
			    now - w->src[i].arrival >= w->idle_ns)
				w->src[i].idle = true;
	recompute(w, now);
	return w->current;
}
