/* partstate.c - ward-window's state per input partition (partstate.h). */
#include "stages/window/partstate.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "hash.h"
#include "stages/window/rule.h"

/* Offsets are kept per this fraction of the replay span of event time: a
 * commit sits at most span / PART_SEGS further back than it must. */
#define PART_SEGS 32

#define META_TAG "ward-window/1"

struct ww_parts {
	const struct ww_rule *rules;
	size_t nrules;
	struct ww_engine_opts o;
	ww_emit_fn emit;
	void *emit_ctx;
	int64_t span;		/* longest range + for + keep_firing_for */
	int64_t gran;		/* event time per offset segment */
	struct ww_part **parts;
	size_t n, cap;
	struct ww_part *last;	/* the one parts_get found last */
	struct ww_stats retired;	/* of engines dropped at revokes */
	struct ww_parts_counts counts;
};

static int64_t rule_span(const struct ww_rule *r)
{
	int64_t s = r->range_ns;
	if (r->rhs && r->rhs->range_ns > s)
		s = r->rhs->range_ns;
	return s + r->for_ns + r->keep_ns + (rule_is_step(r) ? r->step_ns : 0);
}

bool parts_apply(const struct ww_rule *rules, size_t nrules)
{
	for (size_t i = 0; i < nrules; i++)
		if (rule_is_step(&rules[i]) || rules[i].fn == WW_FN_ABSENT ||
		    (rules[i].rhs && rules[i].rhs->fn == WW_FN_ABSENT))
			return false;
	return true;
}

struct ww_parts *parts_new(const struct ww_rule *rules, size_t nrules,
			   const struct ww_engine_opts *o, ww_emit_fn emit, void *ctx)
{
	struct ww_parts *ps = ward_xcalloc(1, sizeof(*ps));
	ps->rules = rules;
	ps->nrules = nrules;
	ps->o = *o;
	ps->emit = emit;
	ps->emit_ctx = ctx;
	for (size_t i = 0; i < nrules; i++)
		if (rule_span(&rules[i]) > ps->span)
			ps->span = rule_span(&rules[i]);
	ps->gran = ps->span / PART_SEGS > 1000000 ? ps->span / PART_SEGS : 1000000;
	return ps;
}

static void part_free(struct ww_parts *ps, struct ww_part *p)
{
	const struct ww_stats *s = engine_stats(p->eng);
	struct ww_stats *r = &ps->retired;
	r->events += s->events;
	r->late += s->late;
	r->unwrap_errors += s->unwrap_errors;
	r->key_missing += s->key_missing;
	r->evicted += s->evicted;
	r->evicted_active += s->evicted_active;
	r->alerts += s->alerts;
	r->series += s->series;
	engine_free(p->eng);
	free(p->segs);
	free(p);
}

void parts_clear(struct ww_parts *ps)
{
	struct ww_stats now;
	parts_stats(ps, &now);
	for (size_t i = 0; i < ps->n; i++)
		part_free(ps, ps->parts[i]);
	ps->n = 0;
	ps->last = NULL;
	ps->retired.keys_peak = now.keys_peak;
}

void parts_retain(struct ww_parts *ps, bool (*owned)(void *ctx, int32_t id), void *ctx)
{
	struct ww_stats now;
	parts_stats(ps, &now);
	size_t kept = 0;
	for (size_t i = 0; i < ps->n; i++) {
		if (owned(ctx, ps->parts[i]->id))
			ps->parts[kept++] = ps->parts[i];
		else
			part_free(ps, ps->parts[i]);
	}
	ps->n = kept;
	ps->last = NULL;
	ps->retired.keys_peak = now.keys_peak;
}

void parts_free(struct ww_parts *ps)
{
	if (!ps)
		return;
	parts_clear(ps);
	free(ps->parts);
	free(ps);
}

size_t parts_count(const struct ww_parts *ps)
{
	return ps->n;
}

struct ww_part *parts_at(struct ww_parts *ps, size_t i)
{
	return ps->parts[i];
}

