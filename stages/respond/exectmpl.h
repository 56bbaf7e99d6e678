/* exectmpl.h - argv templates for the exec backend (pure).
 *
 * A template is split on spaces and tabs into words (no quoting, no shell).
 * A word holding '{' or '}' must be exactly one placeholder, replaced by one
 * whole, validated argument:
 *   {target}  canonical address, or network/64 when aggregating
 *   {addr}    canonical address (network address for a /64)
 *   {prefix}  prefix length: 32, 64 or 128
 *   {family}  4 or 6
 *   {ttl}     ban time in whole seconds (0 for an unban)
 *   {rule}    cleaned rule name ([A-Za-z0-9_.:-], or "-")
 *   {action}  ban or unban
 * Partial placeholders ("--ip={addr}") are refused when the template is
 * parsed, so an argument can never be assembled from pieces.
 * Ownership: the template owns its words. */
#ifndef WARD_RESPOND_EXECTMPL_H
#define WARD_RESPOND_EXECTMPL_H

#include <stddef.h>

#include "stages/respond/fwcmd.h"

struct exec_tmpl {
	int argc;
	char *argv[FW_ARGV_MAX];
};

int exec_tmpl_parse(const char *s, struct exec_tmpl *t, char *err, size_t errlen);
/* Fill a from t for request r (FW_BAN or FW_UNBAN). Returns 0 or -1 (too long). */
int exec_tmpl_expand(const struct exec_tmpl *t, const struct fw_req *r, struct fw_argv *a);
void exec_tmpl_free(struct exec_tmpl *t);

#endif
