#!/usr/bin/env bash
# ward-match / ward-window --rules with directories of several packs, empty
# rule sets, alert rules sharing a name, and the prefilter over many rules.
. "$(dirname "$0")/../lib.sh"

pack() {	# pack FILE NAME EXPR... : one group, one alert rule per NAME EXPR pair
	local f=$1
	shift
	printf 'groups:\n  - name: g\n    rules:\n' >"$f"
	while [ $# -gt 0 ]; do
		printf "      - alert: %s\n        expr: '%s'\n" "$1" "$2" >>"$f"
		shift 2
	done
}

# a directory: *.yaml and *.yml in name order; generators and other files
# ignored (the events: tests/cases/match/rulesets_directory)
mkdir -p "$T/d"
pack "$T/d/b.yaml" B '{job=~".+"} |= "needle"'
pack "$T/d/a.yml" A '{job=~".+"} |= "needle"'
printf 'this is not YAML: [\n' >"$T/d/gen_b.py"
printf 'groups: [' >"$T/d/notes.txt"
printf 'x needle y\n' | "$W/ward-ingest" -l job=t 2>/dev/null | "$W/ward-match" -v --rules "$T/d" >"$T/out" 2>"$T/err"
t_grep "-v says how many rules each file gave" 'rules: .*/d/a.yml: 1 rules' "$T/err"

# no rules: an error, not a silent success
mkdir -p "$T/empty"
printf 'groups: []\n' >"$T/none.yaml"
t_status "a directory without rule files exits 78" 78 "$W/ward-match" --rules "$T/empty"
t_status "a file without rules exits 78" 78 "$W/ward-match" --rules "$T/none.yaml"
"$W/ward-match" --rules "$T/none.yaml" </dev/null >/dev/null 2>"$T/err"
t_grep "the message names the file" 'none.yaml: no rules' "$T/err"
t_status "ward-window: a file without rules exits 78" 78 "$W/ward-window" --rules "$T/none.yaml"
t_status "ward-window: a directory without rule files exits 78" 78 "$W/ward-window" --rules "$T/empty"
"$W/ward-window" -v --rules "$T/d" </dev/null >/dev/null 2>"$T/err"
t_grep "ward-window -v says how many rules each file gave" 'rules: .*/d/b.yaml: 1 rules' "$T/err"

# the same alert name with different exprs (Loki and Prometheus allow it):
# each rule counts only its own events, across two files and within one group
mkdir -p "$T/dup"
pack "$T/dup/a.yaml" Brute 'sum by (src_ip) (count_over_time({job=~".+"} |= "Failed" | regexp `from (?P<src_ip>\S+)` [1m])) >= 3'
pack "$T/dup/b.yaml" Brute 'sum by (src_ip) (count_over_time({job=~".+"} |= "Invalid" | regexp `from (?P<src_ip>\S+)` [1m])) >= 2' \
	Brute 'sum by (src_ip) (count_over_time({job=~".+"} |= "Timeout" | regexp `from (?P<src_ip>\S+)` [1m])) >= 4'
# 198.18.0.1: 2 Failed (below 3), 2 Invalid (at 2), 2 Timeout (below 4);
# 198.18.0.2: 3 Failed; one rule counting another's events would fire for
# .1 on Failed (4 >= 3) or Timeout (6 >= 4)
for i in 1 2; do
	echo "Jun  1 00:00:0$i h sshd[1]: Failed password for root from 198.18.0.1 port 22"
	echo "Jun  1 00:00:0$i h sshd[1]: Invalid user bob from 198.18.0.1 port 22"
	echo "Jun  1 00:00:0$i h sshd[1]: Timeout before authentication from 198.18.0.1"
done >"$T/dup.log"
for i in 3 4 5; do echo "Jun  1 00:00:0$i h sshd[1]: Failed password for root from 198.18.0.2 port 22"; done >>"$T/dup.log"
"$W/ward-ingest" --ts auto -l job=t "$T/dup.log" 2>/dev/null | "$W/ward-match" --rules "$T/dup" 2>"$T/err" |
	"$W/ward-window" --rules "$T/dup" >"$T/out" 2>>"$T/err"
t_eq "three alert rules of one name in two files load and run" "$?" 0
t_eq "each fires on its own events only (no file, no line, no threshold shared)" \
	"$(grep -o '"line":"Brute firing src_ip=[0-9.]* value=[0-9]* [<>=]* [0-9]*' "$T/out" | sort | tr '\n' ';')" \
	'"line":"Brute firing src_ip=198.18.0.1 value=2 >= 2;"line":"Brute firing src_ip=198.18.0.2 value=3 >= 3;'
t_grep "the alert carries the user's alertname" '"alertname":"Brute"' "$T/out"
"$W/ward-ingest" --ts auto -l job=t "$T/dup.log" 2>/dev/null | "$W/ward-match" --rules "$T/dup" >"$T/tags" 2>/dev/null
t_eq "ward-match tags each line once per rule whose expr selects it, with that rule's id" \
	"$(grep -o '"rule":"Brute","rule_id":"[0-9a-f]\{16\}"' "$T/tags" | sort | uniq -c | awk '{print $1}' | sort -n | tr '\n' ' ')" '2 2 5 '
# within one group, and given as two --rules paths
pack "$T/one.yaml" Brute 'sum by (src_ip) (count_over_time({job=~".+"} |= "Failed" | regexp `from (?P<src_ip>\S+)` [1m])) >= 3' \
	Brute 'sum by (src_ip) (count_over_time({job=~".+"} |= "Invalid" | regexp `from (?P<src_ip>\S+)` [1m])) >= 2'
"$W/ward-ingest" --ts auto -l job=t "$T/dup.log" 2>/dev/null | "$W/ward-match" --rules "$T/one.yaml" 2>/dev/null |
	"$W/ward-window" --rules "$T/one.yaml" >"$T/out" 2>/dev/null
t_eq "two rules of one name in one group: each on its own events" \
	"$(grep -o '"line":"Brute firing src_ip=[0-9.]* value=[0-9]* [<>=]* [0-9]*' "$T/out" | sort | tr '\n' ';')" \
	'"line":"Brute firing src_ip=198.18.0.1 value=2 >= 2;"line":"Brute firing src_ip=198.18.0.2 value=3 >= 3;'
"$W/ward-ingest" --ts auto -l job=t "$T/dup.log" 2>/dev/null |
	"$W/ward-match" --rules "$T/dup/a.yaml" --rules "$T/dup/b.yaml" 2>/dev/null |
	"$W/ward-window" --rules "$T/dup" >"$T/out2" 2>/dev/null
t_eq "the same across two --rules paths of ward-match" "$(grep -c '"state":"firing"' "$T/out2")" 2
# ward-match given only one of the files: its events carry no rule_id, no
# rule of the shared name takes them (neither may count the other's), and
# ward-window says so once
"$W/ward-ingest" --ts auto -l job=t "$T/dup.log" 2>/dev/null | "$W/ward-match" --rules "$T/dup/a.yaml" 2>/dev/null |
	"$W/ward-window" --rules "$T/dup" >"$T/out2" 2>"$T/err"
t_eq "rule sets that differ: no alert from untold events" "$(grep -c '"state":"firing"' "$T/out2")" 0
t_eq "and one warning" "$(grep -c 'carry no rule_id, but several alert rules have that name' "$T/err")" 1
# the same rule twice (a pack given twice) is loaded once
printf 'h sshd[1]: Failed x from 198.18.0.1\n' | "$W/ward-ingest" -l job=t 2>/dev/null |
	"$W/ward-match" --rules "$T/dup/a.yaml" --rules "$T/dup/a.yaml" >"$T/out" 2>"$T/err"
t_eq "an identical rule given twice tags once" "$(wc -l <"$T/out")" 1
t_grep "and says so" 'rule Brute is the same as' "$T/err"

# ward-window over a directory of several packs
mkdir -p "$T/packs"
pack "$T/packs/one.yaml" FailedBurst 'sum by (src_ip) (count_over_time({job=~".+"} |= "Failed password" | regexp `from (?P<src_ip>\S+) port` [1m])) >= 3'
pack "$T/packs/two.yaml" InvalidBurst 'sum by (src_ip) (count_over_time({job=~".+"} |= "Invalid user" | regexp `from (?P<src_ip>\S+) port` [1m])) >= 3' \
	InvalidTag '{job=~".+"} |= "Invalid user" | regexp `from (?P<src_ip>\S+) port`'
for i in 1 2 3; do
	echo "Jun  1 00:00:0$i h sshd[1]: Failed password for root from 198.18.0.1 port 22 ssh2"
	echo "Jun  1 00:00:0$i h sshd[1]: Invalid user bob from 198.18.0.2 port 22"
done >"$T/auth.log"
"$W/ward-ingest" --ts auto -l job=t "$T/auth.log" 2>/dev/null | "$W/ward-match" --rules "$T/packs" 2>/dev/null |
	"$W/ward-window" --rules "$T/packs" >"$T/out" 2>"$T/err"
t_eq "ward-window with a directory of packs: each rule alerts on its own source" \
	"$(grep -o '"rule":"[A-Za-z]*".*"src_ip":"[0-9.]*"' "$T/out" | grep -o '"rule":"[A-Za-z]*"\|"src_ip":"[0-9.]*"' | paste -d' ' - - | sort -u | tr '\n' ';')" \
	'"rule":"FailedBurst" "src_ip":"198.18.0.1";"rule":"InvalidBurst" "src_ip":"198.18.0.2";'
# many rules (one literal scan for all): the same events as rule by rule
{
	printf 'groups:\n  - name: many\n    rules:\n'
	for i in $(seq 1 40); do
		printf "      - alert: Lit%d\n        expr: '{job=~\".+\"} |= \"word%d \" | regexp \`(?P<w>word%d) \`'\n" "$i" "$i" "$i"
		printf "      - alert: Alt%d\n        expr: '{job=~\".+\"} |~ \"alpha%d|beta%d\"'\n" "$i" "$i" "$i"
		printf "      - alert: Ci%d\n        expr: '{job=~\".+\"} |~ \"(?i)gamma%d\"'\n" "$i" "$i"
	done
	printf "      - alert: NoLit\n        expr: '{job=~\".+\"} |~ \"[0-9]{3}\"'\n"
} >"$T/many.yaml"
for i in $(seq 1 300); do
	echo "line $i word$((i % 45)) beta$((i % 41)) GAMMA$((i % 43)) x"
done >"$T/many.log"
"$W/ward-ingest" -l job=t "$T/many.log" >"$T/many.ndjson" 2>/dev/null
"$W/ward-match" --rules "$T/many.yaml" --in "$T/many.ndjson" >"$T/out" 2>/dev/null
for r in $(grep -o 'alert: [A-Za-z0-9]*' "$T/many.yaml" | cut -d' ' -f2); do
	"$W/ward-match" --rules "$T/many.yaml" --rule "$r" --in "$T/many.ndjson" 2>/dev/null
done | sort >"$T/one_by_one"
sort "$T/out" >"$T/all"
t_files_eq "121 rules at once select the same events as each rule alone" "$T/all" "$T/one_by_one"
t_eq "and some of each kind matched" "$(grep -c '"rule":"Lit' "$T/out") $(grep -c '"rule":"Alt' "$T/out") $(grep -c '"rule":"Ci' "$T/out") $(grep -c '"rule":"NoLit' "$T/out")" "270 514 511 201"
