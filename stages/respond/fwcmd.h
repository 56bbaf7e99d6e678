/* fwcmd.h - firewall commands built from canonical targets (pure).
 *
 * Every command text and argv ward-respond runs comes from here, built only
 * from a struct ward_cidr printed with inet_ntop, numbers, and fixed words:
 * no byte of an event reaches a command. The same builders print the dry
 * run, so a dry run shows exactly what would be applied.
 *
 * nftables (table inet ward): sets ban4 (ipv4_addr), ban6 (ipv6_addr) and
 * ban6n (IPv6 /64 networks, matched as saddr & ffff:ffff:ffff:ffff::), all
 * "flags timeout" with per-element timeouts; drop rules in an input and a
 * forward chain at priority filter - 10.
 * ipset: hash:net sets ward4 and ward6 with timeouts; iptables/ip6tables
 * rules "-m set --match-set wardN src -j DROP" in INPUT and FORWARD. */
#ifndef WARD_RESPOND_FWCMD_H
#define WARD_RESPOND_FWCMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "ipaddr.h"
#include "stages/respond/bantable.h"

enum fw_op { FW_SETUP, FW_BAN, FW_UNBAN, FW_FLUSH };

/* One request to a backend: a fixed-size value, so it can cross the
 * socketpair to a namespace worker as it is. */
struct fw_req {
	enum fw_op op;
	struct ward_cidr target;	/* FW_BAN, FW_UNBAN */
	int64_t ttl_ns;			/* FW_BAN */
	char rule[RESPOND_RULE_MAX + 1];
};

const char *fw_op_name(enum fw_op op);

#define FW_NFT_TABLE "ward"
/* The nftables commands for r (newline-separated, one transaction). */
void fwcmd_nft(const struct fw_req *r, struct ward_buf *out);

#define FW_ARGV_MAX 24
#define FW_ARGV_STORE 1024
struct fw_argv {
	int argc;
	char *argv[FW_ARGV_MAX + 1];	/* NULL-terminated, point into store */
	char store[FW_ARGV_STORE];
	size_t used;
};
void fw_argv_init(struct fw_argv *a);
/* Copy s as the next argument. Returns 0, or -1 when full. */
int fw_argv_push(struct fw_argv *a, const char *s);
/* "prog arg arg" for logs and the dry run (arguments are ward-built). */
void fw_argv_render(const struct fw_argv *a, struct ward_buf *out);

#define FW_IPSET4 "ward4"
#define FW_IPSET6 "ward6"
/* ipset argv for r; setup and flush need several (index 0, 1, ...).
 * Returns 0 and fills a, or 1 when there is no command at that index. */
int fwcmd_ipset(const struct fw_req *r, int index, struct fw_argv *a);
/* iptables or ip6tables (v6) argv: action "-C" (check) or "-I" (insert)
 * of the set match rule in chain. */
void fwcmd_ipt_setrule(bool v6, const char *action, const char *chain, struct fw_argv *a);
/* Plain rule (no ipset), as run inside a container: action -C, -I or -D of
 * "-s TARGET -j DROP" in INPUT. */
void fwcmd_ipt_plain(const struct ward_cidr *target, const char *action, struct fw_argv *a);

/* TTL in whole seconds, rounded up, at least 1, at most max_s. */
int64_t fw_ttl_seconds(int64_t ttl_ns, int64_t max_s);

#endif
