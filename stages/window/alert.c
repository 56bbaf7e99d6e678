/* alert.c - alert and series events (see alert.h). */
#include "stages/window/alert.h"

#include <json-c/json.h>
#include <math.h>
#include <string.h>

#include "fmtdouble.h"
#include "stages/window/alerttmpl.h"
#include "wtime.h"

void alert_builder_init(struct alert_builder *b)
{
	memset(b, 0, sizeof(*b));
}

void alert_builder_free(struct alert_builder *b)
{
	buf_free(&b->scratch);
	buf_free(&b->line);
}

static const char *key_lookup(void *ctx, const char *name, size_t n, size_t *len)
{
	const struct ww_alert *a = ctx;
	for (size_t i = 0; i < a->nkey; i++) {
		if (strlen(a->key_names[i]) == n && memcmp(a->key_names[i], name, n) == 0) {
			*len = a->key_lens[i];
			return a->key_vals[i];
		}
	}
	return NULL;
}

static json_object *json_num(double v)
{
	if (isfinite(v) && v == floor(v) && fabs(v) < 9e15)
		return json_object_new_int64((int64_t)v);
	if (!isfinite(v))
		return json_object_new_string(isnan(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf");
	return json_object_new_double(v);
}

static json_object *json_time(int64_t ns)
{
	char ts[WARD_RFC3339_LEN];
	time_format_rfc3339(ns, ts);
	return json_object_new_string(ts);
}

static json_object *json_key(const struct ww_alert *a)
{
	json_object *o = json_object_new_object();
	for (size_t i = 0; i < a->nkey; i++)
		json_object_object_add(o, a->key_names[i],
				       json_object_new_string_len(a->key_vals[i], (int)a->key_lens[i]));
	return o;
}

/* Rule labels or annotations, templated, into a JSON object (and optionally
 * as event labels). */
static json_object *templated(struct alert_builder *b, const struct ww_alert *a,
			      const struct ww_kv *kv, size_t n, struct ward_event *ev)
{
	json_object *o = json_object_new_object();
	for (size_t i = 0; i < n; i++) {
		buf_reset(&b->scratch);
		b->template_unknown += alerttmpl_expand(kv[i].tmpl, key_lookup, (void *)a, a->value,
							&b->scratch);
		json_object_object_add(o, kv[i].key,
				       json_object_new_string_len(b->scratch.data, (int)b->scratch.len));
		if (ev)
			event_set_label(ev, kv[i].key, b->scratch.data, b->scratch.len);
	}
	return o;
}

static void summary_line(struct alert_builder *b, const struct ww_alert *a)
{
	const struct ww_rule *r = a->rule;
	char num[FMTDOUBLE_MAX], dur[32];
	buf_reset(&b->line);
	buf_printf(&b->line, "%s %s", r->name, engine_state_str(a->state));
	for (size_t i = 0; i < a->nkey; i++) {
		buf_printf(&b->line, " %s=", a->key_names[i]);
		buf_append(&b->line, a->key_vals[i], a->key_lens[i]);
	}
	fmtdouble(num, a->value, FMTDOUBLE_JSON);
	buf_printf(&b->line, " value=%s", num);
	if (r->kind == WW_KIND_ANOMALY) {
		fmtdouble(num, a->score, FMTDOUBLE_JSON);
		buf_printf(&b->line, " score=%s", num);
		fmtdouble(num, a->baseline, FMTDOUBLE_JSON);
		buf_printf(&b->line, " baseline=%s", num);
		duration_format(r->step_ns, dur, sizeof dur);
	} else {
		if (r->op != WW_OP_NONE) {
			/* `> bool N` filters nothing: the value is the comparison's 0/1 */
			fmtdouble(num, r->threshold, FMTDOUBLE_JSON);
			buf_printf(&b->line, r->bool_result ? " (%s bool %s)" : " %s %s",
				   rule_op_str(r->op), num);
		}
		duration_format(r->range_ns, dur, sizeof dur);
	}
	buf_printf(&b->line, " over %s", dur);
}

static void set_key_fields(const struct ww_alert *a, struct ward_event *ev)
{
	for (size_t i = 0; i < a->nkey; i++)
		event_set_field(ev, a->key_names[i], a->key_vals[i], a->key_lens[i]);
}

void alert_build(struct alert_builder *b, const struct ww_alert *a, struct ward_event *ev)
{
	const struct ww_rule *r = a->rule;
	char dur[32];
	event_reset(ev);
	ev->ts_ns = a->at;
	event_set_label(ev, "job", "ward", 4);
	event_set_label(ev, "alertname", r->name, strlen(r->name));
	json_object *o = json_object_new_object();
	json_object_object_add(o, "rule", json_object_new_string(r->name));
	json_object_object_add(o, "state", json_object_new_string(engine_state_str(a->state)));
	json_object_object_add(o, "key", json_key(a));
	json_object_object_add(o, "value", json_num(a->value));
	if (r->kind == WW_KIND_ANOMALY) {
		json_object_object_add(o, "score", json_num(a->score));
		json_object_object_add(o, "baseline", json_num(a->baseline));
		duration_format(r->step_ns, dur, sizeof dur);
	} else {
		if (r->op != WW_OP_NONE) {
			json_object_object_add(o, "op", json_object_new_string(rule_op_str(r->op)));
			json_object_object_add(o, "threshold", json_num(r->threshold));
			if (r->bool_result)
				json_object_object_add(o, "bool", json_object_new_boolean(1));
		}
		duration_format(r->range_ns, dur, sizeof dur);
	}
	json_object_object_add(o, "window", json_object_new_string(dur));
	if (a->first != INT64_MIN)
		json_object_object_add(o, "first", json_time(a->first));
	if (a->last != INT64_MIN)
		json_object_object_add(o, "last", json_time(a->last));
	json_object_object_add(o, "count", json_object_new_int64((int64_t)a->count));
	if (a->renotify)
		json_object_object_add(o, "renotify", json_object_new_boolean(1));
	json_object *evid = json_object_new_array();
	for (size_t i = 0; i < a->nevidence; i++)
		json_object_array_add(evid, json_object_new_string_len(a->evidence[i],
									(int)a->evidence_lens[i]));
	json_object_object_add(o, "evidence", evid);
	json_object_object_add(o, "labels", templated(b, a, r->labels, r->nlabels, ev));
	json_object_object_add(o, "annotations",
			       templated(b, a, r->annotations, r->nannotations, NULL));
	summary_line(b, a);
	event_set_line(ev, b->line.data, b->line.len);
	set_key_fields(a, ev);
	event_set_extra(ev, "alert", o);
}

void alert_series_build(struct alert_builder *b, const struct ww_alert *a, struct ward_event *ev)
{
	const struct ww_rule *r = a->rule;
	(void)b;
	event_reset(ev);
	ev->ts_ns = a->at;
	event_set_label(ev, "job", "ward", 4);
	event_set_label(ev, "series", r->name, strlen(r->name));
	event_set_line(ev, "", 0);
	set_key_fields(a, ev);
	json_object *o = json_object_new_object();
	json_object_object_add(o, "rule", json_object_new_string(r->name));
	json_object_object_add(o, "value", json_num(a->value));
	if (r->kind == WW_KIND_THRESHOLD && r->op != WW_OP_NONE) {
		json_object_object_add(o, "threshold", json_num(r->threshold));
		if (r->bool_result)
			json_object_object_add(o, "bool", json_object_new_boolean(1));
	}
	event_set_extra(ev, "series", o);
}
