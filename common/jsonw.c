/* jsonw.c - JSON writer. */
#include "jsonw.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmtdouble.h"
#include "hex.h"
#include "jsonscan.h"
#include "utf8.h"

/* Writes the escape for an ASCII byte at p; returns its length. */
static size_t escape_ascii(char *p, unsigned char c)
{
	switch (c) {
	case '"': memcpy(p, "\\\"", 2); return 2;
	case '\\': memcpy(p, "\\\\", 2); return 2;
	case '\n': memcpy(p, "\\n", 2); return 2;
	case '\r': memcpy(p, "\\r", 2); return 2;
	case '\t': memcpy(p, "\\t", 2); return 2;
	default:
		p[0] = '\\';
		p[1] = 'u';
		p[2] = '0';
		p[3] = '0';
		p[4] = hex_digits_lower[c >> 4];
		p[5] = hex_digits_lower[c & 15];
		return 6;
	}
}

void jsonw_string(struct ward_buf *b, const char *s, size_t n)
{
	const unsigned char *in = (const unsigned char *)s;
	/* Worst case: every byte becomes a 6-byte escape. Reserving once keeps
	 * the per-byte loop free of bounds checks. */
	if (n > (SIZE_MAX - 2) / 6)
		ward_oom();
	buf_reserve(b, n * 6 + 2);
	char *out = b->data + b->len, *start = out;
	*out++ = '"';
	size_t i = 0;
	while (i < n) {
		size_t run = json_scan_plain(s + i, n - i);
		memcpy(out, in + i, run);
		out += run;
		i += run;
		if (i == n)
			break;
		unsigned char c = in[i];
		if (c < 0x80) {
			out += escape_ascii(out, c);
			i++;
		} else {
			size_t k = utf8_seq_len(in + i, n - i);
			if (k == 0) {
				memcpy(out, "\xEF\xBF\xBD", 3);	/* U+FFFD */
				out += 3;
				i++;
			} else {
				memcpy(out, in + i, k);
				out += k;
				i += k;
			}
		}
	}
	*out++ = '"';
	b->len += (size_t)(out - start);
	b->data[b->len] = '\0';
}

void jsonw_cstring(struct ward_buf *b, const char *s)
{
	jsonw_string(b, s, strlen(s));
}

void jsonw_double(struct ward_buf *b, double v)
{
	if (isnan(v) || isinf(v)) {	/* JSON has no such numbers: a string */
		buf_append_char(b, '"');
		fmtdouble_append(b, v, FMTDOUBLE_JSON);
		buf_append_char(b, '"');
		return;
	}
	/* FMTDOUBLE_JSON's integral case without printf: counts and
	 * thresholds are written per alert */
	if (fabs(v) < 9007199254740992.0 && v == (double)(int64_t)v) {
		jsonw_int(b, (int64_t)v);
		return;
	}
	fmtdouble_append(b, v, FMTDOUBLE_JSON);
}

char *jsonw_int_digits(char out[JSONW_INT_MAX], int64_t v)
{
	char *q = out + JSONW_INT_MAX;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	do {
		*--q = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--q = '-';
	return q;
}

void jsonw_int(struct ward_buf *b, int64_t v)
{
	char tmp[JSONW_INT_MAX], *q = jsonw_int_digits(tmp, v);
	buf_append(b, q, (size_t)(tmp + sizeof tmp - q));
}

void jsonw_key(struct ward_buf *b, const char *key, int first)
{
	if (!first)
		buf_append_char(b, ',');
	jsonw_cstring(b, key);
	buf_append_char(b, ':');
}
