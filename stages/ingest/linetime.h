/* linetime.h - the time of a log line, wherever its program wrote it (no
 * I/O). Used by ward-ingest's --ts auto.
 *
 * Precedence, first found wins:
 *   0. an audit record's own time (LINETIME_AUDIT): the stamp of
 *      "msg=audit(1700000000.123:42)" when the line is an audit record as
 *      auditd writes it ("type=T msg=audit(...)", "node=N type=T ..."), or
 *      when a syslog header (any layout of 1.) of audisp-syslog, audispd,
 *      auditd or kernel precedes one (the kernel's "audit: type=N
 *      audit(...)"): the record's time says when the event happened, the
 *      header's when it was forwarded;
 *   1. the line's start (LINETIME_START): any layout of time_parse_prefix
 *      (wtime.h), after an optional syslog <PRI> and RFC 5424 version
 *      ("<38>1 2022-01-19T14:23:55+00:00 host ..."), or after one leading
 *      address token ("65.2.129.7 2023-03-12 11:17:28.425 UTC [53962]",
 *      PostgreSQL's log_line_prefix '%h %m');
 *   2. on a JSON object line, a top-level member (LINETIME_JSON), the first
 *      present of: timestamp, time, @timestamp, ts, time_iso8601,
 *      time_local; a string in any layout of time_parse_text or a number of
 *      epoch seconds (Caddy's "ts":1711741827.9626286);
 *   3. the first bracketed access-log time anywhere in the line
 *      (LINETIME_BRACKET): "[10/Oct/2000:13:55:36 -0700]" of the common,
 *      combined and vhost_combined formats.
 * The line start comes first because text further right may be a client's
 * (a URI holding "[01/Jan/2000:00:00:00 +0000]" cannot move a line that
 * starts with its own time); the bracket search comes last for the same
 * reason, and takes the first bracket, which the access-log formats write
 * before the request line. */
#ifndef WARD_INGEST_LINETIME_H
#define WARD_INGEST_LINETIME_H

#include <stddef.h>
#include <stdint.h>

enum linetime_where {
	LINETIME_NONE = 0,	/* no time found: *ts untouched */
	LINETIME_START,
	LINETIME_JSON,
	LINETIME_BRACKET,
	LINETIME_AUDIT,
};

/* year_ref_ns picks the year of BSD syslog times (time_parse_syslog). */
enum linetime_where linetime_find(const char *s, size_t n, int64_t year_ref_ns, int64_t *ts);

#endif
