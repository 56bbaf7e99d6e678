#!/usr/bin/env bash
# ward-respond without privileges: the dry run prints exactly what would be
# applied, refusals are audited, options are checked. Nothing is changed.
. "$(dirname "$0")/../lib.sh"

alert() { printf '{"fields":{"src_ip":"%s"},"alert":{"rule":"%s","state":"%s"}}\n' "$1" "${2:-R}" "${3:-firing}"; }

# The dry run's exact actions (nft, ipset, exec commands; ignored events;
# --any-event, --field; refusals; --max-bans; --allow-file) are golden cases
# (tests/cases/respond/); here what needs time, signals or a receiver.

# escalation: ban, expire, ban again doubles (same process, dry run)
{ alert 198.18.0.11; sleep 2.5; alert 198.18.0.11; } | "$W/ward-respond" -n --ban-time 1s >"$T/f.out" 2>/dev/null
t_grep "repeat offender: second ban twice as long" '"kind":"ban","target":"198\.18\.0\.11".*"ttl":"2s".*"offenses":2' "$T/f.out"
t_grep "expiry audited in between" '"kind":"unban","target":"198\.18\.0\.11".*"reason":"expired"' "$T/f.out"

# --list shows the time left as people read it: rounded to the second
alert 198.18.0.13 | "$W/ward-respond" --backend exec --exec-ban 'true {target}' --exec-unban 'true {target}' \
	--state "$T/list.j" --ban-time 5m >/dev/null 2>&1
sleep 1.3
"$W/ward-respond" --list --state "$T/list.j" >"$T/list.out" 2>/dev/null
t_grep "--list: time left rounded to the second" '"line":"ban 198\.18\.0\.13 for 4m5[89]s \(.*"ttl":"4m5[89]s"' "$T/list.out"

# --allow-file: one address/CIDR per line, # comments; errors name FILE:LINE;
# SIGHUP reloads it (a bad file keeps the previous list)
printf '# our networks\n198.18.7.0/24   # office\n\n  2001:db8:7::/48\n' >"$T/allow"
{ alert 198.18.7.9; alert 2001:db8:7::5; alert 198.18.8.1; } |
	"$W/ward-respond" -n --allow-file "$T/allow" -v >"$T/af.out" 2>"$T/af.err"
t_grep "-v lists the allowlist in force" 'allowlist: 198\.18\.7\.0/24 \(file\)' "$T/af.err"
t_status "--allow-file missing exits 78" 78 "$W/ward-respond" -n --allow-file "$T/nonexistent"
mkfifo "$T/hup.fifo"
printf '198.18.9.0/24\n' >"$T/allow.hup"
"$W/ward-respond" -n --allow-file "$T/allow.hup" <"$T/hup.fifo" >"$T/hup.out" 2>"$T/hup.err" &
rpid=$!
exec 7>"$T/hup.fifo"
alert 198.18.10.1 >&7
t_wait_for grep -q '"target":"198\.18\.10\.1"' "$T/hup.out"
printf '198.18.9.0/24\n198.18.10.0/24\n' >"$T/allow.hup"
kill -HUP "$rpid"
t_wait_for grep -q 'reloaded: 2 entries' "$T/hup.err"
alert 198.18.10.2 >&7
t_wait_for grep -q '"target":"198\.18\.10\.2"' "$T/hup.out"
t_grep "SIGHUP: reloaded file allowlists the new network" '"target":"198\.18\.10\.2".*"reason":"allowlisted' "$T/hup.out"
printf 'nonsense\n' >"$T/allow.hup"
kill -HUP "$rpid"
t_wait_for grep -q 'not reloaded' "$T/hup.err"
t_grep "SIGHUP with a bad file: error with file:line, previous list kept" 'not reloaded.*allow\.hup:1: not an address' "$T/hup.err"
alert 198.18.10.3 >&7
exec 7>&-
wait "$rpid"
t_eq "SIGHUP: ward-respond kept running and ended cleanly" "$?" 0
t_grep "... still with the previous list" '"target":"198\.18\.10\.3".*"reason":"allowlisted' "$T/hup.out"

