#!/usr/bin/env bash
# ward-ingest sources and the Loki transport:
#  1. files to events through the file-following reader (a glob, read once),
#     beside cat and the plain file reader, in lines/s;
#  2. push throughput to the Loki test server (tests/lokisrv.py), with the
#     number of requests batching made, beside writing the same events to a file;
#  3. latency from a line appended to a followed file to its event on stdout
#     (p50, p99), one line at a time.
set -u
cd "$(dirname "$0")/.."
. bench/lib.sh
BENCH_DATA=${BENCH_DATA:-/tmp/ward-bench}; mkdir -p "$BENCH_DATA"
lines=${BENCH_LINES:-1000000}
push_lines=${BENCH_PUSH_LINES:-200000}
lat_lines=${BENCH_LAT_LINES:-300}
data=$BENCH_DATA/ingest-follow-$lines.log
if [ ! -s "$data" ]; then
	awk -v n="$lines" 'BEGIN { for (i = 0; i < n; i++)
		printf "Nov 28 %02d:%02d:%02d web1 sshd[%d]: Failed password for root from 198.18.%d.%d port %d ssh2\n",
			(i / 3600) % 24, (i / 60) % 60, i % 60, 1000 + i % 5000, (i / 256) % 256, i % 256, 1024 + i % 60000 }' >"$data"
fi
n=$(wc -l <"$data")
glob="${data%.log}.lo[g]"
t_cat=$(best_of 3 cat "$data")
t_plain=$(best_of 3 bin/ward-ingest --ts none "$data")
t_tail=$(best_of 3 bin/ward-ingest --ts none "$glob")
t_tail_ts=$(best_of 3 bin/ward-ingest --ts syslog --label job=sshd "$glob")
printf '%-52s %9s %12s %9s\n' "files -> events: $n lines" "seconds" "lines/s" "vs tail"
printf '%-52s %9s %12s %9s\n' "cat" "$t_cat" "$(rate "$n" "$t_cat")" "$(ratio "$t_tail" "$t_cat")x"
printf '%-52s %9s %12s %9s\n' "ward-ingest FILE (plain reader)" "$t_plain" "$(rate "$n" "$t_plain")" "$(ratio "$t_tail" "$t_plain")x"
printf '%-52s %9s %12s %9s\n' "ward-ingest GLOB (file-following reader)" "$t_tail" "$(rate "$n" "$t_tail")" "1.00x"
printf '%-52s %9s %12s %9s\n' "ward-ingest GLOB --ts syslog --label job=sshd" "$t_tail_ts" "$(rate "$n" "$t_tail_ts")" ""

# ---- push to the Loki test server ------------------------------------------
pdata=$BENCH_DATA/ingest-push-$push_lines.log
head -n "$push_lines" "$data" >"$pdata"
tmp=$(mktemp -d); trap 'kill $srv 2>/dev/null; rm -rf "$tmp"' EXIT
python3 tests/lokisrv.py --port-file "$tmp/port" & srv=$!
for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
L="http://127.0.0.1:$(cat "$tmp/port")"
t_file=$(best_of 1 bin/ward-ingest --ts none --label job=b "$pdata" --out "$tmp/events")
s=$(date +%s.%N)
bin/ward-ingest --ts none --label job=bench "$pdata" --out "loki+$L" 2>"$tmp/push.err" >/dev/null
e=$(date +%s.%N); t_push=$(echo "$e - $s" | bc -l | xargs printf '%.4f')
reqs=$(curl -s "$L/test/stats" | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["push_requests"], s["stored_entries"])')
s=$(date +%s.%N)
bin/ward-ingest --ts none --label job=bench2 "$pdata" --out "loki+$L" -X loki.gzip=false 2>/dev/null >/dev/null
e=$(date +%s.%N); t_push_plain=$(echo "$e - $s" | bc -l | xargs printf '%.4f')
printf '\n%-52s %9s %12s\n' "push: $push_lines lines" "seconds" "lines/s"
printf '%-52s %9s %12s\n' "ward-ingest --out FILE" "$t_file" "$(rate "$push_lines" "$t_file")"
printf '%-52s %9s %12s\n' "ward-ingest --out loki+http (gzip, 1 MiB batches)" "$t_push" "$(rate "$push_lines" "$t_push")"
printf '%-52s %9s %12s\n' "ward-ingest --out loki+http -X loki.gzip=false" "$t_push_plain" "$(rate "$push_lines" "$t_push_plain")"
echo "requests and entries stored (gzip run): $reqs  (the Python test server is the bottleneck, not a real Loki)"

# ---- latency -----------------------------------------------------------------
read -r cnt p50 p99 max < <(python3 bench/ingest_latency.py bin/ward-ingest "$lat_lines")
printf '\n%-52s %9s %9s %9s\n' "latency append -> event ($cnt lines)" "p50 ms" "p99 ms" "max ms"
printf '%-52s %9s %9s %9s\n' "ward-ingest -f FILE" "$p50" "$p99" "$max"
