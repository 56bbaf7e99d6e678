#!/usr/bin/env bash
# ward-window over pipes: arithmetic (per key, exact) and aggregations across
# keys (avg, stddev, topk, count of series ...) evaluated at --eval-interval
# steps of event time. Expected states worked out by hand from LogQL /
# Prometheus semantics: the value at step s covers the events in (s - range, s].
. "$(dirname "$0")/../lib.sh"
WW="$W/ward-window"

# E SECOND LINE FIELDS: one event at 2026-11-28T08:00:SS
E() { printf '{"ts":"2026-11-28T08:%02d:%02d.000000000Z","labels":{"job":"sshd"},"line":"%s","fields":{%s}}\n' \
	$(($1 / 60)) $(($1 % 60)) "$2" "$3"; }
# "state key@mm:ss ..." of the alerts in a file, by time (alerts of one
# instant come in no particular order)
states() { sed -nE 's/.*"ts":"2026-11-28T08:([0-9:]*)\.0*Z".*"alert":\{"rule":"[^"]*","state":"([a-z]*)","key":\{([^}]*)\}.*/\1 \2 \3/p' "$1" |
	sed -E 's/"[a-z_]*":"([^"]*)"/\1/g' | sort | sed -E 's/^([^ ]*) ([^ ]*) ?(.*)$/\2 \3@\1/' | tr '\n' ' '; }

A='"src_ip":"198.18.0.1","host":"h1"'
B='"src_ip":"198.18.0.2","host":"h2"'
C='"src_ip":"198.18.0.3","host":"h1"'
{ for s in 0 1 2 3 4; do E $s "Failed password" "$A"; done
  E 0 "Accepted" "$B"; E 1 "Failed password" "$B"; E 2 "Accepted" "$B"; E 3 "Accepted" "$B"
  for s in 10 11 12; do E $s "Failed password" "$C"; done; } | sort -s -t'"' -k4,4 >"$T/ev"

# vector / vector, per key and exact: the share of failures among the lines
# of each source in 10 s. 198.18.0.1 fails every time (1 > 0.5 from its first
# line until its window empties at 4 + 10 s); 198.18.0.2 peaks at 1/2, not
# above; 198.18.0.3 only fails, 10 s after its first line its window empties.
"$WW" 'sum by (src_ip) (count_over_time({job="sshd"} |= "Failed" [10s]))
       / sum by (src_ip) (count_over_time({job="sshd"}[10s])) > 0.5' <"$T/ev" >"$T/out" 2>"$T/err"
t_eq "A / B per key: failure share above one half" "$(states "$T/out")" \
	"firing 198.18.0.1@00:00 firing 198.18.0.3@00:10 resolved 198.18.0.1@00:14 resolved 198.18.0.3@00:22 "
t_grep "A / B: value is the ratio" '"state":"firing","key":\{"src_ip":"198.18.0.1"\},"value":1,"op":">","threshold":0.5' "$T/out"

# scalar arithmetic: rate * 60 is per minute; 4 lines in 10 s = 24/min > 20
"$WW" 'sum by (src_ip) (rate({job="sshd"} |= "Failed" [10s])) * 60 > 20' <"$T/ev" >"$T/out" 2>/dev/null
t_eq "rate * 60 > 20: 4 failures in 10 s" "$(states "$T/out")" "firing 198.18.0.1@00:03 resolved 198.18.0.1@00:11 "
t_grep "rate * 60: value per minute" '"value":24,"op":">","threshold":20' "$T/out"

# topk at 5 s steps: step 5 (-5,5]: .1 has 5; step 10 (0,10]: .1 4, .3 1;
# step 15 (5,15]: .3 3, .1 gone; step 20 (10,20]: .3 2
"$WW" --eval-interval 5s 'topk(1, sum by (src_ip) (count_over_time({job="sshd"} |= "Failed" [10s]))) > 2' \
	<"$T/ev" >"$T/out" 2>"$T/err"
t_eq "topk(1, ...) > 2 at 5 s steps: the leader alerts per series" "$(states "$T/out")" \
	"firing 198.18.0.1@00:05 firing 198.18.0.3@00:15 resolved 198.18.0.1@00:15 resolved 198.18.0.3@00:20 "
t_eq "topk: keys freed at the end" "$(t_counter "$T/err" keys)" 0

# avg by (host) across sources: h1 = {.1, .3}: 5 at step 5, (4 + 1) / 2 at
# step 10, 3 at step 15, 2 at step 20
"$WW" --eval-interval 5s 'avg by (host) (sum by (host, src_ip) (count_over_time({job="sshd"} |= "Failed" [10s]))) >= 3' \
	<"$T/ev" >"$T/out" 2>/dev/null
t_eq "avg by (host) >= 3: the average across sources" "$(states "$T/out")" \
	"firing h1@00:05 resolved h1@00:10 firing h1@00:15 resolved h1@00:20 "

# stddev across sources, as series: at step 10 the counts are .1 4, .2 1, .3 1
"$WW" --eval-interval 5s --emit-series 'stddev(sum by (src_ip) (count_over_time({job="sshd"} |= "Failed" [10s])))' \
	<"$T/ev" >"$T/out" 2>/dev/null
