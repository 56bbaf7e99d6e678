/* Unit tests: the pipeline file parser and its shell rendering. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "stages/run/pipeline.h"

/* A fake environment: HOME=/home/u, EMPTY=, SAMPLES=/env/samples. */
static const char *lookup(void *ctx, const char *name)
{
	(void)ctx;
	if (strcmp(name, "HOME") == 0)
		return "/home/u";
	if (strcmp(name, "EMPTY") == 0)
		return "";
	if (strcmp(name, "SAMPLES") == 0)
		return "/env/samples";
	return NULL;
}

/* include shared.conf -> settings; include stage.conf -> a stage line. */
static int include(void *ctx, const char *from, const char *path, char **text, size_t *len,
		   char **resolved, char *err, size_t errlen)
{
	(void)ctx;
	(void)from;
	const char *body = NULL;
	if (strcmp(path, "shared.conf") == 0)
		body = "# shared\nRULES=rules\nWINDOW='10s'\n";
	else if (strcmp(path, "stage.conf") == 0)
		body = "cat\n";
	else if (strcmp(path, "loop.conf") == 0)
		body = "include loop.conf\n";
	if (!body) {
		strncpy(err, "No such file or directory", errlen);
		return -1;
	}
	*text = strdup(body);
	*len = strlen(body);
	*resolved = strdup(path);
	return 0;
}

static const struct pl_env env = { lookup, include, NULL, NULL, 0 };

static int parse(const char *text, struct pipeline *p, struct pl_error *e)
{
	return pipeline_parse(text, strlen(text), "t.pipeline", &env, p, e);
}

static const struct pl_stage *stage_at(const struct pl_chain *c, size_t i)
{
	assert_true(i < c->len);
	assert_int_equal(c->nodes[i].kind, PL_STAGE);
	return &c->nodes[i].stage;
}

static void expect_error(const char *text, unsigned line, const char *msg_part)
{
	struct pipeline p;
	struct pl_error e;
	assert_int_equal(parse(text, &p, &e), -1);
	if (!strstr(e.msg, msg_part) || e.line != line)
		fail_msg("for %s: got line %u '%s', want line %u '%s'", text, e.line, e.msg, line, msg_part);
	assert_string_equal(e.file, "t.pipeline");
	assert_int_equal(p.nstages, 0);
}

/* ${@}: the operands after the pipeline file, one word each. */
static void test_operands(void **state)
{
	(void)state;
	char *const ops[] = { "a b.log", "$(id)", NULL };
	struct pl_env with = env;
	with.args = ops;
	with.nargs = 2;
	struct pipeline p;
	struct pl_error e;
	const char *text = "ward-ingest --ts auto ${@} -q\nward-match --rules ${HOME}\n";
	assert_int_equal(pipeline_parse(text, strlen(text), "t.pipeline", &with, &p, &e), 0);
	const struct pl_stage *s = stage_at(&p.chain, 0);
	assert_int_equal(s->argc, 6);
	assert_string_equal(s->argv[3], "a b.log");	/* never split, never run */
	assert_string_equal(s->argv[4], "$(id)");
	assert_string_equal(s->argv[5], "-q");
	assert_null(s->argv[6]);
	pipeline_free(&p);

	with.nargs = 0;		/* no operands: no words */
	assert_int_equal(pipeline_parse(text, strlen(text), "t.pipeline", &with, &p, &e), 0);
	assert_int_equal(stage_at(&p.chain, 0)->argc, 4);
	pipeline_free(&p);

	expect_error("prog x${@}\n", 1, "word of its own");
	expect_error("prog \"${@}\"\n", 1, "${");
	expect_error("prog ${@}x\n", 1, "word of its own");
	expect_error("${@} a\n", 1, "program name");
	expect_error("X=${@}\n", 1, "word of its own");
}

