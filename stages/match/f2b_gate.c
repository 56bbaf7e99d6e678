/* f2b_gate.c - the prefilter of a set of fail2ban filters (see f2b_gate.h). */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "litscan.h"
#include "logql.h"
#include "stages/match/f2b_date.h"
#include "stages/match/f2b_filter.h"
#include "stages/match/f2b_gate.h"
#include "stages/match/f2b_regex.h"

/* One literal scan (litscan.h) of the raw line says which filters can
 * produce anything for it. A filter's gate is a list of literals a line
 * must contain (any one of them) for the filter to report or to change its
 * state:
 *   - its prefregex's required literals (logql_regex_required: alternatives
 *     and (?i) understood), when it has some: no failure without it;
 *   - else the union over its failregexes of each one's required literals
 *     (logql_regex_required, else the top-level literal of
 *     f2b_required_literal); one failregex without any makes the filter
 *     ungated (run on every line).
 * Ungated too, because a line that matches nothing still changes them:
 * maxlines > 1 filters with a prefregex or a failregex without a one-line
 * literal (every line enters the buffer). The other filters that keep
 * lines (f2b_filter_keeps_lines: a maxlines > 1 buffer, or a datepattern
 * that can find an empty date, `()`: such a line takes the date of the
 * last one, which every dated line sets) are gated, and a refused line
 * still enters their buffer and their last date (f2b_filter_skip, via
 * gate.skip).
 * <F-MLFID> state and the ignoreregexes change only on lines a failregex
 * matches, so skipping the others changes nothing. A literal holding "\n"
 * is not used (the regexes see the line plus a final "\n" the raw line
 * lacks). Literals are searched in the raw line; the regexes search it
 * with its date cut out, where a literal can occur across the cut (text
 * before the date joined to text after it: apache-pass's `[] "GET`), so a
 * filter whose date is cut from inside the line has the cut line scanned
 * too (f2b_gate_admits). */
struct gate_lits {
	char **lit;
	size_t *len;
	bool *icase;
	unsigned *id;	/* the filter's index */
	size_t n;
};

static void gate_add(struct gate_lits *g, const char *s, size_t n, bool icase, unsigned filter)
{
	g->lit = ward_xrealloc(g->lit, (g->n + 1) * sizeof(*g->lit));
	g->len = ward_xrealloc(g->len, (g->n + 1) * sizeof(*g->len));
	g->icase = ward_xrealloc(g->icase, (g->n + 1) * sizeof(*g->icase));
	g->id = ward_xrealloc(g->id, (g->n + 1) * sizeof(*g->id));
	g->lit[g->n] = ward_xstrndup(s, n);
	g->len[g->n] = n;
	g->icase[g->n] = icase;
	g->id[g->n] = filter;
	g->n++;
}

/* The end (index after ')') of the group opening at re[i], or 0. */
static size_t group_end(const char *re, size_t n, size_t i)
{
	size_t close = logql_regex_group_close(re, n, i);
	return close ? close + 1 : 0;
}

static size_t req_min_len(const struct logql_req *q)
{
	size_t m = SIZE_MAX;
	for (size_t k = 0; k < q->n; k++)
		if (q->len[k] < m)
			m = q->len[k];
	return q->n ? m : 0;
}

/* The required literals of re[0..n) (logql_regex_required), else those of a
 * group every match passes through once: a top-level group with no
 * quantifier after it, in a pattern without a top-level `|`, that is not a
 * lookaround or a condition (`(?:NOTICE|SECURITY|WARNING)` in asterisk's
 * prefregex, `(?P<nofail>Connection from)` in sshd's), its content
 * analysed the same way (depth levels at most). The caller has refused
 * inline flags, so no group is caseless where logql_regex_required cannot
 * see it. Returns out->n. */
