/* fromlogql.c - LogQL metric expressions to ww_rules (see fromlogql.h).
 *
 * Shapes evaluated exactly per key in one pass:
 *   FN(L [r])                         key = every label (or FN's by/without)
 *   sum  by|without (..) (FN(L [r]))  FN additive: count_over_time, rate,
 *                                     bytes_over_time, bytes_rate, sum_over_time
 *   max  by (..) (max_over_time(...)), min by (..) (min_over_time(...))
 *   count by (g) (sum by (g, f) (FN(L [r])))   distinct f per g
 *   count by (g) (FN(L [r]) by (g, f))         the same
 *   any of these  OP  number                  (or number OP any of these,
 *                                             or OP bool number: 0/1)
 *   one of these  and|or|unless  another      matched on the same grouping
 * Everything else is refused with the reason (exit 78). */
#include "stages/window/fromlogql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "exitcodes.h"
#include "logql.h"
#include "rules.h"
#include "stages/window/ruleset.h"

struct lq_state {
	struct logql_engine *eng;
	struct logql_ctx *cx;
	struct logql_expr **exprs;
	size_t nexprs;
	struct ward_ruleset file;
	struct lq_select *sels;
	size_t nsels;
};

struct lq_select {
	struct lq_state *st;
	struct logql_pipeline *pipe;
};

static bool select_event(void *ctx, struct ward_event *ev)
{
	struct lq_select *s = ctx;
	logql_ctx_begin(s->st->cx, ev);
	if (!logql_eval(s->st->cx, s->pipe))
		return false;
	logql_apply(s->st->cx, ev);
	return true;
}

static int fail(char *err, size_t errlen, const char *why)
{
	snprintf(err, errlen, "%s", why);
	return -1;
}

static const enum ww_fn range_fns[] = {
	[LQ_RANGE_COUNT_OVER_TIME] = WW_FN_COUNT,
	[LQ_RANGE_RATE] = WW_FN_RATE,
	[LQ_RANGE_RATE_COUNTER] = WW_FN__COUNT,
	[LQ_RANGE_BYTES_OVER_TIME] = WW_FN_BYTES,
	[LQ_RANGE_BYTES_RATE] = WW_FN_BYTES_RATE,
	[LQ_RANGE_ABSENT_OVER_TIME] = WW_FN_ABSENT,
	[LQ_RANGE_SUM_OVER_TIME] = WW_FN_SUM,
	[LQ_RANGE_AVG_OVER_TIME] = WW_FN_AVG,
	[LQ_RANGE_MIN_OVER_TIME] = WW_FN_MIN,
	[LQ_RANGE_MAX_OVER_TIME] = WW_FN_MAX,
	[LQ_RANGE_STDVAR_OVER_TIME] = WW_FN_STDVAR,
	[LQ_RANGE_STDDEV_OVER_TIME] = WW_FN_STDDEV,
	[LQ_RANGE_QUANTILE_OVER_TIME] = WW_FN_QUANTILE,
	[LQ_RANGE_FIRST_OVER_TIME] = WW_FN_FIRST,
	[LQ_RANGE_LAST_OVER_TIME] = WW_FN_LAST,
};

/* Only `| __error__=""` may follow unwrap: it drops the samples whose
 * value did not convert, which ward-window does anyway (and counts). */
static bool post_filters_ok(const struct logql_unwrap *u)
{
	for (size_t i = 0; i < u->npost; i++) {
		const struct logql_stage *s = &u->post[i];
		if (s->kind != LQ_STAGE_LABEL_FILTER)
			return false;
		const struct logql_label_filter *f = s->u.filter;
		if (f->kind != LQ_LF_STRING || f->m.op != LQ_MATCH_EQ ||
		    strcmp(f->m.name, "__error__") != 0 || f->m.value_len != 0)
			return false;
	}
	return true;
}

static void set_grouping(struct ww_rule *r, const struct logql_grouping *g)
{
	if (g->kind == LQ_GROUP_NONE) {
		r->group_mode = WW_GROUP_ALL;
		return;
	}
	r->group_mode = g->kind == LQ_GROUP_BY ? WW_GROUP_BY : WW_GROUP_WITHOUT;
	for (size_t i = 0; i < g->nlabels; i++)
		rule_add_group(r, g->labels[i]);
}

