/* fmtdouble.h - a double as the shortest text that reads back as the same
 * double, in one of three documented dialects. The dialects differ only in
 * where they switch to exponent notation, how they write an exponent,
 * and NaN and infinities; all of them round-trip through strtod.
 *
 *  FMTDOUBLE_JSON - numbers in ward's JSON output (jsonw, events, alerts):
 *    an integral value of magnitude < 2^53 as an integer ("3", "-0" is
 *    "0", "1234567890123456"); otherwise the first of C's %.15g, %.16g,
 *    %.17g that round-trips ("0.1", "0.30000000000000004", "1e+20",
 *    "1.5e-07"). NaN "NaN", infinities "+Inf" / "-Inf" (JSON has no
 *    such numbers: jsonw quotes them).
 *  FMTDOUBLE_GO - Go's strconv.FormatFloat(v, 'g', -1, 64), which is also
 *    fmt's %v: the fewest significant digits, exponent notation when the
 *    decimal exponent is < -4 or >= 6 ("55", "0.5", "100000", "1e+06",
 *    "1.23456789e+08", "0.0001", "1e-05"), an exponent of at least two
 *    digits. NaN "NaN", "+Inf", "-Inf". What
 *    Prometheus and Loki templates print for {{ $value }}.
 *  FMTDOUBLE_C_SHORTEST - the first of C's %.1g .. %.17g that round-trips
 *    ("1e+06", "123456789", "0.1", but also "1e+02" for 100): ward-window's
 *    alert text so far. It differs from FMTDOUBLE_GO (Prometheus) exactly
 *    where the fewest digits leave %g in exponent form at a decimal exponent
 *    below 6, or in plain form at 6 and above. NaN "NaN", "+Inf", "-Inf". */
#ifndef WARD_FMTDOUBLE_H
#define WARD_FMTDOUBLE_H

#include <stddef.h>

#include "buf.h"

enum fmtdouble_mode {
	FMTDOUBLE_JSON,
	FMTDOUBLE_GO,
	FMTDOUBLE_C_SHORTEST,
};

/* Enough for any output of any mode, with its NUL. */
#define FMTDOUBLE_MAX 32

/* Write v to out (FMTDOUBLE_MAX bytes), NUL-terminated; returns the
 * length. */
size_t fmtdouble(char *out, double v, enum fmtdouble_mode mode);

/* Append v to b. */
void fmtdouble_append(struct ward_buf *b, double v, enum fmtdouble_mode mode);

#endif
