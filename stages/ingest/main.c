/* ward-ingest - text lines to ward events.
 *
 * Sources: stdin or --in (any transport), FILE operands read once, files and
 * globs followed (--follow, tail.h), a syslog receiver (--syslog-udp/-tcp,
 * syslogsrv.h), Loki (--loki/--query, the Loki transport). --format docker
 * or cri unwraps container runtime log lines (container.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "exitcodes.h"
#include "stage.h"
#include "loki_query.h"
#include "stages/ingest/container.h"
#include "stages/ingest/extract.h"
#include "stages/ingest/journal.h"
#include "stages/ingest/lineevent.h"
#include "stages/ingest/multiline.h"
#include "stages/ingest/records.h"
#include "stages/ingest/source.h"
#include "stages/ingest/syslogsrv.h"
#include "stages/ingest/tail.h"
#include "wtime.h"

enum in_format { FMT_RAW, FMT_EVENTS, FMT_DOCKER, FMT_CRI, FMT_SURICATA, FMT_ZEEK, FMT_JOURNAL_JSON };

/* Container names by log path (config.v2.json is read once per file). */
struct name_cache {
	char **paths, **names;
	size_t len;
};

struct ingest {
	struct lineevent_conf conf;
	const char *source;	/* value of the "filename" label, or NULL */
	struct ward_event ev;
	uint64_t *ts_fallbacks;
	bool events;		/* --format events: records are ward events */
	enum in_format format;
	int64_t fixed_now;	/* --now, or WARD_TS_NONE for the clock */
	struct ingest_source *src;	/* a source of ours, or NULL */
	struct docker_parser docker;
	struct cont_asm cont;
	struct name_cache names;
	struct extract *extract;	/* --regex, --ts-json, or NULL */
	struct recparse *records;	/* --format suricata|zeek|journal-json, or NULL */
	struct multiline *multiline;	/* --multiline-start, or NULL */
	const char *default_job;	/* events input: the job label if they have none */
	bool follow;		/* --follow: the clock picks syslog years */
	char *ref_path;		/* the file whose mtime is ref_mtime */
	const char *ref_key;	/* the filename pointer it was last asked for */
	int64_t ref_mtime;	/* WARD_TS_NONE if it could not be read */
	unsigned fallback_shown;	/* -v: lines without a time shown so far */
};

/* The time that picks the year of BSD syslog times: --now; else for a file
 * read once its modification time (its newest line was written at or
 * before it: a replay of last December's log read in March gets last
 * year's December, a Dec -> Jan file gets two years); else the clock. */
static int64_t year_reference(struct ingest *in, const char *filename, int64_t now)
{
	if (in->fixed_now != WARD_TS_NONE || in->follow || !filename)
		return now;
	/* FILE operands: the same argv string for all of a file's lines. */
	if (filename == in->source && filename == in->ref_key)
		return in->ref_mtime != WARD_TS_NONE ? in->ref_mtime : now;
	in->ref_key = filename;
	if (!in->ref_path || strcmp(in->ref_path, filename) != 0) {
		struct stat sb;
		free(in->ref_path);
		in->ref_path = ward_xstrdup(filename);
		in->ref_mtime = stat(filename, &sb) == 0
			? (int64_t)sb.st_mtim.tv_sec * NS_PER_SEC + sb.st_mtim.tv_nsec : WARD_TS_NONE;
	}
	return in->ref_mtime != WARD_TS_NONE ? in->ref_mtime : now;
}

/* -v: the first lines whose time could not be read, so a user sees why
 * events carry the arrival time (the ts_fallback counter counts them all). */
static void note_fallback(struct ingest *in, const char *filename, const char *line, size_t len)
{
	++*in->ts_fallbacks;
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
	if (in->default_job && !event_label(&in->ev, "job"))
		event_set_label(&in->ev, "job", in->default_job, strlen(in->default_job));
}

