/* ingest.c - one record to an event (moved out of main.c so unit tests
 * reach it; the logic is unchanged). */
#include "stages/ingest/ingest.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "log.h"
#include "stages/ingest/container.h"
#include "stages/ingest/records.h"
#include "wtime.h"

struct ingest {
	struct ingest_conf c;
	struct ingest_sink sink;
	struct lineevent_conf conf;
	struct ward_event ev;
	struct ward_event_parser parser;	/* --format events */
	uint64_t own_fallbacks;	/* where ts_fallbacks points when not given */
	const char *source;	/* the FILE operand being read, or NULL */
	int64_t source_mtime;	/* its mtime, or WARD_TS_NONE */
	const struct ingest_source *src;	/* a source of ours, or NULL */
	struct docker_parser docker;
	struct cont_asm cont;
	struct pathfacts *facts;
	struct extract *extract;	/* --regex, --ts-json, or NULL */
	struct recparse *records;	/* --format suricata|zeek|journal-json, or NULL */
	struct multiline *multiline;	/* --multiline-start, or NULL */
	unsigned fallback_shown;	/* -v: lines without a time shown so far */
};

int ingest_format_parse(const char *s, enum ingest_format *f)
{
	static const char *const names[] = { "raw", "events", "docker", "cri", "suricata", "zeek",
					     "journal-json", "auditd" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(s, names[i]) == 0) {
			*f = (enum ingest_format)i;
			return 0;
		}
	return -1;
}

struct ingest *ingest_new(const struct ingest_conf *c, struct lineevent_conf *lines,
			  struct extract *x, struct multiline *ml, const struct ingest_sink *sink)
{
	struct ingest *in = ward_xcalloc(1, sizeof *in);
	in->c = *c;
	if (!in->c.ts_fallbacks)
		in->c.ts_fallbacks = &in->own_fallbacks;
	in->sink = *sink;
	in->conf = *lines;
	memset(lines, 0, sizeof *lines);
	in->extract = x;
	in->multiline = ml;
	in->source_mtime = WARD_TS_NONE;
	event_init(&in->ev);
	if (event_parser_init(&in->parser) != 0)
		ward_oom();
	docker_parser_init(&in->docker);
	cont_asm_init(&in->cont, c->max_line, 100);
	in->facts = pathfacts_new(c->lookup);
	if (c->format == INGEST_SURICATA || c->format == INGEST_ZEEK ||
	    c->format == INGEST_JOURNAL_JSON || c->format == INGEST_AUDITD)
		in->records = recparse_new(c->format == INGEST_SURICATA ? REC_SURICATA
					   : c->format == INGEST_ZEEK ? REC_ZEEK
					   : c->format == INGEST_AUDITD ? REC_AUDITD : REC_JOURNAL_JSON);
	return in;
}

void ingest_free(struct ingest *in)
{
	if (!in)
		return;
	event_free(&in->ev);
	event_parser_free(&in->parser);
	docker_parser_free(&in->docker);
	cont_asm_free(&in->cont);
	pathfacts_free(in->facts);
	recparse_free(in->records);
	multiline_free(in->multiline);
	extract_free(in->extract);
	lineevent_conf_free(&in->conf);
	free(in);
}

void ingest_set_file(struct ingest *in, const char *filename)
{
	in->source = filename && strcmp(filename, "-") != 0 ? filename : NULL;
	in->source_mtime = WARD_TS_NONE;
	if (in->source && in->c.fixed_now == WARD_TS_NONE && !in->c.follow)
		in->source_mtime = pathfacts_mtime(in->facts, in->source);
}

void ingest_set_source(struct ingest *in, const struct ingest_source *src)
{
	in->src = src;
}

/* --now, else the clock. */
static int64_t arrival_now(const struct ingest *in)
{
	return in->c.fixed_now != WARD_TS_NONE ? in->c.fixed_now : time_now_ns();
}

/* The time that picks the year of BSD syslog times: --now; else for a file
 * read once its modification time (its newest line was written at or
 * before it: a replay of last December's log read in March gets last
 * year's December, a Dec -> Jan file gets two years); else the clock. The
 * clock is read into *now (when still WARD_TS_NONE) only then: a file of
 * timed lines needs no clock read per line. */
