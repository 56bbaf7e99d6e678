#!/usr/bin/env bash
# ward-match --sigma: Sigma rules compiled to LogQL, run in the chain
# ingest | match | window, with --emit-ruler for ward-window's correlations.
. "$(dirname "$0")/../lib.sh"
SIG=$DATA/sigma

"$W/ward-match" --sigma "$SIG" --emit-ruler "$T/sigma.yaml" -v 2>"$T/err"
t_eq "the test rules load, the unsupported one is refused (exit 0)" "$?" 0
t_grep "summary names loaded and refused" 'sigma: 6 rules loaded, 1 refused' "$T/err"
t_grep "-v names the refused rule and why" 'refused: .*linux_keywords.yml:[0-9]+: Test Unsupported Source: log source product windows' "$T/err"
t_grep "the ruler file holds the correlation as a metric query" 'expr: "sum by \(src_ip\) \(count_over_time\(' "$T/sigma.yaml"
t_grep "ATT&CK tags become labels" 'mitre_technique: "T1595.002"' "$T/sigma.yaml"
# Sigma's generate: false (the default): the rule a correlation counts has no
# alert of its own; generate: true keeps it
t_eq "a correlation's base rule feeds the correlation only" "$(grep -c 'alert: "Test Brute Force Per Client"' "$T/sigma.yaml")" 0
sed 's/^    timespan: 10m$/    timespan: 10m\n    generate: true/' "$SIG/web_traversal.yml" >"$T/gen.yml"
"$W/ward-match" -q --sigma "$T/gen.yml" --emit-ruler "$T/gen.yaml"
t_eq "with generate: true it alerts too" "$(grep -c 'alert: "Test Brute Force Per Client"' "$T/gen.yaml")" 1

# the web rules reuse rules/gen_web.py's access-log chain verbatim
# the web rules reuse rules/gen_web.py's access-log chain verbatim
if python3 "$TOP/rules/gen_c_fragments.py" "$T/fragments.h" 2>/dev/null; then
	t_files_eq "stages/match/rule_fragments.h is what rules/gen_c_fragments.py writes" \
		"$TOP/stages/match/rule_fragments.h" "$T/fragments.h"
fi
if (cd "$TOP/rules" && python3 -c 'import gen_web; print(gen_web.ACCESS_PIPELINE)') >"$T/pipe" 2>/dev/null; then
	# the ruler file's scalars are JSON-compatible double-quoted strings here
	python3 -c '
import json, sys
for l in open(sys.argv[1]):
    l = l.strip()
    if l.startswith("expr: "): print(json.loads(l[6:]))' "$T/sigma.yaml" >"$T/exprs"
	t_ok "the generated web queries hold gen_web.py ACCESS_PIPELINE verbatim" grep -qF -- "$(cat "$T/pipe")" "$T/exprs"
fi

cat >"$T/access.log" <<'LOG'
198.51.100.7 - - [01/Jun/2024:00:00:01 +0000] "POST /login HTTP/1.1" 401 12 "-" "Mozilla/5.0"
198.51.100.7 - - [01/Jun/2024:00:00:02 +0000] "POST /login HTTP/1.1" 401 12 "-" "Mozilla/5.0"
198.51.100.7 - - [01/Jun/2024:00:00:03 +0000] "POST /login?next=/ HTTP/1.1" 401 12 "-" "Mozilla/5.0"
198.51.100.8 - - [01/Jun/2024:00:00:04 +0000] "POST /login HTTP/1.1" 401 12 "-" "Mozilla/5.0"
198.51.100.9 - - [01/Jun/2024:00:00:05 +0000] "GET /a/..%2f..%2fetc/passwd HTTP/1.1" 200 12 "-" "sqlmap/1.7"
198.51.100.10 - - [01/Jun/2024:00:00:06 +0000] "GET /etc/passwd HTTP/1.1" 404 12 "-" "curl/8"
198.51.100.11 - - [01/Jun/2024:00:00:07 +0000] "GET /index.html HTTP/1.1" 200 12 "-" "Mozilla/5.0 (sqlmap/1.7)"
Jun  1 00:00:08 web1 sshd[77]: Disconnecting: Local: crc32 compensation attack: network attack detected
Jun  1 00:00:09 web1 cron[78]: (root) CMD (echo Local: crc32 compensation attack)
type=PATH msg=audit(1717200010.000:9): item=0 name="/etc/shadow" inode=2 nametype=NORMAL
type=PATH msg=audit(1717200011.000:9): item=0 name="/etc/shadow.bak" inode=3 nametype=NORMAL
LOG
"$W/ward-ingest" -l job=test "$T/access.log" 2>/dev/null | "$W/ward-match" -q --sigma "$SIG" >"$T/tagged"
t_eq "rc of the chain" "$?" 0
python3 - "$T/tagged" >"$T/summary" <<'PY'
import json, sys
for l in open(sys.argv[1]):
    e = json.loads(l)
    print("%s|%s" % (e["rule"], e.get("fields", {}).get("src_ip", e["line"][:24])))
