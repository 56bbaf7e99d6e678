#!/usr/bin/env python3
"""Writes rules/ids.yaml: network IDS alerts (Suricata eve.json and fast.log).

Suricata has already decided that a packet or flow matched a signature; the
pack turns its alerts into ward events keyed by the address they are about.
What a priority means depends on who the signature is about, so the alerting
rules read the classification (alert.category in eve.json, "[Classification:
...]" in fast.log; the descriptions of Suricata's classification.config, which
also sets the priority):
- attacks on the monitored network (attempted/successful user or administrator
  privilege gain, web application attack, executable code, targeted activity):
  the source is the attacker; one priority 1 alert is enough;
- malware traffic (trojan, command and control, C2 domain, exploit kit,
  credential theft): ET writes these both ways ("beacon" from the infected
  client, "from server" payloads and stealer configs from the remote end), so
  the alert names both addresses and is not a ban (remediation "false");
- policy and content classes (Potential Corporate Privacy Violation,
  Inappropriate Content) are priority 1 but describe what a local user did
  (Dropbox LAN sync broadcasts, a password form over plain HTTP): tagged only;
- priority 2 series count as reconnaissance, except the informational rule
  families of the ET/ETPRO/GPL sets (POLICY, INFO, HUNTING: curl to a dotted quad,
  HTTP on port 443, TLD lookups) and external-IP checks, which fire on ordinary
  clients.
Edit the tables and run this again; commit the generator and the YAML.
"""
import os

from svcyaml import yq

# eve.json keys through `json`, then the fast.log form through `regexp` (a
# regexp that does not match extracts nothing, so each form fills the labels).
FAST = (r'^\d\d/\d\d/\d{4}-\d\d:\d\d:\d\d\.\d+ +\[\*\*\] \[\d+:(?P<sid>\d+):\d+\] (?P<signature>.*?) \[\*\*\] '
        r'(?:\[Classification: (?P<category>[^\]]*)\] )?\[Priority: (?P<severity>\d+)\] \{\w+\} '
        r'\[?(?P<pkt_src>[0-9A-Fa-f:.]+?)\]?(?::\d+)? -> \[?(?P<dest_ip>[0-9A-Fa-f:.]+?)\]?(?::\d+)?\s*$')
BASE = ('{job=~".+"} |~ `"event_type":"alert"|\\[Priority: \\d+\\]` | json event_type="event_type", '
        'pkt_src="src_ip", dest_ip="dest_ip", source_ip="alert.source.ip", direction="direction", '
        'severity="alert.severity", signature="alert.signature", sid="alert.signature_id", '
        'category="alert.category" | drop __error__, __error_details__ | regexp `' + FAST + '` '
        '| event_type="alert" or event_type="" '
        '| label_format src_ip=`{{ if .source_ip }}{{ .source_ip }}{{ else }}{{ .pkt_src }}{{ end }}` '
        '| src_ip != ""')
# an alert on traffic to the client has the server as packet source
FROM_SOURCE = '| direction != "to_client" or source_ip != ""'
MALWARE_CATS = ['A Network Trojan was detected', 'Malware Command and Control Activity Detected',
                'Domain Observed Used for C2 Detected', 'Exploit Kit Activity Detected',
                'Successful Credential Theft Detected']
POLICY_CATS = ['Potential Corporate Privacy Violation', 'Inappropriate Content was Detected']
CLIENT_CATS = ['Device Retrieving External IP Address Detected']
INFO_SIGS = r'(?:ET|ETPRO|GPL) (?:POLICY|INFO|HUNTING) .*'


def alt(cats):
    return '`(?i)(?:%s)`' % '|'.join(c for c in cats)


def eve(src, sig, cat, sev, dest='192.0.2.10', extra=''):
    return ('{"timestamp":"2022-07-12T06:22:33.415742+0000","flow_id":1398609176796675,"in_iface":"eth0",'
            '"event_type":"alert","src_ip":"%s","src_port":33270,"dest_ip":"%s","dest_port":80,"proto":"TCP",%s'
            '"alert":{"action":"allowed","gid":1,"signature_id":2034125,"rev":4,"signature":"%s","category":"%s","severity":%d}}'
            % (src, dest, extra, sig, cat, sev))


EXPLOIT = eve('1.2.3.4', 'ET EXPLOIT Apache HTTP Server 2.4.49 - Path Traversal Attempt (CVE-2021-41773) M2',
              'Attempted Administrator Privilege Gain', 1)
