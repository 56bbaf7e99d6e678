/* logql_litalt.c - line regexes that are only an alternation of literals
 * (see logql_regex_literal_set in logql.h).
 *
 * The rule packs' line gates are alternations of words factored by
 * prefix, `(?i)(?:%2(?:527|7)|'|;|c(?:hr|oncat))`: PCRE2 runs each over the
 * whole line, while the engine's one-pass literal scan already knows which
 * literals the line holds. This reads such a regex into its exact literal
 * set (the groups multiplied out), so that the line filter can answer from
 * the scan. Anything beyond plain ASCII literals, escaped punctuation,
 * \xHH, '|', plain groups and '?' gives up: that only costs speed. The
 * line filters answer from the set here too (logql_alt_lits_match). */
#include <string.h>

#include "hex.h"
#include "logql_engine_int.h"

#define LITALT_MAX_DEPTH 16

/* A set of literals being built: literal i is text[off[i]..off[i]+len[i]). */
struct litset {
	struct ward_buf text;
	size_t off[LOGQL_LITALT_MAX];
	size_t len[LOGQL_LITALT_MAX];
	size_t n;
};

struct reader {
	const char *re;
	size_t n, i;
	bool fail;
};

static void set_add(struct reader *r, struct litset *s, const char *a, size_t alen, const char *b, size_t blen)
{
	if (s->n == LOGQL_LITALT_MAX || alen + blen > LOGQL_LITALT_MAX_LEN) {
		r->fail = true;
		return;
	}
	s->off[s->n] = s->text.len;
	s->len[s->n++] = alen + blen;
	if (alen)
		buf_append(&s->text, a, alen);
	if (blen)
		buf_append(&s->text, b, blen);
}

/* Literal k of s: a set holding only empty literals has no buffer yet, and
 * NULL + 0 is undefined behaviour in C. */
static const char *set_lit(const struct litset *s, size_t k)
{
	return s->text.data ? s->text.data + s->off[k] : "";
}

static bool is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* One literal byte at r->i (a plain printable ASCII byte that is not a
 * metacharacter, escaped punctuation, or \xHH below 0x80), or -1. */
static int read_byte(struct reader *r)
{
	unsigned char c = (unsigned char)r->re[r->i];
	if (c == '\\') {
		if (r->i + 1 >= r->n)
			return -1;
		unsigned char e = (unsigned char)r->re[r->i + 1];
		if (e == 'x' && r->i + 3 < r->n) {
			int h = hex_digit_value((unsigned char)r->re[r->i + 2]);
			int l = hex_digit_value((unsigned char)r->re[r->i + 3]);
			/* \xHHH... is still two digits in PCRE2 and Go */
			if (h < 0 || l < 0 || h * 16 + l == 0 || h * 16 + l >= 0x80)
				return -1;
			r->i += 4;
			return h * 16 + l;
		}
		if (e < 0x20 || e >= 0x7f || is_alnum(e))
			return -1;
		r->i += 2;
		return e;
	}
	if (c < 0x20 || c >= 0x7f || strchr("^$.|?*+()[]{}", c))
		return -1;
	r->i++;
	return c;
}

static void read_alt(struct reader *r, int depth, struct litset *out);

/* A sequence up to '|', ')' or the end: its literals multiplied out. */
static void read_seq(struct reader *r, int depth, struct litset *out)
{
	struct litset cur = { .text = WARD_BUF_INIT }, item = { .text = WARD_BUF_INIT };
	set_add(r, &cur, "", 0, "", 0);
	while (!r->fail && r->i < r->n && r->re[r->i] != '|' && r->re[r->i] != ')') {
		buf_reset(&item.text);
		item.n = 0;
		if (r->re[r->i] == '(') {
			r->i++;
			if (r->i + 1 < r->n && r->re[r->i] == '?') {
				if (r->re[r->i + 1] != ':') {
					r->fail = true;
					break;
				}
				r->i += 2;
			}
			read_alt(r, depth + 1, &item);
			if (r->fail || r->i >= r->n || r->re[r->i] != ')') {
				r->fail = true;
				break;
			}
			r->i++;
		} else {
			int b = read_byte(r);
			if (b < 0) {
				r->fail = true;
				break;
			}
			char ch = (char)b;
			set_add(r, &item, &ch, 1, "", 0);
		}
		/* X? is (?:X|); lazy and possessive forms, other quantifiers: give up */
		if (r->i + 1 < r->n && r->re[r->i] == '?' && r->re[r->i + 1] != '?' && r->re[r->i + 1] != '+') {
			set_add(r, &item, "", 0, "", 0);
			r->i++;
		} else if (r->i + 1 == r->n && r->re[r->i] == '?') {
			set_add(r, &item, "", 0, "", 0);
			r->i++;
		}
		if (r->i < r->n && strchr("?*+{", r->re[r->i])) {
			r->fail = true;
			break;
		}
		struct litset next = { .text = WARD_BUF_INIT };
		for (size_t a = 0; a < cur.n && !r->fail; a++)
			for (size_t b = 0; b < item.n && !r->fail; b++)
				set_add(r, &next, set_lit(&cur, a), cur.len[a], set_lit(&item, b), item.len[b]);
		buf_free(&cur.text);
		cur = next;
	}
	for (size_t a = 0; a < cur.n && !r->fail; a++)
		set_add(r, out, set_lit(&cur, a), cur.len[a], "", 0);
	buf_free(&cur.text);
	buf_free(&item.text);
}

