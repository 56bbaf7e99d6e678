#!/usr/bin/env bash
# fuzz/smoke.sh SECONDS TARGET... - run each libFuzzer target briefly from its
# seed corpus (fuzz/corpus/NAME), in a scratch copy so the repository's
# corpus stays small. Exits non-zero if any target finds a crash or leak.
# FUZZ_SEED fixes the mutation sequence (CI uses 1, so a run repeats what a
# developer saw); 0, the default, picks a new one each time.
set -u
secs=$1; shift
fail=0
for t in "$@"; do
	name=$(basename "$t")
	work=$(mktemp -d)
	[ -d "fuzz/corpus/$name" ] && cp -r "fuzz/corpus/$name/." "$work/"
	# FUZZ_RUNS=N: a fixed number of inputs instead of a time, so that with
	# a fixed FUZZ_SEED a run repeats exactly what another machine saw (CI)
	budget=(-max_total_time="$secs")
	[ -n "${FUZZ_RUNS:-}" ] && budget=(-runs="$FUZZ_RUNS")
	if "$t" "${budget[@]}" -seed="${FUZZ_SEED:-0}" -print_final_stats=1 -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
		-artifact_prefix="build/fuzz/$name-" "$work" >"build/fuzz/$name.log" 2>&1; then
		echo "PASS: fuzz: $name ($(grep -oE 'stat::number_of_executed_units: [0-9]+' "build/fuzz/$name.log" | grep -oE '[0-9]+' || echo '?') runs$([ -n "${FUZZ_RUNS:-}" ] || echo " in ${secs}s"))"
	else
		echo "FAIL: fuzz: $name (see build/fuzz/$name.log)"
		tail -30 "build/fuzz/$name.log"
		fail=1
	fi
	rm -rf "$work"
done
exit $fail
