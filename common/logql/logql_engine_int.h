/* logql_engine_int.h - the compiled form of LogQL log queries and the
 * per-event evaluation state, shared by the files of the engine (internal;
 * the contract is logql.h):
 *   logql_compile.c    engine, interning, compiling stages, parser hints
 *   logql_prefilter.c  literals: search, required literals, one-pass scan,
 *                      candidate selection over many pipelines
 *   logql_ctx.c        the per-thread ctx: caches and arena
 *   logql_eval.c       per-event evaluation of a pipeline, its result
 *   logql_explain.c    --explain's plan
 *
 * Work sharing between many pipelines of one engine (rules over a stream):
 * literals, regexes and parsers are interned by their text in the engine;
 * the ctx caches, per event, whether the original line holds a literal,
 * matches a regex, and what each parser extracted from it. So each parser
 * runs at most once per event for all rules, and a literal shared by ten
 * rules is searched once. Literals a pipeline requires (`|= "x"`, and the
 * longest literal run a simple regex requires) are checked before anything
 * else. */
#ifndef WARD_LOGQL_ENGINE_INT_H
#define WARD_LOGQL_ENGINE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "litscan.h"
#include "logql.h"
#include "logql_extract_int.h"
#include "logql_re_int.h"

/* ---- engine: interned literals, regexes, parser keys ----------------------- */

struct logql_lit {
	char *s;
	size_t len;
	size_t rare;	/* offset of the needle byte least likely in text */
	bool icase;	/* ASCII letters compare without case (from (?i) regexes) */
	bool scanned;	/* in the one-pass scan; else searched when asked (a
			 * regexp parser's gate only: logql_lit_intern_gate) */
};

struct logql_rx { char *src; size_t len; enum logql_re_anchor anchor; struct logql_re *re; };

struct logql_engine {
	struct logql_lit *lits;
	size_t nlits;
	struct logql_rx *rxs;
	size_t nrxs;
	char **pkeys;
	size_t npkeys;
	/* per parser key: the labels later stages read, over every pipeline
	 * using that parser; `all` when some pipeline needs every label */
	struct logql_hint { bool all; char **names; size_t n; } *hints;
	char **sels;		/* distinct stream selectors (canonical text) */
	size_t nsels;
	char **queries;		/* distinct log queries (canonical text): equal
				 * pipelines share one result per event */
	size_t nqueries;
	struct logql_pipeline **pipes;
	size_t npipes;
	uint32_t match_limit;
	/* one-pass search for every literal (litscan.h), built on first use
	 * once at least LQ_SCAN_MIN literals exist; rebuilt when literals are
	 * added. scan_nlits: the literals it covers (ids below it). */
	struct litscan *scan;
	size_t scan_nlits;
	size_t scan_built_at;	/* nscanned when last built or tried */
	size_t nscanned;	/* literals with .scanned */
	bool no_prefilter;	/* logql_engine_set_prefilter(false) */
};

/* ---- compiled pipelines ----------------------------------------------------- */

struct cfilter {
	const struct logql_label_filter *src;
	struct cfilter *left, *right;
	size_t name_len;	/* strlen of the label it reads (m.name, or name) */
	int rx;
	struct logql_ipspec ip;
};

struct calt {
	int lit;		/* interned literal, or -1 */
	int rx;			/* interned regex, or -1 */
	/* rx is exactly "the line holds one of these literals"
	 * (logql_regex_literal_set); nlits 0: run rx. ls: their own one-pass
	 * scanner (NULL: searched one by one, lits). Not in the engine's
	 * per-event scan: short literals of gates few lines reach would slow
	 * that scan for every line (docs/rules.md, "Speed"). */
	int *lits;
	size_t nlits;
	struct litscan *ls;
	bool lits_ascii_only;	/* ... on lines without a byte >= 0x80 only */
	bool is_ip;
	struct logql_ipspec ip;
	struct logql_pattern pat;
	bool has_pat;
};

