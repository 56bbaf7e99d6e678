/* journal.h - the systemd journal (sd-journal) as an ingest source.
 *
 * Reads the local journal, or the journal files and directories given (as
 * `journalctl --file`/`--directory` do), in time order across files. Each
 * record is `SYSLOG_IDENTIFIER[PID]: MESSAGE` (journal_line, records.h: the
 * shape the syslog receiver writes, so rules anchored at the program tag
 * match), with labels host (_HOSTNAME), program (SYSLOG_IDENTIFIER, else
 * _COMM), pid (SYSLOG_PID, else _PID), severity (PRIORITY), unit
 * (_SYSTEMD_UNIT); the time is the entry's __REALTIME_TIMESTAMP.
 *
 * The cursor of the last entry handed on is saved in cursor_path (a text
 * file "ward-journal-cursor 1\n<cursor>\n", written atomically) at quiet
 * points, after the stage flushed its output: before waiting, at most once
 * a second while busy, and at exit; a restart continues after it
 * (at-least-once across a kill, as --positions for files). Without a saved
 * cursor: from the first entry, or only new ones with from_end. Without
 * follow, the source ends at the last entry. */
#ifndef WARD_INGEST_JOURNAL_H
#define WARD_INGEST_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "counters.h"
#include "stages/ingest/source.h"

struct journal_conf {
	const char *const *paths;	/* journal files or one directory; none: the local journal */
	size_t npaths;
	const char *cursor_path;	/* NULL: no saved cursor */
	bool from_end;
	bool follow;
	size_t max_line;
	struct ward_counters *counters;
};

/* NULL with err and *why set when the journal cannot be opened
 * (SOURCE_ERR_NOENT, SOURCE_ERR_UNAVAILABLE) or the cursor file cannot be
 * read or is not one (SOURCE_ERR_POSITIONS). */
struct ingest_source *sdjournal_open(const struct journal_conf *c, enum source_err *why, char *err,
				     size_t errlen);

#endif
