#!/usr/bin/env bash
# ward-window over merged sources (issue 15): a watermark per source, late
# events reported and kept, keep_firing_for, and the value at resolution.
. "$(dirname "$0")/../lib.sh"
WW="$W/ward-window"

# E SECOND FILE SRC_IP: one event at 2026-11-28T08:MM:SS from log FILE
E() { printf '{"ts":"2026-11-28T08:%02d:%02d.000000000Z","labels":{"job":"sshd","filename":"%s"},"line":"fail from %s","fields":{"src_ip":"%s"}}\n' \
	$(($1 / 60)) $(($1 % 60)) "$2" "$3" "$3"; }
alerts() { grep -o '"ts":"[^"]*"\|"state":"[a-z]*","key":{"src_ip":"[^"]*"},"value":[0-9.]*' "$1" | paste -d' ' - - | sort; }

# two logs, each in time order, spanning the same minutes; one burst in each
{ for s in $(seq 0 4 180); do E $s a.log 10.0.0.1; done; for s in 40 41 42 43; do E $s a.log 198.18.0.7; done; } |
	sort -t'"' -k4,4 -s >"$T/a"
{ for s in $(seq 1 4 119); do E $s b.log 10.0.0.2; done; for s in 90 90 91 92; do E $s b.log 198.18.0.7; done; } |
	sort -t'"' -k4,4 -s >"$T/b"
sort -t'"' -k4,4 -s "$T/a" "$T/b" >"$T/sorted"
RULE=(--by src_ip --range 10s --threshold '> 3' --for 1s)
"$WW" "${RULE[@]}" <"$T/sorted" >"$T/want" 2>/dev/null
t_eq "the sorted stream alerts twice for the burst source" "$(grep -c '"state":"firing"' "$T/want")" 2
# a merge delivering one log entirely before the other, both ways
for order in "a b" "b a"; do
	set -- $order
	cat "$T/$1" "$T/$2" | "$WW" --sources 2 "${RULE[@]}" >"$T/got" 2>"$T/err"
	t_eq "merge $1 then $2: nothing late" "$(t_counter "$T/err" late)" 0
	t_eq "merge $1 then $2: the sorted stream's alerts" "$(alerts "$T/got")" "$(alerts "$T/want")"
done
# without --sources the first log runs ahead alone: the other is late, loudly
cat "$T/a" "$T/b" | "$WW" "${RULE[@]}" --late-out "$T/late" >"$T/got" 2>"$T/err"
t_eq "unannounced second source: its events are late" "$(t_counter "$T/err" late)" 34
t_grep "a late event names its source and lag" \
	'late event from source filename=b\.log: ([0-9]+[hm])*[0-9]+m?s behind the watermark' "$T/err"
t_eq "--late-out keeps every late event" "$(grep -c '"filename":"b.log"' "$T/late")" 34
# a source out of its own order is late against itself, while the other waits
{ E 10 a.log 1.1.1.1; E 10 b.log 1.1.1.1; E 20 a.log 1.1.1.1; E 15 a.log 1.1.1.1; E 12 b.log 1.1.1.1; } |
	"$WW" --sources 2 --by src_ip --range 10s --threshold '> 9' --late-out "$T/late" >/dev/null 2>"$T/err"
t_eq "late only against its own source" "$(t_counter "$T/err" late)" 1
t_grep "the late event kept is a.log's 08:00:15" '"ts":"2026-11-28T08:00:15.*"filename":"a.log"' "$T/late"
t_grep "warning: 5 s behind, as people read it" 'source filename=a\.log: 5s behind' "$T/err"

# the bundled sample: the volume anomaly pipeline alerts, the same every run
# (evidence lines aside: the lines a key holds when its alert is written
# depend on how far the faster log has run ahead)
cd "$TOP" || exit 1
for i in 1 2 3; do
	"$W/ward-run" --table pipelines/volume-anomaly.pipeline 2>"$T/va$i.err" |
		sed -E 's/"evidence":\[.*\],"labels"/"labels"/' >"$T/va$i"
done
t_ok "volume-anomaly.pipeline alerts" grep -q '"state":"firing"' "$T/va1"
t_files_eq "volume-anomaly.pipeline: run 2 alerts as run 1" "$T/va1" "$T/va2"
t_files_eq "volume-anomaly.pipeline: run 3 alerts as run 1" "$T/va1" "$T/va3"
t_grep "ward-run --table shows the late counter: 0" '^[0-9]+ +ward-window( +[0-9]+){6} +0$' "$T/va1.err"
t_grep "ward-run --table has a late column" '^line .* malformed +late$' "$T/va1.err"

# keep_firing_for on the bundled sample: 198.18.1.23 flaps around 5
"$W/ward-ingest" -q --label job=sshd --ts syslog --now 2026-11-28T23:59:59Z pipelines/samples/auth.log |
	"$W/ward-match" -q --rules rules/ssh.yaml --rule SSHFailedPassword >"$T/ssh"
