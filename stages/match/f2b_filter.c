/* f2b_filter.c - fail2ban filters over ward events (see f2b_filter.h). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <ctype.h>
#include <pcre2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipaddr.h"
#include "litscan.h"
#include "wtime.h"
#include "stages/match/f2b_date.h"
#include "stages/match/f2b_filter.h"
#include "stages/match/f2b_mlbuf.h"
#include "stages/match/f2b_mlfid.h"
#include "stages/match/f2b_regex.h"
#include "stages/match/f2b_set.h"

struct rx {
	pcre2_code *re;
	char *src;	/* the PCRE2 pattern, for --explain */
	char lit[64];	/* a string every match contains ("" if none known) */
	size_t litlen;
	bool scanned;	/* a failregex whose literal fscan looks for */
};

#define F2B_PENDING 64

struct f2b_filter {
	char *name;
	char *rule;	/* "f2b:NAME" */
	struct rx pref;
	struct rx *fail;
	size_t nfail;
	struct rx *ignore;
	size_t nignore;
	struct f2b_date *date;
	pcre2_match_data *md, *md2, *md3;	/* failregex, prefregex, ignoreregex */
	int content_group;	/* the prefregex's <F-CONTENT> group number, or <= 0 */
	pcre2_match_context *mctx;
	struct ward_buf buf, content;
	struct f2b_fail cur;
	struct f2b_mlf mlf;
	long maxlines;
	int64_t last_ts;	/* the last date found, for lines with an empty one */
	bool eager_ts;	/* the date may be empty: last_ts must follow every line */
	/* dated lines since last_ts was settled, oldest first: their times are
	 * read only when an empty date needs last_ts, or PENDING lines wait
	 * (newest first: the first valid time settles it); lines refused by
	 * the set's gate (f2b_filter_skip) wait too, their dates not searched
	 * yet (an undated or empty-dated one settles nothing) */
	struct ward_buf pend[F2B_PENDING];
	int64_t pend_ref[F2B_PENDING];
	size_t npend;
	/* the multi-line buffer: dated-out lines, oldest first, each with
	 * whether it may hold a failregex's literal. Lines the set's gate
	 * refuses come in raw (f2b_filter_skip): they hold no literal, so their
	 * dates are cut (ml_cut) only when a later line makes the buffer worth
	 * searching. */
	struct f2b_mlbuf ml;
	bool ml_gate;	/* every failregex has a one-line literal, no prefregex */
	bool gated;	/* the set's gate refuses lines: a line's lit is "may hold one" */
	bool push_unlit;	/* the line f2b_filter_event pushes holds no literal */
	struct ward_buf mbuf;
	uint64_t hits;
	uint64_t limit_hits;	/* matches stopped by --match-limit */
	/* the failregexes' own literals (rx.lit) in one scan of the buffer
	 * they search, instead of one memmem each (NULL: memmem) */
	struct litscan *fscan;
	struct litscan_scratch *fscratch;
	uint64_t fseen;	/* bit i: failregex i's literal is in the buffer */
	bool fail_lits;	/* every failregex has a one-line literal */
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
		if (f->fail[i].litlen && !memchr(f->fail[i].lit, '\n', f->fail[i].litlen)) {
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
	for (size_t k = 0; f->fscan && k < n; k++)
		f->fail[ids[k]].scanned = true;
}

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
	f2b_mlbuf_init(&f->ml, d->maxlines > 1 ? (size_t)d->maxlines : 1);
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
	f->eager_ts = f2b_date_may_be_empty(f->date);
	f->fail_lits = true;
	for (size_t i = 0; i < f->nfail; i++)
		if (!f->fail[i].litlen || memchr(f->fail[i].lit, '\n', f->fail[i].litlen))
			f->fail_lits = false;
	f->ml_gate = f->maxlines > 1 && !f->pref.re;
	for (size_t i = 0; i < f->nfail; i++)
		if (!f->fail[i].litlen || memchr(f->fail[i].lit, '\n', f->fail[i].litlen))
			f->ml_gate = false;
	fail_scan_build(f);
	f->md = pcre2_match_data_create(256, NULL);
	f->md2 = pcre2_match_data_create(256, NULL);
	f->md3 = pcre2_match_data_create(256, NULL);
	f->content_group = f->pref.re ? pcre2_substring_number_from_name(f->pref.re, (PCRE2_SPTR) "content") : 0;
	f->mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(f->mctx, match_limit);
	return f;
fail:
	f2b_filter_free(f);
	return NULL;
}

static void rx_free(struct rx *r, size_t n)
{
	for (size_t i = 0; r && i < n; i++) {
		pcre2_code_free(r[i].re);
		free(r[i].src);
	}
}

