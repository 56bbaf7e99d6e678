/* f2b_filter.c - fail2ban filters over ward events (see f2b_filter.h). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <ctype.h>
#include <dirent.h>
#include <pcre2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "exitcodes.h"
#include "ipaddr.h"
#include "litscan.h"
#include "logql_req.h"
#include "log.h"
#include "stage.h"
#include "wtime.h"
#include "stages/match/f2b_date.h"
#include "stages/match/f2b_filter.h"
#include "stages/match/f2b_mlfid.h"
#include "stages/match/f2b_regex.h"

#define F2B_FILTER_DIR "/etc/fail2ban/filter.d"

struct rx {
	pcre2_code *re;
	char *src;	/* the PCRE2 pattern, for --explain */
	char lit[64];	/* a string every match contains ("" if none known) */
	size_t litlen;
};

struct f2b_filter {
	char *name;
	char *rule;	/* "f2b:NAME" */
	struct rx pref;
	struct rx *fail;
	size_t nfail;
	struct rx *ignore;
	size_t nignore;
	struct f2b_date *date;
	pcre2_match_data *md, *md2;
	pcre2_match_context *mctx;
	struct ward_buf buf, content;
	struct f2b_fail cur;
	struct f2b_mlf mlf;
	long maxlines;
	int64_t last_ts;	/* the last date found, for lines with an empty one */
	bool eager_ts;	/* the date may be empty: read every line's time for last_ts */
	char **lines;	/* multi-line buffer: dated-out lines, oldest first */
	unsigned char *lit_in;	/* lit_in[i]: lines[i] holds a failregex's literal */
	bool ml_gate;	/* every failregex has a one-line literal, no prefregex */
	size_t nlines;
	struct ward_buf mbuf;
	uint64_t hits;
	uint64_t limit_hits;	/* matches stopped by --match-limit */
	/* the failregexes' own literals (rx.lit) in one scan of the buffer
	 * they search, instead of one memmem each (NULL: memmem) */
	struct litscan *fscan;
	struct litscan_scratch *fscratch;
	uint64_t fseen;	/* bit i: failregex i's literal is in the buffer */
};

static int compile_one(const char *pyre, bool use_dns, bool multiline, struct rx *out, char *why, size_t whylen)
{
	struct ward_buf exp = WARD_BUF_INIT, pc = WARD_BUF_INIT;
	f2b_expand_tags(pyre, use_dns, &exp);
	int rc = -1;
	if (f2b_py2pcre(buf_cstr(&exp), &pc, why, whylen) == 0) {
		int ec;
		PCRE2_SIZE eo;
		out->re = pcre2_compile((PCRE2_SPTR)buf_cstr(&pc), pc.len,
					PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF | (multiline ? PCRE2_MULTILINE : 0), &ec,
					&eo, NULL);
		if (!out->re) {
			PCRE2_UCHAR msg[160];
			pcre2_get_error_message(ec, msg, sizeof(msg));
			snprintf(why, whylen, "%s at offset %zu of the translated pattern", (char *)msg, (size_t)eo);
		} else {
			pcre2_jit_compile(out->re, PCRE2_JIT_COMPLETE);
			out->src = ward_xstrdup(buf_cstr(&pc));
			out->litlen = f2b_required_literal(out->src, out->lit, sizeof(out->lit));
			rc = 0;
		}
	}
	buf_free(&exp);
	buf_free(&pc);
	return rc;
}

static bool has_group(const pcre2_code *re, const char *name)
{
	return re && pcre2_substring_number_from_name(re, (PCRE2_SPTR)name) > 0;
}

static bool has_id_group(const pcre2_code *re)
{
	static const char *const ids[] = { "fid", "ip4", "ip6", "dns", "mlfid" };
	for (size_t i = 0; i < 5; i++)
		if (has_group(re, ids[i]))
			return true;
	return false;
}

/* fscan over the failregexes that have a literal, when there are enough
 * of them for one scan to beat a memmem each. */
static void fail_scan_build(struct f2b_filter *f)
{
	const char *lits[64];
	size_t lens[64];
	bool icase[64] = { false };
	unsigned ids[64];
	size_t n = 0;
	if (f->nfail > 64)
		return;
	for (size_t i = 0; i < f->nfail; i++)
		if (f->fail[i].litlen) {
			lits[n] = f->fail[i].lit;
			lens[n] = f->fail[i].litlen;
			ids[n++] = (unsigned)i;
		}
	if (n < 4)
		return;
	f->fscan = litscan_build(lits, lens, icase, ids, n);
	if (f->fscan && litscan_scratch_for(f->fscan, &f->fscratch) != 0) {
		litscan_free(f->fscan);
		f->fscan = NULL;
	}
}

static bool date_may_be_empty(const char *dp);

