/* rule.c - rule defaults, validation and small conversions. */
#include "stages/window/rule.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "buf.h"
#include "event.h"
#include "log.h"
#include "stages/window/alerttmpl.h"
#include "wtime.h"

static const char *const fn_names[WW_FN__COUNT] = {
	[WW_FN_COUNT] = "count_over_time",
	[WW_FN_RATE] = "rate",
	[WW_FN_BYTES] = "bytes_over_time",
	[WW_FN_BYTES_RATE] = "bytes_rate",
	[WW_FN_ABSENT] = "absent_over_time",
	[WW_FN_SUM] = "sum_over_time",
	[WW_FN_AVG] = "avg_over_time",
	[WW_FN_MIN] = "min_over_time",
	[WW_FN_MAX] = "max_over_time",
	[WW_FN_FIRST] = "first_over_time",
	[WW_FN_LAST] = "last_over_time",
	[WW_FN_STDDEV] = "stddev_over_time",
	[WW_FN_STDVAR] = "stdvar_over_time",
	[WW_FN_QUANTILE] = "quantile_over_time",
	[WW_FN_DISTINCT] = "distinct_over_time",
};

void rule_init(struct ww_rule *r)
{
	memset(r, 0, sizeof(*r));
	r->fn = WW_FN_COUNT;
	r->range_ns = 60 * NS_PER_SEC;
	r->quantile = 0.5;
	r->step_ns = 60 * NS_PER_SEC;
	r->eval_ns = 60 * NS_PER_SEC;
	r->alpha = 0.1;
	r->warmup = 10;
	r->part = -1;
}

static void free_kvs(struct ww_kv *kv, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(kv[i].key);
		free(kv[i].val);
		alerttmpl_free(kv[i].tmpl);
	}
	free(kv);
}

void rule_free(struct ww_rule *r)
{
	free(r->name);
	free(r->expr);
	free(r->unwrap);
	free(r->distinct);
	free(r->match_rule);
	free(r->match_id);
	for (size_t i = 0; i < r->ngroup; i++)
		free(r->group[i]);
	free(r->group);
	for (size_t i = 0; i < r->nvgroup; i++)
		free(r->vgroup[i]);
	free(r->vgroup);
	free(r->xf);
	free(r->post);
	free(r->ixf);
	if (r->rhs) {
		rule_free(r->rhs);
		free(r->rhs);
	}
	free_kvs(r->labels, r->nlabels);
	free_kvs(r->annotations, r->nannotations);
	memset(r, 0, sizeof(*r));
}

void rule_set_str(char **dst, const char *s)
{
	free(*dst);
	*dst = s ? ward_xstrdup(s) : NULL;
}

void rule_add_group(struct ww_rule *r, const char *name)
{
	r->group = ward_xrealloc(r->group, (r->ngroup + 1) * sizeof(*r->group));
	r->group[r->ngroup++] = ward_xstrdup(name);
}

void rule_add_vgroup(struct ww_rule *r, const char *name)
{
	r->vgroup = ward_xrealloc(r->vgroup, (r->nvgroup + 1) * sizeof(*r->vgroup));
	r->vgroup[r->nvgroup++] = ward_xstrdup(name);
}

void rule_add_xform(struct ww_xform **xf, size_t *n, enum ww_arith op, double num, bool num_left)
{
	*xf = ward_xrealloc(*xf, (*n + 1) * sizeof(**xf));
	(*xf)[*n].op = op;
	(*xf)[*n].num = num;
	(*xf)[*n].num_left = num_left;
	(*n)++;
}

static bool arith_compare(enum ww_arith op, double a, double b)
{
	switch (op) {
	case WW_AR_GT: return a > b;
	case WW_AR_GE: return a >= b;
	case WW_AR_LT: return a < b;
	case WW_AR_LE: return a <= b;
	case WW_AR_EQ: return a == b;
	case WW_AR_NE: return a != b;
	default: return false;
	}
}

