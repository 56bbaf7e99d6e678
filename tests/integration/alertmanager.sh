#!/usr/bin/env bash
# ward-window --out alertmanager+http:// against Debian's real Alertmanager,
# started here on 127.0.0.1 with its own config and data directory: the
# alerts arrive with their labels, annotations and generatorURL, are grouped
# by the route's group_by, one is inhibited by the config's inhibit rule, and
# after ward-window resolves them Alertmanager notifies them resolved with an
# endsAt in the past (seen by a webhook receiver started here too).
. "$(dirname "$0")/../lib.sh"
WW="$W/ward-window"
AM=$(command -v prometheus-alertmanager || command -v alertmanager || true)
if [ -z "$AM" ]; then
	t_skip "all" "prometheus-alertmanager is not installed (make deps installs it)"
	exit 0
fi
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
AMP=$(free_port)
HOOKP=$(free_port)
AMURL="http://127.0.0.1:$AMP"

# The webhook receiver: appends every notification body as one line.
cat >"$T/hook.py" <<'EOF'
import http.server, json, sys
out = sys.argv[2]
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(out, "a") as f:
            f.write(json.dumps(json.loads(body)) + "\n")
        self.send_response(200); self.end_headers()
    def log_message(self, *a): pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
EOF
: >"$T/notes"
python3 "$T/hook.py" "$HOOKP" "$T/notes" &
t_defer "kill $!"

cat >"$T/am.yml" <<EOF
route:
  receiver: hook
  group_by: [alertname]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: hook
    webhook_configs:
      - url: http://127.0.0.1:$HOOKP/
        send_resolved: true
inhibit_rules:
  - source_matchers: ['alertname="Flood"']
    target_matchers: ['alertname="Brute"']
    equal: [src_ip]
EOF
mkdir -p "$T/amdata"
"$AM" --config.file="$T/am.yml" --storage.path="$T/amdata" \
	--web.listen-address="127.0.0.1:$AMP" --cluster.listen-address= --log.level=warn \
	>"$T/am.log" 2>&1 &
t_defer "kill $!"
for _ in $(seq 100); do curl -sf "$AMURL/-/ready" >/dev/null && break; sleep 0.1; done
if ! curl -sf "$AMURL/-/ready" >/dev/null; then
	t_fail "alertmanager starts" "$(tail -5 "$T/am.log")"
	exit 0
fi

# E SECOND IP: one failure event at 2026-11-28T08:00:SS
E() { printf '{"ts":"2026-11-28T08:00:%02d.000000000Z","labels":{"job":"sshd"},"line":"fail","fields":{"src_ip":"%s"}}\n' "$1" "$2"; }
X=198.18.0.7 Y=198.18.0.9
mkfifo "$T/in1" "$T/in2"
"$WW" -n Brute --by src_ip --range 10s --threshold '> 2' -l severity=warning \
	-a 'summary=brute force from {{ $labels.src_ip }}' \
	--out "alertmanager+$AMURL" -X 'alertmanager.generator_url=http://ward.example/rules?name={rule}' \
	-X alertmanager.resend_interval=2s <"$T/in1" >"$T/out1" 2>"$T/err1" &
P1=$!
"$WW" -n Flood --by src_ip --range 10s --threshold '> 4' -l severity=critical \
	--out "alertmanager+$AMURL" <"$T/in2" >"$T/out2" 2>"$T/err2" &