struct f2b_filter *f2b_filter_new(const struct f2b_def *d, uint32_t match_limit, struct f2b_set *share, char *err,
				  size_t errlen)
{
	char why[300];
	if (d->nfail == 0) {
		snprintf(err, errlen, "%s: no failregex", d->nfiles ? d->files[0] : d->name);
		return NULL;
	}
	if (d->maxlines > 1000) {
		snprintf(err, errlen, "%s: maxlines = %ld: more than 1000 lines are not supported",
			 d->nfiles ? d->files[0] : d->name, d->maxlines);
		return NULL;
	}
	struct f2b_filter *f = ward_xcalloc(1, sizeof(*f));
	f->name = ward_xstrdup(d->name);
	f->maxlines = d->maxlines;
	f->last_ts = WARD_TS_NONE;
	f->lines = ward_xcalloc((size_t)d->maxlines + 1, sizeof(*f->lines));
	f->lit_in = ward_xcalloc((size_t)d->maxlines + 1, 1);
	size_t rl = strlen(d->name) + 5;
	f->rule = ward_xmalloc(rl);
	snprintf(f->rule, rl, "f2b:%s", d->name);
	bool use_dns = !(d->usedns && strcmp(d->usedns, "no") == 0);
	if (d->prefregex && compile_one(d->prefregex, use_dns, false, &f->pref, why, sizeof(why)) != 0) {
		snprintf(err, errlen, "%s:%u: prefregex: %s", d->pref.file, d->pref.line, why);
		goto fail;
	}
	f->fail = ward_xcalloc(d->nfail, sizeof(*f->fail));
	for (size_t i = 0; i < d->nfail; i++, f->nfail++) {
		if (compile_one(d->fail[i].re, use_dns, d->maxlines > 1, &f->fail[i], why, sizeof(why)) != 0) {
			snprintf(err, errlen, "%s:%u: failregex %zu: %s", d->fail[i].file, d->fail[i].line, i + 1, why);
			goto fail;
		}
		if (!has_id_group(f->fail[i].re) && !has_id_group(f->pref.re)) {
			snprintf(err, errlen, "%s:%u: failregex %zu: no failure-id group (<HOST>, <F-ID>...)",
				 d->fail[i].file, d->fail[i].line, i + 1);
			f->nfail++;
			goto fail;
		}
	}
	f->ignore = ward_xcalloc(d->nignore + 1, sizeof(*f->ignore));
	for (size_t i = 0; i < d->nignore; i++, f->nignore++)
		if (compile_one(d->ignore[i].re, use_dns, false, &f->ignore[i], why, sizeof(why)) != 0) {
			snprintf(err, errlen, "%s:%u: ignoreregex %zu: %s", d->ignore[i].file, d->ignore[i].line, i + 1,
				 why);
			goto fail;
		}
	const char *dp = d->datepattern ? d->datepattern : "";
	for (size_t k = 0; share && k < share->ndates && !f->date; k++)
		if (strcmp(f2b_date_pattern(share->dates[k]), dp) == 0)
			f->date = f2b_date_ref(share->dates[k]);
	if (!f->date) {
		f->date = f2b_date_new(d->datepattern, why, sizeof(why));
		if (!f->date) {
			snprintf(err, errlen, "%s: %s", d->nfiles ? d->files[0] : d->name, why);
			goto fail;
		}
		if (share) {
			share->dates = ward_xrealloc(share->dates, (share->ndates + 1) * sizeof(*share->dates));
			share->dates[share->ndates++] = f2b_date_ref(f->date);
		}
	}
	f->eager_ts = date_may_be_empty(f2b_date_pattern(f->date));
	f->ml_gate = f->maxlines > 1 && !f->pref.re;
	for (size_t i = 0; i < f->nfail; i++)
		if (!f->fail[i].litlen || memchr(f->fail[i].lit, '\n', f->fail[i].litlen))
			f->ml_gate = false;
	fail_scan_build(f);
	f->md = pcre2_match_data_create(256, NULL);
	f->md2 = pcre2_match_data_create(256, NULL);
	f->mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(f->mctx, match_limit);
	return f;
fail:
	f2b_filter_free(f);
	return NULL;
}

static void rx_free(struct rx *r)
{
	pcre2_code_free(r->re);
	free(r->src);
}

void f2b_filter_free(struct f2b_filter *f)
{
	if (!f)
		return;
	rx_free(&f->pref);
	for (size_t i = 0; i < f->nfail; i++)
		rx_free(&f->fail[i]);
	for (size_t i = 0; i < f->nignore; i++)
		rx_free(&f->ignore[i]);
	free(f->fail);
	free(f->ignore);
	f2b_date_free(f->date);
	litscan_free(f->fscan);
	litscan_scratch_free(f->fscratch);
	pcre2_match_data_free(f->md);
	pcre2_match_data_free(f->md2);
	pcre2_match_context_free(f->mctx);
	buf_free(&f->buf);
	buf_free(&f->content);
	f2b_fail_free(&f->cur);
	f2b_mlf_free(&f->mlf);
	for (size_t i = 0; i < f->nlines; i++)
		free(f->lines[i]);
	free(f->lines);
	free(f->lit_in);
	buf_free(&f->mbuf);
	free(f->name);
	free(f->rule);
	free(f);
}

const char *f2b_filter_name(const struct f2b_filter *f)
{
	return f->name;
}

static bool match_rx(struct f2b_filter *f, const struct rx *r, const char *s, size_t n, pcre2_match_data *md);

static bool search(struct f2b_filter *f, const struct rx *r, const char *s, size_t n, pcre2_match_data *md)
{
	if (r->litlen && !memmem(s, n, r->lit, r->litlen))
		return false;	/* the prefilter: a string every match needs is absent */
	return match_rx(f, r, s, n, md);
}

static void on_fail_lit(unsigned id, void *ud)
{
	*(uint64_t *)ud |= (uint64_t)1 << id;
}

/* Failregex i in the buffer s: its literal known present (fseen) or absent
 * from the one scan, else memmem as search does. */
static bool search_fail(struct f2b_filter *f, size_t i, const char *s, size_t n)
{
	const struct rx *r = &f->fail[i];
	if (f->fscan && r->litlen)
		return (f->fseen >> i & 1) && match_rx(f, r, s, n, f->md);
	return search(f, r, s, n, f->md);
}

static bool match_rx(struct f2b_filter *f, const struct rx *r, const char *s, size_t n, pcre2_match_data *md)
{
	int rc = pcre2_match(r->re, (PCRE2_SPTR)s, n, 0, 0, md, f->mctx);
	if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT)
		f->limit_hits++;	/* counted as no match, reported at exit */
	return rc > 0;
}

