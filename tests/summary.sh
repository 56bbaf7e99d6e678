#!/usr/bin/env bash
# tests/summary.sh RESULTS - the closing line of make check.
f=${1:-build/results.txt}
pass=$(grep -c '^PASS:' "$f" 2>/dev/null); fail=$(grep -c '^FAIL:' "$f" 2>/dev/null)
skip=$(grep -c '^SKIP:' "$f" 2>/dev/null)
if [ "${fail:-0}" != 0 ]; then echo; echo "failures:"; grep '^FAIL:' "$f"; fi
echo
echo "${pass:-0} passed, ${fail:-0} failed, ${skip:-0} skipped"
[ "${fail:-0}" = 0 ] && [ "${pass:-0}" != 0 ]
