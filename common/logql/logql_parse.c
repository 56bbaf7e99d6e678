/* logql_parse.c - recursive-descent parser for the whole LogQL grammar.
 *
 * Error handling: every node is linked into its parent as soon as it is
 * allocated, so a parse function that fails sets p->failed and returns the
 * partial node; the top level frees the whole partial tree. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "logql.h"
#include "logql_lex_int.h"
#include "wtime.h"

struct parser {
	struct logql_lexer lx;
	struct logql_error *err;
	bool failed;
	unsigned depth;
	unsigned lf_nodes;	/* label filter operators: evaluation recurses */
};

#define LOGQL_MAX_LABEL_FILTERS 10000

/* ---- helpers ------------------------------------------------------------ */

static void fail_at(struct parser *p, size_t pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#include <stdarg.h>
static void fail_at(struct parser *p, size_t pos, const char *fmt, ...)
{
	if (p->failed)
		return;
	p->failed = true;
	p->err->pos = pos;
	logql_pos_linecol(p->lx.src, p->lx.len, pos, &p->err->line, &p->err->col);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->err->msg, sizeof(p->err->msg), fmt, ap);
	va_end(ap);
}

/* "expected X, got Y" at the current token. */
static void expected(struct parser *p, const char *what)
{
	if (p->lx.tok == TK_ERROR) {
		fail_at(p, p->lx.tok_pos, "%s", p->lx.errmsg);
		return;
	}
	if (p->lx.tok == TK_IDENT || p->lx.tok == TK_NUMBER || p->lx.tok == TK_FLAG) {
		int n = p->lx.text_len > 40 ? 40 : (int)p->lx.text_len;
		fail_at(p, p->lx.tok_pos, "expected %s, got \"%.*s\"", what, n, p->lx.text);
	} else {
		fail_at(p, p->lx.tok_pos, "expected %s, got %s", what, logql_tok_name(p->lx.tok));
	}
}

static void next(struct parser *p)
{
	logql_lex_next(&p->lx);
}

static bool at(const struct parser *p, enum logql_tok t)
{
	return p->lx.tok == t;
}

static bool at_kw(const struct parser *p, const char *kw)
{
	return p->lx.tok == TK_IDENT && p->lx.text_len == strlen(kw) &&
	       strncasecmp(p->lx.text, kw, p->lx.text_len) == 0;
}

static bool accept(struct parser *p, enum logql_tok t)
{
	if (!at(p, t))
		return false;
	next(p);
	return true;
}

static bool expect(struct parser *p, enum logql_tok t, const char *what)
{
	if (accept(p, t))
		return true;
	expected(p, what);
	return false;
}

static char *tok_dup(const struct parser *p)
{
	return ward_xstrndup(p->lx.text, p->lx.text_len);
}

/* Grow an array of n elements of size sz by one zeroed element. */
static void *grow(void *arr, size_t *n, size_t sz)
{
	char *a = ward_xrealloc(arr, (*n + 1) * sz);
	memset(a + *n * sz, 0, sz);
	(*n)++;
	return a;
}
#define GROW(arr, n) ((arr) = grow((arr), &(n), sizeof(*(arr))), &(arr)[(n) - 1])

static bool enter(struct parser *p)
{
	if (++p->depth > LOGQL_MAX_DEPTH) {
		fail_at(p, p->lx.tok_pos, "expression nested deeper than %d", LOGQL_MAX_DEPTH);
		return false;
	}
	return true;
}

/* String token -> owned copy (with length, may hold NUL bytes). */
static bool take_string(struct parser *p, char **out, size_t *len, const char *what)
{
	if (!at(p, TK_STRING)) {
		expected(p, what);
		return false;
	}
	*out = ward_xmalloc(p->lx.text_len + 1);
	memcpy(*out, p->lx.text, p->lx.text_len);
	(*out)[p->lx.text_len] = '\0';
	if (len)
		*len = p->lx.text_len;
	next(p);
	return true;
}

static bool take_ident(struct parser *p, char **out, const char *what)
{
	if (!at(p, TK_IDENT)) {
		expected(p, what);
		return false;
	}
	*out = tok_dup(p);
	next(p);
	return true;
}

static bool parse_plain_number(const char *s, size_t n, double *out)
{
	char tmp[64];
	char *end;
	if (n == 0 || n >= sizeof(tmp))
		return false;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	if (!strcasecmp(tmp, "inf") || !strcasecmp(tmp, "nan"))
		return false;
	*out = strtod(tmp, &end);
	/* 1e999 overflows to infinity, whose canonical text "inf" is no
	 * literal (found by fuzz_logql): refuse it as out of range. */
	return *end == '\0' && isfinite(*out);
}

static bool take_duration(struct parser *p, int64_t *ns)
{
	if (!at(p, TK_NUMBER) || duration_parse(p->lx.text, p->lx.text_len, ns) != 0) {
		expected(p, "a duration such as 5m");
		return false;
	}
	next(p);
	return true;
}

/* ---- stream selector ----------------------------------------------------- */

static bool match_op(enum logql_tok t, enum logql_match_op *op)
{
	switch (t) {
	case TK_EQ: *op = LQ_MATCH_EQ; return true;
	case TK_NEQ: *op = LQ_MATCH_NEQ; return true;
	case TK_RE: *op = LQ_MATCH_RE; return true;
	case TK_NRE: *op = LQ_MATCH_NRE; return true;
	default: return false;
	}
}

