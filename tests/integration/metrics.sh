#!/usr/bin/env bash
# --metrics: a running stage, and ward-run for all its stages, scraped by
# Debian's real Prometheus started here on 127.0.0.1: the values Prometheus
# stores equal the stages' exit counters lines. Also the listener's answers
# to what is not GET /metrics.
. "$(dirname "$0")/../lib.sh"
PROM=$(command -v prometheus || true)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
SP=$(free_port) RP=$(free_port) PP=$(free_port)

cat >"$T/rules.yaml" <<'EOF'
groups:
  - name: t
    rules:
      - alert: Fail
        expr: '{job="sshd"} |= "fail" | regexp `from (?P<src_ip>\S+)`'
EOF
# A bare stage: ward-match fed through a FIFO so it keeps running.
mkfifo "$T/in1" "$T/in2"
"$W/ward-match" --metrics "127.0.0.1:$SP" --rules "$T/rules.yaml" <"$T/in1" >"$T/out1" 2>"$T/err1" &
P1=$!
# A pipeline under ward-run: match -> match (nothing that drains at the end
# of input: the last scrape and the exit lines must agree).
cat >"$T/p.pipeline" <<EOF
ward-match --rules $T/rules.yaml
ward-match '{job="sshd"}'
EOF
"$W/ward-run" --metrics "127.0.0.1:$RP" "$T/p.pipeline" <"$T/in2" >"$T/out2" 2>"$T/err2" &
P2=$!
t_defer "kill $P1 $P2"
exec 7>"$T/in1" 8>"$T/in2"
for s in 0 1 2 3 4 5; do
	printf '{"ts":"2026-11-28T08:00:%02d.000000000Z","labels":{"job":"sshd"},"line":"fail from 198.18.0.%d"}\n' $s $((s % 2))
done >"$T/events"
printf '{"ts":"2026-11-28T08:00:07Z","labels":{"job":"sshd"},"line":"ok"}\nnot json\n' >>"$T/events"
cat "$T/events" >&7
cat "$T/events" >&8
for _ in $(seq 100); do [ "$(wc -l <"$T/out1")" = 6 ] && break; sleep 0.05; done

# The listener itself (no Prometheus needed).
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$SP/metrics" >"$T/m1" && break; sleep 0.05; done
t_grep "GET /metrics: exposition with the stage label" '^ward_events_in_total\{stage="match"\} 8$' "$T/m1"
t_grep "events out" '^ward_events_out_total\{stage="match"\} 6$' "$T/m1"
t_grep "per-rule counts" '^ward_rule_events_total\{stage="match",rule="Fail"\} 6$' "$T/m1"
t_grep "malformed" '^ward_events_malformed_total\{stage="match"\} 1$' "$T/m1"
t_eq "other paths: 404" "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$SP/")" 404
t_eq "other methods: 405" "$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$SP/metrics")" 405
t_eq "not HTTP: 400" "$(printf 'hello\r\n\r\n' | nc -q 2 127.0.0.1 "$SP" | head -1 | tr -d '\r')" "HTTP/1.1 400 Bad Request"
t_eq "a request over 8 KiB: 400" \
	"$(curl -s -o /dev/null -w '%{http_code}' -H "X-Big: $(head -c 9000 /dev/zero | tr '\0' a)" "http://127.0.0.1:$SP/metrics")" 400
# A client that connects and says nothing is dropped after 2 s and does not
# stop the next scrape for longer.
python3 -c 'import socket,time; s=socket.create_connection(("127.0.0.1",'"$SP"')); time.sleep(4)' 7>&- 8>&- &
SLOW=$!
sleep 0.2
t0=$(date +%s%N)
curl -sf -m 5 "http://127.0.0.1:$SP/metrics" >/dev/null
t_ok "a silent client delays a scrape by 2 s at most" test $((($(date +%s%N) - t0) / 1000000)) -lt 2600
kill $SLOW 2>/dev/null; wait $SLOW 2>/dev/null

# ward-respond: bans in place as a gauge.
RSP=$(free_port)
mkfifo "$T/in3"
"$W/ward-respond" --dry-run --metrics "127.0.0.1:$RSP" <"$T/in3" >/dev/null 2>"$T/err3" 7>&- 8>&- &
P3=$!
t_defer "kill $P3"
exec 9>"$T/in3"
for ip in 198.51.100.7 198.51.100.8; do
	printf '{"ts":"2026-11-28T08:00:00Z","line":"x","fields":{"src_ip":"%s"},"alert":{"rule":"R","state":"firing","key":{"src_ip":"%s"}}}\n' $ip $ip
