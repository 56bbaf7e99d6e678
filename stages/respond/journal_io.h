/* journal_io.h - the journal file: open and replay, append with fsync,
 * pick up records other processes appended, compact.
 *
 * Several processes may use one journal: the running ward-respond and the
 * admin commands (--unban, --flush) of another invocation. Every append
 * takes flock(LOCK_EX), first replays what others appended, then writes one
 * whole line with O_APPEND and fdatasync. Compaction writes a snapshot to
 * PATH.tmp, fsyncs it, renames it over PATH and fsyncs the directory; a
 * process holding the old file notices the new inode under the lock and
 * replays the new file from the start.
 *
 * Ownership: struct journal owns its fd, path copy and scratch buffer; the
 * ban table is the caller's and is updated by every replayed record. */
#ifndef WARD_RESPOND_JOURNAL_IO_H
#define WARD_RESPOND_JOURNAL_IO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "buf.h"
#include "stages/respond/journal.h"

struct journal {
	int fd;			/* -1 when closed */
	char *path;
	uint64_t read_off;	/* bytes of the current file replayed */
	dev_t dev;
	ino_t ino;
	size_t appended;	/* records appended since the last compaction */
	struct journal_stats stats;
	struct ward_buf scratch;
};

/* Open (creating it, mode 0600) and replay into t (cleared first). */
int journal_open(struct journal *j, const char *path, struct ban_table *t, char *err, size_t errlen);
/* Replay records appended by other processes since the last call. Returns
 * the number of records applied, or -1. */
int journal_sync(struct journal *j, struct ban_table *t, char *err, size_t errlen);
/* Append r, which the caller has applied to t already (it is applied again
 * when t had to be rebuilt from a file another process compacted). */
int journal_append(struct journal *j, struct ban_table *t, const struct jrec *r,
		   char *err, size_t errlen);
int journal_compact(struct journal *j, struct ban_table *t, int64_t now_ns, int64_t forget_ns,
		    char *err, size_t errlen);
/* True when enough records were appended that a compaction pays off. */
bool journal_wants_compaction(const struct journal *j, const struct ban_table *t);
void journal_close(struct journal *j);

#endif
