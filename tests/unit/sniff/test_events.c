/* test_events.c - flags and lines, packet events, the bounded source table
 * and the interval logic of the processor. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "stages/sniff/proc.h"
#include "tests/unit/sniff/pktbuild.h"
#include "wtime.h"

static void flag_strings(void **state)
{
	(void)state;
	char s[10];
	sniff_flags_str(TCPF_SYN, s);
	assert_string_equal(s, "S");
	sniff_flags_str(TCPF_SYN | TCPF_ACK, s);
	assert_string_equal(s, "SA");
	sniff_flags_str(TCPF_FIN | TCPF_ACK, s);
	assert_string_equal(s, "FA");
	sniff_flags_str(TCPF_SYN | TCPF_ECE | TCPF_CWR | TCPF_AE, s);
	assert_string_equal(s, "SECN");
	sniff_flags_str(0, s);
	assert_string_equal(s, "");
	sniff_tcpdump_flags(TCPF_SYN | TCPF_ACK, s);
	assert_string_equal(s, "S.");
	sniff_tcpdump_flags(TCPF_FIN | TCPF_PSH | TCPF_ACK, s);
	assert_string_equal(s, "FP.");
	sniff_tcpdump_flags(0, s);
	assert_string_equal(s, "none");
	char n[8];
	assert_string_equal(sniff_proto_name(58, n), "IPv6-ICMP");
	assert_string_equal(sniff_proto_name(200, n), "200");
}

static void decode_pb(const struct pb *p, struct sniff_pkt *k)
{
	assert_int_equal(sniff_decode(SNIFF_DLT_EN10MB, p->b, (uint32_t)p->len, (uint32_t)p->len, k), SNIFF_IP);
}

static void syn_frame(struct pb *p, const char *src, uint16_t dport, uint16_t flags)
{
	memset(p, 0, sizeof *p);
	pb_eth(p, 0x0800);
	pb_ipv4(p, src, "10.0.0.2", 6, 5, 20, 0);
	pb_tcp(p, 4242, dport, flags, 5);
}

static void lines(void **state)
{
	(void)state;
	struct pb p;
	struct sniff_pkt k;
	char line[256];
	syn_frame(&p, "198.18.0.7", 22, TCPF_SYN);
	decode_pb(&p, &k);
	sniff_format_line(&k, line, sizeof line);
	assert_string_equal(line, "IP 198.18.0.7.4242 > 10.0.0.2.22: Flags [S], length 0");
	/* truncated to the buffer, always terminated */
	assert_int_equal(sniff_format_line(&k, line, 8), 7);
	assert_string_equal(line, "IP 198.");

	memset(&p, 0, sizeof p);
	pb_eth(&p, 0x86dd);
	pb_ipv6(&p, "2001:db8::1", "2001:db8::2", 17, 8 + 5);
	pb_udp(&p, 53, 999, 5);
	pb_zero(&p, 5);
	decode_pb(&p, &k);
	sniff_format_line(&k, line, sizeof line);
	assert_string_equal(line, "IP6 2001:db8::1.53 > 2001:db8::2.999: UDP, length 5");

	memset(&p, 0, sizeof p);
	pb_eth(&p, 0x0800);
	pb_ipv4(&p, "192.0.2.1", "192.0.2.2", 1, 5, 8, 0);
	pb_icmp(&p, 8, 0);
	decode_pb(&p, &k);
	sniff_format_line(&k, line, sizeof line);
	assert_string_equal(line, "IP 192.0.2.1 > 192.0.2.2: ICMP echo request, length 8");

	memset(&p, 0, sizeof p);
	pb_eth(&p, 0x0800);
	pb_ipv4(&p, "192.0.2.1", "192.0.2.2", 17, 5, 8, 185);
	pb_zero(&p, 8);
	decode_pb(&p, &k);
	sniff_format_line(&k, line, sizeof line);
	assert_string_equal(line, "IP 192.0.2.1 > 192.0.2.2: frag offset 1480, proto UDP, length 8");
}

