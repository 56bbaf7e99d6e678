/* fuzz_percent - percent decoding and encoding (common/percent.c).
 * Checks: the decoders agree (appended and in place), never grow the
 * text, fail only under PERCENT_STRICT and only where the lenient decoder
 * kept a '%'; encoding then strict decoding gives the input back. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "percent.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct ward_buf a = WARD_BUF_INIT, e = WARD_BUF_INIT;
	char *w = malloc(size + 1);
	if (!w)
		return 0;
	for (unsigned flags = 0; flags < 4; flags++) {
		buf_reset(&a);
		size_t bad_at = SIZE_MAX;
		size_t n = percent_decode(&a, s, size, flags, &bad_at);
		memcpy(w, s, size);
		size_t m = percent_decode_inplace(w, size, flags);
		if (n != m)
			abort();
		if (n == PERCENT_BAD) {
			if (!(flags & PERCENT_STRICT) || bad_at >= size || s[bad_at] != '%')
				abort();
			continue;
		}
		if (n > size || a.len != n || memcmp(a.data, w, n) != 0)
			abort();
	}
	for (unsigned flags = 0; flags < 2; flags++) {
		buf_reset(&e);
		percent_encode(&e, s, size, flags);
		buf_reset(&a);
		size_t n = percent_decode(&a, e.data ? e.data : "", e.len, flags | PERCENT_STRICT, NULL);
		if (n != size || (size && memcmp(a.data, s, size) != 0))
			abort();
	}
	free(w);
	buf_free(&a);
	buf_free(&e);
	return 0;
}