SIPVICIOUS_FAST = ('07/11/2022-10:29:32.251216  [**] [1:2008578:4] ET SCAN Sipvicious Scan [**] '
                   '[Classification: Attempted Information Leak] [Priority: 2] {UDP} 89.248.163.216:5116 -> 192.0.2.10:5060')
# Real records (docs/rules.md "Firewall and IDS packs on real logs"), addresses kept.
DROPBOX = ('{"timestamp":"2014-05-05T13:34:35.453100","event_type":"alert","src_ip":"10.16.1.193","src_port":17500,'
           '"dest_ip":"255.255.255.255","dest_port":18500,"proto":"UDP","alert":{"action":"allowed","gid":1,'
           '"signature_id":2012648,"rev":3,"signature":"ET POLICY Dropbox Client Broadcasting",'
           '"category":"Potential Corporate Privacy Violation","severity":1}}')
CLEARTEXT = ('{"timestamp":"2020-02-29T06:11:02.147044+0000","flow_id":415686269975930,"in_iface":"eth0","event_type":"alert",'
             '"src_ip":"192.168.10.238","src_port":50850,"dest_ip":"192.168.10.154","dest_port":80,"proto":"TCP","tx_id":0,'
             '"alert":{"action":"allowed","gid":1,"signature_id":2012887,"rev":3,"signature":"ET POLICY Http Client Body contains pass= in cleartext",'
             '"category":"Potential Corporate Privacy Violation","severity":1}}')
POST443 = ('{"timestamp":"2015-12-07T19:30:54.863188+0000","flow_id":139635731853600,"pcap_cnt":142,"event_type":"alert",'
           '"src_ip":"192.168.11.11","src_port":59523,"dest_ip":"192.168.12.12","dest_port":443,"proto":"TCP","tx_id":0,'
           '"alert":{"action":"allowed","gid":1,"signature_id":2013926,"rev":8,"signature":"ET POLICY HTTP traffic on port 443 (POST)",'
           '"category":"Potentially Bad Traffic","severity":2}}')
CURL_FAST = ('07/11/2022-08:36:12.345430  [**] [1:2034567:1] ET HUNTING curl User-Agent to Dotted Quad [**] '
             '[Classification: Potentially Bad Traffic] [Priority: 2] {TCP} 172.31.18.55:57194 -> 169.254.169.254:80')
METASPLOIT = ('{"timestamp":"2020-11-08T19:39:54.261057+0000","flow_id":726286645976969,"in_iface":"bond0","event_type":"alert",'
              '"src_ip":"192.20.80.25","src_port":449,"dest_ip":"192.168.10.15","dest_port":50026,"proto":"TCP",'
              '"alert":{"action":"allowed","gid":1,"signature_id":2025644,"rev":1,"signature":"ET MALWARE Possible Metasploit Payload Common Construct Bind_API (from server)",'
              '"category":"A Network Trojan was detected","severity":1}}')
STEALER = ('{"timestamp":"2023-09-18T06:13:41.532140+0000","flow_id":1676750115612680,"pcap_cnt":130,"event_type":"alert",'
           '"src_ip":"142.11.240.191","src_port":35361,"dest_ip":"192.168.100.237","dest_port":49175,"proto":"TCP","pkt_src":"wire/pcap","tx_id":1,'
           '"alert":{"action":"allowed","gid":1,"signature_id":2045001,"rev":1,"signature":"ET ATTACK_RESPONSE Win32/LeftHook Stealer Browser Extension Config Inbound",'
           '"category":"A Network Trojan was detected","severity":1},"app_proto":"http"}')
TO_CLIENT = eve('192.0.2.10', 'GPL ATTACK_RESPONSE id check returned root', 'Potentially Bad Traffic', 2,
                extra='"direction":"to_client",')
CHECKSUM_FAST = ('07/11/2022-10:29:32.251216  [**] [1:2200074:4] SURICATA TCPv4 invalid checksum [**] '
                 '[Classification: Generic Protocol Command Decode] [Priority: 3] {TCP} 2.57.122.209:5116 -> 192.0.2.10:80')

