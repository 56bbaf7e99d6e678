/* logql_tmpl_json.c - JSON values for the template's fromJson (see
 * logql_tmpl_json_int.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logql_tmpl_json_int.h"

size_t logql_tmpl_json_ws(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	return i;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int hex4(const char *s)
{
	int v = 0;
	for (int k = 0; k < 4; k++) {
		char c = s[k];
		int d = is_digit(c) ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 :
			(c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

static size_t skip_string(const char *s, size_t n, size_t i)
{
	for (i++; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"')
			return i + 1;
		if (c < 0x20)
			return LOGQL_TMPL_JSON_INVALID;
		if (c != '\\')
			continue;
		if (++i >= n)
			return LOGQL_TMPL_JSON_INVALID;
		if (s[i] == 'u') {
			if (i + 4 >= n || hex4(s + i + 1) < 0)
				return LOGQL_TMPL_JSON_INVALID;
			i += 4;
		} else if (!strchr("\"\\/bfnrt", s[i]) || !s[i]) {
			return LOGQL_TMPL_JSON_INVALID;
		}
	}
	return LOGQL_TMPL_JSON_INVALID;
}

static size_t skip_digits(const char *s, size_t n, size_t i)
{
	while (i < n && is_digit(s[i]))
		i++;
	return i;
}

static size_t skip_number(const char *s, size_t n, size_t i)
{
	if (s[i] == '-')
		i++;
	if (i >= n || !is_digit(s[i]))
		return LOGQL_TMPL_JSON_INVALID;
	i = s[i] == '0' ? i + 1 : skip_digits(s, n, i);
	if (i < n && s[i] == '.') {
		if (i + 1 >= n || !is_digit(s[i + 1]))
			return LOGQL_TMPL_JSON_INVALID;
		i = skip_digits(s, n, i + 1);
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= n || !is_digit(s[i]))
			return LOGQL_TMPL_JSON_INVALID;
		i = skip_digits(s, n, i);
	}
	return i;
}

static size_t skip_word(const char *s, size_t n, size_t i, const char *w)
{
	size_t l = strlen(w);
	return n - i >= l && !memcmp(s + i, w, l) ? i + l : LOGQL_TMPL_JSON_INVALID;
}

static size_t skip_container(const char *s, size_t n, size_t i, int depth)
{
	char close = s[i] == '{' ? '}' : ']';
	bool obj = s[i] == '{';
	i = logql_tmpl_json_ws(s, n, i + 1);
	if (i < n && s[i] == close)
		return i + 1;
	for (;;) {
		if (obj) {
			if (i >= n || s[i] != '"' || (i = skip_string(s, n, i)) == LOGQL_TMPL_JSON_INVALID)
				return LOGQL_TMPL_JSON_INVALID;
			i = logql_tmpl_json_ws(s, n, i);
			if (i >= n || s[i] != ':')
				return LOGQL_TMPL_JSON_INVALID;
			i++;
		}
		if ((i = logql_tmpl_json_skip(s, n, i, depth + 1)) == LOGQL_TMPL_JSON_INVALID)
			return LOGQL_TMPL_JSON_INVALID;
		i = logql_tmpl_json_ws(s, n, i);
		if (i < n && s[i] == close)
			return i + 1;
		if (i >= n || s[i] != ',')
			return LOGQL_TMPL_JSON_INVALID;
		i = logql_tmpl_json_ws(s, n, i + 1);
	}
}

size_t logql_tmpl_json_skip(const char *s, size_t n, size_t i, int depth)
{
	i = logql_tmpl_json_ws(s, n, i);
	if (i >= n || depth > LOGQL_TMPL_JSON_MAX_DEPTH)
		return LOGQL_TMPL_JSON_INVALID;
	switch (s[i]) {
	case '{': case '[': return skip_container(s, n, i, depth);
	case '"': return skip_string(s, n, i);
	case 't': return skip_word(s, n, i, "true");
	case 'f': return skip_word(s, n, i, "false");
	case 'n': return skip_word(s, n, i, "null");
	default: return skip_number(s, n, i);
	}
}

static void put_utf8(struct ward_buf *out, unsigned cp)
{
	char u[4];
	size_t k;
	if (cp < 0x80) {
		u[0] = (char)cp;
		k = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3F));
		k = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | cp >> 12);
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		k = 3;
	} else {
		u[0] = (char)(0xF0 | cp >> 18);
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		k = 4;
	}
	buf_append(out, u, k);
}

/* A \u escape at s[i] ('u'); returns the code point and advances *i past
 * it, pairing surrogates as Go does (a lone one is U+FFFD). */
