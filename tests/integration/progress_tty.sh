#!/usr/bin/env bash
# The progress line of offline work (common/progress.h): on a terminal
# (a pseudo-terminal from script(1)) ward-ingest, ward-match and ward-window
# reading a file show "NAME PCT% X/Y MiB, N events, R events/s", redrawn in
# place and erased at the end; never when stderr is not a terminal, never
# with -q, and not from a stage reading a pipe.
. "$(dirname "$0")/../lib.sh"
if ! command -v script >/dev/null; then
	t_skip "all" "script(1) not installed (Debian package bsdutils)"
	exit 0
fi
for i in $(seq 3000); do
	printf 'Nov 28 08:%02d:%02d web1 sshd[812]: Failed password for root from 198.18.0.%d port 4242 ssh2\n' \
		$((i / 60 % 60)) $((i % 60)) $((i % 250))
done >"$T/auth.log"
"$W/ward-ingest" --label job=t --ts syslog --now 2026-11-28T23:59:59Z "$T/auth.log" >"$T/ev.ndjson" 2>/dev/null
# WARD_PROGRESS_INTERVAL=0: draw at every record, so a small file shows it.
on_tty() { script -qec "env WARD_PROGRESS_INTERVAL=0 $1" "$T/tty" >/dev/null 2>&1; }
line='\r[^\r]*ward-%s: %s +[0-9]+%% [0-9]+/[0-9]+ MiB, [0-9.kM]+ events, [0-9.kM]+ events/s'
has() { grep -aqE "$(printf "$line" "$1" "$2")" "$T/tty"; }
erased() { tail -c 3000 "$T/tty" | tr '\r' '\n' | grep -aq $'^\e\\[K{"stage":"'"$1"'"'; }

on_tty "'$W/ward-ingest' --ts syslog --now 2026-11-28T23:59:59Z '$T/auth.log' >/dev/null"
if has ingest "$T/auth.log"; then t_pass "ward-ingest FILE on a terminal: progress line"; else
	t_fail "ward-ingest FILE on a terminal: progress line" "$(head -c 400 "$T/tty" | cat -v)"; fi
if erased ingest; then t_pass "ward-ingest: the line is erased before the counters"; else
	t_fail "ward-ingest: the line is erased before the counters" "$(tail -c 300 "$T/tty" | cat -v)"; fi
t_grep "ward-ingest: the last line reaches 100%" ' 100% ' "$T/tty"

on_tty "'$W/ward-match' '{job=\"t\"}' <'$T/ev.ndjson' >/dev/null"
if has match '<stdin>'; then t_pass "ward-match <FILE on a terminal: progress line"; else
	t_fail "ward-match <FILE on a terminal: progress line" "$(head -c 400 "$T/tty" | cat -v)"; fi
if erased match; then t_pass "ward-match: the line is erased"; else t_fail "ward-match: the line is erased"; fi

on_tty "'$W/ward-window' --by src_ip --range 10s --threshold '> 5' --in '$T/ev.ndjson' >/dev/null"
if has window "$T/ev.ndjson"; then t_pass "ward-window --in FILE on a terminal: progress line"; else
	t_fail "ward-window --in FILE on a terminal: progress line" "$(head -c 400 "$T/tty" | cat -v)"; fi

on_tty "'$W/ward-match' -q '{job=\"t\"}' <'$T/ev.ndjson' >/dev/null"
t_eq "-q: no progress line on a terminal" "$(grep -ac 'events/s' "$T/tty")" 0

on_tty "cat '$T/ev.ndjson' | '$W/ward-match' '{job=\"t\"}' >/dev/null"
t_eq "reading a pipe: no progress line (the size is unknown)" "$(grep -ac 'events/s' "$T/tty")" 0

WARD_PROGRESS_INTERVAL=0 "$W/ward-match" '{job="t"}' <"$T/ev.ndjson" >/dev/null 2>"$T/err"
t_eq "stderr not a terminal: no progress line" "$(grep -c 'events/s' "$T/err")/$(tr -cd '\r' <"$T/err" | wc -c)" "0/0"
WARD_PROGRESS_INTERVAL=0 "$W/ward-ingest" "$T/auth.log" >/dev/null 2>"$T/err"
t_eq "ward-ingest, stderr not a terminal: no progress line" "$(grep -c 'events/s' "$T/err")" 0
# a followed file is live work: no progress line
on_tty "timeout 2 '$W/ward-ingest' --follow '$T/auth.log' >/dev/null"
t_eq "ward-ingest --follow: no progress line" "$(grep -ac 'events/s' "$T/tty")" 0

# ward-sniff reading a capture file: the same progress line (packets as events)
python3 - "$T/cap.pcap" <<'PY'
import struct, sys
frame = bytes.fromhex("ffffffffffff0000000000010800" "45000028000100004006" "0000" "c6120001" "c0000201"
                      "1f90005000000000000000005002200000000000")
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i in range(20000):
        f.write(struct.pack("<IIII", 1764316800 + i // 1000, i % 1000 * 1000, len(frame), len(frame)) + frame)
PY
on_tty "'$W/ward-sniff' -r '$T/cap.pcap' --mode summary >/dev/null"
if has sniff "$T/cap.pcap"; then t_pass "ward-sniff -r FILE on a terminal: progress line"; else
	t_fail "ward-sniff -r FILE on a terminal: progress line" "$(head -c 400 "$T/tty" | cat -v)"; fi
on_tty "'$W/ward-sniff' --no-progress -r '$T/cap.pcap' --mode summary >/dev/null"
t_eq "ward-sniff --no-progress: no progress line" "$(grep -ac 'events/s' "$T/tty")" 0
