#!/usr/bin/env bash
# ward-window's windows across Kafka partition moves (docs/kafka.md, "Window
# state across moves"), against one instance reading the same events from a
# pipe:
#  - kill: two instances of one group; one is SIGKILLed while, on each of the
#    four partitions, one attacker is half-way through a burst (4 of the 6
#    failures that fire) and another's alert is firing. The group still
#    fires each burst once at the pipe's instant, and each firing alert
#    resolves without its firing sent twice.
#  - leave: one of two is stopped (SIGTERM) as soon as the firings are out;
#    its commit at exit hands its windows over: no alert changes.
#  - join: a third instance joins at the same point; no alert changes.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../kafka_lib.sh"
k_need || exit 0
[ -x "$TOOLS/kcommitted" ] || { t_skip "all" "no $TOOLS/kcommitted"; exit 0; }
NP=4

# per partition p, one line "PHASE P T JSON" per event; T seconds:
#   background: one event per second of a key of its own (never alerts),
#     0-19 (phase A), 20-39 (phase B), one at 100 (phase C: every window
#     closes)
#   F (198.51.100.p+1): 10-17 (fires at 15), 20-23 (resolves at 26)
#   A (203.0.113.p+1):  16-19, then 20-23 (fires at 21, resolves at 28)
awk -v np=$NP 'function ev(ph, p, t, ip) {
		printf "%s %d %03d {\"v\":1,\"ts\":\"2026-11-28T08:%02d:%02d.000000000Z\",\"labels\":{\"job\":\"sshd\"},\"line\":\"Failed password from %s\",\"fields\":{\"src_ip\":\"%s\"}}\n", ph, p, t, int(t / 60), t % 60, ip, ip
	}
	BEGIN {
		for (p = 0; p < np; p++) {
			for (t = 0; t < 40; t++) {
				ph = t < 20 ? "A" : "B"
				ev(ph, p, t, sprintf("192.0.%d.%d", 2 + int(t / 20), p * 40 + t % 20))
				if ((t >= 10 && t <= 17) || (t >= 20 && t <= 23))
					ev(ph, p, t, sprintf("198.51.100.%d", p + 1))
				if (t >= 16 && t <= 23)
					ev(ph, p, t, sprintf("203.0.113.%d", p + 1))
			}
			ev("C", p, 100, sprintf("192.0.4.%d", p + 1))
		}
	}' >"$T/plan"
# one file per phase and partition, in time order; the pipe gets them all
for ph in A B C; do
	for ((p = 0; p < NP; p++)); do
		awk -v ph=$ph -v p=$p '$1 == ph && $2 == p { sub(/^[^ ]+ [^ ]+ [^ ]+ /, ""); print }' \
			"$T/plan" >"$T/$ph.$p"
	done
done
sort -s -k3,3 "$T/plan" | cut -d' ' -f4- >"$T/all"
RULE=(--name Brute --by src_ip --range 10s --threshold '> 5' --idle 0)
# each transition with its instant, one a line, sorted but not deduplicated:
# an alert sent twice shows
alerts() {
	sed -nE 's/^\{"v":1,"ts":"([^"]*)".*"alert":\{"rule":"([^"]*)","state":"([^"]*)","key":\{([^}]*)\}.*/\1 \2 \3 \4/p' | sort
}
"$W/ward-window" "${RULE[@]}" <"$T/all" 2>/dev/null | alerts >"$T/want"
t_eq "the pipe run: 4 transitions per partition" "$(wc -l <"$T/want")" $((4 * NP))

produce() {	# PHASE
	local p
	for ((p = 0; p < NP; p++)); do
		k_kcat -P -b "$A_BS" -t "$CASE.in" -p "$p" -q -l "$T/$1.$p" || return 1
	done
}
# a counter of instance i, 0 before its first counters line
cnt() { local v; v=$(t_counter "$T/$CASE.err$1" "$2"); echo "${v:-0}"; }
start() {	# I: an instance of the case's group, in the background
	"$W/ward-window" "${RULE[@]}" --in "kafka://$A_BS/$CASE.in?group=$CASE" \
		--out "kafka://$A_BS/$CASE.alerts?key=src_ip" "${K_FAST[@]}" 2>"$T/$CASE.err$1" &
	eval "pid$1=$!"
	t_defer "kill -KILL $! 2>/dev/null"
}
# every named instance's last group event is "assigned N"
settled() {	# N I...
	local n=$1 i
	shift
	for i in "$@"; do
		grep -E 'assigned|revoked' "$T/$CASE.err$i" | tail -1 | grep -q "assigned $n " || return 1
	done
}
wait_settled() {	# WHAT N I...
	local what=$1 i
	shift
	for i in $(seq 300); do settled "$@" && return 0; sleep 0.1; done
	t_fail "$what" "$(tail -3 "$T/$CASE.err"*)"
	return 1
}
# the group's commit of every partition carries the offset read up to
# (R= in its metadata): everything produced so far was processed, and what
# it sent is known to the partition's next owner
wait_committed() {	# OFFSET
	local i
	for i in $(seq 300); do
		[ "$("$TOOLS/kcommitted" "$A_BS" "$CASE" "$CASE.in" $NP 2>/dev/null |
			grep -cE " R=$1( |$)")" = $NP ] && return 0
		sleep 0.1
	done
	t_fail "every partition committed with R=$1" \
		"$("$TOOLS/kcommitted" "$A_BS" "$CASE" "$CASE.in" $NP 2>&1)"
	return 1
}
# the output holds N transitions (bounded: a killed member's partitions
# move after session.timeout.ms)
wait_alerts() {	# N
	local i
	for i in $(seq 120); do
		[ "$(k_dump "$A_BS" "$CASE.alerts" | alerts | wc -l)" -ge "$1" ] && return 0
		sleep 0.5
	done
	t_fail "the group wrote $1 transitions" "$(k_dump "$A_BS" "$CASE.alerts" | alerts)" \
		"$(tail -5 "$T/$CASE.err"*)"
	return 1
}
stop() {	# I...: SIGTERM, wait for exit 0
	local i rc
	for i in "$@"; do kill -TERM "$(eval echo "\$pid$i")"; done
	for i in "$@"; do
		k_wait_pid "$(eval echo "\$pid$i")" "$K_EXIT_S" "instance $i exits after SIGTERM" \
			"$T/$CASE.err$i"
		rc=$?
		t_eq "$CASE: instance $i exits 0" "$rc" 0
	done
}
phase_a_end=$(wc -l <"$T/A.0")

