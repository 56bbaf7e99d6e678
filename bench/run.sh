#!/usr/bin/env bash
# bench/run.sh - run every bench/*_bench.sh in turn. Each prints its own
# table with ratios against the tools users would otherwise run, measured in
# the same run on the same data. BENCH_DATA (default /tmp/ward-bench) holds
# generated inputs; BENCH_LINES scales them.
set -u
cd "$(dirname "$0")/.."
export BENCH_DATA=${BENCH_DATA:-/tmp/ward-bench}
mkdir -p "$BENCH_DATA"
rc=0
for b in bench/*_bench.sh; do
	[ -e "$b" ] || continue
	echo "== $b"
	bash "$b" || rc=1
done
exit $rc
