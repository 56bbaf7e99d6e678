/* format.c - tcpdump-style lines and Suricata-named fields. */
#include "stages/sniff/format.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "wtime.h"

size_t sniff_flags_str(uint16_t flags, char out[10])
{
	static const char names[] = "FSRPAUECN";
	size_t n = 0;
	for (int i = 0; i < 9; i++)
		if (flags & (1u << i))
			out[n++] = names[i];
	out[n] = '\0';
	return n;
}

size_t sniff_tcpdump_flags(uint16_t flags, char out[10])
{
	static const char names[] = "FSRP.UEWe";
	size_t n = 0;
	for (int i = 0; i < 9; i++)
		if (flags & (1u << i))
			out[n++] = names[i];
	if (n == 0) {
		memcpy(out, "none", 5);	/* as tcpdump prints it */
		return 4;
	}
	out[n] = '\0';
	return n;
}

const char *sniff_proto_name(uint8_t proto, char out[8])
{
	switch (proto) {
	case IPPROTO_NUM_TCP: return "TCP";
	case IPPROTO_NUM_UDP: return "UDP";
	case IPPROTO_NUM_ICMP: return "ICMP";
	case IPPROTO_NUM_ICMPV6: return "IPv6-ICMP";
	case 2: return "IGMP";
	case 47: return "GRE";
	case 50: return "ESP";
	case 51: return "AH";
	case 132: return "SCTP";
	default:
		snprintf(out, 8, "%u", proto);
		return out;
	}
}

/* Bounded appends into a fixed buffer. */
struct lbuf {
	char *p;
	size_t len, cap;
};

