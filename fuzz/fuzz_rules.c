/* libFuzzer target: the Loki ruler YAML loader (and the LogQL it holds).
 * Invariants: no crash, no leak, no unbounded expansion (aliases). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "logql.h"
#include "rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ward_ruleset rs = { 0 };
	char err[512];
	if (rules_load_buffer(&rs, (const char *)data, size, "fuzz", err, sizeof err) == 0) {
		struct logql_engine *eng = logql_engine_new();
		for (size_t i = 0; i < rs.n; i++) {
			const struct logql_log_query *qs[4];
			struct logql_error e;
			size_t nq = logql_expr_log_queries(rs.rules[i].expr, qs, 4);
			for (size_t k = 0; k < nq; k++)
				logql_pipeline_compile(eng, qs[k], &e);
		}
		logql_engine_free(eng);
		rules_free(&rs);
	}
	return 0;
}
