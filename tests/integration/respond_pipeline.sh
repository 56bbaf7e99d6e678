#!/usr/bin/env bash
# The whole live path into a real firewall: lines appended to a log file
# followed by ward-ingest -f | ward-match --rules rules/ssh.yaml |
# ward-window (more than 5 failures in 10s by src_ip) | ward-respond --netns.
# Every attacker (6 failures, IPv4 and IPv6, lines of several attackers
# interleaved) ends up in the namespace's set and is banned exactly once;
# no benign source (1 to 5 failures, logins) is. The latency of this path
# is measured by bench/respond_bench.sh, not here.
. "$(dirname "$0")/../lib.sh"
t_need_root || exit 0
command -v nft >/dev/null || { t_skip all "nft not installed"; exit 0; }

NS=wrp$$
ip netns add $NS; t_defer "ip netns del $NS"
ip -n $NS link set lo up
LOG=$T/auth.log
: >"$LOG"

# line ADDR PORT [TEXT]: one sshd line stamped now (UTC, as --ts syslog reads it).
line() {
	printf '%s web1 sshd[%d]: %s from %s port %d ssh2\n' "$(date -u '+%b %e %H:%M:%S')" \
		$(($2 % 1000)) "${3:-Failed password for root}" "$1" "$2" >>"$LOG"
}

# ingest gets its own PID (through a FIFO) so the test can stop it: it
# follows forever, and the other stages end at end of input.
mkfifo "$T/events"
"$W/ward-ingest" -q -f --label job=sshd --ts syslog "$LOG" >"$T/events" 2>"$T/ingest.err" &
INGEST_PID=$!
t_defer "kill $INGEST_PID"
"$W/ward-match" -q --rules "$TOP/rules/ssh.yaml" --rule SSHFailedPassword <"$T/events" 2>"$T/match.err" |
	"$W/ward-window" -q --select-rule SSHFailedPassword --name SSHBruteForce --by src_ip \
		--range 10s --threshold '> 5' 2>"$T/window.err" |
	"$W/ward-respond" --netns $NS --ban-time 10m --rate 0 --max-bans 0 \
		>"$T/audit.out" 2>"$T/respond.err" &
PIPE_PID=$!
t_defer "kill $PIPE_PID"

attackers=() benign=()
for i in $(seq 1 12); do attackers+=("198.18.240.$i"); done
attackers+=("2001:db8:240::7" "2001:db8:240::8")
for i in $(seq 1 10); do benign+=("192.0.2.$((100 + i))"); done

# Round k writes the k-th failure of every attacker (interleaved), and
# benign source j fails while k <= j % 5 (1 to 5 failures), then logs in.
for k in 1 2 3 4 5 6; do
	for a in "${attackers[@]}"; do line "$a" $((40000 + k)); done
	for j in "${!benign[@]}"; do
		[ "$k" -le $((j % 5 + 1)) ] && line "${benign[$j]}" $((50000 + k))
		[ "$k" = 6 ] && line "${benign[$j]}" 50009 "Accepted password for alice"
	done
	[ "$k" = 3 ] && sleep 0.2	# part of it arrives while ingest waits on the file
done

in_set() {
	local set=ban4
	case $1 in *:*) set=ban6 ;; esac
	ip netns exec $NS nft list set inet ward $set 2>/dev/null | grep -qwF -- "$1"
}
all_in_set() { local a; for a in "${attackers[@]}"; do in_set "$a" || return 1; done; }
t_ok "every attacker in the namespace's set" t_wait_for all_in_set

# Let the pipeline end, then read what ward-respond claimed.
kill -TERM $INGEST_PID
t_ok "pipeline ends when ingest stops" t_wait_for bash -c "! kill -0 $PIPE_PID"

bans_of() { grep -c "\"action\":{\"kind\":\"ban\",\"target\":\"$1\",[^}]*\"result\":\"applied\"" "$T/audit.out"; }
once=0
for a in "${attackers[@]}"; do
	[ "$(bans_of "$a")" = 1 ] && once=$((once + 1))
done
t_eq "each attacker banned exactly once (audit events)" "$once" "${#attackers[@]}"
t_eq "no other ban, extension or refusal" "$(grep -c '"action":' "$T/audit.out")" "${#attackers[@]}"
bad=""
for b in "${benign[@]}"; do
	in_set "$b" && bad="$bad $b"
	[ "$(bans_of "$b")" != 0 ] && bad="$bad $b(audit)"
done
t_eq "no benign source banned" "$bad" ""
t_eq "ward-respond reports no error" "$(t_counter "$T/respond.err" action_errors)" 0
