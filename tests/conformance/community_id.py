#!/usr/bin/env python3
"""community_id.py - ward-sniff's community_id against tshark's, packet by packet.

Every capture under ../shared/corpus/pcap (tcpdump's test captures and
Zeek's traces, 961 files) goes through `ward-sniff --mode packet` and through
`tshark --enable-protocol communityid` (IP reassembly off: ward-sniff does
not reassemble, so both see each fragment as captured). Each ward event is
paired with its frame in tshark's output (the next frame with the same time
and outer addresses: ward-sniff writes no event for frames it does not
decode) and the two IDs are compared.

Per protocol (ward's `proto`) the report counts the packets compared, the
identical ones, the differences, and:

- tshark_partial: tshark stopped inside the packet (cut by the snaplen, or
  malformed, `_ws.short` / `_ws.malformed`). It then hashes the addresses
  alone, or with a wrong protocol number over IPv6 (its IPv6 fallback reads
  another value), or writes nothing. Compared instead with the spec's
  pseudo code (Python hashlib) over the ports or ICMP type and code tshark
  did dissect: counted in compared/identical/differences too.
- tshark_none: tshark wrote no ID and did not dissect the transport header
  (listed with -v).

and those left out, by reason:

- tunnel: tshark found a second IP header (IP in IP, GRE, VXLAN, Teredo...)
  and hashes the innermost flow, ward-sniff the outer one (docs/sniff.md).
- no_id_by_design: ward-sniff writes no ID for a packet of a port protocol
  whose ports it did not see (non-first fragments, SCTP); tshark hashes the
  addresses alone there, an ID Suricata and Zeek (which reassemble) never
  write for that flow.
- unpaired: no frame of tshark's output has the event's time and addresses.

Then Zeek's own Community ID baselines (zeek-traces/communityid/expected:
the ID Zeek logs per connection): ward-sniff must write exactly Zeek's IDs
over each trace (SCTP aside, see zeek_baselines).

Exit status 1 when a TCP, UDP, ICMP or ICMPv6 packet has a different ID (or
an ID on one side only, outside the reasons above), when a Zeek baseline
differs, or when nothing was compared; 2 when the corpus or tshark is missing. Reads ../shared, so it is
`make conformance`, not `make check`.
"""
import argparse
import base64
import calendar
import collections
import hashlib
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GATED = ("TCP", "UDP", "ICMP", "IPv6-ICMP")
TSHARK_FIELDS = ["frame.number", "frame.time_epoch", "frame.protocols", "ip.src", "ip.dst",
                 "ipv6.src", "ipv6.dst", "communityid", "_ws.malformed", "_ws.short",
                 "tcp.srcport", "tcp.dstport", "udp.srcport", "udp.dstport",
                 "icmp.type", "icmp.code", "icmpv6.type", "icmpv6.code"]
# ward's proto -> (IP protocol number, tshark's fields for the two "ports")
SPEC_FIELDS = {"TCP": (6, "tcp.srcport", "tcp.dstport"), "UDP": (17, "udp.srcport", "udp.dstport"),
               "ICMP": (1, "icmp.type", "icmp.code"), "IPv6-ICMP": (58, "icmpv6.type", "icmpv6.code")}
ICMP4_PEER = {8: 0, 0: 8, 13: 14, 14: 13, 15: 16, 16: 15, 10: 9, 9: 10, 17: 18, 18: 17}
ICMP6_PEER = {128: 129, 129: 128, 130: 131, 131: 130, 133: 134, 134: 133, 135: 136, 136: 135,
              139: 140, 140: 139, 144: 145, 145: 144}


PROTO_NUM = {"IGMP": 2, "GRE": 47, "ESP": 50, "AH": 51, "SCTP": 132}


