/* f2b_filter.h - fail2ban filters over ward events (ward-match --fail2ban).
 *
 * A filter is compiled from its f2b_def (f2b_conf.h): tags expanded and the
 * Python regexes translated (f2b_regex.h), the date templates built
 * (f2b_date.h). A line is processed as fail2ban's Filter.processLine and
 * findFailure do for one line (maxlines = 1):
 *   1. the date is found and its span cut out; the rest + "\n" is the
 *      buffer the regexes search (not anchored unless they say ^);
 *   2. prefregex must match; its <F-CONTENT> (if non-empty) becomes the
 *      buffer for the failregexes; its groups are merged under theirs;
 *   3. the first failregex that matches, unless an ignoreregex matches the
 *      buffer of step 1;
 *   4. the failure id is fid, else ip4, ip6, dns; a match with
 *      <F-NOFAIL> set, or with no id, is not a failure.
 * With maxlines > 1 the buffer is the last maxlines dated-out lines
 * joined by "\n" (failregexes compiled multi-line); a match removes its
 * lines from the buffer except those a <SKIPLINES> took, and ignoreregex
 * is searched in the matched lines only. <F-MLFID> failures are merged per
 * connection (f2b_mlfid.h). One failregex per line: the first that matches
 * (fail2ban's default; its sample runner tries them all).
 *
 * Event: rule "f2b:NAME", fields src_ip (ip4/ip6, canonical text, only a
 * real address), f2b_id (the id fail2ban would ban: an address, a host
 * name or an F-ID), user, and every other named group that matched; the
 * event time becomes the line's date when one is found. */
#ifndef WARD_F2B_FILTER_H
#define WARD_F2B_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "event.h"
#include "stages/match/f2b_conf.h"

struct f2b_filter;
struct f2b_set;
struct f2b_date;

/* Compile one definition: NULL with "FILE:LINE: failregex N: why" in err.
 * share (may be NULL): a set whose date detectors are reused (and which
 * gets this filter's detector when it is new). */
struct f2b_filter *f2b_filter_new(const struct f2b_def *d, uint32_t match_limit, struct f2b_set *share, char *err,
				  size_t errlen);
void f2b_filter_free(struct f2b_filter *f);

/* Run ev's line through filter f. Returns 1 and fills out (a copy of ev
 * with rule, fields and time set) on a failure, 0 otherwise. */
int f2b_filter_event(struct f2b_filter *f, const struct ward_event *ev, struct ward_event *out);

/* What a set's prefilter (f2b_gate.h) and --explain read of a filter. */
const char *f2b_filter_name(const struct f2b_filter *f);
const char *f2b_filter_rule(const struct f2b_filter *f);	/* "f2b:NAME" */
long f2b_filter_maxlines(const struct f2b_filter *f);
/* A filter that keeps state from lines it reports nothing on: its
 * maxlines > 1 buffer (every line enters it), or a datepattern whose date
 * may be empty (such a line takes the last date seen, which every dated
 * line sets). */
bool f2b_filter_keeps_lines(const struct f2b_filter *f);
/* Can a set's gate (f2b_gate.h) refuse lines to it? Always for maxlines 1;
 * for maxlines > 1 when every failregex needs a one-line literal and there
 * is no prefregex: a line the gate refuses (none of those literals in its
 * dated-out text) cannot let a failregex match the buffer, so while no
 * buffered line holds one it is only buffered, raw, its date cut when the
 * buffer is searched. Call f2b_filter_gated once the gate refuses lines
 * to such a filter, and give a filter that keeps lines each refused line
 * (f2b_filter_skip). */
bool f2b_filter_gateable(const struct f2b_filter *f);
void f2b_filter_gated(struct f2b_filter *f);
/* A line refused to a filter that keeps lines: buffered raw and kept for
 * the last date (its date searched only when needed), or (a buffered line
 * holding a literal) run as f2b_filter_event does, returning the same. */
int f2b_filter_skip(struct f2b_filter *f, const struct ward_event *ev, struct ward_event *out);
struct f2b_date *f2b_filter_date(const struct f2b_filter *f);
uint64_t f2b_filter_limit_hits(const struct f2b_filter *f);	/* matches stopped by the match limit */

enum f2b_rx_kind { F2B_PREFREGEX, F2B_FAILREGEX, F2B_IGNOREREGEX };
struct f2b_rx_info {
	const char *src;	/* the translated PCRE2 pattern */
	const char *lit;	/* a string every match contains ("" if none known) */
	size_t litlen;
};
/* How many regexes of a kind (a prefregex: 0 or 1), and regex i of it. */
size_t f2b_filter_nregex(const struct f2b_filter *f, enum f2b_rx_kind kind);
struct f2b_rx_info f2b_filter_regex(const struct f2b_filter *f, enum f2b_rx_kind kind, size_t i);

#endif
