#!/usr/bin/env bash
# Kafka at-least-once: SIGKILL a stage mid-stream, restart it in the same
# group: no event lost (duplicates allowed and counted). A delivery failure
# makes the stage exit without committing, so a restart replays.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../kafka_lib.sh"
k_need || exit 0
k_start A in:6 out:6 || exit 0
P=$TOOLS/wpass
N=20000	# about 2.7 MB: under 0.5 MiB per partition

k_events $N >"$T/in.ndjson"

# 1. SIGKILL mid-stream while events keep arriving
"$P" --in "kafka://$A_BS/in?group=gk" --out "kafka://$A_BS/out?key=src_ip" \
	"${K_FAST[@]}" 2>"$T/err1" &
pid=$!
t_defer "kill -KILL $pid"
head -n 8000 "$T/in.ndjson" >"$T/part1"
tail -n +8001 "$T/in.ndjson" >"$T/part2"
k_produce "$A_BS" in "$T/part1"
# wait until it went through and was committed
k_wait_out() {
	local i
	for i in $(seq 300); do
		[ "$(k_dump "$A_BS" out | wc -l)" -ge "$1" ] && return 0
		sleep 0.1
	done
	return 1
}
k_wait_out 8000
for i in $(seq 100); do
	kill -USR1 $pid
	sleep 0.1
	[ "$(t_counter "$T/err1" kafka_commits)" -ge 1 ] 2>/dev/null && break
done
t_ok "the stage commits while it runs" test "$(t_counter "$T/err1" kafka_commits)" -ge 1
# more events; kill without warning while they flow
k_produce "$A_BS" in "$T/part2" &
prod=$!
k_wait_out 11000
{ kill -KILL $pid; wait $pid; } 2>/dev/null
rc=0; k_wait_pid $prod "$K_KCAT_S" "kcat produces the rest" || rc=$?
t_eq "kcat produced the rest" "$rc" 0
rc=0
k_run "$K_RUN_S" "restarted stage reaches the end" "$T/err2" \
	"$P" --in "kafka://$A_BS/in?group=gk" --out "kafka://$A_BS/out?key=src_ip" \
	-X kafka.eof=true "${K_FAST[@]}" || rc=$?
t_eq "restarted stage exits 0" "$rc" 0
k_dump "$A_BS" out >"$T/got"
t_eq "SIGKILL + restart: no event lost" "$(k_missing "$T/in.ndjson" "$T/got")" 0
echo "  SIGKILL + restart: $(k_dups "$T/got") duplicate(s) of $N (at-least-once)"
t_ok "SIGKILL + restart: nothing foreign" test "$(k_ids "$T/got" | sort -u | wc -l)" -eq $N

# 2. delivery failure: output cluster B goes down for good; the stage must
# exit non-zero without committing; with B back, a restart replays all
k_start B out:3 || exit 0
k_ctl B "down -1"
rc=0
k_run "$K_RUN_S" "delivery failure: the stage stops" "$T/err3" \
	"$P" --in "kafka://$A_BS/in?group=gd" --out "kafka://$B_BS/out" -X message.timeout.ms=3000 \
	-X kafka.eof=true "${K_FAST[@]}" || rc=$?
t_eq "delivery failure: exit 74" "$rc" 74
t_grep "delivery failure: says so" "delivery to out failed|not acknowledged" "$T/err3"
k_ctl B "up -1"
rc=0
k_run "$K_RUN_S" "after the failure, a restart reaches the end" "$T/err4" \
	"$P" --in "kafka://$A_BS/in?group=gd" --out "kafka://$B_BS/out" -X kafka.eof=true \
	"${K_FAST[@]}" || rc=$?
t_eq "after the failure, a restart exits 0" "$rc" 0
k_dump "$B_BS" out >"$T/got_b"
t_eq "delivery failure + restart: no event lost" "$(k_missing "$T/in.ndjson" "$T/got_b")" 0
t_eq "restart replayed from the start (nothing was committed)" "$(t_counter "$T/err4" in)" $N