static size_t required_deep(const char *re, size_t n, struct logql_req *out, int depth)
{
	if (logql_regex_required(re, n, 3, out) || depth == 0)
		return out->n;
	struct logql_req best = { 0 }, cur = { 0 };
	for (size_t i = 0; i < n; i++) {
		char c = re[i];
		if (c == '\\') {
			i++;
		} else if (c == '|') {
			best.n = 0;	/* a top-level alternation: no group is required */
			break;
		} else if (c == '[') {
			size_t e = logql_regex_class_end(re, n, i);
			if (!e) {
				best.n = 0;
				break;
			}
			i = e - 1;
		} else if (c == '(') {
			size_t e = group_end(re, n, i);
			if (!e) {
				best.n = 0;
				break;
			}
			size_t body = i + 1;
			bool ok = true;
			if (body < n && re[body] == '?') {
				if (body + 1 < n && (re[body + 1] == ':' || re[body + 1] == '>'))
					body += 2;
				else if (body + 2 < n && re[body + 1] == 'P' && re[body + 2] == '<')
					body = (size_t)((const char *)memchr(re + body, '>', e - body) - re) + 1;
				else
					ok = false;	/* lookaround, condition, back reference */
			}
			bool quant = e < n && strchr("?*+{", re[e]);
			if (ok && !quant && required_deep(re + body, e - 1 - body, &cur, depth - 1) &&
			    req_min_len(&cur) > req_min_len(&best)) {
				struct logql_req tmp = best;	/* swap: cur's buffer is reused */
				best = cur;
				cur = tmp;
			}
			i = e - 1;
		}
	}
	buf_free(&cur.text);
	if (best.n) {
		buf_free(&out->text);
		*out = best;
	} else {
		buf_free(&best.text);
	}
	return out->n;
}

/* Inline flags anywhere ((?i), (?x), (?-i:...)): the deep analysis stops. */
static bool has_inline_flags(const char *re)
{
	for (const char *q = re; (q = strstr(q, "(?")) != NULL; q += 2)
		if ((isalpha((unsigned char)q[2]) && q[2] != 'P') || q[2] == '-' || q[2] == '^')
			return true;
	return false;
}

/* The literals of the regex src (or lit, the one f2b_required_literal found
 * in it) into g for filter fi; false if it has none usable. */
static bool src_gate(const char *src, const char *lit, size_t litlen, struct gate_lits *g, unsigned fi)
{
	struct logql_req req = { 0 };
	size_t n = logql_regex_required(src, strlen(src), 3, &req);
	if (n == 0 && !has_inline_flags(src))
		n = required_deep(src, strlen(src), &req, 4);
	bool ok = n > 0;
	for (size_t k = 0; ok && k < n; k++)
		if (memchr(req.text.data + req.off[k], '\n', req.len[k]))
			ok = false;
	if (ok) {
		for (size_t k = 0; k < n; k++)
			gate_add(g, req.text.data + req.off[k], req.len[k], req.icase, fi);
	} else if (litlen && !memchr(lit, '\n', litlen)) {
		gate_add(g, lit, litlen, false, fi);
		ok = true;
	}
	buf_free(&req.text);
	return ok;
}

/* re without what stops the literal analysis and cannot hold a required
 * literal outside itself: a group with scoped flags (`(?i:expn|vrfy)` in
 * sendmail-reject) becomes `(?:.)` (one unknown character: the literals
 * around it stay apart), an escaped space (`\ ` in stunnel) a space.
 * False when nothing changed. */
