/* stage_cli.h - the start of every stage's main(): name the program for
 * its messages, parse the command line, answer --help and --version, set
 * the log level from -q/-v.
 *
 *   const struct stage_cli cli = { "ward-ingest", table, synopsis, description, epilog,
 *                                  &common };
 *   if (stage_cli_parse(&cli, argc, argv, &nops, &rc) != 0)
 *           return rc;       // 64 for a bad command line, 0 after --help
 */
#ifndef WARD_STAGE_CLI_H
#define WARD_STAGE_CLI_H

#include "opts.h"

struct stage_cli {
	const char *prog;		/* "ward-ingest" */
	const struct ward_opt *table;	/* with WARD_COMMON_OPTS or its parts */
	const char *synopsis, *description, *epilog;	/* for --help */
	const struct ward_common_opts *common;	/* the table's common options */
};

/* Returns 0 to go on with *nops operands at argv[1..], or -1 when main
 * should return *exit_code now (usage error, --help, --version). */
int stage_cli_parse(const struct stage_cli *cli, int argc, char **argv, int *nops,
		    int *exit_code);

#endif
