/* logql_tmpl_json_int.h - the JSON values of the template's fromJson (internal
 * to logql_template.c).
 *
 * A decoded document is never built: fromJson validates the text once and
 * keeps it; field access, index, len and range walk it again. Nothing here
 * allocates except by growing the buffers the caller passes (reused
 * scratch). Input is attacker-controlled: every walk is bounded by the
 * text, nesting deeper than LOGQL_TMPL_JSON_MAX_DEPTH is invalid. */
#ifndef WARD_LOGQL_TMPL_JSON_INT_H
#define WARD_LOGQL_TMPL_JSON_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

#define LOGQL_TMPL_JSON_MAX_DEPTH 64
#define LOGQL_TMPL_JSON_INVALID ((size_t)-1)

/* Offset after the whitespace at s[i]. */
size_t logql_tmpl_json_ws(const char *s, size_t n, size_t i);
/* End offset of the one JSON value at s[i] (RFC 8259, as Go's
 * encoding/json reads it), or LOGQL_TMPL_JSON_INVALID. */
size_t logql_tmpl_json_skip(const char *s, size_t n, size_t i, int depth);
/* Decode the (valid) JSON string s[0..n) including its quotes into out:
 * escapes resolved, a lone surrogate becomes U+FFFD as in Go. */
void logql_tmpl_json_decode_string(const char *s, size_t n, struct ward_buf *out);

/* Walk the members of a valid object or the elements of a valid array. */
struct logql_tmpl_json_iter {
	const char *s;
	size_t n, i;
	bool obj;
};
void logql_tmpl_json_iter_init(struct logql_tmpl_json_iter *it, const char *s, size_t n);
/* Next member: key span (with quotes; 0,0 in an array) and value span. */
bool logql_tmpl_json_iter_next(struct logql_tmpl_json_iter *it, size_t *ks, size_t *ke, size_t *vs, size_t *ve);

/* One member of a collected container: the key decoded into the caller's
 * key buffer (offset, length) and the value span in the document. */
struct logql_tmpl_json_member {
	size_t koff, klen, vs, ve, pos;
};
/* Collect the container's members into arr (an array of struct logql_tmpl_json_member
 * in a buffer), keys decoded into keys. An object's members come out in
 * Go's map order - sorted by key, the last of duplicate keys kept - and an
 * array's in order. Returns the count, or LOGQL_TMPL_JSON_INVALID if there are more than
 * max members (the scratch stays bounded: a hostile line can hold 500000). */
size_t logql_tmpl_json_collect(const char *s, size_t n, struct ward_buf *arr, struct ward_buf *keys, size_t max);

#endif
