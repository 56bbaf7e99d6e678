#!/usr/bin/env bash
# ward-match --rules / --rule / --test with the bundled rule pack. The exact
# events of the ssh and web packs, of --rule and of a Loki ruler file are in
# tests/cases/match/rules_*.
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
# the alerting rules chain the tagging rules' regexes: each distinct regex runs
# at most once per line, later rules take the cached result (or, for a rule
# whose whole query equals an earlier one's, its answer: query_cache_hits)
runs=$(t_counter "$T/err" parser_runs)
hits=$(( $(t_counter "$T/err" parser_cache_hits) + $(t_counter "$T/err" query_cache_hits) ))
distinct=$(grep -o 'regexp `[^`]*`' "$RULES/ssh.yaml" | sort -u | wc -l)
t_ok "parsers shared between rules ($runs runs, $hits cache hits)" \
	test "$hits" -gt "$runs" -a "$runs" -le $((4 * distinct))
# a regexp whose required literals the line lacks is not run (PCRE2 would
# not match): most of the pack's regexes on these four lines
t_ok "regexps skipped on lines without their literals ($(t_counter "$T/err" regexp_skipped))" \
	test "$(t_counter "$T/err" regexp_skipped)" -gt "$runs"

t_status "--rule with an unknown name exits 78" 78 "$W/ward-match" --rules "$RULES" --rule NoSuchRule

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
