/* journal.c - the systemd journal source (see journal.h). */
#include "stages/ingest/journal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <systemd/sd-journal.h>

#include "buf.h"
#include "log.h"
#include "signals.h"
#include "stages/ingest/positions.h"
#include "stages/ingest/records.h"
#include "stages/ingest/syslog.h"
#include "wtime.h"

#define CURSOR_MAGIC "ward-journal-cursor 1\n"
#define SAVE_NS (1000 * 1000 * 1000LL)

struct journal_src {
	struct ingest_source src;
	struct journal_conf conf;
	sd_journal *j;
	bool pending;		/* the current entry is positioned but not yet read */
	char *cursor;		/* of the last entry handed on */
	char *saved;		/* what the cursor file holds */
	int64_t last_save;
	struct ward_buf line, host, program, pid, unit;
	uint64_t *entries_skipped;
};

static int load_cursor(const char *path, char **cursor, char *err, size_t errlen)
{
	*cursor = NULL;
	FILE *f = fopen(path, "re");
	if (!f) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "journal positions %s: %s", path, strerror(errno));
		return -1;
	}
	char buf[1024];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	size_t ml = strlen(CURSOR_MAGIC);
	char *nl = n > ml ? strchr(buf + ml, '\n') : NULL;
	if (n <= ml || memcmp(buf, CURSOR_MAGIC, ml) != 0 || !nl || nl == buf + ml || nl[1] != '\0') {
		snprintf(err, errlen, "journal positions %s: not a ward journal cursor file", path);
		errno = EINVAL;
		return -1;
	}
	*cursor = ward_xstrndup(buf + ml, (size_t)(nl - buf - ml));
	return 0;
}

static void save_cursor(struct journal_src *s)
{
	if (!s->conf.cursor_path || !s->cursor || (s->saved && strcmp(s->saved, s->cursor) == 0))
		return;
	struct ward_buf b = WARD_BUF_INIT;
	buf_printf(&b, "%s%s\n", CURSOR_MAGIC, s->cursor);
	if (positions_write_atomic(s->conf.cursor_path, b.data, b.len) != 0)
		log_warn("saving the journal cursor to %s failed: %s", s->conf.cursor_path, strerror(errno));
	else {
		free(s->saved);
		s->saved = ward_xstrdup(s->cursor);
	}
	buf_free(&b);
	s->last_save = time_mono_ns();
}

/* The value of FIELD in the current entry (after "FIELD="), or NULL. */
static const char *field(sd_journal *j, const char *name, size_t *len)
{
	const void *d;
	size_t l, nl = strlen(name);
	if (sd_journal_get_data(j, name, &d, &l) < 0 || l <= nl)
		return NULL;
	*len = l - nl - 1;
	return (const char *)d + nl + 1;
}

/* Copy into an owned buffer: get_data's memory is valid only until the
 * next get_data call. */
static const char *keep(struct ward_buf *b, const char *s, size_t n, size_t *len)
{
	buf_reset(b);
	if (!s)
		return NULL;
	buf_append(b, s, n);
	*len = n;
	return buf_cstr(b);
}

static void build(struct journal_src *s, struct ward_record *rec)
{
	sd_journal *j = s->j;
	struct journal_entry e = { .priority = -1, .ts_ns = WARD_TS_NONE };
	size_t n;
	const char *v;
	v = field(j, "SYSLOG_IDENTIFIER", &n);
	if (!v)
		v = field(j, "_COMM", &n);
	e.ident = keep(&s->program, v, n, &e.ident_len);
	v = field(j, "SYSLOG_PID", &n);
	if (!v)
		v = field(j, "_PID", &n);
	e.pid = keep(&s->pid, v, n, &e.pid_len);
	v = field(j, "_HOSTNAME", &n);
	e.host = keep(&s->host, v, n, &e.host_len);
	v = field(j, "_SYSTEMD_UNIT", &n);
	e.unit = keep(&s->unit, v, n, &e.unit_len);
	v = field(j, "PRIORITY", &n);
	if (v && n == 1 && v[0] >= '0' && v[0] <= '7')
		e.priority = v[0] - '0';
	uint64_t usec;
	if (sd_journal_get_realtime_usec(j, &usec) >= 0 && usec <= (uint64_t)INT64_MAX / 1000)
		e.ts_ns = (int64_t)usec * 1000;
	/* MESSAGE last: journal_line copies it before any other get_data. */
	e.msg = field(j, "MESSAGE", &e.msg_len);
	if (!e.msg) {
		e.msg = "";
		e.msg_len = 0;
	}
	if (e.msg_len > s->conf.max_line)
		e.msg_len = s->conf.max_line;
	journal_line(&e, &s->line);

	struct src_labels *l = &s->src.labels;
	l->n = 0;
	if (e.host)
		src_labels_set(l, "host", e.host);
	if (e.ident)
		src_labels_set(l, "program", e.ident);
	if (e.pid)
		src_labels_set(l, "pid", e.pid);
	const char *sev = syslog_severity_name(e.priority);
	if (sev)
		src_labels_set(l, "severity", sev);
	if (e.unit)
		src_labels_set(l, "unit", e.unit);
	s->src.ts_from_source = e.ts_ns != WARD_TS_NONE;
	rec->ts_ns = e.ts_ns;
	rec->data = s->line.data ? s->line.data : "";
	rec->len = s->line.len;

	char *c = NULL;
	if (sd_journal_get_cursor(j, &c) >= 0) {
		free(s->cursor);
		s->cursor = c;
	}
}

