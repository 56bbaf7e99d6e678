#!/usr/bin/env python3
"""tests/coverage_table.py LCOV_INFO DOC - write the per-module line and
branch coverage table of `make coverage` into DOC between the markers
<!-- coverage:begin --> and <!-- coverage:end -->, and the uncovered
branches of the target modules into build/coverage/uncovered.txt."""
import datetime
import os
import re
import sys

# The modules docs/testing.md sets targets for (>= 90% lines, >= 80% branches).
TARGETS = [
    ("stages/respond", lambda f: f.startswith("stages/respond/") and not f.endswith("/main.c")),
    ("common/ipaddr.c", lambda f: f == "common/ipaddr.c"),
    ("common/event*.c", lambda f: re.match(r"common/event[^/]*\.c$", f)),
    ("LogQL evaluator (common/logql/logql_{compile,prefilter,ctx,eval}.c)",
     lambda f: f in ("common/logql/logql_compile.c", "common/logql/logql_prefilter.c",
                     "common/logql/logql_ctx.c", "common/logql/logql_eval.c")),
    ("LogQL extractors (common/logql/: json, jsonwalk, unpack, logfmt, pattern, decolorize, ip)",
     lambda f: f in ("common/logql/logql_%s.c" % x for x in
                     ("json", "jsonwalk", "unpack", "logfmt", "pattern", "decolorize", "ip"))),
    # the engine as split in parts: per-key rules and what they use, the
    # step rules and their key table, one key's window, the lifecycle
    ("window engine (engine and its parts, win, steps, ktab, lifecycle)",
     lambda f: f in ("stages/window/%s.c" % x for x in
                     ("engine", "engine_prefetch", "wake", "anomaly", "evict", "evidence",
                      "keyalert", "win", "steps", "ktab", "lifecycle"))),
]


def parse(path):
    files, cur = {}, None
    root = os.getcwd() + "/"
    for line in open(path):
        line = line.rstrip("\n")
        if line.startswith("SF:"):
            name = line[3:]
            name = name[len(root):] if name.startswith(root) else name
            cur = files.setdefault(name, {"LF": 0, "LH": 0, "BRF": 0, "BRH": 0, "unbr": []})
        elif cur is not None and line.split(":")[0] in ("LF", "LH", "BRF", "BRH"):
            k, v = line.split(":", 1)
            cur[k] = int(v)
        elif cur is not None and line.startswith("BRDA:"):
            ln, blk, br, taken = line[5:].split(",")
            if taken in ("-", "0"):
                cur["unbr"].append(int(ln))
        elif line == "end_of_record":
            cur = None
    return files


def pct(h, f):
    return f"{100.0 * h / f:.1f}%" if f else "-"


def main():
    info, doc = sys.argv[1], sys.argv[2]
    files = parse(info)
    rows = ["| module | lines | line cov. | branches | branch cov. | target met |",
            "|---|---:|---:|---:|---:|:---:|"]
    unc = []
    for name, pick in TARGETS:
        sel = sorted(f for f in files if pick(f))
        t = {k: sum(files[f][k] for f in sel) for k in ("LF", "LH", "BRF", "BRH")}
        ok = (t["LF"] == 0 or t["LH"] / t["LF"] >= 0.9) and (t["BRF"] == 0 or t["BRH"] / t["BRF"] >= 0.8)
        rows.append(f"| {name} | {t['LH']}/{t['LF']} | {pct(t['LH'], t['LF'])} | {t['BRH']}/{t['BRF']} | "
                    f"{pct(t['BRH'], t['BRF'])} | {'yes' if ok else 'no'} |")
        for f in sel:
            lines = sorted(set(files[f]["unbr"]))
            if lines:
                unc.append(f"{f}: {len(files[f]['unbr'])} branches not taken, at lines " +
                           ", ".join(map(str, lines)))
    rows.append("")
    rows.append("Per directory (all files):")
    rows.append("")
    rows.append("| directory | line cov. | branch cov. |")
    rows.append("|---|---:|---:|")
    dirs = {}
    for f, c in files.items():
        d = dirs.setdefault(os.path.dirname(f), {"LF": 0, "LH": 0, "BRF": 0, "BRH": 0})
        for k in d:
            d[k] += c[k]
    for d in sorted(dirs):
        c = dirs[d]
        rows.append(f"| {d} | {pct(c['LH'], c['LF'])} | {pct(c['BRH'], c['BRF'])} |")
    stamp = datetime.date.today().isoformat()
    rows.append("")
    rows.append("Branches not taken in the target modules (source lines; reasons below the table):")
    rows.append("")
    rows.extend(f"- {u}" for u in unc)
    block = (f"<!-- coverage:begin -->\nMeasured {stamp} with `make coverage` (gcc --coverage -O0, the release "
             f"suite; branch counts from gcov, so one C condition can be several branches).\n\n" +
             "\n".join(rows) + "\n<!-- coverage:end -->")
    text = open(doc).read() if os.path.exists(doc) else ""
    if "<!-- coverage:begin -->" in text:
        text = re.sub(r"<!-- coverage:begin -->.*?<!-- coverage:end -->", lambda m: block, text, flags=re.S)
    else:
        text += "\n" + block + "\n"
    with open(doc, "w") as f:
        f.write(text)
    out = os.path.join(os.path.dirname(info), "uncovered.txt")
    with open(out, "w") as f:
        f.write("\n".join(unc) + "\n")
    print("\n".join(rows[:len(TARGETS) + 2]))


if __name__ == "__main__":
    main()
