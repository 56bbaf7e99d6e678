#!/usr/bin/env bash
# A user's SIGTERM ends a Kafka stage in bounded time, whatever the brokers
# do: waits for acknowledgements and for leaving the group are bounded by
# -X kafka.close.ms, and what was not acknowledged or committed is counted
# and said (docs/kafka.md, "Stopping").
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../kafka_lib.sh"
k_need || exit 0
k_start A in:6 || exit 0
k_start B out:3 || exit 0
P=$TOOLS/wpass
CLOSE=(-X kafka.close.ms=2000)
BOUND=15	# two waits of kafka.close.ms and the rest of the exit, with room

k_events 3000 >"$T/part1"
k_events 3000 3001 >"$T/part2"
cat "$T/part1" "$T/part2" >"$T/all"
cnt() { local v; v=$(t_counter "$1" "$2"); echo "${v:-0}"; }
# usr1_until PID ERRFILE COUNTER N : ask for counters until COUNTER >= N
# (once the stage was assigned its partitions: its handlers are set)
usr1_until() {
	local i
	t_wait_for grep -q assigned "$2" || return 1
	for i in $(seq 200); do
		kill -USR1 "$1"
		sleep 0.1
		[ "$(cnt "$2" "$3")" -ge "$4" ] && return 0
	done
	return 1
}

# 1. The output cluster goes down with messages on their way: SIGTERM waits
# kafka.close.ms for them (not message.timeout.ms, 300 s), exits 74 without
# committing, and says how many were not acknowledged; a restart delivers.
"$P" --in "kafka://$A_BS/in?group=gs" --out "kafka://$B_BS/out" "${K_FAST[@]}" "${CLOSE[@]}" \
	2>"$T/err1" &
pid=$!
t_defer "kill -KILL $pid"
k_produce "$A_BS" in "$T/part1"
t_ok "the stage delivers while the output cluster is up" usr1_until $pid "$T/err1" kafka_delivered 3000
k_ctl B "down -1"
k_produce "$A_BS" in "$T/part2"
# the stage reads some, then waits at its next checkpoint for their
# acknowledgements (up to message.timeout.ms)
sleep 3
start=$(date +%s)
kill -TERM $pid
rc=0; k_wait_pid $pid "$K_EXIT_S" "output down: the stage exits after SIGTERM" "$T/err1" || rc=$?
took=$(($(date +%s) - start))
t_ok "output down: exit within $BOUND s of SIGTERM (took $took s)" test "$took" -le $BOUND
t_eq "output down: exit 74 (not delivered, not committed)" "$rc" 74
t_grep "output down: says what was not acknowledged" \
	"message\(s\) to out not acknowledged" "$T/err1"
t_ok "output down: counts them (kafka_unacked)" test "$(cnt "$T/err1" kafka_unacked)" -gt 0
k_ctl B "up -1"
rc=0
k_run "$K_RUN_S" "output back: the restart reaches the end" "$T/err2" \
	"$P" --in "kafka://$A_BS/in?group=gs" --out "kafka://$B_BS/out" -X kafka.eof=true \
	"${K_FAST[@]}" || rc=$?
t_eq "output back: restart exits 0" "$rc" 0
t_eq "output back: no event lost" "$(k_missing "$T/all" <(k_dump "$B_BS" out))" 0

# 2. The input cluster goes down after everything was delivered: leaving
# the group cannot finish; SIGTERM still ends the stage within the bound,
# exit 0 (nothing was lost: the last commit was accepted before), and it
# says that leaving the group did not finish.
"$P" --in "kafka://$A_BS/in?group=gs2" --out "$T/out3" "${K_FAST[@]}" "${CLOSE[@]}" \
	2>"$T/err3" &
pid=$!
t_defer "kill -KILL $pid"
t_ok "the second stage reads everything" usr1_until $pid "$T/err3" in 6000
sleep 1.5	# a commit (every second) accepted
k_ctl A "down -1"
start=$(date +%s)
kill -TERM $pid
rc=0; k_wait_pid $pid "$K_EXIT_S" "input down: the stage exits after SIGTERM" "$T/err3" || rc=$?
took=$(($(date +%s) - start))
t_ok "input down: exit within $BOUND s of SIGTERM (took $took s)" test "$took" -le $BOUND
t_eq "input down: exit 0 (every event out)" "$rc" 0
t_eq "input down: every event out" "$(k_missing "$T/all" "$T/out3")" 0
t_grep "input down: says that leaving the group did not finish" \
	"leaving group for in not done within kafka.close.ms=2000" "$T/err3"
