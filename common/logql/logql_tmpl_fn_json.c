/* logql_tmpl_fn_json.c - the template functions over JSON values:
 * fromJson, len and index (Go's builtins over maps and slices). */
#include <string.h>

#include "logql_tmpl_int.h"
#include "logql_tmpl_json_int.h"

/* sprig's fromJson: the decoded value, or nil ("") if s is not JSON. */
void logql_tmpl_fn_from_json(struct texec *x, const struct tval *v, struct tval *out)
{
	const char *s = v->b.data;
	size_t n = v->b.len;
	if (!logql_tmpl_json_charge(x, n))
		return;
	size_t st = logql_tmpl_json_ws(s, n, 0), end = logql_tmpl_json_skip(s, n, st, 0);
	if (end == LOGQL_TMPL_JSON_INVALID || logql_tmpl_json_ws(s, n, end) != n)
		return;
	logql_tmpl_json_value(x, s + st, end - st, out);
}

void logql_tmpl_fn_len(struct texec *x, const struct tval *v, struct tval *out)
{
	if (v->k == K_JSON && v->b.data[0] == '[') {
		struct logql_tmpl_json_iter it;
		size_t ks, ke, vs, ve, cnt = 0;
		if (!logql_tmpl_json_charge(x, v->b.len))
			return;
		logql_tmpl_json_iter_init(&it, v->b.data, v->b.len);
		while (logql_tmpl_json_iter_next(&it, &ks, &ke, &vs, &ve))
			cnt++;
		logql_tmpl_put_int(out, (int64_t)cnt);
	} else if (v->k == K_JSON) {
		/* distinct keys: collected (bounded) and deduplicated */
		size_t mark = x->t->top;
		struct tval *arr = logql_tmpl_pool_get(x), *keys = logql_tmpl_pool_get(x);
		size_t cnt = logql_tmpl_json_charge(x, v->b.len) ?
			     logql_tmpl_json_collect(v->b.data, v->b.len, &arr->b, &keys->b, TMPL_MAX_ITER) : 0;
		if (cnt == LOGQL_TMPL_JSON_INVALID)
			logql_tmpl_fail(x, "more than 65536 members", "len");
		else if (!x->failed)
			logql_tmpl_put_int(out, (int64_t)cnt);
		x->t->top = mark;
	} else if (v->k == K_STR) {
		logql_tmpl_put_int(out, (int64_t)v->b.len);
	} else {
		logql_tmpl_fail(x, "len of a value that is not a string, map or slice", "len");
	}
}

/* Element k of the JSON array s[0..n): its span, or false. */
static bool json_element(const char *s, size_t n, int64_t k, size_t *vs, size_t *ve)
{
	struct logql_tmpl_json_iter it;
	size_t ks, ke;
	logql_tmpl_json_iter_init(&it, s, n);
	for (int64_t i = 0; logql_tmpl_json_iter_next(&it, &ks, &ke, vs, ve); i++)
		if (i == k)
			return true;
	return false;
}

static bool json_key(const char *s, size_t n, const struct tval *key, size_t *vs, size_t *ve,
		     struct ward_buf *scratch)
{
	struct logql_tmpl_json_iter it;
	size_t ks, ke, a, b;
	bool found = false;
	logql_tmpl_json_iter_init(&it, s, n);
	while (logql_tmpl_json_iter_next(&it, &ks, &ke, &a, &b)) {
		buf_reset(scratch);
		logql_tmpl_json_decode_string(s + ks, ke - ks, scratch);
		if (scratch->len == key->b.len && !memcmp(scratch->data, key->b.data, key->b.len)) {
			*vs = a;	/* the last duplicate wins, as in Go's map */
			*ve = b;
			found = true;
		}
	}
	return found;
}

/* Go's index: index m "k" (a map), index l 1 (a slice), index s 1 (a
 * string's byte), chained over several keys. */
void logql_tmpl_fn_index(struct texec *x, struct tval **a, size_t na, struct tval *out)
{
	size_t mark = x->t->top;
	struct tval *cur = logql_tmpl_pool_get(x), *scratch = logql_tmpl_pool_get(x);
	logql_tmpl_copy_to(cur, a[0]);
	for (size_t i = 1; i < na && !x->failed; i++) {
		size_t vs = 0, ve = 0;
		const char *s = cur->b.data;
		size_t n = cur->b.len;
		int64_t k = logql_tmpl_to_int64(a[i]);
		bool obj = cur->k == K_JSON && s[0] == '{';
		if (cur->k == K_STR && n > 0 && a[i]->k == K_NUM) {
			if (k < 0 || (size_t)k >= n) {
				logql_tmpl_fail(x, "index out of range", "index");
				break;
			}
			buf_reset(&cur->b);
			buf_printf(&cur->b, "%u", (unsigned char)s[k]);
			cur->k = K_NUM;
			continue;
		}
		if (cur->k != K_JSON || !logql_tmpl_json_charge(x, n)) {
			logql_tmpl_fail(x, "can't index a value that is not a map, slice or string", "index");
			break;
		}
		bool found = obj ? json_key(s, n, a[i], &vs, &ve, &scratch->b) : json_element(s, n, k, &vs, &ve);
		if (!found && !obj) {
			logql_tmpl_fail(x, "index out of range", "index");
			break;
		}
		logql_tmpl_json_value(x, found ? s + vs : "", found ? ve - vs : 0, scratch);
		struct tval tmp = *cur;	/* swap: the element becomes the current value */
		*cur = *scratch;
		*scratch = tmp;
	}
	if (!x->failed)
		logql_tmpl_copy_to(out, cur);
	x->t->top = mark;
}

