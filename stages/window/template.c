/* template.c - alert label/annotation templates (see template.h). */
#include "stages/window/template.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tmpl_format_value(double v, char *out, size_t outlen)
{
	if (isnan(v)) {
		snprintf(out, outlen, "NaN");
		return;
	}
	if (isinf(v)) {
		snprintf(out, outlen, v > 0 ? "+Inf" : "-Inf");
		return;
	}
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(out, outlen, "%.*g", prec, v);
		if (strtod(out, NULL) == v)
			return;
	}
}

static void humanize(double v, char *out, size_t outlen)
{
	static const char *const big[] = { "", "k", "M", "G", "T", "P", "E" };
	static const char *const small[] = { "", "m", "u", "n", "p" };
	int i = 0;
	if (v == 0 || isnan(v) || isinf(v)) {
		tmpl_format_value(v, out, outlen);
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

static bool word_is(const char *p, size_t n, const char *w)
{
	return n == strlen(w) && memcmp(p, w, n) == 0;
}

/* One action between the braces, trimmed. Returns false if unknown. */
static bool expand_action(const char *p, size_t n, tmpl_label_fn lookup, void *ctx,
			  double value, struct ward_buf *out)
{
	char num[64];
	if (word_is(p, n, "$value") || word_is(p, n, ".Value")) {
		tmpl_format_value(value, num, sizeof num);
		buf_append_str(out, num);
		return true;
	}
	if (word_is(p, n, "humanize $value") || word_is(p, n, "humanize .Value")) {
		humanize(value, num, sizeof num);
		buf_append_str(out, num);
		return true;
	}
	size_t plen = 0;
	if (n > 8 && memcmp(p, "$labels.", 8) == 0)
		plen = 8;
	else if (n > 8 && memcmp(p, ".Labels.", 8) == 0)
		plen = 8;
	if (!plen)
		return false;
	for (size_t i = plen; i < n; i++) {
		char c = p[i];
		if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (i > plen && c >= '0' && c <= '9')))
			return false;
	}
	size_t vlen = 0;
	const char *v = lookup ? lookup(ctx, p + plen, n - plen, &vlen) : NULL;
	if (v)
		buf_append(out, v, vlen);
	return true;
}

unsigned tmpl_expand(const char *tmpl, size_t n, tmpl_label_fn lookup, void *ctx,
		     double value, struct ward_buf *out)
{
	unsigned unknown = 0;
	size_t i = 0;
	while (i < n) {
		const char *open = memmem(tmpl + i, n - i, "{{", 2);
		if (!open) {
			buf_append(out, tmpl + i, n - i);
			break;
		}
		size_t o = (size_t)(open - tmpl);
		buf_append(out, tmpl + i, o - i);
		const char *close = memmem(tmpl + o + 2, n - o - 2, "}}", 2);
		if (!close) {
			buf_append(out, tmpl + o, n - o);
			unknown++;
			break;
		}
		size_t c = (size_t)(close - tmpl);
		size_t a = o + 2, b = c;
		while (a < b && (tmpl[a] == ' ' || tmpl[a] == '\t' || tmpl[a] == '-'))
			a++;
		while (b > a && (tmpl[b - 1] == ' ' || tmpl[b - 1] == '\t' || tmpl[b - 1] == '-'))
			b--;
		if (!expand_action(tmpl + a, b - a, lookup, ctx, value, out)) {
			buf_append(out, tmpl + o, c + 2 - o);
			unknown++;
		}
		i = c + 2;
	}
	if (!out->data)
		buf_append(out, "", 0);
	return unknown;
}
