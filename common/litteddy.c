/* litteddy.c - the SIMD first pass of litscan (see litteddy.h).
 *
 * Each literal is known here by its first three bytes (any byte where it
 * is shorter; both cases of a caseless letter), each byte as a set of low
 * nibbles and a set of high nibbles. A bucket holds several literals: the
 * union of their nibble sets, per byte. For 16 positions at once, pshufb
 * looks up each byte's low and high nibble in the tables of its offset
 * (0, 1, 2), eight buckets a byte; a position is marked when some bucket
 * admits all six nibbles. Up to 32 buckets in 4 sets of 8: per 16 bytes,
 * 3 loads and 9 shifts/ANDs, then per set 6 shuffles and 6 ANDs, then a
 * compare and a movemask (measured: 9.3 instructions a byte with 4 sets,
 * the loop and line ends included).
 *
 * Why these buckets: a bucket admits the cross product of its literals'
 * nibbles, so literals that look alike should share one. The build starts
 * from one group per distinct set of first bytes and merges, greedily, the
 * two groups whose union adds the least expected admission on log text
 * (byte_weight) until 32 remain. Eight buckets were too few for the rule
 * packs (194 and 352 literals): they marked 30% and 51% of the positions
 * of the auth log, no fewer than the first-byte table; 32 mark 11% and
 * 13%. A fourth byte marked fewer still but cost more than it saved. When
 * the buckets still admit much, the byte-by-byte scan is as fast and
 * litteddy_build declines. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "litteddy.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define LITTEDDY_X86 1
#include <tmmintrin.h>
#endif

/* The bytes of each literal compared (3 or 4), up to 32 buckets in 4
 * sets of 8. */
#ifndef LITTEDDY_DEPTH
#define LITTEDDY_DEPTH 3
#endif
enum { DEPTH = LITTEDDY_DEPTH, SETS = 4, BUCKETS = 8 * SETS };

/* The expected share of positions admitted above which the byte-by-byte
 * scan (one table look-up for a byte that starts no literal) is as fast. */
#define LITTEDDY_MAX_ADMIT 0.35

struct litteddy {
	uint8_t lo[SETS][DEPTH][16];	/* lo[s][j][nibble]: buckets 8s.. admitting it at offset j */
	uint8_t hi[SETS][DEPTH][16];
	int nsets;	/* the sets in use: eight buckets each */
};

/* The nibbles one literal, or a group of them, admits at each offset. */
struct sig {
	uint16_t lo[DEPTH], hi[DEPTH];
};

/* How often each byte occurs in log text, roughly: lower-case letters as
 * in English, then spaces, digits, upper case and the punctuation of log
 * lines; bytes >= 0x80 and controls rare. A model, not a measurement of
 * any one log: it only steers which literals share a bucket. */
static double byte_weight(int c)
{
	static const double letter[26] = { 8.2, 1.5, 2.8, 4.3, 12.7, 2.2, 2.0, 6.1, 7.0, 0.15, 0.8, 4.0, 2.4,
					   6.7, 7.5, 1.9, 0.1, 6.0, 6.3, 9.1, 2.8, 1.0, 2.4, 0.15, 2.0, 0.07 };
	static const char punct[] = ".:-/[]=\"_,()";
	if (c >= 'a' && c <= 'z')
		return 0.45 * letter[c - 'a'] / 100;
	if (c >= 'A' && c <= 'Z')
		return 0.08 * letter[c - 'A'] / 100;
	if (c >= '0' && c <= '9')
		return 0.012;
	if (c == ' ')
		return 0.15;
	if (c && memchr(punct, c, sizeof(punct) - 1))
		return 0.15 / (sizeof(punct) - 1);
	return c >= 0x80 ? 0.0005 : 0.001;
}

/* The expected share of positions of log text that g admits, with w[c]
 * = byte_weight(c). The bytes admitted at an offset are the cross product
 * of its high and low nibble sets, visited in increasing byte order (the
 * sum, and so the merge, as a walk over all 256 would give); the build
 * asks this for every pair of groups, and its start-up time was the
 * largest single cost of ward-match over 200k events. */
