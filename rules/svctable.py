"""The service packs' table of tagging rules and the fragments every pack's
regexes share (rules/gen_services.py writes the packs; rules/svc_mail.py holds
the mail rules). Each tr() call adds one rule: name, pack, literals for the
line prefilter, regex, labels, annotations, match samples, look-alikes."""
import re

import genlib

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
