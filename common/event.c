/* event.c - ward events: arena, parse (json-c), serialize. */
#include "event.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "utf8.h"
#include "wtime.h"

/* ---- arena ---------------------------------------------------------------
 * Strings of one event live in a chain of blocks. Reset keeps blocks for
 * reuse, except blocks larger than ARENA_KEEP_MAX, so one huge event does not
 * pin its memory for the rest of the stream. */

struct ward_arena_block {
	struct ward_arena_block *next;
	size_t cap;
	size_t used;
	char data[];
};

#define ARENA_BLOCK_MIN 4096
#define ARENA_KEEP_MAX (256 * 1024)

static struct ward_arena_block *block_new(size_t cap)
{
	struct ward_arena_block *b = ward_xmalloc(sizeof *b + cap);
	b->next = NULL;
	b->cap = cap;
	b->used = 0;
	return b;
}

static void *arena_alloc(struct ward_arena *a, size_t n)
{
	n = (n + 7) & ~(size_t)7;
	struct ward_arena_block *h = a->head;
	if (h && h->cap - h->used >= n) {
		void *p = h->data + h->used;
		h->used += n;
		return p;
	}
	struct ward_arena_block *b = a->spare;
	if (b && b->cap >= n) {
		a->spare = b->next;
	} else {
		size_t cap = n > ARENA_BLOCK_MIN ? n : ARENA_BLOCK_MIN;
		if (h && h->cap * 2 > cap && h->cap * 2 <= ARENA_KEEP_MAX)
			cap = h->cap * 2;
		b = block_new(cap);
	}
	b->used = n;
	b->next = a->head;
	a->head = b;
	return b->data;
}

static void arena_reset(struct ward_arena *a)
{
	struct ward_arena_block *b = a->head;
	while (b) {
		struct ward_arena_block *next = b->next;
		if (b->cap > ARENA_KEEP_MAX) {
			free(b);
		} else {
			b->used = 0;
			b->next = a->spare;
			a->spare = b;
		}
		b = next;
	}
	a->head = NULL;
}

