/* spawn.h - run a program from an argv array: fork + execve, never a shell.
 *
 * The child gets stdin from /dev/null, stdout and stderr into a pipe (the
 * first bytes are kept for error messages), no other descriptors, default
 * signal dispositions and an environment of only PATH and LC_ALL=C. A bare
 * program name is looked up in /usr/sbin:/usr/bin:/sbin:/bin, not in the
 * caller's PATH. */
#ifndef WARD_RESPOND_SPAWN_H
#define WARD_RESPOND_SPAWN_H

#include <stddef.h>

#include "stages/respond/fwcmd.h"

/* Returns the program's exit status (0..255; 128+N when killed by signal
 * N), or -1 when it could not be started (err says why). out, if not NULL,
 * receives the start of its output, NUL-terminated. */
int spawn_run(const struct fw_argv *a, char *out, size_t outlen, char *err, size_t errlen);

#endif