static int from_range(struct ww_rule *r, const struct logql_range_agg *ra,
		      const struct logql_log_query **lq, char *err, size_t errlen)
{
	if ((size_t)ra->fn >= sizeof(range_fns) / sizeof(range_fns[0]) ||
	    range_fns[ra->fn] == WW_FN__COUNT)
		return fail(err, errlen, "rate_counter is not supported");
	if (ra->offset_ns)
		return fail(err, errlen, "offset is not supported in a stream");
	r->fn = range_fns[ra->fn];
	r->range_ns = ra->range_ns;
	if (ra->has_param)
		r->quantile = ra->param;
	if (ra->unwrap) {
		if (!post_filters_ok(ra->unwrap))
			return fail(err, errlen, "only | __error__=\"\" may follow unwrap");
		rule_set_str(&r->unwrap, ra->unwrap->label);
		r->conv = ra->unwrap->conv == LQ_UNWRAP_DURATION ? WW_CONV_DURATION :
			  ra->unwrap->conv == LQ_UNWRAP_BYTES ? WW_CONV_BYTES : WW_CONV_NONE;
	}
	set_grouping(r, &ra->grouping);
	*lq = ra->query;
	return 0;
}

static bool additive(enum ww_fn fn)
{
	return fn == WW_FN_COUNT || fn == WW_FN_RATE || fn == WW_FN_BYTES ||
	       fn == WW_FN_BYTES_RATE || fn == WW_FN_SUM;
}

