#!/usr/bin/env bash
# ward-ingest --journal on a journal file the test writes with
# systemd-journal-remote (from an export stream): the line as the syslog
# receiver writes it, labels, the entry's time; --positions keeps the
# cursor so a restart reads only what is new; --follow waits for entries.
. "$(dirname "$0")/../lib.sh"
cd "$TOP" || exit 1
I="$W/ward-ingest"
JR=/lib/systemd/systemd-journal-remote
[ -x "$JR" ] || JR=/usr/lib/systemd/systemd-journal-remote
[ -x "$JR" ] || { t_skip "journal" "no systemd-journal-remote"; exit 0; }

entry() {  # entry USEC IDENT PID MESSAGE: one entry in the journal export format
	printf '__REALTIME_TIMESTAMP=%s\n__MONOTONIC_TIMESTAMP=%s\n_BOOT_ID=0123456789abcdef0123456789abcdef\n_HOSTNAME=web1\nSYSLOG_IDENTIFIER=%s\n_PID=%s\nPRIORITY=4\n_SYSTEMD_UNIT=%s.service\nMESSAGE=%s\n\n' \
		"$1" "${1:6}" "$2" "$3" "$2" "$4"
}
mkdir -p "$T/j"
{ entry 1795855445123456 sshd 812 "Failed password for root from 198.18.0.7 port 4242 ssh2"
  entry 1795855446000000 sshd 812 "Failed password for root from 198.18.0.7 port 4243 ssh2"; } |
	"$JR" -o "$T/j/a.journal" - 2>/dev/null
"$I" --journal --positions "$T/cur" "$T/j/a.journal" >"$T/out1" 2>"$T/err1"
t_eq "two entries read" "$(wc -l <"$T/out1")" 2
t_grep "line SYSLOG_IDENTIFIER[_PID]: MESSAGE, labels, __REALTIME_TIMESTAMP" \
	'^\{"v":1,"ts":"2026-11-28T08:44:05.123456000Z","labels":\{"job":"journal","host":"web1","program":"sshd","pid":"812","severity":"warning","unit":"sshd.service"\},"line":"sshd\[812\]: Failed password for root from 198.18.0.7 port 4242 ssh2"' "$T/out1"
t_grep "the cursor is saved" '^ward-journal-cursor 1$' "$T/cur"
t_eq "the ssh pack's anchored rules match journal lines" \
	"$("$W/ward-match" -q --rules rules/ssh.yaml --in "$T/out1" | grep -m1 -c '"src_ip":"198.18.0.7"')" 1

# a restart reads only what was written since
entry 1795855447000000 sudo 99 "alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/sh" |
	"$JR" -o "$T/j/b.journal" - 2>/dev/null
"$I" --journal --positions "$T/cur" "$T/j/a.journal" "$T/j/b.journal" >"$T/out2" 2>"$T/err2"
t_eq "after a restart only the new entry" "$(wc -l <"$T/out2")" 1
t_grep "... which is the new one" '"line":"sudo\[99\]: alice : TTY' "$T/out2"
"$I" --journal --positions "$T/cur" "$T/j/a.journal" "$T/j/b.journal" >"$T/out3" 2>/dev/null
t_eq "nothing new: nothing read" "$(wc -l <"$T/out3")" 0
"$I" --journal --from-end "$T/j/a.journal" "$T/j/b.journal" >"$T/out4" 2>/dev/null
t_eq "--from-end without a cursor: nothing old" "$(wc -l <"$T/out4")" 0

# --follow: a new journal file in the directory is read as it appears
"$I" --journal -f --positions "$T/cur" "$T/j" >"$T/out5" 2>"$T/err5" &
FPID=$!; t_defer "kill -9 $FPID"
sleep 0.5
entry 1795855448000000 su 77 "FAILED SU (to root) alice on pts/0" | "$JR" -o "$T/j/c.journal" - 2>/dev/null
t_wait_for grep -q "FAILED SU" "$T/out5"
kill "$FPID"; wait "$FPID" 2>/dev/null
t_grep "--follow: a new entry is read" '"line":"su\[77\]: FAILED SU \(to root\) alice on pts/0"' "$T/out5"
t_eq "--follow: only the new entry (the cursor held)" "$(wc -l <"$T/out5")" 1

printf 'garbage\n' >"$T/badcur"
t_status "a corrupt cursor file is a configuration error" 78 "$I" --journal --positions "$T/badcur" "$T/j/a.journal"
t_status "--journal with --format is a usage error" 64 "$I" --journal -F zeek "$T/j/a.journal"
t_status "--journal with --syslog-udp is a usage error" 64 "$I" --journal --syslog-udp 127.0.0.1:0
