/* ingest.h - what ward-ingest does with each record, without I/O of its
 * own: a text line (or a block of joined lines) becomes an event with its
 * time and labels; a container runtime line is unwrapped and joined; a
 * Suricata, Zeek or journal JSON record is mapped (records.h); a ward event
 * (--format events, Loki) is validated and relabeled.
 *
 * Events and bad records go to the sink (in ward-ingest: stage_emit and
 * stage_bad_record); main.c only parses options and wires sources, this
 * module and the stage loop. The only file-system reads, a file's mtime and
 * container name, go through a per-path cache (pathfacts.h). */
#ifndef WARD_INGEST_INGEST_H
#define WARD_INGEST_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "stages/ingest/extract.h"
#include "stages/ingest/lineevent.h"
#include "stages/ingest/multiline.h"
#include "stages/ingest/pathfacts.h"
#include "stages/ingest/source.h"
#include "transport.h"

enum ingest_format {
	INGEST_RAW, INGEST_EVENTS, INGEST_DOCKER, INGEST_CRI, INGEST_SURICATA, INGEST_ZEEK,
	INGEST_JOURNAL_JSON, INGEST_AUDITD
};

/* "raw", "events", "docker", "cri", "suricata", "zeek", "journal-json",
 * "auditd".
 * Returns 0, or -1 for another name. */
int ingest_format_parse(const char *s, enum ingest_format *f);

struct ingest_sink {
	/* One event. Return 0, or -1 to stop (the output failed). */
	int (*emit)(void *ctx, const struct ward_event *ev);
	/* A record that is not what the format says. Return 0 to go on, -1
	 * to stop (--strict). */
	int (*bad)(void *ctx, const char *data, size_t len, const char *why);
	void *ctx;
};

struct ingest_conf {
	enum ingest_format format;
	bool events;		/* records are ward events (--format events, Loki) */
	int64_t fixed_now;	/* --now, or WARD_TS_NONE for the clock */
	bool follow;		/* files followed: the clock picks syslog years */
	const char *default_job;	/* events without a job label get it, or NULL */
	size_t max_line;	/* bound of a joined container line */
	uint64_t *ts_fallbacks;	/* counts records given the arrival time, or NULL */
	const struct pathfacts_lookup *lookup;	/* NULL: the file system */
};

struct ingest;

/* Takes over lines (its labels and time mode), x and ml (either may be
 * NULL). Never fails (out of memory aborts). */
struct ingest *ingest_new(const struct ingest_conf *c, struct lineevent_conf *lines,
			  struct extract *x, struct multiline *ml, const struct ingest_sink *sink);
void ingest_free(struct ingest *in);

/* The FILE operand whose records follow ("-" or NULL: stdin, no filename
 * label). The string must outlive its records. Its mtime is read here. */
void ingest_set_file(struct ingest *in, const char *filename);
/* A source of ours (source.h) whose labels the records carry, or NULL. */
void ingest_set_source(struct ingest *in, const struct ingest_source *src);

/* One record. Returns 0, or -1 when the sink asked to stop. */
int ingest_record(struct ingest *in, const struct ward_record *rec);
/* --multiline-start: emit the blocks whose file was quiet until now_mono. */
int ingest_idle(struct ingest *in, int64_t now_mono);
/* End of input: emit every open block. */
int ingest_end(struct ingest *in);

#endif