static void packet_event_json(void **state)
{
	(void)state;
	struct pb p;
	struct sniff_pkt k;
	struct ward_event ev;
	struct ward_buf out = WARD_BUF_INIT;
	memset(&p, 0, sizeof p);
	pb_eth(&p, 0x8100);
	pb_vlan(&p, 200, 0x0800);
	pb_ipv4(&p, "198.18.0.7", "10.0.0.2", 6, 5, 20, 0);
	pb_tcp(&p, 4242, 22, TCPF_SYN, 5);
	decode_pb(&p, &k);
	event_init(&ev);
	struct sniff_source src = { "iface", "veth0" };
	sniff_packet_event(&ev, &k, 1795855432000120000LL, &src, NULL);
	event_serialize(&ev, &out);
	assert_string_equal(buf_cstr(&out),
		"{\"v\":1,\"ts\":\"2026-11-28T08:43:52.000120000Z\",\"labels\":{\"job\":\"sniff\",\"iface\":\"veth0\"},"
		"\"line\":\"IP 198.18.0.7.4242 > 10.0.0.2.22: Flags [S], length 0\","
		"\"fields\":{\"src_ip\":\"198.18.0.7\",\"src_port\":4242,\"dest_ip\":\"10.0.0.2\",\"dest_port\":22,"
		"\"proto\":\"TCP\",\"community_id\":\"1:LzN6YXHi5GYUeFeaGJCdjICVN/s=\",\"tcp_flags\":\"S\",\"pkt_len\":58,\"vlan\":200}}");
	buf_free(&out);
	event_free(&ev);
}

static void srctab_counts_and_distinct(void **state)
{
	(void)state;
	struct srctab *t = srctab_new(16, true, SRCTAB_RANK_PACKETS);
	struct pb p;
	struct sniff_pkt k;
	for (uint16_t port = 1; port <= 100; port++) {
		syn_frame(&p, "203.0.113.66", port, TCPF_SYN);
		decode_pb(&p, &k);
		srctab_add(t, &k);
		srctab_add(t, &k);	/* a retransmission: same port */
	}
	syn_frame(&p, "203.0.113.10", 80, TCPF_SYN | TCPF_ACK);
	decode_pb(&p, &k);
	srctab_add(t, &k);
	syn_frame(&p, "203.0.113.10", 80, TCPF_RST | TCPF_FIN);
	decode_pb(&p, &k);
	srctab_add(t, &k);
	assert_int_equal(srctab_count(t), 2);
	const struct src_entry *a = srctab_at(t, 0), *b = srctab_at(t, 1);
	assert_int_equal(a->c.packets, 200);
	assert_int_equal(a->c.syn, 200);
	assert_int_equal(a->c.dest_ports, 100);
	assert_int_equal(a->c.dest_hosts, 1);
	assert_int_equal(a->c.bytes, 200 * 54);
	assert_int_equal(b->c.synack, 1);
	assert_int_equal(b->c.rst, 1);
	assert_int_equal(b->c.fin, 1);
	assert_int_equal(b->c.syn, 0);
	srctab_reset(t);
	assert_int_equal(srctab_count(t), 0);
	syn_frame(&p, "203.0.113.66", 1, TCPF_SYN);
	decode_pb(&p, &k);
	srctab_add(t, &k);
	assert_int_equal(srctab_at(t, 0)->c.dest_ports, 1);	/* not remembered across reset */
	srctab_free(t);
}

