/* ward-match - LogQL log queries and detection rules over ward events. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exitcodes.h"
#include "jsonw.h"
#include "stage.h"
#include "stage_cli.h"
#include "stages/match/f2b_set.h"
#include "stages/match/match.h"
#include "stages/match/sigma.h"

struct run {
	struct matcher m;
	struct ward_stage *st;
	uint64_t *regex_limit_hits;
	uint64_t *engine_counters[5];	/* publish_stats's, in its order; looked up once */
	uint64_t matched_events;
	const struct ward_event *in;	/* the input being matched */
	struct ward_buf out;		/* its serialization: head, then one tail */
	size_t head_len;		/* 0: the head is not written yet */
	/* the input's fields as last written (`,"fields":{...}`), the entries
	 * they were written from and where each entry's text ends; valid
	 * while head_len is not 0 */
	struct ward_buf fields_json;
	size_t fields_open;		/* after the `{` */
	struct ward_kv *fields_from;
	size_t *fields_end;
	size_t nfields_from, capfields_from;
	/* `,"rule":"NAME"` of the rules emitted, by the address of NAME: the
	 * ruleset's string, fixed while the stage runs (matcher_process's
	 * additive emits point ev->rule there); a slot is rewritten when
	 * another rule's name maps to it */
	struct rule_text {
		const char *name;
		struct ward_buf json;
	} rule_text[64];
};

static const struct ward_buf *rule_json(struct run *r, const char *name)
{
	struct rule_text *t = &r->rule_text[((uintptr_t)name >> 4) % (sizeof(r->rule_text) / sizeof(r->rule_text[0]))];
	if (t->name != name) {
		buf_reset(&t->json);
		buf_append_lit(&t->json, ",\"rule\":");
		jsonw_cstring(&t->json, name);
		t->name = name;
	}
	return &t->json;
}

/* Entries compare by content (an equal result applied again is a new copy
 * of the same text); both live in the input's arena until the next input. */
static bool same_kv(const struct ward_kv *a, const struct ward_kv *b)
{
	return a->key_len == b->key_len && a->val_len == b->val_len && a->kind == b->kind &&
	       (a->val == b->val || !memcmp(a->val, b->val, a->val_len)) &&
	       (a->key == b->key || !memcmp(a->key, b->key, a->key_len));
}

/* Write ev's fields into fields_json, keeping the text of the entries it
 * shares, from the start, with the last written ones (rules on one input
 * often add the same fields, or those and one more): fresh for a new input. */
static void write_fields(struct run *r, const struct ward_event *ev, bool fresh)
{
	const struct ward_kvlist *l = &ev->fields;
	size_t p = 0;
	if (fresh) {
		buf_reset(&r->fields_json);
		buf_append_lit(&r->fields_json, ",\"fields\":{");
		r->fields_open = r->fields_json.len;
		r->nfields_from = 0;
	}
	while (p < l->len && p < r->nfields_from && same_kv(&l->items[p], &r->fields_from[p]))
		p++;
	if (l->len > r->capfields_from) {
		r->capfields_from = l->len * 2;
		r->fields_from = ward_xrealloc(r->fields_from, r->capfields_from * sizeof(*r->fields_from));
		r->fields_end = ward_xrealloc(r->fields_end, r->capfields_from * sizeof(*r->fields_end));
	}
	r->fields_json.len = p ? r->fields_end[p - 1] : r->fields_open;
	for (size_t i = p; i < l->len; i++) {
		if (i)
			buf_append_char(&r->fields_json, ',');
		event_serialize_kv(&l->items[i], &r->fields_json);
		r->fields_from[i] = l->items[i];
		r->fields_end[i] = r->fields_json.len;
	}
	r->nfields_from = l->len;
	buf_append_char(&r->fields_json, '}');
}

/* The input itself changed only in fields and rule since its first emit
 * (matcher_process's contract): its head (ts, labels, line: most of the
 * bytes, and the escaping of the line) is written once per input, not
 * once per matching rule. A copy is serialized whole. */
static int emit_cb(void *ud, const struct ward_event *ev)
{
	struct run *r = ud;
	if (ev != r->in)
		return stage_emit(r->st, ev);
	if (r->head_len == 0) {
		buf_reset(&r->out);
		if (ev->raw_head)	/* the record holds it as written */
			buf_append(&r->out, ev->raw_head, ev->raw_head_len);
		else
			event_serialize_head(ev, &r->out);
		r->head_len = r->out.len;
		write_fields(r, ev, true);
	} else {
		write_fields(r, ev, false);
	}
	r->out.len = r->head_len;
	buf_append(&r->out, r->fields_json.data, r->fields_json.len);
	if (!r->m.rules_mode) {	/* the input's own rule, in its arena: no fixed address */
		event_serialize_end(ev, &r->out);
	} else {
		if (ev->rule) {
			const struct ward_buf *rule = rule_json(r, ev->rule);
			buf_append(&r->out, rule->data, rule->len);
		}
		event_serialize_extra(ev, &r->out);
	}
	return stage_emit_json(r->st, ev, r->out.data, r->out.len);
}

