#!/usr/bin/env python3
"""Writes rules/http.yaml: HTTP behaviour (brute force, probing, crawling, DoS
patterns, protocol abuse) in web-server access logs and ERROR logs (nginx,
Apache httpd, ModSecurity, Caddy, Traefik).

Attack signatures inside URIs and user agents (SQLi, XSS, traversal, CVE
probes, scanner user agents) are rules/web.yaml's (rules/gen_web.py); this
pack looks at what a source *does*: how often, how many distinct paths or
user agents, which status codes, which protocol errors the server logged.

Every rule takes src_ip from the position where the daemon writes the client
address, never from text the client chose (URI, user name, user agent,
headers); the samples include crafted lines that try to name a victim.

Run it after editing a table: python3 rules/gen_http.py
"""
import json
import os

import genlib

# The log formats: where each server's line starts and writes the client.
from httplog import (IP, ACCESS_ANY, access_pipeline, NGX_HDR, NGX_CLIENT, NGX_ONE_CLIENT, APACHE_PROGS, APACHE24,
                     APACHE24_V4, apache_stages, bq, dq, syslog_prefix)

PATH = '| label_format path=`{{ regexReplaceAll "[?#].*" .uri "" }}`'
# Static resources (CrowdSec's static_ressource idea): never probing or DoS.
NOT_STATIC = r'path !~ `(?i).*\.(?:css|js|mjs|map|png|jpe?g|gif|ico|svg|webp|avif|bmp|tiff?|woff2?|ttf|otf|eot|mp4|webm|mp3|ogg|wav|flac|m4a)`'


# ---------------------------------------------------------------------------
# Sample lines, written from each daemon's format
# ---------------------------------------------------------------------------
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"


def clf(ip, req, status, ua=BROWSER, user="-", vhost=None, size=153, ref="-"):
    pre = (vhost + " ") if vhost else ""
    return '%s%s - %s [01/Jun/2024:00:00:00 +0000] "%s" %d %d "%s" "%s"' % (pre, ip, user, req, status, size, ref, ua)


def common(ip, req, status, user="-"):
    return '%s - %s [01/Jun/2024:00:00:00 +0000] "%s" %d 153' % (ip, user, req, status)


def njson(ip, method, uri, status, ua=BROWSER, user="", proto="HTTP/1.1"):
    d = {"time_iso8601": "2024-06-01T00:00:00+00:00", "remote_addr": ip, "remote_user": user,
         "request_method": method, "request_uri": uri, "server_protocol": proto, "status": status,
         "body_bytes_sent": 153, "request_time": 0.004, "http_referer": "", "http_user_agent": ua,
         "host": "www.example.com"}
    return json.dumps(d, separators=(",", ":"))


def caddy(ip, method, uri, status, ua="curl/8.5.0", basic=False, user="", client_ip=None):
    d = {"level": "error" if status >= 400 else "info", "ts": 1717200000.123456,
         "logger": "http.log.access.log0", "msg": "handled request",
         "request": {"remote_ip": ip, "remote_port": "54462", "client_ip": client_ip or ip, "proto": "HTTP/1.1",
                     "method": method, "host": "www.example.com", "uri": uri,
                     "headers": {"User-Agent": [ua], "Accept": ["*/*"]}},
         "bytes_read": 0, "user_id": user, "duration": 0.000034, "size": 0, "status": status,
         "resp_headers": {"Server": ["Caddy"]}}
    if basic:
        d["resp_headers"]["Www-Authenticate"] = ['Basic realm="restricted"']
    return json.dumps(d, separators=(",", ":"))


def traefik(ip, method, path, status, ua="curl/8.5.0", user="-"):
    d = {"ClientAddr": ip + ":51234", "ClientHost": ip, "ClientPort": "51234", "ClientUsername": user,
         "DownstreamContentSize": 17, "DownstreamStatus": status, "Duration": 120000, "RequestHost": "app.example.com",
         "RequestMethod": method, "RequestPath": path, "RequestProtocol": "HTTP/1.1", "RouterName": "app@docker",
         "entryPointName": "websecure", "level": "info", "msg": "", "request_User-Agent": ua,
         "time": "2024-06-01T00:00:00Z"}
    return json.dumps(d, separators=(",", ":"))


def ngx(msg, ip, level="error", req="GET / HTTP/1.1", server="www.example.com", tail=', host: "www.example.com"'):
    return '2024/06/01 00:00:00 [%s] 1925#1925: *17 %s, client: %s, server: %s, request: "%s"%s' % (
        level, msg, ip, server, req, tail)


def apache(module_level, ip, msg, port=50229):
    return '[Sat Jun 01 00:00:00.880562 2024] [%s] [pid 10:tid 140120579262208] [client %s:%d] %s' % (
        module_level, ip, port, msg)


# ---------------------------------------------------------------------------
# Behaviours on access logs (the same filter in every format).
# ---------------------------------------------------------------------------

LOGIN_PATH = r'(?i).*/(?:[\w.-]*[-_.])?(?:log-?in|sign-?in|sign_in|logon|authenticate|j_security_check|session|sessions|wp-login|xmlrpc)(?:\.\w{2,4})?/?'

AUTH_FAIL = 'status = "401" and user !~ "-?" or method = "POST" and status =~ "40[13]" or status = "401" and caddy_auth =~ "(?i)basic.*"'
WP_FAIL = r'method = "POST", status = "200", uri =~ `.*/(?:wp-login|xmlrpc)\.php(?:[?#].*)?`'
# A request target is a path (/...), an absolute URI (scheme://), an
# authority (host:port, CONNECT) or * (OPTIONS, PRI): `GET stager HTTP/1.1`
# (a scan for Metasploit and Cobalt Strike stagers) is none of them.
MALFORMED = r'request != "", request != "-", request !~ `[A-Z][A-Z_-]* (?:/|\*|[A-Za-z][A-Za-z0-9+.-]*://|[^\s/]+:\d+(?: |$)).*`'
BAD_VERSION = r'proto =~ `HTTP/.*`, proto !~ `HTTP/(?:0\.9|1\.[01]|2(?:\.0)?|3(?:\.0)?)`'
OLD_VERSION_400 = r'status = "400", proto =~ `HTTP/(?:0\.9|1\.0)`'
# An origin server refuses a proxy request with 400/405 (CrowdSec's pair),
# 403 or 501, or serves the absolute URI as one of its own paths and answers
# 404 (nginx's default server does: `GET http://example.com/` 404 and proxy
# judges such as `GET http://httpheader.net/azenv.php` 404 on a real site).
OPEN_PROXY = r'status =~ "40[0345]|501", (method = "CONNECT" or uri =~ `(?i)https?://.*`)'
PROBE_STATUS = 'status =~ "40[034]|410"'
# (Line filters below write {6}[0-9]* rather than {6,16}: ward-match reads
# the text inside {m,n} of a `|~` filter as a required literal today.)
CACHE_BYPASS = r'method = "GET", uri =~ `[^?#]*\?[0-9]{6,16}`'

SEV_RANK = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}

# Each entry: name, severity, tactic, technique, prefilter, filter (after the
# normalisation), summary, description, match samples, nomatch samples.
# Samples are (line, expected fields or None).
A_IP = "198.18.0.9"
GOOD = "100.64.0.7"

