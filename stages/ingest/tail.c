/* tail.c - follow files and globs (see tail.h). */
#include "stages/ingest/tail.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <libgen.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "event.h"
#include "log.h"
#include "signals.h"
#include "stages/ingest/positions.h"
#include "wtime.h"

#define READ_CHUNK (256 * 1024)
#define CHECK_NS (250 * 1000000LL)
#define RESCAN_NS (1000 * 1000000LL)
#define SAVE_NS (1000 * 1000000LL)
/* A rotated file stays open this long after its last growth: writers go on
 * writing to the renamed file until they reopen (logrotate's postrotate). */
#define GRACE_NS (1000 * 1000000LL)

struct tfile {
	char *path;
	int fd;
	gzFile gz;
	uint64_t dev, ino;
	int64_t done_off;	/* file offset just after the last line returned */
	char *buf;
	size_t cap, start, end;	/* unread bytes buf[start..end) begin at done_off */
	const char *nl;		/* next '\n' in buf[start..end), or NULL if unknown */
	bool nl_none;		/* searched: no '\n' in buf[start..end) */
	bool skipping;		/* inside a line longer than max_line */
	bool at_eof;		/* read returned 0 since the last check */
	bool gone;		/* path no longer names this inode: drain, close */
	int64_t quiet_since;	/* gone: monotonic time of its last growth */
	bool is_gz;
	bool closed;
};

struct tail {
	struct ingest_source src;
	struct tail_conf conf;
	char **patterns;
	struct tfile **files;
	size_t nfiles, cap;
	size_t cur;
	struct positions_table known;	/* positions of every file seen */
	int ino_fd;
	int64_t next_check, next_rescan, last_save;
	bool dirty;		/* positions changed since saved */
	bool flush_point;	/* buffered() said no: the stage flushed */
	bool rescan_now;
	struct ward_ratelimit rl;
};

static void tfile_close(struct tfile *f)
{
	if (f->gz)
		gzclose(f->gz);	/* also closes fd */
	else if (f->fd >= 0)
		close(f->fd);
	f->gz = NULL;
	f->fd = -1;
	f->closed = true;
}

static void tfile_free(struct tfile *f)
{
	tfile_close(f);
	free(f->path);
	free(f->buf);
	free(f);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static struct tfile *tfile_open(struct tail *t, const char *path, int64_t offset)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		log_warn_limited(&t->rl, "opening %s failed: %s", path, strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return NULL;
	}
	struct tfile *f = ward_xcalloc(1, sizeof(*f));
	f->path = ward_xstrdup(path);
	f->fd = fd;
	f->dev = (uint64_t)st.st_dev;
	f->ino = (uint64_t)st.st_ino;
	f->is_gz = ends_with(path, ".gz");
	if (f->is_gz) {
		f->gz = gzdopen(fd, "rb");
		if (!f->gz)
			ward_oom();
		offset = 0;	/* archives are read whole */
	} else if (offset > st.st_size) {
		log_info("%s is shorter than its saved position: reading it from the start", path);
		offset = 0;
	}
	if (offset > 0 && lseek(fd, offset, SEEK_SET) < 0)
		offset = 0;
	f->done_off = offset;
	f->cap = READ_CHUNK;
	f->buf = ward_xmalloc(f->cap);
	return f;
}

static void add_file(struct tail *t, struct tfile *f)
{
	if (t->nfiles == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 8;
		t->files = ward_xrealloc(t->files, t->cap * sizeof(*t->files));
	}
	t->files[t->nfiles++] = f;
	positions_set(&t->known, f->dev, f->ino, f->done_off, f->path);
	t->dirty = true;
}

static struct tfile *find_open_inode(struct tail *t, uint64_t dev, uint64_t ino)
{
	for (size_t i = 0; i < t->nfiles; i++)
		if (!t->files[i]->closed && t->files[i]->dev == dev && t->files[i]->ino == ino)
			return t->files[i];
	return NULL;
}

