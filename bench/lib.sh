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
# median_run N CMD...: N runs of CMD (stdout discarded); prints "WALL CPU",
# the median wall seconds and the median CPU seconds (user + sys) of the
# runs. On a shared machine the CPU time is the steadier of the two; quote
# medians, and ratios from the same run.
median_run() {
	local n=$1
	shift
	python3 - "$n" "$@" <<'PY'
import os, statistics, subprocess, sys, time
n, cmd = int(sys.argv[1]), sys.argv[2:]
walls, cpus = [], []
for _ in range(n):
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, 1); os.dup2(fd, 2)
        os.execvp(cmd[0], cmd)
    _, _, ru = os.wait4(pid, 0)
    walls.append(time.perf_counter() - t0)
    cpus.append(ru.ru_utime + ru.ru_stime)
print(f"{statistics.median(walls):.4f} {statistics.median(cpus):.4f}")
PY
}
