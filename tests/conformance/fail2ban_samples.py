#!/usr/bin/env python3
"""fail2ban_samples.py - ward's SSH tagging rules over fail2ban's own samples.

fail2ban ships the log lines its filters are tested on
(fail2ban/tests/files/logs/{sshd,sshd-journal,dropbear}); a line after
`# failJSON: {..., "match": true, "host": X}` is an attack from X. Each line
goes through `ward-match --rules rules/ssh.yaml` on its own; an attack line
counts as found when a tagging rule (a plain log query) tags it with
src_ip == X. Reported per file: found / attack lines, lines tagged with a
DIFFERENT address (must be 0: that is a forgery), attack lines whose host
is a DNS name (a single-line rule cannot resolve it) and lines fail2ban only
attributes through an earlier line of the same pid (multi-line).

Reads the installed fail2ban package (Debian: python3-fail2ban), so it is
not part of make check. Exit status: 0 when no line is tagged with a wrong
address and the found share meets --min (percent of the attack lines that
name an IP address), 1 otherwise, 2 when fail2ban's samples are missing.
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
IPRE = re.compile(r"^(?:\d{1,3}\.){3}\d{1,3}$|:")


def samples_dir():
    for d in glob.glob("/usr/lib/python3/dist-packages/fail2ban/tests/files/logs") + \
             glob.glob("/usr/lib/python3*/site-packages/fail2ban/tests/files/logs"):
        if os.path.isdir(d):
            return d
    return None


def read_samples(path):
    """[(line, expectation dict or None)] for every log line of the file."""
    out = []
    want = None
    with open(path, encoding="utf-8", errors="replace") as f:
        for raw in f:
            line = raw.rstrip("\n")
            if line.startswith("#"):
                m = re.match(r"#\s*failJSON:\s*(\{.*\})\s*$", line)
                if m:
                    try:
                        want = json.loads(m.group(1))
                    except ValueError:
                        want = None
                continue
            if not line.strip():
                continue
            out.append((line, want))
            want = None
    return out


def tagging_rules(rules_path):
    """Names of the rules whose expr is a plain log query (starts with a selector)."""
    import yaml
    names = set()
    with open(rules_path) as f:
        doc = yaml.safe_load(f)
    for g in doc.get("groups", []):
        for r in g.get("rules", []):
            if r.get("alert") and str(r.get("expr", "")).lstrip().startswith("{"):
                names.add(r["alert"])
    return names


def run(bindir, rules, lines):
    """{line index: set of src_ip values tagging rules extracted}."""
    evs = "".join(json.dumps({"v": 1, "ts": "2024-01-01T00:00:00Z", "labels": {"job": "test", "n": str(i)},
                              "line": l, "fields": {}}) + "\n" for i, l in enumerate(lines))
    p = subprocess.run([os.path.join(bindir, "ward-match"), "-q", "--rules", rules], input=evs.encode(),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    if p.returncode != 0:
        sys.exit("fail2ban_samples: ward-match exit %d: %s" % (p.returncode, p.stderr.decode(errors="replace")))
    names = tagging_rules(rules)
    got = {}
    for out in p.stdout.decode(errors="replace").splitlines():
        ev = json.loads(out)
        if ev.get("rule") not in names:
            continue
        ip = (ev.get("fields") or {}).get("src_ip")
        if ip:
            got.setdefault(int(ev["labels"]["n"]), set()).add(ip)
    return got


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(TOP, "bin"))
    ap.add_argument("--rules", default=os.path.join(TOP, "rules", "ssh.yaml"))
    ap.add_argument("--min", type=float, default=75.0, help="required share of IP-named attack lines found, percent")
    ap.add_argument("-v", "--verbose", action="store_true", help="print the attack lines not found")
    a = ap.parse_args()
    d = samples_dir()
    if not d:
        print("fail2ban_samples: fail2ban's test samples are not installed (apt install fail2ban)", file=sys.stderr)
        return 2
    ok = True
    for name in ("sshd", "sshd-journal", "dropbear"):
        path = os.path.join(d, name)
        if not os.path.isfile(path):
            continue
        samples = read_samples(path)
        got = run(a.bin, a.rules, [s[0] for s in samples])
        attack = found = wrong = dns = nohost = notinline = 0
        missed = []
        for i, (line, want) in enumerate(samples):
            ips = got.get(i, set())
            host = (want or {}).get("host")
            if want and want.get("match") and not host:
                nohost += 1  # fail2ban finds the host on an earlier line of the pid
                missed.append(line)
            if want and want.get("match") and host:
                attack += 1
                if not IPRE.search(host):
                    dns += 1
                elif host.replace("::ffff:", "") not in line:
                    notinline += 1  # fail2ban takes it from an earlier line of the pid
                hosts = {host, host.replace("::ffff:", "")}
                if ips & hosts:
                    found += 1
                else:
                    missed.append(line)
                if ips - hosts:
                    wrong += 1
                    print("  WRONG ADDRESS %s (fail2ban: %s): %s" % (sorted(ips), host, line))
        named = attack - dns
        inline = named - notinline
        pct_in = 100.0 * found / inline if inline else 100.0
        attack += nohost
        pct = 100.0 * found / named if named else 100.0
        print("%-13s %3d of %3d attack lines tagged with fail2ban's address (%d name a DNS host, %d no host); "
              "%.1f%% of the %d that name an IP, %.1f%% of the %d whose own text holds it; wrong address: %d"
              % (name, found, attack, dns, nohost, pct, named, pct_in, inline, wrong))
        if a.verbose:
            for m in missed:
                print("    missed: " + m)
        ok = ok and wrong == 0 and pct >= a.min
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
