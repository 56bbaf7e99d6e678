/* proc.h - what ward-sniff does with each captured frame, without I/O.
 *
 * Decodes the frame, counts it, and produces events through the emit
 * callback: one per packet (packet mode), one per source per interval
 * (summary mode, intervals on packet time, aligned to multiples of the
 * interval), and the top sources by SYN count at the end (--top). The
 * caller owns capture, output and logging. */
#ifndef WARD_SNIFF_PROC_H
#define WARD_SNIFF_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "stages/sniff/decode.h"
#include "stages/sniff/format.h"
#include "stages/sniff/srctab.h"

enum sniff_mode { SNIFF_MODE_NONE, SNIFF_MODE_PACKET, SNIFF_MODE_SUMMARY };

struct sniff_proc_opts {
	enum sniff_mode mode;
	int64_t interval_ns;		/* summary mode, > 0 */
	size_t max_sources;		/* per interval */
	size_t top_n;			/* 0: no --top */
	size_t top_max_sources;		/* bound of the whole-run --top table */
	bool summary_json_only;		/* summary events as JSON only, no event
					 * (the output only copies bytes) */
};

struct sniff_stats {
	uint64_t frames;		/* frames seen */
	uint64_t ip;			/* decoded IPv4/IPv6 packets */
	uint64_t ipv6;
	uint64_t not_ip;		/* ARP, LLDP, ...: valid, not counted */
	uint64_t unsupported;		/* frames of a link type we do not decode */
	uint64_t malformed;		/* rejected, by reason in bad[] */
	uint64_t bad[SNIFF_BAD_N];
	uint64_t syn;			/* SYN without ACK */
	uint64_t fragments;
	uint64_t len_from_frame;	/* IP length 0 in the header (BIG TCP) */
	uint64_t events;		/* events produced */
};

/* One event. json is NULL, or (summary events) exactly what
 * event_serialize writes for ev, len bytes without a newline; ev is NULL
 * with summary_json_only. Return 0, or -1 to stop (the output is gone). */
typedef int (*sniff_emit_fn)(void *ctx, const struct ward_event *ev, const char *json, size_t len);
/* A frame was rejected; frame_no counts from 1 over the whole run. Return
 * 0 to go on, -1 to have proc_frame return -1 (--strict). */
typedef int (*sniff_bad_fn)(void *ctx, uint64_t frame_no, const struct sniff_pkt *pkt);

struct sniff_proc;

struct sniff_proc *proc_new(const struct sniff_proc_opts *o, sniff_emit_fn emit,
			    sniff_bad_fn on_bad, void *ctx);
void proc_free(struct sniff_proc *p);

/* Labels of the events that follow (the file or interface being read). The
 * strings must outlive their use. */
void proc_set_source(struct sniff_proc *p, const struct sniff_source *src);

/* One captured frame. Returns 0, or -1 when emit asked to stop (all
 * events from then on are refused) or on_bad asked to stop at this frame. */
int proc_frame(struct sniff_proc *p, int linktype, const uint8_t *frame, uint32_t caplen,
	       uint32_t wirelen, int64_t ts_ns);

/* Live capture: close the current summary interval if the clock has passed
 * its end (no packet may arrive to do it). */
int proc_tick(struct sniff_proc *p, int64_t now_ns);
/* End of one input (file): emit the partial summary interval. */
int proc_flush(struct sniff_proc *p);
/* End of all input: flush, then the --top events. */
int proc_finish(struct sniff_proc *p);

const struct sniff_stats *proc_stats(const struct sniff_proc *p);
/* For --top's table and counters: NULL without --top. */
const struct srctab *proc_top_table(const struct sniff_proc *p);
const struct srctab *proc_summary_table(const struct sniff_proc *p);
/* Time of the last frame, or WARD_TS_NONE. */
int64_t proc_last_ts(const struct sniff_proc *p);

#endif
