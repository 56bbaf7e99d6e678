/* logql_tmpl_fn.c - the template functions: Loki's documented list (its
 * sprig subset and own functions) and Go's builtins (see logql.h
 * for the list, docs/logql.md for where they differ from Go). */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logql.h"
#include "logql_re_int.h"
#include "fmtdouble.h"
#include "logql_tmpl_int.h"
#include "logql_tmpl_json_int.h"
#include "percent.h"
#include "utf8.h"

#define VAR 16	/* variadic: up to 16 arguments */

const struct tmpl_fdef logql_tmpl_funcs[] = {
	{ "ToUpper", F_UPPER, 1, 1 }, { "upper", F_UPPER, 1, 1 },
	{ "ToLower", F_LOWER, 1, 1 }, { "lower", F_LOWER, 1, 1 },
	{ "title", F_TITLE, 1, 1 }, { "Title", F_TITLE, 1, 1 },
	{ "trim", F_TRIM, 1, 1 }, { "TrimSpace", F_TRIM, 1, 1 },
	{ "trimAll", F_TRIMALL, 2, 2 }, { "trimPrefix", F_TRIMPREFIX, 2, 2 },
	{ "trimSuffix", F_TRIMSUFFIX, 2, 2 },
	/* Go's strings.TrimPrefix(s, prefix) order */
	{ "TrimPrefix", F_TRIMPREFIX, 2, 2 }, { "TrimSuffix", F_TRIMSUFFIX, 2, 2 },
	{ "Trim", F_GOTRIM, 2, 2 }, { "TrimLeft", F_TRIMLEFT, 2, 2 }, { "TrimRight", F_TRIMRIGHT, 2, 2 },
	{ "replace", F_REPLACE, 3, 3 }, { "Replace", F_GOREPLACE, 4, 4 },
	{ "default", F_DEFAULT, 1, 2 }, { "printf", F_PRINTF, 1, VAR },
	{ "print", F_PRINT, 0, VAR }, { "println", F_PRINTLN, 0, VAR },
	{ "trunc", F_TRUNC, 2, 2 }, { "substr", F_SUBSTR, 3, 3 },
	{ "contains", F_CONTAINS, 2, 2 }, { "hasPrefix", F_HASPREFIX, 2, 2 },
	{ "hasSuffix", F_HASSUFFIX, 2, 2 }, { "urlencode", F_URLENCODE, 1, 1 },
	{ "urldecode", F_URLDECODE, 1, 1 }, { "b64enc", F_B64ENC, 1, 1 },
	{ "b64dec", F_B64DEC, 1, 1 }, { "len", F_LEN, 1, 1 }, { "index", F_INDEX, 1, VAR },
	{ "repeat", F_REPEAT, 2, 2 }, { "indent", F_INDENT, 2, 2 }, { "nindent", F_NINDENT, 2, 2 },
	{ "regexReplaceAll", F_REGEXREPLACE, 3, 3 },
	{ "regexReplaceAllLiteral", F_REGEXREPLACELIT, 3, 3 },
	{ "eq", F_EQ, 2, VAR }, { "ne", F_NE, 2, 2 }, { "lt", F_LT, 2, 2 }, { "le", F_LE, 2, 2 },
	{ "gt", F_GT, 2, 2 }, { "ge", F_GE, 2, 2 }, { "not", F_NOT, 1, 1 },
	{ "and", F_AND, 1, VAR }, { "or", F_OR, 1, VAR },
	{ "alignLeft", F_ALIGNLEFT, 2, 2 }, { "alignRight", F_ALIGNRIGHT, 2, 2 },
	{ "count", F_COUNT, 2, 2 }, { "int", F_INT, 1, 1 }, { "float64", F_FLOAT, 1, 1 },
	{ "add", F_ADD, 1, VAR }, { "sub", F_SUB, 2, 2 }, { "mul", F_MUL, 1, VAR },
	{ "div", F_DIV, 2, 2 }, { "mod", F_MOD, 2, 2 }, { "max", F_MAX, 1, VAR }, { "min", F_MIN, 1, VAR },
	{ "addf", F_ADDF, 1, VAR }, { "subf", F_SUBF, 1, VAR }, { "mulf", F_MULF, 1, VAR },
	{ "divf", F_DIVF, 1, VAR }, { "maxf", F_MAXF, 1, VAR }, { "minf", F_MINF, 1, VAR },
	{ "ceil", F_CEIL, 1, 1 }, { "floor", F_FLOOR, 1, 1 }, { "round", F_ROUND, 2, 3 },
	{ "fromJson", F_FROMJSON, 1, 1 }, { "bytes", F_BYTES, 1, 1 },
	{ "duration", F_DURATION, 1, 1 }, { "duration_seconds", F_DURATION, 1, 1 },
	{ "date", F_DATE, 2, 2 }, { "toDate", F_TODATE, 2, 2 }, { "toDateInZone", F_TODATEINZONE, 3, 3 },
	{ "now", F_NOW, 0, 0 }, { "unixEpoch", F_UNIXEPOCH, 1, 1 },
	{ "unixEpochMillis", F_UNIXEPOCHMILLIS, 1, 1 }, { "unixEpochNanos", F_UNIXEPOCHNANOS, 1, 1 },
	{ "unixToTime", F_UNIXTOTIME, 1, 1 },
	{ "__line__", F_LINE, 0, 0 }, { "__timestamp__", F_TIMESTAMP, 0, 0 },
	{ NULL, F_LINE, 0, 0 },
};

