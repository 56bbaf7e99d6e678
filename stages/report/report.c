/* report.c - the report model: what alert, action and series events say. */
#include "stages/report/report.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "wtime.h"

void report_init(struct report *r)
{
	memset(r, 0, sizeof *r);
	r->t_min = r->t_max = WARD_TS_NONE;
}

static char *dup_cut(const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s);
	return ward_xstrndup(s, n > RP_MAX_TEXT ? RP_MAX_TEXT : n);
}

/* A member as text: strings as they are, numbers and others as JSON. */
static char *member_text(json_object *obj, const char *key)
{
	json_object *v;
	if (!obj || !json_object_is_type(obj, json_type_object) || !json_object_object_get_ex(obj, key, &v) ||
	    v == NULL)
		return NULL;
	if (json_object_is_type(v, json_type_string))
		return dup_cut(json_object_get_string(v));
	return dup_cut(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
}

static bool member_number(json_object *obj, const char *key, double *out)
{
	json_object *v;
	if (!obj || !json_object_is_type(obj, json_type_object) || !json_object_object_get_ex(obj, key, &v))
		return false;
	if (json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int)) {
		*out = json_object_get_double(v);
		return true;
	}
	if (json_object_is_type(v, json_type_string)) {
		char *end;
		const char *s = json_object_get_string(v);
		*out = strtod(s, &end);
		return end != s && *end == '\0';
	}
	return false;
}

