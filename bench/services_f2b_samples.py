#!/usr/bin/env python3
"""services_f2b_samples.py - the packs' tagging rules on fail2ban's labelled
sample logs (service, web/HTTP, host and SSH packs).

fail2ban ships, with its test suite, real log lines of each daemon preceded
by `# failJSON: {"match": true|false, "host": ...}` (Debian: package
python3-fail2ban, /usr/lib/python3/dist-packages/fail2ban/tests/files/logs).
For every line marked `match: true` with a host, this checks that some rule of
the packs FILTERS names for that filter (rules/NAME.yaml) selects it with src_ip equal to
that host ("found"), selects it with another address ("wrong-ip": must be 0)
or misses it; for `match: false` lines, whether a rule selects them (and how
many of those the same file labels `match: true` in another filter mode: the
very same line, fail2ban's own labels disagreeing).

fail2ban's "true" is per filter mode, so some misses are deliberate: lines
this project does not count as an attack (Dovecot "no auth attempts", Postfix
"lost connection after CONNECT"), or whose address a client could choose
(Asterisk security-log values holding quotes); docs/rules.md, "What stays
uncovered". Run with -v to list them.

    python3 bench/services_f2b_samples.py [-v] [--set services|web|all] [--bin DIR] [--logs DIR] [NAME...]

`--set services` (the default) is the service filters, `web` the web, HTTP,
host and SSH ones, `all` both; NAMEs pick filters from FILTERS.

Not part of `make check` (fail2ban need not be installed); exit 0 unless a
line is attributed to a wrong address.
"""
import argparse
import json
import os
import re
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Filter name -> the packs whose daemons it covers. Service packs: host.yaml
# too, the pam_unix lines of Dovecot and vsftpd are that pack's
# (PamRemoteAuthFailure), as `ward-match --rules rules` loads it with the rest.
SVC = ("mail", "ftp", "db", "firewall", "services", "host")
WEB = ("web", "http")
FILTERS = {n: SVC for n in (
    "asterisk", "courier-auth", "cyrus-imap", "dovecot", "exim", "grafana",
    "mongodb-auth", "mysqld-auth", "postfix", "proftpd", "pure-ftpd", "vsftpd",
    "sendmail-auth", "sendmail-reject", "uwimap-auth")}
FILTERS.update({n: WEB for n in (
    "apache-auth", "apache-badbots", "apache-botsearch", "apache-fakegooglebot",
    "apache-modsecurity", "apache-nohome", "apache-noscript", "apache-overflows",
    "apache-pass", "apache-shellshock", "nginx-bad-request", "nginx-botsearch",
    "nginx-http-auth", "nginx-limit-req", "php-url-fopen", "lighttpd-auth",
    "haproxy-http-auth", "traefik-auth")})
# Web applications' and a proxy's own logs: services.yaml's (the web packs
# loaded too, as ward-match --rules rules does).
FILTERS.update({n: WEB + ("services",) for n in (
    "roundcube-auth", "phpmyadmin-syslog", "drupal-auth", "squid")})
FILTERS.update({"pam-generic": ("host", "ssh"), "dropbear": ("ssh",),
                "sshd-journal": ("ssh",), "selinux-ssh": ("ssh", "host")})
SETS = {"services": [n for n, p in FILTERS.items() if p == SVC],
        "web": [n for n, p in FILTERS.items() if p != SVC]}
SETS["all"] = SETS["services"] + SETS["web"]


def samples(path):
    """(label, line) pairs: each failJSON comment and the log line after it."""
    lines = open(path, encoding="utf-8", errors="replace").read().split("\n")
    out = []
    for i, line in enumerate(lines[:-1]):
        m = re.match(r"#\s*failJSON:\s*(\{.*\})", line)
        nxt = lines[i + 1]
        if not m or not nxt.strip() or nxt.startswith("#"):
            continue
        try:
            out.append((json.loads(m.group(1)), nxt))
        except ValueError:
            continue
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(TOP, "bin"))
    ap.add_argument("--logs", default="/usr/lib/python3/dist-packages/fail2ban/tests/files/logs")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--set", choices=sorted(SETS), default="services")
    ap.add_argument("names", nargs="*", metavar="NAME", help="filters of FILTERS (default: those of --set)")
    a = ap.parse_args()
    unknown = [n for n in a.names if n not in FILTERS]
    if unknown:
        ap.error("no pack table entry for %s (known: %s)" % (", ".join(unknown), ", ".join(sorted(FILTERS))))
    if not os.path.isdir(a.logs):
        print("skip: no fail2ban sample logs in %s" % a.logs)
        return 0
    wrong_total = 0
    for name in a.names or SETS[a.set]:
        cmd = [os.path.join(a.bin, "ward-match"), "-q"]
        for p in FILTERS[name]:
            cmd += ["--rules", os.path.join(TOP, "rules", p + ".yaml")]
        items = samples(os.path.join(a.logs, name))
        ev = "".join(json.dumps({"v": 1, "ts": "2024-01-01T00:00:00Z", "labels": {"job": "f2b"},
                                 "line": l, "fields": {}}) + "\n" for _, l in items)
        out = subprocess.run(cmd, input=ev, capture_output=True, text=True, check=True).stdout
        sel = {}
        for o in out.splitlines():
            e = json.loads(o)
            sel.setdefault(e["line"], set()).add((e["rule"], e.get("fields", {}).get("src_ip")))
        found = missed = wrong = neg = neg_sel = neg_dual = 0
        notes = []
        true_lines = {l for label, l in items if label.get("match")}
        for label, line in items:
            hits = sel.get(line, set())
            if label.get("match") and label.get("host"):
                if label["host"] in {ip for _, ip in hits}:
                    found += 1
                elif hits:
                    wrong += 1
                    notes.append(("WRONG-IP", line, sorted(hits)))
                else:
                    missed += 1
                    notes.append(("MISS", line, []))
            elif not label.get("match"):
                neg += 1
                if hits:
                    neg_sel += 1
                    neg_dual += line in true_lines
                    notes.append(("SELECTED", line, sorted(hits)))
        wrong_total += wrong
        print("%-20s true %3d: found %3d, missed %3d, wrong-ip %d | false %3d: selected %d"
              % (name, found + missed + wrong, found, missed, wrong, neg, neg_sel)
              + (" (%d also labelled true)" % neg_dual if neg_dual else ""))
        if a.verbose:
            for kind, line, hits in notes:
                print("    %-8s %s %s" % (kind, line[:200], hits[:3] if hits else ""))
    return 1 if wrong_total else 0


if __name__ == "__main__":
    sys.exit(main())
