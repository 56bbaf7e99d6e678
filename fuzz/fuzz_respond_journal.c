/* libFuzzer target: the ward-respond journal parser and replay.
 * Invariants: no crash, no leak; every accepted line formats back to the
 * same bytes; a snapshot of the replayed table replays without a bad line
 * into a table with the same entries. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stages/respond/journal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_lines(const char *s, size_t n)
{
	struct ward_buf b = WARD_BUF_INIT;
	size_t pos = 0;

	while (pos < n) {
		const char *nl = memchr(s + pos, '\n', n - pos);
		size_t len = nl ? (size_t)(nl - (s + pos)) : n - pos;
		struct jrec r;
		if (journal_parse_line(s + pos, len, &r) == 0) {
			buf_reset(&b);
			journal_format(&r, &b);
			if (b.len != len + 1 || memcmp(b.data, s + pos, len) != 0)
				abort();
		}
		pos += len + 1;
	}
	buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct ban_table t, t2;
	struct journal_stats st = { 0 }, st2 = { 0 };
	struct ward_buf snap = WARD_BUF_INIT;

	check_lines(s, size);
	bantable_init(&t);
	bantable_init(&t2);
	size_t used = journal_replay(&t, s, size, &st);
	if (used > size)
		abort();
	journal_snapshot(&t, 0, INT64_MAX / 4, &snap);
	journal_replay(&t2, snap.data, snap.len, &st2);
	if (st2.bad != 0 || t2.len != t.len || t2.active != t.active)
		abort();
	buf_free(&snap);
	bantable_free(&t);
	bantable_free(&t2);
	return 0;
}
