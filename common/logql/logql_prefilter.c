/* logql_prefilter.c - the literals of LogQL line filters: searching one
 * literal (memchr on its rarest byte), the literals a pipeline requires
 * before anything else runs (`|= "x"`, the literal runs of `|~` regexes),
 * one pass for all of an engine's literals (litscan.h), and the
 * candidate index over many pipelines (logql_pfset). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logql_engine_int.h"

static size_t rare_offset(const char *s, size_t len)
{
	size_t best = 0;
	for (size_t i = 1; i < len; i++)
		if (logql_byte_commonness((unsigned char)s[i]) < logql_byte_commonness((unsigned char)s[best]))
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
/* Below this many literals, memchr per literal costs fewer instructions
 * than one scan (measured with Vectorscan: docs/rules.md, "Speed"). */
#ifndef LQ_SCAN_MIN
#define LQ_SCAN_MIN 8
#endif

static int lit_intern(struct logql_engine *e, const char *s, size_t len, bool icase, bool scanned)
{
	size_t i = 0;
	while (i < e->nlits && !(e->lits[i].len == len && e->lits[i].icase == icase &&
				 !memcmp(e->lits[i].s, s, len)))
		i++;
	if (i == e->nlits) {
		e->lits = ward_xrealloc(e->lits, (e->nlits + 1) * sizeof(*e->lits));
		e->lits[i].s = ward_xstrndup(s, len);
		e->lits[i].len = len;
		e->lits[i].rare = len ? rare_offset(s, len) : 0;
		e->lits[i].icase = icase;
		e->lits[i].scanned = false;
		e->nlits++;
	}
	if (scanned && !e->lits[i].scanned) {
		e->lits[i].scanned = true;
		e->nscanned++;
	}
	return (int)i;
}

int logql_lit_intern(struct logql_engine *e, const char *s, size_t len, bool icase)
{
	return lit_intern(e, s, len, icase, true);
}

int logql_lit_intern_gate(struct logql_engine *e, const char *s, size_t len, bool icase)
{
	return lit_intern(e, s, len, icase, false);
}

/* (Re)build the one-pass scanner over every non-empty literal. On failure
 * scan stays NULL and literals are searched one by one. */
static void build_scan(struct logql_engine *e)
{
	e->scan_built_at = e->nscanned;
	if (e->nscanned < LQ_SCAN_MIN || e->no_prefilter)
		return;
	const char **lits = ward_xcalloc(e->nlits, sizeof(*lits));
	size_t *lens = ward_xcalloc(e->nlits, sizeof(*lens));
	bool *icase = ward_xcalloc(e->nlits, sizeof(*icase));
	unsigned *ids = ward_xcalloc(e->nlits, sizeof(*ids));
	size_t n = 0;
	for (size_t i = 0; i < e->nlits; i++) {
		if (e->lits[i].len == 0 || !e->lits[i].scanned)
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

/* ---- required literals (compile time) ---------------------------------------- */

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

/* The literals one of which every line the regex re[0..len) matches holds
 * (logql_regex_required: runs of 3 bytes or more, or shorter ones holding a
 * rare byte): how many were interned into ids, 0 if none (or more than max). */
static size_t regex_clause(struct logql_engine *e, const char *re, size_t len, int *ids, size_t max)
{
	struct logql_req req = { 0 };
	size_t k = logql_regex_required(re, len, 3, &req);
	if (k > max)
		k = 0;
	for (size_t j = 0; j < k; j++)
		ids[j] = lit_intern(e, req.text.data + req.off[j], req.len[j], req.icase, true);
	buf_free(&req.text);
	return k;
}

/* Second clauses kept per regexp stage (logql_regex_required_and). */
#define REQ_AND_MAX 8

/* c: the distinct literals of r, in id order, as gate literals (checked
 * when a regexp stage is reached, each once per event: lit_gen). */
static void clause_from_req(struct logql_engine *e, struct logql_clause *c, const struct logql_req *r)
{
	c->n = 0;
	if (r->n == 0)
		return;
	c->lits = ward_xcalloc(r->n, sizeof(int));
	for (size_t j = 0; j < r->n; j++) {
		int id = lit_intern(e, r->text.data + r->off[j], r->len[j], r->icase, false);
		size_t at = 0;
		while (at < c->n && c->lits[at] < id)
			at++;
		if (at < c->n && c->lits[at] == id)
			continue;
		memmove(c->lits + at + 1, c->lits + at, (c->n - at) * sizeof(int));
		c->lits[at] = id;
		c->n++;
	}
}

static bool clause_same(const struct logql_clause *a, const struct logql_clause *b)
{
	return a->n == b->n && !memcmp(a->lits, b->lits, a->n * sizeof(int));
}

static bool stage_same_regex(const struct cstage *a, const struct cstage *b)
{
	return a->src->u.str.len == b->src->u.str.len &&
	       !memcmp(a->src->u.str.text, b->src->u.str.text, a->src->u.str.len);
}

/* The regexp stages st[0..n) whose regex first appears at i (canon[i] == i;
 * equal regexes share one parser and count once) and are gated by the same
 * first clause as st[self]: how many hold clause c (NULL: how many there are). */
static size_t clause_sharers(struct cstage *const *st, const size_t *canon, size_t n, size_t self,
			     const struct logql_clause *c)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (canon[i] != i || i == canon[self] || !clause_same(&st[i]->need, &st[self]->need))
			continue;
		for (size_t t = 0; t < st[i]->ntoo && c; t++)
			if (clause_same(&st[i]->too[t], c)) {
				k++;
				break;
			}
		k += !c;
	}
	return k;
}

