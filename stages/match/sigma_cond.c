/* sigma_cond.c - Sigma condition expressions -> a tree over selections.
 *
 *   expr := or ; or := and ('or' and)* ; and := not ('and' not)*
 *   not  := 'not' not | '(' expr ')' | quant | NAME
 *   quant := ('1' | 'any' | 'all') 'of' (PATTERN | 'them')
 *
 * Keywords are case-insensitive; `1 of X` is an OR and `all of X` an AND
 * over the selections the pattern names (`*` any run of characters). */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stages/match/sigma.h"

#define COND_DEPTH_MAX 64

struct cp {
	const char *s;
	size_t pos;
	const struct sigma_sel *sels;
	size_t nsels;
	char *err;
	size_t errlen;
	bool failed;
	int depth;
	char tok[128];
	size_t toklen;
};

static void cfail(struct cp *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void cfail(struct cp *p, const char *fmt, ...)
{
	if (p->failed)
		return;
	p->failed = true;
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(p->err, p->errlen, "condition column %zu: %s", p->pos + 1, msg);
}

static struct sigma_cnode *mk(enum sigma_cop op, struct sigma_cnode *a, struct sigma_cnode *b, size_t sel)
{
	struct sigma_cnode *n = ward_xcalloc(1, sizeof(*n));
	n->op = op;
	n->a = a;
	n->b = b;
	n->sel = sel;
	return n;
}

void sigma_cond_free(struct sigma_cnode *n)
{
	if (!n)
		return;
	sigma_cond_free(n->a);
	sigma_cond_free(n->b);
	free(n);
}

static bool name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '*' || c == '-' || c == '.' || c == '?';
}

/* Peek the next token into p->tok without consuming it; "" at the end. */
static const char *peek(struct cp *p)
{
	while (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' || p->s[p->pos] == '\n' || p->s[p->pos] == '\r')
		p->pos++;
	const char *t = p->s + p->pos;
	size_t n = 0;
	if (*t == '(' || *t == ')')
		n = 1;
	else
		while (name_char(t[n]))
			n++;
	if (n == 0 && *t)
		n = 1;	/* an unexpected character: reported by the caller */
	p->toklen = n < sizeof(p->tok) ? n : sizeof(p->tok) - 1;
	memcpy(p->tok, t, p->toklen);
	p->tok[p->toklen] = '\0';
	return p->tok;
}

static void take(struct cp *p)
{
	peek(p);
	p->pos += strlen(p->tok) ? p->toklen : 0;
}

static bool kw(const char *t, const char *k)
{
	return strcasecmp(t, k) == 0;
}

/* Glob with `*` only (Sigma's condition patterns); the classic greedy
 * match with one backtrack point, linear in practice (no exponential
 * blow-up on `*a*a*a...`). */
static bool glob(const char *pat, const char *s)
{
	const char *star = NULL, *resume = NULL;
	while (*s) {
		if (*pat == '*') {
			star = pat++;
			resume = s;
		} else if (*pat == *s) {
			pat++;
			s++;
		} else if (star) {
			pat = star + 1;
			s = ++resume;
		} else {
			return false;
		}
	}
	while (*pat == '*')
		pat++;
	return !*pat;
}

static struct sigma_cnode *parse_or(struct cp *p);

static struct sigma_cnode *parse_quant(struct cp *p, bool all)
{
	take(p);	/* 1 / any / all */
	if (!kw(peek(p), "of")) {
		cfail(p, "expected 'of'");
		return NULL;
	}
	take(p);
	char pat[128];
	snprintf(pat, sizeof(pat), "%s", peek(p));
	if (!*pat || !name_char(pat[0])) {
		cfail(p, "expected a selection pattern or 'them' after 'of'");
		return NULL;
	}
	take(p);
	bool them = kw(pat, "them");
	struct sigma_cnode *acc = NULL;
	for (size_t i = 0; i < p->nsels; i++) {
		const char *nm = p->sels[i].name;
		if (them ? nm[0] == '_' : !glob(pat, nm))
			continue;
		struct sigma_cnode *leaf = mk(SC_SEL, NULL, NULL, i);
		acc = acc ? mk(all ? SC_AND : SC_OR, acc, leaf, 0) : leaf;
	}
	if (!acc)
		cfail(p, "no selection matches '%s'", pat);
	return acc;
}

static struct sigma_cnode *parse_not(struct cp *p)
{
	if (++p->depth > COND_DEPTH_MAX) {
		cfail(p, "nested more than %d levels", COND_DEPTH_MAX);
		return NULL;
	}
	struct sigma_cnode *n = NULL;
	const char *t = peek(p);
	if (kw(t, "not")) {
		take(p);
		struct sigma_cnode *a = parse_not(p);
		n = a ? mk(SC_NOT, a, NULL, 0) : NULL;
	} else if (!strcmp(t, "(")) {
		take(p);
		n = parse_or(p);
		if (n && strcmp(peek(p), ")")) {
			cfail(p, "expected ')'");
			sigma_cond_free(n);
			n = NULL;
		} else if (n) {
			take(p);
		}
	} else if (!strcmp(t, "1") || kw(t, "any") || kw(t, "all")) {
		n = parse_quant(p, kw(t, "all"));
	} else if (*t && name_char(*t) && !kw(t, "and") && !kw(t, "or") && !kw(t, "of")) {
		if (strchr(t, '*')) {
			cfail(p, "a pattern '%s' needs '1 of' or 'all of'", t);
		} else {
			size_t i;
			for (i = 0; i < p->nsels; i++)
				if (!strcmp(p->sels[i].name, t))
					break;
			if (i == p->nsels)
				cfail(p, "no selection called '%s'", t);
			else
				n = mk(SC_SEL, NULL, NULL, i);
			take(p);
		}
	} else if (*t && isdigit((unsigned char)*t)) {
		cfail(p, "'%s of' is not supported (only 1 of, any of, all of)", t);
	} else {
		cfail(p, *t ? "unexpected '%s'" : "unexpected end of condition%s", t);
	}
	p->depth--;
	return n;
}

/* Terms joined by one operator, left-associative: `or` joins `and` chains,
 * `and` joins `not` terms (`not` binds tightest, `or` loosest). */
static struct sigma_cnode *parse_chain(struct cp *p, enum sigma_cop op)
{
	struct sigma_cnode *a = op == SC_OR ? parse_chain(p, SC_AND) : parse_not(p);
	while (a && kw(peek(p), op == SC_OR ? "or" : "and")) {
		take(p);
		struct sigma_cnode *b = op == SC_OR ? parse_chain(p, SC_AND) : parse_not(p);
		if (!b) {
			sigma_cond_free(a);
			return NULL;
		}
		a = mk(op, a, b, 0);
	}
	return a;
}

static struct sigma_cnode *parse_or(struct cp *p)
{
	return parse_chain(p, SC_OR);
}

struct sigma_cnode *sigma_cond_parse(const char *src, const struct sigma_sel *sels, size_t nsels,
				     char *err, size_t errlen)
{
	struct cp p = { .s = src, .sels = sels, .nsels = nsels, .err = err, .errlen = errlen };
	struct sigma_cnode *n = parse_or(&p);
	if (n && *peek(&p)) {
		cfail(&p, "unexpected '%s'", p.tok);
	}
	if (p.failed) {
		sigma_cond_free(n);
		return NULL;
	}
	return n;
}
