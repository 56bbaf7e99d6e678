/* logql_json.c - the json extractor: `| json` (every scalar leaf, keys
 * flattened and sanitized as Loki does) and `| json a="b.c[0]"` (paths);
 * logql_sanitize_key, shared with logfmt. */
#include <stdlib.h>
#include <string.h>

#include "logql_jsonwalk_int.h"

/* [A-Za-z0-9_] without the locale: isalnum() per byte was the largest cost
 * of `| json` on keys that need no change. */
static inline bool is_label_byte(unsigned char c)
{
	return (unsigned)(c - 'a') < 26 || (unsigned)(c - 'A') < 26 || (unsigned)(c - '0') < 10 ||
	       c == '_';
}

static inline bool is_space_byte(unsigned char c)
{
	return c == ' ' || (unsigned)(c - '\t') < 5;	/* \t \n \v \f \r */
}

void logql_sanitize_key(const char *k, size_t n, bool is_prefix, struct ward_buf *out)
{
	while (n > 0 && is_space_byte((unsigned char)k[0])) { k++; n--; }
	while (n > 0 && is_space_byte((unsigned char)k[n - 1])) n--;
	if (n == 0)
		return;
	size_t clean = 0;	/* most keys need no change: copy them whole */
	while (clean < n && is_label_byte((unsigned char)k[clean]))
		clean++;
	bool digit_first = is_prefix && k[0] >= '0' && k[0] <= '9';
	if (clean == n && !digit_first) {
		buf_append(out, k, n);
		return;
	}
	buf_reserve(out, n + 2);
	char *d = out->data + out->len;
	if (digit_first)
		*d++ = '_';
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)k[i];
		if (is_label_byte(c))
			*d++ = (char)c;
		else if ((c & 0xC0) != 0x80)	/* one '_' per character, not per byte */
			*d++ = '_';
	}
	out->len = (size_t)(d - out->data);
	out->data[out->len] = '\0';
}

struct flat {
	struct logql_jsonwalk j;
	struct ward_buf *path;
	logql_emit_fn emit;
	void *ud;
};

static int flat_object(struct flat *f, unsigned depth);

static int flat_member_value(struct flat *f, unsigned depth)
{
	struct logql_jsonwalk *j = &f->j;
	const char *v;
	size_t vl;
	char kind;
	char c;
	if (logql_jw_peek_value(j, &c) != 0)
		return -1;
	if (c == '{')
		return flat_object(f, depth + 1);
	if (c == '[')
		return logql_jw_skip(j, depth + 1);	/* Loki skips arrays */
	if (c == '"') {
		if (logql_jw_string(j, j->vbuf, &v, &vl) != 0)
			return -1;
	} else if (logql_jw_literal(j, &v, &vl, &kind) != 0) {
		return -1;
	} else if (kind == 'z') {
		return 0;
	}
	if (f->path->len > 0)
		f->emit(f->ud, f->path->data, f->path->len, v, vl);
	return 0;
}

static int flat_object(struct flat *f, unsigned depth)
{
	struct logql_jsonwalk *j = &f->j;
	const char *k;
	size_t kl;
	if (depth >= LOGQL_JSON_MAX_DEPTH)
		return logql_jw_fail(j, "nested too deep");
	j->i++;	/* { */
	logql_jw_ws(j);
	if (j->i < j->n && j->s[j->i] == '}') {
		j->i++;
		return 0;
	}
	size_t base = f->path->len;
	for (;;) {
		logql_jw_ws(j);
		if (j->i >= j->n || j->s[j->i] != '"' || logql_jw_string(j, j->vbuf, &k, &kl) != 0)
			return logql_jw_fail(j, "expected a key");
		f->path->len = base;
		if (base > 0)
			buf_append_char(f->path, '_');
		logql_sanitize_key(k, kl, base == 0, f->path);
		buf_reserve(f->path, 1);
		f->path->data[f->path->len] = '\0';
		logql_jw_ws(j);
		if (j->i >= j->n || j->s[j->i++] != ':')
			return logql_jw_fail(j, "expected ':'");
		if (flat_member_value(f, depth) != 0)
			return -1;
		f->path->len = base;
		logql_jw_ws(j);
		if (j->i < j->n && j->s[j->i] == ',') {
			j->i++;
			continue;
		}
		if (j->i < j->n && j->s[j->i] == '}') {
			j->i++;
			return 0;
		}
		return logql_jw_fail(j, "expected ',' or '}'");
	}
}

int logql_json_all(const char *s, size_t n, struct ward_buf *scratch, logql_emit_fn emit, void *ud,
		char *err, size_t errlen)
{
	struct flat f = { { s, n, 0, &scratch[1], err, errlen }, &scratch[0], emit, ud };
	if (err && errlen)
		err[0] = '\0';
	buf_reset(&scratch[0]);
	if (logql_jw_top_object(&f.j) != 0 || flat_object(&f, 0) != 0)
		return -1;
	return logql_jw_trailer(&f.j);
}

