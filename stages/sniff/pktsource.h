/* pktsource.h - a capture (a pcap/pcapng file, or a live interface) as a
 * struct ward_input, so the stage loop (stage.h) drives ward-sniff as it
 * drives every stage: its reads, stop checks and output flushes.
 *
 * A record is one frame: data and len are the captured bytes, ts_ns the
 * packet's time; the frame's length on the wire and the link type are the
 * source's (pktsource_wirelen, pktsource_linktype), valid until the next
 * record. A file is always buffered (the loop flushes at its end); a live
 * capture is buffered while a frame is waiting, so events are flushed when
 * the capture goes quiet. The source logs its read errors (REC_ERROR). */
#ifndef WARD_SNIFF_PKTSOURCE_H
#define WARD_SNIFF_PKTSOURCE_H

#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdint.h>

#include "transport.h"

struct pktsource {
	struct ward_input in;	/* first member: a ward_input * is this */
	pcap_t *p;
	const char *where;	/* file or interface, for messages */
	int linktype;
	bool nano;		/* the handle's times are in nanoseconds */
	bool live;
	int fd;			/* live: pollable descriptor */
	uint32_t wirelen;	/* of the last frame */
	uint64_t frames;	/* frames returned */
	/* the last frame read; live: stashed when buffered() read it and
	 * next() has not returned it yet */
	bool stashed;
	struct pcap_pkthdr *stash_h;
	const u_char *stash_data;
};

/* Take over p (opened by capture.h): a file read once, or a live capture
 * (non-blocking from here on). Returns NULL with err set when a live
 * handle cannot be polled. where must outlive the source. */
struct pktsource *pktsource_new(pcap_t *p, const char *where, bool live, char *err,
				size_t errlen);

static inline int pktsource_linktype(const struct pktsource *s)
{
	return s->linktype;
}

static inline uint32_t pktsource_wirelen(const struct pktsource *s)
{
	return s->wirelen;
}

/* Bytes of a file read so far, -1 when unknown (stdin, live). */
int64_t pktsource_pos(const struct pktsource *s);
/* The kernel's drop counts of a live capture; -1 when unavailable. */
int pktsource_drops(const struct pktsource *s, uint64_t *dropped, uint64_t *if_dropped);

#endif
