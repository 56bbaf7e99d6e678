/* Unit tests: write_full. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "textio.h"

static void test_write_full_through_a_pipe(void **state)
{
	(void)state;
	int fds[2];
	char big[200000], back[200000];
	assert_int_equal(pipe(fds), 0);
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (char)('a' + i % 26);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {	/* more than a pipe holds: the writer must loop */
		close(fds[0]);
		_exit(write_full(fds[1], big, sizeof big) == 0 ? 0 : 1);
	}
	close(fds[1]);
	size_t got = 0;
	ssize_t r;
	while ((r = read(fds[0], back + got, sizeof back - got)) > 0)
		got += (size_t)r;
	close(fds[0]);
	assert_int_equal(got, sizeof big);
	assert_memory_equal(back, big, sizeof big);
}

static void test_write_full_reports_epipe(void **state)
{
	(void)state;
	int fds[2];
	signal(SIGPIPE, SIG_IGN);
	assert_int_equal(pipe(fds), 0);
	close(fds[0]);
	assert_int_equal(write_full(fds[1], "x", 1), -1);
	assert_int_equal(errno, EPIPE);
	close(fds[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_full_through_a_pipe),
		cmocka_unit_test(test_write_full_reports_epipe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
