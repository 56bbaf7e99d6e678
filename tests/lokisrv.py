#!/usr/bin/env python3
"""lokisrv.py - a Loki test server for ward's tests (no Loki package exists here).

Implements, following Loki's documented HTTP API:
  POST /loki/api/v1/push         JSON body; Content-Encoding gzip, deflate or none
  GET  /loki/api/v1/query_range  log queries (resultType "streams"), forward and
                                 backward, start inclusive, end exclusive, limit
  GET  /ready                    200
Test controls (not Loki):
  POST /test/fail?status=429&count=N   answer the next N push requests with status
  POST /test/delay?seconds=S           sleep S seconds before answering each push
  GET  /test/stats                     JSON counters and the status of every push
  GET  /test/dump                      every stored entry as NDJSON
                                       {"tenant","labels","ts","line"}

Validation as Loki's distributor: a body that is not JSON, or a timestamp that
is a JSON number instead of a string, fails the whole request with 400 and
nothing is stored. Per-entry checks (more than 10 minutes in the future
(creation_grace_period), older than 1 week (reject_old_samples_max_age), a line
over 256 KiB (max_line_size), a stream without labels or with a bad label
name) reject only those entries: the valid ones are stored, then 400 with a
text body naming the rejected ones. Success is 204. Tenants come from
X-Scope-OrgID ("fake" without it). Identical (labels, ts, line) entries are
stored once, as Loki deduplicates them at query time.

Not modelled: protobuf/snappy push, structured metadata (a third value
element is accepted and dropped), LogQL beyond a stream selector with
=, !=, =~, !~ matchers and |= / != line filters, metric queries, query,
labels, series, tail endpoints, rate limits (429 only by injection),
out-of-order windows per stream, label count/length limits, service_name
injection, multi-tenant queries (t1|t2), query splitting and result caps
other than limit <= 5000.

Usage: lokisrv.py --port-file FILE [--fail STATUS:N] [--delay S]
                  [--basic USER:PASS] [--bearer TOKEN] [--require-tenant]
"""
import argparse
import base64
import gzip
import json
import re
import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

NS = 1_000_000_000
LABEL_RE = re.compile(r'^[a-zA-Z_][a-zA-Z0-9_]*$')
MAX_LINE = 256 * 1024
GRACE_NS = 10 * 60 * NS
MAX_AGE_NS = 7 * 24 * 3600 * NS


class Store:
    def __init__(self):
        self.lock = threading.Lock()
        self.entries = {}      # tenant -> {(labels_tuple, ts, line)}
        self.fail_status = 0
        self.fail_count = 0
        self.delay = 0.0
        self.stats = {"push_requests": 0, "pushed_entries": 0, "stored_entries": 0,
                      "gzip_requests": 0, "query_requests": 0, "statuses": [],
                      "max_request_entries": 0, "tenants": [], "auth_failures": 0}


STORE = Store()
ARGS = None


def parse_ts(s, now_ns):
    """Loki's parseTimestamp: float seconds, <=10 digits seconds, else ns, else RFC3339."""
    if s is None or s == "":
        return now_ns
    if "." in s and re.fullmatch(r'\d+\.\d+', s):
        return int(round(float(s) * 1000)) * 1_000_000
    if re.fullmatch(r'\d+', s):
        return int(s) * NS if len(s) <= 10 else int(s)
    from datetime import datetime
    m = re.fullmatch(r'(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)', s)
    if not m:
        raise ValueError("cannot parse %r to a valid timestamp" % s)
    base = datetime.fromisoformat(m.group(1) + (m.group(3).replace("Z", "+00:00")))
    frac = (m.group(2) or ".")[1:]
    return int(base.timestamp()) * NS + int((frac + "000000000")[:9] or 0)


def parse_selector(q):
    """{a="b", c=~"re"} |= "x" != "y"  ->  (matchers, filters)"""
    q = q.strip()
    m = re.match(r'\{(.*?)\}', q, re.S)
    if not m:
        raise ValueError("parse error: queries require at least one matcher")
    matchers = []
    for mm in re.finditer(r'\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*,?', m.group(1)):
        matchers.append((mm.group(1), mm.group(2), json.loads('"%s"' % mm.group(3))))
    if not matchers:
        raise ValueError("parse error: queries require at least one matcher")
    rest = q[m.end():]
    filters = []
    for fm in re.finditer(r'\s*(\|=|!=)\s*"((?:[^"\\]|\\.)*)"', rest):
        filters.append((fm.group(1), json.loads('"%s"' % fm.group(2))))
    return matchers, filters