TAGS_ACCESS = [
    ("HTTPAuthFailure", "info", "credential-access", "T1110.001",
     r'" 40[13] |"(?:status|DownstreamStatus)":40[13]', AUTH_FAIL,
     "HTTP authentication failure for {{ $labels.user }} from {{ $labels.src_ip }} ({{ $labels.method }} {{ $labels.uri }})",
     "Access log: a 401 answer to a request that carried credentials (the log's user field is set), a 401 or 403 answer "
     "to a POST (a login form or API login), or a 401 with a Basic challenge (Caddy). A 401 without credentials (a browser's "
     "first request to a protected page) is not one.",
     [(clf(A_IP, "GET /private/ HTTP/1.1", 401, user="admin"), {"src_ip": A_IP, "user": "admin", "status": "401"}),
      (clf(A_IP, "POST /client HTTP/1.1", 401, user="test"), {"src_ip": A_IP, "method": "POST"}),
      (common(A_IP, "POST /api/login HTTP/1.1", 403), {"src_ip": A_IP, "status": "403"}),
      (clf(A_IP, "GET /private/ HTTP/1.1", 401, user="root", vhost="www.example.com:443"), {"src_ip": A_IP, "vhost": "www.example.com:443"}),
      (njson(A_IP, "GET", "/private/", 401, user="admin"), {"src_ip": A_IP, "user": "admin"}),
      (caddy("127.0.0.1", "GET", "/", 401, basic=True), {"src_ip": "127.0.0.1", "status": "401"}),
      (caddy("10.0.0.5", "GET", "/", 401, basic=True, client_ip=A_IP), {"src_ip": A_IP}),
      (traefik(A_IP, "POST", "/login", 401), {"src_ip": A_IP, "method": "POST"}),
      ("Jun  1 00:00:00 web1 nginx: " + clf(A_IP, "POST /login HTTP/1.1", 401), {"src_ip": A_IP}),
      ("<190>1 2024-06-01T00:00:00+00:00 web1 nginx - - - " + clf(A_IP, "POST /login HTTP/1.1", 401), {"src_ip": A_IP}),
      ("apache2[812]: " + clf(A_IP, "POST /login HTTP/1.1", 401), {"src_ip": A_IP}),
      # a user name cannot move the address: it is the fourth token, not the first
      (clf(A_IP, "GET / HTTP/1.1", 401, user="192.0.2.1"), {"src_ip": A_IP, "user": "192.0.2.1"})],
     [clf(GOOD, "GET /private/ HTTP/1.1", 401),
      clf(GOOD, "POST /login HTTP/1.1", 302),
      clf(GOOD, "GET /private/ HTTP/1.1", 200, user="alice"),
      njson(GOOD, "GET", "/api/v1/users/me", 401),
      caddy(GOOD, "GET", "/", 401),
      clf(GOOD, 'GET /x\\" 401 1 \\"-\\" \\"-\\" HTTP/1.1', 200),
      # another program's message shaped like an access line
      "myapp: " + clf(A_IP, "POST /login HTTP/1.1", 401)]),
    ("HTTPWordPressLoginFailure", "low", "credential-access", "T1110.001",
     r'wp-login\.php|xmlrpc\.php', WP_FAIL,
     "WordPress login POST answered 200 for {{ $labels.src_ip }} ({{ $labels.uri }})",
     "POST to wp-login.php or xmlrpc.php answered 200: WordPress answers a failed login by showing the form again "
     "(200) and a successful one with a redirect (302); xmlrpc.php answers every call 200 (system.multicall carries many "
     "passwords per request).",
     [(clf(A_IP, "POST /wp-login.php HTTP/1.1", 200), {"src_ip": A_IP}),
      (clf(A_IP, "POST /blog/xmlrpc.php HTTP/1.1", 200), {"src_ip": A_IP}),
      (njson(A_IP, "POST", "/wp-login.php?redirect_to=%2Fwp-admin%2F", 200), {"src_ip": A_IP})],
     [clf(GOOD, "POST /wp-login.php HTTP/1.1", 302),
      clf(GOOD, "GET /wp-login.php HTTP/1.1", 200),
      clf(GOOD, "POST /search?q=wp-login.php HTTP/1.1", 200)]),
    ("HTTPMalformedRequest", "info", "reconnaissance", "T1595",
     r'\] "(?:[^A-Z"]|[A-Z]+[^A-Z ]|[A-Z]+ [^/*])', MALFORMED,
     "malformed HTTP request line from {{ $labels.src_ip }}: {{ $labels.request }}",
     "The logged request line is not METHOD URI [HTTP/x.y]: TLS handshakes to a plain-HTTP port (\\x16\\x03\\x01), "
     "binary RAT and botnet probes, bare words, a request target that is no path, URI, authority or * (GET stager). An empty request (\"-\": a browser's preconnect that sent nothing) is not one.",
     [(clf("1.2.3.4", "\\x16\\x03\\x01\\x00\\xCA\\x01\\x00\\x00\\xC6\\x03\\x03", 400, ua="-"), {"src_ip": "1.2.3.4"}),
      (clf("1.2.3.4", "HELP", 400, ua="-"), {"src_ip": "1.2.3.4"}),
      (clf("1.2.3.4", "Gh0st\\xAD\\x00\\x00\\x00", 400, ua="-"), {"src_ip": "1.2.3.4"}),
      (common("2001:db8::5", "SSH-2.0-Go", 400), {"src_ip": "2001:db8::5"}),
      (clf("1.2.3.4", "GET stager64 HTTP/1.1", 400, ua="-"), {"src_ip": "1.2.3.4"}),
      ("2020-11-22T18:17:39.1Z stdout F " + clf("1.2.3.4", "GET stager HTTP/1.1", 400, ua="-"), {"src_ip": "1.2.3.4"})],
     [clf(GOOD, "-", 408, ua="-"), clf(GOOD, "GET http://www.example.net/ HTTP/1.1", 200),
      clf(GOOD, "CONNECT www.example.net:443 HTTP/1.1", 200), clf(GOOD, "OPTIONS * HTTP/1.1", 200),
      clf(GOOD, "GET /index.html HTTP/1.1", 200),
      clf(GOOD, "PRI * HTTP/2.0", 400),
      clf(GOOD, "GET /", 200)]),
    ("HTTPInvalidVersion", "low", "impact", "T1499.002",
     r'HTTP/', BAD_VERSION,
     "invalid HTTP version {{ $labels.proto }} from {{ $labels.src_ip }}",
     "The request names an HTTP version no client implements (HTTP/1.2, HTTP/2.1, HTTP/9.9...): DoS tools such as "
     "MHDDoS pick random versions. HTTP/0.9, 1.0, 1.1, 2, 2.0, 3 and 3.0 are valid.",
     [(clf(A_IP, "GET / HTTP/1.2", 400, ua="x"), {"src_ip": A_IP, "proto": "HTTP/1.2"}),
      (clf(A_IP, "GET / HTTP/2.1", 400, ua="x"), {"src_ip": A_IP}),
      (njson(A_IP, "GET", "/", 400, proto="HTTP/1.7"), {"src_ip": A_IP})],
     [clf(GOOD, "GET / HTTP/1.0", 400), clf(GOOD, "GET / HTTP/2.0", 200), njson(GOOD, "GET", "/", 200, proto="HTTP/3.0"),
      clf(GOOD, "GET /docs/HTTP/1.2 HTTP/1.1", 200)]),
    ("HTTPOpenProxyProbe", "low", "reconnaissance", "T1595",
     r'CONNECT|"(?:[A-Z]+ )?https?://', OPEN_PROXY,
     "open-proxy probe from {{ $labels.src_ip }}: {{ $labels.method }} {{ $labels.uri }}",
     "A CONNECT or an absolute-URI request (GET http://other.host/) that the server refused (400, 403, 405, 501) or did not have (404): "
     "a scan for open proxies. A forward proxy that served it (200) is not one.",
     [(clf("127.0.0.1", "CONNECT foo.com:25 HTTP/1.1", 400, ua="-"), {"src_ip": "127.0.0.1", "method": "CONNECT"}),
      (clf("127.0.0.2", "GET http://www.example.net:80/ip4.php HTTP/1.0", 400, ua="-") + ' "-"', {"src_ip": "127.0.0.2"}),
      (njson(A_IP, "CONNECT", "www.example.net:443", 405), {"src_ip": A_IP}),
      (clf(A_IP, "GET http://example.com/ HTTP/1.1", 404, ua="Go-http-client/1.1"), {"src_ip": A_IP}),
      (clf(A_IP, "GET http://httpheader.net/azenv.php HTTP/1.0", 404, ua="-"), {"src_ip": A_IP})],
     [clf(GOOD, "CONNECT www.example.net:443 HTTP/1.1", 200), clf(GOOD, "GET http://www.example.net/ HTTP/1.1", 200),
      clf(GOOD, "GET /proxy/http://www.example.net/ HTTP/1.1", 404),
      clf(GOOD, "GET /redirect?to=http://www.example.net/ HTTP/1.1", 400),
      clf(GOOD, "GET / HTTP/1.1", 400, ref="http://www.example.net/")]),
]

# Access-log alerting rules: (name, severity, tactic, technique, prefilter,
# filter, function, window, threshold, distinct field or None, summary,
# description, match samples, nomatch samples).
ALERTS_ACCESS = [
    ("HTTPAuthBruteForce", "medium", "credential-access", "T1110.001",
     r'" 40[13] |"(?:status|DownstreamStatus)":40[13]', AUTH_FAIL, "1m", "> 5", None,
     "HTTP authentication brute force from {{ $labels.src_ip }}: {{ $value }} failures in 1 minute",
     "More than 5 HTTP authentication failures (HTTPAuthFailure: 401 to a request with credentials, 401/403 to a POST, "
     "Caddy 401 with a Basic challenge) from one source in 1 minute. CrowdSec http-generic-bf and "
     "LePresidente/http-generic-401-bf/403-bf: a bucket of 5 leaking one per 10 s. One mistyped password does not alert.",
     [clf(A_IP, "POST /client HTTP/1.1", 401, user="test"), caddy("127.0.0.1", "GET", "/", 401, basic=True)],
     [clf(GOOD, "GET /private/ HTTP/1.1", 401)]),
    ("HTTPWordPressBruteForce", "medium", "credential-access", "T1110.001",
     r'wp-login\.php|xmlrpc\.php', WP_FAIL, "1m", "> 5", None,
     "WordPress login brute force from {{ $labels.src_ip }}: {{ $value }} POSTs in 1 minute",
     "More than 5 POSTs to wp-login.php or xmlrpc.php answered 200 (failed logins, or xmlrpc calls) from one source in "
     "1 minute. CrowdSec http-bf-wordpress_bf: a bucket of 5 leaking one per 10 s.",
     [clf(A_IP, "POST /wp-login.php HTTP/1.1", 200)], [clf(GOOD, "POST /wp-login.php HTTP/1.1", 302)]),
    ("HTTPLoginFlood", "medium", "credential-access", "T1110",
     r'POST', 'method = "POST" | label_format path=`{{ regexReplaceAll "[?#].*" .uri "" }}` | path =~ `%s`' % LOGIN_PATH,
     "1m", "> 10", None,
     "login POST flood from {{ $labels.src_ip }}: {{ $value }} login POSTs in 1 minute",
     "More than 10 POSTs to a login endpoint (a last path segment such as login, signin, sign_in, logon, "
     "session(s), authenticate, j_security_check, wp-login.php, xmlrpc.php) from one source in 1 minute, whatever the "
     "answer: a person logs in once; a credential-stuffing tool posts continuously, and many applications answer a "
     "failure with 200 or a redirect.",
     [clf(A_IP, "POST /users/sign_in HTTP/1.1", 302), clf(A_IP, "POST /api/v1/auth/login HTTP/1.1", 200),
      njson(A_IP, "POST", "/login?next=/", 200)],
     [clf(GOOD, "GET /login HTTP/1.1", 200), clf(GOOD, "POST /blog/login-tips/comments HTTP/1.1", 201),
      clf(GOOD, "POST /api/v1/orders HTTP/1.1", 201)]),
    ("HTTPProbing", "low", "reconnaissance", "T1595.003",
     r'" 40[034] |" 410 |"(?:status|DownstreamStatus)":40[034]|"(?:status|DownstreamStatus)":410', PROBE_STATUS + " " + PATH + " | " + NOT_STATIC, "1m", "> 10", "path",
     "HTTP probing from {{ $labels.src_ip }}: {{ $value }} distinct paths answered 400/403/404/410 in 1 minute",
     "More than 10 distinct non-static paths (query string removed; images, scripts, styles, fonts and media excluded) "
     "answered 400, 403, 404 or 410 (Gone) to one source in 1 minute: wordlist scanning and 404 crawling. CrowdSec http-probing: "
     "10 distinct paths leaking one per 10 s. A search-engine bot that meets a few dead links does not alert.",
     [clf(A_IP, "GET /admin.php HTTP/1.1", 404), njson(A_IP, "GET", "/backup.zip", 404), clf(A_IP, "GET /roundcube/ HTTP/2.0", 410)],
     [clf(GOOD, "GET /static/js/app.js HTTP/1.1", 404), clf(GOOD, "GET /index.html HTTP/1.1", 200)]),
    ("HTTPCrawlNonStatic", "low", "reconnaissance", "T1595.003",
     r'GET |HEAD |"request_method":"(?:GET|HEAD)"|"(?:method|RequestMethod)":"(?:GET|HEAD)"',
     'method =~ "GET|HEAD" ' + PATH + " | " + NOT_STATIC, "20s", "> 40", "path",
     "aggressive crawl from {{ $labels.src_ip }}: {{ $value }} distinct pages in 20 seconds",
     "More than 40 distinct non-static paths requested (GET/HEAD, any answer) by one source in 20 seconds, 2 pages a "
     "second. CrowdSec http-crawl-non_statics: 40 distinct paths leaking one per 0.5 s.",
     [clf(A_IP, "GET /products/widget-pro HTTP/1.1", 200)], [clf(GOOD, "GET /static/img/logo.svg HTTP/1.1", 200)]),
    ("HTTPDoSRandomURI", "medium", "impact", "T1499.002",
     r'/[A-Z0-9]{6}[ "?]', r'method = "GET", uri =~ `(?:/[^?#]*)?/[A-Z0-9]*[A-Z][A-Z0-9]*`, uri =~ `.*/[A-Z0-9]{6}`',
     "30s", "> 30", None,
     "random-URI flood from {{ $labels.src_ip }}: {{ $value }} requests in 30 seconds",
     "More than 30 GETs in 30 seconds from one source for a last path segment of exactly six upper-case letters or "
     "digits without an extension or query (/NGUHGC, /WYGKUX): LOIC-style floods that defeat caches with random URIs. "
     "CrowdSec http-dos-random-uri: a bucket of 30 leaking one per second.",
     [clf("127.0.0.1", "GET /NGUHGC HTTP/1.1", 404)],
     [clf(GOOD, "GET /about HTTP/1.1", 200), clf(GOOD, "GET /static/LOGO12.png HTTP/1.1", 200),
      clf(GOOD, "GET /ABCDEF?x=1 HTTP/1.1", 200), clf(GOOD, "GET /blog/ABCDEFG HTTP/1.1", 200)]),
    ("HTTPDoSCacheBypass", "medium", "impact", "T1499.002",
     r'\?[0-9]{6}[0-9]*[ "]', CACHE_BYPASS + " " + PATH + " | " + NOT_STATIC, "30s", "> 30", "uri",
     "cache-bypass flood from {{ $labels.src_ip }}: {{ $value }} distinct numeric query strings in 30 seconds",
     "More than 30 distinct bare numeric query strings (/?8890121518: 6 to 16 digits and nothing else) on non-static "
     "paths from one source in 30 seconds: cc-attack and similar tools defeat caches so that every request reaches the "
     "origin. CrowdSec http-dos-bypass-cache: 30 distinct query strings leaking one per second.",
     [clf("127.0.0.1", "GET /?8890121518 HTTP/1.1", 200)],
     [clf(GOOD, "GET /?page=2 HTTP/1.1", 200), clf(GOOD, "GET /static/app.js?1717200000 HTTP/1.1", 200),
      clf(GOOD, "GET /?12345 HTTP/1.1", 200)]),
    ("HTTPDoSSwitchingUA", "medium", "impact", "T1499.002",
     ACCESS_ANY, 'ua != "", ua != "-"', "1m", "> 10", "ua",
     "user-agent switching by {{ $labels.src_ip }}: {{ $value }} distinct user agents in 1 minute",
     "More than 10 distinct User-Agent strings from one source in 1 minute: DoS tools (MHDDoS) rotate user agents to "
     "look like many clients. CrowdSec http-dos-switching-ua: 10 distinct user agents leaking one per 8 s. A NAT gateway "
     "in front of many users can reach it: allow-list such gateways.",
     [(clf(A_IP, "GET / HTTP/1.1", 400, ua="EmailWolf 1.00"), {"src_ip": A_IP, "ua": "EmailWolf 1.00"}),
      (njson(A_IP, "GET", "/", 200, ua="tool/2"), {"src_ip": A_IP, "ua": "tool/2"}),
      (caddy(A_IP, "GET", "/", 200, ua="tool/3"), {"src_ip": A_IP, "ua": "tool/3"}),
      (traefik(A_IP, "GET", "/", 200, ua="tool/4"), {"src_ip": A_IP, "ua": "tool/4"})],
     [common(GOOD, "GET / HTTP/1.1", 200)]),
    ("HTTPDoSInvalidVersion", "medium", "impact", "T1499.002",
     r'HTTP/', BAD_VERSION, "2m", ">= 1", None,
     "invalid HTTP version from {{ $labels.src_ip }}",
     "A request naming an HTTP version no client implements (HTTPInvalidVersion); one is enough, as no browser or "
     "library sends one. CrowdSec http-dos-invalid-http-versions (a trigger).",
     [clf(A_IP, "GET / HTTP/1.2", 400, ua="x")], [clf(GOOD, "GET / HTTP/1.1", 400)]),
    ("HTTPOldVersionFlood", "low", "impact", "T1499.002",
     r'HTTP/(?:0\.9|1\.0)', OLD_VERSION_400, "1m", "> 10", None,
     "HTTP/1.0 or 0.9 flood from {{ $labels.src_ip }}: {{ $value }} requests answered 400 in 1 minute",
     "More than 10 HTTP/1.0 or HTTP/0.9 requests answered 400 from one source in 1 minute: flood tools speak the "
     "oldest protocol and send requests the server rejects. One such request (a monitoring probe without Host) does not alert.",
     [clf(A_IP, "GET / HTTP/1.0", 400, ua="x")], [clf(GOOD, "GET / HTTP/1.0", 200)]),
    ("HTTPMalformedRequests", "low", "reconnaissance", "T1595",
     r'\] "(?:[^A-Z"]|[A-Z]+[^A-Z ]|[A-Z]+ [^/*])', MALFORMED, "5m", "> 5", None,
     "malformed HTTP requests from {{ $labels.src_ip }}: {{ $value }} in 5 minutes",
     "More than 5 request lines that are not HTTP (HTTPMalformedRequest: TLS handshakes to a plain port, binary "
     "protocol and RAT probes) from one source in 5 minutes: a protocol scanner. A client that once spoke TLS to "
     "port 80 does not alert. CrowdSec counts these in http-probing (10 distinct).",
     [clf("1.2.3.4", "\\x16\\x03\\x01", 400, ua="-")], [clf(GOOD, "-", 408, ua="-")]),
    ("HTTPOpenProxy", "medium", "reconnaissance", "T1595",
     r'CONNECT|"(?:[A-Z]+ )?https?://', OPEN_PROXY, "2m", ">= 1", None,
     "open-proxy probe from {{ $labels.src_ip }}",
     "A refused CONNECT or absolute-URI request (HTTPOpenProxyProbe); one is enough, as browsers never send one to an "
     "origin server. CrowdSec http-open-proxy (a trigger).",
     [clf("127.0.0.1", "CONNECT foo.com:25 HTTP/1.1", 400, ua="-")],
     [clf(GOOD, "CONNECT www.example.net:443 HTTP/1.1", 200)]),
]

