/* logql_extract.c - LogQL line parsers: json, unpack, logfmt, pattern;
 * decolorize; ip() matching. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logql_extract_int.h"
#include "jsonscan.h"

/* ---- JSON scanning --------------------------------------------------------- */

struct js {
	const char *s;
	size_t n, i;
	struct ward_buf *vbuf;	/* unescaped string values */
	char *err;
	size_t errlen;
};

static int js_fail(struct js *j, const char *what)
{
	if (j->err && j->err[0] == '\0')
		snprintf(j->err, j->errlen, "%s at offset %zu", what, j->i);
	return -1;
}

static void js_ws(struct js *j)
{
	while (j->i < j->n && (j->s[j->i] == ' ' || j->s[j->i] == '\t' || j->s[j->i] == '\n' ||
			       j->s[j->i] == '\r'))
		j->i++;
}

/* After an object member or array element: 1 when a ',' announces another,
 * 0 when the closing bracket ends the container, -1 on anything else. */
static int js_after_member(struct js *j, char close)
{
	js_ws(j);
	if (j->i < j->n && j->s[j->i] == ',') {
		j->i++;
		return 1;
	}
	if (j->i < j->n && j->s[j->i] == close) {
		j->i++;
		return 0;
	}
	return js_fail(j, "expected ',' or a closing bracket");
}

static void put_utf8(struct ward_buf *b, unsigned long cp)
{
	char u[4];
	size_t k;
	if (cp < 0x80) { u[0] = (char)cp; k = 1; }
	else if (cp < 0x800) { u[0] = (char)(0xC0 | (cp >> 6)); u[1] = (char)(0x80 | (cp & 0x3F)); k = 2; }
	else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12)); u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F)); k = 3;
	} else {
		u[0] = (char)(0xF0 | (cp >> 18)); u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); u[3] = (char)(0x80 | (cp & 0x3F)); k = 4;
	}
	buf_append(b, u, k);
}

static int hex4(const char *s, unsigned long *v)
{
	*v = 0;
	for (int k = 0; k < 4; k++) {
		int c = (unsigned char)s[k], h;
		if (c >= '0' && c <= '9') h = c - '0';
		else if (c >= 'a' && c <= 'f') h = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F') h = c - 'A' + 10;
		else return -1;
		*v = *v * 16 + (unsigned long)h;
	}
	return 0;
}

static int js_escape(struct js *j, struct ward_buf *out)
{
	char c = j->s[j->i++];
	unsigned long cp, lo;
	switch (c) {
	case '"': case '\\': case '/': buf_append_char(out, c); return 0;
	case 'b': buf_append_char(out, '\b'); return 0;
	case 'f': buf_append_char(out, '\f'); return 0;
	case 'n': buf_append_char(out, '\n'); return 0;
	case 'r': buf_append_char(out, '\r'); return 0;
	case 't': buf_append_char(out, '\t'); return 0;
	case 'u':
		if (j->n - j->i < 4 || hex4(j->s + j->i, &cp) != 0)
			return js_fail(j, "bad \\u escape");
		j->i += 4;
		if (cp >= 0xD800 && cp < 0xDC00 && j->n - j->i >= 6 && j->s[j->i] == '\\' &&
		    j->s[j->i + 1] == 'u' && hex4(j->s + j->i + 2, &lo) == 0 && lo >= 0xDC00 && lo < 0xE000) {
			cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			j->i += 6;
		} else if (cp >= 0xD800 && cp < 0xE000) {
			cp = 0xFFFD;
		}
		put_utf8(out, cp);
		return 0;
	default:
		return js_fail(j, "bad escape");
	}
}

/* String at j->i (the opening quote). Value points into the input when it
 * has no escapes, else into out (reset first). */
