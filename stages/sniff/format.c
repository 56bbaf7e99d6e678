/* format.c - tcpdump-style lines and Suricata-named fields. */
#include "stages/sniff/format.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "jsonw.h"
#include "stages/sniff/community_id.h"
#include "wtime.h"

/* One letter of names (9 of them, bit 0 first) per set flag, NUL-ended. */
static size_t flag_letters(uint16_t flags, const char names[10], char out[10])
{
	size_t n = 0;
	for (int i = 0; i < 9; i++)
		if (flags & (1u << i))
			out[n++] = names[i];
	out[n] = '\0';
	return n;
}

size_t sniff_flags_str(uint16_t flags, char out[10])
{
	return flag_letters(flags, "FSRPAUECN", out);
}

size_t sniff_tcpdump_flags(uint16_t flags, char out[10])
{
	size_t n = flag_letters(flags, "FSRP.UEWe", out);
	if (n == 0) {
		memcpy(out, "none", 5);	/* as tcpdump prints it */
		return 4;
	}
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

/* Dotted quad of 4 bytes, no terminator. */
static char *put_ipv4(char *q, const uint8_t *a)
{
	for (int i = 0; i < 4; i++) {
		unsigned v = a[i];
		if (v >= 100)
			*q++ = (char)('0' + v / 100);
		if (v >= 10)
			*q++ = (char)('0' + v / 10 % 10);
		*q++ = (char)('0' + v % 10);
		if (i < 3)
			*q++ = '.';
	}
	return q;
}

/* The text inet_ntop writes for an IPv6 address, exactly (glibc's
 * inet_ntop6: the first longest run of two or more zero words becomes
 * "::", lowercase hex without leading zeros, "::a.b.c.d" and
 * "::ffff:a.b.c.d" for IPv4-compatible and -mapped addresses), without its
 * sprintf per word: a summary interval formats every source once. */
static char *put_ipv6(char *q, const uint8_t *a)
{
	static const char hex[] = "0123456789abcdef";
	unsigned w[8];
	int best = -1, best_len = 0, cur = -1, cur_len = 0;
	for (int i = 0; i < 8; i++) {
		w[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
		if (w[i] == 0) {
			if (cur < 0)
				cur = i, cur_len = 0;
			if (++cur_len > best_len)
				best = cur, best_len = cur_len;
		} else
			cur = -1;
	}
	if (best_len < 2)
		best = -1;
	for (int i = 0; i < 8; i++) {
		if (best >= 0 && i >= best && i < best + best_len) {
			if (i == best)
				*q++ = ':';
			continue;
		}
		if (i != 0)
			*q++ = ':';
		if (i == 6 && best == 0 && (best_len == 6 || (best_len == 5 && w[5] == 0xffff)))
			return put_ipv4(q, a + 12);
		bool started = false;
		for (int shift = 12; shift >= 0; shift -= 4) {
			unsigned d = (w[i] >> shift) & 0xf;
			if (d || started || shift == 0) {
				*q++ = hex[d];
				started = true;
			}
		}
	}
	if (best >= 0 && best + best_len == 8)
		*q++ = ':';
	return q;
}

size_t sniff_ip_text(const struct ward_ip *ip, char out[WARD_IP_STRLEN])
{
	char *q;
	if (ip->family == AF_INET)
		q = put_ipv4(out, ip->addr);
	else if (ip->family == AF_INET6)
		q = put_ipv6(out, ip->addr);
	else {
		ip_format(ip, out);
		return strlen(out);
	}
	*q = '\0';
	return (size_t)(q - out);
}

static void set_ip(struct ward_event *ev, const char *key, const struct ward_ip *ip)
{
	char s[WARD_IP_STRLEN];
	event_set_field(ev, key, s, sniff_ip_text(ip, s));
}

void sniff_packet_event(struct ward_event *ev, const struct sniff_pkt *p, int64_t ts_ns,
			const struct sniff_source *src, struct community_id_cache *cids)
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
	char cid[COMMUNITY_ID_SIZE];
	size_t cid_len = community_id_packet_cached(cids, p, cid);
	if (cid_len)
		event_set_field(ev, "community_id", cid, cid_len);
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

/* The summary's line: who (an address, or NULL for the evicted sources),
 * counts, interval. Address characters, digits, ASCII text and the
 * interval: no JSON escaping needed when the interval is duration_format
 * text, which sniff_summary_json checks once per source. Returns the
 * length; line holds SUMMARY_LINE_MAX bytes. */
#define SUMMARY_LINE_MAX (WARD_IP_STRLEN + 160)
static size_t summary_line(char *line, const char *who, size_t who_len, const struct src_counts *c,
			   uint64_t other_sources, const char *interval)
{
	/* Short, and built without printf (one per source per interval): the
	 * fields carry every count; the line is for people and grep. */
	char *q = line;
	if (who) {
		memcpy(q, who, who_len);
		q += who_len;
	} else {
		q = put_str(q, "other (");
		q = put_u64(q, other_sources);
		q = put_str(q, " sources)");
	}
	q = put_str(q, ": ");
	q = put_u64(q, c->packets);
	q = put_str(q, " packets, ");
	q = put_u64(q, c->syn);
	q = put_str(q, " syn, ");
	q = put_u64(q, c->dest_ports);
	q = put_str(q, " dest ports in ");
	size_t room = SUMMARY_LINE_MAX - (size_t)(q - line) - 1, n = strnlen(interval, room);
	memcpy(q, interval, n);
	q += n;
	*q = '\0';
	return (size_t)(q - line);
}

void sniff_summary_event(struct ward_event *ev, const struct ward_ip *ip,
			 const struct src_counts *c, uint64_t other_sources,
			 int64_t end_ns, const char *interval, const struct sniff_source *src)
{
	char who[WARD_IP_STRLEN], line[SUMMARY_LINE_MAX];
	size_t who_len = 0;
	event_reset(ev);
	ev->ts_ns = end_ns;
	set_labels(ev, src);
	if (ip) {
		who_len = sniff_ip_text(ip, who);
		event_set_field(ev, "src_ip", who, who_len);
	}
	set_counts(ev, c);
	if (!ip)
		event_set_field_int(ev, "other_sources", (int64_t)other_sources);
	set_str(ev, "interval", interval);
	size_t n = summary_line(line, ip ? who : NULL, who_len, c, other_sources, interval);
	event_set_line(ev, line, n);
}

void sniff_summary_json_init(struct sniff_summary_json *sj)
{
	memset(sj, 0, sizeof *sj);
	sj->ts_ns = WARD_TS_NONE;
}

void sniff_summary_json_free(struct sniff_summary_json *sj)
{
	buf_free(&sj->head);
	buf_free(&sj->tail);
	sniff_summary_json_init(sj);
}

/* event_serialize's labels object for set_labels' labels. */
static void labels_json(struct ward_buf *out, const struct sniff_source *src)
{
	buf_append_str(out, "{\"job\":\"sniff\"");
	if (src && src->label_key && src->label_val) {
		buf_append_char(out, ',');
		jsonw_cstring(out, src->label_key);
		buf_append_char(out, ':');
		jsonw_cstring(out, src->label_val);
	}
	buf_append_char(out, '}');
}

void sniff_summary_json_source(struct sniff_summary_json *sj, const struct sniff_source *src,
			       const char *interval)
{
	buf_reset(&sj->head);
	buf_append_str(&sj->head, "\",\"labels\":");
	labels_json(&sj->head, src);
	buf_append_str(&sj->head, ",\"line\":");
	snprintf(sj->interval, sizeof sj->interval, "%s", interval);
	/* duration_format text always is; anything else takes jsonw_string. */
	sj->line_plain = true;
	for (const char *k = sj->interval; *k; k++)
		if (!((*k >= '0' && *k <= '9') || (*k >= 'a' && *k <= 'z') || *k == '-'))
			sj->line_plain = false;
	buf_reset(&sj->tail);
	buf_append_str(&sj->tail, ",\"interval\":");
	jsonw_cstring(&sj->tail, interval);
	buf_append_str(&sj->tail, "}}");
}

/* ,"key":N with key given with its quotes and colon. */
static char *put_num(char *q, const char *key_json, uint64_t v)
{
	q = put_str(q, key_json);
	return put_u64(q, v);
}

void sniff_summary_json(struct sniff_summary_json *sj, struct ward_buf *out,
			const struct ward_ip *ip, const struct src_counts *c,
			uint64_t other_sources, int64_t end_ns)
{
	char who[WARD_IP_STRLEN], line[SUMMARY_LINE_MAX];
	size_t who_len = ip ? sniff_ip_text(ip, who) : 0;
	size_t line_len = summary_line(line, ip ? who : NULL, who_len, c, other_sources, sj->interval);
	if (end_ns != sj->ts_ns) {	/* once per interval */
		sj->ts_ns = end_ns;
		time_format_rfc3339(end_ns, sj->ts_text);
	}
	/* Fixed text, the address, 10 numbers of at most 20 digits. */
	buf_reserve(out, sj->head.len + sj->tail.len + WARD_RFC3339_LEN + SUMMARY_LINE_MAX +
			 WARD_IP_STRLEN + 10 * 20 + 200);
	char *q = out->data + out->len;
	q = put_str(q, "{\"v\":1,\"ts\":\"");
	q = put_str(q, sj->ts_text);
	memcpy(q, sj->head.data, sj->head.len);
	q += sj->head.len;
	if (sj->line_plain) {
		*q++ = '"';
		memcpy(q, line, line_len);
		q += line_len;
		*q++ = '"';
	} else {
		out->len = (size_t)(q - out->data);
		jsonw_string(out, line, line_len);
		buf_reserve(out, sj->tail.len + WARD_IP_STRLEN + 10 * 20 + 200);
		q = out->data + out->len;
	}
	q = put_str(q, ",\"fields\":{");
	if (ip) {
		q = put_str(q, "\"src_ip\":\"");
		memcpy(q, who, who_len);
		q += who_len;
		q = put_str(q, "\",");
	}
	q = put_num(q, "\"packets\":", c->packets);
	q = put_num(q, ",\"bytes\":", c->bytes);
	q = put_num(q, ",\"syn\":", c->syn);
	q = put_num(q, ",\"synack\":", c->synack);
	q = put_num(q, ",\"rst\":", c->rst);
	q = put_num(q, ",\"fin\":", c->fin);
	q = put_num(q, ",\"dest_ports\":", c->dest_ports);
	q = put_num(q, ",\"dest_hosts\":", c->dest_hosts);
	if (!ip)
		q = put_num(q, ",\"other_sources\":", other_sources);
	memcpy(q, sj->tail.data, sj->tail.len);
	q += sj->tail.len;
	out->len = (size_t)(q - out->data);
	out->data[out->len] = '\0';
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
