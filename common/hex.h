/* hex.h - hexadecimal digits: their values, fixed-width numbers, byte
 * strings. Used by the escapes of JSON (\uXXXX), Go literals (\xNN, \uNNNN),
 * percent-encoding (%NN), and the hex fields of /proc/net and container
 * ids. No state, no allocation. */
#ifndef WARD_HEX_H
#define WARD_HEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "0123456789abcdef" and "0123456789ABCDEF". */
extern const char hex_digits_lower[16];
extern const char hex_digits_upper[16];

/* 0..15 for [0-9a-fA-F], else -1 (any int, including EOF and bytes >= 0x80
 * passed as negative chars). Inline: escape decoders call it per digit. */
static inline int hex_digit_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The number written by exactly ndig (1..8) hex digits at s, or -1 if one
 * of them is not a hex digit. The caller checks that ndig bytes exist. */
static inline int64_t hex_parse(const char *s, size_t ndig)
{
	int64_t v = 0;
	for (size_t i = 0; i < ndig; i++) {
		int h = hex_digit_value((unsigned char)s[i]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

/* Decode exactly 2 * nbytes digits (len must equal that) into out[nbytes].
 * False, with out partly written, on a wrong length or a non-digit. */
bool hex_decode(uint8_t *out, size_t nbytes, const char *s, size_t len);

/* Write 2 * n digits for p[0..n) to out (no NUL), lowercase or uppercase. */
void hex_encode(char *out, const void *p, size_t n, bool upper);

#endif