/* A JSON string at j->i ('"'). Runs between escapes are copied whole. */
static int js_string(struct js *j, struct ward_buf *out, const char **v, size_t *vlen)
{
	size_t start = ++j->i;
	bool escaped = false, high = false;
	for (;;) {
		size_t p = json_scan_special(j->s, j->i, j->n, &high);
		if (escaped)
			buf_append(out, j->s + j->i, p - j->i);
		j->i = p;
		if (p >= j->n)
			return js_fail(j, "unterminated string");
		unsigned char c = (unsigned char)j->s[p];
		if (c == '"')
			break;
		if (c < 0x20)
			return js_fail(j, "control character in string");
		if (!escaped) {	/* the first backslash: copy what came before */
			buf_reset(out);
			buf_append(out, j->s + start, p - start);
			escaped = true;
		}
		j->i++;
		if (j->i >= j->n || js_escape(j, out) != 0)
			return js_fail(j, "bad escape");
	}
	if (escaped) {
		buf_reserve(out, 1);
		*v = out->data;
		*vlen = out->len;
	} else {
		*v = j->s + start;
		*vlen = j->i - start;
	}
	j->i++;
	return 0;
}

static bool is_num_char(char c)
{
	return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

/* A scalar other than a string: number, true, false, null. kind: 'n' number,
 * 'b' bool, 'z' null. */
static int js_literal(struct js *j, const char **v, size_t *vlen, char *kind)
{
	size_t start = j->i;
	const char *s = j->s + j->i;
	size_t left = j->n - j->i;
	if (left >= 4 && !memcmp(s, "true", 4)) { j->i += 4; *kind = 'b'; }
	else if (left >= 5 && !memcmp(s, "false", 5)) { j->i += 5; *kind = 'b'; }
	else if (left >= 4 && !memcmp(s, "null", 4)) { j->i += 4; *kind = 'z'; }
	else if (left > 0 && (isdigit((unsigned char)s[0]) || s[0] == '-')) {
		while (j->i < j->n && is_num_char(j->s[j->i]))
			j->i++;
		*kind = 'n';
	} else {
		return js_fail(j, "unexpected character");
	}
	*v = j->s + start;
	*vlen = j->i - start;
	return 0;
}

/* The first byte of the next value, after whitespace (not consumed). */
static int js_peek_value(struct js *j, char *c)
{
	js_ws(j);
	if (j->i >= j->n)
		return js_fail(j, "unexpected end");
	*c = j->s[j->i];
	return 0;
}

static int js_skip(struct js *j, unsigned depth)
{
	const char *v;
	size_t vl;
	char kind;
	char c;
	if (js_peek_value(j, &c) != 0)
		return -1;
	if (c == '"')
		return js_string(j, j->vbuf, &v, &vl);
	if (c != '{' && c != '[')
		return js_literal(j, &v, &vl, &kind);
	if (depth >= LOGQL_JSON_MAX_DEPTH)
		return js_fail(j, "nested too deep");
	char close = c == '{' ? '}' : ']';
	j->i++;
	js_ws(j);
	if (j->i < j->n && j->s[j->i] == close) {
		j->i++;
		return 0;
	}
	for (;;) {
		if (c == '{') {
			js_ws(j);
			if (j->i >= j->n || j->s[j->i] != '"' || js_string(j, j->vbuf, &v, &vl) != 0)
				return js_fail(j, "expected a key");
			js_ws(j);
			if (j->i >= j->n || j->s[j->i++] != ':')
				return js_fail(j, "expected ':'");
		}
		if (js_skip(j, depth + 1) != 0)
			return -1;
		int more = js_after_member(j, close);
		if (more <= 0)
			return more;
	}
}

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
	struct js j;
	struct ward_buf *path;
	logql_emit_fn emit;
	void *ud;
};

static int flat_object(struct flat *f, unsigned depth);

