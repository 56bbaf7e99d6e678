/* Unit tests: FNV-1a, the mixer, and the hash table index (find, insert,
 * backward-shift removal with collisions and wrap-around, renumbering,
 * growth, iteration), checked against a plain model under random churn;
 * and its counted-set shape (counts, a small table growing from 4 slots,
 * 64-bit keys, backward-shift deletion, churn against a model). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "hash.h"

static void test_fnv1a_vectors(void **state)
{
	(void)state;
	/* the published FNV-1a 64 test vectors, from the published basis */
	assert_true(hash_fnv1a_add(HASH_FNV1A_OFFSET_BASIS, "", 0) == 0xcbf29ce484222325ULL);
	assert_true(hash_fnv1a_add(HASH_FNV1A_OFFSET_BASIS, "a", 1) == 0xaf63dc4c8601ec8cULL);
	assert_true(hash_fnv1a_add(HASH_FNV1A_OFFSET_BASIS, "foobar", 6) == 0x85944171f73967e8ULL);
	/* ward's seed: the values every table had before (see hash.h) */
	assert_true(hash_fnv1a("", 0) == 0x14650fb0739d0383ULL);
	assert_true(hash_fnv1a("a", 1) == 0x44bd8ad473cd9906ULL);
	assert_true(hash_fnv1a("foobar", 6) == 0x88fad7c0a8ff07f2ULL);
	assert_true(hash_fnv1a_str("foobar") == 0x88fad7c0a8ff07f2ULL);
	/* continuing a hash = hashing the concatenation */
	assert_true(hash_fnv1a_add(hash_fnv1a("foo", 3), "bar", 3) == hash_fnv1a("foobar", 6));
	/* bytes >= 0x80 are unsigned */
	assert_true(hash_fnv1a("\xff", 1) == ((HASH_FNV1A_SEED ^ 0xffULL) * HASH_FNV1A_PRIME));
}

static void test_mix64(void **state)
{
	(void)state;
	assert_true(hash_mix64(0) == 0);
	assert_true(hash_mix64(1) != 1);
	/* neighbours land far apart in the low bits */
	assert_true((hash_mix64(1) & 0xffff) != (hash_mix64(2) & 0xffff));
}

/* Entries: keys in a dense array; hash chosen by the test. */
struct model {
	uint64_t keys[4096];
	uint64_t hashes[4096];
	bool live[4096];
};

static bool key_eq(const void *ctx, uint32_t idx)
{
	const uint64_t *const *c = ctx;	/* { keys, &wanted } */
	return c[0][idx] == *c[1];
}

static uint32_t find(const struct hashtab *t, const struct model *m, uint64_t key, uint64_t hash)
{
	const uint64_t *ctx[2] = { m->keys, &key };
	return hashtab_find(t, hash, key_eq, ctx);
}

/* hash_words: every byte counts, the length counts (a key and the same
 * key with a zero byte more differ), and equal bytes hash equal wherever
 * they sit in memory. */
static void test_words(void **state)
{
	(void)state;
	unsigned char a[40], b[41];
	for (size_t i = 0; i < sizeof a; i++)
		a[i] = (unsigned char)(i * 7 + 1);
	memcpy(b + 1, a, sizeof a);
	for (size_t n = 0; n <= sizeof a; n++) {
		assert_true(hash_words(a, n) == hash_words(b + 1, n));	/* unaligned copy */
		if (n > 0)
			assert_true(hash_words(a, n) != hash_words(a, n - 1));
		for (size_t i = 0; i < n; i++) {
			a[i] ^= 0x80;
			assert_true(hash_words(a, n) != hash_words(b + 1, n));
			a[i] ^= 0x80;
		}
	}
	unsigned char z[9] = { 0 };
	for (size_t n = 1; n <= 9; n++)
		assert_true(hash_words(z, n) != hash_words(z, n - 1));
}

static void test_hashtab_empty(void **state)
{
	(void)state;
	struct hashtab t = HASHTAB_INIT;
	struct model m = { 0 };
	assert_int_equal(find(&t, &m, 1, 1), HASHTAB_NONE);
	assert_false(hashtab_remove(&t, 1, 0));
	assert_false(hashtab_renumber(&t, 1, 0, 1));
	size_t pos = 0;
	uint32_t idx;
	assert_false(hashtab_next(&t, &pos, &idx));
	hashtab_free(&t);
}

