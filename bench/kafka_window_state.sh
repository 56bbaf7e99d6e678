#!/usr/bin/env bash
# bench/kafka_window_state.sh - what ward-window's commits behind its
# windows cost (docs/kafka.md, "Window state across moves"), through the
# librdkafka mock cluster (tests/tools/kmock):
#
#   commit lag:  how far behind the read position each partition's commit
#                sits once the instance has read everything, in records and
#                in event time (records / rate), read with
#                tests/tools/kcommitted (offset and metadata R=, J=);
#   replay:      a second instance started after the first was SIGKILLed
#                reads those records again (its `replayed` counter);
#   restore:     the time it takes, from its partition assignment until it
#                has read them all again and exits at the partitions' end
#                (kafka.eof=true; leaving the group included), and the keys
#                the replay rebuilt.
#
# Each partition gets RATE records a second of event time for SECS seconds,
# a key of their own each (KEYS=0) or cycling over KEYS keys a partition.
#
#   KW_RANGE=10s KW_RATE=2500 KW_SECS=12 bash bench/kafka_window_state.sh
#   KW_RANGE=10m KW_RATE=20 KW_SECS=900 KW_KEYS=100 bash bench/kafka_window_state.sh
set -u
cd "$(dirname "$0")/.."
BUILD=${WARD_BUILD:-build/release}
KMOCK=$BUILD/tests/tools/kmock
KCOMMITTED=$BUILD/tests/tools/kcommitted
WIN=${WARD_BIN:-bin}/ward-window
RANGE=${KW_RANGE:-10s}
RATE=${KW_RATE:-2500}
SECS=${KW_SECS:-12}
KEYS=${KW_KEYS:-0}
NP=${KW_PARTS:-4}
command -v kcat >/dev/null || { echo "kafka_window_state: kcat not installed, skipped"; exit 0; }
[ -x "$KMOCK" ] && [ -x "$KCOMMITTED" ] && [ -x "$WIN" ] ||
	make -s "$KMOCK" "$KCOMMITTED" "$WIN" >/dev/null || exit 1
D=$(mktemp -d)
"$KMOCK" -f "$D/bs" -t in:$NP -t alerts:$NP <&- >"$D/kmock.log" 2>&1 &
KM=$!
trap 'kill $KM ${P1:-} ${P2:-} 2>/dev/null; wait 2>/dev/null; rm -rf "$D"' EXIT
for _ in $(seq 100); do [ -s "$D/bs" ] && break; sleep 0.1; done
BS=$(cat "$D/bs")
N=$((RATE * SECS))
for ((p = 0; p < NP; p++)); do
	awk -v p=$p -v n=$N -v rate=$RATE -v keys=$KEYS 'BEGIN {
		for (i = 0; i < n; i++) {
			ns = int(i * 1000000000 / rate); s = int(ns / 1000000000)
			k = keys ? i % keys : i
			printf "{\"v\":1,\"ts\":\"2026-11-28T%02d:%02d:%02d.%09dZ\",\"labels\":{},\"line\":\"f\",\"fields\":{\"src_ip\":\"10.%d.%d.%d\"}}\n",
				8 + int(s / 3600), int(s / 60) % 60, s % 60, ns % 1000000000, p, int(k / 256), k % 256
		}
	}' >"$D/p$p"
	kcat -P -b "$BS" -t in -p $p -q -l "$D/p$p" || exit 1
done
RULE=(--name B --by src_ip --range "$RANGE" --threshold '> 1000000' --idle 0
      --max-keys 2000000 -X session.timeout.ms=6000 -X heartbeat.interval.ms=500)
"$WIN" "${RULE[@]}" --in "kafka://$BS/in?group=g" --out "kafka://$BS/alerts" 2>"$D/err1" &
P1=$!
for _ in $(seq 1200); do
	[ "$("$KCOMMITTED" "$BS" g in $NP 2>/dev/null | grep -cE " R=$N( |$)")" = "$NP" ] && break
	sleep 0.1
done
"$KCOMMITTED" "$BS" g in $NP >"$D/committed"
kill -KILL $P1
wait $P1 2>/dev/null
P1=
lag=$(awk '{ s += '"$N"' - $2 } END { print s }' "$D/committed")
echo "range $RANGE, $NP partitions x $N records ($RATE/s of event time for $SECS s, keys: ${KEYS/#0/one per record})"
echo "commit lag: $lag records in all, $((lag / NP)) a partition = $(awk -v l=$((lag / NP)) -v r=$RATE 'BEGIN { printf "%.2f", l / r }') s of event time"
sleep 7	# the killed member leaves the group (session.timeout.ms)
# the replay runs to the partitions' ends (everything was read before the
# kill), where kafka.eof=true ends the stage: restore = assignment to exit
"$WIN" "${RULE[@]}" --in "kafka://$BS/in?group=g" --out "kafka://$BS/alerts" -X kafka.eof=true 2>"$D/err2" &
P2=$!
t0=
for _ in $(seq 6000); do
	grep -q 'assigned' "$D/err2" && { t0=$(date +%s.%N); break; }
	kill -0 $P2 2>/dev/null || break
	sleep 0.01
done
wait $P2
t1=$(date +%s.%N)
P2=
cnt() { grep -o "\"$1\":[0-9]*" "$D/err2" | tail -1 | cut -d: -f2; }
echo "replay: $(cnt replayed) records read again, $(cnt keys_peak) keys rebuilt, suppressed $(cnt replay_suppressed)"
echo "restore: $(awk -v a="${t0:-$t1}" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s from assignment to exit at the end of the replay (10 ms polls)"
# the same, timed the same way, for a new group reading every record once
"$WIN" "${RULE[@]}" --in "kafka://$BS/in?group=fresh" --out "kafka://$BS/alerts" -X kafka.eof=true 2>"$D/err3" &
P2=$!
t0=
for _ in $(seq 6000); do
	grep -q 'assigned' "$D/err3" && { t0=$(date +%s.%N); break; }
	kill -0 $P2 2>/dev/null || break
	sleep 0.01
done
wait $P2
t1=$(date +%s.%N)
P2=
echo "a first read of all $((N * NP)) records, for comparison: $(awk -v a="${t0:-$t1}" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s"
