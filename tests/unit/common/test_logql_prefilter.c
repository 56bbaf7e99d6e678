/* Literal prefilters: the required-literal analysis of line regexes
 * (logql_req.c), and a differential check that the prefiltered engine
 * (required literals, one litscan pass, candidate index) keeps exactly
 * the events the unfiltered engine keeps, for many rules and random lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "event.h"
#include "logql.h"

/* The literals logql_regex_required finds, as "a|b" ("" for none), "i:" first
 * when caseless. */
static const char *req(const char *re)
{
	static char out[512];
	struct logql_req r = { 0 };
	size_t n = logql_regex_required(re, strlen(re), 3, &r);
	out[0] = '\0';
	if (r.icase)
		strcat(out, "i:");
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(out, "|");
		strncat(out, r.text.data + r.off[i], r.len[i]);
	}
	buf_free(&r.text);
	return out;
}

/* logql_regex_required_and as "first & second & second" (each "a|b",
 * "i:" first when caseless; "" when the regex requires nothing). */
static const char *req_and(const char *re)
{
	static char out[512];
	struct logql_req r = { 0 }, also[8];
	memset(also, 0, sizeof(also));
	size_t k = logql_regex_required_and(re, strlen(re), 3, &r, also, 8);
	out[0] = '\0';
	for (size_t c = 0; c <= k && (c == 0 ? r.n : 1); c++) {
		const struct logql_req *q = c ? &also[c - 1] : &r;
		if (c)
			strcat(out, " & ");
		if (q->icase)
			strcat(out, "i:");
		for (size_t i = 0; i < q->n; i++) {
			if (i)
				strcat(out, "|");
			strncat(out, q->text.data + q->off[i], q->len[i]);
		}
	}
	buf_free(&r.text);
	for (size_t i = 0; i < 8; i++)
		buf_free(&also[i].text);
	return out;
}

/* Second clauses: every requirement of the only top-level branch, weak
 * groups too, none overlapping the first; nothing that may be absent. */
static void test_required_and(void **state)
{
	(void)state;
	assert_string_equal(req_and("\\((?P<service>sudo(?:-i)?):auth\\): authentication failure; logname="),
			    ":auth): authentication failure; logname= & ( & sudo");
	assert_string_equal(req_and("Failed password for (?:root|admin) from"),
			    "Failed password for  & root|admin &  from");
	/* optional, starred, looked around, or inside an alternation: not required */
	assert_string_equal(req_and("Failed password(?: for root)?(?:sudo)*(?=abcd)"), "Failed password");
	assert_string_equal(req_and("Failed password(?:x|sudo)"), "Failed password");
	/* a top-level '|': no second clause */
	assert_string_equal(req_and("Failed password (sudo)|Failed password (su)"), "Failed password |Failed password ");
	/* inside the first (caseless) or holding it: adds nothing */
	assert_string_equal(req_and("Failed password.*(?:PASSWORD)"), "PASSWORD");
	assert_string_equal(req_and("Failed password for.*Failed"), "Failed password for");
	assert_string_equal(req_and("Failed password.*(?:sudo)+ x(?:alpha){2}"), "Failed password & sudo & alpha");
	/* a weak group alone gates nothing: no first clause, so no second */
	assert_string_equal(req_and("a.b.c(?:sudo)"), "");
	assert_string_equal(req_and("ab\\Q"), "");
}

