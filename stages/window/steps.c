/* steps.c - step rules: aggregations across keys at evaluation steps (see
 * steps.h for the semantics). */
#include "stages/window/steps.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "event.h"
#include "hash.h"
#include "stages/window/ktab.h"
#include "stages/window/lifecycle.h"
#include "stages/window/serieskey.h"
#include "stages/window/win.h"

#define MAX_LABELS 64

/* ---- state ---- */

struct inner {
	struct ww_khead h;
	struct ww_win win;
};

struct output {
	struct ww_khead h;
	struct ww_life life;
	int64_t first, last, seen;
	uint64_t count;
};

struct srule {
	const struct ww_rule *rule;
	int64_t next;		/* next step to evaluate, INT64_MAX: idle */
	struct ww_ktab in, out;
	uint32_t cursor;	/* eviction */
};

/* One inner series' value at a step, with its group. */
struct point {
	const char *g;		/* group key (in gbuf) */
	const char *kb;		/* inner key */
	uint32_t glen, klen;
	uint64_t ghash;
	double v, order;
	uint32_t idx;
};

struct ww_steps {
	struct ww_steps_ctx c;
	struct srule *rs;
	size_t n;
	struct ward_buf keybuf, gbuf, kdec;
	size_t *goffs;
	struct point *pts;
	size_t ptcap;
	struct ww_scratch scratch;
	int64_t next_change;	/* of any inner value, after the last collect */
	const char *knames[MAX_LABELS];
	const char *kvals[MAX_LABELS];
	size_t klens[MAX_LABELS];
};

struct ww_steps *steps_new(const struct ww_steps_ctx *c)
{
	struct ww_steps *s = ward_xcalloc(1, sizeof(*s));
	s->c = *c;
	return s;
}

size_t steps_add_rule(struct ww_steps *s, const struct ww_rule *r)
{
	s->rs = ward_xrealloc(s->rs, (s->n + 1) * sizeof(*s->rs));
	struct srule *sr = &s->rs[s->n];
	memset(sr, 0, sizeof(*sr));
	sr->rule = r;
	sr->next = INT64_MAX;
	ktab_init(&sr->in, sizeof(struct inner));
	ktab_init(&sr->out, sizeof(struct output));
	return s->n++;
}

size_t steps_count(const struct ww_steps *s)
{
	return s ? s->n : 0;
}

const struct ww_rule *steps_rule(const struct ww_steps *s, size_t i)
{
	return s->rs[i].rule;
}

/* ---- label encoding ---- */

static bool next_pair(const unsigned char **p, const unsigned char *end, const char **name,
		      size_t *nl, const char **val, size_t *vl)
{
	return serieskey_next(p, end, name, nl) && serieskey_next(p, end, val, vl);
}

static bool listed(char *const *list, size_t n, const char *s, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(list[i]) == len && memcmp(list[i], s, len) == 0)
			return true;
	return false;
}

/* The inner series of an event, as name/value pairs: the by() labels in
 * order, or every label and field (a field hides a label of its name)
 * sorted by name, without the without() ones and the __ internal ones. */
static void encode_inner(struct ww_steps *s, const struct ww_rule *r, const struct ward_event *ev)
{
	buf_reset(&s->keybuf);
	if (r->group_mode == WW_GROUP_BY) {
		bool missing = false;
		for (size_t i = 0; i < r->ngroup; i++) {
			const struct ward_kv *kv = event_lookup(ev, r->group[i]);
			missing |= !kv;
			serieskey_put(&s->keybuf, r->group[i], strlen(r->group[i]));
			serieskey_put(&s->keybuf, kv ? kv->val : "", kv ? kv->val_len : 0);
		}
		if (missing)
			s->c.st->key_missing++;
		return;
	}
	serieskey_put_all(&s->keybuf, r, ev);
}

/* The output group of an inner series: by (G) keeps G (absent: ""),
 * without (G) drops G, no grouping is one group. */
