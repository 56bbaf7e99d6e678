/* counters.h - what every stage counts, printed as one JSON line on stderr
 * at exit and on SIGUSR1:
 *   {"stage":"match","in":10,"out":3,"dropped":0,"malformed":1,"oversized":0,...}
 * Stages may add named counters (up to WARD_COUNTERS_EXTRA). */
#ifndef WARD_COUNTERS_H
#define WARD_COUNTERS_H

#include <stdint.h>
#include <stdio.h>

#define WARD_COUNTERS_EXTRA 32

struct ward_counters {
	const char *stage;
	uint64_t in;		/* records read */
	uint64_t out;		/* events written */
	uint64_t dropped;	/* valid records deliberately not written (filtered) */
	uint64_t malformed;	/* records that were not valid events */
	uint64_t oversized;	/* records over the line limit, skipped whole */
	uint64_t errors;	/* output or processing errors */
	struct {
		const char *name;	/* static string */
		uint64_t value;
	} extra[WARD_COUNTERS_EXTRA];
	unsigned nextra;
};

void counters_init(struct ward_counters *c, const char *stage);
/* The counter called name, created at 0 on first use (name must be static). */
uint64_t *counters_extra(struct ward_counters *c, const char *name);
void counters_print(const struct ward_counters *c, FILE *f);

#endif
