/* fuzz_jsonstr - the JSON string reader (common/jsonstr.c). The input is
 * read as a string starting at its first byte (a quote is put there).
 * Checks: read and skip agree on validity and end; the value is never
 * longer than the text; the body unescaped appended and in place gives the
 * same value; a string without escapes is returned in place. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "jsonstr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	s[0] = '"';
	memcpy(s + 1, data, size);
	size_t n = size + 1;
	struct ward_buf sb = WARD_BUF_INIT, out = WARD_BUF_INIT;
	for (unsigned flags = 0; flags < 4; flags++) {
		struct jsonstr r;
		int rc = jsonstr_read(s, n, 0, flags, &sb, &r);
		size_t end = jsonstr_skip(s, n, 0, flags);
		if ((rc == 0) != (end != JSONSTR_INVALID))
			abort();
		if (rc != 0)
			continue;
		if (r.end != end || end > n || s[end - 1] != '"' || r.len > end - 2)
			abort();
		if (!r.escaped && (r.v != s + 1 || r.len != end - 2))
			abort();
		buf_reset(&out);
		if (jsonstr_unescape(&out, s + 1, end - 2, flags) != 0 || out.len != r.len ||
		    (r.len && memcmp(out.data, r.v, r.len) != 0))
			abort();
		char *w = malloc(end);
		if (!w)
			abort();
		memcpy(w, s + 1, end - 2);
		size_t m = jsonstr_unescape_inplace(w, end - 2, flags);
		if (m != r.len || (m && memcmp(w, r.v, m) != 0))
			abort();
		free(w);
	}
	buf_free(&sb);
	buf_free(&out);
	free(s);
	return 0;
}
