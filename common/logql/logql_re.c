/* logql_re.c - RE2-flavoured regexes on PCRE2 with JIT and match limits. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "logql_re_int.h"

struct logql_re {
	pcre2_code *code;
	/* a full-match `.*M.*` compiled as an unanchored search for M: the
	 * same answer, without backtracking the leading .* (docs/logql.md) */
	bool contains;
	bool dotall;	/* (?s): the value may hold newlines */
	unsigned ngroups;
	char **names;		/* [ngroups + 1], NULL for unnamed */
	/* JIT-compiled on the first match, not at compile: most of a rule
	 * pack's regexes never run on a given log (the prefilter rejects their
	 * lines first), and JIT is two thirds of a regex's compile cost. Every
	 * match runs JIT code, as if compiled eagerly. enum jit_state. */
	_Atomic unsigned char jit;
};

enum jit_state { JIT_NONE, JIT_BUSY, JIT_DONE };

struct logql_re_scratch {
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit_stack;
	int last_rc;
};

static void load_names(struct logql_re *re)
{
	uint32_t count = 0, entry_size = 0;
	PCRE2_SPTR table = NULL;
	re->names = ward_xcalloc(re->ngroups + 1, sizeof(char *));
	pcre2_pattern_info(re->code, PCRE2_INFO_NAMECOUNT, &count);
	pcre2_pattern_info(re->code, PCRE2_INFO_NAMEENTRYSIZE, &entry_size);
	pcre2_pattern_info(re->code, PCRE2_INFO_NAMETABLE, &table);
	for (uint32_t i = 0; i < count; i++) {
		PCRE2_SPTR e = table + i * entry_size;
		unsigned n = ((unsigned)e[0] << 8) | e[1];
		if (n <= re->ngroups && !re->names[n])
			re->names[n] = ward_xstrdup((const char *)e + 2);
	}
}

/* Is src `(?flags).*M.*` with M free of top-level alternation? Then fills
 * the rewritten unanchored pattern `(?flags)(?:M)` into out. */
static bool contains_form(const char *src, size_t len, struct ward_buf *out, bool *dotall)
{
	size_t i = 0, flags_end = 0;
	*dotall = false;
	if (len >= 4 && src[0] == '(' && src[1] == '?') {
		size_t k = 2;
		while (k < len && ((src[k] >= 'a' && src[k] <= 'z') || (src[k] >= 'A' && src[k] <= 'Z'))) {
			if (src[k] == 's')
				*dotall = true;
			k++;
		}
		if (k == 2 || k >= len || src[k] != ')')
			return false;
		flags_end = i = k + 1;
	}
	if (len < i + 4 || src[i] != '.' || src[i + 1] != '*' || src[len - 2] != '.' || src[len - 1] != '*')
		return false;
	size_t ms = i + 2, me = len - 2;
	if (me <= ms || strchr("?+*{", src[ms]))
		return false;
	int depth = 0;
	bool in_class = false;
	for (size_t k = ms; k < me; k++) {
		char c = src[k];
		if (c == '\\') {
			if (++k >= me)
				return false;	/* the final .* would be escaped */
			continue;
		}
		if (in_class) {
			if (c == ']')
				in_class = false;
			continue;
		}
		if (c == '[') {
			in_class = true;
			if (k + 1 < me && src[k + 1] == '^') k++;
			if (k + 1 < me && src[k + 1] == ']') k++;
		} else if (c == '(') {
			depth++;
		} else if (c == ')') {
			if (--depth < 0)
				return false;
		} else if (c == '|' && depth == 0) {
			return false;
		}
	}
	if (depth != 0 || in_class)
		return false;
	buf_append(out, src, flags_end);
	buf_append_str(out, "(?:");
	buf_append(out, src + ms, me - ms);
	buf_append_char(out, ')');
	return true;
}

struct logql_re *logql_re_compile(const char *src, size_t len, enum logql_re_anchor anchor,
				  char *err, size_t errlen)
{
	int errcode;
	PCRE2_SIZE erroff;
	uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_DOLLAR_ENDONLY;
	struct ward_buf rewritten = WARD_BUF_INIT;
	bool contains = false, dotall = false;
	if (anchor == LQ_RE_FULL) {
		/* a rewritten pattern is compiled as written first, so errors
		 * name the user's offsets */
		pcre2_code *check = NULL;
		if (contains_form(src, len, &rewritten, &dotall) &&
		    (check = pcre2_compile((PCRE2_SPTR)src, len, opts, &errcode, &erroff, NULL))) {
			contains = true;
			src = rewritten.data;
			len = rewritten.len;
		} else {
			dotall = false;
			opts |= PCRE2_ANCHORED | PCRE2_ENDANCHORED;
		}
		pcre2_code_free(check);
	}
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)src, len, opts, &errcode, &erroff, NULL);
	buf_free(&rewritten);
	if (!code) {
		PCRE2_UCHAR msg[160];
		pcre2_get_error_message(errcode, msg, sizeof(msg));
		snprintf(err, errlen, "%s at offset %zu", (const char *)msg, (size_t)erroff);
		return NULL;
	}
	struct logql_re *re = ward_xcalloc(1, sizeof(*re));
	re->code = code;
	re->contains = contains;
	re->dotall = dotall;
	uint32_t caps = 0;
	pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &caps);
	re->ngroups = caps;
	load_names(re);
	return re;
}

void logql_re_free(struct logql_re *re)
{
	if (!re)
		return;
	for (unsigned i = 0; i <= re->ngroups; i++)
		free(re->names[i]);
	free(re->names);
	pcre2_code_free(re->code);
	free(re);
}

unsigned logql_re_ngroups(const struct logql_re *re)
{
	return re->ngroups;
}

