/* linereader.c - bounded line reader.
 *
 * Invariant: buf[start, end) holds bytes read but not yet returned; while
 * `skipping`, the bytes belong to a line already known to be too long and
 * are discarded up to its newline. */
#include "linereader.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "signals.h"

#define LR_INITIAL_CAP (64 * 1024)

struct ward_linereader {
	int fd;
	size_t max_len;
	char *buf;
	size_t cap, start, end;
	bool eof;
	bool skipping;
	size_t skipped;		/* length of the line being skipped */
	uint64_t consumed;	/* bytes of fd accounted for by returned results */
	/* the newline linereader_buffered found for the line at start (its
	 * index in buf), when nl_known: the next call takes it instead of
	 * searching the line a second time */
	size_t known_nl;
	bool nl_known;
};

struct ward_linereader *linereader_new(int fd, size_t max_len)
{
	struct ward_linereader *lr = ward_xcalloc(1, sizeof *lr);
	lr->fd = fd;
	lr->max_len = max_len ? max_len : WARD_DEFAULT_MAX_LINE;
	lr->cap = lr->max_len + 2 < LR_INITIAL_CAP ? lr->max_len + 2 : LR_INITIAL_CAP;
	lr->buf = ward_xmalloc(lr->cap);
	return lr;
}

void linereader_free(struct ward_linereader *lr)
{
	if (!lr)
		return;
	free(lr->buf);
	free(lr);
}

uint64_t linereader_offset(const struct ward_linereader *lr)
{
	return lr->consumed;
}

/* Make room for more input: compact, then grow up to max_len + 2 (the
 * longest acceptable line, its newline and a NUL). */
static void make_room(struct ward_linereader *lr)
{
	if (lr->start > 0) {
		memmove(lr->buf, lr->buf + lr->start, lr->end - lr->start);
		lr->end -= lr->start;
		lr->start = 0;
	}
	if (lr->end + 1 >= lr->cap && lr->cap < lr->max_len + 2) {
		size_t cap = lr->cap * 2;
		if (cap > lr->max_len + 2)
			cap = lr->max_len + 2;
		lr->buf = ward_xrealloc(lr->buf, cap);
		lr->cap = cap;
	}
}

static enum linereader_status fill(struct ward_linereader *lr, int timeout_ms)
{
	make_room(lr);
	if (timeout_ms >= 0) {
		struct pollfd pfd = { .fd = lr->fd, .events = POLLIN };
		int r = poll(&pfd, 1, timeout_ms);
		if (r == 0)
			return LINEREADER_TIMEOUT;
		if (r < 0) {
			if (errno == EINTR)
				return signals_stop_requested() ? LINEREADER_STOPPED : LINEREADER_TIMEOUT;
			return LINEREADER_ERROR;
		}
	}
	for (;;) {
		ssize_t r = read(lr->fd, lr->buf + lr->end, lr->cap - lr->end - 1);
		if (r > 0) {
			lr->end += (size_t)r;
			return LINEREADER_LINE;
		}
		if (r == 0) {
			lr->eof = true;
			return LINEREADER_LINE;
		}
		if (errno == EINTR)	/* let the caller see SIGUSR1 and friends */
			return signals_stop_requested() ? LINEREADER_STOPPED : LINEREADER_TIMEOUT;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return LINEREADER_TIMEOUT;
		return LINEREADER_ERROR;
	}
}

static enum linereader_status finish_skip(struct ward_linereader *lr, size_t upto, size_t *len)
{
	lr->skipped += upto - lr->start;
	lr->consumed += upto - lr->start;
	lr->start = upto;
	lr->skipping = false;
	*len = lr->skipped;
	return LINEREADER_TOOLONG;
}

enum linereader_status linereader_next(struct ward_linereader *lr, int timeout_ms,
				       const char **line, size_t *len)
{
	for (;;) {
		char *nl = lr->nl_known ? lr->buf + lr->known_nl :
			   memchr(lr->buf + lr->start, '\n', lr->end - lr->start);
		lr->nl_known = false;	/* every path below consumes or moves bytes */
		if (lr->skipping) {
			if (nl) {
				enum linereader_status st = finish_skip(lr, (size_t)(nl - lr->buf), len);
				lr->start++;	/* the newline */
				lr->consumed++;
				return st;
			}
			lr->skipped += lr->end - lr->start;
			lr->consumed += lr->end - lr->start;
			lr->start = lr->end = 0;
		} else if (nl) {
			*line = lr->buf + lr->start;
			*len = (size_t)(nl - *line);
			*nl = '\0';
			lr->consumed += *len + 1;
			lr->start = (size_t)(nl - lr->buf) + 1;
			/* The buffer never holds more than max_len + 1 bytes, so a
			 * line ending in it is within bounds. */
			return LINEREADER_LINE;
		} else if (lr->end - lr->start > lr->max_len) {
			lr->skipping = true;
			lr->skipped = 0;
			continue;
		}
		if (lr->eof) {
			if (lr->skipping)
				return finish_skip(lr, lr->end, len);
			if (lr->end > lr->start) {
				*line = lr->buf + lr->start;
				*len = lr->end - lr->start;
				lr->buf[lr->end] = '\0';
				lr->consumed += *len;
				lr->start = lr->end;
				if (*len > lr->max_len)
					return LINEREADER_TOOLONG;
				return LINEREADER_LINE;
			}
			return LINEREADER_EOF;
		}
		enum linereader_status st = fill(lr, timeout_ms);
		if (st != LINEREADER_LINE)
			return st;
	}
}

bool linereader_buffered(struct ward_linereader *lr)
{
	if (lr->eof || lr->nl_known)
		return true;
	const char *nl = memchr(lr->buf + lr->start, '\n', lr->end - lr->start);
	if (!nl)
		return false;
	lr->known_nl = (size_t)(nl - lr->buf);
	lr->nl_known = true;
	return true;
}
