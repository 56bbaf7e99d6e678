/* f2b_date.c - fail2ban date templates on PCRE2 (see f2b_date.h). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <ctype.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "event.h"
#include "logql.h"
#include "stages/match/f2b_date.h"
#include "stages/match/f2b_regex.h"
#include "stages/match/f2b_time.h"

#define MAX_TEMPLATES 48

/* strptime directives as fail2ban's timeRE has them (C locale names). */
static const struct { const char *d, *re; } directives[] = {
	{ "ExY", "(?P<Y>20\\d\\d)" },	/* fail2ban: last year .. +3 years; here 2000-2099 */
	{ "Exy", "(?P<y>\\d{2})" },
	{ "ExZ", "(?P<Z>[A-Z](?:[A-Z]{2,4})?)" },
	{ "Exz", "(?P<z>(?:[A-Z](?:[A-Z]{2,4})?)?[+-][01]\\d(?::?\\d{2})?|[A-Z](?:[A-Z]{2,4})?)" },
	{ "Exd", "(?P<d>[1-2]\\d|0[1-9]|3[0-1])" },
	{ "Exm", "(?P<m>0[1-9]|1[0-2])" },
	{ "ExH", "(?P<H>[0-1]\\d|2[0-3])" },
	{ "Exk", " ?(?P<H>[0-1]?\\d|2[0-3])" },
	{ "Exl", " ?(?P<I>1[0-2]|\\d)" },
	{ "ExM", "(?P<M>[0-5]\\d)" },
	{ "ExS", "(?P<S>[0-5]\\d|6[0-1])" },
	{ "a", "(?P<a>monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun)" },
	{ "A", "(?P<A>monday|tuesday|wednesday|thursday|friday|saturday|sunday)" },
	{ "b", "(?P<b>january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)" },
	{ "B", "(?P<B>january|february|march|april|may|june|july|august|september|october|november|december)" },
	{ "d", "(?P<d>[1-2]\\d|[0 ]?[1-9]|3[0-1])" },
	{ "f", "(?P<f>[0-9]{1,6})" },
	{ "H", "(?P<H>[0-1]?\\d|2[0-3])" },
	{ "I", "(?P<I>1[0-2]|0[1-9]|[1-9])" },
	{ "j", "(?P<j>36[0-6]|3[0-5]\\d|[12]\\d\\d|0[1-9]\\d|00[1-9]|[1-9]\\d|0[1-9]|[1-9])" },
	{ "k", " ?(?P<H>[0-2]?\\d)" },
	{ "l", " ?(?P<I>1?\\d)" },
	{ "m", "(?P<m>0?[1-9]|1[0-2])" },
	{ "M", "(?P<M>[0-5]?\\d)" },
	{ "p", "(?P<p>am|pm)" },
	{ "S", "(?P<S>[0-5]?\\d|6[0-1])" },
	{ "U", "(?P<U>5[0-3]|[0-4]\\d|\\d)" },
	{ "w", "(?P<w>[0-6])" },
	{ "W", "(?P<W>5[0-3]|[0-4]\\d|\\d)" },
	{ "y", "(?P<y>\\d\\d)" },
	{ "Y", "(?P<Y>\\d\\d\\d\\d)" },
	{ "z", "(?P<z>Z|UTC|GMT|[+-][01]\\d(?::?\\d{2})?)" },
	{ "Z", "(?P<Z>Z|[A-Z]{3,5})" },
};

static const char *const default_templates[] = {
	"%ExY(?P<_sep>[-/.])%m(?P=_sep)%d(?:T|  ?)%H:%M:%S(?:[.,]%f)?(?:\\s*%z)?",
	"(?:%a )?%b %d %k:%M:%S(?:\\.%f)?(?: %ExY)?",
	"(?:%a )?%b %d %ExY %k:%M:%S(?:\\.%f)?",
	"%d(?P<_sep>[-/])%m(?P=_sep)(?:%ExY|%Exy) %k:%M:%S",
	"%d(?P<_sep>[-/])%b(?P=_sep)%ExY[ :]?%H:%M:%S(?:\\.%f)?(?: %z)?",
	"%m/%d/%ExY:%H:%M:%S",
	"%m-%d-%ExY %k:%M:%S(?:\\.%f)?",
	"EPOCH",
	"{^LN-BEG}%H:%M:%S",
	"^<%m/%d/%Exy@%H:%M:%S>",
	"%Exy%Exm%Exd  ?%H:%M:%S",
	"%b %d, %ExY %I:%M:%S %p",
	"^%b-%d-%Exy %k:%M:%S",
	"%ExY%Exm%Exd(?:T|  ?)%ExH%ExM%ExS(?:[.,]%f)?(?:\\s*%z)?",
	"(?:%Z )?(?:%a )?%b %d %k:%M:%S(?:\\.%f)?(?: %ExY)?",
	"(?:%z )?(?:%a )?%b %d %k:%M:%S(?:\\.%f)?(?: %ExY)?",
};

