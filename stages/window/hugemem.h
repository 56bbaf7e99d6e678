/* hugemem.h - a growable array in transparent huge pages once it is big.
 *
 * At 100,000 keys and more every event touches a random key of a rule's key
 * array (tens to hundreds of MB). In 4 KiB pages each touch also misses the
 * TLB, and the array's first touches cost one page fault per 4 KiB (14% of
 * ward-window's CPU time at 1,000,000 keys, mostly in the kernel). From
 * HUGEMEM_MIN bytes the array lives in its own mapping advised
 * MADV_HUGEPAGE and grows with mremap (no copy); below, plain malloc.
 * Which of the two holds an array follows from its size alone, so the
 * caller passes the size it allocated. Advice only: where the kernel gives
 * no huge page the memory is ordinary. */
#ifndef WARD_WINDOW_HUGEMEM_H
#define WARD_WINDOW_HUGEMEM_H

#include <stddef.h>

#define HUGEMEM_MIN ((size_t)2 << 20)

/* Grow p (old bytes, NULL when 0) to n bytes (n >= old); the first old bytes
 * are kept, the rest is unspecified. Exits on failure, like ward_xrealloc. */
void *hugemem_grow(void *p, size_t old, size_t n);
/* Release p, allocated with n bytes. */
void hugemem_free(void *p, size_t n);

#endif
