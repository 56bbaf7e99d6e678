/* hugemem.c - a growable array in transparent huge pages once it is big
 * (hugemem.h). */
#include "stages/window/hugemem.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "buf.h"

static void advise(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
	(void)madvise(p, n, MADV_HUGEPAGE);
#else
	(void)p;
	(void)n;
#endif
}

void *hugemem_grow(void *p, size_t old, size_t n)
{
	if (n < HUGEMEM_MIN)
		return ward_xrealloc(p, n);
	void *q;
	if (old >= HUGEMEM_MIN) {
		q = mremap(p, old, n, MREMAP_MAYMOVE);
		if (q == MAP_FAILED)
			ward_oom();
	} else {
		q = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (q == MAP_FAILED)
			ward_oom();
		if (old)
			memcpy(q, p, old);
		free(p);
	}
	advise(q, n);
	return q;
}

void hugemem_free(void *p, size_t n)
{
	if (n >= HUGEMEM_MIN)
		(void)munmap(p, n);
	else
		free(p);
}
