/* jsonw.h - minimal JSON writer into a ward_buf.
 *
 * Strings are escaped per RFC 8259 and sanitized to valid UTF-8 (invalid bytes
 * become U+FFFD, NUL and control characters are \u-escaped), so nothing an
 * attacker writes in a log line can break the framing of an NDJSON stream. */
#ifndef WARD_JSONW_H
#define WARD_JSONW_H

#include <stddef.h>
#include <stdint.h>
#include "buf.h"

void jsonw_string(struct ward_buf *b, const char *s, size_t n);
void jsonw_cstring(struct ward_buf *b, const char *s);
/* Doubles are written in the shortest form that round-trips (fmtdouble.h,
 * FMTDOUBLE_JSON); NaN and infinities (not JSON) are written as strings
 * "NaN", "+Inf", "-Inf" as Prometheus does. */
void jsonw_double(struct ward_buf *b, double v);
void jsonw_int(struct ward_buf *b, int64_t v);
/* "key": with the separating comma when first is false. */
void jsonw_key(struct ward_buf *b, const char *key, int first);

#endif