int logql_tmpl_find_func(const char *s, size_t n)
{
	for (size_t i = 0; logql_tmpl_funcs[i].name; i++)
		if (strlen(logql_tmpl_funcs[i].name) == n && !memcmp(logql_tmpl_funcs[i].name, s, n))
			return (int)i;
	return -1;
}

bool logql_tmpl_func_takes_regex(int fi)
{
	if (fi < 0)
		return false;
	enum fn_id id = logql_tmpl_funcs[fi].id;
	return id == F_REGEXREPLACE || id == F_REGEXREPLACELIT || id == F_COUNT;
}

/* ---- conversions ------------------------------------------------------------------- */

static void put_bool(struct tval *out, bool v)
{
	buf_append_str(&out->b, v ? "true" : "false");
	out->k = K_BOOL;
}

void logql_tmpl_put_int(struct tval *out, int64_t v)
{
	buf_printf(&out->b, "%" PRId64, v);
	out->k = K_NUM;
}

static void put_float(struct tval *out, double v)
{
	fmtdouble_append(&out->b, v, FMTDOUBLE_GO);
	out->k = K_NUM;
}

static bool to_num(const char *s, double *v)
{
	char *end;
	while (isspace((unsigned char)*s))
		s++;
	*v = strtod(s, &end);
	return end != s && *end == '\0';
}

/* Go's strconv.ParseFloat: the whole string, no spaces. */
bool logql_tmpl_parse_float(const char *s, size_t n, double *v)
{
	char *end;
	if (n == 0 || isspace((unsigned char)s[0]))
		return false;
	errno = 0;
	*v = strtod(s, &end);
	return end == s + n;
}

/* sprig's toFloat64 (spf13/cast): a string that is not a number is 0. */
static double to_float64(const struct tval *v)
{
	double d;
	if (v->k == K_BOOL)
		return v->b.data[0] == 't';
	if (v->k == K_JSON || v->k == K_TIME || !logql_tmpl_parse_float(v->b.data, v->b.len, &d))
		return 0;
	return d;
}

/* sprig's toInt64 (spf13/cast): a float truncates, a string must be an
 * integer (base prefixes allowed; "3.0" is 3, "3.5" is 0). */
int64_t logql_tmpl_to_int64(const struct tval *v)
{
	if (v->k == K_BOOL)
		return v->b.data[0] == 't';
	if (v->k == K_NUM) {
		double d = to_float64(v);
		return isfinite(d) && fabs(d) < 9.2e18 ? (int64_t)d : 0;
	}
	if (v->k != K_STR || v->b.len == 0 || isspace((unsigned char)v->b.data[0]))
		return 0;
	size_t n = v->b.len;
	const char *dot = memchr(v->b.data, '.', n);
	if (dot) {	/* cast's trimZeroDecimal */
		for (const char *p = dot + 1; p < v->b.data + n; p++)
			if (*p != '0')
				return 0;
		n = (size_t)(dot - v->b.data);
	}
	char tmp[72], *end;
	if (n == 0 || n >= sizeof(tmp))
		return 0;
	memcpy(tmp, v->b.data, n);
	tmp[n] = '\0';
	errno = 0;
	long long r = strtoll(tmp, &end, 0);
	return end == tmp + n && errno == 0 ? (int64_t)r : 0;
}

