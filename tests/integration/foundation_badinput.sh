#!/usr/bin/env bash
# Bad input never stops a stream: each bad record is counted, reported once
# (rate-limited) and skipped; no valid record around it is lost.
. "$(dirname "$0")/../lib.sh"
cd "$TOP" || exit 1
I="$W/ward-ingest"
good='{"v":1,"ts":"2026-11-28T08:00:00.000000000Z","labels":{"job":"t"},"line":"good","fields":{}}'

run_events() { "$I" -F events "$@" <"$T/in" >"$T/out" 2>"$T/err"; }

# invalid JSON, not an object, wrong member types, invalid UTF-8, NUL bytes
{
	echo "$good"; echo '{"line": broken'; echo "$good"; echo '[1,2,3]'; echo "$good"
	echo '{"line":5}'; printf '{"line":"\xff\xfe"}\n'; printf '{"line":"a\0b"}\n'; echo "$good"
} >"$T/in"
run_events
t_eq "valid records around bad ones survive" "$(grep -c '"line":"good"' "$T/out")" 4
t_eq "bad records are counted as malformed" "$(t_counter "$T/err" malformed)" 5
t_eq "each bad record reported once" "$(grep -c 'malformed event' "$T/err")" 5

# a flood of garbage is rate-limited on stderr
for i in $(seq 1000); do echo "garbage $i"; done >"$T/in"
run_events
t_eq "flood counted in full" "$(t_counter "$T/err" malformed)" 1000
nwarn=$(grep -c 'malformed event' "$T/err")
t_ok "flood warnings are rate-limited (some, at most 5)" test "$nwarn" -ge 1 -a "$nwarn" -le 5
t_grep "suppressed warnings are summarized" "similar warnings suppressed" "$T/err"

# dead-letter output receives the bad records verbatim
printf '%s\nnot json\n%s\n' "$good" "$good" >"$T/in"
run_events --dead-letter "$T/dead"
t_eq "dead letter holds the bad record" "$(cat "$T/dead")" "not json"
t_eq "dead letter keeps the stream going" "$(wc -l <"$T/out")" 2

# --strict stops at the first bad record with 65
printf '%s\nnot json\n%s\n' "$good" "$good" >"$T/in"
rc=0; "$I" -F events --strict <"$T/in" >"$T/out" 2>/dev/null || rc=$?
t_eq "--strict exits 65" "$rc" 65
t_eq "--strict wrote the records before" "$(wc -l <"$T/out")" 1

# a 50 MiB line is skipped whole, never split; lines around it survive
{ echo "before"; head -c $((50 * 1024 * 1024)) /dev/zero | tr '\0' 'x'; echo; echo "after"; } >"$T/in"
"$I" --now 2026-11-28T12:00:00Z <"$T/in" >"$T/out" 2>"$T/err"
t_eq "50 MiB line skipped, neighbours kept" "$(grep -o '"line":"[a-z]*"' "$T/out" | tr '\n' ' ')" '"line":"before" "line":"after" '
t_eq "50 MiB line counted as oversized" "$(t_counter "$T/err" oversized)" 1
t_grep "oversized line reported" "longer than --max-line" "$T/err"
"$I" --max-line 4 <<<$'1234\n12345\nabc' >"$T/out" 2>"$T/err"
t_eq "--max-line bound is exact" "$(grep -o '"line":"[0-9a-z]*"' "$T/out" | tr '\n' ' ')" '"line":"1234" "line":"abc" '

# raw binary garbage becomes valid UTF-8 JSON
head -c 200000 /dev/urandom >"$T/in"
"$I" <"$T/in" >"$T/out" 2>"$T/err"
rc=$?
t_eq "binary garbage: exit 0" "$rc" 0
t_ok "binary garbage: output is valid UTF-8" iconv -f UTF-8 -t UTF-8 "$T/out" -o /dev/null
t_eq "binary garbage: every line is one JSON event" \
	"$("$I" -F events <"$T/out" 2>&1 >/dev/null | grep -o '"malformed":[0-9]*')" '"malformed":0'

# an empty file is a clean, empty stream
: >"$T/empty"
"$I" "$T/empty" >"$T/out" 2>"$T/err"
t_eq "empty file: no events, exit 0" "$?/$(wc -c <"$T/out")" "0/0"

# ---- -q: only errors on stderr; ward-run still gets the stages' counters ----
printf 'a\n' | "$W/ward-ingest" -q >/dev/null 2>"$T/q.err"
t_eq "-q: nothing on stderr when all went well (no counters line)" "$(wc -c <"$T/q.err")" "0"
printf 'a\n' | "$W/ward-ingest" >/dev/null 2>"$T/noq.err"
t_grep "without -q: the counters line" '^\{"stage":"ingest","in":1,' "$T/noq.err"
printf 'a\nb\n' >"$T/q.log"
printf 'ward-ingest -q %s\n' "$T/q.log" >"$T/q.pipeline"
"$W/ward-run" "$T/q.pipeline" >/dev/null 2>"$T/run.err"
t_grep "ward-run's summary has the counters of a -q stage" '"counters":\{"stage":"ingest","in":2' "$T/run.err"
