/* fromlogql.h - LogQL metric queries and Loki ruler files to ww_rules.
 *
 * The LogQL parser and the log-pipeline evaluator are ward-match's
 * (common/logql/logql.h); this module only maps a parsed metric expression onto
 * the shapes ward-window evaluates, and says precisely which it cannot. */
#ifndef WARD_WINDOW_FROMLOGQL_H
#define WARD_WINDOW_FROMLOGQL_H

#include <stddef.h>

struct ruleset;
struct ruleset_opts;

/* One QUERY operand: its log part runs through the match engine. Returns 0
 * or an exit code with err set. */
int fromlogql_query(struct ruleset *rs, const struct ruleset_opts *o, const char *query,
		    char *err, size_t errlen);
/* A Loki ruler file: every alert rule; its events are the ones ward-match
 * tagged with the rule's name. */
int fromlogql_rules_file(struct ruleset *rs, const struct ruleset_opts *o, const char *path,
			 char *err, size_t errlen);
void fromlogql_free(void *state);

#endif