static void parse_matcher(struct parser *p, struct logql_matcher *m)
{
	m->pos = p->lx.tok_pos;
	if (!take_ident(p, &m->name, "a label name"))
		return;
	if (!match_op(p->lx.tok, &m->op)) {
		expected(p, "one of = != =~ !~");
		return;
	}
	next(p);
	take_string(p, &m->value, &m->value_len, "a string");
}

static void parse_selector(struct parser *p, struct logql_log_query *q)
{
	q->pos = p->lx.tok_pos;
	if (!expect(p, TK_LBRACE, "'{'"))
		return;
	do {
		if (at(p, TK_RBRACE) && q->nmatchers > 0)
			break;	/* trailing comma */
		struct logql_matcher *m = GROW(q->matchers, q->nmatchers);
		parse_matcher(p, m);
		if (p->failed)
			return;
	} while (accept(p, TK_COMMA));
	expect(p, TK_RBRACE, "',' or '}'");
}

/* ---- line filters -------------------------------------------------------- */

static void parse_line_alt(struct parser *p, struct logql_line_filter *lf)
{
	struct logql_line_alt *a = GROW(lf->alts, lf->nalts);
	a->pos = p->lx.tok_pos;
	if (at_kw(p, "ip") && logql_lex_peek(&p->lx) == TK_LPAREN) {
		if (lf->op != LQ_LINE_CONTAINS && lf->op != LQ_LINE_NOT_CONTAINS) {
			fail_at(p, a->pos, "ip() is only allowed with |= and !=");
			return;
		}
		next(p);
		next(p);
		a->is_ip = true;
		if (take_string(p, &a->value, &a->len, "an address, range or CIDR string"))
			expect(p, TK_RPAREN, "')'");
		return;
	}
	take_string(p, &a->value, &a->len, "a string or ip(\"...\")");
}

static void parse_line_filter(struct parser *p, struct logql_stage *st)
{
	static const struct { enum logql_tok t; enum logql_line_op op; } ops[] = {
		{ TK_PIPE_EQ, LQ_LINE_CONTAINS }, { TK_NEQ, LQ_LINE_NOT_CONTAINS },
		{ TK_PIPE_RE, LQ_LINE_MATCH }, { TK_NRE, LQ_LINE_NOT_MATCH },
		{ TK_PIPE_PAT, LQ_LINE_PATTERN }, { TK_NOT_PAT, LQ_LINE_NOT_PATTERN },
	};
	st->kind = LQ_STAGE_LINE_FILTER;
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (ops[i].t == p->lx.tok)
			st->u.line.op = ops[i].op;
	next(p);
	parse_line_alt(p, &st->u.line);
	while (!p->failed && at_kw(p, "or")) {
		enum logql_tok t = logql_lex_peek(&p->lx);
		if (t != TK_STRING && t != TK_IDENT)
			break;
		next(p);
		parse_line_alt(p, &st->u.line);
	}
}

static bool is_line_filter_tok(enum logql_tok t)
{
	return t == TK_PIPE_EQ || t == TK_NEQ || t == TK_PIPE_RE || t == TK_NRE ||
	       t == TK_PIPE_PAT || t == TK_NOT_PAT;
}

/* ---- label filters ------------------------------------------------------- */

static bool cmp_op(enum logql_tok t, enum logql_cmp_op *op)
{
	switch (t) {
	case TK_EQ: case TK_EQEQ: *op = LQ_CMP_EQ; return true;
	case TK_NEQ: *op = LQ_CMP_NEQ; return true;
	case TK_GT: *op = LQ_CMP_GT; return true;
	case TK_GE: *op = LQ_CMP_GE; return true;
	case TK_LT: *op = LQ_CMP_LT; return true;
	case TK_LE: *op = LQ_CMP_LE; return true;
	default: return false;
	}
}

/* A number, duration or bytes literal (with optional sign) into f. */
static void parse_lf_value(struct parser *p, struct logql_label_filter *f)
{
	bool neg = false;
	if (accept(p, TK_SUB))
		neg = true;
	else
		accept(p, TK_ADD);
	if (!at(p, TK_NUMBER)) {
		expected(p, "a string, number, duration or bytes value");
		return;
	}
	int64_t ns;
	double v;
	if (parse_plain_number(p->lx.text, p->lx.text_len, &v)) {
		f->kind = LQ_LF_NUMBER;
	} else if (duration_parse(p->lx.text, p->lx.text_len, &ns) == 0) {
		f->kind = LQ_LF_DURATION;
		v = (double)ns / 1e9;
	} else if (logql_parse_bytes(p->lx.text, p->lx.text_len, &v) == 0) {
		f->kind = LQ_LF_BYTES;
	} else {
		expected(p, "a number, duration or bytes value");
		return;
	}
	/* beyond int64 a value has no exact text to print it back as (the
	 * canonical form must parse to the same query) and no field holds it */
	if (!(v < 9.2e18)) {
		expected(p, "a number, duration or bytes value below 9.2e18");
		return;
	}
	f->number = neg ? -v : v;
	next(p);
}

