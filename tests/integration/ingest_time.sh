#!/usr/bin/env bash
# ward-ingest --ts auto over the layouts real programs write, the year of
# year-less syslog times from a file's modification time, and -v telling
# which lines had no time. No test depends on today's date: every syslog
# year comes from --now or from an mtime set with touch -d.
. "$(dirname "$0")/../lib.sh"
cd "$TOP" || exit 1
I="$W/ward-ingest"
times() { python3 -c 'import json,sys
print(" ".join(json.loads(l)["ts"] for l in open(sys.argv[1])))' "$1"; }

# ---- layouts, one line each -------------------------------------------------
cat >"$T/mixed.log" <<'L'
203.0.113.9 - - [30/Sep/2021:09:23:53 +0200] "GET /[01/Jan/2000:00:00:00 +0000] HTTP/1.1" 404 5 "-" "curl/8"
www.example.com:443 203.0.113.9 - - [30/Sep/2021:09:23:53 +0000] "GET / HTTP/1.1" 200 5 "-" "x"
<38>1 2022-01-19T14:23:55+00:00 host sshd 123 - - Failed password for root from 198.18.0.7 port 22 ssh2
2021/09/30 09:23:53 [error] 7#7: *3 open() "/x" failed
[Thu Sep 30 13:27:06.009964 2021] [core:error] [pid 1] [client 1.2.3.4:5] AH00126
Sun Oct 21 08:57:59 2012 [pid 2] [ftp] FAIL LOGIN: Client "211.237.40.170"
2021-05-28 18:08:34,399 ftp proftpd[1] ftp (1.2.3.4[1.2.3.4]): USER x: no such user
65.2.129.7 2023-03-12 11:17:28.425 UTC [53962] postgres@db FATAL:  password authentication failed
2020-04-16T05:13:40.861934Z 8 [Note] Access denied for user 'root'@'1.2.3.4'
2022-07-12T06:22:33.415742+0000 {"event_type":"alert"}
{"level":"info","ts":1711741827.9626286,"logger":"http.log.access"}
{"time_local":"30/Sep/2021:09:23:53 +0000","remote_addr":"1.2.3.4"}
Nov 28 08:43:52 web1 sshd[812]: GET /[01/Jan/2000:00:00:00 +0000]
2023-13-45 11:17:28 not a date
L
"$I" --now 2026-11-28T12:00:00Z "$T/mixed.log" >"$T/mixed" 2>"$T/mixed.err"
t_eq "--ts auto: each layout's time (start, JSON member, access-log bracket; vsftpd's asctime)" "$(times "$T/mixed")" \
	"2021-09-30T07:23:53.000000000Z 2021-09-30T09:23:53.000000000Z 2022-01-19T14:23:55.000000000Z 2021-09-30T09:23:53.000000000Z 2021-09-30T13:27:06.009964000Z 2012-10-21T08:57:59.000000000Z 2021-05-28T18:08:34.399000000Z 2023-03-12T11:17:28.425000000Z 2020-04-16T05:13:40.861934000Z 2022-07-12T06:22:33.415742000Z 2024-03-29T19:50:27.962628600Z 2021-09-30T09:23:53.000000000Z 2026-11-28T08:43:52.000000000Z 2026-11-28T12:00:00.000000000Z"
t_eq "a malformed date falls back and is counted" "$(t_counter "$T/mixed.err" ts_fallback)" 1
t_eq "without -v nothing is said about it" "$(grep -c 'no time read' "$T/mixed.err")" 0
"$I" -v --now 2026-11-28T12:00:00Z "$T/mixed.log" 2>"$T/mixed.v" >/dev/null
t_grep "-v names the line without a time" 'no time read in a line of .*mixed.log, arrival time used: 2023-13-45 11:17:28 not a date' "$T/mixed.v"
t_grep "-v gives the total" '1 lines without a time ward-ingest could read' "$T/mixed.v"
# A FILE operand's year-less times take its mtime, so no clock is read for
# them; a line without a time still carries the arrival time.
printf '%s\n' 'no time in this line' 'Nov 28 08:43:52 web1 sshd[812]: timed' >"$T/timeless.log"
t0=$(date +%s)
"$I" "$T/timeless.log" >"$T/timeless" 2>/dev/null
t1=$(date +%s)
t_ok "a timeless line of a file carries the arrival time" python3 -c '
import datetime, json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
ts = datetime.datetime.strptime(ev[0]["ts"][:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc).timestamp()
assert int(sys.argv[2]) - 1 <= ts <= int(sys.argv[3]) + 1, (ev[0]["ts"], sys.argv[2:])
assert ev[1]["ts"].endswith("-11-28T08:43:52.000000000Z"), ev[1]' "$T/timeless" "$t0" "$t1"
printf '%s\n' 'user=x ts=[30/Sep/2021:09:23:53 +0000] level=info' |
	"$I" --regex 'ts=\[(?<ts>[^]]+)\]' --ts none 2>/dev/null >"$T/rx"
t_eq "--regex ts takes an access-log time" "$(times "$T/rx")" "2021-09-30T09:23:53.000000000Z"

# ---- the year of syslog times from the file's mtime -------------------------
printf '%s\n' 'Dec 30 23:59:58 h cron[1]: a' 'Dec 31 23:59:59 h cron[1]: b' 'Jan  1 00:00:01 h cron[1]: c' 'Jan  2 08:00:00 h cron[1]: d' >"$T/dj.log"
touch -d '2025-01-02 09:00:00 UTC' "$T/dj.log"
"$I" "$T/dj.log" 2>/dev/null >"$T/dj"
DJ="2024-12-30T23:59:58.000000000Z 2024-12-31T23:59:59.000000000Z 2025-01-01T00:00:01.000000000Z 2025-01-02T08:00:00.000000000Z"
t_eq "Dec -> Jan file: years from its mtime" "$(times "$T/dj")" "$DJ"
touch -d '2025-06-01 00:00:00 UTC' "$T/dj.log"
"$I" "$T/dj.log" 2>/dev/null >"$T/dj2"
t_eq "an mtime months after the last line: same years" "$(times "$T/dj2")" "$DJ"
cp -p "$T/dj.log" "$T/dj-copy.log"
"$I" "$T/dj-cop[y].log" 2>/dev/null >"$T/dj3"
t_eq "a glob operand: years from each file's mtime" "$(times "$T/dj3")" "$DJ"
gzip -c "$T/dj.log" >"$T/dj.log.gz"; touch -d '2025-01-02 09:00:00 UTC' "$T/dj.log.gz"
"$I" "$T/dj.log.gz" 2>/dev/null >"$T/dj4"
t_eq "a .gz archive: years from its mtime" "$(times "$T/dj4")" "$DJ"
"$I" --now 2026-11-28T12:00:00Z "$T/dj.log" 2>/dev/null >"$T/dj5"
t_eq "--now wins over the mtime" "$(times "$T/dj5")" \
	"2025-12-30T23:59:58.000000000Z 2025-12-31T23:59:59.000000000Z 2026-01-01T00:00:01.000000000Z 2026-01-02T08:00:00.000000000Z"
