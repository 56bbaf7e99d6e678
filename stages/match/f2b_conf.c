/* f2b_conf.c - fail2ban's ConfigParser layer over the INI files of
 * f2b_ini.c: includes, interpolation, filter options, tags (see f2b_conf.h). */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "stages/match/f2b_conf.h"
#include "stages/match/f2b_ini.h"

#define MAX_INTERP_DEPTH 10	/* Python's MAX_INTERPOLATION_DEPTH */
#define MAX_TAG_REPLACE 10	/* fail2ban's MAX_TAG_REPLACE_COUNT */
#define MAX_VALUE (1u << 20)	/* a substituted value beyond this is refused */
#define MAX_FILES 64

static void cerr(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void cerr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* ---- file list with includes and .local ------------------------------- */

struct loader {
	char **files;		/* owned: every file read (paths) */
	size_t nfiles;
	char **texts;		/* parsed copies, parallel to files */
	struct f2b_ini *inis;
	char *err;
	size_t errlen;
	int depth;
};

static bool is_file(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct ward_buf b = WARD_BUF_INIT;
	char tmp[8192];
	size_t n;
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0 && b.len < MAX_VALUE * 4)
		buf_append(&b, tmp, n);
	fclose(f);
	*len = b.len;
	buf_append_char(&b, '\0');
	return b.data;
}

static int add_resource(struct loader *L, const char *path, struct f2b_ini *seen_stack, char **order, size_t *norder);

/* One name as _getIncludes sees it: the file, then its .local. */
static int add_with_local(struct loader *L, const char *path, char **order, size_t *norder)
{
	if (add_resource(L, path, NULL, order, norder) != 0)
		return -1;
	size_t n = strlen(path);
	const char *dot = strrchr(path, '.');
	const char *slash = strrchr(path, '/');
	if (dot && (!slash || dot > slash) && strcmp(dot, ".local") != 0) {
		n = (size_t)(dot - path);
		char *local = ward_xmalloc(n + 7);
		memcpy(local, path, n);
		memcpy(local + n, ".local", 7);
		int rc = is_file(local) ? add_resource(L, local, NULL, order, norder) : 0;
		free(local);
		return rc;
	}
	return 0;
}

static int add_resource(struct loader *L, const char *path, struct f2b_ini *unused, char **order, size_t *norder)
{
	(void)unused;
	for (size_t i = 0; i < L->nfiles; i++)
		if (strcmp(L->files[i], path) == 0)
			return 0;	/* a loop or a repeat: fail2ban skips seen files */
	if (L->depth > 16 || *norder >= MAX_FILES) {
		cerr(L->err, L->errlen, "%s: too many nested includes", path);
		return -1;
	}
	size_t len;
	char *text = read_all(path, &len);
	if (!text) {
		if (L->depth == 0) {
			cerr(L->err, L->errlen, "%s: %s", path, strerror(errno));
			return -1;
		}
		return 0;	/* a missing include is skipped, as fail2ban does */
	}
	char *fpath = ward_xstrdup(path);
	L->files = ward_xrealloc(L->files, (L->nfiles + 1) * sizeof(*L->files));
	L->texts = ward_xrealloc(L->texts, (L->nfiles + 1) * sizeof(*L->texts));
	L->inis = ward_xrealloc(L->inis, (L->nfiles + 1) * sizeof(*L->inis));
	size_t me = L->nfiles++;
	L->files[me] = fpath;
	L->texts[me] = text;
	memset(&L->inis[me], 0, sizeof(L->inis[me]));
	if (f2b_ini_parse(&L->inis[me], fpath, text, len, L->err, L->errlen) != 0)
		return -1;
	/* before-includes, this file, after-includes */
	const struct f2b_ini_sec *inc = f2b_ini_find_section(&L->inis[me], "INCLUDES");
	const char *dirend = strrchr(fpath, '/');
	static const char *const which[2] = { "before", "after" };
	for (int w = 0; w < 2; w++) {
		if (w == 1) {
			order[(*norder)++] = fpath;
		}
		const struct f2b_ini_kv *kv = f2b_ini_get(inc, which[w]);
		if (!kv)
			continue;
		const char *v = kv->val;
		while (*v) {
			size_t k = strcspn(v, "\n");
			char *name = f2b_ini_strip(v, k);
			v += k + (v[k] == '\n');
			if (!*name) {
				free(name);
				continue;
			}
			struct ward_buf p = WARD_BUF_INIT;
			if (name[0] != '/' && dirend)
				buf_append(&p, fpath, (size_t)(dirend - fpath) + 1);
			buf_append_str(&p, name);
			free(name);
			L->depth++;
			int rc = add_with_local(L, buf_cstr(&p), order, norder);
			L->depth--;
			buf_free(&p);
			if (rc != 0)
				return -1;
			if (*norder >= MAX_FILES) {
				cerr(L->err, L->errlen, "%s: too many included files", fpath);
				return -1;
			}
		}
	}
	return 0;
}