static void test_chain_and_words(void **state)
{
	(void)state;
	struct pipeline p;
	struct pl_error e;
	assert_int_equal(parse("# header\n\nward-ingest --label job=sshd a.log\n"
			       "  ward-match '{job=\"sshd\"} |= \"Failed password\"'  # trailing\n"
			       "ward-window \"sum by (src_ip) (x)\" a\\ b it\\'s a#b\n", &p, &e), 0);
	assert_int_equal(p.chain.len, 3);
	assert_int_equal(p.nstages, 3);
	const struct pl_stage *s = stage_at(&p.chain, 0);
	assert_int_equal(s->argc, 4);
	assert_string_equal(s->argv[3], "a.log");
	assert_null(s->argv[4]);
	assert_int_equal(s->line, 3);
	s = stage_at(&p.chain, 1);
	assert_int_equal(s->argc, 2);
	assert_string_equal(s->argv[1], "{job=\"sshd\"} |= \"Failed password\"");
	assert_int_equal(s->line, 4);
	s = stage_at(&p.chain, 2);
	assert_int_equal(s->argc, 5);
	assert_string_equal(s->argv[1], "sum by (src_ip) (x)");
	assert_string_equal(s->argv[2], "a b");
	assert_string_equal(s->argv[3], "it's");
	assert_string_equal(s->argv[4], "a#b");
	pipeline_free(&p);
}

static void test_double_quote_escapes(void **state)
{
	(void)state;
	struct pipeline p;
	struct pl_error e;
	assert_int_equal(parse("prog \"a\\\"b\\\\c\\$d\\ne\" 'x\\y' \"${HOME}/x\" \"cost $ 5\"\n", &p, &e), 0);
	const struct pl_stage *s = stage_at(&p.chain, 0);
	assert_string_equal(s->argv[1], "a\"b\\c$d\\ne");
	assert_string_equal(s->argv[2], "x\\y");
	assert_string_equal(s->argv[3], "/home/u/x");
	assert_string_equal(s->argv[4], "cost $ 5");
	pipeline_free(&p);
}

static void test_continuation_and_multiline_quotes(void **state)
{
	(void)state;
	struct pipeline p;
	struct pl_error e;
	assert_int_equal(parse("first \\\n  --flag \\\n  value\nsecond 'two\nlines'\nthird\n", &p, &e), 0);
	assert_int_equal(p.chain.len, 3);
	const struct pl_stage *s = stage_at(&p.chain, 0);
	assert_int_equal(s->argc, 3);
	assert_string_equal(s->argv[2], "value");
	assert_int_equal(s->line, 1);
	s = stage_at(&p.chain, 1);
	assert_string_equal(s->argv[1], "two\nlines");
	assert_int_equal(s->line, 4);
	assert_int_equal(stage_at(&p.chain, 2)->line, 6);
	pipeline_free(&p);
}

static void test_variables(void **state)
{
	(void)state;
	struct pipeline p;
	struct pl_error e;
	assert_int_equal(parse("SAMPLES=/file/samples\nOWN=/own\n"
			       "prog ${SAMPLES}/a ${OWN}/b ${NOPE:-dflt} ${EMPTY:-e} ${NOPE:-${OWN}x} "
			       "${HOME:-${NOPE}} ${NOPE:-a\\}b} x${EMPTY}y\n", &p, &e), 0);
	const struct pl_stage *s = stage_at(&p.chain, 0);
	assert_string_equal(s->argv[1], "/env/samples/a");	/* the environment wins */
	assert_string_equal(s->argv[2], "/own/b");
	assert_string_equal(s->argv[3], "dflt");
	assert_string_equal(s->argv[4], "e");		/* :- also replaces empty */
	assert_string_equal(s->argv[5], "/ownx");
	assert_string_equal(s->argv[6], "/home/u");	/* unused default: no error */
	assert_string_equal(s->argv[7], "a}b");
	assert_string_equal(s->argv[8], "xy");
	assert_int_equal(p.nsettings, 2);
	assert_string_equal(pipeline_setting(&p, &env, "SAMPLES"), "/env/samples");
	assert_string_equal(pipeline_setting(&p, &env, "OWN"), "/own");
	/* An expanded value is one word, never split. */
	pipeline_free(&p);
	assert_int_equal(parse("V='a b'\nprog ${V}\n", &p, &e), 0);
	assert_int_equal(stage_at(&p.chain, 0)->argc, 2);
	assert_string_equal(stage_at(&p.chain, 0)->argv[1], "a b");
	pipeline_free(&p);
}

static void test_variable_errors(void **state)
{
	(void)state;
	expect_error("a\nprog ${NOPE}\n", 2, "${NOPE} is not set");
	expect_error("prog $HOME\n", 1, "only ${NAME}");
	expect_error("prog \"$(id)\"\n", 1, "only ${NAME}");
	expect_error("prog ${1}\n", 1, "bad variable name");
	expect_error("prog ${A-b}\n", 1, "only ${NAME} and ${NAME:-default}");
	expect_error("prog ${A:-'q'}\n", 1, "quotes inside");
	expect_error("prog ${A\n", 1, "only ${NAME}");
	expect_error("prog ${A:-x\n", 1, "unterminated");
	expect_error("X=a b\n", 1, "NAME=VALUE takes one word");
}

