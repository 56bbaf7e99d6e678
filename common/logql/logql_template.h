/* logql_template.h - the Go text/template subset LogQL users write in
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
 * argument, a bound reached); out then holds a partial expansion. The
 * template's scratch is mutated: one template must not be executed by two
 * threads at once. */
int logql_tmpl_exec(const struct logql_tmpl *t, const struct logql_tmpl_env *env,
		    struct ward_buf *out, char *err, size_t errlen);

#endif
