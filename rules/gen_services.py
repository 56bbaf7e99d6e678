#!/usr/bin/env python3
"""Writes rules/mail.yaml, ftp.yaml, db.yaml, firewall.yaml and services.yaml.

One table of tagging rules (a log query per message form of a daemon, with
samples) and one table of alerting rules (a metric query over one or more of
those forms, grouped by src_ip, with a threshold). Edit the tables and run
this again; commit the generator and the YAML it writes.

Every tagging regex is anchored at the start of the line: an optional syslog
header (SYSLOG_HEADER), then the program tag (tag()), then the daemon's own
message format. The address is taken from the position the daemon writes it,
never from text a client chose (user names, HELO names, SIP From headers,
application names), so a crafted name cannot point a rule at a victim.
"""
import os

import svc_mail  # noqa: F401  (registers the mail tagging rules in T)
import svcyaml
from svctable import (ADDR_ONLY, BF, BSD_TS, CA, IP, ISO_TS, SPRAY, SYSLOG_HEADER, T, ORDER,
                      hp, tag, tr)

# ProFTPD: syslog "proftpd[pid]: server (name[addr]) - msg" or its SystemLog
# "2021-05-28 18:08:34,399 host proftpd[pid] server (name[addr]): msg". The
# server name is configuration; the first "(name[addr])" after it is the client.
PROFTPD = (r'^%s(?:%s|proftpd\[\d+\] ).*?\((?P<client>[^\[\]()\s]*)\[(?:::ffff:)?(?P<src_ip>%s)\]\)(?::| -) '
           % (SYSLOG_HEADER, tag('proftpd'), IP))
MYSQL = (r'^(?:%s%s)?(?:%s |\d{4}-\d\d-\d\d  ?\d{1,2}:\d\d:\d\d |\d{6} [ \d]\d:\d\d:\d\d )?\s*(?:\d+ )?(?:\[(?:Note|Warning|ERROR)\] (?:\[MY-\d+\] \[\w+\] )?|Connect\s+)'
         % (SYSLOG_HEADER, tag(r'mysqld?|mariadbd?'), ISO_TS))
# PostgreSQL with %h or %r first in log_line_prefix: "ADDR[(PORT)] TIME [PID] ...",
# as a file line or through syslog ("postgres[pid]: [3-1] ...").
PGSQL = (r'^(?:%s%s(?:\[\d+-\d+\] )?)?(?:::ffff:)?(?P<src_ip>%s)(?:\((?P<src_port>\d+)\))? (?:%s )?\[\d+\]\S* .*?'
         % (SYSLOG_HEADER, tag(r'postgres(?:ql)?|postmaster'), IP, ISO_TS))
KERNEL = r'^%s%s(?:\[\s*\d+\.\d+\] )?' % (SYSLOG_HEADER, tag('kernel'))

# --- tagging rules: rules/svc_mail.py (mail), then the other packs

# ---- FTP
tr('VsftpdFailLogin', 'ftp', ['FAIL LOGIN: Client'],
   r'^(?:%s%s|[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4} )(?:\[pid \d+\] )?\[(?P<user>.*)\] FAIL LOGIN: Client "(?:::ffff:)?(?P<src_ip>%s)"(?:, ".*")?$' % (SYSLOG_HEADER, tag('vsftpd'), IP),
   'low', CA, BF, 'FTP login failure for {{ $labels.user }} from {{ $labels.src_ip }} (vsftpd)',
   'vsftpd rejected a login (vsftpd.log or syslog).',
   [('Sat Jan  1 12:00:00 2022 [pid 4242] [ftpuser] FAIL LOGIN: Client "198.18.20.1"', {'src_ip': '198.18.20.1', 'user': 'ftpuser'}),
    ('Jan  1 12:00:00 ftp1 vsftpd[4242]: [root] FAIL LOGIN: Client "::ffff:198.18.20.2"', {'src_ip': '198.18.20.2', 'user': 'root'}),
    ('Sat Jan  1 12:00:00 2022 [pid 4242] [x] FAIL LOGIN: Client "192.0.2.1"] FAIL LOGIN: Client "198.18.20.3"', {'src_ip': '198.18.20.3'})],
   ['Sat Jan  1 12:00:00 2022 [pid 4242] [ftpuser] OK LOGIN: Client "198.18.20.1"'])

# pam_unix(vsftpd:auth) lines are host.yaml's (PamRemoteAuthFailure, PamRemoteBruteForce:
# every PAM service but sshd), not counted here a second time.

tr('ProFTPDLoginFailed', 'ftp', ['(Login failed)'],
   PROFTPD + r'USER (?P<user>.*) \(Login failed\): (?P<reason>.*)$',
   'low', CA, BF, 'FTP login failure for {{ $labels.user }} from {{ $labels.src_ip }} (ProFTPD)',
   'ProFTPD rejected a login (wrong password, unknown user, bad shell).',
   [('2021-05-28 18:08:34,399 ftp1 proftpd[498819] ftp1 (198.18.21.1[198.18.21.1]): USER seb (Login failed): Incorrect password', {'src_ip': '198.18.21.1', 'user': 'seb', 'reason': 'Incorrect password'}),
    ('Jan  7 18:26:52 ftp1 proftpd[80686]: 172.31.39.97 (host.example[198.18.21.2]) - USER admin (Login failed): Incorrect password', {'src_ip': '198.18.21.2', 'user': 'admin'}),
    ('2023-09-05 19:07:03,851 srv3 proftpd[127258] localhost (2001:db8::21[2001:db8::21]): USER ftp1 (Login failed): No such user found', {'src_ip': '2001:db8::21'}),
    ('Jan  7 18:26:52 ftp1 proftpd[80686]: Debian FTP Server (host.example[198.18.21.3]) - USER x (9.9.9.9[9.9.9.9]) - USER y (Login failed): Incorrect password', {'src_ip': '198.18.21.3'})],
   ['2021-05-28 18:08:30,000 ftp1 proftpd[498819] ftp1 (198.18.21.1[198.18.21.1]): USER seb: Login successful.',
    'Jan  7 18:26:52 ftp1 vsftpd[80686]: x (host[198.18.21.2]) - USER admin (Login failed): Incorrect password'])

tr('ProFTPDNoSuchUser', 'ftp', ['no such user found from'],
   PROFTPD + r'USER (?P<user>.*?): no such user found from ',
   'low', 'reconnaissance', 'T1589.003', 'FTP login for unknown user {{ $labels.user }} from {{ $labels.src_ip }} (ProFTPD)',
   'ProFTPD was asked for a user that does not exist: user-name guessing.',
   [('2021-05-28 18:08:01,124 ftp1 proftpd[498625] ftp1 (198.18.21.4[198.18.21.4]): USER asd: no such user found from 198.18.21.4 [198.18.21.4] to ::ffff:192.0.2.23:21', {'src_ip': '198.18.21.4', 'user': 'asd'}),
    ('Jan  7 18:26:02 ftp1 proftpd[80283]: 172.31.39.97 (198.18.21.5[198.18.21.5]) - USER sdf: no such user found from 198.18.21.5 [198.18.21.5] to 172.31.39.97:21', {'src_ip': '198.18.21.5', 'user': 'sdf'})],
   [])

tr('ProFTPDRootLogin', 'ftp', ['SECURITY VIOLATION'],
   PROFTPD + r'SECURITY VIOLATION: (?P<user>\S+) login attempted',
   'low', CA, BF, 'FTP {{ $labels.user }} login attempt from {{ $labels.src_ip }} (ProFTPD)',
   'A client tried to log in as root while RootLogin is off.',
   [('Oct  2 15:45:44 ftp1 proftpd[5517]: 192.0.2.13 (198.18.21.7[198.18.21.7]) - SECURITY VIOLATION: Root login attempted', {'src_ip': '198.18.21.7', 'user': 'Root'})],
   [])

tr('ProFTPDMaxLoginAttempts', 'ftp', ['Maximum login attempts'],
   PROFTPD + r'Maximum login attempts \(\d+\) exceeded',
   'low', CA, BF, 'ProFTPD MaxLoginAttempts hit by {{ $labels.src_ip }}',
   'A client used up MaxLoginAttempts on one connection.',
   [('2021-05-28 18:08:40,000 ftp1 proftpd[498819] ftp1 (198.18.21.6[198.18.21.6]): Maximum login attempts (3) exceeded, connection refused', {'src_ip': '198.18.21.6'})],
   [])

# BSD ftpd (FreeBSD, NetBSD, OpenBSD; Debian's ftpd): syslog(LOG_NOTICE, "FTP LOGIN
# FAILED FROM %s, %s", remotehost, name). remotehost is the verified host name
# when there is one, else the address: only an address followed by ", " is taken.
tr('BSDFtpdLoginFailed', 'ftp', ['FTP LOGIN FAILED FROM'],
   hp(r'ftpd') + r'FTP LOGIN FAILED FROM (?:::ffff:)?(?P<src_ip>%s), (?P<user>.*)$' % ADDR_ONLY,
   'low', CA, BF, 'FTP login failure for {{ $labels.user }} from {{ $labels.src_ip }} (ftpd)',
   'The BSD ftpd refused a login.',
   [('Mar  1 10:00:00 bsd1 ftpd[4242]: FTP LOGIN FAILED FROM 198.18.22.30, root', {'src_ip': '198.18.22.30', 'user': 'root'}),
    ('Mar  1 10:00:00 bsd1 ftpd[4242]: FTP LOGIN FAILED FROM 2001:db8::22, admin', {'src_ip': '2001:db8::22'})],
   ['Mar  1 10:00:00 bsd1 ftpd[4242]: FTP LOGIN FAILED FROM cafe.example, root',
    'Mar  1 10:00:00 bsd1 ftpd[4242]: FTP LOGIN FAILED FROM 198.18.22.30.example.net, root',
    'Mar  1 10:00:00 bsd1 ftpd[4242]: FTP LOGIN FAILED FROM bad.cafe, root',
    'Mar  1 10:00:00 bsd1 proftpd[4242]: FTP LOGIN FAILED FROM 198.18.22.30, root'])

tr('PureFTPdAuthFailed', 'ftp', ['Authentication failed for user'],
   hp('pure-ftpd') + r'\((?P<account>[^@()]*)@(?:::ffff:)?(?P<src_ip>%s)\) \[WARNING\] Authentication failed for user \[(?P<user>.*)\]$' % IP,
   'low', CA, BF, 'FTP login failure for {{ $labels.user }} from {{ $labels.src_ip }} (Pure-FTPd)',
   'Pure-FTPd rejected a login (run with -H / DontResolve so the address is logged, not a host name).',
   [('Jan  7 14:19:31 ftp2 pure-ftpd: (?@198.18.22.1) [WARNING] Authentication failed for user [root]', {'src_ip': '198.18.22.1', 'user': 'root'}),
    ('Jan  7 14:19:31 ftp2 pure-ftpd[311]: (?@2001:db8::22) [WARNING] Authentication failed for user [a]', {'src_ip': '2001:db8::22'})],
   ['Jan  7 14:20:06 ftp2 pure-ftpd: (?@198.18.22.1) [INFO] user@test.example is now logged in',
    'Jan  7 14:20:06 ftp2 pure-ftpd: (?@198.18.22.1) [WARNING] Sorry, cleartext sessions and weak ciphers are not accepted on this server'])

# ---- databases
tr('MySQLAccessDenied', 'db', ['Access denied for user'],
   MYSQL + r"Access denied for user '(?P<user>.*)'@'(?:::ffff:)?(?P<src_ip>%s)' \(using password: (?P<using_password>YES|NO)\)$" % IP,
   'low', CA, BF, 'MySQL/MariaDB login failure for {{ $labels.user }} from {{ $labels.src_ip }}',
   'The server refused a login (log_warnings >= 2 / log_error_verbosity 3). Client host names (no skip-name-resolve) are not taken.',
   [("Apr 16 05:13:40 db1 mysql[2769]: 2020-04-16T05:13:40.861934Z 344 [Note] Access denied for user 'root'@'198.18.30.1' (using password: YES)", {'src_ip': '198.18.30.1', 'user': 'root', 'using_password': 'YES'}),
    ("2021-10-28T08:06:45.411498Z 25 [Note] [MY-010926] [Server] Access denied for user 'seb'@'198.18.30.2' (using password: NO)", {'src_ip': '198.18.30.2'}),
    ("2023-07-31  8:34:16 14 [Warning] Access denied for user 'admin'@'198.18.30.3' (using password: YES)", {'src_ip': '198.18.30.3'}),
    ("130324 17:56:14 [Warning] Access denied for user 'root'@'198.18.30.7' (using password: YES)", {'src_ip': '198.18.30.7'}),
    ("Sep 16 21:30:26 db1 mysqld: 130916 21:30:26 [Warning] Access denied for user 'hacker'@'198.18.30.8' (using password: YES)", {'src_ip': '198.18.30.8'}),
    ("Jul 31 08:34:16 db1 mariadbd[811]: 2023-07-31  8:34:16 14 [Warning] Access denied for user 'x'@'198.18.30.4' (using password: YES)", {'src_ip': '198.18.30.4'}),
    ("2023-07-31T08:34:16.116872Z        14 Connect   Access denied for user 'user'@'198.18.30.5' (using password: YES)", {'src_ip': '198.18.30.5'}),
    ("2020-04-16T05:13:40.861934Z 344 [Note] Access denied for user 'a'@'192.0.2.1' (using password: YES)'@'198.18.30.6' (using password: YES)", {'src_ip': '198.18.30.6'})],
   ["2020-04-16T05:13:40.861934Z 344 [Note] Access denied for user 'root'@'localhost.example' (using password: YES)",
    "Apr 16 05:13:40 db1 php-fpm[2769]: PHP Warning: mysqli::real_connect(): (HY000/1045): Access denied for user 'root'@'198.18.30.1' (using password: YES)"])

PG_AUTH = PGSQL + r'FATAL:  (?:password|PAM|LDAP|RADIUS|SCRAM|MD5) ?authentication failed for user "(?P<user>.*)"$'
tr('PostgresAuthFailed', 'db', ['authentication failed for user'], PG_AUTH,
   'low', CA, BF, 'PostgreSQL login failure for {{ $labels.user }} from {{ $labels.src_ip }}',
   'Needs %h or %r first in log_line_prefix (e.g. "%h %m [%p] %q%u@%d "); the DETAIL line that follows is not counted.',
   [('65.2.129.7 2023-03-12 11:17:28.425 UTC [53962] zysk@postgres FATAL:  password authentication failed for user "zysk"', {'src_ip': '65.2.129.7', 'user': 'zysk'}),
    ('198.18.31.1(50412) 2023-03-12 11:17:28 UTC [53962] app@db FATAL:  password authentication failed for user "app"', {'src_ip': '198.18.31.1', 'src_port': '50412'}),
    ('Mar 12 11:17:28 db2 postgres[53962]: [3-1] 198.18.31.2 2023-03-12 11:17:28.425 UTC [53962] x@y FATAL:  password authentication failed for user "x"', {'src_ip': '198.18.31.2'})],
   ['198.18.31.1 2023-03-12 11:17:28.425 UTC [53962] zysk@postgres DETAIL:  Role "zysk" does not exist.',
    '2023-03-12 11:17:28.425 UTC [53962] zysk@postgres FATAL:  password authentication failed for user "zysk"',
    '198.18.31.9 - - [12/Mar/2023:11:17:28 +0000] "GET /?q=FATAL:  password authentication failed for user "x" HTTP/1.1" 404 1 "-" "x"'])