const char *logql_re_group_name(const struct logql_re *re, unsigned i)
{
	return i <= re->ngroups ? re->names[i] : NULL;
}

struct logql_re_scratch *logql_re_scratch_new(uint32_t match_limit)
{
	struct logql_re_scratch *s = ward_xcalloc(1, sizeof(*s));
	/* 1000 pairs covers any pattern LogQL accepts here (compile refuses more
	 * groups than fit, see logql_eval.c). */
	s->md = pcre2_match_data_create(1000, NULL);
	s->mctx = pcre2_match_context_create(NULL);
	if (!s->md || !s->mctx)
		ward_oom();
	pcre2_set_match_limit(s->mctx, match_limit);
	pcre2_set_depth_limit(s->mctx, match_limit < 10000 ? match_limit : 10000);
	s->jit_stack = pcre2_jit_stack_create(32 * 1024, 512 * 1024, NULL);
	if (s->jit_stack)
		pcre2_jit_stack_assign(s->mctx, NULL, s->jit_stack);
	return s;
}

void logql_re_scratch_free(struct logql_re_scratch *s)
{
	if (!s)
		return;
	pcre2_match_data_free(s->md);
	pcre2_match_context_free(s->mctx);
	pcre2_jit_stack_free(s->jit_stack);
	free(s);
}

/* JIT-compile re before its first match, once even if threads share it
 * (a thread arriving while another compiles waits for it). A JIT failure
 * (no executable memory) is not fatal: the interpreter gives the same
 * results, only slower. The JIT code is a cache of the compiled pattern:
 * re stays what the caller sees as immutable. */
static void jit_once(const struct logql_re *cre)
{
	struct logql_re *re = (struct logql_re *)cre;
	if (atomic_load_explicit(&re->jit, memory_order_acquire) == JIT_DONE)
		return;
	unsigned char none = JIT_NONE;
	if (atomic_compare_exchange_strong(&re->jit, &none, JIT_BUSY)) {
		(void)pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE);
		atomic_store_explicit(&re->jit, JIT_DONE, memory_order_release);
		return;
	}
	while (atomic_load_explicit(&re->jit, memory_order_acquire) != JIT_DONE)
		sched_yield();
}

int logql_re_match(const struct logql_re *re, struct logql_re_scratch *s,
		   const char *subj, size_t len)
{
	jit_once(re);
	if (re->contains && !re->dotall && memchr(subj, '\n', len)) {
		s->last_rc = PCRE2_ERROR_NOMATCH;
		return 0;	/* `.` cannot cross the newline */
	}
	int rc = pcre2_match(re->code, (PCRE2_SPTR)subj, len, 0, 0, s->md, s->mctx);
	s->last_rc = rc;
	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH || rc == PCRE2_ERROR_PARTIAL)
		return 0;
	return -1;	/* match/depth/heap limit, JIT stack, bad UTF */
}

bool logql_re_group(const struct logql_re_scratch *s, unsigned i, size_t *start, size_t *end)
{
	if (s->last_rc < 0 || i >= pcre2_get_ovector_count(s->md))
		return false;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
	if (ov[2 * i] == PCRE2_UNSET)
		return false;
	*start = ov[2 * i];
	*end = ov[2 * i + 1];
	return true;
}

/* Expand $1, ${1}, ${name}, $name and $$ from the current match. */
static void expand(const struct logql_re *re, const struct logql_re_scratch *s, const char *subj,
		   const char *repl, struct ward_buf *out)
{
	for (const char *p = repl; *p; p++) {
		if (*p != '$') {
			buf_append_char(out, *p);
			continue;
		}
		if (p[1] == '$') {
			buf_append_char(out, '$');
			p++;
			continue;
		}
		const char *q = p + 1;
		bool brace = *q == '{';
		if (brace)
			q++;
		const char *name = q;
		while ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') || *q == '_')
			q++;
		size_t nlen = (size_t)(q - name);
		if (nlen == 0 || (brace && *q != '}')) {
			buf_append_char(out, '$');
			continue;
		}
		unsigned g = 0;
		bool found = false;
		if (name[0] >= '0' && name[0] <= '9') {
			char *end;
			unsigned long v = strtoul(name, &end, 10);
			if (end == q) { g = (unsigned)v; found = true; }
		}
		for (unsigned i = 1; !found && i <= re->ngroups; i++)
			if (re->names[i] && strlen(re->names[i]) == nlen && !strncmp(re->names[i], name, nlen)) {
				g = i;
				found = true;
			}
		size_t a, b;
		if (found && logql_re_group(s, g, &a, &b))
			buf_append(out, subj + a, b - a);
		p = brace ? q : q - 1;
	}
}

int logql_re_replace(const struct logql_re *re, struct logql_re_scratch *s, const char *subj,
		     size_t len, const char *repl, bool literal, struct ward_buf *out)
{
	size_t off = 0;
	jit_once(re);
	while (off <= len) {
		int rc = pcre2_match(re->code, (PCRE2_SPTR)subj, len, off, 0, s->md, s->mctx);
		s->last_rc = rc;
		if (rc == PCRE2_ERROR_NOMATCH)
			break;
		if (rc < 0)
			return -1;
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
		buf_append(out, subj + off, ov[0] - off);
		if (literal)
			buf_append_str(out, repl);
		else
			expand(re, s, subj, repl, out);
		if (ov[1] == ov[0]) {	/* empty match: copy one byte and move on */
			if (ov[1] < len)
				buf_append_char(out, subj[ov[1]]);
			off = ov[1] + 1;
		} else {
			off = ov[1];
		}
	}
	if (off < len)
		buf_append(out, subj + off, len - off);
	return 0;
}
