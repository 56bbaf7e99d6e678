#!/usr/bin/env python3
"""sniff_truth.py - compare ward-sniff output with gen_pcap.py ground truth.

    ward-sniff -r X.pcap --mode summary | sniff_truth.py summary X.truth.json
    ward-sniff -r X.pcap --top 10       | sniff_truth.py top X.truth.json
    ... --mode summary | ward-window RULE | sniff_truth.py flood X.truth.json

summary: per source, the sums over intervals of packets, bytes, syn and synack
must equal the truth's for every source. top: the 10 events must be the
truth's top 10 SYN sources with their counts, in order. flood: the sources
of the firing alerts must be exactly the truth's syn_flood_real sources
(not the port scanner, not the spoofed flood's sources, not an aggregate
without an address), each firing during its flood. Prints a one-line
verdict; exit 0 when everything matches. Python 3 stdlib only.
"""
import datetime
import json
import sys


def load_events(stream):
    for line in stream:
        line = line.strip()
        if line:
            yield json.loads(line)


def check_summary(truth, events):
    got = {}
    for ev in events:
        f = ev.get("fields", {})
        ip = f.get("src_ip")
        if ip is None:
            print("unexpected 'other' event (sources evicted)")
            return 1
        g = got.setdefault(ip, [0, 0, 0, 0])
        for i, k in enumerate(("packets", "bytes", "syn", "synack")):
            g[i] += int(f[k])
    want = {ip: v[:4] for ip, v in truth["sources"].items()}
    bad = [ip for ip in set(want) | set(got) if want.get(ip) != got.get(ip)]
    for ip in sorted(bad)[:10]:
        print("differs: %s truth %s got %s" % (ip, want.get(ip), got.get(ip)))
    print("summary: %d sources, %d differ, syn total %d (truth %d)" % (
        len(want), len(bad), sum(v[2] for v in got.values()), truth["totals"]["syn"]))
    return 1 if bad else 0


def check_top(truth, events):
    got = [(ev["fields"]["src_ip"], int(ev["fields"]["syn"])) for ev in events
           if "rank" in ev.get("fields", {})]
    want = [(e["ip"], e["syn"]) for e in truth["top10_syn"]]
    ok = got[:len(want)] == want
    print("top10: %s (%d/%d exact)" % ("equal" if ok else "differs",
          sum(1 for a, b in zip(got, want) if a == b), len(want)))
    if not ok:
        print("  want %s\n  got  %s" % (want, got[:len(want)]))
    return 0 if ok else 1


def check_flood(truth, events):
    floods = {s["src"]: s for s in truth["scenarios"] if s["name"] == "syn_flood_real"}
    first = {}
    for ev in events:
        a = ev.get("alert") or {}
        if a.get("state") != "firing":
            continue
        ip = a.get("key", {}).get("src_ip") or "<no address>"
        if ip not in first:
            first[ip] = datetime.datetime.fromisoformat(ev["ts"][:19] + "+00:00").timestamp()
    extra = sorted(set(first) - set(floods))
    missed = sorted(set(floods) - set(first))
    late = sorted(ip for ip in set(first) & set(floods)
                  if not floods[ip]["start"] <= first[ip] <= floods[ip]["end"])
    ok = not extra and not missed and not late
    print("flood rule: %s: flagged %s (truth %s)" % (
        "exact" if ok else "DIFFERS",
        ", ".join("%s at +%.0fs" % (ip, first[ip] - floods[ip]["start"]) if ip in floods else ip
                  for ip in sorted(first)),
        ", ".join(sorted(floods))))
    if extra or missed or late:
        print("  not in the truth: %s; missed: %s; firing outside the flood: %s" % (extra, missed, late))
    return 0 if ok else 1


def main():
    checks = {"summary": check_summary, "top": check_top, "flood": check_flood}
    if len(sys.argv) != 3 or sys.argv[1] not in checks:
        sys.exit(__doc__)
    truth = json.load(open(sys.argv[2]))
    events = list(load_events(sys.stdin))
    fn = checks[sys.argv[1]]
    sys.exit(fn(truth, events))


if __name__ == "__main__":
    main()
