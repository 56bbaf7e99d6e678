#!/usr/bin/env python3
"""bench/respond_latency.py - ban latency inside a network namespace.

  respond_latency.py ward     --bin DIR [--n 300]   alert written to ward-respond's
                                                    stdin -> element in inet ward ban4
  respond_latency.py fail2ban [--n 20]              5th "Failed password" line written
                                                    to fail2ban's log -> element in
                                                    inet f2b-table addr-set-sshd
  respond_latency.py pipeline --bin DIR             log line -> ingest|match|window|respond
                                                    (reports what is missing until those
                                                    stages exist)

Every mode creates its own namespace, watches additions with
`nft monitor new elements` inside it (a reader thread stamps each line as it
arrives) and removes the namespace at the end. Prints one JSON line with
the percentiles in milliseconds. Needs root. Addresses come from
198.18.0.0/15 (benchmark range) and only exist inside the namespace.
"""
import argparse, json, os, queue, random, re, shutil, subprocess, sys, tempfile, threading, time


def sh(*argv, **kw):
    return subprocess.run(argv, check=True, **kw)


class Monitor:
    """nft monitor inside the namespace; lines with their arrival time."""

    def __init__(self, ns):
        self.q = queue.Queue()
        self.p = subprocess.Popen(["ip", "netns", "exec", ns, "nft", "monitor", "new", "elements"],
                                  stdout=subprocess.PIPE, text=True, bufsize=1)
        threading.Thread(target=self._read, daemon=True).start()
        time.sleep(0.3)  # subscribed before the first trial

    def _read(self):
        for line in self.p.stdout:
            self.q.put((time.monotonic_ns(), line))

    def wait_for(self, addr, timeout_s=10.0):
        pat = re.compile(r"[{ ,]" + re.escape(addr) + r"[ ,}]")
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


def run_pipeline(a):
    """The full path: a log line appended to a followed file ->
    ward-ingest --follow | ward-match --rules | ward-window | ward-respond.
    Extend here once the stages exist: start the pipeline with Popen chains
    (stdout of one into stdin of the next), append f2b_attack()-style lines
    to the followed file and wait with Monitor.wait_for as above."""
    missing = [s for s in ("ward-ingest", "ward-match", "ward-window", "ward-respond")
               if not os.access(os.path.join(a.bin, s), os.X_OK)]
    probe = subprocess.run([os.path.join(a.bin, "ward-match"), "--help"], capture_output=True) \
        if "ward-match" not in missing else None
    if missing or (probe and probe.returncode == 69):
        print(json.dumps({"responder": "ward pipeline", "skipped":
                          "needs working " + ", ".join(missing or ["ward-match", "ward-window"])}))
        return None
    print(json.dumps({"responder": "ward pipeline", "skipped": "not wired yet: see run_pipeline()"}))
    return None


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
    a = ap.parse_args()
    if os.geteuid() != 0:
        print(json.dumps({"responder": a.mode, "skipped": "needs root"}))
        return 0
    {"ward": run_ward, "fail2ban": run_fail2ban, "pipeline": run_pipeline}[a.mode](a)
    return 0


if __name__ == "__main__":
    sys.exit(main())
