/* logql_eval.c - evaluating a compiled pipeline over the current event:
 * line filters, parsers (run once per event for every pipeline sharing
 * them), label filters, formatting stages, and the result. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logql_engine_int.h"

/* ---- line predicates (cached on the original line) ---------------------------------- */

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

/* Does the current line hold one of c's literals (true when c has none)? */
static bool line_has_one(struct logql_ctx *cx, const struct logql_clause *c)
{
	for (size_t i = 0; i < c->n; i++)
		if (logql_ctx_has_lit(cx, c->lits[i], cx->line, cx->line_len, cx->line_original))
			return true;
	return c->n == 0;
}

static bool alt_matches(struct logql_ctx *cx, const struct calt *a)
{
	if (a->nlits > 0 && (!a->lits_ascii_only || logql_line_ascii(cx)))
		return logql_alt_lits_match(cx, a);
	if (a->is_ip)
		return logql_line_has_ip(cx->line, cx->line_len, &a->ip);
	if (a->lit >= 0)
		return logql_ctx_has_lit(cx, a->lit, cx->line, cx->line_len, cx->line_original);
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

/* Label names are short and mostly differ in their first byte: compared
 * here, not by a memcmp call (once per label per lookup, the lookups once
 * per stage and extracted value). The same pointer is the same name. */
static inline bool same_name(const char *a, const char *b, size_t n)
{
	if (a == b)
		return true;
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

static struct wlabel *find_label(struct logql_ctx *cx, const char *name, size_t nlen)
{
	for (size_t i = cx->nlab; i-- > 0;) {
		struct wlabel *l = &cx->lab[i];
		if (!l->deleted && l->nlen == nlen && same_name(l->name, name, nlen))
			return l;
	}
	return NULL;
}

static bool is_stream_label(struct logql_ctx *cx, const char *name, size_t nlen)
{
	for (size_t i = 0; i < cx->nlab; i++) {
		const struct wlabel *l = &cx->lab[i];
		if (l->origin == ORIG_STREAM && !l->deleted && l->nlen == nlen && same_name(l->name, name, nlen))
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
		l = add_label(cx, logql_arena_dup(cx, name, nlen), nlen, ORIG_EXTRACTED);
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

/* A new parser result holding a copy of v; the caller sets its name. */
static struct pent *new_pent(struct logql_ctx *cx, const char *v, size_t vl)
{
	if (cx->npents == cx->cappents) {
		cx->cappents = cx->cappents ? cx->cappents * 2 : 64;
		cx->pents = ward_xrealloc(cx->pents, cx->cappents * sizeof(*cx->pents));
	}
	struct pent *e = &cx->pents[cx->npents++];
	e->v = logql_arena_dup(cx, v, vl);	/* results are NUL-terminated */
	e->vl = (uint32_t)vl;
	return e;
}

static void push_pent(struct logql_ctx *cx, const char *k, size_t kl, const char *v, size_t vl)
{
	struct pent *e = new_pent(cx, v, vl);
	e->k = logql_arena_dup(cx, k, kl);
	e->kl = (uint32_t)kl;
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
	char err[160];
	err[0] = '\0';	/* not the whole buffer: most runs are regexps, which never write it */
	int rc = 0;
	rec->start = cx->npents;
	rec->err = NULL;
	rec->details = NULL;
	/* a regexp whose required literals the line lacks cannot match: no
	 * labels, as PCRE2 would say, without running it */
	bool skip = st->kind == LQ_STAGE_REGEXP &&
		    (!line_has_one(cx, &cs->need) || (cs->need_too && !line_has_one(cx, cs->need_too)));
	cx->stats.parser_runs += !skip;
	cx->stats.regexp_skipped += skip;
	if (skip) {	/* most regexp stages of a multi-form rule, on most lines */
		rec->end = cx->npents;
		return;
	}
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
				if (nm && logql_re_group(cx->re, g, &a, &b)) {
					/* the name lives in the compiled regex: not copied */
					struct pent *e = new_pent(cx, cx->line + a, b - a);
					e->k = nm;
					e->kl = (uint32_t)strlen(nm);
				}
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
		rec->details = logql_arena_dup(cx, err, strlen(err));
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
			char *n2 = logql_arena_alloc(cx, nlen + 11);
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
	if (rec->end > rec->start || rec->err)	/* a parser that found nothing adds nothing */
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

/* A label regex on value v: rules filtering the same label of one event
 * with the same regex (`user!~...` in several rules) ask once. */
static bool value_rx(struct logql_ctx *cx, int rx, const char *v, size_t vl)
{
	if (cx->vrx_gen[rx] == cx->gen && cx->vrx_ptr[rx] == v && cx->vrx_len[rx] == vl)
		return cx->vrx_val[rx];
	bool m = rx_match(cx, rx, v, vl);
	cx->vrx_gen[rx] = cx->gen;
	cx->vrx_ptr[rx] = v;
	cx->vrx_len[rx] = vl;
	cx->vrx_val[rx] = m;
	return m;
}

static bool match_string(struct logql_ctx *cx, enum logql_match_op op, int rx, const char *want,
			 size_t wlen, const char *v, size_t vl)
{
	switch (op) {
	case LQ_MATCH_EQ: return vl == wlen && !memcmp(v, want, vl);
	case LQ_MATCH_NEQ: return !(vl == wlen && !memcmp(v, want, vl));
	case LQ_MATCH_RE: return value_rx(cx, rx, v, vl);
	case LQ_MATCH_NRE: return !value_rx(cx, rx, v, vl);
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
		v = get_label(cx, f->m.name, cf->name_len, &vl);
		return match_string(cx, f->m.op, cf->rx, f->m.value, f->m.value_len, v ? v : "", v ? vl : 0);
	case LQ_LF_IP: {
		struct ward_ip ip;
		v = get_label(cx, f->m.name, cf->name_len, &vl);
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
	v = get_label(cx, f->name, cf->name_len, &vl);
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
		set_error(cx, "TemplateFormatErr", logql_arena_dup(cx, err, strlen(err)));
		return -1;
	}
	*out = logql_arena_dup(cx, cx->tmp.data ? cx->tmp.data : "", cx->tmp.len);
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
	cx->line = logql_arena_dup(cx, cx->tmp.data ? cx->tmp.data : "", cx->tmp.len);
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
	if (cx->ncache_queries < cx->eng->nqueries)
		logql_ctx_size_caches(cx);
	int q = p->query_id;
	/* an equal query already ran on this event: its answer, and its
	 * result if nothing has replaced it in the working set since */
	if (cx->query_gen[q] == cx->gen && (!cx->query_val[q] || cx->query_last == q)) {
		cx->stats.query_cache_hits++;
		return cx->query_val[q];
	}
	bool kept = (!p->has_hints || eval_once(cx, p, true)) && eval_once(cx, p, false);
	cx->query_gen[q] = cx->gen;
	cx->query_val[q] = kept;
	cx->query_last = q;
	return kept;
}

static bool eval_once(struct logql_ctx *cx, const struct logql_pipeline *p, bool hinted)
{
	const struct ward_event *ev = cx->ev;
	const char *line = ev->line ? ev->line : "";
	size_t len = ev->line ? ev->line_len : 0;
	if (cx->ncache_lits < cx->eng->nlits || cx->ncache_rxs < cx->eng->nrxs ||
	    cx->ncache_pkeys < cx->eng->npkeys || cx->ncache_sels < cx->eng->nsels)
		logql_ctx_size_caches(cx);
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
			any = logql_ctx_has_lit(cx, p->pre[i].lits[k], line, len, true);
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
	cx->query_last = -1;	/* the working set no longer is a query's result */
	for (size_t i = 0; i < post->nst; i++)
		if (!run_stage(cx, &post->st[i]))
			return false;
	return true;
}

void logql_result_set_error(struct logql_ctx *cx, const char *error, const char *details)
{
	cx->query_last = -1;
	set_error(cx, logql_arena_dup(cx, error, strlen(error)),
		  details ? logql_arena_dup(cx, details, strlen(details)) : NULL);
}

/* ---- results ----------------------------------------------------------------------------------- */

static void apply(const struct logql_ctx *cx, struct ward_event *ev, bool borrow);

void logql_apply(const struct logql_ctx *cx, struct ward_event *ev)
{
	apply(cx, ev, false);
}

void logql_apply_borrowed(const struct logql_ctx *cx, struct ward_event *ev)
{
	apply(cx, ev, true);
}

static void apply(const struct logql_ctx *cx, struct ward_event *ev, bool borrow)
{
	char name[WARD_EVENT_MAX_KEY_LEN + 16];
	for (size_t i = 0; i < cx->nlab; i++) {
		const struct wlabel *l = &cx->lab[i];
		if (l->nlen >= sizeof(name) || (!l->deleted && !l->changed))
			continue;	/* too long a name, or nothing to write */
		if (!l->deleted && borrow && l->origin == ORIG_EXTRACTED && !l->name[l->nlen] && !l->val[l->vlen]) {
			event_set_field_ref(ev, l->name, l->nlen, l->val, l->vlen);	/* arena strings */
			continue;
		}
		memcpy(name, l->name, l->nlen);	/* NUL-terminated for the event's setters */
		name[l->nlen] = '\0';
		if (!l->deleted) {
			if (l->origin == ORIG_STREAM)
				event_set_label(ev, name, l->val, l->vlen);
			else
				event_set_field(ev, name, l->val, l->vlen);
			continue;
		}
		bool shadowed = false;
		for (size_t k = i + 1; k < cx->nlab && !shadowed; k++)
			shadowed = !cx->lab[k].deleted && cx->lab[k].nlen == l->nlen &&
				   same_name(cx->lab[k].name, l->name, l->nlen);
		if (!shadowed) {
			if (l->origin == ORIG_STREAM)
				event_del_label(ev, name);
			else
				event_del_field(ev, name);
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

void logql_result_mark(struct logql_ctx *cx)
{
	if (cx->nlab > cx->capmark) {
		cx->capmark = cx->nlab * 2;
		cx->mark = ward_xrealloc(cx->mark, cx->capmark * sizeof(*cx->mark));
	}
	if (cx->nlab)
		memcpy(cx->mark, cx->lab, cx->nlab * sizeof(*cx->mark));
	cx->nmark = cx->nlab;
	cx->mark_gen = cx->gen;
	cx->mark_line = cx->line;
	cx->mark_line_len = cx->line_len;
}

/* Values are compared by pointer: extracted ones point into the line or
 * the ctx's arena, which only grows during an event, so equal pointers
 * (and lengths) are equal values; unequal ones only cost a new apply. */
bool logql_result_is_marked(const struct logql_ctx *cx)
{
	if (cx->mark_gen != cx->gen || cx->nmark != cx->nlab || cx->mark_line != cx->line ||
	    cx->mark_line_len != cx->line_len)
		return false;
	for (size_t i = 0; i < cx->nlab; i++) {
		const struct wlabel *a = &cx->lab[i], *b = &cx->mark[i];
		if (a->name != b->name || a->val != b->val || a->nlen != b->nlen || a->vlen != b->vlen ||
		    a->origin != b->origin || a->deleted != b->deleted || a->changed != b->changed)
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
		if (!cx->lab[k].deleted && cx->lab[k].nlen == l->nlen && same_name(cx->lab[k].name, l->name, l->nlen))
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