/* The per-line working state: buffers, match data, the multi-line buffer. */
static void work_free(struct f2b_filter *f)
{
	pcre2_match_data_free(f->md);
	pcre2_match_data_free(f->md2);
	pcre2_match_data_free(f->md3);
	pcre2_match_context_free(f->mctx);
	buf_free(&f->buf);
	buf_free(&f->content);
	buf_free(&f->mbuf);
	f2b_mlbuf_free(&f->ml);
}

void f2b_filter_free(struct f2b_filter *f)
{
	if (!f)
		return;
	rx_free(&f->pref, 1);
	rx_free(f->fail, f->nfail);
	rx_free(f->ignore, f->nignore);
	free(f->fail);
	free(f->ignore);
	f2b_date_free(f->date);
	litscan_free(f->fscan);
	litscan_scratch_free(f->fscratch);
	work_free(f);
	f2b_fail_free(&f->cur);
	f2b_mlf_free(&f->mlf);
	for (size_t i = 0; i < F2B_PENDING; i++)
		buf_free(&f->pend[i]);
	free(f->name);
	free(f->rule);
	free(f);
}

const char *f2b_filter_name(const struct f2b_filter *f)
{
	return f->name;
}

const char *f2b_filter_rule(const struct f2b_filter *f)
{
	return f->rule;
}

long f2b_filter_maxlines(const struct f2b_filter *f)
{
	return f->maxlines;
}

struct f2b_date *f2b_filter_date(const struct f2b_filter *f)
{
	return f->date;
}

uint64_t f2b_filter_limit_hits(const struct f2b_filter *f)
{
	return f->limit_hits;
}

size_t f2b_filter_nregex(const struct f2b_filter *f, enum f2b_rx_kind kind)
{
	return kind == F2B_PREFREGEX ? f->pref.re != NULL : kind == F2B_FAILREGEX ? f->nfail : f->nignore;
}

struct f2b_rx_info f2b_filter_regex(const struct f2b_filter *f, enum f2b_rx_kind kind, size_t i)
{
	const struct rx *r = kind == F2B_PREFREGEX ? &f->pref : kind == F2B_FAILREGEX ? &f->fail[i] : &f->ignore[i];
	return (struct f2b_rx_info){ .src = r->src, .lit = r->lit, .litlen = r->litlen };
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
	if (r->scanned)
		return (f->fseen >> i & 1) && match_rx(f, r, s, n, f->md);
	return search(f, r, s, n, f->md);
}

