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
import re

import genlib
import svcyaml

# --- shared fragments ---------------------------------------------------------
IP = r'[0-9A-Fa-f:.]*[0-9A-Fa-f]'
# Where the daemon may write a host name instead (BSD ftpd's remotehost, Squid
# with log_fqdn): a dotted quad or an address with a colon, never "cafe.be".
ADDR_ONLY = r'\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]*:[0-9A-Fa-f:.]*[0-9A-Fa-f]'
# The syslog header and the program tag: rules/genlib.py (shared by every
# pack). BSD_TS and ISO_TS also start the daemons' own log files below.
BSD_TS = genlib.BSD_TS
ISO_TS = genlib.ISO_TS
SYSLOG_HEADER = genlib.SYSLOG_HEADER
tag = genlib.tag


def hp(prog):
    return '^' + SYSLOG_HEADER + tag(prog)


# Dovecot writes its own log file as "Mmm dd HH:MM:SS imap-login: Info: ..."
# (log_timestamp, no host) or goes through syslog as "dovecot: imap-login: ...".
# Under daemontools/runit, its stderr goes through multilog, which starts each
# line with a TAI64N label ("@" and 24 hex digits) instead of a time.
DOVECOT = r'^(?:%s%s|(?:%s |%s |@[0-9a-f]{24} )?)' % (SYSLOG_HEADER, tag(r'dovecot'), BSD_TS, ISO_TS)
POSTFIX_SMTPD = r'postfix(?:-[\w.-]+)?/(?:[\w.-]+/)?smtpd'
CLIENT = r'[\w.-]*\[(?:::ffff:)?(?P<src_ip>%s)\](?::(?P<src_port>\d+))?' % IP   # Postfix name[addr]
EXIM = (r'^(?:%s%s|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?(?: [+-]\d{4})? (?:\[\d+\] )?)'
        r'(?:[0-9A-Za-z]{6}-[0-9A-Za-z]{6}-[0-9A-Za-z]{2} |[0-9A-Za-z]{6}-[0-9A-Za-z]{11}-[0-9A-Za-z]{4} )?'
        % (SYSLOG_HEADER, tag(r'exim4?')))
EXIM_HOST = r'(?:\S+ )?(?:\(\S*\) )?\[(?:::ffff:)?(?P<src_ip>%s)\](?::(?P<src_port>\d+))?' % IP
# What Exim's host_and_ident() writes after the host: " I=[addr]:port" with
# log_selector +incoming_interface, then " U=ident" when the client's identd
# answered (RFC 1413: the client's text, so it comes after the address taken).
EXIM_IFACE = r'(?: I=\[[^\]]*\](?::\d+)?)?(?: U=\S+)?'
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

# --- tagging rules -------------------------------------------------------------
# The literals gate the line for the prefilter (common/litscan.c): its SIMD
# first pass knows each literal by its first three bytes, exactly (the scalar
# pass by four, case folded), and literals with new first bytes make its buckets
# admit more positions of every line. A literal starts where the required text
# is rare in logs: upper case or punctuation ("SMTP ", "SASL ", "(tried",
# "' rejected"), or the first bytes of another literal ("MAIL", "NON"), not a
# word every auth log is full of ("Failed", "auth", "user", "Invalid").
# name: (pack, literals for the line prefilter, regex, extra pipeline, severity,
#        tactic, technique, summary, description, [(line, fields)], [nomatch])
T = {}
ORDER = []


def tr(name, pack, lits, regex, sev, tactic, tech, summary, desc, match, nomatch, extra=''):
    assert name not in T
    re.compile(regex.replace('(?P<', '(?P<'))  # Python check of the syntax
    T[name] = dict(pack=pack, lits=lits, re=regex, extra=extra, sev=sev, tactic=tactic, tech=tech,
                   summary=summary, desc=desc, match=match, nomatch=nomatch)
    ORDER.append(name)


CA, BF, SPRAY = 'credential-access', 'T1110.001', 'T1110.003'

# ---- mail: Postfix
tr('PostfixSASLAuthFailed', 'mail', ['authentication failed'],
   hp(POSTFIX_SMTPD) + r'warning: ' + CLIENT + r': SASL (?P<mech>[\w-]+) authentication failed:(?! Connection lost to authentication server| Invalid authentication mechanism)(?: .*?)?(?:, sasl_username=(?P<user>\S*))?$',
   'low', CA, BF, 'SMTP AUTH failure from {{ $labels.src_ip }}',
   'Postfix smtpd (also submission/smtps instances) rejected a SASL login.',
   [('May 11 04:02:36 mx1 postfix/smtpd[26897]: warning: unknown[198.18.1.1]: SASL LOGIN authentication failed: authentication failure', {'src_ip': '198.18.1.1', 'mech': 'LOGIN'}),
    ('2024-10-31T12:38:21.817327+00:00 mx1 postfix/submission/smtpd[2634]: warning: host.example[198.18.1.2]: SASL PLAIN authentication failed: UGFzc3dvcmQ6, sasl_username=alice@example.com', {'src_ip': '198.18.1.2', 'user': 'alice@example.com'}),
    ('postfix/smtps/smtpd[77]: warning: unknown[2001:db8::5]: SASL LOGIN authentication failed: UGFzc3dvcmQ6', {'src_ip': '2001:db8::5'}),
    ('Aug  3 15:30:49 mx1 postfix/smtpd[17041]: warning: mail.example.com[198.18.1.4]: SASL Plain authentication failed:', {'src_ip': '198.18.1.4', 'mech': 'Plain'}),
    ('<22>1 2024-08-29T01:08:59.764590+00:00 mx1 postfix/smtpd 1938 - - warning: unknown[198.18.1.3]: SASL LOGIN authentication failed: authentication failure', {'src_ip': '198.18.1.3'})],
   ['May 11 04:02:36 mx1 postfix/smtpd[26897]: warning: SASL authentication failure: Password verification failed',
    'May 11 04:02:36 mx1 postfix/smtpd[26897]: warning: unknown[198.18.1.1]: SASL PLAIN authentication failed: Connection lost to authentication server',
    'May 11 04:02:36 mx1 postfix/smtpd[26897]: warning: unknown[198.18.1.1]: SASL CRAM-MD5 authentication failed: Invalid authentication mechanism',
    'May 11 04:02:36 mx1 dovecot: auth: warning: unknown[198.18.1.1]: SASL LOGIN authentication failed: x',
    'May 11 04:02:36 mx1 postfix/smtp[268]: warning: unknown[198.18.1.1]: SASL LOGIN authentication failed: x'])

# smtpd_sasl_glue.c: msg_warn("%s: SASL %s authentication failed: %s", namaddr,
# method, reply); xsasl_dovecot_server.c answers "Invalid authentication
# mechanism" itself, without asking Dovecot, when the client names a mechanism
# smtpd did not advertise (filtered by smtpd_sasl_security_options, e.g.
# noplaintext before STARTTLS). A client does not pick a mechanism it was not
# offered: password-guessing bots send AUTH LOGIN whatever the EHLO reply says.
# Counted with the SASL failures (as Exim's AUTH when not advertised).
tr('PostfixSASLBadMechanism', 'mail', ['SASL '],
   hp(POSTFIX_SMTPD) + r'warning: ' + CLIENT + r': SASL (?P<mech>[\w-]+) authentication failed: Invalid authentication mechanism$',
   'info', CA, BF, 'SMTP AUTH with a mechanism not offered from {{ $labels.src_ip }}',
   'A client asked Postfix for a SASL mechanism it did not advertise (the EHLO reply ignored): a password-guessing bot.',
   [('Jan 14 16:18:16 mx1 postfix/smtpd[14933]: warning: host.example[198.18.1.20]: SASL CRAM-MD5 authentication failed: Invalid authentication mechanism', {'src_ip': '198.18.1.20', 'mech': 'CRAM-MD5'}),
    ('Jan 14 16:18:16 mx1 postfix/submission/smtpd[14933]: warning: unknown[2001:db8::20]:41000: SASL LOGIN authentication failed: Invalid authentication mechanism', {'src_ip': '2001:db8::20'})],
   ['Jan 14 16:18:16 mx1 postfix/smtpd[14933]: warning: unknown[198.18.1.20]: SASL LOGIN authentication failed: Connection lost to authentication server',
    'Jan 14 16:18:16 mx1 postfix/smtp[14933]: warning: unknown[198.18.1.20]: SASL LOGIN authentication failed: Invalid authentication mechanism'])

tr('PostfixRelayDenied', 'mail', ['Relay access denied'],
   hp(POSTFIX_SMTPD) + r'(?:NOQUEUE|[0-9A-Za-z]+): reject: RCPT from ' + CLIENT + r': \d{3} [45]\.\d+\.\d+ <(?P<rcpt>.*?)>: Relay access denied;',
   'low', 'initial-access', 'T1566', 'relay attempt from {{ $labels.src_ip }} to {{ $labels.rcpt }}',
   'A client asked Postfix to relay mail to a domain it does not serve: open-relay probing or spam.',
   [('2024-08-25T10:04:35.051238+00:00 mx1 postfix/smtpd[3814725]: NOQUEUE: reject: RCPT from unknown[198.18.2.1]: 454 4.7.1 <spammer@domain.tld>: Relay access denied; from=<a@b.example> to=<spammer@domain.tld> proto=ESMTP helo=<WIN-9QL4SDRB93L>', {'src_ip': '198.18.2.1', 'rcpt': 'spammer@domain.tld'}),
    ('Jun  4 22:24:28 mx1 postfix/smtpd[3967]: NOQUEUE: reject: RCPT from static.example.net[198.18.2.2]: 554 5.7.1 <x@example.org>: Relay access denied; from=<> to=<x@example.org> proto=SMTP helo=<x>', {'src_ip': '198.18.2.2'})],
   ['Jun  4 22:24:28 mx1 postfix/smtpd[3967]: NOQUEUE: reject: RCPT from unknown[198.18.2.2]: 554 5.7.1 Service unavailable; Client host [198.18.2.2] blocked using zen.spamhaus.org',
    'Jun  4 22:24:28 mx1 sendmail[3967]: NOQUEUE: reject: RCPT from unknown[198.18.2.2]: 454 4.7.1 <x@y>: Relay access denied;'])

tr('PostfixHeloRejected', 'mail', ['Helo command rejected'],
   hp(POSTFIX_SMTPD) + r'(?:NOQUEUE|[0-9A-Za-z]+): reject: [A-Z]+ from ' + CLIENT + r': \d{3} [45]\.\d+\.\d+ <(?P<helo>.*)>: Helo command rejected: ',
   'low', 'initial-access', 'T1566', 'bad HELO {{ $labels.helo }} from {{ $labels.src_ip }}',
   'Postfix rejected the HELO/EHLO name (not fully qualified, invalid, unknown): typical of spam bots.',
   [('2024-08-29T01:08:59.764590+00:00 mx1 postfix/smtpd[1938053]: NOQUEUE: reject: RCPT from unknown[198.18.3.1]: 504 5.5.2 <WIN-9QL4SDRB93L>: Helo command rejected: need fully-qualified hostname; from=<s@d.example> to=<s@d.example> proto=ESMTP helo=<WIN-9QL4SDRB93L>', {'src_ip': '198.18.3.1', 'helo': 'WIN-9QL4SDRB93L'}),
    ('Aug 29 01:08:59 mx1 postfix/smtpd[19]: NOQUEUE: reject: RCPT from unknown[198.18.3.2]: 450 4.7.1 <localhost>: Helo command rejected: Host not found; proto=ESMTP helo=<localhost>', {'src_ip': '198.18.3.2'})],
   ['Aug 29 01:08:59 mx1 postfix/smtpd[19]: NOQUEUE: reject: RCPT from unknown[198.18.3.2]: 454 4.7.1 <x@y.example>: Relay access denied; helo=<Helo command rejected: >'])