/* Pick each regexp stage's second clause: the one the fewest other regexes
 * with the same first clause hold, none when it is alone with that clause
 * (then nothing says which literal would tell lines apart: a check of a
 * literal on every line the first clause passes only costs) or when every
 * one of its clauses is shared by all of them. That is `sudo` and
 * `su(pam_unix)` beside `:auth): authentication failure; logname=`. */
static void pick_need_too(struct logql_pipeline *const *pipes, size_t n)
{
	struct cstage **st = NULL;
	size_t nst = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < pipes[i]->nst; j++)
			if (pipes[i]->st[j].need.n && pipes[i]->st[j].src->kind == LQ_STAGE_REGEXP) {
				st = ward_xrealloc(st, (nst + 1) * sizeof(*st));
				st[nst++] = &pipes[i]->st[j];
			}
	size_t *canon = ward_xcalloc(nst + 1, sizeof(size_t));
	for (size_t i = 0; i < nst; i++) {
		canon[i] = i;
		for (size_t j = 0; j < i && canon[i] == i; j++)
			if (canon[j] == j && stage_same_regex(st[j], st[i]))
				canon[i] = j;
	}
	for (size_t i = 0; i < nst; i++) {
		struct cstage *s = st[i];
		s->need_too = NULL;
		if (s->ntoo == 0)
			continue;
		size_t best = clause_sharers(st, canon, nst, i, NULL);
		for (size_t t = 0; t < s->ntoo && best; t++) {
			size_t k = clause_sharers(st, canon, nst, i, &s->too[t]);
			if (k < best) {
				best = k;
				s->need_too = &s->too[t];
			}
		}
	}
	free(canon);
	free(st);
}

/* The literals one of which the line must hold for this line filter to
 * keep it (`|= "a" or "b"`; `|~` regexes whose every branch holds a
 * literal run, logql_regex_required): how many were stored in ids, 0 if the
 * filter requires none. */
static size_t filter_clause(struct logql_engine *e, const struct cstage *cs, int *ids, size_t max)
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
		size_t k = regex_clause(e, a->value, a->len, ids + n, max - n);
		if (k == 0)
			return 0;
		n += k;
	}
	return n;
}

/* The bytes the original line can start with for this line filter to
 * keep it (every alternative a regex anchored at the start,
 * logql_regex_first_bytes), intersected into p->first. */
static void filter_first_bytes(struct logql_pipeline *p, const struct logql_line_filter *lf)
{
	uint8_t any[32] = { 0 };
	if (lf->op != LQ_LINE_MATCH || lf->nalts == 0)
		return;
	for (size_t i = 0; i < lf->nalts; i++) {
		const struct logql_line_alt *a = &lf->alts[i];
		if (a->is_ip || !logql_regex_first_bytes(a->value, a->len, any))
			return;
	}
	if (!p->has_first)
		memset(p->first, 0xff, sizeof(p->first));
	for (size_t b = 0; b < sizeof(p->first); b++)
		p->first[b] &= any[b];
	p->has_first = true;
}

/* Literals the original line must contain for the pipeline to keep it:
 * from `|=` and `|~` filters, up to the first stage that changes the line. */
