#!/usr/bin/env bash
# Every program has a man page, and the man page documents every option that
# --help lists (and no option that --help does not know).
. "$(dirname "$0")/../lib.sh"
cd "$TOP" || exit 1
for prog in "$W"/ward-*; do
	name=$(basename "$prog")
	man="docs/man/$name.1"
	if [ ! -f "$man" ]; then t_fail "$name has a man page" "missing $man"; continue; fi
	"$prog" --help >"$T/help" 2>&1
	help_opts=$(grep -oE -- '--[a-z][a-z0-9-]+' "$T/help" | sort -u)
	man_opts=$(sed 's/\\-/-/g' "$man" | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u)
	missing=$(comm -23 <(echo "$help_opts") <(echo "$man_opts") | tr '\n' ' ')
	extra=$(comm -13 <(echo "$help_opts") <(echo "$man_opts") | tr '\n' ' ')
	t_eq "$name: man page lists every --help option" "$missing" ""
	t_eq "$name: man page lists no unknown option" "$extra" ""
	t_grep "$name: man page documents exit status" "EXIT STATUS" "$man"
done

# Every man page formats without a troff/man warning at 80 columns.
if command -v man >/dev/null; then
	for f in docs/man/*.1; do
		# no seccomp sandbox: a preloaded library (libfaketime under make
		# check-future) cannot open its semaphore in it and says so on stderr
		MAN_DISABLE_SECCOMP=1 MANWIDTH=80 man --warnings -l "$f" 2>"$T/warn" >/dev/null
		t_eq "$(basename "$f"): man --warnings prints nothing" "$(cat "$T/warn")" ""
	done
else
	t_skip "man pages format without warnings" "man not installed"
fi
