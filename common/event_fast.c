/* event_fast.c - strict-subset event decoder (see event_fast.h). */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "event_fast.h"
#include "jsonstr.h"
#include "utf8.h"
#include "wtime.h"

struct fd {
	const char *s;
	size_t n, i;
	struct ward_buf *sb;
	/* the record's copy in the event's arena (made on the first string
	 * the event keeps): a kept string without escapes is its bytes there,
	 * ended by a NUL written over its closing quote, so line, fields and
	 * rule cost no allocation and no copy of their own */
	char *copy;
	struct ward_event *ev;
	/* where ts, labels and line sit in the record (the ts and line
	 * strings from their opening quote, labels from its '{'; each end
	 * just past it) and whether each is as event_serialize_head writes
	 * it: for note_raw_head */
	size_t ts_at, ts_end, labels_at, labels_end, line_at, line_end;
	bool ts_canon, labels_canon, line_canon;
};

/* The last labels object (its exact bytes) and ts string decoded into an
 * event, with what they decoded to: a record repeating the bytes decodes
 * to the same, so it is copied, not parsed (labels: strings in store). */
struct event_fast_memo {
	struct ward_buf labels_raw;
	struct ward_kv *labels;
	size_t nlabels, caplabels;
	struct ward_buf store;
	char ts_raw[64];
	size_t ts_len;		/* 0: none */
	int64_t ts_ns;
	/* labels_raw and ts_raw are the bytes event_serialize_head writes for
	 * what they decoded to (checked once per new object or time) */
	bool labels_canon, ts_canon;
};

void event_fast_memo_free(struct event_fast_memo *m);
void event_fast_memo_free(struct event_fast_memo *m)
{
	if (!m)
		return;
	buf_free(&m->labels_raw);
	buf_free(&m->store);
	free(m->labels);
	free(m);
}

static struct event_fast_memo *memo_of(struct ward_event *ev)
{
	if (!ev->memo)
		ev->memo = ward_xcalloc(1, sizeof(*ev->memo));
	return ev->memo;
}

/* The labels object at f->i is the memo's bytes: ev gets its labels. */
static bool labels_from_memo(struct fd *f, struct ward_event *ev)
{
	const struct event_fast_memo *m = ev->memo;
	if (!m || m->labels_raw.len == 0 || f->n - f->i < m->labels_raw.len ||
	    memcmp(f->s + f->i, m->labels_raw.data, m->labels_raw.len) != 0 ||
	    ev->fields.len + m->nlabels + 1 >= WARD_EVENT_MAX_KEYS)	/* kvs decides */
		return false;
	if (ev->labels.cap < m->nlabels) {
		ev->labels.cap = m->nlabels;
		ev->labels.items = ward_xrealloc(ev->labels.items, ev->labels.cap * sizeof(*ev->labels.items));
	}
	if (m->nlabels)
		memcpy(ev->labels.items, m->labels, m->nlabels * sizeof(*m->labels));
	ev->labels.len = m->nlabels;
	f->i += m->labels_raw.len;
	f->labels_canon = m->labels_canon;
	return true;
}

/* Whether raw[0..n) is the labels object event_serialize_head writes for l. */
static bool labels_canonical(const struct ward_kvlist *l, const char *raw, size_t n)
{
	struct ward_buf b = WARD_BUF_INIT;
	buf_append_char(&b, '{');
	for (size_t i = 0; i < l->len; i++) {
		if (i)
			buf_append_char(&b, ',');
		event_serialize_kv(&l->items[i], &b);
	}
	buf_append_char(&b, '}');
	bool same = b.len == n && memcmp(b.data, raw, n) == 0;
	buf_free(&b);
	return same;
}

/* Remember the labels object f->s[start..f->i) and what it decoded to. */
static void labels_to_memo(const struct fd *f, struct ward_event *ev, size_t start)
{
	struct event_fast_memo *m = memo_of(ev);
	buf_reset(&m->labels_raw);
	buf_reset(&m->store);
	m->nlabels = 0;
	if (ev->labels.len > m->caplabels) {
		m->caplabels = ev->labels.len * 2;
		m->labels = ward_xrealloc(m->labels, m->caplabels * sizeof(*m->labels));
	}
	size_t need = 0;	/* reserved first, so the copies below never move */
	for (size_t i = 0; i < ev->labels.len; i++)
		need += ev->labels.items[i].key_len + ev->labels.items[i].val_len + 2;
	buf_reserve(&m->store, need);
	for (size_t i = 0; i < ev->labels.len; i++) {
		const struct ward_kv *kv = &ev->labels.items[i];
		m->labels[i] = *kv;
		m->labels[i].key = m->store.data + m->store.len;
		buf_append(&m->store, kv->key, kv->key_len + 1);
		m->labels[i].val = m->store.data + m->store.len;
		buf_append(&m->store, kv->val, kv->val_len + 1);
	}
	m->nlabels = ev->labels.len;
	buf_append(&m->labels_raw, f->s + start, f->i - start);
	m->labels_canon = labels_canonical(&ev->labels, f->s + start, f->i - start);
}

