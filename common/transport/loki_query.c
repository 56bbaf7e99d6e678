/* loki_query.c - query_range results, paging cursor (see loki_query.h). */
#include "loki_query.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "hash.h"
#include "jsonw.h"
#include "wtime.h"
#include "percent.h"

void loki_page_free(struct loki_page *p)
{
	for (size_t i = 0; i < p->len; i++) {
		free(p->entries[i].labels_json);
		free(p->entries[i].line);
	}
	free(p->entries);
	memset(p, 0, sizeof(*p));
}

static int parse_ns(const char *s, int64_t *out)
{
	if (!s || !*s || strlen(s) > 19)
		return -1;
	int64_t v = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	*out = v;
	return 0;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct loki_entry *x = a, *y = b;
	if (x->ts_ns != y->ts_ns)
		return x->ts_ns < y->ts_ns ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int add_values(struct loki_page *p, json_object *values, const char *labels_json,
		      char *err, size_t errlen);

/* [a-zA-Z_][a-zA-Z0-9_]*, at most the event key limit. */
static bool label_name_ok(const char *s)
{
	size_t i = 0;
	for (; s[i]; i++) {
		char c = s[i];
		bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
		if (!alpha && (i == 0 || c < '0' || c > '9'))
			return false;
	}
	return i > 0 && i <= WARD_EVENT_MAX_KEY_LEN;
}

static int add_stream(struct loki_page *p, json_object *stream, char *err, size_t errlen)
{
	json_object *labels, *values;
	if (!json_object_object_get_ex(stream, "stream", &labels) ||
	    !json_object_is_type(labels, json_type_object) ||
	    !json_object_object_get_ex(stream, "values", &values) ||
	    !json_object_is_type(values, json_type_array)) {
		snprintf(err, errlen, "a result without stream or values");
		return -1;
	}
	/* Our own writer, not json-c's: it makes any bytes valid UTF-8. */
	struct ward_buf lj = WARD_BUF_INIT;
	buf_append_char(&lj, '{');
	bool first = true;
	size_t nlabels = 0;
	json_object_object_foreach(labels, key, val) {
		/* Loki never sends such labels; beyond the event limits
		 * (docs/events.md) they would make the event unreadable. */
		if (!label_name_ok(key) || ++nlabels > WARD_EVENT_MAX_KEYS / 2)
			continue;
		if (!first)
			buf_append_char(&lj, ',');
		first = false;
		jsonw_cstring(&lj, key);
		buf_append_char(&lj, ':');
		if (json_object_is_type(val, json_type_string))
			jsonw_string(&lj, json_object_get_string(val), (size_t)json_object_get_string_len(val));
		else
			jsonw_cstring(&lj, json_object_to_json_string_ext(val, JSON_C_TO_STRING_PLAIN));
	}
	buf_append_char(&lj, '}');
	int rc = add_values(p, values, buf_cstr(&lj), err, errlen);
	buf_free(&lj);
	return rc;
}

static int add_values(struct loki_page *p, json_object *values, const char *labels_json,
		      char *err, size_t errlen)
{
	size_t n = json_object_array_length(values);
	for (size_t i = 0; i < n; i++) {
		json_object *pair = json_object_array_get_idx(values, i);
		json_object *ts, *line;
		if (!json_object_is_type(pair, json_type_array) ||
		    json_object_array_length(pair) < 2 ||
		    !json_object_is_type(ts = json_object_array_get_idx(pair, 0), json_type_string) ||
		    !json_object_is_type(line = json_object_array_get_idx(pair, 1), json_type_string)) {
			snprintf(err, errlen, "a value that is not [\"<ns>\",\"<line>\"]");
			return -1;
		}
		struct loki_entry e = { 0 };
		if (parse_ns(json_object_get_string(ts), &e.ts_ns) != 0) {
			snprintf(err, errlen, "a bad timestamp");
			return -1;
		}
		e.line_len = (size_t)json_object_get_string_len(line);
		e.line = ward_xstrndup(json_object_get_string(line), e.line_len);
		e.labels_json = ward_xstrdup(labels_json);
		e.seq = p->len;
		if (p->len == p->cap) {
			p->cap = p->cap ? p->cap * 2 : 64;
			p->entries = ward_xrealloc(p->entries, p->cap * sizeof(*p->entries));
		}
		p->entries[p->len++] = e;
	}
	return 0;
}

static int parse_result(struct loki_page *p, json_object *root, char *err, size_t errlen)
{
	json_object *status, *data, *type, *result;
	if (!json_object_is_type(root, json_type_object) ||
	    !json_object_object_get_ex(root, "status", &status) ||
	    strcmp(json_object_get_string(status), "success") != 0) {
		snprintf(err, errlen, "status is not success");
		return -1;
	}
	if (!json_object_object_get_ex(root, "data", &data) ||
	    !json_object_object_get_ex(data, "resultType", &type) ||
	    !json_object_object_get_ex(data, "result", &result) ||
	    !json_object_is_type(result, json_type_array)) {
		snprintf(err, errlen, "no data.result");
		return -1;
	}
	if (strcmp(json_object_get_string(type), "streams") != 0) {
		snprintf(err, errlen, "resultType %s: a log query is needed, not a metric query",
			 json_object_get_string(type));
		return -1;
	}
	size_t n = json_object_array_length(result);
	for (size_t i = 0; i < n; i++)
		if (add_stream(p, json_object_array_get_idx(result, i), err, errlen) != 0)
			return -1;
	return 0;
}

int loki_page_parse(struct loki_page *p, const char *body, size_t len,
		    char *err, size_t errlen)
{
	loki_page_free(p);
	json_tokener *tok = json_tokener_new_ex(64);
	if (!tok)
		ward_oom();
	json_object *root = json_tokener_parse_ex(tok, body, (int)len);
	int rc = -1;
	if (!root || json_tokener_get_error(tok) != json_tokener_success)
		snprintf(err, errlen, "response is not JSON");
	else
		rc = parse_result(p, root, err, errlen);
	json_object_put(root);
	json_tokener_free(tok);
	if (rc != 0) {
		loki_page_free(p);
		return -1;
	}
	if (p->len > 1)
		qsort(p->entries, p->len, sizeof(*p->entries), cmp_entry);
	return 0;
}

void loki_cursor_init(struct loki_cursor *c, int64_t start_ns)
{
	memset(c, 0, sizeof(*c));
	c->ts_ns = start_ns - 1;
}

void loki_cursor_free(struct loki_cursor *c)
{
	free(c->seen);
	memset(c, 0, sizeof(*c));
}

int64_t loki_cursor_next_start(const struct loki_cursor *c)
{
	/* With nothing delivered at ts_ns yet, ts_ns itself was never seen. */
	return c->nseen ? c->ts_ns : c->ts_ns + 1;
}

/* Cursor files hold these hashes: their values must not change. */
static uint64_t entry_hash(const struct loki_entry *e)
{
	static const unsigned char sep = 0xff;
	uint64_t h = hash_fnv1a_str(e->labels_json);
	h = hash_fnv1a_add(h, &sep, 1);
	return hash_fnv1a_add(h, e->line, e->line_len);
}

bool loki_cursor_take(struct loki_cursor *c, const struct loki_entry *e)
{
	uint64_t h = entry_hash(e);
	if (e->ts_ns < c->ts_ns)
		return false;
	if (e->ts_ns == c->ts_ns) {
		for (size_t i = 0; i < c->nseen; i++)
			if (c->seen[i] == h)
				return false;
	} else {
		c->ts_ns = e->ts_ns;
		c->nseen = 0;
	}
	if (c->nseen == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->seen = ward_xrealloc(c->seen, c->cap * sizeof(*c->seen));
	}
	c->seen[c->nseen++] = h;
	return true;
}

void loki_cursor_format(const struct loki_cursor *c, struct ward_buf *out)
{
	buf_printf(out, "ward-loki-cursor 1 %lld", (long long)c->ts_ns);
	for (size_t i = 0; i < c->nseen; i++)
		buf_printf(out, " %llx", (unsigned long long)c->seen[i]);
	buf_append_char(out, '\n');
}

int loki_cursor_parse(struct loki_cursor *c, const char *text, size_t len)
{
	static const char head[] = "ward-loki-cursor 1 ";
	if (len < sizeof(head) || memcmp(text, head, sizeof(head) - 1) != 0 || text[len - 1] != '\n')
		return -1;
	char *copy = ward_xstrndup(text + sizeof(head) - 1, len - sizeof(head));
	char *end;
	struct loki_cursor n;
	loki_cursor_init(&n, 0);
	n.ts_ns = strtoll(copy, &end, 10);
	int rc = end == copy ? -1 : 0;
	while (rc == 0 && *end == ' ') {
		char *p = end + 1;
		unsigned long long h = strtoull(p, &end, 16);
		if (end == p) {
			rc = -1;
			break;
		}
		if (n.nseen == n.cap) {
			n.cap = n.cap ? n.cap * 2 : 16;
			n.seen = ward_xrealloc(n.seen, n.cap * sizeof(*n.seen));
		}
		n.seen[n.nseen++] = h;
	}
	if (rc == 0 && *end != '\0')
		rc = -1;
	free(copy);
	if (rc != 0) {
		loki_cursor_free(&n);
		return -1;
	}
	loki_cursor_free(c);
	*c = n;
	return 0;
}

static bool line_is_json_object(const struct loki_entry *e)
{
	if (e->line_len < 2 || e->line[0] != '{')
		return false;
	json_tokener *tok = json_tokener_new_ex(32);
	if (!tok)
		ward_oom();
	json_object *o = json_tokener_parse_ex(tok, e->line, (int)e->line_len);
	bool ok = o && json_tokener_get_error(tok) == json_tokener_success &&
		  json_object_is_type(o, json_type_object) &&
		  (size_t)json_tokener_get_parse_end(tok) == e->line_len;
	json_object_put(o);
	json_tokener_free(tok);
	return ok;
}

void loki_entry_to_event(const struct loki_entry *e, bool whole_event, struct ward_buf *out)
{
	if (whole_event && line_is_json_object(e)) {
		buf_append(out, e->line, e->line_len);
		return;
	}
	char ts[WARD_RFC3339_LEN];
	time_format_rfc3339(e->ts_ns, ts);
	buf_append_str(out, "{\"v\":1,\"ts\":\"");
	buf_append_str(out, ts);
	buf_append_str(out, "\",\"labels\":");
	buf_append_str(out, e->labels_json);
	buf_append_str(out, ",\"line\":");
	jsonw_string(out, e->line, e->line_len);
	buf_append_str(out, ",\"fields\":{}}");
}

void loki_url_escape(struct ward_buf *out, const char *s)
{
	percent_encode(out, s, strlen(s), 0);
}
