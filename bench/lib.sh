# bench/lib.sh - timing helpers for benchmarks (sourced).
# best_of N CMD...: the best wall time in seconds of N runs of CMD (stdout
# discarded). Best-of is the least noisy statistic on a shared machine.
best_of() {
	local n=$1 best="" t s e
	shift
	for _ in $(seq "$n"); do
		s=$(date +%s.%N)
		"$@" >/dev/null 2>&1
		e=$(date +%s.%N)
		t=$(echo "$e - $s" | bc -l)
		if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
	done
	printf '%.4f\n' "$best"
}
# rate COUNT SECONDS -> "1234567" per second
rate() { echo "$1 / $2" | bc -l | xargs printf '%.0f\n'; }
ratio() { echo "$1 / $2" | bc -l | xargs printf '%.2f\n'; }
