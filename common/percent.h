/* percent.h - percent-encoding (RFC 3986 section 2.1) and its decoding,
 * as URIs and query strings use it.
 *
 * Whether '+' means a space is not part of percent-encoding but of the
 * application/x-www-form-urlencoded query syntax, so it is a flag here,
 * never implied: a Kafka URI keeps '+', a Loki query string and Go's
 * url.QueryEscape/QueryUnescape (LogQL templates) turn it into a space.
 *
 * A malformed escape ('%' not followed by two hex digits) is either an
 * error (PERCENT_STRICT) or kept as it is (lenient, the default: a hostile
 * URI still decodes, and decoding never fails). No allocation beyond the
 * caller's buffer. */
#ifndef WARD_PERCENT_H
#define WARD_PERCENT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

enum {
	PERCENT_PLUS_SPACE = 1,	/* decode '+' as ' ' / encode ' ' as '+' */
	PERCENT_STRICT = 2,	/* decode: a malformed escape is an error */
};

/* Returned by the decoders for a malformed escape under PERCENT_STRICT. */
#define PERCENT_BAD SIZE_MAX

/* Append the decoding of s[0..n) to out. Returns the number of bytes
 * appended, or PERCENT_BAD (out then holds the decoding of s[0..*bad_at);
 * *bad_at, if bad_at is not NULL, is the offset of the bad '%'). Decoded bytes may be anything,
 * NUL included: callers that make C strings check. */
size_t percent_decode(struct ward_buf *out, const char *s, size_t n, unsigned flags, size_t *bad_at);

/* Decode s[0..n) in place (the result is never longer). Returns the new
 * length, or PERCENT_BAD with s partly rewritten. Writes a NUL at the new
 * length if it is < n (so a NUL-terminated s stays one). */
size_t percent_decode_inplace(char *s, size_t n, unsigned flags);

/* Append s[0..n) percent-encoded to out: the unreserved bytes
 * [A-Za-z0-9-_.~] as they are, every other byte as %XX (uppercase), and
 * with PERCENT_PLUS_SPACE a space as '+' (Go's url.QueryEscape; without it,
 * Go's url.PathEscape-like %20). */
void percent_encode(struct ward_buf *out, const char *s, size_t n, unsigned flags);

#endif