tr('PostgresRoleNotExist', 'db', ['does not exist'],
   PGSQL + r'FATAL:  role "(?P<user>.*)" does not exist$',
   'low', 'reconnaissance', 'T1589.003', 'PostgreSQL login for unknown role {{ $labels.user }} from {{ $labels.src_ip }}',
   'A client named a role that does not exist (logged as FATAL with trust/peer/cert methods).',
   [('198.18.31.3 2023-03-12 11:17:28.425 UTC [53963] admin@postgres FATAL:  role "admin" does not exist', {'src_ip': '198.18.31.3', 'user': 'admin'})],
   ['198.18.31.3 2023-03-12 11:17:28.425 UTC [53963] admin@postgres DETAIL:  Role "admin" does not exist.',
    '198.18.31.3 2023-03-12 11:17:28.425 UTC [53963] admin@postgres FATAL:  database "admin" does not exist'])

tr('PostgresHbaReject', 'db', ['pg_hba.conf'],
   r'^(?:%s%s(?:\[\d+-\d+\] )?)?.*? FATAL:  (?:no pg_hba\.conf entry for|pg_hba\.conf rejects connection for) host "(?:::ffff:)?(?P<src_ip>%s)", user "(?P<user>.*?)"' % (SYSLOG_HEADER, tag(r'postgres(?:ql)?|postmaster'), IP),
   'low', 'initial-access', 'T1133', 'PostgreSQL connection from unlisted host {{ $labels.src_ip }}',
   'pg_hba.conf has no entry for (or rejects) the client address; the address is in the message, so any log_line_prefix works.',
   [('2023-03-12 11:17:28.425 UTC [53964] FATAL:  no pg_hba.conf entry for host "198.18.31.4", user "postgres", database "postgres", SSL off', {'src_ip': '198.18.31.4', 'user': 'postgres'}),
    ('Mar 12 11:17:28 db2 postgres[53964]: [3-1] 2023-03-12 11:17:28 UTC [53964] FATAL:  pg_hba.conf rejects connection for host "198.18.31.5", user "x", database "y", no encryption', {'src_ip': '198.18.31.5'})],
   ['2023-03-12 11:17:28.425 UTC [53964] LOG:  connection received: host=198.18.31.4 port=5555'])

tr('MongoDBAuthFailed', 'db', ['"id":20249'],
   r'^(?:%s%s)?\{"t":\{"\$date":"[^"]*"\},"s":"\w+",\s*"c":"ACCESS",\s*"id":20249,.*"remote":"\[?(?:::ffff:)?(?P<src_ip>%s)\]?:(?P<src_port>\d+)"' % (SYSLOG_HEADER, tag('mongod'), IP),
   'low', CA, BF, 'MongoDB authentication failure from {{ $labels.src_ip }}',
   'mongod (4.4+ structured JSON log, message id 20249 "Authentication failed") rejected an authentication. Keys are matched unescaped, so a quoted user name cannot fake them.',
   [('{"t":{"$date":"2024-01-01T10:00:00.000+00:00"},"s":"I",  "c":"ACCESS",   "id":20249,   "ctx":"conn12","msg":"Authentication failed","attr":{"mechanism":"SCRAM-SHA-256","speculative":false,"principalName":"admin","authenticationDatabase":"admin","remote":"198.18.32.1:50122","extraInfo":{},"error":"AuthenticationFailed: SCRAM authentication failed, storedKey mismatch"}}', {'src_ip': '198.18.32.1', 'src_port': '50122'}),
    ('{"t":{"$date":"2024-01-01T10:00:00.000+00:00"},"s":"I","c":"ACCESS","id":20249,"ctx":"conn12","msg":"Authentication failed","attr":{"principalName":"x\\",\\"remote\\":\\"192.0.2.1:1\\"","authenticationDatabase":"admin","remote":"198.18.32.2:50122"}}', {'src_ip': '198.18.32.2'})],
   ['{"t":{"$date":"2024-01-01T10:00:00.000+00:00"},"s":"I","c":"ACCESS","id":20250,"ctx":"conn12","msg":"Authentication succeeded","attr":{"mechanism":"SCRAM-SHA-256","principalName":"admin","remote":"198.18.32.1:50122"}}'])

# MongoDB 5.0+ replaced id 20249 with AuthenticationSession::markFailed()'s
# LOGV2(5286307, "Failed to authenticate", "client"_attr = remote, ...): the
# client's address is the first attribute, before the user and database the
# client chose (and JSON escapes any quote in those).
tr('MongoDBAuthFailedSession', 'db', ['"id":5286307'],
   r'^(?:%s%s)?\{"t":\{"\$date":"[^"]*"\},\s*"s":"\w+",\s*"c":"ACCESS",\s*"id":5286307,\s*"ctx":"[^"]*",\s*(?:"svc":"[^"]*",\s*)?"msg":"Failed to authenticate",\s*"attr":\{"client":"\[?(?:::ffff:)?(?P<src_ip>%s)\]?:(?P<src_port>\d+)"' % (SYSLOG_HEADER, tag('mongod'), IP),
   'low', CA, BF, 'MongoDB authentication failure from {{ $labels.src_ip }}',
   'mongod 5.0+ (JSON log, message id 5286307 "Failed to authenticate") rejected an authentication; the address is attr.client, written first.',
   [('{"t":{"$date":"2024-02-01T10:00:00.000+00:00"},"s":"I",  "c":"ACCESS",   "id":5286307, "ctx":"conn41","msg":"Failed to authenticate","attr":{"client":"198.18.32.10:51000","isSpeculative":true,"isClusterMember":false,"mechanism":"SCRAM-SHA-256","user":"root","db":"admin","error":"AuthenticationFailed: SCRAM authentication failed, storedKey mismatch","result":18,"metrics":{"conversation_duration":{"micros":4211,"summary":{}}},"extraInfo":{}}}', {'src_ip': '198.18.32.10', 'src_port': '51000'}),
    ('Feb  1 10:00:00 db3 mongod[811]: {"t":{"$date":"2024-02-01T10:00:00.000+00:00"},"s":"I","c":"ACCESS","id":5286307,"ctx":"conn42","svc":"S","msg":"Failed to authenticate","attr":{"client":"[2001:db8::33]:51001","isSpeculative":false,"isClusterMember":false,"mechanism":"SCRAM-SHA-1","user":"x\\",\\"client\\":\\"192.0.2.1:1","db":"admin","error":"UserNotFound: Could not find user","result":11}}', {'src_ip': '2001:db8::33', 'src_port': '51001'})],
   ['{"t":{"$date":"2024-02-01T10:00:00.000+00:00"},"s":"I","c":"ACCESS","id":5286306,"ctx":"conn41","msg":"Successfully authenticated","attr":{"client":"198.18.32.10:51000","isSpeculative":true,"isClusterMember":false,"mechanism":"SCRAM-SHA-256","user":"root","db":"admin","result":0}}',
    '{"t":{"$date":"2024-02-01T10:00:00.000+00:00"},"s":"I","c":"NETWORK","id":22943,"ctx":"listener","msg":"Connection accepted","attr":{"remote":"198.18.32.10:51000","uuid":"x","connectionId":41,"connectionCount":3}}',
    'Feb  1 10:00:00 db3 myapp[1]: {"t":{"$date":"2024-02-01T10:00:00.000+00:00"},"s":"I","c":"ACCESS","id":5286307,"ctx":"conn41","msg":"Failed to authenticate","attr":{"client":"198.18.32.10:51000"}}'])

# ---- firewall
FW_SAMPLE = 'Sep 30 10:09:23 fw1 kernel: [19955416.516358] IN=ens2 OUT= MAC=de:1c:88:64:10:19:5e:e1:a4:3b:cf:f0:08:00 SRC=198.18.40.1 DST=10.73.140.49 LEN=44 TOS=0x00 PREC=0x00 TTL=43 ID=25313 PROTO=TCP SPT=52220 DPT=80 WINDOW=1024 RES=0x00 SYN URGP=0'
# a server's late reply (ACK) and a router's IGMP query (real lines, hosts renamed)
FW_ACK_REPLY = '2025-11-01T17:50:05.536116+01:00 vm1 kernel: [UFW BLOCK] IN=eth0 OUT= MAC=00:15:5d:a4:41:08:34:60:f9:97:55:d5:08:00 SRC=194.106.216.232 DST=192.168.1.130 LEN=52 TOS=0x00 PREC=0x00 TTL=51 ID=24009 DF PROTO=TCP SPT=443 DPT=60722 WINDOW=502 RES=0x00 ACK URGP=0 '
FW_IGMP = 'Feb 26 15:33:56 gw kernel: [4296281.599000] IN=ppp0 OUT= MAC= SRC=209.244.16.217 DST=224.0.0.1 LEN=28 TOS=0x00 PREC=0x00 TTL=1 ID=64209 PROTO=2'
tr('NetfilterLogDrop', 'firewall', [' SRC='],
   KERNEL + r'(?P<prefix>.*?) ?IN=(?P<in_if>\S+) OUT=(?P<out_if>\S*) (?:PHYS(?:IN|OUT)=\S+ )*(?:MAC=(?P<mac>\S*) )?.*?\bSRC=(?:::ffff:)?(?P<src_ip>%s) DST=(?P<dest_ip>%s) .*?\bPROTO=(?P<proto>\w+)(?: SPT=(?P<src_port>\d+) DPT=(?P<dest_port>\d+)(?: SEQ=\d+ ACK=\d+)?(?: WINDOW=\d+ RES=0x[0-9a-fA-F]{2} (?P<tcp_flags>(?:[A-Z]{3} )*)URGP=)?)?' % (IP, IP),
   'info', 'discovery', 'T1046', 'firewall {{ $labels.prefix }} {{ $labels.proto }} {{ $labels.src_ip }} -> {{ $labels.dest_ip }}:{{ $labels.dest_port }}',
   'An iptables/nftables LOG line for a packet that came in on an interface (INPUT, FORWARD; not locally generated OUTPUT packets, whose source is this host). Lines whose prefix says the packet was let through (ALLOW, ACCEPT, AUDIT, PASS) are left out.',
   [(FW_SAMPLE, {'src_ip': '198.18.40.1', 'dest_ip': '10.73.140.49', 'dest_port': '80', 'proto': 'TCP', 'in_if': 'ens2', 'prefix': '', 'tcp_flags': 'SYN ', 'mac': 'de:1c:88:64:10:19:5e:e1:a4:3b:cf:f0:08:00'}),
    (FW_ACK_REPLY, {'src_ip': '194.106.216.232', 'src_port': '443', 'dest_port': '60722', 'tcp_flags': 'ACK '}),
    (FW_IGMP, {'src_ip': '209.244.16.217', 'dest_ip': '224.0.0.1', 'proto': '2', 'mac': ''}),
    ('Oct 30 10:09:23 vm-1 kernel: [UFW BLOCK] IN=eth0 OUT= MAC=00:00:00:00:00:00:00:00:00:00:00:00:08:00 SRC=198.18.40.2 DST=192.0.2.53 LEN=104 TOS=0x00 PREC=0x00 TTL=64 ID=16820 DF PROTO=UDP SPT=50616 DPT=161 LEN=84', {'src_ip': '198.18.40.2', 'dest_port': '161', 'proto': 'UDP', 'prefix': '[UFW BLOCK]'}),
    ('2024-05-01T10:00:00.000000+00:00 fw1 kernel: nft-drop: IN=eth0 OUT= MAC=aa SRC=2001:db8::40 DST=2001:db8::1 LEN=80 TC=0 HOPLIMIT=57 FLOWLBL=0 PROTO=TCP SPT=41000 DPT=3389 WINDOW=1024 RES=0x00 SYN URGP=0', {'src_ip': '2001:db8::40', 'dest_port': '3389', 'prefix': 'nft-drop:'}),
    ('May  1 10:00:00 fw1 kernel: [  123.456] FINAL_REJECT: IN=eth0 OUT= MAC=aa SRC=198.18.40.3 DST=192.0.2.1 LEN=84 TOS=0x00 PREC=0x00 TTL=64 ID=1 DF PROTO=ICMP TYPE=8 CODE=0 ID=1 SEQ=1', {'src_ip': '198.18.40.3', 'proto': 'ICMP'})],
   ['Oct 30 10:09:23 vm-1 kernel: [UFW AUDIT] IN=lo OUT= MAC=00:00:00:00:00:00:00:00:00:00:00:00:08:00 SRC=127.0.0.1 DST=127.0.0.53 LEN=104 TOS=0x00 PROTO=TCP SPT=50616 DPT=53 LEN=84',
    'Oct 30 10:09:23 vm-1 kernel: [UFW ALLOW] IN=eth0 OUT= MAC=aa SRC=198.18.40.4 DST=192.0.2.1 LEN=60 PROTO=TCP SPT=5000 DPT=22',
    'Oct 30 10:09:23 vm-1 nginx[1]: IN=eth0 OUT= SRC=198.18.40.4 DST=192.0.2.1 PROTO=TCP SPT=5000 DPT=22',
    'Oct 30 10:09:23 mx1 kernel: [1.0] OUTBOUND: IN= OUT=eth0 SRC=192.0.2.25 DST=198.18.40.5 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=1 DF PROTO=TCP SPT=40000 DPT=25 WINDOW=64240 RES=0x00 SYN URGP=0'],
   extra=r'| prefix !~ `(?i).*(?:allow|accept|audit|pass).*`')

