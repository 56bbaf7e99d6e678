#!/usr/bin/env bash
# ward-ingest --format suricata|zeek|journal-json on records written to each
# program's published format (tests/data/ingest/records): fields in ward's
# names, the log's label, the record's own time; a Suricata alert goes
# through the bundled ids pack and ward-window like any other line.
. "$(dirname "$0")/../lib.sh"
cd "$TOP" || exit 1
I="$W/ward-ingest"
R=tests/data/ingest/records

# ---- Suricata eve.json and fast.log -------------------------------------------
"$I" -F suricata $R/eve.json $R/fast.log >"$T/suri" 2>"$T/suri.err"
t_eq "suricata: every record but two is an event (stats kept, no event_type refused)" "$(wc -l <"$T/suri")" 11
t_eq "suricata: a record without event_type is malformed" "$(t_counter "$T/suri.err" malformed)" 1
for type in alert flow dns http tls ssh anomaly stats; do
	t_grep "suricata: event_type=$type label" "\"event_type\":\"$type\"" "$T/suri"
done
t_grep "suricata alert: own time (+0000 offset), 5-tuple and community_id fields, line kept" \
	'^\{"v":1,"ts":"2026-11-28T08:43:52.123456000Z","labels":\{"event_type":"alert","job":"file","filename":"tests/data/ingest/records/eve.json"\},"line":"\{\\"timestamp\\".*"fields":\{"src_ip":"203.0.113.9","dest_ip":"192.0.2.10","proto":"TCP","community_id":"1:LQU9qZlK\+B5F3KDmev6m5PMibrg=","app_proto":"http","src_port":33270,"dest_port":80,"flow_id":"1398609176796675"\}\}$' "$T/suri"
t_grep "suricata http over IPv6" '"event_type":"http".*"fields":\{"src_ip":"2001:db8::9","dest_ip":"2001:db8::80"' "$T/suri"
t_grep "fast.log: time, proto, endpoints" '"ts":"2026-11-28T08:43:52.123456000Z","labels":\{"event_type":"alert".*"fields":\{"proto":"UDP","src_port":5116,"src_ip":"203.0.113.40","dest_port":5060,"dest_ip":"192.0.2.10"\}' "$T/suri"
t_grep "fast.log: IPv6 endpoints, the port after the last colon" '"src_port":28487,"src_ip":"2001:db8::7","dest_port":80,"dest_ip":"2001:db8::80"' "$T/suri"
"$W/ward-match" -q --rules rules/ids.yaml --in "$T/suri" >"$T/suri.m"
"$W/ward-window" -q --rules rules/ids.yaml --in "$T/suri.m" >"$T/suri.w"
t_grep "the ids pack fires on a Suricata alert read with --format suricata" \
	'"alert":\{"rule":"IDSHighSeverityAlert","state":"firing","key":\{"src_ip":"203.0.113.9"\}' "$T/suri.w"
t_eq "... and only on the priority 1 attacker" "$(grep -c '"state":"firing"' "$T/suri.w")" 1
t_eq "the ids pack gives the same tags for raw and suricata input" \
	"$("$I" -q -F raw $R/eve.json $R/fast.log | "$W/ward-match" -q --rules rules/ids.yaml | grep -o '"rule":"[A-Za-z]*"' | sort | uniq -c | tr -s ' ')" \
	"$("$W/ward-match" -q --rules rules/ids.yaml --in "$T/suri" | grep -o '"rule":"[A-Za-z]*"' | sort | uniq -c | tr -s ' ')"

# ---- Zeek TSV and JSON -----------------------------------------------------
"$I" -F zeek $R/conn.log $R/http.log $R/dns.log $R/notice.log $R/zeek-json.log >"$T/zeek" 2>"$T/zeek.err"
t_eq "zeek: 12 records, headers skipped" "$(wc -l <"$T/zeek")" 12
t_eq "zeek: a record with too few values is malformed" "$(t_counter "$T/zeek.err" malformed)" 1
for log in conn http dns notice ssl ssh weird files; do
	t_grep "zeek: zeek_log=$log label" "\"zeek_log\":\"$log\"" "$T/zeek"
done
t_grep "zeek conn TSV: epoch time with fraction, id.* as ward's names, typed values, (empty), community_id" \
	'"ts":"2026-11-28T08:43:52.096535000Z","labels":\{"zeek_log":"conn".*"fields":\{"uid":"CHhAvVGS1DHFjwGM9","src_ip":"203.0.113.9","src_port":33270,"dest_ip":"192.0.2.10","dest_port":22,"proto":"TCP","service":"ssh","duration":3.780125,"orig_bytes":1024,"resp_bytes":2048,"conn_state":"SF","local_orig":"F","history":"ShADadFf","tunnel_parents":"","community_id":"1:LQU9qZlK\+B5F3KDmev6m5PMibrg="\}' "$T/zeek"
