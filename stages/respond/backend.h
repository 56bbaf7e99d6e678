/* backend.h - where bans are applied: one small interface, several backends.
 *
 *   nftables  libnftables in-process, sets with per-element timeouts
 *   iptables  ipset sets with timeouts + iptables/ip6tables rules (argv exec)
 *   docker    iptables -s ADDR -j DROP run inside a container through the
 *             Docker Engine API (exec), on its unix socket
 *   exec      an argv template per ban and unban (exectmpl.h)
 *   none      nothing (audit events and webhooks only)
 *
 * A backend's apply() does one fw_req; render() prints what apply() would
 * run, for the dry run. Backends are opened where they act: fwexec.h opens
 * them inside a network namespace when asked. */
#ifndef WARD_RESPOND_BACKEND_H
#define WARD_RESPOND_BACKEND_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "stages/respond/exectmpl.h"
#include "stages/respond/fwcmd.h"

struct fw_cfg {
	const char *container;		/* docker: container name or id */
	const char *docker_socket;	/* docker: Engine API socket path */
	struct exec_tmpl exec_ban;	/* exec */
	struct exec_tmpl exec_unban;	/* exec; argc 0 = no unban command */
};

struct fw_backend {
	const struct fw_backend_ops *ops;
	const struct fw_cfg *cfg;
	void *priv;
};

struct fw_backend_ops {
	const char *name;
	bool kernel_expiry;	/* entries time out by themselves */
	bool flush_each;	/* FW_FLUSH is done as one FW_UNBAN per target */
	int (*open)(struct fw_backend *b, char *err, size_t errlen);
	int (*apply)(struct fw_backend *b, const struct fw_req *r, char *err, size_t errlen);
	void (*render)(const struct fw_cfg *cfg, const struct fw_req *r, struct ward_buf *out);
	void (*close)(struct fw_backend *b);
	/* Optional, polled about once a second: 0 when the bans applied so far
	 * are still in place as far as the backend can tell, 1 when they were
	 * lost since the last call (the docker backend: the container was
	 * started again, with a fresh network namespace and empty iptables),
	 * -1 when it cannot tell (err says why: the container is not running,
	 * the engine does not answer). */
	int (*check)(struct fw_backend *b, char *err, size_t errlen);
};

extern const struct fw_backend_ops fw_nft_ops;
extern const struct fw_backend_ops fw_ipset_ops;
extern const struct fw_backend_ops fw_docker_ops;
extern const struct fw_backend_ops fw_exec_ops;
extern const struct fw_backend_ops fw_none_ops;

/* By name ("nftables", "iptables", "docker", "exec", "none"), or NULL. */
const struct fw_backend_ops *fw_backend_find(const char *name);

#endif