t_status "bad backend" 64 "$W/ward-respond" --backend pf
t_status "bad v6 prefix" 64 "$W/ward-respond" --v6-prefix 48
t_status "bad allow" 64 "$W/ward-respond" --allow 10.0.0.0/33
t_status "bad netns name" 64 "$W/ward-respond" --netns ../etc
t_status "docker without container" 64 "$W/ward-respond" --backend docker
t_status "webhook scheme" 64 "$W/ward-respond" --webhook file:///etc/passwd
t_status "two admin commands" 64 "$W/ward-respond" --list --flush
t_status "--list without --state" 64 "$W/ward-respond" --list
t_ok "--help" "$W/ward-respond" --help
t_status "zero ban time: a bad option value like a negative one" 64 "$W/ward-respond" --ban-time 0
t_status "negative ban time" 64 "$W/ward-respond" --ban-time -5m
t_status "dry run: missing namespace is still an error" 69 "$W/ward-respond" --dry-run --netns "nosuch$$" </dev/null
t_status "missing namespace: firewall unavailable" 69 "$W/ward-respond" --netns "nosuch$$" </dev/null
t_grep "missing namespace: says why" "cannot enter network namespace nosuch$$" "$T/.out"

# webhook: a local receiver records the bodies (JSON, and Slack's form).
python3 - "$T/hook.txt" "$T/hook.port" <<'PY' &
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        with open(sys.argv[1], "ab") as f:
            f.write(body + b"\n")
        self.send_response(204)
        self.end_headers()
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(sys.argv[2], "w").write(str(s.server_port))
s.serve_forever()
PY
t_defer "kill $!"
t_wait_for test -s "$T/hook.port"
url="http://127.0.0.1:$(cat "$T/hook.port")/hook"
{ alert 198.18.2.1 HookRule; alert '$(id)' HookRule; } | "$W/ward-respond" -n --webhook "$url" >/dev/null 2>"$T/hook.err"
t_eq "one webhook call (refusals are not posted)" "$(wc -l <"$T/hook.txt")" 1
t_ok "webhook body is JSON with alert and action" python3 -c '
import json, sys
d = json.loads(open(sys.argv[1]).readline())
assert d["alert"]["alert"]["rule"] == "HookRule", d
assert d["action"]["action"]["kind"] == "ban" and d["action"]["action"]["target"] == "198.18.2.1", d' "$T/hook.txt"
: >"$T/hook.txt"
alert 198.18.2.2 | "$W/ward-respond" -n --webhook "$url" --slack >/dev/null 2>&1
t_grep "Slack body" '^\{"text":"ward: ban 198\.18\.2\.2 for 10m \(nftables, R, dry run\)"\}$' "$T/hook.txt"

# The detection canary end to end: a test login named ward-test-<random>
# goes through the bundled packs, fires SSHDetectionCanary (remediation
# "false"), and ward-respond counts it without banning; an ordinary burst
# of invalid users from the same address in the same file still bans.
{
	echo 'Jun 12 16:20:12 leto sshd-session[406147]: Invalid user ward-test-Q7f3kZ from 198.18.3.1 port 49916'
	for i in 1 2 3 4 5 6; do echo "Jun 12 16:21:0$i leto sshd[7]: Failed password for root from 198.18.3.2 port 4$i ssh2"; done
} >"$T/canary.log"
"$W/ward-ingest" -q --ts auto "$T/canary.log" | "$W/ward-match" -q --rules "$TOP/rules" |
	"$W/ward-window" -q --rules "$TOP/rules" --lateness 1d >"$T/canary.alerts"
t_grep "canary login fires SSHDetectionCanary" '"alertname":"SSHDetectionCanary".*"remediation":"false"' "$T/canary.alerts"
"$W/ward-respond" -n <"$T/canary.alerts" >"$T/canary.actions" 2>"$T/canary.err"
t_lacks "the canary's source is not banned" '"target":"198\.18\.3\.1"' cat "$T/canary.actions"
t_grep "the brute force beside it is" '"kind":"ban","target":"198\.18\.3\.2"' "$T/canary.actions"
t_eq "counted as not_remediated" "$(t_counter "$T/canary.err" not_remediated)" 1
