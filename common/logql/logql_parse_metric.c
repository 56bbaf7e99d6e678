/* logql_parse_metric.c - the metric half of the LogQL parser: range
 * aggregations over log queries, vector aggregations, label_replace,
 * binary operators with Prometheus precedence and vector matching. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logql_parse_int.h"
#include "wtime.h"

static bool take_duration(struct parser *p, int64_t *ns)
{
	if (!at(p, TK_NUMBER) || duration_parse(p->lx.text, p->lx.text_len, ns) != 0) {
		logql_parse_expected(p, "a duration such as 5m");
		return false;
	}
	next(p);
	return true;
}

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
		logql_parse_fail(p, p->lx.tok_pos, "grouping given twice");
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
	if (!at(p, TK_NUMBER) || !logql_parse_number(p->lx.text, p->lx.text_len, v)) {
		logql_parse_expected(p, "a number");
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
	logql_parse_selector(p, r->query);
	bool have_range = false;
	if (!p->failed && at(p, TK_LBRACK)) {
		next(p);
		if (take_duration(p, &r->range_ns) && expect(p, TK_RBRACK, "']'"))
			have_range = true;
	}
	if (!p->failed)
		logql_parse_pipeline(p, r->query, &r->unwrap);
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
		logql_parse_fail(p, r->query->pos, "the range must be positive");
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
		logql_parse_fail(p, e->pos, "%s needs | unwrap <label>", logql_range_fn_name(fn));
		return;
	}
	if (!fn_needs_unwrap(fn) && fn != LQ_RANGE_ABSENT_OVER_TIME && r->unwrap &&
	    fn != LQ_RANGE_RATE) {
		logql_parse_fail(p, e->pos, "%s does not take unwrap", logql_range_fn_name(fn));
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
			logql_parse_fail(p, e->pos, "%s: k must be a positive integer", logql_vector_op_name(op));
			return;
		}
	}
	v->inner = logql_parse_expr(p, 0);
	if (p->failed || !expect(p, TK_RPAREN, "')'"))
		return;
	if (v->inner->kind == LQ_EXPR_LOG || v->inner->kind == LQ_EXPR_LITERAL) {
		logql_parse_fail(p, v->inner->pos, "%s needs a range aggregation or vector, not %s",
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
	lr->inner = logql_parse_expr(p, 0);
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
	logql_parse_expected(p, "a stream selector '{', a number or a function");
	return NULL;
}

static struct logql_expr *parse_primary(struct parser *p)
{
	size_t pos = p->lx.tok_pos;
	if (at(p, TK_LBRACE)) {
		struct logql_expr *e = new_expr(LQ_EXPR_LOG, pos);
		e->u.log = ward_xcalloc(1, sizeof(*e->u.log));
		logql_parse_selector(p, e->u.log);
		if (!p->failed)
			logql_parse_pipeline(p, e->u.log, NULL);
		return e;
	}
	if (at(p, TK_LPAREN)) {
		next(p);
		struct logql_expr *e = logql_parse_expr(p, 0);
		if (!p->failed)
			expect(p, TK_RPAREN, "')'");
		return e;
	}
	if (at(p, TK_NUMBER) || at(p, TK_SUB) || at(p, TK_ADD)) {
		struct logql_expr *e = new_expr(LQ_EXPR_LITERAL, pos);
		if (accept(p, TK_ADD) && !at(p, TK_NUMBER)) {
			logql_parse_expected(p, "a number");
			return e;
		}
		parse_number_param(p, &e->u.literal);
		return e;
	}
	if (at(p, TK_IDENT))
		return parse_ident_expr(p);
	logql_parse_expected(p, "a stream selector '{', a number or a function");
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
		logql_parse_fail(p, e->pos, "binary operator %s needs metric operands, not a log query",
			logql_binop_name(b->op));
		return;
	}
	if (b->op <= LQ_BIN_UNLESS && (is_scalar(b->lhs) || is_scalar(b->rhs)))
		logql_parse_fail(p, e->pos, "set operator %s needs vectors on both sides", logql_binop_name(b->op));
	else if (b->op >= LQ_BIN_EQ && b->op <= LQ_BIN_LE && is_scalar(b->lhs) &&
		 is_scalar(b->rhs) && !b->return_bool)
		logql_parse_fail(p, e->pos, "comparisons between scalars must use bool");
}

struct logql_expr *logql_parse_expr(struct parser *p, int min_prec)
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
		e->u.bin.rhs = logql_parse_expr(p, op == LQ_BIN_POW ? prec : prec + 1);
		if (!p->failed)
			check_binary(p, e);
	}
	p->depth--;
	return lhs;
}