static void parse_lf_leaf(struct parser *p, struct logql_label_filter *f)
{
	f->pos = p->lx.tok_pos;
	if (!at(p, TK_IDENT)) {
		expected(p, "a label name or '('");
		return;
	}
	char *name = tok_dup(p);
	next(p);
	enum logql_tok op = p->lx.tok;
	if ((op == TK_EQ || op == TK_NEQ) && logql_lex_peek(&p->lx) == TK_IDENT) {
		next(p);
		if (!at_kw(p, "ip")) {
			free(name);
			expected(p, "a string, number or ip(\"...\")");
			return;
		}
		f->kind = LQ_LF_IP;
		f->m.name = name;
		f->m.op = op == TK_EQ ? LQ_MATCH_EQ : LQ_MATCH_NEQ;
		f->m.pos = f->pos;
		next(p);
		if (expect(p, TK_LPAREN, "'('") &&
		    take_string(p, &f->m.value, &f->m.value_len, "an address, range or CIDR string"))
			expect(p, TK_RPAREN, "')'");
		return;
	}
	if (match_op(op, &f->m.op) && logql_lex_peek(&p->lx) == TK_STRING) {
		f->kind = LQ_LF_STRING;
		f->m.name = name;
		f->m.pos = f->pos;
		next(p);
		take_string(p, &f->m.value, &f->m.value_len, "a string");
		return;
	}
	f->kind = LQ_LF_NUMBER;
	f->name = name;
	if (!cmp_op(op, &f->cmp)) {
		expected(p, "a comparison operator");
		return;
	}
	next(p);
	parse_lf_value(p, f);
}

static struct logql_label_filter *parse_lf_or(struct parser *p);

static struct logql_label_filter *parse_lf_primary(struct parser *p)
{
	if (at(p, TK_LPAREN)) {
		if (!enter(p))
			return NULL;
		next(p);
		struct logql_label_filter *f = parse_lf_or(p);
		p->depth--;
		if (!p->failed)
			expect(p, TK_RPAREN, "')'");
		return f;
	}
	struct logql_label_filter *f = ward_xcalloc(1, sizeof(*f));
	parse_lf_leaf(p, f);
	return f;
}

static struct logql_label_filter *lf_pair(struct parser *p, enum logql_lf_kind k,
					  struct logql_label_filter *l, size_t pos)
{
	if (++p->lf_nodes > LOGQL_MAX_LABEL_FILTERS)
		fail_at(p, pos, "more than %d label filters in one query", LOGQL_MAX_LABEL_FILTERS);
	struct logql_label_filter *f = ward_xcalloc(1, sizeof(*f));
	f->kind = k;
	f->left = l;
	f->pos = pos;
	return f;
}

/* Loki's grammar (syntax.y): `or` < `and` by precedence, while `,` and
 * juxtaposition (`a b`) have none, so yacc shifts: they take the operand
 * just before them as left side and the whole rest of the filter as right
 * side. `a, b or c` is `a and (b or c)`; `a or b, c` is `a or (b and c)`.
 * Built without recursion per comma: *rm is the slot that holds the
 * rightmost operand parsed so far. */
static struct logql_label_filter *parse_lf_and(struct parser *p, struct logql_label_filter ***rm)
{
	struct logql_label_filter *l = parse_lf_primary(p);
	*rm = NULL;	/* the result itself */
	while (!p->failed && at_kw(p, "and")) {
		size_t pos = p->lx.tok_pos;
		next(p);
		l = lf_pair(p, LQ_LF_AND, l, pos);
		l->right = parse_lf_primary(p);
		*rm = &l->right;
	}
	return l;
}

static struct logql_label_filter *parse_lf_andor(struct parser *p, struct logql_label_filter ***rm)
{
	struct logql_label_filter **rm_and;
	struct logql_label_filter *l = parse_lf_and(p, &rm_and);
	*rm = rm_and;
	while (!p->failed && at_kw(p, "or")) {
		size_t pos = p->lx.tok_pos;
		next(p);
		l = lf_pair(p, LQ_LF_OR, l, pos);
		l->right = parse_lf_and(p, &rm_and);
		*rm = rm_and ? rm_and : &l->right;
	}
	return l;
}

static bool at_lf_juxtaposed(const struct parser *p)
{
	return at(p, TK_LPAREN) || (at(p, TK_IDENT) && !at_kw(p, "or") && !at_kw(p, "and"));
}

static struct logql_label_filter *parse_lf_or(struct parser *p)
{
	struct logql_label_filter *root = NULL, **slot = &root;
	for (;;) {
		struct logql_label_filter **rm;
		*slot = parse_lf_andor(p, &rm);
		if (!rm)
			rm = slot;
		if (p->failed)
			break;
		size_t pos = p->lx.tok_pos;
		if (accept(p, TK_COMMA)) {
			if (!at(p, TK_LPAREN) && !at(p, TK_IDENT)) {
				expected(p, "a label filter after ','");
				break;
			}
		} else if (!at_lf_juxtaposed(p)) {
			break;
		}
		/* rightmost operand AND (the rest) */
		struct logql_label_filter *n = lf_pair(p, LQ_LF_AND, *rm, pos);
		*rm = n;
		slot = &n->right;
	}
	return root;
}

/* ---- parser stages --------------------------------------------------------- */

static void parse_extract_params(struct parser *p, struct logql_stage *st)
{
	while (at(p, TK_IDENT)) {
		struct logql_extract_param *ep = GROW(st->u.extract.params, st->u.extract.nparams);
		ep->name = tok_dup(p);
		next(p);
		if (accept(p, TK_EQ)) {
			if (!take_string(p, &ep->path, NULL, "a path string"))
				return;
		} else {
			ep->path = ward_xstrdup(ep->name);
		}
		if (!accept(p, TK_COMMA))
			return;
		if (!at(p, TK_IDENT)) {
			expected(p, "a label name");
			return;
		}
	}
}

static void parse_logfmt(struct parser *p, struct logql_stage *st)
{
	while (at(p, TK_FLAG)) {
		if (p->lx.text_len == 8 && !strncmp(p->lx.text, "--strict", 8))
			st->u.extract.strict = true;
		else if (p->lx.text_len == 12 && !strncmp(p->lx.text, "--keep-empty", 12))
			st->u.extract.keep_empty = true;
		else {
			expected(p, "--strict or --keep-empty");
			return;
		}
		next(p);
	}
	parse_extract_params(p, st);
}