PY
t_eq "each line tagged by the rules it matches, and only those" "$(sort "$T/summary" | tr '\n' ';')" \
"Test Auditd Shadow Read|type=PATH msg=audit(1717;Test Many Failed Logins From One Client|198.51.100.7;Test Many Failed Logins From One Client|198.51.100.7;Test Many Failed Logins From One Client|198.51.100.7;Test Many Failed Logins From One Client|198.51.100.8;Test Path Traversal In The Request|198.51.100.9;Test Scanner User Agent|198.51.100.9;Test Sshd Crash Keywords|Jun  1 00:00:08 web1 ssh;"

"$W/ward-window" -q --rules "$T/sigma.yaml" <"$T/tagged" >"$T/alerts"
t_grep "the event_count correlation fires for the client with 3 failures" '"alert":\{"rule":"Test Many Failed Logins From One Client","state":"firing","key":\{"src_ip":"198.51.100.7"\}' "$T/alerts"
t_eq "and not for the client with 1" "$(grep -c '198.51.100.8' "$T/alerts")" 0
t_grep "the alert carries the Sigma labels" '"sigma_id":"0b5a2f7e-1c1d-4b1e-9a53-6a1f2f3c4d04"' "$T/alerts"

# value_count and temporal correlations through ward-window
cat >"$T/corr.yml" <<'YML'
title: Login fail
name: lf
logsource: {category: webserver}
detection:
  s: {cs-uri-stem: '/login', sc-status: 401}
  condition: s
---
title: Admin hit
name: ah
logsource: {category: webserver}
detection:
  s: {cs-uri-stem|startswith: '/admin'}
  condition: s
---
title: Many admin URIs
correlation: {type: value_count, rules: [ah], group-by: [c-ip], timespan: 5m, condition: {field: uri, gte: 2}}
---
title: Failed login then admin
correlation: {type: temporal, rules: [lf, ah], group-by: [c-ip], timespan: 5m}
YML
"$W/ward-match" -q --sigma "$T/corr.yml" --emit-ruler "$T/corr.yaml"
printf '%s\n' '198.51.100.7 - - [01/Jun/2024:00:00:01 +0000] "POST /login HTTP/1.1" 401 12 "-" "m"' \
	'198.51.100.7 - - [01/Jun/2024:00:00:02 +0000] "GET /admin/a HTTP/1.1" 200 12 "-" "m"' \
	'198.51.100.7 - - [01/Jun/2024:00:00:03 +0000] "GET /admin/b HTTP/1.1" 200 12 "-" "m"' \
	'198.51.100.8 - - [01/Jun/2024:00:00:03 +0000] "GET /admin/b HTTP/1.1" 200 12 "-" "m"' |
	"$W/ward-ingest" -l job=test 2>/dev/null | "$W/ward-match" -q --rules "$T/corr.yaml" |
	"$W/ward-window" -q --rules "$T/corr.yaml" | grep -o '"line":"[^"]*firing[^"]*"' | sort >"$T/corr.out"
t_eq "value_count and temporal correlations fire for the client that did both" "$(tr '\n' ';' <"$T/corr.out")" \
	'"line":"Failed login then admin firing src_ip=198.51.100.7 value=1 > 0 over 5m";"line":"Many admin URIs firing src_ip=198.51.100.7 value=2 >= 2 over 5m";'

# auditd rules over raw lines and over `ward-ingest --format auditd` events:
# the decoded fields when the event has them (a hex-encoded argument, the
# nested msg='...'), the line's pairs otherwise; a correlation keeps its
# group-by field though the detection does not read it
cat >"$T/auditd.yml" <<'YML'
title: Test Wget In Shell
logsource: {product: linux, service: auditd}
detection:
  s: {type: EXECVE, a2|contains: 'wget http'}
  condition: s
---
title: Test Cat Shadow
logsource: {product: linux, service: auditd}
detection:
  s: {type: EXECVE, a1: '/etc/shadow'}
  condition: s
---
title: Test Root Login Failed
name: rootfail
logsource: {product: linux, service: auditd}
detection:
  s: {type: USER_AUTH, acct: root, res: failed}
  condition: s