static bool arg_long(struct texec *x, const char *fn, const struct tval *v, long *out)
{
	double d;
	if (!to_num(v->b.data, &d) || !(fabs(d) < 1e15)) {
		logql_tmpl_fail(x, "not a number", fn);
		return false;
	}
	*out = (long)d;
	return true;
}

static bool same(const struct tval *a, const struct tval *b)
{
	return a->b.len == b->b.len && !memcmp(a->b.data, b->b.data, a->b.len);
}

void logql_tmpl_copy_to(struct tval *out, const struct tval *v)
{
	buf_append(&out->b, v->b.data, v->b.len);
	out->k = v->k;
	out->tm = v->tm;
}

static bool fn_printf(struct ward_buf *out, struct tval **a, size_t na)
{
	const char *f = a[0]->b.data;
	size_t ai = 1;
	for (size_t i = 0; f[i]; i++) {
		if (f[i] != '%') {
			buf_append_char(out, f[i]);
			continue;
		}
		char spec[32];
		size_t k = 0;
		spec[k++] = '%';
		i++;
		long width = 0;
		while (f[i] && strchr("-+ #0123456789.", f[i]) && k < 20) {
			width = f[i] >= '0' && f[i] <= '9' ? width * 10 + (f[i] - '0') : 0;
			if (width > 256)
				return false;	/* a width can blow one line up to gigabytes */
			spec[k++] = f[i++];
		}
		char conv = f[i];
		if (!conv)
			break;
		if (conv == '%') {
			buf_append_char(out, '%');
			continue;
		}
		const char *arg = ai < na ? a[ai]->b.data : NULL;
		ai++;
		if (!arg) {
			buf_printf(out, "%%!%c(MISSING)", conv);
			continue;
		}
		double v;
		if ((conv == 'd' || conv == 'x' || conv == 'X') && to_num(arg, &v) && fabs(v) < 9e18) {
			spec[k++] = 'l';
			spec[k++] = 'l';
			spec[k++] = conv;
			spec[k] = '\0';
			buf_printf(out, spec, (long long)v);
		} else if ((conv == 'f' || conv == 'g' || conv == 'e') && to_num(arg, &v)) {
			spec[k++] = conv;
			spec[k] = '\0';
			buf_printf(out, spec, v);
		} else if (conv == 'q') {
			buf_printf(out, "\"%s\"", arg);
		} else {
			spec[k++] = 's';
			spec[k] = '\0';
			buf_printf(out, spec, arg);
		}
	}
	return true;
}

static void fn_replace(struct ward_buf *out, const char *old, size_t ol, const char *nw,
		       const char *s, size_t n, long limit)
{
	size_t i = 0;
	long done = 0;
	if (ol == 0) {
		buf_append(out, s, n);
		return;
	}
	while (i < n) {
		const char *hit = (limit < 0 || done < limit) ? memmem(s + i, n - i, old, ol) : NULL;
		if (!hit) {
			buf_append(out, s + i, n - i);
			return;
		}
		buf_append(out, s + i, (size_t)(hit - (s + i)));
		buf_append_str(out, nw);
		i = (size_t)(hit - s) + ol;
		done++;
	}
}

static const char b64chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void fn_b64enc(struct ward_buf *out, const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)s[i] << 16 | (i + 1 < n ? (unsigned)s[i + 1] << 8 : 0) |
			     (i + 2 < n ? s[i + 2] : 0);
		char q[4] = { b64chars[v >> 18], b64chars[(v >> 12) & 63],
			      i + 1 < n ? b64chars[(v >> 6) & 63] : '=', i + 2 < n ? b64chars[v & 63] : '=' };
		buf_append(out, q, 4);
	}
}

static bool fn_b64dec(struct ward_buf *out, const char *s, size_t n)
{
	unsigned acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '=')
			break;
		const char *p = strchr(b64chars, s[i]);
		if (!p || !s[i])
			return false;
		acc = (acc << 6) | (unsigned)(p - b64chars);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf_append_char(out, (char)((acc >> bits) & 0xFF));
		}
	}
	return true;
}


/* ---- strings ---------------------------------------------------------------------- */

/* Loki's trunc, substr and align count runes (Go's []rune: an invalid
 * byte is one rune). Byte offset of rune k of s, or s->len. */
