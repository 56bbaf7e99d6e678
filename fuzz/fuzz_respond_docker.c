/* libFuzzer target: the Docker Engine API responses ward-respond's docker
 * backend parses (stages/respond/docker.h): exec create ("Id"), exec inspect
 * ("ExitCode"), container inspect ("State"). Invariants: no crash; an id is
 * lowercase hex, non-empty and bounded (it goes into a URL path); a pid is
 * never negative and is 0 when the container is not running. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stages/respond/docker.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *json = (const char *)data;
	char id[DOCKER_ID_MAX + 1];
	int code;
	bool running;
	long pid;

	if (docker_parse_id(json, size, id) == 0) {
		size_t n = strlen(id);
		if (n == 0 || n > DOCKER_ID_MAX || strspn(id, "0123456789abcdef") != n)
			abort();
		struct ward_buf path = WARD_BUF_INIT, body = WARD_BUF_INIT;
		if (docker_exec_start(id, &path, &body) != 0 || docker_exec_inspect(id, &path) != 0)
			abort();
		buf_free(&path), buf_free(&body);
	}
	(void)docker_parse_exit(json, size, &code);
	if (docker_parse_state(json, size, &running, &pid) == 0 && (pid < 0 || (!running && pid != 0)))
		abort();
	return 0;
}