static bool without_scoped_flags(const char *re, struct ward_buf *out)
{
	size_t n = strlen(re);
	bool changed = false;
	buf_reset(out);
	for (size_t i = 0; i < n; i++) {
		if (re[i] == '\\' && i + 1 < n) {
			if (re[i + 1] == ' ') {
				buf_append_char(out, ' ');
				changed = true;
			} else {
				buf_append(out, re + i, 2);
			}
			i++;
			continue;
		}
		if (re[i] == '(' && i + 2 < n && re[i + 1] == '?' && (isalpha((unsigned char)re[i + 2]) || re[i + 2] == '-') &&
		    re[i + 2] != 'P') {
			size_t k = i + 2;
			while (k < n && (isalpha((unsigned char)re[k]) || re[k] == '-'))
				k++;
			size_t e = k < n && re[k] == ':' ? group_end(re, n, i) : 0;
			if (e) {
				buf_append_str(out, "(?:.)");
				changed = true;
				i = e - 1;
				continue;
			}
		}
		buf_append_char(out, re[i]);
	}
	return changed;
}

/* Is the class re[i..e) (e after its ']') a few ASCII punctuation bytes
 * taken literally (no escape, range, negation or POSIX class), none of
 * them "\n"? Their count, or 0. */
static size_t punct_class(const char *re, size_t i, size_t e)
{
	if (re[i + 1] == '^' || e - i - 2 > 4)
		return 0;
	for (size_t j = i + 1; j < e - 1; j++) {
		unsigned char b = (unsigned char)re[j];
		if (b == '\\' || b == '[' || b >= 0x80 || !ispunct(b) || (b == '-' && j != i + 1 && j != e - 2))
			return 0;
	}
	return e - i - 2;
}

/* The bytes of a top-level character class every match passes through
 * (3proxy's `[+-]`, its only literal text besides spaces): a class of at
 * most four ASCII punctuation bytes (punct_class), not quantified to allow
 * none, in a pattern without a top-level `|` or inline flags; the
 * smallest such class. Each byte is a one-byte literal: every byte of the
 * line the regexes see (the line with its date cut out, plus "\n") but
 * the final "\n" is a byte of the raw line, so a one-byte literal needs
 * no witness. False if there is none. */
static bool class_gate(const char *re, struct gate_lits *g, unsigned fi)
{
	size_t n = strlen(re), best = 0, best_n = 0;
	if (has_inline_flags(re))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (re[i] == '\\') {
			i++;
		} else if (re[i] == '|') {
			return false;
		} else if (re[i] == '(') {
			size_t e = group_end(re, n, i);
			if (!e)
				return false;
			i = e - 1;
		} else if (re[i] == '[') {
			size_t e = logql_regex_class_end(re, n, i);
			if (!e)
				return false;
			bool none_ok = e < n && (re[e] == '?' || re[e] == '*' || (re[e] == '{' && (re[e + 1] == '0' || re[e + 1] == ',')));
			size_t k = none_ok ? 0 : punct_class(re, i, e);
			if (k && (!best_n || k < best_n)) {
				best = i + 1;
				best_n = k;
			}
			i = e - 1;
		}
	}
	for (size_t k = 0; k < best_n; k++)
		gate_add(g, re + best + k, 1, false, fi);
	return best_n > 0;
}

/* The literals of one regex into g (for filter fi); false if it has none
 * usable (the filter must then run on every line). */
static bool rx_gate(struct f2b_rx_info r, struct gate_lits *g, unsigned fi)
{
	if (src_gate(r.src, r.lit, r.litlen, g, fi))
		return true;
	struct ward_buf plain = WARD_BUF_INIT;
	bool ok = false;
	if (without_scoped_flags(r.src, &plain)) {
		char lit[64];
		size_t litlen = f2b_required_literal(buf_cstr(&plain), lit, sizeof(lit));
		ok = src_gate(buf_cstr(&plain), lit, litlen, g, fi);
	}
	buf_free(&plain);
	return ok || class_gate(r.src, g, fi);
}

/* Literal k's bytes [off, off + n) as the witness of its splits at
 * [from, to] (filter g->id[k]). */
