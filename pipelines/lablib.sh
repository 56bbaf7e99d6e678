# pipelines/lablib.sh - what the live labs (lab.sh, lab-docker.sh) share.
# Sourced; the caller defines say MESSAGE and in_a COMMAND... (runs in the
# attacker's namespace).

# ssh_bruteforce FROM VICTIM: one password per connection (sshpass gives up
# at the second prompt), until the connection itself fails (banned) or 30
# tries. Sets ssh_tries, ssh_rejected (answered by sshd), ssh_blocked
# (timed out: banned) and ssh_other.
ssh_bruteforce() {
	local from=$1 victim=$2 u pw err rc
	local users=(root admin oracle ubuntu test postgres root admin)
	local passwords=(123456 password admin root toor qwerty letmein changeme)
	ssh_tries=0 ssh_rejected=0 ssh_blocked=0 ssh_other=0
	say "SSH brute force from $from"
	while [ "$ssh_tries" -lt 30 ]; do
		u=${users[ssh_tries % ${#users[@]}]} pw=${passwords[ssh_tries % ${#passwords[@]}]}
		ssh_tries=$((ssh_tries + 1))
		err=$(in_a timeout 8 sshpass -p "$pw" ssh -b "$from" -o ConnectTimeout=2 -o StrictHostKeyChecking=no \
			-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o PubkeyAuthentication=no \
			-o PreferredAuthentications=password "$u@$victim" true 2>&1)
		rc=$?
		if [ "$rc" = 5 ]; then ssh_rejected=$((ssh_rejected + 1))
		elif [ "$rc" = 124 ] || [[ $err == *"timed out"* ]]; then ssh_blocked=$((ssh_blocked + 1)); break
		else ssh_other=$((ssh_other + 1)); say "  try $ssh_tries: sshpass status $rc: ${err//$'\n'/ }"
		fi
	done
	say "  $ssh_tries tries: $ssh_rejected wrong passwords answered by sshd, $ssh_blocked connection timed out or stalled (banned), $ssh_other other"
}

# sshd_config WHY ADDRESS HOSTKEY [PIDFILE]: the victim's sshd configuration
# on stdout: password logins only, no PAM, many attempts allowed per
# connection and many connections at once, so the brute force is what ward
# stops, not sshd's own limits.
sshd_config() {
	printf '# %s\nPort 22\nListenAddress %s\nHostKey %s\n' "$1" "$2" "$3"
	[ -n "${4:-}" ] && printf 'PidFile %s\n' "$4"
	printf '%s\n' "LogLevel INFO" "PasswordAuthentication yes" "KbdInteractiveAuthentication no" \
		"PubkeyAuthentication no" "UsePAM no" "MaxAuthTries 6" "MaxStartups 100" "LoginGraceTime 10" "PrintMotd no"
}
