/* logql_tmpl_int.h - the compiled template and its evaluation state, shared
 * by the three files of the template module (internal; the contract is
 * the template section of logql.h):
 *   logql_template.c   parser, compile, names
 *   logql_tmpl_exec.c  evaluation: values, variables, if/with/range
 *   logql_tmpl_fn.c    the function table, conversions, the string,
 *                      logic and number functions, dispatch
 *   logql_tmpl_fn_json.c  fromJson, len, index
 *   logql_tmpl_fn_time.c  the time functions */
#ifndef WARD_LOGQL_TMPL_INT_H
#define WARD_LOGQL_TMPL_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "logql.h"
#include "logql_tmpl_time_int.h"

/* ---- values -------------------------------------------------------------------- */

/* Go's dynamic types, as far as templates can tell them apart. Every value
 * keeps its printed form in b (a time: Go's Time.String(); a JSON object or
 * array: its JSON text, printed the Go way, map[k:v] / [a b], on output). */
enum tkind {
	K_STR,		/* a string (labels, literals, most functions) */
	K_NUM,		/* a number (literals, arithmetic): "0" is false */
	K_BOOL,		/* true / false (comparisons, literals) */
	K_JSON,		/* a validated JSON object or array from fromJson */
	K_TIME,		/* a time.Time: tm */
};

struct tval {
	struct ward_buf b;
	enum tkind k;
	struct logql_tmpl_time tm;
};

/* ---- tree ---------------------------------------------------------------------- */

struct tpipe;

enum op_kind {
	O_DOT,		/* .a.b (chain empty: the dot itself) */
	O_ROOT,		/* $.a, $labels.a: from the labels whatever the dot */
	O_VAR,		/* $x.a.b */
	O_LABEL,	/* $value: looked up by that name */
	O_STR, O_NUM, O_BOOL,
	O_PIPE,		/* ( pipeline ), then fields s (may be empty) */
	O_FUNC,		/* a function without arguments (now, __line__) */
};

struct operand {
	enum op_kind kind;
	char *s;		/* chain "a.b", label name, or literal text */
	size_t len;
	int slot;		/* O_VAR */
	struct tpipe *pipe;	/* O_PIPE */
	int fn;			/* O_FUNC */
};

struct logql_re;
/* The last regex compiled from a value rather than a literal: reused
 * while the value repeats (it usually comes from one label). */
struct dyn_regex {
	struct logql_re *re;
	struct ward_buf src;
};

struct cmd {
	int fn;			/* index into logql_tmpl_funcs, or -1: one operand */
	struct operand *args;
	size_t nargs;
	struct logql_re *re;	/* a literal regex argument, compiled once */
	struct dyn_regex *dyn;	/* a regex argument given by a value, or NULL */
};

struct tpipe {
	struct cmd *cmds;
	size_t ncmds;
	int nvars;		/* $x := / $i, $v := (range) / $x = */
	int vars[2];
};

enum node_kind { N_TEXT, N_ACTION, N_IF, N_WITH, N_RANGE, N_BREAK, N_CONTINUE };

struct node;
struct nodelist {
	struct node *v;
	size_t n;
};

struct node {
	enum node_kind kind;
	char *text;
	size_t len;
	struct tpipe *pipe;
	struct nodelist then, els;
};

struct logql_tmpl {
	struct nodelist root;
	bool literal;
	/* scratch reused across calls (each value allocated alone, so
	 * pointers stay valid while the arrays grow) */
	struct tval **pool;
	size_t npool, top;
	struct tval *slots;	/* one per variable declaration */
	size_t nslots;
};

/* ---- functions ------------------------------------------------------------------ */

