#!/usr/bin/env python3
"""sshguard_tests.py - every pack's tagging rules on sshguard's parser tests.

sshguard (https://bitbucket.org/sshguard/sshguard, mirrored on GitHub as
SSHGuard/sshguard) tests its attack parser on `src/parser/tests.txt`: log
lines that real daemons wrote, each followed by the parser's expected result
and a marker line:

    Invalid user inexu from 6.6.6.0          <- a log line
    100 6.6.6.0 4 10                         <- SERVICE ADDRESS FAMILY DANGER, or "*": not an attack
    M                                        <- marker

`####` lines (and later `# ...` comments) open sections (SSH, Mail, FTP,
Cockpit, Web, ...). The file is not part of this project: download it
yourself and name it with --tests. This script is not run by `make check`.

sshguard strips the syslog header before its parser sees a line, so many
lines are bare messages. ward ties every rule to the program that wrote the
line, so a bare line gets the header its daemon would write: PREFIX below,
by sshguard's service code (src/parser/services.h, and the codes its tests
use). A line that already starts with a time (BSD `Mmm dd HH:MM:SS` or an
ISO date) is kept as it is; so are the web services' access-log lines (an
access log has no syslog header). Change an entry with --prefix CODE=TEXT.

For each attack line: "found" when some rule of the packs (--rules, default
the whole rules/ directory, as `ward-match --rules rules` runs them) selects
it with src_ip equal to sshguard's address (compared as addresses), "wrong-ip"
when rules select it only with other addresses (must be 0: exit status 1),
else "missed". For "*" lines: "tagged" when a tagging rule (a plain log
query) selects them, "only counted" when only an alerting rule's query reads
them (an access log's every request feeds the crawl and flood rates; that is
no verdict on the line). Reported per section; -v lists the lines missed,
wrong, tagged and counted.

    python3 bench/sshguard_tests.py --tests PATH/tests.txt [--bin DIR] [--rules PATH]... [-v] [--prefix CODE=TEXT]...
"""
import argparse
import ipaddress
import json
import os
import re
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HOST = "Jan  1 00:00:00 host "
# sshguard service code -> the header its daemon's bare message gets (None:
# the line stands alone, as in an access log). The program is the one that
# writes the message: Cockpit's PAM conversation runs in cockpit-session
# (cockpit-ws starts it per login), so pam_unix(cockpit:auth) is its line;
# Dovecot's login processes log through the master as `dovecot: imap-login:`;
# Exim writes its mainlog with a date and no tag.
PREFIX = {
    100: HOST + "sshd[1234]: ",             # OpenSSH
    110: HOST + "sshguard[1234]: ",         # sshguard's own output (a remote sshguard)
    200: HOST + "imapd[1234]: ",            # UW IMAP
    210: HOST + "dovecot: ",                # Dovecot
    220: HOST + "cyrus/imap[1234]: ",       # Cyrus IMAP
    230: HOST + "cucipop[1234]: ",          # cucipop
    240: "2024-01-01 00:00:00 ",            # Exim mainlog
    250: HOST + "sm-mta[1234]: ",           # sendmail
    260: HOST + "postfix/smtpd[1234]: ",    # Postfix
    270: HOST + "smtpd[1234]: ",            # OpenSMTPD
    280: HOST + "imapd: ",                  # Courier
    300: HOST + "ftpd[1234]: ",             # FreeBSD ftpd
    310: HOST + "proftpd[1234]: ",          # ProFTPD
    320: HOST + "pure-ftpd: ",              # Pure-FTPd
    330: HOST + "vsftpd[1234]: ",           # vsftpd
    340: HOST + "cockpit-session[1234]: ",  # Cockpit
    350: None,                              # web: HTTP 401 (access log)
    360: None,                              # web: probes of well-known paths
    370: None,                              # web: WordPress login POSTs
    400: HOST + "openvpn[1234]: ",          # OpenVPN
    500: HOST + "gitea[1234]: ",            # Gitea
}
HAS_TIME = re.compile(r"^(?:[A-Z][a-z]{2} +\d{1,2} \d\d:\d\d:\d\d|\d{4}-\d\d-\d\d)")


def parse(path):
    """[(section, line, expected)]: expected is (code, address) or None for "*"."""
    out = []
    section = "(none)"
    lines = open(path, encoding="utf-8", errors="replace").read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        if line.startswith("#"):
            section = line.lstrip("#").strip() or section
            i += 1
            continue
        if i + 1 >= len(lines):
            break
        want = lines[i + 1].split()
        if want == ["*"]:
            out.append((section, line, None))
        elif len(want) >= 2 and want[0].isdigit():
            out.append((section, line, (int(want[0]), want[1])))
        else:
            print("sshguard_tests: line %d: no expectation after it, skipped" % (i + 1), file=sys.stderr)
            i += 1
            continue
        # the marker line (M; X in older files) closes the record
        i += 3 if i + 2 < len(lines) and re.fullmatch(r"[A-Z]", lines[i + 2].strip()) else 2
    return out


