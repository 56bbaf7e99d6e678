/* source.h - where ward-ingest's lines come from besides a transport.
 *
 * A source is a struct ward_input (so the stage loop drives it unchanged)
 * that also says, for the record next() returned last, which labels the
 * source knows (filename, host, container, ...) and whether the record's
 * ts_ns came from the source itself (syslog header, container log time).
 * Sources: tail.h (files followed), syslogsrv.h (UDP/TCP receiver). */
#ifndef WARD_INGEST_SOURCE_H
#define WARD_INGEST_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "transport.h"

#define SRC_MAX_LABELS 8

struct src_labels {
	const char *names[SRC_MAX_LABELS];	/* static or owned by the source */
	const char *values[SRC_MAX_LABELS];	/* valid until the next next() */
	size_t n;
};

/* Why a source could not be opened (with a message in err): ward-ingest's
 * exit status follows from it, never from the message's words. */
enum source_err {
	SOURCE_ERR_UNAVAILABLE = 1,	/* socket, inotify, journal: 69 */
	SOURCE_ERR_NOENT,		/* no such file or journal: 74 */
	SOURCE_ERR_POSITIONS,		/* positions or cursor file unusable: 78 */
};

struct ingest_source {
	struct ward_input in;	/* first member: a ward_input * is this */
	struct src_labels labels;	/* of the last record */
	bool ts_from_source;	/* the last record's ts_ns is the source's own
				 * time for the line (not an arrival time) */
};

static inline void src_labels_set(struct src_labels *l, const char *name, const char *value)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->names[i] == name) {
			l->values[i] = value;
			return;
		}
	if (l->n < SRC_MAX_LABELS) {
		l->names[l->n] = name;
		l->values[l->n] = value;
		l->n++;
	}
}

#endif
