#!/usr/bin/env bash
# ward-match: LogQL queries over real ward-ingest output, through pipes.
# The exact output of each kind of query (line filters, regexp, pattern,
# json, line_format, ip(), metric queries' log part) is in tests/cases/match/.
. "$(dirname "$0")/../lib.sh"

cat >"$T/auth.log" <<'LOG'
Nov 28 08:43:52 web1 sshd[812]: Failed password for root from 198.18.0.7 port 4242 ssh2
Nov 28 08:43:53 web1 sshd[812]: Accepted password for alice from 192.0.2.5 port 4243 ssh2
Nov 28 08:43:54 web1 sshd[813]: Failed password for invalid user bob from 2001:db8::7 port 22 ssh2
Nov 28 08:43:55 web1 CRON[900]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)
LOG
ingest() { "$W/ward-ingest" --label job=sshd --label host=web1 "$T/auth.log" 2>/dev/null; }

out=$(ingest | "$W/ward-match" '{job="nginx"}' 2>/dev/null)
t_eq "selector on another job selects nothing" "$out" ""

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
