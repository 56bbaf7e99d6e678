/* proc.c - decode, count, and turn frames into events. */
#include "stages/sniff/proc.h"

#include <stdint.h>
#include <stdlib.h>

#include "buf.h"
#include "stages/sniff/community_id.h"
#include "wtime.h"

struct sniff_proc {
	struct sniff_proc_opts o;
	sniff_emit_fn emit;
	sniff_bad_fn on_bad;
	void *ctx;
	struct sniff_source src;
	struct sniff_stats stats;
	struct ward_event ev;		/* reused for every event */
	struct sniff_summary_json sj;	/* summary events straight to JSON */
	struct ward_buf json;		/* reused for every summary event */
	struct srctab *summary;		/* per interval, or NULL */
	struct srctab *top;		/* whole run, or NULL */
	struct community_id_cache *cids;	/* packet mode, or NULL */
	struct sniff_pkt pkt;		/* the frame being decoded */
	bool interval_open;
	int64_t interval_start, interval_end;
	int64_t last_ts;
	char interval_str[32];		/* "1s": formatted once */
	bool stopped;
};

struct sniff_proc *proc_new(const struct sniff_proc_opts *o, sniff_emit_fn emit,
			    sniff_bad_fn on_bad, void *ctx)
{
	struct sniff_proc *p = ward_xcalloc(1, sizeof *p);
	p->o = *o;
	if (p->o.interval_ns <= 0)
		p->o.interval_ns = NS_PER_SEC;
	duration_format(p->o.interval_ns, p->interval_str, sizeof p->interval_str);
	p->emit = emit;
	p->on_bad = on_bad;
	p->ctx = ctx;
	p->last_ts = WARD_TS_NONE;
	event_init(&p->ev);
	sniff_summary_json_init(&p->sj);
	sniff_summary_json_source(&p->sj, &p->src, p->interval_str);
	if (o->mode == SNIFF_MODE_SUMMARY)
		p->summary = srctab_new(o->max_sources, true, SRCTAB_RANK_PACKETS);
	if (o->top_n > 0)
		p->top = srctab_new(o->top_max_sources, false, SRCTAB_RANK_SYN);
	if (o->mode == SNIFF_MODE_PACKET)
		p->cids = community_id_cache_new();
	return p;
}

void proc_free(struct sniff_proc *p)
{
	if (!p)
		return;
	event_free(&p->ev);
	sniff_summary_json_free(&p->sj);
	buf_free(&p->json);
	srctab_free(p->summary);
	srctab_free(p->top);
	community_id_cache_free(p->cids);
	free(p);
}

void proc_set_source(struct sniff_proc *p, const struct sniff_source *src)
{
	p->src = *src;
	sniff_summary_json_source(&p->sj, &p->src, p->interval_str);
}

static int emit_json(struct sniff_proc *p, const struct ward_event *ev, const struct ward_buf *json)
{
	if (p->stopped)
		return -1;
	p->stats.events++;
	if (p->emit(p->ctx, ev, json ? json->data : NULL, json ? json->len : 0) != 0) {
		p->stopped = true;
		return -1;
	}
	return 0;
}

static int emit(struct sniff_proc *p)
{
	return emit_json(p, &p->ev, NULL);
}

/* One summary event: its JSON always, the event unless the output only
 * copies bytes. ip NULL: the evicted sources. */
static int emit_source(struct sniff_proc *p, const struct ward_ip *ip, const struct src_counts *c,
		       uint64_t other_sources)
{
	buf_reset(&p->json);
	sniff_summary_json(&p->sj, &p->json, ip, c, other_sources, p->interval_end);
	if (p->o.summary_json_only)
		return emit_json(p, NULL, &p->json);
	sniff_summary_event(&p->ev, ip, c, other_sources, p->interval_end, p->interval_str, &p->src);
	return emit_json(p, &p->ev, &p->json);
}

/* Floor of ts to a multiple of the interval, for negative times too. */
static int64_t interval_floor(int64_t ts, int64_t iv)
{
	int64_t q = ts / iv;
	if (ts % iv != 0 && ts < 0)
		q--;
	return q * iv;
}