static void witness_add(struct f2b_gate *s, struct gate_lits *g, size_t k, size_t off, size_t n, size_t from,
			size_t to)
{
	s->wit = ward_xrealloc(s->wit, (s->nwit + 1) * sizeof(*s->wit));
	struct f2b_witness *w = &s->wit[s->nwit++];
	w->filter = g->id[k];
	w->icase = g->icase[k];
	w->from = from;
	w->to = to;
	w->lit = ward_xstrndup(g->lit[k], g->len[k]);
	w->len = g->len[k];
	gate_add(g, g->lit[k] + off, n, g->icase[k], g->id[k]);
}

/* The witnesses of literal k (m bytes) for the splits k in [a, b]: for
 * some j, L[j..m) (in the raw line after the date when k <= j) and
 * L[0..j+1) (before it when k > j), the shorter of the two as long as it
 * can be: short witnesses are common in lines and slow the scan. */
static void witnesses_for(struct f2b_gate *s, struct gate_lits *g, size_t k, size_t a, size_t b)
{
	size_t m = g->len[k], best_j = a - 1, best = 0;
	for (size_t j = a - 1; j <= b; j++) {
		size_t tail = j >= a ? m - j : SIZE_MAX, head = j < b ? j + 1 : SIZE_MAX;
		size_t worst = tail < head ? tail : head;
		if (worst > best) {
			best = worst;
			best_j = j;
		}
	}
	if (best_j >= a)
		witness_add(s, g, k, best_j, m - best_j, a, best_j);
	if (best_j < b)
		witness_add(s, g, k, 0, best_j + 1, best_j + 1, b);
}

/* The witnesses of literal k (m >= 2 bytes; one byte cannot be split):
 * any split k in [1, m-1]. When the filter's date starts within two
 * non-word characters of the line start (f2b_date_near_start), L[0..k)
 * is made of such characters' bytes: only the K leading bytes of L that
 * are no ASCII word character (8 at most: two characters of UTF-8) can
 * precede the date, so k is in [1, K], and a literal that starts with a
 * word character needs no witness (sshd's "Connection from"). */
static void witnesses_of(struct f2b_gate *s, struct gate_lits *g, size_t k, bool near_start)
{
	size_t m = g->len[k], K = m - 1;
	if (near_start)
		for (K = 0; K < 8 && K < m - 1; K++) {
			char c = g->lit[k][K];
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')
				break;
		}
	if (K)
		witnesses_for(s, g, k, 1, K);
}

static bool filter_gate(const struct f2b_filter *f, struct gate_lits *g, unsigned fi)
{
	if (!f2b_filter_gateable(f))
		return false;
	size_t mark = g->n;
	if (f2b_filter_nregex(f, F2B_PREFREGEX) && rx_gate(f2b_filter_regex(f, F2B_PREFREGEX, 0), g, fi))
		return true;
	for (size_t i = 0; i < f2b_filter_nregex(f, F2B_FAILREGEX); i++)
		if (!rx_gate(f2b_filter_regex(f, F2B_FAILREGEX, i), g, fi)) {
			while (g->n > mark) {	/* drop this filter's literals */
				g->n--;
				free(g->lit[g->n]);
			}
			return false;
		}
	return true;
}

