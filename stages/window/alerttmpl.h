/* alerttmpl.h - the templates of a rule's labels and annotations, as
 * Prometheus writes them in alerting rules:
 *
 *   {{ $labels.NAME }}  {{ .Labels.NAME }}   a key label ("" when absent)
 *   {{ $value }}        {{ .Value }}         the alert's value, as Prometheus
 *                                            prints it (Go's %v: "100", "0.5",
 *                                            "1e+06"; fmtdouble.h)
 *   {{ humanize $value }}                    the value with SI prefixes
 *
 * Each {{ }} action is compiled, once, by the LogQL template engine
 * (logql_template.h), so an action may also use its functions and pipes
 * ({{ $labels.user | default "-" | ToUpper }}); `.Labels.` and `.Value` are
 * read as `$labels.` and `$value`, and `humanize X` (a Prometheus function
 * Loki's templates lack) is applied here to X's value. An action the
 * engine refuses (an unknown function, a control structure such as
 * if/range/end, which would span actions) or that fails when run, and an
 * unclosed {{, is copied verbatim and counted as unknown: a template never
 * fails at alert time. No I/O. */
#ifndef WARD_WINDOW_ALERTTMPL_H
#define WARD_WINDOW_ALERTTMPL_H

#include <stddef.h>

#include "buf.h"

struct alerttmpl;

/* Returns the key label's value (and its length) or NULL. */
typedef const char *(*alerttmpl_label_fn)(void *ctx, const char *name, size_t name_len,
					  size_t *len);

/* Never fails: what cannot be compiled stays verbatim. */
struct alerttmpl *alerttmpl_compile(const char *src, size_t n);
void alerttmpl_free(struct alerttmpl *t);
/* Append the expansion to out. Returns the number of unknown actions
 * copied verbatim (0 for a clean template). */
unsigned alerttmpl_expand(const struct alerttmpl *t, alerttmpl_label_fn lookup, void *ctx,
			  double value, struct ward_buf *out);

#endif