static int flat_member_value(struct flat *f, unsigned depth)
{
	struct js *j = &f->j;
	const char *v;
	size_t vl;
	char kind;
	char c;
	if (js_peek_value(j, &c) != 0)
		return -1;
	if (c == '{')
		return flat_object(f, depth + 1);
	if (c == '[')
		return js_skip(j, depth + 1);	/* Loki skips arrays */
	if (c == '"') {
		if (js_string(j, j->vbuf, &v, &vl) != 0)
			return -1;
	} else if (js_literal(j, &v, &vl, &kind) != 0) {
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
	struct js *j = &f->j;
	const char *k;
	size_t kl;
	if (depth >= LOGQL_JSON_MAX_DEPTH)
		return js_fail(j, "nested too deep");
	j->i++;	/* { */
	js_ws(j);
	if (j->i < j->n && j->s[j->i] == '}') {
		j->i++;
		return 0;
	}
	size_t base = f->path->len;
	for (;;) {
		js_ws(j);
		if (j->i >= j->n || j->s[j->i] != '"' || js_string(j, j->vbuf, &k, &kl) != 0)
			return js_fail(j, "expected a key");
		f->path->len = base;
		if (base > 0)
			buf_append_char(f->path, '_');
		logql_sanitize_key(k, kl, base == 0, f->path);
		buf_reserve(f->path, 1);
		f->path->data[f->path->len] = '\0';
		js_ws(j);
		if (j->i >= j->n || j->s[j->i++] != ':')
			return js_fail(j, "expected ':'");
		if (flat_member_value(f, depth) != 0)
			return -1;
		f->path->len = base;
		js_ws(j);
		if (j->i < j->n && j->s[j->i] == ',') {
			j->i++;
			continue;
		}
		if (j->i < j->n && j->s[j->i] == '}') {
			j->i++;
			return 0;
		}
		return js_fail(j, "expected ',' or '}'");
	}
}

static int js_top_object(struct js *j)
{
	js_ws(j);
	if (j->i >= j->n || j->s[j->i] != '{')
		return js_fail(j, "not a JSON object");
	return 0;
}

static int js_trailer(struct js *j)
{
	js_ws(j);
	return j->i == j->n ? 0 : js_fail(j, "data after the JSON object");
}

int logql_json_all(const char *s, size_t n, struct ward_buf *scratch, logql_emit_fn emit, void *ud,
		char *err, size_t errlen)
{
	struct flat f = { { s, n, 0, &scratch[1], err, errlen }, &scratch[0], emit, ud };
	if (err && errlen)
		err[0] = '\0';
	buf_reset(&scratch[0]);
	if (js_top_object(&f.j) != 0 || flat_object(&f, 0) != 0)
		return -1;
	return js_trailer(&f.j);
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
static int path_walk(struct js *j, const struct logql_json_path *p, size_t seg, unsigned depth,
		     const char **val, size_t *vlen)
{
	js_ws(j);
	if (j->i >= j->n)
		return js_fail(j, "unexpected end");
	char c = j->s[j->i];
	if (seg == p->nsegs) {
		size_t start = j->i;
		char kind;
		if (c == '"')
			return js_string(j, j->vbuf, val, vlen) == 0 ? 1 : -1;
		if (c == '{' || c == '[') {
			if (js_skip(j, depth) != 0)
				return -1;
			*val = j->s + start;
			*vlen = j->i - start;
			return 1;
		}
		if (js_literal(j, val, vlen, &kind) != 0)
			return -1;
		if (kind == 'z')
			*vlen = 0;
		return 1;
	}
	const struct logql_json_path_seg *sg = &p->segs[seg];
	if ((sg->index < 0 && c != '{') || (sg->index >= 0 && c != '[') || depth >= LOGQL_JSON_MAX_DEPTH)
		return js_skip(j, depth) == 0 ? 0 : -1;
	char close = c == '{' ? '}' : ']';
	long idx = 0;
	j->i++;
	js_ws(j);
	if (j->i < j->n && j->s[j->i] == close) {
		j->i++;
		return 0;
	}
	for (;;) {
		bool hit;
		if (c == '{') {
			const char *k;
			size_t kl;
			js_ws(j);
			if (j->i >= j->n || j->s[j->i] != '"' || js_string(j, j->vbuf, &k, &kl) != 0)
				return js_fail(j, "expected a key");
			hit = kl == sg->key_len && !memcmp(k, sg->key, kl);
			js_ws(j);
			if (j->i >= j->n || j->s[j->i++] != ':')
				return js_fail(j, "expected ':'");
		} else {
			hit = idx++ == sg->index;
		}
		if (hit)
			return path_walk(j, p, seg + 1, depth + 1, val, vlen);
		if (js_skip(j, depth + 1) != 0)
			return -1;
		int more = js_after_member(j, close);
		if (more <= 0)
			return more;
	}
}

int logql_json_get(const char *s, size_t n, const struct logql_json_path *p, struct ward_buf *scratch,
		const char **val, size_t *vlen)
{
	struct js j = { s, n, 0, &scratch[1], NULL, 0 };
	if (js_top_object(&j) != 0)
		return -1;
	return path_walk(&j, p, 0, 0, val, vlen);
}

int logql_unpack(const char *s, size_t n, struct ward_buf *scratch, logql_emit_fn emit, void *ud,
	      char *err, size_t errlen)
{
	struct js j = { s, n, 0, &scratch[1], err, errlen };
	if (err && errlen)
		err[0] = '\0';
	if (js_top_object(&j) != 0)
		return -1;
	j.i++;
	js_ws(&j);
	if (j.i < j.n && j.s[j.i] == '}')
		return 0;
	for (;;) {
		const char *k, *v;
		size_t kl, vl;
		js_ws(&j);
		if (j.i >= j.n || j.s[j.i] != '"' || js_string(&j, &scratch[0], &k, &kl) != 0)
			return js_fail(&j, "expected a key");
		/* the key may live in scratch[0]; copy it out of the way of values */
		char kbuf[256];
		size_t kcopy = kl < sizeof(kbuf) ? kl : sizeof(kbuf) - 1;
		memcpy(kbuf, k, kcopy);
		js_ws(&j);
		if (j.i >= j.n || j.s[j.i++] != ':')
			return js_fail(&j, "expected ':'");
		js_ws(&j);
		if (j.i < j.n && j.s[j.i] == '"') {
			if (js_string(&j, &scratch[1], &v, &vl) != 0)
				return -1;
			emit(ud, kbuf, kcopy, v, vl);
		} else if (js_skip(&j, 1) != 0) {
			return -1;
		}
		js_ws(&j);
		if (j.i < j.n && j.s[j.i] == ',') {
			j.i++;
			continue;
		}
		if (j.i < j.n && j.s[j.i] == '}') {
			j.i++;
			return js_trailer(&j);
		}
		return js_fail(&j, "expected ',' or '}'");
	}
}

/* ---- logfmt -------------------------------------------------------------------- */

static bool lf_key_char(unsigned char c)
{
	return c > ' ' && c != '=' && c != '"' && c != 0x7f;
}

/* Quoted value at s[*i] == '"' (Go strconv escapes). */
static int lf_quoted(const char *s, size_t n, size_t *i, struct ward_buf *out)
{
	buf_reset(out);
	(*i)++;
	while (*i < n) {
		char c = s[*i];
		if (c == '"') {
			(*i)++;
			buf_reserve(out, 1);
			return 0;
		}
		if (c == '\\' && *i + 1 < n) {
			char e = s[*i + 1];
			unsigned long cp;
			*i += 2;
			switch (e) {
			case 'n': buf_append_char(out, '\n'); break;
			case 't': buf_append_char(out, '\t'); break;
			case 'r': buf_append_char(out, '\r'); break;
			case '\\': case '"': case '/': buf_append_char(out, e); break;
			case 'u':
				if (*i + 4 > n || hex4(s + *i, &cp) != 0)
					return -1;
				*i += 4;
				put_utf8(out, cp);
				break;
			default:
				return -1;
			}
			continue;
		}
		buf_append_char(out, c);
		(*i)++;
	}
	return -1;
}

int logql_logfmt(const char *s, size_t n, bool strict, bool keep_empty, struct ward_buf *scratch,
	      logql_emit_fn emit, void *ud, char *err, size_t errlen)
{
	size_t i = 0;
	if (err && errlen)
		err[0] = '\0';
	while (i < n) {
		while (i < n && (unsigned char)s[i] <= ' ')
			i++;
		if (i >= n)
			break;
		size_t ks = i;
		while (i < n && lf_key_char((unsigned char)s[i]))
			i++;
		size_t kl = i - ks;
		const char *v = "";
		size_t vl = 0;
		bool bad = kl == 0;
		if (!bad && i < n && s[i] == '=') {
			i++;
			if (i < n && s[i] == '"') {
				if (lf_quoted(s, n, &i, &scratch[1]) != 0) {
					bad = true;
				} else {
					v = scratch[1].data;
					vl = scratch[1].len;
				}
			} else {
				size_t vs = i;
				while (i < n && (unsigned char)s[i] > ' ' && s[i] != '"' && s[i] != '=')
					i++;
				v = s + vs;
				vl = i - vs;
			}
			if (!bad && i < n && (unsigned char)s[i] > ' ')
				bad = true;	/* "a=b=c", "a=b"c" */
		} else if (!bad && i < n && (unsigned char)s[i] > ' ') {
			bad = true;
		}
		if (bad) {
			if (strict) {
				if (err && errlen)
					snprintf(err, errlen, "logfmt syntax error at pos %zu", i + 1);
				return -1;
			}
			while (i < n && (unsigned char)s[i] > ' ')
				i++;
			continue;
		}
		if (vl > 0 || keep_empty) {
			buf_reset(&scratch[0]);
			logql_sanitize_key(s + ks, kl, true, &scratch[0]);
			if (scratch[0].len > 0)
				emit(ud, scratch[0].data, scratch[0].len, v, vl);
		}
	}
	return 0;
}

/* ---- pattern --------------------------------------------------------------------- */

void logql_pattern_free(struct logql_pattern *p)
{
	for (size_t i = 0; i < p->nparts; i++) {
		free(p->parts[i].lit);
		free(p->parts[i].name);
	}
	free(p->parts);
	memset(p, 0, sizeof(*p));
}

static void pat_add(struct logql_pattern *p, const char *lit, size_t len, const char *name, size_t nlen)
{
	if (lit && p->nparts > 0 && p->parts[p->nparts - 1].lit) {	/* merge literals */
		struct logql_pattern_part *last = &p->parts[p->nparts - 1];
		last->lit = ward_xrealloc(last->lit, last->len + len + 1);
		memcpy(last->lit + last->len, lit, len);
		last->len += len;
		last->lit[last->len] = '\0';
		return;
	}
	p->parts = ward_xrealloc(p->parts, (p->nparts + 1) * sizeof(*p->parts));
	struct logql_pattern_part *pp = &p->parts[p->nparts++];
	memset(pp, 0, sizeof(*pp));
	if (lit) {
		pp->lit = ward_xstrndup(lit, len);
		pp->len = len;
	} else {
		pp->name = ward_xstrndup(name, nlen);
	}
}

/* <name> at s (s[0] == '<'): length of the capture token, or 0. */
static size_t capture_len(const char *s, size_t n)
{
	size_t i = 1;
	if (i >= n || !(isalpha((unsigned char)s[i]) || s[i] == '_'))
		return 0;
	while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '_'))
		i++;
	return i < n && s[i] == '>' ? i + 1 : 0;
}

