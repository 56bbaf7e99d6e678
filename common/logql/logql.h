/* logql.h - LogQL: the abstract syntax tree, the parser, and the evaluator of
 * the log part (stream selector + log pipeline) over ward events.
 *
 * One engine for ward-match (log queries, rule log parts) and ward-window
 * (range and vector aggregations over the same log pipelines).
 *
 *   struct logql_error err;
 *   struct logql_expr *e = logql_parse(src, strlen(src), &err);
 *   if (!e) -> "ward-match: query: 1:17: expected ... near ..." exit 78
 *   const struct logql_log_query *lq;
 *   logql_expr_log_queries(e, &lq, 1);            // the (first) log query
 *   struct logql_engine *eng = logql_engine_new();
 *   struct logql_pipeline *p = logql_pipeline_compile(eng, lq, &err);
 *   struct logql_ctx *cx = logql_ctx_new(eng);
 *   per event:  logql_ctx_begin(cx, ev);           // once per event
 *               if (logql_eval(cx, p)) logql_apply(cx, out_ev);
 *
 * Ownership: a struct logql_expr tree owns all its nodes and strings
 * (logql_expr_free frees the tree); the tree is never modified after
 * parsing (compiled regexes and templates live in the pipeline). A
 * pipeline keeps a pointer to the logql_log_query it was compiled from:
 * the expression must outlive it.
 * The engine owns the pipelines compiled with it and the parser cache keys
 * they share; a ctx belongs to one engine and holds per-event scratch.
 * Nothing here does I/O or keeps global state; one ctx per thread. */
#ifndef WARD_LOGQL_H
#define WARD_LOGQL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "event.h"

/* ---- errors ----------------------------------------------------------- */

struct logql_error {
	size_t pos;		/* byte offset into the source */
	unsigned line, col;	/* 1-based position of pos */
	char msg[256];		/* "expected ')' near \"foo\"" (no position) */
};

/* ---- log queries ------------------------------------------------------ */

/* Matcher of a stream selector, and string label filters. Regexes are fully
 * anchored (Prometheus matcher semantics). */
enum logql_match_op { LQ_MATCH_EQ, LQ_MATCH_NEQ, LQ_MATCH_RE, LQ_MATCH_NRE };

struct logql_matcher {
	char *name;
	char *value;		/* literal, or the regex source */
	size_t value_len;
	enum logql_match_op op;
	size_t pos;
};

/* Line filters: |= != |~ !~ |> !> */
enum logql_line_op {
	LQ_LINE_CONTAINS,	/* |= */
	LQ_LINE_NOT_CONTAINS,	/* != */
	LQ_LINE_MATCH,		/* |~ (unanchored regex) */
	LQ_LINE_NOT_MATCH,	/* !~ */
	LQ_LINE_PATTERN,	/* |> pattern with <_> wildcards */
	LQ_LINE_NOT_PATTERN,	/* !> */
};

/* One alternative of a line filter: `|= "a" or "b" or ip("10.0.0.0/8")`. */
struct logql_line_alt {
	char *value;		/* string, regex, pattern, or the ip() argument */
	size_t len;
	bool is_ip;		/* ip("...") */
	size_t pos;
};

struct logql_line_filter {
	enum logql_line_op op;
	struct logql_line_alt *alts;	/* nalts >= 1; OR-ed (for the negated
					 * ops: the line has none of them) */
	size_t nalts;
};

/* Label filter expression: `a="x" and (b > 10 or d >= 1s), ip=ip("...")` */
enum logql_cmp_op { LQ_CMP_EQ, LQ_CMP_NEQ, LQ_CMP_GT, LQ_CMP_GE, LQ_CMP_LT, LQ_CMP_LE };

