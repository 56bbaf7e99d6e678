/* textio.h - two small helpers several modules need: writing a whole buffer
 * to a descriptor, and the value of a hexadecimal digit. */
#ifndef WARD_TEXTIO_H
#define WARD_TEXTIO_H

#include <stddef.h>

/* write(2) until all n bytes are written, retrying EINTR. Returns 0, or -1
 * with errno set (a zero-length write counts as a failure). */
int write_full(int fd, const void *p, size_t n);
/* 0..15 for [0-9a-fA-F], else -1. */
int hex_digit_value(int c);

#endif
