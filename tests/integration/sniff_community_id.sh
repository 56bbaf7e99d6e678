#!/usr/bin/env bash
# ward-sniff's community_id on a capture this test writes, against tshark's
# (`--enable-protocol communityid`) frame by frame: TCP over IPv4 and IPv6
# (an extension header in one), both directions of each flow, equal
# addresses, UDP, ICMP echo and a one-way ICMP type, ICMPv6 echo and
# neighbour discovery, VLAN, GRE (address-only hash), and fragments (the
# first carries the ports; later ones get no ID). The spec's own vector is
# checked without tshark. The whole corpus comparison is
# tests/conformance/community_id.py (make conformance).
. "$(dirname "$0")/../lib.sh"
S="$W/ward-sniff"

python3 - "$T/cid.pcap" <<'EOF'
import socket
import struct
import sys

def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

def eth(payload, et, vlan=None):
    h = b"\x02\0\0\0\0\x01\x02\0\0\0\0\x02"
    if vlan is not None:
        return h + struct.pack("!HHH", 0x8100, vlan, et) + payload
    return h + struct.pack("!H", et) + payload

def ip4(s, d, proto, payload, frag=0):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 7, frag, 64, proto, 0,
                    socket.inet_aton(s), socket.inet_aton(d))
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return eth(h + payload, 0x0800)

def ip6(s, d, nh, payload, vlan=None):
    h = struct.pack("!IHBB16s16s", 0x60000000, len(payload), nh, 64,
                    socket.inet_pton(socket.AF_INET6, s), socket.inet_pton(socket.AF_INET6, d))
    return eth(h + payload, 0x86dd, vlan)

def tcp(sp, dp, flags=0x02):
    return struct.pack("!HHIIBBHHH", sp, dp, 1, 0, 5 << 4, flags, 1024, 0, 0)

def udp(sp, dp, data=b"ward"):
    return struct.pack("!HHHH", sp, dp, 8 + len(data), 0) + data

def icmp(t, c, rest=b"\0\x01\0\x01abcd"):
    return struct.pack("!BBH", t, c, 0) + rest

frames = [
    ip4("128.232.110.120", "66.35.250.204", 6, tcp(34855, 80)),          # the spec's vector
    ip4("66.35.250.204", "128.232.110.120", 6, tcp(80, 34855, 0x12)),
    ip4("127.0.0.1", "127.0.0.1", 6, tcp(40000, 8080)),                  # equal addresses
    ip4("127.0.0.1", "127.0.0.1", 6, tcp(8080, 40000, 0x12)),
    ip6("2001:db8::1", "2001:db8::2", 6, tcp(51000, 443)),
    ip6("2001:db8::2", "2001:db8::1", 6, tcp(443, 51000, 0x12)),
    ip6("2001:db8::2", "2001:db8::1", 0, b"\x06\0\0\0\0\0\0\0" + tcp(443, 51000, 0x10)),  # hop-by-hop
    ip4("192.168.1.52", "8.8.8.8", 17, udp(54585, 53)),
    ip4("8.8.8.8", "192.168.1.52", 17, udp(53, 54585)),
    ip4("192.168.0.89", "192.168.0.1", 1, icmp(8, 0)),                    # echo
    ip4("192.168.0.1", "192.168.0.89", 1, icmp(0, 0)),                    # reply
    ip4("192.168.0.1", "192.168.0.89", 1, icmp(3, 3, b"\0" * 4 +          # port unreachable, one way
        bytes.fromhex("4500001c00070000401100000a0000010a000002") + udp(1, 2, b""))),
    ip6("fe80::1", "fe80::2", 58, icmp(128, 0)),                          # ICMPv6 echo
    ip6("fe80::2", "fe80::1", 58, icmp(129, 0)),
    ip6("fe80::1", "fe80::2", 58, icmp(135, 0, b"\0" * 4 + socket.inet_pton(socket.AF_INET6, "fe80::2"))),
    ip6("fe80::2", "fe80::1", 58, icmp(136, 0, b"\x60\0\0\0" + socket.inet_pton(socket.AF_INET6, "fe80::2"))),
    ip6("2001:db8::7", "2001:db8::1", 17, udp(5353, 5353), vlan=200),
    ip4("10.0.0.1", "10.0.0.2", 47, b"\0\0\x08\0" + b"\0" * 20),           # GRE: no ports
    ip4("10.0.0.53", "192.0.2.1", 17, udp(53, 40001, b"x" * 24)[:16], frag=0x2000),  # first fragment
    ip4("10.0.0.53", "192.0.2.1", 17, b"y" * 16, frag=2),                 # offset 16: no ID
]
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i, fr in enumerate(frames):
        f.write(struct.pack("<IIII", 1704067200 + i, 0, len(fr), len(fr)) + fr)
EOF

"$S" -r "$T/cid.pcap" --mode packet >"$T/pkt.out" 2>"$T/pkt.err"
t_eq "one event per frame" "$(wc -l <"$T/pkt.out")" 20
# community_id per event, "-" where there is none (as tshark prints nothing)
python3 -c '
import json, sys
for l in open(sys.argv[1]):
    print(json.loads(l)["fields"].get("community_id", "-"))' "$T/pkt.out" >"$T/ward.ids"
t_eq "the spec's TCP vector" "$(sed -n 1p "$T/ward.ids")" "1:LQU9qZlK+B5F3KDmev6m5PMibrg="
t_eq "both directions of each flow" "$(sed -n '1p;3p;5p;8p;10p;13p' "$T/ward.ids")" "$(sed -n '2p;4p;6p;9p;11p;14p' "$T/ward.ids")"
t_eq "an extension header does not change the flow" "$(sed -n 7p "$T/ward.ids")" "$(sed -n 5p "$T/ward.ids")"
t_eq "neighbour solicitation (unicast) and advertisement pair up" "$(sed -n 15p "$T/ward.ids")" "$(sed -n 16p "$T/ward.ids")"
t_eq "a later fragment has no ID" "$(sed -n 20p "$T/ward.ids")" "-"

if ! command -v tshark >/dev/null; then
	t_skip "equals tshark's communityid" "tshark not installed (make deps)"
	exit 0
fi
# Without IP reassembly, as ward-sniff sees each fragment; tshark hashes a
# later fragment by its addresses alone, where ward-sniff writes nothing.
tshark -n -r "$T/cid.pcap" -o ip.defragment:FALSE --enable-protocol communityid \
	-T fields -e communityid 2>/dev/null | sed 's/^$/-/' >"$T/tshark.ids"
t_eq "tshark read every frame" "$(wc -l <"$T/tshark.ids")" 20
head -19 "$T/ward.ids" >"$T/ward19"
head -19 "$T/tshark.ids" >"$T/tshark19"
t_files_eq "equals tshark's communityid (frames 1-19)" "$T/ward19" "$T/tshark19"
