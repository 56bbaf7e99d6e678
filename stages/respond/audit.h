/* audit.h - the audit event of one action (docs/events.md, "action").
 *
 * Pure: builds the event; the caller emits it. Every ban, unban, extension,
 * refusal and error gets one. A refused value is attacker text: it goes only
 * into action.value, cut to AUDIT_VALUE_MAX bytes (JSON-escaped by the
 * serializer), never into fields, so no later stage acts on it. */
#ifndef WARD_RESPOND_AUDIT_H
#define WARD_RESPOND_AUDIT_H

#include <stdbool.h>
#include <stdint.h>

#include "event.h"

#define AUDIT_VALUE_MAX 64

struct action_info {
	const char *kind;	/* ban unban extend refuse error */
	const char *target;	/* canonical target, or NULL */
	const char *value;	/* refused raw value, or NULL */
	size_t value_len;
	const char *backend;
	int64_t ttl_ns;		/* < 0: none */
	int64_t until_ns;	/* WARD_TS_NONE: none */
	const char *result;	/* applied dry-run refused failed active */
	const char *reason;	/* or NULL */
	const char *rule;	/* or NULL */
	bool dry_run;
	const char *command;	/* what would be applied (dry run), or NULL */
	uint32_t offenses;	/* 0: none */
	const char *source;	/* alert expiry restore admin */
};

void action_info_init(struct action_info *a, const char *kind, const char *result);
/* Reset ev and fill it; field names the alert field the target came from
 * (src_ip), set to the target on the audit event. The event's ts is ts_ns,
 * the triggering alert's event time (so a replayed log's actions sit on the
 * log's own timeline); action.applied_at is applied_ns, the wall clock when
 * the firewall was changed. Actions with no alert (expiry, restore, admin)
 * pass the wall clock as both. */
void audit_build(struct ward_event *ev, const struct action_info *a, const char *field,
		 int64_t ts_ns, int64_t applied_ns);

#endif
