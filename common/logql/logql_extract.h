/* logql_extract.h - LogQL's line parsers and line helpers (internal):
 * json (all keys flattened, or selected paths), logfmt, pattern, unpack,
 * decolorize, and IP address matching for ip() filters.
 *
 * Extractors report each (key, value) through a callback; the strings are
 * valid only during the call (the callback copies what it keeps). `scratch`
 * is an array of two buffers (keys, values) owned by the caller and reused:
 * no allocation beyond them in the steady state, and no I/O. */
#ifndef WARD_LOGQL_EXTRACT_H
#define WARD_LOGQL_EXTRACT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "ipaddr.h"

typedef void (*lq_emit_fn)(void *ud, const char *key, size_t klen, const char *val, size_t vlen);

/* `scratch` below is always an array of two buffers (scratch[0] for keys,
 * scratch[1] for values): values may point into them until the next call. */

#define LQ_JSON_MAX_DEPTH 32

/* Every scalar leaf, nested keys joined with '_', keys sanitized to
 * [a-zA-Z0-9_] (Loki), arrays skipped. Returns 0 or -1 with err set (the
 * caller then reports JSONParserErr; values already emitted are kept). */
int lq_json_all(const char *s, size_t n, struct ward_buf *scratch, lq_emit_fn emit, void *ud,
		char *err, size_t errlen);

/* A compiled json path: a.b[0]["c d"]. */
struct lq_json_path {
	struct lq_path_seg { char *key; size_t key_len; long index; } *segs;	/* index -1: key */
	size_t nsegs;
};
int lq_json_path_compile(const char *src, struct lq_json_path *p);
void lq_json_path_free(struct lq_json_path *p);
/* Value at path: scalars as text, objects/arrays as their JSON text.
 * 1 found, 0 absent, -1 invalid JSON. The value points into s or scratch. */
int lq_json_get(const char *s, size_t n, const struct lq_json_path *p, struct ward_buf *scratch,
		const char **val, size_t *vlen);

/* unpack: top-level string members; _entry reported with key "_entry". */
int lq_unpack(const char *s, size_t n, struct ward_buf *scratch, lq_emit_fn emit, void *ud,
	      char *err, size_t errlen);

/* logfmt (go-logfmt): -1 with err on the first bad pair in strict mode;
 * non-strict skips bad pairs. Empty values are dropped unless keep_empty. */
int lq_logfmt(const char *s, size_t n, bool strict, bool keep_empty, struct ward_buf *scratch,
	      lq_emit_fn emit, void *ud, char *err, size_t errlen);

/* Pattern: literals and <name> / <_> captures. */
struct lq_pattern {
	struct lq_pat_part { char *lit; size_t len; char *name; } *parts;	/* lit XOR capture */
	size_t nparts;
	size_t ncaptures;	/* named ones */
};
int lq_pattern_compile(const char *src, size_t n, bool need_named, struct lq_pattern *p,
		       char *err, size_t errlen);
void lq_pattern_free(struct lq_pattern *p);
/* Parser semantics (Loki's Matches): emits captures; returns true if the
 * line matched at least its leading literal. */
bool lq_pattern_extract(const struct lq_pattern *p, const char *s, size_t n, lq_emit_fn emit, void *ud);
/* Line filter semantics (Loki's Test). */
bool lq_pattern_test(const struct lq_pattern *p, const char *s, size_t n);

/* Strip ANSI escape sequences; appends to out. */
void lq_decolorize(const char *s, size_t n, struct ward_buf *out);

/* ip("..."): one address, a CIDR, or a range "a-b" of one family. */
struct lq_ipspec {
	struct ward_ip lo, hi;	/* inclusive range */
};
int lq_ipspec_parse(const char *s, size_t n, struct lq_ipspec *spec);
bool lq_ipspec_contains(const struct lq_ipspec *spec, const struct ward_ip *ip);
/* True if the text holds an address (IPv4 or IPv6 token) in the spec. */
bool lq_line_has_ip(const char *s, size_t n, const struct lq_ipspec *spec);

/* LogQL label name sanitization: invalid chars to '_', leading digit
 * prefixed with '_'. Appends to out. */
void lq_sanitize_key(const char *k, size_t n, bool is_prefix, struct ward_buf *out);

#endif