static void group_key(const struct ww_rule *r, const char *kb, size_t klen, struct ward_buf *out)
{
	const unsigned char *p = (const unsigned char *)kb, *end = p + klen;
	const char *name, *val;
	size_t nl, vl;
	if (r->vgroup_mode == WW_GROUP_WITHOUT) {
		while (next_pair(&p, end, &name, &nl, &val, &vl))
			if (!listed(r->vgroup, r->nvgroup, name, nl)) {
				serieskey_put(out, name, nl);
				serieskey_put(out, val, vl);
			}
		return;
	}
	for (size_t i = 0; i < r->nvgroup; i++) {
		const char *found = "";
		size_t flen = 0;
		p = (const unsigned char *)kb;
		while (next_pair(&p, end, &name, &nl, &val, &vl))
			if (nl == strlen(r->vgroup[i]) && memcmp(name, r->vgroup[i], nl) == 0) {
				found = val;
				flen = vl;
				break;
			}
		serieskey_put(out, r->vgroup[i], strlen(r->vgroup[i]));
		serieskey_put(out, found, flen);
	}
}

/* ---- emission ---- */

struct outval {
	const char *kb;
	uint32_t klen;
	double v;		/* after arithmetic */
	int64_t first, last;
	uint64_t count;
};

static void decode(struct ww_steps *s, const char *kb, size_t klen, struct ww_alert *a)
{
	const unsigned char *p = (const unsigned char *)kb, *end = p + klen;
	const char *name, *val;
	size_t nl, vl, n = 0, offs[2 * MAX_LABELS];
	buf_reset(&s->kdec);
	while (n < MAX_LABELS && next_pair(&p, end, &name, &nl, &val, &vl)) {
		offs[2 * n] = s->kdec.len;
		buf_append(&s->kdec, name, nl);
		buf_append_char(&s->kdec, '\0');
		offs[2 * n + 1] = s->kdec.len;
		buf_append(&s->kdec, val, vl);
		buf_append_char(&s->kdec, '\0');
		s->klens[n++] = vl;
	}
	for (size_t i = 0; i < n; i++) {
		s->knames[i] = s->kdec.data + offs[2 * i];
		s->kvals[i] = s->kdec.data + offs[2 * i + 1];
	}
	a->nkey = n;
	a->key_names = s->knames;
	a->key_vals = s->kvals;
	a->key_lens = s->klens;
}

static void emit(struct ww_steps *s, const struct srule *sr, const struct output *o,
		 enum ww_state st, int64_t at, double value, bool renotify)
{
	struct ww_alert a;
	memset(&a, 0, sizeof(a));
	a.rule = sr->rule;
	a.state = st;
	a.renotify = renotify;
	a.at = at;
	a.value = value;
	a.first = o->first;
	a.last = o->last;
	a.count = o->count;
	decode(s, o->h.kb, o->h.klen, &a);
	s->c.st->alerts++;
	s->c.emit(s->c.emit_ctx, &a);
}

static void emit_point(struct ww_steps *s, const struct srule *sr, const struct outval *ov,
		       int64_t at, double value)
{
	struct ww_alert a;
	memset(&a, 0, sizeof(a));
	a.rule = sr->rule;
	a.series = true;
	a.at = at;
	a.value = value;
	a.first = ov->first;
	a.last = ov->last;
	a.count = ov->count;
	decode(s, ov->kb, ov->klen, &a);
	s->c.st->series++;
	s->c.emit(s->c.emit_ctx, &a);
}

/* ---- lifecycle at steps (Prometheus rule evaluation) ---- */

struct life_ctx {
	struct ww_steps *s;
	const struct srule *sr;
	const struct output *o;
};

static void on_life(void *ctx, const struct ww_life_ev *ev)
{
	struct life_ctx *c = ctx;
	emit(c->s, c->sr, c->o, ev->state, ev->at, ev->value, ev->renotify);
}

