/* opts.h - one table-driven command-line parser for every program.
 *
 * A program lists its options once; the table drives parsing, --help and the
 * man page check (tests/integration/man_help.sh). Long options take
 * "--name VALUE" or "--name=VALUE"; short options "-x VALUE". Options with an
 * env name take their default from that environment variable, before argv.
 * Errors name the option: "ward-match: option --max-line: not a size: 12q". */
#ifndef WARD_OPTS_H
#define WARD_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum opt_type {
	OPT_FLAG,	/* bool *, no value */
	OPT_STRING,	/* const char **, last one wins */
	OPT_LIST,	/* struct opt_list *, repeatable */
	OPT_INT,	/* long *, decimal */
	OPT_SIZE,	/* size_t *, with optional K/M/G suffix (binary) */
	OPT_DURATION,	/* int64_t * nanoseconds (wtime.h syntax) */
	OPT_DOUBLE,	/* double * */
};

struct opt_list {
	const char **items;	/* NULL-terminated when len > 0 */
	size_t len;
	size_t cap;
};

struct ward_opt {
	const char *name;	/* long name without "--" */
	char short_name;	/* 0 if none */
	enum opt_type type;
	void *dest;
	const char *arg;	/* value name in --help, e.g. "URI" */
	const char *help;
	const char *env;	/* environment variable, or NULL */
};

/* The options every stage shares; WARD_COMMON_OPTS(&common) expands to
 * their table rows. */
struct ward_common_opts {
	const char *in;
	const char *out;
	const char *dead_letter;
	size_t max_line;
	struct opt_list props;
	const char *metrics;	/* --metrics ADDR:PORT (metrics.h), or NULL */
	bool strict;
	bool quiet;
	bool verbose;
	bool help;
	bool version;
};

#define WARD_COMMON_OPTS(c) \
	{ "in", 'i', OPT_STRING, &(c)->in, "URI", "read events from URI (default -, stdin)", NULL }, \
	{ "out", 'o', OPT_STRING, &(c)->out, "URI", "write events to URI (default -, stdout)", NULL }, \
	{ "dead-letter", 0, OPT_STRING, &(c)->dead_letter, "URI", "write malformed input records to URI", NULL }, \
	{ "max-line", 0, OPT_SIZE, &(c)->max_line, "BYTES", "longest record accepted (default 1M)", "WARD_MAX_LINE" }, \
	{ "property", 'X', OPT_LIST, &(c)->props, "NAME=VALUE", "transport property (Kafka, Loki), repeatable", NULL }, \
	{ "strict", 0, OPT_FLAG, &(c)->strict, NULL, "exit 65 on the first malformed record", NULL }, \
	WARD_METRICS_OPT(c), \
	WARD_PROGRAM_OPTS(c)

/* --metrics (metrics.h); its own row for stages with their own table. */
#define WARD_METRICS_OPT(c) \
	{ "metrics", 0, OPT_STRING, &(c)->metrics, "ADDR:PORT", "serve the counters for Prometheus at http://ADDR:PORT/metrics", "WARD_METRICS" }

/* The options of every program, stage or not: --quiet, --verbose, --help,
 * --version (c: struct ward_common_opts *). */
#define WARD_PROGRAM_OPTS(c) \
	{ "quiet", 'q', OPT_FLAG, &(c)->quiet, NULL, "only errors on stderr", NULL }, \
	{ "verbose", 'v', OPT_FLAG, &(c)->verbose, NULL, "debug messages on stderr", NULL }, \
	{ "help", 'h', OPT_FLAG, &(c)->help, NULL, "show this help and exit", NULL }, \
	{ "version", 'V', OPT_FLAG, &(c)->version, NULL, "show the version and exit", NULL }

void common_opts_defaults(struct ward_common_opts *c);

/* Parse argv against table (terminated by a row with name NULL). Operands
 * (non-options, and everything after "--") are moved to the front of
 * argv+1 in order; *noperands receives their count. Returns 0, or -1 after
 * printing the error (caller exits WARD_EX_USAGE). */
int opts_parse(const struct ward_opt *table, int argc, char **argv, int *noperands);
/* --help text: "usage: PROG SYNOPSIS", description, then the options. */
void opts_usage(const struct ward_opt *table, const char *synopsis,
		const char *description, const char *epilog);
void opt_list_free(struct opt_list *l);

/* Shared conversions (also used by config and rule loaders). */
int parse_size(const char *s, size_t *out);
int parse_long(const char *s, long *out);

#define WARD_VERSION "0.1.0"

#endif