tr('PostfixNonSMTPCommand', 'mail', ['non-SMTP command from'],
   hp(POSTFIX_SMTPD) + r'warning: non-SMTP command from ' + CLIENT + r': (?P<command>.*)$',
   'low', 'reconnaissance', 'T1595.002', 'non-SMTP command from {{ $labels.src_ip }}: {{ $labels.command }}',
   'A client sent HTTP or binary data to an SMTP port: a scanner or an attack on a different protocol.',
   [('2024-10-31T12:38:21.817327+00:00 mx1 postfix/submission/smtpd[2634372]: warning: non-SMTP command from unknown[198.18.4.1]: GET / HTTP/1.1', {'src_ip': '198.18.4.1', 'command': 'GET / HTTP/1.1'})],
   ['2024-10-31T12:38:21.817327+00:00 mx1 postfix/submission/smtpd[2634372]: warning: unknown[198.18.4.1]: non-SMTP command from unknown[198.18.4.9]: x'])

tr('PostfixLostAfterAuth', 'mail', ['lost connection after AUTH'],
   hp(POSTFIX_SMTPD) + r'lost connection after AUTH from ' + CLIENT + r'$',
   'info', CA, BF, 'connection dropped during AUTH by {{ $labels.src_ip }}',
   'The client hung up in the middle of SMTP AUTH: password-guessing bots do this after each rejected try.',
   [('May 11 04:02:37 mx1 postfix/smtpd[26897]: lost connection after AUTH from unknown[198.18.5.1]', {'src_ip': '198.18.5.1'})],
   ['May 11 04:02:37 mx1 postfix/smtpd[26897]: lost connection after EHLO from unknown[198.18.5.1]'])

tr('PostfixTooManyErrors', 'mail', ['too many errors after', 'improper command pipelining after'],
   hp(POSTFIX_SMTPD) + r'(?:too many errors|improper command pipelining) after (?P<command>[A-Z]+)(?: \(\d+ bytes\))? from ' + CLIENT + r'(?::.*)?$',
   'info', 'initial-access', 'T1566', 'too many SMTP errors from {{ $labels.src_ip }}',
   'Postfix dropped a client that hit smtpd_hard_error_limit, or that sent commands ahead of the replies without PIPELINING (a bot trait).',
   [('May 11 04:02:37 mx1 postfix/smtpd[26897]: too many errors after RCPT from unknown[198.18.5.2]', {'src_ip': '198.18.5.2', 'command': 'RCPT'}),
    ('May 11 04:02:37 mx1 postfix/smtpd[26897]: too many errors after DATA (0 bytes) from mail.example.org[198.18.5.3]', {'src_ip': '198.18.5.3'}),
    ('Jun 12 08:58:35 mx1 postfix/smtpd[13533]: improper command pipelining after AUTH from unknown[198.18.5.4]: QUIT', {'src_ip': '198.18.5.4', 'command': 'AUTH'})],
   [])

tr('PostfixReject', 'mail', ['reject: '],
   hp(r'postfix(?:-[\w.-]+)?/(?:[\w.-]+/)?(?:smtpd|postscreen)') + r'(?:NOQUEUE|[0-9A-Za-z]+): (?:milter-)?reject: (?P<command>[A-Z]+) from ' + CLIENT + r': (?P<code>[45]\d\d) ',
   'info', 'initial-access', 'T1566', 'Postfix rejected {{ $labels.command }} from {{ $labels.src_ip }} ({{ $labels.code }})',
   'Any smtpd reject (RBL, unknown recipient, relay, HELO, sender checks): counted for the spam-flood rule.',
   [('May 11 04:02:37 mx1 postfix/smtpd[26897]: NOQUEUE: reject: RCPT from unknown[198.18.6.1]: 554 5.7.1 Service unavailable; Client host [198.18.6.1] blocked using zen.spamhaus.org; from=<a@b.example> to=<c@d.example> proto=ESMTP helo=<x>', {'src_ip': '198.18.6.1', 'code': '554'})],
   ['May 11 04:02:37 mx1 postfix/cleanup[26897]: 4F1A2: reject: header Subject: x from unknown[198.18.6.1]; from=<a@b> to=<c@d>'])
T['PostfixReject']['match'] += [('May  5 15:51:11 mx1 postfix/postscreen[1148]: NOQUEUE: reject: RCPT from [198.18.6.2]:60591: 550 5.7.1 Service unavailable; client [198.18.6.2] blocked using rbl.example.com; from=<s@example.com>, to=<g@example.org>, proto=ESMTP, helo=<x>', {'src_ip': '198.18.6.2'}),
    ('Mar  7 02:09:33 mx1 postfix/smtpd[27246]: 1D8CC1CA0A7F: milter-reject: DATA from mail.example.com[198.18.6.3]: 550 5.7.1 Command rejected; from=<a@example.com> to=<b@example.org> proto=ESMTP helo=<x>', {'src_ip': '198.18.6.3', 'command': 'DATA'})]

tr('PostscreenPregreet', 'mail', ['PREGREET'],
   hp(r'postfix(?:-[\w.-]+)?/postscreen') + r'PREGREET \d+ after [\d.]+ from \[(?:::ffff:)?(?P<src_ip>%s)\]:(?P<src_port>\d+)' % IP,
   'low', 'initial-access', 'T1566', 'postscreen PREGREET from {{ $labels.src_ip }}',
   'The client sent SMTP commands before the server greeting: a spam-bot trait (postscreen).',
   [('Jan 10 10:00:01 mx1 postfix/postscreen[1234]: PREGREET 11 after 0.07 from [198.18.7.1]:51000: EHLO user\\r\\n', {'src_ip': '198.18.7.1', 'src_port': '51000'})],
   ['Jan 10 10:00:01 mx1 postfix/postscreen[1234]: CONNECT from [198.18.7.1]:51000 to [192.0.2.25]:25'])
tr('PostscreenDNSBL', 'mail', ['DNSBL rank'],
   hp(r'postfix(?:-[\w.-]+)?/postscreen') + r'DNSBL rank (?P<rank>\d+) for \[(?:::ffff:)?(?P<src_ip>%s)\]:(?P<src_port>\d+)' % IP,
   'low', 'initial-access', 'T1566', 'postscreen DNSBL hit for {{ $labels.src_ip }}',
   'postscreen found the client on DNS blocklists (weighted rank).',
   [('Jan 10 10:00:02 mx1 postfix/postscreen[1234]: DNSBL rank 3 for [198.18.7.2]:40001', {'src_ip': '198.18.7.2', 'rank': '3'})],
   ['Jan 10 10:00:02 mx1 postfix/postscreen[1234]: PASS NEW [198.18.7.2]:40001'])

# postscreen_smtpd.c, the deep protocol tests (postscreen's own SMTP engine,
# before any mail reaches smtpd): msg_info("COMMAND PIPELINING from [%s]:%s after
# %s: %s"), "NON-SMTP COMMAND from [%s]:%s after %s: %s", "BARE NEWLINE from
# [%s]:%s after %s", "COMMAND TIME|COUNT|LENGTH LIMIT from [%s]:%s after %s";
# postscreen_early.c/smtpd: "HANGUP after %s from [%s]:%s in %s". The address is
# postscreen's bracketed client address, before the client's text.
tr('PostscreenProtocolViolation', 'mail', ['PIPELINING from [', 'NON-SMTP COMMAND from [', 'BARE NEWLINE from [', 'LIMIT from ['],
   hp(r'postfix(?:-[\w.-]+)?/postscreen') + r'(?P<test>COMMAND PIPELINING|NON-SMTP COMMAND|BARE NEWLINE|COMMAND (?:TIME|COUNT|LENGTH) LIMIT) from \[(?:::ffff:)?(?P<src_ip>%s)\]:(?P<src_port>\d+) after ' % IP,
   'info', 'initial-access', 'T1566', 'postscreen: {{ $labels.test }} from {{ $labels.src_ip }}',
   'The client failed one of postscreen\'s deep protocol tests (commands sent ahead of replies, HTTP or binary on port 25, bare newlines, too many or too slow commands): spam-bot and scanner traits.',
   [('Jun  8 23:14:54 mx1 postfix/postscreen[473]: COMMAND COUNT LIMIT from [198.18.7.10]:15592 after RCPT', {'src_ip': '198.18.7.10', 'test': 'COMMAND COUNT LIMIT', 'src_port': '15592'}),
    ('Jun  8 23:14:28 mx1 postfix/postscreen[473]: COMMAND TIME LIMIT from [198.18.7.11]:3608 after CONNECT', {'src_ip': '198.18.7.11'}),
    ('Jun  8 23:14:28 mx1 postfix/postscreen[473]: COMMAND PIPELINING from [2001:db8::7]:3608 after EHLO: MAIL FROM:<a@b.example>\\r\\nRCPT TO:<c@d.example>', {'src_ip': '2001:db8::7', 'test': 'COMMAND PIPELINING'}),
    ('Jun  8 23:14:28 mx1 postfix/postscreen[473]: NON-SMTP COMMAND from [198.18.7.12]:3608 after CONNECT: GET / HTTP/1.1', {'src_ip': '198.18.7.12'}),
    ('Jun  8 23:14:28 mx1 postfix/postscreen[473]: BARE NEWLINE from [198.18.7.13]:3608 after DATA', {'src_ip': '198.18.7.13'}),
    # the client's command text after the address cannot name another one
    ('Jun  8 23:14:28 mx1 postfix/postscreen[473]: NON-SMTP COMMAND from [198.18.7.15]:3608 after CONNECT: x COMMAND COUNT LIMIT from [192.0.2.1]:1 after RCPT', {'src_ip': '198.18.7.15', 'test': 'NON-SMTP COMMAND'})],
   ['Jun  8 23:14:28 mx1 postfix/postscreen[473]: PASS NEW [198.18.7.11]:3608',
    'Jun  8 23:14:28 mx1 postfix/smtpd[473]: COMMAND COUNT LIMIT from [198.18.7.11]:3608 after RCPT'])
tr('PostscreenHangup', 'mail', ['HANGUP after '],
   hp(r'postfix(?:-[\w.-]+)?/postscreen') + r'HANGUP after [\d.]+ from \[(?:::ffff:)?(?P<src_ip>%s)\]:(?P<src_port>\d+) in (?P<state>.*)$' % IP,
   'info', 'initial-access', 'T1566', 'postscreen: {{ $labels.src_ip }} hung up in {{ $labels.state }}',
   'The client hung up while postscreen was testing it (a legitimate MTA waits for the reply or QUITs): counted with the protocol violations, never alone.',
   [('Dec 24 00:54:36 mx1 postfix/postscreen[22515]: HANGUP after 16 from [198.18.7.14]:48119 in tests after SMTP handshake', {'src_ip': '198.18.7.14', 'state': 'tests after SMTP handshake'}),
    ('Dec 24 00:54:36 mx1 postfix/postscreen[22515]: HANGUP after 0.33 from [2001:db8::14]:48120 in tests before SMTP handshake', {'src_ip': '2001:db8::14'})],
   ['Dec 24 00:54:36 mx1 postfix/postscreen[22515]: DISCONNECT [198.18.7.14]:48119',
    'Dec 24 00:54:36 mx1 postfix/smtpd[22515]: HANGUP after 16 from [198.18.7.14]:48119 in tests after SMTP handshake'])

