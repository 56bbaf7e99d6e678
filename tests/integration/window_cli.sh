#!/usr/bin/env bash
# ward-window over pipes: the anomaly warm-up, the key bound, arrival time,
# usage errors, firing with the input still open, option conflicts, -v.
# The exact alerts of the lifecycle (pending, firing after `for`, resolved,
# renotify), templates, series, distinct counting, anomalies, absent_over_time,
# and/unless/bool, and of each kind of bad input with its counters are in
# tests/cases/window/.
. "$(dirname "$0")/../lib.sh"
WW="$W/ward-window"

# E SECOND LINE FIELDS: one event at 2026-11-28T08:00:SS
E() { printf '{"ts":"2026-11-28T08:%02d:%02d.000000000Z","labels":{"job":"%s"},"line":"%s","fields":{%s}}\n' \
	$(($1 / 60)) $(($1 % 60)) "${4:-sshd}" "$2" "$3"; }
states() { grep -o '"ts":"[^"]*","labels":{[^}]*},"line":"[^ ]* [a-z]*' "$1" |
	sed -E 's/"ts":"2026-11-28T08:([0-9:]*)\.0*Z".*"line":"[^ ]* ([a-z]*)$/\2@\1/' | tr '\n' ' '; }

for s in 0 1 2 3 4 5 6; do E $s "fail $s" '"src_ip":"198.18.0.7"'; done >"$T/seven"

# volume anomaly: 30 minutes of ~5 events a minute; a burst during the
# warm-up does not fire (the burst after it: tests/cases/window/anomaly)
{ for m in $(seq 0 29); do for k in 0 1 2 3 $((m % 2 * 4)); do E $((m * 60 + k * 10)) ok '"host":"h1"'; done; done
  for k in $(seq 0 59); do E $((30 * 60 + k)) burst '"host":"h1"'; done
  E $((32 * 60)) ok '"host":"h1"'; } >"$T/vol"
head -n 60 "$T/vol" >"$T/vol_warm"
for k in $(seq 0 59); do E $((12 * 60 + k)) burst '"host":"h1"'; done >>"$T/vol_warm"
"$WW" --anomaly --by host --step 1m --warmup 20 <"$T/vol_warm" >"$T/out" 2>/dev/null
t_eq "anomaly: nothing during warm-up" "$(wc -l <"$T/out")" 0

# the key bound
for s in $(seq 0 99); do E 0 x "\"src_ip\":\"198.18.1.$s\""; done >"$T/many"
"$WW" --by src_ip --range 1m --threshold '> 5' --max-keys 10 <"$T/many" >/dev/null 2>"$T/err"
t_eq "max-keys: evictions counted" "$(t_counter "$T/err" evicted)" 90
t_eq "max-keys: never more keys than the bound" "$(t_counter "$T/err" keys_peak)" 10

# bad input: an event without ts counts at its arrival time with --arrival-time
{ echo '{"line":"no time","fields":{"src_ip":"198.18.0.7"}}'; } |
	"$WW" --arrival-time --by src_ip --range 10s --threshold '> 0' >"$T/out" 2>/dev/null
t_eq "--arrival-time: events without ts count" "$(grep -c '"state":"firing"' "$T/out")" 1

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
