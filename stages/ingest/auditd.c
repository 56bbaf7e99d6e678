/* auditd.c - auditd's records (see auditd.h). Written in the style of
 * tcpdump's printers: every byte read is behind a length check, nothing is
 * assumed of what follows a token. */
#include "stages/ingest/auditd.h"

#include <stdbool.h>
#include <string.h>

#include "stages/ingest/auditd_time.h"
#include "hex.h"

void auditd_record_init(struct auditd_record *r)
{
	memset(r, 0, sizeof *r);
}

void auditd_record_free(struct auditd_record *r)
{
	buf_free(&r->store);
}

static bool is_sep(char c)
{
	/* 0x1d (GS) starts the enriched format's interpreted pairs */
	return c == ' ' || c == '\t' || c == 0x1d;
}

/* Append s[0..n) and a NUL to the store: its offset. */
static size_t store_put(struct auditd_record *r, const char *s, size_t n)
{
	size_t off = r->store.len;
	buf_append(&r->store, s, n);
	buf_append_char(&r->store, '\0');
	return off;
}

/* The names auparse reads as escaped strings (its typetab's T_ESCAPED and
 * T_PROCTITLE), whose unquoted values are hex. */
static bool escaped_name(const char *k, size_t kn)
{
	static const char *const names[] = {
		"path", "comm", "exe", "file", "name", "watch", "cwd", "cmd",
		"acct", "dir", "key", "ocomm", "proctitle",
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (kn == strlen(names[i]) && memcmp(k, names[i], kn) == 0)
			return true;
	return false;
}

/* An EXECVE argument name: "a" digits, or "a" digits "[" digits "]" (a
 * piece of a long one); *base is the length of "aN". */
static bool execve_arg(const char *k, size_t kn, size_t *base)
{
	size_t i = 1;
	if (kn < 2 || k[0] != 'a')
		return false;
	while (i < kn && k[i] >= '0' && k[i] <= '9')
		i++;
	if (i == 1)
		return false;
	if (i < kn) {
		if (k[i] != '[' || k[kn - 1] != ']' || kn - i < 3)
			return false;
		for (size_t j = i + 1; j < kn - 1; j++)
			if (k[j] < '0' || k[j] > '9')
				return false;
	}
	*base = i;
	return true;
}

static bool all_hex(const char *v, size_t vn)
{
	if (vn == 0 || vn % 2)
		return false;
	for (size_t i = 0; i < vn; i++)
		if (hex_digit_value((unsigned char)v[i]) < 0)
			return false;
	return true;
}

/* Decode vn hex digits at v into the store (a proctitle's NULs between
 * arguments as spaces, its trailing ones dropped): the value's offset and
 * *outn. */
static size_t store_hex(struct auditd_record *r, const char *v, size_t vn, bool proctitle,
			size_t *outn)
{
	while (proctitle && vn >= 2 && v[vn - 2] == '0' && v[vn - 1] == '0')
		vn -= 2;
	size_t off = r->store.len;
	buf_reserve(&r->store, vn / 2 + 1);
	for (size_t i = 0; i + 1 < vn; i += 2) {
		char c = (char)(hex_digit_value((unsigned char)v[i]) * 16 +
				hex_digit_value((unsigned char)v[i + 1]));
		buf_append_char(&r->store, c == '\0' && proctitle ? ' ' : c);
	}
	*outn = r->store.len - off;
	buf_append_char(&r->store, '\0');
	return off;
}

/* The key as a label-safe name, into the store. */
static size_t store_key(struct auditd_record *r, const char *k, size_t kn)
{
	size_t off = r->store.len;
	buf_reserve(&r->store, kn + 1);
	for (size_t i = 0; i < kn; i++) {
		char c = k[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
			  (c >= '0' && c <= '9' && i > 0);
		buf_append_char(&r->store, ok ? c : '_');
	}
	buf_append_char(&r->store, '\0');
	return off;
}

/* One pair: key k[0..kn) (raw), value v[0..vn) (without its quotes). */
static void add_pair(struct auditd_record *r, const char *k, size_t kn, const char *v, size_t vn,
		     bool quoted, bool execve, bool tty)
{
	size_t base = kn;
	bool arg = execve && execve_arg(k, kn, &base);
	bool hex = !quoted && all_hex(v, vn) &&
		   (arg || escaped_name(k, kn) || (tty && kn == 4 && memcmp(k, "data", 4) == 0));
	bool proctitle = kn == 9 && memcmp(k, "proctitle", 9) == 0;
	/* A piece a1[i] of a long argument continues a1 when a1 is the last pair. */
	if (arg && base < kn && r->npairs > 0) {
		struct auditd_pair *last = &r->pairs[r->npairs - 1];
		if (last->klen == base && memcmp(r->store.data + last->key, k, base) == 0 &&
		    last->val + last->vlen + 1 == r->store.len) {
			r->store.len--;	/* the NUL, appended again below */
			size_t more;
			if (hex)
				store_hex(r, v, vn, false, &more);
			else
				more = vn, store_put(r, v, vn);
			last->vlen += more;
			return;
		}
	}
	if (r->npairs == AUDITD_MAX_PAIRS) {
		r->dropped++;
		return;
	}
	struct auditd_pair *p = &r->pairs[r->npairs++];
	p->klen = base;
	p->key = store_key(r, k, base);
	if (hex)
		p->val = store_hex(r, v, vn, proctitle, &p->vlen);
	else
		p->vlen = vn, p->val = store_put(r, v, vn);
}

/* At a nested msg='...': its closing quote is the first one followed by a
 * separator or the end (a value may hold a single quote: acct="o'brien").
 * The index of that quote, or n if there is none. */
static size_t nested_end(const char *s, size_t n, size_t i)
{
	for (; i < n; i++)
		if (s[i] == '\'' && (i + 1 == n || is_sep(s[i + 1])))
			return i;
	return n;
}

/* The pairs of s[i..n); nested: inside msg='...' (one level only). */
static void parse_pairs(struct auditd_record *r, const char *s, size_t n, size_t i, bool nested,
			bool execve, bool tty)
{
	while (i < n) {
		while (i < n && is_sep(s[i]))
			i++;
		size_t k0 = i;
		while (i < n && s[i] != '=' && !is_sep(s[i]))
			i++;
		if (i >= n || s[i] != '=' || i == k0 || i - k0 > AUDITD_MAX_KEY) {
			while (i < n && !is_sep(s[i]))	/* a word, not a pair ("avc:", "denied") */
				i++;
			continue;
		}
		size_t kn = i - k0;
		i++;
		if (i < n && s[i] == '\'' && !nested && kn == 3 && memcmp(s + k0, "msg", 3) == 0) {
			size_t e = nested_end(s, n, i + 1);
			parse_pairs(r, s, e, i + 1, true, execve, tty);
			i = e < n ? e + 1 : n;
			continue;
		}
		if (i < n && s[i] == '"') {
			size_t v0 = ++i;
			while (i < n && s[i] != '"')
				i++;
			add_pair(r, s + k0, kn, s + v0, i - v0, true, execve, tty);
			if (i < n)
				i++;
			continue;
		}
		size_t v0 = i;
		while (i < n && !is_sep(s[i]))
			i++;
		add_pair(r, s + k0, kn, s + v0, i - v0, false, execve, tty);
	}
}

/* "KEY=TOKEN" at s[*i] followed by a blank: the token's offset and length. */
static bool header_pair(const char *s, size_t n, size_t *i, const char *key, size_t kn,
			size_t *t0, size_t *tn)
{
	if (n - *i < kn || memcmp(s + *i, key, kn) != 0)
		return false;
	size_t j = *i + kn;
	while (j < n && !is_sep(s[j]))
		j++;
	if (j == *i + kn || j >= n)
		return false;
	*t0 = *i + kn;
	*tn = j - *t0;
	*i = j + 1;
	return true;
}

int auditd_parse(const char *line, size_t len, int64_t year_ref_ns, struct auditd_record *r,
		 const char **why)
{
	buf_reset(&r->store);
	r->npairs = r->dropped = 0;
	r->node_len = r->type_len = 0;
	size_t off = auditd_record_offset(line, len, year_ref_ns);
	if (off == (size_t)-1) {
		*why = "not an audit record (no type=... msg=audit(...) at its start)";
		return -1;
	}
	const char *s = line + off;
	size_t n = len - off, i = 0, t0, tn;
	if (header_pair(s, n, &i, "node=", 5, &t0, &tn)) {
		r->node_len = tn;
		r->node = store_put(r, s + t0, tn);
	}
	if (!header_pair(s, n, &i, "type=", 5, &t0, &tn) || n - i < 4 || memcmp(s + i, "msg=", 4) != 0) {
		*why = "audit record without type= and msg=";
		return -1;
	}
	r->type_len = tn;
	r->type = store_put(r, s + t0, tn);
	size_t used;
	i += 4;
	if (auditd_stamp(s + i, n - i, &r->ts_ns, &r->serial, &used) != 0) {
		*why = "audit record with a malformed msg=audit(SECONDS.MILLIS:SERIAL)";
		return -1;
	}
	i += used;
	if (i < n && s[i] == ':')
		i++;
	bool execve = tn == 6 && memcmp(s + t0, "EXECVE", 6) == 0;
	bool tty = (tn == 3 && memcmp(s + t0, "TTY", 3) == 0) ||
		   (tn == 8 && memcmp(s + t0, "USER_TTY", 8) == 0);
	parse_pairs(r, s, n, i, false, execve, tty);
	return 0;
}

void auditd_to_event(const struct auditd_record *r, const char *line, size_t len,
		     struct ward_event *ev)
{
	event_set_line(ev, line, len);
	event_set_field(ev, "type", auditd_str(r, r->type), r->type_len);
	event_set_label(ev, "type", auditd_str(r, r->type), r->type_len);
	event_set_field_int(ev, "serial", (int64_t)r->serial);
	if (r->node_len)
		event_set_field(ev, "node", auditd_str(r, r->node), r->node_len);
	for (size_t i = 0; i < r->npairs; i++) {
		const struct auditd_pair *p = &r->pairs[i];
		const char *k = auditd_str(r, p->key);
		if (!event_field(ev, k))	/* the first pair of a name wins */
			event_set_field(ev, k, auditd_str(r, p->val), p->vlen);
	}
	ev->ts_ns = r->ts_ns;
}
