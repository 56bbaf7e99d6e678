#!/usr/bin/env bash
# ward-sniff live: two network namespaces joined by a veth pair, a TCP service
# in one, a burst of SYNs from the other (hping3), captured on the veth.
# Traffic never leaves the namespaces this script creates.
. "$(dirname "$0")/../lib.sh"
t_need_root || exit 0
if ! command -v hping3 >/dev/null; then t_skip "all" "hping3 not installed"; exit 0; fi
S="$W/ward-sniff"
A=wsa$$ B=wsb$$		# namespaces and their veth ends (<= 15 chars)
ip netns add "$A" && t_defer "ip netns del $A"
ip netns add "$B" && t_defer "ip netns del $B"
ip link add "$A" netns "$A" type veth peer name "$B" netns "$B"
ip -n "$A" addr add 10.213.0.1/24 dev "$A"
ip -n "$B" addr add 10.213.0.2/24 dev "$B"
ip -n "$A" link set "$A" up
ip -n "$B" link set "$B" up
ip -n "$A" link set lo up
ip netns exec "$A" python3 -c '
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.213.0.1", 8080)); s.listen(1024); time.sleep(120)' &
t_defer "kill $!"
t_wait_for sh -c "ip netns exec $A ss -ltn | grep -q 10.213.0.1:8080" || t_fail "service listening" "no listener"

# Capture in A: summary, then packet mode with a BPF filter, both as nobody.
start_capture() {	# OUT ERR IFACE ARGS...
	local out=$1 err=$2 iface=$3; shift 3
	ip netns exec "$A" "$S" -i "$iface" --immediate -Z nobody -v "$@" >"$out" 2>"$err" &
	CAP=$!
	t_defer "kill $CAP"
	t_wait_for grep -q "capturing on $iface" "$err"
}
N=50
start_capture "$T/sum.out" "$T/sum.err" "$A" --mode summary --interval 1s
up() { ip -n "$A" link show "$A" | grep -q 'state UP' && ip -n "$B" link show "$B" | grep -q 'state UP'; }
t_wait_for up || t_fail "veth pair up" "$(ip -n "$B" link show "$B")"
ip netns exec "$B" hping3 -q -S -p 8080 -c "$N" -i u2000 10.213.0.1 >/dev/null 2>&1
syn_sum() { python3 -c '
import json, sys
n = 0
for l in open(sys.argv[1]):
    f = json.loads(l)["fields"]
    if f.get("src_ip") == sys.argv[2]:
        n += f[sys.argv[3]]
print(n)' "$@"; }
# The interval is closed by the clock while the capture runs (no packet
# arrives after the burst to close it).
syns_seen() { test "$(syn_sum "$T/sum.out" 10.213.0.2 syn)" -ge "$N"; }
t_wait_for syns_seen
t_ok "summary written while capturing" syns_seen
kill -TERM "$CAP"; wait "$CAP"; rc=$?
t_eq "capture ends 0 on SIGTERM" "$rc" 0
t_eq "SYNs from the sender" "$(syn_sum "$T/sum.out" 10.213.0.2 syn)" "$N"
t_eq "SYN-ACKs from the service" "$(syn_sum "$T/sum.out" 10.213.0.1 synack)" "$N"
t_grep "events labelled with the interface" "\"labels\":\\{\"job\":\"sniff\",\"iface\":\"$A\"\\}" "$T/sum.out"
t_grep "drop counters in the stage counters" '"kernel_drops":0' "$T/sum.err"
t_eq "no malformed packets" "$(t_counter "$T/sum.err" malformed)" 0

start_capture "$T/pkt.out" "$T/pkt.err" "$A" --mode packet -f 'tcp[tcpflags] & tcp-syn != 0'
ip netns exec "$B" hping3 -q -S -p 8080 -c "$N" -i u2000 10.213.0.1 >/dev/null 2>&1
synacks_seen() { test "$(grep -c '"tcp_flags":"SA"' "$1")" -ge "$2"; }
t_wait_for synacks_seen "$T/pkt.out" "$N"
kill -TERM "$CAP"; wait "$CAP"
t_eq "packet mode: SYN events" "$(grep -c '"src_ip":"10.213.0.2",.*"dest_port":8080,"proto":"TCP","community_id":"1:[^"]*","tcp_flags":"S"' "$T/pkt.out")" "$N"
t_eq "packet mode: BPF left only SYN and SYN-ACK" "$(grep -vc '"tcp_flags":"SA\?"' "$T/pkt.out")" 0
t_eq "privileges dropped (-Z nobody)" "$(grep -c 'cannot become' "$T/pkt.err")" 0

# -i any: Linux cooked headers (SLL), every interface of the namespace.
start_capture "$T/any.out" "$T/any.err" any --mode packet -f 'tcp port 8080'
ip netns exec "$B" hping3 -q -S -p 8080 -c 10 -i u2000 10.213.0.1 >/dev/null 2>&1
t_wait_for synacks_seen "$T/any.out" 10
kill -TERM "$CAP"; wait "$CAP"
t_eq "-i any: SYN events" "$(grep -c '"labels":{"job":"sniff","iface":"any"}.*"src_ip":"10.213.0.2",.*"tcp_flags":"S"' "$T/any.out")" 10
t_grep "-i any: cooked link type" 'link type LINUX_SLL' "$T/any.err"

# Kernel drops: a small buffer, the reader stopped during a burst, then let
# go: the drop counters grow and an event says so.
start_capture "$T/drop.out" "$T/drop.err" "$A" --mode summary -B 65536 -s 128
kill -STOP "$CAP"
ip netns exec "$B" hping3 -q -S -p 9 -c 20000 -i u20 10.213.0.1 >/dev/null 2>&1
kill -CONT "$CAP"
t_wait_for grep -q '"kernel_drops":[1-9]' "$T/drop.out"
kill -TERM "$CAP"; wait "$CAP"
t_grep "drop event" '"line":"capture dropped [1-9][0-9]* packets' "$T/drop.out"
t_ok "drops in the counters" test "$(t_counter "$T/drop.err" kernel_drops)" -gt 0
t_status "no such interface" 69 "$S" -i wardnosuch0
