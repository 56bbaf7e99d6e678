/* stage_cli.c - command-line start of a stage's main(). */
#include "stage_cli.h"

#include "exitcodes.h"
#include "log.h"
#include "stage.h"

int stage_cli_parse(const struct stage_cli *cli, int argc, char **argv, int *nops,
		    int *exit_code)
{
	log_init(cli->prog);
	if (opts_parse(cli->table, argc, argv, nops) != 0) {
		*exit_code = WARD_EX_USAGE;
		return -1;
	}
	return stage_common_flags(cli->common, cli->table, cli->synopsis, cli->description,
				  cli->epilog, exit_code);
}
