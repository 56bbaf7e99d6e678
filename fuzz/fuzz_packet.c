/* libFuzzer target: the packet decoder over raw frames of every link type.
 * The first input byte picks the link type, the second how much shorter
 * the captured length is than the wire length; the rest is the frame, in a
 * buffer of exactly its size so any read past caplen is caught.
 * Invariants: no crash; a result is decoded or malformed with a named reason;
 * the line formatter and the event builder accept whatever was decoded; a
 * Community ID is "1:" and 28 base64 characters, and the packet with its
 * endpoints swapped (the reply) has the same one (ICMP: a type with a
 * counterpart, replaced by it). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stages/sniff/community_id.h"
#include "stages/sniff/decode.h"
#include "stages/sniff/format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int links[] = {
	SNIFF_DLT_EN10MB, SNIFF_DLT_LINUX_SLL, SNIFF_DLT_LINUX_SLL2, SNIFF_DLT_RAW,
	SNIFF_DLT_RAW_BSD, SNIFF_LINKTYPE_RAW, SNIFF_LINKTYPE_IPV4, SNIFF_LINKTYPE_IPV6,
	SNIFF_DLT_NULL, SNIFF_DLT_LOOP, 105 /* 802.11: unsupported */,
};

/* The reply's type of an ICMP type with a counterpart, or -1. */
static int icmp_reply_type(const struct sniff_pkt *p)
{
	static const uint8_t v4[][2] = { { 8, 0 }, { 13, 14 }, { 15, 16 }, { 10, 9 }, { 17, 18 } };
	static const uint8_t v6[][2] = { { 128, 129 }, { 130, 131 }, { 133, 134 }, { 135, 136 },
					 { 139, 140 }, { 144, 145 } };
	const uint8_t (*t)[2] = p->ip_version == 4 ? v4 : v6;
	size_t n = p->ip_version == 4 ? sizeof v4 / sizeof v4[0] : sizeof v6 / sizeof v6[0];
	for (size_t i = 0; i < n; i++) {
		if (t[i][0] == p->icmp_type)
			return t[i][1];
		if (t[i][1] == p->icmp_type)
			return t[i][0];
	}
	return -1;
}

static void check_community_id(const struct sniff_pkt *pkt)
{
	char a[COMMUNITY_ID_SIZE], b[COMMUNITY_ID_SIZE];
	size_t n = community_id_packet(pkt, a);
	if (n == 0)
		return;
	if (n != COMMUNITY_ID_LEN || strlen(a) != n || a[0] != '1' || a[1] != ':' || a[n - 1] != '=')
		abort();
	for (size_t i = 2; i < n - 1; i++)
		if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", a[i]))
			abort();
	struct sniff_pkt rev = *pkt;
	rev.src = pkt->dst;
	rev.dst = pkt->src;
	rev.sport = pkt->dport;
	rev.dport = pkt->sport;
	if (pkt->has_icmp) {
		int r = icmp_reply_type(pkt);
		if (r < 0)
			return;	/* one way: the direction is part of the ID */
		rev.icmp_type = (uint8_t)r;
	}
	if (community_id_packet(&rev, b) != n || strcmp(a, b) != 0)
		abort();
}

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
		sniff_packet_event(&ev, &pkt, 0, &src, NULL);
		event_free(&ev);
		check_community_id(&pkt);
	}
	free(frame);
	return 0;
}
