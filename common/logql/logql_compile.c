/* logql_compile.c - the engine and compiling log queries into pipelines:
 * interning of regexes, parser cache keys and selectors, each stage's
 * compiled form, and the hints that let a json/logfmt parser extract only
 * what later stages read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logql_engine_int.h"

#define LQ_MAX_GROUPS 200

static int intern_rx(struct logql_engine *e, const char *src, size_t len, enum logql_re_anchor a,
		     char *err, size_t errlen)
{
	for (size_t i = 0; i < e->nrxs; i++)
		if (e->rxs[i].anchor == a && e->rxs[i].len == len && !memcmp(e->rxs[i].src, src, len))
			return (int)i;
	struct logql_re *re = logql_re_compile(src, len, a, err, errlen);
	if (!re)
		return -1;
	if (logql_re_ngroups(re) > LQ_MAX_GROUPS) {
		snprintf(err, errlen, "more than %d capture groups", LQ_MAX_GROUPS);
		logql_re_free(re);
		return -1;
	}
	e->rxs = ward_xrealloc(e->rxs, (e->nrxs + 1) * sizeof(*e->rxs));
	e->rxs[e->nrxs] = (struct logql_rx){ ward_xstrndup(src, len), len, a, re };
	return (int)e->nrxs++;
}

static int intern_pkey(struct logql_engine *e, const char *key)
{
	for (size_t i = 0; i < e->npkeys; i++)
		if (!strcmp(e->pkeys[i], key))
			return (int)i;
	e->pkeys = ward_xrealloc(e->pkeys, (e->npkeys + 1) * sizeof(*e->pkeys));
	e->pkeys[e->npkeys] = ward_xstrdup(key);
	e->hints = ward_xrealloc(e->hints, (e->npkeys + 1) * sizeof(*e->hints));
	memset(&e->hints[e->npkeys], 0, sizeof(*e->hints));
	return (int)e->npkeys++;
}

static int intern_selector(struct logql_engine *e, const struct logql_log_query *q)
{
	struct ward_buf b = WARD_BUF_INIT;
	struct logql_log_query sel = { q->matchers, q->nmatchers, NULL, 0, 0 };
	logql_log_query_format(&sel, &b);
	const char *key = buf_cstr(&b);
	for (size_t i = 0; i < e->nsels; i++)
		if (!strcmp(e->sels[i], key)) {
			buf_free(&b);
			return (int)i;
		}
	e->sels = ward_xrealloc(e->sels, (e->nsels + 1) * sizeof(*e->sels));
	e->sels[e->nsels] = ward_xstrdup(key);
	buf_free(&b);
	return (int)e->nsels++;
}

/* The id of q's canonical text (selector and every stage), to share the
 * result of equal queries (several rules over one query, as alerting rules
 * that count per rule are written). */
static int intern_query(struct logql_engine *e, const struct logql_log_query *q)
{
	struct ward_buf b = WARD_BUF_INIT;
	logql_log_query_format(q, &b);
	const char *key = buf_cstr(&b);
	for (size_t i = 0; i < e->nqueries; i++)
		if (!strcmp(e->queries[i], key)) {
			buf_free(&b);
			return (int)i;
		}
	e->queries = ward_xrealloc(e->queries, (e->nqueries + 1) * sizeof(*e->queries));
	e->queries[e->nqueries] = ward_xstrdup(key);
	buf_free(&b);
	return (int)e->nqueries++;
}

struct logql_engine *logql_engine_new(void)
{
	struct logql_engine *e = ward_xcalloc(1, sizeof(*e));
	e->match_limit = 100000;
	return e;
}

void logql_engine_set_match_limit(struct logql_engine *eng, uint32_t limit)
{
	eng->match_limit = limit;
}

void logql_engine_set_prefilter(struct logql_engine *eng, bool on)
{
	eng->no_prefilter = !on;
	eng->scan_built_at = on ? (size_t)-1 : eng->nscanned;
}

static void free_filter(struct cfilter *f)
{
	if (!f)
		return;
	free_filter(f->left);
	free_filter(f->right);
	free(f);
}

static void free_stage(struct cstage *c)
{
	for (size_t i = 0; i < c->nalts; i++) {
		logql_pattern_free(&c->alts[i].pat);
		free(c->alts[i].lits);
		litscan_free(c->alts[i].ls);
	}
	free(c->alts);
	logql_pattern_free(&c->pat);
	for (size_t i = 0; i < c->npaths; i++)
		logql_json_path_free(&c->paths[i]);
	free(c->paths);
	free_filter(c->filter);
	logql_tmpl_free(c->tmpl);
	if (c->ltmpls && c->src)
		for (size_t i = 0; i < c->src->u.lfmt.n; i++)
			logql_tmpl_free(c->ltmpls[i]);
	free(c->ltmpls);
	free(c->name_rx);
	free(c->need.lits);
	for (size_t k = 0; k < c->ntoo; k++)
		free(c->too[k].lits);
	free(c->too);
}