static struct f2b_ini *ini_of(struct loader *L, const char *path)
{
	for (size_t i = 0; i < L->nfiles; i++)
		if (L->files[i] == path)
			return &L->inis[i];
	return NULL;
}

/* ---- interpolation -------------------------------------------------------- */

struct ctx {
	struct f2b_ini all;
	struct f2b_ini_sec vars;	/* filter options (lower-cased keys) */
	char *err;
	size_t errlen;
};

/* The raw value of name seen from section sname (vars, section, DEFAULT,
 * then fail2ban's sec/opt forms). */
static const struct f2b_ini_kv *lookup_raw(const struct ctx *c, const char *sname, const char *name)
{
	const struct f2b_ini_kv *kv = f2b_ini_get(&c->vars, name);
	if (!kv)
		kv = f2b_ini_get(f2b_ini_find_section(&c->all, sname), name);
	if (!kv)
		kv = f2b_ini_get(f2b_ini_find_section(&c->all, "DEFAULT"), name);
	const char *slash = strchr(name, '/');
	if (kv || !slash)
		return kv;
	char sec[300];
	size_t sl = (size_t)(slash - name);
	if (sl >= sizeof(sec) - 8)
		return NULL;
	memcpy(sec, name, sl);
	sec[sl] = '\0';
	const char *opt = slash + 1;
	if (strcasecmp(sec, "known") == 0) {
		char kn[320];
		snprintf(kn, sizeof(kn), "KNOWN/%s", sname);
		kv = f2b_ini_get(f2b_ini_find_section(&c->all, kn), opt);
	} else if (strcasecmp(sec, "default") != 0) {
		const struct f2b_ini_sec *s = f2b_ini_find_section(&c->all, sec);
		if (!s)
			return NULL;
		kv = f2b_ini_get(s, opt);
	}
	if (!kv)
		kv = f2b_ini_get(f2b_ini_find_section(&c->all, "DEFAULT"), opt);
	return kv;
}

static int interp(const struct ctx *c, const char *sname, const char *raw, int depth, struct ward_buf *out,
		  const char *file, unsigned line)
{
	if (depth > MAX_INTERP_DEPTH) {
		cerr(c->err, c->errlen, "%s:%u: %%(...)s interpolation nested deeper than %d", file, line,
		     MAX_INTERP_DEPTH);
		return -1;
	}
	for (const char *p = raw; *p;) {
		const char *pc = strchr(p, '%');
		if (!pc) {
			buf_append_str(out, p);
			break;
		}
		buf_append(out, p, (size_t)(pc - p));
		if (pc[1] == '%') {
			buf_append_char(out, '%');
			p = pc + 2;
			continue;
		}
		const char *close = pc[1] == '(' ? strstr(pc + 2, ")s") : NULL;
		if (!close) {
			cerr(c->err, c->errlen, "%s:%u: '%%' must be followed by '%%' or '(' (Python interpolation)",
			     file, line);
			return -1;
		}
		char *name = ward_xstrndup(pc + 2, (size_t)(close - pc - 2));
		f2b_ini_lower(name);
		const struct f2b_ini_kv *kv = strcmp(name, "__name__") == 0 ? NULL : lookup_raw(c, sname, name);
		int rc = 0;
		if (strcmp(name, "__name__") == 0) {
			buf_append_str(out, sname);
		} else if (!kv) {
			cerr(c->err, c->errlen, "%s:%u: %%(%s)s: no such option in [%s] or [DEFAULT]", file, line, name,
			     sname);
			rc = -1;
		} else {
			rc = interp(c, sname, kv->val, depth + 1, out, file, line);
		}
		free(name);
		if (rc != 0)
			return -1;
		if (out->len > MAX_VALUE) {
			cerr(c->err, c->errlen, "%s:%u: interpolated value longer than %u bytes", file, line, MAX_VALUE);
			return -1;
		}
		p = close + 2;
	}
	return 0;
}

