#!/usr/bin/env bash
# ward-respond with real nftables rules inside network namespaces: a victim
# runs a TCP service, an attacker connects; an alert for the attacker goes
# through ward-respond --netns; the connection then fails, and works again
# once the ban ran out. IPv6, /64 aggregation, the allowlist, the rate
# limit, hostile alert fields, restart from the journal and the admin
# commands, all against the real ruleset.
. "$(dirname "$0")/../lib.sh"
t_need_root || exit 0
command -v nft >/dev/null || { t_skip all "nft not installed"; exit 0; }

V=wrv$$ A=wra$$
ip netns add $V; t_defer "ip netns del $V"
ip netns add $A; t_defer "ip netns del $A"
ip link add wrv$$ type veth peer name wra$$
ip link set wrv$$ netns $V; ip link set wra$$ netns $A
ip -n $V link set lo up; ip -n $A link set lo up
ip -n $V addr add 198.18.231.1/24 dev wrv$$
ip -n $V addr add 2001:db8:231::1/64 dev wrv$$ nodad
ip -n $A addr add 198.18.231.2/24 dev wra$$
ip -n $A addr add 198.18.231.3/24 dev wra$$
ip -n $A addr add 2001:db8:231::2/64 dev wra$$ nodad
ip -n $A addr add 2001:db8:231::3/64 dev wra$$ nodad
ip -n $V link set wrv$$ up; ip -n $A link set wra$$ up

ip netns exec $V nc -lk 8080 </dev/null >/dev/null 2>&1 &
t_defer "kill $!"
ip netns exec $V nc -lk -6 8080 </dev/null >/dev/null 2>&1 &
t_defer "kill $!"

# connect FROM TO: one TCP connection from the attacker's address FROM.
connect() { ip netns exec $A nc -z -w 1 -s "$1" "$2" 8080 </dev/null >/dev/null 2>&1; }
refused() { ! connect "$@"; }
alert() { printf '{"v":1,"labels":{"job":"ward"},"fields":{"src_ip":"%s"},"alert":{"rule":"%s","state":"firing"}}\n' "$1" "${2:-TestRule}"; }
in_set() { ip netns exec $V nft list set inet ward "$1" 2>/dev/null | grep -q -- "$2"; }
respond() { "$W/ward-respond" --netns $V "$@"; }

t_wait_for connect 198.18.231.2 198.18.231.1
t_ok "attacker connects before the ban" connect 198.18.231.2 198.18.231.1

# --- IPv4 ban, drop, expiry ---
alert 198.18.231.2 SSHBruteForce | respond --ban-time 2s >"$T/ban.out" 2>"$T/ban.err"
t_eq "one audit event" "$(wc -l <"$T/ban.out")" 1
t_grep "ban event as in docs/events.md" '"action":\{"kind":"ban","target":"198\.18\.231\.2","backend":"nftables","ttl":"2s","until":"[0-9T:.-]+Z","result":"applied","rule":"SSHBruteForce","dry_run":false' "$T/ban.out"
t_ok "element in the victim's set" in_set ban4 198.18.231.2
t_ok "connection fails while banned" refused 198.18.231.2 198.18.231.1
t_ok "other address still connects" connect 198.18.231.3 198.18.231.1
t_lacks "host firewall untouched" "inet ward" nft list tables
t_ok "connection works again after the ban time" t_wait_for connect 198.18.231.2 198.18.231.1
t_lacks "element gone after the ban time" "198\.18\.231\.2" ip netns exec "$V" nft list set inet ward ban4

# --- IPv6, and /64 aggregation ---
alert 2001:db8:231::2 | respond --ban-time 2s >"$T/v6.out" 2>/dev/null
t_grep "IPv6 ban event" '"target":"2001:db8:231::2"' "$T/v6.out"
t_ok "IPv6 element in ban6" in_set ban6 2001:db8:231::2
t_ok "IPv6 connection fails" refused 2001:db8:231::2 2001:db8:231::1
t_ok "IPv6 works again after the ban time" t_wait_for connect 2001:db8:231::2 2001:db8:231::1
alert 2001:db8:231::2 | respond --ban-time 2s --v6-prefix 64 --no-default-allow --allow 127.0.0.0/8 >"$T/v64.out" 2>/dev/null
t_grep "/64 target" '"target":"2001:db8:231::/64"' "$T/v64.out"
t_ok "/64 element in ban6n" in_set ban6n 2001:db8:231::
t_ok "a neighbour in the /64 is dropped too" refused 2001:db8:231::3 2001:db8:231::1
t_ok "/64 ban runs out" t_wait_for connect 2001:db8:231::3 2001:db8:231::1
alert 2001:db8:231::2 | respond --ban-time 2s --v6-prefix 64 >"$T/v64own.out" 2>/dev/null
t_grep "/64 holding the victim's own address is refused" '"kind":"refuse".*"reason":"allowlisted"' "$T/v64own.out"

