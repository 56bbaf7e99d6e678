/* alerttmpl.c - alert label/annotation templates (see alerttmpl.h). */
#include "stages/window/alerttmpl.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "fmtdouble.h"
#include "logql.h"

/* One piece of a template: literal text, or an action compiled alone. */
struct part {
	size_t off, len;	/* the text (an action: its whole {{ }}) in src */
	struct logql_tmpl *t;	/* NULL: literal, or verbatim when unknown */
	bool unknown;		/* copied verbatim and counted */
	bool humanize;		/* t computes humanize's argument */
	bool humanize_value;	/* humanize $value: no need to run t */
};

struct alerttmpl {
	char *src;
	size_t n;
	struct part *parts;
};

/* Prometheus' humanize: SI prefixes, 4 significant digits. */
static void humanize(double v, char *out, size_t outlen)
{
	static const char *const big[] = { "", "k", "M", "G", "T", "P", "E" };
	static const char *const small[] = { "", "m", "u", "n", "p" };
	int i = 0;
	if (v == 0 || isnan(v) || isinf(v)) {
		fmtdouble(out, v, FMTDOUBLE_GO);
		return;
	}
	if (fabs(v) >= 1) {
		while (fabs(v) >= 1000 && i < 6) {
			v /= 1000;
			i++;
		}
		snprintf(out, outlen, "%.4g%s", v, big[i]);
	} else {
		while (fabs(v) < 1 && i < 4) {
			v *= 1000;
			i++;
		}
		snprintf(out, outlen, "%.4g%s", v, small[i]);
	}
}

static bool word_char(char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Prometheus' data spellings as the variables the LogQL engine knows:
 * .Labels.x -> $labels.x, .Value -> $value (outside string literals). */
static void prometheus_names(struct ward_buf *b, const char *p, size_t n)
{
	char quote = 0;
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		bool starts = !quote && c == '.' && (i == 0 || (!word_char(p[i - 1]) && p[i - 1] != '.' &&
							       p[i - 1] != '$' && p[i - 1] != ')'));
		if (starts && n - i > 8 && memcmp(p + i, ".Labels.", 8) == 0) {
			buf_append_str(b, "$labels.");
			i += 7;
			continue;
		}
		if (starts && n - i >= 6 && memcmp(p + i, ".Value", 6) == 0 &&
		    (n - i == 6 || !word_char(p[i + 6]))) {
			buf_append_str(b, "$value");
			i += 5;
			continue;
		}
		if (quote && c == '\\' && i + 1 < n) {
			buf_append(b, p + i, 2);
			i++;
			continue;
		}
		if (c == '"' || c == '`')
			quote = quote == c ? 0 : quote ? quote : c;
		buf_append_char(b, c);
	}
}

/* The action src[o, c+2) ({{ ... }}): compiled alone; humanize X compiles X. */
static void compile_action(struct part *pt, const char *src, size_t o, size_t c)
{
	size_t a = o + 2, b = c;
	while (a < b && (src[a] == ' ' || src[a] == '\t' || src[a] == '-'))
		a++;
	while (b > a && (src[b - 1] == ' ' || src[b - 1] == '\t' || src[b - 1] == '-'))
		b--;
	struct ward_buf t = WARD_BUF_INIT;
	buf_append_str(&t, "{{ ");
	if (b - a > 9 && memcmp(src + a, "humanize ", 9) == 0) {
		pt->humanize = true;
		a += 9;
	}
	prometheus_names(&t, src + a, b - a);
	pt->humanize_value = pt->humanize && t.len == 9 && memcmp(t.data + 3, "$value", 6) == 0;
	buf_append_str(&t, " }}");
	char err[128];
	pt->t = b > a ? logql_tmpl_compile(t.data, t.len, err, sizeof err) : NULL;
	pt->unknown = !pt->t;
	buf_free(&t);
}

static struct part *add_part(struct alerttmpl *t, size_t off, size_t len)
{
	t->parts = ward_xrealloc(t->parts, (t->n + 1) * sizeof(*t->parts));
	struct part *p = &t->parts[t->n++];
	*p = (struct part){ .off = off, .len = len };
	return p;
}

struct alerttmpl *alerttmpl_compile(const char *src, size_t n)
{
	struct alerttmpl *t = ward_xcalloc(1, sizeof(*t));
	t->src = ward_xmalloc(n + 1);
	memcpy(t->src, src, n);
	t->src[n] = '\0';
	size_t i = 0;
	while (i < n) {
		const char *open = memmem(src + i, n - i, "{{", 2);
		size_t o = open ? (size_t)(open - src) : n;
		if (o > i)
			add_part(t, i, o - i);
		if (!open)
			break;
		const char *close = memmem(src + o + 2, n - o - 2, "}}", 2);
		if (!close) {
			add_part(t, o, n - o)->unknown = true;
			break;
		}
		size_t c = (size_t)(close - src);
		compile_action(add_part(t, o, c + 2 - o), src, o, c);
		i = c + 2;
	}
	return t;
}

void alerttmpl_free(struct alerttmpl *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++)
		logql_tmpl_free(t->parts[i].t);
	free(t->parts);
	free(t->src);
	free(t);
}

struct lookup_ctx {
	alerttmpl_label_fn label;
	void *ctx;
	double v;
	char value[FMTDOUBLE_MAX];	/* v formatted, "" until asked for */
};

static const char *lookup(void *ud, const char *name, size_t n, size_t *vlen)
{
	struct lookup_ctx *c = ud;
	if (n == 6 && memcmp(name, "$value", 6) == 0) {
		if (!c->value[0])
			fmtdouble(c->value, c->v, FMTDOUBLE_GO);
		*vlen = strlen(c->value);
		return c->value;
	}
	return c->label ? c->label(c->ctx, name, n, vlen) : NULL;
}

/* The action's expansion appended to out; false (out unchanged) if it fails. */
static bool run_action(const struct part *p, struct lookup_ctx *c, struct ward_buf *out)
{
	const struct logql_tmpl_env env = { .lookup = lookup, .ud = c, .ts_ns = WARD_TS_NONE };
	char err[128], num[64];
	size_t mark = out->len;
	if (p->humanize_value) {
		humanize(c->v, num, sizeof num);
		buf_append_str(out, num);
		return true;
	}
	if (logql_tmpl_exec(p->t, &env, out, err, sizeof err) != 0) {
		out->len = mark;
		return false;
	}
	if (!p->humanize)
		return true;
	char *end;
	buf_append_char(out, '\0');
	double v = strtod(out->data + mark, &end);
	bool ok = end != out->data + mark && *end == '\0';
	out->len = mark;
	if (ok) {
		humanize(v, num, sizeof num);
		buf_append_str(out, num);
	}
	return ok;
}

unsigned alerttmpl_expand(const struct alerttmpl *t, alerttmpl_label_fn label, void *ctx,
			  double value, struct ward_buf *out)
{
	unsigned unknown = 0;
	struct lookup_ctx c = { .label = label, .ctx = ctx, .v = value };
	for (size_t i = 0; i < t->n; i++) {
		const struct part *p = &t->parts[i];
		if (p->t && run_action(p, &c, out))
			continue;
		buf_append(out, t->src + p->off, p->len);
		unknown += p->t || p->unknown;
	}
	if (!out->data)
		buf_append(out, "", 0);
	return unknown;
}