/* Named groups of a match, in group order; value NULL when unset. */
typedef void (*group_fn)(void *ud, const char *name, const char *v, size_t n);
static void each_group(const pcre2_code *re, pcre2_match_data *md, const char *s, group_fn fn, void *ud)
{
	uint32_t count, esz;
	PCRE2_SPTR table;
	pcre2_pattern_info(re, PCRE2_INFO_NAMECOUNT, &count);
	pcre2_pattern_info(re, PCRE2_INFO_NAMEENTRYSIZE, &esz);
	pcre2_pattern_info(re, PCRE2_INFO_NAMETABLE, &table);
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
	uint32_t oc = pcre2_get_ovector_count(md);
	for (uint32_t i = 0; i < count; i++) {
		PCRE2_SPTR e = table + i * esz;
		uint32_t g = ((uint32_t)e[0] << 8) | e[1];
		const char *name = (const char *)e + 2;
		if (g < oc && ov[2 * g] != PCRE2_UNSET)
			fn(ud, name, s + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
		else
			fn(ud, name, NULL, 0);
	}
}


/* ---- multi-line buffer (maxlines > 1) ---------------------------------------- */

/* Does s hold the literal of a failregex (ml_gate: a match needs one in
 * one of the buffer's lines)? */
static bool holds_fail_lit(const struct f2b_filter *f, const char *s, size_t n)
{
	for (size_t k = 0; k < f->nfail; k++)
		if (memmem(s, n, f->fail[k].lit, f->fail[k].litlen))
			return true;
	return false;
}

static void ml_push(struct f2b_filter *f, const char *s, size_t n)
{
	if (f->nlines == (size_t)f->maxlines) {
		free(f->lines[0]);
		memmove(f->lines, f->lines + 1, (f->nlines - 1) * sizeof(*f->lines));
		memmove(f->lit_in, f->lit_in + 1, f->nlines - 1);
		f->nlines--;
	}
	f->lit_in[f->nlines] = f->ml_gate && holds_fail_lit(f, s, n);
	f->lines[f->nlines++] = ward_xstrndup(s, n);
}

/* Can a failregex match the buffer? Not when ml_gate and no line holds a
 * literal of one (a literal without "\n" lies within one line). */
static bool ml_may_match(const struct f2b_filter *f)
{
	if (!f->ml_gate)
		return true;
	for (size_t i = 0; i < f->nlines; i++)
		if (f->lit_in[i])
			return true;
	return false;
}

/* lit_in again after the lines changed (a match took some out). */
static void ml_relit(struct f2b_filter *f)
{
	for (size_t i = 0; i < f->nlines; i++)
		f->lit_in[i] = f->ml_gate && holds_fail_lit(f, f->lines[i], strlen(f->lines[i]));
}

/* Regex._tupleLinesBuf: lines joined by "\n", plus a final "\n". */
static void ml_join(char *const *lines, size_t a, size_t b, struct ward_buf *out)
{
	buf_reset(out);
	for (size_t i = a; i < b; i++) {
		if (i > a)
			buf_append_char(out, '\n');
		buf_append_str(out, lines[i]);
	}
	buf_append_char(out, '\n');
}

static size_t count_nl(const char *s, size_t a, size_t b)
{
	size_t n = 0;
	for (size_t i = a; i < b; i++)
		n += s[i] == '\n';
	return n;
}

/* After a match in the joined buffer s: the buffer keeps the lines before
 * the match, the lines a <SKIPLINES> group took, and the lines after it
 * (Regex.search's unmatched tuple lines). [*ma, *mb) are the matched ones
 * before that (for ignoreregex). */
static void ml_after_match(struct f2b_filter *f, const struct rx *r, const char *s, size_t slen,
			   size_t *ma, size_t *mb, struct ward_buf *matched)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(f->md);
	size_t st = ov[0], en = ov[1];
	size_t lc1 = count_nl(s, 0, st);
	size_t e2 = en ? en - 1 : 0;
	while (e2 < slen && s[e2] != '\n')
		e2++;
	size_t lc2 = count_nl(s, 0, e2 < slen ? e2 + 1 : slen);
	if (lc2 > f->nlines)
		lc2 = f->nlines;
	if (lc1 > lc2)
		lc1 = lc2;
	*ma = lc1;
	*mb = lc2;
	/* matched lines minus skipped ones */
	bool *skip = ward_xcalloc(f->nlines + 1, sizeof(*skip));
	char **keep = ward_xcalloc(f->nlines + 1, sizeof(*keep));
	size_t nkeep = 0;
	for (int k = 0;; k++) {
		char name[32];
		snprintf(name, sizeof(name), "skiplines%d", k);
		int g = pcre2_substring_number_from_name(r->re, (PCRE2_SPTR)name);
		if (g <= 0)
			break;
		if (ov[2 * g] == PCRE2_UNSET)
			continue;
		const char *p = s + ov[2 * g], *end = s + ov[2 * g + 1];
		size_t from = lc1;
		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
			for (size_t i = from; i < lc2; i++)
				if (!skip[i] && strlen(f->lines[i]) == n && memcmp(f->lines[i], p, n) == 0) {
					skip[i] = true;
					from = i;
					break;
				}
			p += n + (nl != NULL);
		}
	}
	buf_reset(matched);
	bool first = true;
	for (size_t i = lc1; i < lc2; i++)
		if (!skip[i]) {
			if (!first)
				buf_append_char(matched, '\n');
			buf_append_str(matched, f->lines[i]);
			first = false;
		}
	buf_append_char(matched, '\n');
	for (size_t i = 0; i < lc1; i++)
		keep[nkeep++] = f->lines[i];
	for (size_t i = lc1; i < lc2; i++)
		if (skip[i])
			keep[nkeep++] = f->lines[i];
		else
			free(f->lines[i]);
	for (size_t i = lc2; i < f->nlines; i++)
		keep[nkeep++] = f->lines[i];
	memcpy(f->lines, keep, nkeep * sizeof(*keep));
	f->nlines = nkeep;
	ml_relit(f);
	free(keep);
	free(skip);
}

static void collect(void *ud, const char *name, const char *v, size_t n)
{
	if (strcmp(name, "_sep") != 0)
		f2b_fail_set(ud, name, v, n);	/* a later regex's None overrides too (dict.update) */
}

static bool internal_group(const char *name)
{
	static const char *const skip[] = { "ip4", "ip6", "dns", "cidr", "content", "mlfid", "nofail",
					    "mlfforget", "mlfgained", "mlfpending", "fid" };
	if (strncmp(name, "skiplines", 9) == 0 || strncmp(name, "__", 2) == 0)
		return true;
	for (size_t i = 0; i < sizeof(skip) / sizeof(*skip); i++)
		if (strcmp(name, skip[i]) == 0)
			return true;
	return strncmp(name, "alt_", 4) == 0 || strncmp(name, "tuple_", 6) == 0;
}

/* alt_NAME[_N] fills NAME when NAME is empty (_getGroupsWithAlt). */
static void fill_alt(struct f2b_fail *g)
{
	for (size_t k = 0; k < g->n; k++) {
		if (strncmp(g->v[k].name, "alt_", 4) != 0 || !g->v[k].val || !*g->v[k].val)
			continue;
		char base[64];
		snprintf(base, sizeof(base), "%s", g->v[k].name + 4);
		char *us = strrchr(base, '_');
		if (us && us[1] >= '0' && us[1] <= '9')
			*us = '\0';
		if (!f2b_fail_true(g, base)) {
			char *v = ward_xstrdup(g->v[k].val);
			f2b_fail_set(g, base, v, strlen(v));	/* may move g->v */
			free(v);
		}
	}
}

