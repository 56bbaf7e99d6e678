#!/usr/bin/env bash
# The acceptance check of issue 4 at full size: on gen_authlog.py output
# (BENCH_LINES lines, default 1,000,000), the source addresses alerted by
# ingest | match | window with "more than 5 failures in 10 s" must equal the
# generator's ground truth flagged_ips exactly. Skips without ../shared.
set -u
cd "$(dirname "$0")/.."
. bench/lib.sh
BENCH_DATA=${BENCH_DATA:-/tmp/ward-bench}; mkdir -p "$BENCH_DATA"
lines=${BENCH_LINES:-1000000}
gen=
for d in "${WARD_SHARED:-}" ../shared /work/shared; do
	[ -n "$d" ] && [ -f "$d/bench/gen_authlog.py" ] && { gen=$d/bench/gen_authlog.py; break; }
done
if [ -z "$gen" ]; then echo "window truth: skipped (no ../shared/bench/gen_authlog.py)"; exit 0; fi
data=$BENCH_DATA/window-auth-$lines.log
[ -s "$data.truth.json" ] || python3 "$gen" --lines "$lines" --out "$data" >/dev/null 2>&1
python3 -c 'import json,sys; print("\n".join(sorted(json.load(open(sys.argv[1]))["flagged_ips"])))' \
	"$data.truth.json" >"$BENCH_DATA/window-truth.want"
s=$(date +%s.%N)
bin/ward-ingest -q --label job=sshd --ts syslog --now 2024-06-03T00:00:00Z "$data" 2>/dev/null |
	bin/ward-match -q --rules rules/ssh.yaml --rule SSHFailedPassword 2>/dev/null |
	bin/ward-window --name SSHBruteForce --select-rule SSHFailedPassword --by src_ip \
		--range 10s --threshold '> 5' 2>/dev/null |
	grep '"state":"firing"' | grep -o '"src_ip":"[^"]*"' | cut -d'"' -f4 | sort -u >"$BENCH_DATA/window-truth.got"
e=$(date +%s.%N)
want=$(wc -l <"$BENCH_DATA/window-truth.want"); got=$(wc -l <"$BENCH_DATA/window-truth.got")
if cmp -s "$BENCH_DATA/window-truth.want" "$BENCH_DATA/window-truth.got"; then
	echo "window truth: $lines lines: alerted $got of $want flagged addresses, none other: EXACT ($(printf '%.1f' "$(echo "$e - $s" | bc -l)") s for ingest | match | window)"
else
	echo "window truth: $lines lines: MISMATCH: alerted $got, flagged $want"
	diff "$BENCH_DATA/window-truth.want" "$BENCH_DATA/window-truth.got" | head
	exit 1
fi
