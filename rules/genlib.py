"""Fragments every rule-pack generator (rules/gen_*.py) shares: where a line
that went through syslog starts, and how the tag of the program that wrote it
is anchored. One definition, so every pack accepts the same header forms and
ties its rules to the program the same way.

A line is the daemon's when it starts, at the very beginning of the line,
with an optional header and then the program's tag:
* header: an optional `<PRI>` (and RFC 5424's version `1 `), an optional time
  (BSD/journald short `Mmm dd HH:MM:SS[.frac][ YYYY]`, ISO/RFC 3339 with `T`
  or a space, `,` or `.` fractions and a zone `Z`, `+hh:mm`, `+hhmm` or a
  name such as `UTC`, optionally after a weekday as `journalctl -o short-full`
  writes it), an optional host (a token without `:` or brackets, so a
  program tag such as `myapp[7]:` is never taken for a host). No header at
  all is ward-ingest's syslog receiver (`program[pid]: message`).
* tag: `prog[pid]: ` or `prog: ` (RFC 3164, journald), or RFC 5424's
  `APP PROCID MSGID SD ` as rsyslog writes it to files; metalog_tag():
  metalog's `[prog] ` after the time, for the packs that take it.
Text another program writes (or a client chose) comes after some other tag,
so it can never pass for the daemon's own line.
"""

BSD_TS = r"[A-Z][a-z]{2} +\d{1,2} \d\d:\d\d:\d\d(?:\.\d+)?(?: \d{4})?"
ISO_TS = (r"(?:[A-Z][a-z]{2} )?\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?"
          r"(?: ?(?:Z|[+-]\d\d:?\d\d|[A-Z]{2,5}))?")
# The header's parts: <PRI> (and RFC 5424's version), time, host.
HEADER_PRI = r"(?:<\d{1,3}>(?:1 )?)?"
HEADER_TIME = r"(?:(?:" + BSD_TS + r"|" + ISO_TS + r") )?"
HEADER_HOST = r"(?:[^\s:\[\]]+ )?"
SYSLOG_HEADER = HEADER_PRI + HEADER_TIME + HEADER_HOST
# RFC 5424 structured data: `-` or one or more [id param="value" ...]
# elements, values quoted with \" \] \\ escapes.
RFC5424_SD = r"(?:-|(?:\[(?:[^\]\"\\]|\\.|\"(?:[^\"\\]|\\.)*\")*\])+)"


def tag(names, after_colon=""):
    """The tag of a program among `names` (a regex alternation): `name[pid]: `
    or `name: `, then `after_colon` (e.g. Solaris' message id), or RFC 5424's
    `name PROCID MSGID SD `."""
    return (r"(?:(?:" + names + r")(?:\[\d+\])?: " + after_colon +
            r"|(?:" + names + r") (?:\d+|-) \S+ " + RFC5424_SD + r" ?)")


def metalog_tag(names):
    """The tag of a program among `names` as metalog writes it to its files
    (its `legacy` formats, the default: `%b %e %T [prog] message`,
    `[prog][SEVERITY] ` with log_severity; older versions put a `:` after
    the tag): after the time, with no host and no pid. Not part of
    program_start: a pack takes it where its daemon's lines are known in
    this form (gen_ssh), after HEADER_PRI + HEADER_TIME."""
    return r"\[(?:" + names + r")\](?:\[[A-Z]+\])?:? "


def program_start(names, after_colon=""):
    """Start of a line written by one of `names`: SYSLOG_HEADER then tag()
    (not anchored: callers put it after `^`)."""
    return SYSLOG_HEADER + tag(names, after_colon)
