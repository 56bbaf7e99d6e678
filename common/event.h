/* event.h - the ward event: parse, build, serialize (docs/events.md, v1).
 *
 * An event is one JSON object on one line, shaped like a Loki log entry:
 *   {"v":1,"ts":"2026-11-28T08:00:00.000000000Z","labels":{...},
 *    "line":"...","fields":{...}, ...other top-level keys...}
 *
 * Ownership: a struct ward_event owns every string it points to (they live in
 * its arena) and its `extra` JSON object. Strings returned by accessors stay
 * valid until the next event_reset/event_free or until that key is set again.
 * event_reset keeps all capacity, so a stage that reuses one event and one
 * parser per stream does no allocation in the steady state beyond json-c's.
 * No function here does I/O or keeps global state. */
#ifndef WARD_EVENT_H
#define WARD_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct json_object;
struct json_tokener;

#define WARD_EVENT_VERSION 1
#define WARD_TS_NONE INT64_MIN

/* Limits a reader enforces; see docs/events.md. */
#define WARD_EVENT_MAX_DEPTH 32		/* JSON nesting */
#define WARD_EVENT_MAX_KEYS 256		/* labels + fields */
#define WARD_EVENT_MAX_KEY_LEN 1024

enum ward_val_kind { WARD_VAL_STRING = 0, WARD_VAL_NUMBER = 1 };

struct ward_kv {
	const char *key;	/* NUL-terminated, in the event's arena */
	const char *val;	/* NUL-terminated; may contain NUL bytes before len */
	uint32_t key_len;
	uint32_t val_len;
	enum ward_val_kind kind;	/* NUMBER: val is its JSON text */
};

struct ward_kvlist {
	struct ward_kv *items;
	size_t len;
	size_t cap;
};

struct ward_arena_block;
struct ward_arena {
	struct ward_arena_block *head;	/* block being filled */
	struct ward_arena_block *spare;	/* freed blocks kept for reuse */
};

struct ward_event {
	int64_t ts_ns;			/* event time, ns since the epoch, UTC */
	struct ward_kvlist labels;	/* stream labels, low cardinality */
	struct ward_kvlist fields;	/* extracted values */
	const char *line;		/* original text, NUL-terminated */
	size_t line_len;
	const char *rule;		/* "rule": set by ward-match rules, or NULL */
	struct json_object *extra;	/* other top-level keys (alert, action,
					 * series, unknown ones), or NULL */
	/* More top-level members already written as JSON text
	 * (`,"alert":{...}`), after extra's when serialized: a stage that
	 * builds one object per output event writes it so, not as a json-c
	 * tree. In the arena; NULL when none. event_get_extra finds its
	 * members too (parsed on first request into extra_text_obj). */
	const char *extra_text;
	size_t extra_text_len;
	struct json_object *extra_text_obj;
	struct ward_arena arena;
	/* event_decode_fast's memory of the last labels object and ts it
	 * decoded into this event (consecutive records mostly repeat them);
	 * labels items may point into it until the next decode. NULL until
	 * then; freed by event_free, never copied. */
	struct event_fast_memo *memo;
	/* The record's bytes that event_serialize_head writes for this event,
	 * when event_decode_fast saw them in exactly that form (ward-ingest's
	 * own layout, no escape in the line): a stage that writes the event
	 * with ts, labels and line unchanged copies them instead of encoding
	 * them again. NULL otherwise. Points into the record, so it is valid
	 * while the record is and only while ts, labels and line are as
	 * decoded: event_reset and the setters of line and labels clear it
	 * (code that assigns ts_ns or the lists directly must too), and
	 * event_copy does not copy it. */
	const char *raw_head;
	size_t raw_head_len;
};

/* Reusable parser state (a json_tokener with a depth limit). */
struct ward_event_parser {
	struct json_tokener *tok;
};

void event_init(struct ward_event *ev);
void event_reset(struct ward_event *ev);
void event_free(struct ward_event *ev);
/* Deep copy of src into dst (dst must be initialized; it is reset first). */
void event_copy(struct ward_event *dst, const struct ward_event *src);

int event_parser_init(struct ward_event_parser *p);
void event_parser_free(struct ward_event_parser *p);