def spec_id(proto, saddr, daddr, sport=None, dport=None):
    """The spec's pseudo code with Python's hashlib (independent of ward's C)."""
    fam = socket.AF_INET6 if ":" in saddr else socket.AF_INET
    a, b = socket.inet_pton(fam, saddr), socket.inet_pton(fam, daddr)
    one_way = False
    if sport is None:
        if not a <= b:
            a, b = b, a
        data = struct.pack("!H", 0) + a + b + struct.pack("BB", proto, 0)
        return "1:" + base64.b64encode(hashlib.sha1(data).digest()).decode()
    if proto in (1, 58):
        peer = (ICMP4_PEER if proto == 1 else ICMP6_PEER).get(sport)
        if peer is None:
            one_way = True
        else:
            dport = peer
    if not one_way and not (a < b or (a == b and sport < dport)):
        a, b, sport, dport = b, a, dport, sport
    data = struct.pack("!H", 0) + a + b + struct.pack("BB", proto, 0) + struct.pack("!HH", sport, dport)
    return "1:" + base64.b64encode(hashlib.sha1(data).digest()).decode()
PORT_PROTOS = {"TCP", "UDP", "ICMP", "IPv6-ICMP", "SCTP"}


def ward_ts_ns(ts):
    """RFC 3339 with nanoseconds and Z, as ward writes it."""
    try:
        date, frac = ts.rstrip("Z").split(".") if "." in ts else (ts.rstrip("Z"), "0")
        sec = calendar.timegm(time.strptime(date, "%Y-%m-%dT%H:%M:%S"))
        return sec * 1_000_000_000 + int(frac.ljust(9, "0")[:9])
    except (ValueError, OverflowError):
        return None


def tshark_ts_ns(t):
    try:
        neg = t.startswith("-")
        s, _, f = t.lstrip("-").partition(".")
        v = int(s) * 1_000_000_000 + int(f.ljust(9, "0")[:9] or 0)
        return -v if neg else v
    except ValueError:
        return None


def run_ward(binary, path):
    p = subprocess.run([binary, "-q", "--no-progress", "-r", path, "--mode", "packet"],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=120)
    if p.returncode not in (0, 65):
        return None
    out = []
    for line in p.stdout.splitlines():
        ev = json.loads(line)
        f = ev.get("fields", {})
        if "src_ip" not in f:
            continue
        out.append((ward_ts_ns(ev["ts"]), f["src_ip"], f["dest_ip"], f.get("proto"),
                    f.get("community_id"), ev.get("line", "")))
    return out


def outer_addrs(protos, row):
    """Outer source and destination per tshark, and the number of IP layers
    that are not the quoted header of an ICMP error."""
    layers = protos.split(":")
    ips = [i for i, l in enumerate(layers) if l in ("ip", "ipv6")]
    # A second IP header (not the one an ICMP error quotes), or a link
    # layer inside the IP packet (LWAPP, CAPWAP, VXLAN carry 802.11 or
    # Ethernet frames, whose dissectors change the ports tshark hashes).
    tunnel = any(layers[i - 1] not in ("icmp", "icmpv6") for i in ips[1:]) or (
        bool(ips) and any(l in ("eth", "wlan", "ppp", "sll") for l in layers[ips[0] + 1:]))
    if not ips:
        return None, None, tunnel
    first = layers[ips[0]]
    s, d = (row["ip.src"], row["ip.dst"]) if first == "ip" else (row["ipv6.src"], row["ipv6.dst"])
    return s.split(",")[0] or None, d.split(",")[0] or None, tunnel


def run_tshark(path):
    cmd = ["tshark", "-n", "-r", path, "-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE",
           "--enable-protocol", "communityid", "-T", "fields", "-E", "separator=/t",
           "-E", "occurrence=a", "-E", "aggregator=,"]
    for f in TSHARK_FIELDS:
        cmd += ["-e", f]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=300)
    rows = []
    for line in p.stdout.decode("utf-8", "replace").splitlines():
        parts = line.split("\t")
        parts += [""] * (len(TSHARK_FIELDS) - len(parts))
        row = dict(zip(TSHARK_FIELDS, parts))
        s, d, tunnel = outer_addrs(row["frame.protocols"], row)
        first = {k: v.split(",")[0] for k, v in row.items()}
        rows.append({"no": row["frame.number"], "ts": tshark_ts_ns(row["frame.time_epoch"]),
                     "src": s, "dst": d, "tunnel": tunnel, "protos": row["frame.protocols"],
                     "cid": first["communityid"] or None,
                     "partial": bool(row["_ws.malformed"] or row["_ws.short"]), "f": first})
    return rows