void parts_stats(const struct ww_parts *ps, struct ww_stats *out)
{
	*out = ps->retired;
	out->keys = 0;
	uint64_t peaks = 0;	/* each engine's own peak: their sum bounds the total's */
	for (size_t i = 0; i < ps->n; i++) {
		const struct ww_stats *s = engine_stats(ps->parts[i]->eng);
		out->events += s->events;
		out->late += s->late;
		out->unwrap_errors += s->unwrap_errors;
		out->key_missing += s->key_missing;
		out->evicted += s->evicted;
		out->evicted_active += s->evicted_active;
		out->alerts += s->alerts;
		out->series += s->series;
		out->keys += s->keys;
		peaks += s->keys_peak;
	}
	if (peaks > out->keys_peak)
		out->keys_peak = peaks;
}

const struct ww_parts_counts *parts_counts(const struct ww_parts *ps)
{
	return &ps->counts;
}

/* ---- transitions: sent once across owners ---- */

/* Names a transition the same in every process that runs the same rules:
 * the rule's place, the state, the instant and the key's values. */
static uint64_t fingerprint(const struct ww_parts *ps, const struct ww_alert *a)
{
	uint64_t h = HASH_FNV1A_OFFSET_BASIS;
	uint32_t rule = a->rule >= ps->rules && a->rule < ps->rules + ps->nrules
				? (uint32_t)(a->rule - ps->rules) : UINT32_MAX;
	uint8_t kind[3] = { (uint8_t)a->state, a->renotify, a->series };
	h = hash_fnv1a_add(h, &rule, sizeof rule);
	h = hash_fnv1a_add(h, kind, sizeof kind);
	h = hash_fnv1a_add(h, &a->at, sizeof a->at);
	for (size_t i = 0; i < a->nkey; i++) {
		uint64_t len = a->key_lens[i];
		h = hash_fnv1a_add(h, &len, sizeof len);
		h = hash_fnv1a_add(h, a->key_vals[i], a->key_lens[i]);
	}
	return h;
}

static bool was_sent(const struct ww_part *p, uint64_t fp)
{
	for (unsigned i = 0; i < p->nsent; i++)
		if (p->sent[i].fp == fp)
			return true;
	return false;
}

/* Remember a transition sent at an instant the commit's watermark does
 * not cover yet; when full, forget the earliest (the first to be covered). */
static void note_sent(struct ww_part *p, uint64_t fp, int64_t at)
{
	unsigned slot = p->nsent;
	if (slot == PART_FP_MAX) {
		slot = 0;
		for (unsigned i = 1; i < p->nsent; i++)
			if (p->sent[i].at < p->sent[slot].at)
				slot = i;
	} else {
		p->nsent++;
	}
	p->sent[slot] = (struct part_sent){ fp, at };
}

static void part_emit(void *ctx, const struct ww_alert *a)
{
	struct ww_part *p = ctx;
	struct ww_parts *ps = p->set;
	uint64_t fp = fingerprint(ps, a);
	if (a->at < p->sent_before || was_sent(p, fp)) {
		ps->counts.suppressed++;
		return;
	}
	note_sent(p, fp, a->at);
	p->sent_since_hold = true;
	ps->emit(ps->emit_ctx, a);
}

/* ---- the commit's metadata ---- */

static void meta_read(struct ww_part *p, const char *meta)
{
	size_t tl = strlen(META_TAG);
	if (!meta || strncmp(meta, META_TAG " J=", tl + 3) != 0)
		return;
	char *end;
	p->sent_before = strtoll(meta + tl + 3, &end, 10);
	if (strncmp(end, " R=", 3) != 0)
		return;
	p->replay_to = strtoll(end + 3, &end, 10);
	p->set->counts.restored++;
	if (strncmp(end, " F=", 3) != 0)
		return;
	const char *s = end + 3;
	while (*s && p->nsent < PART_FP_MAX) {
		uint64_t fp = strtoull(s, &end, 16);
		if (end == s || *end != '@')
			break;
		int64_t at = strtoll(end + 1, &end, 10);
		p->sent[p->nsent++] = (struct part_sent){ fp, at };
		if (*end != ',')
			break;
		s = end + 1;
	}
}

