#!/usr/bin/env python3
"""Precision and recall of the bundled web rules on labelled access logs.

usage: match_precision.py ACCESS_LOG MATCH_OUTPUT
ACCESS_LOG.truth.tsv (from ../shared/bench/gen_accesslog.py) labels each line:
benign, benign_tricky, sqli, traversal, xss, cmdi, scanner. MATCH_OUTPUT is
the NDJSON of `ward-ingest | ward-match --rules rules/web.yaml`; events are
tied to input lines by their text. Prints one line per class and a total."""
import collections
import json
import sys

RULE_CLASS = {"SQLInjection": "sqli", "SQLInjectionProbe": "sqli", "WebSQLInjection": "sqli",
              "PathTraversal": "traversal", "WebPathTraversal": "traversal",
              "CrossSiteScripting": "xss", "WebXSS": "xss",
              "CommandInjection": "cmdi", "Shellshock": "cmdi", "Log4Shell": "cmdi", "Text4Shell": "cmdi",
              "TemplateInjection": "cmdi", "RemoteFileInclude": "cmdi", "WebCommandInjection": "cmdi",
              "WebShellshock": "cmdi", "WebLog4Shell": "cmdi",
              "WebScannerUserAgent": "scanner", "WebScanner": "scanner", "WebSensitiveFile": "scanner",
              "WebSensitiveFiles": "scanner", "WebAdminProbe": "scanner", "WebAdminProbing": "scanner",
              "WebCVEProbe": "scanner", "WebCVEExploit": "scanner", "WebTechnologyProbe": "scanner",
              "WebTechnologyProbing": "scanner", "WordPressScan": "scanner", "WebWordPressScan": "scanner",
              "WebshellProbe": "scanner", "WebshellProbing": "scanner", "WebSAPProbe": "scanner", "WebSAPProbing": "scanner"}


def main():
    log, out = sys.argv[1], sys.argv[2]
    lines = open(log, encoding="utf-8", errors="replace").read().split("\n")
    label = {}
    for row in open(log + ".truth.tsv", encoding="utf-8"):
        if row.startswith("#"):
            continue
        n, lab = row.split("\t")[:2]
        label[int(n)] = lab
    by_text = collections.defaultdict(list)
    for i, l in enumerate(lines, 1):
        by_text[l].append(i)
    hits = collections.defaultdict(set)   # line number -> classes alerted
    for row in open(out, encoding="utf-8"):
        ev = json.loads(row)
        rule = ev.get("rule", "")
        base = rule.replace("Json", "").replace("Combined", "")
        for n in by_text.get(ev.get("line", ""), []):
            hits[n].add(RULE_CLASS.get(base, base))
    classes = ("sqli", "traversal", "xss", "cmdi", "scanner")
    tot_tp = tot_fp = tot_fn = 0
    for c in classes:
        tp = sum(1 for n, lab in label.items() if lab == c and c in hits.get(n, ()))
        fn = sum(1 for n, lab in label.items() if lab == c and c not in hits.get(n, ()))
        fp = sum(1 for n, lab in label.items() if lab in ("benign", "benign_tricky") and c in hits.get(n, ()))
        tot_tp += tp; tot_fn += fn; tot_fp += fp
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        print("%-10s precision %.4f recall %.4f (tp %d fp %d fn %d)" % (c, p, r, tp, fp, fn))
    attack = [n for n, lab in label.items() if lab not in ("benign", "benign_tricky")]
    benign = [n for n, lab in label.items() if lab in ("benign", "benign_tricky")]
    tricky = [n for n, lab in label.items() if lab == "benign_tricky"]
    a_tp = sum(1 for n in attack if hits.get(n))
    b_fp = sum(1 for n in benign if hits.get(n))
    t_fp = sum(1 for n in tricky if hits.get(n))
    print("any-attack precision %.4f recall %.4f (attack lines %d detected %d; benign lines %d alerted %d; FP traps %d alerted %d)"
          % (a_tp / (a_tp + b_fp) if a_tp + b_fp else 1.0, a_tp / len(attack) if attack else 1.0,
             len(attack), a_tp, len(benign), b_fp, len(tricky), t_fp))


if __name__ == "__main__":
    main()
