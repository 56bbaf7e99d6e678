#!/usr/bin/env bash
# ward-match: line_format / label_format templates with range, with,
# variables and the date functions, over real ward-ingest output.
. "$(dirname "$0")/../lib.sh"

cat >"$T/app.log" <<'LOG'
{"user":"alice","src_ip":"198.18.0.7","queries":[{"query":"up","ms":12},{"query":"rate(x[5m])","ms":1500000}],"ts":"1679577215"}
{"user":"bob","src_ip":"192.0.2.5","queries":[],"ts":"1679577216123"}
not json at all
LOG
ingest() { "$W/ward-ingest" --label job=x "$T/app.log" 2>/dev/null; }
lines() { printf '%s\n' "$1" | grep -o '"line":"[^"]*"'; }

# range over the whole line: keys in Go's map order (sorted), nested values
# printed as Go prints them
out=$(ingest | "$W/ward-match" '{job="x"} | json | __error__="" | line_format "{{ range $k, $v := fromJson __line__ }}{{ if ne $k \"queries\" }}{{ $k }}={{ $v }} {{ end }}{{ end }}"' 2>"$T/err")
t_eq "range over fromJson __line__" "$(lines "$out")" '"line":"src_ip=198.18.0.7 ts=1679577215 user=alice "
"line":"src_ip=192.0.2.5 ts=1679577216123 user=bob "'

# Loki's documented use: one item per element of a JSON array label
out=$(ingest | "$W/ward-match" '{job="x"} | json queries="queries", user="user" | line_format `{{ .user }}:{{ range $i, $q := fromJson .queries }} {{ $i }}={{ $q.query }}/{{ $q.ms }}{{ else }} none{{ end }}`' 2>/dev/null)
t_eq "range over an array label, else when empty" "$(lines "$out" | head -2)" '"line":"alice: 0=up/12 1=rate(x[5m])/1.5e+06"
"line":"bob: none"'
t_grep "a line that is not JSON stays with __error__" '"__error__":"JSONParserErr"' <(printf '%s' "$out")

# with, variables, break, and the time functions in label_format
out=$(ingest | "$W/ward-match" '{job="x"} | json | __error__="" | label_format when=`{{ date "2006-01-02 15:04" (unixToTime .ts) }}`, first=`{{ $n := "" }}{{ range fromJson __line__ }}{{ $n = . }}{{ break }}{{ end }}{{ $n }}`, who=`{{ with .user }}{{ . | upper }}{{ end }}` | keep when, first, who' 2>/dev/null)
t_eq "label_format with date, variables, break, with" "$(printf '%s\n' "$out" | grep -o '"fields":{[^}]*}')" '"fields":{"when":"2023-03-23 13:13","first":"[map[ms:12 query:up] map[ms:1.5e+06 query:rate(x[5m])]]","who":"ALICE"}
"fields":{"when":"2023-03-23 13:13","first":"[]","who":"BOB"}'

# a hostile line: a huge array is bounded (TemplateFormatErr), the stream goes on
{
	printf '{"a":['
	for i in $(seq 1 70000); do printf '%s,' "$i"; done
	printf '0]}\n'
	printf '{"a":[1,2]}\n'
} >"$T/big.log"
out=$("$W/ward-ingest" --label job=x "$T/big.log" 2>/dev/null | "$W/ward-match" '{job="x"} | json a="a" | line_format "{{ range fromJson .a }}.{{ end }}"' 2>/dev/null)
t_grep "range over 70001 elements is a TemplateFormatErr" '"__error__":"TemplateFormatErr"' <(printf '%s' "$out")
t_eq "the next line is still formatted" "$(lines "$out" | tail -1)" '"line":".."'

# template syntax errors are query errors: exit 78
t_status "undefined variable exits 78" 78 "$W/ward-match" '{job="x"} | line_format "{{ $nope }}"'
t_status "break outside range exits 78" 78 "$W/ward-match" '{job="x"} | line_format "{{ break }}"'
