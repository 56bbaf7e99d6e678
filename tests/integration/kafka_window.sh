#!/usr/bin/env bash
# Scaling out: two ward-window instances in one consumer group over a
# six-partition topic keyed by src_ip raise the same alerts as one instance
# reading a pipe, with no --lateness: each partition has its own engine.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../kafka_lib.sh"
k_need || exit 0
if ! "$W/ward-window" --help 2>/dev/null | grep -q -- '--lateness'; then
	t_skip "all" "ward-window not built yet"
	exit 0
fi
k_start A in:6 alerts:6 || exit 0
# 40 sources: source i fails i times within 20 s; the rule fires above 5
awk 'BEGIN {
	for (t = 0; t < 40; t++)
		for (s = 1; s <= 40; s++)
			if (t < s)
				printf "198.18.0.%d\t{\"v\":1,\"ts\":\"2026-11-28T08:00:%02d.%03d000000Z\",\"labels\":{\"job\":\"sshd\"},\"line\":\"Failed password from 198.18.0.%d\",\"fields\":{\"src_ip\":\"198.18.0.%d\"}}\n", s, int(t / 2), s, s, s
}' >"$T/keyed"
# then one event a minute later on each partition: every window closes
for p in 0 1 2 3 4 5; do
	printf '{"v":1,"ts":"2026-11-28T08:01:00.000000000Z","labels":{"job":"sshd"},"line":"end %d","fields":{"src_ip":"192.0.2.%d"}}\n' $p $p >"$T/end$p"
done
cut -f2 "$T/keyed" | cat - "$T/end"? >"$T/events"
RULE=(--name Brute --by src_ip --range 20s --threshold '> 5' --idle 0)
# the events may reach the two instances in any interleaving of partitions:
# each partition has an engine of its own (its keys, its watermark), so no
# event is late; only the set of transitions is compared
alerts() { grep -o '"alert":{"rule":"[^"]*","state":"[^"]*","key":{[^}]*}' | sort -u; }

"$W/ward-window" "${RULE[@]}" <"$T/events" 2>/dev/null | alerts >"$T/want"
t_ok "the pipe run raises alerts" test -s "$T/want"

for i in 1 2; do
	"$W/ward-window" "${RULE[@]}" --in "kafka://$A_BS/in?group=win" \
		--out "kafka://$A_BS/alerts?key=src_ip" "${K_FAST[@]}" 2>"$T/err$i" &
	eval "pid$i=$!"
	t_defer "kill -KILL $!"
done
# data only once both members own their partitions, so no rebalance moves
# a key between instances mid-window
settled() {	# each instance's last group event is "assigned 3"
	local f
	for f in "$T/err1" "$T/err2"; do
		grep -E 'assigned|revoked' "$f" | tail -1 | grep -q 'assigned 3 ' || return 1
	done
}
revokes() { cat "$T/err1" "$T/err2" | grep -c 'revoked'; }
# a counter of an instance, 0 before its first counters line
cnt() { local v; v=$(t_counter "$T/err$1" "$2"); echo "${v:-0}"; }
for i in $(seq 200); do settled && break; sleep 0.1; done
revokes_before=$(revokes)
t_ok "kcat produces keyed events" k_kcat -P -b "$A_BS" -t in -K '\t' -q -l "$T/keyed"
for p in 0 1 2 3 4 5; do
	k_kcat -P -b "$A_BS" -t in -p $p -q -l "$T/end$p"
done
for i in $(seq 300); do
	n=$(k_kcat -Q -b "$A_BS" -t in:0:-1 -t in:1:-1 -t in:2:-1 -t in:3:-1 -t in:4:-1 -t in:5:-1 |
		awk '{ s += $NF } END { print s }')
	[ "$n" = "$(wc -l <"$T/events")" ] && break
	sleep 0.1
done
# wait until both consumed everything (counters on SIGUSR1), then SIGTERM:
# over Kafka a stop drains no window (their next owner goes on with them),
# and the last events closed them all
total=$(wc -l <"$T/events")
for i in $(seq 100); do
	kill -USR1 "$pid1" "$pid2"
	sleep 0.1
	[ $(($(cnt 1 in) + $(cnt 2 in))) -ge "$total" ] && break
done
revokes_during=$(($(revokes) - revokes_before))
kill -TERM "$pid1" "$pid2"
k_wait_pid "$pid1" "$K_EXIT_S" "instance 1 exits after SIGTERM" "$T/err1"; rc1=$?
k_wait_pid "$pid2" "$K_EXIT_S" "instance 2 exits after SIGTERM" "$T/err2"; rc2=$?
t_eq "both instances exit 0" "$rc1 $rc2" "0 0"
t_ok "both instances consumed" test "$(cnt 1 in)" -gt 0 -a "$(cnt 2 in)" -gt 0
if [ "$revokes_during" != 0 ]; then
	# the mock refuses commits while a group rebalances, so the new owners
	# replayed events: counted twice, legitimately (at-least-once)
	t_skip "alerts compared" "a rebalance during the run replayed events on the mock"
	exit 0
fi
t_eq "all events consumed once" $(($(cnt 1 in) + $(cnt 2 in))) "$total"
k_dump "$A_BS" alerts | alerts >"$T/got"
echo "  alerts: $(wc -l <"$T/want") transitions"
t_files_eq "two instances over Kafka = one over a pipe" "$T/got" "$T/want"