static void pipeline_free(struct logql_pipeline *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nst; i++)
		free_stage(&p->st[i]);
	free(p->st);
	free(p->sel);
	for (size_t i = 0; i < p->npre; i++)
		free(p->pre[i].lits);
	free(p->pre);
	free(p->owned_q);
	free(p);
}

void logql_engine_free(struct logql_engine *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->npipes; i++)
		pipeline_free(e->pipes[i]);
	free(e->pipes);
	litscan_free(e->scan);
	for (size_t i = 0; i < e->nlits; i++)
		free(e->lits[i].s);
	free(e->lits);
	for (size_t i = 0; i < e->nrxs; i++) {
		free(e->rxs[i].src);
		logql_re_free(e->rxs[i].re);
	}
	free(e->rxs);
	for (size_t i = 0; i < e->npkeys; i++) {
		free(e->pkeys[i]);
		for (size_t k = 0; k < e->hints[i].n; k++)
			free(e->hints[i].names[k]);
		free(e->hints[i].names);
	}
	free(e->pkeys);
	free(e->hints);
	for (size_t i = 0; i < e->nqueries; i++)
		free(e->queries[i]);
	free(e->queries);
	for (size_t i = 0; i < e->nsels; i++)
		free(e->sels[i]);
	free(e->sels);
	free(e);
}

/* ---- compile ----------------------------------------------------------------- */

struct comp {
	struct logql_engine *eng;
	struct logql_pipeline *p;
	struct logql_error *err;
	const char *src;	/* for line:col, may be NULL */
};

static int cfail(struct comp *c, size_t pos, const char *fmt, const char *detail)
{
	c->err->pos = pos;
	c->err->line = 0;
	c->err->col = 0;
	snprintf(c->err->msg, sizeof(c->err->msg), fmt, detail);
	return -1;
}

static int comp_rx(struct comp *c, const char *src, size_t len, enum logql_re_anchor a, size_t pos)
{
	char e[200];
	int id = intern_rx(c->eng, src, len, a, e, sizeof(e));
	if (id < 0)
		cfail(c, pos, "invalid regex: %s", e);
	return id;
}

/* A regex that is only an alternation of literals is answered from the
 * per-event literal scan instead of PCRE2 (the rule packs' line gates:
 * docs/rules.md, "Speed"). The regex stays compiled for lines the literal
 * answer is not exact on (lits_ascii_only). */
static void comp_literal_set(struct logql_engine *eng, struct calt *ca, const char *re, size_t len)
{
	struct logql_litalt set = { 0 };
	if (logql_regex_literal_set(re, len, &set)) {
		const char *lits[LOGQL_LITALT_MAX];
		bool icase[LOGQL_LITALT_MAX];
		unsigned ids[LOGQL_LITALT_MAX];
		ca->lits = ward_xcalloc(set.n, sizeof(int));
		for (size_t k = 0; k < set.n; k++) {
			ca->lits[k] = logql_lit_intern_gate(eng, set.text.data + set.off[k], set.len[k], set.icase);
			lits[k] = set.text.data + set.off[k];
			icase[k] = set.icase;
			ids[k] = 0;	/* any literal found answers */
		}
		ca->nlits = set.n;
		ca->ls = litscan_build(lits, set.len, icase, ids, set.n);
		ca->lits_ascii_only = set.ascii_lines_only;
	}
	buf_free(&set.text);
}

