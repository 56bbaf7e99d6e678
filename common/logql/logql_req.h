/* logql_req.h - the literals a LogQL line regex (`|~ "re"`) requires.
 *
 * lq_regex_required says "every line the regex matches (unanchored, PCRE2
 * in UTF mode, as logql_re compiles it) contains at least one of these
 * literals". It is used only to skip work: a false "required" would drop
 * matches, so the analysis is conservative and gives up (returns 0) on any
 * construct it does not fully understand (\Q, \x.., \p.., back references,
 * inline flags after the start, (?x), verbs, comments, non-standard {}).
 *
 *   foo\.bar[0-9]+baz   -> one literal: "foo.bar"   (the longest run)
 *   Failed|Invalid      -> two: "Failed", "Invalid" (one per top-level branch)
 *   (?i)error           -> one caseless literal "error"
 *   a.b                 -> none (no run of min_len bytes)
 *
 * Caseless literals are ASCII only and never contain k, s, K or S: in UTF
 * mode PCRE2's (?i)k also matches U+212A (KELVIN SIGN) and (?i)s U+017F
 * (LONG S), which an ASCII caseless search would miss. */
#ifndef WARD_LOGQL_REQ_H
#define WARD_LOGQL_REQ_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

#define LQ_REQ_MAX_ALTS 64

struct lq_req {
	size_t n;			/* number of literals; 0: nothing required */
	size_t off[LQ_REQ_MAX_ALTS];	/* literal i is text.data[off[i]..off[i]+len[i]) */
	size_t len[LQ_REQ_MAX_ALTS];
	bool icase;			/* all literals compare ASCII-caseless */
	struct ward_buf text;
};

/* Fill req (initialised by the caller with {0}; free req->text with
 * buf_free) for the regex re[0..n); every literal has at least min_len
 * bytes. Returns req->n. */
size_t lq_regex_required(const char *re, size_t n, size_t min_len, struct lq_req *req);

#endif
