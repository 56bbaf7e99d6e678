#!/usr/bin/env bash
# The issue's acceptance, small: ward-sniff --mode summary | ward-window with
# the SYN-flood rule of pipelines/syn-flood.pipeline flags the flooding
# sources of a generated capture and nothing else (not the busy client, not
# the port scanner, not the spoofed flood's sources nor their aggregate),
# against the ground truth the generator writes (tests/tools/sniff_gen_flood.py).
. "$(dirname "$0")/../lib.sh"
S="$W/ward-sniff"
WIN="$W/ward-window"
PIPE="$TOP/pipelines/syn-flood.pipeline"
python3 "$TOP/tests/tools/sniff_gen_flood.py" "$T/flood.pcap" "$T/flood.truth"
t0=1704067200	# the generator's capture start

# The rules exactly as the bundled pipeline runs them.
rule_of() { grep -F -- "--name $1 " "$PIPE" | sed "s/^[^']*'//; s/'[^']*\$//"; }
FLOOD_RULE=$(rule_of SYNFlood)
SCAN_RULE=$(rule_of PortScan)
t_grep "the pipeline's SYN-flood rule counts SYNs per source" 'unwrap syn \[1s\]\)\) > 100 unless ' <(echo "$FLOOD_RULE")

# Firing alerts as "src_ip first-firing-second" (seconds from the capture
# start), one line per source, sorted.
fired() {
	python3 -c '
import json, sys
first = {}
for l in sys.stdin:
    e = json.loads(l)
    a = e.get("alert", {})
    if a.get("state") == "firing":
        ip = a["key"].get("src_ip", "<none>") or "<empty>"
        s, frac = e["ts"][:19], e["ts"][20:29]
        import datetime
        t = datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc).timestamp()
        first.setdefault(ip, t - int(sys.argv[1]))
for ip in sorted(first):
    print(ip, int(first[ip]))' "$t0"
}
want=$(awk '$1 == "flood" { print $2 }' "$T/flood.truth" | sort)
t_fixture "the truth has three flooding sources" test "$(echo "$want" | wc -l)" = 3

"$S" -r "$T/flood.pcap" --mode summary --interval 1s 2>"$T/sum.err" >"$T/sum.out"
"$WIN" --name SYNFlood "$FLOOD_RULE" <"$T/sum.out" 2>"$T/win.err" | fired >"$T/fired"
t_eq "flagged: exactly the flooding sources" "$(cut -d' ' -f1 "$T/fired")" "$want"
# Each fires within two seconds of its first SYN (the first whole interval
# above 100; the VLAN flood starts 0.37 s into a second).
late=$(awk 'NR == FNR { if ($1 == "flood") start[$2] = $3; next }
	{ if (!($1 in start) || $2 < start[$1] || $2 > start[$1] + 2) print $1, $2, start[$1] }' "$T/flood.truth" "$T/fired")
t_eq "each fires within 2 s of its flood's start" "$late" ""
t_eq "no unwrap errors" "$(t_counter "$T/win.err" unwrap_errors)" 0

# What the rule leaves out is really there: the SYN count alone (the
# workshop's value_counts) also flags the scanner, which out-SYNs two floods,
# and the busy client stays under 100 a second.
"$WIN" --name SYNCount 'sum by (src_ip) (sum_over_time({job="sniff"} | unwrap syn [1s])) > 100' \
	<"$T/sum.out" 2>/dev/null | fired >"$T/count"
t_eq "SYN count alone: floods and the scanner" "$(cut -d' ' -f1 "$T/count")" \
	"$( (echo "$want"; awk '$1 == "scan" { print $2 }' "$T/flood.truth") | sort)"
"$WIN" --name PortScan "$SCAN_RULE" <"$T/sum.out" 2>/dev/null | fired >"$T/scan"
t_eq "the scan rule flags the scanner only" "$(cut -d' ' -f1 "$T/scan")" \
	"$(awk '$1 == "scan" { print $2 }' "$T/flood.truth")"
t_eq "summary SYNs of the busy client" "$(grep -F '"src_ip":"192.0.2.99"' "$T/sum.out" |
	grep -o '"syn":[0-9]*' | cut -d: -f2 | sort -n | tail -1)" 80
t_eq "summary SYNs per flooding source equal the truth" "$(python3 -c '
import json, sys
syn = {}
for l in open(sys.argv[1]):
    f = json.loads(l)["fields"]
    if "src_ip" in f:
        syn[f["src_ip"]] = syn.get(f["src_ip"], 0) + f["syn"]
for ip in sys.argv[2:]:
    print(ip, syn.get(ip, 0))' "$T/sum.out" $want)" \
	"$(for ip in $want; do awk -v ip="$ip" '$1 == "syn" && $2 == ip { print ip, $3 }' "$T/flood.truth"; done)"

# A table too small for the spoofed flood: its sources go to the "other"
# aggregate, which has no src_ip and thousands of SYNs a second. The rule
# still flags the floods only; without src_ip!="" the SYN count would flag
# the aggregate (an alert with an empty address).
"$S" -r "$T/flood.pcap" --mode summary --max-sources 500 2>"$T/ev.err" >"$T/ev.out"
t_ok "the spoofed flood is evicted" test "$(t_counter "$T/ev.err" sources_evicted)" -gt 1000
"$WIN" --name SYNFlood "$FLOOD_RULE" <"$T/ev.out" 2>/dev/null | fired >"$T/ev.fired"
t_eq "evicted: flagged exactly the flooding sources" "$(cut -d' ' -f1 "$T/ev.fired")" "$want"
"$WIN" --name SYNFlood "${FLOOD_RULE%% unless *}" <"$T/ev.out" 2>/dev/null | fired >"$T/ev.left"
t_eq "evicted: the SYN side alone has no empty address" "$(grep -c '^<' "$T/ev.left")" 0
"$WIN" --name SYNCount 'sum by (src_ip) (sum_over_time({job="sniff"} | unwrap syn [1s])) > 100' \
	<"$T/ev.out" 2>/dev/null | fired >"$T/ev.count"
t_grep "evicted: the unfiltered count flags the aggregate" '^<empty> ' "$T/ev.count"
"$WIN" --name PortScan "$SCAN_RULE" <"$T/ev.out" 2>/dev/null | fired >"$T/ev.scan"
t_eq "evicted: the scan rule still flags the scanner only" "$(cut -d' ' -f1 "$T/ev.scan")" \
	"$(awk '$1 == "scan" { print $2 }' "$T/flood.truth")"

# The whole bundled pipeline on this capture: (dry-run) bans for exactly the
# floods, as SYNFlood, and the scanner, as PortScan.
(cd "$TOP" && "$W/ward-run" --set CAPTURE="$T/flood.pcap" "$PIPE") >"$T/run.out" 2>"$T/run.err"
t_eq "pipeline: exit 0" "$?" 0
t_eq "pipeline: bans per rule" "$(python3 -c '
import json, sys
for l in open(sys.argv[1]):
    act = json.loads(l).get("action") or {}
    if act.get("kind") == "ban":
        print(act["rule"], act["target"])' "$T/run.out" | sort)" \
	"$( (for ip in $want; do echo "SYNFlood $ip"; done
	    awk '$1 == "scan" { print "PortScan", $2 }' "$T/flood.truth") | sort)"
