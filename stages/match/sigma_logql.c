/* sigma_logql.c - one Sigma rule -> one LogQL log query.
 *
 * Shape of the query:
 *   {job=~".+"} <source line filter> <keyword line filters> <parser stages>
 *     <derived-field stages> | <label filter expression> | drop <helpers>
 * The top-level AND terms of the condition that are plain keyword searches
 * become line filters (`|~`, `!~`: the engine's prefilter sees them); the
 * rest becomes one label filter expression (`and`/`or`/parentheses; `not`
 * is pushed down to the leaves, since LogQL label filters have no `not`).
 *
 * Values are data: a literal is regex-quoted (every ASCII punctuation byte
 * escaped), a `re` value is checked to compile alone and may not hold
 * constructs that reach past its group (\Q, (*VERB), x-mode comments), and
 * every regex is written as a LogQL "..." string with its quotes and
 * backslashes escaped. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "stages/match/rule_fragments.h"
#include "stages/match/sigma.h"

/* The packs' own fragments (rules/genlib.py, rules/gen_web.py), generated
 * into rule_fragments.h: Sigma rules read lines exactly as the packs do. */
#define ACCESS_PIPELINE RULE_ACCESS_PIPELINE
#define PROGRAM_AT_START(prog) RULE_PROGRAM_AT_START(prog)

/* Derived web fields, computed only when a rule names them. */
enum { D_LINE = 1, D_PATH = 2, D_EXT = 4, D_HOST = 8, D_USER = 16, D_SUDO = 32 };

/* The remote user of a text access log: ACCESS_TEXT_REGEX of
 * rules/gen_web.py with only that token captured (position-anchored, so a
 * client cannot choose where it is read). */
static const char D_USER_STAGE[] =
	" | regexp `^(?:(?:(?:<\\d{1,3}>)?(?:[A-Z][a-z]{2} {1,2}\\d{1,2} \\d\\d:\\d\\d:\\d\\d|\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?(?:Z|[+-]\\d\\d:?\\d\\d)) \\S+ )?(?:nginx|apache2?|httpd|apache-access|lighttpd)(?:\\[\\d+\\])?: |<\\d{1,3}>1 \\S+ \\S+ (?:nginx|apache2?|httpd|apache-access|lighttpd) \\S+ \\S+ (?:-|(?:\\[(?:[^\\]\\\\]|\\\\.)*\\])+) )?(?:(?:[^\\s\"]+) )?(?:[0-9A-Fa-f:.]*[0-9A-Fa-f](?:%[0-9A-Za-z]+)?) \\S+ (?P<_sigma_user>\\S+) \\[`";

static const char D_PATH_STAGE[] =
	" | label_format _sigma_path_raw=`{{ regexReplaceAll \"(?s)\\\\?.*\" .request_uri \"\" }}`,"
	" _sigma_path=`{{ regexReplaceAll \"(?s)\\\\?.*\" .uri \"\" }}`,"
	" _sigma_query_raw=`{{ regexReplaceAll \"^(?s)[^?]*\\\\??\" .request_uri \"\" }}`,"
	" _sigma_query=`{{ regexReplaceAll \"^(?s)[^?]*\\\\??\" .uri \"\" }}`";
static const char D_EXT_STAGE[] =
	" | label_format _sigma_ext=`{{ regexReplaceAll \"^(?s)(?:.*\\\\.([^./]*)|.*)$\" (regexReplaceAll \"(?s)\\\\?.*\" .uri \"\") \"${1}\" }}`";
static const char D_HOST_STAGE[] =
	" | label_format _sigma_host=`{{ $h := regexReplaceAll \"^(?s)(?:[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?([^/?#:]*)|([^/?#:]+):[0-9]+$|).*$\" .request_uri \"${1}${2}\" }}"
	"{{ if $h }}{{ $h }}{{ else }}{{ regexReplaceAll \":[0-9]+$\" .vhost \"\" }}{{ end }}`";

enum src_kind { SRC_WEB, SRC_LINUX, SRC_AUDITD };

#define FMAP_MAX 4
struct fmap {
	const char *sigma;
	const char *ward[FMAP_MAX];
	unsigned derived;
	const char *null_field;	/* what `field: null` tests, when not every target */
};