static int comp_line_filter(struct comp *c, struct cstage *cs)
{
	const struct logql_line_filter *lf = &cs->src->u.line;
	cs->alts = ward_xcalloc(lf->nalts, sizeof(*cs->alts));
	cs->nalts = lf->nalts;
	for (size_t i = 0; i < lf->nalts; i++) {
		const struct logql_line_alt *a = &lf->alts[i];
		struct calt *ca = &cs->alts[i];
		ca->lit = ca->rx = -1;
		if (a->is_ip) {
			ca->is_ip = true;
			if (logql_ipspec_parse(a->value, a->len, &ca->ip) != 0)
				return cfail(c, a->pos, "ip(): not an address, range or CIDR: %s", a->value);
		} else if (lf->op == LQ_LINE_CONTAINS || lf->op == LQ_LINE_NOT_CONTAINS) {
			ca->lit = logql_lit_intern(c->eng, a->value, a->len, false);
		} else if (lf->op == LQ_LINE_MATCH || lf->op == LQ_LINE_NOT_MATCH) {
			if ((ca->rx = comp_rx(c, a->value, a->len, LQ_RE_UNANCHORED, a->pos)) < 0)
				return -1;
			if (!c->eng->no_prefilter)
				comp_literal_set(c->eng, ca, a->value, a->len);
		} else {
			char e[160];
			if (logql_pattern_compile(a->value, a->len, false, &ca->pat, e, sizeof(e)) != 0)
				return cfail(c, a->pos, "%s", e);
			ca->has_pat = true;
		}
	}
	return 0;
}

static int comp_filter(struct comp *c, const struct logql_label_filter *f, struct cfilter **out)
{
	struct cfilter *cf = ward_xcalloc(1, sizeof(*cf));
	*out = cf;
	cf->src = f;
	cf->rx = -1;
	if (f->kind == LQ_LF_STRING || f->kind == LQ_LF_IP)
		cf->name_len = strlen(f->m.name);
	else if (f->kind != LQ_LF_AND && f->kind != LQ_LF_OR)
		cf->name_len = f->name ? strlen(f->name) : 0;
	switch (f->kind) {
	case LQ_LF_AND: case LQ_LF_OR:
		if (comp_filter(c, f->left, &cf->left) != 0)
			return -1;
		return comp_filter(c, f->right, &cf->right);
	case LQ_LF_STRING:
		if (f->m.op == LQ_MATCH_RE || f->m.op == LQ_MATCH_NRE)
			if ((cf->rx = comp_rx(c, f->m.value, f->m.value_len, LQ_RE_FULL, f->pos)) < 0)
				return -1;
		return 0;
	case LQ_LF_IP:
		if (logql_ipspec_parse(f->m.value, f->m.value_len, &cf->ip) != 0)
			return cfail(c, f->pos, "ip(): not an address, range or CIDR: %s", f->m.value);
		return 0;
	default:
		return 0;
	}
}

/* Cache key of a parser stage: its kind and parameters. */
static int comp_pkey(struct comp *c, const struct logql_stage *st)
{
	struct ward_buf k = WARD_BUF_INIT;
	buf_printf(&k, "%d\x1f", (int)st->kind);
	if (st->kind == LQ_STAGE_JSON || st->kind == LQ_STAGE_LOGFMT) {
		buf_printf(&k, "%d%d", st->u.extract.strict, st->u.extract.keep_empty);
		for (size_t i = 0; i < st->u.extract.nparams; i++)
			buf_printf(&k, "\x1f%s\x1e%s", st->u.extract.params[i].name, st->u.extract.params[i].path);
	} else if (st->kind == LQ_STAGE_REGEXP || st->kind == LQ_STAGE_PATTERN) {
		buf_append(&k, st->u.str.text, st->u.str.len);
	}
	int id = intern_pkey(c->eng, buf_cstr(&k));
	buf_free(&k);
	return id;
}

static int comp_parser(struct comp *c, struct cstage *cs)
{
	const struct logql_stage *st = cs->src;
	char e[200];
	cs->pkey = comp_pkey(c, st);
	switch (st->kind) {
	case LQ_STAGE_JSON:
		cs->npaths = st->u.extract.nparams;
		cs->paths = ward_xcalloc(cs->npaths + 1, sizeof(*cs->paths));
		for (size_t i = 0; i < cs->npaths; i++)
			if (logql_json_path_compile(st->u.extract.params[i].path, &cs->paths[i]) != 0)
				return cfail(c, st->pos, "json: invalid path: %s", st->u.extract.params[i].path);
		return 0;
	case LQ_STAGE_REGEXP: {
		if ((cs->rx = comp_rx(c, st->u.str.text, st->u.str.len, LQ_RE_UNANCHORED, st->pos)) < 0)
			return -1;
		const struct logql_re *re = c->eng->rxs[cs->rx].re;
		for (unsigned g = 1; g <= logql_re_ngroups(re); g++)
			if (logql_re_group_name(re, g))
				return 0;
		return cfail(c, st->pos, "regexp: %s", "at least one named group (?P<name>...) is needed");
	}
	case LQ_STAGE_PATTERN:
		if (logql_pattern_compile(st->u.str.text, st->u.str.len, true, &cs->pat, e, sizeof(e)) != 0)
			return cfail(c, st->pos, "%s", e);
		return 0;
	default:
		return 0;
	}
}

