/* fmtdouble.c - see fmtdouble.h. The shortest digits come from printf's
 * correctly rounded conversions, tried at increasing precision until
 * strtod gives the value back. */
#include "fmtdouble.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The first of %.{lo}g .. %.17g that round-trips. */
static size_t shortest_g(char *out, double v, int lo)
{
	int len = 0;
	for (int prec = lo; prec <= 17; prec++) {
		len = snprintf(out, FMTDOUBLE_MAX, "%.*g", prec, v);
		if (strtod(out, NULL) == v)
			break;
	}
	return (size_t)len;
}

/* Go's 'g' with the shortest digits: from %e's digits and exponent. */
static size_t go_g(char *out, double v)
{
	char e[40];
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(e, sizeof(e), "%.*e", prec - 1, v);
		if (strtod(e, NULL) == v)
			break;
	}
	/* e is [-]d[.ddd]e[+-]xx: split into digits and exponent */
	char digits[24];
	size_t nd = 0, o = 0;
	const char *p = e;
	if (*p == '-') {
		out[o++] = '-';
		p++;
	}
	for (; *p && *p != 'e'; p++)
		if (*p >= '0' && *p <= '9')
			digits[nd++] = *p;
	int exp = atoi(p + 1);
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	if (exp < -4 || exp >= 6) {	/* Go switches to %e there */
		out[o++] = digits[0];
		if (nd > 1) {
			out[o++] = '.';
			memcpy(out + o, digits + 1, nd - 1);
			o += nd - 1;
		}
		o += (size_t)snprintf(out + o, FMTDOUBLE_MAX - o, "e%c%02d", exp < 0 ? '-' : '+',
				      exp < 0 ? -exp : exp);
		return o;
	}
	if (exp < 0) {
		out[o++] = '0';
		out[o++] = '.';
		for (int k = -1; k > exp; k--)
			out[o++] = '0';
		memcpy(out + o, digits, nd);
		o += nd;
	} else {
		for (int k = 0; k <= exp; k++)
			out[o++] = (size_t)k < nd ? digits[k] : '0';
		if (nd > (size_t)exp + 1) {
			out[o++] = '.';
			memcpy(out + o, digits + exp + 1, nd - (size_t)exp - 1);
			o += nd - (size_t)exp - 1;
		}
	}
	out[o] = '\0';
	return o;
}

size_t fmtdouble(char *out, double v, enum fmtdouble_mode mode)
{
	if (isnan(v))
		return (size_t)snprintf(out, FMTDOUBLE_MAX, "NaN");
	if (isinf(v))
		return (size_t)snprintf(out, FMTDOUBLE_MAX, v > 0 ? "+Inf" : "-Inf");
	switch (mode) {
	case FMTDOUBLE_JSON:
		if (fabs(v) < 9007199254740992.0 && v == (double)(int64_t)v)
			return (size_t)snprintf(out, FMTDOUBLE_MAX, "%lld", (long long)v);
		return shortest_g(out, v, 15);
	case FMTDOUBLE_GO:
		return go_g(out, v);
	case FMTDOUBLE_C_SHORTEST:
		break;
	}
	return shortest_g(out, v, 1);
}

void fmtdouble_append(struct ward_buf *b, double v, enum fmtdouble_mode mode)
{
	char tmp[FMTDOUBLE_MAX];
	buf_append(b, tmp, fmtdouble(tmp, v, mode));
}