#define EPOCH_RE "\\d{10,11}\\b(?:\\.\\d{3,6})?"
#define LEPOCH_RE "\\d{10,11}(?:\\d{3}(?:\\.\\d{1,6}|\\d{3})?)?"

/* The strptime groups a time is built from. */
/* in the order of enum f2b_tfield (f2b_time.h) */
static const char *const gnames[] = { "Y", "y", "m", "b", "B", "d", "H", "I", "p", "M", "S", "f", "z", "Z" };
#define NG (sizeof(gnames) / sizeof(*gnames))

struct tmpl {
	pcre2_code *re;
	bool line_begin;
	int epoch;	/* 0, 1 epoch, 2 long epoch, 3 TAI64N */
	char lit[32];	/* a string every match contains (prefilter), or "" */
	size_t litlen;
	uint16_t gn[NG][4];	/* group numbers of each name (duplicates allowed) */
	uint8_t ngn[NG];
	/* an anchored template: the bytes a line may start with (PCRE2's own
	 * start analysis; all set when it has none), tested before calling
	 * PCRE2, as most templates of a datepattern fail on the first byte */
	bool anchored;
	uint8_t first[32];
	char *src;	/* the PCRE2 pattern (f2b_date_share_new compares them) */
	bool span_may_be_empty;	/* group 1 may match nothing (span_may_be_empty) */
	bool near_start;	/* group 1 starts within 2 non-word characters of the line start */
	struct tcell *cell;	/* its result on the share's line, or NULL */
	/* its own last match (the time is read from it, not by matching the
	 * line again); gen counts its matches, so a result can tell whether
	 * md still holds it */
	pcre2_match_data *md;
	uint64_t gen;
};

/* One template's result on the current line, shared by the detectors that
 * hold the same pattern (the defaults are in most datepatterns). */
struct tcell {
	uint64_t epoch;	/* the share's line it holds a result for */
	bool hit;
	size_t s, e;	/* the span (group 1) */
	struct tmpl *by;	/* the template whose md holds the match */
	uint64_t gen;	/* by->gen then */
};

struct f2b_date_share {
	struct f2b_date **dates;	/* attached detectors */
	size_t ndates;
	struct tcell *cells;
	size_t ncells;
	uint64_t epoch;	/* bumped for every new line */
	struct ward_buf line;
};

struct f2b_date {
	struct tmpl t[MAX_TEMPLATES];
	size_t n;
	pcre2_match_data *md;
	char *pattern;	/* as given ("" for the defaults) */
	unsigned refs;
	/* the last line's result: filters that share a detector search once */
	struct ward_buf memo_line;
	int64_t memo_ref;
	bool memo_valid, memo_found;
	bool memo_timed;	/* memo_ns is known (f2b_date_span leaves it out) */
	int memo_best;	/* the winning template */
	struct tmpl *memo_by;	/* the template whose md held its match, at memo_gen */
	uint64_t memo_gen;
	size_t memo_s, memo_e;
	int64_t memo_ns;
	struct f2b_date_share *share;	/* or NULL */
};

