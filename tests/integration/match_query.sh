#!/usr/bin/env bash
# ward-match: LogQL queries over real ward-ingest output, through pipes.
. "$(dirname "$0")/../lib.sh"

cat >"$T/auth.log" <<'LOG'
Nov 28 08:43:52 web1 sshd[812]: Failed password for root from 198.18.0.7 port 4242 ssh2
Nov 28 08:43:53 web1 sshd[812]: Accepted password for alice from 192.0.2.5 port 4243 ssh2
Nov 28 08:43:54 web1 sshd[813]: Failed password for invalid user bob from 2001:db8::7 port 22 ssh2
Nov 28 08:43:55 web1 CRON[900]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)
LOG
ingest() { "$W/ward-ingest" --label job=sshd --label host=web1 "$T/auth.log" 2>/dev/null; }

out=$(ingest | "$W/ward-match" '{job="sshd"} |= "Failed password"' 2>"$T/err")
t_eq "line filter keeps 2 of 4" "$(printf '%s' "$out" | grep -c .)" 2
t_eq "counters: in 4 out 2 dropped 2" "$(t_counter "$T/err" in)/$(t_counter "$T/err" out)/$(t_counter "$T/err" dropped)" "4/2/2"

out=$(ingest | "$W/ward-match" '{job="sshd"} |= "Failed" | regexp `for (invalid user )?(?P<user>\S+) from (?P<src_ip>\S+) port (?P<src_port>\d+)` | src_ip = ip("2001:db8::/32")' 2>/dev/null)
t_eq "regexp + ip() label filter" "$(printf '%s' "$out" | grep -o '"fields":{[^}]*}')" '"fields":{"user":"bob","src_ip":"2001:db8::7","src_port":"22"}'

out=$(ingest | "$W/ward-match" '{job="sshd"} |= ip("198.18.0.0/15") | line_format "{{.host}} {{ __line__ | trunc 15 }}"' 2>/dev/null)
t_eq "ip() line filter and line_format" "$(printf '%s' "$out" | grep -o '"line":"[^"]*"')" '"line":"web1 Nov 28 08:43:52"'

out=$(ingest | "$W/ward-match" '{job="nginx"}' 2>/dev/null)
t_eq "selector on another job selects nothing" "$out" ""

out=$(ingest | "$W/ward-match" '{job="sshd"} | pattern `<_> sshd[<pid>]: <_>` | pid > 812 | keep pid' 2>/dev/null)
t_eq "pattern + numeric filter + keep" "$(printf '%s' "$out" | grep -o '"labels":{[^}]*},"line":"[^"]*","fields":{[^}]*}' | sed 's/"line":"[^"]*"/L/')" '"labels":{},L,"fields":{"pid":"813"}'

# JSON logs through json and a label regex
printf '%s\n' '{"request_uri":"/a?q=1%27%20OR%201=1","status":200}' '{"request_uri":"/index.html","status":200}' 'not json' >"$T/web.log"
out=$("$W/ward-ingest" --label job=web "$T/web.log" 2>/dev/null | "$W/ward-match" '{job="web"} | json | request_uri =~ "(?i).*(union|select|%27).*"' 2>/dev/null)
t_eq "json + label regex" "$(printf '%s' "$out" | grep -c .)" 1
t_grep "json + label regex keeps the injection" 'OR%201=1' <(printf '%s' "$out")
out=$("$W/ward-ingest" --label job=web "$T/web.log" 2>/dev/null | "$W/ward-match" '{job="web"} | json | __error__ != ""' 2>/dev/null)
t_grep "non-JSON line kept with __error__" '"__error__":"JSONParserErr"' <(printf '%s' "$out")

# syntax errors: exit 78 and the position on stderr
t_status "syntax error exits 78" 78 "$W/ward-match" '{job="sshd" |= "x"'
"$W/ward-match" '{job="sshd"} | json | status >' </dev/null 2>"$T/err"
t_grep "error names line:col and what was expected" 'query: 1:31: expected a string, number' "$T/err"
t_status "bad regex exits 78" 78 "$W/ward-match" '{job=~"("}'
t_status "no query is a usage error" 64 "$W/ward-match"
t_status "query and --rules together is a usage error" 64 "$W/ward-match" '{a="b"}' --rules /dev/null

# --explain shows the compiled plan without reading input
"$W/ward-match" --explain '{job="sshd"} |~ "Failed password for \\S+ from" | logfmt' >"$T/ex" 2>&1 </dev/null
t_grep "--explain lists the required literal" '"Failed password for "' "$T/ex"
t_grep "--explain lists the stages" '2\. \| logfmt' "$T/ex"

# metric queries: the log part runs
out=$(ingest | "$W/ward-match" 'sum by (src_ip) (count_over_time({job="sshd"} |= "Failed" [5m])) > 5' 2>/dev/null)
t_eq "metric query runs its log part" "$(printf '%s' "$out" | grep -c .)" 2

# --fail-on-match
ingest | "$W/ward-match" --fail-on-match '{job="sshd"} |= "Accepted"' >/dev/null 2>&1
t_eq "--fail-on-match exits 1 on a match" "$?" 1
ingest | "$W/ward-match" --fail-on-match '{job="sshd"} |= "nothing"' >/dev/null 2>&1
t_eq "--fail-on-match exits 0 without one" "$?" 0

# bad input never stops the stream
printf 'Nov 28 08:43:59 web1 sshd[9]: \xff\xfe Failed password\n' >"$T/bad.log"
{ printf 'garbage\n'; ingest; "$W/ward-ingest" --label job=sshd "$T/bad.log" 2>/dev/null; } | "$W/ward-match" '{job="sshd"} |= "Failed"' >"$T/out" 2>"$T/err"
t_eq "malformed record skipped and counted" "$(t_counter "$T/err" malformed)" 1
t_eq "invalid UTF-8 is matched and written as valid UTF-8" "$(wc -l <"$T/out")" 3
t_ok "output is valid JSON" python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$T/out"

# catastrophic backtracking: the match limit ends it, counted, no hang
printf '{"labels":{"job":"x"},"line":"%s!"}\n' "$(head -c 5000 /dev/zero | tr '\0' a)" >"$T/evil"
"$W/ward-match" '{job="x"} |~ "^(a|aa)+$"' <"$T/evil" >"$T/out" 2>"$T/err"
t_eq "regex limit hit counted" "$(t_counter "$T/err" regex_limit_hits)" 1
t_grep "regex limit reported" 'PCRE2 match limit' "$T/err"

# output closed early (head) is a normal end
t_ok "EPIPE ends quietly" bash -c "set -o pipefail; for i in \$(seq 2000); do cat '$T/auth.log'; done | '$W/ward-ingest' --label job=sshd 2>/dev/null | '$W/ward-match' '{job=\"sshd\"}' 2>/dev/null | head -1 >/dev/null; [ \"\${PIPESTATUS[2]}\" = 0 ]"
