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

#define POSITIONS_DONE (-1)

struct positions_entry {
	uint64_t dev, ino;
	int64_t offset;
	char *path;
};

struct positions_table {
	struct positions_entry *items;
	size_t len, cap;
};

void positions_free(struct positions_table *t);
/* Parse the text of a positions file (replacing t's entries). Returns 0, or
 * -1 when the text is not a positions file (t is left empty). */
int positions_parse(struct positions_table *t, const char *text, size_t len);
void positions_format(const struct positions_table *t, struct ward_buf *out);
/* Load path (a missing file is an empty table). 0 or -1 with errno. */
int positions_load(struct positions_table *t, const char *path);
/* Write atomically. 0 or -1 with errno. */
int positions_save(const struct positions_table *t, const char *path);
/* Replace path's content atomically (temporary file, fsync, rename, fsync
 * of the directory): also the journal's cursor file. 0 or -1 with errno. */
int positions_write_atomic(const char *path, const char *data, size_t len);

const struct positions_entry *positions_find_inode(const struct positions_table *t, uint64_t dev, uint64_t ino);
const struct positions_entry *positions_find_path(const struct positions_table *t, const char *path);
/* Add or replace the entry of this inode (its path is updated). */
void positions_set(struct positions_table *t, uint64_t dev, uint64_t ino, int64_t offset, const char *path);
/* Drop the entries whose path no longer names their inode (the file was
 * deleted, or renamed out of sight). */
void positions_prune(struct positions_table *t);

#endif
