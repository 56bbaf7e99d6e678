/* libFuzzer target: Suricata, Zeek (TSV header state and records, JSON) and
 * journal JSON records. The first byte picks the kind and how lines are
 * spread over two sources (Zeek keeps header state per source); the rest
 * is lines. Invariants: no crash, no leak, every event serializes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "event.h"
#include "stages/ingest/records.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	enum rec_kind kind = data[0] % 3 == 0 ? REC_SURICATA : data[0] % 3 == 1 ? REC_ZEEK : REC_JOURNAL_JSON;
	struct recparse *rp = recparse_new(kind);
	struct ward_event ev;
	struct ward_buf out = WARD_BUF_INIT;
	event_init(&ev);
	const char *p = (const char *)data + 1, *end = (const char *)data + size;
	unsigned n = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((nl ? nl : end) - p);
		char *line = malloc(len + 1);
		memcpy(line, p, len);
		line[len] = '\0';
		const char *why;
		const char *src = (data[0] & 0x80) && (n++ & 1) ? "b/conn.log" : "a.log";
		enum recparse_result r = recparse_line(rp, src, line, len, &ev, &why);
		if (r == RECPARSE_BAD && !why)
			abort();
		if (r == RECPARSE_EVENT) {
			buf_reset(&out);
			event_serialize(&ev, &out);
			if (out.len == 0)
				abort();
		}
		free(line);
		p = nl ? nl + 1 : end;
	}
	buf_free(&out);
	event_free(&ev);
	recparse_free(rp);
	return 0;
}
