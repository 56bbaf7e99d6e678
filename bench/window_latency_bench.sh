#!/usr/bin/env bash
# Alert latency of ingest | match | window on a live stream: the time from
# writing the 6th "Failed password" line of an address (3 ms apart, as in
# ../shared/research/ban-latency.md) to reading its firing alert, n = 100.
# Python 3 standard library only.
set -u
cd "$(dirname "$0")/.."
python3 - <<'PY'
import os, select, subprocess, time
W = "bin"
cmd = (f"{W}/ward-ingest -q --label job=sshd --ts syslog | "
       f"{W}/ward-match -q --rules rules/ssh.yaml --rule SSHFailedPassword | "
       f"{W}/ward-window -q --idle 0 --select-rule SSHFailedPassword --by src_ip "
       f"--range 10s --threshold '> 5'")
p = subprocess.Popen(cmd, shell=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                     stderr=subprocess.DEVNULL, bufsize=0)
lat = []
for a in range(100):
    ip = f"198.18.{a // 250}.{a % 250 + 1}"
    for i in range(6):
        ts = time.strftime("%b %d %H:%M:%S", time.gmtime())
        p.stdin.write(f"{ts} web1 sshd[812]: Failed password for root from {ip} port 4242 ssh2\n".encode())
        t0 = time.perf_counter()
        if i < 5:
            time.sleep(0.003)
    r, _, _ = select.select([p.stdout], [], [], 10)
    if not r:
        print(f"window latency: no alert for {ip} within 10 s")
        break
    os.read(p.stdout.fileno(), 1 << 16)
    lat.append((time.perf_counter() - t0) * 1000)
    time.sleep(0.01)
p.stdin.close()
p.stdout.read()	# the resolved alerts of the drain: read them or window blocks
p.wait()
lat.sort()
q = lambda f: lat[min(len(lat) - 1, int(f * len(lat)))]
print(f"window latency, 6th failure written -> alert read (ingest | match | window), n={len(lat)}: "
      f"p50 {q(0.5):.2f} ms, p90 {q(0.9):.2f} ms, p99 {q(0.99):.2f} ms, max {lat[-1]:.2f} ms")
PY
