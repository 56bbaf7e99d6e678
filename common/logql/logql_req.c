/* logql_req.c - required literals of a line regex (see logql_regex_required in logql.h).
 *
 * One left-to-right pass over the pattern. At nesting depth 0 it builds runs
 * of literal bytes that every match of the current top-level branch passes
 * through in order; a run ends at anything that is not a plain, unquantified
 * literal. Groups are skipped whole (what is inside a group may be optional
 * or alternated), only their syntax is followed. Anything the pass does not
 * know makes the whole answer "nothing required": that only costs speed. */
#include <limits.h>
#include <string.h>
#include <strings.h>

#include "logql.h"

static bool is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A quantifier {n}, {n,}, {n,m} at re[i] == '{': its length, or 0 if this
 * is not one (PCRE2 then reads '{' as a literal: we give up instead). */
static size_t brace_quant(const char *re, size_t n, size_t i)
{
	size_t k = i + 1, digits = 0;
	while (k < n && re[k] >= '0' && re[k] <= '9') { k++; digits++; }
	if (digits == 0)
		return 0;
	if (k < n && re[k] == ',') {
		k++;
		while (k < n && re[k] >= '0' && re[k] <= '9')
			k++;
	}
	if (k >= n || re[k] != '}')
		return 0;
	return k + 1 - i;
}

size_t logql_regex_class_end(const char *re, size_t n, size_t i)
{
	size_t k = i + 1;
	if (k < n && re[k] == '^')
		k++;
	if (k < n && re[k] == ']')
		k++;
	while (k < n && re[k] != ']') {
		if (re[k] == '\\') {
			if (k + 1 < n && (re[k + 1] == 'Q' || re[k + 1] == 'E'))
				return 0;
			k += 2;
		} else if (re[k] == '[' && k + 1 < n && (re[k + 1] == ':' || re[k + 1] == '.' || re[k + 1] == '=')) {
			char t = re[k + 1];
			k += 2;
			while (k + 1 < n && !(re[k] == t && re[k + 1] == ']'))
				k++;
			if (k + 1 >= n)
				return 0;
			k += 2;
		} else {
			k++;
		}
	}
	return k < n ? k + 1 : 0;
}

/* Escapes that stand for one non-literal item and take no argument. */
static bool simple_escape(char c)
{
	return c && strchr("dDwWsSbBhHvVRXAzZGKntrfea", c) != NULL;
}

/* Does a group opening "(?" at re[i] start a plain group (not flags, not a
 * construct we do not follow)? */
static bool group_ok(const char *re, size_t n, size_t i)
{
	if (i + 2 >= n)
		return false;
	char c = re[i + 2];
	if (c == ':' || c == '=' || c == '!' || c == '>' || c == '|')
		return true;
	if (c == '<' && i + 3 < n)
		return re[i + 3] == '=' || re[i + 3] == '!' || re[i + 3] == '_' || is_alnum((unsigned char)re[i + 3]);
	if (c == 'P' && i + 3 < n && re[i + 3] == '<')
		return true;
	if (c == '\'')
		return true;
	return false;
}

/* The end of the character (a UTF-8 sequence is one atom) at re[i]. */
static size_t utf8_end(const char *re, size_t n, size_t i)
{
	size_t k = i + 1;
	if ((unsigned char)re[i] >= 0xC0)
		while (k < n && ((unsigned char)re[k] & 0xC0) == 0x80)
			k++;
	return k;
}

/* Is literal byte c usable under (?i)? (See the header: k and s have
 * non-ASCII case partners; non-ASCII letters fold outside ASCII.) */
static bool icase_ok(unsigned char c)
{
	return c < 0x80 && c != 'k' && c != 'K' && c != 's' && c != 'S';
}

/* The quantifier after an atom ending at re[j]: how the atom counts.
 * 1: exactly once; 2: at least once ('+'); 0: maybe not at all; -1: give up. */
static int quant_after(const char *re, size_t n, size_t j)
{
	if (j >= n)
		return 1;
	if (re[j] == '*' || re[j] == '?')
		return 0;
	if (re[j] == '+')
		return 2;
	if (re[j] == '{')
		return brace_quant(re, n, j) ? 0 : -1;
	return 1;
}

