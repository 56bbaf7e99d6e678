/* records.h - structured log records to events (no I/O): Suricata's
 * eve.json and fast.log, Zeek's TSV and JSON logs, and the systemd journal's
 * export as `journalctl -o json` writes it.
 *
 * Suricata (--format suricata): an eve.json record keeps its JSON text as
 * the line (rules parse it with `| json`); fields src_ip, src_port, dest_ip,
 * dest_port, proto, community_id, flow_id, app_proto (eve.json's names,
 * which are ward's), label event_type (alert, flow, dns, http, tls, ssh,
 * anomaly, ...), time from "timestamp". A fast.log line
 * (`MM/DD/YYYY-HH:MM:SS.uuuuuu  [**] [g:s:r] MSG [**] [Classification: C]
 * [Priority: N] {PROTO} SRC:PORT -> DST:PORT`) gets the same fields and
 * event_type=alert.
 *
 * Zeek (--format zeek): TSV logs with their header lines (#separator,
 * #set_separator, #empty_field, #unset_field, #path, #fields, #types,
 * #open, #close; state kept per source, so several files interleave) and
 * JSON logs (one object per line). The line is the record as written;
 * every field becomes a field of the event (the unset `-` skipped, `(empty)`
 * an empty string, `\xHH` and `\\` escapes undone, dots in names made `_`),
 * with id.orig_h -> src_ip, id.orig_p -> src_port, id.resp_h -> dest_ip,
 * id.resp_p -> dest_port, proto upper-cased (ward-sniff's TCP/UDP/ICMP),
 * notice's src/dst/p as src_ip/dest_ip/dest_port when id.* is unset, and
 * http's uri/user_agent/status_code also as request_uri/http_user_agent/
 * status. Label zeek_log: #path, a JSON record's _path, else the file
 * name up to its first dot (conn.log, conn.09:00:00-10:00:00.log.gz ->
 * conn). Time from ts: epoch seconds with a fraction, or an ISO 8601 string
 * (LogAscii::json_timestamps).
 *
 * Journal JSON (--format journal-json): the line is
 * `SYSLOG_IDENTIFIER[PID]: MESSAGE` (what the syslog receiver writes, so
 * anchored rule packs match: journal_line); labels host (_HOSTNAME),
 * program, pid (SYSLOG_PID, else _PID), severity (PRIORITY), unit
 * (_SYSTEMD_UNIT); time __REALTIME_TIMESTAMP (microseconds). MESSAGE may be
 * an array of bytes (journalctl's form for non-UTF-8 data).
 *
 * auditd (--format auditd): audit.log records, or audisp-syslog's after a
 * syslog header (auditd.h): the line as written, every pair a field with
 * hex-encoded values decoded, fields type, serial, node, label type, time
 * from msg=audit(SECONDS.MILLIS:SERIAL). */
#ifndef WARD_INGEST_RECORDS_H
#define WARD_INGEST_RECORDS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "event.h"

enum rec_kind { REC_SURICATA, REC_ZEEK, REC_JOURNAL_JSON, REC_AUDITD };

struct recparse;

struct recparse *recparse_new(enum rec_kind kind);
void recparse_free(struct recparse *p);

enum recparse_result {
	RECPARSE_EVENT = 1,	/* ev filled: reset, line, fields, labels, ts */
	RECPARSE_SKIP = 0,	/* a header or comment line, nothing to emit */
	RECPARSE_BAD = -1,	/* not a record of this kind: *why says why */
};

/* One input line from source (a file name, or "-"): Zeek keeps header
 * state per source. ev is reset first; ev->ts_ns is WARD_TS_NONE when the
 * record had no readable time. */
enum recparse_result recparse_line(struct recparse *p, const char *source, const char *line,
				   size_t len, struct ward_event *ev, const char **why);

/* The journal's fields of one entry, as found (not NUL-terminated). */
struct journal_entry {
	const char *msg, *ident, *pid, *host, *unit;
	size_t msg_len, ident_len, pid_len, host_len, unit_len;
	int priority;		/* -1 unknown */
	int64_t ts_ns;		/* WARD_TS_NONE unknown */
};

/* "IDENT[PID]: MSG", "IDENT: MSG" without a pid, MSG alone without an
 * identifier (syslog_line's shapes). */
void journal_line(const struct journal_entry *e, struct ward_buf *out);
/* Labels host, program, pid, severity, unit of e on ev (those present). */
void journal_labels(const struct journal_entry *e, struct ward_event *ev);

#endif