int f2b_filter_event(struct f2b_filter *f, const struct ward_event *ev, struct ward_event *out)
{
	const char *line = ev->line ? ev->line : "";
	size_t len = ev->line_len;
	/* 1. the date out of the line */
	size_t ds = 0, de = 0;
	int64_t ts = WARD_TS_NONE;
	int64_t ref = ev->ts_ns != WARD_TS_NONE ? ev->ts_ns : time_now_ns();
	/* The time is read here only when a later line may need it (an empty
	 * date takes the last one); else once a failure is found (below):
	 * reading it costs as much as finding the date. */
	bool dated = f->eager_ts ? f2b_date_find(f->date, line, len, ref, &ds, &de, &ts)
				 : f2b_date_span(f->date, line, len, ref, &ds, &de);
	if (dated && ds == de)
		ts = f->last_ts;	/* an empty date (`^I\(()**`): the last one seen */
	else if (dated && ts != WARD_TS_NONE)
		f->last_ts = ts;
	buf_reset(&f->buf);
	if (dated) {
		buf_append(&f->buf, line, ds);
		buf_append(&f->buf, line + de, len - de);
	} else {
		buf_append(&f->buf, line, len);
	}
	if (f->maxlines > 1) {
		ml_push(f, f->buf.data ? f->buf.data : "", f->buf.len);
		if (!ml_may_match(f))
			return 0;	/* nothing else changes state without a match */
		ml_join(f->lines, 0, f->nlines, &f->buf);
	} else {
		buf_append_char(&f->buf, '\n');
	}
	const char *buf = f->buf.data;
	size_t blen = f->buf.len;
	/* fail2ban checks the ignoreregexes first when there are few of them */
	if (f->nignore && f->nignore + 2 < f->nfail)
		for (size_t k = 0; k < f->nignore; k++)
			if (search(f, &f->ignore[k], buf, blen, f->md2))
				return 0;
	/* 2. prefregex */
	struct f2b_fail *cur = &f->cur;
	f2b_fail_reset(cur);
	const char *fbuf = buf;
	size_t fblen = blen;
	if (f->pref.re) {
		if (!search(f, &f->pref, buf, blen, f->md2))
			return 0;
		each_group(f->pref.re, f->md2, buf, collect, cur);
		const char *c = f2b_fail_get(cur, "content");
		if (c && *c) {
			if (f->maxlines > 1) {
				for (size_t k = 0; k < f->nlines; k++)
					free(f->lines[k]);
				f->lines[0] = ward_xstrdup(c);
				f->nlines = 1;
				ml_relit(f);
			}
			buf_reset(&f->content);
			buf_append_str(&f->content, c);
			buf_append_char(&f->content, '\n');
			fbuf = f->content.data;
			fblen = f->content.len;
		}
	}
	/* 3. failregexes, then ignoreregexes on the dated-out line */
	size_t i;
	if (f->fscan) {
		f->fseen = 0;
		if (litscan_scan(f->fscan, f->fscratch, fbuf, fblen, on_fail_lit, &f->fseen) != 0)
			f->fseen = ~(uint64_t)0;	/* a scan error: match them all */
	}
	for (i = 0; i < f->nfail; i++)
		if (search_fail(f, i, fbuf, fblen))
			break;
	if (i == f->nfail)
		return 0;
	if (f->maxlines > 1) {
		/* the groups first: the buffer they point into changes below */
		struct ward_buf keep = WARD_BUF_INIT;
		buf_append(&keep, fbuf, fblen);
		each_group(f->fail[i].re, f->md, keep.data, collect, cur);
		size_t ma, mb;
		ml_after_match(f, &f->fail[i], keep.data, keep.len, &ma, &mb, &f->mbuf);
		buf_free(&keep);
		for (size_t k = 0; k < f->nignore; k++)
			if (search(f, &f->ignore[k], f->mbuf.data, f->mbuf.len, f->md2))
				return 0;
	} else {
		for (size_t k = 0; k < f->nignore; k++)
			if (search(f, &f->ignore[k], buf, blen, f->md2))
				return 0;
		each_group(f->fail[i].re, f->md, fbuf, collect, cur);
	}
	f2b_fail_set(cur, "content", NULL, 0);
	fill_alt(cur);
	if (dated && !f->eager_ts && ds != de)	/* the time, from the detector's memo of this line */
		f2b_date_find(f->date, line, len, ref, &ds, &de, &ts);
	/* 4. connection state by mlfid, then the failure id */
	struct f2b_fail *fl = cur;
	const char *mlfid = f2b_fail_get(cur, "mlfid");
	if (mlfid) {
		char *key = ward_xstrdup(mlfid);
		fl = f2b_mlf_merge(&f->mlf, key, cur, ts != WARD_TS_NONE ? ts : ref);
		free(key);
		if (f2b_fail_true(fl, "nofail"))
			return 0;
	} else if (f2b_fail_true(fl, "nofail")) {
		return 0;
	}
	const char *ip = f2b_fail_get(fl, "ip4");
	if (!ip)
		ip = f2b_fail_get(fl, "ip6");
	const char *id = f2b_fail_get(fl, "fid");
	if (!id)
		id = ip;
	if (!id)
		id = f2b_fail_get(fl, "dns");
	if (!id) {
		if (mlfid)
			f2b_fail_set(fl, "mlfpending", "1", 1);	/* waits for an id on a later line */
		return 0;
	}
	f->hits++;
	event_copy(out, ev);
	event_set_rule(out, f->rule);
	if (ts != WARD_TS_NONE)
		out->ts_ns = ts;
	struct ward_ip addr;
	if (ip && ip_parse(ip, strlen(ip), &addr) == 0) {
		char txt[WARD_IP_STRLEN];
		ip_format(&addr, txt);
		event_set_field(out, "src_ip", txt, strlen(txt));
	}
	event_set_field(out, "f2b_id", id, strlen(id));
	for (size_t k = 0; k < fl->n; k++)
		if (fl->v[k].val && !internal_group(fl->v[k].name))
			event_set_field(out, fl->v[k].name, fl->v[k].val, strlen(fl->v[k].val));
	return 1;
}

