#!/usr/bin/env bash
# tests/conformance/run.sh - detection on logs that others wrote (make
# conformance). Every tests/conformance/*.py is a checker: it takes --bin DIR,
# prints its report and exits non-zero when it misses its target (tools that
# need other arguments live in tests/tools/). Reads ../shared (the hub tests, real logs), which a user's
# machine lacks, so it is not part of make check. Each checker prints its
# own report; the exit status is 1 when any checker missed its target.
set -u
cd "$(dirname "$0")/../.."
shared=${WARD_SHARED:-../shared}
if [ ! -d "$shared/corpus" ]; then
	echo "ward: make conformance: $shared/corpus not found (it holds the real logs this runs on)" >&2
	exit 69
fi
# The hub's own target is 95% with extra sources in at most 3 tests. ward
# reaches 74 of 77 (96.1%) with extras in 4: the three misses are
# parser-only tests (CrowdSec loaded no scenario) where ward alerts on real
# attacks CrowdSec's own scenarios would flag (priority-1 Suricata alerts, a
# ModSecurity block, 15 failed FTP root logins then a success); the fourth
# extra is a client sending HTTP/1.2 in a test that loaded only another
# scenario (CrowdSec's http-dos-invalid-http-versions is a trigger on one
# such request). Fitting them away would make ward miss real attacks, so
# the gate allows those four and fails on any regression.
crowdsec_gate=(--min-pass "${CROWDSEC_MIN_PASS:-95}" --max-extra "${CROWDSEC_MAX_EXTRA:-4}")
rc=0
for c in tests/conformance/*.py; do
	echo "== $(basename "$c" .py)"
	extra=()
	[ "$(basename "$c")" = crowdsec.py ] && extra=("${crowdsec_gate[@]}")
	python3 "$c" --bin "${WARD_BIN:-bin}" "${extra[@]+"${extra[@]}"}" || rc=1
done
exit $rc
