#!/usr/bin/env bash
# ward-ingest sources: Docker json-file and CRI container logs (golden
# fixtures), and the syslog receiver fed by logger(1) over UDP and TCP.
. "$(dirname "$0")/../lib.sh"
cd "$TOP" || exit 1
I="$W/ward-ingest"
D=tests/data/ingest

# ---- container logs -------------------------------------------------------
"$I" --format docker $D/docker/containers/3f4e5d/3f4e5d-json.log >"$T/docker" 2>"$T/docker.err"
t_files_eq "docker json-file: golden events (partial lines joined, container name)" "$T/docker" $D/docker.expected
t_eq "docker: bad lines counted as malformed" "$(t_counter "$T/docker.err" malformed)" 2
t_grep "docker: container label from config.v2.json" '"container":"victim_server"' "$T/docker"
"$I" --format cri $D/pods/soc_web-7d9f_1234/web_server/0.log >"$T/cri" 2>"$T/cri.err"
t_files_eq "cri: golden events (P pieces joined across an stderr line)" "$T/cri" $D/cri.expected
t_eq "cri: bad flags counted as malformed" "$(t_counter "$T/cri.err" malformed)" 1
t_grep "cri: container label from the pod directory" '"container":"web_server"' "$T/cri"
# followed, like Promtail tailing /var/log/pods
mkdir -p "$T/pods/ns_pod_1/web_server"
"$I" -f --format cri "$T/pods/*/*/*.log" >"$T/cri.f" 2>/dev/null &
PID=$!; t_defer "kill -9 $PID"
sleep 0.2
printf '2026-11-28T08:00:00Z stdout P a\n' >>"$T/pods/ns_pod_1/web_server/0.log"
printf '2026-11-28T08:00:01Z stdout F b\n' >>"$T/pods/ns_pod_1/web_server/0.log"
t_wait_for grep -q '"line":"ab"' "$T/cri.f"
t_grep "cri followed: pieces written apart are joined" '"line":"ab".*"container":"web_server"|"container":"web_server".*"line":"ab"' "$T/cri.f"
kill "$PID"

# ---- syslog ------------------------------------------------------------------
command -v logger >/dev/null || { t_skip "syslog" "no logger (bsdutils)"; exit 0; }
# --now: the year of the BSD times below does not depend on the day the test runs
"$I" --syslog-udp 127.0.0.1:0 --syslog-tcp 127.0.0.1:0 --label job=syslog --now 2026-11-28T23:59:59Z >"$T/sys" 2>"$T/sys.err" &
SPID=$!; t_defer "kill -9 $SPID"
t_wait_for grep -q "tcp 127.0.0.1 port" "$T/sys.err"
UP=$(grep -o 'udp 127.0.0.1 port [0-9]*' "$T/sys.err" | awk '{print $4}')
TP=$(grep -o 'tcp 127.0.0.1 port [0-9]*' "$T/sys.err" | awk '{print $4}')
logger -n 127.0.0.1 -P "$UP" -d --rfc5424 --id=812 -t sshd -p auth.warning "Failed password for root from 198.18.0.7 port 4242 ssh2"
logger -n 127.0.0.1 -P "$UP" -d --rfc3164 -t cron -p cron.info "bsd over udp"
logger -n 127.0.0.1 -P "$TP" -T --octet-count -t app1 "tcp octet counting"
logger -n 127.0.0.1 -P "$TP" -T --rfc3164 -t app2 "tcp newline framing"
printf '<34>1 2026-11-28T08:43:52.5Z web1 su - ID47 [ex@32473 a="1\\]"] BOM-less message\n<13>Nov 28 08:43:53 web2 kernel: raw tcp line\n<13>Nov 28 08:43:54 web2 no tag here\n' |
	nc -q1 127.0.0.1 "$TP"
