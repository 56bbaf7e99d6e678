/* logql_logfmt.c - the logfmt extractor (go-logfmt's grammar, Loki's
 * strict and keep-empty flags). */
#include <stdio.h>
#include <string.h>

#include "hex.h"
#include "logql_extract_int.h"
#include "utf8.h"

static bool lf_key_char(unsigned char c)
{
	return c > ' ' && c != '=' && c != '"' && c != 0x7f;
}

/* Quoted value at s[*i] == '"' (Go strconv escapes). */
static int lf_quoted(const char *s, size_t n, size_t *i, struct ward_buf *out)
{
	buf_reset(out);
	(*i)++;
	while (*i < n) {
		char c = s[*i];
		if (c == '"') {
			(*i)++;
			buf_reserve(out, 1);
			return 0;
		}
		if (c == '\\' && *i + 1 < n) {
			char e = s[*i + 1];
			int64_t cp;
			*i += 2;
			switch (e) {
			case 'n': buf_append_char(out, '\n'); break;
			case 't': buf_append_char(out, '\t'); break;
			case 'r': buf_append_char(out, '\r'); break;
			case '\\': case '"': case '/': buf_append_char(out, e); break;
			case 'u':
				if (*i + 4 > n || (cp = hex_parse(s + *i, 4)) < 0)
					return -1;
				*i += 4;
				utf8_put(out, (uint32_t)cp);
				break;
			default:
				return -1;
			}
			continue;
		}
		buf_append_char(out, c);
		(*i)++;
	}
	return -1;
}

int logql_logfmt(const char *s, size_t n, bool strict, bool keep_empty, struct ward_buf *scratch,
	      logql_emit_fn emit, void *ud, char *err, size_t errlen)
{
	size_t i = 0;
	if (err && errlen)
		err[0] = '\0';
	while (i < n) {
		while (i < n && (unsigned char)s[i] <= ' ')
			i++;
		if (i >= n)
			break;
		size_t ks = i;
		while (i < n && lf_key_char((unsigned char)s[i]))
			i++;
		size_t kl = i - ks;
		const char *v = "";
		size_t vl = 0;
		bool bad = kl == 0;
		if (!bad && i < n && s[i] == '=') {
			i++;
			if (i < n && s[i] == '"') {
				if (lf_quoted(s, n, &i, &scratch[1]) != 0) {
					bad = true;
				} else {
					v = scratch[1].data;
					vl = scratch[1].len;
				}
			} else {
				size_t vs = i;
				while (i < n && (unsigned char)s[i] > ' ' && s[i] != '"' && s[i] != '=')
					i++;
				v = s + vs;
				vl = i - vs;
			}
			if (!bad && i < n && (unsigned char)s[i] > ' ')
				bad = true;	/* "a=b=c", "a=b"c" */
		} else if (!bad && i < n && (unsigned char)s[i] > ' ') {
			bad = true;
		}
		if (bad) {
			if (strict) {
				if (err && errlen)
					snprintf(err, errlen, "logfmt syntax error at pos %zu", i + 1);
				return -1;
			}
			while (i < n && (unsigned char)s[i] > ' ')
				i++;
			continue;
		}
		if (vl > 0 || keep_empty) {
			buf_reset(&scratch[0]);
			logql_sanitize_key(s + ks, kl, true, &scratch[0]);
			if (scratch[0].len > 0)
				emit(ud, scratch[0].data, scratch[0].len, v, vl);
		}
	}
	return 0;
}

