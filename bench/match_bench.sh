#!/usr/bin/env bash
# bench/match_bench.sh - ward-match throughput beside grep -F, grep -E, rg,
# fail2ban-regex (sshd filter) and sshguard's sshg-parser, on the same
# generated auth log, in one run; and `| json | label regex` on a JSON access
# log. Peers that are not installed are skipped (apt-get install ripgrep
# fail2ban sshguard). Best of $RUNS wall times; lines/s and ratios.
#
#   BENCH_LINES (default 1000000)  lines of each log
#   F2B_LINES   (default 100000)   fail2ban-regex is slow: it reads this
#                                  prefix of the log, its rate is per line
#   RUNS        (default 3)
set -u
cd "$(dirname "$0")/.."
. bench/lib.sh
W=${WARD_BIN:-bin}
D=${BENCH_DATA:-/tmp/ward-bench}
N=${BENCH_LINES:-1000000}
F2B_N=${F2B_LINES:-100000}
RUNS=${RUNS:-3}
SHARED=${SHARED_BENCH:-}
for d in ../shared/bench ../../shared/bench /work/shared/bench; do
	[ -z "$SHARED" ] && [ -f "$d/gen_authlog.py" ] && SHARED=$d
done
SHARED=${SHARED:-../shared/bench}
export LC_ALL=C
mkdir -p "$D"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

auth=$D/match-auth-$N.log
access=$D/match-access-$N.json.log
if [ ! -s "$auth" ]; then
	if [ -f "$SHARED/gen_authlog.py" ]; then
		python3 "$SHARED/gen_authlog.py" -n "$N" -o "$auth" >/dev/null
	else	# a plain fallback: one failure in ten lines
		awk -v n="$N" 'BEGIN { for (i = 0; i < n; i++) if (i % 10 == 0)
			printf "Jun  1 00:00:%02d host sshd[%d]: Failed password for root from 198.18.%d.%d port %d ssh2\n", i % 60, i, i % 250, i % 200, 1024 + i % 60000;
			else printf "Jun  1 00:00:%02d host sshd[%d]: Accepted publickey for u%d from 10.0.%d.%d port %d ssh2\n", i % 60, i, i % 99, i % 250, i % 200, 1024 + i % 60000 }' >"$auth"
	fi
fi
if [ ! -s "$access" ] && [ -f "$SHARED/gen_accesslog.py" ]; then
	python3 "$SHARED/gen_accesslog.py" -n "$N" -o "$access" >/dev/null
fi
lines=$(wc -l <"$auth")
"$W/ward-ingest" --label job=sshd "$auth" >"$tmp/auth.ndjson" 2>/dev/null

# row NAME LINES CMD...: best of $RUNS; wall time, and CPU time (user+sys,
# children included) which is steadier on a shared machine. Output goes to a
# file: GNU grep stops at the first match when its output is /dev/null.
declare -A T C
row() {
	local name=$1 n=$2
	shift 2
	local best="" bcpu="" s e t cpu
	for _ in $(seq "$RUNS"); do
		s=$(date +%s.%N)
		/usr/bin/time -f '%U %S' -o "$tmp/time" "$@" >"$tmp/out" 2>/dev/null
		e=$(date +%s.%N)
		t=$(echo "$e - $s" | bc -l)
		cpu=$(awk '{ print $1 + $2 }' "$tmp/time")
		if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
		if [ -z "$bcpu" ] || [ "$(echo "$cpu < $bcpu" | bc -l)" = 1 ]; then bcpu=$cpu; fi
	done
	[ "$(echo "$bcpu < 0.01" | bc -l)" = 1 ] && bcpu=0.01
	T[$name]=$(echo "$n / $best" | bc -l)
	C[$name]=$(echo "$n / $bcpu" | bc -l)
	printf '%-44s %11.0f lines/s wall %7.3f s  %11.0f lines/cpu-s  %8d out\n' "$name" "${T[$name]}" "$best" "${C[$name]}" "$(wc -l <"$tmp/out")"
}
ratio_row() { printf '  %-42s %8.2fx wall  %8.2fx cpu\n' "$1" "$(echo "${T[$2]} / ${T[$3]}" | bc -l)" "$(echo "${C[$2]} / ${C[$3]}" | bc -l)"; }