def with_header(line, code, prefix):
    p = prefix.get(code)
    if p is None or HAS_TIME.match(line):
        return line
    return p + line


def tagging_rules(paths):
    """Names of the tagging rules (plain log queries) in the rules files:
    a "*" line counted by an alerting rule's query (every request of an
    access log feeds the crawl and flood rates) is not called an attack."""
    import yaml
    files = []
    for p in paths:
        files += sorted(os.path.join(p, f) for f in os.listdir(p) if f.endswith((".yaml", ".yml"))) if os.path.isdir(p) else [p]
    names = set()
    for f in files:
        with open(f) as fh:
            doc = yaml.safe_load(fh) or {}
        for g in doc.get("groups", []):
            for r in g.get("rules", []):
                if r.get("alert") and str(r.get("expr", "")).lstrip().startswith("{"):
                    names.add(r["alert"])
    return names


def same_addr(a, b):
    try:
        return ipaddress.ip_address(a) == ipaddress.ip_address(b)
    except ValueError:
        return a == b


def report(name, s):
    print("%-32s attacks %3d: found %3d, missed %3d, wrong-ip %d | not attacks %2d: tagged %d, only counted %d"
          % (name[:32], s["attacks"], s["found"], s["missed"], s["wrong"], s["benign"], s["selected"], s["counted"]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tests", required=True, help="sshguard's src/parser/tests.txt")
    ap.add_argument("--bin", default=os.path.join(TOP, "bin"))
    ap.add_argument("--rules", action="append", help="rules file or directory (default: rules/)")
    ap.add_argument("--prefix", action="append", default=[], metavar="CODE=TEXT",
                    help="header for the bare lines of a service code (empty TEXT: none)")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    prefix = dict(PREFIX)
    for p in a.prefix:
        code, _, text = p.partition("=")
        if not code.isdigit():
            ap.error("--prefix wants CODE=TEXT, got %r" % p)
        prefix[int(code)] = text or None
    if not os.path.isfile(a.tests):
        print("skip: no sshguard tests file at %s" % a.tests)
        return 0
    items = parse(a.tests)
    # a "*" line has no service: it stands as written (it carries its header)
    evlines = [with_header(l, want[0], prefix) if want else l for _, l, want in items]
    rules = a.rules or [os.path.join(TOP, "rules")]
    tagging = tagging_rules(rules)
    cmd = [os.path.join(a.bin, "ward-match"), "-q"]
    for r in rules:
        cmd += ["--rules", r]
    ev = "".join(json.dumps({"v": 1, "ts": "2024-01-01T00:00:00Z", "labels": {"job": "sshguard", "n": str(i)},
                             "line": l, "fields": {}}) + "\n" for i, l in enumerate(evlines))
    out = subprocess.run(cmd, input=ev, capture_output=True, text=True, check=True).stdout
    hits = {}
    for o in out.splitlines():
        e = json.loads(o)
        n = int(e.get("labels", {}).get("n", -1))
        hits.setdefault(n, set()).add((e.get("rule"), e.get("fields", {}).get("src_ip")))
    stats = {}
    order = []
    notes = []
    for n, (section, line, want) in enumerate(items):
        if section not in stats:
            stats[section] = dict(attacks=0, found=0, missed=0, wrong=0, benign=0, selected=0, counted=0)
            order.append(section)
        s = stats[section]
        h = hits.get(n, set())
        if want is None:
            s["benign"] += 1
            if any(r in tagging for r, _ in h):
                s["selected"] += 1
                notes.append((section, "SELECTED", evlines[n], sorted(h, key=str)))
            elif h:
                s["counted"] += 1
                notes.append((section, "COUNTED", evlines[n], sorted(h, key=str)))
            continue
        s["attacks"] += 1
        if any(ip and same_addr(ip, want[1]) for _, ip in h):
            s["found"] += 1
        elif any(ip for _, ip in h):
            s["wrong"] += 1
            notes.append((section, "WRONG-IP", evlines[n], sorted(h, key=str)))
        else:
            s["missed"] += 1
            notes.append((section, "MISS", evlines[n], [want]))
    tot = dict(attacks=0, found=0, missed=0, wrong=0, benign=0, selected=0, counted=0)
    for section in order:
        s = stats[section]
        for k in tot:
            tot[k] += s[k]
        report(section, s)
    report("all", tot)
    if a.verbose:
        for section, kind, line, extra in notes:
            print("  %-16s %-8s %s %s" % (section[:16], kind, line[:180], extra[:3]))
    return 1 if tot["wrong"] else 0


if __name__ == "__main__":
    sys.exit(main())
