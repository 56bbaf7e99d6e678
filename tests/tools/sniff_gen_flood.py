#!/usr/bin/env python3
"""sniff_gen_flood.py - a one-minute capture for the SYN-flood rule test.

    sniff_gen_flood.py OUT.pcap TRUTH.txt

Sixty seconds of traffic around three SYN floods (one IPv4 source, one on
VLAN 200 starting off a second boundary, one over IPv6 whose victim answers
and whose kernel resets), with what a SYN-count rule must not flag:

  * normal clients (192.0.2.1-40), a few sessions a second between them;
  * a busy client (192.0.2.99) at 80 SYNs a second for 20 s, under the
    rule's 100 a second in every one-second interval;
  * a vertical port scan (198.18.0.66) at 600 SYNs a second: more SYNs per
    second than two of the floods, on 3000 destination ports;
  * a spoofed flood: 12,000 SYNs from random sources in 198.18.128.0/17,
    one each, which no per-source rule can attribute (and which fills a
    small --max-sources table, so its counts go to the "other" event).

Ground truth, "key value..." lines:

    flood <ip> <start> <end>    a flooding source and its first and last SYN (s)
    scan <ip>                   the port scanner
    spoofed <syns>              SYNs of the spoofed flood
    syn <ip> N                  SYNs per source (SYN set, ACK clear), named sources
    frames N

Deterministic (seeded), Python 3 standard library only; the frame builders
and the pcap writer are sniff_gen_pcap.py's.
"""
import random
import sys

from sniff_gen_pcap import ACK, PSH, RST, SYN, FIN, eth, ipv4, ipv6, tcp, write_pcap

SERVER = "10.0.0.4"


class Flood:
    def __init__(self):
        self.frames = []   # (ts_us, bytes, wire len)
        self.syn = {}
        self.floods = []   # (ip, first, last)

    def add(self, t, frame, src=None, flags=0):
        wire = max(len(frame), 60)
        frame = frame + b"\0" * (wire - len(frame))
        self.frames.append((int(round(t * 1e6)), frame, wire))
        if src and flags & (SYN | ACK) == SYN:
            self.syn[src] = self.syn.get(src, 0) + 1

    def tcp4(self, t, src, dst, sp, dp, flags, tags=()):
        self.add(t, eth(ipv4(src, dst, 6, tcp(sp, dp, flags)), 0x0800, tags), src, flags)

    def tcp6(self, t, src, dst, sp, dp, flags):
        self.add(t, eth(ipv6(src, dst, 6, tcp(sp, dp, flags)), 0x86dd), src, flags)


def session(c, t, client, sport, dport):
    for dt, a, b, sp, dp, fl in ((0, client, SERVER, sport, dport, SYN),
                                 (0.01, SERVER, client, dport, sport, SYN | ACK),
                                 (0.02, client, SERVER, sport, dport, ACK),
                                 (0.03, client, SERVER, sport, dport, PSH | ACK),
                                 (0.05, client, SERVER, sport, dport, FIN | ACK),
                                 (0.06, SERVER, client, dport, sport, FIN | ACK)):
        c.tcp4(t + dt, a, b, sp, dp, fl)


def flood(c, r, src, start, seconds, pps, v6=False, tags=()):
    n = int(seconds * pps)
    times = [start + i / pps for i in range(n)]
    victim = "2001:db8:20::80" if v6 else "10.0.0.2"
    for i, t in enumerate(times):
        sp = 1024 + i % 60000
        if v6:
            c.tcp6(t, src, victim, sp, 80, SYN)
            if r.random() < 0.3:   # the victim answers, the attacker's kernel resets
                c.tcp6(t + 0.0003, victim, src, 80, sp, SYN | ACK)
                c.tcp6(t + 0.00035, src, victim, sp, 80, RST)
        else:
            c.tcp4(t, src, victim, sp, 80, SYN, tags)
    c.floods.append((src, times[0], times[-1]))


def build():
    r = random.Random(20240101)
    c = Flood()
    for n in range(1, 41):   # normal clients: about one session every 2 s each
        client = "192.0.2.%d" % n
        t = r.uniform(0, 2)
        while t < 59:
            session(c, t, client, r.randint(32768, 60999), r.choice((443, 443, 80)))
            t += r.uniform(0.5, 3.5)
    for i in range(1600):    # busy client: 80 SYNs a second for 20 s
        t = 5.006 + i / 80
        c.tcp4(t, "192.0.2.99", SERVER, 40000 + i, 443, SYN)
        c.tcp4(t + 0.002, SERVER, "192.0.2.99", 443, 40000 + i, SYN | ACK)
    flood(c, r, "198.18.0.10", 10.0, 10, 400)
    flood(c, r, "198.18.0.11", 12.37, 10, 150, tags=[(0x8100, 200)])
    flood(c, r, "2001:db8:bad::10", 30.5, 6, 250, v6=True)
    for i, port in enumerate(r.sample(range(1, 65536), 3000)):   # port scan, 600/s
        t = 40.0 + i / 600
        c.tcp4(t, "198.18.0.66", "10.0.0.3", 51000, port, SYN)
        c.tcp4(t + 0.0005, "10.0.0.3", "198.18.0.66", port, 51000, RST | ACK)
    spoofed = 0
    for i in range(12000):   # spoofed: one SYN per random source, 3000/s
        src = "198.18.%d.%d" % (128 + r.randrange(128), r.randrange(1, 255))
        c.tcp4(50.0 + i / 3000, src, "10.0.0.20", r.randint(1024, 65535), 443, SYN)
        spoofed += 1
    c.frames.sort(key=lambda f: f[0])
    return c, spoofed


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    c, spoofed = build()
    write_pcap(sys.argv[1], c.frames)
    with open(sys.argv[2], "w") as t:
        t.write("frames %d\n" % len(c.frames))
        for ip, first, last in c.floods:
            t.write("flood %s %.6f %.6f\n" % (ip, first, last))
        t.write("scan 198.18.0.66\nspoofed %d\n" % spoofed)
        for ip in sorted(c.syn, key=lambda k: (-c.syn[k], k)):
            if not ip.startswith("198.18.") or int(ip.split(".")[2]) < 128:
                t.write("syn %s %d\n" % (ip, c.syn[ip]))


if __name__ == "__main__":
    main()
