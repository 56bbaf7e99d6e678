/* f2b_regex.c - fail2ban tags and Python `re` syntax to PCRE2 (see f2b_regex.h). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "stages/match/f2b_regex.h"

/* fail2ban's R_HOST expressions (server/failregex.py, server/ipdns.py). */
#define RE_IP4 "(?:::f{4,6}:)?(?P<ip4>(?:\\d{1,3}\\.){3}\\d{1,3})"
#define RE_IP6 "(?P<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|(?<=:):))"
#define RE_DNS "(?P<dns>[\\w\\-.^_]*\\w)"
#define RE_ADDR "\\[?(?:" RE_IP4 "|" RE_IP6 ")\\]?"
#define RE_HOST "(?:" RE_ADDR "|" RE_DNS ")"
#define RE_CIDR "(?P<cidr>\\d+)"
#define RE_SUBNET "\\[?(?:" RE_IP4 "|" RE_IP6 ")(?:/" RE_CIDR ")?\\]?"

static const struct { const char *tag, *re; } static_tags[] = {
	{ "IP4", RE_IP4 }, { "F-IP4/", RE_IP4 }, { "IP6", RE_IP6 }, { "F-IP6/", RE_IP6 },
	{ "ADDR", RE_ADDR }, { "F-ADDR/", RE_ADDR }, { "CIDR", RE_CIDR }, { "F-CIDR/", RE_CIDR },
	{ "SUBNET", RE_SUBNET }, { "F-SUBNET/", RE_SUBNET }, { "DNS", RE_DNS }, { "F-DNS/", RE_DNS },
	{ "F-ID/", "(?P<fid>\\S+)" }, { "F-PORT/", "(?P<fport>\\w+)" },
};

static bool is_word(char c)
{
	return isalnum((unsigned char)c) || c == '_' || (unsigned char)c >= 0x80;
}

/* ((?i)x) and (?:(?i)x) -> (?i:x) (fail2ban's R_GLOB2LOCFLAGS). */
static void glob2loc(const char *in, struct ward_buf *out)
{
	for (size_t i = 0; in[i];) {
		if (in[i] == '(' && (i == 0 || in[i - 1] != '\\')) {
			size_t j = i + 1;
			if (in[j] == '?' && in[j + 1] == ':')
				j += 2;
			if (in[j] == '(' && in[j + 1] == '?' && islower((unsigned char)in[j + 2])) {
				size_t k = j + 2;
				while (islower((unsigned char)in[k]))
					k++;
				if (in[k] == ')') {
					buf_append(out, in + j, k - j);
					buf_append_char(out, ':');
					i = k + 1;
					continue;
				}
			}
		}
		buf_append_char(out, in[i++]);
	}
}

