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
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (journal_parse_line(bad[i], strlen(bad[i]), &r) != -1)
			fail_msg("accepted: %s", bad[i]);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_good_lines),
		cmocka_unit_test(parse_bad_lines),
		cmocka_unit_test(replay_and_snapshot),
		cmocka_unit_test(file_roundtrip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
