/* Unit tests: journal records (parse, format, replay, snapshot) and the
 * journal file (append, pick up foreign appends, torn tail, compaction). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "stages/respond/journal.h"
#include "stages/respond/journal_io.h"

static void parse_good_lines(void **state)
{
	(void)state;
	struct jrec r;
	struct ward_buf b = WARD_BUF_INIT;
	static const char *const lines[] = {
		"ban 198.18.0.7/32 1764319438002000000 2 SSHBruteForce",
		"ban 2001:db8:1:2::/64 5 1 -",
		"expire 198.18.0.7/32",
		"unban 2001:db8::7/128",
		"flush",
	};
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		assert_int_equal(journal_parse_line(lines[i], strlen(lines[i]), &r), 0);
		buf_reset(&b);
		journal_format(&r, &b);
		/* Round trip: format gives back the same line. */
		assert_int_equal(b.len, strlen(lines[i]) + 1);
		assert_memory_equal(b.data, lines[i], strlen(lines[i]));
	}
	assert_int_equal(journal_parse_line("# comment", 9, &r), 1);
	assert_int_equal(journal_parse_line("", 0, &r), 1);
	buf_free(&b);
}

static void parse_bad_lines(void **state)
{
	(void)state;
	struct jrec r;
	static const char *const bad[] = {
		"ban 198.18.0.7 1 1 R",			/* no prefix length */
		"ban 198.18.0.07/32 1 1 R",		/* not canonical */
		"ban 2001:DB8::7/128 1 1 R",		/* not canonical */
		"ban 10.0.0.1/8 1 1 R",			/* host bits set */
		"ban 198.18.0.7/32 -1 1 R",
		"ban 198.18.0.7/32 1 0 R",
		"ban 198.18.0.7/32 1 01 R",		/* zero offenses */
		"ban 198.18.0.7/32 99999999999999999999 1 R",
		"ban 198.18.0.7/32 1 1 R extra",
		"ban 198.18.0.7/32 1 1 R;x",
		"ban 198.18.0.7/32  1 1 R",
		"ban 198.18.0.7/32 1 1",
		"expire 198.18.0.7/32 x",
		"unban",
		"expire 198.18.0.7/32 ",
		"flush now",
		"rm -rf /",
		"ban",					/* no target */
		"ban 198.18.0.7/32",			/* no until */
		"ban 198.18.0.7/32 1",			/* no offenses */
		"ban 198.18.0.7/32 1 1 R ",		/* trailing blank */
		" ban 198.18.0.7/32 1 1 R",		/* leading blank */
		"ban 198.18.0.7/32 1a 1 R",
		"ban 198.18.0.7/32 123456789012345678901 1 R",	/* 21 digits */
		"ban 198.18.0.7/32 9223372036854775808 1 R",	/* INT64_MAX + 1 */
		"ban 198.18.0.7/32 1 4294967296 R",	/* offenses beyond 32 bits */
		"bam 198.18.0.7/32 1 1 R",
		"expirx 198.18.0.7/32",
		"unbax 198.18.0.7/32",
		"flusx",
		"expire 198.18.0.7",
		"expire 198.18.0.7/32/32",
		"unban 198.18.0.7/32 198.18.0.8/32",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (journal_parse_line(bad[i], strlen(bad[i]), &r) != -1)
			fail_msg("accepted: %s", bad[i]);
	/* The largest values that fit are records; a rule name up to its
	 * bound is kept, one byte more is not; a line over 256 bytes is not. */
	const char *edge = "ban 198.18.0.7/32 9223372036854775807 4294967295 R";
	assert_int_equal(journal_parse_line(edge, strlen(edge), &r), 0);
	assert_int_equal(r.until_ns, INT64_MAX);
	assert_int_equal(r.offenses, UINT32_MAX);
	char line[400], rule[RESPOND_RULE_MAX + 2];
	memset(rule, 'r', RESPOND_RULE_MAX);
	rule[RESPOND_RULE_MAX] = '\0';
	snprintf(line, sizeof(line), "ban 198.18.0.7/32 1 1 %s", rule);
	assert_int_equal(journal_parse_line(line, strlen(line), &r), 0);
	assert_string_equal(r.rule, rule);
	snprintf(line, sizeof(line), "ban 198.18.0.7/32 1 1 %sr", rule);
	assert_int_equal(journal_parse_line(line, strlen(line), &r), -1);
	memset(line, 'x', 300);
	memcpy(line, "flush", 5);
	assert_int_equal(journal_parse_line(line, 300, &r), -1);
}

static void replay_and_snapshot(void **state)
{
	(void)state;
	struct ban_table t;
	struct journal_stats st = { 0 };
	const char *data =
		JOURNAL_HEADER "\n"
		"ban 198.18.0.1/32 100 1 A\n"
		"ban 198.18.0.2/32 200 2 B\n"
		"garbage\n"
		"expire 198.18.0.1/32\n"
		"ban 198.18.0.3/32 300 1 C\n"
		"unban 198.18.0.3/32\n"
		"ban 198.18.0.4/32 400 1 D";	/* torn: no newline */
	bantable_init(&t);
	size_t used = journal_replay(&t, data, strlen(data), &st);
	assert_int_equal(used, strlen(data) - strlen("ban 198.18.0.4/32 400 1 D"));
	assert_int_equal(st.records, 5);
	assert_int_equal(st.bad, 1);
	assert_int_equal(t.len, 2);
	assert_int_equal(t.active, 1);

	struct ward_buf snap = WARD_BUF_INIT;
	/* At 150 with forget 100: .1 (ended 100) kept as history, .2 active. */
	journal_snapshot(&t, 150, 100, &snap);
	struct ban_table t2;
	struct journal_stats st2 = { 0 };
	bantable_init(&t2);
	journal_replay(&t2, snap.data, snap.len, &st2);
	assert_int_equal(st2.bad, 0);
	assert_int_equal(t2.len, 2);
	assert_int_equal(t2.active, 1);
	/* At 250 the history of .1 is forgotten. */
	buf_reset(&snap);
	journal_snapshot(&t, 250, 100, &snap);
	assert_null(strstr(snap.data, "198.18.0.1/"));
	assert_non_null(strstr(snap.data, "ban 198.18.0.2/32 200 2 B\n"));
	buf_free(&snap);
	bantable_free(&t);
	bantable_free(&t2);
}

static void file_roundtrip(void **state)
{
	(void)state;
	char dir[] = "/tmp/ward-journal-XXXXXX", path[128], err[256];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/j", dir);
	struct ban_table t, other;
	struct journal j, admin;
	bantable_init(&t);
	bantable_init(&other);
	assert_int_equal(journal_open(&j, path, &t, err, sizeof(err)), 0);
	struct jrec r = { .kind = JREC_BAN, .until_ns = 1000, .offenses = 1 };
	strcpy(r.rule, "R");
	assert_int_equal(cidr_parse("198.18.0.7", 10, &r.target), 0);
	journal_apply(&t, &r);
	assert_int_equal(journal_append(&j, &t, &r, err, sizeof(err)), 0);

	/* A second process (the admin command) appends an unban... */
	assert_int_equal(journal_open(&admin, path, &other, err, sizeof(err)), 0);
	assert_int_equal(other.active, 1);
	struct jrec u = { .kind = JREC_UNBAN, .target = r.target };
	journal_apply(&other, &u);
	assert_int_equal(journal_append(&admin, &other, &u, err, sizeof(err)), 0);
	/* ...which the first picks up. */
	assert_int_equal(journal_sync(&j, &t, err, sizeof(err)), 1);
	assert_int_equal(t.len, 0);
	assert_int_equal(journal_sync(&j, &t, err, sizeof(err)), 0);

	/* A torn tail is cut before the next append. */
	FILE *f = fopen(path, "a");
	fputs("ban 198.18.0.9/32 5 1 X", f);
	fclose(f);
	journal_apply(&t, &r);
	assert_int_equal(journal_append(&j, &t, &r, err, sizeof(err)), 0);

	/* Compaction replaces the file; the admin process follows it. */
	assert_int_equal(journal_compact(&j, &t, 0, 0, err, sizeof(err)), 0);
	assert_int_equal(journal_sync(&admin, &other, err, sizeof(err)), 1);
	assert_int_equal(other.active, 1);
	journal_close(&admin);

	struct ban_table fresh;
	struct journal j2;
	bantable_init(&fresh);
	assert_int_equal(journal_open(&j2, path, &fresh, err, sizeof(err)), 0);
	assert_int_equal(j2.stats.bad, 0);
	assert_int_equal(fresh.active, 1);
	assert_null(bantable_get(&fresh, &(struct ward_cidr){ 0 }));
	journal_close(&j2);
	journal_close(&j);
	bantable_free(&t);
	bantable_free(&other);
	bantable_free(&fresh);
	unlink(path);
	rmdir(dir);
}

/* The journal is ward's own file: a symbolic link in its place, a
 * directory or a missing directory is an error, never followed or created. */
static void journal_refuses_unsafe_paths(void **state)
{
	(void)state;
	char dir[] = "/tmp/ward-journal-XXXXXX", path[160], link[160], err[256];
	struct ban_table t;
	struct journal j;
	assert_non_null(mkdtemp(dir));
	bantable_init(&t);
	snprintf(path, sizeof(path), "%s/target", dir);
	snprintf(link, sizeof(link), "%s/j", dir);
	assert_int_equal(symlink(path, link), 0);
	assert_int_equal(journal_open(&j, link, &t, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cannot open journal"));
	journal_close(&j);
	assert_int_equal(access(path, F_OK), -1);	/* the link's target was not created */
	snprintf(path, sizeof(path), "%s/nosuch/j", dir);
	assert_int_equal(journal_open(&j, path, &t, err, sizeof(err)), -1);
	journal_close(&j);
	assert_int_equal(journal_open(&j, dir, &t, err, sizeof(err)), -1);
	journal_close(&j);
	unlink(link);
	rmdir(dir);
	bantable_free(&t);
}

/* Another process compacts the journal (a new file under the same name);
 * the next append of this one follows the new file, so no record is lost
 * in the old one. Broken lines in the file are counted and skipped. */
static void append_follows_a_compaction_elsewhere(void **state)
{
	(void)state;
	char dir[] = "/tmp/ward-journal-XXXXXX", path[160], err[256];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/j", dir);
	FILE *f = fopen(path, "w");
	fputs(JOURNAL_HEADER "\nban 198.18.0.1/32 1000 1 A\nthis is not a record\nban 198.18.0.2/32 1000 1 B\n", f);
	fclose(f);
	struct ban_table t, other, fresh;
	struct journal j, admin, j2;
	bantable_init(&t);
	bantable_init(&other);
	bantable_init(&fresh);
	assert_int_equal(journal_open(&j, path, &t, err, sizeof(err)), 0);
	assert_int_equal(j.stats.bad, 1);
	assert_int_equal(j.stats.records, 2);
	assert_int_equal(t.active, 2);
	assert_int_equal(journal_open(&admin, path, &other, err, sizeof(err)), 0);
	assert_int_equal(journal_compact(&admin, &other, 0, 0, err, sizeof(err)), 0);
	struct jrec r = { .kind = JREC_BAN, .until_ns = 2000, .offenses = 1 };
	strcpy(r.rule, "C");
	assert_int_equal(cidr_parse("198.18.0.3", 10, &r.target), 0);
	journal_apply(&t, &r);
	assert_int_equal(journal_append(&j, &t, &r, err, sizeof(err)), 0);
	assert_int_equal(t.active, 3);
	assert_int_equal(journal_open(&j2, path, &fresh, err, sizeof(err)), 0);
	assert_int_equal(fresh.active, 3);
	assert_int_equal(j2.stats.bad, 0);	/* the compaction dropped the broken line */
	assert_non_null(bantable_get(&fresh, &r.target));
	journal_close(&j2);
	journal_close(&admin);
	journal_close(&j);
	bantable_free(&t);
	bantable_free(&other);
	bantable_free(&fresh);
	unlink(path);
	rmdir(dir);
}

/* A journal that grew over many short runs (records far beyond the table)
 * asks for compaction when opened; after it, it does not. */
static void long_journal_wants_compaction(void **state)
{
	(void)state;
	char dir[] = "/tmp/ward-journal-XXXXXX", path[160], err[256];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/j", dir);
	FILE *f = fopen(path, "w");
	fputs(JOURNAL_HEADER "\n", f);
	for (int i = 0; i < 1100; i++)
		fprintf(f, "ban 198.18.0.7/32 %d 1 R\nexpire 198.18.0.7/32\n", 1000 + i);
	fclose(f);
	struct ban_table t;
	struct journal j;
	bantable_init(&t);
	assert_int_equal(journal_open(&j, path, &t, err, sizeof(err)), 0);
	assert_int_equal(t.len, 1);
	assert_int_equal(t.active, 0);
	assert_true(journal_wants_compaction(&j, &t));
	assert_int_equal(journal_compact(&j, &t, 0, INT64_MAX / 4, err, sizeof(err)), 0);
	assert_false(journal_wants_compaction(&j, &t));
	journal_close(&j);
	bantable_free(&t);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_good_lines),
		cmocka_unit_test(parse_bad_lines),
		cmocka_unit_test(replay_and_snapshot),
		cmocka_unit_test(file_roundtrip),
		cmocka_unit_test(journal_refuses_unsafe_paths),
		cmocka_unit_test(append_follows_a_compaction_elsewhere),
		cmocka_unit_test(long_journal_wants_compaction),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
