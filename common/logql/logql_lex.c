/* logql_lex.c - LogQL lexer. */
#include "logql_lex_int.h"
#include "hex.h"
#include "utf8.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

void logql_lex_init(struct logql_lexer *lx, const char *src, size_t len)
{
	memset(lx, 0, sizeof(*lx));
	lx->src = src;
	lx->len = len;
	lx->tok = TK_EOF;
}

void logql_lex_free(struct logql_lexer *lx)
{
	buf_free(&lx->sbuf);
}

static bool is_ident_start(int c) { return isalpha(c) || c == '_'; }
static bool is_ident_char(int c) { return isalnum(c) || c == '_'; }

static void skip_space(struct logql_lexer *lx)
{
	while (lx->off < lx->len) {
		unsigned char c = (unsigned char)lx->src[lx->off];
		if (c == '#') {
			while (lx->off < lx->len && lx->src[lx->off] != '\n')
				lx->off++;
		} else if (isspace(c)) {
			lx->off++;
		} else {
			break;
		}
	}
}

static enum logql_tok lex_error(struct logql_lexer *lx, const char *msg)
{
	snprintf(lx->errmsg, sizeof(lx->errmsg), "%s", msg);
	lx->tok = TK_ERROR;
	return TK_ERROR;
}

/* \xNN, \uNNNN, \UNNNNNNNN: ndig hex digits at s. */
static int read_hex(const char *s, size_t avail, size_t ndig, unsigned long *out)
{
	int64_t v = avail < ndig ? -1 : hex_parse(s, ndig);
	if (v < 0)
		return -1;
	*out = (unsigned long)v;
	return 0;
}

/* One Go escape after the backslash at lx->off; appends its value. */
static int lex_escape(struct logql_lexer *lx)
{
	const char *s = lx->src + lx->off;
	size_t avail = lx->len - lx->off;
	unsigned long v;
	char c;
	if (avail == 0)
		return -1;
	c = s[0];
	lx->off++;
	switch (c) {
	case 'a': buf_append_char(&lx->sbuf, '\a'); return 0;
	case 'b': buf_append_char(&lx->sbuf, '\b'); return 0;
	case 'f': buf_append_char(&lx->sbuf, '\f'); return 0;
	case 'n': buf_append_char(&lx->sbuf, '\n'); return 0;
	case 'r': buf_append_char(&lx->sbuf, '\r'); return 0;
	case 't': buf_append_char(&lx->sbuf, '\t'); return 0;
	case 'v': buf_append_char(&lx->sbuf, '\v'); return 0;
	case '\\': case '"': case '\'': buf_append_char(&lx->sbuf, c); return 0;
	case 'x':
		if (read_hex(s + 1, avail - 1, 2, &v) != 0) return -1;
		lx->off += 2; buf_append_char(&lx->sbuf, (char)v); return 0;
	case 'u': case 'U': {
		/* Go refuses a surrogate or a value past U+10FFFF here */
		size_t nd = c == 'u' ? 4 : 8;
		if (read_hex(s + 1, avail - 1, nd, &v) != 0 || !utf8_scalar_ok((uint32_t)v))
			return -1;
		lx->off += nd; utf8_put(&lx->sbuf, (uint32_t)v); return 0;
	}
	default:
		if (c >= '0' && c <= '7' && avail >= 3 && s[1] >= '0' && s[1] <= '7' &&
		    s[2] >= '0' && s[2] <= '7') {
			v = (unsigned long)((c - '0') * 64 + (s[1] - '0') * 8 + (s[2] - '0'));
			if (v > 255) return -1;
			lx->off += 2; buf_append_char(&lx->sbuf, (char)v); return 0;
		}
		return -1;
	}
}

