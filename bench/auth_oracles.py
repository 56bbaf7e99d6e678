#!/usr/bin/env python3
"""auth_oracles.py - the SSH and host packs on auth logs you name, against two
independent tools: sshguard's parser and fail2ban's filters.

For each log (BSD/ISO syslog, journald short output, logread...), every line
goes through:
* ward: `ward-ingest --ts auto LOG | ward-match --rules RULES` (the tagging
  rules that select the line, and the src_ip they extract);
* sshguard: `sshg-parser` (one line at a time on stdin; its verdict names an
  address when the line is an attack);
* fail2ban: `fail2ban-regex -o '<ip>|<msg>' LOG FILTER` for each of --filter
  (default: sshd, sshd[mode=aggressive], pam-generic, dropbear, selinux-ssh).

A line is "found" when ward tags it with an address an oracle gives it,
"other-ip" when ward tags it only with addresses no oracle gave (exit 1),
"missed" when an oracle flags it and ward does not tag it, "extra" when ward
tags it and no oracle does. fail2ban attributes some lines through another
line of the same sshd process (a host name in rhost=, `Disconnecting: Too many
authentication failures` without an address): those come out as "missed" and
are ward's design (a host name never becomes src_ip; an address must be in
the line). -v prints every disagreement.

--chain also runs the whole chain (`... | ward-window --rules RULES
--lateness 2d`, as pipelines/detect.pipeline does) and compares the alerted
keys with the addresses sshguard's blocker (danger points >= --sshg-threshold
within --sshg-window seconds, sshg-blocker's defaults 30 and 1800) and
fail2ban's sshd jail (normal mode; >= --maxretry within --findtime seconds,
defaults 5 and 600) would block, from the oracles' per-line verdicts and the
lines' own times.

No log is part of this project and this script is not run by `make check`:

    python3 bench/auth_oracles.py [--bin bin] [--rules rules] [--chain] [-v] LOG...
"""
import argparse
import collections
import datetime
import json
import os
import re
import subprocess
import sys

import yaml

F2B_DIR = "/etc/fail2ban/filter.d/"
FILTERS = ["sshd.conf", "sshd.conf[mode=aggressive]", "pam-generic.conf", "dropbear.conf", "selinux-ssh.conf"]
SSHG = "/usr/libexec/sshguard/sshg-parser"
MONTHS = {m: i for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), 1)}


def tagging_rules(rules):
    """Names of the tagging rules (plain log queries) under `rules`."""
    paths = [rules] if os.path.isfile(rules) else [os.path.join(rules, f) for f in sorted(os.listdir(rules))
                                                    if f.endswith((".yaml", ".yml"))]
    names = set()
    for p in paths:
        with open(p) as f:
            for g in yaml.safe_load(f).get("groups", []):
                for r in g.get("rules", []):
                    if r.get("expr", "").lstrip().startswith("{"):
                        names.add(r.get("alert") or r.get("record"))
    return names


def ward_tags(args, path, tagging):
    """line -> {(rule, src_ip or user)} for the tagging rules that select it."""
    ing = subprocess.Popen([os.path.join(args.bin, "ward-ingest"), "-q", "--ts", "auto", path], stdout=subprocess.PIPE)
    out = subprocess.run([os.path.join(args.bin, "ward-match"), "-q", "--rules", args.rules], stdin=ing.stdout,
                         capture_output=True, text=True, check=False).stdout
    ing.wait()
    res = collections.defaultdict(set)
    for l in out.splitlines():
        e = json.loads(l)
        if e.get("rule") in tagging:
            f = e.get("fields", {})
            res[e["line"]].add((e["rule"], f.get("src_ip") or f.get("user") or ""))
    return res


def sshguard(lines):
    """line -> (address, danger) sshg-parser gives it."""
    res = {}
    for l in lines:
        o = subprocess.run([SSHG], input=l + "\n", capture_output=True, text=True, check=False).stdout.split()
        if len(o) >= 4:
            res[l] = (o[1], int(o[3]))
    return res


def fail2ban(path, filt):
    """message line -> address fail2ban-regex gives it (a multi-line match's lines each)."""
    o = subprocess.run(["fail2ban-regex", "-o", "<ip>|<msg>", path, F2B_DIR + filt],
                       capture_output=True, text=True, check=False).stdout
    res = {}
    for l in o.splitlines():
        if "|" in l:
            ip, msg = l.split("|", 1)
            for m in msg.split("\n"):
                res[m] = ip
    return res