static void test_required_literals(void **state)
{
	(void)state;
	assert_string_equal(req("Failed password for (?P<user>.*) from"), "Failed password for ");
	assert_string_equal(req("foo\\.bar[0-9]+bazzz"), "foo.bar");
	assert_string_equal(req("Failed|Invalid user"), "Failed|Invalid user");
	assert_string_equal(req("abc|d"), "");			/* a branch too short */
	assert_string_equal(req("abcd|"), "");			/* an empty branch */
	assert_string_equal(req("(?i)error: fatal"), "i:error: fatal");
	/* (?i)s and (?i)k also match U+017F and U+212A: never in a caseless literal */
	assert_string_equal(req("(?i)password"), "i:word");
	assert_string_equal(req("(?i)ssh"), "");
	/* quantified atoms are optional, '+' keeps one */
	assert_string_equal(req("abcd?efg"), "abc");
	assert_string_equal(req("abcx+yz"), "abcx");
	assert_string_equal(req("abc{2,3}defg"), "defg");
	assert_string_equal(req("ab\xc3\xa9?cd"), "");		/* é? is one atom */
	assert_string_equal(req("abc\xc3\xa9xyz"), "abc\xc3\xa9xyz");
	/* groups: one taken at least once gives its requirement (the union
	 * of its branches'), the most selective candidate of a branch wins */
	assert_string_equal(req("foo(bar|baz)quux"), "quux");
	assert_string_equal(req("(?:a|b)cdef"), "cdef");
	assert_string_equal(req("ab(?:Failed|Invalid user)cd"), "Failed|Invalid user");
	assert_string_equal(req("(?:Failed|Invalid user)"), "Failed|Invalid user");
	assert_string_equal(req("(?:(?:Failed|Invalid))"), "Failed|Invalid");
	assert_string_equal(req("(?:foo[)]barx|bazqux)"), "barx|bazqux");
	assert_string_equal(req("(?:Failed|Invalid)+"), "Failed|Invalid");
	assert_string_equal(req("(?:Failed|Invalid){2,}"), "Failed|Invalid");
	assert_string_equal(req("(?:abcd)|(?:efgh)"), "abcd|efgh");
	assert_string_equal(req("(?:Failed)|Invalid"), "Failed|Invalid");
	assert_string_equal(req("x(?P<u>abcd(?:e|f)ghijk)y"), "ghijk");
	assert_string_equal(req("(?<u>abcd)|(?'v'efgh)"), "abcd|efgh");
	assert_string_equal(req("(?>atomic)|(?|reset|set)"), "atomic|reset|set");
	assert_string_equal(req("(a(b(c(d(Efgh-)))))"), "Efgh-");
	/* a weak group requirement (common letters: the scanner would hit it
	 * on most lines) is used only when the group is the whole branch */
	assert_string_equal(req("xy(?:olo|coe)zz"), "");
	/* the most selective candidate of a branch (docs/logql.md) */
	assert_string_equal(req("Failed (?:password|publickey) for"), "Failed ");
	assert_string_equal(req(": (?:no pg_hba\\.conf entry for|pg_hba\\.conf rejects connection for) host"),
			    "no pg_hba.conf entry for|pg_hba.conf rejects connection for");
	assert_string_equal(req("(?:olo|coe)"), "olo|coe");
	assert_string_equal(req("(?i)(?:olo|coe)|Xyz"), "i:olo|coe|Xyz");
	/* where a naive analysis would be unsound: optional groups, empty
	 * branches, {0,m}, lookarounds require nothing */
	assert_string_equal(req("(abc|)defg"), "defg");
	assert_string_equal(req("(abc|)de"), "");
	assert_string_equal(req("(?:xyz)?yz"), "");
	assert_string_equal(req("(abc|bcd)*"), "");
	assert_string_equal(req("(abcd){0,3}"), "");
	assert_string_equal(req("abc{0,3}"), "");
	assert_string_equal(req("(?=xyzw)ab"), "");
	assert_string_equal(req("(?!xyzw)abc"), "abc");
	assert_string_equal(req("(?<=xyzw)ab|(?<!q)cde"), "");
	assert_string_equal(req("ab(?=c)d"), "");	/* the run stops at the lookahead */
	assert_string_equal(req("(?:abc|de)fg"), "");
	/* caseless groups: literals inside are caseless, never with k/s; a
	 * caseless alternative makes the whole union caseless */
	assert_string_equal(req("(?i:AbCd)"), "i:AbCd");
	assert_string_equal(req("xy(?i:AbCd)"), "i:AbCd");
	assert_string_equal(req("abcd(?i:efgh)"), "abcd");
	assert_string_equal(req("(?i:skip)"), "");
	assert_string_equal(req("(?i:abcd)|efgh"), "i:abcd|efgh");
	assert_string_equal(req("(?i)abc(?-i:Defg)"), "Defg");
	assert_string_equal(req("(?i)abcd|efgh"), "i:abcd|efgh");	/* (?i) runs on into later branches */
	assert_string_equal(req("(?:(?i)abcd|efgh)|Xyzw"), "i:abcd|efgh|Xyzw");
	assert_string_equal(req("(?:x(?i)|efgh)abcd"), "abcd");	/* the flag ends with its group */
	assert_string_equal(req("abc(?i)def"), "abc");
	/* back references match any text; the literal around them counts */
	assert_string_equal(req("(abc)defg\\1"), "defg");
	assert_string_equal(req("abcd\\1"), "abcd");
	/* classes (also with ] [ ( | inside) are one non-literal atom */
	assert_string_equal(req("abc[(|]defg"), "defg");
	assert_string_equal(req("[|]abc"), "abc");
	assert_string_equal(req("[[:digit:]]]abc"), "]abc");
	/* what the analysis does not follow: nothing required */
	assert_string_equal(req("\\Qa|b\\Eabcdef"), "");
	assert_string_equal(req("abc\\x41def"), "");
	assert_string_equal(req("(?x)a b c d"), "");
	assert_string_equal(req("abcd(?x:e f)"), "");
	assert_string_equal(req("x{,3}abcd"), "");
	assert_string_equal(req("(*UTF)abcd"), "");
	assert_string_equal(req("(?#c)abcd"), "");
	assert_string_equal(req("abcd(?P=u)"), "");
	assert_string_equal(req("abcd(?1)"), "");
	assert_string_equal(req("abcd)"), "");
	assert_string_equal(req("(abcd"), "");
}

