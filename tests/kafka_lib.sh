# tests/kafka_lib.sh - helpers for the Kafka integration tests (sourced after
# lib.sh). A test starts its own mock cluster (tests/tools/kmock: librdkafka's
# mock brokers on 127.0.0.1, random ports) and drives it with kcat, the
# independent client, and with ward stages.
#
#   k_need || exit 0                 # SKIP without kcat or kmock
#   k_start A "in:6" "out:6"         # cluster A: $A_BS bootstrap, $T/A.ctl
#   k_ctl A "down 2"                 # fault injection, waits for "ok"
#   k_dump "$A_BS" out >got          # every message of a topic (kcat)
#
# Keep every partition well under the mock's 5 MiB retention.

# Properties that make group tests fast against the mock: a killed member
# is dropped after 6 s, empty fetches return after 50 ms.
K_FAST=(-X session.timeout.ms=6000 -X heartbeat.interval.ms=500 -X fetch.wait.max.ms=50)

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
	t_defer "kill $pid; wait $pid"
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
	echo "$2" >"$T/$1.ctl"
	for n in $(seq 100); do
		if [ "$(grep -c . "$T/$1.log")" -gt "$before" ]; then
			tail -1 "$T/$1.log" | grep -q "^ok " && return 0
			echo "kmock: $(tail -1 "$T/$1.log")" >&2
			return 1
		fi
		sleep 0.05
	done
	return 1
}

# k_dump BOOTSTRAP TOPIC [kcat args] : every message, one a line.
k_dump() {
	local bs=$1 topic=$2
	shift 2
	kcat -C -b "$bs" -t "$topic" -o beginning -e -q -X fetch.wait.max.ms=50 "$@"
}

# k_produce BOOTSTRAP TOPIC FILE : one message per line, all acknowledged.
k_produce() {
	kcat -P -b "$1" -t "$2" -q -X sticky.partitioning.linger.ms=0 -l "$3"
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
