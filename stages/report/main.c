/* ward-report - the incident report from alert, action and series events. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exitcodes.h"
#include "outfile.h"
#include "stage.h"
#include "stage_cli.h"
#include "stages/report/report.h"
#include "wtime.h"

static int on_event(void *ctx, struct ward_stage *st, struct ward_event *ev)
{
	(void)st;
	report_add_event(ctx, ev);
	return 0;
}

/* Write b to path: a regular file is replaced whole (a reader never sees
 * half a report); a FIFO, terminal or /dev/stdout is written through. */
static int write_file(const char *path, const struct ward_buf *b)
{
	char err[PATH_MAX + 256];
	if (outfile_write(path, b->data, b->len, err, sizeof err) != 0) {
		log_error("%s", err);
		return -1;
	}
	return 0;
}

/* The directory of an output file must be writable: found before reading
 * the whole input (and by ward-run's validation), not after. */
static int check_output_dir(const char *path)
{
	if (!path)
		return 0;
	const char *slash = strrchr(path, '/');
	char *dir = slash ? ward_xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : ward_xstrdup(".");
	int rc = access(dir, W_OK | X_OK);
	if (rc != 0)
		log_error("cannot write %s: %s: %s", path, dir, strerror(errno));
	free(dir);
	return rc;
}

/* SOURCE_DATE_EPOCH (reproducible output), else now. */
static int64_t generated_at(void)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	long s;
	if (e && parse_long(e, &s) == 0 && s >= 0)
		return (int64_t)s * NS_PER_SEC;
	return time_now_ns();
}

/* -v: what one input (or all of them) gave, by kind. */
static void log_kinds(const char *what, const struct report *r, const struct report *before)
{
	log_debug("%s: %llu events: %zu alerts, %zu actions, %zu series, %llu other, %llu not kept (limits)",
		  what, (unsigned long long)(r->events - before->events), r->nalerts - before->nalerts,
		  r->nactions - before->nactions, r->nseries - before->nseries,
		  (unsigned long long)(r->other - before->other),
		  (unsigned long long)(r->not_kept - before->not_kept));
}

static int read_inputs(struct ward_stage *st, struct report *r, char **files, int nfiles)
{
	const struct stage_hooks hooks = { .on_event = on_event };
	if (nfiles == 0)
		return stage_run(st, &hooks, r);
	for (int i = 0; i < nfiles && st->exit_code == 0; i++) {
		char err[256];
		st->in = input_open(files[i], &st->topts, err, sizeof err);
		if (!st->in) {
			log_error("opening %s failed: %s", files[i], err);
			st->exit_code = errno == EPROTONOSUPPORT ? WARD_EX_USAGE : WARD_EX_IOERR;
			break;
		}
		struct report before = *r;
		stage_run(st, &hooks, r);
		log_kinds(files[i], r, &before);
		input_close(st->in);
		st->in = NULL;
	}
	return st->exit_code;
}

static void join_inputs(struct ward_buf *b, char **files, int n, const char *in)
{
	if (n == 0)
		buf_append_str(b, in && strcmp(in, "-") != 0 ? in : "stdin");
	for (int i = 0; i < n; i++) {
		if (i)
			buf_append_str(b, ", ");
		buf_append_str(b, files[i]);
	}
}

static int write_outputs(struct report *r, const char *title, const char *md, const char *html,
			 const struct ward_buf *inputs)
{
	struct report_meta meta = { title, generated_at(), inputs->data };
	struct ward_buf out = WARD_BUF_INIT;
	int rc = 0;
	report_finish(r);
	if (md || !html) {
		report_markdown(r, &meta, &out);
		if (md)
			rc = write_file(md, &out);
		else if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0)
			rc = -1;
	}
	if (html && rc == 0) {
		buf_reset(&out);
		report_html(r, &meta, &out);
		rc = write_file(html, &out);
	}
	buf_free(&out);
	return rc;
}

static const char synopsis[] = "[options] [FILE...]";
static const char description[] =
	"Read alert, action and series events (docs/events.md) from FILEs (or --in,\n"
	"default stdin) and write the incident report: Markdown (--md, default stdout)\n"
	"and one self-contained HTML file with SVG charts (--html): attack rate over\n"
	"time per rule with its threshold, top talkers, a timeline of alerts and bans,\n"
	"alerts by rule and by source, and the actions taken. Other events are counted.";
static const char epilog[] =
	"exit status: 0 done, 64 usage, 65 malformed input with --strict, 74 I/O error.\n"
	"example: ward-report --md report.md --html report.html alerts.ndjson actions.ndjson";

int main(int argc, char **argv)
{
	struct ward_common_opts common;
	const char *md = NULL, *html = NULL, *title = "ward incident report";
	common_opts_defaults(&common);
	const struct ward_opt table[] = {
		{ "md", 0, OPT_STRING, &md, "FILE", "write the Markdown report to FILE (default stdout unless --html)", NULL },
		{ "html", 0, OPT_STRING, &html, "FILE", "write the HTML report to FILE", NULL },
		{ "title", 0, OPT_STRING, &title, "TEXT", "the report's title (default \"ward incident report\")", NULL },
		WARD_COMMON_OPTS(&common),
		{ 0 },
	};
	int nops, rc;
	const struct stage_cli cli = { "ward-report", table, synopsis, description, epilog,
					&common };
	if (stage_cli_parse(&cli, argc, argv, &nops, &rc) != 0)
		return rc;
	if (check_output_dir(md) != 0 || check_output_dir(html) != 0)
		return WARD_EX_IOERR;
	struct report r;
	report_init(&r);
	struct ward_stage st;
	stage_init(&st, "report", &common);
	if (stage_open(&st, nops > 0) == 0) {
		struct report none;
		report_init(&none);
		read_inputs(&st, &r, argv + 1, nops);
		log_kinds("read", &r, &none);
		report_free(&none);
	}
	if (st.exit_code == 0) {
		struct ward_buf inputs = WARD_BUF_INIT;
		join_inputs(&inputs, argv + 1, nops, common.in);
		if (write_outputs(&r, title, md, html, &inputs) != 0)
			st.exit_code = WARD_EX_IOERR;
		buf_free(&inputs);
	}
	*counters_extra(&st.counters, "alerts") = r.nalerts;
	*counters_extra(&st.counters, "actions") = r.nactions;
	*counters_extra(&st.counters, "series") = r.nseries;
	rc = stage_finish(&st);
	report_free(&r);
	opt_list_free(&common.props);
	return rc;
}
