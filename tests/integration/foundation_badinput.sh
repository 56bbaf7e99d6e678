#!/usr/bin/env bash
# Bad input never stops a stream: each bad record is counted, reported once
# (rate-limited) and skipped; no valid record around it is lost.
. "$(dirname "$0")/../lib.sh"
cd "$TOP" || exit 1
I="$W/ward-ingest"
good='{"v":1,"ts":"2026-11-28T08:00:00.000000000Z","labels":{"job":"t"},"line":"good","fields":{}}'

run_events() { "$I" -F events "$@" <"$T/in" >"$T/out" 2>"$T/err"; }

# invalid JSON, not an object, wrong member types, invalid UTF-8, NUL bytes
# between valid records, each reported once: tests/cases/ingest/
# events_bad_records; blank lines between events (neither records nor
# malformed): tests/cases/match/blank_lines.

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
# (the --max-line bound is exact: tests/cases/ingest/max_line_exact)

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

# ---- URIs: a mistyped scheme is a usage error naming the known ones, never
# a file; a Kafka port outside 1-65535 is refused before any connection ----
for u in kafkaa://x/t lokii://h:3100 loki+htps://h; do
	t_status "--in $u exits 64" 64 "$W/ward-match" --in "$u" '{a="b"}'
	t_grep "--in $u: the message names the known schemes" "unknown scheme .*kafka://.*loki\+http://" "$T/.out"
	t_ok "--in $u: no file created" test ! -e "${u%%:*}:"
done
t_status "--out kafkaa://x/t exits 64" 64 "$W/ward-window" --by src_ip --range 10s --threshold '> 1' --out kafkaa://x/t
t_status "ward-report kafkaa://x/t exits 64" 64 "$W/ward-report" kafkaa://x/t
t_status "ward-ingest kafkaa://x/t (an operand) exits 64" 64 "$W/ward-ingest" kafkaa://x/t
t_status "ward-ingest on a missing file exits 74" 74 "$W/ward-ingest" /nonexistent/ward-test-file
t_status "--dead-letter lokii://x exits 64 in check mode too" 64 env WARD_CHECK=1 "$W/ward-match" --dead-letter lokii://x '{a="b"}'
for u in kafka://h:99999/t kafka://h:0/t kafka://h:/t 'kafka://h x:1/t'; do
	t_status "--in '$u' is refused (78)" 78 timeout 10 "$W/ward-match" --in "$u" '{a="b"}'
	t_grep "--in '$u': says why" "brokers:" "$T/.out"
done