static void srctab_bounded_eviction(void **state)
{
	(void)state;
	struct srctab *t = srctab_new(64, true, SRCTAB_RANK_PACKETS);
	struct pb p;
	struct sniff_pkt k;
	char ip[32];
	/* a heavy hitter, then 5000 spoofed single-packet sources */
	for (int i = 0; i < 1000; i++) {
		syn_frame(&p, "203.0.113.10", 80, TCPF_SYN);
		decode_pb(&p, &k);
		srctab_add(t, &k);
	}
	for (int i = 0; i < 5000; i++) {
		snprintf(ip, sizeof ip, "198.18.%d.%d", i / 250, i % 250 + 1);
		syn_frame(&p, ip, 443, TCPF_SYN);
		decode_pb(&p, &k);
		srctab_add(t, &k);
		syn_frame(&p, "203.0.113.10", 80, TCPF_SYN);
		decode_pb(&p, &k);
		srctab_add(t, &k);
	}
	assert_int_equal(srctab_count(t), 64);
	uint64_t tracked = 0, other_n = 0;
	bool heavy = false;
	for (size_t i = 0; i < srctab_count(t); i++) {
		const struct src_entry *e = srctab_at(t, i);
		tracked += e->c.packets;
		char s[WARD_IP_STRLEN];
		ip_format(&e->ip, s);
		if (strcmp(s, "203.0.113.10") == 0) {
			heavy = true;
			assert_int_equal(e->c.packets, 6000);
		}
	}
	assert_true(heavy);
	const struct src_counts *other = srctab_other(t, &other_n);
	assert_int_equal(other_n, 5000 - 63);
	assert_int_equal(tracked + other->packets, 11000);	/* nothing lost */
	assert_int_equal(srctab_stats(t)->evicted, other_n);
	/* every tracked source can still be found after the deletions */
	for (size_t i = 0; i < srctab_count(t); i++) {
		struct sniff_pkt q = { 0 };
		q.src = srctab_at(t, i)->ip;
		q.dst = k.dst;
		uint64_t before = srctab_at(t, i)->c.packets;
		srctab_add(t, &q);
		assert_int_equal(srctab_count(t), 64);
		assert_int_equal(srctab_at(t, i)->c.packets, before + 1);
	}
	srctab_free(t);
}

/* Distinct ports and hosts against a naive count, across the entry's own
 * slots, the pair set, both growing (thousands of sources and pairs in one
 * interval) and shrinking again after a reset. */
static void srctab_distinct_exact(void **state)
{
	(void)state;
	enum { NSRC = 3000, NPORT = 64, NHOST = 40 };
	struct srctab *t = srctab_new(4000, true, SRCTAB_RANK_PACKETS);
	static bool seen_port[NSRC][NPORT], seen_host[NSRC][NHOST];
	static uint64_t want_ports[NSRC], want_hosts[NSRC];
	uint64_t rng = 42;
	for (int round = 0; round < 2; round++) {
		int nsrc = round == 0 ? NSRC : 300;
		memset(seen_port, 0, sizeof seen_port);
		memset(seen_host, 0, sizeof seen_host);
		memset(want_ports, 0, sizeof want_ports);
		memset(want_hosts, 0, sizeof want_hosts);
		for (int i = 0; i < 24000; i++) {	/* within the pair set's bound */
			rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
			int src = (int)((rng >> 33) % (uint64_t)nsrc);
			/* source k reaches up to k % 9 + 1 ports and hosts: some stay
			 * within the entry, others spill into the pair set */
			int lim = src % 9 + 1;
			int port = (int)((rng >> 20) % (uint64_t)(lim * 7 > NPORT ? NPORT : lim * 7));
			int host = (int)((rng >> 45) % (uint64_t)(lim > NHOST ? NHOST : lim));
			struct sniff_pkt k = { 0 };
			k.src.family = AF_INET;
			k.src.addr[0] = 198;
			k.src.addr[1] = 18;
			k.src.addr[2] = (uint8_t)(src >> 8);
			k.src.addr[3] = (uint8_t)src;
			k.dst.family = src % 2 ? AF_INET : AF_INET6;
			k.dst.addr[0] = 10;
			k.dst.addr[15] = (uint8_t)host;
			k.dst.addr[3] = (uint8_t)host;
			k.proto = IPPROTO_NUM_TCP;
			k.has_ports = true;
			k.dport = (uint16_t)(1000 + port);
			k.tcp_flags = TCPF_SYN;
			srctab_add(t, &k);
			if (!seen_port[src][port]) {
				seen_port[src][port] = true;
				want_ports[src]++;
			}
			if (!seen_host[src][host]) {
				seen_host[src][host] = true;
				want_hosts[src]++;
			}
		}
		assert_int_equal(srctab_count(t), nsrc);
		assert_int_equal(srctab_stats(t)->saturated, 0);
		for (size_t i = 0; i < srctab_count(t); i++) {
			const struct src_entry *e = srctab_at(t, i);
			int src = e->ip.addr[2] << 8 | e->ip.addr[3];
			assert_int_equal(e->c.dest_ports, want_ports[src]);
			assert_int_equal(e->c.dest_hosts, want_hosts[src]);
		}
		srctab_reset(t);
	}
	srctab_free(t);
}