enum logql_lf_kind {
	LQ_LF_AND,		/* left and right */
	LQ_LF_OR,
	LQ_LF_STRING,		/* matcher: = != =~ !~ against "..." */
	LQ_LF_NUMBER,		/* name cmp float */
	LQ_LF_DURATION,		/* name cmp 10s (value in seconds) */
	LQ_LF_BYTES,		/* name cmp 20KB (value in bytes) */
	LQ_LF_IP,		/* name = ip("...") / != */
};

struct logql_label_filter {
	enum logql_lf_kind kind;
	size_t pos;
	struct logql_label_filter *left, *right;	/* AND / OR */
	struct logql_matcher m;		/* STRING; IP uses m.name, m.value and
					 * op EQ/NEQ */
	char *name;			/* NUMBER/DURATION/BYTES */
	enum logql_cmp_op cmp;
	double number;			/* number, seconds or bytes */
};

/* Parsers, formatters and filters of a log pipeline. */
enum logql_stage_kind {
	LQ_STAGE_LINE_FILTER,
	LQ_STAGE_JSON,
	LQ_STAGE_LOGFMT,
	LQ_STAGE_REGEXP,
	LQ_STAGE_PATTERN,
	LQ_STAGE_UNPACK,
	LQ_STAGE_LABEL_FILTER,
	LQ_STAGE_LINE_FORMAT,
	LQ_STAGE_LABEL_FORMAT,
	LQ_STAGE_DROP,
	LQ_STAGE_KEEP,
	LQ_STAGE_DECOLORIZE,
};

/* `json a="x.y", b` / `logfmt a="x"`: destination label and source path. */
struct logql_extract_param {
	char *name;
	char *path;		/* the expression; == name when not given */
};

/* `label_format dst=src` (rename) or `dst="{{template}}"`. */
struct logql_label_fmt {
	char *dst;
	char *src;		/* rename source, or NULL */
	char *tmpl;		/* template source, or NULL */
};

/* `drop a, b="v", c=~"re"` / `keep ...`: a bare name or a matcher. */
struct logql_name_matcher {
	struct logql_matcher m;
	bool bare;		/* just the name: any value */
};

struct logql_stage {
	enum logql_stage_kind kind;
	size_t pos;
	union {
		struct logql_line_filter line;		/* LINE_FILTER */
		struct {				/* JSON, LOGFMT */
			struct logql_extract_param *params;
			size_t nparams;			/* 0: every key */
			bool strict, keep_empty;	/* logfmt flags */
		} extract;
		struct {				/* REGEXP, PATTERN, LINE_FORMAT */
			char *text;
			size_t len;
		} str;
		struct logql_label_filter *filter;	/* LABEL_FILTER */
		struct {				/* LABEL_FORMAT */
			struct logql_label_fmt *items;
			size_t n;
		} lfmt;
		struct {				/* DROP, KEEP */
			struct logql_name_matcher *items;
			size_t n;
		} names;
	} u;
};

struct logql_log_query {
	struct logql_matcher *matchers;	/* the stream selector, nmatchers >= 1 */
	size_t nmatchers;
	struct logql_stage *stages;	/* the pipeline, in order */
	size_t nstages;
	size_t pos;
};

/* ---- metric queries ---------------------------------------------------- */

enum logql_range_fn {
	LQ_RANGE_COUNT_OVER_TIME,
	LQ_RANGE_RATE,
	LQ_RANGE_RATE_COUNTER,		/* unwrap */
	LQ_RANGE_BYTES_OVER_TIME,
	LQ_RANGE_BYTES_RATE,
	LQ_RANGE_ABSENT_OVER_TIME,
	LQ_RANGE_SUM_OVER_TIME,		/* unwrap, from here on */
	LQ_RANGE_AVG_OVER_TIME,
	LQ_RANGE_MIN_OVER_TIME,
	LQ_RANGE_MAX_OVER_TIME,
	LQ_RANGE_STDVAR_OVER_TIME,
	LQ_RANGE_STDDEV_OVER_TIME,
	LQ_RANGE_QUANTILE_OVER_TIME,	/* param = phi */
	LQ_RANGE_FIRST_OVER_TIME,
	LQ_RANGE_LAST_OVER_TIME,
};

