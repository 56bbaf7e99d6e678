/* libFuzzer target: Sigma rule YAML -> LogQL -> Loki ruler YAML -> the rule
 * loader and the LogQL compiler.
 * Invariants: no crash, no leak; and what the Sigma compiler writes always
 * loads back - a rule's values can never break out of their LogQL string or
 * regex, so a generated query that does not parse or compile is a bug
 * (abort). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logql.h"
#include "rules.h"
#include "stages/match/sigma.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sigma_set set = { 0 };
	char err[1024];
	sigma_load_buffer((const char *)data, size, "fuzz", &set.rules, &set.n, err, sizeof err);
	struct ward_buf yaml = WARD_BUF_INIT;
	struct sigma_result res = { 0 };
	sigma_set_compile(&set, &yaml, &res);
	if (res.loaded) {
		struct ward_ruleset rs = { 0 };
		if (rules_load_buffer(&rs, yaml.data, yaml.len, "sigma", err, sizeof err) != 0) {
			fprintf(stderr, "generated ruler does not load: %s\n%s\n", err, yaml.data);
			abort();
		}
		struct logql_engine *eng = logql_engine_new();
		for (size_t i = 0; i < rs.n; i++) {
			const struct logql_log_query *qs[4];
			struct logql_error e;
			size_t nq = logql_expr_log_queries(rs.rules[i].expr, qs, 4);
			for (size_t k = 0; k < nq; k++)
				if (!logql_pipeline_compile(eng, qs[k], &e)) {
					fprintf(stderr, "generated LogQL does not compile: %u:%u: %s\n%s\n", e.line, e.col,
						e.msg, rs.rules[i].expr_src);
					abort();
				}
		}
		logql_engine_free(eng);
		rules_free(&rs);
	}
	buf_free(&yaml);
	buf_free(&res.refusals);
	sigma_set_free(&set);
	return 0;
}
