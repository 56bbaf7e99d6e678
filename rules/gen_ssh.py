#!/usr/bin/env python3
"""Writes rules/ssh.yaml: OpenSSH (sshd, sshd-session, sshd-auth) and Dropbear.

Tagging rules (plain log queries that extract src_ip, user, src_port...) come
from the table TAGS; alerting rules (metric queries with a threshold, grouped
by src_ip) from ALERTS, each built from the same message regexes so a line
counts exactly where it is tagged. Edit the tables and run this again:

    python3 rules/gen_ssh.py && bin/ward-match --test rules/ssh.yaml

Message formats are the daemons' own (OpenSSH auth.c, auth2*.c, auth-pam.c,
packet.c sshpkt_fatal, kex.c, sshd.c; Dropbear svr-auth*.c, svr-session.c;
Linux-PAM pam_unix), across versions: `ssh2`, `ssh1` or nothing after the
port, no port at all (before OpenSSH 5), `fatal:`/`error:` prefixes.

Where the address comes from (log lines are attacker-controlled):
* every regex is anchored at the start of the line: an optional syslog
  header (SYSLOG_HEADER), then the program tag of the daemon, so another
  program's message that quotes an sshd line is not an sshd line;
* a user name is chosen by the client. When it comes before the address
  the regex takes the LAST address followed by nothing but a tail that sshd
  writes itself (` port N ssh2`, a key fingerprint, ` [preauth]`) up to the
  end of the line. Those tails hold no ` from `, so the address sshd wrote
  is the only reading: the user name `x from A port 1 ssh2` makes the line
  `... for x from A port 1 ssh2 from B port 2 ssh2`, which names B, the
  client, and is tagged like any other (dropping it would let a client hide
  its failures behind a user name);
* except the `Failed <method>` lines, whose tail may carry client text
  after `ssh2: ` (a certificate's ID, hostbased's client user and host,
  old sshd's `ruser NAME`, builds that append more): there a client can
  write a whole false tail (`... ssh2: from A port 1 ssh2`), the line
  reads two ways (fail2ban's own samples hold such lines), and one whose
  user name holds ` from ` is not tagged: neither address may be blamed;
* text a client chose that comes AFTER the address (a disconnect reason,
  a version string, a key-exchange offer) is never searched for one.
"""
import os
import sys

import genlib

HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------------------
# The syslog header and the program tag: rules/genlib.py (shared by every
# pack). Solaris/illumos sshd puts a message id after the tag.
SOLARIS_ID = r"(?:\[ID \d+ [a-z0-9]+\.[a-z]+\] )?"


# BusyBox syslogd (Alpine, embedded systems) writes the facility and level
# between the host and the tag (`Jun 20 02:18:39 vps auth.info sshd[1]: `);
# OpenWrt's logread writes ctime(3)'s weekday and year and the facility, no
# host (`Sat Jun 20 02:18:39 2015 authpriv.info dropbear[1]: `: the facility
# stands where the host does). The names are syslog.h's facilitynames and
# prioritynames (letters; local0-7): a token of letters, a dot, letters,
# taken only after a host. A 14-way alternation of the names cost 2.3% of
# the auth-log run (callgrind), this 0.5%; it is no weaker a tie, the
# program's tag still follows it.
HOST = r"(?:[^\s:\[\]]+ (?:[a-z]+[0-7]?\.[a-z]+ )?)?"
# BSD time with ctime's weekday in front (logread), written so that a line
# without one costs a single failed letter test.
HEADER_TIME = (r"(?:(?:[A-Z][a-z]{2} (?:[A-Z][a-z]{2} )? *\d{1,2} \d\d:\d\d:\d\d(?:\.\d+)?(?: \d{4})?"
               r"|" + genlib.ISO_TS + r") )?")
SYSLOG_HEADER = genlib.HEADER_PRI + HEADER_TIME + HOST


# macOS's unified log as `log show` / `log stream` print it (default style):
# after the time, the thread id, type, activity id, PID and TTL columns, then
# `process: message` (macOS 15 runs OpenSSH 9.8+'s sshd-session):
# `2026-02-22 16:56:51.705020-0500  0x14e5ecb  Default  0x0  62761  0  sshd-session: ...`.
# The process column is the image name the logging system records, not text
# the process wrote. One space-led letter test where the header has no host.
MACOS_COLUMNS = r" 0x[0-9a-f]+ +(?:Default|Info|Debug|Error|Fault) +0x[0-9a-f]+ +\d+ +\d+ +"


def prog(names, metalog=False):
    """Anchored start of a line written by one of `names` (a regex alternation):
    a syslog header (genlib's, with BusyBox's and logread's facility.level
    and logread's weekday: HOST, HEADER_TIME) and tag, or with metalog also metalog's `[names] `
    after the time (genlib.metalog_tag) and macOS's unified-log columns
    (MACOS_COLUMNS; the SSH daemons' lines here, other packs' programs keep
    the one form they were measured with)."""
    head = r"^" + genlib.HEADER_PRI + HEADER_TIME
    if not metalog:
        return head + HOST + genlib.tag(names, SOLARIS_ID)
    return (head + r"(?:" + HOST +
            genlib.tag(names, SOLARIS_ID) + r"|" + genlib.metalog_tag(names) +
            r"|" + MACOS_COLUMNS + r"(?:" + names + r"): )")


SSHD = prog(r"sshd(?:-session|-auth)?", metalog=True)
DROPBEAR = prog(r"dropbear", metalog=True)

# A client address as the daemon prints it; an IPv4-mapped IPv6 address is
# reported as the IPv4 address it holds (one source, one key). A link-local
# IPv6 peer carries its zone (getnameinfo NI_NUMERICHOST: `fe80::1%eth0`),
# which is not part of the address.
IP = (r"(?:::[fF]{4}:)?(?P<src_ip>(?:\d{1,3}\.){3}\d{1,3}"
      r"|[0-9A-Fa-f]{0,4}:[0-9A-Fa-f:.]*[0-9A-Fa-f])(?:%[0-9A-Za-z_.-]+)?")
PORT = r"(?P<src_port>\d+)"
# What OpenSSH may write after `from ADDR` in auth_log(): the port (missing
# before 5.x), ` on LOCAL port N` (some builds), the protocol (ssh2, ssh1 or
# nothing), then for key methods `: TYPE FINGERPRINT` (MD5 hex or SHA256),
# a certificate's ID/serial/CA (ID taken without spaces) or hostbased's
# client user/host. Anything else after it and the line is not sshd's.
# (sshd writes the type in capitals and the hex in small letters; readers
# of other tools' test logs, sshguard's, write either case: both are taken,
# as none of it can hold an address.)
KEYINFO = (r"[A-Za-z][A-Za-z0-9-]*(?:@openssh\.com)? (?:(?:SHA256|sha256):[A-Za-z0-9+/=$]+|(?:MD5|md5):[0-9A-Fa-f:]+"
           r"|[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){15})"
           r"(?: ID \S* \(serial \d+\) CA [A-Z][A-Z0-9-]* \S+)?(?:, client user \"[^\" ]*\", client host \"[^\" ]*\")?")
AUTHTAIL = (r"(?: port " + PORT + r")?(?: on [0-9A-Fa-f:.]+(?: port \d+)?)?(?: ssh[12])?(?:: " + KEYINFO + r")?"
            r"(?: \[preauth\])?\s*$")
PREAUTH = r"(?: \[preauth\])?\s*$"
USER = r"(?P<user>.*)"
# Drops a Failed line whose user name holds " from " (see the module comment).
NOFORGE = r'| user !~ `(?:.* )?from .*`'

# ---------------------------------------------------------------------------
# Message regexes, one per message family. (name, literal filter, regex).
M = {}


def msg(key, literal, body, daemon=SSHD, extra=""):
    M[key] = (literal, daemon + body, extra)


# auth.c auth_log(): "%s %s%s%s for %s%.100s from %.200s port %d ssh2%s%s".
# The method is the name the client sent in its request (auth2.c passes it
# on as it came, so a method sshd does not know, or a synonym such as
# publickey-hostbound-v00@openssh.com, is logged too): any token; one with a
# space never matches, so it cannot reach " for ... from ".
METHOD = r"(?P<method>[A-Za-z][A-Za-z0-9@._-]*(?:/[A-Za-z0-9@._-]+)?)"
msg("failed", "Failed ",
    r"(?:error: )?Failed " + METHOD +
    r" for (?:(?P<invalid>invalid user |illegal user ))?" + USER + r" from " + IP + AUTHTAIL, extra=NOFORGE)
# rsyslog's repeated-message reduction wraps a failure: counts as N attempts.
msg("repeated", "message repeated ",
    r"message repeated (?P<repeat>\d+) times: \[ ?Failed " + METHOD +
    r" for (?:(?P<invalid>invalid user |illegal user ))?" + USER + r" from " + IP +
    r"(?: port " + PORT + r")?(?: ssh[12])?(?:: " + KEYINFO + r")? ?\]\s*$", extra=NOFORGE)
# auth.c: "Invalid user %.100s from %.100s port %d" (older: Illegal, no port)
msg("invalid", ["nvalid user ", "llegal user "],
    r"(?:[Ii]nvalid|[Ii]llegal) user " + USER + r" from " + IP + r"(?: port " + PORT + r")?" + PREAUTH)
# auth.c allowed_user(): AllowUsers/DenyUsers/AllowGroups/DenyGroups ("not
# listed in AllowUsers", "listed in DenyUsers", "not in any group", "a group
# is listed in DenyGroups", "none of user's groups are listed in
# AllowGroups"; vendors add their own). The reason is sshd's words: letters,
# spaces and apostrophes only, so it can never hold a second address.
msg("notallowed", " not allowed because ",
    r"User " + USER + r" from " + IP + r" not allowed because (?P<reason>[A-Za-z][A-Za-z' ]*?)" + PREAUTH)
# auth.c auth_root_allowed()
msg("rootrefused", "ROOT LOGIN REFUSED FROM ",
    r"ROOT LOGIN REFUSED FROM " + IP + r"(?: port " + PORT + r")?" + PREAUTH)
# auth.c auth_maxtries_exceeded()
msg("maxtries", "maximum authentication attempts exceeded for ",
    r"(?:error: )?maximum authentication attempts exceeded for (?P<invalid>invalid user )?" + USER + r" from " + IP +
    r"(?: port " + PORT + r")?(?: ssh[12])?" + PREAUTH)
# packet.c ssh_packet_disconnect() after MaxAuthTries (OpenSSH >= 7.5 names the peer)
TOOMANY = (r"(?:error: |fatal: )?Disconnecting (?:(?P<state>STATE) user " + USER + r" )?" + IP + r" port " + PORT +
           r": Too many authentication failures" + PREAUTH)
msg("toomany", "Too many authentication failures", TOOMANY.replace("STATE", "authenticating|invalid"))
# any other reason sshd gives when it drops a client mid-authentication; the
# reason may hold the client's text, so the user is taken without spaces
msg("disconnecting", "Disconnecting ",
    r"(?:error: |fatal: )?Disconnecting (?:(?P<state>authenticating|invalid) user (?P<user>\S*) )?" + IP + r" port " + PORT +
    r": (?P<reason>.*?)" + PREAUTH)