static struct ww_life_params life_params(const struct ww_rule *r)
{
	return (struct ww_life_params){ .for_ns = r->for_ns, .keep_ns = r->keep_ns,
					.renotify_ns = r->renotify_ns };
}

static void lifecycle(struct ww_steps *s, const struct srule *sr, struct output *o, int64_t at,
		      bool cond, double v)
{
	const struct ww_life_params p = life_params(sr->rule);
	struct life_ctx c = { s, sr, o };
	lifecycle_judge(&o->life, &p, at, cond, v, on_life, &c);
}

/* One output series at step `at`: judged, and followed while it holds. */
static void output(struct ww_steps *s, struct srule *sr, const struct outval *ov, int64_t at)
{
	const struct ww_rule *r = sr->rule;
	double val;
	bool cond = rule_side_holds(r, true, ov->v, &val);
	if (s->c.emit_series)
		emit_point(s, sr, ov, at, val);
	uint64_t h = hash_fnv1a(ov->kb, ov->klen);
	uint32_t idx = ktab_lookup(&sr->out, h, ov->kb, ov->klen);
	if (!idx && !cond)
		return;
	if (!idx)
		idx = ktab_insert(&sr->out, h, ov->kb, ov->klen);
	struct output *o = ktab_at(&sr->out, idx);
	o->seen = at;
	o->last = ov->last;
	o->count = ov->count;
	if (o->life.state == WW_INACTIVE)
		o->first = ov->first;
	lifecycle(s, sr, o, at, cond, val);
	if (o->life.state == WW_INACTIVE)
		ktab_remove(&sr->out, idx);
}

/* Output series that the step did not produce no longer hold. */
static void sweep_outputs(struct ww_steps *s, struct srule *sr, int64_t at)
{
	for (uint32_t i = 1; i < sr->out.cap && sr->out.used; i++) {
		struct output *o = ktab_at(&sr->out, i);
		if (!o->h.live || o->seen == at)
			continue;
		/* no series: the value stays the last one judged */
		o->count = 0;
		lifecycle(s, sr, o, at, false, o->life.last);
		if (o->life.state == WW_INACTIVE)
			ktab_remove(&sr->out, i);
	}
}

/* ---- aggregation ---- */

static int cmp_bytes(const char *a, size_t al, const char *b, size_t bl)
{
	int c = memcmp(a, b, al < bl ? al : bl);
	return c ? c : (al > bl) - (al < bl);
}

/* Group, then rank order (topk: descending), then the series labels. */
static int cmp_points(const void *pa, const void *pb)
{
	const struct point *a = pa, *b = pb;
	if (a->ghash != b->ghash)
		return a->ghash < b->ghash ? -1 : 1;
	int c = cmp_bytes(a->g, a->glen, b->g, b->glen);
	if (c)
		return c;
	if (a->order != b->order)
		return a->order < b->order ? -1 : 1;
	return cmp_bytes(a->kb, a->klen, b->kb, b->klen);
}

static bool same_group(const struct point *a, const struct point *b)
{
	return a->ghash == b->ghash && a->glen == b->glen && memcmp(a->g, b->g, a->glen) == 0;
}

static void series_of(const struct srule *sr, const struct point *p, struct outval *ov)
{
	const struct inner *k = ktab_at(&sr->in, p->idx);
	ov->kb = p->kb;
	ov->klen = p->klen;
	ov->v = rule_xform_apply(sr->rule->xf, sr->rule->nxf, p->v);
	ov->first = win_oldest(&k->win);
	ov->last = win_newest(&k->win);
	ov->count = win_count(&k->win);
}