static void parse_label_format(struct parser *p, struct logql_stage *st)
{
	do {
		struct logql_label_fmt *lf = GROW(st->u.lfmt.items, st->u.lfmt.n);
		if (!take_ident(p, &lf->dst, "a label name") || !expect(p, TK_EQ, "'='"))
			return;
		if (at(p, TK_STRING)) {
			take_string(p, &lf->tmpl, NULL, "a template");
		} else if (!take_ident(p, &lf->src, "a label name or a template string")) {
			return;
		}
		for (size_t i = 0; i + 1 < st->u.lfmt.n; i++)
			if (!strcmp(st->u.lfmt.items[i].dst, lf->dst)) {
				fail_at(p, st->pos, "label_format: label %s set twice", lf->dst);
				return;
			}
	} while (accept(p, TK_COMMA));
}

static void parse_names(struct parser *p, struct logql_stage *st)
{
	do {
		struct logql_name_matcher *nm = GROW(st->u.names.items, st->u.names.n);
		nm->m.pos = p->lx.tok_pos;
		if (!take_ident(p, &nm->m.name, "a label name"))
			return;
		if (match_op(p->lx.tok, &nm->m.op)) {
			next(p);
			take_string(p, &nm->m.value, &nm->m.value_len, "a string");
		} else {
			nm->bare = true;
		}
	} while (!p->failed && accept(p, TK_COMMA));
}

/* `| word ...` for the named stages; returns false if word is not one. */
static bool parse_named_stage(struct parser *p, struct logql_stage *st)
{
	static const struct { const char *kw; enum logql_stage_kind k; } kws[] = {
		{ "json", LQ_STAGE_JSON }, { "logfmt", LQ_STAGE_LOGFMT },
		{ "regexp", LQ_STAGE_REGEXP }, { "pattern", LQ_STAGE_PATTERN },
		{ "unpack", LQ_STAGE_UNPACK }, { "line_format", LQ_STAGE_LINE_FORMAT },
		{ "label_format", LQ_STAGE_LABEL_FORMAT }, { "drop", LQ_STAGE_DROP },
		{ "keep", LQ_STAGE_KEEP }, { "decolorize", LQ_STAGE_DECOLORIZE },
	};
	size_t i;
	for (i = 0; i < sizeof(kws) / sizeof(kws[0]); i++)
		if (at_kw(p, kws[i].kw))
			break;
	if (i == sizeof(kws) / sizeof(kws[0]))
		return false;
	/* `| json = "x"` would be a label filter on a label called json */
	enum logql_tok t = logql_lex_peek(&p->lx);
	if (t == TK_EQ || t == TK_NEQ || t == TK_RE || t == TK_NRE || t == TK_GT ||
	    t == TK_GE || t == TK_LT || t == TK_LE || t == TK_EQEQ)
		if (kws[i].k != LQ_STAGE_JSON && kws[i].k != LQ_STAGE_LOGFMT)
			return false;
	st->kind = kws[i].k;
	next(p);
	switch (st->kind) {
	case LQ_STAGE_JSON: parse_extract_params(p, st); break;
	case LQ_STAGE_LOGFMT: parse_logfmt(p, st); break;
	case LQ_STAGE_REGEXP: case LQ_STAGE_PATTERN: case LQ_STAGE_LINE_FORMAT:
		take_string(p, &st->u.str.text, &st->u.str.len, "a string");
		break;
	case LQ_STAGE_LABEL_FORMAT: parse_label_format(p, st); break;
	case LQ_STAGE_DROP: case LQ_STAGE_KEEP: parse_names(p, st); break;
	default: break;
	}
	return true;
}

static void parse_unwrap(struct parser *p, struct logql_unwrap *uw)
{
	uw->pos = p->lx.tok_pos;
	next(p);	/* unwrap */
	if ((at_kw(p, "duration") || at_kw(p, "duration_seconds") || at_kw(p, "bytes")) &&
	    logql_lex_peek(&p->lx) == TK_LPAREN) {
		uw->conv = at_kw(p, "bytes") ? LQ_UNWRAP_BYTES : LQ_UNWRAP_DURATION;
		next(p);
		next(p);
		if (take_ident(p, &uw->label, "a label name"))
			expect(p, TK_RPAREN, "')'");
		return;
	}
	take_ident(p, &uw->label, "a label name");
}

/* The pipeline after a selector. With uw != NULL, `| unwrap` is allowed
 * (range aggregations) and only label filters may follow it. */
static void parse_pipeline(struct parser *p, struct logql_log_query *q, struct logql_unwrap **uw)
{
	while (!p->failed) {
		if (is_line_filter_tok(p->lx.tok)) {
			if (uw && *uw) {
				fail_at(p, p->lx.tok_pos, "only label filters may follow unwrap");
				return;
			}
			struct logql_stage *st = GROW(q->stages, q->nstages);
			st->pos = p->lx.tok_pos;
			parse_line_filter(p, st);
			continue;
		}
		if (!at(p, TK_PIPE))
			return;
		next(p);
		if (at_kw(p, "unwrap") && logql_lex_peek(&p->lx) != TK_EQ) {
			if (!uw || *uw) {
				fail_at(p, p->lx.tok_pos, uw ? "unwrap given twice" :
					"unwrap is only allowed inside a range aggregation");
				return;
			}
			*uw = ward_xcalloc(1, sizeof(**uw));
			parse_unwrap(p, *uw);
			continue;
		}
		struct logql_stage *st;
		if (uw && *uw)
			st = GROW((*uw)->post, (*uw)->npost);
		else
			st = GROW(q->stages, q->nstages);
		st->pos = p->lx.tok_pos;
		if (!(uw && *uw) && parse_named_stage(p, st))
			continue;
		st->kind = LQ_STAGE_LABEL_FILTER;
		st->u.filter = parse_lf_or(p);
	}
}