t_grep "zeek: unset (-) values are left out" '"uid":"C4J4Th3PJpwUYZZ6gc","src_ip":"192.0.2.53","src_port":53124,"dest_ip":"198.51.100.53","dest_port":53,"proto":"UDP","service":"dns","conn_state":"S0","history":"D","tunnel_parents":""\}' "$T/zeek"
t_grep "zeek http: \\x09 and \\\\ escapes undone, ward's HTTP names added" \
	'"uri":"/a\\tb\\\\c","request_uri":"/a\\tb\\\\c","user_agent":"Mozilla/5.0 \(X11, Linux\)","http_user_agent":"Mozilla/5.0 \(X11, Linux\)","status_code":404,"status":404' "$T/zeek"
t_grep "zeek notice: src/dst name the address when id.* is unset" '"note":"Scan::Port_Scan".*"src_ip":"203.0.113.50","dest_ip":"192.0.2.10"' "$T/zeek"
t_grep "zeek JSON: ISO time, bools and sets" '"ts":"2026-11-28T08:44:01.000000000Z","labels":\{"zeek_log":"ssh".*"auth_success":"false","auth_attempts":3' "$T/zeek"
t_grep "zeek JSON: arrays joined as in TSV" '"analyzers":"MD5,SHA1"' "$T/zeek"
t_eq "a Zeek field feeds a metric query by src_ip" \
	"$("$W/ward-window" -q '(sum by (src_ip) (count_over_time({zeek_log="conn"} | conn_state="REJ" [5m]))) >= 1' --in "$T/zeek" | grep -o '"key":{"src_ip":"[^"]*"}' | sort -u)" '"key":{"src_ip":"203.0.113.60"}'
# The zeek_log label from the file name when the log has no #path.
printf '#separator \\x09\n#fields\tts\tid.orig_h\n1795855432\t192.0.2.1\n' >"$T/dhcp.09:00:00-10:00:00.log"
t_grep "zeek: the log's name from its file when #path is absent" '"zeek_log":"dhcp"' <("$I" -F zeek "$T/dhcp.09:00:00-10:00:00.log" 2>/dev/null)
printf '1795855432\t192.0.2.1\n' | "$I" -F zeek >"$T/nohdr" 2>"$T/nohdr.err"
t_eq "zeek: a TSV record before any #fields is malformed" "$(t_counter "$T/nohdr.err" malformed)" 1

# ---- journalctl -o json ------------------------------------------------------
"$I" -F journal-json $R/journal.json >"$T/jj" 2>"$T/jj.err"
t_grep "journal-json: IDENT[PID]: MESSAGE, labels, __REALTIME_TIMESTAMP" \
	'"ts":"2026-11-28T08:44:05.123456000Z","labels":\{"host":"web1","program":"sshd","pid":"812","severity":"info","unit":"ssh.service",.*"line":"sshd\[812\]: Failed password for root from 198.18.0.7 port 4242 ssh2"' "$T/jj"
t_grep "journal-json: _COMM without SYSLOG_IDENTIFIER, MESSAGE as a byte array" '"program":"kernel-helper","severity":"err".*"line":"kernel-helper: hi' "$T/jj"
t_grep "journal-json: SYSLOG_PID before _PID, a field written twice" '"program":"sudo","pid":"99".*"line":"sudo\[99\]:   alice : TTY' "$T/jj"
t_grep "journal-json: no identifier, the message alone" '"line":"no identifier"' "$T/jj"
t_eq "journal-json: an entry without MESSAGE is malformed" "$(t_counter "$T/jj.err" malformed)" 1
t_eq "journal-json: the ssh pack's anchored rules match the line" \
	"$("$W/ward-match" -q --rules rules/ssh.yaml --in "$T/jj" | grep -m1 -c '"src_ip":"198.18.0.7"')" 1

# ---- a glob's warnings name the file, not the pattern --------------------------
mkdir -p "$T/g"
cp $R/conn.log "$T/g/conn.log"
printf '#separator \\x09\n#fields\tts\tuid\n1795855432\ttoo\tmany\n' >"$T/g/bad.log"
"$I" -F zeek "$T/g/*.log" >/dev/null 2>"$T/g.err"
t_grep "a glob's warning names the file" "warning: $T/g/bad.log: record [0-9]+: malformed event: Zeek TSV record" "$T/g.err"
t_eq "... not the pattern" "$(grep -c '\*\.log' "$T/g.err")" 0
