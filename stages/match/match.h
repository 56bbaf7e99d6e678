/* match.h - ward-match's processing: a LogQL query or a set of rules over
 * events, with no I/O (main.c runs the stage loop; tests call this).
 *
 * Query mode: one expression; an event is emitted once if the log part
 * (any of its log queries, for a metric expression) keeps it, with the
 * labels, fields and line the pipeline produced.
 * Rules mode: every rule's log queries; an event is emitted once per
 * (rule, log query) that keeps it, with top-level "rule" set, and
 * "rule_part" (0-based) when the rule's expr holds several log queries.
 *
 * Ownership: the matcher owns its engine, ctx, pipelines and the parsed
 * query; it borrows the ruleset, which must outlive it. */
#ifndef WARD_MATCH_H
#define WARD_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "event.h"
#include "logql.h"
#include "rules.h"

struct match_rule {
	const struct ward_rule *rule;
	const struct logql_log_query **queries;
	struct logql_pipeline **pipes;
	size_t npipes;
	uint64_t hits;
};

struct matcher {
	struct logql_engine *eng;
	struct logql_ctx *cx;
	struct logql_expr *query;	/* query mode */
	char *query_src;
	struct match_rule *rules;	/* rules mode; query mode uses rules[0] */
	size_t nrules;
	bool rules_mode;
	/* rules mode: every (rule, log query) in order, and the literal index
	 * that picks, per event, the ones that may match (logql_pfset) */
	struct logql_pipeline **flat;
	uint32_t *flat_rule, *flat_part;
	size_t nflat;
	struct logql_pfset *pf;
	uint64_t *cand;
	bool no_prefilter;		/* matcher_init_opts: evaluate every rule */
	struct ward_event scratch;	/* copy of the input per emitted match */
	/* the input the last additive result was applied to, and its field
	 * count then: an equal result (logql_result_is_marked) restores it */
	const struct ward_event *applied_to;
	size_t applied_len;
};

/* emit returns 0, or -1 to stop (output closed). */
typedef int (*match_emit_fn)(void *ud, const struct ward_event *ev);

void matcher_init(struct matcher *m, uint32_t match_limit);
/* The same, with the literal prefilters off when prefilter is false: every
 * rule's every stage runs on every event (the reference that differential
 * tests compare the prefiltered matcher with; results must be equal). */
void matcher_init_opts(struct matcher *m, uint32_t match_limit, bool prefilter);
void matcher_free(struct matcher *m);
/* Parse and compile a query: -1 with "1:17: expected ..." in err. */
int matcher_set_query(struct matcher *m, const char *src, char *err, size_t errlen);
/* Compile the rules of rs (only those called only_name, if given): -1 with
 * "FILE:LINE: rule NAME: ..." in err. */
int matcher_add_rules(struct matcher *m, const struct ward_ruleset *rs, const char *only_name,
		      char *err, size_t errlen);
/* Run one input event; ev may be modified (query mode applies results in
 * place, then emits it once). Returns the number of events emitted, or -1
 * if emit failed. In rules mode an emitted event that is ev itself differs
 * from the input only in fields and rule (the additive case), and its rule
 * is the ruleset's own name string (one address per rule while the
 * ruleset lives); any other result is emitted as a copy: the caller may
 * serialize ev's ts, labels and line once per input, and each rule's name
 * once (main.c). */
int matcher_process(struct matcher *m, struct ward_event *ev, match_emit_fn emit, void *ud);
void matcher_explain(const struct matcher *m, struct ward_buf *out);
/* Run the embedded samples of every rule; a report line per sample into
 * out ("ok ..." / "FAIL ..."). Returns the number of failures. */
size_t matcher_run_tests(struct matcher *m, struct ward_buf *out, size_t *ntests);

#endif
