/* fromlogql.c - placeholder until the LogQL engine is merged. */
#include "stages/window/fromlogql.h"

#include <stdio.h>

#include "exitcodes.h"

int fromlogql_query(struct ruleset *rs, const struct ruleset_opts *o, const char *query,
		    char *err, size_t errlen)
{
	(void)rs; (void)o; (void)query;
	snprintf(err, errlen, "LogQL queries are not available in this build");
	return WARD_EX_UNAVAILABLE;
}

int fromlogql_rules_file(struct ruleset *rs, const struct ruleset_opts *o, const char *path,
			 char *err, size_t errlen)
{
	(void)rs; (void)o; (void)path;
	snprintf(err, errlen, "--rules is not available in this build");
	return WARD_EX_UNAVAILABLE;
}

void fromlogql_free(void *state)
{
	(void)state;
}