static double aggregate(enum ww_vagg op, const struct point *p, size_t n)
{
	double sum = 0, lo = p[0].v, hi = p[0].v;
	for (size_t i = 0; i < n; i++) {
		sum += p[i].v;
		lo = fmin(lo, p[i].v);
		hi = fmax(hi, p[i].v);
	}
	double mean = sum / (double)n, ss = 0;
	for (size_t i = 0; i < n; i++)
		ss += (p[i].v - mean) * (p[i].v - mean);
	switch (op) {
	case WW_VAGG_SUM: return sum;
	case WW_VAGG_MIN: return lo;
	case WW_VAGG_MAX: return hi;
	case WW_VAGG_COUNT: return (double)n;
	case WW_VAGG_AVG: return mean;
	case WW_VAGG_STDVAR: return ss / (double)n;
	case WW_VAGG_STDDEV: return sqrt(ss / (double)n);
	default: return NAN;
	}
}

static void output_group(struct ww_steps *s, struct srule *sr, const struct point *p, size_t n,
			 int64_t at)
{
	const struct ww_rule *r = sr->rule;
	struct outval ov;
	if (r->vagg == WW_VAGG_TOPK || r->vagg == WW_VAGG_BOTTOMK || r->vagg == WW_VAGG_SORT ||
	    r->vagg == WW_VAGG_SORT_DESC) {
		size_t m = n;
		if ((r->vagg == WW_VAGG_TOPK || r->vagg == WW_VAGG_BOTTOMK) && (double)m > r->vk)
			m = (size_t)r->vk;
		for (size_t i = 0; i < m; i++) {
			series_of(sr, &p[i], &ov);
			output(s, sr, &ov, at);
		}
		return;
	}
	ov.kb = p[0].g;
	ov.klen = p[0].glen;
	ov.v = rule_xform_apply(r->xf, r->nxf, aggregate(r->vagg, p, n));
	ov.first = INT64_MAX;
	ov.last = INT64_MIN;
	ov.count = 0;
	for (size_t i = 0; i < n; i++) {
		const struct inner *k = ktab_at(&sr->in, p[i].idx);
		ov.first = win_oldest(&k->win) < ov.first ? win_oldest(&k->win) : ov.first;
		ov.last = win_newest(&k->win) > ov.last ? win_newest(&k->win) : ov.last;
		ov.count += win_count(&k->win);
	}
	output(s, sr, &ov, at);
}

static void drop_inner(struct ww_steps *s, struct srule *sr, uint32_t idx)
{
	struct inner *k = ktab_at(&sr->in, idx);
	win_free(&k->win);
	ktab_remove(&sr->in, idx);
	s->c.st->keys--;
}

static void add_point(struct ww_steps *s, size_t n, uint32_t idx, double v, size_t goff)
{
	if (n == s->ptcap) {
		s->ptcap = s->ptcap ? s->ptcap * 2 : 64;
		s->pts = ward_xrealloc(s->pts, s->ptcap * sizeof(*s->pts));
		s->goffs = ward_xrealloc(s->goffs, s->ptcap * sizeof(*s->goffs));
	}
	s->pts[n].idx = idx;
	s->pts[n].v = v;
	s->goffs[n] = goff;
}

/* Arithmetic and comparison on an inner series before the aggregation. */
static bool inner_passes(const struct ww_rule *r, double *v)
{
	*v = rule_xform_apply(r->ixf, r->nixf, *v);
	if (r->iop == WW_OP_NONE)
		return true;
	bool pass = rule_compare(r->iop, *v, r->ithreshold);
	if (r->ibool)
		*v = pass ? 1 : 0;
	return pass || r->ibool;
}

/* Every inner value at `at`, grouped; group keys live in gbuf, whose data
 * moves while it grows, so pointers are set once it is complete. */