static void srctab_top(void **state)
{
	(void)state;
	struct srctab *t = srctab_new(100, false, SRCTAB_RANK_SYN);
	struct pb p;
	struct sniff_pkt k;
	const char *ips[] = { "192.0.2.1", "192.0.2.2", "192.0.2.3" };
	const int syns[] = { 5, 9, 5 };
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < syns[i]; j++) {
			syn_frame(&p, ips[i], 80, TCPF_SYN);
			decode_pb(&p, &k);
			srctab_add(t, &k);
		}
	const struct src_entry *best[5];
	assert_int_equal(srctab_top_syn(t, 5, best), 3);
	char s[WARD_IP_STRLEN];
	ip_format(&best[0]->ip, s);
	assert_string_equal(s, "192.0.2.2");
	ip_format(&best[1]->ip, s);
	assert_string_equal(s, "192.0.2.1");	/* tie: lower address first */
	assert_int_equal(srctab_top_syn(t, 1, best), 1);
	srctab_free(t);
}

/* The processor with a capturing emit callback. */
struct sink {
	struct ward_buf all;
	int n;
	int json;	/* of which came with their JSON */
};

static int sink_emit(void *ctx, const struct ward_event *ev, const char *json, size_t len)
{
	struct sink *s = ctx;
	size_t at = s->all.len;
	if (ev)
		event_serialize(ev, &s->all);
	if (json) {	/* summary events: the direct JSON is the event's */
		if (ev) {
			assert_int_equal(s->all.len - at, len);
			assert_memory_equal(s->all.data + at, json, len);
		} else {
			buf_append(&s->all, json, len);
		}
		s->json++;
	}
	buf_append_char(&s->all, '\n');
	s->n++;
	return 0;
}

static int count_substr(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *q = hay; (q = strstr(q, needle)); q++)
		n++;
	return n;
}

static void proc_intervals(void **state)
{
	(void)state;
	struct sink sink = { WARD_BUF_INIT, 0, 0 };
	struct sniff_proc_opts o = { .mode = SNIFF_MODE_SUMMARY, .interval_ns = NS_PER_SEC,
				     .max_sources = 100, .top_n = 2, .top_max_sources = 100 };
	struct sniff_proc *pr = proc_new(&o, sink_emit, NULL, &sink);
	struct sniff_source src = { "file", "t.pcap" };
	proc_set_source(pr, &src);
	struct pb p;
	int64_t t0 = 1700000000LL * NS_PER_SEC;
	syn_frame(&p, "192.0.2.1", 80, TCPF_SYN);
	for (int i = 0; i < 3; i++)	/* 3 SYNs in [t0, t0+1s) */
		assert_int_equal(proc_frame(pr, SNIFF_DLT_EN10MB, p.b, (uint32_t)p.len, (uint32_t)p.len,
					    t0 + i * 100000000LL), 0);
	assert_int_equal(sink.n, 0);
	syn_frame(&p, "192.0.2.9", 443, TCPF_SYN);
	proc_frame(pr, SNIFF_DLT_EN10MB, p.b, (uint32_t)p.len, (uint32_t)p.len, t0 + 5 * NS_PER_SEC);
	assert_int_equal(sink.n, 1);	/* the first interval closed */
	assert_non_null(strstr(sink.all.data, "\"ts\":\"2023-11-14T22:13:21.000000000Z\""));
	assert_non_null(strstr(sink.all.data, "\"src_ip\":\"192.0.2.1\",\"packets\":3"));
	/* a malformed frame is counted, not emitted */
	proc_frame(pr, SNIFF_DLT_EN10MB, p.b, 10, 60, t0 + 5 * NS_PER_SEC);
	assert_int_equal(proc_stats(pr)->malformed, 1);
	assert_int_equal(proc_stats(pr)->bad[SNIFF_BAD_LINK_TRUNC], 1);
	/* live: the clock closes an interval without a packet */
	assert_int_equal(proc_tick(pr, t0 + 5 * NS_PER_SEC + 500000000LL), 0);
	assert_int_equal(sink.n, 1);
	proc_tick(pr, t0 + 6 * NS_PER_SEC);
	assert_int_equal(sink.n, 2);
	assert_int_equal(proc_finish(pr), 0);
	assert_int_equal(sink.n, 4);	/* + top 2 */
	assert_int_equal(count_substr(sink.all.data, "\"rank\":"), 2);
	assert_non_null(strstr(sink.all.data, "\"line\":\"top 1: 192.0.2.1 syn 3, 3 packets\""));
	assert_int_equal(proc_stats(pr)->syn, 4);
	proc_free(pr);
	buf_free(&sink.all);
}

