/* pktsource.c - libpcap reads behind the ward_input interface. */
#include "stages/sniff/pktsource.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "log.h"
#include "stages/sniff/capture.h"

static enum rec_status record(struct pktsource *s, const struct pcap_pkthdr *h,
			      const u_char *data, struct ward_record *rec)
{
	s->wirelen = h->len;
	s->frames++;
	rec->data = (const char *)data;
	rec->len = h->caplen;
	rec->ts_ns = capture_ts_ns(h, s->nano);
	return REC_OK;
}

static enum rec_status read_failed(struct pktsource *s)
{
	if (s->live)
		log_error("%s: capture failed: %s", s->where, pcap_geterr(s->p));
	else
		log_error("%s: reading failed after %llu packets: %s", s->where,
			  (unsigned long long)s->frames, pcap_geterr(s->p));
	return REC_ERROR;
}

static enum rec_status file_next(struct ward_input *in, int timeout_ms, struct ward_record *rec)
{
	struct pktsource *s = (struct pktsource *)in;
	(void)timeout_ms;	/* a file never waits */
	/* into the source, not locals: no stack canary on the per-frame path */
	int rc = pcap_next_ex(s->p, &s->stash_h, &s->stash_data);
	if (rc != 1)
		return rc == PCAP_ERROR_BREAK ? REC_EOF : read_failed(s);
	s->wirelen = s->stash_h->len;
	s->frames++;
	rec->data = (const char *)s->stash_data;
	rec->len = s->stash_h->caplen;
	rec->ts_ns = capture_ts_ns(s->stash_h, true);	/* files: nanoseconds (capture.h) */
	return REC_OK;
}

static bool file_buffered(struct ward_input *in)
{
	(void)in;
	return true;
}

/* Non-blocking: 1 with a frame, 0 without, PCAP_ERROR. */
static int live_read(struct pktsource *s)
{
	if (s->stashed)
		return 1;
	int rc = pcap_next_ex(s->p, &s->stash_h, &s->stash_data);
	s->stashed = rc == 1;
	return rc == PCAP_ERROR_BREAK ? 0 : rc;
}

static enum rec_status live_next(struct ward_input *in, int timeout_ms, struct ward_record *rec)
{
	struct pktsource *s = (struct pktsource *)in;
	int rc = live_read(s);
	if (rc == 0) {
		struct pollfd pfd = { .fd = s->fd, .events = POLLIN };
		if (poll(&pfd, 1, timeout_ms) < 0 && errno != EINTR) {
			log_error("%s: poll: %s", s->where, strerror(errno));
			return REC_ERROR;
		}
		rc = live_read(s);
	}
	if (rc < 0)
		return read_failed(s);
	if (rc == 0)
		return REC_TIMEOUT;
	s->stashed = false;
	return record(s, s->stash_h, s->stash_data, rec);
}

static bool live_buffered(struct ward_input *in)
{
	return live_read((struct pktsource *)in) == 1;
}

static void pktsource_close(struct ward_input *in)
{
	struct pktsource *s = (struct pktsource *)in;
	pcap_close(s->p);
	free(s->in.uri);
	free(s);
}

static const struct ward_input_ops file_ops = {
	.next = file_next, .buffered = file_buffered, .close = pktsource_close,
};
static const struct ward_input_ops live_ops = {
	.next = live_next, .buffered = live_buffered, .close = pktsource_close,
};

struct pktsource *pktsource_new(pcap_t *p, const char *where, bool live, char *err,
				size_t errlen)
{
	int fd = -1;
	if (live) {
		char perr[PCAP_ERRBUF_SIZE];
		fd = pcap_get_selectable_fd(p);
		if (fd < 0 || pcap_setnonblock(p, 1, perr) != 0) {
			snprintf(err, errlen, "%s: cannot poll the capture", where);
			return NULL;
		}
	}
	struct pktsource *s = ward_xcalloc(1, sizeof *s);
	s->in.ops = live ? &live_ops : &file_ops;
	s->in.uri = ward_xstrdup(where);
	s->p = p;
	s->where = where;
	s->live = live;
	s->fd = fd;
	s->linktype = pcap_datalink(p);
	/* Files are opened with nanosecond precision (capture.h); a live
	 * capture has it only where the kernel gives it. */
	s->nano = !live || pcap_get_tstamp_precision(p) == PCAP_TSTAMP_PRECISION_NANO;
	return s;
}

int64_t pktsource_pos(const struct pktsource *s)
{
	return s->live ? -1 : capture_file_pos(s->p);
}

int pktsource_drops(const struct pktsource *s, uint64_t *dropped, uint64_t *if_dropped)
{
	struct pcap_stat ps;
	if (!s->live || pcap_stats(s->p, &ps) != 0)
		return -1;
	*dropped = ps.ps_drop;
	*if_dropped = ps.ps_ifdrop;
	return 0;
}
