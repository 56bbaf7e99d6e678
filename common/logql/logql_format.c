/* logql_format.c - canonical text of a LogQL tree (--explain, round trips).
 * The output parses back to an equal tree. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fmtdouble.h"
#include "logql.h"
#include "wtime.h"

static void fmt_string(struct ward_buf *b, const char *s, size_t n)
{
	buf_append_char(b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			buf_append_char(b, '\\');
			buf_append_char(b, (char)c);
		} else if (c == '\n') {
			buf_append_str(b, "\\n");
		} else if (c < 0x20 || c == 0x7f) {
			buf_printf(b, "\\x%02x", c);
		} else {
			buf_append_char(b, (char)c);
		}
	}
	buf_append_char(b, '"');
}

static const char *match_op_str(enum logql_match_op op)
{
	static const char *const s[] = { "=", "!=", "=~", "!~" };
	return s[op];
}

static void fmt_matcher(struct ward_buf *b, const struct logql_matcher *m)
{
	buf_printf(b, "%s%s", m->name, match_op_str(m->op));
	fmt_string(b, m->value, m->value_len);
}

/* The shortest text that reads back as the same double (fmtdouble's JSON
 * dialect: %.15g..%.17g, integral values as integers). The parser keeps
 * only finite numbers, so no NaN or Inf reaches it. */
static void fmt_num(struct ward_buf *b, double v)
{
	fmtdouble_append(b, v, FMTDOUBLE_JSON);
}

static void fmt_label_filter(struct ward_buf *b, const struct logql_label_filter *f)
{
	static const char *const cmp[] = { "==", "!=", ">", ">=", "<", "<=" };
	char tmp[64];
	switch (f->kind) {
	case LQ_LF_AND: case LQ_LF_OR: {
		/* parentheses only where the tree needs them, so long chains
		 * print flat (and binds tighter than or; both left-assoc) */
		bool lp = f->kind == LQ_LF_AND && f->left->kind == LQ_LF_OR;
		bool rp = f->kind == LQ_LF_AND && f->right->kind == LQ_LF_OR;
		if (lp) buf_append_char(b, '(');
		fmt_label_filter(b, f->left);
		if (lp) buf_append_char(b, ')');
		buf_append_str(b, f->kind == LQ_LF_AND ? " and " : " or ");
		if (rp) buf_append_char(b, '(');
		fmt_label_filter(b, f->right);
		if (rp) buf_append_char(b, ')');
		break;
	}
	case LQ_LF_STRING:
		fmt_matcher(b, &f->m);
		break;
	case LQ_LF_IP:
		buf_printf(b, "%s%sip(", f->m.name, f->m.op == LQ_MATCH_EQ ? "=" : "!=");
		fmt_string(b, f->m.value, f->m.value_len);
		buf_append_char(b, ')');
		break;
	case LQ_LF_NUMBER:
		buf_printf(b, "%s%s", f->name, cmp[f->cmp]);
		fmt_num(b, f->number);
		break;
	case LQ_LF_DURATION:
		buf_printf(b, "%s%s", f->name, cmp[f->cmp]);
		if (f->number < 0)
			buf_append_char(b, '-');
		duration_format((int64_t)(f->number < 0 ? -f->number * 1e9 : f->number * 1e9), tmp, sizeof(tmp));
		buf_append_str(b, tmp);
		break;
	case LQ_LF_BYTES:
		buf_printf(b, "%s%s", f->name, cmp[f->cmp]);
		/* plain digits: the lexer reads no exponent in a size */
		if (f->number == floor(f->number) && fabs(f->number) < 1e300)
			buf_printf(b, "%.0fB", f->number);
		else
			buf_printf(b, "%.30fB", f->number);
		break;
	}
}

static void fmt_line_filter(struct ward_buf *b, const struct logql_line_filter *lf)
{
	static const char *const ops[] = { "|=", "!=", "|~", "!~", "|>", "!>" };
	buf_printf(b, " %s ", ops[lf->op]);
	for (size_t i = 0; i < lf->nalts; i++) {
		if (i)
			buf_append_str(b, " or ");
		if (lf->alts[i].is_ip)
			buf_append_str(b, "ip(");
		fmt_string(b, lf->alts[i].value, lf->alts[i].len);
		if (lf->alts[i].is_ip)
			buf_append_char(b, ')');
	}
}