/* ---- metric expressions ----------------------------------------------------- */

static struct logql_expr *parse_expr(struct parser *p, int min_prec);

static struct logql_expr *new_expr(enum logql_expr_kind k, size_t pos)
{
	struct logql_expr *e = ward_xcalloc(1, sizeof(*e));
	e->kind = k;
	e->pos = pos;
	return e;
}

static void parse_label_list(struct parser *p, char ***labels, size_t *n)
{
	if (!expect(p, TK_LPAREN, "'('"))
		return;
	while (at(p, TK_IDENT)) {
		char **slot = GROW(*labels, *n);
		*slot = tok_dup(p);
		next(p);
		if (!accept(p, TK_COMMA))
			break;
	}
	expect(p, TK_RPAREN, "a label name or ')'");
}

static bool at_grouping(const struct parser *p)
{
	return at_kw(p, "by") || at_kw(p, "without");
}

static void parse_grouping(struct parser *p, struct logql_grouping *g)
{
	if (g->kind != LQ_GROUP_NONE) {
		fail_at(p, p->lx.tok_pos, "grouping given twice");
		return;
	}
	g->kind = at_kw(p, "by") ? LQ_GROUP_BY : LQ_GROUP_WITHOUT;
	next(p);
	parse_label_list(p, &g->labels, &g->nlabels);
}

static const struct { const char *name; enum logql_range_fn fn; } range_fns[] = {
	{ "count_over_time", LQ_RANGE_COUNT_OVER_TIME }, { "rate", LQ_RANGE_RATE },
	{ "rate_counter", LQ_RANGE_RATE_COUNTER },
	{ "bytes_over_time", LQ_RANGE_BYTES_OVER_TIME }, { "bytes_rate", LQ_RANGE_BYTES_RATE },
	{ "absent_over_time", LQ_RANGE_ABSENT_OVER_TIME },
	{ "sum_over_time", LQ_RANGE_SUM_OVER_TIME }, { "avg_over_time", LQ_RANGE_AVG_OVER_TIME },
	{ "min_over_time", LQ_RANGE_MIN_OVER_TIME }, { "max_over_time", LQ_RANGE_MAX_OVER_TIME },
	{ "stdvar_over_time", LQ_RANGE_STDVAR_OVER_TIME },
	{ "stddev_over_time", LQ_RANGE_STDDEV_OVER_TIME },
	{ "quantile_over_time", LQ_RANGE_QUANTILE_OVER_TIME },
	{ "first_over_time", LQ_RANGE_FIRST_OVER_TIME }, { "last_over_time", LQ_RANGE_LAST_OVER_TIME },
};

static const struct { const char *name; enum logql_vector_op op; } vector_ops[] = {
	{ "sum", LQ_VEC_SUM }, { "avg", LQ_VEC_AVG }, { "min", LQ_VEC_MIN }, { "max", LQ_VEC_MAX },
	{ "count", LQ_VEC_COUNT }, { "stddev", LQ_VEC_STDDEV }, { "stdvar", LQ_VEC_STDVAR },
	{ "topk", LQ_VEC_TOPK }, { "bottomk", LQ_VEC_BOTTOMK }, { "sort", LQ_VEC_SORT },
	{ "sort_desc", LQ_VEC_SORT_DESC }, { "approx_topk", LQ_VEC_APPROX_TOPK },
};

const char *logql_range_fn_name(enum logql_range_fn fn)
{
	for (size_t i = 0; i < sizeof(range_fns) / sizeof(range_fns[0]); i++)
		if (range_fns[i].fn == fn)
			return range_fns[i].name;
	return "?";
}

const char *logql_vector_op_name(enum logql_vector_op op)
{
	for (size_t i = 0; i < sizeof(vector_ops) / sizeof(vector_ops[0]); i++)
		if (vector_ops[i].op == op)
			return vector_ops[i].name;
	return "?";
}

static bool fn_needs_unwrap(enum logql_range_fn fn)
{
	return fn >= LQ_RANGE_SUM_OVER_TIME || fn == LQ_RANGE_RATE_COUNTER;
}

static void parse_number_param(struct parser *p, double *v)
{
	bool neg = accept(p, TK_SUB);
	if (!at(p, TK_NUMBER) || !parse_plain_number(p->lx.text, p->lx.text_len, v)) {
		expected(p, "a number");
		return;
	}
	if (neg)
		*v = -*v;
	next(p);
}

/* `{sel} pipeline [r]`, `{sel} [r] pipeline`, or `({sel} pipeline)[r]`,
 * each with optional `offset d`. */
static void parse_log_range(struct parser *p, struct logql_range_agg *r)
{
	bool paren = accept(p, TK_LPAREN);
	r->query = ward_xcalloc(1, sizeof(*r->query));
	parse_selector(p, r->query);
	bool have_range = false;
	if (!p->failed && at(p, TK_LBRACK)) {
		next(p);
		if (take_duration(p, &r->range_ns) && expect(p, TK_RBRACK, "']'"))
			have_range = true;
	}
	if (!p->failed)
		parse_pipeline(p, r->query, &r->unwrap);
	if (!p->failed && paren)
		expect(p, TK_RPAREN, "')'");
	if (!p->failed && !have_range) {
		if (!expect(p, TK_LBRACK, "a range such as [5m]"))
			return;
		if (!take_duration(p, &r->range_ns) || !expect(p, TK_RBRACK, "']'"))
			return;
	}
	if (!p->failed && at_kw(p, "offset")) {
		next(p);
		take_duration(p, &r->offset_ns);
	}
	if (!p->failed && r->range_ns <= 0)
		fail_at(p, r->query->pos, "the range must be positive");
}

