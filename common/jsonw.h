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
/* v in decimal at the end of out (no NUL): returns where it starts; it
 * ends at out + JSONW_INT_MAX. Digits by hand: printf costs ten times as
 * much on paths that write a number per event. */
#define JSONW_INT_MAX 24
char *jsonw_int_digits(char out[JSONW_INT_MAX], int64_t v);
/* "key": with the separating comma when first is false. */
void jsonw_key(struct ward_buf *b, const char *key, int first);

#endif
