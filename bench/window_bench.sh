#!/usr/bin/env bash
# ward-window: count_over_time by (src_ip) over [10s] with 100,000 active
# keys, in events/s, beside pandas' rolling("10s").count() per group on the
# same events (Debian's python3-pandas; skipped when missing), and peak RSS
# with 1M and 10M distinct keys (a spoofed-source flood) -> bytes per key.
#   WINDOW_BENCH_EVENTS  events of the rate runs (default 1,000,000)
#   WINDOW_BENCH_BIG     distinct keys of the large memory run (default 10,000,000)
set -u
cd "$(dirname "$0")/.."
. bench/lib.sh
BENCH_DATA=${BENCH_DATA:-/tmp/ward-bench}; mkdir -p "$BENCH_DATA"
events=${WINDOW_BENCH_EVENTS:-1000000}
big=${WINDOW_BENCH_BIG:-10000000}
keys=100000
WW=bin/ward-window

# ---- the engine alone (no JSON): compiled against the built libraries ----
tool=$BENCH_DATA/window_engine_bench
libs=$(pkg-config --libs libcurl json-c libpcap rdkafka libpcre2-8 yaml-0.1 libnftables zlib 2>/dev/null)
cc -std=c17 -D_GNU_SOURCE -O2 -I. -Icommon -Icommon/logql -Icommon/transport -o "$tool" bench/window_engine_bench.c \
	build/release/stages/window/libwindow.a build/release/libward.a $libs -lm -lpthread || exit 1

# ---- events: 100,000 keys, 100,000 events per second of event time ----
data=$BENCH_DATA/window-$events.ndjson
if [ ! -s "$data" ]; then
	awk -v n="$events" -v k="$keys" 'BEGIN { srand(7); base = 8 * 3600;
		for (i = 0; i < n; i++) {
			ns = i * 10000; s = base + int(ns / 1000000000); f = ns % 1000000000;
			key = int(rand() * k);
			printf "{\"ts\":\"2026-11-28T%02d:%02d:%02d.%09dZ\",\"line\":\"x\",\"fields\":{\"src_ip\":\"198.%d.%d.%d\"}}\n",
				int(s / 3600) % 24, int(s / 60) % 60, s % 60, f, 18 + int(key / 65536), int(key / 256) % 256, key % 256 }
	}' >"$data"
fi
threshold=20

# ---- the same at 1,000,000 keys: twice the events, each key ~2 in 10 s ----
events_m=$((events * 2)); keys_m=1000000
data_m=$BENCH_DATA/window-$events_m-$keys_m.ndjson
if [ ! -s "$data_m" ]; then
	awk -v n="$events_m" -v k="$keys_m" 'BEGIN { srand(7); base = 8 * 3600;
		for (i = 0; i < n; i++) {
			ns = i * 10000; s = base + int(ns / 1000000000); f = ns % 1000000000;
			key = int(rand() * k);
			printf "{\"ts\":\"2026-11-28T%02d:%02d:%02d.%09dZ\",\"line\":\"x\",\"fields\":{\"src_ip\":\"%d.%d.%d.%d\"}}\n",
				int(s / 3600) % 24, int(s / 60) % 60, s % 60, f, 10 + int(key / 16777216), int(key / 65536) % 256, int(key / 256) % 256, key % 256 }
	}' >"$data_m"
fi
runs=${WINDOW_BENCH_RUNS:-5}

echo "ward-window: count_over_time by (src_ip) [10s], $events events, $keys keys"
eng=$("$tool" rate $((events * 5)) $keys)
eng_rate=$(echo "$eng" | sed -E 's/.*events_per_s=([0-9]+).*/\1/')
read -r t_ww c_ww < <(median_run "$runs" "$WW" -q --by src_ip --range 10s --threshold "> $threshold" --evidence 0 --in "$data")
ww_rate=$(rate "$events" "$t_ww")
read -r t_wm c_wm < <(median_run "$runs" "$WW" -q --by src_ip --range 10s --threshold "> $threshold" --evidence 0 --in "$data_m")
printf '%-52s %10s %14s %10s %14s\n' "what (median of $runs runs)" "wall s" "events/s" "CPU s" "events/CPU s"
printf '%-52s %10s %14s\n' "engine alone (no JSON), $((events * 5)) events" "" "$eng_rate"
top=$("$tool" topk $((events * 5)) $keys)
printf '%-52s %10s %14s\n' "engine alone, topk(10, ...) at 1s steps" "" "$(echo "$top" | sed -E 's/.*events_per_s=([0-9]+).*/\1/')"
printf '%-52s %10s %14s %10s %14s\n' "ward-window (NDJSON in, alerts out), $keys keys" "$t_ww" "$ww_rate" "$c_ww" "$(rate "$events" "$c_ww")"
printf '%-52s %10s %14s %10s %14s\n' "ward-window, $events_m events over $keys_m keys" "$t_wm" "$(rate "$events_m" "$t_wm")" "$c_wm" "$(rate "$events_m" "$c_wm")"

