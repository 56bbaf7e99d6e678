/* match.c - queries and rules over events (no I/O). */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stages/match/match.h"

#define MAX_PARTS 64

void matcher_init_opts(struct matcher *m, uint32_t match_limit, bool prefilter)
{
	memset(m, 0, sizeof(*m));
	m->eng = logql_engine_new();
	logql_engine_set_match_limit(m->eng, match_limit);
	logql_engine_set_prefilter(m->eng, prefilter);
	m->no_prefilter = !prefilter;
	event_init(&m->scratch);
}

void matcher_init(struct matcher *m, uint32_t match_limit)
{
	matcher_init_opts(m, match_limit, true);
}

static void free_flat(struct matcher *m)
{
	logql_pfset_free(m->pf);
	free(m->flat);
	free(m->flat_rule);
	free(m->flat_part);
	free(m->cand);
	m->pf = NULL;
	m->flat = NULL;
	m->flat_rule = m->flat_part = NULL;
	m->cand = NULL;
	m->nflat = 0;
}

/* Index every (rule, log query) after the rules are compiled. */
static void build_flat(struct matcher *m)
{
	free_flat(m);
	size_t n = 0;
	for (size_t r = 0; r < m->nrules; r++)
		n += m->rules[r].npipes;
	m->flat = ward_xcalloc(n + 1, sizeof(*m->flat));
	m->flat_rule = ward_xcalloc(n + 1, sizeof(*m->flat_rule));
	m->flat_part = ward_xcalloc(n + 1, sizeof(*m->flat_part));
	for (size_t r = 0; r < m->nrules; r++)
		for (size_t i = 0; i < m->rules[r].npipes; i++) {
			m->flat[m->nflat] = m->rules[r].pipes[i];
			m->flat_rule[m->nflat] = (uint32_t)r;
			m->flat_part[m->nflat++] = (uint32_t)i;
		}
	m->pf = logql_pfset_new(m->flat, m->nflat);
	m->cand = ward_xcalloc(logql_pfset_words(m->pf) + 1, sizeof(uint64_t));
}

void matcher_free(struct matcher *m)
{
	for (size_t i = 0; i < m->nrules; i++) {
		free(m->rules[i].queries);
		free(m->rules[i].pipes);
	}
	free(m->rules);
	free_flat(m);
	logql_ctx_free(m->cx);
	logql_engine_free(m->eng);	/* frees the pipelines */
	logql_expr_free(m->query);
	free(m->query_src);
	event_free(&m->scratch);
	memset(m, 0, sizeof(*m));
}

/* Compile every log query of expr into mr. */
static int compile_parts(struct matcher *m, struct match_rule *mr, const struct logql_expr *expr,
			 const char *src, char *err, size_t errlen)
{
	const struct logql_log_query *qs[MAX_PARTS];
	size_t n = logql_expr_log_queries(expr, qs, MAX_PARTS);
	mr->queries = ward_xcalloc(n + 1, sizeof(*mr->queries));
	mr->pipes = ward_xcalloc(n + 1, sizeof(*mr->pipes));
	for (size_t i = 0; i < n; i++) {
		struct logql_error e;
		mr->queries[i] = qs[i];
		mr->pipes[i] = logql_pipeline_compile(m->eng, qs[i], &e);
		if (!mr->pipes[i]) {
			unsigned line, col;
			/* compile errors carry a byte offset into the source */
			line = 1;
			col = 1;
			for (size_t k = 0; src && k < e.pos && src[k]; k++) {
				if (src[k] == '\n') { line++; col = 1; } else { col++; }
			}
			snprintf(err, errlen, "%u:%u: %s", line, col, e.msg);
			return -1;
		}
		mr->npipes = i + 1;
	}
	return 0;
}

static struct match_rule *new_rule(struct matcher *m)
{
	m->rules = ward_xrealloc(m->rules, (m->nrules + 1) * sizeof(*m->rules));
	struct match_rule *mr = &m->rules[m->nrules++];
	memset(mr, 0, sizeof(*mr));
	return mr;
}

int matcher_set_query(struct matcher *m, const char *src, char *err, size_t errlen)
{
	struct logql_error e;
	m->query = logql_parse(src, strlen(src), &e);
	if (!m->query) {
		logql_error_format(&e, err, errlen);
		return -1;
	}
	m->query_src = ward_xstrdup(src);
	struct match_rule *mr = new_rule(m);
	return compile_parts(m, mr, m->query, src, err, errlen);
}

