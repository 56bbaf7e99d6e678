#!/usr/bin/env python3
"""tests/mutation/run.py - the mutation campaign behind `make mutation`.

Each site of tests/mutation/sites.txt names one one-token change to the
source (a comparison flipped, && for ||, an off-by-one bound, a dropped
check or return, a negated condition). For each site the campaign applies
the change to a private copy of the tree (build/mutation/tree, so the
worktree and its builds are never touched), rebuilds incrementally (the one
object, its archive and the binaries the tests need), runs the tests that
tests/mutation/map.txt lists for that source file, stops at the first that
fails (the mutant is KILLED by it) and restores the file, always (finally
block; ^C included). A mutant no test kills SURVIVED: add a test for the
behaviour, or argue in the site file why the change is equivalent.

Usage: tests/mutation/run.py [--only SUBSTRING] [--check] [-j N]
Writes build/mutation/results.txt (one line per site) and
build/mutation/table.md (killed/survived per module). Exit 0 when the score
(killed / non-equivalent) is >= 90% and no unexplained survivor, else 1.
"""
import argparse
import os
import shutil
import signal
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
WORK = os.path.join(ROOT, "build", "mutation")
TREE = os.path.join(WORK, "tree")
TEST_TIMEOUT = 90


def parse_sites(path):
    """file @@ line-or-snippet @@ original @@ replacement [@@ equivalent: why]"""
    sites = []
    with open(path) as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = [p.strip() for p in line.split("@@")]
            if len(parts) not in (4, 5):
                sys.exit(f"mutation: {path}:{n}: want 'file @@ snippet @@ original @@ replacement [@@ equivalent: why]'")
            equiv = None
            if len(parts) == 5:
                if not parts[4].startswith("equivalent:"):
                    sys.exit(f"mutation: {path}:{n}: the fifth field must start with 'equivalent:'")
                equiv = parts[4][len("equivalent:"):].strip()
            sites.append({"src": parts[0], "where": parts[1], "orig": parts[2],
                          "repl": parts[3], "equiv": equiv, "at": f"{os.path.basename(path)}:{n}"})
    return sites


def parse_map(path):
    m = {}
    with open(path) as f:
        for n, raw in enumerate(f, 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            if ":" not in line:
                sys.exit(f"mutation: {path}:{n}: want 'source.c: test...'")
            src, tests = line.split(":", 1)
            m.setdefault(src.strip(), []).extend(tests.split())
    return m


def mutate(text, site):
    """Return (mutated text, 1-based line) or raise ValueError."""
    lines = text.split("\n")
    where = site["where"]
    if where.isdigit():
        idx = int(where) - 1
        if idx >= len(lines):
            raise ValueError(f"line {where} past the end")
        start = sum(len(l) + 1 for l in lines[:idx])
        span = (start, start + len(lines[idx]))
    else:
        first = text.find(where)
        if first < 0:
            raise ValueError(f"snippet not found: {where!r}")
        if text.find(where, first + 1) >= 0:
            raise ValueError(f"snippet not unique: {where!r}")
        span = (first, first + len(where))
    seg = text[span[0]:span[1]]
    k = seg.find(site["orig"])
    if k < 0:
        raise ValueError(f"{site['orig']!r} not in {seg!r}")
    at = span[0] + k
    out = text[:at] + site["repl"] + text[at + len(site["orig"]):]
    return out, text.count("\n", 0, at) + 1


def sh(cmd, cwd, timeout=None, env=None):
    try:
        p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout, env=env, start_new_session=True)
        return p.returncode, p.stdout.decode("utf-8", "replace")
    except subprocess.TimeoutExpired as e:
        return 124, (e.stdout or b"").decode("utf-8", "replace") + "\n(timeout)"


def sync_tree():
    """Copy the worktree's source files into TREE, only those that changed
    (unchanged files keep their mtime, so rebuilds stay incremental)."""
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                           stdout=subprocess.PIPE, check=True).stdout.decode().split("\0")
    for rel in files:
        if not rel or rel.startswith(("build/", "bin/")):
            continue
        src, dst = os.path.join(ROOT, rel), os.path.join(TREE, rel)
        if not os.path.isfile(src):
            continue
        try:
            with open(src, "rb") as a, open(dst, "rb") as b:
                if a.read() == b.read():
                    continue
        except FileNotFoundError:
            pass
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy2(src, dst)


