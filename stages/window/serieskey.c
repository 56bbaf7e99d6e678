/* serieskey.c - see serieskey.h. */
#include "stages/window/serieskey.h"

#include <stdlib.h>
#include <string.h>

void serieskey_put(struct ward_buf *b, const char *s, size_t n)
{
	if (n > SERIESKEY_VALUE_MAX)
		n = SERIESKEY_VALUE_MAX;
	unsigned char l[2] = { (unsigned char)(n >> 8), (unsigned char)n };
	buf_append(b, l, 2);
	buf_append(b, s, n);
}

bool serieskey_next(const unsigned char **p, const unsigned char *end, const char **s, size_t *n)
{
	if (end - *p < 2)
		return false;
	*n = (size_t)(*p)[0] << 8 | (*p)[1];
	if ((size_t)(end - *p - 2) < *n)
		return false;
	*s = (const char *)*p + 2;
	*p += 2 + *n;
	return true;
}

static bool in_list(char *const *list, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], name) == 0)
			return true;
	return false;
}

static int cmp_kvp(const void *a, const void *b)
{
	const struct ward_kv *x = *(const struct ward_kv *const *)a;
	const struct ward_kv *y = *(const struct ward_kv *const *)b;
	return strcmp(x->key, y->key);
}

void serieskey_put_all(struct ward_buf *b, const struct ww_rule *rule, const struct ward_event *ev)
{
	const struct ward_kv *items[2 * WARD_EVENT_MAX_KEYS];
	size_t n = 0;
	for (size_t i = 0; i < ev->fields.len && n < WARD_EVENT_MAX_KEYS; i++)
		items[n++] = &ev->fields.items[i];
	for (size_t i = 0; i < ev->labels.len && n < 2 * WARD_EVENT_MAX_KEYS; i++)
		if (!kvlist_find(&ev->fields, ev->labels.items[i].key))
			items[n++] = &ev->labels.items[i];
	qsort(items, n, sizeof(items[0]), cmp_kvp);
	for (size_t i = 0; i < n; i++) {
		if (rule->group_mode == WW_GROUP_WITHOUT &&
		    in_list(rule->group, rule->ngroup, items[i]->key))
			continue;
		if (items[i]->key[0] == '_' && items[i]->key[1] == '_')
			continue;	/* __error__ and friends are not series labels */
		serieskey_put(b, items[i]->key, items[i]->key_len);
		serieskey_put(b, items[i]->val, items[i]->val_len);
	}
}

bool serieskey_encode_by(struct ward_buf *b, const struct ww_rule *rule, const struct ward_event *ev)
{
	bool missing = false;
	buf_reset(b);
	for (size_t i = 0; i < rule->ngroup; i++) {
		const struct ward_kv *kv = event_lookup(ev, rule->group[i]);
		if (!kv)
			missing = true;
		serieskey_put(b, kv ? kv->val : "", kv ? kv->val_len : 0);
	}
	return missing;
}
