/* responder.c - decisions to effects (see responder.h). */
#include "stages/respond/responder.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "stages/respond/audit.h"
#include "wtime.h"

void responder_init(struct responder *r)
{
	memset(r, 0, sizeof(*r));
	policy_init(&r->policy);
	bantable_init(&r->table);
	r->ops = &fw_nft_ops;
	r->field = "src_ip";
	r->journal.fd = -1;
	event_init(&r->audit);
	r->n_bans = r->n_unbans = r->n_extends = &r->dummy_counter;
	r->n_refusals = r->n_errors = r->n_ignored = r->n_unremediated = &r->dummy_counter;
}

void responder_free(struct responder *r)
{
	if (r->fw_open)
		fwexec_close(&r->fw);
	if (r->have_journal)
		journal_close(&r->journal);
	webhook_free(r->hook);
	exec_tmpl_free(&r->cfg.exec_ban);
	exec_tmpl_free(&r->cfg.exec_unban);
	policy_free(&r->policy);
	bantable_free(&r->table);
	event_free(&r->audit);
}

int responder_open_backend(struct responder *r, const char *netns, char *err, size_t errlen)
{
	if (r->dry_run)
		return 0;
	if (fwexec_open(&r->fw, r->ops, &r->cfg, netns, err, errlen) != 0) {
		fwexec_close(&r->fw);
		return -1;
	}
	r->fw_open = true;
	return 0;
}

int responder_open_journal(struct responder *r, const char *path, char *err, size_t errlen)
{
	if (journal_open(&r->journal, path, &r->table, err, errlen) != 0) {
		journal_close(&r->journal);
		return -1;
	}
	r->have_journal = true;
	if (r->journal.stats.bad)
		log_warn("journal %s: %zu broken lines skipped", path, r->journal.stats.bad);
	return 0;
}

/* Emit the audit event for a (and post it to the webhook for changes). */
static int report(struct responder *r, const struct action_info *a, const struct ward_event *alert,
		  int64_t now_ns)
{
	char err[256];

	/* An action on an alert sits at the alert's event time; the wall clock
	 * goes to applied_at. */
	int64_t ts = alert && alert->ts_ns != WARD_TS_NONE ? alert->ts_ns : now_ns;
	audit_build(&r->audit, a, r->field, ts, now_ns);
	int rc = r->emit(r->emit_ctx, &r->audit);
	bool change = strcmp(a->kind, "refuse") != 0;
	if (r->hook && change && webhook_post(r->hook, alert, &r->audit, err, sizeof(err)) != 0) {
		log_warn("%s", err);
		++*r->n_errors;
	}
	return rc;
}

static void journal_rec(struct responder *r, const struct jrec *rec)
{
	char err[256];

	if (!r->have_journal || r->dry_run)
		return;
	if (journal_append(&r->journal, &r->table, rec, err, sizeof(err)) != 0) {
		log_error("%s", err);
		++*r->n_errors;
	}
}

/* Apply req (or render it for the dry run). On failure err holds why. */
static int apply(struct responder *r, const struct fw_req *req, struct ward_buf *command,
		 char *err, size_t errlen)
{
	if (r->dry_run) {
		r->ops->render(&r->cfg, req, command);
		return 0;
	}
	return fwexec_apply(&r->fw, req, err, errlen);
}

static void fill_common(struct responder *r, struct action_info *a, const char *target,
			struct ward_buf *command)
{
	a->target = target;
	a->backend = r->ops->name;
	a->dry_run = r->dry_run;
	if (r->dry_run) {
		a->result = "dry-run";
		a->command = command->len ? command->data : "";
	}
}

static int refuse(struct responder *r, const struct ward_event *alert, const char *target,
		  const char *value, size_t value_len, const char *reason, const char *rule,
		  int64_t now_ns)
{
	struct action_info a;

	action_info_init(&a, "refuse", "refused");
	a.target = target;
	a.value = value;
	a.value_len = value_len;
	a.reason = reason;
	a.rule = rule;
	a.backend = r->ops->name;
	a.dry_run = r->dry_run;
	a.source = "alert";
	++*r->n_refusals;
	log_debug("refused %s: %s", target ? target : "alert", reason);
	return report(r, &a, alert, now_ns);
}

