#!/usr/bin/env bash
# ward-run: pipelines of real programs over real pipes.
. "$(dirname "$0")/../lib.sh"

RUN="$W/ward-run"
AUTH="$TOP/pipelines/samples/auth.log"
cd "$T"

# ---- a plain chain: ward-ingest and ordinary programs ----
cat >chain.pipeline <<'P'
# events of one file, filtered by grep, counted by wc
LOG=/nonexistent
ward-ingest --label job=sshd --ts syslog "${LOG}"
/bin/grep -F "Failed password"
/usr/bin/wc -l
P
want=$(grep -c "Failed password" "$AUTH")
got=$("$RUN" --set LOG="$AUTH" chain.pipeline 2>err.txt)
t_eq "chain output equals grep -c on the file" "$(echo $got)" "$want"
t_grep "combined counters name the pipeline" '"stage":"run","pipeline":"chain.pipeline","status":0' err.txt
t_grep "combined counters hold ward-ingest's" "\"program\":\"ward-ingest\",\"status\":0,\"restarts\":0,\"counters\":\\{\"stage\":\"ingest\",\"in\":$(wc -l <"$AUTH")" err.txt
t_eq "the environment overrides the file" "$(LOG="$AUTH" "$RUN" chain.pipeline 2>/dev/null | tr -d ' ')" "$want"

"$RUN" --print --set LOG=/var/log/auth.log chain.pipeline >print.txt
t_eq "--print shows the shell pipeline" "$(cat print.txt)" "export LOG=/var/log/auth.log
$W/ward-ingest --label job=sshd --ts syslog /var/log/auth.log | \\
  /bin/grep -F 'Failed password' | \\
  /usr/bin/wc -l"
# ... which a shell runs to the same result, without bin/ on PATH (the ward
# programs found next to ward-run are printed with their path)
t_eq "--print output runs in bash" "$(bash -c "$("$RUN" --print --set LOG="$AUTH" chain.pipeline)" | tr -d ' ')" "$want"

# ---- include of shared settings, quoting ----
printf 'PATTERN="Accepted publickey"\n' >shared.conf
cat >inc.pipeline <<P
include shared.conf
/bin/grep -c -- "\${PATTERN}" "$AUTH"
P
t_eq "include provides settings" "$("$RUN" inc.pipeline 2>/dev/null)" "$(grep -c "Accepted publickey" "$AUTH")"

# ---- errors: file and line, exit 78, nothing started ----
printf 'ward-ingest\n/bin/cat | /bin/cat\n' >bad.pipeline
t_status "shell syntax: exit 78" 78 "$RUN" bad.pipeline
t_grep "error names file and line" "^ward-run: error: bad.pipeline:2: shell operator" "$T/.out"
printf '/usr/bin/touch %s/started\nward-ingest --no-such-option\n' "$T" >invalid.pipeline
t_status "a stage's bad option: exit 78" 78 "$RUN" invalid.pipeline
t_grep "validation error names the stage's line" "invalid.pipeline:2: ward-ingest rejected its command line" "$T/.out"
t_grep "the stage's own message follows on its own line" "^  ward-ingest: error: unknown option --no-such-option" "$T/.out"
t_eq "no line break shown as '?'" "$(grep -c 'line (status 64):?' "$T/.out")" "0"
t_eq "validation failure starts nothing" "$(ls "$T/started" 2>/dev/null)" ""
printf 'ward-ingest\nno-such-program-xyz\n' >missing.pipeline
t_status "missing program: exit 78" 78 "$RUN" missing.pipeline
t_grep "missing program named" "missing.pipeline:2: no-such-program-xyz: program not found" "$T/.out"
t_status "--check of a valid pipeline" 0 "$RUN" --check --set LOG="$AUTH" chain.pipeline
t_status "usage: no file" 64 "$RUN"

# ---- exit status: the first failing stage ----
printf '/bin/echo hello\n/usr/bin/false\n/bin/cat\n' >fail.pipeline
t_status "first failing stage's status" 1 "$RUN" fail.pipeline
t_grep "failure names the stage" "fail.pipeline:2: /usr/bin/false failed with status 1" "$T/.out"

# ---- fanout: branches over one stream, and a source branch ----
printf 'alpha 1\nbeta 2\nalpha 3\ngamma 4\n' >in.txt
cat >fan.pipeline <<P
/bin/cat $T/in.txt
fanout
  branch a
    /bin/grep alpha
  branch b
    /bin/grep -v alpha
    /bin/sed s/^/B:/
  source extra
    /bin/echo from-source
merge
/usr/bin/sort
P
t_eq "fanout copies, merges by line" "$("$RUN" fan.pipeline 2>/dev/null)" "B:beta 2
B:gamma 4
alpha 1
alpha 3
from-source"
"$RUN" --print fan.pipeline >fanprint.txt
t_eq "fanout --print runs in bash to the same lines" "$(bash fanprint.txt | sort)" "$("$RUN" fan.pipeline 2>/dev/null)"

# ---- SIGTERM: the first stage stops, the rest drain in order ----
mkfifo feed
exec 7<>feed	# keep the fifo open so the stage does not see EOF
printf 'ward-ingest --label job=t\n/bin/cat\n' >stop.pipeline
"$RUN" stop.pipeline <feed >out.ndjson 2>stop.err &
pid=$!
printf 'one\ntwo\nthree\n' >&7
lines_at_least() { [ "$(wc -l <"$1")" -ge "$2" ]; }
t_wait_for lines_at_least out.ndjson 3
kill -TERM $pid
rc=0; wait $pid || rc=$?
exec 7>&-
t_eq "SIGTERM: exit 0 after draining" "$rc" 0
t_eq "SIGTERM: every event delivered" "$(grep -c '"line":"t' out.ndjson)" 2
t_eq "SIGTERM: all three lines" "$(wc -l <out.ndjson)" 3
t_grep "SIGTERM: counters still collected" '"counters":\{"stage":"ingest","in":3,"out":3' stop.err

