/* ward-sniff - packets (live or pcap/pcapng files) to ward events: one per
 * packet, one per source per interval, or the top sources by SYN count. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exitcodes.h"
#include "signals.h"
#include "progress.h"
#include "stage.h"
#include "stages/sniff/capture.h"
#include "stages/sniff/proc.h"
#include "wtime.h"

#define PROGRESS_EVERY 4096u	/* frames between progress updates and stop checks */

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
	struct ward_ratelimit bad_rl;
	const char *where;		/* file or interface being read, for messages */
	bool strict_hit;
	uint64_t last_drops;
};

static int emit_cb(void *ctx, const struct ward_event *ev, const char *json, size_t len)
{
	struct sniff *s = ctx;
	return json ? stage_emit_json(&s->st, ev, json, len) : stage_emit(&s->st, ev);
}

static void bad_cb(void *ctx, uint64_t frame_no, const struct sniff_pkt *pkt)
{
	struct sniff *s = ctx;
	log_warn_limited(&s->bad_rl, "%s: frame %llu: malformed packet skipped: %s (caplen %u, len %u)",
			 s->where, (unsigned long long)frame_no, sniff_bad_name(pkt->bad),
			 pkt->caplen, pkt->wirelen);
	if (s->st.opts->strict)
		s->strict_hit = true;
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

static bool should_stop(struct sniff *s)
{
	if (signals_take_usr1()) {
		sync_counters(s);
		counters_print(&s->st.counters, stderr);
	}
	if (s->strict_hit) {
		log_error("stopping at the first malformed packet (--strict)");
		s->st.exit_code = WARD_EX_DATAERR;
		s->strict_hit = false;	/* reported once; the exit code stops the rest */
		return true;
	}
	return signals_stop_requested() || s->st.output_closed || s->st.exit_code != 0;
}

/* ---- files --------------------------------------------------------------- */

/* The capture file's size for the progress line (common/progress.h: shown
 * on a terminal only, and only once a run lasts), or -1 (stdin,
 * --no-progress). */
static int64_t progress_size(const struct sniff *s, const char *path)
{
	struct stat sb;
	if (s->o.no_progress || strcmp(path, "-") == 0 || stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
		return -1;
	return sb.st_size;
}

static int read_file(struct sniff *s, pcap_t *p, const char *path)
{
	const int linktype = pcap_datalink(p);
	struct sniff_source src = { "file", strcmp(path, "-") == 0 ? "-" : path };
	uint64_t frames = 0;
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc;
	s->where = path;
	proc_set_source(s->proc, &src);
	if (!sniff_link_supported(linktype))
		log_warn("%s: link type %d (%s) is not decoded: its frames are counted as unsupported_link",
			 path, linktype, pcap_datalink_val_to_name(linktype) ? pcap_datalink_val_to_name(linktype) : "?");
	progress_begin(path, progress_size(s, path), time_mono_ns());
	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		if (proc_frame(s->proc, linktype, data, h->caplen, h->len, capture_ts_ns(h, true)) != 0 ||
		    s->strict_hit) {
			should_stop(s);
			break;
		}
		if ((++frames % PROGRESS_EVERY) == 0) {
			if (should_stop(s))
				break;
			int64_t pos = capture_file_pos(p);
			if (pos >= 0)
				progress_update(pos, frames, time_mono_ns());
		}
	}
	progress_end();
	if (rc == PCAP_ERROR) {
		log_error("%s: reading failed after %llu packets: %s", path,
			  (unsigned long long)frames, pcap_geterr(p));
		s->st.exit_code = WARD_EX_IOERR;
	}
	return proc_flush(s->proc);
}

static int read_files(struct sniff *s)
{
	size_t n = s->o.files.len;
	pcap_t **handles = ward_xcalloc(n, sizeof *handles);
	char err[PCAP_ERRBUF_SIZE + 64];
	/* Open everything first: a missing file fails before any output, and
	 * -Z can drop privileges once all files are open, as tcpdump does. */
	for (size_t i = 0; i < n && s->st.exit_code == 0; i++) {
		const char *path = s->o.files.items[i];
		if (!(handles[i] = capture_open_file(path, err, sizeof err))) {
			log_error("opening %s failed: %s", path, err);
			s->st.exit_code = WARD_EX_IOERR;
		} else if (s->o.filter && capture_set_filter(handles[i], s->o.filter, false, err, sizeof err) != 0) {
			log_error("filter %s: %s", s->o.filter, err);
			s->st.exit_code = WARD_EX_USAGE;
		}
	}
	if (s->st.exit_code == 0 && s->o.user && capture_drop_privileges(s->o.user, err, sizeof err) != 0) {
		log_error("option -Z: %s", err);
		s->st.exit_code = WARD_EX_OSERR;
	}
	for (size_t i = 0; i < n && !should_stop(s); i++)
		read_file(s, handles[i], s->o.files.items[i]);
	for (size_t i = 0; i < n; i++)
		if (handles[i])
			pcap_close(handles[i]);
	free(handles);
	return s->st.exit_code;
}

/* ---- live ---------------------------------------------------------------- */

struct live_ctx {
	struct sniff *s;
	int linktype;
	bool nano;
};

static void live_cb(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
	struct live_ctx *lc = (struct live_ctx *)user;
	proc_frame(lc->s->proc, lc->linktype, data, h->caplen, h->len, capture_ts_ns(h, lc->nano));
}

/* pcap_stats: report the kernel's drops when they grow. */
static void check_drops(struct sniff *s, pcap_t *p, const struct sniff_source *src)
{
	struct pcap_stat ps;
	if (pcap_stats(p, &ps) != 0)
		return;
	*counters_extra(&s->st.counters, "kernel_drops") = ps.ps_drop;
	*counters_extra(&s->st.counters, "if_drops") = ps.ps_ifdrop;
	if (ps.ps_drop > s->last_drops) {
		struct ward_event ev;
		event_init(&ev);
		sniff_drop_event(&ev, ps.ps_drop - s->last_drops, ps.ps_drop, ps.ps_ifdrop,
				 time_now_ns(), src);
		stage_emit(&s->st, &ev);
		event_free(&ev);
		log_warn("%s: the capture dropped %llu packets (total %u)", s->where,
			 (unsigned long long)(ps.ps_drop - s->last_drops), ps.ps_drop);
		s->last_drops = ps.ps_drop;
	}
}

static int live_loop(struct sniff *s, pcap_t *p, const struct sniff_source *src)
{
	struct live_ctx lc = { s, pcap_datalink(p), pcap_get_tstamp_precision(p) == PCAP_TSTAMP_PRECISION_NANO };
	char err[PCAP_ERRBUF_SIZE];
	int fd = pcap_get_selectable_fd(p);
	if (fd < 0 || pcap_setnonblock(p, 1, err) != 0) {
		log_error("%s: cannot poll the capture", s->where);
		return s->st.exit_code = WARD_EX_IOERR;
	}
	int64_t next_stats = time_mono_ns() + NS_PER_SEC;
	while (!should_stop(s)) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int n = poll(&pfd, 1, 100);
		if (n < 0 && errno != EINTR) {
			log_error("%s: poll: %s", s->where, strerror(errno));
			return s->st.exit_code = WARD_EX_IOERR;
		}
		if (pcap_dispatch(p, -1, live_cb, (u_char *)&lc) == PCAP_ERROR) {
			log_error("%s: capture failed: %s", s->where, pcap_geterr(p));
			return s->st.exit_code = WARD_EX_IOERR;
		}
		proc_tick(s->proc, time_now_ns());
		if (time_mono_ns() >= next_stats) {
			next_stats = time_mono_ns() + NS_PER_SEC;
			check_drops(s, p, src);
			output_flush(s->st.out, 0);
		}
	}
	check_drops(s, p, src);
	return s->st.exit_code;
}

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
	s->where = s->o.iface;
	struct sniff_source src = { "iface", s->o.iface };
	proc_set_source(s->proc, &src);
	if (!sniff_link_supported(pcap_datalink(p)))
		log_warn("%s: link type %d is not decoded: its frames are counted as unsupported_link",
			 s->o.iface, pcap_datalink(p));
	if (s->o.filter && capture_set_filter(p, s->o.filter, true, err, sizeof err) != 0) {
		log_error("filter %s: %s", s->o.filter, err);
		s->st.exit_code = WARD_EX_USAGE;
	} else if (s->o.user && capture_drop_privileges(s->o.user, err, sizeof err) != 0) {
		log_error("option -Z: %s", err);
		s->st.exit_code = WARD_EX_OSERR;
	} else {
		log_info("capturing on %s (link type %s)", s->o.iface,
			 pcap_datalink_val_to_name(pcap_datalink(p)) ? pcap_datalink_val_to_name(pcap_datalink(p)) : "?");
		live_loop(s, p, &src);
	}
	pcap_close(p);
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
	log_init("ward-sniff");
	if (opts_parse(table, argc, argv, &nops) != 0)
		return WARD_EX_USAGE;
	if (stage_common_flags(&common, table, synopsis, description, epilog, &rc))
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