static void arena_free(struct ward_arena *a)
{
	arena_reset(a);
	for (struct ward_arena_block *b = a->spare, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	a->spare = NULL;
}

void event_fast_memo_free(struct event_fast_memo *m);	/* event_fast.c */

const char *event_strdup(struct ward_event *ev, const char *s, size_t n)
{
	char *p = arena_alloc(&ev->arena, n + 1);
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* ---- lifecycle ------------------------------------------------------------ */

void event_init(struct ward_event *ev)
{
	memset(ev, 0, sizeof *ev);
	ev->ts_ns = WARD_TS_NONE;
	ev->line = "";
}

void event_reset(struct ward_event *ev)
{
	ev->ts_ns = WARD_TS_NONE;
	ev->labels.len = 0;
	ev->fields.len = 0;
	ev->line = "";
	ev->line_len = 0;
	ev->rule = NULL;
	ev->raw_head = NULL;
	ev->raw_head_len = 0;
	if (ev->extra) {
		json_object_put(ev->extra);
		ev->extra = NULL;
	}
	ev->extra_text = NULL;
	ev->extra_text_len = 0;
	if (ev->extra_text_obj) {
		json_object_put(ev->extra_text_obj);
		ev->extra_text_obj = NULL;
	}
	arena_reset(&ev->arena);
}

void event_free(struct ward_event *ev)
{
	event_reset(ev);
	event_fast_memo_free(ev->memo);
	arena_free(&ev->arena);
	free(ev->labels.items);
	free(ev->fields.items);
	event_init(ev);
}

/* ---- key/value lists ------------------------------------------------------ */

/* Lengths first: most keys differ in length, and this scan runs for
 * every field a stage sets. */
static struct ward_kv *kvlist_find_n(const struct ward_kvlist *l, const char *key, size_t n)
{
	for (size_t i = 0; i < l->len; i++)
		if (l->items[i].key_len == n && memcmp(l->items[i].key, key, n) == 0)
			return &l->items[i];
	return NULL;
}

const struct ward_kv *kvlist_find(const struct ward_kvlist *l, const char *key)
{
	return kvlist_find_n(l, key, strlen(key));
}

static void kvlist_set(struct ward_event *ev, struct ward_kvlist *l, const char *key,
		       const char *val, size_t n, enum ward_val_kind kind)
{
	size_t klen = strlen(key);
	struct ward_kv *kv = kvlist_find_n(l, key, klen);
	if (!kv) {
		if (l->len == l->cap) {
			l->cap = l->cap ? l->cap * 2 : 16;
			l->items = ward_xrealloc(l->items, l->cap * sizeof *l->items);
		}
		kv = &l->items[l->len++];
		kv->key = event_strdup(ev, key, klen);
		kv->key_len = (uint32_t)klen;
	}
	kv->val = event_strdup(ev, val, n);
	kv->val_len = (uint32_t)n;
	kv->kind = kind;
}

static bool kvlist_del(struct ward_kvlist *l, const char *key)
{
	const struct ward_kv *kv = kvlist_find(l, key);
	if (!kv)
		return false;
	size_t i = (size_t)(kv - l->items);
	memmove(&l->items[i], &l->items[i + 1], (l->len - i - 1) * sizeof *l->items);
	l->len--;
	return true;
}

void event_set_line(struct ward_event *ev, const char *s, size_t n)
{
	ev->line = event_strdup(ev, s, n);
	ev->line_len = n;
	ev->raw_head = NULL;	/* the record's head no longer writes this event */
}

void event_set_rule(struct ward_event *ev, const char *name)
{
	ev->rule = name ? event_strdup(ev, name, strlen(name)) : NULL;
}

void event_set_label(struct ward_event *ev, const char *key, const char *val, size_t n)
{
	kvlist_set(ev, &ev->labels, key, val, n, WARD_VAL_STRING);
	ev->raw_head = NULL;
}

void event_set_field(struct ward_event *ev, const char *key, const char *val, size_t n)
{
	kvlist_set(ev, &ev->fields, key, val, n, WARD_VAL_STRING);
}

void event_set_field_ref(struct ward_event *ev, const char *key, size_t klen, const char *val, size_t n)
{
	struct ward_kv *kv = kvlist_find_n(&ev->fields, key, klen);
	if (!kv) {
		struct ward_kvlist *l = &ev->fields;
		if (l->len == l->cap) {
			l->cap = l->cap ? l->cap * 2 : 16;
			l->items = ward_xrealloc(l->items, l->cap * sizeof *l->items);
		}
		kv = &l->items[l->len++];
		kv->key = key;
		kv->key_len = (uint32_t)klen;
	}
	kv->val = val;
	kv->val_len = (uint32_t)n;
	kv->kind = WARD_VAL_STRING;
}

void event_set_field_num(struct ward_event *ev, const char *key, double v)
{
	struct ward_buf tmp = WARD_BUF_INIT;
	jsonw_double(&tmp, v);
	/* NaN/Inf come back quoted; keep them as strings. */
	if (tmp.data[0] == '"')
		kvlist_set(ev, &ev->fields, key, tmp.data + 1, tmp.len - 2, WARD_VAL_STRING);
	else
		kvlist_set(ev, &ev->fields, key, tmp.data, tmp.len, WARD_VAL_NUMBER);
	buf_free(&tmp);
}

void event_set_field_int(struct ward_event *ev, const char *key, int64_t v)
{
	char tmp[JSONW_INT_MAX], *q = jsonw_int_digits(tmp, v);
	kvlist_set(ev, &ev->fields, key, q, (size_t)(tmp + sizeof tmp - q), WARD_VAL_NUMBER);
}

bool event_del_label(struct ward_event *ev, const char *key)
{
	ev->raw_head = NULL;
	return kvlist_del(&ev->labels, key);
}

bool event_del_field(struct ward_event *ev, const char *key)
{
	return kvlist_del(&ev->fields, key);
}

const struct ward_kv *event_label(const struct ward_event *ev, const char *key)
{
	return kvlist_find(&ev->labels, key);
}

const struct ward_kv *event_field(const struct ward_event *ev, const char *key)
{
	return kvlist_find(&ev->fields, key);
}

const struct ward_kv *event_lookup(const struct ward_event *ev, const char *name)
{
	const struct ward_kv *kv = kvlist_find(&ev->fields, name);
	return kv ? kv : kvlist_find(&ev->labels, name);
}

void event_set_extra(struct ward_event *ev, const char *key, struct json_object *obj)
{
	if (!ev->extra)
		ev->extra = json_object_new_object();
	json_object_object_add(ev->extra, key, obj);
}

void event_set_extra_text(struct ward_event *ev, const char *members, size_t n)
{
	ev->extra_text = event_strdup(ev, members, n);
	ev->extra_text_len = n;
	if (ev->extra_text_obj) {
		json_object_put(ev->extra_text_obj);
		ev->extra_text_obj = NULL;
	}
}

/* extra_text as a json-c object: `{` and the members without their
 * leading comma. The parse is a cache of what the event holds, so it is
 * kept in the event even through a const pointer (events are never const
 * objects). NULL if the text does not parse. */
static struct json_object *extra_text_obj(const struct ward_event *ev)
{
	if (!ev->extra_text_obj && ev->extra_text_len > 1) {
		struct ward_buf b = WARD_BUF_INIT;
		buf_append_char(&b, '{');
		buf_append(&b, ev->extra_text + 1, ev->extra_text_len - 1);
		buf_append_char(&b, '}');
		((struct ward_event *)ev)->extra_text_obj = json_tokener_parse(buf_cstr(&b));
		buf_free(&b);
	}
	return ev->extra_text_obj;
}

struct json_object *event_get_extra(const struct ward_event *ev, const char *key)
{
	struct json_object *v = NULL, *t;
	if (ev->extra && json_object_object_get_ex(ev->extra, key, &v))
		return v;
	if (ev->extra_text && (t = extra_text_obj(ev)) && json_object_object_get_ex(t, key, &v))
		return v;
	return NULL;
}

void event_copy(struct ward_event *dst, const struct ward_event *src)
{
	event_reset(dst);
	dst->ts_ns = src->ts_ns;
	for (size_t i = 0; i < src->labels.len; i++) {
		const struct ward_kv *kv = &src->labels.items[i];
		kvlist_set(dst, &dst->labels, kv->key, kv->val, kv->val_len, kv->kind);
	}
	for (size_t i = 0; i < src->fields.len; i++) {
		const struct ward_kv *kv = &src->fields.items[i];
		kvlist_set(dst, &dst->fields, kv->key, kv->val, kv->val_len, kv->kind);
	}
	event_set_line(dst, src->line, src->line_len);
	event_set_rule(dst, src->rule);
	if (src->extra) {
		struct json_object *copy = NULL;
		if (json_object_deep_copy(src->extra, &copy, NULL) != 0)
			ward_oom();
		dst->extra = copy;
	}
	if (src->extra_text)
		event_set_extra_text(dst, src->extra_text, src->extra_text_len);
}

/* ---- parse ------------------------------------------------------------------ */

int event_parser_init(struct ward_event_parser *p)
{
	p->tok = json_tokener_new_ex(WARD_EVENT_MAX_DEPTH);
	if (!p->tok)
		return -1;
	json_tokener_set_flags(p->tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	return 0;
}

void event_parser_free(struct ward_event_parser *p)
{
	if (p->tok)
		json_tokener_free(p->tok);
	p->tok = NULL;
}

#define FAIL(...) do { snprintf(err, errlen, __VA_ARGS__); return -1; } while (0)

/* Value of a label or field as text; numbers keep their JSON spelling. */
static int scalar_text(struct json_object *v, const char **s, size_t *n,
		       enum ward_val_kind *kind, struct ward_buf *scratch)
{
	switch (json_object_get_type(v)) {
	case json_type_string:
		*s = json_object_get_string(v);
		*n = (size_t)json_object_get_string_len(v);
		*kind = WARD_VAL_STRING;
		return 0;
	case json_type_int:
	case json_type_double:
		*s = json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
		*n = strlen(*s);
		*kind = WARD_VAL_NUMBER;
		return 0;
	case json_type_boolean:
		*s = json_object_get_boolean(v) ? "true" : "false";
		*n = strlen(*s);
		*kind = WARD_VAL_STRING;
		return 0;
	case json_type_object:
	case json_type_array:
		/* Not in the schema; kept as its JSON text rather than lost. */
		buf_reset(scratch);
		buf_append_str(scratch, json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
		*s = scratch->data;
		*n = scratch->len;
		*kind = WARD_VAL_STRING;
		return 0;
	default:
		return -1;	/* null: skipped */
	}
}

static int parse_kvs(struct ward_event *ev, struct ward_kvlist *l, struct json_object *obj,
		     bool labels, char *err, size_t errlen)
{
	struct ward_buf scratch = WARD_BUF_INIT;
	int rc = 0;
	json_object_object_foreach(obj, key, val) {
		const char *s;
		size_t n;
		enum ward_val_kind kind;
		size_t klen = strlen(key);
		if (klen > WARD_EVENT_MAX_KEY_LEN) {
			snprintf(err, errlen, "key longer than %d bytes", WARD_EVENT_MAX_KEY_LEN);
			rc = -1;
			break;
		}
		/* json-c lets invalid UTF-8 through in keys; repaired on output it
		 * would come back longer (found by fuzz_event). */
		if (!utf8_valid(key, klen)) {
			snprintf(err, errlen, "key is not valid UTF-8");
			rc = -1;
			break;
		}
		if (ev->labels.len + ev->fields.len >= WARD_EVENT_MAX_KEYS) {
			snprintf(err, errlen, "more than %d labels and fields", WARD_EVENT_MAX_KEYS);
			rc = -1;
			break;
		}
		if (scalar_text(val, &s, &n, &kind, &scratch) != 0)
			continue;
		kvlist_set(ev, l, key, s, n, labels ? WARD_VAL_STRING : kind);
	}
	buf_free(&scratch);
	return rc;
}

static int parse_member(struct ward_event *ev, const char *key, struct json_object *val,
			char *err, size_t errlen)
{
	enum json_type t = json_object_get_type(val);
	if (strcmp(key, "ts") == 0) {
		if (t == json_type_null)
			return 0;
		if (t != json_type_string)
			FAIL("\"ts\" is not a string");
		const char *s = json_object_get_string(val);
		if (time_parse_rfc3339(s, (size_t)json_object_get_string_len(val), &ev->ts_ns) != 0)
			FAIL("\"ts\" is not an RFC 3339 time");
	} else if (strcmp(key, "line") == 0) {
		if (t != json_type_string)
			FAIL("\"line\" is not a string");
		event_set_line(ev, json_object_get_string(val), (size_t)json_object_get_string_len(val));
	} else if (strcmp(key, "labels") == 0 || strcmp(key, "fields") == 0) {
		bool labels = key[0] == 'l';
		if (t == json_type_null)
			return 0;
		if (t != json_type_object)
			FAIL("\"%s\" is not an object", key);
		return parse_kvs(ev, labels ? &ev->labels : &ev->fields, val, labels, err, errlen);
	} else if (strcmp(key, "rule") == 0) {
		if (t != json_type_string)
			FAIL("\"rule\" is not a string");
		event_set_rule(ev, json_object_get_string(val));
	} else if (strcmp(key, "v") == 0) {
		if (t != json_type_int)
			FAIL("\"v\" is not an integer");
	} else {
		event_set_extra(ev, key, json_object_get(val));
	}
	return 0;
}

int event_parse(struct ward_event *ev, struct ward_event_parser *p,
		const char *json, size_t len, char *err, size_t errlen)
{
	event_reset(ev);
	if (len > INT32_MAX)
		FAIL("record too large");
	json_tokener_reset(p->tok);
	struct json_object *root = json_tokener_parse_ex(p->tok, json, (int)len);
	enum json_tokener_error jerr = json_tokener_get_error(p->tok);
	if (!root || jerr != json_tokener_success) {
		if (root)
			json_object_put(root);
		/* json-c 0.16's reset keeps a pending UTF-16 high surrogate from
		 * an input that ended inside "\ud83d", which then corrupts the
		 * next record's \u escapes (found by fuzz_event): start over
		 * with a fresh tokener after any failure. */
		json_tokener_free(p->tok);
		if (event_parser_init(p) != 0)
			ward_oom();
		if (jerr == json_tokener_continue)
			FAIL("not JSON: truncated");
		FAIL("not JSON: %s", json_tokener_error_desc(jerr));
	}
	size_t end = json_tokener_get_parse_end(p->tok);
	while (end < len && (json[end] == ' ' || json[end] == '\t' || json[end] == '\r'))
		end++;
	if (end != len) {
		json_object_put(root);
		FAIL("not JSON: garbage after the object");
	}
	if (!json_object_is_type(root, json_type_object)) {
		json_object_put(root);
		FAIL("not a JSON object");
	}
	int rc = 0;
	json_object_object_foreach(root, key, val) {
		if ((rc = parse_member(ev, key, val, err, errlen)) != 0)
			break;
	}
	json_object_put(root);
	if (rc != 0)
		event_reset(ev);
	return rc;
}

/* ---- serialize ---------------------------------------------------------- */

void event_serialize_kv(const struct ward_kv *kv, struct ward_buf *out)
{
	jsonw_string(out, kv->key, kv->key_len);
	buf_append_char(out, ':');
	if (kv->kind == WARD_VAL_NUMBER)
		buf_append(out, kv->val, kv->val_len);
	else
		jsonw_string(out, kv->val, kv->val_len);
}

static void write_kvs(struct ward_buf *out, const struct ward_kvlist *l)
{
	buf_append_char(out, '{');
	for (size_t i = 0; i < l->len; i++) {
		if (i)
			buf_append_char(out, ',');
		event_serialize_kv(&l->items[i], out);
	}
	buf_append_char(out, '}');
}

/* json-c's own writer does not repair invalid UTF-8, and stage code may put
 * attacker text into extra objects: strings go through jsonw_string. */
static void write_json(struct ward_buf *out, struct json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_string:
		jsonw_string(out, json_object_get_string(v), (size_t)json_object_get_string_len(v));
		break;
	case json_type_object: {
		int first = 1;
		buf_append_char(out, '{');
		json_object_object_foreach(v, key, val) {
			if (!first)
				buf_append_char(out, ',');
			first = 0;
			jsonw_cstring(out, key);
			buf_append_char(out, ':');
			write_json(out, val);
		}
		buf_append_char(out, '}');
		break;
	}
	case json_type_array: {
		size_t n = json_object_array_length(v);
		buf_append_char(out, '[');
		for (size_t i = 0; i < n; i++) {
			if (i)
				buf_append_char(out, ',');
			write_json(out, json_object_array_get_idx(v, i));
		}
		buf_append_char(out, ']');
		break;
	}
	case json_type_double:
		jsonw_double(out, json_object_get_double(v));
		break;
	default:
		buf_append_str(out, json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
		break;
	}
}

void event_serialize_head(const struct ward_event *ev, struct ward_buf *out)
{
	buf_append_lit(out, "{\"v\":1");
	if (ev->ts_ns != WARD_TS_NONE) {
		char ts[WARD_RFC3339_LEN];
		time_format_rfc3339(ev->ts_ns, ts);
		buf_append_lit(out, ",\"ts\":\"");
		buf_append_str(out, ts);
		buf_append_char(out, '"');
	}
	buf_append_lit(out, ",\"labels\":");
	write_kvs(out, &ev->labels);
	buf_append_lit(out, ",\"line\":");
	jsonw_string(out, ev->line, ev->line_len);
}

void event_serialize_tail(const struct ward_event *ev, struct ward_buf *out)
{
	event_serialize_fields(ev, out);
	event_serialize_end(ev, out);
}

void event_serialize_fields(const struct ward_event *ev, struct ward_buf *out)
{
	buf_append_lit(out, ",\"fields\":");
	write_kvs(out, &ev->fields);
}

void event_serialize_end(const struct ward_event *ev, struct ward_buf *out)
{
	if (ev->rule) {
		buf_append_lit(out, ",\"rule\":");
		jsonw_cstring(out, ev->rule);
	}
	event_serialize_extra(ev, out);
}

void event_serialize_extra(const struct ward_event *ev, struct ward_buf *out)
{
	if (ev->extra) {
		json_object_object_foreach(ev->extra, key, val) {
			buf_append_char(out, ',');
			jsonw_cstring(out, key);
			buf_append_char(out, ':');
			write_json(out, val);
		}
	}
	if (ev->extra_text)
		buf_append(out, ev->extra_text, ev->extra_text_len);
	buf_append_char(out, '}');
}

void event_serialize(const struct ward_event *ev, struct ward_buf *out)
{
	event_serialize_head(ev, out);
	event_serialize_tail(ev, out);
}
