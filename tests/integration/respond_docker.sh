#!/usr/bin/env bash
# ward-respond --backend docker against a mock Docker Engine API
# (tests/tools/mock_docker.py) that runs each exec'd argv inside a victim
# network namespace: the HTTP exchange, the argv sent, and the real effect
# on the victim's iptables. It covers the exact argv and the API error paths;
# respond_docker_engine.sh runs the backend against a real Docker Engine.
. "$(dirname "$0")/../lib.sh"
t_need_root || exit 0
command -v iptables >/dev/null || { t_skip all "iptables not installed"; exit 0; }

V=wdv$$ A=wda$$
ip netns add $V; t_defer "ip netns del $V"
ip netns add $A; t_defer "ip netns del $A"
ip link add wdv$$ type veth peer name wda$$
ip link set wdv$$ netns $V; ip link set wda$$ netns $A
ip -n $V link set lo up; ip -n $A link set lo up
ip -n $V addr add 198.18.233.1/24 dev wdv$$
ip -n $A addr add 198.18.233.2/24 dev wda$$
ip -n $V link set wdv$$ up; ip -n $A link set wda$$ up
ip netns exec $V nc -lk 8080 </dev/null >/dev/null 2>&1 &
t_defer "kill $!"
python3 "$TOP/tests/tools/mock_docker.py" "$T/docker.sock" victim $V "$T/exec.log" &
t_defer "kill $!"
t_wait_for test -S "$T/docker.sock"

connect() { ip netns exec $A nc -z -w 1 198.18.233.1 8080 </dev/null >/dev/null 2>&1; }
refused() { ! connect; }
alert() { printf '{"fields":{"src_ip":"%s"},"alert":{"rule":"TestRule","state":"firing"}}\n' "$1"; }
docker_respond() { "$W/ward-respond" --backend docker --docker-socket "$T/docker.sock" "$@"; }

t_wait_for connect
t_ok "attacker connects before the ban" connect
# Input stays open past the ban time: the docker backend has no kernel
# timeout, ward-respond removes the rule itself at expiry.
(alert 198.18.233.2; t_wait_for refused; sleep 0.2; t_wait_for connect; sleep 0.3) |
	docker_respond --container victim --ban-time 2s >"$T/ban.out" 2>"$T/ban.err" &
rpid=$!
t_ok "connection fails while banned" t_wait_for refused
t_ok "works again after ward-respond's expiry" t_wait_for connect
wait $rpid
t_grep "ban audited with backend docker" '"kind":"ban","target":"198\.18\.233\.2","backend":"docker".*"result":"applied"' "$T/ban.out"
t_grep "unban at expiry audited" '"kind":"unban","target":"198\.18\.233\.2","backend":"docker".*"reason":"expired"' "$T/ban.out"
t_eq "argv sent to the engine: check, insert, check, delete" "$(cat "$T/exec.log")" \
'["iptables", "-w", "-C", "INPUT", "-s", "198.18.233.2", "-j", "DROP"]
["iptables", "-w", "-I", "INPUT", "-s", "198.18.233.2", "-j", "DROP"]
["iptables", "-w", "-C", "INPUT", "-s", "198.18.233.2", "-j", "DROP"]
["iptables", "-w", "-D", "INPUT", "-s", "198.18.233.2", "-j", "DROP"]'
t_lacks "no rule left in the container" "198\.18\.233\.2" ip netns exec "$V" iptables -S INPUT

alert 198.18.233.2 | docker_respond --container nosuch >"$T/err.out" 2>"$T/err.err"
t_grep "unknown container: error event" '"kind":"error","target":"198\.18\.233\.2","backend":"docker","result":"failed","reason":"docker exec create in nosuch: HTTP 404"' "$T/err.out"
alert 198.18.233.2 | docker_respond --container victim --docker-socket "$T/none.sock" >"$T/nosock.out" 2>/dev/null
t_grep "no engine: error event" '"kind":"error".*"reason":"docker API [^"]*: Couldn.t connect to server"' "$T/nosock.out"