# the same, valid accounts only (an invalid one was counted by its Invalid user line)
msg("toomany_auth", "Too many authentication failures", TOOMANY.replace("(?:(?P<state>STATE) user " + USER + r" )?", "(?P<state>authenticating) user " + USER + r" "))
# auth-pam.c sshpam_query(): "PAM: %s for %s%.100s from %.100s" (+ " via LOCAL" on
# BSD/macOS). %s is pam_strerror(): Linux-PAM "Authentication failure", "User
# not known to the underlying authentication module"; OpenPAM (FreeBSD,
# macOS) "authentication error", "unknown user"; Solaris "Authentication
# failed". Any such phrase: letters and spaces, never an address.
msg("pam", "PAM: ",
    r"(?:error: )?PAM: (?P<reason>[A-Za-z][A-Za-z' ]*?)"
    r" for (?:illegal user |invalid user )?" + USER + r" from " + IP + r"(?: via \S+)?" + PREAUTH)
# Linux-PAM pam_unix / pam_sss as sshd's PAM stack writes them. The address is
# at a fixed field (rhost=); user= comes after it.
PAMFIELDS = r"logname=\S* uid=\d* euid=\d* tty=\S* ruser=\S* rhost=" + IP + r"(?:\s+user=(?P<user>\S*))?\s*$"
msg("pamunix", "authentication failure; ",
    r"(?P<module>pam_[a-z0-9_]+)\(sshd:auth\): authentication failure; " + PAMFIELDS)
# Linux-PAM before 0.99 tagged the line with the service: "sshd(pam_unix)[pid]:"
msg("pamunix_old", "authentication failure; ",
    r"authentication failure; " + PAMFIELDS, daemon=prog(r"sshd\(pam_unix\)"))
# Debian's and Ubuntu's Linux-PAM 0.7x wrote under the application's own ident,
# the module in parentheses: "sshd[pid]: (pam_unix) authentication failure;
# ...". Not counted as an attempt: auth.log held sshd's Failed line beside it.
msg("pamunix_debian", "authentication failure; ",
    r"\((?P<module>pam_[a-z0-9_]+)\) authentication failure; " + PAMFIELDS)
msg("pammore", " more authentication failure",
    r"PAM (?P<count>\d+) more authentication failures?; " + PAMFIELDS)
# packet.c sshpkt_fatal(): "Connection closed by %s", "Connection reset by
# %s", "Disconnected from %s" where %s is "[authenticating|invalid user U ]ADDR port N"
msg("preauth", "[preauth]",
    r"(?:fatal: )?(?P<event>Connection closed by|Connection reset by|Disconnected from)"
    r"(?: (?P<state>authenticating|invalid) user " + USER + r")? " + IP + r" port " + PORT + r" \[preauth\]\s*$")
# the same, valid accounts only
msg("preauth_auth", "authenticating user ",
    r"(?:fatal: )?(?P<event>Connection closed by|Connection reset by|Disconnected from)"
    r" (?P<state>authenticating) user " + USER + r" " + IP + r" port " + PORT + r" \[preauth\]\s*$")
# Older sshd: "Connection closed by ADDR [preauth]" without a port
msg("preauth_old", "[preauth]",
    r"(?:fatal: )?(?P<event>Connection closed by|Connection reset by) " + IP + r" \[preauth\]\s*$")
# packet.c: "Received disconnect from ADDR port N:CODE: REASON [preauth]"
# (older: "from ADDR: CODE: REASON"). REASON is the client's text.
msg("disconnect", "Received disconnect from ",
    r"(?:error: )?Received disconnect from " + IP + r"(?: port " + PORT + r")?: ?(?P<code>\d+): (?P<reason>.*?) \[preauth\]\s*$")
# the client gave up after its credentials were refused (JSch "Auth fail",
# "No supported authentication methods available"); older sshd: no [preauth]
msg("disconnect_authfail", ["Auth fail", "authentication methods available"],
    r"(?:error: )?Received disconnect from " + IP + r"(?: port " + PORT + r")?: ?(?P<code>3|14): (?P<reason>.*(?:Auth fail|No (?:supported )?authentication methods available).*?)" + PREAUTH)
# libwrap (tcp wrappers, hosts.deny): "refused connect from NAME (ADDR)"
msg("refused", "refused connect from ",
    r"refused connect from \S+ \(" + IP + r"\)\s*$")
# kex.c / sshd.c pre-authentication probes. The version string is the
# client's (sshd quotes it): the address is the last one, before sshd's tail.
msg("noident", "Did not receive identification string from ",
    r"Did not receive identification string from " + IP + r"(?: port " + PORT + r")?" + PREAUTH)
msg("badversion", "Bad protocol version identification ",
    r"(?:error: )?Bad protocol version identification .* from " + IP + r"(?: port " + PORT + r")?" + PREAUTH)
# sshpkt_fatal() with a tag: "banner exchange: Connection from ADDR port N: invalid format",
# "ssh_dispatch_run_fatal: Connection from ADDR port N: message authentication code incorrect"
PKTFATAL = (r"(?:fatal: |error: )?(?P<stage>STAGE): Connection from "
            r"(?:(?P<state>authenticating|invalid) user " + USER + r" )?" + IP + r" port " + PORT + r": (?P<reason>[^\[]*?)" + PREAUTH)
msg("banner", "banner exchange: ", PKTFATAL.replace("STAGE", "banner exchange"))
msg("dispatch", "ssh_dispatch_run_fatal: ", PKTFATAL.replace("STAGE", "ssh_dispatch_run_fatal"))
msg("pktfatal", "Connection from ", PKTFATAL.replace("STAGE", r"kex_[a-z_]+|send_[a-z_]+|sshpkt_[a-z_]+|ssh_packet_[a-z_]+"))
# "Unable to negotiate with ADDR port N: no matching %s found. Their offer: %s"
msg("negotiate", "Unable to negotiate with ",
    r"(?:fatal: |error: )?Unable to negotiate with " + IP + r"(?: port " + PORT + r")?: no matching (?P<alg>.+?) found\b.*$")
# sshd.c grace_alarm_handler / OpenSSH 9.8+ listener:
# "Timeout before authentication for ADDR port N" (", pid = N" appended later)
msg("timeout", "Timeout before authentication for ",
    r"(?:fatal: )?Timeout before authentication for " + IP + r"(?: port " + PORT + r")?(?:, pid = \d+.*)?\s*$")
# sshd.c drop_connection(), OpenSSH 9.8+ PerSourcePenalties: the listener
# refuses a source it penalised (srclimit.c srclimit_penalise: failed
# authentication, a crash, connections that never tried to authenticate,
# RefuseConnection, LoginGraceTime) and logs it at INFO:
# "drop connection #%d from [%s]:%d on [%s]:%d %s". Both addresses are the
# socket's (getpeername/getsockname), not the client's words. "past
# MaxStartups" drops are global throttling (any client, a legitimate one
# too) and are not read; srclimit_penalise's own lines are VERBOSE and name
# a masked network (A/32, B/64).
PENALTY_DROP = (r"drop connection #\d+ from \[" + IP + r"\]:" + PORT +
                r" on \[[0-9A-Fa-f:.]+(?:%[0-9A-Za-z_.-]+)?\]:\d+ penalty: (?P<reason>")
msg("penalty", " penalty: ",
    PENALTY_DROP + r"failed authentication|caused crash|connection prohibited by RefuseConnection"
    r"|exceeded LoginGraceTime)\s*$")
# "connections without attempting authentication" (noauth): a source that
# connected and left before authenticating: scanners, but also ssh-keyscan,
# TCP health checks and monitoring probes, which real logs show penalised
# the same way. Counted with the other pre-authentication closes
# (SSHPortScan's bar), not as a guesser.
msg("penalty_noauth", " penalty: ",
    PENALTY_DROP + r"connections without attempting authentication)\s*$")
# kex.c: "probed from %s port %d with %s.  Don't panic." / "scanned from ..."
msg("scanned", "Don't panic",
    r"(?P<event>probed|scanned) from " + IP + r" port " + PORT + r" with .*\.  Don't panic\.\s*$")

# auth-pam.c: a user name longer than PAM allows
msg("toolong", "Username too long from ",
    r"(?:fatal: )?Username too long from " + IP + r"(?: port " + PORT + r")?" + PREAUTH)
# packet.c: after a corrupt packet sshd reads on before failing (CBC attacks)
msg("discarding", "Finished discarding for ",
    r"(?:fatal: )?Finished discarding for " + IP + r"(?: port " + PORT + r")?" + PREAUTH)
# sshd-session.c: IP options (source routing) on the connection
msg("ipopts", " with IP opts: ",
    r"(?:fatal: )?Connection from " + IP + r" port " + PORT + r" with IP opts: .*$")
# monitor.c (RefuseConnection in a Match block)
msg("adminprohibited", "administratively prohibited connection for ",
    r"administratively prohibited connection for (?P<invalid>invalid user )?" + USER + r" from " + IP + r" port " + PORT + PREAUTH)
# auth2-pubkey.c / monitor.c: a FIDO key signed without touch/verification
msg("pubkey_rejected", "requirement not met",
    r"(?:error: )?public key [A-Za-z0-9@.-]+(?: SHA256:[A-Za-z0-9+/=]+)? signature for (?P<invalid>invalid user )?" + USER + r" from " + IP +
    r" port " + PORT + r" rejected: (?P<reason>user (?:presence \(authenticator touch\)|verification) requirement not met)\s*$")
# auth2-pubkeyfile.c: a key or certificate that is right for the account,
# used from an address its from=/source-address option does not allow
msg("keyfrom", "with correct key but not from a permitted host",
    r"(?P<keyfile>\S*): Authentication tried for " + USER + r" with correct key but not from a permitted host \(host=[^\s,]*, ip="
    + IP + r", required=[^)]*\)\.\s*$")
msg("certfrom", "with valid certificate but not from a permitted source address",
    r"(?P<keyfile>\S*): Authentication tried for " + USER + r" with valid certificate but not from a permitted source address \("
    + IP + r"\)\.\s*$")

# obfuscated-openssh builds: a client that does not speak the obfuscation
msg("obfuscated", "on obfuscated handshake from ",
    r"Magic value check failed \(\d+\) on obfuscated handshake from " + IP + r"(?: port " + PORT + r")?" + PREAUTH)

# The Linux audit log (auditd's audit.log, or journald's `audit[PID]: `): the
# records sshd sends about a failed authentication, through libpam
# (pam_audit.c: op=PAM:authentication grantors=..., PAM:bad_ident) or Red
# Hat's audit patch (op=password, op=pubkey), as libaudit's
# audit_log_acct_message() writes them: `op=OP acct="NAME" exe="EXE"
# hostname=H addr=A terminal=T res=failed`. The kernel stamps pid, uid,
# auid, ses and subj, so no other process can pass for sshd; acct is quoted
# only when it holds no space or quote (else hex), so a user name cannot
# carry a field. addr= is taken only when hostname= is `?` or an address:
# from a host name libaudit resolves addr= itself, and the name's owner
# chooses what it resolves to. USER_LOGIN (op=login) repeats the
# outcome of the same attempts and is not read (fail2ban's selinux-ssh
# makes the same choice).
msg("audit", "=failed'",
    r"^(?:(?:node=\S+ )?type=|" + SYSLOG_HEADER + r"audit(?:\[\d+\])?: )(?P<audit_type>USER_AUTH|USER_ERR) "
    r"(?:msg=audit\(\d+\.\d+:\d+\): )?(?:user )?pid=\d+ uid=\d+ auid=\d+ ses=\d+ (?:subj=\S+ )?"
    r"msg='op=(?P<op>\S+)(?: grantors=\S+)? acct=(?:" + r'"(?P<user>[^"]*)"' + r"|[0-9A-F]+) exe=" + r'"(?P<exe>/\S*/sshd(?:-session|-auth)?)" '
    r"hostname=(?:\?|[0-9A-Fa-f.:]+) addr=" + IP + r" terminal=\S+ res=failed'", daemon="")