/* Does s hold the literal of some failregex (fseen set for s)? */
static bool fail_lit_in(const struct f2b_filter *f, const char *s, size_t n)
{
	for (size_t i = 0; i < f->nfail; i++)
		if (f->fail[i].scanned ? (f->fseen >> i & 1) : memmem(s, n, f->fail[i].lit, f->fail[i].litlen) != NULL)
			return true;
	return false;
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

/* Push a line: lit says whether it may hold a failregex's literal; a raw
 * line (event time ref) has its date cut later (ml_cut). */
static void ml_push_line(struct f2b_filter *f, const char *s, size_t n, bool lit, bool raw, int64_t ref)
{
	struct f2b_mlline *l = f2b_mlbuf_push(&f->ml, s, n);
	f2b_mlbuf_mark(&f->ml, f->ml.n - 1, lit);
	l->raw = raw;
	l->ref = ref;
}

static void ml_push(struct f2b_filter *f, const char *s, size_t n)
{
	bool lit = f->push_unlit ? false : f->gated || (f->ml_gate && holds_fail_lit(f, s, n));
	f->push_unlit = false;
	ml_push_line(f, s, n, lit, false, 0);
}

/* The buffer's raw lines with their dates cut, as f2b_filter_event cuts a
 * line's (the detector's result depends on the line and its time only). */
static void ml_cut(struct f2b_filter *f)
{
	for (size_t i = 0; i < f->ml.n; i++) {
		struct f2b_mlline *l = f2b_mlbuf_at(&f->ml, i);
		if (!l->raw)
			continue;
		size_t ds, de, len = l->text.len;
		if (len && f2b_date_span(f->date, l->text.data, len, l->ref, &ds, &de)) {
			memmove(l->text.data + ds, l->text.data + de, len - de + 1);
			l->text.len -= de - ds;
		}
		l->raw = false;
	}
}

bool f2b_filter_keeps_lines(const struct f2b_filter *f)
{
	return f->maxlines > 1 || f->eager_ts;
}

bool f2b_filter_gateable(const struct f2b_filter *f)
{
	return f->maxlines == 1 || f->ml_gate;
}

void f2b_filter_gated(struct f2b_filter *f)
{
	f->gated = true;
}

static bool ml_may_match(const struct f2b_filter *f);
static void pend_line(struct f2b_filter *f, const char *line, size_t len, int64_t ref);

int f2b_filter_skip(struct f2b_filter *f, const struct ward_event *ev, struct ward_event *out)
{
	if (f->maxlines > 1 && ml_may_match(f)) {
		/* a buffered line holds a literal: the buffer is searched with
		 * this line, as on every line */
		f->push_unlit = true;
		return f2b_filter_event(f, ev, out);
	}
	const char *line = ev->line ? ev->line : "";
	int64_t ref = ev->ts_ns != WARD_TS_NONE ? ev->ts_ns : time_now_ns();
	if (f->eager_ts)
		pend_line(f, line, ev->line_len, ref);	/* its date, if any, is found when needed */
	if (f->maxlines == 1)
		return 0;
	size_t ds, de;
	if (memchr(line, '\0', ev->line_len)) {
		/* a NUL ends the stored line: cut the date now, as f2b_filter_event does */
		bool dated = f2b_date_span(f->date, line, ev->line_len, ref, &ds, &de);
		buf_reset(&f->buf);
		buf_append(&f->buf, line, dated ? ds : ev->line_len);
		if (dated)
			buf_append(&f->buf, line + de, ev->line_len - de);
		ml_push_line(f, f->buf.data ? f->buf.data : "", f->buf.len, false, false, 0);
		return 0;
	}
	ml_push_line(f, line, ev->line_len, false, true, ref);
	return 0;
}

/* Can a failregex match the buffer? Not when ml_gate and no line holds a
 * literal of one (a literal without "\n" lies within one line). */
static bool ml_may_match(const struct f2b_filter *f)
{
	if (!f->ml_gate)
		return true;
	return f->ml.nlit > 0;
}

/* The lines' lit again after they changed (a match took some out). */
static void ml_relit(struct f2b_filter *f)
{
	for (size_t i = 0; i < f->ml.n; i++) {
		size_t len = f2b_mlbuf_at(&f->ml, i)->text.len;
		f2b_mlbuf_mark(&f->ml, i, f->gated || (f->ml_gate && holds_fail_lit(f, f2b_mlbuf_text(&f->ml, i), len)));
	}
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
	if (lc2 > f->ml.n)
		lc2 = f->ml.n;
	if (lc1 > lc2)
		lc1 = lc2;
	*ma = lc1;
	*mb = lc2;
	/* matched lines minus skipped ones */
	bool *skip = ward_xcalloc(f->ml.n + 1, sizeof(*skip));
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
				if (!skip[i] && f2b_mlbuf_at(&f->ml, i)->text.len == n &&
				    memcmp(f2b_mlbuf_text(&f->ml, i), p, n) == 0) {
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
			buf_append_str(matched, f2b_mlbuf_text(&f->ml, i));
			first = false;
		}
	buf_append_char(matched, '\n');
	for (size_t i = 0; i < f->ml.n; i++)	/* skip[] becomes "keep" */
		skip[i] = i < lc1 || i >= lc2 || skip[i];
	f2b_mlbuf_keep(&f->ml, skip);
	ml_relit(f);
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

/* last_ts from the pending dated lines: the newest whose time is valid
 * (reading a time costs as much as finding the date, so it is done here,
 * not on every line). */
static void settle_last_ts(struct f2b_filter *f)
{
	while (f->npend) {
		size_t k = --f->npend, s, e;
		int64_t ns = WARD_TS_NONE;
		if (f2b_date_find_once(f->date, f->pend[k].data, f->pend[k].len, f->pend_ref[k], &s, &e, &ns) && s != e &&
		    ns != WARD_TS_NONE) {
			f->last_ts = ns;
			f->npend = 0;
		}
	}
}

static void pend_line(struct f2b_filter *f, const char *line, size_t len, int64_t ref)
{
	if (f->npend == F2B_PENDING)
		settle_last_ts(f);
	buf_reset(&f->pend[f->npend]);
	buf_append(&f->pend[f->npend], line, len);
	f->pend_ref[f->npend++] = ref;
}

int f2b_filter_event(struct f2b_filter *f, const struct ward_event *ev, struct ward_event *out)
{
	const char *line = ev->line ? ev->line : "";
	size_t len = ev->line_len;
	/* 1. the date out of the line */
	size_t ds = 0, de = 0;
	int64_t ts = WARD_TS_NONE;
	int64_t ref = ev->ts_ns != WARD_TS_NONE ? ev->ts_ns : time_now_ns();
	/* The time is read once a failure is found (below): reading it costs
	 * as much as finding the date. A line with an empty date (`^I\(()**`)
	 * takes the last time seen: with such a datepattern (eager_ts) every
	 * dated line is kept until last_ts is settled. */
	bool dated = f2b_date_span(f->date, line, len, ref, &ds, &de);
	if (dated && ds != de && f->eager_ts)
		pend_line(f, line, len, ref);
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
		ml_cut(f);
		f2b_mlbuf_join(&f->ml, 0, f->ml.n, &f->buf);
	} else {
		buf_append_char(&f->buf, '\n');
	}
	const char *buf = f->buf.data;
	size_t blen = f->buf.len;
	/* fail2ban checks the ignoreregexes first when there are few of them */
	if (f->nignore && f->nignore + 2 < f->nfail)
		for (size_t k = 0; k < f->nignore; k++)
			if (search(f, &f->ignore[k], buf, blen, f->md3))
				return 0;
	/* The failregexes' literals (fseen): a failregex finds a failure only
	 * in text holding its literal, and the content it searches is part of
	 * this buffer; when every failregex has one and none is here, nothing
	 * can change (with maxlines 1: the prefregex's content is not kept),
	 * so the prefregex need not run. */
	if (f->fscan) {
		f->fseen = 0;
		if (litscan_scan(f->fscan, f->fscratch, buf, blen, on_fail_lit, &f->fseen) != 0)
			f->fseen = ~(uint64_t)0;	/* a scan error: match them all */
	}
	if (f->pref.re && f->fail_lits && f->maxlines == 1 && !fail_lit_in(f, buf, blen))
		return 0;
	/* 2. prefregex */
	struct f2b_fail *cur = &f->cur;
	f2b_fail_reset(cur);
	const char *fbuf = buf;
	size_t fblen = blen;
	if (f->pref.re) {
		if (!search(f, &f->pref, buf, blen, f->md2))
			return 0;
		/* its groups are collected once a failregex matches (md2 keeps
		 * them): most lines a prefregex takes are no failure */
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(f->md2);
		int g = f->content_group;
		const char *c = NULL;
		size_t clen = 0;
		if (g > 0 && (uint32_t)g < pcre2_get_ovector_count(f->md2) && ov[2 * g] != PCRE2_UNSET) {
			c = buf + ov[2 * g];
			clen = strnlen(c, ov[2 * g + 1] - ov[2 * g]);	/* as a group's value: up to a NUL */
		}
		if (clen) {
			if (f->maxlines > 1) {
				f2b_mlbuf_clear(&f->ml);
				f2b_mlbuf_push(&f->ml, c, clen);
				ml_relit(f);
			}
			buf_reset(&f->content);
			buf_append(&f->content, c, clen);
			buf_append_char(&f->content, '\n');
			fbuf = f->content.data;
			fblen = f->content.len;
		}
	}
	/* 3. failregexes, then ignoreregexes on the dated-out line */
	size_t i;	/* (fseen, from the whole buffer, holds for the content too) */
	for (i = 0; i < f->nfail; i++)
		if (search_fail(f, i, fbuf, fblen))
			break;
	if (i == f->nfail)
		return 0;
	if (f->maxlines > 1) {
		/* the groups first: the buffer they point into changes below */
		struct ward_buf keep = WARD_BUF_INIT;
		buf_append(&keep, fbuf, fblen);
		if (f->pref.re)
			each_group(f->pref.re, f->md2, buf, collect, cur);
		each_group(f->fail[i].re, f->md, keep.data, collect, cur);
		size_t ma, mb;
		ml_after_match(f, &f->fail[i], keep.data, keep.len, &ma, &mb, &f->mbuf);
		buf_free(&keep);
		for (size_t k = 0; k < f->nignore; k++)
			if (search(f, &f->ignore[k], f->mbuf.data, f->mbuf.len, f->md3))
				return 0;
	} else {
		for (size_t k = 0; k < f->nignore; k++)
			if (search(f, &f->ignore[k], buf, blen, f->md3))
				return 0;
		if (f->pref.re)
			each_group(f->pref.re, f->md2, buf, collect, cur);
		each_group(f->fail[i].re, f->md, fbuf, collect, cur);
	}
	f2b_fail_set(cur, "content", NULL, 0);
	fill_alt(cur);
	if (dated && ds == de) {
		settle_last_ts(f);
		ts = f->last_ts;
	} else if (dated) {
		f2b_date_find(f->date, line, len, ref, &ds, &de, &ts);
		if (f->eager_ts && ts != WARD_TS_NONE) {
			f->last_ts = ts;	/* this line is the newest pending one */
			f->npend = 0;
		}
	}
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