/* The first bytes logql_regex_first_bytes allows, as a string of the
 * printable ASCII ones ("-" when the regex gives no answer). */
static const char *first(const char *re)
{
	static char out[128];
	uint8_t set[32] = { 0 };
	size_t n = 0;
	if (!logql_regex_first_bytes(re, strlen(re), set))
		return "-";
	for (unsigned c = 0x20; c < 0x7f; c++)
		if (set[c / 8] >> (c % 8) & 1)
			out[n++] = (char)c;
	out[n] = '\0';
	return out;
}

static void test_first_bytes(void **state)
{
	(void)state;
	assert_string_equal(first("^\\[\\d{2}/"), "[");
	assert_string_equal(first("\\Aroot"), "r");
	assert_string_equal(first("^\\d+ x"), "0123456789");
	assert_string_equal(first("^[a-c\\-x]{1,3}"), "-abcx");
	assert_string_equal(first("^[]x]"), "]x");
	assert_string_equal(first("^a(b|c)"), "a");
	/* a negated class: every byte but those */
	assert_int_equal(strlen(first("^[^a-z]")), 95 - 26);
	/* no answer: multiline, alternation escaping the anchor, optional or
	 * unknown first atoms, flags, \Q */
	const char *none[] = { "(?m)^a", "^a|b", "(^a|b)", "^(?:a|b)", "^a?", "^a*", "^a{0,2}", "^a{,2}",
			       "^.", "^\\x41", "^\\w", "^[[:digit:]]", "^[\\w]", "^\xc3\xa9", "^a(?i)b",
			       "^a\\Q|\\E", "^(*UCP)a", "^a(?#(|)|b", "a^", "^", "^^a", "^(a)" };
	for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++)
		if (strcmp(first(none[i]), "-") != 0)
			fail_msg("%s: %s, want no answer", none[i], first(none[i]));
}

/* ---- differential ---------------------------------------------------------------- */

static const char *const words[] = {
	"Failed", "password", "for", "root", "from", "Invalid", "user", "port", "ssh2", "sshd[1]:",
	"error", "ERROR", "Error", "kex", "KEX", "Accepted", "alpha", "beta", "gamma", "x",
	"198.18.0.1", "[preauth]", "sKip", "\xc5\xbfkip", "\xe2\x84\xaa" "ey", "key", "Key", "caf\xc3\xa9",
	"CAF\xc3\x89", "[07/Dec", "[x", "07", "-", "Faild", "a|b", "?123", "/AB", "]", "(", ")", "\\", "\"", "",
};
#define NWORDS (sizeof(words) / sizeof(words[0]))