static int64_t year_reference(struct ingest *in, const char *filename, int64_t *now)
{
	int64_t mtime = WARD_TS_NONE;
	if (in->c.fixed_now == WARD_TS_NONE && !in->c.follow && filename)
		mtime = filename == in->source ? in->source_mtime : pathfacts_mtime(in->facts, filename);
	if (mtime != WARD_TS_NONE)
		return mtime;
	if (*now == WARD_TS_NONE)
		*now = arrival_now(in);
	return *now;
}

/* -v: the first lines whose time could not be read, so a user sees why
 * events carry the arrival time (the ts_fallback counter counts them all). */
static void note_fallback(struct ingest *in, const char *filename, const char *line, size_t len)
{
	++*in->c.ts_fallbacks;
	if (log_level() < LOG_LVL_DEBUG || in->fallback_shown >= 5 || in->conf.ts_mode == TS_NONE)
		return;
	in->fallback_shown++;
	int shown = len > 80 ? 80 : (int)len;
	log_debug("no time read in a line%s%s, arrival time used: %.*s%s%s",
		  filename ? " of " : "", filename ? filename : "", shown, line,
		  len > 80 ? "..." : "", in->fallback_shown == 5 ? " (no more shown)" : "");
}

static void add_default_job(struct ingest *in)
{
	if (in->c.default_job && !event_label(&in->ev, "job"))
		event_set_label(&in->ev, "job", in->c.default_job, strlen(in->c.default_job));
}

/* Labels the source knows; --label ones win. */
static void add_source_labels(struct ingest *in, const char *filename)
{
	if (filename && !event_label(&in->ev, "filename"))
		event_set_label(&in->ev, "filename", filename, strlen(filename));
	if (!in->src)
		return;
	const struct src_labels *l = &in->src->labels;
	for (size_t i = 0; i < l->n; i++)
		if (l->values[i] && !event_label(&in->ev, l->names[i]))
			event_set_label(&in->ev, l->names[i], l->values[i], strlen(l->values[i]));
}

static void add_conf_labels(struct ingest *in)
{
	for (size_t i = 0; i < in->conf.nlabels; i++)
		event_set_label(&in->ev, in->conf.label_keys[i], in->conf.label_vals[i],
				strlen(in->conf.label_vals[i]));
}

static int64_t arrival_time(const struct ingest *in, const struct ward_record *rec)
{
	if (rec->ts_ns != WARD_TS_NONE)
		return rec->ts_ns;
	return arrival_now(in);
}

static int bad(struct ingest *in, const struct ward_record *rec, const char *why)
{
	return in->sink.bad(in->sink.ctx, rec->data, rec->len, why);
}

static int emit(struct ingest *in)
{
	return in->sink.emit(in->sink.ctx, &in->ev);
}

/* --format events: validate and relabel events (archives, other tools). */
static int event_record(struct ingest *in, const struct ward_record *rec)
{
	char why[160];
	if (event_parse(&in->ev, &in->parser, rec->data, rec->len, why, sizeof why) != 0)
		return bad(in, rec, why);
	add_conf_labels(in);
	add_default_job(in);
	if (in->ev.ts_ns == WARD_TS_NONE && in->conf.ts_mode != TS_NONE) {
		in->ev.ts_ns = arrival_time(in, rec);
		++*in->c.ts_fallbacks;
	}
	return emit(in);
}

static const char *record_filename(const struct ingest *in)
{
	if (in->source)
		return in->source;
	if (in->src)
		for (size_t i = 0; i < in->src->labels.n; i++)
			if (strcmp(in->src->labels.names[i], "filename") == 0)
				return in->src->labels.values[i];
	return NULL;
}

/* --format docker/cri: unwrap, join partial lines, label stream and
 * container, take the runtime's time. */
