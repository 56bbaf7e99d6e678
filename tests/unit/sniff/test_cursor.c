/* test_cursor.c - the bounds-checked cursor at and past its edges. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "stages/sniff/cursor.h"

static void reads_inside(void **state)
{
	(void)state;
	static const uint8_t b[] = { 0x12, 0x34, 0x56, 0x78, 0x9a };
	struct cursor c;
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	cur_init(&c, b, sizeof b);
	assert_true(cur_peek_be16(&c, 0, &u16));
	assert_int_equal(u16, 0x1234);
	assert_true(cur_peek_be32(&c, 1, &u32));
	assert_int_equal(u32, 0x3456789a);
	assert_true(cur_peek_le32(&c, 0, &u32));
	assert_int_equal(u32, 0x78563412);
	assert_true(cur_u8(&c, &u8));
	assert_int_equal(u8, 0x12);
	assert_int_equal(cur_left(&c), 4);
	assert_true(cur_be16(&c, &u16));
	assert_int_equal(u16, 0x3456);
	assert_true(cur_peek_u8(&c, 1, &u8));
	assert_int_equal(u8, 0x9a);
}

static void refuses_past_the_end(void **state)
{
	(void)state;
	static const uint8_t b[] = { 1, 2, 3, 4 };
	struct cursor c;
	uint8_t u8 = 0xee, bytes[8];
	uint16_t u16 = 0xeeee;
	uint32_t u32 = 0xeeeeeeee;
	cur_init(&c, b, sizeof b);
	assert_false(cur_peek_u8(&c, 4, &u8));
	assert_false(cur_peek_be16(&c, 3, &u16));
	assert_false(cur_peek_be32(&c, 1, &u32));
	assert_false(cur_peek_be32(&c, SIZE_MAX, &u32));	/* no wrap-around */
	assert_false(cur_peek_be16(&c, SIZE_MAX - 1, &u16));
	assert_false(cur_peek_bytes(&c, 1, bytes, 4));
	assert_false(cur_peek_bytes(&c, 2, bytes, SIZE_MAX));
	assert_int_equal(u8, 0xee);	/* nothing written on failure */
	assert_int_equal(u16, 0xeeee);
	assert_int_equal(u32, 0xeeeeeeee);
	assert_false(cur_skip(&c, 5));
	assert_int_equal(cur_left(&c), 4);	/* a failed skip does not move */
	assert_false(cur_skip(&c, SIZE_MAX));
	assert_true(cur_skip(&c, 4));
	assert_false(cur_u8(&c, &u8));
	assert_false(cur_be16(&c, &u16));
	assert_true(cur_has(&c, 0));
	assert_false(cur_has(&c, 1));
}

static void empty_and_sub(void **state)
{
	(void)state;
	static const uint8_t b[] = { 1, 2, 3, 4, 5, 6 };
	struct cursor c, sub;
	bool short_read;
	uint8_t u8;
	cur_init(&c, NULL, 100);	/* no bytes: an empty window */
	assert_int_equal(cur_left(&c), 0);
	assert_false(cur_peek_u8(&c, 0, &u8));
	cur_init(&c, b, sizeof b);
	cur_skip(&c, 2);
	cur_sub(&c, 3, &sub, &short_read);
	assert_false(short_read);
	assert_int_equal(cur_left(&sub), 3);
	assert_false(cur_peek_u8(&sub, 3, &u8));	/* the sub window ends at 3 */
	assert_true(cur_peek_u8(&sub, 2, &u8));
	assert_int_equal(u8, 5);
	cur_sub(&c, 100, &sub, &short_read);
	assert_true(short_read);
	assert_int_equal(cur_left(&sub), 4);
	assert_int_equal(cur_left(&c), 4);	/* the parent did not move */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_inside),
		cmocka_unit_test(refuses_past_the_end),
		cmocka_unit_test(empty_and_sub),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