static bool contains(char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

/* count by (g) (inner by (g, f)): f is the one inner label not in g. */
static int as_distinct(struct ww_rule *r, const struct logql_grouping *outer,
		       const struct logql_grouping *inner, char *err, size_t errlen)
{
	if (outer->kind == LQ_GROUP_WITHOUT || inner->kind != LQ_GROUP_BY)
		return fail(err, errlen, "count needs the shape count by (g) (sum by (g, f) (...))");
	const char *extra = NULL;
	for (size_t i = 0; i < inner->nlabels; i++) {
		if (contains(outer->labels, outer->nlabels, inner->labels[i]))
			continue;
		if (extra)
			return fail(err, errlen, "count of series: the inner by () may add one label only");
		extra = inner->labels[i];
	}
	for (size_t i = 0; i < outer->nlabels; i++)
		if (!contains(inner->labels, inner->nlabels, outer->labels[i]))
			return fail(err, errlen, "count by (g): every g must be in the inner by ()");
	if (!extra)
		return fail(err, errlen, "count of series: the inner by () must add a label to count");
	r->fn = WW_FN_DISTINCT;
	rule_set_str(&r->distinct, extra);
	rule_set_str(&r->unwrap, NULL);
	r->group_mode = WW_GROUP_BY;
	for (size_t i = 0; i < r->ngroup; i++)
		free(r->group[i]);
	r->ngroup = 0;
	for (size_t i = 0; i < outer->nlabels; i++)
		rule_add_group(r, outer->labels[i]);
	return 0;
}

/* sum/min/max/count shapes that one key's window answers exactly; 1 when
 * the shape is not one of them (a step rule can evaluate it). */
static int from_vagg_exact(struct ww_rule *r, const struct logql_vector_agg *va,
			   const struct logql_log_query **lq, char *err, size_t errlen)
{
	const struct logql_expr *in = va->inner;
	const struct logql_grouping *inner_group = NULL;
	if (va->op != LQ_VEC_SUM && va->op != LQ_VEC_MAX && va->op != LQ_VEC_MIN &&
	    va->op != LQ_VEC_COUNT)
		return 1;
	if (va->op == LQ_VEC_COUNT && in->kind == LQ_EXPR_VECTOR_AGG && in->u.vagg.op == LQ_VEC_SUM &&
	    in->u.vagg.inner->kind == LQ_EXPR_RANGE) {
		inner_group = &in->u.vagg.grouping;
		in = in->u.vagg.inner;
	}
	if (in->kind != LQ_EXPR_RANGE)
		return 1;
	if (from_range(r, &in->u.range, lq, err, errlen) != 0)
		return -1;
	if (r->fn == WW_FN_ABSENT)
		return fail(err, errlen, "aggregating absent_over_time is not supported");
	if (va->op == LQ_VEC_COUNT) {
		if (!inner_group)
			inner_group = &in->u.range.grouping;
		char why[256];
		return as_distinct(r, &va->grouping, inner_group, why, sizeof why) == 0 ? 0 : 1;
	}
	bool ok = (va->op == LQ_VEC_SUM && additive(r->fn)) ||
		  (va->op == LQ_VEC_MAX && r->fn == WW_FN_MAX) ||
		  (va->op == LQ_VEC_MIN && r->fn == WW_FN_MIN);
	const struct logql_grouping *ig = &in->u.range.grouping;
	if ((ig->kind == LQ_GROUP_BY && va->grouping.kind == LQ_GROUP_WITHOUT) ||
	    (ig->kind == LQ_GROUP_WITHOUT && va->grouping.kind != LQ_GROUP_NONE))
		ok = false;	/* the outer key is not a projection of the event's labels */
	if (ig->kind == LQ_GROUP_BY && va->grouping.kind == LQ_GROUP_BY)
		for (size_t i = 0; i < va->grouping.nlabels; i++)
			if (!contains(ig->labels, ig->nlabels, va->grouping.labels[i]))
				return fail(err, errlen, "outer by () label missing from the inner by ()");
	if (!ok)
		return 1;
	for (size_t i = 0; i < r->ngroup; i++)
		free(r->group[i]);
	r->ngroup = 0;
	if (va->grouping.kind == LQ_GROUP_NONE)
		r->group_mode = WW_GROUP_BY;	/* sum(...) : one series */
	else
		set_grouping(r, &va->grouping);
	return 0;
}

static const enum ww_vagg vagg_of[] = {
	[LQ_VEC_SUM] = WW_VAGG_SUM, [LQ_VEC_AVG] = WW_VAGG_AVG, [LQ_VEC_MIN] = WW_VAGG_MIN,
	[LQ_VEC_MAX] = WW_VAGG_MAX, [LQ_VEC_COUNT] = WW_VAGG_COUNT, [LQ_VEC_STDDEV] = WW_VAGG_STDDEV,
	[LQ_VEC_STDVAR] = WW_VAGG_STDVAR, [LQ_VEC_TOPK] = WW_VAGG_TOPK,
	[LQ_VEC_BOTTOMK] = WW_VAGG_BOTTOMK, [LQ_VEC_SORT] = WW_VAGG_SORT,
	[LQ_VEC_SORT_DESC] = WW_VAGG_SORT_DESC, [LQ_VEC_APPROX_TOPK] = WW_VAGG_TOPK,
};

static enum ww_arith arith_of(enum logql_binop op);
static enum ww_op op_of(enum logql_binop op, bool flip);

/* The inner series of a step rule: a range function or an exact per-key
 * aggregation of one, with arithmetic with numbers and one comparison with a
 * number applied last (cmp_ok). */
static int step_inner(struct ww_rule *r, const struct logql_vector_agg *va,
		      const struct logql_expr *in, const struct logql_log_query **lq, bool cmp_ok,
		      char *err, size_t errlen)
{
	if (in->kind == LQ_EXPR_RANGE)
		return from_range(r, &in->u.range, lq, err, errlen);
	if (in->kind == LQ_EXPR_VECTOR_AGG) {
		int rc = from_vagg_exact(r, &in->u.vagg, lq, err, errlen);
		if (rc > 0) {
			snprintf(err, errlen, "%s of %s: one aggregation across keys at most "
				 "(the inner one must be a sum/min/max/count evaluated per key)",
				 logql_vector_op_name(va->op), logql_vector_op_name(in->u.vagg.op));
			return -1;
		}
		return rc;
	}
	const struct logql_binary *b = &in->u.bin;
	bool lit_l = in->kind == LQ_EXPR_BINARY && b->lhs->kind == LQ_EXPR_LITERAL;
	bool lit_r = in->kind == LQ_EXPR_BINARY && b->rhs->kind == LQ_EXPR_LITERAL;
	if (lit_l == lit_r || b->matching.present)
		return fail(err, errlen, "an aggregation must wrap a range function (count_over_time(...[r]), ...) "
			    "or an aggregation of one, with arithmetic and one comparison with numbers");
	const struct logql_expr *metric = lit_l ? b->rhs : b->lhs;
	double num = lit_l ? b->lhs->u.literal : b->rhs->u.literal;
	enum ww_op op = op_of(b->op, lit_l);
	if (op != WW_OP_NONE) {
		if (!cmp_ok)
			return fail(err, errlen, "inside an aggregation one comparison with a number, applied last");
		r->iop = op;
		r->ithreshold = num;
		r->ibool = b->return_bool;
		return step_inner(r, va, metric, lq, false, err, errlen);
	}
	enum ww_arith ar = arith_of(b->op);
	if (ar == WW_AR_NONE)
		return fail(err, errlen, "and/or/unless cannot be inside an aggregation");
	if (step_inner(r, va, metric, lq, false, err, errlen) != 0)
		return -1;
	rule_add_xform(&r->ixf, &r->nixf, ar, num, lit_l);
	return 0;
}

/* An aggregation across keys, evaluated at steps (steps.h). */
static int as_step(struct ww_rule *r, const struct logql_vector_agg *va,
		   const struct logql_log_query **lq, char *err, size_t errlen)
{
	if (step_inner(r, va, va->inner, lq, true, err, errlen) != 0)
		return -1;
	if (r->fn == WW_FN_ABSENT)
		return fail(err, errlen, "aggregating absent_over_time is not supported");
	if ((size_t)va->op >= sizeof(vagg_of) / sizeof(vagg_of[0]) || !vagg_of[va->op])
		return fail(err, errlen, "unknown vector aggregation");
	r->vagg = vagg_of[va->op];
	r->vk = va->has_param ? va->param : 0;
	r->vgroup_mode = va->grouping.kind == LQ_GROUP_WITHOUT ? WW_GROUP_WITHOUT : WW_GROUP_BY;
	for (size_t i = 0; i < va->grouping.nlabels; i++)
		rule_add_vgroup(r, va->grouping.labels[i]);
	return 0;
}

static int from_vagg(struct ww_rule *r, const struct logql_vector_agg *va,
		     const struct logql_log_query **lq, char *err, size_t errlen)
{
	int rc = from_vagg_exact(r, va, lq, err, errlen);
	if (rc <= 0)
		return rc;
	/* from_range may have run: start the inner shape again */
	for (size_t i = 0; i < r->ngroup; i++)
		free(r->group[i]);
	r->ngroup = 0;
	rule_set_str(&r->unwrap, NULL);
	rule_set_str(&r->distinct, NULL);
	r->group_mode = WW_GROUP_BY;
	return as_step(r, va, lq, err, errlen);
}

static int from_metric(struct ww_rule *r, const struct logql_expr *e,
		       const struct logql_log_query **lq, char *err, size_t errlen)
{
	switch (e->kind) {
	case LQ_EXPR_RANGE:
		return from_range(r, &e->u.range, lq, err, errlen);
	case LQ_EXPR_VECTOR_AGG:
		return from_vagg(r, &e->u.vagg, lq, err, errlen);
	case LQ_EXPR_LOG:
		return fail(err, errlen, "a log query has no value: wrap it in count_over_time(...[range])");
	case LQ_EXPR_BINARY:
		return fail(err, errlen, "and/or/unless join two rules at the top of a query only, and a "
			    "comparison with a number applies to the whole expression");
	default:
		return fail(err, errlen, "vector(), label_replace() and literals are not supported");
	}
}

static enum ww_op op_of(enum logql_binop op, bool flip)
{
	switch (op) {
	case LQ_BIN_EQ: return WW_OP_EQ;
	case LQ_BIN_NEQ: return WW_OP_NE;
	case LQ_BIN_GT: return flip ? WW_OP_LT : WW_OP_GT;
	case LQ_BIN_GE: return flip ? WW_OP_LE : WW_OP_GE;
	case LQ_BIN_LT: return flip ? WW_OP_GT : WW_OP_LT;
	case LQ_BIN_LE: return flip ? WW_OP_GE : WW_OP_LE;
	default: return WW_OP_NONE;
	}
}

static bool same_grouping(const struct ww_rule *a, const struct ww_rule *b)
{
	if (a->group_mode != b->group_mode || a->ngroup != b->ngroup)
		return false;
	for (size_t i = 0; i < a->ngroup; i++)
		if (!contains(b->group, b->ngroup, a->group[i]))
			return false;
	return true;
}

static enum ww_arith arith_of(enum logql_binop op)
{
	switch (op) {
	case LQ_BIN_ADD: return WW_AR_ADD;
	case LQ_BIN_SUB: return WW_AR_SUB;
	case LQ_BIN_MUL: return WW_AR_MUL;
	case LQ_BIN_DIV: return WW_AR_DIV;
	case LQ_BIN_MOD: return WW_AR_MOD;
	case LQ_BIN_POW: return WW_AR_POW;
	case LQ_BIN_GT: return WW_AR_GT;
	case LQ_BIN_GE: return WW_AR_GE;
	case LQ_BIN_LT: return WW_AR_LT;
	case LQ_BIN_LE: return WW_AR_LE;
	case LQ_BIN_EQ: return WW_AR_EQ;
	case LQ_BIN_NEQ: return WW_AR_NE;
	default: return WW_AR_NONE;
	}
}

static int from_value(struct ww_rule *r, const struct logql_expr *e,
		      const struct logql_log_query **lq, bool allow_vop, char *err, size_t errlen);

typedef int (*side_fn)(struct ww_rule *r, const struct logql_expr *e,
		       const struct logql_log_query **lq, bool allow_vop, char *err, size_t errlen);

/* The two operands of an operation between per-key vectors: r takes the
 * left one, r->rhs (made here) the right one; both must be per key, present
 * series and grouped alike. `role` and `op` name the operation in errors. */
static int two_sides(struct ww_rule *r, const struct logql_binary *b, side_fn side,
		     const char *role, const char *op, const struct logql_log_query **lq, char *err,
		     size_t errlen)
{
	r->rhs = ward_xcalloc(1, sizeof(*r->rhs));
	rule_init(r->rhs);
	rule_set_str(&r->rhs->name, r->name);
	if (side(r, b->lhs, &lq[0], false, err, errlen) != 0 ||
	    side(r->rhs, b->rhs, &lq[1], false, err, errlen) != 0)
		return -1;
	if (rule_is_step(r) || rule_is_step(r->rhs))
		snprintf(err, errlen, "an aggregation across keys (avg, topk, ...) cannot %s", role);
	else if (r->fn == WW_FN_ABSENT || r->rhs->fn == WW_FN_ABSENT)
		snprintf(err, errlen, "absent_over_time cannot %s", role);
	else if (!same_grouping(r, r->rhs))
		snprintf(err, errlen, "%s: both sides must group by the same labels", op);
	else
		return 0;
	return -1;
}

static int from_side(struct ww_rule *r, const struct logql_expr *e,
		     const struct logql_log_query **lq, bool allow_vop, char *err, size_t errlen);

/* lhs OP rhs between two per-key vectors with the same labels (one-to-one
 * matching): the rule's rhs holds the right side. */
static int from_vector_op(struct ww_rule *r, const struct logql_binary *b, enum ww_arith op,
			  const struct logql_log_query **lq, char *err, size_t errlen)
{
	if (two_sides(r, b, from_value, "be an operand of a vector operation", "vector operation",
		      lq, err, errlen) != 0)
		return -1;
	r->setop = WW_SET_ARITH;
	r->vop = op;
	r->vop_bool = b->return_bool;
	return 0;
}

/* A value: a metric, arithmetic with numbers on it, or one operation
 * between two metrics (allow_vop). */
static int from_value(struct ww_rule *r, const struct logql_expr *e,
		      const struct logql_log_query **lq, bool allow_vop, char *err, size_t errlen)
{
	enum ww_arith op = e->kind == LQ_EXPR_BINARY ? arith_of(e->u.bin.op) : WW_AR_NONE;
	if (op == WW_AR_NONE)
		return from_metric(r, e, lq, err, errlen);
	const struct logql_binary *b = &e->u.bin;
	if (b->matching.present)
		return fail(err, errlen, "on()/ignoring() are not supported: both sides must group by the same labels");
	bool lit_l = b->lhs->kind == LQ_EXPR_LITERAL, lit_r = b->rhs->kind == LQ_EXPR_LITERAL;
	if (lit_l && lit_r)
		return fail(err, errlen, "an expression of numbers alone has no series");
	if (!lit_l && !lit_r) {
		if (!allow_vop || r->rhs)
			return fail(err, errlen, "one operation between two vectors at most, and not "
				    "beside and/or/unless");
		return from_vector_op(r, b, op, lq, err, errlen);
	}
	if (op >= WW_AR_GT)
		return fail(err, errlen, "a comparison with a number applies to the whole expression only");
	if (from_value(r, lit_l ? b->rhs : b->lhs, lq, allow_vop, err, errlen) != 0)
		return -1;
	double num = lit_l ? b->lhs->u.literal : b->rhs->u.literal;
	if (r->setop == WW_SET_ARITH)
		rule_add_xform(&r->post, &r->npost, op, num, lit_l);
	else
		rule_add_xform(&r->xf, &r->nxf, op, num, lit_l);
	return 0;
}

/* One side: a value, optionally compared with a number. */
static int from_side(struct ww_rule *r, const struct logql_expr *e,
		     const struct logql_log_query **lq, bool allow_vop, char *err, size_t errlen)
{
	if (e->kind != LQ_EXPR_BINARY)
		return from_value(r, e, lq, allow_vop, err, errlen);
	const struct logql_binary *b = &e->u.bin;
	bool flip = b->lhs->kind == LQ_EXPR_LITERAL;
	const struct logql_expr *num = flip ? b->lhs : b->rhs;
	const struct logql_expr *metric = flip ? b->rhs : b->lhs;
	enum ww_op op = op_of(b->op, flip);
	if (op == WW_OP_NONE || num->kind != LQ_EXPR_LITERAL || metric->kind == LQ_EXPR_LITERAL)
		return from_value(r, e, lq, allow_vop, err, errlen);
	if (b->matching.present)
		return fail(err, errlen, "on()/ignoring() need two vectors");
	r->op = op;
	r->threshold = num->u.literal;
	r->bool_result = b->return_bool;
	return from_value(r, metric, lq, allow_vop, err, errlen);
}

/* The whole expression: one side, or `side and|or|unless side` matched on
 * the key. lq[0] and lq[1] receive the log queries of the two sides. */
static int from_expr(struct ww_rule *r, const struct logql_expr *e,
		     const struct logql_log_query **lq, char *err, size_t errlen)
{
	if (e->kind != LQ_EXPR_BINARY || (e->u.bin.op != LQ_BIN_AND && e->u.bin.op != LQ_BIN_OR &&
					  e->u.bin.op != LQ_BIN_UNLESS))
		return from_side(r, e, lq, true, err, errlen);
	const struct logql_binary *b = &e->u.bin;
	if (b->matching.present)
		return fail(err, errlen, "on()/ignoring() are not supported: both sides must group by the same labels");
	r->setop = b->op == LQ_BIN_AND ? WW_SET_AND : b->op == LQ_BIN_OR ? WW_SET_OR : WW_SET_UNLESS;
	return two_sides(r, b, from_side, "be combined with and/or/unless", "and/or/unless", lq, err,
			 errlen);
}

static struct lq_state *state_of(struct ruleset *rs)
{
	if (!rs->logql) {
		struct lq_state *st = ward_xcalloc(1, sizeof(*st));
		st->eng = logql_engine_new();
		st->cx = logql_ctx_new(st->eng);
		rs->logql = st;
	}
	return rs->logql;
}

static struct ww_rule *new_rule(struct ruleset *rs)
{
	rs->rules = ward_xrealloc(rs->rules, (rs->n + 1) * sizeof(*rs->rules));
	struct ww_rule *r = &rs->rules[rs->n++];
	rule_init(r);
	return r;
}

int fromlogql_query(struct ruleset *rs, const struct ruleset_opts *o, const char *query,
		    char *err, size_t errlen)
{
	struct lq_state *st = state_of(rs);
	struct logql_error lerr;
	struct logql_expr *e = logql_parse(query, strlen(query), &lerr);
	if (!e) {
		char pos[300];
		logql_error_format(&lerr, pos, sizeof pos);
		snprintf(err, errlen, "query: %s", pos);
		return WARD_EX_CONFIG;
	}
	st->exprs = ward_xrealloc(st->exprs, (st->nexprs + 1) * sizeof(*st->exprs));
	st->exprs[st->nexprs++] = e;
	struct ww_rule *r = new_rule(rs);
	char why[300];
	if (ruleset_rule_from_opts(r, o, why, sizeof why) != 0) {
		snprintf(err, errlen, "%s", why);
		return WARD_EX_USAGE;
	}
	/* the query decides the shape; options add name, for, labels, ... */
	r->op = WW_OP_NONE;
	const struct logql_log_query *lq[2] = { NULL, NULL };
	if (from_expr(r, e, lq, why, sizeof why) != 0) {
		snprintf(err, errlen, "query: %s", why);
		return WARD_EX_CONFIG;
	}
	if (o->threshold && r->op == WW_OP_NONE && (!r->rhs || r->setop == WW_SET_ARITH) &&
	    rule_parse_threshold(o->threshold, &r->op, &r->threshold) != 0) {
		snprintf(err, errlen, "option --threshold: not OP NUMBER: %s", o->threshold);
		return WARD_EX_USAGE;
	}
	st->sels = ward_xcalloc(2, sizeof(*st->sels));	/* one query: never moved */
	for (int i = 0; i < 2 && lq[i]; i++) {
		struct logql_pipeline *p = logql_pipeline_compile(st->eng, lq[i], &lerr);
		if (!p) {
			char pos[300];
			logql_error_format(&lerr, pos, sizeof pos);
			snprintf(err, errlen, "query: %s", pos);
			return WARD_EX_CONFIG;
		}
		struct lq_select *s = &st->sels[st->nsels++];
		s->st = st;
		s->pipe = p;
		struct ww_rule *side = i ? r->rhs : r;
		side->select_fn = select_event;
		side->select_ctx = s;
	}
	rule_set_str(&r->expr, query);
	return 0;
}

static void copy_kvs(struct ww_rule *r, const struct ward_rule *wr)
{
	for (size_t i = 0; i < wr->nlabels; i++)
		rule_add_label(r, wr->labels[i].key, wr->labels[i].val);
	for (size_t i = 0; i < wr->nannotations; i++)
		rule_add_annotation(r, wr->annotations[i].key, wr->annotations[i].val);
}

int fromlogql_rules_file(struct ruleset *rs, const struct ruleset_opts *o, const char *path,
			 char *err, size_t errlen)
{
	struct lq_state *st = state_of(rs);
	size_t first = st->file.n;	/* rules of earlier --rules paths are done */
	if (rules_load_path(&st->file, path, err, errlen) != 0)
		return WARD_EX_CONFIG;
	for (size_t i = first; i < st->file.n; i++) {
		const struct ward_rule *wr = &st->file.rules[i];
		if (wr->is_record || logql_expr_is_log(wr->expr))
			continue;	/* ward-match's alone */
		struct ww_rule *r = new_rule(rs);
		rule_set_str(&r->name, wr->name);
		rule_set_str(&r->expr, wr->expr_src);
		rule_set_str(&r->match_rule, wr->name);
		rule_set_str(&r->match_id, wr->id);
		r->match_id_required = wr->name_shared;
		r->for_ns = wr->for_ns;
		r->keep_ns = wr->keep_firing_for_ns > 0 ? wr->keep_firing_for_ns : o->keep_ns;
		r->renotify_ns = o->renotify_ns;
		r->eval_ns = wr->group_interval_ns > 0 ? wr->group_interval_ns : o->eval_ns;
		copy_kvs(r, wr);
		const struct logql_log_query *lq[2] = { NULL, NULL };
		char why[300];
		if (from_expr(r, wr->expr, lq, why, sizeof why) != 0) {
			snprintf(err, errlen, "%s:%zu: rule %s: %s", wr->file, wr->src_line, wr->name, why);
			return WARD_EX_CONFIG;
		}
		if (r->rhs) {
			/* ward-match tags the events of each log query with its index */
			r->part = 0;
			rule_set_str(&r->rhs->match_rule, wr->name);
			rule_set_str(&r->rhs->match_id, wr->id);
			r->rhs->match_id_required = wr->name_shared;
			r->rhs->part = 1;
		}
	}
	if (rs->n == 0) {
		snprintf(err, errlen, "%s: no alert rule with a metric expr (ward-match runs log queries)",
			 path);
		return WARD_EX_CONFIG;
	}
	return 0;
}

void fromlogql_free(void *state)
{
	struct lq_state *st = state;
	if (!st)
		return;
	logql_ctx_free(st->cx);
	logql_engine_free(st->eng);
	for (size_t i = 0; i < st->nexprs; i++)
		logql_expr_free(st->exprs[i]);
	free(st->exprs);
	free(st->sels);
	rules_free(&st->file);
	free(st);
}
