/* jsonw.c - JSON writer. */
#include "jsonw.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

static const char hexdig[] = "0123456789abcdef";

/* Bytes that can be copied as they are: printable ASCII except '"' and '\\'. */
static inline int plain_ascii(unsigned char c)
{
	return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

static void escape_control(struct ward_buf *b, unsigned char c)
{
	switch (c) {
	case '"': buf_append(b, "\\\"", 2); return;
	case '\\': buf_append(b, "\\\\", 2); return;
	case '\n': buf_append(b, "\\n", 2); return;
	case '\r': buf_append(b, "\\r", 2); return;
	case '\t': buf_append(b, "\\t", 2); return;
	default: {
		char u[6] = { '\\', 'u', '0', '0', hexdig[c >> 4], hexdig[c & 15] };
		buf_append(b, u, 6);
	}
	}
}

void jsonw_string(struct ward_buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	buf_reserve(b, n + 2);
	buf_append_char(b, '"');
	size_t i = 0;
	while (i < n) {
		size_t run = i;
		while (run < n && plain_ascii(p[run]))
			run++;
		if (run > i) {
			buf_append(b, p + i, run - i);
			i = run;
			continue;
		}
		if (p[i] < 0x80) {
			escape_control(b, p[i]);
			i++;
			continue;
		}
		size_t k = utf8_seq_len(p + i, n - i);
		if (k == 0) {
			buf_append(b, "\xEF\xBF\xBD", 3);	/* U+FFFD */
			i++;
		} else {
			buf_append(b, p + i, k);
			i += k;
		}
	}
	buf_append_char(b, '"');
}

void jsonw_cstring(struct ward_buf *b, const char *s)
{
	jsonw_string(b, s, strlen(s));
}

void jsonw_double(struct ward_buf *b, double v)
{
	if (isnan(v)) {
		buf_append_str(b, "\"NaN\"");
		return;
	}
	if (isinf(v)) {
		buf_append_str(b, v > 0 ? "\"+Inf\"" : "\"-Inf\"");
		return;
	}
	if (fabs(v) < 9007199254740992.0 && v == (double)(int64_t)v) {
		jsonw_int(b, (int64_t)v);
		return;
	}
	char tmp[32];
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*g", prec, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	buf_append_str(b, tmp);
}

void jsonw_int(struct ward_buf *b, int64_t v)
{
	buf_printf(b, "%" PRId64, v);
}

void jsonw_key(struct ward_buf *b, const char *key, int first)
{
	if (!first)
		buf_append_char(b, ',');
	jsonw_cstring(b, key);
	buf_append_char(b, ':');
}