static const char *const regexes[] = {
	"Failed|Invalid", "(?i)error", "(?i)key", "(?i)skip", "(?i)caf\xc3\xa9", "pass(word)?s",
	"for (?:invalid )?user", "[0-9]+\\.[0-9]+", "alpha|beta|gamma", "ssh2$", "^Failed", "a\\|b",
	"\\(x\\)", "(?i)FAILED pass", "roo+t", "be?ta", "x{2}", "erro[rR]", "(?s)for.*from",
	"kex|KEX|Kex", "from \\d+", "\xc5\xbfkip", "sshd\\[1\\]:", "Faile?d", "Fail+ed", "(?i)fa[i]led|roo{1,2}t",
	"(?i)(?:error|from.*root)", "(?:alpha|beta)?gamma", "(?:Failed|Invalid)+",
	"\\?[0-9]{3}", "/[A-Z]{2}", "^\\[x|\\]", "x.y", "\\?1|/A",
	/* groups: required, optional, alternated, caseless, nested (logql_req.c) */
	"(?:Failed|Invalid) (?:password|user)", "(Failed|)password", "(?:root)?from", "(?i:FAILED) pass(?:word)?",
	"(?:kex|key)*", "(?P<x>alpha|beta)+ gamma", "(?i)(?:error|warn)", "(?=Failed)Fail", "(?:a\\|b|\\(x\\))",
	"x(?:y(?:z|w))?", "(?:for|from){0,2}root", "(?:(?i)error|ERROR)", "(alpha)beta\\1", "(?-i:Error)|(?i:kex)",
	"(?:Fai|Inv)(?:led|alid)", "(?i)(?:ssh2|KEY)|roo+t", "(?<=for )root|(?!x)alpha", "(?:(?:al)?pha|beta){1,2}",
	"(?'n'Failed)|caf(?i:\xc3\xa9)", "(?:\\[x|])+", "sshd(?:\\[1\\])?:", "(?:x|)+user",
	/* anchored at the start (logql_regex_first_bytes), or looking so */
	"^\\[\\d{2}/", "\\A[A-Z]a", "(?m)^Failed", "^(?:Failed|root)", "^F|^r", "(^Failed|root)",
	"^[^a-z]", "^\\d+", "^x?root", "^x{0,2}Failed", "^x{1}", "^[\\]x]", "^[a-c\\-]", "(?m)\\Aroot",
	"^ro(?i)OT", "^\xc5\xbfkip", "^[^\\n]", "^\\(", "^sshd\\[", "^.", "^\\[x{1,}", "^-|x", "^[]x]",
	"^ssh(?#(|)|x", "^\\Qx|\\E", "^x*", "^\\x41", "^[[:digit:]]",
	/* the same first literal, told apart by a second (logql_regex_required_and) */
	"Failed.*(?:root|user)", "Failed.*(?P<w>alpha|beta)", "Failed.*gamma", "Failed.*(?:root|user)x?",
	"Failed.*(?i:ssh2)", "(?i)error.*(?:from|port)", "(?i)error.*root", "(?i)error.*(?:x|root)",
	"from.*\\[preauth\\]", "from.*(?P<p>ssh2|\\[preauth\\])", "from.*(?:sshd\\[1\\]:)+.*port",
};
#define NREGEXES (sizeof(regexes) / sizeof(regexes[0]))

static unsigned rnd(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return (*s >> 8) & 0xffffff;
}

/* A random rule: one to three stages: line filters (|=, |~, !=, or of
 * two) or regexp parsers (skipped when the line lacks their literals),
 * one kept only when its last group matched. */
static void random_query(unsigned *s, struct ward_buf *q)
{
	buf_reset(q);
	buf_append_str(q, "{job=~\".+\"}");
	unsigned n = 1 + rnd(s) % 3;
	for (unsigned i = 0; i < n; i++) {
		unsigned k = rnd(s) % 7;
		if (k >= 5) {
			buf_printf(q, " | regexp `%s(?P<g%u>.?)`", regexes[rnd(s) % NREGEXES], i);
			if (k == 6)
				buf_printf(q, " | g%u!=\"\"", i);
			continue;
		}
		const char *w = words[rnd(s) % (NWORDS - 5)];	/* no quote/backslash/empty */
		const char *r = regexes[rnd(s) % NREGEXES];
		if (k == 0)
			buf_printf(q, " |= `%s`", w);
		else if (k == 1)
			buf_printf(q, " |~ `%s`", r);
		else if (k == 2)
			buf_printf(q, " != `%s`", w);
		else if (k == 3)
			buf_printf(q, " |= `%s` or `%s`", w, words[rnd(s) % (NWORDS - 5)]);
		else
			buf_printf(q, " |~ `%s` or `%s`", r, regexes[rnd(s) % NREGEXES]);
	}
}

static void random_line(unsigned *s, struct ward_buf *l)
{
	buf_reset(l);
	unsigned n = rnd(s) % 9;
	for (unsigned i = 0; i < n; i++) {
		if (i)
			buf_append_char(l, rnd(s) % 4 ? ' ' : '\n');
		buf_append_str(l, words[rnd(s) % NWORDS]);
	}
}

static uint64_t regexp_skipped_total;	/* over every differential run */

