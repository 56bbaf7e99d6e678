/* relay.h - the two helper processes of a fanout, run by ward-run in a
 * forked child (no exec): tee copies one byte stream to several pipes,
 * merge interleaves several streams line by line into one, so two
 * branches' events never mix inside a line. Both block on a slow reader
 * (backpressure, as a pipe does) and treat a closed reader (EPIPE) as that
 * reader having finished. They return the process exit status. */
#ifndef WARD_RUN_RELAY_H
#define WARD_RUN_RELAY_H

#include <stddef.h>

#define RELAY_MAX_LINE (16 * 1024 * 1024)	/* longer lines are passed in pieces */

int relay_tee(int in_fd, const int *out_fds, size_t nout);
int relay_merge(const int *in_fds, size_t nin, int out_fd);

#endif