/* All keys share one home slot: removal must shift the chain back. */
static void test_hashtab_collisions_and_removal(void **state)
{
	(void)state;
	struct hashtab t;
	struct model m = { 0 };
	hashtab_init(&t);
	for (uint32_t i = 0; i < 6; i++) {
		m.keys[i] = 100 + i;
		m.hashes[i] = 7 | ((uint64_t)i << 40);	/* same low 32 bits */
		hashtab_insert(&t, m.hashes[i], i);
	}
	assert_int_equal(t.len, 6);
	for (uint32_t i = 0; i < 6; i++)
		assert_int_equal(find(&t, &m, 100 + i, m.hashes[i]), i);
	assert_true(hashtab_remove(&t, m.hashes[0], 0));	/* the chain's head */
	assert_false(hashtab_remove(&t, m.hashes[0], 0));
	assert_true(hashtab_remove(&t, m.hashes[3], 3));	/* its middle */
	assert_int_equal(t.len, 4);
	assert_int_equal(find(&t, &m, 100, m.hashes[0]), HASHTAB_NONE);
	assert_int_equal(find(&t, &m, 103, m.hashes[3]), HASHTAB_NONE);
	for (uint32_t i = 1; i < 6; i++)
		if (i != 3)
			assert_int_equal(find(&t, &m, 100 + i, m.hashes[i]), i);
	/* no hole left behind: the chain is contiguous from the home slot */
	for (uint32_t k = 0; k < 4; k++)
		assert_true(t.slots[(7 + k) & t.mask].idx1 != 0);
	assert_int_equal(t.slots[(7 + 4) & t.mask].idx1, 0);
	hashtab_free(&t);
}

/* A chain that wraps past the last slot, then removal at the wrap. */
static void test_hashtab_wraparound(void **state)
{
	(void)state;
	struct hashtab t = HASHTAB_INIT;
	struct model m = { 0 };
	hashtab_reserve(&t, 8);	/* 16 slots */
	assert_int_equal(t.mask, 15);
	for (uint32_t i = 0; i < 5; i++) {
		m.keys[i] = i;
		m.hashes[i] = i < 3 ? 14 : 15;	/* 14,15,0 then 1,2 */
		hashtab_insert(&t, m.hashes[i], i);
	}
	assert_true(hashtab_remove(&t, 14, 0));
	for (uint32_t i = 1; i < 5; i++)
		assert_int_equal(find(&t, &m, i, m.hashes[i]), i);
	assert_true(hashtab_remove(&t, 15, 3));
	assert_int_equal(find(&t, &m, 4, 15), 4);
	assert_int_equal(find(&t, &m, 2, 14), 2);
	/* the hole at the last slot, a member past the wrap at its home 0 */
	hashtab_clear(&t);
	m.hashes[0] = 15;
	m.hashes[1] = 0;
	m.hashes[2] = 0;
	for (uint32_t i = 0; i < 3; i++)
		hashtab_insert(&t, m.hashes[i], i);	/* 15, 0, 1 */
	assert_true(hashtab_remove(&t, 15, 0));
	assert_int_equal(find(&t, &m, 1, 0), 1);
	assert_int_equal(find(&t, &m, 2, 0), 2);
	hashtab_free(&t);
}

static void test_hashtab_renumber_and_iterate(void **state)
{
	(void)state;
	struct hashtab t = HASHTAB_INIT;
	struct model m = { 0 };
	for (uint32_t i = 0; i < 100; i++) {
		m.keys[i] = i * 31;
		m.hashes[i] = hash_mix64(m.keys[i]);
		hashtab_insert(&t, m.hashes[i], i);
	}
	assert_true(t.mask + 1 >= 200);	/* grew, at most half full */
	/* move entry 99 into the hole of entry 5, as a dense array would */
	assert_true(hashtab_remove(&t, m.hashes[5], 5));
	m.keys[5] = m.keys[99];
	m.hashes[5] = m.hashes[99];
	assert_true(hashtab_renumber(&t, m.hashes[99], 99, 5));
	assert_false(hashtab_renumber(&t, m.hashes[99], 99, 5));
	assert_int_equal(find(&t, &m, 99 * 31, hash_mix64(99 * 31)), 5);
	assert_int_equal(find(&t, &m, 5 * 31, hash_mix64(5 * 31)), HASHTAB_NONE);
	bool seen[100] = { 0 };
	size_t pos = 0, count = 0;
	uint32_t idx;
	while (hashtab_next(&t, &pos, &idx)) {
		assert_true(idx < 99);
		assert_false(seen[idx]);
		seen[idx] = true;
		count++;
	}
	assert_int_equal(count, 99);
	/* clearing run by run, from every mapped entry's hash */
	for (uint32_t i = 0; i < 99; i++)
		hashtab_clear_run(&t, m.hashes[i]);
	assert_int_equal(t.len, 0);
	for (uint32_t i = 0; i <= t.mask; i++)
		assert_int_equal(t.slots[i].idx1, 0);
	for (uint32_t i = 0; i < 50; i++)
		hashtab_insert(&t, m.hashes[i], i);
	hashtab_clear(&t);
	assert_int_equal(t.len, 0);
	assert_int_equal(find(&t, &m, 0, m.hashes[0]), HASHTAB_NONE);
	assert_int_equal(hashtab_slots_for(0), HASHTAB_MIN_SLOTS);
	assert_int_equal(hashtab_slots_for(9), 32);
	hashtab_reset(&t, 10);
	assert_int_equal(t.mask + 1, 32);
	hashtab_free(&t);
}

