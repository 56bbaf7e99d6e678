/* sigma_regex.c - Sigma values as PCRE text.
 *
 * A value becomes the body of a regex: a literal with every metacharacter
 * escaped, a wildcard string (`*`, `?`), the base64 / base64offset / utf16
 * / windash encodings of Sigma's modifiers, or a `re` value checked to
 * compile alone and to hold nothing that reaches past its group (\Q,
 * (*VERB), the x flag). sigma_logql.c puts the results into label and
 * line filters. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "stages/match/sigma.h"

void sigma_refuse(struct sigma_refusal *f, const char *fmt, ...)
{
	if (f->failed)
		return;
	f->failed = true;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(f->err, f->errlen, fmt, ap);
	va_end(ap);
}

/* A literal byte for PCRE: metacharacters escaped (outside a class these
 * are all of them; x mode is never on), controls as \x{..}. */
static void re_lit(struct ward_buf *re, unsigned char c)
{
	if (c < 0x20 || c == 0x7f)
		buf_printf(re, "\\x{%02x}", c);
	else if (strchr("\\.^$|?*+()[]{}", c) && c)
		buf_printf(re, "\\%c", c);
	else
		buf_append_char(re, (char)c);
}

static void re_lits(struct ward_buf *re, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		re_lit(re, (unsigned char)s[i]);
}

/* A Sigma string with wildcards: `*` any run, `?` one character, `\*` `\?`
 * `\\` the character itself; a backslash before anything else is itself. */
static void re_wild(struct ward_buf *re, const char *s, bool strip)
{
	/* In a search (contains, keywords) a leading or trailing `*` is
	 * redundant, and a leading `.*` in an alternation makes every start
	 * position scan to the end of the line. */
	size_t n = strlen(s);
	if (strip) {
		while (*s == '*')
			s++, n--;
		while (n > 0 && s[n - 1] == '*') {
			size_t bs = 0;	/* an escaped `*` stays */
			while (bs < n - 1 && s[n - 2 - bs] == '\\')
				bs++;
			if (bs % 2)
				break;
			n--;
		}
	}
	char *copy = ward_xstrndup(s, n);
	s = copy;
	for (const char *p = s; *p; p++) {
		if (*p == '\\' && (p[1] == '*' || p[1] == '?' || p[1] == '\\')) {
			re_lit(re, (unsigned char)p[1]);
			p++;
		} else if (*p == '*') {
			buf_append_lit(re, ".*");	/* the item has (?s) */
		} else if (*p == '?') {
			buf_append_lit(re, ".");
		} else if ((unsigned char)*p >= 0xc0) {
			/* `?` is one character: keep a UTF-8 sequence whole */
			size_t k = 1;
			while ((unsigned char)p[k] >= 0x80 && (unsigned char)p[k] < 0xc0)
				k++;
			buf_append(re, p, k);
			p += k - 1;
		} else {
			re_lit(re, (unsigned char)*p);
		}
	}
	free(copy);
}

/* ---- encodings (base64, utf16, windash) ------------------------------------ */