/* configparser's get(section, name, vars): NULL if absent (err empty),
 * or NULL with err set on an interpolation error. */
static char *get_opt(const struct ctx *c, const char *sname, const char *name, const struct f2b_ini_kv **where)
{
	const struct f2b_ini_kv *kv = f2b_ini_get(&c->vars, name);
	if (!kv)
		kv = f2b_ini_get(f2b_ini_find_section(&c->all, sname), name);
	if (!kv)
		kv = f2b_ini_get(f2b_ini_find_section(&c->all, "DEFAULT"), name);
	if (!kv)
		return NULL;
	if (where)
		*where = kv;
	struct ward_buf b = WARD_BUF_INIT;
	if (interp(c, sname, kv->val, 1, &b, kv->file ? kv->file : "(options)", kv->line) != 0) {
		buf_free(&b);
		return NULL;
	}
	buf_cstr(&b);
	return b.data ? b.data : ward_xstrdup("");
}

/* get_ex("Definition", name, vars): also `sec/opt` and `known/opt`. */
static char *get_comb(const struct ctx *c, const char *tag)
{
	char *name = ward_xstrdup(tag);
	f2b_ini_lower(name);
	char *v = NULL;
	char *slash = strchr(name, '/');
	if (slash) {
		*slash = '\0';
		const char *opt = slash + 1;
		if (strcmp(name, "known") == 0) {
			v = get_opt(c, "KNOWN/Definition", opt, NULL);
			if (!v && !c->err[0])
				v = get_opt(c, "Definition", opt, NULL);
		} else {
			const char *sec = strcmp(name, "default") == 0 ? "DEFAULT" : tag;
			char secbuf[300];
			if (sec == tag) {
				snprintf(secbuf, sizeof(secbuf), "%.*s", (int)(strchr(tag, '/') - tag), tag);
				sec = secbuf;
			}
			if (f2b_ini_find_section(&c->all, sec))
				v = get_opt(c, sec, opt, NULL);
		}
		*slash = '/';
	}
	if (!v && !c->err[0])
		v = get_opt(c, "Definition", name, NULL);
	free(name);
	return v;
}

/* ---- combined options and <tag> substitution ------------------------------- */

struct copt {
	char *key;
	char *val;
	const char *file;
	unsigned line;
};
struct copts {
	struct copt *v;
	size_t n;
};

static struct copt *copt_find(struct copts *o, const char *key)
{
	for (size_t i = 0; i < o->n; i++)
		if (strcmp(o->v[i].key, key) == 0)
			return &o->v[i];
	return NULL;
}

static void copt_set(struct copts *o, const char *key, char *val, const char *file, unsigned line)
{
	struct copt *c = copt_find(o, key);
	if (!c) {
		o->v = ward_xrealloc(o->v, (o->n + 1) * sizeof(*o->v));
		c = &o->v[o->n++];
		c->key = ward_xstrdup(key);
		c->val = NULL;
	}
	free(c->val);
	c->val = val;
	c->file = file;
	c->line = line;
}

static void copts_free(struct copts *o)
{
	for (size_t i = 0; i < o->n; i++) {
		free(o->v[i].key);
		free(o->v[i].val);
	}
	free(o->v);
}