k_start A kill.in:$NP kill.alerts:$NP leave.in:$NP leave.alerts:$NP join.in:$NP \
	join.alerts:$NP || exit 0

# ---- kill: SIGKILL one of two instances mid-burst and mid-firing ----
CASE=kill
start 1
start 2
wait_settled "kill: two instances share the partitions" 2 1 2 || exit 0
t_ok "kill: phase A produced" produce A
wait_committed "$phase_a_end" || exit 0
kill -KILL "$pid1"
wait "$pid1" 2>/dev/null
t_ok "kill: phase B and C produced" produce B
t_ok "kill: phase B and C produced" produce C
wait_alerts $((4 * NP)) || exit 0
kill -USR1 "$pid2"
t_wait_for grep -q replay_suppressed "$T/kill.err2"
stop 2
k_dump "$A_BS" kill.alerts | alerts >"$T/got"
t_files_eq "kill: the group's transitions = the pipe's (each burst fires once, at the same instant; each firing alert resolves, its firing sent once)" "$T/want" "$T/got"
t_ok "kill: the survivor restored the killed member's partitions" test "$(cnt 2 partitions_restored)" -ge 1
t_ok "kill: the survivor suppressed firings already sent (counted)" test "$(cnt 2 replay_suppressed)" -ge 1
t_ok "kill: the survivor counted the records it read again" test "$(cnt 2 replayed)" -ge 1
echo "  kill: survivor replayed $(cnt 2 replayed) record(s), suppressed $(cnt 2 replay_suppressed) transition(s)"

# ---- leave: SIGTERM one of two instances as soon as the firings are out ----
# (its commit at exit, not an earlier one, carries what it sent)
CASE=leave
start 1
start 2
wait_settled "leave: two instances share the partitions" 2 1 2 || exit 0
t_ok "leave: phase A produced" produce A
wait_alerts "$NP" || exit 0
stop 1
t_ok "leave: phase B and C produced" produce B
t_ok "leave: phase B and C produced" produce C
wait_alerts $((4 * NP)) || exit 0
stop 2
k_dump "$A_BS" leave.alerts | alerts >"$T/got"
t_files_eq "leave: an instance stopped mid-burst and mid-firing hands its windows over (the group's transitions = the pipe's)" "$T/want" "$T/got"

# ---- join: a third instance joins mid-burst and mid-firing ----
CASE=join
start 1
start 2
wait_settled "join: two instances share the partitions" 2 1 2 || exit 0
t_ok "join: phase A produced" produce A
wait_committed "$phase_a_end" || exit 0
start 3
# 4 partitions over 3 members: 2, 1, 1
for i in $(seq 300); do
	{ settled 2 1 && settled 1 2 3; } || { settled 2 2 && settled 1 1 3; } ||
		{ settled 2 3 && settled 1 1 2; } || { sleep 0.1; continue; }
	break
done
t_ok "join: the third instance got partitions" grep -q -e 'assigned 1 ' -e 'assigned 2 ' "$T/join.err3"
t_ok "join: phase B and C produced" produce B
t_ok "join: phase B and C produced" produce C
wait_alerts $((4 * NP)) || exit 0
kill -USR1 "$pid1" "$pid2" "$pid3"
t_wait_for grep -q replay_suppressed "$T/join.err3"
stop 1 2 3
echo "  join: replayed $(($(cnt 1 replayed) + $(cnt 2 replayed) + $(cnt 3 replayed))) record(s), suppressed $(($(cnt 1 replay_suppressed) + $(cnt 2 replay_suppressed) + $(cnt 3 replay_suppressed))) transition(s)"
k_dump "$A_BS" join.alerts | alerts >"$T/got"
t_files_eq "join: a joining instance changes no alert (the group's transitions = the pipe's)" "$T/want" "$T/got"