/* An alert rule of a shared name whose expr an earlier rule of that name
 * has (another for:): it selects the same events, which ward-match writes
 * once; ward-window evaluates both rules on them. */
static bool same_selection(const struct matcher *m, const struct ward_rule *r)
{
	for (size_t k = 0; r->name_shared && k < m->nrules; k++) {
		const struct ward_rule *o = m->rules[k].rule;
		if (o && o->name_shared && !strcmp(o->name, r->name) && !strcmp(o->expr_src, r->expr_src))
			return true;
	}
	return false;
}

int matcher_add_rules(struct matcher *m, const struct ward_ruleset *rs, const char *only_name,
		      char *err, size_t errlen)
{
	m->rules_mode = true;
	for (size_t i = 0; i < rs->n; i++) {
		const struct ward_rule *r = &rs->rules[i];
		if (only_name && strcmp(r->name, only_name) != 0)
			continue;
		if (same_selection(m, r))
			continue;
		struct match_rule *mr = new_rule(m);
		mr->rule = r;
		char e[400];
		if (compile_parts(m, mr, r->expr, r->expr_src, e, sizeof(e)) != 0) {
			snprintf(err, errlen, "%s:%zu: rule %s: expr %s", r->file, r->src_line, r->name, e);
			return -1;
		}
	}
	build_flat(m);
	return 0;
}

static void ensure_ctx(struct matcher *m)
{
	if (!m->cx)
		m->cx = logql_ctx_new(m->eng);
}

static int process_query(struct matcher *m, struct ward_event *ev, match_emit_fn emit, void *ud)
{
	struct match_rule *mr = &m->rules[0];
	for (size_t i = 0; i < mr->npipes; i++) {
		if (!logql_eval(m->cx, mr->pipes[i]))
			continue;
		logql_apply(m->cx, ev);
		mr->hits++;
		return emit(ud, ev) == 0 ? 1 : -1;
	}
	return 0;
}

/* Part i of rule r on the current event: emit it if kept. 1 emitted, 0 not
 * kept, -1 emit failed. */
static int process_part(struct matcher *m, struct ward_event *ev, size_t r, size_t i,
			match_emit_fn emit, void *ud)
{
	struct match_rule *mr = &m->rules[r];
	if (!logql_eval(m->cx, mr->pipes[i]))
		return 0;
	mr->hits++;
	if (mr->npipes == 1 && !mr->rule->name_shared && logql_result_additive(m->cx)) {
		/* the common case: new fields only; no copy */
		size_t nfields = ev->fields.len;
		const char *rule = ev->rule;
		if (m->applied_to == ev && logql_result_is_marked(m->cx)) {
			ev->fields.len = m->applied_len;	/* the fields the last apply added */
		} else {	/* written out and undone before the next event */
			logql_apply_borrowed(m->cx, ev);
			logql_result_mark(m->cx);
			m->applied_to = ev;
			m->applied_len = ev->fields.len;
		}
		ev->rule = mr->rule->name;	/* the ruleset outlives the emit; restored below */
		int rc = emit(ud, ev);
		ev->fields.len = nfields;
		ev->rule = rule;
		return rc != 0 ? -1 : 1;
	}
	event_copy(&m->scratch, ev);
	logql_apply(m->cx, &m->scratch);
	event_set_rule(&m->scratch, mr->rule->name);
	if (mr->npipes > 1)
		event_set_extra(&m->scratch, "rule_part", json_object_new_int((int)i));
	if (mr->rule->name_shared)
		event_set_extra(&m->scratch, "rule_id", json_object_new_string(mr->rule->id));
	return emit(ud, &m->scratch) != 0 ? -1 : 1;
}

int matcher_process(struct matcher *m, struct ward_event *ev, match_emit_fn emit, void *ud)
{
	int emitted = 0;
	ensure_ctx(m);
	logql_ctx_begin(m->cx, ev);
	if (!m->rules_mode)
		return m->nrules ? process_query(m, ev, emit, ud) : 0;
	if (m->no_prefilter || !m->pf) {
		for (size_t r = 0; r < m->nrules; r++)
			for (size_t i = 0; i < m->rules[r].npipes; i++) {
				int rc = process_part(m, ev, r, i, emit, ud);
				if (rc < 0)
					return -1;
				emitted += rc;
			}
		return emitted;
	}
	/* only the (rule, part)s whose required literals the line holds, in
	 * rule order: the output is the same as running them all */
	logql_pfset_candidates(m->cx, m->pf, m->cand);
	size_t words = logql_pfset_words(m->pf);
	for (size_t w = 0; w < words; w++)
		for (uint64_t bits = m->cand[w]; bits; bits &= bits - 1) {
			size_t k = w * 64 + (size_t)__builtin_ctzll(bits);
			int rc = process_part(m, ev, m->flat_rule[k], m->flat_part[k], emit, ud);
			if (rc < 0)
				return -1;
			emitted += rc;
		}
	return emitted;
}

