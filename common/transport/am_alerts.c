/* am_alerts.c - ward alerts as Alertmanager alerts (see am_alerts.h). */
#include "am_alerts.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "jsonw.h"
#include "percent.h"
#include "wtime.h"

/* ----------------------------------------------------------- from events */

struct kv {
	const char *k, *v;
};

/* Alertmanager refuses a batch holding a label or annotation name that is
 * not a Prometheus label name. */
static bool valid_name(const char *s)
{
	if (!*s || !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
		return false;
	for (s++; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_' ||
		      (*s >= '0' && *s <= '9')))
			return false;
	return true;
}

/* Set k=v in the list (a later set replaces an earlier one). */
static void kv_set(struct kv *l, size_t *n, size_t cap, const char *k, const char *v)
{
	if (!valid_name(k) || !*v)
		return;
	for (size_t i = 0; i < *n; i++)
		if (strcmp(l[i].k, k) == 0) {
			l[i].v = v;
			return;
		}
	if (*n < cap)
		l[(*n)++] = (struct kv){ k, v };
}

static void kv_add_object(struct kv *l, size_t *n, size_t cap, struct json_object *o)
{
	if (!o || !json_object_is_type(o, json_type_object))
		return;
	json_object_object_foreach(o, k, v) {
		if (json_object_is_type(v, json_type_string))
			kv_set(l, n, cap, k, json_object_get_string(v));
		else if (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double))
			kv_set(l, n, cap, k, json_object_to_json_string(v));
	}
}

static int kv_cmp(const void *a, const void *b)
{
	return strcmp(((const struct kv *)a)->k, ((const struct kv *)b)->k);
}

static char *kv_json(struct kv *l, size_t n)
{
	qsort(l, n, sizeof *l, kv_cmp);
	struct ward_buf b = WARD_BUF_INIT;
	buf_append_char(&b, '{');
	for (size_t i = 0; i < n; i++) {
		jsonw_key(&b, l[i].k, i == 0);
		jsonw_cstring(&b, l[i].v);
	}
	buf_append_char(&b, '}');
	char *s = ward_xstrndup(b.data, b.len);
	buf_free(&b);
	return s;
}

static const char *str_member(struct json_object *o, const char *name)
{
	struct json_object *v;
	if (json_object_object_get_ex(o, name, &v) && json_object_is_type(v, json_type_string))
		return json_object_get_string(v);
	return NULL;
}

static struct json_object *member(struct json_object *o, const char *name)
{
	struct json_object *v;
	return json_object_object_get_ex(o, name, &v) ? v : NULL;
}

#define AM_MAX_PAIRS 128

enum am_from am_update_from_event(const struct ward_event *ev, int64_t now_ns,
				  struct am_update *u)
{
	memset(u, 0, sizeof(*u));
	struct json_object *al = event_get_extra(ev, "alert");
	if (!al)
		return AM_NOT_ALERT;
	if (!json_object_is_type(al, json_type_object))
		return AM_INVALID;
	const char *rule = str_member(al, "rule");
	const char *state = str_member(al, "state");
	if (!rule || !*rule || !state)
		return AM_INVALID;
	if (strcmp(state, "pending") == 0)
		return AM_PENDING;
	bool resolved = strcmp(state, "resolved") == 0;
	if (!resolved && strcmp(state, "firing") != 0)
		return AM_INVALID;
	struct kv l[AM_MAX_PAIRS];
	size_t n = 0;
	kv_add_object(l, &n, AM_MAX_PAIRS, member(al, "key"));
	kv_add_object(l, &n, AM_MAX_PAIRS, member(al, "labels"));
	kv_set(l, &n, AM_MAX_PAIRS, "alertname", rule);
	size_t has_name = 0;
	for (size_t i = 0; i < n; i++)
		has_name += strcmp(l[i].k, "alertname") == 0;
	if (!has_name)
		return AM_INVALID;	/* a rule name Alertmanager cannot take */
	u->labels = kv_json(l, n);
	n = 0;
	kv_add_object(l, &n, AM_MAX_PAIRS, member(al, "annotations"));
	u->annotations = kv_json(l, n);
	u->rule = ward_xstrdup(rule);
	u->ts_ns = ev->ts_ns == WARD_TS_NONE ? now_ns : ev->ts_ns;
	u->resolved = resolved;
	return AM_UPDATE;
}

void am_update_free(struct am_update *u)
{
	free(u->labels);
	free(u->annotations);
	free(u->rule);
	memset(u, 0, sizeof(*u));
}

/* ------------------------------------------------------------------ table */

void am_table_init(struct am_table *t, size_t max)
{
	memset(t, 0, sizeof(*t));
	t->max = max ? max : 1;
}

static void alert_free(struct am_alert *a)
{
	free(a->labels);
	free(a->annotations);
	free(a->rule);
}

void am_table_free(struct am_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		alert_free(&t->a[i]);
	free(t->a);
	memset(t, 0, sizeof(*t));
}

