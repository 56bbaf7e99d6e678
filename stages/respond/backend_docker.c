/* backend_docker.c - iptables inside a container, through the Docker Engine
 * API on its unix socket (libcurl). Each command is exec-create, exec-start
 * (waits for the command to end), exec-inspect for the exit code.
 *
 * A container started again runs in a new network namespace with empty
 * iptables: check() notices the new pid of its first process (container
 * inspect) and the responder applies every ban still in force again.
 *
 * Tested against a real Docker Engine (Debian's docker.io, its own dockerd)
 * by tests/integration/respond_docker_engine.sh, against a mock Engine API
 * for error paths by respond_docker.sh; the requests and responses are
 * unit-tested (tests/unit/respond/test_commands.c). */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "stages/respond/backend.h"
#include "stages/respond/docker.h"

#define DOCKER_DEFAULT_SOCKET "/var/run/docker.sock"
#define DOCKER_TIMEOUT_MS 10000L

struct docker_priv {
	CURL *curl;
	long pid;	/* the container's first process when last seen running; 0 unknown */
};

static size_t collect(char *p, size_t size, size_t n, void *ud)
{
	struct ward_buf *b = ud;

	if (b->len < 65536)	/* keep the start; a command's output is not needed */
		buf_append(b, p, size * n);
	return size * n;
}

static int request(struct fw_backend *b, const char *path, const char *body, struct ward_buf *resp,
		   long *status, char *err, size_t errlen)
{
	CURL *c = ((struct docker_priv *)b->priv)->curl;
	struct ward_buf url = WARD_BUF_INIT;
	struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json");

	buf_printf(&url, "http://localhost%s", path);
	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH,
			 b->cfg->docker_socket ? b->cfg->docker_socket : DOCKER_DEFAULT_SOCKET);
	curl_easy_setopt(c, CURLOPT_URL, url.data);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, DOCKER_TIMEOUT_MS);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, resp);
	if (body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	}
	CURLcode cc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	curl_slist_free_all(hdr);
	buf_free(&url);
	if (cc != CURLE_OK) {
		snprintf(err, errlen, "docker API %s: %s", path, curl_easy_strerror(cc));
		return -1;
	}
	return 0;
}

/* Run argv in the container; returns its exit code or -1. */
static int docker_run(struct fw_backend *b, const struct fw_argv *a, char *err, size_t errlen)
{
	struct ward_buf path = WARD_BUF_INIT, body = WARD_BUF_INIT, resp = WARD_BUF_INIT;
	char id[DOCKER_ID_MAX + 1];
	long status = 0;
	int rc = -1, exit_code = -1;

	if (docker_exec_create(b->cfg->container, a, &path, &body) != 0) {
		snprintf(err, errlen, "bad container name");
		goto out;
	}
	if (request(b, path.data, body.data, &resp, &status, err, errlen) != 0)
		goto out;
	if (status != 201 || docker_parse_id(resp.data ? resp.data : "", resp.len, id) != 0) {
		snprintf(err, errlen, "docker exec create in %s: HTTP %ld", b->cfg->container, status);
		goto out;
	}
	buf_reset(&path), buf_reset(&body), buf_reset(&resp);
	docker_exec_start(id, &path, &body);
	if (request(b, path.data, body.data, &resp, &status, err, errlen) != 0)
		goto out;
	buf_reset(&path);
	docker_exec_inspect(id, &path);
	/* The start call returns when the output stream closes; the engine may
	 * still report the exec as running for a moment. */
	for (int tries = 0; tries < 50; tries++) {
		buf_reset(&resp);
		if (request(b, path.data, NULL, &resp, &status, err, errlen) != 0)
			goto out;
		if (status == 200 && docker_parse_exit(resp.data ? resp.data : "", resp.len, &exit_code) == 0) {
			rc = exit_code;
			goto out;
		}
		nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000000 }, NULL);
	}
	snprintf(err, errlen, "docker exec inspect: HTTP %ld, no exit code", status);
out:
	buf_free(&path), buf_free(&body), buf_free(&resp);
	return rc;
}

