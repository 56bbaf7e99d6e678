#!/usr/bin/env bash
# ward-ingest --format suricata|zeek|journal-json on records written to each
# program's published format (tests/data/ingest/records): fields in ward's
# names, the log's label, the record's own time; a Suricata alert goes
# through the bundled ids pack and ward-window like any other line.
. "$(dirname "$0")/../lib.sh"
cd "$TOP" || exit 1
I="$W/ward-ingest"
R=tests/data/ingest/records

# ---- Suricata eve.json and fast.log -------------------------------------------
# (the events of each format, with their counters, and the ids pack's alert:
# tests/cases/ingest/)
"$I" -F suricata $R/eve.json $R/fast.log >"$T/suri" 2>"$T/suri.err"
t_eq "the ids pack gives the same tags for raw and suricata input" \
	"$("$I" -q -F raw $R/eve.json $R/fast.log | "$W/ward-match" -q --rules rules/ids.yaml | grep -o '"rule":"[A-Za-z]*"' | sort | uniq -c | tr -s ' ')" \
	"$("$W/ward-match" -q --rules rules/ids.yaml --in "$T/suri" | grep -o '"rule":"[A-Za-z]*"' | sort | uniq -c | tr -s ' ')"

# ---- Zeek TSV and JSON, journalctl -o json: tests/cases/ingest/ -------------

# ---- a glob's warnings name the file, not the pattern --------------------------
mkdir -p "$T/g"
cp $R/conn.log "$T/g/conn.log"
printf '#separator \\x09\n#fields\tts\tuid\n1795855432\ttoo\tmany\n' >"$T/g/bad.log"
"$I" -F zeek "$T/g/*.log" >/dev/null 2>"$T/g.err"
t_grep "a glob's warning names the file" "warning: $T/g/bad.log: record [0-9]+: malformed event: Zeek TSV record" "$T/g.err"
t_eq "... not the pattern" "$(grep -c '\*\.log' "$T/g.err")" 0
