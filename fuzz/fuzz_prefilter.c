/* fuzz_prefilter - literal prefilters against the unfiltered engine.
 *
 * Input: rule specs, one per line, up to a line "--"; then event lines.
 * A spec is "=TEXT" (|= `TEXT`), "~RE" (|~ `RE`), "!TEXT" (!= `TEXT`),
 * "rRE" (| regexp `RE(?P<g>.?)` | g!="": a regexp parser, which is skipped
 * on lines without its regex's required literals);
 * several specs joined by a tab are one rule's chained filters. Eight fixed
 * rules are added so the one-pass scanner is in use.
 * Invariant: for every line and rule, the prefiltered engine (required
 * literals, one litscan pass, candidate index) keeps the event iff the
 * engine with prefilters off keeps it; no crash, no leak. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "event.h"
#include "logql.h"

#define MAX_RULES 48

static const char *const fixed[] = {
	"{job=~\".+\"} |= \"Failed password\"", "{job=~\".+\"} |= \"Invalid user\"",
	"{job=~\".+\"} |~ \"(?i)error|warn\"", "{job=~\".+\"} |= \"sshd[\"",
	"{job=~\".+\"} |~ \"from [0-9.]+ port\"", "{job=~\".+\"} |= \"root\" != \"alice\"",
	"{job=~\".+\"} |~ \"kex|key\"", "{job=~\".+\"} |= \"[preauth]\"",
};
#define NFIXED (sizeof(fixed) / sizeof(fixed[0]))

/* Append the filters of one spec line to q; false if unusable. */
static bool spec_to_query(const char *s, size_t n, struct ward_buf *q)
{
	buf_reset(q);
	buf_append_str(q, "{job=~\".+\"}");
	size_t i = 0;
	while (i < n) {
		size_t e = i;
		while (e < n && s[e] != '\t')
			e++;
		if (e - i < 2 || memchr(s + i, '`', e - i) || memchr(s + i, '\0', e - i))
			return false;
		const char *op = s[i] == '=' ? "|=" : s[i] == '~' ? "|~" : s[i] == '!' ? "!=" :
				 s[i] == 'r' ? "| regexp" : NULL;
		if (!op)
			return false;
		buf_printf(q, " %s `", op);
		buf_append(q, s + i + 1, e - i - 1);
		buf_append_str(q, s[i] == 'r' ? "(?P<g>.?)` | g!=\"\"" : "`");
		i = e + 1;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data, *end = in + size;
	struct logql_engine *on = logql_engine_new(), *off = logql_engine_new();
	logql_engine_set_prefilter(off, false);
	struct logql_expr *exprs[MAX_RULES + NFIXED];
	struct logql_pipeline *pon[MAX_RULES + NFIXED], *poff[MAX_RULES + NFIXED];
	size_t n = 0;
	struct ward_buf q = WARD_BUF_INIT;
	const char *p = in;
	for (size_t f = 0; f < NFIXED + MAX_RULES; f++) {
		const char *src;
		size_t len;
		if (f < NFIXED) {
			src = fixed[f];
			len = strlen(src);
		} else {
			if (p >= end)
				break;
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			const char *le = nl ? nl : end;
			bool sep = le - p == 2 && p[0] == '-' && p[1] == '-';
			bool ok = !sep && spec_to_query(p, (size_t)(le - p), &q);
			p = nl ? nl + 1 : end;
			if (sep)
				break;
			if (!ok)
				continue;
			src = q.data;
			len = q.len;
		}
		struct logql_error err;
		struct logql_expr *e = logql_parse(src, len, &err);
		if (!e)
			continue;
		const struct logql_log_query *lq;
		logql_expr_log_queries(e, &lq, 1);
		struct logql_pipeline *a = logql_pipeline_compile(on, lq, &err);
		struct logql_pipeline *b = a ? logql_pipeline_compile(off, lq, &err) : NULL;
		if (!a || !b) {
			if (a || b)
				abort();	/* the same query compiles on both or on neither */
			logql_expr_free(e);
			continue;
		}
		exprs[n] = e;
		pon[n] = a;
		poff[n++] = b;
	}
	struct logql_pfset *pf = logql_pfset_new(pon, n);
	uint64_t *cand = calloc(logql_pfset_words(pf) + 1, sizeof(uint64_t));
	struct logql_ctx *con = logql_ctx_new(on), *coff = logql_ctx_new(off);
	struct ward_event ev;
	event_init(&ev);
	event_set_label(&ev, "job", "t", 1);
	while (p < end) {	/* event lines */
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		event_set_line(&ev, p, (size_t)(le - p));
		logql_ctx_begin(con, &ev);
		logql_ctx_begin(coff, &ev);
		logql_pfset_candidates(con, pf, cand);
		for (size_t i = 0; i < n; i++) {
			bool want = logql_eval(coff, poff[i]);
			bool got = ((cand[i / 64] >> (i % 64)) & 1) && logql_eval(con, pon[i]);
			if (want != got)
				abort();
		}
		p = nl ? nl + 1 : end;
	}
	event_free(&ev);
	free(cand);
	logql_ctx_free(con);
	logql_ctx_free(coff);
	logql_pfset_free(pf);
	logql_engine_free(on);
	logql_engine_free(off);
	for (size_t i = 0; i < n; i++)
		logql_expr_free(exprs[i]);
	buf_free(&q);
	return 0;
}
