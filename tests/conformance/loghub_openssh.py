#!/usr/bin/env python3
"""loghub_openssh.py - ward's SSH tagging rules over loghub's real OpenSSH log.

loghub (../shared/corpus/logs/loghub) holds 2,000 lines of a real sshd log
with each line's template (OpenSSH_2k.log_structured.csv). Every line goes
through `ward-match --rules rules/ssh.yaml`; the report gives, per template,
how many lines a tagging rule (a plain log query) tagged with the address
the line names. ATTACK lists the templates of failed or hostile attempts
that name the client address: every one of their lines must be tagged.
NOADDR lists hostile templates without an address (a single-line rule has
nothing to key on). Templates in neither must not be tagged as attacks
(session open/close, Accepted..., reverse-DNS warnings).

Reads ../shared, so it is not part of make check. Exit status 0 when every
ATTACK line is tagged with its own address and no benign line is, else 1;
2 when the corpus is missing.
"""
import argparse
import csv
import json
import os
import re
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ATTACK = {"E2", "E3", "E6", "E7", "E8", "E9", "E10", "E13", "E14", "E15", "E16", "E17", "E19", "E20", "E24", "E25"}
NOADDR = {"E4", "E5", "E11", "E12", "E18", "E21"}
ADDR = re.compile(r"(?:\d{1,3}\.){3}\d{1,3}")
# PAM resolves rhost= to a name when it can: no address to key on
DNSHOST = re.compile(r"rhost=\S*[A-Za-z]")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fail2ban_samples import tagging_rules  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(TOP, "bin"))
    ap.add_argument("--rules", default=os.path.join(TOP, "rules", "ssh.yaml"))
    shared = os.environ.get("WARD_SHARED") or next(
        (d for d in (os.path.join(TOP, "..", "shared"), os.path.join(TOP, "..", "..", "shared")) if os.path.isdir(d)),
        os.path.join(TOP, "..", "shared"))
    ap.add_argument("--loghub", default=os.path.join(shared, "corpus", "logs", "loghub"))
    ap.add_argument("-v", "--verbose", action="store_true", help="print untagged attack lines")
    a = ap.parse_args()
    log = os.path.join(a.loghub, "OpenSSH_2k.log")
    st = os.path.join(a.loghub, "OpenSSH_2k.log_structured.csv")
    if not (os.path.isfile(log) and os.path.isfile(st)):
        print("loghub_openssh: %s not found (needs ../shared)" % log, file=sys.stderr)
        return 2
    with open(log, encoding="utf-8", errors="replace") as f:
        lines = [l.rstrip("\n") for l in f]
    with open(st, encoding="utf-8", errors="replace") as f:
        rows = list(csv.DictReader(f))
    tmpl = {}
    for r in rows:
        tmpl[int(r["LineId"]) - 1] = (r["EventId"], r["EventTemplate"])
    evs = "".join(json.dumps({"v": 1, "ts": "2024-01-01T00:00:00Z", "labels": {"job": "test", "n": str(i)},
                              "line": l, "fields": {}}) + "\n" for i, l in enumerate(lines))
    p = subprocess.run([os.path.join(a.bin, "ward-match"), "-q", "--rules", a.rules], input=evs.encode(),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    if p.returncode != 0:
        sys.exit("loghub_openssh: ward-match exit %d" % p.returncode)
    names = tagging_rules(a.rules)
    got = {}
    for out in p.stdout.decode(errors="replace").splitlines():
        ev = json.loads(out)
        if ev.get("rule") in names and (ev.get("fields") or {}).get("src_ip"):
            got.setdefault(int(ev["labels"]["n"]), {})[ev["rule"]] = ev["fields"]["src_ip"]
    per = {}
    bad = 0
    for i, line in enumerate(lines):
        eid, text = tmpl.get(i, ("?", "?"))
        s = per.setdefault(eid, [text, 0, 0, set()])
        s[1] += 1
        tags = got.get(i, {})
        m = ADDR.findall(line.split(": ", 1)[-1])
        if tags:
            s[3].update(tags)
            if m and set(tags.values()) - set(m):
                bad += 1
                print("  WRONG ADDRESS %s: %s" % (tags, line))
        if tags and (not m or set(tags.values()) <= set(m)):
            s[2] += 1
        elif eid in ATTACK and a.verbose:
            print("  untagged %s: %s" % (eid, line))
    ok = bad == 0
    tot_a = tag_a = 0
    dns = sum(1 for i, l in enumerate(lines) if tmpl.get(i, ("",))[0] in ATTACK and DNSHOST.search(l) and i not in got)
    for eid in sorted(per, key=lambda e: int(e[1:]) if e[1:].isdigit() else 999):
        text, n, t, rules = per[eid]
        kind = "attack" if eid in ATTACK else "no-addr" if eid in NOADDR else "benign"
        if kind == "attack":
            tot_a += n
            tag_a += t
            ok = ok and t + sum(1 for i, l in enumerate(lines) if tmpl.get(i, ("",))[0] == eid
                                and DNSHOST.search(l) and i not in got) == n
        elif kind == "benign":
            ok = ok and t == 0
        print("%-4s %-7s %4d lines %4d tagged  %-40s %s" % (eid, kind, n, t, ",".join(sorted(rules))[:40], text[:70]))
    print("loghub OpenSSH_2k: %d of %d attack-template lines tagged with their address (%d untagged name only a DNS "
          "host in rhost=); wrong address: %d" % (tag_a, tot_a, dns, bad))

    # Linux_2k (a RHEL 4 /var/log/messages): sshd's attempts are only the old
    # Linux-PAM lines "sshd(pam_unix)[pid]: authentication failure; ... rhost=A".
    # A DNS name that begins with digits (rhost=68.143.156.89.nw.example.net)
    # is a PTR name the client's owner chose: not an address.
    lin = os.path.join(a.loghub, "Linux_2k.log")
    if os.path.isfile(lin):
        with open(lin, encoding="utf-8", errors="replace") as f:
            llines = [l.rstrip("\n") for l in f]
        evs = "".join(json.dumps({"v": 1, "ts": "2024-01-01T00:00:00Z", "labels": {"job": "test", "n": str(i)},
                                  "line": l, "fields": {}}) + "\n" for i, l in enumerate(llines))
        p = subprocess.run([os.path.join(a.bin, "ward-match"), "-q", "--rules", a.rules], input=evs.encode(),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
        lgot = {}
        for out in p.stdout.decode(errors="replace").splitlines():
            ev = json.loads(out)
            if ev.get("rule") in names:
                lgot[int(ev["labels"]["n"])] = ev["fields"].get("src_ip")
        want = {i: m.group(1) for i, l in enumerate(llines)
                for m in [re.search(r"sshd\(pam_unix\)\[\d+\]: authentication failure; .* rhost=((?:\d{1,3}\.){3}\d{1,3})(?:\s|$)", l)] if m}
        hit = sum(1 for i, ip in want.items() if lgot.get(i) == ip)
        other = sum(1 for i in lgot if i not in want)
        print("loghub Linux_2k: %d of %d sshd(pam_unix) failures naming an IP tagged with it; %d other lines tagged"
              % (hit, len(want), other))
        ok = ok and hit == len(want) and other == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
