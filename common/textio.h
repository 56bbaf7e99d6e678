/* textio.h - writing a whole buffer to a descriptor. */
#ifndef WARD_TEXTIO_H
#define WARD_TEXTIO_H

#include <stddef.h>

/* write(2) until all n bytes are written, retrying EINTR. Returns 0, or -1
 * with errno set (a zero-length write counts as a failure). */
int write_full(int fd, const void *p, size_t n);

#endif
