/* jsonstr.h - reading JSON strings (RFC 8259 section 7): find where one
 * ends, check it, and unescape it, \uXXXX surrogate pairs included.
 *
 * One reader for every JSON decoder in ward (the event fast path, LogQL's
 * json extractor, the template engine's JSON values), so they agree on what
 * a string is:
 *  - a raw byte < 0x20 in a string is invalid, as is an escape other than
 *    \" \\ \/ \b \f \n \r \t \uXXXX, and a missing closing quote;
 *  - \uXXXX is encoded as UTF-8; a high surrogate followed by a \u low
 *    surrogate is one code point; a lone surrogate is invalid, or, with
 *    JSONSTR_LONE_SURROGATE_FFFD, U+FFFD (what Go's encoding/json does);
 *  - bytes >= 0x80 are copied as they are: r.high says whether there were
 *    any, so a caller that needs valid UTF-8 validates only then.
 * The unescaped value is never longer than the escaped text. No I/O;
 * allocation only in the caller's buffer. */
#ifndef WARD_JSONSTR_H
#define WARD_JSONSTR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "jsonscan.h"

enum {
	JSONSTR_LONE_SURROGATE_FFFD = 1,	/* a lone surrogate is U+FFFD, not an error */
	/* Any \u escape of a surrogate, paired or not, is invalid: for a
	 * reader that must agree with json-c, which does not decode every
	 * valid pair ("\ud837\udec0" becomes U+FFFD there). */
	JSONSTR_NO_SURROGATES = 2,
};

#define JSONSTR_INVALID SIZE_MAX

struct jsonstr {
	const char *v;	/* the value: into the input if it had no escape, else into scratch */
	size_t len;
	size_t end;	/* offset just past the closing quote */
	bool escaped;	/* v is in scratch */
	bool high;	/* the value may hold bytes >= 0x80 */
};

/* The part of jsonstr_read past the first stop byte p (not a closing
 * quote); *high as scanned so far. */
int jsonstr_read_rest(const char *s, size_t n, size_t i, size_t p, bool high, unsigned flags,
		      struct ward_buf *scratch, struct jsonstr *r);

/* Read the string whose opening quote is s[i] (the caller checked it).
 * Returns 0 and fills *r, or -1 if the string is invalid (see above) or
 * unterminated. scratch is reset when the string has an escape, so a
 * value read earlier into the same scratch is gone then.
 * Inline: the event decoder reads every string of every event through it,
 * and most have no escape, so one scan finds the closing quote. */
static inline __attribute__((always_inline)) int
jsonstr_read(const char *s, size_t n, size_t i, unsigned flags, struct ward_buf *scratch,
	     struct jsonstr *r)
{
	bool high = false;
	size_t p = json_scan_special(s, i + 1, n, &high);
	if (p < n && s[p] == '"') {
		r->v = s + i + 1;
		r->len = p - i - 1;
		r->end = p + 1;
		r->escaped = false;
		r->high = high;
		return 0;
	}
	return jsonstr_read_rest(s, n, i, p, high, flags, scratch, r);
}

/* The offset just past the closing quote of the string opening at s[i],
 * or JSONSTR_INVALID; checks it as jsonstr_read does, decodes nothing. */
size_t jsonstr_skip(const char *s, size_t n, size_t i, unsigned flags);

/* Unescape a string body (the text between the quotes) and append it to
 * out. Returns 0, or -1 if the body is invalid (out then holds part). */
int jsonstr_unescape(struct ward_buf *out, const char *body, size_t n, unsigned flags);

/* Unescape a body in place. Returns the new length, or JSONSTR_INVALID
 * (body then partly rewritten). */
size_t jsonstr_unescape_inplace(char *body, size_t n, unsigned flags);

#endif
