/* f2b_set.h - a set of fail2ban filters (ward-match --fail2ban): the
 * filters loaded from files or a filter.d directory, the date detectors
 * they share, their prefilter (f2b_gate.h), and the stage that runs every
 * event through them. */
#ifndef WARD_F2B_SET_H
#define WARD_F2B_SET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "opts.h"
#include "stages/match/f2b_gate.h"

struct f2b_filter;
struct f2b_date;
struct f2b_date_share;

struct f2b_set {
	struct f2b_filter **f;
	size_t n;
	uint32_t match_limit;
	struct f2b_date **dates;	/* date detectors, shared by datepattern */
	size_t ndates;
	bool gate_ready;	/* f2b_set_prepare done */
	bool no_prefilter;	/* run every filter on every line (tests) */
	size_t ngated;	/* filters the prefilter gates */
	struct f2b_gate gate;
	struct f2b_date_share *date_share;	/* templates searched once per line */
};

/* Load a filter file (PATH or PATH[opts]; a bare NAME that is no file here
 * is /etc/fail2ban/filter.d/NAME.conf) or every *.conf of a directory
 * (include-only files with no failregex are skipped quietly; refused
 * filters are reported with log_warn and skipped). Returns the number
 * loaded; *refused counts the refused ones. */
size_t f2b_set_load(struct f2b_set *s, const char *spec, size_t *refused);
void f2b_set_free(struct f2b_set *s);

/* Build the set's prefilter once all filters are loaded. Without it (not
 * called, no_prefilter set, or litscan refusing) every filter runs on
 * every line; the results are the same either way. */
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
