/* Unit tests: the bounded line reader over pipes and files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "linereader.h"

/* A pipe pre-filled by a child writer, so the reader sees real short reads. */
static int pipe_with(const char *data, size_t n)
{
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		/* dribble in small pieces to exercise partial reads */
		for (size_t off = 0; off < n;) {
			size_t chunk = n - off < 7 ? n - off : 7;
			if (write(fds[1], data + off, chunk) < 0)
				_exit(1);
			off += chunk;
		}
		_exit(0);
	}
	close(fds[1]);
	return fds[0];
}

/* Collect results as "L:<line>" / "T:<len>" / "E" into one string. */
static char *collect(const char *data, size_t n, size_t max)
{
	int fd = pipe_with(data, n);
	struct ward_linereader *lr = linereader_new(fd, max);
	struct ward_buf out = WARD_BUF_INIT;
	for (;;) {
		const char *line;
		size_t len;
		enum linereader_status st = linereader_next(lr, -1, &line, &len);
		if (st == LINEREADER_LINE) {
			buf_append_str(&out, "L:");
			buf_append(&out, line, len);
			buf_append_char(&out, '|');
		} else if (st == LINEREADER_TOOLONG) {
			buf_printf(&out, "T:%zu|", len);
		} else if (st == LINEREADER_TIMEOUT) {
			continue;
		} else {
			buf_append_str(&out, st == LINEREADER_EOF ? "E" : "X");
			break;
		}
	}
	assert_true(linereader_offset(lr) == n);
	linereader_free(lr);
	close(fd);
	while (wait(NULL) > 0)
		;
	char *s = ward_xstrdup(buf_cstr(&out));
	buf_free(&out);
	return s;
}

#define CHECK(data, max, want) do { \
	char *got = collect(data, sizeof(data) - 1, max); \
	assert_string_equal(got, want); \
	free(got); \
} while (0)

static void test_lines_and_final_partial(void **state)
{
	(void)state;
	CHECK("a\nbb\n\nccc", 100, "L:a|L:bb|L:|L:ccc|E");
	CHECK("", 100, "E");
	CHECK("\n", 100, "L:|E");
}

static void test_long_line_skipped_whole(void **state)
{
	(void)state;
	/* max 4: "12345" is too long and must not come out as two records */
	CHECK("ok\n12345\nfine\n", 4, "L:ok|T:5|L:fine|E");
	CHECK("1234\n", 4, "L:1234|E");
	CHECK("12345", 4, "T:5|E");
	CHECK("a\n123456789012345678901234567890\nb", 4, "L:a|T:30|L:b|E");
}

static void test_nul_bytes_kept(void **state)
{
	(void)state;
	int fd = pipe_with("a\0b\nc\n", 6);
	struct ward_linereader *lr = linereader_new(fd, 100);
	const char *line;
	size_t len;
	assert_int_equal(linereader_next(lr, -1, &line, &len), LINEREADER_LINE);
	assert_int_equal(len, 3);
	assert_memory_equal(line, "a\0b", 3);
	assert_int_equal(linereader_next(lr, -1, &line, &len), LINEREADER_LINE);
	assert_string_equal(line, "c");
	linereader_free(lr);
	close(fd);
	wait(NULL);
}

static void test_large_line_grows_buffer(void **state)
{
	(void)state;
	size_t n = 3 * 1024 * 1024;
	char *data = malloc(n + 2);
	memset(data, 'x', n);
	data[n] = '\n';
	data[n + 1] = 'y';
	FILE *f = tmpfile();
	fwrite(data, 1, n + 2, f);
	fflush(f);
	rewind(f);
	struct ward_linereader *lr = linereader_new(fileno(f), 4 * 1024 * 1024);
	const char *line;
	size_t len;
	assert_int_equal(linereader_next(lr, -1, &line, &len), LINEREADER_LINE);
	assert_true(len == n);
	assert_int_equal(linereader_next(lr, -1, &line, &len), LINEREADER_LINE);
	assert_string_equal(line, "y");
	assert_int_equal(linereader_next(lr, -1, &line, &len), LINEREADER_EOF);
	linereader_free(lr);
	fclose(f);
	free(data);
}

static void test_timeout_on_idle_pipe(void **state)
{
	(void)state;
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	assert_true(write(fds[1], "part", 4) == 4);
	struct ward_linereader *lr = linereader_new(fds[0], 100);
	const char *line;
	size_t len;
	assert_int_equal(linereader_next(lr, 10, &line, &len), LINEREADER_TIMEOUT);
	assert_false(linereader_buffered(lr));
	assert_true(write(fds[1], "ial\nnext\n", 9) == 9);
	assert_int_equal(linereader_next(lr, 10, &line, &len), LINEREADER_LINE);
	assert_string_equal(line, "partial");
	assert_true(linereader_buffered(lr));
	close(fds[1]);
	assert_int_equal(linereader_next(lr, 10, &line, &len), LINEREADER_LINE);
	assert_int_equal(linereader_next(lr, 10, &line, &len), LINEREADER_EOF);
	linereader_free(lr);
	close(fds[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_and_final_partial),
		cmocka_unit_test(test_long_line_skipped_whole),
		cmocka_unit_test(test_nul_bytes_kept),
		cmocka_unit_test(test_large_line_grows_buffer),
		cmocka_unit_test(test_timeout_on_idle_pipe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