int logql_pattern_compile(const char *src, size_t n, bool need_named, struct logql_pattern *p,
		       char *err, size_t errlen)
{
	memset(p, 0, sizeof(*p));
	size_t i = 0, lit_start = 0;
	while (i < n) {
		size_t cl = src[i] == '<' ? capture_len(src + i, n - i) : 0;
		if (cl == 0) {
			i++;
			continue;
		}
		if (i > lit_start)
			pat_add(p, src + lit_start, i - lit_start, NULL, 0);
		if (p->nparts > 0 && !p->parts[p->nparts - 1].lit) {
			snprintf(err, errlen, "pattern: consecutive captures at offset %zu", i);
			logql_pattern_free(p);
			return -1;
		}
		const char *name = src + i + 1;
		size_t nl = cl - 2;
		bool unnamed = nl == 1 && name[0] == '_';
		for (size_t k = 0; !unnamed && k < p->nparts; k++)
			if (p->parts[k].name && strlen(p->parts[k].name) == nl && !memcmp(p->parts[k].name, name, nl)) {
				snprintf(err, errlen, "pattern: duplicate capture <%.*s>", (int)nl, name);
				logql_pattern_free(p);
				return -1;
			}
		pat_add(p, NULL, 0, name, nl);
		if (!unnamed)
			p->ncaptures++;
		i += cl;
		lit_start = i;
	}
	if (i > lit_start)
		pat_add(p, src + lit_start, i - lit_start, NULL, 0);
	if (need_named && p->ncaptures == 0) {
		snprintf(err, errlen, "pattern: at least one named capture <name> is needed");
		logql_pattern_free(p);
		return -1;
	}
	if (p->nparts == 0) {
		snprintf(err, errlen, "pattern: empty");
		return -1;
	}
	return 0;
}