t_wait_for grep -q "no tag here" "$T/sys"
t_eq "seven syslog messages" "$(wc -l <"$T/sys")" 7
# The line is "program[pid]: message", as a syslog daemon writes it to a
# file after its header, so rules anchored at the program tag match it.
t_grep "RFC 5424 over UDP: APP-NAME[PROCID]: MSG, program, pid, severity" '"program":"sshd","pid":"812","severity":"warning".*"line":"sshd\[812\]: Failed password for root from 198.18.0.7 port 4242 ssh2"' "$T/sys"
t_grep "RFC 3164 over UDP: TAG: MSG" '"program":"cron","severity":"info".*"line":"cron: bsd over udp"' "$T/sys"
t_grep "octet counting over TCP" '"program":"app1".*"line":"app1: tcp octet counting"' "$T/sys"
t_grep "newline framing over TCP" '"program":"app2".*"line":"app2: tcp newline framing"' "$T/sys"
t_grep "structured data skipped, header time kept, PROCID - omitted" '"ts":"2026-11-28T08:43:52.500000000Z","labels":\{"job":"syslog","host":"web1","program":"su","severity":"crit","peer":"127.0.0.1"\},"line":"su: BOM-less message"' "$T/sys"
t_grep "BSD time and host from the header" '"ts":"2026-11-28T08:43:53.000000000Z".*"host":"web2","program":"kernel".*"line":"kernel: raw tcp line"' "$T/sys"
t_grep "no tag: the message alone, no program label" '"labels":\{"job":"syslog","host":"web2","severity":"notice","peer":"127.0.0.1"\},"line":"no tag here"' "$T/sys"
t_eq "a rule anchored at sshd[PID]: matches the received line" \
	"$("$W/ward-match" '{job=~".+"} |~ "^sshd\\[[0-9]+\\]: Failed password for \\S+ from 198[.]18[.]0[.]7 "' --in "$T/sys" 2>/dev/null | wc -l)" 1
t_grep "peer label" '"peer":"127.0.0.1"' "$T/sys"
kill "$SPID"; wait "$SPID" 2>/dev/null

# bounded connections: with --syslog-max-conn 1 a second connection is refused
"$I" --syslog-tcp 127.0.0.1:0 --syslog-max-conn 1 >"$T/b" 2>"$T/b.err" &
BPID=$!; t_defer "kill -9 $BPID"
t_wait_for grep -q "tcp 127.0.0.1 port" "$T/b.err"
BP=$(grep -o 'tcp 127.0.0.1 port [0-9]*' "$T/b.err" | awk '{print $4}')
{ echo "<13>first"; sleep 1; } | nc -q0 127.0.0.1 "$BP" &
NCPID=$!
t_wait_for grep -q first "$T/b"
echo "<13>second" | timeout 5 nc -q1 127.0.0.1 "$BP"
wait "$NCPID"
kill "$BPID"; wait "$BPID" 2>/dev/null
t_eq "second connection refused while the first is open" "$(t_counter "$T/b.err" syslog_refused)" 1
t_grep "job: syslog by default" '"labels":\{"job":"syslog",' "$T/b"
t_status "a bad listen address is unavailable" 69 "$I" --syslog-udp 203.0.113.1:bad

# ---- parsers: --regex labels and time, --ts-json ---------------------------
printf '%s\n' '2026-11-28T08:00:01Z level=warn msg=a' 'no match here' '{"time":"2026-11-28T08:00:02.5Z","msg":"b"}' '{"time":1795852803}' |
	"$I" --ts none --now 2026-11-28T12:00:00Z --regex '^(?<ts>\S+) level=(?<level>\w+)' --ts-json time >"$T/px" 2>"$T/px.err"
t_eq "--regex and --ts-json: times" "$(python3 -c 'import json,sys
print(" ".join(json.loads(l)["ts"] for l in open(sys.argv[1])))' "$T/px")" \
	"2026-11-28T08:00:01.000000000Z 2026-11-28T12:00:00.000000000Z 2026-11-28T08:00:02.500000000Z 2026-11-28T08:00:03.000000000Z"
t_grep "--regex: named group as label (after the default job)" '"labels":\{"job":"stdin","level":"warn"\}' "$T/px"
t_eq "--regex: unmatched line falls back to the arrival time" "$(t_counter "$T/px.err" ts_fallback)" 1
t_status "a bad --regex is a usage error" 64 "$I" --regex '(' </dev/null
