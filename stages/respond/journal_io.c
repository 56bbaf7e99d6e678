/* journal_io.c - journal file operations (see journal_io.h). */
#include "stages/respond/journal_io.h"
#include "textio.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static int fail(char *err, size_t errlen, const char *what, const char *path)
{
	snprintf(err, errlen, "%s %s: %s", what, path, strerror(errno));
	return -1;
}

static int open_file(struct journal *j, char *err, size_t errlen)
{
	struct stat sb;

	j->fd = open(j->path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (j->fd < 0)
		return fail(err, errlen, "cannot open journal", j->path);
	if (fstat(j->fd, &sb) != 0)
		return fail(err, errlen, "cannot stat journal", j->path);
	j->dev = sb.st_dev;
	j->ino = sb.st_ino;
	j->read_off = 0;
	return 0;
}

/* Read [read_off, EOF) and replay its complete lines. A torn tail (a crash
 * in the middle of a write) is cut off while we hold the lock, so the next
 * append does not glue onto it. */
static int catch_up(struct journal *j, struct ban_table *t, bool may_truncate, char *err,
		    size_t errlen)
{
	struct stat sb;

	if (fstat(j->fd, &sb) != 0)
		return fail(err, errlen, "cannot stat journal", j->path);
	if ((uint64_t)sb.st_size <= j->read_off)
		return 0;
	size_t want = (size_t)((uint64_t)sb.st_size - j->read_off);
	buf_reset(&j->scratch);
	buf_reserve(&j->scratch, want + 1);
	size_t got = 0;
	while (got < want) {
		ssize_t n = pread(j->fd, j->scratch.data + got, want - got, (off_t)(j->read_off + got));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return fail(err, errlen, "cannot read journal", j->path);
		if (n == 0)
			break;
		got += (size_t)n;
	}
	size_t before = j->stats.records;
	size_t used = journal_replay(t, j->scratch.data, got, &j->stats);
	j->read_off += used;
	if (used < got && may_truncate && ftruncate(j->fd, (off_t)j->read_off) != 0)
		return fail(err, errlen, "cannot truncate torn journal tail", j->path);
	return (int)(j->stats.records - before);
}

/* Lock the file that is at j->path now (a compaction may have replaced it)
 * and replay what we have not seen. Returns 0, 1 when t was rebuilt from a
 * new file (changes the caller made to t and has not journaled yet are
 * gone from it), or -1. */
static int lock_current(struct journal *j, struct ban_table *t, char *err, size_t errlen)
{
	int rebuilt = 0;
	for (int tries = 0; tries < 100; tries++) {
		struct stat sb;
		if (flock(j->fd, LOCK_EX) != 0)
			return fail(err, errlen, "cannot lock journal", j->path);
		if (stat(j->path, &sb) == 0 && sb.st_dev == j->dev && sb.st_ino == j->ino)
			return catch_up(j, t, true, err, errlen) < 0 ? -1 : rebuilt;
		close(j->fd);
		if (open_file(j, err, errlen) != 0)
			return -1;
		bantable_clear(t);
		rebuilt = 1;
	}
	snprintf(err, errlen, "journal %s keeps being replaced", j->path);
	return -1;
}

static void unlock(struct journal *j)
{
	flock(j->fd, LOCK_UN);
}


int journal_open(struct journal *j, const char *path, struct ban_table *t, char *err, size_t errlen)
{
	memset(j, 0, sizeof(*j));
	j->fd = -1;
	j->path = ward_xstrdup(path);
	bantable_clear(t);
	if (open_file(j, err, errlen) != 0)
		return -1;
	int rc = lock_current(j, t, err, errlen) < 0 ? -1 : 0;
	struct stat sb;
	/* A new journal starts with its header, so the file says what it is. */
	if (rc == 0 && fstat(j->fd, &sb) == 0 && sb.st_size == 0) {
		static const char header[] = JOURNAL_HEADER "\n";
		if (write_full(j->fd, header, sizeof(header) - 1) != 0 || fdatasync(j->fd) != 0)
			rc = fail(err, errlen, "cannot write journal", j->path);
		else
			j->read_off = sizeof(header) - 1;
	}
	unlock(j);
	/* Count what is in the file, so a journal that grew over many short
	 * runs is compacted too. */
	j->appended = j->stats.records;
	return rc;
}

int journal_sync(struct journal *j, struct ban_table *t, char *err, size_t errlen)
{
	struct stat cur, sb;

	if (stat(j->path, &cur) == 0 && cur.st_dev == j->dev && cur.st_ino == j->ino &&
	    fstat(j->fd, &sb) == 0 && (uint64_t)sb.st_size == j->read_off)
		return 0;	/* the common case: nothing new, no lock taken */
	size_t before = j->stats.records;
	if (lock_current(j, t, err, errlen) < 0) {
		unlock(j);
		return -1;
	}
	unlock(j);
	return (int)(j->stats.records - before);
}

int journal_append(struct journal *j, struct ban_table *t, const struct jrec *r,
		   char *err, size_t errlen)
{
	int rebuilt = lock_current(j, t, err, errlen);
	if (rebuilt < 0) {
		unlock(j);
		return -1;
	}
	/* The caller applied r to t before; a table rebuilt from a file
	 * another process compacted does not have it yet. */
	if (rebuilt)
		journal_apply(t, r);
	buf_reset(&j->scratch);
	journal_format(r, &j->scratch);
	int rc = 0;
	if (write_full(j->fd, j->scratch.data, j->scratch.len) != 0 || fdatasync(j->fd) != 0)
		rc = fail(err, errlen, "cannot write journal", j->path);
	else
		j->read_off += j->scratch.len;
	unlock(j);
	if (rc == 0)
		j->appended++;
	return rc;
}

static int fsync_dir(const char *path)
{
	char *copy = ward_xstrdup(path);
	int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = fd >= 0 && fsync(fd) == 0 ? 0 : -1;

	if (fd >= 0)
		close(fd);
	free(copy);
	return rc;
}

int journal_compact(struct journal *j, struct ban_table *t, int64_t now_ns, int64_t forget_ns,
		    char *err, size_t errlen)
{
	struct ward_buf tmp = WARD_BUF_INIT;
	int rc = -1;

	if (lock_current(j, t, err, errlen) < 0)
		goto out;
	buf_printf(&tmp, "%s.tmp", j->path);
	buf_reset(&j->scratch);
	journal_snapshot(t, now_ns, forget_ns, &j->scratch);
	int fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		fail(err, errlen, "cannot create", tmp.data);
		goto out;
	}
	if (write_full(fd, j->scratch.data, j->scratch.len) != 0 || fsync(fd) != 0) {
		fail(err, errlen, "cannot write", tmp.data);
		close(fd);
		goto out;
	}
	close(fd);
	if (rename(tmp.data, j->path) != 0) {
		fail(err, errlen, "cannot rename over", j->path);
		goto out;
	}
	fsync_dir(j->path);
	int old = j->fd;
	if (open_file(j, err, errlen) != 0) {
		j->fd = old;
		goto out;
	}
	close(old);	/* releases the lock on the old inode */
	j->read_off = j->scratch.len;
	j->appended = 0;
	rc = 0;
out:
	if (j->fd >= 0)
		unlock(j);
	buf_free(&tmp);
	return rc;
}

bool journal_wants_compaction(const struct journal *j, const struct ban_table *t)
{
	return j->appended > 1024 + 2 * t->len;
}

void journal_close(struct journal *j)
{
	if (j->fd >= 0)
		close(j->fd);
	j->fd = -1;
	free(j->path);
	j->path = NULL;
	buf_free(&j->scratch);
}
