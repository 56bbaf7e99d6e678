/* counters.c - per-stage counters. */
#include "counters.h"

#include <string.h>

void counters_init(struct ward_counters *c, const char *stage)
{
	memset(c, 0, sizeof *c);
	c->stage = stage;
}

uint64_t *counters_extra(struct ward_counters *c, const char *name)
{
	for (unsigned i = 0; i < c->nextra; i++)
		if (strcmp(c->extra[i].name, name) == 0)
			return &c->extra[i].value;
	if (c->nextra == WARD_COUNTERS_EXTRA) {
		static uint64_t overflow;	/* a programming error; counted nowhere */
		return &overflow;
	}
	unsigned i = c->nextra;
	c->extra[i].name = name;
	c->extra[i].value = 0;
	/* Published after the slot is filled: the metrics listener (metrics.h)
	 * reads nextra from another thread. */
	__atomic_store_n(&c->nextra, i + 1, __ATOMIC_RELEASE);
	return &c->extra[i].value;
}

void counters_print(const struct ward_counters *c, FILE *f)
{
	fprintf(f, "{\"stage\":\"%s\",\"in\":%llu,\"out\":%llu,\"dropped\":%llu,"
		"\"malformed\":%llu,\"oversized\":%llu,\"errors\":%llu",
		c->stage, (unsigned long long)c->in, (unsigned long long)c->out,
		(unsigned long long)c->dropped, (unsigned long long)c->malformed,
		(unsigned long long)c->oversized, (unsigned long long)c->errors);
	for (unsigned i = 0; i < c->nextra; i++)
		fprintf(f, ",\"%s\":%llu", c->extra[i].name, (unsigned long long)c->extra[i].value);
	fputs("}\n", f);
	fflush(f);
}