# ---------------------------------------------------------------------------
# Error-log rules (nginx, Apache, ModSecurity): each is a chain of regexps,
# one per daemon, each anchored at the start of the daemon's line.
# ---------------------------------------------------------------------------

NGX_AUTH = (NGX_HDR + r'(?:user "(?P<user>.*)"(?: was not found in "[^"]*"|: password mismatch)|'
            r'no user/password was provided for basic authentication)' + NGX_CLIENT)
# Apache's authentication and authorization failures, 2.4 (with the AH code)
# and 2.2 (without; mod_auth_digest's prefixed `Digest: `), from the modules'
# sources (modules/aaa/mod_auth_basic.c, mod_auth_digest.c, mod_authz_core.c,
# mod_authz_owner.c, mod_authz_groupfile.c, mod_authz_dbm.c):
# * basic: AH01617 `user U: authentication failure for "URI": Password
#   Mismatch`, AH01618 `user U not found: URI`, AH01614 `client used wrong
#   authentication scheme: URI`;
# * digest: AH01790/AH01791 ``user `U' in realm `R' not found|denied by
#   provider: URI``, AH01792/AH01794 `user U: password mismatch: URI`, AH01781
#   ``client used wrong authentication scheme `S': URI``, and the Authorization
#   headers no client of this server sends: AH01775 `invalid nonce N received -
#   length is not ...`, AH01777 `... - user attempted time travel` (a nonce
#   from the future: forged), AH01782 `missing user, realm, nonce, ...`,
#   AH01783 `invalid uri <U> in Authorization header`, AH01787 `received
#   invalid opaque`, AH01788/AH02533 `realm mismatch - got ...`, AH01789
#   ``unknown algorithm `A' received``, AH01793 ``invalid qop `Q' received``,
#   AH01772/AH01773 `invalid nc ... received - ...`;
# * authorization of an authenticated user: AH01631 `user U: authorization
#   failure for "URI": `, and `Authorization of user U to access URI failed,
#   reason: ` with a reason about the user (AH01637 file owner, file group,
#   group files AH01801/AH01805/AH01667: not part of the 'require'ed groups,
#   not in the group file); reasons about the server (no file name, no owner
#   information: AH01635, AH01636, AH01638) are not the client's doing.
# Left out on purpose: AH01776 `invalid nonce ... - hash is not ...` (every
# client's nonce after a restart: the secret is new), AH01774 `possible replay
# attack: nonce-count check failed` (parallel requests of one browser),
# AH01785/AH01786 `uri mismatch` (a proxy that rewrote the URI), AH01778/AH01779
# nonce expired (info level: the normal renewal).
# `user` is the name the client sent (`user U...`, ``user `U' in realm``);
# `user2` the authenticated user an authz module refused. Each ending after the
# lazy name is a literal or stops at a quote, so a name stuffed with endings
# costs one pass per position, not a rescan of the line.
AP_AUTH_MSG = (r'(?:AH\d{5}: )?(?:Digest: )?(?:'
               r"user \x60?(?P<user>.*?)(?:: authentication failure for \"| not found(?:: |$)|"
               r": password mismatch: |: authorization failure for \"|' in realm \x60[^']*' (?:not found|denied by provider): )|"
               r"Authorization of user (?P<user2>.*?) to access .* failed, reason: (?:file owner \S+ does not match|"
               r"file group \S+ does not match|user is not part of the 'require'ed group|user doesn't appear in group file)|"
               r"client used wrong authentication scheme(?: \x60[^']*')?: |"
               r'invalid nonce .* received - (?:length is not|user attempted time travel)|'
               r'missing user, realm, nonce, uri, digest, cnonce, or nonce_count in authorization header|'
               r'invalid uri <.*> in Authorization header|received invalid opaque|realm mismatch - got \x60|'
               r"unknown algorithm \x60.*' received|invalid qop \x60.*' received|invalid nc .* received - )")
# lighttpd's error log (`2021-09-30 17:44:37: (mod_auth.c.791) MSG`; http_auth.c
# before 1.4.46; no time under server.errorlog-use-syslog): mod_auth writes the
# client's address last (`IP: %s`; `, IP:` in older versions), after the
# client's URI and user name, so it is taken only where it ends the line. The
# basic-auth user name is not extracted: between the client's URI and the
# address, `.* username: (.*?)` would backtrack quadratically on a stuffed line.
LIGHTTPD_AUTH = (r'^' + syslog_prefix(r"lighttpd") + r'(?:\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}: )?\(?(?:http|mod)_auth\.c\.\d+\) '
                 r"(?:password doesn't match for .*|digest: auth failed for\s+(?P<user2>.*?)\s*: wrong password|"
                 r'digest: auth failed: uri mismatch \(.*\)|get_password failed),? IP: (?P<src_ip>' + IP + r')$')
# The prefilter names each message's literal start: the codes of AP_AUTH_MSG
# in 2.4, the bare messages after `] ` in 2.2 (a flat alternation of literals,
# so ward-match's one-scan prefilter keys on it; `user ` alone would let every
# sshd `Invalid user` line run these regexes).
AP_AUTH_CODES = ("01614 01617 01618 01631 01637 01667 01772 01773 01775 01777 01781 01782 01783 01787 01788 "
                 "01789 01790 01791 01792 01793 01794 01801 01805 02533").split()
AUTH_PRE = ("|".join("AH%s: " % c for c in AP_AUTH_CODES)
            + r'|\] user |\] Digest: |\] Authorization of user |\] client used wrong authentication scheme|'
            r'was not found in "|: password mismatch|no user/password was provided for basic|'
            r"password doesn't match for |digest: auth failed|get_password failed")
AUTH_EXPR_BODY = ('| regexp %s %s | regexp %s | src_ip != ""'
                  % (bq(NGX_AUTH), apache_stages(AP_AUTH_MSG), bq(LIGHTTPD_AUTH)))
AUTH_EXPR = '{job=~".+"} |~ %s %s %s' % (dq(AUTH_PRE), NGX_ONE_CLIENT, AUTH_EXPR_BODY)

LIMIT_RE = NGX_HDR + r'(?P<limit>limiting requests, excess: [0-9.]+ by zone "(?P<zone>[^"]*)"|limiting connections by zone "(?P<zone2>[^"]*)")' + NGX_CLIENT
LIMIT_EXPR = '{job=~".+"} |~ %s %s | regexp %s | src_ip != ""' % (dq("limiting (?:requests|connections)"), NGX_ONE_CLIENT, bq(LIMIT_RE))

NGX_DENY_MSG = (r'(?:open\(\) ".*" failed \((?:2: No such file or directory|13: Permission denied|20: Not a directory)\)|'
                r'access forbidden by rule|directory index of ".*" is forbidden|".*" is not found \(2: No such file or directory\)|'
                r'FastCGI sent in stderr: "Primary script unknown".*?)')
NGX_DENY = NGX_HDR + NGX_DENY_MSG + NGX_CLIENT + r'[^,]*, request: "(?:[A-Z]+ )?(?P<path>[^ "?#]*)'
AP_DENY_MSG = (r'(?:AH0(?:1630|1797): client denied by server configuration: |AH00128: File does not exist: |'
               r'AH01276: Cannot serve directory |AH00126: Invalid URI in request (?:[A-Z]+ )?|AH10244: invalid URI path \(|'
               r"AH02811: script not found or unable to stat: |AH01071: Got error 'Primary script unknown(?:\\n)?')"
               r'(?P<path>[^\s:,()]*)')
