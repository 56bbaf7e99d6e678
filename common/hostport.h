/* hostport.h - the HOST[:PORT] part of a transport URI (Kafka brokers, Loki).
 *
 * HOST is a DNS name (letters, digits, '-', '_', dots between labels), an
 * IPv4 address or an [IPv6] address in brackets (no zone id); PORT, when
 * written, is 1-65535 in decimal. The client libraries would take a
 * mistyped port (99999) and fail only at connect time, far from the
 * command line that caused it, so URIs are checked when they are parsed. */
#ifndef WARD_HOSTPORT_H
#define WARD_HOSTPORT_H

#include <stddef.h>

/* 0 if s[0..n) is HOST or HOST:PORT; -1 with the reason in err. */
int hostport_check(const char *s, size_t n, char *err, size_t errlen);

#endif