# ---- mail: Dovecot
DOVE_LOGIN = (DOVECOT + r'(?P<service>[a-z0-9]+)-login: (?:Info: )?(?:Disconnected|Aborted login|Login aborted|Remote closed connection|Client has quit the connection)\b(?:: (?:\w+\([^):]*\) \w+|[^(:]+))* ?'
              r'\((?:auth failed, (?P<attempts>\d+) attempts?[^)]*|proxy dest auth failed)\)(?: \([a-z_]+\))?: (?:user=<(?P<user>[^>]*)>, )?.*\brip=(?:::ffff:)?(?P<src_ip>%s)(?:,|$)' % IP)
tr('DovecotAuthFailed', 'mail', ['auth failed'], DOVE_LOGIN,
   'low', CA, BF, 'IMAP/POP3 login failure for {{ $labels.user }} from {{ $labels.src_ip }}',
   'A Dovecot login process closed a connection whose authentication failed (one line per connection, with the number of attempts).',
   [('Jan 15 08:00:00 mail dovecot: imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<admin@example.com>, method=PLAIN, rip=198.18.8.1, lip=10.0.0.1, TLS, session=<abc001>', {'src_ip': '198.18.8.1', 'user': 'admin@example.com', 'service': 'imap', 'attempts': '1'}),
    ('Jan 15 08:00:00 mail dovecot[811]: pop3-login: Aborted login (auth failed, 3 attempts in 12 secs): user=<bob>, method=LOGIN, rip=2001:db8::8, lip=2001:db8::1, session=<x>', {'src_ip': '2001:db8::8', 'user': 'bob'}),
    ('2024-03-01T10:00:00.123456+01:00 mail dovecot: imap-login: Disconnected: Connection closed (auth failed, 2 attempts in 8 secs): user=<carol>, method=PLAIN, rip=198.18.8.2, lip=192.0.2.2, TLS, session=<y>', {'src_ip': '198.18.8.2'}),
    ('Jan 15 08:00:00 imap-login: Info: Disconnected (auth failed, 1 attempts in 2 secs): user=<dave>, method=PLAIN, rip=198.18.8.3, lip=10.0.0.1, session=<z>', {'src_ip': '198.18.8.3', 'user': 'dave'}),
    ('Jan 15 08:00:00 mail dovecot: pop3-login: Remote closed connection (proxy dest auth failed): user=<frank>, method=PLAIN, rip=198.18.8.6, lip=10.0.0.1, session=<u>', {'src_ip': '198.18.8.6'}),
    ('Jan 15 08:00:00 mail dovecot: submission-login: Login aborted: Connection closed (auth failed, 1 attempts in 2 secs) (auth_failed): user=<eve>, method=PLAIN, rip=198.18.8.4, lip=10.0.0.1, session=<w>', {'src_ip': '198.18.8.4'}),
    ('@4000000065a3f0c21a2b3c4d pop3-login: Info: Aborted login (auth failed, 2 attempts): user=<gina>, method=PLAIN, rip=198.18.8.7, lip=10.0.0.1', {'src_ip': '198.18.8.7', 'user': 'gina', 'attempts': '2'}),
    # a crafted user name cannot move the address
    ('Jan 15 08:00:00 mail dovecot: imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<x, rip=192.0.2.99, lip=10.0.0.1>, method=PLAIN, rip=198.18.8.5, lip=10.0.0.1, session=<v>', {'src_ip': '198.18.8.5'})],
   ['Jan 15 08:00:00 mail dovecot: imap-login: Disconnected (no auth attempts in 0 secs): user=<>, rip=198.18.8.1, lip=10.0.0.1, session=<a>',
    'Jan 15 08:00:00 mail dovecot: imap-login: Login: user=<admin>, method=PLAIN, rip=198.18.8.1, lip=10.0.0.1, mpid=1, TLS, session=<a>',
    'Jan 15 08:00:00 mail dovecot: imap-login: Disconnected (tried to use disallowed plaintext auth): user=<>, rip=198.18.8.1, lip=10.0.0.1, session=<a>',
    'Jan 15 08:00:00 mail postfix/smtpd[1]: imap-login: Disconnected (auth failed, 1 attempts): user=<a>, rip=198.18.8.1',
    '@4000000065a3f0c2 imap-login: Info: Aborted login (auth failed, 1 attempts): user=<a>, rip=198.18.8.1, lip=10.0.0.1',
    'myapp[7]: @4000000065a3f0c21a2b3c4d imap-login: Info: Aborted login (auth failed, 1 attempts): user=<a>, rip=198.18.8.1, lip=10.0.0.1'])

# The login processes' bad-command limit (CLIENT_MAX_BAD_COMMANDS): imap-login
# destroys the client with "Disconnected: Too many invalid commands",
# managesieve-login with "Too many invalid commands.", then client_log() adds
# the state in parentheses and the user=<...>, rip=, lip= fields. As in
# DovecotAuthFailed the last rip= is taken: user=<> is the client's text.
tr('DovecotInvalidCommands', 'mail', ['Too many invalid commands'],
   DOVECOT + r'(?P<service>[a-z0-9]+)-login: (?:Info: )?(?:Disconnected|Login aborted):? Too many invalid commands\.?(?: \([^()]*\))*: (?:user=<(?P<user>[^>]*)>, )?.*\brip=(?:::ffff:)?(?P<src_ip>%s)(?:,|$)' % IP,
   'low', 'reconnaissance', 'T1595.002', 'Dovecot dropped {{ $labels.src_ip }}: too many invalid {{ $labels.service }} commands',
   'A Dovecot login process closed a connection after the client sent its limit of invalid commands: a scanner, or another protocol (HTTP, SMTP) sent to the IMAP/POP3/ManageSieve port.',
   [('Jan 15 08:00:00 mail dovecot: imap-login: Disconnected: Too many invalid commands (no auth attempts in 3 secs): user=<>, rip=198.18.8.20, lip=10.0.0.1, session=<q1>', {'src_ip': '198.18.8.20', 'service': 'imap'}),
    ('2024-03-01T10:00:00.123456+01:00 mail dovecot[812]: managesieve-login: Disconnected: Too many invalid commands. (no auth attempts in 0 secs): user=<>, rip=2001:db8::21, lip=2001:db8::1', {'src_ip': '2001:db8::21', 'service': 'managesieve'}),
    ('Jan 15 08:00:00 imap-login: Info: Disconnected: Too many invalid commands (tried to use disallowed plaintext auth): user=<x, rip=192.0.2.9,>, rip=198.18.8.22, lip=10.0.0.1, TLS, session=<q3>', {'src_ip': '198.18.8.22'})],
   ['Jan 15 08:00:00 mail dovecot: imap-login: Disconnected (no auth attempts in 0 secs): user=<>, rip=198.18.8.20, lip=10.0.0.1, session=<a>',
    'Jan 15 08:00:00 mail dovecot: imap(alice)<123><q1>: Disconnected: Too many invalid commands in=10 out=200',
    'Jan 15 08:00:00 mail myapp[1]: imap-login: Disconnected: Too many invalid commands (no auth attempts in 3 secs): user=<>, rip=198.18.8.20, lip=10.0.0.1'])

# login-common client_get_extra_disconnect_reason(): after an AUTH the server
# refused before checking any password, "(tried to use disabled plaintext auth)"
# (2.2: "disallowed") when disable_plaintext_auth forbids plaintext on a
# connection without TLS, "(tried to use unsupported auth mechanism)" for a
# mechanism not offered. The client did send its credentials (plaintext) or
# ignored the CAPABILITY list: password-guessing bots on port 110/143 do both at
# every connection; fail2ban's normal mode counts them. Last rip= as in
# DovecotAuthFailed; "Too many invalid commands" lines are DovecotInvalidCommands'.
tr('DovecotAuthRefused', 'mail', ['(tried to use '],
   DOVECOT + r'(?P<service>[a-z0-9]+)-login: (?:Info: )?(?:Disconnected|Aborted login|Login aborted|Remote closed connection|Client has quit the connection)\b(?!: Too many invalid commands)(?:: (?:\w+\([^):]*\) \w+|[^(:]+))* ?'
   r'\(tried to use (?P<reason>(?:disabled|disallowed) plaintext auth|unsupported auth mechanism)\)(?: \([a-z_]+\))?: (?:user=<(?P<user>[^>]*)>, )?.*\brip=(?:::ffff:)?(?P<src_ip>%s)(?:,|$)' % IP,
   'info', CA, BF, 'Dovecot refused a plaintext or unsupported AUTH from {{ $labels.src_ip }}',
   'A client sent a login the server refused before checking it: a plaintext password where TLS is required, or a SASL mechanism that was not offered. One per connection; counted with the failed logins.',
   [('Dec 12 11:19:11 mail dovecot: pop3-login: Aborted login (tried to use disabled plaintext auth): rip=198.18.8.30, lip=10.0.0.1', {'src_ip': '198.18.8.30', 'service': 'pop3', 'reason': 'disabled plaintext auth'}),
    ('Dec 12 11:19:11 mail dovecot: imap-login: Disconnected (tried to use disallowed plaintext auth): user=<admin>, rip=198.18.8.31, lip=10.0.0.1, session=<LgDI>', {'src_ip': '198.18.8.31', 'user': 'admin'}),
    ('2024-03-01T10:00:00.123456+01:00 mail dovecot: submission-login: Login aborted: Connection closed (tried to use unsupported auth mechanism) (auth_unsupported_mech): user=<>, method=CRAM-MD5, rip=2001:db8::32, lip=2001:db8::1', {'src_ip': '2001:db8::32', 'reason': 'unsupported auth mechanism'})],
   ['Dec 12 11:19:11 mail dovecot: imap-login: Disconnected: Too many invalid commands (tried to use disallowed plaintext auth): user=<>, rip=198.18.8.30, lip=10.0.0.1',
    'Dec 12 11:19:11 mail dovecot: imap-login: Disconnected (no auth attempts in 0 secs): user=<>, rip=198.18.8.30, lip=10.0.0.1',
    'Dec 12 11:19:11 mail myapp[1]: pop3-login: Aborted login (tried to use disabled plaintext auth): rip=198.18.8.30, lip=10.0.0.1'])

tr('DovecotUnknownUser', 'mail', ['nknown user'],
   DOVECOT + r'(?:dovecot: )?auth(?:-worker)?(?:\(\w+\))?: (?:Info: )?(?:conn \S+ \([^)]*\): auth(?:-worker)?<\d+>: )?(?P<passdb>[a-z-]+)\((?P<user>[^,()]*),(?:::ffff:)?(?P<src_ip>%s)(?:,(?:<[^>]*>)?)?\): [Uu]nknown user' % IP,
   'info', 'reconnaissance', 'T1589.003', 'Dovecot: unknown user {{ $labels.user }} from {{ $labels.src_ip }}',
   'A password database did not know the user name (auth_verbose): user-name guessing.',
   [('Jan 15 08:00:00 mail dovecot: auth: passwd-file(nobody1,198.18.9.1): unknown user', {'src_ip': '198.18.9.1', 'user': 'nobody1', 'passdb': 'passwd-file'}),
    ('Jan 15 08:00:00 mail dovecot: auth-worker(912): sql(info@example.com,198.18.9.2,<Jd2kq>): unknown user', {'src_ip': '198.18.9.2', 'user': 'info@example.com'}),
    ('Jan 15 08:00:00 mail dovecot: auth-worker(912): conn unix:auth-worker (pid=900,uid=97): auth-worker<2>: pam(test,198.18.9.6,<Jd2kq>): unknown user', {'src_ip': '198.18.9.6', 'user': 'test'}),
    ('Jan 15 08:00:00 auth: Info: passwd-file(x,198.18.9.7): Unknown user', {'src_ip': '198.18.9.7'})],
   ['Jan 15 08:00:00 mail dovecot: auth: passwd-file(alice,198.18.9.1): Password mismatch'])

