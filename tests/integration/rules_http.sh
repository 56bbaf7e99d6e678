#!/usr/bin/env bash
# rules/http.yaml end to end: ward-ingest | ward-match | ward-window over a
# small web log in the servers' real formats (combined, nginx and Apache error
# logs, ModSecurity, Caddy JSON, HAProxy), with attacks and their look-alikes.
# The alerted (rule, source) pairs must be exactly the expected ones: look-alikes
# (one mistyped password, a crawler meeting dead links slowly, a CONNECT a
# real proxy served, a browser preconnect, crafted user names naming another
# address, HAProxy's first challenge and an application's own 401s, Digest
# nonces from before a restart, one reused HTTP/2 connection) must not alert.
. "$(dirname "$0")/../lib.sh"
RULES=$TOP/rules/http.yaml

"$W/ward-match" --test "$RULES" >"$T/t" 2>&1
t_eq "http.yaml samples pass" "$?" 0
t_grep "http.yaml samples summary" '^[0-9]+ tests, [0-9]+ passed, 0 failed$' "$T/t"

# The log, written by each daemon's format with its own time stamp, and the
# same lines as ward events carrying those times (for an ingest that does not
# read these time layouts yet).
python3 - "$T/web.log" "$T/web.events" <<'PY'
import datetime, json, sys
T0 = datetime.datetime(2024, 6, 1, tzinfo=datetime.timezone.utc)
rows = []
def at(sec):
    return T0 + datetime.timedelta(seconds=sec)
def clf(sec, ip, req, status, user="-", ua="Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"):
    t = at(sec)
    rows.append((t, '%s - %s [%s] "%s" %d 153 "-" "%s"' % (ip, user, t.strftime("%d/%b/%Y:%H:%M:%S +0000"), req, status, ua)))
def ngx(sec, msg, ip, level="error", req="GET / HTTP/1.1"):
    t = at(sec)
    rows.append((t, '%s [%s] 1925#1925: *%d %s, client: %s, server: www.example.com, request: "%s", host: "www.example.com"'
                 % (t.strftime("%Y/%m/%d %H:%M:%S"), level, 100 + len(rows), msg, ip, req)))
def apache(sec, mod, ip, port, msg):
    t = at(sec)
    rows.append((t, '[%s.%06d %s] [%s] [pid 10:tid 140120579262208] [client %s:%d] %s'
                 % (t.strftime("%a %b %d %H:%M:%S"), t.microsecond, t.strftime("%Y"), mod, ip, port, msg)))
def caddy(sec, ip, status, basic):
    t = at(sec)
    d = {"level": "error", "ts": t.timestamp() + 0.25, "logger": "http.log.access.log0", "msg": "handled request",
         "request": {"remote_ip": ip, "remote_port": "54462", "client_ip": ip, "proto": "HTTP/1.1", "method": "GET",
                     "host": "www.example.com", "uri": "/", "headers": {"User-Agent": ["curl/8.5.0"]}},
         "user_id": "", "duration": 0.00003, "size": 0, "status": status, "resp_headers": {"Server": ["Caddy"]}}
    if basic:
        d["resp_headers"]["Www-Authenticate"] = ['Basic realm="restricted"']
    rows.append((t, json.dumps(d, separators=(",", ":"))))

# basic-auth guessing in nginx's error log (8 in 40 s)
for i in range(8):
    ngx(10 + 5 * i, 'user "admin": password mismatch', "198.18.0.1")
# ... and Apache's, over IPv6 (7 in 35 s)
for i in range(7):
    apache(20 + 5 * i, "auth_basic:error", "2001:db8:bad::2", 50000 + i, "AH01618: user user%d not found: /private/" % i)
# login form guessing in the access log (6 POSTs answered 401 in 25 s)
for i in range(6):
    clf(30 + 5 * i, "198.18.0.3", "POST /api/login HTTP/1.1", 401)