tr('PfBlock', 'firewall', ['block in on '],
   r'^(?:%s%s)?(?:%s )?(?:\d\d:\d\d:\d\d\.\d+ )?rule (?P<prefix>[\w./-]+)\(match\):? block in on (?P<in_if>\S+): (?:::ffff:)?(?P<src_ip>%s)\.(?P<src_port>\d+) > (?P<dest_ip>%s)\.(?P<dest_port>\d+): (?:(?P<proto>udp)|(?:Flags \[)?(?P<tcp_flags>[SFRPUEWC.]+)\]?(?: \d+:\d+\(\d+\))?(?P<tcp_ack> ack)?)?' % (SYSLOG_HEADER, tag(r'pf|pflog|tcpdump'), BSD_TS, IP, IP),
   'info', 'discovery', 'T1046', 'pf blocked {{ $labels.src_ip }} -> {{ $labels.dest_ip }}:{{ $labels.dest_port }}',
   'OpenBSD/FreeBSD pf block (inbound) logged to pflog and printed by tcpdump -n -e (-ttt); FreeBSD writes rule N/M(match): with a colon.',
   [('Mar 31 12:00:00.123456 rule 0/(match) block in on em0: 198.18.41.1.55555 > 192.0.2.1.22: S 12345:12345(0) win 1024', {'src_ip': '198.18.41.1', 'dest_ip': '192.0.2.1', 'dest_port': '22', 'in_if': 'em0'}),
    ('Mar 31 12:00:00 fw2 pf: Mar 31 12:00:00.123456 rule 3/(match) block in on vio0: 2001:db8::41.40000 > 2001:db8::1.443: S 1:1(0) win 1024', {'src_ip': '2001:db8::41', 'dest_port': '443'}),
    ('12:00:00.000000 rule 1.default/(match) block in on em0: 198.18.41.2.5353 > 192.0.2.1.161: udp 40', {'src_ip': '198.18.41.2', 'dest_port': '161', 'proto': 'udp'}),
    ('Mar 31 12:00:00.123456 rule 2/0(match): block in on vtnet0: 198.18.41.3.40001 > 192.0.2.1.3306: Flags [S], seq 1, win 1024, length 0', {'src_ip': '198.18.41.3', 'dest_port': '3306'})],
   ['Mar 31 12:00:00.123456 rule 0/(match) pass in on em0: 198.18.41.1.55555 > 192.0.2.1.22: S 1:1(0) win 1024',
    'Mar 31 12:00:00.123456 rule 0/(match) block out on em0: 192.0.2.1.55555 > 198.18.41.1.22: S 1:1(0) win 1024'])

tr('PfFilterlogBlock', 'firewall', [',block,in,'],
   hp('filterlog') + r'\d*,[^,]*,[^,]*,(?P<prefix>[^,]*),(?P<in_if>[^,]*),[^,]*,block,in,(?:4,[^,]*,[^,]*,\d*,\d*,\d*,[^,]*,\d+|6,[^,]*,[^,]*,\d*),(?P<proto>tcp|udp),(?:\d+,)?\d+,(?:::ffff:)?(?P<src_ip>%s),(?P<dest_ip>%s),(?P<src_port>\d+),(?P<dest_port>\d+),(?:\d+,(?P<tcp_flags>[SAFRPUEWC]*),)?' % (IP, IP),
   'info', 'discovery', 'T1046', 'pf blocked {{ $labels.src_ip }} -> {{ $labels.dest_ip }}:{{ $labels.dest_port }} (filterlog)',
   'pfSense/OPNsense filterlog CSV line for a blocked inbound TCP/UDP packet.',
   [('Mar 31 12:00:00 opnsense filterlog[54321]: 5,,,1000000103,igb0,match,block,in,4,0x0,,64,0,0,DF,6,tcp,60,198.18.42.1,192.0.2.1,55555,22,0,S,123,,64240,,mss', {'src_ip': '198.18.42.1', 'dest_port': '22', 'proto': 'tcp', 'in_if': 'igb0'}),
    ('Mar 31 12:00:00 opnsense filterlog[54321]: 5,,,1000000103,igb0,match,block,in,6,0x00,0x00000,64,udp,17,48,2001:db8::42,2001:db8::1,5353,161,48', {'src_ip': '2001:db8::42', 'dest_port': '161'})],
   ['Mar 31 12:00:00 opnsense filterlog[54321]: 5,,,1000000103,igb0,match,pass,in,4,0x0,,64,0,0,DF,6,tcp,60,198.18.42.1,192.0.2.1,55555,22,0,S,123,,64240,,mss'])

# ---- other services
tr('SambaAuthFailed', 'services', ['NT_STATUS_'],
   r'^(?:%s%s|\s+)Auth: \[[^\]]*\] user \[(?P<domain>[^\]]*)\]\\\[(?P<user>[^\]]*)\] at \[[^\]]*\] with \[[^\]]*\] status \[(?P<status>NT_STATUS_(?:WRONG_PASSWORD|NO_SUCH_USER|LOGON_FAILURE|ACCOUNT_LOCKED_OUT|ACCOUNT_DISABLED))\] workstation \[.*\] remote host \[ipv[46]:(?:::ffff:)?(?P<src_ip>%s):(?P<src_port>\d+)\] mapped to \[[^\]]*\]\\\[[^\]]*\]\. local host \[ipv[46]:[0-9A-Fa-f:.]+:\d+\]' % (SYSLOG_HEADER, tag(r'smbd?|samba|samba-dcerpcd|winbindd'), IP),
   'low', CA, BF, 'SMB login failure for {{ $labels.user }} from {{ $labels.src_ip }} ({{ $labels.status }})',
   'Samba auth audit line (log level auth_audit:3 or 2) for a failed NTLM/Kerberos login.',
   [('Sep 24 10:04:52 nas1 smb[2725]: Auth: [SMB2,(null)] user []\\[toto] at [Fri, 24 Sep 2021 10:04:52.030937 UTC] with [NTLMv2] status [NT_STATUS_NO_SUCH_USER] workstation [] remote host [ipv4:198.18.50.1:62419] mapped to []\\[toto]. local host [ipv4:10.1.1.1:445] #015', {'src_ip': '198.18.50.1', 'user': 'toto', 'status': 'NT_STATUS_NO_SUCH_USER'}),
    ('Sep 24 10:04:52 nas1 smbd[2725]: Auth: [SMB2,(null)] user [WORKGROUP]\\[admin] at [Fri, 24 Sep 2021 10:04:52.030937 UTC] with [NTLMv2] status [NT_STATUS_WRONG_PASSWORD] workstation [DESKTOP-1] remote host [ipv4:198.18.50.2:50000] mapped to [WORKGROUP]\\[admin]. local host [ipv4:10.1.1.1:445]', {'src_ip': '198.18.50.2', 'domain': 'WORKGROUP', 'user': 'admin'}),
    ('  Auth: [SMB2,(null)] user [X]\\[u] at [Fri, 24 Sep 2021 10:04:52.030937 UTC] with [NTLMv2] status [NT_STATUS_LOGON_FAILURE] workstation [x] remote host [ipv6:2001:db8::50:50001] mapped to [X]\\[u]. local host [ipv6:2001:db8::1:445]', {'src_ip': '2001:db8::50'})],
   ['Sep 24 10:04:52 nas1 smbd[2725]: Auth: [SMB2,(null)] user [W]\\[alice] at [Fri, 24 Sep 2021 10:04:52.030937 UTC] with [NTLMv2] status [NT_STATUS_OK] workstation [D] remote host [ipv4:198.18.50.3:50000] mapped to [W]\\[alice]. local host [ipv4:10.1.1.1:445]'])

tr('WireGuardInvalidHandshake', 'services', ['Invalid handshake initiation', 'Invalid MAC of handshake'],
   KERNEL + r'wireguard: (?P<interface>\S+): (?:Invalid handshake initiation from|Invalid MAC of handshake, dropping packet from) \[?(?:::ffff:)?(?P<src_ip>%s)\]?:(?P<src_port>\d+)$' % IP,
   'low', CA, 'T1110', 'invalid WireGuard handshake from {{ $labels.src_ip }} on {{ $labels.interface }}',
   'The kernel (wireguard dyndbg on) dropped a handshake it could not authenticate: a peer with a wrong key or a scanner.',
   [('Jun 20 08:42:20 vpn1 kernel: [82508.102168] wireguard: wg1: Invalid handshake initiation from 198.18.51.1:51820', {'src_ip': '198.18.51.1', 'interface': 'wg1', 'src_port': '51820'}),
    ('Jun 20 08:42:20 vpn1 kernel: wireguard: wg0: Invalid MAC of handshake, dropping packet from [2001:db8::51]:51820', {'src_ip': '2001:db8::51'})],
   ['Jun 20 08:42:20 vpn1 kernel: [82508.1] wireguard: wg0: Handshake for peer 3 (198.18.51.2:51820) did not complete after 5 seconds, retrying (try 2)'])

tr('WireGuardHandshakeTimeout', 'services', ['did not complete after'],
   KERNEL + r'wireguard: (?P<interface>\S+): Handshake for peer \d+ \(\[?(?:::ffff:)?(?P<src_ip>%s)\]?:(?P<src_port>\d+)\) did not complete after \d+ seconds' % IP,
   'info', 'impact', 'T1499', 'WireGuard peer {{ $labels.src_ip }} not answering',
   'Our own handshake to a configured peer got no answer (peer down or path blocked). Tagged for context, never alerted on.',
   [('Jun 20 08:42:20 vpn1 kernel: [82508.1] wireguard: wg0: Handshake for peer 3 (198.18.51.2:51820) did not complete after 5 seconds, retrying (try 2)', {'src_ip': '198.18.51.2'})],
   [])

tr('EndlesshAccept', 'services', ['ACCEPT host='],
   hp(r'endlessh(?:-go)?') + r'(?:\S+ )?ACCEPT host=(?:::ffff:)?(?P<src_ip>%s) port=(?P<src_port>\d+) ' % IP,
   'info', 'reconnaissance', 'T1595.001', 'SSH tarpit connection from {{ $labels.src_ip }}',
   'endlessh accepted a connection on the fake SSH port: only scanners and bots connect there.',
   [('2023-08-17T16:55:35.689651+02:00 mono endlessh[34256]: ACCEPT host=::ffff:198.18.52.1 port=43202 fd=5 n=1/4096', {'src_ip': '198.18.52.1', 'src_port': '43202'}),
    ('Aug 17 16:55:35 mono endlessh[34256]: 2023-08-17T14:55:35.689Z ACCEPT host=2001:db8::52 port=43202 fd=5 n=1/4096', {'src_ip': '2001:db8::52'})],
   ['2023-08-17T16:55:55.709713+02:00 mono endlessh[34256]: CLOSE host=::ffff:198.18.52.1 port=43202 fd=5 time=20.020 bytes=32',
    '2023-08-17T16:55:55.709713+02:00 mono sshd[1]: ACCEPT host=198.18.52.1 port=43202 fd=5'])

OVPN = r'^(?:%s%s|(?:\d{4}-\d\d-\d\d \d\d:\d\d:\d\d |[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4} ))(?:(?P<user>[^/\s]+)/)?(?:\[AF_INET6?\])?\[?(?:::ffff:)?(?P<src_ip>%s)\]?:(?P<src_port>\d+) ' % (SYSLOG_HEADER, tag(r'openvpn|ovpn-\S+'), IP)
tr('OpenVPNTLSError', 'services', ['TLS Error: TLS'],
   OVPN + r'TLS Error: TLS (?:handshake failed|key negotiation failed to occur within \d+ seconds)',
   'info', 'reconnaissance', 'T1595.001', 'OpenVPN TLS handshake failed for {{ $labels.src_ip }}',
   'The TLS handshake with a client did not finish: probes of the VPN port, clients without a valid certificate or tls-auth key.',
   [('Mar  1 10:00:00 vpn2 openvpn[900]: 198.18.53.1:51000 TLS Error: TLS handshake failed', {'src_ip': '198.18.53.1', 'src_port': '51000'}),
    ('2024-03-01 10:00:00 198.18.53.2:40000 TLS Error: TLS key negotiation failed to occur within 60 seconds (check your network connectivity)', {'src_ip': '198.18.53.2'}),
    ('Sep 04 00:00:06 vpn2 openvpn[23718]: [2001:db8::53]:34791 TLS Error: TLS handshake failed', {'src_ip': '2001:db8::53', 'src_port': '34791'}),
    ('Sep 04 00:00:06 vpn2 openvpn[23718]: 2001:db8::a11:beef:7ac0:34791 TLS Error: TLS handshake failed', {'src_ip': '2001:db8::a11:beef:7ac0', 'src_port': '34791'})],
   ['Mar  1 10:00:00 vpn2 openvpn[900]: 198.18.53.1:51000 TLS: Initial packet from [AF_INET]198.18.53.1:51000, sid=1 2'])

tr('OpenVPNAuthFailed', 'services', ['verification failed for peer', 'AUTH_FAILED', 'VERIFY ERROR'],
   OVPN + r'(?:TLS Auth Error: Auth Username/Password verification failed for peer|SENT CONTROL \[[^\]]*\]: \'AUTH_FAILED|VERIFY ERROR: )',
   'low', CA, BF, 'OpenVPN authentication failure for {{ $labels.user }} from {{ $labels.src_ip }}',
   'OpenVPN refused the client: wrong user name/password (auth-user-pass-verify, PAM plugin) or an untrusted certificate.',
   [('Mar  1 10:00:00 vpn2 openvpn[900]: 198.18.53.3:51000 TLS Auth Error: Auth Username/Password verification failed for peer', {'src_ip': '198.18.53.3'}),
    ("Mar  1 10:00:00 vpn2 openvpn[900]: alice/198.18.53.4:51000 SENT CONTROL [alice]: 'AUTH_FAILED' (status=1)", {'src_ip': '198.18.53.4', 'user': 'alice'}),
    ('Mar  1 10:00:00 vpn2 openvpn[900]: 198.18.53.5:51000 VERIFY ERROR: depth=0, error=certificate has expired: CN=bob', {'src_ip': '198.18.53.5'})],
   ['Mar  1 10:00:00 vpn2 openvpn[900]: alice/198.18.53.4:51000 MULTI_sva: pool returned IPv4=10.8.0.6'])