tr('DovecotPasswordMismatch', 'mail', ['assword mismatch', 'nvalid credentials', 'pam_authenticate() failed'],
   DOVECOT + r'(?:dovecot: )?auth(?:-worker)?(?:\(\w+\))?: (?:Info: )?(?:conn \S+ \([^)]*\): auth(?:-worker)?<\d+>: )?(?P<passdb>[a-z-]+)\((?P<user>[^,()]*),(?:::ffff:)?(?P<src_ip>%s)(?:,(?:<[^>]*>)?)?\): (?:[Pp]assword mismatch\b|[Ii]nvalid credentials|pam_authenticate\(\) failed: )' % IP,
   'info', CA, BF, 'Dovecot: wrong password for {{ $labels.user }} from {{ $labels.src_ip }}',
   'Dovecot auth process line for a wrong password (the login process logs the connection too; alerts count the login line).',
   [('Jan 15 08:00:00 mail dovecot: auth: passwd-file(alice,198.18.9.3): Password mismatch', {'src_ip': '198.18.9.3', 'user': 'alice'}),
    ('Jan 15 08:00:00 mail dovecot: auth-worker(31): pam(bob,198.18.9.4,<k1>): pam_authenticate() failed: Authentication failure (password mismatch?)', {'src_ip': '198.18.9.4', 'user': 'bob', 'passdb': 'pam'}),
    ('Jan 15 08:00:00 mail dovecot: auth: ldap(carol,198.18.9.5,<k2>): invalid credentials', {'src_ip': '198.18.9.5', 'passdb': 'ldap'}),
    ('Jun 11 13:57:17 mail dovecot: auth: ldap(dan@example.org,198.18.9.8,<LZmGp6>): Password mismatch (for LDAP bind) (SHA1 of given password: f638ff)', {'src_ip': '198.18.9.8'}),
    ('2013-08-11 03:56:40 auth-worker(default): Info: pam(erin,198.18.9.9): pam_authenticate() failed: Authentication failure (password mismatch?)', {'src_ip': '198.18.9.9', 'user': 'erin'})],
   ['Jan 15 08:00:00 mail dovecot: auth: passwd-file(alice,198.18.9.1): unknown user'])

# ---- mail: Exim
tr('EximAuthFailed', 'mail', ['authenticator failed for'],
   EXIM + r'(?P<authenticator>\S+) authenticator failed for ' + EXIM_HOST + EXIM_IFACE + r': 535 .*?(?:\(set_id=(?P<user>.*)\))?$',
   'low', CA, BF, 'SMTP AUTH failure for {{ $labels.user }} from {{ $labels.src_ip }} (Exim)',
   'Exim rejected an SMTP AUTH attempt (535).',
   [('Jun 29 16:04:05 mx2 exim[1234]: dovecot_plain authenticator failed for (mail.test.example) [198.18.10.1]:47807: 535 Incorrect authentication data (set_id=dave)', {'src_ip': '198.18.10.1', 'user': 'dave', 'src_port': '47807'}),
    ('Jun 29 16:07:05 mx2 exim[1234]: dovecot_login authenticator failed for ppp-1.example.net ([127.0.0.1]) [198.18.10.2]:51451: 535 Incorrect authentication data (set_id=info@test.example)', {'src_ip': '198.18.10.2'}),
    ('2023-06-29 16:04:19 [4411] login authenticator failed for no-port.example.org [198.18.10.3]: 535 Incorrect authentication data (set_id=user)', {'src_ip': '198.18.10.3'}),
    ('2023-06-29 16:04:19 plain_server authenticator failed for (x) [198.18.10.4]:6000 I=[192.0.2.25]:587: 535 Incorrect authentication data (set_id=a@b.example)', {'src_ip': '198.18.10.4', 'user': 'a@b.example'}),
    ('2023-06-29 16:04:19 cram_md5 authenticator failed for (relay.test) [198.18.10.5] U=mailer: 535 Incorrect authentication data (set_id=bob)', {'src_ip': '198.18.10.5', 'user': 'bob'}),
    ('2023-06-29 16:04:19 plain authenticator failed for (x) [198.18.10.6]:6001 I=[192.0.2.25]:587 U=nobody: 535 Incorrect authentication data', {'src_ip': '198.18.10.6'})],
   ['Jun 29 16:04:05 mx2 exim[1234]: H=(x) [198.18.10.1]:47807 F=<a@b> rejected RCPT <c@d>: authenticator failed for (x) [192.0.2.1]:1: 535 x'])

tr('EximRejectedRcpt', 'mail', ['rejected RCPT'],
   EXIM + r'H=' + EXIM_HOST + r' .*?rejected RCPT <?(?P<rcpt>[^<>\s]*?)>?: (?P<reason>.*)$',
   'info', 'initial-access', 'T1566', 'Exim rejected RCPT {{ $labels.rcpt }} from {{ $labels.src_ip }}',
   'Exim rejected a recipient (RBL, unknown user, relay, sender verification).',
   [('Jun 29 14:34:58 mx2 exim[1234]: H=imfo.test.example [198.18.11.1]:35328 X=TLS1.2:ECDHE-RSA-AES256-GCM-SHA384:256 CV=no F=<jack@test.example> rejected RCPT <sales@example.com>: No Such User Here', {'src_ip': '198.18.11.1', 'rcpt': 'sales@example.com'}),
    ('2023-06-29 15:33:46 1qExyz-000abc-Q1 H=(smtpclient.test) [198.18.11.2]:17125 F=<i@x.example> rejected RCPT <t@example.com>: relay not permitted', {'src_ip': '198.18.11.2'}),
    ('2013-06-10 18:33:32 [10099] H=(yakult.example) [198.18.11.3]:3755 I=[192.0.2.25]:25 F=x@list.example.org rejected RCPT dir@example.ru: relay not permitted', {'src_ip': '198.18.11.3', 'rcpt': 'dir@example.ru'})],
   ['Jun 29 14:33:43 mx2 exim[1234]: H=test.example [198.18.11.1]:18146 temporarily rejected connection in "connect" ACL: "Host is ratelimited"'])

tr('EximSyncError', 'mail', ['synchronization error'],
   EXIM + r'SMTP protocol synchronization error \([^)]*\): rejected (?:connection from|"[^"]*") H=' + EXIM_HOST + r' ',
   'low', 'initial-access', 'T1566', 'SMTP synchronization error from {{ $labels.src_ip }}',
   'The client sent data before the greeting or pipelined without PIPELINING: a spam-bot trait.',
   [('Jun 29 13:00:00 mx2 exim[1234]: SMTP protocol synchronization error (input sent without waiting for greeting): rejected connection from H=[198.18.12.1]:5555 input="EHLO x\\r\\n"', {'src_ip': '198.18.12.1'}),
    ('2013-06-02 09:05:48 [18505] SMTP protocol synchronization error (next input sent too soon: pipelining was not advertised): rejected "RSET" H=bot.example [198.18.12.2]:58302 I=[192.0.2.25]:25 next input="QUIT\\r\\n"', {'src_ip': '198.18.12.2'})],
   ['Jun 29 13:00:00 mx2 exim[1234]: SMTP protocol error in "AUTH LOGIN" H=(x) [198.18.12.1]:5555 AUTH command used when not advertised'])

# smtp_in.c: AUTH where no authenticator is advertised, or naming a mechanism
# no authenticator serves (synprot_error(..., "%s authentication mechanism not
# supported", name)); synprot_error() writes 'SMTP protocol error in "CMD" H=...
# MESSAGE'. The mechanism name is the client's word (no space, no quote).
tr('EximAuthNotAdvertised', 'mail', ['SMTP protocol error in "'],
   EXIM + r'SMTP protocol error in ".*" H=' + EXIM_HOST + EXIM_IFACE + r' (?:AUTH command used when not advertised|(?P<mech>[^\s"]+) authentication mechanism not supported)$',
   'low', CA, BF, 'SMTP AUTH not offered, tried by {{ $labels.src_ip }} (Exim)',
   'A client sent AUTH where the server does not offer it, or with a mechanism it does not offer: password-guessing bots that do not read the EHLO reply. The quoted command is the client\'s: the last H= of the line is taken.',
   [('2016-03-18 00:34:06 [7513] SMTP protocol error in "AUTH LOGIN" H=(ylmf-pc) [198.18.12.3]:60723 I=[192.0.2.6]:587 AUTH command used when not advertised', {'src_ip': '198.18.12.3'}),
    ('2017-11-28 14:14:32 SMTP protocol error in "aUtH lOgIn" H=(test) [192.0.2.8]" H=(roxzgj) [198.18.12.4] AUTH command used when not advertised', {'src_ip': '198.18.12.4'}),
    ('2018-06-03 13:16:08 [811] SMTP protocol error in "AUTH LOGIN" H=(mail.example.com) [198.18.12.7]:50123 I=[192.0.2.6]:587 LOGIN authentication mechanism not supported', {'src_ip': '198.18.12.7', 'mech': 'LOGIN'}),
    ('Jun  3 13:16:08 mx2 exim[811]: SMTP protocol error in "AUTH CRAM-MD5 x" H=(x) [192.0.2.8] y" H=[2001:db8::12] CRAM-MD5 authentication mechanism not supported', {'src_ip': '2001:db8::12'})],
   ['2016-03-18 00:34:06 [7513] SMTP protocol error in "AUTH LOGIN" H=(ylmf-pc) [198.18.12.3]:60723 I=[192.0.2.6]:587 AUTH command used when not advertised" H=(x) [192.0.2.9] y',
    '2018-06-03 13:16:08 [811] SMTP protocol error in "AUTH LOGIN" H=(x) [198.18.12.7] LOGIN authentication mechanism not supported" H=(y) [192.0.2.9] z',
    '2018-06-03 13:16:08 [811] SMTP syntax error in "AUTH" H=(x) [198.18.12.7] AUTH must be followed by a mechanism name'])