size_t f2b_gate_build(struct f2b_gate *s, struct f2b_filter *const *f, size_t n)
{
	memset(s, 0, sizeof(*s));
	s->n = n;
	s->always = ward_xcalloc(n + 1, sizeof(*s->always));
	s->always_list = ward_xcalloc(n + 1, sizeof(*s->always_list));
	s->run = ward_xcalloc(n + 1, sizeof(*s->run));
	s->cand = ward_xcalloc(n + 1, sizeof(*s->cand));
	s->skip = ward_xcalloc(n + 1, sizeof(*s->skip));
	struct gate_lits g = { 0 };
	size_t ngated = 0;
	for (size_t i = 0; i < n; i++) {
		s->always[i] = !filter_gate(f[i], &g, (unsigned)i);
		ngated += !s->always[i];
		if (s->always[i])
			s->always_list[s->nalways++] = (unsigned)i;
		if (!s->always[i] && f2b_filter_keeps_lines(f[i]))
			s->skip[s->nskip++] = (unsigned)i;
	}
	s->nlits = g.n;
	/* Witnesses of a literal split by the cut-out date (f2b_gate_admits): a
	 * literal L (m bytes) that occurs in the cut line only across the cut
	 * leaves L[0..k) before the date and L[k..m) after it in the raw line,
	 * 0 < k < m: pieces of L that the raw line then holds (witnesses_of)
	 * are scanned with the literals; when one is found, the split points
	 * it allows are checked (both parts in the line: split_in_line), as
	 * short witnesses such as apache-badbots' "HT" of "HTTP" are common
	 * and both parts together are not. */
	s->maybe = ward_xcalloc(s->n + 1, sizeof(*s->maybe));
	for (size_t k = 0, n0 = g.n; k < n0; k++)
		if (g.len[k] >= 2)
			witnesses_of(s, &g, k, f2b_date_near_start(f2b_filter_date(f[g.id[k]])));
	s->wit_hit = ward_xcalloc(s->nwit + 1, sizeof(*s->wit_hit));
	if (g.n) {
		unsigned *ids = ward_xcalloc(g.n, sizeof(*ids));
		for (size_t k = 0; k < g.n; k++)
			ids[k] = (unsigned)k;
		s->lit_filter = g.id;
		g.id = NULL;
		s->scan = litscan_build((const char *const *)g.lit, g.len, g.icase, ids, g.n);
		free(ids);
		if (s->scan && litscan_scratch_for(s->scan, &s->scratch) != 0) {
			litscan_free(s->scan);
			s->scan = NULL;
		}
	}
	for (size_t k = 0; k < g.n; k++)
		free(g.lit[k]);
	free(g.lit);
	free(g.len);
	free(g.icase);
	free(g.id);
	return ngated;
}

static void on_lit(unsigned id, void *ud)
{
	struct f2b_gate *s = ud;
	if (id < s->nlits) {
		unsigned f = s->lit_filter[id];
		if (!s->cand[f]) {
			s->cand[f] = 1;
			if (s->listing)
				s->run[s->nrun++] = f;
		}
	} else if (s->nhit < s->nwit)
		s->wit_hit[s->nhit++] = id - (unsigned)s->nlits;	/* a witness: f2b_gate_admits checks it */
}

/* memmem, ASCII letters without case when icase. */
static bool contains(const char *s, size_t n, const char *p, size_t m, bool icase)
{
	if (!icase)
		return memmem(s, n, p, m) != NULL;
	for (size_t i = 0; i + m <= n; i++)
		if (strncasecmp(s + i, p, m) == 0)
			return true;
	return false;
}

/* Can the literal of w occur split at some k that w's piece allows (the
 * line holding L[0..k) and L[k..m))? */
static bool split_possible(const struct f2b_witness *w, const char *line, size_t len)
{
	size_t m = w->len;
	for (size_t k = w->from; k <= w->to; k++)
		if (contains(line, len, w->lit, k, w->icase) && contains(line, len, w->lit + k, m - k, w->icase))
			return true;
	return false;
}

/* The filters that have a witness in the line (their split is checked in
 * f2b_gate_admits), added to the run list. */
static void witnesses_mark(struct f2b_gate *s)
{
	for (size_t h = 0; h < s->nhit; h++) {
		unsigned f = s->wit[s->wit_hit[h]].filter;
		if (!s->maybe[f]) {
			s->maybe[f] = 1;
			if (!s->cand[f])
				s->run[s->nrun++] = f;
		}
	}
}