py=/usr/bin/python3
if $py -c 'import pandas' 2>/dev/null; then
	cat >"$BENCH_DATA/window_pandas.py" <<'EOF'
import sys, time, pandas as pd
path, thr = sys.argv[1], float(sys.argv[2])
t0 = time.perf_counter()
df = pd.read_json(path, lines=True, dtype=False)
df["ts"] = pd.to_datetime(df["ts"])
df["src_ip"] = df["fields"].map(lambda f: f["src_ip"])
t1 = time.perf_counter()
rolls, cpus = [], []
for _ in range(3):	# the median of 3, as ward-window's median of runs
    t2, c2 = time.perf_counter(), time.process_time()
    counts = df.set_index("ts").groupby("src_ip")["line"].rolling("10s").count()
    flagged = sorted(set(counts[counts > thr].index.get_level_values(0)))
    rolls.append(time.perf_counter() - t2)
    cpus.append(time.process_time() - c2)
print(f"{t1 - t0:.4f} {sorted(rolls)[1]:.4f} {len(flagged)} {sorted(cpus)[1]:.4f}")
open(sys.argv[3], "w").write("".join(f + "\n" for f in flagged))
EOF
	read -r t_load t_roll n_pd c_roll < <($py "$BENCH_DATA/window_pandas.py" "$data" "$threshold" "$BENCH_DATA/window_pandas.flagged")
	t_pd=$(echo "$t_load + $t_roll" | bc -l)
	printf '%-52s %10s %14s %10s\n' "pandas read_json + rolling(\"10s\").count()" "$t_pd" "$(rate "$events" "$t_pd")" "$(ratio "$t_pd" "$t_ww")x"
	printf '%-52s %10s %14s %10s\n' "pandas rolling(\"10s\").count() alone (data loaded)" "$t_roll" "$(rate "$events" "$t_roll")" "$(ratio "$t_roll" "$t_ww")x"
	printf '%-52s %10s %14s %10s\n' "... in CPU time (rolling alone vs ward-window's)" "$c_roll" "$(rate "$events" "$c_roll")" "$(ratio "$c_roll" "$c_ww")x"
	"$WW" -q --by src_ip --range 10s --threshold "> $threshold" --evidence 0 --in "$data" 2>/dev/null |
		grep '"state":"firing"' | grep -o '"src_ip":"[^"]*"' | cut -d'"' -f4 | sort -u >"$BENCH_DATA/window_ww.flagged"
	if cmp -s "$BENCH_DATA/window_ww.flagged" "$BENCH_DATA/window_pandas.flagged"; then
		echo "same keys over $threshold in both: $n_pd"
	else
		echo "MISMATCH: keys over $threshold differ between ward-window and pandas"
	fi
	echo "(ratio: how many times longer pandas takes than ward-window)"
else
	echo "pandas: skipped (apt-get install python3-pandas)"
fi

# ---- memory: one event per key, all in one window ----
peak_rss_kb() {	# CMD...: run it, print the child's peak RSS in KiB
	$py -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$@"
}
flood() {	# N: N events, N distinct source addresses, within 1 s
	awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++)
		printf "{\"ts\":\"2026-11-28T08:00:00.%09dZ\",\"line\":\"IP 198.18.0.1.4242 > 10.0.0.2.22: Flags [S], length 0\",\"fields\":{\"src_ip\":\"%d.%d.%d.%d\"}}\n",
			int(i * 1000000000 / n), 1 + int(i / 16777216), int(i / 65536) % 256, int(i / 256) % 256, i % 256 }'
}
base_kb=$(peak_rss_kb "$WW" --version)
echo
printf '%-52s %12s %12s %14s\n' "distinct keys (one SYN each, --range 1m)" "held keys" "peak RSS MiB" "bytes/key"
for spec in "1000000 1000000" "$big 1000000" "$big $big"; do
	set -- $spec
	flood "$1" >"$BENCH_DATA/window-flood.ndjson"
	kb=$(peak_rss_kb "$WW" -q --by src_ip --range 1m --threshold '> 100' \
		--max-keys "$2" --in "$BENCH_DATA/window-flood.ndjson")
	held=$(( $1 < $2 ? $1 : $2 ))
	printf '%-52s %12s %12s %14s\n' "$1 keys, --max-keys $2" "$held" "$((kb / 1024))" \
		"$(( (kb - base_kb) * 1024 / held ))"
	rm -f "$BENCH_DATA/window-flood.ndjson"
done
"$tool" keys 1000000 1000000 | sed 's/^/engine accounting: /'
