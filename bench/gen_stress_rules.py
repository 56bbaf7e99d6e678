#!/usr/bin/env python3
"""bench/gen_stress_rules.py - a synthetic rule pack for measuring ward-match
with many rules (docs/rules.md, "Speed"): N rules (default 300) in the shapes
the packs use, over the message formats of real daemons (sshd, postfix,
dovecot, vsftpd, proftpd, pure-ftpd, mysqld, postgres, nginx, apache, sudo,
su, named, kernel netfilter, ...), each with its own literals:

  tagging:   {job=~".+"} |= "LIT" | regexp `^HDR prog\\[\\d+\\]: LIT ... (?P<src_ip>...)` | src_ip != ""
  alerting:  sum by (src_ip) (count_over_time({job=~".+"} |~ `A|B` | regexp `..A..` | regexp `..B..` | src_ip != "" [10m])) >= 5
  caseless:  {job=~".+"} |~ `(?i)lit` | regexp `...` | src_ip != ""

It is a measuring set, not a detection pack: its rules are not tuned to
anything and carry no tests. Usage: gen_stress_rules.py [-n 300] [--shapes tag,alert] -o DIR
(writes DIR/stress.yaml). With all five shapes each sshd line of the
generated auth log is selected by about five rules (a worst case for the
output); --shapes tag,alert -n 120 gives one tagging and one alerting rule
per message format, as the packs are written."""
import argparse
import os

HDR = r"^(?:\w{3} +\d+ [\d:]+ \S+ |\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-][\d:]+) \S+ )?"
IP = r"(?P<src_ip>[0-9A-Fa-f:.]+)"

