/* outfile.h - write a whole output file the way a user expects of a path.
 *
 * ward-report and the other stages that write a finished file (not a
 * stream) name it on the command line, often as root, so the path may be
 * anything:
 *  - a regular file, or a name that does not exist yet: the data goes to a
 *    temporary file in the same directory which is then renamed over it, so
 *    a reader sees the old file or the new one, never half of one;
 *  - any other existing file (a FIFO, /dev/stdout, a terminal, /dev/full,
 *    a socket): written through, never replaced: the special file stays
 *    what it is and a write error (ENOSPC from /dev/full) is reported;
 *  - a symbolic link: its target is treated as above when the target lies
 *    in the link's own directory; a link that points out of its directory
 *    is refused with both names (a link planted in a shared directory must
 *    not steer a root process into replacing a file elsewhere).
 */
#ifndef WARD_OUTFILE_H
#define WARD_OUTFILE_H

#include <stddef.h>

/* Write data[0..len) to path as above. Returns 0, or -1 with the reason
 * (naming the file that failed) in err. */
int outfile_write(const char *path, const void *data, size_t len, char *err, size_t errlen);

#endif
