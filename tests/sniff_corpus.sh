#!/usr/bin/env bash
# tests/sniff_corpus.sh DIR PROGRAM - run ward-sniff (built with ASan+UBSan)
# over every pcap/pcapng file under DIR, in packet mode with --top and in
# summary mode. A file passes when the program exits 0 or 74 (a file libpcap
# cannot read), within 30 s, with no sanitizer report. `make corpus-check`.
set -u
dir=$1 prog=$2
if [ ! -d "$dir" ]; then
	echo "corpus-check: $dir absent, nothing to do"
	exit 0
fi
export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:exitcode=86
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=87
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 fail=0 unreadable=0
while IFS= read -r -d '' f; do
	n=$((n + 1))
	for mode in "--mode packet --top 3" "--mode summary --max-sources 4"; do
		rc=0
		# shellcheck disable=SC2086
		timeout 30 "$prog" -q --no-progress -r "$f" $mode >/dev/null 2>"$tmp/err" || rc=$?
		if grep -qE 'Sanitizer|runtime error' "$tmp/err" || { [ "$rc" != 0 ] && [ "$rc" != 74 ]; }; then
			fail=$((fail + 1))
			echo "FAIL: $f ($mode): exit $rc"
			grep -E 'ERROR|runtime error|SUMMARY' "$tmp/err" | head -5
		elif [ "$rc" = 74 ] && [ "$mode" = "--mode packet --top 3" ]; then
			unreadable=$((unreadable + 1))
		fi
	done
done < <(find "$dir" -type f \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' -o -name '*.trace' \) -print0 | sort -z)
echo "corpus-check: $n files, $fail failures, $unreadable rejected by libpcap (exit 74)"
[ "$fail" = 0 ]