def labels_match(labels, matchers):
    for name, op, val in matchers:
        have = labels.get(name, "")
        if op == "=" and have != val:
            return False
        if op == "!=" and have == val:
            return False
        if op == "=~" and not re.fullmatch(val, have):
            return False
        if op == "!~" and re.fullmatch(val, have):
            return False
    return True


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def reply(self, status, body=b"", ctype="text/plain; charset=utf-8"):
        if isinstance(body, str):
            body = body.encode()
        self.send_response(status)
        if status != 204:
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
        else:
            self.send_header("Content-Length", "0")
        self.end_headers()
        if status != 204:
            self.wfile.write(body)

    def tenant(self):
        return self.headers.get("X-Scope-OrgID") or "fake"

    def authorized(self):
        if ARGS.require_tenant and not self.headers.get("X-Scope-OrgID"):
            self.reply(401, "no org id\n")
            return False
        want = None
        if ARGS.basic:
            want = "Basic " + base64.b64encode(ARGS.basic.encode()).decode()
        elif ARGS.bearer:
            want = "Bearer " + ARGS.bearer
        if want and self.headers.get("Authorization") != want:
            with STORE.lock:
                STORE.stats["auth_failures"] += 1
            self.reply(401, "unauthorized\n")
            return False
        return True

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n)

    # ---- push ---------------------------------------------------------
    def do_POST(self):
        u = urlparse(self.path)
        qs = parse_qs(u.query)
        if u.path == "/test/fail":
            body = self.read_body()
            with STORE.lock:
                STORE.fail_status = int(qs["status"][0])
                STORE.fail_count = int(qs["count"][0])
            return self.reply(200, "ok\n")
        if u.path == "/test/delay":
            self.read_body()
            with STORE.lock:
                STORE.delay = float(qs["seconds"][0])
            return self.reply(200, "ok\n")
        if u.path != "/loki/api/v1/push":
            self.read_body()
            return self.reply(404, "404 page not found\n")
        body = self.read_body()
        if not self.authorized():
            return
        status, text = self.push(body)
        with STORE.lock:
            STORE.stats["statuses"].append(status)
        if STORE.delay:
            time.sleep(STORE.delay)
        self.reply(status, text)

    def push(self, raw):
        with STORE.lock:
            STORE.stats["push_requests"] += 1
            if STORE.fail_count > 0:
                STORE.fail_count -= 1
                return STORE.fail_status, "injected failure\n"
        enc = (self.headers.get("Content-Encoding") or "").lower()
        try:
            if enc == "gzip":
                raw = gzip.decompress(raw)
                with STORE.lock:
                    STORE.stats["gzip_requests"] += 1
            elif enc == "deflate":
                raw = zlib.decompress(raw)
            elif enc not in ("", "snappy"):
                return 400, 'Content-Encoding "%s" not supported\n' % enc
        except Exception as e:  # noqa: BLE001
            return 400, "decompress: %s\n" % e
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        if ctype != "application/json":
            return 415, "only application/json is modelled\n"
        try:
            req = json.loads(raw)
            streams = req["streams"]
            for s in streams:
                for v in s.get("values", []):
                    if not isinstance(v[0], str):
                        raise ValueError("timestamp is a JSON %s, not a string" % type(v[0]).__name__)
                    if not isinstance(v[1], str):
                        raise ValueError("line is not a string")
        except Exception as e:  # noqa: BLE001
            return 400, "loghttp.PushRequest: %s\n" % e
        return self.store(streams)

    def store(self, streams):
        now = time.time_ns()
        errors = []
        stored = 0
        total = 0
        tenant = self.tenant()
        with STORE.lock:
            bucket = STORE.entries.setdefault(tenant, {})
            if tenant not in STORE.stats["tenants"]:
                STORE.stats["tenants"].append(tenant)
            for s in streams:
                labels = s.get("stream") or {}
                values = s.get("values", [])
                total += len(values)
                key = tuple(sorted(labels.items()))
                bad = [n for n in labels if not LABEL_RE.match(n) or n.startswith("__")]
                if not labels or bad:
                    errors.append("error at least one label pair is required per stream"
                                  if not labels else "invalid label name %s" % bad[0])
                    continue
                for v in values:
                    try:
                        ts = int(v[0])
                    except ValueError:
                        errors.append("bad timestamp %r" % v[0])
                        continue
                    line = v[1]
                    lbl = "{%s}" % ", ".join('%s="%s"' % kv for kv in key)
                    if ts > now + GRACE_NS:
                        errors.append("entry for stream '%s' has timestamp too new: %d" % (lbl, ts))
                        continue
                    if ts < now - MAX_AGE_NS:
                        errors.append("entry for stream '%s' has timestamp too old: %d" % (lbl, ts))
                        continue
                    if len(line.encode()) > MAX_LINE:
                        errors.append("max entry size '%d' bytes exceeded for stream '%s'" % (MAX_LINE, lbl))
                        continue
                    if (key, ts, line) not in bucket:
                        bucket[(key, ts, line)] = len(bucket)
                        stored += 1
            STORE.stats["pushed_entries"] += total
            STORE.stats["stored_entries"] += stored
            STORE.stats["max_request_entries"] = max(STORE.stats["max_request_entries"], total)
        if errors:
            return 400, "\n".join(errors) + "\n"
        return 204, ""

    # ---- query --------------------------------------------------------
    def do_GET(self):
        u = urlparse(self.path)
        qs = {k: v[-1] for k, v in parse_qs(u.query, keep_blank_values=True).items()}
        if u.path == "/ready":
            return self.reply(200, "ready\n")
        if u.path == "/test/stats":
            with STORE.lock:
                return self.reply(200, json.dumps(STORE.stats) + "\n", "application/json")
        if u.path == "/test/dump":
            out = []
            with STORE.lock:
                for tenant, bucket in STORE.entries.items():
                    for (key, ts, line) in sorted(bucket, key=lambda e: (e[1], bucket[e])):
                        out.append(json.dumps({"tenant": tenant, "labels": dict(key),
                                               "ts": str(ts), "line": line}))
            return self.reply(200, "".join(o + "\n" for o in out), "application/x-ndjson")
        if u.path != "/loki/api/v1/query_range":
            return self.reply(404, "404 page not found\n")
        if not self.authorized():
            return
        with STORE.lock:
            STORE.stats["query_requests"] += 1
        try:
            status, body = self.query_range(qs)
        except ValueError as e:
            status, body = 400, str(e) + "\n"
        self.reply(status, body, "application/json" if status == 200 else "text/plain; charset=utf-8")

    def query_range(self, qs):
        now = time.time_ns()
        if "query" not in qs:
            raise ValueError("parse error : syntax error: unexpected $end")
        matchers, filters = parse_selector(qs["query"])
        end = parse_ts(qs.get("end"), now)
        start = parse_ts(qs["start"], now) if "start" in qs else end - 3600 * NS
        limit = int(qs.get("limit", "100"))
        if limit > 5000:
            raise ValueError("max entries limit per query exceeded, limit > max_entries_limit_per_query (%d > 5000)" % limit)
        if limit <= 0:
            raise ValueError("limit must be a positive value")
        direction = qs.get("direction", "backward").lower()
        if direction not in ("forward", "backward"):
            raise ValueError("invalid direction")
        if end < start:
            raise ValueError("invalid start and end")
        with STORE.lock:
            bucket = dict(STORE.entries.get(self.tenant(), {}))
        sel = []
        for (key, ts, line), seq in bucket.items():
            if not (start <= ts < end):
                continue
            if not labels_match(dict(key), matchers):
                continue
            ok = all((line.find(v) >= 0) == (op == "|=") for op, v in filters)
            if ok:
                sel.append((ts, seq, key, line))
        sel.sort(key=lambda e: (e[0], e[1]), reverse=(direction == "backward"))
        sel = sel[:limit]
        streams = {}
        for ts, _, key, line in sel:
            streams.setdefault(key, []).append([str(ts), line])
        result = [{"stream": dict(k), "values": v} for k, v in streams.items()]
        return 200, json.dumps({"status": "success", "data": {
            "resultType": "streams", "result": result,
            "stats": {"summary": {"totalLinesProcessed": len(sel)}}}})


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--fail", default="")
    ap.add_argument("--delay", type=float, default=0.0)
    ap.add_argument("--basic", default="")
    ap.add_argument("--bearer", default="")
    ap.add_argument("--require-tenant", action="store_true")
    ARGS = ap.parse_args()
    if ARGS.fail:
        st, n = ARGS.fail.split(":")
        STORE.fail_status, STORE.fail_count = int(st), int(n)
    STORE.delay = ARGS.delay
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    tmp = ARGS.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    import os
    os.rename(tmp, ARGS.port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