static size_t rune_off(const struct ward_buf *s, size_t k)
{
	size_t i = 0;
	for (; i < s->len && k > 0; k--) {
		size_t l = utf8_seq_len((const unsigned char *)s->data + i, s->len - i);
		i += l ? l : 1;
	}
	return i;
}

static size_t rune_count(const struct ward_buf *s)
{
	size_t n = 0;
	for (size_t i = 0; i < s->len; n++) {
		size_t l = utf8_seq_len((const unsigned char *)s->data + i, s->len - i);
		i += l ? l : 1;
	}
	return n;
}

static void put_runes(struct tval *out, const struct ward_buf *s, size_t from, size_t to)
{
	size_t a = rune_off(s, from), b = rune_off(s, to);
	buf_append(&out->b, s->data + a, b - a);
}

static void fn_trunc(struct tval *out, long c, const struct ward_buf *s)
{
	size_t l = rune_count(s);
	if (c < 0 && (long)l + c > 0)
		put_runes(out, s, (size_t)((long)l + c), l);
	else if (c >= 0 && l > (size_t)c)
		put_runes(out, s, 0, (size_t)c);
	else
		buf_append(&out->b, s->data, s->len);
}

/* Loki's substring: start < 0 is the beginning, end < 0 or past the end
 * is the end (both negative: ""). */
static void fn_substr(struct tval *out, long start, long end, const struct ward_buf *s)
{
	long l = (long)rune_count(s);
	if (end > l)
		end = l;
	if (start > l)
		start = l;
	if (start < 0 && end < 0)
		return;
	if (start < 0)
		start = 0;
	if (end < 0)
		end = l;
	if (start < end)
		put_runes(out, s, (size_t)start, (size_t)end);
}

/* Loki's alignLeft / alignRight: pad to count runes, or keep the first
 * (left) or last (right) count runes. */
static void fn_align(struct texec *x, struct tval *out, long count, const struct ward_buf *s, bool right)
{
	size_t l = rune_count(s);
	if (count > 65536) {
		logql_tmpl_fail(x, "width over 65536", right ? "alignRight" : "alignLeft");
		return;
	}
	if (count < 0 || (size_t)count == l) {
		buf_append(&out->b, s->data, s->len);
	} else if ((size_t)count > l) {
		for (size_t i = l; right && i < (size_t)count; i++)
			buf_append_char(&out->b, ' ');
		buf_append(&out->b, s->data, s->len);
		for (size_t i = l; !right && i < (size_t)count; i++)
			buf_append_char(&out->b, ' ');
	} else {
		put_runes(out, s, right ? l - (size_t)count : 0, right ? l : (size_t)count);
	}
}

/* Go's strings.Title (sprig's title): a letter after a separator - ASCII
 * other than letters, digits and '_' - is upper-cased. */
static void fn_title(struct tval *out, const struct ward_buf *s)
{
	unsigned char prev = ' ';
	for (size_t i = 0; i < s->len; i++) {
		unsigned char c = (unsigned char)s->data[i];
		bool sep = prev < 0x80 && !isalnum(prev) && prev != '_';
		buf_append_char(&out->b, sep ? (char)toupper(c) : (char)c);
		prev = c;
	}
}

/* Go's strings.Trim/TrimLeft/TrimRight: bytes of cutset (ASCII cutsets
 * behave as in Go; docs/logql.md). */
static void fn_cutset(struct tval *out, const struct tval *s, const struct tval *cut, bool left, bool right)
{
	size_t b = 0, e = s->b.len;
	while (left && b < e && memchr(cut->b.data, s->b.data[b], cut->b.len))
		b++;
	while (right && e > b && memchr(cut->b.data, s->b.data[e - 1], cut->b.len))
		e--;
	buf_append(&out->b, s->b.data + b, e - b);
}