size_t logql_regex_group_close(const char *re, size_t n, size_t i)
{
	int depth = 0;
	for (size_t k = i; k < n; k++) {
		if (re[k] == '\\') {
			k++;
		} else if (re[k] == '[') {
			size_t end = logql_regex_class_end(re, n, k);
			if (!end)
				return 0;
			k = end - 1;
		} else if (re[k] == '(') {
			depth++;
		} else if (re[k] == ')' && --depth == 0) {
			return k;
		}
	}
	return 0;
}

int logql_byte_commonness(unsigned char c)
{
	if (c == ' ' || c == 'e' || c == 't' || c == 'a' || c == 'o' || c == 'i' || c == 'n' ||
	    c == 's' || c == 'r')
		return 4;
	if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == ':')
		return 3;
	if (c >= 'A' && c <= 'Z')
		return 2;
	return 1;
}

bool logql_byte_rare(unsigned char c)
{
	return logql_byte_commonness(c) == 1 && c != '[' && c != ']';
}

/* ---- the analysis ---------------------------------------------------------------- */

#define REQ_MAX_DEPTH 24	/* deeper group nesting: nothing required */
/* A group's requirement is used only from this score (req_score) up: weak
 * literals from inside groups ("olo", "_" of a long alternation of paths)
 * hit so many lines that the literal scanner spends more on them than
 * PCRE2 runs they save (callgrind, docs/rules.md "Speed"). */
#define REQ_GROUP_MIN_SCORE 8

/* Requirements of the regex's only top-level branch kept for the second
 * clause (logql_regex_required_and); more are dropped, which only costs speed. */
#define REQ_MAX_CANDS 16

struct scan {
	const char *re;
	size_t min_len;
	bool fail;		/* a construct the analysis does not follow */
	size_t top_branches;	/* top-level branches read so far */
	bool want_cands;	/* a second clause is asked for */
	/* every requirement offered by the top-level branch being read: each
	 * is necessary on its own, so any two hold together */
	struct logql_req cands[REQ_MAX_CANDS];
	size_t ncands;
};

/* One branch being read: the literal run being built and the best
 * requirement seen so far. */
struct branch {
	struct ward_buf run;	/* literal bytes every match passes through in order */
	bool run_icase;
	bool top;		/* a top-level branch: its candidates go to scan.cands */
	struct logql_req best;	/* n 0: none yet */
};

/* How selective literal s[0..n) is: the sum over its bytes of how rare
 * each is (a rough log2 of how few lines hold it). */
static int lit_score(const char *s, size_t n)
{
	int score = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		int common = logql_byte_commonness(c);
		score += logql_byte_rare(c) ? 4 : common == 1 ? 2 : 5 - common;
	}
	return score;
}

/* How selective a requirement (n > 0) is: its least selective literal,
 * less 2 for each doubling of the literals a line may hold instead. */
static int req_score(const struct logql_req *r)
{
	int score = INT_MAX;
	for (size_t i = 0; i < r->n; i++) {
		int k = lit_score(r->text.data + r->off[i], r->len[i]);
		score = k < score ? k : score;
	}
	for (size_t k = 1; k < r->n; k *= 2)
		score -= 2;
	return score;
}

/* Is requirement a (n > 0) more selective than b (n 0: none)? Ties keep
 * b, the earlier one; case-sensitive beats caseless. */
static bool req_better(const struct logql_req *a, const struct logql_req *b)
{
	if (b->n == 0)
		return true;
	int sa = req_score(a), sb = req_score(b);
	if (sa != sb)
		return sa > sb;
	return !a->icase && b->icase;
}

static void req_copy(struct logql_req *dst, const struct logql_req *src)
{
	buf_reset(&dst->text);
	buf_append(&dst->text, src->text.data, src->text.len);
	memcpy(dst->off, src->off, src->n * sizeof(src->off[0]));
	memcpy(dst->len, src->len, src->n * sizeof(src->len[0]));
	dst->n = src->n;
	dst->icase = src->icase;
}

/* Is every literal of cand (n > 0) long enough or holding a rare byte?
 * A top-level branch's usable candidates are also kept in s->cands. */
