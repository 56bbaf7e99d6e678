/* fuzz_metrics - the --metrics listener's HTTP request parser and ward-run's
 * merge of stage expositions (common/metrics.c), and the response splitter
 * of ward-run (stages/run/runmetrics.c). The input is given whole to the
 * parser (as it grows byte by byte in a real read, every prefix too), and
 * split at NUL bytes into expositions for the merge. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "stages/run/runmetrics.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	size_t cap = size > METRICS_MAX_REQUEST ? METRICS_MAX_REQUEST : size;
	/* exact-size copies so a read past the end is caught */
	char *req = malloc(cap ? cap : 1);
	if (!req)
		return 0;
	memcpy(req, text, cap);
	for (size_t n = cap > 64 ? cap - 64 : 0; n <= cap; n++) {
		enum metrics_req r = metrics_parse_request(req, n);
		if (r > MREQ_BAD)
			abort();
	}
	free(req);
	(void)run_metrics_body(text, size);

	const char *texts[8];
	size_t lens[8];
	const char *steps[8] = { "1", "2", "3", "4", "5", "6", "7", "a\"b\\" };
	size_t n = 0;
	const char *p = text, *end = text + size;
	while (p <= end && n < 8) {
		const char *z = memchr(p, '\0', (size_t)(end - p));
		const char *e = z ? z : end;
		texts[n] = p;
		lens[n++] = (size_t)(e - p);
		if (!z)
			break;
		p = z + 1;
	}
	struct ward_buf out = WARD_BUF_INIT;
	metrics_merge(texts, lens, steps, n, "step", &out);
	buf_free(&out);
	return 0;
}
