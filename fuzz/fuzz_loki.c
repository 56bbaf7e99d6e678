/* libFuzzer target: Loki query_range responses (a compromised or buggy Loki,
 * and log lines written by attackers, reach this parser), the paging cursor
 * over them, the events made from them, and the cursor file text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "loki_query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct loki_page p = { 0 };
	char err[128];
	struct loki_cursor c;
	loki_cursor_init(&c, 0);
	if (loki_page_parse(&p, (const char *)data, size, err, sizeof(err)) == 0) {
		struct ward_buf ev = WARD_BUF_INIT;
		struct ward_event e;
		struct ward_event_parser parser;
		event_init(&e);
		event_parser_init(&parser);
		for (size_t i = 0; i < p.len; i++) {
			if (i && p.entries[i].ts_ns < p.entries[i - 1].ts_ns)
				abort();	/* sorted */
			if (!loki_cursor_take(&c, &p.entries[i]))
				continue;
			buf_reset(&ev);
			loki_entry_to_event(&p.entries[i], i % 2, &ev);
			/* what the transport hands a stage must parse as an event */
			if (!(i % 2) && event_parse(&e, &parser, ev.data, ev.len, err, sizeof(err)) != 0)
				abort();
		}
		buf_free(&ev);
		event_free(&e);
		event_parser_free(&parser);
		loki_page_free(&p);
	}
	loki_cursor_parse(&c, (const char *)data, size);
	loki_cursor_free(&c);
	return 0;
}
