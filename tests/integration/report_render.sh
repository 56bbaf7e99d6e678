#!/usr/bin/env bash
# ward-report: Markdown and HTML from alert/action/series events, escaping
# of hostile fields, and the HTML rendered by headless Chromium. The exact
# Markdown and HTML of the fixtures, with their counters, are golden cases
# (tests/cases/report/).
. "$(dirname "$0")/../lib.sh"

EV="$DATA/report/events.ndjson"
HOSTILE="$DATA/report/hostile.ndjson"
export SOURCE_DATE_EPOCH=1796025600	# fixed "generated" time: same input, same bytes
cd "$T"

"$W/ward-report" --md r.md --html r.html "$EV" 2>err.txt
t_eq "exit 0" "$?" 0
t_eq "stdout when no --md/--html" "$("$W/ward-report" "$EV" 2>/dev/null | md5sum)" "$(md5sum <r.md)"
"$W/ward-report" --html r2.html "$EV" 2>/dev/null
t_files_eq "reproducible with SOURCE_DATE_EPOCH" r.html r2.html
t_eq "HTML self-contained: no src or href" "$(grep -Eo '(src|href)=' r.html | head -1)" ""

"$W/ward-report" --md h.md --html h.html "$HOSTILE" 2>herr.txt
t_eq "hostile input: exit 0" "$?" 0
t_eq "hostile HTML: no tag from the input" "$(grep -Eio '<(script|img|iframe|h1>pwned|svg onload)' h.html | head -3)" ""
t_grep "hostile HTML: escaped" '&lt;/title&gt;&lt;script&gt;alert\(1\)&lt;/script&gt;' h.html
t_eq "hostile Markdown: no raw tag outside code spans" \
	"$(sed 's/``[^`]*``//g' h.md | grep -Eio '<(script|img|iframe|svg|h1)' | head -3)" ""
t_eq "hostile Markdown: table rows keep their columns" \
	"$(grep '^| `` Evil' h.md | sed 's/\\|//g' | tr -cd '|' | wc -c)" 9

t_status "check mode: valid, opens nothing" 0 env WARD_CHECK=1 "$W/ward-report" --html "$T/never.html" /nonexistent.ndjson
t_ok "check mode: no file written" test ! -e "$T/never.html"
t_status "check mode: an unwritable output directory is an error" 74 env WARD_CHECK=1 "$W/ward-report" --html /nonexistent/dir/x.html
t_status "unwritable output: exit 74" 74 "$W/ward-report" --html /nonexistent/dir/x.html "$EV"

# ---- rendering in a real browser ----
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then
	t_skip "chromium render" "chromium not installed"
	exit 0
fi
chrome() {
	timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --disable-sync --no-first-run --user-data-dir="$(mktemp -d "$T/chr.XXXX")" "$@" \
		2>>chrome.err
}
chrome --dump-dom "file://$T/r.html" >dom.html
t_eq "chromium DOM: SVG charts" "$(grep -o '<svg class="chart' dom.html | wc -l)" 8
t_eq "chromium DOM: no script element" "$(grep -c '<script' dom.html)" 0
chrome --window-size=900,1100 --screenshot="$T/shot.png" "file://$T/r.html" >/dev/null
if [ ! -s shot.png ]; then
	t_fail "chromium screenshot" "$(tail -5 chrome.err)"
	exit 0
fi
# The first chart (SSH brute force, with its threshold) is in this box.
read -r blue red other < <(python3 "$TOP/tests/report_png.py" shot.png 0 380 900 700 | tr -c '0-9 \n' ' ' | awk '{print $1, $2, $3}')
t_ok "screenshot: chart lines drawn (blue pixels: $blue)" test "$blue" -gt 300
t_ok "screenshot: threshold line drawn (red pixels: $red)" test "$red" -gt 150
t_ok "screenshot: several series colours (other: $other)" test "$other" -gt 300

# ---- output paths: regular files are replaced, anything else written through,
# links out of their directory refused (common/outfile.c) ----
mkdir -p "$T/out" "$T/elsewhere"
cd "$T/out" || exit 1
echo old >reg.md
"$W/ward-report" --md reg.md "$EV" 2>/dev/null
t_eq "regular file replaced by the report" "$(md5sum <reg.md)" "$(md5sum <"$T/r.md")"
mkfifo fifo.md
timeout 20 cat fifo.md >fifo.copy &	# bounded: a broken writer must not hang the suite
reader=$!
timeout 20 "$W/ward-report" --md fifo.md "$EV" 2>/dev/null
[ -p fifo.md ] || kill "$reader" 2>/dev/null	# replaced: nobody will open the FIFO's writer side
wait "$reader" 2>/dev/null
t_ok "a FIFO stays a FIFO" test -p fifo.md
t_eq "the report went through the FIFO" "$(md5sum <fifo.copy)" "$(md5sum <"$T/r.md")"
# a private /dev/full (same device numbers), so a broken build cannot
# replace the system's own
if mknod full c 1 7 2>/dev/null; then
	t_status "a full device: the write error is an error" 74 "$W/ward-report" --md full "$EV"
	t_ok "the device is still a device" test -c full
	rm -f full
else
	t_skip "a full device: the write error is an error" "mknod needs root"
fi
echo secret >"$T/elsewhere/target"
ln -s "$T/elsewhere/target" out.md
t_status "a link out of its directory is refused" 74 "$W/ward-report" --md out.md "$EV"
t_grep "the refusal names the link's target" "symbolic link to .*elsewhere/target, outside its directory" "$T/.out"
t_eq "the link's target is untouched" "$(cat "$T/elsewhere/target")" "secret"
t_ok "the link is still a link" test -L out.md
echo old >inner.md
ln -s inner.md link.md
"$W/ward-report" --md link.md "$EV" 2>/dev/null
t_ok "a link inside its directory stays a link" test -L link.md
t_eq "its target holds the report" "$(md5sum <inner.md)" "$(md5sum <"$T/r.md")"
t_eq "no temporary file is left" "$(ls | grep -c tmp)" "0"

# -v says what each input gave, by kind
"$W/ward-report" -v --md "$T/v.md" "$EV" 2>"$T/v.err"
t_grep "-v: events read per kind, per input" "debug: .*events\.ndjson: [0-9]+ events: [0-9]+ alerts, [0-9]+ actions, [0-9]+ series, [0-9]+ other" "$T/v.err"
t_grep "-v: and in total" "debug: read: [0-9]+ events: [1-9][0-9]* alerts" "$T/v.err"
"$W/ward-report" --md "$T/v.md" "$EV" 2>"$T/nv.err"
t_eq "without -v: no debug lines" "$(grep -c debug "$T/nv.err")" 0