done >&9
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$RSP/metrics" >"$T/m3" && grep -q '^ward_bans_total{stage="respond"} 2$' "$T/m3" && break; sleep 0.05; done
t_grep "ward-respond: bans_active is a gauge of bans in place" '^ward_bans_active\{stage="respond"\} 2$' "$T/m3"
exec 9>&-
wait $P3

if [ -z "$PROM" ]; then
	t_skip "scraped by Prometheus" "prometheus is not installed (make deps installs it)"
	exit 0
fi
cat >"$T/prom.yml" <<EOF
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: stage
    static_configs: [{targets: ["127.0.0.1:$SP"]}]
  - job_name: run
    static_configs: [{targets: ["127.0.0.1:$RP"]}]
EOF
"$PROM" --config.file="$T/prom.yml" --storage.tsdb.path="$T/prom" \
	--web.listen-address="127.0.0.1:$PP" --log.level=warn >"$T/prom.log" 2>&1 7>&- 8>&- &
t_defer "kill $!"
q() { curl -sf --data-urlencode "query=$1" "http://127.0.0.1:$PP/api/v1/query"; }
# Wait until both targets were scraped with the whole input counted.
for _ in $(seq 300); do
	# 8 records into the bare stage and the first stage, 6 into the second
	[ "$(q 'sum(ward_events_in_total)' | python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else 0)' 2>/dev/null)" = 22 ] && break
	sleep 0.1
done
q '{__name__=~"ward_.*"}' >"$T/scraped.json"
q 'ward_rule_events_total{job="run"}' >"$T/rules.json"
exec 7>&- 8>&-
wait $P1
wait $P2

# name of the metric for each key of a counters line (docs/alertmanager.md)
cat >"$T/cmp.py" <<'EOF'
import json, sys
GAUGES = {"keys", "keys_peak", "kafka_lag", "kafka_unacked", "bans_active", "alertmanager_active"}
BASE = {"in": "ward_events_in_total", "out": "ward_events_out_total",
        "dropped": "ward_events_dropped_total", "malformed": "ward_events_malformed_total",
        "oversized": "ward_records_oversized_total", "errors": "ward_errors_total"}
def name(k):
    return BASE.get(k) or ("ward_" + k + ("" if k in GAUGES else "_total"))
scraped = {}
for r in json.load(open(sys.argv[1]))["data"]["result"]:
    m = r["metric"]
    scraped[(m["job"], m.get("step", ""), m["__name__"])] = r["value"][1]
def compare(job, step, counters):
    bad = []
    for k, v in counters.items():
        if k == "stage":
            continue
        got = scraped.get((job, step, name(k)))
        if got != str(v):
            bad.append(f"{job}/{step}/{name(k)}: scraped {got}, exit {v}")
    return bad
bad = []
for line in open(sys.argv[2]):
    if line.startswith('{"stage":"match"'):
        bad += compare("stage", "", json.loads(line))
n = 0
for line in open(sys.argv[3]):
    if line.startswith('{"stage":"run"'):
        for i, st in enumerate(json.loads(line)["stages"]):
            bad += compare("run", str(i + 1), st["counters"])
            n += 1
print("\n".join(bad) if bad else f"equal ({n} stages under ward-run)")
EOF
t_eq "Prometheus scraped what the exit counters lines say (stage, and ward-run's 2 stages)" \
	"$(python3 "$T/cmp.py" "$T/scraped.json" "$T/err1" "$T/err2")" "equal (2 stages under ward-run)"
t_eq "ward_run_stage_up for both stages" \
	"$(python3 -c '
import json,sys
for r in sorted(json.load(open(sys.argv[1]))["data"]["result"], key=lambda r: r["metric"].get("step","")):
    if r["metric"]["__name__"] == "ward_run_stage_up": print(r["metric"]["program"], r["value"][1])' "$T/scraped.json")" \
	"ward-match 1
ward-match 1"
t_eq "per-rule counts scraped through ward-run" \
	"$(python3 -c 'import json,sys; print([(r["metric"]["step"], r["metric"]["rule"], r["value"][1]) for r in json.load(open(sys.argv[1]))["data"]["result"]])' "$T/rules.json")" \
	"[('1', 'Fail', '6'), ('2', 'Fail', '6')]"
t_ok "ward-run removed its private socket directory" test -z "$(grep -o '/ward-run\.[A-Za-z0-9]*' "$T/err2" | while read -r d; do [ -e "$d" ] && echo "$d"; done)"
