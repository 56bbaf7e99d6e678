/* wtime.h - timestamps and durations.
 *
 * All times are int64 nanoseconds since the Unix epoch, UTC, which spans the
 * years 1677 to 2262; a time outside is refused. Parsers return 0 on
 * success and -1 on anything they cannot read completely. */
#ifndef WARD_WTIME_H
#define WARD_WTIME_H

#include <stddef.h>
#include <stdint.h>

#define NS_PER_SEC 1000000000LL

/* RFC 3339 / ISO 8601: 2026-11-28T08:43:52.123456789Z, any fraction length
 * up to 9 digits, 'Z' or +hh:mm / -hh:mm, 'T' or ' ' separator. */
int time_parse_rfc3339(const char *s, size_t n, int64_t *ns);
/* Always 2026-11-28T08:43:52.123456789Z (30 bytes + NUL). */
#define WARD_RFC3339_LEN 31
void time_format_rfc3339(int64_t ns, char out[WARD_RFC3339_LEN]);

/* BSD syslog "Nov 28 08:43:52" (day space-padded, "Nov  2", or not,
 * "Nov 2"). The year is not in
 * the text: it is chosen so the result is not more than one day after
 * `now_ns` (logs from December read in January belong to last year). */
int time_parse_syslog(const char *s, size_t n, int64_t now_ns, int64_t *ns, size_t *consumed);
/* Epoch: seconds with optional fraction ("1700000000.25"), or an integer
 * whose magnitude decides the unit (s, ms, us, ns), as Promtail's "Unix*". */
int time_parse_epoch(const char *s, size_t n, int64_t *ns);
/* A time at the start of s in any layout logs write there; consumed = its
 * bytes. Layouts (times without a zone are read as UTC):
 *   ISO 8601 / RFC 3339   2022-07-12T06:22:33.415742+0000, 2020-04-16T05:13:40Z,
 *                         2021-05-28 18:08:34,399 (ProFTPD), 2023-03-12
 *                         11:17:28.425 UTC (PostgreSQL): 'T' or ' ', '.' or
 *                         ',' fraction, zone Z, +hh:mm, +hhmm, " UTC", " GMT"
 *                         or none
 *   nginx error log       2021/09/30 09:23:53
 *   Suricata fast.log     07/11/2022-10:29:01.860293 (month first)
 *   BSD syslog            Sep 30 09:23:53 (the year as time_parse_syslog)
 *   Apache error log      [Thu Sep 30 13:27:06.009964 2021]
 *   asctime (vsftpd,      Sun Oct 21 08:57:59 2012, Mon Oct  1 17:09:23 2001
 *   xferlog, logread)
 *   access log %t         [10/Oct/2000:13:55:36 -0700]
 *   epoch                 10 or more digits, as time_parse_epoch */
int time_parse_prefix(const char *s, size_t n, int64_t now_ns, int64_t *ns, size_t *consumed);
/* The access log's bracketed %t at s: "[10/Oct/2000:13:55:36 -0700]". */
int time_parse_access(const char *s, size_t n, int64_t *ns, size_t *consumed);
/* s (surrounding blanks ignored) is exactly one time: any layout of
 * time_parse_prefix, epoch seconds with a fraction or an integer in s, ms,
 * us or ns, or the access-log time without brackets ("10/Oct/2000:13:55:36
 * -0700", nginx's $time_local). For --regex groups and JSON members. */
int time_parse_text(const char *s, size_t n, int64_t now_ns, int64_t *ns);

/* Prometheus/LogQL durations: 10s, 5m, 1h30m, 250ms, 1.5h, 2d, 1w, 1y
 * (units ns us µs ms s m h d w y). Negative durations are rejected. */
int duration_parse(const char *s, size_t n, int64_t *ns);
/* Shortest exact form: "1h30m", "10s", "250ms", "0s". */
void duration_format(int64_t ns, char *out, size_t outlen);
/* For people (messages, --list, the text of audit lines): rounded to the
 * second from 1s up ("4m57s", "1d2h"), to the millisecond below ("250ms"),
 * "0s" for 0 and below. Parses back with duration_parse. */
void duration_format_human(int64_t ns, char *out, size_t outlen);

/* Proleptic Gregorian dates and day numbers (days since 1970-01-01; m
 * 1..12). A day d past the month's end counts on into the next months,
 * as timegm normalizes it. */
int64_t time_days_from_civil(int64_t y, unsigned m, unsigned d);
void time_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);
int64_t time_now_ns(void);	/* CLOCK_REALTIME */
int64_t time_mono_ns(void);	/* CLOCK_MONOTONIC */

#endif