# Dropbear (svr-authpasswd.c, svr-authpam.c, svr-auth.c, svr-session.c).
# addrstring is "ADDR:PORT".
DADDR = IP + r":" + PORT
msg("db_badpass", "assword attempt for '",
    r"(?:[Bb]ad|[Bb]ad PAM) password attempt for '" + USER + r"' from " + DADDR + r"\s*$", daemon=DROPBEAR)
msg("db_nouser", "ogin attempt for nonexistent user",
    r"[Ll]ogin attempt for nonexistent user(?: '" + USER + r"')? from " + DADDR + r"\s*$", daemon=DROPBEAR)
msg("db_wronguser", "Login attempt with wrong user ",
    r"Login attempt with wrong user " + USER + r" from " + DADDR + r"\s*$", daemon=DROPBEAR)
# "Exit before auth from <ADDR:PORT>: (user 'U', N fails): REASON" (2019+);
# older: "Exit before auth (user 'U', N fails): REASON" with the address only
# in a "- user 'U' from ADDR:PORT" suffix some builds write.
msg("db_exit", "xit before auth",
    r"[Ee]xit before auth from <" + DADDR + r">: (?:\(user '" + USER + r"', (?P<fails>\d+) fails\): )?(?P<reason>.*)$",
    daemon=DROPBEAR)
# the same with the account named (a nonexistent one is not: its connection
# was counted by its "nonexistent user" line)
msg("db_exit_user", "xit before auth",
    r"[Ee]xit before auth from <" + DADDR + r">: \(user '" + USER + r"', (?P<fails>\d+) fails\): (?P<reason>.*)$", daemon=DROPBEAR)
msg("db_exit_old", "xit before auth",
    r"[Ee]xit before auth \(user '(?P<user>.*)', (?P<fails>\d+) fails\): (?P<reason>Max auth tries reached) - user '.*' from "
    + DADDR + r"\s*$", daemon=DROPBEAR)


def pipe(keys, tail="", key="src_ip"):
    """Log query over one or several message families: a literal filter
    (several as `|~ "a|b"`... kept literal with `or`), then each regex; a
    regex that does not match extracts nothing, so the query ends with
    src_ip != "" (and the families' own filters)."""
    lits = []
    for k in keys:
        for l in (M[k][0] if isinstance(M[k][0], list) else [M[k][0]]):
            if l not in lits:
                lits.append(l)
    q = '{job=~".+"} |= ' + " or ".join('"%s"' % l.replace('"', '\\"') for l in lits)
    extras = []
    for k in keys:
        q += " | regexp `" + M[k][1] + "`"
        if M[k][2] and M[k][2] not in extras:
            extras.append(M[k][2])
    q += ' | %s != ""' % key
    for e in extras:
        q += " " + e
    return q + tail


# ---------------------------------------------------------------------------
# Tagging rules: (name, families, label filter, severity, tactic, technique,
#                 summary, description, match samples, nomatch samples)
# A match sample is (line, {field: value}).

H = "Nov 28 08:43:52 web1 "
T = []


def tag(name, keys, flt, sev, tac, tech, summary, desc, match, nomatch, key="src_ip"):
    T.append(dict(name=name, keys=keys, flt=flt, sev=sev, tac=tac, tech=tech,
                  summary=summary, desc=desc, match=match, nomatch=nomatch, key=key))


FORGED = [
    # another program quoting an sshd line is not sshd
    "Nov 28 08:43:53 web1 myapp[77]: login failed for user sshd[1]: Failed password for root from 192.0.2.1 port 22 ssh2",
    "myapp[77]: login failed for user sshd[1]: Failed password for root from 192.0.2.1 port 22 ssh2",
    "Nov 28 08:43:53 web1 sudo: alice : Failed password for sudo from 10.0.0.1 port 1 ssh2",
]
# A Failed line whose user name holds " from " reads two ways (client text
# may follow "ssh2: "): neither address is trusted.
FRAMING = [
    H + "sshd[814]: Failed password for invalid user x from 192.0.2.1 port 22 ssh2 from 198.18.0.9 port 5555 ssh2",
    H + "sshd[814]: Failed password for invalid user test from 198.18.0.9 port 5555 ssh2: from 192.0.2.1 port 22 ssh2",
    H + "sshd[814]: Failed password for user from 198.18.0.9 port 20000 ssh1: ruser x from 192.0.2.1",
]

# Methods other than the key and host ones (password, keyboard-interactive,
# unknown, tis, kerberos, and names only a client made up) are the password
# family; `none` has its own rule.
KEY_METHODS = "publickey.*|hostbased|gssapi-.*|rsa|rhosts-rsa"
tag("SSHFailedPassword", ["failed"], '| method !~ `' + KEY_METHODS + '|none`',
    "low", "credential-access", "T1110.001",
    "SSH password failure for {{ $labels.user }} from {{ $labels.src_ip }}",
    "OpenSSH rejected a password or keyboard-interactive (PAM) answer. Many from one address is password guessing (T1110.001).",
    [(H + "sshd[812]: Failed password for root from 198.18.0.7 port 4242 ssh2",
      {"user": "root", "src_ip": "198.18.0.7", "src_port": "4242", "method": "password"}),
     ("Jun  1 00:02:31 bastion01 sshd[28709]: Failed password for invalid user zabbix from 198.18.33.54 port 59021 ssh2",
      {"user": "zabbix", "src_ip": "198.18.33.54", "invalid": "invalid user "}),
     (H + "sshd[813]: Failed password for invalid user bob from 2001:db8::7 port 22 ssh2", {"user": "bob", "src_ip": "2001:db8::7"}),
     (H + "sshd-session[815]: Failed password for alice from 198.18.0.10 port 4000 ssh2", {"user": "alice"}),
     (H + "sshd[816]: Failed password for alice from 198.18.0.11 port 4001", {"src_ip": "198.18.0.11", "src_port": "4001"}),
     (H + "sshd[817]: Failed password for dan from 198.18.0.12 port 45416 ssh1", {"src_ip": "198.18.0.12"}),
     (H + "sshd[818]: Failed password for invalid user ROOT from 2001:db8:cc::1:1", {"src_ip": "2001:db8:cc::1:1", "user": "ROOT"}),
     (H + "sshd[819]: Failed keyboard-interactive/pam for invalid user jamedds from 198.18.0.13 port 33723 ssh2",
      {"method": "keyboard-interactive/pam", "user": "jamedds"}),
     (H + "sshd[820]: [ID 800047 auth.info] Failed keyboard-interactive for <invalid username> from 198.18.0.14 port 42742 ssh2",
      {"user": "<invalid username>", "src_ip": "198.18.0.14"}),
     ("2024-08-29T01:08:59.764590+00:00 web1 sshd[821]: Failed password for root from 198.18.0.15 port 22 ssh2", {"src_ip": "198.18.0.15"}),
     ("<38>1 2019-07-08T17:40:16.954167-04:00 fw.example.com sshd 57915 - - Failed unknown for invalid user redmond from 198.18.0.16 port 59197 ssh2",
      {"src_ip": "198.18.0.16", "user": "redmond"}),
     ('<38>1 2019-07-08T17:40:17-04:00 fw sshd 55555 - [timeQuality tzKnown="1"][x@1 t="[b]"] Failed password for bob from 198.18.0.17 port 1 ssh2',
      {"src_ip": "198.18.0.17"}),
     ("sshd[822]: Failed password for root from ::ffff:198.18.0.18 port 22 ssh2", {"src_ip": "198.18.0.18"}),
     ("Nov 28 08:43:52.123456 web1 sshd[825]: Failed password for root from 198.18.0.21 port 22 ssh2", {"src_ip": "198.18.0.21"}),
     ("Thu 2024-08-29 01:08:59 UTC web1 sshd[826]: Failed password for root from 198.18.0.22 port 22 ssh2", {"src_ip": "198.18.0.22"}),
     ("2024-08-29T01:08:59+0000 web1 sshd-session[827]: Failed password for root from 198.18.0.23 port 22 ssh2", {"src_ip": "198.18.0.23"}),
     ("2026-02-22 16:56:51.705020-0500  0x14e5ecb  Info  0x0  62761  0  sshd-session: Failed keyboard-interactive/pam for invalid user admin from 198.18.0.24 port 50000 ssh2",
      {"src_ip": "198.18.0.24", "user": "admin"}),
     ("Feb  7 16:01:07 sshd[823]: Failed password for root from 198.18.0.19 port 22 ssh2", {"src_ip": "198.18.0.19"}),
     (H + "sshd[824]: Failed password for a b c from 198.18.0.20 port 22 ssh2", {"user": "a b c", "src_ip": "198.18.0.20"}),
     ("Jun 25 23:53:34 [sshd] Failed password for root from 198.18.0.24 port 22 ssh2", {"src_ip": "198.18.0.24"}),
     # a method name only the client knows (auth2.c logs what it was sent)
     (H + "sshd[828]: Failed XYZ for invalid user x from 198.18.0.25 port 14423 ssh2", {"method": "XYZ", "src_ip": "198.18.0.25"}),
     # BusyBox syslogd: facility.level between host and tag
     ("Jun 20 02:18:39 vps auth.info sshd[13482]: Failed password for root from 198.18.0.26 port 22 ssh2", {"src_ip": "198.18.0.26"}),
     # a link-local peer: getnameinfo() appends the zone
     (H + "sshd[829]: Failed password for root from fe80::1:2%enp3s0 port 22 ssh2", {"src_ip": "fe80::1:2", "src_port": "22"}),
     ],
    FORGED + FRAMING + [
        H + "sshd[812]: Accepted password for alice from 192.0.2.5 port 4243 ssh2",
        H + "sshd[812]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.18.0.7  user=root",
        H + "sshd[812]: Failed publickey for root from 198.18.0.7 port 4242 ssh2: RSA SHA256:abc",
        H + "sshd[812]: Failed password for root from 198.18.0.7 port 4242 ssh2 trailing text",
        # a method with a space is no token sshd could have been sent
        H + "sshd[812]: Failed a b for root from 198.18.0.7 port 4242 ssh2",
        # a facility token does not make another program's line sshd's
        "Jun 20 02:18:39 vps auth.info myapp[1]: sshd[2]: Failed password for root from 192.0.2.1 port 22 ssh2",
    ])