# --- allowlist ---
alert 198.18.231.2 | respond --ban-time 30s --allow 198.18.231.0/28 >"$T/allow.out" 2>/dev/null
t_grep "allowlisted address refused and audited" '"kind":"refuse","target":"198\.18\.231\.2".*"result":"refused","reason":"allowlisted"' "$T/allow.out"
t_ok "allowlisted address still connects" connect 198.18.231.2 198.18.231.1
alert 198.18.231.1 | respond --ban-time 30s >"$T/self.out" 2>/dev/null
t_grep "the victim's own address is never banned" '"kind":"refuse".*"reason":"allowlisted"' "$T/self.out"

# --- rate limit: 1 new ban per minute ---
{ alert 198.18.231.2; alert 198.18.231.3; } | respond --ban-time 2s --rate 1 >"$T/rate.out" 2>/dev/null
t_eq "first alert banned" "$(grep -c '"kind":"ban"' "$T/rate.out")" 1
t_grep "second refused by the rate limit" '"target":"198\.18\.231\.3".*"reason":"ban rate limit reached"' "$T/rate.out"
t_ok "rate-limited address still connects" connect 198.18.231.3 198.18.231.1
t_ok "rate test ban runs out" t_wait_for connect 198.18.231.2 198.18.231.1

# --- hostile alert fields: refused, audited, nothing applied ---
hostile=("1.2.3.4; rm -rf /" '$(id)' $'198.18.231.2\nflush ruleset' "$(head -c 300 /dev/zero | tr '\0' 7)" \
	"::ffff:198.18.231.2" "010.1.1.1" "198.18.231.2 " "198.18.231.2/24" "" "fe80::1%eth0")