AP22_DENY_MSG = (r'(?:client denied by server configuration: |File does not exist: |Directory index forbidden by rule: |'
                 r'script not found or unable to stat: )(?P<path>[^\s:,()]*)')
# mod_php (apache2handler; `[php7:error]`, or `[:error]` and 2.2's `[error]`)
# quotes the file it could not open, at the end of its line: `script
# '/var/www/x.php' not found or unable to stat`.
AP_PHP_MSG = r"script '(?P<path>.*)' not found or unable to stat$"
DENY_PRE = (r'failed \((?:2|13|20): |access forbidden by rule|directory index of|is not found \(2: |Primary script unknown|'
            r'AH01630|AH01797|AH00128|AH01276|AH00126|AH10244|client denied by server configuration|File does not exist|'
            r'Directory index forbidden by rule|not found or unable to stat')
DENY_EXPR = ('{job=~".+"} |~ %s %s | regexp %s %s %s | src_ip != ""'
             % (dq(DENY_PRE), NGX_ONE_CLIENT, bq(NGX_DENY), apache_stages(AP_DENY_MSG, AP22_DENY_MSG), apache_stages(AP_PHP_MSG)))

# nginx's request-line parse errors (info level): a request line that is not
# HTTP, the error-log view of HTTPMalformedRequest. The request is the client's
# raw bytes, after the one ", client: " guard. On a TLS port the same kind of
# client sends bytes that are no TLS record: OpenSSL's record layer refuses the
# length (`SSL_do_handshake() failed (SSL: error:1408F0C6:SSL
# routines:ssl3_get_record:packet length too long) while SSL handshaking`;
# OpenSSL 3: `error:0A0000C6:SSL routines::packet length too long`; "length too
# short", "encrypted length too long"), before any request exists. Handshake
# errors that old but real clients cause (no shared cipher, unsupported
# protocol, wrong version number) are not counted.
NGX_BADREQ = (NGX_HDR + r'(?P<reason>client sent invalid (?:method in HTTP/0\.9 request|method|request|version)|'
              r'SSL_do_handshake\(\) failed \(SSL: error:[^()]*length too (?:long|short)\))'
              r'(?: while reading client request line| while SSL handshaking)' + NGX_CLIENT)
BADREQ_EXPR = ('{job=~".+"} |~ "client sent invalid |SSL_do_handshake" %s | regexp %s | src_ip != ""'
               % (NGX_ONE_CLIENT, bq(NGX_BADREQ)))

# Apache's request-line errors, the error-log view of HTTPMalformedRequest:
# protocol.c `request failed: URI too long (longer than N)` (AH00565),
# `request failed: invalid characters in URI` (AH00566), 2.2's `request failed:
# erroneous characters after protocol string: ...`, http_protocol.c `Invalid
# method in request ...`, core `Invalid URI in request ...` (AH00126). What
# follows is the client's request line, after the daemon's [client] bracket.
AP_BADREQ_MSG = (r'(?:AH\d{5}: )?(?P<reason>request failed: (?:URI too long|invalid characters in URI|erroneous characters after protocol string)|'
                 r'Invalid (?:method|URI) in request)')
AP_BADREQ_EXPR = ('{job=~".+"} |~ %s %s | src_ip != ""'
                  % (dq(r"request failed: |Invalid method in request|Invalid URI in request"), apache_stages(AP_BADREQ_MSG)))

# Shellshock (CVE-2014-6271) against a CGI script: a patched bash refuses a
# function definition in an environment variable and says so on stderr, which
# mod_cgi copies to the error log (AH01215 in 2.4, bare in 2.2) after the
# request's [client] bracket. HTTP_* variables are request headers: the client
# sent `() { ...` in one.
SHELLSHOCK_MSG = (r'(?:AH01215: )?(?:\S*/)?(?:ba)?sh: (?:warning: (?P<var>HTTP_\w+): ignoring function definition attempt|'
                  r"error importing function definition for .HTTP_\w+')")
SHELLSHOCK_EXPR = ('{job=~".+"} |~ %s %s | src_ip != ""'
                   % (dq("ignoring function definition attempt|error importing function definition"), apache_stages(SHELLSHOCK_MSG)))

# ModSecurity (v2 in Apache, libmodsecurity v3 through the nginx connector):
# the connector writes `[client ADDR] ModSecurity: ...` for blocks (and some
# warnings only `ModSecurity: Warning. ... , client: ADDR, server: ...`).
# Some ModSecurity 2 builds wrote the rule's metadata first (`ModSecurity:  [file
# "..."] [line "47"] [id "960015"] ... Access denied with code 403 (phase 2).`,
# CRS 2.2 and Atomicorp rules, 2013): quoted [name "value"] brackets may come
# before the action.
MS_TAIL = r'ModSecurity:\s+(?:\[\w+ "(?:[^"\\]|\\.)*"\]\s*)*(?P<modsec_action>Access denied with code \d+ \(phase (?P<modsec_phase>\d)\)|Warning)'
NGX_MS1 = NGX_HDR + r'\[client (?P<src_ip>' + IP + r')\] ' + MS_TAIL
NGX_MS2 = NGX_HDR + MS_TAIL + r'.*' + NGX_CLIENT
AP_MS = r'(?:\[client [^\]]*\] )?' + MS_TAIL
MS_FIELDS = r'| regexp `\[id "(?P<modsec_id>\d+)"\]` | regexp `\[msg "(?P<modsec_msg>[^"]*)"\]` | regexp `\[severity "(?P<modsec_severity>\w+)"\]`'
MS_EXPR = ('{job=~".+"} |= "ModSecurity: " %s | regexp %s | regexp %s %s | src_ip != "" %s'
           % (NGX_ONE_CLIENT, bq(NGX_MS1), bq(NGX_MS2), apache_stages(AP_MS), MS_FIELDS))
MS_BLOCK = r'| modsec_phase =~ "[12]" or modsec_msg =~ `Inbound Anomaly Score Exceeded.*`'

# mod_ssl (ssl_engine_kernel.c): the TLS handshake's SNI and the request's
# Host disagree. AH02031 `Hostname H provided via SNI, but no hostname provided
# in HTTP request` (400), AH02032 `Hostname H provided via SNI and hostname H2
# provided via HTTP have no compatible SSL setup` (`... are different` in early
# 2.4; answered 421), AH02033 `No hostname was provided via SNI for a name based
# virtual host` (403, SSLStrictSNIVHostCheck on). Scanners that walk address
# ranges send an address or nothing as SNI and another Host, or none.
SNI_MSG = (r'(?:AH0203[123]: )?(?P<reason>Hostname \S+ provided via SNI(?:, but no hostname provided in HTTP request|'
           r' and hostname \S+ provided via HTTP (?:are different|have no compatible SSL setup))|'
           r'No hostname was provided via SNI for a name based virtual host)')
SNI_EXPR = ('{job=~".+"} |~ "provided via SNI|No hostname was provided via SNI" %s | src_ip != ""' % apache_stages(SNI_MSG))

# mod_evasive (mod_evasive20.c, mod_evasive24): a client over DOSPageCount or
# DOSSiteCount is answered 403 for DOSBlockingPeriod, each refusal logged in
# the core's words under the module's own tag (`[evasive20:error] ... [client
# ADDR:PORT] client denied by server configuration: FILE`; fail2ban's
# apache-auth counts these only in its aggressive mode, as they are a rate
# limit, not an authorization failure), and the blocking itself through
# syslog under the server's program name (`Blacklisting address ADDR:
# possible DoS attack.`). In 2.2's layout the refusal cannot be told from
# authz's (no module tag): HTTPServerDenied takes it there.
EVASIVE_MSG = r'client denied by server configuration: '
EVASIVE_SYSLOG = (r'^' + genlib.program_start(APACHE_PROGS)
                  + r'(?P<evasive>Blacklisting) address (?P<src_ip>' + IP + r'): possible DoS attack\.$')
EVASIVE_EXPR = ('{job=~".+"} |~ "\\\\[evasive|Blacklisting address " | regexp %s | regexp %s | regexp %s'
                ' | module =~ "evasive.*" or evasive != "" | src_ip != ""'
                % (bq(APACHE24 + EVASIVE_MSG), bq(APACHE24_V4 + EVASIVE_MSG), bq(EVASIVE_SYSLOG)))

# HAProxy's HTTP log (`option httplog`, through syslog or `log stdout`):
# `CLIENT:PORT [accept date] FRONTEND BACKEND/SERVER TR/Tw/Tc/Tr/Ta STATUS
# BYTES ...` (`Tq/Tw/Tc/Tr/Tt` before 1.8, five timers either way). HAProxy
# answers 401 itself for `http-request auth` against a userlist, logged with
# the server `<NOSRV>` and no connect or response timers. The log does not say
# whether credentials came: a browser's first challenge counts too, so the
# alert's threshold is higher than HTTPAuthBruteForce's. A backend's 401 (a
# named server) is the application's answer and is not counted.
HAPROXY_AUTH = (r'^' + syslog_prefix(r"haproxy") + r'(?:::ffff:)?(?P<src_ip>' + IP + r'):\d+ \[[^\]]+\] '
                r'(?P<frontend>\S+) (?P<backend>[^\s/]+)/<NOSRV> -?\d+/-1/-1/-1/\+?\d+ (?P<status>401) ')
HAPROXY_AUTH_EXPR = '{job=~".+"} |= "/<NOSRV> " | regexp %s | src_ip != ""' % bq(HAPROXY_AUTH)

# ModSecurity audit log (serial format), section A header line:
# `[30/Sep/2021:13:27:06 +0000] YVW7KjiKxXlACWj0fjsbkgAAAEk ::1 37752 ::1 80`
AUDIT_A = (r'^\[\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2}(?:\.\d+)? [+-]\d{4}\] (?P<unique_id>\S+) '
           r'(?P<src_ip>' + IP + r') (?P<src_port>\d+) (?P<dest_ip>' + IP + r') (?P<dest_port>\d+)$')
AUDIT_EXPR = '{job=~".+"} |~ %s | regexp %s | src_ip != ""' % (dq(r'^\[\d{2}/[A-Z][a-z]{2}/\d{4}:'), bq(AUDIT_A))

