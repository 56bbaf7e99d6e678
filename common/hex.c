/* hex.c - see hex.h. */
#include "hex.h"

const char hex_digits_lower[16] = "0123456789abcdef";
const char hex_digits_upper[16] = "0123456789ABCDEF";

bool hex_decode(uint8_t *out, size_t nbytes, const char *s, size_t len)
{
	if (len != 2 * nbytes)
		return false;
	for (size_t i = 0; i < nbytes; i++) {
		int64_t v = hex_parse(s + 2 * i, 2);
		if (v < 0)
			return false;
		out[i] = (uint8_t)v;
	}
	return true;
}

void hex_encode(char *out, const void *p, size_t n, bool upper)
{
	const char *d = upper ? hex_digits_upper : hex_digits_lower;
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = d[b[i] >> 4];
		out[2 * i + 1] = d[b[i] & 15];
	}
}
