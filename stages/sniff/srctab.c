/* srctab.c - entries live in a dense array (insertion order, iteration and
 * reset in O(used)); a compact open-addressing index (8 bytes per slot,
 * linear probing, backward-shift deletion) maps addresses to them, so the
 * per-packet lookup touches little memory. The distinct pair set holds
 * 64-bit fingerprints of (source generation, kind, value).
 *
 * Both are allocated for the worst case but use only a power-of-two prefix
 * sized to what the interval holds (at most half full): an interval of a
 * thousand sources probes 16 KiB, not the megabytes a spoofed flood may
 * need, and stays in cache. A prefix doubles (rehashing in place) as an
 * interval fills it; a reset sizes it for what the last interval held. */
#include "stages/sniff/srctab.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "buf.h"

#define EVICT_SAMPLE 8
#define INDEX_MIN 1024u		/* slots of the smallest index prefix */
#define PAIRS_MIN 1024u		/* and of the pair set */
#define PAIR_PORT 0x9E3779B97F4A7C15ULL
#define PAIR_HOST 0xC2B2AE3D27D4EB4FULL

struct slot {
	uint32_t hash32;	/* low bits of the address hash: home = hash32 & mask */
	uint32_t idx1;		/* dense index + 1; 0 = empty */
};

struct srctab {
	struct slot *slots;
	uint32_t mask;			/* slots in use - 1 (a prefix) */
	uint32_t full_mask;		/* slots allocated - 1 */
	struct src_entry *ents;		/* dense, nents used */
	size_t nents, max_sources;
	enum srctab_rank rank;
	uint64_t next_gen;
	uint64_t rng;
	struct src_counts other;
	uint64_t other_sources;
	struct srctab_stats stats;
	/* distinct destination set, or NULL */
	uint64_t *pairs;
	size_t pair_mask, pair_full_mask;	/* in use, allocated: as the index */
	uint32_t *pair_used;		/* slot of each pair, in insertion order */
	uint64_t *pair_fps;		/* each pair, in insertion order */
	size_t npairs, max_pairs;
};

static size_t pow2_at_least(size_t n)
{
	size_t p = 16;
	while (p < n)
		p <<= 1;
	return p;
}

/* The prefix for n items: at most half full, within [min, full]. */
static size_t prefix_mask(size_t n, size_t min, size_t full_mask)
{
	size_t cap = pow2_at_least(n * 2 + 1);
	if (cap < min)
		cap = min;
	return cap - 1 < full_mask ? cap - 1 : full_mask;
}

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 31;
	x *= 0xBF58476D1CE4E5B9ULL;
	x ^= x >> 29;
	x *= 0x94D049BB133111EBULL;
	return x ^ (x >> 32);
}

static uint64_t ip_hash(const struct ward_ip *ip)
{
	uint64_t a, b;
	memcpy(&a, ip->addr, 8);
	memcpy(&b, ip->addr + 8, 8);
	return mix64(a ^ mix64(b ^ (uint64_t)ip->family));
}

struct srctab *srctab_new(size_t max_sources, bool track_distinct, enum srctab_rank rank)
{
	struct srctab *t = ward_xcalloc(1, sizeof *t);
	if (max_sources < 1)
		max_sources = 1;
	if (max_sources > SRCTAB_MAX_SOURCES)
		max_sources = SRCTAB_MAX_SOURCES;
	t->max_sources = max_sources;
	t->rank = rank;
	size_t cap = pow2_at_least(max_sources * 2);
	t->slots = ward_xcalloc(cap, sizeof *t->slots);
	t->full_mask = (uint32_t)(cap - 1);
	t->mask = (uint32_t)prefix_mask(0, INDEX_MIN, t->full_mask);
	t->ents = ward_xcalloc(max_sources, sizeof *t->ents);
	t->next_gen = 1;
	t->rng = 0x9E3779B97F4A7C15ULL;
	if (track_distinct) {
		/* Two distinct destinations per source on average (and at
		 * least 32k in all) before saturating; a port scan of one
		 * source takes what the others leave. */
		size_t pcap = pow2_at_least(max_sources * 4 < 65536 ? 65536 : max_sources * 4);
		t->pairs = ward_xcalloc(pcap, sizeof *t->pairs);
		t->pair_full_mask = pcap - 1;
		t->pair_mask = prefix_mask(0, PAIRS_MIN, t->pair_full_mask);
		t->max_pairs = pcap / 2;
		t->pair_used = ward_xcalloc(t->max_pairs, sizeof *t->pair_used);
		t->pair_fps = ward_xcalloc(t->max_pairs, sizeof *t->pair_fps);
	}
	return t;
}

void srctab_free(struct srctab *t)
{
	if (!t)
		return;
	free(t->slots);
	free(t->ents);
	free(t->pairs);
	free(t->pair_used);
	free(t->pair_fps);
	free(t);
}

static uint64_t rank_of(const struct srctab *t, const struct src_entry *e)
{
	return t->rank == SRCTAB_RANK_SYN ? e->c.syn : e->c.packets;
}

