#!/usr/bin/env bash
# ward-window over merged sources (issue 15): a watermark per source, late
# events reported and kept. keep_firing_for, the value at resolution and
# "one input line counts once" are golden cases (tests/cases/window/).
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