/* sprig's indent: pad + s with every "\n" followed by pad. */
static void fn_indent(struct texec *x, struct tval *out, const struct tval *n, const struct tval *s, bool nl)
{
	long pad;
	if (!arg_long(x, "indent", n, &pad))
		return;
	size_t lines = 1;
	for (const char *p = s->b.data; (p = memchr(p, '\n', s->b.len - (size_t)(p - s->b.data))); p++)
		lines++;
	if (pad < 0 || (size_t)pad > TMPL_MAX_OUT / lines || s->b.len + (size_t)pad * lines > TMPL_MAX_OUT) {
		logql_tmpl_fail(x, "width out of range", "indent");
		return;
	}
	if (nl)
		buf_append_char(&out->b, '\n');
	for (size_t i = 0;; i++) {
		if (i == 0 || s->b.data[i - 1] == '\n')
			for (long k = 0; k < pad; k++)
				buf_append_char(&out->b, ' ');
		if (i == s->b.len)
			break;
		buf_append_char(&out->b, s->b.data[i]);
	}
}

/* Go's print / println: operands separated by a space when neither is a
 * string (println: always), println ends with a newline. */
static void fn_print(struct texec *x, struct tval *out, struct tval **a, size_t na, bool ln)
{
	for (size_t i = 0; i < na; i++) {
		if (i > 0 && (ln || (a[i - 1]->k != K_STR && a[i]->k != K_STR)))
			buf_append_char(&out->b, ' ');
		logql_tmpl_print(x, a[i], &out->b);
	}
	if (ln)
		buf_append_char(&out->b, '\n');
}

/* The command's regex: the literal one, or the value's, compiled when the
 * value differs from the last one. NULL (and the evaluation failed) if it
 * does not compile. */
static struct logql_re *cmd_regex(struct texec *x, const struct cmd *c, const struct tval *pat)
{
	if (c->re)
		return c->re;
	struct dyn_regex *d = c->dyn;
	if (!d) {	/* not a command the compiler prepared for a regex */
		logql_tmpl_fail(x, "bad regex", logql_tmpl_funcs[c->fn].name);
		return NULL;
	}
	if (d->re && d->src.len == pat->b.len && memcmp(d->src.data, pat->b.data, pat->b.len) == 0)
		return d->re;
	char e[128];
	logql_re_free(d->re);
	d->re = logql_re_compile(pat->b.data, pat->b.len, LQ_RE_UNANCHORED, e, sizeof(e));
	buf_reset(&d->src);
	buf_append(&d->src, pat->b.data, pat->b.len);
	if (!d->re)
		logql_tmpl_fail(x, "bad regex", logql_tmpl_funcs[c->fn].name);
	return d->re;
}

static void fn_regex_replace(struct texec *x, const struct cmd *c, struct tval **a, struct tval *out)
{
	if (!x->env->re) {
		logql_tmpl_fail(x, "no regex scratch", logql_tmpl_funcs[c->fn].name);
		return;
	}
	struct logql_re *re = cmd_regex(x, c, a[0]);
	if (re && logql_re_replace(re, x->env->re, a[1]->b.data, a[1]->b.len, a[2]->b.data,
				   logql_tmpl_funcs[c->fn].id == F_REGEXREPLACELIT, &out->b) != 0)
		logql_tmpl_fail(x, "regex match limit", logql_tmpl_funcs[c->fn].name);
}

/* Loki's count: matches of the regex (Go's FindAllStringIndex). */
static void fn_count(struct texec *x, const struct cmd *c, struct tval **a, struct tval *out)
{
	size_t cnt = 0, off = 0, st, en;
	if (!x->env->re) {
		logql_tmpl_fail(x, "no regex scratch", "count");
		return;
	}
	struct logql_re *re = cmd_regex(x, c, a[0]);
	const char *s = a[1]->b.data;
	size_t n = a[1]->b.len;
	while (re && off <= n) {
		int rc = logql_re_match(re, x->env->re, s + off, n - off);
		if (rc < 0)
			logql_tmpl_fail(x, "regex match limit", "count");
		if (rc <= 0 || !logql_re_group(x->env->re, 0, &st, &en))
			break;
		cnt++;
		off += en > st ? en : st + 1;	/* an empty match moves one on */
	}
	logql_tmpl_put_int(out, (int64_t)cnt);
}

/* ---- numbers ----------------------------------------------------------------------- */