static void fmt_extract(struct ward_buf *b, const struct logql_stage *st)
{
	if (st->u.extract.strict)
		buf_append_str(b, " --strict");
	if (st->u.extract.keep_empty)
		buf_append_str(b, " --keep-empty");
	for (size_t i = 0; i < st->u.extract.nparams; i++) {
		buf_printf(b, "%s %s=", i ? "," : "", st->u.extract.params[i].name);
		fmt_string(b, st->u.extract.params[i].path, strlen(st->u.extract.params[i].path));
	}
}

static void fmt_stage(struct ward_buf *b, const struct logql_stage *st)
{
	static const char *const names[] = {
		[LQ_STAGE_JSON] = "json", [LQ_STAGE_LOGFMT] = "logfmt", [LQ_STAGE_REGEXP] = "regexp",
		[LQ_STAGE_PATTERN] = "pattern", [LQ_STAGE_UNPACK] = "unpack",
		[LQ_STAGE_LINE_FORMAT] = "line_format", [LQ_STAGE_LABEL_FORMAT] = "label_format",
		[LQ_STAGE_DROP] = "drop", [LQ_STAGE_KEEP] = "keep", [LQ_STAGE_DECOLORIZE] = "decolorize",
	};
	if (st->kind == LQ_STAGE_LINE_FILTER) {
		fmt_line_filter(b, &st->u.line);
		return;
	}
	buf_append_str(b, " | ");
	if (st->kind == LQ_STAGE_LABEL_FILTER) {
		fmt_label_filter(b, st->u.filter);
		return;
	}
	buf_append_str(b, names[st->kind]);
	switch (st->kind) {
	case LQ_STAGE_JSON: case LQ_STAGE_LOGFMT:
		fmt_extract(b, st);
		break;
	case LQ_STAGE_REGEXP: case LQ_STAGE_PATTERN: case LQ_STAGE_LINE_FORMAT:
		buf_append_char(b, ' ');
		fmt_string(b, st->u.str.text, st->u.str.len);
		break;
	case LQ_STAGE_LABEL_FORMAT:
		for (size_t i = 0; i < st->u.lfmt.n; i++) {
			const struct logql_label_fmt *lf = &st->u.lfmt.items[i];
			buf_printf(b, "%s %s=", i ? "," : "", lf->dst);
			if (lf->src)
				buf_append_str(b, lf->src);
			else
				fmt_string(b, lf->tmpl, strlen(lf->tmpl));
		}
		break;
	case LQ_STAGE_DROP: case LQ_STAGE_KEEP:
		for (size_t i = 0; i < st->u.names.n; i++) {
			buf_append_str(b, i ? ", " : " ");
			if (st->u.names.items[i].bare)
				buf_append_str(b, st->u.names.items[i].m.name);
			else
				fmt_matcher(b, &st->u.names.items[i].m);
		}
		break;
	default:
		break;
	}
}

void logql_log_query_format(const struct logql_log_query *q, struct ward_buf *b)
{
	buf_append_char(b, '{');
	for (size_t i = 0; i < q->nmatchers; i++) {
		if (i)
			buf_append_str(b, ", ");
		fmt_matcher(b, &q->matchers[i]);
	}
	buf_append_char(b, '}');
	for (size_t i = 0; i < q->nstages; i++)
		fmt_stage(b, &q->stages[i]);
}

static void fmt_labels(struct ward_buf *b, char **labels, size_t n)
{
	buf_append_char(b, '(');
	for (size_t i = 0; i < n; i++)
		buf_printf(b, "%s%s", i ? ", " : "", labels[i]);
	buf_append_char(b, ')');
}

static void fmt_grouping(struct ward_buf *b, const struct logql_grouping *g)
{
	if (g->kind == LQ_GROUP_NONE)
		return;
	buf_append_str(b, g->kind == LQ_GROUP_BY ? " by " : " without ");
	fmt_labels(b, g->labels, g->nlabels);
}