static void test_shell_syntax_refused(void **state)
{
	(void)state;
	expect_error("a\nb | c\n", 2, "shell operator '|'");
	expect_error("a > out\n", 1, "shell operator '>'");
	expect_error("a; b\n", 1, "shell operator ';'");
	expect_error("a `id`\n", 1, "shell operator '`'");
	expect_error("a \"`id`\"\n", 1, "command substitution");
	expect_error("a 'open\n", 1, "unterminated single quote");
	expect_error("a \"open\n\n", 1, "unterminated double quote");
	expect_error("a \\", 1, "backslash at end");
	expect_error("", 1, "no stage");
	expect_error("# only\nX=1\n", 1, "no stage");
	/* Quoted operators are plain characters. */
	struct pipeline p;
	struct pl_error e;
	assert_int_equal(parse("a '|' \"<>\" \\; x=\"1\"\n", &p, &e), 0);
	assert_string_equal(stage_at(&p.chain, 0)->argv[3], ";");
	assert_string_equal(stage_at(&p.chain, 0)->argv[4], "x=1");
	pipeline_free(&p);
}

static void test_nul_byte(void **state)
{
	(void)state;
	struct pipeline p;
	struct pl_error e;
	assert_int_equal(pipeline_parse("a\0b\n", 4, "t.pipeline", &env, &p, &e), -1);
	assert_non_null(strstr(e.msg, "NUL"));
}

static void test_fanout(void **state)
{
	(void)state;
	struct pipeline p;
	struct pl_error e;
	assert_int_equal(parse("ingest\nfanout\n  branch ssh\n    m1\n    w1\n  branch web\n    m2\n"
			       "  source sniff\n    sniff -r x\nmerge\nrespond\n", &p, &e), 0);
	assert_int_equal(p.chain.len, 3);
	assert_int_equal(p.nstages, 6);
	const struct pl_node *f = &p.chain.nodes[1];
	assert_int_equal(f->kind, PL_FANOUT);
	assert_int_equal(f->line, 2);
	assert_int_equal(f->fan.len, 3);
	assert_string_equal(f->fan.branches[0].name, "ssh");
	assert_false(f->fan.branches[0].source);
	assert_int_equal(f->fan.branches[0].chain.len, 2);
	assert_string_equal(stage_at(&f->fan.branches[0].chain, 1)->argv[0], "w1");
	assert_true(f->fan.branches[2].source);
	assert_string_equal(stage_at(&p.chain, 2)->argv[0], "respond");

	struct ward_buf sh = WARD_BUF_INIT;
	pipeline_to_shell(&p, &env, &sh);
	assert_non_null(strstr(buf_cstr(&sh), "{ ingest | tee"));
	assert_non_null(strstr(buf_cstr(&sh), ">(m1 | \\\n"));
	assert_non_null(strstr(buf_cstr(&sh), "{ sniff -r x; } </dev/null"));
	assert_non_null(strstr(buf_cstr(&sh), "wait; } | \\\n  respond\n"));
	buf_free(&sh);
	pipeline_free(&p);

	/* Nested, and a fanout first (reads the pipeline's input). */
	assert_int_equal(parse("fanout\nbranch a\nx\nfanout\nbranch b\ny\nmerge\nbranch c\nz\nmerge\n", &p, &e), 0);
	assert_int_equal(p.chain.len, 1);
	assert_int_equal(p.chain.nodes[0].fan.branches[0].chain.nodes[1].kind, PL_FANOUT);
	pipeline_free(&p);
}

static void test_fanout_errors(void **state)
{
	(void)state;
	expect_error("a\nfanout\nb\nmerge\n", 3, "must follow 'branch NAME'");
	expect_error("a\nfanout\nbranch x\nb\n", 2, "fanout has no merge");
	expect_error("a\nmerge\n", 2, "merge without fanout");
	expect_error("a\nfanout\nmerge\n", 3, "has no branch");
	expect_error("a\nfanout\nbranch x\nbranch y\nb\nmerge\n", 4, "branch 'x' (line 3) has no stage");
	expect_error("a\nfanout\nbranch x\nb\nbranch x\nc\nmerge\n", 5, "used twice");
	expect_error("branch x\n", 1, "outside fanout");
	expect_error("a\nfanout x\n", 2, "no arguments");
	expect_error("a\nfanout\nbranch 'a b'\n", 3, "usage: branch NAME");
	expect_error("a\nfanout\nsource\n", 3, "usage: source NAME");
}

