/* logql_explain.c - the compiled plan of a pipeline as text (--explain):
 * selector, required literals, stages and what the engine shares. */
#include "logql_engine_int.h"

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
	if (p->has_first) {	/* an anchored regex: lines starting otherwise skip it */
		size_t n = 0;
		for (unsigned b = 0; b < 256; b++)
			n += p->first[b / 8] >> (b % 8) & 1;
		buf_printf(out, "first byte of the raw line (an anchored regex): one of %zu", n);
		for (unsigned b = 0x21; b < 0x7f && n <= 16; b++)
			if (p->first[b / 8] >> (b % 8) & 1)
				buf_printf(out, " %c", (char)b);
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
		for (size_t k = 0; k < p->st[i].need.n; k++) {	/* else PCRE2 is not run */
			const struct logql_lit *l = &p->eng->lits[p->st[i].need.lits[k]];
			buf_printf(out, "%s \"%s\"%s", k ? " or" : "   [runs on lines holding", l->s,
				   l->icase ? " (caseless)" : "");
		}
		for (size_t k = 0; p->st[i].need_too && k < p->st[i].need_too->n; k++) {
			const struct logql_lit *l = &p->eng->lits[p->st[i].need_too->lits[k]];
			buf_printf(out, "%s \"%s\"%s", k ? " or" : " and", l->s, l->icase ? " (caseless)" : "");
		}
		if (p->st[i].need.n)
			buf_append_char(out, ']');
		if (p->st[i].pkey >= 0 && (p->st[i].src->kind == LQ_STAGE_JSON || p->st[i].src->kind == LQ_STAGE_LOGFMT) &&
		    p->st[i].src->u.extract.nparams == 0 && !p->eng->hints[p->st[i].pkey].all) {
			const struct logql_hint *h = &p->eng->hints[p->st[i].pkey];
			buf_append_str(out, "   [decides on:");
			for (size_t k = 0; k < h->n; k++)
				buf_printf(out, " %s", h->names[k]);
			buf_append_str(out, "; all keys for kept events]");
		}
		if (p->st[i].src->kind == LQ_STAGE_LINE_FILTER && p->st[i].alts && p->st[i].alts[0].nlits > 0)
			buf_printf(out, "   [literal set: %zu literals%s]", p->st[i].alts[0].nlits,
				   p->st[i].alts[0].lits_ascii_only ? ", PCRE2 JIT on non-ASCII lines" : "");
		else if (p->st[i].src->kind == LQ_STAGE_LINE_FILTER && p->st[i].alts && p->st[i].alts[0].rx >= 0)
			buf_append_str(out, "   [PCRE2 JIT, unanchored]");
		buf_append_char(out, '\n');
		buf_free(&one);
	}
}