tr('AsteriskAuthFailed', 'services', ["' failed for '"],
   r'^(?:%s%s|\[(?:%s|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?)\] )?(?:NOTICE|WARNING|SECURITY) ?\[\d+\](?:\[[^\]]*\])?:? [\w./-]+(?::\d+)?(?:(?: in)? \w+)?: (?:Registration|Request(?: \'\w+\')?) from .*failed for \'\[?(?:::ffff:)?(?P<src_ip>\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*[0-9A-Fa-f])\]?(?::(?P<src_port>\d+))?\'(?: \(callid: \S*\))? - (?P<reason>Wrong password|No matching peer found|No matching endpoint found|Failed to authenticate|Username/auth name mismatch|Device does not match ACL|Not a local domain|Peer is not supposed to register|ACL error \(permit/deny\)|No matching endpoint found after \d+ tries in [\d.]+ ms|Not match Endpoint(?: Contact)? ACL|Error to authenticate)$' % (SYSLOG_HEADER, tag('asterisk'), BSD_TS),
   'low', CA, BF, 'SIP authentication failure from {{ $labels.src_ip }}: {{ $labels.reason }}',
   'Asterisk (chan_sip or res_pjsip) refused a REGISTER/INVITE: SIP account guessing (sipvicious and the like).',
   [("[Dec  7 11:00:00] NOTICE[1234][C-00000001] chan_sip.c: Registration from '\"100\" <sip:100@192.0.2.5>' failed for '198.18.54.1:5060' - Wrong password", {'src_ip': '198.18.54.1', 'reason': 'Wrong password'}),
    ("Dec  7 11:00:00 pbx asterisk[1234]: NOTICE[1250] res_pjsip/pjsip_distributor.c: Request 'REGISTER' from '<sip:200@192.0.2.5>' failed for '198.18.54.2:5070' (callid: abc@198.18.54.2) - No matching endpoint found", {'src_ip': '198.18.54.2'}),
    ("[2024-12-07 11:00:00.123] NOTICE[2211][C-0000001a] chan_sip.c:28210 in handle_request_register: Registration from '<sip:101@192.0.2.5>' failed for '198.18.54.4:5060' - No matching peer found", {'src_ip': '198.18.54.4', 'reason': 'No matching peer found'}),
    ("[2012-02-13 17:21:54] NOTICE[1638] chan_sip.c: Registration from '<sip:301@example.com>' failed for '198.18.54.5' - Wrong password", {'src_ip': '198.18.54.5'}),
    ("[2013-11-11 14:33:38] NOTICE[1638] chan_sip.c: Registration from '<sip:301@example.com>' failed for '[2001:db8::54]:5060' - Wrong password", {'src_ip': '2001:db8::54', 'src_port': '5060'}),
    ("[2013-11-11 14:33:38] NOTICE[1638] chan_sip.c: Registration from '<sip:301@example.com>' failed for '2001:db8::55' - Wrong password", {'src_ip': '2001:db8::55'}),
    ("[Mar 27 10:06:14] NOTICE[566]: chan_sip.c:28926 handle_request_register: Registration from '\"1000\" <sip:1000@127.0.0.100>' failed for '198.18.54.6:7998' - Wrong password", {'src_ip': '198.18.54.6', 'src_port': '7998'}),
    ("[2016-05-23 10:18:16] NOTICE[19388] res_pjsip/pjsip_distributor.c: Request from '\"1000\" <sip:1000@10.0.0.1>' failed for '198.18.54.7:48336' (callid: 276666022) - Not match Endpoint Contact ACL", {'src_ip': '198.18.54.7'}),
    ("[Dec  7 11:00:00] NOTICE[1234] chan_sip.c: Registration from '\"x\" <sip:x@y>' failed for '192.0.2.9:1' - Wrong password' failed for '198.18.54.3:5060' - No matching peer found", {'src_ip': '198.18.54.3'})],
   ["[Dec  7 11:00:00] NOTICE[1234] chan_sip.c: Registration from '\"x\" <sip:x@y>' failed for '198.18.54.3:5060' (callid: a) - Wrong password' x",
    "[Dec  7 11:00:00] VERBOSE[1234] pbx.c: Registration from x failed for '198.18.54.3:5060' - Wrong password"])

tr('AsteriskIAXManagerAuthFailed', 'services', ['to authenticate', 'MD5 authentication'],
   r'^(?:%s%s|\[(?:%s|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?)\] )?(?:NOTICE|WARNING|SECURITY) ?\[\d+\](?:\[[^\]]*\])?:? (?:chan_iax2|manager)\.c(?::\d+)?(?:(?: in)? \w+)?: (?:Host )?(?:::ffff:)?(?P<src_ip>%s) (?:failed to authenticate as|failed MD5 authentication for|tried to authenticate with nonexistent user) \'(?P<user>.*)\'' % (SYSLOG_HEADER, tag('asterisk'), BSD_TS, IP),
   'low', CA, BF, 'Asterisk IAX2/AMI authentication failure for {{ $labels.user }} from {{ $labels.src_ip }}',
   'An IAX2 peer or a manager (AMI) client failed to authenticate; the address comes before the client-chosen name.',
   [("[2016-06-09 00:01:02] NOTICE[22382] manager.c: 198.18.54.8 failed to authenticate as 'admin'", {'src_ip': '198.18.54.8', 'user': 'admin'}),
    ("[2012-02-13 17:53:59] NOTICE[1638] chan_iax2.c: Host 198.18.54.9 failed MD5 authentication for 'peer1' (e7df != 53ac)", {'src_ip': '198.18.54.9'}),
    ("[2016-05-06 07:08:09] NOTICE[31554] manager.c: 198.18.54.10 tried to authenticate with nonexistent user 'opennms'", {'src_ip': '198.18.54.10', 'user': 'opennms'})],
   ["[2016-06-09 00:01:02] VERBOSE[22382] manager.c: 198.18.54.8 failed to authenticate as 'admin'"])

# chan_iax2.c register_verify(): ast_log(LOG_NOTICE, "No registration for peer
# '%s' (from %s)", peer, address): a REGREQ for a peer name the PBX does not
# know (IAX2 account guessing). The peer name is the client's: the address is
# the one at the end of the line.
ASTERISK_HEAD = r'^(?:%s%s|\[(?:%s|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?)\] )?NOTICE ?\[\d+\](?:\[[^\]]*\])?:? ' % (SYSLOG_HEADER, tag('asterisk'), BSD_TS)
tr('AsteriskIAXNoPeer', 'services', ['No registration for peer'],
   ASTERISK_HEAD + r'chan_iax2\.c(?::\d+)?(?:(?: in)? \w+)?: No registration for peer \'(?P<peer>.*)\' \(from (?:::ffff:)?(?P<src_ip>%s)\)$' % IP,
   'low', CA, BF, 'IAX2 registration for unknown peer {{ $labels.peer }} from {{ $labels.src_ip }}',
   'An IAX2 client tried to register a peer name the PBX does not know: account guessing.',
   [("[2024-02-01 10:00:00] NOTICE[2211] chan_iax2.c: No registration for peer '1001' (from 198.18.54.20)", {'src_ip': '198.18.54.20', 'peer': '1001'}),
    ("Feb  1 10:00:00 pbx asterisk[811]: NOTICE[900]: chan_iax2.c:8620 register_verify: No registration for peer 'admin' (from 198.18.54.21)", {'src_ip': '198.18.54.21'}),
    ("[Feb  1 10:00:00] NOTICE[2211] chan_iax2.c: No registration for peer 'x' (from 192.0.2.1)' (from 198.18.54.22)", {'src_ip': '198.18.54.22'})],
   ["[2024-02-01 10:00:00] NOTICE[2211] chan_iax2.c: No registration for peer 'x' (from 198.18.54.20)' extra",
    "[2024-02-01 10:00:00] VERBOSE[2211] chan_iax2.c: No registration for peer '1001' (from 198.18.54.20)",
    "[2024-02-01 10:00:00] NOTICE[2211] chan_sip.c: No registration for peer '1001' (from 198.18.54.20)"])

# chan_sip's notice "hacking attempt detected '%s'" with the source address
# alone, followed by "Sending fake auth rejection for device ..." when
# alwaysauthreject hides which peer exists (real logs: fail2ban issue #1000).
tr('AsteriskHackingAttempt', 'services', ['hacking attempt detected'],
   ASTERISK_HEAD + r'chan_sip\.c(?::\d+)?(?:(?: in)? \w+)?: hacking attempt detected \'(?:::ffff:)?(?P<src_ip>%s)\'$' % IP,
   'low', CA, BF, 'chan_sip: hacking attempt from {{ $labels.src_ip }}',
   'chan_sip flagged a SIP request as a hacking attempt (answered with a fake authentication rejection).',
   [("[2024-02-01 10:00:00] NOTICE[3453] chan_sip.c: hacking attempt detected '198.18.54.30'", {'src_ip': '198.18.54.30'}),
    ("Feb  1 10:00:00 pbx asterisk[811]: NOTICE[900][C-00000002]: chan_sip.c:24500 in handle_request_invite: hacking attempt detected '2001:db8::31'", {'src_ip': '2001:db8::31'})],
   ["[2024-02-01 10:00:00] NOTICE[3453] chan_sip.c: Sending fake auth rejection for device 100<sip:100@198.18.54.30>;tag=a",
    "[2024-02-01 10:00:00] NOTICE[3453] pbx.c: hacking attempt detected '198.18.54.30'",
    "Feb  1 10:00:00 pbx myapp[1]: NOTICE[3453] chan_sip.c: hacking attempt detected '198.18.54.30'"])

# Levels other than NOTICE: the same head (Asterisk's own log file
# "[date] LEVEL[tid][C-id] file.c: " or syslog "asterisk[pid]: LEVEL[tid]: ").
def asterisk_head(levels):
    return r'^(?:%s%s|\[(?:%s|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?)\] )?(?:%s) ?\[\d+\](?:\[[^\]]*\])?:? ' % (SYSLOG_HEADER, tag('asterisk'), BSD_TS, levels)


# chan_sip.c handle_request_invite() and res_pjsip_session.c new_invite():
# ast_log(LOG_NOTICE, "Call from '%s' (%s) to extension '%s' rejected because
# extension not found in context '%s'.", user or endpoint, address[:port]
# (chan_sip: ast_sockaddr_stringify, "[v6]:port"; pjsip: "TRANSPORT:[addr]:port"),
# the dialled extension, the context. An unauthenticated INVITE to a number the
# PBX does not route: toll-fraud scanning (sipvicious, "friendly-scanner"). The
# user and the extension are the client's and sit on both sides of the address,
# so every quoted field is [^'] and the line is anchored at both ends: a quote in
# either field leaves the line unmatched, it cannot move the address.
tr('AsteriskCallRejected', 'services', ["' rejected because extension not found"],
   asterisk_head('NOTICE') + r'(?:chan_sip|res_pjsip_session)\.c(?::\d+)?(?:(?: in)? \w+)?: Call from \'(?P<user>[^\']*)\' \((?:(?P<transport>UDP|TCP|TLS|WSS?|SCTP):)?\[?(?:::ffff:)?(?P<src_ip>\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]*:[0-9A-Fa-f:.]*[0-9A-Fa-f])\]?:(?P<src_port>\d+)\) to extension \'(?P<exten>[^\']*)\' rejected because extension not found in context \'[^\']*\'\.$',
   'low', 'reconnaissance', 'T1595', 'SIP call to unknown extension {{ $labels.exten }} from {{ $labels.src_ip }}',
   'Asterisk refused an INVITE to an extension the context does not hold: toll-fraud probing dials international numbers with prefixes (00, 011, 9011, +) until one goes out.',
   [("[2013-02-05 23:44:42] NOTICE[436][C-00000fa9] chan_sip.c: Call from '' (198.18.54.40:10836) to extension '0972598285108' rejected because extension not found in context 'default'.", {'src_ip': '198.18.54.40', 'src_port': '10836', 'exten': '0972598285108'}),
    ("[Jan 18 17:39:50] NOTICE[12049]: res_pjsip_session.c:2337 new_invite: Call from 'anonymous' (TCP:[198.18.54.41]:61470) to extension '9011+442037690237' rejected because extension not found in context 'default'.", {'src_ip': '198.18.54.41', 'transport': 'TCP', 'user': 'anonymous'}),
    ("Feb  1 10:00:00 pbx asterisk[811]: NOTICE[900][C-00000002]: chan_sip.c:26100 in handle_request_invite: Call from '1001' ([2001:db8::42]:5060) to extension '' rejected because extension not found in context 'from-internal'.", {'src_ip': '2001:db8::42', 'src_port': '5060'})],
   ["[2013-02-05 23:44:42] NOTICE[436][C-00000fa9] chan_sip.c: Call from 'x' (192.0.2.1:1) to extension 'y' (198.18.54.40:10836) to extension '00972' rejected because extension not found in context 'default'.",
    "[2013-02-05 23:44:42] NOTICE[436][C-00000fa9] chan_sip.c: Call from '' (198.18.54.40:10836) to extension 'x' rejected because extension not found in context 'y'.' rejected because extension not found in context 'default'.",
    "[2013-02-05 23:44:42] NOTICE[436] pbx.c: Call from '' (198.18.54.40:10836) to extension '1' rejected because extension not found in context 'default'.",
    "Feb  1 10:00:00 pbx myapp[1]: NOTICE[900] chan_sip.c: Call from '' (198.18.54.40:10836) to extension '1' rejected because extension not found in context 'default'."])

# FreePBX's [from-sip-external] context (every FreePBX, Issabel and Elastix
# system): an INVITE from a peer the PBX does not know is sent to extension s,
# whose dialplan runs Log(WARNING,"Rejecting unknown SIP connection from
# ${CHANNEL(recvip)}") before hanging up. app_verbose's Log() writes "Ext. s[:prio
# in] [@ context]: MESSAGE"; the address is the channel's received-from address,
# the message ends the line.
tr('AsteriskUnknownSIPConnection', 'services', ['Rejecting unknown SIP connection from'],
   asterisk_head('WARNING') + r'Ext\. s(?::\d+)?(?: in)?(?: @ [\w-]+)?: "Rejecting unknown SIP connection from \[?(?:::ffff:)?(?P<src_ip>\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]*:[0-9A-Fa-f:.]*[0-9A-Fa-f])\]?(?::(?P<src_port>\d+))?"$',
   'low', 'reconnaissance', 'T1595', 'FreePBX rejected an unknown SIP peer {{ $labels.src_ip }}',
   'A SIP INVITE from a peer FreePBX does not know reached from-sip-external and was refused (anonymous SIP calls off): SIP scanning and toll-fraud probes.',
   [('[2013-11-11 14:33:38] WARNING[6756][C-0000001d] Ext. s: "Rejecting unknown SIP connection from 198.18.54.43"', {'src_ip': '198.18.54.43'}),
    ('[2013-11-11 14:33:38] WARNING[8447][C-00000244] Ext. s: "Rejecting unknown SIP connection from 198.18.54.44:52126"', {'src_ip': '198.18.54.44', 'src_port': '52126'}),
    ('[2013-11-11 14:33:38] WARNING[12124][C-00000001] Ext. s: "Rejecting unknown SIP connection from [2001:db8::44]:5060"', {'src_ip': '2001:db8::44'}),
    ('Mar  1 15:35:53 pbx asterisk[2350]: WARNING[1195][C-00000b43]: Ext. s:6 in @ from-sip-external: "Rejecting unknown SIP connection from 198.18.54.45"', {'src_ip': '198.18.54.45'})],
   ['[2013-11-11 14:33:38] WARNING[6756][C-0000001d] Ext. 123: "Rejecting unknown SIP connection from 198.18.54.43"',
    '[2013-11-11 14:33:38] WARNING[6756][C-0000001d] Ext. s: "Rejecting unknown SIP connection from 198.18.54.43 x"',
    '[2013-11-11 14:33:38] VERBOSE[6756][C-0000001d] pbx.c: Executing [s@from-sip-external:6] Log("SIP/x", "WARNING,"Rejecting unknown SIP connection from 198.18.54.43"")',
    'Mar  1 15:35:53 pbx myapp[2350]: WARNING[1195]: Ext. s: "Rejecting unknown SIP connection from 198.18.54.45"'])

