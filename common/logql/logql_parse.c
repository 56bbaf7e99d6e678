/* logql_parse.c - recursive-descent parser for the whole LogQL grammar:
 * log queries here, metric expressions in logql_parse_metric.c (see
 * logql_parse_int.h). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "logql_parse_int.h"
#include "wtime.h"

/* ---- helpers ------------------------------------------------------------ */

void logql_parse_fail(struct parser *p, size_t pos, const char *fmt, ...)
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

void logql_parse_expected(struct parser *p, const char *what)
{
	if (p->lx.tok == TK_ERROR) {
		logql_parse_fail(p, p->lx.tok_pos, "%s", p->lx.errmsg);
		return;
	}
	if (p->lx.tok == TK_IDENT || p->lx.tok == TK_NUMBER || p->lx.tok == TK_FLAG) {
		int n = p->lx.text_len > 40 ? 40 : (int)p->lx.text_len;
		logql_parse_fail(p, p->lx.tok_pos, "expected %s, got \"%.*s\"", what, n, p->lx.text);
	} else {
		logql_parse_fail(p, p->lx.tok_pos, "expected %s, got %s", what, logql_tok_name(p->lx.tok));
	}
}

bool logql_parse_number(const char *s, size_t n, double *out)
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
		logql_parse_expected(p, "one of = != =~ !~");
		return;
	}
	next(p);
	take_string(p, &m->value, &m->value_len, "a string");
}

void logql_parse_selector(struct parser *p, struct logql_log_query *q)
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
			logql_parse_fail(p, a->pos, "ip() is only allowed with |= and !=");
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
		logql_parse_expected(p, "a string, number, duration or bytes value");
		return;
	}
	int64_t ns;
	double v;
	if (logql_parse_number(p->lx.text, p->lx.text_len, &v)) {
		f->kind = LQ_LF_NUMBER;
	} else if (duration_parse(p->lx.text, p->lx.text_len, &ns) == 0) {
		f->kind = LQ_LF_DURATION;
		v = (double)ns / 1e9;
	} else if (logql_parse_bytes(p->lx.text, p->lx.text_len, &v) == 0) {
		f->kind = LQ_LF_BYTES;
	} else {
		logql_parse_expected(p, "a number, duration or bytes value");
		return;
	}
	/* beyond int64 a value has no exact text to print it back as (the
	 * canonical form must parse to the same query) and no field holds it */
	if (!(v < 9.2e18)) {
		logql_parse_expected(p, "a number, duration or bytes value below 9.2e18");
		return;
	}
	f->number = neg ? -v : v;
	next(p);
}

static void parse_lf_leaf(struct parser *p, struct logql_label_filter *f)
{
	f->pos = p->lx.tok_pos;
	if (!at(p, TK_IDENT)) {
		logql_parse_expected(p, "a label name or '('");
		return;
	}
	char *name = tok_dup(p);
	next(p);
	enum logql_tok op = p->lx.tok;
	if ((op == TK_EQ || op == TK_NEQ) && logql_lex_peek(&p->lx) == TK_IDENT) {
		next(p);
		if (!at_kw(p, "ip")) {
			free(name);
			logql_parse_expected(p, "a string, number or ip(\"...\")");
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
		logql_parse_expected(p, "a comparison operator");
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
		logql_parse_fail(p, pos, "more than %d label filters in one query", LOGQL_MAX_LABEL_FILTERS);
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
				logql_parse_expected(p, "a label filter after ','");
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
			logql_parse_expected(p, "a label name");
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
			logql_parse_expected(p, "--strict or --keep-empty");
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
				logql_parse_fail(p, st->pos, "label_format: label %s set twice", lf->dst);
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

void logql_parse_pipeline(struct parser *p, struct logql_log_query *q, struct logql_unwrap **uw)
{
	while (!p->failed) {
		if (is_line_filter_tok(p->lx.tok)) {
			if (uw && *uw) {
				logql_parse_fail(p, p->lx.tok_pos, "only label filters may follow unwrap");
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
				logql_parse_fail(p, p->lx.tok_pos, uw ? "unwrap given twice" :
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

/* ---- entry points -------------------------------------------------------------- */

struct logql_expr *logql_parse(const char *src, size_t len, struct logql_error *err)
{
	struct parser p = { .err = err };
	memset(err, 0, sizeof(*err));
	logql_lex_init(&p.lx, src, len);
	next(&p);
	struct logql_expr *e = logql_parse_expr(&p, 0);
	if (!p.failed && !at(&p, TK_EOF))
		logql_parse_expected(&p, "end of query or an operator");
	if (!p.failed && !e)
		logql_parse_fail(&p, 0, "empty query");
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

