/* fwexec.h - run backend requests here, or inside a network namespace.
 *
 * Without a namespace the backend runs in this process. With --netns NAME
 * a worker child is forked at start: it enters /run/netns/NAME with setns,
 * opens the backend there (libnftables' netlink socket, spawned iptables
 * and ipset inherit the namespace) and serves fixed-size requests over a
 * SOCK_SEQPACKET socketpair. The worker stays for the life of the process,
 * so a ban costs one round trip, not a fork. The parent stays in its own
 * namespace (webhooks and the Docker socket are reached from there).
 *
 * The worker also reports the addresses configured in its namespace, its
 * broadcast addresses and gateways (netinfo.h), so the victim's own network
 * is allowlisted by default. A worker that
 * died (killed, crashed) is started again once per failed request. */
#ifndef WARD_RESPOND_FWEXEC_H
#define WARD_RESPOND_FWEXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "ipaddr.h"
#include "stages/respond/backend.h"

#define FWEXEC_MAX_ADDRS 64

struct fw_exec {
	struct fw_backend be;	/* in-process backend (no namespace) */
	pid_t worker;		/* 0: none */
	int sock;		/* to the worker, or -1 */
	char netns[65];		/* namespace name, "" without one */
};

bool fwexec_netns_name_ok(const char *name);
/* /run/netns/NAME exists (NAME already checked by fwexec_netns_name_ok). */
bool fwexec_netns_exists(const char *name);
int fwexec_open(struct fw_exec *x, const struct fw_backend_ops *ops, const struct fw_cfg *cfg,
		const char *netns, char *err, size_t errlen);
int fwexec_apply(struct fw_exec *x, const struct fw_req *r, char *err, size_t errlen);
/* Addresses of the namespace where the backend acts that no ban may hit
 * (netinfo_never_ban there). Returns how many. */
/* The backend's check (backend.h); 0 for backends without one and, as the
 * worker protocol has no such request, with a namespace worker. */
int fwexec_check(struct fw_exec *x, char *err, size_t errlen);
size_t fwexec_addrs(struct fw_exec *x, struct ward_ip *out, size_t max);
void fwexec_close(struct fw_exec *x);

#endif
