/* litteddy.c - the SIMD first pass of litscan (see litteddy.h).
 *
 * Each literal is known here by its first three bytes (any byte where it
 * is shorter; both cases of a caseless letter), each byte as a set of low
 * nibbles and a set of high nibbles. A bucket (one bit of eight) holds
 * several literals: the union of their nibble sets, per byte. For 16
 * positions at once, pshufb looks up each byte's low and high nibble in the
 * bucket tables of its offset (0, 1, 2); a position is marked when some
 * bucket admits all six nibbles. Per 16 bytes: 3 loads, 6 shuffles, 9
 * ANDs, 3 shifts, a compare and a movemask, about 1.5 instructions a byte.
 *
 * Why these buckets: a bucket admits the cross product of its literals'
 * nibbles, so literals that look alike should share one. The build starts
 * from one group per distinct set of first bytes and merges, greedily, the
 * two groups whose union adds the least expected admission rate on log
 * text (high nibbles weighted as in ASCII text, low nibbles uniform) until
 * eight remain; when the eight still admit a large share of positions,
 * the byte-by-byte scan is as fast and litteddy_build declines. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "litteddy.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define LITTEDDY_X86 1
#include <tmmintrin.h>
#endif

enum { DEPTH = 3, BUCKETS = 8 };

/* The expected share of positions admitted above which the byte-by-byte
 * scan (one table look-up for a byte that starts no literal) is as fast. */
#define LITTEDDY_MAX_ADMIT 0.35

struct litteddy {
	uint8_t lo[DEPTH][16];	/* lo[j][nibble]: buckets admitting it at offset j */
	uint8_t hi[DEPTH][16];
};

/* The nibbles one literal, or a group of them, admits at each offset. */
struct sig {
	uint16_t lo[DEPTH], hi[DEPTH];
};

/* The share of bytes of log text with each high nibble: mostly printable
 * ASCII (letters, digits, spaces and punctuation). */
static const double hi_weight[16] = {
	0.002, 0.002, 0.17, 0.17, 0.08, 0.08, 0.24, 0.24,
	0.001, 0.001, 0.001, 0.001, 0.001, 0.001, 0.001, 0.001,
};

static double admit_rate(const struct sig *g)
{
	double r = 1;
	for (int j = 0; j < DEPTH; j++) {
		double h = 0;
		for (int k = 0; k < 16; k++)
			if (g->hi[j] >> k & 1)
				h += hi_weight[k];
		r *= h * __builtin_popcount(g->lo[j]) / 16.0;
	}
	return r;
}

static struct sig sig_union(const struct sig *a, const struct sig *b)
{
	struct sig u;
	for (int j = 0; j < DEPTH; j++) {
		u.lo[j] = a->lo[j] | b->lo[j];
		u.hi[j] = a->hi[j] | b->hi[j];
	}
	return u;
}

static struct sig sig_of(const char *text, uint32_t len, bool icase)
{
	struct sig g;
	for (int j = 0; j < DEPTH; j++) {
		if ((uint32_t)j >= len) {
			g.lo[j] = g.hi[j] = 0xffff;
			continue;
		}
		uint8_t c = (uint8_t)text[j];
		g.lo[j] = (uint16_t)(1u << (c & 15));
		g.hi[j] = (uint16_t)(1u << (c >> 4));
		uint8_t l = c | 0x20;
		if (icase && l >= 'a' && l <= 'z')	/* the other case differs in bit 5 */
			g.hi[j] |= (uint16_t)(1u << ((c ^ 0x20) >> 4));
	}
	return g;
}

/* Index of g in groups[0..ng), or ng after appending it. */
static size_t group_add(struct sig *groups, size_t ng, const struct sig *g)
{
	for (size_t k = 0; k < ng; k++)
		if (memcmp(&groups[k], g, sizeof(*g)) == 0)
			return k;
	groups[ng] = *g;
	return ng;
}

/* Merge groups[0..ng) down to at most BUCKETS, greedily by the least
 * added admission rate; returns the number left (in groups[0..]). */
static size_t merge_groups(struct sig *groups, size_t ng)
{
	double *delta = ward_xmalloc(ng * ng * sizeof(*delta));
	bool *dead = ward_xcalloc(ng, sizeof(*dead));
	double *rate = ward_xmalloc(ng * sizeof(*rate));
	for (size_t a = 0; a < ng; a++)
		rate[a] = admit_rate(&groups[a]);
	for (size_t a = 0; a < ng; a++)
		for (size_t b = a + 1; b < ng; b++) {
			struct sig u = sig_union(&groups[a], &groups[b]);
			delta[a * ng + b] = admit_rate(&u) - rate[a] - rate[b];
		}
	for (size_t alive = ng; alive > BUCKETS; alive--) {
		size_t ba = 0, bb = 0;
		double best = 1e300;
		for (size_t a = 0; a < ng; a++)
			for (size_t b = a + 1; !dead[a] && b < ng; b++)
				if (!dead[b] && delta[a * ng + b] < best) {
					best = delta[a * ng + b];
					ba = a;
					bb = b;
				}
		groups[ba] = sig_union(&groups[ba], &groups[bb]);
		dead[bb] = true;
		rate[ba] = admit_rate(&groups[ba]);
		for (size_t o = 0; o < ng; o++) {
			if (dead[o] || o == ba)
				continue;
			struct sig u = sig_union(&groups[ba], &groups[o]);
			size_t a = o < ba ? o : ba, b = o < ba ? ba : o;
			delta[a * ng + b] = admit_rate(&u) - rate[a] - rate[b];
		}
	}
	size_t left = 0;
	for (size_t a = 0; a < ng; a++)
		if (!dead[a])
			groups[left++] = groups[a];
	free(delta);
	free(dead);
	free(rate);
	return left;
}

