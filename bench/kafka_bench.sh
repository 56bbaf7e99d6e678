#!/usr/bin/env bash
# bench/kafka_bench.sh - a pass-through stage Kafka -> Kafka through the
# librdkafka mock cluster (tests/tools/kmock), beside kcat producing and
# consuming the same data through the same cluster.
#
#   ward:  wpass --in kafka://.../in_S --out kafka://.../out_S  (input
#          pre-filled; the stage consumes, parses, re-serializes, produces,
#          waits for every acknowledgement and commits)
#   kcat:  kcat -C -c S (started first) while kcat -P -l FILE produces S
#
# Both do one produce and one consume of every event. Fixed costs (process
# start, the mock's 3 s initial group join) are removed by timing a small
# and a large run and dividing the difference in events by the difference
# in seconds. Each time is the best of RUNS runs (bench/lib.sh's rule: the
# least noisy statistic on a shared machine). A third line runs the same
# stage over a pipe (file in, /dev/null out): the ceiling that parsing and
# serializing alone put on any transport.
#
# Environment: KB_EVENTS (default 200000), KB_SMALL (20000), KB_RUNS (3),
# KB_PARTS (64 partitions: keeps each under the mock's 5 MiB retention).
set -u
cd "$(dirname "$0")/.."
BUILD=${WARD_BUILD:-build/release}
KMOCK=$BUILD/tests/tools/kmock
PASS=$BUILD/tests/tools/wpass
BIG=${KB_EVENTS:-200000}
SMALL=${KB_SMALL:-20000}
RUNS=${KB_RUNS:-3}
PARTS=${KB_PARTS:-64}
command -v kcat >/dev/null || { echo "kafka_bench: kcat not installed, skipped"; exit 0; }
[ -x "$KMOCK" ] && [ -x "$PASS" ] || make -s "$KMOCK" "$PASS" >/dev/null || exit 1
D=$(mktemp -d)
"$KMOCK" -f "$D/bs" -c "$D/ctl" <&- >"$D/kmock.log" 2>&1 &
KM=$!
trap 'kill $KM 2>/dev/null; wait $KM 2>/dev/null; rm -rf "$D"' EXIT
for _ in $(seq 100); do [ -s "$D/bs" ] && break; sleep 0.1; done
BS=$(cat "$D/bs")

gen() {
	awk -v n="$1" 'BEGIN { for (i = 1; i <= n; i++)
		printf "{\"v\":1,\"ts\":\"2026-11-28T08:00:%02d.000000000Z\",\"labels\":{\"job\":\"sshd\",\"host\":\"web%d\"},\"line\":\"Failed password for root from 198.18.%d.%d port %d ssh2\",\"fields\":{\"src_ip\":\"198.18.%d.%d\",\"user\":\"root\"}}\n", i % 60, i % 7, (i / 256) % 256, i % 256, 1024 + i % 60000, (i / 256) % 256, i % 256 }'
}
gen "$BIG" >"$D/big"
head -n "$SMALL" "$D/big" >"$D/small"
BYTES_BIG=$(wc -c <"$D/big")
BYTES_SMALL=$(wc -c <"$D/small")
topic() { echo "topic $1 $PARTS" >"$D/ctl"; sleep 0.2; }
now() { date +%s.%N; }
# fresh topic names in every run (runs execute in subshells)
uniq_id() { date +%s%N; }

kcat_run() {	# FILE COUNT -> seconds
	local n; n=$(uniq_id); topic "k$n"
	local t0 t1
	t0=$(now)
	kcat -C -b "$BS" -t "k$n" -o beginning -c "$2" -q -X fetch.wait.max.ms=5 >/dev/null &
	local c=$!
	kcat -P -b "$BS" -t "k$n" -q -X sticky.partitioning.linger.ms=0 -l "$1"
	wait $c
	t1=$(now)
	echo "$t1 - $t0" | bc
}

ward_run() {	# FILE COUNT -> seconds
	local n; n=$(uniq_id); topic "wi$n"; topic "wo$n"
	kcat -P -b "$BS" -t "wi$n" -q -X sticky.partitioning.linger.ms=0 -l "$1"
	local t0 t1
	t0=$(now)
	"$PASS" -q --in "kafka://$BS/wi$n?group=b$n" --out "kafka://$BS/wo$n" -X kafka.eof=true \
		-X fetch.wait.max.ms=5 -X sticky.partitioning.linger.ms=0 2>"$D/err" ||
		{ echo "kafka_bench: stage failed: $(cat "$D/err")" >&2; exit 1; }
	t1=$(now)
	local got
	got=$(grep -o '"kafka_delivered":[0-9]*' "$D/err" | cut -d: -f2)
	[ "$got" = "$2" ] || { echo "kafka_bench: delivered $got of $2" >&2; exit 1; }
	echo "$t1 - $t0" | bc
}

best() { sort -g | head -1; }

pipe_run() {	# FILE COUNT -> seconds
	local t0 t1
	t0=$(now)
	"$PASS" -q <"$1" >/dev/null 2>&1
	t1=$(now)
	echo "$t1 - $t0" | bc
}

# rate TOOL: events/s and MB/s from the median small and large runs
rate() {
	local tool=$1 i ts tb
	ts=$(for i in $(seq "$RUNS"); do "${tool}_run" "$D/small" "$SMALL"; done | best)
	tb=$(for i in $(seq "$RUNS"); do "${tool}_run" "$D/big" "$BIG"; done | best)
	echo "$tool $ts $tb" | awk -v ev=$((BIG - SMALL)) -v by=$((BYTES_BIG - BYTES_SMALL)) \
		'{ d = $3 - $2; if (d <= 0) d = 0.001; printf "%s %.0f %.1f %.3f %.3f\n", $1, ev / d, by / d / 1e6, $2, $3 }'
}

echo "kafka_bench: $BIG events ($BYTES_BIG bytes) vs $SMALL, $PARTS partitions, best of $RUNS, mock at $BS"
K=$(rate kcat)
Wr=$(rate ward)
Pr=$(rate pipe)
printf '%-34s %12s %8s %10s %10s\n' "path" "events/s" "MB/s" "t_small s" "t_big s"
read -r _ ke km ks kb <<<"$K"
read -r _ we wm ws wb <<<"$Wr"
read -r _ pe pm ps pb <<<"$Pr"
printf '%-34s %12s %8s %10s %10s\n' "kcat -P | kcat -C (end to end)" "$ke" "$km" "$ks" "$kb"
printf '%-34s %12s %8s %10s %10s\n' "ward stage Kafka -> Kafka" "$we" "$wm" "$ws" "$wb"
printf '%-34s %12s %8s %10s %10s\n' "same stage, file -> /dev/null" "$pe" "$pm" "$ps" "$pb"
echo "ratio ward/kcat: $(echo "scale=2; $we / $ke" | bc) (target >= 0.5); ceiling without Kafka: $(echo "scale=2; $pe / $ke" | bc)"