# (program regex, literal that names the event, rest of the line after it)
FORMATS = [
    (r"sshd(?:-session)?\[\d+\]", "Failed password for ", r"(?:invalid user )?(?P<user>.*) from " + IP + r" port \d+ ssh2$"),
    (r"sshd(?:-session)?\[\d+\]", "Invalid user ", r"(?P<user>.*) from " + IP + r"(?: port \d+)?$"),
    (r"sshd(?:-session)?\[\d+\]", "Connection closed by authenticating user ", r"(?P<user>.*) " + IP + r" port \d+ \[preauth\]$"),
    (r"sshd(?:-session)?\[\d+\]", "Did not receive identification string from ", IP + r"(?: port \d+)?$"),
    (r"sshd(?:-session)?\[\d+\]", "Unable to negotiate with ", IP + r" port \d+: no matching"),
    (r"sshd(?:-session)?\[\d+\]", "Bad protocol version identification ", r".* from " + IP),
    (r"sshd(?:-session)?\[\d+\]", "banner exchange: Connection from ", IP + r" port \d+: invalid format"),
    (r"sshd(?:-session)?\[\d+\]", "error: kex_exchange_identification: ", r".*"),
    (r"sshd(?:-session)?\[\d+\]", "Disconnected from invalid user ", r"(?P<user>.*) " + IP + r" port \d+ \[preauth\]$"),
    (r"sshd(?:-session)?\[\d+\]", "error: maximum authentication attempts exceeded for ", r"(?:invalid user )?(?P<user>.*) from " + IP),
    (r"postfix/smtpd\[\d+\]", "warning: unknown[", r"[^\]]*\]: SASL (?:LOGIN|PLAIN) authentication failed"),
    (r"postfix/smtpd\[\d+\]", "NOQUEUE: reject: RCPT from ", r"\S+\[" + IP + r"\]: 554"),
    (r"postfix/smtpd\[\d+\]", "lost connection after AUTH from ", r"\S+\[" + IP + r"\]"),
    (r"postfix/smtpd\[\d+\]", "improper command pipelining after ", r"\S+ from \S+\[" + IP + r"\]"),
    (r"postfix/postscreen\[\d+\]", "PREGREET ", r"\d+ after [\d.]+ from \[" + IP + r"\]"),
    (r"postfix/postscreen\[\d+\]", "DNSBL rank ", r"\d+ for \[" + IP + r"\]"),
    (r"dovecot(?:\[\d+\])?", "imap-login: Disconnected (auth failed", r".*rip=" + IP),
    (r"dovecot(?:\[\d+\])?", "pop3-login: Aborted login (auth failed", r".*rip=" + IP),
    (r"dovecot(?:\[\d+\])?", "auth: pam_unix(dovecot:auth): authentication failure", r".*rhost=" + IP),
    (r"vsftpd(?:\[\d+\])?", "FAIL LOGIN: Client \"", IP + r"\"$"),
    (r"proftpd\[\d+\]", "USER ", r"(?P<user>\S+) \(Login failed\): Incorrect password"),
    (r"proftpd\[\d+\]", "Maximum login attempts (", r"\d+\) exceeded, connection refused"),
    (r"pure-ftpd(?:\[\d+\])?", "Authentication failed for user [", r"(?P<user>[^\]]*)\]"),
    (r"mysqld(?:\[\d+\])?", "Access denied for user '", r"(?P<user>[^']*)'@'" + IP + r"'"),
    (r"postgres(?:ql)?\[\d+\]", "FATAL:  password authentication failed for user \"", r"(?P<user>[^\"]*)\""),
    (r"postgres(?:ql)?\[\d+\]", "FATAL:  no pg_hba.conf entry for host \"", IP + r"\""),
    (r"mongod(?:\[\d+\])?", "Authentication failed", r".*remote\":\"" + IP),
    (r"redis-server(?:\[\d+\])?", "Possible SECURITY ATTACK detected", r".*"),
    (r"nginx(?:\[\d+\])?", "limiting requests, excess: ", r"[\d.]+ by zone \"\w+\", client: " + IP),
    (r"nginx(?:\[\d+\])?", "no user/password was provided for basic authentication, client: ", IP),
    (r"nginx(?:\[\d+\])?", "user \"", r"(?P<user>[^\"]*)\" was not found in \".*\", client: " + IP),
    (r"apache2?(?:\[\d+\])?", "AH01617: user ", r"(?P<user>\S+): authentication failure for .*client " + IP),
    (r"apache2?(?:\[\d+\])?", "AH01630: client denied by server configuration", r".*client " + IP),
    (r"apache2?(?:\[\d+\])?", "AH00126: Invalid URI in request", r".*client " + IP),
    (r"sudo(?:\[\d+\])?", "incorrect password attempts ;", r".*USER=(?P<user>\S+)"),
    (r"sudo(?:\[\d+\])?", "pam_unix(sudo:auth): authentication failure", r".*ruser=(?P<user>\S*)"),
    (r"su(?:\[\d+\])?", "FAILED SU (to ", r"(?P<user>\S+)\)"),
    (r"named\[\d+\]", "query (cache) '", r"[^']*' denied"),
    (r"named\[\d+\]", "zone transfer '", r"[^']*' denied"),
    (r"kernel", "[UFW BLOCK] IN=", r".* SRC=" + IP + r" "),
    (r"kernel", "IPTABLES-DROP: IN=", r".* SRC=" + IP + r" "),
    (r"kernel", "nf_conntrack: table full, dropping packet", r".*"),
    (r"xinetd\[\d+\]", "FAIL: ", r"\S+ address from=" + IP),
    (r"cyrus/imap\[\d+\]", "badlogin: ", r"\S+ \[" + IP + r"\] plaintext"),
    (r"exim\[\d+\]", "authenticator failed for ", r".*\[" + IP + r"\]"),
    (r"courier-pop3d(?:\[\d+\])?", "LOGIN FAILED, user=", r"(?P<user>[^,]*), ip=\[(?:::ffff:)?" + IP + r"\]"),
    (r"asterisk\[\d+\]", "failed for '", IP + r":\d+' - Wrong password"),
    (r"openvpn\[\d+\]", "TLS Error: TLS handshake failed", r".*"),
    (r"openvpn\[\d+\]", "AUTH_FAILED", r".*" + IP),
    (r"gitea\[\d+\]", "Failed authentication attempt for ", r"(?P<user>\S+) from " + IP),
    (r"grafana(?:-server)?\[\d+\]", "Invalid username or password", r".*remote_addr=" + IP),
    (r"haproxy\[\d+\]", "<BADREQ>", r".*"),
    (r"squid\[\d+\]", "TCP_DENIED/", r"\d+ .* " + IP),
    (r"smbd\[\d+\]", "check_ntlm_password:  Authentication for user [", r"(?P<user>[^\]]*)\] .* FAILED"),
    (r"slapd\[\d+\]", "RESULT tag=97 err=49", r".*"),
    (r"systemd-logind\[\d+\]", "Failed to start session", r".*"),
    (r"dropbear\[\d+\]", "Bad password attempt for '", r"(?P<user>[^']*)' from " + IP + r":\d+"),
    (r"dropbear\[\d+\]", "Login attempt for nonexistent user", r".* from " + IP + r":\d+"),
    (r"wordpress(?:\[\d+\])?", "Authentication failure for ", r"(?P<user>\S+) from " + IP),
    (r"monit\[\d+\]", "HttpRequest: access denied -- client ", IP),
]