static void test_hashtab_find_or_insert(void **state)
{
	(void)state;
	struct hashtab t = HASHTAB_INIT;
	struct model m = { 0 };
	bool ins;
	for (uint32_t i = 0; i < 1000; i++) {
		uint64_t key = i % 300;
		m.keys[i] = key;	/* candidate entry i */
		const uint64_t *ctx[2] = { m.keys, &key };
		uint32_t got = hashtab_find_or_insert(&t, hash_mix64(key) & 0xff, key_eq, ctx, i, &ins);
		assert_int_equal(ins, i < 300);
		assert_int_equal(got, i % 300);
	}
	assert_int_equal(t.len, 300);
	hashtab_free(&t);
}

/* Random inserts and removals against a model, with a weak hash (few
 * distinct low bits) so chains are long and shifts frequent. */
static void test_hashtab_churn(void **state)
{
	(void)state;
	static struct model m;
	struct hashtab t = HASHTAB_INIT;
	memset(&m, 0, sizeof m);
	srand(7);
	size_t live = 0;
	for (int step = 0; step < 200000; step++) {
		uint32_t i = (uint32_t)(rand() % 4096);
		if (!m.live[i]) {
			m.keys[i] = i;
			m.hashes[i] = (uint64_t)(i % 97) * 0x9E3779B1u;
			assert_int_equal(find(&t, &m, i, m.hashes[i]), HASHTAB_NONE);
			hashtab_insert(&t, m.hashes[i], i);
			m.live[i] = true;
			live++;
		} else if (rand() % 2) {
			assert_true(hashtab_remove(&t, m.hashes[i], i));
			m.live[i] = false;
			live--;
		}
		assert_int_equal(t.len, live);
		if (step % 5000 == 0)
			for (uint32_t k = 0; k < 4096; k++)
				assert_int_equal(find(&t, &m, k, (uint64_t)(k % 97) * 0x9E3779B1u),
						 m.live[k] ? k : HASHTAB_NONE);
	}
	hashtab_free(&t);
}

/* ---- the counted set ---- */

static void test_hashcount_counts(void **state)
{
	(void)state;
	struct hashcount t = HASHCOUNT_INIT;
	assert_int_equal(hashcount_get(&t, 5), 0);
	assert_false(hashcount_sub(&t, 5, 1));
	assert_int_equal(hashcount_heap_bytes(&t), 0);
	assert_true(hashcount_add(&t, 5, 2));		/* new */
	assert_false(hashcount_add(&t, 5, 3));		/* counted again */
	assert_int_equal(hashcount_get(&t, 5), 5);
	assert_int_equal(t.len, 1);
	assert_false(hashcount_add(&t, 6, 0));		/* 0 adds nothing */
	assert_int_equal(hashcount_get(&t, 6), 0);
	assert_int_equal(t.len, 1);
	assert_false(hashcount_sub(&t, 5, 4));		/* 1 left: still in */
	assert_int_equal(hashcount_get(&t, 5), 1);
	assert_false(hashcount_sub(&t, 6, 1));		/* never there */
	assert_true(hashcount_sub(&t, 5, 7));		/* n above the count: out */
	assert_int_equal(hashcount_get(&t, 5), 0);
	assert_int_equal(t.len, 0);
	/* the whole 64 bits are the key: same low half, other high half */
	uint64_t a = 0x0000000100000009ULL, b = 0x0000000200000009ULL;
	assert_true(hashcount_add(&t, a, 1));
	assert_true(hashcount_add(&t, b, 1));
	assert_int_equal(t.len, 2);
	assert_true(hashcount_sub(&t, a, 1));
	assert_int_equal(hashcount_get(&t, b), 1);
	/* hash 0 is a value like any other */
	assert_true(hashcount_add(&t, 0, 4));
	assert_int_equal(hashcount_get(&t, 0), 4);
	hashcount_free(&t);
	assert_null(t.slots);
	assert_int_equal(t.len, 0);
}

