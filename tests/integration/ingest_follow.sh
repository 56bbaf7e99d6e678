#!/usr/bin/env bash
# ward-ingest --follow: rotation by rename, copytruncate, truncation,
# deletion, globs, .gz archives, --from-end, and a SIGKILL restart resumed
# from the positions file, all with exact line counts.
. "$(dirname "$0")/../lib.sh"
cd "$TOP" || exit 1
I="$W/ward-ingest"
D="$T/logs"; mkdir -p "$D"
lines() { [ -f "$1" ] && wc -l <"$1" || echo 0; }
# wait_lines FILE N: until FILE has N lines (at most 10 s; the count is then checked)
has_lines() { [ "$(lines "$1")" -ge "$2" ]; }
wait_lines() { t_wait_for has_lines "$1" "$2"; }
# The line texts of an event file, space separated, in order.
texts() { python3 -c 'import json,sys
print(" ".join(json.loads(l)["line"] for l in open(sys.argv[1])))' "$1"; }
sorted_texts() { python3 -c 'import json,sys
print(" ".join(sorted((json.loads(l)["line"] for l in open(sys.argv[1])), key=int)))' "$1"; }
start() { "$I" -f --ts none "$@" >>"$T/out" 2>>"$T/err" & PID=$!; t_defer "kill -9 $PID"; }
# Wait until the positions file records offset SIZE for inode of FILE.
wait_saved() { local ino size; ino=$(stat -c %i "$1"); size=$(stat -c %s "$1")
	t_wait_for grep -q " $ino $size " "$2"; }

# ---- rename rotation, truncation, copytruncate, deletion ----------------
seq 1 3 >"$D/app.log"
start --positions "$T/pos" "$D/app.log"
wait_lines "$T/out" 3
seq 4 6 >>"$D/app.log"
wait_lines "$T/out" 6
mv "$D/app.log" "$D/app.log.1"          # rename rotation; the writer goes on a moment
seq 7 8 >>"$D/app.log.1"
seq 9 10 >"$D/app.log"
wait_lines "$T/out" 10
t_eq "rename rotation: old file drained, new file read" "$(sorted_texts "$T/out")" "$(seq -s ' ' 1 10)"
seq 11 12 >>"$D/app.log"
wait_lines "$T/out" 12
cp "$D/app.log" "$D/app.log.2"; : >"$D/app.log"   # copytruncate
seq 13 14 >>"$D/app.log"
wait_lines "$T/out" 14
t_eq "copytruncate: read again from the start" "$(texts "$T/out" | cut -d' ' -f11-)" "11 12 13 14"
: >"$D/app.log"; seq 15 15 >>"$D/app.log"       # plain truncation
wait_lines "$T/out" 15
rm "$D/app.log"; seq 16 17 >"$D/app.log"        # deleted and created again
wait_lines "$T/out" 17
t_eq "no line lost or repeated across all of it" "$(sorted_texts "$T/out")" "$(seq -s ' ' 1 17)"
t_grep "filename label" '"filename":"[^"]*/app.log"' "$T/out"

# ---- SIGKILL and restart from the positions file ----------------------------
wait_saved "$D/app.log" "$T/pos"
kill -9 "$PID"; wait "$PID" 2>/dev/null
seq 18 20 >>"$D/app.log"
start --positions "$T/pos" "$D/app.log"
wait_lines "$T/out" 20
seq 21 21 >>"$D/app.log"
wait_lines "$T/out" 21
kill "$PID"; wait "$PID" 2>/dev/null
t_eq "SIGKILL restart resumes exactly: 21 lines once each" "$(sorted_texts "$T/out")" "$(seq -s ' ' 1 21)"
t_eq "the positions file is the last word" "$(head -1 "$T/pos")" "ward-positions 1"

# rotated while stopped: the renamed file is found by inode, the new one read whole
seq 22 23 >>"$D/app.log"
rm -f "$D/app.log.1" "$D/app.log.2"
mv "$D/app.log" "$D/app.log.3"; seq 24 25 >"$D/app.log"
start --positions "$T/pos" "$D/app.log*"
wait_lines "$T/out" 25
sleep 0.3
kill "$PID"; wait "$PID" 2>/dev/null
t_eq "rotated while stopped, glob: exactly the new lines" "$(texts "$T/out" | cut -d' ' -f22- | tr ' ' '\n' | sort -n | tr '\n' ' ')" "22 23 24 25 "

# ---- globs, new files, .gz once, --from-end ------------------------------------
: >"$T/out"
mkdir -p "$T/g"
seq 1 2 >"$T/g/a.log"
printf '%s\n' 100 101 | gzip >"$T/g/old.log.gz"
start --positions "$T/gpos" "$T/g/*.log" "$T/g/*.gz"
wait_lines "$T/out" 4
seq 3 3 >"$T/g/b.log"                   # a new file matching the glob
wait_lines "$T/out" 5
wait_saved "$T/g/b.log" "$T/gpos"
kill "$PID"; wait "$PID" 2>/dev/null
t_eq "glob, new file, .gz archive" "$(sorted_texts "$T/out")" "1 2 3 100 101"
start --positions "$T/gpos" "$T/g/*.log" "$T/g/*.gz"
seq 4 4 >>"$T/g/a.log"
wait_lines "$T/out" 6
kill "$PID"; wait "$PID" 2>/dev/null
t_eq ".gz is read once, across restarts" "$(sorted_texts "$T/out")" "1 2 3 4 100 101"

: >"$T/out"
seq 1 5 >"$T/fe.log"
start --from-end "$T/fe.log"
sleep 0.3
seq 6 7 >>"$T/fe.log"
wait_lines "$T/out" 2
kill "$PID"; wait "$PID" 2>/dev/null
t_eq "--from-end skips what was there" "$(texts "$T/out")" "6 7"

# ---- read once (no --follow) with globs and .gz; errors -------------------------
"$I" --ts none "$T/g/*.log" "$T/g/old.log.gz" >"$T/once" 2>/dev/null
t_eq "without --follow: read once and exit" "$(sorted_texts "$T/once")" "1 2 3 4 100 101"
t_status "without --follow: a glob naming nothing is an I/O error" 74 "$I" "$T/g/*.nothing"
printf 'x1\n' >"$T/g/odd[1].log"
"$I" --ts none "$T/g/odd[1].log" "$T/g/*.gz" >"$T/odd" 2>/dev/null
t_eq "a file name holding glob characters is read as itself" "$(texts "$T/odd")" "x1 100 101"
printf 'garbage\n' >"$T/badpos"
t_status "a corrupt positions file is a configuration error" 78 "$I" -f --positions "$T/badpos" "$T/fe.log"
t_status "--follow without files is a usage error" 64 "$I" -f
t_status "--from-beginning with --from-end is a usage error" 64 "$I" --from-beginning --from-end x