static bool starts(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

/* `%X` directives to regex (DatePatternRegex). -1 on an unknown one. */
static int expand_directives(const char *pat, struct ward_buf *out, bool *alpha, char *err, size_t errlen)
{
	for (const char *p = pat; *p;) {
		if (*p != '%') {
			buf_append_char(out, *p++);
			continue;
		}
		if (p[1] == '%') {
			buf_append_char(out, '%');
			p += 2;
			continue;
		}
		size_t k, best = 0, bl = 0;
		for (k = 0; k < sizeof(directives) / sizeof(*directives); k++) {
			size_t l = strlen(directives[k].d);
			if (strncmp(p + 1, directives[k].d, l) == 0 && l > bl) {
				best = k;
				bl = l;
			}
		}
		if (!bl) {
			snprintf(err, errlen, "datepattern: unsupported directive %%%c", p[1] ? p[1] : ' ');
			return -1;
		}
		if (strchr("aAbBp", directives[best].d[0]) && bl == 1)
			*alpha = true;
		buf_append_str(out, directives[best].re);
		p += 1 + bl;
	}
	return 0;
}

/* A '(' that opens a plain capturing group (RE_GROUPED). */
static bool has_plain_group(const char *r)
{
	for (size_t i = 0; r[i]; i++) {
		if (r[i] == '\\' && r[i + 1]) {
			i++;
			continue;
		}
		if (r[i] == '(' && r[i + 1] != '?' && !(i >= 2 && r[i - 2] == '(' && r[i - 1] == '?'))
			return true;
	}
	return false;
}

static bool ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && strcmp(s + a - b, suf) == 0;
}

/* DateTemplate.setRegex: group 1 around the date, word or line bounds. */
static void set_bounds(const char *regex, int word_begin /* 0, 1, 2=start */, bool word_end, struct ward_buf *out,
		       bool *line_begin)
{
	struct ward_buf r = WARD_BUF_INIT;
	buf_append_str(&r, regex);
	const char *s = buf_cstr(&r);
	/* leading global flags are kept in front */
	struct ward_buf flags = WARD_BUF_INIT;
	if (starts(s, "(?") && isalpha((unsigned char)s[2])) {
		const char *c = strchr(s, ')');
		if (c && c[-1] != ':' && !strchr(s + 2, ':')) {
			buf_append(&flags, s, (size_t)(c - s) + 1);
		} else if (c) {
			size_t k = 2;
			while (isalpha((unsigned char)s[k]))
				k++;
			if (s[k] == ')')
				buf_append(&flags, s, k + 1);
		}
		if (flags.len) {
			struct ward_buf t = WARD_BUF_INIT;
			buf_append_str(&t, s + flags.len);
			buf_free(&r);
			r = t;
			s = buf_cstr(&r);
		}
	}
	bool no_beg = s[0] == '^' || starts(s, "**") || starts(s, "(^") || starts(s, "(?:^");
	for (size_t k = 0; !no_beg && s[k] == '('; k++)
		if (starts(s + k + 1, "**"))
			no_beg = true;
	bool no_end = (ends_with(s, "$") && !ends_with(s, "\\$")) || ends_with(s, "$)") || ends_with(s, "\\b") ||
		      ends_with(s, "\\s") || ends_with(s, "**") || ends_with(s, "**)");
	bool bound_begin = word_begin && !no_beg, bound_end = word_end && !no_end;
	struct ward_buf body = WARD_BUF_INIT;
	if (!has_plain_group(s)) {
		/* RE_GROUP: ^((?:\(\?\w+\))?\^?...)(.*?)(\$?)$ -> \1(\2)\3 */
		size_t a = 0, n = strlen(s);
		if (s[a] == '^')
			a++;
		size_t z = n;
		if (z > a && s[z - 1] == '$' && !(z >= 2 && s[z - 2] == '\\'))
			z--;
		buf_append(&body, s, a);
		buf_append_char(&body, '(');
		buf_append(&body, s + a, z - a);
		buf_append_char(&body, ')');
		buf_append(&body, s + z, n - z);
	} else {
		buf_append_str(&body, s);
	}
	buf_append(out, flags.data, flags.len);
	*line_begin = false;
	if (bound_begin) {
		if (word_begin == 2) {
			buf_append_str(out, "^(?:\\W{0,2})?");
			*line_begin = true;
		} else {
			buf_append_str(out, "(?=^|\\b|\\W)");
		}
	}
	const char *b = buf_cstr(&body);
	if (b[0] == '^')
		*line_begin = true;
	/* drop the ** markers */
	for (size_t i = 0; b[i]; i++) {
		if (b[i] == '*' && b[i + 1] == '*' && (i == 0 || b[i - 1] != '\\')) {
			i++;
			continue;
		}
		buf_append_char(out, b[i]);
	}
	if (bound_end)
		buf_append_str(out, "(?=\\b|\\W|$)");
	buf_cstr(out);
	buf_free(&body);
	buf_free(&flags);
	buf_free(&r);
}

/* t->anchored and t->first from PCRE2's pattern info: the code unit every
 * match starts with, or its start bitmap (what PCRE2 itself skips by). */
