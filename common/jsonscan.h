/* jsonscan.h - find the bytes that JSON strings treat specially, 16 at a
 * time (SSE2 on x86-64, 8 at a time elsewhere). The event decoders and the
 * JSON writer spend most of their time here: every event is mostly string.
 * No state, no allocation. */
#ifndef WARD_JSONSCAN_H
#define WARD_JSONSCAN_H

#include <stdbool.h>
#include <stddef.h>

/* Offset of the first byte at or after i that is '"', '\\' or a control
 * byte (< 0x20); n if there is none. *high becomes true if a byte >= 0x80
 * was scanned (possibly one past the stop: callers use it only to decide
 * whether to validate UTF-8). */
size_t json_scan_special(const char *s, size_t i, size_t n, bool *high);

/* Length of the leading run of s[0..n) that a JSON writer copies as it is:
 * bytes 0x20-0x7f except '"' and '\\'. */
size_t json_scan_plain(const char *s, size_t n);

#endif
