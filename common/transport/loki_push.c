/* loki_push.c - Loki push bodies, gzip, backoff (see loki_push.h). */
#include "loki_push.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "event.h"
#include "hash.h"
#include "jsonw.h"
#include "wtime.h"

#define LOKI_MAX_LABELS 64

void loki_batch_init(struct loki_batch *b)
{
	memset(b, 0, sizeof(*b));
	b->nbuckets = 64;
	b->table = ward_xcalloc(b->nbuckets, sizeof(*b->table));
}

static void stream_free(struct loki_stream *s)
{
	free(s->key);
	buf_free(&s->labels_json);
	buf_free(&s->values);
	free(s);
}

void loki_batch_clear(struct loki_batch *b)
{
	for (size_t i = 0; i < b->nstreams; i++)
		stream_free(b->order[i]);
	memset(b->table, 0, b->nbuckets * sizeof(*b->table));
	b->nstreams = 0;
	b->entries = 0;
	b->line_bytes = 0;
	b->first_mono_ns = 0;
}

void loki_batch_free(struct loki_batch *b)
{
	loki_batch_clear(b);
	free(b->table);
	free(b->order);
	buf_free(&b->scratch);
	memset(b, 0, sizeof(*b));
}

static int label_name_ok_char(char c, int first)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')
		return 1;
	return !first && c >= '0' && c <= '9';
}

/* Labels sorted by name, as Loki identifies a stream. */
struct label_ref {
	const char *name;
	const char *value;
};

static int cmp_label(const void *a, const void *b)
{
	return strcmp(((const struct label_ref *)a)->name, ((const struct label_ref *)b)->name);
}

static void append_sanitized_name(struct ward_buf *out, const char *name)
{
	for (size_t i = 0; name[i]; i++)
		buf_append_char(out, label_name_ok_char(name[i], i == 0) ? name[i] : '_');
}

/* Build the canonical key {a="1",b="2"} into b->scratch and return the
 * sorted label refs count. */
static size_t canonical_labels(struct loki_batch *b, const char *const *names,
			       const char *const *values, size_t n, struct label_ref *refs)
{
	size_t m = 0;
	for (size_t i = 0; i < n && m < LOKI_MAX_LABELS; i++) {
		if (!names[i] || !names[i][0] || !values[i] || !values[i][0])
			continue;	/* Loki drops empty label values */
		refs[m].name = names[i];
		refs[m].value = values[i];
		m++;
	}
	if (m == 0) {
		refs[0].name = "job";
		refs[0].value = "ward";
		m = 1;
	}
	qsort(refs, m, sizeof(*refs), cmp_label);
	buf_reset(&b->scratch);
	buf_append_char(&b->scratch, '{');
	for (size_t i = 0; i < m; i++) {
		if (i)
			buf_append_char(&b->scratch, ',');
		append_sanitized_name(&b->scratch, refs[i].name);
		buf_append_char(&b->scratch, '=');
		jsonw_cstring(&b->scratch, refs[i].value);
	}
	buf_append_char(&b->scratch, '}');
	return m;
}

static struct loki_stream *stream_new(struct loki_batch *b, const struct label_ref *refs,
				      size_t m, uint64_t h)
{
	struct loki_stream *s = ward_xcalloc(1, sizeof(*s));
	s->key = ward_xstrdup(buf_cstr(&b->scratch));
	buf_append_char(&s->labels_json, '{');
	for (size_t i = 0; i < m; i++) {
		if (i)
			buf_append_char(&s->labels_json, ',');
		struct ward_buf name = WARD_BUF_INIT;
		append_sanitized_name(&name, refs[i].name);
		jsonw_string(&s->labels_json, name.data, name.len);
		buf_free(&name);
		buf_append_char(&s->labels_json, ':');
		jsonw_cstring(&s->labels_json, refs[i].value);
	}
	buf_append_char(&s->labels_json, '}');
	size_t slot = h % b->nbuckets;
	s->next = b->table[slot];
	b->table[slot] = s;
	if (b->nstreams == b->cap_streams) {
		b->cap_streams = b->cap_streams ? b->cap_streams * 2 : 16;
		b->order = ward_xrealloc(b->order, b->cap_streams * sizeof(*b->order));
	}
	b->order[b->nstreams++] = s;
	return s;
}