/* webserver / proxy taxonomy -> the access-log fields (docs/sigma.md). */
static const struct fmap WEB_FIELDS[] = {
	{ "c-ip", { "src_ip" }, 0, NULL },
	{ "src_ip", { "src_ip" }, 0, NULL },
	{ "cs-method", { "method" }, 0, NULL },
	{ "sc-status", { "status" }, 0, NULL },
	{ "c-useragent", { "user_agent" }, 0, NULL },
	{ "cs-user-agent", { "user_agent" }, 0, NULL },
	{ "cs(User-Agent)", { "user_agent" }, 0, NULL },
	{ "cs-referer", { "referer" }, 0, NULL },
	{ "cs-referrer", { "referer" }, 0, NULL },
	{ "cs(Referer)", { "referer" }, 0, NULL },
	{ "cs-version", { "server_protocol" }, 0, NULL },
	/* the query string, and the whole URI: text and combined logs do not
	 * split them, and SigmaHQ's rules use cs-uri-query for "in the request" */
	{ "cs-uri-query", { "request_uri", "uri", "_sigma_query_raw", "_sigma_query" }, D_PATH, "_sigma_query_raw" },
	{ "c-uri-query", { "request_uri", "uri", "_sigma_query_raw", "_sigma_query" }, D_PATH, "_sigma_query_raw" },
	{ "cs-uri", { "request_uri", "uri" }, 0, NULL },
	{ "c-uri", { "request_uri", "uri" }, 0, NULL },
	{ "url", { "request_uri", "uri" }, 0, NULL },
	{ "cs-uri-stem", { "_sigma_path_raw", "_sigma_path" }, D_PATH, NULL },
	{ "c-uri-stem", { "_sigma_path_raw", "_sigma_path" }, D_PATH, NULL },
	{ "c-uri-extension", { "_sigma_ext" }, D_EXT, NULL },
	{ "cs-host", { "_sigma_host" }, D_HOST, NULL },
	{ "r-dns", { "_sigma_host" }, D_HOST, NULL },
	{ "vhost", { "vhost" }, 0, NULL },
	/* proxy: the destination named by an absolute-form request URI */
	{ "dst_ip", { "_sigma_host" }, D_HOST, NULL },
	{ "cs-username", { "_sigma_user", "remote_user" }, D_USER, NULL },
	/* only in JSON access logs that carry nginx's $http_cookie / $content_type */
	{ "cs-cookie", { "http_cookie" }, 0, NULL },
	{ "cs(Cookie)", { "http_cookie" }, 0, NULL },
	{ "cs-content-type", { "content_type" }, 0, NULL },
};

/* sudo's log line (sudo's logging: "user : TTY=.. ; PWD=.. ; USER=.. ;
 * COMMAND=..", optional CHROOT, GROUP, TSID, ENV), anchored after the tag. */
static const char SUDO_FIELDS[][8] = { "USER", "COMMAND", "TTY", "PWD" };
#define SUDO_REGEX PROGRAM_AT_START("sudo") \
	" *\\S+ : (?:[^;]* ; )*?TTY=(?P<TTY>\\S*) ; (?:CHROOT=.*? ; )?PWD=(?P<PWD>.*?) ; USER=(?P<USER>.*?) ; " \
	"(?:GROUP=.*? ; )?(?:TSID=.*? ; )?(?:ENV=.*? ; )?COMMAND=(?P<COMMAND>.*)$"

struct gen {
	const struct sigma_rule *r;
	enum src_kind kind;
	bool sudo;
	unsigned derived;
	char *err;
	size_t errlen;
	bool failed;
	const char *null_field;	/* of the field map_field last mapped */
	struct ward_buf fref;	/* label_format stages of fieldref comparisons */
	unsigned nfref;
};

static void gfail(struct gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void gfail(struct gen *g, const char *fmt, ...)
{
	if (g->failed)
		return;
	g->failed = true;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(g->err, g->errlen, fmt, ap);
	va_end(ap);
}

/* ---- quoting ----------------------------------------------------------------- */

void sigma_quote_logql(struct ward_buf *out, const char *s)
{
	buf_append_char(out, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\') {
			buf_append_char(out, '\\');
			buf_append_char(out, (char)*p);
		} else if (*p < 0x20 || *p == 0x7f) {
			buf_printf(out, "\\x%02x", *p);
		} else {
			buf_append_char(out, (char)*p);
		}
	}
	buf_append_char(out, '"');
}

void sigma_quote_yaml(struct ward_buf *out, const char *s)
{
	buf_append_char(out, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\') {
			buf_append_char(out, '\\');
			buf_append_char(out, (char)*p);
		} else if (*p < 0x20 || *p == 0x7f) {
			buf_printf(out, "\\x%02x", *p);
		} else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0xa0) {
			/* C1 controls and NBSP: YAML wants them escaped */
			buf_printf(out, "\\u00%02x", p[1]);
			p++;
		} else if (*p == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
			/* U+2028/2029 are line breaks to YAML 1.1 parsers (libyaml keeps
			 * them inside quotes; others may fold them): escaped, read alike */
			buf_printf(out, "\\u20%02x", p[2] == 0xa8 ? 0x28 : 0x29);
			p += 2;
		} else if (*p == 0xef && p[1] == 0xbb && p[2] == 0xbf) {
			buf_append_lit(out, "\\ufeff");
			p += 2;
		} else if (*p == 0xef && p[1] == 0xbf && (p[2] == 0xbe || p[2] == 0xbf)) {
			buf_printf(out, "\\uff%02x", p[2] == 0xbe ? 0xfe : 0xff);
			p += 2;
		} else {
			buf_append_char(out, (char)*p);
		}
	}
	buf_append_char(out, '"');
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
static void b64offset_variants(struct gen *g, const struct ward_buf *raw, struct ward_buf *re)
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
		gfail(g, "value too short for base64offset");
}

