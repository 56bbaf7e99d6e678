/* jsonstr.c - see jsonstr.h. The loops run per string of every event
 * (ward-match's fast path decodes with them): runs between escapes are
 * found 16 bytes at a time (jsonscan.h) and copied whole, and escapes are
 * written through a raw pointer into space reserved once. */
#include "jsonstr.h"

#include <string.h>

#include "hex.h"
#include "jsonscan.h"
#include "utf8.h"

/* The code point of \uXXXX whose 'u' is at s[*i] (i < n), pairing a high
 * surrogate with a following \u low one; advances *i to the last byte
 * read. -1: bad hex digits, or a lone surrogate without the flag. */
static inline int32_t unicode_escape(const char *s, size_t n, size_t *i, unsigned flags)
{
	if (n - *i < 5)
		return -1;
	int32_t cp = (int32_t)hex_parse(s + *i + 1, 4);
	if (cp < 0)
		return -1;
	*i += 4;
	if (cp < 0xD800 || cp > 0xDFFF)
		return cp;
	if (flags & JSONSTR_NO_SURROGATES)
		return -1;
	if (cp <= 0xDBFF && n - *i >= 7 && s[*i + 1] == '\\' && s[*i + 2] == 'u') {
		int32_t lo = (int32_t)hex_parse(s + *i + 3, 4);
		if (lo >= 0xDC00 && lo <= 0xDFFF) {
			*i += 6;
			return 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
		}
	}
	return (flags & JSONSTR_LONE_SURROGATE_FFFD) ? (int32_t)UTF8_REPLACEMENT : -1;
}

/* One escape whose backslash is at s[*i]: its bytes written at *d (NULL:
 * only checked); *i advanced to the escape's last byte. */
static inline int escape(const char *s, size_t n, size_t *i, unsigned flags, char **d)
{
	if (++*i >= n)
		return -1;
	char c = s[*i], e;
	switch (c) {
	case '"': case '\\': case '/': e = c; break;
	case 'b': e = '\b'; break;
	case 'f': e = '\f'; break;
	case 'n': e = '\n'; break;
	case 'r': e = '\r'; break;
	case 't': e = '\t'; break;
	case 'u': {
		int32_t cp = unicode_escape(s, n, i, flags);
		if (cp < 0)
			return -1;
		if (d)
			*d += utf8_encode(*d, (uint32_t)cp);
		return 0;
	}
	default: return -1;
	}
	if (d)
		*(*d)++ = e;
	return 0;
}

/* Decode from s[i] (a backslash, or the start of a run) up to the
 * closing quote (quoted) or to n (!quoted), writing the value at *d unless
 * d is NULL (only checked). Returns the offset of the closing quote (or n),
 * or JSONSTR_INVALID. Inlined into each caller with constant flags. */
static inline __attribute__((always_inline)) size_t
decode(const char *s, size_t n, size_t i, unsigned flags, bool quoted, bool overlap, char **d,
       bool *high)
{
	for (;;) {
		size_t p = json_scan_special(s, i, n, high);
		if (d) {
			if (overlap)
				memmove(*d, s + i, p - i);
			else
				memcpy(*d, s + i, p - i);
			*d += p - i;
		}
		if (p >= n)
			return quoted ? JSONSTR_INVALID : n;
		unsigned char c = (unsigned char)s[p];
		if (c == '"')	/* in a bare body, a raw quote is invalid */
			return quoted ? p : JSONSTR_INVALID;
		if (c < 0x20)
			return JSONSTR_INVALID;
		if (escape(s, n, &p, flags, d) != 0)
			return JSONSTR_INVALID;
		i = p + 1;
	}
}

int jsonstr_read_rest(const char *s, size_t n, size_t i, size_t p, bool high, unsigned flags,
		      struct ward_buf *scratch, struct jsonstr *r)
{
	size_t start = i + 1;
	if (p >= n || s[p] != '\\')
		return -1;	/* unterminated, or a raw control byte */
	/* An escape at p: copy what came before, decode the rest. */
	buf_reset(scratch);
	buf_reserve(scratch, n - start + 1);
	memcpy(scratch->data, s + start, p - start);
	char *d = scratch->data + (p - start);
	if (escape(s, n, &p, flags, &d) != 0)
		return -1;
	p = decode(s, n, p + 1, flags, true, false, &d, &high);
	if (p == JSONSTR_INVALID)
		return -1;
	scratch->len = (size_t)(d - scratch->data);
	scratch->data[scratch->len] = '\0';
	*r = (struct jsonstr){ scratch->data, scratch->len, p + 1, true, high };
	return 0;
}

size_t jsonstr_skip(const char *s, size_t n, size_t i, unsigned flags)
{
	bool high = false;
	size_t p = decode(s, n, i + 1, flags, true, false, NULL, &high);
	return p == JSONSTR_INVALID ? p : p + 1;
}

int jsonstr_unescape(struct ward_buf *out, const char *body, size_t n, unsigned flags)
{
	bool high = false;
	buf_reserve(out, n + 1);
	char *d = out->data + out->len;
	size_t p = decode(body, n, 0, flags, false, false, &d, &high);
	out->len = (size_t)(d - out->data);
	out->data[out->len] = '\0';
	return p == JSONSTR_INVALID ? -1 : 0;
}

size_t jsonstr_unescape_inplace(char *body, size_t n, unsigned flags)
{
	bool high = false;
	char *d = body;
	size_t p = decode(body, n, 0, flags, false, true, &d, &high);
	return p == JSONSTR_INVALID ? p : (size_t)(d - body);
}
