/* transport_fdio.c - stdin/stdout and files.
 *
 * Output is buffered and written in large writes; the stage loop flushes
 * whenever its input would block (input_buffered), so events never wait in
 * the buffer for more input. A closed pipe (EPIPE) is reported as errno
 * EPIPE so the stage can end quietly. */
#include "transport.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "counters.h"
#include "event.h"
#include "linereader.h"
#include "log.h"
#include "textio.h"

#define OUT_BATCH (64 * 1024)

struct fd_input {
	struct ward_input base;
	int fd;
	bool owns_fd;
	struct ward_linereader *lr;
	struct ward_counters *counters;
	struct ward_ratelimit rl;
};

struct fd_output {
	struct ward_output base;
	int fd;
	bool owns_fd;
	struct ward_buf pending;
};

static const char *uri_path(const char *uri)
{
	return strncmp(uri, "file:", 5) == 0 ? uri + 5 : uri;
}

/* "-" is std_fd (not owned); anything else is a path opened with flags.
 * Returns the fd, or -1 with err and errno set. */
static int open_uri_fd(const char *uri, int std_fd, int flags, bool *owns, char *err, size_t errlen)
{
	*owns = false;
	if (strcmp(uri, "-") == 0)
		return std_fd;
	int fd = open(uri_path(uri), flags | O_CLOEXEC, 0640);
	if (fd < 0) {
		int e = errno;
		snprintf(err, errlen, "%s", strerror(e));
		errno = e;
		return -1;
	}
	*owns = true;
	return fd;
}

static enum rec_status fd_next(struct ward_input *base, int timeout_ms, struct ward_record *rec)
{
	struct fd_input *in = (struct fd_input *)base;
	const char *line;
	size_t len;
	enum linereader_status st = linereader_next(in->lr, timeout_ms, &line, &len);
	switch (st) {
	case LINEREADER_LINE:
		rec->data = line;
		rec->len = len;
		rec->ts_ns = WARD_TS_NONE;
		return REC_OK;
	case LINEREADER_TOOLONG:
		if (in->counters)
			in->counters->oversized++;
		log_warn_limited(&in->rl, "%s: skipped a line of %zu bytes: longer than --max-line",
				 in->base.uri, len);
		return REC_SKIPPED;
	case LINEREADER_EOF:
		return REC_EOF;
	case LINEREADER_TIMEOUT:
		return REC_TIMEOUT;
	case LINEREADER_STOPPED:
		return REC_STOPPED;
	case LINEREADER_ERROR:
	default:
		log_error("reading %s failed: %s", in->base.uri, strerror(errno));
		return REC_ERROR;
	}
}

static bool fd_buffered(struct ward_input *base)
{
	return linereader_buffered(((struct fd_input *)base)->lr);
}

static void fd_input_close(struct ward_input *base)
{
	struct fd_input *in = (struct fd_input *)base;
	ratelimit_flush(&in->rl);
	linereader_free(in->lr);
	if (in->owns_fd)
		close(in->fd);
	free(in->base.uri);
	free(in);
}

static const struct ward_input_ops fd_input_ops = {
	.next = fd_next,
	.buffered = fd_buffered,
	.commit = NULL,
	.close = fd_input_close,
};

bool fdio_input_is(const struct ward_input *in)
{
	return in && in->ops == &fd_input_ops;
}

struct ward_input *fdio_input_open(const char *uri, const struct ward_transport_opts *o,
				   char *err, size_t errlen)
{
	bool owns;
	int fd = open_uri_fd(uri, 0, O_RDONLY, &owns, err, errlen);
	if (fd < 0)
		return NULL;
	struct fd_input *in = ward_xcalloc(1, sizeof *in);
	in->base.ops = &fd_input_ops;
	in->base.uri = ward_xstrdup(strcmp(uri, "-") == 0 ? "<stdin>" : uri_path(uri));
	in->fd = fd;
	in->owns_fd = owns;
	in->lr = linereader_new(fd, o->max_line);
	in->counters = o->counters;
	in->rl = (struct ward_ratelimit)WARD_RATELIMIT_INIT(5, 10);
	return &in->base;
}


static int fd_flush(struct ward_output *base, int timeout_ms)
{
	struct fd_output *out = (struct fd_output *)base;
	(void)timeout_ms;
	if (out->pending.len == 0)
		return 0;
	int rc = write_full(out->fd, out->pending.data, out->pending.len);
	buf_reset(&out->pending);
	return rc;
}

static int fd_write(struct ward_output *base, const struct ward_event *ev, const char *json,
		    size_t len)
{
	struct fd_output *out = (struct fd_output *)base;
	(void)ev;
	buf_append(&out->pending, json, len);
	buf_append_char(&out->pending, '\n');
	if (out->pending.len >= OUT_BATCH)
		return fd_flush(base, -1);
	return 0;
}

static void fd_output_close(struct ward_output *base)
{
	struct fd_output *out = (struct fd_output *)base;
	buf_free(&out->pending);
	if (out->owns_fd)
		close(out->fd);
	free(out->base.uri);
	free(out);
}

static const struct ward_output_ops fd_output_ops = {
	.write = fd_write,
	.flush = fd_flush,
	.close = fd_output_close,
	.ignores_event = true,
};

struct ward_output *fdio_output_open(const char *uri, const struct ward_transport_opts *o,
				     char *err, size_t errlen)
{
	bool owns;
	(void)o;
	int fd = open_uri_fd(uri, 1, O_WRONLY | O_CREAT | O_APPEND, &owns, err, errlen);
	if (fd < 0)
		return NULL;
	struct fd_output *out = ward_xcalloc(1, sizeof *out);
	out->base.ops = &fd_output_ops;
	out->base.uri = ward_xstrdup(strcmp(uri, "-") == 0 ? "<stdout>" : uri_path(uri));
	out->fd = fd;
	out->owns_fd = owns;
	return &out->base;
}
