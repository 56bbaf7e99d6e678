/* policy.c - target validation, allowlist, escalation, rate limit, cap. */
#include "stages/respond/policy.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "buf.h"
#include "wtime.h"

void policy_init(struct respond_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->ban_ns = 600 * NS_PER_SEC;
	p->max_ban_ns = 7 * 86400 * NS_PER_SEC;
	p->factor = 2.0;
	p->forget_ns = 86400 * NS_PER_SEC;
	p->v6_prefix = 128;
	p->rate_per_min = 60;
	p->max_bans = 10000;
}

void policy_free(struct respond_policy *p)
{
	free(p->allow);
	free(p->allow_why);
	p->allow = NULL;
	p->allow_why = NULL;
	p->nallow = p->allow_cap = 0;
}

void policy_allow_cidr(struct respond_policy *p, const struct ward_cidr *c, const char *why)
{
	if (p->nallow == p->allow_cap) {
		p->allow_cap = p->allow_cap ? p->allow_cap * 2 : 16;
		p->allow = ward_xrealloc(p->allow, p->allow_cap * sizeof(*p->allow));
		p->allow_why = ward_xrealloc(p->allow_why, p->allow_cap * sizeof(*p->allow_why));
	}
	p->allow[p->nallow] = *c;
	strncpy(p->allow_why[p->nallow], why ? why : "config", sizeof(p->allow_why[0]) - 1);
	p->allow_why[p->nallow][sizeof(p->allow_why[0]) - 1] = '\0';
	p->nallow++;
}

int policy_allow(struct respond_policy *p, const char *s, size_t n, const char *why)
{
	struct ward_cidr c;

	if (cidr_parse(s, n, &c) != 0)
		return -1;
	policy_allow_cidr(p, &c, why);
	return 0;
}

void policy_allow_drop(struct respond_policy *p, const char *why)
{
	size_t kept = 0;
	for (size_t i = 0; i < p->nallow; i++) {
		if (strcmp(p->allow_why[i], why) == 0)
			continue;
		p->allow[kept] = p->allow[i];
		memcpy(p->allow_why[kept], p->allow_why[i], sizeof p->allow_why[0]);
		kept++;
	}
	p->nallow = kept;
}

void policy_allow_loopback(struct respond_policy *p)
{
	policy_allow(p, "127.0.0.0/8", 11, "loopback");
	policy_allow(p, "::1/128", 7, "loopback");
}

/* Addresses no firewall should ever drop as a "source": they are not
 * a host that could attack, so an alert naming one is forged or broken. */
static const char *not_unicast(const struct ward_ip *ip)
{
	const uint8_t *a = ip->addr;

	if (ip->family == AF_INET) {
		if (a[0] == 0)
			return "unspecified address (0.0.0.0/8)";
		if (a[0] == 169 && a[1] == 254)
			return "link-local address (169.254.0.0/16)";
		if (a[0] >= 224 && a[0] <= 239)
			return "multicast address";
		if (a[0] >= 240)
			return "reserved or broadcast address";
		return NULL;
	}
	static const uint8_t zero[16];
	if (memcmp(a, zero, 16) == 0)
		return "unspecified address (::)";
	if (a[0] == 0xff)
		return "multicast address";
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
		return "link-local address (fe80::/10)";
	return NULL;
}

/* Why an IPv6 address that embeds the IPv4 v4 is refused, or NULL. */
static const char *embedded_refusal(const struct ward_ip *v4)
{
	if (ip_is_loopback(v4))
		return "IPv6 address embedding a loopback IPv4 address (6to4, NAT64, SIIT or Teredo)";
	const char *why = not_unicast(v4);
	if (why == NULL)
		return NULL;
	if (v4->addr[0] == 169)
		return "IPv6 address embedding a link-local IPv4 address";
	if (v4->addr[0] == 0)
		return "IPv6 address embedding an unspecified IPv4 address";
	return "IPv6 address embedding a multicast, reserved or broadcast IPv4 address";
}

int policy_target(const struct respond_policy *p, const char *s, size_t n,
		  struct ward_cidr *out, const char **reason)
{
	struct ward_ip ip;

