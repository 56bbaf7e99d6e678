/* webhook.h - POST each action (with the alert that caused it) as JSON.
 *
 * Body: {"alert":<the input event>,"action":<the audit event>} (alert is
 * null for expiries and admin commands), or with slack set
 * {"text":"ward: <the audit line>"}, which Slack incoming webhooks and
 * compatible chat services accept. Both are built from serialized events,
 * so attacker text arrives escaped. Sent synchronously with a timeout,
 * after the firewall change, so a slow receiver delays the next alert but
 * never the ban in hand. */
#ifndef WARD_RESPOND_WEBHOOK_H
#define WARD_RESPOND_WEBHOOK_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "event.h"

struct webhook;

/* url must be http:// or https://. */
struct webhook *webhook_new(const char *url, bool slack, long timeout_ms, char *err, size_t errlen);
void webhook_body(bool slack, const struct ward_event *alert, const struct ward_event *action,
		  struct ward_buf *out);
int webhook_post(struct webhook *w, const struct ward_event *alert, const struct ward_event *action,
		 char *err, size_t errlen);
void webhook_free(struct webhook *w);

#endif
