/* ruleset.c - rules from the command line (see ruleset.h). */
#include "stages/window/ruleset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "exitcodes.h"
#include "stages/window/fromlogql.h"
#include "wtime.h"

void ruleset_opts_defaults(struct ruleset_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->name = "window";
	o->range_ns = 60 * NS_PER_SEC;
	o->quantile = 0.5;
	o->step_ns = 60 * NS_PER_SEC;
	o->alpha = 0.1;
	o->score = 4;
	o->warmup = 10;
	o->max_keys = 1000000;
	o->evidence = 5;
	o->idle_ns = NS_PER_SEC;
	o->source_idle_ns = 5 * NS_PER_SEC;
	o->max_future_ns = 3600 * NS_PER_SEC;
	o->eval_ns = 60 * NS_PER_SEC;
}

void ruleset_opts_free(struct ruleset_opts *o)
{
	opt_list_free(&o->by);
	opt_list_free(&o->without);
	opt_list_free(&o->labels);
	opt_list_free(&o->annotations);
}

/* "a,b" items of a repeatable option, each a label name. */
static int add_names(struct ww_rule *r, const struct opt_list *l, char *err, size_t errlen)
{
	for (size_t i = 0; i < l->len; i++) {
		char *copy = ward_xstrdup(l->items[i]), *save = NULL;
		for (char *t = strtok_r(copy, ", ", &save); t; t = strtok_r(NULL, ", ", &save))
			rule_add_group(r, t);
		free(copy);
	}
	for (size_t i = 0; i < r->ngroup; i++) {
		const char *p = r->group[i];
		for (size_t j = 0; p[j]; j++) {
			char c = p[j];
			if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			      (j > 0 && c >= '0' && c <= '9'))) {
				snprintf(err, errlen, "not a label name: %s", p);
				return -1;
			}
		}
	}
	return 0;
}

static int add_pairs(struct ww_rule *r, const struct opt_list *l, bool annotation,
		     char *err, size_t errlen)
{
	for (size_t i = 0; i < l->len; i++) {
		const char *eq = strchr(l->items[i], '=');
		if (!eq || eq == l->items[i]) {
			snprintf(err, errlen, "not NAME=VALUE: %s", l->items[i]);
			return -1;
		}
		char *name = ward_xstrndup(l->items[i], (size_t)(eq - l->items[i]));
		if (annotation)
			rule_add_annotation(r, name, eq + 1);
		else
			rule_add_label(r, name, eq + 1);
		free(name);
	}
	return 0;
}

/* FIELD, duration(FIELD), duration_seconds(FIELD) or bytes(FIELD). */
static int set_unwrap(struct ww_rule *r, const char *s)
{
	static const struct { const char *fn; enum ww_conv conv; } convs[] = {
		{ "duration_seconds(", WW_CONV_DURATION }, { "duration(", WW_CONV_DURATION },
		{ "bytes(", WW_CONV_BYTES },
	};
	size_t n = strlen(s);
	for (size_t i = 0; i < sizeof(convs) / sizeof(convs[0]); i++) {
		size_t fl = strlen(convs[i].fn);
		if (n > fl + 1 && strncmp(s, convs[i].fn, fl) == 0 && s[n - 1] == ')') {
			r->unwrap = ward_xstrndup(s + fl, n - fl - 1);
			r->conv = convs[i].conv;
			return 0;
		}
	}
	if (strchr(s, '(') || strchr(s, ')') || !*s)
		return -1;
	r->unwrap = ward_xstrdup(s);
	return 0;
}

static int rule_shape_from_opts(struct ww_rule *r, const struct ruleset_opts *o,
				char *err, size_t errlen)
{
	if (o->fn) {
		int fn = rule_fn_by_name(o->fn);
		if (fn < 0) {
			snprintf(err, errlen, "option --fn: unknown function: %s", o->fn);
			return -1;
		}
		r->fn = (enum ww_fn)fn;
	}
	if (o->distinct) {
		r->fn = WW_FN_DISTINCT;
		r->distinct = ward_xstrdup(o->distinct);
	}
	if (o->unwrap && set_unwrap(r, o->unwrap) != 0) {
		snprintf(err, errlen, "option --unwrap: not FIELD, duration(FIELD) or bytes(FIELD): %s",
			 o->unwrap);
		return -1;
	}
	if (o->by.len && o->without.len) {
		snprintf(err, errlen, "--by and --without exclude each other");
		return -1;
	}
	r->group_mode = o->without.len ? WW_GROUP_WITHOUT : WW_GROUP_BY;
	if (add_names(r, o->by.len ? &o->by : &o->without, err, errlen) != 0)
		return -1;
	if (o->threshold && rule_parse_threshold(o->threshold, &r->op, &r->threshold) != 0) {
		snprintf(err, errlen, "option --threshold: not OP NUMBER (> >= < <= == !=): %s",
			 o->threshold);
		return -1;
	}
	return 0;
}

