/* logql_tmpl_json.c - JSON values for the template's fromJson (see
 * logql_tmpl_json_int.h). */
#include <stdlib.h>
#include <string.h>

#include "jsonstr.h"
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

/* A string at s[i] (the quote), checked by common/jsonstr: the offset
 * after it or LOGQL_TMPL_JSON_INVALID (the same SIZE_MAX). */
static size_t skip_string(const char *s, size_t n, size_t i)
{
	return jsonstr_skip(s, n, i, JSONSTR_LONE_SURROGATE_FFFD);
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

void logql_tmpl_json_decode_string(const char *s, size_t n, struct ward_buf *out)
{
	/* s is a valid string (checked when the value was made): no error */
	(void)jsonstr_unescape(out, s + 1, n >= 2 ? n - 2 : 0, JSONSTR_LONE_SURROGATE_FFFD);
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
