#!/usr/bin/env python3
"""sigma.py - ward-match --sigma over SigmaHQ's Linux and web rules.

Reads ../shared/corpus/sigma (SigmaHQ rules/linux, rules/web and the Linux/web
rules of rules-emerging-threats), so it is not part of make check. It checks:

  1. loading: every webserver/proxy rule loads, and >= 90% of the linux
     builtin (syslog services, keywords) and auditd rules; every refusal has
     a reason;
  2. firing: for each loaded web rule, an event built from the rule's own
     detection items fires it, and a near miss (one value changed) does not;
  3. agreement: an independent reference evaluator (below, written from the
     Sigma specification 2.0 and docs/sigma.md's field mapping, evaluating the
     rule's YAML directly on an event dict) agrees with ward on random events
     built from every loaded rule's values, rendered as real log lines
     (combined access log, syslog, auditd) and run through ward-match.

Exit status 0 when every target is met, 1 otherwise, 2 when the corpus is
missing.
"""
import argparse
import base64
import ipaddress
import json
import os
import random
import re
import subprocess
import sys

import yaml

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# ---------------------------------------------------------------------------
# Reference evaluator (Sigma specification 2.0)
# ---------------------------------------------------------------------------


def wildcard_regex(s):
    """Sigma string -> Python regex body: * any, ? one, backslash escapes * ? \\."""
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s) and s[i + 1] in "*?\\":
            out.append(re.escape(s[i + 1]))
            i += 2
            continue
        out.append({"*": ".*", "?": "."}.get(c, re.escape(c)))
        i += 1
    return "".join(out)


def utf16(s, mods):
    if "utf16le" in mods or "wide" in mods:
        return s.encode("utf-16-le")
    if "utf16be" in mods:
        return s.encode("utf-16-be")
    if "utf16" in mods:
        return b"\xff\xfe" + s.encode("utf-16-le")
    return s.encode("utf-8", "surrogateescape")


def b64_variants(v, mods):
    raw = utf16(v, mods)
    if "base64offset" in mods:
        start, end = (0, 2, 3), (None, -3, -2)
        return [base64.b64encode(i * b" " + raw)[start[i]:end[(len(raw) + i) % 3]].decode() for i in range(3)]
    return [base64.b64encode(raw).decode()]


def value_matches(val, mods, v):
    """Does the event value val (str or None) match the rule value v under mods?"""
    if v is None:
        return val is None or val == ""
    if val is None:
        val = ""          # ward (LogQL) reads a missing field as ""
    v = str(v) if not isinstance(v, bool) else ("true" if v else "false")
    if "cidr" in mods:
        try:
            return ipaddress.ip_address(val) in ipaddress.ip_network(v, strict=False)
        except ValueError:
            return False
    for op, fn in (("gt", lambda a, b: a > b), ("gte", lambda a, b: a >= b),
                   ("lt", lambda a, b: a < b), ("lte", lambda a, b: a <= b)):
        if op in mods:
            try:
                return fn(float(val), float(v))
            except ValueError:
                return False
    if "re" in mods:
        fl = (re.I if "i" in mods else 0) | (re.M if "m" in mods else 0) | (re.S if "s" in mods else 0)
        return re.search(v, val, fl) is not None
    if "base64" in mods or "base64offset" in mods:
        pats = [re.escape(x) for x in b64_variants(v, mods)]
        fl = re.S
    elif "windash" in mods:
        pats = [wildcard_regex(v.replace("-", d)) for d in ("-", "/", "\u2013", "\u2014", "\u2015")]
        fl = re.S | (0 if "cased" in mods else re.I)
    else:
        pats = [wildcard_regex(v)]
        fl = re.S | (0 if "cased" in mods else re.I)
    contains = "contains" in mods or "base64offset" in mods
    for p in pats:
        if contains:
            p = ".*" + p + ".*"
        elif "startswith" in mods:
            p = p + ".*"
        elif "endswith" in mods:
            p = ".*" + p
        if re.fullmatch(p, val, fl):
            return True
    return False