static uint64_t next_rand(struct srctab *t)
{
	t->rng ^= t->rng << 13;
	t->rng ^= t->rng >> 7;
	t->rng ^= t->rng << 17;
	return t->rng;
}

static void counts_add(struct src_counts *dst, const struct src_counts *src)
{
	dst->packets += src->packets;
	dst->bytes += src->bytes;
	dst->syn += src->syn;
	dst->synack += src->synack;
	dst->rst += src->rst;
	dst->fin += src->fin;
	dst->dest_ports += src->dest_ports;
	dst->dest_hosts += src->dest_hosts;
}

/* Empty slot s, keeping every probe chain unbroken (backward shift). */
static void slot_delete(struct srctab *t, uint32_t s)
{
	uint32_t j = s;
	for (;;) {
		j = (j + 1) & t->mask;
		if (!t->slots[j].idx1)
			break;
		uint32_t home = t->slots[j].hash32 & t->mask;
		/* Entry j may fill the hole at s unless its home lies in (s, j]. */
		bool stays = s <= j ? (home > s && home <= j) : (home > s || home <= j);
		if (stays)
			continue;
		t->slots[s] = t->slots[j];
		t->ents[t->slots[s].idx1 - 1].slot = s;
		s = j;
	}
	t->slots[s].idx1 = 0;
}

/* Remove dense entry d: its slot, then fill its place with the last one. */
static void entry_delete(struct srctab *t, size_t d)
{
	slot_delete(t, t->ents[d].slot);
	size_t last = t->nents - 1;
	if (d != last) {
		t->ents[d] = t->ents[last];
		t->slots[t->ents[d].slot].idx1 = (uint32_t)(d + 1);
	}
	t->nents--;
}

static void evict_one(struct srctab *t)
{
	size_t victim = next_rand(t) % t->nents;
	for (int k = 1; k < EVICT_SAMPLE; k++) {
		size_t cand = next_rand(t) % t->nents;
		if (rank_of(t, &t->ents[cand]) < rank_of(t, &t->ents[victim]))
			victim = cand;
	}
	counts_add(&t->other, &t->ents[victim].c);
	t->other_sources++;
	t->stats.evicted++;
	entry_delete(t, victim);
}

static bool same_ip(const struct ward_ip *a, const struct ward_ip *b)
{
	/* ip_equal, inlined: this runs for every packet. */
	return a->family == b->family &&
	       memcmp(a->addr, b->addr, a->family == AF_INET ? 4 : 16) == 0;
}

/* Put dense entry d (hash h) into the first free slot of its probe chain. */
static void index_place(struct srctab *t, size_t d, uint32_t h)
{
	uint32_t i = h & t->mask;
	while (t->slots[i].idx1)
		i = (i + 1) & t->mask;
	t->slots[i].hash32 = h;
	t->slots[i].idx1 = (uint32_t)(d + 1);
	t->ents[d].slot = i;
}

/* Double the index prefix: every entry is placed again. */
static void index_grow(struct srctab *t)
{
	memset(t->slots, 0, ((size_t)t->mask + 1) * sizeof *t->slots);
	t->mask = t->mask * 2 + 1;
	for (size_t d = 0; d < t->nents; d++)
		index_place(t, d, (uint32_t)ip_hash(&t->ents[d].ip));
}

static struct src_entry *lookup_or_insert(struct srctab *t, const struct ward_ip *ip)
{
	uint32_t h = (uint32_t)ip_hash(ip);
	for (uint32_t i = h & t->mask; t->slots[i].idx1; i = (i + 1) & t->mask) {
		if (t->slots[i].hash32 != h)
			continue;
		struct src_entry *e = &t->ents[t->slots[i].idx1 - 1];
		if (same_ip(&e->ip, ip))
			return e;
	}
	if (t->nents >= t->max_sources)
		evict_one(t);
	else if ((t->nents + 1) * 2 > (size_t)t->mask + 1 && t->mask < t->full_mask)
		index_grow(t);
	struct src_entry *e = &t->ents[t->nents];
	memset(e, 0, sizeof *e);
	e->ip = *ip;
	e->gen = t->next_gen++;
	e->last_dport = -1;	/* last_dst is all zero: family 0 matches no packet */
	index_place(t, t->nents++, h);
	return e;
}

/* True if (gen, kind, value) was not in the set and has been added. A
 * 64-bit fingerprint stands for the triple: a false "already seen" needs a
 * collision among at most a few hundred thousand fingerprints (~1e-9). */
static void pair_place(struct srctab *t, size_t k)
{
	size_t i = t->pair_fps[k] & t->pair_mask;
	while (t->pairs[i])
		i = (i + 1) & t->pair_mask;
	t->pairs[i] = t->pair_fps[k];
	t->pair_used[k] = (uint32_t)i;
}

