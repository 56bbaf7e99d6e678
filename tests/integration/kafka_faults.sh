#!/usr/bin/env bash
# Kafka under faults: a broker down, request errors and added latency while
# a stage runs; no event is lost (duplicates allowed and counted).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../kafka_lib.sh"
k_need || exit 0
k_start A in:6 out:6 || exit 0
P=$TOOLS/wpass
N=20000

k_events $N >"$T/in.ndjson"
t_ok "kcat produces $N events" k_produce "$A_BS" in "$T/in.ndjson"

# Faults armed before the stage starts, so they hit its first requests.
# Injected Produce errors are retried by the idempotent producer; Fetch and
# OffsetCommit errors by the consumer; _TRANSPORT drops the connection.
k_ctl A "err Produce NOT_LEADER_FOR_PARTITION _TRANSPORT REQUEST_TIMED_OUT NOT_ENOUGH_REPLICAS"
k_ctl A "err Fetch _TRANSPORT NOT_LEADER_FOR_PARTITION"
k_ctl A "err OffsetCommit COORDINATOR_NOT_AVAILABLE REQUEST_TIMED_OUT"
k_ctl A "rtt 1 200"
"$P" --in "kafka://$A_BS/in?group=gf" --out "kafka://$A_BS/out?key=src_ip" \
	-X kafka.eof=true "${K_FAST[@]}" 2>"$T/err1" &
pid=$!
t_defer "kill -KILL $pid"
# Broker 2 leads some partitions of both topics: while it is down those
# cannot be fetched or written, so the stage is still running when it
# comes back and has to resume them.
k_ctl A "down 2"
k_ctl A "err Produce _TRANSPORT"
sleep 2
k_ctl A "up 2"
k_ctl A "rtt 1 0"
rc=0; k_wait_pid $pid "$K_RUN_S" "the stage reaches the end after the faults" "$T/err1" || rc=$?
t_eq "stage exits 0 after the faults" "$rc" 0
k_dump "$A_BS" out >"$T/got"
t_eq "faults: no event lost" "$(k_missing "$T/in.ndjson" "$T/got")" 0
echo "  faults: $(k_dups "$T/got") duplicate(s) of $N (at-least-once)"
t_eq "faults: no delivery failed" "$(t_counter "$T/err1" kafka_delivery_failed)" 0
t_eq "faults: delivered = out" "$(t_counter "$T/err1" kafka_delivered)" "$(t_counter "$T/err1" out)"

# A second round on a live stream: events arrive while a broker is down and
# acknowledgements come late.
k_events 6000 200001 >"$T/more.ndjson"
"$P" --in "kafka://$A_BS/in?group=gf" --out "kafka://$A_BS/out?key=src_ip" \
	"${K_FAST[@]}" 2>"$T/err2" &
pid=$!
t_defer "kill -KILL $pid"
k_ctl A "rtt -1 100"
k_ctl A "down 3"
k_produce "$A_BS" in "$T/more.ndjson" &
prod=$!
sleep 2
k_ctl A "up 3"
k_ctl A "rtt -1 0"
k_wait_pid $prod "$K_KCAT_S" "kcat produces while a broker is down"
for i in $(seq 300); do
	k_dump "$A_BS" out >"$T/got2"
	[ "$(k_missing "$T/more.ndjson" "$T/got2")" = 0 ] && break
	sleep 0.1
done
kill -TERM $pid
rc=0; k_wait_pid $pid "$K_EXIT_S" "live stream: the stage exits after SIGTERM" "$T/err2" || rc=$?
t_eq "live stream: SIGTERM exit 0" "$rc" 0
t_eq "live stream with a broker down: no event lost" "$(k_missing "$T/more.ndjson" "$T/got2")" 0
