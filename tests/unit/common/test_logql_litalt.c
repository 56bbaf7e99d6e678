/* Line regexes answered from the literal scan (logql_litalt.c): what
 * logql_regex_literal_set accepts, and a differential check that for
 * random alternations of literals (prefix-factored groups, (?i), empty
 * branches) on random lines (KELVIN SIGN, LONG S, other UTF-8, invalid
 * bytes) the literal set, and the engine's `|~` and `!~` filters, answer
 * exactly what PCRE2 (UTF mode, as logql_re compiles line regexes) does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "buf.h"
#include "event.h"
#include "logql.h"

/* The literal set as "a|b" ("i:" first when caseless, "!" last when exact
 * only on ASCII lines), or "-" when the regex is not one. */
static const char *set_of(const char *re)
{
	static char out[2048];
	struct logql_litalt s = { 0 };
	bool ok = logql_regex_literal_set(re, strlen(re), &s);
	if (!ok) {
		assert_int_equal(s.n, 0);
		buf_free(&s.text);
		return "-";
	}
	out[0] = '\0';
	if (s.icase)
		strcat(out, "i:");
	for (size_t i = 0; i < s.n; i++) {
		if (i)
			strcat(out, "|");
		strncat(out, s.text.data + s.off[i], s.len[i]);
	}
	if (s.ascii_lines_only)
		strcat(out, "!");
	buf_free(&s.text);
	return out;
}

static void test_accepted(void **state)
{
	(void)state;
	assert_string_equal(set_of("abc"), "abc");
	assert_string_equal(set_of("\"GET |\"POST |remote_addr"), "\"GET |\"POST |remote_addr");
	assert_string_equal(set_of("(?i)(?:%2(?:527|7)|'|;|c(?:hr|oncat))"), "i:%2527|%27|'|;|chr|concat");
	assert_string_equal(set_of("(?i)(?:\\$\\{|%2(?:4%7b|524))"), "i:${|%24%7b|%2524");
	assert_string_equal(set_of("a(b|c)d"), "abd|acd");
	assert_string_equal(set_of("a(?:b|)"), "ab|a");
	assert_string_equal(set_of("a(?:b)?"), "ab|a");
	assert_string_equal(set_of("ab?c"), "abc|ac");
	assert_string_equal(set_of("vpn(?:s/)?"), "vpns/|vpn");
	assert_string_equal(set_of("\\x60id\\ x"), "`id x");
	assert_string_equal(set_of("\\\\x00"), "\\x00");
	assert_string_equal(set_of("(?i)ask"), "i:ask!");	/* k, s: U+212A, U+017F */
	assert_string_equal(set_of("ask"), "ask");		/* case-sensitive: exact */
	assert_string_equal(set_of("(?i)\\.ph(?:p|tml)"), "i:.php|.phtml");
}

static void test_refused(void **state)
{
	(void)state;
	const char *no[] = {
		"", "a|", "|a", "(?i)", "(?:|)", "()", "a*", "a+", "a?", "a{2}", "(?:ab)?", "(ab)*",
		"a.b", "^a", "a$", "[ab]", "\\d", "\\w", "\\Qa\\E", "(?i:a)", "a(?i)b", "(?s)a",
		"(?=a)", "(?P<n>a)", "\\x{41}", "\\x4", "\\x00", "\\xe9", "\xc3\xa9", "a\tb", "a)",
		"(a", "\\", "\\1", "a}", "a]", "(?x)a b", "a??", "ab?+", "a(?:b)??", "(?:b)?",
	};
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (strcmp(set_of(no[i]), "-") != 0)
			fail_msg("accepted \"%s\" as %s", no[i], set_of(no[i]));
}

static unsigned rnd(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return (*s >> 16) & 0x7fff;
}

static const char *const atoms[] = { "a", "b", "k", "K", "s", "S", "%", "2", "'", ";", "\\.", "\\(",
				     "\\)", "\\|", "\\x41", "\\ ", "-", "t", "T" };
#define NATOMS (sizeof(atoms) / sizeof(atoms[0]))

static void gen_alt(unsigned *s, struct ward_buf *re, int depth);

static void gen_seq(unsigned *s, struct ward_buf *re, int depth)
{
	unsigned n = rnd(s) % 4;
	for (unsigned i = 0; i < n; i++) {
		if (depth < 3 && rnd(s) % 4 == 0) {
			buf_append_str(re, rnd(s) % 2 ? "(?:" : "(");
			gen_alt(s, re, depth + 1);
			buf_append_char(re, ')');
		} else {
			buf_append_str(re, atoms[rnd(s) % NATOMS]);
		}
		if (rnd(s) % 6 == 0)
			buf_append_str(re, rnd(s) % 8 ? "?" : rnd(s) % 2 ? "??" : "?+");
	}
}

static void gen_alt(unsigned *s, struct ward_buf *re, int depth)
{
	unsigned n = 1 + rnd(s) % 3;
	for (unsigned i = 0; i < n; i++) {
		if (i)
			buf_append_char(re, '|');
		gen_seq(s, re, depth);
	}
}

static const char *const pieces[] = { "a", "b", "k", "K", "s", "S", "%27", "'", ";", ".", "(", ")", "|",
				      "A", " ", "-", "t", "T", "ks", "as", "2",
				      "\xe2\x84\xaa",	/* U+212A KELVIN SIGN */
				      "\xc5\xbf",	/* U+017F LATIN SMALL LETTER LONG S */
				      "\xc3\xa9", "\xff", "\xe2\x84" };