SSH=(--select-rule SSHFailedPassword --by src_ip --range 10s --threshold '> 5')
"$WW" -q "${SSH[@]}" <"$T/ssh" >"$T/flap"
t_eq "without keep_firing_for: 198.18.1.23 fires 10 times" \
	"$(grep -c '"state":"firing","key":{"src_ip":"198.18.1.23"}' "$T/flap")" 10
t_eq "a resolved notice carries the value at resolution (5), not the firing value" \
	"$(grep -o '"state":"resolved","key":{"src_ip":"198.18.1.23"},"value":[0-9]*' "$T/flap" | sort -u)" \
	'"state":"resolved","key":{"src_ip":"198.18.1.23"},"value":5'
"$WW" -q "${SSH[@]}" --keep-firing-for 30s <"$T/ssh" >"$T/kept"
t_eq "--keep-firing-for 30s: one firing alert" \
	"$(grep -c '"state":"firing","key":{"src_ip":"198.18.1.23"}' "$T/kept")" 1
t_grep "... resolved once false for 30 s" \
	'"ts":"2026-11-28T08:08:13.000000000Z".*"state":"resolved","key":\{"src_ip":"198.18.1.23"\}' "$T/kept"
cat >"$T/rules.yaml" <<'YAML'
groups:
  - name: t
    rules:
      - alert: Flap
        expr: sum by (src_ip) (count_over_time({job="sshd"} |= "Failed password" | regexp "from (?P<src_ip>\\S+) port" [10s])) > 5
        keep_firing_for: 30s
YAML
"$W/ward-match" -q --rules "$T/rules.yaml" <"$T/ssh" | "$WW" -q --rules "$T/rules.yaml" >"$T/kept"
t_eq "keep_firing_for in a ruler file: one firing alert" \
	"$(grep -c '"state":"firing","key":{"src_ip":"198.18.1.23"}' "$T/kept")" 1

# one input line counts once (issue 15): ward-match --rules writes one event
# per rule that tags a line; a QUERY or option rule counts the line, not
# the tags
cat >"$T/overlap.yaml" <<'YAML'
groups:
  - name: overlap
    rules:
      - alert: Failed
        expr: '{job="sshd"} |= "Failed password" | regexp "from (?P<src_ip>\\S+) port"'
      - alert: FailedRoot
        expr: '{job="sshd"} |= "Failed password for root" | regexp "from (?P<src_ip>\\S+) port"'
      - alert: FailedAny
        expr: '{job="sshd"} |~ "Failed (password|publickey)" | regexp "from (?P<src_ip>\\S+) port"'
YAML
for i in 1 2 3; do echo "Nov 28 08:00:0$i web1 sshd[100$i]: Failed password for root from 198.18.0.9 port 4000$i ssh2"; done >"$T/three.log"
"$W/ward-ingest" -q --label job=sshd --ts syslog --now 2026-11-28T23:59:59Z "$T/three.log" |
	"$W/ward-match" -q --rules "$T/overlap.yaml" >"$T/three"
t_eq "ward-match writes one event per overlapping rule" "$(wc -l <"$T/three")" 9
fired() { grep -o '"ts":"[^"]*"\|"line":"[^"]*"' "$1" | paste -d' ' - - | head -1; }
"$WW" -q 'sum by (src_ip) (count_over_time({job="sshd"} |= "Failed password" | regexp "from (?P<src_ip>\\S+) port" [1m])) > 2' \
	<"$T/three" >"$T/out"
t_eq "QUERY after ward-match --rules: three lines count 3" "$(fired "$T/out")" \
	'"ts":"2026-11-28T08:00:03.000000000Z" "line":"window firing src_ip=198.18.0.9 value=3 > 2 over 1m"'
"$WW" -q --by src_ip --range 1m --threshold '> 2' <"$T/three" >"$T/out"
t_eq "options without --select-rule: three lines count 3" "$(fired "$T/out")" \
	'"ts":"2026-11-28T08:00:03.000000000Z" "line":"window firing src_ip=198.18.0.9 value=3 > 2 over 1m"'
"$WW" -q --select-rule FailedRoot --by src_ip --range 1m --threshold '> 2' <"$T/three" >"$T/out"
t_eq "--select-rule: the rule's events, three" "$(fired "$T/out")" \
	'"ts":"2026-11-28T08:00:03.000000000Z" "line":"window firing src_ip=198.18.0.9 value=3 > 2 over 1m"'
"$WW" -q --by src_ip --range 1m --threshold '> 3' <"$T/three" >"$T/out"
t_eq "... and no more than 3" "$(wc -c <"$T/out")" 0
# a line really written twice counts twice
sed p "$T/three.log" | "$W/ward-ingest" -q --label job=sshd --ts syslog --now 2026-11-28T23:59:59Z |
	"$W/ward-match" -q --rules "$T/overlap.yaml" | "$WW" -q --by src_ip --range 1m --threshold '> 5' >"$T/out"
t_eq "a repeated log line still counts twice" "$(fired "$T/out")" \
	'"ts":"2026-11-28T08:00:03.000000000Z" "line":"window firing src_ip=198.18.0.9 value=6 > 5 over 1m"'
