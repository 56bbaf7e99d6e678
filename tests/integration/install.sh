#!/usr/bin/env bash
# make install into a DESTDIR: the programs, man pages, rule packs (not their
# generators), pipelines that run from any directory, /etc/ward's ward.conf
# with absolute paths, and a systemd unit that systemd-analyze accepts.
. "$(dirname "$0")/../lib.sh"
D=$T/root
if ! make -s -C "$TOP" install DESTDIR="$D" PREFIX=/usr ${WARD_SAN:+SAN=1} >"$T/make.out" 2>&1; then
	t_fail "make install DESTDIR=... PREFIX=/usr" "$(tail -20 "$T/make.out")"
	exit 0
fi
t_pass "make install DESTDIR=... PREFIX=/usr"
for p in ingest match window sniff respond run report; do
	[ -x "$D/usr/bin/ward-$p" ] && [ -f "$D/usr/share/man/man1/ward-$p.1" ] ||
		t_fail "ward-$p and its man page installed"
done
t_ok "rule packs installed" test -f "$D/usr/share/ward/rules/ssh.yaml"
t_eq "no rule generator installed" "$(ls "$D/usr/share/ward/rules" | grep -v '\.yaml$')" ""
t_grep "/etc/ward/pipelines/ward.conf names the installed rules" '^RULES=/usr/share/ward/rules$' \
	"$D/etc/ward/pipelines/ward.conf"
t_grep "/etc/ward/pipelines/ward.conf names the installed samples" '^SAMPLES=/usr/share/ward/pipelines/samples$' \
	"$D/etc/ward/pipelines/ward.conf"

# An installed pipeline, run from elsewhere with no bin/ on PATH.
mkdir -p "$T/elsewhere" && cd "$T/elsewhere" || exit 1
P=$D/usr/share/ward/pipelines
env -i PATH=/usr/bin:/bin "$D/usr/bin/ward-run" "$P/detect.pipeline" "$P/samples/auth.log" \
	>"$T/alerts" 2>"$T/err"
t_eq "installed detect.pipeline runs from another directory" "$?" 0
t_grep "... and alerts" '"state":"firing"' "$T/alerts"
env -i PATH=/usr/bin:/bin "$D/usr/bin/ward-run" --print "$P/detect.pipeline" "$P/samples/auth.log" >"$T/print.sh"
t_grep "--print names the programs by absolute path" "^$D/usr/bin/ward-ingest " "$T/print.sh"
t_grep "--print names the rules by absolute path" "--rules $P/../rules" "$T/print.sh"
env -i PATH=/usr/bin:/bin bash "$T/print.sh" >"$T/alerts2" 2>/dev/null
t_eq "--print output runs in bash without bin/ on PATH, same alerts" \
	"$(grep -c '"state":"firing"' "$T/alerts2")" "$(grep -c '"state":"firing"' "$T/alerts")"
# the whole workshop pipeline (samples, rules, sniff, report) from elsewhere:
# the installed ward.conf writes its report in the working directory
env -i PATH=/usr/bin:/bin "$D/usr/bin/ward-run" "$P/soc.pipeline" >/dev/null 2>"$T/soc.err"
t_eq "installed soc.pipeline runs from another directory" "$?" 0
t_ok "... and writes its report there" test -s "$T/elsewhere/report.html"
cd "$TOP" || exit 1

U=$D/usr/lib/systemd/system/ward-run@.service
t_ok "ward-run@.service installed" test -f "$U"
t_grep "unit runs /etc/ward/pipelines/%i.pipeline" '^ExecStart=/usr/bin/ward-run /etc/ward/pipelines/%i.pipeline$' "$U"
for k in 'ProtectSystem=strict' 'NoNewPrivileges=yes' 'CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_RAW' \
	'StateDirectory=ward' 'ProtectHome=yes' 'PrivateTmp=yes'; do
	t_grep "unit: $k" "^$k" "$U"
done
if ! command -v systemd-analyze >/dev/null; then
	t_skip "systemd-analyze verify ward-run@.service" "systemd-analyze not installed (Debian package systemd)"
else
	# The unit names /usr/bin/ward-run; verify a copy naming the staged one.
	sed "s|/usr/bin/|$D/usr/bin/|" "$U" >"$T/ward-run@detect.service"
	if systemd-analyze verify --man=no "$T/ward-run@detect.service" >"$T/verify" 2>&1 && [ ! -s "$T/verify" ]; then
		t_pass "systemd-analyze verify ward-run@detect.service"
	elif grep -q 'Failed to\|System has not been booted' "$T/verify"; then
		t_skip "systemd-analyze verify ward-run@detect.service" "cannot run here: $(head -1 "$T/verify")"
	else
		t_fail "systemd-analyze verify ward-run@detect.service" "$(cat "$T/verify")"
	fi
fi
