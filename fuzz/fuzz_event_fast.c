/* libFuzzer target: ward-match's fast event decoder against event_parse.
 * Invariant: whatever event_decode_fast accepts, event_parse accepts too, and both
 * events serialize to the same bytes, also once the record it decoded from is
 * overwritten (the event owns its strings). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "event.h"
#include "event_fast.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ward_event_parser p;
	static struct ward_event a, b;
	static struct ward_buf scratch;
	static int ready;
	char err[160];
	if (!ready) {
		event_parser_init(&p);
		event_init(&a);
		event_init(&b);
		ready = 1;
	}
	char *rec = malloc(size + 1);
	if (!rec)
		return 0;
	memcpy(rec, data, size);
	if (event_decode_fast(&a, rec, size, &scratch) != 0) {
		free(rec);
		return 0;
	}
	if (event_parse(&b, &p, (const char *)data, size, err, sizeof err) != 0) {
		fprintf(stderr, "event_decode_fast accepted what event_parse rejects: %s\n", err);
		abort();
	}
	struct ward_buf sa = WARD_BUF_INIT, sb = WARD_BUF_INIT;
	event_serialize_head(&b, &sb);
	if (a.raw_head && (a.raw_head_len != sb.len || memcmp(a.raw_head, sb.data, sb.len) != 0)) {
		fprintf(stderr, "raw head: %.*s\nwritten:  %s\n", (int)a.raw_head_len, a.raw_head, buf_cstr(&sb));
		abort();
	}
	memset(rec, '#', size);
	free(rec);
	buf_reset(&sb);
	event_serialize(&a, &sa);
	event_serialize(&b, &sb);
	if (sa.len != sb.len || memcmp(sa.data, sb.data, sa.len) != 0) {
		fprintf(stderr, "fast:  %s\njson-c: %s\n", buf_cstr(&sa), buf_cstr(&sb));
		abort();
	}
	buf_free(&sa);
	buf_free(&sb);
	return 0;
}
