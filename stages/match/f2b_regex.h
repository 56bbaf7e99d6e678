/* f2b_regex.h - fail2ban regexes to PCRE2 patterns.
 *
 * Two steps, as fail2ban does them (server/failregex.py):
 *   f2b_expand_tags: <HOST>, <ADDR>, <IP4>, <IP6>, <DNS>, <CIDR>, <SUBNET>,
 *     <F-ID/>, <F-PORT/> ... by fail2ban's own expressions (named groups
 *     ip4, ip6, dns, cidr, fid, fport), <SKIPLINES> by (?P<skiplinesN>...), <F-NAME>...</F-NAME> to
 *     (?P<name>...) (F-ID -> fid, F-PORT -> fport), and ((?i)x) to (?i:x).
 *     Any other <tag> stays as it is (a literal, as in fail2ban).
 *   f2b_py2pcre: Python `re` syntax to PCRE2 syntax with the same meaning,
 *     or a refusal naming the construct: \Z -> \z, \v -> \x0b,
 *     \uXXXX -> \x{XXXX}, {,n} -> {0,n}, '[' inside a class escaped (PCRE2
 *     would read [:alpha:]), (?u) dropped; refused: (?a) (?L), flags not at
 *     the start, \N, escapes Python rejects, PCRE-only syntax ((?|, (?R),
 *     (?&, (*VERB), (?P>, (?<name>).
 * Patterns are then compiled with PCRE2_UTF|PCRE2_UCP (Python str patterns
 * are Unicode-aware) and PCRE2_MATCH_INVALID_UTF (log bytes are not
 * trusted to be UTF-8). */
#ifndef WARD_F2B_REGEX_H
#define WARD_F2B_REGEX_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* use_dns: fail2ban's usedns; "no" makes <HOST> an address only. */
void f2b_expand_tags(const char *re, bool use_dns, struct ward_buf *out);
/* 0, or -1 with the reason in why. */
int f2b_py2pcre(const char *re, struct ward_buf *out, char *why, size_t whylen);

/* The longest string every match of the PCRE2 pattern pcre must contain,
 * found conservatively at the top level of the pattern (not inside groups
 * or sets; none with a top-level `|`, an inline flag, or a quantifier that
 * makes it optional). Returns its length (0: none known) and writes it,
 * NUL-terminated, to out. A line without it cannot match, so the caller
 * may skip the regex (a prefilter; it never changes a result). */
size_t f2b_required_literal(const char *pcre, char *out, size_t outlen);

#endif
