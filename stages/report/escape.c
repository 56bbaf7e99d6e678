/* escape.c - see escape.h. */
#include "stages/report/escape.h"

#include <string.h>

#include "utf8.h"

/* Calls emit for each character (1..4 bytes), sanitized as escape.h says. */
static void each_char(struct ward_buf *out, const char *s, size_t max,
		      void (*emit)(struct ward_buf *out, const char *c, size_t n))
{
	size_t len = strlen(s), used = 0;
	for (size_t i = 0; i < len;) {
		size_t n = utf8_seq_len((const unsigned char *)s + i, len - i);
		if (used >= max) {
			buf_append_str(out, "\xe2\x80\xa6");	/* … */
			return;
		}
		if (n == 0) {
			emit(out, "\xef\xbf\xbd", 3);
			i++;
		} else if (n == 1 && ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)) {
			emit(out, " ", 1);
			i++;
		} else {
			emit(out, s + i, n);
			i += n;
		}
		used += n ? n : 1;
	}
}

static void html_char(struct ward_buf *out, const char *c, size_t n)
{
	switch (n == 1 ? *c : 0) {
	case '&': buf_append_str(out, "&amp;"); break;
	case '<': buf_append_str(out, "&lt;"); break;
	case '>': buf_append_str(out, "&gt;"); break;
	case '"': buf_append_str(out, "&quot;"); break;
	case '\'': buf_append_str(out, "&#39;"); break;
	default: buf_append(out, c, n);
	}
}

static void md_char(struct ward_buf *out, const char *c, size_t n)
{
	if (n == 1 && strchr("&<>", *c)) {
		html_char(out, c, n);
		return;
	}
	/* Not - + = and quotes: they mean nothing inside a table cell or
	 * after text; : and . stay escaped against GFM's bare autolinks. */
	if (n == 1 && strchr("\\`*_[]()#.!|~:", *c))
		buf_append_char(out, '\\');
	buf_append(out, c, n);
}

static void code_char(struct ward_buf *out, const char *c, size_t n)
{
	if (n == 1 && *c == '|')	/* GFM splits table cells before code spans */
		buf_append_str(out, "\\|");
	else
		buf_append(out, n == 1 && *c == '`' ? "'" : c, n);
}

void esc_html(struct ward_buf *out, const char *s, size_t max)
{
	each_char(out, s ? s : "", max, html_char);
}

void esc_md(struct ward_buf *out, const char *s, size_t max)
{
	each_char(out, s ? s : "", max, md_char);
}

void esc_md_code(struct ward_buf *out, const char *s, size_t max)
{
	buf_append_str(out, "`` ");
	each_char(out, s ? s : "", max, code_char);
	buf_append_str(out, " ``");
}