# smtp_in.c smtp_log_no_mail() (log_selector +smtp_no_mail): "no MAIL in
# SMTP connection from %s D=%s%s", host_and_ident(FALSE), the duration and " C="
# with the commands the client sent. One such line is a port check, a monitor or
# a TLS probe; many from one address in minutes are a scanner or a bot that
# tries AUTH or VRFY and leaves (the failed AUTH has its own line).
tr('EximNoMail', 'mail', ['MAIL in '],
   EXIM + r'no MAIL in (?:\w+ )?SMTP connection from ' + EXIM_HOST + EXIM_IFACE + r' D=[\dhms]+(?: C=(?P<commands>\S*))?$',
   'info', 'reconnaissance', 'T1595', 'SMTP connection without mail from {{ $labels.src_ip }} (Exim)',
   'An SMTP session ended without a MAIL command. Counted only at a rate no mail server or monitor reaches.',
   [('2016-03-21 06:38:05 [5718] no MAIL in SMTP connection from www3005.example.jp [198.18.12.30]:28890 I=[192.0.2.6]:25 D=21s C=EHLO,STARTTLS', {'src_ip': '198.18.12.30', 'src_port': '28890', 'commands': 'EHLO,STARTTLS'}),
    ('2016-03-21 06:57:36 [5908] no MAIL in SMTP connection from [198.18.12.31] I=[192.0.2.6]:25 D=10s', {'src_ip': '198.18.12.31'}),
    ('Apr  1 11:08:39 mx2 exim[18643]: no MAIL in SMTP connection from host.example.com (SERVER) [2001:db8::31]:1418 I=[2001:db8::6]:25 D=2m42s C=EHLO,AUTH', {'src_ip': '2001:db8::31'})],
   ['2016-03-21 06:57:36 [5908] no MAIL in SMTP connection from [198.18.12.31] I=[192.0.2.6]:25 D=10s C=EHLO,AUTH x [192.0.2.1] D=1s',
    '2016-03-21 06:57:36 [5908] H=(x) [198.18.12.31] rejected RCPT <a@b.example>: no MAIL in SMTP connection from [192.0.2.1] D=1s'])

tr('EximTooManyErrors', 'mail', ['dropped: too many'],
   EXIM + r'SMTP call from ' + EXIM_HOST + EXIM_IFACE + r' dropped: too many (?:nonmail commands|syntax or protocol errors)',
   'info', 'initial-access', 'T1566', 'Exim dropped {{ $labels.src_ip }} for too many errors',
   'Exim closed a connection after too many non-mail commands or protocol errors.',
   [('2013-06-02 09:22:05 [19591] SMTP call from pc012.example.edu.tw [198.18.12.5]:3767 I=[192.0.2.25]:25 dropped: too many nonmail commands (last was "RSET")', {'src_ip': '198.18.12.5'}),
    ('2013-06-02 09:22:06 SMTP call from [198.18.12.6] dropped: too many syntax or protocol errors (last command was "AUTH LOGIN")', {'src_ip': '198.18.12.6'})],
   [])

# verify.c: log_write(..., "%s sender verify %s for <%s>%s", host_and_ident(TRUE),
# "fail"|"defer", address, ": " message). Only "fail" (a permanent verdict; a
# defer is the server's own DNS trouble). The sender is the client's MAIL FROM,
# written after the address taken.
tr('EximSenderVerifyFail', 'mail', ['sender verify fail for'],
   EXIM + r'H=' + EXIM_HOST + EXIM_IFACE + r' sender verify fail for <(?P<sender>.*?)>(?:: (?P<reason>.*))?$',
   'info', 'initial-access', 'T1566', 'Exim: sender <{{ $labels.sender }}> of {{ $labels.src_ip }} does not verify',
   'Exim rejected mail whose envelope sender cannot receive mail (unknown user, unroutable domain, no usable MX): forged senders of spam runs. Counted for the reject-flood rule.',
   [('2024-02-01 10:00:00 H=mail.example.net (helo.example.net) [198.18.11.10] sender verify fail for <nobody@example.net>: Unknown user', {'src_ip': '198.18.11.10', 'sender': 'nobody@example.net', 'reason': 'Unknown user'}),
    ('Feb  1 10:00:00 mx2 exim[4242]: H=(WIN-ABC) [198.18.11.11]:50123 I=[192.0.2.25]:25 sender verify fail for <x@nowhere.example>: Unrouteable address', {'src_ip': '198.18.11.11', 'src_port': '50123'}),
    ('2024-02-01 10:00:00 [811] H=[198.18.11.12] sender verify fail for <a@b.example>', {'src_ip': '198.18.11.12'}),
    ('2024-02-01 10:00:00 H=(x) [198.18.11.13] sender verify fail for <y@[192.0.2.1] sender verify fail for <z@example.org>>: all relevant MX records point to non-existent hosts', {'src_ip': '198.18.11.13'})],
   ['2024-02-01 10:00:00 H=mail.example.net [198.18.11.10] sender verify defer for <a@example.net>: host lookup did not complete',
    'Feb  1 10:00:00 mx2 myapp[1]: H=(x) [198.18.11.10] sender verify fail for <a@example.net>: Unknown user',
    '2024-02-01 10:00:00 H=(x) [198.18.11.10] F=<a@b.example> rejected RCPT <c@d.example>: Sender verify failed'])

# acl.c: log_write(L_smtp_connection, ..., "%s closed by DROP in ACL",
# smtp_get_connection_info()), i.e. "SMTP connection from NAME (HELO) [ADDR]:PORT"
# and " I=[ADDR]:PORT" with +incoming_interface: the administrator's ACL
# decided to drop the client (ratelimit, blocklist, bad HELO...).
tr('EximDropInACL', 'mail', ['closed by DROP in ACL'],
   EXIM + r'SMTP connection from ' + EXIM_HOST + r'(?: I=\[[^\]]*\](?::\d+)?)? closed by DROP in ACL$',
   'info', 'initial-access', 'T1566', 'Exim ACL dropped {{ $labels.src_ip }}',
   'An Exim ACL ended the connection with "drop" (the configuration judged the client hostile). Counted for the reject-flood rule.',
   [('2024-02-01 10:00:00 [5718] 1rVabc-0001xy-Q2 SMTP connection from (bot.example) [198.18.12.20]:40000 I=[192.0.2.25]:25 closed by DROP in ACL', {'src_ip': '198.18.12.20', 'src_port': '40000'}),
    ('Feb  1 10:00:00 mx2 exim[811]: SMTP connection from mail.example.org [2001:db8::22] closed by DROP in ACL', {'src_ip': '2001:db8::22'})],
   ['2024-02-01 10:00:00 SMTP connection from (x) [198.18.12.20]:40000 lost while reading message data',
    '2024-02-01 10:00:00 H=(x) [198.18.12.20] rejected EHLO or HELO closed by DROP in ACL: SMTP connection from [192.0.2.1] closed by DROP in ACL x',
    'Feb  1 10:00:00 mx2 myapp[1]: SMTP connection from [198.18.12.20] closed by DROP in ACL'])

# ---- mail: sendmail
# Its syslog ident is sm-mta (Debian), sendmail, or the process title
# (sm-acceptingconnections). The client is CurSmtpClient / ${client_name}
# [${client_addr}] ("name [addr]", "[addr]", "[IPv6:addr]", then " (may be
# forged)" when the PTR name did not verify): the name is a resolver answer, host
# name characters only.
SENDMAIL = hp(r'sendmail|sm-[\w-]+') + r'(?:[0-9A-Za-z]+: )?'
SM_CLIENT = r'(?:(?P<client>[\w.-]+) ?)?\[(?:IPv6:)?(?:::ffff:)?(?P<src_ip>%s)\](?: \(may be forged\))?' % IP
# usersmtp.c/srvrsmtp.c: "AUTH failure (%s): %s (%d) %s, user=%s, relay=%s": the
# SASL text and the user name are before relay=, the client's name and address
# end the line, so the last relay= is taken.
tr('SendmailAuthFailed', 'mail', ['AUTH failure ('],
   SENDMAIL + r'AUTH failure \((?P<mech>[\w-]+)\): .*, relay=' + SM_CLIENT + r'$',
   'low', CA, BF, 'SMTP AUTH failure from {{ $labels.src_ip }} (sendmail)',
   'sendmail rejected an SMTP AUTH attempt (Cyrus SASL).',
   [('Feb 25 04:02:27 relay1 sendmail[16664]: 06I02CNi016764: AUTH failure (LOGIN): authentication failure (-13) SASL(-13): authentication failure: checkpass failed, user=user@example.com, relay=example.com [198.18.17.1] (may be forged)', {'src_ip': '198.18.17.1', 'mech': 'LOGIN'}),
    ('May 24 01:58:40 mx5 sm-mta[65696]: 14NNwaRl065696: AUTH failure (DIGEST-MD5): user not found (-20) SASL(-13): user not found: unable to canonify user and get auxprops, user=scanner, relay=[2001:db8::17]', {'src_ip': '2001:db8::17'}),
    ('May 29 23:14:05 mx5 sendmail[25411]: 26H8MRrS025411: AUTH failure (LOGIN): authentication failure (-13) SASL(-13): authentication failure: checkpass failed, relay=[198.18.17.2]', {'src_ip': '198.18.17.2'}),
    ('Feb 25 04:02:28 relay1 sendmail[16665]: 06I02CNi016765: AUTH failure (LOGIN): authentication failure (-13) SASL(-13): authentication failure: checkpass failed, user=criminal, relay=[192.0.2.100], relay=[198.18.17.3] (may be forged)', {'src_ip': '198.18.17.3'})],
   ['Feb 25 04:02:28 relay1 sendmail[16665]: 06I02CNi016765: AUTH=server, relay=[198.18.17.3], authid=alice, mech=PLAIN, bits=0',
    'Feb 25 04:02:28 relay1 sendmail[16665]: 06I02CNi016765: AUTH failure (LOGIN): authentication failure (-13) SASL(-13): x, user=a, relay=[198.18.17.3] x',
    'Feb 25 04:02:28 relay1 myapp[16665]: 06I02CNi016765: AUTH failure (LOGIN): authentication failure, relay=[198.18.17.3]'])

# srvrsmtp.c: "%s: possible SMTP attack: command=%.*s, count=%d" once a client
# has sent MAXBADCOMMANDS bad commands or too many AUTH/HELO/VRFY/... in a session.
tr('SendmailSMTPAttack', 'mail', ['SMTP attack: command='],
   SENDMAIL + SM_CLIENT + r': possible SMTP attack: command=(?P<command>\w+), count=\d+$',
   'low', CA, BF, 'sendmail: possible SMTP attack ({{ $labels.command }}) from {{ $labels.src_ip }}',
   'sendmail counted too many of one command (AUTH, HELO, VRFY, NOOP...) in one session and slowed the client down.',
   [('Feb 16 23:33:20 smtp1 sm-mta[5133]: s1GNXHYB005133: [198.18.17.4]: possible SMTP attack: command=AUTH, count=5', {'src_ip': '198.18.17.4', 'command': 'AUTH'}),
    ('Feb 24 13:00:17 kismet sm-acceptingconnections[1499]: s1OHxxSn001499: 192.241.70.95.dsl.example.net [198.18.17.5] (may be forged): possible SMTP attack: command=AUTH, count=6', {'src_ip': '198.18.17.5', 'client': '192.241.70.95.dsl.example.net'})],
   ['Feb 16 23:33:20 smtp1 sm-mta[5133]: s1GNXHYB005133: [198.18.17.4]: possible SMTP attack: command=AUTH, count=5 x'])

# srvrsmtp.c: "rejecting commands from %s [%s] due to pre-greeting traffic after
# %d seconds" (greet_pause): the client talked before the greeting.
tr('SendmailPregreet', 'mail', ['due to pre-greeting traffic'],
   SENDMAIL + r'rejecting commands from (?:[\w.-]+ )? ?\[(?:IPv6:)?(?:::ffff:)?(?P<src_ip>%s)\] due to pre-greeting traffic after \d+ seconds$' % IP,
   'low', 'initial-access', 'T1566', 'sendmail: pre-greeting traffic from {{ $labels.src_ip }}',
   'The client sent commands before sendmail\'s greeting (greet_pause): a spam-bot trait.',
   [('Feb 27 10:53:06 mx5 sm-mta[44307]: s1R9r60D044307: rejecting commands from  [198.18.17.6] due to pre-greeting traffic after 0 seconds', {'src_ip': '198.18.17.6'}),
    ('Feb 27 10:53:07 mx5 sm-mta[18001]: u9A0GtpL018001: rejecting commands from example.com [198.18.17.7] due to pre-greeting traffic after 6 seconds', {'src_ip': '198.18.17.7'})],
   ['Feb 27 10:53:07 mx5 postfix/smtpd[18001]: rejecting commands from example.com [198.18.17.7] due to pre-greeting traffic after 6 seconds'])