static void test_keywords_quoted_are_programs(void **state)
{
	(void)state;
	struct pipeline p;
	struct pl_error e;
	assert_int_equal(parse("'fanout'\n\"merge\"\n", &p, &e), 0);
	assert_int_equal(p.chain.len, 2);
	assert_string_equal(stage_at(&p.chain, 0)->argv[0], "fanout");
	pipeline_free(&p);
}

static void test_kafka_hops(void **state)
{
	(void)state;
	struct pipeline p;
	struct pl_error e;
	assert_int_equal(parse("ingest --out kafka://b:9092/raw\n"
			       "match --in=kafka://b:9092/raw -okafka://b:9092/m\n"
			       "window -i kafka://b:9092/m --out kafka-not\n"
			       "respond -- --in kafka://x/y\n", &p, &e), 0);
	const struct pl_stage *s = stage_at(&p.chain, 0);
	assert_false(s->kafka_in);
	assert_true(s->kafka_out);
	s = stage_at(&p.chain, 1);
	assert_true(s->kafka_in);
	assert_true(s->kafka_out);
	s = stage_at(&p.chain, 2);
	assert_true(s->kafka_in);
	assert_false(s->kafka_out);
	s = stage_at(&p.chain, 3);
	assert_false(s->kafka_in);	/* after --, an operand */
	struct ward_buf sh = WARD_BUF_INIT;
	pipeline_to_shell(&p, &env, &sh);
	assert_non_null(strstr(buf_cstr(&sh), "{ ingest --out kafka://b:9092/raw >/dev/null &"));
	assert_non_null(strstr(buf_cstr(&sh), "</dev/null window -i kafka://b:9092/m --out kafka-not | \\\n"));
	assert_non_null(strstr(buf_cstr(&sh), "; wait; }\n"));
	buf_free(&sh);
	pipeline_free(&p);
}

static void test_include(void **state)
{
	(void)state;
	struct pipeline p;
	struct pl_error e;
	assert_int_equal(parse("include shared.conf\nprog ${RULES}/ssh.yaml ${WINDOW}\n", &p, &e), 0);
	assert_string_equal(stage_at(&p.chain, 0)->argv[1], "rules/ssh.yaml");
	assert_string_equal(stage_at(&p.chain, 0)->argv[2], "10s");
	assert_int_equal(p.nfiles, 2);
	pipeline_free(&p);
	expect_error("include missing.conf\na\n", 1, "include missing.conf: No such file");
	expect_error("include\na\n", 1, "usage: include FILE");
	/* Errors inside an included file name that file. */
	assert_int_equal(parse("include stage.conf\na\n", &p, &e), -1);
	assert_string_equal(e.file, "stage.conf");
	assert_non_null(strstr(e.msg, "only NAME=VALUE settings"));
	assert_int_equal(parse("include loop.conf\na\n", &p, &e), -1);
	assert_non_null(strstr(e.msg, "nested more than"));
}

static void test_to_shell_quoting(void **state)
{
	(void)state;
	struct pipeline p;
	struct pl_error e;
	assert_int_equal(parse("X=1\nX=2\nward-ingest --label job=sshd /var/log/auth.log\n"
			       "ward-match '{job=\"sshd\"} |= \"it'\\''s\"' ''\n", &p, &e), 0);
	struct ward_buf sh = WARD_BUF_INIT;
	pipeline_to_shell(&p, &env, &sh);
	assert_string_equal(buf_cstr(&sh), "export X=2\n"
			    "ward-ingest --label job=sshd /var/log/auth.log | \\\n"
			    "  ward-match '{job=\"sshd\"} |= \"it'\\''s\"' ''\n");
	buf_free(&sh);
	pipeline_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain_and_words),
		cmocka_unit_test(test_double_quote_escapes),
		cmocka_unit_test(test_continuation_and_multiline_quotes),
		cmocka_unit_test(test_variables),
		cmocka_unit_test(test_variable_errors),
		cmocka_unit_test(test_shell_syntax_refused),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_fanout),
		cmocka_unit_test(test_fanout_errors),
		cmocka_unit_test(test_keywords_quoted_are_programs),
		cmocka_unit_test(test_kafka_hops),
		cmocka_unit_test(test_include),
		cmocka_unit_test(test_to_shell_quoting),
		cmocka_unit_test(test_operands),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
