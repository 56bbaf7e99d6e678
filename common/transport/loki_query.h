/* loki_query.h - read Loki query_range results and page through them.
 *
 * Loki has no continuation token: a reader pages forward by asking again
 * from the last timestamp it saw (start is inclusive), so the entries that
 * share that timestamp come back and must be skipped, while new entries
 * with the same timestamp must not be. The cursor remembers every entry
 * (stream + line) delivered at its timestamp, as logcli does. No I/O here.
 *
 * Ownership: a page owns its entries; the cursor owns its seen set. */
#ifndef WARD_LOKI_QUERY_H
#define WARD_LOKI_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct loki_entry {
	int64_t ts_ns;
	char *labels_json;	/* the stream's labels as a JSON object */
	char *line;
	size_t line_len;
	size_t seq;		/* position in the response, for a stable sort */
};

struct loki_page {
	struct loki_entry *entries;	/* sorted by time (forward) */
	size_t len;
	size_t cap;
};

void loki_page_free(struct loki_page *p);
/* Parse a query_range response body of resultType "streams" and sort its
 * entries forward by time (stable). Returns 0, or -1 with err set (not JSON,
 * status not success, a matrix result, a bad timestamp). */
int loki_page_parse(struct loki_page *p, const char *body, size_t len,
		    char *err, size_t errlen);

struct loki_cursor {
	int64_t ts_ns;		/* timestamp of the last entry delivered, or
				 * start - 1 before the first one */
	uint64_t *seen;		/* hashes of entries delivered at ts_ns */
	size_t nseen;
	size_t cap;
};

void loki_cursor_init(struct loki_cursor *c, int64_t start_ns);
void loki_cursor_free(struct loki_cursor *c);
/* The inclusive start of the next request. */
int64_t loki_cursor_next_start(const struct loki_cursor *c);
/* True when e is new (and records it as delivered); false for a repeat
 * of an entry already delivered or older than the cursor. */
bool loki_cursor_take(struct loki_cursor *c, const struct loki_entry *e);

/* Text form of a cursor, for a cursor file: "ward-loki-cursor 1 <ts> <hash>...\n".
 * loki_cursor_parse returns 0, or -1 (c unchanged) when text is not one. */
void loki_cursor_format(const struct loki_cursor *c, struct ward_buf *out);
int loki_cursor_parse(struct loki_cursor *c, const char *text, size_t len);

/* A ward event for an entry: {"v":1,"ts":...,"labels":...,"line":...,
 * "fields":{}}. If whole_event and the line is a JSON object, the line
 * itself is the event (it was pushed with loki.format=json). */
void loki_entry_to_event(const struct loki_entry *e, bool whole_event, struct ward_buf *out);

/* Percent-encode s for a URL query value into out (a space as %20). */
void loki_url_escape(struct ward_buf *out, const char *s);

#endif
