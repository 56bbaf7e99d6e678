/* logql_lex_int.h - LogQL tokens (internal to the LogQL modules).
 *
 * The lexer decodes string literals (Go escapes in "...", none in `...`)
 * into a buffer owned by the lexer: a token's text stays valid until the
 * next logql_lex_next call. Numbers, durations and byte sizes share one
 * token kind (NUMBER) whose text the parser classifies by context. */
#ifndef WARD_LOGQL_LEX_INT_H
#define WARD_LOGQL_LEX_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "logql.h"

enum logql_tok {
	TK_EOF, TK_ERROR,
	TK_IDENT, TK_STRING, TK_NUMBER, TK_FLAG,	/* --strict */
	TK_LBRACE, TK_RBRACE, TK_LPAREN, TK_RPAREN, TK_LBRACK, TK_RBRACK,
	TK_COMMA, TK_DOT,
	TK_EQ, TK_NEQ, TK_RE, TK_NRE, TK_EQEQ,		/* = != =~ !~ == */
	TK_PIPE, TK_PIPE_EQ, TK_PIPE_RE, TK_PIPE_PAT, TK_NOT_PAT, /* | |= |~ |> !> */
	TK_GT, TK_GE, TK_LT, TK_LE,
	TK_ADD, TK_SUB, TK_MUL, TK_DIV, TK_MOD, TK_POW,
};

struct logql_lexer {
	const char *src;
	size_t len;
	size_t off;		/* next byte to read */
	enum logql_tok tok;	/* current token */
	size_t tok_pos;		/* its byte offset */
	const char *text;	/* its text (decoded for strings) */
	size_t text_len;
	struct ward_buf sbuf;	/* decoded string storage */
	char errmsg[128];	/* TK_ERROR reason */
};

void logql_lex_init(struct logql_lexer *lx, const char *src, size_t len);
void logql_lex_free(struct logql_lexer *lx);
enum logql_tok logql_lex_next(struct logql_lexer *lx);
/* Peek the token after the current one without consuming it. */
enum logql_tok logql_lex_peek(const struct logql_lexer *lx);
const char *logql_tok_name(enum logql_tok t);
/* Line and column (1-based) of a byte offset. */
void logql_pos_linecol(const char *src, size_t len, size_t pos, unsigned *line, unsigned *col);

#endif