static unsigned unicode_escape(const char *s, size_t n, size_t *i)
{
	unsigned cp = (unsigned)hex4(s + *i + 1);
	*i += 4;
	if (cp < 0xD800 || cp > 0xDFFF)
		return cp;
	if (cp <= 0xDBFF && *i + 6 < n && s[*i + 1] == '\\' && s[*i + 2] == 'u') {
		int lo = hex4(s + *i + 3);
		if (lo >= 0xDC00 && lo <= 0xDFFF) {
			*i += 6;
			return 0x10000 + ((cp - 0xD800) << 10) + ((unsigned)lo - 0xDC00);
		}
	}
	return 0xFFFD;
}

void logql_tmpl_json_decode_string(const char *s, size_t n, struct ward_buf *out)
{
	size_t end = n > 0 ? n - 1 : 0;	/* the closing quote */
	for (size_t i = 1; i < end; i++) {
		if (s[i] != '\\') {
			size_t run = i;
			while (run < end && s[run] != '\\')
				run++;
			buf_append(out, s + i, run - i);
			i = run - 1;
			continue;
		}
		char e = s[++i];
		switch (e) {
		case 'b': buf_append_char(out, '\b'); break;
		case 'f': buf_append_char(out, '\f'); break;
		case 'n': buf_append_char(out, '\n'); break;
		case 'r': buf_append_char(out, '\r'); break;
		case 't': buf_append_char(out, '\t'); break;
		case 'u': put_utf8(out, unicode_escape(s, end, &i)); break;
		default: buf_append_char(out, e); break;
		}
	}
}

void logql_tmpl_json_iter_init(struct logql_tmpl_json_iter *it, const char *s, size_t n)
{
	it->s = s;
	it->n = n;
	it->i = n > 0 ? logql_tmpl_json_ws(s, n, 1) : 0;
	it->obj = n > 0 && s[0] == '{';
}

bool logql_tmpl_json_iter_next(struct logql_tmpl_json_iter *it, size_t *ks, size_t *ke, size_t *vs, size_t *ve)
{
	const char *s = it->s;
	size_t n = it->n, i = it->i;
	if (i >= n || s[i] == '}' || s[i] == ']')
		return false;
	*ks = *ke = 0;
	if (it->obj) {
		*ks = i;
		if ((i = skip_string(s, n, i)) == LOGQL_TMPL_JSON_INVALID)
			return false;
		*ke = i;
		i = logql_tmpl_json_ws(s, n, i) + 1;	/* the ':' */
	}
	*vs = logql_tmpl_json_ws(s, n, i);
	if ((*ve = logql_tmpl_json_skip(s, n, *vs, 1)) == LOGQL_TMPL_JSON_INVALID)
		return false;
	i = logql_tmpl_json_ws(s, n, *ve);
	if (i < n && s[i] == ',')
		i = logql_tmpl_json_ws(s, n, i + 1);
	it->i = i;
	return true;
}

static int member_cmp(const struct logql_tmpl_json_member *a, const struct logql_tmpl_json_member *b, const char *keys)
{
	size_t l = a->klen < b->klen ? a->klen : b->klen;
	int c = memcmp(keys + a->koff, keys + b->koff, l);
	if (c == 0 && a->klen != b->klen)
		c = a->klen < b->klen ? -1 : 1;
	if (c == 0)
		c = a->pos < b->pos ? -1 : a->pos > b->pos;
	return c;
}

static void sift_down(struct logql_tmpl_json_member *m, size_t root, size_t n, const char *keys)
{
	for (size_t child; (child = 2 * root + 1) < n; root = child) {
		if (child + 1 < n && member_cmp(&m[child], &m[child + 1], keys) < 0)
			child++;
		if (member_cmp(&m[root], &m[child], keys) >= 0)
			return;
		struct logql_tmpl_json_member t = m[root];
		m[root] = m[child];
		m[child] = t;
	}
}

