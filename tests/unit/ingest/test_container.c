/* Unit tests: Docker json-file and CRI lines, partial-line reassembly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "stages/ingest/container.h"
#include "wtime.h"

static void test_docker(void **state)
{
	(void)state;
	struct docker_parser p;
	docker_parser_init(&p);
	struct cont_line l;
	const char *why;
	const char *s = "{\"log\":\"a \\\"b\\\"\\n\",\"stream\":\"stderr\",\"time\":\"2026-11-28T08:43:52.000000001Z\"}";
	assert_int_equal(docker_parse(&p, s, strlen(s), &l, &why), 0);
	assert_int_equal(l.len, 5);
	assert_string_equal(l.text, "a \"b\"");
	assert_string_equal(l.stream, "stderr");
	assert_false(l.partial);
	assert_true(l.ts_ns == 1795855432000000001LL);
	s = "{\"log\":\"piece\",\"stream\":\"stdout\",\"time\":\"2026-11-28T08:43:52Z\"}";
	assert_int_equal(docker_parse(&p, s, strlen(s), &l, &why), 0);
	assert_true(l.partial);
	const char *bad[] = { "", "{}", "[1]", "{\"log\":1,\"stream\":\"stdout\",\"time\":\"2026-11-28T08:43:52Z\"}",
			      "{\"log\":\"x\\n\",\"stream\":\"stdin\",\"time\":\"2026-11-28T08:43:52Z\"}",
			      "{\"log\":\"x\\n\",\"stream\":\"stdout\",\"time\":\"yesterday\"}",
			      "{\"log\":\"x\\n\",\"stream\":\"stdout\",\"time\":\"2026-11-28T08:43:52Z\"} trailing" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(docker_parse(&p, bad[i], strlen(bad[i]), &l, &why), -1);
	docker_parser_free(&p);
}

static void test_cri(void **state)
{
	(void)state;
	struct cont_line l;
	const char *why;
	const char *s = "2026-11-28T08:43:52.5Z stdout F hello world";
	assert_int_equal(cri_parse(s, strlen(s), &l, &why), 0);
	assert_int_equal(l.len, 11);
	assert_memory_equal(l.text, "hello world", 11);
	assert_false(l.partial);
	s = "2026-11-28T08:43:52.5Z stderr P:x part";
	assert_int_equal(cri_parse(s, strlen(s), &l, &why), 0);
	assert_true(l.partial);
	assert_string_equal(l.stream, "stderr");
	s = "2026-11-28T08:43:52.5Z stdout F";
	assert_int_equal(cri_parse(s, strlen(s), &l, &why), 0);
	assert_int_equal(l.len, 0);
	const char *bad[] = { "", "x stdout F a", "2026-11-28T08:43:52Z stdin F a",
			      "2026-11-28T08:43:52Z stdout Q a", "2026-11-28T08:43:52Z stdout PF a",
			      "2026-11-28T08:43:52Z" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(cri_parse(bad[i], strlen(bad[i]), &l, &why), -1);
}

static struct cont_line piece(const char *text, const char *stream, int64_t ts, bool partial)
{
	struct cont_line l = { text, strlen(text), stream, ts, partial };
	return l;
}

static void test_reassembly(void **state)
{
	(void)state;
	struct cont_asm a;
	cont_asm_init(&a, 10, 3);
	struct cont_line out, in;
	in = piece("ab", "stdout", 1, true);
	assert_false(cont_asm_feed(&a, "f1", &in, &out));
	in = piece("zz", "stderr", 2, false);	/* other stream passes through */
	assert_true(cont_asm_feed(&a, "f1", &in, &out));
	assert_memory_equal(out.text, "zz", 2);
	in = piece("other", "stdout", 3, true);	/* other file is separate */
	assert_false(cont_asm_feed(&a, "f2", &in, &out));
	in = piece("cd", "stdout", 4, false);
	assert_true(cont_asm_feed(&a, "f1", &in, &out));
	assert_int_equal(out.len, 4);
	assert_string_equal(out.text, "abcd");
	assert_true(out.ts_ns == 1);	/* the first piece's time */
	/* bounded: at most 3 pieces, at most 10 bytes */
	in = piece("1", "stdout", 5, true);
	assert_false(cont_asm_feed(&a, "f3", &in, &out));
	assert_false(cont_asm_feed(&a, "f3", &in, &out));
	assert_true(cont_asm_feed(&a, "f3", &in, &out));
	assert_string_equal(out.text, "111");
	in = piece("0123456789abc", "stdout", 6, true);
	assert_true(cont_asm_feed(&a, "f4", &in, &out));
	assert_int_equal(out.len, 10);
	cont_asm_free(&a);
}

static void test_names(void **state)
{
	(void)state;
	char *n = container_name_for_path("/var/log/pods/soc_web-1_uid/web_server/0.log");
	assert_string_equal(n, "web_server");
	free(n);
	n = container_name_for_path("/var/log/containers/web-1_soc_victim_server-"
				    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.log");
	assert_string_equal(n, "victim_server");
	free(n);
	assert_null(container_name_for_path("/var/log/auth.log"));
	assert_null(container_name_for_path("/nonexistent/abc/abc-json.log"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_docker),
		cmocka_unit_test(test_cri),
		cmocka_unit_test(test_reassembly),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
