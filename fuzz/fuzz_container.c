/* libFuzzer target: Docker json-file and CRI lines and the partial-line
 * reassembly. Each input line is parsed both ways; pieces go through one
 * reassembler keyed by the first byte of the line. Invariants: text lies
 * in bounds, joined lines never exceed the bound. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stages/ingest/container.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct docker_parser dp;
	struct cont_asm a;
	docker_parser_init(&dp);
	cont_asm_init(&a, 64, 4);
	const char *p = (const char *)data, *end = p + size;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((nl ? nl : end) - p);
		char *line = malloc(len + 1);
		memcpy(line, p, len);
		line[len] = '\0';
		char key[2] = { len ? line[0] : 'x', 0 };
		struct cont_line l, out;
		const char *why;
		if (docker_parse(&dp, line, len, &l, &why) == 0 && cont_asm_feed(&a, key, &l, &out) &&
		    out.len > (l.len > 64 ? l.len : 64))
			abort();
		if (cri_parse(line, len, &l, &why) == 0) {
			if (l.text < line || l.text + l.len > line + len)
				abort();
			if (cont_asm_feed(&a, key, &l, &out) && out.len > (l.len > 64 ? l.len : 64))
				abort();
		}
		free(line);
		p = nl ? nl + 1 : end;
	}
	cont_asm_free(&a);
	docker_parser_free(&dp);
	return 0;
}
