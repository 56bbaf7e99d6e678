/* rules.h - Loki ruler rule files (Prometheus rule format, LogQL expr).
 *
 *   groups:
 *     - name: ssh
 *       interval: 1m            # optional
 *       limit: 0                # optional
 *       rules:
 *         - alert: SSHFailedPassword      # or record: name
 *           expr: '{job="sshd"} |= "Failed password" | regexp `...`'
 *           for: 0m
 *           labels: {severity: medium, mitre_technique: T1110.001}
 *           annotations: {description: "..."}
 *           tests:                        # ward extension (see docs/rules.md)
 *             labels: {job: sshd}         # optional; default: the = matchers
 *             match: ['line', {line: 'line', fields: {user: root}}]
 *             nomatch: ['line']
 *
 * Every expr is parsed with logql_parse when loaded; a file with any error
 * is rejected whole with "FILE:LINE: rule NAME: ...". Unknown keys are
 * ignored (Loki rejects them; ward only reads). Aliases are followed, within
 * a cap on the total number of rules (RULES_MAX).
 *
 * Ownership: a ruleset owns its rules and everything in them (rules_free). */
#ifndef WARD_RULES_H
#define WARD_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "logql.h"

#define RULES_MAX 10000
#define RULES_FILE_MAX (16u << 20)

struct rule_kv {
	char *key;
	char *val;
};

struct rule_sample {
	char *line;
	struct rule_kv *fields;		/* expected fields (subset), for match */
	size_t nfields;
	struct rule_kv *labels;		/* stream labels of the test event */
	size_t nlabels;
	bool want_match;
	size_t src_line;		/* YAML line, 1-based */
};

struct ward_rule {
	char *name;			/* alert or record name */
	bool is_record;
	char *group;
	int64_t group_interval_ns;	/* 0: default */
	long group_limit;
	char *expr_src;
	struct logql_expr *expr;	/* parsed */
	int64_t for_ns;
	int64_t keep_firing_for_ns;
	struct rule_kv *labels;
	size_t nlabels;
	struct rule_kv *annotations;
	size_t nannotations;
	struct rule_sample *samples;	/* embedded tests */
	size_t nsamples;
	char *file;
	size_t src_line;
	/* Which events an alert rule selects, when its name is not enough:
	 * alert rules may share a name (Loki, Prometheus) and each evaluates
	 * its own expr, so ward-match tags the events of a shared name with
	 * "rule_id" too and ward-window takes only its own (docs/rules.md).
	 * id is 16 hex digits of a hash of expr_src, the same in every process
	 * that loads the rule whatever the path or order; name_shared is set
	 * by rules_load_path when another loaded alert rule has this name. */
	char id[17];
	bool name_shared;
};

struct ward_ruleset {
	struct ward_rule *rules;
	size_t n;
};

/* Append the rules of one YAML document held in data (name is used in
 * messages). Returns 0, or -1 with "NAME:LINE: what" in err; on error the
 * ruleset is unchanged. */
int rules_load_buffer(struct ward_ruleset *rs, const char *data, size_t len, const char *name,
		      char *err, size_t errlen);
/* A file, or every *.yaml / *.yml file of a directory (sorted by name;
 * other files, e.g. the packs' gen_*.py generators, are ignored). -1 with
 * a message in err if the path yields no rule at all. An alert rule
 * identical (same name, expr and for:) to an earlier one (of this or an
 * earlier call) is loaded once, with a warning; alert rules of one name
 * that differ are all kept and marked name_shared (-1 in the one case
 * their ids cannot tell them apart: two exprs of one hash). With -v (log
 * level debug), says how many rules each file gave. */
int rules_load_path(struct ward_ruleset *rs, const char *path, char *err, size_t errlen);
void rules_free(struct ward_ruleset *rs);

const char *rule_label(const struct ward_rule *r, const char *key);
const char *rule_annotation(const struct ward_rule *r, const char *key);

#endif
