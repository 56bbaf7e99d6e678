#!/usr/bin/env bash
# ward-respond --backend iptables (ipset + iptables/ip6tables, run as argv)
# inside a victim network namespace: ban, drop, expiry, IPv6, unban, and
# the exec backend with an argv template.
. "$(dirname "$0")/../lib.sh"
t_need_root || exit 0
for p in ipset iptables ip6tables; do
	command -v $p >/dev/null || { t_skip all "$p not installed"; exit 0; }
done

V=wiv$$ A=wia$$
ip netns add $V; t_defer "ip netns del $V"
ip netns add $A; t_defer "ip netns del $A"
ip link add wiv$$ type veth peer name wia$$
ip link set wiv$$ netns $V; ip link set wia$$ netns $A
ip -n $V link set lo up; ip -n $A link set lo up
ip -n $V addr add 198.18.232.1/24 dev wiv$$
ip -n $V addr add 2001:db8:232::1/64 dev wiv$$ nodad
ip -n $A addr add 198.18.232.2/24 dev wia$$
ip -n $A addr add 2001:db8:232::2/64 dev wia$$ nodad
ip -n $V link set wiv$$ up; ip -n $A link set wia$$ up
ip netns exec $V nc -lk 8080 </dev/null >/dev/null 2>&1 &
t_defer "kill $!"
ip netns exec $V nc -lk -6 8080 </dev/null >/dev/null 2>&1 &
t_defer "kill $!"

connect() { ip netns exec $A nc -z -w 1 -s "$1" "$2" 8080 </dev/null >/dev/null 2>&1; }
refused() { ! connect "$@"; }
alert() { printf '{"fields":{"src_ip":"%s"},"alert":{"rule":"TestRule","state":"firing"}}\n' "$1"; }
respond() { "$W/ward-respond" --netns $V --backend iptables "$@"; }

t_wait_for connect 198.18.232.2 198.18.232.1
t_ok "attacker connects before the ban" connect 198.18.232.2 198.18.232.1
alert 198.18.232.2 | respond --ban-time 2s >"$T/ban.out" 2>"$T/ban.err"
t_grep "ban audited with backend iptables" '"kind":"ban","target":"198\.18\.232\.2","backend":"iptables".*"result":"applied"' "$T/ban.out"
t_ok "address in ipset ward4" bash -c "ip netns exec $V ipset list ward4 | grep -q '^198.18.232.2 timeout'"
t_ok "iptables rule matches the set" bash -c "ip netns exec $V iptables -S INPUT | grep -q 'match-set ward4 src -j DROP'"
t_ok "connection fails while banned" refused 198.18.232.2 198.18.232.1
t_ok "works again after the ban time" t_wait_for connect 198.18.232.2 198.18.232.1

# A second start must not duplicate the rules.
alert 2001:db8:232::2 | respond --ban-time 2s >"$T/v6.out" 2>/dev/null
t_eq "rules not duplicated by a restart" "$(ip netns exec $V iptables -S INPUT | grep -c 'match-set ward4')" 1
t_ok "IPv6 address in ipset ward6" bash -c "ip netns exec $V ipset list ward6 | grep -q '^2001:db8:232::2 timeout'"
t_ok "IPv6 connection fails" refused 2001:db8:232::2 2001:db8:232::1
t_ok "IPv6 works again after the ban time" t_wait_for connect 2001:db8:232::2 2001:db8:232::1

alert 198.18.232.2 | respond --ban-time 1h >/dev/null 2>&1
t_ok "long ban in place" refused 198.18.232.2 198.18.232.1
respond --unban 198.18.232.2 >"$T/unban.out" 2>/dev/null
t_grep "--unban audited" '"kind":"unban","target":"198\.18\.232\.2"' "$T/unban.out"
t_ok "connects after --unban" connect 198.18.232.2 198.18.232.1

# exec backend: argv template, run inside the namespace, no shell.
"$W/ward-respond" --netns $V --backend exec \
	--exec-ban 'iptables -w -I INPUT -s {target} -j DROP' \
	--exec-unban 'iptables -w -D INPUT -s {target} -j DROP' --ban-time 1s --linger \
	< <(alert 198.18.232.2) >"$T/exec.out" 2>"$T/exec.err"
t_grep "exec ban audited" '"kind":"ban","target":"198\.18\.232\.2","backend":"exec"' "$T/exec.out"
t_grep "exec unban on expiry while running" '"kind":"unban","target":"198\.18\.232\.2","backend":"exec".*"reason":"expired"' "$T/exec.out"
t_lacks "exec rule removed at expiry" "198\.18\.232\.2" ip netns exec "$V" iptables -S INPUT
t_status "partial placeholder refused at start" 64 "$W/ward-respond" --backend exec --exec-ban 'blocker --ip={addr}'
