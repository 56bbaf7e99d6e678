/* f2b_ini.c - Python configparser's INI syntax, as fail2ban's filter files
 * use it (see f2b_ini.h). */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "stages/match/f2b_ini.h"

struct f2b_ini_sec *f2b_ini_find_section(const struct f2b_ini *ini, const char *name)
{
	for (size_t i = 0; i < ini->n; i++)
		if (strcmp(ini->s[i].name, name) == 0)
			return &ini->s[i];
	return NULL;
}

struct f2b_ini_sec *f2b_ini_add_section(struct f2b_ini *ini, const char *name)
{
	struct f2b_ini_sec *s = f2b_ini_find_section(ini, name);
	if (s)
		return s;
	ini->s = ward_xrealloc(ini->s, (ini->n + 1) * sizeof(*ini->s));
	s = &ini->s[ini->n++];
	memset(s, 0, sizeof(*s));
	s->name = ward_xstrdup(name);
	return s;
}

struct f2b_ini_kv *f2b_ini_get(const struct f2b_ini_sec *s, const char *key)
{
	for (size_t i = 0; s && i < s->n; i++)
		if (strcmp(s->v[i].key, key) == 0)
			return &s->v[i];
	return NULL;
}

struct f2b_ini_kv *f2b_ini_set(struct f2b_ini_sec *s, const char *key, const char *val, const char *file, unsigned line)
{
	struct f2b_ini_kv *kv = f2b_ini_get(s, key);
	if (!kv) {
		if (s->n == s->cap) {
			s->cap = s->cap ? s->cap * 2 : 8;
			s->v = ward_xrealloc(s->v, s->cap * sizeof(*s->v));
		}
		kv = &s->v[s->n++];
		kv->key = ward_xstrdup(key);
		kv->val = NULL;
	}
	free(kv->val);
	kv->val = ward_xstrdup(val);
	kv->file = file;
	kv->line = line;
	return kv;
}

void f2b_ini_free(struct f2b_ini *ini)
{
	for (size_t i = 0; i < ini->n; i++) {
		for (size_t k = 0; k < ini->s[i].n; k++) {
			free(ini->s[i].v[k].key);
			free(ini->s[i].v[k].val);
		}
		free(ini->s[i].v);
		free(ini->s[i].name);
	}
	free(ini->s);
	memset(ini, 0, sizeof(*ini));
}

/* ---- one file, Python configparser syntax ------------------------------- */

void f2b_ini_lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

char *f2b_ini_strip(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return ward_xstrndup(s, n);
}

/* Finish the pending option: join its lines, drop trailing empty ones. */
static void flush_opt(struct f2b_ini_sec *cur, struct ward_buf *val, char **opt, const char *file, unsigned line)
{
	if (!*opt)
		return;
	while (val->len && (val->data[val->len - 1] == '\n' || isspace((unsigned char)val->data[val->len - 1])))
		val->len--;
	f2b_ini_set(cur, *opt, buf_cstr(val), file, line);
	free(*opt);
	*opt = NULL;
	buf_reset(val);
}

int f2b_ini_parse(struct f2b_ini *ini, const char *file, const char *text, size_t len, char *err, size_t errlen)
{
	struct f2b_ini_sec *cur = NULL;
	struct ward_buf val = WARD_BUF_INIT;
	char *opt = NULL;
	unsigned optline = 0, lineno = 0;
	size_t indent_level = 0;
	int rc = 0;
	for (size_t p = 0; p < len && rc == 0;) {
		size_t e = p;
		while (e < len && text[e] != '\n')
			e++;
		const char *ln = text + p;
		size_t n = e - p;
		p = e + 1;
		lineno++;
		if (n && ln[n - 1] == '\r')
			n--;
		/* comments: a full line starting with # or ;, or " ;" inline */
		size_t cstart = n;
		bool comment = false;
		for (size_t i = 0; i < n; i++)
			if (ln[i] == ';' && (i == 0 || isspace((unsigned char)ln[i - 1]))) {
				cstart = i;
				comment = true;
				break;
			}
		size_t fs = 0;
		while (fs < n && isspace((unsigned char)ln[fs]))
			fs++;
		if (fs < n && (ln[fs] == '#' || ln[fs] == ';')) {
			cstart = 0;
			comment = true;
		}
		char *value = f2b_ini_strip(ln, cstart);
		if (!*value) {
			if (!comment && cur && opt)
				buf_append_char(&val, '\n');	/* an empty line inside a value */
			free(value);
			continue;
		}
		size_t cur_indent = fs;
		if (cur && opt && cur_indent > indent_level) {
			if (val.len && val.data[val.len - 1] != '\n')
				buf_append_char(&val, '\n');
			buf_append_str(&val, value);
			free(value);
			continue;
		}
		flush_opt(cur, &val, &opt, file, optline);
		indent_level = cur_indent;
		if (value[0] == '[' && strchr(value, ']')) {
			char *close = strrchr(value, ']');
			*close = '\0';
			cur = f2b_ini_add_section(ini, value + 1);
			free(value);
			continue;
		}
		if (!cur) {
			snprintf(err, errlen, "%s:%u: a value before any [section]", file, lineno);
			rc = -1;
		} else {
			size_t k = strcspn(value, "=:");
			if (!value[k]) {
				snprintf(err, errlen, "%s:%u: not `name = value`: %.60s", file, lineno, value);
				rc = -1;
			} else {
				opt = f2b_ini_strip(value, k);
				f2b_ini_lower(opt);
				optline = lineno;
				char *v = f2b_ini_strip(value + k + 1, strlen(value + k + 1));
				buf_append_str(&val, v);
				free(v);
				if (!*opt) {
					snprintf(err, errlen, "%s:%u: empty option name", file, lineno);
					rc = -1;
				}
			}
		}
		free(value);
	}
	if (rc == 0)
		flush_opt(cur, &val, &opt, file, optline);
	free(opt);
	buf_free(&val);
	return rc;
}

/* Merge one file's sections as SafeConfigParserWithIncludes.read does:
 * values being overwritten are kept under KNOWN/<section>. */
void f2b_ini_merge(struct f2b_ini *all, const struct f2b_ini *one)
{
	for (size_t i = 0; i < one->n; i++) {
		const struct f2b_ini_sec *s = &one->s[i];
		if (strchr(s->name, '?'))
			continue;	/* conditional sections ([Init?family=inet6]): not supported */
		struct f2b_ini_sec *dst = f2b_ini_find_section(all, s->name);
		if (dst && strcmp(s->name, "DEFAULT") != 0) {
			char kn[300];
			snprintf(kn, sizeof(kn), "KNOWN/%s", s->name);
			for (size_t k = 0; k < s->n; k++) {
				struct f2b_ini_kv *old = f2b_ini_get(dst, s->v[k].key);
				if (old)
					f2b_ini_set(f2b_ini_add_section(all, kn), old->key, old->val, old->file, old->line);
			}
			dst = f2b_ini_find_section(all, s->name);	/* sec_get may have moved it */
		}
		if (!dst)
			dst = f2b_ini_add_section(all, s->name);
		for (size_t k = 0; k < s->n; k++)
			f2b_ini_set(dst, s->v[k].key, s->v[k].val, s->v[k].file, s->v[k].line);
	}
}
