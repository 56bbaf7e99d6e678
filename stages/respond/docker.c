/* docker.c - Docker Engine API request builders and response parsers. */
#include "stages/respond/docker.h"

#include <json-c/json.h>
#include <string.h>

#include "jsonw.h"

bool docker_name_ok(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > DOCKER_ID_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
		if (!alnum && (i == 0 || (c != '_' && c != '.' && c != '-')))
			return false;
	}
	return true;
}

static bool hex_ok(const char *id)
{
	size_t n = strlen(id);

	if (n == 0 || n > DOCKER_ID_MAX)
		return false;
	return strspn(id, "0123456789abcdef") == n;
}

int docker_exec_create(const char *container, const struct fw_argv *a,
		       struct ward_buf *path, struct ward_buf *body)
{
	if (!docker_name_ok(container))
		return -1;
	buf_printf(path, DOCKER_API "/containers/%s/exec", container);
	buf_append_str(body, "{\"AttachStdout\":true,\"AttachStderr\":true,\"Tty\":false,\"Cmd\":[");
	for (int i = 0; i < a->argc; i++) {
		if (i)
			buf_append_char(body, ',');
		jsonw_cstring(body, a->argv[i]);
	}
	buf_append_str(body, "]}");
	return 0;
}

int docker_exec_start(const char *id, struct ward_buf *path, struct ward_buf *body)
{
	if (!hex_ok(id))
		return -1;
	buf_printf(path, DOCKER_API "/exec/%s/start", id);
	buf_append_str(body, "{\"Detach\":false,\"Tty\":false}");
	return 0;
}

int docker_exec_inspect(const char *id, struct ward_buf *path)
{
	if (!hex_ok(id))
		return -1;
	buf_printf(path, DOCKER_API "/exec/%s/json", id);
	return 0;
}

static struct json_object *parse_obj(const char *json, size_t len)
{
	struct json_tokener *tok = json_tokener_new_ex(8);
	struct json_object *o = tok ? json_tokener_parse_ex(tok, json, (int)len) : NULL;

	if (tok)
		json_tokener_free(tok);
	if (o && !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		o = NULL;
	}
	return o;
}

int docker_parse_id(const char *json, size_t len, char id[DOCKER_ID_MAX + 1])
{
	struct json_object *o = parse_obj(json, len), *v;
	int rc = -1;

	if (o && json_object_object_get_ex(o, "Id", &v) && json_object_is_type(v, json_type_string)) {
		const char *s = json_object_get_string(v);
		if (hex_ok(s)) {
			strcpy(id, s);
			rc = 0;
		}
	}
	json_object_put(o);
	return rc;
}

int docker_parse_exit(const char *json, size_t len, int *exit_code)
{
	struct json_object *o = parse_obj(json, len), *v, *running;
	int rc = -1;

	if (o && json_object_object_get_ex(o, "ExitCode", &v) && json_object_is_type(v, json_type_int) &&
	    !(json_object_object_get_ex(o, "Running", &running) && json_object_get_boolean(running))) {
		*exit_code = json_object_get_int(v);
		rc = 0;
	}
	json_object_put(o);
	return rc;
}

int docker_container_inspect(const char *container, struct ward_buf *path)
{
	if (!docker_name_ok(container))
		return -1;
	buf_printf(path, DOCKER_API "/containers/%s/json", container);
	return 0;
}

int docker_parse_state(const char *json, size_t len, bool *running, long *pid)
{
	struct json_object *o = parse_obj(json, len), *st, *r, *p;
	int rc = -1;

	if (o && json_object_object_get_ex(o, "State", &st) && json_object_is_type(st, json_type_object) &&
	    json_object_object_get_ex(st, "Running", &r) && json_object_is_type(r, json_type_boolean) &&
	    json_object_object_get_ex(st, "Pid", &p) && json_object_is_type(p, json_type_int) &&
	    json_object_get_int64(p) >= 0) {
		*running = json_object_get_boolean(r);
		*pid = *running ? (long)json_object_get_int64(p) : 0;
		rc = 0;
	}
	json_object_put(o);
	return rc;
}
