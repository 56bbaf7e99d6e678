/* f2b_gate.h - the prefilter of a set of fail2ban filters: one literal
 * scan (litscan.h) of each line says which filters can report a failure or
 * change their state on it; only those run (f2b_set_event), in filter
 * order, so the output is the one of running them all.
 *
 * A filter is gated by the literals its prefregex, or every one of its
 * failregexes, requires (f2b_gate.c says how they are found); a filter
 * without them, or with maxlines > 1 and a literal-less failregex or a
 * prefregex, runs on every line (a gated filter that keeps lines, a
 * maxlines > 1 buffer or the last date, gets the lines refused to it:
 * f2b_filter_skip). The regexes search the line with its date cut out, where a
 * literal may stand across the cut: pieces of every literal ("witnesses":
 * its halves, or for a date at the line start the part after its leading
 * non-word bytes) are scanned too, and a filter whose literal may be split
 * so has its cut line scanned (f2b_gate_admits). */
#ifndef WARD_F2B_GATE_H
#define WARD_F2B_GATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct f2b_filter;
struct litscan;
struct litscan_scratch;

/* A piece of a prefilter literal L that a line holds when L is split by
 * the date the regexes never see, L[0..k) before it and L[k..m) after it,
 * for every k in [from, to]: when found, and both parts of such a split
 * are in the line, the filter's cut line is scanned. */
struct f2b_witness {
	unsigned filter;
	bool icase;
	size_t from, to;	/* the splits k it stands for */
	char *lit;	/* the whole literal */
	size_t len;
};

struct f2b_gate {
	size_t n;	/* filters */
	struct litscan *scan;	/* NULL: every filter runs on every line */
	struct litscan_scratch *scratch;
	unsigned *lit_filter;	/* literal id -> filter index */
	size_t nlits;	/* literal ids >= nlits are witnesses */
	unsigned char *always;	/* always[i]: filter i is not gated */
	unsigned *always_list;	/* those filters, in order */
	size_t nalways;
	unsigned *skip;	/* the gated filters that keep lines, in order: they */
	size_t nskip;	/* see every line (f2b_filter_skip when refused) */
	struct f2b_witness *wit;
	size_t nwit;
	/* the current line (f2b_gate_line) */
	bool all;	/* every filter runs */
	unsigned char *cand;	/* cand[i]: a literal of filter i is in the line */
	unsigned char *maybe;	/* maybe[i]: one may stand across the date */
	unsigned *wit_hit;	/* the witnesses found */
	size_t nhit;
	unsigned *run;	/* the filters that may run (always, cand or maybe), in order */
	size_t nrun;
	bool listing;	/* the line's scan: a filter's first literal adds it to run */
	struct ward_buf cut;	/* the line with a date cut from inside it */
	size_t cut_s, cut_e;	/* that cut (0, 0: none yet) */
};

/* Build the gate of filters f[0..n). Returns how many are gated. Without
 * a scanner (litscan_build refusing) scan stays NULL and every filter runs. */
size_t f2b_gate_build(struct f2b_gate *g, struct f2b_filter *const *f, size_t n);
void f2b_gate_free(struct f2b_gate *g);

/* Scan a line (off: admit every filter, as without a gate). */
void f2b_gate_line(struct f2b_gate *g, bool off, const char *line, size_t len);
/* The filters f2b_gate_admits may admit on the line given to
 * f2b_gate_line, in filter order (*idx; the count is returned): every
 * other one is refused. A literal found in the cut line belongs to a
 * filter whose witness is in the raw line, so none is missed. */
size_t f2b_gate_candidates(const struct f2b_gate *g, const unsigned **idx);
/* Does filter i (f) run on the line given to f2b_gate_line? ref is the
 * event time (a missing year of the date). */
bool f2b_gate_admits(struct f2b_gate *g, size_t i, const struct f2b_filter *f, const char *line, size_t len,
		     int64_t ref);
/* Filter i runs on every line (for --explain). */
bool f2b_gate_always(const struct f2b_gate *g, size_t i);

#endif
