/* alert.h - ward-window's output events (docs/events.md): an alert for each
 * lifecycle transition, a series point for --emit-series.
 *
 * alert_build fills ev (reset first) from a transition: ts = the transition
 * time, labels job=ward, alertname and the rule's labels (templated), a
 * one-line summary, fields = the key labels, and the "alert" object. No I/O. */
#ifndef WARD_WINDOW_ALERT_H
#define WARD_WINDOW_ALERT_H

#include "buf.h"
#include "event.h"
#include "stages/window/engine.h"

struct alert_builder {
	struct ward_buf scratch;
	struct ward_buf line;
	struct ward_buf obj;	/* the alert or series member, as JSON text */
	size_t *ends, cap_ends;	/* where each templated value ends in scratch */
	const struct ww_alert *cur;
	unsigned template_unknown;	/* unknown template constructs seen */
};

void alert_builder_init(struct alert_builder *b);
void alert_builder_free(struct alert_builder *b);
void alert_build(struct alert_builder *b, const struct ww_alert *a, struct ward_event *ev);
void alert_series_build(struct alert_builder *b, const struct ww_alert *a, struct ward_event *ev);

#endif