	if (n == 0) {
		*reason = "empty target field";
		return -1;
	}
	if (n > RESPOND_TARGET_MAXLEN) {
		*reason = "target field too long for an address";
		return -1;
	}
	if (ip_parse(s, n, &ip) != 0) {
		*reason = "target field is not an IP address";
		return -1;
	}
	if (ip_is_mapped_v4(&ip)) {
		*reason = "IPv4-mapped IPv6 address";
		return -1;
	}
	if (ip_is_loopback(&ip)) {
		*reason = "loopback address";
		return -1;
	}
	if ((*reason = not_unicast(&ip)) != NULL)
		return -1;
	struct ward_ip v4;
	if (ip_embedded_v4(&ip, &v4) && (*reason = embedded_refusal(&v4)) != NULL)
		return -1;
	memset(out, 0, sizeof(*out));
	out->ip = ip;
	out->prefix = ip.family == AF_INET ? 32 : p->v6_prefix;
	ip_mask(&out->ip, out->prefix);
	return 0;
}

/* Two prefixes overlap when the shorter one contains the other's network. */
static bool cidr_overlap(const struct ward_cidr *a, const struct ward_cidr *b)
{
	if (a->ip.family != b->ip.family)
		return false;
	return a->prefix <= b->prefix ? cidr_contains(a, &b->ip) : cidr_contains(b, &a->ip);
}

const struct ward_cidr *policy_allowed(const struct respond_policy *p,
				       const struct ward_cidr *target, const char **why)
{
	for (size_t i = 0; i < p->nallow; i++) {
		if (cidr_overlap(&p->allow[i], target)) {
			if (why)
				*why = p->allow_why[i];
			return &p->allow[i];
		}
	}
	return NULL;
}

int64_t policy_ttl(const struct respond_policy *p, uint32_t offenses)
{
	double ttl = (double)p->ban_ns;
	double factor = p->factor < 1.0 ? 1.0 : p->factor;

	for (uint32_t i = 1; i < offenses && ttl < (double)p->max_ban_ns; i++)
		ttl *= factor;
	if (ttl > (double)p->max_ban_ns)
		ttl = (double)p->max_ban_ns;
	return (int64_t)ttl;
}

static void refill(struct respond_policy *p, int64_t now_ns)
{
	if (p->rate_per_min == 0)
		return;
	if (p->tokens_at == 0 || now_ns < p->tokens_at) {
		/* First use, or the clock went back: start full. */
		p->tokens = p->rate_per_min;
		p->tokens_at = now_ns;
		return;
	}
	double add = (double)(now_ns - p->tokens_at) / (60.0 * NS_PER_SEC) * p->rate_per_min;
	p->tokens = fmin((double)p->rate_per_min, p->tokens + add);
	p->tokens_at = now_ns;
}

static void refuse(struct decision *d, const char *reason)
{
	d->kind = DEC_REFUSE;
	d->reason = reason;
}

void policy_decide(struct respond_policy *p, struct ban_table *t, const struct ward_cidr *target,
		   int64_t now_ns, struct decision *d)
{
	const char *why = NULL;
	struct ban_entry *e = bantable_get(t, target);

	memset(d, 0, sizeof(*d));
	d->target = *target;
	if (policy_allowed(p, target, &why)) {
		refuse(d, "allowlisted");
		return;
	}
	uint32_t prior = 0;
	if (e && (e->active || now_ns < respond_sat_add(e->until_ns, p->forget_ns)))
		prior = e->offenses;
	if (e && e->active && e->until_ns > now_ns) {
		/* Still banned: keep the tier, push the end out. */
		d->offenses = prior ? prior : 1;
		d->ttl_ns = policy_ttl(p, d->offenses);
		d->until_ns = now_ns + d->ttl_ns;
		d->kind = d->until_ns > e->until_ns ? DEC_EXTEND : DEC_NOOP;
		return;
	}
	if (p->max_bans && t->active >= p->max_bans) {
		refuse(d, "active ban cap reached");
		return;
	}
	refill(p, now_ns);
	if (p->rate_per_min && p->tokens < 1.0) {
		refuse(d, "ban rate limit reached");
		return;
	}
	d->kind = DEC_BAN;
	d->offenses = prior + 1;
	d->ttl_ns = policy_ttl(p, d->offenses);
	d->until_ns = now_ns + d->ttl_ns;
}

struct ban_entry *policy_commit(struct respond_policy *p, struct ban_table *t,
				const struct decision *d, const char *rule)
{
	if (d->kind != DEC_BAN && d->kind != DEC_EXTEND)
		return NULL;
	struct ban_entry *e = bantable_put(t, &d->target);
	e->until_ns = d->until_ns;
	e->offenses = d->offenses;
	respond_rule_clean(e->rule, rule, rule ? strlen(rule) : 0);
	bantable_set_active(t, e, true);
	if (d->kind == DEC_BAN && p->rate_per_min)
		p->tokens -= 1.0;
	return e;
}
