#!/usr/bin/env bash
# bench/kafka_cpu_bench.sh - CPU microseconds per event of a Kafka -> Kafka
# pass-through stage (wpass), on its main thread and in the whole process
# (librdkafka's threads included), through the librdkafka mock cluster.
#
# CPU time, unlike a wall-clock rate, hardly depends on what else the shared
# machine runs. Each run consumes a pre-filled topic to its end
# (kafka.eof=true) and reports its CPU (WPASS_CPU=1, tests/tools/wpass.c);
# the per-event cost is the difference between a large and a small run over
# the difference in events, which removes start-up and the group join. Each
# figure is the least of KC_RUNS pairs.
#
# With more than one binary given, the binaries run alternately (A B A B
# ...), so an A/B comparison sees the same load:
#
#   bench/kafka_cpu_bench.sh [WPASS ...]    (default build/release/tests/tools/wpass)
#
# Environment: KC_EVENTS (default 200000), KC_SMALL (20000), KC_RUNS (5),
# KC_PARTS (64), KC_ARGS (extra stage arguments, e.g. "-X linger.ms=5").
set -u
cd "$(dirname "$0")/.."
BUILD=${WARD_BUILD:-build/release}
KMOCK=$BUILD/tests/tools/kmock
BIG=${KC_EVENTS:-200000}
SMALL=${KC_SMALL:-20000}
RUNS=${KC_RUNS:-5}
PARTS=${KC_PARTS:-64}
[ $# -gt 0 ] || set -- "$BUILD/tests/tools/wpass"
command -v kcat >/dev/null || { echo "kafka_cpu_bench: kcat not installed, skipped"; exit 0; }
[ -x "$KMOCK" ] || make -s "$KMOCK" >/dev/null || exit 1
for b in "$@"; do [ -x "$b" ] || { echo "kafka_cpu_bench: $b: not executable" >&2; exit 1; }; done
D=$(mktemp -d)
"$KMOCK" -f "$D/bs" -c "$D/ctl" <&- >"$D/kmock.log" 2>&1 &
KM=$!
trap 'kill $KM 2>/dev/null; wait $KM 2>/dev/null; rm -rf "$D"' EXIT
for _ in $(seq 100); do [ -s "$D/bs" ] && break; sleep 0.1; done
BS=$(cat "$D/bs")

awk -v n="$BIG" 'BEGIN { for (i = 1; i <= n; i++)
	printf "{\"v\":1,\"ts\":\"2026-11-28T08:00:%02d.000000000Z\",\"labels\":{\"job\":\"sshd\",\"host\":\"web%d\"},\"line\":\"Failed password for root from 198.18.%d.%d port %d ssh2\",\"fields\":{\"src_ip\":\"198.18.%d.%d\",\"user\":\"root\"}}\n", i % 60, i % 7, (i / 256) % 256, i % 256, 1024 + i % 60000, (i / 256) % 256, i % 256 }' >"$D/big"
head -n "$SMALL" "$D/big" >"$D/small"

run() {	# BINARY FILE COUNT -> "main_us total_us"
	local n; n=$(date +%s%N)
	echo "topic wi$n $PARTS" >"$D/ctl"
	echo "topic wo$n $PARTS" >"$D/ctl"
	sleep 0.2
	kcat -P -b "$BS" -t "wi$n" -q -X sticky.partitioning.linger.ms=0 -l "$2"
	# shellcheck disable=SC2086
	WPASS_CPU=1 "$1" --in "kafka://$BS/wi$n?group=c$n" --out "kafka://$BS/wo$n" \
		-X kafka.eof=true -X fetch.wait.max.ms=5 -X sticky.partitioning.linger.ms=0 \
		${KC_ARGS:-} 2>"$D/err" || { echo "kafka_cpu_bench: $1 failed" >&2; cat "$D/err" >&2; exit 1; }
	local got
	got=$(grep -o '"kafka_delivered":[0-9]*' "$D/err" | cut -d: -f2)
	[ "$got" = "$3" ] || { echo "kafka_cpu_bench: $1 delivered $got of $3" >&2; exit 1; }
	sed -n 's/^wpass_cpu main_us=\([0-9]*\) total_us=\([0-9]*\)$/\1 \2/p' "$D/err"
}

echo "kafka_cpu_bench: $BIG vs $SMALL events, $PARTS partitions, least of $RUNS pairs, mock at $BS"
for r in $(seq "$RUNS"); do
	i=0
	for b in "$@"; do
		s=$(run "$b" "$D/small" "$SMALL") || exit 1
		l=$(run "$b" "$D/big" "$BIG") || exit 1
		echo "$i $s $l" >>"$D/pairs"
		echo "$i $s $l" | awk -v ev=$((BIG - SMALL)) -v r="$r" -v b="$b" \
			'{ printf "run %d %s: main %.3f us/event, process %.3f us/event\n", r, b, ($4 - $2) / ev, ($5 - $3) / ev }'
		i=$((i + 1))
	done
done
# least and median of the runs, per binary
i=0
for b in "$@"; do
	m=$(awk -v i="$i" -v ev=$((BIG - SMALL)) '$1 == i { printf "%.3f\n", ($4 - $2) / ev }' "$D/pairs" | sort -g)
	t=$(awk -v i="$i" -v ev=$((BIG - SMALL)) '$1 == i { printf "%.3f\n", ($5 - $3) / ev }' "$D/pairs" | sort -g)
	mid=$(((RUNS + 1) / 2))
	echo "$b: main thread $(echo "$m" | head -1) (median $(echo "$m" | sed -n ${mid}p)) us/event," \
		"process $(echo "$t" | head -1) (median $(echo "$t" | sed -n ${mid}p))"
	i=$((i + 1))
done