/* The run list in filter order (a few filters: insertion sort). */
static void run_sort(unsigned *v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		unsigned x = v[i];
		size_t j = i;
		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* Can a literal of filter i stand split in the line (one of its witnesses
 * found, and both parts of a split it allows)? */
static bool split_in_line(const struct f2b_gate *s, size_t i, const char *line, size_t len)
{
	for (size_t h = 0; h < s->nhit; h++) {
		const struct f2b_witness *w = &s->wit[s->wit_hit[h]];
		if (w->filter == i && split_possible(w, line, len))
			return true;
	}
	return false;
}

void f2b_gate_line(struct f2b_gate *s, bool off, const char *line, size_t len)
{
	s->all = off || !s->scan;
	s->cut_s = s->cut_e = 0;
	/* the candidates (the set visits them only, not all n filters): the
	 * ungated ones, then each filter as its first literal or witness is
	 * found, sorted */
	s->nrun = 0;
	if (!s->all) {
		memcpy(s->cand, s->always, s->n);
		memset(s->maybe, 0, s->n);
		memcpy(s->run, s->always_list, s->nalways * sizeof(*s->run));
		s->nrun = s->nalways;
		s->nhit = 0;
		s->listing = true;
		int rc = litscan_scan(s->scan, s->scratch, line, len, on_lit, s);
		s->listing = false;
		if (rc != 0) {
			s->all = true;	/* a scan error: every filter */
		} else {
			witnesses_mark(s);
			run_sort(s->run, s->nrun);
		}
	}
	if (s->all)
		for (s->nrun = 0; s->nrun < s->n; s->nrun++)
			s->run[s->nrun] = (unsigned)s->nrun;
}

size_t f2b_gate_candidates(const struct f2b_gate *s, const unsigned **idx)
{
	*idx = s->run;
	return s->nrun;
}

bool f2b_gate_admits(struct f2b_gate *s, size_t i, const struct f2b_filter *f, const char *line, size_t len,
		     int64_t ref)
{
	if (s->all || s->cand[i])
		return true;
	if (!s->maybe[i])
		return false;	/* no literal, whole or split */
	/* The regexes see the line with its date cut out: a literal may occur
	 * only across the cut ("[] \"GET" in `1.2.3.4 - u [27/Jun/2013:11:55:44]
	 * "GET`). When this filter's date is cut from inside the line, the cut
	 * line is scanned too (once per distinct cut; the detector remembers
	 * its line, so filters sharing it search once). */
	/* Two necessary conditions, the cheaper first: the date's span when
	 * the detector has searched this line already (shared by most
	 * filters), else both parts of a split literal in the line. */
	struct f2b_date *d = f2b_filter_date(f);
	bool known = f2b_date_known(d, line, len, ref);
	if (!known && !split_in_line(s, i, line, len))
		return false;
	size_t ds, de;
	if (!f2b_date_span(d, line, len, ref, &ds, &de) || ds == 0 || de <= ds)
		return false;
	if (known && !split_in_line(s, i, line, len))
		return false;
	if (ds != s->cut_s || de != s->cut_e) {
		s->cut_s = ds;
		s->cut_e = de;
		buf_reset(&s->cut);
		buf_append(&s->cut, line, ds);
		buf_append(&s->cut, line + de, len - de);
		size_t nhit = s->nhit;	/* the line's witnesses: split_in_line reads them */
		if (litscan_scan(s->scan, s->scratch, s->cut.data, s->cut.len, on_lit, s) != 0)
			memset(s->cand, 1, s->n);
		s->nhit = nhit;	/* witnesses found in the cut line do not matter */
	}
	return s->cand[i];
}

bool f2b_gate_always(const struct f2b_gate *s, size_t i)
{
	return s->always && s->always[i];
}

void f2b_gate_free(struct f2b_gate *s)
{
	litscan_free(s->scan);
	litscan_scratch_free(s->scratch);
	free(s->always);
	free(s->always_list);
	free(s->skip);
	free(s->run);
	free(s->cand);
	free(s->maybe);
	for (size_t k = 0; k < s->nwit; k++)
		free(s->wit[k].lit);
	free(s->wit);
	free(s->wit_hit);
	free(s->lit_filter);
	buf_free(&s->cut);
	memset(s, 0, sizeof(*s));
}
