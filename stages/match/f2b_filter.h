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
#include "opts.h"
#include "stages/match/f2b_conf.h"

struct f2b_filter;

struct f2b_date;
/* The first or last half of a prefilter literal, which a line holds when
 * the literal is split by the date the regexes never see (f2b_set_prepare):
 * when found, and both parts of a possible split are in the line, the
 * filter's cut line is scanned. */
struct f2b_witness {
	unsigned filter;
	bool icase, tail;
	char *lit;	/* the whole literal */
	size_t len;
};
struct f2b_set {
	struct f2b_filter **f;
	size_t n;
	uint32_t match_limit;
	struct f2b_date **dates;	/* date detectors, shared by datepattern */
	size_t ndates;
	/* the prefilter (f2b_set_prepare): filter i runs on a line when
	 * always[i] or one of its literals occurs in the line */
	bool gate_ready;
	bool no_prefilter;	/* run every filter on every line (tests) */
	struct litscan *scan;
	struct litscan_scratch *scratch;
	unsigned *lit_filter;	/* literal id -> filter index */
	unsigned char *always, *cand;
	unsigned char *maybe;	/* check the line with its date cut out */
	size_t ngated, nlits;	/* literal ids >= nlits are witnesses */
	struct f2b_witness *wit;
	size_t nwit;
	unsigned *wit_hit;	/* the witnesses found in the line */
	size_t nhit;
	struct ward_buf cut;	/* a line with a date cut from inside it */
};

/* Compile one definition: NULL with "FILE:LINE: failregex N: why" in err.
 * share (may be NULL): a set whose date detectors are reused. */
struct f2b_filter *f2b_filter_new(const struct f2b_def *d, uint32_t match_limit, struct f2b_set *share, char *err,
				  size_t errlen);
void f2b_filter_free(struct f2b_filter *f);
const char *f2b_filter_name(const struct f2b_filter *f);

/* Load a filter file (PATH or PATH[opts]; a bare NAME that is no file here
 * is /etc/fail2ban/filter.d/NAME.conf) or every *.conf of a directory
 * (include-only files with no failregex are skipped quietly; refused
 * filters are reported with log_warn and skipped). Returns the number
 * loaded; *refused counts the refused ones. */
size_t f2b_set_load(struct f2b_set *s, const char *spec, size_t *refused);
void f2b_set_free(struct f2b_set *s);

/* Run ev's line through filter f. Returns 1 and fills out (a copy of ev
 * with rule, fields and time set) on a failure, 0 otherwise. */
int f2b_filter_event(struct f2b_filter *f, const struct ward_event *ev, struct ward_event *out);

/* Build the set's prefilter once all filters are loaded: the literals a
 * line must hold for each filter to find a failure or change its state
 * (f2b_filter.c says how they are chosen), searched in one pass. Without it
 * (not called, no_prefilter set, or Vectorscan refusing) every filter runs
 * on every line; the results are the same either way. */
void f2b_set_prepare(struct f2b_set *s);

/* Run ev through the set's filters (only the candidates the prefilter
 * leaves): emit(ud, out) for each failure, in filter order. Returns the
 * number of failures, or -1 when emit fails. */
int f2b_set_event(struct f2b_set *s, const struct ward_event *ev, struct ward_event *out,
		  int (*emit)(void *ud, struct ward_event *out), void *ud);

/* The stage: every event through every filter, one output event per
 * filter that finds a failure. Returns the exit code. */
int f2b_main(const struct ward_common_opts *common, const struct opt_list *specs, uint32_t match_limit,
	     bool explain);

#endif