# res_security_log.c: "SecurityEvent=\"%s\"" then, for every information
# element of the event, ",%s=\"%s\"" with the value NOT escaped. AccountID (the
# SIP From user), SessionID (the Call-ID), Response and ReceivedHash are the
# client's and may hold '"' and ',RemoteAddress="...'. The line is read as a
# whole sequence of Key="value" pairs, values without '"', from SecurityEvent to
# the end of the line, with exactly one RemoteAddress key: a client value with
# a quote breaks the sequence (no match), one that fakes a pair adds a second
# RemoteAddress (no match).
SEC_PAIR = r'(?:,(?!RemoteAddress=)[A-Za-z]+="[^"]*")*'
tr('AsteriskSecurityEvent', 'services', ['SecurityEvent="'],
   asterisk_head('SECURITY') + r'res_security_log\.c(?::\d+)?(?:(?: in)? \w+)?: SecurityEvent="(?P<event>InvalidAccountID|ChallengeResponseFailed|InvalidPassword|FailedACL)"' + SEC_PAIR + r',RemoteAddress="IPV[46]/(?P<transport>[A-Z]+)/(?:::ffff:)?(?P<src_ip>%s)/(?P<src_port>\d+)"' % IP + SEC_PAIR + r'$',
   'low', CA, BF, 'Asterisk security event {{ $labels.event }} from {{ $labels.src_ip }}',
   'Asterisk\'s security log (logger.conf "security" channel): an unknown account, a wrong password or digest response, or a request refused by an ACL (SIP, PJSIP, IAX2, AMI).',
   [('[2013-05-13 07:10:53] SECURITY[1204] res_security_log.c: SecurityEvent="InvalidAccountID",EventTV="1368439853-500975",Severity="Error",Service="SIP",EventVersion="1",AccountID="00972599580679",SessionID="0x7f8ecc0421f8",LocalAddress="IPV4/UDP/192.0.2.5/5060",RemoteAddress="IPV4/UDP/198.18.54.50/5070"', {'src_ip': '198.18.54.50', 'event': 'InvalidAccountID', 'transport': 'UDP'}),
    ('[2013-07-06 09:09:25] SECURITY[3308] res_security_log.c: SecurityEvent="InvalidPassword",EventTV="1373098165-824497",Severity="Error",Service="SIP",EventVersion="2",AccountID="972592891005",SessionID="0x88aab6c",LocalAddress="IPV4/UDP/192.0.2.5/5060",RemoteAddress="IPV4/UDP/198.18.54.51/5084",Challenge="41d26de5",ReceivedChallenge="41d26de5",ReceivedHash="7a6a3a2e95a05260aee612896e1b4a39"', {'src_ip': '198.18.54.51', 'src_port': '5084'}),
    ('[2016-05-15 22:53:00] SECURITY[26428] res_security_log.c: SecurityEvent="FailedACL",EventTV="2016-05-15T22:53:00.203+0300",Severity="Error",Service="AMI",EventVersion="1",AccountID="admin",SessionID="0x7fb580001518",LocalAddress="IPV4/TCP/0.0.0.0/5038",RemoteAddress="IPV4/TCP/198.18.54.52/62389",SessionTV="1970-01-01T03:00:00.000+0300"', {'src_ip': '198.18.54.52', 'event': 'FailedACL'}),
    ('Feb  1 10:00:00 pbx asterisk[811]: SECURITY[900]: res_security_log.c:92 security_event_stasis_cb: SecurityEvent="ChallengeResponseFailed",EventTV="2019-09-20T19:12:43.659-0500",Severity="Error",Service="PJSIP",EventVersion="1",AccountID="<unknown>",SessionID="3686a690",LocalAddress="IPV6/UDP/2001:db8::1/5060",RemoteAddress="IPV6/UDP/2001:db8::53/5060",Challenge="1569024763/510a",Response="8e18",ExpectedResponse=""', {'src_ip': '2001:db8::53'})],
   ['[2015-05-25 07:21:48] SECURITY[6988] res_security_log.c: SecurityEvent="InvalidAccountID",EventTV="2015-05-25T07:21:48.275+0300",Severity="Error",Service="PJSIP",EventVersion="1",AccountID="70000180",SessionID="",LocalAddress="IPV4/UDP/127.0.0.1/5060",RemoteAddress="IPV4/UDP/192.0.2.8/1111"",LocalAddress="IPV4/UDP/192.0.2.5/5060",RemoteAddress="IPV4/UDP/198.18.54.54/5061"',
    '[2015-05-25 07:21:48] SECURITY[6988] res_security_log.c: SecurityEvent="ChallengeResponseFailed",EventTV="1",Severity="Error",Service="PJSIP",EventVersion="1",AccountID="a",SessionID="b",LocalAddress="IPV4/UDP/192.0.2.5/5060",RemoteAddress="IPV4/UDP/198.18.54.55/5060",Challenge="c",Response="x",RemoteAddress="IPV4/UDP/192.0.2.9/1",ExpectedResponse=""',
    '[2015-05-25 07:19:19] SECURITY[6988] res_security_log.c: SecurityEvent="InvalidAccountID",EventTV="1",Severity="Error",Service="PJSIP",EventVersion="1",AccountID="70000180",SessionID="!@#$%^&   *(}((\')[ -+"++",LocalAddress="IPV4/UDP/192.0.2.5/5060",RemoteAddress="IPV4/UDP/198.18.54.56/5061"',
    '[2013-05-13 07:10:53] SECURITY[1204] res_security_log.c: SecurityEvent="SuccessfulAuth",EventTV="1",Severity="Informational",Service="SIP",EventVersion="1",AccountID="100",SessionID="0x1",LocalAddress="IPV4/UDP/192.0.2.5/5060",RemoteAddress="IPV4/UDP/198.18.54.57/5060",UsingPassword="1"',
    'Feb  1 10:00:00 pbx myapp[1]: SECURITY[900] res_security_log.c: SecurityEvent="InvalidPassword",EventTV="1",Severity="Error",Service="SIP",EventVersion="1",AccountID="a",SessionID="b",LocalAddress="IPV4/UDP/192.0.2.5/5060",RemoteAddress="IPV4/UDP/198.18.54.58/5060"'])

tr('GiteaAuthFailed', 'services', ['Failed authentication attempt for'],
   r'^(?:%s%s)?(?:\d{4}/\d\d/\d\d \d\d:\d\d:\d\d )?\S+ \[[IWE]\] (?:\[[^\]]*\] )?Failed authentication attempt for (?P<user>\S*) from (?:::ffff:)?(?P<src_ip>%s):(?P<src_port>\d+): (?P<reason>user\'s password is invalid|user does not exist|user is prohibited to login|user is not active) \[uid: \d+, name: [^\]\s]*\]$' % (SYSLOG_HEADER, tag(r'gitea|forgejo'), IP),
   'low', CA, BF, 'Gitea login failure for {{ $labels.user }} from {{ $labels.src_ip }}',
   'Gitea/Forgejo sign-in failure (the line its documentation gives for fail2ban). The user name is echoed after the address, so the line must end in one of the known reasons with a name without spaces: a crafted name cannot name another address.',
   [('2024/01/01 10:00:00 ...s/web/auth/auth.go:193:SignInPost() [I] Failed authentication attempt for alice from 198.18.55.1:50000: user\'s password is invalid [uid: 1, name: alice]', {'src_ip': '198.18.55.1', 'user': 'alice'})],
   ['2024/01/01 10:00:00 ...s/web/auth/auth.go:193:SignInPost() [I] Failed authentication attempt for x from 192.0.2.1:1: user does not exist [uid: 0, name: a from 198.18.55.1:50000: user does not exist [uid: 0, name: x from 192.0.2.1:1: user does not exist [uid: 0, name: a]',
    '2024/01/01 10:00:00 ...s/web/auth/auth.go:193:SignInPost() [I] Failed authentication attempt for x from 192.0.2.1:1: y from 198.18.55.1:50000: user does not exist [uid: 0, name: x from 192.0.2.1:1: y]'])

tr('NextcloudLoginFailed', 'services', ['Login failed: '],
   r'^(?:%s%s)?\{.*?"remoteAddr":"(?:::ffff:)?(?P<src_ip>%s)",.*"message":"Login failed: ' % (SYSLOG_HEADER, tag(r'nextcloud|Nextcloud|ownCloud'), IP),
   'low', CA, BF, 'Nextcloud login failure from {{ $labels.src_ip }}',
   'Nextcloud JSON log (nextcloud.log) "Login failed" entry; the address is the remoteAddr key.',
   [('{"reqId":"Yx1","level":2,"time":"2024-01-01T10:00:00+00:00","remoteAddr":"198.18.56.1","user":"--","app":"no app in context","method":"POST","url":"/login","message":"Login failed: admin (Remote IP: 198.18.56.1)","userAgent":"Mozilla/5.0","version":"28.0.1.1"}', {'src_ip': '198.18.56.1'})],
   ['{"reqId":"Yx1","level":1,"time":"2024-01-01T10:00:00+00:00","remoteAddr":"198.18.56.1","user":"alice","app":"core","method":"POST","url":"/login","message":"Login successful: alice"}'])

# Roundcube's userlogins log (log_logins = true; its own file or syslog):
# write_log('userlogins', sprintf('Failed login for %s from %s in session %s
# (error: %d)', user, remote_ip(), session_id(), code)); Roundcube 0.x wrote
# "FAILED login for %s from %s" and "IMAP Error: Login failed for %s from %s"
# with nothing after. The user is the client's and comes first; the address is
# taken only where the server's text after it (session id, error code) or the end
# of the line follows. Not covered: the errors-log form "Login failed for U
# [against H] from ADDR. IMAP-ERROR in FILE on line N (METHOD URI)", with the
# client's user before the address and the IMAP server's reply and the client's
# URI after it: the line reads two ways.
ROUNDCUBE = r'^(?:%s%s|\[\d\d-[A-Z][a-z]{2}-\d{4} \d\d:\d\d:\d\d(?: [+-]\d{4})?\]: )(?:<[0-9a-z]+> )?' % (SYSLOG_HEADER, tag(r'roundcube'))
tr('RoundcubeLoginFailed', 'services', ['d login for ', 'D login for ', 'IMAP Error: Login failed for '],
   ROUNDCUBE + r'(?:Failed login|FAILED login|IMAP Error: Login failed) for (?P<user>.*) from (?:::ffff:)?(?P<src_ip>%s)(?: in session [\w,-]+ \(error: -?\d+\))?$' % IP,
   'low', CA, BF, 'Roundcube login failure for {{ $labels.user }} from {{ $labels.src_ip }}',
   'Roundcube webmail refused a login (userlogins log). The address is the web client\'s (REMOTE_ADDR, or X-Forwarded-For only from proxies listed in proxy_whitelist).',
   [('[10-May-2015 13:02:52 -0400]: Failed login for sampleuser from 198.18.56.10 in session 1z506z6rvddstv6k7jz08hxo27 (error: 0)', {'src_ip': '198.18.56.10', 'user': 'sampleuser'}),
    ('[10-May-2015 13:02:52 -0400]: <4z506z6r> Failed login for admin@example.com from 2001:db8::56 in session 4z506z6rvddstv6k7jz08hxo27 (error: 0)', {'src_ip': '2001:db8::56'}),
    ('May 19 06:07:48 web1 roundcube[21296]: <crk9n97i> Failed login for a from 192.0.2.1 in session x (error: 0) from 198.18.56.11 in session crk9n97ia (error: 0)', {'src_ip': '198.18.56.11'}),
    ('[22-Jan-2013 22:28:21 +0200]: FAILED login for user1 from 198.18.56.12', {'src_ip': '198.18.56.12', 'user': 'user1'}),
    ('May 26 07:12:40 web1 roundcube: IMAP Error: Login failed for sales@example.com from 198.18.56.13', {'src_ip': '198.18.56.13'})],
   ['[17-Jan-2016 11:09:06 +0200]: <j2pncet8> IMAP Error: Login failed for admin from 192.0.2.1. from 198.18.56.14. AUTHENTICATE PLAIN: Authentication failed. in /usr/share/roundcubemail/program/lib/Roundcube/rcube_imap.php on line 197 (POST /?_task=login&_action=login)',
    '[10-May-2015 13:02:52 -0400]: Successful login for alice (ID: 1) from 198.18.56.10 in session 1z506z6r',
    'May 19 06:07:48 web1 myapp[1]: Failed login for a from 198.18.56.11 in session x (error: 0)'])

# Drupal's syslog module: "!base_url|!timestamp|!type|!ip|!request_uri|!referer|
# !uid|!link|!message" under the site's syslog ident. The first four fields are
# the server's (configuration, time, "user", the client address); the URI and
# referer after them are the client's and may hold "|" (fail2ban gh-2742), so the
# message is taken at the end of the line and holds no "|". The ident is
# syslog_identity: "drupal" by default, often the site's domain name; another
# program's ident (that might log a client's text first) is not taken.
tr('DrupalLoginFailed', 'services', ['|Login attempt failed '],
   r'^%s(?:[\w-]*[Dd]rupal[\w-]*|[\w-]+(?:\.[\w-]+)+)(?:\[\d+\])?: https?://[^|\s]*\|\d+\|user\|(?:::ffff:)?(?P<src_ip>%s)\|.*\|Login attempt failed (?:for|from) (?P<user>[^|]*)\.$' % (SYSLOG_HEADER, IP),
   'low', CA, BF, 'Drupal login failure for {{ $labels.user }} from {{ $labels.src_ip }}',
   'Drupal (syslog module) logged a failed login; the address is the fourth field, written before any client text.',
   [('Apr 26 13:15:25 web1 example.com: https://example.com|1430068525|user|198.18.56.20|https://example.com/?q=user|https://example.com/?q=user|0||Login attempt failed for drupaladmin.', {'src_ip': '198.18.56.20', 'user': 'drupaladmin'}),
    ('Apr 26 13:20:01 web1 drupal_site[24864]: https://www.example.com|1613058599|user|198.18.56.21|https://www.example.com/en/user/login|https://www.example.com/en/user/login|0||Login attempt failed from Jack Sparrow.', {'src_ip': '198.18.56.21', 'user': 'Jack Sparrow'}),
    ('Apr 26 13:20:02 web1 drupal-site: https://example.com|1613063581|user|198.18.56.22|https://example.com/user/login?test=%7C&test2=%7C|https://example.com/user/login?test=|192.0.2.1|x||0||Login attempt failed from 198.18.56.22.', {'src_ip': '198.18.56.22'})],
   ['Apr 26 13:19:08 web1 example.com: https://example.com|1430068748|user|198.18.56.20|https://example.com/user|https://example.com/user|1||Session opened for drupaladmin.',
    'Apr 26 13:20:00 web1 drupal-site: https://example.com|1613063581|user|198.18.56.23|https://example.com/user/login?test=%7C&test2=%7C...|https://example.com/user/login?test=|&test2=|0||Login attempt failed for tester|2||Session revisited for drupaladmin.',
    'Apr 26 13:20:00 web1 drupal-site: https://example.com|1613063581|php|198.18.56.23|https://example.com/|x|0||Login attempt failed for x.',
    'Apr 26 13:20:00 web1 myapp[7]: https://example.com|1613063581|user|198.18.56.23|https://example.com/user|x|0||Login attempt failed for x.'])

