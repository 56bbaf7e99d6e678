/* sigma.h - Sigma rules (specification 2.0) compiled to Loki ruler rules.
 *
 * A Sigma rule becomes one `alert:` rule whose expr is a LogQL log query
 * (a correlation rule: a metric query that ward-window evaluates), so Sigma
 * rules run on the same engine, prefilter and tooling as the packs:
 *
 *   sigma_load_buffer   YAML text -> struct sigma_rule (one per document)
 *   sigma_cond_parse    the condition string -> tree over selection indexes
 *   sigma_to_logql      a rule -> one LogQL string, or a refusal reason
 *                       (values as regexes: sigma_regex.c; quoting:
 *                       sigma_quote.c; parentheses: sigma_paren.c)
 *   sigma_set_add_path  a file or directory -> a set of rules
 *   sigma_set_compile   a set -> Loki ruler YAML text, plus one refusal
 *                       line per rule that cannot be compiled
 *   sigma_cli_load      ward-match --sigma / --emit-ruler
 *
 * Every value from a rule is data: it is quoted for the regex and the LogQL
 * string it goes into (sigma_regex.c, sigma_quote.c), so no value can end its string, its
 * group or its regex. Field names are mapped per log source (docs/sigma.md);
 * a field with no mapping refuses the rule instead of matching nothing.
 *
 * Ownership: a sigma_rule owns everything in it (sigma_rule_free); a set
 * owns its rules (sigma_set_free). Nothing here keeps global state. */
#ifndef WARD_SIGMA_H
#define WARD_SIGMA_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* Value modifiers (field|mod1|mod2). */
enum {
	SM_CONTAINS = 1u << 0, SM_STARTSWITH = 1u << 1, SM_ENDSWITH = 1u << 2,
	SM_ALL = 1u << 3, SM_RE = 1u << 4, SM_RE_I = 1u << 5, SM_RE_M = 1u << 6,
	SM_RE_S = 1u << 7, SM_CIDR = 1u << 8, SM_BASE64 = 1u << 9,
	SM_BASE64OFFSET = 1u << 10, SM_UTF16LE = 1u << 11, SM_UTF16BE = 1u << 12,
	SM_UTF16 = 1u << 13, SM_WINDASH = 1u << 14, SM_EXISTS = 1u << 15,
	SM_CASED = 1u << 16, SM_GT = 1u << 17, SM_GTE = 1u << 18, SM_LT = 1u << 19,
	SM_LTE = 1u << 20, SM_FIELDREF = 1u << 21,
};

struct sigma_value {
	char *s;		/* the scalar's text; NULL for YAML null */
	bool is_num;		/* a plain integer or float scalar */
};

/* field|mods: values (OR, or AND with |all). field NULL: a keyword (the line). */
struct sigma_item {
	char *field;
	unsigned mods;
	struct sigma_value *vals;
	size_t nvals;
};

/* AND of items (one YAML map). */
struct sigma_group {
	struct sigma_item *items;
	size_t nitems;
};

/* A named detection: OR of groups (a list of maps, or a list of keywords). */
struct sigma_sel {
	char *name;
	struct sigma_group *alts;
	size_t nalts;
};

enum sigma_corr_type { SC_NONE, SC_EVENT_COUNT, SC_VALUE_COUNT, SC_TEMPORAL };

struct sigma_corr {
	enum sigma_corr_type type;
	char **rules;		/* referenced rule names or ids */
	size_t nrules;
	char **group_by;
	size_t ngroup_by;
	char *timespan;		/* e.g. "5m" */
	char *field;		/* value_count */
	char *op;		/* ">=", ">", "<", "<=", "==" */
	char *count;		/* threshold */
	bool generate;		/* the referenced rules also alert on their own
				 * (Sigma's `generate`, false by default) */
};

struct sigma_rule {
	char *title, *id, *name, *status, *level, *description;
	char **tags;
	size_t ntags;
	char *product, *service, *category;
	struct sigma_sel *sels;
	size_t nsels;
	char **conditions;	/* OR of these */
	size_t nconditions;
	struct sigma_corr corr;
	char *file;
	size_t line;
	char *error;		/* set when the document cannot be used: why */
};

/* Parse every document of data; each mapping document is appended to
 * *rules (a rule or a correlation); one that cannot be used (an unknown
 * modifier, no detection...) is appended with ->error set, so it is refused
 * with its reason. Invalid YAML: -1 with "FILE:LINE: why" in err (the
 * documents before it are kept). */
int sigma_load_buffer(const char *data, size_t len, const char *name, struct sigma_rule **rules,
		      size_t *n, char *err, size_t errlen);
void sigma_rule_free(struct sigma_rule *r);

/* ---- condition (sigma_cond.c) ------------------------------------------ */