static int on_event(void *ctx, struct ward_stage *st, struct ward_event *ev)
{
	struct run *r = ctx;
	r->in = ev;
	r->head_len = 0;
	int n = matcher_process(&r->m, ev, emit_cb, r);
	if (n < 0)
		return -1;	/* output failed or closed: stage_emit set the status */
	if (n == 0)
		st->counters.dropped++;
	else
		r->matched_events++;
	return 0;
}

static const char synopsis[] = "[options] 'QUERY' | --rules FILE|DIR... [--rule NAME] | --fail2ban PATH...";
static const char description[] =
	"Run a LogQL query (stream selector and log pipeline: line filters, json,\n"
	"logfmt, regexp, pattern, unpack, label filters, line_format, label_format,\n"
	"drop, keep, decolorize) over ward events, or the log part of every rule of\n"
	"Loki ruler files. Selected events are written with the labels and fields the\n"
	"query extracted; with --rules, once per matching rule with \"rule\":\"NAME\".";
static const char epilog[] =
	"exit status: 0 done, 1 --fail-on-match matched or --test failed, 64 usage,\n"
	"74 I/O error, 78 bad query or rules (the message names the position).\n"
	"example: ward-ingest --label job=sshd auth.log | ward-match '{job=\"sshd\"} |= \"Failed password\"'";

struct cli {
	struct ward_common_opts common;
	struct opt_list rules;
	struct opt_list tests;
	struct opt_list f2b;
	struct opt_list sigma;
	const char *emit_ruler;
	const char *rule;
	bool explain;
	bool fail_on_match;
	long match_limit;
};

static int load_rules(const struct opt_list *paths, struct ward_ruleset *rs)
{
	char err[1024];
	for (size_t i = 0; i < paths->len; i++)
		if (rules_load_path(rs, paths->items[i], err, sizeof(err)) != 0) {
			log_error("rules: %s", err);
			return -1;
		}
	return 0;
}

static int run_tests(struct cli *c)
{
	struct ward_ruleset rs = { 0 };
	struct matcher m;
	char err[1024];
	int rc = WARD_EX_OK;
	matcher_init(&m, (uint32_t)c->match_limit);
	if (load_rules(&c->tests, &rs) != 0) {
		rc = WARD_EX_CONFIG;
	} else if (matcher_add_rules(&m, &rs, c->rule, err, sizeof(err)) != 0) {
		log_error("rules: %s", err);
		rc = WARD_EX_CONFIG;
	} else {
		struct ward_buf out = WARD_BUF_INIT;
		size_t ntests, failed = matcher_run_tests(&m, &out, &ntests);
		fwrite(out.data ? out.data : "", 1, out.len, stdout);
		printf("%zu tests, %zu passed, %zu failed\n", ntests, ntests - failed, failed);
		buf_free(&out);
		if (failed || ntests == 0)
			rc = WARD_EX_FAIL;
	}
	matcher_free(&m);
	rules_free(&rs);
	return rc;
}

static int explain(struct matcher *m)
{
	struct ward_buf out = WARD_BUF_INIT;
	matcher_explain(m, &out);
	fwrite(out.data ? out.data : "", 1, out.len, stdout);
	buf_free(&out);
	return WARD_EX_OK;
}

static int publish_stats(void *ctx, struct ward_stage *st, int64_t now_mono_ns)
{
	struct run *r = ctx;
	struct logql_stats ls = { 0 };
	(void)now_mono_ns;
	if (r->m.cx)
		logql_ctx_stats(r->m.cx, &ls);
	static const char *const names[] = { "regex_limit_hits", "parser_runs", "parser_cache_hits",
					     "regexp_skipped", "query_cache_hits" };
	const uint64_t vals[] = { ls.regex_limit_hits, ls.parser_runs, ls.parser_cache_hits,
				  ls.regexp_skipped, ls.query_cache_hits };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!r->engine_counters[i])	/* called once per event: no name lookups */
			r->engine_counters[i] = counters_extra(&st->counters, names[i]);
		__atomic_store_n(r->engine_counters[i], vals[i], __ATOMIC_RELAXED);
	}
	return 0;
}

static int stream(struct cli *c, struct run *r)
{
	struct ward_stage st;
	stage_init(&st, "match", &c->common);
	r->st = &st;
	/* --metrics: the engine's statistics are published every second, not
	 * only at exit */
	const struct stage_hooks hooks = { .on_event = on_event, .on_tick = publish_stats,
					   .tick_ms = c->common.metrics ? 1000 : 0,
					   /* 64 events take well under a millisecond: the
					    * clock read after each was 3% of the stage */
					   .clock_every = 64 };
	publish_stats(r, &st, 0);
	if (stage_open(&st, false) == 0)
		stage_run(&st, &hooks, r);
	publish_stats(r, &st, 0);
	struct logql_stats ls = { 0 };
	if (r->m.cx)
		logql_ctx_stats(r->m.cx, &ls);
	if (ls.regex_limit_hits)
		log_warn("%llu regex matches hit the PCRE2 match limit (--match-limit) and counted as no match",
			 (unsigned long long)ls.regex_limit_hits);
	int rc = stage_finish(&st);
	if (rc == WARD_EX_OK && c->fail_on_match && r->matched_events > 0)
		rc = WARD_EX_FAIL;
	return rc;
}

