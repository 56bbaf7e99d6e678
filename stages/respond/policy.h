/* policy.h - who may be banned, for how long, and how often.
 *
 * Pure: no I/O, no clock (callers pass realtime nanoseconds). The policy
 * turns the raw text of an alert's target field into a canonical target or a
 * refusal, and decides ban / extend / refuse against the ban table:
 *   - the text must parse with ip_parse (inet_pton: no leading zeros, no
 *     zone, no garbage); IPv4-mapped IPv6, unspecified, multicast, broadcast
 *     and loopback addresses are refused;
 *   - a target overlapping the allowlist is refused;
 *   - IPv6 may be aggregated to its /64;
 *   - repeat offenders get ban * factor^(offenses) up to max_ban;
 *   - new bans are limited by a token bucket (bans per minute) and a cap
 *     on active bans, so a flood of spoofed alerts cannot lock the host out
 *     of the world.
 * Ownership: the policy owns its allowlist. */
#ifndef WARD_RESPOND_POLICY_H
#define WARD_RESPOND_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipaddr.h"
#include "stages/respond/bantable.h"

/* Longest target text considered at all (INET6_ADDRSTRLEN - 1). */
#define RESPOND_TARGET_MAXLEN 45

struct respond_policy {
	int64_t ban_ns;		/* first ban */
	int64_t max_ban_ns;	/* escalation cap */
	double factor;		/* escalation factor per repeat offense (>= 1) */
	int64_t forget_ns;	/* history kept this long after a ban ends */
	unsigned v6_prefix;	/* 128, or 64 to aggregate */
	unsigned rate_per_min;	/* new bans per minute, 0 = unlimited */
	size_t max_bans;	/* active bans cap, 0 = unlimited */
	struct ward_cidr *allow;	/* owned */
	char (*allow_why)[24];		/* why each entry is there ("config", "loopback", "host") */
	size_t nallow;
	size_t allow_cap;
	double tokens;		/* rate-limit bucket */
	int64_t tokens_at;	/* when tokens was last refilled, or 0 */
};

void policy_init(struct respond_policy *p);	/* the documented defaults */
void policy_free(struct respond_policy *p);
/* Add "ADDR" or "ADDR/LEN" to the allowlist. Returns 0 or -1 if unparsable. */
int policy_allow(struct respond_policy *p, const char *s, size_t n, const char *why);
void policy_allow_cidr(struct respond_policy *p, const struct ward_cidr *c, const char *why);
/* 127.0.0.0/8 and ::1. */
void policy_allow_loopback(struct respond_policy *p);
/* Remove every allowlist entry added with this why (an --allow-file reload). */
void policy_allow_drop(struct respond_policy *p, const char *why);

/* Text of the target field -> canonical target (aggregated when configured).
 * Returns 0, or -1 with *reason a static string naming why it is refused. */
int policy_target(const struct respond_policy *p, const char *s, size_t n,
		  struct ward_cidr *out, const char **reason);
/* The allowlist entry overlapping target, or NULL. */
const struct ward_cidr *policy_allowed(const struct respond_policy *p,
				       const struct ward_cidr *target, const char **why);

enum decision_kind {
	DEC_BAN,	/* new ban: apply, then policy_commit */
	DEC_EXTEND,	/* already banned: move until later */
	DEC_REFUSE,	/* audited refusal; reason set */
	DEC_NOOP,	/* already banned at least that long: nothing to do */
};

struct decision {
	enum decision_kind kind;
	struct ward_cidr target;
	int64_t ttl_ns;
	int64_t until_ns;
	uint32_t offenses;	/* after this ban */
	const char *reason;	/* static string, for DEC_REFUSE */
};

/* Decide for an already-validated target. Does not change anything except
 * refilling the token bucket. */
void policy_decide(struct respond_policy *p, struct ban_table *t, const struct ward_cidr *target,
		   int64_t now_ns, struct decision *d);
/* Record an applied ban or extension in the table and spend a token. */
struct ban_entry *policy_commit(struct respond_policy *p, struct ban_table *t,
				const struct decision *d, const char *rule);
/* Ban time for the n-th offense (n >= 1). */
int64_t policy_ttl(const struct respond_policy *p, uint32_t offenses);

#endif