/* Inline, and one test for the usual case (compact JSON has no space
 * between tokens): it runs four times per member. */
static inline __attribute__((always_inline)) void ws(struct fd *f)
{
	size_t i = f->i;
	while (i < f->n && (unsigned char)f->s[i] <= ' ' &&
	       (f->s[i] == ' ' || f->s[i] == '\t' || f->s[i] == '\n' || f->s[i] == '\r'))
		i++;
	f->i = i;
}

/* A JSON string at f->i ('"'). *out points into the input when there are
 * no escapes, else into f->sb. -1 for anything outside the subset: what
 * jsonstr refuses, any \u surrogate (json-c decides those, and not always
 * as a pair would decode), and invalid UTF-8. Inlined, as keep below: a
 * call per string cost a sixth of ward-window's decoding. */
static inline __attribute__((always_inline)) int
str(struct fd *f, const char **out, size_t *len)
{
	struct jsonstr r;
	if (jsonstr_read(f->s, f->n, f->i, JSONSTR_NO_SURROGATES, f->sb, &r) != 0)
		return -1;
	f->i = r.end;
	*out = r.v;
	*len = r.len;
	if (r.high && !utf8_valid(r.v, r.len))
		return -1;
	return 0;
}

/* The string str just read from the quote at `at` (v, vl) as one the
 * event keeps: in the record's copy when it had no escape, so v is the
 * record's own bytes (its closing quote becomes the NUL), else copied
 * from the scratch buffer. */
static inline __attribute__((always_inline)) const char *
keep(struct fd *f, size_t at, const char *v, size_t vl)
{
	if (v != f->s + at + 1)
		return event_strdup(f->ev, v, vl);
	if (!f->copy)
		f->copy = (char *)event_strdup(f->ev, f->s, f->n);
	f->copy[at + 1 + vl] = '\0';
	return f->copy + at + 1;
}

/* A top-level member name: a few ASCII letters, read here without the
 * general string reader (five or six per event); anything else (an
 * escape, a control or high byte, a long name) goes to str, as before. */
static int key_str(struct fd *f, const char **out, size_t *len)
{
	size_t start = f->i + 1;
	for (size_t e = start; e < f->n && e - start < 16; e++) {
		unsigned char c = (unsigned char)f->s[e];
		if (c == '"') {
			*out = f->s + start;
			*len = e - start;
			f->i = e + 1;
			return 0;
		}
		if (c == '\\' || c < 0x20 || c >= 0x80)
			break;
	}
	return str(f, out, len);
}

/* A flat object of string values into labels or fields. */
static int kvs(struct fd *f, struct ward_event *ev, bool labels)
{
	if (f->i >= f->n || f->s[f->i] != '{')
		return -1;
	f->i++;
	ws(f);
	if (f->i < f->n && f->s[f->i] == '}') {
		f->i++;
		return 0;
	}
	char key[WARD_EVENT_MAX_KEY_LEN + 1];
	for (;;) {
		const char *k, *v;
		size_t kl, vl;
		ws(f);
		size_t kat = f->i, vat;
		if (f->i >= f->n || f->s[f->i] != '"' || str(f, &k, &kl) != 0)
			return -1;
		/* only an escape (\u0000) puts a NUL in a string */
		bool plain_key = k == f->s + kat + 1;
		if (kl > WARD_EVENT_MAX_KEY_LEN || (!plain_key && memchr(k, '\0', kl)))
			return -1;
		if (labels || !plain_key) {
			memcpy(key, k, kl);	/* the value may reuse the scratch buffer */
			key[kl] = '\0';
		}
		ws(f);
		if (f->i >= f->n || f->s[f->i++] != ':')
			return -1;
		ws(f);
		vat = f->i;
		if (f->i >= f->n || f->s[f->i] != '"' || str(f, &v, &vl) != 0)
			return -1;
		if (ev->labels.len + ev->fields.len >= WARD_EVENT_MAX_KEYS - 1)
			return -1;
		if (labels)
			event_set_label(ev, key, v, vl);
		else
			event_set_field_ref(ev, plain_key ? keep(f, kat, k, kl) : event_strdup(ev, key, kl), kl,
					    keep(f, vat, v, vl), vl);
		ws(f);
		if (f->i < f->n && f->s[f->i] == ',') {
			f->i++;
			continue;
		}
		if (f->i < f->n && f->s[f->i] == '}') {
			f->i++;
			return 0;
		}
		return -1;
	}
}