tag("SSHFailedPublickey", ["failed"], '| method =~ `' + KEY_METHODS + '`',
    "low", "credential-access", "T1110",
    "SSH key rejected for {{ $labels.user }} from {{ $labels.src_ip }}",
    "A client offered a public key, host key or Kerberos ticket the server rejected (key spraying, or a stolen key for the wrong account).",
    [(H + "sshd[812]: Failed publickey for root from 198.18.0.7 port 4242 ssh2: RSA SHA256:abcDEF123+/x",
      {"user": "root", "src_ip": "198.18.0.7", "src_port": "4242", "method": "publickey"}),
     (H + "sshd[812]: Failed publickey for invalid user git from 198.18.0.8 port 22 ssh2: ED25519 SHA256:zz", {"user": "git"}),
     (H + 'sshd[812]: Failed hostbased for dan from 198.18.0.9 port 45785 ssh2: RSA 8c:e3:aa:0f:64:51:02:f7:14:79:89:3f:65:84:7c:30, client user "dan", client host "localhost.localdomain"',
      {"user": "dan", "src_ip": "198.18.0.9", "method": "hostbased"}),
     (H + "sshd[812]: Failed publickey for bob from 198.18.0.10 port 22 ssh2: RSA-CERT SHA256:q ID bob@corp (serial 7) CA RSA SHA256:r",
      {"src_ip": "198.18.0.10"}),
     (H + "sshd[812]: Failed gssapi-with-mic for carol from 198.18.0.11 port 22 ssh2", {"method": "gssapi-with-mic"}),
     (H + "sshd[812]: Failed publickey-hostbound-v00@openssh.com for eve from 198.18.0.12 port 22 ssh2: ECDSA sha256:0123abc+/x",
      {"method": "publickey-hostbound-v00@openssh.com", "src_ip": "198.18.0.12"}),
     (H + "sshd[812]: Failed publickey for eve from 198.18.0.13 port 22 ssh2: rsa MD5:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF",
      {"src_ip": "198.18.0.13"})],
    ["Jun  1 00:00:01 bastion01 sshd[37634]: Accepted publickey for deploy75 from 10.5.220.47 port 49892 ssh2: RSA SHA256:YexdoE+7Q0eOT",
     # a certificate ID is the client's text: one holding spaces is not trusted
     H + "sshd[812]: Failed publickey for r from 192.0.2.1 port 1 ssh2: RSA-CERT SHA256:q ID x from 192.0.2.9 port 2 ssh2: RSA SHA256:z (serial 1) CA RSA SHA256:r",
     # ... nor one that writes a whole false tail (ID "a from 192.0.2.9 port 2 ssh2: RSA SHA256:z ID b")
     H + "sshd[812]: Failed publickey for r from 198.18.0.7 port 1 ssh2: RSA-CERT SHA256:q ID a from 192.0.2.9 port 2 ssh2: RSA SHA256:z ID b (serial 1) CA RSA SHA256:r",
     # ... nor hostbased's client user or host
     H + 'sshd[812]: Failed hostbased for r from 198.18.0.7 port 1 ssh2: RSA SHA256:k, client user "a from 192.0.2.9 port 2 ssh2: RSA SHA256:z, client user "", client host "h"',
     ])

tag("SSHSecurityKeyRejected", ["pubkey_rejected"], "", "low", "credential-access", "T1110",
    "FIDO key signature for {{ $labels.user }} from {{ $labels.src_ip }} rejected: {{ $labels.reason }}",
    "A security-key (sk-) signature came without the touch or PIN verification the server requires: a key used without its owner present.",
    [(H + "sshd-session[1]: error: public key ED25519-SK signature for alice from 198.18.0.7 port 22 rejected: user presence (authenticator touch) requirement not met ",
      {"user": "alice", "src_ip": "198.18.0.7"}),
     (H + "sshd[1]: public key ECDSA-SK SHA256:abc signature for invalid user x from 198.18.0.8 port 1 rejected: user verification requirement not met",
      {"src_ip": "198.18.0.8"}),
     # a user name that frames 192.0.2.1: the client is the last address
     (H + "sshd[1]: public key ED25519-SK signature for a from 192.0.2.1 port 1 rejected: x from 198.18.0.7 port 22 rejected: user verification requirement not met",
      {"src_ip": "198.18.0.7", "user": "a from 192.0.2.1 port 1 rejected: x"})],
    [H + "sshd[1]: public key ED25519-SK signature for a from 198.18.0.7 port 22 rejected: user verification requirement not met; more"])

tag("SSHKeyFromForbiddenAddress", ["keyfrom", "certfrom"], "", "high", "credential-access", "T1552.004",
    "the right key for {{ $labels.user }} was used from {{ $labels.src_ip }}, which its from= option forbids",
    "sshd accepted the key or certificate as the account's, but the address is outside its from=/source-address restriction: "
    "a copied private key used from elsewhere, or the owner on an unexpected network.",
    [(H + "sshd[1]: /home/deploy/.ssh/authorized_keys:3: Authentication tried for deploy with correct key but not from a permitted host (host=x.example.net, ip=198.18.0.9, required=10.0.0.0/8).",
      {"user": "deploy", "src_ip": "198.18.0.9", "keyfile": "/home/deploy/.ssh/authorized_keys:3"}),
     (H + "sshd[1]: cert: Authentication tried for ci with valid certificate but not from a permitted source address (198.18.0.10).",
      {"user": "ci", "src_ip": "198.18.0.10"})],
    [H + "sshd[1]: f:1: Authentication tried for a with correct key but not from a permitted host (host=h, ip=192.0.2.1, required=x). from a permitted host (host=h, ip=198.18.0.9, required=y).",
     H + "sshd[1]: f:1: Authentication tried for a with correct key but not from a permitted host (host=h, ip=192.0.2.1, required=x) trailing"])

tag("SSHFailedNone", ["failed"], '| method = "none"', "info", "reconnaissance", "T1589.001",
    "SSH 'none' authentication probe for {{ $labels.user }} from {{ $labels.src_ip }}",
    "Clients start with the 'none' method to list what the server allows; sshd logs it at INFO only for unknown users, so it marks user guessing.",
    [(H + "sshd[812]: Failed none for invalid user admin from 198.18.0.7 port 4242 ssh2", {"user": "admin", "src_ip": "198.18.0.7"})],
    [H + "sshd[812]: Failed password for invalid user admin from 198.18.0.7 port 4242 ssh2"])

tag("SSHRepeatedFailure", ["repeated"], "", "low", "credential-access", "T1110.001",
    "{{ $labels.repeat }} more SSH failures for {{ $labels.user }} from {{ $labels.src_ip }}",
    "rsyslog folded N identical failures into one line (RepeatedMsgReduction); the brute-force rules count it as N attempts.",
    [(H + "sshd[24227]: message repeated 5 times: [ Failed password for root from 198.18.0.7 port 42393 ssh2]",
      {"repeat": "5", "user": "root", "src_ip": "198.18.0.7", "src_port": "42393"}),
     (H + "sshd[24227]: message repeated 2 times: [ Failed password for invalid user oracle from 198.18.0.8 port 1]",
      {"repeat": "2", "user": "oracle"}),
     ],
    [H + "myapp[1]: message repeated 5 times: [ Failed password for root from 192.0.2.1 port 1 ssh2]",
     H + "sshd[24227]: message repeated 5 times: [ Failed password for x from 192.0.2.1 port 1 ssh2 from 198.18.0.7 port 2 ssh2]"])

tag("SSHInvalidUser", ["invalid"], "", "low", "credential-access", "T1110.003",
    "SSH login attempt for unknown user {{ $labels.user }} from {{ $labels.src_ip }}",
    "A client tried a user name that does not exist: user enumeration or password spraying. Logged once per connection.",
    [("Jun  1 00:02:28 bastion01 sshd[28709]: Invalid user zabbix from 198.18.33.54 port 59021",
      {"user": "zabbix", "src_ip": "198.18.33.54", "src_port": "59021"}),
     ("Jun  1 00:02:28 bastion01 sshd[28709]: Invalid user  from 198.18.33.54 port 59021", {"user": "", "src_ip": "198.18.33.54"}),
     ("Jun  1 00:02:28 bastion01 sshd[28709]: Invalid user admin from 2001:db8::1", {"user": "admin", "src_ip": "2001:db8::1"}),
     ("Jun 12 16:20:12 leto sshd-session[406147]: Invalid user test from 198.18.0.1 port 49916", {"src_ip": "198.18.0.1"}),
     ('<38>1 2022-01-19T14:23:55+00:00 OPNsense.localdomain sshd 44255 - [meta sequenceId="1"] Invalid user tutu from 198.18.0.2 port 33166',
      {"user": "tutu", "src_ip": "198.18.0.2"}),
     ("sshd[22708]: Illegal user ftp from 198.18.0.3", {"user": "ftp", "src_ip": "198.18.0.3"}),
     ("Jun  1 00:02:31 bastion01 sshd[28709]: Invalid user a from 192.0.2.1 port 1 from 198.18.0.9 port 2",
      {"src_ip": "198.18.0.9", "src_port": "2", "user": "a from 192.0.2.1 port 1"}),
     ("Jun 20 02:18:39 vps auth.info sshd[13482]: Invalid user admin from 198.18.0.10", {"src_ip": "198.18.0.10"}),
     (H + "sshd[1]: Invalid user inexu from 2001:db8::a11:beef:7ac0%abcdefgh1234567", {"src_ip": "2001:db8::a11:beef:7ac0"})],
    [FORGED[0],
     "Jun  1 00:02:31 bastion01 sshd[28709]: Failed password for invalid user zabbix from 198.18.33.54 port 59021 ssh2",
     "Jun  1 00:02:31 bastion01 kernel: Invalid user mode from 1.2.3.4",
     "Jun  1 00:02:31 bastion01 sshd[28709]: input_userauth_request: invalid user zabbix [preauth]"])