P2=$!
t_defer "kill $P1 $P2"
exec 7>"$T/in1" 8>"$T/in2"
for s in 0 1 2 3 4 5 6; do E $s $X; [ $s -le 3 ] && E $s $Y; done >"$T/events"
alerts() { curl -sf "$AMURL/api/v2/alerts?filter=alertname%3D%22$1%22"; }
# Flood first: these alerts started long ago (event time), so Alertmanager
# notifies a group at once instead of after group_wait, and an inhibiting
# alert must already be there.
cat "$T/events" >&8
for _ in $(seq 100); do
	[ "$(alerts Flood | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = 1 ] && break
	sleep 0.1
done
cat "$T/events" >&7
for _ in $(seq 100); do
	[ "$(alerts Brute | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = 2 ] &&
		[ "$(alerts Flood | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = 1 ] && break
	sleep 0.1
done
alerts Brute >"$T/brute.json"
curl -sf "$AMURL/api/v2/alerts/groups" >"$T/groups.json"

t_eq "both Brute alerts are in Alertmanager with their labels, annotations and generatorURL" \
	"$(python3 - "$T/brute.json" <<'EOF'
import json, sys
for a in sorted(json.load(open(sys.argv[1])), key=lambda a: a["labels"]["src_ip"]):
    print(json.dumps(a["labels"], sort_keys=True), a["annotations"]["summary"], a["generatorURL"], a["startsAt"][:19])
EOF
)" "{\"alertname\": \"Brute\", \"severity\": \"warning\", \"src_ip\": \"$X\"} brute force from $X http://ward.example/rules?name=Brute 2026-11-28T08:00:02
{\"alertname\": \"Brute\", \"severity\": \"warning\", \"src_ip\": \"$Y\"} brute force from $Y http://ward.example/rules?name=Brute 2026-11-28T08:00:02"

t_eq "a firing alert's endsAt lies ahead (4 x the resend interval)" \
	"$(python3 - "$T/brute.json" <<'EOF'
import json, sys, datetime
now = datetime.datetime.now(datetime.timezone.utc)
for a in json.load(open(sys.argv[1])):
    ends = datetime.datetime.fromisoformat(a["endsAt"][:19] + "+00:00")
    print(0 < (ends - now).total_seconds() <= 8.5)
EOF
)" "True
True"

t_eq "the inhibit rule: Flood on $X suppresses Brute on $X only" \
	"$(python3 - "$T/brute.json" <<'EOF'
import json, sys
for a in sorted(json.load(open(sys.argv[1])), key=lambda a: a["labels"]["src_ip"]):
    print(a["labels"]["src_ip"], a["status"]["state"], len(a["status"]["inhibitedBy"]))
EOF
)" "$X suppressed 1
$Y active 0"

t_eq "grouped by alertname as the route says" \
	"$(python3 - "$T/groups.json" <<'EOF'
import json, sys
for g in sorted(json.load(open(sys.argv[1])), key=lambda g: g["labels"]["alertname"]):
    print(json.dumps(g["labels"]), len(g["alerts"]))
EOF
)" '{"alertname": "Brute"} 2
{"alertname": "Flood"} 1'

# A resend keeps the alert alive past its first endsAt (resend 2s, endsAt 8s).
sleep 9
t_eq "re-sent while firing: still active after its first endsAt" \
	"$(alerts Brute | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" 2

# End of input: ward-window resolves every series and exits.
# Brute first: resolving Flood first would lift the inhibition while Brute
# on $X still fires, and Alertmanager would rightly notify it.
exec 7>&-
wait $P1
t_eq "ward-window exits 0 after delivering" "$?" 0
exec 8>&-
wait $P2
t_eq "no Brute alert left active" \
	"$(alerts Brute | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" 0
t_eq "counters: both alerts sent, the resolutions too" "$(t_counter "$T/err1" alertmanager_active) $([ "$(t_counter "$T/err1" alertmanager_sent)" -ge 4 ] && echo ok)" "0 ok"
for _ in $(seq 100); do grep -q '"resolved"' "$T/notes" && grep -q 'Flood' "$T/notes" && break; sleep 0.1; done
sleep 1.5
t_eq "notified resolved, endsAt = the resolution's event time (in the past); the inhibited alert was never notified firing" \
	"$(python3 - "$T/notes" <<'EOF'
import json, sys
seen = set()
for line in open(sys.argv[1]):
    n = json.loads(line)
    for a in n["alerts"]:
        seen.add((a["labels"]["alertname"], a["labels"]["src_ip"], a["status"], a["endsAt"][:19] if a["status"] == "resolved" else ""))
for s in sorted(seen):
    print(*s)
EOF
)" "Brute $X resolved 2026-11-28T08:00:14
Brute $Y firing 
Brute $Y resolved 2026-11-28T08:00:11
Flood $X firing 
Flood $X resolved 2026-11-28T08:00:12"
t_eq "counters: alerts sent, none dropped or skipped" \
	"$(t_counter "$T/err1" alertmanager_dropped) $(t_counter "$T/err1" alertmanager_skipped) $(t_counter "$T/err1" alertmanager_undelivered)" "0 0 0"

# Non-alert events are skipped and counted; Alertmanager down: the exit
# reports the undelivered changes.
printf '{"line":"plain"}\n{"line":"alert","alert":{"rule":"R","state":"pending"}}\n' |
	"$W/ward-match" '{job=~".*"} |= ""' --out "alertmanager+$AMURL" 2>"$T/err3" >/dev/null
t_eq "ward-match: non-alert and pending events skipped and counted" "$(t_counter "$T/err3" alertmanager_skipped)" 2
DOWN=$(free_port)
E 0 $X | sed 's/"fields"/"alert":{"rule":"R","state":"firing","key":{"src_ip":"1.2.3.4"}},"fields"/' |
	"$W/ward-match" '{job=~".*"}' --out "alertmanager+http://127.0.0.1:$DOWN" \
	-X alertmanager.drain_timeout=1s -X alertmanager.min_backoff=100ms >/dev/null 2>"$T/err4"
t_eq "Alertmanager unreachable: exit 74, the change counted undelivered, retries counted" \
	"$? $(t_counter "$T/err4" alertmanager_undelivered) $([ "$(t_counter "$T/err4" alertmanager_retries)" -ge 1 ] && echo retried)" "74 1 retried"
t_status "a bad setting is a config error (78)" 78 "$W/ward-match" '{job=~".*"}' \
	--out "alertmanager+$AMURL" -X alertmanager.nosuch=1 </dev/null
t_status "alertmanager is an output only (78)" 78 "$W/ward-match" '{job=~".*"}' \
	--in "alertmanager+$AMURL" </dev/null
