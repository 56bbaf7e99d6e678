/* keyalert.c - a key's transition or series point as a ww_alert (see
 * keyalert.h). */
#include "stages/window/keyalert.h"

#include <string.h>

#include "stages/window/anomaly.h"

static void decode_key(struct ww_engine *e, const struct rstate *r, const struct ww_key *k,
		       struct ww_alert *a)
{
	const struct ww_rule *rule = r->rule;
	const unsigned char *p = (const unsigned char *)key_bytes(k), *end = p + k->klen;
	size_t n = 0;
	buf_reset(&e->kdec);
	/* values live in kbuf; names for by() come from the rule, others are
	 * encoded in the key; copy values NUL-terminated into kdec */
	size_t offs[64], noffs = 0;
	while (p + 2 <= end && n < 64) {
		if (rule->group_mode == WW_GROUP_BY) {
			if (n >= rule->ngroup)
				break;
			e->knames[n] = rule->group[n];
		} else {
			size_t nl = (size_t)p[0] << 8 | p[1];
			p += 2;
			offs[noffs++] = e->kdec.len;
			buf_append(&e->kdec, p, nl);
			buf_append_char(&e->kdec, '\0');
			p += nl;
			if (p + 2 > end)
				break;
		}
		size_t vl = (size_t)p[0] << 8 | p[1];
		p += 2;
		offs[noffs++] = e->kdec.len;
		buf_append(&e->kdec, p, vl);
		buf_append_char(&e->kdec, '\0');
		e->klens[n] = vl;
		p += vl;
		n++;
	}
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (rule->group_mode != WW_GROUP_BY)
			e->knames[i] = e->kdec.data + offs[o++];
		e->kvals[i] = e->kdec.data + offs[o++];
	}
	a->nkey = n;
	a->key_names = e->knames;
	a->key_vals = e->kvals;
	a->key_lens = e->klens;
}

void keyalert_emit(struct ww_engine *e, const struct rstate *r, const struct ww_key *k,
		   enum ww_state st, int64_t at, double value, bool series, double score,
		   bool renotify)
{
	struct ww_alert a;
	memset(&a, 0, sizeof(a));
	a.rule = r->rule;
	a.state = st;
	a.series = series;
	a.renotify = renotify;
	a.at = at;
	a.value = value;
	a.first = k->episode_first != INT64_MIN ? k->episode_first : win_oldest(&k->win);
	a.last = win_newest(&k->win);
	a.count = win_count(&k->win);
	if (r->rule->kind == WW_KIND_ANOMALY) {
		a.count = k->an->bucket_count;
		a.baseline = k->an->mean;
		a.score = score;
	}
	decode_key(e, r, k, &a);
	if (k->evid && !series) {
		a.nevidence = evidence_until(k->evid, e->o.evidence, at, e->elines, e->elens);
		a.evidence = e->elines;
		a.evidence_lens = e->elens;
	}
	if (series)
		e->st.series++;
	else
		e->st.alerts++;
	e->emit(e->emit_ctx, &a);
}