/* More groups than this are first merged by their first byte alone, so
 * the greedy merge (quadratic memory, cubic time) stays small. */
enum { MAX_GROUPS = 320 };

struct litteddy *litteddy_build(const char *const *texts, const uint32_t *lens, const bool *icase, size_t n,
				bool always)
{
#ifdef LITTEDDY_X86
	if (n == 0 || !__builtin_cpu_supports("ssse3"))
		return NULL;
	struct sig *groups = ward_xmalloc(n * sizeof(*groups));
	size_t ng = 0;
	for (size_t i = 0; i < n; i++) {
		struct sig g = sig_of(texts[i], lens[i], icase[i]);
		if (group_add(groups, ng, &g) == ng)
			ng++;
	}
	if (ng > MAX_GROUPS) {	/* one group per first byte (at most 256 + 52) */
		size_t first = 0;
		for (size_t k = 0; k < ng; k++) {
			struct sig g = groups[k];
			size_t f = 0;
			while (f < first && (groups[f].lo[0] != g.lo[0] || groups[f].hi[0] != g.hi[0]))
				f++;
			groups[f] = f < first ? sig_union(&groups[f], &g) : g;
			if (f == first)
				first++;
		}
		ng = first;
	}
	ng = merge_groups(groups, ng);
	double admit = 0;
	for (size_t k = 0; k < ng; k++)
		admit += admit_rate(&groups[k]);
	if (!always && admit > LITTEDDY_MAX_ADMIT) {
		free(groups);
		return NULL;
	}
	struct litteddy *t = ward_xcalloc(1, sizeof(*t));
	for (size_t k = 0; k < ng; k++)
		for (int j = 0; j < DEPTH; j++)
			for (int v = 0; v < 16; v++) {
				if (groups[k].lo[j] >> v & 1)
					t->lo[j][v] |= (uint8_t)(1u << k);
				if (groups[k].hi[j] >> v & 1)
					t->hi[j][v] |= (uint8_t)(1u << k);
			}
	free(groups);
	return t;
#else
	(void)texts, (void)lens, (void)icase, (void)n, (void)always;
	(void)sig_of, (void)group_add, (void)merge_groups;
	return NULL;
#endif
}

void litteddy_free(struct litteddy *t)
{
	free(t);
}

#ifdef LITTEDDY_X86
/* The 16 positions from q (q[0 .. 16 + DEPTH - 1) readable): bit i set
 * when some bucket admits q[i], q[i + 1] and q[i + 2]. */
__attribute__((target("ssse3"))) static inline uint32_t mark16(const __m128i *lo, const __m128i *hi,
								 const uint8_t *q)
{
	const __m128i nib = _mm_set1_epi8(0x0f);
	__m128i r = _mm_set1_epi8(-1);
	for (int j = 0; j < DEPTH; j++) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(q + j));
		__m128i l = _mm_shuffle_epi8(lo[j], _mm_and_si128(x, nib));
		__m128i h = _mm_shuffle_epi8(hi[j], _mm_and_si128(_mm_srli_epi16(x, 4), nib));
		r = _mm_and_si128(r, _mm_and_si128(l, h));
	}
	return ~(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(r, _mm_setzero_si128())) & 0xffff;
}

__attribute__((target("ssse3"))) static void mark_ssse3(const struct litteddy *t, const uint8_t *p, size_t n,
							 size_t from, uint64_t *marks)
{
	__m128i lo[DEPTH], hi[DEPTH];
	for (int j = 0; j < DEPTH; j++) {
		lo[j] = _mm_loadu_si128((const __m128i *)(const void *)t->lo[j]);
		hi[j] = _mm_loadu_si128((const __m128i *)(const void *)t->hi[j]);
	}
	size_t end = n - from < LITTEDDY_SPAN ? n : from + LITTEDDY_SPAN, i = from;
	for (; i < end && n - i >= 16 + DEPTH - 1; i += 16)
		marks[(i - from) >> 6] |= (uint64_t)mark16(lo, hi, p + i) << ((i - from) & 63);
	for (; i < end; i += 16) {	/* the line's last bytes, padded: the pad's marks are cut off */
		uint8_t pad[16 + DEPTH - 1] = { 0 };
		memcpy(pad, p + i, n - i < sizeof(pad) ? n - i : sizeof(pad));
		uint32_t m = mark16(lo, hi, pad);
		if (n - i < 16)
			m &= (1u << (n - i)) - 1;
		marks[(i - from) >> 6] |= (uint64_t)m << ((i - from) & 63);
	}
}
#endif

void litteddy_mark(const struct litteddy *t, const uint8_t *p, size_t n, size_t from,
		   uint64_t marks[LITTEDDY_SPAN / 64])
{
	memset(marks, 0, LITTEDDY_SPAN / 8);
#ifdef LITTEDDY_X86
	if (from < n)
		mark_ssse3(t, p, n, from, marks);
#else
	(void)t, (void)p, (void)n, (void)from;
#endif
}