def same_addr(a, b):
    # tshark and ward both write inet_ntop text; compare case-insensitively
    return a is not None and b is not None and a.lower() == b.lower()


def pair(frames, j, ts, src, dst):
    """Index of the first frame from j with this time (None: any) and these
    outer addresses, or len(frames)."""
    k = j
    while k < len(frames) and not ((ts is None or frames[k]["ts"] == ts) and same_addr(frames[k]["src"], src)
                                   and same_addr(frames[k]["dst"], dst)):
        k += 1
    return k


def compare_file(binary, path, stats, diffs, others):
    events = run_ward(binary, path)
    if events is None:
        stats["_files_unreadable"] += 1
        return
    if not events:
        return
    frames = run_tshark(path)
    j = 0
    for ts, src, dst, proto, cid, line in events:
        k = pair(frames, j, ts, src, dst)
        if k == len(frames):
            # Times beyond what one side represents (the tcpdump captures
            # of 2038/2106 and invalid fractions): the addresses alone.
            k = pair(frames, j, None, src, dst)
        c = stats[proto]
        if k == len(frames):
            c["unpaired"] += 1
            others.append("%s: no frame at %s from %s to %s in tshark's output (%s)" % (
                os.path.relpath(path), ts, src, dst, line))
            continue
        fr = frames[k]
        j = k + 1
        if cid is None and proto in PORT_PROTOS:
            c["no_id_by_design"] += 1
            continue
        ref, how = fr["cid"], "tshark"
        why = None
        if fr["tunnel"]:
            why = "tunnel"		# tshark's ID is the inner flow's
        elif fr["partial"] and proto in SPEC_FIELDS:
            why = "tshark_partial"	# hashed before the transport, or not at all
        elif ":" in src and proto not in PORT_PROTOS:
            why = "ipv6_other"		# tshark's IPv6 address-only fallback
        if why:
            # Hash what tshark dissected of the outer packet, per the spec.
            try:
                ref = spec_over_fields(proto, fr)
                how = "spec over tshark's fields"
            except (ValueError, OSError, KeyError):
                c["tshark_none"] += 1
                others.append("%s frame %s: ward %s, tshark %s, no %s fields (%s; tshark %s)" % (
                    os.path.relpath(path), fr["no"], cid, fr["cid"], proto, line, fr["protos"]))
                continue
            c[why] += 1
        elif ref is None and cid is not None:
            c["tshark_none"] += 1
            others.append("%s frame %s: ward %s, tshark none (%s; tshark %s)" % (
                os.path.relpath(path), fr["no"], cid, line, fr["protos"]))
            continue
        c["compared"] += 1
        if cid == ref:
            c["identical"] += 1
            continue
        c["differences"] += 1
        diffs.append("%s frame %s: ward %s, %s %s (%s; tshark %s)" % (
            os.path.relpath(path), fr["no"], cid, how, ref, line, fr["protos"]))


def spec_over_fields(proto, fr):
    """The spec's ID from tshark's outer addresses and first (outer)
    transport fields; ward's protocol name for the number."""
    if proto in SPEC_FIELDS:
        num, fs, fd = SPEC_FIELDS[proto]
        return spec_id(num, fr["src"], fr["dst"], int(fr["f"][fs]), int(fr["f"][fd]))
    return spec_id(PROTO_NUM.get(proto) or int(proto), fr["src"], fr["dst"])