/* A set starts at 4 slots and doubles once more than half full. */
static void test_hashcount_small_growth(void **state)
{
	(void)state;
	struct hashcount t = HASHCOUNT_INIT;
	assert_true(hashcount_add(&t, hash_mix64(1), 1));
	assert_int_equal(t.mask + 1, HASHCOUNT_MIN_SLOTS);
	assert_int_equal(HASHCOUNT_MIN_SLOTS, 4);
	assert_int_equal(hashcount_heap_bytes(&t), 4 * sizeof(struct hashcount_slot));
	assert_true(hashcount_add(&t, hash_mix64(2), 1));
	assert_int_equal(t.mask + 1, 4);
	assert_true(hashcount_add(&t, hash_mix64(3), 1));
	assert_int_equal(t.mask + 1, 8);
	for (uint64_t k = 4; k <= 1000; k++)
		assert_true(hashcount_add(&t, hash_mix64(k), (uint32_t)k));
	assert_int_equal(t.len, 1000);
	assert_int_equal(t.mask + 1, 2048);
	for (uint64_t k = 1; k <= 1000; k++)	/* every count survived growth */
		assert_int_equal(hashcount_get(&t, hash_mix64(k)), k < 4 ? 1 : k);
	hashcount_free(&t);
}

/* All hashes share one home slot (and a run that wraps past the last
 * slot): removal must shift the run back, or later members are lost. */
static void test_hashcount_backward_shift(void **state)
{
	(void)state;
	struct hashcount t = HASHCOUNT_INIT;
	uint64_t h[6];
	for (uint32_t i = 0; i < 6; i++) {
		h[i] = 14 | ((uint64_t)(i + 1) << 40);	/* home 14 of 16 */
		assert_true(hashcount_add(&t, h[i], i + 1));
	}
	assert_int_equal(t.mask, 15);
	assert_true(hashcount_sub(&t, h[0], 1));	/* the run's head */
	assert_true(hashcount_sub(&t, h[3], 4));	/* its middle, past the wrap */
	assert_int_equal(t.len, 4);
	for (uint32_t i = 0; i < 6; i++)
		assert_int_equal(hashcount_get(&t, h[i]), i == 0 || i == 3 ? 0 : i + 1);
	/* no hole left: the run is contiguous from the home slot */
	for (uint32_t k = 0; k < 4; k++)
		assert_true(t.slots[(14 + k) & t.mask].count != 0);
	assert_int_equal(t.slots[(14 + 4) & t.mask].count, 0);
	/* a member at its own home, past the run, stays where it is */
	assert_true(hashcount_add(&t, 2, 9));		/* home 2: slot 2, after the run */
	assert_true(hashcount_sub(&t, h[1], 2));
	assert_int_equal(t.slots[2].count, 9);
	assert_int_equal(hashcount_get(&t, 2), 9);
	assert_int_equal(hashcount_get(&t, h[2]), 3);
	assert_int_equal(hashcount_get(&t, h[5]), 6);
	hashcount_free(&t);
}

/* Random adds and subtractions against a model, with few distinct low
 * bits so runs are long and shifts frequent. */
static void test_hashcount_churn(void **state)
{
	(void)state;
	static uint32_t model[4096];
	struct hashcount t = HASHCOUNT_INIT;
	memset(model, 0, sizeof model);
	srand(11);
	size_t live = 0;
	for (int step = 0; step < 200000; step++) {
		uint32_t i = (uint32_t)(rand() % 4096), n = 1 + (uint32_t)(rand() % 3);
		uint64_t h = ((uint64_t)i << 32) | ((i % 89) * 0x9E3779B1u);
		if (rand() % 2) {
			assert_int_equal(hashcount_add(&t, h, n), model[i] == 0);
			live += model[i] == 0;
			model[i] += n;
		} else {
			assert_int_equal(hashcount_sub(&t, h, n), model[i] != 0 && model[i] <= n);
			if (model[i] != 0 && model[i] <= n)
				live--;
			model[i] = model[i] > n ? model[i] - n : 0;
		}
		assert_int_equal(t.len, live);
		if (step % 5000 == 0)
			for (uint32_t k = 0; k < 4096; k++)
				assert_int_equal(hashcount_get(&t, ((uint64_t)k << 32) | ((k % 89) * 0x9E3779B1u)),
						 model[k]);
	}
	hashcount_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fnv1a_vectors),
		cmocka_unit_test(test_mix64),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_hashtab_empty),
		cmocka_unit_test(test_hashtab_collisions_and_removal),
		cmocka_unit_test(test_hashtab_wraparound),
		cmocka_unit_test(test_hashtab_renumber_and_iterate),
		cmocka_unit_test(test_hashtab_find_or_insert),
		cmocka_unit_test(test_hashtab_churn),
		cmocka_unit_test(test_hashcount_counts),
		cmocka_unit_test(test_hashcount_small_growth),
		cmocka_unit_test(test_hashcount_backward_shift),
		cmocka_unit_test(test_hashcount_churn),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