static int container_record(struct ingest *in, const struct ward_record *rec)
{
	struct cont_line piece, whole;
	const char *why = NULL;
	int rc = in->c.format == INGEST_DOCKER ? docker_parse(&in->docker, rec->data, rec->len, &piece, &why)
					       : cri_parse(rec->data, rec->len, &piece, &why);
	if (rc != 0)
		return bad(in, rec, why);
	const char *filename = record_filename(in);
	if (!cont_asm_feed(&in->cont, filename ? filename : "-", &piece, &whole))
		return 0;	/* a partial line: wait for the rest */
	lineevent_build(&in->conf, &in->ev, whole.text, whole.len, whole.ts_ns, whole.ts_ns);
	int64_t parsed_ts;
	if (in->extract)
		extract_apply(in->extract, &in->ev, whole.text, whole.len, whole.ts_ns, &parsed_ts);
	in->ev.ts_ns = whole.ts_ns;	/* the runtime's time wins */
	add_source_labels(in, filename);
	event_set_label(&in->ev, "stream", whole.stream, strlen(whole.stream));
	const char *name = filename ? pathfacts_container(in->facts, filename) : NULL;
	if (name && !event_label(&in->ev, "container"))
		event_set_label(&in->ev, "container", name, strlen(name));
	return emit(in);
}

/* --format suricata|zeek|journal-json: the record's fields, labels and
 * time (records.h); --label labels win over the record's. */
static int structured_record(struct ingest *in, const struct ward_record *rec)
{
	const char *why = NULL, *filename = record_filename(in);
	enum recparse_result r = recparse_line(in->records, filename ? filename : "-", rec->data,
					       rec->len, &in->ev, &why);
	if (r == RECPARSE_SKIP)
		return 0;
	if (r == RECPARSE_BAD)
		return bad(in, rec, why);
	add_conf_labels(in);
	if (in->ev.ts_ns == WARD_TS_NONE) {
		in->ev.ts_ns = arrival_time(in, rec);
		note_fallback(in, filename, rec->data, rec->len);
	}
	add_source_labels(in, in->source);
	return emit(in);
}

/* One text line (or joined block) of a file, stdin or our own source. */
static int emit_text(struct ingest *in, const char *data, size_t len, int64_t rec_ts,
		     const char *filename)
{
	int64_t now = rec_ts;	/* the arrival time, read when first needed */
	bool source_ts = in->src && in->src->ts_from_source && rec_ts != WARD_TS_NONE;
	int64_t year_ref = year_reference(in, filename, &now);
	bool line_ts = lineevent_build(&in->conf, &in->ev, data, len, now, year_ref);
	int64_t parsed_ts;
	/* Precedence: the source's time, a parser's, the line's (linetime.h),
	 * arrival. */
	if (in->extract && extract_apply(in->extract, &in->ev, data, len, year_ref, &parsed_ts)) {
		line_ts = true;
		in->ev.ts_ns = parsed_ts;
	}
	if (source_ts)
		in->ev.ts_ns = rec_ts;
	else if (!line_ts) {
		if (in->ev.ts_ns == WARD_TS_NONE)
			in->ev.ts_ns = arrival_now(in);
		note_fallback(in, filename, data, len);
	}
	add_source_labels(in, filename);
	return emit(in);
}

/* A joined block: its file is the block's source, its time its first
 * line's (or the arrival time). */
static int emit_block(struct ingest *in, const struct ml_block *b)
{
	const char *filename = strcmp(b->source, "-") == 0 ? NULL : b->source;
	return emit_text(in, b->text, b->len, WARD_TS_NONE, filename);
}

int ingest_record(struct ingest *in, const struct ward_record *rec)
{
	if (in->c.events)
		return event_record(in, rec);
	if (in->records)
		return structured_record(in, rec);
	if (in->c.format == INGEST_DOCKER || in->c.format == INGEST_CRI)
		return container_record(in, rec);
	const char *filename = record_filename(in);
	if (!in->multiline)
		return emit_text(in, rec->data, rec->len, rec->ts_ns, filename);
	struct ml_block b;
	while (multiline_feed(in->multiline, filename ? filename : "-", rec->data, rec->len,
			      time_mono_ns(), &b))
		if (emit_block(in, &b) != 0)
			return -1;
	return 0;
}

int ingest_idle(struct ingest *in, int64_t now_mono)
{
	struct ml_block b;
	while (in->multiline && multiline_idle(in->multiline, now_mono, &b))
		if (emit_block(in, &b) != 0)
			return -1;
	return 0;
}

int ingest_end(struct ingest *in)
{
	struct ml_block b;
	while (in->multiline && multiline_take(in->multiline, NULL, &b))
		if (emit_block(in, &b) != 0)
			return -1;
	return 0;
}
