#!/usr/bin/env bash
# ward-ingest --multiline-start: continuation lines joined to their first
# line (a Java stack trace, ModSecurity's audit log parts), per file, with
# the max wait, the line cap and the byte cap of Promtail's multiline stage.
. "$(dirname "$0")/../lib.sh"
cd "$TOP" || exit 1
I="$W/ward-ingest"
START='^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d'

printf '%s\n' 'orphan continuation' '2026-11-28 08:00:00,001 ERROR [main] request failed' \
	'java.lang.IllegalStateException: bad' '	at com.example.App.run(App.java:42)' '	... 3 more' \
	'2026-11-28 08:00:01,000 INFO [main] ok' >"$T/app.log"
printf '%s\n' '2026-11-28 08:00:00,500 WARN [w] other file' '	at other.File(F.java:1)' >"$T/b.log"
"$I" -q --multiline-start "$START" "$T/app.log" "$T/b.log" >"$T/out"
t_eq "four events: an orphan, two blocks of app.log, one of b.log" "$(wc -l <"$T/out")" 4
t_grep "a stack trace is one event with its first line's time" \
	'"ts":"2026-11-28T08:00:00.001000000Z".*"line":"2026-11-28 08:00:00,001 ERROR \[main\] request failed\\njava.lang.IllegalStateException: bad\\n\\tat com.example.App.run\(App.java:42\)\\n\\t... 3 more"' "$T/out"
t_grep "lines before the first first line are a block of their own" '"line":"orphan continuation"' "$T/out"
t_grep "the last block is emitted at the end of its file" '"filename":"[^"]*b.log"\},"line":"2026-11-28 08:00:00,500 WARN \[w\] other file\\n\\tat other.File' "$T/out"

# ModSecurity's serial audit log: parts --ID-A-- ... --ID-Z--, one event per transaction
printf '%s\n' '--a1b2c3d4-A--' '[28/Nov/2026:08:00:00 +0000] X 198.18.0.9 4242 192.0.2.10 80' '--a1b2c3d4-B--' 'GET /?id=1%27 HTTP/1.1' '--a1b2c3d4-H--' 'Message: Access denied with code 403' '--a1b2c3d4-Z--' \
	'--e5f6a7b8-A--' '[28/Nov/2026:08:00:05 +0000] Y 198.18.0.10 4243 192.0.2.10 80' '--e5f6a7b8-Z--' >"$T/audit.log"
"$I" -q --multiline-start '^--[0-9a-f]+-A--$' "$T/audit.log" >"$T/audit"
t_eq "ModSecurity audit log: one event per transaction" "$(wc -l <"$T/audit")" 2
t_grep "... all parts A to Z joined, time from part A's [dd/Mon/yyyy:...]" '"ts":"2026-11-28T08:00:00.000000000Z".*"line":"--a1b2c3d4-A--\\n.*--a1b2c3d4-H--\\nMessage: Access denied with code 403\\n--a1b2c3d4-Z--"' "$T/audit"

# caps: lines and bytes
{ echo "2026-11-28 08:00:00 start"; for i in 1 2 3 4 5; do echo "  cont $i"; done; } >"$T/cap.log"
"$I" -q --multiline-start "$START" --multiline-max-lines 3 "$T/cap.log" >"$T/cap"
t_eq "--multiline-max-lines 3: six lines make two events" "$(wc -l <"$T/cap")" 2
"$I" -q --multiline-start "$START" --max-line 40 "$T/cap.log" >"$T/capb"
t_grep "--max-line 40 bounds a block: the line that would pass it starts the next" '"line":"2026-11-28 08:00:00 start\\n  cont 1"' "$T/capb"
t_eq "... two blocks" "$(wc -l <"$T/capb")" 2

# followed: a block is emitted after --multiline-max-wait of silence
: >"$T/f.log"
"$I" -f --multiline-start "$START" --multiline-max-wait 500ms "$T/f.log" >"$T/fout" 2>/dev/null &
FPID=$!; t_defer "kill -9 $FPID"
sleep 0.3
printf '2026-11-28 08:00:00 ERROR x\n\tat y\n' >>"$T/f.log"
t_wait_for grep -q 'at y' "$T/fout"
t_grep "followed: the block is emitted after the max wait, no next first line needed" '"line":"2026-11-28 08:00:00 ERROR x\\n\\tat y"' "$T/fout"
kill "$FPID"; wait "$FPID" 2>/dev/null

t_status "a bad --multiline-start is a usage error" 64 "$I" --multiline-start '(' /dev/null
t_status "--multiline-start with --format zeek is a usage error" 64 "$I" --multiline-start x -F zeek /dev/null