#define NRULES 200
#define NLINES 3000

/* nrules random rules on one engine pair, over nlines random lines:
 * counts kept events and skipped (not candidate) evaluations. */
static void differential(unsigned seed, size_t nrules, size_t nlines, size_t *kept_out, size_t *skipped_out)
{
	struct logql_engine *on = logql_engine_new(), *off = logql_engine_new();
	logql_engine_set_prefilter(off, false);
	struct logql_expr *exprs[NRULES];
	struct logql_pipeline *pon[NRULES], *poff[NRULES];
	assert_true(nrules <= NRULES);
	struct ward_buf q = WARD_BUF_INIT, line = WARD_BUF_INIT;
	for (size_t i = 0; i < nrules; i++) {
		struct logql_error err;
		random_query(&seed, &q);
		exprs[i] = logql_parse(q.data, q.len, &err);
		if (!exprs[i])
			fail_msg("parse %s: %s", q.data, err.msg);
		const struct logql_log_query *lq;
		logql_expr_log_queries(exprs[i], &lq, 1);
		pon[i] = logql_pipeline_compile(on, lq, &err);
		poff[i] = logql_pipeline_compile(off, lq, &err);
		assert_non_null(pon[i]);
		assert_non_null(poff[i]);
	}
	struct logql_pfset *pf = logql_pfset_new(pon, nrules);
	uint64_t cand[(NRULES + 63) / 64];
	assert_int_equal(logql_pfset_words(pf), (nrules + 63) / 64);
	struct logql_ctx *con = logql_ctx_new(on), *coff = logql_ctx_new(off);
	size_t kept = 0, skipped = 0;
	struct ward_event ev;
	event_init(&ev);
	event_set_label(&ev, "job", "t", 1);
	for (size_t n = 0; n < nlines; n++) {
		random_line(&seed, &line);
		event_set_line(&ev, line.data ? line.data : "", line.len);
		logql_ctx_begin(con, &ev);
		logql_ctx_begin(coff, &ev);
		logql_pfset_candidates(con, pf, cand);
		for (size_t i = 0; i < nrules; i++) {
			bool want = logql_eval(coff, poff[i]);
			bool is_cand = (cand[i / 64] >> (i % 64)) & 1;
			bool got = is_cand && logql_eval(con, pon[i]);
			if (want != got) {
				struct ward_buf f = WARD_BUF_INIT;
				logql_expr_format(exprs[i], &f);
				fail_msg("rule %s on line \"%s\": unfiltered %d, prefiltered %d (candidate %d)",
					 buf_cstr(&f), buf_cstr(&line), want, got, is_cand);
			}
			if (want && got) {	/* and the same labels */
				size_t nl = logql_result_nlabels(coff);
				assert_int_equal(logql_result_nlabels(con), nl);
				for (size_t j = 0; j < nl; j++) {
					const char *n1, *v1, *n2, *v2;
					size_t l1, l2;
					logql_result_label(coff, j, &n1, &v1, &l1);
					logql_result_label(con, j, &n2, &v2, &l2);
					assert_string_equal(n1, n2);
					assert_int_equal(l1, l2);
					assert_memory_equal(v1, v2, l1);
				}
			}
			kept += want;
			skipped += !is_cand;

		}
	}
	*kept_out += kept;
	*skipped_out += skipped;
	struct logql_stats st;
	logql_ctx_stats(con, &st);
	regexp_skipped_total += st.regexp_skipped;
	event_free(&ev);
	logql_ctx_free(con);
	logql_ctx_free(coff);
	logql_pfset_free(pf);
	logql_engine_free(on);
	logql_engine_free(off);
	for (size_t i = 0; i < nrules; i++)
		logql_expr_free(exprs[i]);
	buf_free(&q);
	buf_free(&line);
}

/* Many rules: the one-pass scanner and the candidate index. */
static void test_differential_many(void **state)
{
	(void)state;
	size_t kept = 0, skipped = 0;
	differential(12345, NRULES, NLINES, &kept, &skipped);
	/* the test is only worth something if both outcomes are common */
	assert_true(kept > NLINES);
	assert_true(skipped > NLINES * NRULES / 4);
	assert_true(regexp_skipped_total > NLINES);
}

/* One rule per engine: too few literals for the scanner, so literals
 * (caseless ones too) are searched one by one. */