# The check_* rulesets' rejects: "ruleset=%s, arg1=%s[, arg2=%s], relay=%s,
# reject=%s". arg1 is the client's RCPT/MAIL address; taken only without '<',
# '>' or '"' inside its brackets (sendmail refuses unbalanced brackets; a quoted
# local part could hold a fake ", relay=[...]"), so the first "relay=" after it
# is sendmail's.
SM_RULESET = SENDMAIL + r'ruleset=check_(?P<ruleset>rcpt|mail|relay), arg1=(?:<[^<>"]*>|[^\s,<>"]*), (?:arg2=[^\s,]*, )?relay=' + SM_CLIENT + r', reject='
tr('SendmailRelayDenied', 'mail', ['Relaying denied'],
   SM_RULESET + r'5\d\d 5\.7\.1 <[^<>"]*>\.\.\. Relaying denied\b',
   'low', 'initial-access', 'T1566', 'relay attempt from {{ $labels.src_ip }} (sendmail)',
   'A client asked sendmail to relay to a domain it does not serve without authenticating: open-relay probing or spam.',
   [('Feb 25 03:01:10 kismet sm-acceptingconnections[27713]: s1P819mk027713: ruleset=check_rcpt, arg1=<asservnew@freemail.example>, relay=128-68-136-133.broadband.example.ru [198.18.17.10], reject=550 5.7.1 <asservnew@freemail.example>... Relaying denied. Proper authentication required.', {'src_ip': '198.18.17.10', 'ruleset': 'rcpt'}),
    ('Feb 27 15:44:18 mx5 sm-mta[87838]: s1REiHdq087838: ruleset=check_rcpt, arg1=<g@t-online.example>, relay=[198.18.17.11], reject=550 5.7.1 <g@t-online.example>... Relaying denied. IP name lookup failed [198.18.17.11]', {'src_ip': '198.18.17.11'}),
    ('Feb 23 21:36:14 mx5 sm-mta[22248]: s1NLaDQT022248: ruleset=check_rcpt, arg1=<d@hotmail.example>, relay=int0.example.net [2001:db8::17:12] (may be forged), reject=550 5.7.1 <d@hotmail.example>... Relaying denied. IP name possibly forged [2001:db8::17:12]', {'src_ip': '2001:db8::17:12'})],
   ['Feb 27 15:44:18 mx5 sm-mta[87838]: s1REiHdq087838: ruleset=check_rcpt, arg1=<"x>, relay=[192.0.2.9], reject=550 5.7.1 <x"@y.example>, relay=[198.18.17.11], reject=550 5.7.1 <"x>, relay=[192.0.2.9], reject=550 5.7.1 <x"@y.example>... Relaying denied',
    'Feb 27 15:44:18 mx5 sm-mta[87838]: s1REiHdq087838: ruleset=check_rcpt, arg1=<a@b.example>, relay=[198.18.17.11], reject=550 5.1.1 <a@b.example>... User unknown'])
tr('SendmailReject', 'mail', ['ruleset=check_'],
   SM_RULESET + r'(?P<code>[45]\d\d) (?P<reason>.*)$',
   'info', 'initial-access', 'T1566', 'sendmail rejected {{ $labels.ruleset }} from {{ $labels.src_ip }} ({{ $labels.code }})',
   'Any check_rcpt, check_mail or check_relay reject (unknown users, relaying, RBLs, sender domains, connection rate limits): counted for the reject-flood rule.',
   [('Feb 27 15:49:02 mx5 sm-mta[88377]: s1REn1un088377: ruleset=check_rcpt, arg1=<non-existing-user@example.com>, relay=189-30-205-74.example.net.br [198.18.17.13], reject=550 5.1.1 <non-existing-user@example.com>... User unknown', {'src_ip': '198.18.17.13', 'code': '550'}),
    ('Feb 19 18:01:50 mx5 sm-mta[78152]: ruleset=check_relay, arg1=[198.18.17.14], arg2=198.18.17.14, relay=[198.18.17.14], reject=421 4.3.2 Connection rate limit exceeded.', {'src_ip': '198.18.17.14', 'ruleset': 'relay', 'code': '421'}),
    ('Feb 23 07:00:08 mx5 sm-mta[3992]: s1N706jo003992: ruleset=check_rcpt, arg1=<j@example.pt>, relay=[198.18.17.15], reject=550 5.7.1 <j@example.pt>... Rejected: 198.18.17.15 listed at sbl-xbl.spamhaus.org', {'src_ip': '198.18.17.15'})],
   ['Feb 27 15:49:02 mx5 sm-mta[88377]: s1REn1un088377: ruleset=check_rcpt, arg1=<"a>, relay=[192.0.2.1], reject=550 5.1.1 <a"@b.example>, relay=[198.18.17.13], reject=550 5.1.1 <"a>, relay=[192.0.2.1], reject=550 5.1.1 <a"@b.example>... User unknown',
    'Feb 27 15:49:02 mx5 sm-mta[88377]: s1REn1un088377: from=<a@b.example>, size=0, class=0, nrcpts=0, proto=ESMTP, daemon=MTA, relay=[198.18.17.13]'])
# srvrsmtp.c: "%s: %s %s [rejected]" for VRFY/EXPN when PrivacyOptions forbid them:
# the client's name and address, then the client's command and argument.
tr('SendmailVrfyExpn', 'mail', ['[rejected]'],
   SENDMAIL + SM_CLIENT + r': (?P<command>(?i:vrfy|expn)) (?P<user>.*) \[rejected\]$',
   'info', 'reconnaissance', 'T1589.002', 'sendmail: {{ $labels.command }} {{ $labels.user }} from {{ $labels.src_ip }} refused',
   'A client asked sendmail to verify or expand an address (VRFY/EXPN): mailbox enumeration. Counted for the reject-flood rule.',
   [('Feb 23 21:18:47 mx5 sm-mta[93301]: s1NKIkZa093301: [198.18.17.16]: EXPN root [rejected]', {'src_ip': '198.18.17.16', 'command': 'EXPN', 'user': 'root'}),
    ('Feb 22 14:02:44 mx5 sm-mta[4030]: s1MD2hsd004030: rrcs-24-73-201-194.example.com [198.18.17.17]: vrfy info [rejected]', {'src_ip': '198.18.17.17'})],
   ['Feb 22 14:02:44 mx5 sm-mta[4030]: s1MD2hsd004030: [198.18.17.17]: VRFY root'])
# srvrsmtp.c: "%s did not issue MAIL/EXPN/VRFY/ETRN during connection to %s", as
# Exim's "no MAIL": counted only at a rate.
tr('SendmailNoMail', 'mail', ['MAIL/EXPN/VRFY/ETRN'],
   SENDMAIL + SM_CLIENT + r' did not issue MAIL/EXPN/VRFY/ETRN during connection to \S+$',
   'info', 'reconnaissance', 'T1595', 'SMTP connection without mail from {{ $labels.src_ip }} (sendmail)',
   'An SMTP session ended without MAIL, EXPN, VRFY or ETRN. Counted only at a rate no mail server or monitor reaches.',
   [('Mar  6 16:55:28 mx5 sm-mta[20949]: v26LtRA0020949: some-host-24.example.org [198.18.17.18] did not issue MAIL/EXPN/VRFY/ETRN during connection to MTA', {'src_ip': '198.18.17.18'}),
    ('Mar 29 22:51:46 mx5 sm-mta[50438]: 06QDQnNf050438: example.com [IPv6:2001:DB8::18] did not issue MAIL/EXPN/VRFY/ETRN during connection to IPv6', {'src_ip': '2001:DB8::18'})],
   ['Mar  6 16:55:28 mx5 sm-mta[20949]: v26LtRA0020949: [198.18.17.18] did not issue MAIL/EXPN/VRFY/ETRN during connection to MTA x'])

# ---- mail: Courier, Cyrus
tr('CourierLoginFailed', 'mail', ['LOGIN FAILED'],
   hp(r'(?:courier-)?(?:imapd|pop3d|courierpop3login|courierpop3d|imaplogin)(?:-ssl)?') + r'LOGIN FAILED, (?:method=\S+, )?(?:user=(?P<user>.*), )?ip=\[(?:::ffff:)?(?P<src_ip>%s)\](?:, \w+=\[[^\]]*\])*$' % IP,
   'low', CA, BF, 'Courier login failure for {{ $labels.user }} from {{ $labels.src_ip }}',
   'Courier IMAP/POP3 rejected a login.',
   [('Mar  1 10:00:00 mail imapd-ssl: LOGIN FAILED, method=PLAIN, user=alice, ip=[::ffff:198.18.13.1]', {'src_ip': '198.18.13.1', 'user': 'alice'}),
    ('Mar  1 10:00:00 mail pop3d: LOGIN FAILED, user=x, ip=[192.0.2.1], ip=[::ffff:198.18.13.2]', {'src_ip': '198.18.13.2'}),
    ('Apr 17 19:17:12 mail imapd-ssl: LOGIN FAILED, method=PLAIN, ip=[::ffff:198.18.13.4]', {'src_ip': '198.18.13.4'}),
    ('Mar  1 10:00:00 mail imapd: LOGIN FAILED, method=LOGIN, user=y, ip=[192.0.2.1], port=[1], ip=[::ffff:198.18.13.3], port=[40000]', {'src_ip': '198.18.13.3'})],
   ['Mar  1 10:00:00 mail imapd-ssl: LOGIN, user=alice, ip=[::ffff:198.18.13.1], port=[4000], protocol=IMAP'])

tr('CyrusBadLogin', 'mail', ['badlogin: '],
   hp(r'(?:cyrus/)?(?:imaps?|imapd|pop3s?|pop3d|lmtpunix)') + r'badlogin: (?P<host>[^\[\s]*) ?\[(?:::ffff:)?(?P<src_ip>%s)\] (?P<mech>\S+) ' % IP,
   'low', CA, BF, 'Cyrus login failure from {{ $labels.src_ip }}',
   'Cyrus IMAP/POP3 logged badlogin.',
   [('Mar  1 10:00:00 mail cyrus/imaps[2323]: badlogin: host.example [198.18.14.1] PLAIN [SASL(-13): authentication failure: Password verification failed]', {'src_ip': '198.18.14.1', 'mech': 'PLAIN'}),
    ('Mar  1 10:00:00 mail imap[99]: badlogin: [198.18.14.2] plaintext bob SASL(-13): user not found: checkpass failed', {'src_ip': '198.18.14.2'}),
    ('Dec 30 16:03:27 mail imapd[2517]: badlogin: local-somehost[198.18.14.3] OTP [SASL(-13): authentication failure: External SSF not good enough]', {'src_ip': '198.18.14.3'})],
   ['Mar  1 10:00:00 mail cyrus/imaps[2323]: login: host.example [198.18.14.1] alice PLAIN+TLS User logged in'])