def item_matches(field, mods, values, ev):
    if field is None:                         # keywords: search the line
        line = ev["_line"]
        res = [value_matches(line, mods + ["contains"], v) if v is not None else False for v in values]
    else:
        cands = ev["fields"].get(field, [None])
        if "exists" in mods:
            want = values[0] not in (False, "false", "False")
            return any(c not in (None, "") for c in cands) == want
        if field in ("cs-uri-query", "c-uri-query"):
            qraw = cands[2]
        res = [(value_matches(qraw, mods, v) if field in ("cs-uri-query", "c-uri-query")
                else all(value_matches(c, mods, v) for c in cands)) if v is None
               else any(value_matches(c, mods, v) for c in cands) for v in values]
    return all(res) if "all" in mods else any(res)


def parse_key(k):
    parts = k.split("|")
    return (parts[0] or None), parts[1:]


def sel_matches(sel, ev):
    if isinstance(sel, dict):
        return all(item_matches(*parse_key(k), (v if isinstance(v, list) else [v]), ev) for k, v in sel.items())
    if isinstance(sel, list):
        kws = [x for x in sel if not isinstance(x, dict)]
        if kws and item_matches(None, [], kws, ev):
            return True
        return any(sel_matches(x, ev) for x in sel if isinstance(x, dict))
    return item_matches(None, [], [sel], ev)


def tokenize(cond):
    return re.findall(r"\(|\)|[^\s()]+", cond)


def eval_cond(cond, det, ev):
    toks = tokenize(cond)
    pos = [0]
    names = [k for k in det if k not in ("condition", "timeframe")]

    def peek():
        return toks[pos[0]] if pos[0] < len(toks) else None

    def nxt():
        pos[0] += 1
        return toks[pos[0] - 1]

    def sel(name):
        return sel_matches(det[name], ev)

    def prim():
        t = nxt()
        if t.lower() == "not":
            return not prim()
        if t == "(":
            v = expr()
            assert nxt() == ")"
            return v
        if t.lower() in ("1", "any", "all"):
            assert nxt().lower() == "of"
            pat = nxt()
            if pat.lower() == "them":
                ms = [n for n in names if not n.startswith("_")]
            else:
                rx = re.compile("^" + re.escape(pat).replace("\\*", ".*") + "$")
                ms = [n for n in names if rx.match(n)]
            vals = [sel(n) for n in ms]
            return all(vals) if t.lower() == "all" else any(vals)
        return sel(t)

    def conj():
        v = prim()
        while peek() and peek().lower() == "and":
            nxt()
            w = prim()
            v = v and w
        return v

    def expr():
        v = conj()
        while peek() and peek().lower() == "or":
            nxt()
            w = conj()
            v = v or w
        return v

    return expr()


def rule_matches(rule, ev):
    det = rule["detection"]
    conds = det["condition"] if isinstance(det["condition"], list) else [det["condition"]]
    return any(eval_cond(c, det, ev) for c in conds)


# ---------------------------------------------------------------------------
# Log sources: field mapping (docs/sigma.md), event -> log line
# ---------------------------------------------------------------------------

def urldecode(s):
    b = s.encode("utf-8", "surrogateescape")
    out, i = bytearray(), 0
    while i < len(b):
        c = b[i]
        if c == 0x25 and i + 2 < len(b) + 0 and re.fullmatch(rb"[0-9A-Fa-f]{2}", b[i + 1:i + 3]):
            out.append(int(b[i + 1:i + 3], 16))
            i += 3
            continue
        out.append(0x20 if c == 0x2B else c)
        i += 1
    return out.decode("utf-8", "surrogateescape")


def host_of(uri, vhost):
    m = re.match(r"(?s)^(?:[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?([^/?#:]*)|([^/?#:]+):[0-9]+$)", uri)
    h = (m.group(1) or m.group(2) or "") if m else ""
    return h if h else re.sub(r":[0-9]+$", "", vhost or "")