/* ---- sets ------------------------------------------------------------------ */

static void set_add(struct f2b_set *s, struct f2b_filter *f)
{
	s->f = ward_xrealloc(s->f, (s->n + 1) * sizeof(*s->f));
	s->f[s->n++] = f;
}

static int load_one(struct f2b_set *s, const char *spec, bool quiet_empty, size_t *refused)
{
	struct f2b_def d;
	char err[1024];
	if (f2b_def_load(spec, &d, err, sizeof(err)) != 0) {
		log_warn("fail2ban filter refused: %s", err);
		(*refused)++;
		return 0;
	}
	if (d.nfail == 0 && quiet_empty) {
		f2b_def_free(&d);
		return 0;	/* an include-only file (common.conf, apache-common.conf) */
	}
	struct f2b_filter *f = f2b_filter_new(&d, s->match_limit, s, err, sizeof(err));
	f2b_def_free(&d);
	if (!f) {
		log_warn("fail2ban filter refused: %s", err);
		(*refused)++;
		return 0;
	}
	set_add(s, f);
	return 1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A bare filter name (`sshd`, `sshd[mode=ddos]`) that is no file here
 * names a filter of fail2ban's own directory, as a jail's `filter =` does. */
static char *resolve_name(const char *spec)
{
	char *path, *opts;
	struct stat st;
	if (strchr(spec, '/') || f2b_spec_split(spec, &path, &opts) != 0)
		return NULL;
	char *r = NULL;
	if (stat(path, &st) != 0) {
		struct ward_buf b = WARD_BUF_INIT;
		size_t n = strlen(path);
		buf_printf(&b, "%s/%s%s", F2B_FILTER_DIR, path, n > 5 && strcmp(path + n - 5, ".conf") == 0 ? "" : ".conf");
		if (stat(buf_cstr(&b), &st) == 0) {
			if (opts)
				buf_printf(&b, "[%s]", opts);
			r = ward_xstrdup(buf_cstr(&b));
		}
		buf_free(&b);
	}
	free(path);
	free(opts);
	return r;
}

size_t f2b_set_load(struct f2b_set *s, const char *spec, size_t *refused)
{
	struct stat st;
	size_t loaded = 0;
	char *resolved = resolve_name(spec);
	if (resolved) {
		loaded = (size_t)load_one(s, resolved, false, refused);
		free(resolved);
		return loaded;
	}
	if (!strchr(spec, '[') && stat(spec, &st) == 0 && S_ISDIR(st.st_mode)) {
		DIR *dir = opendir(spec);
		if (!dir) {
			log_warn("fail2ban filters: %s: cannot read the directory", spec);
			(*refused)++;
			return 0;
		}
		char **names = NULL;
		size_t nn = 0;
		for (struct dirent *de; (de = readdir(dir)) != NULL;) {
			size_t l = strlen(de->d_name);
			if (l > 5 && strcmp(de->d_name + l - 5, ".conf") == 0 && de->d_name[0] != '.') {
				names = ward_xrealloc(names, (nn + 1) * sizeof(*names));
				names[nn++] = ward_xstrdup(de->d_name);
			}
		}
		closedir(dir);
		qsort(names, nn, sizeof(*names), cmp_str);
		for (size_t i = 0; i < nn; i++) {
			struct ward_buf p = WARD_BUF_INIT;
			buf_printf(&p, "%s/%s", spec, names[i]);
			loaded += (size_t)load_one(s, buf_cstr(&p), true, refused);
			buf_free(&p);
			free(names[i]);
		}
		free(names);
		return loaded;
	}
	return (size_t)load_one(s, spec, false, refused);
}


/* ---- the set's prefilter ---------------------------------------------------- */

/* One Vectorscan literal scan of the raw line says which filters can
 * produce anything for it. A filter's gate is a list of literals a line
 * must contain (any one of them) for the filter to report or to change its
 * state:
 *   - its prefregex's required literals (lq_regex_required: alternatives
 *     and (?i) understood), when it has some: no failure without it;
 *   - else the union over its failregexes of each one's required literals
 *     (lq_regex_required, else the top-level literal of
 *     f2b_required_literal); one failregex without any makes the filter
 *     ungated (run on every line).
 * Ungated too, because a line that matches nothing still changes them:
 * maxlines > 1 filters (every line enters the buffer) and filters whose
 * datepattern can find an empty date (`()`: such a line takes the date of
 * the last one, which every dated line sets: date_may_be_empty). <F-MLFID> state, the
 * ignoreregexes and the date memo change only on lines a failregex
 * matches, so skipping the others changes nothing. A literal holding "\n"
 * is not used (the regexes see the line plus a final "\n" the raw line
 * lacks). Literals are searched in the raw line; the regexes search it
 * with its date cut out, where a literal can occur across the cut (text
 * before the date joined to text after it: apache-pass's `[] "GET`), so a
 * filter whose date is cut from inside the line has the cut line scanned
 * too (f2b_set_event). */
struct gate_lits {
	char **lit;
	size_t *len;
	bool *icase;
	unsigned *id;	/* the filter's index */
	size_t n;
};

static void gate_add(struct gate_lits *g, const char *s, size_t n, bool icase, unsigned filter)
{
	g->lit = ward_xrealloc(g->lit, (g->n + 1) * sizeof(*g->lit));
	g->len = ward_xrealloc(g->len, (g->n + 1) * sizeof(*g->len));
	g->icase = ward_xrealloc(g->icase, (g->n + 1) * sizeof(*g->icase));
	g->id = ward_xrealloc(g->id, (g->n + 1) * sizeof(*g->id));
	g->lit[g->n] = ward_xstrndup(s, n);
	g->len[g->n] = n;
	g->icase[g->n] = icase;
	g->id[g->n] = filter;
	g->n++;
}

/* The end (index after ')') of the group opening at re[i], or 0. */
static size_t group_end(const char *re, size_t n, size_t i)
{
	int depth = 0;
	for (size_t k = i; k < n; k++) {
		if (re[k] == '\\') {
			k++;
		} else if (re[k] == '[') {	/* a set: ']' first is literal */
			k++;
			if (k < n && re[k] == '^')
				k++;
			if (k < n && re[k] == ']')
				k++;
			while (k < n && re[k] != ']')
				k += re[k] == '\\' ? 2 : 1;
			if (k >= n)
				return 0;
		} else if (re[k] == '(') {
			depth++;
		} else if (re[k] == ')' && --depth == 0) {
			return k + 1;
		}
	}
	return 0;
}

static size_t req_min_len(const struct lq_req *q)
{
	size_t m = SIZE_MAX;
	for (size_t k = 0; k < q->n; k++)
		if (q->len[k] < m)
			m = q->len[k];
	return q->n ? m : 0;
}

/* The required literals of re[0..n) (lq_regex_required), else those of a
 * group every match passes through once: a top-level group with no
 * quantifier after it, in a pattern without a top-level `|`, that is not a
 * lookaround or a condition (`(?:NOTICE|SECURITY|WARNING)` in asterisk's
 * prefregex, `(?P<nofail>Connection from)` in sshd's), its content
 * analysed the same way (depth levels at most). The caller has refused
 * inline flags, so no group is caseless where lq_regex_required cannot
 * see it. Returns out->n. */
static size_t required_deep(const char *re, size_t n, struct lq_req *out, int depth)
{
	if (lq_regex_required(re, n, 3, out) || depth == 0)
		return out->n;
	struct lq_req best = { 0 }, cur = { 0 };
	for (size_t i = 0; i < n; i++) {
		char c = re[i];
		if (c == '\\') {
			i++;
		} else if (c == '|') {
			best.n = 0;	/* a top-level alternation: no group is required */
			break;
		} else if (c == '[') {
			size_t k = i + 1;
			if (k < n && re[k] == '^')
				k++;
			if (k < n && re[k] == ']')
				k++;
			while (k < n && re[k] != ']')
				k += re[k] == '\\' ? 2 : 1;
			if (k >= n) {
				best.n = 0;
				break;
			}
			i = k;
		} else if (c == '(') {
			size_t e = group_end(re, n, i);
			if (!e) {
				best.n = 0;
				break;
			}
			size_t body = i + 1;
			bool ok = true;
			if (body < n && re[body] == '?') {
				if (body + 1 < n && (re[body + 1] == ':' || re[body + 1] == '>'))
					body += 2;
				else if (body + 2 < n && re[body + 1] == 'P' && re[body + 2] == '<')
					body = (size_t)((const char *)memchr(re + body, '>', e - body) - re) + 1;
				else
					ok = false;	/* lookaround, condition, back reference */
			}
			bool quant = e < n && strchr("?*+{", re[e]);
			if (ok && !quant && required_deep(re + body, e - 1 - body, &cur, depth - 1) &&
			    req_min_len(&cur) > req_min_len(&best)) {
				struct lq_req tmp = best;	/* swap: cur's buffer is reused */
				best = cur;
				cur = tmp;
			}
			i = e - 1;
		}
	}
	buf_free(&cur.text);
	if (best.n) {
		buf_free(&out->text);
		*out = best;
	} else {
		buf_free(&best.text);
	}
	return out->n;
}

/* Inline flags anywhere ((?i), (?x), (?-i:...)): the deep analysis stops. */
static bool has_inline_flags(const char *re)
{
	for (const char *q = re; (q = strstr(q, "(?")) != NULL; q += 2)
		if ((isalpha((unsigned char)q[2]) && q[2] != 'P') || q[2] == '-' || q[2] == '^')
			return true;
	return false;
}

/* The literals of the regex src (or lit, the one f2b_required_literal found
 * in it) into g for filter fi; false if it has none usable. */
static bool src_gate(const char *src, const char *lit, size_t litlen, struct gate_lits *g, unsigned fi)
{
	struct lq_req req = { 0 };
	size_t n = lq_regex_required(src, strlen(src), 3, &req);
	if (n == 0 && !has_inline_flags(src))
		n = required_deep(src, strlen(src), &req, 4);
	bool ok = n > 0;
	for (size_t k = 0; ok && k < n; k++)
		if (memchr(req.text.data + req.off[k], '\n', req.len[k]))
			ok = false;
	if (ok) {
		for (size_t k = 0; k < n; k++)
			gate_add(g, req.text.data + req.off[k], req.len[k], req.icase, fi);
	} else if (litlen && !memchr(lit, '\n', litlen)) {
		gate_add(g, lit, litlen, false, fi);
		ok = true;
	}
	buf_free(&req.text);
	return ok;
}

/* re without what stops the literal analysis and cannot hold a required
 * literal outside itself: a group with scoped flags (`(?i:expn|vrfy)` in
 * sendmail-reject) becomes `(?:.)` (one unknown character: the literals
 * around it stay apart), an escaped space (`\ ` in stunnel) a space.
 * False when nothing changed. */
static bool without_scoped_flags(const char *re, struct ward_buf *out)
{
	size_t n = strlen(re);
	bool changed = false;
	buf_reset(out);
	for (size_t i = 0; i < n; i++) {
		if (re[i] == '\\' && i + 1 < n) {
			if (re[i + 1] == ' ') {
				buf_append_char(out, ' ');
				changed = true;
			} else {
				buf_append(out, re + i, 2);
			}
			i++;
			continue;
		}
		if (re[i] == '(' && i + 2 < n && re[i + 1] == '?' && (isalpha((unsigned char)re[i + 2]) || re[i + 2] == '-') &&
		    re[i + 2] != 'P') {
			size_t k = i + 2;
			while (k < n && (isalpha((unsigned char)re[k]) || re[k] == '-'))
				k++;
			size_t e = k < n && re[k] == ':' ? group_end(re, n, i) : 0;
			if (e) {
				buf_append_str(out, "(?:.)");
				changed = true;
				i = e - 1;
				continue;
			}
		}
		buf_append_char(out, re[i]);
	}
	return changed;
}

/* The literals of one regex into g (for filter fi); false if it has none
 * usable (the filter must then run on every line). */
static bool rx_gate(const struct rx *r, struct gate_lits *g, unsigned fi)
{
	if (src_gate(r->src, r->lit, r->litlen, g, fi))
		return true;
	struct ward_buf plain = WARD_BUF_INIT;
	bool ok = false;
	if (without_scoped_flags(r->src, &plain)) {
		char lit[64];
		size_t litlen = f2b_required_literal(buf_cstr(&plain), lit, sizeof(lit));
		ok = src_gate(buf_cstr(&plain), lit, litlen, g, fi);
	}
	buf_free(&plain);
	return ok;
}

/* Can the date span of this datepattern be empty (a line that then takes
 * the last date seen)? `()`, and `{DATE}` without a group of the pattern's
 * own around it: the span is then the first group of a default template,
 * which may match nothing (recidive's `^{DATE}` on a line without a date). */
static bool date_may_be_empty(const char *dp)
{
	if (strstr(dp, "()"))
		return true;
	for (const char *p = dp; (p = strstr(p, "{DATE}")) != NULL; p += 6) {
		const char *bol = p;
		while (bol > dp && bol[-1] != '\n')
			bol--;
		bool grouped = false;
		for (const char *q = bol; q < p; q++)
			if (*q == '(' && q[1] != '?' && (q == bol || q[-1] != '\\'))
				grouped = true;
		if (!grouped)
			return true;
	}
	return false;
}

/* Literal k's first (or last: tail) ceil(m/2) bytes as a witness of
 * filter g->id[k]. */
static void witness_add(struct f2b_set *s, struct gate_lits *g, size_t k, bool tail)
{
	size_t m = g->len[k], h = (m + 1) / 2;
	s->wit = ward_xrealloc(s->wit, (s->nwit + 1) * sizeof(*s->wit));
	struct f2b_witness *w = &s->wit[s->nwit++];
	w->filter = g->id[k];
	w->icase = g->icase[k];
	w->tail = tail;
	w->lit = ward_xstrndup(g->lit[k], m);
	w->len = m;
	gate_add(g, g->lit[k] + (tail ? m - h : 0), h, g->icase[k], g->id[k]);
}

static bool filter_gate(const struct f2b_filter *f, struct gate_lits *g, unsigned fi)
{
	if (f->maxlines > 1 || date_may_be_empty(f2b_date_pattern(f->date)))
		return false;
	size_t mark = g->n;
	if (f->pref.re && rx_gate(&f->pref, g, fi))
		return true;
	for (size_t i = 0; i < f->nfail; i++)
		if (!rx_gate(&f->fail[i], g, fi)) {
			while (g->n > mark) {	/* drop this filter's literals */
				g->n--;
				free(g->lit[g->n]);
			}
			return false;
		}
	return true;
}

void f2b_set_prepare(struct f2b_set *s)
{
	if (s->gate_ready)
		return;
	s->gate_ready = true;
	s->always = ward_xcalloc(s->n + 1, sizeof(*s->always));
	s->cand = ward_xcalloc(s->n + 1, sizeof(*s->cand));
	struct gate_lits g = { 0 };
	for (size_t i = 0; i < s->n; i++) {
		s->always[i] = !filter_gate(s->f[i], &g, (unsigned)i);
		s->ngated += !s->always[i];
	}
	s->nlits = g.n;
	/* Witnesses of a literal split by the cut-out date (f2b_set_event): a
	 * literal L (m bytes) that occurs in the cut line only across the cut
	 * leaves L[0..k) before the date and L[k..m) after it in the raw line,
	 * 0 < k < m; one of the two has at least h = ceil(m/2) bytes, so the
	 * raw line holds L's first h bytes or its last h bytes. These two are
	 * scanned with the literals; when one is found, the split points it
	 * allows are checked (both halves in the line: witnesses_check), as
	 * short witnesses such as apache-badbots' "HT" of "HTTP" are common
	 * and both halves together are not. */
	s->maybe = ward_xcalloc(s->n + 1, sizeof(*s->maybe));
	for (size_t k = 0, n0 = g.n; k < n0; k++)
		if (g.len[k] >= 2) {	/* one byte cannot be split */
			witness_add(s, &g, k, false);
			witness_add(s, &g, k, true);
		}
	s->wit_hit = ward_xcalloc(s->nwit + 1, sizeof(*s->wit_hit));
	if (g.n) {
		unsigned *ids = ward_xcalloc(g.n, sizeof(*ids));
		for (size_t k = 0; k < g.n; k++)
			ids[k] = (unsigned)k;
		s->lit_filter = g.id;
		g.id = NULL;
		s->scan = litscan_build((const char *const *)g.lit, g.len, g.icase, ids, g.n);
		free(ids);
		if (s->scan && litscan_scratch_for(s->scan, &s->scratch) != 0) {
			litscan_free(s->scan);
			s->scan = NULL;
		}
	}
	for (size_t k = 0; k < g.n; k++)
		free(g.lit[k]);
	free(g.lit);
	free(g.len);
	free(g.icase);
	free(g.id);
}

static void on_lit(unsigned id, void *ud)
{
	struct f2b_set *s = ud;
	if (id < s->nlits)
		s->cand[s->lit_filter[id]] = 1;
	else if (s->nhit < s->nwit)
		s->wit_hit[s->nhit++] = id - (unsigned)s->nlits;	/* a witness: checked after the scan */
}

/* memmem, ASCII letters without case when icase. */
static bool contains(const char *s, size_t n, const char *p, size_t m, bool icase)
{
	if (!icase)
		return memmem(s, n, p, m) != NULL;
	for (size_t i = 0; i + m <= n; i++)
		if (strncasecmp(s + i, p, m) == 0)
			return true;
	return false;
}

/* Can the literal of w occur split at some k that w's piece allows (the
 * line holding L[0..k) and L[k..m))? */
static bool split_possible(const struct f2b_witness *w, const char *line, size_t len)
{
	size_t m = w->len, h = (m + 1) / 2;
	size_t from = w->tail ? 1 : h, to = w->tail ? m - h : m - 1;	/* k in [from, to] */
	for (size_t k = from; k <= to; k++)
		if (contains(line, len, w->lit, k, w->icase) && contains(line, len, w->lit + k, m - k, w->icase))
			return true;
	return false;
}

/* The filters whose literal the raw line may hold across the date. */
static void witnesses_check(struct f2b_set *s, const char *line, size_t len)
{
	memset(s->maybe, 0, s->n);
	for (size_t h = 0; h < s->nhit; h++) {
		const struct f2b_witness *w = &s->wit[s->wit_hit[h]];
		if (!s->maybe[w->filter] && !s->cand[w->filter] && split_possible(w, line, len))
			s->maybe[w->filter] = 1;
	}
	s->nhit = 0;
}

int f2b_set_event(struct f2b_set *s, const struct ward_event *ev, struct ward_event *out,
		  int (*emit)(void *ud, struct ward_event *out), void *ud)
{
	bool all = s->no_prefilter || !s->scan;
	if (!all) {
		memcpy(s->cand, s->always, s->n);
		s->nhit = 0;
		if (litscan_scan(s->scan, s->scratch, ev->line, ev->line_len, on_lit, s) != 0)
			all = true;	/* a scan error: every filter */
		else
			witnesses_check(s, ev->line, ev->line_len);
	}
	int found = 0;
	const char *line = ev->line ? ev->line : "";
	int64_t ref = ev->ts_ns != WARD_TS_NONE ? ev->ts_ns : time_now_ns();
	size_t cut_s = 0, cut_e = 0;	/* the last cut rescanned */
	for (size_t i = 0; i < s->n; i++) {
		if (!all && !s->cand[i]) {
			if (!s->maybe[i])
				continue;	/* no literal, whole or split */
			/* The regexes see the line with its date cut out: a literal
			 * may occur only across the cut ("[] \"GET" in
			 * `1.2.3.4 - u [27/Jun/2013:11:55:44] "GET`). When this
			 * filter's date is cut from inside the line, the cut line is
			 * scanned too (once per distinct cut; the detector remembers
			 * its line, so filters sharing it search once). */
			size_t ds, de;
			if (!f2b_date_span(s->f[i]->date, line, ev->line_len, ref, &ds, &de) || ds == 0 || de <= ds)
				continue;
			if (ds != cut_s || de != cut_e) {
				cut_s = ds;
				cut_e = de;
				buf_reset(&s->cut);
				buf_append(&s->cut, line, ds);
				buf_append(&s->cut, line + de, ev->line_len - de);
				if (litscan_scan(s->scan, s->scratch, s->cut.data, s->cut.len, on_lit, s) != 0)
					memset(s->cand, 1, s->n);
				s->nhit = 0;	/* witnesses found here do not matter: the cut is made */
			}
			if (!s->cand[i])
				continue;
		}
		if (f2b_filter_event(s->f[i], ev, out) != 1)
			continue;
		found++;
		if (emit(ud, out) != 0)
			return -1;
	}
	return found;
}

void f2b_set_free(struct f2b_set *s)
{
	litscan_free(s->scan);
	litscan_scratch_free(s->scratch);
	free(s->always);
	free(s->cand);
	free(s->maybe);
	for (size_t k = 0; k < s->nwit; k++)
		free(s->wit[k].lit);
	free(s->wit);
	free(s->wit_hit);
	free(s->lit_filter);
	buf_free(&s->cut);
	for (size_t i = 0; i < s->n; i++)
		f2b_filter_free(s->f[i]);
	free(s->f);
	for (size_t i = 0; i < s->ndates; i++)
		f2b_date_free(s->dates[i]);
	free(s->dates);
	memset(s, 0, sizeof(*s));
}

/* ---- the stage ------------------------------------------------------------- */

struct run {
	struct f2b_set set;
	struct ward_event out;
	uint64_t matched;
};

static int emit_out(void *ud, struct ward_event *out)
{
	return stage_emit(ud, out);
}

static int on_event(void *ctx, struct ward_stage *st, struct ward_event *ev)
{
	struct run *r = ctx;
	int emitted = f2b_set_event(&r->set, ev, &r->out, emit_out, st);
	if (emitted < 0)
		return -1;
	if (!emitted)
		st->counters.dropped++;
	else
		r->matched++;
	return 0;
}

static void explain(const struct f2b_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct f2b_filter *f = s->f[i];
		printf("filter %s (rule %s)%s\n", f->name, f->rule,
		       s->always && s->always[i] ? ": runs on every line (no prefilter literal)" : "");
		if (f->pref.src)
			printf("  prefregex: %s\n", f->pref.src);
		for (size_t k = 0; k < f->nfail; k++)
			printf("  failregex %zu: %s%s%s%s\n", k + 1, f->fail[k].src, f->fail[k].litlen ? "\n    needs \"" : "",
			       f->fail[k].lit, f->fail[k].litlen ? "\"" : "");
		for (size_t k = 0; k < f->nignore; k++)
			printf("  ignoreregex %zu: %s\n", k + 1, f->ignore[k].src);
	}
}

