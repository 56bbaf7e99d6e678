#!/usr/bin/env python3
"""crowdsec.py - ward's detection chain over the CrowdSec hub scenario tests.

Each hub test directory holds a real log (config.yaml `log_file`) and
`scenario.assert`, the sources CrowdSec must alert on
(`"1.2.3.4" in results[0].Overflow.GetSources()`), or nothing (an empty file
or `len(results) == 0`). ward runs the one chain that runs every detection,

    ward-ingest --ts auto LOG | ward-match --rules RULES | ward-window --rules RULES --lateness 2d

and a test passes when every asserted source is among the sources of ward's
firing alerts; a test that asserts no result passes when nothing fires.
Sources that fire but are not asserted are "extra" and reported per test.

The hub tests are not part of the project (they live in ../shared, which a
user's machine lacks), so this runs from `make conformance`, not `make check`.
Exit status: 0 when the pass rate and the count of tests with extra sources
meet --min-pass and --max-extra, 1 otherwise, 2 on a usage error.
"""
import argparse
import fnmatch
import json
import os
import re
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SOURCE_RE = re.compile(r'^"([^"]+)" in results\[\d+\]\.Overflow\.GetSources\(\)\s*$')


def expected_sources(assert_path):
    """The asserted sources, or an empty set for a test that expects none."""
    sources = set()
    with open(assert_path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = SOURCE_RE.match(line.strip())
            if m:
                sources.add(m.group(1))
    return sources


def log_file(test_dir):
    with open(os.path.join(test_dir, "config.yaml"), encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^log_file:\s*(\S+)", line)
            if m:
                return os.path.join(test_dir, m.group(1).strip("'\""))
    return None


def parser_only(test_dir):
    """True when the test loads no scenario (`scenarios: [""]`): CrowdSec
    itself could alert on nothing there, so its empty result says nothing
    about whether the log holds an attack."""
    names = []
    in_list = False
    with open(os.path.join(test_dir, "config.yaml"), encoding="utf-8") as f:
        for line in f:
            if re.match(r"^scenarios:", line):
                in_list = True
                continue
            if in_list:
                m = re.match(r"^\s*-\s*(.*)$", line)
                if not m:
                    break
                names.append(m.group(1).strip().strip("'\""))
    return not any(names)


def alerted_sources(out):
    """Sources of the firing alerts in ward-window's output."""
    sources = set()
    for line in out.splitlines():
        try:
            ev = json.loads(line)
        except ValueError:
            continue
        alert = ev.get("alert") if isinstance(ev, dict) else None
        if not isinstance(alert, dict) or alert.get("state", "firing") != "firing":
            continue
        # The alert's key names its source: an address (src_ip) for most
        # rules, an account or a program for host rules (CrowdSec's
        # system_account and exe scopes).
        key = alert.get("key") or {}
        if key.get("src_ip"):
            sources.add(key["src_ip"])
        elif key:
            sources.update(str(v) for v in key.values() if v)
        elif (ev.get("fields") or {}).get("src_ip"):
            sources.add(ev["fields"]["src_ip"])
    return sources


def run_chain(bindir, rules, log, timeout, lateness):
    """Run the chain over one log; returns (stdout, stderr text, failed stage or None)."""
    cmds = [[os.path.join(bindir, "ward-ingest"), "-q", "--ts", "auto", log],
            [os.path.join(bindir, "ward-match"), "-q", "--rules", rules],
            [os.path.join(bindir, "ward-window"), "-q", "--rules", rules, "--lateness", lateness]]
    procs = []
    prev = None
    for c in cmds:
        p = subprocess.Popen(c, stdin=prev.stdout if prev else subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if prev:
            prev.stdout.close()
        procs.append(p)
        prev = p
    try:
        out, err_last = procs[-1].communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        for p in procs:
            p.kill()
        return "", "timed out", "chain"
    errs = []
    failed = None
    for c, p in zip(cmds, procs):
        rc = p.wait()
        e = err_last if p is procs[-1] else p.stderr.read()
        p.stderr.close()
        if e:
            errs.append(e.decode(errors="replace").strip())
        if rc != 0 and failed is None:
            failed = "%s exit %d" % (os.path.basename(c[0]), rc)
    return out.decode(errors="replace"), "\n".join(errs), failed


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--hub", default=os.path.join(TOP, "..", "shared", "corpus", "crowdsec-hub"),
                    help="the hub corpus (default ../shared/corpus/crowdsec-hub)")
    ap.add_argument("--bin", default=os.path.join(TOP, "bin"), help="the ward programs")
    ap.add_argument("--rules", default=os.path.join(TOP, "rules"), help="rule file or directory")
    ap.add_argument("--only", action="append", default=[], help="test name glob, repeatable")
    ap.add_argument("--min-pass", type=float, default=95.0, help="required pass rate, percent")
    ap.add_argument("--max-extra", type=int, default=3, help="most tests with extra sources")
    ap.add_argument("--lateness", default="2d",
                    help="ward-window --lateness, as pipelines/detect.pipeline replays files (default 2d)")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per test")
    ap.add_argument("-v", "--verbose", action="store_true", help="print the chain's stderr")
    a = ap.parse_args()

    tests_dir = os.path.join(a.hub, "tests")
    if not os.path.isdir(tests_dir):
        print("conformance: %s: no hub tests here (make conformance needs ../shared)" % tests_dir,
              file=sys.stderr)
        return 2
    names = sorted(n for n in os.listdir(tests_dir)
                   if os.path.isfile(os.path.join(tests_dir, n, "scenario.assert")))
    if a.only:
        names = [n for n in names if any(fnmatch.fnmatch(n, g) for g in a.only)]
    passed = failed = with_extra = 0
    scen_total = scen_passed = scen_extra = 0
    for name in names:
        d = os.path.join(tests_dir, name)
        want = expected_sources(os.path.join(d, "scenario.assert"))
        log = log_file(d)
        if not log or not os.path.isfile(log):
            print("FAIL  %-40s no log file in config.yaml" % name)
            failed += 1
            continue
        out, err, broken = run_chain(a.bin, a.rules, log, a.timeout, a.lateness)
        got = alerted_sources(out)
        missing = sorted(want - got)
        extra = sorted(got - want)
        ok = broken is None and (not missing if want else not got)
        passed += ok
        failed += not ok
        with_extra += bool(extra)
        quiet_parser_test = not want and parser_only(d)
        if not quiet_parser_test:
            scen_total += 1
            scen_passed += ok
            scen_extra += bool(extra)
        what = "expects %s" % (" ".join(sorted(want)) if want else "no alert")
        if quiet_parser_test:
            what += " (parser-only test: CrowdSec loaded no scenario)"
        detail = []
        if broken:
            detail.append(broken)
        if missing:
            detail.append("missing " + " ".join(missing))
        if extra:
            detail.append("extra " + " ".join(extra))
        print("%s  %-40s %s%s" % ("PASS" if ok else "FAIL", name, what,
                                   ("; " + "; ".join(detail)) if detail else ""))
        if a.verbose and err:
            print("      " + err.replace("\n", "\n      "))
    total = passed + failed
    rate = 100.0 * passed / total if total else 0.0
    print("crowdsec hub: %d of %d tests pass (%.1f%%, gate %.0f%%); extra sources in %d tests (gate: at most %d)"
          % (passed, total, rate, a.min_pass, with_extra, a.max_extra))
    if scen_total:
        print("crowdsec hub, scenario tests only: %d of %d pass (%.1f%%); extra sources in %d"
              % (scen_passed, scen_total, 100.0 * scen_passed / scen_total, scen_extra))
    return 0 if total and rate >= a.min_pass and with_extra <= a.max_extra else 1


if __name__ == "__main__":
    sys.exit(main())