enum logql_unwrap_conv {
	LQ_UNWRAP_NONE,		/* plain number */
	LQ_UNWRAP_DURATION,	/* duration(label) / duration_seconds(label): seconds */
	LQ_UNWRAP_BYTES,	/* bytes(label) */
};

struct logql_unwrap {
	char *label;
	enum logql_unwrap_conv conv;
	/* label filters written after `unwrap` (e.g. `| __error__=""`),
	 * applied to the sample's labels */
	struct logql_stage *post;
	size_t npost;
	size_t pos;
};

enum logql_grouping_kind { LQ_GROUP_NONE, LQ_GROUP_BY, LQ_GROUP_WITHOUT };

struct logql_grouping {
	enum logql_grouping_kind kind;
	char **labels;
	size_t nlabels;		/* `by ()` is BY with 0 labels */
};

struct logql_range_agg {
	enum logql_range_fn fn;
	struct logql_log_query *query;	/* the log part, owned */
	struct logql_unwrap *unwrap;	/* or NULL (required for the unwrap fns) */
	int64_t range_ns;		/* [5m] */
	int64_t offset_ns;		/* offset 5m, or 0 */
	double param;			/* quantile_over_time phi */
	bool has_param;
	struct logql_grouping grouping;	/* `) by (...)` allowed on some fns */
};

enum logql_vector_op {
	LQ_VEC_SUM, LQ_VEC_AVG, LQ_VEC_MIN, LQ_VEC_MAX, LQ_VEC_COUNT,
	LQ_VEC_STDDEV, LQ_VEC_STDVAR, LQ_VEC_TOPK, LQ_VEC_BOTTOMK,
	LQ_VEC_SORT, LQ_VEC_SORT_DESC, LQ_VEC_APPROX_TOPK,
};

struct logql_vector_agg {
	enum logql_vector_op op;
	struct logql_expr *inner;	/* owned */
	struct logql_grouping grouping;
	double param;			/* topk/bottomk k */
	bool has_param;
};

enum logql_binop {
	/* precedence low -> high: or; and unless; comparisons; + -; * / %; ^ */
	LQ_BIN_OR, LQ_BIN_AND, LQ_BIN_UNLESS,
	LQ_BIN_EQ, LQ_BIN_NEQ, LQ_BIN_GT, LQ_BIN_GE, LQ_BIN_LT, LQ_BIN_LE,
	LQ_BIN_ADD, LQ_BIN_SUB, LQ_BIN_MUL, LQ_BIN_DIV, LQ_BIN_MOD, LQ_BIN_POW,
};

enum logql_match_card { LQ_CARD_ONE_TO_ONE, LQ_CARD_GROUP_LEFT, LQ_CARD_GROUP_RIGHT };

struct logql_vector_matching {
	bool on;			/* on(...) when true, ignoring(...) otherwise */
	bool present;			/* on/ignoring was written */
	char **labels;
	size_t nlabels;
	enum logql_match_card card;
	char **include;			/* group_left(...) labels */
	size_t ninclude;
};

struct logql_binary {
	enum logql_binop op;
	bool return_bool;		/* `> bool 5` */
	struct logql_vector_matching matching;
	struct logql_expr *lhs, *rhs;	/* owned */
};

struct logql_label_replace {
	struct logql_expr *inner;	/* owned */
	char *dst, *replacement, *src, *regex;
};

enum logql_expr_kind {
	LQ_EXPR_LOG,		/* a log query */
	LQ_EXPR_RANGE,		/* range aggregation */
	LQ_EXPR_VECTOR_AGG,
	LQ_EXPR_BINARY,
	LQ_EXPR_LITERAL,	/* a number */
	LQ_EXPR_VECTOR,		/* vector(n) */
	LQ_EXPR_LABEL_REPLACE,
};

