/* syslog.h - syslog messages and their framing (no I/O).
 *
 * Parses RFC 5424 (<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG) and
 * RFC 3164 (<PRI>Mmm dd hh:mm:ss HOST TAG[PID]: MSG), with the variants
 * seen in practice: no PRI, an RFC 3339 time in place of the BSD one, no
 * host. A message that fits neither is kept whole as MSG, so nothing a
 * sender writes is lost. Strings point into the input. */
#ifndef WARD_INGEST_SYSLOG_H
#define WARD_INGEST_SYSLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct syslog_str {
	const char *p;
	size_t n;
};

struct syslog_msg {
	int version;		/* 1 for RFC 5424, 0 otherwise */
	int facility;		/* -1 without PRI */
	int severity;		/* -1 without PRI */
	int64_t ts_ns;		/* WARD_TS_NONE without a time */
	struct syslog_str host, app, procid, msgid, sd, msg;
};

/* now_ns picks the year of BSD times. Always fills m (at least msg). */
void syslog_parse(const char *s, size_t n, int64_t now_ns, struct syslog_msg *m);
/* The event line of a message: RFC 3164's MSG with its tag, the shape a
 * file written by a syslog daemon has after its header, so one rule covers
 * both: "app[procid]: msg", "app: msg" without a PROCID (RFC 5424's "-"),
 * or the message alone without an APP-NAME / TAG. Replaces out's content. */
void syslog_line(const struct syslog_msg *m, struct ward_buf *out);
const char *syslog_severity_name(int severity);	/* "err", ...; NULL if < 0 */

/* TCP framing (RFC 6587): octet counting ("LEN SP MSG") when a frame starts
 * with a digit, otherwise a frame ends at LF (or NUL). Frames longer than
 * max are cut at max (counted by the caller via *truncated). */
struct syslog_framer {
	struct ward_buf buf;
	size_t start;
	size_t max;
	size_t skip;		/* bytes of an oversized frame still to drop */
};

void syslog_framer_init(struct syslog_framer *f, size_t max);
void syslog_framer_free(struct syslog_framer *f);
void syslog_framer_feed(struct syslog_framer *f, const char *p, size_t n);
/* The next complete frame: 1 (frame in *msg, *len, valid until the next
 * feed), 0 (need more bytes). *truncated tells a frame was longer than max. */
int syslog_framer_next(struct syslog_framer *f, const char **msg, size_t *len, bool *truncated);
/* At end of connection: what is left, as a last frame (newline framing). */
int syslog_framer_rest(struct syslog_framer *f, const char **msg, size_t *len);

#endif