static int emit_summary(struct sniff_proc *p)
{
	for (size_t i = 0; i < srctab_count(p->summary); i++) {
		const struct src_entry *e = srctab_at(p->summary, i);
		if (emit_source(p, &e->ip, &e->c, 0) != 0)
			return -1;
	}
	uint64_t nother;
	const struct src_counts *other = srctab_other(p->summary, &nother);
	if (nother > 0 && emit_source(p, NULL, other, nother) != 0)
		return -1;
	return 0;
}

int proc_flush(struct sniff_proc *p)
{
	if (!p->summary || !p->interval_open)
		return p->stopped ? -1 : 0;
	p->interval_open = false;
	int rc = emit_summary(p);
	srctab_reset(p->summary);
	return rc;
}

int proc_tick(struct sniff_proc *p, int64_t now_ns)
{
	if (p->interval_open && now_ns >= p->interval_end)
		return proc_flush(p);
	return p->stopped ? -1 : 0;
}

static int summary_add(struct sniff_proc *p, const struct sniff_pkt *pkt, int64_t ts)
{
	if (p->interval_open && ts >= p->interval_end && proc_flush(p) != 0)
		return -1;
	if (!p->interval_open) {
		p->interval_start = interval_floor(ts, p->o.interval_ns);
		/* Saturate: a capture may claim a time near the end of int64. */
		p->interval_end = p->interval_start > INT64_MAX - p->o.interval_ns ?
			INT64_MAX : p->interval_start + p->o.interval_ns;
		p->interval_open = true;
	}
	/* A late packet (ts before the interval) counts in the open one. */
	srctab_add(p->summary, pkt);
	return 0;
}

static int count_bad(struct sniff_proc *p, const struct sniff_pkt *pkt)
{
	p->stats.malformed++;
	p->stats.bad[(unsigned)pkt->bad < SNIFF_BAD_N ? pkt->bad : SNIFF_BAD_NONE]++;
	return p->on_bad ? p->on_bad(p->ctx, p->stats.frames, pkt) : 0;
}

int proc_frame(struct sniff_proc *p, int linktype, const uint8_t *frame, uint32_t caplen,
	       uint32_t wirelen, int64_t ts_ns)
{
	/* the decoded frame lives in p, not on the stack: no canary check
	 * on the per-frame path */
	struct sniff_pkt *pkt = &p->pkt;
	p->stats.frames++;
	p->last_ts = ts_ns;
	switch (sniff_decode(linktype, frame, caplen, wirelen, pkt)) {
	case SNIFF_IP:
		break;
	case SNIFF_NOT_IP:
		p->stats.not_ip++;
		return p->stopped ? -1 : 0;
	case SNIFF_UNSUPPORTED:
		p->stats.unsupported++;
		return p->stopped ? -1 : 0;
	case SNIFF_MALFORMED:
	default:
		return count_bad(p, pkt) != 0 || p->stopped ? -1 : 0;
	}
	p->stats.ip++;
	p->stats.ipv6 += pkt->ip_version == 6;
	p->stats.syn += sniff_is_syn(pkt);
	p->stats.fragments += pkt->fragment;
	p->stats.len_from_frame += pkt->len_from_frame;
	if (p->top)
		srctab_add(p->top, pkt);
	if (p->o.mode == SNIFF_MODE_PACKET) {
		sniff_packet_event(&p->ev, pkt, ts_ns, &p->src, p->cids);
		return emit(p);
	}
	if (p->o.mode == SNIFF_MODE_SUMMARY)
		return summary_add(p, pkt, ts_ns);
	return p->stopped ? -1 : 0;
}

int proc_finish(struct sniff_proc *p)
{
	if (proc_flush(p) != 0)
		return -1;
	if (!p->top)
		return 0;
	const struct src_entry **best = ward_xcalloc(p->o.top_n, sizeof *best);
	size_t n = srctab_top_syn(p->top, p->o.top_n, best);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		sniff_top_event(&p->ev, (unsigned)(i + 1), best[i], p->last_ts, &p->src);
		rc = emit(p);
	}
	free(best);
	return rc;
}

const struct sniff_stats *proc_stats(const struct sniff_proc *p)
{
	return &p->stats;
}

const struct srctab *proc_top_table(const struct sniff_proc *p)
{
	return p->top;
}

const struct srctab *proc_summary_table(const struct sniff_proc *p)
{
	return p->summary;
}

int64_t proc_last_ts(const struct sniff_proc *p)
{
	return p->last_ts;
}
