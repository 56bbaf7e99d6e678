/* rule.h - what ward-window evaluates: one metric rule, independent of how
 * it was written (LogQL on the command line, a Loki ruler file, or options).
 *
 * A rule is the streaming form of
 *     AGG by (GROUP) ( FN( <log query> | unwrap FIELD [RANGE] ) ) OP THRESHOLD
 * plus the alerting clauses of a Prometheus/Loki rule (for, labels,
 * annotations). Only shapes that can be evaluated exactly per key in one pass
 * are representable; rule_check() says why a rule is not.
 *
 * Ownership: a ww_rule owns every string and array it points to; rule_free
 * releases them. The selection hook (select_fn/select_ctx) is borrowed. */
#ifndef WARD_WINDOW_RULE_H
#define WARD_WINDOW_RULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ward_event;

enum ww_fn {
	WW_FN_COUNT = 0,	/* count_over_time */
	WW_FN_RATE,		/* rate: count / range seconds */
	WW_FN_BYTES,		/* bytes_over_time: line bytes */
	WW_FN_BYTES_RATE,	/* bytes_rate */
	WW_FN_ABSENT,		/* absent_over_time: 1 while the window is empty */
	WW_FN_SUM,		/* the rest need unwrap */
	WW_FN_AVG,
	WW_FN_MIN,
	WW_FN_MAX,
	WW_FN_FIRST,
	WW_FN_LAST,
	WW_FN_STDDEV,
	WW_FN_STDVAR,
	WW_FN_QUANTILE,
	WW_FN_DISTINCT,		/* ward extension: distinct values of a field;
				 * also what count by (g) (sum by (g, f) (...)) is */
	WW_FN__COUNT
};

enum ww_conv { WW_CONV_NONE = 0, WW_CONV_DURATION, WW_CONV_BYTES };

enum ww_op { WW_OP_NONE = 0, WW_OP_GT, WW_OP_GE, WW_OP_LT, WW_OP_LE, WW_OP_EQ, WW_OP_NE };

enum ww_group { WW_GROUP_BY = 0, WW_GROUP_WITHOUT, WW_GROUP_ALL };

enum ww_kind { WW_KIND_THRESHOLD = 0, WW_KIND_ANOMALY };

/* Set operators between two rules' results, matched on the key; ARITH is
 * a binary operator between the two values (vop below). */
enum ww_setop { WW_SET_NONE = 0, WW_SET_AND, WW_SET_OR, WW_SET_UNLESS, WW_SET_ARITH };

/* Binary operators of LogQL/PromQL between two values: arithmetic, and
 * comparisons (which filter, or give 0/1 with bool). */
enum ww_arith {
	WW_AR_NONE = 0, WW_AR_ADD, WW_AR_SUB, WW_AR_MUL, WW_AR_DIV, WW_AR_MOD, WW_AR_POW,
	WW_AR_GT, WW_AR_GE, WW_AR_LT, WW_AR_LE, WW_AR_EQ, WW_AR_NE
};

/* `value OP num` (or `num OP value` when num_left): arithmetic only. */
struct ww_xform {
	enum ww_arith op;
	bool num_left;
	double num;
};

/* Aggregations across keys (Prometheus vector aggregations), evaluated at
 * evaluation steps (steps.h). NONE: the rule is evaluated per key. */
enum ww_vagg {
	WW_VAGG_NONE = 0, WW_VAGG_SUM, WW_VAGG_MIN, WW_VAGG_MAX, WW_VAGG_COUNT, WW_VAGG_AVG,
	WW_VAGG_STDDEV, WW_VAGG_STDVAR, WW_VAGG_TOPK, WW_VAGG_BOTTOMK, WW_VAGG_SORT,
	WW_VAGG_SORT_DESC
};

struct alerttmpl;

struct ww_kv {
	char *key;
	char *val;		/* may hold {{ }} templates */
	struct alerttmpl *tmpl;	/* val compiled (alerttmpl.h) */
};

/* Decides whether an event belongs to the rule, and may add extracted fields
 * to it (the log part of a LogQL query, run by the match engine). */
typedef bool (*ww_select_fn)(void *ctx, struct ward_event *ev);

