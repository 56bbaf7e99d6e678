#!/usr/bin/env bash
# The mail, ftp, db, firewall and services packs through the one detection
# chain (ward-ingest --ts auto | ward-match --rules | ward-window --rules) over a
# small log in the daemons' real formats: the attacking addresses are alerted
# by the rule meant for them, and the look-alikes are not (a count below the
# threshold, allowed firewall packets, a forged address inside a user name, a
# PostgreSQL DETAIL line, another program writing the same words).
# ISO times only, so nothing depends on today's date.
. "$(dirname "$0")/../lib.sh"

L=$T/services.log
ts() { printf '2026-03-01T10:%02d:%02d.000000+00:00' "$1" "$2"; }
{
	# Postfix SASL guessing: 6 failures in 1 minute from .1; 4 from .2 (below 5)
	for i in 1 2 3 4 5 6; do
		echo "$(ts 0 $i) mx1 postfix/submission/smtpd[100]: warning: unknown[198.18.1.1]: SASL LOGIN authentication failed: UGFzc3dvcmQ6, sasl_username=admin"
	done
	for i in 1 2 3 4; do
		echo "$(ts 0 $i) mx1 postfix/smtpd[101]: warning: unknown[198.18.1.2]: SASL PLAIN authentication failed: authentication failure"
	done
	# relay probing, twice
	for i in 10 20; do
		echo "$(ts 1 $i) mx1 postfix/smtpd[102]: NOQUEUE: reject: RCPT from unknown[198.18.2.1]: 454 4.7.1 <victim@example.org>: Relay access denied; from=<a@example.net> to=<victim@example.org> proto=ESMTP helo=<x>"
	done
	# Dovecot: 5 failures, each user name carrying a forged rip= for 192.0.2.99
	for i in 1 2 3 4 5; do
		echo "$(ts 2 $i) mail dovecot: imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<u$i, rip=192.0.2.99, lip=10.0.0.1>, method=PLAIN, rip=198.18.8.1, lip=10.0.0.1, TLS, session=<s$i>"
	done
	# not Dovecot: another program writing the same words
	for i in 1 2 3 4 5 6; do
		echo "$(ts 2 $i) mail myapp[9]: imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<x>, method=PLAIN, rip=192.0.2.98, lip=10.0.0.1"
	done
	# Pure-FTPd: 5 failures
	for i in 1 2 3 4 5; do
		echo "$(ts 4 $i) ftp2 pure-ftpd: (?@198.18.22.1) [WARNING] Authentication failed for user [root]"
	done
	# MySQL: 5 denied logins in the plain error log
	for i in 1 2 3 4 5; do
		echo "2026-03-01T10:05:0${i}.861934Z 34$i [Note] Access denied for user 'root'@'198.18.30.1' (using password: YES)"
	done
	# port scan: 16 ports dropped by ufw; 16 ports only audited (let through)
	for p in 21 22 23 25 53 80 110 143 443 445 993 995 1433 3306 3389 8080; do
		echo "$(ts 7 1) fw1 kernel: [1995.516358] [UFW BLOCK] IN=eth0 OUT= MAC=aa:bb SRC=198.18.40.1 DST=192.0.2.10 LEN=44 TOS=0x00 PREC=0x00 TTL=43 ID=1 PROTO=TCP SPT=52220 DPT=$p WINDOW=1024 RES=0x00 SYN URGP=0"
		echo "$(ts 7 1) fw1 kernel: [1995.516358] [UFW AUDIT] IN=lo OUT= MAC=00:00 SRC=127.0.0.1 DST=127.0.0.53 LEN=104 TOS=0x00 PREC=0x00 TTL=64 ID=2 DF PROTO=TCP SPT=50616 DPT=$p LEN=84"
	done
	# blocked but not probes (shapes seen in real ufw/iptables logs): a web server's
	# late ACK/FIN replies and a resolver's late DNS answers, each to 16 ephemeral
	# ports; a router's IGMP queries and mDNS to multicast groups
	for p in 50001 50002 50003 50004 50005 50006 50007 50008 50009 50010 50011 50012 50013 50014 50015 50016; do
		echo "$(ts 7 2) fw1 kernel: [1996.1] [UFW BLOCK] IN=eth0 OUT= MAC=00:15:5d:a4:41:08:34:60:f9:97:55:d5:08:00 SRC=198.18.40.2 DST=192.0.2.10 LEN=52 TOS=0x00 PREC=0x00 TTL=51 ID=3 DF PROTO=TCP SPT=443 DPT=$p WINDOW=502 RES=0x00 ACK FIN URGP=0 "
		echo "$(ts 7 2) fw1 kernel: [1996.2] iptables denied: IN=eth0 OUT= MAC=f2:3c:91:ae:bd:2b:c8:4c:75:f5:c4:ff:08:00 SRC=198.18.40.3 DST=192.0.2.10 LEN=72 TOS=0x00 PREC=0x00 TTL=63 ID=4 PROTO=UDP SPT=53 DPT=$p LEN=52 "
		echo "$(ts 7 2) fw1 kernel: [1996.3] [UFW BLOCK] IN=eth0 OUT= MAC=01:00:5e:00:00:fb:e0:1f:88:f4:26:45:08:00 SRC=198.18.40.4 DST=224.0.${p#500}.251 LEN=32 TOS=0x00 PREC=0xC0 TTL=1 ID=0 DF PROTO=UDP SPT=5353 DPT=$p LEN=12"
	done
	# Samba: 5 wrong passwords
	for i in 1 2 3 4 5; do
		echo "$(ts 8 $i) nas1 smbd[2725]: Auth: [SMB2,(null)] user [WG]\\[admin] at [Sun, 01 Mar 2026 10:08:0$i.030937 UTC] with [NTLMv2] status [NT_STATUS_WRONG_PASSWORD] workstation [kali] remote host [ipv4:198.18.50.1:62419] mapped to [WG]\\[admin]. local host [ipv4:10.1.1.1:445]"
	done
	# Samba again: the workstation name (the client's choice) stuffed with fake
	# "remote host" fields, long enough to exhaust a backtracking regex
	ws=$(for j in $(seq 60); do printf '%s' '] remote host [ipv4:192.0.2.97:1] mapped to [a]\[b]. local host [ipv4:10.1.1.1:445 '; done)
	for i in 1 2 3 4 5; do
		echo "$(ts 8 $((i + 10))) nas1 smbd[2725]: Auth: [SMB2,(null)] user [WG]\\[admin] at [Sun, 01 Mar 2026 10:08:1$i.030937 UTC] with [NTLMv2] status [NT_STATUS_WRONG_PASSWORD] workstation [$ws] remote host [ipv4:198.18.50.2:50001] mapped to [WG]\\[admin]. local host [ipv4:10.1.1.1:445]"
	done
	# WireGuard: 5 invalid handshakes
	for i in 1 2 3 4 5; do
		echo "$(ts 9 $i) vpn1 kernel: [82508.102168] wireguard: wg0: Invalid handshake initiation from 198.18.51.1:51820"
	done
	# Suricata eve.json (real records, times moved): a priority 1 policy alert
	# (Dropbox LAN sync), three ET POLICY priority 2 alerts from one client, and
	# a malware payload "from server" (the source is the remote end)
	echo '{"timestamp":"2026-03-01T10:09:20.453100+0000","event_type":"alert","src_ip":"10.16.1.193","src_port":17500,"dest_ip":"255.255.255.255","dest_port":18500,"proto":"UDP","alert":{"action":"allowed","gid":1,"signature_id":2012648,"rev":3,"signature":"ET POLICY Dropbox Client Broadcasting","category":"Potential Corporate Privacy Violation","severity":1}}'
	for i in 1 2 3; do
		echo '{"timestamp":"2026-03-01T10:09:2'$i'.863188+0000","flow_id":139635731853600,"event_type":"alert","src_ip":"192.168.11.11","src_port":59523,"dest_ip":"192.168.12.12","dest_port":443,"proto":"TCP","tx_id":0,"alert":{"action":"allowed","gid":1,"signature_id":2013926,"rev":8,"signature":"ET POLICY HTTP traffic on port 443 (POST)","category":"Potentially Bad Traffic","severity":2}}'
	done
	echo '{"timestamp":"2026-03-01T10:09:25.261057+0000","flow_id":726286645976969,"in_iface":"bond0","event_type":"alert","src_ip":"192.20.80.25","src_port":449,"dest_ip":"192.168.10.15","dest_port":50026,"proto":"TCP","alert":{"action":"allowed","gid":1,"signature_id":2025644,"rev":1,"signature":"ET MALWARE Possible Metasploit Payload Common Construct Bind_API (from server)","category":"A Network Trojan was detected","severity":1}}'
	# non-SMTP probe: one is enough
	echo "$(ts 9 30) mx1 postfix/smtpd[103]: warning: non-SMTP command from unknown[198.18.4.1]: GET / HTTP/1.1"
	# Asterisk toll-fraud scan: 5 calls to unrouted numbers; then 5 whose
	# client-chosen user holds a quote and a fake "(192.0.2.96:1)"
	for i in 1 2 3 4 5; do
		echo "$(ts 9 $((40 + i))) pbx asterisk[811]: NOTICE[900][C-0000000$i]: chan_sip.c:26100 in handle_request_invite: Call from '' (198.18.54.40:5060) to extension '0097259$i' rejected because extension not found in context 'default'."
		echo "$(ts 9 $((40 + i))) pbx asterisk[811]: NOTICE[900][C-0000001$i]: chan_sip.c:26100 in handle_request_invite: Call from 'x' (192.0.2.96:1) to extension 'y' (198.18.54.41:5060) to extension '00$i' rejected because extension not found in context 'default'."
	done
	# sendmail AUTH guessing, the user text holding a fake relay=[192.0.2.95]
	for i in 1 2 3 4 5; do
		echo "$(ts 9 $((50 + i))) mx5 sm-mta[811]: 06I02CNi01676$i: AUTH failure (LOGIN): authentication failure (-13) SASL(-13): authentication failure: checkpass failed, user=x, relay=[192.0.2.95], relay=[198.18.17.1]"
	done
	# Last, and latest: ward-ingest --ts auto may not read these two time layouts
	# yet (it then uses --now, later than every time above, so nothing is late).
	# ProFTPD SystemLog: 5 wrong passwords
	for i in 1 2 3 4 5; do
		echo "2026-03-01 10:10:0$i,399 ftp1 proftpd[4988] ftp1 (198.18.21.1[198.18.21.1]): USER seb (Login failed): Incorrect password"
	done
	# ... then the guesser gets in; another client only logs in
	echo "2026-03-01 10:10:09,001 ftp1 proftpd[4989] ftp1 (198.18.21.1[198.18.21.1]): USER seb: Login successful."
	echo "2026-03-01 10:10:09,002 ftp1 proftpd[4990] ftp1 (198.18.21.2[198.18.21.2]): USER ann: Login successful."
	# PostgreSQL (%h first): 5 different roles, each with its DETAIL line
	for u in zyrian zymotic zymogen zygote zebra; do
		echo "198.18.31.1 2026-03-01 10:11:01.425 UTC [5396] $u@postgres FATAL:  password authentication failed for user \"$u\""
		echo "198.18.31.1 2026-03-01 10:11:01.425 UTC [5396] $u@postgres DETAIL:  Role \"$u\" does not exist."
	done
} >"$L"

