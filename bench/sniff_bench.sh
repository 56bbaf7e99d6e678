#!/usr/bin/env bash
# bench/sniff_bench.sh - ward-sniff beside the tools people would otherwise
# run, on captures written by ../shared/bench/gen_pcap.py (skipped if absent),
# in one run on the same files, with ratios; then the ground-truth check.
#
#   BENCH_DATA      where captures are generated and kept (default /tmp/ward-bench)
#   SNIFF_BIG       packets of the big capture (default 2000000)
#   SNIFF_SMALL     packets of the capture for tshark and scapy (default 20000)
#   SNIFF_RUNS      runs per fast command, median reported (default 5)
#   WARD_SHARED     the shared folder (default ../shared next to the repository)
#
# Peers: pcap_floor.c (a minimal C pcap_loop counting SYNs per source,
# compiled here, never copied into the repository), tcpdump -nn -r, tshark
# -T ek, scapy rdpcap + Counter (Debian's python3-scapy).
set -u
cd "$(dirname "$0")/.."
TOP=$PWD
DATA=${BENCH_DATA:-/tmp/ward-bench}
BIG_N=${SNIFF_BIG:-2000000}
SMALL_N=${SNIFF_SMALL:-20000}
RUNS=${SNIFF_RUNS:-5}
SNIFF=$TOP/bin/ward-sniff
SHARED=${WARD_SHARED:-}
for d in "$TOP/../shared" "$TOP/../../shared" /work/shared; do
	[ -z "$SHARED" ] && [ -f "$d/bench/gen_pcap.py" ] && SHARED=$d
done
if [ -z "$SHARED" ]; then
	echo "sniff_bench: SKIP: gen_pcap.py not found (set WARD_SHARED)"
	exit 0
fi
[ -x "$SNIFF" ] || { echo "sniff_bench: build first (make)"; exit 1; }
[ -x /usr/bin/time ] || { echo "sniff_bench: SKIP: needs GNU time (apt-get install time)"; exit 0; }
mkdir -p "$DATA"
BIG=$DATA/sniff-big-$BIG_N.pcap
SMALL=$DATA/sniff-small-$SMALL_N.pcap
[ -f "$BIG" ] || python3 "$SHARED/bench/gen_pcap.py" -n "$BIG_N" -o "$BIG" >/dev/null
[ -f "$SMALL" ] || python3 "$SHARED/bench/gen_pcap.py" -n "$SMALL_N" -o "$SMALL" >/dev/null
FLOOR=$DATA/pcap_floor
cc -O2 -o "$FLOOR" "$SHARED/bench/pcap_floor.c" -lpcap || { echo "sniff_bench: cannot build pcap_floor"; exit 1; }

# median wall seconds of RUNS runs of a command (output discarded); the
# median CPU seconds (user + system) of the same runs go to $T_CPU_FILE.
T_CPU_FILE=$(mktemp)
trap 'rm -f "$T_CPU_FILE"' EXIT
median() {
	local runs=$1; shift
	local i t0 t1 ws=() cs=()
	for ((i = 0; i < runs; i++)); do
		t0=$(date +%s.%N)
		/usr/bin/time -o "$T_CPU_FILE" -f '%U %S' "$@" >/dev/null 2>&1
		t1=$(date +%s.%N)
		ws+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')")
		cs+=("$(tail -1 "$T_CPU_FILE" | awk '{ printf "%.2f", $1 + $2 }')")
	done
	printf '%s\n' "${cs[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p" >"$T_CPU_FILE"
	printf '%s\n' "${ws[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p"
}
cpu() { cat "$T_CPU_FILE"; }