static bool usable(struct scan *s, const struct branch *b, const struct logql_req *cand)
{
	if (cand->n == 0)
		return false;
	for (size_t i = 0; i < cand->n; i++) {
		const char *lit = cand->text.data + cand->off[i];
		bool rare = false;
		for (size_t j = 0; j < cand->len[i] && !rare; j++)
			rare = logql_byte_rare((unsigned char)lit[j]);
		if (cand->len[i] < s->min_len && !rare)
			return false;
	}
	if (b->top && s->ncands < REQ_MAX_CANDS) {
		s->cands[s->ncands].text = (struct ward_buf)WARD_BUF_INIT;	/* the rest: req_copy */
		req_copy(&s->cands[s->ncands++], cand);
	}
	return true;
}

/* Keep cand as the branch's requirement if every literal is long enough
 * and it is more selective than what the branch has. */
static void offer(struct scan *s, struct branch *b, const struct logql_req *cand)
{
	if (usable(s, b, cand) && req_better(cand, &b->best))
		req_copy(&b->best, cand);
}

static void end_run(struct scan *s, struct branch *b)
{
	if (b->run.len) {
		struct logql_req one = { .n = 1, .icase = b->run_icase, .text = b->run };
		one.len[0] = b->run.len;
		offer(s, b, &one);
	}
	buf_reset(&b->run);
}

/* Add every literal of src to the alternatives in dst; false past
 * LOGQL_REQ_MAX_ALTS. A case-sensitive literal may be searched caselessly:
 * a line holding its exact bytes holds them caselessly too. */
static bool req_union(struct logql_req *dst, const struct logql_req *src)
{
	if (dst->n + src->n > LOGQL_REQ_MAX_ALTS)
		return false;
	for (size_t i = 0; i < src->n; i++) {
		dst->off[dst->n] = dst->text.len;
		dst->len[dst->n++] = src->len[i];
		buf_append(&dst->text, src->text.data + src->off[i], src->len[i]);
	}
	dst->icase = dst->icase || src->icase;
	return true;
}

/* The minimum count of a quantifier {m}, {m,}, {m,n} at re[i] == '{'. */
static size_t brace_min(const char *re, size_t i)
{
	size_t m = 0;
	for (size_t k = i + 1; re[k] >= '0' && re[k] <= '9' && m < 1000; k++)
		m = m * 10 + (size_t)(re[k] - '0');
	return m;
}

/* The quantifier after an atom ending at re[j] (hi: end of the enclosing
 * range): 1 exactly once, 2 at least once, 0 maybe not at all, -1 give up. */
static int quant_at(const char *re, size_t hi, size_t j)
{
	int q = quant_after(re, hi, j);
	if (q == 0 && j < hi && re[j] == '{')
		return brace_min(re, j) >= 1 ? 2 : 0;
	return q;
}

/* Inline flags at re[i..hi) after "(?": letters of i, m, s, U, n-free, with
 * '-' to unset, up to ')' (for the rest of the group) or ':' (a group).
 * Sets *icase and returns the index of the ')' or ':', or 0 when the flags
 * are not plain (x changes what the pattern text means). */
static size_t inline_flags(const char *re, size_t hi, size_t i, bool *icase)
{
	bool on = true, val = *icase;
	size_t k = i;
	for (; k < hi && re[k] != ')' && re[k] != ':'; k++) {
		if (re[k] == '-' && on)
			on = false;
		else if (re[k] == 'i')
			val = on;
		else if (re[k] != 'm' && re[k] != 's' && re[k] != 'U')
			return 0;
	}
	if (k >= hi || k == i)
		return 0;
	*icase = val;
	return k;
}

static void read_alternation(struct scan *s, size_t lo, size_t hi, bool icase, int depth, struct logql_req *out);

/* The group opening at re[i] == '(' inside [.., hi): its requirement into
 * out (n 0: none), and the index after its ')'. Inline flags (?i) without a
 * group set *icase for the rest of the enclosing group instead. */
