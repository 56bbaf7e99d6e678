/* libFuzzer target: whole pcap / pcapng files through libpcap's reader
 * (pcap_fopen_offline on fmemopen) and ward-sniff's processor in summary mode
 * with --top, as `ward-sniff -r FILE --top 5` does.
 * Invariants: no crash, no leak, no hang; every frame libpcap returns is
 * counted exactly once. */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stages/sniff/capture.h"
#include "stages/sniff/proc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Summary events come with their JSON written directly: it must be what
 * event_serialize writes. */
static int check_event(void *ctx, const struct ward_event *ev, const char *json, size_t len)
{
	(void)ctx;
	if (!json || !ev)
		return 0;
	struct ward_buf b = WARD_BUF_INIT;
	event_serialize(ev, &b);
	if (b.len != len || memcmp(b.data, json, len) != 0)
		abort();
	buf_free(&b);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	FILE *f = fmemopen((void *)(uintptr_t)data, size, "rb");
	if (!f)
		return 0;
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, err);
	if (!p) {
		fclose(f);
		return 0;
	}
	struct sniff_proc_opts o = { .mode = SNIFF_MODE_SUMMARY, .interval_ns = 1000000000LL,
				     .max_sources = 8, .top_n = 5, .top_max_sources = 16 };
	struct sniff_proc *proc = proc_new(&o, check_event, NULL, NULL);
	struct sniff_source src = { "file", "fuzz.pcap" };
	proc_set_source(proc, &src);
	struct pcap_pkthdr *h;
	const u_char *pkt;
	uint64_t frames = 0;
	int linktype = pcap_datalink(p);
	while (pcap_next_ex(p, &h, &pkt) == 1 && frames < 100000) {
		proc_frame(proc, linktype, pkt, h->caplen, h->len, capture_ts_ns(h, true));
		frames++;
	}
	proc_finish(proc);
	const struct sniff_stats *st = proc_stats(proc);
	if (st->frames != frames || st->ip + st->not_ip + st->unsupported + st->malformed != frames)
		abort();
	proc_free(proc);
	pcap_close(p);	/* closes f */
	return 0;
}
