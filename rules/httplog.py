"""Where each web server's log line starts and where it writes the client's
address: the access-log formats (combined, common, vhost_combined, nginx,
Caddy and Traefik JSON) parsed into one set of fields, and the error-log
headers of nginx and Apache (2.4 and 2.2 layouts). rules/gen_http.py builds
its rules on these; a rule takes src_ip only from the positions defined here,
never from text the client chose.
"""
import json

import genlib

# ---------------------------------------------------------------------------
# Shared fragments
# ---------------------------------------------------------------------------

# The syslog header before a program tag: rules/genlib.py (shared by every
# pack).
SYSLOG_HEADER = genlib.SYSLOG_HEADER


def syslog_prefix(progs):
    """Optional syslog wrapping of a daemon's own line: the shared header and
    program tag (genlib.program_start), or the receiver's `prog[pid]: ` alone."""
    return r"(?:" + genlib.program_start(progs) + r")?"


IP = r"[0-9A-Fa-f:.]+"   # IPv4 or IPv6 text; the position makes it the client

# What a container runtime writes before each line of a web server's stdout:
# Docker's `docker logs --timestamps` (`2025-05-09T15:43:20.435712963Z `) and
# the CRI log files of Kubernetes (`/var/log/containers/*.log`:
# `2025-05-09T15:43:20.435712963Z stdout F `). The runtime writes it, so the
# daemon's own line, and the client's position in it, follow unchanged.
CONTAINER_PREFIX = r'(?:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d) (?:(?:stdout|stderr) [FP] )?)?'

# ---------------------------------------------------------------------------
# Access-log formats, behind one function (access_pipeline). Not imported
# from rules/gen_web.py: its text regex (ACCESS_TEXT_REGEX, being added there)
# requires METHOD URI, so it cannot see malformed request lines, and it keeps
# neither the user field nor Caddy's and Traefik's JSON; the version on this
# branch also writes web.yaml when imported. Switch when the shared table has
# those.
#
# Normalised fields, whatever the format: src_ip, method, uri, proto, status,
# user ("" or "-" when none), ua ("" or "-" when none); CLF also `request`
# (the raw request line, for malformed-request rules) and `vhost`.
# ---------------------------------------------------------------------------

# combined, common and vhost_combined (Apache %v:%p / nginx $host first), with
# anything after the user agent (nginx's "$http_x_forwarded_for", Traefik's
# counters). The request line is read escape-aware ("(?:[^"\\]|\\.)*": nginx
# writes \x22, Apache \"), so a URI cannot close the quotes and fake a status.
# A request that is not METHOD SP URI [SP HTTP/x] leaves method/uri/proto unset.
QSTR = r'(?:[^"\\]|\\.)*'
CLF_RE = (r'^' + CONTAINER_PREFIX + syslog_prefix(r"nginx|apache2?|httpd|openresty|angie|traefik|lighttpd")
          + r'(?:(?P<vhost>[A-Za-z0-9_.-]+(?::\d+)?) )?(?P<src_ip>' + IP + r') \S+ (?P<user>\S+) \[[^\]]+\] '
          r'"(?P<request>(?:(?P<method>[A-Z][A-Z_-]*) (?P<uri>' + QSTR + r'?)(?: (?P<proto>HTTP/[^"\\ ]*))?|'
          + QSTR + r'))" (?P<status>\d{3}) (?:\d+|-)(?: "' + QSTR + r'" "(?P<ua>' + QSTR + r')")?')

# JSON formats: nginx/Angie/OpenResty with nginx's variable names (remote_addr,
# request_method, request_uri, server_protocol, status, remote_user,
# http_user_agent), Caddy (request.client_ip, else request.remote_ip; arrays
# of headers read by path) and Traefik (ClientHost, RequestMethod, ...). `json`
# fails on text lines (the error is dropped), the CLF regexp on JSON lines;
# a `json` stage sets only the paths the line has, so each format's stage
# fills the fields and a later one overrides only where its keys exist
# (Caddy's client_ip, set by Caddy from trusted proxies, wins over remote_ip).
# One stage per format and no templates: this is 1.5 times faster than one
# `json` plus `label_format` with `or` templates (measured on 200,000 lines).
ACCESS_NORMALISE = (
    "| json src_ip=\"remote_addr\", method=\"request_method\", uri=\"request_uri\", proto=\"server_protocol\","
    " status=\"status\", user=\"remote_user\", ua=\"http_user_agent\""
    " | json src_ip=\"request.remote_ip\", method=\"request.method\", uri=\"request.uri\", proto=\"request.proto\","
    " user=\"user_id\", ua=`request.headers[\"User-Agent\"][0]`, caddy_auth=`resp_headers[\"Www-Authenticate\"][0]`"
    " | json src_ip=\"request.client_ip\""
    " | json src_ip=\"ClientHost\", method=\"RequestMethod\", uri=\"RequestPath\", proto=\"RequestProtocol\","
    " status=\"DownstreamStatus\", user=\"ClientUsername\", ua=`[\"request_User-Agent\"]`"
    " | drop __error__, __error_details__")

