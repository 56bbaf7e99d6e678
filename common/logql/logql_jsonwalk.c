/* logql_jsonwalk.c - walking JSON text for the json and unpack extractors
 * (see logql_jsonwalk_int.h). */
#include <ctype.h>
#include <string.h>

#include "logql_jsonwalk_int.h"

static bool is_num_char(char c)
{
	return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

int logql_jw_literal(struct logql_jsonwalk *j, const char **v, size_t *vlen, char *kind)
{
	size_t start = j->i;
	const char *s = j->s + j->i;
	size_t left = j->n - j->i;
	if (left >= 4 && !memcmp(s, "true", 4)) { j->i += 4; *kind = 'b'; }
	else if (left >= 5 && !memcmp(s, "false", 5)) { j->i += 5; *kind = 'b'; }
	else if (left >= 4 && !memcmp(s, "null", 4)) { j->i += 4; *kind = 'z'; }
	else if (left > 0 && (isdigit((unsigned char)s[0]) || s[0] == '-')) {
		while (j->i < j->n && is_num_char(j->s[j->i]))
			j->i++;
		*kind = 'n';
	} else {
		return logql_jw_fail(j, "unexpected character");
	}
	*v = j->s + start;
	*vlen = j->i - start;
	return 0;
}

int logql_jw_skip(struct logql_jsonwalk *j, unsigned depth)
{
	const char *v;
	size_t vl;
	char kind;
	char c;
	if (logql_jw_peek_value(j, &c) != 0)
		return -1;
	if (c == '"')
		return logql_jw_string(j, j->vbuf, &v, &vl);
	if (c != '{' && c != '[')
		return logql_jw_literal(j, &v, &vl, &kind);
	if (depth >= LOGQL_JSON_MAX_DEPTH)
		return logql_jw_fail(j, "nested too deep");
	char close = c == '{' ? '}' : ']';
	j->i++;
	logql_jw_ws(j);
	if (j->i < j->n && j->s[j->i] == close) {
		j->i++;
		return 0;
	}
	for (;;) {
		if (c == '{') {
			logql_jw_ws(j);
			if (j->i >= j->n || j->s[j->i] != '"' || logql_jw_string(j, j->vbuf, &v, &vl) != 0)
				return logql_jw_fail(j, "expected a key");
			logql_jw_ws(j);
			if (j->i >= j->n || j->s[j->i++] != ':')
				return logql_jw_fail(j, "expected ':'");
		}
		if (logql_jw_skip(j, depth + 1) != 0)
			return -1;
		int more = logql_jw_after_member(j, close);
		if (more <= 0)
			return more;
	}
}

