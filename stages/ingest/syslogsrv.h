/* syslogsrv.h - a syslog receiver on UDP and TCP, as an ingest source.
 *
 * UDP: one datagram is one message. TCP: octet counting or newline framing
 * (syslog.h). TCP slots are guarded against one sender holding them all
 * (idle connections cost a slot each and nothing else), as rsyslog's and
 * syslog-ng's hardening guides advise:
 *   - at most max_conn connections, at most max_per_host from one address;
 *   - the last reserve slots (max_conn / 8, at least 1 when max_conn > 1) go
 *     only to an address with no connection yet, and when every slot is
 *     taken a new address evicts the longest-idle connection of the address
 *     holding the most (if it holds two or more);
 *   - a connection is closed after idle_timeout without a byte, or after
 *     first_byte_timeout if it never sent one.
 * Refused connections are accepted and closed at once (syslog_refused);
 * closed ones are counted as syslog_idle_closed and syslog_evicted. Each record is the message as a syslog daemon writes it
 * after the header, "program[pid]: message" (syslog_line); labels: host
 * (from the header, else the sender's address), program and pid (RFC 3164's
 * TAG[PID], RFC 5424's APP-NAME and PROCID), severity, and peer (the
 * sender's address, canonical). The record's time is the header's; without
 * one, the arrival time. */
#ifndef WARD_INGEST_SYSLOGSRV_H
#define WARD_INGEST_SYSLOGSRV_H

#include <stddef.h>
#include <stdint.h>

#include "counters.h"
#include "stages/ingest/source.h"

struct syslogsrv_conf {
	const char *udp;	/* "HOST:PORT", "[V6]:PORT", ":PORT"; or NULL */
	const char *tcp;
	unsigned max_conn;
	unsigned max_per_host;	/* 0: max_conn */
	size_t max_msg;
	int64_t idle_timeout_ns;
	int64_t first_byte_timeout_ns;	/* 0: idle_timeout_ns */
	int64_t fixed_now;	/* year of BSD times; WARD_TS_NONE for the clock */
	struct ward_counters *counters;
};

/* NULL with err set and *why SOURCE_ERR_UNAVAILABLE when an address cannot
 * be resolved or bound. */
struct ingest_source *syslogsrv_open(const struct syslogsrv_conf *c, enum source_err *why,
				     char *err, size_t errlen);

#endif