for h in "${hostile[@]}"; do
	jq_h=$(python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$h")
	printf '{"fields":{"src_ip":%s},"alert":{"rule":"Evil","state":"firing"}}\n' "$jq_h"
done | respond --ban-time 30s >"$T/hostile.out" 2>"$T/hostile.err"
t_eq "every hostile field refused" "$(grep -c '"kind":"refuse"' "$T/hostile.out")" "${#hostile[@]}"
t_eq "no hostile field banned" "$(grep -c '"kind":"ban"' "$T/hostile.out")" 0
t_lacks "no element added by hostile fields" elements ip netns exec "$V" nft list set inet ward ban4
t_grep "the 300-byte value is cut in the audit event" '"value":"7{64}\.\.\."' "$T/hostile.out"
t_grep "the newline stays escaped" '"value":"198\.18\.231\.2\\nflush ruleset"' "$T/hostile.out"
t_ok "attacker still connects after hostile alerts" connect 198.18.231.2 198.18.231.1

# --- journal: restart re-applies, recreates missing rules; admin commands ---
J=$T/respond.journal
alert 198.18.231.2 | respond --ban-time 1h --state "$J" >"$T/j1.out" 2>/dev/null
t_grep "journal records the ban" '^ban 198\.18\.231\.2/32 [0-9]+ 1 TestRule$' "$J"
ip netns exec $V nft flush ruleset
t_lacks "ruleset wiped (as by a reboot)" ward ip netns exec "$V" nft list tables
respond --state "$J" </dev/null >"$T/j2.out" 2>/dev/null
t_grep "restart re-applies the ban" '"kind":"ban","target":"198\.18\.231\.2".*"source":"restore"' "$T/j2.out"
t_ok "element recreated after restart" in_set ban4 198.18.231.2
t_ok "connection fails after restart" refused 198.18.231.2 198.18.231.1
"$W/ward-respond" --list --state "$J" >"$T/list.out" 2>/dev/null
t_grep "--list shows the active ban" '"kind":"ban","target":"198\.18\.231\.2".*"result":"active"' "$T/list.out"
alert 198.18.231.2 | respond --ban-time 1h --state "$J" >"$T/j3.out" 2>/dev/null
t_grep "repeat alert extends with the journal's history" '"kind":"extend","target":"198\.18\.231\.2"' "$T/j3.out"
respond --unban 198.18.231.2 --state "$J" >"$T/unban.out" 2>/dev/null
t_grep "--unban audited" '"kind":"unban","target":"198\.18\.231\.2".*"source":"admin"' "$T/unban.out"
t_ok "connection works after --unban" connect 198.18.231.2 198.18.231.1
t_eq "--list empty after --unban" "$("$W/ward-respond" --list --state "$J" 2>/dev/null | wc -l)" 0
alert 198.18.231.2 | respond --ban-time 1h --state "$J" >/dev/null 2>&1
alert 2001:db8:231::2 | respond --ban-time 1h --state "$J" >/dev/null 2>&1
respond --flush --state "$J" >"$T/flush.out" 2>/dev/null
t_eq "--flush reports each ban removed" "$(grep -c '"kind":"unban"' "$T/flush.out")" 2
t_ok "IPv4 works after --flush" connect 198.18.231.2 198.18.231.1
t_ok "IPv6 works after --flush" connect 2001:db8:231::2 2001:db8:231::1

# expired while stopped: a ban whose time passed is not re-applied
alert 198.18.231.3 | respond --ban-time 1s --state "$J" >/dev/null 2>&1
t_ok "short ban runs out" t_wait_for connect 198.18.231.3 198.18.231.1
respond --state "$J" </dev/null >"$T/j4.out" 2>/dev/null
t_grep "expired ban removed at restart" '"kind":"unban","target":"198\.18\.231\.3".*"reason":"expired while stopped"' "$T/j4.out"
t_ok "expired ban not re-applied" connect 198.18.231.3 198.18.231.1

# A running ward-respond and an admin command on the same journal: the
# admin unban lifts the ban at once, and the daemon picks up the journal
# record (its next alert for that address is a new ban, not an extension).
J2=$T/daemon.journal
mkfifo "$T/in"
"$W/ward-respond" --netns $V --ban-time 1h --state "$J2" -v <"$T/in" >"$T/d.out" 2>"$T/d.err" &
dpid=$!
t_defer "kill $dpid"
exec 3>"$T/in"
alert 198.18.231.2 >&3
t_ok "daemon bans" t_wait_for in_set ban4 198.18.231.2
"$W/ward-respond" --netns $V --unban 198.18.231.2 --state "$J2" >"$T/admin.out" 2>/dev/null
t_ok "admin --unban while the daemon runs" connect 198.18.231.2 198.18.231.1
t_ok "daemon picks up the admin record" t_wait_for grep -q "records from another process" "$T/d.err"
alert 198.18.231.2 >&3
t_ok "daemon bans again" t_wait_for in_set ban4 198.18.231.2
# The namespace worker is restarted when it dies.
worker=$(pgrep -P $dpid | head -1)
t_ok "daemon has a namespace worker" test -n "$worker"
kill -9 $worker
alert 198.18.231.3 >&3
t_ok "ban after the worker was killed" t_wait_for in_set ban4 198.18.231.3
exec 3>&-
wait $dpid
t_eq "fresh bans, no extension" "$(grep -o '"kind":"[a-z]*"' "$T/d.out" | tr '\n' ' ')" '"kind":"ban" "kind":"ban" "kind":"ban" '
t_grep "journal holds the admin unban" '^unban 198\.18\.231\.2/32$' "$J2"
respond --flush --state "$J2" >/dev/null 2>&1

# A table inet ward that is not ours (a set without timeouts): no silent
# half-setup, the start fails with nftables' reason.
ip netns exec $V nft flush ruleset
ip netns exec $V nft 'add table inet ward; add set inet ward ban4 { type ipv4_addr; }'
t_status "conflicting ward table: exit 69" 69 respond </dev/null
t_grep "conflicting ward table: nftables says why" "nftables setup failed: .*File exists" "$T/.out"