static void first_bytes(const pcre2_code *re, struct tmpl *t)
{
	uint32_t opts = 0, type = 0, unit = 0;
	const uint8_t *map = NULL;
	pcre2_pattern_info(re, PCRE2_INFO_ALLOPTIONS, &opts);
	pcre2_pattern_info(re, PCRE2_INFO_FIRSTCODETYPE, &type);
	pcre2_pattern_info(re, PCRE2_INFO_FIRSTCODEUNIT, &unit);
	pcre2_pattern_info(re, PCRE2_INFO_FIRSTBITMAP, &map);
	/* A letter stands for both its cases (the templates are caseless, and
	 * PCRE2 itself then skips by both) and, to be safe, for every byte
	 * that starts a multi-byte character (U+212A KELVIN SIGN is a k
	 * without case; PCRE2 gives no first unit for such letters). */
	bool unit_ok = type == 1 && unit < 0x80;
	t->anchored = (opts & PCRE2_ANCHORED) && (unit_ok || (type != 1 && map));
	if (!t->anchored)
		return;
	if (unit_ok) {
		memset(t->first, 0, sizeof(t->first));
		t->first[unit / 8] = (uint8_t)(1u << (unit % 8));
		if (isalpha((int)unit)) {
			unsigned other = (unsigned)(isupper((int)unit) ? tolower((int)unit) : toupper((int)unit));
			t->first[other / 8] |= (uint8_t)(1u << (other % 8));
			memset(t->first + 0x80 / 8, 0xff, sizeof(t->first) - 0x80 / 8);
		}
	} else {
		memcpy(t->first, map, sizeof(t->first));
	}
}

/* Can group 1 (the span) of the PCRE2 pattern p match nothing? Its body is
 * compiled alone and PCRE2's minimum length asked (a lower bound: above 0,
 * the span is never empty). What this cannot tell (no group, a body that
 * does not compile alone, e.g. a back reference to a group outside it)
 * counts as "may be empty". */
static bool span_may_be_empty(const char *p)
{
	size_t n = strlen(p);
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\\') {
			i++;
			continue;
		}
		if (p[i] == '[') {
			size_t e = logql_regex_class_end(p, n, i);
			if (!e)
				return true;
			i = e - 1;
			continue;
		}
		if (p[i] != '(')
			continue;
		size_t body = i + 1;
		if (p[body] == '?') {
			bool named = (p[body + 1] == 'P' && p[body + 2] == '<') ||
				     (p[body + 1] == '<' && p[body + 2] != '=' && p[body + 2] != '!');
			const char *gt = named ? strchr(p + body, '>') : NULL;
			if (!gt)
				continue;	/* not a capturing group */
			body = (size_t)(gt - p) + 1;
		}
		size_t close = logql_regex_group_close(p, n, i);
		if (!close)
			return true;
		int ec;
		PCRE2_SIZE eo;
		pcre2_code *re = pcre2_compile((PCRE2_SPTR)(p + body), close - body,
					       PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF | PCRE2_DUPNAMES, &ec, &eo, NULL);
		uint32_t min = 0;
		if (re)
			pcre2_pattern_info(re, PCRE2_INFO_MINLENGTH, &min);
		pcre2_code_free(re);
		return min == 0;
	}
	return true;
}

/* Does group 1 (the span) of the PCRE2 pattern src start within two
 * non-word characters of the line start? Read from the text set_bounds
 * writes: leading flags, `^`, `{^LN-BEG}`'s `(?:\W{0,2})?`, then a
 * capturing `(` (the first: group 1). */
static bool near_start(const char *src)
{
	if (starts(src, "(?") && isalpha((unsigned char)src[2])) {
		size_t k = 2;
		while (isalpha((unsigned char)src[k]))
			k++;
		if (src[k] != ')')
			return false;
		src += k + 1;
	}
	if (*src++ != '^')
		return false;
	if (starts(src, "(?:\\W{0,2})?"))
		src += strlen("(?:\\W{0,2})?");
	return src[0] == '(' && src[1] != '?' && src[1] != '*';
}

