#!/usr/bin/env python3
"""sniff_gen_pcap.py - the small deterministic capture behind ward-sniff's tests.

    sniff_gen_pcap.py OUT.pcap TRUTH.txt [--pcapng]

Writes 3 seconds of traffic (a SYN flood from one IPv4 source, one on VLAN
200 and one over IPv6; a vertical port scan answered by RST-ACKs; a few normal
TCP sessions, one of them QinQ; DNS with an IPv4 fragment pair; ICMP and
ICMPv6 echo; one ARP frame; and one frame of each malformed kind) and the
ground truth as "key value" lines:

    frames N / ip N / not_ip N / malformed N / syn N
    malformed.<reason> N                (ward-sniff's counter names)
    syn <ip> N                          (per source, SYN set and ACK clear)
    packets <ip> N                      (per source, decodable frames)

Same arguments, same bytes. Python 3 standard library only.
"""
import socket
import struct
import sys

T0 = 1704067200
SYN, ACK, FIN, RST, PSH, ECE, CWR = 0x02, 0x10, 0x01, 0x04, 0x08, 0x40, 0x80


def eth(payload, ethertype, tags=()):
    hdr = b"\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02"
    out = b""
    types = [t[0] for t in tags] + [ethertype]
    for (tpid, vid), inner in zip(tags, types[1:]):
        out += struct.pack("!HH", vid, inner)
    first = tags[0][0] if tags else ethertype
    return hdr + struct.pack("!H", first) + out + payload


def ipv4(src, dst, proto, payload, frag=0, ihl=5, tot=None, ver=4):
    opts = b"\x01" * ((ihl - 5) * 4)
    total = 20 + len(opts) + len(payload) if tot is None else tot
    h = struct.pack("!BBHHHBBH4s4s", (ver << 4) | ihl, 0, total, 1, frag, 64, proto, 0,
                    socket.inet_pton(socket.AF_INET, src), socket.inet_pton(socket.AF_INET, dst))
    return h + opts + payload


def ipv6(src, dst, nh, payload, plen=None):
    return struct.pack("!IHBB16s16s", 0x60000000, len(payload) if plen is None else plen, nh, 64,
                       socket.inet_pton(socket.AF_INET6, src),
                       socket.inet_pton(socket.AF_INET6, dst)) + payload


def tcp(sport, dport, flags, data=b"", doff=5):
    return struct.pack("!HHIIBBHHH", sport, dport, 1000, 0, doff << 4, flags, 512, 0, 0) + data


def udp(sport, dport, data=b"", ulen=None):
    return struct.pack("!HHHH", sport, dport, 8 + len(data) if ulen is None else ulen, 0) + data


def icmp(t, code=0):
    return struct.pack("!BBHI", t, code, 0, 0x00010001)


class Capture:
    def __init__(self):
        self.frames = []  # (ts_us, caplen-cut bytes, wire len)
        self.syn = {}
        self.packets = {}
        self.malformed = {}
        self.not_ip = 0

    def add(self, ts, frame, src=None, is_syn=False, caplen=None, bad=None):
        wire = max(len(frame), 60)
        frame = frame + b"\0" * (wire - len(frame))  # Ethernet padding
        self.frames.append((ts, frame[:caplen] if caplen is not None else frame, wire))
        if bad:
            self.malformed[bad] = self.malformed.get(bad, 0) + 1
        elif src is None:
            self.not_ip += 1
        else:
            self.packets[src] = self.packets.get(src, 0) + 1
            if is_syn:
                self.syn[src] = self.syn.get(src, 0) + 1


