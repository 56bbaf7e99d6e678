/* logql_jsonwalk.c - walking JSON text for the json and unpack extractors
 * (see logql_jsonwalk_int.h). */
#include <ctype.h>
#include <string.h>

#include "jsonscan.h"
#include "logql_jsonwalk_int.h"

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

static int jw_escape(struct logql_jsonwalk *j, struct ward_buf *out)
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
			return logql_jw_fail(j, "bad \\u escape");
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
		return logql_jw_fail(j, "bad escape");
	}
}

int logql_jw_string(struct logql_jsonwalk *j, struct ward_buf *out, const char **v, size_t *vlen)
{
	size_t start = ++j->i;
	bool escaped = false, high = false;
	for (;;) {
		size_t p = json_scan_special(j->s, j->i, j->n, &high);
		if (escaped)
			buf_append(out, j->s + j->i, p - j->i);
		j->i = p;
		if (p >= j->n)
			return logql_jw_fail(j, "unterminated string");
		unsigned char c = (unsigned char)j->s[p];
		if (c == '"')
			break;
		if (c < 0x20)
			return logql_jw_fail(j, "control character in string");
		if (!escaped) {	/* the first backslash: copy what came before */
			buf_reset(out);
			buf_append(out, j->s + start, p - start);
			escaped = true;
		}
		j->i++;
		if (j->i >= j->n || jw_escape(j, out) != 0)
			return logql_jw_fail(j, "bad escape");
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

int logql_jw_literal(struct logql_jsonwalk *j, const char **v, size_t *vlen, char *kind)
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
		return logql_jw_fail(j, "unexpected character");
	}
	*v = j->s + start;
	*vlen = j->i - start;
	return 0;
}

int logql_jw_skip(struct logql_jsonwalk *j, unsigned depth)
{
	const char *v;
	size_t vl;
	char kind;
	char c;
	if (logql_jw_peek_value(j, &c) != 0)
		return -1;
	if (c == '"')
		return logql_jw_string(j, j->vbuf, &v, &vl);
	if (c != '{' && c != '[')
		return logql_jw_literal(j, &v, &vl, &kind);
	if (depth >= LOGQL_JSON_MAX_DEPTH)
		return logql_jw_fail(j, "nested too deep");
	char close = c == '{' ? '}' : ']';
	j->i++;
	logql_jw_ws(j);
	if (j->i < j->n && j->s[j->i] == close) {
		j->i++;
		return 0;
	}
	for (;;) {
		if (c == '{') {
			logql_jw_ws(j);
			if (j->i >= j->n || j->s[j->i] != '"' || logql_jw_string(j, j->vbuf, &v, &vl) != 0)
				return logql_jw_fail(j, "expected a key");
			logql_jw_ws(j);
			if (j->i >= j->n || j->s[j->i++] != ':')
				return logql_jw_fail(j, "expected ':'");
		}
		if (logql_jw_skip(j, depth + 1) != 0)
			return -1;
		int more = logql_jw_after_member(j, close);
		if (more <= 0)
			return more;
	}
}

