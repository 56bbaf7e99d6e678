/* multiline.h - joining a multi-line event's lines (stack traces,
 * ModSecurity audit log parts), as Promtail's multiline stage does (no I/O).
 *
 * A line that matches the firstline expression (PCRE2, JIT, match-limited)
 * starts a block; the lines that follow and do not match are joined to it
 * with "\n". Lines before any first line form a block of their own. A block
 * is complete when the next first line of the same source arrives, when it
 * holds max_lines lines or would pass max_bytes (the line that would pass
 * starts the next block), when its source has been silent for max_wait
 * (multiline_idle), or at the source's end (multiline_take). Blocks are
 * kept per source (a file name), so files read or followed together never
 * mix their lines. */
#ifndef WARD_INGEST_MULTILINE_H
#define WARD_INGEST_MULTILINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct multiline;

/* NULL with err set on a bad expression. */
struct multiline *multiline_new(const char *firstline, unsigned max_lines, size_t max_bytes,
				int64_t max_wait_ns, char *err, size_t errlen);
void multiline_free(struct multiline *m);

/* A completed block: text (valid until the next call) and its source. */
struct ml_block {
	const char *text;
	size_t len;
	const char *source;
};

/* Feed one line of source at monotonic time now. Returns true with *out
 * set when a block completed (then call again with the same line: it was
 * not taken), false when the line was taken. */
bool multiline_feed(struct multiline *m, const char *source, const char *line, size_t len,
		    int64_t now, struct ml_block *out);
/* A block whose source has been silent for max_wait at now, if any. */
bool multiline_idle(struct multiline *m, int64_t now, struct ml_block *out);
/* Any open block (source NULL), or source's: the end of input. */
bool multiline_take(struct multiline *m, const char *source, struct ml_block *out);

#endif
