/* libFuzzer target: the bounded line reader. The first byte picks max_len;
 * the rest is the stream. Invariants: every returned line is within bounds
 * and has no newline; the lines and skipped lengths account for every byte. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linereader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t max = (size_t)data[0] + 1;
	FILE *f = tmpfile();
	if (!f)
		return 0;
	fwrite(data + 1, 1, size - 1, f);
	fflush(f);
	rewind(f);
	struct ward_linereader *lr = linereader_new(fileno(f), max);
	size_t total = 0;
	for (;;) {
		const char *line;
		size_t len;
		enum linereader_status st = linereader_next(lr, -1, &line, &len);
		if (st == LINEREADER_LINE) {
			if (len > max || memchr(line, '\n', len) || line[len] != '\0')
				abort();
			total += len + 1;
		} else if (st == LINEREADER_TOOLONG) {
			if (len <= max)
				abort();
			total += len + 1;
		} else {
			break;
		}
	}
	/* the last line may lack its newline */
	if (total != size - 1 && total != size)
		abort();
	if (linereader_offset(lr) != size - 1)
		abort();
	linereader_free(lr);
	fclose(f);
	return 0;
}