def build():
    c = Capture()
    us = lambda s: int(round(s * 1e6))
    # SYN floods: untagged IPv4, VLAN 200, IPv6; every 10th an ECN SYN
    for i in range(120):
        f = SYN | (ECE | CWR if i % 10 == 0 else 0)
        c.add(us(i / 40), eth(ipv4("198.18.0.10", "10.0.0.2", 6, tcp(1024 + i, 80, f)), 0x0800),
              "198.18.0.10", True)
        if i % 12 == 0:
            c.add(us(i / 40 + 0.001), eth(ipv4("10.0.0.2", "198.18.0.10", 6, tcp(80, 1024 + i, SYN | ACK)), 0x0800),
                  "10.0.0.2")
    for i in range(60):
        c.add(us(i / 20 + 0.002), eth(ipv4("198.18.0.11", "10.0.0.2", 6, tcp(2000 + i, 80, SYN)), 0x0800,
                                       [(0x8100, 200)]), "198.18.0.11", True)
    for i in range(45):
        c.add(us(i / 15 + 0.003), eth(ipv6("2001:db8:bad::10", "2001:db8:20::80", 6, tcp(3000 + i, 80, SYN)),
                                       0x86dd), "2001:db8:bad::10", True)
    # vertical scan of 100 ports, answered with RST-ACK
    for port in range(1, 101):
        t = 0.5 + port / 100
        c.add(us(t), eth(ipv4("198.18.0.66", "10.0.0.3", 6, tcp(40000, port, SYN)), 0x0800), "198.18.0.66", True)
        c.add(us(t + 0.0005), eth(ipv4("10.0.0.3", "198.18.0.66", 6, tcp(port, 40000, RST | ACK)), 0x0800),
              "10.0.0.3")
    # normal sessions; the last client is QinQ tagged
    for n in range(1, 6):
        cl, tags, t = "192.0.2.%d" % n, ([(0x88a8, 100), (0x8100, 2001)] if n == 5 else []), 0.1 * n
        for dt, src, dst, sp, dp, fl, data in (
                (0, cl, "10.0.0.4", 50000 + n, 443, SYN, b""),
                (0.01, "10.0.0.4", cl, 443, 50000 + n, SYN | ACK, b""),
                (0.02, cl, "10.0.0.4", 50000 + n, 443, ACK, b""),
                (0.03, cl, "10.0.0.4", 50000 + n, 443, PSH | ACK, b"x" * 40),
                (0.04, "10.0.0.4", cl, 443, 50000 + n, FIN | ACK, b""),
                (0.05, cl, "10.0.0.4", 50000 + n, 443, FIN | ACK, b"")):
            c.add(us(t + dt), eth(ipv4(src, dst, 6, tcp(sp, dp, fl, data)), 0x0800, tags), src, fl == SYN)
    # DNS, a fragmented answer, ICMP, ICMPv6, ARP
    c.add(us(1.0), eth(ipv4("192.0.2.1", "10.0.0.53", 17, udp(5353, 53, b"q" * 20)), 0x0800), "192.0.2.1")
    ans = udp(53, 5353, b"a" * 1480)
    c.add(us(1.01), eth(ipv4("10.0.0.53", "192.0.2.1", 17, ans[:1480], frag=0x2000), 0x0800), "10.0.0.53")
    c.add(us(1.011), eth(ipv4("10.0.0.53", "192.0.2.1", 17, ans[1480:], frag=185), 0x0800), "10.0.0.53")
    c.add(us(1.2), eth(ipv4("192.0.2.2", "10.0.0.4", 1, icmp(8)), 0x0800), "192.0.2.2")
    c.add(us(1.21), eth(ipv4("10.0.0.4", "192.0.2.2", 1, icmp(0)), 0x0800), "10.0.0.4")
    c.add(us(1.3), eth(ipv6("2001:db8::1", "2001:db8::2", 58, icmp(128)), 0x86dd), "2001:db8::1")
    c.add(us(1.4), eth(b"\x00\x01\x08\x00\x06\x04\x00\x01" + b"\0" * 20, 0x0806))
    # one frame of each malformed kind (sources 198.51.100.0/24)
    M = "198.51.100.%d"
    good = lambda k, fl=SYN: ipv4(M % k, "10.0.0.2", 6, tcp(7, 80, fl))
    bad = [
        ("link.pkt_too_small", eth(good(1), 0x0800), 10),
        ("ipv4.pkt_too_small", eth(good(2), 0x0800), 26),
        ("tcp.pkt_too_small", eth(good(3), 0x0800), 44),
        ("ipv6.pkt_too_small", eth(ipv6("2001:db8:bad::99", "2001:db8::2", 6, tcp(7, 80, SYN)), 0x86dd), 44),
        ("ipv4.hlen_too_small", eth(b"\x43" + good(5)[1:], 0x0800), None),
        ("ipv4.iplen_smaller_than_hlen", eth(ipv4(M % 6, "10.0.0.2", 6, tcp(7, 80, SYN), ihl=5, tot=10), 0x0800), None),
        ("ipv4.trunc_pkt", eth(ipv4(M % 7, "10.0.0.2", 6, tcp(7, 80, SYN), tot=1500), 0x0800), None),
        ("ipv4.wrong_ip_version", eth(ipv4(M % 8, "10.0.0.2", 6, tcp(7, 80, SYN), ver=6), 0x0800), None),
        ("tcp.hlen_invalid", eth(ipv4(M % 9, "10.0.0.2", 6, tcp(7, 80, SYN, doff=2)), 0x0800), None),
        ("udp.hlen_invalid", eth(ipv4(M % 10, "10.0.0.2", 17, udp(7, 53, b"", ulen=4)), 0x0800), None),
        ("ipv6.trunc_pkt", eth(ipv6("2001:db8:bad::98", "2001:db8::2", 6, tcp(7, 80, SYN), plen=1000), 0x86dd), None),
        ("vlan.header_too_small", eth(b"", 0x0800, [(0x8100, 5)]), 16),
    ]
    for k, (reason, frame, cap) in enumerate(bad):
        c.add(us(2.0 + k / 100), frame, None, False, cap, reason)
    c.frames.sort(key=lambda f: f[0])
    return c


def write_pcap(path, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        for ts, data, wire in frames:
            t = T0 * 1000000 + ts
            f.write(struct.pack("<IIII", t // 1000000, t % 1000000, len(data), wire) + data)


def write_pcapng(path, frames):
    def block(btype, body):
        body += b"\0" * (-len(body) % 4)
        n = 12 + len(body)
        return struct.pack("<II", btype, n) + body + struct.pack("<I", n)
    with open(path, "wb") as f:
        f.write(block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1)))
        f.write(block(1, struct.pack("<HHI", 1, 0, 262144)))  # Ethernet, microseconds
        for ts, data, wire in frames:
            t = T0 * 1000000 + ts
            f.write(block(6, struct.pack("<IIIII", 0, t >> 32, t & 0xFFFFFFFF, len(data), wire) + data))


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    c = build()
    (write_pcapng if sys.argv[3:] == ["--pcapng"] else write_pcap)(sys.argv[1], c.frames)
    with open(sys.argv[2], "w") as t:
        nbad = sum(c.malformed.values())
        t.write("frames %d\nip %d\nnot_ip %d\nmalformed %d\nsyn %d\n" % (
            len(c.frames), len(c.frames) - nbad - c.not_ip, c.not_ip, nbad, sum(c.syn.values())))
        for reason in sorted(c.malformed):
            t.write("malformed.%s %d\n" % (reason, c.malformed[reason]))
        for ip in sorted(c.syn, key=lambda k: (-c.syn[k], k)):
            t.write("syn %s %d\n" % (ip, c.syn[ip]))
        for ip in sorted(c.packets):
            t.write("packets %s %d\n" % (ip, c.packets[ip]))


if __name__ == "__main__":
    main()