echo "auth log: $lines lines ($auth); events pre-ingested for the ward-match rows"
row "grep -F 'Failed password' (raw)" "$lines" grep -F 'Failed password' "$auth"
row "grep -E 'Failed password' (raw)" "$lines" grep -E 'Failed password' "$auth"
if command -v rg >/dev/null; then row "rg 'Failed password' (raw)" "$lines" rg 'Failed password' "$auth"; else echo "rg: skipped (not installed)"; fi
row "ward-match |= \"Failed password\" (events)" "$lines" "$W/ward-match" '{job="sshd"} |= "Failed password"' --in "$tmp/auth.ndjson"
row "ward-match --rules rules/ssh.yaml (events)" "$lines" "$W/ward-match" --rules rules/ssh.yaml --in "$tmp/auth.ndjson"
row "ward-ingest | ward-match --rules ssh (raw)" "$lines" bash -c "'$W/ward-ingest' --label job=sshd '$auth' 2>/dev/null | '$W/ward-match' --rules rules/ssh.yaml 2>/dev/null"
# every pack of rules/, and synthetic sets of many rules (bench/gen_stress_rules.py):
# stress300 = 300 rules in five shapes (each sshd line selected by about five
# rules), real120 = one tagging and one alerting rule per message format;
# both with rules/ beside them. ward-window needs metric rules: the chain
# with it runs on those sets.
mkdir -p "$tmp/stress300" "$tmp/real120"
python3 bench/gen_stress_rules.py -n 300 -o "$tmp/stress300"
python3 bench/gen_stress_rules.py -n 120 --shapes tag,alert -o "$tmp/real120"
cp rules/*.yaml "$tmp/stress300/"
cp rules/*.yaml "$tmp/real120/"
echo "rules/: $(cat rules/*.yaml | grep -cE '^ *- (alert|record):') rules; stress300: $(grep -cE '^ *- (alert|record):' "$tmp"/stress300/*.yaml | awk -F: '{ s += $2 } END { print s }'); real120: $(grep -cE '^ *- (alert|record):' "$tmp"/real120/*.yaml | awk -F: '{ s += $2 } END { print s }')"
row "ward-match --rules rules (events)" "$lines" "$W/ward-match" --rules rules --in "$tmp/auth.ndjson"
row "ward-match --rules real120 (events)" "$lines" "$W/ward-match" --rules "$tmp/real120" --in "$tmp/auth.ndjson"
row "ward-match --rules stress300 (events)" "$lines" "$W/ward-match" --rules "$tmp/stress300" --in "$tmp/auth.ndjson"
row "ward-ingest | ward-match --rules rules (raw)" "$lines" bash -c "'$W/ward-ingest' --label job=sshd '$auth' 2>/dev/null | '$W/ward-match' --rules rules 2>/dev/null"
row "ingest | match | window, real120 (raw)" "$lines" bash -c "'$W/ward-ingest' --label job=sshd '$auth' 2>/dev/null | '$W/ward-match' --rules '$tmp/real120' 2>/dev/null | '$W/ward-window' --rules '$tmp/real120' 2>/dev/null"
row "ingest | match | window, stress300 (raw)" "$lines" bash -c "'$W/ward-ingest' --label job=sshd '$auth' 2>/dev/null | '$W/ward-match' --rules '$tmp/stress300' 2>/dev/null | '$W/ward-window' --rules '$tmp/stress300' 2>/dev/null"
have_sshg=""
for p in /usr/libexec/sshguard/sshg-parser /usr/lib/sshguard/sshg-parser /usr/local/libexec/sshg-parser; do
	[ -x "$p" ] && have_sshg=$p && break
done
if [ -n "$have_sshg" ]; then
	row "sshg-parser (raw)" "$lines" bash -c "'$have_sshg' <'$auth'"
else
	echo "sshg-parser: skipped (apt-get install sshguard)"
fi
if command -v fail2ban-regex >/dev/null; then
	head -n "$F2B_N" "$auth" >"$tmp/f2b.log"
	RUNS=1 row "fail2ban-regex sshd (first $F2B_N lines)" "$F2B_N" fail2ban-regex "$tmp/f2b.log" sshd
else
	echo "fail2ban-regex: skipped (apt-get install fail2ban)"
fi
echo "ratios (higher: ward-match faster):"
ratio_row "|= literal vs grep -F" "ward-match |= \"Failed password\" (events)" "grep -F 'Failed password' (raw)"
ratio_row "|= literal vs grep -E" "ward-match |= \"Failed password\" (events)" "grep -E 'Failed password' (raw)"
[ -n "${T[rg 'Failed password' (raw)]:-}" ] && ratio_row "|= literal vs rg" "ward-match |= \"Failed password\" (events)" "rg 'Failed password' (raw)"
[ -n "$have_sshg" ] && ratio_row "ingest|match --rules ssh vs sshg-parser" "ward-ingest | ward-match --rules ssh (raw)" "sshg-parser (raw)"
[ -n "$have_sshg" ] && ratio_row "ingest|match --rules rules vs sshg-parser" "ward-ingest | ward-match --rules rules (raw)" "sshg-parser (raw)"
[ -n "$have_sshg" ] && ratio_row "ingest|match|window real120 vs sshg-parser" "ingest | match | window, real120 (raw)" "sshg-parser (raw)"
command -v fail2ban-regex >/dev/null && ratio_row "ingest|match --rules ssh vs fail2ban-regex" "ward-ingest | ward-match --rules ssh (raw)" "fail2ban-regex sshd (first $F2B_N lines)"
command -v fail2ban-regex >/dev/null && ratio_row "ingest|match --rules rules vs fail2ban-regex" "ward-ingest | ward-match --rules rules (raw)" "fail2ban-regex sshd (first $F2B_N lines)"

if [ -s "$access" ]; then
	alines=$(wc -l <"$access")
	"$W/ward-ingest" --label job=nginx "$access" >"$tmp/access.ndjson" 2>/dev/null
	echo "JSON access log: $alines lines ($access)"
	row "grep -iE 'union|select|%27' (raw)" "$alines" grep -iE 'union|select|%27' "$access"
	row "ward-match | json | request_uri =~ (events)" "$alines" "$W/ward-match" \
		'{job="nginx"} | json | request_uri =~ "(?i).*(union|select|%27).*"' --in "$tmp/access.ndjson"
	row "ward-match --rules rules/web.yaml (events)" "$alines" "$W/ward-match" --rules rules/web.yaml --in "$tmp/access.ndjson"
	if [ -f "$access.truth.tsv" ]; then
		"$W/ward-match" --rules rules/web.yaml --in "$tmp/access.ndjson" >"$tmp/web.out" 2>/dev/null
		echo "web rule pack on the labelled access log:"
		python3 bench/match_precision.py "$access" "$tmp/web.out" | sed 's/^/  /'
	fi
else
	echo "JSON access log: skipped (no $SHARED/gen_accesslog.py)"
fi