static bool pair_insert(struct srctab *t, uint64_t gen, uint64_t kind, uint64_t value)
{
	uint64_t fp = mix64(gen * kind ^ mix64(value + kind)) | 1;
	for (size_t i = fp & t->pair_mask; t->pairs[i]; i = (i + 1) & t->pair_mask)
		if (t->pairs[i] == fp)
			return false;
	if (t->npairs >= t->max_pairs) {
		t->stats.saturated++;
		return false;
	}
	if ((t->npairs + 1) * 2 > t->pair_mask + 1 && t->pair_mask < t->pair_full_mask) {
		for (size_t k = 0; k < t->npairs; k++)	/* double the prefix */
			t->pairs[t->pair_used[k]] = 0;
		t->pair_mask = t->pair_mask * 2 + 1;
		for (size_t k = 0; k < t->npairs; k++)
			pair_place(t, k);
	}
	t->pair_fps[t->npairs] = fp;
	pair_place(t, t->npairs++);
	return true;
}

/* Inline first: n of the entry's near values are in use (n = the distinct
 * count, at most SRCTAB_NEAR); values past them go to the pair set, so the
 * two never hold the same value and their sizes add up. */
static bool near_port_new(struct srctab *t, struct src_entry *e, uint16_t port)
{
	uint64_t n = e->c.dest_ports < SRCTAB_NEAR ? e->c.dest_ports : SRCTAB_NEAR;
	for (uint64_t i = 0; i < n; i++)
		if (e->near_ports[i] == port)
			return false;
	if (n < SRCTAB_NEAR) {
		e->near_ports[n] = port;
		return true;
	}
	return pair_insert(t, e->gen, PAIR_PORT, port);
}

static bool near_host_new(struct srctab *t, struct src_entry *e, uint64_t host_hash)
{
	uint64_t n = e->c.dest_hosts < SRCTAB_NEAR ? e->c.dest_hosts : SRCTAB_NEAR;
	for (uint64_t i = 0; i < n; i++)
		if (e->near_hosts[i] == host_hash)
			return false;
	if (n < SRCTAB_NEAR) {
		e->near_hosts[n] = host_hash;
		return true;
	}
	return pair_insert(t, e->gen, PAIR_HOST, host_hash);
}

void srctab_add(struct srctab *t, const struct sniff_pkt *p)
{
	struct src_entry *e = lookup_or_insert(t, &p->src);
	e->c.packets++;
	e->c.bytes += p->wirelen;
	if (p->proto == IPPROTO_NUM_TCP && p->has_ports) {
		e->c.syn += sniff_is_syn(p);
		e->c.synack += sniff_is_synack(p);
		e->c.rst += (p->tcp_flags & TCPF_RST) != 0;
		e->c.fin += (p->tcp_flags & TCPF_FIN) != 0;
	}
	if (!t->pairs)
		return;
	if (p->has_ports && p->dport != e->last_dport) {
		e->last_dport = p->dport;
		e->c.dest_ports += near_port_new(t, e, p->dport);
	}
	if (!same_ip(&p->dst, &e->last_dst)) {
		e->last_dst = p->dst;
		/* A 64-bit hash stands for the address, as in the pair set. */
		e->c.dest_hosts += near_host_new(t, e, ip_hash(&p->dst));
	}
}

size_t srctab_count(const struct srctab *t)
{
	return t->nents;
}

const struct src_entry *srctab_at(const struct srctab *t, size_t i)
{
	return i < t->nents ? &t->ents[i] : NULL;
}

const struct src_counts *srctab_other(const struct srctab *t, uint64_t *nsources)
{
	*nsources = t->other_sources;
	return &t->other;
}

const struct srctab_stats *srctab_stats(const struct srctab *t)
{
	return &t->stats;
}

void srctab_reset(struct srctab *t)
{
	for (size_t i = 0; i < t->nents; i++)
		t->slots[t->ents[i].slot].idx1 = 0;
	t->mask = (uint32_t)prefix_mask(t->nents, INDEX_MIN, t->full_mask);
	t->nents = 0;
	for (size_t i = 0; i < t->npairs; i++)
		t->pairs[t->pair_used[i]] = 0;
	if (t->pairs)
		t->pair_mask = prefix_mask(t->npairs, PAIRS_MIN, t->pair_full_mask);
	t->npairs = 0;
	memset(&t->other, 0, sizeof t->other);
	t->other_sources = 0;
}

static int ip_cmp(const struct ward_ip *a, const struct ward_ip *b)
{
	if (a->family != b->family)
		return a->family == AF_INET ? -1 : 1;
	return memcmp(a->addr, b->addr, sizeof a->addr);
}

static int cmp_top(const void *pa, const void *pb)
{
	const struct src_entry *a = *(const struct src_entry *const *)pa;
	const struct src_entry *b = *(const struct src_entry *const *)pb;
	if (a->c.syn != b->c.syn)
		return a->c.syn > b->c.syn ? -1 : 1;
	return ip_cmp(&a->ip, &b->ip);
}

size_t srctab_top_syn(const struct srctab *t, size_t n, const struct src_entry **out)
{
	if (t->nents == 0 || n == 0)
		return 0;
	const struct src_entry **all = ward_xmalloc(t->nents * sizeof *all);
	for (size_t i = 0; i < t->nents; i++)
		all[i] = &t->ents[i];
	qsort(all, t->nents, sizeof *all, cmp_top);
	size_t k = n < t->nents ? n : t->nents;
	memcpy(out, all, k * sizeof *out);
	free(all);
	return k;
}
