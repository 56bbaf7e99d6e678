/* auditd_time.h - the time auditd writes in its records (no I/O): the
 * stamp "audit(SECONDS.MILLIS:SERIAL)" that follows "msg=" in audit.log
 * (and "audit: type=N " in the kernel's own log when auditd is not running),
 * read by ward-ingest's --ts auto (linetime.h) and the record parser
 * (auditd.h). Both auditd and the kernel write it as "%llu.%03lu:%u". */
#ifndef WARD_INGEST_AUDITD_TIME_H
#define WARD_INGEST_AUDITD_TIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* s starts at "audit(": 0 with the time in *ts_ns, the serial in *serial
 * and the bytes through the closing ')' in *used, else -1. */
int auditd_stamp(const char *s, size_t n, int64_t *ts_ns, uint64_t *serial, size_t *used);

/* The time of a record written at s by auditd or the kernel: s starts with
 * "type=T msg=audit(", "node=N type=T msg=audit(" (auditd, audisp-syslog) or
 * "audit: type=N audit(" (the kernel's printk). 0 and *ts_ns, else -1. A
 * stamp further right is never read: only auditd writes at these places. */
int auditd_record_time(const char *s, size_t n, int64_t *ts_ns);

/* Whether the syslog program name p[0..n) is one that forwards audit
 * records: audisp-syslog (audit 3), audispd's syslog plugin (audit 2),
 * auditd, or the kernel's printk when no auditd listens. */
bool auditd_program(const char *p, size_t n);

/* Where the record starts in a line: 0 when the line is one (as above), or
 * the offset of the message after a syslog header (any layout syslog_parse
 * reads; year_ref_ns picks the year of BSD times) whose program is
 * auditd_program's (the kernel's after its "[   12.345678] " uptime). Tying the record to these programs keeps another
 * program's text ("sshd[1]: type=X msg=audit(0.0:1)") from being read as
 * one. (size_t)-1 when the line holds no record. */
size_t auditd_record_offset(const char *s, size_t n, int64_t year_ref_ns);

#endif
