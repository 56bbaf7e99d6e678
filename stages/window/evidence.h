/* evidence.h - the most recent input lines of one key, shown in its alerts
 * (`evidence` in docs/events.md): a ring of at most EVIDENCE_MAX lines, each
 * cut to EVIDENCE_LINE_MAX bytes, with their event times.
 *
 * A ring is allocated at the first line kept and its line buffers are
 * reused as it turns. Ownership: the key owns its ring; evidence_free
 * releases it. No I/O. */
#ifndef WARD_WINDOW_EVIDENCE_H
#define WARD_WINDOW_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "stages/window/rule.h"
#include "stages/window/win.h"

#define EVIDENCE_MAX 10
#define EVIDENCE_LINE_MAX 1024

struct ww_evidence {
	uint8_t head, n;
	uint16_t len[EVIDENCE_MAX];
	uint16_t cap[EVIDENCE_MAX];
	int64_t ts[EVIDENCE_MAX];
	char *line[EVIDENCE_MAX];
};

/* Keep ev's line (time t) in *d, a ring of `keep` lines (1..EVIDENCE_MAX),
 * allocated on first use. */
void evidence_add(struct ww_evidence **d, unsigned keep, const struct ward_event *ev, int64_t t);
/* The lines of d not later than `at`, oldest first, into lines/lens (room
 * for EVIDENCE_MAX); returns how many. */
size_t evidence_until(const struct ww_evidence *d, unsigned keep, int64_t at, const char **lines,
		      size_t *lens);
/* Whether the rule's key with window w should keep lines at all: under a
 * rising count threshold only once it holds half the events it needs. */
bool evidence_worth(const struct ww_rule *rule, const struct ww_win *w);
/* Bytes held beyond the key (the ring and its lines). */
size_t evidence_bytes(const struct ww_evidence *d);
void evidence_free(struct ww_evidence *d);

#endif
