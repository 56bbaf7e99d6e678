/* f2b_ini.h - the INI syntax of Python's configparser, as fail2ban's
 * filter files use it (the file layer under f2b_conf.h):
 *   - `key = value` or `key: value`, option names lower-cased;
 *   - continuation lines indented deeper than the option (each stripped,
 *     joined with "\n"; empty lines kept inside a value, trailing ones
 *     dropped);
 *   - full-line comments `#` and `;`, inline comments ` ;`.
 * Every value keeps the file and line that defined it, so later stages can
 * say "FILE:LINE: why". */
#ifndef WARD_F2B_INI_H
#define WARD_F2B_INI_H

#include <stddef.h>

struct f2b_ini_kv {
	char *key;
	char *val;
	const char *file;	/* borrowed */
	unsigned line;
};
struct f2b_ini_sec {
	char *name;
	struct f2b_ini_kv *v;
	size_t n, cap;
};
struct f2b_ini {
	struct f2b_ini_sec *s;
	size_t n;
};

/* Parse one file's text into ini (sections added or extended). 0, or -1
 * with "FILE:LINE: why" in err. */
int f2b_ini_parse(struct f2b_ini *ini, const char *file, const char *text, size_t len, char *err, size_t errlen);
void f2b_ini_free(struct f2b_ini *ini);

/* Merge one file's sections into all as fail2ban's
 * SafeConfigParserWithIncludes.read does: a value being overwritten is kept
 * under section "KNOWN/<section>"; conditional sections ([Init?x=y]) are
 * skipped. */
void f2b_ini_merge(struct f2b_ini *all, const struct f2b_ini *one);

/* The section called name, or NULL; _add creates it when missing (and may
 * move the other sections). */
struct f2b_ini_sec *f2b_ini_find_section(const struct f2b_ini *ini, const char *name);
struct f2b_ini_sec *f2b_ini_add_section(struct f2b_ini *ini, const char *name);
/* The option key of s (s may be NULL), or NULL; _set adds or replaces it
 * (val copied). */
struct f2b_ini_kv *f2b_ini_get(const struct f2b_ini_sec *s, const char *key);
struct f2b_ini_kv *f2b_ini_set(struct f2b_ini_sec *s, const char *key, const char *val, const char *file,
			       unsigned line);

/* ASCII lower case in place; a malloc'd copy of s[0..n) without white
 * space around it. */
void f2b_ini_lower(char *s);
char *f2b_ini_strip(const char *s, size_t n);

#endif
