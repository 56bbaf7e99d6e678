/* container.c - Docker json-file and CRI log lines (see container.h). */
#include "stages/ingest/container.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wtime.h"

void docker_parser_init(struct docker_parser *p)
{
	memset(p, 0, sizeof(*p));
	p->tok = json_tokener_new_ex(8);
	if (!p->tok)
		ward_oom();
}

void docker_parser_free(struct docker_parser *p)
{
	if (p->tok)
		json_tokener_free(p->tok);
	buf_free(&p->text);
	memset(p, 0, sizeof(*p));
}

static const char *stream_name(const char *s, size_t n)
{
	if (n == 6 && memcmp(s, "stdout", 6) == 0)
		return "stdout";
	if (n == 6 && memcmp(s, "stderr", 6) == 0)
		return "stderr";
	return NULL;
}

static int docker_fields(struct docker_parser *p, json_object *o, struct cont_line *out,
			 const char **why)
{
	json_object *log, *stream, *time;
	if (!json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, "log", &log) || !json_object_is_type(log, json_type_string)) {
		*why = "no \"log\" string";
		return -1;
	}
	if (!json_object_object_get_ex(o, "stream", &stream) ||
	    !json_object_is_type(stream, json_type_string) ||
	    !(out->stream = stream_name(json_object_get_string(stream),
					(size_t)json_object_get_string_len(stream)))) {
		*why = "no \"stream\" stdout or stderr";
		return -1;
	}
	if (!json_object_object_get_ex(o, "time", &time) || !json_object_is_type(time, json_type_string) ||
	    time_parse_rfc3339(json_object_get_string(time), (size_t)json_object_get_string_len(time),
			       &out->ts_ns) != 0) {
		*why = "no RFC 3339 \"time\"";
		return -1;
	}
	size_t n = (size_t)json_object_get_string_len(log);
	const char *s = json_object_get_string(log);
	out->partial = n == 0 || s[n - 1] != '\n';
	if (!out->partial)
		n--;
	buf_reset(&p->text);
	buf_append(&p->text, s, n);
	buf_append_char(&p->text, '\0');
	p->text.len--;
	out->text = p->text.data;
	out->len = n;
	return 0;
}

int docker_parse(struct docker_parser *p, const char *line, size_t len, struct cont_line *out,
		 const char **why)
{
	json_tokener_reset(p->tok);
	json_object *o = json_tokener_parse_ex(p->tok, line, (int)len);
	int rc = -1;
	if (!o || json_tokener_get_error(p->tok) != json_tokener_success ||
	    (size_t)json_tokener_get_parse_end(p->tok) != len)
		*why = "not a JSON object";
	else
		rc = docker_fields(p, o, out, why);
	json_object_put(o);
	return rc;
}

int cri_parse(const char *line, size_t len, struct cont_line *out, const char **why)
{
	const char *end = line + len;
	const char *sp1 = memchr(line, ' ', len);
	if (!sp1 || time_parse_rfc3339(line, (size_t)(sp1 - line), &out->ts_ns) != 0) {
		*why = "no RFC 3339 time";
		return -1;
	}
	const char *st = sp1 + 1;
	const char *sp2 = memchr(st, ' ', (size_t)(end - st));
	if (!sp2 || !(out->stream = stream_name(st, (size_t)(sp2 - st)))) {
		*why = "no stream stdout or stderr";
		return -1;
	}
	const char *fl = sp2 + 1;
	const char *sp3 = memchr(fl, ' ', (size_t)(end - fl));
	const char *flend = sp3 ? sp3 : end;	/* an empty line may lack the space */
	const char *colon = memchr(fl, ':', (size_t)(flend - fl));
	size_t tag = (size_t)((colon ? colon : flend) - fl);
	if (tag != 1 || (fl[0] != 'P' && fl[0] != 'F')) {
		*why = "flags are not P or F";
		return -1;
	}
	out->partial = fl[0] == 'P';
	out->text = sp3 ? sp3 + 1 : end;
	out->len = (size_t)(end - out->text);
	return 0;
}

void cont_asm_init(struct cont_asm *a, size_t max_len, unsigned max_parts)
{
	memset(a, 0, sizeof(*a));
	a->max_len = max_len;
	a->max_parts = max_parts;
}

