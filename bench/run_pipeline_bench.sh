#!/usr/bin/env bash
# ward-run's cost: the same pipelines run by ward-run and by bash, in the
# same run on the same data. A chain (ward-ingest | cat | wc -l), a fanout of
# two branches merged line by line (bash: tee with process substitution,
# which does not keep lines whole), and the fixed cost of starting a small
# pipeline (validation included) on a tiny input.
set -u
cd "$(dirname "$0")/.."
. bench/lib.sh
BENCH_DATA=${BENCH_DATA:-/tmp/ward-bench}; mkdir -p "$BENCH_DATA"
lines=${BENCH_LINES:-1000000}
data=$BENCH_DATA/run-auth-$lines.log
if [ ! -s "$data" ]; then
	awk -v n="$lines" 'BEGIN { for (i = 0; i < n; i++)
		printf "Nov 28 %02d:%02d:%02d web1 sshd[%d]: Failed password for root from 198.18.%d.%d port %d ssh2\n",
			(i / 3600) % 24, (i / 60) % 60, i % 60, 1000 + i % 5000, (i / 256) % 256, i % 256, 1024 + i % 60000 }' >"$data"
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf 'ward-ingest --label job=sshd %s\n/bin/cat\n/usr/bin/wc -l\n' "$data" >"$tmp/chain.pipeline"
printf 'ward-ingest --label job=sshd %s\nfanout\nbranch a\n/bin/cat\nbranch b\n/bin/cat\nmerge\n/usr/bin/wc -l\n' \
	"$data" >"$tmp/fan.pipeline"
printf 'one\ntwo\n' >"$tmp/tiny.log"
printf 'ward-ingest --label job=t %s\n/bin/cat\n/usr/bin/wc -l\n' "$tmp/tiny.log" >"$tmp/tiny.pipeline"

t_sh=$(best_of 3 bash -c "bin/ward-ingest --label job=sshd '$data' | /bin/cat | /usr/bin/wc -l")
t_run=$(best_of 3 bin/ward-run "$tmp/chain.pipeline")
t_shf=$(best_of 3 bash -c "bin/ward-ingest --label job=sshd '$data' | tee >(/bin/cat) >(/bin/cat) >/dev/null | /usr/bin/wc -l")
t_runf=$(best_of 3 bin/ward-run "$tmp/fan.pipeline")
t_sht=$(best_of 5 bash -c "bin/ward-ingest --label job=t '$tmp/tiny.log' | /bin/cat | /usr/bin/wc -l")
t_runt=$(best_of 5 bin/ward-run "$tmp/tiny.pipeline")
t_runtn=$(best_of 5 bin/ward-run --no-validate "$tmp/tiny.pipeline")
printf '%-52s %10s %14s %10s\n' "run: $lines events" "seconds" "events/s" "vs bash"
printf '%-52s %10s %14s %10s\n' "bash: ingest | cat | wc -l" "$t_sh" "$(rate "$lines" "$t_sh")" "1.00x"
printf '%-52s %10s %14s %10s\n' "ward-run: the same chain" "$t_run" "$(rate "$lines" "$t_run")" "$(ratio "$t_run" "$t_sh")x"
printf '%-52s %10s %14s %10s\n' "bash: ingest | tee >(cat) >(cat) | wc -l" "$t_shf" "$(rate "$((2 * lines))" "$t_shf")" "1.00x"
printf '%-52s %10s %14s %10s\n' "ward-run: fanout, 2 branches, line-safe merge" "$t_runf" "$(rate "$((2 * lines))" "$t_runf")" "$(ratio "$t_runf" "$t_shf")x"
printf '%-52s %10s %14s %10s\n' "bash: 3-stage pipeline, 2 lines" "$t_sht" "" "1.00x"
printf '%-52s %10s %14s %10s\n' "ward-run: the same (validation included)" "$t_runt" "" "$(ratio "$t_runt" "$t_sht")x"
printf '%-52s %10s %14s %10s\n' "ward-run --no-validate: the same" "$t_runtn" "" "$(ratio "$t_runtn" "$t_sht")x"
echo "(vs bash: how many times longer ward-run takes; fanout events/s count both branches)"
