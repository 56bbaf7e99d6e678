/* tail.h - files and globs followed like `tail -F`, as an ingest source.
 *
 * Each pattern (a path or a glob) is expanded at start and again whenever
 * its directory changes (inotify) or every second. A file is read to its
 * end, then followed: inotify on the directories wakes the reader, and
 * every file is also checked every 250 ms, so nothing depends on an event
 * arriving. Per check:
 *   - the path now names another inode (rotation by rename, or delete and
 *     create): the old file is read to its end (a last line without a
 *     newline included) and closed, the new one is read from offset 0;
 *   - the path is gone: the old file is read to its end and closed;
 *   - the file is shorter than what was read (truncation, copytruncate):
 *     reading restarts at offset 0.
 * A file that shows up under another matched name with an inode already
 * known (app.log renamed to app.log.1) continues where it was, so renamed
 * lines are never read twice. Files ending in .gz are decompressed and read
 * once. Lines longer than max_line are skipped whole and counted.
 *
 * Positions (positions.h) are saved at quiet points, after the stage loop
 * flushed its output (when buffered() was false), at most once a second
 * while busy and always before waiting, and by commit(). A file with no
 * saved position is read from its start, or from its end with from_end if
 * it existed at start. Records carry the label filename=<path>. */
#ifndef WARD_INGEST_TAIL_H
#define WARD_INGEST_TAIL_H

#include <stdbool.h>
#include <stddef.h>

#include "counters.h"
#include "stages/ingest/source.h"

struct tail_conf {
	const char *const *patterns;
	size_t npatterns;
	const char *positions_path;	/* NULL: no positions file */
	bool from_end;
	bool follow;		/* false: read every file once, then EOF */
	size_t max_line;
	struct ward_counters *counters;
};

/* Returns the source, or NULL with err and *why set: no usable positions
 * file (SOURCE_ERR_POSITIONS), no inotify (SOURCE_ERR_UNAVAILABLE), a file
 * or pattern read once that names nothing (SOURCE_ERR_NOENT). */
struct ingest_source *tail_open(const struct tail_conf *c, enum source_err *why, char *err,
				size_t errlen);

#endif