static size_t read_group(struct scan *s, size_t i, size_t hi, bool *icase, int depth, struct logql_req *out)
{
	const char *re = s->re;
	size_t close = logql_regex_group_close(re, hi, i);
	out->n = 0;
	if (!close || depth >= REQ_MAX_DEPTH || (i + 1 < close && re[i + 1] == '*')) {
		s->fail = true;
		return hi;
	}
	size_t body = i + 1;
	bool inner = *icase, look = false;
	if (re[body] == '?') {
		char c = re[body + 1];
		if (c == ':' || c == '>' || c == '|') {
			body += 2;
		} else if (c == '=' || c == '!') {
			body += 2;
			look = true;
		} else if (c == '<' && (re[body + 2] == '=' || re[body + 2] == '!')) {
			body += 3;
			look = true;
		} else if (c == '<' || c == '\'' || (c == 'P' && re[body + 2] == '<')) {
			char end = c == '\'' ? '\'' : '>';
			size_t k = body + (c == 'P' ? 3 : 2);
			while (k < close && (re[k] == '_' || is_alnum((unsigned char)re[k])))
				k++;
			if (k >= close || re[k] != end) {
				s->fail = true;
				return hi;
			}
			body = k + 1;
		} else {
			size_t k = inline_flags(re, close + 1, body + 1, &inner);
			if (!k) {
				s->fail = true;
				return hi;
			}
			if (k == close) {	/* (?i): the rest of this group */
				*icase = inner;
				return close + 1;
			}
			body = k + 1;
		}
	}
	/* a lookaround requires nothing of the line's text it is checked at:
	 * read only to know it is followed, never used */
	read_alternation(s, body, close, inner, depth + 1, out);
	if (look)
		out->n = 0;
	return close + 1;
}

/* One branch at re[*pos..hi) up to a '|' of this level or hi: its most
 * selective requirement into b->best. */
static void read_branch(struct scan *s, size_t *pos, size_t hi, bool *icase, int depth, struct branch *b)
{
	const char *re = s->re;
	struct logql_req group = { 0 };
	size_t i = *pos;
	bool seen = false;	/* an atom or group before this point of the branch */
	while (i < hi && !s->fail && re[i] != '|') {
		unsigned char c = (unsigned char)re[i];
		size_t lit = 0, litlen = 0;	/* the literal bytes of this atom */
		size_t next = i + 1;		/* first byte after the atom */
		if (c == '\\') {
			unsigned char e = i + 1 < hi ? (unsigned char)re[i + 1] : 0;
			next = i + 2;
			if (e >= '1' && e <= '9') {	/* back reference (or octal): any text */
				while (next < hi && re[next] >= '0' && re[next] <= '9')
					next++;
			} else if (e == 0 || (is_alnum(e) && !simple_escape((char)e))) {
				s->fail = true;
				break;
			} else if (!is_alnum(e)) {
				lit = i + 1;
				next = utf8_end(re, hi, i + 1);
				litlen = next - lit;
			}
		} else if (c == '[') {
			next = logql_regex_class_end(re, hi, i);
			if (!next) {
				s->fail = true;
				break;
			}
		} else if (c == '(') {
			end_run(s, b);
			bool atoms = seen;
			bool was = *icase;
			next = read_group(s, i, hi, icase, depth, &group);
			if (*icase != was || s->fail) {
				i = next;
				continue;
			}
			seen = true;
			int q = quant_at(re, hi, next);
			if (q < 0)
				s->fail = true;
			else if (q >= 1 && group.n && (req_score(&group) >= REQ_GROUP_MIN_SCORE ||
						 (!atoms && q == 1 && (next == hi || re[next] == '|'))))
				offer(s, b, &group);	/* strong, or the whole branch: `(?:a|b)` */
			else if (q >= 1 && group.n)
				usable(s, b, &group);	/* weak: a second clause at most */
			i = next;
			continue;
		} else if (c == ')') {
			s->fail = true;	/* unbalanced */
			break;
		} else if (c == '{') {
			size_t q = brace_quant(re, hi, i);
			if (!q) {
				s->fail = true;
				break;
			}
			next = i + q;
		} else if (!strchr(".^$*+?", c)) {
			lit = i;
			next = utf8_end(re, hi, i);
			litlen = next - lit;
		}
		i = next;
		seen = true;
		if (litlen && *icase)
			for (size_t k = lit; k < lit + litlen; k++)
				if (!icase_ok((unsigned char)re[k]))
					litlen = 0;
		int q = litlen ? quant_at(re, hi, next) : 0;
		if (q < 0) {
			s->fail = true;
			break;
		}
		if (q >= 1 && b->run.len && b->run_icase != *icase)
			end_run(s, b);
		if (q >= 1) {
			buf_append(&b->run, re + lit, litlen);
			b->run_icase = *icase;
		}
		if (q != 1)
			end_run(s, b);
	}
	end_run(s, b);
	buf_free(&group.text);
	*pos = i;
}