/* Cache key of a template-only label_format: its text and that of every
 * earlier stage that can change labels (all but line filters), so rules
 * that share `| json | label_format uri="{{...}}"` expand it once. */
static int format_key(struct comp *c, const struct logql_stage *st)
{
	const struct logql_log_query *q = c->p->q;
	struct logql_stage *pre = ward_xcalloc((size_t)(st - q->stages) + 1, sizeof(*pre));
	size_t n = 0;
	for (const struct logql_stage *x = q->stages; x <= st; x++)
		if (x->kind != LQ_STAGE_LINE_FILTER)
			pre[n++] = *x;	/* shallow copy, only formatted */
	struct logql_log_query tmp = { NULL, 0, pre, n, 0 };
	struct ward_buf k = WARD_BUF_INIT;
	buf_append_str(&k, "label_format\x1f");
	logql_log_query_format(&tmp, &k);
	int id = intern_pkey(c->eng, buf_cstr(&k));
	buf_free(&k);
	free(pre);
	return id;
}

static int comp_format(struct comp *c, struct cstage *cs)
{
	const struct logql_stage *st = cs->src;
	char e[200];
	if (st->kind == LQ_STAGE_LINE_FORMAT) {
		cs->tmpl = logql_tmpl_compile(st->u.str.text, st->u.str.len, e, sizeof(e));
		return cs->tmpl ? 0 : cfail(c, st->pos, "line_format: %s", e);
	}
	bool renames = false;
	cs->ltmpls = ward_xcalloc(st->u.lfmt.n, sizeof(*cs->ltmpls));
	for (size_t i = 0; i < st->u.lfmt.n; i++) {
		const struct logql_label_fmt *lf = &st->u.lfmt.items[i];
		if (!lf->tmpl) {
			renames = true;
			continue;
		}
		cs->ltmpls[i] = logql_tmpl_compile(lf->tmpl, strlen(lf->tmpl), e, sizeof(e));
		if (!cs->ltmpls[i])
			return cfail(c, st->pos, "label_format: %s", e);
	}
	if (!renames)
		cs->pkey = format_key(c, st);
	return 0;
}

static int comp_names(struct comp *c, struct cstage *cs)
{
	const struct logql_stage *st = cs->src;
	cs->name_rx = ward_xcalloc(st->u.names.n + 1, sizeof(int));
	for (size_t i = 0; i < st->u.names.n; i++) {
		const struct logql_name_matcher *nm = &st->u.names.items[i];
		cs->name_rx[i] = -1;
		if (!nm->bare && (nm->m.op == LQ_MATCH_RE || nm->m.op == LQ_MATCH_NRE))
			if ((cs->name_rx[i] = comp_rx(c, nm->m.value, nm->m.value_len, LQ_RE_FULL, nm->m.pos)) < 0)
				return -1;
	}
	return 0;
}

static int comp_stage(struct comp *c, struct cstage *cs)
{
	cs->pkey = cs->rx = -1;
	switch (cs->src->kind) {
	case LQ_STAGE_LINE_FILTER: return comp_line_filter(c, cs);
	case LQ_STAGE_JSON: case LQ_STAGE_LOGFMT: case LQ_STAGE_REGEXP:
	case LQ_STAGE_PATTERN: case LQ_STAGE_UNPACK:
		return comp_parser(c, cs);
	case LQ_STAGE_LABEL_FILTER: return comp_filter(c, cs->src->u.filter, &cs->filter);
	case LQ_STAGE_LINE_FORMAT: case LQ_STAGE_LABEL_FORMAT: return comp_format(c, cs);
	case LQ_STAGE_DROP: case LQ_STAGE_KEEP: return comp_names(c, cs);
	case LQ_STAGE_DECOLORIZE: return 0;
	}
	return 0;
}

static void hint_add(struct logql_hint *h, const char *name, size_t n)
{
	for (size_t i = 0; i < h->n; i++)
		if (strlen(h->names[i]) == n && !memcmp(h->names[i], name, n))
			return;
	h->names = ward_xrealloc(h->names, (h->n + 1) * sizeof(*h->names));
	h->names[h->n++] = ward_xstrndup(name, n);
}

static void hint_cb(void *ud, const char *name, size_t n)
{
	hint_add(ud, name, n);
}

