/* logql_jsonwalk_int.h - walking JSON text for LogQL's json and unpack
 * extractors (internal): whitespace, scalars, skipping a value, strings
 * (read by common/jsonstr). Nothing is built: extractors walk the line
 * and report what they find. Nesting deeper than LOGQL_JSON_MAX_DEPTH is
 * an error; every walk is bounded by the text. The first error is
 * written to err ("what at offset N") when err is not NULL. */
#ifndef WARD_LOGQL_JSONWALK_INT_H
#define WARD_LOGQL_JSONWALK_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "buf.h"
#include "jsonstr.h"
#include "logql_extract_int.h"

struct logql_jsonwalk {
	const char *s;
	size_t n, i;
	struct ward_buf *vbuf;	/* unescaped string values */
	char *err;
	size_t errlen;
};

/* -1, recording the first error. */
static inline int logql_jw_fail(struct logql_jsonwalk *j, const char *what)
{
	if (j->err && j->err[0] == '\0')
		snprintf(j->err, j->errlen, "%s at offset %zu", what, j->i);
	return -1;
}

static inline void logql_jw_ws(struct logql_jsonwalk *j)
{
	while (j->i < j->n && (j->s[j->i] == ' ' || j->s[j->i] == '\t' || j->s[j->i] == '\n' ||
			       j->s[j->i] == '\r'))
		j->i++;
}

/* After an object member or array element: 1 when a ',' announces another,
 * 0 when the closing bracket ends the container, -1 on anything else. */
static inline int logql_jw_after_member(struct logql_jsonwalk *j, char close)
{
	logql_jw_ws(j);
	if (j->i < j->n && j->s[j->i] == ',') {
		j->i++;
		return 1;
	}
	if (j->i < j->n && j->s[j->i] == close) {
		j->i++;
		return 0;
	}
	return logql_jw_fail(j, "expected ',' or a closing bracket");
}

/* The first byte of the next value, after whitespace (not consumed). */
static inline int logql_jw_peek_value(struct logql_jsonwalk *j, char *c)
{
	logql_jw_ws(j);
	if (j->i >= j->n)
		return logql_jw_fail(j, "unexpected end");
	*c = j->s[j->i];
	return 0;
}

/* The text must hold one object: its '{' first (after whitespace), and
 * nothing but whitespace after it (trailer). */
static inline int logql_jw_top_object(struct logql_jsonwalk *j)
{
	logql_jw_ws(j);
	if (j->i >= j->n || j->s[j->i] != '{')
		return logql_jw_fail(j, "not a JSON object");
	return 0;
}

static inline int logql_jw_trailer(struct logql_jsonwalk *j)
{
	logql_jw_ws(j);
	return j->i == j->n ? 0 : logql_jw_fail(j, "data after the JSON object");
}

/* A JSON string at j->i (the opening quote), read by common/jsonstr: the
 * value points into the input when it has no escapes, else into out
 * (reset first); a lone surrogate escape is U+FFFD as in Go's
 * encoding/json. */
static inline int logql_jw_string(struct logql_jsonwalk *j, struct ward_buf *out, const char **v,
				  size_t *vlen)
{
	struct jsonstr r;
	if (jsonstr_read(j->s, j->n, j->i, JSONSTR_LONE_SURROGATE_FFFD, out, &r) != 0)
		return logql_jw_fail(j, "invalid string");
	*v = r.v;
	*vlen = r.len;
	j->i = r.end;
	return 0;
}

/* A scalar other than a string: number, true, false, null. kind: 'n'
 * number, 'b' bool, 'z' null. */
int logql_jw_literal(struct logql_jsonwalk *j, const char **v, size_t *vlen, char *kind);
/* Skip the value at j->i (after whitespace), depth levels deep already. */
int logql_jw_skip(struct logql_jsonwalk *j, unsigned depth);

#endif