static void parse_range_agg(struct parser *p, struct logql_expr *e, enum logql_range_fn fn)
{
	struct logql_range_agg *r = &e->u.range;
	r->fn = fn;
	next(p);
	if (!expect(p, TK_LPAREN, "'('"))
		return;
	if (fn == LQ_RANGE_QUANTILE_OVER_TIME) {
		r->has_param = true;
		parse_number_param(p, &r->param);
		if (p->failed || !expect(p, TK_COMMA, "','"))
			return;
	}
	parse_log_range(p, r);
	if (p->failed || !expect(p, TK_RPAREN, "')'"))
		return;
	if (fn_needs_unwrap(fn) && !r->unwrap) {
		fail_at(p, e->pos, "%s needs | unwrap <label>", logql_range_fn_name(fn));
		return;
	}
	if (!fn_needs_unwrap(fn) && fn != LQ_RANGE_ABSENT_OVER_TIME && r->unwrap &&
	    fn != LQ_RANGE_RATE) {
		fail_at(p, e->pos, "%s does not take unwrap", logql_range_fn_name(fn));
		return;
	}
	if (at_grouping(p))
		parse_grouping(p, &r->grouping);
}

static void parse_vector_agg(struct parser *p, struct logql_expr *e, enum logql_vector_op op)
{
	struct logql_vector_agg *v = &e->u.vagg;
	v->op = op;
	next(p);
	if (at_grouping(p))
		parse_grouping(p, &v->grouping);
	if (p->failed || !expect(p, TK_LPAREN, "'('"))
		return;
	if (op == LQ_VEC_TOPK || op == LQ_VEC_BOTTOMK || op == LQ_VEC_APPROX_TOPK) {
		v->has_param = true;
		parse_number_param(p, &v->param);
		if (p->failed || !expect(p, TK_COMMA, "','"))
			return;
		if (v->param < 1 || v->param != floor(v->param)) {
			fail_at(p, e->pos, "%s: k must be a positive integer", logql_vector_op_name(op));
			return;
		}
	}
	v->inner = parse_expr(p, 0);
	if (p->failed || !expect(p, TK_RPAREN, "')'"))
		return;
	if (v->inner->kind == LQ_EXPR_LOG || v->inner->kind == LQ_EXPR_LITERAL) {
		fail_at(p, v->inner->pos, "%s needs a range aggregation or vector, not %s",
			logql_vector_op_name(op), v->inner->kind == LQ_EXPR_LOG ? "a log query" : "a number");
		return;
	}
	if (at_grouping(p))
		parse_grouping(p, &v->grouping);
}

static void parse_label_replace(struct parser *p, struct logql_expr *e)
{
	struct logql_label_replace *lr = &e->u.lrep;
	char **slots[4] = { &lr->dst, &lr->replacement, &lr->src, &lr->regex };
	next(p);
	if (!expect(p, TK_LPAREN, "'('"))
		return;
	lr->inner = parse_expr(p, 0);
	for (int i = 0; i < 4 && !p->failed; i++)
		if (expect(p, TK_COMMA, "','"))
			take_string(p, slots[i], NULL, "a string");
	if (!p->failed)
		expect(p, TK_RPAREN, "')'");
}

static struct logql_expr *parse_ident_expr(struct parser *p)
{
	size_t pos = p->lx.tok_pos;
	for (size_t i = 0; i < sizeof(range_fns) / sizeof(range_fns[0]); i++)
		if (at_kw(p, range_fns[i].name)) {
			struct logql_expr *e = new_expr(LQ_EXPR_RANGE, pos);
			parse_range_agg(p, e, range_fns[i].fn);
			return e;
		}
	for (size_t i = 0; i < sizeof(vector_ops) / sizeof(vector_ops[0]); i++)
		if (at_kw(p, vector_ops[i].name)) {
			struct logql_expr *e = new_expr(LQ_EXPR_VECTOR_AGG, pos);
			parse_vector_agg(p, e, vector_ops[i].op);
			return e;
		}
	if (at_kw(p, "vector")) {
		struct logql_expr *e = new_expr(LQ_EXPR_VECTOR, pos);
		next(p);
		if (expect(p, TK_LPAREN, "'('")) {
			parse_number_param(p, &e->u.literal);
			if (!p->failed)
				expect(p, TK_RPAREN, "')'");
		}
		return e;
	}
	if (at_kw(p, "label_replace")) {
		struct logql_expr *e = new_expr(LQ_EXPR_LABEL_REPLACE, pos);
		parse_label_replace(p, e);
		return e;
	}
	expected(p, "a stream selector '{', a number or a function");
	return NULL;
}