def web_fields(w):
    """ward access-log fields -> Sigma field -> candidate values."""
    uri = urldecode(urldecode(w["request_uri"]))
    path_raw = w["request_uri"].split("?", 1)[0]
    path = uri.split("?", 1)[0]
    m = re.match(r"(?s)^.*\.([^./]*)$", path)
    ext = m.group(1) if m else ""
    host = host_of(w["request_uri"], w.get("vhost", ""))
    f = {
        "c-ip": [w["src_ip"]], "src_ip": [w["src_ip"]], "cs-method": [w["method"]], "sc-status": [w["status"]],
        "c-useragent": [w["user_agent"]], "cs-user-agent": [w["user_agent"]], "cs(User-Agent)": [w["user_agent"]],
        "cs-referer": [w["referer"]], "cs-referrer": [w["referer"]], "cs(Referer)": [w["referer"]],
        "cs-version": [w["server_protocol"]], "vhost": [w.get("vhost", "")],
        "cs-uri-stem": [path_raw, path], "c-uri-stem": [path_raw, path], "c-uri-extension": [ext],
        "cs-host": [host], "r-dns": [host], "dst_ip": [host], "cs-username": [w["user"], None],
        "cs-cookie": [None], "cs(Cookie)": [None], "cs-content-type": [None],
    }
    for k in ("cs-uri", "c-uri", "url"):
        f[k] = [w["request_uri"], uri]
    for k in ("cs-uri-query", "c-uri-query"):
        f[k] = [w["request_uri"], uri, w["request_uri"].partition("?")[2], uri.partition("?")[2]]
    return f


def web_line(w):
    return '%s%s - %s [01/Jun/2024:00:00:00 +0000] "%s %s %s" %s 153 "%s" "%s"' % (
        (w["vhost"] + " ") if w.get("vhost") else "", w["src_ip"], w["user"], w["method"], w["request_uri"],
        w["server_protocol"], w["status"], w["referer"], w["user_agent"])


SERVICE_PROGS = {
    "sshd": ["sshd", "sshd-session"], "sudo": ["sudo"], "cron": ["cron", "CRON", "crond"],
    "vsftpd": ["vsftpd"], "clamav": ["clamd", "freshclam"], "guacamole": ["guacd"],
}


def sanitize(s, extra=""):
    s = "".join(ch if ch >= " " and ch != "\x7f" else " " for ch in s)
    s = s.replace('"', "'").replace("\\", "/")
    for ch in extra:
        s = s.replace(ch, "_")
    return s


# ---------------------------------------------------------------------------
# Event generation from a rule's own values
# ---------------------------------------------------------------------------

def items_of(det):
    """(field, mods, values) of every item of every selection."""
    out = []
    for k, sel in det.items():
        if k in ("condition", "timeframe"):
            continue
        groups = sel if isinstance(sel, list) else [sel]
        for g in groups:
            if isinstance(g, dict):
                for key, v in g.items():
                    f, mods = parse_key(key)
                    out.append((f, mods, v if isinstance(v, list) else [v]))
            else:
                out.append((None, [], [g]))
    return out


try:
    import re._parser as sre_parse          # Python >= 3.11
except ImportError:                          # pragma: no cover
    import sre_parse


def sample_regex(rng, pattern):
    """A string the regex matches (best effort: literals, classes, repeats, groups, branches)."""
    def gen(tree):
        out = []
        for op, av in tree:
            name = str(op)
            if name == "LITERAL":
                out.append(chr(av))
            elif name == "NOT_LITERAL":
                out.append("a" if av != ord("a") else "b")
            elif name == "ANY":
                out.append("a")
            elif name == "IN":
                ch = "a"
                for iop, iav in av:
                    if str(iop) == "LITERAL":
                        ch = chr(iav)
                        break
                    if str(iop) == "RANGE":
                        ch = chr(rng.randint(iav[0], iav[1]))
                        break
                    if str(iop) == "CATEGORY":
                        ch = {"CATEGORY_DIGIT": "7", "CATEGORY_SPACE": " "}.get(str(iav), "a")
                        break
                    if str(iop) == "NEGATE":
                        ch = "~"
                        break
                out.append(ch)
            elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                lo, hi, sub = av
                n = lo if hi == lo else min(max(lo, 1), lo + 2) if hi > lo else lo
                out.extend(gen(sub) for _ in range(n))
            elif name == "SUBPATTERN":
                out.append(gen(av[-1]))
            elif name == "ATOMIC_GROUP":
                out.append(gen(av))
            elif name == "BRANCH":
                out.append(gen(rng.choice(av[1])))
            elif name == "CATEGORY":
                out.append({"CATEGORY_DIGIT": "7", "CATEGORY_SPACE": " "}.get(str(av), "a"))
        return "".join(out)
    try:
        return gen(sre_parse.parse(pattern))
    except Exception:
        return ""


