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

static int from_vagg(struct ww_rule *r, const struct logql_vector_agg *va,
		     const struct logql_log_query **lq, char *err, size_t errlen)
{
	const struct logql_expr *in = va->inner;
	const struct logql_grouping *inner_group = NULL;
	if (va->op != LQ_VEC_SUM && va->op != LQ_VEC_MAX && va->op != LQ_VEC_MIN &&
	    va->op != LQ_VEC_COUNT) {
		snprintf(err, errlen, "%s is not supported (sum, min, max and count are)",
			 logql_vector_op_name(va->op));
		return -1;
	}
	if (va->op == LQ_VEC_COUNT && in->kind == LQ_EXPR_VECTOR_AGG && in->u.vagg.op == LQ_VEC_SUM &&
	    in->u.vagg.inner->kind == LQ_EXPR_RANGE) {
		inner_group = &in->u.vagg.grouping;
		in = in->u.vagg.inner;
	}
	if (in->kind != LQ_EXPR_RANGE)
		return fail(err, errlen, "an aggregation must wrap a range function (count_over_time(...[r]), ...)");
	if (from_range(r, &in->u.range, lq, err, errlen) != 0)
		return -1;
	if (r->fn == WW_FN_ABSENT)
		return fail(err, errlen, "aggregating absent_over_time is not supported");
	if (va->op == LQ_VEC_COUNT) {
		if (!inner_group)
			inner_group = &in->u.range.grouping;
		return as_distinct(r, &va->grouping, inner_group, err, errlen);
	}
	bool ok = (va->op == LQ_VEC_SUM && additive(r->fn)) ||
		  (va->op == LQ_VEC_MAX && r->fn == WW_FN_MAX) ||
		  (va->op == LQ_VEC_MIN && r->fn == WW_FN_MIN);
	if (!ok) {
		snprintf(err, errlen, "%s over %s is not supported (sum of count/rate/bytes/sum_over_time, "
			 "max of max_over_time, min of min_over_time, count of series are)",
			 logql_vector_op_name(va->op), rule_fn_str(r->fn));
		return -1;
	}
	const struct logql_grouping *ig = &in->u.range.grouping;
	if (ig->kind == LQ_GROUP_BY && va->grouping.kind == LQ_GROUP_BY)
		for (size_t i = 0; i < va->grouping.nlabels; i++)
			if (!contains(ig->labels, ig->nlabels, va->grouping.labels[i]))
				return fail(err, errlen, "outer by () label missing from the inner by ()");
	for (size_t i = 0; i < r->ngroup; i++)
		free(r->group[i]);
	r->ngroup = 0;
	if (va->grouping.kind == LQ_GROUP_NONE)
		r->group_mode = WW_GROUP_BY;	/* sum(...) : one series */
	else
		set_grouping(r, &va->grouping);
	return 0;
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
		return fail(err, errlen, "arithmetic and comparisons between two vectors are not "
			    "supported (a comparison with a number, and/or/unless are)");
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

/* One side: a metric, optionally compared with a number. */
static int from_side(struct ww_rule *r, const struct logql_expr *e,
		     const struct logql_log_query **lq, char *err, size_t errlen)
{
	if (e->kind != LQ_EXPR_BINARY)
		return from_metric(r, e, lq, err, errlen);
	const struct logql_binary *b = &e->u.bin;
	bool flip = b->lhs->kind == LQ_EXPR_LITERAL;
	const struct logql_expr *num = flip ? b->lhs : b->rhs;
	const struct logql_expr *metric = flip ? b->rhs : b->lhs;
	enum ww_op op = op_of(b->op, flip);
	if (op == WW_OP_NONE || num->kind != LQ_EXPR_LITERAL)
		return from_metric(r, e, lq, err, errlen);
	if (b->matching.present)
		return fail(err, errlen, "on()/ignoring() need two vectors");
	r->op = op;
	r->threshold = num->u.literal;
	r->bool_result = b->return_bool;
	return from_metric(r, metric, lq, err, errlen);
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

/* The whole expression: one side, or `side and|or|unless side` matched on
 * the key. lq[0] and lq[1] receive the log queries of the two sides. */
static int from_expr(struct ww_rule *r, const struct logql_expr *e,
		     const struct logql_log_query **lq, char *err, size_t errlen)
{
	if (e->kind != LQ_EXPR_BINARY || (e->u.bin.op != LQ_BIN_AND && e->u.bin.op != LQ_BIN_OR &&
					  e->u.bin.op != LQ_BIN_UNLESS))
		return from_side(r, e, &lq[0], err, errlen);
	const struct logql_binary *b = &e->u.bin;
	if (b->matching.present)
		return fail(err, errlen, "on()/ignoring() are not supported: both sides must group by the same labels");
	r->setop = b->op == LQ_BIN_AND ? WW_SET_AND : b->op == LQ_BIN_OR ? WW_SET_OR : WW_SET_UNLESS;
	r->rhs = ward_xcalloc(1, sizeof(*r->rhs));
	rule_init(r->rhs);
	rule_set_str(&r->rhs->name, r->name);
	if (from_side(r, b->lhs, &lq[0], err, errlen) != 0 ||
	    from_side(r->rhs, b->rhs, &lq[1], err, errlen) != 0)
		return -1;
	if (r->fn == WW_FN_ABSENT || r->rhs->fn == WW_FN_ABSENT)
		return fail(err, errlen, "absent_over_time cannot be combined with and/or/unless");
	if (!same_grouping(r, r->rhs))
		return fail(err, errlen, "and/or/unless: both sides must group by the same labels");
	return 0;
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
	if (o->threshold && r->op == WW_OP_NONE && !r->rhs &&
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
	if (rules_load_path(&st->file, path, err, errlen) != 0)
		return WARD_EX_CONFIG;
	for (size_t i = 0; i < st->file.n; i++) {
		const struct ward_rule *wr = &st->file.rules[i];
		if (wr->is_record || logql_expr_is_log(wr->expr))
			continue;	/* ward-match's alone */
		struct ww_rule *r = new_rule(rs);
		rule_set_str(&r->name, wr->name);
		rule_set_str(&r->expr, wr->expr_src);
		rule_set_str(&r->match_rule, wr->name);
		r->for_ns = wr->for_ns;
		r->renotify_ns = o->renotify_ns;
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
