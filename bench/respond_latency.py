#!/usr/bin/env python3
"""bench/respond_latency.py - ban latency inside a network namespace.

  respond_latency.py ward     --bin DIR [--n 300]   alert written to ward-respond's
                                                    stdin -> element in inet ward ban4
  respond_latency.py fail2ban [--n 20]              5th "Failed password" line written
                                                    to fail2ban's log -> element in
                                                    inet f2b-table addr-set-sshd
  respond_latency.py pipeline --bin DIR [--n 1000]  6th "Failed password" line appended
                                                    to a log followed by ward-ingest ->
                                                    ingest|match|window|respond -> element
                                                    in inet ward ban4; then checks the set

Every mode creates its own namespace, watches additions with
`nft monitor new elements` inside it (a reader thread stamps each line as it
arrives) and removes the namespace at the end. Prints one JSON line with
the percentiles in milliseconds. Needs root. Addresses come from
198.18.0.0/15 (benchmark range) and only exist inside the namespace.
"""
import argparse, calendar, json, os, queue, random, re, shutil, subprocess, sys, tempfile, threading, time


def sh(*argv, **kw):
    return subprocess.run(argv, check=True, **kw)


class Monitor:
    """nft monitor inside the namespace; lines with their arrival time."""

    def __init__(self, ns):
        self.q = queue.Queue()
        self.lines = []  # every (time, line), for counting afterwards
        self.p = subprocess.Popen(["ip", "netns", "exec", ns, "nft", "monitor", "new", "elements"],
                                  stdout=subprocess.PIPE, text=True, bufsize=1)
        threading.Thread(target=self._read, daemon=True).start()
        time.sleep(0.3)  # subscribed before the first trial

    def _read(self):
        for line in self.p.stdout:
            t = time.monotonic_ns()
            self.q.put((t, line))
            self.lines.append((t, line))

    def wait_for(self, addr, timeout_s=10.0, final=False):
        """Arrival time of addr's element. ward-respond bans with one
        transaction "add; delete; add with timeout": the kernel reports it
        at commit, all three at once; final=True waits for the last add."""
        pat = re.compile(r"[{ ,]" + re.escape(addr) + (r" timeout " if final else r"[ ,}]"))
        end = time.monotonic() + timeout_s
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return None
            try:
                t, line = self.q.get(timeout=left)
            except queue.Empty:
                return None
            if pat.search(line):
                return t

    def wait_all(self, addrs, timeout_s=30.0):
        """Arrival time of each address of addrs (any order)."""
        pending, seen = set(addrs), {}
        pat = re.compile(r"(?<=[{ ,])(\d+\.\d+\.\d+\.\d+)(?=[ ,}])")
        end = time.monotonic() + timeout_s
        while pending and time.monotonic() < end:
            try:
                t, line = self.q.get(timeout=max(0.0, end - time.monotonic()))
            except queue.Empty:
                break
            for a in pat.findall(line):
                if a in pending:
                    pending.discard(a)
                    seen[a] = t
        return seen

    def stop(self):
        self.p.terminate()
        self.p.wait()


def netns(name):
    subprocess.run(["ip", "netns", "del", name], stderr=subprocess.DEVNULL)
    sh("ip", "netns", "add", name)
    sh("ip", "-n", name, "link", "set", "lo", "up")


