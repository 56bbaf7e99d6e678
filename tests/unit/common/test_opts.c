/* Unit tests: the option table parser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "opts.h"
#include "wtime.h"

struct vals {
	struct ward_common_opts c;
	long n;
	int64_t window;
	double ratio;
	bool flag;
	const char *name;
};

static int run(struct vals *v, int argc, const char **cargv, int *nops, char ***argv_out)
{
	static char *argv[32];
	for (int i = 0; i < argc; i++)
		argv[i] = (char *)cargv[i];
	const struct ward_opt table[] = {
		{ "count", 'n', OPT_INT, &v->n, "N", "a number", NULL },
		{ "window", 'w', OPT_DURATION, &v->window, "DUR", "a duration", "WARD_TEST_WINDOW" },
		{ "ratio", 0, OPT_DOUBLE, &v->ratio, "R", "a ratio", NULL },
		{ "flag", 'f', OPT_FLAG, &v->flag, NULL, "a flag", NULL },
		{ "name", 0, OPT_STRING, &v->name, "S", "a name", NULL },
		WARD_COMMON_OPTS(&v->c),
		{ 0 },
	};
	*argv_out = argv;
	return opts_parse(table, argc, argv, nops);
}

static void test_long_short_and_operands(void **state)
{
	(void)state;
	struct vals v = { 0 };
	common_opts_defaults(&v.c);
	const char *argv[] = { "prog", "q1", "--count", "5", "-w10s", "--ratio=0.5", "-fq",
			       "-X", "a=b", "--property=c=d", "--max-line", "64K", "q2", "--", "--count" };
	int nops;
	char **out;
	assert_int_equal(run(&v, 15, argv, &nops, &out), 0);
	assert_int_equal(v.n, 5);
	assert_true(v.window == 10 * NS_PER_SEC);
	assert_true(v.ratio == 0.5);
	assert_true(v.flag);
	assert_true(v.c.quiet);
	assert_int_equal(v.c.max_line, 65536);
	assert_int_equal(v.c.props.len, 2);
	assert_string_equal(v.c.props.items[1], "c=d");
	assert_null(v.c.props.items[2]);
	assert_int_equal(nops, 3);
	assert_string_equal(out[1], "q1");
	assert_string_equal(out[2], "q2");
	assert_string_equal(out[3], "--count");
	opt_list_free(&v.c.props);
}

static void test_errors(void **state)
{
	(void)state;
	static const char *const cases[][3] = {
		{ "prog", "--nope", NULL }, { "prog", "--count", "x" }, { "prog", "--count", NULL },
		{ "prog", "--flag=1", NULL }, { "prog", "-Z", NULL }, { "prog", "--window", "10" },
		{ "prog", "--max-line", "12q" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct vals v = { 0 };
		common_opts_defaults(&v.c);
		int nops, argc = cases[i][2] ? 3 : 2;
		char **out;
		if (run(&v, argc, (const char **)cases[i], &nops, &out) != -1)
			fail_msg("accepted case %zu", i);
	}
}

static void test_environment_default_then_argv(void **state)
{
	(void)state;
	struct vals v = { 0 };
	common_opts_defaults(&v.c);
	setenv("WARD_TEST_WINDOW", "5m", 1);
	const char *argv1[] = { "prog" };
	int nops;
	char **out;
	assert_int_equal(run(&v, 1, argv1, &nops, &out), 0);
	assert_true(v.window == 300 * NS_PER_SEC);
	const char *argv2[] = { "prog", "--window", "1s" };
	assert_int_equal(run(&v, 3, argv2, &nops, &out), 0);
	assert_true(v.window == NS_PER_SEC);
	setenv("WARD_TEST_WINDOW", "bogus", 1);
	assert_int_equal(run(&v, 1, argv1, &nops, &out), -1);
	unsetenv("WARD_TEST_WINDOW");
}

static void test_sizes(void **state)
{
	(void)state;
	size_t s;
	assert_int_equal(parse_size("1M", &s), 0);
	assert_int_equal(s, 1048576);
	assert_int_equal(parse_size("2KiB", &s), 0);
	assert_int_equal(s, 2048);
	assert_int_equal(parse_size("10", &s), 0);
	assert_int_equal(s, 10);
	assert_int_equal(parse_size("-1", &s), -1);
	assert_int_equal(parse_size("1T", &s), -1);
	assert_int_equal(parse_size("99999999999999999999G", &s), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_long_short_and_operands),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_environment_default_then_argv),
		cmocka_unit_test(test_sizes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
