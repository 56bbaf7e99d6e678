/* template.h - the subset of Prometheus alert templates ward-window expands
 * in rule labels and annotations:
 *
 *   {{ $labels.NAME }}  {{ .Labels.NAME }}   a key label ("" when absent)
 *   {{ $value }}        {{ .Value }}         the alert's value
 *   {{ humanize $value }}                    the value with SI prefixes
 *
 * Spaces inside the braces are optional. Anything else between {{ and }} is
 * copied verbatim and counted as unknown, so a template can never fail at
 * alert time. No I/O; the output goes into a caller's buffer. */
#ifndef WARD_WINDOW_TEMPLATE_H
#define WARD_WINDOW_TEMPLATE_H

#include <stddef.h>

#include "buf.h"

/* Returns the label's value (and its length) or NULL. */
typedef const char *(*tmpl_label_fn)(void *ctx, const char *name, size_t name_len, size_t *len);

/* Append the expansion of tmpl to out. Returns the number of unknown
 * constructs copied verbatim (0 for a clean template). */
unsigned tmpl_expand(const char *tmpl, size_t n, tmpl_label_fn lookup, void *ctx,
		     double value, struct ward_buf *out);

/* A number the way Prometheus prints $value: "6", "0.5", "1e+06". */
void tmpl_format_value(double v, char *out, size_t outlen);

#endif
