"""The mail pack's tagging rules (rules/mail.yaml): Postfix, Dovecot, Exim,
sendmail, OpenSMTPD, Courier, Cyrus, UW IMAP, amavis, MailScanner. Imported by
rules/gen_services.py, which adds the alerting rules and writes the pack."""
from svctable import BF, BSD_TS, CA, IP, ISO_TS, SYSLOG_HEADER, T, hp, tag, tr


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

# smtpd.c: at the end of every session "disconnect from %s%s", with per command
# "name=ok/total" counters (Postfix 3.0+). auth=0/N: N AUTH commands, none
# accepted. Where smtpd offers AUTH, each failure also has its own "SASL ...
# authentication failed" warning (PostfixSASLAuthFailed); where it does not (port
# 25 without smtpd_sasl_auth_enable), smtpd answers 503 and logs nothing else:
# this summary is then the only trace of bots trying AUTH. Counted in its own
# alert, at a rate above the warnings' one, so both cases are seen.
tr('PostfixDisconnectAuthFailed', 'mail', ['auth=0/'],
   hp(POSTFIX_SMTPD) + r'disconnect from ' + CLIENT + r'(?: [a-z]+=\d+(?:/\d+)?)* auth=0/(?P<attempts>[1-9]\d*)(?: [a-z]+=\d+(?:/\d+)?)*$',
   'info', CA, BF, 'SMTP session with {{ $labels.attempts }} failed AUTH from {{ $labels.src_ip }}',
   'The client tried AUTH and never succeeded in this SMTP session (the per-session summary).',
   [('Feb 10 13:26:34 mx1 postfix/smtpd[123]: disconnect from unknown[198.18.5.20] helo=1 auth=0/1 quit=1 commands=2/3', {'src_ip': '198.18.5.20', 'attempts': '1'}),
    ('Feb 10 13:26:34 mx1 postfix/submission/smtpd[123]: disconnect from host.example[2001:db8::5]:41000 ehlo=1 auth=0/3 rset=1 quit=1 commands=3/6', {'src_ip': '2001:db8::5', 'attempts': '3'})],
   ['Feb 10 13:26:34 mx1 postfix/smtpd[123]: disconnect from unknown[198.18.5.20] ehlo=1 auth=1 mail=1 rcpt=1 data=1 quit=1 commands=6',
    'Feb 10 13:26:34 mx1 postfix/smtpd[123]: disconnect from unknown[198.18.5.20] ehlo=1 auth=1/2 mail=1 rcpt=1 data=1 quit=1 commands=6/7',
    'Feb 10 13:26:34 mx1 postfix/smtpd[123]: disconnect from unknown[198.18.5.20] ehlo=1 quit=1 commands=2',
    'Feb 10 13:26:34 mx1 sshd[123]: disconnect from unknown[198.18.5.20] auth=0/1'])

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
# (2.2 and 2.3: "disallowed plaintext", 2.4: "disallowed cleartext") when
# disable_plaintext_auth (2.4: auth_allow_cleartext = no) forbids it on a
# connection without TLS, "(tried to use unsupported auth mechanism)" for a
# mechanism not offered. The client did send its credentials (plaintext) or
# ignored the CAPABILITY list: password-guessing bots on port 110/143 do both at
# every connection; fail2ban's normal mode counts them. Last rip= as in
# DovecotAuthFailed; "Too many invalid commands" lines are DovecotInvalidCommands'.
tr('DovecotAuthRefused', 'mail', ['(tried to use '],
   DOVECOT + r'(?P<service>[a-z0-9]+)-login: (?:Info: )?(?:Disconnected|Aborted login|Login aborted|Remote closed connection|Client has quit the connection)\b(?!: Too many invalid commands)(?:: (?:\w+\([^):]*\) \w+|[^(:]+))* ?'
   r'\(tried to use (?P<reason>(?:disabled|disallowed) (?:plain|clear)text auth|unsupported auth mechanism)\)(?: \([a-z_]+\))?: (?:user=<(?P<user>[^>]*)>, )?.*\brip=(?:::ffff:)?(?P<src_ip>%s)(?:,|$)' % IP,
   'info', CA, BF, 'Dovecot refused a plaintext or unsupported AUTH from {{ $labels.src_ip }}',
   'A client sent a login the server refused before checking it: a plaintext password where TLS is required, or a SASL mechanism that was not offered. One per connection; counted with the failed logins.',
   [('Dec 12 11:19:11 mail dovecot: pop3-login: Aborted login (tried to use disabled plaintext auth): rip=198.18.8.30, lip=10.0.0.1', {'src_ip': '198.18.8.30', 'service': 'pop3', 'reason': 'disabled plaintext auth'}),
    ('Dec 12 11:19:11 mail dovecot: imap-login: Disconnected (tried to use disallowed plaintext auth): user=<admin>, rip=198.18.8.31, lip=10.0.0.1, session=<LgDI>', {'src_ip': '198.18.8.31', 'user': 'admin'}),
    ('2024-03-01T10:00:00.123456+01:00 mail dovecot: submission-login: Login aborted: Connection closed (tried to use unsupported auth mechanism) (auth_unsupported_mech): user=<>, method=CRAM-MD5, rip=2001:db8::32, lip=2001:db8::1', {'src_ip': '2001:db8::32', 'reason': 'unsupported auth mechanism'}),
    ('2025-03-01T10:00:00.123456+01:00 mail dovecot[900]: imap-login: Login aborted: Connection closed (tried to use disallowed cleartext auth) (cleartext_auth_disallowed): user=<bob>, method=PLAIN, rip=198.18.8.33, lip=10.0.0.1, session=<x>', {'src_ip': '198.18.8.33', 'reason': 'disallowed cleartext auth'})],
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