static int add_regex(struct f2b_date *d, const char *pyre, bool line_begin, int epoch, char *err, size_t errlen)
{
	if (d->n >= MAX_TEMPLATES) {
		snprintf(err, errlen, "datepattern: too many templates");
		return -1;
	}
	struct ward_buf pc = WARD_BUF_INIT;
	char why[200];
	if (f2b_py2pcre(pyre, &pc, why, sizeof(why)) != 0) {
		snprintf(err, errlen, "datepattern: %s", why);
		buf_free(&pc);
		return -1;
	}
	int ec;
	PCRE2_SIZE eo;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)buf_cstr(&pc), pc.len,
				       PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF | PCRE2_DUPNAMES, &ec, &eo, NULL);
	char lit[32];
	size_t litlen = f2b_required_literal(buf_cstr(&pc), lit, sizeof(lit));
	if (!re) {
		buf_free(&pc);
		PCRE2_UCHAR msg[160];
		pcre2_get_error_message(ec, msg, sizeof(msg));
		snprintf(err, errlen, "datepattern: %s at offset %zu", (char *)msg, (size_t)eo);
		return -1;
	}
	pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	struct tmpl *t = &d->t[d->n];
	memset(t, 0, sizeof(*t));
	t->src = ward_xstrdup(buf_cstr(&pc));
	t->md = pcre2_match_data_create_from_pattern(re, NULL);
	if (!t->md)
		ward_oom();
	buf_free(&pc);
	t->span_may_be_empty = epoch == 0 && span_may_be_empty(t->src);
	for (size_t g = 0; g < NG; g++) {
		PCRE2_SPTR first, last;
		int esz = pcre2_substring_nametable_scan(re, (PCRE2_SPTR)gnames[g], &first, &last);
		for (PCRE2_SPTR e = first; esz > 0 && e <= last && t->ngn[g] < 4; e += esz)
			t->gn[g][t->ngn[g]++] = (uint16_t)((e[0] << 8) | e[1]);
	}
	first_bytes(re, t);
	t->near_start = near_start(t->src);
	d->t[d->n].re = re;
	d->t[d->n].line_begin = line_begin;
	memcpy(t->lit, lit, litlen + 1);
	t->litlen = litlen;
	d->t[d->n].epoch = epoch;
	d->n++;
	return 0;
}

/* One pattern as DatePatternRegex / DateEpoch builds it. */
static int add_pattern(struct f2b_date *d, const char *pattern, bool anchored, char *err, size_t errlen)
{
	int word_begin = 1;
	bool word_end = true;
	const char *p = pattern;
	if (starts(p, "{UNB}")) {
		p += 5;
		word_begin = 0;
		word_end = false;
	}
	if (starts(p, "{^LN-BEG}")) {
		p += 9;
		if (word_begin)
			word_begin = 2;
	}
	if (anchored && word_begin)
		word_begin = 2;
	struct ward_buf out = WARD_BUF_INIT;
	bool lb = false;
	int rc;
	char up[16];
	snprintf(up, sizeof(up), "%.15s", p);
	for (char *q = up; *q; q++)
		*q = (char)toupper((unsigned char)*q);
	if (!strchr(p, '%') && (strcmp(up, "EPOCH") == 0 || strcmp(up, "LEPOCH") == 0 || strcmp(up, "^EPOCH") == 0 ||
				strcmp(up, "^LEPOCH") == 0)) {
		bool lng = strstr(up, "LEPOCH") != NULL;
		if (up[0] == '^')
			word_begin = 2;
		if (word_begin == 2) {
			struct ward_buf r = WARD_BUF_INIT;
			buf_printf(&r, "((?P<square>(?<=^\\[))?%s)(?(square)(?=\\]))", lng ? LEPOCH_RE : EPOCH_RE);
			set_bounds(buf_cstr(&r), 2, true, &out, &lb);
			buf_free(&r);
		} else {
			struct ward_buf r = WARD_BUF_INIT;
			buf_printf(&r,
				   "((?:^|(?P<square>(?<=^\\[))|(?P<selinux>(?<=\\baudit\\()))%s)"
				   "(?:(?(selinux)(?=:\\d+\\)))|(?(square)(?=\\])))",
				   lng ? LEPOCH_RE : EPOCH_RE);
			set_bounds(buf_cstr(&r), 0, true, &out, &lb);
			buf_free(&r);
		}
		rc = add_regex(d, buf_cstr(&out), lb, lng ? 2 : 1, err, errlen);
		buf_free(&out);
		return rc;
	}
	if (strcmp(up, "TAI64N") == 0 || strcmp(up, "^TAI64N") == 0) {
		/* DateTai64n: @ + 24 hex digits (2^62 + seconds, nanoseconds) */
		set_bounds("@[0-9a-f]{24}", up[0] == '^' || word_begin == 2 ? 2 : 1, true, &out, &lb);
		rc = add_regex(d, buf_cstr(&out), lb, 3, err, errlen);
		buf_free(&out);
		return rc;
	}
	struct ward_buf rx = WARD_BUF_INIT;
	bool alpha = false;
	if (expand_directives(p, &rx, &alpha, err, errlen) != 0) {
		buf_free(&rx);
		return -1;
	}
	struct ward_buf full = WARD_BUF_INIT;
	if (alpha)
		buf_append_str(&full, "(?i)");
	buf_append(&full, rx.data, rx.len);
	set_bounds(buf_cstr(&full), word_begin, word_end, &out, &lb);
	rc = add_regex(d, buf_cstr(&out), lb, 0, err, errlen);
	buf_free(&rx);
	buf_free(&full);
	buf_free(&out);
	return rc;
}

