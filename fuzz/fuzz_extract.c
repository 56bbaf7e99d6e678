/* libFuzzer target: --regex and --ts-json applied to attacker-written lines
 * (the expressions are fixed, as an operator would write them). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "stages/ingest/extract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct extract *x;
	static struct ward_event ev;
	if (!x) {
		char err[128];
		x = extract_new("^(?<ts>\\S+) (?<host>[\\w.-]+) (?<app>\\w+)(?:\\[\\d+\\])?:", "time", err, sizeof(err));
		if (!x)
			abort();
		event_init(&ev);
	}
	char *line = malloc(size + 1);
	memcpy(line, data, size);
	line[size] = '\0';
	int64_t ts;
	event_reset(&ev);
	extract_apply(x, &ev, line, size, 1795867200LL * 1000000000LL, &ts);
	free(line);
	return 0;
}