def addr_of(i, base):
    return "198.%d.%d.%d" % (18 + (base + i) // 62500 % 2, (base + i) // 250 % 250, (base + i) % 250 + 1)


def pct(samples, p):
    s = sorted(samples)
    return s[min(len(s) - 1, max(0, int(round(p / 100.0 * len(s) + 0.5)) - 1))]


def summary(label, samples_ns, missed, extra=None):
    ms = [x / 1e6 for x in samples_ns]
    out = {"responder": label, "n": len(ms), "missed": missed}
    if ms:
        out.update({"p50": round(pct(ms, 50), 3), "p90": round(pct(ms, 90), 3),
                    "p99": round(pct(ms, 99), 3), "max": round(max(ms), 3),
                    "mean": round(sum(ms) / len(ms), 3), "min": round(min(ms), 3)})
    out.update(extra or {})
    print(json.dumps(out), flush=True)
    return out


def run_ward(a):
    ns = "wardbench%d" % os.getpid()
    netns(ns)
    mon = None
    p = None
    try:
        mon = Monitor(ns)
        argv = [os.path.join(a.bin, "ward-respond"), "--netns", ns, "--ban-time", "10m",
                "--rate", "0", "--max-bans", "0", "-q"]
        if a.journal:
            jdir = tempfile.mkdtemp(prefix="ward-respond-bench-")
            argv += ["--state", os.path.join(jdir, "journal")]
        p = subprocess.Popen(argv,
                             stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, text=True)
        samples, missed = [], 0
        for i in range(-1, a.n):  # i = -1: warm-up (table already created at start)
            addr = addr_of(i + 1, 100 * 250)
            line = json.dumps({"v": 1, "fields": {"src_ip": addr},
                               "alert": {"rule": "Bench", "state": "firing"}}) + "\n"
            t0 = time.monotonic_ns()
            p.stdin.write(line)
            p.stdin.flush()
            t1 = mon.wait_for(addr)
            if t1 is None:
                missed += 1
            elif i >= 0:
                samples.append(t1 - t0)
            time.sleep(a.gap)
        out = summary("ward-respond" + (" --state" if a.journal else ""), samples, missed,
                      {"measured": "alert on stdin -> element in set (nft monitor)"})
        if a.burst:
            addrs = [addr_of(i, 120 * 250) for i in range(a.burst)]
            lines = "".join(json.dumps({"v": 1, "fields": {"src_ip": x},
                                        "alert": {"rule": "Burst", "state": "firing"}}) + "\n"
                            for x in addrs)
            t0 = time.monotonic_ns()
            p.stdin.write(lines)
            p.stdin.flush()
            seen = mon.wait_all(addrs)
            summary("ward-respond burst", [t - t0 for t in seen.values()], len(addrs) - len(seen),
                    {"measured": "%d alerts written at once -> each element in set" % a.burst,
                     "last_ms": round((max(seen.values()) - t0) / 1e6, 3) if seen else None})
        return out
    finally:
        if p:
            p.stdin.close()
            p.wait()
        if mon:
            mon.stop()
        subprocess.run(["ip", "netns", "del", ns])
        if a.journal:
            shutil.rmtree(jdir, ignore_errors=True)


F2B_LOCAL = """[DEFAULT]
loglevel = INFO
logtarget = {w}/fail2ban.log
socket = {w}/fail2ban.sock
pidfile = {w}/fail2ban.pid
dbfile = {w}/fail2ban.sqlite3
"""
JAIL_LOCAL = """[DEFAULT]
banaction = nftables-multiport
banaction_allports = nftables-allports
backend = {backend}
[sshd]
enabled = true
filter = sshd
port = ssh
logpath = {w}/auth.log
backend = {backend}
maxretry = 5
findtime = 10
bantime = 600
banaction = nftables-multiport
"""


def f2b_config(w, backend):
    conf = os.path.join(w, "conf")
    shutil.copytree("/etc/fail2ban", conf)
    for d in ("jail.d", "fail2ban.d"):
        shutil.rmtree(os.path.join(conf, d), ignore_errors=True)
        os.mkdir(os.path.join(conf, d))
    open(os.path.join(conf, "fail2ban.local"), "w").write(F2B_LOCAL.format(w=w))
    open(os.path.join(conf, "jail.local"), "w").write(JAIL_LOCAL.format(w=w, backend=backend))
    open(os.path.join(w, "auth.log"), "w").close()
    return conf


def f2b_wait_ready(w, timeout_s=30):
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        try:
            if "Jail 'sshd' started" in open(os.path.join(w, "fail2ban.log")).read():
                return True
        except FileNotFoundError:
            pass
        time.sleep(0.05)
    return False


def f2b_attack(logf, addr, lines=5):
    for k in range(lines):
        stamp = time.strftime("%b %d %H:%M:%S")
        logf.write("%s host sshd[%d]: Failed password for root from %s port %d ssh2\n"
                   % (stamp, 1000 + k, addr, random.randint(1024, 65535)))
        logf.flush()
        if k < lines - 1:
            time.sleep(0.003)
    return time.monotonic_ns()


def run_fail2ban(a):
    if not shutil.which("fail2ban-server"):
        print(json.dumps({"responder": "fail2ban", "skipped": "fail2ban not installed (apt-get install fail2ban)"}))
        return None
    ns = "f2bbench%d" % os.getpid()
    w = tempfile.mkdtemp(prefix="ward-f2b-")
    netns(ns)
    mon = srv = None
    try:
        conf = f2b_config(w, a.f2b_backend)
        mon = Monitor(ns)
        srv = subprocess.Popen(["ip", "netns", "exec", ns, "fail2ban-server", "-f", "-x", "-c", conf,
                                "-s", w + "/fail2ban.sock", "-p", w + "/fail2ban.pid",
                                "--logtarget", w + "/fail2ban.log", "--loglevel", "INFO"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not f2b_wait_ready(w):
            print(json.dumps({"responder": "fail2ban", "skipped": "jail did not start"}))
            return None
        rng = random.Random(a.seed)
        samples, missed = [], 0
        with open(os.path.join(w, "auth.log"), "a") as logf:
            for i in range(-1, a.n):  # -1: warm-up (fail2ban creates its table at first ban)
                addr = addr_of(i + 1, 200 * 250)
                time.sleep(rng.uniform(0, 2.5))  # random phase against fail2ban's sleep cycle
                t0 = f2b_attack(logf, addr)
                t1 = mon.wait_for(addr)
                if t1 is None:
                    missed += 1
                elif i >= 0:
                    samples.append(t1 - t0)
        return summary("fail2ban", samples, missed,
                       {"measured": "5th failure line written -> element in set (nft monitor)",
                        "backend": a.f2b_backend})
    finally:
        if srv:
            subprocess.run(["fail2ban-client", "-s", w + "/fail2ban.sock", "stop"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30)
            try:
                srv.wait(timeout=10)
            except subprocess.TimeoutExpired:
                srv.kill()
                srv.wait()
        if mon:
            mon.stop()
        subprocess.run(["ip", "netns", "del", ns])
        shutil.rmtree(w, ignore_errors=True)


PIPE_WINDOW = ["--select-rule", "SSHFailedPassword", "--name", "SSHBruteForce", "--by", "src_ip",
               "--range", "10s", "--threshold", "> 5", "--label", "severity=high"]


def auth_line(addr, port, verb="Failed password for root"):
    # Syslog time in UTC: ward-ingest --ts syslog reads it as UTC.
    stamp = time.strftime("%b %d %H:%M:%S", time.gmtime())
    return "%s web1 sshd[%d]: %s from %s port %d ssh2\n" % (stamp, 800 + port % 100, verb, addr, port)


def benign_of(i):
    """Benign sources: 192.0.2.0/24 and 198.51.100.0/24 (documentation), one
    use each, so none can ever reach 6 failures in any window."""
    return "%s.%d" % ("192.0.2" if i < 250 else "198.51.100", i % 250 + 1)


def start_pipeline(a, ns, logpath, auditpath):
    """ingest -f | match | window | respond, each stage a process, joined by
    pipes exactly as a shell would; the same stages and options as
    pipelines/ssh-bruteforce.pipeline, with a real ban instead of --dry-run."""
    b = lambda s: os.path.join(a.bin, s)
    stages = [[b("ward-ingest"), "-q", "--follow", "--label", "job=sshd", "--ts", "syslog", logpath],
              [b("ward-match"), "-q", "--rules", a.rules, "--rule", "SSHFailedPassword"],
              [b("ward-window"), "-q"] + PIPE_WINDOW,
              [b("ward-respond"), "-q", "--netns", ns, "--ban-time", "10m", "--rate", "0",
               "--max-bans", "0", "--out", auditpath]]
    procs, prev = [], None
    for k, argv in enumerate(stages):
        last = k == len(stages) - 1
        with open(os.path.join(os.path.dirname(logpath), os.path.basename(argv[0]) + ".err"), "w") as err:
            p = subprocess.Popen(argv, stdin=prev if prev is not None else subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL if last else subprocess.PIPE, stderr=err)
        if prev is not None:
            prev.close()
        prev = p.stdout
        procs.append(p)
    return procs


def stop_pipeline(procs):
    """ingest follows forever: stop it, the others end at end of input."""
    procs[0].terminate()
    for p in procs:
        try:
            p.wait(timeout=15)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def rfc3339_ns(ts):
    """'2026-11-28T08:43:58.002000000Z' (ward's form) -> ns since the epoch."""
    frac = (ts[20:-1] + "000000000")[:9] if len(ts) > 20 else "0"
    return calendar.timegm(time.strptime(ts[:19], "%Y-%m-%dT%H:%M:%S")) * 10**9 + int(frac)


def stage_counters(w, stage):
    """The counters line a stage writes to stderr at exit, as a dict."""
    try:
        lines = [l for l in open(os.path.join(w, "ward-%s.err" % stage)) if l.startswith('{"stage"')]
        return json.loads(lines[-1]) if lines else {}
    except (OSError, ValueError):
        return {}


def audit_bans(path):
    """Applied bans per target, and the time of each: the event's ts is the
    moment ward-respond took the alert in (before applying it)."""
    bans, took = {}, {}
    for line in open(path):
        try:
            ev = json.loads(line)
        except ValueError:
            continue
        act = ev.get("action") or {}
        if act.get("kind") == "ban" and act.get("result") == "applied":
            bans[act.get("target")] = bans.get(act.get("target"), 0) + 1
            took.setdefault(act.get("target"), rfc3339_ns(ev["ts"]))
    return bans, took


def set_elements(ns):
    out = subprocess.run(["ip", "netns", "exec", ns, "nft", "-j", "list", "set", "inet", "ward", "ban4"],
                         capture_output=True, text=True).stdout
    elems = set()
    for obj in json.loads(out or '{"nftables":[]}')["nftables"]:
        for e in (obj.get("set") or {}).get("elem", []):
            v = e.get("elem", {}).get("val") if isinstance(e, dict) else e
            elems.add(v)
    return elems


# Stamping and appending under one lock: with the noise writer, a line
# stamped in one second must not land after a line stamped in the next
# (ward-window would drop it as late: no --lateness, as in the pipelines).
LOG_LOCK = threading.Lock()


def append(logf, text):
    with LOG_LOCK:
        logf.write(text() if callable(text) else text)
        logf.flush()


def pipeline_attack(logf, addr, line_gap):
    """Lines 1-5 line_gap apart, then line 6, the one that crosses '> 5':
    the returned time is taken just before it is written."""
    for k in range(5):
        append(logf, lambda: auth_line(addr, 40000 + k))
        time.sleep(line_gap)
    with LOG_LOCK:
        line = auth_line(addr, 40005)
        t0, t0_real = time.monotonic_ns(), time.time_ns()
        logf.write(line)
        logf.flush()
    return t0, t0_real


def pipeline_benign(logf, j, most):
    """Between attacks: a benign source with 1 to `most` (5) failures, then a
    login. --benign-max 6 is the negative control: the check must fail."""
    addr = benign_of(j)
    append(logf, lambda: "".join([auth_line(addr, 50000 + k) for k in range(1 + j % most)]
                                 + [auth_line(addr, 50009, "Accepted password for alice")]))
    return addr


class Noise:
    """Background log traffic while the attacks run: `rate` lines/s, written
    in one append every 10 ms from a second handle on the file. Nine lines in
    ten are logins; the tenth is one failure from a fresh address of
    198.19.128.0/17 (reused after 32,768 failures, i.e. minutes apart), so no
    noise source may ever be banned."""

    def __init__(self, path, rate):
        self.f, self.rate, self.lines, self.failed = open(path, "a"), rate, 0, set()
        self.stopping = threading.Event()
        self.t = threading.Thread(target=self._run, daemon=True)
        self.t.start()

    def _chunk(self, n):
        stamp = time.strftime("%b %d %H:%M:%S", time.gmtime())
        out = []
        for k in range(self.lines, self.lines + n):
            if k % 10 == 9:
                j = k // 10 % 32768
                addr = "198.19.%d.%d" % (128 + j // 256, j % 256)
                self.failed.add(addr)
                out.append("%s web1 sshd[7%03d]: Failed password for invalid user guest from %s port %d ssh2\n"
                           % (stamp, k % 1000, addr, 1024 + k % 60000))
            else:
                out.append("%s web1 sshd[7%03d]: Accepted publickey for deploy from 192.0.2.%d port %d ssh2\n"
                           % (stamp, k % 1000, k % 250 + 1, 1024 + k % 60000))
        self.lines += n
        return "".join(out)

    def _run(self):
        due, owed = time.monotonic(), 0.0
        while not self.stopping.is_set():
            owed += self.rate * 0.01
            n = int(owed)
            owed -= n
            if n:
                append(self.f, lambda: self._chunk(n))
            due += 0.01
            time.sleep(max(0.0, due - time.monotonic()))

    def stop(self):
        self.stopping.set()
        self.t.join()
        self.f.close()


def run_pipeline(a):
    """The full path: a line appended to a followed log file ->
    ward-ingest --follow | ward-match --rules | ward-window | ward-respond --netns.
    Latency: the 6th failure line of an attacker written -> its element seen
    by `nft monitor` in the namespace. Afterwards the set itself and
    ward-respond's audit events are checked: each attacker banned exactly
    once and in the set, no benign source banned; a ban that is claimed but
    not in the set counts as missed."""
    missing = [s for s in ("ward-ingest", "ward-match", "ward-window", "ward-respond")
               if not os.access(os.path.join(a.bin, s), os.X_OK)]
    if missing:
        print(json.dumps({"responder": "ward pipeline", "skipped": "needs " + ", ".join(missing)}))
        return None
    ns = "wardpipe%d" % os.getpid()
    w = tempfile.mkdtemp(prefix="ward-pipe-bench-")
    logpath, auditpath = os.path.join(w, "auth.log"), os.path.join(w, "audit.ndjson")
    open(logpath, "w").close()
    netns(ns)
    mon = procs = noise = None
    try:
        mon = Monitor(ns)
        procs = start_pipeline(a, ns, logpath, auditpath)
        attackers = [addr_of(i, 40 * 250) for i in range(a.n)]
        benign, samples, late = [], [], {}
        with open(logpath, "a") as logf:
            warm = addr_of(0, 39 * 250)  # warm-up: the pipeline is up and banning
            pipeline_attack(logf, warm, a.line_gap)
            if mon.wait_for(warm, 10.0, final=True) is None:
                print(json.dumps({"responder": "ward pipeline", "skipped": "warm-up attacker never banned"}))
                return None
            noise = Noise(logpath, a.noise) if a.noise else None
            for i, addr in enumerate(attackers):
                if a.benign_every and i % a.benign_every == 0:
                    benign.append(pipeline_benign(logf, len(benign), a.benign_max))
                    time.sleep(a.gap)
                t0, t0_real = pipeline_attack(logf, addr, a.line_gap)
                t1 = mon.wait_for(addr, a.timeout, final=True)
                if t1 is None:
                    late[addr] = True
                else:
                    samples.append((addr, t1 - t0, t0_real))
                time.sleep(a.gap)
        if noise:
            noise.stop()
        time.sleep(0.3)
        elems = set_elements(ns)
        stop_pipeline(procs)
        procs = None
        counters = {"window_late": stage_counters(w, "window").get("late"),
                    "respond_errors": stage_counters(w, "respond").get("action_errors")}
        return pipeline_summary(mon, attackers, benign, samples, late, elems, noise, counters,
                                *audit_bans(auditpath))
    finally:
        if noise and noise.t.is_alive():
            noise.stop()
        if procs:
            stop_pipeline(procs)
        if mon:
            mon.stop()
        subprocess.run(["ip", "netns", "del", ns])
        shutil.rmtree(w, ignore_errors=True)


def pipeline_summary(mon, attackers, benign, samples, late, elems, noise, counters, bans, took):
    seen = {}  # final adds (with a timeout) per address: one per ban
    pat = re.compile(r"(?<=[{ ,])(\d+\.\d+\.\d+\.\d+)(?= timeout )")
    for _, line in mon.lines:
        for x in pat.findall(line):
            seen[x] = seen.get(x, 0) + 1
    not_in_set = [x for x in attackers if x not in elems]
    twice = [x for x in attackers if seen.get(x, 0) != 1 or bans.get(x, 0) != 1]
    benign = benign + sorted(noise.failed if noise else ())
    benign_banned = sorted(x for x in benign if x in elems or x in seen or x in bans)
    any_add = set(re.findall(r"(?<=[{ ,])(\d+\.\d+\.\d+\.\d+)(?=[ ,}])", "".join(l for _, l in mon.lines)))
    benign_banned += sorted(x for x in benign if x in any_add and x not in benign_banned)
    # A ban counts only if its element was seen arriving and is in the set.
    ok = [(lat, t0r, x) for x, lat, t0r in samples if x in elems]
    # Where the time goes: line -> alert taken in by ward-respond (ingest,
    # match, window and three pipes; CLOCK_REALTIME on both sides), and the
    # rest: ward-respond applying it, the commit, the monitor's report.
    split = [(took[x] - t0r, lat - (took[x] - t0r)) for lat, t0r, x in ok if x in took]
    part = lambda k, p: round(pct([v[k] / 1e6 for v in split], p), 3) if split else None
    label = "ward pipeline" + (" + %d lines/s" % noise.rate if noise else "")
    return summary(label, [lat for lat, _, _ in ok], len(attackers) - len(ok), {
        "to_respond_p50": part(0, 50), "to_respond_p99": part(0, 99),
        "in_respond_p50": part(1, 50), "in_respond_p99": part(1, 99),
        "measured": "6th failure line appended to the followed log -> element in set (nft monitor)",
        "attackers": len(attackers), "benign": len(benign),
        "not_in_set": len(not_in_set), "not_banned_once": len(twice),
        "benign_banned": len(benign_banned), "noise_lines": noise.lines if noise else 0, **counters,
        "correct": not not_in_set and not twice and not benign_banned and not late})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["ward", "fail2ban", "pipeline"])
    ap.add_argument("--bin", default="bin")
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--gap", type=float, default=0.002, help="pause between ward alerts, s")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--f2b-backend", default="pyinotify")
    ap.add_argument("--journal", action="store_true", help="ward: with --state (fsync per ban)")
    ap.add_argument("--burst", type=int, default=0, help="ward: then N alerts written at once")
    ap.add_argument("--rules", default="rules/ssh.yaml", help="pipeline: ward-match rules")
    ap.add_argument("--line-gap", type=float, default=0.003, help="pipeline: between an attacker's lines, s")
    ap.add_argument("--benign-every", type=int, default=10,
                    help="pipeline: a benign source (1-5 failures, a login) before every Nth attacker")
    ap.add_argument("--benign-max", type=int, default=5, help="pipeline: failures of a benign source at most")
    ap.add_argument("--noise", type=int, default=0, help="pipeline: background log lines/s during the attacks")
    ap.add_argument("--timeout", type=float, default=5.0, help="pipeline: wait for a ban at most, s")
    a = ap.parse_args()
    if os.geteuid() != 0:
        print(json.dumps({"responder": a.mode, "skipped": "needs root"}))
        return 0
    {"ward": run_ward, "fail2ban": run_fail2ban, "pipeline": run_pipeline}[a.mode](a)
    return 0


if __name__ == "__main__":
    sys.exit(main())
