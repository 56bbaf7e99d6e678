#!/usr/bin/env python3
"""gen.py - write ward's bundled sample data and its ground truth.

Python 3 standard library only. Deterministic: the same seed writes the same
bytes, so the files in this directory can be regenerated and diffed:

    python3 pipelines/samples/gen.py            # writes next to this script
    python3 pipelines/samples/gen.py --out DIR  # or into DIR

Files (one quarter of an hour on 2026-11-28 from 08:00 UTC, host web1):
  auth.log            BSD syslog sshd/cron/sudo lines: normal logins among
                      SSH brute force (IPv4 and IPv6), a slow attacker and a
                      near miss that must NOT alert, and a misconfigured
                      internal backup job that does cross the threshold
  auth.truth.json     failures per source and the sources with more than 5
                      "Failed password" lines in any (t-10s, t] window
  access.log          nginx JSON access log: browsing, API calls, benign
                      requests that look like attacks (O'Brien, "select a
                      plan"), SQL injection, path traversal, XSS, scanners
  access.truth.json   every non-benign and every tricky line with its label,
                      and the sources per attack label
  capture.pcap        Ethernet/IPv4 capture: normal TCP sessions, DNS, ping,
                      a SYN flood from two sources and a SYN port scan
  capture.truth.json  per-source packet, SYN and SYN-ACK counts, distinct SYN
                      destination ports, the top SYN talkers, and the sources
                      that flood (more than 100 SYNs in a 1 s window) or scan
                      (more than 100 distinct ports in a 10 s window)

Every attacker address is in 198.18.0.0/15 or 2001:db8::/32 (benchmark and
documentation ranges); internal hosts are in 10.0.0.0/8, offices and clients in
203.0.113.0/24 and 100.64.0.0/10.
"""

import argparse
import bisect
import datetime
import json
import os
import random
import struct

BASE = datetime.datetime(2026, 11, 28, 8, 0, 0, tzinfo=datetime.timezone.utc)
SPAN = 900  # seconds of activity
HOST = "web1"


def at(sec):
    return BASE + datetime.timedelta(seconds=sec)


def pick(rng, seq):
    return seq[rng.randrange(len(seq))]


def max_in_window(times, window):
    """Largest count of times in any (t - window, t], t being one of the times."""
    times = sorted(times)
    best = 0
    for i, t in enumerate(times):
        lo = bisect.bisect_right(times, t - window)
        best = max(best, i - lo + 1)
    return best


def write_json(path, obj):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(obj, f, indent=1, sort_keys=True)
        f.write("\n")


# ---------------------------------------------------------------- auth.log

