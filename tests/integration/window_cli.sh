#!/usr/bin/env bash
# ward-window over pipes: lifecycle (pending, firing after `for`, resolved,
# renotify), templates, series, distinct counting, anomalies, the key bound,
# and every kind of bad input with its documented behaviour.
. "$(dirname "$0")/../lib.sh"
WW="$W/ward-window"

# E SECOND LINE FIELDS: one event at 2026-11-28T08:00:SS
E() { printf '{"ts":"2026-11-28T08:%02d:%02d.000000000Z","labels":{"job":"%s"},"line":"%s","fields":{%s}}\n' \
	$(($1 / 60)) $(($1 % 60)) "${4:-sshd}" "$2" "$3"; }
states() { grep -o '"ts":"[^"]*","labels":{[^}]*},"line":"[^ ]* [a-z]*' "$1" |
	sed -E 's/"ts":"2026-11-28T08:([0-9:]*)\.0*Z".*"line":"[^ ]* ([a-z]*)$/\2@\1/' | tr '\n' ' '; }

for s in 0 1 2 3 4 5 6; do E $s "fail $s" '"src_ip":"198.18.0.7"'; done >"$T/seven"

"$WW" --by src_ip --range 10s --threshold '> 2' --for 2s <"$T/seven" >"$T/out" 2>"$T/err"
t_eq "for: pending, firing at since+for, resolved when the count drops" \
	"$(states "$T/out")" "pending@00:02 firing@00:04 resolved@00:14 "
t_eq "counters: alerts" "$(t_counter "$T/err" alerts)" 3

"$WW" --by src_ip --range 10s --threshold '> 2' --renotify 3s <"$T/seven" >"$T/out" 2>/dev/null
t_eq "renotify every 3s while firing" \
	"$(states "$T/out")" "firing@00:02 firing@00:05 firing@00:08 firing@00:11 resolved@00:14 "
t_grep "renotifications are marked" '"renotify":true' "$T/out"

"$WW" -n Brute --by src_ip --range 10s --threshold '>= 7' -l severity=high \
	-a 'summary={{ $labels.src_ip }} failed {{ $value }} times ({{ $labels.nosuch }}|{{ .Value }}|{{ bogus }})' \
	--evidence 2 <"$T/seven" >"$T/out" 2>"$T/err"
t_grep "alert event per docs/events.md" \
	'^\{"v":1,"ts":"2026-11-28T08:00:06.000000000Z","labels":\{"job":"ward","alertname":"Brute","severity":"high"\},"line":"Brute firing src_ip=198.18.0.7 value=7 >= 7 over 10s","fields":\{"src_ip":"198.18.0.7"\},"alert":\{"rule":"Brute","state":"firing","key":\{"src_ip":"198.18.0.7"\},"value":7,"op":">=","threshold":7,"window":"10s","first":"2026-11-28T08:00:00.000000000Z","last":"2026-11-28T08:00:06.000000000Z","count":7,"evidence":\["fail 5","fail 6"\]' "$T/out"
t_grep "templates: \$labels, \$value, .Value; unknown kept verbatim" \
	'"summary":"198.18.0.7 failed 7 times \(\|7\|\{\{ bogus \}\}\)"' "$T/out"
t_eq "unknown template constructs are counted" "$(t_counter "$T/err" template_unknown)" 2

"$WW" --by src_ip --range 10s --threshold '> 5' --emit-series <"$T/seven" >"$T/out" 2>/dev/null
t_eq "series: one point per change (7 events, 7 expiries but the last empties)" \
	"$(grep -c '"series":{"rule":"window","value":[0-9]*,"threshold":5}' "$T/out")" 13

# distinct users per source (password spraying)
{ for s in 0 1 2; do E $s x "\"src_ip\":\"198.18.0.9\",\"user\":\"u$s\""; done
  for s in 0 1 2 3 4 5; do E $s x '"src_ip":"198.18.0.10","user":"root"'; done; } | sort >"$T/spray"