static bool path_open(struct tail *t, const char *path)
{
	for (size_t i = 0; i < t->nfiles; i++)
		if (!t->files[i]->closed && !t->files[i]->gone && strcmp(t->files[i]->path, path) == 0)
			return true;
	return false;
}

/* A path matched a pattern: start following it unless it already is. */
static void discover(struct tail *t, const char *path, bool initial)
{
	struct stat st;
	if (path_open(t, path) || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return;
	struct tfile *same = find_open_inode(t, (uint64_t)st.st_dev, (uint64_t)st.st_ino);
	if (same) {
		/* Renamed while we read it (rotation): same file, new name. */
		free(same->path);
		same->path = ward_xstrdup(path);
		same->gone = false;
		return;
	}
	const struct positions_entry *e = positions_find_inode(&t->known, (uint64_t)st.st_dev, (uint64_t)st.st_ino);
	int64_t offset = 0;
	if (e && e->offset == POSITIONS_DONE)
		return;	/* an archive already read */
	if (e)
		offset = e->offset;
	else if (initial && t->conf.from_end && !ends_with(path, ".gz") && !positions_find_path(&t->known, path))
		offset = st.st_size;
	struct tfile *f = tfile_open(t, path, offset);
	log_debug("following %s from offset %lld", path, (long long)offset);
	if (f)
		add_file(t, f);
}

/* Expand the patterns and follow what they name. Returns how many patterns
 * named no file. */
static size_t rescan(struct tail *t, bool initial)
{
	size_t unmatched = 0;
	/* Forget deleted files first: their inode numbers get reused. At start
	 * the entries must stay, to find files renamed while we were down. */
	if (!initial) {
		for (size_t i = 0; i < t->nfiles; i++)
			if (!t->files[i]->closed && !t->files[i]->is_gz)
				positions_set(&t->known, t->files[i]->dev, t->files[i]->ino,
					t->files[i]->done_off, t->files[i]->path);
		positions_prune(&t->known);
	}
	for (size_t i = 0; i < t->conf.npatterns; i++) {
		glob_t g;
		memset(&g, 0, sizeof(g));
		struct stat st;
		if (glob(t->patterns[i], GLOB_NOSORT | GLOB_BRACE, NULL, &g) == 0) {
			for (size_t j = 0; j < g.gl_pathc; j++)
				discover(t, g.gl_pathv[j], initial);
		} else if (stat(t->patterns[i], &st) == 0) {
			discover(t, t->patterns[i], initial);	/* a name holding '[' */
		} else {
			unmatched++;
		}
		globfree(&g);
	}
	t->next_rescan = time_mono_ns() + RESCAN_NS;
	return unmatched;
}

/* Has the path moved on from this inode, or has the file shrunk? */
static void check_file(struct tail *t, struct tfile *f)
{
	f->at_eof = false;
	if (f->closed || f->gone || f->is_gz)
		return;
	struct stat st;
	if (stat(f->path, &st) != 0 || (uint64_t)st.st_ino != f->ino || (uint64_t)st.st_dev != f->dev) {
		log_debug("%s: now another file or gone: reading the old one to its end", f->path);
		f->gone = true;
		f->quiet_since = time_mono_ns();
		t->rescan_now = true;
		return;
	}
	int64_t read_off = f->done_off + (int64_t)(f->end - f->start);
	if (st.st_size < read_off) {
		log_info("%s was truncated: reading it from the start", f->path);
		lseek(f->fd, 0, SEEK_SET);
		f->done_off = 0;
		f->start = f->end = 0;
		f->nl = NULL;
		f->nl_none = false;
		f->skipping = false;
		t->dirty = true;
	}
}

static void check_all(struct tail *t)
{
	for (size_t i = 0; i < t->nfiles; i++)
		check_file(t, t->files[i]);
	t->next_check = time_mono_ns() + CHECK_NS;
	if (t->rescan_now || time_mono_ns() >= t->next_rescan) {
		t->rescan_now = false;
		rescan(t, false);
	}
}

/* Read more of f. Returns bytes read, 0 at end, -1 on error. */
static ssize_t fill(struct tail *t, struct tfile *f)
{
	if (f->start > 0 && (f->start == f->end || f->end + READ_CHUNK / 4 > f->cap)) {
		memmove(f->buf, f->buf + f->start, f->end - f->start);
		f->end -= f->start;
		f->start = 0;
		f->nl = NULL;
	}
	if (f->cap - f->end < READ_CHUNK / 4) {
		f->cap *= 2;
		f->buf = ward_xrealloc(f->buf, f->cap);
		f->nl = NULL;
	}
	ssize_t n;
	if (f->gz)
		n = gzread(f->gz, f->buf + f->end, (unsigned)(f->cap - f->end));
	else
		n = read(f->fd, f->buf + f->end, f->cap - f->end);
	if (n < 0) {
		if (errno == EINTR || errno == EAGAIN)
			return 0;
		log_warn_limited(&t->rl, "reading %s failed: %s", f->path, strerror(errno));
		return -1;
	}
	f->end += (size_t)n;
	if (n > 0)
		f->nl_none = false;
	return n;
}

static const char *find_nl(struct tfile *f)
{
	if (f->nl && f->nl >= f->buf + f->start)
		return f->nl;
	if (f->nl_none)
		return NULL;
	f->nl = memchr(f->buf + f->start, '\n', f->end - f->start);
	f->nl_none = f->nl == NULL;
	return f->nl;
}

/* Return the n bytes at start as a record (NUL-terminated by the caller)
 * and consume them plus `extra` bytes (the newline). */
static void take(struct tail *t, struct tfile *f, size_t n, size_t extra, struct ward_record *rec)
{
	rec->data = f->buf + f->start;
	rec->len = n;
	rec->ts_ns = WARD_TS_NONE;
	f->start += n + extra;
	f->done_off += (int64_t)(n + extra);
	f->nl = NULL;
	t->dirty = true;
	src_labels_set(&t->src.labels, "filename", f->path);
}

/* One line of f from its buffer: 1 a line, 0 none yet, 2 skipped a line. */
static int line_from_buffer(struct tail *t, struct tfile *f, bool final, struct ward_record *rec)
{
	const char *nl = find_nl(f);
	if (nl) {
		size_t n = (size_t)(nl - (f->buf + f->start));
		if (f->skipping || n > t->conf.max_line) {
			f->skipping = false;
			f->start += n + 1;
			f->done_off += (int64_t)n + 1;
			f->nl = NULL;
			if (t->conf.counters)
				t->conf.counters->oversized++;
			log_warn_limited(&t->rl, "%s: skipped a line longer than --max-line", f->path);
			return 2;
		}
		f->buf[f->start + n] = '\0';	/* records are NUL-terminated */
		take(t, f, n, 1, rec);
		return 1;
	}
	size_t avail = f->end - f->start;
	if (avail > t->conf.max_line) {
		/* Too long already: drop what we have and keep dropping. */
		f->skipping = true;
		f->start = f->end;
		f->done_off += (int64_t)avail;
		return 0;
	}
	if (final && avail > 0 && !f->skipping) {
		/* The file is finished: its last line has no newline. */
		if (f->end == f->cap) {
			f->cap++;
			f->buf = ward_xrealloc(f->buf, f->cap);
		}
		f->buf[f->end] = '\0';
		take(t, f, avail, 0, rec);
		return 1;
	}
	return 0;
}

/* Try f: a buffered line, else read and try again. */
static int next_of(struct tail *t, struct tfile *f, struct ward_record *rec)
{
	for (;;) {
		if (f->closed)
			return 0;
		bool final = f->at_eof && (f->is_gz || !t->conf.follow ||
					   (f->gone && time_mono_ns() - f->quiet_since >= GRACE_NS));
		int r = line_from_buffer(t, f, final, rec);
		if (r)
			return r;
		if (f->at_eof) {
			if (final) {
				positions_set(&t->known, f->dev, f->ino, f->is_gz ? POSITIONS_DONE : f->done_off, f->path);
				tfile_close(f);
				t->rescan_now = true;	/* a successor may be there */
			}
			return 0;
		}
		ssize_t n = fill(t, f);
		if (n <= 0)
			f->at_eof = true;
		else if (f->gone)
			f->quiet_since = time_mono_ns();
	}
}

static void save_positions(struct tail *t)
{
	if (!t->conf.positions_path || !t->dirty)
		return;
	for (size_t i = 0; i < t->nfiles; i++) {
		struct tfile *f = t->files[i];
		if (!f->closed && !f->is_gz)
			positions_set(&t->known, f->dev, f->ino, f->done_off, f->path);
	}
	positions_prune(&t->known);
	if (positions_save(&t->known, t->conf.positions_path) != 0)
		log_warn_limited(&t->rl, "saving positions to %s failed: %s", t->conf.positions_path,
				 strerror(errno));
	t->dirty = false;
	t->last_save = time_mono_ns();
}

static void drop_closed(struct tail *t)
{
	size_t w = 0;
	for (size_t i = 0; i < t->nfiles; i++) {
		if (t->files[i]->closed)
			tfile_free(t->files[i]);
		else
			t->files[w++] = t->files[i];
	}
	t->nfiles = w;
	if (t->cur >= t->nfiles)
		t->cur = 0;
}

static bool all_done(const struct tail *t)
{
	for (size_t i = 0; i < t->nfiles; i++)
		if (!t->files[i]->closed)
			return false;
	return true;
}

static enum rec_status wait_events(struct tail *t, int64_t deadline)
{
	int64_t now = time_mono_ns();
	int64_t until = t->next_check < deadline ? t->next_check : deadline;
	int ms = until > now ? (int)((until - now + 999999) / 1000000) : 0;
	struct pollfd p = { .fd = t->ino_fd, .events = POLLIN };
	int rc = poll(&p, 1, ms);
	if (rc > 0) {
		char evbuf[8192];
		while (read(t->ino_fd, evbuf, sizeof(evbuf)) > 0)
			;
		t->rescan_now = true;	/* a file may have been created */
		check_all(t);
	} else if (time_mono_ns() >= t->next_check) {
		check_all(t);
	}
	if (signals_stop_requested())
		return REC_STOPPED;
	return time_mono_ns() >= deadline ? REC_TIMEOUT : REC_OK;
}

/* The input's name is the file the last record came from, so the stage's
 * warnings (a malformed record, ...) name the file, not the pattern. */
static void name_input(struct tail *t, const char *path)
{
	if (strcmp(t->src.in.uri, path) != 0) {
		free(t->src.in.uri);
		t->src.in.uri = ward_xstrdup(path);
	}
}

static enum rec_status tail_next(struct ward_input *in, int timeout_ms, struct ward_record *rec)
{
	struct tail *t = (struct tail *)in;
	int64_t deadline = timeout_ms < 0 ? INT64_MAX : time_mono_ns() + (int64_t)timeout_ms * 1000000;
	if (t->flush_point && t->dirty && time_mono_ns() - t->last_save >= SAVE_NS)
		save_positions(t);
	for (;;) {
		if (signals_stop_requested())
			return REC_STOPPED;
		for (size_t k = 0; k < t->nfiles; k++) {
			size_t i = (t->cur + k) % t->nfiles;
			int r = next_of(t, t->files[i], rec);
			if (r == 1) {
				t->cur = i;
				t->flush_point = false;
				name_input(t, t->files[i]->path);
				return REC_OK;
			}
			if (r == 2)
				return REC_SKIPPED;
		}
		drop_closed(t);
		if (!t->conf.follow && all_done(t)) {
			save_positions(t);
			return REC_EOF;
		}
		if (t->flush_point)
			save_positions(t);	/* quiet: everything returned is out */
		if (t->rescan_now || time_mono_ns() >= t->next_check) {
			check_all(t);
			continue;
		}
		enum rec_status s = wait_events(t, deadline);
		if (s != REC_OK)
			return s;
	}
}

static bool tail_buffered(struct ward_input *in)
{
	struct tail *t = (struct tail *)in;
	bool b = t->cur < t->nfiles && !t->files[t->cur]->closed && find_nl(t->files[t->cur]) != NULL;
	if (!b)
		t->flush_point = true;
	return b;
}

static int tail_commit(struct ward_input *in)
{
	struct tail *t = (struct tail *)in;
	t->dirty = true;
	save_positions(t);
	return 0;
}

static void tail_close(struct ward_input *in)
{
	struct tail *t = (struct tail *)in;
	for (size_t i = 0; i < t->nfiles; i++)
		tfile_free(t->files[i]);
	free(t->files);
	for (size_t i = 0; i < t->conf.npatterns; i++)
		free(t->patterns[i]);
	free(t->patterns);
	positions_free(&t->known);
	if (t->ino_fd >= 0)
		close(t->ino_fd);
	ratelimit_flush(&t->rl);
	free(t->src.in.uri);
	free(t);
}

static const struct ward_input_ops tail_ops = {
	.next = tail_next,
	.buffered = tail_buffered,
	.commit = tail_commit,
	.close = tail_close,
};

static void watch_dirs(struct tail *t)
{
	for (size_t i = 0; i < t->conf.npatterns; i++) {
		char *copy = ward_xstrdup(t->patterns[i]);
		const char *dir = dirname(copy);
		if (!strpbrk(dir, "*?[{"))
			inotify_add_watch(t->ino_fd, dir, IN_MODIFY | IN_ATTRIB | IN_CREATE | IN_DELETE |
					  IN_MOVED_FROM | IN_MOVED_TO | IN_CLOSE_WRITE);
		free(copy);
	}
}

struct ingest_source *tail_open(const struct tail_conf *c, enum source_err *why, char *err,
				size_t errlen)
{
	struct tail *t = ward_xcalloc(1, sizeof(*t));
	t->conf = *c;
	t->rl = (struct ward_ratelimit)WARD_RATELIMIT_INIT(5, 10);
	t->src.in.ops = &tail_ops;
	t->src.in.uri = ward_xstrdup(c->npatterns ? c->patterns[0] : "files");
	t->patterns = ward_xcalloc(c->npatterns + 1, sizeof(*t->patterns));
	for (size_t i = 0; i < c->npatterns; i++)
		t->patterns[i] = ward_xstrdup(c->patterns[i]);
	t->ino_fd = -1;
	if (c->positions_path && positions_load(&t->known, c->positions_path) != 0) {
		snprintf(err, errlen, "positions file %s: %s", c->positions_path,
			 errno == EINVAL ? "not a ward positions file" : strerror(errno));
		*why = SOURCE_ERR_POSITIONS;
		tail_close(&t->src.in);
		return NULL;
	}
	if (c->follow) {
		t->ino_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
		if (t->ino_fd < 0) {
			snprintf(err, errlen, "inotify: %s", strerror(errno));
			*why = SOURCE_ERR_UNAVAILABLE;
			tail_close(&t->src.in);
			return NULL;
		}
		watch_dirs(t);
	}
	if (rescan(t, true) > 0 && !c->follow) {
		/* Read once: a pattern that names nothing is an error, as a
		 * missing FILE is. Followed patterns wait for their files. */
		for (size_t i = 0; i < c->npatterns; i++) {
			glob_t g;
			memset(&g, 0, sizeof(g));
			struct stat st;
			if (glob(c->patterns[i], GLOB_NOSORT | GLOB_BRACE, NULL, &g) != 0 &&
			    stat(c->patterns[i], &st) != 0)
				snprintf(err, errlen, "%s: no such file", c->patterns[i]);
			globfree(&g);
		}
		tail_close(&t->src.in);
		*why = SOURCE_ERR_NOENT;
		errno = ENOENT;
		return NULL;
	}
	t->next_check = time_mono_ns() + CHECK_NS;
	t->flush_point = true;
	return &t->src;
}