void f2b_expand_tags(const char *re, bool use_dns, struct ward_buf *out)
{
	struct ward_buf tmp = WARD_BUF_INIT;
	char open[64][40];
	int nopen = 0, nskip = 0;
	for (size_t i = 0; re[i];) {
		if (re[i] != '<') {
			buf_append_char(&tmp, re[i++]);
			continue;
		}
		/* FTAG_CRE: </?[\w\-]+/?> */
		size_t j = i + 1;
		bool close = re[j] == '/';
		if (close)
			j++;
		size_t ns = j;
		while (re[j] && (is_word(re[j]) || re[j] == '-'))
			j++;
		size_t ne = j;
		if (re[j] == '/')
			j++;
		if (ne == ns || re[j] != '>') {
			buf_append_char(&tmp, re[i++]);
			continue;
		}
		char tn[128];
		size_t tl = j - (i + 1);
		if (tl >= sizeof(tn)) {
			buf_append_char(&tmp, re[i++]);
			continue;
		}
		memcpy(tn, re + i + 1, tl);
		tn[tl] = '\0';
		const char *repl = NULL;
		if (strcmp(tn, "SKIPLINES") == 0) {
			/* lines between two parts of a multi-line match */
			buf_printf(&tmp, "\\n(?P<skiplines%d>(?:(?:.*\\n)*?))", nskip++);
			i = j + 1;
			continue;
		}
		if (strcmp(tn, "HOST") == 0)
			repl = use_dns ? RE_HOST : RE_ADDR;
		for (size_t k = 0; !repl && k < sizeof(static_tags) / sizeof(*static_tags); k++)
			if (strcmp(tn, static_tags[k].tag) == 0)
				repl = static_tags[k].re;
		if (repl) {
			buf_append_str(&tmp, repl);
			i = j + 1;
			continue;
		}
		/* F-NAME / /F-NAME: uppercase, digits, _ and - only */
		const char *f = tn + close;
		bool custom = strncmp(f, "F-", 2) == 0 && f[2] && tn[tl - 1] != '/';
		for (const char *p = f + 2; custom && *p; p++)
			if (!(isupper((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_' || *p == '-'))
				custom = false;
		if (!custom) {
			buf_append(&tmp, re + i, j + 1 - i);
			i = j + 1;
			continue;
		}
		const char *name = f + 2;
		if (close) {
			bool was_open = false;
			for (int k = 0; k < nopen; k++)
				if (strcmp(open[k], name) == 0)
					was_open = true;
			if (was_open)
				buf_append_char(&tmp, ')');
			else
				buf_append(&tmp, re + i, j + 1 - i);
			i = j + 1;
			continue;
		}
		if (nopen < 64 && strlen(name) < sizeof(open[0]))
			snprintf(open[nopen++], sizeof(open[0]), "%s", name);
		char lname[128];
		size_t k = 0;
		for (; name[k] && k < sizeof(lname) - 1; k++)
			lname[k] = (char)tolower((unsigned char)name[k]);
		lname[k] = '\0';
		buf_append_str(&tmp, "(?P<");
		buf_append_str(&tmp, strcmp(lname, "id") == 0 ? "fid" : strcmp(lname, "port") == 0 ? "fport" : lname);
		buf_append_char(&tmp, '>');
		i = j + 1;
	}
	glob2loc(tmp.data ? buf_cstr(&tmp) : "", out);
	buf_cstr(out);
	buf_free(&tmp);
}

static int refuse(char *why, size_t whylen, const char *re, size_t at, const char *what)
{
	snprintf(why, whylen, "%s at offset %zu (\"%.12s\")", what, at, re + at);
	return -1;
}

int f2b_py2pcre(const char *re, struct ward_buf *out, char *why, size_t whylen)
{
	bool in_class = false;
	size_t class_start = 0;
	for (size_t i = 0; re[i];) {
		char c = re[i];
		if (c == '\\') {
			char e = re[i + 1];
			if (!e)
				return refuse(why, whylen, re, i, "a trailing backslash");
			if (e == 'Z' && !in_class) {
				buf_append_str(out, "\\z");	/* Python \Z is the very end */
				i += 2;
				continue;
			}
			if (e == 'v') {
				buf_append_str(out, "\\x0b");	/* PCRE2 \v is a class */
				i += 2;
				continue;
			}
			if (e == 'u' || e == 'U') {
				size_t nd = e == 'u' ? 4 : 8, k = 0;
				while (k < nd && isxdigit((unsigned char)re[i + 2 + k]))
					k++;
				if (k != nd)
					return refuse(why, whylen, re, i, "a bad \\u escape");
				buf_append_str(out, "\\x{");
				buf_append(out, re + i + 2, nd);
				buf_append_char(out, '}');
				i += 2 + nd;
				continue;
			}
			if (isalpha((unsigned char)e) && !strchr("AbBdDsSwWafnrtxZ", e))
				return refuse(why, whylen, re, i,
					      e == 'N' ? "\\N{...} (named characters) is not supported"
						       : "an escape Python's re does not define (PCRE2 would give it a meaning)");
			if (e == 'x') {
				if (!isxdigit((unsigned char)re[i + 2]) || !isxdigit((unsigned char)re[i + 3]))
					return refuse(why, whylen, re, i, "\\x needs two hex digits in Python");
				buf_append(out, re + i, 4);
				i += 4;
				continue;
			}
			if ((e == 'A' || e == 'b' || e == 'B' || e == 'Z') && in_class) {
				if (e != 'b')
					return refuse(why, whylen, re, i, "a zero-width escape inside [...]");
			}
			buf_append(out, re + i, 2);
			i += 2;
			continue;
		}
		if (in_class) {
			if (c == ']' && i > class_start) {
				in_class = false;
			} else if (c == '[') {
				buf_append_str(out, "\\[");	/* [[:alpha:]] is literal in Python */
				i++;
				continue;
			}
			buf_append_char(out, c);
			i++;
			continue;
		}
		if (c == '[') {
			in_class = true;
			buf_append_char(out, c);
			i++;
			if (re[i] == '^')
				buf_append_char(out, re[i++]);
			class_start = i + 1;	/* a ']' first is literal */
			if (re[i] == ']') {
				buf_append_char(out, re[i++]);
			}
			class_start = i;
			continue;
		}
		if (c == '{' && re[i + 1] == ',') {
			size_t k = i + 2;
			while (isdigit((unsigned char)re[k]))
				k++;
			if (k > i + 2 && re[k] == '}') {
				buf_append_str(out, "{0");	/* Python: {,n} is {0,n} */
				i++;
				continue;
			}
		}
		if (c == '(' && re[i + 1] == '*')
			return refuse(why, whylen, re, i, "(* is PCRE-only syntax");
		if (c == '(' && re[i + 1] == '?') {
			const char *g = re + i + 2;
			if (*g == 'P') {
				if (g[1] != '<' && g[1] != '=')
					return refuse(why, whylen, re, i, "(?P> is PCRE-only syntax");
			} else if (*g == '<') {
				if (g[1] != '=' && g[1] != '!')
					return refuse(why, whylen, re, i, "(?<name> is not Python syntax");
			} else if (*g == '|' || *g == 'R' || *g == '&' || isdigit((unsigned char)*g) || *g == '+' ||
				   *g == 'C') {
				return refuse(why, whylen, re, i, "PCRE-only group syntax");
			} else if (isalpha((unsigned char)*g) || *g == '-') {
				/* flags: (?imsx) at the start, or (?imsx-imsx:...) */
				size_t k = 0;
				struct ward_buf fl = WARD_BUF_INIT;
				for (; isalpha((unsigned char)g[k]) || g[k] == '-'; k++) {
					if (g[k] == 'a' || g[k] == 'L') {
						buf_free(&fl);
						return refuse(why, whylen, re, i, "the ASCII/locale flags (?a) (?L) are not supported");
					}
					if (g[k] == 'u')
						continue;	/* Unicode: already the default */
					if (!strchr("imsx-", g[k])) {
						buf_free(&fl);
						return refuse(why, whylen, re, i, "an unknown inline flag");
					}
					buf_append_char(&fl, g[k]);
				}
				if (g[k] == ')' && i != 0) {
					buf_free(&fl);
					return refuse(why, whylen, re, i,
						      "global flags not at the start of the expression (Python 3.11 rejects them)");
				}
				if (g[k] != ')' && g[k] != ':') {
					buf_free(&fl);
					return refuse(why, whylen, re, i, "a bad inline flag group");
				}
				if (fl.len || g[k] == ':') {
					buf_append_str(out, "(?");
					buf_append(out, fl.data, fl.len);
					buf_append_char(out, g[k]);
				}
				buf_free(&fl);
				i += 2 + k + 1;
				continue;
			}
		}
		buf_append_char(out, c);
		i++;
	}
	if (in_class)
		return refuse(why, whylen, re, class_start, "an unterminated character set");
	buf_cstr(out);
	return 0;
}

/* Skip a group or a set starting at p[i]; returns the index after it, or
 * 0 if it does not close. */
static size_t skip_set(const char *p, size_t i)
{
	i++;
	if (p[i] == '^')
		i++;
	if (p[i] == ']')
		i++;
	for (; p[i]; i++) {
		if (p[i] == '\\' && p[i + 1])
			i++;
		else if (p[i] == ']')
			return i + 1;
	}
	return 0;
}

static size_t skip_group(const char *p, size_t i)
{
	int depth = 0;
	while (p[i]) {
		if (p[i] == '\\' && p[i + 1]) {
			i += 2;
		} else if (p[i] == '[') {
			i = skip_set(p, i);
			if (!i)
				return 0;
		} else {
			if (p[i] == '(')
				depth++;
			else if (p[i] == ')' && --depth == 0)
				return i + 1;
			i++;
		}
	}
	return 0;
}

size_t f2b_required_literal(const char *p, char *out, size_t outlen)
{
	char run[256], best[256];
	size_t rn = 0, bn = 0;
	out[0] = '\0';
	if (strstr(p, "(?"))	/* inline flags, or groups we would have to reason about: */
		for (const char *q = p; (q = strstr(q, "(?")) != NULL; q += 2)
			if (isalpha((unsigned char)q[2]) || q[2] == '-')
				if (q[2] != 'P')	/* (?P<name>...) and (?P=name) are fine */
					return 0;
#define END_RUN() do { if (rn > bn) { memcpy(best, run, rn); bn = rn; } rn = 0; } while (0)
	for (size_t i = 0; p[i];) {
		char c = p[i];
		bool lit = false;
		char lc = 0;
		size_t next = i + 1;
		if (c == '\\') {
			char e = p[i + 1];
			if (!e)
				return 0;
			if (ispunct((unsigned char)e)) {
				lit = true;
				lc = e;
			}
			next = i + 2;
			if (e == 'x' && p[next] == '{') {	/* \x{...} */
				while (p[next] && p[next] != '}')
					next++;
				if (p[next])
					next++;
			} else if (e == 'x') {	/* \xHH */
				for (int k = 0; k < 2 && isxdigit((unsigned char)p[next]); k++)
					next++;
			} else if (isdigit((unsigned char)e)) {	/* octal or a back reference */
				while (isdigit((unsigned char)p[next]))
					next++;
			}
		} else if (c == '(') {
			next = skip_group(p, i);
			if (!next)
				return 0;
		} else if (c == '[') {
			next = skip_set(p, i);
			if (!next)
				return 0;
		} else if (c == '|') {
			return 0;	/* a top-level alternative: nothing is required */
		} else if (c == ')') {
			return 0;
		} else if (!strchr(".^$*+?{", c) && (unsigned char)c < 0x80) {
			lit = true;
			lc = c;
		}
		/* a quantifier on this atom? */
		char q = p[next];
		bool optional = false, repeated = false;
		if (q == '*' || q == '?') {
			optional = true;
		} else if (q == '+') {
			repeated = true;
		} else if (q == '{') {
			size_t k = next + 1;
			while (isdigit((unsigned char)p[k]))
				k++;
			if (k > next + 1 && (p[k] == '}' || p[k] == ',')) {
				optional = p[next + 1] == '0' && !isdigit((unsigned char)p[next + 2]);
				repeated = !optional;
			}
		}
		if (!lit || optional) {
			END_RUN();
		} else {
			if (rn < sizeof(run) - 1)
				run[rn++] = lc;
			if (repeated)
				END_RUN();
		}
		i = next;
		if (optional || repeated) {
			/* skip the quantifier and its lazy/possessive mark */
			if (p[i] == '{') {
				while (p[i] && p[i] != '}')
					i++;
				if (p[i])
					i++;
			} else {
				i++;
			}
			if (p[i] == '?' || p[i] == '+')
				i++;
		}
	}
	END_RUN();
#undef END_RUN
	if (bn >= outlen)
		bn = outlen - 1;	/* a prefix of a required string is required too */
	if (bn < 3)
		return 0;
	memcpy(out, best, bn);
	out[bn] = '\0';
	return bn;
}