static void test_differential_single(void **state)
{
	(void)state;
	size_t kept = 0, skipped = 0;
	for (unsigned k = 0; k < 300; k++)
		differential(777 + k * 31, 1, 200, &kept, &skipped);
	assert_true(kept > 1000);
	assert_true(skipped > 1000);
}

/* Regexes whose literal runs are all shorter than 3 bytes are indexed by
 * them only when each holds a byte log text seldom has: "?" selects few
 * lines; "x" or " " would select nearly all and only cost a scan. */
/* logql_regex_class_end: where a class ends, for every reader of regex
 * text (the LogQL analyses and the fail2ban prefilter and dates). */
static void test_class_end(void **state)
{
	(void)state;
	static const struct {
		const char *re;
		size_t end;	/* index after ']', 0: cannot tell */
	} cases[] = {
		{ "[abc]x", 5 },
		{ "[]a]x", 4 },		/* ']' first is literal */
		{ "[^]a]x", 5 },
		{ "[a\\]]x", 5 },	/* an escaped ']' */
		{ "[[:alpha:]]x", 11 },	/* a POSIX class inside */
		{ "[a-z", 0 },		/* unterminated */
		{ "[\\Q]\\E]", 0 },	/* \Q inside: not told */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_int_equal(logql_regex_class_end(cases[i].re, strlen(cases[i].re), 0), cases[i].end);
	/* logql_regex_group_close steps over escapes and classes */
	const char *g = "(a\\)[)](b))x";
	assert_int_equal(logql_regex_group_close(g, strlen(g), 0), 10);
	assert_int_equal(logql_regex_group_close(g, strlen(g), 7), 9);
	assert_int_equal(logql_regex_group_close("(a(b)", 5, 0), 0);
}

static void test_short_rare_literals(void **state)
{
	(void)state;
	static const char *const q[] = {
		"{job=~\".+\"} |~ `\\?[0-9]{6}`",	/* requires "?" */
		"{job=~\".+\"} |~ `x.y`",		/* "x" or "y": too common, none */
		"{job=~\".+\"} |~ `\" \\d{3} |\"(?:a|b)\":`",	/* `" ` or `":` */
		"{job=~\".+\"} |~ `^\\[\\d{2}/`",	/* its run "[" is in most syslog lines: none */
	};
	struct logql_engine *e = logql_engine_new();
	struct logql_expr *ex[4];
	struct logql_pipeline *p[4];
	for (size_t i = 0; i < 4; i++) {
		struct logql_error err;
		ex[i] = logql_parse(q[i], strlen(q[i]), &err);
		assert_non_null(ex[i]);
		const struct logql_log_query *lq;
		logql_expr_log_queries(ex[i], &lq, 1);
		p[i] = logql_pipeline_compile(e, lq, &err);
		assert_non_null(p[i]);
	}
	struct logql_pfset *pf = logql_pfset_new(p, 4);
	struct logql_ctx *cx = logql_ctx_new(e);
	struct ward_event ev;
	event_init(&ev);
	event_set_label(&ev, "job", "t", 1);
	static const struct { const char *line; uint64_t want; } cases[] = {
		/* rule 3 is anchored at '[': a candidate only for lines starting so */
		{ "sshd[1]: Failed password for root from 198.18.0.1 port 22 ssh2", 0x2 },
		{ "GET /a?123456 HTTP/1.1", 0x3 },
		{ "x \"GET / HTTP/1.1\" 200 5", 0x6 },
		{ "{\"a\":1}", 0x6 },
		{ "[07/Dec/2026:10:00:00] x", 0xa },
		{ "", 0x2 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t cand[1];
		event_set_line(&ev, cases[i].line, strlen(cases[i].line));
		logql_ctx_begin(cx, &ev);
		logql_pfset_candidates(cx, pf, cand);
		if (cand[0] != cases[i].want)
			fail_msg("line \"%s\": candidates %#llx, want %#llx", cases[i].line,
				 (unsigned long long)cand[0], (unsigned long long)cases[i].want);
	}
	event_free(&ev);
	logql_ctx_free(cx);
	logql_pfset_free(pf);
	logql_engine_free(e);
	for (size_t i = 0; i < 4; i++)
		logql_expr_free(ex[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_required_literals),
		cmocka_unit_test(test_required_and),
		cmocka_unit_test(test_short_rare_literals),
		cmocka_unit_test(test_class_end),
		cmocka_unit_test(test_first_bytes),
		cmocka_unit_test(test_differential_many),
		cmocka_unit_test(test_differential_single),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