# Any access line: CLF's `" 404 `, or a JSON format's client key.
ACCESS_ANY = r'" \d{3} |"(?:remote_addr|remote_ip|ClientHost)":'


def access_pipeline(prefilter):
    """Selector, the rule's cheap line filter, then every access format
    parsed into the normalised fields."""
    return '{job=~".+"} |~ %s | regexp %s %s' % (dq(prefilter), bq(CLF_RE), ACCESS_NORMALISE)


# ---------------------------------------------------------------------------
# Error logs
# ---------------------------------------------------------------------------

# nginx: `2021/09/30 09:23:53 [error] 1925800#1925800: *17 MESSAGE, client:
# ADDR, server: NAME, request: "...", host: "..."`. MESSAGE (user names, file
# paths from the decoded URI) and request are the client's text and may hold
# ", client: 9.9.9.9": a line with two ", client: " is refused (NGX_ONE_CLIENT),
# so a crafted request can hide itself but never name another address.
NGX_HDR = (r'^' + CONTAINER_PREFIX + syslog_prefix(r"nginx|openresty|angie")
           + r'(?:\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2} )?\[(?P<level>[a-z]+)\] \d+#\d+: (?:\*\d+ )?')
NGX_CLIENT = r', client: (?P<src_ip>' + IP + r'), server: '
NGX_ONE_CLIENT = r'!~ ", client: .*, client: "'

# Apache httpd 2.4: `[Thu Oct 13 12:24:49.880562 2022] [auth_basic:error] [pid
# 10:tid 1401] [client 31.33.58.75:50229] AH01618: ...`; the client bracket is
# written before the message, so the first one is the daemon's (ModSecurity
# adds its own `[client ::1]` after it). 2.4 writes `%a`, address and port,
# which splits an IPv6 address from its port; an IPv6 address may also come
# bracketed (`[client [2001:db8::1]:443]`). Without a port (a custom
# ErrorLogFormat, some proxy_fcgi lines) only an IPv4 address is unambiguous
# (`2001:db8::1:443` could be either), so APACHE24_V4 takes IPv4 alone. The
# optional `(70014)End of file found: ` and `file.c(12): ` parts hold no `[`.
# Apache 2.2: `[Thu Sep 30 13:27:06 2021] [error] [client 1.2.3.4] ...`
# without a port (a 2.4 ErrorLogFormat that writes this layout may add one to
# an IPv4 address: the dotted quad is read first, so the port never joins it), and without the time when it logs to syslog (`ErrorLog
# syslog`: `httpd[812]: [error] [client ...`; one instance of several piped to
# `logger -t httpd/backend1` writes `httpd/backend1[22034]:`, a tag fail2ban's
# apache-common accepts for that reason).
APACHE_PROGS = r"(?:apache2?|httpd)(?:/[\w.-]+)?"
APACHE24_HDR = (r'^' + CONTAINER_PREFIX + syslog_prefix(APACHE_PROGS)
                + r'(?:\[[^\]]+\] )?\[(?P<module>[\w-]*):(?P<level>\w+)\] (?:\[pid \d+(?::tid \d+)?\] )?(?:[^\[]* )?')
APACHE24 = APACHE24_HDR + r'\[client \[?(?P<src_ip>' + IP + r')\]?:\d+\] '
APACHE24_V4 = APACHE24_HDR + r'\[client (?P<src_ip>\d{1,3}(?:\.\d{1,3}){3})\] '
APACHE22 = (r'^' + CONTAINER_PREFIX + syslog_prefix(APACHE_PROGS)
            + r'(?:\[[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}\] )?\[(?P<level>\w+)\] '
            r'\[client (?P<src_ip>\d{1,3}(?:\.\d{1,3}){3}|' + IP + r')(?::\d+)?\] ')


def apache_stages(msg24, msg22=None):
    """The `| regexp` stages that read one Apache error-log message (msg24 in
    2.4's layouts, msg22 in 2.2's, the same by default): each is anchored at
    the daemon's line start, so at most one of them matches a line."""
    msg22 = msg24 if msg22 is None else msg22
    return " ".join("| regexp " + bq(r) for r in (APACHE24 + msg24, APACHE24_V4 + msg24, APACHE22 + msg22))


def bq(s):  # LogQL backtick string
    assert '`' not in s, s
    return '`' + s + '`'


def dq(s):  # LogQL double-quoted string
    return json.dumps(s)
