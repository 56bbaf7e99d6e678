/* format.h - decoded packets and per-source counts as ward events.
 *
 * Field names follow Suricata's eve.json (docs/events.md): src_ip,
 * src_port, dest_ip, dest_port, proto, tcp_flags, pkt_len, vlan. The line is
 * a tcpdump-style summary (`tcpdump -nn -q`-like). No I/O: the caller emits. */
#ifndef WARD_SNIFF_FORMAT_H
#define WARD_SNIFF_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "event.h"
#include "stages/sniff/decode.h"
#include "stages/sniff/srctab.h"
#include "wtime.h"

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

struct community_id_cache;

/* ev is reset and filled. cids: the cache of the packet's community_id
 * (community_id.h), or NULL to compute it every time. */
void sniff_packet_event(struct ward_event *ev, const struct sniff_pkt *p, int64_t ts_ns,
			const struct sniff_source *src, struct community_id_cache *cids);
/* One source's counts over [end - interval, end). ip NULL: the aggregate
 * of evicted sources, with other_sources set. interval: the interval as
 * text ("1s", duration_format), formatted once by the caller. */
void sniff_summary_event(struct ward_event *ev, const struct ward_ip *ip,
			 const struct src_counts *c, uint64_t other_sources,
			 int64_t end_ns, const char *interval, const struct sniff_source *src);
/* Summary events straight to JSON: one per source per interval is the hot
 * path of summary mode, and going through the event API and
 * event_serialize cost more than decoding the packets. What stays the
 * same between events (labels, interval, the interval's time) is
 * serialized once here. */
struct sniff_summary_json {
	struct ward_buf head;		/* ","labels":{...},"line":   (after ts) */
	struct ward_buf tail;		/* ,"interval":"1s"}}             */
	int64_t ts_ns;			/* time of ts_text, or WARD_TS_NONE */
	char ts_text[WARD_RFC3339_LEN];
	char interval[40];		/* as given, for the line */
	bool line_plain;		/* the line never needs JSON escapes */
};

void sniff_summary_json_init(struct sniff_summary_json *sj);
void sniff_summary_json_free(struct sniff_summary_json *sj);
/* Labels and interval of the events that follow (as sniff_summary_event
 * takes them). */
void sniff_summary_json_source(struct sniff_summary_json *sj, const struct sniff_source *src,
			       const char *interval);
/* Appends to out (no newline) exactly what event_serialize writes for the
 * event sniff_summary_event builds from the same arguments (the unit tests
 * compare the two). */
void sniff_summary_json(struct sniff_summary_json *sj, struct ward_buf *out,
			const struct ward_ip *ip, const struct src_counts *c,
			uint64_t other_sources, int64_t end_ns);

/* An address as ip_format writes it (IPv4 without inet_ntop's sprintf).
 * Returns the length. */
size_t sniff_ip_text(const struct ward_ip *ip, char out[WARD_IP_STRLEN]);

/* Rank-th source (1-based) of --top. */
void sniff_top_event(struct ward_event *ev, unsigned rank, const struct src_entry *e,
		     int64_t ts_ns, const struct sniff_source *src);
/* Kernel drop counters grew (live capture). */
void sniff_drop_event(struct ward_event *ev, uint64_t drop_delta, uint64_t drops,
		      uint64_t ifdrops, int64_t ts_ns, const struct sniff_source *src);

#endif
