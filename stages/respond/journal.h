/* journal.h - the ban state journal: records, parser, replay (pure).
 *
 * A text file, one record per line, appended and fsync'd after each change
 * and compacted now and then (journal_io.h does the file work):
 *
 *   # ward-respond journal v1
 *   ban 198.18.0.7/32 1764319438002000000 2 SSHBruteForce
 *   expire 198.18.0.7/32
 *   unban 2001:db8:1:2::/64
 *   flush
 *
 * ban TARGET UNTIL_NS OFFENSES RULE: a ban (or extension) in place until
 * UNTIL_NS; expire: the ban ended, the history stays for escalation;
 * unban: removed by an operator, history dropped; flush: everything
 * dropped. TARGET is canonical CIDR text (cidr_format); RULE is a cleaned
 * rule name (bantable.h). A line without its newline (a torn write) is not a
 * record. Unknown or broken lines are counted and skipped: the journal is
 * ward's own file, but a broken one must not stop the firewall from coming
 * back after a restart. */
#ifndef WARD_RESPOND_JOURNAL_H
#define WARD_RESPOND_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "ipaddr.h"
#include "stages/respond/bantable.h"

#define JOURNAL_HEADER "# ward-respond journal v1"
#define JOURNAL_MAX_LINE 256

enum jrec_kind { JREC_BAN, JREC_EXPIRE, JREC_UNBAN, JREC_FLUSH };

struct jrec {
	enum jrec_kind kind;
	struct ward_cidr target;
	int64_t until_ns;
	uint32_t offenses;
	char rule[RESPOND_RULE_MAX + 1];
};

/* One line without its newline. Returns 0, 1 for a comment or blank line,
 * -1 for a broken record. */
int journal_parse_line(const char *s, size_t n, struct jrec *r);
/* Append the record's line, with its newline. */
void journal_format(const struct jrec *r, struct ward_buf *out);
void journal_apply(struct ban_table *t, const struct jrec *r);

struct journal_stats {
	size_t records;	/* records applied */
	size_t bad;	/* broken lines skipped */
};
/* Apply every complete line of data; returns the bytes consumed (up to and
 * including the last newline). */
size_t journal_replay(struct ban_table *t, const char *data, size_t len, struct journal_stats *st);
/* The whole table as a compacted journal (header first). Entries whose
 * history ended before now - forget_ns are left out. */
void journal_snapshot(const struct ban_table *t, int64_t now_ns, int64_t forget_ns,
		      struct ward_buf *out);

#endif
