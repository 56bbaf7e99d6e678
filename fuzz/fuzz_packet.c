/* libFuzzer target: the packet decoder over raw frames of every link type.
 * The first input byte picks the link type, the second how much shorter
 * the captured length is than the wire length; the rest is the frame, in a
 * buffer of exactly its size so any read past caplen is caught.
 * Invariants: no crash; a result is decoded or malformed with a named reason;
 * the line formatter and the event builder accept whatever was decoded. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stages/sniff/decode.h"
#include "stages/sniff/format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int links[] = {
	SNIFF_DLT_EN10MB, SNIFF_DLT_LINUX_SLL, SNIFF_DLT_LINUX_SLL2, SNIFF_DLT_RAW,
	SNIFF_DLT_RAW_BSD, SNIFF_LINKTYPE_RAW, SNIFF_LINKTYPE_IPV4, SNIFF_LINKTYPE_IPV6,
	SNIFF_DLT_NULL, SNIFF_DLT_LOOP, 105 /* 802.11: unsupported */,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	int lt = links[data[0] % (sizeof links / sizeof links[0])];
	uint32_t extra = data[1] < 128 ? data[1] : (uint32_t)data[1] * 64u;
	size_t caplen = size - 2;
	uint8_t *frame = malloc(caplen ? caplen : 1);
	memcpy(frame, data + 2, caplen);
	struct sniff_pkt pkt;
	enum sniff_status s = sniff_decode(lt, frame, (uint32_t)caplen, (uint32_t)caplen + extra, &pkt);
	if (s == SNIFF_MALFORMED && (pkt.bad <= SNIFF_BAD_NONE || pkt.bad >= SNIFF_BAD_N))
		abort();
	if (s != SNIFF_MALFORMED && pkt.bad != SNIFF_BAD_NONE)
		abort();
	if (s == SNIFF_IP) {
		char line[256];
		if (sniff_format_line(&pkt, line, sizeof line) >= sizeof line || strlen(line) >= sizeof line)
			abort();
		struct ward_event ev;
		struct sniff_source src = { "iface", "fuzz0" };
		event_init(&ev);
		sniff_packet_event(&ev, &pkt, 0, &src);
		event_free(&ev);
	}
	free(frame);
	return 0;
}