def flip_case(rng, s):
    return "".join(c.upper() if rng.random() < 0.3 else c for c in s)


def make_value(rng, mods, v):
    """A string that matches rule value v under mods (best effort)."""
    if v is None:
        return ""
    v = str(v) if not isinstance(v, bool) else ("true" if v else "false")
    if "cidr" in mods:
        try:
            n = ipaddress.ip_network(v, strict=False)
            return str(n.network_address + (1 if n.num_addresses > 1 else 0))
        except ValueError:
            return v
    for op, d in (("gt", 1), ("gte", 0), ("lt", -1), ("lte", 0)):
        if op in mods:
            try:
                return str(int(float(v)) + d)
            except ValueError:
                return v
    if "re" in mods:
        return sample_regex(rng, v)
    if "base64" in mods or "base64offset" in mods:
        return "ab" + rng.choice(b64_variants(v, mods)) + "cd"
    if "windash" in mods:
        v = v.replace("-", rng.choice(["-", "/", "\u2013"]))
    s, i, out = v, 0, []
    while i < len(s):
        if s[i] == "\\" and i + 1 < len(s) and s[i + 1] in "*?\\":
            out.append(s[i + 1])
            i += 2
            continue
        out.append({"*": rng.choice(["", "zz", "/a/"]), "?": "q"}.get(s[i], s[i]))
        i += 1
    s = "".join(out)
    if "cased" not in mods:
        s = flip_case(rng, s)
    if "contains" in mods:
        s = rng.choice(["", "x", "/pre "]) + s + rng.choice(["", "y", " post/"])
    elif "startswith" in mods:
        s = s + rng.choice(["", "tail"])
    elif "endswith" in mods:
        s = rng.choice(["", "head"]) + s
    return s


def noise(rng):
    return rng.choice(["", "a", "index.html", "/x/y", "hello world", "Mozilla/5.0", "GET", "200", "root"])


# ---------------------------------------------------------------------------
# Per-source harness: construct events for a rule, render, evaluate
# ---------------------------------------------------------------------------

