#!/usr/bin/env bash
# The bundled samples through the detection stages, against the ground truth
# that pipelines/samples/gen.py wrote. Each part is skipped while the stages
# it needs are not built (ward-run --check fails on them).
. "$(dirname "$0")/../lib.sh"

S="$TOP/pipelines/samples"
cd "$T"

# alert_sources FILE: the sorted, distinct src_ip of the firing alerts in FILE
alert_sources() {
	python3 -c '
import json, sys
ips = set()
for line in open(sys.argv[1]):
    try:
        ev = json.loads(line)
    except ValueError:
        continue
    a = ev.get("alert")
    if isinstance(a, dict) and a.get("state", "firing") == "firing":
        ip = (a.get("key") or {}).get("src_ip") or (ev.get("fields") or {}).get("src_ip")
        if ip:
            ips.add(ip)
print(" ".join(sorted(ips)))' "$1"
}
truth() { python3 -c 'import json,sys; print(" ".join(sorted(json.load(open(sys.argv[1]))[sys.argv[2]])))' "$1" "$2"; }

# runnable NAME PIPELINE: run it if every stage validates, else SKIP
runnable() {
	if "$W/ward-run" --check "$2" >check.txt 2>&1; then return 0; fi
	t_skip "$1" "$(grep -m1 error check.txt | sed 's/^ward-run: error: //')"
	return 1
}

# ---- SSH brute force: more than 5 failures from one source in (t-10s, t] ----
cat >ssh.pipeline <<P
ward-ingest --label job=sshd --ts syslog $S/auth.log
ward-window 'sum by (src_ip) (count_over_time({job="sshd"} |= "Failed password" | regexp "from (?P<src_ip>\\\\S+) port" [10s])) > 5'
P
if runnable "ssh brute force against ground truth" ssh.pipeline; then
	"$W/ward-run" ssh.pipeline >ssh.out 2>ssh.err
	t_eq "ssh: exit 0" "$?" 0
	t_eq "ssh: alerted sources equal the ground truth" "$(alert_sources ssh.out)" "$(truth "$S/auth.truth.json" flagged_ips)"
fi

# ---- SYN flood: more than 100 SYNs from one source in (t-1s, t] ----
cat >syn.pipeline <<P
ward-sniff -r $S/capture.pcap --mode packet
ward-window 'sum by (src_ip) (count_over_time({job="sniff"} | tcp_flags="S" [1s])) > 100'
P
if runnable "syn flood against ground truth" syn.pipeline; then
	"$W/ward-run" syn.pipeline >syn.out 2>syn.err
	t_eq "syn: exit 0" "$?" 0
	t_eq "syn: alerted sources equal the ground truth" "$(alert_sources syn.out)" "$(truth "$S/capture.truth.json" syn_flood)"
fi

# ---- web attacks: the rule pack's matches, precision and SQLi recall ----
cat >web.pipeline <<P
ward-ingest --label job=nginx $S/access.log
ward-match --rules $TOP/rules/web.yaml
P
if runnable "web rules against ground truth" web.pipeline; then
	"$W/ward-run" web.pipeline >web.out 2>web.err
	t_eq "web: exit 0" "$?" 0
	matched=$(python3 -c '
import json, sys
print(" ".join(sorted({json.loads(json.loads(l)["line"])["remote_addr"] for l in open(sys.argv[1]) if l.strip()})))' web.out)
	attackers=$(python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))["attackers"]
print(" ".join(sorted({ip for ips in t.values() for ip in ips})))' "$S/access.truth.json")
	extra=$(comm -23 <(tr ' ' '\n' <<<"$matched") <(tr ' ' '\n' <<<"$attackers") | tr '\n' ' ')
	t_eq "web: no benign client matched (apostrophes, 'select' in searches)" "$extra" ""
	sqli=$(python3 -c 'import json, sys; print("\n".join(sorted(json.load(open(sys.argv[1]))["attackers"]["sqli"])))' \
		"$S/access.truth.json")
	missed=$(comm -13 <(tr ' ' '\n' <<<"$matched") <(echo "$sqli") | tr '\n' ' ')
	t_eq "web: every SQL injection source matched" "$missed" ""
fi

# ---- the whole soc pipeline: alerts per rule against the ground truth ----
mkdir -p "$T/soc"
if SAMPLES="$S" OUT="$T/soc" RULES="$TOP/rules" runnable "soc pipeline against ground truth" "$TOP/pipelines/soc.pipeline"; then
	SAMPLES="$S" OUT="$T/soc" RULES="$TOP/rules" "$W/ward-run" "$TOP/pipelines/soc.pipeline" >"$T/soc.out" 2>"$T/soc.err"
	t_eq "soc: exit 0" "$?" 0
	t_ok "soc: HTML report written" test -s "$T/soc/report.html"
	rule_sources() {	# the sources of one rule's firing alerts, from the report's timeline
		grep -E "^\| [0-9:]+ \| alert firing \| " "$T/soc/report.md" | grep -F "| $1 |" |
			sed 's/^[^`]*`` \(.*\) `` .*/\1/' | sed 's/\\//g' | sort -u | tr '\n' ' ' | sed 's/ $//'
	}
	t_eq "soc: SSH brute force sources" "$(rule_sources SSHBruteForce)" "$(truth "$S/auth.truth.json" flagged_ips)"
	t_eq "soc: SYN flood sources" "$(rule_sources SYNFlood)" "$(truth "$S/capture.truth.json" syn_flood)"
	t_eq "soc: port scan sources" "$(rule_sources PortScan)" "$(truth "$S/capture.truth.json" port_scan)"
	t_eq "soc: SQL injection sources" "$(rule_sources WebSQLInjection)" \
		"$(python3 -c 'import json,sys; print(" ".join(sorted(json.load(open(sys.argv[1]))["attackers"]["sqli"])))' "$S/access.truth.json")"
	t_grep "soc: the internal host is refused, not banned" '^\| `` 10\.0\.8\.15 `` .* \| refused \|$' "$T/soc/report.md"
fi

# ---- the samples are what the generator writes ----
python3 "$S/gen.py" --out "$T/regen" >/dev/null
for f in auth.log access.log capture.pcap auth.truth.json access.truth.json capture.truth.json; do
	t_fixture "samples: $f regenerates byte for byte" cmp "$S/$f" "$T/regen/$f"
done
t_fixture "samples: under 2 MB" test "$(du -sk "$S" | cut -f1)" -lt 2048
