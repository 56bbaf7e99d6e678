/* ward-sniff - packets (live or pcap/pcapng files) to ward events: one per
 * packet, one per source per interval, or the top sources by SYN count. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exitcodes.h"
#include "signals.h"
#include "stage.h"
#include "stage_cli.h"
#include "stages/sniff/capture.h"
#include "stages/sniff/pktsource.h"
#include "stages/sniff/proc.h"
#include "wtime.h"

struct sniff_opts {
	struct opt_list files;
	const char *iface;
	const char *filter;
	const char *mode;
	const char *user;
	long snaplen;
	long max_sources;
	long top;
	size_t buffer_size;
	int64_t interval_ns;
	bool no_promisc;
	bool immediate;
	bool no_progress;
};

struct sniff {
	struct ward_stage st;
	struct sniff_opts o;
	struct sniff_proc *proc;
	struct pktsource *src;		/* the capture being read */
	struct ward_ratelimit bad_rl;
	uint64_t last_drops;
	int64_t next_stats;		/* live: when to read the drop counts */
};

static int emit_cb(void *ctx, const struct ward_event *ev, const char *json, size_t len)
{
	struct sniff *s = ctx;
	return json ? stage_emit_json(&s->st, ev, json, len) : stage_emit(&s->st, ev);
}

static int bad_cb(void *ctx, uint64_t frame_no, const struct sniff_pkt *pkt)
{
	struct sniff *s = ctx;
	log_warn_limited(&s->bad_rl, "%s: frame %llu: malformed packet skipped: %s (caplen %u, len %u)",
			 s->src->where, (unsigned long long)frame_no, sniff_bad_name(pkt->bad),
			 pkt->caplen, pkt->wirelen);
	if (!s->st.opts->strict)
		return 0;
	log_error("stopping at the first malformed packet (--strict)");
	s->st.exit_code = WARD_EX_DATAERR;
	return -1;
}

/* Copy the processor's counts into the stage counters (printed at exit and
 * on SIGUSR1). Reason counters appear only once they are non-zero. */
static void sync_counters(struct sniff *s)
{
	struct ward_counters *c = &s->st.counters;
	const struct sniff_stats *x = proc_stats(s->proc);
	c->in = x->frames;
	c->malformed = x->malformed;
	c->dropped = x->not_ip + x->unsupported;
	*counters_extra(c, "ip") = x->ip;
	*counters_extra(c, "ipv6") = x->ipv6;
	*counters_extra(c, "syn") = x->syn;
	*counters_extra(c, "fragments") = x->fragments;
	*counters_extra(c, "not_ip") = x->not_ip;
	*counters_extra(c, "unsupported_link") = x->unsupported;
	if (x->len_from_frame)
		*counters_extra(c, "ip_len_from_frame") = x->len_from_frame;
	const struct srctab *t = proc_summary_table(s->proc);
	if (t) {
		*counters_extra(c, "sources_evicted") = srctab_stats(t)->evicted;
		*counters_extra(c, "distinct_saturated") = srctab_stats(t)->saturated;
	}
	if ((t = proc_top_table(s->proc)))
		*counters_extra(c, "top_sources_evicted") = srctab_stats(t)->evicted;
	for (int i = 1; i < SNIFF_BAD_N; i++)
		if (x->bad[i])
			*counters_extra(c, sniff_bad_name((enum sniff_bad)i)) = x->bad[i];
}

/* ---- the stage's hooks ---------------------------------------------------- */

/* The frame's link type and wire length are the source's (pktsource.h). */
static int on_record(void *ctx, struct ward_stage *st, const struct ward_record *rec)
{
	struct sniff *s = ctx;
	(void)st;
	return proc_frame(s->proc, s->src->linktype, (const uint8_t *)rec->data, (uint32_t)rec->len,
			  s->src->wirelen, rec->ts_ns);
}