static const char *cached_container_name(struct name_cache *c, const char *path)
{
	for (size_t i = 0; i < c->len; i++)
		if (strcmp(c->paths[i], path) == 0)
			return c->names[i];
	c->paths = ward_xrealloc(c->paths, (c->len + 1) * sizeof(*c->paths));
	c->names = ward_xrealloc(c->names, (c->len + 1) * sizeof(*c->names));
	c->paths[c->len] = ward_xstrdup(path);
	c->names[c->len] = container_name_for_path(path);
	return c->names[c->len++];
}

static void name_cache_free(struct name_cache *c)
{
	for (size_t i = 0; i < c->len; i++) {
		free(c->paths[i]);
		free(c->names[i]);
	}
	free(c->paths);
	free(c->names);
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

static int64_t arrival_time(const struct ingest *in, const struct ward_record *rec)
{
	if (rec->ts_ns != WARD_TS_NONE)
		return rec->ts_ns;
	return in->fixed_now != WARD_TS_NONE ? in->fixed_now : time_now_ns();
}

/* --format events: validate and relabel events (archives, other tools). */
static int on_event_record(struct ingest *in, struct ward_stage *st, const struct ward_record *rec)
{
	char why[160];
	if (event_parse(&in->ev, &st->parser, rec->data, rec->len, why, sizeof why) != 0)
		return stage_bad_record(st, rec->data, rec->len, why);
	for (size_t i = 0; i < in->conf.nlabels; i++)
		event_set_label(&in->ev, in->conf.label_keys[i], in->conf.label_vals[i],
				strlen(in->conf.label_vals[i]));
	add_default_job(in);
	if (in->ev.ts_ns == WARD_TS_NONE && in->conf.ts_mode != TS_NONE) {
		in->ev.ts_ns = arrival_time(in, rec);
		++*in->ts_fallbacks;
	}
	return stage_emit(st, &in->ev);
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
static int on_container_record(struct ingest *in, struct ward_stage *st, const struct ward_record *rec)
{
	struct cont_line piece, whole;
	const char *why = NULL;
	int rc = in->format == FMT_DOCKER ? docker_parse(&in->docker, rec->data, rec->len, &piece, &why)
					 : cri_parse(rec->data, rec->len, &piece, &why);
	if (rc != 0)
		return stage_bad_record(st, rec->data, rec->len, why);
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
	const char *name = filename ? cached_container_name(&in->names, filename) : NULL;
	if (name && !event_label(&in->ev, "container"))
		event_set_label(&in->ev, "container", name, strlen(name));
	return stage_emit(st, &in->ev);
}

/* --format suricata|zeek|journal-json: the record's fields, labels and
 * time (records.h); --label labels win over the record's. */
static int on_structured_record(struct ingest *in, struct ward_stage *st, const struct ward_record *rec)
{
	const char *why = NULL, *filename = record_filename(in);
	enum recparse_result r = recparse_line(in->records, filename ? filename : "-", rec->data,
					       rec->len, &in->ev, &why);
	if (r == RECPARSE_SKIP)
		return 0;
	if (r == RECPARSE_BAD)
		return stage_bad_record(st, rec->data, rec->len, why);
	for (size_t i = 0; i < in->conf.nlabels; i++)
		event_set_label(&in->ev, in->conf.label_keys[i], in->conf.label_vals[i],
				strlen(in->conf.label_vals[i]));
	if (in->ev.ts_ns == WARD_TS_NONE) {
		in->ev.ts_ns = arrival_time(in, rec);
		note_fallback(in, filename, rec->data, rec->len);
	}
	add_source_labels(in, in->source);
	return stage_emit(st, &in->ev);
}

/* One text line (or joined block) of a file, stdin or our own source. */
static int emit_text(struct ingest *in, struct ward_stage *st, const char *data, size_t len,
		     int64_t rec_ts, const char *filename)
{
	int64_t now = rec_ts != WARD_TS_NONE ? rec_ts
		    : in->fixed_now != WARD_TS_NONE ? in->fixed_now : time_now_ns();
	bool source_ts = in->src && in->src->ts_from_source && rec_ts != WARD_TS_NONE;
	int64_t year_ref = year_reference(in, filename, now);
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
	else if (!line_ts)
		note_fallback(in, filename, data, len);
	add_source_labels(in, filename);
	return stage_emit(st, &in->ev);
}

/* A joined block: its file is the block's source, its time its first
 * line's (or the arrival time). */
static int emit_block(struct ingest *in, struct ward_stage *st, const struct ml_block *b)
{
	const char *filename = strcmp(b->source, "-") == 0 ? NULL : b->source;
	return emit_text(in, st, b->text, b->len, WARD_TS_NONE, filename);
}

static int on_record(void *ctx, struct ward_stage *st, const struct ward_record *rec)
{
	struct ingest *in = ctx;
	if (in->events)
		return on_event_record(in, st, rec);
	if (in->records)
		return on_structured_record(in, st, rec);
	if (in->format == FMT_DOCKER || in->format == FMT_CRI)
		return on_container_record(in, st, rec);
	const char *filename = record_filename(in);
	if (!in->multiline)
		return emit_text(in, st, rec->data, rec->len, rec->ts_ns, filename);
	struct ml_block b;
	while (multiline_feed(in->multiline, filename ? filename : "-", rec->data, rec->len,
			      time_mono_ns(), &b))
		if (emit_block(in, st, &b) != 0)
			return -1;
	return 0;
}

/* --multiline-start: blocks whose source went quiet, and all at the end. */
static int on_tick(void *ctx, struct ward_stage *st, int64_t now_mono)
{
	struct ingest *in = ctx;
	struct ml_block b;
	while (in->multiline && multiline_idle(in->multiline, now_mono, &b))
		if (emit_block(in, st, &b) != 0)
			return -1;
	return 0;
}

static int on_end(void *ctx, struct ward_stage *st)
{
	struct ingest *in = ctx;
	struct ml_block b;
	while (in->multiline && multiline_take(in->multiline, NULL, &b))
		if (emit_block(in, st, &b) != 0)
			return -1;
	return 0;
}

static const char synopsis[] = "[options] [FILE|GLOB...]";
static const char description[] =
	"Read text lines from FILEs (or --in, default stdin) and write one ward event\n"
	"per line: the line, the --label labels (plus filename=FILE for files, and\n"
	"job=file|stdin|syslog|kafka|loki unless --label names a job), and the time\n"
	"read from the line (--ts), else the arrival time.\n"
	"--follow follows FILEs and GLOBs like tail -F (rotation, truncation, .gz read\n"
	"once) and resumes from --positions after a restart. --syslog-udp/--syslog-tcp\n"
	"receive syslog (RFC 3164 and 5424); --loki URL --query LOGQL reads Loki.\n"
	"--format docker or cri unwraps container runtime log lines. --regex and\n"
	"--ts-json take labels and the time from the line.\n"
	"With --format events the input is ward events: each is validated, relabeled\n"
	"and written again; malformed records are counted and skipped.";
static const char epilog[] =
	"exit status: 0 done, 64 usage, 69 unavailable, 74 I/O error, 78 bad configuration.\n"
	"example: ward-ingest --label job=sshd --ts syslog /var/log/auth.log\n"
	"example: ward-ingest -f --positions /var/lib/ward/pos --label job=varlogs '/var/log/*.log'";

/* One FILE operand after another through the same stage and output. */
static int ingest_files(struct ward_stage *st, struct ingest *in, char **files, int nfiles,
			const struct stage_hooks *hooks)
{
	for (int i = 0; i < nfiles && st->exit_code == 0 && !st->output_closed; i++) {
		char err[256];
		st->in = input_open(files[i], &st->topts, err, sizeof err);
		if (!st->in) {
			/* a mistyped scheme is a usage error, a file that fails to open I/O */
			st->exit_code = errno == EPROTONOSUPPORT ? WARD_EX_USAGE : WARD_EX_IOERR;
			log_error("opening %s failed: %s", files[i], err);
			break;
		}
		in->source = strcmp(files[i], "-") == 0 ? NULL : files[i];
		stage_run(st, hooks, in);
		input_close(st->in);
		st->in = NULL;
	}
	return st->exit_code;
}

struct source_opts {
	bool follow, from_beginning, from_end, journal;
	const char *positions;
	const char *syslog_udp, *syslog_tcp;
	long syslog_max_conn, syslog_max_per_host;
	int64_t syslog_idle;
	const char *loki, *query, *start, *end;
	const char *regex, *ts_json;
	const char *ml_start;
	long ml_lines;
	int64_t ml_wait;
};

static int parse_format(const char *s, enum in_format *f)
{
	static const char *const names[] = { "raw", "events", "docker", "cri", "suricata", "zeek",
					     "journal-json" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(s, names[i]) == 0) {
			*f = (enum in_format)i;
			return 0;
		}
	return -1;
}

/* Operands that need the tail source rather than a plain read: */
static bool wants_tail(const struct source_opts *so, char **ops, int nops)
{
	if (so->follow || so->positions)
		return true;
	for (int i = 0; i < nops; i++) {
		size_t n = strlen(ops[i]);
		if (strpbrk(ops[i], "*?[{") || (n > 3 && strcmp(ops[i] + n - 3, ".gz") == 0))
			return true;
	}
	return false;
}

/* --loki URL --query Q [--start] [--end]: the Loki input URI. */
static char *loki_uri(const struct source_opts *so)
{
	struct ward_buf b = WARD_BUF_INIT;
	const char *url = so->loki;
	if (strncmp(url, "loki+", 5) != 0)
		buf_append_str(&b, "loki+");
	buf_append_str(&b, url);
	buf_append_str(&b, strchr(url, '?') ? "&query=" : "?query=");
	loki_url_escape(&b, so->query);
	if (so->start) {
		buf_append_str(&b, "&start=");
		loki_url_escape(&b, so->start);
	}
	if (so->end) {
		buf_append_str(&b, "&end=");
		loki_url_escape(&b, so->end);
	}
	char *s = ward_xstrdup(buf_cstr(&b));
	buf_free(&b);
	return s;
}

/* The job label of events when --label gives none: the kind of source, so
 * rule selectors like {job=~".+"} (LogQL needs one non-empty matcher) match
 * without any option. */
static const char *default_job(const struct source_opts *so, int nops, const char *in_uri)
{
	if (so->syslog_udp || so->syslog_tcp)
		return "syslog";
	if (so->journal)
		return "journal";
	if (so->loki || strncmp(in_uri, "loki+", 5) == 0)
		return "loki";
	if (nops > 0)
		return "file";
	if (strcmp(in_uri, "-") == 0)
		return "stdin";
	if (strncmp(in_uri, "kafka://", 8) == 0)
		return "kafka";
	return "file";
}

static int check_sources(const struct source_opts *so, int nops)
{
	int kinds = (nops > 0 && !so->journal) + (so->syslog_udp || so->syslog_tcp) +
		    (so->loki != NULL) + so->journal;
	if (kinds > 1) {
		log_error("one source at a time: FILEs, --journal, --syslog-udp/--syslog-tcp, or --loki");
		return -1;
	}
	if (so->follow && nops == 0 && !so->journal) {
		log_error("option --follow: needs FILE or GLOB operands");
		return -1;
	}
	if (so->from_beginning && so->from_end) {
		log_error("options --from-beginning and --from-end exclude each other");
		return -1;
	}
	if (!so->loki != !so->query) {
		log_error("options --loki and --query go together");
		return -1;
	}
	if (so->syslog_max_conn < 1 || so->syslog_max_conn > 1024) {
		log_error("option --syslog-max-conn: not 1..1024: %ld", so->syslog_max_conn);
		return -1;
	}
	if (so->syslog_max_per_host < 1 || so->syslog_max_per_host > 1024) {
		log_error("option --syslog-max-conn-per-host: not 1..1024: %ld", so->syslog_max_per_host);
		return -1;
	}
	if (so->syslog_idle <= 0) {
		log_error("option --syslog-idle-timeout: not a positive duration");
		return -1;
	}
	return 0;
}

/* Open our own source in place of the stage's input and run. */
static void run_source(struct ward_stage *st, struct ingest *in, const struct source_opts *so,
		       char **ops, int nops, const struct stage_hooks *hooks)
{
	char err[512] = "";
	if (so->syslog_udp || so->syslog_tcp) {
		struct syslogsrv_conf c = {
			.udp = so->syslog_udp, .tcp = so->syslog_tcp,
			.max_conn = (unsigned)so->syslog_max_conn,
			.max_per_host = (unsigned)so->syslog_max_per_host,
			.max_msg = st->topts.max_line, .idle_timeout_ns = so->syslog_idle,
			/* A sender that connects and says nothing holds a slot for
			 * free: it gets a tenth of the idle timeout, at most 30 s. */
			.first_byte_timeout_ns = so->syslog_idle / 10 < 30 * NS_PER_SEC
						 ? so->syslog_idle / 10 : 30 * NS_PER_SEC,
			.fixed_now = in->fixed_now, .counters = &st->counters,
		};
		in->src = syslogsrv_open(&c, err, sizeof err);
	} else if (so->journal) {
		struct journal_conf c = {
			.paths = (const char *const *)ops, .npaths = (size_t)nops,
			.cursor_path = so->positions, .from_end = so->from_end,
			.follow = so->follow, .max_line = st->topts.max_line,
			.counters = &st->counters,
		};
		in->src = sdjournal_open(&c, err, sizeof err);
	} else {
		struct tail_conf c = {
			.patterns = (const char *const *)ops, .npatterns = (size_t)nops,
			.positions_path = so->positions, .from_end = so->from_end,
			.follow = so->follow, .max_line = st->topts.max_line,
			.counters = &st->counters,
		};
		in->src = tail_open(&c, err, sizeof err);
	}
	if (!in->src) {
		int e = errno;
		log_error("%s", err);
		st->exit_code = e == ENOENT ? WARD_EX_IOERR
			      : strstr(err, "positions") ? WARD_EX_CONFIG : WARD_EX_UNAVAILABLE;
		return;
	}
	st->in = &in->src->in;
	stage_run(st, hooks, in);
}

int main(int argc, char **argv)
{
	struct ward_common_opts common;
	struct opt_list labels = { 0 };
	const char *ts = "auto";
	const char *format = "raw";
	const char *now = NULL;
	struct source_opts so = { .syslog_max_conn = 64, .syslog_max_per_host = 8,
				  .syslog_idle = 300 * NS_PER_SEC, .ml_lines = 128, .ml_wait = 3 * NS_PER_SEC };
	common_opts_defaults(&common);
	const struct ward_opt table[] = {
		{ "label", 'l', OPT_LIST, &labels, "NAME=VALUE", "add a stream label to every event, repeatable", NULL },
		{ "format", 'F', OPT_STRING, &format, "FORMAT", "input records: raw (text lines, default), events (ward events to validate and relabel), docker (json-file lines), cri (containerd/CRI-O lines), suricata (eve.json, fast.log), zeek (TSV or JSON logs) or journal-json (journalctl -o json)", NULL },
		{ "ts", 0, OPT_STRING, &ts, "MODE", "the line's time: auto (its start in any common layout, else a JSON time member, else an access-log [dd/Mon/yyyy:...]), rfc3339, syslog or epoch at the start, none (default auto)", "WARD_INGEST_TS" },
		{ "now", 0, OPT_STRING, &now, "TIME", "RFC 3339 time taken as now: the year of syslog times and the fallback time (replays, tests)", NULL },
		{ "regex", 0, OPT_STRING, &so.regex, "RE", "PCRE2 regexp: named groups become labels, the group named ts the time", NULL },
		{ "ts-json", 0, OPT_STRING, &so.ts_json, "KEY", "time from member KEY of JSON object lines", NULL },
		{ "multiline-start", 0, OPT_STRING, &so.ml_start, "RE", "PCRE2 regexp of a multi-line event's first line: the lines after it that do not match are joined to it (stack traces), per file", NULL },
		{ "multiline-max-wait", 0, OPT_DURATION, &so.ml_wait, "DUR", "emit a multi-line event when its file is silent for DUR (default 3s)", NULL },
		{ "multiline-max-lines", 0, OPT_INT, &so.ml_lines, "N", "at most N lines in a multi-line event (default 128; also at most --max-line bytes)", NULL },
		{ "follow", 'f', OPT_FLAG, &so.follow, NULL, "follow FILE and GLOB operands like tail -F: rotation, truncation, new files", NULL },
		{ "positions", 0, OPT_STRING, &so.positions, "FILE", "remember read positions in FILE and resume from them", "WARD_INGEST_POSITIONS" },
		{ "from-beginning", 0, OPT_FLAG, &so.from_beginning, NULL, "read files without a saved position from their start (the default)", NULL },
		{ "from-end", 0, OPT_FLAG, &so.from_end, NULL, "skip what files without a saved position hold at start", NULL },
		{ "journal", 0, OPT_FLAG, &so.journal, NULL, "read the systemd journal (operands: journal files or one directory); --positions keeps its cursor, --follow waits for new entries", NULL },
		{ "syslog-udp", 0, OPT_STRING, &so.syslog_udp, "ADDR:PORT", "receive syslog datagrams on ADDR:PORT", NULL },
		{ "syslog-tcp", 0, OPT_STRING, &so.syslog_tcp, "ADDR:PORT", "receive syslog over TCP on ADDR:PORT (octet counting or newlines)", NULL },
		{ "syslog-max-conn", 0, OPT_INT, &so.syslog_max_conn, "N", "at most N syslog TCP connections at once (default 64)", NULL },
		{ "syslog-max-conn-per-host", 0, OPT_INT, &so.syslog_max_per_host, "N", "at most N syslog TCP connections from one address (default 8)", NULL },
		{ "syslog-idle-timeout", 0, OPT_DURATION, &so.syslog_idle, "DUR", "close a syslog TCP connection silent for DUR (default 5m; one that never sent a byte after a tenth of it, at most 30s)", NULL },
		{ "loki", 0, OPT_STRING, &so.loki, "URL", "read events from Loki at URL (http:// or https://) with --query", "WARD_LOKI_URL" },
		{ "query", 0, OPT_STRING, &so.query, "LOGQL", "the LogQL log query for --loki", NULL },
		{ "start", 0, OPT_STRING, &so.start, "TIME", "--loki: from TIME (RFC 3339, epoch, or a duration ago like 1h; default 1h)", NULL },
		{ "end", 0, OPT_STRING, &so.end, "TIME", "--loki: up to TIME, then exit (default: follow new entries)", NULL },
		WARD_COMMON_OPTS(&common),
		{ 0 },
	};
	int nops, rc;
	log_init("ward-ingest");
	if (opts_parse(table, argc, argv, &nops) != 0)
		return WARD_EX_USAGE;
	if (stage_common_flags(&common, table, synopsis, description, epilog, &rc))
		return rc;

	struct ingest in = { 0 };
	const char *bad;
	if (ts_mode_parse(ts, &in.conf.ts_mode) != 0) {
		log_error("option --ts: unknown mode: %s", ts);
		return WARD_EX_USAGE;
	}
	if (parse_format(format, &in.format) != 0) {
		log_error("option --format: not raw, events, docker, cri, suricata, zeek or journal-json: %s", format);
		return WARD_EX_USAGE;
	}
	if (check_sources(&so, nops) != 0)
		return WARD_EX_USAGE;
	if (so.ml_start && (in.format != FMT_RAW || so.journal || so.syslog_udp || so.syslog_tcp || so.loki)) {
		log_error("option --multiline-start: for text lines of files and stdin (--format raw)");
		return WARD_EX_USAGE;
	}
	if (so.ml_lines < 1 || so.ml_lines > 100000 || so.ml_wait <= 0) {
		log_error("options --multiline-max-lines (1..100000) and --multiline-max-wait (> 0): out of range");
		return WARD_EX_USAGE;
	}
	if (so.journal && in.format != FMT_RAW) {
		log_error("option --journal: reads journal entries, not --format %s", format);
		return WARD_EX_USAGE;
	}
	in.fixed_now = WARD_TS_NONE;
	in.follow = so.follow;
	if (now && time_parse_rfc3339(now, strlen(now), &in.fixed_now) != 0) {
		log_error("option --now: not an RFC 3339 time: %s", now);
		return WARD_EX_USAGE;
	}
	if (lineevent_labels(&in.conf, &labels, &bad) != 0) {
		log_error("option --label: not NAME=VALUE with a valid label name: %s", bad);
		lineevent_conf_free(&in.conf);
		opt_list_free(&labels);
		return WARD_EX_USAGE;
	}
	char xerr[256];
	if (so.ml_start) {
		in.multiline = multiline_new(so.ml_start, (unsigned)so.ml_lines, common.max_line, so.ml_wait,
					     xerr, sizeof xerr);
		if (!in.multiline) {
			log_error("%s", xerr);
			lineevent_conf_free(&in.conf);
			opt_list_free(&labels);
			return WARD_EX_USAGE;
		}
	}
	in.extract = extract_new(so.regex, so.ts_json, xerr, sizeof xerr);
	if (!in.extract && (so.regex || so.ts_json)) {
		log_error("%s", xerr);
		multiline_free(in.multiline);
		lineevent_conf_free(&in.conf);
		opt_list_free(&labels);
		return WARD_EX_USAGE;
	}
	char *loki_in = NULL;
	if (so.loki) {
		loki_in = loki_uri(&so);
		common.in = loki_in;
	}
	in.default_job = default_job(&so, nops, common.in);
	for (size_t i = 0; i < in.conf.nlabels; i++)
		if (strcmp(in.conf.label_keys[i], "job") == 0)
			in.default_job = NULL;
	/* Text lines: the default is one more configured label (no lookup per
	 * line); events keep a job they carry, so it is added only if absent. */
	in.events = in.format == FMT_EVENTS || strncmp(common.in, "loki+", 5) == 0;
	if (in.default_job && !in.events) {
		lineevent_add_label(&in.conf, "job", in.default_job);
		in.default_job = NULL;
	}
	bool own_source = so.syslog_udp || so.syslog_tcp || so.journal ||
			  (nops > 0 && wants_tail(&so, argv + 1, nops));
	struct ward_stage st;
	stage_init(&st, "ingest", &common);
	event_init(&in.ev);
	docker_parser_init(&in.docker);
	if (in.format == FMT_SURICATA || in.format == FMT_ZEEK || in.format == FMT_JOURNAL_JSON)
		in.records = recparse_new(in.format == FMT_SURICATA ? REC_SURICATA
					  : in.format == FMT_ZEEK ? REC_ZEEK : REC_JOURNAL_JSON);
	cont_asm_init(&in.cont, common.max_line, 100);
	in.ts_fallbacks = counters_extra(&st.counters, "ts_fallback");
	const struct stage_hooks hooks = { .on_record = on_record, .on_tick = on_tick, .on_end = on_end,
					   .tick_ms = in.multiline ? 100 : 0 };
	if (stage_open(&st, nops > 0 || own_source) == 0) {
		if (own_source)
			run_source(&st, &in, &so, argv + 1, nops, &hooks);
		else if (nops > 0)
			ingest_files(&st, &in, argv + 1, nops, &hooks);
		else
			stage_run(&st, &hooks, &in);
	}
	if (*in.ts_fallbacks > 0 && in.conf.ts_mode != TS_NONE)
		log_debug("%llu lines without a time ward-ingest could read carry the arrival time "
			  "(counter ts_fallback; see --ts, --regex, --ts-json)",
			  (unsigned long long)*in.ts_fallbacks);
	rc = stage_finish(&st);
	free(in.ref_path);
	event_free(&in.ev);
	docker_parser_free(&in.docker);
	recparse_free(in.records);
	multiline_free(in.multiline);
	cont_asm_free(&in.cont);
	name_cache_free(&in.names);
	extract_free(in.extract);
	lineevent_conf_free(&in.conf);
	opt_list_free(&labels);
	opt_list_free(&common.props);
	free(loki_in);
	return rc;
}
