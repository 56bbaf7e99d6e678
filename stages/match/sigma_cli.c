/* sigma_cli.c - ward-match --sigma PATH [--emit-ruler FILE]: Sigma rules in,
 * a Loki ruler YAML out (to a file, or straight into the rule engine). */
#include <stdio.h>
#include <string.h>

#include "exitcodes.h"
#include "log.h"
#include "opts.h"
#include "rules.h"
#include "stages/match/sigma.h"

static int write_file(const char *path, const struct ward_buf *b)
{
	bool out = !strcmp(path, "-");
	FILE *f = out ? stdout : fopen(path, "w");
	if (!f) {
		log_error("--emit-ruler %s: cannot open: %m", path);
		return -1;
	}
	size_t n = fwrite(b->data, 1, b->len, f);
	int rc = (n == b->len && fflush(f) == 0) ? 0 : -1;
	if (!out && fclose(f) != 0)
		rc = -1;
	if (rc)
		log_error("--emit-ruler %s: write failed: %m", path);
	return rc;
}

int sigma_cli_load(const struct opt_list *paths, const char *emit_path, struct ward_ruleset *rs, int *rc)
{
	struct sigma_set set = { 0 };
	struct sigma_result res = { 0 };
	struct ward_buf yaml = WARD_BUF_INIT;
	char err[1024];
	int ret = -1;
	*rc = WARD_EX_CONFIG;
	for (size_t i = 0; i < paths->len; i++)
		if (sigma_set_add_path(&set, paths->items[i], err, sizeof(err)) != 0) {
			log_error("sigma: %s", err);
			goto out;
		}
	sigma_set_compile(&set, &yaml, &res);
	if (res.refusals.len) {
		/* one refusal per line, at debug level (-v) */
		char *save = NULL;
		for (char *l = strtok_r(res.refusals.data, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
			log_debug("sigma: refused: %s", l);
	}
	if (res.loaded == 0) {
		log_error("sigma: no rule loaded (%zu refused; -v lists why)", res.refused);
		goto out;
	}
	log_info("sigma: %zu rules loaded, %zu refused%s", res.loaded, res.refused,
		 res.refused ? " (-v lists why)" : "");
	if (emit_path) {
		*rc = write_file(emit_path, &yaml) == 0 ? WARD_EX_OK : WARD_EX_IOERR;
		goto out;
	}
	if (rules_load_buffer(rs, yaml.data, yaml.len, "sigma", err, sizeof(err)) != 0) {
		/* a bug in the generator, not in the user's rules: say so */
		log_error("sigma: the generated LogQL does not load (please report): %s", err);
		goto out;
	}
	ret = 0;
	*rc = WARD_EX_OK;
out:
	buf_free(&yaml);
	buf_free(&res.refusals);
	sigma_set_free(&set);
	return ret;
}