# phpMyAdmin with AuthLog = syslog: "user denied: %s (%s) from %s", the client's
# user name, the reason, then the address, which ends the line.
tr('PhpMyAdminLoginFailed', 'services', [' denied: '],
   hp(r'phpMyAdmin|phpmyadmin') + r'user denied: (?P<user>.*) \((?P<reason>[\w-]+)\) from (?:::ffff:)?(?P<src_ip>%s)$' % IP,
   'low', CA, BF, 'phpMyAdmin login failure for {{ $labels.user }} from {{ $labels.src_ip }}',
   'phpMyAdmin (AuthLog syslog) refused a login to the database server it fronts.',
   [('Aug 22 14:50:22 web1 phpMyAdmin[16358]: user denied: root (mysql-denied) from 198.18.56.30', {'src_ip': '198.18.56.30', 'user': 'root', 'reason': 'mysql-denied'}),
    ('Aug 22 14:50:22 web1 phpMyAdmin[16358]: user denied: x (y) from 192.0.2.1 (mysql-denied) from 198.18.56.31', {'src_ip': '198.18.56.31'})],
   ['Aug 22 14:50:22 web1 phpMyAdmin[16358]: user accepted: root from 198.18.56.30',
    'Aug 22 14:50:22 web1 phpMyAdmin[16358]: user denied: root (mysql-denied) from 198.18.56.30 x'])

# Squid's native access.log: "time elapsed client action/status bytes method URL
# ident hierarchy type"; the client address is the third field, before the
# client's URL. A request refused by http_access (TCP_DENIED/403: typically an
# outside client trying the proxy, or a blocked site) or a method the proxy does
# not allow (NONE/405). 407 (proxy authentication required) is every browser's
# first request to an authenticating proxy: not taken.
tr('SquidDenied', 'services', ['_DENIED/403 ', 'NONE/405 ', 'NONE_NONE/405 '],
   r'^(?:%s%s)?\d{9,10}\.\d{3}\s+-?\d+ (?:::ffff:)?(?P<src_ip>%s) (?P<action>[A-Z_]+_DENIED/403|NONE(?:_NONE)?/405) \d+ (?P<method>[A-Z_]+) (?P<url>\S+)' % (SYSLOG_HEADER, tag(r'squid|\(squid-\d+\)'), ADDR_ONLY),
   'low', 'initial-access', 'T1090', 'Squid refused {{ $labels.method }} {{ $labels.url }} from {{ $labels.src_ip }}',
   'Squid denied a proxy request: an outside client probing for an open proxy (azenv.php, proxy judges, CONNECT), or a client asking for a blocked site.',
   [('1386543323.000      4 198.18.56.40 TCP_DENIED/403 4099 GET http://www.proxy-listen.example/azenv.php - HIER_NONE/- text/html', {'src_ip': '198.18.56.40', 'action': 'TCP_DENIED/403', 'method': 'GET'}),
    ('1386543500.000      5 198.18.56.41 NONE/405 3364 CONNECT error:method-not-allowed - HIER_NONE/- text/html', {'src_ip': '198.18.56.41', 'method': 'CONNECT'}),
    ('1700000000.123      0 2001:db8::56 TCP_DENIED/403 3900 CONNECT 192.0.2.1:25 - HIER_NONE/- text/html', {'src_ip': '2001:db8::56'})],
   ['1386543323.000      4 198.18.56.40 TCP_DENIED/407 4099 GET http://example.com/ - HIER_NONE/- text/html',
    '1386543323.000      4 dead.beef TCP_DENIED/403 4099 GET http://example.com/ - HIER_NONE/- text/html',
    '1386543323.000      4 198.18.56.40 TCP_MISS/200 4099 GET http://example.com/?x=TCP_DENIED/403 - HIER_DIRECT/192.0.2.1 text/html'])

tr('GrafanaLoginFailed', 'services', ['Invalid username or password'],
   r'^(?:%s%s)?(?:\S.*? )?msg="Invalid username or password" .*\bremote_addr=(?:::ffff:)?(?P<src_ip>%s)(?: traceID=\S*)?$' % (SYSLOG_HEADER, tag(r'grafana(?:-server)?'), IP),
   'low', CA, BF, 'Grafana login failure from {{ $labels.src_ip }}',
   'Grafana (logfmt log) refused a login form post. logfmt escapes quotes inside values, so msg="..." is the real key; remote_addr is the last key of the line (before traceID), after any value a client chose.',
   [('t=2024-01-01T10:00:00+0000 lvl=eror msg="Invalid username or password" logger=context userId=0 orgId=0 uname= error="invalid username or password" remote_addr=198.18.57.1', {'src_ip': '198.18.57.1'}),
    ('Jan  1 10:00:00 mon1 grafana-server[812]: logger=context userId=0 orgId=0 uname= t=2024-01-01T10:00:00.1+00:00 level=info msg="Invalid username or password" error="invalid username or password" remote_addr=198.18.57.2 traceID=', {'src_ip': '198.18.57.2'}),
    ('t=2024-01-01T10:00:00+0000 lvl=eror msg="Invalid username or password" uname="x remote_addr=192.0.2.1" remote_addr=198.18.57.3', {'src_ip': '198.18.57.3'})],
   ['t=2024-01-01T10:00:00+0000 lvl=info msg="Successful Login" User=admin remote_addr=198.18.57.1',
    't=2024-01-01T10:00:00+0000 lvl=eror msg="Invalid username or password" uname="x remote_addr=192.0.2.1"'])

# ---- successful logins (only counted next to failures: a guess that worked;
# the mail ones are in rules/svc_mail.py)
tr('VsftpdLogin', 'ftp', ['OK LOGIN: Client'],
   r'^(?:%s%s|[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4} )(?:\[pid \d+\] )?\[(?P<user>[^\]]*)\] OK LOGIN: Client "(?:::ffff:)?(?P<src_ip>%s)"$' % (SYSLOG_HEADER, tag('vsftpd'), IP),
   'info', CA, 'T1078', 'FTP login of {{ $labels.user }} from {{ $labels.src_ip }} (vsftpd)',
   'vsftpd accepted a login. Anonymous logins (the client-chosen anon password follows the address) are not taken.',
   [('Sat Jan  1 12:00:09 2022 [pid 4243] [ftpuser] OK LOGIN: Client "198.18.20.9"', {'src_ip': '198.18.20.9', 'user': 'ftpuser'})],
   ['Sat Jan  1 12:00:09 2022 [pid 4243] [ftp] OK LOGIN: Client "198.18.20.9", anon password "x] OK LOGIN: Client "192.0.2.1"'])
tr('ProFTPDLogin', 'ftp', ['Login successful'],
   PROFTPD + r'USER (?P<user>.*): Login successful\.?$',
   'info', CA, 'T1078', 'FTP login of {{ $labels.user }} from {{ $labels.src_ip }} (ProFTPD)',
   'ProFTPD accepted a (non-anonymous) login.',
   [('2021-05-28 18:08:40,001 ftp1 proftpd[498820] ftp1 (198.18.21.9[198.18.21.9]): USER seb: Login successful.', {'src_ip': '198.18.21.9', 'user': 'seb'})],
   ['2021-05-28 18:08:40,001 ftp1 proftpd[498820] ftp1 (198.18.21.9[198.18.21.9]): ANON anonymous: Login successful.'])
tr('PureFTPdLogin', 'ftp', ['is now logged in'],
   hp('pure-ftpd') + r'\((?P<account>[^@()]*)@(?:::ffff:)?(?P<src_ip>%s)\) \[INFO\] (?P<user>.*) is now logged in$' % IP,
   'info', CA, 'T1078', 'FTP login of {{ $labels.user }} from {{ $labels.src_ip }} (Pure-FTPd)',
   'Pure-FTPd accepted a login.',
   [('Jan  7 14:20:06 ftp2 pure-ftpd: (?@198.18.22.9) [INFO] user@test.example is now logged in', {'src_ip': '198.18.22.9', 'user': 'user@test.example'})],
   ['Jan  7 14:20:06 ftp2 pure-ftpd: (?@198.18.22.9) [INFO] New connection from 198.18.22.9'])

# --- alerting rules --------------------------------------------------------------
# (name, pack, [tagging rules], kind, range, threshold, severity, tactic, technique,
#  summary, description, extra pipeline)
A = []


def ar(name, pack, tags, kind, rng, thr, sev, tactic, tech, summary, desc, extra='', for_=None,
       samples=(), lookalikes=()):
    for t in (tags[0] + tags[1] if kind == 'and' else tags):
        assert t in T, t
    A.append(dict(name=name, pack=pack, tags=tags, kind=kind, rng=rng, thr=thr, sev=sev, tactic=tactic,
                  tech=tech, summary=summary, desc=desc, extra=extra, for_=for_,
                  samples=list(samples), lookalikes=list(lookalikes)))


# mail
ar('PostfixSASLBruteforce', 'mail', ['PostfixSASLAuthFailed', 'PostfixSASLBadMechanism'], 'count', '10m', 5, 'medium', CA, BF,
   'SMTP AUTH brute force from {{ $labels.src_ip }} ({{ $value }} failures in 10m)',
   'At least 5 SASL failures (or AUTH with a mechanism smtpd did not offer) in 10 minutes from one address (fail2ban postfix-sasl: maxretry 5 / findtime 10m).')
ar('PostfixAuthSessionsFailed', 'mail', ['PostfixDisconnectAuthFailed'], 'count', '10m', 10, 'low', CA, BF,
   'SMTP AUTH attempts from {{ $labels.src_ip }} ({{ $value }} sessions without a successful AUTH in 10m)',
   'At least 10 SMTP sessions in 10 minutes whose AUTH commands all failed (smtpd\'s disconnect summary, auth=0/N): where AUTH is not offered (port 25) this is the only trace of a password-guessing bot; where it is, PostfixSASLBruteforce fires first (fail2ban postfix ddos mode counts each).')
ar('PostfixSASLSlowBruteforce', 'mail', ['PostfixSASLAuthFailed', 'PostfixLostAfterAuth'], 'count', '2h', 10, 'low', CA, BF,
   'slow SMTP AUTH guessing from {{ $labels.src_ip }} ({{ $value }} in 2h)',
   'At least 10 SASL failures or connections dropped during AUTH in 2 hours: bots that stay under per-10-minute limits.')
ar('PostfixRelayAttempts', 'mail', ['PostfixRelayDenied'], 'count', '10m', 2, 'medium', 'initial-access', 'T1566',
   'relay probing from {{ $labels.src_ip }} ({{ $value }} relay denials in 10m)',
   'Two relay denials in 10 minutes (CrowdSec postfix-relay-denied): the client tries to use the server as an open relay.')
ar('PostfixHeloRejects', 'mail', ['PostfixHeloRejected'], 'count', '10m', 2, 'low', 'initial-access', 'T1566',
   'spam bot {{ $labels.src_ip }}: {{ $value }} HELO rejects in 10m',
   'Two HELO rejections in 10 minutes (CrowdSec postfix-helo-rejected): a bot with a bogus HELO retrying.')
ar('PostfixNonSMTP', 'mail', ['PostfixNonSMTPCommand'], 'count', '10m', 1, 'low', 'reconnaissance', 'T1595.002',
   'non-SMTP traffic to the mail server from {{ $labels.src_ip }}',
   'Any non-SMTP command (HTTP request, TLS or binary probe to a plain port) is a scanner: one is enough (CrowdSec postfix-non-smtp-command is a trigger).')
ar('PostfixSpamFlood', 'mail', ['PostfixReject'], 'count', '5m', 10, 'low', 'initial-access', 'T1566',
   'rejected mail flood from {{ $labels.src_ip }} ({{ $value }} rejects in 5m)',
   'At least 10 smtpd rejects (RBL, unknown users, relay, HELO) in 5 minutes: a spam run or a dictionary attack on recipients.')
ar('PostfixProtocolAbuse', 'mail', ['PostfixTooManyErrors'], 'count', '10m', 3, 'low', 'initial-access', 'T1566',
   'SMTP protocol abuse by {{ $labels.src_ip }} ({{ $value }} in 10m)',
   'Three connections closed on smtpd_hard_error_limit or with improper pipelining in 10 minutes.')
ar('PostscreenBot', 'mail', ['PostscreenPregreet', 'PostscreenDNSBL'], 'count', '10m', 1, 'low', 'initial-access', 'T1566',
   'postscreen flagged {{ $labels.src_ip }} (PREGREET or DNSBL)',
   'A client that speaks before the greeting or is listed on the configured DNSBLs above the threshold (CrowdSec postscreen-rbl is a trigger).')
ar('DovecotBruteforce', 'mail', ['DovecotAuthFailed', 'DovecotAuthRefused'], 'count', '10m', 5, 'medium', CA, BF,
   'IMAP/POP3 brute force from {{ $labels.src_ip }} ({{ $value }} failed connections in 10m)',
   'At least 5 connections that failed authentication, or whose plaintext or unoffered AUTH was refused, in 10 minutes (fail2ban dovecot default).')
ar('DovecotSlowBruteforce', 'mail', ['DovecotAuthFailed'], 'count', '2h', 4, 'low', CA, BF,
   'slow IMAP/POP3 guessing from {{ $labels.src_ip }} ({{ $value }} failures in 2h)',
   'At least 4 failed logins in 2 hours, however spaced (CrowdSec dovecot-slow-bf and dovecot-time-based-bf: 4 failures up to 20-30 minutes apart). A device with a stale password also does this: low severity.')
ar('DovecotPasswordSpray', 'mail', ['DovecotAuthFailed'], 'distinct:user', '2h', 4, 'medium', CA, SPRAY,
   'IMAP/POP3 password spraying from {{ $labels.src_ip }} ({{ $value }} accounts in 2h)',
   'Failed logins for at least 4 different accounts from one address in 2 hours: one client does not own 4 mailboxes with wrong passwords.')
ar('DovecotUserEnumeration', 'mail', ['DovecotUnknownUser'], 'distinct:user', '1h', 5, 'medium', 'reconnaissance', 'T1589.003',
   'mail user enumeration from {{ $labels.src_ip }} ({{ $value }} unknown users in 1h)',
   'At least 5 different non-existent user names from one address in 1 hour (needs auth_verbose=yes).')
ar('DovecotProtocolAbuse', 'mail', ['DovecotInvalidCommands'], 'count', '10m', 2, 'low', 'reconnaissance', 'T1595.002',
   'protocol abuse of Dovecot by {{ $labels.src_ip }} ({{ $value }} connections in 10m)',
   'Two connections closed for too many invalid commands in 10 minutes: a scanner or a bot speaking another protocol.')
