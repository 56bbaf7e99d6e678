#!/usr/bin/env bash
# ward-ingest turning an auth.log into events, in lines/s, beside cat and
# wc -l on the same file in the same run. Data: ../shared/bench/gen_authlog.py
# when present (realistic), else a synthetic auth.log written here.
set -u
cd "$(dirname "$0")/.."
. bench/lib.sh
BENCH_DATA=${BENCH_DATA:-/tmp/ward-bench}; mkdir -p "$BENCH_DATA"
lines=${BENCH_LINES:-1000000}
data=$BENCH_DATA/auth-$lines.log
gen=../shared/bench/gen_authlog.py
if [ ! -s "$data" ]; then
	if [ -f "$gen" ]; then
		python3 "$gen" --lines "$lines" --out "$data" >/dev/null 2>&1 || rm -f "$data"
	fi
	if [ ! -s "$data" ]; then
		awk -v n="$lines" 'BEGIN { for (i = 0; i < n; i++)
			printf "Nov 28 %02d:%02d:%02d web1 sshd[%d]: Failed password for root from 198.18.%d.%d port %d ssh2\n",
				(i / 3600) % 24, (i / 60) % 60, i % 60, 1000 + i % 5000, (i / 256) % 256, i % 256, 1024 + i % 60000 }' >"$data"
	fi
fi
n=$(wc -l <"$data")
mb=$(( $(stat -c %s "$data") / 1048576 ))
t_cat=$(best_of 3 cat "$data")
t_wc=$(best_of 3 wc -l "$data")
t_ing=$(best_of 3 bin/ward-ingest --label job=sshd "$data")
t_ing_pipe=$(best_of 3 sh -c "bin/ward-ingest --label job=sshd '$data' | cat >/dev/null")
printf '%-44s %10s %14s %10s\n' "ingest: $n lines ($mb MiB)" "seconds" "lines/s" "vs ingest"
printf '%-44s %10s %14s %10s\n' "cat" "$t_cat" "$(rate "$n" "$t_cat")" "$(ratio "$t_ing" "$t_cat")x"
printf '%-44s %10s %14s %10s\n' "wc -l" "$t_wc" "$(rate "$n" "$t_wc")" "$(ratio "$t_ing" "$t_wc")x"
printf '%-44s %10s %14s %10s\n' "ward-ingest --label job=sshd" "$t_ing" "$(rate "$n" "$t_ing")" "1.00x"
printf '%-44s %10s %14s %10s\n' "ward-ingest ... | cat (through a pipe)" "$t_ing_pipe" "$(rate "$n" "$t_ing_pipe")" ""
echo "(vs ingest: how many times longer ward-ingest takes than the tool)"