static int ban(struct responder *r, const struct decision *d, const char *rule,
	       const struct ward_event *alert, const char *source, int64_t now_ns)
{
	struct fw_req req = { .op = FW_BAN, .target = d->target, .ttl_ns = d->ttl_ns };
	struct ward_buf command = WARD_BUF_INIT;
	char target[RESPOND_TARGET_STRLEN], err[320] = "";
	struct action_info a;

	respond_rule_clean(req.rule, rule, rule ? strlen(rule) : 0);
	respond_target_format(&d->target, false, target, sizeof(target));
	if (apply(r, &req, &command, err, sizeof(err)) != 0) {
		action_info_init(&a, "error", "failed");
		fill_common(r, &a, target, &command);
		a.reason = err;
		a.rule = req.rule;
		a.source = source;
		++*r->n_errors;
		log_error("ban %s failed: %s", target, err);
		buf_free(&command);
		return report(r, &a, alert, now_ns);
	}
	struct ban_entry *e = policy_commit(&r->policy, &r->table, d, req.rule);
	action_info_init(&a, d->kind == DEC_EXTEND ? "extend" : "ban", "applied");
	fill_common(r, &a, target, &command);
	a.ttl_ns = d->ttl_ns;
	a.until_ns = d->until_ns;
	a.rule = e->rule;
	a.offenses = d->offenses;
	a.source = source;
	++*(d->kind == DEC_EXTEND ? r->n_extends : r->n_bans);
	int rc = report(r, &a, alert, now_ns);
	struct jrec rec = { .kind = JREC_BAN, .target = e->target, .until_ns = e->until_ns,
			    .offenses = e->offenses };
	memcpy(rec.rule, e->rule, sizeof(rec.rule));
	journal_rec(r, &rec);
	buf_free(&command);
	return rc;
}

/* Only firing alerts ban, unless --any-event: a resolved alert or a plain
 * log line naming an address must not. */
static bool is_firing_alert(const struct ward_event *ev)
{
	struct json_object *alert = event_get_extra(ev, "alert"), *state;

	if (!alert || !json_object_is_type(alert, json_type_object))
		return false;
	if (!json_object_object_get_ex(alert, "state", &state))
		return true;
	return json_object_is_type(state, json_type_string) &&
	       strcmp(json_object_get_string(state), "firing") == 0;
}

static const char *alert_rule(const struct ward_event *ev)
{
	struct json_object *alert = event_get_extra(ev, "alert"), *rule;

	if (alert && json_object_is_type(alert, json_type_object) &&
	    json_object_object_get_ex(alert, "rule", &rule) && json_object_is_type(rule, json_type_string))
		return json_object_get_string(rule);
	return ev->rule;
}

/* A rule labelled remediation="false" (CrowdSec's label of the same name) asks
 * to be seen, not acted on: a pipeline canary, a rule still being tuned.
 * Banning its source would lock out the analyst who tests the pipeline. */
static bool remediation_off(const struct ward_event *ev)
{
	const struct ward_kv *kv = event_label(ev, "remediation");

	return kv && kv->val_len == 5 && memcmp(kv->val, "false", 5) == 0;
}

int responder_event(struct responder *r, const struct ward_event *ev, int64_t now_ns)
{
	const char *reason;
	struct ward_cidr target;
	struct decision d;
	char rule[RESPOND_RULE_MAX + 1], text[RESPOND_TARGET_STRLEN];

	if (!r->any_event && !is_firing_alert(ev)) {
		++*r->n_ignored;
		return 0;
	}
	if (remediation_off(ev)) {
		++*r->n_unremediated;
		return 0;
	}
	const char *raw_rule = alert_rule(ev);
	respond_rule_clean(rule, raw_rule, raw_rule ? strlen(raw_rule) : 0);
	const struct ward_kv *kv = event_lookup(ev, r->field);
	if (!kv)
		return refuse(r, ev, NULL, NULL, 0, "alert has no target field", rule, now_ns);
	if (kv->kind != WARD_VAL_STRING)
		return refuse(r, ev, NULL, kv->val, kv->val_len, "target field is not a string", rule, now_ns);
	if (policy_target(&r->policy, kv->val, kv->val_len, &target, &reason) != 0)
		return refuse(r, ev, NULL, kv->val, kv->val_len, reason, rule, now_ns);
	respond_target_format(&target, false, text, sizeof(text));
	policy_decide(&r->policy, &r->table, &target, now_ns, &d);
	if (d.kind == DEC_REFUSE)
		return refuse(r, ev, text, NULL, 0, d.reason, rule, now_ns);
	if (d.kind == DEC_NOOP) {
		++*r->n_ignored;
		return 0;
	}
	return ban(r, &d, rule, ev, "alert", now_ns);
}

