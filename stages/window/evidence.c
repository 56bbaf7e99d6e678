/* evidence.c - the recent lines of a key (see evidence.h). */
#include "stages/window/evidence.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"

void evidence_add(struct ww_evidence **dp, unsigned keep, const struct ward_event *ev, int64_t t)
{
	if (!*dp)
		*dp = ward_xcalloc(1, sizeof(**dp));
	struct ww_evidence *d = *dp;
	unsigned s = d->head;
	size_t n = ev->line_len > EVIDENCE_LINE_MAX ? EVIDENCE_LINE_MAX : ev->line_len;
	if (d->cap[s] < n + 1) {
		free(d->line[s]);
		d->line[s] = ward_xmalloc(n + 1);
		d->cap[s] = (uint16_t)(n + 1);
	}
	memcpy(d->line[s], ev->line ? ev->line : "", n);
	d->line[s][n] = '\0';
	d->len[s] = (uint16_t)n;
	d->ts[s] = t;
	d->head = (uint8_t)((s + 1) % keep);
	if (d->n < keep)
		d->n++;
}

size_t evidence_until(const struct ww_evidence *d, unsigned keep, int64_t at, const char **lines,
		      size_t *lens)
{
	size_t m = 0;
	for (unsigned i = 0; i < d->n; i++) {
		unsigned s = (d->head + keep - d->n + i) % keep;
		if (d->ts[s] > at)	/* read ahead of the transition */
			continue;
		lines[m] = d->line[s];
		lens[m++] = d->len[s];
	}
	return m;
}

/* Evidence lines cost memory per key: under a rising threshold they are
 * kept only once a key holds half the events it needs to fire, so a flood
 * of one-event keys (spoofed sources) stores no text. */
bool evidence_worth(const struct ww_rule *rule, const struct ww_win *w)
{
	if (rule->kind != WW_KIND_THRESHOLD || rule->bool_result ||
	    (rule->op != WW_OP_GT && rule->op != WW_OP_GE) ||
	    (rule->fn != WW_FN_COUNT && rule->fn != WW_FN_DISTINCT))
		return true;
	double held = (double)(win_count(w) + (w->len - w->applied));
	return held * 2 >= rule->threshold;
}

size_t evidence_bytes(const struct ww_evidence *d)
{
	if (!d)
		return 0;
	size_t n = sizeof(*d);
	for (int l = 0; l < EVIDENCE_MAX; l++)
		n += d->cap[l];
	return n;
}

void evidence_free(struct ww_evidence *d)
{
	if (!d)
		return;
	for (int i = 0; i < EVIDENCE_MAX; i++)
		free(d->line[i]);
	free(d);
}