def line_time(line, default):
    """Seconds (in a year of our choosing) from a BSD or ISO time at the start of the line."""
    m = re.match(r"(?:[A-Z][a-z]{2} )?([A-Z][a-z]{2}) +(\d+) (\d\d):(\d\d):(\d\d)", line)
    if m and m[1] in MONTHS:
        return datetime.datetime(2000, MONTHS[m[1]], int(m[2]), int(m[3]), int(m[4]), int(m[5])).timestamp()
    m = re.match(r"\d{4}-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)", line)
    if m:
        return datetime.datetime(2000, int(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5])).timestamp()
    return float(default)


def blocked(events, need, span):
    """Addresses whose weights reach `need` within `span` seconds."""
    seen = collections.defaultdict(list)
    out = set()
    for t, ip, w in sorted(events):
        seen[ip] = [(a, b) for a, b in seen[ip] if t - a < span] + [(t, w)]
        if sum(b for _, b in seen[ip]) >= need:
            out.add(ip)
    return out


def chain_alerts(args, path):
    """alert rule -> keys it fired for, through the whole chain."""
    ing = subprocess.Popen([os.path.join(args.bin, "ward-ingest"), "-q", "--ts", "auto", path], stdout=subprocess.PIPE)
    mat = subprocess.Popen([os.path.join(args.bin, "ward-match"), "-q", "--rules", args.rules], stdin=ing.stdout,
                           stdout=subprocess.PIPE)
    out = subprocess.run([os.path.join(args.bin, "ward-window"), "-q", "--rules", args.rules, "--lateness", "2d"],
                         stdin=mat.stdout, capture_output=True, text=True, check=False).stdout
    ing.wait()
    mat.wait()
    fired = collections.defaultdict(set)
    for l in out.splitlines():
        a = json.loads(l).get("alert", {})
        if a.get("state") == "firing":
            fired[a["rule"]].add(",".join("%s=%s" % kv for kv in sorted(a["key"].items())))
    return fired


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("logs", nargs="+")
    ap.add_argument("--bin", default="bin")
    ap.add_argument("--rules", default="rules")
    ap.add_argument("--filter", action="append", help="fail2ban filter file under %s (repeatable)" % F2B_DIR)
    ap.add_argument("--chain", action="store_true", help="also compare whole-chain alerts with the tools' bans")
    ap.add_argument("--sshg-threshold", type=int, default=30)
    ap.add_argument("--sshg-window", type=int, default=1800)
    ap.add_argument("--maxretry", type=int, default=5)
    ap.add_argument("--findtime", type=int, default=600)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    filters = args.filter or FILTERS
    tagging = tagging_rules(args.rules)
    other_ip = 0
    for path in args.logs:
        with open(path, errors="replace") as f:
            lines = [l.rstrip("\n") for l in f]
        ward = ward_tags(args, path, tagging)
        sg = sshguard(lines)
        f2b = {n: fail2ban(path, n) for n in filters}
        n = collections.Counter()
        for i, l in enumerate(lines, 1):
            tags = ward.get(l, set())
            mine = {v for _, v in tags}
            theirs = {f2b[k][l] for k in filters if l in f2b[k]} | ({sg[l][0]} if l in sg else set())
            if theirs and tags:
                kind = "found" if mine & theirs else "other-ip"
            elif theirs:
                kind = "missed"
            elif tags:
                kind = "extra"
            else:
                continue
            n[kind] += 1
            if args.verbose and (kind != "found" or mine != theirs):
                print("  %4d %-8s ward=%s sshg=%s f2b=%s\n       %s" % (
                    i, kind, sorted(tags) or "-", sg.get(l, ("-",))[0],
                    {k: f2b[k][l] for k in filters if l in f2b[k]} or "-", l))
        other_ip += n["other-ip"]
        print("%s: %d lines; sshg %d, %s; ward tagged %d: found %d, missed %d, other-ip %d, extra %d" % (
            path, len(lines), len(sg), ", ".join("%s %d" % (k, sum(1 for l in lines if l in f2b[k])) for k in filters),
            sum(1 for l in lines if l in ward), n["found"], n["missed"], n["other-ip"], n["extra"]))
        if args.chain:
            for rule, keys in sorted(chain_alerts(args, path).items()):
                print("  ward alert %-26s %s" % (rule, " ".join(sorted(keys))))
            sg_ev = [(line_time(l, i), sg[l][0], sg[l][1]) for i, l in enumerate(lines) if l in sg]
            f2_ev = [(line_time(l, i), f2b["sshd.conf"][l], 1) for i, l in enumerate(lines) if l in f2b.get("sshd.conf", {})]
            print("  sshguard blocks: %s" % " ".join(sorted(blocked(sg_ev, args.sshg_threshold, args.sshg_window))))
            print("  fail2ban bans:   %s" % " ".join(sorted(blocked(f2_ev, args.maxretry, args.findtime))))
    return 1 if other_ip else 0


if __name__ == "__main__":
    sys.exit(main())
