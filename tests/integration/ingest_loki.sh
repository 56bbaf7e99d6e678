#!/usr/bin/env bash
# The Loki transport against tests/lokisrv.py: push (batches, gzip, retries,
# 400, undelivered at shutdown, backpressure bound), query_range paging, the
# round trip file -> Loki -> events, tenant and authentication.
. "$(dirname "$0")/../lib.sh"
cd "$TOP" || exit 1
I="$W/ward-ingest"
command -v python3 >/dev/null || { t_skip "all" "no python3"; exit 0; }

# start_loki NAME [lokisrv options]: sets L (base URL) and stat/ctl helpers.
start_loki() {
	local name=$1; shift
	python3 tests/lokisrv.py --port-file "$T/$name.port" "$@" &
	t_defer "kill $!"
	t_wait_for test -s "$T/$name.port" || { t_fail "$name: test server started"; exit 0; }
	L="http://127.0.0.1:$(cat "$T/$name.port")"
}
stat_of() { curl -s "$L/test/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
fail_next() { curl -s -XPOST "$L/test/fail?status=$1&count=$2" >/dev/null; }
# Events with labels sorted, so label order does not matter.
norm() { python3 -c 'import json,sys
for l in sys.stdin: print(json.dumps(json.loads(l), sort_keys=True))'; }
FAST="-X loki.min_backoff=20ms -X loki.max_backoff=100ms -X loki.batch_wait=50ms"

# Lines with RFC 3339 times in the last minutes; groups of 3 share a
# nanosecond so page boundaries fall inside groups of equal timestamps.
python3 - "$T/in.log" <<'PY'
import sys, time, datetime
t0 = (time.time_ns() // 1000000000 - 600) * 1000000000
with open(sys.argv[1], "w") as f:
    for i in range(40):
        ns = t0 + (i // 3) * 1000
        s = datetime.datetime.fromtimestamp(ns // 10**9, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
        f.write("%s.%09dZ host sshd[%d]: Failed password for root from 198.18.0.%d\n" % (s, ns % 10**9, 100 + i, i))
PY
START=$(python3 -c 'import time; print((time.time_ns()//10**9 - 700) * 10**9)')

# ---- push and round trip ---------------------------------------------------
start_loki rt
"$I" --ts rfc3339 --label job=rt --label host=web1 "$T/in.log" --out "loki+$L" $FAST 2>"$T/push.err"
t_eq "push exits 0" "$?" 0
t_eq "every entry stored" "$(stat_of stored_entries)" 40
t_eq "pushed gzip-compressed" "$(stat_of gzip_requests)" "$(stat_of push_requests)"
t_eq "counters: loki_sent" "$(t_counter "$T/push.err" loki_sent)" 40
"$I" --ts rfc3339 --label job=rt --label host=web1 "$T/in.log" 2>/dev/null | norm >"$T/want"
"$I" --loki "$L" --query '{job="rt"}' --start "$START" --end now -X loki.limit=4 2>"$T/q.err" | norm >"$T/got"
t_files_eq "round trip file -> Loki -> events, paging by 4 through equal timestamps" "$T/got" "$T/want"
"$I" --in "loki+$L?query=%7Bjob%3D%22rt%22%7D&start=$START&end=now&limit=5" -X loki.limit=5 2>/dev/null | norm >"$T/got2"
t_files_eq "--in loki+http:// URI gives the same events" "$T/got2" "$T/want"
"$I" --loki "$L" --query '{job="rt"} |= "198.18.0.7"' --start "$START" --end now 2>/dev/null >"$T/one"
t_eq "a line filter is passed to Loki" "$(wc -l <"$T/one")" 1

# whole events as lines (-X loki.format=json) come back as the same events
start_loki js
"$I" --ts rfc3339 --label job=js "$T/in.log" --out "loki+$L" -X loki.format=json $FAST 2>/dev/null
"$I" --ts rfc3339 --label job=js "$T/in.log" 2>/dev/null | norm >"$T/wantjs"
"$I" --loki "$L" --query '{job="js"}' --start "$START" --end now -X loki.format=json 2>/dev/null | norm >"$T/gotjs"
t_files_eq "loki.format=json round trip keeps whole events" "$T/gotjs" "$T/wantjs"

# follow mode: entries pushed after the reader started arrive
start_loki fo
"$I" --loki "$L" --query '{job="fo"}' --start 1m -X loki.poll=100ms >"$T/follow" 2>/dev/null &
FPID=$!
t_defer "kill $FPID"
printf 'one\ntwo\nthree\n' | "$I" --label job=fo --out "loki+$L" $FAST 2>/dev/null
has_lines() { [ "$(wc -l <"$1")" -ge "$2" ]; }
t_wait_for has_lines "$T/follow" 3
printf 'four\n' | "$I" --label job=fo --out "loki+$L" $FAST 2>/dev/null
t_wait_for has_lines "$T/follow" 4
kill "$FPID"; wait "$FPID" 2>/dev/null
t_eq "follow mode polls for new entries, none twice" "$(python3 -c 'import json,sys
print(" ".join(json.loads(l)["line"] for l in open(sys.argv[1])))' "$T/follow")" "one two three four"

# ---- retries --------------------------------------------------------------
start_loki rr
fail_next 429 2
"$I" --label job=rr "$T/in.log" --out "loki+$L" $FAST 2>"$T/rr.err"
t_eq "429 twice then success: exit 0" "$?" 0
t_eq "429: retried until stored, no duplicates" "$(stat_of stored_entries)" 40
t_eq "429: statuses seen" "$(stat_of statuses)" "[429, 429, 204]"
t_eq "429: loki_retries counted" "$(t_counter "$T/rr.err" loki_retries)" 2
fail_next 500 3
"$I" --label job=rr2 "$T/in.log" --out "loki+$L" $FAST 2>"$T/rr2.err"
t_eq "500 three times then success" "$(stat_of stored_entries)" 80
t_eq "500: loki_retries counted" "$(t_counter "$T/rr2.err" loki_retries)" 3

# ---- 400 is never retried; the valid entries are stored -------------------
start_loki br
FUT=$(python3 -c 'import datetime; print((datetime.datetime.now(datetime.timezone.utc)+datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"))')
{ head -5 "$T/in.log"; echo "$FUT from the future"; tail -5 "$T/in.log"; } >"$T/fut.log"
"$I" --ts rfc3339 --label job=br "$T/fut.log" --out "loki+$L" $FAST 2>"$T/br.err"
t_eq "400: exit 0 (logged, counted, the rest goes on)" "$?" 0
t_eq "400: one request, not retried" "$(stat_of push_requests)" 1
t_eq "400: the valid entries were stored" "$(stat_of stored_entries)" 10
t_grep "400: logged with Loki's reason" "HTTP 400.*too new" "$T/br.err"
t_eq "400: loki_rejected counts the batch" "$(t_counter "$T/br.err" loki_rejected)" 11

# ---- what cannot be delivered is reported --------------------------------
start_loki un
fail_next 500 1000
rc=0; "$I" --label job=un "$T/in.log" --out "loki+$L" $FAST -X loki.max_retries=2 2>"$T/un.err" || rc=$?
t_eq "retries exhausted: exit 74" "$rc" 74
t_eq "retries exhausted: loki_undelivered" "$(t_counter "$T/un.err" loki_undelivered)" 40
t_grep "retries exhausted: reported" "gave up on 40 entries" "$T/un.err"
fail_next 500 0
curl -s -XPOST "$L/test/delay?seconds=5" >/dev/null
rc=0; "$I" --label job=dr "$T/in.log" --out "loki+$L" $FAST -X loki.drain_timeout=300ms 2>"$T/dr.err" || rc=$?
t_eq "drain timeout: exit 74" "$rc" 74
t_grep "drain timeout: undelivered reported" "undelivered|gave up" "$T/dr.err"
t_eq "drain timeout: loki_undelivered" "$(t_counter "$T/dr.err" loki_undelivered)" 40
curl -s -XPOST "$L/test/delay?seconds=0" >/dev/null
# a dead server, ended by the drain timeout before loki.max_retries (10): the
# message says the drain timeout ended it, not "after 10 retries"
fail_next 500 1000
rc=0; "$I" --label job=dt "$T/in.log" --out "loki+$L" -X loki.min_backoff=100ms -X loki.max_backoff=100ms \
	-X loki.batch_wait=50ms -X loki.drain_timeout=350ms 2>"$T/dt.err" || rc=$?
t_eq "drain timeout during retries: exit 74" "$rc" 74
t_grep "drain timeout during retries: says the drain timeout ended them" \
	"gave up on [0-9]+ entries after [0-9]+ attempts?: the drain timeout \(loki.drain_timeout=350ms\)" "$T/dt.err"
t_eq "drain timeout during retries: no claim of 10 retries" "$(grep -c 'after 10 retries' "$T/dt.err")" 0
fail_next 500 0

# ---- batches bounded by size; a slow Loki holds the writer back ------------
start_loki bp --delay 0.05
python3 -c 'import sys
for i in range(300): print("line %04d %s" % (i, "x" * 90))' >"$T/big.log"
"$I" --label job=bp "$T/big.log" --out "loki+$L" $FAST -X loki.batch_size=2K -X loki.buffer=4K 2>"$T/bp.err"
t_eq "slow Loki: every entry delivered" "$(stat_of stored_entries)" 300
t_ok "batches stay under loki.batch_size (<= 21 lines of 100 bytes)" test "$(stat_of max_request_entries)" -le 21
t_ok "many requests were needed" test "$(stat_of push_requests)" -ge 14
curl -s "$L/test/dump" | python3 -c 'import json,sys
lines=[json.loads(l)["line"] for l in sys.stdin]
sys.exit(0 if lines == sorted(lines) else 1)'
t_eq "entries of one stream stored in order" "$?" 0

# ---- tenant and authentication ------------------------------------------------
start_loki au --require-tenant --bearer s3cret
printf 'secret line\n' | WARD_LOKI_TOKEN=s3cret "$I" --label job=au --out "loki+$L" -X loki.tenant=team1 $FAST 2>/dev/null
t_eq "bearer token from the environment, tenant header" "$(stat_of tenants)" "['team1']"
printf 'x\n' | "$I" --label job=au --out "loki+$L" -X loki.tenant=team1 $FAST 2>"$T/au.err"
t_grep "no token: 401 logged, not retried" "HTTP 401" "$T/au.err"
echo s3cret >"$T/token"
WARD_LOKI_TOKEN_FILE="$T/token" "$I" --loki "$L" --query '{job="au"}' --end now -X loki.tenant=team1 2>/dev/null >"$T/au.out"
t_grep "query with token from a file and the tenant" '"line":"secret line"' "$T/au.out"
rc=0; "$I" --loki "$L" --query '{job="au"}' --end now 2>/dev/null || rc=$?
t_eq "query refused without tenant: exit 74" "$rc" 74
start_loki ba --basic ward:pa55
printf 'pa55\n' >"$T/pw"
printf 'basic\n' | WARD_LOKI_USER=ward "$I" --label job=ba --out "loki+$L" -X loki.password_file="$T/pw" $FAST 2>/dev/null
t_eq "basic auth with the password from a file" "$(stat_of stored_entries)" 1

# ---- configuration errors ------------------------------------------------------
t_status "unknown loki property: exit 78" 78 "$I" --out "loki+$L" -X loki.bogus=1 </dev/null
t_status "query without --loki: usage" 64 "$I" --query '{a="b"}'
t_status "metric query is refused" 74 "$I" --loki "$L" --query 'rate({a="b"}[1m])' --end now

# ---- the test server follows Loki's rules ---------------------------------------
start_loki sv
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -XPOST "$L/loki/api/v1/push" \
	--data-raw '{"streams":[{"stream":{"a":"b"},"values":[[1570818238000000000,"n"]]}]}')
t_eq "server: a JSON number timestamp is 400" "$code" 400
t_eq "server: ... and nothing stored" "$(stat_of stored_entries)" 0
code=$(curl -s -o /dev/null -w '%{http_code}' -G "$L/loki/api/v1/query_range" --data-urlencode 'query={a="b"}' -d limit=5001)
t_eq "server: limit over 5000 is 400" "$code" 400

# ---- backpressure: a stalled Loki stops the reading, memory stays bounded ----
start_loki st --delay 1
python3 - "$I" "$L" >"$T/st.out" 2>/dev/null <<'PY'
import os, subprocess, sys, time
ingest, url = sys.argv[1], sys.argv[2]
p = subprocess.Popen([ingest, "--ts", "none", "--label", "job=st", "--out", "loki+" + url,
                      "-X", "loki.batch_size=2K", "-X", "loki.buffer=4K", "-X", "loki.batch_wait=50ms"],
                     stdin=subprocess.PIPE, stderr=subprocess.DEVNULL)
fd = p.stdin.fileno()
os.set_blocking(fd, False)
chunk = b"x" * 99 + b"\n"  # <= PIPE_BUF: written whole or not at all
written, deadline = 0, time.time() + 2.5
while time.time() < deadline and written < 4000000:
    try:
        written += os.write(fd, chunk)
    except BlockingIOError:
        time.sleep(0.01)
print(written)
sys.stdout.flush()
import urllib.request
urllib.request.urlopen(urllib.request.Request(url + "/test/delay?seconds=0", method="POST")).read()
os.set_blocking(fd, True)
p.stdin.close()
print(p.wait())
PY
written=$(head -1 "$T/st.out")
t_ok "stalled Loki: the writer was held back (wrote $written of 4000000 bytes)" test "$written" -lt 1000000
t_eq "stalled Loki: exit 0 once Loki answers again" "$(sed -n 2p "$T/st.out")" 0
t_eq "stalled Loki: every line written was delivered once" "$(stat_of stored_entries)" "$((written / 100))"

# ---- a cursor file resumes a reader after a restart ---------------------------
start_loki cu
printf 'c1\nc2\n' | "$I" --label job=cu --out "loki+$L" $FAST 2>/dev/null
"$I" --loki "$L" --query '{job="cu"}' --end now -X loki.cursor_file="$T/cursor" 2>/dev/null >"$T/cu1"
printf 'c3\n' | "$I" --label job=cu --out "loki+$L" $FAST 2>/dev/null
"$I" --loki "$L" --query '{job="cu"}' --end now -X loki.cursor_file="$T/cursor" 2>/dev/null >"$T/cu2"
t_eq "cursor file: first run reads what is there" "$(grep -c '"line":"c' "$T/cu1")" 2
t_eq "cursor file: second run reads only the new entry" "$(grep -o '"line":"c[0-9]"' "$T/cu2")" '"line":"c3"'
printf 'junk\n' >"$T/badcursor"
t_status "cursor file: a corrupt one is a configuration error" 78 "$I" --loki "$L" --query '{job="cu"}' --end now -X loki.cursor_file="$T/badcursor"

# ---- a followed file pushed to Loki; SIGTERM drains and saves positions --------
start_loki tf
seq 1 5 >"$T/tf.log"
"$I" -f --ts none --positions "$T/tf.pos" --label job=tf "$T/tf.log" --out "loki+$L" $FAST 2>"$T/tf.err" &
TPID=$!
t_defer "kill -9 $TPID"
stored_at_least() { [ "$(stat_of stored_entries)" -ge "$1" ]; }
t_wait_for stored_at_least 5
seq 6 9 >>"$T/tf.log"
t_wait_for stored_at_least 9
kill -TERM "$TPID"; rc=0; wait "$TPID" || rc=$?
t_eq "follow -> Loki: SIGTERM exits 0" "$rc" 0
t_eq "follow -> Loki: every line pushed once" "$(stat_of stored_entries)" 9
t_grep "follow -> Loki: positions saved at the end of the file" " $(stat -c %s "$T/tf.log") " "$T/tf.pos"