static void hint_filter(struct logql_hint *h, const struct logql_label_filter *f)
{
	if (!f)
		return;
	hint_filter(h, f->left);
	hint_filter(h, f->right);
	if (f->m.name)
		hint_add(h, f->m.name, strlen(f->m.name));
	if (f->name)
		hint_add(h, f->name, strlen(f->name));
}

/* Names read by the stages after `from`. */
static void hint_collect(const struct logql_pipeline *p, size_t from, struct logql_hint *h)
{
	for (size_t j = from; j < p->nst; j++) {
		const struct cstage *cs = &p->st[j];
		const struct logql_stage *st = cs->src;
		switch (st->kind) {
		case LQ_STAGE_LABEL_FILTER:
			hint_filter(h, st->u.filter);
			break;
		case LQ_STAGE_LINE_FORMAT:
			logql_tmpl_names(cs->tmpl, hint_cb, h);
			break;
		case LQ_STAGE_LABEL_FORMAT:
			for (size_t k = 0; k < st->u.lfmt.n; k++) {
				if (st->u.lfmt.items[k].src)
					hint_add(h, st->u.lfmt.items[k].src, strlen(st->u.lfmt.items[k].src));
				if (cs->ltmpls[k])
					logql_tmpl_names(cs->ltmpls[k], hint_cb, h);
			}
			break;
		case LQ_STAGE_DROP: case LQ_STAGE_KEEP:
			for (size_t k = 0; k < st->u.names.n; k++)
				hint_add(h, st->u.names.items[k].m.name, strlen(st->u.names.items[k].m.name));
			break;
		default:
			break;
		}
	}
}

/* A json or logfmt parser without parameters extracts every key, but the
 * pipeline's decision needs only the names later stages read: evaluation
 * runs first with those (logql_eval), and again in full for kept events. */
static void find_hints(struct comp *c, struct logql_pipeline *p)
{
	for (size_t i = 0; i < p->nst; i++) {
		const struct cstage *cs = &p->st[i];
		enum logql_stage_kind k = cs->src->kind;
		if (cs->pkey < 0)
			continue;
		struct logql_hint *h = &c->eng->hints[cs->pkey];
		if ((k != LQ_STAGE_JSON && k != LQ_STAGE_LOGFMT) || cs->src->u.extract.nparams > 0) {
			h->all = true;
			continue;
		}
		hint_collect(p, i + 1, h);
		p->has_hints = true;
	}
}

struct logql_pipeline *logql_pipeline_compile(struct logql_engine *eng,
					      const struct logql_log_query *q,
					      struct logql_error *err)
{
	struct logql_pipeline *p = ward_xcalloc(1, sizeof(*p));
	struct comp c = { eng, p, err, NULL };
	memset(err, 0, sizeof(*err));
	p->eng = eng;
	p->q = q;
	p->sel = ward_xcalloc(q->nmatchers + 1, sizeof(*p->sel));
	p->nsel = q->nmatchers;
	for (size_t i = 0; i < q->nmatchers; i++) {
		const struct logql_matcher *m = &q->matchers[i];
		p->sel[i].m = m;
		p->sel[i].rx = -1;
		if ((m->op == LQ_MATCH_RE || m->op == LQ_MATCH_NRE) &&
		    (p->sel[i].rx = comp_rx(&c, m->value, m->value_len, LQ_RE_FULL, m->pos)) < 0)
			goto fail;
	}
	p->st = ward_xcalloc(q->nstages + 1, sizeof(*p->st));
	for (size_t i = 0; i < q->nstages; i++) {
		p->st[i].src = &q->stages[i];
		p->nst = i + 1;
		if (comp_stage(&c, &p->st[i]) != 0)
			goto fail;
	}
	if (!eng->no_prefilter)
		logql_prefilter_compile(eng, p);
	find_hints(&c, p);
	p->sel_id = intern_selector(eng, q);
	p->query_id = intern_query(eng, q);
	eng->pipes = ward_xrealloc(eng->pipes, (eng->npipes + 1) * sizeof(*eng->pipes));
	eng->pipes[eng->npipes++] = p;
	return p;
fail:
	pipeline_free(p);
	return NULL;
}

struct logql_pipeline *logql_post_compile(struct logql_engine *eng, const struct logql_unwrap *uw,
					  struct logql_error *err)
{
	struct logql_log_query *q = ward_xcalloc(1, sizeof(*q));
	q->stages = uw->post;
	q->nstages = uw->npost;
	q->pos = uw->pos;
	struct logql_pipeline *p = logql_pipeline_compile(eng, q, err);
	if (p)
		p->owned_q = q;	/* the synthetic query is freed with the pipeline */
	else
		free(q);
	return p;
}