static int docker_apply(struct fw_backend *b, const struct fw_req *r, char *err, size_t errlen)
{
	struct fw_argv a;

	if (r->op != FW_BAN && r->op != FW_UNBAN)
		return 0;	/* no set to create or flush: flush goes target by target */
	fwcmd_ipt_plain(&r->target, "-C", &a);
	int present = docker_run(b, &a, err, errlen);
	if (present < 0)
		return -1;
	if ((r->op == FW_BAN) == (present == 0))
		return 0;	/* already as wanted */
	fwcmd_ipt_plain(&r->target, r->op == FW_BAN ? "-I" : "-D", &a);
	int st = docker_run(b, &a, err, errlen);
	if (st != 0 && st != -1)
		snprintf(err, errlen, "%s in container %s exited %d", a.argv[0], b->cfg->container, st);
	return st == 0 ? 0 : -1;
}

static void docker_render(const struct fw_cfg *cfg, const struct fw_req *r, struct ward_buf *out)
{
	struct fw_argv a;

	if (r->op != FW_BAN && r->op != FW_UNBAN)
		return;
	fwcmd_ipt_plain(&r->target, r->op == FW_BAN ? "-I" : "-D", &a);
	buf_printf(out, "docker exec %s ", cfg->container ? cfg->container : "?");
	fw_argv_render(&a, out);
}

/* GET /containers/NAME/json: 1 running (*pid set), 0 not running, -1 error. */
static int docker_state(struct fw_backend *b, long *pid, char *err, size_t errlen)
{
	struct ward_buf path = WARD_BUF_INIT, resp = WARD_BUF_INIT;
	long status = 0;
	bool running = false;
	int rc = -1;

	docker_container_inspect(b->cfg->container, &path);
	if (request(b, path.data, NULL, &resp, &status, err, errlen) != 0)
		goto out;
	if (status == 404)
		snprintf(err, errlen, "container %s not found", b->cfg->container);
	else if (status != 200 || docker_parse_state(resp.data ? resp.data : "", resp.len, &running, pid) != 0)
		snprintf(err, errlen, "docker inspect %s: HTTP %ld", b->cfg->container, status);
	else if (!running) {
		snprintf(err, errlen, "container %s is not running", b->cfg->container);
		rc = 0;
	} else {
		rc = 1;
	}
out:
	buf_free(&path), buf_free(&resp);
	return rc;
}

/* A container started again runs in a new network namespace whose
 * iptables are empty: every ban put there before is gone. Seen as a new
 * pid of its first process. */
static int docker_check(struct fw_backend *b, char *err, size_t errlen)
{
	struct docker_priv *d = b->priv;
	long pid = 0;
	int st = docker_state(b, &pid, err, errlen);

	if (st < 0)
		return -1;	/* engine or container unknown: keep the last pid */
	if (st == 0) {
		d->pid = 0;	/* down: whatever runs next starts empty */
		return -1;
	}
	int lost = d->pid != pid;
	d->pid = pid;
	return lost;
}

static int docker_open(struct fw_backend *b, char *err, size_t errlen)
{
	if (!b->cfg->container || !docker_name_ok(b->cfg->container)) {
		snprintf(err, errlen, "--container NAME is required and must be a Docker name or id");
		return -1;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	struct docker_priv *d = calloc(1, sizeof(*d));
	if (!d || !(d->curl = curl_easy_init())) {
		free(d);
		snprintf(err, errlen, "curl_easy_init failed");
		return -1;
	}
	b->priv = d;
	/* Where the bans restored next will land; a container that is down
	 * now (or an engine that does not answer) is not an error here: its
	 * bans fail one by one as error events, and the first check that
	 * finds it running applies every ban still due. */
	char ignored[256];
	long pid = 0;
	if (docker_state(b, &pid, ignored, sizeof(ignored)) == 1)
		d->pid = pid;
	return 0;
}

static void docker_close(struct fw_backend *b)
{
	struct docker_priv *d = b->priv;

	if (d) {
		curl_easy_cleanup(d->curl);
		free(d);
	}
	b->priv = NULL;
}

const struct fw_backend_ops fw_docker_ops = {
	.name = "docker", .kernel_expiry = false, .flush_each = true,
	.open = docker_open, .apply = docker_apply, .render = docker_render, .close = docker_close,
	.check = docker_check,
};