struct logql_expr {
	enum logql_expr_kind kind;
	size_t pos;
	union {
		struct logql_log_query *log;
		struct logql_range_agg range;
		struct logql_vector_agg vagg;
		struct logql_binary bin;
		double literal;			/* LITERAL, VECTOR */
		struct logql_label_replace lrep;
	} u;
};

/* ---- parser ----------------------------------------------------------- */

/* Parse a whole LogQL expression (log or metric query). Returns NULL and
 * fills err (position + what was expected) on a syntax error. Regexes,
 * templates, durations, CIDRs are validated at compile, not here, except
 * durations and numbers which are parsed here. Depth is bounded (nesting
 * deeper than LOGQL_MAX_DEPTH is an error, not a stack overflow). */
#define LOGQL_MAX_DEPTH 64
struct logql_expr *logql_parse(const char *src, size_t len, struct logql_error *err);
void logql_expr_free(struct logql_expr *e);

/* "log" or "metric". */
bool logql_expr_is_log(const struct logql_expr *e);
/* Every log query inside e (left to right), for rule loading and for
 * ward-window; returns how many were stored (at most max). */
size_t logql_expr_log_queries(const struct logql_expr *e,
			      const struct logql_log_query **out, size_t max);
/* Canonical text of the tree (for --explain and round-trip tests). */
struct ward_buf;
void logql_expr_format(const struct logql_expr *e, struct ward_buf *out);
void logql_log_query_format(const struct logql_log_query *q, struct ward_buf *out);

/* Names for printing. */
const char *logql_range_fn_name(enum logql_range_fn fn);
const char *logql_vector_op_name(enum logql_vector_op op);
const char *logql_binop_name(enum logql_binop op);
/* "1:17: expected ..." into out. */
void logql_error_format(const struct logql_error *err, char *out, size_t outlen);

/* ---- evaluation of the log part --------------------------------------- */

struct logql_engine;	/* compiled pipelines sharing parser caches */
struct logql_pipeline;	/* one compiled log query */
struct logql_ctx;	/* per-thread evaluation state and per-event caches */

struct logql_engine *logql_engine_new(void);
/* Frees the engine and every pipeline compiled with it. */
void logql_engine_free(struct logql_engine *eng);
/* PCRE2 match limit applied to every regex (default 100000). A line that
 * hits it is treated as not matching and counted (logql_ctx_stats). */
void logql_engine_set_match_limit(struct logql_engine *eng, uint32_t limit);

/* Literal prefilters (on by default): pipelines check the literals they
 * require (`|= "x"`, the literal runs of `|~` regexes, logql_regex_required) on the
 * raw line before anything else, and with many literals one scan finds
 * them all (litscan.h). Off: every stage runs as written (the
 * reference the differential tests compare against). Set before compiling. */
void logql_engine_set_prefilter(struct logql_engine *eng, bool on);

/* Compile a log query: regexes (PCRE2 + JIT), CIDRs, templates, literal
 * prefilters. q must outlive the pipeline. NULL + err on failure (bad
 * regex, bad CIDR, template syntax, pattern without a capture...). */
struct logql_pipeline *logql_pipeline_compile(struct logql_engine *eng,
					      const struct logql_log_query *q,
					      struct logql_error *err);
/* The label filters written after `| unwrap` (uw->post), compiled to run
 * on the result of the main pipeline: after logql_eval kept an event and
 * the caller converted the unwrapped value (setting SampleExtractionErr with
 * logql_result_set_error on failure), logql_eval_post says whether the
 * sample is kept. uw must outlive the pipeline. */
struct logql_unwrap;
struct logql_pipeline *logql_post_compile(struct logql_engine *eng, const struct logql_unwrap *uw,
					  struct logql_error *err);
bool logql_eval_post(struct logql_ctx *cx, const struct logql_pipeline *post);
/* Set __error__ (and __error_details__ when details is not NULL) on the
 * current result, as a failed conversion does in Loki. */