tag("SSHUserNotAllowed", ["notallowed", "adminprohibited"], "", "low", "credential-access", "T1110",
    "SSH login for {{ $labels.user }} from {{ $labels.src_ip }} refused by sshd_config ({{ $labels.reason }})",
    "AllowUsers/DenyUsers/AllowGroups/DenyGroups refused the account before any password was checked.",
    [(H + "sshd[1]: User root from 198.18.0.7 not allowed because not listed in AllowUsers",
      {"user": "root", "src_ip": "198.18.0.7", "reason": "not listed in AllowUsers"}),
     (H + "sshd[1]: User root from 198.18.0.8 not allowed because listed in DenyUsers", {"src_ip": "198.18.0.8"}),
     (H + "sshd[1]: User allena from 198.18.0.9 not allowed because not in any group", {"user": "allena"}),
     (H + "sshd[1]: User root from 198.18.0.10 not allowed because a group is listed in DenyGroups", {"src_ip": "198.18.0.10"}),
     (H + "sshd[1]: User root from 198.18.0.11 not allowed because none of user's groups are listed in AllowGroups", {"src_ip": "198.18.0.11"}),
     (H + "sshd-session[1]: administratively prohibited connection for invalid user bob from 198.18.0.12 port 2222", {"user": "bob", "src_ip": "198.18.0.12"}),
     (H + "sshd[1]: User x from 192.0.2.1 not allowed because listed in DenyUsers from 198.18.0.7 not allowed because listed in DenyUsers",
      {"src_ip": "198.18.0.7", "user": "x from 192.0.2.1 not allowed because listed in DenyUsers"}),
     # metalog: `[sshd] ` after the time, no host or pid (older versions `[sshd]: `)
     ("Mar  3 00:17:22 [sshd] User root from 198.18.0.13 not allowed because not listed in AllowUsers", {"user": "root", "src_ip": "198.18.0.13"}),
     ("Mar  3 00:17:22 [sshd]: User root from 198.18.0.14 not allowed because listed in DenyUsers", {"src_ip": "198.18.0.14"}),
     ("Mar  3 00:17:22 [sshd][INFO] User root from 198.18.0.15 not allowed because not in any group", {"src_ip": "198.18.0.15"}),
     # a vendor's own reason
     (H + "sshd[1]: User mario from 198.18.0.16 not allowed because account is expired", {"src_ip": "198.18.0.16", "reason": "account is expired"})],
    [H + "sshd[1]: User root not allowed because account is locked",
     # sshd's reason is words only: one that holds an address is not its
     H + "sshd[1]: User x from 198.18.0.7 not allowed because listed in DenyUsers from 192.0.2.1",
     H + "sshd[1]: User x from 198.18.0.7 not allowed because listed in DenyUsers, or so",
     # another program's text that names sshd in brackets is not metalog's sshd line
     "Mar  3 00:17:22 web1 myapp[7]: [sshd] User root from 192.0.2.1 not allowed because not listed in AllowUsers",
     "Mar  3 00:17:22 [myapp] [sshd] User root from 192.0.2.1 not allowed because not listed in AllowUsers",
     "Mar  3 00:17:22 [sshd-agent] User root from 192.0.2.1 not allowed because not listed in AllowUsers"])

tag("SSHRootLoginRefused", ["rootrefused"], "", "medium", "privilege-escalation", "T1078.003",
    "SSH root login refused for {{ $labels.src_ip }}",
    "PermitRootLogin refused a login as root.",
    [(H + "sshd[1643]: ROOT LOGIN REFUSED FROM 198.18.0.7 port 12345 [preauth]", {"src_ip": "198.18.0.7", "src_port": "12345"}),
     (H + "sshd[1643]: ROOT LOGIN REFUSED FROM ::ffff:198.18.0.8", {"src_ip": "198.18.0.8"})],
    [H + "sshd[1643]: Root login accepted for forced command."])

tag("SSHRootLoginAttempt", ["failed", "maxtries"], '| user = "root" | invalid = ""', "medium", "privilege-escalation", "T1078.003",
    "failed SSH login as root from {{ $labels.src_ip }}",
    "Someone tried to log in as root directly; root logins should be disabled (PermitRootLogin no).",
    [(H + "sshd[812]: Failed password for root from 198.18.0.7 port 4242 ssh2", {"user": "root", "src_ip": "198.18.0.7"}),
     ("Jun  1 00:06:25 bastion01 sshd[44167]: error: maximum authentication attempts exceeded for root from 198.19.25.33 port 8028 ssh2 [preauth]",
      {"src_ip": "198.19.25.33"})],
    [H + "sshd[812]: Failed password for invalid user root from 198.18.0.7 port 4242 ssh2",
     H + "sshd[812]: Accepted password for root from 10.0.0.7 port 4242 ssh2",
     H + "sshd[812]: Failed password for rootkit from 198.18.0.7 port 4242 ssh2",
     H + "sshd[812]: error: maximum authentication attempts exceeded for invalid user root from 198.18.0.7 port 1 ssh2 [preauth]"])

tag("SSHMaxAuthAttempts", ["maxtries", "toomany"], "", "medium", "credential-access", "T1110.001",
    "SSH client from {{ $labels.src_ip }} exhausted MaxAuthTries as {{ $labels.user }}",
    "One connection tried more passwords or keys than the server allows: an automated guesser.",
    [("Jun  1 00:06:25 bastion01 sshd[44167]: error: maximum authentication attempts exceeded for root from 198.19.25.33 port 8028 ssh2 [preauth]",
      {"user": "root", "src_ip": "198.19.25.33", "src_port": "8028"}),
     ("Jun  1 00:07:29 bastion01 sshd[45152]: error: maximum authentication attempts exceeded for invalid user ubuntu from 198.19.25.33 port 45779 ssh2 [preauth]",
      {"user": "ubuntu"}),
     ("Jun  1 00:06:25 bastion01 sshd[44167]: Disconnecting authenticating user root 198.19.25.34 port 8028: Too many authentication failures [preauth]",
      {"user": "root", "src_ip": "198.19.25.34"}),
     ("Jun  1 00:06:25 bastion01 sshd[44167]: Disconnecting invalid user pi 198.19.25.35 port 8029: Too many authentication failures [preauth]",
      {"user": "pi", "src_ip": "198.19.25.35"})],
    # the pre-7.5 form names no peer: nothing to key on
    ["Feb 12 04:09:21 localhost sshd[26713]: Disconnecting: Too many authentication failures for root [preauth]"])

tag("SSHPamAuthFailure", ["pam"], "", "low", "credential-access", "T1110.001",
    "SSH PAM authentication failure for {{ $labels.user }} from {{ $labels.src_ip }}",
    "sshd's PAM conversation (keyboard-interactive) failed; sshd also writes a Failed line for it, which is the one the brute-force rules count.",
    [(H + "sshd[13709]: error: PAM: Authentication failure for myhlj1374 from 198.18.0.6", {"user": "myhlj1374", "src_ip": "198.18.0.6"}),
     (H + "sshd[47831]: error: PAM: authentication error for james from 198.18.0.7 via 192.168.1.201", {"src_ip": "198.18.0.7"}),
     (H + "sshd[1328]: error: PAM: User not known to the underlying authentication module for illegal user kernelitshell from 198.18.0.8 ",
      {"user": "kernelitshell", "src_ip": "198.18.0.8"}),
     (H + "sshd[1]: error: PAM: Authentication failure for test-ipv6 from 2001:db8:220:1:248:1893:25c8:1946", {"src_ip": "2001:db8:220:1:248:1893:25c8:1946"}),
     (H + "sshd[1]: error: PAM: Authentication failure for x from 192.0.2.1 from 198.18.0.7", {"src_ip": "198.18.0.7", "user": "x from 192.0.2.1"}),
     # OpenPAM's pam_strerror() (FreeBSD, macOS)
     (H + "sshd[1]: error: PAM: unknown user for illegal user mario from 198.18.0.9", {"src_ip": "198.18.0.9", "user": "mario", "reason": "unknown user"}),
     # macOS 15 unified log (`log show`), OpenPAM's text
     ("2026-02-22 16:56:51.705020-0500  0x14e5ecb  Default  0x0  62761  0  sshd-session: error: PAM: authentication error for sunil from 198.18.0.10",
      {"src_ip": "198.18.0.10", "user": "sunil"})],
    [H + "sshd[1]: error: PAM: Authentication failure for stefanor from example.com",
     # another process's unified-log line quoting sshd's words
     "2026-02-22 16:56:51.705020-0500  0x14e5ecb  Default  0x0  777  0  myapp: sshd-session: error: PAM: authentication error for x from 192.0.2.1",
     "2026-02-22 16:56:51.705020-0500  0x14e5ecb  Default  0x0  777  0  myapp: error: PAM: authentication error for x from 192.0.2.1"])

tag("SSHPamUnixFailure", ["pamunix", "pamunix_old", "pamunix_debian", "pammore"], "", "info", "credential-access", "T1110.001",
    "PAM authentication failure in sshd for {{ $labels.user }} from {{ $labels.src_ip }}",
    "pam_unix (or pam_sss) in sshd's PAM stack rejected a password; the matching Failed line is the one counted, this tags the PAM view (rhost=).",
    [(H + "sshd[1558]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.18.0.7  user=root",
      {"user": "root", "src_ip": "198.18.0.7", "module": "pam_unix"}),
     (H + "sshd[1558]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.18.0.8",
      {"src_ip": "198.18.0.8"}),
     (H + "sshd[1558]: PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.18.0.9  user=root",
      {"count": "2", "src_ip": "198.18.0.9"}),
     (H + "sshd[1558]: PAM 1 more authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.18.0.10",
      {"count": "1"}),
     ("Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=198.18.0.11 ",
      {"src_ip": "198.18.0.11"}),
     ("Jun 15 02:04:59 combo sshd(pam_unix)[20882]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=198.18.0.12  user=root",
      {"src_ip": "198.18.0.12", "user": "root"}),
     ("May 12 09:47:54 oldhost sshd[16004]: (pam_unix) authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.18.0.13  user=root",
      {"src_ip": "198.18.0.13", "user": "root", "module": "pam_unix"}),
     (H + "sshd[16021]: (pam_unix) authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=2001:db8::14",
      {"src_ip": "2001:db8::14"})],
    [H + "sudo[1]: pam_unix(sudo:auth): authentication failure; logname=a uid=1000 euid=0 tty=/dev/pts/0 ruser=a rhost=  user=a",
     H + "su(pam_unix)[1]: authentication failure; logname=a uid=500 euid=0 tty= ruser=a rhost=198.18.0.1  user=root",
     H + "vsftpd: (pam_unix) authentication failure; logname= uid=0 euid=0 tty=ftp ruser= rhost=198.18.0.1",
     H + "myapp[7]: note sshd[1]: (pam_unix) authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.18.0.1",
     H + "sshd[1]: (pam_unix) authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=host.example.com  user=root",
     H + "sshd[1]: pam_unix(sshd:auth): check pass; user unknown",
     H + "sshd[1]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=host.example.com"])

tag("SSHPreauthDisconnect", ["preauth", "preauth_old", "disconnecting"], "", "info", "reconnaissance", "T1595",
    "SSH connection from {{ $labels.src_ip }} ended before authentication",
    "The connection ended before authentication: scanners and brute-force tools do this; so does a person who gives up. With a user (authenticating/invalid user) it is a login that never completed.",
    [("Jun  1 00:02:29 bastion01 sshd[28689]: Connection closed by authenticating user deploy 198.18.33.54 port 26279 [preauth]",
      {"user": "deploy", "src_ip": "198.18.33.54", "src_port": "26279", "state": "authenticating"}),
     ("Jun  1 00:02:32 bastion01 sshd[28709]: Disconnected from invalid user zabbix 198.18.33.54 port 59021 [preauth]", {"user": "zabbix"}),
     ("Jun  1 00:04:55 bastion01 sshd[17562]: Connection closed by 198.19.221.198 port 63987 [preauth]", {"src_ip": "198.19.221.198"}),
     (H + "sshd[1]: Connection reset by authenticating user root 198.18.0.20 port 1558 [preauth]", {"src_ip": "198.18.0.20"}),
     (H + "sshd[1]: Connection closed by authenticating user test 127.0.0.1 198.18.0.11 port 46039 [preauth]",
      {"user": "test 127.0.0.1", "src_ip": "198.18.0.11"}),
     (H + "sshd[1]: Connection closed by 198.18.0.12 [preauth]", {"src_ip": "198.18.0.12"}),
     (H + "sshd[1]: Disconnected from 198.18.0.13 port 36985 [preauth]", {"src_ip": "198.18.0.13"}),
     (H + "sshd[5672]: Disconnecting invalid user admin 198.18.0.14 port 44004: Change of username or service not allowed: (admin,ssh-connection) -> (user,ssh-connection) [preauth]",
      {"src_ip": "198.18.0.14", "user": "admin"}),
     # the second user name is the client's: it cannot move the address
     (H + "sshd[1]: Disconnecting invalid user a 198.18.0.15 port 1: Change of username or service not allowed: (a,ssh-connection) -> (b 192.0.2.1 port 2: x,ssh-connection) [preauth]",
      {"src_ip": "198.18.0.15", "src_port": "1"})],
    ["Jun  1 00:02:32 bastion01 sshd[1]: Disconnected from user deploy75 10.1.2.3 port 5000",
     "Jun  1 00:02:32 bastion01 sshd[1]: Connection closed by 10.1.2.3 port 5000",
     ])