static void fn_int_arith(struct texec *x, enum fn_id id, struct tval **a, size_t na, struct tval *out)
{
	int64_t acc = id == F_ADD ? 0 : logql_tmpl_to_int64(a[0]);
	for (size_t i = id == F_ADD ? 0 : 1; i < na; i++) {
		int64_t v = logql_tmpl_to_int64(a[i]);
		uint64_t ua = (uint64_t)acc, uv = (uint64_t)v;	/* Go wraps */
		switch (id) {
		case F_ADD: acc = (int64_t)(ua + uv); break;
		case F_SUB: acc = (int64_t)(ua - uv); break;
		case F_MUL: acc = (int64_t)(ua * uv); break;
		case F_DIV: case F_MOD:
			if (v == 0) {
				logql_tmpl_fail(x, "integer divide by zero", id == F_DIV ? "div" : "mod");
				return;
			}
			if (v == -1)
				acc = id == F_DIV ? (int64_t)(0 - ua) : 0;
			else
				acc = id == F_DIV ? acc / v : acc % v;
			break;
		case F_MAX: if (v > acc) acc = v; break;
		case F_MIN: if (v < acc) acc = v; break;
		default: break;
		}
	}
	logql_tmpl_put_int(out, acc);
}

/* sprig computes addf & co in decimal: a binary result within 4 ulps of
 * its 15-digit rounding is printed as that (0.1 + 0.2 is 0.3). */
static double decimalish(double r)
{
	char t[40];
	snprintf(t, sizeof(t), "%.15g", r);
	double c = strtod(t, NULL);
	return fabs(c - r) <= 4 * (nextafter(fabs(r), INFINITY) - fabs(r)) ? c : r;
}

static void fn_float_arith(enum fn_id id, struct tval **a, size_t na, struct tval *out)
{
	double acc = id == F_ADDF ? 0 : to_float64(a[0]);
	for (size_t i = id == F_ADDF ? 0 : 1; i < na; i++) {
		double v = to_float64(a[i]);
		switch (id) {
		case F_ADDF: acc += v; break;
		case F_SUBF: acc -= v; break;
		case F_MULF: acc *= v; break;
		case F_DIVF: acc /= v; break;
		case F_MAXF: acc = fmax(acc, v); break;
		case F_MINF: acc = fmin(acc, v); break;
		default: break;
		}
	}
	put_float(out, id == F_MAXF || id == F_MINF ? acc : decimalish(acc));
}

/* sprig's round(a, places, roundOn = .5) */
static void fn_round(struct tval **a, size_t na, struct tval *out)
{
	double val = to_float64(a[0]), on = na > 2 ? to_float64(a[2]) : .5;
	double pw = pow(10, (double)logql_tmpl_to_int64(a[1]));
	double digit = pw * val, ip;
	double frac = modf(digit, &ip);
	put_float(out, (frac >= on ? ceil(digit) : floor(digit)) / pw);
}

static void fn_human(struct texec *x, enum fn_id id, const struct tval *v, struct tval *out)
{
	double d;
	int rc = id == F_BYTES ? logql_parse_bytes(v->b.data, v->b.len, &d) :
		 logql_parse_duration_seconds(v->b.data, v->b.len, &d);
	if (rc != 0)
		logql_tmpl_fail(x, id == F_BYTES ? "not a byte size" : "not a duration", id == F_BYTES ? "bytes" : "duration");
	else
		put_float(out, d);
}

static int cmp_vals(const struct tval *a, const struct tval *b)
{
	if (a->k == K_NUM && b->k == K_NUM) {
		double x = to_float64(a), y = to_float64(b);
		return x < y ? -1 : x > y;
	}
	size_t l = a->b.len < b->b.len ? a->b.len : b->b.len;
	int c = memcmp(a->b.data, b->b.data, l);
	return c ? c : a->b.len < b->b.len ? -1 : a->b.len > b->b.len;
}

/* ---- dispatch -------------------------------------------------------------------------- */