struct ww_part *parts_get(struct ww_parts *ps, int32_t id, const char *meta)
{
	/* records come in runs of one partition (a fetched batch) */
	if (ps->last && ps->last->id == id)
		return ps->last;
	for (size_t i = 0; i < ps->n; i++)
		if (ps->parts[i]->id == id)
			return ps->last = ps->parts[i];
	struct ww_part *p = ward_xcalloc(1, sizeof(*p));
	p->id = id;
	p->set = ps;
	p->judged = p->sent_before = INT64_MIN;
	p->read_to = p->replay_to = -1;
	p->eng = engine_new(ps->rules, ps->nrules, &ps->o, part_emit, p);
	meta_read(p, meta);
	if (ps->n == ps->cap) {
		ps->cap = ps->cap ? ps->cap * 2 : 8;
		ps->parts = ward_xrealloc(ps->parts, ps->cap * sizeof(*ps->parts));
	}
	ps->parts[ps->n++] = p;
	return ps->last = p;
}

/* ---- offsets behind the window ---- */

void part_note(struct ww_part *p, int64_t off, int64_t t)
{
	if (off < p->replay_to)
		p->set->counts.replayed++;
	if (off + 1 > p->read_to)
		p->read_to = off + 1;
	struct part_seg *last = p->seg_len ? &p->segs[p->seg_head + p->seg_len - 1] : NULL;
	if (last && t < last->start_t + p->set->gran) {
		if (t > last->max_t)
			last->max_t = t;
		return;
	}
	if (p->seg_head + p->seg_len == p->seg_cap) {
		if (p->seg_head > p->seg_cap / 2) {
			memmove(p->segs, p->segs + p->seg_head, p->seg_len * sizeof(*p->segs));
			p->seg_head = 0;
		} else {
			p->seg_cap = p->seg_cap ? p->seg_cap * 2 : 64;
			p->segs = ward_xrealloc(p->segs, p->seg_cap * sizeof(*p->segs));
		}
	}
	p->segs[p->seg_head + p->seg_len++] = (struct part_seg){ off, t, t };
}

void part_judged(struct ww_part *p)
{
	p->judged = engine_watermark(p->eng);
}

int64_t part_hold_meta(struct ww_part *p, char *meta, size_t len)
{
	int64_t span = p->set->span;
	/* records with time from judged - span on rebuild the state at judged:
	 * one at exactly judged - range is still in the window just before
	 * judged, where the state the next instant starts from is decided */
	if (p->judged > INT64_MIN + span) {
		int64_t h = p->judged - span;
		while (p->seg_len && p->segs[p->seg_head].max_t < h) {
			p->seg_head++;
			p->seg_len--;
		}
		if (!p->seg_len)
			p->seg_head = 0;
	}
	int64_t sent_to = p->judged > p->sent_before ? p->judged : p->sent_before;
	unsigned kept = 0;
	for (unsigned i = 0; i < p->nsent; i++)
		if (p->sent[i].at >= sent_to)
			p->sent[kept++] = p->sent[i];
	p->nsent = kept;
	p->sent_since_hold = false;
	int n = snprintf(meta, len, META_TAG " J=%" PRId64 " R=%" PRId64, sent_to,
			 p->read_to > p->replay_to ? p->read_to : p->replay_to);
	for (unsigned i = 0; i < p->nsent && n > 0 && (size_t)n + 48 < len; i++)
		n += snprintf(meta + n, len - (size_t)n, "%s%016" PRIx64 "@%" PRId64,
			      i ? "," : " F=", p->sent[i].fp, p->sent[i].at);
	return p->seg_len ? p->segs[p->seg_head].off : p->read_to;
}