static double admit_rate(const struct sig *g, const double *w)
{
	double r = 1;
	for (int j = 0; j < DEPTH; j++) {
		double share = 0;
		for (unsigned his = g->hi[j]; his; his &= his - 1) {
			const double *row = w + 16 * __builtin_ctz(his);
			for (unsigned los = g->lo[j]; los; los &= los - 1)
				share += row[__builtin_ctz(los)];
		}
		r *= share;
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
static size_t merge_groups(struct sig *groups, size_t ng, const double *w)
{
	double *delta = ward_xmalloc(ng * ng * sizeof(*delta));
	bool *dead = ward_xcalloc(ng, sizeof(*dead));
	double *rate = ward_xmalloc(ng * sizeof(*rate));
	for (size_t a = 0; a < ng; a++)
		rate[a] = admit_rate(&groups[a], w);
	for (size_t a = 0; a < ng; a++)
		for (size_t b = a + 1; b < ng; b++) {
			struct sig u = sig_union(&groups[a], &groups[b]);
			delta[a * ng + b] = admit_rate(&u, w) - rate[a] - rate[b];
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
		rate[ba] = admit_rate(&groups[ba], w);
		for (size_t o = 0; o < ng; o++) {
			if (dead[o] || o == ba)
				continue;
			struct sig u = sig_union(&groups[ba], &groups[o]);
			size_t a = o < ba ? o : ba, b = o < ba ? ba : o;
			delta[a * ng + b] = admit_rate(&u, w) - rate[a] - rate[b];
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
	double w[256];
	for (int c = 0; c < 256; c++)
		w[c] = byte_weight(c);
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
	ng = merge_groups(groups, ng, w);
	double admit = 0;
	for (size_t k = 0; k < ng; k++)
		admit += admit_rate(&groups[k], w);
	if (!always && admit > LITTEDDY_MAX_ADMIT) {
		free(groups);
		return NULL;
	}
	struct litteddy *t = ward_xcalloc(1, sizeof(*t));
	t->nsets = ng <= 8 ? 1 : ng <= 16 ? 2 : SETS;
	for (size_t k = 0; k < ng; k++)
		for (int j = 0; j < DEPTH; j++)
			for (int v = 0; v < 16; v++) {
				if (groups[k].lo[j] >> v & 1)
					t->lo[k / 8][j][v] |= (uint8_t)(1u << k % 8);
				if (groups[k].hi[j] >> v & 1)
					t->hi[k / 8][j][v] |= (uint8_t)(1u << k % 8);
			}
	free(groups);
	return t;
#else
	(void)texts, (void)lens, (void)icase, (void)n, (void)always;
	(void)sig_of, (void)group_add, (void)merge_groups, (void)byte_weight;
	return NULL;
#endif
}

void litteddy_free(struct litteddy *t)
{
	free(t);
}

#ifdef LITTEDDY_X86
/* The buckets of set s that admit, at offset j, the bytes whose nibbles
 * are nl and nh. */
__attribute__((target("ssse3"), always_inline)) static inline __m128i admit16(const __m128i *lo, const __m128i *hi,
									     int s, int j, __m128i nl, __m128i nh)
{
	return _mm_and_si128(_mm_shuffle_epi8(lo[s * DEPTH + j], nl), _mm_shuffle_epi8(hi[s * DEPTH + j], nh));
}

/* The buckets of set s admitting q[i], q[i + 1], q[i + 2] at each i. */
#if LITTEDDY_DEPTH == 4
#define LITTEDDY_SET(s)                                                                                   \
	_mm_and_si128(_mm_and_si128(admit16(lo, hi, s, 0, l0, h0), admit16(lo, hi, s, 1, l1, h1)), \
		      _mm_and_si128(admit16(lo, hi, s, 2, l2, h2), admit16(lo, hi, s, 3, l3, h3)))
#else
#define LITTEDDY_SET(s)                                                                                   \
	_mm_and_si128(_mm_and_si128(admit16(lo, hi, s, 0, l0, h0), admit16(lo, hi, s, 1, l1, h1)), \
		      admit16(lo, hi, s, 2, l2, h2))
#endif

/* The 16 positions from q (q[0 .. 16 + DEPTH - 1) readable): bit i set
 * when some bucket of the first sets admits q[i .. i + DEPTH). Written
 * out for DEPTH 3 (the compiler keeps loops this short rolled). */
__attribute__((target("ssse3"), always_inline)) static inline uint32_t mark16(const __m128i *lo, const __m128i *hi,
									     const uint8_t *q, int sets)
{
	const __m128i nib = _mm_set1_epi8(0x0f);
	__m128i b0 = _mm_loadu_si128((const __m128i *)(const void *)q);
	__m128i b1 = _mm_loadu_si128((const __m128i *)(const void *)(q + 1));
	__m128i b2 = _mm_loadu_si128((const __m128i *)(const void *)(q + 2));
	__m128i l0 = _mm_and_si128(b0, nib), h0 = _mm_and_si128(_mm_srli_epi16(b0, 4), nib);
	__m128i l1 = _mm_and_si128(b1, nib), h1 = _mm_and_si128(_mm_srli_epi16(b1, 4), nib);
	__m128i l2 = _mm_and_si128(b2, nib), h2 = _mm_and_si128(_mm_srli_epi16(b2, 4), nib);
#if LITTEDDY_DEPTH == 4
	__m128i b3 = _mm_loadu_si128((const __m128i *)(const void *)(q + 3));
	__m128i l3 = _mm_and_si128(b3, nib), h3 = _mm_and_si128(_mm_srli_epi16(b3, 4), nib);
#endif
	__m128i any = LITTEDDY_SET(0);
	if (sets > 1)
		any = _mm_or_si128(any, LITTEDDY_SET(1));
	if (sets > 2)
		any = _mm_or_si128(_mm_or_si128(any, LITTEDDY_SET(2)), LITTEDDY_SET(3));
	return ~(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(any, _mm_setzero_si128())) & 0xffff;
}

/* marks |= m << off, m 16 bits wide whose set bits all fall below
 * LITTEDDY_SPAN (the next word is touched only when bits go there: at a
 * span's end it does not exist). */
static inline void or_bits(uint64_t *marks, size_t off, uint32_t m)
{
	marks[off >> 6] |= (uint64_t)m << (off & 63);
	uint64_t spill = (off & 63) > 48 ? (uint64_t)m >> (64 - (off & 63)) : 0;
	if (spill)
		marks[(off >> 6) + 1] |= spill;
}

/* litteddy_mark with `sets` a constant where it is inlined. */
__attribute__((target("ssse3"), always_inline)) static inline void
mark_span(const struct litteddy *t, const uint8_t *p, size_t n, size_t from, uint64_t *marks, int sets)
{
	__m128i lo[SETS * DEPTH], hi[SETS * DEPTH];
	for (int s = 0; s < sets; s++)
		for (int j = 0; j < DEPTH; j++) {
			lo[s * DEPTH + j] = _mm_loadu_si128((const __m128i *)(const void *)t->lo[s][j]);
			hi[s * DEPTH + j] = _mm_loadu_si128((const __m128i *)(const void *)t->hi[s][j]);
		}
	size_t end = n - from < LITTEDDY_SPAN ? n : from + LITTEDDY_SPAN, i = from;
	for (; i < end && n - i >= 16 + DEPTH - 1; i += 16)
		marks[(i - from) >> 6] |= (uint64_t)mark16(lo, hi, p + i, sets) << ((i - from) & 63);
	if (i < end && end == n && n - from >= 16 + DEPTH - 1) {
		/* the line's last full block, overlapping the one before; the
		 * last DEPTH - 1 positions, too near the end for it, all marked */
		size_t last = n - (16 + DEPTH - 1);
		or_bits(marks, last - from, mark16(lo, hi, p + last, sets));
		or_bits(marks, n - (DEPTH - 1) - from, (1u << (DEPTH - 1)) - 1);
		return;
	}
	for (; i < end; i += 16) {	/* a short line's bytes, padded: the pad's marks are cut off */
		uint8_t pad[16 + DEPTH - 1] = { 0 };
		memcpy(pad, p + i, n - i < sizeof(pad) ? n - i : sizeof(pad));
		uint32_t m = mark16(lo, hi, pad, sets);
		if (n - i < 16)
			m &= (1u << (n - i)) - 1;
		marks[(i - from) >> 6] |= (uint64_t)m << ((i - from) & 63);
	}
}

__attribute__((target("ssse3"))) static void mark_ssse3(const struct litteddy *t, const uint8_t *p, size_t n,
							 size_t from, uint64_t *marks)
{
	switch (t->nsets) {
	case 1:
		mark_span(t, p, n, from, marks, 1);
		break;
	case 2:
		mark_span(t, p, n, from, marks, 2);
		break;
	default:
		mark_span(t, p, n, from, marks, SETS);
		break;
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