TAG = dict(
    name='SuricataAlert', expr=BASE, sev='info', tactic='initial-access', tech='T1190',
    summary='Suricata: {{ $labels.signature }} from {{ $labels.src_ip }}',
    desc='A Suricata signature matched traffic from this address (eve.json or fast.log); the alerting rules below decide by priority and classification.',
    match=[
        (EXPLOIT, {'src_ip': '1.2.3.4', 'severity': '1', 'sid': '2034125', 'dest_ip': '192.0.2.10'}),
        (eve('2001:db8::9', 'ET SCAN Sipvicious User-Agent Detected (friendly-scanner)', 'Attempted Information Leak', 2),
         {'src_ip': '2001:db8::9', 'severity': '2'}),
        (TO_CLIENT[:-2] + ',"source":{"ip":"198.51.100.7","port":80},"target":{"ip":"192.0.2.10","port":4242}}}',
         {'src_ip': '198.51.100.7'}),
        (SIPVICIOUS_FAST, {'src_ip': '89.248.163.216', 'severity': '2', 'sid': '2008578', 'dest_ip': '192.0.2.10',
                           'category': 'Attempted Information Leak'}),
        (CHECKSUM_FAST, {'severity': '3'}),
        ('07/11/2022-10:29:32.251216  [**] [1:2008578:4] ET SCAN x [**] [Classification: Attempted Information Leak] '
         '[Priority: 2] {TCP} 2001:db8::8:5116 -> 2001:db8::1:80', {'src_ip': '2001:db8::8', 'dest_ip': '2001:db8::1'}),
    ],
    nomatch=[
        '{"timestamp":"2022-07-12T06:22:33.415742+0000","flow_id":1,"event_type":"flow","src_ip":"1.2.3.4","dest_ip":"192.0.2.10","proto":"TCP","flow":{"pkts_toserver":3}}',
        '{"timestamp":"2022-07-12T06:22:33.415742+0000","event_type":"http","src_ip":"1.2.3.4","http":{"url":"/?q=\\"event_type\\":\\"alert\\""}}',
        'Jul 11 10:29:32 host app[1]: [Priority: 1] {TCP} 1.2.3.4:80 -> 5.6.7.8:1',
    ])

ALERTS = [
    dict(name='IDSHighSeverityAlert',
         expr='sum by (src_ip) (count_over_time(%s %s | severity=~"1" | category !~ %s [10m])) >= 1'
              % (BASE, FROM_SOURCE, alt(MALWARE_CATS + POLICY_CATS)),
         sev='high', tactic='initial-access', tech='T1190',
         summary='IDS high-priority alert from {{ $labels.src_ip }}',
         desc='Suricata raised a priority 1 alert for an attack from this address (exploit attempts, administrator or user privilege gain, web application attacks). One is enough: these signatures are written to be acted on. Malware traffic and the policy classes are left to IDSMalwareTraffic or tagged only.',
         match=[(EXPLOIT, {'src_ip': '1.2.3.4'}),
                ('07/11/2022-06:09:52.602489  [**] [1:2034125:4] ET EXPLOIT Apache HTTP Server 2.4.49 - Path Traversal Attempt (CVE-2021-41773) M2 [**] '
                 '[Classification: Attempted Administrator Privilege Gain] [Priority: 1] {TCP} 185.7.214.104:36288 -> 172.31.18.55:80',
                 {'src_ip': '185.7.214.104'})],
         nomatch=[eve('1.2.3.4', 'ET TEST', 'Attempted Administrator Privilege Gain', 2),
                  eve('192.0.2.10', 'ET TEST', 'Attempted Administrator Privilege Gain', 1, extra='"direction":"to_client",'),
                  SIPVICIOUS_FAST.replace('{UDP} 89.248.163.216', '{UDP} 1.2.3.4'),
                  DROPBOX, CLEARTEXT, METASPLOIT]),
    dict(name='IDSMalwareTraffic',
         expr='sum by (src_ip, dest_ip) (count_over_time(%s %s | severity=~"[12]" | category =~ %s [10m])) >= 1'
              % (BASE, FROM_SOURCE, alt(MALWARE_CATS)),
         sev='high', tactic='command-and-control', tech='T1071', remediation='false',
         summary='IDS malware traffic between {{ $labels.src_ip }} and {{ $labels.dest_ip }}',
         desc='Suricata saw malware traffic (trojan, command and control, C2 domain, exploit kit, credential theft). Such signatures are written from either end (a beacon from the infected client, a payload or config from the remote server), so one of the two addresses is likely a compromised local host: investigate it; banning the source could cut off the victim (remediation is off).',
         match=[(METASPLOIT, {'src_ip': '192.20.80.25', 'dest_ip': '192.168.10.15'}),
                (STEALER, {'src_ip': '142.11.240.191', 'dest_ip': '192.168.100.237'})],
         nomatch=[EXPLOIT, DROPBOX, eve('1.2.3.4', 'ET MALWARE x', 'A Network Trojan was detected', 3)]),
    dict(name='IDSRepeatedMediumAlerts',
         expr=('sum by (src_ip) (count_over_time(%s %s | severity=~"2" | signature !~ `%s` | category !~ %s [10m])) >= 3'
               % (BASE, FROM_SOURCE, INFO_SIGS, alt(CLIENT_CATS + MALWARE_CATS))),
         sev='medium', tactic='reconnaissance', tech='T1595',
         summary='repeated IDS priority 2 alerts from {{ $labels.src_ip }}',
         desc='Three or more priority 2 alerts (scans, information leaks, denial of service, misc attacks) from one address in 10 minutes: one such alert is often noise, a series is a scanner working through a target. The informational ET/ETPRO/GPL families (POLICY, INFO, HUNTING) and external-IP checks are left out: they describe ordinary clients.',
         match=[(eve('2.2.3.4', 'ET TEST', 'Attempted Administrator Privilege Gain', 2), {'src_ip': '2.2.3.4'}),
                (SIPVICIOUS_FAST, {'src_ip': '89.248.163.216'})],
         nomatch=[eve('2.2.3.4', 'ET TEST', 'Attempted Administrator Privilege Gain', 3),
                  SIPVICIOUS_FAST.replace('[Priority: 2] {UDP} 89.248.163.216', '[Priority: 1] {UDP} 2.2.3.4'),
                  POST443, CURL_FAST, TO_CLIENT]),
]

