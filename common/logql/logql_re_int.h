/* logql_re_int.h - LogQL regular expressions on PCRE2 (internal).
 *
 * Patterns are written in Go's RE2 syntax; PCRE2 accepts all of what LogQL
 * users write with the same meaning once compiled with UTF (invalid UTF-8 in
 * the subject is tolerated), DOLLAR_ENDONLY ($ is end of text unless (?m))
 * and JIT. Differences that remain are listed in docs/logql.md. Every match
 * runs under a match limit so a catastrophic pattern cannot hang a stream. */
#ifndef WARD_LOGQL_RE_INT_H
#define WARD_LOGQL_RE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "logql.h"

struct logql_re;		/* compiled pattern, immutable, shareable */
struct logql_re_scratch;	/* per-thread match data and match context */

enum logql_re_anchor { LQ_RE_UNANCHORED, LQ_RE_FULL };

/* NULL with a message ("missing ) at offset 4") on error. */
struct logql_re *logql_re_compile(const char *src, size_t len, enum logql_re_anchor anchor,
				  char *err, size_t errlen);
void logql_re_free(struct logql_re *re);
/* Number of capture groups; name of group i (1-based) or NULL. */
unsigned logql_re_ngroups(const struct logql_re *re);
const char *logql_re_group_name(const struct logql_re *re, unsigned i);

/* 1 match, 0 no match, -1 a limit was hit (counted by the caller as a no
 * match). After a match, logql_re_group returns group i's span. */
int logql_re_match(const struct logql_re *re, struct logql_re_scratch *s,
		   const char *subj, size_t len);
bool logql_re_group(const struct logql_re_scratch *s, unsigned i, size_t *start, size_t *end);

/* Replace every match of re in subj by repl ($1, ${name} expand unless
 * literal). Appends the result to out. Returns 0, -1 on error. */
struct ward_buf;
int logql_re_replace(const struct logql_re *re, struct logql_re_scratch *s, const char *subj,
		     size_t len, const char *repl, bool literal, struct ward_buf *out);

#endif