static void b64(struct ward_buf *out, const unsigned char *d, size_t n)
{
	static const char T[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i = 0;
	for (; i + 3 <= n; i += 3) {
		unsigned v = (unsigned)d[i] << 16 | (unsigned)d[i + 1] << 8 | d[i + 2];
		char q[4] = { T[v >> 18], T[(v >> 12) & 63], T[(v >> 6) & 63], T[v & 63] };
		buf_append(out, q, 4);
	}
	if (n - i == 1) {
		unsigned v = (unsigned)d[i] << 16;
		char q[4] = { T[v >> 18], T[(v >> 12) & 63], '=', '=' };
		buf_append(out, q, 4);
	} else if (n - i == 2) {
		unsigned v = (unsigned)d[i] << 16 | (unsigned)d[i + 1] << 8;
		char q[4] = { T[v >> 18], T[(v >> 12) & 63], T[(v >> 6) & 63], '=' };
		buf_append(out, q, 4);
	}
}

/* UTF-8 -> UTF-16 (le/be); invalid sequences pass as U+FFFD. */
static void utf16(struct ward_buf *out, const char *s, bool be, bool bom)
{
	if (bom)
		buf_append(out, be ? "\xfe\xff" : "\xff\xfe", 2);
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned cp = 0xfffd;
		size_t n = 1;
		if (*p < 0x80)
			cp = *p;
		else if ((*p & 0xe0) == 0xc0 && (p[1] & 0xc0) == 0x80)
			cp = (unsigned)(*p & 0x1f) << 6 | (p[1] & 0x3f), n = 2;
		else if ((*p & 0xf0) == 0xe0 && (p[1] & 0xc0) == 0x80 && (p[2] & 0xc0) == 0x80)
			cp = (unsigned)(*p & 0x0f) << 12 | (unsigned)(p[1] & 0x3f) << 6 | (p[2] & 0x3f), n = 3;
		else if ((*p & 0xf8) == 0xf0 && (p[1] & 0xc0) == 0x80 && (p[2] & 0xc0) == 0x80 &&
			 (p[3] & 0xc0) == 0x80)
			cp = (unsigned)(*p & 0x07) << 18 | (unsigned)(p[1] & 0x3f) << 12 |
			     (unsigned)(p[2] & 0x3f) << 6 | (p[3] & 0x3f), n = 4;
		p += n;
		unsigned units[2];
		size_t nu = 0;
		if (cp >= 0x10000) {
			cp -= 0x10000;
			units[nu++] = 0xd800 | (cp >> 10);
			units[nu++] = 0xdc00 | (cp & 0x3ff);
		} else {
			units[nu++] = cp;
		}
		for (size_t k = 0; k < nu; k++) {
			char b[2] = { (char)(units[k] & 0xff), (char)(units[k] >> 8) };
			if (be) {
				char t = b[0];
				b[0] = b[1];
				b[1] = t;
			}
			buf_append(out, b, 2);
		}
	}
}

/* The byte string a value stands for before base64 (utf16 applied). */
static void encode_bytes(unsigned mods, const char *v, struct ward_buf *raw)
{
	if (mods & SM_UTF16LE)
		utf16(raw, v, false, false);
	else if (mods & SM_UTF16BE)
		utf16(raw, v, true, false);
	else if (mods & SM_UTF16)
		utf16(raw, v, false, true);
	else
		buf_append_str(raw, v);
}

/* base64offset: the three encodings of the value at offsets 0, 1, 2 of a
 * 3-byte group, trimmed to the characters that do not depend on the
 * neighbouring bytes (Sigma's definition). */
static void b64offset_variants(struct sigma_refusal *f, const struct ward_buf *raw, struct ward_buf *re)
{
	static const size_t start[3] = { 0, 2, 3 };
	bool any = false;
	for (size_t k = 0; k < 3; k++) {
		struct ward_buf pad = WARD_BUF_INIT, enc = WARD_BUF_INIT;
		for (size_t i = 0; i < k; i++)
			buf_append_char(&pad, ' ');
		buf_append(&pad, raw->data ? raw->data : "", raw->len);
		b64(&enc, (const unsigned char *)(pad.data ? pad.data : ""), pad.len);
		/* trailing characters touched by the padding: (k + len) % 3 -> 0, 3, 2 */
		size_t tr = (size_t[]){ 0, 3, 2 }[(k + raw->len) % 3];
		size_t a = start[k], b = enc.len > tr ? enc.len - tr : 0;
		/* a value too short for an alignment has no stable text there: an
		 * empty alternative would match everything */
		if (b > a) {
			if (any)
				buf_append_char(re, '|');
			re_lits(re, enc.data + a, b - a);
			any = true;
		}
		buf_free(&pad);
		buf_free(&enc);
	}
	if (!any)
		sigma_refuse(f, "value too short for base64offset");
}

static bool re_safe(struct sigma_refusal *f, const char *v)
{
	if (strstr(v, "\\Q") || strstr(v, "(*")) {
		sigma_refuse(f, "regex %.60s: \\Q and (*VERB) are not allowed", v);
		return false;
	}
	for (const char *p = strstr(v, "(?"); p; p = strstr(p + 2, "(?")) {
		const char *q = p + 2;
		while (isalpha((unsigned char)*q) || *q == '-' || *q == '^')
			if (*q++ == 'x') {
				sigma_refuse(f, "regex %.60s: the x flag is not allowed", v);
				return false;
			}
	}
	int ec;
	PCRE2_SIZE eo;
	pcre2_code *c = pcre2_compile((PCRE2_SPTR)v, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &ec, &eo, NULL);
	if (!c) {
		PCRE2_UCHAR msg[128];
		pcre2_get_error_message(ec, msg, sizeof(msg));
		sigma_refuse(f, "regex %.60s: %s at %zu", v, (char *)msg, (size_t)eo);
		return false;
	}
	pcre2_code_free(c);
	return true;
}