static bool arith_is_compare(enum ww_arith op)
{
	return op >= WW_AR_GT;
}

/* IEEE as Prometheus: 1/0 = +Inf, 0/0 = NaN, x % 0 = NaN. */
double rule_arith(enum ww_arith op, double a, double b)
{
	switch (op) {
	case WW_AR_ADD: return a + b;
	case WW_AR_SUB: return a - b;
	case WW_AR_MUL: return a * b;
	case WW_AR_DIV: return a / b;
	case WW_AR_MOD: return fmod(a, b);
	case WW_AR_POW: return pow(a, b);
	default: return arith_compare(op, a, b) ? 1 : 0;
	}
}

double rule_xform_apply(const struct ww_xform *xf, size_t n, double v)
{
	for (size_t i = 0; i < n; i++)
		v = xf[i].num_left ? rule_arith(xf[i].op, xf[i].num, v) : rule_arith(xf[i].op, v, xf[i].num);
	return v;
}

bool rule_arith_holds(const struct ww_rule *r, bool ha, double va, bool hb, double vb,
		      double *value)
{
	if (!ha || !hb)
		return false;	/* one-to-one matching: both series must exist */
	double v = va;
	if (!arith_is_compare(r->vop))
		v = rule_arith(r->vop, va, vb);
	else if (r->vop_bool)
		v = arith_compare(r->vop, va, vb) ? 1 : 0;
	else if (!arith_compare(r->vop, va, vb))
		return false;	/* a comparison filters: the left value stays */
	v = rule_xform_apply(r->post, r->npost, v);
	return rule_side_holds(r, true, v, value);
}

bool rule_is_step(const struct ww_rule *r)
{
	return r->vagg != WW_VAGG_NONE;
}

const char *rule_vagg_str(enum ww_vagg v)
{
	static const char *const names[] = {
		[WW_VAGG_NONE] = "", [WW_VAGG_SUM] = "sum", [WW_VAGG_MIN] = "min",
		[WW_VAGG_MAX] = "max", [WW_VAGG_COUNT] = "count", [WW_VAGG_AVG] = "avg",
		[WW_VAGG_STDDEV] = "stddev", [WW_VAGG_STDVAR] = "stdvar", [WW_VAGG_TOPK] = "topk",
		[WW_VAGG_BOTTOMK] = "bottomk", [WW_VAGG_SORT] = "sort", [WW_VAGG_SORT_DESC] = "sort_desc",
	};
	return (unsigned)v < sizeof(names) / sizeof(names[0]) ? names[v] : "?";
}

static void add_kv(struct ww_kv **kv, size_t *n, const char *key, const char *val)
{
	for (size_t i = 0; i < *n; i++) {
		if (strcmp((*kv)[i].key, key) == 0) {
			rule_set_str(&(*kv)[i].val, val);
			alerttmpl_free((*kv)[i].tmpl);
			(*kv)[i].tmpl = alerttmpl_compile(val, strlen(val));
			return;
		}
	}
	*kv = ward_xrealloc(*kv, (*n + 1) * sizeof(**kv));
	(*kv)[*n].key = ward_xstrdup(key);
	(*kv)[*n].val = ward_xstrdup(val);
	(*kv)[*n].tmpl = alerttmpl_compile(val, strlen(val));
	(*n)++;
}

void rule_add_label(struct ww_rule *r, const char *key, const char *val)
{
	add_kv(&r->labels, &r->nlabels, key, val);
}

void rule_add_annotation(struct ww_rule *r, const char *key, const char *val)
{
	add_kv(&r->annotations, &r->nannotations, key, val);
}

const char *rule_fn_str(enum ww_fn fn)
{
	return (unsigned)fn < WW_FN__COUNT ? fn_names[fn] : "?";
}

int rule_fn_by_name(const char *name)
{
	for (int i = 0; i < WW_FN__COUNT; i++)
		if (strcmp(fn_names[i], name) == 0)
			return i;
	return -1;
}