void logql_result_set_error(struct logql_ctx *cx, const char *error, const char *details);

/* Human-readable compiled plan (selector, literal prefilters, stages). */
void logql_pipeline_explain(const struct logql_pipeline *p, struct ward_buf *out);

struct logql_ctx *logql_ctx_new(struct logql_engine *eng);
void logql_ctx_free(struct logql_ctx *cx);

/* Start a new input event: invalidates per-event caches (parser results).
 * ev must stay unchanged and alive until the next begin. */
void logql_ctx_begin(struct logql_ctx *cx, const struct ward_event *ev);
/* Run p over the current event. True: the query keeps the event; its
 * result (labels, fields, line) stays readable until the next eval/begin. */
bool logql_eval(struct logql_ctx *cx, const struct logql_pipeline *p);
/* Write the last kept result into ev (normally a copy of the input): the
 * line (if line_format changed it), extracted labels as fields (`__error__`
 * and `__error_details__` included), dropped/kept names removed. */
void logql_apply(const struct logql_ctx *cx, struct ward_event *ev);
/* logql_apply, with extracted fields pointing at the ctx's strings instead
 * of copies: ev's fields are then valid only until the next
 * logql_ctx_begin (ward-match writes them out before). */
void logql_apply_borrowed(const struct logql_ctx *cx, struct ward_event *ev);
/* True if applying the last result to the input event only appends new
 * fields (nothing removed or changed, line unchanged): the caller may then
 * apply it in place and undo it by restoring ev->fields.len. */
bool logql_result_additive(const struct logql_ctx *cx);
/* Remember the current result; logql_result_is_marked then says whether a
 * later result on the same event is the same one (same labels, the same
 * values: logql_apply would write the same), so a caller that applied it
 * once can reuse what it wrote (ward-match: rules adding equal fields). */
void logql_result_mark(struct logql_ctx *cx);
bool logql_result_is_marked(const struct logql_ctx *cx);

/* The last kept result, read-only (for ward-window): a name resolves as in
 * LogQL (extracted first, then stream label); NULL if absent. Values are
 * NUL-terminated (and may hold NUL bytes before *len). */
const char *logql_result_get(const struct logql_ctx *cx, const char *name, size_t *len);
/* The result's line (after line_format) and its length. */
const char *logql_result_line(const struct logql_ctx *cx, size_t *len);
/* Result label set: count and the i-th (name, value); stream labels then
 * extracted ones, no duplicates. */
size_t logql_result_nlabels(const struct logql_ctx *cx);
void logql_result_label(const struct logql_ctx *cx, size_t i,
			const char **name, const char **val, size_t *val_len);

struct logql_stats {
	uint64_t regex_limit_hits;	/* PCRE2 match/depth limit reached */
	uint64_t parser_runs;		/* parser executions (after caching and
					 * regexp_skipped) */
	uint64_t parser_cache_hits;	/* parser or label_format results reused */
	uint64_t prefilter_rejects;	/* events rejected by a literal check */
	uint64_t regexp_skipped;	/* regexp parser runs skipped: the line lacks
					 * every literal its regex requires */
	uint64_t query_cache_hits;	/* evaluations answered by an equal query's */
};
void logql_ctx_stats(const struct logql_ctx *cx, struct logql_stats *out);

/* ---- candidate selection over many pipelines (rules mode) ------------- */

/* For n pipelines of one engine (e.g. every rule's log queries), an index
 * from each required literal to the pipelines that need it: per event one
 * literal scan says which pipelines may keep the event. A pipeline that
 * requires no literal is always a candidate. The set borrows pipes (they
 * must outlive it). */
struct logql_pfset;
struct logql_pfset *logql_pfset_new(struct logql_pipeline *const *pipes, size_t n);
void logql_pfset_free(struct logql_pfset *s);
/* Words of the candidate bitmap: (n + 63) / 64. */
size_t logql_pfset_words(const struct logql_pfset *s);
/* After logql_ctx_begin: bit i of cand is set for every pipeline i that
 * may keep the event; logql_eval is false for every pipeline whose bit is
 * clear (skipping them changes no result). */