void matcher_explain(const struct matcher *m, struct ward_buf *out)
{
	for (size_t r = 0; r < m->nrules; r++) {
		const struct match_rule *mr = &m->rules[r];
		const struct logql_expr *e = mr->rule ? mr->rule->expr : m->query;
		if (mr->rule)
			buf_printf(out, "rule %s (%s:%zu, group %s%s%s)\n", mr->rule->name, mr->rule->file,
				   mr->rule->src_line, mr->rule->group,
				   mr->rule->name_shared ? ", rule_id " : "",
				   mr->rule->name_shared ? mr->rule->id : "");
		buf_append_str(out, "expr: ");
		logql_expr_format(e, out);
		buf_printf(out, "\nkind: %s\n", logql_expr_is_log(e) ? "log query" :
			   "metric query (ward-match runs its log part; ward-window finishes it)");
		for (size_t i = 0; i < mr->npipes; i++) {
			if (mr->npipes > 1)
				buf_printf(out, "log part %zu:\n", i);
			logql_pipeline_explain(mr->pipes[i], out);
		}
		buf_append_char(out, '\n');
	}
}

/* ---- embedded tests ---------------------------------------------------------- */

static bool check_fields(const struct rule_sample *s, const struct ward_event *ev, struct ward_buf *why)
{
	for (size_t i = 0; i < s->nfields; i++) {
		const struct ward_kv *kv = event_lookup(ev, s->fields[i].key);
		if (!kv || strcmp(kv->val, s->fields[i].val) != 0) {
			buf_printf(why, "field %s is \"%s\", want \"%s\"", s->fields[i].key,
				   kv ? kv->val : "(absent)", s->fields[i].val);
			return false;
		}
	}
	return true;
}

static bool run_sample(struct matcher *m, struct match_rule *mr, const struct rule_sample *s,
		       struct ward_buf *why)
{
	struct ward_event ev;
	event_init(&ev);
	for (size_t i = 0; i < s->nlabels; i++)
		event_set_label(&ev, s->labels[i].key, s->labels[i].val, strlen(s->labels[i].val));
	event_set_line(&ev, s->line, strlen(s->line));
	logql_ctx_begin(m->cx, &ev);
	bool matched = false, ok = true;
	for (size_t i = 0; i < mr->npipes && !matched; i++) {
		if (!logql_eval(m->cx, mr->pipes[i]))
			continue;
		matched = true;
		event_copy(&m->scratch, &ev);
		logql_apply(m->cx, &m->scratch);
		if (s->want_match)
			ok = check_fields(s, &m->scratch, why);
	}
	if (matched != s->want_match) {
		buf_append_str(why, s->want_match ? "did not match" : "matched");
		ok = false;
	}
	event_free(&ev);
	return ok;
}

size_t matcher_run_tests(struct matcher *m, struct ward_buf *out, size_t *ntests)
{
	size_t failed = 0;
	*ntests = 0;
	ensure_ctx(m);
	for (size_t r = 0; r < m->nrules; r++) {
		struct match_rule *mr = &m->rules[r];
		if (!mr->rule)
			continue;
		for (size_t i = 0; i < mr->rule->nsamples; i++) {
			const struct rule_sample *s = &mr->rule->samples[i];
			struct ward_buf why = WARD_BUF_INIT;
			bool ok = run_sample(m, mr, s, &why);
			(*ntests)++;
			if (ok) {
				buf_printf(out, "ok   %s %s:%zu %s\n", mr->rule->name, mr->rule->file, s->src_line,
					   s->want_match ? "match" : "nomatch");
			} else {
				failed++;
				buf_printf(out, "FAIL %s %s:%zu %s: %s: %s\n", mr->rule->name, mr->rule->file,
					   s->src_line, s->want_match ? "match" : "nomatch", buf_cstr(&why), s->line);
			}
			buf_free(&why);
		}
	}
	return failed;
}