enum sigma_cop { SC_AND, SC_OR, SC_NOT, SC_SEL };

struct sigma_cnode {
	enum sigma_cop op;
	struct sigma_cnode *a, *b;	/* NOT uses a */
	size_t sel;			/* SC_SEL: index into rule->sels */
};

/* Parse one condition: and/or/not, parentheses, `1 of X`, `any of X`,
 * `all of X` with X a name, a name with `*` wildcards, or `them` (every
 * selection not starting with `_`). NULL with the reason in err. */
struct sigma_cnode *sigma_cond_parse(const char *src, const struct sigma_sel *sels, size_t nsels,
				     char *err, size_t errlen);
void sigma_cond_free(struct sigma_cnode *n);

/* ---- LogQL (sigma_logql.c) --------------------------------------------- */

/* The LogQL log query of a (non-correlation) rule into out: 0, or -1 with
 * a refusal reason in err (unsupported log source, field or modifier). */
int sigma_to_logql(const struct sigma_rule *r, struct ward_buf *out, char *err, size_t errlen);
/* sigma_to_logql, with more fields the query must carry (a correlation's
 * group-by and value_count fields): an auditd rule extracts only the fields
 * it reads (sigma_logql.c, auditd_stages), so a correlation over it names
 * the others here. Ignored for other log sources, which extract all. */
int sigma_to_logql_with(const struct sigma_rule *r, const char *const *extra, size_t nextra,
			struct ward_buf *out, char *err, size_t errlen);

/* ---- quoting (sigma_quote.c) -------------------------------------------- */

/* Append s as a LogQL double-quoted string / a YAML double-quoted scalar. */
void sigma_quote_logql(struct ward_buf *out, const char *s);
void sigma_quote_yaml(struct ward_buf *out, const char *s);

/* ---- values as regexes (sigma_regex.c) ----------------------------------- */

/* Why a rule is refused: the first reason given wins (err of errlen bytes). */
struct sigma_refusal {
	char *err;
	size_t errlen;
	bool failed;
};
void sigma_refuse(struct sigma_refusal *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The regex body of one string value under mods (no anchors, no flags);
 * search: a leading or trailing `*` is redundant (contains, keywords). */
void sigma_regex_value(struct sigma_refusal *f, unsigned mods, const char *v, bool search,
		       struct ward_buf *re);
/* The inline flags an item's regex starts with: "(?is)" unless cased, an
 * encoding or `re` (its own i, m, s); a static string. */
const char *sigma_regex_flags(unsigned mods);
/* The anchored regex of values vals[0..n) of item it (one alternative each);
 * keyword: the item is a keyword, searched anywhere in the line. */
void sigma_regex_item(struct sigma_refusal *f, const struct sigma_item *it, const struct sigma_value *vals,
		      size_t n, bool keyword, struct ward_buf *re);

/* ---- parentheses (sigma_paren.c) ---------------------------------------- */

/* The label filter expression sigma_logql.c wrote, with groups of one term
 * and groups joined by their parent's operator flattened (the same meaning);
 * text of another shape, or nested deeper than 150, is copied unchanged. */
void sigma_paren_simplify(const char *in, struct ward_buf *out);

/* ---- whole files (sigma_compile.c) ------------------------------------- */

struct sigma_set {
	struct sigma_rule *rules;
	size_t n;
};

struct sigma_result {
	size_t loaded;
	size_t refused;
	struct ward_buf refusals;	/* "FILE: TITLE: reason\n" per refusal */
};

/* Add a YAML file, or every *.yml / *.yaml under a directory (recursively,
 * sorted by name). Returns 0, or -1 when the path cannot be read or a file
 * is not YAML (err); a document that is not a usable rule is kept and
 * refused at compile time with its reason. */
int sigma_set_add_path(struct sigma_set *set, const char *path, char *err, size_t errlen);
/* The Loki ruler YAML of every rule of the set into yaml (correlations
 * resolve their rules by name or id across the whole set). */
void sigma_set_compile(const struct sigma_set *set, struct ward_buf *yaml, struct sigma_result *res);
void sigma_set_free(struct sigma_set *set);

/* ---- ward-match --sigma (sigma_cli.c) ------------------------------------ */

struct opt_list;
struct ward_ruleset;
/* Load and compile every path, log the summary (and each refusal at debug
 * level, -v), then either write the ruler YAML to emit_path ("-": stdout)
 * or load it into rs. Returns 0 when rs is ready; -1 when ward-match must
 * exit with *rc: 0 after --emit-ruler, 78 when no rule loads or a path
 * cannot be read, 74 when the ruler file cannot be written. */
int sigma_cli_load(const struct opt_list *paths, const char *emit_path, struct ward_ruleset *rs, int *rc);

#endif