static void read_alt(struct reader *r, int depth, struct litset *out)
{
	if (depth > LITALT_MAX_DEPTH) {
		r->fail = true;
		return;
	}
	read_seq(r, depth, out);
	while (!r->fail && r->i < r->n && r->re[r->i] == '|') {
		r->i++;
		read_seq(r, depth, out);
	}
}

/* Has ASCII letter c a case partner outside ASCII under Unicode simple case
 * folding (PCRE2 with PCRE2_UTF, Go's (?i))? k: U+212A KELVIN SIGN, s:
 * U+017F LATIN SMALL LETTER LONG S; no other ASCII letter has one. */
static bool folds_outside_ascii(char c)
{
	return c == 'k' || c == 'K' || c == 's' || c == 'S';
}

bool logql_regex_literal_set(const char *re, size_t n, struct logql_litalt *out)
{
	struct reader r = { .re = re, .n = n };
	struct litset set = { .text = WARD_BUF_INIT };
	out->n = 0;
	out->icase = out->ascii_lines_only = false;
	if (n >= 4 && !memcmp(re, "(?i)", 4)) {
		out->icase = true;
		r.i = 4;
	}
	read_alt(&r, 0, &set);
	if (r.i != n)
		r.fail = true;
	for (size_t k = 0; k < set.n && !r.fail; k++)
		if (set.len[k] == 0)	/* an empty branch matches every line */
			r.fail = true;
	if (r.fail) {
		buf_free(&set.text);
		return false;
	}
	buf_reset(&out->text);
	for (size_t k = 0; k < set.n; k++) {
		const char *lit = set_lit(&set, k);
		out->off[k] = out->text.len;
		out->len[k] = set.len[k];
		buf_append(&out->text, lit, set.len[k]);	/* len >= 1 */
		for (size_t j = 0; j < set.len[k] && out->icase; j++)
			if (folds_outside_ascii(lit[j]))
				out->ascii_lines_only = true;
	}
	out->n = set.n;
	buf_free(&set.text);
	return true;
}

/* ---- answering a line filter from the set (logql_eval.c) ---------------------- */

/* Is the current line free of bytes >= 0x80 (cached for the original)? */
bool logql_line_ascii(struct logql_ctx *cx)
{
	if (cx->line_original && cx->ascii_gen == cx->gen)
		return cx->ascii_val;
	bool v = true;
	for (size_t i = 0; i < cx->line_len && v; i++)
		v = (unsigned char)cx->line[i] < 0x80;
	if (cx->line_original) {
		cx->ascii_gen = cx->gen;
		cx->ascii_val = v;
	}
	return v;
}

static void on_alt_lit(unsigned id, void *ud)
{
	(void)id;
	*(bool *)ud = true;
}

/* Does the line hold one of a's literals? That is rx's answer
 * (logql_regex_literal_set), cached as rx's. */
bool logql_alt_lits_match(struct logql_ctx *cx, const struct calt *a)
{
	if (cx->line_original && cx->rx_gen[a->rx] == cx->gen)
		return cx->rx_val[a->rx];
	bool v = false;
	if (!a->ls || litscan_scratch_for(a->ls, &cx->alt_scratch) != 0 ||
	    litscan_scan(a->ls, cx->alt_scratch, cx->line, cx->line_len, on_alt_lit, &v) != 0) {
		v = false;
		for (size_t i = 0; i < a->nlits && !v; i++)
			v = logql_ctx_has_lit(cx, a->lits[i], cx->line, cx->line_len, cx->line_original);
	}
	if (cx->line_original) {
		cx->rx_gen[a->rx] = cx->gen;
		cx->rx_val[a->rx] = v;
	}
	return v;
}
