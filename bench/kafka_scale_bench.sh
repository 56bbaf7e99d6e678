#!/usr/bin/env bash
# bench/kafka_scale_bench.sh - scale-out of one consumer group: the same
# pass-through stage (wpass: parse, re-serialize, produce, commit) as one
# instance and as N instances of one group over a 12-partition topic, each
# instance pinned to one core with taskset, through the librdkafka mock
# cluster (tests/tools/kmock). Events/s of the group, and every input event
# accounted for in the output: lost (never written) and duplicated (written
# more than once). What a rebalance may replay is counted by the stages
# themselves: kafka_uncommitted (records processed whose commit the group
# did not confirm; their next owner reads them again) and
# kafka_replay_after_revoke (revokes after which the new owner replays).
#
# The group's time runs from the first partition assignment of the run to
# the exit of its last instance (kafka.eof=true: an instance exits when all
# its partitions are read), so the group join (3 s on the mock) is not
# counted but any rebalance during the run is. Beside the wall-clock rate,
# the CPU the instances used (user + system, all their threads) and the
# mock's: events per CPU second of the instances shows whether a second
# instance costs more per event, apart from the cores the mock takes.
#
# Environment: KS_EVENTS (default 240000: under the mock's 5 MiB per
# partition), KS_PARTS (12), KS_N (instances, default: one per core, at
# least 2), KS_RUNS (3: each configuration runs this many times; min,
# median and max), KS_ONLY (run only this many instances), KS_MOCK_CPU
# (pin the mock to these cores, e.g. 1; default: unpinned), KS_LOG=DIR
# (keep every instance's stderr there), KS_ARGS (more arguments of every
# instance, e.g. "-X kafka.schema.header=false").
set -u
cd "$(dirname "$0")/.."
BUILD=${WARD_BUILD:-build/release}
KMOCK=$BUILD/tests/tools/kmock
PASS=$BUILD/tests/tools/wpass
N_EV=${KS_EVENTS:-240000}
PARTS=${KS_PARTS:-12}
CORES=$(nproc)
NI=${KS_N:-$((CORES < 2 ? 2 : CORES))}
RUNS=${KS_RUNS:-3}
command -v kcat >/dev/null || { echo "kafka_scale_bench: kcat not installed, skipped"; exit 0; }
command -v taskset >/dev/null || { echo "kafka_scale_bench: taskset not installed, skipped"; exit 0; }
[ -x "$KMOCK" ] && [ -x "$PASS" ] || make -s "$KMOCK" "$PASS" >/dev/null || exit 1
D=$(mktemp -d)
if [ -n "${KS_MOCK_CPU:-}" ]; then
	taskset -c "$KS_MOCK_CPU" "$KMOCK" -f "$D/bs" -c "$D/ctl" <&- >"$D/kmock.log" 2>&1 &
else
	"$KMOCK" -f "$D/bs" -c "$D/ctl" <&- >"$D/kmock.log" 2>&1 &
fi
KM=$!
trap 'kill $KM 2>/dev/null; wait $KM 2>/dev/null; [ -n "${KS_LOG:-}" ] && mkdir -p "$KS_LOG" && cp "$D"/err.* "$D"/assigned.* "$KS_LOG"/ 2>/dev/null; rm -rf "$D"' EXIT
for _ in $(seq 100); do [ -s "$D/bs" ] && break; sleep 0.1; done
BS=$(cat "$D/bs")

# every event carries its number in field id, so the output can be checked
awk -v n="$N_EV" 'BEGIN { for (i = 1; i <= n; i++)
	printf "{\"v\":1,\"ts\":\"2026-11-28T08:00:%02d.000000000Z\",\"labels\":{\"job\":\"sshd\",\"host\":\"web%d\"},\"line\":\"Failed password for root from 198.18.%d.%d port %d ssh2\",\"fields\":{\"id\":\"%d\",\"src_ip\":\"198.18.%d.%d\"}}\n", i % 60, i % 7, (i / 256) % 256, i % 256, 1024 + i % 60000, i, (i / 256) % 256, i % 256 }' >"$D/events"
topic() { echo "topic $1 $PARTS" >"$D/ctl"; sleep 0.2; }
now() { date +%s.%N; }