NGX_AUTH_POS = [
    ('2021/09/30 09:23:53 [error] 1925800#1925800: *17 user "foo" was not found in "/tmp/a.htpasswd", client: 127.0.0.1, server: _, request: "GET / HTTP/1.1", host: "localhost"', {"src_ip": "127.0.0.1", "user": "foo"}),
    (ngx('user "admin": password mismatch', A_IP), {"src_ip": A_IP, "user": "admin"}),
    (ngx("no user/password was provided for basic authentication", "2001:db8::9", level="info"), {"src_ip": "2001:db8::9"}),
    ("Jun  1 00:00:00 web1 nginx: " + ngx('user "bob" was not found in "/etc/nginx/.htpasswd"', A_IP), {"src_ip": A_IP}),
    ("2024-06-01T00:00:00.764590+00:00 web1 nginx[812]: " + ngx('user "bob": password mismatch', A_IP), {"src_ip": A_IP}),
    ("nginx[812]: " + ngx('user "bob": password mismatch', A_IP)[20:], {"src_ip": A_IP}),
    ("<187>1 2024-06-01T00:00:00+00:00 web1 apache2 812 - - " + apache("auth_basic:error", A_IP, "AH01618: user bob not found: /"), {"src_ip": A_IP}),
    (apache("auth_basic:error", "31.33.58.75", "AH01618: user sss not found: /"), {"src_ip": "31.33.58.75", "user": "sss"}),
    (apache("auth_basic:error", "2001:db8::7", 'AH01617: user admin: authentication failure for "/private/": Password Mismatch', port=443), {"src_ip": "2001:db8::7", "user": "admin"}),
    (apache("auth_basic:error", A_IP, "AH01614: client used wrong authentication scheme: /private/"), {"src_ip": A_IP}),
    ("[Sat Jun 01 00:00:00 2024] [error] [client 198.18.0.9] user admin not found: /private/", {"src_ip": A_IP, "user": "admin"}),
    ("[Sat Jun 01 00:00:00 2024] [error] [client 198.18.0.9] Digest: user admin: password mismatch: /private/", {"src_ip": A_IP, "user": "admin"}),
    ("[Sat Jun 01 00:00:00 2024] [error] [client 2001:db8::9] Digest: user `bob' in realm `Private' not found: /private/", {"src_ip": "2001:db8::9"}),
    ("Jun  1 00:00:00 web1 httpd[812]: [error] [client 198.18.0.9] user bob not found: /private/", {"src_ip": A_IP, "user": "bob"}),
    ("[Sat Jun 01 00:00:00 2024] [error] [client 198.18.0.9] client used wrong authentication scheme: /private/", {"src_ip": A_IP}),
    ("2024-06-01 00:00:00: (mod_auth.c.852) password doesn't match for /private/ username: admin IP: 198.18.0.9", {"src_ip": A_IP}),
    ("2016-03-01 00:00:00: (http_auth.c.875) password doesn't match for /private/ username: admin, IP: 2001:db8::9", {"src_ip": "2001:db8::9"}),
    ("2024-06-01 00:00:00: (mod_auth.c.1120) digest: auth failed for admin: wrong password, IP: 198.18.0.9", {"src_ip": A_IP, "user2": "admin"}),
    ("2024-06-01 00:00:00: (mod_auth.c.1101) digest: auth failed: uri mismatch (/a != /b), IP: 198.18.0.9", {"src_ip": A_IP}),
    ("lighttpd[812]: (mod_auth.c.852) password doesn't match for /x username: a IP: 192.0.2.1 IP: 198.18.0.9", {"src_ip": A_IP}),
    # lighttpd 1.4.59 dropped the opening parenthesis (fail2ban gh-3116)
    ("2021-09-30 16:05:33: mod_auth.c.828) password doesn't match for /secure/ username: test IP: 198.18.0.9", {"src_ip": A_IP}),
    # Apache authorization of an authenticated user (authz_core, authz_owner, group files)
    (apache("authz_core:error", A_IP, 'AH01631: user bob: authorization failure for "/private/": '), {"src_ip": A_IP, "user": "bob"}),
    (apache("authz_owner:error", A_IP, "AH01637: Authorization of user bob to access /private/x.html failed, reason: file owner dan does not match."), {"src_ip": A_IP, "user2": "bob"}),
    ("[Sat Jun 01 00:00:00 2024] [error] [client 198.18.0.9] Authorization of user bob to access /private/ failed, reason: user is not part of the 'require'ed group(s).", {"src_ip": A_IP, "user2": "bob"}),
    # mod_auth_digest: unknown user, wrong scheme, forged or foreign Authorization headers
    (apache("auth_digest:error", A_IP, "AH01790: user `bob' in realm `Private' not found: /digest/"), {"src_ip": A_IP, "user": "bob"}),
    (apache("auth_digest:error", A_IP, "AH01781: client used wrong authentication scheme `Basic': /digest/"), {"src_ip": A_IP}),
    (apache("auth_digest:error", A_IP, "AH01793: invalid qop `auth' received: /digest/qop_none/"), {"src_ip": A_IP}),
    (apache("auth_digest:error", A_IP, "AH01788: realm mismatch - got `so far away' but expected `Private'"), {"src_ip": A_IP}),
    (apache("auth_digest:error", A_IP, "AH01789: unknown algorithm `SHA-999' received: /digest/"), {"src_ip": A_IP}),
    (apache("auth_digest:error", A_IP, "AH01777: invalid nonce 59QJppTiBAA=b08983fd166ade9840407df1b0f75b9e6e07d88d received - user attempted time travel"), {"src_ip": A_IP}),
    (apache("auth_digest:error", A_IP, "AH01775: invalid nonce 'JDiBAA=db93' received - length is not 52 or time encoding is incorrect"), {"src_ip": A_IP}),
    ("[Sat Jun 01 00:00:00 2024] [error] [client 198.18.0.9] Digest: invalid nonce JDiBAA=db9372522295196b7ac31db99e10cd1106c received - length is not 52", {"src_ip": A_IP}),
    ("[Sat Jun 01 00:00:00 2024] [error] [client 198.18.0.9] Digest: unknown algorithm `super funky chicken' received: /digest/", {"src_ip": A_IP}),
    # 2.2 without the URI; 2.4 with an IPv6 address in brackets, an IPv4 address without its port, a syslog tag naming an instance
    ("[Sat Jun 01 00:00:00 2024] [error] [client 198.18.0.9] user root not found", {"src_ip": A_IP, "user": "root"}),
    ("[Sat Jun 01 00:00:00.147674 2024] [authz_owner:error] [pid 17540:tid 140122922129152] [client [2001:db8::7]:51548] AH01637: Authorization of user u to access /x failed, reason: file owner dan does not match", {"src_ip": "2001:db8::7"}),
    ("[Sat Jun 01 00:00:00.147674 2024] [auth_basic:error] [pid 17540] [client 198.18.0.9] AH01618: user bob not found: /", {"src_ip": A_IP}),
    ("Jun  1 00:00:00 srv httpd/backend1[22034]: [auth_basic:error] [pid 22036] [client 198.18.0.9:59392] AH01618: user bob not found: /", {"src_ip": A_IP}),
]
NGX_AUTH_NEG = [
    # the user name holds a fake client: the line names two and is refused
    ngx('user "x", client: 192.0.2.1, server: y" was not found in "/etc/nginx/.htpasswd"', A_IP),
    ngx('open() "/var/www/html/favicon.ico" failed (2: No such file or directory)', GOOD),
    apache("auth_basic:error", GOOD, "AH01626: authorization result of Require valid-user : granted"),
    'Jun  1 00:00:00 web1 sshd[1]: user "foo" was not found in "/x", client: 192.0.2.1, server: y',
    "Jun  1 00:00:00 web1 myapp[7]: (mod_auth.c.852) password doesn't match for /x username: a IP: 192.0.2.1",
    "2024-06-01 00:00:00: (mod_fastcgi.c.2543) password doesn't match for /x username: a IP: 192.0.2.1",
    "[Sat Jun 01 00:00:00 2024] [error] [client 100.64.0.7] Digest: nonce expired - sending new nonce",
    # digest conditions a real client meets: a nonce from before a restart, renewals, parallel requests, a rewriting proxy
    apache("auth_digest:error", GOOD, "AH01776: invalid nonce b9YAiJDiBAZZZ1b1abe02d received - hash is not d42d824dee7aaf50c3ba0a7c6290bd453e3dd35b"),
    apache("auth_digest:info", GOOD, "AH01778: user bob: nonce expired (301.00 seconds old - max lifetime 300.00) - sending new nonce"),
    apache("auth_digest:error", GOOD, "AH01774: Warning, possible replay attack: nonce-count check failed: 2 != 3"),
    apache("auth_digest:error", GOOD, "AH01786: uri mismatch - </a> does not match request-uri </b>"),
    # the server's own trouble, not the client's
    apache("authz_owner:error", GOOD, "AH01635: Authorization of user bob to access /x failed, reason: no file owner information available"),
    # the message text after another client's bracket, or in another module's message
    "[Sat Jun 01 02:17:42 2013] [error] [client 100.64.0.7] File does not exist: /srv/http/site/[client 192.0.2.1] user root not found",
    apache("core:error", GOOD, "AH00128: File does not exist: /var/www/user bob not found: /x"),
    "Jun  1 00:00:00 web1 myapp[7]: [auth_basic:error] [pid 1] [client 192.0.2.1:5] AH01618: user bob not found: /",
]


def alert_expr(pipeline, fn_window, threshold, distinct):
    if distinct:
        return "count by (src_ip) (sum by (src_ip, %s) (count_over_time(%s [%s]))) %s" % (distinct, pipeline, fn_window, threshold)
    return "sum by (src_ip) (count_over_time(%s [%s])) %s" % (pipeline, fn_window, threshold)


def yq(s):  # single-quoted YAML scalar
    return "'" + s.replace("'", "''") + "'"


def emit_rule(out, name, expr, sev, tactic, tech, summary, desc, pos, neg, for_=None):
    out.append("      - alert: %s" % name)
    out.append("        expr: |\n          %s" % expr)
    if for_:
        out.append("        for: %s" % for_)
    out.append("        labels:\n          severity: %s\n          mitre_tactic: %s\n          mitre_technique: %s" % (sev, tactic, tech))
    out.append("        annotations:\n          summary: %s\n          description: %s" % (yq(summary), yq(desc)))
    out.append("        tests:\n          labels: {job: web}")
    out.append("          match:")
    for p in pos:
        line, fields = p if isinstance(p, tuple) else (p, None)
        if fields:
            out.append("            - line: %s\n              fields: {%s}" % (
                yq(line), ", ".join("%s: %s" % (k, json.dumps(v)) for k, v in fields.items())))
        else:
            out.append("            - %s" % yq(line))
    out.append("          nomatch:")
    for n in neg:
        out.append("            - %s" % yq(n))
    out.append("")


def access_expr(prefilter, filt):
    return access_pipeline(prefilter) + " | " + filt + ' | src_ip != ""'