"$WW" -n Spray --by src_ip --distinct user --range 1m --threshold '> 2' <"$T/spray" >"$T/out" 2>/dev/null
t_eq "distinct: the sprayer, not the repeated single user" \
	"$(grep '"state":"firing"' "$T/out" | grep -o '"src_ip":"[^"]*"' | sort -u | tr '\n' ' ')" '"src_ip":"198.18.0.9" '
"$WW" 'count by (src_ip) (sum by (src_ip, user) (count_over_time({job="sshd"}[1m]))) > 2' \
	<"$T/spray" >"$T/out2" 2>/dev/null
t_eq "distinct as LogQL count by (g) (sum by (g, f) (...))" "$(states "$T/out2")" "$(states "$T/out")"

# volume anomaly: 30 minutes of ~5 events a minute, then 60 in one minute
{ for m in $(seq 0 29); do for k in 0 1 2 3 $((m % 2 * 4)); do E $((m * 60 + k * 10)) ok '"host":"h1"'; done; done
  for k in $(seq 0 59); do E $((30 * 60 + k)) burst '"host":"h1"'; done
  E $((32 * 60)) ok '"host":"h1"'; } >"$T/vol"
"$WW" --anomaly -n Volume --by host --step 1m --score 4 --warmup 10 <"$T/vol" >"$T/out" 2>/dev/null
t_eq "anomaly: fires on the burst minute only, resolves after" \
	"$(states "$T/out")" "firing@31:00 resolved@32:00 "
t_grep "anomaly alert carries score and baseline" '"value":60,"score":[0-9.]+,"baseline":[0-9.]+' "$T/out"
head -n 60 "$T/vol" >"$T/vol_warm"
for k in $(seq 0 59); do E $((12 * 60 + k)) burst '"host":"h1"'; done >>"$T/vol_warm"
"$WW" --anomaly --by host --step 1m --warmup 20 <"$T/vol_warm" >"$T/out" 2>/dev/null
t_eq "anomaly: nothing during warm-up" "$(wc -l <"$T/out")" 0

# absent_over_time: silence of job=cron for 5 s
{ E 0 tick "" cron; E 1 tick "" cron; E 20 other "" web; } >"$T/absent"
"$WW" -n Silent 'absent_over_time({job="cron"}[5s])' <"$T/absent" >"$T/out" 2>/dev/null
t_eq "absent_over_time fires when the window empties" "$(states "$T/out")" "firing@00:06 "

# the key bound
for s in $(seq 0 99); do E 0 x "\"src_ip\":\"198.18.1.$s\""; done >"$T/many"
"$WW" --by src_ip --range 1m --threshold '> 5' --max-keys 10 <"$T/many" >/dev/null 2>"$T/err"
t_eq "max-keys: evictions counted" "$(t_counter "$T/err" evicted)" 90
t_eq "max-keys: never more keys than the bound" "$(t_counter "$T/err" keys_peak)" 10

# bad input
{ echo '{"line":"no time","fields":{"src_ip":"198.18.0.7"}}'; echo 'not json'; cat "$T/seven"; } |
	"$WW" --by src_ip --range 10s --threshold '> 5' >"$T/out" 2>"$T/err"
t_eq "no ts: skipped and counted" "$(t_counter "$T/err" no_ts)" 1
t_eq "malformed: skipped and counted" "$(t_counter "$T/err" malformed)" 1
t_eq "the stream goes on after bad records" "$(grep -c '"state":"firing"' "$T/out")" 1
{ echo '{"line":"no time","fields":{"src_ip":"198.18.0.7"}}'; } |
	"$WW" --arrival-time --by src_ip --range 10s --threshold '> 0' >"$T/out" 2>/dev/null
t_eq "--arrival-time: events without ts count" "$(grep -c '"state":"firing"' "$T/out")" 1
{ E 10 x '"src_ip":"198.18.0.7"'; E 5 x '"src_ip":"198.18.0.7"'; E 9 x '"src_ip":"198.18.0.7"'; } >"$T/late"
"$WW" --by src_ip --range 10s --threshold '> 2' <"$T/late" >"$T/out" 2>"$T/err"
t_eq "out of order beyond the lateness: counted late" "$(t_counter "$T/err" late)" 2
"$WW" --by src_ip --range 10s --threshold '> 2' --lateness 5s <"$T/late" >"$T/out" 2>"$T/err"
t_eq "within --lateness: counted, in order" "$(t_counter "$T/err" late) $(states "$T/out")" "0 firing@00:10 resolved@00:15 "
{ E 0 x '"src_ip":"198.18.0.7"'; echo '{"ts":"2199-01-01T00:00:00Z","fields":{"src_ip":"198.18.0.7"}}'; E 1 x '"src_ip":"198.18.0.7"'; } |
	"$WW" --by src_ip --range 10s --threshold '> 1' >"$T/out" 2>"$T/err"
t_eq "far future: dropped and counted, later events still count" \
	"$(t_counter "$T/err" future) $(t_counter "$T/err" late) $(grep -c firing "$T/out")" "1 0 1"
"$WW" --by nosuch --range 10s --threshold '> 5' <"$T/seven" >"$T/out" 2>"$T/err"
t_eq "unknown label: grouped under \"\" and counted" \
	"$(t_counter "$T/err" key_missing) $(grep -c '"key":{"nosuch":""}' "$T/out")" "7 2"
{ E 0 x '"val":"3"'; E 1 x '"val":"abc"'; E 2 x '"val":"4"'; } |
	"$WW" --fn sum_over_time --unwrap val --range 10s --threshold '> 6' >"$T/out" 2>"$T/err"
t_eq "unwrap: bad values are __error__, counted and skipped" \
	"$(t_counter "$T/err" unwrap_errors) $(grep -o '"value":[0-9]*' "$T/out" | head -1)" '1 "value":7'
{ E 0 x '"took":"1.5s"'; E 1 x '"took":"250ms"'; } |
	"$WW" --fn max_over_time --unwrap 'duration(took)' --range 10s --threshold '> 1' >"$T/out" 2>/dev/null
t_grep "unwrap duration(): seconds" '"value":1.5' "$T/out"

# usage and configuration errors
t_status "unknown function: 64" 64 "$WW" --fn nosuch_over_time
t_status "--by with --without: 64" 64 "$WW" --by a --without b
t_status "bad threshold: 64" 64 "$WW" --threshold '=> 5'
t_status "[0s]: 78" 78 "$WW" 'count_over_time({job="a"}[0s]) > 1'
t_status "[100y]: 78" 78 "$WW" 'count_over_time({job="a"}[100y]) > 1'
t_status "--range 0s: 78" 78 "$WW" --range 0s
t_status "unsupported shape (vector()): 78" 78 "$WW" 'count_over_time({job="a"}[1m]) or vector(0)'
t_status "a log query alone: 78" 78 "$WW" '{job="a"}'
t_status "syntax error: 78" 78 "$WW" 'sum by (a (count_over_time({job="a"}[1m]))'
t_status "two queries: 64" 64 "$WW" 'count_over_time({a="b"}[1m])' 'count_over_time({a="b"}[1m])'

# and/or/unless between two rules, through ward-match (rule_part) and as a query
{ for s in 0 1 2 3 4; do E $s "sshd[1]: Failed password for root from 198.18.0.1 port 22 ssh2" ""; done
  for s in 0 1 2 3 4; do E $s "sshd[2]: Failed password for bob from 198.18.0.2 port 22 ssh2" ""; done
  E 3 "sshd[2]: Accepted password for bob from 198.18.0.2 port 22 ssh2" ""; } | sort >"$T/mixed"
cat >"$T/unless.yaml" <<'YAML'
groups:
  - name: ssh
    rules:
      - alert: BruteNoSuccess
        expr: |
          sum by (src_ip) (count_over_time({job="sshd"} |= "Failed password" | regexp `from (?P<src_ip>\S+) port` [1m])) > 3
          unless
          sum by (src_ip) (count_over_time({job="sshd"} |= "Accepted" | regexp `from (?P<src_ip>\S+) port` [1m])) > 0
YAML
"$W/ward-match" -q --rules "$T/unless.yaml" <"$T/mixed" 2>/dev/null | "$WW" --rules "$T/unless.yaml" >"$T/out" 2>/dev/null
t_eq "unless via --rules: the address that also logged in is spared" \
	"$(grep '"state":"firing"' "$T/out" | grep -o '"src_ip":"[^"]*"' | sort -u | tr '\n' ' ')" '"src_ip":"198.18.0.1" '
"$WW" 'sum by (src_ip) (count_over_time({job="sshd"} |= "Failed password" | regexp `from (?P<src_ip>\S+) port` [1m])) > 3 and sum by (src_ip) (count_over_time({job="sshd"} |= "Accepted" | regexp `from (?P<src_ip>\S+) port` [1m])) > 0' \
	<"$T/mixed" >"$T/out" 2>/dev/null
t_eq "and as a query: brute force followed by a login" "$(states "$T/out")" "firing@00:03 resolved@01:01 "
"$WW" 'sum by (src_ip) (count_over_time({job="sshd"} |= "Failed" | regexp `from (?P<src_ip>\S+) port` [1m])) > bool 4' \
	--emit-series <"$T/mixed" >"$T/out" 2>/dev/null
t_grep "bool: series values are 0 or 1" '"series":\{"rule":"window","value":1,"threshold":4\}' "$T/out"

# Firing at once: the 6th failure is judged as it arrives, with the input
# still open and no idle flush (no later event has moved the watermark).
mkfifo "$T/live_in"
"$WW" --idle 0 --by src_ip --range 10s --threshold '> 5' <"$T/live_in" >"$T/live_out" 2>/dev/null &
live_pid=$!
t_defer "kill $live_pid"
exec 3>"$T/live_in"
head -n 6 "$T/seven" >&3
if t_wait_for grep -q '"state":"firing"' "$T/live_out"; then
	t_pass "live: the crossing event fires before the input ends"
else
	t_fail "live: the crossing event fires before the input ends" "no alert while input is open"
fi
exec 3>&-
wait "$live_pid"
t_eq "live: one firing, then resolved at the end" "$(states "$T/live_out")" "firing@00:05 resolved@00:10 "

# ---- an option that shapes the rule conflicts with a QUERY or --rules: usage error ----
t_status "--threshold with a QUERY that has one: exit 64, not ignored" 64 \
	"$W/ward-window" --threshold '> 100' 'sum by (src_ip) (count_over_time({job="x"}[10s])) > 5'
t_grep "the message names the option" "option --threshold: the QUERY already defines the rule" "$T/.out"
t_status "--by with --rules: exit 64" 64 "$W/ward-window" --by src_ip --rules "$TOP/rules/ssh.yaml"
t_status "--for with a QUERY is allowed (it is not in the query)" 0 \
	"$W/ward-window" --for 1m 'sum by (src_ip) (count_over_time({job="x"}[10s])) > 5' </dev/null

# -v: the metric rules loaded, and the watermarks as they move (debug)
ev() { printf '{"v":1,"ts":"2026-11-28T08:00:%02d.000000000Z","labels":{"filename":"%s"},"line":"x","fields":{"src_ip":"198.18.0.1"}}\n' "$1" "$2"; }
{ ev 1 a; ev 2 b; sleep 1.3; ev 3 a; ev 4 b; sleep 1.3; } |
	"$W/ward-window" -v --rules "$TOP/rules/ssh.yaml" 2>"$T/v.err" >/dev/null
t_grep "-v: how many metric rules" "debug: [0-9]+ metric rules to evaluate" "$T/v.err"
t_grep "-v: each rule with its range and grouping" "debug: rule SSHBruteForce: range [0-9]+[smh], by src_ip" "$T/v.err"
t_grep "-v: the watermark and each source's latest time" \
	"debug: watermark 2026-11-28T08:00:0.*filename=a latest .*filename=b latest" "$T/v.err"
"$W/ward-window" --rules "$TOP/rules/ssh.yaml" </dev/null 2>"$T/nv.err" >/dev/null
t_eq "without -v: no debug lines" "$(grep -c debug "$T/nv.err")" 0