ar('EximAuthBruteforce', 'mail', ['EximAuthFailed', 'EximAuthNotAdvertised'], 'count', '10m', 5, 'medium', CA, BF,
   'SMTP AUTH brute force from {{ $labels.src_ip }} (Exim, {{ $value }} in 10m)',
   'At least 5 Exim authenticator failures (or AUTH where it is not offered) in 10 minutes (fail2ban exim: 5 / 10m).')
ar('EximRejectFlood', 'mail', ['EximRejectedRcpt', 'EximSenderVerifyFail', 'EximDropInACL'], 'count', '10m', 10, 'low', 'initial-access', 'T1566',
   'rejected mail flood from {{ $labels.src_ip }} (Exim, {{ $value }} in 10m)',
   'At least 10 rejected recipients, senders that do not verify or ACL drops in 10 minutes: spam run or recipient guessing.')
ar('EximSpamBot', 'mail', ['EximSyncError', 'EximTooManyErrors'], 'count', '10m', 1, 'low', 'initial-access', 'T1566',
   'SMTP protocol violation by {{ $labels.src_ip }} (Exim)',
   'Input before the greeting, unadvertised pipelining, or a connection dropped for too many errors: spam-bot behaviour, one is enough (as postscreen PREGREET).')
ar('PostscreenProtocolAbuse', 'mail', ['PostscreenProtocolViolation', 'PostscreenHangup'], 'count', '10m', 3, 'low', 'initial-access', 'T1566',
   'postscreen protocol abuse by {{ $labels.src_ip }} ({{ $value }} in 10m)',
   'Three failed postscreen deep protocol tests (pipelining, non-SMTP command, bare newline, command limits) or hang-ups during the tests in 10 minutes: a bot retrying (fail2ban postfix ddos mode counts each).')
ar('EximConnectionProbing', 'mail', ['EximNoMail'], 'count', '10m', 10, 'low', 'reconnaissance', 'T1595',
   'SMTP connections without mail from {{ $labels.src_ip }} (Exim, {{ $value }} in 10m)',
   'At least 10 SMTP sessions without a MAIL command in 10 minutes: a scanner or an AUTH/VRFY bot; a monitor checks every few minutes, a mail server sends mail.')
ar('OpenSMTPDAuthBruteforce', 'mail', ['OpenSMTPDAuthFailed'], 'count', '10m', 5, 'medium', CA, BF,
   'SMTP AUTH brute force from {{ $labels.src_ip }} (OpenSMTPD, {{ $value }} in 10m)', 'At least 5 refused AUTH commands in 10 minutes.')
ar('SendmailAuthBruteforce', 'mail', ['SendmailAuthFailed'], 'count', '10m', 5, 'medium', CA, BF,
   'SMTP AUTH brute force from {{ $labels.src_ip }} (sendmail, {{ $value }} in 10m)', 'At least 5 AUTH failures in 10 minutes (fail2ban sendmail-auth).')
ar('SendmailSpamBot', 'mail', ['SendmailSMTPAttack', 'SendmailPregreet'], 'count', '10m', 1, 'low', 'initial-access', 'T1566',
   'SMTP abuse by {{ $labels.src_ip }} (sendmail: too many commands or pre-greeting traffic)',
   'sendmail flagged a possible SMTP attack (a command repeated past its limit in one session) or input before the greeting: one is enough, as postscreen PREGREET.')
ar('SendmailRelayAttempts', 'mail', ['SendmailRelayDenied'], 'count', '10m', 2, 'medium', 'initial-access', 'T1566',
   'relay probing from {{ $labels.src_ip }} (sendmail, {{ $value }} in 10m)', 'Two relay denials in 10 minutes, as PostfixRelayAttempts.')
ar('SendmailRejectFlood', 'mail', ['SendmailReject', 'SendmailVrfyExpn'], 'count', '10m', 10, 'low', 'initial-access', 'T1566',
   'rejected mail flood from {{ $labels.src_ip }} (sendmail, {{ $value }} in 10m)',
   'At least 10 ruleset rejects (unknown users, relaying, RBLs, rate limits) or refused VRFY/EXPN in 10 minutes: spam run or address guessing.')
ar('SendmailConnectionProbing', 'mail', ['SendmailNoMail'], 'count', '10m', 10, 'low', 'reconnaissance', 'T1595',
   'SMTP connections without mail from {{ $labels.src_ip }} (sendmail, {{ $value }} in 10m)', 'At least 10 sessions without MAIL/EXPN/VRFY/ETRN in 10 minutes, as EximConnectionProbing.')
ar('IMAPLoginBruteforce', 'mail', ['CourierLoginFailed', 'CyrusBadLogin', 'UWIMAPLoginFailed'], 'count', '10m', 5, 'medium', CA, BF,
   'IMAP/POP3 brute force from {{ $labels.src_ip }} ({{ $value }} failures in 10m)',
   'At least 5 Courier, Cyrus or UW IMAP login failures in 10 minutes.')
ar('AmavisMalwareSender', 'mail', ['AmavisBlocked'], 'count', '10m', 1, 'medium', 'initial-access', 'T1566.001',
   '{{ $labels.src_ip }} sent malware or a banned attachment',
   'One blocked INFECTED/BANNED message is enough (CrowdSec amavis-blocked is a trigger).')
ar('MailScannerBlacklistedSender', 'mail', ['MailScannerBlacklisted'], 'count', '10m', 1, 'low', 'initial-access', 'T1566',
   'blacklisted sender {{ $labels.src_ip }} still sending',
   'MailScanner classed a message from a blacklisted sender (CrowdSec mailscanner-blacklisted is a trigger).')
ar('MailScannerHighScoreSpam', 'mail', ['MailScannerSpam'], 'count', '10m', 2, 'low', 'initial-access', 'T1566',
   'high-score spam from {{ $labels.src_ip }} ({{ $value }} messages in 10m)',
   'At least 2 messages scored 20 or more (5x the usual 4-5 spam threshold) from one address in 10 minutes (CrowdSec mailscanner-highscore-spam: score > 20, 2 messages).',
   extra='| score >= 20')
ar('DovecotLoginAfterBruteforce', 'mail', (['DovecotAuthFailed'], ['DovecotLogin']), 'and', '10m', 5, 'high', CA, 'T1078',
   'IMAP/POP3 login from {{ $labels.src_ip }} after a brute force',
   'At least 5 failed logins and one successful login from the same address within 10 minutes: a guessed password, or a shared address (NAT) with a user who got in. Check the account.')
ar('PostfixSASLLoginAfterBruteforce', 'mail', (['PostfixSASLAuthFailed'], ['PostfixSASLLogin']), 'and', '10m', 5, 'high', CA, 'T1078',
   'SMTP AUTH login from {{ $labels.src_ip }} after a brute force',
   'At least 5 SASL failures and one authenticated message from the same address within 10 minutes: a guessed mailbox password, typically then used to send spam.')
# ftp
ar('VsftpdBruteforce', 'ftp', ['VsftpdFailLogin'], 'count', '10m', 5, 'medium', CA, BF,
   'FTP brute force from {{ $labels.src_ip }} (vsftpd, {{ $value }} in 10m)', 'At least 5 FAIL LOGIN in 10 minutes (fail2ban vsftpd).')
ar('ProFTPDBruteforce', 'ftp', ['ProFTPDLoginFailed', 'ProFTPDMaxLoginAttempts', 'ProFTPDRootLogin'], 'count', '10m', 5, 'medium', CA, BF,
   'FTP brute force from {{ $labels.src_ip }} (ProFTPD, {{ $value }} in 10m)',
   'At least 5 failed logins (or MaxLoginAttempts hits) in 10 minutes (CrowdSec proftpd-bf: 6 in about a minute; fail2ban proftpd: 5 / 10m).')
ar('ProFTPDUserEnumeration', 'ftp', ['ProFTPDLoginFailed', 'ProFTPDNoSuchUser'], 'distinct:user', '10m', 5, 'medium', 'reconnaissance', 'T1589.003',
   'FTP user enumeration from {{ $labels.src_ip }} ({{ $value }} user names in 10m)',
   'Failed logins for at least 5 different user names in 10 minutes (CrowdSec proftpd-bf_user-enum).')
ar('PureFTPdBruteforce', 'ftp', ['PureFTPdAuthFailed'], 'count', '10m', 5, 'medium', CA, BF,
   'FTP brute force from {{ $labels.src_ip }} (Pure-FTPd, {{ $value }} in 10m)', 'At least 5 authentication failures in 10 minutes (CrowdSec pureftpd-bf, fail2ban pure-ftpd).')
ar('BSDFtpdBruteforce', 'ftp', ['BSDFtpdLoginFailed'], 'count', '10m', 5, 'medium', CA, BF,
   'FTP brute force from {{ $labels.src_ip }} (ftpd, {{ $value }} in 10m)', 'At least 5 FTP LOGIN FAILED in 10 minutes.')
ar('FTPPasswordSpray', 'ftp', ['VsftpdFailLogin', 'PureFTPdAuthFailed', 'BSDFtpdLoginFailed'], 'distinct:user', '1h', 5, 'medium', CA, SPRAY,
   'FTP password spraying from {{ $labels.src_ip }} ({{ $value }} accounts in 1h)', 'Failed logins for at least 5 different accounts in 1 hour (vsftpd, Pure-FTPd, BSD ftpd).')
ar('FTPLoginAfterBruteforce', 'ftp', (['VsftpdFailLogin', 'ProFTPDLoginFailed', 'PureFTPdAuthFailed'], ['VsftpdLogin', 'ProFTPDLogin', 'PureFTPdLogin']), 'and', '10m', 5, 'high', CA, 'T1078',
   'FTP login from {{ $labels.src_ip }} after a brute force',
   'At least 5 failed FTP logins and one successful login from the same address within 10 minutes: a guessed password (or a shared address with a user who got in).')
# db
ar('MySQLBruteforce', 'db', ['MySQLAccessDenied'], 'count', '10m', 5, 'high', CA, BF,
   'MySQL/MariaDB brute force from {{ $labels.src_ip }} ({{ $value }} in 10m)',
   'At least 5 denied logins in 10 minutes (CrowdSec mysql-bf: 6 within about a minute). A database port reachable by a guesser is itself a finding: high.')
ar('MySQLUserEnumeration', 'db', ['MySQLAccessDenied'], 'distinct:user', '1h', 5, 'medium', CA, SPRAY,
   'MySQL account guessing from {{ $labels.src_ip }} ({{ $value }} accounts in 1h)', 'Denied logins for at least 5 different accounts in 1 hour.')
ar('PostgresBruteforce', 'db', ['PostgresAuthFailed', 'PostgresRoleNotExist'], 'count', '10m', 5, 'high', CA, BF,
   'PostgreSQL brute force from {{ $labels.src_ip }} ({{ $value }} in 10m)', 'At least 5 failed authentications in 10 minutes (CrowdSec pgsql-bf).')
ar('PostgresUserEnumeration', 'db', ['PostgresAuthFailed', 'PostgresRoleNotExist'], 'distinct:user', '10m', 5, 'medium', 'reconnaissance', 'T1589.003',
   'PostgreSQL user enumeration from {{ $labels.src_ip }} ({{ $value }} roles in 10m)', 'Failed logins for at least 5 different role names in 10 minutes (CrowdSec pgsql-user-enum).')
ar('PostgresHbaProbing', 'db', ['PostgresHbaReject'], 'count', '10m', 5, 'medium', 'initial-access', 'T1133',
   'PostgreSQL probing from unlisted host {{ $labels.src_ip }} ({{ $value }} in 10m)', 'At least 5 connections refused by pg_hba.conf in 10 minutes.')
ar('MongoDBBruteforce', 'db', ['MongoDBAuthFailed', 'MongoDBAuthFailedSession'], 'count', '10m', 5, 'high', CA, BF,
   'MongoDB brute force from {{ $labels.src_ip }} ({{ $value }} in 10m)', 'At least 5 authentication failures in 10 minutes.')
# firewall
FWT = ['NetfilterLogDrop', 'PfBlock', 'PfFilterlogBlock']
# What a scan is made of, read from the packet header each format logs (nf_log_syslog's
# "MAC=dst:src:type", "RES=0x.. FLAGS URGP="; tcpdump's flags and " ack"; filterlog's
# tcpflags column). Blocked packets that are not a probe of the logging host are
# left out of the counts, whatever their number:
# - link-layer broadcast/multicast frames and multicast/broadcast destinations
#   (a router's IGMP queries to 224.0.0.1, mDNS, SSDP, IPv6 MLD/RA to ff02::): sent to
#   everyone, probing no one;
FW_NOT_GROUP = (r'| dest_ip !~ `(?:(?:22[4-9]|23\d)\..*|255\.255\.255\.255|[fF][fF][0-9a-fA-F]{0,2}:.*)`'
                r' | mac !~ `(?:ff:ff:ff:ff:ff:ff|01:00:5e(?::[0-9a-f]{2}){3}|33:33(?::[0-9a-f]{2}){4}):.*`')
# - TCP segments carrying ACK or RST: they belong to a connection (late replies of a
#   server after conntrack forgot the flow, retransmissions, resets), and their
#   destination port is the client's ephemeral port, a new one per connection. SYN,
#   FIN, NULL and Xmas probes (nmap -sS/-sF/-sN/-sX, masscan, zmap) carry neither;
#   an ACK scan (nmap -sA, mapping firewall rules) is given up;
# - UDP from a service port below 1024 to an ephemeral port: a DNS/NTP/QUIC answer
#   arriving after its flow expired (a resolver answering late hits a new random
#   port each time). UDP probes go to the service ports, which stay counted.
#   tcpdump prints "udp N" only for ports it cannot decode (a DNS answer reads
#   "53 > 40123: 4711 1/0/0 A ..."), so for pf a packet without TCP flags counts as
#   UDP here; a truncated TCP header ("[|tcp]") from a port below 1024 is given up.
FW_NOT_REPLY = (r'| tcp_flags !~ `(?:.*\b(?:ACK|RST)\b.*|[A-Z]{0,7}[AR.][A-Z.]*)` | tcp_ack = ""'
                r' | proto =~ `(?i)tcp` or tcp_flags != "" or src_port !~ `(?:\d{1,3}|10[01]\d|102[0-3])` or dest_port =~ `(?:\d{1,3}|10[01]\d|102[0-3])`')
