/* allowfile.h - ward-respond --allow-file: an allowlist kept in a file.
 *
 * One address or CIDR per line; `#` starts a comment; blank lines and
 * surrounding blanks are ignored. Entries join the policy's allowlist
 * tagged "file" and are replaced as a whole by each (re)load, so a reload
 * (SIGHUP) drops removed lines and adds new ones; the other entries
 * (--allow, loopback, host) stay. A file with any bad line changes
 * nothing: the error names FILE:LINE. */
#ifndef WARD_RESPOND_ALLOWFILE_H
#define WARD_RESPOND_ALLOWFILE_H

#include <stddef.h>

#include "stages/respond/policy.h"

#define ALLOWFILE_MAX_BYTES (4 * 1024 * 1024)

/* Returns the number of entries loaded (>= 0), or -1 with err set and the
 * policy unchanged. */
long allowfile_load(struct respond_policy *p, const char *path, char *err, size_t errlen);

/* Parse text (len bytes) named `name` into p's "file" entries (as above);
 * the pure part of allowfile_load, for tests and the fuzzer. */
long allowfile_parse(struct respond_policy *p, const char *name, const char *text, size_t len,
		     char *err, size_t errlen);

#endif
