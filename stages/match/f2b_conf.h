/* f2b_conf.h - fail2ban filter files read as fail2ban reads them.
 *
 * The ConfigParser layer of fail2ban (client/configparserinc.py,
 * client/configreader.py, client/filterreader.py), no regex work:
 *   - INI syntax of Python's configparser (f2b_ini.h);
 *   - [INCLUDES] before/after (relative to the including file), a `.local`
 *     file read after each `.conf`, sections merged in that order, the
 *     overwritten values kept as `known/NAME`;
 *   - `%(name)s` interpolation (current section, [DEFAULT], `sec/name`,
 *     `known/name`, `default/name`), `%%`;
 *   - filter options `NAME[k=v, k2="v"]` (they override [Init] and the
 *     options of [Definition]), [Init] values, and `<tag>` substitution
 *     (substituteRecursiveTags) over the combined options.
 * The result is the filter's option values as strings, with the file and
 * line that defined each, so later stages can refuse "FILE:LINE: why". */
#ifndef WARD_F2B_CONF_H
#define WARD_F2B_CONF_H

#include <stddef.h>

struct f2b_rsrc {
	char *re;		/* one regex, tags not yet expanded */
	const char *file;	/* borrowed from the def's files */
	unsigned line;		/* line of the option that holds it */
};

struct f2b_def {
	char *name;		/* filter name: file base name, plus [opts] if given */
	char *prefregex;	/* NULL if none */
	struct f2b_rsrc pref;	/* where prefregex came from (re unused) */
	struct f2b_rsrc *fail;
	size_t nfail;
	struct f2b_rsrc *ignore;
	size_t nignore;
	char *datepattern;	/* NULL: fail2ban's default templates */
	char *usedns;		/* NULL: "warn" */
	long maxlines;		/* 1 if unset */
	char **files;		/* every file read, in order */
	size_t nfiles;
};

/* Load one filter: PATH or PATH[k=v,...]. Returns 0, or -1 with
 * "FILE:LINE: reason" (or "FILE: reason") in err. */
int f2b_def_load(const char *spec, struct f2b_def *d, char *err, size_t errlen);
void f2b_def_free(struct f2b_def *d);

/* The same from memory (one file, includes resolved against dir, which may
 * be NULL: includes are then ignored). For the fuzzer and unit tests. */
int f2b_def_load_mem(const char *name, const char *text, size_t len, const char *opts,
		     struct f2b_def *d, char *err, size_t errlen);

/* Split "PATH[opts]" into path and the text between the brackets (NULL if
 * none); both malloc'd. -1 if the brackets do not close at the end. */
int f2b_spec_split(const char *spec, char **path, char **opts);

#endif
