/* sigma_quote.c - text from a Sigma rule as a LogQL string or a YAML
 * scalar: every value is data, so no value can end its string. */
#include "stages/match/sigma.h"

/* The YAML-only escapes of sigma_quote_yaml: the bytes of one character
 * at p written as an escape (returns how many bytes it took), or 0. */
static size_t yaml_escape(struct ward_buf *out, const unsigned char *p)
{
	if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0xa0) {
		/* C1 controls and NBSP: YAML wants them escaped */
		buf_printf(out, "\\u00%02x", p[1]);
		return 2;
	}
	if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
		/* U+2028/2029 are line breaks to YAML 1.1 parsers (libyaml keeps
		 * them inside quotes; others may fold them): escaped, read alike */
		buf_printf(out, "\\u20%02x", p[2] == 0xa8 ? 0x28 : 0x29);
		return 3;
	}
	if (p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) {
		buf_append_lit(out, "\\ufeff");
		return 3;
	}
	if (p[0] == 0xef && p[1] == 0xbf && (p[2] == 0xbe || p[2] == 0xbf)) {
		buf_printf(out, "\\uff%02x", p[2] == 0xbe ? 0xfe : 0xff);
		return 3;
	}
	return 0;
}

/* One quoting for both targets: '"', '\\' and controls escaped alike; YAML
 * also escapes what its parsers read as breaks or strip (yaml_escape). */
static void quote(struct ward_buf *out, const char *s, bool yaml)
{
	buf_append_char(out, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		size_t took;
		if (*p == '"' || *p == '\\') {
			buf_append_char(out, '\\');
			buf_append_char(out, (char)*p);
		} else if (*p < 0x20 || *p == 0x7f) {
			buf_printf(out, "\\x%02x", *p);
		} else if (yaml && (took = yaml_escape(out, p)) > 0) {
			p += took - 1;
		} else {
			buf_append_char(out, (char)*p);
		}
	}
	buf_append_char(out, '"');
}

void sigma_quote_logql(struct ward_buf *out, const char *s)
{
	quote(out, s, false);
}

void sigma_quote_yaml(struct ward_buf *out, const char *s)
{
	quote(out, s, true);
}