USERS = ("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "deploy", "backup")
OFFICE = ("203.0.113.10", "203.0.113.11", "203.0.113.42", "10.0.1.20", "10.0.1.21", "10.0.1.35",
          "10.0.2.7", "10.0.2.8")
GUESSES = ("admin", "test", "oracle", "postgres", "ubuntu", "pi", "guest", "ftpuser", "jenkins",
           "git", "support", "user1", "mysql", "nagios", "ec2-user", "hadoop", "tomcat", "www")


class AuthLog:
    def __init__(self, rng):
        self.rng = rng
        self.lines = []  # (sec, seq, text, kind, ip)
        self.seq = 0
        self.pid = 20000

    def newpid(self):
        self.pid += self.rng.randint(3, 60)
        return self.pid

    def add(self, sec, prog, pid, msg, kind="normal", ip=None):
        self.seq += 1
        self.lines.append((sec, self.seq, "%s %s %s[%d]: %s" % (self.stamp(sec), HOST, prog, pid, msg),
                           kind, ip))

    @staticmethod
    def stamp(sec):
        t = at(int(sec))
        return t.strftime("%b ") + ("%2d" % t.day) + t.strftime(" %H:%M:%S")

    def port(self):
        return self.rng.randint(32768, 60999)

    def fingerprint(self):
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
        return "".join(pick(self.rng, alphabet) for _ in range(43))

    def login(self, sec, user, ip, method="publickey", typo=False):
        r, pid = self.rng, self.newpid()
        port = self.port()
        if typo:
            self.add(sec, "sshd", pid, "Failed password for %s from %s port %d ssh2" % (user, ip, port),
                     "failed_password", ip)
            sec += r.uniform(2, 6)
            method = "password"
        if method == "publickey":
            self.add(sec, "sshd", pid, "Accepted publickey for %s from %s port %d ssh2: ED25519 SHA256:%s"
                     % (user, ip, port, self.fingerprint()), "accepted", ip)
        else:
            self.add(sec, "sshd", pid, "Accepted password for %s from %s port %d ssh2" % (user, ip, port),
                     "accepted", ip)
        self.add(sec, "sshd", pid, "pam_unix(sshd:session): session opened for user %s(uid=%d) by (uid=0)"
                 % (user, 1000 + USERS.index(user)))
        sess = r.randint(100, 999)
        self.add(sec + 0.1, "systemd-logind", 612, "New session %d of user %s." % (sess, user))
        if r.random() < 0.3:
            self.add(sec + r.uniform(5, 60), "sudo", self.newpid(),
                     "  %s : TTY=pts/0 ; PWD=/home/%s ; USER=root ; COMMAND=%s"
                     % (user, user, pick(r, ("/usr/bin/systemctl restart nginx", "/usr/bin/journalctl -u ssh",
                                             "/usr/bin/apt update", "/usr/bin/tail -f /var/log/nginx/error.log"))))
        end = sec + r.uniform(60, 400)
        if end < SPAN:
            self.add(end, "sshd", pid, "Received disconnect from %s port %d:11: disconnected by user" % (ip, port))
            self.add(end, "sshd", pid, "Disconnected from user %s %s port %d" % (user, ip, port))
            self.add(end, "sshd", pid, "pam_unix(sshd:session): session closed for user %s" % user)
            self.add(end + 0.05, "systemd-logind", 612, "Session %d logged out. Waiting for processes to exit." % sess)

    def cron(self):
        for minute in range(SPAN // 60):
            pid = self.newpid()
            self.add(minute * 60 + 1, "CRON", pid, "pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)")
            self.add(minute * 60 + 1, "CRON", pid, "(root) CMD (   cd / && run-parts --report /etc/cron.hourly)"
                     if minute == 0 else "(root) CMD (/usr/local/bin/healthcheck >/dev/null 2>&1)")
            self.add(minute * 60 + 2, "CRON", pid, "pam_unix(cron:session): session closed for user root")

    def attempt(self, sec, ip, user, valid, pid, port):
        if not valid:
            self.add(sec, "sshd", pid, "Invalid user %s from %s port %d" % (user, ip, port), "invalid_user", ip)
            self.add(sec + 0.2, "sshd", pid, "pam_unix(sshd:auth): check pass; user unknown")
            self.add(sec + 1.5, "sshd", pid, "Failed password for invalid user %s from %s port %d ssh2"
                     % (user, ip, port), "failed_password", ip)
        else:
            self.add(sec + 0.2, "sshd", pid, "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 "
                     "tty=ssh ruser= rhost=%s  user=%s" % (ip, user), "pam_auth_failure", ip)
            self.add(sec + 1.5, "sshd", pid, "Failed password for %s from %s port %d ssh2" % (user, ip, port),
                     "failed_password", ip)

    def brute(self, start, ip, n, gap, per_conn=6):
        r, sec = self.rng, start
        pid, port, used = self.newpid(), self.port(), 0
        for _ in range(n):
            valid = r.random() < 0.4
            user = "root" if valid else pick(r, GUESSES)
            self.attempt(sec, ip, user, valid, pid, port)
            used += 1
            if used == per_conn:
                self.add(sec + 1.6, "sshd", pid, "error: maximum authentication attempts exceeded for %s%s from %s "
                         "port %d ssh2 [preauth]" % ("" if valid else "invalid user ", user, ip, port), "max_auth", ip)
                self.add(sec + 1.6, "sshd", pid, "Disconnecting %s user %s %s port %d: Too many authentication "
                         "failures [preauth]" % ("authenticating" if valid else "invalid", user, ip, port), "max_auth", ip)
                pid, port, used = self.newpid(), self.port(), 0
            sec += r.uniform(*gap)
        self.add(sec, "sshd", pid, "Connection closed by %s port %d [preauth]" % (ip, port), "preauth", ip)


def gen_auth(rng, out):
    log = AuthLog(rng)
    log.cron()
    for _ in range(70):
        user = pick(rng, USERS)
        log.login(rng.uniform(0, SPAN - 30), user, pick(rng, OFFICE), pick(rng, ("publickey", "publickey", "password")),
                  typo=rng.random() < 0.08)
    # scanners that never authenticate
    for ip in ("198.18.4.4", "198.18.4.5"):
        for _ in range(3):
            log.add(rng.uniform(0, SPAN), "sshd", log.newpid(), "Connection closed by %s port %d [preauth]"
                    % (ip, log.port()), "preauth", ip)
    log.add(333, "sshd", log.newpid(), "error: kex_exchange_identification: Connection closed by remote host", "scanner")
    log.brute(190, "198.18.0.7", 40, (0.4, 1.8))            # fast brute force
    log.brute(420, "198.18.1.23", 24, (1.0, 2.6))           # invalid users mostly
    log.brute(600, "2001:db8::bad:1", 16, (0.5, 1.5))       # IPv6
    log.brute(60, "198.18.2.50", 26, (28, 36), per_conn=3)  # slow: never more than 5 in 10 s
    log.brute(720, "198.18.3.9", 5, (1.5, 1.9))             # near miss: exactly 5 within 10 s
    log.brute(300, "10.0.8.15", 7, (0.6, 0.9), per_conn=10)  # misconfigured backup job (internal)
    log.lines.sort(key=lambda x: (int(x[0]), x[1]))
    fails, kinds = {}, {}
    with open(os.path.join(out, "auth.log"), "w", encoding="utf-8", newline="\n") as f:
        for sec, _, text, kind, ip in log.lines:
            f.write(text + "\n")
            kinds[kind] = kinds.get(kind, 0) + 1
            if kind == "failed_password":
                fails.setdefault(ip, []).append(int(sec))
    per_ip = {ip: {"failures": len(t), "max_in_10s": max_in_window(t, 10)} for ip, t in fails.items()}
    flagged = sorted(ip for ip, v in per_ip.items() if v["max_in_10s"] > 5)
    write_json(os.path.join(out, "auth.truth.json"), {
        "definition": "more than 5 'Failed password' lines from one source in any window (t-10s, t], "
                      "t a failure time, times as printed (whole seconds)",
        "rule": {"window": "10s", "op": ">", "threshold": 5, "counts": "failed_password"},
        "lines": len(log.lines),
        "kinds": kinds,
        "sources": per_ip,
        "flagged_ips": flagged,
        "internal_flagged": [ip for ip in flagged if ip.startswith("10.")],
        "expected_bans": [ip for ip in flagged if not ip.startswith("10.")],
        "not_flagged_attackers": {"198.18.2.50": "slow: one attempt every ~30 s",
                                  "198.18.3.9": "near miss: exactly 5 failures in 10 s"},
    })
    return len(log.lines)


# -------------------------------------------------------------- access.log

PAGES = ("/", "/about", "/pricing", "/blog", "/blog/2026/11/quarterly-update", "/docs", "/docs/install",
         "/docs/api", "/contact", "/team", "/products/lamp", "/products/desk", "/cart", "/account", "/login")
ASSETS = ("/static/app.4c1e.js", "/static/site.92ab.css", "/static/logo.svg", "/favicon.ico",
          "/static/fonts/sans.woff2", "/static/img/hero.jpg")
SEARCH = ("lamp", "desk+chair", "invoice", "shipping+time", "gift+card", "warranty", "returns")
TRICKY = (
    ("/search?q=O%27Brien+family+desk", "apostrophe-encoded"),
    ("/team/o'connor", "apostrophe-raw"),
    ("/search?q=select+a+plan", "select-word"),
    ("/search?q=how+to+select+the+right+lamp", "select-word"),
    ("/blog/2026/10/union-square-popup", "union-word"),
    ("/search?q=drop+leaf+table", "drop-word"),
    ("/products?sort=order_by_price", "order-by-word"),
    ("/search?q=1%3D1+scale+model", "1=1-text"),
    ("/docs/passwd-reset-guide", "passwd-word"),
    ("/search?q=sleep+mode+lamp", "sleep-word"),
    ("/downloads/catalog-v1.1..v1.2.diff", "double-dot"),
    ("/search?q=Rock+%27n%27+Roll+poster", "apostrophe-encoded"),
)
SQLI = (
    "/products?id=1%27", "/products?id=1%27%20OR%20%271%27%3D%271", "/products?id=1%20OR%201%3D1--",
    "/products?id=1)%20AND%20(1%3D1", "/products?id=-7%20UNION%20ALL%20SELECT%20NULL%2CNULL%2CNULL--%20-",
    "/products?id=-7%20UNION%20SELECT%20username%2Cpassword%2CNULL%20FROM%20users--",
    "/products?id=1%20AND%20SLEEP(5)", "/products?id=1%27%20AND%20(SELECT%201%20FROM%20(SELECT(SLEEP(5)))a)--%20",
    "/products?id=1%3BSELECT%20pg_sleep(5)--", "/products?id=1%20AND%20BENCHMARK(3000000%2CMD5(1))",
    "/products?id=1%20ORDER%20BY%209--", "/products?id=1%20AND%20extractvalue(1%2Cconcat(0x5c%2Cversion()))",
    "/login?user=admin%27--&next=/account", "/search?q=%27%20OR%20%27%27%3D%27",
    "/products?id=1%2527%2520OR%25201%253D1",
)
MANUAL_SQLI = ("/products?id=2'", "/products?id=2' OR '1'='1", "/products?id=2 UNION SELECT 1,2,3--",
               "/products?id=2;DROP TABLE orders--", "/login?user=admin'#")
TRAVERSAL = ("/download?file=../../../../etc/passwd", "/download?file=..%2f..%2f..%2f..%2fetc%2fpasswd",
             "/static/%2e%2e/%2e%2e/%2e%2e/etc/shadow", "/download?file=....//....//....//etc/passwd",
             "/download?file=..%5c..%5c..%5cwindows%5cwin.ini", "/static/..%252f..%252f..%252fetc/passwd",
             "/cgi-bin/.%2e/.%2e/.%2e/.%2e/etc/passwd", "/index.php?page=php://filter/convert.base64-encode/resource=config",
             "/download?file=../../../../etc/passwd%00.jpg", "/index.php?page=../../../../proc/self/environ")
XSS = ("/search?q=<script>alert(1)</script>", "/search?q=%3Cscript%3Ealert(document.cookie)%3C%2Fscript%3E",
       "/search?q=%22%3E%3Csvg%20onload%3Dalert(1)%3E", "/profile?name=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
       "/redirect?to=javascript:alert(document.domain)")
PROBES = ("/.env", "/.git/config", "/.git/HEAD", "/wp-login.php", "/wp-admin/setup-config.php", "/xmlrpc.php",
          "/phpmyadmin/index.php", "/server-status", "/.aws/credentials", "/config.php.bak", "/backup.tar.gz",
          "/actuator/env", "/admin/", "/.DS_Store", "/db.sql", "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php",
          "/wp-config.php", "/.svn/entries", "/cgi-bin/test.cgi", "/manager/html")
BROWSERS = (
    "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
)


class AccessLog:
    def __init__(self, rng):
        self.rng = rng
        self.rows = []  # (sec, seq, record, label, technique)

    def add(self, sec, ip, method, uri, status, size, ua, label="benign", technique="", referer="-"):
        rec = {"time_iso8601": at(int(sec)).strftime("%Y-%m-%dT%H:%M:%S+00:00"), "remote_addr": ip,
               "remote_user": "-", "request_method": method, "request_uri": uri, "server_protocol": "HTTP/1.1",
               "status": status, "body_bytes_sent": size, "request_time": round(self.rng.uniform(0.001, 0.3), 3),
               "http_referer": referer, "http_user_agent": ua, "host": "shop.example.com"}
        self.rows.append((sec, len(self.rows), rec, label, technique))

    def visit(self, sec, ip, ua):
        r = self.rng
        for _ in range(r.randint(2, 7)):
            x = r.random()
            if x < 0.65:
                page, status = pick(r, PAGES), 200 if r.random() < 0.95 else 404
                self.add(sec, ip, "GET", page, status, r.randint(2000, 40000), ua)
                for asset in r.sample(ASSETS, r.randint(0, 3)):
                    self.add(sec + 0.2, ip, "GET", asset, pick(r, (200, 200, 304)), r.randint(0, 90000), ua,
                             referer="https://shop.example.com" + page)
            elif x < 0.9:
                self.add(sec, ip, "GET", "/search?q=" + pick(r, SEARCH), 200, r.randint(3000, 20000), ua)
            else:
                self.add(sec, ip, "POST", "/cart", 302, 0, ua)
            sec += r.uniform(3, 40)

    def attack(self, start, ip, uris, gap, label, ua, statuses=(200, 400, 500)):
        r, sec = self.rng, start
        for uri in uris:
            tech = uri
            self.add(sec, ip, "GET", uri, pick(r, statuses), r.randint(0, 5000), ua, label, tech)
            sec += r.uniform(*gap)


def gen_access(rng, out):
    log = AccessLog(rng)
    clients = ["100.64.%d.%d" % (rng.randint(0, 63), rng.randint(1, 254)) for _ in range(22)] + \
              ["203.0.113.%d" % rng.randint(60, 200) for _ in range(6)]
    for _ in range(90):
        log.visit(rng.uniform(0, SPAN - 60), pick(rng, clients), pick(rng, BROWSERS))
    for i, (uri, tech) in enumerate(TRICKY * 2):
        log.add(rng.uniform(0, SPAN), pick(rng, clients), "GET", uri, 200, rng.randint(2000, 20000),
                pick(rng, BROWSERS), "benign_tricky", tech)
    log.add(rng.uniform(0, SPAN), "10.0.1.20", "GET", "/healthz", 200, 2, "kube-probe/1.31")
    sqlmap = "sqlmap/1.8.11#stable (https://sqlmap.org)"
    log.attack(240, "198.18.5.5", list(SQLI) * 3, (0.2, 0.9), "sqli", sqlmap)
    log.attack(545, "198.18.5.6", MANUAL_SQLI, (4, 9), "sqli", BROWSERS[0])
    log.attack(360, "198.18.6.6", list(TRAVERSAL) * 2, (0.3, 1.2), "traversal", "curl/8.11.0", (400, 404, 200))
    log.attack(660, "198.18.8.8", XSS, (2, 6), "xss", BROWSERS[1])
    log.attack(120, "198.18.7.7", list(PROBES) * 3, (0.1, 0.4), "scanner",
               "Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:001234)", (404,))
    log.attack(780, "2001:db8:bad::7", PROBES, (0.1, 0.3), "scanner", "gobuster/3.6", (404,))
    log.rows.sort(key=lambda x: (int(x[0]), x[1]))
    lines, by_label = [], {}
    with open(os.path.join(out, "access.log"), "w", encoding="utf-8", newline="\n") as f:
        for n, (_, _, rec, label, tech) in enumerate(log.rows, 1):
            f.write(json.dumps(rec, separators=(",", ":")) + "\n")
            if label != "benign":
                lines.append({"line": n, "label": label, "technique": tech, "remote_addr": rec["remote_addr"]})
            if label not in ("benign", "benign_tricky"):
                by_label.setdefault(label, set()).add(rec["remote_addr"])
    counts = {}
    for _, _, _, label, _ in log.rows:
        counts[label] = counts.get(label, 0) + 1
    write_json(os.path.join(out, "access.truth.json"), {
        "definition": "label of every line that is not plain browsing; benign_tricky lines are legitimate "
                      "requests that contain attack-looking words and must not alert",
        "lines": len(log.rows),
        "counts": counts,
        "attackers": {k: sorted(v) for k, v in sorted(by_label.items())},
        "labelled_lines": lines,
    })
    return len(log.rows)


# ------------------------------------------------------------ capture.pcap

SERVER, DNS = "10.0.0.2", "10.0.0.53"
MAC_SRV, MAC_GW = bytes.fromhex("020000000002"), bytes.fromhex("0200000000fe")
FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ip4(a):
    return bytes(int(x) for x in a.split("."))


class Pcap:
    def __init__(self, rng):
        self.rng = rng
        self.pkts = []  # (time, seq, frame, info)
        self.ipid = 1

    def ipv4(self, src, dst, proto, payload, ttl=64):
        self.ipid = (self.ipid + 1) & 0xFFFF
        hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), self.ipid, 0x4000, ttl, proto, 0,
                          ip4(src), ip4(dst))
        return hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:] + payload

    def frame(self, t, src, dst, proto, l4, info):
        to_server = dst in (SERVER, DNS)
        eth = (MAC_SRV if to_server else MAC_GW) + (MAC_GW if to_server else MAC_SRV) + b"\x08\x00"
        self.pkts.append((t, len(self.pkts), eth + self.ipv4(src, dst, proto, l4), info))

    def tcp(self, t, src, sport, dst, dport, flags, seq=0, ack=0, payload=b"", win=64240):
        opts = b"\x02\x04\x05\xb4\x04\x02\x08\x0a" + struct.pack("!II", int(t * 1000) & 0xFFFFFFFF, 0) + \
            b"\x01\x03\x03\x07" if flags & SYN else b""
        off = (20 + len(opts)) // 4
        hdr = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, off << 4, flags, win, 0, 0)
        seg = hdr + opts + payload
        pseudo = ip4(src) + ip4(dst) + struct.pack("!BBH", 0, 6, len(seg))
        seg = seg[:16] + struct.pack("!H", csum(pseudo + seg)) + seg[18:]
        self.frame(t, src, dst, 6, seg, ("tcp", src, dst, dport, flags))

    def udp(self, t, src, sport, dst, dport, payload):
        seg = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
        pseudo = ip4(src) + ip4(dst) + struct.pack("!BBH", 0, 17, len(seg))
        seg = seg[:6] + struct.pack("!H", csum(pseudo + seg) or 0xFFFF) + seg[8:]
        self.frame(t, src, dst, 17, seg, ("udp", src, dst, dport, 0))

    def icmp_echo(self, t, src, dst, ident, seqno, reply):
        body = struct.pack("!BBHHH", 0 if reply else 8, 0, 0, ident, seqno) + bytes(range(48))
        body = body[:2] + struct.pack("!H", csum(body)) + body[4:]
        self.frame(t, src, dst, 1, body, ("icmp", src, dst, 0, 0))

    def session(self, t, client, dport):
        r = self.rng
        sport, cs, ss = r.randint(32768, 60999), r.getrandbits(32), r.getrandbits(32)
        rtt = r.uniform(0.0002, 0.002)
        self.tcp(t, client, sport, SERVER, dport, SYN, cs)
        self.tcp(t + rtt, SERVER, dport, client, sport, SYN | ACK, ss, cs + 1)
        self.tcp(t + 2 * rtt, client, sport, SERVER, dport, ACK, cs + 1, ss + 1)
        t += 2 * rtt
        cs += 1
        ss += 1
        for _ in range(r.randint(1, 3)):
            req = (b"GET /%d HTTP/1.1\r\nHost: shop.example.com\r\n\r\n" % r.randint(1, 999)).ljust(r.randint(80, 400), b"x")
            self.tcp(t, client, sport, SERVER, dport, PSH | ACK, cs, ss, req)
            cs += len(req)
            resp = b"HTTP/1.1 200 OK\r\n\r\n".ljust(r.randint(200, 700), b"y")
            self.tcp(t + rtt, SERVER, dport, client, sport, PSH | ACK, ss, cs, resp)
            ss += len(resp)
            self.tcp(t + 2 * rtt, client, sport, SERVER, dport, ACK, cs, ss)
            t += r.uniform(0.05, 2)
        self.tcp(t, client, sport, SERVER, dport, FIN | ACK, cs, ss)
        self.tcp(t + rtt, SERVER, dport, client, sport, FIN | ACK, ss, cs + 1)
        self.tcp(t + 2 * rtt, client, sport, SERVER, dport, ACK, cs + 1, ss + 1)

    def flood(self, start, src, dport, seconds, pps):
        r = self.rng
        for i in range(int(seconds * pps)):
            t = start + i / pps + r.uniform(0, 0.5 / pps)
            sport, seq = r.randint(1024, 65535), r.getrandbits(32)
            self.tcp(t, src, sport, SERVER, dport, SYN, seq, win=512)
            if i % 5 == 0:  # the server's backlog answers a few, the attacker's host resets them
                self.tcp(t + 0.0004, SERVER, dport, src, sport, SYN | ACK, r.getrandbits(32), seq + 1)
                self.tcp(t + 0.0008, src, sport, SERVER, dport, RST, seq + 1)

    def scan(self, start, src, ports, pps, open_ports):
        r = self.rng
        sport = r.randint(40000, 60000)
        for i, port in enumerate(ports):
            t = start + i / pps
            seq = r.getrandbits(32)
            self.tcp(t, src, sport, SERVER, port, SYN, seq, win=1024)
            if port in open_ports:
                self.tcp(t + 0.0003, SERVER, port, src, sport, SYN | ACK, r.getrandbits(32), seq + 1)
                self.tcp(t + 0.0006, src, sport, SERVER, port, RST, seq + 1)
            else:
                self.tcp(t + 0.0003, SERVER, port, src, sport, RST | ACK, 0, seq + 1)

    def write(self, path):
        self.pkts.sort(key=lambda p: (p[0], p[1]))
        t0 = BASE.timestamp()
        with open(path, "wb") as f:
            f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
            for t, _, frame, _ in self.pkts:
                us = int(round((t0 + t) * 1e6))
                f.write(struct.pack("<IIII", us // 1000000, us % 1000000, len(frame), len(frame)) + frame)


def gen_pcap(rng, out):
    cap = Pcap(rng)
    clients = ["10.0.1.%d" % i for i in range(20, 60)] + ["203.0.113.%d" % i for i in (10, 11, 42)]
    for _ in range(140):
        cap.session(rng.uniform(0, SPAN - 10), pick(rng, clients), pick(rng, (80, 443, 443, 22)))
    for _ in range(80):
        t, c, sport = rng.uniform(0, SPAN), pick(rng, clients), rng.randint(32768, 60999)
        cap.udp(t, c, sport, DNS, 53, b"\x12\x34\x01\x00\x00\x01" + bytes(30))
        cap.udp(t + 0.001, DNS, 53, c, sport, b"\x12\x34\x81\x80\x00\x01\x00\x01" + bytes(60))
    for i in range(12):
        t = rng.uniform(0, SPAN)
        cap.icmp_echo(t, "10.0.1.20", SERVER, 77, i, False)
        cap.icmp_echo(t + 0.0003, SERVER, "10.0.1.20", 77, i, True)
    cap.flood(300.0, "198.18.10.10", 80, 4, 450)
    cap.flood(301.5, "198.18.10.11", 80, 2, 300)
    ports = list(range(1, 1025))
    rng.shuffle(ports)
    cap.scan(480.0, "198.18.20.20", ports, 80, (22, 80, 443))
    cap.write(os.path.join(out, "capture.pcap"))

    per_src, syn_times, syn_ports = {}, {}, {}
    for t, _, frame, info in cap.pkts:
        proto, src, dst, dport, flags = info
        s = per_src.setdefault(src, {"packets": 0, "bytes": 0, "syn": 0, "synack": 0, "syn_dest_ports": 0})
        s["packets"] += 1
        s["bytes"] += len(frame)
        if proto == "tcp" and flags & SYN and not flags & ACK:
            s["syn"] += 1
            syn_times.setdefault(src, []).append(t)
            syn_ports.setdefault(src, []).append((t, dport))
        elif proto == "tcp" and flags & SYN:
            s["synack"] += 1
    for src, lst in syn_ports.items():
        per_src[src]["syn_dest_ports"] = len({p for _, p in lst})
    flood = sorted(s for s, ts in syn_times.items() if max_in_window(ts, 1.0) > 100)
    scan = []
    for src, lst in syn_ports.items():
        for i, (t, _) in enumerate(lst):
            if len({p for u, p in lst[:i + 1] if u > t - 10}) > 100:
                scan.append(src)
                break
    top = sorted(((v["syn"], k) for k, v in per_src.items() if v["syn"]), key=lambda x: (-x[0], x[1]))[:5]
    write_json(os.path.join(out, "capture.truth.json"), {
        "definition": "syn = TCP SYN without ACK; syn_flood: more than 100 SYNs from one source in any "
                      "(t-1s, t]; port_scan: more than 100 distinct SYN destination ports in any (t-10s, t]",
        "packets": len(cap.pkts),
        "linktype": "EN10MB",
        "sources": dict(sorted(per_src.items())),
        "top_syn": [{"src_ip": k, "syn": n} for n, k in top],
        "syn_flood": flood,
        "port_scan": sorted(scan),
    })
    return len(cap.pkts)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--seed", type=int, default=20261128)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    n_auth = gen_auth(random.Random(args.seed), args.out)
    n_access = gen_access(random.Random(args.seed + 1), args.out)
    n_pkts = gen_pcap(random.Random(args.seed + 2), args.out)
    print("auth.log %d lines, access.log %d lines, capture.pcap %d packets" % (n_auth, n_access, n_pkts))


if __name__ == "__main__":
    main()