FW_SCAN = T['NetfilterLogDrop']['extra'] + ' ' + FW_NOT_GROUP + ' ' + FW_NOT_REPLY
FW_PFX = 'Sep 30 10:09:23 fw1 kernel: [19955416.516358] [UFW BLOCK] IN=eth0 OUT= MAC='
# Real lines (docs/rules.md "Firewall and IDS packs on real logs") of blocked packets
# that are not probes: tagged by NetfilterLogDrop, never counted as a scan.
FW_NOT_PROBES = [
    FW_ACK_REPLY,
    FW_IGMP,
    FW_PFX + '00:15:5d:a4:41:08:34:60:f9:97:55:d5:08:00 SRC=194.106.216.232 DST=192.168.1.130 LEN=52 TOS=0x00 PREC=0x00 TTL=51 ID=24009 DF PROTO=TCP SPT=443 DPT=60722 WINDOW=502 RES=0x00 ACK URGP=0 ',
    FW_PFX + '00:04:23:d1:b0:12:00:1f:ca:bb:f8:37:08:00 SRC=168.156.41.179 DST=134.39.81.160 LEN=40 TOS=0x00 PREC=0x00 TTL=128 ID=4907 DF PROTO=TCP SPT=60156 DPT=443 WINDOW=0 RES=0x00 ACK RST URGP=0 ',
    FW_PFX + 'f2:3c:91:ae:bd:2b:c8:4c:75:f5:c4:ff:08:00 SRC=72.14.188.5 DST=96.126.122.212 LEN=72 TOS=0x00 PREC=0x00 TTL=63 ID=21811 PROTO=UDP SPT=53 DPT=49929 LEN=52 ',
    FW_PFX + '01:00:5e:00:00:fb:e0:1f:88:f4:26:45:08:00 SRC=192.168.1.124 DST=224.0.0.251 LEN=32 TOS=0x00 PREC=0xC0 TTL=1 ID=0 DF PROTO=UDP SPT=5353 DPT=5353 LEN=12',
    FW_PFX + 'ff:ff:ff:ff:ff:ff:fe:9e:86:3e:65:b7:08:00 SRC=10.89.0.6 DST=10.89.0.255 LEN=272 TOS=0x00 PREC=0x00 TTL=64 ID=4918 DF PROTO=UDP SPT=138 DPT=138 LEN=252 ',
    '2024-05-01T10:00:00.000000+00:00 fw1 kernel: nft-drop: IN=eth0 OUT= MAC=33:33:00:00:00:01:aa:bb:cc:dd:ee:ff:86:dd SRC=fe80:0000:0000:0000:0000:0000:0000:0001 DST=ff02:0000:0000:0000:0000:0000:0000:0001 LEN=120 TC=0 HOPLIMIT=255 FLOWLBL=0 PROTO=UDP SPT=547 DPT=546 LEN=80',
    'Mar 31 12:00:00.123456 rule 0/(match) block in on em0: 198.18.41.9.443 > 192.0.2.1.50123: P 1:10(9) ack 1 win 512',
    'Mar 31 12:00:00.123456 rule 2/0(match): block in on vtnet0: 198.18.41.9.443 > 192.0.2.1.50124: Flags [R.], seq 1, ack 1, win 0, length 0',
    'Mar 31 12:00:00 opnsense filterlog[54321]: 5,,,1000000103,igb0,match,block,in,4,0x0,,64,0,0,DF,6,tcp,52,198.18.42.9,192.0.2.1,443,50125,0,FA,123,456,501,,',
    'Sep 26 14:26:28.605638 rule 11/(match) block in on em1: 10.0.0.11.59299 > 239.255.255.250.1900: udp 132 (DF) [ttl 1]',
    'Sep 28 03:50:16.900084 rule 11/(match) block in on em1: 10.0.0.11.5353 > 224.0.0.251.5353: 0*- [0q] 7/0/0[|domain] (DF)',
    'Sep 28 03:50:17.100000 rule 11/(match) block in on em1: 198.18.41.10.53 > 10.0.0.13.40123: 4711 1/0/0 A 192.0.2.80 (56)',
]
# Probes the filters above must keep: FIN and Xmas scans, a UDP probe from a low port
# to a service port, a SYN with the kernel's SEQ=/ACK= option (--log-tcp-sequence).
FW_PROBES = [
    (FW_PFX + 'aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:08:00 SRC=198.18.40.20 DST=192.0.2.1 LEN=40 TOS=0x00 PREC=0x00 TTL=40 ID=1 PROTO=TCP SPT=41000 DPT=3306 WINDOW=1024 RES=0x00 FIN URGP=0 ', {'src_ip': '198.18.40.20'}),
    (FW_PFX + 'aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:08:00 SRC=198.18.40.21 DST=192.0.2.1 LEN=40 TOS=0x00 PREC=0x00 TTL=40 ID=1 PROTO=TCP SPT=41000 DPT=5432 WINDOW=1024 RES=0x00 URG PSH FIN URGP=0 ', {'src_ip': '198.18.40.21'}),
    (FW_PFX + 'aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:08:00 SRC=198.18.40.22 DST=192.0.2.1 LEN=40 TOS=0x00 PREC=0x00 TTL=40 ID=1 PROTO=UDP SPT=53 DPT=161 LEN=20 ', {'src_ip': '198.18.40.22'}),
    (FW_PFX + 'aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:08:00 SRC=198.18.40.23 DST=192.0.2.1 LEN=44 TOS=0x00 PREC=0x00 TTL=40 ID=1 PROTO=TCP SPT=41000 DPT=23 SEQ=12345 ACK=0 WINDOW=1024 RES=0x00 SYN URGP=0 ', {'src_ip': '198.18.40.23'}),
    ('Mar 31 12:00:00 opnsense filterlog[54321]: 5,,,1000000103,igb0,match,block,in,4,0x0,,64,0,0,DF,6,tcp,60,198.18.42.20,192.0.2.1,55555,445,0,FPU,123,,1024,,', {'src_ip': '198.18.42.20'}),
    ('Jun  3 20:43:31 filterlog[15121]: 8,,,1000000103,em0,match,block,in,4,0x0,,43,6291,0,none,6,tcp,44,162.142.125.83,64.71.189.18,16568,12283,0,S,2868024203,,1024,,mss', {'src_ip': '162.142.125.83'}),
    ('Feb 16 16:43:20 firewall pf: rule 0/(match) block in on ep0: 194.54.59.189.2559 > 194.54.107.19.139: [|tcp] (DF)', {'src_ip': '194.54.59.189'}),
]
ar('FirewallPortScan', 'firewall', FWT, 'distinct:dest_port', '1m', 15, 'medium', 'discovery', 'T1046',
   'port scan from {{ $labels.src_ip }} ({{ $value }} ports in 1m)',
   'Probes (TCP without ACK/RST, UDP not shaped as a late answer, unicast) blocked on at least 15 different destination ports in 1 minute (CrowdSec iptables-scan-multi_ports and pf-scan-multi_ports: 16 ports at 5 s leak).',
   extra=FW_SCAN + ' | dest_port != ""', samples=FW_PROBES, lookalikes=FW_NOT_PROBES)
ar('FirewallSlowPortScan', 'firewall', FWT, 'distinct:dest_port', '1h', 50, 'low', 'discovery', 'T1046',
   'slow port scan from {{ $labels.src_ip }} ({{ $value }} ports in 1h)',
   'Probes blocked on at least 50 different destination ports in 1 hour: a scan paced to stay under the 1-minute rule (masscan/zmap-style sweeps of the Internet reach a host every few tens of seconds).',
   extra=FW_SCAN + ' | dest_port != ""', samples=FW_PROBES, lookalikes=FW_NOT_PROBES)
ar('FirewallHostSweep', 'firewall', FWT, 'distinct:dest_ip', '5m', 20, 'medium', 'discovery', 'T1018',
   'host sweep from {{ $labels.src_ip }} ({{ $value }} addresses in 5m)',
   'Probes blocked towards at least 20 different unicast destination addresses in 5 minutes (scanning a network for one service).',
   extra=FW_SCAN, samples=FW_PROBES, lookalikes=FW_NOT_PROBES)
ar('FirewallBlockedFlood', 'firewall', FWT, 'count', '1m', 300, 'low', 'impact', 'T1498',
   'blocked packet flood from {{ $labels.src_ip }} ({{ $value }} packets in 1m)',
   'At least 300 logged unicast drops (5/s sustained) from one address in 1 minute: a flood or an aggressive scanner. Only meaningful where drops are logged without a rate limit.',
   extra=T['NetfilterLogDrop']['extra'] + ' ' + FW_NOT_GROUP, lookalikes=FW_NOT_PROBES[1:2] + FW_NOT_PROBES[5:8])
# services
ar('SambaBruteforce', 'services', ['SambaAuthFailed'], 'count', '10m', 5, 'medium', CA, BF,
   'SMB brute force from {{ $labels.src_ip }} ({{ $value }} in 10m)', 'At least 5 failed SMB logins in 10 minutes (CrowdSec smb-bf).')
ar('SambaPasswordSpray', 'services', ['SambaAuthFailed'], 'distinct:user', '1h', 5, 'medium', CA, SPRAY,
   'SMB password spraying from {{ $labels.src_ip }} ({{ $value }} accounts in 1h)', 'Failed SMB logins for at least 5 different accounts in 1 hour.')
ar('WireGuardInvalidHandshakes', 'services', ['WireGuardInvalidHandshake'], 'count', '5m', 5, 'low', CA, 'T1110',
   'invalid WireGuard handshakes from {{ $labels.src_ip }} ({{ $value }} in 5m)',
   'At least 5 unauthenticated handshake initiations in 5 minutes (CrowdSec wireguard-auth: 4 within about 90 s). A peer with a stale key does this too.')
ar('EndlesshScanner', 'services', ['EndlesshAccept'], 'count', '10m', 5, 'low', 'reconnaissance', 'T1595.001',
   'SSH scanner {{ $labels.src_ip }} stuck in the tarpit ({{ $value }} connections in 10m)',
   'At least 5 connections to the endlessh tarpit in 10 minutes (CrowdSec endlessh-bf: 6 at a 5-minute leak). Every client there is a scanner; the threshold keeps one-off probes out of the queue.')
ar('OpenVPNAuthBruteforce', 'services', ['OpenVPNAuthFailed'], 'count', '10m', 5, 'medium', CA, BF,
   'OpenVPN authentication brute force from {{ $labels.src_ip }} ({{ $value }} in 10m)', 'At least 5 refused VPN authentications in 10 minutes.')
ar('OpenVPNHandshakeFlood', 'services', ['OpenVPNTLSError'], 'count', '10m', 10, 'low', 'reconnaissance', 'T1595.001',
   'OpenVPN handshake failures from {{ $labels.src_ip }} ({{ $value }} in 10m)', 'At least 10 failed TLS handshakes in 10 minutes: a probe of the VPN port or a client with a bad key.')
ar('AsteriskSIPBruteforce', 'services', ['AsteriskAuthFailed', 'AsteriskIAXManagerAuthFailed', 'AsteriskIAXNoPeer', 'AsteriskHackingAttempt'], 'count', '10m', 5, 'medium', CA, BF,
   'SIP account brute force from {{ $labels.src_ip }} ({{ $value }} in 10m)', 'At least 5 refused SIP registrations or requests in 10 minutes (fail2ban asterisk).')
ar('AsteriskCallScan', 'services', ['AsteriskCallRejected', 'AsteriskUnknownSIPConnection'], 'count', '10m', 5, 'medium', 'reconnaissance', 'T1595',
   'SIP call scan (toll fraud) from {{ $labels.src_ip }} ({{ $value }} rejected calls in 10m)',
   'At least 5 INVITEs to extensions the PBX does not route, or from a SIP peer FreePBX does not know, in 10 minutes (fail2ban asterisk): a scanner dialling for a way out to paid numbers.')
ar('AsteriskSecurityEventBruteforce', 'services', ['AsteriskSecurityEvent'], 'count', '10m', 5, 'medium', CA, BF,
   'Asterisk authentication failures from {{ $labels.src_ip }} ({{ $value }} security events in 10m)',
   'At least 5 InvalidAccountID, InvalidPassword, ChallengeResponseFailed or FailedACL events in 10 minutes (the security log; kept apart from the messages-log count, which sees the same attempts).')
ar('GiteaBruteforce', 'services', ['GiteaAuthFailed'], 'count', '10m', 5, 'medium', CA, BF,
   'Gitea login brute force from {{ $labels.src_ip }} ({{ $value }} in 10m)', 'At least 5 failed sign-ins in 10 minutes.')
ar('RoundcubeBruteforce', 'services', ['RoundcubeLoginFailed'], 'count', '10m', 5, 'medium', CA, BF,
   'webmail login brute force from {{ $labels.src_ip }} (Roundcube, {{ $value }} in 10m)', 'At least 5 failed Roundcube logins in 10 minutes (fail2ban roundcube-auth).')
ar('DrupalBruteforce', 'services', ['DrupalLoginFailed'], 'count', '10m', 5, 'medium', CA, BF,
   'Drupal login brute force from {{ $labels.src_ip }} ({{ $value }} in 10m)', 'At least 5 failed Drupal logins in 10 minutes (fail2ban drupal-auth).')
ar('PhpMyAdminBruteforce', 'services', ['PhpMyAdminLoginFailed'], 'count', '10m', 5, 'high', CA, BF,
   'phpMyAdmin brute force from {{ $labels.src_ip }} ({{ $value }} in 10m)', 'At least 5 refused phpMyAdmin logins in 10 minutes: database credentials guessed through the web.')
ar('SquidProxyAbuse', 'services', ['SquidDenied'], 'count', '10m', 10, 'low', 'initial-access', 'T1090',
   'proxy abuse from {{ $labels.src_ip }} ({{ $value }} denied requests in 10m)',
   'At least 10 requests Squid denied in 10 minutes: an outside client hunting for an open proxy, or an inside client insisting on blocked sites.')
ar('GrafanaBruteforce', 'services', ['GrafanaLoginFailed'], 'count', '10m', 5, 'medium', CA, BF,
   'Grafana login brute force from {{ $labels.src_ip }} ({{ $value }} in 10m)', 'At least 5 failed logins in 10 minutes (fail2ban grafana).')
ar('NextcloudBruteforce', 'services', ['NextcloudLoginFailed'], 'count', '10m', 5, 'medium', CA, BF,
   'Nextcloud login brute force from {{ $labels.src_ip }} ({{ $value }} in 10m)', 'At least 5 failed logins in 10 minutes.')

# --- writer: rules/svcyaml.py ----------------------------------------------------
HEAD = {
    'mail': 'mail servers: Postfix (smtpd in all its instances, postscreen), Dovecot, Exim,\n# sendmail, OpenSMTPD, Courier, Cyrus, UW IMAP, amavis, MailScanner',
    'ftp': 'FTP servers: vsftpd, ProFTPD (syslog and SystemLog), Pure-FTPd, BSD ftpd',
    'db': 'databases: MySQL/MariaDB, PostgreSQL (%h/%r first in log_line_prefix), MongoDB',
    'firewall': 'firewall logs: iptables/nftables LOG (ufw, firewalld), OpenBSD pf (tcpdump of\n# pflog), pfSense/OPNsense filterlog',
    'services': 'other daemons: Samba, WireGuard, endlessh, OpenVPN, Asterisk, Gitea, Grafana,\n# Nextcloud, Roundcube, Drupal, phpMyAdmin, Squid',
}


for p in ('mail', 'ftp', 'db', 'firewall', 'services'):
    svcyaml.write(os.path.join(os.path.dirname(os.path.abspath(__file__)), p + '.yaml'), p, HEAD[p], T, ORDER, A)
