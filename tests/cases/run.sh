#!/bin/sh
# tests/cases/run.sh [--regen] [--bin DIR] [PATTERN...]: the golden cases
# (tests/cases/run.py; docs/testing.md "Golden cases").
exec python3 "$(dirname "$0")/run.py" "$@"