/* The alternation re[lo..hi): the union of its branches' requirements into
 * out, none (n 0) when a branch requires nothing. */
static void read_alternation(struct scan *s, size_t lo, size_t hi, bool icase, int depth, struct logql_req *out)
{
	struct branch b = { WARD_BUF_INIT, false, depth == 0 && s->want_cands, { 0 } };
	bool none = false;
	buf_reset(&out->text);
	out->n = 0;
	out->icase = false;
	for (size_t i = lo;; i++) {
		buf_reset(&b.run);
		b.best.n = 0;
		s->top_branches += depth == 0;
		read_branch(s, &i, hi, &icase, depth, &b);
		if (s->fail)
			break;
		if (b.best.n == 0 || !req_union(out, &b.best))
			none = true;
		if (i >= hi)
			break;
	}
	if (none || s->fail)
		out->n = 0;
	if (out->n == 0)
		out->icase = false;
	buf_free(&b.run);
	buf_free(&b.best.text);
}

/* Does some literal of a occur inside some literal of b (ASCII caseless:
 * a line holding b's then holds a's, whatever the case of either)? */
static bool req_inside(const struct logql_req *a, const struct logql_req *b)
{
	for (size_t i = 0; i < a->n; i++)
		for (size_t j = 0; j < b->n; j++)
			for (size_t k = 0; k + a->len[i] <= b->len[j]; k++)
				if (!strncasecmp(b->text.data + b->off[j] + k, a->text.data + a->off[i], a->len[i]))
					return true;
	return false;
}

static bool req_same(const struct logql_req *a, const struct logql_req *b)
{
	return a->icase == b->icase && a->text.len == b->text.len && a->n == b->n &&
	       !memcmp(a->off, b->off, a->n * sizeof(a->off[0])) &&
	       !memcmp(a->len, b->len, a->n * sizeof(a->len[0])) &&
	       !memcmp(a->text.data, b->text.data, a->text.len);
}

/* The second clauses: the candidates of the only top-level branch that
 * neither imply nor are implied by req (any overlap and one would add
 * nothing, or req would have been it), each once. */
static size_t pick_second(struct scan *s, const struct logql_req *req, struct logql_req *also, size_t max)
{
	size_t k = 0;
	if (s->fail || s->top_branches != 1 || req->n == 0)
		return 0;
	for (size_t i = 0; i < s->ncands && k < max; i++) {
		const struct logql_req *c = &s->cands[i];
		bool seen = false;
		for (size_t j = 0; j < k && !seen; j++)
			seen = req_same(c, &also[j]);
		if (!seen && !req_inside(c, req) && !req_inside(req, c))
			req_copy(&also[k++], c);
	}
	return k;
}

size_t logql_regex_required_and(const char *re, size_t n, size_t min_len, struct logql_req *req,
				struct logql_req *also, size_t max_also)
{
	struct scan s;	/* not zeroed whole: cands are 16 KiB, filled as found */
	s.re = re;
	s.min_len = min_len ? min_len : 1;
	s.fail = false;
	s.top_branches = 0;
	s.want_cands = max_also > 0;
	s.ncands = 0;
	read_alternation(&s, 0, n, false, 0, req);
	if (s.fail)
		req->n = 0;
	size_t k = pick_second(&s, req, also, max_also);
	for (size_t i = 0; i < s.ncands; i++)
		buf_free(&s.cands[i].text);
	return k;
}

size_t logql_regex_required(const char *re, size_t n, size_t min_len, struct logql_req *req)
{
	logql_regex_required_and(re, n, min_len, req, NULL, 0);
	return req->n;
}

/* ---- the first byte of a regex anchored at the start ---------------------------- */

static void set_byte(uint8_t first[32], unsigned char c)
{
	first[c / 8] |= (uint8_t)(1u << (c % 8));
}

static void set_range(uint8_t first[32], unsigned char lo, unsigned char hi)
{
	for (unsigned c = lo; c <= hi; c++)
		set_byte(first, (unsigned char)c);
}

/* One class member at re[*k] that stands for one ASCII byte: a plain byte
 * or an escaped punctuation byte. Its byte, or -1. */