void logql_prefilter_compile(struct logql_engine *e, struct logql_pipeline *p)
{
	int ids[LOGQL_REQ_MAX_ALTS];
	for (size_t i = 0; i < p->nst; i++) {	/* regexp parsers: on whatever line they see */
		struct cstage *cs = &p->st[i];
		if (cs->src->kind != LQ_STAGE_REGEXP)
			continue;
		struct logql_req req = { 0 }, also[REQ_AND_MAX];	/* req_copy fills the rest */
		for (size_t j = 0; j < REQ_AND_MAX; j++)
			also[j].text = (struct ward_buf)WARD_BUF_INIT;
		size_t k = logql_regex_required_and(cs->src->u.str.text, cs->src->u.str.len, 3, &req, also,
						    REQ_AND_MAX);
		clause_from_req(e, &cs->need, &req);
		cs->too = k ? ward_xcalloc(k, sizeof(*cs->too)) : NULL;
		for (size_t j = 0; j < k; j++)
			clause_from_req(e, &cs->too[cs->ntoo++], &also[j]);
		buf_free(&req.text);
		for (size_t j = 0; j < REQ_AND_MAX; j++)
			buf_free(&also[j].text);
	}
	for (size_t i = 0; i < p->nst; i++) {
		struct cstage *cs = &p->st[i];
		enum logql_stage_kind k = cs->src->kind;
		if (k == LQ_STAGE_LINE_FORMAT || k == LQ_STAGE_DECOLORIZE || k == LQ_STAGE_UNPACK)
			break;
		if (k != LQ_STAGE_LINE_FILTER)
			continue;
		size_t n = filter_clause(e, cs, ids, LOGQL_REQ_MAX_ALTS);
		add_pre(p, ids, n);
		filter_first_bytes(p, &cs->src->u.line);
		if (n > 0 && cs->src->u.line.op == LQ_LINE_CONTAINS)
			cs->prechecked = true;	/* the clause is the whole filter */
	}
}

/* ---- literals per event (cached on the original line) ---------------------------------- */

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
	if (e->scan_built_at != e->nscanned)
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

/* logql_ctx_has_lit when the answer is not cached. */
bool logql_ctx_has_lit_search(struct logql_ctx *cx, int id, const char *line, size_t len, bool original)
{
	const struct logql_lit *l = &cx->eng->lits[id];
	const struct logql_engine *e = cx->eng;
	if (original && l->len > 0 && l->scanned && (e->scan || e->scan_built_at != e->nscanned) &&
	    scan_line(cx) && (size_t)id < e->scan_nlits) {
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

/* ---- candidate selection ---------------------------------------------------------------------- */

struct logql_pfset {
	size_t n, words;
	uint64_t *always;	/* pipelines that require no literal */
	size_t nlits;		/* literal ids below this are indexed */
	size_t *first;		/* [nlits + 1]: pipelines of literal id are pipe_of[first[id]..first[id+1]) */
	uint32_t *pipe_of;
	int *keys;		/* the distinct indexed literals (search without a scanner) */
	size_t nkeys;
	uint64_t *ruled_out;	/* [257][words]: pipelines a line starting with byte b
				 * (256: an empty line) cannot match; NULL if none */
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
	pick_need_too(pipes, n);
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
	for (size_t i = 0; i < n; i++) {
		if (!pipes[i]->has_first)
			continue;
		if (!s->ruled_out)
			s->ruled_out = ward_xcalloc(257 * s->words, sizeof(uint64_t));
		for (size_t b = 0; b < 257; b++)
			if (b == 256 || !(pipes[i]->first[b / 8] >> (b % 8) & 1))
				s->ruled_out[b * s->words + i / 64] |= UINT64_C(1) << (i % 64);
	}
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
	free(s->ruled_out);
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
		logql_ctx_size_caches(cx);
	const char *line = cx->ev->line ? cx->ev->line : "";
	size_t len = cx->ev->line ? cx->ev->line_len : 0;
	if (scan_line(cx)) {	/* the scanner covers every literal of the engine */
		for (size_t i = 0; i < cx->nfound; i++)
			if (cx->found[i] < s->nlits)
				mark_lit(s, cx->found[i], cand);
	} else {	/* no scanner (few literals, or the library refused): one by one */
		for (size_t i = 0; i < s->nkeys; i++)
			if (logql_ctx_has_lit(cx, s->keys[i], line, len, true))
				mark_lit(s, (size_t)s->keys[i], cand);
	}
	if (s->ruled_out) {	/* regexes anchored at the start */
		const uint64_t *out = s->ruled_out + (len ? (unsigned char)line[0] : 256) * s->words;
		for (size_t w = 0; w < s->words; w++)
			cand[w] &= ~out[w];
	}
}