SHAPES = ("tag", "alert", "alt", "icase", "dup")


def q(s):
    return s.replace("\\", "\\\\").replace('"', '\\"')


def rule(i, shape, prog, lit, rest):
    name = f"Stress{i:03d}{shape.capitalize()}"
    if "(?P<" not in rest:
        rest += "(?P<detail>.*)"
    lit_v = lit if shape != "dup" else lit + ""  # same literal, another rule
    rx = HDR + prog + ": " + esc(lit_v) + rest
    if shape in ("tag", "dup"):
        expr = f'{{job=~".+"}} |= "{q(lit_v)}" | regexp `{rx}` | src_ip != ""'
    elif shape == "alert":
        expr = (f'sum by (src_ip) (count_over_time({{job=~".+"}} |= "{q(lit_v)}" | regexp `{rx}`'
                f' | src_ip != "" [10m])) >= 5')
    elif shape == "alt":
        other = FORMATS[(i * 7 + 3) % len(FORMATS)]
        rx2 = HDR + other[0] + ": " + esc(other[1]) + other[2]
        if "(?P<" not in rx2:
            rx2 += "(?P<detail>.*)"
        expr = (f'sum by (src_ip) (count_over_time({{job=~".+"}} |~ `{esc(lit_v)}|{esc(other[1])}`'
                f' | regexp `{rx}` | regexp `{rx2}` | src_ip != "" [10m])) >= 10')
    else:
        expr = f'{{job=~".+"}} |~ `(?i){esc(lit_v)}` | regexp `(?i){rx}` | src_ip != ""'
    return name, expr


def esc(s):
    out = []
    for c in s:
        out.append("\\" + c if c in r".^$*+?()[]{}|\/" else c)
    return "".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=300)
    ap.add_argument("-o", required=True)
    ap.add_argument("--shapes", default=",".join(SHAPES),
                    help="comma-separated subset of " + ",".join(SHAPES) + " (cycled per format)")
    a = ap.parse_args()
    shapes = a.shapes.split(",")
    os.makedirs(a.o, exist_ok=True)
    lines = ["# generated by bench/gen_stress_rules.py: a measuring set, not a pack", "groups:",
             "  - name: stress", "    rules:"]
    for i in range(a.n):
        prog, lit, rest = FORMATS[i % len(FORMATS)]
        shape = shapes[(i // len(FORMATS)) % len(shapes)]
        name, expr = rule(i, shape, prog, lit, rest)
        lines.append(f"      - alert: {name}")
        lines.append("        expr: '" + expr.replace("'", "''") + "'")
        lines.append("        labels: {severity: info}")
    with open(os.path.join(a.o, "stress.yaml"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