static bool call_string(struct texec *x, const struct cmd *c, struct tval **a, size_t na, struct tval *out)
{
	const char *fname = logql_tmpl_funcs[c->fn].name;
	const struct ward_buf *last = na ? &a[na - 1]->b : NULL;
	long n1, n2;
	switch (logql_tmpl_funcs[c->fn].id) {
	case F_UPPER: for (size_t i = 0; i < last->len; i++) buf_append_char(&out->b, (char)toupper((unsigned char)last->data[i])); break;
	case F_LOWER: for (size_t i = 0; i < last->len; i++) buf_append_char(&out->b, (char)tolower((unsigned char)last->data[i])); break;
	case F_TITLE: fn_title(out, last); break;
	case F_TRIM: {
		size_t s = 0, e = last->len;
		while (s < e && isspace((unsigned char)last->data[s])) s++;
		while (e > s && isspace((unsigned char)last->data[e - 1])) e--;
		buf_append(&out->b, last->data + s, e - s);
		break;
	}
	case F_TRIMALL: fn_cutset(out, a[1], a[0], true, true); break;
	case F_GOTRIM: fn_cutset(out, a[0], a[1], true, true); break;
	case F_TRIMLEFT: fn_cutset(out, a[0], a[1], true, false); break;
	case F_TRIMRIGHT: fn_cutset(out, a[0], a[1], false, true); break;
	case F_TRIMPREFIX: {
		/* sprig: trimPrefix prefix s; Go: TrimPrefix s prefix */
		bool go = fname[0] == 'T';
		const struct ward_buf *s = go ? &a[0]->b : &a[1]->b, *pre = go ? &a[1]->b : &a[0]->b;
		size_t skip = s->len >= pre->len && !memcmp(s->data, pre->data, pre->len) ? pre->len : 0;
		buf_append(&out->b, s->data + skip, s->len - skip);
		break;
	}
	case F_TRIMSUFFIX: {
		bool go = fname[0] == 'T';
		const struct ward_buf *s = go ? &a[0]->b : &a[1]->b, *suf = go ? &a[1]->b : &a[0]->b;
		size_t cut = s->len >= suf->len && !memcmp(s->data + s->len - suf->len, suf->data, suf->len) ? suf->len : 0;
		buf_append(&out->b, s->data, s->len - cut);
		break;
	}
	case F_REPLACE: fn_replace(&out->b, a[0]->b.data, a[0]->b.len, a[1]->b.data, a[2]->b.data, a[2]->b.len, -1); break;
	case F_GOREPLACE:
		if (arg_long(x, fname, a[3], &n1))
			fn_replace(&out->b, a[1]->b.data, a[1]->b.len, a[2]->b.data, a[0]->b.data, a[0]->b.len, n1);
		break;
	case F_PRINTF: {
		/* a map or list argument prints as Go prints it, not as JSON */
		size_t mark = x->t->top;
		for (size_t i = 1; i < na; i++)
			if (a[i]->k == K_JSON) {
				struct tval *g = logql_tmpl_pool_get(x);
				logql_tmpl_print(x, a[i], &g->b);
				logql_tmpl_nul(&g->b);
				a[i] = g;
			}
		if (!x->failed && !fn_printf(&out->b, a, na))
			logql_tmpl_fail(x, "width or precision over 256", fname);
		x->t->top = mark;
		break;
	}
	case F_PRINT: case F_PRINTLN: fn_print(x, out, a, na, logql_tmpl_funcs[c->fn].id == F_PRINTLN); break;
	case F_TRUNC: if (arg_long(x, fname, a[0], &n1)) fn_trunc(out, n1, &a[1]->b); break;
	case F_SUBSTR:
		if (arg_long(x, fname, a[0], &n1) && arg_long(x, fname, a[1], &n2))
			fn_substr(out, n1, n2, &a[2]->b);
		break;
	/* Go's url.QueryEscape / QueryUnescape; a malformed escape stays as
	 * it is (decoding never fails) */
	case F_URLENCODE: percent_encode(&out->b, last->data, last->len, PERCENT_PLUS_SPACE); break;
	case F_URLDECODE: percent_decode(&out->b, last->data, last->len, PERCENT_PLUS_SPACE, NULL); break;
	case F_B64ENC: fn_b64enc(&out->b, (const unsigned char *)last->data, last->len); break;
	case F_B64DEC: if (!fn_b64dec(&out->b, last->data, last->len)) logql_tmpl_fail(x, "invalid base64", fname); break;
	case F_REPEAT:
		if (!arg_long(x, fname, a[0], &n1)) break;
		if (n1 < 0 || (size_t)n1 * a[1]->b.len > 65536) { logql_tmpl_fail(x, "count out of range", fname); break; }
		for (long i = 0; i < n1; i++) buf_append(&out->b, a[1]->b.data, a[1]->b.len);
		break;
	case F_INDENT: case F_NINDENT: fn_indent(x, out, a[0], a[1], logql_tmpl_funcs[c->fn].id == F_NINDENT); break;
	case F_REGEXREPLACE: case F_REGEXREPLACELIT: fn_regex_replace(x, c, a, out); break;
	case F_ALIGNLEFT: case F_ALIGNRIGHT:
		if (arg_long(x, fname, a[0], &n1))
			fn_align(x, out, n1, &a[1]->b, logql_tmpl_funcs[c->fn].id == F_ALIGNRIGHT);
		break;
	case F_LINE: buf_append(&out->b, x->env->line, x->env->line_len); break;
	default: return false;
	}
	return true;
}

