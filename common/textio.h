/* textio.h - writing a whole buffer to a descriptor. (hex_digit_value,
 * once here, is in hex.h.) */
#ifndef WARD_TEXTIO_H
#define WARD_TEXTIO_H

#include <stddef.h>

/* Until common/logql/logql_lex.c includes hex.h itself (its owner converts
 * it): it finds hex_digit_value through this header today. */
#include "hex.h"

/* write(2) until all n bytes are written, retrying EINTR. Returns 0, or -1
 * with errno set (a zero-length write counts as a failure). */
int write_full(int fd, const void *p, size_t n);

#endif
