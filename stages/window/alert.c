/* alert.c - alert and series events (see alert.h). */
#include "stages/window/alert.h"

#include <stdlib.h>
#include <string.h>

#include "fmtdouble.h"
#include "jsonw.h"
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
	buf_free(&b->obj);
	free(b->ends);
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

/* The alert and series objects are written as JSON text here (no json-c
 * tree per alert), byte for byte as event.c's writer writes the json-c
 * objects this built before: members in insertion order, a repeated
 * member name kept at its first place with its last value, strings
 * through jsonw_string. */

static void obj_key(struct ward_buf *o, const char *key, bool *first)
{
	jsonw_key(o, key, *first);
	*first = false;
}

static void put_time(struct ward_buf *o, int64_t ns)
{
	char ts[WARD_RFC3339_LEN];
	time_format_rfc3339(ns, ts);
	jsonw_cstring(o, ts);
}

/* The i-th name of a list of named entries. */
typedef const char *(*name_at_fn)(const void *list, size_t i);

static const char *key_name_at(const void *list, size_t i)
{
	return ((const struct ww_alert *)list)->key_names[i];
}

static const char *kv_name_at(const void *list, size_t i)
{
	return ((const struct ww_kv *)list)[i].key;
}

/* Whether entry i repeats an earlier name (its member is written there). */
static bool name_seen(name_at_fn name, const void *list, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (strcmp(name(list, j), name(list, i)) == 0)
			return true;
	return false;
}

/* The last entry named as entry i: the value its member holds. */
static size_t name_last(name_at_fn name, const void *list, size_t n, size_t i)
{
	size_t last = i;
	for (size_t j = i + 1; j < n; j++)
		if (strcmp(name(list, j), name(list, i)) == 0)
			last = j;
	return last;
}

static void put_key(struct ward_buf *o, const struct ww_alert *a)
{
	bool first = true;
	buf_append_char(o, '{');
	for (size_t i = 0; i < a->nkey; i++) {
		if (name_seen(key_name_at, a, i))
			continue;
		size_t v = name_last(key_name_at, a, a->nkey, i);
		obj_key(o, a->key_names[i], &first);
		jsonw_string(o, a->key_vals[v], a->key_lens[v]);
	}
	buf_append_char(o, '}');
}

/* Rule labels or annotations, templated, as a JSON object (and as event
 * labels when ev is given). Every entry is expanded, in order, as the
 * event's labels and the unknown-construct count take them. */
static void put_templated(struct alert_builder *b, const struct ww_alert *a, const struct ww_kv *kv,
			  size_t n, struct ward_event *ev, struct ward_buf *o)
{
	if (n > b->cap_ends) {
		b->cap_ends = n;
		b->ends = ward_xrealloc(b->ends, n * sizeof(*b->ends));
	}
	buf_reset(&b->scratch);
	for (size_t i = 0; i < n; i++) {
		size_t from = b->scratch.len;
		b->template_unknown += alerttmpl_expand(kv[i].tmpl, key_lookup, (void *)a, a->value,
							&b->scratch);
		b->ends[i] = b->scratch.len;
		if (ev)
			event_set_label(ev, kv[i].key, b->scratch.data + from, b->scratch.len - from);
	}
	bool first = true;
	buf_append_char(o, '{');
	for (size_t i = 0; i < n; i++) {
		if (name_seen(kv_name_at, kv, i))
			continue;
		size_t v = name_last(kv_name_at, kv, n, i);
		size_t from = v ? b->ends[v - 1] : 0;
		obj_key(o, kv[i].key, &first);
		jsonw_string(o, b->scratch.data + from, b->ends[v] - from);
	}
	buf_append_char(o, '}');
}

/* Appends, not printf: one alert line per transition. */
static void summary_line(struct alert_builder *b, const struct ww_alert *a)
{
	const struct ww_rule *r = a->rule;
	struct ward_buf *l = &b->line;
	char dur[32];
	buf_reset(l);
	buf_append_str(l, r->name);
	buf_append_char(l, ' ');
	buf_append_str(l, engine_state_str(a->state));
	for (size_t i = 0; i < a->nkey; i++) {
		buf_append_char(l, ' ');
		buf_append_str(l, a->key_names[i]);
		buf_append_char(l, '=');
		buf_append(l, a->key_vals[i], a->key_lens[i]);
	}
	buf_append_lit(l, " value=");
	fmtdouble_append(l, a->value, FMTDOUBLE_JSON);
	if (r->kind == WW_KIND_ANOMALY) {
		buf_append_lit(l, " score=");
		fmtdouble_append(l, a->score, FMTDOUBLE_JSON);
		buf_append_lit(l, " baseline=");
		fmtdouble_append(l, a->baseline, FMTDOUBLE_JSON);
		duration_format(r->step_ns, dur, sizeof dur);
	} else {
		if (r->op != WW_OP_NONE) {
			/* `> bool N` filters nothing: the value is the comparison's 0/1 */
			buf_append_str(l, r->bool_result ? " (" : " ");
			buf_append_str(l, rule_op_str(r->op));
			buf_append_str(l, r->bool_result ? " bool " : " ");
			fmtdouble_append(l, r->threshold, FMTDOUBLE_JSON);
			if (r->bool_result)
				buf_append_char(l, ')');
		}
		duration_format(r->range_ns, dur, sizeof dur);
	}
	buf_append_lit(l, " over ");
	buf_append_str(l, dur);
}