static void proc_packet_mode(void **state)
{
	(void)state;
	struct sink sink = { WARD_BUF_INIT, 0, 0 };
	struct sniff_proc_opts o = { .mode = SNIFF_MODE_PACKET, .max_sources = 10 };
	struct sniff_proc *pr = proc_new(&o, sink_emit, NULL, &sink);
	struct pb p;
	syn_frame(&p, "192.0.2.1", 80, TCPF_SYN | TCPF_ACK);
	proc_frame(pr, SNIFF_DLT_EN10MB, p.b, (uint32_t)p.len, (uint32_t)p.len, 0);
	memset(&p, 0, sizeof p);
	pb_eth(&p, 0x0806);
	pb_zero(&p, 28);
	proc_frame(pr, SNIFF_DLT_EN10MB, p.b, (uint32_t)p.len, (uint32_t)p.len, 0);
	assert_int_equal(proc_finish(pr), 0);
	assert_int_equal(sink.n, 1);
	assert_non_null(strstr(sink.all.data, "\"tcp_flags\":\"SA\""));
	assert_int_equal(proc_stats(pr)->not_ip, 1);
	proc_free(pr);
	buf_free(&sink.all);
}

static void drop_event_json(void **state)
{
	(void)state;
	struct ward_event ev;
	struct ward_buf out = WARD_BUF_INIT;
	struct sniff_source src = { "iface", "eth0" };
	event_init(&ev);
	sniff_drop_event(&ev, 12, 40, 3, 0, &src);
	event_serialize(&ev, &out);
	assert_non_null(strstr(buf_cstr(&out), "\"line\":\"capture dropped 12 packets (total 40, interface 3)\""));
	assert_non_null(strstr(buf_cstr(&out), "\"fields\":{\"kernel_drops\":12,\"kernel_drops_total\":40,\"if_drops_total\":3}"));
	buf_free(&out);
	event_free(&ev);
}

static void int_fields(void **state)
{
	(void)state;
	struct ward_event ev;
	struct ward_buf out = WARD_BUF_INIT;
	event_init(&ev);
	event_set_field_int(&ev, "a", 0);
	event_set_field_int(&ev, "b", -42);
	event_set_field_int(&ev, "c", INT64_MIN);
	event_set_field_int(&ev, "d", INT64_MAX);
	event_set_field_int(&ev, "a", 7);	/* replaces in place */
	event_serialize(&ev, &out);
	assert_non_null(strstr(buf_cstr(&out),
		"\"fields\":{\"a\":7,\"b\":-42,\"c\":-9223372036854775808,\"d\":9223372036854775807}"));
	assert_int_equal(event_field(&ev, "b")->kind, WARD_VAL_NUMBER);
	buf_free(&out);
	event_free(&ev);
}