def main():
    out = ["""# ward rule pack: HTTP behaviour in web-server access and error logs.
#
# Generated by rules/gen_http.py: edit the tables there and run it again.
#
# Access logs: combined, common and vhost_combined (nginx, Apache, Traefik's
# CLF), JSON with nginx's variable names, Caddy's JSON access log and Traefik's
# JSON access log, parsed into the same fields (src_ip, method, uri, proto,
# status, user, ua). Error logs: nginx (`2021/09/30 09:23:53 [error] ...,
# client: ADDR, server: ...`), Apache 2.4 and 2.2 (`[client ADDR:PORT]`),
# ModSecurity in both, and the ModSecurity audit log's section A line. Each
# may carry a syslog header and program tag.
#
# Tagging rules (log queries) mark single events; alerting rules (metric
# queries, evaluated by ward-window) count them per src_ip over a window whose
# size and threshold each description states, next to the CrowdSec scenario it
# follows. src_ip is always the daemon's client field: a URI, user name or
# user agent cannot name another address (samples below try to).
#
# Loki ruler format; the `tests:` key is ward's (docs/rules.md).
groups:"""]
    out.append("  - name: http-tags\n    rules:")
    for name, sev, tactic, tech, pre, filt, summary, desc, pos, neg in TAGS_ACCESS:
        emit_rule(out, name, access_expr(pre, filt), sev, tactic, tech, summary, desc, pos, neg)
    emit_rule(out, "HTTPBasicAuthFailure", AUTH_EXPR, "info", "credential-access", "T1110.001",
              "HTTP basic authentication failure for {{ $labels.user }}{{ $labels.user2 }} from {{ $labels.src_ip }}",
              "Error log: nginx auth_basic (user not found, password mismatch, no user/password provided: the last is "
              "logged at info level); Apache mod_auth_basic (AH01614, AH01617, AH01618), mod_auth_digest (unknown user, "
              "password mismatch, wrong scheme, and Authorization headers no client of the server sends: forged nonces, "
              "foreign realm, unknown algorithm or qop: AH01775, AH01777, AH01781-AH01783, AH01787-AH01794, AH02533) and "
              "the refusal of an authenticated user (AH01631, AH01637 and the group files' \"not part of the require'ed "
              "groups\"), Apache 2.2 without codes; lighttpd mod_auth. Digest conditions a real client meets (a nonce "
              "from before a restart, AH01776; expired nonces; nonce-count and URI mismatches) are not counted.", NGX_AUTH_POS, NGX_AUTH_NEG)
    emit_rule(out, "NginxRequestLimited", LIMIT_EXPR, "info", "impact", "T1499.002",
              "nginx limited {{ $labels.src_ip }} (zone {{ $labels.zone }}{{ $labels.zone2 }})",
              "nginx limit_req rejected a request (\"limiting requests, excess: N by zone\") or limit_conn a connection "
              "(\"limiting connections by zone\"). \"delaying request\" (a request slowed, not refused) is not one.",
              [('2021/12/02 11:53:15 [error] 4065777#4065777: *42952950 limiting requests, excess: 5.428 by zone "default_root_zone", client: ::1, server: , request: "GET / HTTP/1.1", host: "la03.d.sb"', {"src_ip": "::1", "zone": "default_root_zone"}),
               (ngx('limiting connections by zone "addr"', A_IP), {"src_ip": A_IP, "zone2": "addr"}),
               (ngx('limiting requests, excess: 5.459 by zone "nodos"', "192.168.1.1", req="POST https://example.com/12&3.html"), {"src_ip": "192.168.1.1"})],
              [ngx('delaying request, excess: 0.500, by zone "one"', GOOD, level="warn"),
               ngx('open() "/var/www/limiting requests, excess: 1.0 by zone \\"x\\", client: 192.0.2.1, server: y" failed (2: No such file or directory)', A_IP)])
    emit_rule(out, "HTTPServerDenied", DENY_EXPR, "info", "reconnaissance", "T1595.003",
              "web server refused {{ $labels.path }} to {{ $labels.src_ip }}",
              "Error log: a missing or forbidden file (nginx open() failed with ENOENT/EACCES/ENOTDIR, \"access forbidden "
              "by rule\", \"directory index ... is forbidden\", PHP-FPM \"Primary script unknown\"; Apache AH01630/AH01797 "
              "client denied by server configuration, AH00128 file does not exist, AH01276, AH00126 invalid URI, "
              "AH10244 invalid URI path). path is the requested path (nginx: from the request; Apache: from the message).",
              [('2024/06/01 00:00:00 [error] 1925#1925: *17 open() "/var/www/html/wp-admin/setup-config.php" failed (2: No such file or directory), client: 198.18.0.9, server: www.example.com, request: "GET /wp-admin/setup-config.php HTTP/1.1", host: "www.example.com"', {"src_ip": A_IP, "path": "/wp-admin/setup-config.php"}),
               (ngx("access forbidden by rule", A_IP, req="GET /.git/config HTTP/1.1"), {"src_ip": A_IP, "path": "/.git/config"}),
               (apache("authz_core:error", A_IP, "AH01630: client denied by server configuration: /var/www/html/.htpasswd"), {"src_ip": A_IP, "path": "/var/www/html/.htpasswd"}),
               (apache("core:error", A_IP, "AH00126: Invalid URI in request GET /cgi-bin/.%%32%65/.%%32%65/bin/sh HTTP/1.1"), {"src_ip": A_IP}),
               (apache("core:error", A_IP, "AH10244: invalid URI path (/cgi-bin/.%2e/.%2e/.%2e/etc/passwd)"), {"src_ip": A_IP}),
               ("[Sat Jun 01 00:00:00 2024] [error] [client 198.18.0.9] File does not exist: /var/www/phpmyadmin", {"src_ip": A_IP}),
               ("[Sun Dec 04 04:47:44 2005] [error] [client 198.18.0.9] Directory index forbidden by rule: /var/www/html/", {"src_ip": A_IP, "path": "/var/www/html/"}),
               (apache("cgi:error", A_IP, "AH02811: script not found or unable to stat: /usr/lib/cgi-bin/luci"), {"src_ip": A_IP, "path": "/usr/lib/cgi-bin/luci"}),
               ("[Sat Jun 01 00:00:00 2024] [error] [client 198.18.0.9] script not found or unable to stat: /usr/lib/cgi-bin/php5", {"src_ip": A_IP, "path": "/usr/lib/cgi-bin/php5"}),
               (apache("php:error", A_IP, "script '/var/www/html/xmlrpc.php' not found or unable to stat"), {"src_ip": A_IP, "path": "/var/www/html/xmlrpc.php"}),
               ("[Sat Jun 01 00:00:00 2024] [error] [client 2001:db8::9] script '/var/www/a b.php' not found or unable to stat", {"src_ip": "2001:db8::9", "path": "/var/www/a b.php"}),
               (apache("proxy_fcgi:error", A_IP, "AH01071: Got error 'Primary script unknown'"), {"src_ip": A_IP})],
              [ngx('open() "/var/www/html/x, client: 192.0.2.1, server: y, request: \\"GET /x" failed (2: No such file or directory)', A_IP),
               ngx("upstream timed out (110: Connection timed out) while reading response header from upstream", GOOD),
               apache("ssl:info", GOOD, "AH02006: SSL handshake stopped: connection was closed"),
               apache("php:error", GOOD, "PHP Warning:  include(/var/www/inc.php): failed to open stream: No such file or directory in /var/www/index.php on line 3"),
               "Jun  1 00:00:00 web1 myapp[7]: [error] [client 192.0.2.1] script not found or unable to stat: /x"])
    emit_rule(out, "ModSecurityAlert", MS_EXPR, "low", "initial-access", "T1190",
              "ModSecurity {{ $labels.modsec_action }} for {{ $labels.src_ip }}: {{ $labels.modsec_msg }} (rule {{ $labels.modsec_id }})",
              "A ModSecurity rule matched a request (Warning) or blocked it (Access denied), in an Apache or nginx error log; "
              "fields modsec_id, modsec_msg, modsec_severity, modsec_phase.",
              [('[Thu Sep 30 13:27:06.010524 2021] [:error] [pid 2560:tid 140496349419264] [client ::1:37752] [client ::1] ModSecurity: Access denied with code 403 (phase 2). Operator GE matched 5 at TX:anomaly_score. [file "/usr/share/modsecurity-crs/rules/REQUEST-949-BLOCKING-EVALUATION.conf"] [line "93"] [id "949110"] [msg "Inbound Anomaly Score Exceeded (Total Score: 40)"] [severity "CRITICAL"] [hostname "localhost"] [uri "/"] [unique_id "YVW7KjiKxXlACWj0fjsbkgAAAEk"]', {"src_ip": "::1", "modsec_id": "949110", "modsec_phase": "2", "modsec_severity": "CRITICAL"}),
               ('2021/12/26 12:36:51 [error] 972#972: *18722 [client 198.18.0.9] ModSecurity: Access denied with code 403 (phase 2). Matched "Operator `Ge\' with parameter `5\' against variable `TX:ANOMALY_SCORE\' (Value: `370\' ) [file "/etc/nginx/modsec/rules/REQUEST-949-BLOCKING-EVALUATION.conf"] [line "80"] [id "949110"] [rev ""] [msg "Inbound Anomaly Score Exceeded (Total Score: 370)"] [data ""] [severity "2"] [hostname "192.168.0.1"] [uri "/"] [unique_id "16405"] [ref ""], client: 198.18.0.9, server: www.example.com, request: "GET /?id=1 HTTP/1.1", host: "www.example.com"', {"src_ip": A_IP, "modsec_severity": "2"}),
               ('[Sat Sep 28 09:18:06 2018] [error] [client 198.18.0.9:55555] [client 198.18.0.9] ModSecurity: [file "/etc/httpd/modsecurity.d/10_asl_rules.conf"] [line "635"] [id "340069"] [rev "4"] [msg "Atomicorp.com UNSUPPORTED DELAYED Rules: Web vulnerability scanner"] [severity "CRITICAL"] Access denied with code 403 (phase 2). Pattern match "(?:nessus)" at REQUEST_URI. [hostname "192.81.249.191"] [uri "/w00tw00t.at.blackhats.romanian.anti-sec:)"]', {"src_ip": A_IP, "modsec_id": "340069", "modsec_phase": "2"}),
               ('[Mon Dec 23 13:12:31 2013] [error] [client 2001:db8::9] ModSecurity:  [file "/etc/httpd/modsecurity.d/activated_rules/modsecurity_crs_21_protocol_anomalies.conf"] [line "47"] [id "960015"] [rev "1"] [msg "Request Missing an Accept Header"] [severity "NOTICE"] [tag "WASCTC/WASC-21"][tag "OWASP_TOP_10/A7"] Access denied with code 403 (phase 2). Operator EQ matched 0 at REQUEST_HEADERS. [hostname "www.mysite.net"] [uri "/"]', {"src_ip": "2001:db8::9", "modsec_id": "960015"}),
               ('2021/11/18 08:34:27 [info] 86596#86596: *1083 ModSecurity: Warning. Matched "Operator `Rx\' with parameter `(?:^|[\\\\/])\\.\\.(?:[\\\\/]|$)\' against variable `REQUEST_URI\' (Value: `/?foo=../../etc/passwd\' ) [file "/usr/share/modsecurity-crs/rules/REQUEST-930-APPLICATION-ATTACK-LFI.conf"] [line "51"] [id "930110"] [msg "Path Traversal Attack (/../)"] [severity "2"] [hostname "10.0.1.61"] [uri "/"] [unique_id "163722446755.059797"] [ref "o1,3v10,26"], client: 198.18.0.9, server: www.example.com, request: "GET /?foo=../../etc/passwd HTTP/1.1", host: "www.example.com"', {"src_ip": A_IP, "modsec_id": "930110"})],
              [# a matched value that fakes the connector's tail names two clients and is refused
               '2021/11/18 08:34:27 [info] 86596#86596: *1083 ModSecurity: Warning. Matched "Operator `Rx\' against variable `ARGS:x\' (Value: `a, client: 192.0.2.1, server: y\' ) [id "941100"] [msg "XSS"], client: 198.18.0.9, server: www.example.com, request: "GET / HTTP/1.1"',
               '[Thu Sep 30 13:27:06.010524 2021] [core:error] [pid 2560:tid 1] [client ::1:37752] AH00037: Symbolic link not allowed or link target not accessible: /var/www/html/x ModSecurity: nothing'])
    emit_rule(out, "NginxInvalidRequest", BADREQ_EXPR, "info", "reconnaissance", "T1595",
              "nginx refused a request line from {{ $labels.src_ip }}: {{ $labels.reason }}",
              "nginx could not parse the request line (\"client sent invalid method/request/version ... while reading "
              "client request line\", logged at info level): TLS or binary probes on a plain-HTTP port, garbage versions; "
              "or, on a TLS port, OpenSSL refused the length of a record that is no TLS (\"SSL_do_handshake() failed (SSL: "
              "...packet length too long|length too short|encrypted length too long) while SSL handshaking\"). Handshakes "
              "that fail for old real clients (no shared cipher, unsupported protocol) are not counted.",
              [('2023/07/29 10:26:07 [info] 1234#1234: *5 client sent invalid method while reading client request line, client: 1.2.3.4, server: , request: "\\x16\\x03\\x01\\x00"', {"src_ip": "1.2.3.4", "reason": "client sent invalid method"}),
               (ngx("client sent invalid request while reading client request line", A_IP, level="info", req="HELP"), {"src_ip": A_IP}),
               (ngx("client sent invalid version while reading client request line", "2001:db8::5", level="info", req="GET / HTTP/9.9"), {"src_ip": "2001:db8::5"}),
               ("2020/11/25 14:42:16 [crit] 76952#76952: *2454307 SSL_do_handshake() failed (SSL: error:1408F0C6:SSL routines:ssl3_get_record:packet length too long) while SSL handshaking, client: 198.18.0.9, server: 0.0.0.0:443", {"src_ip": A_IP}),
               ("2024/06/01 00:00:00 [info] 812#812: *33 SSL_do_handshake() failed (SSL: error:0A0000C6:SSL routines::length too short) while SSL handshaking, client: 2001:db8::5, server: [::]:443", {"src_ip": "2001:db8::5"}),
               # nginx in a container: `docker logs --timestamps`, and the Kubernetes CRI log file
               ("2025-05-09T15:43:52.911635302Z " + ngx("client sent invalid request while reading client request line", A_IP, level="info", req="PRI * HTTP/2.0"), {"src_ip": A_IP}),
               ("2025-05-09T15:43:52.911635302Z stderr F " + ngx("client sent invalid method while reading client request line", A_IP, level="info", req="\\x16\\x03"), {"src_ip": A_IP})],
              [ngx("client sent invalid method while reading client request line", A_IP, level="info", req="GET /x, client: 192.0.2.1, server: y HTTP/1.1"),
               ngx("client sent invalid header line while reading client request headers", GOOD, level="info"),
               ngx("client closed connection while waiting for request", GOOD, level="info"),
               "2024/06/01 00:00:00 [info] 812#812: *34 SSL_do_handshake() failed (SSL: error:0A0000C1:SSL routines::no shared cipher) while SSL handshaking, client: 100.64.0.7, server: 0.0.0.0:443",
               "2024/06/01 00:00:00 [crit] 812#812: *35 SSL_read() failed (SSL: error:0A000126:SSL routines::unexpected eof while reading) while processing HTTP/2 connection, client: 100.64.0.7, server: 0.0.0.0:443",
               "Jun  1 00:00:00 web1 myapp[7]: [info] 1#1: *1 SSL_do_handshake() failed (SSL: error:1:packet length too long) while SSL handshaking, client: 192.0.2.1, server: x"])
    emit_rule(out, "ApacheInvalidRequest", AP_BADREQ_EXPR, "info", "reconnaissance", "T1595",
              "Apache refused a request line from {{ $labels.src_ip }}: {{ $labels.reason }}",
              "Apache could not parse the request line: URI too long (AH00565), invalid characters in URI (AH00566), "
              "erroneous characters after the protocol string (2.2), invalid method (TLS or other protocols on a plain-HTTP "
              "port), invalid URI (AH00126). The error-log view of HTTPMalformedRequest, as NginxInvalidRequest for nginx.",
              [(apache("core:info", A_IP, "AH00565: request failed: URI too long (longer than 8190)"), {"src_ip": A_IP, "reason": "request failed: URI too long"}),
               ("[Sat Jun 01 00:00:00 2024] [error] [client 198.18.0.9] Invalid method in request \\x16\\x03\\x01\\x02", {"src_ip": A_IP, "reason": "Invalid method in request"}),
               ("[Sat Jun 01 00:00:00 2024] [error] [client 2001:db8::5] request failed: erroneous characters after protocol string: HELO x", {"src_ip": "2001:db8::5"}),
               ("Jun  1 00:00:00 web1 apache2[812]: [core:error] [pid 10] [client 198.18.0.9:50229] AH00126: Invalid URI in request GET /..%2f..%2fetc/passwd HTTP/1.1", {"src_ip": A_IP})],
              [apache("core:info", GOOD, "AH00128: File does not exist: /var/www/html/request failed: x"),
               "Jun  1 00:00:00 web1 myapp[7]: [error] [client 192.0.2.1] Invalid method in request X",
               apache("core:error", GOOD, "AH00124: Request exceeded the limit of 10 internal redirects due to probable configuration error.")])
    emit_rule(out, "CGIShellshockAttempt", SHELLSHOCK_EXPR, "high", "initial-access", "T1190",
              "Shellshock attempt on a CGI script from {{ $labels.src_ip }} ({{ $labels.var }})",
              "A patched bash run as a CGI script refused a function definition in a request header's variable (CVE-2014-6271, "
              "\"ignoring function definition attempt\" / \"error importing function definition for HTTP_...\"), copied to the Apache "
              "error log by mod_cgi (AH01215). The attempt failed, but only an attacker sends `() {` in a header.",
              [(apache("cgi:error", A_IP, "AH01215: /bin/bash: warning: HTTP_USER_AGENT: ignoring function definition attempt: /usr/lib/cgi-bin/status.cgi"), {"src_ip": A_IP, "var": "HTTP_USER_AGENT"}),
               (apache("cgi:error", A_IP, "AH01215: /bin/bash: error importing function definition for `HTTP_REFERER': /usr/lib/cgi-bin/status.cgi"), {"src_ip": A_IP}),
               ("[Sat Jun 01 00:00:00 2024] [error] [client 198.18.0.9] bash: warning: HTTP_COOKIE: ignoring function definition attempt", {"src_ip": A_IP, "var": "HTTP_COOKIE"})],
              [apache("cgi:error", GOOD, "AH01215: /bin/bash: warning: setlocale: LC_ALL: cannot change locale (en_US.UTF-8): /usr/lib/cgi-bin/status.cgi"),
               "Jun  1 00:00:00 host bash[7]: warning: x: ignoring function definition attempt",
               apache("cgi:error", GOOD, "AH01215: /bin/bash: warning: MY_VAR: ignoring function definition attempt: /usr/lib/cgi-bin/status.cgi")])
    emit_rule(out, "ApacheTLSHostMismatch", SNI_EXPR, "info", "reconnaissance", "T1595",
              "TLS SNI and Host disagree for {{ $labels.src_ip }}: {{ $labels.reason }}",
              "Apache mod_ssl refused a request whose Host does not fit the TLS handshake's SNI: SNI without Host "
              "(AH02031), SNI and Host naming different virtual hosts (AH02032), no SNI for a name-based virtual host "
              "with SSLStrictSNIVHostCheck (AH02033). Scanners that walk address ranges do this; a browser that reuses "
              "one HTTP/2 connection for two sites of one certificate can meet AH02032 once, hence the alert's threshold.",
              [(apache("ssl:error", "91.49.82.139", "AH02031: Hostname www.testdom.com provided via SNI, but no hostname provided in HTTP request", port=58028), {"src_ip": "91.49.82.139"}),
               (apache("ssl:error", A_IP, "AH02032: Hostname www.example.com provided via SNI and hostname 192.0.2.1 provided via HTTP have no compatible SSL setup"), {"src_ip": A_IP}),
               (apache("ssl:error", "2001:db8::9", "AH02033: No hostname was provided via SNI for a name based virtual host"), {"src_ip": "2001:db8::9", "reason": "No hostname was provided via SNI for a name based virtual host"}),
               ("[Sat Jun 01 00:00:00 2024] [error] [client 198.18.0.9] Hostname www.example.com provided via SNI and hostname other.example provided via HTTP are different", {"src_ip": A_IP})],
              [apache("ssl:info", GOOD, "AH01964: Connection to child 4 established (server www.example.com:443)"),
               apache("ssl:debug", GOOD, "AH02043: SSL virtual host for servername www.example.com found"),
               apache("core:error", GOOD, "AH00128: File does not exist: /var/www/No hostname was provided via SNI for a name based virtual host"),
               "Jun  1 00:00:00 web1 myapp[7]: [ssl:error] [pid 1] [client 192.0.2.1:5] AH02033: No hostname was provided via SNI for a name based virtual host"])
    emit_rule(out, "ApacheEvasiveBlocked", EVASIVE_EXPR, "low", "impact", "T1499.002",
              "mod_evasive refused {{ $labels.src_ip }} (request rate over its limits)",
              "Apache mod_evasive answered 403 to a client over its page or site request-rate limits (`[evasive20:error] ... "
              "client denied by server configuration`), or put it on its block list (syslog: \"Blacklisting address ADDR: "
              "possible DoS attack.\"). The error-log view of a rate limit, as NginxRequestLimited for nginx.",
              [(apache("evasive20:error", "192.0.2.1", "client denied by server configuration: /path/index.php, referer: https://hostname/path/", port=56175), {"src_ip": "192.0.2.1", "module": "evasive20"}),
               ("[Sat Jun 01 00:00:00.160521 2024] [evasive:error] [pid 22589] [client 198.18.0.9] client denied by server configuration: /var/www/html/index.php", {"src_ip": A_IP}),
               ("Jun  1 00:00:00 web1 apache2[22589]: Blacklisting address 198.18.0.9: possible DoS attack.", {"src_ip": A_IP, "evasive": "Blacklisting"}),
               ("Jun  1 00:00:00 web1 httpd[22589]: Blacklisting address 2001:db8::9: possible DoS attack.", {"src_ip": "2001:db8::9"})],
              [apache("authz_core:error", GOOD, "AH01630: client denied by server configuration: /var/www/html/.htaccess"),
               "[Sat Jun 01 00:00:00 2024] [error] [client 100.64.0.7] client denied by server configuration: /var/www/html/private",
               "Jun  1 00:00:00 web1 myapp[7]: Blacklisting address 192.0.2.1: possible DoS attack.",
               "Jun  1 00:00:00 web1 apache2[7]: Blacklisting address 192.0.2.1: possible DoS attack. from 198.18.0.9"])
    emit_rule(out, "HAProxyAuthRequired", HAPROXY_AUTH_EXPR, "info", "credential-access", "T1110.001",
              "HAProxy asked {{ $labels.src_ip }} for credentials (frontend {{ $labels.frontend }})",
              "HAProxy answered 401 itself (`http-request auth` against a userlist: server <NOSRV>, no connect or response "
              "time): the request carried no credentials or wrong ones; HAProxy's log does not say which. A backend's 401 is "
              "the application's and is not one.",
              [('Nov 14 22:45:11 test haproxy[760]: 198.18.0.9:58430 [14/Nov/2015:22:45:11.608] main main/<NOSRV> -1/-1/-1/-1/0 401 248 - - PR-- 0/0/0/0/0 0/0 "GET / HTTP/1.1"', {"src_ip": A_IP, "frontend": "main"}),
               ('Nov 14 22:45:11 test haproxy[760]: 2001:db8::1234:58430 [14/Nov/2015:22:45:11.608] main main/<NOSRV> -1/-1/-1/-1/0 401 248 - - PR-- 0/0/0/0/0 0/0 "GET / HTTP/1.1"', {"src_ip": "2001:db8::1234"}),
               ('Nov 14 22:45:11 test haproxy[760]: ::ffff:198.18.0.9:58430 [14/Nov/2015:22:45:11.608] main main/<NOSRV> -1/-1/-1/-1/0 401 248 - - PR-- 0/0/0/0/0 0/0 "GET / HTTP/1.1"', {"src_ip": A_IP}),
               ('2024-06-01T00:00:00+00:00 lb1 haproxy[812]: 198.18.0.9:40122 [01/Jun/2024:00:00:00.120] fe_https~ be_app/<NOSRV> 0/-1/-1/-1/0 401 161 - - PR-- 1/1/0/0/0 0/0 "GET /admin HTTP/1.1"', {"src_ip": A_IP, "frontend": "fe_https~"})],
              ['Nov 14 22:45:27 test haproxy[760]: 100.64.0.7:58444 [14/Nov/2015:22:45:25.439] main app/app1 1939/0/1/0/1940 403 5168 - - ---- 3/3/0/0/0 0/0 "GET / HTTP/1.1"',
               'Nov 14 22:45:27 test haproxy[760]: 100.64.0.7:58444 [14/Nov/2015:22:45:25.439] main app/app1 10/0/1/2/13 401 168 - - ---- 3/3/0/0/0 0/0 "GET / HTTP/1.1"',
               'Nov 14 22:45:27 test haproxy[760]: 100.64.0.7:58444 [14/Nov/2015:22:45:25.439] main main/<NOSRV> -1/-1/-1/-1/0 503 212 - - SC-- 0/0/0/0/0 0/0 "GET / HTTP/1.1"',
               'Nov 14 22:45:27 test myapp[7]: 192.0.2.1:58444 [14/Nov/2015:22:45:25.439] main main/<NOSRV> -1/-1/-1/-1/0 401 248 - - PR-- 0/0/0/0/0 0/0 "GET / HTTP/1.1"'])
    emit_rule(out, "ModSecurityAuditTransaction", AUDIT_EXPR, "info", "initial-access", "T1190",
              "ModSecurity audit log transaction from {{ $labels.src_ip }}",
              "Section A header of a ModSecurity serial audit-log entry (`[time] unique_id client_ip client_port server_ip "
              "server_port`): with SecAuditEngine RelevantOnly, each entry is a request that matched a rule or got an error status.",
              [("[30/Sep/2021:13:27:06 +0000] YVW7KjiKxXlACWj0fjsbkgAAAEk ::1 37752 ::1 80", {"src_ip": "::1", "src_port": "37752", "dest_port": "80"}),
               ("[18/Nov/2021:08:34:27.123456 +0100] 163722446755.059797 198.18.0.9 57262 10.0.1.61 443", {"src_ip": A_IP})],
              ["--5a7c1b2d-A--", clf(GOOD, "GET / HTTP/1.1", 200)])

    out.append("  - name: http-alerts\n    interval: 1m\n    rules:")
    for name, sev, tactic, tech, pre, filt, win, thr, distinct, summary, desc, pos, neg in ALERTS_ACCESS:
        emit_rule(out, name, alert_expr(access_pipeline(pre) + " | " + filt + ' | src_ip != ""', win, thr, distinct),
                  sev, tactic, tech, summary, desc, pos, neg)
    emit_rule(out, "HTTPBasicAuthBruteForce", alert_expr(AUTH_EXPR, "1m", "> 5", None), "medium", "credential-access", "T1110.001",
              "HTTP basic-auth brute force from {{ $labels.src_ip }}: {{ $value }} failures in 1 minute",
              "More than 5 basic-authentication failures in a web server error log (HTTPBasicAuthFailure: nginx auth_basic, "
              "Apache mod_auth_basic/digest) from one source in 1 minute. CrowdSec http-generic-bf: a bucket of 5 leaking "
              "one per 10 s. One mistyped password does not alert.",
              [NGX_AUTH_POS[0][0], NGX_AUTH_POS[4][0]], [NGX_AUTH_NEG[0]])
    emit_rule(out, "NginxRequestLimitExceeded", alert_expr(LIMIT_EXPR, "5m", "> 5", None), "medium", "impact", "T1499.002",
              "nginx rate limits exceeded by {{ $labels.src_ip }}: {{ $value }} rejections in 5 minutes",
              "More than 5 requests or connections from one source rejected by nginx limit_req/limit_conn in 5 minutes. "
              "CrowdSec nginx-req-limit-exceeded: a bucket of 5 leaking one per 60 s.",
              [ngx('limiting requests, excess: 5.428 by zone "default_root_zone"', "::1")],
              [ngx('delaying request, excess: 0.500, by zone "one"', GOOD, level="warn")])
    emit_rule(out, "HTTPErrorLogProbing", alert_expr(DENY_EXPR + " | " + NOT_STATIC, "1m", "> 10", "path"), "low", "reconnaissance", "T1595.003",
              "HTTP probing seen in the error log from {{ $labels.src_ip }}: {{ $value }} distinct paths in 1 minute",
              "More than 10 distinct non-static paths that the server refused or did not find (HTTPServerDenied) for one "
              "source in 1 minute. CrowdSec http-probing on error logs: 10 distinct paths leaking one per 10 s. A page with "
              "a few broken images does not alert (static files are not counted).",
              [ngx('open() "/var/www/html/admin.php" failed (2: No such file or directory)', A_IP, req="GET /admin.php HTTP/1.1")],
              [ngx('open() "/var/www/html/img/a.png" failed (2: No such file or directory)', GOOD, req="GET /img/a.png HTTP/1.1")])
    emit_rule(out, "ModSecurityBlock", alert_expr(MS_EXPR + " " + MS_BLOCK, "2m", ">= 1", None), "high", "initial-access", "T1190",
              "ModSecurity blocked {{ $labels.src_ip }}",
              "ModSecurity blocked a request in phase 1 or 2 (request headers or body), or the OWASP CRS inbound anomaly "
              "score exceeded its threshold (949110/980130, also in detection-only mode); one is enough. CrowdSec modsecurity "
              "(a trigger on CRITICAL rules). Blocks in phase 3/4 (the response: data leakage rules) and single rule "
              "warnings below the anomaly threshold do not alert.",
              [('[Thu Sep 30 13:27:06.010524 2021] [:error] [pid 2560:tid 140496349419264] [client ::1:37752] [client ::1] ModSecurity: Access denied with code 403 (phase 2). Operator GE matched 5 at TX:anomaly_score. [file "/x.conf"] [line "93"] [id "949110"] [msg "Inbound Anomaly Score Exceeded (Total Score: 40)"] [severity "CRITICAL"]', {"src_ip": "::1"})],
              ['2025/10/27 19:47:46 [error] 273240#273240: *657 [client 100.64.0.7] ModSecurity: Access denied with code 403 (phase 4). Matched "Operator `Contains\' with parameter `evil\' against variable `RESPONSE_BODY\' (Value: `x\' ) [file "/etc/modsecurity/test.conf"] [line "190"] [id "955003"] [rev ""] [msg ""] [severity "0"], client: 100.64.0.7, server: example.com, request: "GET /x.txt HTTP/1.1"',
               '[Thu Sep 30 13:27:06.010136 2021] [:error] [pid 2560:tid 1] [client 100.64.0.7:37752] [client 100.64.0.7] ModSecurity: Warning. Matched phrase "etc/passwd" at ARGS:a. [file "/x.conf"] [line "97"] [id "930120"] [msg "OS File Access Attempt"] [severity "CRITICAL"]'])
    emit_rule(out, "NginxInvalidRequests", alert_expr(BADREQ_EXPR, "5m", "> 5", None), "low", "reconnaissance", "T1595",
              "{{ $value }} unparsable request lines from {{ $labels.src_ip }} in 5 minutes (nginx error log)",
              "More than 5 request lines nginx could not parse (NginxInvalidRequest) from one source in 5 minutes: a "
              "protocol scanner, as HTTPMalformedRequests in the access log. A client that once spoke TLS to port 80 does "
              "not alert.",
              [ngx("client sent invalid method while reading client request line", A_IP, level="info", req="\\x16\\x03\\x01")],
              [ngx("client sent invalid header line while reading client request headers", GOOD, level="info")])
    emit_rule(out, "ApacheInvalidRequests", alert_expr(AP_BADREQ_EXPR, "5m", "> 5", None), "low", "reconnaissance", "T1595",
              "{{ $value }} unparsable request lines from {{ $labels.src_ip }} in 5 minutes (Apache error log)",
              "More than 5 request lines Apache refused (ApacheInvalidRequest) from one source in 5 minutes: a protocol "
              "scanner, as NginxInvalidRequests. A client that once spoke TLS to port 80 does not alert.",
              [apache("core:info", A_IP, "AH00565: request failed: URI too long (longer than 8190)")],
              [apache("core:error", GOOD, "AH00124: Request exceeded the limit of 10 internal redirects due to probable configuration error.")])
    emit_rule(out, "CGIShellshock", alert_expr(SHELLSHOCK_EXPR, "10m", ">= 1", None), "high", "initial-access", "T1190",
              "Shellshock attempt from {{ $labels.src_ip }} reached a CGI script",
              "One CGIShellshockAttempt is enough: a request header carried a bash function definition to a CGI script "
              "(bash refused it; an unpatched bash would have run what followed). Access-log Shellshock is web.yaml's WebShellshock.",
              [apache("cgi:error", A_IP, "AH01215: /bin/bash: warning: HTTP_USER_AGENT: ignoring function definition attempt: /x.cgi")],
              [apache("cgi:error", GOOD, "AH01215: /bin/bash: warning: MY_VAR: ignoring function definition attempt: /x.cgi")])
    emit_rule(out, "ModSecurityAuditFlood", alert_expr(AUDIT_EXPR, "5m", "> 10", None), "medium", "initial-access", "T1190",
              "{{ $value }} ModSecurity audit-log transactions from {{ $labels.src_ip }} in 5 minutes",
              "More than 10 ModSecurity audit-log entries (relevant transactions: a rule matched or the answer was an error) "
              "for one source in 5 minutes.",
              ["[30/Sep/2021:13:27:06 +0000] YVW7KjiKxXlACWj0fjsbkgAAAEk ::1 37752 ::1 80"], ["--5a7c1b2d-A--"])
    emit_rule(out, "ApacheTLSHostMismatches", alert_expr(SNI_EXPR, "5m", "> 10", None), "low", "reconnaissance", "T1595",
              "{{ $value }} requests from {{ $labels.src_ip }} whose Host did not fit the TLS SNI in 5 minutes",
              "More than 10 ApacheTLSHostMismatch refusals for one source in 5 minutes: a scanner walking addresses or "
              "virtual hosts. A browser that reused an HTTP/2 connection across two sites meets one per connection.",
              [apache("ssl:error", A_IP, "AH02033: No hostname was provided via SNI for a name based virtual host")],
              [apache("ssl:info", GOOD, "AH01964: Connection to child 4 established (server www.example.com:443)")])
    emit_rule(out, "ApacheEvasiveDoS", alert_expr(EVASIVE_EXPR, "5m", "> 5", None), "medium", "impact", "T1499.002",
              "mod_evasive refused {{ $labels.src_ip }} {{ $value }} times in 5 minutes",
              "More than 5 mod_evasive refusals or block-list entries (ApacheEvasiveBlocked) for one source in 5 minutes: "
              "the client kept its rate up after the block. As NginxRequestLimitExceeded (CrowdSec nginx-req-limit-exceeded).",
              [apache("evasive20:error", A_IP, "client denied by server configuration: /index.php")],
              [apache("authz_core:error", GOOD, "AH01630: client denied by server configuration: /var/www/html/.htaccess")])
    emit_rule(out, "HAProxyAuthBruteForce", alert_expr(HAPROXY_AUTH_EXPR, "1m", "> 10", None), "medium", "credential-access", "T1110.001",
              "HAProxy basic-auth brute force from {{ $labels.src_ip }}: {{ $value }} refusals in 1 minute",
              "More than 10 HAProxy 401 answers (HAProxyAuthRequired) to one source in 1 minute. Higher than "
              "HTTPAuthBruteForce's 5: HAProxy's log counts a browser's first challenge too (a person who mistypes "
              "twice makes 3).",
              ['Nov 14 22:45:11 test haproxy[760]: 198.18.0.9:58430 [14/Nov/2015:22:45:11.608] main main/<NOSRV> -1/-1/-1/-1/0 401 248 - - PR-- 0/0/0/0/0 0/0 "GET / HTTP/1.1"'],
              ['Nov 14 22:45:27 test haproxy[760]: 100.64.0.7:58444 [14/Nov/2015:22:45:25.439] main app/app1 10/0/1/2/13 401 168 - - ---- 3/3/0/0/0 0/0 "GET / HTTP/1.1"'])
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "http.yaml")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