/* One requirement on the original line: at least one of lits occurs. */
struct logql_clause {
	int *lits;
	size_t n;
};

struct cstage {
	const struct logql_stage *src;
	bool prechecked;	/* a required literal already checked up front */
	struct calt *alts;
	size_t nalts;
	int pkey;		/* parser cache key */
	int rx;			/* regexp parser */
	struct logql_pattern pat;
	struct logql_json_path *paths;
	size_t npaths;
	struct cfilter *filter;
	struct logql_tmpl *tmpl;	/* line_format */
	struct logql_tmpl **ltmpls;	/* label_format items */
	int *name_rx;		/* drop/keep regex matchers */
	/* regexp parser: the line holds one of these literals or the regex
	 * cannot match (logql_regex_required); n 0: no such literal known */
	struct logql_clause need;
	/* clauses that hold with need (logql_regex_required_and), and the one
	 * also checked before PCRE2 runs (logql_pfset_new picks it: one that
	 * tells this regex from others gated by the same need), or NULL */
	struct logql_clause *too;
	size_t ntoo;
	const struct logql_clause *need_too;
};

struct cmatcher {
	const struct logql_matcher *m;
	int rx;
};

struct logql_pipeline {
	struct logql_engine *eng;
	const struct logql_log_query *q;
	struct cmatcher *sel;
	size_t nsel;
	struct logql_clause *pre;	/* required: every clause has a literal in the line */
	size_t npre;
	struct cstage *st;
	size_t nst;
	struct logql_log_query *owned_q;	/* logql_post_compile's wrapper */
	int sel_id;		/* equal selectors share one answer per event */
	int query_id;		/* equal queries share one result per event */
	bool has_hints;		/* a parser extracts only what later stages read */
	bool has_first;		/* the original line must start with a byte of first */
	uint8_t first[32];	/* bit b: a line starting with byte b may match */
};

/* ---- per-event context ----------------------------------------------------------- */

enum origin { ORIG_STREAM, ORIG_FIELD, ORIG_EXTRACTED };

struct wlabel {
	const char *name;
	const char *val;
	uint32_t nlen, vlen;
	uint8_t origin;
	bool deleted, changed;
};

struct pent { const char *k; const char *v; uint32_t kl, vl; };

struct pcache {
	uint64_t gen;
	size_t start, end;	/* range in pents */
	const char *err;	/* error label value, or NULL */
	const char *details;
};

struct arena_blk { struct arena_blk *next; size_t used, cap; char data[]; };

struct logql_ctx {
	struct logql_engine *eng;
	const struct ward_event *ev;
	uint64_t gen;
	struct logql_re_scratch *re;
	struct ward_buf scratch[2];
	struct ward_buf tmp;
	struct arena_blk *blk, *spare;
	/* per-event caches, valid when their gen equals gen */
	uint64_t *lit_gen;
	bool *lit_val;
	uint64_t *rx_gen;
	bool *rx_val;
	/* per regex, its last answer on a label value (by pointer: values are
	 * arena, event or line memory, unchanged during an event) */
	uint64_t *vrx_gen;
	const char **vrx_ptr;
	size_t *vrx_len;
	bool *vrx_val;
	struct pcache *pc;
	uint64_t *sel_gen;
	bool *sel_val;
	uint64_t *query_gen;	/* per query_id: evaluated on this event, */
	bool *query_val;	/* kept or not; */
	int query_last;		/* the query whose result the working set holds */
	size_t ncache_lits, ncache_rxs, ncache_pkeys, ncache_sels, ncache_queries;
	/* the one-pass literal scan of the current event's original line */
	struct litscan_scratch *scan_scratch;
	const struct litscan *scan_for;	/* the scanner scan_scratch was sized for */
	uint64_t scan_gen;		/* == gen: scanned; found ids in found[] */
	struct litscan_scratch *alt_scratch;	/* for the scanners of calt.ls */
	uint64_t ascii_gen;		/* == gen: ascii_val says whether the */
	bool ascii_val;			/* original line has no byte >= 0x80 */
	unsigned *found;
	size_t nfound;
	struct pent *pents;
	size_t npents, cappents;
	/* the working label set and line of the current evaluation */
	struct wlabel *lab;
	size_t nlab, caplab;
	/* logql_result_mark's copy of a result (valid when mark_gen == gen) */
	struct wlabel *mark;
	size_t nmark, capmark;
	uint64_t mark_gen;
	const char *mark_line;
	size_t mark_line_len;
	const char *line;
	size_t line_len;
	bool line_original;
	bool has_err;
	bool hinted;		/* this evaluation extracts only hinted names */
	bool recording;		/* set_label also records into pents */
	struct logql_stats stats;
};

