/* ruleset.h - the rules ward-window runs, from its command line: a LogQL
 * metric QUERY operand, a Loki ruler file (--rules), or one rule described
 * by options (--fn, --range, --by, --threshold, ...).
 *
 * Ownership: a ruleset owns its rules and whatever they were compiled from
 * (LogQL trees, match pipelines); ruleset_free releases all of it. */
#ifndef WARD_WINDOW_RULESET_H
#define WARD_WINDOW_RULESET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opts.h"
#include "stages/window/engine.h"
#include "stages/window/rule.h"

struct ruleset_opts {
	const char *name;
	const char *fn;
	int64_t range_ns;
	struct opt_list by;
	struct opt_list without;
	const char *unwrap;
	const char *distinct;
	double quantile;
	const char *threshold;
	int64_t for_ns;
	int64_t keep_ns;
	int64_t renotify_ns;
	struct opt_list labels;
	struct opt_list annotations;
	const char *select_rule;
	bool anomaly;
	int64_t step_ns;
	double alpha;
	double score;
	long warmup;
	bool mad;
	size_t max_keys;
	int64_t lateness_ns;
	long evidence;
	bool emit_series;
	const char *rules_file;
	int64_t idle_ns;
	int64_t source_idle_ns;
	int64_t max_future_ns;
	int64_t eval_ns;
};

#define RULESET_OPTS(o) \
	{ "rules", 'r', OPT_STRING, &(o)->rules_file, "FILE", "Loki ruler YAML: alert rules whose log part ward-match ran (events tagged \"rule\")", NULL }, \
	{ "name", 'n', OPT_STRING, &(o)->name, "NAME", "alert name of the rule built from options or QUERY (default window)", NULL }, \
	{ "fn", 0, OPT_STRING, &(o)->fn, "FUNCTION", "range function: count_over_time (default), rate, bytes_over_time, bytes_rate, absent_over_time, sum_/avg_/min_/max_/first_/last_/stddev_/stdvar_/quantile_over_time", NULL }, \
	{ "range", 0, OPT_DURATION, &(o)->range_ns, "DURATION", "window length (default 1m)", NULL }, \
	{ "by", 'b', OPT_LIST, &(o)->by, "LABELS", "group by these labels (comma-separated, repeatable)", NULL }, \
	{ "without", 0, OPT_LIST, &(o)->without, "LABELS", "group by every label except these", NULL }, \
	{ "unwrap", 0, OPT_STRING, &(o)->unwrap, "FIELD", "value of the unwrapped functions: FIELD, duration(FIELD) or bytes(FIELD)", NULL }, \
	{ "distinct", 0, OPT_STRING, &(o)->distinct, "FIELD", "count distinct values of FIELD per key (password spraying, port scans)", NULL }, \
	{ "quantile", 0, OPT_DOUBLE, &(o)->quantile, "PHI", "phi of quantile_over_time (default 0.5)", NULL }, \
	{ "threshold", 't', OPT_STRING, &(o)->threshold, "CMP", "condition on the value: '> 5', '>= 0.5', '< 1', '== 0', '!= 0'", NULL }, \
	{ "for", 0, OPT_DURATION, &(o)->for_ns, "DURATION", "pending this long before firing (default 0s)", NULL }, \
	{ "keep-firing-for", 0, OPT_DURATION, &(o)->keep_ns, "DURATION", "keep a firing alert firing until its condition has been false this long (default 0s)", NULL }, \
	{ "renotify", 0, OPT_DURATION, &(o)->renotify_ns, "DURATION", "repeat a firing alert this often while it lasts (default 0s: once)", NULL }, \
	{ "label", 'l', OPT_LIST, &(o)->labels, "NAME=VALUE", "alert label, templates allowed, repeatable", NULL }, \
	{ "annotation", 'a', OPT_LIST, &(o)->annotations, "NAME=VALUE", "alert annotation, e.g. summary={{ $labels.src_ip }} x{{ $value }}", NULL }, \
	{ "select-rule", 's', OPT_STRING, &(o)->select_rule, "RULE", "take only events that ward-match tagged with this rule", NULL }, \
	{ "anomaly", 0, OPT_FLAG, &(o)->anomaly, NULL, "volume anomaly rule: events per --step per key against an EWMA baseline", NULL }, \
	{ "step", 0, OPT_DURATION, &(o)->step_ns, "DURATION", "anomaly bucket length (default 1m)", NULL }, \
	{ "alpha", 0, OPT_DOUBLE, &(o)->alpha, "A", "anomaly EWMA weight of the newest bucket (default 0.1)", NULL }, \
	{ "score", 0, OPT_DOUBLE, &(o)->score, "Z", "anomaly score above which a bucket is anomalous (default 4)", NULL }, \
	{ "warmup", 0, OPT_INT, &(o)->warmup, "N", "anomaly buckets learned before any alert (default 10)", NULL }, \
	{ "mad", 0, OPT_FLAG, &(o)->mad, NULL, "anomaly score from the mean absolute deviation instead of the standard deviation", NULL }, \
	{ "max-keys", 0, OPT_SIZE, &(o)->max_keys, "N", "keys tracked at most, all rules together (default 1M)", NULL }, \
	{ "lateness", 0, OPT_DURATION, &(o)->lateness_ns, "DURATION", "accept events this much older than the newest seen (default 0s)", NULL }, \
	{ "evidence", 0, OPT_INT, &(o)->evidence, "N", "evidence lines kept per key and sent with alerts, 0-10 (default 5)", NULL }, \
	{ "emit-series", 0, OPT_FLAG, &(o)->emit_series, NULL, "also write the value of each key at each change (series events)", NULL }, \
	{ "eval-interval", 0, OPT_DURATION, &(o)->eval_ns, "DURATION", "evaluation step of event time for aggregations across keys (avg, stddev, topk, ...); a ruler group's interval wins (default 1m)", NULL }

struct ruleset {
	struct ww_rule *rules;
	size_t n;
	struct ww_engine_opts eopts;
	void *logql;		/* LogQL state behind select hooks, or NULL */
};

void ruleset_opts_defaults(struct ruleset_opts *o);
void ruleset_opts_free(struct ruleset_opts *o);
/* Build the rules. Returns 0, or an exit code (64 usage, 78 config) with the
 * reason in err. */
int ruleset_build(struct ruleset *rs, const struct ruleset_opts *o, const char *query,
		  char *err, size_t errlen);
void ruleset_free(struct ruleset *rs);

/* Exposed for tests: one rule from options. */
int ruleset_rule_from_opts(struct ww_rule *r, const struct ruleset_opts *o, char *err, size_t errlen);

#endif