/* ---- one value -> regex body ---------------------------------------------- */

static bool re_safe(struct gen *g, const char *v)
{
	if (strstr(v, "\\Q") || strstr(v, "(*")) {
		gfail(g, "regex %.60s: \\Q and (*VERB) are not allowed", v);
		return false;
	}
	for (const char *p = strstr(v, "(?"); p; p = strstr(p + 2, "(?")) {
		const char *q = p + 2;
		while (isalpha((unsigned char)*q) || *q == '-' || *q == '^')
			if (*q++ == 'x') {
				gfail(g, "regex %.60s: the x flag is not allowed", v);
				return false;
			}
	}
	int ec;
	PCRE2_SIZE eo;
	pcre2_code *c = pcre2_compile((PCRE2_SPTR)v, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &ec, &eo, NULL);
	if (!c) {
		PCRE2_UCHAR msg[128];
		pcre2_get_error_message(ec, msg, sizeof(msg));
		gfail(g, "regex %.60s: %s at %zu", v, (char *)msg, (size_t)eo);
		return false;
	}
	pcre2_code_free(c);
	return true;
}

/* The regex body of one string value (no anchors, no flags). */
static void value_body(struct gen *g, unsigned mods, const char *v, bool search, struct ward_buf *re)
{
	if (mods & SM_RE) {
		if (re_safe(g, v))
			buf_append_str(re, v);
		return;
	}
	if (mods & (SM_BASE64 | SM_BASE64OFFSET)) {
		struct ward_buf raw = WARD_BUF_INIT;
		encode_bytes(mods, v, &raw);
		if (mods & SM_BASE64OFFSET) {
			b64offset_variants(g, &raw, re);
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

/* ---- label filter expression ------------------------------------------------ */

static bool is_plain(unsigned mods)
{
	return !(mods & (SM_CIDR | SM_GT | SM_GTE | SM_LT | SM_LTE | SM_EXISTS | SM_FIELDREF));
}

/* Flags of an item's regex: case-insensitive unless cased, re without i, or
 * an encoding (base64 is case-sensitive). */
static const char *item_flags(unsigned mods)
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
static void item_regex(struct gen *g, const struct sigma_item *it, const struct sigma_value *vals, size_t n,
		       bool keyword, struct ward_buf *re)
{
	unsigned m = it->mods;
	bool lead = keyword || (m & (SM_CONTAINS | SM_ENDSWITH | SM_RE | SM_BASE64OFFSET));
	bool trail = keyword || (m & (SM_CONTAINS | SM_STARTSWITH | SM_RE | SM_BASE64OFFSET));
	buf_append_str(re, item_flags(m));
	if (lead)
		buf_append_str(re, m & SM_RE ? "(?s:.*)" : ".*");
	struct ward_buf body = WARD_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_append_char(&body, '|');
		if (m & SM_RE)
			buf_append_lit(&body, "(?:");
		value_body(g, m, vals[i].s, lead && trail, &body);
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

static bool label_name_ok(const char *s)
{
	if (!s || !(isalpha((unsigned char)*s) || *s == '_'))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

/* The ward fields a Sigma field reads (1 or 2), or 0 with a refusal. */
static size_t map_field(struct gen *g, const char *f, unsigned mods, const char *out[FMAP_MAX])
{
	if (!f) {
		g->derived |= D_LINE;
		out[0] = "_sigma_line";
		return 1;
	}
	g->null_field = NULL;
	if (g->kind == SRC_WEB) {
		for (size_t i = 0; i < sizeof(WEB_FIELDS) / sizeof(WEB_FIELDS[0]); i++)
			if (!strcmp(WEB_FIELDS[i].sigma, f)) {
				g->null_field = WEB_FIELDS[i].null_field;
				size_t n = 0;
				while (n < FMAP_MAX && WEB_FIELDS[i].ward[n]) {
					out[n] = WEB_FIELDS[i].ward[n];
					n++;
				}
				/* the query string is a substring of the URI: for a search
				 * (contains, endswith, re) the URI alone gives the answer */
				bool search = mods & (SM_CONTAINS | SM_ENDSWITH | SM_RE | SM_BASE64OFFSET);
				if (g->null_field && search && !(mods & SM_EXISTS)) {
					g->null_field = NULL;
					return 2;
				}
				g->derived |= WEB_FIELDS[i].derived;
				return n;
			}
		gfail(g, "field %.60s has no mapping for web logs (docs/sigma.md)", f);
		return 0;
	}
	if (g->kind == SRC_AUDITD && label_name_ok(f)) {
		out[0] = f;
		return 1;
	}
	for (size_t i = 0; g->sudo && i < sizeof(SUDO_FIELDS) / sizeof(SUDO_FIELDS[0]); i++)
		if (!strcmp(f, SUDO_FIELDS[i])) {
			g->derived |= D_SUDO;
			out[0] = SUDO_FIELDS[i];
			return 1;
		}
	gfail(g, "field %.60s has no mapping for %s logs (only keywords)", f,
	      g->kind == SRC_AUDITD ? "auditd" : "linux syslog");
	return 0;
}

static bool numeric(const char *s)
{
	if (!s || !*s)
		return false;
	char *end;
	strtod(s, &end);
	return *end == '\0' && !isspace((unsigned char)*s) && strspn(s, "+-.0123456789eE") == strlen(s);
}

/* One leaf over one ward field, possibly negated. */
static void leaf_regex(struct ward_buf *out, const char *field, const char *re, bool neg)
{
	buf_printf(out, "%s %s ", field, neg ? "!~" : "=~");
	sigma_quote_logql(out, re);
}

/* field|fieldref: other - the two fields' values compared in a template
 * (case-insensitively unless cased; with contains/startswith/endswith),
 * whose result a label filter tests. */
static void fieldref_expr(struct gen *g, const struct sigma_item *it, const char *field, bool neg,
			  struct ward_buf *out)
{
	unsigned m = it->mods;
	if (m & ~(SM_FIELDREF | SM_CONTAINS | SM_STARTSWITH | SM_ENDSWITH | SM_CASED | SM_ALL)) {
		gfail(g, "fieldref with other modifiers than contains, startswith, endswith, cased");
		return;
	}
	bool all = (m & SM_ALL) && it->nvals > 1;
	buf_append_char(out, '(');
	for (size_t i = 0; i < it->nvals; i++) {
		const char *tg[FMAP_MAX] = { 0 };
		if (!it->vals[i].s || !map_field(g, it->vals[i].s, 0, tg)) {
			gfail(g, "fieldref needs a field name");
			return;
		}
		const char *fn = (m & SM_CONTAINS) ? "contains" : (m & SM_STARTSWITH) ? "hasPrefix" :
				 (m & SM_ENDSWITH) ? "hasSuffix" : "eq";
		bool lower = !(m & SM_CASED);
		unsigned k = g->nfref++;
		/* sprig's contains/hasPrefix/hasSuffix take (needle, haystack) */
		buf_printf(&g->fref, " | label_format _sigma_fr%u=`{{ if %s (%s.%s) (%s.%s) }}1{{ end }}`", k, fn,
			   lower ? "lower " : "", strcmp(fn, "eq") ? tg[0] : field, lower ? "lower " : "",
			   strcmp(fn, "eq") ? field : tg[0]);
		if (i)
			buf_append_str(out, (all != neg) ? " and " : " or ");
		buf_printf(out, "_sigma_fr%u %s \"1\"", k, neg ? "!=" : "=");
	}
	buf_append_char(out, ')');
}

/* The expression of one item (field + values), negated when neg. */
static void item_expr(struct gen *g, const struct sigma_item *it, bool neg, struct ward_buf *out)
{
	const char *tg[FMAP_MAX] = { 0 };
	size_t nt = map_field(g, it->field, it->mods, tg);
	if (!nt)
		return;
	unsigned m = it->mods;
	const char *join_t = neg ? " and " : " or ";		/* over targets */
	bool all = (m & SM_ALL) && it->nvals > 1;
	const char *join_v = (all != neg) ? " and " : " or ";	/* over values */
	if (m & SM_FIELDREF) {
		fieldref_expr(g, it, tg[0], neg, out);
		return;
	}
	if ((m & (SM_UTF16LE | SM_UTF16BE | SM_UTF16)) && !(m & (SM_BASE64 | SM_BASE64OFFSET))) {
		gfail(g, "utf16/wide without base64: ward matches text, not UTF-16 bytes");
		return;
	}
	if ((m & SM_RE) && (m & ~(SM_RE | SM_RE_I | SM_RE_M | SM_RE_S | SM_ALL))) {
		gfail(g, "re with other modifiers than i, m, s, all");
		return;
	}
	buf_append_char(out, '(');
	if (m & SM_EXISTS) {
		const char *v = it->vals[0].s ? it->vals[0].s : "";
		bool want = strcasecmp(v, "false") != 0;
		if (want == neg)
			buf_printf(out, "%s = \"\"", tg[0]);
		else
			buf_printf(out, "%s != \"\"", tg[0]);
		for (size_t t = 1; t < nt; t++)
			buf_printf(out, "%s%s %s \"\"", want == neg ? " and " : " or ", tg[t], want == neg ? "=" : "!=");
		buf_append_char(out, ')');
		return;
	}
	bool first = true;
	/* Plain string values in one regex per target (when not |all). */
	if (is_plain(m) && !all) {
		struct sigma_value *sv = ward_xcalloc(it->nvals, sizeof(*sv));
		size_t ns = 0;
		for (size_t i = 0; i < it->nvals; i++)
			if (it->vals[i].s)
				sv[ns++] = it->vals[i];
		if (ns) {
			struct ward_buf re = WARD_BUF_INIT;
			item_regex(g, it, sv, ns, it->field == NULL, &re);
			for (size_t t = 0; t < nt; t++) {
				if (!first)
					buf_append_str(out, join_t);
				leaf_regex(out, tg[t], buf_cstr(&re), neg);
				first = false;
			}
			buf_free(&re);
		}
		free(sv);
		for (size_t i = 0; i < it->nvals; i++)
			if (!it->vals[i].s) {	/* null: the field is empty or absent */
				if (!first)
					buf_append_str(out, join_v);
				buf_append_char(out, '(');
				if (g->null_field)
					buf_printf(out, "%s %s \"\"", g->null_field, neg ? "!=" : "=");
				else
					for (size_t t = 0; t < nt; t++)
						buf_printf(out, "%s%s %s \"\"", t ? (neg ? " or " : " and ") : "", tg[t],
							   neg ? "!=" : "=");
				buf_append_char(out, ')');
				first = false;
			}
		buf_append_char(out, ')');
		return;
	}
	for (size_t i = 0; i < it->nvals; i++) {
		const struct sigma_value *v = &it->vals[i];
		if (!first)
			buf_append_str(out, join_v);
		first = false;
		buf_append_char(out, '(');
		for (size_t t = 0; t < nt; t++) {
			if (t)
				buf_append_str(out, join_t);
			if (!v->s) {
				buf_printf(out, "%s %s \"\"", g->null_field ? g->null_field : tg[t], neg ? "!=" : "=");
			} else if (m & SM_CIDR) {
				if (strspn(v->s, "0123456789abcdefABCDEF:./") != strlen(v->s) || !*v->s) {
					gfail(g, "cidr %.60s is not an address range", v->s);
					break;
				}
				buf_printf(out, "%s %s ip(", tg[t], neg ? "!=" : "=");
				sigma_quote_logql(out, v->s);
				buf_append_char(out, ')');
			} else if (m & (SM_GT | SM_GTE | SM_LT | SM_LTE)) {
				if (!numeric(v->s)) {
					gfail(g, "%.60s is not a number for gt/gte/lt/lte", v->s);
					break;
				}
				const char *op = (m & SM_GT) ? ">" : (m & SM_GTE) ? ">=" : (m & SM_LT) ? "<" : "<=";
				const char *nop = (m & SM_GT) ? "<=" : (m & SM_GTE) ? "<" : (m & SM_LT) ? ">=" : ">";
				/* A number filter on a value that does not convert keeps the line in
				 * LogQL (LabelFilterErr): test the shape first. */
				if (neg)
					buf_printf(out, "(%s !~ \"[-+]?[0-9]+(?:\\\\.[0-9]+)?\" or %s %s %s)", tg[t], tg[t], nop, v->s);
				else
					buf_printf(out, "(%s =~ \"[-+]?[0-9]+(?:\\\\.[0-9]+)?\" and %s %s %s)", tg[t], tg[t], op, v->s);
			} else {
				struct ward_buf re = WARD_BUF_INIT;
				item_regex(g, it, v, 1, it->field == NULL, &re);
				leaf_regex(out, tg[t], buf_cstr(&re), neg);
				buf_free(&re);
			}
		}
		buf_append_char(out, ')');
	}
	buf_append_char(out, ')');
}

static void sel_expr(struct gen *g, const struct sigma_sel *s, bool neg, struct ward_buf *out)
{
	buf_append_char(out, '(');
	for (size_t a = 0; a < s->nalts; a++) {
		if (a)
			buf_append_str(out, neg ? " and " : " or ");
		const struct sigma_group *grp = &s->alts[a];
		buf_append_char(out, '(');
		for (size_t i = 0; i < grp->nitems; i++) {
			if (i)
				buf_append_str(out, neg ? " or " : " and ");
			item_expr(g, &grp->items[i], neg, out);
		}
		buf_append_char(out, ')');
	}
	buf_append_char(out, ')');
}

static void cond_expr(struct gen *g, const struct sigma_cnode *n, bool neg, struct ward_buf *out)
{
	switch (n->op) {
	case SC_SEL:
		sel_expr(g, &g->r->sels[n->sel], neg, out);
		return;
	case SC_NOT:
		cond_expr(g, n->a, !neg, out);
		return;
	case SC_AND:
	case SC_OR:
		buf_append_char(out, '(');
		cond_expr(g, n->a, neg, out);
		buf_append_str(out, (n->op == SC_AND) != neg ? " and " : " or ");
		cond_expr(g, n->b, neg, out);
		buf_append_char(out, ')');
		return;
	}
}

/* ---- parentheses -------------------------------------------------------------- */

/* The generator parenthesizes every group; for a query people read (and take
 * to Loki), groups of one term and groups joined by the same operator as
 * their parent are flattened. The input is the generator's own output: terms
 * joined by " and " / " or ", each a "(...)" group or a comparison whose
 * strings are "..." with backslash escapes (and ip("...")). */
struct pnode {
	char *leaf;			/* a comparison, or NULL for a group */
	struct pnode **kids;
	size_t n;
	int op;				/* group: 0 one term, 'a' and, 'o' or, '?' mixed */
};

static void pfree(struct pnode *n)
{
	for (size_t i = 0; i < n->n; i++)
		pfree(n->kids[i]);
	free(n->kids);
	free(n->leaf);
	free(n);
}

static struct pnode *pparse(const char **sp, int depth);

static struct pnode *pterm(const char **sp, int depth)
{
	const char *s = *sp;
	if (*s == '(') {
		s++;
		struct pnode *g = pparse(&s, depth + 1);
		if (*s == ')')
			s++;
		*sp = s;
		return g;
	}
	const char *b = s;
	int d = 0;
	bool q = false;
	for (; *s; s++) {
		if (q) {
			if (*s == '\\' && s[1])
				s++;
			else if (*s == '"')
				q = false;
		} else if (*s == '"') {
			q = true;
		} else if (*s == '(') {
			d++;
		} else if (*s == ')') {
			if (!d)
				break;
			d--;
		} else if (!d && (!strncmp(s, " and ", 5) || !strncmp(s, " or ", 4))) {
			break;
		}
	}
	struct pnode *l = ward_xcalloc(1, sizeof(*l));
	l->leaf = ward_xstrndup(b, (size_t)(s - b));
	*sp = s;
	return l;
}

static struct pnode *pparse(const char **sp, int depth)
{
	struct pnode *g = ward_xcalloc(1, sizeof(*g));
	for (;;) {
		struct pnode *t = depth > 200 ? NULL : pterm(sp, depth);
		if (!t)
			break;
		g->kids = ward_xrealloc(g->kids, (g->n + 1) * sizeof(*g->kids));
		g->kids[g->n++] = t;
		int op = !strncmp(*sp, " and ", 5) ? 'a' : !strncmp(*sp, " or ", 4) ? 'o' : 0;
		if (!op)
			break;
		g->op = (g->op && g->op != op) ? '?' : op;
		*sp += op == 'a' ? 5 : 4;
	}
	return g;
}

static void pemit(const struct pnode *n, int parent_op, struct ward_buf *out)
{
	if (n->leaf) {
		buf_append_str(out, n->leaf);
		return;
	}
	if (n->n == 1) {
		pemit(n->kids[0], parent_op, out);
		return;
	}
	bool wrap = n->op == '?' || n->op != parent_op;
	if (wrap && parent_op)
		buf_append_char(out, '(');
	for (size_t i = 0; i < n->n; i++) {
		if (i)
			buf_append_str(out, n->op == 'a' ? " and " : " or ");
		pemit(n->kids[i], n->op == '?' ? '?' : n->op, out);
	}
	if (wrap && parent_op)
		buf_append_char(out, ')');
}

static bool pmixed(const struct pnode *n)
{
	if (n->op == '?')
		return true;
	for (size_t i = 0; i < n->n; i++)
		if (pmixed(n->kids[i]))
			return true;
	return false;
}

/* The expression with redundant parentheses removed (the same meaning:
 * and/or are associative, a group of one term is that term). */
static void simplify(const char *in, struct ward_buf *out)
{
	/* too deep to be worth it: keep the generator's text */
	int d = 0, dmax = 0;
	for (const char *p = in; *p; p++)
		if (*p == '(' && ++d > dmax)
			dmax = d;
		else if (*p == ')')
			d--;
	if (dmax > 150) {
		buf_append_str(out, in);
		return;
	}
	const char *s = in;
	struct pnode *root = pparse(&s, 0);
	if (*s || pmixed(root)) {	/* not the shape this file writes: keep it */
		buf_append_str(out, in);
	} else {
		pemit(root, 0, out);
	}
	pfree(root);
}

/* ---- top level -------------------------------------------------------------- */

/* A selection that is one keyword item: its line filter, if the term can be
 * one (positive; or negated without |all). */
static bool keyword_filter(struct gen *g, const struct sigma_cnode *n, struct ward_buf *lf)
{
	bool neg = false;
	if (n->op == SC_NOT) {
		neg = true;
		n = n->a;
	}
	if (n->op != SC_SEL)
		return false;
	const struct sigma_sel *s = &g->r->sels[n->sel];
	if (s->nalts != 1 || s->alts[0].nitems != 1)
		return false;
	const struct sigma_item *it = &s->alts[0].items[0];
	if (it->field || !is_plain(it->mods) || (it->mods & (SM_UTF16 | SM_UTF16BE | SM_UTF16LE)))
		return false;
	for (size_t i = 0; i < it->nvals; i++)
		if (!it->vals[i].s)
			return false;
	bool all = (it->mods & SM_ALL) && it->nvals > 1;
	if (neg && all)
		return false;
	size_t groups = all ? it->nvals : 1;
	for (size_t k = 0; k < groups; k++) {
		struct ward_buf re = WARD_BUF_INIT;
		unsigned m = it->mods;
		buf_append_str(&re, item_flags(m));
		buf_append_lit(&re, "(?:");
		for (size_t i = all ? k : 0; i < (all ? k + 1 : it->nvals); i++) {
			if (i > (all ? k : 0))
				buf_append_char(&re, '|');
			if (m & SM_RE)
				buf_append_lit(&re, "(?:");
			value_body(g, m, it->vals[i].s, true, &re);
			if (m & SM_RE)
				buf_append_char(&re, ')');
		}
		buf_append_char(&re, ')');
		buf_append_str(lf, neg ? " !~ " : " |~ ");
		sigma_quote_logql(lf, buf_cstr(&re));
		buf_free(&re);
	}
	return true;
}

/* Split the top-level AND terms into line filters and the rest. */
static void split_and(struct gen *g, const struct sigma_cnode *n, struct ward_buf *lf, struct ward_buf *lab,
		      bool *any_lab)
{
	if (n->op == SC_AND) {
		split_and(g, n->a, lf, lab, any_lab);
		split_and(g, n->b, lf, lab, any_lab);
		return;
	}
	if (keyword_filter(g, n, lf))
		return;
	if (*any_lab)
		buf_append_str(lab, " and ");
	cond_expr(g, n, false, lab);
	*any_lab = true;
}

static int source_of(struct gen *g, struct ward_buf *out)
{
	const struct sigma_rule *r = g->r;
	const char *cat = r->category, *prod = r->product, *svc = r->service;
	if (cat && (!strcmp(cat, "webserver") || !strcmp(cat, "proxy"))) {
		g->kind = SRC_WEB;
		/* An exact, cheap prefilter: the text formats' regexp needs `] "`
		 * (after the time), and `| json` finds no member without a `{`. */
		buf_append_lit(out, "{job=~\".+\"} |= \"] \\\"\" or \"{\"");
		return 0;
	}
	if (!cat && !prod && svc && (!strcmp(svc, "apache") || !strcmp(svc, "nginx"))) {
		/* the servers' error logs: keywords over the line */
		g->kind = SRC_LINUX;
		buf_append_lit(out, "{job=~\".+\"}");
		return 0;
	}
	if (cat) {
		gfail(g, "log source category %.40s is not supported (webserver, proxy, linux builtin, auditd)", cat);
		return -1;
	}
	if (prod && !strcmp(prod, "linux")) {
		buf_append_lit(out, "{job=~\".+\"}");
		if (svc && !strcmp(svc, "auditd")) {
			g->kind = SRC_AUDITD;
			buf_append_lit(out, " |= \"msg=audit(\"");
			return 0;
		}
		g->kind = SRC_LINUX;
		static const struct {
			const char *svc, *prog;
		} progs[] = {
			{ "sshd", "sshd(?:-session|-auth)?" },
			{ "sudo", "sudo" },
			{ "cron", "(?:cron|CRON|crond|anacron)" },
			{ "vsftpd", "vsftpd" },
			{ "clamav", "(?:clamd|freshclam|clamscan|clamav-[a-z]+)" },
			{ "guacamole", "(?:guacd|guacamole[\\w-]*)" },
			{ "su", "su" },
			{ "systemd", "systemd" },
			{ "auditd", "auditd" },
		};
		if (!svc || !strcmp(svc, "syslog") || !strcmp(svc, "auth"))
			return 0;	/* any program: keywords over the line */
		g->sudo = !strcmp(svc, "sudo");
		for (size_t i = 0; i < sizeof(progs) / sizeof(progs[0]); i++)
			if (!strcmp(svc, progs[i].svc)) {
				struct ward_buf re = WARD_BUF_INIT;
				buf_printf(&re, RULE_PROGRAM_AT_START("%s"), progs[i].prog, progs[i].prog);
				buf_append_lit(out, " |~ ");
				sigma_quote_logql(out, buf_cstr(&re));
				buf_free(&re);
				return 0;
			}
		gfail(g, "linux service %.40s is not supported (sshd, sudo, cron, vsftpd, clamav, guacamole, syslog, auth, auditd)",
		      svc);
		return -1;
	}
	gfail(g, "log source %s%.40s%s%.40s is not supported (webserver, proxy, linux builtin, auditd)",
	      prod ? "product " : "", prod ? prod : "", svc ? " service " : "", svc ? svc : "");
	return -1;
}

int sigma_to_logql(const struct sigma_rule *r, struct ward_buf *out, char *err, size_t errlen)
{
	struct gen g = { .r = r, .err = err, .errlen = errlen };
	if (r->error) {
		snprintf(err, errlen, "%s", r->error);
		return -1;
	}
	if (r->corr.type != SC_NONE) {
		snprintf(err, errlen, "a correlation rule has no log query of its own");
		return -1;
	}
	struct ward_buf head = WARD_BUF_INIT, lf = WARD_BUF_INIT, lab = WARD_BUF_INIT;
	struct sigma_cnode *root = NULL;
	if (source_of(&g, &head) != 0)
		goto out;
	for (size_t i = 0; i < r->nconditions; i++) {
		char cerr[256];
		struct sigma_cnode *c = sigma_cond_parse(r->conditions[i], r->sels, r->nsels, cerr, sizeof(cerr));
		if (!c) {
			gfail(&g, "%s", cerr);
			goto out;
		}
		if (root) {	/* a list of conditions: any of them */
			struct sigma_cnode *o = ward_xcalloc(1, sizeof(*o));
			o->op = SC_OR;
			o->a = root;
			o->b = c;
			c = o;
		}
		root = c;
	}
	if (!root) {
		gfail(&g, "no condition");
		goto out;
	}
	bool any_lab = false;
	split_and(&g, root, &lf, &lab, &any_lab);
	if (g.failed)
		goto out;
	buf_append(out, head.data ? head.data : "", head.len);
	buf_append(out, lf.data ? lf.data : "", lf.len);
	if (g.kind == SRC_WEB) {
		buf_append_char(out, ' ');
		buf_append_str(out, ACCESS_PIPELINE);
	} else if (g.kind == SRC_AUDITD && any_lab) {
		buf_append_lit(out, " | logfmt");
	}
	if (g.derived & D_USER)
		buf_append_str(out, D_USER_STAGE);
	if (g.derived & D_SUDO) {
		buf_append_lit(out, " | regexp ");
		sigma_quote_logql(out, SUDO_REGEX);
	}
	if (g.derived & D_LINE)
		buf_append_lit(out, " | label_format _sigma_line=`{{ __line__ }}`");
	if (g.derived & D_PATH)
		buf_append_str(out, D_PATH_STAGE);
	if (g.derived & D_EXT)
		buf_append_str(out, D_EXT_STAGE);
	if (g.derived & D_HOST)
		buf_append_str(out, D_HOST_STAGE);
	if (g.fref.len)
		buf_append(out, g.fref.data, g.fref.len);
	if (any_lab) {
		buf_append_lit(out, " | ");
		simplify(lab.data, out);
	}
	if ((g.derived & ~(unsigned)D_SUDO) || g.nfref) {
		buf_append_lit(out, " | drop ");
		const char *sep = "";
		for (unsigned k = 0; k < g.nfref; k++) {
			buf_printf(out, "%s_sigma_fr%u", sep, k);
			sep = ", ";
		}
		static const char *const names[][2] = { { "_sigma_line", "" }, { "_sigma_path_raw", "_sigma_path, _sigma_query_raw, _sigma_query" },
							{ "_sigma_ext", "" }, { "_sigma_host", "" },
							{ "_sigma_user", "" }, { "", "" } };
		for (unsigned k = 0; k < 6; k++)
			if (g.derived & (1u << k))
				for (unsigned j = 0; j < 2; j++)
					if (*names[k][j]) {
						buf_printf(out, "%s%s", sep, names[k][j]);
						sep = ", ";
					}
	}
out:
	sigma_cond_free(root);
	buf_free(&head);
	buf_free(&lf);
	buf_free(&lab);
	buf_free(&g.fref);
	return g.failed ? -1 : 0;
}