/* The regex body of one string value (no anchors, no flags). */
void sigma_regex_value(struct sigma_refusal *f, unsigned mods, const char *v, bool search, struct ward_buf *re)
{
	if (mods & SM_RE) {
		if (re_safe(f, v))
			buf_append_str(re, v);
		return;
	}
	if (mods & (SM_BASE64 | SM_BASE64OFFSET)) {
		struct ward_buf raw = WARD_BUF_INIT;
		encode_bytes(mods, v, &raw);
		if (mods & SM_BASE64OFFSET) {
			b64offset_variants(f, &raw, re);
		} else {
			struct ward_buf enc = WARD_BUF_INIT;
			b64(&enc, (const unsigned char *)(raw.data ? raw.data : ""), raw.len);
			re_lits(re, enc.data ? enc.data : "", enc.len);
			buf_free(&enc);
		}
		buf_free(&raw);
		return;
	}
	if (mods & SM_WINDASH) {
		static const char *const dash[] = { "-", "/", "\xe2\x80\x93", "\xe2\x80\x94", "\xe2\x80\x95" };
		for (size_t k = 0; k < 5; k++) {
			struct ward_buf var = WARD_BUF_INIT;
			for (const char *p = v; *p; p++)
				if (*p == '-')
					buf_append_str(&var, dash[k]);
				else
					buf_append_char(&var, *p);
			if (k)
				buf_append_char(re, '|');
			re_wild(re, var.data ? var.data : "", search);
			buf_free(&var);
		}
		return;
	}
	re_wild(re, v, search);
}

/* Flags of an item's regex: case-insensitive unless cased, re without i, or
 * an encoding (base64 is case-sensitive). */
const char *sigma_regex_flags(unsigned mods)
{
	if (mods & SM_RE) {
		static char f[8];
		char *p = f;
		*p++ = '(';
		*p++ = '?';
		if (mods & SM_RE_I)
			*p++ = 'i';
		if (mods & SM_RE_M)
			*p++ = 'm';
		if (mods & SM_RE_S)
			*p++ = 's';
		*p++ = ')';
		*p = 0;
		return p - f > 3 ? f : "";
	}
	if (mods & (SM_CASED | SM_BASE64 | SM_BASE64OFFSET))
		return "(?s)";
	return "(?is)";
}

/* Whole-value regex (label filters are anchored) of one or several values. */
void sigma_regex_item(struct sigma_refusal *f, const struct sigma_item *it, const struct sigma_value *vals,
		      size_t n, bool keyword, struct ward_buf *re)
{
	unsigned m = it->mods;
	bool lead = keyword || (m & (SM_CONTAINS | SM_ENDSWITH | SM_RE | SM_BASE64OFFSET));
	bool trail = keyword || (m & (SM_CONTAINS | SM_STARTSWITH | SM_RE | SM_BASE64OFFSET));
	buf_append_str(re, sigma_regex_flags(m));
	if (lead)
		buf_append_str(re, m & SM_RE ? "(?s:.*)" : ".*");
	struct ward_buf body = WARD_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_append_char(&body, '|');
		if (m & SM_RE)
			buf_append_lit(&body, "(?:");
		sigma_regex_value(f, m, vals[i].s, lead && trail, &body);
		if (m & SM_RE)
			buf_append_char(&body, ')');
	}
	/* one literal value needs no group: `.*x.*` is also the form the
	 * engine runs as a plain search */
	bool group = n > 1 || (m & SM_RE) || (body.data && strchr(body.data, '|'));
	if (group)
		buf_append_lit(re, "(?:");
	buf_append(re, body.data ? body.data : "", body.len);
	if (group)
		buf_append_char(re, ')');
	buf_free(&body);
	if (trail)
		buf_append_str(re, m & SM_RE ? "(?s:.*)" : ".*");
}