# wordlist probing: 12 distinct paths answered 404 in 24 s
for i, p in enumerate(["admin.php", "backup.zip", "db.sql", "old/", "test.php", "shell.php", "install.php",
                       "setup.php", "config.php", "phpinfo.php", "debug/", "console"]):
    clf(40 + 2 * i, "198.18.0.4", "GET /%s HTTP/1.1" % p, 404)
# open-proxy probe refused
clf(50, "198.18.0.5", "CONNECT smtp.example.net:25 HTTP/1.1", 400, ua="-")
# TLS handshakes and binary probes on the plain-HTTP port (6 in 1 min)
for i in range(6):
    clf(60 + 10 * i, "198.18.0.6", "\\x16\\x03\\x01\\x00\\xCA\\x01\\x00\\x00\\x%02X" % i, 400, ua="-")
# nginx limit_req rejections (6 in 30 s)
for i in range(6):
    ngx(70 + 5 * i, 'limiting requests, excess: 5.428 by zone "perip"', "198.18.0.7")
# a request ModSecurity blocked (Apache)
apache(80, ":error", "198.18.0.8", 37752, '[client 198.18.0.8] ModSecurity: Access denied with code 403 (phase 2). '
       'Operator GE matched 5 at TX:anomaly_score. [file "/usr/share/modsecurity-crs/rules/REQUEST-949-BLOCKING-EVALUATION.conf"] '
       '[line "93"] [id "949110"] [msg "Inbound Anomaly Score Exceeded (Total Score: 40)"] [severity "CRITICAL"] [uri "/"]')
# Caddy basic-auth challenge answered 401 six times in 6 s
for i in range(6):
    caddy(90 + i, "198.18.0.9", 401, True)
# crafted nginx user names naming 100.64.0.9: lines naming two clients are refused
for i in range(8):
    ngx(100 + i, 'user "x", client: 100.64.0.9, server: y": password mismatch', "198.18.0.10")
# a user name shaped like an address in the combined log: the source is still the first field
for i in range(6):
    clf(110 + 2 * i, "198.18.0.11", "GET /private/ HTTP/1.1", 401, user="100.64.0.9")
# one source switching user agents (12 in 24 s)
for i in range(12):
    clf(120 + 2 * i, "198.18.0.12", "GET / HTTP/1.1", 200, ua="Mozilla/5.0 (compatible; tool/%d.0)" % i)

# the same probes seen by nginx's error log (6 in 1 min)
for i in range(6):
    ngx(130 + 10 * i, "client sent invalid method while reading client request line", "198.18.0.13", level="info",
        req="\\x16\\x03\\x01\\x00\\x%02X" % i)

# ... and by Apache's (request-line errors, 6 in 1 min)
for i in range(6):
    apache(140 + 10 * i, "core:error", "198.18.0.14", 41000 + i, "AH00135: Invalid method in request \\x16\\x03\\x01\\x00\\x%02X" % i)
# a Shellshock header refused by a CGI script's bash (mod_cgi copies bash's stderr)
apache(150, "cgi:error", "198.18.0.15", 42000, "AH01215: /bin/bash: warning: HTTP_USER_AGENT: ignoring function definition attempt: /usr/lib/cgi-bin/status.cgi")
# lighttpd basic-auth guessing (7 in 35 s); the user name names 100.64.0.9, the address ends the line
for i in range(7):
    t = at(160 + 5 * i)
    rows.append((t, "%s: (mod_auth.c.852) password doesn't match for /private/ username: u%d IP: 100.64.0.9 IP: 198.18.0.16"
                 % (t.strftime("%Y-%m-%d %H:%M:%S"), i)))

# HAProxy answering its own basic-auth challenge 12 times in 36 s
def haproxy(sec, ip, srv, timers, status):
    t = at(sec)
    rows.append((t, '%s lb1 haproxy[760]: %s:%d [%s.608] main %s %s %d 248 - - PR-- 0/0/0/0/0 0/0 "GET / HTTP/1.1"'
                 % (t.strftime("%b %e %H:%M:%S"), ip, 50000 + len(rows), t.strftime("%d/%b/%Y:%H:%M:%S"), srv, timers, status)))