static size_t collect(struct ww_steps *s, struct srule *sr, int64_t at)
{
	const struct ww_rule *r = sr->rule;
	size_t n = 0;
	buf_reset(&s->gbuf);
	s->next_change = INT64_MAX;
	for (uint32_t i = 1; i < sr->in.cap; i++) {
		struct inner *k = ktab_at(&sr->in, i);
		if (!k->h.live)
			continue;
		win_advance(&k->win, r->fn, at, r->range_ns);
		if (win_empty(&k->win)) {
			drop_inner(s, sr, i);
			continue;
		}
		int64_t change = win_next_apply(&k->win);
		if (win_next_expiry(&k->win, r->range_ns) < change)
			change = win_next_expiry(&k->win, r->range_ns);
		if (change < s->next_change)
			s->next_change = change;
		double v;
		if (!win_value(&k->win, r, &s->scratch, &v) || !inner_passes(r, &v))
			continue;
		size_t goff = s->gbuf.len;
		group_key(r, k->h.kb, k->h.klen, &s->gbuf);
		add_point(s, n++, i, v, goff);
	}
	double dir = r->vagg == WW_VAGG_TOPK || r->vagg == WW_VAGG_SORT_DESC ? -1 :
		     r->vagg == WW_VAGG_BOTTOMK || r->vagg == WW_VAGG_SORT ? 1 : 0;
	for (size_t i = 0; i < n; i++) {
		struct point *p = &s->pts[i];
		const struct inner *k = ktab_at(&sr->in, p->idx);
		size_t end = i + 1 < n ? s->goffs[i + 1] : s->gbuf.len;
		p->g = s->gbuf.data ? s->gbuf.data + s->goffs[i] : "";
		p->glen = (uint32_t)(end - s->goffs[i]);
		p->ghash = hash_fnv1a(p->g, p->glen);
		p->kb = k->h.kb;
		p->klen = k->h.klen;
		p->order = dir * (isnan(p->v) ? -INFINITY : p->v);
	}
	if (n > 1)
		qsort(s->pts, n, sizeof(*s->pts), cmp_points);
	return n;
}

static void eval_step(struct ww_steps *s, struct srule *sr, int64_t at)
{
	size_t n = collect(s, sr, at);
	for (size_t a = 0; a < n;) {
		size_t b = a + 1;
		while (b < n && same_group(&s->pts[a], &s->pts[b]))
			b++;
		output_group(s, sr, &s->pts[a], b - a, at);
		a = b;
	}
	sweep_outputs(s, sr, at);
}

/* ---- driving ---- */

static int64_t align_up(int64_t t, int64_t iv)
{
	int64_t r = t % iv;
	if (r == 0)
		return t;
	if (r < 0)
		return t - r;
	return t - r > INT64_MAX - iv ? INT64_MAX : t - r + iv;
}

static int64_t add_sat(int64_t a, int64_t b)
{
	return a > INT64_MAX - b ? INT64_MAX : a + b;
}

/* The next step that can differ from step `at`: no inner value changes
 * before next_change, so until then only `for` and renotify deadlines can
 * make a transition. Series points want every step. */
static int64_t next_step(const struct ww_steps *s, const struct srule *sr, int64_t at)
{
	const struct ww_rule *r = sr->rule;
	int64_t step = add_sat(at, r->eval_ns);
	if (s->c.emit_series || step == INT64_MAX)
		return step;
	int64_t next = align_up(s->next_change, r->eval_ns);
	for (uint32_t i = 1; i < sr->out.cap && next > step; i++) {
		const struct output *o = ktab_at(&sr->out, i);
		int64_t due = INT64_MAX;
		if (!o->h.live)
			continue;
		const struct ww_life_params p = life_params(r);
		due = align_up(lifecycle_next_deadline(&o->life, &p), r->eval_ns);
		next = due < next ? due : next;
	}
	return next > step ? next : step;
}

static bool make_room(struct ww_steps *s)
{
	while (s->c.st->keys >= s->c.max_keys)
		if (!steps_evict(s))
			return false;
	return true;
}