#define NPIECES (sizeof(pieces) / sizeof(pieces[0]))

static void gen_line(unsigned *s, struct ward_buf *l)
{
	buf_reset(l);
	unsigned n = rnd(s) % 10;
	for (unsigned i = 0; i < n; i++)
		buf_append_str(l, pieces[rnd(s) % NPIECES]);
}

static bool pcre_match(pcre2_code *code, const struct ward_buf *l)
{
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
	int rc = pcre2_match(code, (PCRE2_SPTR)(l->data ? l->data : ""), l->len, 0, 0, md, NULL);
	pcre2_match_data_free(md);
	assert_true(rc >= 0 || rc == PCRE2_ERROR_NOMATCH);
	return rc >= 0;
}

/* Does l hold one of s's literals (ASCII letters caseless when s->icase)? */
static bool set_match(const struct logql_litalt *s, const struct ward_buf *l)
{
	for (size_t i = 0; i < s->n; i++)
		for (size_t at = 0; at + s->len[i] <= l->len; at++)
			if (s->icase ? !strncasecmp(l->data + at, s->text.data + s->off[i], s->len[i])
				     : !memcmp(l->data + at, s->text.data + s->off[i], s->len[i]))
				return true;
	return false;
}

static bool is_ascii(const struct ward_buf *l)
{
	for (size_t i = 0; i < l->len; i++)
		if ((unsigned char)l->data[i] >= 0x80)
			return false;
	return true;
}

#define NREGEXES 60
#define NLINES 400

static void test_differential(void **state)
{
	(void)state;
	unsigned seed = 12345;
	size_t accepted = 0, kelvin_fallbacks = 0;
	for (int round = 0; round < 20; round++) {
		/* one engine per round holding every regex: enough literals for
		 * the one-pass scan (the others search literal by literal) */
		struct logql_engine *eng = logql_engine_new();
		struct ward_buf res[NREGEXES], q = WARD_BUF_INIT, line = WARD_BUF_INIT;
		struct logql_expr *ex[2 * NREGEXES];
		struct logql_pipeline *p[2 * NREGEXES];
		pcre2_code *code[NREGEXES];
		struct logql_litalt set[NREGEXES];
		bool ok[NREGEXES];
		for (size_t i = 0; i < NREGEXES; i++) {
			res[i] = (struct ward_buf)WARD_BUF_INIT;
			if (rnd(&seed) % 2)
				buf_append_str(&res[i], "(?i)");
			gen_alt(&seed, &res[i], 0);
			const char *re = buf_cstr(&res[i]);
			int ec;
			PCRE2_SIZE eo;
			code[i] = pcre2_compile((PCRE2_SPTR)re, res[i].len,
						PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_DOLLAR_ENDONLY, &ec, &eo, NULL);
			assert_non_null(code[i]);
			set[i] = (struct logql_litalt){ 0 };
			ok[i] = logql_regex_literal_set(re, res[i].len, &set[i]);
			accepted += ok[i];
			for (int neg = 0; neg < 2; neg++) {
				struct logql_error err;
				buf_reset(&q);
				buf_printf(&q, "{job=\"t\"} %s `%s`", neg ? "!~" : "|~", re);
				ex[2 * i + neg] = logql_parse(q.data, q.len, &err);
				if (!ex[2 * i + neg])
					fail_msg("parse %s: %s", q.data, err.msg);
				const struct logql_log_query *lq;
				logql_expr_log_queries(ex[2 * i + neg], &lq, 1);
				p[2 * i + neg] = logql_pipeline_compile(eng, lq, &err);
				assert_non_null(p[2 * i + neg]);
			}
		}
		struct logql_ctx *cx = logql_ctx_new(eng);
		struct ward_event ev;
		event_init(&ev);
		event_set_label(&ev, "job", "t", 1);
		for (size_t n = 0; n < NLINES; n++) {
			gen_line(&seed, &line);
			event_set_line(&ev, line.data ? line.data : "", line.len);
			logql_ctx_begin(cx, &ev);
			for (size_t i = 0; i < NREGEXES; i++) {
				bool want = pcre_match(code[i], &line);
				if (ok[i] && (!set[i].ascii_lines_only || is_ascii(&line))) {
					if (set_match(&set[i], &line) != want)
						fail_msg("literal set of `%s` on \"%s\": %d, PCRE2 %d", res[i].data,
							 buf_cstr(&line), !want, want);
				} else if (ok[i] && set_match(&set[i], &line) != want) {
					kelvin_fallbacks++;	/* what the fallback to PCRE2 is for */
				}
				bool got = logql_eval(cx, p[2 * i]), got_not = logql_eval(cx, p[2 * i + 1]);
				if (got != want || got_not != !want)
					fail_msg("`%s` on \"%s\": |~ %d, !~ %d, PCRE2 %d", res[i].data, buf_cstr(&line),
						 got, got_not, want);
			}
		}
		event_free(&ev);
		logql_ctx_free(cx);
		logql_engine_free(eng);	/* and its pipelines */
		for (size_t i = 0; i < 2 * NREGEXES; i++)
			logql_expr_free(ex[i]);
		for (size_t i = 0; i < NREGEXES; i++) {
			pcre2_code_free(code[i]);
			buf_free(&set[i].text);
			buf_free(&res[i]);
		}
		buf_free(&q);
		buf_free(&line);
	}
	/* the generator reaches both paths */
	assert_true(accepted > 200);
	assert_true(kelvin_fallbacks > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepted),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_differential),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