static void ip_text_is_ip_format(void **state)
{
	(void)state;
	const char *addrs[] = { "0.0.0.0", "255.255.255.255", "10.0.0.1", "100.20.3.99", "9.99.199.250",
				"198.18.0.10", "2001:db8::1", "::ffff:192.0.2.1", "::", "::1", "1::",
				"::1.2.3.4", "::ffff:0.0.0.0", "1:0:0:1::", "1:0:1:0:0:1:0:0", "0:1::",
				"fe80::abc:0:0:1", "::ffff:0:1.2.3.4", "::ffff", "1:2:3:4:5:6:7:8",
				"0:0:1:0:0:0:0:0", "0:0:0:0:0:1:0:0", "ffff::ffff:0:0" };
	for (size_t i = 0; i < sizeof addrs / sizeof addrs[0]; i++) {
		struct ward_ip ip;
		char a[WARD_IP_STRLEN], b[WARD_IP_STRLEN];
		assert_int_equal(ip_parse(addrs[i], strlen(addrs[i]), &ip), 0);
		ip_format(&ip, a);
		assert_int_equal(sniff_ip_text(&ip, b), strlen(a));
		assert_string_equal(a, b);
	}
	for (unsigned v = 0; v < 256; v++) {	/* every octet value in every position */
		struct ward_ip ip = { .family = AF_INET, .addr = { (uint8_t)v, (uint8_t)(255 - v), (uint8_t)(v * 7), (uint8_t)v } };
		char a[WARD_IP_STRLEN], b[WARD_IP_STRLEN];
		ip_format(&ip, a);
		sniff_ip_text(&ip, b);
		assert_string_equal(a, b);
	}
	/* IPv6: words of 0, 1, 0xffff, or anything, so every shape of zero
	 * runs and embedded IPv4 comes up (a fixed LCG: the same every run) */
	uint32_t x = 12345;
	for (int n = 0; n < 200000; n++) {
		struct ward_ip ip = { .family = AF_INET6 };
		for (int i = 0; i < 8; i++) {
			x = x * 1103515245u + 12345u;
			unsigned kind = (x >> 16) % 4, w = kind == 0 ? 0 : kind == 1 ? 1 : kind == 2 ? 0xffff : (x >> 8) & 0xffff;
			if ((x >> 28) % 2)
				w = 0;	/* more zeros: longer runs */
			ip.addr[2 * i] = (uint8_t)(w >> 8);
			ip.addr[2 * i + 1] = (uint8_t)w;
		}
		char a[WARD_IP_STRLEN], b[WARD_IP_STRLEN];
		ip_format(&ip, a);
		assert_int_equal(sniff_ip_text(&ip, b), strlen(a));
		assert_string_equal(a, b);
	}
}

/* The directly written summary JSON equals event_serialize of the built
 * event: IPv4, IPv6, the evicted aggregate, huge counts, labels that need
 * escaping, intervals of every unit, and a time before 1970. */
static void summary_json_is_serialize(void **state)
{
	(void)state;
	struct ward_ip ips[3];
	assert_int_equal(ip_parse("198.18.0.10", 11, &ips[0]), 0);
	assert_int_equal(ip_parse("2001:db8:bad::10", 16, &ips[1]), 0);
	assert_int_equal(ip_parse("::ffff:192.0.2.1", 16, &ips[2]), 0);
	const struct src_counts counts[] = {
		{ 489, 29340, 489, 0, 0, 0, 1, 1 },
		{ 0, 0, 0, 0, 0, 0, 0, 0 },
		{ UINT64_MAX >> 1, 1ULL << 62, 7, 8, 9, 10, 65535, 123456 },
	};
	const struct sniff_source sources[] = {
		{ "file", "capture.pcap" }, { "iface", "eth0" }, { NULL, NULL },
		{ "file", "/tmp/a \"quoted\"\\path\n\x01\xff\xc3\xa9.pcap" },
	};
	const char *intervals[] = { "1s", "100ms", "1m30s", "2d3h", "5us", "q\"x" };
	const int64_t times[] = { 1704067321LL * NS_PER_SEC, -1500000000LL, 0 };
	struct ward_event ev;
	struct ward_buf want = WARD_BUF_INIT, got = WARD_BUF_INIT;
	struct sniff_summary_json sj;
	event_init(&ev);
	sniff_summary_json_init(&sj);
	int cases = 0;
	for (size_t s = 0; s < sizeof sources / sizeof sources[0]; s++)
		for (size_t iv = 0; iv < sizeof intervals / sizeof intervals[0]; iv++) {
			sniff_summary_json_source(&sj, &sources[s], intervals[iv]);
			for (size_t t = 0; t < 3; t++)
				for (size_t c = 0; c < 3; c++)
					for (size_t w = 0; w < 4; w++) {
						const struct ward_ip *ip = w < 3 ? &ips[w] : NULL;
						uint64_t other = w < 3 ? 0 : 1000 + c;
						sniff_summary_event(&ev, ip, &counts[c], other, times[t], intervals[iv],
								    &sources[s]);
						buf_reset(&want);
						buf_reset(&got);
						event_serialize(&ev, &want);
						buf_append_str(&got, "x");	/* appends, keeps what was there */
						sniff_summary_json(&sj, &got, ip, &counts[c], other, times[t]);
						assert_string_equal(buf_cstr(&got) + 1, buf_cstr(&want));
						cases++;
					}
		}
	assert_int_equal(cases, 4 * 6 * 3 * 3 * 4);
	sniff_summary_json_free(&sj);
	buf_free(&want);
	buf_free(&got);
	event_free(&ev);
}