# Summary mode against the floor, alternately (floor, ward, floor, ward...)
# so both see the same machine load: RUNS pairs. Sets t_floor/c_floor and
# t_sum/c_sum (medians) and prints the min and median of the per-pair
# ratios and the ratio of the minimums.
alternate() {
	local i t0 t1 pairs=() fw=() sw=() fc=() sc=()
	for ((i = 0; i < RUNS; i++)); do
		t0=$(date +%s.%N)
		/usr/bin/time -o "$T_CPU_FILE" -f '%U %S' "$FLOOR" "$BIG" >/dev/null 2>&1
		t1=$(date +%s.%N)
		fw+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')")
		fc+=("$(awk '{ printf "%.2f", $1 + $2 }' "$T_CPU_FILE")")
		t0=$(date +%s.%N)
		/usr/bin/time -o "$T_CPU_FILE" -f '%U %S' "$SNIFF" -q --no-progress -r "$BIG" --mode summary >/dev/null 2>&1
		t1=$(date +%s.%N)
		sw+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')")
		sc+=("$(awk '{ printf "%.2f", $1 + $2 }' "$T_CPU_FILE")")
		pairs+=("$(ratio "${sw[i]}" "${fw[i]}")")
	done
	med() { printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"; }
	t_floor=$(med "${fw[@]}"); c_floor=$(med "${fc[@]}")
	t_sum=$(med "${sw[@]}"); c_sum=$(med "${sc[@]}")
	echo "summary vs floor, alternating, $RUNS pairs: floor ${fw[*]} s; summary ${sw[*]} s"
	echo "  per-pair ratio min $(printf '%s\n' "${pairs[@]}" | sort -n | head -1)x, median $(med "${pairs[@]}")x;" \
		"min/min $(ratio "$(printf '%s\n' "${sw[@]}" | sort -n | head -1)" "$(printf '%s\n' "${fw[@]}" | sort -n | head -1)")x" \
		"(target: within 1.5x)"
}
row() { printf '%-44s %-6s %9.3f s %12.0f pkt/s  %s\n' "$1" "$2" "$3" "$(awk -v n="$4" -v t="$3" 'BEGIN { print (t > 0 ? n / t : 0) }')" "$5"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "n/a" }'; }

echo "ward-sniff bench: big $BIG_N packets, small $SMALL_N packets, median of $RUNS (slow peers once)"
alternate
t_read=$(median "$RUNS" "$FLOOR" -0 "$BIG")
t_none=$(median "$RUNS" "$SNIFF" -q --no-progress -r "$BIG" --mode none); c_none=$(cpu)
t_top=$(median "$RUNS" "$SNIFF" -q --no-progress -r "$BIG" --top 10); c_top=$(cpu)
t_pkt=$(median 1 "$SNIFF" -q --no-progress -r "$BIG" --mode packet)
t_fjson=$(median 1 "$FLOOR" -j "$BIG")
row "C floor, read only (pcap_loop, no decode)" big "$t_read" "$BIG_N" ""
row "C floor: decode + SYN per source" big "$t_floor" "$BIG_N" "1.00x floor (cpu $c_floor s)"
row "ward-sniff --mode none (decode + count)" big "$t_none" "$BIG_N" "$(ratio "$t_none" "$t_floor")x floor (cpu $(ratio "$c_none" "$c_floor")x)"
row "ward-sniff --top 10" big "$t_top" "$BIG_N" "$(ratio "$t_top" "$t_floor")x floor (cpu $(ratio "$c_top" "$c_floor")x)"
row "ward-sniff --mode summary --interval 1s" big "$t_sum" "$BIG_N" "$(ratio "$t_sum" "$t_floor")x floor (cpu $(ratio "$c_sum" "$c_floor")x)"
row "C floor -j: one JSON line per packet" big "$t_fjson" "$BIG_N" "$(ratio "$t_fjson" "$t_floor")x floor"
row "ward-sniff --mode packet" big "$t_pkt" "$BIG_N" "$(ratio "$t_pkt" "$t_fjson")x floor -j"
if command -v tcpdump >/dev/null; then
	t_tcpd=$(median 1 tcpdump -nn -r "$BIG")
	row "tcpdump -nn -r" big "$t_tcpd" "$BIG_N" "ward packet mode $(ratio "$t_tcpd" "$t_pkt")x faster"
else
	echo "tcpdump: SKIP (not installed)"
fi
# Per-packet rates on the small capture for the slow peers, ward-sniff beside them.
t_pkt_s=$(median "$RUNS" "$SNIFF" -q --no-progress -r "$SMALL" --mode packet)
t_sum_s=$(median "$RUNS" "$SNIFF" -q --no-progress -r "$SMALL" --mode summary)
row "ward-sniff --mode packet" small "$t_pkt_s" "$SMALL_N" ""
row "ward-sniff --mode summary" small "$t_sum_s" "$SMALL_N" ""
if command -v tshark >/dev/null; then
	t_tsh=$(median 1 tshark -n -r "$SMALL" -T ek)
	row "tshark -T ek" small "$t_tsh" "$SMALL_N" "ward packet mode $(ratio "$t_tsh" "$t_pkt_s")x faster (same file)"
else
	echo "tshark: SKIP (apt-get install tshark)"
fi
PYS=/usr/bin/python3
if $PYS -c 'import scapy' 2>/dev/null; then
	t_scapy=$(median 1 $PYS -c '
import sys, collections
from scapy.all import rdpcap, IP, IPv6, TCP
c = collections.Counter()
for p in rdpcap(sys.argv[1]):
    if TCP in p and p[TCP].flags.S and not p[TCP].flags.A:
        c[p[IP].src if IP in p else p[IPv6].src] += 1
print(c.most_common(5))' "$SMALL")
	row "scapy rdpcap + Counter (the workshop)" small "$t_scapy" "$SMALL_N" \
		"ward summary $(ratio "$t_scapy" "$t_sum_s")x, packet $(ratio "$t_scapy" "$t_pkt_s")x faster"
else
	echo "scapy: SKIP (apt-get install python3-scapy)"
fi

# Ground truth: SYNs, packets, bytes and SYN-ACKs per source, and the top 10.
truth=${BIG%.pcap}.truth.json
echo "ground truth ($truth):"
"$SNIFF" -q --no-progress -r "$BIG" --mode summary 2>/dev/null | python3 "$TOP/bench/sniff_truth.py" summary "$truth"
rc1=$?
"$SNIFF" -q --no-progress -r "$BIG" --top 10 2>/dev/null | python3 "$TOP/bench/sniff_truth.py" top "$truth"
rc2=$?
# The acceptance: the SYN-flood rule of pipelines/syn-flood.pipeline, run by
# ward-window on the summary events, flags exactly the truth's flooding
# sources (the scanner and the spoofed flood's sources are not floods).
RULE=$(grep -F -- "--name SYNFlood " "$TOP/pipelines/syn-flood.pipeline" | sed "s/^[^']*'//; s/'[^']*\$//")
echo "ward-sniff --mode summary | ward-window '$RULE':"
"$SNIFF" -q --no-progress -r "$BIG" --mode summary 2>/dev/null |
	"$TOP/bin/ward-window" -q --name SYNFlood "$RULE" 2>/dev/null | python3 "$TOP/bench/sniff_truth.py" flood "$truth"
rc3=$?
[ "$rc1" = 0 ] && [ "$rc2" = 0 ] && [ "$rc3" = 0 ]
