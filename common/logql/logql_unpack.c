/* logql_unpack.c - the unpack extractor: the top-level string members of
 * a JSON object (as Promtail's pack stage writes them), `_entry` the
 * original line. */
#include <string.h>

#include "logql_jsonwalk_int.h"

int logql_unpack(const char *s, size_t n, struct ward_buf *scratch, logql_emit_fn emit, void *ud,
	      char *err, size_t errlen)
{
	struct logql_jsonwalk j = { s, n, 0, &scratch[1], err, errlen };
	if (err && errlen)
		err[0] = '\0';
	if (logql_jw_top_object(&j) != 0)
		return -1;
	j.i++;
	logql_jw_ws(&j);
	if (j.i < j.n && j.s[j.i] == '}')
		return 0;
	for (;;) {
		const char *k, *v;
		size_t kl, vl;
		logql_jw_ws(&j);
		if (j.i >= j.n || j.s[j.i] != '"' || logql_jw_string(&j, &scratch[0], &k, &kl) != 0)
			return logql_jw_fail(&j, "expected a key");
		/* the key may live in scratch[0]; copy it out of the way of values */
		char kbuf[256];
		size_t kcopy = kl < sizeof(kbuf) ? kl : sizeof(kbuf) - 1;
		memcpy(kbuf, k, kcopy);
		logql_jw_ws(&j);
		if (j.i >= j.n || j.s[j.i++] != ':')
			return logql_jw_fail(&j, "expected ':'");
		logql_jw_ws(&j);
		if (j.i < j.n && j.s[j.i] == '"') {
			if (logql_jw_string(&j, &scratch[1], &v, &vl) != 0)
				return -1;
			emit(ud, kbuf, kcopy, v, vl);
		} else if (logql_jw_skip(&j, 1) != 0) {
			return -1;
		}
		logql_jw_ws(&j);
		if (j.i < j.n && j.s[j.i] == ',') {
			j.i++;
			continue;
		}
		if (j.i < j.n && j.s[j.i] == '}') {
			j.i++;
			return logql_jw_trailer(&j);
		}
		return logql_jw_fail(&j, "expected ',' or '}'");
	}
}

