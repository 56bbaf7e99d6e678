/* lineonce.c - one count per input line (see lineonce.h). */
#include "stages/window/lineonce.h"

#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "buf.h"
#include "event.h"
#include "hash.h"

void lineonce_init(struct ww_lineonce *l)
{
	memset(l, 0, sizeof(*l));
}

void lineonce_free(struct ww_lineonce *l)
{
	free(l->tags);
	memset(l, 0, sizeof(*l));
}

static uint64_t mix(uint64_t h, const void *p, size_t n)
{
	return (h ^ hash_fnv1a(p, n)) * 0x9e3779b97f4a7c15ULL;
}

static uint64_t line_hash(const struct ward_event *ev)
{
	uint64_t h = mix(0, &ev->ts_ns, sizeof(ev->ts_ns));
	h = mix(h, ev->line ? ev->line : "", ev->line_len);
	for (size_t i = 0; i < ev->labels.len; i++) {
		const struct ward_kv *kv = &ev->labels.items[i];
		h = mix(h, kv->key, kv->key_len);
		h = mix(h, kv->val, kv->val_len);
	}
	return h;
}

static uint64_t tag_hash(const struct ward_event *ev)
{
	struct json_object *p = event_get_extra(ev, "rule_part");
	int part = p ? json_object_get_int(p) : 0;
	uint64_t h = mix(mix(0, ev->rule, strlen(ev->rule)), &part, sizeof(part));
	/* rules that share a name are told apart by their id (docs/rules.md) */
	struct json_object *id = ev->extra ? event_get_extra(ev, "rule_id") : NULL;
	const char *ids = id ? json_object_get_string(id) : NULL;
	return ids ? mix(h, ids, strlen(ids)) : h;
}

bool lineonce_repeat(struct ww_lineonce *l, const struct ward_event *ev)
{
	if (!ev->rule) {
		l->in_line = false;
		return false;
	}
	uint64_t h = line_hash(ev), t = tag_hash(ev);
	if (l->in_line && h == l->line) {
		bool seen = false;
		for (size_t i = 0; i < l->ntags && !seen; i++)
			seen = l->tags[i] == t;
		if (!seen) {
			if (l->ntags == l->cap) {
				l->cap = l->cap ? l->cap * 2 : 8;
				l->tags = ward_xrealloc(l->tags, l->cap * sizeof(*l->tags));
			}
			l->tags[l->ntags++] = t;
			return true;
		}
	}
	/* a new input line */
	l->in_line = true;
	l->line = h;
	l->ntags = 0;
	if (!l->cap) {
		l->cap = 8;
		l->tags = ward_xmalloc(l->cap * sizeof(*l->tags));
	}
	l->tags[l->ntags++] = t;
	return false;
}
