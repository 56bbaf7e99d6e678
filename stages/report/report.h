/* report.h - the incident report: a model built from alert, action and
 * series events (docs/events.md), rendered as Markdown and as one
 * self-contained HTML file with inline SVG charts (docs/report.md).
 *
 * Everything here is pure: report_add_event() takes decoded events, the
 * renderers append to a buffer. Every string taken from an event is
 * attacker-controlled and is escaped by the renderer for its format
 * (escape.h). A struct report owns all its strings and arrays. */
#ifndef WARD_REPORT_H
#define WARD_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "event.h"

#define RP_MAX_ALERTS 100000	/* beyond: counted, not kept */
#define RP_MAX_ACTIONS 100000
#define RP_MAX_SERIES 2000	/* (rule, key) pairs */
#define RP_MAX_POINTS 20000	/* per series */
#define RP_MAX_TEXT 512		/* bytes kept of any one string */

struct rp_alert {
	int64_t ts;
	char *rule, *state, *source, *severity, *summary, *window, *op, *evidence;
	double value, threshold;
	bool has_threshold;
	int64_t count;
};

struct rp_action {
	int64_t ts;
	char *kind, *target, *backend, *ttl, *result, *rule, *reason;
	bool dry_run;
};

struct rp_point {
	int64_t ts;
	double value;
};

struct rp_series {
	char *rule, *key;
	double threshold;
	bool has_threshold;
	struct rp_point *pts;
	size_t len, cap;
};

struct report {
	struct rp_alert *alerts;
	size_t nalerts, alerts_cap;
	struct rp_action *actions;
	size_t nactions, actions_cap;
	struct rp_series *series;
	size_t nseries, series_cap;
	uint64_t events;	/* all events read */
	uint64_t other;		/* neither alert, action nor series */
	uint64_t not_kept;	/* over the limits above */
	int64_t t_min, t_max;	/* WARD_TS_NONE until an event has a time */
};

struct report_meta {
	const char *title;
	int64_t generated_ns;	/* SOURCE_DATE_EPOCH or now */
	const char *inputs;	/* what was read, for the header */
};

enum rp_kind { RP_OTHER = 0, RP_ALERT, RP_ACTION, RP_SERIES };

void report_init(struct report *r);
void report_free(struct report *r);
/* Take what the report needs from one event. */
enum rp_kind report_add_event(struct report *r, const struct ward_event *ev);
/* Sort alerts and actions by time (stable) before rendering. */
void report_finish(struct report *r);

void report_markdown(const struct report *r, const struct report_meta *m, struct ward_buf *out);
void report_html(const struct report *r, const struct report_meta *m, struct ward_buf *out);

/* ---- aggregates shared by both renderers (report_stats.c) ---- */

struct rp_group {
	const char *name;	/* rule or source (points into the report) */
	size_t alerts;
	size_t sources;		/* by rule: distinct sources; by source: distinct rules */
	double max_value;
	double volume;		/* sum of the alerts' values (their count when valueless):
				 * SYNs for a flood, failures for brute force */
	int64_t first, last;
	const char *severity;
	const char *action;	/* by source: the last action's result, or NULL */
};

/* Groups of alerts by rule or by source (kind 'r' or 's'), most alerts
 * first. The caller frees the array. */
struct rp_group *report_groups(const struct report *r, char kind, size_t *n);
/* Is this alert an episode's firing (not its pending or resolved
 * notice)? Counts, groups and the timeline chart use only these. */
bool report_alert_fires(const struct rp_alert *a);
/* A short category for a rule name: "SSH", "SQL injection", ... */
const char *report_category(const char *rule);

#endif