/* ---- JSON paths -------------------------------------------------------------- */

void logql_json_path_free(struct logql_json_path *p)
{
	for (size_t i = 0; i < p->nsegs; i++)
		free(p->segs[i].key);
	free(p->segs);
	p->segs = NULL;
	p->nsegs = 0;
}

static void path_add(struct logql_json_path *p, const char *k, size_t kl, long index)
{
	p->segs = ward_xrealloc(p->segs, (p->nsegs + 1) * sizeof(*p->segs));
	p->segs[p->nsegs].key = k ? ward_xstrndup(k, kl) : NULL;
	p->segs[p->nsegs].key_len = kl;
	p->segs[p->nsegs].index = index;
	p->nsegs++;
}

/* a.b[0]["c.d"] ; also a bare key. */
int logql_json_path_compile(const char *src, struct logql_json_path *p)
{
	const char *s = src;
	memset(p, 0, sizeof(*p));
	while (*s) {
		if (*s == '.') {
			s++;
			continue;
		}
		if (*s == '[') {
			s++;
			if (*s == '"' || *s == '\'') {
				char q = *s++;
				const char *end = strchr(s, q);
				if (!end || end[1] != ']')
					goto bad;
				path_add(p, s, (size_t)(end - s), -1);
				s = end + 2;
			} else {
				char *end;
				long idx = strtol(s, &end, 10);
				if (end == s || *end != ']' || idx < 0)
					goto bad;
				path_add(p, NULL, 0, idx);
				s = end + 1;
			}
			continue;
		}
		size_t kl = strcspn(s, ".[");
		path_add(p, s, kl, -1);
		s += kl;
	}
	if (p->nsegs == 0)
		goto bad;
	return 0;
bad:
	logql_json_path_free(p);
	return -1;
}

/* At a value: descend by seg, or produce it. */
static int path_walk(struct logql_jsonwalk *j, const struct logql_json_path *p, size_t seg, unsigned depth,
		     const char **val, size_t *vlen)
{
	logql_jw_ws(j);
	if (j->i >= j->n)
		return logql_jw_fail(j, "unexpected end");
	char c = j->s[j->i];
	if (seg == p->nsegs) {
		size_t start = j->i;
		char kind;
		if (c == '"')
			return logql_jw_string(j, j->vbuf, val, vlen) == 0 ? 1 : -1;
		if (c == '{' || c == '[') {
			if (logql_jw_skip(j, depth) != 0)
				return -1;
			*val = j->s + start;
			*vlen = j->i - start;
			return 1;
		}
		if (logql_jw_literal(j, val, vlen, &kind) != 0)
			return -1;
		if (kind == 'z')
			*vlen = 0;
		return 1;
	}
	const struct logql_json_path_seg *sg = &p->segs[seg];
	if ((sg->index < 0 && c != '{') || (sg->index >= 0 && c != '[') || depth >= LOGQL_JSON_MAX_DEPTH)
		return logql_jw_skip(j, depth) == 0 ? 0 : -1;
	char close = c == '{' ? '}' : ']';
	long idx = 0;
	j->i++;
	logql_jw_ws(j);
	if (j->i < j->n && j->s[j->i] == close) {
		j->i++;
		return 0;
	}
	for (;;) {
		bool hit;
		if (c == '{') {
			const char *k;
			size_t kl;
			logql_jw_ws(j);
			if (j->i >= j->n || j->s[j->i] != '"' || logql_jw_string(j, j->vbuf, &k, &kl) != 0)
				return logql_jw_fail(j, "expected a key");
			hit = kl == sg->key_len && !memcmp(k, sg->key, kl);
			logql_jw_ws(j);
			if (j->i >= j->n || j->s[j->i++] != ':')
				return logql_jw_fail(j, "expected ':'");
		} else {
			hit = idx++ == sg->index;
		}
		if (hit)
			return path_walk(j, p, seg + 1, depth + 1, val, vlen);
		if (logql_jw_skip(j, depth + 1) != 0)
			return -1;
		int more = logql_jw_after_member(j, close);
		if (more <= 0)
			return more;
	}
}

int logql_json_get(const char *s, size_t n, const struct logql_json_path *p, struct ward_buf *scratch,
		const char **val, size_t *vlen)
{
	struct logql_jsonwalk j = { s, n, 0, &scratch[1], NULL, 0 };
	if (logql_jw_top_object(&j) != 0)
		return -1;
	return path_walk(&j, p, 0, 0, val, vlen);
}

