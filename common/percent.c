/* percent.c - see percent.h. */
#include "percent.h"

#include <stdbool.h>

#include "hex.h"

/* The byte an escape at s[i] ('%') stands for, or -1 if it is malformed. */
static int escape_at(const char *s, size_t n, size_t i)
{
	if (n - i < 3)
		return -1;
	return (int)hex_parse(s + i + 1, 2);
}

/* One decoder for both outputs: w is out's data (in place) or NULL. */
static size_t decode(struct ward_buf *out, char *w, const char *s, size_t n, unsigned flags,
		     size_t *bad_at)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)s[i];
		if (c == '%') {
			int v = escape_at(s, n, i);
			if (v >= 0) {
				c = v;
				i += 2;
			} else if (flags & PERCENT_STRICT) {
				if (bad_at)
					*bad_at = i;
				return PERCENT_BAD;
			}
		} else if (c == '+' && (flags & PERCENT_PLUS_SPACE)) {
			c = ' ';
		}
		if (w)
			w[o] = (char)c;
		else
			buf_append_char(out, (char)c);
		o++;
	}
	return o;
}

size_t percent_decode(struct ward_buf *out, const char *s, size_t n, unsigned flags, size_t *bad_at)
{
	buf_reserve(out, n + 1);
	return decode(out, NULL, s, n, flags, bad_at);
}

size_t percent_decode_inplace(char *s, size_t n, unsigned flags)
{
	size_t o = decode(NULL, s, s, n, flags, NULL);
	if (o != PERCENT_BAD && o < n)
		s[o] = '\0';
	return o;
}

static bool unreserved(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.' || c == '~';
}

void percent_encode(struct ward_buf *out, const char *s, size_t n, unsigned flags)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (unreserved(c)) {
			buf_append_char(out, (char)c);
		} else if (c == ' ' && (flags & PERCENT_PLUS_SPACE)) {
			buf_append_char(out, '+');
		} else {
			char e[3] = { '%', hex_digits_upper[c >> 4], hex_digits_upper[c & 15] };
			buf_append(out, e, 3);
		}
	}
}