# UW IMAP (imapd, ipop3d; c-client): syslog(LOG_NOTICE, "Login failed user=%.80s
# auth=%.80s host=%.80s"), also "Login excessive login failures" and "Login
# disabled", with host = tcp_clienthost(): "name [addr]" or "[addr]". The user
# and auth names are the client's and come first; the address is the bracket
# that ends the line (the resolver returns only host-name characters for name).
tr('UWIMAPLoginFailed', 'mail', ['Login failed user=', 'Login excessive login failures user=', 'Login disabled user=', 'override of user='],
   hp(r'imapd|ipop3d|ipop2d') + r'(?:Login (?P<reason>failed|excessive login failures|disabled) user=(?P<user>\S*) auth=.*|Failed \S+ override of user=\S*) +host=(?:[\w.-]+ )?\[(?:::ffff:)?(?P<src_ip>%s)\]\s*$' % IP,
   'low', CA, BF, 'UW IMAP login failure for {{ $labels.user }} from {{ $labels.src_ip }}',
   'UW IMAP/POP3 (c-client) refused a login (also a failed administrator override: "Failed MASTER override of user=").',
   [('Jul  3 20:56:53 mail imapd[666]: Login failed user=lizdy auth=lizdy host=h2066373.example.net [198.18.13.20]', {'src_ip': '198.18.13.20', 'user': 'lizdy', 'reason': 'failed'}),
    ('Jan 14 20:28:07 mail imapd[19343]: Login excessive login failures user=user auth=user host=74-115-52-198.example.com [198.18.13.21]', {'src_ip': '198.18.13.21'}),
    ('Jul 29 18:30:19 mail ipop3d[25745]: Login failed user=info auth=info host=[2001:db8::13]', {'src_ip': '2001:db8::13'}),
    ('Jul 29 18:30:19 mail ipop3d[25745]: Login failed user=x auth=y host=[192.0.2.1] host=z.example [198.18.13.22]', {'src_ip': '198.18.13.22'}),
    ('Feb 23 12:36:01 mail imapd[3473]: Failed uwmaster override of user=pro1  host=r22.example.de [198.18.13.23] ', {'src_ip': '198.18.13.23'})],
   ['Jul  3 20:56:53 mail imapd[666]: Login user=lizdy host=h2066373.example.net [198.18.13.20]',
    'Jul  3 20:56:53 mail imapd[666]: Login failed user=x auth=[198.18.13.20] host=UNKNOWN',
    'Jul  3 20:56:53 mail dovecot[666]: Login failed user=lizdy auth=lizdy host=x [198.18.13.20]'])

# OpenSMTPD 5.4 to 6.3 (smtp_session.c smtp_reply()): "%016llx smtp
# event=failed-command address=%s host=%s command=\"%s\" result=\"%s\"" for every
# 4xx/5xx reply; the address comes before the client's command. Failed AUTH
# commands only (AUTH PLAIN's credentials show as "(...)"). 6.4 and later log the
# address on the session's "smtp connected" line and failures without it.
tr('OpenSMTPDAuthFailed', 'mail', ['event=failed-command address='],
   hp('smtpd') + r'[0-9a-f]{16} smtp event=failed-command address=(?:::ffff:)?(?P<src_ip>%s) host=\S+ command="AUTH (?P<mech>[A-Za-z0-9-]+)[^"]*" result="(?P<code>5\d\d) ' % IP,
   'low', CA, BF, 'SMTP AUTH failure from {{ $labels.src_ip }} (OpenSMTPD)',
   'OpenSMTPD refused an AUTH command (wrong credentials, 535, or AUTH not offered, 503).',
   [('Jun  1 10:00:00 mx4 smtpd[811]: 45addba89269aeaa smtp event=failed-command address=198.18.13.30 host=zeta.example.edu command="AUTH PLAIN (...)" result="535 Authentication failed"', {'src_ip': '198.18.13.30', 'mech': 'PLAIN', 'code': '535'}),
    ('Jun  1 10:00:00 mx4 smtpd[811]: 38dd06274cde1fd7 smtp event=failed-command address=2001:db8::30 host=no-mans-land.example.com command="AUTH LOGIN" result="503 5.5.1 Invalid command: Command not supported"', {'src_ip': '2001:db8::30', 'code': '503'})],
   ['Jun  1 10:00:00 mx4 smtpd[811]: 45addba89269aeaa smtp event=failed-command address=198.18.13.30 host=x command="RCPT TO:<a@b.example>" result="550 Invalid recipient"',
    'Jun  1 10:00:00 mx4 myapp[811]: 45addba89269aeaa smtp event=failed-command address=198.18.13.30 host=x command="AUTH PLAIN (...)" result="535 Authentication failed"'])

# ---- mail: content filters
tr('AmavisBlocked', 'mail', [') Blocked '],
   hp(r'amavisd?(?:-new)?') + r'\([\w-]+\) Blocked (?P<category>INFECTED|BANNED)(?: \((?P<detail>[^{}]*)\))? \{[\w,]*\}, (?:[A-Z/]+ )?\[(?:::ffff:)?(?P<src_ip>%s)\]:\d+ ' % IP,
   'medium', 'initial-access', 'T1566.001', 'amavis blocked {{ $labels.category }} mail from {{ $labels.src_ip }}: {{ $labels.detail }}',
   'amavis quarantined a message with a virus (INFECTED) or a banned attachment (BANNED); the address is the SMTP client amavis got from the MTA (XFORWARD). Loopback, the MTA itself when it does not forward the client, is left out.',
   [('Feb 23 04:55:57 mx3 amavis[4051607]: (4051607-09) Blocked INFECTED (Porcupine.Phishing.55542.UNOFFICIAL) {DiscardedInbound,Quarantined}, [198.18.15.1]:1434 [198.18.15.1] <someone1@example.com> -> <someone2@example.net>, quarantine: 2/virus-26W2lJY63nCZ, Queue-ID: 83B741009CD35, mail_id: 26W2lJY63nCZ, Hits: -, size: 28646, 104 ms', {'src_ip': '198.18.15.1', 'category': 'INFECTED'}),
    ('Feb 23 04:55:57 mx3 amavis[77]: (00077-01) Blocked BANNED (multipart/mixed | application/octet-stream,.exe,invoice.exe) {DiscardedInbound,Quarantined}, LOCAL [198.18.15.2]:5123 [192.0.2.7] <a@example.org> -> <b@example.net>, Queue-ID: 1A', {'src_ip': '198.18.15.2', 'category': 'BANNED'})],
   ['Feb 23 04:55:57 mx3 amavis[77]: (00077-01) Blocked INFECTED (Eicar-Signature) {DiscardedInbound,Quarantined}, [127.0.0.1]:40312 <a@example.org> -> <b@example.net>, Queue-ID: 1B',
    'Feb 23 04:55:57 mx3 amavis[77]: (00077-01) Passed CLEAN {RelayedInbound}, [198.18.15.2]:5123 [192.0.2.7] <a@example.org> -> <b@example.net>, Queue-ID: 1A',
    'Feb 23 04:55:57 mx3 amavis[77]: (00077-01) Blocked SPAM {DiscardedInbound}, [198.18.15.2]:5123 <a@x> -> <b@y>'],
   extra=r'| src_ip !~ `127\..*|::1`')

tr('MailScannerBlacklisted', 'mail', ['is spam (blacklisted)'],
   hp('MailScanner') + r'Message (?P<message_id>\S+) from (?:::ffff:)?(?P<src_ip>%s) \((?P<sender>.*?)\) to (?P<to>\S+) is spam \(blacklisted\)' % IP,
   'low', 'initial-access', 'T1566', 'blacklisted sender {{ $labels.src_ip }} (MailScanner)',
   'MailScanner classed a message as spam because the sender is on the local blacklist.',
   [('Jul 30 08:02:15 efa MailScanner[1803829]: Message 5ctN6m5yKmz5sU7 from 198.18.16.1 (attacker@example.com) to example.at is spam (blacklisted)', {'src_ip': '198.18.16.1', 'sender': 'attacker@example.com'})],
   ['Jul 30 08:02:15 efa MailScanner[1803829]: Message 5ctN6m5yKmz5sU7 from 198.18.16.1 (a@b) to example.at is not spam, SpamAssassin (not cached, score=1.2, required 4)'])

tr('MailScannerSpam', 'mail', ['is spam, '],
   hp('MailScanner') + r'Message (?P<message_id>\S+) from (?:::ffff:)?(?P<src_ip>%s) \((?P<sender>.*?)\) to (?P<to>\S+) is spam, .*?\bscore=(?P<score>-?[\d.]+),' % IP,
   'info', 'initial-access', 'T1566', 'spam (score {{ $labels.score }}) from {{ $labels.src_ip }} (MailScanner)',
   'MailScanner/SpamAssassin scored a message as spam; the alert counts high scores.',
   [('Jul 30 08:01:07 efa MailScanner[1803828]: Message 4bsM5k4xJmz4rT6 from 198.18.16.2 (bounces@example.org) to example.at is spam, SpamAssassin (not cached, score=25.5, required 4, BAYES_99 5.0, DKIM_SIGNED 0.01', {'src_ip': '198.18.16.2', 'score': '25.5'})],
   ['Jul 30 08:01:07 efa MailScanner[1803828]: Message 4bsM5k4xJmz4rT6 from 198.18.16.2 (b@x) to example.at is not spam, SpamAssassin (not cached, score=1.1, required 4)'])

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
tr('NetfilterLogDrop', 'firewall', [' SRC='],
   KERNEL + r'(?P<prefix>.*?) ?IN=(?P<in_if>\S+) OUT=(?P<out_if>\S*) .*?\bSRC=(?:::ffff:)?(?P<src_ip>%s) DST=(?P<dest_ip>%s) .*?\bPROTO=(?P<proto>\w+)(?: SPT=(?P<src_port>\d+) DPT=(?P<dest_port>\d+))?' % (IP, IP),
   'info', 'discovery', 'T1046', 'firewall {{ $labels.prefix }} {{ $labels.proto }} {{ $labels.src_ip }} -> {{ $labels.dest_ip }}:{{ $labels.dest_port }}',
   'An iptables/nftables LOG line for a packet that came in on an interface (INPUT, FORWARD; not locally generated OUTPUT packets, whose source is this host). Lines whose prefix says the packet was let through (ALLOW, ACCEPT, AUDIT, PASS) are left out.',
   [(FW_SAMPLE, {'src_ip': '198.18.40.1', 'dest_ip': '10.73.140.49', 'dest_port': '80', 'proto': 'TCP', 'in_if': 'ens2', 'prefix': ''}),
    ('Oct 30 10:09:23 vm-1 kernel: [UFW BLOCK] IN=eth0 OUT= MAC=00:00:00:00:00:00:00:00:00:00:00:00:08:00 SRC=198.18.40.2 DST=192.0.2.53 LEN=104 TOS=0x00 PREC=0x00 TTL=64 ID=16820 DF PROTO=UDP SPT=50616 DPT=161 LEN=84', {'src_ip': '198.18.40.2', 'dest_port': '161', 'proto': 'UDP', 'prefix': '[UFW BLOCK]'}),
    ('2024-05-01T10:00:00.000000+00:00 fw1 kernel: nft-drop: IN=eth0 OUT= MAC=aa SRC=2001:db8::40 DST=2001:db8::1 LEN=80 TC=0 HOPLIMIT=57 FLOWLBL=0 PROTO=TCP SPT=41000 DPT=3389 WINDOW=1024 RES=0x00 SYN URGP=0', {'src_ip': '2001:db8::40', 'dest_port': '3389', 'prefix': 'nft-drop:'}),
    ('May  1 10:00:00 fw1 kernel: [  123.456] FINAL_REJECT: IN=eth0 OUT= MAC=aa SRC=198.18.40.3 DST=192.0.2.1 LEN=84 TOS=0x00 PREC=0x00 TTL=64 ID=1 DF PROTO=ICMP TYPE=8 CODE=0 ID=1 SEQ=1', {'src_ip': '198.18.40.3', 'proto': 'ICMP'})],
   ['Oct 30 10:09:23 vm-1 kernel: [UFW AUDIT] IN=lo OUT= MAC=00:00:00:00:00:00:00:00:00:00:00:00:08:00 SRC=127.0.0.1 DST=127.0.0.53 LEN=104 TOS=0x00 PROTO=TCP SPT=50616 DPT=53 LEN=84',
    'Oct 30 10:09:23 vm-1 kernel: [UFW ALLOW] IN=eth0 OUT= MAC=aa SRC=198.18.40.4 DST=192.0.2.1 LEN=60 PROTO=TCP SPT=5000 DPT=22',
    'Oct 30 10:09:23 vm-1 nginx[1]: IN=eth0 OUT= SRC=198.18.40.4 DST=192.0.2.1 PROTO=TCP SPT=5000 DPT=22',
    'Oct 30 10:09:23 mx1 kernel: [1.0] OUTBOUND: IN= OUT=eth0 SRC=192.0.2.25 DST=198.18.40.5 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=1 DF PROTO=TCP SPT=40000 DPT=25 WINDOW=64240 RES=0x00 SYN URGP=0'],
   extra=r'| prefix !~ `(?i).*(?:allow|accept|audit|pass).*`')