/* DateTemplate.unboundPattern: the pattern without its line/word bounds. */
static const char *unbound(const char *p)
{
	if (starts(p, "{UNB}"))
		p += 5;
	if (starts(p, "{^LN-BEG}"))
		p += 9;
	return p;
}

static int add_defaults(struct f2b_date *d, bool only_anchored, char *err, size_t errlen)
{
	const size_t ndef = sizeof(default_templates) / sizeof(*default_templates);
	int rc = 0;
	/* anchored forms first (fail2ban gives them weight 100), then all */
	for (size_t i = 0; rc == 0 && i < ndef; i++)
		if (default_templates[i][0] != '^' && !starts(default_templates[i], "{^LN-BEG}"))
			rc = add_pattern(d, default_templates[i], true, err, errlen);
	for (size_t i = 0; rc == 0 && i < ndef; i++)
		if (!only_anchored || default_templates[i][0] == '^' || starts(default_templates[i], "{^LN-BEG}"))
			rc = add_pattern(d, default_templates[i], false, err, errlen);
	return rc;
}

struct f2b_date *f2b_date_new(const char *datepattern, char *err, size_t errlen)
{
	struct f2b_date *d = ward_xcalloc(1, sizeof(*d));
	d->refs = 1;
	int rc = 0;
	const size_t ndef = sizeof(default_templates) / sizeof(*default_templates);
	if (!datepattern || !*datepattern) {
		rc = add_defaults(d, false, err, errlen);
	} else {
		const char *p = datepattern;
		while (rc == 0 && *p) {
			size_t k = strcspn(p, "\n");
			char *one = ward_xstrndup(p, k);
			p += k + (p[k] == '\n');
			char *date = strstr(one, "{DATE}");
			if (!*one) {
			} else if (strcmp(one, "{^LN-BEG}") == 0) {
				rc = add_defaults(d, true, err, errlen);
			} else if (date) {
				for (size_t i = 0; rc == 0 && i < ndef; i++) {
					if (strstr(default_templates[i], "EPOCH"))
						continue;
					struct ward_buf b = WARD_BUF_INIT;
					buf_append(&b, one, (size_t)(date - one));
					buf_append_str(&b, unbound(default_templates[i]));
					buf_append_str(&b, date + 6);
					rc = add_pattern(d, buf_cstr(&b), false, err, errlen);
					buf_free(&b);
				}
			} else {
				rc = add_pattern(d, one, false, err, errlen);
			}
			free(one);
		}
	}
	if (rc != 0) {
		f2b_date_free(d);
		return NULL;
	}
	d->md = pcre2_match_data_create(64, NULL);
	d->pattern = ward_xstrdup(datepattern ? datepattern : "");
	d->refs = 1;
	return d;
}

bool f2b_date_may_be_empty(const struct f2b_date *d)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->t[i].span_may_be_empty)
			return true;
	return false;
}

bool f2b_date_near_start(const struct f2b_date *d)
{
	for (size_t i = 0; i < d->n; i++)
		if (!d->t[i].near_start)
			return false;
	return true;
}

