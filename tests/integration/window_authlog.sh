#!/usr/bin/env bash
# ward-window on a generated auth log: the addresses alerted by
# ingest | match | window with "more than 5 failures in 10 s" are exactly the
# generator's ground truth (window (t - 10 s, t]), three ways: options on
# events ward-match tagged, a Loki ruler file, and a LogQL query on raw events.
. "$(dirname "$0")/../lib.sh"

gzip -dc "$DATA/window/authlog.log.gz" >"$T/auth.log"
sort "$DATA/window/authlog.flagged" >"$T/want"
sort "$DATA/window/authlog.flagged_inclusive" >"$T/want_incl"

ingest() { "$W/ward-ingest" -q --label job=sshd --ts syslog --now 2024-06-03T00:00:00Z "$1"; }
firing_ips() { grep '"state":"firing"' | grep -o '"src_ip":"[^"]*"' | cut -d'"' -f4 | sort -u; }

ingest "$T/auth.log" 2>/dev/null |
	"$W/ward-match" -q --rules "$TOP/rules/ssh.yaml" --rule SSHFailedPassword 2>/dev/null |
	"$W/ward-window" --name SSHBruteForce --select-rule SSHFailedPassword --by src_ip \
		--range 10s --threshold '> 5' >"$T/alerts" 2>"$T/err"
firing_ips <"$T/alerts" >"$T/got"
t_files_eq "options: alerted addresses equal the ground truth" "$T/want" "$T/got"
t_eq "the closed window [t-10s, t] would flag others (the boundary is tested)" \
	"$(cmp -s "$T/want" "$T/want_incl" && echo same || echo differ)" differ
t_eq "one firing per address per episode" \
	"$(grep '"state":"firing"' "$T/alerts" | grep -c . )" \
	"$(grep -c '"state":"resolved"' "$T/alerts")"

cat >"$T/rules.yaml" <<'YAML'
groups:
  - name: ssh
    rules:
      - alert: SSHBruteForce
        expr: |
          sum by (src_ip) (count_over_time({job="sshd"} |= "Failed password for " | regexp `Failed password for (?:invalid user )?(?P<user>.*) from (?P<src_ip>[0-9A-Fa-f:.]+) port \d+ ssh2$` [10s])) > 5
        labels:
          severity: high
        annotations:
          summary: 'SSH brute force from {{ $labels.src_ip }}: {{ $value }} failures in 10s'
YAML
ingest "$T/auth.log" 2>/dev/null | "$W/ward-match" -q --rules "$T/rules.yaml" 2>/dev/null |
	"$W/ward-window" --rules "$T/rules.yaml" >"$T/alerts2" 2>"$T/err"
firing_ips <"$T/alerts2" >"$T/got2"
t_files_eq "--rules: alerted addresses equal the ground truth" "$T/want" "$T/got2"
t_grep "--rules: labels and templated annotations" \
	'"labels":\{"severity":"high"\},"annotations":\{"summary":"SSH brute force from [0-9a-f.:]+: [0-9]+ failures in 10s"\}' "$T/alerts2"

ingest "$T/auth.log" 2>/dev/null |
	"$W/ward-window" 'sum by (src_ip) (count_over_time({job="sshd"} |= "Failed password" | regexp "from (?P<src_ip>\\S+) port" [10s])) > 5' \
	>"$T/alerts3" 2>"$T/err"
firing_ips <"$T/alerts3" >"$T/got3"
t_files_eq "LogQL query on raw events: alerted addresses equal the ground truth" "$T/want" "$T/got3"

# The full-size check against ../shared (skipped where it is absent).
gen=
for d in "${WARD_SHARED:-}" "$TOP/../shared" /work/shared; do
	[ -n "$d" ] && [ -f "$d/bench/gen_authlog.py" ] && { gen="$d/bench/gen_authlog.py"; break; }
done
if [ -n "$gen" ] && command -v python3 >/dev/null; then
	python3 "$gen" -n 100000 -o "$T/big.log" >/dev/null 2>&1
	python3 -c 'import json,sys; print("\n".join(sorted(json.load(open(sys.argv[1]))["flagged_ips"])))' \
		"$T/big.log.truth.json" >"$T/bigwant"
	ingest "$T/big.log" 2>/dev/null |
		"$W/ward-match" -q --rules "$TOP/rules/ssh.yaml" --rule SSHFailedPassword 2>/dev/null |
		"$W/ward-window" --select-rule SSHFailedPassword --by src_ip --range 10s \
			--threshold '> 5' --evidence 0 2>/dev/null | firing_ips >"$T/biggot"
	t_files_eq "gen_authlog.py -n 100000: alerted addresses equal flagged_ips" "$T/bigwant" "$T/biggot"
else
	t_skip "gen_authlog.py -n 100000" "../shared/bench not present"
fi
