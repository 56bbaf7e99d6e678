/* logql_extract_int.h - LogQL's line parsers and line helpers (internal),
 * one file each: logql_json.c (json: all keys flattened, or selected
 * paths), logql_unpack.c, logql_logfmt.c, logql_pattern.c,
 * logql_decolorize.c, and logql_ip.c (IP address matching for ip()
 * filters); logql_jsonwalk.c walks JSON text for json and unpack.
 *
 * Extractors report each (key, value) through a callback; the strings are
 * valid only during the call (the callback copies what it keeps). `scratch`
 * is an array of two buffers (keys, values) owned by the caller and reused:
 * no allocation beyond them in the steady state, and no I/O. */
#ifndef WARD_LOGQL_EXTRACT_INT_H
#define WARD_LOGQL_EXTRACT_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "ipaddr.h"

typedef void (*logql_emit_fn)(void *ud, const char *key, size_t klen, const char *val, size_t vlen);

/* `scratch` below is always an array of two buffers (scratch[0] for keys,
 * scratch[1] for values): values may point into them until the next call. */

#define LOGQL_JSON_MAX_DEPTH 32

/* Every scalar leaf, nested keys joined with '_', keys sanitized to
 * [a-zA-Z0-9_] (Loki), arrays skipped. Returns 0 or -1 with err set (the
 * caller then reports JSONParserErr; values already emitted are kept). */
int logql_json_all(const char *s, size_t n, struct ward_buf *scratch, logql_emit_fn emit, void *ud,
		char *err, size_t errlen);

/* A compiled json path: a.b[0]["c d"]. */
struct logql_json_path {
	struct logql_json_path_seg { char *key; size_t key_len; long index; } *segs;	/* index -1: key */
	size_t nsegs;
};
int logql_json_path_compile(const char *src, struct logql_json_path *p);
void logql_json_path_free(struct logql_json_path *p);
/* Value at path: scalars as text, objects/arrays as their JSON text.
 * 1 found, 0 absent, -1 invalid JSON. The value points into s or scratch. */
int logql_json_get(const char *s, size_t n, const struct logql_json_path *p, struct ward_buf *scratch,
		const char **val, size_t *vlen);

/* unpack: top-level string members; _entry reported with key "_entry". */
int logql_unpack(const char *s, size_t n, struct ward_buf *scratch, logql_emit_fn emit, void *ud,
	      char *err, size_t errlen);

/* logfmt (go-logfmt): -1 with err on the first bad pair in strict mode;
 * non-strict skips bad pairs. Empty values are dropped unless keep_empty. */
int logql_logfmt(const char *s, size_t n, bool strict, bool keep_empty, struct ward_buf *scratch,
	      logql_emit_fn emit, void *ud, char *err, size_t errlen);

/* Pattern: literals and <name> / <_> captures. */
struct logql_pattern {
	struct logql_pattern_part { char *lit; size_t len; char *name; } *parts;	/* lit XOR capture */
	size_t nparts;
	size_t ncaptures;	/* named ones */
};
int logql_pattern_compile(const char *src, size_t n, bool need_named, struct logql_pattern *p,
		       char *err, size_t errlen);
void logql_pattern_free(struct logql_pattern *p);
/* Parser semantics (Loki's Matches): emits captures; returns true if the
 * line matched at least its leading literal. */
bool logql_pattern_extract(const struct logql_pattern *p, const char *s, size_t n, logql_emit_fn emit, void *ud);
/* Line filter semantics (Loki's Test). */
bool logql_pattern_test(const struct logql_pattern *p, const char *s, size_t n);

/* Strip ANSI escape sequences; appends to out. */
void logql_decolorize(const char *s, size_t n, struct ward_buf *out);

/* ip("..."): one address, a CIDR, or a range "a-b" of one family. */
struct logql_ipspec {
	struct ward_ip lo, hi;	/* inclusive range */
};
int logql_ipspec_parse(const char *s, size_t n, struct logql_ipspec *spec);
bool logql_ipspec_contains(const struct logql_ipspec *spec, const struct ward_ip *ip);
/* True if the text holds an address (IPv4 or IPv6 token) in the spec. */
bool logql_line_has_ip(const char *s, size_t n, const struct logql_ipspec *spec);

/* LogQL label name sanitization: invalid chars to '_', leading digit
 * prefixed with '_'. Appends to out. */
void logql_sanitize_key(const char *k, size_t n, bool is_prefix, struct ward_buf *out);

#endif