static enum logql_tok lex_string(struct logql_lexer *lx, char quote)
{
	buf_reset(&lx->sbuf);
	buf_reserve(&lx->sbuf, 1);
	lx->off++;
	while (lx->off < lx->len) {
		char c = lx->src[lx->off];
		if (c == quote) {
			lx->off++;
			lx->text = lx->sbuf.data;
			lx->text_len = lx->sbuf.len;
			lx->sbuf.data[lx->sbuf.len] = '\0';
			lx->tok = TK_STRING;
			return TK_STRING;
		}
		if (quote == '"' && c == '\n')
			return lex_error(lx, "newline in string");
		if (quote == '"' && c == '\\') {
			lx->off++;
			if (lex_escape(lx) != 0)
				return lex_error(lx, "invalid escape in string");
			continue;
		}
		buf_append_char(&lx->sbuf, c);
		lx->off++;
	}
	return lex_error(lx, "unterminated string");
}

/* Numbers, durations (1h30m, 250ms, 1.5µs) and sizes (20KB, 1.5KiB): digits
 * then any of [0-9.a-zA-Z] and the µ sign; the parser classifies the text. */
static enum logql_tok lex_number(struct logql_lexer *lx)
{
	size_t start = lx->off;
	while (lx->off < lx->len) {
		unsigned char c = (unsigned char)lx->src[lx->off];
		if (isalnum(c) || c == '.' || c == '_') {
			lx->off++;
		} else if (c == 0xC2 && lx->off + 1 < lx->len &&
			   (unsigned char)lx->src[lx->off + 1] == 0xB5) {
			lx->off += 2;	/* µ */
		} else if ((c == '+' || c == '-') && lx->off > start &&
			   (lx->src[lx->off - 1] == 'e' || lx->src[lx->off - 1] == 'E') &&
			   !(lx->off - start >= 2 && isalpha((unsigned char)lx->src[lx->off - 2]))) {
			lx->off++;	/* 1e+3 */
		} else {
			break;
		}
	}
	lx->text = lx->src + start;
	lx->text_len = lx->off - start;
	lx->tok = TK_NUMBER;
	return TK_NUMBER;
}

static enum logql_tok tok2(struct logql_lexer *lx, enum logql_tok t, size_t n)
{
	lx->text = lx->src + lx->off;
	lx->text_len = n;
	lx->off += n;
	lx->tok = t;
	return t;
}

static enum logql_tok lex_punct(struct logql_lexer *lx, char c, char d)
{
	switch (c) {
	case '{': return tok2(lx, TK_LBRACE, 1);
	case '}': return tok2(lx, TK_RBRACE, 1);
	case '(': return tok2(lx, TK_LPAREN, 1);
	case ')': return tok2(lx, TK_RPAREN, 1);
	case '[': return tok2(lx, TK_LBRACK, 1);
	case ']': return tok2(lx, TK_RBRACK, 1);
	case ',': return tok2(lx, TK_COMMA, 1);
	case '.': return tok2(lx, TK_DOT, 1);
	case '+': return tok2(lx, TK_ADD, 1);
	case '*': return tok2(lx, TK_MUL, 1);
	case '/': return tok2(lx, TK_DIV, 1);
	case '%': return tok2(lx, TK_MOD, 1);
	case '^': return tok2(lx, TK_POW, 1);
	case '=':
		if (d == '~') return tok2(lx, TK_RE, 2);
		if (d == '=') return tok2(lx, TK_EQEQ, 2);
		return tok2(lx, TK_EQ, 1);
	case '!':
		if (d == '=') return tok2(lx, TK_NEQ, 2);
		if (d == '~') return tok2(lx, TK_NRE, 2);
		if (d == '>') return tok2(lx, TK_NOT_PAT, 2);
		break;
	case '|':
		if (d == '=') return tok2(lx, TK_PIPE_EQ, 2);
		if (d == '~') return tok2(lx, TK_PIPE_RE, 2);
		if (d == '>') return tok2(lx, TK_PIPE_PAT, 2);
		return tok2(lx, TK_PIPE, 1);
	case '>':
		if (d == '=') return tok2(lx, TK_GE, 2);
		return tok2(lx, TK_GT, 1);
	case '<':
		if (d == '=') return tok2(lx, TK_LE, 2);
		return tok2(lx, TK_LT, 1);
	default:
		break;
	}
	return lex_error(lx, "unexpected character");
}

