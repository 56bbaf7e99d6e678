/* srctab.h - bounded per-source counters (summary intervals and --top).
 *
 * A table of at most max_sources sources keyed by address, with packets,
 * bytes, SYN / SYN-ACK / RST / FIN counts and, optionally, the number of
 * distinct destination ports and hosts each source reached.
 *
 * Spoofed floods make millions of sources, so the table never grows past
 * max_sources: when it is full, a new source evicts the weakest of a few
 * sampled entries (fewest packets, or fewest SYNs for a SYN ranking), whose
 * counts are folded into one "other" aggregate. Heavy hitters survive
 * because a sample almost never holds only heavy hitters. Distinct
 * counting is bounded too (a pair set of fixed size); when it is full,
 * distinct counts stop growing and `saturated` says how often.
 *
 * Entries are allocated once in srctab_new; the indexes (common/hash)
 * grow with an interval and shrink back at a reset. No I/O. */
#ifndef WARD_SNIFF_SRCTAB_H
#define WARD_SNIFF_SRCTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipaddr.h"
#include "stages/sniff/decode.h"

struct src_counts {
	uint64_t packets;
	uint64_t bytes;		/* bytes on the wire */
	uint64_t syn;		/* SYN without ACK */
	uint64_t synack;
	uint64_t rst;
	uint64_t fin;
	uint64_t dest_ports;	/* distinct TCP/UDP destination ports */
	uint64_t dest_hosts;	/* distinct destination addresses */
};

#define SRCTAB_NEAR 4

struct src_entry {
	struct ward_ip ip;
	struct src_counts c;
	/* table bookkeeping */
	uint64_t gen;		/* unique per assignment: keys the pair set */
	uint32_t hash32;	/* its address hash, as the index holds it */
	int32_t last_dport;	/* last port / host counted, -1 none: floods */
	struct ward_ip last_dst;	/* repeat them, and this skips the lookups */
	/* The first SRCTAB_NEAR distinct ports and host hashes live in the
	 * entry, whose cache line the packet has just touched; only a source
	 * with more of them goes to the shared pair set. */
	uint16_t near_ports[SRCTAB_NEAR];	/* min(dest_ports, SRCTAB_NEAR) used */
	uint64_t near_hosts[SRCTAB_NEAR];	/* min(dest_hosts, SRCTAB_NEAR) used */
};

enum srctab_rank { SRCTAB_RANK_PACKETS, SRCTAB_RANK_SYN };

struct srctab_stats {
	uint64_t evicted;	/* sources folded into "other" */
	uint64_t saturated;	/* distinct insertions refused (pair set full) */
};

struct srctab;

/* track_distinct: keep the pair set for dest_ports / dest_hosts. */
/* max_sources is clamped to 1..SRCTAB_MAX_SOURCES. */
#define SRCTAB_MAX_SOURCES (1u << 28)
struct srctab *srctab_new(size_t max_sources, bool track_distinct, enum srctab_rank rank);
void srctab_free(struct srctab *t);

/* Count one decoded IP packet under its source address. */
void srctab_add(struct srctab *t, const struct sniff_pkt *p);

size_t srctab_count(const struct srctab *t);
/* The i-th tracked source, 0 <= i < srctab_count (insertion order, except
 * that eviction moves the last entry into the evicted one's place). The
 * pointer is valid until the next srctab_add or srctab_reset. */
const struct src_entry *srctab_at(const struct srctab *t, size_t i);
/* Counts of evicted sources since the last reset; *nsources how many. */
const struct src_counts *srctab_other(const struct srctab *t, uint64_t *nsources);
/* Cumulative over the table's life (not reset). */
const struct srctab_stats *srctab_stats(const struct srctab *t);

/* Forget all sources (start of an interval); keeps the memory. */
void srctab_reset(struct srctab *t);

/* The n sources with the most SYNs (ties: IPv4 before IPv6, then the
 * lower address), written to out (caller's array of n). Returns how many. */
size_t srctab_top_syn(const struct srctab *t, size_t n, const struct src_entry **out);

#endif