struct ww_rule {
	char *name;		/* alertname */
	char *expr;		/* the source text, for messages; may be NULL */
	enum ww_kind kind;
	enum ww_fn fn;
	double quantile;	/* phi of quantile_over_time */
	int64_t range_ns;
	char *unwrap;		/* field/label name, or NULL */
	enum ww_conv conv;
	char *distinct;		/* field counted by WW_FN_DISTINCT */
	enum ww_group group_mode;
	char **group;		/* label names of by/without */
	size_t ngroup;
	enum ww_op op;		/* WW_OP_NONE: every series is "true" */
	double threshold;
	bool bool_result;	/* `> bool N`: the value is 0/1, every series holds */
	/* `lhs and|or|unless rhs`: this rule is the left side; rhs (owned) has
	 * its own function, window, comparison and selection, and the same
	 * grouping. The value is the left side's (the right's for `or` when
	 * only it holds). */
	enum ww_setop setop;
	struct ww_rule *rhs;
	int part;		/* with match_rule: the "rule_part" taken, -1 any */
	/* Scalar arithmetic on this side's value (after the aggregation for a
	 * step rule), applied in order before the comparison. */
	struct ww_xform *xf;
	size_t nxf;
	/* setop WW_SET_ARITH: value = (this side) vop (rhs side), then post,
	 * then op/threshold/bool_result; the sides have no comparison. */
	enum ww_arith vop;
	bool vop_bool;		/* `A > bool B` */
	struct ww_xform *post;
	size_t npost;
	/* A step rule (vagg != NONE): fn/range/group/unwrap describe the inner
	 * series, vagg with vgroup aggregates them at every eval_ns of event
	 * time, and op/threshold judge each aggregated series. */
	enum ww_vagg vagg;
	double vk;		/* k of topk/bottomk */
	enum ww_group vgroup_mode;
	char **vgroup;
	size_t nvgroup;
	int64_t eval_ns;	/* evaluation interval */
	/* Step rules: arithmetic and a comparison on each inner series before
	 * the aggregation (`count(sum by (x) (rate(...)) * 60 > 5)`); a series
	 * that fails it is left out (with ibool its value becomes 0 or 1). */
	struct ww_xform *ixf;
	size_t nixf;
	enum ww_op iop;
	double ithreshold;
	bool ibool;
	int64_t for_ns;
	int64_t keep_ns;	/* keep_firing_for: firing until false this long */
	int64_t renotify_ns;	/* 0: notify once per episode */
	struct ww_kv *labels;
	size_t nlabels;
	struct ww_kv *annotations;
	size_t nannotations;
	/* Which events the rule takes: those tagged "rule": match_rule by
	 * ward-match, those select_fn accepts, or (both unset) all. A rule of
	 * a ruler file also has match_id, its ward_rule id: of the events of
	 * its name it takes those whose "rule_id" is match_id or (unless
	 * match_id_required: another loaded alert rule has the name) absent.
	 * --select-rule takes every event of the name. (rule_takes_id) */
	char *match_rule;
	char *match_id;
	bool match_id_required;
	ww_select_fn select_fn;
	void *select_ctx;
	/* Anomaly rules (kind WW_KIND_ANOMALY): counts per step bucket,
	 * EWMA baseline, alert when the score exceeds the threshold. */
	int64_t step_ns;
	double alpha;		/* EWMA weight of the newest bucket */
	unsigned warmup;	/* buckets before any alert */
	bool use_mad;		/* robust score from an EWMA of |x - mean| */
};

/* A zeroed rule with the defaults (count_over_time over 1m, no threshold). */
void rule_init(struct ww_rule *r);
void rule_free(struct ww_rule *r);
/* 0, or -1 with why in err: unwrap missing or misplaced, absurd range
 * ([0s], more than 30 days), quantile outside [0,1], ... */
int rule_check(const struct ww_rule *r, char *err, size_t errlen);

/* "> 5", ">=0.5", "== 3" -> op and threshold. 0 or -1. */
int rule_parse_threshold(const char *s, enum ww_op *op, double *threshold);
const char *rule_op_str(enum ww_op op);
const char *rule_setop_str(enum ww_setop op);
/* The condition of one side: does the series exist and pass the comparison,
 * and its value (0/1 with bool). */
bool rule_side_holds(const struct ww_rule *r, bool has, double v, double *value);
const char *rule_fn_str(enum ww_fn fn);
/* The function by its LogQL name ("count_over_time"), or -1. */
int rule_fn_by_name(const char *name);
bool rule_fn_needs_unwrap(enum ww_fn fn);
bool rule_compare(enum ww_op op, double value, double threshold);
/* True when a falling window value (an expiring event) can make the
 * condition true, so keys must be woken at expiry times even when idle. */
bool rule_expiry_can_trigger(const struct ww_rule *r);

/* Scalar and vector arithmetic (Prometheus: x/0 is +-Inf or NaN, % is
 * fmod, ^ is pow). */
double rule_arith(enum ww_arith op, double a, double b);
double rule_xform_apply(const struct ww_xform *xf, size_t n, double v);
void rule_add_xform(struct ww_xform **xf, size_t *n, enum ww_arith op, double num, bool num_left);
/* The combined series of an ARITH rule from its two sides' (transformed)
 * values: does it exist and pass the comparison, and its value. */
bool rule_arith_holds(const struct ww_rule *r, bool ha, double va, bool hb, double vb,
		      double *value);
bool rule_is_step(const struct ww_rule *r);
const char *rule_vagg_str(enum ww_vagg v);
void rule_add_vgroup(struct ww_rule *r, const char *name);

void rule_add_group(struct ww_rule *r, const char *name);
void rule_add_label(struct ww_rule *r, const char *key, const char *val);
void rule_add_annotation(struct ww_rule *r, const char *key, const char *val);
void rule_set_str(char **dst, const char *s);
/* Whether an event tagged with r's name (match_rule) is r's by its
 * "rule_id" (match_id, which must be set). */
bool rule_takes_id(const struct ww_rule *r, const struct ward_event *ev);

#define WW_MAX_RANGE_NS (30LL * 24 * 3600 * 1000000000LL)
#define WW_MIN_EVAL_NS 1000000LL	/* 1ms */
#define WW_MAX_TOPK 100000

#endif
