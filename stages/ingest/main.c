/* ward-ingest - text lines to ward events.
 *
 * This is the first ward-ingest: stdin and files, read once. Following files,
 * syslog, container logs and Loki come with issue 5. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exitcodes.h"
#include "stage.h"
#include "stages/ingest/lineevent.h"
#include "wtime.h"

struct ingest {
	struct lineevent_conf conf;
	const char *source;	/* value of the "filename" label, or NULL */
	struct ward_event ev;
	uint64_t *ts_fallbacks;
	bool events;		/* --format events: records are ward events */
	int64_t fixed_now;	/* --now, or WARD_TS_NONE for the clock */
};

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
	if (in->ev.ts_ns == WARD_TS_NONE && in->conf.ts_mode != TS_NONE) {
		in->ev.ts_ns = arrival_time(in, rec);
		++*in->ts_fallbacks;
	}
	return stage_emit(st, &in->ev);
}

static int on_record(void *ctx, struct ward_stage *st, const struct ward_record *rec)
{
	struct ingest *in = ctx;
	if (in->events)
		return on_event_record(in, st, rec);
	int64_t now = arrival_time(in, rec);
	if (!lineevent_build(&in->conf, &in->ev, rec->data, rec->len, now))
		++*in->ts_fallbacks;
	if (in->source)
		event_set_label(&in->ev, "filename", in->source, strlen(in->source));
	return stage_emit(st, &in->ev);
}

static const char synopsis[] = "[options] [FILE...]";
static const char description[] =
	"Read text lines from FILEs (or --in, default stdin) and write one ward event\n"
	"per line: the line, the --label labels (plus filename=FILE for files), and\n"
	"the time read from the line's start (--ts), else the arrival time.\n"
	"With --format events the input is ward events: each is validated, relabeled\n"
	"and written again; malformed records are counted and skipped.";
static const char epilog[] =
	"exit status: 0 done, 64 usage, 69 unavailable, 74 I/O error, 78 bad configuration.\n"
	"example: ward-ingest --label job=sshd --ts syslog /var/log/auth.log";

/* One FILE operand after another through the same stage and output. */
static int ingest_files(struct ward_stage *st, struct ingest *in, char **files, int nfiles,
			const struct stage_hooks *hooks)
{
	for (int i = 0; i < nfiles && st->exit_code == 0 && !st->output_closed; i++) {
		char err[256];
		st->in = input_open(files[i], &st->topts, err, sizeof err);
		if (!st->in) {
			log_error("opening %s failed: %s", files[i], err);
			st->exit_code = WARD_EX_IOERR;
			break;
		}
		in->source = strcmp(files[i], "-") == 0 ? NULL : files[i];
		stage_run(st, hooks, in);
		input_close(st->in);
		st->in = NULL;
	}
	return st->exit_code;
}

int main(int argc, char **argv)
{
	struct ward_common_opts common;
	struct opt_list labels = { 0 };
	const char *ts = "auto";
	const char *format = "raw";
	const char *now = NULL;
	common_opts_defaults(&common);
	const struct ward_opt table[] = {
		{ "label", 'l', OPT_LIST, &labels, "NAME=VALUE", "add a stream label to every event, repeatable", NULL },
		{ "format", 'F', OPT_STRING, &format, "FORMAT", "input records: raw (text lines, default) or events (ward events to validate and relabel)", NULL },
		{ "ts", 0, OPT_STRING, &ts, "MODE", "timestamp at the line's start: auto, rfc3339, syslog, epoch, none (default auto)", "WARD_INGEST_TS" },
		{ "now", 0, OPT_STRING, &now, "TIME", "RFC 3339 time taken as now: the year of syslog times and the fallback time (replays, tests)", NULL },
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
	if (strcmp(format, "raw") != 0 && strcmp(format, "events") != 0) {
		log_error("option --format: not raw or events: %s", format);
		return WARD_EX_USAGE;
	}
	in.events = format[0] == 'e';
	in.fixed_now = WARD_TS_NONE;
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
	struct ward_stage st;
	stage_init(&st, "ingest", &common);
	event_init(&in.ev);
	in.ts_fallbacks = counters_extra(&st.counters, "ts_fallback");
	const struct stage_hooks hooks = { .on_record = on_record };
	if (stage_open(&st, nops > 0) == 0) {
		if (nops > 0)
			ingest_files(&st, &in, argv + 1, nops, &hooks);
		else
			stage_run(&st, &hooks, &in);
	}
	rc = stage_finish(&st);
	event_free(&in.ev);
	lineevent_conf_free(&in.conf);
	opt_list_free(&labels);
	opt_list_free(&common.props);
	return rc;
}
