/* Unit tests: the positions file format and lookups. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stages/ingest/positions.h"

static void test_round_trip(void **state)
{
	(void)state;
	struct positions_table t = { 0 };
	positions_set(&t, 64769, 1234, 42, "/var/log/a b.log");
	positions_set(&t, 64769, 99, POSITIONS_DONE, "/var/log/old.gz");
	positions_set(&t, 64769, 1234, 50, "/var/log/a.log.1");	/* renamed: same inode */
	positions_set(&t, 1, 2, 3, "bad\nname");
	assert_int_equal(t.len, 3);
	struct ward_buf b = WARD_BUF_INIT;
	positions_format(&t, &b);
	assert_string_equal(buf_cstr(&b),
		"ward-positions 1\n64769 1234 50 /var/log/a.log.1\n64769 99 -1 /var/log/old.gz\n");
	struct positions_table u = { 0 };
	assert_int_equal(positions_parse(&u, b.data, b.len), 0);
	assert_int_equal(u.len, 2);
	const struct positions_entry *e = positions_find_inode(&u, 64769, 99);
	assert_non_null(e);
	assert_true(e->offset == POSITIONS_DONE);
	assert_non_null(positions_find_path(&u, "/var/log/a.log.1"));
	assert_null(positions_find_path(&u, "/var/log/a b.log"));
	positions_free(&t);
	positions_free(&u);
	buf_free(&b);
}

static void test_bad(void **state)
{
	(void)state;
	struct positions_table t = { 0 };
	const char *bad[] = { "", "positions:\n", "ward-positions 1\n1 2 3\n", "ward-positions 1\n1 2 x p\n",
			      "ward-positions 1\n1 2 3 p", "ward-positions 1\n1 2 -5 p\n",
			      "ward-positions 1\n99999999999999999999 2 3 p\n" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(positions_parse(&t, bad[i], strlen(bad[i])), -1);
		assert_int_equal(t.len, 0);
	}
	assert_int_equal(positions_parse(&t, "ward-positions 1\n", 17), 0);
	positions_free(&t);
}

static void test_save_load(void **state)
{
	(void)state;
	char dir[] = "/tmp/ward-pos.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[64];
	snprintf(path, sizeof(path), "%s/pos", dir);
	struct positions_table t = { 0 }, u = { 0 };
	assert_int_equal(positions_load(&u, path), 0);	/* missing: empty */
	assert_int_equal(u.len, 0);
	positions_set(&t, 1, 2, 3, "/x");
	assert_int_equal(positions_save(&t, path), 0);
	assert_int_equal(positions_load(&u, path), 0);
	assert_int_equal(u.len, 1);
	assert_true(u.items[0].offset == 3);
	positions_prune(&u);	/* /x does not exist with inode 2 */
	assert_int_equal(u.len, 0);
	unlink(path);
	rmdir(dir);
	positions_free(&t);
	positions_free(&u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_save_load),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