void steps_sample(struct ww_steps *s, size_t i, const struct ward_event *ev, int64_t t,
		  double v, uint64_t h)
{
	struct srule *sr = &s->rs[i];
	const struct ww_rule *r = sr->rule;
	encode_inner(s, r, ev);
	const char *kb = s->keybuf.data ? s->keybuf.data : "";
	uint32_t klen = (uint32_t)s->keybuf.len;
	uint64_t kh = hash_fnv1a(kb, klen);
	uint32_t idx = ktab_lookup(&sr->in, kh, kb, klen);
	if (!idx) {
		if (!make_room(s)) {
			s->c.st->evicted++;	/* the engine's keys fill the bound */
			return;
		}
		idx = ktab_insert(&sr->in, kh, kb, klen);
		win_init(&((struct inner *)ktab_at(&sr->in, idx))->win);
		if (++s->c.st->keys > s->c.st->keys_peak)
			s->c.st->keys_peak = s->c.st->keys;
	}
	struct inner *k = ktab_at(&sr->in, idx);
	win_insert(&k->win, r->fn, t, v, h);
	/* every step already evaluated is before the watermark, hence before t:
	 * an earlier arrival within the lateness may bring the next step back */
	int64_t step = align_up(t, r->eval_ns);
	if (step < sr->next)
		sr->next = step;
}

void steps_advance(struct ww_steps *s, int64_t w)
{
	for (size_t i = 0; s && i < s->n; i++) {
		struct srule *sr = &s->rs[i];
		int64_t iv = sr->rule->eval_ns;
		while (sr->next < w) {
			eval_step(s, sr, sr->next);
			if ((sr->in.used == 0 && sr->out.used == 0) || sr->next > INT64_MAX - iv) {
				sr->next = INT64_MAX;
				break;
			}
			sr->next = next_step(s, sr, sr->next);
		}
	}
}

void steps_finish(struct ww_steps *s)
{
	steps_advance(s, INT64_MAX);
}

bool steps_evict(struct ww_steps *s)
{
	struct srule *m = NULL;
	for (size_t i = 0; s && i < s->n; i++)
		if (s->rs[i].in.used && (!m || s->rs[i].in.used > m->in.used))
			m = &s->rs[i];
	if (!m)
		return false;
	for (uint32_t n = 0; n < m->in.cap; n++) {
		m->cursor = m->cursor + 1 < m->in.cap ? m->cursor + 1 : 1;
		if (ktab_head(&m->in, m->cursor)->live) {
			drop_inner(s, m, m->cursor);
			s->c.st->evicted++;
			return true;
		}
	}
	return false;
}

size_t steps_memory(const struct ww_steps *s)
{
	size_t n = 0;
	for (size_t i = 0; s && i < s->n; i++) {
		const struct srule *sr = &s->rs[i];
		const struct ww_ktab *t[2] = { &sr->in, &sr->out };
		for (int j = 0; j < 2; j++) {
			n += ktab_bytes(t[j]);
			for (uint32_t e = 1; e < t[j]->cap; e++)
				n += ktab_head(t[j], e)->live ? ktab_head(t[j], e)->klen : 0;
		}
		for (uint32_t e = 1; e < sr->in.cap; e++)
			if (ktab_head(&sr->in, e)->live)
				n += win_heap_bytes(&((const struct inner *)ktab_at(&sr->in, e))->win);
	}
	return n;
}

void steps_free(struct ww_steps *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		struct srule *sr = &s->rs[i];
		for (uint32_t e = 1; e < sr->in.cap; e++)
			if (ktab_head(&sr->in, e)->live)
				win_free(&((struct inner *)ktab_at(&sr->in, e))->win);
		ktab_free(&sr->in);
		ktab_free(&sr->out);
	}
	free(s->rs);
	free(s->pts);
	free(s->goffs);
	buf_free(&s->keybuf);
	buf_free(&s->gbuf);
	buf_free(&s->kdec);
	win_scratch_free(&s->scratch);
	free(s);
}