static bool is_unnamed(const struct logql_pattern_part *pp)
{
	return pp->name && pp->name[0] == '_' && pp->name[1] == '\0';
}

bool logql_pattern_extract(const struct logql_pattern *p, const char *s, size_t n, logql_emit_fn emit, void *ud)
{
	size_t k = 0;
	if (n == 0 || p->nparts == 0)
		return false;
	if (p->parts[0].lit) {
		if (n < p->parts[0].len || memcmp(s, p->parts[0].lit, p->parts[0].len) != 0)
			return false;
		s += p->parts[0].len;
		n -= p->parts[0].len;
		k = 1;
	}
	while (k < p->nparts) {
		const struct logql_pattern_part *cap = &p->parts[k];
		if (k + 1 == p->nparts) {	/* ends on a capture */
			if (!is_unnamed(cap))
				emit(ud, cap->name, strlen(cap->name), s, n);
			return true;
		}
		const struct logql_pattern_part *lit = &p->parts[k + 1];
		const char *hit = memmem(s, n, lit->lit, lit->len);
		if (!hit) {	/* Loki: the capture takes the rest */
			if (!is_unnamed(cap))
				emit(ud, cap->name, strlen(cap->name), s, n);
			return true;
		}
		if (!is_unnamed(cap))
			emit(ud, cap->name, strlen(cap->name), s, (size_t)(hit - s));
		size_t adv = (size_t)(hit - s) + lit->len;
		s += adv;
		n -= adv;
		k += 2;
	}
	return true;
}

