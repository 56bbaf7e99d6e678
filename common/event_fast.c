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
};

static void ws(struct fd *f)
{
	while (f->i < f->n && (f->s[f->i] == ' ' || f->s[f->i] == '\t' || f->s[f->i] == '\n' || f->s[f->i] == '\r'))
		f->i++;
}

/* A JSON string at f->i ('"'). *out points into the input when there are
 * no escapes, else into f->sb. -1 for anything outside the subset: what
 * jsonstr refuses, any \u surrogate (json-c decides those, and not always
 * as a pair would decode), and invalid UTF-8. */
static inline int str(struct fd *f, const char **out, size_t *len)
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