static enum rec_status journal_next(struct ward_input *in, int timeout_ms, struct ward_record *rec)
{
	struct journal_src *s = (struct journal_src *)in;
	int64_t deadline = timeout_ms < 0 ? INT64_MAX : time_mono_ns() + (int64_t)timeout_ms * 1000000;
	/* Called again: everything handed on before is flushed (buffered()
	 * is always false), so the cursor may be saved. */
	if (time_mono_ns() - s->last_save >= SAVE_NS)
		save_cursor(s);
	for (;;) {
		if (signals_stop_requested())
			return REC_STOPPED;
		int r = 1;
		if (s->pending)
			s->pending = false;
		else
			r = sd_journal_next(s->j);
		if (r < 0) {
			log_error("reading the journal failed: %s", strerror(-r));
			return REC_ERROR;
		}
		if (r > 0) {
			build(s, rec);
			return REC_OK;
		}
		save_cursor(s);	/* quiet: everything handed on is out */
		if (!s->conf.follow)
			return REC_EOF;
		int64_t now = time_mono_ns();
		if (now >= deadline)
			return REC_TIMEOUT;
		int64_t left_us = (deadline - now) / 1000;
		/* Wake at least every 250 ms to see a stop request. */
		r = sd_journal_wait(s->j, (uint64_t)(left_us > 250000 ? 250000 : left_us));
		if (r < 0) {
			log_error("waiting for the journal failed: %s", strerror(-r));
			return REC_ERROR;
		}
	}
}

static int journal_commit(struct ward_input *in)
{
	save_cursor((struct journal_src *)in);
	return 0;
}

static void journal_close(struct ward_input *in)
{
	struct journal_src *s = (struct journal_src *)in;
	save_cursor(s);
	if (s->j)
		sd_journal_close(s->j);
	free(s->cursor);
	free(s->saved);
	buf_free(&s->line);
	buf_free(&s->host);
	buf_free(&s->program);
	buf_free(&s->pid);
	buf_free(&s->unit);
	free(s->src.in.uri);
	free(s);
}

static const struct ward_input_ops journal_ops = {
	.next = journal_next,
	.buffered = NULL,
	.commit = journal_commit,
	.close = journal_close,
};

static int open_journal(struct journal_src *s, char *err, size_t errlen)
{
	int r;
	struct stat sb;
	const struct journal_conf *c = &s->conf;
	if (c->npaths == 0) {
		r = sd_journal_open(&s->j, SD_JOURNAL_LOCAL_ONLY);
	} else if (c->npaths == 1 && stat(c->paths[0], &sb) == 0 && S_ISDIR(sb.st_mode)) {
		r = sd_journal_open_directory(&s->j, c->paths[0], 0);
	} else {
		for (size_t i = 0; i < c->npaths; i++)
			if (stat(c->paths[i], &sb) != 0 || !S_ISREG(sb.st_mode)) {
				snprintf(err, errlen, "journal %s: %s", c->paths[i],
					 errno ? strerror(errno) : "not a journal file (one directory, or files)");
				return -1;
			}
		const char **paths = ward_xcalloc(c->npaths + 1, sizeof *paths);
		memcpy(paths, c->paths, c->npaths * sizeof *paths);
		r = sd_journal_open_files(&s->j, paths, 0);
		free(paths);
	}
	if (r < 0) {
		errno = -r;
		snprintf(err, errlen, "opening the journal failed: %s", strerror(-r));
		return -1;
	}
	sd_journal_set_data_threshold(s->j, c->max_line + 64);
	return 0;
}

/* Where to start: after the saved cursor, else the head or the tail. */
static int position(struct journal_src *s, const char *cursor)
{
	if (cursor && sd_journal_seek_cursor(s->j, cursor) >= 0) {
		int r = sd_journal_next(s->j);
		if (r > 0 && sd_journal_test_cursor(s->j, cursor) <= 0) {
			/* The saved entry is gone (rotated, vacuumed): the one
			 * after it is unread. */
			log_info("journal: the saved cursor's entry is gone; continuing at the next one");
			s->pending = true;
		}
		s->cursor = ward_xstrdup(cursor);
		s->saved = ward_xstrdup(cursor);
		return 0;
	}
	if (cursor)
		log_warn("journal: the saved cursor is not in this journal; reading it from its %s",
			 s->conf.from_end ? "end" : "start");
	if (s->conf.from_end) {
		sd_journal_seek_tail(s->j);
		/* Onto the last entry, so next() gives only newer ones. */
		sd_journal_previous(s->j);
		return 0;
	}
	return sd_journal_seek_head(s->j);
}

struct ingest_source *sdjournal_open(const struct journal_conf *c, enum source_err *why, char *err,
				     size_t errlen)
{
	struct journal_src *s = ward_xcalloc(1, sizeof *s);
	s->conf = *c;
	s->src.in.ops = &journal_ops;
	s->src.in.uri = ward_xstrdup("journal");
	char *cursor = NULL;
	errno = 0;
	if (c->cursor_path && load_cursor(c->cursor_path, &cursor, err, errlen) != 0)
		*why = SOURCE_ERR_POSITIONS;
	else if (open_journal(s, err, errlen) != 0)
		*why = errno == ENOENT ? SOURCE_ERR_NOENT : SOURCE_ERR_UNAVAILABLE;
	else
		*why = 0;
	if (*why) {
		int e = errno;
		free(cursor);
		journal_close(&s->src.in);
		errno = e;
		return NULL;
	}
	position(s, cursor);
	free(cursor);
	s->last_save = time_mono_ns();
	return &s->src;
}
