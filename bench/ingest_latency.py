#!/usr/bin/env python3
"""ingest_latency.py PROGRAM N - time from a line appended to a file followed
by `PROGRAM -f` to its event on PROGRAM's stdout, for N lines one at a time.
Prints p50, p99 and max in milliseconds."""
import os
import subprocess
import sys
import tempfile
import time

prog, n = sys.argv[1], int(sys.argv[2])
d = tempfile.mkdtemp()
path = os.path.join(d, "app.log")
open(path, "w").close()
p = subprocess.Popen([prog, "-f", "--ts", "none", path], stdout=subprocess.PIPE,
                     stderr=subprocess.DEVNULL, bufsize=0)
time.sleep(0.3)
out = p.stdout
lat = []
with open(path, "a", buffering=1) as f:
    for i in range(n):
        t0 = time.monotonic_ns()
        f.write("line %d\n" % i)
        f.flush()
        line = out.readline()
        lat.append((time.monotonic_ns() - t0) / 1e6)
        if not line:
            break
        time.sleep(0.002)
p.terminate()
p.wait()
os.unlink(path)
os.rmdir(d)
lat.sort()
def q(x):
    return lat[min(len(lat) - 1, int(x * len(lat)))]
print("%d %.3f %.3f %.3f" % (len(lat), q(0.50), q(0.99), lat[-1]))