int main(int argc, char **argv)
{
	struct cli c = { .match_limit = 100000 };
	common_opts_defaults(&c.common);
	const struct ward_opt table[] = {
		{ "rules", 'r', OPT_LIST, &c.rules, "FILE|DIR", "Loki ruler rules file or directory of *.yaml, repeatable", NULL },
		{ "fail2ban", 0, OPT_LIST, &c.f2b, "PATH[OPTS]", "fail2ban filter file or filter.d directory (docs/fail2ban.md), repeatable", NULL },
		{ "sigma", 0, OPT_LIST, &c.sigma, "FILE|DIR", "Sigma rules (YAML file or directory), repeatable (docs/sigma.md)", NULL },
		{ "emit-ruler", 0, OPT_STRING, &c.emit_ruler, "FILE", "with --sigma: write the Loki ruler YAML they compile to (- for stdout) and exit", NULL },
		{ "rule", 0, OPT_STRING, &c.rule, "NAME", "run only the rule(s) called NAME", NULL },
		{ "explain", 0, OPT_FLAG, &c.explain, NULL, "print how the query or rules were compiled and exit", NULL },
		{ "test", 0, OPT_LIST, &c.tests, "FILE", "run the embedded test samples of a rules file and exit, repeatable", NULL },
		{ "fail-on-match", 0, OPT_FLAG, &c.fail_on_match, NULL, "exit 1 if any event matched", NULL },
		{ "match-limit", 0, OPT_INT, &c.match_limit, "N", "PCRE2 match limit per regex match (default 100000)", "WARD_MATCH_LIMIT" },
		WARD_COMMON_OPTS(&c.common),
		{ 0 },
	};
	int nops, rc;
	const struct stage_cli cli = { "ward-match", table, synopsis, description, epilog,
					&c.common };
	if (stage_cli_parse(&cli, argc, argv, &nops, &rc) != 0)
		return rc;
	if (c.match_limit < 1 || c.match_limit > 100000000) {
		log_error("option --match-limit: out of range 1..100000000: %ld", c.match_limit);
		return WARD_EX_USAGE;
	}
	if (c.f2b.len > 0 && (nops > 0 || c.rules.len || c.tests.len || c.sigma.len)) {
		log_error("--fail2ban runs alone: no QUERY, --rules, --sigma or --test with it (see --help)");
		rc = WARD_EX_USAGE;
		goto out;
	}
	if (c.f2b.len > 0) {
		rc = f2b_main(&c.common, &c.f2b, (uint32_t)c.match_limit, c.explain);
		goto out;
	}
	if (c.tests.len > 0) {
		rc = run_tests(&c);
		goto out;
	}
	if ((nops == 1) == (c.rules.len + c.sigma.len > 0) || nops > 1) {
		log_error("give one QUERY, or --rules / --sigma (see --help)");
		rc = WARD_EX_USAGE;
		goto out;
	}
	struct run r = { 0 };
	struct ward_ruleset rs = { 0 };
	char err[1024];
	matcher_init(&r.m, (uint32_t)c.match_limit);
	if (nops == 1 && matcher_set_query(&r.m, argv[1], err, sizeof(err)) != 0) {
		log_error("query: %s", err);
		rc = WARD_EX_CONFIG;
	} else if (c.rules.len > 0 && load_rules(&c.rules, &rs) != 0) {
		rc = WARD_EX_CONFIG;
	} else if (c.sigma.len > 0 && sigma_cli_load(&c.sigma, c.emit_ruler, &rs, &rc) != 0) {
		/* rc set: nothing loaded, or --emit-ruler written */
	} else if (rs.n > 0 && matcher_add_rules(&r.m, &rs, c.rule, err, sizeof(err)) != 0) {
		log_error("rules: %s", err);
		rc = WARD_EX_CONFIG;
	} else if (c.rule && r.m.nrules == 0) {
		log_error("option --rule: no rule called %s", c.rule);
		rc = WARD_EX_CONFIG;
	} else if (c.explain) {
		rc = explain(&r.m);
	} else {
		if (r.m.query && !logql_expr_is_log(r.m.query))
			log_info("metric query: writing the events its log part selects (ward-window aggregates them)");
		rc = stream(&c, &r);
	}
	buf_free(&r.out);
	buf_free(&r.fields_json);
	for (size_t i = 0; i < sizeof(r.rule_text) / sizeof(r.rule_text[0]); i++)
		buf_free(&r.rule_text[i].json);
	free(r.fields_from);
	free(r.fields_end);
	matcher_free(&r.m);
	rules_free(&rs);
out:
	opt_list_free(&c.rules);
	opt_list_free(&c.tests);
	opt_list_free(&c.f2b);
	opt_list_free(&c.sigma);
	opt_list_free(&c.common.props);
	return rc;
}