static void on_report(void *ctx, struct ward_stage *st)
{
	(void)st;
	sync_counters(ctx);
}

/* The capture file's size for the progress line (common/progress.h: shown
 * on a terminal only, and only once a run lasts), or -1 (stdin,
 * --no-progress). */
static int64_t input_size(void *ctx, struct ward_stage *st)
{
	struct sniff *s = ctx;
	struct stat sb;
	const char *path = st->in->uri;
	if (s->o.no_progress || strcmp(path, "-") == 0 || stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
		return -1;
	return sb.st_size;
}

static int64_t input_pos(void *ctx, struct ward_stage *st)
{
	(void)st;
	return pktsource_pos(((struct sniff *)ctx)->src);
}

/* pcap_stats: report the kernel's drops when they grow. */
static void check_drops(struct sniff *s)
{
	uint64_t drop, ifdrop;
	if (pktsource_drops(s->src, &drop, &ifdrop) != 0)
		return;
	*counters_extra(&s->st.counters, "kernel_drops") = drop;
	*counters_extra(&s->st.counters, "if_drops") = ifdrop;
	if (drop > s->last_drops) {
		struct ward_event ev;
		const struct sniff_source src = { "iface", s->o.iface };
		event_init(&ev);
		sniff_drop_event(&ev, drop - s->last_drops, drop, ifdrop,
				 time_now_ns(), &src);
		stage_emit(&s->st, &ev);
		event_free(&ev);
		log_warn("%s: the capture dropped %llu packets (total %llu)", s->src->where,
			 (unsigned long long)(drop - s->last_drops), (unsigned long long)drop);
		s->last_drops = drop;
	}
}

/* Live: close the summary interval the clock has passed (no packet may
 * come to do it); every second, the drop counts and a flush. */
static int on_tick(void *ctx, struct ward_stage *st, int64_t now_mono)
{
	struct sniff *s = ctx;
	proc_tick(s->proc, time_now_ns());
	if (now_mono >= s->next_stats) {
		s->next_stats = now_mono + NS_PER_SEC;
		check_drops(s);
		output_flush(st->out, 0);
	}
	return 0;
}

static bool stopped(const struct sniff *s)
{
	return signals_stop_requested() || s->st.output_closed || s->st.exit_code != 0;
}

/* One capture through the stage loop, then its partial interval. */
static void run_capture(struct sniff *s, struct pktsource *src, const struct stage_hooks *hooks)
{
	const struct sniff_source labels = { src->live ? "iface" : "file", src->where };
	s->src = src;
	s->st.in = &src->in;
	proc_set_source(s->proc, &labels);
	if (!sniff_link_supported(src->linktype) && src->live)
		log_warn("%s: link type %d is not decoded: its frames are counted as unsupported_link",
			 src->where, src->linktype);
	else if (!sniff_link_supported(src->linktype)) {
		const char *name = pcap_datalink_val_to_name(src->linktype);
		log_warn("%s: link type %d (%s) is not decoded: its frames are counted as unsupported_link",
			 src->where, src->linktype, name ? name : "?");
	}
	stage_run(&s->st, hooks, s);
	if (src->live)
		check_drops(s);
	else
		proc_flush(s->proc);
	input_close(s->st.in);
	s->st.in = NULL;
	s->src = NULL;
}

/* ---- files ---------------------------------------------------------------- */

static int read_files(struct sniff *s)
{
	size_t n = s->o.files.len;
	struct pktsource **srcs = ward_xcalloc(n, sizeof *srcs);
	char err[PCAP_ERRBUF_SIZE + 64];
	/* Open everything first: a missing file fails before any output, and
	 * -Z can drop privileges once all files are open, as tcpdump does. */
	for (size_t i = 0; i < n && s->st.exit_code == 0; i++) {
		const char *path = s->o.files.items[i];
		pcap_t *p = capture_open_file(path, err, sizeof err);
		if (!p) {
			log_error("opening %s failed: %s", path, err);
			s->st.exit_code = WARD_EX_IOERR;
			break;
		}
		srcs[i] = pktsource_new(p, path, false, err, sizeof err);
		if (s->o.filter && capture_set_filter(p, s->o.filter, false, err, sizeof err) != 0) {
			log_error("filter %s: %s", s->o.filter, err);
			s->st.exit_code = WARD_EX_USAGE;
		}
	}
	if (s->st.exit_code == 0 && s->o.user && capture_drop_privileges(s->o.user, err, sizeof err) != 0) {
		log_error("option -Z: %s", err);
		s->st.exit_code = WARD_EX_OSERR;
	}
	const struct stage_hooks hooks = {
		.on_record = on_record, .on_report = on_report, .input_size = input_size,
		.input_pos = input_pos,
		/* the stop checks, the clock and the progress line every 4096
		 * frames: the loop's checks cost a few percent of a frame's work */
		.burst = 4096,
	};
	for (size_t i = 0; i < n && !stopped(s); i++) {
		run_capture(s, srcs[i], &hooks);
		srcs[i] = NULL;
	}
	for (size_t i = 0; i < n; i++)
		if (srcs[i])
			input_close(&srcs[i]->in);
	free(srcs);
	return s->st.exit_code;
}

/* ---- live ----------------------------------------------------------------- */

static int read_live(struct sniff *s)
{
	struct capture_live_opts lo = {
		.iface = s->o.iface, .snaplen = (int)s->o.snaplen, .promisc = !s->o.no_promisc,
		.immediate = s->o.immediate, .buffer_size = s->o.buffer_size, .timeout_ms = 100,
	};
	enum capture_err why;
	char err[PCAP_ERRBUF_SIZE + 64], warn[PCAP_ERRBUF_SIZE + 64];
	pcap_t *p = capture_open_live(&lo, &why, err, sizeof err, warn, sizeof warn);
	if (!p) {
		log_error("capturing on %s failed: %s", s->o.iface, err);
		return s->st.exit_code = why == CAPTURE_ERR_PERM ? WARD_EX_NOPERM :
			why == CAPTURE_ERR_NODEV ? WARD_EX_UNAVAILABLE : WARD_EX_IOERR;
	}
	if (*warn)
		log_warn("%s: %s", s->o.iface, warn);
	struct pktsource *src = NULL;
	const char *link = pcap_datalink_val_to_name(pcap_datalink(p));
	if (s->o.filter && capture_set_filter(p, s->o.filter, true, err, sizeof err) != 0) {
		log_error("filter %s: %s", s->o.filter, err);
		s->st.exit_code = WARD_EX_USAGE;
	} else if (s->o.user && capture_drop_privileges(s->o.user, err, sizeof err) != 0) {
		log_error("option -Z: %s", err);
		s->st.exit_code = WARD_EX_OSERR;
	} else if (!(src = pktsource_new(p, s->o.iface, true, err, sizeof err))) {
		log_error("%s", err);
		s->st.exit_code = WARD_EX_IOERR;
	}
	if (!src) {
		pcap_close(p);
		return s->st.exit_code;
	}
	log_info("capturing on %s (link type %s)", s->o.iface, link ? link : "?");
	const struct stage_hooks hooks = {
		.on_record = on_record, .on_report = on_report, .on_tick = on_tick, .tick_ms = 100,
	};
	s->next_stats = time_mono_ns() + NS_PER_SEC;
	run_capture(s, src, &hooks);
	return s->st.exit_code;
}

/* ---- main ---------------------------------------------------------------- */

static const char synopsis[] = "[options] -r FILE... | -i IFACE";
static const char description[] =
	"Read packets from pcap/pcapng files (-r, in order; - is stdin) or a live\n"
	"interface (-i) and write ward events: one per packet (--mode packet), one per\n"
	"source per interval with packet, byte, SYN, SYN-ACK, RST and FIN counts and\n"
	"distinct destination ports and hosts (--mode summary, the default), and with\n"
	"--top N the N sources with the most SYNs at the end (as events and as a table\n"
	"on stderr). Malformed packets are counted by reason and skipped.";
static const char epilog[] =
	"exit status: 0 done, 64 usage, 65 malformed packet with --strict, 69 no such\n"
	"interface, 71 cannot drop privileges, 74 I/O error, 77 capture not permitted.\n"
	"example: ward-sniff -r capture.pcap --mode summary --interval 1s | ward-window ...";

static int parse_mode(const char *mode, bool top, enum sniff_mode *out)
{
	if (!mode)
		*out = top ? SNIFF_MODE_NONE : SNIFF_MODE_SUMMARY;
	else if (strcmp(mode, "packet") == 0)
		*out = SNIFF_MODE_PACKET;
	else if (strcmp(mode, "summary") == 0)
		*out = SNIFF_MODE_SUMMARY;
	else if (strcmp(mode, "none") == 0)
		*out = SNIFF_MODE_NONE;
	else
		return -1;
	return 0;
}

static int check_opts(const struct sniff_opts *o, int nops, char **operands)
{
	if (nops > 0) {
		log_error("unexpected operand %s (files are read with -r FILE)", operands[0]);
		return -1;
	}
	if ((o->files.len > 0) == (o->iface != NULL)) {
		log_error("give either -r FILE or -i IFACE");
		return -1;
	}
	if (o->snaplen < 1 || o->snaplen > 262144 || o->max_sources < 1 ||
	    o->max_sources > (1L << 24) || o->top < 0 || o->top > (1L << 24) || o->interval_ns <= 0) {
		log_error("--snaplen must be 1..262144, --max-sources 1..16777216, --top 0..16777216, --interval > 0");
		return -1;
	}
	if (o->top > 0 && o->iface) {
		log_error("--top is for files (-r): a live capture has no end");
		return -1;
	}
	return 0;
}

static void print_top_table(struct sniff *s)
{
	const struct srctab *t = proc_top_table(s->proc);
	if (!t)
		return;
	size_t want = (size_t)s->o.top;
	const struct src_entry **best = ward_xcalloc(want, sizeof *best);
	size_t n = srctab_top_syn(t, want, best);
	fprintf(stderr, "%s: top %zu sources by SYN count\n%5s %12s %12s  %s\n", log_progname(), n,
		"rank", "syn", "packets", "src_ip");
	for (size_t i = 0; i < n; i++) {
		char ip[WARD_IP_STRLEN];
		ip_format(&best[i]->ip, ip);
		fprintf(stderr, "%5zu %12llu %12llu  %s\n", i + 1, (unsigned long long)best[i]->c.syn,
			(unsigned long long)best[i]->c.packets, ip);
	}
	free(best);
}

static int run(struct sniff *s, const struct sniff_proc_opts *po)
{
	struct sniff_proc_opts o = *po;
	s->bad_rl = (struct ward_ratelimit)WARD_RATELIMIT_INIT(5, 10);
	bool opened = stage_open(&s->st, true) == 0;
	/* A byte-stream output reads only the JSON: summary events skip the
	 * event API (their hot path); Kafka and Loki get both. */
	o.summary_json_only = opened && !stage_output_needs_event(&s->st);
	s->proc = proc_new(&o, emit_cb, bad_cb, s);
	if (opened) {
		if (s->o.files.len > 0)
			read_files(s);
		else
			read_live(s);
		if (s->st.exit_code == 0 || s->st.exit_code == WARD_EX_IOERR)
			proc_finish(s->proc);
		if (s->o.top > 0 && !s->st.opts->quiet)
			print_top_table(s);
	}
	ratelimit_flush(&s->bad_rl);
	sync_counters(s);
	int rc = stage_finish(&s->st);
	proc_free(s->proc);
	return rc;
}

int main(int argc, char **argv)
{
	struct ward_common_opts common;
	struct sniff s;
	memset(&s, 0, sizeof s);
	common_opts_defaults(&common);
	s.o.snaplen = 262144;
	s.o.max_sources = 65536;
	s.o.interval_ns = NS_PER_SEC;
	const struct ward_opt table[] = {
		{ "read", 'r', OPT_LIST, &s.o.files, "FILE", "read a pcap or pcapng file (- for stdin), repeatable, in order", NULL },
		{ "interface", 'i', OPT_STRING, &s.o.iface, "IFACE", "capture live on IFACE (any: all interfaces)", NULL },
		{ "filter", 'f', OPT_STRING, &s.o.filter, "BPF", "capture filter, pcap-filter(7) syntax", NULL },
		{ "mode", 'm', OPT_STRING, &s.o.mode, "MODE", "packet, summary or none (default summary; none with --top)", NULL },
		{ "interval", 0, OPT_DURATION, &s.o.interval_ns, "DURATION", "summary interval (default 1s)", NULL },
		{ "max-sources", 0, OPT_INT, &s.o.max_sources, "N", "sources tracked per interval; more are folded into one 'other' event (default 65536)", NULL },
		{ "top", 0, OPT_INT, &s.o.top, "N", "at the end, the N sources with the most SYNs (files only)", NULL },
		{ "snaplen", 's', OPT_INT, &s.o.snaplen, "BYTES", "bytes captured per packet (default 262144)", NULL },
		{ "no-promiscuous", 'p', OPT_FLAG, &s.o.no_promisc, NULL, "do not put the interface in promiscuous mode", NULL },
		{ "immediate", 0, OPT_FLAG, &s.o.immediate, NULL, "deliver packets as they arrive, without kernel buffering", NULL },
		{ "buffer-size", 'B', OPT_SIZE, &s.o.buffer_size, "BYTES", "kernel capture buffer size (default libpcap's)", NULL },
		{ "user", 'Z', OPT_STRING, &s.o.user, "USER", "drop privileges to USER after opening the capture", NULL },
		{ "no-progress", 0, OPT_FLAG, &s.o.no_progress, NULL, "no progress bar on a terminal", NULL },
		{ "out", 'o', OPT_STRING, &common.out, "URI", "write events to URI (default -, stdout)", NULL },
		{ "property", 'X', OPT_LIST, &common.props, "NAME=VALUE", "transport property (Kafka, Loki), repeatable", NULL },
		{ "strict", 0, OPT_FLAG, &common.strict, NULL, "exit 65 at the first malformed packet", NULL },
		WARD_METRICS_OPT(&common),
		WARD_PROGRAM_OPTS(&common),
		{ 0 },
	};
	int nops, rc;
	const struct stage_cli cli = { "ward-sniff", table, synopsis, description, epilog, &common };
	if (stage_cli_parse(&cli, argc, argv, &nops, &rc) != 0)
		goto out;
	struct sniff_proc_opts po = {
		.interval_ns = s.o.interval_ns, .max_sources = (size_t)s.o.max_sources,
		.top_n = s.o.top > 0 ? (size_t)s.o.top : 0,
	};
	/* A whole run sees more sources than an interval; 4M entries is about
	 * 500 MB of address space, touched only as sources arrive. */
	po.top_max_sources = po.max_sources < (1u << 18) ? po.max_sources * 16 : (1u << 22);
	rc = WARD_EX_USAGE;
	if (check_opts(&s.o, nops, argv + 1) != 0)
		goto out;
	if (parse_mode(s.o.mode, s.o.top > 0, &po.mode) != 0) {
		log_error("option --mode: unknown mode: %s (packet, summary, none)", s.o.mode);
		goto out;
	}
	stage_init(&s.st, "sniff", &common);
	rc = run(&s, &po);
out:
	opt_list_free(&s.o.files);
	opt_list_free(&common.props);
	return rc;
}
