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
# start, connection set-up) are removed by timing a small and a large run and
# dividing the difference in events by the difference in seconds; the stage
# is timed from its partition assignment to its exit (see ward_run). Each time is the best of RUNS runs (bench/lib.sh's rule: the
# least noisy statistic on a shared machine). A third line runs the same
# stage over a pipe (file in, /dev/null out): the ceiling that parsing and
# serializing alone put on any transport. A fourth line runs ward-ingest
# Kafka -> Kafka on the same events' text (no JSON parsing: the transport's
# own cost shows). MB/s counts the input bytes (events, or their text).
#
# Environment: KB_EVENTS (default 200000), KB_SMALL (20000), KB_RUNS (3),
# KB_PARTS (64 partitions: keeps each under the mock's 5 MiB retention),
# KB_ARGS (more arguments of both ward stages, e.g.
# "-X kafka.schema.header=false").
set -u
cd "$(dirname "$0")/.."
BUILD=${WARD_BUILD:-build/release}
KMOCK=$BUILD/tests/tools/kmock
PASS=$BUILD/tests/tools/wpass
INGEST=${WARD_BIN:-bin}/ward-ingest
BIG=${KB_EVENTS:-200000}
SMALL=${KB_SMALL:-20000}
RUNS=${KB_RUNS:-3}
PARTS=${KB_PARTS:-64}
command -v kcat >/dev/null || { echo "kafka_bench: kcat not installed, skipped"; exit 0; }
[ -x "$KMOCK" ] && [ -x "$PASS" ] && [ -x "$INGEST" ] || make -s "$KMOCK" "$PASS" "$INGEST" >/dev/null || exit 1
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
sed 's/.*"line":"\([^"]*\)".*/Nov 28 08:43:52 web1 sshd[812]: \1/' "$D/big" >"$D/big.raw"
head -n "$SMALL" "$D/big.raw" >"$D/small.raw"
BYTES_BIG=$(wc -c <"$D/big")
BYTES_SMALL=$(wc -c <"$D/small")
RAW_BIG=$(wc -c <"$D/big.raw")
RAW_SMALL=$(wc -c <"$D/small.raw")
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

# The stage's time runs from its partitions' assignment (the group join
# before it is a fixed cost of consumer groups, 3 s on the mock, which kcat
# -C does not pay) to its exit after the last acknowledgement and commit.
stamp_assigned() {
	local l
	while IFS= read -r l; do
		case $l in *"kafka: assigned"*) now >"$D/t_assigned" ;; esac
		printf '%s\n' "$l"
	done >"$D/err"
}

stage_run() {	# FILE COUNT STAGE-ARGS... -> seconds
	local file=$1 count=$2 n; shift 2
	n=$(uniq_id); topic "wi$n"; topic "wo$n"
	kcat -P -b "$BS" -t "wi$n" -q -X sticky.partitioning.linger.ms=0 -l "$file"
	rm -f "$D/t_assigned"
	"$@" --in "kafka://$BS/wi$n?group=b$n" --out "kafka://$BS/wo$n" -X kafka.eof=true \
		-X fetch.wait.max.ms=5 -X sticky.partitioning.linger.ms=0 ${KB_ARGS:-} 2> >(stamp_assigned) ||
		{ echo "kafka_bench: stage failed" >&2; exit 1; }
	local t1 t0
	t1=$(now)
	for _ in $(seq 50); do [ -s "$D/t_assigned" ] && grep -q kafka_delivered "$D/err" && break; sleep 0.02; done
	t0=$(cat "$D/t_assigned")
	local got
	got=$(grep -o '"kafka_delivered":[0-9]*' "$D/err" | cut -d: -f2)
	[ "$got" = "$count" ] || { echo "kafka_bench: delivered $got of $count" >&2; exit 1; }
	echo "$t1 - $t0" | bc
}
ward_run() { stage_run "$1" "$2" "$PASS"; }
# a real stage that does not parse JSON: syslog lines in, events out
ingest_run() { stage_run "$1.raw" "$2" "$INGEST" --ts syslog --label job=sshd; }

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
	local bytes=$((BYTES_BIG - BYTES_SMALL))
	[ "$tool" = ingest ] && bytes=$((RAW_BIG - RAW_SMALL))
	echo "$tool $ts $tb" | awk -v ev=$((BIG - SMALL)) -v by="$bytes" \
		'{ d = $3 - $2; if (d <= 0) d = 0.001; printf "%s %.0f %.1f %.3f %.3f\n", $1, ev / d, by / d / 1e6, $2, $3 }'
}

echo "kafka_bench: $BIG events ($BYTES_BIG bytes) vs $SMALL, $PARTS partitions, best of $RUNS, mock at $BS"
K=$(rate kcat)
Wr=$(rate ward)
Pr=$(rate pipe)
Ir=$(rate ingest)
printf '%-34s %12s %8s %10s %10s\n' "path" "events/s" "MB/s" "t_small s" "t_big s"
read -r _ ke km ks kb <<<"$K"
read -r _ we wm ws wb <<<"$Wr"
read -r _ pe pm ps pb <<<"$Pr"
read -r _ ie im is ib <<<"$Ir"
printf '%-34s %12s %8s %10s %10s\n' "kcat -P | kcat -C (end to end)" "$ke" "$km" "$ks" "$kb"
printf '%-34s %12s %8s %10s %10s\n' "ward stage Kafka -> Kafka" "$we" "$wm" "$ws" "$wb"
printf '%-34s %12s %8s %10s %10s\n' "same stage, file -> /dev/null" "$pe" "$pm" "$ps" "$pb"
printf '%-34s %12s %8s %10s %10s\n' "ward-ingest Kafka -> Kafka (text)" "$ie" "$im" "$is" "$ib"
echo "ratio ward/kcat: $(echo "scale=2; $we / $ke" | bc) (target >= 0.5); ceiling without Kafka: $(echo "scale=2; $pe / $ke" | bc); ward-ingest/kcat: $(echo "scale=2; $ie / $ke" | bc)"
