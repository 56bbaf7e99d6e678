/* libFuzzer target: the event parser and serializer.
 * Invariants: parsing never crashes; what parses serializes to valid UTF-8
 * JSON that parses again to the same serialization (a fixed point). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "event.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ward_event_parser p;
	static struct ward_event ev;
	static int ready;
	char err[160];
	if (!ready) {
		event_parser_init(&p);
		event_init(&ev);
		ready = 1;
	}
	if (event_parse(&ev, &p, (const char *)data, size, err, sizeof err) != 0)
		return 0;
	struct ward_buf a = WARD_BUF_INIT, b = WARD_BUF_INIT;
	event_serialize(&ev, &a);
	if (!utf8_valid(a.data, a.len))
		abort();
	if (event_parse(&ev, &p, a.data, a.len, err, sizeof err) != 0)
		abort();
	event_serialize(&ev, &b);
	if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0) {
		fprintf(stderr, "not a fixed point:\n%s\n%s\n", a.data, b.data);
		abort();
	}
	buf_free(&a);
	buf_free(&b);
	return 0;
}