static void remove_at(struct am_table *t, size_t i)
{
	alert_free(&t->a[i]);
	t->a[i] = t->a[--t->n];
}

static void take(char **dst, char **src)
{
	free(*dst);
	*dst = *src;
	*src = NULL;
}

enum am_apply am_table_apply(struct am_table *t, struct am_update *u, int64_t now_mono)
{
	for (size_t i = 0; i < t->n; i++) {
		struct am_alert *a = &t->a[i];
		if (strcmp(a->labels, u->labels) != 0)
			continue;
		bool was_resolved = a->ends_ns != 0;
		bool changed = was_resolved != u->resolved || strcmp(a->annotations, u->annotations) != 0;
		if (u->resolved && !was_resolved) {
			a->ends_ns = u->ts_ns < a->starts_ns ? a->starts_ns : u->ts_ns;
			a->resolved_mono = now_mono ? now_mono : 1;
		} else if (!u->resolved && was_resolved) {
			/* a new episode of the same series */
			a->starts_ns = u->ts_ns;
			a->ends_ns = 0;
			a->resolved_mono = 0;
		}
		take(&a->annotations, &u->annotations);
		am_update_free(u);
		if (!changed)
			return AM_SAME;
		a->gen = ++t->gen;
		return AM_CHANGED;
	}
	if (t->n == t->max) {
		size_t oldest = (size_t)-1;
		for (size_t i = 0; i < t->n; i++)
			if (t->a[i].ends_ns &&
			    (oldest == (size_t)-1 || t->a[i].resolved_mono < t->a[oldest].resolved_mono))
				oldest = i;
		if (oldest == (size_t)-1) {
			am_update_free(u);
			return AM_FULL;
		}
		remove_at(t, oldest);
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->a = ward_xrealloc(t->a, t->cap * sizeof(*t->a));
	}
	struct am_alert *a = &t->a[t->n++];
	memset(a, 0, sizeof(*a));
	a->labels = u->labels;
	a->annotations = u->annotations;
	a->rule = u->rule;
	u->labels = u->annotations = u->rule = NULL;
	a->starts_ns = u->ts_ns;
	if (u->resolved) {
		/* resolved and unknown here (ward restarted): still worth
		 * sending, Alertmanager may hold it from before */
		a->ends_ns = u->ts_ns;
		a->resolved_mono = now_mono ? now_mono : 1;
	}
	a->gen = ++t->gen;
	return AM_NEW;
}

void am_table_expire(struct am_table *t, int64_t now_mono, int64_t retention_ns)
{
	for (size_t i = 0; i < t->n;) {
		struct am_alert *a = &t->a[i];
		if (a->ends_ns && a->sent_gen == a->gen && now_mono - a->resolved_mono >= retention_ns)
			remove_at(t, i);
		else
			i++;
	}
}

bool am_needs_send(const struct am_alert *a, int64_t now_mono, int64_t resend_ns)
{
	return a->sent_gen != a->gen || !a->last_sent_mono || now_mono - a->last_sent_mono >= resend_ns;
}

size_t am_table_undelivered(const struct am_table *t)
{
	size_t n = 0;
	for (size_t i = 0; i < t->n; i++)
		n += t->a[i].sent_gen != t->a[i].gen;
	return n;
}

size_t am_table_firing(const struct am_table *t)
{
	size_t n = 0;
	for (size_t i = 0; i < t->n; i++)
		n += t->a[i].ends_ns == 0;
	return n;
}

/* ------------------------------------------------------------------- JSON */

void am_alert_json(const struct am_alert *a, int64_t now_ns, int64_t valid_ns,
		   const char *generator_url, struct ward_buf *out)
{
	char ts[WARD_RFC3339_LEN];
	buf_append_str(out, "{\"labels\":");
	buf_append_str(out, a->labels);
	buf_append_str(out, ",\"annotations\":");
	buf_append_str(out, a->annotations);
	time_format_rfc3339(a->starts_ns, ts);
	buf_printf(out, ",\"startsAt\":\"%s\"", ts);
	int64_t ends = a->ends_ns;
	if (!ends) {
		/* valid ahead of the later of now and the start: an event
		 * time ahead of this clock must not end before it starts */
		ends = (now_ns > a->starts_ns ? now_ns : a->starts_ns) + valid_ns;
	}
	time_format_rfc3339(ends, ts);
	buf_printf(out, ",\"endsAt\":\"%s\"", ts);
	if (generator_url && *generator_url) {
		struct ward_buf u = WARD_BUF_INIT;
		for (const char *p = generator_url; *p;) {
			const char *ph = strstr(p, "{rule}");
			if (!ph) {
				buf_append_str(&u, p);
				break;
			}
			buf_append(&u, p, (size_t)(ph - p));
			percent_encode(&u, a->rule, strlen(a->rule), 0);
			p = ph + 6;
		}
		buf_append_str(out, ",\"generatorURL\":");
		jsonw_string(out, u.data, u.len);
		buf_free(&u);
	}
	buf_append_char(out, '}');
}