/* Remove target from the firewall and report it. */
static int unban(struct responder *r, struct ban_entry *e, const char *reason, const char *source,
		 bool call_backend, int64_t now_ns)
{
	struct fw_req req = { .op = FW_UNBAN, .target = e->target };
	struct ward_buf command = WARD_BUF_INIT;
	char target[RESPOND_TARGET_STRLEN], err[320] = "";
	struct action_info a;
	int failed = 0;

	memcpy(req.rule, e->rule, sizeof(req.rule));
	respond_target_format(&e->target, false, target, sizeof(target));
	if (call_backend && apply(r, &req, &command, err, sizeof(err)) != 0) {
		action_info_init(&a, "error", "failed");
		a.reason = err;
		failed = -1;
		++*r->n_errors;
		log_error("unban %s failed: %s", target, err);
	} else {
		action_info_init(&a, "unban", "applied");
		a.reason = reason;
		++*r->n_unbans;
	}
	fill_common(r, &a, target, &command);
	if (failed)
		a.result = "failed";
	a.rule = e->rule;
	a.source = source;
	int rc = report(r, &a, NULL, now_ns);
	buf_free(&command);
	return rc != 0 ? rc : failed;
}

/* Apply the active ban e again for the rest of its time (after a restart,
 * or when the backend lost it). */
static void reapply(struct responder *r, struct ban_entry *e, const char *source, int64_t now_ns)
{
	/* Never longer than the configured maximum, whatever the journal says. */
	int64_t ttl = e->until_ns - now_ns;
	if (ttl > r->policy.max_ban_ns)
		ttl = r->policy.max_ban_ns;
	struct decision d = { .kind = DEC_BAN, .target = e->target, .ttl_ns = ttl,
			      .until_ns = now_ns + ttl, .offenses = e->offenses };
	char rule[RESPOND_RULE_MAX + 1];
	memcpy(rule, e->rule, sizeof(rule));
	bantable_set_active(&r->table, e, false);	/* ban() re-commits */
	/* The rate limit is for new alerts, not for restoring. */
	double tokens = r->policy.tokens;
	r->policy.tokens = 1e18;
	ban(r, &d, rule, NULL, source, now_ns);
	r->policy.tokens = tokens;
}

/* Only a failed setup fails the start: a ban that cannot be restored is an
 * error event, like any other failed change. */
int responder_restore(struct responder *r, int64_t now_ns)
{
	struct fw_req setup = { .op = FW_SETUP };
	struct ward_buf command = WARD_BUF_INIT;
	char err[320];

	if (apply(r, &setup, &command, err, sizeof(err)) != 0) {
		log_error("firewall setup failed: %s", err);
		buf_free(&command);
		return -1;
	}
	if (r->dry_run && command.len)
		log_info("dry run: setup: %s", command.data);
	buf_free(&command);
	size_t i = 0;
	struct ban_entry *e;
	while ((e = bantable_next(&r->table, &i)) != NULL) {
		if (!e->active)
			continue;
		if (e->until_ns > now_ns) {
			reapply(r, e, "restore", now_ns);
		} else {
			unban(r, e, "expired while stopped", "restore", !r->ops->kernel_expiry, now_ns);
			bantable_set_active(&r->table, e, false);
			struct jrec rec = { .kind = JREC_EXPIRE, .target = e->target };
			journal_rec(r, &rec);
		}
	}
	return 0;
}

static int expire(struct responder *r, int64_t now_ns)
{
	size_t i = 0;
	struct ban_entry *e;
	int rc = 0;

	while ((e = bantable_next(&r->table, &i)) != NULL) {
		if (!e->active || e->until_ns > now_ns)
			continue;
		/* Kernel timeouts already removed it; others need the unban. */
		rc |= unban(r, e, "expired", "expiry", !r->ops->kernel_expiry, now_ns);
		bantable_set_active(&r->table, e, false);
		struct jrec rec = { .kind = JREC_EXPIRE, .target = e->target };
		journal_rec(r, &rec);
	}
	return rc;
}

/* Forget offenders whose history ran out (bounded memory under churn). */
static void forget(struct responder *r, int64_t now_ns)
{
	struct ward_cidr gone[64];
	size_t n = 0, i = 0;
	struct ban_entry *e;

	while ((e = bantable_next(&r->table, &i)) != NULL && n < 64)
		if (!e->active && respond_sat_add(e->until_ns, r->policy.forget_ns) <= now_ns)
			gone[n++] = e->target;
	for (i = 0; i < n; i++)
		bantable_del(&r->table, &gone[i]);
}

/* The backend lost its bans (a container started again): set up and apply
 * every ban still due. */
