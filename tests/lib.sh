# tests/lib.sh - helpers for integration scripts (sourced).
#
# A script in tests/integration/ runs the real programs over real pipes and
# reports each check as one line: "PASS: file: name", "FAIL: file: name" or
# "SKIP: file: name (why)". tests/run.sh counts these lines.
#
#   . "$(dirname "$0")/../lib.sh"
#   t_eq "counts lines" "$(printf 'a\n' | "$W/ward-ingest" | wc -l)" 1
#   t_ok "exit 0" "$W/ward-ingest" --help
#   t_need_root || exit 0
#
# $W is the directory of the programs under test (release or sanitizer
# build), $TOOLS the built tests/tools programs of the same build, $T a
# fresh temporary directory removed at exit, $DATA tests/data.

set -u
W=${WARD_BIN:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/bin}
DATA=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/data
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/ward-test.XXXXXX")
TOOLS=${WARD_BUILD:-$TOP/build/release}/tests/tools
T_FILE=$(basename "$0" .sh)
T_CLEANUP=()
t_cleanup() {
	local c
	for c in "${T_CLEANUP[@]+"${T_CLEANUP[@]}"}"; do eval "$c" >/dev/null 2>&1 || true; done
	rm -rf "$T"
}
trap t_cleanup EXIT
# Register a command to run at exit (namespaces, background processes).
t_defer() { T_CLEANUP=("$1" "${T_CLEANUP[@]+"${T_CLEANUP[@]}"}"); }

t_pass() { echo "PASS: $T_FILE: $1"; }
t_fail() { echo "FAIL: $T_FILE: $1"; shift; [ $# -gt 0 ] && printf '  %s\n' "$@"; return 0; }
t_skip() { echo "SKIP: $T_FILE: $1 ($2)"; }

# t_eq NAME GOT WANT
t_eq() {
	if [ "$2" == "$3" ]; then t_pass "$1"
	else t_fail "$1" "got:  $(printf '%s' "$2" | head -c 2000)" "want: $(printf '%s' "$3" | head -c 2000)"; fi
}
# t_ok NAME CMD... : passes when CMD exits 0
t_ok() { local n=$1; shift; if "$@" >"$T/.out" 2>&1; then t_pass "$n"; else t_fail "$n" "exit $?: $(head -c 2000 "$T/.out")"; fi; }
# t_status NAME WANT CMD... : passes when CMD exits WANT
t_status() {
	local n=$1 want=$2 rc=0; shift 2
	"$@" >"$T/.out" 2>&1 || rc=$?
	if [ "$rc" == "$want" ]; then t_pass "$n"; else t_fail "$n" "exit $rc, want $want: $(head -c 2000 "$T/.out")"; fi
}
# t_grep NAME PATTERN FILE : passes when FILE has an extended-regex match
t_grep() { if grep -Eq -- "$2" "$3"; then t_pass "$1"; else t_fail "$1" "no /$2/ in $3: $(head -c 1000 "$3")"; fi; }
# t_lacks NAME REGEX CMD...: CMD succeeds and its output has no REGEX (a
# negative check that fails, not passes, when the listing itself fails).
t_lacks() {
	local n=$1 re=$2 rc=0; shift 2
	"$@" >"$T/.out" 2>&1 || rc=$?
	if [ "$rc" != 0 ]; then t_fail "$n" "listing failed (exit $rc): $(head -c 1000 "$T/.out")"
	elif grep -Eq -- "$re" "$T/.out"; then t_fail "$n" "/$re/ found: $(grep -E -- "$re" "$T/.out" | head -5)"
	else t_pass "$n"; fi
}
# t_fixture NAME CMD...: a precondition on the test's own data (a fixture,
# a generator's output), not a test of ward: silent when it holds, a FAIL
# when it does not, so PASS counts only checks of the programs.
t_fixture() { local n=$1; shift; "$@" >"$T/.out" 2>&1 || t_fail "fixture: $n" "$(head -c 1000 "$T/.out")"; }
t_files_eq() { if cmp -s "$2" "$3"; then t_pass "$1"; else t_fail "$1" "$(diff "$2" "$3" | head -20)"; fi; }

t_is_root() { [ "$(id -u)" = 0 ]; }
# t_need_root: SKIP the whole script unless root with network namespaces.
t_need_root() {
	if ! t_is_root; then t_skip "all" "needs root"; return 1; fi
	if ! ip netns add "wardprobe$$" 2>/dev/null; then t_skip "all" "no network namespaces"; return 1; fi
	ip netns del "wardprobe$$"; return 0
}
# t_wait_for CMD... : retry CMD up to 10 s
t_wait_for() { local i; for i in $(seq 100); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done; return 1; }
# The stderr counters line of a stage, as "key=value" lookups: t_counter FILE KEY
t_counter() { grep -o "\"$2\":[0-9]*" "$1" | tail -1 | cut -d: -f2; }