/* With summary_json_only the processor builds no event and writes the same
 * text. */
static void proc_json_only(void **state)
{
	(void)state;
	struct sink a = { WARD_BUF_INIT, 0, 0 }, b = { WARD_BUF_INIT, 0, 0 };
	struct sniff_proc_opts o = { .mode = SNIFF_MODE_SUMMARY, .interval_ns = NS_PER_SEC,
				     .max_sources = 3, .top_n = 1, .top_max_sources = 100 };
	struct sniff_proc *pa = proc_new(&o, sink_emit, NULL, &a);
	o.summary_json_only = true;
	struct sniff_proc *pb = proc_new(&o, sink_emit, NULL, &b);
	struct sniff_source src = { "file", "t.pcap" };
	proc_set_source(pa, &src);
	proc_set_source(pb, &src);
	struct pb p;
	char ip[32];
	int64_t t0 = 1700000000LL * NS_PER_SEC;
	for (int i = 0; i < 40; i++) {	/* 10 sources, 3 tracked: an "other" event too */
		snprintf(ip, sizeof ip, "198.18.0.%d", i % 10 + 1);
		syn_frame(&p, ip, (uint16_t)(80 + i), TCPF_SYN);
		proc_frame(pa, SNIFF_DLT_EN10MB, p.b, (uint32_t)p.len, (uint32_t)p.len, t0 + i * 100000000LL);
		proc_frame(pb, SNIFF_DLT_EN10MB, p.b, (uint32_t)p.len, (uint32_t)p.len, t0 + i * 100000000LL);
	}
	assert_int_equal(proc_finish(pa), 0);
	assert_int_equal(proc_finish(pb), 0);
	assert_true(a.json > 4);
	assert_int_equal(a.json, b.json);
	assert_int_equal(a.n, a.json + 1);	/* + the top event, serialized from its event */
	assert_non_null(strstr(buf_cstr(&a.all), "\"other_sources\":"));
	assert_string_equal(buf_cstr(&a.all), buf_cstr(&b.all));
	proc_free(pa);
	proc_free(pb);
	buf_free(&a.all);
	buf_free(&b.all);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(flag_strings),
		cmocka_unit_test(lines),
		cmocka_unit_test(packet_event_json),
		cmocka_unit_test(drop_event_json),
		cmocka_unit_test(int_fields),
		cmocka_unit_test(srctab_counts_and_distinct),
		cmocka_unit_test(srctab_bounded_eviction),
		cmocka_unit_test(srctab_distinct_exact),
		cmocka_unit_test(srctab_top),
		cmocka_unit_test(proc_intervals),
		cmocka_unit_test(proc_packet_mode),
		cmocka_unit_test(ip_text_is_ip_format),
		cmocka_unit_test(summary_json_is_serialize),
		cmocka_unit_test(proc_json_only),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