HEADER = '''# ward rule pack: network IDS alerts (Suricata eve.json and fast.log).
#
# Generated by rules/gen_ids.py (edit the tables there and run it again).
# Suricata has already decided that a packet or flow matched a signature; this
# pack turns its alerts into ward events keyed by the address they are about.
#
# Formats: eve.json alert records (event_type "alert": src_ip, dest_ip,
# alert.severity, alert.signature, alert.signature_id, alert.category, and
# alert.source / alert.target where the signature names its target, Suricata >= 6)
# and the fast.log line
#   MM/DD/YYYY-HH:MM:SS.uuuuuu  [**] [gid:sid:rev] MSG [**] [Classification: C] [Priority: N] {PROTO} SRC:PORT -> DST:PORT
# The source is alert.source.ip when the signature names it, else the packet's
# source. Alerts on traffic towards the client (direction "to_client", e.g.
# ATTACK_RESPONSE signatures) have the server as packet source: they are
# tagged, but the alerting rules do not count them against that address unless
# the signature named the source.
#
# Severity is Suricata's classification priority: 1 high, 2 medium, 3 low,
# 4 informational (classification.config); the alerting rules also read the
# classification (see rules/gen_ids.py for why). `tests:` is ward's (docs/rules.md).
groups:
  - name: ids
    rules:'''


def fields(d):
    return '{' + ', '.join('%s: %s' % (k, yq(v)) for k, v in d.items()) + '}'


def emit(out, r):
    out.append('      - alert: %s' % r['name'])
    out.append('        expr: |\n          %s' % r['expr'])
    out.append('        labels:\n          severity: %s\n          mitre_tactic: %s\n          mitre_technique: %s'
               % (r['sev'], r['tactic'], r['tech']))
    if r.get('remediation'):
        out.append('          remediation: %s' % yq(r['remediation']))
    out.append('        annotations:\n          summary: %s\n          description: %s' % (yq(r['summary']), yq(r['desc'])))
    out.append('        tests:\n          labels: {job: suricata}\n          match:')
    for line, f in r['match']:
        out.append('            - line: %s\n              fields: %s' % (yq(line), fields(f)))
    out.append('          nomatch:')
    for line in r['nomatch']:
        out.append('            - %s' % yq(line))


def main():
    out = [HEADER]
    for r in [TAG] + ALERTS:
        emit(out, r)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'ids.yaml')
    with open(path, 'w') as f:
        f.write('\n'.join(out) + '\n')


if __name__ == '__main__':
    main()
