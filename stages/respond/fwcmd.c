/* fwcmd.c - nftables text and iptables/ipset argv builders. */
#include "stages/respond/fwcmd.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

const char *fw_op_name(enum fw_op op)
{
	switch (op) {
	case FW_SETUP: return "setup";
	case FW_BAN: return "ban";
	case FW_UNBAN: return "unban";
	case FW_FLUSH: return "flush";
	}
	return "?";
}

int64_t fw_ttl_seconds(int64_t ttl_ns, int64_t max_s)
{
	int64_t s = ttl_ns / 1000000000 + (ttl_ns % 1000000000 ? 1 : 0);

	if (s < 1)
		s = 1;
	return s > max_s ? max_s : s;
}

static const char *nft_set(const struct ward_cidr *t)
{
	if (t->ip.family == AF_INET)
		return "ban4";
	return t->prefix == 128 ? "ban6" : "ban6n";
}

static void nft_setup(struct ward_buf *out)
{
	static const char *const chains[] = { "input", "forward" };

	buf_append_str(out, "add table inet " FW_NFT_TABLE "\n"
		"add set inet " FW_NFT_TABLE " ban4 { type ipv4_addr; flags timeout; }\n"
		"add set inet " FW_NFT_TABLE " ban6 { type ipv6_addr; flags timeout; }\n"
		"add set inet " FW_NFT_TABLE " ban6n { type ipv6_addr; flags timeout; }\n");
	/* flush + add keeps the rules exactly once however often we start. */
	for (size_t i = 0; i < 2; i++) {
		const char *c = chains[i];
		buf_printf(out,
			"add chain inet " FW_NFT_TABLE " %s { type filter hook %s priority filter - 10; policy accept; }\n"
			"flush chain inet " FW_NFT_TABLE " %s\n"
			"add rule inet " FW_NFT_TABLE " %s ip saddr @ban4 drop\n"
			"add rule inet " FW_NFT_TABLE " %s ip6 saddr @ban6 drop\n"
			"add rule inet " FW_NFT_TABLE " %s ip6 saddr & ffff:ffff:ffff:ffff:: @ban6n drop\n",
			c, c, c, c, c, c);
	}
}

void fwcmd_nft(const struct fw_req *r, struct ward_buf *out)
{
	char addr[WARD_IP_STRLEN];
	const char *set;

	switch (r->op) {
	case FW_SETUP:
		nft_setup(out);
		return;
	case FW_FLUSH:
		buf_append_str(out, "flush set inet " FW_NFT_TABLE " ban4\n"
				    "flush set inet " FW_NFT_TABLE " ban6\n"
				    "flush set inet " FW_NFT_TABLE " ban6n\n");
		return;
	case FW_BAN:
	case FW_UNBAN:
		break;
	}
	/* /64 elements are stored as their network address (host bits are
	 * already clear in a ward_cidr). */
	ip_format(&r->target.ip, addr);
	set = nft_set(&r->target);
	/* add; delete; [add] in one transaction: no error whether or not the
	 * element exists, and a re-ban replaces the timeout (nft 1.0 "add"
	 * keeps an existing element's timeout). */
	buf_printf(out, "add element inet " FW_NFT_TABLE " %s { %s }\n"
			"delete element inet " FW_NFT_TABLE " %s { %s }\n", set, addr, set, addr);
	if (r->op == FW_BAN) {
		int64_t ms = r->ttl_ns / 1000000;
		buf_printf(out, "add element inet " FW_NFT_TABLE " %s { %s timeout %" PRId64 "ms }\n",
			   set, addr, ms < 1000 ? 1000 : ms);
	}
}

void fw_argv_init(struct fw_argv *a)
{
	a->argc = 0;
	a->argv[0] = NULL;
	a->used = 0;
}

int fw_argv_push(struct fw_argv *a, const char *s)
{
	size_t n = strlen(s) + 1;

	if (a->argc >= FW_ARGV_MAX || a->used + n > sizeof(a->store))
		return -1;
	memcpy(a->store + a->used, s, n);
	a->argv[a->argc++] = a->store + a->used;
	a->argv[a->argc] = NULL;
	a->used += n;
	return 0;
}

void fw_argv_render(const struct fw_argv *a, struct ward_buf *out)
{
	for (int i = 0; i < a->argc; i++) {
		if (i)
			buf_append_char(out, ' ');
		buf_append_str(out, a->argv[i]);
	}
}

static void push_all(struct fw_argv *a, const char *const *words)
{
	for (; *words; words++)
		fw_argv_push(a, *words);
}

/* ipset's largest timeout (seconds). */
#define IPSET_MAX_TIMEOUT 2147483

int fwcmd_ipset(const struct fw_req *r, int index, struct fw_argv *a)
{
	char target[RESPOND_TARGET_STRLEN], secs[24];
	const char *set = r->target.ip.family == AF_INET ? FW_IPSET4 : FW_IPSET6;

	fw_argv_init(a);
	switch (r->op) {
	case FW_SETUP:
		if (index > 1)
			return 1;
		push_all(a, (const char *const[]){ "ipset", "create", index ? FW_IPSET6 : FW_IPSET4,
			 "hash:net", "family", index ? "inet6" : "inet", "timeout", "0", "-exist", NULL });
		return 0;
	case FW_FLUSH:
		if (index > 1)
			return 1;
		push_all(a, (const char *const[]){ "ipset", "flush", index ? FW_IPSET6 : FW_IPSET4, NULL });
		return 0;
	case FW_BAN:
	case FW_UNBAN:
		break;
	}
	if (index > 0)
		return 1;
	respond_target_format(&r->target, false, target, sizeof(target));
	if (r->op == FW_UNBAN) {
		push_all(a, (const char *const[]){ "ipset", "del", set, target, "-exist", NULL });
		return 0;
	}
	snprintf(secs, sizeof(secs), "%" PRId64, fw_ttl_seconds(r->ttl_ns, IPSET_MAX_TIMEOUT));
	/* -exist on add replaces the timeout of an existing entry. */
	push_all(a, (const char *const[]){ "ipset", "add", set, target, "timeout", secs, "-exist", NULL });
	return 0;
}

void fwcmd_ipt_setrule(bool v6, const char *action, const char *chain, struct fw_argv *a)
{
	fw_argv_init(a);
	push_all(a, (const char *const[]){ v6 ? "ip6tables" : "iptables", "-w", action, chain,
		 "-m", "set", "--match-set", v6 ? FW_IPSET6 : FW_IPSET4, "src", "-j", "DROP", NULL });
}

void fwcmd_ipt_plain(const struct ward_cidr *t, const char *action, struct fw_argv *a)
{
	char target[RESPOND_TARGET_STRLEN];

	respond_target_format(t, false, target, sizeof(target));
	fw_argv_init(a);
	push_all(a, (const char *const[]){ t->ip.family == AF_INET ? "iptables" : "ip6tables", "-w",
		 action, "INPUT", "-s", target, "-j", "DROP", NULL });
}
