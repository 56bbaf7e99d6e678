/* bantable.h - the bans ward-respond knows about, keyed by target.
 *
 * One entry per target (an address, or an IPv6 /64 when aggregating). An
 * entry outlives its ban: after expiry it stays (inactive) as the offender's
 * history, so a repeat offender gets a longer ban, until it is forgotten.
 * Entries live in a dense array indexed by common/hash's table (linear
 * probing, backward-shift deletion: no tombstones, lookups stay short under
 * churn). Walks go in index slot order, which for up to 32 entries is the
 * order the table had before it sat on common/hash.
 *
 * Ownership: the table owns its entries. Entry pointers are valid until the
 * next put or del on the table. No I/O, no clock: callers pass times. */
#ifndef WARD_RESPOND_BANTABLE_H
#define WARD_RESPOND_BANTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hash.h"
#include "ipaddr.h"

/* Rule names are copied into entries and the journal: at most this many
 * bytes of [A-Za-z0-9_.:-], anything else is replaced (respond_rule_clean). */
#define RESPOND_RULE_MAX 64

struct ban_entry {
	struct ward_cidr target;
	int64_t until_ns;	/* end of the current (or last) ban, realtime */
	uint32_t offenses;	/* bans counted toward escalation */
	bool active;		/* a ban is in place (or believed to be) */
	char rule[RESPOND_RULE_MAX + 1];
};

struct ban_table {
	struct ban_entry *ents;	/* dense: ents[0..len) */
	size_t len;		/* entries */
	size_t cap;		/* entries allocated */
	size_t active;		/* entries with active set */
	struct hashtab index;	/* target -> entry */
};

void bantable_init(struct ban_table *t);
void bantable_free(struct ban_table *t);
struct ban_entry *bantable_get(struct ban_table *t, const struct ward_cidr *c);
/* The entry for c, created zeroed (inactive, 0 offenses) if missing. */
struct ban_entry *bantable_put(struct ban_table *t, const struct ward_cidr *c);
void bantable_del(struct ban_table *t, const struct ward_cidr *c);
/* Mark active or not, keeping t->active right. */
void bantable_set_active(struct ban_table *t, struct ban_entry *e, bool active);
void bantable_clear(struct ban_table *t);
/* Iterate: size_t i = 0; while ((e = bantable_next(t, &i))) ... (no put/del
 * during the walk). */
struct ban_entry *bantable_next(struct ban_table *t, size_t *iter);
const struct ban_entry *bantable_next_const(const struct ban_table *t, size_t *iter);

/* Canonical text of a target: "198.18.0.7", "2001:db8:1:2::/64". With
 * always_prefix the length is written for single addresses too (journal). */
#define RESPOND_TARGET_STRLEN (WARD_IP_STRLEN + 4)
void respond_target_format(const struct ward_cidr *c, bool always_prefix, char *out, size_t n);

/* a + b for b >= 0, saturating at INT64_MAX (journal times are untrusted
 * enough that an end time near the limit must not overflow). */
static inline int64_t respond_sat_add(int64_t a, int64_t b)
{
	return a > INT64_MAX - b ? INT64_MAX : a + b;
}

/* Copy a rule name into dst (RESPOND_RULE_MAX + 1 bytes), keeping only
 * [A-Za-z0-9_.:-] and truncating; empty or NULL becomes "-". Rule names
 * come from events, so they are attacker-reachable text. */
void respond_rule_clean(char *dst, const char *src, size_t n);

#endif