static int class_byte(const char *re, size_t n, size_t *k)
{
	unsigned char c = (unsigned char)re[*k];
	if (c == '\\') {
		if (*k + 1 >= n)
			return -1;
		c = (unsigned char)re[*k + 1];
		if (c >= 0x80 || is_alnum(c))
			return -1;
		*k += 2;
		return c;
	}
	if (c >= 0x80 || (c == '[' && *k + 1 < n && strchr(":.=", re[*k + 1])))
		return -1;
	(*k)++;
	return c;
}

/* The bytes of the class at re[i] == '[' into first: the index after its
 * ']', or 0 for a class with anything beyond plain bytes, escaped
 * punctuation, \d and ranges of those. */
static size_t class_bytes(const char *re, size_t n, size_t i, uint8_t first[32])
{
	uint8_t set[32] = { 0 };
	size_t k = i + 1;
	bool neg = k < n && re[k] == '^';
	if (neg)
		k++;
	for (bool head = true; k < n && (head || re[k] != ']'); head = false) {
		if (re[k] == '\\' && k + 1 < n && re[k + 1] == 'd') {
			set_range(set, '0', '9');
			k += 2;
			continue;
		}
		int lo = class_byte(re, n, &k);
		if (lo < 0)
			return 0;
		if (k + 1 < n && re[k] == '-' && re[k + 1] != ']') {
			k++;
			int hi = class_byte(re, n, &k);
			if (hi < lo)
				return 0;
			set_range(set, (unsigned char)lo, (unsigned char)hi);
		} else {
			set_byte(set, (unsigned char)lo);
		}
	}
	if (k >= n)
		return 0;
	for (size_t b = 0; b < 32; b++)
		first[b] |= neg ? (uint8_t)~set[b] : set[b];
	return k + 1;
}

/* Is the regex after its anchor free of what could let a match begin
 * elsewhere or change how the anchor reads: a top-level '|', inline flags
 * ((?m) above all), \Q..\E, verbs, comments? */
static bool anchor_holds(const char *re, size_t n, size_t i)
{
	int depth = 0;
	for (size_t k = i; k < n; k++) {
		if (re[k] == '\\') {
			if (k + 1 < n && (re[k + 1] == 'Q' || re[k + 1] == 'E'))
				return false;
			k++;
		} else if (re[k] == '[') {
			size_t end = logql_regex_class_end(re, n, k);
			if (!end)
				return false;
			k = end - 1;
		} else if (re[k] == '(') {
			if (k + 1 < n && (re[k + 1] == '*' || (re[k + 1] == '?' && !group_ok(re, n, k))))
				return false;
			depth++;
		} else if (re[k] == ')') {
			if (--depth < 0)
				return false;
		} else if (re[k] == '|' && depth == 0) {
			return false;
		}
	}
	return depth == 0;
}

bool logql_regex_first_bytes(const char *re, size_t n, uint8_t first[32])
{
	size_t i;
	if (n >= 1 && re[0] == '^')
		i = 1;
	else if (n >= 2 && re[0] == '\\' && re[1] == 'A')
		i = 2;
	else
		return false;
	if (i >= n || !anchor_holds(re, n, i))
		return false;
	uint8_t set[32] = { 0 };
	unsigned char c = (unsigned char)re[i];
	size_t next;
	if (c == '[') {
		next = class_bytes(re, n, i, set);
		if (!next)
			return false;
	} else if (c == '\\' && i + 1 < n && re[i + 1] == 'd') {
		set_range(set, '0', '9');
		next = i + 2;
	} else if (c == '\\' && i + 1 < n && (unsigned char)re[i + 1] < 0x80 && !is_alnum((unsigned char)re[i + 1])) {
		set_byte(set, (unsigned char)re[i + 1]);
		next = i + 2;
	} else if (c < 0x80 && !strchr("\\^$.|?*+()[]{}", c)) {
		set_byte(set, c);
		next = i + 1;
	} else {
		return false;
	}
	/* taken at least once: no quantifier, '+', or {m..} with m >= 1 */
	if (next < n && (re[next] == '?' || re[next] == '*'))
		return false;
	if (next < n && re[next] == '{') {
		if (!brace_quant(re, n, next))
			return false;
		size_t k = next + 1;
		while (k < n && re[k] == '0')
			k++;
		if (k < n && (re[k] < '1' || re[k] > '9'))
			return false;	/* {0}, {0,m}: maybe not at all */
	}
	for (size_t b = 0; b < 32; b++)
		first[b] |= set[b];	/* added: callers unite alternatives */
	return true;
}