enum fn_id {
	F_UPPER, F_LOWER, F_TITLE, F_TRIM, F_TRIMALL, F_TRIMPREFIX, F_TRIMSUFFIX,
	F_GOTRIM, F_TRIMLEFT, F_TRIMRIGHT,
	F_REPLACE, F_GOREPLACE, F_DEFAULT, F_PRINTF, F_PRINT, F_PRINTLN, F_TRUNC, F_SUBSTR,
	F_CONTAINS, F_HASPREFIX, F_HASSUFFIX, F_URLENCODE, F_URLDECODE, F_B64ENC, F_B64DEC,
	F_LEN, F_INDEX, F_REPEAT, F_INDENT, F_NINDENT, F_REGEXREPLACE, F_REGEXREPLACELIT,
	F_EQ, F_NE, F_LT, F_LE, F_GT, F_GE, F_NOT, F_AND, F_OR,
	F_ALIGNLEFT, F_ALIGNRIGHT, F_COUNT, F_INT, F_FLOAT,
	F_ADD, F_SUB, F_MUL, F_DIV, F_MOD, F_MAX, F_MIN,
	F_ADDF, F_SUBF, F_MULF, F_DIVF, F_MAXF, F_MINF, F_CEIL, F_FLOOR, F_ROUND,
	F_FROMJSON, F_BYTES, F_DURATION,
	F_DATE, F_TODATE, F_TODATEINZONE, F_NOW, F_UNIXEPOCH, F_UNIXEPOCHMILLIS,
	F_UNIXEPOCHNANOS, F_UNIXTOTIME,
	F_LINE, F_TIMESTAMP,
};

struct tmpl_fdef {
	const char *name;
	enum fn_id id;
	int min, max;	/* argument counts (with the piped value) */
};
extern const struct tmpl_fdef logql_tmpl_funcs[];
int logql_tmpl_find_func(const char *s, size_t n);
/* Functions whose first argument is a regex (compiled once if literal). */
bool logql_tmpl_func_takes_regex(int fi);

/* ---- evaluation ----------------------------------------------------------------- */

/* Bounds of one evaluation: the log line is attacker-controlled. */
#define TMPL_MAX_OUT (1u << 20)		/* bytes of output (the default --max-line) */
#define TMPL_MAX_ITER 65536u		/* range iterations, all ranges together */
#define TMPL_MAX_JSON (64u << 20)	/* bytes of JSON walked by fromJson, fields, range */

struct texec {
	struct logql_tmpl *t;
	const struct logql_tmpl_env *env;
	char *err;
	size_t errlen;
	bool failed;
	const struct tval *dot;	/* NULL: the root, the labels */
	unsigned iterations;
	size_t json_bytes;
	int loop_ctl;		/* 1 after {{break}}, 2 after {{continue}} */
};

struct tval *logql_tmpl_pool_get(struct texec *x);
void logql_tmpl_fail(struct texec *x, const char *msg, const char *fn);
void logql_tmpl_nul(struct ward_buf *b);
bool logql_tmpl_truthy(const struct tval *v);
/* Charge n bytes of JSON walking; false (and failed) over the bound. */
bool logql_tmpl_json_charge(struct texec *x, size_t n);
/* The JSON value s[0..n) as a template value. */
void logql_tmpl_json_value(struct texec *x, const char *s, size_t n, struct tval *out);
/* Append v as Go prints it. */
void logql_tmpl_print(struct texec *x, const struct tval *v, struct ward_buf *out);
void logql_tmpl_set_time(struct tval *v, struct logql_tmpl_time tm);
/* Conversions (sprig's spf13/cast, Go's strconv), logql_tmpl_fn.c. */
void logql_tmpl_put_int(struct tval *out, int64_t v);
void logql_tmpl_copy_to(struct tval *out, const struct tval *v);
int64_t logql_tmpl_to_int64(const struct tval *v);
/* Go's strconv.ParseFloat: the whole string, no spaces. */
bool logql_tmpl_parse_float(const char *s, size_t n, double *v);
/* The JSON value functions (logql_tmpl_fn_json.c). */
void logql_tmpl_fn_from_json(struct texec *x, const struct tval *v, struct tval *out);
void logql_tmpl_fn_len(struct texec *x, const struct tval *v, struct tval *out);
void logql_tmpl_fn_index(struct texec *x, struct tval **a, size_t na, struct tval *out);
/* The time functions (logql_tmpl_fn_time.c): false if c is not one. */
bool logql_tmpl_call_time(struct texec *x, const struct cmd *c, struct tval **a, struct tval *out);
/* Call function fi with a[0..na) (the piped value last); out is empty. */
void logql_tmpl_call(struct texec *x, const struct cmd *c, struct tval **a, size_t na, struct tval *out);

#endif
