#!/usr/bin/env bash
# bench/f2b_bench.sh - ward-match --fail2ban beside fail2ban-regex on the
# same generated auth log: the sshd filter alone (what fail2ban-regex can
# run), and ward with every shipped filter of /etc/fail2ban/filter.d at once
# (fail2ban would run one jail per filter). One run each (F2B_RUNS); wall
# and CPU time, lines/s, failures found (fail2ban-regex: its "matched" lines, with
# --no-check-all: the first failregex wins, as in production and in ward).
#
#   BENCH_LINES (default 1000000)  lines of the log
set -u
cd "$(dirname "$0")/.."
. bench/lib.sh
W=${WARD_BIN:-bin}
D=${BENCH_DATA:-/tmp/ward-bench}
N=${BENCH_LINES:-1000000}
RUNS=${F2B_RUNS:-1}
FD=${F2B_FILTERS:-/etc/fail2ban/filter.d}
SHARED=${SHARED_BENCH:-}
for d in ../shared/bench ../../shared/bench /work/shared/bench; do
	[ -z "$SHARED" ] && [ -f "$d/gen_authlog.py" ] && SHARED=$d
done
if ! command -v fail2ban-regex >/dev/null || [ ! -d "$FD" ]; then
	echo "f2b_bench: fail2ban is not installed (apt-get install fail2ban): skipped"
	exit 0
fi
mkdir -p "$D"
auth=$D/f2b-auth-$N.log
[ -s "$auth" ] || python3 "$SHARED/gen_authlog.py" -n "$N" -o "$auth" >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
lines=$(wc -l <"$auth")

timed() {	# timed NAME CMD: wall seconds (best of RUNS) into T[NAME], its CPU
	# seconds (user + system of every process of CMD) into C[NAME]; output in $tmp/NAME
	local name=$1 best="" cpu="" r u s
	shift
	for _ in $(seq "$RUNS"); do
		read -r r u s < <({ TIMEFORMAT='%R %U %S'; time bash -c "$*" >"$tmp/$name" 2>/dev/null; } 2>&1)
		if [ -z "$best" ] || [ "$(echo "$r < $best" | bc -l)" = 1 ]; then
			best=$r
			cpu=$(echo "$u + $s" | bc -l)
		fi
	done
	T[$name]=$best
	C[$name]=$cpu
}
declare -A T C
timed ward_sshd "$W/ward-ingest -q --ts auto $auth | $W/ward-match -q --fail2ban $FD/sshd.conf"
timed ward_all "$W/ward-ingest -q --ts auto $auth | $W/ward-match -q --fail2ban $FD"
timed f2b_sshd "fail2ban-regex -r --no-check-all $auth $FD/sshd.conf"
ward_sshd_n=$(wc -l <"$tmp/ward_sshd")
ward_all_n=$(wc -l <"$tmp/ward_all")
f2b_n=$(grep -oE '^Lines: .* [0-9]+ matched' "$tmp/f2b_sshd" | grep -oE '[0-9]+ matched' | grep -oE '[0-9]+')
printf '| run | lines | failures | wall s | lines/s | CPU s | lines per CPU-s |\n|---|---|---|---|---|---|---|\n'
row() {	# row LABEL NAME FAILURES
	printf '| %s | %s | %s | %.2f | %s | %.2f | %s |\n' "$1" "$lines" "$3" "${T[$2]}" "$(rate "$lines" "${T[$2]}")" \
		"${C[$2]}" "$(rate "$lines" "${C[$2]}")"
}
row 'ward-ingest \| ward-match --fail2ban sshd.conf' ward_sshd "$ward_sshd_n"
row 'fail2ban-regex -r --no-check-all LOG sshd.conf' f2b_sshd "${f2b_n:-?}"
row "ward-ingest \\| ward-match --fail2ban $FD (all filters)" ward_all "$ward_all_n"
echo "sshd.conf: ward is $(ratio "${T[f2b_sshd]}" "${T[ward_sshd]}")x faster than fail2ban-regex"
