/* Unit tests: ward-run's decisions about ended processes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <string.h>

#include "stages/run/policy.h"

#define EXITED(code) ((code) << 8)
#define KILLED(sig) (sig)

static void test_exit_code(void **state)
{
	(void)state;
	assert_int_equal(policy_exit_code(EXITED(0)), 0);
	assert_int_equal(policy_exit_code(EXITED(74)), 74);
	assert_int_equal(policy_exit_code(KILLED(SIGKILL)), 137);
	assert_int_equal(policy_exit_code(KILLED(SIGSEGV)), 128 + SIGSEGV);
}

static void test_clean_end(void **state)
{
	(void)state;
	assert_true(policy_clean_end(EXITED(0), false));
	assert_false(policy_clean_end(EXITED(1), false));
	assert_true(policy_clean_end(KILLED(SIGPIPE), false));
	assert_false(policy_clean_end(KILLED(SIGTERM), false));
	assert_true(policy_clean_end(KILLED(SIGTERM), true));
	assert_true(policy_clean_end(KILLED(SIGINT), true));
	assert_false(policy_clean_end(KILLED(SIGSEGV), true));
	assert_false(policy_clean_end(EXITED(74), true));
}

static void test_restartable(void **state)
{
	(void)state;
	assert_true(policy_restartable(KILLED(SIGSEGV)));
	assert_true(policy_restartable(KILLED(SIGKILL)));
	assert_true(policy_restartable(EXITED(74)));
	assert_true(policy_restartable(EXITED(69)));
	assert_true(policy_restartable(EXITED(70)));
	assert_false(policy_restartable(EXITED(0)));
	assert_false(policy_restartable(EXITED(64)));
	assert_false(policy_restartable(EXITED(65)));
	assert_false(policy_restartable(EXITED(78)));
	assert_false(policy_restartable(EXITED(127)));
}

static void test_backoff(void **state)
{
	(void)state;
	const int64_t s = 1000000000LL;
	assert_int_equal(policy_backoff(0, s / 2, 0), s / 2);
	assert_int_equal(policy_backoff(s / 2, s / 2, s), s);
	assert_int_equal(policy_backoff(s, s / 2, s), 2 * s);
	assert_int_equal(policy_backoff(20 * s, s / 2, s), POLICY_BACKOFF_MAX_NS);
	assert_int_equal(policy_backoff(POLICY_BACKOFF_MAX_NS, s / 2, s), POLICY_BACKOFF_MAX_NS);
	assert_int_equal(policy_backoff(INT64_MAX / 2, s / 2, s), POLICY_BACKOFF_MAX_NS);
	/* A long healthy run starts over. */
	assert_int_equal(policy_backoff(16 * s, s / 2, POLICY_HEALTHY_NS), s / 2);
}

static void test_counters_line(void **state)
{
	(void)state;
	const char *ok = "{\"stage\":\"match\",\"in\":1}";
	assert_true(policy_counters_line(ok, strlen(ok)));
	const char *msg = "ward-match: error: x";
	assert_false(policy_counters_line(msg, strlen(msg)));
	const char *cut = "{\"stage\":\"match\",\"in\":1";
	assert_false(policy_counters_line(cut, strlen(cut)));
	assert_false(policy_counters_line("{\"stage\":\"", 10));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_code),
		cmocka_unit_test(test_clean_end),
		cmocka_unit_test(test_restartable),
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_counters_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