tag("SSHClientDisconnect", ["disconnect", "disconnect_authfail"], "", "info", "reconnaissance", "T1595",
    "SSH client {{ $labels.src_ip }} disconnected before authentication ({{ $labels.code }}: {{ $labels.reason }})",
    "The client sent a disconnect before authenticating. Code 3 with 'Auth fail' (JSch) and 14 'No (supported) authentication methods available' mean its credentials were all refused.",
    [("Jun  1 00:02:32 bastion01 sshd[28709]: Received disconnect from 198.18.33.54 port 59021:11: Bye Bye [preauth]",
      {"src_ip": "198.18.33.54", "src_port": "59021", "code": "11", "reason": "Bye Bye"}),
     (H + "sshd[1]: error: Received disconnect from 198.18.0.34: 3: com.jcraft.jsch.JSchException: Auth fail [preauth]",
      {"src_ip": "198.18.0.34", "code": "3", "reason": "com.jcraft.jsch.JSchException: Auth fail"}),
     (H + "sshd[1]: error: Received disconnect from 198.18.0.35 port 1684:14: No supported authentication methods available [preauth]",
      {"code": "14"}),
     (H + "sshd[4931]: Received disconnect from 198.18.0.37: 3: com.jcraft.jsch.JSchException: Auth fail", {"src_ip": "198.18.0.37", "code": "3"}),
     # the reason is the client's: an address in it is not the source
     (H + "sshd[1]: Received disconnect from 198.18.0.36 port 5:11: from 192.0.2.1 port 6:11: x [preauth]", {"src_ip": "198.18.0.36"})],
    ["Jun  1 00:02:32 bastion01 sshd[1]: Received disconnect from 10.1.2.3 port 5000:11: disconnected by user"])

tag("SSHTcpWrapperRefused", ["refused"], "", "low", "initial-access", "T1133",
    "SSH connection from {{ $labels.src_ip }} refused by hosts.deny",
    "tcp wrappers (libwrap) refused the connection. The name before the address may hold the client's ident answer; the address in parentheses is the peer's.",
    [(H + "sshd[5174]: refused connect from x_@::ffff:198.18.0.161 (::ffff:198.18.0.161)", {"src_ip": "198.18.0.161"})],
    [H + "sshd[5174]: refused connect from a (192.0.2.1) (198.18.0.1) trailing"])

tag("SSHNoIdentification", ["noident"], "", "info", "reconnaissance", "T1595.001",
    "SSH port probe from {{ $labels.src_ip }}: no identification string",
    "A client connected and sent no SSH banner (port scanner, health check, or timeout).",
    [(H + "sshd[5937]: Did not receive identification string from 198.18.0.14", {"src_ip": "198.18.0.14"}),
     (H + "sshd[8782]: Did not receive identification string from 198.18.0.5 port 35836", {"src_port": "35836"})],
    [H + "sshd[1]: error: kex_exchange_identification: Connection closed by remote host"])

tag("SSHBadProtocol", ["badversion", "negotiate", "banner", "dispatch", "pktfatal", "scanned", "obfuscated", "toolong", "discarding", "ipopts"], "", "low", "reconnaissance", "T1595.002",
    "SSH protocol violation from {{ $labels.src_ip }}",
    "A client sent a non-SSH banner, offered no algorithm the server accepts, or broke the packet protocol before authentication: scanners, exploit attempts, or very old clients.",
    [(H + "sshd[8783]: Bad protocol version identification 'GET / HTTP/1.1' from 198.18.0.15 port 31778", {"src_ip": "198.18.0.15"}),
     (H + "sshd[8783]: Bad protocol version identification 'x' from 192.0.2.1' from 198.18.0.16 port 31778", {"src_ip": "198.18.0.16"}),
     (H + "sshd[8783]: Bad protocol version identification GET / HTTP/1.0 from 198.18.0.27", {"src_ip": "198.18.0.27"}),
     ("Jun  8 10:44:36 server sshd[3204729]: Unable to negotiate with 198.18.0.17 port 45626: no matching key exchange method found. Their offer: diffie-hellman-group1-sha1 [preauth] ",
      {"src_ip": "198.18.0.17", "src_port": "45626", "alg": "key exchange method"}),
     (H + "sshd[45]: fatal: Unable to negotiate with 198.18.0.18 port 55419: no matching cipher found. Their offer: 3des-cbc", {"alg": "cipher"}),
     ("Dec  1 18:59:33 hostname sshd[1189573]: banner exchange: Connection from 198.18.0.19 port 34388: invalid format",
      {"src_ip": "198.18.0.19", "stage": "banner exchange", "reason": "invalid format"}),
     ("Jul  2 11:32:16 i sshd[309785]: ssh_dispatch_run_fatal: Connection from 198.18.0.20 port 48680: message authentication code incorrect [preauth]",
      {"src_ip": "198.18.0.20", "stage": "ssh_dispatch_run_fatal", "reason": "message authentication code incorrect"}),
     (H + "sshd[1]: ssh_dispatch_run_fatal: Connection from authenticating user root 198.18.0.21 port 1: Connection corrupted [preauth]",
      {"src_ip": "198.18.0.21", "user": "root"}),
     (H + "sshd[1]: probed from 198.18.0.22 port 40000 with SSH-2.0-OpenSSH_5.3.  Don't panic.", {"src_ip": "198.18.0.22"}),
     (H + "sshd[1]: fatal: Username too long from 198.18.0.24 port 1", {"src_ip": "198.18.0.24"}),
     (H + "sshd[1]: Finished discarding for 198.18.0.25 port 2", {"src_ip": "198.18.0.25"}),
     (H + "sshd[1]: fatal: Connection from 198.18.0.26 port 3 with IP opts: 0x83 0x07", {"src_ip": "198.18.0.26"}),
     (H + "sshd[386400]: Magic value check failed (4289475479) on obfuscated handshake from 198.18.0.23 port 62730",
      {"src_ip": "198.18.0.23", "src_port": "62730"})],
    [H + "sshd[1]: error: Bad remote protocol version identification: 'x'",
     H + "sshd[1]: fatal: Unable to negotiate a key exchange method [preauth]",
     H + "sshd[1]: Connection from 10.1.2.3 port 5000 on 10.0.0.1 port 22 rdomain \"\""])

tag("SSHPreauthTimeout", ["timeout"], "", "low", "impact", "T1499",
    "SSH client {{ $labels.src_ip }} held a connection until LoginGraceTime expired",
    "The client never finished authenticating within LoginGraceTime: slow brute force, connection exhaustion, or a CVE-2024-6387 (regreSSHion) race attempt.",
    [("Jul  1 09:30:56 usbkey sshd[8807]: fatal: Timeout before authentication for 198.18.0.12 port 47056",
      {"src_ip": "198.18.0.12", "src_port": "47056"}),
     (H + "sshd[1]: Timeout before authentication for 198.18.0.13 port 1, pid = 4242", {"src_ip": "198.18.0.13"})],
    [H + "sshd[1]: Timeout, client not responding from user alice 10.0.0.1 port 5"])

PENALTY_SAMPLE = ("Oct  2 17:50:01 ubuntu sshd[5090]: drop connection #13 from [198.18.0.7]:57590 "
                  "on [198.18.0.1]:22 penalty: failed authentication")
tag("SSHPenaltyDrop", ["penalty", "penalty_noauth"], "", "low", "credential-access", "T1110",
    "sshd refused {{ $labels.src_ip }} under PerSourcePenalties ({{ $labels.reason }})",
    "OpenSSH 9.8+ (PerSourcePenalties, on by default) refused a new connection from an address it had penalised for "
    "failed authentication, a crash, connections that never tried to authenticate, RefuseConnection or LoginGraceTime: "
    "the source came back while still penalised.",
    [(PENALTY_SAMPLE, {"src_ip": "198.18.0.7", "src_port": "57590", "reason": "failed authentication"}),
     ("sshd[5090]: drop connection #0 from [198.18.0.8]:40001 on [10.0.0.1]:22 penalty: connections without attempting authentication",
      {"src_ip": "198.18.0.8", "reason": "connections without attempting authentication"}),
     ("2025-01-02T03:04:05.123456+00:00 web1 sshd[77]: drop connection #2 from [2001:db8::9]:50000 on [2001:db8::1]:22 penalty: caused crash",
      {"src_ip": "2001:db8::9", "reason": "caused crash"}),
     (H + "sshd[77]: drop connection #1 from [::ffff:198.18.0.9]:1 on [::ffff:10.0.0.1]:2222 penalty: exceeded LoginGraceTime",
      {"src_ip": "198.18.0.9", "reason": "exceeded LoginGraceTime"})],
    [H + "sshd[524]: drop connection #10 from [198.18.0.7]:48180 on [198.18.0.1]:22 past MaxStartups",
     H + "sshd[5090]: srclimit_penalise: 198.18.0.7/32: activating ipv4 penalty of 17 seconds for penalty: failed authentication",
     H + "myapp[7]: drop connection #0 from [192.0.2.1]:1 on [10.0.0.1]:22 penalty: failed authentication",
     H + "sshd[1]: drop connection #0 from [198.18.0.7]:1 on [198.18.0.1]:22 penalty: failed authentication from 192.0.2.1"])

AUDIT_SAMPLE = ('type=USER_AUTH msg=audit(1383116263.000:603): pid=12887 uid=0 auid=4294967295 ses=4294967295 '
                "subj=system_u:system_r:sshd_t:s0-s0:c0.c1023 msg='op=password acct=\"dan\" exe=\"/usr/sbin/sshd\" hostname=? "
                "addr=198.18.0.7 terminal=ssh res=failed'")