struct f2b_date_share *f2b_date_share_new(struct f2b_date *const *dates, size_t n)
{
	struct f2b_date_share *sh = ward_xcalloc(1, sizeof(*sh));
	char **src = NULL;	/* distinct patterns, borrowed */
	for (size_t k = 0; k < n; k++)
		for (size_t i = 0; !dates[k]->share && i < dates[k]->n; i++) {
			size_t j = 0;
			while (j < sh->ncells && strcmp(src[j], dates[k]->t[i].src) != 0)
				j++;
			if (j == sh->ncells) {
				src = ward_xrealloc(src, (sh->ncells + 1) * sizeof(*src));
				src[sh->ncells++] = dates[k]->t[i].src;
			}
		}
	sh->cells = ward_xcalloc(sh->ncells + 1, sizeof(*sh->cells));
	for (size_t k = 0; k < n; k++) {
		struct f2b_date *d = dates[k];
		if (d->share)
			continue;	/* in another share already */
		for (size_t i = 0; i < d->n; i++) {
			size_t j = 0;
			while (strcmp(src[j], d->t[i].src) != 0)
				j++;
			d->t[i].cell = &sh->cells[j];
		}
		d->share = sh;
		sh->dates = ward_xrealloc(sh->dates, (sh->ndates + 1) * sizeof(*sh->dates));
		sh->dates[sh->ndates++] = d;
	}
	free(src);
	return sh;
}

void f2b_date_share_free(struct f2b_date_share *sh)
{
	if (!sh)
		return;
	for (size_t k = 0; k < sh->ndates; k++) {
		sh->dates[k]->share = NULL;
		sh->dates[k]->memo_by = NULL;	/* it may be another detector's template */
		for (size_t i = 0; i < sh->dates[k]->n; i++)
			sh->dates[k]->t[i].cell = NULL;
	}
	free(sh->dates);
	free(sh->cells);
	buf_free(&sh->line);
	free(sh);
}

struct f2b_date *f2b_date_ref(struct f2b_date *d)
{
	d->refs++;
	return d;
}

const char *f2b_date_pattern(const struct f2b_date *d)
{
	return d->pattern;
}

void f2b_date_free(struct f2b_date *d)
{
	if (!d || --d->refs > 0)
		return;
	free(d->pattern);
	buf_free(&d->memo_line);
	for (size_t i = 0; i < d->n; i++) {
		pcre2_code_free(d->t[i].re);
		pcre2_match_data_free(d->t[i].md);
		free(d->t[i].src);
	}
	pcre2_match_data_free(d->md);
	free(d);
}

/* Group g's text (the one that matched, among duplicate names), or NULL. */
static const char *group(const struct tmpl *t, pcre2_match_data *md, const char *line, size_t g, size_t *n)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
	uint32_t cnt = pcre2_get_ovector_count(md);
	for (uint8_t k = 0; k < t->ngn[g]; k++) {
		uint32_t i = t->gn[g][k];
		if (i < cnt && ov[2 * i] != PCRE2_UNSET) {
			*n = ov[2 * i + 1] - ov[2 * i];
			return line + ov[2 * i];
		}
	}
	*n = 0;
	return NULL;
}

/* The time of template t's match in md. */
static int64_t to_time(const struct tmpl *t, pcre2_match_data *md, const char *line, int64_t ref_ns)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
	if (t->epoch == 3)
		return f2b_time_tai64n(line + ov[2] + 1);
	if (t->epoch)
		return ov[2] == PCRE2_UNSET ? WARD_TS_NONE : f2b_time_epoch(line + ov[2], ov[3] - ov[2], t->epoch == 2);
	struct f2b_tfields f;
	for (size_t g = 0; g < NG; g++)
		f.v[g] = group(t, md, line, g, &f.n[g]);
	return f2b_time_of(&f, ref_ns);
}

static int find(struct f2b_date *d, bool shared, const char *line, size_t len, size_t *s, size_t *e,
		struct tmpl **by, uint64_t *gen);

/* Search line unless it is the memo's line; the time is left out. */
static void memo_search(struct f2b_date *d, const char *line, size_t len, int64_t ref_ns)
{
	if (d->memo_valid && d->memo_ref == ref_ns && d->memo_line.len == len &&
	    memcmp(d->memo_line.data, line, len) == 0)
		return;
	d->memo_best = find(d, true, line, len, &d->memo_s, &d->memo_e, &d->memo_by, &d->memo_gen);
	d->memo_found = d->memo_best >= 0;
	d->memo_timed = false;
	buf_reset(&d->memo_line);
	buf_append(&d->memo_line, line, len);
	d->memo_ref = ref_ns;
	d->memo_valid = true;
}

bool f2b_date_known(const struct f2b_date *d, const char *line, size_t len, int64_t ref_ns)
{
	return d->memo_valid && d->memo_ref == ref_ns && d->memo_line.len == len &&
	       memcmp(d->memo_line.data, line, len) == 0;
}

