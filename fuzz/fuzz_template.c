/* libFuzzer target: the LogQL text/template subset (line_format,
 * label_format): compile, then evaluate twice.
 * Input: the template on the first line; the rest is the value of the
 * label "j" (an attacker's log field, usually JSON for fromJson) and the
 * log line. Other labels: "a" = "x", "n" = "3".
 * Invariants: nothing crashes, leaks or reads out of bounds; an expansion
 * is bounded (1 MiB plus one action's output); evaluating twice gives the
 * same result unless the template reads the clock (now, date). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "event.h"
#include "logql.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct ctx {
	const char *j;
	size_t jn;
};

static const char *lookup(void *ud, const char *name, size_t n, size_t *vlen)
{
	const struct ctx *c = ud;
	if (n == 1 && name[0] == 'j') {
		*vlen = c->jn;
		return c->j;
	}
	if (n == 1 && (name[0] == 'a' || name[0] == 'n')) {
		*vlen = 1;
		return name[0] == 'a' ? "x" : "3";
	}
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const char *nl = memchr(s, '\n', size);
	size_t tlen = nl ? (size_t)(nl - s) : size;
	char err[200];
	struct logql_tmpl *t = logql_tmpl_compile(s, tlen, err, sizeof(err));
	if (!t)
		return 0;
	struct ctx c = { nl ? nl + 1 : "", nl ? size - tlen - 1 : 0 };
	struct logql_re_scratch *re = logql_re_scratch_new(10000);
	struct logql_tmpl_env env = { lookup, &c, c.j, c.jn, 1700000000LL * 1000000000LL, re };
	struct ward_buf a = WARD_BUF_INIT, b = WARD_BUF_INIT;
	int ra = logql_tmpl_exec(t, &env, &a, err, sizeof(err));
	int rb = logql_tmpl_exec(t, &env, &b, err, sizeof(err));
	if (a.len > (3u << 20)) {
		fprintf(stderr, "expansion of %zu bytes\n", a.len);
		abort();
	}
	bool clock = memmem(s, tlen, "now", 3) || memmem(s, tlen, "date", 4);
	if (!clock && (ra != rb || a.len != b.len || (a.len && memcmp(a.data, b.data, a.len)))) {
		fprintf(stderr, "two evaluations differ\n");
		abort();
	}
	buf_free(&a);
	buf_free(&b);
	logql_re_scratch_free(re);
	logql_tmpl_free(t);
	return 0;
}
