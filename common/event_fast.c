/* event_fast.c - strict-subset event decoder (see event_fast.h). */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "event_fast.h"
#include "jsonscan.h"
#include "utf8.h"
#include "wtime.h"

struct fd {
	const char *s;
	size_t n, i;
	struct ward_buf *sb;
};

static void ws(struct fd *f)
{
	while (f->i < f->n && (f->s[f->i] == ' ' || f->s[f->i] == '\t' || f->s[f->i] == '\n' || f->s[f->i] == '\r'))
		f->i++;
}

static int hexv(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

/* One escape at f->i into *d (output never outgrows the input, so the
 * caller reserved enough). */
static int escape(struct fd *f, char **d)
{
	if (f->i + 1 >= f->n)
		return -1;
	char e = f->s[f->i + 1];
	f->i += 2;
	switch (e) {
	case '"': case '\\': case '/': *(*d)++ = e; return 0;
	case 'b': *(*d)++ = '\b'; return 0;
	case 'f': *(*d)++ = '\f'; return 0;
	case 'n': *(*d)++ = '\n'; return 0;
	case 'r': *(*d)++ = '\r'; return 0;
	case 't': *(*d)++ = '\t'; return 0;
	case 'u': break;
	default: return -1;
	}
	if (f->i + 4 > f->n)
		return -1;
	int v = 0;
	for (int k = 0; k < 4; k++) {
		int h = hexv(f->s[f->i + k]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	f->i += 4;
	if (v >= 0xD800 && v < 0xE000)
		return -1;	/* surrogates: leave them to json-c */
	if (v < 0x80) {
		*(*d)++ = (char)v;
	} else if (v < 0x800) {
		*(*d)++ = (char)(0xC0 | (v >> 6));
		*(*d)++ = (char)(0x80 | (v & 0x3F));
	} else {
		*(*d)++ = (char)(0xE0 | (v >> 12));
		*(*d)++ = (char)(0x80 | ((v >> 6) & 0x3F));
		*(*d)++ = (char)(0x80 | (v & 0x3F));
	}
	return 0;
}

/* A JSON string at f->i ('"'). *out points into the input when there are
 * no escapes, else into f->sb. -1 for anything outside the subset. */
static int str(struct fd *f, const char **out, size_t *len)
{
	size_t start = ++f->i;
	bool high = false;
	char *d = NULL;		/* write position in f->sb once escaped */
	for (;;) {
		size_t p = json_scan_special(f->s, f->i, f->n, &high);
		if (d) {
			memcpy(d, f->s + f->i, p - f->i);
			d += p - f->i;
		}
		f->i = p;
		if (p >= f->n || (unsigned char)f->s[p] < 0x20)
			return -1;
		if (f->s[p] == '"')
			break;
		if (!d) {	/* first escape: copy what came before */
			buf_reset(f->sb);
			buf_reserve(f->sb, f->n - start + 1);
			memcpy(f->sb->data, f->s + start, p - start);
			d = f->sb->data + (p - start);
		}
		if (escape(f, &d) != 0)
			return -1;
	}
	if (d) {
		f->sb->len = (size_t)(d - f->sb->data);
		*out = f->sb->data;
		*len = f->sb->len;
	} else {
		*out = f->s + start;
		*len = f->i - start;
	}
	f->i++;
	if (high && !utf8_valid(*out, *len))
		return -1;
	return 0;
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
		if (f->i >= f->n || f->s[f->i] != '"' || str(f, &k, &kl) != 0)
			return -1;
		if (kl > WARD_EVENT_MAX_KEY_LEN || memchr(k, '\0', kl))
			return -1;
		memcpy(key, k, kl);	/* the value may reuse the scratch buffer */
		key[kl] = '\0';
		ws(f);
		if (f->i >= f->n || f->s[f->i++] != ':')
			return -1;
		ws(f);
		if (f->i >= f->n || f->s[f->i] != '"' || str(f, &v, &vl) != 0)
			return -1;
		if (ev->labels.len + ev->fields.len >= WARD_EVENT_MAX_KEYS - 1)
			return -1;
		if (labels)
			event_set_label(ev, key, v, vl);
		else
			event_set_field(ev, key, v, vl);
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
	if (bit == M_LABELS || bit == M_FIELDS)
		return kvs(f, ev, bit == M_LABELS);
	if (f->i >= f->n || f->s[f->i] != '"' || str(f, &v, &vl) != 0)
		return -1;
	if (bit == M_TS)
		return time_parse_rfc3339(v, vl, &ev->ts_ns);
	if (bit == M_LINE) {
		event_set_line(ev, v, vl);
		return 0;
	}
	if (memchr(v, '\0', vl))
		return -1;
	char *rule = (char *)event_strdup(ev, v, vl);
	event_set_rule(ev, rule);
	return 0;
}

int event_decode_fast(struct ward_event *ev, const char *json, size_t len, struct ward_buf *scratch)
{
	struct fd f = { json, len, 0, scratch };
	char key[16];
	unsigned seen = 0;
	event_reset(ev);
	if (len == 0 || json[0] != '{')
		return -1;
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
		if (f.i >= f.n || f.s[f.i] != '"' || str(&f, &k, &kl) != 0 || kl >= sizeof(key))
			goto slow;
		memcpy(key, k, kl);
		ws(&f);
		if (f.i >= f.n || f.s[f.i++] != ':')
			goto slow;
		ws(&f);
		if (member(&f, ev, key, kl, &seen) != 0)
			goto slow;
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
	if (f.i == f.n)
		return 0;
slow:
	event_reset(ev);
	return -1;
}
