#!/usr/bin/env python3
"""Golden tests as data: run tests/cases/<stage>/<name>/ and compare exactly.

A case is a directory holding
  cmd   the command: one ward program and its arguments per line; two or more
        lines are a pipeline (line 1 reads `in`, each next line reads the one
        before, the last line's stdout is compared). Words are split as a POSIX
        shell splits them (quotes '...' and "...", backslash), with no
        expansion of any kind: no variables, globs, ~ or $( ). The first word
        must be a program of the build under test (ward-*), run from its bin/.
        Lines starting with # and blank lines are ignored.
  in    stdin of the first command (optional; absent: empty)
  out   the exact expected stdout of the last command
  rc    the exit status of each command, space separated ("0", "0 0 1")
  err   optional: the exact expected stderr of all commands, in order; when
        absent, stderr is not compared (it is shown on a failure)
  out.NAME  optional: the exact expected content of the file NAME that the
        commands wrote in the scratch directory (e.g. `--html r.html`,
        `--dead-letter`, `--late-out`), normalized as stdout is.
  mask  optional: one Python regular expression a line; in stdout and stderr
        each match (its group 1 when it has groups) becomes <masked>. For
        what a case cannot fix, e.g. ward-respond's wall-clock "ts"/"until":
        "(?:ts|until|applied_at)":"([^"]*)"
  any other file: an input the command names by its relative path.

Each case runs in a fresh scratch directory holding copies of the case's
other files (modification time 2026-11-28T00:00:00Z, so BSD syslog years
inferred from a file's time do not depend on the day) and three links to the
repository: `rules` (rules/), `data` (tests/data/) and `pipelines`. The environment is
fixed: TZ=UTC, LC_ALL=C, SOURCE_DATE_EPOCH=1796025600 (2026-11-30T08:00:00Z), HOME and
TMPDIR the scratch directory; PATH, the sanitizer options and libfaketime's
variables (make check-future) are kept.
Outputs are normalized before they are compared or written: the scratch
directory's path becomes `$CASE`, the repository's `$TOP`, the bin directory
`$BIN`.

  run.py [--bin DIR] [PATTERN...]          run cases whose stage/name contains a PATTERN
  run.py --regen [--bin DIR] [PATTERN...]  rewrite out, rc (and err, out.NAME where they exist)

Prints "PASS: cases: stage/name" or "FAIL: cases: stage/name" with a diff;
exits 0 when every case passed, 1 when one failed, 64 on a usage error.
"""
import difflib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
RESERVED = {"cmd", "in", "out", "rc", "err", "mask"}
LINKS = {"rules": os.path.join(TOP, "rules"), "data": os.path.join(TOP, "tests", "data"),
         "pipelines": os.path.join(TOP, "pipelines")}
FILE_TIME = 1795824000  # 2026-11-28T00:00:00Z
TIMEOUT = 120


def cases(patterns):
    found = []
    for stage in sorted(os.listdir(HERE)):
        sdir = os.path.join(HERE, stage)
        if not os.path.isdir(sdir):
            continue
        for name in sorted(os.listdir(sdir)):
            cdir = os.path.join(sdir, name)
            if not os.path.isfile(os.path.join(cdir, "cmd")):
                continue
            cid = f"{stage}/{name}"
            if patterns and not any(p in cid for p in patterns):
                continue
            found.append((cid, cdir))
    return found


def parse_cmd(path, bindir):
    argvs = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            words = shlex.split(line, comments=False, posix=True)
            prog = words[0]
            if not prog.startswith("ward-") or "/" in prog:
                raise ValueError(f"{path}:{n}: the first word must be a ward program, not {prog!r}")
            exe = os.path.join(bindir, prog)
            if not os.access(exe, os.X_OK):
                raise ValueError(f"{path}:{n}: {prog}: not in {bindir}")
            argvs.append([exe] + words[1:])
    if not argvs:
        raise ValueError(f"{path}: no command")
    return argvs


def masks(cdir):
    path = os.path.join(cdir, "mask")
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [re.compile(l.rstrip("\n")) for l in f if l.strip() and not l.startswith("#")]


def normalize(data, scratch, bindir, regexes):
    text = data.decode("utf-8", errors="surrogateescape")
    for path, name in ((bindir, "$BIN"), (scratch, "$CASE"), (TOP, "$TOP")):
        text = text.replace(os.path.realpath(path), name).replace(path, name)
    for rx in regexes:
        def sub(m):
            if not m.re.groups:
                return "<masked>"
            s, e = m.span(1)
            return m.group(0)[:s - m.start()] + "<masked>" + m.group(0)[e - m.start():]
        text = rx.sub(sub, text)
    return text.encode("utf-8", errors="surrogateescape")