static void set_key_fields(const struct ww_alert *a, struct ward_event *ev)
{
	for (size_t i = 0; i < a->nkey; i++)
		event_set_field(ev, a->key_names[i], a->key_vals[i], a->key_lens[i]);
}

void alert_build(struct alert_builder *b, const struct ww_alert *a, struct ward_event *ev)
{
	const struct ww_rule *r = a->rule;
	struct ward_buf *o = &b->obj;
	char dur[32];
	event_reset(ev);
	ev->ts_ns = a->at;
	event_set_label(ev, "job", "ward", 4);
	event_set_label(ev, "alertname", r->name, strlen(r->name));
	buf_reset(o);
	buf_append_lit(o, ",\"alert\":{\"rule\":");
	jsonw_cstring(o, r->name);
	buf_append_lit(o, ",\"state\":");
	jsonw_cstring(o, engine_state_str(a->state));
	buf_append_lit(o, ",\"key\":");
	put_key(o, a);
	buf_append_lit(o, ",\"value\":");
	jsonw_double(o, a->value);
	if (r->kind == WW_KIND_ANOMALY) {
		buf_append_lit(o, ",\"score\":");
		jsonw_double(o, a->score);
		buf_append_lit(o, ",\"baseline\":");
		jsonw_double(o, a->baseline);
		duration_format(r->step_ns, dur, sizeof dur);
	} else {
		if (r->op != WW_OP_NONE) {
			buf_append_lit(o, ",\"op\":");
			jsonw_cstring(o, rule_op_str(r->op));
			buf_append_lit(o, ",\"threshold\":");
			jsonw_double(o, r->threshold);
			if (r->bool_result)
				buf_append_lit(o, ",\"bool\":true");
		}
		duration_format(r->range_ns, dur, sizeof dur);
	}
	buf_append_lit(o, ",\"window\":");
	jsonw_cstring(o, dur);
	if (a->first != INT64_MIN) {
		buf_append_lit(o, ",\"first\":");
		put_time(o, a->first);
	}
	if (a->last != INT64_MIN) {
		buf_append_lit(o, ",\"last\":");
		put_time(o, a->last);
	}
	buf_append_lit(o, ",\"count\":");
	jsonw_int(o, (int64_t)a->count);
	if (a->renotify)
		buf_append_lit(o, ",\"renotify\":true");
	buf_append_lit(o, ",\"evidence\":[");
	for (size_t i = 0; i < a->nevidence; i++) {
		if (i)
			buf_append_char(o, ',');
		jsonw_string(o, a->evidence[i], a->evidence_lens[i]);
	}
	buf_append_lit(o, "],\"labels\":");
	put_templated(b, a, r->labels, r->nlabels, ev, o);
	buf_append_lit(o, ",\"annotations\":");
	put_templated(b, a, r->annotations, r->nannotations, NULL, o);
	buf_append_char(o, '}');
	summary_line(b, a);
	event_set_line(ev, b->line.data, b->line.len);
	set_key_fields(a, ev);
	event_set_extra_text(ev, o->data, o->len);
}

void alert_series_build(struct alert_builder *b, const struct ww_alert *a, struct ward_event *ev)
{
	const struct ww_rule *r = a->rule;
	struct ward_buf *o = &b->obj;
	event_reset(ev);
	ev->ts_ns = a->at;
	event_set_label(ev, "job", "ward", 4);
	event_set_label(ev, "series", r->name, strlen(r->name));
	event_set_line(ev, "", 0);
	set_key_fields(a, ev);
	buf_reset(o);
	buf_append_lit(o, ",\"series\":{\"rule\":");
	jsonw_cstring(o, r->name);
	buf_append_lit(o, ",\"value\":");
	jsonw_double(o, a->value);
	if (r->kind == WW_KIND_THRESHOLD && r->op != WW_OP_NONE) {
		buf_append_lit(o, ",\"threshold\":");
		jsonw_double(o, r->threshold);
		if (r->bool_result)
			buf_append_lit(o, ",\"bool\":true");
	}
	buf_append_char(o, '}');
	event_set_extra_text(ev, o->data, o->len);
}
