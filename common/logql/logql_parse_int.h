/* logql_parse_int.h - the LogQL parser's state and token helpers, shared
 * by its two files (internal; the contract is logql.h):
 *   logql_parse.c         log queries: selector, line and label filters,
 *                         pipeline stages; the entry point
 *   logql_parse_metric.c  metric expressions: range and vector
 *                         aggregations, binary operators, precedence
 * Error handling: every node is linked into its parent as soon as it is
 * allocated, so a parse function that fails sets p->failed and returns the
 * partial node; the top level frees the whole partial tree. */
#ifndef WARD_LOGQL_PARSE_INT_H
#define WARD_LOGQL_PARSE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "logql.h"
#include "logql_lex_int.h"

struct parser {
	struct logql_lexer lx;
	struct logql_error *err;
	bool failed;
	unsigned depth;
	unsigned lf_nodes;	/* label filter operators: evaluation recurses */
};

#define LOGQL_MAX_LABEL_FILTERS 10000

/* Fail at pos with a message (the first failure wins). */
void logql_parse_fail(struct parser *p, size_t pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* "expected X, got Y" at the current token. */
void logql_parse_expected(struct parser *p, const char *what);
/* A finite number literal (no inf, no nan). */
bool logql_parse_number(const char *s, size_t n, double *out);
/* A stream selector {a="b", ...} into q. */
void logql_parse_selector(struct parser *p, struct logql_log_query *q);
/* The pipeline after a selector. With uw != NULL, `| unwrap` is allowed
 * (range aggregations) and only label filters may follow it. */
void logql_parse_pipeline(struct parser *p, struct logql_log_query *q, struct logql_unwrap **uw);
/* An expression whose binary operators bind at least min_prec. */
struct logql_expr *logql_parse_expr(struct parser *p, int min_prec);

/* ---- token helpers (inline: the parser calls them per token) ------------ */

static inline void next(struct parser *p)
{
	logql_lex_next(&p->lx);
}

static inline bool at(const struct parser *p, enum logql_tok t)
{
	return p->lx.tok == t;
}

static inline bool at_kw(const struct parser *p, const char *kw)
{
	return p->lx.tok == TK_IDENT && p->lx.text_len == strlen(kw) &&
	       strncasecmp(p->lx.text, kw, p->lx.text_len) == 0;
}

static inline bool accept(struct parser *p, enum logql_tok t)
{
	if (!at(p, t))
		return false;
	next(p);
	return true;
}

static inline bool expect(struct parser *p, enum logql_tok t, const char *what)
{
	if (accept(p, t))
		return true;
	logql_parse_expected(p, what);
	return false;
}

static inline char *tok_dup(const struct parser *p)
{
	return ward_xstrndup(p->lx.text, p->lx.text_len);
}

/* Grow an array of n elements of size sz by one zeroed element. */
static inline void *grow(void *arr, size_t *n, size_t sz)
{
	char *a = ward_xrealloc(arr, (*n + 1) * sz);
	memset(a + *n * sz, 0, sz);
	(*n)++;
	return a;
}
#define GROW(arr, n) ((arr) = grow((arr), &(n), sizeof(*(arr))), &(arr)[(n) - 1])

static inline bool enter(struct parser *p)
{
	if (++p->depth > LOGQL_MAX_DEPTH) {
		logql_parse_fail(p, p->lx.tok_pos, "expression nested deeper than %d", LOGQL_MAX_DEPTH);
		return false;
	}
	return true;
}

/* String token -> owned copy (with length, may hold NUL bytes). */
static inline bool take_string(struct parser *p, char **out, size_t *len, const char *what)
{
	if (!at(p, TK_STRING)) {
		logql_parse_expected(p, what);
		return false;
	}
	*out = ward_xmalloc(p->lx.text_len + 1);
	memcpy(*out, p->lx.text, p->lx.text_len);
	(*out)[p->lx.text_len] = '\0';
	if (len)
		*len = p->lx.text_len;
	next(p);
	return true;
}

static inline bool take_ident(struct parser *p, char **out, const char *what)
{
	if (!at(p, TK_IDENT)) {
		logql_parse_expected(p, what);
		return false;
	}
	*out = tok_dup(p);
	next(p);
	return true;
}

#endif
