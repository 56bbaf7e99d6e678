/* logql_req.c - required literals of a line regex (see logql_regex_required in logql.h).
 *
 * One left-to-right pass over the pattern. At nesting depth 0 it builds runs
 * of literal bytes that every match of the current top-level branch passes
 * through in order; a run ends at anything that is not a plain, unquantified
 * literal. Groups are skipped whole (what is inside a group may be optional
 * or alternated), only their syntax is followed. Anything the pass does not
 * know makes the whole answer "nothing required": that only costs speed. */
#include <string.h>

#include "logql.h"

struct scan {
	const char *re;
	size_t n;
	size_t min_len;
	bool icase;
	struct ward_buf run;	/* current literal run */
	struct ward_buf best;	/* longest run of the current branch */
};

static bool is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static void end_run(struct scan *s)
{
	if (s->run.len > s->best.len) {
		buf_reset(&s->best);
		buf_append(&s->best, s->run.data, s->run.len);
	}
	buf_reset(&s->run);
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

size_t logql_regex_required(const char *re, size_t n, size_t min_len, struct logql_req *req)
{
	struct scan s = { re, n, min_len, false, WARD_BUF_INIT, WARD_BUF_INIT };
	size_t i = 0, nlits = 0;
	int depth = 0;
	bool ok = true;
	buf_reset(&req->text);
	req->n = 0;
	req->icase = false;
	/* leading inline flags: (?i) and flags that do not change what a
	 * literal byte matches */
	if (n >= 3 && re[0] == '(' && re[1] == '?') {
		size_t k = 2;
		bool icase = false, flags = true;
		while (k < n && re[k] != ')' && re[k] != ':') {
			if (re[k] == 'i')
				icase = true;
			else if (re[k] != 's' && re[k] != 'm' && re[k] != 'U')
				flags = false;
			k++;
		}
		if (k < n && re[k] == ')' && k > 2) {
			if (!flags)
				return 0;
			s.icase = icase;
			i = k + 1;
		}
	}
	/* A non-capturing group around the whole rest, `(?:a|b)` as Sigma
	 * compilers and trie builders write it, is the same alternation: its
	 * branches are the top-level ones. */
	while (i + 3 < n && re[i] == '(' && re[i + 1] == '?' && re[i + 2] == ':' &&
	       logql_regex_group_close(re, n, i) == n - 1) {
		i += 3;
		n--;
	}
	for (; ok && i <= n; i++) {
		if (i == n || (re[i] == '|' && depth == 0)) {	/* end of a top-level branch */
			end_run(&s);
			if (s.best.len < min_len || nlits == LOGQL_REQ_MAX_ALTS) {
				ok = false;
				break;
			}
			req->off[nlits] = req->text.len;
			req->len[nlits] = s.best.len;
			buf_append(&req->text, s.best.data, s.best.len);
			nlits++;
			buf_reset(&s.best);
			continue;
		}
		unsigned char c = (unsigned char)re[i];
		size_t lit = 0, litlen = 0;	/* the literal bytes of this atom */
		size_t next = i + 1;		/* first byte after the atom */
		if (c == '\\') {
			if (i + 1 >= n) { ok = false; break; }
			unsigned char e = (unsigned char)re[i + 1];
			if (is_alnum(e)) {
				if (!simple_escape((char)e)) { ok = false; break; }
				next = i + 2;
			} else {
				lit = i + 1;
				next = utf8_end(re, n, i + 1);
				litlen = next - lit;
			}
		} else if (c == '[') {
			size_t end = logql_regex_class_end(re, n, i);
			if (!end) { ok = false; break; }
			next = end;
		} else if (c == '(') {
			if (i + 1 < n && re[i + 1] == '*') { ok = false; break; }
			if (i + 1 < n && re[i + 1] == '?' && !group_ok(re, n, i)) { ok = false; break; }
			if (depth++ == 0)
				end_run(&s);	/* a group is skipped whole */
			continue;
		} else if (c == ')') {
			if (--depth < 0) { ok = false; break; }
			continue;
		} else if (c == '{') {
			size_t q = brace_quant(re, n, i);
			if (!q) { ok = false; break; }
			next = i + q;
		} else if (c == '|' || c == '.' || c == '^' || c == '$' || c == '*' || c == '+' || c == '?') {
			/* not a literal */
		} else {
			lit = i;
			next = utf8_end(re, n, i);
			litlen = next - lit;
		}
		i = next - 1;
		if (depth > 0)
			continue;
		if (litlen && s.icase)
			for (size_t k = lit; k < lit + litlen; k++)
				if (!icase_ok((unsigned char)re[k]))
					litlen = 0;
		if (!litlen) {
			end_run(&s);
			continue;
		}
		int q = quant_after(re, n, next);
		if (q < 0) { ok = false; break; }
		if (q >= 1)
			buf_append(&s.run, re + lit, litlen);
		if (q != 1)
			end_run(&s);
	}
	if (!ok || depth != 0)
		nlits = 0;
	buf_free(&s.run);
	buf_free(&s.best);
	req->n = nlits;
	req->icase = s.icase && nlits > 0;
	return nlits;
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
