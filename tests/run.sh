#!/usr/bin/env bash
# tests/run.sh UNIT_BIN... - run unit tests and integration scripts of one
# build; print every result and append PASS/FAIL/SKIP lines to
# $WARD_RESULTS (default build/results.txt), tagged with the build.
set -u
cd "$(dirname "$0")/.."
results=${WARD_RESULTS:-build/results.txt}
build=release; [ "${WARD_SAN:-}" = 1 ] && build=asan
[ -n "${WARD_TAG:-}" ] && build=$WARD_TAG
mkdir -p "$(dirname "$results")"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

record() { echo "$1" | sed "s/^\([A-Z]*\): /\1: [$build] /" | tee -a "$results"; }

# WARD_FUTURE=1 (make check-future, under libfaketime): librdkafka's timed
# waits stall under libfaketime, so the tests that run its mock cluster are
# skipped there, with the reason. They depend on no date: the normal run of
# make check runs them.
future_skip() {
	[ "${WARD_FUTURE:-}" = 1 ] || return 1
	case "$1" in
	*kafka*) record "SKIP: $2 (librdkafka stalls under libfaketime; not date-dependent, run by make check)"; return 0 ;;
	esac
	return 1
}

for t in "$@"; do
	name=${t#*/tests/unit/}
	future_skip "$name" "unit/$name" && continue
	rc=0
	timeout 300 "$t" >"$tmp" 2>&1 || rc=$?
	n=0
	while IFS= read -r l; do
		case "$l" in
		"[       OK ] "*) record "PASS: unit/$name: ${l#\[       OK \] }"; n=$((n + 1)) ;;
		"[  FAILED  ] "*"test"*" "*) ;;
		"[  FAILED  ] "*) record "FAIL: unit/$name: ${l#\[  FAILED  \] }"; n=$((n + 1)) ;;
		"[  ERROR   ] "*) record "FAIL: unit/$name: ${l#\[  ERROR   \] }"; n=$((n + 1)) ;;
		"[  SKIPPED ] "*) record "SKIP: unit/$name: ${l#\[  SKIPPED \] }" ;;
		esac
	done <"$tmp"
	if [ "$rc" != 0 ] || [ "$n" = 0 ]; then
		grep -v '^\[' "$tmp" | head -40
		[ "$rc" != 0 ] && record "FAIL: unit/$name: exit status $rc"
	fi
done

# Fuzz corpora as regression tests: $WARD_BUILD/fuzz/fuzz_NAME (the target
# linked with tests/fuzz_replay.c) over fuzz/corpus/fuzz_NAME, one line each.
if [ -n "${WARD_BUILD:-}" ]; then
	for f in "$WARD_BUILD"/fuzz/fuzz_*; do
		[ -x "$f" ] || continue
		name=$(basename "$f")
		rc=0
		timeout 300 "$f" "fuzz/corpus/$name" >"$tmp" 2>&1 || rc=$?
		if [ "$rc" = 0 ]; then
			record "PASS: fuzz-replay: $name ($(grep -oE 'replayed [0-9]+ inputs' "$tmp"))"
		else
			grep -v '^fuzz_replay: fuzz/' "$tmp" | tail -30
			grep '^fuzz_replay: fuzz/' "$tmp" | tail -1
			record "FAIL: fuzz-replay: $name: exit status $rc"
		fi
	done
fi

# Golden cases (tests/cases/<stage>/<name>/): one PASS/FAIL line per case, a
# diff on failure. WARD_ONLY=cases runs only them; WARD_ONLY=cases/match
# only the cases whose stage/name contains "match".
if [ -z "${WARD_ONLY:-}" ] || [[ "${WARD_ONLY}" == cases* ]]; then
	pat=${WARD_ONLY:-}; pat=${pat#cases}; pat=${pat#/}
	rc=0
	timeout 1200 python3 tests/cases/run.py --bin "${WARD_BIN:-bin}" ${pat:+"$pat"} >"$tmp" 2>&1 || rc=$?
	while IFS= read -r l; do
		case "$l" in
		PASS:*|FAIL:*|SKIP:*) record "$l" ;;
		*) echo "$l" ;;
		esac
	done <"$tmp"
	# 1: some case failed (its FAIL line is recorded); anything else: the runner
	case "$rc" in 0|1) ;; *) record "FAIL: cases: runner exit status $rc" ;; esac
fi

for s in tests/integration/*.sh; do
	[ -e "$s" ] || continue
	if [ -n "${WARD_ONLY:-}" ] && [[ "$s" != *"$WARD_ONLY"* ]]; then continue; fi
	future_skip "$(basename "$s" .sh)" "$(basename "$s" .sh)" && continue
	rc=0
	timeout 600 bash "$s" >"$tmp" 2>&1 || rc=$?
	while IFS= read -r l; do
		case "$l" in
		PASS:*|FAIL:*|SKIP:*) record "$l" ;;
		*) echo "$l" ;;
		esac
	done <"$tmp"
	if [ "$rc" != 0 ]; then record "FAIL: $(basename "$s" .sh): script exit status $rc"; fi
done
exit 0
