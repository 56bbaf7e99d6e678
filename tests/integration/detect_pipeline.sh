#!/usr/bin/env bash
# pipelines/detect.pipeline: every pack's detection over logs named on the
# command line, as a user runs it on files they have. The logs are written
# here in the daemons' own formats (OpenSSH, nginx, Suricata eve.json), with
# attackers, benign look-alikes and forged lines that name a victim.
. "$(dirname "$0")/../lib.sh"
cd "$TOP" || exit 1
PATH="$W:$PATH"

auth="$T/auth.log"
{
	# brute force: 6 failures in 50 s from one address (fires SSHBruteForce)
	for i in 0 1 2 3 4 5; do
		printf 'Mar  3 10:00:%02d web1 sshd[%d]: Failed password for root from 198.51.100.7 port %d ssh2\n' \
			$((i * 10)) $((4000 + i)) $((50000 + i))
	done
	# a user who mistyped once, then logged in: no alert
	printf 'Mar  3 10:01:00 web1 sshd[4100]: Failed password for alice from 203.0.113.5 port 40000 ssh2\n'
	printf 'Mar  3 10:01:05 web1 sshd[4100]: Accepted password for alice from 203.0.113.5 port 40000 ssh2\n'
	# an application writing attacker-chosen text that looks like sshd: the
	# address it names (the gateway, say) must never be alerted on
	for i in 0 1 2 3 4 5 6 7; do
		printf 'Mar  3 10:02:%02d web1 myapp[77]: login failed for user sshd[1]: Failed password for root from 192.0.2.1 port 22 ssh2\n' $((i * 5))
	done
	# a user name that carries another address: such a line reads two ways
	# (sshd may append client text after "ssh2: "), so neither address is
	# taken (docs/rules.md, SSH)
	for i in 0 1 2 3 4 5; do
		printf 'Mar  3 10:03:%02d web1 sshd[%d]: Failed password for invalid user x from 192.0.2.1 port 22 ssh2 from 198.51.100.9 port %d ssh2\n' \
			$((i * 5)) $((4200 + i)) $((51000 + i))
	done
} >"$auth"
# A syslog time has no year: ward-ingest takes it from the file's mtime.
# Pin it, so these lines are in 2026 like the other logs whatever the day.
touch -d '2026-03-03 10:05:00 UTC' "$auth"

access="$T/access.log"
{
	# SQL injection probing: three distinct injected URIs
	printf '198.51.100.20 - - [03/Mar/2026:10:00:01 +0000] "GET /item?id=1%%27%%20OR%%20%%271%%27%%3D%%271 HTTP/1.1" 200 512 "-" "Mozilla/5.0"\n'
	printf '198.51.100.20 - - [03/Mar/2026:10:00:02 +0000] "GET /item?id=-1%%20UNION%%20SELECT%%201,2,3-- HTTP/1.1" 500 100 "-" "Mozilla/5.0"\n'
	printf '198.51.100.20 - - [03/Mar/2026:10:00:03 +0000] "GET /item?id=1%%20AND%%20sleep(5)%%23 HTTP/1.1" 200 512 "-" "Mozilla/5.0"\n'
	# a search for a book with an apostrophe and the word select: benign
	printf '203.0.113.8 - - [03/Mar/2026:10:00:04 +0000] "GET /search?q=O%%27Reilly+select+books HTTP/1.1" 200 900 "-" "Mozilla/5.0"\n'
	# the attacker address only in the referer of a benign client
	printf '203.0.113.9 - - [03/Mar/2026:10:00:05 +0000] "GET / HTTP/1.1" 200 900 "http://198.51.100.99/?id=1%%27%%20OR%%201=1--" "Mozilla/5.0"\n'
} >"$access"

eve="$T/eve.json"
printf '{"timestamp":"2026-03-03T10:00:06.000000+0000","event_type":"alert","src_ip":"198.51.100.30","src_port":4444,"dest_ip":"192.0.2.10","dest_port":80,"proto":"TCP","alert":{"action":"allowed","gid":1,"signature_id":2034125,"rev":4,"signature":"ET EXPLOIT Apache HTTP Server 2.4.49 - Path Traversal Attempt (CVE-2021-41773) M2","category":"Attempted Administrator Privilege Gain","severity":1}}\n' >"$eve"

ward-run pipelines/detect.pipeline "$auth" "$access" "$eve" >"$T/out" 2>"$T/err"
t_eq "detect.pipeline: exit 0" "$?" 0
alerted() {
	python3 -c '
import json, sys
srcs = set()
for l in open(sys.argv[1]):
    try:
        a = json.loads(l).get("alert") or {}
    except ValueError:
        continue
    if a.get("state") == "firing":
        srcs.add("%s:%s" % (a.get("rule"), (a.get("key") or {}).get("src_ip")))
print(" ".join(sorted(srcs)))' "$T/out"
}
got=$(alerted)
t_grep "SSH brute force alerted" "SSHBruteForce" <(echo "$got" | tr ' ' '\n' | grep -F ":198.51.100.7")
t_grep "SQL injection probing alerted" "WebSQLInjection:198\.51\.100\.20" <(echo "$got")
t_grep "Suricata priority 1 alert alerted" "IDSHighSeverityAlert:198\.51\.100\.30" <(echo "$got")
t_eq "no address a client chose is alerted (192.0.2.1 in a forged line or a user name, 198.51.100.99 in a referer)" \
	"$(echo "$got" | tr ' ' '\n' | grep -cE ':(192\.0\.2\.1|198\.51\.100\.99|198\.51\.100\.9)$')" "0"
t_eq "the benign clients are not alerted" "$(echo "$got" | tr ' ' '\n' | grep -cE ':203\.0\.113\.')" "0"
