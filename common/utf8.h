/* utf8.h - UTF-8 validation.
 *
 * ward's UTF-8 policy (docs/events.md): input bytes are never trusted to be
 * UTF-8. Event strings are validated; every invalid byte is replaced by
 * U+FFFD when serialized, so ward's output is always valid UTF-8 JSON. */
#ifndef WARD_UTF8_H
#define WARD_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if the bytes at s do
 * not start a valid, complete, shortest-form, non-surrogate sequence. */
size_t utf8_seq_len(const unsigned char *s, size_t avail);
bool utf8_valid(const char *s, size_t n);

#endif