static struct logql_expr *parse_primary(struct parser *p)
{
	size_t pos = p->lx.tok_pos;
	if (at(p, TK_LBRACE)) {
		struct logql_expr *e = new_expr(LQ_EXPR_LOG, pos);
		e->u.log = ward_xcalloc(1, sizeof(*e->u.log));
		parse_selector(p, e->u.log);
		if (!p->failed)
			parse_pipeline(p, e->u.log, NULL);
		return e;
	}
	if (at(p, TK_LPAREN)) {
		next(p);
		struct logql_expr *e = parse_expr(p, 0);
		if (!p->failed)
			expect(p, TK_RPAREN, "')'");
		return e;
	}
	if (at(p, TK_NUMBER) || at(p, TK_SUB) || at(p, TK_ADD)) {
		struct logql_expr *e = new_expr(LQ_EXPR_LITERAL, pos);
		if (accept(p, TK_ADD) && !at(p, TK_NUMBER)) {
			expected(p, "a number");
			return e;
		}
		parse_number_param(p, &e->u.literal);
		return e;
	}
	if (at(p, TK_IDENT))
		return parse_ident_expr(p);
	expected(p, "a stream selector '{', a number or a function");
	return NULL;
}

/* Binary operators: precedence and associativity. */
static int binop_of(const struct parser *p, enum logql_binop *op)
{
	switch (p->lx.tok) {
	case TK_EQEQ: *op = LQ_BIN_EQ; return 3;
	case TK_NEQ: *op = LQ_BIN_NEQ; return 3;
	case TK_GT: *op = LQ_BIN_GT; return 3;
	case TK_GE: *op = LQ_BIN_GE; return 3;
	case TK_LT: *op = LQ_BIN_LT; return 3;
	case TK_LE: *op = LQ_BIN_LE; return 3;
	case TK_ADD: *op = LQ_BIN_ADD; return 4;
	case TK_SUB: *op = LQ_BIN_SUB; return 4;
	case TK_MUL: *op = LQ_BIN_MUL; return 5;
	case TK_DIV: *op = LQ_BIN_DIV; return 5;
	case TK_MOD: *op = LQ_BIN_MOD; return 5;
	case TK_POW: *op = LQ_BIN_POW; return 6;
	case TK_IDENT:
		if (at_kw(p, "or")) { *op = LQ_BIN_OR; return 1; }
		if (at_kw(p, "and")) { *op = LQ_BIN_AND; return 2; }
		if (at_kw(p, "unless")) { *op = LQ_BIN_UNLESS; return 2; }
		return 0;
	default:
		return 0;
	}
}

const char *logql_binop_name(enum logql_binop op)
{
	static const char *const n[] = {
		[LQ_BIN_OR] = "or", [LQ_BIN_AND] = "and", [LQ_BIN_UNLESS] = "unless",
		[LQ_BIN_EQ] = "==", [LQ_BIN_NEQ] = "!=", [LQ_BIN_GT] = ">", [LQ_BIN_GE] = ">=",
		[LQ_BIN_LT] = "<", [LQ_BIN_LE] = "<=", [LQ_BIN_ADD] = "+", [LQ_BIN_SUB] = "-",
		[LQ_BIN_MUL] = "*", [LQ_BIN_DIV] = "/", [LQ_BIN_MOD] = "%", [LQ_BIN_POW] = "^",
	};
	return n[op];
}

static void parse_matching(struct parser *p, struct logql_binary *b)
{
	if (b->op >= LQ_BIN_EQ && b->op <= LQ_BIN_LE && at_kw(p, "bool")) {
		b->return_bool = true;
		next(p);
	}
	if (at_kw(p, "on") || at_kw(p, "ignoring")) {
		b->matching.present = true;
		b->matching.on = at_kw(p, "on");
		next(p);
		parse_label_list(p, &b->matching.labels, &b->matching.nlabels);
		if (!p->failed && (at_kw(p, "group_left") || at_kw(p, "group_right"))) {
			b->matching.card = at_kw(p, "group_left") ? LQ_CARD_GROUP_LEFT : LQ_CARD_GROUP_RIGHT;
			next(p);
			if (at(p, TK_LPAREN))
				parse_label_list(p, &b->matching.include, &b->matching.ninclude);
		}
	}
}

static bool is_scalar(const struct logql_expr *e)
{
	return e->kind == LQ_EXPR_LITERAL;
}

static void check_binary(struct parser *p, struct logql_expr *e)
{
	struct logql_binary *b = &e->u.bin;
	if (b->lhs->kind == LQ_EXPR_LOG || b->rhs->kind == LQ_EXPR_LOG) {
		fail_at(p, e->pos, "binary operator %s needs metric operands, not a log query",
			logql_binop_name(b->op));
		return;
	}
	if (b->op <= LQ_BIN_UNLESS && (is_scalar(b->lhs) || is_scalar(b->rhs)))
		fail_at(p, e->pos, "set operator %s needs vectors on both sides", logql_binop_name(b->op));
	else if (b->op >= LQ_BIN_EQ && b->op <= LQ_BIN_LE && is_scalar(b->lhs) &&
		 is_scalar(b->rhs) && !b->return_bool)
		fail_at(p, e->pos, "comparisons between scalars must use bool");
}

static struct logql_expr *parse_expr(struct parser *p, int min_prec)
{
	if (!enter(p))
		return NULL;
	struct logql_expr *lhs = parse_primary(p);
	while (!p->failed) {
		enum logql_binop op;
		int prec = binop_of(p, &op);
		if (prec == 0 || prec < min_prec)
			break;
		struct logql_expr *e = new_expr(LQ_EXPR_BINARY, p->lx.tok_pos);
		e->u.bin.op = op;
		e->u.bin.lhs = lhs;
		lhs = e;
		next(p);
		parse_matching(p, &e->u.bin);
		if (p->failed)
			break;
		/* ^ is right-associative, the others left */
		e->u.bin.rhs = parse_expr(p, op == LQ_BIN_POW ? prec : prec + 1);
		if (!p->failed)
			check_binary(p, e);
	}
	p->depth--;
	return lhs;
}

/* ---- entry points -------------------------------------------------------------- */

