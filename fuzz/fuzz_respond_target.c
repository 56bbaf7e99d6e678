/* libFuzzer target: ward-respond's handling of an alert's target text.
 * Invariants: no crash; an accepted target is canonical (formatting and
 * parsing it again gives the same target), is never loopback, mapped,
 * multicast or unspecified, and every firewall command built from it holds
 * only address characters besides ward's own fixed words. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "stages/respond/exectmpl.h"
#include "stages/respond/fwcmd.h"
#include "stages/respond/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_target(const struct respond_policy *p, const struct ward_cidr *c)
{
	char text[RESPOND_TARGET_STRLEN];
	struct ward_cidr back;

	if (ip_is_loopback(&c->ip) || ip_is_mapped_v4(&c->ip))
		abort();
	struct ward_ip v4;	/* nor loopback in an IPv6 disguise */
	if (c->prefix == 128 && ip_embedded_v4(&c->ip, &v4) && ip_is_loopback(&v4))
		abort();
	respond_target_format(c, true, text, sizeof(text));
	if (strspn(text, "0123456789abcdef.:/") != strlen(text))
		abort();
	if (cidr_parse(text, strlen(text), &back) != 0 || back.prefix != c->prefix ||
	    !ip_equal(&back.ip, &c->ip))
		abort();
	if (c->ip.family == AF_INET6 && c->prefix != 128 && c->prefix != p->v6_prefix)
		abort();
}

static void check_commands(const struct ward_cidr *c)
{
	struct fw_req r = { .op = FW_BAN, .target = *c, .ttl_ns = 600000000000LL };
	struct ward_buf b = WARD_BUF_INIT;
	struct fw_argv a;
	struct exec_tmpl t;
	char err[128];

	fwcmd_nft(&r, &b);
	if (memchr(b.data, ';', b.len) || strstr(b.data, "flush"))
		abort();
	if (fwcmd_ipset(&r, 0, &a) != 0 || a.argc != 7)
		abort();
	if (exec_tmpl_parse("x {target} {addr} {ttl}", &t, err, sizeof(err)) != 0 ||
	    exec_tmpl_expand(&t, &r, &a) != 0 || a.argc != 4)
		abort();
	exec_tmpl_free(&t);
	buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct respond_policy p;
	struct ward_cidr c;
	const char *why;
	unsigned prefixes[2] = { 128, 64 };

	policy_init(&p);
	policy_allow_loopback(&p);
	for (int i = 0; i < 2; i++) {
		p.v6_prefix = prefixes[i];
		if (policy_target(&p, (const char *)data, size, &c, &why) != 0) {
			if (!why)
				abort();
			continue;
		}
		check_target(&p, &c);
		check_commands(&c);
		(void)policy_allowed(&p, &c, &why);
	}
	/* The same text as a template must parse or be refused, never crash. */
	char *s = strndup((const char *)data, size);
	struct exec_tmpl t;
	char err[128];
	if (s && exec_tmpl_parse(s, &t, err, sizeof(err)) == 0)
		exec_tmpl_free(&t);
	free(s);
	policy_free(&p);
	return 0;
}