bool f2b_date_span(struct f2b_date *d, const char *line, size_t len, int64_t ref_ns, size_t *s, size_t *e)
{
	memo_search(d, line, len, ref_ns);
	*s = d->memo_s;
	*e = d->memo_e;
	return d->memo_found;
}

bool f2b_date_find(struct f2b_date *d, const char *line, size_t len, int64_t ref_ns, size_t *s, size_t *e,
		   int64_t *ns)
{
	memo_search(d, line, len, ref_ns);
	if (d->memo_found && !d->memo_timed) {
		const struct tmpl *by = d->memo_by;
		if (by && by->gen == d->memo_gen) {	/* the winner's match data holds its groups still */
			d->memo_ns = to_time(by, by->md, line, ref_ns);
		} else {	/* match the winner again to read its groups */
			pcre2_match(d->t[d->memo_best].re, (PCRE2_SPTR)line, len, 0, 0, d->md, NULL);
			d->memo_ns = to_time(&d->t[d->memo_best], d->md, line, ref_ns);
		}
		d->memo_timed = true;
	}
	*s = d->memo_s;
	*e = d->memo_e;
	*ns = d->memo_ns;
	return d->memo_found;
}

bool f2b_date_find_once(struct f2b_date *d, const char *line, size_t len, int64_t ref_ns, size_t *s, size_t *e,
			int64_t *ns)
{
	struct tmpl *by;
	uint64_t gen;
	if (find(d, false, line, len, s, e, &by, &gen) < 0)
		return false;
	*ns = to_time(by, by->md, line, ref_ns);	/* by is d's own template: its match is this one */
	return true;
}

/* Template t on line: true with its span (group 1) in [*s, *e), the match
 * in t->md. */
static bool try_template(struct tmpl *t, const char *line, size_t len, size_t *s, size_t *e)
{
	if (t->anchored && len && !(t->first[(unsigned char)line[0] / 8] >> ((unsigned char)line[0] % 8) & 1))
		return false;	/* an anchored template that cannot start with this byte */
	if (t->litlen && !memmem(line, len, t->lit, t->litlen))
		return false;	/* the prefilter: a string every match needs is absent */
	t->gen++;
	int rc = pcre2_match(t->re, (PCRE2_SPTR)line, len, 0, 0, t->md, NULL);
	if (rc < 2)
		return false;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(t->md);
	if (ov[2] == PCRE2_UNSET)
		return false;
	*s = ov[2];
	*e = ov[3];
	return true;
}

/* The share's epoch for line (a new one when the line differs). */
static uint64_t share_line(struct f2b_date_share *sh, const char *line, size_t len)
{
	if (sh->epoch && sh->line.len == len && memcmp(sh->line.data, line, len) == 0)
		return sh->epoch;
	buf_reset(&sh->line);
	buf_append(&sh->line, line, len);
	return ++sh->epoch;
}

/* The index of the winning template with its span in [*s, *e), or -1;
 * *by and *gen: the template whose match data holds its match (t->gen
 * still *gen: f2b_date_find reads the time from it). */
static int find(struct f2b_date *d, bool shared, const char *line, size_t len, size_t *s, size_t *e,
		struct tmpl **by, uint64_t *gen)
{
	int best = -1;
	size_t bs = 0, be = 0;
	shared = shared && d->share;
	uint64_t epoch = shared ? share_line(d->share, line, len) : 0;
	*by = NULL;
	for (size_t i = 0; i < d->n; i++) {
		struct tmpl *t = &d->t[i], *tby = t;
		struct tcell *c = shared ? t->cell : NULL;
		size_t ts = 0, te = 0;
		bool hit;
		if (c && c->epoch == epoch) {
			hit = c->hit;
			ts = c->s;
			te = c->e;
			tby = c->by;
		} else {
			hit = try_template(t, line, len, &ts, &te);
			if (c)
				*c = (struct tcell){ .epoch = epoch, .hit = hit, .s = ts, .e = te, .by = t, .gen = t->gen };
		}
		if (!hit)
			continue;
		if (best < 0 || ts < bs) {
			best = (int)i;
			bs = ts;
			be = te;
			*by = tby;
			*gen = c && c->epoch == epoch ? c->gen : t->gen;
		}
		if (t->line_begin || bs == 0)
			break;	/* no later template can start earlier than 0 */
	}
	if (best < 0)
		return -1;
	*s = bs;
	*e = be;
	return best;
}
