/* logql_eval.c - compile and evaluate the log part of LogQL over events.
 *
 * Work sharing between many pipelines of one engine (rules over a stream):
 * literals, regexes and parsers are interned by their text in the engine;
 * the ctx caches, per event, whether the original line holds a literal,
 * matches a regex, and what each parser extracted from it. So each parser
 * runs at most once per event for all rules, and a literal shared by ten
 * rules is searched once. Literals a pipeline requires (`|= "x"`, and the
 * longest literal run a simple regex requires) are checked before anything
 * else. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "logql.h"
#include "litscan.h"
#include "logql_extract_int.h"
#include "logql_re_int.h"
#include "wtime.h"

#define LQ_MAX_GROUPS 200

/* ---- engine: interned literals, regexes, parser keys ----------------------- */

struct logql_lit {
	char *s;
	size_t len;
	size_t rare;	/* offset of the needle byte least likely in text */
	bool icase;	/* ASCII letters compare without case (from (?i) regexes) */
};

/* How common a byte is in log text: lower is rarer. memchr for a rare
 * byte then memcmp beats a general memmem on 100-byte lines. */
static int byte_commonness(unsigned char c)
{
	if (c == ' ' || c == 'e' || c == 't' || c == 'a' || c == 'o' || c == 'i' || c == 'n' ||
	    c == 's' || c == 'r')
		return 4;
	if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == ':')
		return 3;
	if (c >= 'A' && c <= 'Z')
		return 2;
	return 1;
}

static size_t rare_offset(const char *s, size_t len)
{
	size_t best = 0;
	for (size_t i = 1; i < len; i++)
		if (byte_commonness((unsigned char)s[i]) < byte_commonness((unsigned char)s[best]))
			best = i;
	return best;
}

static unsigned char ascii_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static bool eq_icase(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ascii_lower((unsigned char)a[i]) != ascii_lower((unsigned char)b[i]))
			return false;
	return true;
}

/* As lit_in, ASCII letters without case: memchr for both cases of the
 * rare byte (the earlier hit first), then compare. */
static bool lit_in_icase(const struct logql_lit *l, const char *hay, size_t n)
{
	unsigned char lc = ascii_lower((unsigned char)l->s[l->rare]);
	unsigned char uc = lc >= 'a' && lc <= 'z' ? (unsigned char)(lc - 32) : lc;
	const char *p = hay + l->rare, *end = hay + n - (l->len - l->rare);
	while (p <= end) {
		size_t rem = (size_t)(end - p) + 1;
		const char *a = memchr(p, lc, rem);
		const char *b = uc != lc ? memchr(p, uc, a ? (size_t)(a - p) : rem) : NULL;
		const char *q = b ? b : a;
		if (!q)
			return false;
		if (eq_icase(q - l->rare, l->s, l->len))
			return true;
		p = q + 1;
	}
	return false;
}

static bool lit_in(const struct logql_lit *l, const char *hay, size_t n)
{
	if (l->len == 0)
		return true;
	if (n < l->len)
		return false;
	if (l->icase)
		return lit_in_icase(l, hay, n);
	const char *p = hay + l->rare, *end = hay + n - (l->len - l->rare);
	unsigned char c = (unsigned char)l->s[l->rare];
	while (p <= end) {
		p = memchr(p, c, (size_t)(end - p) + 1);
		if (!p)
			return false;
		if (memcmp(p - l->rare, l->s, l->len) == 0)
			return true;
		p++;
	}
	return false;
}
struct logql_rx { char *src; size_t len; enum logql_re_anchor anchor; struct logql_re *re; };

struct logql_engine {
	struct logql_lit *lits;
	size_t nlits;
	struct logql_rx *rxs;
	size_t nrxs;
	char **pkeys;
	size_t npkeys;
	/* per parser key: the labels later stages read, over every pipeline
	 * using that parser; `all` when some pipeline needs every label */
	struct logql_hint { bool all; char **names; size_t n; } *hints;
	char **sels;		/* distinct stream selectors (canonical text) */
	size_t nsels;
	struct logql_pipeline **pipes;
	size_t npipes;
	uint32_t match_limit;
	/* one-pass search for every literal (litscan.h), built on first use
	 * once at least LQ_SCAN_MIN literals exist; rebuilt when literals are
	 * added. scan_nlits: the literals it covers (ids below it). */
	struct litscan *scan;
	size_t scan_nlits;
	size_t scan_built_at;	/* nlits when last built or tried */
	bool no_prefilter;	/* logql_engine_set_prefilter(false) */
};

/* Below this many literals, memchr per literal costs fewer instructions
 * than one Hyperscan call (docs/rules.md, "Speed"). */
#ifndef LQ_SCAN_MIN
#define LQ_SCAN_MIN 8
#endif

static int intern_lit(struct logql_engine *e, const char *s, size_t len, bool icase)
{
	for (size_t i = 0; i < e->nlits; i++)
		if (e->lits[i].len == len && e->lits[i].icase == icase && !memcmp(e->lits[i].s, s, len))
			return (int)i;
	e->lits = ward_xrealloc(e->lits, (e->nlits + 1) * sizeof(*e->lits));
	e->lits[e->nlits].s = ward_xstrndup(s, len);
	e->lits[e->nlits].len = len;
	e->lits[e->nlits].rare = len ? rare_offset(s, len) : 0;
	e->lits[e->nlits].icase = icase;
	return (int)e->nlits++;
}

/* (Re)build the one-pass scanner over every non-empty literal. On failure
 * scan stays NULL and literals are searched one by one. */
static void build_scan(struct logql_engine *e)
{
	e->scan_built_at = e->nlits;
	if (e->nlits < LQ_SCAN_MIN || e->no_prefilter)
		return;
	const char **lits = ward_xcalloc(e->nlits, sizeof(*lits));
	size_t *lens = ward_xcalloc(e->nlits, sizeof(*lens));
	bool *icase = ward_xcalloc(e->nlits, sizeof(*icase));
	unsigned *ids = ward_xcalloc(e->nlits, sizeof(*ids));
	size_t n = 0;
	for (size_t i = 0; i < e->nlits; i++) {
		if (e->lits[i].len == 0)
			continue;
		lits[n] = e->lits[i].s;
		lens[n] = e->lits[i].len;
		icase[n] = e->lits[i].icase;
		ids[n] = (unsigned)i;
		n++;
	}
	struct litscan *ls = n ? litscan_build(lits, lens, icase, ids, n) : NULL;
	free(lits);
	free(lens);
	free(icase);
	free(ids);
	litscan_free(e->scan);
	e->scan = ls;
	e->scan_nlits = ls ? e->nlits : 0;
}

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
	eng->scan_built_at = on ? (size_t)-1 : eng->nlits;
}

/* ---- compiled pipelines ----------------------------------------------------- */

struct cfilter {
	const struct logql_label_filter *src;
	struct cfilter *left, *right;
	int rx;
	struct logql_ipspec ip;
};

struct calt {
	int lit;		/* interned literal, or -1 */
	int rx;			/* interned regex, or -1 */
	bool is_ip;
	struct logql_ipspec ip;
	struct logql_pattern pat;
	bool has_pat;
};