class Source:
    def __init__(self, rule):
        ls = rule.get("logsource", {})
        self.cat, self.svc = ls.get("category"), ls.get("service")
        self.kind = "web" if self.cat in ("webserver", "proxy") else ("auditd" if self.svc == "auditd" else "linux")

    # an event is a dict of raw slots; line() renders it; ref() builds the
    # reference evaluator's view (Sigma field -> candidates, and the line)
    def base(self, rng):
        if self.kind == "web":
            return {"_json": rng.random() < 0.3, "src_ip": rng.choice(["198.51.100.7", "2001:db8::5"]), "user": "-", "method": "GET",
                    "request_uri": rng.choice(["/", "/index.html", "/a?b=1"]), "server_protocol": "HTTP/1.1",
                    "status": "200", "referer": "-", "user_agent": "curl/8.5.0", "vhost": ""}
        if self.kind == "auditd":
            return {"type": rng.choice(["SYSCALL", "EXECVE", "PATH"]), "_kw": ""}
        progs = SERVICE_PROGS.get(self.svc, ["kernel", "systemd", "sshd"])
        return {"_prog": rng.choice(progs), "_kw": "", "USER": "root", "COMMAND": "/bin/ls", "TTY": "pts/0",
                "PWD": "/root"}

    def set_field(self, ev, field, val):
        if field is None:
            ev["_kw"] = (ev.get("_kw", "") + " " + val).strip()
        elif self.kind == "web":
            slots = {"c-ip": "src_ip", "src_ip": "src_ip", "cs-method": "method", "sc-status": "status",
                     "c-useragent": "user_agent", "cs-user-agent": "user_agent", "cs(User-Agent)": "user_agent",
                     "cs-referer": "referer", "cs-referrer": "referer", "cs(Referer)": "referer",
                     "cs-version": "server_protocol", "vhost": "vhost", "cs-username": "user",
                     "cs-uri-query": "_u_query", "c-uri-query": "_u_query", "cs-uri": "_u_full",
                     "c-uri": "_u_full", "url": "_u_full", "cs-uri-stem": "_u_path", "c-uri-stem": "_u_path",
                     "c-uri-extension": "_u_ext", "cs-host": "_u_host", "r-dns": "_u_host", "dst_ip": "_u_host",
                     "cs-cookie": "_cookie", "cs(Cookie)": "_cookie", "cs-content-type": "_ctype"}
            if field in slots:
                ev[slots[field]] = val
        else:
            ev[field] = val

    def slot(self, field):
        """Sigma fields that land in the same place of the line share a slot."""
        if self.kind != "web" or field is None:
            return field
        return {"c-useragent": "ua", "cs-user-agent": "ua", "cs(User-Agent)": "ua", "cs-referer": "ref",
                "cs-referrer": "ref", "cs(Referer)": "ref", "cs-uri": "full", "c-uri": "full", "url": "full",
                "cs-uri-query": "query", "c-uri-query": "query", "cs-uri-stem": "path", "c-uri-stem": "path",
                "cs-host": "host", "r-dns": "host", "dst_ip": "host", "c-ip": "ip", "src_ip": "ip"}.get(field, field)

    def finish(self, ev):
        """Coerce slots to what the log format can carry; return (line, view)."""
        if self.kind == "web":
            w = dict(ev)
            if any(k in w for k in ("_u_full", "_u_query", "_u_path", "_u_ext", "_u_host")):
                if "_u_full" in w:
                    base = w["_u_full"]
                else:
                    base = w.get("_u_path", "/p" if "_u_query" not in w else "")
                    if "_u_ext" in w:
                        base += "." + w["_u_ext"]
                    if "_u_host" in w:
                        base = "http://" + w["_u_host"] + base
                if "_u_full" in w and "_u_host" in w:
                    base = "http://" + w["_u_host"] + "/" + base
                if "_u_query" in w:
                    base = (base + "?" if base else "") + w["_u_query"]
                w["request_uri"] = base
            for k in ("request_uri", "referer", "user_agent"):
                w[k] = sanitize(w[k])
            w["request_uri"] = w["request_uri"].replace(" HTTP/", " HTTP_")
            if not re.fullmatch(r"[A-Za-z]+", w["method"]):
                w["method"] = "GET"
            if not re.fullmatch(r"\d{3}", w["status"]):
                w["status"] = "200"
            try:
                ipaddress.ip_address(w["src_ip"])
            except ValueError:
                w["src_ip"] = "198.51.100.7"
            if not re.fullmatch(r"[A-Za-z]+/[0-9.]+", w["server_protocol"]):
                w["server_protocol"] = "HTTP/1.1"
            w["user"] = sanitize(w["user"], " ") or "-"
            w["vhost"] = sanitize(w.get("vhost", ""), " '")
            if w["vhost"] and not re.fullmatch(r"[^\s\"]+", w["vhost"]):
                w["vhost"] = ""
            if ev.get("_kw"):
                w["user_agent"] = sanitize(w["user_agent"] + " " + ev["_kw"])
            if not ev.get("_json"):
                line = web_line(w)
                f = web_fields(w)
                return line, {"_line": line, "fields": f}
            # nginx `log_format ... escape=json` with nginx's variable names
            w["vhost"] = ""
            cookie, ctype = sanitize(ev.get("_cookie", "")), sanitize(ev.get("_ctype", ""))
            line = json.dumps({"remote_addr": w["src_ip"], "remote_user": w["user"], "request_method": w["method"],
                               "request_uri": w["request_uri"], "server_protocol": w["server_protocol"],
                               "status": int(w["status"]), "http_referer": w["referer"],
                               "http_user_agent": w["user_agent"], "http_cookie": cookie, "content_type": ctype})
            f = web_fields(w)
            f["cs-username"] = [None, w["user"]]
            f["cs-cookie"] = f["cs(Cookie)"] = [cookie]
            f["cs-content-type"] = [ctype]
            return line, {"_line": line, "fields": f}
        if self.kind == "auditd":
            pairs = ["type=%s" % sanitize(ev["type"], " =") or "SYSCALL", "msg=audit(1700000000.123:42):"]
            fields = {"type": [ev["type"] and sanitize(ev["type"], " =")]}
            for k, v in ev.items():
                if k in ("type", "_kw") or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", k):
                    continue
                v = sanitize(v)
                fields[k] = [v]
                pairs.append('%s="%s"' % (k, v) if (not v or re.search(r"[\s=']", v)) else "%s=%s" % (k, v))
            if ev.get("_kw"):
                pairs.append("comm=\"%s\"" % sanitize(ev["_kw"]))
                fields.setdefault("comm", [sanitize(ev["_kw"])])
            line = " ".join(pairs)
            return line, {"_line": line, "fields": fields}
        prog = ev["_prog"]
        if self.svc == "sudo":
            u = sanitize(ev["USER"], ";")
            c = sanitize(ev["COMMAND"], ";")
            t = sanitize(ev["TTY"], " ;") or "pts/0"
            p = sanitize(ev["PWD"], ";")
            msg = "   alice : TTY=%s ; PWD=%s ; USER=%s ; COMMAND=%s%s" % (t, p, u, c, (" " + sanitize(ev["_kw"])) if ev["_kw"] else "")
            fields = {"USER": [u], "COMMAND": [c + ((" " + sanitize(ev["_kw"])) if ev["_kw"] else "")], "TTY": [t], "PWD": [p]}
        else:
            msg = "session opened " + sanitize(ev["_kw"])
            fields = {}
        line = "Dec  7 10:00:00 host %s[123]: %s" % (prog, msg)
        ok = self.svc not in SERVICE_PROGS or prog in SERVICE_PROGS[self.svc]
        if self.svc == "sudo" and ok:
            fields["_ok"] = True
        return line, {"_line": line, "fields": fields, "_prog_ok": ok}

    def random_prog(self, ev, rng):
        if self.kind == "linux" and rng.random() < 0.15:
            ev["_prog"] = "kernel"


