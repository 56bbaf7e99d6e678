/* srctab.c - entries live in a dense array (insertion order, iteration in
 * O(used)); common/hash's index (8 bytes per slot) maps addresses to them,
 * so the per-packet lookup touches little memory. The distinct pair set is
 * a second index over a dense array of 64-bit fingerprints of (source
 * generation, kind, value).
 *
 * Both indexes are sized to what the interval holds (at most half full):
 * an interval of a thousand sources probes 16 KiB, not the megabytes a
 * spoofed flood may need, and stays in cache. An index doubles as an
 * interval fills it; a reset sizes it for what the last interval held. */
#include "stages/sniff/srctab.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "buf.h"
#include "hash.h"

#define EVICT_SAMPLE 8
#define INDEX_MIN 512u		/* entries the smallest index holds (1024 slots) */
#define PAIRS_MIN 512u		/* and the pair set */
#define PAIR_PORT 0x9E3779B97F4A7C15ULL
#define PAIR_HOST 0xC2B2AE3D27D4EB4FULL

struct srctab {
	struct hashtab index;		/* address -> ents[] */
	struct src_entry *ents;		/* dense, nents used */
	size_t nents, max_sources;
	enum srctab_rank rank;
	uint64_t next_gen;
	uint64_t rng;
	struct src_counts other;
	uint64_t other_sources;
	struct srctab_stats stats;
	/* distinct destination set: pairs indexes pair_fps[0..npairs) */
	bool track_distinct;
	struct hashtab pairs;
	uint64_t *pair_fps;		/* each pair, in insertion order */
	size_t npairs, max_pairs;
};

/* At a reset (the index already emptied in O(used)): size an index for
 * what the last interval held, at least min entries, if it is over four
 * times that; a burst does not keep a big index for the quiet intervals
 * after it, and a steady stream keeps its index without reallocating. */
static void shrink(struct hashtab *h, size_t held, size_t min)
{
	size_t want = hashtab_slots_for(held < min ? min : held);
	if ((size_t)h->mask + 1 > 4 * want)
		hashtab_reset(h, held < min ? min : held);
}

static uint64_t ip_hash(const struct ward_ip *ip)
{
	uint64_t a, b;
	memcpy(&a, ip->addr, 8);
	memcpy(&b, ip->addr + 8, 8);
	return hash_mix64(a ^ hash_mix64(b ^ (uint64_t)ip->family));
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
	hashtab_reset(&t->index, INDEX_MIN);
	t->ents = ward_xcalloc(max_sources, sizeof *t->ents);
	t->next_gen = 1;
	t->rng = 0x9E3779B97F4A7C15ULL;
	if (track_distinct) {
		/* Two distinct destinations per source on average (and at
		 * least 32k in all) before saturating; a port scan of one
		 * source takes what the others leave. */
		size_t pcap = 65536;
		while (pcap < max_sources * 4)
			pcap *= 2;
		t->track_distinct = true;
		hashtab_reset(&t->pairs, PAIRS_MIN);
		t->max_pairs = pcap / 2;
		t->pair_fps = ward_xcalloc(t->max_pairs, sizeof *t->pair_fps);
	}
	return t;
}

void srctab_free(struct srctab *t)
{
	if (!t)
		return;
	hashtab_free(&t->index);
	free(t->ents);
	hashtab_free(&t->pairs);
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

/* Remove dense entry d: its mapping, then fill its place with the last. */
static void entry_delete(struct srctab *t, size_t d)
{
	hashtab_remove(&t->index, t->ents[d].hash32, (uint32_t)d);
	size_t last = t->nents - 1;
	if (d != last) {
		t->ents[d] = t->ents[last];
		hashtab_renumber(&t->index, t->ents[d].hash32, (uint32_t)last, (uint32_t)d);
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
	/* ip_equal, inlined: this runs twice for every packet. Each memcmp
	 * has a constant size so the compiler compares in registers (a
	 * length chosen at run time called libc's memcmp: ~40 instructions
	 * a packet). */
	if (a->family != b->family)
		return false;
	return a->family == AF_INET ? memcmp(a->addr, b->addr, 4) == 0 :
				      memcmp(a->addr, b->addr, 16) == 0;
}

struct ip_lookup {
	const struct srctab *t;
	const struct ward_ip *ip;
};

static bool entry_is(const void *ctx, uint32_t idx)
{
	const struct ip_lookup *l = ctx;
	return same_ip(&l->t->ents[idx].ip, l->ip);
}

static struct src_entry *lookup_or_insert(struct srctab *t, const struct ward_ip *ip)
{
	uint32_t h = (uint32_t)ip_hash(ip);
	struct ip_lookup l = { t, ip };
	uint32_t d;
	if (t->nents < t->max_sources) {
		bool inserted;
		d = hashtab_find_or_insert(&t->index, h, entry_is, &l, (uint32_t)t->nents, &inserted);
		if (!inserted)
			return &t->ents[d];
	} else {
		d = hashtab_find(&t->index, h, entry_is, &l);
		if (d != HASHTAB_NONE)
			return &t->ents[d];
		evict_one(t);
		d = (uint32_t)t->nents;
		hashtab_insert(&t->index, h, d);
	}
	struct src_entry *e = &t->ents[t->nents++];
	memset(e, 0, sizeof *e);
	e->ip = *ip;
	e->hash32 = h;
	e->gen = t->next_gen++;
	e->last_dport = -1;	/* last_dst is all zero: family 0 matches no packet */
	return e;
}

struct pair_lookup {
	const struct srctab *t;
	uint64_t fp;
};

static bool pair_is(const void *ctx, uint32_t idx)
{
	const struct pair_lookup *l = ctx;
	return l->t->pair_fps[idx] == l->fp;
}

/* True if (gen, kind, value) was not in the set and has been added. A
 * 64-bit fingerprint stands for the triple: a false "already seen" needs a
 * collision among at most a few hundred thousand fingerprints (~1e-9). */
static bool pair_insert(struct srctab *t, uint64_t gen, uint64_t kind, uint64_t value)
{
	uint64_t fp = hash_mix64(gen * kind ^ hash_mix64(value + kind));
	struct pair_lookup l = { t, fp };
	if (hashtab_find(&t->pairs, fp, pair_is, &l) != HASHTAB_NONE)
		return false;
	if (t->npairs >= t->max_pairs) {
		t->stats.saturated++;
		return false;
	}
	t->pair_fps[t->npairs] = fp;
	hashtab_insert(&t->pairs, fp, (uint32_t)t->npairs++);
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
	if (!t->track_distinct)
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
		hashtab_clear_run(&t->index, t->ents[i].hash32);
	shrink(&t->index, t->nents, INDEX_MIN);
	t->nents = 0;
	for (size_t i = 0; i < t->npairs; i++)
		hashtab_clear_run(&t->pairs, t->pair_fps[i]);
	if (t->track_distinct)
		shrink(&t->pairs, t->npairs, PAIRS_MIN);
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