/* The ctx's arena: per-event strings (extracted values, renamed labels),
 * released at once by logql_ctx_begin. Inline: called per extracted key. */
static inline char *logql_arena_alloc(struct logql_ctx *cx, size_t n)
{
	struct arena_blk *b = cx->blk;
	if (!b || b->cap - b->used < n) {
		size_t cap = n > 65536 ? n : 65536;
		if (cx->spare && cx->spare->cap >= n) {
			b = cx->spare;
			cx->spare = b->next;
		} else {
			b = ward_xmalloc(sizeof(*b) + cap);
			b->cap = cap;
		}
		b->used = 0;
		b->next = cx->blk;
		cx->blk = b;
	}
	char *p = b->data + b->used;
	b->used += n;
	return p;
}

static inline const char *logql_arena_dup(struct logql_ctx *cx, const char *s, size_t n)
{
	char *p = logql_arena_alloc(cx, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static inline void logql_arena_reset(struct logql_ctx *cx)
{
	while (cx->blk) {
		struct arena_blk *b = cx->blk;
		cx->blk = b->next;
		b->next = cx->spare;
		cx->spare = b;
	}
}

/* ---- between the files -------------------------------------------------- */

/* Intern a literal (logql_prefilter.c): its id in eng->lits. */
int logql_lit_intern(struct logql_engine *e, const char *s, size_t len, bool icase);
/* As logql_lit_intern, for a literal only a regexp parser's gate asks for:
 * it joins the one-pass scan only if a line filter also interns it. */
int logql_lit_intern_gate(struct logql_engine *e, const char *s, size_t len, bool icase);
/* Required literals of p's line filters into p->pre (logql_prefilter.c). */
void logql_prefilter_compile(struct logql_engine *e, struct logql_pipeline *p);
/* Whether line[0..len) holds literal id; original: the line is the event's
 * own, whose answer is cached per event (logql_prefilter.c). The cached
 * answer is read inline: rules ask for the same few literals many times
 * per event, and the call cost more than the answer. */
bool logql_ctx_has_lit_search(struct logql_ctx *cx, int id, const char *line, size_t len, bool original);
static inline bool logql_ctx_has_lit(struct logql_ctx *cx, int id, const char *line, size_t len,
				     bool original)
{
	if (original) {
		if (cx->lit_gen[id] == cx->gen)
			return cx->lit_val[id];
		/* the line was scanned for every scanned literal, and the scan
		 * did not report this one */
		const struct logql_lit *l = &cx->eng->lits[id];
		if (cx->scan_gen == cx->gen && (size_t)id < cx->eng->scan_nlits && l->scanned && l->len > 0)
			return false;
	}
	return logql_ctx_has_lit_search(cx, id, line, len, original);
}
/* Is the current line free of bytes >= 0x80 (cached for the original)?
 * Does it hold one of a's literals (a->nlits > 0: rx's answer, cached as
 * rx's)? (logql_litalt.c) */
bool logql_line_ascii(struct logql_ctx *cx);
bool logql_alt_lits_match(struct logql_ctx *cx, const struct calt *a);
/* Grow the per-event caches to the engine's sizes: pipelines may be
 * compiled after the ctx was made (logql_ctx.c). */
void logql_ctx_size_caches(struct logql_ctx *cx);

#endif