def run_case(cdir, bindir):
    """Run one case; return (stdout, stderr, rc_text) normalized."""
    argvs = parse_cmd(os.path.join(cdir, "cmd"), bindir)
    scratch = tempfile.mkdtemp(prefix="ward-case.")
    try:
        for f in sorted(os.listdir(cdir)):
            if f in RESERVED or f.startswith("out."):
                continue
            src, dst = os.path.join(cdir, f), os.path.join(scratch, f)
            if os.path.isdir(src):
                shutil.copytree(src, dst)
                for root, dirs, files in os.walk(dst):
                    for x in dirs + files:
                        os.utime(os.path.join(root, x), (FILE_TIME, FILE_TIME))
            else:
                shutil.copyfile(src, dst)
            os.utime(dst, (FILE_TIME, FILE_TIME))
        for name, target in LINKS.items():
            if not os.path.exists(os.path.join(scratch, name)):
                os.symlink(target, os.path.join(scratch, name))
        env = {"TZ": "UTC", "LC_ALL": "C", "SOURCE_DATE_EPOCH": "1796025600",
               "HOME": scratch, "TMPDIR": scratch, "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        # sanitizer options; libfaketime's, so make check-future moves the
        # clock of the cases too
        for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS", "LD_PRELOAD", "FAKETIME",
                  "FAKETIME_NO_CACHE", "NO_FAKE_STAT", "DONT_FAKE_MONOTONIC", "FAKETIME_DONT_FAKE_MONOTONIC"):
            if k in os.environ:
                env[k] = os.environ[k]
        inp = os.path.join(cdir, "in")
        stdin = open(inp, "rb") if os.path.exists(inp) else subprocess.DEVNULL
        errfiles, procs = [], []
        prev = stdin
        for i, argv in enumerate(argvs):
            ef = tempfile.TemporaryFile(dir=scratch)
            errfiles.append(ef)
            last = i == len(argvs) - 1
            p = subprocess.Popen(argv, stdin=prev, stdout=subprocess.PIPE, stderr=ef,
                                 cwd=scratch, env=env)
            if prev not in (subprocess.DEVNULL,) and hasattr(prev, "close"):
                prev.close()
            procs.append(p)
            prev = p.stdout if not last else None
        try:
            out, _ = procs[-1].communicate(timeout=TIMEOUT)
            for p in procs[:-1]:
                p.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            for p in procs:
                p.kill()
            for p in procs:
                p.wait()
            out = b""
            timed_out = True
        else:
            timed_out = False
        rcs = " ".join(str(p.returncode) for p in procs) + "\n"
        err = b""
        for ef in errfiles:
            ef.seek(0)
            err += ef.read()
            ef.close()
        if timed_out:
            err += f"[tests/cases/run.py: killed after {TIMEOUT} s]\n".encode()
        rx = masks(cdir)
        files = {}
        for f in sorted(os.listdir(cdir)):
            if f.startswith("out."):
                got = read(os.path.join(scratch, f[4:]), None)
                files[f] = None if got is None else normalize(got, scratch, bindir, rx)
        return normalize(out, scratch, bindir, rx), normalize(err, scratch, bindir, rx), rcs, files
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def read(path, default=b""):
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return default


def diff(name, want, got):
    lines = difflib.unified_diff(want.decode(errors="replace").splitlines(True),
                                 got.decode(errors="replace").splitlines(True),
                                 f"{name} (expected)", f"{name} (got)", n=1)
    text = "".join(lines)
    # Events are long lines: point at the first byte that differs.
    w, g = want.splitlines(), got.splitlines()
    for n, (a, b) in enumerate(zip(w, g), 1):
        if a != b:
            c = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            lo = max(0, c - 30)
            text += (f"  {name}: line {n}, column {c + 1} differs:\n"
                     f"    want ...{a[lo:c + 50].decode(errors='replace')}\n"
                     f"    got  ...{b[lo:c + 50].decode(errors='replace')}\n")
            break
    if len(text) > 4000:
        text = text[:4000] + "\n... (diff cut at 4000 characters)\n"
    return text


def main(argv):
    regen = False
    bindir = os.environ.get("WARD_BIN", os.path.join(TOP, "bin"))
    patterns = []
    args = list(argv)
    while args:
        a = args.pop(0)
        if a == "--regen":
            regen = True
        elif a == "--bin" and args:
            bindir = args.pop(0)
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        elif a.startswith("-"):
            print(f"tests/cases/run.py: unknown option {a}", file=sys.stderr)
            return 64
        else:
            patterns.append(a)
    bindir = os.path.abspath(bindir)
    todo = cases(patterns)
    if not todo:
        print("tests/cases/run.py: no case matches", file=sys.stderr)
        return 64 if patterns else 0
    failed = 0
    for cid, cdir in todo:
        try:
            out, err, rcs, files = run_case(cdir, bindir)
        except (ValueError, OSError, re.error) as e:
            print(f"FAIL: cases: {cid}: {e}", flush=True)
            failed += 1
            continue
        if regen:
            with open(os.path.join(cdir, "out"), "wb") as f:
                f.write(out)
            with open(os.path.join(cdir, "rc"), "w") as f:
                f.write(rcs)
            if os.path.exists(os.path.join(cdir, "err")):
                with open(os.path.join(cdir, "err"), "wb") as f:
                    f.write(err)
            for name, data in files.items():
                with open(os.path.join(cdir, name), "wb") as f:
                    f.write(data or b"")
            print(f"regen: {cid} (rc {rcs.strip()})", flush=True)
            continue
        report = []
        want_rc = read(os.path.join(cdir, "rc")).decode().split()
        if want_rc != rcs.split():
            report.append(f"  exit status {rcs.strip()}, want {' '.join(want_rc) or '(no rc file)'}")
        want_out = read(os.path.join(cdir, "out"))
        if out != want_out:
            report.append(diff("out", want_out, out))
        want_err = read(os.path.join(cdir, "err"), None)
        if want_err is not None and err != want_err:
            report.append(diff("err", want_err, err))
        for name, data in files.items():
            if data is None:
                report.append(f"  {name[4:]}: not written")
            elif data != read(os.path.join(cdir, name)):
                report.append(diff(name, read(os.path.join(cdir, name)), data))
        if report:
            failed += 1
            print(f"FAIL: cases: {cid}", flush=True)
            for r in report:
                print(r.rstrip("\n"))
            if want_err is None and err:
                print("  stderr:\n" + err.decode(errors="replace")[:2000].rstrip("\n"))
        else:
            print(f"PASS: cases: {cid}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