t_grep "stddev: population, sqrt(2) at step 10" \
	'"ts":"2026-11-28T08:00:10.000000000Z".*"series":\{"rule":"window","value":1.414213562' "$T/out"

# count of series of any shape: rate() keeps every label, so one series per
# source; failing sources: .1 and .2 at step 5, all three at step 10, .3
# alone at step 15
"$WW" --eval-interval 5s 'count(rate({job="sshd"} |= "Failed" [10s])) > 1' <"$T/ev" >"$T/out" 2>/dev/null
t_eq "count(rate(...)) > 1" "$(states "$T/out")" "firing @00:05 resolved @00:15 "

# a comparison inside: how many sources fail at all (2 at step 5, 3 at step
# 10, 1 at steps 15 and 20), alert from two on
"$WW" --eval-interval 5s 'count(sum by (src_ip) (count_over_time({job="sshd"} |= "Failed" [10s])) > 0) >= 2' \
	<"$T/ev" >"$T/out" 2>/dev/null
t_eq "count(X > 0) >= 2: sources above a threshold, counted" "$(states "$T/out")" "firing @00:05 resolved @00:15 "

# bottomk by (host) and sort_desc keep their series' labels
"$WW" --eval-interval 5s 'bottomk by (host) (1, sum by (host, src_ip) (count_over_time({job="sshd"}[10s])))' \
	<"$T/ev" >"$T/out" 2>/dev/null
t_grep "bottomk by (host): the smallest source of h1 at step 10" \
	'"ts":"2026-11-28T08:00:10.000000000Z".*"state":"firing","key":\{"host":"h1","src_ip":"198.18.0.3"\},"value":1' "$T/out"

# a ruler file: the group's interval is the evaluation step
cat >"$T/top.yaml" <<'YAML'
groups:
  - name: ssh
    interval: 5s
    rules:
      - alert: TopFailer
        expr: topk(1, sum by (src_ip) (count_over_time({job="sshd"} |= "Failed" | regexp `(?P<x>Failed)` [10s]))) > 2
        labels:
          severity: high
YAML
"$W/ward-match" -q --rules "$T/top.yaml" <"$T/ev" 2>/dev/null | "$WW" --rules "$T/top.yaml" >"$T/out" 2>/dev/null
t_eq "ruler file: interval 5s steps the topk" "$(states "$T/out")" \
	"firing 198.18.0.1@00:05 firing 198.18.0.3@00:15 resolved 198.18.0.1@00:15 resolved 198.18.0.3@00:20 "
t_grep "ruler file: labels on the alert" '"alertname":"TopFailer","severity":"high"' "$T/out"

# a vector operation in a ruler file: ward-match tags each side's events with
# rule_part 0 or 1. Failures at 0..4, logins at 2 and 3: the share is 1, 1,
# 3/4, 4/6 (resolved at 3), 5/7 (firing at 4); as lines leave: 4/6 at 10
# (resolved), 3/5, 2/3, 1/1 at 13 (firing), and the window empties at 14
{ for s in 0 1 2 3 4; do E $s "Failed password" "$A"; done; E 2 "Accepted" "$A"; E 3 "Accepted" "$A"; } |
	sort -s -t'"' -k4,4 >"$T/share"
cat >"$T/share.yaml" <<'YAML'
groups:
  - name: ssh
    rules:
      - alert: FailShare
        expr: |
          sum by (src_ip) (count_over_time({job="sshd"} |= "Failed" [10s]))
          / sum by (src_ip) (count_over_time({job="sshd"}[10s])) > 0.7
YAML
"$W/ward-match" -q --rules "$T/share.yaml" <"$T/share" 2>/dev/null | "$WW" --rules "$T/share.yaml" >"$T/out" 2>/dev/null
t_eq "ruler file: A / B with rule_part" "$(states "$T/out")" \
	"firing 198.18.0.1@00:00 resolved 198.18.0.1@00:03 firing 198.18.0.1@00:04 resolved 198.18.0.1@00:10 firing 198.18.0.1@00:13 resolved 198.18.0.1@00:14 "

# the key bound holds for step rules (inner series are keys)
"$WW" --eval-interval 5s --max-keys 1 'avg(sum by (src_ip) (count_over_time({job="sshd"}[10s])))' \
	<"$T/ev" >/dev/null 2>"$T/err"
t_eq "max-keys: step rules never hold more inner series" "$(t_counter "$T/err" keys_peak)" 1
t_ok "max-keys: step rules count evictions" test "$(t_counter "$T/err" evicted)" -gt 0

# configuration errors
t_status "--eval-interval 0s: 78" 78 "$WW" --eval-interval 0s 'avg(count_over_time({job="a"}[1m]))'
t_status "topk(0, ...): 78" 78 "$WW" 'topk(0, count_over_time({job="a"}[1m]))'
t_status "two aggregations across keys: 78" 78 "$WW" 'avg(stddev(count_over_time({job="a"}[1m])))'
t_status "vector op with different groupings: 78" 78 "$WW" \
	'sum by (a) (rate({job="a"}[1m])) / sum by (b) (rate({job="a"}[1m]))'
