/* relay.c - tee and merge for fanouts (see relay.h). */
#include "stages/run/relay.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "exitcodes.h"
#include "log.h"
#include "textio.h"


int relay_tee(int in_fd, const int *out_fds, size_t nout)
{
	bool *open = ward_xcalloc(nout ? nout : 1, sizeof *open);
	size_t nopen = nout;
	char *chunk = ward_xmalloc(65536);
	int rc = WARD_EX_OK;
	for (size_t i = 0; i < nout; i++)
		open[i] = true;
	for (;;) {
		ssize_t r = read(in_fd, chunk, 65536);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			log_error("fanout: reading failed: %s", strerror(errno));
			rc = WARD_EX_IOERR;
			break;
		}
		if (r == 0)
			break;
		for (size_t i = 0; i < nout; i++) {
			if (open[i] && write_full(out_fds[i], chunk, (size_t)r) != 0) {
				open[i] = false;	/* that branch has finished */
				close(out_fds[i]);
				nopen--;
			}
		}
		if (nout > 0 && nopen == 0)
			break;
	}
	for (size_t i = 0; i < nout; i++)
		if (open[i])
			close(out_fds[i]);
	free(chunk);
	free(open);
	return rc;
}

struct merge_in {
	int fd;
	struct ward_buf pending;	/* the start of an unfinished line */
};

/* Pass on the complete lines of one input; keep the unfinished tail. */
static bool merge_flush(struct merge_in *in, int out_fd, bool at_eof)
{
	struct ward_buf *b = &in->pending;
	size_t upto = b->len;
	if (!at_eof) {
		while (upto > 0 && b->data[upto - 1] != '\n')
			upto--;
		if (upto == 0 && b->len >= RELAY_MAX_LINE)
			upto = b->len;	/* a monster line: pass it in pieces */
	}
	if (upto == 0)
		return true;
	bool ok = write_full(out_fd, b->data, upto) == 0;
	if (ok && at_eof && b->data[upto - 1] != '\n')
		ok = write_full(out_fd, "\n", 1) == 0;
	memmove(b->data, b->data + upto, b->len - upto);
	b->len -= upto;
	return ok;
}

int relay_merge(const int *in_fds, size_t nin, int out_fd)
{
	struct merge_in *ins = ward_xcalloc(nin ? nin : 1, sizeof *ins);
	struct pollfd *pfds = ward_xcalloc(nin ? nin : 1, sizeof *pfds);
	size_t nopen = nin;
	int rc = WARD_EX_OK;
	for (size_t i = 0; i < nin; i++)
		ins[i].fd = in_fds[i];
	while (nopen > 0) {
		for (size_t i = 0; i < nin; i++)
			pfds[i] = (struct pollfd){ .fd = ins[i].fd, .events = POLLIN };
		if (poll(pfds, nin, -1) < 0) {
			if (errno == EINTR)
				continue;
			rc = WARD_EX_OSERR;
			break;
		}
		for (size_t i = 0; i < nin; i++) {
			if (ins[i].fd < 0 || !(pfds[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			buf_reserve(&ins[i].pending, 65536);
			ssize_t r = read(ins[i].fd, ins[i].pending.data + ins[i].pending.len, 65536);
			if (r < 0 && errno == EINTR)
				continue;
			if (r > 0)
				ins[i].pending.len += (size_t)r;
			if (!merge_flush(&ins[i], out_fd, r <= 0)) {
				nopen = 0;	/* the reader is gone: nothing more to do */
				break;
			}
			if (r <= 0) {
				close(ins[i].fd);
				ins[i].fd = -1;	/* poll ignores negative fds */
				nopen--;
			}
		}
	}
	for (size_t i = 0; i < nin; i++) {
		if (ins[i].fd >= 0)
			close(ins[i].fd);
		buf_free(&ins[i].pending);
	}
	free(ins);
	free(pfds);
	return rc;
}
