/* capture.h - opening libpcap handles: files (pcap, pcapng, stdin) and live
 * interfaces, BPF filters, and dropping privileges after opening.
 *
 * Errors are written into err (no logging here) so the caller decides the
 * exit status. Handles are the caller's to pcap_close. */
#ifndef WARD_SNIFF_CAPTURE_H
#define WARD_SNIFF_CAPTURE_H

#include <pcap/pcap.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct capture_live_opts {
	const char *iface;	/* "any" for all interfaces */
	int snaplen;
	bool promisc;
	bool immediate;
	size_t buffer_size;	/* 0: libpcap's default */
	int timeout_ms;		/* packet buffer timeout */
};

/* Status for the caller's exit code. */
enum capture_err { CAPTURE_OK = 0, CAPTURE_ERR_IO, CAPTURE_ERR_PERM, CAPTURE_ERR_NODEV, CAPTURE_ERR_CONFIG };

/* A file ("-" is stdin), timestamps in nanoseconds. */
pcap_t *capture_open_file(const char *path, char *err, size_t errlen);
/* A live interface, activated. *warn receives libpcap's warning, if any. */
pcap_t *capture_open_live(const struct capture_live_opts *o, enum capture_err *why,
			  char *err, size_t errlen, char *warn, size_t warnlen);
/* Compile and install a BPF filter (pcap-filter(7) syntax). */
int capture_set_filter(pcap_t *p, const char *filter, bool live, char *err, size_t errlen);
/* As tcpdump -Z: become USER (its groups, gid, uid), with no way back and no
 * new privileges from exec. */
int capture_drop_privileges(const char *user, char *err, size_t errlen);

/* Bytes of the file read so far and its size, for the progress bar; -1
 * when unknown (stdin, pipe). */
int64_t capture_file_pos(pcap_t *p);

/* Nanoseconds since the epoch of a packet header read from a handle opened
 * with nanosecond precision (files) or with precision `nano`. Saturates: a
 * pcapng block can claim a time far beyond what int64 nanoseconds hold. */
static inline int64_t capture_ts_ns(const struct pcap_pkthdr *h, bool nano)
{
	const int64_t max_sec = INT64_MAX / 1000000000LL - 1;
	int64_t sec = (int64_t)h->ts.tv_sec, frac = (int64_t)h->ts.tv_usec;
	if (sec < 0)
		return 0;
	if (sec > max_sec)
		return max_sec * 1000000000LL;
	if (frac < 0 || frac > 999999999)
		frac = 0;
	return sec * 1000000000LL + frac * (nano ? 1 : 1000);
}

#endif
