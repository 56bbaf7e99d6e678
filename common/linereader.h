/* linereader.h - bounded line reader over a file descriptor.
 *
 * Reads newline-terminated records from pipes, files and sockets. A line
 * longer than max_len is consumed and skipped whole (never split into two
 * records) and reported as LINEREADER_TOOLONG once it ends. A final line
 * without a newline is returned at end of input. A read interrupted by a
 * signal returns LINEREADER_STOPPED if a stop was requested (signals.h),
 * else LINEREADER_TIMEOUT. */
#ifndef WARD_LINEREADER_H
#define WARD_LINEREADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WARD_DEFAULT_MAX_LINE (1024 * 1024)

enum linereader_status {
	LINEREADER_LINE = 0,	/* *line, *len hold a record (no newline, NUL-terminated) */
	LINEREADER_EOF,		/* end of input */
	LINEREADER_TOOLONG,	/* a line over max_len was skipped; *len = its length */
	LINEREADER_TIMEOUT,	/* no complete line within the timeout, or a signal
			 * other than a stop interrupted the wait */
	LINEREADER_STOPPED,	/* a stop was requested while waiting */
	LINEREADER_ERROR,	/* read error; errno is set */
};

struct ward_linereader;

/* The reader does not own fd (the caller closes it). */
struct ward_linereader *linereader_new(int fd, size_t max_len);
void linereader_free(struct ward_linereader *lr);
/* timeout_ms < 0 waits forever. The returned line is valid until the next
 * call. */
enum linereader_status linereader_next(struct ward_linereader *lr, int timeout_ms,
		       const char **line, size_t *len);
/* True when a complete line (or the end) is already buffered. Not const:
 * the newline found is kept for the next linereader_next. */
bool linereader_buffered(struct ward_linereader *lr);
/* Bytes consumed from fd so far (for position files). */
uint64_t linereader_offset(const struct ward_linereader *lr);

#endif