enum logql_tok logql_lex_next(struct logql_lexer *lx)
{
	skip_space(lx);
	lx->tok_pos = lx->off;
	lx->text = lx->src + lx->off;
	lx->text_len = 0;
	if (lx->off >= lx->len) {
		lx->tok = TK_EOF;
		return TK_EOF;
	}
	char c = lx->src[lx->off];
	char d = lx->off + 1 < lx->len ? lx->src[lx->off + 1] : '\0';
	if (c == '"' || c == '`')
		return lex_string(lx, c);
	if (isdigit((unsigned char)c) || (c == '.' && isdigit((unsigned char)d)))
		return lex_number(lx);
	if (is_ident_start((unsigned char)c)) {
		size_t start = lx->off;
		while (lx->off < lx->len && is_ident_char((unsigned char)lx->src[lx->off]))
			lx->off++;
		lx->text = lx->src + start;
		lx->text_len = lx->off - start;
		lx->tok = TK_IDENT;
		return TK_IDENT;
	}
	if (c == '-') {
		if (d == '-' && lx->off + 2 < lx->len && is_ident_start((unsigned char)lx->src[lx->off + 2])) {
			size_t start = lx->off;
			lx->off += 2;
			while (lx->off < lx->len && (is_ident_char((unsigned char)lx->src[lx->off]) ||
						     lx->src[lx->off] == '-'))
				lx->off++;
			lx->text = lx->src + start;
			lx->text_len = lx->off - start;
			lx->tok = TK_FLAG;
			return TK_FLAG;
		}
		return tok2(lx, TK_SUB, 1);
	}
	return lex_punct(lx, c, d);
}

enum logql_tok logql_lex_peek(const struct logql_lexer *lx)
{
	struct logql_lexer copy = *lx;
	copy.sbuf = (struct ward_buf)WARD_BUF_INIT;
	enum logql_tok t = logql_lex_next(&copy);
	buf_free(&copy.sbuf);
	return t;
}

const char *logql_tok_name(enum logql_tok t)
{
	static const char *const names[] = {
		[TK_EOF] = "end of query", [TK_ERROR] = "invalid token",
		[TK_IDENT] = "identifier", [TK_STRING] = "string", [TK_NUMBER] = "number",
		[TK_FLAG] = "flag", [TK_LBRACE] = "'{'", [TK_RBRACE] = "'}'",
		[TK_LPAREN] = "'('", [TK_RPAREN] = "')'", [TK_LBRACK] = "'['",
		[TK_RBRACK] = "']'", [TK_COMMA] = "','", [TK_DOT] = "'.'",
		[TK_EQ] = "'='", [TK_NEQ] = "'!='", [TK_RE] = "'=~'", [TK_NRE] = "'!~'",
		[TK_EQEQ] = "'=='", [TK_PIPE] = "'|'", [TK_PIPE_EQ] = "'|='",
		[TK_PIPE_RE] = "'|~'", [TK_PIPE_PAT] = "'|>'", [TK_NOT_PAT] = "'!>'",
		[TK_GT] = "'>'", [TK_GE] = "'>='", [TK_LT] = "'<'", [TK_LE] = "'<='",
		[TK_ADD] = "'+'", [TK_SUB] = "'-'", [TK_MUL] = "'*'", [TK_DIV] = "'/'",
		[TK_MOD] = "'%'", [TK_POW] = "'^'",
	};
	return (unsigned)t < sizeof(names) / sizeof(names[0]) && names[t] ? names[t] : "token";
}

void logql_pos_linecol(const char *src, size_t len, size_t pos, unsigned *line, unsigned *col)
{
	unsigned l = 1, c = 1;
	for (size_t i = 0; i < pos && i < len; i++) {
		if (src[i] == '\n') { l++; c = 1; } else { c++; }
	}
	*line = l;
	*col = c;
}