for i in range(12):
    haproxy(170 + 3 * i, "198.18.0.17", "main/<NOSRV>", "-1/-1/-1/-1/0", 401)
# forged Digest nonces (a nonce from the future, 6 in 30 s)
for i in range(6):
    apache(180 + 5 * i, "auth_digest:error", "198.18.0.18", 45000 + i,
           "AH01777: invalid nonce 59QJppTiBAA=b08983fd166ade9840407df1b0f75b9e6e07d%02d received - user attempted time travel" % i)
# mod_evasive refusing a flooding client (6 in 12 s)
for i in range(6):
    apache(190 + 2 * i, "evasive20:error", "198.18.0.19", 46000 + i, "client denied by server configuration: /var/www/html/index.php")
# SNI naming another host than Host, 11 times in 2 min (a scanner walking virtual hosts)
for i in range(11):
    apache(200 + 10 * i, "ssl:error", "198.18.0.20", 47000 + i,
           "AH02032: Hostname www.example.com provided via SNI and hostname h%d.example.com provided via HTTP have no compatible SSL setup" % i)

# look-alikes
for i in range(3):                                                    # HAProxy: a browser's challenge and two typos
    haproxy(172 + 5 * i, "100.64.0.6", "main/<NOSRV>", "-1/-1/-1/-1/0", 401)
for i in range(12):                                                   # the application's own 401s behind HAProxy
    haproxy(171 + 3 * i, "100.64.0.8", "app/app1", "10/0/1/2/13", 401)
for i in range(6):                                                    # every client's nonce after a restart
    apache(182 + 5 * i, "auth_digest:error", "100.64.0.6", 48000 + i,
           "AH01776: invalid nonce b9YAiJDiBAZZZ1b1abe02d2006%02d received - hash is not d42d824dee7aaf50c3ba0a7c6290bd453e3dd35b" % i)
for i in range(2):                                                    # an HTTP/2 connection reused across two sites
    apache(205 + 30 * i, "ssl:error", "100.64.0.6", 49000 + i,
           "AH02032: Hostname www.example.com provided via SNI and hostname shop.example.com provided via HTTP have no compatible SSL setup")
apache(145, "core:error", "100.64.0.4", 43000, "AH00135: Invalid method in request \\x16\\x03\\x01")   # https:// on port 80, once
apache(155, "cgi:error", "100.64.0.5", 44000, "AH01215: /bin/bash: warning: MY_VAR: ignoring function definition attempt: /usr/lib/cgi-bin/status.cgi")
clf(15, "100.64.0.1", "GET /private/ HTTP/1.1", 401)                 # browser's first request
clf(17, "100.64.0.1", "GET /private/ HTTP/1.1", 401, user="alice")   # one mistyped password
clf(19, "100.64.0.1", "GET /private/ HTTP/1.1", 200, user="alice")
ngx(18, 'user "alice": password mismatch', "100.64.0.1")
apache(25, "auth_basic:error", "100.64.0.1", 40000, "AH01618: user alise not found: /private/")
for i in range(12):                                                   # a crawler meeting dead links, one a minute
    clf(200 + 60 * i, "100.64.0.2", "GET /blog/gone-%d HTTP/1.1" % i, 404,
        ua="Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")
for i in range(12):                                                   # a page with broken images
    clf(30 + i, "100.64.0.2", "GET /img/missing-%d.png HTTP/1.1" % i, 404)
clf(55, "100.64.0.3", "CONNECT www.example.net:443 HTTP/1.1", 200)   # a real forward proxy
clf(65, "100.64.0.4", "\\x16\\x03\\x01\\x00\\xCA", 400, ua="-")       # https:// typed on port 80, once
ngx(65, "client sent invalid method while reading client request line", "100.64.0.4", level="info", req="\\x16\\x03\\x01")
for i in range(4):
    clf(66 + i, "100.64.0.4", "-", 408, ua="-")                       # browser preconnects