void logql_pfset_candidates(struct logql_ctx *cx, const struct logql_pfset *s, uint64_t *cand);

/* Helpers shared with ward-window and the rules loader. */
/* LogQL bytes literal: 20KB 1.5KiB 10MB 3B (decimal and binary units). */
int logql_parse_bytes(const char *s, size_t n, double *out);
/* LogQL duration value of a label: Go durations (1h30m, 250ms, 1.5s). */
int logql_parse_duration_seconds(const char *s, size_t n, double *out);

/* ---- templates -------------------------------------------------------- */

/* The Go text/template subset LogQL users write in
 * line_format and label_format (Loki's template functions).
 *
 *   {{.name}}  {{ .name | ToUpper | trunc 10 }}  {{ printf "%s:%s" .a .b }}
 *   {{ if .x }}..{{ else if eq .y "z" }}..{{ else }}..{{ end }}
 *   {{ with .x }}{{ . }}{{ else with .y }}..{{ else }}..{{ end }}
 *   {{ range $k, $v := fromJson .doc }}{{ $k }}={{ $v.field }}{{ break }}{{ else }}..{{ end }}
 *   {{ $x := .a }} {{ $x = printf "%s!" $x }} {{ $.label }} {{ . }}
 *   {{__line__}} {{__timestamp__}}  {{ $labels.src_ip }} {{ $value }}
 *   {{- trims whitespace -}}  comments: {{/ * ... * /}} without the spaces
 *
 * Values are Go's as far as templates can tell: strings (labels,
 * literals), numbers, booleans, times (now, toDate, __timestamp__) and the
 * JSON objects and arrays fromJson decodes, which field access (.a.b),
 * index, len and range read. Go's truth and printing rules apply (an empty
 * map is false, a map prints as map[k:v]). A missing name is "".
 *
 * Functions (Loki's documented list and Go's builtins): __line__
 * __timestamp__ ToUpper ToLower upper lower title Title trim TrimSpace Trim
 * TrimLeft TrimRight trimAll trimPrefix trimSuffix TrimPrefix TrimSuffix
 * replace Replace default printf print println trunc substr contains
 * hasPrefix hasSuffix urlencode urldecode b64enc b64dec len index repeat
 * indent nindent regexReplaceAll regexReplaceAllLiteral eq ne lt le gt ge
 * not and or alignLeft alignRight count int float64 add sub mul div mod max
 * min addf subf mulf divf maxf minf ceil floor round fromJson bytes
 * duration duration_seconds date toDate toDateInZone now unixEpoch
 * unixEpochMillis unixEpochNanos unixToTime. Differences from Go/Loki are
 * listed in docs/logql.md.
 *
 * Compiled once (a literal regex argument is compiled then too).
 * Evaluation allocates only in scratch the template owns and reuses: after
 * the first calls it allocates nothing (a regex given by a label, not a
 * literal, is compiled per call). It is bounded whatever the input: 1 MiB
 * of output, 65536 range iterations and 64 MiB of JSON walked per call, JSON
 * nested at most 64 deep; past a bound the call fails. No I/O. */

/* Per-thread PCRE2 match state for the regexes of templates
 * (regexReplaceAll): one per thread, limit as logql_engine_set_match_limit. */
struct logql_re_scratch;
struct logql_re_scratch *logql_re_scratch_new(uint32_t match_limit);
void logql_re_scratch_free(struct logql_re_scratch *s);

struct logql_tmpl;

/* Name lookup: ".x" and "$labels.x" ask for "x", "$value" for "$value".
 * Returns NULL if absent. */
typedef const char *(*logql_tmpl_lookup_fn)(void *ud, const char *name, size_t nlen, size_t *vlen);