static void lb_printf(struct lbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void lb_printf(struct lbuf *b, const char *fmt, ...)
{
	if (b->len + 1 >= b->cap)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	b->len += (size_t)n < b->cap - b->len ? (size_t)n : b->cap - b->len - 1;
}

static const char *icmp4_name(uint8_t type)
{
	switch (type) {
	case 0: return "echo reply";
	case 3: return "unreachable";
	case 5: return "redirect";
	case 8: return "echo request";
	case 11: return "time exceeded";
	default: return NULL;
	}
}

static const char *icmp6_name(uint8_t type)
{
	switch (type) {
	case 1: return "destination unreachable";
	case 2: return "packet too big";
	case 3: return "time exceeded";
	case 128: return "echo request";
	case 129: return "echo reply";
	case 133: return "router solicitation";
	case 134: return "router advertisement";
	case 135: return "neighbor solicitation";
	case 136: return "neighbor advertisement";
	default: return NULL;
	}
}

static void line_icmp(struct lbuf *b, const struct sniff_pkt *p)
{
	bool v6 = p->ip_version == 6;
	const char *name = v6 ? icmp6_name(p->icmp_type) : icmp4_name(p->icmp_type);
	lb_printf(b, v6 ? "ICMP6, " : "ICMP ");
	if (name)
		lb_printf(b, "%s", name);
	else
		lb_printf(b, "type %u code %u", p->icmp_type, p->icmp_code);
	lb_printf(b, ", length %u", p->payload_len);
}

size_t sniff_format_line(const struct sniff_pkt *p, char *out, size_t outlen)
{
	struct lbuf b = { out, 0, outlen };
	if (outlen == 0)
		return 0;
	out[0] = '\0';
	char s[WARD_IP_STRLEN], d[WARD_IP_STRLEN], tmp[10];
	ip_format(&p->src, s);
	ip_format(&p->dst, d);
	lb_printf(&b, "%s ", p->ip_version == 6 ? "IP6" : "IP");
	if (p->has_ports)
		lb_printf(&b, "%s.%u > %s.%u: ", s, p->sport, d, p->dport);
	else
		lb_printf(&b, "%s > %s: ", s, d);
	if (p->fragment && p->frag_offset != 0) {
		lb_printf(&b, "frag offset %u, proto %s, length %u", p->frag_offset,
			  sniff_proto_name(p->proto, tmp), p->payload_len);
	} else if (p->proto == IPPROTO_NUM_TCP && p->has_ports) {
		sniff_tcpdump_flags(p->tcp_flags, tmp);
		lb_printf(&b, "Flags [%s], length %u", tmp, p->payload_len);
	} else if (p->proto == IPPROTO_NUM_UDP && p->has_ports) {
		lb_printf(&b, "UDP, length %u", p->payload_len);
	} else if (p->has_icmp) {
		line_icmp(&b, p);
	} else {
		lb_printf(&b, "proto %s, length %u", sniff_proto_name(p->proto, tmp), p->payload_len);
	}
	return b.len;
}

static void set_labels(struct ward_event *ev, const struct sniff_source *src)
{
	event_set_label(ev, "job", "sniff", 5);
	if (src && src->label_key && src->label_val)
		event_set_label(ev, src->label_key, src->label_val, strlen(src->label_val));
}

static void set_str(struct ward_event *ev, const char *key, const char *val)
{
	event_set_field(ev, key, val, strlen(val));
}

static void set_ip(struct ward_event *ev, const char *key, const struct ward_ip *ip)
{
	char s[WARD_IP_STRLEN];
	ip_format(ip, s);
	set_str(ev, key, s);
}

void sniff_packet_event(struct ward_event *ev, const struct sniff_pkt *p, int64_t ts_ns,
			const struct sniff_source *src)
{
	char line[256], tmp[10];
	event_reset(ev);
	ev->ts_ns = ts_ns;
	set_labels(ev, src);
	size_t n = sniff_format_line(p, line, sizeof line);
	event_set_line(ev, line, n);
	set_ip(ev, "src_ip", &p->src);
	if (p->has_ports)
		event_set_field_int(ev, "src_port", p->sport);
	set_ip(ev, "dest_ip", &p->dst);
	if (p->has_ports)
		event_set_field_int(ev, "dest_port", p->dport);
	set_str(ev, "proto", sniff_proto_name(p->proto, tmp));
	if (p->proto == IPPROTO_NUM_TCP && p->has_ports) {
		sniff_flags_str(p->tcp_flags, tmp);
		set_str(ev, "tcp_flags", tmp);
	}
	if (p->has_icmp) {
		event_set_field_int(ev, "icmp_type", p->icmp_type);
		event_set_field_int(ev, "icmp_code", p->icmp_code);
	}
	event_set_field_int(ev, "pkt_len", p->wirelen);
	if (p->nvlan > 0)
		event_set_field_int(ev, "vlan", p->vlan[0]);
	if (p->nvlan > 1)
		event_set_field_int(ev, "vlan_inner", p->vlan[1]);
	if (p->fragment)
		event_set_field_int(ev, "frag_offset", p->frag_offset);
}

static void set_counts(struct ward_event *ev, const struct src_counts *c)
{
	event_set_field_int(ev, "packets", (int64_t)c->packets);
	event_set_field_int(ev, "bytes", (int64_t)c->bytes);
	event_set_field_int(ev, "syn", (int64_t)c->syn);
	event_set_field_int(ev, "synack", (int64_t)c->synack);
	event_set_field_int(ev, "rst", (int64_t)c->rst);
	event_set_field_int(ev, "fin", (int64_t)c->fin);
	event_set_field_int(ev, "dest_ports", (int64_t)c->dest_ports);
	event_set_field_int(ev, "dest_hosts", (int64_t)c->dest_hosts);
}

/* Decimal digits of v appended at *q (no NUL); returns the new end. */
static char *put_u64(char *q, uint64_t v)
{
	char tmp[20];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*q++ = tmp[--n];
	return q;
}

static char *put_str(char *q, const char *s)
{
	size_t n = strlen(s);
	memcpy(q, s, n);
	return q + n;
}

void sniff_summary_event(struct ward_event *ev, const struct ward_ip *ip,
			 const struct src_counts *c, uint64_t other_sources,
			 int64_t end_ns, const char *interval, const struct sniff_source *src)
{
	char who[WARD_IP_STRLEN], line[WARD_IP_STRLEN + 160];
	event_reset(ev);
	ev->ts_ns = end_ns;
	set_labels(ev, src);
	/* Short, and built without printf (one per source per interval): the
	 * fields carry every count; the line is for people and grep. */
	char *q = line;
	if (ip) {
		ip_format(ip, who);
		set_str(ev, "src_ip", who);
		q = put_str(q, who);
	} else {
		q = put_str(q, "other (");
		q = put_u64(q, other_sources);
		q = put_str(q, " sources)");
	}
	set_counts(ev, c);
	if (!ip)
		event_set_field_int(ev, "other_sources", (int64_t)other_sources);
	set_str(ev, "interval", interval);
	q = put_str(q, ": ");
	q = put_u64(q, c->packets);
	q = put_str(q, " packets, ");
	q = put_u64(q, c->syn);
	q = put_str(q, " syn, ");
	q = put_u64(q, c->dest_ports);
	q = put_str(q, " dest ports in ");
	size_t room = sizeof line - (size_t)(q - line) - 1, n = strnlen(interval, room);
	memcpy(q, interval, n);
	q += n;
	event_set_line(ev, line, (size_t)(q - line));
}

void sniff_top_event(struct ward_event *ev, unsigned rank, const struct src_entry *e,
		     int64_t ts_ns, const struct sniff_source *src)
{
	char ip[WARD_IP_STRLEN], line[160];
	event_reset(ev);
	ev->ts_ns = ts_ns;
	set_labels(ev, src);
	ip_format(&e->ip, ip);
	set_str(ev, "src_ip", ip);
	event_set_field_int(ev, "rank", rank);
	event_set_field_int(ev, "syn", (int64_t)e->c.syn);
	event_set_field_int(ev, "packets", (int64_t)e->c.packets);
	event_set_field_int(ev, "bytes", (int64_t)e->c.bytes);
	int n = snprintf(line, sizeof line, "top %u: %s syn %llu, %llu packets", rank, ip,
			 (unsigned long long)e->c.syn, (unsigned long long)e->c.packets);
	event_set_line(ev, line, n < 0 ? 0 : ((size_t)n < sizeof line ? (size_t)n : sizeof line - 1));
}

void sniff_drop_event(struct ward_event *ev, uint64_t drop_delta, uint64_t drops,
		      uint64_t ifdrops, int64_t ts_ns, const struct sniff_source *src)
{
	char line[160];
	event_reset(ev);
	ev->ts_ns = ts_ns;
	set_labels(ev, src);
	event_set_field_int(ev, "kernel_drops", (int64_t)drop_delta);
	event_set_field_int(ev, "kernel_drops_total", (int64_t)drops);
	event_set_field_int(ev, "if_drops_total", (int64_t)ifdrops);
	int n = snprintf(line, sizeof line, "capture dropped %llu packets (total %llu, interface %llu)",
			 (unsigned long long)drop_delta, (unsigned long long)drops,
			 (unsigned long long)ifdrops);
	event_set_line(ev, line, n < 0 ? 0 : ((size_t)n < sizeof line ? (size_t)n : sizeof line - 1));
}