tag("SSHAuditAuthFailure", ["audit"], "", "low", "credential-access", "T1110.001",
    "audit: sshd authentication failure ({{ $labels.op }}) for {{ $labels.user }} from {{ $labels.src_ip }}",
    "The Linux audit log's record of a failed sshd authentication (libpam's PAM:authentication or PAM:bad_ident, "
    "Red Hat's op=password/op=pubkey): the same attempts as sshd's own lines, for hosts whose audit log is what is collected.",
    [(AUDIT_SAMPLE, {"src_ip": "198.18.0.7", "user": "dan", "op": "password", "audit_type": "USER_AUTH", "exe": "/usr/sbin/sshd"}),
     ("type=USER_ERR msg=audit(1372557500.000:61747): user pid=23684 uid=0 auid=0 ses=76 subj=unconfined_u:system_r:sshd_t:s0-s0:c0.c1023 "
      "msg='op=PAM:bad_ident acct=\"?\" exe=\"/usr/sbin/sshd\" hostname=198.18.0.8 addr=198.18.0.8 terminal=ssh res=failed'",
      {"src_ip": "198.18.0.8", "op": "PAM:bad_ident", "audit_type": "USER_ERR"}),
     ("node=web1 type=USER_AUTH msg=audit(1700000000.123:77): pid=4242 uid=0 auid=4294967295 ses=4294967295 subj=unconfined "
      "msg='op=PAM:authentication grantors=? acct=\"root\" exe=\"/usr/sbin/sshd\" hostname=2001:db8::9 addr=2001:db8::9 terminal=ssh res=failed'",
      {"src_ip": "2001:db8::9", "op": "PAM:authentication", "user": "root"}),
     # journald: the kernel's audit records under `audit[PID]: TYPE`
     ("Nov 28 08:43:52 web1 audit[4243]: USER_AUTH pid=4243 uid=0 auid=4294967295 ses=4294967295 "
      "msg='op=PAM:authentication grantors=? acct=\"admin\" exe=\"/usr/sbin/sshd\" hostname=198.18.0.10 addr=198.18.0.10 terminal=ssh res=failed'",
      {"src_ip": "198.18.0.10", "user": "admin"}),
     # a user name that is not plain is hex-encoded: nothing of it is read
     ("type=USER_AUTH msg=audit(1.0:1): pid=1 uid=0 auid=1 ses=1 msg='op=PAM:authentication grantors=? acct=6120622066726F6D exe=\"/usr/sbin/sshd-session\" "
      "hostname=? addr=198.18.0.11 terminal=ssh res=failed'", {"src_ip": "198.18.0.11", "exe": "/usr/sbin/sshd-session"})],
    # USER_LOGIN repeats the outcome; a success; another program; an address
    # libaudit resolved from a host name; a forged tag in an application's text
    [AUDIT_SAMPLE.replace("USER_AUTH", "USER_LOGIN").replace("op=password", "op=login"),
     AUDIT_SAMPLE.replace("res=failed", "res=success"),
     AUDIT_SAMPLE.replace("/usr/sbin/sshd", "/usr/sbin/vsftpd"),
     AUDIT_SAMPLE.replace("hostname=?", "hostname=attacker.example"),
     "Nov 28 08:43:52 web1 myapp[7]: type=USER_AUTH msg=audit(1.0:1): pid=1 uid=0 auid=1 ses=1 msg='op=password acct=\"a\" exe=\"/usr/sbin/sshd\" hostname=? addr=192.0.2.1 terminal=ssh res=failed'"])

tag("DropbearBadPassword", ["db_badpass"], "", "low", "credential-access", "T1110.001",
    "Dropbear password failure for {{ $labels.user }} from {{ $labels.src_ip }}",
    "Dropbear (embedded SSH server) rejected a password (also through PAM).",
    [("Nov 28 08:43:52 router dropbear[1234]: Bad password attempt for 'root' from 198.18.0.7:4242",
      {"user": "root", "src_ip": "198.18.0.7", "src_port": "4242"}),
     ("Nov 28 08:43:52 router dropbear[1234]: Bad password attempt for 'admin' from 2001:db8::7:4242", {"src_ip": "2001:db8::7", "src_port": "4242"}),
     ("Mar 24 15:25:51 buffalo1 dropbear[4092]: bad password attempt for 'root' from 198.18.0.8:5543", {"src_ip": "198.18.0.8"}),
     ("Nov 28 08:43:52 router dropbear[1234]: Bad PAM password attempt for 'ubnt' from 198.18.0.9:1", {"user": "ubnt"}),
     ("Nov 28 08:43:52 router dropbear[1234]: Bad password attempt for 'x' from 192.0.2.1:1' from 198.18.0.10:2", {"src_ip": "198.18.0.10"}),
     # OpenWrt's logread: ctime(3) time, facility.level, no host
     ("Sat Jun 20 02:18:39 2015 authpriv.info dropbear[1335]: Bad password attempt for 'root' from 198.18.0.11:50412",
      {"src_ip": "198.18.0.11", "user": "root"})],
    ["Nov 28 08:43:52 router dropbear[1234]: Password auth succeeded for 'root' from 192.0.2.1:4242",
     "Nov 28 08:43:52 router httpd[1]: dropbear[1234]: Bad password attempt for 'root' from 192.0.2.1:4242"])

tag("DropbearInvalidUser", ["db_nouser", "db_wronguser"], "", "low", "credential-access", "T1110.003",
    "Dropbear login for unknown user from {{ $labels.src_ip }}",
    "Dropbear saw a login for a user that does not exist (or not the server's user when it runs unprivileged).",
    [("Nov 28 08:43:52 router dropbear[1234]: Login attempt for nonexistent user 'oracle' from 198.18.0.7:4242",
      {"user": "oracle", "src_ip": "198.18.0.7"}),
     ("Nov 28 08:43:52 router dropbear[1234]: Login attempt for nonexistent user from 198.18.0.8:22", {"src_ip": "198.18.0.8"}),
     ("Feb 11 15:23:17 dropbear[1252]: login attempt for nonexistent user from ::ffff:198.18.0.9:60495", {"src_ip": "198.18.0.9", "src_port": "60495"})],
    ["Nov 28 08:43:52 router dropbear[1234]: Bad password attempt for 'root' from 198.18.0.7:4242"])

tag("DropbearExitBeforeAuth", ["db_exit", "db_exit_old"], "", "info", "credential-access", "T1110",
    "Dropbear connection from {{ $labels.src_ip }} ended before authentication: {{ $labels.reason }}",
    "Dropbear logs this when a connection ends unauthenticated; with '(user X, N fails)' and 'Max auth tries reached' it is a guesser that used up its tries.",
    [("Jul 27 01:04:22 gw dropbear[1335]: Exit before auth from <198.18.0.4:60588>: (user 'root', 10 fails): Max auth tries reached - user 'root'",
      {"src_ip": "198.18.0.4", "user": "root", "fails": "10"}),
     ("Jul 27 01:04:22 gw dropbear[1335]: Exit before auth from <198.18.0.5:60589>: Exited normally", {"src_ip": "198.18.0.5", "reason": "Exited normally"}),
     ("Jul 27 01:04:22 gw dropbear[1335]: Exit before auth (user 'root', 10 fails): Max auth tries reached - user 'root' from 198.18.0.6:60588",
      {"src_ip": "198.18.0.6", "fails": "10"})],
    ["Jul 27 01:04:22 gw dropbear[1335]: Exit (root) from <10.0.0.5:60589>: Disconnect received"])


# ---------------------------------------------------------------------------
# Alerting rules. The families each one counts, and why, are in docs/rules.md.
# An attempt is counted once: the Failed line (not also its pam_unix line,
# PAM error line or the disconnect that follows).
# Old Linux-PAM lines (sshd(pam_unix)) count too: the systems that wrote them
# logged sshd's own Failed lines to another file (authpriv), so in the file
# that holds them they are the only record of the attempt.
ATTEMPTS = ["failed", "repeated", "pamunix_old", "db_badpass", "db_nouser", "db_wronguser"]
ATTEMPT_FLT = '| method != "none"'
# rsyslog's "message repeated N times" weighs N; every other line weighs 1.
WEIGHT = ' | label_format attempts=`{{ if .repeat }}{{ .repeat }}{{ else }}1{{ end }}` | unwrap attempts'
# One line per connection that named a user and never authenticated.
FAILED_CONN = ["invalid", "notallowed", "adminprohibited", "preauth_auth", "toomany_auth", "db_nouser", "db_exit_user"]
PROBES = ["badversion", "negotiate", "banner", "pktfatal", "scanned", "obfuscated", "toolong", "discarding", "ipopts"]
A = []


def alert(name, expr, for_, sev, tac, tech, summary, desc, samples=None, extra_labels=()):
    A.append(dict(name=name, expr=expr, for_=for_, sev=sev, tac=tac, tech=tech, summary=summary, desc=desc,
                  samples=samples or ([], []), extra_labels=list(extra_labels)))


def attempts_q(rng):
    return "sum by (src_ip) (sum_over_time(" + pipe(ATTEMPTS, " " + ATTEMPT_FLT + WEIGHT) + " [" + rng + "]))"


alert("SSHBruteForce", attempts_q("1m") + " >= 6", "0m", "high", "credential-access", "T1110.001",
      "SSH brute force from {{ $labels.src_ip }}: {{ $value }} failed logins in 1m",
      "6 or more failed SSH password/key/keyboard-interactive attempts (OpenSSH or Dropbear) from one address within 1 minute: "
      "more than two interactive sessions' worth of typos (ssh asks 3 times per connection), at machine speed. "
      "Same bar as CrowdSec's ssh-bf (its bucket overflows at the 6th quick failure).",
      ([H + "sshd[1]: Failed password for root from 198.18.0.7 port 1 ssh2", H + "sshd[1]: message repeated 3 times: [ Failed password for root from 198.18.0.7 port 1 ssh2]"],
       [FORGED[0], H + "sshd[1]: Accepted password for alice from 192.0.2.5 port 4243 ssh2", H + "sshd[1]: Failed none for root from 198.18.0.7 port 1 ssh2"]))
alert("SSHSlowBruteForce", attempts_q("1h") + " >= 15", "0m", "medium", "credential-access", "T1110.001",
      "slow SSH brute force from {{ $labels.src_ip }}: {{ $value }} failed logins in 1h",
      "15 or more failed SSH attempts from one address within an hour: a guesser pacing itself under the fast rule "
      "(and under fail2ban's default 5 per 10 minutes). No person mistypes a password 15 times an hour.",
      ([H + "sshd[1]: Failed publickey for git from 198.18.0.7 port 1 ssh2: RSA SHA256:abcDEF123"],
       [FORGED[0], H + "sshd[1]: Accepted publickey for git from 192.0.2.5 port 1 ssh2: RSA SHA256:abcDEF123"]))
alert("SSHUserEnumeration",
      "count by (src_ip) (sum by (src_ip, user) (count_over_time(" +
      pipe(["failed", "invalid", "notallowed", "db_badpass", "db_nouser"], ' | user != ""') + " [10m]))) >= 5",
      "0m", "medium", "credential-access", "T1110.003",
      "SSH user enumeration from {{ $labels.src_ip }}: {{ $value }} user names in 10m",
      "One address tried 5 or more different user names within 10 minutes (CrowdSec's ssh-bf_user-enum: 5 distinct users). "
      "A person uses one or two names; a list-driven guesser or sprayer uses many.",
      ([H + "sshd[1]: Invalid user oracle from 198.18.0.7 port 1"],
       [FORGED[0], H + "sshd[1]: Accepted password for alice from 192.0.2.5 port 4243 ssh2"]))
