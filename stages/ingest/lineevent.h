/* lineevent.h - turning one raw text line into an event (no I/O).
 *
 * Used by ward-ingest for every source: the line becomes `line`, the
 * configured labels are attached, and the timestamp is taken from the line
 * itself according to the timestamp mode, falling back to the arrival time
 * (documented in docs/ingest.md). */
#ifndef WARD_INGEST_LINEEVENT_H
#define WARD_INGEST_LINEEVENT_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "opts.h"

enum ts_mode {
	TS_AUTO,	/* wherever the line's program writes it (linetime.h) */
	TS_RFC3339,
	TS_SYSLOG,
	TS_EPOCH,
	TS_NONE,	/* always the arrival time */
};

struct lineevent_conf {
	enum ts_mode ts_mode;
	const char **label_keys;	/* parallel arrays, owned by the caller */
	const char **label_vals;
	size_t nlabels;
};

int ts_mode_parse(const char *s, enum ts_mode *mode);
/* Split "k=v" options into the conf's label arrays; checks names are valid
 * LogQL label names. Returns 0, or -1 with the bad item in *bad. */
int lineevent_labels(struct lineevent_conf *c, const struct opt_list *items, const char **bad);
/* One more label for every event (copied); the name is not checked. */
void lineevent_add_label(struct lineevent_conf *c, const char *name, const char *value);
void lineevent_conf_free(struct lineevent_conf *c);
/* Fill ev (reset first) from one line. now_ns is the arrival time, used when
 * the line carries no timestamp the mode can read; year_ref_ns picks the
 * year of BSD syslog times (the clock, --now, or a file's mtime). Returns 1
 * if the time came from the line, 0 if it is the arrival time. */
int lineevent_build(const struct lineevent_conf *c, struct ward_event *ev, const char *line,
		    size_t len, int64_t now_ns, int64_t year_ref_ns);
/* A valid Prometheus/Loki label name: [a-zA-Z_][a-zA-Z0-9_]*. */
int label_name_valid(const char *s, size_t n);

#endif
