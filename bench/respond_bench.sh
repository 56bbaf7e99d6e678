#!/usr/bin/env bash
# bench/respond_bench.sh - ban latency: ward-respond against fail2ban.
#
# ward-respond: time from an alert written to its stdin to the address being
# in the nftables set of the namespace it bans in (--netns), over
# RESPOND_N alerts (default 300). fail2ban 1.0.2 (if installed): time from
# the 5th "Failed password" line written to its followed log to the address
# in its nftables set, over RESPOND_F2B_N attackers (default 20; each waits
# a random 0-2.5 s so it lands at a random phase of fail2ban's sleep cycle).
# Then RESPOND_BURST alerts (default 1000) written at once: time to the
# last element. Both observed with `nft monitor new elements` in the namespace.
# The full path (the "ward pipeline" row): RESPOND_PIPE_N attackers (default
# 1000) each append 6 "Failed password" lines to a log file followed by
# ward-ingest -f | ward-match --rules rules/ssh.yaml | ward-window (> 5 in 10s
# by src_ip) | ward-respond --netns; time from the 6th line to the element,
# then a check that every attacker is banned exactly once (monitor, audit
# events and the set agree) and none of the benign sources (1-5 failures
# each) is. Exit status 1 if that check fails. The same again with
# RESPOND_NOISE (default 5000) background lines/s in the log (logins and
# single failures from fresh addresses) over RESPOND_NOISE_N (300) attackers.
set -u
cd "$(dirname "$0")/.."
. bench/lib.sh
py=/usr/bin/python3
[ -x "$py" ] || py=python3
if [ "$(id -u)" != 0 ]; then echo "respond_bench: SKIP (needs root for network namespaces)"; exit 0; fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
$py bench/respond_latency.py ward --bin bin --n "${RESPOND_N:-300}" --burst "${RESPOND_BURST:-1000}" | tee -a "$out"
$py bench/respond_latency.py ward --journal --bin bin --n "${RESPOND_N:-300}" | tee -a "$out"
$py bench/respond_latency.py pipeline --bin bin --n "${RESPOND_PIPE_N:-1000}" | tee -a "$out"
$py bench/respond_latency.py pipeline --bin bin --n "${RESPOND_NOISE_N:-300}" --noise "${RESPOND_NOISE:-5000}" | tee -a "$out"
$py bench/respond_latency.py fail2ban --n "${RESPOND_F2B_N:-20}" | tee -a "$out"
$py - "$out" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
by = {r["responder"]: r for r in rows}
print("%-28s %6s %9s %9s %9s %9s" % ("responder", "n", "p50 ms", "p90 ms", "p99 ms", "max ms"))
for r in rows:
    if "p50" in r:
        print("%-28s %6d %9.2f %9.2f %9.2f %9.2f" % (r["responder"], r["n"], r["p50"], r["p90"], r["p99"], r["max"]))
    else:
        print("%-28s %s" % (r["responder"], r.get("skipped", "no samples")))
w, f = by.get("ward-respond", {}), by.get("fail2ban", {})
b = by.get("ward-respond burst", {})
if "last_ms" in b:
    print("burst: %d alerts at once, all %d elements in place after %.1f ms" % (b["n"] + b["missed"], b["n"], b["last_ms"]))
if "p50" in w and "p50" in f:
    print("fail2ban / ward-respond: p50 %.0fx, p99 %.0fx" % (f["p50"] / w["p50"], f["p99"] / w["p99"]))
ok = True
for pl in (r for r in rows if r["responder"].startswith("ward pipeline")):
    name = pl["responder"]
    if "p50" in pl:
        print("%s (ingest -f | match | window | respond), %d attackers: p50 %.2f ms, p99 %.2f ms "
              "(target p99 < 20 ms: %s)" % (name, pl["attackers"], pl["p50"], pl["p99"],
                                            "met" if pl["p99"] < 20 else "NOT met"))
        print("  line -> alert taken in by ward-respond p50 %.2f / p99 %.2f ms; -> element in the set "
              "p50 %.2f / p99 %.2f ms" % (pl["to_respond_p50"], pl["to_respond_p99"],
                                          pl["in_respond_p50"], pl["in_respond_p99"]))
        if "p50" in f:
            print("  fail2ban / %s: p50 %.0fx, p99 %.0fx (fail2ban from its 5th failure line, ward from its"
                  " 6th: each from the line that crosses its threshold)" % (name, f["p50"] / pl["p50"], f["p99"] / pl["p99"]))
    if "attackers" in pl:
        print("  check: %s (%d attackers, %d missed, %d not in the set, %d not banned exactly once; "
              "%d benign sources, %d banned; ward-window late events %s, ward-respond action errors %s)"
              % ("ok" if pl["correct"] else "FAILED", pl["attackers"], pl["missed"], pl["not_in_set"],
                 pl["not_banned_once"], pl["benign"], pl["benign_banned"], pl.get("window_late"),
                 pl.get("respond_errors")))
        ok = ok and pl["correct"]
sys.exit(0 if ok else 1)
PY