def ref_match(rule, src, view):
    if src.kind == "linux" and not view.get("_prog_ok", True):
        return False
    return rule_matches(rule, view)


def sel_names(det):
    return [k for k in det if k not in ("condition", "timeframe")]


def cond_with(rule, truth):
    """The rule's condition over given selection truth values."""
    det = rule["detection"]
    fake = {k: (truth[k]) for k in sel_names(det)}
    saved = globals()["sel_matches"]
    globals()["sel_matches"] = lambda sel, ev: sel
    try:
        conds = det["condition"] if isinstance(det["condition"], list) else [det["condition"]]
        return any(eval_cond(c, dict(fake, condition=det["condition"]), None) for c in conds)
    finally:
        globals()["sel_matches"] = saved


def group_items(sel, rng):
    """One alternative of a selection: its (field, mods, values) items."""
    if isinstance(sel, dict):
        return [(parse_key(k)[0], parse_key(k)[1], v if isinstance(v, list) else [v]) for k, v in sel.items()]
    if isinstance(sel, list):
        g = rng.choice(sel)
        return group_items(g, rng) if isinstance(g, dict) else [(None, [], [g])]
    return [(None, [], [sel])]


def compose(parts):
    """Several (mods, value) for one field -> one string satisfying all (best effort)."""
    for mods, v in parts:
        if not any(m in mods for m in ("contains", "startswith", "endswith", "re")) or None is v:
            return v
    if len(parts) == 1:
        return parts[0][1]
    start = [v for m, v in parts if "startswith" in m]
    mid = [v for m, v in parts if "contains" in m or "base64offset" in m or "re" in m]
    end = [v for m, v in parts if "endswith" in m]
    return "".join(start[:1]) + "/".join([""] + mid + [""]) + "".join(end[-1:])