bool rule_fn_needs_unwrap(enum ww_fn fn)
{
	return fn >= WW_FN_SUM && fn <= WW_FN_QUANTILE;
}

const char *rule_op_str(enum ww_op op)
{
	switch (op) {
	case WW_OP_GT: return ">";
	case WW_OP_GE: return ">=";
	case WW_OP_LT: return "<";
	case WW_OP_LE: return "<=";
	case WW_OP_EQ: return "==";
	case WW_OP_NE: return "!=";
	case WW_OP_NONE: break;
	}
	return "";
}

const char *rule_setop_str(enum ww_setop op)
{
	switch (op) {
	case WW_SET_AND: return "and";
	case WW_SET_OR: return "or";
	case WW_SET_UNLESS: return "unless";
	case WW_SET_ARITH: return "arith";
	case WW_SET_NONE: break;
	}
	return "";
}

bool rule_side_holds(const struct ww_rule *r, bool has, double v, double *value)
{
	if (!has)
		return false;
	bool pass = rule_compare(r->op, v, r->threshold);
	if (r->bool_result) {
		*value = pass ? 1 : 0;
		return true;
	}
	*value = v;
	return pass;
}

bool rule_compare(enum ww_op op, double v, double t)
{
	switch (op) {
	case WW_OP_GT: return v > t;
	case WW_OP_GE: return v >= t;
	case WW_OP_LT: return v < t;
	case WW_OP_LE: return v <= t;
	case WW_OP_EQ: return v == t;
	case WW_OP_NE: return v != t;
	case WW_OP_NONE: return true;
	}
	return false;
}

/* Window values of these functions only grow when an event enters and
 * only fall when one leaves (values of count/bytes are non-negative). */
static bool fn_monotone_in_events(enum ww_fn fn)
{
	switch (fn) {
	case WW_FN_COUNT: case WW_FN_RATE: case WW_FN_BYTES:
	case WW_FN_BYTES_RATE: case WW_FN_MAX: case WW_FN_DISTINCT:
		return true;
	default:
		return false;
	}
}

bool rule_expiry_can_trigger(const struct ww_rule *r)
{
	if (r->kind == WW_KIND_ANOMALY)
		return false;
	if (r->rhs || r->bool_result || r->nxf)
		return true;	/* arithmetic can turn a falling value into a rising one */
	if (r->fn == WW_FN_ABSENT)
		return true;
	if (!fn_monotone_in_events(r->fn))
		return true;
	return !(r->op == WW_OP_GT || r->op == WW_OP_GE);
}

int rule_parse_threshold(const char *s, enum ww_op *op, double *threshold)
{
	while (isspace((unsigned char)*s))
		s++;
	static const struct { const char *txt; enum ww_op op; } ops[] = {
		{ ">=", WW_OP_GE }, { "<=", WW_OP_LE }, { "==", WW_OP_EQ },
		{ "!=", WW_OP_NE }, { ">", WW_OP_GT }, { "<", WW_OP_LT },
	};
	size_t i;
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strncmp(s, ops[i].txt, strlen(ops[i].txt)) == 0)
			break;
	if (i == sizeof(ops) / sizeof(ops[0]))
		return -1;
	s += strlen(ops[i].txt);
	while (isspace((unsigned char)*s))
		s++;
	if (*s == '\0')
		return -1;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno != 0 || end == s || !isfinite(v))
		return -1;
	while (isspace((unsigned char)*end))
		end++;
	if (*end != '\0')
		return -1;
	*op = ops[i].op;
	*threshold = v;
	return 0;
}

