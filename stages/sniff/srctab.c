/* srctab.c - open addressing (linear probing, backward-shift deletion) over
 * a fixed array, plus a used list for O(used) iteration and reset. */
#include "stages/sniff/srctab.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "buf.h"

#define EVICT_SAMPLE 8
#define PAIR_PORT 0u
#define PAIR_HOST 1u

struct pair {
	uint64_t a;	/* gen << 1 | kind; 0 = empty */
	uint64_t b;	/* port, or a hash of the destination address */
};

struct srctab {
	struct src_entry *slots;
	size_t mask;			/* slot capacity - 1 */
	uint32_t *used;			/* slot index of each tracked source */
	size_t nused, max_sources;
	enum srctab_rank rank;
	uint64_t next_gen;
	uint64_t rng;
	struct src_counts other;
	uint64_t other_sources;
	struct srctab_stats stats;
	/* distinct destination set, or NULL */
	struct pair *pairs;
	size_t pair_mask;
	uint32_t *pair_used;
	size_t npairs, max_pairs;
};

static size_t pow2_at_least(size_t n)
{
	size_t p = 16;
	while (p < n)
		p <<= 1;
	return p;
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
	t->max_sources = max_sources;
	t->rank = rank;
	size_t cap = pow2_at_least(max_sources * 2);
	t->slots = ward_xcalloc(cap, sizeof *t->slots);
	t->mask = cap - 1;
	t->used = ward_xcalloc(max_sources, sizeof *t->used);
	t->next_gen = 1;
	t->rng = 0x9E3779B97F4A7C15ULL;
	if (track_distinct) {
		/* Two distinct destinations per source on average (and at
		 * least 32k in all) before saturating; a port scan of one
		 * source takes what the others leave. */
		size_t pcap = pow2_at_least(max_sources * 4 < 65536 ? 65536 : max_sources * 4);
		t->pairs = ward_xcalloc(pcap, sizeof *t->pairs);
		t->pair_mask = pcap - 1;
		t->max_pairs = pcap / 2;
		t->pair_used = ward_xcalloc(t->max_pairs, sizeof *t->pair_used);
	}
	return t;
}

void srctab_free(struct srctab *t)
{
	if (!t)
		return;
	free(t->slots);
	free(t->used);
	free(t->pairs);
	free(t->pair_used);
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

/* Remove the entry at slot i, keeping every probe chain unbroken. */
static void slot_delete(struct srctab *t, size_t i)
{
	uint32_t pos = t->slots[i].listpos;
	uint32_t last = t->used[t->nused - 1];
	t->used[pos] = last;
	t->slots[last].listpos = pos;
	t->nused--;
	size_t j = i;
	for (;;) {
		j = (j + 1) & t->mask;
		if (!t->slots[j].used)
			break;
		size_t home = t->slots[j].hash & t->mask;
		/* Entry j may fill the hole at i unless its home lies in (i, j]. */
		bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
		if (stays)
			continue;
		t->slots[i] = t->slots[j];
		t->used[t->slots[i].listpos] = (uint32_t)i;
		i = j;
	}
	t->slots[i].used = false;
}

static void evict_one(struct srctab *t)
{
	size_t victim = t->used[next_rand(t) % t->nused];
	for (int k = 1; k < EVICT_SAMPLE; k++) {
		size_t cand = t->used[next_rand(t) % t->nused];
		if (rank_of(t, &t->slots[cand]) < rank_of(t, &t->slots[victim]))
			victim = cand;
	}
	counts_add(&t->other, &t->slots[victim].c);
	t->other_sources++;
	t->stats.evicted++;
	slot_delete(t, victim);
}

static struct src_entry *lookup_or_insert(struct srctab *t, const struct ward_ip *ip)
{
	uint64_t h = ip_hash(ip);
	size_t i = h & t->mask;
	while (t->slots[i].used) {
		struct src_entry *e = &t->slots[i];
		if (e->hash == h && ip_equal(&e->ip, ip))
			return e;
		i = (i + 1) & t->mask;
	}
	if (t->nused >= t->max_sources) {
		evict_one(t);
		/* The deletion may have moved entries: probe again for a hole. */
		i = h & t->mask;
		while (t->slots[i].used)
			i = (i + 1) & t->mask;
	}
	struct src_entry *e = &t->slots[i];
	memset(e, 0, sizeof *e);
	e->ip = *ip;
	e->hash = h;
	e->gen = t->next_gen++;
	e->used = true;
	e->listpos = (uint32_t)t->nused;
	t->used[t->nused++] = (uint32_t)i;
	return e;
}

/* True if (gen, kind, value) was not in the set and has been added. */
static bool pair_insert(struct srctab *t, uint64_t gen, unsigned kind, uint64_t value)
{
	uint64_t a = gen << 1 | kind;
	size_t i = mix64(a * 0x9E3779B97F4A7C15ULL ^ value) & t->pair_mask;
	while (t->pairs[i].a) {
		if (t->pairs[i].a == a && t->pairs[i].b == value)
			return false;
		i = (i + 1) & t->pair_mask;
	}
	if (t->npairs >= t->max_pairs) {
		t->stats.saturated++;
		return false;
	}
	t->pairs[i].a = a;
	t->pairs[i].b = value;
	t->pair_used[t->npairs++] = (uint32_t)i;
	return true;
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
	if (p->has_ports && pair_insert(t, e->gen, PAIR_PORT, p->dport))
		e->c.dest_ports++;
	if (pair_insert(t, e->gen, PAIR_HOST, ip_hash(&p->dst)))
		e->c.dest_hosts++;
}

size_t srctab_count(const struct srctab *t)
{
	return t->nused;
}

const struct src_entry *srctab_at(const struct srctab *t, size_t i)
{
	return i < t->nused ? &t->slots[t->used[i]] : NULL;
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
	for (size_t i = 0; i < t->nused; i++)
		t->slots[t->used[i]].used = false;
	t->nused = 0;
	for (size_t i = 0; i < t->npairs; i++)
		t->pairs[t->pair_used[i]].a = 0;
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
	if (a->c.packets != b->c.packets)
		return a->c.packets > b->c.packets ? -1 : 1;
	return ip_cmp(&a->ip, &b->ip);
}

size_t srctab_top_syn(const struct srctab *t, size_t n, const struct src_entry **out)
{
	if (t->nused == 0 || n == 0)
		return 0;
	const struct src_entry **all = ward_xmalloc(t->nused * sizeof *all);
	for (size_t i = 0; i < t->nused; i++)
		all[i] = &t->slots[t->used[i]];
	qsort(all, t->nused, sizeof *all, cmp_top);
	size_t k = n < t->nused ? n : t->nused;
	memcpy(out, all, k * sizeof *out);
	free(all);
	return k;
}