/* Heapsort: in place, O(n log n) whatever the input, and unlike glibc's
 * qsort it never allocates. */
static void sort_members(struct logql_tmpl_json_member *m, size_t n, const char *keys)
{
	for (size_t i = n / 2; i-- > 0;)
		sift_down(m, i, n, keys);
	for (size_t end = n; end-- > 1;) {
		struct logql_tmpl_json_member t = m[0];
		m[0] = m[end];
		m[end] = t;
		sift_down(m, 0, end, keys);
	}
}

static size_t dedup_sorted(struct logql_tmpl_json_member *m, size_t cnt, const char *keys)
{
	size_t w = 0;
	for (size_t r = 0; r < cnt; r++) {
		bool same_as_next = r + 1 < cnt && m[r].klen == m[r + 1].klen &&
				    !memcmp(keys + m[r].koff, keys + m[r + 1].koff, m[r].klen);
		if (!same_as_next)
			m[w++] = m[r];	/* the last of a run of equal keys wins */
	}
	return w;
}

size_t logql_tmpl_json_collect(const char *s, size_t n, struct ward_buf *arr, struct ward_buf *keys, size_t max)
{
	struct logql_tmpl_json_iter it;
	struct logql_tmpl_json_member m;
	size_t cnt = 0;
	buf_reset(arr);
	buf_reset(keys);
	logql_tmpl_json_iter_init(&it, s, n);
	while (logql_tmpl_json_iter_next(&it, &m.koff, &m.klen, &m.vs, &m.ve)) {
		if (cnt == max)
			return LOGQL_TMPL_JSON_INVALID;
		size_t ks = m.koff, ke = m.klen;
		m.koff = keys->len;
		if (it.obj)
			logql_tmpl_json_decode_string(s + ks, ke - ks, keys);
		m.klen = keys->len - m.koff;
		m.pos = cnt++;
		buf_append(arr, &m, sizeof(m));
	}
	struct logql_tmpl_json_member *ms = (struct logql_tmpl_json_member *)(void *)arr->data;
	if (!it.obj || cnt < 2)
		return cnt;
	sort_members(ms, cnt, keys->data);
	cnt = dedup_sorted(ms, cnt, keys->data);
	arr->len = cnt * sizeof(*ms);
	return cnt;
}

void logql_tmpl_json_go_float(struct ward_buf *out, double v)
{
	if (isnan(v)) {
		buf_append_str(out, "NaN");
		return;
	}
	if (isinf(v)) {
		buf_append_str(out, v > 0 ? "+Inf" : "-Inf");
		return;
	}
	char e[40];
	for (int prec = 1; prec <= 17; prec++) {	/* the shortest exact form */
		snprintf(e, sizeof(e), "%.*e", prec - 1, v);
		if (strtod(e, NULL) == v)
			break;
	}
	/* e is [-]d[.ddd]e[+-]xx: split into digits and exponent */
	char digits[24];
	size_t nd = 0;
	const char *p = e;
	bool neg = *p == '-';
	if (neg)
		p++;
	for (; *p && *p != 'e'; p++)
		if (is_digit(*p))
			digits[nd++] = *p;
	int exp = atoi(p + 1);
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	if (neg)
		buf_append_char(out, '-');
	if (exp < -4 || exp >= 6) {	/* Go switches to %e there */
		buf_append_char(out, digits[0]);
		if (nd > 1) {
			buf_append_char(out, '.');
			buf_append(out, digits + 1, nd - 1);
		}
		buf_printf(out, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
		return;
	}
	if (exp < 0) {
		buf_append_str(out, "0.");
		for (int k = -1; k > exp; k--)
			buf_append_char(out, '0');
		buf_append(out, digits, nd);
		return;
	}
	for (int k = 0; k <= exp; k++)
		buf_append_char(out, (size_t)k < nd ? digits[k] : '0');
	if (nd > (size_t)exp + 1) {
		buf_append_char(out, '.');
		buf_append(out, digits + exp + 1, nd - (size_t)exp - 1);
	}
}