tr('PfBlock', 'firewall', ['block in on '],
   r'^(?:%s%s)?(?:%s )?(?:\d\d:\d\d:\d\d\.\d+ )?rule (?P<prefix>[\w./-]+)\(match\):? block in on (?P<in_if>\S+): (?:::ffff:)?(?P<src_ip>%s)\.(?P<src_port>\d+) > (?P<dest_ip>%s)\.(?P<dest_port>\d+): (?P<proto>udp|[SFRPUEWC.]+ )?' % (SYSLOG_HEADER, tag(r'pf|pflog|tcpdump'), BSD_TS, IP, IP),
   'info', 'discovery', 'T1046', 'pf blocked {{ $labels.src_ip }} -> {{ $labels.dest_ip }}:{{ $labels.dest_port }}',
   'OpenBSD/FreeBSD pf block (inbound) logged to pflog and printed by tcpdump -n -e (-ttt); FreeBSD writes rule N/M(match): with a colon.',
   [('Mar 31 12:00:00.123456 rule 0/(match) block in on em0: 198.18.41.1.55555 > 192.0.2.1.22: S 12345:12345(0) win 1024', {'src_ip': '198.18.41.1', 'dest_ip': '192.0.2.1', 'dest_port': '22', 'in_if': 'em0'}),
    ('Mar 31 12:00:00 fw2 pf: Mar 31 12:00:00.123456 rule 3/(match) block in on vio0: 2001:db8::41.40000 > 2001:db8::1.443: S 1:1(0) win 1024', {'src_ip': '2001:db8::41', 'dest_port': '443'}),
    ('12:00:00.000000 rule 1.default/(match) block in on em0: 198.18.41.2.5353 > 192.0.2.1.161: udp 40', {'src_ip': '198.18.41.2', 'dest_port': '161', 'proto': 'udp'}),
    ('Mar 31 12:00:00.123456 rule 2/0(match): block in on vtnet0: 198.18.41.3.40001 > 192.0.2.1.3306: Flags [S], seq 1, win 1024, length 0', {'src_ip': '198.18.41.3', 'dest_port': '3306'})],
   ['Mar 31 12:00:00.123456 rule 0/(match) pass in on em0: 198.18.41.1.55555 > 192.0.2.1.22: S 1:1(0) win 1024',
    'Mar 31 12:00:00.123456 rule 0/(match) block out on em0: 192.0.2.1.55555 > 198.18.41.1.22: S 1:1(0) win 1024'])

tr('PfFilterlogBlock', 'firewall', [',block,in,'],
   hp('filterlog') + r'\d*,[^,]*,[^,]*,(?P<prefix>[^,]*),(?P<in_if>[^,]*),[^,]*,block,in,(?:4,[^,]*,[^,]*,\d*,\d*,\d*,[^,]*,\d+|6,[^,]*,[^,]*,\d*),(?P<proto>tcp|udp),(?:\d+,)?\d+,(?:::ffff:)?(?P<src_ip>%s),(?P<dest_ip>%s),(?P<src_port>\d+),(?P<dest_port>\d+),' % (IP, IP),
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
# message is taken at the end of the line and holds no "|".
tr('DrupalLoginFailed', 'services', ['|Login attempt failed '],
   r'^%s[\w.-]+(?:\[\d+\])?: https?://[^|\s]*\|\d+\|user\|(?:::ffff:)?(?P<src_ip>%s)\|.*\|Login attempt failed (?:for|from) (?P<user>[^|]*)\.$' % (SYSLOG_HEADER, IP),
   'low', CA, BF, 'Drupal login failure for {{ $labels.user }} from {{ $labels.src_ip }}',
   'Drupal (syslog module) logged a failed login; the address is the fourth field, written before any client text.',
   [('Apr 26 13:15:25 web1 example.com: https://example.com|1430068525|user|198.18.56.20|https://example.com/?q=user|https://example.com/?q=user|0||Login attempt failed for drupaladmin.', {'src_ip': '198.18.56.20', 'user': 'drupaladmin'}),
    ('Apr 26 13:20:01 web1 drupal_site[24864]: https://www.example.com|1613058599|user|198.18.56.21|https://www.example.com/en/user/login|https://www.example.com/en/user/login|0||Login attempt failed from Jack Sparrow.', {'src_ip': '198.18.56.21', 'user': 'Jack Sparrow'}),
    ('Apr 26 13:20:02 web1 drupal-site: https://example.com|1613063581|user|198.18.56.22|https://example.com/user/login?test=%7C&test2=%7C|https://example.com/user/login?test=|192.0.2.1|x||0||Login attempt failed from 198.18.56.22.', {'src_ip': '198.18.56.22'})],
   ['Apr 26 13:19:08 web1 example.com: https://example.com|1430068748|user|198.18.56.20|https://example.com/user|https://example.com/user|1||Session opened for drupaladmin.',
    'Apr 26 13:20:00 web1 drupal-site: https://example.com|1613063581|user|198.18.56.23|https://example.com/user/login?test=%7C&test2=%7C...|https://example.com/user/login?test=|&test2=|0||Login attempt failed for tester|2||Session revisited for drupaladmin.',
    'Apr 26 13:20:00 web1 drupal-site: https://example.com|1613063581|php|198.18.56.23|https://example.com/|x|0||Login attempt failed for x.'])

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

# ---- successful logins (only counted next to failures: a guess that worked)
tr('PostfixSASLLogin', 'mail', ['sasl_username='],
   hp(POSTFIX_SMTPD) + r'[0-9A-Za-z]+: client=' + CLIENT + r', sasl_method=(?P<mech>[\w-]+), sasl_username=(?P<user>.*)$',
   'info', CA, 'T1078', 'SMTP AUTH login of {{ $labels.user }} from {{ $labels.src_ip }}',
   'Postfix accepted a SASL login (the client line of a queued message).',
   [('Mar  1 10:00:00 mx1 postfix/submission/smtpd[812]: 4F1A2C0123: client=unknown[198.18.1.9], sasl_method=LOGIN, sasl_username=alice@example.com', {'src_ip': '198.18.1.9', 'user': 'alice@example.com'})],
   ['Mar  1 10:00:00 mx1 postfix/smtpd[812]: 4F1A2C0123: client=unknown[198.18.1.9]'])
tr('DovecotLogin', 'mail', ['-login: Login: '],
   DOVECOT + r'(?P<service>[a-z0-9]+)-login: (?:Info: )?Login: user=<(?P<user>[^>]*)>, .*\brip=(?:::ffff:)?(?P<src_ip>%s)(?:,|$)' % IP,
   'info', CA, 'T1078', 'IMAP/POP3 login of {{ $labels.user }} from {{ $labels.src_ip }}',
   'A Dovecot login process handed an authenticated client to the mail process.',
   [('Jan 15 08:00:00 mail dovecot: imap-login: Login: user=<alice>, method=PLAIN, rip=198.18.8.9, lip=10.0.0.1, mpid=4242, TLS, session=<q>', {'src_ip': '198.18.8.9', 'user': 'alice'})],
   ['Jan 15 08:00:00 mail dovecot: imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<alice>, method=PLAIN, rip=198.18.8.9, lip=10.0.0.1, session=<q>'])
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


def ar(name, pack, tags, kind, rng, thr, sev, tactic, tech, summary, desc, extra='', for_=None):
    for t in (tags[0] + tags[1] if kind == 'and' else tags):
        assert t in T, t
    A.append(dict(name=name, pack=pack, tags=tags, kind=kind, rng=rng, thr=thr, sev=sev, tactic=tactic,
                  tech=tech, summary=summary, desc=desc, extra=extra, for_=for_))


# mail
ar('PostfixSASLBruteforce', 'mail', ['PostfixSASLAuthFailed', 'PostfixSASLBadMechanism'], 'count', '10m', 5, 'medium', CA, BF,
   'SMTP AUTH brute force from {{ $labels.src_ip }} ({{ $value }} failures in 10m)',
   'At least 5 SASL failures (or AUTH with a mechanism smtpd did not offer) in 10 minutes from one address (fail2ban postfix-sasl: maxretry 5 / findtime 10m).')
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
ar('FirewallPortScan', 'firewall', FWT, 'distinct:dest_port', '1m', 15, 'medium', 'discovery', 'T1046',
   'port scan from {{ $labels.src_ip }} ({{ $value }} ports in 1m)',
   'Blocked packets to at least 15 different destination ports in 1 minute (CrowdSec iptables-scan-multi_ports and pf-scan-multi_ports: 16 ports at 5 s leak).',
   extra=T['NetfilterLogDrop']['extra'] + ' | dest_port != ""')
ar('FirewallSlowPortScan', 'firewall', FWT, 'distinct:dest_port', '1h', 50, 'low', 'discovery', 'T1046',
   'slow port scan from {{ $labels.src_ip }} ({{ $value }} ports in 1h)',
   'Blocked packets to at least 50 different destination ports in 1 hour: a scan paced to stay under the 1-minute rule.',
   extra=T['NetfilterLogDrop']['extra'] + ' | dest_port != ""')
ar('FirewallHostSweep', 'firewall', FWT, 'distinct:dest_ip', '5m', 20, 'medium', 'discovery', 'T1018',
   'host sweep from {{ $labels.src_ip }} ({{ $value }} addresses in 5m)',
   'Blocked packets to at least 20 different destination addresses in 5 minutes (scanning a network for one service).',
   extra=T['NetfilterLogDrop']['extra'])
ar('FirewallBlockedFlood', 'firewall', FWT, 'count', '1m', 300, 'low', 'impact', 'T1498',
   'blocked packet flood from {{ $labels.src_ip }} ({{ $value }} packets in 1m)',
   'At least 300 logged drops (5/s sustained) from one address in 1 minute: a flood or an aggressive scanner. Only meaningful where drops are logged without a rate limit.',
   extra=T['NetfilterLogDrop']['extra'])
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