bool logql_pattern_test(const struct logql_pattern *p, const char *s, size_t n)
{
	size_t off = 0;
	for (size_t k = 0; k < p->nparts; k++) {
		const struct logql_pattern_part *pp = &p->parts[k];
		if (!pp->lit)
			continue;
		const char *hit = memmem(s + off, n - off, pp->lit, pp->len);
		if (!hit)
			return false;
		size_t j = (size_t)(hit - (s + off));
		if (k == 0 && j != 0)
			return false;	/* a leading literal anchors the start */
		if (k > 0 && j == 0)
			return false;	/* a capture matches at least one byte */
		off += j + pp->len;
	}
	if (p->parts[p->nparts - 1].lit)
		return off == n;
	return off < n;
}

/* ---- decolorize ------------------------------------------------------------------- */

void logql_decolorize(const char *s, size_t n, struct ward_buf *out)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c != 0x1b || i + 1 >= n) {
			buf_append_char(out, (char)c);
			i++;
			continue;
		}
		char t = s[i + 1];
		i += 2;
		if (t == '[') {		/* CSI: params then a final byte 0x40..0x7e */
			while (i < n && ((unsigned char)s[i] < 0x40 || (unsigned char)s[i] > 0x7e))
				i++;
			if (i < n)
				i++;
		} else if (t == ']') {	/* OSC: until BEL or ESC \ */
			while (i < n && s[i] != '\a' && !(s[i] == 0x1b && i + 1 < n && s[i + 1] == '\\'))
				i++;
			if (i < n)
				i += s[i] == '\a' ? 1 : 2;
		}
		/* other two-byte escapes are dropped whole */
	}
}

