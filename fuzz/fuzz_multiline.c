/* libFuzzer target: multi-line blocks. The first byte picks the caps and
 * the source spread, the rest is lines fed with a clock that advances by
 * the line's first byte. Invariants: a block never holds more than
 * max_lines lines nor (beyond its first line) more than max_bytes, and every
 * line fed comes out exactly once. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stages/ingest/multiline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t check(const struct ml_block *b, unsigned max_lines, size_t max_bytes)
{
	size_t lines = 1;
	for (size_t i = 0; i < b->len; i++)
		lines += b->text[i] == '\n';
	const char *nl = memchr(b->text, '\n', b->len);
	if (lines > max_lines || (nl && b->len > max_bytes))
		abort();
	return lines;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned max_lines = 1 + data[0] % 8;
	size_t max_bytes = 8 + (size_t)(data[0] >> 3) * 4;
	char err[128];
	struct multiline *m = multiline_new("^[A-Z]", max_lines, max_bytes, 1000, err, sizeof err);
	if (!m)
		abort();
	const char *p = (const char *)data + 1, *end = (const char *)data + size;
	int64_t now = 0;
	size_t in = 0, out = 0;
	struct ml_block b;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((nl ? nl : end) - p);
		const char *src = len && (p[0] & 1) ? "a" : "b";
		now += len ? (uint8_t)p[0] : 0;
		while (multiline_idle(m, now, &b))
			out += check(&b, max_lines, max_bytes);
		while (multiline_feed(m, src, p, len, now, &b))
			out += check(&b, max_lines, max_bytes);
		in++;
		p = nl ? nl + 1 : end;
	}
	while (multiline_take(m, NULL, &b))
		out += check(&b, max_lines, max_bytes);
	if (in != out)
		abort();
	multiline_free(m);
	return 0;
}
