#!/usr/bin/env python3
"""Writes rules/host.yaml: local and PAM authentication on a host (sudo, su,
pam_unix/pam_sss for any service but sshd, which rules/ssh.yaml covers),
pkexec CVE-2021-4034 and glibc CVE-2023-4911 (Looney Tunables) signatures.

    python3 rules/gen_host.py && bin/ward-match --test rules/host.yaml

Shares the header and address fragments of rules/gen_ssh.py. Formats are
the programs' own: sudo's logging (plugins/sudoers/logging.c: "USER : REASON ;
TTY=... ; PWD=... ; USER=... ; COMMAND=..."), util-linux su ("FAILED SU (to
TARGET) USER on TTY"), shadow su ("FAILED su for TARGET by USER"), Linux-PAM
pam_unix ("authentication failure; logname= uid= euid= tty= ruser= rhost=
[user=]"), polkit pkexec, and the kernel's segfault report
(arch/x86/mm/fault.c show_signal_msg: "COMM[PID]: segfault at ADDR ip IP sp SP
error N in LIB[BASE+SIZE]").

Several of these have no remote address: their alerting rules key on the
local account (`by (user)`) or the program (`by (exe)`), said in each rule.
Only the words the program writes are trusted: sudo's PWD and COMMAND are
the invoker's text, so nothing is extracted after them.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_ssh as g  # noqa: E402

M = g.M
M.clear()


def msg(key, literal, body, extra=""):
    g.msg(key, literal, body, daemon="", extra=extra)


IP = g.IP

SUDO = g.prog(r"sudo")
SU = g.prog(r"su")
PKEXEC = g.prog(r"pkexec")
KERNEL = g.prog(r"kernel")
# any program tag (the PAM service names the program's purpose)
ANY = g.prog(r"[A-Za-z0-9_.@/-]+")

# sudo: "    alice : user NOT in sudoers ; TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/sh"
SUDO_HEAD = SUDO + r" *(?P<user>[^\s:;]+) : "
msg("sudo_denied", ["NOT in sudoers", "NOT authorized on host", "command not allowed"],
    SUDO_HEAD + r"(?:(?P<count>\d+) incorrect password attempts? ; )?(?P<reason>user NOT in sudoers|user NOT authorized on host|command not allowed)"
    r" ; TTY=(?P<tty>\S+) ; ")
msg("sudo_badpass", "incorrect password attempt",
    SUDO_HEAD + r"(?P<count>\d+) incorrect password attempts? ; TTY=(?P<tty>\S+) ; ")
PAMF = r"logname=(?P<logname>\S*) uid=(?P<uid>\d*) euid=\d* tty=(?P<tty>\S*) ruser=(?P<ruser>\S*) rhost="
msg("sudo_pam", "(sudo",
    SUDO + r"(?P<module>pam_[a-z0-9_]+)\((?P<service>sudo(?:-i)?):auth\): authentication failure; " + PAMF +
    r"\S*\s+user=(?P<user>\S+)\s*$")
# sudo -u#-1 / -u#4294967295 (CVE-2019-14287: sudo before 1.8.28 read uid -1
# as 0 and ran the command as root where sudoers said "ALL, !root"). A fixed
# sudo refuses it, sudoers.c: "unknown user: %s" (1.8.28+; "unknown user %s" in
# 1.9.x), its log line "alice : unknown user: #-1" with or without sudo's
# " ; TTY=... ; ..." fields; a vulnerable one runs it and logs the run-as user
# as written: "alice : TTY=pts/0 ; PWD=/home/alice ; USER=#-1 ; COMMAND=...".
# PWD is the invoker's: a PWD holding ";" is not read, so a command's
# arguments after COMMAND= can never supply the USER= field.
MINUS_ONE = r"#(?P<runas>-1|4294967295)"
msg("sudo_uid_refused", ["unknown user: #", "unknown user #"],
    SUDO_HEAD + r"unknown user:? " + MINUS_ONE + r"(?: ; TTY=.*|\s*)$")
msg("sudo_uid_ran", ["USER=#-1 ", "USER=#4294967295 "],
    SUDO_HEAD + r"TTY=(?P<tty>\S+) ; PWD=[^;]* ; USER=" + MINUS_ONE + r" ; ")
# util-linux su: "FAILED SU (to root) alice on pts/0"
msg("su_failed", "FAILED SU ",
    SU + r"FAILED SU \(to (?P<target_user>[^)\s]+)\) (?P<user>\S+) on (?P<tty>\S+)\s*$")
# shadow su: "FAILED su for root by alice"
msg("su_failed_shadow", "FAILED su for ",
    SU + r"FAILED su for (?P<target_user>\S+) by (?P<user>\S+)\s*$")
# pam_unix in su: ruser is the invoker, user= the target account
msg("su_pam", ":auth): authentication failure",
    SU + r"(?P<module>pam_[a-z0-9_]+)\((?P<service>su(?:-l)?):auth\): authentication failure; logname=(?P<logname>\S*) uid=(?P<uid>\d*) euid=\d* "
    r"tty=(?P<tty>\S*) ruser=(?P<user>\S*) rhost=\S*\s+user=(?P<target_user>\S+)\s*$")
# any PAM service with a remote host (rhost= an address)
msg("pam_remote", "authentication failure; ",
    ANY + r"(?P<module>pam_[a-z0-9_]+)\((?P<service>[A-Za-z0-9_.@-]+):auth\): authentication failure; " + PAMF + IP +
    r"(?:\s+user=(?P<user>\S*))?\s*$")
# Linux-PAM before 0.99: "su(pam_unix)[pid]: authentication failure; ..." and
# "SERVICE(pam_unix)[pid]: ..." for any service
msg("su_pam_old", "authentication failure; ",
    g.prog(r"su\(pam_unix\)") + r"authentication failure; logname=(?P<logname>\S*) uid=(?P<uid>\d*) euid=\d* "
    r"tty=(?P<tty>\S*) ruser=(?P<user>\S*) rhost=\S*\s+user=(?P<target_user>\S+)\s*$")
msg("pam_remote_old", "authentication failure; ",
    r"^(?:" + g.SYSLOG_HEADER + r")(?P<service>[A-Za-z0-9_.@-]+)\((?P<module>pam_[a-z0-9_]+)\)(?:\[\d+\])?: authentication failure; " + PAMF + IP +
    r"(?:\s+user=(?P<user>\S*))?\s*$")
# Debian's and Ubuntu's Linux-PAM 0.7x logged under the application's own
# ident, the module in parentheses: "vsftpd: (pam_unix) authentication
# failure; ..." (also "sshd[pid]: (pam_unix) ...", the ssh pack's).
msg("pam_remote_debian", "(pam_",
    r"^(?:" + g.SYSLOG_HEADER + r")(?P<service>[A-Za-z0-9_.@-]+)(?:\[\d+\])?: \((?P<module>pam_[a-z0-9_]+)\) authentication failure; " + PAMF + IP +
    r"(?:\s+user=(?P<user>\S*))?\s*$")
# login(1) after a remote login (telnetd/rlogind pass the peer with -h; a
# local login names a tty there, which is no address). util-linux
# (login-utils/login.c): "FAILED LOGIN %u FROM %s FOR %s, %s" per failure and
# "TOO MANY LOGIN TRIES (%u) FROM %s FOR %s, %s" at the end; shadow
# (src/login.c): "FAILED LOGIN (%u) on '%s' from '%s' FOR '%s', %s" and
# "TOO MANY LOGIN TRIES (%u) on '%s' from '%s' FOR '%s'"; BusyBox
# (loginutils/login.c, Mirai's favourite target behind telnetd): "invalid
# password for '%s' on '%s' from '%s'" once, after its 3 failures. The user
# name is the client's: in util-linux's and shadow's forms it comes after the
# address, in BusyBox's before it, where the address is the last quoted one.
LOGIN = g.prog(r"login")
msg("login_failed", ["FAILED LOGIN ", "TOO MANY LOGIN TRIES "],
    LOGIN + r"(?P<event>FAILED LOGIN|TOO MANY LOGIN TRIES) \(?(?P<count>\d+)\)? FROM " + IP + r" FOR (?P<user>.*), (?P<reason>[^,]*?)\s*$")
msg("login_failed_shadow", ["FAILED LOGIN ", "TOO MANY LOGIN TRIES "],
    LOGIN + r"(?P<event>FAILED LOGIN|TOO MANY LOGIN TRIES) \((?P<count>\d+)\) on '(?P<tty>[^']*)' from '" + IP + r"' FOR '(?P<user>.*)'(?:, (?P<reason>[^,']*?))?\s*$")
msg("login_busybox", "' from '",
    LOGIN + r"(?P<busybox>invalid) password for '(?P<user>.*)' on '(?P<tty>[^']*)' from '" + IP + r"'\s*$")

# polkit pkexec: "alice: The value for the SHELL variable was not found the /etc/shells file [USER=root] [TTY=..] [CWD=..] [COMMAND=..]"
msg("pkexec_shell", "The value for the SHELL variable was not found",
    PKEXEC + r"(?P<user>[^\s:]+): The value for the SHELL variable was not found the /etc/shells file \[USER=(?P<target_user>[^\]]*)\]")
# "... The value for environment variable XAUTHORITY contains suscipious content" (sic)
msg("pkexec_env", "contains suscipious content",
    PKEXEC + r"(?P<user>[^\s:]+): The value for environment variable (?P<variable>\S+) contains suscipious content")
# kernel: "[869507.505196] su[1433535]: segfault at 7f.. ip 00.. sp 00.. error 6 in ld-linux-x86-64.so.2[7f..+25000]"
msg("ldso_segv", " in ld-",
    KERNEL + r"(?:\[ *\d+\.\d+\] )?(?P<exe>[^\s\[\]]+)\[(?P<pid>\d+)\]: segfault at [0-9a-f]+ ip [0-9a-f]+ sp [0-9a-f]+ error \d+"
    r" in (?P<library>ld-(?:linux|2\.)[^\s\[]*)\[")

pipe = g.pipe
H = "Nov 28 08:43:52 web1 "
T = []
g.T = T


def tag(*a, key="user"):
    g.tag(*a, key=key)


tag("SudoNotInSudoers", ["sudo_denied"], "", "medium", "privilege-escalation", "T1548.003",
    "sudo refused {{ $labels.user }}: {{ $labels.reason }}",
    "sudo refused a user who may not run the command (not in sudoers, not on this host, or the command is not allowed): "
    "an account probing for privileges it does not have.",
    [(H + "sudo:    alice : user NOT in sudoers ; TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/bash",
      {"user": "alice", "reason": "user NOT in sudoers", "tty": "pts/0"}),
     (H + "sudo[4242]: bob : 3 incorrect password attempts ; user NOT in sudoers ; TTY=pts/1 ; PWD=/tmp ; USER=root ; COMMAND=/usr/bin/id",
      {"user": "bob", "count": "3"}),
     (H + "sudo: carol : command not allowed ; TTY=pts/2 ; PWD=/ ; USER=root ; COMMAND=/bin/sh", {"reason": "command not allowed"})],
    [H + "sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/ls",
     H + "myapp[1]: sudo: mallory : user NOT in sudoers ; TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/sh",
     H + "sudo:    alice : TTY=pts/0 ; PWD=/tmp/x ; user NOT in sudoers ; TTY=pts/9 ; USER=root ; COMMAND=/bin/ls"])

tag("SudoIncorrectPassword", ["sudo_badpass", "sudo_pam"], "", "low", "credential-access", "T1110.001",
    "sudo password failure for {{ $labels.user }}",
    "sudo rejected the invoking user's password (pam_unix line per attempt, or sudo's summary of N incorrect attempts).",
    [(H + "sudo[77]:    alice : 3 incorrect password attempts ; TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/bash",
      {"user": "alice", "count": "3"}),
     (H + "sudo: pam_unix(sudo:auth): authentication failure; logname=alice uid=1000 euid=0 tty=/dev/pts/0 ruser=alice rhost=  user=alice",
      {"user": "alice", "service": "sudo", "tty": "/dev/pts/0"})],
    [H + "sudo: pam_unix(sudo:session): session opened for user root(uid=0) by alice(uid=1000)",
     H + "su[1]: pam_unix(su:auth): authentication failure; logname=alice uid=1000 euid=0 tty=pts/0 ruser=alice rhost=  user=root"])

tag("SuFailed", ["su_failed", "su_failed_shadow", "su_pam", "su_pam_old"], "", "low", "credential-access", "T1110.001",
    "su to {{ $labels.target_user }} failed for {{ $labels.user }}",
    "su rejected a password: user is the account that ran su, target_user the account it tried to become.",
    [(H + "su[1234]: FAILED SU (to root) alice on pts/0", {"user": "alice", "target_user": "root", "tty": "pts/0"}),
     (H + "su[1234]: FAILED su for root by bob", {"user": "bob", "target_user": "root"}),
     (H + "su[1234]: pam_unix(su:auth): authentication failure; logname=alice uid=1000 euid=0 tty=pts/0 ruser=alice rhost=  user=root",
      {"user": "alice", "target_user": "root", "service": "su"}),
     (H + "su: pam_unix(su-l:auth): authentication failure; logname=carol uid=1001 euid=0 tty=/dev/pts/3 ruser=carol rhost=  user=root",
      {"user": "carol", "service": "su-l"}),
     (H + "su(pam_unix)[2210]: authentication failure; logname=dave uid=500 euid=0 tty= ruser=dave rhost=  user=root",
      {"user": "dave", "target_user": "root"})],
    [H + "su[1234]: (to root) alice on pts/0",
     H + "myapp[1]: FAILED SU (to root) mallory on pts/0"])

tag("PamRemoteAuthFailure", ["pam_remote", "pam_remote_old", "pam_remote_debian"], '| service !~ `sshd.*`', "low", "credential-access", "T1110.001",
    "{{ $labels.service }} authentication failure for {{ $labels.user }} from {{ $labels.src_ip }}",
    "A PAM module rejected a remote login (rhost= an address) for a service other than sshd (FTP, mail, cockpit, login over telnet...).",
    [(H + "vsftpd[812]: pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=bob rhost=198.18.0.7  user=bob",
      {"service": "vsftpd", "src_ip": "198.18.0.7", "user": "bob"}),
     (H + "cockpit-session[1]: pam_unix(cockpit:auth): authentication failure; logname= uid=0 euid=0 tty= ruser= rhost=::ffff:198.18.0.8",
      {"service": "cockpit", "src_ip": "198.18.0.8"}),
     (H + "login[1]: pam_sss(login:auth): authentication failure; logname=LOGIN uid=0 euid=0 tty=pts/1 ruser= rhost=2001:db8::9 user=x",
      {"src_ip": "2001:db8::9", "module": "pam_sss"}),
     (H + "ftpd(pam_unix)[1]: authentication failure; logname= uid=0 euid=0 tty= ruser= rhost=198.18.0.10  user=x",
      {"src_ip": "198.18.0.10", "service": "ftpd"}),
     (H + "proftpd[4711]: (pam_unix) authentication failure; logname= uid=0 euid=0 tty= ruser= rhost=198.18.0.13  user=admin",
      {"src_ip": "198.18.0.13", "service": "proftpd", "module": "pam_unix", "user": "admin"}),
     (H + "vsftpd: (pam_unix) authentication failure; logname= uid=0 euid=0 tty= ruser=rhost=192.0.2.1 rhost=198.18.0.14",
      {"src_ip": "198.18.0.14", "service": "vsftpd"})],
    [H + "sshd[1558]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.18.0.7  user=root",
     H + "sshd(pam_unix)[1558]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=198.18.0.7",
     H + "sudo: pam_unix(sudo:auth): authentication failure; logname=alice uid=1000 euid=0 tty=/dev/pts/0 ruser=alice rhost=  user=alice",
     H + "vsftpd[812]: pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=x rhost=ftp.example.com",
     H + "sshd[9322]: (pam_unix) authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.18.0.13",
     H + "vsftpd: (pam_unix) check pass; user unknown",
     H + "myapp[1]: x vsftpd: (pam_unix) authentication failure; logname= uid=0 euid=0 tty= ruser= rhost=198.18.0.13"],
    key="src_ip")

LOGIN_LOOKALIKES = [
    # a local login names its tty where the peer would be
    H + "login[912]: FAILED LOGIN 1 FROM tty1 FOR root, Authentication failure",
    H + "login[912]: FAILED LOGIN (1) on '/dev/tty1' FOR 'root', Authentication failure",
    # a host name is not an address; another program's text is not login's
    H + "login[912]: FAILED LOGIN 2 FROM attacker.example FOR root, Authentication failure",
    H + "myapp[1]: login[2]: FAILED LOGIN 1 FROM 192.0.2.1 FOR root, Authentication failure",
    # BusyBox without a peer (a console login)
    H + "login[1]: invalid password for 'root' on 'ttyS0'"]
tag("RemoteLoginFailed", ["login_failed", "login_failed_shadow", "login_busybox"], "", "low", "credential-access", "T1110.001",
    "login(1) refused {{ $labels.user }} from {{ $labels.src_ip }}",
    "login rejected a password of a remote session (telnet, rlogin): util-linux and shadow log each failure and a final "
    "TOO MANY LOGIN TRIES; BusyBox (routers, cameras: what Mirai-style bots guess at) one line after 3 failures.",
    [(H + "login[912]: FAILED LOGIN 1 FROM 198.18.0.7 FOR root, Authentication failure",
      {"src_ip": "198.18.0.7", "user": "root", "count": "1", "event": "FAILED LOGIN", "reason": "Authentication failure"}),
     (H + "login[912]: TOO MANY LOGIN TRIES (5) FROM ::ffff:198.18.0.8 FOR admin, User not known to the underlying authentication module",
      {"src_ip": "198.18.0.8", "event": "TOO MANY LOGIN TRIES", "count": "5"}),
     (H + "login[7]: FAILED LOGIN (2) on '/dev/pts/3' from '198.18.0.9' FOR 'guest', Authentication failure",
      {"src_ip": "198.18.0.9", "user": "guest", "tty": "/dev/pts/3", "count": "2"}),
     (H + "login[7]: TOO MANY LOGIN TRIES (3) on '/dev/pts/3' from '2001:db8::10' FOR 'guest'", {"src_ip": "2001:db8::10"}),
     ("Jan  1 00:01:07 router auth.warn login[1234]: invalid password for 'admin' on 'pts/0' from '198.18.0.11'",
      {"src_ip": "198.18.0.11", "user": "admin", "busybox": "invalid"}),
     # the client's user name cannot move the address: BusyBox's is the last quoted one
     (H + "login[1]: invalid password for 'x' on 'pts/1' from '192.0.2.1' on 'pts/0' from '198.18.0.12'",
      {"src_ip": "198.18.0.12"}),
     (H + "login[912]: FAILED LOGIN 1 FROM 198.18.0.13 FOR x FROM 192.0.2.1 FOR y, Authentication failure", {"src_ip": "198.18.0.13"})],
    LOGIN_LOOKALIKES, key="src_ip")

tag("PkexecShellNotFound", ["pkexec_shell", "pkexec_env"], "", "high", "privilege-escalation", "T1068",
    "pkexec environment check tripped for {{ $labels.user }} (CVE-2021-4034 PwnKit signature)",
    "pkexec found a SHELL not in /etc/shells or a suspicious environment variable: what the public PwnKit (CVE-2021-4034) "
    "exploits leave behind (argc 0, GCONV_PATH and a fake SHELL/CHARSET).",
    [(H + "pkexec[387348]: srcuser: The value for the SHELL variable was not found the /etc/shells file [USER=root] [TTY=/dev/pts/3] [CWD=/tmp/p] [COMMAND=GCONV_PATH=./gconv PATH=GCONV_PATH=. SHELL=/fake/shell CHARSET=payload]",
      {"user": "srcuser", "target_user": "root"}),
     (H + "pkexec[1]: mallory: The value for environment variable XAUTHORITY contains suscipious content [USER=root] [TTY=/dev/pts/1] [CWD=/tmp] [COMMAND=x]",
      {"user": "mallory", "variable": "XAUTHORITY"})],
    [H + "pkexec[1]: alice: Executing command [USER=root] [TTY=/dev/pts/0] [CWD=/home/alice] [COMMAND=/usr/bin/gparted]",
     H + "myapp[1]: pkexec[2]: x: The value for the SHELL variable was not found the /etc/shells file [USER=root]"])

MINUS_ONE_SAMPLE = "Jan 01 03:22:18 traverxec sudo[1420]: www-data : unknown user: #-1"
tag("SudoRunasMinusOne", ["sudo_uid_refused", "sudo_uid_ran"], "", "high", "privilege-escalation", "T1548.003",
    "sudo -u#{{ $labels.runas }} by {{ $labels.user }} (CVE-2019-14287 signature)",
    "A user asked sudo to run a command as uid -1 (#-1 or #4294967295): the CVE-2019-14287 bypass, which a sudo before "
    "1.8.28 runs as root even where sudoers excludes root. 'unknown user' is a fixed sudo refusing it; a USER=#-1 run "
    "is a vulnerable one that did it. No legitimate use names uid -1.",
    [(MINUS_ONE_SAMPLE, {"user": "www-data", "runas": "-1"}),
     (H + "sudo[4242]:    alice : unknown user #4294967295 ; TTY=pts/0 ; PWD=/home/alice ; USER=#4294967295 ; COMMAND=/usr/bin/id",
      {"user": "alice", "runas": "4294967295"}),
     (H + "sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=#-1 ; COMMAND=/bin/bash", {"user": "alice", "runas": "-1", "tty": "pts/0"})],
    [H + "sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=#1001 ; COMMAND=/usr/bin/id",
     H + "sudo:    alice : unknown user: bob",
     H + "sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/echo ; USER=#-1 ; x",
     H + "myapp[7]: alice : unknown user: #-1"])

tag("LdSoSegfault", ["ldso_segv"], "", "high", "privilege-escalation", "T1068",
    "{{ $labels.exe }} crashed in the dynamic loader {{ $labels.library }} (CVE-2023-4911 signature)",
    "A process segfaulted inside ld.so: Looney Tunables (CVE-2023-4911) exploits crash setuid programs (su, sudo, pkexec...) in "
    "ld.so thousands of times while guessing addresses through GLIBC_TUNABLES. exe is the kernel's process name.",
    [("2023-10-05T11:47:20.799042+02:00 leto kernel: [869507.505196] su[1433535]: segfault at 7f1f9b891000 ip 00007f1f9b870d7d sp 00007ffd5dab97f0 error 6 in ld-linux-x86-64.so.2[7f1f9b85e000+25000] likely on CPU 2 (core 2, socket 0)",
      {"exe": "su", "pid": "1433535", "library": "ld-linux-x86-64.so.2"}),
     (H + "kernel: sudo[99]: segfault at 0 ip 00007f00 sp 00007ffd error 4 in ld-2.35.so[7f1f9b85e000+25000]", {"exe": "sudo", "library": "ld-2.35.so"})],
    [H + "kernel: [1.0] firefox[42]: segfault at 0 ip 00007f00 sp 00007ffd error 4 in libxul.so[7f00+100]",
     H + "kernel: [1.0] Code: c0 0f 85 24 01 00 00 4c 89 f0 b9 01 00 00 00",
     H + "myapp[1]: kernel: su[2]: segfault at 0 ip 0 sp 0 error 6 in ld-linux-x86-64.so.2[7f+1]"],
    key="exe")

# ---------------------------------------------------------------------------
A = []
g.A = A
SETUID = r"su|sudo|sudoedit|pkexec|passwd|chsh|chfn|newgrp|gpasswd|mount|umount|fusermount3?|at|crontab|ssh-keysign|unix_chkpwd|Xorg|polkit-agent-helper-1|expiry|chage"

g.alert("SudoPrivilegeProbe", "sum by (user) (count_over_time(" + pipe(["sudo_denied"], key="user") + " [10m])) >= 1",
        "0m", "medium", "privilege-escalation", "T1548.003",
        "sudo refused {{ $labels.user }} ({{ $value }} times in 10m)",
        "Keyed on the local account (no remote address): one refusal is enough. An account that is not in sudoers has no reason to "
        "try; on a server it is a compromised account or an insider testing its rights.",
        ([H + "sudo:    alice : user NOT in sudoers ; TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/bash"],
         [H + "sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/ls", H + "myapp[1]: sudo: mallory : user NOT in sudoers ; TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/sh"]))
g.alert("SudoPasswordGuessing", "sum by (user) (count_over_time(" + pipe(["sudo_pam"], key="user") + " [10m])) >= 10",
        "0m", "medium", "credential-access", "T1110.001",
        "{{ $value }} sudo password failures for {{ $labels.user }} in 10m",
        "Keyed on the local account (no remote address). Counts pam_unix(sudo:auth) failures, one per attempt (sudo's own "
        "'N incorrect password attempts' summary is not counted again). sudo allows 3 tries per run: 10 in 10 minutes is more "
        "than three full runs, which is a script, not a typo.",
        ([H + "sudo: pam_unix(sudo:auth): authentication failure; logname=alice uid=1000 euid=0 tty=/dev/pts/0 ruser=alice rhost=  user=alice"],
         [H + "sudo[77]:    alice : 3 incorrect password attempts ; TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/bash", H + "sudo: pam_unix(sudo:session): session opened for user root(uid=0) by alice(uid=1000)"]))
g.alert("SuBruteForce", "sum by (user) (count_over_time(" + pipe(["su_failed", "su_failed_shadow"], key="user") + " [10m])) >= 5",
        "0m", "medium", "credential-access", "T1110.001",
        "{{ $value }} failed su attempts by {{ $labels.user }} in 10m",
        "Keyed on the account that runs su (no remote address). su takes one password per run and logs one FAILED SU line for "
        "it (its pam_unix line is not counted again): 5 in 10 minutes is guessing the target's password.",
        ([H + "su[1234]: FAILED SU (to root) alice on pts/0"],
         [H + "su[1234]: pam_unix(su:auth): authentication failure; logname=alice uid=1000 euid=0 tty=pts/0 ruser=alice rhost=  user=root", H + "myapp[1]: FAILED SU (to root) mallory on pts/0"]))
g.alert("PamRemoteBruteForce", "sum by (src_ip) (count_over_time(" + pipe(["pam_remote", "pam_remote_old", "pam_remote_debian"], ' | service !~ `sshd.*`') + " [5m])) >= 6",
        "0m", "high", "credential-access", "T1110.001",
        "{{ $value }} PAM authentication failures from {{ $labels.src_ip }} in 5m",
        "6 or more PAM authentication failures in 5 minutes from one remote address on services other than sshd (FTP, cockpit, "
        "telnet login...), the bar of the SSH brute-force rule over a slightly longer window as these services retry slower.",
        ([H + "vsftpd[812]: pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=bob rhost=198.18.0.7  user=bob"],
         [H + "sshd[1558]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.18.0.7  user=root", H + "vsftpd[812]: pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=x rhost=ftp.example.com"]))
# util-linux's and shadow's per-failure lines weigh 1 (not their closing
# TOO MANY LOGIN TRIES, which sums the same failures); BusyBox's line, 3.
g.alert("RemoteLoginBruteForce", "sum by (src_ip) (sum_over_time(" +
        pipe(["login_failed", "login_failed_shadow", "login_busybox"], ' | event != "TOO MANY LOGIN TRIES"'
             ' | label_format attempts=`{{ if .busybox }}3{{ else }}1{{ end }}` | unwrap attempts') + " [5m])) >= 6",
        "0m", "high", "credential-access", "T1110.001",
        "{{ $value }} failed remote logins (telnet/rlogin) from {{ $labels.src_ip }} in 5m",
        "6 or more failed login(1) passwords in 5 minutes from one peer, PamRemoteBruteForce's bar. A telnet service reachable "
        "from the internet draws bots that try vendor default passwords; BusyBox writes one line per 3 failures, weighed 3.",
        ([H + "login[912]: FAILED LOGIN 1 FROM 198.18.0.7 FOR root, Authentication failure",
          H + "login[1]: invalid password for 'admin' on 'pts/0' from '198.18.0.11'"],
         [H + "login[912]: TOO MANY LOGIN TRIES (5) FROM 198.18.0.8 FOR admin, Authentication failure"] + LOGIN_LOOKALIKES))
g.alert("PkexecExploit", "sum by (user) (count_over_time(" + pipe(["pkexec_shell", "pkexec_env"], key="user") + " [10m])) >= 1",
        "0m", "critical", "privilege-escalation", "T1068",
        "CVE-2021-4034 (PwnKit) attempt by {{ $labels.user }}",
        "Keyed on the local account that ran pkexec (no remote address). One line is enough: no legitimate use sets a SHELL "
        "outside /etc/shells or a suspicious environment for pkexec.",
        ([H + "pkexec[387348]: srcuser: The value for the SHELL variable was not found the /etc/shells file [USER=root] [TTY=/dev/pts/3] [CWD=/tmp/p] [COMMAND=GCONV_PATH=./gconv PATH=GCONV_PATH=. SHELL=/fake/shell CHARSET=payload]"],
         [H + "pkexec[1]: alice: Executing command [USER=root] [TTY=/dev/pts/0] [CWD=/home/alice] [COMMAND=/usr/bin/gparted]"]))
g.alert("SudoMinusOneExploit", "sum by (user) (count_over_time(" + pipe(["sudo_uid_refused", "sudo_uid_ran"], key="user") + " [10m])) >= 1",
        "0m", "critical", "privilege-escalation", "T1548.003",
        "CVE-2019-14287 (sudo -u#-1) attempt by {{ $labels.user }}",
        "Keyed on the local account that ran sudo (no remote address). One line is enough: uid -1 is never a real run-as "
        "user; a refused attempt still means someone on the host is trying a public root exploit.",
        ([MINUS_ONE_SAMPLE], [H + "sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=#1001 ; COMMAND=/usr/bin/id"]))
g.alert("LooneyTunablesExploit", "sum by (exe) (count_over_time(" + pipe(["ldso_segv"], " | exe =~ `" + SETUID + "`", key="exe") + " [10m])) >= 1",
        "0m", "critical", "privilege-escalation", "T1068",
        "{{ $labels.exe }} crashed in ld.so: CVE-2023-4911 (Looney Tunables) attempt",
        "Keyed on the setuid program (no remote address, no trustworthy user in a kernel line). A setuid-root program that "
        "crashes inside the dynamic loader is the exploit's signature; one is enough (CrowdSec's CVE-2023-4911 triggers on one).",
        ([H + "kernel: sudo[99]: segfault at 0 ip 00007f00 sp 00007ffd error 4 in ld-2.35.so[7f1f9b85e000+25000]"],
         [H + "kernel: [1.0] firefox[42]: segfault at 0 ip 00007f00 sp 00007ffd error 4 in libxul.so[7f00+100]", H + "kernel: [1.0] myprog[42]: segfault at 0 ip 00007f00 sp 00007ffd error 4 in ld-linux-x86-64.so.2[7f00+100]"]))

HEADER = """# ward rule pack: host authentication (sudo, su, PAM for services other than
# sshd) and local privilege-escalation signatures (pkexec CVE-2021-4034,
# glibc ld.so CVE-2023-4911).
#
# GENERATED by rules/gen_host.py - edit the tables there and run it again.
#
# Tagging rules (plain log queries) first, alerting rules (metric queries)
# after. Most of these events have no remote address: their alerting rules
# are keyed on the local account (`by (user)`) or the program (`by (exe)`),
# as each rule says. Lines are matched at the start, on the program's tag
# after an optional syslog header (rules/gen_ssh.py SYSLOG_HEADER). The
# `tests:` key is ward's: strip it before loading the file into Loki.
"""

if __name__ == "__main__":
    text = g.render(HEADER, "host", T, A)
    path = os.path.join(g.HERE, "host.yaml")
    with open(path, "w") as f:
        f.write(text)
    print("wrote %s: %d tagging rules, %d alerting rules" % (path, len(T), len(A)), file=sys.stderr)