static int64_t member_time(json_object *obj, const char *key)
{
	json_object *v;
	int64_t ns;
	if (!obj || !json_object_is_type(obj, json_type_object) || !json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return WARD_TS_NONE;
	const char *s = json_object_get_string(v);
	return time_parse_rfc3339(s, strlen(s), &ns) == 0 ? ns : WARD_TS_NONE;
}

/* The source an alert is about: src_ip of its key, else its key as
 * "k=v,k=v", else the event's src_ip field. */
static char *alert_source(json_object *alert, const struct ward_event *ev)
{
	json_object *key;
	char *s = NULL;
	if (json_object_object_get_ex(alert, "key", &key) && json_object_is_type(key, json_type_object)) {
		if ((s = member_text(key, "src_ip")))
			return s;
		struct ward_buf b = WARD_BUF_INIT;
		json_object_object_foreach(key, k, v)
		{
			if (b.len)
				buf_append_char(&b, ',');
			buf_printf(&b, "%s=%s", k, json_object_is_type(v, json_type_string) ?
				   json_object_get_string(v) : json_object_to_json_string(v));
		}
		if (b.len) {
			s = dup_cut(buf_cstr(&b));
			buf_free(&b);
			return s;
		}
		buf_free(&b);
	}
	const struct ward_kv *f = event_lookup(ev, "src_ip");
	return f ? dup_cut(f->val) : NULL;
}

static void see_time(struct report *r, int64_t ts)
{
	if (ts == WARD_TS_NONE)
		return;
	if (r->t_min == WARD_TS_NONE || ts < r->t_min)
		r->t_min = ts;
	if (r->t_max == WARD_TS_NONE || ts > r->t_max)
		r->t_max = ts;
}

static void add_alert(struct report *r, json_object *a, const struct ward_event *ev)
{
	if (r->nalerts >= RP_MAX_ALERTS) {
		r->not_kept++;
		return;
	}
	if (r->nalerts == r->alerts_cap) {
		r->alerts_cap = r->alerts_cap ? r->alerts_cap * 2 : 64;
		r->alerts = ward_xrealloc(r->alerts, r->alerts_cap * sizeof *r->alerts);
	}
	struct rp_alert *x = &r->alerts[r->nalerts++];
	memset(x, 0, sizeof *x);
	x->ts = ev->ts_ns != WARD_TS_NONE ? ev->ts_ns : member_time(a, "last");
	x->rule = member_text(a, "rule");
	x->state = member_text(a, "state");
	x->source = alert_source(a, ev);
	x->window = member_text(a, "window");
	x->op = member_text(a, "op");
	member_number(a, "value", &x->value);
	x->has_threshold = member_number(a, "threshold", &x->threshold);
	double count = 0;
	/* an event's count is input: only a finite value in int64 range is one
	 * (a cast of anything else is undefined behaviour) */
	x->count = member_number(a, "count", &count) && count >= 0 && count < 9.2e18 ? (int64_t)count : 0;
	json_object *o, *e;
	if (json_object_object_get_ex(a, "labels", &o))
		x->severity = member_text(o, "severity");
	if (!x->severity) {
		const struct ward_kv *l = event_label(ev, "severity");
		x->severity = l ? dup_cut(l->val) : NULL;
	}
	if (json_object_object_get_ex(a, "annotations", &o))
		x->summary = member_text(o, "summary");
	if (json_object_object_get_ex(a, "evidence", &e) && json_object_is_type(e, json_type_array) &&
	    json_object_array_length(e) > 0 &&
	    json_object_is_type(json_object_array_get_idx(e, 0), json_type_string))
		x->evidence = dup_cut(json_object_get_string(json_object_array_get_idx(e, 0)));
	if (!x->rule)
		x->rule = ward_xstrdup(ev->rule ? ev->rule : "(unnamed)");
	see_time(r, x->ts);
}

static void add_action(struct report *r, json_object *a, const struct ward_event *ev)
{
	if (r->nactions >= RP_MAX_ACTIONS) {
		r->not_kept++;
		return;
	}
	if (r->nactions == r->actions_cap) {
		r->actions_cap = r->actions_cap ? r->actions_cap * 2 : 64;
		r->actions = ward_xrealloc(r->actions, r->actions_cap * sizeof *r->actions);
	}
	struct rp_action *x = &r->actions[r->nactions++];
	memset(x, 0, sizeof *x);
	x->ts = ev->ts_ns;
	x->kind = member_text(a, "kind");
	x->target = member_text(a, "target");
	x->backend = member_text(a, "backend");
	x->ttl = member_text(a, "ttl");
	x->result = member_text(a, "result");
	x->rule = member_text(a, "rule");
	x->reason = member_text(a, "reason");
	json_object *d;
	x->dry_run = json_object_object_get_ex(a, "dry_run", &d) && json_object_get_boolean(d);
	see_time(r, x->ts);
}

static struct rp_series *find_series(struct report *r, const char *rule, const char *key)
{
	for (size_t i = 0; i < r->nseries; i++)
		if (strcmp(r->series[i].rule, rule) == 0 && strcmp(r->series[i].key, key) == 0)
			return &r->series[i];
	if (r->nseries >= RP_MAX_SERIES)
		return NULL;
	if (r->nseries == r->series_cap) {
		r->series_cap = r->series_cap ? r->series_cap * 2 : 16;
		r->series = ward_xrealloc(r->series, r->series_cap * sizeof *r->series);
	}
	struct rp_series *s = &r->series[r->nseries++];
	memset(s, 0, sizeof *s);
	s->rule = dup_cut(rule);
	s->key = dup_cut(key);
	return s;
}

static void add_point(struct report *r, json_object *sj, const struct ward_event *ev)
{
	char *rule = member_text(sj, "rule");
	const struct ward_kv *src = event_lookup(ev, "src_ip");
	double value;
	if (!rule || ev->ts_ns == WARD_TS_NONE || !member_number(sj, "value", &value)) {
		free(rule);
		r->other++;
		return;
	}
	struct rp_series *s = find_series(r, rule, src ? src->val : "(all)");
	free(rule);
	if (!s || s->len >= RP_MAX_POINTS) {
		r->not_kept++;
		return;
	}
	if (s->len == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->pts = ward_xrealloc(s->pts, s->cap * sizeof *s->pts);
	}
	s->pts[s->len++] = (struct rp_point){ ev->ts_ns, value };
	double th;
	if (member_number(sj, "threshold", &th)) {
		s->threshold = th;
		s->has_threshold = true;
	}
	see_time(r, ev->ts_ns);
}

enum rp_kind report_add_event(struct report *r, const struct ward_event *ev)
{
	json_object *o;
	r->events++;
	see_time(r, ev->ts_ns);	/* the report covers every event's time */
	if ((o = event_get_extra(ev, "alert")) && json_object_is_type(o, json_type_object)) {
		add_alert(r, o, ev);
		return RP_ALERT;
	}
	if ((o = event_get_extra(ev, "action")) && json_object_is_type(o, json_type_object)) {
		add_action(r, o, ev);
		return RP_ACTION;
	}
	if ((o = event_get_extra(ev, "series")) && json_object_is_type(o, json_type_object)) {
		add_point(r, o, ev);
		return RP_SERIES;
	}
	r->other++;
	return RP_OTHER;
}

static int cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

/* By time, then by text: the same events give the same report in any
 * arrival order. */
static int cmp_alert(const void *a, const void *b)
{
	const struct rp_alert *x = a, *y = b;
	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	int c = cmp_str(x->rule, y->rule);
	return c ? c : cmp_str(x->source, y->source);
}

static int cmp_action(const void *a, const void *b)
{
	const struct rp_action *x = a, *y = b;
	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	int c = cmp_str(x->target, y->target);
	return c ? c : cmp_str(x->kind, y->kind);
}

static int cmp_point(const void *a, const void *b)
{
	const struct rp_point *x = a, *y = b;
	return x->ts < y->ts ? -1 : x->ts > y->ts;
}

void report_finish(struct report *r)
{
	/* Untimed alerts and actions are drawn at the start of the report. */
	int64_t start = r->t_min == WARD_TS_NONE ? 0 : r->t_min;
	for (size_t i = 0; i < r->nalerts; i++)
		if (r->alerts[i].ts == WARD_TS_NONE)
			r->alerts[i].ts = start;
	for (size_t i = 0; i < r->nactions; i++)
		if (r->actions[i].ts == WARD_TS_NONE)
			r->actions[i].ts = start;
	if (r->nalerts)
		qsort(r->alerts, r->nalerts, sizeof *r->alerts, cmp_alert);
	if (r->nactions)
		qsort(r->actions, r->nactions, sizeof *r->actions, cmp_action);
	for (size_t i = 0; i < r->nseries; i++)
		if (r->series[i].len)
			qsort(r->series[i].pts, r->series[i].len, sizeof *r->series[i].pts, cmp_point);
}

void report_free(struct report *r)
{
	for (size_t i = 0; i < r->nalerts; i++) {
		struct rp_alert *a = &r->alerts[i];
		free(a->rule), free(a->state), free(a->source), free(a->severity);
		free(a->summary), free(a->window), free(a->op), free(a->evidence);
	}
	for (size_t i = 0; i < r->nactions; i++) {
		struct rp_action *a = &r->actions[i];
		free(a->kind), free(a->target), free(a->backend), free(a->ttl);
		free(a->result), free(a->rule), free(a->reason);
	}
	for (size_t i = 0; i < r->nseries; i++) {
		free(r->series[i].rule), free(r->series[i].key), free(r->series[i].pts);
	}
	free(r->alerts);
	free(r->actions);
	free(r->series);
	report_init(r);
}
