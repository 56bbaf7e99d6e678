/* positions.c - the positions file (see positions.h). */
#include "stages/ingest/positions.h"
#include "textio.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define POSITIONS_HEADER "ward-positions 1\n"

void positions_free(struct positions_table *t)
{
	for (size_t i = 0; i < t->len; i++)
		free(t->items[i].path);
	free(t->items);
	memset(t, 0, sizeof(*t));
}

static void positions_append(struct positions_table *t, uint64_t dev, uint64_t ino, int64_t off,
		       const char *path, size_t plen)
{
	if (t->len == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->items = ward_xrealloc(t->items, t->cap * sizeof(*t->items));
	}
	t->items[t->len++] = (struct positions_entry){ dev, ino, off, ward_xstrndup(path, plen) };
}

static int parse_u64(const char **p, const char *end, uint64_t *out)
{
	uint64_t v = 0;
	const char *s = *p;
	if (s >= end || *s < '0' || *s > '9')
		return -1;
	for (; s < end && *s >= '0' && *s <= '9'; s++) {
		if (v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (s >= end || *s != ' ')
		return -1;
	*p = s + 1;
	*out = v;
	return 0;
}

static int parse_line(struct positions_table *t, const char *s, const char *end)
{
	uint64_t dev, ino, off;
	int neg = 0;
	if (parse_u64(&s, end, &dev) || parse_u64(&s, end, &ino))
		return -1;
	if (s < end && *s == '-') {
		neg = 1;
		s++;
	}
	if (parse_u64(&s, end, &off) || off > INT64_MAX || (neg && off != 1) || s >= end ||
	    memchr(s, '\0', (size_t)(end - s)))
		return -1;
	positions_append(t, dev, ino, neg ? POSITIONS_DONE : (int64_t)off, s, (size_t)(end - s));
	return 0;
}

int positions_parse(struct positions_table *t, const char *text, size_t len)
{
	positions_free(t);
	size_t hl = strlen(POSITIONS_HEADER);
	if (len < hl || memcmp(text, POSITIONS_HEADER, hl) != 0)
		return -1;
	const char *p = text + hl, *end = text + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl || parse_line(t, p, nl) != 0) {
			positions_free(t);
			return -1;
		}
		p = nl + 1;
	}
	return 0;
}

void positions_format(const struct positions_table *t, struct ward_buf *out)
{
	buf_append_str(out, POSITIONS_HEADER);
	for (size_t i = 0; i < t->len; i++) {
		const struct positions_entry *e = &t->items[i];
		if (!e->path[0] || strchr(e->path, '\n'))
			continue;
		buf_printf(out, "%" PRIu64 " %" PRIu64 " %" PRId64 " %s\n", e->dev, e->ino,
			   e->offset, e->path);
	}
}

int positions_load(struct positions_table *t, const char *path)
{
	positions_free(t);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	struct ward_buf b = WARD_BUF_INIT;
	char chunk[65536];
	ssize_t n;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		buf_append(&b, chunk, (size_t)n);
	int e = errno;
	close(fd);
	int rc = n < 0 ? -1 : positions_parse(t, b.data ? b.data : "", b.len);
	if (n >= 0 && rc != 0)
		e = EINVAL;
	buf_free(&b);
	errno = e;
	return rc;
}


int positions_write_atomic(const char *path, const char *data, size_t len)
{
	struct ward_buf tmp = WARD_BUF_INIT;
	buf_printf(&tmp, "%s.tmp", path);
	int rc = -1, e = 0;
	int fd = open(buf_cstr(&tmp), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd >= 0) {
		rc = write_full(fd, data, len) || fsync(fd) ? -1 : 0;
		e = errno;
		close(fd);
		if (rc == 0 && rename(buf_cstr(&tmp), path) != 0) {
			rc = -1;
			e = errno;
		}
		if (rc != 0)
			unlink(buf_cstr(&tmp));
	} else {
		e = errno;
	}
	if (rc == 0) {
		/* The rename is durable only once the directory is. */
		char *copy = ward_xstrdup(path);
		int dfd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
		free(copy);
	}
	buf_free(&tmp);
	errno = e;
	return rc;
}

int positions_save(const struct positions_table *t, const char *path)
{
	struct ward_buf text = WARD_BUF_INIT;
	positions_format(t, &text);
	int rc = positions_write_atomic(path, text.data ? text.data : "", text.len);
	int e = errno;
	buf_free(&text);
	errno = e;
	return rc;
}

const struct positions_entry *positions_find_inode(const struct positions_table *t, uint64_t dev, uint64_t ino)
{
	for (size_t i = 0; i < t->len; i++)
		if (t->items[i].dev == dev && t->items[i].ino == ino)
			return &t->items[i];
	return NULL;
}

const struct positions_entry *positions_find_path(const struct positions_table *t, const char *path)
{
	for (size_t i = 0; i < t->len; i++)
		if (strcmp(t->items[i].path, path) == 0)
			return &t->items[i];
	return NULL;
}

void positions_set(struct positions_table *t, uint64_t dev, uint64_t ino, int64_t offset, const char *path)
{
	for (size_t i = 0; i < t->len; i++)
		if (t->items[i].dev == dev && t->items[i].ino == ino) {
			t->items[i].offset = offset;
			if (strcmp(t->items[i].path, path) != 0) {
				free(t->items[i].path);
				t->items[i].path = ward_xstrdup(path);
			}
			return;
		}
	positions_append(t, dev, ino, offset, path, strlen(path));
}

void positions_prune(struct positions_table *t)
{
	size_t w = 0;
	for (size_t i = 0; i < t->len; i++) {
		struct stat st;
		struct positions_entry *e = &t->items[i];
		if (stat(e->path, &st) == 0 && (uint64_t)st.st_dev == e->dev &&
		    (uint64_t)st.st_ino == e->ino)
			t->items[w++] = *e;
		else
			free(e->path);
	}
	t->len = w;
}