# CPU seconds (all threads, user + system) a process has used
cpu_of() { awk '{ printf "%.3f\n", ($14 + $15) / '"$(getconf CLK_TCK)"' }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# the sum of one counter over every instance's counters line
counter_sum() { cat "$D"/err."$1".* | grep -o "\"$2\":[0-9]*" | cut -d: -f2 | awk '{ s += $1 } END { print s + 0 }'; }

# run_group N: N instances of one group over a fresh prefilled topic; prints
# "seconds events/s lost duplicated replayed_revokes uncommitted
#  instance_cpu_s events_per_cpu_s mock_cpu_s"
run_group() {
	local n=$1 id i pids=()
	id=$(date +%s%N)
	topic "si$id"; topic "so$id"
	kcat -P -b "$BS" -t "si$id" -q -X sticky.partitioning.linger.ms=0 -l "$D/events"
	local m0; m0=$(cpu_of "$KM")
	for i in $(seq 0 $((n - 1))); do
		( /usr/bin/time -f "%U %S" -o "$D/cpu.$id.$i" taskset -c $((i % CORES)) "$PASS" \
			--in "kafka://$BS/si$id?group=g$id" \
			--out "kafka://$BS/so$id" -X kafka.eof=true -X fetch.wait.max.ms=5 \
			-X sticky.partitioning.linger.ms=0 ${KS_ARGS:-} 2>&1 >/dev/null |
			while IFS= read -r l; do
				case $l in *"kafka: assigned"*) now >>"$D/assigned.$id" ;; esac
				printf '%s\n' "$l"
			done >"$D/err.$id.$i" ) &
		pids+=($!)
	done
	for p in "${pids[@]}"; do wait "$p"; done
	local t1 t0 m1
	t1=$(now)
	m1=$(cpu_of "$KM")
	t0=$(sort -g "$D/assigned.$id" | head -1)
	# the output, read back whole: lost and duplicated ids
	kcat -C -b "$BS" -t "so$id" -o beginning -e -q -X fetch.wait.max.ms=5 |
		grep -o '"id":"[0-9]*"' | cut -d'"' -f4 | sort -n >"$D/got.$id"
	local total uniq replayed uncommitted cpu
	total=$(wc -l <"$D/got.$id")
	uniq=$(uniq "$D/got.$id" | wc -l)
	replayed=$(counter_sum "$id" kafka_replay_after_revoke)
	uncommitted=$(counter_sum "$id" kafka_uncommitted)
	cpu=$(cat "$D"/cpu."$id".* | awk '{ s += $1 + $2 } END { printf "%.2f", s }')
	echo "$t1 $t0 $N_EV $total $uniq $replayed $uncommitted $cpu $m0 $m1" | awk '{ d = $1 - $2;
		printf "%.3f %.0f %d %d %d %d %.2f %.0f %.2f\n", d, $3 / d, $3 - $5, $4 - $5, $6, $7,
			$8, ($8 > 0 ? $3 / $8 : 0), $10 - $9 }'
}

# min, median and max of column C
stats_col() { sort -g -k"$1" | awk -v c="$1" '{ v[NR] = $c } END { print v[1], v[int((NR + 1) / 2)], v[NR] }'; }

echo "kafka_scale_bench: $N_EV events, $PARTS partitions, 1 vs $NI instances of one group (taskset, $CORES cores), $RUNS runs each, mock at $BS${KS_MOCK_CPU:+ pinned to CPU $KS_MOCK_CPU}"
fmt='%-12s %8s %10s %6s %10s %8s %11s %8s %12s %8s\n'
printf "$fmt" "instances" "seconds" "events/s" "lost" "duplicated" "revokes" "uncommitted" "cpu s" "ev/cpu s" "mock s"
declare -A rate lo hi evcpu
for n in ${KS_ONLY:-1 $NI}; do
	: >"$D/runs.$n"
	for _ in $(seq "$RUNS"); do run_group "$n" >>"$D/runs.$n"; done
	while read -r s r l du rv uc c ec m; do
		printf "$fmt" "$n" "$s" "$r" "$l" "$du" "$rv" "$uc" "$c" "$ec" "$m"
	done <"$D/runs.$n"
	read -r lo[$n] rate[$n] hi[$n] <<<"$(stats_col 2 <"$D/runs.$n")"
	evcpu[$n]=$(stats_col 8 <"$D/runs.$n" | cut -d' ' -f2)
	echo "$n instance(s): events/s min ${lo[$n]} median ${rate[$n]} max ${hi[$n]}; events per instance CPU second (median) ${evcpu[$n]}"
done
[ -n "${KS_ONLY:-}" ] || echo "scale-out: $NI instances / 1 instance = $(echo "scale=2; ${rate[$NI]} / ${rate[1]}" | bc) (medians of $RUNS runs; min/min $(echo "scale=2; ${lo[$NI]} / ${lo[1]}" | bc), max/max $(echo "scale=2; ${hi[$NI]} / ${hi[1]}" | bc)); events per CPU second $NI/1 = $(echo "scale=2; ${evcpu[$NI]} / ${evcpu[1]}" | bc)"
