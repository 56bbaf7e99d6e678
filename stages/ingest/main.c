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

#include "exitcodes.h"
#include "stage.h"
#include "loki_query.h"
#include "stage_cli.h"
#include "stages/ingest/ingest.h"
#include "stages/ingest/journal.h"
#include "stages/ingest/syslogsrv.h"
#include "stages/ingest/tail.h"
#include "wtime.h"

/* The stage's hooks: records through the processing (ingest.h), its events
 * and bad records back to the stage. */
static int sink_emit(void *ctx, const struct ward_event *ev)
{
	return stage_emit(ctx, ev);
}

static int sink_bad(void *ctx, const char *data, size_t len, const char *why)
{
	return stage_bad_record(ctx, data, len, why);
}

static int on_record(void *ctx, struct ward_stage *st, const struct ward_record *rec)
{
	(void)st;
	return ingest_record(ctx, rec);
}

/* --multiline-start: blocks whose source went quiet, and all at the end. */
static int on_tick(void *ctx, struct ward_stage *st, int64_t now_mono)
{
	(void)st;
	return ingest_idle(ctx, now_mono);
}

static int on_end(void *ctx, struct ward_stage *st)
{
	(void)st;
	return ingest_end(ctx);
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
	"--format docker or cri unwraps container runtime log lines; --format auditd\n"
	"splits audit.log records into fields (job=auditd). --regex and\n"
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
		ingest_set_file(in, files[i]);
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
static const char *default_job(const struct source_opts *so, int nops, const char *in_uri,
			       enum ingest_format format)
{
	if (format == INGEST_AUDITD)
		return "auditd";
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
		       int64_t fixed_now, char **ops, int nops, const struct stage_hooks *hooks)
{
	char err[512] = "";
	enum source_err why = SOURCE_ERR_UNAVAILABLE;
	struct ingest_source *src;
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
			.fixed_now = fixed_now, .counters = &st->counters,
		};
		src = syslogsrv_open(&c, &why, err, sizeof err);
	} else if (so->journal) {
		struct journal_conf c = {
			.paths = (const char *const *)ops, .npaths = (size_t)nops,
			.cursor_path = so->positions, .from_end = so->from_end,
			.follow = so->follow, .max_line = st->topts.max_line,
			.counters = &st->counters,
		};
		src = sdjournal_open(&c, &why, err, sizeof err);
	} else {
		struct tail_conf c = {
			.patterns = (const char *const *)ops, .npatterns = (size_t)nops,
			.positions_path = so->positions, .from_end = so->from_end,
			.follow = so->follow, .max_line = st->topts.max_line,
			.counters = &st->counters,
		};
		src = tail_open(&c, &why, err, sizeof err);
	}
	if (!src) {
		log_error("%s", err);
		st->exit_code = why == SOURCE_ERR_NOENT ? WARD_EX_IOERR
			      : why == SOURCE_ERR_POSITIONS ? WARD_EX_CONFIG : WARD_EX_UNAVAILABLE;
		return;
	}
	ingest_set_source(in, src);
	st->in = &src->in;
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
		{ "format", 'F', OPT_STRING, &format, "FORMAT", "input records: raw (text lines, default), events (ward events to validate and relabel), docker (json-file lines), cri (containerd/CRI-O lines), suricata (eve.json, fast.log), zeek (TSV or JSON logs), journal-json (journalctl -o json) or auditd (audit.log records, hex values decoded)", NULL },
		{ "ts", 0, OPT_STRING, &ts, "MODE", "the line's time: auto (an auditd record's msg=audit(...), its start in any common layout, else a JSON time member, else an access-log [dd/Mon/yyyy:...]), rfc3339, syslog or epoch at the start, none (default auto)", "WARD_INGEST_TS" },
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
	const struct stage_cli cli = { "ward-ingest", table, synopsis, description, epilog, &common };
	if (stage_cli_parse(&cli, argc, argv, &nops, &rc) != 0)
		return rc;

	struct lineevent_conf lines = { 0 };
	struct ingest_conf ic = { .fixed_now = WARD_TS_NONE, .follow = so.follow,
				  .max_line = common.max_line };
	const char *bad;
	if (ts_mode_parse(ts, &lines.ts_mode) != 0) {
		log_error("option --ts: unknown mode: %s", ts);
		return WARD_EX_USAGE;
	}
	if (ingest_format_parse(format, &ic.format) != 0) {
		log_error("option --format: not raw, events, docker, cri, suricata, zeek, journal-json or auditd: %s", format);
		return WARD_EX_USAGE;
	}
	if (check_sources(&so, nops) != 0)
		return WARD_EX_USAGE;
	if (so.ml_start && (ic.format != INGEST_RAW || so.journal || so.syslog_udp || so.syslog_tcp || so.loki)) {
		log_error("option --multiline-start: for text lines of files and stdin (--format raw)");
		return WARD_EX_USAGE;
	}
	if (so.ml_lines < 1 || so.ml_lines > 100000 || so.ml_wait <= 0) {
		log_error("options --multiline-max-lines (1..100000) and --multiline-max-wait (> 0): out of range");
		return WARD_EX_USAGE;
	}
	if (so.journal && ic.format != INGEST_RAW) {
		log_error("option --journal: reads journal entries, not --format %s", format);
		return WARD_EX_USAGE;
	}
	if (now && time_parse_rfc3339(now, strlen(now), &ic.fixed_now) != 0) {
		log_error("option --now: not an RFC 3339 time: %s", now);
		return WARD_EX_USAGE;
	}
	if (lineevent_labels(&lines, &labels, &bad) != 0) {
		log_error("option --label: not NAME=VALUE with a valid label name: %s", bad);
		lineevent_conf_free(&lines);
		opt_list_free(&labels);
		return WARD_EX_USAGE;
	}
	char xerr[256];
	struct multiline *ml = NULL;
	if (so.ml_start) {
		ml = multiline_new(so.ml_start, (unsigned)so.ml_lines, common.max_line, so.ml_wait,
				   xerr, sizeof xerr);
		if (!ml) {
			log_error("%s", xerr);
			lineevent_conf_free(&lines);
			opt_list_free(&labels);
			return WARD_EX_USAGE;
		}
	}
	struct extract *x = extract_new(so.regex, so.ts_json, xerr, sizeof xerr);
	if (!x && (so.regex || so.ts_json)) {
		log_error("%s", xerr);
		multiline_free(ml);
		lineevent_conf_free(&lines);
		opt_list_free(&labels);
		return WARD_EX_USAGE;
	}
	char *loki_in = NULL;
	if (so.loki) {
		loki_in = loki_uri(&so);
		common.in = loki_in;
	}
	ic.default_job = default_job(&so, nops, common.in, ic.format);
	for (size_t i = 0; i < lines.nlabels; i++)
		if (strcmp(lines.label_keys[i], "job") == 0)
			ic.default_job = NULL;
	/* Text lines: the default is one more configured label (no lookup per
	 * line); events keep a job they carry, so it is added only if absent. */
	ic.events = ic.format == INGEST_EVENTS || strncmp(common.in, "loki+", 5) == 0;
	if (ic.default_job && !ic.events) {
		lineevent_add_label(&lines, "job", ic.default_job);
		ic.default_job = NULL;
	}
	bool own_source = so.syslog_udp || so.syslog_tcp || so.journal ||
			  (nops > 0 && wants_tail(&so, argv + 1, nops));
	bool ts_none = lines.ts_mode == TS_NONE;
	struct ward_stage st;
	stage_init(&st, "ingest", &common);
	ic.ts_fallbacks = counters_extra(&st.counters, "ts_fallback");
	const struct ingest_sink sink = { sink_emit, sink_bad, &st };
	struct ingest *in = ingest_new(&ic, &lines, x, ml, &sink);
	/* A line costs about 0.3 us: a clock read after each (20 ns) was 14% of
	 * the stage. Its only use while input is buffered is the 100 ms tick. */
	const struct stage_hooks hooks = { .on_record = on_record, .on_tick = on_tick, .on_end = on_end,
					   .tick_ms = ml ? 100 : 0, .clock_every = 64 };
	if (stage_open(&st, nops > 0 || own_source) == 0) {
		if (own_source)
			run_source(&st, in, &so, ic.fixed_now, argv + 1, nops, &hooks);
		else if (nops > 0)
			ingest_files(&st, in, argv + 1, nops, &hooks);
		else
			stage_run(&st, &hooks, in);
	}
	if (*ic.ts_fallbacks > 0 && !ts_none)
		log_debug("%llu lines without a time ward-ingest could read carry the arrival time "
			  "(counter ts_fallback; see --ts, --regex, --ts-json)",
			  (unsigned long long)*ic.ts_fallbacks);
	rc = stage_finish(&st);
	ingest_free(in);
	opt_list_free(&labels);
	opt_list_free(&common.props);
	free(loki_in);
	return rc;
}