static void fmt_range(struct ward_buf *b, const struct logql_range_agg *r)
{
	char d[64];
	buf_printf(b, "%s(", logql_range_fn_name(r->fn));
	if (r->has_param) {
		fmt_num(b, r->param);
		buf_append_str(b, ", ");
	}
	logql_log_query_format(r->query, b);
	if (r->unwrap) {
		static const char *const conv[] = { "", "duration", "bytes" };
		if (r->unwrap->conv == LQ_UNWRAP_NONE)
			buf_printf(b, " | unwrap %s", r->unwrap->label);
		else
			buf_printf(b, " | unwrap %s(%s)", conv[r->unwrap->conv], r->unwrap->label);
		for (size_t i = 0; i < r->unwrap->npost; i++)
			fmt_stage(b, &r->unwrap->post[i]);
	}
	duration_format(r->range_ns, d, sizeof(d));
	buf_printf(b, " [%s]", d);
	if (r->offset_ns) {
		duration_format(r->offset_ns, d, sizeof(d));
		buf_printf(b, " offset %s", d);
	}
	buf_append_char(b, ')');
	fmt_grouping(b, &r->grouping);
}

static int binop_prec(enum logql_binop op)
{
	if (op == LQ_BIN_OR) return 1;
	if (op == LQ_BIN_AND || op == LQ_BIN_UNLESS) return 2;
	if (op <= LQ_BIN_LE) return 3;
	if (op == LQ_BIN_ADD || op == LQ_BIN_SUB) return 4;
	if (op == LQ_BIN_POW) return 6;
	return 5;
}

static void fmt_expr(const struct logql_expr *e, struct ward_buf *b, int parent_prec, bool right);

static void fmt_binary(const struct logql_expr *e, struct ward_buf *b, int parent_prec, bool right)
{
	int prec = binop_prec(e->u.bin.op);
	bool pow = e->u.bin.op == LQ_BIN_POW;
	/* left-assoc: a right operand of equal precedence needs parentheses;
	 * ^ is right-assoc: a left one does */
	bool paren = prec < parent_prec || (prec == parent_prec && (right != pow));
	if (paren)
		buf_append_char(b, '(');
	fmt_expr(e->u.bin.lhs, b, prec, false);
	buf_printf(b, " %s%s", logql_binop_name(e->u.bin.op), e->u.bin.return_bool ? " bool" : "");
	if (e->u.bin.matching.present) {
		buf_append_str(b, e->u.bin.matching.on ? " on" : " ignoring");
		fmt_labels(b, e->u.bin.matching.labels, e->u.bin.matching.nlabels);
		if (e->u.bin.matching.card != LQ_CARD_ONE_TO_ONE) {
			buf_append_str(b, e->u.bin.matching.card == LQ_CARD_GROUP_LEFT ?
				       " group_left" : " group_right");
			fmt_labels(b, e->u.bin.matching.include, e->u.bin.matching.ninclude);
		}
	}
	buf_append_char(b, ' ');
	fmt_expr(e->u.bin.rhs, b, prec, true);
	if (paren)
		buf_append_char(b, ')');
}

void logql_expr_format(const struct logql_expr *e, struct ward_buf *b)
{
	fmt_expr(e, b, 0, false);
}

static void fmt_expr(const struct logql_expr *e, struct ward_buf *b, int parent_prec, bool right)
{
	switch (e->kind) {
	case LQ_EXPR_LOG:
		logql_log_query_format(e->u.log, b);
		break;
	case LQ_EXPR_RANGE:
		fmt_range(b, &e->u.range);
		break;
	case LQ_EXPR_VECTOR_AGG:
		buf_append_str(b, logql_vector_op_name(e->u.vagg.op));
		fmt_grouping(b, &e->u.vagg.grouping);
		buf_append_str(b, " (");
		if (e->u.vagg.has_param) {
			fmt_num(b, e->u.vagg.param);
			buf_append_str(b, ", ");
		}
		fmt_expr(e->u.vagg.inner, b, 0, false);
		buf_append_char(b, ')');
		break;
	case LQ_EXPR_BINARY:
		fmt_binary(e, b, parent_prec, right);
		break;
	case LQ_EXPR_LITERAL:
		fmt_num(b, e->u.literal);
		break;
	case LQ_EXPR_VECTOR:
		buf_append_str(b, "vector(");
		fmt_num(b, e->u.literal);
		buf_append_char(b, ')');
		break;
	case LQ_EXPR_LABEL_REPLACE:
		buf_append_str(b, "label_replace(");
		fmt_expr(e->u.lrep.inner, b, 0, false);
		{
			const char *a[4] = { e->u.lrep.dst, e->u.lrep.replacement, e->u.lrep.src, e->u.lrep.regex };
			for (int i = 0; i < 4; i++) {
				buf_append_str(b, ", ");
				fmt_string(b, a[i], strlen(a[i]));
			}
		}
		buf_append_char(b, ')');
		break;
	}
}