# ---- restart with backoff, only for a stage reading Kafka ----
# The stage is a shell that crashes on its first run; its words name a
# Kafka input, which is what makes ward-run restart it (no broker needed:
# sh never reads it).
cat >restart.pipeline <<P
/bin/sh -c "if [ -e $T/ran ]; then echo second run; else touch $T/ran; kill -SEGV \\\$\\\$; fi" sh --in kafka://127.0.0.1:9/t
/bin/cat
P
t_eq "crashed Kafka stage restarted" "$("$RUN" --restart-delay 10ms restart.pipeline 2>restart.err)" "second run"
t_grep "restart logged, its delay as people read it" "restart 1 of 5 in [0-9]+m?s$" restart.err
t_grep "restarts counted" '"restarts":1' restart.err
cat >crash.pipeline <<P
/bin/sh -c "kill -SEGV \\\$\\\$" sh --in kafka://127.0.0.1:9/t
P
t_status "restarts exhausted: the crash status" 139 "$RUN" --restart-delay 1ms --max-restarts 2 crash.pipeline
t_grep "two restarts, then the failure" '"restarts":2' "$T/.out"
printf '/bin/sh -c "exit 78" sh --in kafka://127.0.0.1:9/t\n' >cfg.pipeline
t_status "a configuration error is not restarted" 78 "$RUN" --restart-delay 1ms cfg.pipeline
t_grep "no restart for 78" '"restarts":0' "$T/.out"
printf '/bin/sh -c "kill -SEGV \\$\\$"\n' >norestart.pipeline
t_status "no Kafka input: no restart" 139 "$RUN" --restart-delay 1ms norestart.pipeline

# ---- the bundled pipelines parse, and the demo runs ----
for f in "$TOP"/pipelines/*.pipeline; do
	t_status "bundled $(basename "$f") parses" 0 "$RUN" --print "$f"
done
OUT="$T/demo" WARD_BIN="$W" "$TOP/pipelines/demo.sh" >demo.txt 2>&1
t_eq "demo: exit 0" "$?" 0
t_grep "demo: prints the report path" "report: $T/demo/report.html" demo.txt
t_grep "demo: prints the summary" "^  SSH alerts: [0-9]+" demo.txt
t_ok "demo: HTML report written" test -s "$T/demo/report.html"

# ---- the merge never mixes two branches' lines ----
python3 -c '
import sys
for i in range(300):
    sys.stdout.write(chr(97 + i % 26) * (70000 + i) + "\n")' >big.txt
printf '/bin/cat %s\nfanout\nbranch a\n/bin/cat\nbranch b\n/bin/cat\nmerge\n' "$T/big.txt" >merge.pipeline
"$RUN" merge.pipeline 2>/dev/null >merged.txt
t_eq "merge: every line twice" "$(wc -l <merged.txt)" 600
t_eq "merge: no line mixed or cut (one letter, its own length)" \
	"$(python3 -c '
import sys
bad = sum(1 for l in open(sys.argv[1]) if len(set(l.rstrip("\n"))) != 1 or (len(l) - 1 - 70000) % 26 != (ord(l[0]) - 97))
print(bad)' merged.txt)" 0

# ---- a stage that ignores the stop signals is killed after the grace time ----
printf '/bin/sh -c "trap \\"\\" TERM INT; exec /bin/sleep 60"\n' >stubborn.pipeline
"$RUN" --grace 200ms stubborn.pipeline >/dev/null 2>stubborn.err &
pid=$!
t_wait_for pgrep -P $pid -x sleep	# its trap is set once sh has exec'd sleep
kill -TERM $pid
rc=0; wait $pid || rc=$?
t_eq "stubborn stage: ward-run still ends (exit 0: it was asked to stop)" "$rc" 0
t_grep "stubborn stage: SIGKILL logged" "sending SIGKILL" stubborn.err

# ---- SIGUSR1: every stage's counters printed now, tagged with its line ----
mkfifo "$T/usr1.fifo"
cat >"$T/usr1.pipeline" <<P
ward-ingest --label job=t $T/usr1.fifo
ward-match '{job="t"} |= "x"'
P
exec 7<>"$T/usr1.fifo"	# a writer that stays, so the stages keep running
"$W/ward-run" "$T/usr1.pipeline" >/dev/null 2>"$T/usr1.err" 7>&- &
run_pid=$!
printf 'x1\ny2\n' >&7
for _ in $(seq 50); do grep -q . "$T/usr1.err" 2>/dev/null && break; sleep 0.1; done
sleep 0.5
kill -USR1 "$run_pid"
for _ in $(seq 100); do
	grep -q "ward-run: line 1 ward-ingest:" "$T/usr1.err" && grep -q "ward-run: line 2 ward-match:" "$T/usr1.err" && break
	sleep 0.1
done
t_grep "SIGUSR1: ward-ingest's counters, tagged with its line" '^ward-run: line 1 ward-ingest: \{"stage":"ingest","in":2' "$T/usr1.err"
t_grep "SIGUSR1: ward-match's counters" '^ward-run: line 2 ward-match: \{"stage":"match","in":2,"out":1' "$T/usr1.err"
exec 7>&-
wait "$run_pid"
t_eq "SIGUSR1 does not stop the pipeline (it ends at end of input, exit 0)" "$?" 0