/* Parse one NDJSON record (without its newline) into ev (reset first).
 * Returns 0, or -1 with a short reason in err: not JSON, not an object,
 * too deep, a member of the wrong type, invalid UTF-8 in a key. Unknown
 * top-level keys are kept in ev->extra; a missing "fields" or "labels" is an
 * empty one; a missing "ts" is WARD_TS_NONE; a missing "line" is "". */
int event_parse(struct ward_event *ev, struct ward_event_parser *p,
		const char *json, size_t len, char *err, size_t errlen);

/* Append the event as one JSON object, without a newline. Invalid UTF-8 is
 * replaced by U+FFFD; output is always valid JSON. */
void event_serialize(const struct ward_event *ev, struct ward_buf *out);
/* event_serialize in two parts: the head (v, ts, labels, line) and the
 * tail (fields, rule, extra members, closing brace). A stage that writes
 * one input several times with only fields or rule changed (ward-match,
 * once per matching rule) escapes the head once and appends each tail. */
void event_serialize_head(const struct ward_event *ev, struct ward_buf *out);
void event_serialize_tail(const struct ward_event *ev, struct ward_buf *out);
/* event_serialize_tail in two parts: `,"fields":{...}`, then the rest
 * (rule, extra members, closing brace); ward-match reuses the first when
 * rules add the same fields to one input. */
void event_serialize_fields(const struct ward_event *ev, struct ward_buf *out);
void event_serialize_end(const struct ward_event *ev, struct ward_buf *out);
/* event_serialize_end without the rule: the extra members and the closing
 * brace (ward-match writes each rule's `,"rule":"NAME"` once per run). */
void event_serialize_extra(const struct ward_event *ev, struct ward_buf *out);
/* One member of labels or fields: `"key":value`. */
void event_serialize_kv(const struct ward_kv *kv, struct ward_buf *out);

/* Builders. Values are copied into the event's arena. Setting an existing
 * key replaces its value in place (order of first insertion is kept). */
void event_set_line(struct ward_event *ev, const char *s, size_t n);
void event_set_rule(struct ward_event *ev, const char *name);
void event_set_label(struct ward_event *ev, const char *key, const char *val, size_t n);
void event_set_field(struct ward_event *ev, const char *key, const char *val, size_t n);
/* event_set_field without copying: key[klen] and val[n] must be '\0' and
 * both outlive every use of the event's fields (ward-match: strings of the
 * LogQL context, alive until its next event; logql_apply_borrowed). */
void event_set_field_ref(struct ward_event *ev, const char *key, size_t klen, const char *val, size_t n);
void event_set_field_num(struct ward_event *ev, const char *key, double v);
/* An integer field without going through double formatting (hot paths). */
void event_set_field_int(struct ward_event *ev, const char *key, int64_t v);
bool event_del_label(struct ward_event *ev, const char *key);
bool event_del_field(struct ward_event *ev, const char *key);
/* Takes ownership of obj (json-c reference); replaces an existing key. */
void event_set_extra(struct ward_event *ev, const char *key, struct json_object *obj);
/* Set ev->extra_text to a copy of members[0..n): one or more top-level
 * members, each as `,"key":value` in valid JSON, whose names are not
 * in ev->extra (the caller's to keep apart). Replaces earlier text. */
void event_set_extra_text(struct ward_event *ev, const char *members, size_t n);
/* A member of extra, else of extra_text (parsed once, on first request). */
struct json_object *event_get_extra(const struct ward_event *ev, const char *key);

const struct ward_kv *event_label(const struct ward_event *ev, const char *key);
const struct ward_kv *event_field(const struct ward_event *ev, const char *key);
/* A name as LogQL resolves it: an extracted field first, then a stream
 * label. This is what `by (src_ip)` reads, for log lines and packets alike. */
const struct ward_kv *event_lookup(const struct ward_event *ev, const char *name);

/* Copy a string into the event's arena (for stage code building events). */
const char *event_strdup(struct ward_event *ev, const char *s, size_t n);

/* Low-level kv list helpers (used by the event and by parsers). */
const struct ward_kv *kvlist_find(const struct ward_kvlist *l, const char *key);

#endif