def random_event(rng, rule, src, bias=0.5, want=None):
    det = rule["detection"]
    names = sel_names(det)
    truth = None
    for i in range(200):
        t = {n: rng.random() < bias for n in names}
        if want is None or cond_with(rule, t) == want:
            truth = t
            break
    if truth is None:
        truth = {n: rng.random() < bias for n in names}
    ev = src.base(rng)
    pending = {}
    for n in names:
        if not truth[n]:
            if rng.random() < 0.3:
                for f, mods, vals in group_items(det[n], rng):
                    if f is not None and rng.random() < 0.3:
                        pending.setdefault(src.slot(f), []).append(([], noise(rng)))
            continue
        for f, mods, vals in group_items(det[n], rng):
            if "exists" in mods:
                if vals[0] not in (False, "false"):
                    pending.setdefault(src.slot(f), []).append(([], "x"))
                continue
            chosen = vals if ("all" in mods) else [rng.choice(vals)]
            for v in chosen:
                pending.setdefault(src.slot(f), []).append((mods if "all" not in mods or len(vals) == 1 else mods + ["contains"]
                                                  if not any(m in mods for m in ("startswith", "endswith")) else mods,
                                                  make_value(rng, mods, v)))
    inv = {}
    for f, _, _ in items_of(det):
        inv.setdefault(src.slot(f), f)
    for f, parts in pending.items():
        f = inv.get(f, f)
        if f is None:
            for _, v in parts:
                src.set_field(ev, None, v)
        else:
            src.set_field(ev, f, compose(parts))
    src.random_prog(ev, rng)
    return ev


def near_miss(rng, rule, src, ev):
    """Change one character of one value until the reference no longer fires."""
    keys = [k for k, v in ev.items() if isinstance(v, str) and v and not k.startswith("_prog")]
    rng.shuffle(keys)
    for k in ev:
        if k.startswith("_prog"):
            continue
        for alt in ("x", "zz-other", "", "404", "POST"):
            cand = dict(ev)
            cand[k] = alt
            line, view = src.finish(cand)
            if not ref_match(rule, src, view):
                return cand
    for k in keys:
        v = ev[k]
        for _ in range(6):
            i = rng.randrange(len(v))
            rep = "0" if v[i].isalpha() else "k"
            cand = dict(ev)
            cand[k] = v[:i] + rep + v[i + 1:]
            line, view = src.finish(cand)
            if not ref_match(rule, src, view):
                return cand
    return None


# ---------------------------------------------------------------------------
# ward
# ---------------------------------------------------------------------------

