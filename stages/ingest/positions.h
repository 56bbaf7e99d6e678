/* positions.h - where each followed file was read up to.
 *
 * The file is text, one entry per line, written atomically (a temporary
 * file, fsync, rename, fsync of the directory) so a crash leaves the old or
 * the new version, never a torn one:
 *   ward-positions 1
 *   <dev> <inode> <offset> <path>
 * An entry is found by device and inode first (a file renamed by rotation
 * keeps its place), then by path. An offset of -1 marks a .gz archive that
 * was read completely. Paths with a newline are not recorded.
 *
 * Ownership: the table owns its paths. */
#ifndef WARD_INGEST_POSITIONS_H
#define WARD_INGEST_POSITIONS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define POS_DONE (-1)

struct pos_entry {
	uint64_t dev, ino;
	int64_t offset;
	char *path;
};

struct pos_table {
	struct pos_entry *items;
	size_t len, cap;
};

void pos_free(struct pos_table *t);
/* Parse the text of a positions file (replacing t's entries). Returns 0, or
 * -1 when the text is not a positions file (t is left empty). */
int pos_parse(struct pos_table *t, const char *text, size_t len);
void pos_format(const struct pos_table *t, struct ward_buf *out);
/* Load path (a missing file is an empty table). 0 or -1 with errno. */
int pos_load(struct pos_table *t, const char *path);
/* Write atomically. 0 or -1 with errno. */
int pos_save(const struct pos_table *t, const char *path);
/* Replace path's content atomically (temporary file, fsync, rename, fsync
 * of the directory): also the journal's cursor file. 0 or -1 with errno. */
int pos_write_atomic(const char *path, const char *data, size_t len);

const struct pos_entry *pos_find_inode(const struct pos_table *t, uint64_t dev, uint64_t ino);
const struct pos_entry *pos_find_path(const struct pos_table *t, const char *path);
/* Add or replace the entry of this inode (its path is updated). */
void pos_set(struct pos_table *t, uint64_t dev, uint64_t ino, int64_t offset, const char *path);
/* Drop the entries whose path no longer names their inode (the file was
 * deleted, or renamed out of sight). */
void pos_prune(struct pos_table *t);

#endif