/* ---- ip() ---------------------------------------------------------------------------- */

static int ipcmp(const struct ward_ip *a, const struct ward_ip *b)
{
	return memcmp(a->addr, b->addr, a->family == AF_INET ? 4 : 16);
}

int logql_ipspec_parse(const char *s, size_t n, struct logql_ipspec *spec)
{
	const char *dash = memchr(s, '-', n);
	while (n > 0 && s[0] == ' ') { s++; n--; }
	while (n > 0 && s[n - 1] == ' ') n--;
	if (dash) {
		size_t a = (size_t)(dash - s);
		if (ip_parse(s, a, &spec->lo) != 0 || ip_parse(dash + 1, n - a - 1, &spec->hi) != 0 ||
		    spec->lo.family != spec->hi.family || ipcmp(&spec->lo, &spec->hi) > 0)
			return -1;
		return 0;
	}
	struct ward_cidr c;
	if (cidr_parse(s, n, &c) != 0)
		return -1;
	spec->lo = c.ip;
	spec->hi = c.ip;
	unsigned bits = c.ip.family == AF_INET ? 32 : 128;
	for (unsigned b = c.prefix; b < bits; b++)
		spec->hi.addr[b / 8] |= (uint8_t)(0x80u >> (b % 8));
	return 0;
}

bool logql_ipspec_contains(const struct logql_ipspec *spec, const struct ward_ip *ip)
{
	struct ward_ip x = *ip;
	if (spec->lo.family == AF_INET)
		ip_unmap(&x);
	if (x.family != spec->lo.family)
		return false;
	return ipcmp(&x, &spec->lo) >= 0 && ipcmp(&x, &spec->hi) <= 0;
}

static bool ip_tok_char(unsigned char c)
{
	return isxdigit(c) || c == '.' || c == ':';
}

/* Try the token, then without a trailing ':port' or trailing dot/colon. */
static bool token_ip(const char *t, size_t len, const struct logql_ipspec *spec)
{
	struct ward_ip ip;
	while (len > 0 && t[len - 1] == '.')
		len--;
	if (len < 2 || !(memchr(t, '.', len) || memchr(t, ':', len)))
		return false;
	if (ip_parse(t, len, &ip) == 0)
		return logql_ipspec_contains(spec, &ip);
	const char *colon = memrchr(t, ':', len);
	if (colon && memchr(t, '.', len) && ip_parse(t, (size_t)(colon - t), &ip) == 0)
		return logql_ipspec_contains(spec, &ip);
	return false;
}

bool logql_line_has_ip(const char *s, size_t n, const struct logql_ipspec *spec)
{
	size_t i = 0;
	while (i < n) {
		if (!ip_tok_char((unsigned char)s[i]) ||
		    (i > 0 && (isalnum((unsigned char)s[i - 1]) || s[i - 1] == '_'))) {
			i++;
			continue;
		}
		size_t st = i;
		while (i < n && ip_tok_char((unsigned char)s[i]))
			i++;
		if (i < n && (isalnum((unsigned char)s[i]) || s[i] == '_'))
			continue;	/* part of a word */
		if (token_ip(s + st, i - st, spec))
			return true;
	}
	return false;
}
