/* exitcodes.h - exit statuses of every ward program (sysexits style).
 * Documented in README.md and in each man page. */
#ifndef WARD_EXITCODES_H
#define WARD_EXITCODES_H

enum ward_exit {
	WARD_EX_OK = 0,		/* input ended or a stop signal drained cleanly */
	WARD_EX_FAIL = 1,	/* a detection run with --fail-on-match matched, or test cases failed */
	WARD_EX_USAGE = 64,	/* bad command line */
	WARD_EX_DATAERR = 65,	/* bad input record with --strict */
	WARD_EX_UNAVAILABLE = 69, /* a service or feature is unavailable */
	WARD_EX_SOFTWARE = 70,	/* internal error */
	WARD_EX_OSERR = 71,	/* system error (fork, memory, privileges) */
	WARD_EX_IOERR = 74,	/* input or output failed */
	WARD_EX_NOPERM = 77,	/* insufficient privilege */
	WARD_EX_CONFIG = 78,	/* unusable configuration (query, rules, pipeline) */
};

#endif
