/* libFuzzer target: the LogQL parser, compiler and log-pipeline evaluator.
 * Input: the query on the first line, then log lines to evaluate.
 * Invariants: nothing crashes or leaks; a query that parses has a canonical
 * text that parses again to the same text (a fixed point). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "event.h"
#include "logql.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_fixed_point(const struct logql_expr *e)
{
	struct ward_buf a = WARD_BUF_INIT, b = WARD_BUF_INIT;
	struct logql_error err;
	logql_expr_format(e, &a);
	struct logql_expr *e2 = logql_parse(a.data, a.len, &err);
	if (!e2) {
		fprintf(stderr, "canonical text does not parse: %s\n%u:%u %s\n", buf_cstr(&a), err.line, err.col, err.msg);
		abort();
	}
	logql_expr_format(e2, &b);
	if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0) {
		fprintf(stderr, "not a fixed point:\n%s\n%s\n", buf_cstr(&a), buf_cstr(&b));
		abort();
	}
	logql_expr_free(e2);
	buf_free(&a);
	buf_free(&b);
}

static void evaluate(const struct logql_expr *e, const char *lines, size_t n)
{
	const struct logql_log_query *qs[8];
	size_t nq = logql_expr_log_queries(e, qs, 8);
	struct logql_engine *eng = logql_engine_new();
	logql_engine_set_match_limit(eng, 10000);
	struct logql_pipeline *p[8];
	size_t np = 0;
	struct logql_error err;
	for (size_t i = 0; i < nq; i++)
		if ((p[np] = logql_pipeline_compile(eng, qs[i], &err)))
			np++;
	struct logql_ctx *cx = logql_ctx_new(eng);
	struct ward_event ev, out;
	event_init(&ev);
	event_init(&out);
	event_set_label(&ev, "job", "x", 1);
	event_set_field(&ev, "n", "5", 1);
	const char *s = lines;
	while (np && n > 0) {
		const char *nl = memchr(s, '\n', n);
		size_t len = nl ? (size_t)(nl - s) : n;
		event_set_line(&ev, s, len);
		logql_ctx_begin(cx, &ev);
		for (size_t i = 0; i < np; i++)
			if (logql_eval(cx, p[i])) {
				event_copy(&out, &ev);
				logql_apply(cx, &out);
			}
		if (!nl)
			break;
		n -= len + 1;
		s = nl + 1;
	}
	event_free(&ev);
	event_free(&out);
	logql_ctx_free(cx);
	logql_engine_free(eng);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const char *nl = memchr(s, '\n', size);
	size_t qlen = nl ? (size_t)(nl - s) : size;
	struct logql_error err;
	struct logql_expr *e = logql_parse(s, qlen, &err);
	if (!e)
		return 0;
	check_fixed_point(e);
	if (nl)
		evaluate(e, nl + 1, size - qlen - 1);
	logql_expr_free(e);
	return 0;
}