static bool call_logic(struct texec *x, const struct cmd *c, struct tval **a, size_t na, struct tval *out)
{
	enum fn_id id = logql_tmpl_funcs[c->fn].id;
	const struct tval *last = na ? a[na - 1] : NULL;
	switch (id) {
	case F_DEFAULT: logql_tmpl_copy_to(out, na == 2 && logql_tmpl_truthy(a[1]) ? a[1] : a[0]); break;
	case F_CONTAINS: put_bool(out, memmem(a[1]->b.data, a[1]->b.len, a[0]->b.data, a[0]->b.len) != NULL); break;
	case F_HASPREFIX: put_bool(out, a[1]->b.len >= a[0]->b.len && !memcmp(a[1]->b.data, a[0]->b.data, a[0]->b.len)); break;
	case F_HASSUFFIX:
		put_bool(out, a[1]->b.len >= a[0]->b.len &&
			 !memcmp(a[1]->b.data + a[1]->b.len - a[0]->b.len, a[0]->b.data, a[0]->b.len));
		break;
	case F_EQ: {
		bool any = false;
		for (size_t i = 1; i < na; i++)
			any |= same(a[0], a[i]);
		put_bool(out, any);
		break;
	}
	case F_NE: put_bool(out, !same(a[0], a[1])); break;
	case F_LT: put_bool(out, cmp_vals(a[0], a[1]) < 0); break;
	case F_LE: put_bool(out, cmp_vals(a[0], a[1]) <= 0); break;
	case F_GT: put_bool(out, cmp_vals(a[0], a[1]) > 0); break;
	case F_GE: put_bool(out, cmp_vals(a[0], a[1]) >= 0); break;
	case F_NOT: put_bool(out, !logql_tmpl_truthy(last)); break;
	case F_AND: case F_OR: {
		size_t pick = na - 1;
		for (size_t i = 0; i < na; i++) {
			bool t = logql_tmpl_truthy(a[i]);
			if ((id == F_AND && !t) || (id == F_OR && t)) { pick = i; break; }
		}
		logql_tmpl_copy_to(out, a[pick]);
		break;
	}
	case F_LEN: logql_tmpl_fn_len(x, last, out); break;
	case F_INDEX: logql_tmpl_fn_index(x, a, na, out); break;
	case F_FROMJSON: logql_tmpl_fn_from_json(x, last, out); break;
	default: return false;
	}
	return true;
}

static bool call_number(struct texec *x, const struct cmd *c, struct tval **a, size_t na, struct tval *out)
{
	enum fn_id id = logql_tmpl_funcs[c->fn].id;
	const struct tval *last = na ? a[na - 1] : NULL;
	switch (id) {
	case F_COUNT: fn_count(x, c, a, out); break;
	case F_INT: logql_tmpl_put_int(out, logql_tmpl_to_int64(last)); break;
	case F_FLOAT: put_float(out, to_float64(last)); break;
	case F_ADD: case F_SUB: case F_MUL: case F_DIV: case F_MOD: case F_MAX: case F_MIN:
		fn_int_arith(x, id, a, na, out);
		break;
	case F_ADDF: case F_SUBF: case F_MULF: case F_DIVF: case F_MAXF: case F_MINF:
		fn_float_arith(id, a, na, out);
		break;
	case F_CEIL: put_float(out, ceil(to_float64(last))); break;
	case F_FLOOR: put_float(out, floor(to_float64(last))); break;
	case F_ROUND: fn_round(a, na, out); break;
	case F_BYTES: case F_DURATION: fn_human(x, id, last, out); break;
	default: return false;
	}
	return true;
}

void logql_tmpl_call(struct texec *x, const struct cmd *c, struct tval **a, size_t na, struct tval *out)
{
	if (!call_string(x, c, a, na, out) && !call_logic(x, c, a, na, out) &&
	    !call_number(x, c, a, na, out))
		logql_tmpl_call_time(x, c, a, out);
	logql_tmpl_nul(&out->b);
}