struct logql_tmpl_env {
	logql_tmpl_lookup_fn lookup;
	void *ud;
	const char *line;	/* __line__ */
	size_t line_len;
	int64_t ts_ns;		/* __timestamp__ (WARD_TS_NONE: empty) */
	struct logql_re_scratch *re;	/* for regexReplaceAll */
};

/* NULL with a message naming the offset on a syntax error or an unknown
 * function. */
struct logql_tmpl *logql_tmpl_compile(const char *src, size_t len, char *err, size_t errlen);
void logql_tmpl_free(struct logql_tmpl *t);
/* True if the template is plain text (no actions). */
bool logql_tmpl_is_literal(const struct logql_tmpl *t);
/* Call cb with every name the template reads (.x, $labels.x, $value). */
void logql_tmpl_names(const struct logql_tmpl *t, void (*cb)(void *ud, const char *name, size_t n),
		      void *ud);
/* Append the expansion to out; -1 with err on an evaluation error (bad
 * argument, a bound reached); out then holds a partial expansion. The
 * template's scratch is mutated: one template must not be executed by two
 * threads at once. */
int logql_tmpl_exec(const struct logql_tmpl *t, const struct logql_tmpl_env *env,
		    struct ward_buf *out, char *err, size_t errlen);

/* ---- required literals of a regex --------------------------------------- */

/* The literals a LogQL line regex (`|~ "re"`) requires.
 *
 * logql_regex_required says "every line the regex matches (unanchored, PCRE2
 * in UTF mode, as logql_re compiles it) contains at least one of these
 * literals". It is used only to skip work: a false "required" would drop
 * matches, so the analysis is conservative and gives up (returns 0) on any
 * construct it does not fully understand (\Q, \x.., \p.., back references,
 * inline flags after the start, (?x), verbs, comments, non-standard {}).
 *
 *   foo\.bar[0-9]+baz   -> one literal: "foo.bar"   (the longest run)
 *   Failed|Invalid      -> two: "Failed", "Invalid" (one per top-level branch)
 *   (?i)error           -> one caseless literal "error"
 *   a.b                 -> none (no run of min_len bytes)
 *
 * Caseless literals are ASCII only and never contain k, s, K or S: in UTF
 * mode PCRE2's (?i)k also matches U+212A (KELVIN SIGN) and (?i)s U+017F
 * (LONG S), which an ASCII caseless search would miss. */
#define LOGQL_REQ_MAX_ALTS 64

struct logql_req {
	size_t n;			/* number of literals; 0: nothing required */
	size_t off[LOGQL_REQ_MAX_ALTS];	/* literal i is text.data[off[i]..off[i]+len[i]) */
	size_t len[LOGQL_REQ_MAX_ALTS];
	bool icase;			/* all literals compare ASCII-caseless */
	struct ward_buf text;
};

/* Fill req (initialised by the caller with {0}; free req->text with
 * buf_free) for the regex re[0..n); every literal has at least min_len
 * bytes or holds a rare byte (logql_byte_rare: `\\?[0-9]{6}` requires "?",
 * which most lines lack; a required "e" would select every line). Where a
 * regex offers several requirements (runs, groups taken at least once) the
 * most selective one by logql_byte_commonness is kept. Returns req->n. */
size_t logql_regex_required(const char *re, size_t n, size_t min_len, struct logql_req *req);

/* The same into req, and into also[0..k) (k returned, at most max_also;
 * each initialised with {0} by the caller, free every also[i].text) the
 * requirements that hold together with req: "every matching line holds one
 * of req's literals AND one of also[i]'s", for each i. Only for a regex
 * without a top-level '|' (k 0 otherwise, or when req->n is 0); taken from
 * its branch's requirements, weak groups such as `(?P<service>sudo(?:-i)?)`
 * included, none with a literal inside one of req's or holding one.
 * `\((sudo):auth\): authentication failure; logname=\S* uid=` -> req
 * ":auth): authentication failure; logname=", also "sudo", " uid=". */
