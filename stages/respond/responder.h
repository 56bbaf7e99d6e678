/* responder.h - ward-respond's engine: alerts in, firewall changes and
 * audit events out.
 *
 * Glue between the pure parts (policy, ban table, journal records, command
 * builders, audit events) and the effects (backend via fwexec, journal
 * file, webhook). Order for a ban: decide, apply to the firewall, emit the
 * audit event, then journal it with fsync: a crash in between leaves a ban
 * that times out in the kernel by itself, never a journaled ban that was
 * not applied. Audit events go to the stage's output through the emit
 * callback. */
#ifndef WARD_RESPOND_RESPONDER_H
#define WARD_RESPOND_RESPONDER_H

#include <stdbool.h>
#include <stdint.h>

#include "event.h"
#include "stages/respond/backend.h"
#include "stages/respond/bantable.h"
#include "stages/respond/fwexec.h"
#include "stages/respond/journal_io.h"
#include "stages/respond/policy.h"
#include "stages/respond/webhook.h"

typedef int (*responder_emit_fn)(void *ctx, const struct ward_event *ev);

struct responder {
	struct respond_policy policy;
	struct ban_table table;
	const struct fw_backend_ops *ops;
	struct fw_cfg cfg;
	struct fw_exec fw;
	bool fw_open;
	bool dry_run;
	const char *field;		/* target field, "src_ip" */
	bool any_event;			/* act on any event, not only firing alerts */
	struct journal journal;
	bool have_journal;
	struct webhook *hook;
	responder_emit_fn emit;
	void *emit_ctx;
	struct ward_event audit;	/* reused */
	uint64_t *n_bans, *n_unbans, *n_extends, *n_refusals, *n_errors, *n_ignored, *n_unremediated;
	uint64_t dummy_counter;
	int64_t next_check_ns;		/* next backend check (backend.h check) */
	bool check_failing;		/* the last check could not tell: reported once */
};

void responder_init(struct responder *r);
void responder_free(struct responder *r);
/* Open the backend (inside netns when not NULL) unless dry run. */
int responder_open_backend(struct responder *r, const char *netns, char *err, size_t errlen);
/* Open the journal and replay it into the table. */
int responder_open_journal(struct responder *r, const char *path, char *err, size_t errlen);
/* Create the firewall tables/sets/rules; re-apply bans still due and remove
 * the ones that expired while stopped. */
int responder_restore(struct responder *r, int64_t now_ns);
/* One input event. Returns 0, or -1 when the output failed. */
int responder_event(struct responder *r, const struct ward_event *ev, int64_t now_ns);
/* Expire bans, pick up admin changes, compact; about once a second, ask
 * the backend whether its bans are still in place, and apply every ban still
 * due again when they were lost (a container restarted: audited as bans with
 * source "resync"). */
int responder_tick(struct responder *r, int64_t now_ns);
/* Admin: unban one target, or every active one. Returns 0 or -1. */
int responder_unban(struct responder *r, const struct ward_cidr *target, const char *source,
		    int64_t now_ns);
int responder_flush(struct responder *r, int64_t now_ns);
/* Admin: one event per active ban. */
int responder_list(struct responder *r, int64_t now_ns);

#endif
