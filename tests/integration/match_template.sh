#!/usr/bin/env bash
# ward-match: line_format / label_format templates with range, with,
# variables and the date functions, over real ward-ingest output: a hostile
# line and template errors. The exact output of range over fromJson, range
# over an array label with else, and label_format with date, variables,
# break and with is in tests/cases/match/template_*.
. "$(dirname "$0")/../lib.sh"

lines() { printf '%s\n' "$1" | grep -o '"line":"[^"]*"'; }

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