int f2b_main(const struct ward_common_opts *common, const struct opt_list *specs, uint32_t match_limit,
	     bool do_explain)
{
	struct run r = { .set = { .match_limit = match_limit } };
	size_t refused = 0;
	for (size_t i = 0; i < specs->len; i++)
		f2b_set_load(&r.set, specs->items[i], &refused);
	if (r.set.n == 0) {
		log_error("fail2ban: no filter loaded (%zu refused)", refused);
		f2b_set_free(&r.set);
		return WARD_EX_CONFIG;
	}
	f2b_set_prepare(&r.set);
	log_info("fail2ban: %zu filters loaded, %zu refused; %zu gated by %zu prefilter literals", r.set.n, refused,
		 r.set.ngated, r.set.nlits);
	if (do_explain) {
		explain(&r.set);	/* after f2b_set_prepare: it says which filters are gated */
		f2b_set_free(&r.set);
		return WARD_EX_OK;
	}
	event_init(&r.out);
	struct ward_stage st;
	stage_init(&st, "match", common);
	const struct stage_hooks hooks = { .on_event = on_event };
	if (stage_open(&st, false) == 0)
		stage_run(&st, &hooks, &r);
	uint64_t limit_hits = 0;
	for (size_t i = 0; i < r.set.n; i++)
		limit_hits += r.set.f[i]->limit_hits;
	*counters_extra(&st.counters, "regex_limit_hits") = limit_hits;
	if (limit_hits)
		log_warn("%llu regex matches hit the PCRE2 match limit (--match-limit) and counted as no match",
			 (unsigned long long)limit_hits);
	int rc = stage_finish(&st);
	event_free(&r.out);
	f2b_set_free(&r.set);
	return rc;
}
