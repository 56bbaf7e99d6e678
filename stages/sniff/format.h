/* format.h - decoded packets and per-source counts as ward events.
 *
 * Field names follow Suricata's eve.json (docs/events.md): src_ip,
 * src_port, dest_ip, dest_port, proto, tcp_flags, pkt_len, vlan. The line is
 * a tcpdump-style summary (`tcpdump -nn -q`-like). No I/O: the caller emits. */
#ifndef WARD_SNIFF_FORMAT_H
#define WARD_SNIFF_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "stages/sniff/decode.h"
#include "stages/sniff/srctab.h"

/* Suricata / scapy order "FSRPAUECN": "S", "SA", "FA", "RA", "PA"; N is the
 * AccECN AE bit. out must hold 10 bytes. Returns the length. */
size_t sniff_flags_str(uint16_t flags, char out[10]);
/* tcpdump's "[S.]" letters: F S R P . U E W e. out must hold 10 bytes. */
size_t sniff_tcpdump_flags(uint16_t flags, char out[10]);
/* "TCP", "UDP", "ICMP", "IPv6-ICMP", "GRE", ... or the number. out >= 8. */
const char *sniff_proto_name(uint8_t proto, char out[8]);

/* The tcpdump-style summary of one packet, NUL-terminated, truncated to
 * outlen. Returns the length written. */
size_t sniff_format_line(const struct sniff_pkt *p, char *out, size_t outlen);

/* Where events come from: the stream labels of every event. */
struct sniff_source {
	const char *label_key;	/* "iface" or "file" */
	const char *label_val;
};

/* ev is reset and filled. */
void sniff_packet_event(struct ward_event *ev, const struct sniff_pkt *p, int64_t ts_ns,
			const struct sniff_source *src);
/* One source's counts over [end - interval, end). ip NULL: the aggregate
 * of evicted sources, with other_sources set. interval: the interval as
 * text ("1s", duration_format), formatted once by the caller. */
void sniff_summary_event(struct ward_event *ev, const struct ward_ip *ip,
			 const struct src_counts *c, uint64_t other_sources,
			 int64_t end_ns, const char *interval, const struct sniff_source *src);
/* Rank-th source (1-based) of --top. */
void sniff_top_event(struct ward_event *ev, unsigned rank, const struct src_entry *e,
		     int64_t ts_ns, const struct sniff_source *src);
/* Kernel drop counters grew (live capture). */
void sniff_drop_event(struct ward_event *ev, uint64_t drop_delta, uint64_t drops,
		      uint64_t ifdrops, int64_t ts_ns, const struct sniff_source *src);

#endif