static void resync(struct responder *r, int64_t now_ns)
{
	struct fw_req setup = { .op = FW_SETUP };
	char err[320];
	size_t i = 0, n = 0;
	struct ban_entry *e;

	if (apply(r, &setup, NULL, err, sizeof(err)) != 0) {
		log_error("%s backend: setup after its bans were lost failed: %s", r->ops->name, err);
		++*r->n_errors;
		return;
	}
	while ((e = bantable_next(&r->table, &i)) != NULL)
		if (e->active && e->until_ns > now_ns) {
			reapply(r, e, "resync", now_ns);
			n++;
		}
	log_info("%s backend: its bans were lost (container started again): %zu applied again", r->ops->name, n);
}

static void check_backend(struct responder *r, int64_t now_ns)
{
	char err[320] = "";

	if (r->dry_run || !r->fw_open || now_ns < r->next_check_ns)
		return;
	r->next_check_ns = now_ns + NS_PER_SEC;
	int c = fwexec_check(&r->fw, err, sizeof(err));
	if (c < 0 && !r->check_failing) {
		log_error("%s backend: %s: bans cannot be applied until it is back", r->ops->name, err);
		++*r->n_errors;
	} else if (c >= 0 && r->check_failing) {
		log_info("%s backend: back", r->ops->name);
	}
	r->check_failing = c < 0;
	if (c == 1)
		resync(r, now_ns);
}

int responder_tick(struct responder *r, int64_t now_ns)
{
	char err[256];

	if (r->have_journal) {
		int n = journal_sync(&r->journal, &r->table, err, sizeof(err));
		if (n < 0)
			log_warn("%s", err);
		else if (n > 0)
			log_debug("journal: %d records from another process", n);
	}
	int rc = expire(r, now_ns);
	check_backend(r, now_ns);
	forget(r, now_ns);
	if (r->have_journal && !r->dry_run && journal_wants_compaction(&r->journal, &r->table) &&
	    journal_compact(&r->journal, &r->table, now_ns, r->policy.forget_ns, err, sizeof(err)) != 0)
		log_warn("%s", err);
	(void)rc;	/* failures are reported as error events; keep running */
	return 0;
}

int responder_unban(struct responder *r, const struct ward_cidr *target, const char *source,
		    int64_t now_ns)
{
	struct ban_entry tmp = { .target = *target }, *e = bantable_get(&r->table, target);

	if (!e) {
		tmp.rule[0] = '-';
		e = &tmp;	/* not ours (or forgotten): remove it anyway */
	}
	int rc = unban(r, e, "admin", source, true, now_ns);
	if (rc == 0) {
		struct jrec rec = { .kind = JREC_UNBAN, .target = *target };
		journal_rec(r, &rec);
		bantable_del(&r->table, target);
	}
	return rc;
}

int responder_flush(struct responder *r, int64_t now_ns)
{
	struct fw_req req = { .op = FW_FLUSH };
	char err[320];
	int rc = 0;
	size_t i = 0;
	struct ban_entry *e;

	if (!r->ops->flush_each) {
		struct ward_buf command = WARD_BUF_INIT;
		rc = apply(r, &req, &command, err, sizeof(err));
		if (rc != 0)
			log_error("flush failed: %s", err);
		else if (r->dry_run)
			log_info("dry run: %s", command.data ? command.data : "");
		else
			log_info("flushed the %s sets", r->ops->name);
		buf_free(&command);
		if (rc != 0)
			return -1;
	}
	/* One event per ban removed; backends without a set to flush remove
	 * their bans one by one here. */
	while ((e = bantable_next(&r->table, &i)) != NULL)
		if (e->active)
			rc |= unban(r, e, "flush", "admin", r->ops->flush_each, now_ns);
	if (rc == 0) {
		struct jrec rec = { .kind = JREC_FLUSH };
		journal_rec(r, &rec);
		bantable_clear(&r->table);
	}
	return rc;
}

int responder_list(struct responder *r, int64_t now_ns)
{
	size_t i = 0;
	struct ban_entry *e;
	char target[RESPOND_TARGET_STRLEN];

	while ((e = bantable_next(&r->table, &i)) != NULL) {
		if (!e->active || e->until_ns <= now_ns)
			continue;
		struct action_info a;
		action_info_init(&a, "ban", "active");
		respond_target_format(&e->target, false, target, sizeof(target));
		a.target = target;
		a.backend = r->ops->name;
		a.ttl_ns = e->until_ns - now_ns;
		a.until_ns = e->until_ns;
		a.rule = e->rule;
		a.offenses = e->offenses;
		a.source = "journal";
		audit_build(&r->audit, &a, r->field, now_ns, now_ns);
		if (r->emit(r->emit_ctx, &r->audit) != 0)
			return -1;
	}
	return 0;
}
