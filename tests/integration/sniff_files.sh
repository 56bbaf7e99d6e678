#!/usr/bin/env bash
# ward-sniff on the shipped capture (tests/data/sniff_small.*), checked against
# the ground truth its generator wrote (tests/tools/sniff_gen_pcap.py).
. "$(dirname "$0")/../lib.sh"
S="$W/ward-sniff"
PCAP=$DATA/sniff_small.pcap
NG=$DATA/sniff_small.pcapng
TRUTH=$DATA/sniff_small.truth
truth() { awk -v k="$1" '$1 == k && NF == 2 { print $2 }' "$TRUTH"; }

# The shipped files are what the generator writes today.
python3 "$TOP/tests/tools/sniff_gen_pcap.py" "$T/g.pcap" "$T/g.truth"
python3 "$TOP/tests/tools/sniff_gen_pcap.py" "$T/g.pcapng" "$T/g2.truth" --pcapng
t_files_eq "generator reproduces the shipped pcap" "$T/g.pcap" "$PCAP"
t_files_eq "generator reproduces the shipped pcapng" "$T/g.pcapng" "$NG"
t_files_eq "generator reproduces the shipped truth" "$T/g.truth" "$TRUTH"

# Counters: frames, decoded, SYNs, and every malformed reason.
"$S" -r "$PCAP" --mode none >"$T/none.out" 2>"$T/none.err"
t_eq "no events in mode none" "$(wc -l <"$T/none.out")" 0
t_eq "frames read" "$(t_counter "$T/none.err" in)" "$(truth frames)"
t_eq "IP packets" "$(t_counter "$T/none.err" ip)" "$(truth ip)"
t_eq "not IP" "$(t_counter "$T/none.err" not_ip)" "$(truth not_ip)"
t_eq "malformed" "$(t_counter "$T/none.err" malformed)" "$(truth malformed)"
t_eq "SYNs" "$(t_counter "$T/none.err" syn)" "$(truth syn)"
bad_ok=yes
while read -r key n; do
	reason=${key#malformed.}
	got=$(grep -o "\"$reason\":[0-9]*" "$T/none.err" | cut -d: -f2)
	[ "$got" == "$n" ] || { bad_ok="$reason: got '$got' want $n"; break; }
done < <(grep '^malformed\.' "$TRUTH")
t_eq "each malformed reason counted" "$bad_ok" yes
t_grep "malformed frames reported on stderr" 'frame [0-9]+: malformed packet skipped: link.pkt_too_small' "$T/none.err"

# --top: events and the table on stderr equal the truth's ranking.
"$S" -r "$PCAP" --top 4 >"$T/top.out" 2>"$T/top.err"
want=$(awk '$1 == "syn" && NF == 3 { print $2, $3 }' "$TRUTH" | head -4)
got=$(python3 -c '
import json, sys
for l in open(sys.argv[1]):
    f = json.loads(l)["fields"]
    print(f["src_ip"], f["syn"])' "$T/top.out")
t_eq "--top 4 events" "$got" "$want"
t_eq "--top table on stderr" "$(grep -E '^ +[0-9]+ +[0-9]+ +[0-9]+  ' "$T/top.err" | awk '{ print $4, $2 }')" "$want"

# summary: per source, SYNs and packets summed over intervals equal the truth.
"$S" -r "$PCAP" --mode summary --interval 1s >"$T/sum.out" 2>"$T/sum.err"
sums() {
	python3 -c '
import json, sys
syn, pk = {}, {}
for l in open(sys.argv[1]):
    f = json.loads(l)["fields"]
    syn[f["src_ip"]] = syn.get(f["src_ip"], 0) + f["syn"]
    pk[f["src_ip"]] = pk.get(f["src_ip"], 0) + f["packets"]
for ip in sorted(syn, key=lambda k: (-syn[k], k)):
    if syn[ip]:
        print("syn", ip, syn[ip])
for ip in sorted(pk):
    print("packets", ip, pk[ip])' "$1"
}
t_eq "summary: SYNs and packets per source" "$(sums "$T/sum.out")" "$(grep -E '^(syn|packets) [^ ]+ ' "$TRUTH")"
scan_ports=$(python3 -c '
import json, sys
print(sum(json.loads(l)["fields"]["dest_ports"] for l in open(sys.argv[1]) if "\"198.18.0.66\"" in l))' "$T/sum.out")
t_eq "summary: scanner distinct ports per interval add up to 100" "$scan_ports" 100

# pcapng and stdin give the same summary; files are read in order.
"$S" -r "$NG" --mode summary 2>/dev/null | sed 's/"file":"[^"]*"//' >"$T/ng.out"
sed 's/"file":"[^"]*"//' "$T/sum.out" >"$T/sum.nolabel"
t_files_eq "pcapng equals pcap" "$T/ng.out" "$T/sum.nolabel"
"$S" -r - --mode summary <"$PCAP" 2>/dev/null | sed 's/"file":"[^"]*"//' >"$T/stdin.out"
t_files_eq "stdin equals file" "$T/stdin.out" "$T/sum.nolabel"
"$S" -r "$PCAP" -r "$NG" --mode none 2>"$T/two.err" >/dev/null
t_eq "two files: frames of both" "$(t_counter "$T/two.err" in)" "$(($(truth frames) * 2))"

# packet mode: one event per IP packet, Suricata names, tcpdump-style line.
"$S" -r "$PCAP" --mode packet >"$T/pkt.out" 2>/dev/null
t_eq "packet events" "$(wc -l <"$T/pkt.out")" "$(truth ip)"
t_eq "first packet event" "$(head -1 "$T/pkt.out")" \
	'{"v":1,"ts":"2024-01-01T00:00:00.000000000Z","labels":{"job":"sniff","file":"'"$PCAP"'"},"line":"IP 198.18.0.10.1024 > 10.0.0.2.80: Flags [SEW], length 0","fields":{"src_ip":"198.18.0.10","src_port":1024,"dest_ip":"10.0.0.2","dest_port":80,"proto":"TCP","community_id":"1:0/Lts3YRb6cu8NBYuTHHw8liEW4=","tcp_flags":"SEC","pkt_len":60}}'
# (the exact events of VLAN, QinQ, IPv6, fragments, a BPF filter, the
# summary intervals and --top: tests/cases/sniff/)

# Bounded state: with 2 sources per interval the rest is folded, nothing lost.
"$S" -r "$PCAP" --mode summary --max-sources 2 >"$T/ev.out" 2>"$T/ev.err"
t_ok "evictions counted" test "$(t_counter "$T/ev.err" sources_evicted)" -gt 0
t_eq "evicted packets are in 'other'" "$(python3 -c '
import json, sys
print(sum(json.loads(l)["fields"]["packets"] for l in open(sys.argv[1])))' "$T/ev.out")" "$(truth ip)"

# Errors and exit codes.
t_status "--strict stops at a malformed packet" 65 "$S" -r "$PCAP" --strict --mode none
t_status "missing file" 74 "$S" -r "$T/nope.pcap"
t_status "not a capture" 74 "$S" -r "$TRUTH"
t_status "bad filter" 64 "$S" -r "$PCAP" -f 'tcp and and'
t_status "no input" 64 "$S" --mode packet
t_status "a file operand without -r" 64 "$S" "$PCAP"
t_status "unknown mode" 64 "$S" -r "$PCAP" --mode flows
t_status "--max-sources too large" 64 "$S" -r "$PCAP" --max-sources 20000000
t_status "--top on a live capture" 64 "$S" -i lo --top 3
t_status "-Z unknown user" 71 "$S" -r "$PCAP" -Z no-such-user-ward
t_ok "--help" "$S" --help
"$S" -r "$PCAP" --mode packet 2>/dev/null | head -1 >/dev/null
t_eq "a closed pipe ends quietly" "${PIPESTATUS[0]}" 0
if t_is_root; then
	"$S" -r "$PCAP" -Z nobody --top 1 >"$T/z.out" 2>"$T/z.err"
	t_eq "-Z nobody after opening the files" "$(grep -o '"src_ip":"[^"]*","rank":1,"syn":[0-9]*' "$T/z.out")" '"src_ip":"198.18.0.10","rank":1,"syn":120'
else
	t_skip "-Z nobody after opening the files" "needs root"
fi

# Other link types: the untagged IP frames of the capture re-encapsulated as
# Linux SLL, SLL2, raw IP and BSD NULL decode to the same packets.
python3 - "$PCAP" "$T" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
frames, off = [], 24
while off < len(data):
    s, us, cap, wire = struct.unpack("<IIII", data[off:off + 16])
    frames.append((s, us, data[off + 16:off + 16 + cap], wire))
    off += 16 + cap
def write(name, lt, conv, by_version=False):
    with open("%s/%s.pcap" % (sys.argv[2], name), "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, lt))
        for s, us, fr, wire in frames:
            if len(fr) < 14 or fr[12:14] not in (b"\x08\x00", b"\x86\xdd"):
                continue
            et, ip = fr[12:14], fr[14:]
            if by_version and et == b"\x08\x00" and len(ip) and ip[0] >> 4 != 4:
                continue  # raw IP has no type field: the version nibble decides
            hdr = conv(et)
            f.write(struct.pack("<IIII", s, us, len(hdr) + len(ip), wire - 14 + len(hdr)) + hdr + ip)
write("eth", 1, lambda et: b"\x02\0\0\0\0\x01\x02\0\0\0\0\x02" + et)
write("eth4raw", 1, lambda et: b"\x02\0\0\0\0\x01\x02\0\0\0\0\x02" + et, True)
write("sll", 113, lambda et: struct.pack("!HHH", 0, 1, 6) + b"\x02\0\0\0\0\x01\0\0" + et)
write("sll2", 276, lambda et: et + b"\0\0" + struct.pack("!IHBB", 2, 1, 0, 6) + b"\x02\0\0\0\0\x01\0\0")
write("raw", 101, lambda et: b"", True)
write("null", 0, lambda et: struct.pack("<I", 2 if et == b"\x08\x00" else 24))
PY
lines() { "$S" -r "$1" --mode packet 2>/dev/null | grep -o '"line":"[^"]*"' | sort; }
reasons() { "$S" -r "$1" --mode none 2>&1 >/dev/null | tail -1 | grep -oE '"(ip|syn|malformed|[a-z0-9]+\.[a-z_]+)":[0-9]+' | grep -v '"link\.' | sort | tr '\n' ' '; }
lines "$T/eth.pcap" >"$T/eth.lines"
lines "$T/eth4raw.pcap" >"$T/eth4raw.lines"
t_ok "re-encapsulated capture has packets" test "$(wc -l <"$T/eth.lines")" -gt 400
for lt in sll sll2 raw null; do
	ref=eth
	[ "$lt" = raw ] && ref=eth4raw
	lines "$T/$lt.pcap" >"$T/$lt.lines"
	t_files_eq "$lt: same packets as Ethernet" "$T/$lt.lines" "$T/$ref.lines"
	t_eq "$lt: same counters" "$(reasons "$T/$lt.pcap")" "$(reasons "$T/$ref.pcap")"
done