static int substitute_tags(struct ctx *c, struct copts *o)
{
	for (size_t i = 0; i < o->n; i++) {
		struct copt *t = &o->v[i];
		struct { char *tag; int n; } counts[64];
		int ncounts = 0, rc = 0;
		size_t pos = 0;
		while (rc == 0) {
			char *lt = strchr(t->val + pos, '<');
			if (!lt)
				break;
			size_t k = 1;
			while (lt[k] && lt[k] != '<' && lt[k] != '>' && lt[k] != ' ')
				k++;
			if (lt[k] != '>' || k == 1) {
				pos = (size_t)(lt - t->val) + 1;
				continue;
			}
			char *rtag = ward_xstrndup(lt + 1, k - 1);
			if (strcmp(rtag, t->key) == 0) {
				cerr(c->err, c->errlen, "%s:%u: option %s refers to itself as <%s>", t->file, t->line,
				     t->key, rtag);
				free(rtag);
				rc = -1;
				break;
			}
			int *cnt = NULL;
			for (int q = 0; q < ncounts; q++)
				if (strcmp(counts[q].tag, rtag) == 0)
					cnt = &counts[q].n;
			if (!cnt && ncounts < 64) {
				counts[ncounts].tag = ward_xstrdup(rtag);
				counts[ncounts].n = 0;
				cnt = &counts[ncounts++].n;
			}
			const struct copt *co = copt_find(o, rtag);
			char *repl = co ? ward_xstrdup(co->val) : get_comb(c, rtag);
			if (c->err[0]) {
				free(repl);
				free(rtag);
				rc = -1;
				break;
			}
			if (!repl) {
				pos = (size_t)(lt - t->val) + k + 1;
				free(rtag);
				continue;
			}
			if (!cnt || ++*cnt > MAX_TAG_REPLACE) {
				cerr(c->err, c->errlen, "%s:%u: option %s: <%s> replaced more than %d times (recursive)",
				     t->file, t->line, t->key, rtag, MAX_TAG_REPLACE);
				free(repl);
				free(rtag);
				rc = -1;
				break;
			}
			/* replace every occurrence, as str.replace does */
			struct ward_buf nb = WARD_BUF_INIT;
			size_t tl = k + 1;
			const char *s = t->val;
			for (const char *hit; (hit = strstr(s, "<")) != NULL;) {
				if (strncmp(hit, lt, tl) == 0) {
					buf_append(&nb, s, (size_t)(hit - s));
					buf_append_str(&nb, repl);
					s = hit + tl;
				} else {
					buf_append(&nb, s, (size_t)(hit - s) + 1);
					s = hit + 1;
				}
			}
			buf_append_str(&nb, s);
			pos = 0;	/* rescan: <a-<b>> resolves the outer tag next */
			free(repl);
			free(rtag);
			if (nb.len > MAX_VALUE) {
				cerr(c->err, c->errlen, "%s:%u: option %s longer than %u bytes after <tag> substitution",
				     t->file, t->line, t->key, MAX_VALUE);
				buf_free(&nb);
				rc = -1;
				break;
			}
			free(t->val);
			t->val = ward_xstrdup(buf_cstr(&nb));
			buf_free(&nb);
		}
		for (int q = 0; q < ncounts; q++)
			free(counts[q].tag);
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* ---- filter options `k=v, k2="v 2"` --------------------------------------- */

static int parse_opts(const char *s, struct f2b_ini_sec *vars, char *err, size_t errlen)
{
	while (s && *s) {
		while (*s == ' ' || *s == ',' || *s == '\t')
			s++;
		if (!*s)
			break;
		const char *k = s;
		while (*s && *s != '=' && *s != ',')
			s++;
		if (*s != '=') {
			cerr(err, errlen, "filter option without '=': %.40s", k);
			return -1;
		}
		char *key = f2b_ini_strip(k, (size_t)(s - k));
		f2b_ini_lower(key);
		s++;
		while (*s == ' ')
			s++;
		struct ward_buf v = WARD_BUF_INIT;
		if (*s == '"' || *s == '\'') {
			char q = *s++;
			while (*s && *s != q)
				buf_append_char(&v, *s++);
			if (*s != q) {
				cerr(err, errlen, "filter option %s: unterminated quote", key);
				free(key);
				buf_free(&v);
				return -1;
			}
			s++;
		} else {
			const char *vs = s;
			while (*s && *s != ',')
				s++;
			char *t = f2b_ini_strip(vs, (size_t)(s - vs));
			buf_append_str(&v, t);
			free(t);
		}
		f2b_ini_set(vars, key, buf_cstr(&v), NULL, 0);
		free(key);
		buf_free(&v);
	}
	return 0;
}

int f2b_spec_split(const char *spec, char **path, char **opts)
{
	const char *br = strchr(spec, '[');
	size_t n = strlen(spec);
	*opts = NULL;
	if (!br) {
		*path = ward_xstrdup(spec);
		return 0;
	}
	if (n == 0 || spec[n - 1] != ']')
		return -1;
	*path = ward_xstrndup(spec, (size_t)(br - spec));
	*opts = ward_xstrndup(br + 1, n - (size_t)(br - spec) - 2);
	return 0;
}

/* ---- the filter ------------------------------------------------------------ */

static const char *const config_opts[] = { "usedns", "prefregex", "ignoreregex", "failregex",
					   "maxlines", "datepattern", "journalmatch" };

static void split_regexes(const struct copt *o, struct f2b_rsrc **out, size_t *n)
{
	if (!o)
		return;
	const char *v = o->val;
	unsigned idx = 0;
	while (*v) {
		size_t k = strcspn(v, "\n");
		if (k > 0) {
			*out = ward_xrealloc(*out, (*n + 1) * sizeof(**out));
			(*out)[*n].re = ward_xstrndup(v, k);
			(*out)[*n].file = o->file;
			(*out)[*n].line = o->line + idx;
			(*n)++;
		}
		idx++;
		v += k + (v[k] == '\n');
	}
}

static int build_def(struct ctx *c, const char *name, struct f2b_def *d)
{
	struct copts comb = { 0 };
	int rc = -1;
	/* [Definition] options, with the filter options as vars */
	for (size_t i = 0; i < sizeof(config_opts) / sizeof(*config_opts); i++) {
		const struct f2b_ini_kv *where = NULL;
		char *v = get_opt(c, "Definition", config_opts[i], &where);
		if (c->err[0])
			goto out;
		if (v)
			copt_set(&comb, config_opts[i], v, where && where->file ? where->file : "(options)",
				 where ? where->line : 0);
	}
	/* [Init]: known/NAME always; NAME unless a filter option gives it */
	struct copts init = { 0 };
	for (size_t i = 0; i < c->vars.n; i++)
		copt_set(&init, c->vars.v[i].key, ward_xstrdup(c->vars.v[i].val), "(options)", 0);
	const struct f2b_ini_sec *is = f2b_ini_find_section(&c->all, "Init");
	for (size_t i = 0; is && i < is->n; i++) {
		const struct f2b_ini_kv *kv = &is->v[i];
		struct ward_buf b = WARD_BUF_INIT;
		struct ctx c2 = *c;
		c2.vars = (struct f2b_ini_sec){ 0 };
		if (interp(&c2, "Init", kv->val, 1, &b, kv->file, kv->line) != 0) {
			buf_free(&b);
			copts_free(&init);
			goto out;
		}
		char kn[300];
		if (strncmp(kv->key, "known/", 6) != 0) {
			snprintf(kn, sizeof(kn), "known/%s", kv->key);
			copt_set(&init, kn, ward_xstrdup(buf_cstr(&b)), kv->file, kv->line);
		}
		if (!copt_find(&init, kv->key))
			copt_set(&init, kv->key, ward_xstrdup(buf_cstr(&b)), kv->file, kv->line);
		buf_free(&b);
	}
	for (size_t i = 0; i < init.n; i++) {
		const struct copt *ex = copt_find(&comb, init.v[i].key);
		copt_set(&comb, init.v[i].key, init.v[i].val, ex && !init.v[i].line ? ex->file : init.v[i].file,
			 ex && !init.v[i].line ? ex->line : init.v[i].line);
		init.v[i].val = NULL;
	}
	copts_free(&init);
	if (substitute_tags(c, &comb) != 0)
		goto out;
	d->name = ward_xstrdup(name);
	const struct copt *o;
	if ((o = copt_find(&comb, "prefregex")) && o->val[0]) {
		d->prefregex = ward_xstrdup(o->val);
		d->pref.file = o->file;
		d->pref.line = o->line;
	}
	split_regexes(copt_find(&comb, "failregex"), &d->fail, &d->nfail);
	split_regexes(copt_find(&comb, "ignoreregex"), &d->ignore, &d->nignore);
	if ((o = copt_find(&comb, "datepattern")) && o->val[0])
		d->datepattern = ward_xstrdup(o->val);
	if ((o = copt_find(&comb, "usedns")) && o->val[0])
		d->usedns = ward_xstrdup(o->val);
	d->maxlines = 1;
	if ((o = copt_find(&comb, "maxlines")) && o->val[0]) {
		char *end;
		long v = strtol(o->val, &end, 10);
		if (*end || v < 1) {
			cerr(c->err, c->errlen, "%s:%u: maxlines: not a positive integer: %.40s", o->file, o->line,
			     o->val);
			goto out;
		}
		d->maxlines = v;
	}
	rc = 0;
out:
	copts_free(&comb);
	return rc;
}

static void loader_free(struct loader *L, struct f2b_def *d)
{
	for (size_t i = 0; i < L->nfiles; i++) {
		free(L->texts[i]);
		f2b_ini_free(&L->inis[i]);
	}
	free(L->texts);
	free(L->inis);
	/* the def keeps the file names (regex sources point into them) */
	d->files = L->files;
	d->nfiles = L->nfiles;
}

static char *filter_name(const char *path, const char *opts)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	size_t n = strlen(b);
	const char *dot = strrchr(b, '.');
	if (dot && (strcmp(dot, ".conf") == 0 || strcmp(dot, ".local") == 0))
		n = (size_t)(dot - b);
	struct ward_buf nb = WARD_BUF_INIT;
	buf_append(&nb, b, n);
	if (opts)
		buf_printf(&nb, "[%s]", opts);
	return (char *)buf_cstr(&nb);
}

static int finish(struct ctx *c, struct loader *L, char **order, size_t norder, const char *name,
		  const char *opts, struct f2b_def *d)
{
	int rc = -1;
	for (size_t i = 0; i < norder; i++) {
		const struct f2b_ini *one = ini_of(L, order[i]);
		if (one)
			f2b_ini_merge(&c->all, one);
	}
	if (parse_opts(opts, &c->vars, c->err, c->errlen) == 0)
		rc = build_def(c, name, d);
	f2b_ini_free(&c->all);
	for (size_t i = 0; i < c->vars.n; i++) {
		free(c->vars.v[i].key);
		free(c->vars.v[i].val);
	}
	free(c->vars.v);
	return rc;
}

int f2b_def_load(const char *spec, struct f2b_def *d, char *err, size_t errlen)
{
	memset(d, 0, sizeof(*d));
	err[0] = '\0';
	char *path, *opts;
	if (f2b_spec_split(spec, &path, &opts) != 0) {
		cerr(err, errlen, "%s: filter options must be NAME[k=v,...]", spec);
		return -1;
	}
	struct loader L = { .err = err, .errlen = errlen };
	char *order[MAX_FILES + 1];
	size_t norder = 0;
	struct ctx c = { .err = err, .errlen = errlen };
	int rc = add_with_local(&L, path, order, &norder);
	char *name = filter_name(path, opts);
	if (rc == 0)
		rc = finish(&c, &L, order, norder, name, opts, d);
	free(name);
	loader_free(&L, d);
	free(path);
	free(opts);
	if (rc != 0)
		f2b_def_free(d);
	return rc;
}

int f2b_def_load_mem(const char *name, const char *text, size_t len, const char *opts, struct f2b_def *d,
		     char *err, size_t errlen)
{
	memset(d, 0, sizeof(*d));
	err[0] = '\0';
	struct ctx c = { .err = err, .errlen = errlen };
	struct f2b_ini one = { 0 };
	d->files = ward_xcalloc(1, sizeof(*d->files));
	d->files[0] = ward_xstrdup(name);
	d->nfiles = 1;
	int rc = f2b_ini_parse(&one, d->files[0], text, len, err, errlen);
	if (rc == 0) {
		f2b_ini_merge(&c.all, &one);
		rc = parse_opts(opts, &c.vars, err, errlen);
		if (rc == 0)
			rc = build_def(&c, name, d);
	}
	f2b_ini_free(&one);
	f2b_ini_free(&c.all);
	for (size_t i = 0; i < c.vars.n; i++) {
		free(c.vars.v[i].key);
		free(c.vars.v[i].val);
	}
	free(c.vars.v);
	if (rc != 0)
		f2b_def_free(d);
	return rc;
}

void f2b_def_free(struct f2b_def *d)
{
	free(d->name);
	free(d->prefregex);
	for (size_t i = 0; i < d->nfail; i++)
		free(d->fail[i].re);
	free(d->fail);
	for (size_t i = 0; i < d->nignore; i++)
		free(d->ignore[i].re);
	free(d->ignore);
	free(d->datepattern);
	free(d->usedns);
	for (size_t i = 0; i < d->nfiles; i++)
		free(d->files[i]);
	free(d->files);
	memset(d, 0, sizeof(*d));
}
