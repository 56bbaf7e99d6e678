/* extract.c - labels and time from the line (see extract.h). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "stages/ingest/extract.h"

#include <json-c/json.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "wtime.h"

#define MAX_GROUPS 32

struct extract {
	pcre2_code *re;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	int ts_group;	/* group number of (?<ts>...), or -1 */
	struct { int num; char *name; } groups[MAX_GROUPS];
	size_t ngroups;
	char *ts_key;
	json_tokener *tok;
};

static int compile(struct extract *x, const char *regex, char *err, size_t errlen)
{
	int ec;
	PCRE2_SIZE off;
	x->re = pcre2_compile((PCRE2_SPTR)regex, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_MATCH_INVALID_UTF,
			      &ec, &off, NULL);
	if (!x->re) {
		PCRE2_UCHAR msg[160];
		pcre2_get_error_message(ec, msg, sizeof(msg));
		snprintf(err, errlen, "option --regex: at %zu: %s", (size_t)off, (char *)msg);
		return -1;
	}
	pcre2_jit_compile(x->re, PCRE2_JIT_COMPLETE);
	x->md = pcre2_match_data_create_from_pattern(x->re, NULL);
	x->mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(x->mctx, 100000);
	uint32_t count, size;
	PCRE2_SPTR table;
	pcre2_pattern_info(x->re, PCRE2_INFO_NAMECOUNT, &count);
	pcre2_pattern_info(x->re, PCRE2_INFO_NAMEENTRYSIZE, &size);
	pcre2_pattern_info(x->re, PCRE2_INFO_NAMETABLE, &table);
	x->ts_group = -1;
	for (uint32_t i = 0; i < count && x->ngroups < MAX_GROUPS; i++) {
		const unsigned char *e = table + i * size;
		int num = (e[0] << 8) | e[1];
		const char *name = (const char *)e + 2;
		if (strcmp(name, "ts") == 0) {
			x->ts_group = num;
			continue;
		}
		x->groups[x->ngroups].num = num;
		x->groups[x->ngroups].name = ward_xstrdup(name);
		x->ngroups++;
	}
	return 0;
}

struct extract *extract_new(const char *regex, const char *ts_json_key, char *err, size_t errlen)
{
	if (!regex && !ts_json_key)
		return NULL;
	struct extract *x = ward_xcalloc(1, sizeof(*x));
	x->ts_group = -1;
	if (regex && compile(x, regex, err, errlen) != 0) {
		extract_free(x);
		return NULL;
	}
	if (ts_json_key) {
		x->ts_key = ward_xstrdup(ts_json_key);
		x->tok = json_tokener_new_ex(32);
		if (!x->tok)
			ward_oom();
	}
	return x;
}

void extract_free(struct extract *x)
{
	if (!x)
		return;
	pcre2_match_data_free(x->md);
	pcre2_match_context_free(x->mctx);
	pcre2_code_free(x->re);
	for (size_t i = 0; i < x->ngroups; i++)
		free(x->groups[i].name);
	free(x->ts_key);
	if (x->tok)
		json_tokener_free(x->tok);
	free(x);
}

static bool parse_time_text(const char *s, size_t n, int64_t now_ns, int64_t *ts)
{
	return time_parse_text(s, n, now_ns, ts) == 0;
}

static bool apply_regex(struct extract *x, struct ward_event *ev, const char *line, size_t len,
			int64_t now_ns, int64_t *ts)
{
	int rc = pcre2_match(x->re, (PCRE2_SPTR)line, len, 0, 0, x->md, x->mctx);
	if (rc < 0)
		return false;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(x->md);
	for (size_t i = 0; i < x->ngroups; i++) {
		int g = x->groups[i].num;
		if (g >= rc || ov[2 * g] == PCRE2_UNSET)
			continue;
		event_set_label(ev, x->groups[i].name, line + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
	}
	int g = x->ts_group;
	return g >= 0 && g < rc && ov[2 * g] != PCRE2_UNSET &&
	       parse_time_text(line + ov[2 * g], ov[2 * g + 1] - ov[2 * g], now_ns, ts);
}

static bool apply_json(struct extract *x, const char *line, size_t len, int64_t now_ns, int64_t *ts)
{
	if (len < 2 || line[0] != '{')
		return false;
	json_tokener_reset(x->tok);
	json_object *o = json_tokener_parse_ex(x->tok, line, (int)len);
	json_object *v;
	bool ok = false;
	if (o && json_object_is_type(o, json_type_object) && json_object_object_get_ex(o, x->ts_key, &v)) {
		if (json_object_is_type(v, json_type_string))
			ok = parse_time_text(json_object_get_string(v), (size_t)json_object_get_string_len(v),
					     now_ns, ts);
		else if (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)) {
			const char *text = json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
			ok = time_parse_epoch(text, strlen(text), ts) == 0;
		}
	}
	json_object_put(o);
	return ok;
}

bool extract_apply(struct extract *x, struct ward_event *ev, const char *line, size_t len,
		   int64_t now_ns, int64_t *ts)
{
	bool found = false;
	if (x->re)
		found = apply_regex(x, ev, line, len, now_ns, ts);
	if (!found && x->ts_key)
		found = apply_json(x, line, len, now_ns, ts);
	return found;
}