"$W/ward-ingest" -q --ts auto --label job=test --now 2026-03-02T00:00:00Z "$L" 2>"$T/err.ingest" |
	"$W/ward-match" --rules "$TOP/rules" 2>"$T/err.match" |
	"$W/ward-window" --rules "$TOP/rules" >"$T/alerts" 2>"$T/err.window"
t_eq "the chain exits 0" "$?" 0

# "SOURCE RULE" for every firing alert
python3 - "$T/alerts" >"$T/got" <<'PY'
import json, sys
seen = set()
for line in open(sys.argv[1]):
    try:
        a = json.loads(line).get("alert") or {}
    except ValueError:
        continue
    if a.get("state") == "firing":
        seen.add("%s %s" % (a["key"].get("src_ip"), a["rule"]))
print("\n".join(sorted(seen)))
PY

# Alerts expected; a source may also meet a second, slower rule of its
# service (listed), but no other source may appear.
cat >"$T/want" <<'EOF'
198.18.1.1 PostfixSASLBruteforce
198.18.17.1 SendmailAuthBruteforce
198.18.54.40 AsteriskCallScan
198.18.2.1 PostfixRelayAttempts
198.18.21.1 FTPLoginAfterBruteforce
198.18.21.1 ProFTPDBruteforce
198.18.22.1 PureFTPdBruteforce
198.18.30.1 MySQLBruteforce
198.18.31.1 PostgresBruteforce
198.18.31.1 PostgresUserEnumeration
198.18.4.1 PostfixNonSMTP
198.18.40.1 FirewallPortScan
198.18.50.1 SambaBruteforce
198.18.50.2 SambaBruteforce
198.18.51.1 WireGuardInvalidHandshakes
198.18.8.1 DovecotBruteforce
198.18.8.1 DovecotPasswordSpray
198.18.8.1 DovecotSlowBruteforce
192.20.80.25 IDSMalwareTraffic
EOF
sort -o "$T/want" "$T/want"
t_files_eq "alerted sources and rules are exactly the attacks" "$T/want" "$T/got"

