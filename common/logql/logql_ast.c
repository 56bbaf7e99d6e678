/* logql_ast.c - walking and freeing the LogQL syntax tree (logql.h). */
#include <stdlib.h>

#include "logql.h"

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