def targets_for(tests):
    t = set()
    for x in tests:
        if x.endswith(".sh") or x.startswith("tests/cases/"):
            t.add("all")
            t.update("build/release/tests/tools/" + os.path.splitext(p)[0]
                     for p in sorted(os.listdir(os.path.join(TREE, "tests/tools"))) if p.endswith(".c"))
        else:
            t.add("build/release/" + x)
    return sorted(t)


BASE_TIME = {}


def run_test(test, env):
    # a mutant that makes a test hang is killed by the timeout: five times
    # the test's baseline time, at least 15 s
    limit = max(15, 5 * BASE_TIME[test]) if test in BASE_TIME else TEST_TIMEOUT
    if test.endswith(".sh"):
        rc, out = sh(["bash", test], TREE, limit, env)
        failed = rc != 0 or any(l.startswith("FAIL:") for l in out.splitlines())
    elif test.startswith("tests/cases/"):
        # golden cases: tests/cases/STAGE[/NAME] runs the cases under it
        rc, out = sh(["python3", "tests/cases/run.py", "--bin", env["WARD_BIN"],
                      test[len("tests/cases/"):].rstrip("/") + "/"], TREE, limit, env)
        failed = rc != 0 or any(l.startswith("FAIL:") for l in out.splitlines())
    else:
        rc, out = sh([os.path.join(TREE, "build/release", test)], TREE, limit, env)
        failed = rc != 0
    return failed, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sites", default=os.path.join(ROOT, "tests/mutation/sites.txt"))
    ap.add_argument("--map", default=os.path.join(ROOT, "tests/mutation/map.txt"))
    ap.add_argument("--only", default="", help="only sites whose file contains this")
    ap.add_argument("-j", default="2")
    ap.add_argument("--check", action="store_true", help="only check that every site applies")
    args = ap.parse_args()
    sites = [s for s in parse_sites(args.sites) if args.only in s["src"]]
    tmap = parse_map(args.map)
    if args.check:
        bad = 0
        for s in sites:
            try:
                with open(os.path.join(ROOT, s["src"])) as f:
                    _, ln = mutate(f.read(), s)
                if s["src"] not in tmap:
                    raise ValueError("no tests in the map")
                print(f"ok {s['src']}:{ln} {s['orig']} -> {s['repl']}")
            except (ValueError, OSError) as e:
                bad += 1
                print(f"BAD {s['at']}: {s['src']}: {e}")
        print(f"{len(sites)} sites, {bad} bad")
        return 1 if bad else 0
    os.makedirs(TREE, exist_ok=True)
    sync_tree()
    env = dict(os.environ, WARD_BIN=os.path.join(TREE, "bin"),
               WARD_BUILD=os.path.join(TREE, "build/release"), WARD_SAN="")
    for s in sites:
        if s["src"] not in tmap:
            sys.exit(f"mutation: {s['at']}: no tests for {s['src']} in {args.map}")
        if not os.path.isfile(os.path.join(TREE, s["src"])):
            sys.exit(f"mutation: {s['at']}: no such file {s['src']}")
    # Baseline: every mapped test builds and passes on the real code.
    srcs = sorted({s["src"] for s in sites})
    tests = sorted({t for src in srcs for t in tmap[src]})
    t0 = time.time()
    rc, out = sh(["make", "-j" + args.j, "--no-print-directory"] + targets_for(tests), TREE)
    if rc != 0:
        print(out[-4000:])
        sys.exit("mutation: the unmutated tree does not build")
    broken = []
    for t in tests:
        t2 = time.time()
        failed, out = run_test(t, env)
        BASE_TIME[t] = time.time() - t2
        if failed:
            broken.append(t)
            print(f"mutation: baseline: {t} fails on the real code; left out\n{out[-1500:]}")
    print(f"mutation: baseline built and {len(tests) - len(broken)} tests pass ({time.time() - t0:.0f}s); {len(sites)} sites")

    results = []
    stop = {"flag": False}

    def on_sigint(signum, frame):
        stop["flag"] = True
        raise KeyboardInterrupt
    signal.signal(signal.SIGINT, on_sigint)
    signal.signal(signal.SIGTERM, on_sigint)

    try:
        for i, s in enumerate(sites, 1):
            path = os.path.join(TREE, s["src"])
            with open(path) as f:
                orig_text = f.read()
            try:
                mtext, lineno = mutate(orig_text, s)
            except ValueError as e:
                sys.exit(f"mutation: {s['at']}: {s['src']}: {e}")
            label = f"{s['src']}:{lineno} {s['orig']} -> {s['repl']}"
            t1 = time.time()
            status, killer = None, ""
            try:
                with open(path, "w") as f:
                    f.write(mtext)
                mtests = [t for t in tmap[s["src"]] if t not in broken]
                rc, out = sh(["make", "-j" + args.j, "--no-print-directory"] + targets_for(mtests), TREE)
                if rc != 0:
                    status, killer = "STILLBORN", "does not compile"
                else:
                    status = "SURVIVED"
                    for t in mtests:
                        failed, _ = run_test(t, env)
                        if failed:
                            status, killer = "KILLED", t
                            break
            finally:
                with open(path, "w") as f:
                    f.write(orig_text)
            if status == "SURVIVED" and s["equiv"]:
                status, killer = "EQUIVALENT", s["equiv"]
            r = dict(s, status=status, killer=killer, label=label)
            results.append(r)
            print(f"[{i}/{len(sites)}] {status:10} {label}  {killer}  ({time.time() - t1:.0f}s)", flush=True)
    except KeyboardInterrupt:
        print("mutation: interrupted; source restored", file=sys.stderr)
    finally:
        # the copy's objects were built from mutants: rebuild the real code
        # lazily next time (make sees the restored sources as newer).
        pass

    with open(os.path.join(WORK, "results.txt"), "w") as f:
        for r in results:
            f.write(f"{r['status']}\t{r['label']}\t{r['killer']}\n")
    mods = {}
    for r in results:
        m = mods.setdefault(r["src"], {"KILLED": 0, "SURVIVED": 0, "EQUIVALENT": 0, "STILLBORN": 0})
        m[r["status"]] += 1
    tot = {k: sum(m[k] for m in mods.values()) for k in ("KILLED", "SURVIVED", "EQUIVALENT", "STILLBORN")}
    lines = ["| module | sites | killed | survived | equivalent | score |", "|---|---:|---:|---:|---:|---:|"]
    for src in sorted(mods):
        m = mods[src]
        n = m["KILLED"] + m["SURVIVED"]
        lines.append(f"| {src} | {sum(m.values())} | {m['KILLED']} | {m['SURVIVED']} | {m['EQUIVALENT']} | "
                     f"{100 * m['KILLED'] / n if n else 100:.0f}% |")
    n = tot["KILLED"] + tot["SURVIVED"]
    score = 100 * tot["KILLED"] / n if n else 100.0
    lines.append(f"| **all** | {sum(tot.values())} | {tot['KILLED']} | {tot['SURVIVED']} | {tot['EQUIVALENT']} | "
                 f"**{score:.1f}%** |")
    table = "\n".join(lines) + "\n"
    with open(os.path.join(WORK, "table.md"), "w") as f:
        f.write(table)
    print(table)
    for r in results:
        if r["status"] in ("SURVIVED", "STILLBORN"):
            print(f"{r['status']}: {r['label']} ({r['at']})")
    print(f"mutation: {tot['KILLED']} killed, {tot['SURVIVED']} survived, {tot['EQUIVALENT']} equivalent, "
          f"{tot['STILLBORN']} stillborn; score {score:.1f}% (killed / non-equivalent)")
    if stop["flag"]:
        return 130
    return 0 if score >= 90 and tot["SURVIVED"] == 0 and tot["STILLBORN"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
