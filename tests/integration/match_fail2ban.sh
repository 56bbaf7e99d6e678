#!/usr/bin/env bash
# ward-match --fail2ban: the shipped fail2ban filters over fail2ban's own
# sample logs (Debian's fail2ban package, a DEB_TEST dependency), compared
# line by line with their `# failJSON` expectations; plus the event shape,
# filter options, refusals and exit 78.
. "$(dirname "$0")/../lib.sh"
cd "$TOP" || exit 1
M="$W/ward-match"
FD=/etc/fail2ban/filter.d
LOGS=/usr/lib/python3/dist-packages/fail2ban/tests/files/logs
if [ ! -d "$FD" ] || [ ! -d "$LOGS" ]; then
	t_skip "fail2ban samples" "fail2ban is not installed"
	exit 0
fi

# conformance: per-filter agreement; the floor is what ward reaches today
# (docs/fail2ban.md): a regression below it fails
t_ok "shipped filters agree with failJSON: match, host (>= 98%), time (>= 98%), >= 85 filters load" \
	python3 tests/conformance/f2b_samples.py --bin "$W" --min-agree 0.98 --min-loaded 85

# the event: rule f2b:NAME, src_ip, user, the line's date as the event time
ev='{"v":1,"ts":"2026-03-01T00:00:00Z","labels":{"job":"t"},"line":"Feb 25 14:34:10 srv sshd[7172]: Failed password for invalid user admin from 198.51.100.7 port 4242 ssh2"}'
echo "$ev" | "$M" -q --fail2ban "$FD/sshd.conf" >"$T/out"
t_grep "rule is f2b:sshd" '"rule":"f2b:sshd"' "$T/out"
t_grep "src_ip from <HOST>" '"src_ip":"198.51.100.7"' "$T/out"
t_grep "user from <F-USER>" '"user":"admin"' "$T/out"
t_grep "time from the syslog date" '"ts":"2026-02-25T14:34:10' "$T/out"

# ward-window counts the failures like a jail (maxretry 5, findtime 10m):
# five failures of one address within 10 minutes fire one alert naming it,
# four of another do not
: >"$T/in"
for i in 0 1 2 3 4; do
	printf '{"v":1,"ts":"2026-03-01T00:00:00Z","labels":{},"line":"Feb 25 14:3%d:10 srv sshd[7%d]: Failed password for root from 198.51.100.7 port 4242 ssh2"}\n' "$i" "$i" >>"$T/in"
	[ "$i" -lt 4 ] && printf '{"v":1,"ts":"2026-03-01T00:00:00Z","labels":{},"line":"Feb 25 14:3%d:20 srv sshd[8%d]: Invalid user a%d from 203.0.113.9 port 1 ssh2"}\n' "$i" "$i" "$i" >>"$T/in"
done
"$M" -q --fail2ban "$FD/sshd.conf" <"$T/in" | "$W/ward-window" -q --by src_ip --range 10m --threshold '>= 5' >"$T/out"
t_eq "window: one firing alert" "1" "$(grep -c '"state":"firing"' "$T/out")"
t_grep "window: it names the source" '"key":\{"src_ip":"198.51.100.7"\}' "$T/out"

# a host name never becomes src_ip
ev='{"v":1,"labels":{},"line":"Feb 25 14:34:10 srv sshd[7172]: refused connect from evil.example (evil.example)"}'
echo "$ev" | "$M" -q --fail2ban "$FD/sshd.conf" >"$T/out"
t_grep "a DNS name is f2b_id" '"f2b_id":"evil.example"' "$T/out"
if grep -q src_ip "$T/out"; then t_fail "a DNS name is not src_ip" "$(cat "$T/out")"; else t_pass "a DNS name is not src_ip"; fi

# filter options: sshd[mode=aggressive] matches what normal mode does not
ev='{"v":1,"labels":{},"line":"Feb 25 14:34:10 srv sshd[7172]: Did not receive identification string from 198.51.100.9"}'
echo "$ev" | "$M" -q --fail2ban "$FD/sshd.conf" >"$T/out"
t_eq "normal mode: no match" "" "$(cat "$T/out")"
echo "$ev" | "$M" -q --fail2ban "$FD/sshd.conf[mode=aggressive]" >"$T/out"
t_grep "aggressive mode matches" '"src_ip":"198.51.100.9"' "$T/out"
(cd "$T" && echo "$ev" | "$M" -q --fail2ban 'sshd[mode=aggressive]') >"$T/out"
t_grep "a bare name is a filter of /etc/fail2ban/filter.d" '"rule":"f2b:sshd\[mode=aggressive\]"' "$T/out"

# a construct that cannot be translated refuses the filter: file, line, reason, 78
mkdir -p "$T/fd"
printf '[Definition]\nfailregex = ^x (?P>n) <HOST>$\n' >"$T/fd/bad.conf"
t_status "untranslatable regex: exit 78" 78 "$M" --fail2ban "$T/fd/bad.conf" --explain
"$M" --fail2ban "$T/fd/bad.conf" --explain 2>"$T/err" >/dev/null
t_grep "refusal names file and line" 'bad.conf:2: failregex 1: \(\?P> is PCRE-only' "$T/err"

# includes, .local override, %(x)s interpolation, <tag> substitution
printf '[DEFAULT]\n_daemon = foo\n[Definition]\n__p = ^%%(_daemon)s:\n' >"$T/fd/inc.conf"
printf '[INCLUDES]\nbefore = inc.conf\n[Definition]\nword = bad\nfailregex = %%(__p)s <word> login from <HOST>$\n' >"$T/fd/mine.conf"
printf '[Definition]\nword = failed\n' >"$T/fd/mine.local"
echo '{"v":1,"labels":{},"line":"foo: failed login from 192.0.2.1"}' | "$M" -q --fail2ban "$T/fd/mine.conf" >"$T/out"
t_grep "include + .local + interpolation + tags" '"rule":"f2b:mine"' "$T/out"
t_grep "the .local value wins" '"src_ip":"192.0.2.1"' "$T/out"

# a match stopped by --match-limit is no match, counted and reported
long=$(printf 'a%.0s' $(seq 3000))
echo "{\"line\":\"Feb 25 14:34:10 srv sshd[1]: Invalid user $long from 192.0.2.5\"}" |
	"$M" --match-limit 1000 --fail2ban "$FD/sshd.conf" >"$T/out" 2>"$T/err"
t_grep "match limit: counted" '"regex_limit_hits":[1-9]' "$T/err"
t_eq "match limit: no match" "" "$(cat "$T/out")"

# --fail2ban runs alone; a directory loads every filter that has a failregex
t_status "--fail2ban with a QUERY: usage error" 64 "$M" --fail2ban "$FD/sshd.conf" '{job="x"}'
"$M" --fail2ban "$FD" --explain >"$T/out" 2>"$T/err"
t_grep "filter.d: the shipped filters load" 'fail2ban: (8[5-9]|9[0-9]) filters loaded' "$T/err"
t_cleanup
