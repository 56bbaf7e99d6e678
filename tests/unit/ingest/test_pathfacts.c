/* Unit tests: per-path facts are read once per path, and the real lookups
 * read the file system. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "event.h"
#include "stages/ingest/pathfacts.h"

static int mtime_calls, name_calls;

static int64_t count_mtime(const char *path)
{
	mtime_calls++;
	return (int64_t)strlen(path);
}

static char *count_name(const char *path)
{
	name_calls++;
	return strcmp(path, "/none") == 0 ? NULL : strdup(path + 1);
}

static void test_cached_once_per_path(void **state)
{
	(void)state;
	const struct pathfacts_lookup l = { count_mtime, count_name };
	struct pathfacts *pf = pathfacts_new(&l);
	mtime_calls = name_calls = 0;
	char a[] = "/a", bb[] = "/bb";
	for (int i = 0; i < 3; i++) {
		assert_int_equal(pathfacts_mtime(pf, a), 2);
		assert_int_equal(pathfacts_mtime(pf, bb), 3);
		assert_string_equal(pathfacts_container(pf, a), "a");
		assert_null(pathfacts_container(pf, "/none"));
	}
	/* the same path in another buffer is the same path */
	char copy[] = "/bb";
	assert_int_equal(pathfacts_mtime(pf, copy), 3);
	assert_int_equal(mtime_calls, 2);
	assert_int_equal(name_calls, 2);
	pathfacts_free(pf);
}

static void test_file_system(void **state)
{
	(void)state;
	char path[] = "/tmp/ward_pathfacts_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	struct pathfacts *pf = pathfacts_new(NULL);
	assert_true(pathfacts_mtime(pf, path) ==
		    (int64_t)sb.st_mtim.tv_sec * 1000000000LL + sb.st_mtim.tv_nsec);
	assert_true(pathfacts_mtime(pf, "/nonexistent/ward") == WARD_TS_NONE);
	assert_null(pathfacts_container(pf, path));
	pathfacts_free(pf);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cached_once_per_path),
		cmocka_unit_test(test_file_system),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