static int check_step(const struct ww_rule *r, char *err, size_t errlen)
{
	if (r->kind != WW_KIND_THRESHOLD || r->fn == WW_FN_ABSENT) {
		snprintf(err, errlen, "%s cannot aggregate anomaly or absent_over_time rules",
			 rule_vagg_str(r->vagg));
		return -1;
	}
	if (r->eval_ns < WW_MIN_EVAL_NS || r->eval_ns > WW_MAX_RANGE_NS) {
		snprintf(err, errlen, "evaluation interval must be at least 1ms and at most 30d");
		return -1;
	}
	if ((r->vagg == WW_VAGG_TOPK || r->vagg == WW_VAGG_BOTTOMK) &&
	    !(r->vk >= 1 && r->vk <= WW_MAX_TOPK && r->vk == floor(r->vk))) {
		snprintf(err, errlen, "%s: k must be a whole number from 1 to %d", rule_vagg_str(r->vagg),
			 WW_MAX_TOPK);
		return -1;
	}
	return 0;
}

int rule_check(const struct ww_rule *r, char *err, size_t errlen)
{
	if (!r->name || !*r->name) {
		snprintf(err, errlen, "rule has no name");
		return -1;
	}
	if (r->range_ns <= 0 || r->range_ns > WW_MAX_RANGE_NS) {
		snprintf(err, errlen, "range must be more than 0s and at most 30d");
		return -1;
	}
	if (r->kind == WW_KIND_ANOMALY) {
		if (r->step_ns <= 0 || r->step_ns > WW_MAX_RANGE_NS) {
			snprintf(err, errlen, "anomaly step must be more than 0s and at most 30d");
			return -1;
		}
		if (!(r->alpha > 0 && r->alpha <= 1)) {
			snprintf(err, errlen, "anomaly alpha must be in (0, 1]");
			return -1;
		}
		if (!(r->threshold > 0)) {
			snprintf(err, errlen, "anomaly score threshold must be > 0");
			return -1;
		}
		return 0;
	}
	if (rule_fn_needs_unwrap(r->fn) && !r->unwrap) {
		snprintf(err, errlen, "%s needs | unwrap FIELD", rule_fn_str(r->fn));
		return -1;
	}
	if (!rule_fn_needs_unwrap(r->fn) && r->unwrap) {
		snprintf(err, errlen, "%s does not take an unwrapped value", rule_fn_str(r->fn));
		return -1;
	}
	if (r->fn == WW_FN_DISTINCT && !r->distinct) {
		snprintf(err, errlen, "distinct counting needs a field");
		return -1;
	}
	if (r->fn == WW_FN_QUANTILE && !(r->quantile >= 0 && r->quantile <= 1)) {
		snprintf(err, errlen, "quantile must be in [0, 1]");
		return -1;
	}
	if (r->for_ns < 0 || r->keep_ns < 0 || r->renotify_ns < 0) {
		snprintf(err, errlen, "negative duration");
		return -1;
	}
	if (rule_is_step(r) && check_step(r, err, errlen) != 0)
		return -1;
	if (r->rhs) {
		if (r->rhs->rhs || r->rhs->kind != WW_KIND_THRESHOLD || r->kind != WW_KIND_THRESHOLD ||
		    rule_is_step(r) || rule_is_step(r->rhs)) {
			snprintf(err, errlen, "one and/or/unless or vector operation between two per-key rules at most");
			return -1;
		}
		return rule_check(r->rhs, err, errlen);
	}
	if (r->setop == WW_SET_ARITH || r->vop != WW_AR_NONE) {
		snprintf(err, errlen, "a vector operation needs two sides");
		return -1;
	}
	return 0;
}

bool rule_takes_id(const struct ww_rule *r, const struct ward_event *ev)
{
	/* ward-match writes "rule_id" only for names that several alert
	 * rules share; without one the event is the name's only rule's */
	struct json_object *id = ev->extra ? event_get_extra(ev, "rule_id") : NULL;
	if (!id && r->match_id_required) {
		/* a ward-match that loaded other rule files: say so once, as
		 * no rule of the name can take these events */
		static bool warned;
		if (!warned)
			log_warn("rules: events of %s carry no rule_id, but several alert rules have "
				 "that name: give ward-match the same rule files (docs/rules.md)",
				 r->match_rule);
		warned = true;
		return false;
	}
	if (!id)
		return true;
	const char *s = json_object_get_string(id);
	return s && strcmp(s, r->match_id) == 0;
}