---
title: Test Root Login Failures Per Address
correlation: {type: event_count, rules: [rootfail], group-by: [addr], timespan: 10m, condition: {gte: 2}, generate: true}
YML
cat >"$T/audit.log" <<'LOG'
type=EXECVE msg=audit(1717200010.000:21): argc=3 a0="sh" a1="-c" a2=77676574206874747020782E7368
type=EXECVE msg=audit(1717200011.000:22): argc=3 a0="sh" a1="-c" a2=6563686F2077676574
type=EXECVE msg=audit(1717200012.000:23): argc=2 a0="cat" a1="/etc/shadow"
type=USER_AUTH msg=audit(1717200013.000:24): pid=9 uid=0 auid=4294967295 ses=4294967295 msg='op=PAM:authentication acct="root" exe="/usr/sbin/sshd" hostname=? addr=203.0.113.9 terminal=ssh res=failed'
type=USER_AUTH msg=audit(1717200914.000:25): pid=9 uid=0 auid=4294967295 ses=4294967295 msg='op=PAM:authentication acct="root" exe="/usr/sbin/sshd" hostname=? addr=203.0.113.9 terminal=ssh res=failed'
type=USER_AUTH msg=audit(1717200015.000:26): pid=9 uid=0 auid=4294967295 ses=4294967295 msg='op=PAM:authentication acct="root" exe="/usr/sbin/sshd" hostname=? addr=203.0.113.10 terminal=ssh res=failed'
type=USER_AUTH msg=audit(1717200016.000:27): pid=9 uid=0 auid=4294967295 ses=4294967295 msg='op=PAM:authentication acct="alice" exe="/usr/sbin/sshd" hostname=? addr=203.0.113.9 terminal=ssh res=failed'
type=USER_AUTH msg=audit(1717200920.000:28): pid=9 uid=0 auid=4294967295 ses=4294967295 msg='op=PAM:authentication acct="root" exe="/usr/sbin/sshd" hostname=? addr=203.0.113.9 terminal=ssh res=failed'
LOG
"$W/ward-match" -q --sigma "$T/auditd.yml" --emit-ruler "$T/auditd.yaml"
"$W/ward-ingest" -q -F auditd "$T/audit.log" | "$W/ward-match" -q --rules "$T/auditd.yaml" >"$T/audit.dec"
"$W/ward-ingest" -q "$T/audit.log" | "$W/ward-match" -q --rules "$T/auditd.yaml" >"$T/audit.raw"
tags() { python3 -c '
import json, sys
for l in open(sys.argv[1]):
    e = json.loads(l)
    print("%s|%s" % (e["rule"], e["line"].split(")")[0][-2:]))' "$1" | sort | tr '\n' ';'; }
t_eq "--format auditd: the hex argument, the nested msg pairs match" "$(tags "$T/audit.dec")" \
	'Test Cat Shadow|23;Test Root Login Failed|24;Test Root Login Failed|25;Test Root Login Failed|26;Test Root Login Failed|28;Test Root Login Failures Per Address|24;Test Root Login Failures Per Address|25;Test Root Login Failures Per Address|26;Test Root Login Failures Per Address|28;Test Wget In Shell|21;'
# raw lines: the argument stays hex and logfmt reads "res=failed'" (docs/sigma.md)
t_eq "raw lines: the plain argument matches, as before" "$(tags "$T/audit.raw")" 'Test Cat Shadow|23;'
t_eq "the correlation's query keeps addr" "$(grep -c '_sigma_a_addr=' "$T/auditd.yaml")" 1
"$W/ward-window" -q --rules "$T/auditd.yaml" <"$T/audit.dec" | grep -o '"line":"[^"]*firing[^"]*"' >"$T/audit.alerts"
# 24 and 25 are 15 minutes apart in the records' time (read in one go): the
# 10m window holds 25 and 28, not 24
t_eq "the event_count correlation fires for the address with 2 root failures, in the records' time" \
	"$(tr '\n' ';' <"$T/audit.alerts")" '"line":"Test Root Login Failures Per Address firing addr=203.0.113.9 value=2 >= 2 over 10m";'

# nothing loads: exit 78; an unreadable path: exit 78 with the reason
sed -n '/^title: Test Unsupported Source/,$p' "$SIG/linux_keywords.yml" >"$T/windows.yml"
"$W/ward-match" --sigma "$T/windows.yml" </dev/null >/dev/null 2>"$T/err"
t_eq "no rule loads: exit 78" "$?" 78
t_grep "and says so" 'no rule loaded \(1 refused' "$T/err"
"$W/ward-match" --sigma "$T/nope" </dev/null >/dev/null 2>"$T/err"
t_eq "missing path: exit 78" "$?" 78
t_grep "names the path" "nope: No such file" "$T/err"
printf 'title: [unclosed\n' >"$T/bad.yml"
"$W/ward-match" --sigma "$T/bad.yml" </dev/null >/dev/null 2>"$T/err"
t_eq "invalid YAML: exit 78" "$?" 78
"$W/ward-match" --sigma "$SIG" 'QUERY' </dev/null >/dev/null 2>&1
t_eq "--sigma and a QUERY: usage error" "$?" 64
t_cleanup