struct cstage {
	const struct logql_stage *src;
	bool prechecked;	/* a required literal already checked up front */
	struct calt *alts;
	size_t nalts;
	int pkey;		/* parser cache key */
	int rx;			/* regexp parser */
	struct logql_pattern pat;
	struct logql_json_path *paths;
	size_t npaths;
	struct cfilter *filter;
	struct logql_tmpl *tmpl;	/* line_format */
	struct logql_tmpl **ltmpls;	/* label_format items */
	int *name_rx;		/* drop/keep regex matchers */
};

struct cmatcher {
	const struct logql_matcher *m;
	int rx;
};

/* One requirement on the original line: at least one of lits occurs. */
struct logql_clause {
	int *lits;
	size_t n;
};

struct logql_pipeline {
	struct logql_engine *eng;
	const struct logql_log_query *q;
	struct cmatcher *sel;
	size_t nsel;
	struct logql_clause *pre;	/* required: every clause has a literal in the line */
	size_t npre;
	struct cstage *st;
	size_t nst;
	struct logql_log_query *owned_q;	/* logql_post_compile's wrapper */
	int sel_id;		/* equal selectors share one answer per event */
	bool has_hints;		/* a parser extracts only what later stages read */
};

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
	for (size_t i = 0; i < c->nalts; i++)
		logql_pattern_free(&c->alts[i].pat);
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
			ca->lit = intern_lit(c->eng, a->value, a->len, false);
		} else if (lf->op == LQ_LINE_MATCH || lf->op == LQ_LINE_NOT_MATCH) {
			if ((ca->rx = comp_rx(c, a->value, a->len, LQ_RE_UNANCHORED, a->pos)) < 0)
				return -1;
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

static void add_pre(struct logql_pipeline *p, const int *lits, size_t n)
{
	if (n == 0)
		return;
	for (size_t i = 0; i < p->npre; i++)
		if (p->pre[i].n == n && !memcmp(p->pre[i].lits, lits, n * sizeof(int)))
			return;
	p->pre = ward_xrealloc(p->pre, (p->npre + 1) * sizeof(*p->pre));
	p->pre[p->npre].lits = ward_xcalloc(n, sizeof(int));
	memcpy(p->pre[p->npre].lits, lits, n * sizeof(int));
	p->pre[p->npre++].n = n;
}

/* The literals one of which the line must hold for this line filter to
 * keep it (`|= "a" or "b"`; `|~` regexes whose every branch holds a
 * literal run, logql_regex_required): how many were stored in ids, 0 if the
 * filter requires none. */
static size_t filter_clause(struct comp *c, const struct cstage *cs, int *ids, size_t max)
{
	const struct logql_line_filter *lf = &cs->src->u.line;
	size_t n = 0;
	if (lf->op != LQ_LINE_CONTAINS && lf->op != LQ_LINE_MATCH)
		return 0;
	for (size_t i = 0; i < lf->nalts; i++) {
		const struct logql_line_alt *a = &lf->alts[i];
		if (a->is_ip || a->len == 0)
			return 0;
		if (lf->op == LQ_LINE_CONTAINS) {
			if (n == max)
				return 0;
			ids[n++] = cs->alts[i].lit;
			continue;
		}
		struct logql_req req = { 0 };
		size_t k = logql_regex_required(a->value, a->len, 3, &req);
		if (k == 0 || n + k > max) {
			buf_free(&req.text);
			return 0;
		}
		for (size_t j = 0; j < k; j++)
			ids[n++] = intern_lit(c->eng, req.text.data + req.off[j], req.len[j], req.icase);
		buf_free(&req.text);
	}
	return n;
}

/* Literals the original line must contain for the pipeline to keep it:
 * from `|=` and `|~` filters, up to the first stage that changes the line. */
static void find_prefilters(struct comp *c, struct logql_pipeline *p)
{
	int ids[LOGQL_REQ_MAX_ALTS];
	for (size_t i = 0; i < p->nst; i++) {
		struct cstage *cs = &p->st[i];
		enum logql_stage_kind k = cs->src->kind;
		if (k == LQ_STAGE_LINE_FORMAT || k == LQ_STAGE_DECOLORIZE || k == LQ_STAGE_UNPACK)
			break;
		if (k != LQ_STAGE_LINE_FILTER)
			continue;
		size_t n = filter_clause(c, cs, ids, LOGQL_REQ_MAX_ALTS);
		add_pre(p, ids, n);
		if (n > 0 && cs->src->u.line.op == LQ_LINE_CONTAINS)
			cs->prechecked = true;	/* the clause is the whole filter */
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
		find_prefilters(&c, p);
	find_hints(&c, p);
	p->sel_id = intern_selector(eng, q);
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

/* ---- per-event context ----------------------------------------------------------- */

enum origin { ORIG_STREAM, ORIG_FIELD, ORIG_EXTRACTED };

struct wlabel {
	const char *name;
	const char *val;
	uint32_t nlen, vlen;
	uint8_t origin;
	bool deleted, changed;
};

struct pent { const char *k; const char *v; uint32_t kl, vl; };

struct pcache {
	uint64_t gen;
	size_t start, end;	/* range in pents */
	const char *err;	/* error label value, or NULL */
	const char *details;
};

struct arena_blk { struct arena_blk *next; size_t used, cap; char data[]; };

struct logql_ctx {
	struct logql_engine *eng;
	const struct ward_event *ev;
	uint64_t gen;
	struct logql_re_scratch *re;
	struct ward_buf scratch[2];
	struct ward_buf tmp;
	struct arena_blk *blk, *spare;
	/* per-event caches, valid when their gen equals gen */
	uint64_t *lit_gen;
	bool *lit_val;
	uint64_t *rx_gen;
	bool *rx_val;
	struct pcache *pc;
	uint64_t *sel_gen;
	bool *sel_val;
	size_t ncache_lits, ncache_rxs, ncache_pkeys, ncache_sels;
	/* the one-pass literal scan of the current event's original line */
	struct litscan_scratch *scan_scratch;
	const struct litscan *scan_for;	/* the scanner scan_scratch was sized for */
	uint64_t scan_gen;		/* == gen: scanned; found ids in found[] */
	unsigned *found;
	size_t nfound;
	struct pent *pents;
	size_t npents, cappents;
	/* the working label set and line of the current evaluation */
	struct wlabel *lab;
	size_t nlab, caplab;
	const char *line;
	size_t line_len;
	bool line_original;
	bool has_err;
	bool hinted;		/* this evaluation extracts only hinted names */
	bool recording;		/* set_label also records into pents */
	struct logql_stats stats;
};

static char *arena_alloc(struct logql_ctx *cx, size_t n)
{
	struct arena_blk *b = cx->blk;
	if (!b || b->cap - b->used < n) {
		size_t cap = n > 65536 ? n : 65536;
		if (cx->spare && cx->spare->cap >= n) {
			b = cx->spare;
			cx->spare = b->next;
		} else {
			b = ward_xmalloc(sizeof(*b) + cap);
			b->cap = cap;
		}
		b->used = 0;
		b->next = cx->blk;
		cx->blk = b;
	}
	char *p = b->data + b->used;
	b->used += n;
	return p;
}

static const char *arena_dup(struct logql_ctx *cx, const char *s, size_t n)
{
	char *p = arena_alloc(cx, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static void arena_reset(struct logql_ctx *cx)
{
	while (cx->blk) {
		struct arena_blk *b = cx->blk;
		cx->blk = b->next;
		b->next = cx->spare;
		cx->spare = b;
	}
}

struct logql_ctx *logql_ctx_new(struct logql_engine *eng)
{
	struct logql_ctx *cx = ward_xcalloc(1, sizeof(*cx));
	cx->eng = eng;
	cx->re = logql_re_scratch_new(eng->match_limit);
	return cx;
}

void logql_ctx_free(struct logql_ctx *cx)
{
	if (!cx)
		return;
	arena_reset(cx);
	while (cx->spare) {
		struct arena_blk *b = cx->spare;
		cx->spare = b->next;
		free(b);
	}
	logql_re_scratch_free(cx->re);
	buf_free(&cx->scratch[0]);
	buf_free(&cx->scratch[1]);
	buf_free(&cx->tmp);
	free(cx->lit_gen);
	free(cx->lit_val);
	litscan_scratch_free(cx->scan_scratch);
	free(cx->found);
	free(cx->rx_gen);
	free(cx->rx_val);
	free(cx->pc);
	free(cx->sel_gen);
	free(cx->sel_val);
	free(cx->pents);
	free(cx->lab);
	free(cx);
}

/* Pipelines may be compiled after the ctx was made: size caches now. */
static void size_caches(struct logql_ctx *cx)
{
	struct logql_engine *e = cx->eng;
	if (cx->ncache_lits < e->nlits) {
		cx->lit_gen = ward_xrealloc(cx->lit_gen, e->nlits * sizeof(uint64_t));
		cx->lit_val = ward_xrealloc(cx->lit_val, e->nlits * sizeof(bool));
		memset(cx->lit_gen + cx->ncache_lits, 0, (e->nlits - cx->ncache_lits) * sizeof(uint64_t));
		cx->found = ward_xrealloc(cx->found, e->nlits * sizeof(*cx->found));
		cx->ncache_lits = e->nlits;
	}
	if (cx->ncache_rxs < e->nrxs) {
		cx->rx_gen = ward_xrealloc(cx->rx_gen, e->nrxs * sizeof(uint64_t));
		cx->rx_val = ward_xrealloc(cx->rx_val, e->nrxs * sizeof(bool));
		memset(cx->rx_gen + cx->ncache_rxs, 0, (e->nrxs - cx->ncache_rxs) * sizeof(uint64_t));
		cx->ncache_rxs = e->nrxs;
	}
	if (cx->ncache_sels < e->nsels) {
		cx->sel_gen = ward_xrealloc(cx->sel_gen, e->nsels * sizeof(uint64_t));
		cx->sel_val = ward_xrealloc(cx->sel_val, e->nsels * sizeof(bool));
		memset(cx->sel_gen + cx->ncache_sels, 0, (e->nsels - cx->ncache_sels) * sizeof(uint64_t));
		cx->ncache_sels = e->nsels;
	}
	if (cx->ncache_pkeys < e->npkeys) {	/* two slots: full and hinted */
		cx->pc = ward_xrealloc(cx->pc, 2 * e->npkeys * sizeof(*cx->pc));
		memset(cx->pc + 2 * cx->ncache_pkeys, 0, 2 * (e->npkeys - cx->ncache_pkeys) * sizeof(*cx->pc));
		cx->ncache_pkeys = e->npkeys;
	}
}

void logql_ctx_begin(struct logql_ctx *cx, const struct ward_event *ev)
{
	cx->ev = ev;
	cx->gen++;
	cx->npents = 0;
	cx->nlab = 0;
	arena_reset(cx);
	size_caches(cx);
}

void logql_ctx_stats(const struct logql_ctx *cx, struct logql_stats *out)
{
	*out = cx->stats;
}

/* ---- line predicates (cached on the original line) ---------------------------------- */

static void on_found(unsigned id, void *ud)
{
	struct logql_ctx *cx = ud;
	/* HS_FLAG_SINGLEMATCH: each id once per scan */
	cx->lit_gen[id] = cx->gen;
	cx->lit_val[id] = true;
	cx->found[cx->nfound++] = id;
}

/* Scan the original line once for every literal; false if there is no
 * scanner (too few literals, or the library refused), then callers search
 * literal by literal. After it, a literal id below eng->scan_nlits is in
 * the line iff lit_gen[id] == gen (and lit_val[id]). */
static bool scan_line(struct logql_ctx *cx)
{
	struct logql_engine *e = cx->eng;
	if (cx->scan_gen == cx->gen)
		return true;
	if (e->scan_built_at != e->nlits)
		build_scan(e);
	if (!e->scan)
		return false;
	if (cx->scan_for != e->scan) {
		if (litscan_scratch_for(e->scan, &cx->scan_scratch) != 0)
			return false;
		cx->scan_for = e->scan;
	}
	cx->nfound = 0;
	const char *line = cx->ev->line ? cx->ev->line : "";
	size_t len = cx->ev->line ? cx->ev->line_len : 0;
	if (litscan_scan(e->scan, cx->scan_scratch, line, len, on_found, cx) != 0)
		return false;
	cx->scan_gen = cx->gen;
	return true;
}

static bool has_lit(struct logql_ctx *cx, int id, const char *line, size_t len, bool original)
{
	const struct logql_lit *l = &cx->eng->lits[id];
	if (original && cx->lit_gen[id] == cx->gen)
		return cx->lit_val[id];
	const struct logql_engine *e = cx->eng;
	if (original && l->len > 0 && (e->scan || e->scan_built_at != e->nlits) && scan_line(cx) &&
	    (size_t)id < e->scan_nlits) {
		if (cx->lit_gen[id] != cx->gen) {	/* not reported by the scan: absent */
			cx->lit_gen[id] = cx->gen;
			cx->lit_val[id] = false;
		}
		return cx->lit_val[id];
	}
	bool v = lit_in(l, line, len);
	if (original) {
		cx->lit_gen[id] = cx->gen;
		cx->lit_val[id] = v;
	}
	return v;
}

static bool rx_match(struct logql_ctx *cx, int id, const char *s, size_t len)
{
	int rc = logql_re_match(cx->eng->rxs[id].re, cx->re, s, len);
	if (rc < 0)
		cx->stats.regex_limit_hits++;
	return rc == 1;
}

static bool line_rx(struct logql_ctx *cx, int id)
{
	if (cx->line_original && cx->rx_gen[id] == cx->gen)
		return cx->rx_val[id];
	bool v = rx_match(cx, id, cx->line, cx->line_len);
	if (cx->line_original) {
		cx->rx_gen[id] = cx->gen;
		cx->rx_val[id] = v;
	}
	return v;
}

static bool alt_matches(struct logql_ctx *cx, const struct calt *a)
{
	if (a->is_ip)
		return logql_line_has_ip(cx->line, cx->line_len, &a->ip);
	if (a->lit >= 0)
		return has_lit(cx, a->lit, cx->line, cx->line_len, cx->line_original);
	if (a->rx >= 0)
		return line_rx(cx, a->rx);
	return logql_pattern_test(&a->pat, cx->line, cx->line_len);
}

static bool run_line_filter(struct logql_ctx *cx, const struct cstage *cs)
{
	if (cs->prechecked && cx->line_original)
		return true;
	bool any = false;
	for (size_t i = 0; i < cs->nalts && !any; i++)
		any = alt_matches(cx, &cs->alts[i]);
	switch (cs->src->u.line.op) {
	case LQ_LINE_CONTAINS: case LQ_LINE_MATCH: case LQ_LINE_PATTERN: return any;
	default: return !any;
	}
}

/* ---- the working label set ------------------------------------------------------------- */

static struct wlabel *find_label(struct logql_ctx *cx, const char *name, size_t nlen)
{
	for (size_t i = cx->nlab; i-- > 0;) {
		struct wlabel *l = &cx->lab[i];
		if (!l->deleted && l->nlen == nlen && !memcmp(l->name, name, nlen))
			return l;
	}
	return NULL;
}

static bool is_stream_label(struct logql_ctx *cx, const char *name, size_t nlen)
{
	for (size_t i = 0; i < cx->nlab; i++) {
		const struct wlabel *l = &cx->lab[i];
		if (l->origin == ORIG_STREAM && !l->deleted && l->nlen == nlen && !memcmp(l->name, name, nlen))
			return true;
	}
	return false;
}

static struct wlabel *add_label(struct logql_ctx *cx, const char *name, size_t nlen, enum origin o)
{
	if (cx->nlab == cx->caplab) {
		cx->caplab = cx->caplab ? cx->caplab * 2 : 64;
		cx->lab = ward_xrealloc(cx->lab, cx->caplab * sizeof(*cx->lab));
	}
	struct wlabel *l = &cx->lab[cx->nlab++];
	memset(l, 0, sizeof(*l));
	l->name = name;
	l->nlen = (uint32_t)nlen;
	l->origin = (uint8_t)o;
	return l;
}

static void push_pent(struct logql_ctx *cx, const char *k, size_t kl, const char *v, size_t vl);

/* Set name=val (val must outlive the evaluation: arena or event memory). */
static void set_label(struct logql_ctx *cx, const char *name, size_t nlen, const char *val, size_t vlen)
{
	struct wlabel *l = find_label(cx, name, nlen);
	if (!l)
		l = add_label(cx, arena_dup(cx, name, nlen), nlen, ORIG_EXTRACTED);
	l->val = val;
	l->vlen = (uint32_t)vlen;
	l->changed = true;
	if (cx->recording)
		push_pent(cx, name, nlen, val, vlen);
}

static void set_error(struct logql_ctx *cx, const char *err, const char *details)
{
	set_label(cx, "__error__", 9, err, strlen(err));
	if (details && *details)
		set_label(cx, "__error_details__", 17, details, strlen(details));
	cx->has_err = true;
}

static const char *get_label(struct logql_ctx *cx, const char *name, size_t nlen, size_t *vlen)
{
	struct wlabel *l = find_label(cx, name, nlen);
	if (!l)
		return NULL;
	*vlen = l->vlen;
	return l->val;
}

static void init_labels(struct logql_ctx *cx)
{
	const struct ward_event *ev = cx->ev;
	cx->nlab = 0;
	for (size_t i = 0; i < ev->labels.len; i++) {
		const struct ward_kv *kv = &ev->labels.items[i];
		struct wlabel *l = add_label(cx, kv->key, kv->key_len, ORIG_STREAM);
		l->val = kv->val;
		l->vlen = kv->val_len;
	}
	for (size_t i = 0; i < ev->fields.len; i++) {
		const struct ward_kv *kv = &ev->fields.items[i];
		struct wlabel *l = add_label(cx, kv->key, kv->key_len, ORIG_FIELD);
		l->val = kv->val;
		l->vlen = kv->val_len;
	}
	cx->line = ev->line ? ev->line : "";
	cx->line_len = ev->line ? ev->line_len : 0;
	cx->line_original = true;
	cx->has_err = false;
}

/* ---- parsers ------------------------------------------------------------------------------ */

struct pemit {
	struct logql_ctx *cx;
	const struct cstage *cs;	/* for logfmt parameter mapping */
};

static void push_pent(struct logql_ctx *cx, const char *k, size_t kl, const char *v, size_t vl)
{
	if (cx->npents == cx->cappents) {
		cx->cappents = cx->cappents ? cx->cappents * 2 : 64;
		cx->pents = ward_xrealloc(cx->pents, cx->cappents * sizeof(*cx->pents));
	}
	struct pent *e = &cx->pents[cx->npents++];
	e->k = arena_dup(cx, k, kl);
	e->kl = (uint32_t)kl;
	e->v = arena_dup(cx, v, vl);	/* results are NUL-terminated */
	e->vl = (uint32_t)vl;
}

static bool hinted_out(const struct logql_hint *h, const char *k, size_t kl)
{
	if (h->all)
		return false;
	for (size_t i = 0; i < h->n; i++) {
		size_t n = strlen(h->names[i]);
		if (n == kl && !memcmp(h->names[i], k, kl))
			return false;
		if (n == kl + 10 && !memcmp(h->names[i], k, kl) && !memcmp(h->names[i] + kl, "_extracted", 10))
			return false;
	}
	return true;
}

static void emit_pent(void *ud, const char *k, size_t kl, const char *v, size_t vl)
{
	struct pemit *pe = ud;
	const struct logql_stage *st = pe->cs->src;
	if (pe->cx->hinted && pe->cs->pkey >= 0 && hinted_out(&pe->cx->eng->hints[pe->cs->pkey], k, kl))
		return;
	if (st->kind == LQ_STAGE_LOGFMT && st->u.extract.nparams > 0) {
		for (size_t i = 0; i < st->u.extract.nparams; i++) {
			const struct logql_extract_param *ep = &st->u.extract.params[i];
			if (strlen(ep->path) == kl && !memcmp(ep->path, k, kl))
				push_pent(pe->cx, ep->name, strlen(ep->name), v, vl);
		}
		return;
	}
	push_pent(pe->cx, k, kl, v, vl);
}

/* Run a parser on the current line into pents; fills the cache record. */
static void run_parser_raw(struct logql_ctx *cx, const struct cstage *cs, struct pcache *rec)
{
	const struct logql_stage *st = cs->src;
	struct pemit pe = { cx, cs };
	char err[160] = "";
	int rc = 0;
	rec->start = cx->npents;
	rec->err = NULL;
	rec->details = NULL;
	cx->stats.parser_runs++;
	switch (st->kind) {
	case LQ_STAGE_JSON:
		if (cs->npaths == 0) {
			rc = logql_json_all(cx->line, cx->line_len, cx->scratch, emit_pent, &pe, err, sizeof(err));
		} else {
			for (size_t i = 0; i < cs->npaths && rc == 0; i++) {
				const char *v;
				size_t vl;
				int f = logql_json_get(cx->line, cx->line_len, &cs->paths[i], cx->scratch, &v, &vl);
				if (f < 0) {
					rc = -1;
					snprintf(err, sizeof(err), "invalid JSON");
				} else if (f > 0) {
					const char *nm = st->u.extract.params[i].name;
					push_pent(cx, nm, strlen(nm), v, vl);
				}
			}
		}
		if (rc != 0)
			rec->err = "JSONParserErr";
		break;
	case LQ_STAGE_LOGFMT:
		rc = logql_logfmt(cx->line, cx->line_len, st->u.extract.strict, st->u.extract.keep_empty,
			       cx->scratch, emit_pent, &pe, err, sizeof(err));
		if (rc != 0)
			rec->err = "LogfmtParserErr";
		break;
	case LQ_STAGE_REGEXP: {
		const struct logql_re *re = cx->eng->rxs[cs->rx].re;
		if (rx_match(cx, cs->rx, cx->line, cx->line_len)) {
			for (unsigned g = 1; g <= logql_re_ngroups(re); g++) {
				size_t a, b;
				const char *nm = logql_re_group_name(re, g);
				if (nm && logql_re_group(cx->re, g, &a, &b))
					push_pent(cx, nm, strlen(nm), cx->line + a, b - a);
			}
		}
		break;
	}
	case LQ_STAGE_PATTERN:
		logql_pattern_extract(&cs->pat, cx->line, cx->line_len, emit_pent, &pe);
		break;
	case LQ_STAGE_UNPACK:
		rc = logql_unpack(cx->line, cx->line_len, cx->scratch, emit_pent, &pe, err, sizeof(err));
		if (rc != 0)
			rec->err = "JSONParserErr";
		break;
	default:
		break;
	}
	if (rec->err && err[0])
		rec->details = arena_dup(cx, err, strlen(err));
	rec->end = cx->npents;
}

/* Apply parser output: names clashing with stream labels get _extracted;
 * within one parser run the first value of a name wins. */
static void apply_pents(struct logql_ctx *cx, const struct pcache *rec)
{
	size_t run_start = cx->nlab;
	for (size_t i = rec->start; i < rec->end; i++) {
		const struct pent *e = &cx->pents[i];
		const char *name = e->k;
		size_t nlen = e->kl;
		struct wlabel *l = find_label(cx, name, nlen);
		if (l && (l->origin == ORIG_STREAM || is_stream_label(cx, name, nlen))) {
			char *n2 = arena_alloc(cx, nlen + 11);
			memcpy(n2, name, nlen);
			memcpy(n2 + nlen, "_extracted", 11);
			name = n2;
			nlen += 10;
			l = find_label(cx, name, nlen);
		}
		if (l && (size_t)(l - cx->lab) >= run_start)
			continue;
		if (!l)
			l = add_label(cx, name, nlen, ORIG_EXTRACTED);
		l->val = e->v;
		l->vlen = e->vl;
		l->changed = true;
	}
	if (rec->err)
		set_error(cx, rec->err, rec->details);
}

static void run_unpack_entry(struct logql_ctx *cx, const struct pcache *rec)
{
	for (size_t i = rec->start; i < rec->end; i++) {
		const struct pent *e = &cx->pents[i];
		if (e->kl == 6 && !memcmp(e->k, "_entry", 6)) {
			cx->line = e->v;
			cx->line_len = e->vl;
			cx->line_original = false;
		}
	}
}

static void run_parser(struct logql_ctx *cx, const struct cstage *cs)
{
	struct pcache local;
	struct pcache *rec = &local;
	if (cx->line_original && cs->pkey >= 0) {
		rec = &cx->pc[2 * (size_t)cs->pkey + cx->hinted];
		if (rec->gen == cx->gen)
			cx->stats.parser_cache_hits++;
		else
			run_parser_raw(cx, cs, rec);
		rec->gen = cx->gen;
	} else {
		run_parser_raw(cx, cs, rec);
	}
	if (cs->src->kind == LQ_STAGE_UNPACK) {
		struct pcache labels_only = *rec;
		apply_pents(cx, &labels_only);
		run_unpack_entry(cx, rec);
		/* _entry itself is not a label */
		struct wlabel *l = find_label(cx, "_entry", 6);
		if (l && l->origin == ORIG_EXTRACTED)
			l->deleted = true;
		return;
	}
	apply_pents(cx, rec);
}

/* ---- label filters ---------------------------------------------------------------------- */

static bool cmp_num(enum logql_cmp_op op, double a, double b)
{
	switch (op) {
	case LQ_CMP_EQ: return a == b;
	case LQ_CMP_NEQ: return a != b;
	case LQ_CMP_GT: return a > b;
	case LQ_CMP_GE: return a >= b;
	case LQ_CMP_LT: return a < b;
	case LQ_CMP_LE: return a <= b;
	}
	return false;
}

static bool parse_float(const char *s, size_t n, double *v)
{
	char tmp[128];
	char *end;
	while (n > 0 && (s[0] == ' ' || s[0] == '\t')) { s++; n--; }
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
	if (n == 0 || n >= sizeof(tmp))
		return false;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	*v = strtod(tmp, &end);
	return *end == '\0';
}

static bool match_string(struct logql_ctx *cx, enum logql_match_op op, int rx, const char *want,
			 size_t wlen, const char *v, size_t vl)
{
	switch (op) {
	case LQ_MATCH_EQ: return vl == wlen && !memcmp(v, want, vl);
	case LQ_MATCH_NEQ: return !(vl == wlen && !memcmp(v, want, vl));
	case LQ_MATCH_RE: return rx_match(cx, rx, v, vl);
	case LQ_MATCH_NRE: return !rx_match(cx, rx, v, vl);
	}
	return false;
}

static bool eval_filter(struct logql_ctx *cx, const struct cfilter *cf)
{
	const struct logql_label_filter *f = cf->src;
	size_t vl = 0;
	const char *v;
	double x;
	switch (f->kind) {
	case LQ_LF_AND:
		return eval_filter(cx, cf->left) && eval_filter(cx, cf->right);
	case LQ_LF_OR:
		return eval_filter(cx, cf->left) || eval_filter(cx, cf->right);
	case LQ_LF_STRING:
		v = get_label(cx, f->m.name, strlen(f->m.name), &vl);
		return match_string(cx, f->m.op, cf->rx, f->m.value, f->m.value_len, v ? v : "", v ? vl : 0);
	case LQ_LF_IP: {
		struct ward_ip ip;
		v = get_label(cx, f->m.name, strlen(f->m.name), &vl);
		bool in = v && ip_parse(v, vl, &ip) == 0 && logql_ipspec_contains(&cf->ip, &ip);
		return f->m.op == LQ_MATCH_EQ ? in : !in;
	}
	default:
		break;
	}
	/* numeric, duration, bytes: Loki passes lines that already carry an
	 * error, drops lines without the label, and marks bad values */
	if (cx->has_err)
		return true;
	v = get_label(cx, f->name, strlen(f->name), &vl);
	if (!v)
		return false;
	bool ok;
	if (f->kind == LQ_LF_NUMBER) {
		ok = parse_float(v, vl, &x);
	} else if (f->kind == LQ_LF_DURATION) {
		ok = logql_parse_duration_seconds(v, vl, &x) == 0;
	} else {
		ok = logql_parse_bytes(v, vl, &x) == 0;
	}
	if (!ok) {
		set_error(cx, "LabelFilterErr", f->kind == LQ_LF_NUMBER ? "cannot parse number" :
			  f->kind == LQ_LF_DURATION ? "cannot parse duration" : "cannot parse bytes");
		return true;
	}
	return cmp_num(f->cmp, x, f->number);
}

/* ---- formatting stages ------------------------------------------------------------------- */

static const char *tmpl_lookup(void *ud, const char *name, size_t nlen, size_t *vlen)
{
	return get_label(ud, name, nlen, vlen);
}

static int run_tmpl(struct logql_ctx *cx, const struct logql_tmpl *t, const char **out, size_t *olen)
{
	struct logql_tmpl_env env = { tmpl_lookup, cx, cx->line, cx->line_len, cx->ev->ts_ns, cx->re };
	char err[160];
	buf_reset(&cx->tmp);
	if (logql_tmpl_exec(t, &env, &cx->tmp, err, sizeof(err)) != 0) {
		set_error(cx, "TemplateFormatErr", arena_dup(cx, err, strlen(err)));
		return -1;
	}
	*out = arena_dup(cx, cx->tmp.data ? cx->tmp.data : "", cx->tmp.len);
	*olen = cx->tmp.len;
	return 0;
}

static void run_line_format(struct logql_ctx *cx, const struct cstage *cs)
{
	const char *s;
	size_t n;
	if (run_tmpl(cx, cs->tmpl, &s, &n) == 0) {
		cx->line = s;
		cx->line_len = n;
		cx->line_original = false;
	}
}

/* Replay a cached label_format: the same set_label calls in order. */
static void replay_sets(struct logql_ctx *cx, const struct pcache *rec)
{
	for (size_t i = rec->start; i < rec->end; i++) {
		const struct pent *e = &cx->pents[i];
		set_label(cx, e->k, e->kl, e->v, e->vl);
		if (e->kl == 9 && !memcmp(e->k, "__error__", 9))
			cx->has_err = true;
	}
}

static void run_label_format(struct logql_ctx *cx, const struct cstage *cs)
{
	const struct logql_stage *st = cs->src;
	struct pcache *rec = NULL;
	if (cs->pkey >= 0 && cx->line_original) {
		rec = &cx->pc[2 * (size_t)cs->pkey + cx->hinted];
		if (rec->gen == cx->gen) {
			cx->stats.parser_cache_hits++;
			replay_sets(cx, rec);
			return;
		}
		rec->gen = cx->gen;
		rec->start = cx->npents;
		rec->err = NULL;
		cx->recording = true;
	}
	for (size_t i = 0; i < st->u.lfmt.n; i++) {
		const struct logql_label_fmt *lf = &st->u.lfmt.items[i];
		size_t dl = strlen(lf->dst), vl;
		const char *v;
		if (lf->src) {
			struct wlabel *src = find_label(cx, lf->src, strlen(lf->src));
			if (!src)
				continue;
			v = src->val;
			vl = src->vlen;
			if (strcmp(lf->src, lf->dst) == 0)
				continue;
			src->deleted = true;
			set_label(cx, lf->dst, dl, v, vl);
		} else if (run_tmpl(cx, cs->ltmpls[i], &v, &vl) == 0) {
			set_label(cx, lf->dst, dl, v, vl);
		}
	}
	if (rec) {
		cx->recording = false;
		rec->end = cx->npents;
	}
}

static bool name_matches(struct logql_ctx *cx, const struct logql_name_matcher *nm, int rx,
			 const struct wlabel *l)
{
	if (strlen(nm->m.name) != l->nlen || memcmp(nm->m.name, l->name, l->nlen) != 0)
		return false;
	if (nm->bare)
		return true;
	return match_string(cx, nm->m.op, rx, nm->m.value, nm->m.value_len, l->val, l->vlen);
}

static void run_drop_keep(struct logql_ctx *cx, const struct cstage *cs)
{
	const struct logql_stage *st = cs->src;
	bool keep = st->kind == LQ_STAGE_KEEP;
	for (size_t i = 0; i < cx->nlab; i++) {
		struct wlabel *l = &cx->lab[i];
		if (l->deleted)
			continue;
		bool hit = false;
		for (size_t k = 0; k < st->u.names.n && !hit; k++)
			hit = name_matches(cx, &st->u.names.items[k], cs->name_rx[k], l);
		if (keep && l->nlen == 9 && !memcmp(l->name, "__error__", 9))
			continue;
		if (keep && l->nlen == 17 && !memcmp(l->name, "__error_details__", 17))
			continue;
		if (hit != keep)
			l->deleted = true;
	}
	if (!find_label(cx, "__error__", 9))
		cx->has_err = false;
}

static void run_decolorize(struct logql_ctx *cx)
{
	if (!memchr(cx->line, 0x1b, cx->line_len))
		return;
	buf_reset(&cx->tmp);
	logql_decolorize(cx->line, cx->line_len, &cx->tmp);
	cx->line = arena_dup(cx, cx->tmp.data ? cx->tmp.data : "", cx->tmp.len);
	cx->line_len = cx->tmp.len;
	cx->line_original = false;
}

/* ---- evaluation ----------------------------------------------------------------------------- */

/* `=~ ".+"` and `=~ ".*"` are the usual "any value" selectors of rule
 * packs: decided without the regex engine (`.` does not match \n). */
static int trivial_regex(const struct logql_matcher *m)
{
	if (m->value_len == 2 && m->value[0] == '.' && (m->value[1] == '+' || m->value[1] == '*'))
		return m->value[1];
	return 0;
}

static bool selector_matches(struct logql_ctx *cx, const struct logql_pipeline *p)
{
	for (size_t i = 0; i < p->nsel; i++) {
		const struct logql_matcher *m = p->sel[i].m;
		const struct ward_kv *kv = kvlist_find(&cx->ev->labels, m->name);
		const char *v = kv ? kv->val : "";
		size_t vl = kv ? kv->val_len : 0;
		int triv = (m->op == LQ_MATCH_RE || m->op == LQ_MATCH_NRE) ? trivial_regex(m) : 0;
		if (triv) {
			bool any = (triv == '*' || vl > 0) && !memchr(v, '\n', vl);
			if (any != (m->op == LQ_MATCH_RE))
				return false;
			continue;
		}
		if (!match_string(cx, m->op, p->sel[i].rx, m->value, m->value_len, v, vl))
			return false;
	}
	return true;
}

static bool run_stage(struct logql_ctx *cx, const struct cstage *cs)
{
	switch (cs->src->kind) {
	case LQ_STAGE_LINE_FILTER: return run_line_filter(cx, cs);
	case LQ_STAGE_JSON: case LQ_STAGE_LOGFMT: case LQ_STAGE_REGEXP:
	case LQ_STAGE_PATTERN: case LQ_STAGE_UNPACK:
		run_parser(cx, cs);
		return true;
	case LQ_STAGE_LABEL_FILTER: return eval_filter(cx, cs->filter);
	case LQ_STAGE_LINE_FORMAT: run_line_format(cx, cs); return true;
	case LQ_STAGE_LABEL_FORMAT: run_label_format(cx, cs); return true;
	case LQ_STAGE_DROP: case LQ_STAGE_KEEP: run_drop_keep(cx, cs); return true;
	case LQ_STAGE_DECOLORIZE: run_decolorize(cx); return true;
	}
	return true;
}

static bool eval_once(struct logql_ctx *cx, const struct logql_pipeline *p, bool hinted);

bool logql_eval(struct logql_ctx *cx, const struct logql_pipeline *p)
{
	if (p->has_hints && !eval_once(cx, p, true))
		return false;
	return eval_once(cx, p, false);
}

static bool eval_once(struct logql_ctx *cx, const struct logql_pipeline *p, bool hinted)
{
	const struct ward_event *ev = cx->ev;
	const char *line = ev->line ? ev->line : "";
	size_t len = ev->line ? ev->line_len : 0;
	if (cx->ncache_lits < cx->eng->nlits || cx->ncache_rxs < cx->eng->nrxs ||
	    cx->ncache_pkeys < cx->eng->npkeys || cx->ncache_sels < cx->eng->nsels)
		size_caches(cx);
	cx->nlab = 0;
	if (cx->sel_gen[p->sel_id] != cx->gen) {
		cx->sel_val[p->sel_id] = selector_matches(cx, p);
		cx->sel_gen[p->sel_id] = cx->gen;
	}
	if (!cx->sel_val[p->sel_id])
		return false;
	for (size_t i = 0; i < p->npre; i++) {
		bool any = false;
		for (size_t k = 0; k < p->pre[i].n && !any; k++)
			any = has_lit(cx, p->pre[i].lits[k], line, len, true);
		if (!any) {
			cx->stats.prefilter_rejects++;
			return false;
		}
	}
	init_labels(cx);
	cx->hinted = hinted;
	for (size_t i = 0; i < p->nst; i++)
		if (!run_stage(cx, &p->st[i])) {
			cx->hinted = false;
			return false;
		}
	cx->hinted = false;
	return true;
}

bool logql_eval_post(struct logql_ctx *cx, const struct logql_pipeline *post)
{
	for (size_t i = 0; i < post->nst; i++)
		if (!run_stage(cx, &post->st[i]))
			return false;
	return true;
}

void logql_result_set_error(struct logql_ctx *cx, const char *error, const char *details)
{
	set_error(cx, arena_dup(cx, error, strlen(error)),
		  details ? arena_dup(cx, details, strlen(details)) : NULL);
}

/* ---- results ----------------------------------------------------------------------------------- */

void logql_apply(const struct logql_ctx *cx, struct ward_event *ev)
{
	char name[WARD_EVENT_MAX_KEY_LEN + 16];
	for (size_t i = 0; i < cx->nlab; i++) {
		const struct wlabel *l = &cx->lab[i];
		if (l->nlen >= sizeof(name))
			continue;
		memcpy(name, l->name, l->nlen);
		name[l->nlen] = '\0';
		bool shadowed = false;
		for (size_t k = i + 1; k < cx->nlab && !shadowed; k++)
			shadowed = !cx->lab[k].deleted && cx->lab[k].nlen == l->nlen &&
				   !memcmp(cx->lab[k].name, l->name, l->nlen);
		if (l->deleted && !shadowed) {
			if (l->origin == ORIG_STREAM)
				event_del_label(ev, name);
			else
				event_del_field(ev, name);
		} else if (!l->deleted && l->changed) {
			if (l->origin == ORIG_STREAM)
				event_set_label(ev, name, l->val, l->vlen);
			else
				event_set_field(ev, name, l->val, l->vlen);
		}
	}
	if (!cx->line_original)
		event_set_line(ev, cx->line, cx->line_len);
}

bool logql_result_additive(const struct logql_ctx *cx)
{
	if (!cx->line_original)
		return false;
	for (size_t i = 0; i < cx->nlab; i++) {
		const struct wlabel *l = &cx->lab[i];
		if (l->deleted || (l->origin != ORIG_EXTRACTED && l->changed))
			return false;
	}
	return true;
}

const char *logql_result_get(const struct logql_ctx *cx, const char *name, size_t *len)
{
	size_t vl = 0;
	const char *v = get_label((struct logql_ctx *)cx, name, strlen(name), &vl);
	if (len)
		*len = vl;
	return v;
}

const char *logql_result_line(const struct logql_ctx *cx, size_t *len)
{
	*len = cx->line_len;
	return cx->line;
}

static bool visible(const struct logql_ctx *cx, size_t i)
{
	const struct wlabel *l = &cx->lab[i];
	if (l->deleted)
		return false;
	for (size_t k = i + 1; k < cx->nlab; k++)
		if (!cx->lab[k].deleted && cx->lab[k].nlen == l->nlen && !memcmp(cx->lab[k].name, l->name, l->nlen))
			return false;
	return true;
}

size_t logql_result_nlabels(const struct logql_ctx *cx)
{
	size_t n = 0;
	for (size_t i = 0; i < cx->nlab; i++)
		n += visible(cx, i);
	return n;
}

void logql_result_label(const struct logql_ctx *cx, size_t idx, const char **name,
			const char **val, size_t *val_len)
{
	for (size_t i = 0; i < cx->nlab; i++) {
		if (!visible(cx, i))
			continue;
		if (idx-- == 0) {
			*name = cx->lab[i].name;
			*val = cx->lab[i].val;
			*val_len = cx->lab[i].vlen;
			return;
		}
	}
	*name = *val = "";
	*val_len = 0;
}

/* ---- explain ------------------------------------------------------------------------------------- */

void logql_pipeline_explain(const struct logql_pipeline *p, struct ward_buf *out)
{
	buf_append_str(out, "query: ");
	logql_log_query_format(p->q, out);
	buf_append_str(out, "\nselector (stream labels):\n");
	for (size_t i = 0; i < p->nsel; i++) {
		static const char *const ops[] = { "=", "!=", "=~ (anchored)", "!~ (anchored)" };
		buf_printf(out, "  %s %s \"%s\"\n", p->sel[i].m->name, ops[p->sel[i].m->op], p->sel[i].m->value);
	}
	buf_append_str(out, "required literals (on the raw line, before anything else; one scan for all when there are many):\n");
	if (p->npre == 0)
		buf_append_str(out, "  (none)\n");
	for (size_t i = 0; i < p->npre; i++) {
		buf_append_str(out, " ");
		for (size_t k = 0; k < p->pre[i].n; k++) {
			const struct logql_lit *l = &p->eng->lits[p->pre[i].lits[k]];
			buf_printf(out, "%s \"%s\"%s", k ? " or" : "", l->s, l->icase ? " (caseless)" : "");
		}
		buf_append_str(out, "\n");
	}
	buf_append_str(out, "stages:\n");
	for (size_t i = 0; i < p->nst; i++) {
		struct ward_buf one = WARD_BUF_INIT;
		struct logql_log_query tmp = { NULL, 0, (struct logql_stage *)p->st[i].src, 1, 0 };
		logql_log_query_format(&tmp, &one);
		const char *txt = buf_cstr(&one);
		txt += 2;	/* "{}" */
		while (*txt == ' ')
			txt++;
		buf_printf(out, "  %zu. %s", i + 1, txt);
		if (p->st[i].prechecked)
			buf_append_str(out, "   [checked up front]");
		if (p->st[i].pkey >= 0)
			buf_printf(out, "   [parser cache #%d, shared by equal parsers]", p->st[i].pkey);
		if (p->st[i].pkey >= 0 && (p->st[i].src->kind == LQ_STAGE_JSON || p->st[i].src->kind == LQ_STAGE_LOGFMT) &&
		    p->st[i].src->u.extract.nparams == 0 && !p->eng->hints[p->st[i].pkey].all) {
			const struct logql_hint *h = &p->eng->hints[p->st[i].pkey];
			buf_append_str(out, "   [decides on:");
			for (size_t k = 0; k < h->n; k++)
				buf_printf(out, " %s", h->names[k]);
			buf_append_str(out, "; all keys for kept events]");
		}
		if (p->st[i].src->kind == LQ_STAGE_LINE_FILTER && p->st[i].alts && p->st[i].alts[0].rx >= 0)
			buf_append_str(out, "   [PCRE2 JIT, unanchored]");
		buf_append_char(out, '\n');
		buf_free(&one);
	}
}

/* ---- value conversions -------------------------------------------------------------------------- */

int logql_parse_bytes(const char *s, size_t n, double *out)
{
	static const struct { const char *u; double m; } units[] = {
		{ "b", 1 }, { "kb", 1e3 }, { "k", 1e3 }, { "mb", 1e6 }, { "m", 1e6 }, { "gb", 1e9 },
		{ "g", 1e9 }, { "tb", 1e12 }, { "t", 1e12 }, { "pb", 1e15 }, { "p", 1e15 },
		{ "eb", 1e18 }, { "e", 1e18 }, { "kib", 1024.0 }, { "ki", 1024.0 },
		{ "mib", 1048576.0 }, { "mi", 1048576.0 }, { "gib", 1073741824.0 }, { "gi", 1073741824.0 },
		{ "tib", 1099511627776.0 }, { "ti", 1099511627776.0 }, { "pib", 1125899906842624.0 },
		{ "pi", 1125899906842624.0 }, { "eib", 1152921504606846976.0 }, { "ei", 1152921504606846976.0 },
	};
	char tmp[64];
	size_t i = 0, k;
	while (n > 0 && s[n - 1] == ' ')
		n--;
	if (n == 0 || n >= sizeof(tmp))
		return -1;
	while (i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.' || (i == 0 && (s[i] == '-' || s[i] == '+'))))
		i++;
	if (i == 0)
		return -1;
	memcpy(tmp, s, i);
	tmp[i] = '\0';
	char *end;
	double v = strtod(tmp, &end);
	if (*end != '\0')
		return -1;
	while (i < n && s[i] == ' ')
		i++;
	if (i == n) {
		*out = v;
		return 0;
	}
	for (k = 0; k < sizeof(units) / sizeof(units[0]); k++)
		if (strlen(units[k].u) == n - i && strncasecmp(units[k].u, s + i, n - i) == 0) {
			*out = v * units[k].m;
			return 0;
		}
	return -1;
}

int logql_parse_duration_seconds(const char *s, size_t n, double *out)
{
	bool neg = false;
	int64_t ns;
	if (n > 0 && (s[0] == '-' || s[0] == '+')) {
		neg = s[0] == '-';
		s++;
		n--;
	}
	if (duration_parse(s, n, &ns) != 0)
		return -1;
	if (n == 1 && s[0] == '0') {	/* Go accepts a bare 0 too */
		*out = 0;
		return 0;
	}
	*out = (neg ? -1.0 : 1.0) * (double)ns / 1e9;
	return 0;
}

/* ---- candidate selection ---------------------------------------------------------------------- */

struct logql_pfset {
	size_t n, words;
	uint64_t *always;	/* pipelines that require no literal */
	size_t nlits;		/* literal ids below this are indexed */
	size_t *first;		/* [nlits + 1]: pipelines of literal id are pipe_of[first[id]..first[id+1]) */
	uint32_t *pipe_of;
	int *keys;		/* the distinct indexed literals (search without a scanner) */
	size_t nkeys;
};

/* The clause a pipeline is indexed by: the one whose shortest literal is
 * longest (longer literals occur in fewer lines). */
static const struct logql_clause *index_clause(const struct logql_pipeline *p)
{
	const struct logql_clause *best = NULL;
	size_t best_len = 0;
	for (size_t i = 0; i < p->npre; i++) {
		size_t m = SIZE_MAX;
		for (size_t k = 0; k < p->pre[i].n; k++)
			if (p->eng->lits[p->pre[i].lits[k]].len < m)
				m = p->eng->lits[p->pre[i].lits[k]].len;
		if (m > 0 && m != SIZE_MAX && m > best_len) {
			best = &p->pre[i];
			best_len = m;
		}
	}
	return best;
}

struct logql_pfset *logql_pfset_new(struct logql_pipeline *const *pipes, size_t n)
{
	struct logql_pfset *s = ward_xcalloc(1, sizeof(*s));
	s->n = n;
	s->words = (n + 63) / 64;
	s->always = ward_xcalloc(s->words + 1, sizeof(uint64_t));
	for (size_t i = 0; i < n; i++)
		if (pipes[i]->eng->nlits > s->nlits)
			s->nlits = pipes[i]->eng->nlits;
	s->first = ward_xcalloc(s->nlits + 2, sizeof(size_t));
	for (size_t i = 0; i < n; i++) {	/* count, then place */
		const struct logql_clause *c = index_clause(pipes[i]);
		if (!c)
			s->always[i / 64] |= UINT64_C(1) << (i % 64);
		for (size_t k = 0; c && k < c->n; k++)
			s->first[c->lits[k] + 1]++;
	}
	for (size_t id = 0; id < s->nlits; id++) {
		if (s->first[id + 1]) {
			s->keys = ward_xrealloc(s->keys, (s->nkeys + 1) * sizeof(int));
			s->keys[s->nkeys++] = (int)id;
		}
		s->first[id + 1] += s->first[id];
	}
	s->pipe_of = ward_xcalloc(s->first[s->nlits] + 1, sizeof(uint32_t));
	size_t *fill = ward_xcalloc(s->nlits + 1, sizeof(size_t));
	for (size_t i = 0; i < n; i++) {
		const struct logql_clause *c = index_clause(pipes[i]);
		for (size_t k = 0; c && k < c->n; k++) {
			size_t id = (size_t)c->lits[k];
			s->pipe_of[s->first[id] + fill[id]++] = (uint32_t)i;
		}
	}
	free(fill);
	return s;
}

void logql_pfset_free(struct logql_pfset *s)
{
	if (!s)
		return;
	free(s->always);
	free(s->first);
	free(s->pipe_of);
	free(s->keys);
	free(s);
}

size_t logql_pfset_words(const struct logql_pfset *s)
{
	return s->words;
}

static void mark_lit(const struct logql_pfset *s, size_t id, uint64_t *cand)
{
	for (size_t k = s->first[id]; k < s->first[id + 1]; k++)
		cand[s->pipe_of[k] / 64] |= UINT64_C(1) << (s->pipe_of[k] % 64);
}

void logql_pfset_candidates(struct logql_ctx *cx, const struct logql_pfset *s, uint64_t *cand)
{
	memcpy(cand, s->always, s->words * sizeof(uint64_t));
	if (cx->ncache_lits < cx->eng->nlits)
		size_caches(cx);
	if (scan_line(cx)) {	/* the scanner covers every literal of the engine */
		for (size_t i = 0; i < cx->nfound; i++)
			if (cx->found[i] < s->nlits)
				mark_lit(s, cx->found[i], cand);
		return;
	}
	/* no scanner (few literals, or the library refused): one by one */
	const char *line = cx->ev->line ? cx->ev->line : "";
	size_t len = cx->ev->line ? cx->ev->line_len : 0;
	for (size_t i = 0; i < s->nkeys; i++)
		if (has_lit(cx, s->keys[i], line, len, true))
			mark_lit(s, (size_t)s->keys[i], cand);
}