size_t logql_regex_required_and(const char *re, size_t n, size_t min_len, struct logql_req *req,
				struct logql_req *also, size_t max_also);

/* ---- line regexes that are an alternation of literals (logql_litalt.c) ---- */

/* The exact literal set of a line regex that is only an alternation of
 * literals: "the regex (unanchored, PCRE2 in UTF mode, or Go) matches a line
 * iff the line contains one of these literals".
 *
 *   (?i)(?:%2(?:527|7)|'|c(?:hr|oncat))  -> caseless %2527, %27, ', chr, concat
 *   "GET |"POST |remote_addr             -> three literals
 *   a(?:b|)   a(?:b)?   ab?              -> ab, a
 *   a|   a*   b??   [ab]   (?i:x)   \d  -> not a literal set
 *
 * Accepted: an optional leading (?i), printable ASCII bytes that are not
 * metacharacters, `\` before ASCII punctuation, \xHH (01..7f), '|',
 * groups ( ) and (?: ), and '?' after a byte or group (X? is (?:X|); no
 * other quantifier); at most LOGQL_LITALT_MAX literals once multiplied out,
 * none empty, each at most LOGQL_LITALT_MAX_LEN bytes. Caseless literals fold ASCII letters only; under (?i) k and s also
 * match U+212A and U+017F, so ascii_lines_only is set when a caseless
 * literal holds k, K, s or S: the set is exact only on lines without a byte
 * >= 0x80. */
#define LOGQL_LITALT_MAX 128
#define LOGQL_LITALT_MAX_LEN 256

struct logql_litalt {
	size_t n;
	size_t off[LOGQL_LITALT_MAX];	/* literal i is text.data[off[i]..off[i]+len[i]) */
	size_t len[LOGQL_LITALT_MAX];
	bool icase;			/* (?i): ASCII letters compare without case */
	bool ascii_lines_only;		/* exact only on lines of ASCII bytes */
	struct ward_buf text;
};

/* Fill out (initialised by the caller with {0}; free out->text with
 * buf_free) when re[0..n) is such a regex; false (out->n 0) otherwise. */
bool logql_regex_literal_set(const char *re, size_t n, struct logql_litalt *out);

/* How common byte c is in log text, 1 (rare: punctuation other than ' ',
 * '.', ':') to 4 (space and the commonest letters). */
int logql_byte_commonness(unsigned char c);
/* Rare enough that a literal holding it is worth a prefilter however short:
 * commonness 1 but not '[' or ']', which syslog's `prog[pid]: ` puts in
 * nearly every line. */
bool logql_byte_rare(unsigned char c);

/* The index just after the ']' that closes the PCRE2 character class opening
 * at re[i] ('['), or 0 when it cannot tell (unterminated, \Q...\E inside).
 * A ']' first (after an optional '^') is literal; escapes and POSIX classes
 * ([:alpha:], [.x.], [=x=]) are stepped over. Every reader of regex text
 * that must step over a class uses it. */
size_t logql_regex_class_end(const char *re, size_t n, size_t i);

/* The index of the ')' that closes the group opening at re[i] ('('),
 * stepping over escapes and classes, or 0 when it is not closed. */
size_t logql_regex_group_close(const char *re, size_t n, size_t i);

/* The bytes a line can start with for the regex to match it: true and
 * first[b / 8] bit b % 8 set (added to what first holds) for each such
 * byte b when the regex is anchored at the start (`^` or `\A` before
 * everything, no top-level `|`, no inline flags anywhere, so no (?m))
 * and its first atom is a literal ASCII byte, an escaped punctuation
 * byte, \d or a plain class, taken at least once. Then an empty line cannot match either. False (first
 * untouched) for anything else: the answer only skips work. */
bool logql_regex_first_bytes(const char *re, size_t n, uint8_t first[32]);

#endif
