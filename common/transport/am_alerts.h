/* am_alerts.h - ward alert events as Alertmanager alerts (API v2), and the
 * table of alerts a sender keeps re-sending. No I/O, no threads: the
 * Alertmanager transport (transport_alertmanager.c) owns one table in its
 * sender thread.
 *
 * Mapping, as Prometheus' and Loki's rulers send:
 *   labels       alert.key, then alert.labels (the rule's win), then
 *                alertname = alert.rule; names Alertmanager would refuse
 *                (not [a-zA-Z_][a-zA-Z0-9_]*) and empty values are left out
 *   annotations  alert.annotations (same name rule)
 *   startsAt     the event time of the firing transition (kept while the
 *                alert fires: renotifications do not move it)
 *   endsAt       resolved: the event time of the resolution; firing: the
 *                send time + 4 x the resend interval, so Alertmanager
 *                resolves the alert by itself when ward stops sending it
 *                (Prometheus: ValidUntil = now + 4 x max(resend delay,
 *                evaluation interval))
 *   generatorURL alertmanager.generator_url, "{rule}" replaced by the rule
 *                name (URL-escaped)
 * Identity is the label set (Alertmanager's fingerprint). Pending alerts
 * are not sent (as Prometheus); events that are not alerts are skipped. */
#ifndef WARD_AM_ALERTS_H
#define WARD_AM_ALERTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct ward_event;

/* One alert update taken from an event (owned strings). */
struct am_update {
	char *labels;		/* canonical JSON object, names sorted: the identity */
	char *annotations;	/* JSON object */
	char *rule;
	int64_t ts_ns;		/* the transition's event time */
	bool resolved;
};

enum am_from {
	AM_UPDATE = 0,		/* u filled */
	AM_NOT_ALERT,		/* no "alert" object (e.g. ward-respond's actions) */
	AM_PENDING,		/* state pending: not sent */
	AM_INVALID,		/* an alert without rule or state, or no label left */
};

/* Build the update of ev; now_ns stands in for a missing ts. */
enum am_from am_update_from_event(const struct ward_event *ev, int64_t now_ns,
				  struct am_update *u);
void am_update_free(struct am_update *u);

struct am_alert {
	char *labels, *annotations, *rule;
	int64_t starts_ns;
	int64_t ends_ns;		/* resolved: resolution time; firing: 0 */
	int64_t last_sent_mono;	/* 0: never */
	int64_t resolved_mono;	/* when it was resolved (retention), 0 firing */
	uint64_t gen;		/* bumped on every change */
	uint64_t sent_gen;	/* gen of the last delivered send */
};

struct am_table {
	struct am_alert *a;
	size_t n, cap;
	size_t max;		/* bound on alerts kept */
	uint64_t gen;
};

void am_table_init(struct am_table *t, size_t max);
void am_table_free(struct am_table *t);

enum am_apply { AM_NEW, AM_CHANGED, AM_SAME, AM_FULL };
/* Apply u (its strings are taken over, u is left empty). A new alert when
 * the table is full replaces the resolved alert resolved longest ago, else
 * it is refused (AM_FULL, u freed). */
enum am_apply am_table_apply(struct am_table *t, struct am_update *u, int64_t now_mono);
/* Forget resolved alerts older than retention_ns (they were re-sent until
 * then, as Prometheus keeps resolved alerts for 15 minutes). */
void am_table_expire(struct am_table *t, int64_t now_mono, int64_t retention_ns);
/* Does alert i need sending now? (changed since the last delivered send,
 * or resend_ns since the last send) */
bool am_needs_send(const struct am_alert *a, int64_t now_mono, int64_t resend_ns);
/* Alerts changed and not delivered (the "pending" of a flush). */
size_t am_table_undelivered(const struct am_table *t);
size_t am_table_firing(const struct am_table *t);

/* Append one alert in API v2 form: {"labels":...,"annotations":...,
 * "startsAt":...,"endsAt":...,"generatorURL":...}. */
void am_alert_json(const struct am_alert *a, int64_t now_ns, int64_t valid_ns,
		   const char *generator_url, struct ward_buf *out);

#endif
