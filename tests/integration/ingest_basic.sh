#!/usr/bin/env bash
# ward-ingest over real pipes: golden output, options, exit statuses, signals.
. "$(dirname "$0")/../lib.sh"
cd "$TOP" || exit 1
I="$W/ward-ingest"
NOW="--now 2026-11-28T12:00:00Z"

"$I" $NOW --label job=sshd tests/data/ingest/auth.log >"$T/out" 2>"$T/err"
t_files_eq "golden events from a file" "$T/out" tests/data/ingest/auth.expected
t_eq "counters line on stderr" "$(t_counter "$T/err" in)/$(t_counter "$T/err" out)/$(t_counter "$T/err" ts_fallback)" "5/5/1"

# stdin gives the same events minus the filename label
"$I" $NOW --label job=sshd <tests/data/ingest/auth.log 2>/dev/null >"$T/stdin"
t_eq "stdin equals file without filename label" "$(sed 's/,"filename":"[^"]*"//' "$T/out")" "$(cat "$T/stdin")"

# two files in order through one output
"$I" $NOW tests/data/ingest/auth.log tests/data/ingest/auth.log 2>/dev/null >"$T/two"
t_eq "several files in order" "$(wc -l <"$T/two")" 10

# every output line is valid JSON that ward-ingest --format events reads back unchanged
"$I" $NOW -F events <"$T/out" >"$T/again" 2>"$T/err2"
t_files_eq "events read back unchanged" "$T/again" "$T/out"
t_eq "no malformed on round trip" "$(t_counter "$T/err2" malformed)" 0

t_status "unknown option is a usage error" 64 "$I" --bogus
t_status "bad label is a usage error" 64 "$I" --label 1x=y
t_status "bad --ts mode is a usage error" 64 "$I" --ts sometimes
t_status "missing file is an I/O error" 74 "$I" /nonexistent/file
t_status "--help exits 0" 0 "$I" --help
t_grep "--help names the exit statuses" "exit status" "$T/.out"
t_status "--version exits 0" 0 "$I" --version
t_grep "error format is ward-<stage>: <what>: <why>" "^ward-ingest: error: opening /nonexistent/file failed: No such file" \
	<("$I" /nonexistent/file 2>&1)

# SIGTERM while waiting on an idle pipe: drain and exit 0
mkfifo "$T/fifo"
( exec 3>"$T/fifo"; echo "first line" >&3; sleep 30 ) &
writer=$!
t_defer "kill $writer"
"$I" $NOW <"$T/fifo" >"$T/sig.out" 2>"$T/sig.err" &
pid=$!
t_wait_for grep -q "first line" "$T/sig.out"
kill -USR1 $pid
t_wait_for grep -q '"stage":"ingest"' "$T/sig.err"
t_grep "SIGUSR1 prints the counters" '"in":1' "$T/sig.err"
kill -TERM $pid
rc=0; wait $pid || rc=$?
t_eq "SIGTERM drains and exits 0" "$rc" 0
t_eq "event written before the stop" "$(grep -c 'first line' "$T/sig.out")" 1
kill $writer 2>/dev/null

# a closed stdout is the normal end of the stream
rc=0
yes "Nov 28 08:43:52 h p: x" | head -200000 | "$I" 2>"$T/pipe.err" | head -1 >/dev/null || rc=${PIPESTATUS[2]}
t_eq "closed stdout exits 0" "$rc" 0
t_eq "closed stdout prints no error" "$(grep -c 'error:' "$T/pipe.err")" 0

# ---- the job label -----------------------------------------------------------
# Every event has one, so rule selectors like {job=~".+"} match without
# options: --label job=X, else the kind of source.
printf 'a\n' | "$I" $NOW 2>/dev/null >"$T/job.stdin"
t_grep "job: stdin by default" '"labels":\{"job":"stdin"\}' "$T/job.stdin"
"$I" $NOW tests/data/ingest/auth.log 2>/dev/null | head -1 >"$T/job.file"
t_grep "job: file by default, before filename" '"labels":\{"job":"file","filename":"tests/data/ingest/auth.log"\}' "$T/job.file"
"$I" $NOW 'tests/data/ingest/auth.lo[g]' 2>/dev/null | head -1 >"$T/job.glob"
t_grep "job: file for a glob" '"labels":\{"job":"file","filename":"tests/data/ingest/auth.log"\}' "$T/job.glob"
"$I" $NOW --label host=h --label job=sshd tests/data/ingest/auth.log 2>/dev/null | head -1 >"$T/job.given"
t_grep "job: --label job wins" '"labels":\{"host":"h","job":"sshd","filename":"tests/data/ingest/auth.log"\}' "$T/job.given"
t_eq "job: only one job label" "$(grep -o '"job"' "$T/job.given" | wc -l)" 1
printf '%s\n' '{"v":1,"ts":"2026-11-28T08:00:00Z","labels":{"job":"kept"},"line":"x"}' \
	'{"v":1,"ts":"2026-11-28T08:00:00Z","labels":{"a":"b"},"line":"y"}' | "$I" -F events 2>/dev/null >"$T/job.ev"
t_grep "job: events keep theirs" '"labels":\{"job":"kept"\},"line":"x"' "$T/job.ev"
t_grep "job: events without one get the source's" '"labels":\{"a":"b","job":"stdin"\},"line":"y"' "$T/job.ev"
t_eq "job: a {job=~\".+\"} rule matches without --label" \
	"$("$I" $NOW tests/data/ingest/auth.log 2>/dev/null | "$W/ward-match" '{job=~".+"}' 2>/dev/null | wc -l)" 5
