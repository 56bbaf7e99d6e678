/* utf8.h - UTF-8 validation and encoding.
 *
 * ward's UTF-8 policy (docs/events.md): input bytes are never trusted to be
 * UTF-8. Event strings are validated; every invalid byte is replaced by
 * U+FFFD when serialized, so ward's output is always valid UTF-8 JSON. */
#ifndef WARD_UTF8_H
#define WARD_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if the bytes at s do
 * not start a valid, complete, shortest-form, non-surrogate sequence. */
size_t utf8_seq_len(const unsigned char *s, size_t avail);
bool utf8_valid(const char *s, size_t n);

/* Encoding. A code point that UTF-8 cannot carry (a surrogate D800-DFFF or
 * anything above U+10FFFF) is written as U+FFFD: the output of an encoder
 * is always valid UTF-8, which is ward's policy for every byte it emits
 * (Go's utf8.EncodeRune does the same). A caller that must refuse such a
 * code point instead (a Go string literal's \U escape) checks
 * utf8_scalar_ok first. */
#define UTF8_REPLACEMENT 0xFFFDu
#define UTF8_MAX_SEQ 4

/* True for a Unicode scalar value: <= U+10FFFF and not a surrogate. */
static inline bool utf8_scalar_ok(uint32_t cp)
{
	return cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
}

/* Encode cp into out (room for UTF8_MAX_SEQ bytes); returns 1..4. Inline:
 * the JSON string reader writes escapes through it per event. */
static inline size_t utf8_encode(char *out, uint32_t cp)
{
	if (!utf8_scalar_ok(cp))
		cp = UTF8_REPLACEMENT;
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Append the encoding of cp to b (see above for what a non-scalar becomes). */
void utf8_put(struct ward_buf *b, uint32_t cp);

#endif
