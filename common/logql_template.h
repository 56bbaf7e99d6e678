/* logql_template.h - the Go text/template subset LogQL users write in
 * line_format, label_format and rule annotations.
 *
 *   {{.name}}  {{ .name | ToUpper | trunc 10 }}  {{ printf "%s:%s" .a .b }}
 *   {{ if .x }}..{{ else if eq .y "z" }}..{{ else }}..{{ end }}
 *   {{__line__}} {{__timestamp__}}  {{ $labels.src_ip }} {{ $value }}
 *   {{- trims whitespace -}}
 *
 * Functions: ToUpper ToLower upper lower title Title trim TrimSpace trimAll
 * trimPrefix trimSuffix TrimPrefix TrimSuffix replace Replace default printf
 * trunc substr contains hasPrefix hasSuffix urlencode urldecode b64enc
 * b64dec len repeat regexReplaceAll regexReplaceAllLiteral eq ne not and or
 * alignLeft alignRight count int float64 add sub mul div mod. Values are
 * strings; a missing name is "". Compiled once; evaluation allocates only
 * in the scratch it is given (reused). No I/O. */
#ifndef WARD_LOGQL_TEMPLATE_H
#define WARD_LOGQL_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct logql_tmpl;
struct logql_re_scratch;

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
 * argument); out then holds a partial expansion. */
int logql_tmpl_exec(const struct logql_tmpl *t, const struct logql_tmpl_env *env,
		    struct ward_buf *out, char *err, size_t errlen);

#endif
