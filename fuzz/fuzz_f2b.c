/* libFuzzer target: a fail2ban filter file from memory (ConfigParser,
 * interpolation, <tag> substitution, filter options), then the tag expansion
 * and Python -> PCRE2 translation and compile of every regex and of the
 * datepattern, then one line through the filter.
 * Input: the first line is filter options (NAME[...] contents), the rest the
 * file. Invariants: no crash, no leak, no unbounded expansion. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "stages/match/f2b_conf.h"
#include "stages/match/f2b_filter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const char *nl = memchr(s, '\n', size);
	size_t ol = nl ? (size_t)(nl - s) : 0;
	char *opts = malloc(ol + 1);
	memcpy(opts, s, ol);
	opts[ol] = '\0';
	if (memchr(opts, '\0', ol)) {
		free(opts);
		return 0;
	}
	const char *text = nl ? nl + 1 : s;
	size_t tl = size - (size_t)(text - s);
	struct f2b_def d;
	char err[1024];
	if (f2b_def_load_mem("fuzz", text, tl, ol ? opts : NULL, &d, err, sizeof(err)) == 0) {
		struct f2b_filter *f = f2b_filter_new(&d, 10000, NULL, err, sizeof(err));
		if (f) {
			struct ward_event ev, out;
			event_init(&ev);
			event_init(&out);
			ev.ts_ns = 1795867200LL * 1000000000LL;
			/* the file itself as the log lines */
			for (const char *p = text; p < text + tl;) {
				const char *e = memchr(p, '\n', (size_t)(text + tl - p));
				size_t n = e ? (size_t)(e - p) : (size_t)(text + tl - p);
				event_set_line(&ev, p, n);
				f2b_filter_event(f, &ev, &out);
				p += n + 1;
			}
			event_free(&ev);
			event_free(&out);
			f2b_filter_free(f);
		}
		f2b_def_free(&d);
	}
	free(opts);
	return 0;
}
