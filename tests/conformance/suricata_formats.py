#!/usr/bin/env python3
"""ward-ingest --format suricata on the real eve.json and fast.log records of
the CrowdSec hub's suricata-* tests: every record parses (no malformed), every
alert carries src_ip/dest_ip/proto fields and its own time, and the chain
ingest | match --rules rules | window --rules rules fires on the same sources
as it does on the raw lines (the ids pack parses the line, which stays the
original record). Prints one line per file and exits 1 on any difference."""
import argparse
import glob
import json
import os
import subprocess
import sys


def chain(bindir, rules, fmt, path):
    ing = subprocess.run([os.path.join(bindir, "ward-ingest"), "-F", fmt, path],
                         capture_output=True, text=True, check=False)
    m = subprocess.run([os.path.join(bindir, "ward-match"), "-q", "--rules", rules],
                       input=ing.stdout, capture_output=True, text=True, check=False)
    w = subprocess.run([os.path.join(bindir, "ward-window"), "-q", "--rules", rules],
                       input=m.stdout, capture_output=True, text=True, check=False)
    fired = set()
    for line in w.stdout.splitlines():
        ev = json.loads(line)
        a = ev.get("alert") or {}
        if a.get("state") == "firing":
            fired.add((a.get("rule"), json.dumps(a.get("key"), sort_keys=True)))
    counters = {}
    for line in ing.stderr.splitlines():
        if line.startswith("{"):
            counters = json.loads(line)
    events = [json.loads(x) for x in ing.stdout.splitlines()]
    return fired, counters, events


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="bin")
    ap.add_argument("--rules", default="rules")
    ap.add_argument("--shared", default=os.environ.get("WARD_SHARED", "../shared"))
    args = ap.parse_args()
    files = sorted(glob.glob(os.path.join(args.shared, "corpus/crowdsec-hub/tests/suricata-*/*.log")))
    if not files:
        print("no suricata-* hub tests found", file=sys.stderr)
        return 1
    bad = 0
    for f in files:
        raw, _, _ = chain(args.bin, args.rules, "raw", f)
        suri, counters, events = chain(args.bin, args.rules, "suricata", f)
        problems = []
        if counters.get("malformed", 0) or counters.get("ts_fallback", 0):
            problems.append("malformed=%s ts_fallback=%s" % (counters.get("malformed"), counters.get("ts_fallback")))
        for ev in events:
            if ev["labels"].get("event_type") == "alert":
                missing = [k for k in ("src_ip", "dest_ip", "proto") if k not in ev.get("fields", {})]
                if missing:
                    problems.append("alert without %s: %.80s" % (",".join(missing), ev["line"]))
        if raw != suri:
            problems.append("fired differently: raw %s, suricata %s" % (sorted(raw), sorted(suri)))
        print("%s %s: %d records, %d alerts fired%s" % (
            "FAIL" if problems else "PASS", os.path.basename(f), len(events), len(suri),
            "".join("\n  " + p for p in problems)))
        bad += bool(problems)
    print("suricata_formats: %d of %d files agree (target: all)" % (len(files) - bad, len(files)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