void loki_batch_add(struct loki_batch *b, const char *const *names,
		    const char *const *values, size_t n, int64_t ts_ns,
		    const char *line, size_t line_len)
{
	struct label_ref refs[LOKI_MAX_LABELS];
	size_t m = canonical_labels(b, names, values, n, refs);
	const char *key = buf_cstr(&b->scratch);
	uint64_t h = hash_fnv1a_str(key);
	struct loki_stream *s = b->table[h % b->nbuckets];
	while (s && strcmp(s->key, key) != 0)
		s = s->next;
	if (!s)
		s = stream_new(b, refs, m, h);
	if (s->entries)
		buf_append_char(&s->values, ',');
	buf_printf(&s->values, "[\"%lld\",", (long long)ts_ns);
	jsonw_string(&s->values, line, line_len);
	buf_append_char(&s->values, ']');
	s->entries++;
	if (b->entries == 0)
		b->first_mono_ns = time_mono_ns();
	b->entries++;
	b->line_bytes += line_len;
}

void loki_batch_add_event(struct loki_batch *b, const struct ward_event *ev,
			  const char *json, size_t json_len, int whole_event,
			  int64_t fallback_ts_ns)
{
	const char *names[LOKI_MAX_LABELS];
	const char *values[LOKI_MAX_LABELS];
	size_t n = 0;
	for (size_t i = 0; i < ev->labels.len && n < LOKI_MAX_LABELS; i++) {
		names[n] = ev->labels.items[i].key;
		values[n] = ev->labels.items[i].val;
		n++;
	}
	int64_t ts = ev->ts_ns == WARD_TS_NONE ? fallback_ts_ns : ev->ts_ns;
	if (whole_event)
		loki_batch_add(b, names, values, n, ts, json, json_len);
	else
		loki_batch_add(b, names, values, n, ts, ev->line ? ev->line : "",
			       ev->line ? ev->line_len : 0);
}

void loki_batch_serialize(const struct loki_batch *b, struct ward_buf *out)
{
	buf_append_str(out, "{\"streams\":[");
	for (size_t i = 0; i < b->nstreams; i++) {
		const struct loki_stream *s = b->order[i];
		if (i)
			buf_append_char(out, ',');
		buf_append_str(out, "{\"stream\":");
		buf_append(out, s->labels_json.data, s->labels_json.len);
		buf_append_str(out, ",\"values\":[");
		buf_append(out, s->values.data, s->values.len);
		buf_append_str(out, "]}");
	}
	buf_append_str(out, "]}");
}

int loki_gzip(const char *in, size_t len, struct ward_buf *out)
{
	z_stream zs;
	memset(&zs, 0, sizeof(zs));
	/* 15 + 16: zlib writes a gzip header and trailer. */
	if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
			 Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	size_t bound = deflateBound(&zs, (uLong)len) + 32;
	buf_reserve(out, bound);
	zs.next_in = (Bytef *)(uintptr_t)in;
	zs.avail_in = (uInt)len;
	zs.next_out = (Bytef *)out->data + out->len;
	zs.avail_out = (uInt)(out->cap - out->len);
	int rc = deflate(&zs, Z_FINISH);
	if (rc != Z_STREAM_END) {
		deflateEnd(&zs);
		return -1;
	}
	out->len += zs.total_out;
	deflateEnd(&zs);
	return 0;
}

int64_t loki_backoff_ns(int64_t min_ns, int64_t max_ns, unsigned attempt, double rnd)
{
	int64_t lo = min_ns;
	for (unsigned i = 0; i < attempt && lo < max_ns; i++)
		lo *= 2;
	if (lo >= max_ns)
		return max_ns;
	int64_t wait = lo + (int64_t)((double)lo * rnd);
	return wait > max_ns ? max_ns : wait;
}

enum loki_push_verdict loki_push_verdict(long http_status)
{
	if (http_status == 0 || http_status == 429 || http_status / 100 == 5)
		return LOKI_PUSH_RETRY;
	/* 260 is Loki's "ingestion blocked" status: not retryable. */
	if (http_status / 100 == 2 && http_status != 260)
		return LOKI_PUSH_OK;
	return LOKI_PUSH_REJECTED;
}