/* Digits s[0..n) as a number, or -1 if any is not a digit. */
static int64_t digits(const char *s, size_t n)
{
	int64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* The written time v[0..n) (time_format_rfc3339's form) in the minute of
 * the written time memo[0..mlen) (decoded to memo_ns): *ns is its time,
 * from the memo's minute and its own seconds and fraction, and it is in
 * the written form too (same minute, two digits under 60, nine digits).
 * False for anything else: parsed in full. A stream's times mostly change
 * only in the second, so most are read here. */
static bool same_minute(const char *memo, size_t mlen, const char *v, size_t n, int64_t memo_ns, int64_t *ns)
{
	enum { MINUTE = 17, LEN = WARD_RFC3339_LEN - 1 };	/* "YYYY-MM-DDTHH:MM:" SS.nnnnnnnnnZ */
	if (n != LEN || mlen != LEN || v[MINUTE + 2] != '.' || v[LEN - 1] != 'Z' ||
	    memcmp(memo, v, MINUTE) != 0)
		return false;
	int64_t sec = digits(v + MINUTE, 2), frac = digits(v + MINUTE + 3, 9);
	if (sec < 0 || sec > 59 || frac < 0)
		return false;
	int64_t msec = digits(memo + MINUTE, 2), mfrac = digits(memo + MINUTE + 3, 9);
	*ns = memo_ns - (msec * NS_PER_SEC + mfrac) + sec * NS_PER_SEC + frac;
	return true;
}

enum { M_V = 1, M_TS = 2, M_LABELS = 4, M_LINE = 8, M_FIELDS = 16, M_RULE = 32 };

static int member(struct fd *f, struct ward_event *ev, const char *k, size_t kl, unsigned *seen)
{
	const char *v;
	size_t vl;
#define IS(name) (kl == sizeof(name) - 1 && memcmp(k, name, kl) == 0)
	unsigned bit = IS("v") ? M_V : IS("ts") ? M_TS : IS("labels") ? M_LABELS : IS("line") ? M_LINE :
		       IS("fields") ? M_FIELDS : IS("rule") ? M_RULE : 0;
#undef IS
	if (!bit || (*seen & bit))
		return -1;	/* other keys and duplicates: event_parse */
	*seen |= bit;
	if (bit == M_V) {
		size_t st = f->i;
		while (f->i < f->n && f->s[f->i] >= '0' && f->s[f->i] <= '9')
			f->i++;
		return f->i - st >= 1 && f->i - st <= 9 && f->s[st] != '0' ? 0 : -1;
	}
	if (bit == M_LABELS) {
		f->labels_at = f->i;
		if (!labels_from_memo(f, ev)) {
			if (kvs(f, ev, true) != 0)
				return -1;
			labels_to_memo(f, ev, f->labels_at);
			f->labels_canon = ev->memo->labels_canon;
		}
		f->labels_end = f->i;
		return 0;
	}
	if (bit == M_FIELDS)
		return kvs(f, ev, false);
	size_t at = f->i;
	if (f->i >= f->n || f->s[f->i] != '"' || str(f, &v, &vl) != 0)
		return -1;
	if (bit == M_TS) {
		struct event_fast_memo *m = ev->memo;
		f->ts_at = at;
		f->ts_end = f->i;
		/* the memo holds decoded values: the record's bytes are the
		 * written time only if they hold no escape */
		bool plain = v == f->s + at + 1;
		if (m && m->ts_len == vl && vl && memcmp(m->ts_raw, v, vl) == 0) {
			ev->ts_ns = m->ts_ns;
			f->ts_canon = plain && m->ts_canon;
			return 0;
		}
		bool written;
		if (m && m->ts_canon && same_minute(m->ts_raw, m->ts_len, v, vl, m->ts_ns, &ev->ts_ns)) {
			written = true;
		} else {
			if (time_parse_rfc3339(v, vl, &ev->ts_ns) != 0)
				return -1;
			char canon[WARD_RFC3339_LEN];
			time_format_rfc3339(ev->ts_ns, canon);
			written = strlen(canon) == vl && memcmp(canon, v, vl) == 0;
		}
		f->ts_canon = plain && written;
		if (vl <= sizeof(m->ts_raw)) {
			m = memo_of(ev);
			memcpy(m->ts_raw, v, vl);
			m->ts_len = vl;
			m->ts_ns = ev->ts_ns;
			m->ts_canon = written;
		}
		return 0;
	}
	if (bit == M_LINE) {
		f->line_at = at;
		f->line_end = f->i;
		/* unescaped: the value is the record's bytes, which hold no '"',
		 * '\\' or control byte, and valid UTF-8 (str): written as they are */
		f->line_canon = v == f->s + at + 1;
		ev->line = keep(f, at, v, vl);
		ev->line_len = vl;
		return 0;
	}
	if (v != f->s + at + 1 && memchr(v, '\0', vl))
		return -1;	/* only an escape (\u0000) puts a NUL in a string */
	ev->rule = keep(f, at, v, vl);
	return 0;
}

/* Set ev->raw_head when the record begins with exactly the bytes
 * event_serialize_head writes: {"v":1,"ts":TS,"labels":{...},"line":LINE
 * with each part in its written form. */
static void note_raw_head(const struct fd *f, struct ward_event *ev)
{
	static const char v_ts[] = "{\"v\":1,\"ts\":", labels[] = ",\"labels\":", line[] = ",\"line\":";
	if (!f->ts_canon || !f->labels_canon || !f->line_canon || f->ts_at != sizeof(v_ts) - 1 ||
	    memcmp(f->s, v_ts, sizeof(v_ts) - 1) != 0 ||
	    f->labels_at != f->ts_end + sizeof(labels) - 1 ||
	    memcmp(f->s + f->ts_end, labels, sizeof(labels) - 1) != 0 ||
	    f->line_at != f->labels_end + sizeof(line) - 1 ||
	    memcmp(f->s + f->labels_end, line, sizeof(line) - 1) != 0)
		return;
	ev->raw_head = f->s;
	ev->raw_head_len = f->line_end;
}

/* Whether the record holds lit (a string constant) at f->i; f->i moves
 * past it if so. */
#define AT(f, lit) ((f)->n - (f)->i > sizeof(lit) - 1 && !memcmp((f)->s + (f)->i, lit, sizeof(lit) - 1) && \
		    ((f)->i += sizeof(lit) - 1, true))

/* The members ward-ingest writes first, in its order and without space
 * (`{"v":1,"ts":...,"labels":...,"line":...`), their names matched as runs
 * of bytes instead of read one by one. f->i is at the record's start; the
 * record does not begin so: 1, untouched. Else f->i is past the last of
 * them read, where the member loop goes on (at the separator after a
 * value), and the result is member's: 0, or -1 (the loop would have
 * called member there and failed alike). */
static int head_members(struct fd *f, struct ward_event *ev, unsigned *seen)
{
	if (!AT(f, "{\"v\":1,\"ts\":"))
		return 1;
	*seen = M_V;
	if (member(f, ev, "ts", 2, seen) != 0)
		return -1;
	if (!AT(f, ",\"labels\":"))
		return 0;
	if (member(f, ev, "labels", 6, seen) != 0)
		return -1;
	if (!AT(f, ",\"line\":"))
		return 0;
	return member(f, ev, "line", 4, seen);
}

int event_decode_fast(struct ward_event *ev, const char *json, size_t len, struct ward_buf *scratch)
{
	struct fd f = { .s = json, .n = len, .sb = scratch, .ev = ev };
	char key[16];
	unsigned seen = 0;
	event_reset(ev);
	if (len == 0 || json[0] != '{')
		return -1;
	int head = head_members(&f, ev, &seen);
	if (head < 0)
		goto slow;
	if (head == 0)
		goto next;
	f.i = 1;
	ws(&f);
	if (f.i < f.n && f.s[f.i] == '}') {
		f.i++;
		goto end;
	}
	for (;;) {
		const char *k;
		size_t kl;
		ws(&f);
		if (f.i >= f.n || f.s[f.i] != '"' || key_str(&f, &k, &kl) != 0 || kl >= sizeof(key))
			goto slow;
		memcpy(key, k, kl);
		ws(&f);
		if (f.i >= f.n || f.s[f.i++] != ':')
			goto slow;
		ws(&f);
		if (member(&f, ev, key, kl, &seen) != 0)
			goto slow;
next:		/* after a member's value */
		ws(&f);
		if (f.i < f.n && f.s[f.i] == ',') {
			f.i++;
			continue;
		}
		if (f.i < f.n && f.s[f.i] == '}') {
			f.i++;
			break;
		}
		goto slow;
	}
end:
	while (f.i < f.n && (f.s[f.i] == ' ' || f.s[f.i] == '\t' || f.s[f.i] == '\r'))
		f.i++;
	if (f.i == f.n) {
		note_raw_head(&f, ev);
		return 0;
	}
slow:
	event_reset(ev);
	return -1;
}
