/* auditd.h - auditd's records (no I/O): one line of /var/log/audit/audit.log
 * (or of audisp-syslog's forwarding, after its syslog header) split into
 * its pairs, with the values auditd hex-encodes decoded. Used by
 * `ward-ingest --format auditd`.
 *
 * The format (audit-userspace, the kernel's audit_log_*()):
 *   [node=NAME ]type=TYPE msg=audit(SECONDS.MILLIS:SERIAL): k=v k=v ...
 * A value is quoted ("/usr/bin/curl") or not (59, c000003e, (null), ?). A
 * string the kernel cannot trust (audit_log_untrustedstring: a path, comm,
 * an argument) is written in hex when it holds '"', a byte below 0x21 or
 * above 0x7e: exactly the command lines with spaces a rule looks for.
 * Userspace records (USER_*, ADD_USER, CRYPTO_*, SERVICE_*) carry a
 * second level, msg='op=... acct="root" exe=... res=failed', split here
 * as pairs of the record. The enriched format's uppercase pairs after a
 * 0x1d byte (UID="root") are pairs too.
 *
 * Decoded (only when unquoted and made of an even number of hex digits,
 * because these are the fields auparse reads as escaped): path, comm, exe,
 * file, name, watch, cwd, cmd, acct, dir, key, ocomm, proctitle (its NUL
 * separators between arguments become spaces), data of TTY records, and the
 * arguments a0, a1, ... of EXECVE records (never SYSCALL's a0..a3, which are
 * register values in hex). A long argument auditd splits (a1_len=N
 * a1[0]=... a1[1]=...) is joined back into a1.
 *
 * Key names are made label-safe: any byte outside [A-Za-z0-9_] becomes
 * '_' (vm-ctx -> vm_ctx). The first of two pairs with one name wins (the
 * record's own before the nested msg's). Bounded: at most AUDITD_MAX_PAIRS
 * pairs (more are counted in dropped), keys of at most AUDITD_MAX_KEY
 * bytes; every read is checked against the line's length. */
#ifndef WARD_INGEST_AUDITD_H
#define WARD_INGEST_AUDITD_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "event.h"

enum { AUDITD_MAX_PAIRS = 512, AUDITD_MAX_KEY = 64 };

struct auditd_pair {
	size_t key, klen;	/* offsets into the record's store, key NUL-terminated */
	size_t val, vlen;	/* value NUL-terminated too (it may hold NULs) */
};

struct auditd_record {
	int64_t ts_ns;
	uint64_t serial;
	size_t type, type_len;	/* offsets into store */
	size_t node, node_len;	/* node_len 0 without node= */
	struct auditd_pair pairs[AUDITD_MAX_PAIRS];
	size_t npairs;
	size_t dropped;		/* pairs past AUDITD_MAX_PAIRS */
	struct ward_buf store;
};

void auditd_record_init(struct auditd_record *r);
void auditd_record_free(struct auditd_record *r);

/* Parse one line (a record at its start, or after the syslog header of a
 * program that forwards audit records: auditd_time.h). 0 on success; -1
 * with *why if the line is not an audit record. */
int auditd_parse(const char *s, size_t n, int64_t year_ref_ns, struct auditd_record *r,
		 const char **why);

/* The record's strings (valid until the next parse). */
static inline const char *auditd_str(const struct auditd_record *r, size_t off)
{
	return r->store.data + off;
}

/* ev (reset by the caller) gets: line = the raw line, fields type, serial,
 * node and every pair, label type, time = the record's. */
void auditd_to_event(const struct auditd_record *r, const char *line, size_t len,
		     struct ward_event *ev);

#endif
