/* lineonce.h - one count per input line behind ward-match --rules.
 *
 * `ward-match --rules` writes one event per (rule, rule_part) that selects
 * an input line, all of them back to back (docs/events.md). A rule that
 * selects by rule name (--rules, --select-rule) sees one of them; a rule
 * that takes every event (a QUERY, options without --select-rule) would
 * count the line once per rule that tagged it. lineonce_repeat() tells the
 * second and later events of one input line: consecutive events with a
 * `rule`, the same ts, line and labels, and a (rule, rule_part) not yet seen
 * for that line. The same (rule, rule_part) again starts a new input line,
 * so a log line really written twice (sshd repeats "Failed password ...
 * port P" within one connection and second) still counts twice. */
#ifndef WARD_WINDOW_LINEONCE_H
#define WARD_WINDOW_LINEONCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ward_event;

struct ww_lineonce {
	bool in_line;		/* the last event had a rule */
	uint64_t line;		/* hash of its ts, line and labels */
	uint64_t *tags;		/* hashes of the (rule, rule_part) seen for it */
	size_t ntags, cap;
};

void lineonce_init(struct ww_lineonce *l);
void lineonce_free(struct ww_lineonce *l);
/* True if ev is another event ward-match wrote for the input line of the
 * events just before it. Call for every event, in input order. */
bool lineonce_repeat(struct ww_lineonce *l, const struct ward_event *ev);

#endif