struct logql_expr *logql_parse(const char *src, size_t len, struct logql_error *err)
{
	struct parser p = { .err = err };
	memset(err, 0, sizeof(*err));
	logql_lex_init(&p.lx, src, len);
	next(&p);
	struct logql_expr *e = parse_expr(&p, 0);
	if (!p.failed && !at(&p, TK_EOF))
		expected(&p, "end of query or an operator");
	if (!p.failed && !e)
		fail_at(&p, 0, "empty query");
	logql_lex_free(&p.lx);
	if (p.failed) {
		logql_expr_free(e);
		return NULL;
	}
	return e;
}

void logql_error_format(const struct logql_error *err, char *out, size_t outlen)
{
	snprintf(out, outlen, "%u:%u: %s", err->line, err->col, err->msg);
}

bool logql_expr_is_log(const struct logql_expr *e)
{
	return e && e->kind == LQ_EXPR_LOG;
}

static size_t collect(const struct logql_expr *e, const struct logql_log_query **out,
		      size_t max, size_t n)
{
	if (!e)
		return n;
	switch (e->kind) {
	case LQ_EXPR_LOG:
		if (n < max) out[n] = e->u.log;
		return n + 1;
	case LQ_EXPR_RANGE:
		if (n < max) out[n] = e->u.range.query;
		return n + 1;
	case LQ_EXPR_VECTOR_AGG: return collect(e->u.vagg.inner, out, max, n);
	case LQ_EXPR_LABEL_REPLACE: return collect(e->u.lrep.inner, out, max, n);
	case LQ_EXPR_BINARY:
		n = collect(e->u.bin.lhs, out, max, n);
		return collect(e->u.bin.rhs, out, max, n);
	default:
		return n;
	}
}

size_t logql_expr_log_queries(const struct logql_expr *e,
			      const struct logql_log_query **out, size_t max)
{
	size_t n = collect(e, out, max, 0);
	return n < max ? n : max;
}

/* ---- freeing -------------------------------------------------------------------- */

static void free_matcher(struct logql_matcher *m)
{
	free(m->name);
	free(m->value);
}

static void free_label_filter(struct logql_label_filter *f)
{
	if (!f)
		return;
	free_label_filter(f->left);
	free_label_filter(f->right);
	free_matcher(&f->m);
	free(f->name);
	free(f);
}

static void free_stage(struct logql_stage *st)
{
	switch (st->kind) {
	case LQ_STAGE_LINE_FILTER:
		for (size_t i = 0; i < st->u.line.nalts; i++)
			free(st->u.line.alts[i].value);
		free(st->u.line.alts);
		break;
	case LQ_STAGE_JSON: case LQ_STAGE_LOGFMT:
		for (size_t i = 0; i < st->u.extract.nparams; i++) {
			free(st->u.extract.params[i].name);
			free(st->u.extract.params[i].path);
		}
		free(st->u.extract.params);
		break;
	case LQ_STAGE_REGEXP: case LQ_STAGE_PATTERN: case LQ_STAGE_LINE_FORMAT:
		free(st->u.str.text);
		break;
	case LQ_STAGE_LABEL_FILTER:
		free_label_filter(st->u.filter);
		break;
	case LQ_STAGE_LABEL_FORMAT:
		for (size_t i = 0; i < st->u.lfmt.n; i++) {
			free(st->u.lfmt.items[i].dst);
			free(st->u.lfmt.items[i].src);
			free(st->u.lfmt.items[i].tmpl);
		}
		free(st->u.lfmt.items);
		break;
	case LQ_STAGE_DROP: case LQ_STAGE_KEEP:
		for (size_t i = 0; i < st->u.names.n; i++)
			free_matcher(&st->u.names.items[i].m);
		free(st->u.names.items);
		break;
	default:
		break;
	}
}

static void free_stages(struct logql_stage *st, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free_stage(&st[i]);
	free(st);
}

static void free_log_query(struct logql_log_query *q)
{
	if (!q)
		return;
	for (size_t i = 0; i < q->nmatchers; i++)
		free_matcher(&q->matchers[i]);
	free(q->matchers);
	free_stages(q->stages, q->nstages);
	free(q);
}

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void logql_expr_free(struct logql_expr *e)
{
	if (!e)
		return;
	switch (e->kind) {
	case LQ_EXPR_LOG:
		free_log_query(e->u.log);
		break;
	case LQ_EXPR_RANGE:
		free_log_query(e->u.range.query);
		if (e->u.range.unwrap) {
			free(e->u.range.unwrap->label);
			free_stages(e->u.range.unwrap->post, e->u.range.unwrap->npost);
			free(e->u.range.unwrap);
		}
		free_strv(e->u.range.grouping.labels, e->u.range.grouping.nlabels);
		break;
	case LQ_EXPR_VECTOR_AGG:
		logql_expr_free(e->u.vagg.inner);
		free_strv(e->u.vagg.grouping.labels, e->u.vagg.grouping.nlabels);
		break;
	case LQ_EXPR_BINARY:
		logql_expr_free(e->u.bin.lhs);
		logql_expr_free(e->u.bin.rhs);
		free_strv(e->u.bin.matching.labels, e->u.bin.matching.nlabels);
		free_strv(e->u.bin.matching.include, e->u.bin.matching.ninclude);
		break;
	case LQ_EXPR_LABEL_REPLACE:
		logql_expr_free(e->u.lrep.inner);
		free(e->u.lrep.dst);
		free(e->u.lrep.replacement);
		free(e->u.lrep.src);
		free(e->u.lrep.regex);
		break;
	default:
		break;
	}
	free(e);
}
