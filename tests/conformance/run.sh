#!/usr/bin/env bash
# tests/conformance/run.sh - detection on logs that others wrote (make
# conformance). Reads ../shared (the hub tests, real logs), which a user's
# machine lacks, so it is not part of make check. Each checker prints its
# own report; the exit status is 1 when any checker missed its target.
set -u
cd "$(dirname "$0")/../.."
shared=${WARD_SHARED:-../shared}
if [ ! -d "$shared/corpus" ]; then
	echo "ward: make conformance: $shared/corpus not found (it holds the real logs this runs on)" >&2
	exit 69
fi
rc=0
for c in tests/conformance/*.py; do
	echo "== $(basename "$c" .py)"
	python3 "$c" --bin "${WARD_BIN:-bin}" || rc=1
done
exit $rc
