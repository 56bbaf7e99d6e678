/* fuzz_report - ward-report's model and both renderers over arbitrary
 * events: each input line is parsed as an event and added; then the report
 * is rendered as Markdown and HTML. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "event.h"
#include "stages/report/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ward_event ev;
	struct ward_event_parser p;
	struct report r;
	char err[128];
	event_init(&ev);
	if (event_parser_init(&p) != 0)
		return 0;
	report_init(&r);
	const char *s = (const char *)data, *end = s + size;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);
		if (event_parse(&ev, &p, s, len, err, sizeof err) == 0)
			report_add_event(&r, &ev);
		s += len + 1;
	}
	report_finish(&r);
	struct report_meta m = { "fuzz", 0, "fuzz" };
	struct ward_buf out = WARD_BUF_INIT;
	report_markdown(&r, &m, &out);
	buf_reset(&out);
	report_html(&r, &m, &out);
	buf_free(&out);
	report_free(&r);
	event_parser_free(&p);
	event_free(&ev);
	return 0;
}