alert("SSHFailedConnectionBurst",
      "sum by (src_ip) (count_over_time(" + pipe(FAILED_CONN) +
      " [1m])) >= 6",
      "0m", "high", "credential-access", "T1110",
      "{{ $value }} SSH connections from {{ $labels.src_ip }} named a user and failed in 1m",
      "6 or more connections within 1 minute that each named an account and ended without authenticating (invalid user, "
      "refused by AllowUsers/DenyUsers or PermitRootLogin, closed by an authenticating client, MaxAuthTries). "
      "Each connection is counted once; this catches guessers whose individual failures are logged at VERBOSE only (keys) "
      "or not at all.",
      ([H + "sshd[1]: Connection closed by authenticating user root 198.18.0.7 port 1 [preauth]"],
       [FORGED[0], H + "sshd[1]: Connection closed by 192.0.2.5 port 4243"]))
alert("SSHProtocolProbes", "sum by (src_ip) (count_over_time(" + pipe(PROBES) + " [1m])) >= 5",
      "0m", "medium", "reconnaissance", "T1595.002",
      "{{ $value }} SSH protocol violations from {{ $labels.src_ip }} in 1m",
      "5 or more pre-authentication protocol failures from one address in a minute: non-SSH banners, no common key "
      "exchange/cipher/MAC/host-key algorithm, corrupt packets. A real client fails once, its user notices; a scanner "
      "or exploit tool repeats. CrowdSec's ssh-bad-keyexchange-bf alerts at 6 in ~10 s.",
      ([H + "sshd[1]: banner exchange: Connection from 198.18.0.7 port 1: invalid format"],
       [FORGED[0], H + "sshd[1]: Connection from 192.0.2.5 port 4243 on 192.0.2.10 port 22 rdomain \"\""]))
alert("SSHPreauthTimeouts", "sum by (src_ip) (count_over_time(" +
      pipe(["timeout", "dispatch"]) + " [10m])) >= 4",
      "0m", "high", "initial-access", "T1190",
      "{{ $value }} SSH pre-auth timeouts/fatal packet errors from {{ $labels.src_ip }} in 10m",
      "4 or more LoginGraceTime expiries or fatal packet errors (ssh_dispatch_run_fatal) before authentication from one "
      "address within 10 minutes: the shape of a CVE-2024-6387 (regreSSHion) race, or connection-slot exhaustion. "
      "CrowdSec's ssh-cve-2024-6387 alerts at 4 within a few minutes.",
      ([H + "sshd[1]: fatal: Timeout before authentication for 198.18.0.7 port 1"],
       [FORGED[0], H + "sshd[1]: Timeout, client not responding from user alice 192.0.2.5 port 4243"]))
alert("SSHPenaltyDrops", "sum by (src_ip) (count_over_time(" + pipe(["penalty"]) + " [10m])) >= 5",
      "0m", "medium", "credential-access", "T1110",
      "sshd refused {{ $value }} connections from penalised {{ $labels.src_ip }} in 10m",
      "5 or more connections within 10 minutes from one address that OpenSSH 9.8+ had already penalised (PerSourcePenalties) "
      "for failed authentication, a crash, LoginGraceTime or RefuseConnection (not for connecting without authenticating: "
      "health checks and ssh-keyscan earn that one; SSHPortScan counts it). sshd throttles such a source itself, so its "
      "failures per minute can stay under SSHBruteForce; a client that keeps coming back while refused is automated. "
      "A person who mistyped waits out the penalty.",
      ([PENALTY_SAMPLE],
       [FORGED[0], H + "sshd[524]: drop connection #10 from [198.18.0.7]:48180 on [198.18.0.1]:22 past MaxStartups",
        H + "sshd[1049]: drop connection #0 from [198.18.0.7]:52466 on [198.18.0.1]:22 penalty: connections without attempting authentication"]))
alert("SSHKeyUsedFromForbiddenAddress", "sum by (src_ip) (count_over_time(" + pipe(["keyfrom", "certfrom"]) + " [10m])) >= 1",
      "0m", "high", "credential-access", "T1552.004",
      "a key restricted by from= was used from {{ $labels.src_ip }}",
      "One line is enough: the key or certificate is the account's, the address is one its authorized_keys from= or certificate "
      "source-address forbids. Either a stolen key or its owner on an unexpected network; both need a look.",
      ([H + "sshd[1]: cert: Authentication tried for ci with valid certificate but not from a permitted source address (198.18.0.10)."],
       [FORGED[0], H + "sshd[1]: Accepted publickey for ci from 192.0.2.5 port 1 ssh2: ED25519 SHA256:abc"]))
alert("SSHAuditAuthFailures", "sum by (src_ip) (count_over_time(" + pipe(["audit"]) + " [5m])) >= 10",
      "0m", "medium", "credential-access", "T1110.001",
      "{{ $value }} failed sshd authentications from {{ $labels.src_ip }} in the audit log in 5m",
      "10 or more audit records of failed sshd authentication from one address within 5 minutes. One attempt may leave two "
      "records (libpam's and Red Hat's sshd patch), so this is 5 or more attempts: SSHSlowBruteForce's pace and more, "
      "for hosts whose audit log is collected instead of, or beside, auth.log.",
      ([AUDIT_SAMPLE], [FORGED[0], AUDIT_SAMPLE.replace("res=failed", "res=success")]))
alert("SSHPortScan", "sum by (src_ip) (count_over_time(" + pipe(["noident", "preauth", "preauth_old", "disconnect", "penalty_noauth"], ' | user = ""') +
      " [10m])) >= 30",
      "0m", "low", "reconnaissance", "T1595.001",
      "{{ $value }} SSH connections from {{ $labels.src_ip }} ended before any login in 10m",
      "30 or more connections in 10 minutes that closed before naming any user (no banner, closed or reset pre-auth, or "
      "refused by OpenSSH 9.8+ for doing so before: a `penalty: connections without attempting authentication` drop). "
      "Single ones are routine (scanners on the internet, health checks); set a load balancer's health-check address aside "
      "if it trips this.",
      ([H + "sshd[1]: Did not receive identification string from 198.18.0.7 port 1"],
       [FORGED[0], H + "sshd[1]: Connection closed by authenticating user root 198.18.0.7 port 1 [preauth]"]))

# A detection canary: one failed login for a user name no account has, chosen
# by whoever tests the pipeline (`ssh ward-test-$RANDOM@host`), proves that
# the log reaches ward-ingest, the pack tags it and an alert comes out, end
# to end. crowdsec-test- is accepted too, so health checks written for
# CrowdSec's ssh-generic-test scenario work unchanged. The suffix must be
# 4 or more letters or digits: an attacker's word list holds "test", not
# "ward-test-kq7Z". remediation="false": ward-respond reports it, never bans.
CANARY_USER = "(?:ward|crowdsec)-test-[A-Za-z0-9]{4,}"
alert("SSHDetectionCanary", "sum by (src_ip, user) (count_over_time(" +
      pipe(["failed", "invalid", "notallowed"], " | user =~ `" + CANARY_USER + "`") + " [1m])) >= 1",
      "0m", "info", "credential-access", "T1110",
      "detection canary: SSH login as {{ $labels.user }} from {{ $labels.src_ip }} reached ward",
      "A test login with a ward-test-<random> (or CrowdSec's crowdsec-test-<random>) user name went through the whole "
      "chain. Nothing is wrong: someone checked that detection works. ward-respond does not ban it (remediation=false).",
      ([H + "sshd-session[406147]: Invalid user ward-test-Q7f3kZ from 198.18.0.7 port 49916",
        H + "sshd[1]: Failed password for invalid user crowdsec-test-NtktlJHV4T from 198.18.0.8 port 1 ssh2"],
       [FORGED[0], H + "sshd[1]: Invalid user test from 198.18.0.7 port 1",
        H + "sshd[1]: Invalid user ward-test- from 198.18.0.7 port 1",
        H + "sshd[1]: Invalid user ward-test-ab from 198.18.0.7 port 1",
        "Nov 28 08:43:53 web1 myapp[77]: sshd[1]: Invalid user ward-test-Q7f3kZ from 192.0.2.1 port 22"]),
      extra_labels=[("remediation", '"false"')])


# ---------------------------------------------------------------------------
# YAML output.

def ysq(s):
    return "'" + s.replace("'", "''") + "'"


def emit_rule(out, name, expr, labels, summary, desc, tests, for_=None):
    out.append("      - alert: " + name)
    out.append("        expr: |")
    out.append("          " + expr)
    if for_:
        out.append("        for: " + for_)
    out.append("        labels:")
    for k, v in labels:
        out.append("          %s: %s" % (k, v))
    out.append("        annotations:")
    out.append("          summary: " + ysq(summary))
    out.append("          description: " + ysq(desc))
    if tests:
        match, nomatch = tests
        out.append("        tests:")
        out.append("          labels: {job: test}")
        if match:
            out.append("          match:")
            for m in match:
                if isinstance(m, tuple):
                    line, fields = m
                    out.append("            - line: " + ysq(line))
                    if fields:
                        out.append("              fields: {" + ", ".join("%s: %s" % (k, ysq(v)) for k, v in fields.items()) + "}")
                else:
                    out.append("            - " + ysq(m))
        if nomatch:
            out.append("          nomatch:")
            for n in nomatch:
                out.append("            - " + ysq(n))
    out.append("")


def render(header, group, tags, alerts):
    out = [header.rstrip(), "groups:", "  - name: " + group, "    rules:"]
    for t in tags:
        emit_rule(out, t["name"], pipe(t["keys"], (" " + t["flt"]) if t["flt"] else "", t["key"]),
                  [("severity", t["sev"]), ("mitre_tactic", t["tac"]), ("mitre_technique", t["tech"])],
                  t["summary"], t["desc"], (t["match"], t["nomatch"]))
    for a in alerts:
        emit_rule(out, a["name"], a["expr"],
                  [("severity", a["sev"]), ("mitre_tactic", a["tac"]), ("mitre_technique", a["tech"])] + a["extra_labels"],
                  a["summary"], a["desc"], a["samples"] if a["samples"][0] or a["samples"][1] else None, a["for_"])
    return "\n".join(out).rstrip() + "\n"


HEADER = """# ward rule pack: SSH authentication (OpenSSH sshd/sshd-session/sshd-auth and
# Dropbear) in BSD/ISO syslog, journald short output, RFC 5424 files, macOS's
# unified log (`log show`) and the syslog receiver's `program[pid]: message` form.
#
# GENERATED by rules/gen_ssh.py - edit the tables there and run it again.
#
# Loki ruler format. Tagging rules (plain log queries: ward-match tags each
# selected event with "rule" and the extracted fields src_ip, src_port, user,
# method, ...) come first; alerting rules (metric queries with a threshold,
# grouped by src_ip; ward-window evaluates them) follow. The `tests:` key is
# ward's (docs/rules.md): strip it before loading the file into Loki.
#
# Every regex is anchored at the start of the line on the daemon's own tag,
# and takes the address from where the daemon writes it; a user name that
# holds " from " makes a line ambiguous and it is not tagged. A regexp that
# does not match extracts nothing and keeps the line (Loki), so every query
# ends with `| src_ip != ""`. Detection definitions and thresholds:
# docs/rules.md.
"""

if __name__ == "__main__":
    text = render(HEADER, "ssh", T, A)
    path = os.path.join(HERE, "ssh.yaml")
    with open(path, "w") as f:
        f.write(text)
    print("wrote %s: %d tagging rules, %d alerting rules" % (path, len(T), len(A)), file=sys.stderr)
