# tests/kafka_lib.sh - helpers for the Kafka integration tests (sourced after
# lib.sh). A test starts its own mock cluster (tests/tools/kmock: librdkafka's
# mock brokers on 127.0.0.1, random ports) and drives it with kcat, the
# independent client, and with ward stages.
#
#   k_need || exit 0                 # SKIP without kcat or kmock
#   k_start A "in:6" "out:6"         # cluster A: $A_BS bootstrap, $T/A.ctl
#   k_ctl A "down 2"                 # fault injection, waits for "ok"
#   k_dump "$A_BS" out >got          # every message of a topic (kcat)
#   k_wait_pid $pid 30 "WHAT" ERR; rc=$?   # bounded wait for a stage
#
# Every wait is bounded: a kcat call, a stage run to its end, a stage's exit
# after SIGTERM. A bound hit is a FAIL naming what did not happen, with the
# tail of the stage's stderr, never a hang up to tests/run.sh's timeout.
# Keep every partition well under the mock's 5 MiB retention.

# Properties that make group tests fast against the mock: a killed member
# is dropped after 6 s, empty fetches return after 50 ms.
K_FAST=(-X session.timeout.ms=6000 -X heartbeat.interval.ms=500 -X fetch.wait.max.ms=50)

# Bounds in seconds: one kcat call; a stage run to its own end; a stage's
# exit after SIGTERM (the stage bounds its own shutdown, docs/kafka.md).
K_KCAT_S=${K_KCAT_S:-60}
K_RUN_S=${K_RUN_S:-120}
K_EXIT_S=${K_EXIT_S:-30}

# k_tail FILE : the end of a stage's stderr, for a failure message.
k_tail() { if [ -s "$1" ]; then tail -n 12 "$1"; else echo "($1: empty)"; fi; }

# k_kcat ARGS... : kcat, at most K_KCAT_S seconds. A bound hit is a FAIL on
# stderr (stdout may be data); tests/run.sh records both.
k_kcat() {
	local rc=0
	timeout -k 5 "$K_KCAT_S" kcat "$@" || rc=$?
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		t_fail "kcat $* ended within $K_KCAT_S s" "it was killed (exit $rc)" >&2
	fi
	return "$rc"
}

# k_wait_pid PID SECONDS WHAT [ERRFILE] : wait for a background process at
# most SECONDS and return its exit status; past that FAIL "WHAT" with the
# tail of ERRFILE, kill -KILL it and return 124.
k_wait_pid() {
	local pid=$1 secs=$2 what=$3 err=${4:-} i
	for ((i = 0; i < secs * 10; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		t_fail "$what" "pid $pid still running after $secs s: killed" \
			${err:+"$(k_tail "$err")"}
		return 124
	fi
	wait "$pid"
}

# k_run SECONDS WHAT ERRFILE CMD... : run a stage in the foreground, its
# stderr to ERRFILE, at most SECONDS (then SIGTERM, SIGKILL 5 s later);
# returns its exit status, and FAILs "WHAT" with the tail of ERRFILE when
# the bound was hit.
k_run() {
	local secs=$1 what=$2 err=$3 rc=0
	shift 3
	timeout -k 5 "$secs" "$@" 2>"$err" || rc=$?
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		t_fail "$what" "still running after $secs s: stopped (exit $rc)" "$(k_tail "$err")"
	fi
	return "$rc"
}

k_need() {
	if ! command -v kcat >/dev/null; then t_skip "all" "kcat not installed"; return 1; fi
	if [ ! -x "$TOOLS/kmock" ]; then t_skip "all" "no $TOOLS/kmock"; return 1; fi
	return 0
}

# k_start NAME TOPIC:PARTS... : start a mock cluster; sets ${NAME}_BS.
k_start() {
	local name=$1 args=() t
	shift
	for t in "$@"; do args+=(-t "$t"); done
	"$TOOLS/kmock" -f "$T/$name.bs" -c "$T/$name.ctl" "${args[@]}" \
		<&- >"$T/$name.log" 2>&1 &
	local pid=$!
	t_defer "kill $pid; k_wait_pid $pid 10 'mock cluster $name exits on SIGTERM' $T/$name.log"
	if ! t_wait_for test -s "$T/$name.bs"; then
		t_fail "mock cluster $name starts" "$(cat "$T/$name.log")"
		return 1
	fi
	printf -v "${name}_BS" '%s' "$(cat "$T/$name.bs")"
	printf -v "${name}_PID" '%s' "$pid"
}

# k_ctl NAME CMD : send a control command and wait for its answer.
k_ctl() {
	local n before
	before=$(grep -c . "$T/$1.log")
	# a FIFO open blocks while no one reads it (the mock died): bounded
	if ! timeout 10 bash -c 'echo "$1" >"$2"' _ "$2" "$T/$1.ctl"; then
		t_fail "mock cluster $1 takes '$2'" "its control FIFO was not read within 10 s"
		return 1
	fi
	for n in $(seq 100); do
		if [ "$(grep -c . "$T/$1.log")" -gt "$before" ]; then
			tail -1 "$T/$1.log" | grep -q "^ok " && return 0
			t_fail "mock cluster $1 does '$2'" "$(tail -1 "$T/$1.log")"
			return 1
		fi
		sleep 0.05
	done
	t_fail "mock cluster $1 answers '$2' within 5 s" "$(tail -3 "$T/$1.log")"
	return 1
}

# k_dump BOOTSTRAP TOPIC [kcat args] : every message, one a line.
k_dump() {
	local bs=$1 topic=$2
	shift 2
	k_kcat -C -b "$bs" -t "$topic" -o beginning -e -q -X fetch.wait.max.ms=50 "$@"
}

# k_produce BOOTSTRAP TOPIC FILE : one message per line, all acknowledged.
k_produce() {
	k_kcat -P -b "$1" -t "$2" -q -X sticky.partitioning.linger.ms=0 -l "$3"
}

# k_events N [FIRST] : N events with unique ids, src_ip keys over 50
# addresses in 198.18.0.0/15, proto alternating TCP/UDP.
k_events() {
	awk -v n="$1" -v first="${2:-1}" 'BEGIN {
		for (i = first; i < first + n; i++)
			printf "{\"v\":1,\"ts\":\"2026-11-28T08:00:%02d.000000000Z\",\"labels\":{\"job\":\"kt\"},\"line\":\"event %d\",\"fields\":{\"id\":\"e%07d\",\"src_ip\":\"198.18.0.%d\",\"proto\":\"%s\"}}\n", i % 60, i, i, i % 50, (i % 2) ? "TCP" : "UDP"
	}'
}

# k_ids FILE : the sorted ids in an NDJSON file.
k_ids() { grep -o '"id":"e[0-9]*"' "$1" | sort; }

# k_missing WANT GOT : ids of WANT absent from GOT.
k_missing() { comm -23 <(k_ids "$1" | sort -u) <(k_ids "$2" | sort -u) | wc -l; }

# k_dups FILE : number of extra copies (at-least-once allows them).
k_dups() { echo $(($(k_ids "$1" | wc -l) - $(k_ids "$1" | sort -u | wc -l))); }
