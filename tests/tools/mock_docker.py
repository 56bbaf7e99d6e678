#!/usr/bin/env python3
"""Mock Docker Engine API on a unix socket, for ward-respond's docker backend.

  mock_docker.py SOCKET CONTAINER NETNS LOG

Implements the calls the backend makes (exec create, exec start, exec
inspect, and container inspect: always running, with a fixed pid). "Running" the command means running its argv inside network
namespace NETNS (ip netns exec, no shell), so a test can check the real
firewall. Each exec'd argv is appended to LOG as one JSON array per line.
Unknown containers get 404, as the real engine answers; the first inspect of
each exec says it is still running, as the real engine may.
"""
import http.server, json, os, re, secrets, socketserver, subprocess, sys

SOCK, CONTAINER, NETNS, LOG = sys.argv[1:5]
execs = {}


class Handler(http.server.BaseHTTPRequestHandler):
    def reply(self, code, obj=None, raw=b""):
        body = json.dumps(obj).encode() if obj is not None else raw
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return json.loads(self.rfile.read(n) or b"{}")

    def do_POST(self):
        m = re.fullmatch(r"/v1\.41/containers/([^/]+)/exec", self.path)
        if m:
            if m.group(1) != CONTAINER:
                return self.reply(404, {"message": "No such container: " + m.group(1)})
            req = self.body()
            cmd = req.get("Cmd")
            if not (isinstance(cmd, list) and all(isinstance(a, str) for a in cmd)):
                return self.reply(400, {"message": "bad Cmd"})
            eid = secrets.token_hex(32)
            execs[eid] = {"cmd": cmd, "code": None}
            return self.reply(201, {"Id": eid})
        m = re.fullmatch(r"/v1\.41/exec/([0-9a-f]+)/start", self.path)
        if m and m.group(1) in execs:
            self.body()
            e = execs[m.group(1)]
            with open(LOG, "a") as f:
                f.write(json.dumps(e["cmd"]) + "\n")
            p = subprocess.run(["ip", "netns", "exec", NETNS] + e["cmd"], capture_output=True)
            e["code"] = p.returncode
            return self.reply(200, raw=p.stdout + p.stderr)
        return self.reply(404, {"message": "not found"})

    def do_GET(self):
        m = re.fullmatch(r"/v1\.41/containers/([^/]+)/json", self.path)
        if m:
            if m.group(1) != CONTAINER:
                return self.reply(404, {"message": "No such container: " + m.group(1)})
            return self.reply(200, {"Id": "0" * 64, "State": {"Status": "running", "Running": True, "Pid": 4242}})
        m = re.fullmatch(r"/v1\.41/exec/([0-9a-f]+)/json", self.path)
        if m and m.group(1) in execs:
            e = execs[m.group(1)]
            # The engine may still say "running" just after start returned.
            e["inspected"] = e.get("inspected", 0) + 1
            if e["inspected"] == 1:
                return self.reply(200, {"ExitCode": 0, "Running": True})
            return self.reply(200, {"ExitCode": e["code"], "Running": False})
        return self.reply(404, {"message": "not found"})

    def address_string(self):
        return "unix"

    def log_message(self, *a):
        pass


class Server(socketserver.UnixStreamServer):
    def get_request(self):
        conn, _ = super().get_request()
        return conn, ("unix", 0)


if os.path.exists(SOCK):
    os.unlink(SOCK)
Server(SOCK, Handler).serve_forever()