void cont_asm_free(struct cont_asm *a)
{
	for (size_t i = 0; i < a->len; i++) {
		free(a->slots[i].key);
		buf_free(&a->slots[i].text);
	}
	free(a->slots);
	buf_free(&a->out);
	memset(a, 0, sizeof(*a));
}

static struct cont_asm_slot *slot_for(struct cont_asm *a, const char *key, const char *stream)
{
	for (size_t i = 0; i < a->len; i++) {
		struct cont_asm_slot *s = &a->slots[i];
		size_t kl = strlen(key);
		if (strncmp(s->key, key, kl) == 0 && s->key[kl] == '\x1f' && strcmp(s->key + kl + 1, stream) == 0)
			return s;
	}
	if (a->len == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 4;
		a->slots = ward_xrealloc(a->slots, a->cap * sizeof(*a->slots));
	}
	struct cont_asm_slot *s = &a->slots[a->len++];
	memset(s, 0, sizeof(*s));
	struct ward_buf k = WARD_BUF_INIT;
	buf_printf(&k, "%s\x1f%s", key, stream);
	s->key = ward_xstrdup(buf_cstr(&k));
	buf_free(&k);
	return s;
}

bool cont_asm_feed(struct cont_asm *a, const char *key, const struct cont_line *in,
		   struct cont_line *out)
{
	struct cont_asm_slot *s = slot_for(a, key, in->stream);
	if (s->parts == 0 && !in->partial) {
		*out = *in;	/* the common case: nothing to join */
		return true;
	}
	if (s->parts == 0)
		s->ts_ns = in->ts_ns;
	size_t room = a->max_len > s->text.len ? a->max_len - s->text.len : 0;
	buf_append(&s->text, in->text, in->len < room ? in->len : room);
	s->parts++;
	if (in->partial && s->parts < a->max_parts && s->text.len < a->max_len)
		return false;
	buf_reset(&a->out);
	buf_append(&a->out, s->text.data ? s->text.data : "", s->text.len);
	buf_append_char(&a->out, '\0');
	a->out.len--;
	out->text = a->out.data;
	out->len = a->out.len;
	out->stream = in->stream;
	out->ts_ns = s->ts_ns;
	out->partial = false;
	buf_reset(&s->text);
	s->parts = 0;
	return true;
}

static char *docker_config_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return NULL;
	struct ward_buf cfg = WARD_BUF_INIT;
	buf_append(&cfg, path, (size_t)(slash - path));
	buf_append_str(&cfg, "/config.v2.json");
	json_object *o = json_object_from_file(buf_cstr(&cfg));
	buf_free(&cfg);
	json_object *name;
	char *res = NULL;
	if (o && json_object_object_get_ex(o, "Name", &name) && json_object_is_type(name, json_type_string)) {
		const char *n = json_object_get_string(name);
		if (*n == '/')
			n++;
		if (*n)
			res = ward_xstrdup(n);
	}
	json_object_put(o);
	return res;
}

/* /var/log/containers/<pod>_<ns>_<name>-<64 hex id>.log */
static char *k8s_containers_name(const char *base)
{
	size_t n = strlen(base);
	if (n < 4 + 65 || strcmp(base + n - 4, ".log") != 0)
		return NULL;
	const char *dash = base + n - 4 - 65;
	if (*dash != '-')
		return NULL;
	/* Pod and namespace names cannot hold '_': the name follows the second. */
	const char *us = memchr(base, '_', (size_t)(dash - base));
	us = us ? memchr(us + 1, '_', (size_t)(dash - us - 1)) : NULL;
	if (!us || us + 1 >= dash)
		return NULL;
	return ward_xstrndup(us + 1, (size_t)(dash - us - 1));
}

char *container_name_for_path(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t bl = strlen(base);
	if (bl > 9 && strcmp(base + bl - 9, "-json.log") == 0)
		return docker_config_name(path);
	if (strstr(path, "/containers/"))
		return k8s_containers_name(base);
	const char *pods = strstr(path, "/pods/");
	if (pods && base > path + 1) {
		/* .../pods/<ns>_<pod>_<uid>/<name>/N.log: the directory above. */
		const char *end = base - 1;
		const char *start = end;
		while (start > pods + 6 && start[-1] != '/')
			start--;
		if (end > start)
			return ward_xstrndup(start, (size_t)(end - start));
	}
	return NULL;
}
