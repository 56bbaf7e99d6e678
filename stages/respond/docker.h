/* docker.h - Docker Engine API requests for running a firewall command
 * inside a container (pure builders and parsers; backend_docker.c does the
 * HTTP over the unix socket with libcurl).
 *
 *   POST /v1.41/containers/NAME/exec  {"AttachStdout":true,"AttachStderr":true,
 *                                      "Tty":false,"Cmd":[argv...]}  -> {"Id":"..."}
 *   POST /v1.41/exec/ID/start         {"Detach":false,"Tty":false}  -> output stream
 *   GET  /v1.41/exec/ID/json                                       -> {"ExitCode":N,...}
 *   GET  /v1.41/containers/NAME/json       -> {"State":{"Running":true,"Pid":N,...},...}
 *
 * The container name comes from the command line and must match Docker's
 * own name syntax [a-zA-Z0-9][a-zA-Z0-9_.-]* (or be an id), so it can be
 * placed in a URL path without escaping. The argv comes from fwcmd.h. */
#ifndef WARD_RESPOND_DOCKER_H
#define WARD_RESPOND_DOCKER_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "stages/respond/fwcmd.h"

#define DOCKER_API "/v1.41"
#define DOCKER_ID_MAX 128

bool docker_name_ok(const char *name);
/* Path and body of the exec-create request. Returns -1 for a bad name. */
int docker_exec_create(const char *container, const struct fw_argv *a,
		       struct ward_buf *path, struct ward_buf *body);
/* Path and body of the exec-start request, and the inspect path. */
int docker_exec_start(const char *id, struct ward_buf *path, struct ward_buf *body);
int docker_exec_inspect(const char *id, struct ward_buf *path);
/* "Id" of an exec-create response (hex only). Returns 0 or -1. */
int docker_parse_id(const char *json, size_t len, char id[DOCKER_ID_MAX + 1]);
/* "ExitCode" of an inspect response; -1 while running or unreadable. */
int docker_parse_exit(const char *json, size_t len, int *exit_code);

/* Path of the container-inspect request. Returns -1 for a bad name. */
int docker_container_inspect(const char *container, struct ward_buf *path);
/* "State" of a container-inspect response: running, and the pid of its
 * first process (0 when not running). A container started again has a new
 * pid and a new network namespace, so the rules put there are gone.
 * Returns 0 or -1 (unreadable). */
int docker_parse_state(const char *json, size_t len, bool *running, long *pid);

#endif
