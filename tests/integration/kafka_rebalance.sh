#!/usr/bin/env bash
# Kafka rebalance mid-stream: a second instance joins the group while the
# first is working. On revoke the first flushes its output and commits (the
# stage's rebalance hook): no event lost. The mock refuses commits while the
# group rebalances (REBALANCE_IN_PROGRESS; a real broker accepts them from the
# current generation), so here the partitions that move are replayed from
# the last commit made before the join (those that stay resume where the
# first instance stopped): duplicates are counted, not asserted.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../kafka_lib.sh"
k_need || exit 0
k_start A in:6 out:6 || exit 0
P=$TOOLS/wpass

k_events 6000 >"$T/part1"
k_events 6000 6001 >"$T/part2"
cat "$T/part1" "$T/part2" >"$T/all"
wait_out() {
	local i
	for i in $(seq 300); do
		[ "$(k_missing "$1" <(k_dump "$A_BS" out))" = 0 ] && return 0
		sleep 0.1
	done
	return 1
}

"$P" --in "kafka://$A_BS/in?group=gr" --out "kafka://$A_BS/out?key=src_ip" "${K_FAST[@]}" 2>"$T/err1" &
pid1=$!
t_defer "kill -KILL $pid1"
k_produce "$A_BS" in "$T/part1"
t_ok "the first instance handles the first part" wait_out "$T/part1"
"$P" --in "kafka://$A_BS/in?group=gr" --out "kafka://$A_BS/out?key=src_ip" "${K_FAST[@]}" 2>"$T/err2" &
pid2=$!
t_defer "kill -KILL $pid2"
# the join is done when the first instance was assigned a second time
for i in $(seq 200); do
	[ "$(grep -c 'assigned' "$T/err1")" -ge 2 ] && [ "$(grep -c 'assigned' "$T/err2")" -ge 1 ] && break
	sleep 0.1
done
k_produce "$A_BS" in "$T/part2"
t_ok "both parts come out" wait_out "$T/all"
kill -TERM $pid1 $pid2
k_wait_pid $pid1 "$K_EXIT_S" "the first instance exits after SIGTERM" "$T/err1"; rc1=$?
k_wait_pid $pid2 "$K_EXIT_S" "the second instance exits after SIGTERM" "$T/err2"; rc2=$?
t_eq "both exit 0" "$rc1 $rc2" "0 0"
k_dump "$A_BS" out >"$T/got"
t_eq "rebalance: no event lost" "$(k_missing "$T/all" "$T/got")" 0
echo "  rebalance: $(k_dups "$T/got") duplicate(s) of 12000 (at-least-once)"
t_ok "the first instance saw the rebalance" test "$(t_counter "$T/err1" kafka_rebalances)" -ge 3
t_eq "the first instance flushed on revoke (hook returned 0)" "$(t_counter "$T/err1" kafka_replay_after_revoke)" 0
t_grep "the first instance's partitions were revoked" "partition\(s\) revoked" "$T/err1"
t_ok "the second instance took part of the stream" test "$(t_counter "$T/err2" in)" -gt 0