def run_ward(bindir, sigma_paths, lines):
    """Each (file, line) pair -> the set of rules (sigma_file annotations) that tagged it."""
    inp = "".join(json.dumps({"ts": "2024-06-01T00:00:00Z", "labels": {"job": "test"}, "line": l}) + "\n"
                  for _, l in lines)
    args = [os.path.join(bindir, "ward-match"), "-q"]
    for p in sigma_paths:
        args += ["--sigma", p]
    p = subprocess.run(args, input=inp.encode("utf-8", "surrogateescape"), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    if p.returncode != 0:
        sys.exit("sigma: ward-match failed (%d): %s" % (p.returncode, p.stderr.decode()[-2000:]))
    return p.stdout.decode("utf-8", "replace").splitlines()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(TOP, "bin"))
    shared = os.environ.get("WARD_SHARED") or next(
        (d for d in (os.path.join(TOP, "..", "shared"), os.path.join(TOP, "..", "..", "shared")) if os.path.isdir(d)),
        os.path.join(TOP, "..", "shared"))
    ap.add_argument("--corpus", default=os.path.join(shared, "corpus", "sigma"))
    ap.add_argument("--events", type=int, default=24, help="random events per rule")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    if not os.path.isdir(a.corpus):
        print("sigma: %s not found (needs ../shared)" % a.corpus, file=sys.stderr)
        return 2
    rng = random.Random(a.seed)
    wm = os.path.join(a.bin, "ward-match")

    # 1. loading
    p = subprocess.run([wm, "--sigma", a.corpus, "--emit-ruler", "-", "-v"], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    if p.returncode != 0:
        print("sigma: ward-match --sigma failed: %s" % p.stderr.decode()[-2000:])
        return 1
    ruler = yaml.safe_load(p.stdout)
    loaded = {r["annotations"]["sigma_file"]: r for r in ruler["groups"][0]["rules"]}
    refused = {}
    for l in p.stderr.decode().splitlines():
        m = re.match(r"ward-match: debug: sigma: refused: (.*?):(\d+): (.*)$", l)
        if m:
            refused[m.group(1)] = m.group(3)
    rules = {}
    for root, _, files in os.walk(a.corpus):
        for f in sorted(files):
            if f.endswith((".yml", ".yaml")):
                path = os.path.join(root, f)
                with open(path, encoding="utf-8") as fh:
                    docs = [d for d in yaml.safe_load_all(fh) if isinstance(d, dict)]
                if docs:
                    rules[path] = docs[0]
    groups = {"web": [], "linux": [], "auditd": [], "other": []}
    for path, r in rules.items():
        ls = r.get("logsource", {}) or {}
        if ls.get("category") in ("webserver", "proxy"):
            groups["web"].append(path)
        elif ls.get("product") == "linux" and ls.get("service") == "auditd" and not ls.get("category"):
            groups["auditd"].append(path)
        elif ls.get("product") == "linux" and not ls.get("category"):
            groups["linux"].append(path)
        else:
            groups["other"].append(path)
    ok = True
    print("sigma: %d rule files, %d loaded, %d refused" % (len(rules), len(loaded), len(refused)))
    for g, target in (("web", 1.0), ("linux", 0.9), ("auditd", 0.9)):
        n = len(groups[g])
        got = sum(1 for x in groups[g] if x in loaded)
        met = n == 0 or got / n >= target
        ok &= met
        print("  load %-7s %3d/%3d (target %d%%) %s" % (g, got, n, target * 100, "ok" if met else "MISSED"))
        for x in groups[g]:
            if x not in loaded and (a.verbose or g == "web"):
                print("    refused %s: %s" % (os.path.relpath(x, a.corpus), refused.get(x, "?")))
    unexplained = [x for x in rules if x not in loaded and x not in refused]
    if unexplained:
        ok = False
        print("  %d rules neither loaded nor refused with a reason: %s" % (len(unexplained), unexplained[:5]))

    # 2 + 3. events
    cases = []      # (path, kind, line, expect_ref)
    fire_fail = miss_fail = noconstruct = 0
    for path in sorted(loaded):
        rule = rules.get(path)
        if rule is None or "detection" not in rule:
            continue
        src = Source(rule)
        for _ in range(a.events):
            ev = random_event(rng, rule, src, rng.choice([0.3, 0.6, 0.9]))
            line, view = src.finish(ev)
            cases.append((path, "random", line, ref_match(rule, src, view)))
        if src.kind == "web":
            pos = None
            for _ in range(300):
                ev = random_event(rng, rule, src, 0.5, want=True)
                line, view = src.finish(ev)
                if ref_match(rule, src, view):
                    pos = ev
                    break
            if pos is None:
                noconstruct += 1
                print("  could not build a firing event for %s" % os.path.relpath(path, a.corpus))
                continue
            cases.append((path, "fire", src.finish(pos)[0], True))
            nm = near_miss(rng, rule, src, pos)
            if nm is not None:
                cases.append((path, "nearmiss", src.finish(nm)[0], False))
            else:
                print("  no near miss found for %s" % os.path.relpath(path, a.corpus))

    out = run_ward(a.bin, [a.corpus], [(c[0], c[2]) for c in cases])
    tagged = {}
    for l in out:
        e = json.loads(l)
        tagged.setdefault(e["line"], set()).add(e["rule"])
    name_of = {path: r["alert"] for path, r in loaded.items()}
    disagree = {"random": 0, "fire": 0, "nearmiss": 0}
    total = {"random": 0, "fire": 0, "nearmiss": 0}
    shown = 0
    for path, kind, line, want in cases:
        got = name_of[path] in tagged.get(line, set())
        total[kind] += 1
        if got != want:
            disagree[kind] += 1
            if shown < 15 or a.verbose:
                shown += 1
                print("  %s %s: reference %s, ward %s:\n    %s" % (kind, os.path.relpath(path, a.corpus),
                      want, got, line[:300]))
    fire_fail, miss_fail = disagree["fire"], disagree["nearmiss"]
    web_loaded = sum(1 for x in groups["web"] if x in loaded)
    print("  web rules fired by their own items: %d/%d, near misses not fired: %d/%d"
          % (total["fire"] - fire_fail, web_loaded, total["nearmiss"] - miss_fail, total["nearmiss"]))
    pos = sum(1 for c in cases if c[1] == "random" and c[3])
    print("  random events: %d (%d fire per the reference), reference and ward disagree on %d"
          % (total["random"], pos, disagree["random"]))
    ok &= fire_fail == 0 and miss_fail == 0 and disagree["random"] == 0 and noconstruct == 0
    ok &= total["fire"] == web_loaded
    print("sigma: %s" % ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