static void rule_anomaly_from_opts(struct ww_rule *r, const struct ruleset_opts *o)
{
	r->kind = WW_KIND_ANOMALY;
	r->step_ns = o->step_ns;
	r->alpha = o->alpha;
	r->threshold = o->score;
	r->op = WW_OP_GT;
	r->warmup = o->warmup < 0 ? 0 : (unsigned)o->warmup;
	r->use_mad = o->mad;
}

int ruleset_rule_from_opts(struct ww_rule *r, const struct ruleset_opts *o, char *err, size_t errlen)
{
	rule_set_str(&r->name, o->name);
	r->range_ns = o->range_ns;
	r->quantile = o->quantile;
	r->for_ns = o->for_ns;
	r->keep_ns = o->keep_ns;
	r->renotify_ns = o->renotify_ns;
	r->eval_ns = o->eval_ns;
	if (o->select_rule)
		rule_set_str(&r->match_rule, o->select_rule);
	if (rule_shape_from_opts(r, o, err, errlen) != 0)
		return -1;
	if (add_pairs(r, &o->labels, false, err, errlen) != 0 ||
	    add_pairs(r, &o->annotations, true, err, errlen) != 0)
		return -1;
	if (o->anomaly)
		rule_anomaly_from_opts(r, o);
	return 0;
}

static void engine_opts_from(struct ww_engine_opts *e, const struct ruleset_opts *o)
{
	memset(e, 0, sizeof(*e));
	e->max_keys = o->max_keys;
	e->lateness_ns = o->lateness_ns;
	e->source_idle_ns = o->source_idle_ns;
	e->evidence = o->evidence < 0 ? 0 : o->evidence > 10 ? 10 : (unsigned)o->evidence;
	e->emit_series = o->emit_series;
}

static int check_all(struct ruleset *rs, char *err, size_t errlen)
{
	for (size_t i = 0; i < rs->n; i++) {
		char why[256];
		if (rule_check(&rs->rules[i], why, sizeof why) != 0) {
			snprintf(err, errlen, "rule %s: %s", rs->rules[i].name ? rs->rules[i].name : "?", why);
			return WARD_EX_CONFIG;
		}
	}
	return 0;
}

/* The first option that shapes the rule itself (what is counted, over
 * which window, grouped how, compared with what), when set although a QUERY
 * or --rules already says all that; NULL if none. Such an option would be
 * ignored, which is how "--threshold '> 100' '... > 5'" once alerted at 5. */
static const char *shaping_option(const struct ruleset_opts *o)
{
	struct ruleset_opts d;
	ruleset_opts_defaults(&d);
	if (o->fn)
		return "--fn";
	if (o->range_ns != d.range_ns)
		return "--range";
	if (o->by.len)
		return "--by";
	if (o->without.len)
		return "--without";
	if (o->unwrap)
		return "--unwrap";
	if (o->distinct)
		return "--distinct";
	if (o->quantile != d.quantile)
		return "--quantile";
	if (o->threshold)
		return "--threshold";
	if (o->select_rule)
		return "--select-rule";
	if (o->anomaly)
		return "--anomaly";
	return NULL;
}

int ruleset_build(struct ruleset *rs, const struct ruleset_opts *o, const char *query,
		  char *err, size_t errlen)
{
	memset(rs, 0, sizeof(*rs));
	engine_opts_from(&rs->eopts, o);
	if (o->max_keys == 0) {
		snprintf(err, errlen, "option --max-keys: must be at least 1");
		return WARD_EX_USAGE;
	}
	if (o->rules_file && query) {
		snprintf(err, errlen, "give either QUERY or --rules, not both");
		return WARD_EX_USAGE;
	}
	const char *shaping = (o->rules_file || query) ? shaping_option(o) : NULL;
	if (shaping) {
		snprintf(err, errlen, "option %s: the %s already defines the rule (write it there, or "
			 "build the rule from options without one)", shaping, query ? "QUERY" : "--rules file");
		return WARD_EX_USAGE;
	}
	int rc;
	if (o->rules_file) {
		rc = fromlogql_rules_file(rs, o, o->rules_file, err, errlen);
	} else if (query) {
		rc = fromlogql_query(rs, o, query, err, errlen);
	} else {
		rs->rules = ward_xcalloc(1, sizeof(*rs->rules));
		rs->n = 1;
		rule_init(&rs->rules[0]);
		rc = ruleset_rule_from_opts(&rs->rules[0], o, err, errlen) == 0 ? 0 : WARD_EX_USAGE;
	}
	if (rc != 0)
		return rc;
	return check_all(rs, err, errlen);
}

void ruleset_free(struct ruleset *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		rule_free(&rs->rules[i]);
	free(rs->rules);
	fromlogql_free(rs->logql);
	memset(rs, 0, sizeof(*rs));
}
