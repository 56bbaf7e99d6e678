/* logql_pattern.c - the pattern extractor and line filter: literals and
 * <name> / <_> captures (Loki's pattern parser). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logql_extract_int.h"

void logql_pattern_free(struct logql_pattern *p)
{
	for (size_t i = 0; i < p->nparts; i++) {
		free(p->parts[i].lit);
		free(p->parts[i].name);
	}
	free(p->parts);
	memset(p, 0, sizeof(*p));
}

static void pat_add(struct logql_pattern *p, const char *lit, size_t len, const char *name, size_t nlen)
{
	if (lit && p->nparts > 0 && p->parts[p->nparts - 1].lit) {	/* merge literals */
		struct logql_pattern_part *last = &p->parts[p->nparts - 1];
		last->lit = ward_xrealloc(last->lit, last->len + len + 1);
		memcpy(last->lit + last->len, lit, len);
		last->len += len;
		last->lit[last->len] = '\0';
		return;
	}
	p->parts = ward_xrealloc(p->parts, (p->nparts + 1) * sizeof(*p->parts));
	struct logql_pattern_part *pp = &p->parts[p->nparts++];
	memset(pp, 0, sizeof(*pp));
	if (lit) {
		pp->lit = ward_xstrndup(lit, len);
		pp->len = len;
	} else {
		pp->name = ward_xstrndup(name, nlen);
	}
}

/* <name> at s (s[0] == '<'): length of the capture token, or 0. */
static size_t capture_len(const char *s, size_t n)
{
	size_t i = 1;
	if (i >= n || !(isalpha((unsigned char)s[i]) || s[i] == '_'))
		return 0;
	while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '_'))
		i++;
	return i < n && s[i] == '>' ? i + 1 : 0;
}

int logql_pattern_compile(const char *src, size_t n, bool need_named, struct logql_pattern *p,
		       char *err, size_t errlen)
{
	memset(p, 0, sizeof(*p));
	size_t i = 0, lit_start = 0;
	while (i < n) {
		size_t cl = src[i] == '<' ? capture_len(src + i, n - i) : 0;
		if (cl == 0) {
			i++;
			continue;
		}
		if (i > lit_start)
			pat_add(p, src + lit_start, i - lit_start, NULL, 0);
		if (p->nparts > 0 && !p->parts[p->nparts - 1].lit) {
			snprintf(err, errlen, "pattern: consecutive captures at offset %zu", i);
			logql_pattern_free(p);
			return -1;
		}
		const char *name = src + i + 1;
		size_t nl = cl - 2;
		bool unnamed = nl == 1 && name[0] == '_';
		for (size_t k = 0; !unnamed && k < p->nparts; k++)
			if (p->parts[k].name && strlen(p->parts[k].name) == nl && !memcmp(p->parts[k].name, name, nl)) {
				snprintf(err, errlen, "pattern: duplicate capture <%.*s>", (int)nl, name);
				logql_pattern_free(p);
				return -1;
			}
		pat_add(p, NULL, 0, name, nl);
		if (!unnamed)
			p->ncaptures++;
		i += cl;
		lit_start = i;
	}
	if (i > lit_start)
		pat_add(p, src + lit_start, i - lit_start, NULL, 0);
	if (need_named && p->ncaptures == 0) {
		snprintf(err, errlen, "pattern: at least one named capture <name> is needed");
		logql_pattern_free(p);
		return -1;
	}
	if (p->nparts == 0) {
		snprintf(err, errlen, "pattern: empty");
		return -1;
	}
	return 0;
}

static bool is_unnamed(const struct logql_pattern_part *pp)
{
	return pp->name && pp->name[0] == '_' && pp->name[1] == '\0';
}

bool logql_pattern_extract(const struct logql_pattern *p, const char *s, size_t n, logql_emit_fn emit, void *ud)
{
	size_t k = 0;
	if (n == 0 || p->nparts == 0)
		return false;
	if (p->parts[0].lit) {
		if (n < p->parts[0].len || memcmp(s, p->parts[0].lit, p->parts[0].len) != 0)
			return false;
		s += p->parts[0].len;
		n -= p->parts[0].len;
		k = 1;
	}
	while (k < p->nparts) {
		const struct logql_pattern_part *cap = &p->parts[k];
		if (k + 1 == p->nparts) {	/* ends on a capture */
			if (!is_unnamed(cap))
				emit(ud, cap->name, strlen(cap->name), s, n);
			return true;
		}
		const struct logql_pattern_part *lit = &p->parts[k + 1];
		const char *hit = memmem(s, n, lit->lit, lit->len);
		if (!hit) {	/* Loki: the capture takes the rest */
			if (!is_unnamed(cap))
				emit(ud, cap->name, strlen(cap->name), s, n);
			return true;
		}
		if (!is_unnamed(cap))
			emit(ud, cap->name, strlen(cap->name), s, (size_t)(hit - s));
		size_t adv = (size_t)(hit - s) + lit->len;
		s += adv;
		n -= adv;
		k += 2;
	}
	return true;
}

bool logql_pattern_test(const struct logql_pattern *p, const char *s, size_t n)
{
	size_t off = 0;
	for (size_t k = 0; k < p->nparts; k++) {
		const struct logql_pattern_part *pp = &p->parts[k];
		if (!pp->lit)
			continue;
		const char *hit = memmem(s + off, n - off, pp->lit, pp->len);
		if (!hit)
			return false;
		size_t j = (size_t)(hit - (s + off));
		if (k == 0 && j != 0)
			return false;	/* a leading literal anchors the start */
		if (k > 0 && j == 0)
			return false;	/* a capture matches at least one byte */
		off += j + pp->len;
	}
	if (p->parts[p->nparts - 1].lit)
		return off == n;
	return off < n;
}

