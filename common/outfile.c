/* outfile.c - whole-file output: replace regular files, write through
 * special ones, refuse links out of their directory (outfile.h). */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "textio.h"

static int fail(char *err, size_t errlen, const char *what, const char *path)
{
	snprintf(err, errlen, "%s %s: %s", what, path, strerror(errno));
	return -1;
}

/* The directory part of path, resolved (NULL with errno on failure). */
static char *real_dir(const char *path)
{
	char *copy = ward_xstrdup(path);
	char *r = realpath(dirname(copy), NULL);
	free(copy);
	return r;
}

static int write_through(const char *path, const void *data, size_t len, char *err, size_t errlen)
{
	int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return fail(err, errlen, "cannot open", path);
	int rc = write_full(fd, data, len);
	int saved = errno;
	if (close(fd) != 0 && rc == 0) {
		saved = errno;
		rc = -1;
	}
	errno = saved;
	return rc == 0 ? 0 : fail(err, errlen, "writing", path);
}

static int replace(const char *path, const void *data, size_t len, char *err, size_t errlen)
{
	struct ward_buf tmp = WARD_BUF_INIT;
	buf_printf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	const char *t = buf_cstr(&tmp);
	int rc = -1;
	int fd = open(t, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (fd < 0) {
		fail(err, errlen, "cannot create", t);
		goto out;
	}
	if (write_full(fd, data, len) != 0 || fsync(fd) != 0) {
		fail(err, errlen, "writing", t);
		close(fd);
		unlink(t);
		goto out;
	}
	if (close(fd) != 0) {
		fail(err, errlen, "writing", t);
		unlink(t);
		goto out;
	}
	if (rename(t, path) != 0) {
		int saved = errno;
		unlink(t);
		errno = saved;
		fail(err, errlen, "cannot rename over", path);
		goto out;
	}
	rc = 0;
out:
	buf_free(&tmp);
	return rc;
}

int outfile_write(const char *path, const void *data, size_t len, char *err, size_t errlen)
{
	struct stat st;
	if (lstat(path, &st) != 0) {
		if (errno != ENOENT)
			return fail(err, errlen, "cannot inspect", path);
		return replace(path, data, len, err, errlen);
	}
	if (S_ISLNK(st.st_mode)) {
		char *target = realpath(path, NULL);
		if (target == NULL && errno != ENOENT)
			return fail(err, errlen, "cannot resolve the link", path);
		char *link_dir = real_dir(path);
		char *target_dir = target ? real_dir(target) : NULL;
		bool inside = link_dir && target_dir && strcmp(link_dir, target_dir) == 0;
		int rc;
		if (!target) {
			snprintf(err, errlen, "%s is a dangling symbolic link: refused", path);
			rc = -1;
		} else if (!inside) {
			snprintf(err, errlen, "%s is a symbolic link to %s, outside its directory: refused "
				 "(name the target itself to write there)", path, target);
			rc = -1;
		} else {
			rc = outfile_write(target, data, len, err, errlen);
		}
		free(target);
		free(link_dir);
		free(target_dir);
		return rc;
	}
	if (S_ISREG(st.st_mode))
		return replace(path, data, len, err, errlen);
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		return fail(err, errlen, "cannot write", path);
	}
	return write_through(path, data, len, err, errlen);
}