caddy(95, "100.64.0.5", 401, True)                                    # one challenge
for i in range(6):
    caddy(96 + i, "100.64.0.5", 401, False)                           # token API without a Basic challenge
for i in range(5):
    ngx(75 + 5 * i, 'limiting requests, excess: 1.000 by zone "perip"', "100.64.0.7")
ngx(76, 'delaying request, excess: 0.500, by zone "perip"', "100.64.0.7", level="warn")

rows.sort(key=lambda r: r[0])
with open(sys.argv[1], "w") as f, open(sys.argv[2], "w") as g:
    for t, line in rows:
        f.write(line + "\n")
        g.write(json.dumps({"v": 1, "ts": t.strftime("%Y-%m-%dT%H:%M:%S.%f000Z"), "labels": {"job": "web"},
                            "line": line, "fields": {}}) + "\n")
PY

# Feed the text itself when ward-ingest --ts auto reads every time layout of
# it (nginx, Apache, CLF, Caddy's epoch); until then, the same lines as events.
"$W/ward-ingest" --ts auto --label job=web --now 2026-01-01T00:00:00Z "$T/web.log" >/dev/null 2>"$T/ierr"
if [ "$(t_counter "$T/ierr" ts_fallback)" = 0 ]; then
	src=(--ts auto --label job=web --now 2026-01-01T00:00:00Z "$T/web.log")
else
	src=(--format events "$T/web.events")
fi
"$W/ward-ingest" "${src[@]}" 2>/dev/null | "$W/ward-match" --rules "$RULES" 2>"$T/merr" |
	"$W/ward-window" --rules "$RULES" >"$T/alerts" 2>"$T/werr"
pairs() { grep '"state":"firing"' "$T/alerts" | python3 -c '
import json, sys
for l in sys.stdin:
    a = json.loads(l)["alert"]
    print("%s %s" % (a["rule"], a["key"].get("src_ip", "")))' | sort -u; }

cat >"$T/want" <<'EOF'
HTTPAuthBruteForce 198.18.0.11
HTTPAuthBruteForce 198.18.0.3
HTTPAuthBruteForce 198.18.0.9
HTTPBasicAuthBruteForce 198.18.0.1
HTTPBasicAuthBruteForce 2001:db8:bad::2
HTTPBasicAuthBruteForce 198.18.0.16
ApacheInvalidRequests 198.18.0.14
ApacheEvasiveDoS 198.18.0.19
ApacheTLSHostMismatches 198.18.0.20
HAProxyAuthBruteForce 198.18.0.17
HTTPBasicAuthBruteForce 198.18.0.18
CGIShellshock 198.18.0.15
HTTPDoSSwitchingUA 198.18.0.12
HTTPMalformedRequests 198.18.0.6
HTTPOpenProxy 198.18.0.5
HTTPProbing 198.18.0.4
ModSecurityBlock 198.18.0.8
NginxRequestLimitExceeded 198.18.0.7
NginxInvalidRequests 198.18.0.13
EOF
sort -o "$T/want" "$T/want"
pairs >"$T/got"
t_files_eq "alerted (rule, source) pairs are exactly the attacks" "$T/want" "$T/got"
t_eq "no look-alike source (100.64.0.0/24) alerts" "$(grep -c ' 100\.64\.0\.' "$T/got")" 0
t_eq "a crafted user name never becomes the alerted source" "$(grep -c '"src_ip":"100\.64\.0\.9"' "$T/alerts")" 0
t_eq "every alert names its source" "$(grep '"state":"firing"' "$T/alerts" | grep -vc '"key":{"src_ip":"[0-9a-f:.]*"}')" 0
t_grep "alerts carry the rule's MITRE technique" '"mitre_technique":"T1110.001"' "$T/alerts"
