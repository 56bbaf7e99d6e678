/* syslogsrv.h - a syslog receiver on UDP and TCP, as an ingest source.
 *
 * UDP: one datagram is one message. TCP: octet counting or newline framing
 * (syslog.h), at most max_conn connections at once (more are accepted and
 * closed at once, counted as syslog_refused), idle ones closed after
 * idle_timeout. Each record is the message as a syslog daemon writes it
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
	size_t max_msg;
	int64_t idle_timeout_ns;
	int64_t fixed_now;	/* year of BSD times; WARD_TS_NONE for the clock */
	struct ward_counters *counters;
};

struct ingest_source *syslogsrv_open(const struct syslogsrv_conf *c, char *err, size_t errlen);

#endif