def zeek_baselines(binary, pcap_dir):
    """Zeek's own Community ID test (zeek-traces/communityid: a trace per
    protocol and, in expected/, the ID Zeek logs for each connection): the
    set of IDs ward-sniff writes over a trace must be Zeek's set. SCTP is
    left out: ward-sniff writes no ID without the SCTP ports, and this Zeek
    baseline hashes ports 0 (no SCTP analyzer). Returns (traces, ok, lines)."""
    d = os.path.join(pcap_dir, "zeek-traces", "communityid")
    if not os.path.isdir(os.path.join(d, "expected")):
        return 0, 0, []
    n = ok = 0
    report = []
    for name in sorted(os.listdir(os.path.join(d, "expected"))):
        trace = os.path.join(d, name[:-len(".out")])
        if not name.endswith(".pcap.out") or not os.path.isfile(trace):
            continue
        want = set()
        with open(os.path.join(d, "expected", name)) as f:
            for line in f:
                if line.startswith("[") and "proto=132," not in line:
                    want.add(line.rsplit(", ", 1)[1].strip())
        events = run_ward(binary, trace) or []
        got = {e[4] for e in events if e[4]}
        n += 1
        if got == want:
            ok += 1
            report.append("  zeek %s: %d IDs, the same" % (name[:-4], len(want)))
        else:
            report.append("  zeek %s: DIFF missing %s, extra %s" % (name[:-4], sorted(want - got), sorted(got - want)))
    return n, ok, report


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(TOP, "bin"))
    shared = os.environ.get("WARD_SHARED") or next(
        (d for d in (os.path.join(TOP, "..", "shared"), os.path.join(TOP, "..", "..", "shared")) if os.path.isdir(d)),
        os.path.join(TOP, "..", "shared"))
    ap.add_argument("--pcap", default=os.path.join(shared, "corpus", "pcap"))
    ap.add_argument("--only", help="substring of the capture paths to read")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every difference")
    a = ap.parse_args()
    if not os.path.isdir(a.pcap):
        print("community_id: %s not found (needs ../shared)" % a.pcap, file=sys.stderr)
        return 2
    if not shutil.which("tshark"):
        print("community_id: tshark not found (make deps installs it)", file=sys.stderr)
        return 2
    binary = os.path.join(a.bin, "ward-sniff")
    files = []
    for root, _, names in os.walk(a.pcap):
        for n in names:
            if n.endswith((".pcap", ".pcapng", ".cap", ".trace")):
                p = os.path.join(root, n)
                if not a.only or a.only in p:
                    files.append(p)
    files.sort()
    stats = collections.defaultdict(collections.Counter)
    stats["_files_unreadable"] = 0
    diffs, others = [], []
    for p in files:
        compare_file(binary, p, stats, diffs, others)
    keys = ["compared", "identical", "differences", "tshark_partial", "tunnel", "ipv6_other",
            "tshark_none", "no_id_by_design", "unpaired"]
    print("community_id: %d captures (%d unreadable by libpcap)" % (len(files), stats["_files_unreadable"]))
    print("%-10s " % "proto" + " ".join("%15s" % k for k in keys))
    protos = sorted((p for p in stats if not p.startswith("_")), key=lambda p: (p not in GATED, str(p)))
    for p in protos:
        print("%-10s " % p + " ".join("%15d" % stats[p][k] for k in keys))
    for d in others if a.verbose else []:
        print("  NOT COMPARED " + d)
    for d in diffs if a.verbose else diffs[:20]:
        print("  DIFF " + d)
    if len(diffs) > 20 and not a.verbose:
        print("  ... %d more (-v)" % (len(diffs) - 20))
    gated_diffs = sum(stats[p]["differences"] for p in GATED)
    gated_compared = sum(stats[p]["compared"] for p in GATED)
    zn, zok, zreport = zeek_baselines(binary, a.pcap)
    print("community_id: Zeek's baselines: %d of %d traces give Zeek's IDs" % (zok, zn))
    for line in zreport:
        print(line)
    ok = gated_diffs == 0 and gated_compared > 0 and zok == zn
    print("community_id: %s: %d TCP/UDP/ICMP/ICMPv6 packets compared, %d differ" % (
        "PASS" if ok else "FAIL", gated_compared, gated_diffs))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