t_eq "4 SASL failures (below 5 in 10m) do not alert" "$(grep -c '^198.18.1.2 ' "$T/got")" 0
t_eq "a forged rip= inside a Dovecot user name names nobody" "$(grep -c '^192.0.2.99 ' "$T/got")" 0
t_eq "Dovecot's words written by another program do not count" "$(grep -c '^192.0.2.98 ' "$T/got")" 0
t_eq "a stuffed Samba workstation name names nobody" "$(grep -c '^192.0.2.97 ' "$T/got")" 0
t_eq "a quote and a fake address in a SIP user name name nobody" "$(grep -c '^192.0.2.96 \|^198.18.54.41 ' "$T/got")" 0
t_eq "a fake relay= in a sendmail AUTH user names nobody" "$(grep -c '^192.0.2.95 ' "$T/got")" 0
t_eq "no regex gave up on a long line (PCRE2 match limit)" "$(grep -c 'regex_limit_hits":[1-9]' "$T/err.match")" 0
t_eq "ufw AUDIT lines (let through) are not a port scan" "$(grep -c '^127.0.0.1 ' "$T/got")" 0
t_eq "late TCP replies (ACK) to 16 ephemeral ports are not a port scan" "$(grep -c '^198.18.40.2 ' "$T/got")" 0
t_eq "late DNS answers to 16 ephemeral ports are not a port scan" "$(grep -c '^198.18.40.3 ' "$T/got")" 0
t_eq "multicast to 16 groups and ports is not a scan" "$(grep -c '^198.18.40.4 ' "$T/got")" 0
t_eq "a priority 1 policy alert (Dropbox broadcast) names no attacker" "$(grep -c '^10.16.1.193 ' "$T/got")" 0
t_eq "ET POLICY priority 2 alerts of a client are not reconnaissance" "$(grep -c '^192.168.11.11 ' "$T/got")" 0
t_grep "malware traffic names both ends and is not banned" \
	'"remediation":"false".*"rule":"IDSMalwareTraffic","state":"firing","key":\{"src_ip":"192.20.80.25","dest_ip":"192.168.10.15"\}' "$T/alerts"
t_grep "a port-scan alert counts distinct ports (16)" \
	'"rule":"FirewallPortScan","state":"firing","key":\{"src_ip":"198.18.40.1"\},"value":1[56]' "$T/alerts"
t_grep "PostgreSQL DETAIL lines are not counted (5 failures, not 10)" \
	'"rule":"PostgresBruteforce","state":"firing","key":\{"src_ip":"198.18.31.1"\},"value":5,' "$T/alerts"
t_grep "alerts carry the pack's labels" \
	'"alertname":"MySQLBruteforce","severity":"high","mitre_tactic":"credential-access","mitre_technique":"T1110.001"' "$T/alerts"

# every pack's embedded samples pass
for p in mail ftp db firewall services ids; do
	t_ok "ward-match --test rules/$p.yaml" "$W/ward-match" --test "$TOP/rules/$p.yaml"
done
