#!/usr/bin/env bash
# pipelines/lab.sh - what `make lab` runs (as root): the SOC workshop live.
#
# Two network namespaces joined by a veth pair, nothing else: a victim
# (192.0.2.1) running Debian's OpenSSH server and nginx from configurations in
# a temporary directory, and an "outside" holding four attackers and one
# bystander. The attackers brute-force SSH, send SQL injection and path
# traversal requests, and flood SYNs; pipelines/lab-soc.pipeline, run by
# ward-run inside the victim's namespace, follows the two logs, sniffs the
# victim's interface, bans through nftables in the victim's namespace and
# writes the incident report. The lab then proves that every attacker is
# blocked (new SSH and HTTP connections fail) while the bystander is not, and
# removes everything it created, also when it fails or is interrupted.
#
# Environment: WARD_LAB_BIN (directory of the ward-* programs, default bin),
# WARD_LAB_RULES (rule pack directory, default rules), OUT (report directory,
# default build/lab), WARD_LAB_KEEP=1 (keep the temporary directory),
# WARD_LAB_RUN_OPTS (more ward-run options, e.g. --no-validate).
# Exit status: 0 everything was detected, banned and blocked as expected;
# 1 an expectation failed; 69 a program is missing; 77 not root.
set -u
cd "$(dirname "$0")/.." || exit 70

say() { printf 'ward lab: %s\n' "$*"; }
. "$(dirname "$0")/lablib.sh"	# ssh_bruteforce
die() { printf 'ward lab: error: %s\n' "$1" >&2; exit "${2:-1}"; }

[ "$(id -u)" = 0 ] || die "needs root (network namespaces, nftables, sshd, nginx): run 'sudo make lab'" 77

BIN=${WARD_LAB_BIN:-bin}
[ -d "$BIN" ] || die "WARD_LAB_BIN: no directory $BIN" 69
BIN=$(cd "$BIN" && pwd)
RULES=${WARD_LAB_RULES:-rules}
OUT=${OUT:-build/lab}

# ---- what the lab needs ---------------------------------------------------
missing=""
for p in ip nft /usr/sbin/sshd ssh ssh-keygen sshpass /usr/sbin/nginx curl hping3 python3; do
	command -v "$p" >/dev/null 2>&1 || missing="$missing $p"
done
[ -z "$missing" ] || die "missing programs:$missing (make lab installs DEB_LAB)" 69
for s in run ingest match window sniff respond report; do
	[ -x "$BIN/ward-$s" ] || missing="$missing ward-$s"
done
[ -z "$missing" ] || die "not built in $BIN:$missing (set WARD_LAB_BIN to a directory holding every stage)" 69
"$BIN/ward-ingest" --help 2>&1 | grep -q -- '--follow' ||
	die "$BIN/ward-ingest has no --follow (it comes with the ingest branch)" 69
"$BIN/ward-respond" --help 2>&1 | grep -q -- '--netns' ||
	die "$BIN/ward-respond has no --netns" 69
[ -f "$RULES/web.yaml" ] || die "no rule pack at $RULES (set WARD_LAB_RULES)" 69

# ---- names and addresses --------------------------------------------------
# Documentation addresses (RFC 5737), only ever inside the two namespaces.
VICTIM_IP=192.0.2.1
ATK_SSH=192.0.2.10      # brute-forces SSH
ATK_SQLI=192.0.2.20     # SQL injection
ATK_TRAV=192.0.2.30     # path traversal
ATK_FLOOD=192.0.2.40    # SYN flood
BYSTANDER=192.0.2.50    # browses normally; must never be banned
ATTACKERS="$ATK_SSH $ATK_SQLI $ATK_TRAV $ATK_FLOOD"
NS_V=wardlab-victim-$$
NS_A=wardlab-outside-$$
IF_V=wlv$$
IF_A=wla$$

TMP=""
RUN_PID=""
MADE_RUN_SSHD=""

# ---- cleanup: everything created, in reverse, whatever happened -----------
stop_pid() {   # PID: TERM, then KILL after 5 s
	local pid=$1
	kill -TERM "$pid" 2>/dev/null || return 0
	for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
	kill -KILL "$pid" 2>/dev/null
}
cleanup() {
	local rc=$? ns pid
	trap - EXIT INT TERM HUP
	[ -n "$RUN_PID" ] && stop_pid "$RUN_PID"
	for ns in "$NS_V" "$NS_A"; do
		[ -e "/run/netns/$ns" ] || continue
		# Only processes inside the namespaces this run created.
		for pid in $(ip netns pids "$ns" 2>/dev/null); do stop_pid "$pid"; done
		ip netns del "$ns" 2>/dev/null   # takes the veth pair and the nftables table with it
	done
	[ -n "$MADE_RUN_SSHD" ] && rmdir /run/sshd 2>/dev/null
	if [ -n "$TMP" ] && [ -d "$TMP" ]; then
		if [ "${WARD_LAB_KEEP:-0}" = 1 ]; then say "kept $TMP"; else rm -rf "$TMP"; fi
	fi
	ip netns list 2>/dev/null | grep -q -e "^$NS_V" -e "^$NS_A" && printf 'ward lab: warning: a namespace is left over\n' >&2
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

in_v() { ip netns exec "$NS_V" "$@"; }
in_a() { ip netns exec "$NS_A" "$@"; }

# ---- the network ----------------------------------------------------------
TMP=$(mktemp -d /tmp/ward-lab.XXXXXX) || die "mktemp failed"
chmod 755 "$TMP"   # nginx's workers (www-data) read the document root in it
mkdir -p "$OUT" "$TMP/log" "$TMP/www"
rm -f "$OUT/report.md" "$OUT/report.html" "$OUT/events.ndjson" "$OUT/run.txt"

started=$(date +%s)
say "namespaces $NS_V ($VICTIM_IP) and $NS_A ($ATTACKERS $BYSTANDER), veth $IF_V/$IF_A"
ip netns add "$NS_V" && ip netns add "$NS_A" || die "ip netns add failed"
ip link add "$IF_V" netns "$NS_V" type veth peer name "$IF_A" netns "$NS_A" || die "veth failed"
in_v ip link set lo up && in_v ip addr add "$VICTIM_IP/24" dev "$IF_V" && in_v ip link set "$IF_V" up || die "victim address failed"
in_a ip link set lo up || die "outside lo failed"
for a in $ATTACKERS $BYSTANDER; do in_a ip addr add "$a/24" dev "$IF_A" || die "address $a failed"; done
in_a ip link set "$IF_A" up || die "outside link failed"

# ---- the victim's services ------------------------------------------------
ssh-keygen -q -t ed25519 -N '' -C ward-lab -f "$TMP/ssh_host_ed25519_key" || die "ssh-keygen failed"
sshd_config "ward lab: sshd in namespace $NS_V only" "$VICTIM_IP" "$TMP/ssh_host_ed25519_key" "$TMP/sshd.pid" >"$TMP/sshd_config"
if [ ! -d /run/sshd ]; then mkdir -m 755 /run/sshd && MADE_RUN_SSHD=1; fi   # sshd's privilege separation directory
: >"$TMP/log/sshd.log"
in_v /usr/sbin/sshd -f "$TMP/sshd_config" -E "$TMP/log/sshd.log" || die "sshd did not start (see $TMP/log/sshd.log)"

cat >"$TMP/nginx.conf" <<EOF
# ward lab: nginx in namespace $NS_V only
user www-data;
worker_processes 1;
pid $TMP/nginx.pid;
error_log $TMP/log/nginx-error.log;
events { worker_connections 256; }
http {
    access_log off;
    client_body_temp_path $TMP/body;
    proxy_temp_path $TMP/proxy;
    fastcgi_temp_path $TMP/fastcgi;
    uwsgi_temp_path $TMP/uwsgi;
    scgi_temp_path $TMP/scgi;
    # The JSON access log of the workshop (the rule pack's *Json rules).
    log_format ward_json escape=json '{"time_iso8601":"\$time_iso8601","remote_addr":"\$remote_addr",'
        '"remote_user":"\$remote_user","request_method":"\$request_method","request_uri":"\$request_uri",'
        '"server_protocol":"\$server_protocol","status":\$status,"body_bytes_sent":\$body_bytes_sent,'
        '"request_time":\$request_time,"http_referer":"\$http_referer",'
        '"http_user_agent":"\$http_user_agent","host":"\$host"}';
    server {
        listen $VICTIM_IP:80;
        server_name shop.example.com;
        root $TMP/www;
        access_log $TMP/log/access.log ward_json;
    }
}
EOF
echo '<html><body>ward lab shop</body></html>' >"$TMP/www/index.html"
: >"$TMP/log/access.log"
in_v /usr/sbin/nginx -c "$TMP/nginx.conf" -p "$TMP" -e "$TMP/log/nginx-error.log" 2>"$TMP/log/nginx-start.log" ||
	die "nginx did not start: $(cat "$TMP/log/nginx-start.log")"

wait_for() {   # TENTHS DESCRIPTION COMMAND...: poll until COMMAND succeeds
	local tenths=$1 what=$2
	shift 2
	for _ in $(seq "$tenths"); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
	die "timed out waiting for $what"
}
listening() { in_v ss -Hltn "sport = :$1" | grep -q .; }
wait_for 50 "sshd on port 22" listening 22
wait_for 50 "nginx on port 80" listening 80

# ---- probes: does a new SSH / HTTP connection from ADDR get an answer? ---
# Every client runs under `timeout`: a ban that lands in the middle of a
# connection drops the rest of it, and ssh's ConnectTimeout covers only the
# TCP connect, so without a bound the client would wait until the ban ends.
ssh_probe() {   # ADDR -> "answered" (the server spoke SSH) or "blocked"
	local err rc
	err=$(in_a timeout 6 ssh -b "$1" -o BatchMode=yes -o ConnectTimeout=2 -o StrictHostKeyChecking=no \
		-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR probe@"$VICTIM_IP" true 2>&1)
	rc=$?
	case $rc:$err in
	*"Permission denied"*) echo answered ;;
	124:* | *"timed out"*) echo blocked ;;
	*) echo "error(status $rc: ${err//$'\n'/ })" ;;
	esac
}
http_probe() {   # ADDR -> HTTP status, or 000 when no connection
	in_a curl -s -o /dev/null -w '%{http_code}' --interface "$1" -m 2 "http://$VICTIM_IP/" 2>/dev/null
}
probe_all() {   # PHASE: one line per address
	local a
	for a in $ATTACKERS $BYSTANDER; do
		printf '%s %s ssh=%s http=%s\n' "$1" "$a" "$(ssh_probe "$a")" "$(http_probe "$a")"
	done
}

say "before the attacks, new connections from each address:"
probe_all before | tee "$TMP/probe.txt" | sed 's/^/  /'

# ---- the pipeline -----------------------------------------------------------
STATE=$TMP/respond.journal
say "starting pipelines/lab-soc.pipeline in $NS_V ($BIN/ward-run)"
# WARD_LAB_RUN_OPTS: more ward-run options (e.g. --no-validate, --verbose); not quoted: split on spaces.
# shellcheck disable=SC2086
# Not through in_v: $! must be ward-run itself (ip netns exec execs it), not a subshell.
ip netns exec "$NS_V" "$BIN/ward-run" --table --grace 3s ${WARD_LAB_RUN_OPTS:-} \
	--set SSHD_LOG="$TMP/log/sshd.log" --set NGINX_LOG="$TMP/log/access.log" \
	--set LAB_IF="$IF_V" --set LAB_NS="$NS_V" --set RULES="$RULES" --set OUT="$OUT" \
	--set ALLOW="$VICTIM_IP/32" --set STATE="$STATE" \
	pipelines/lab-soc.pipeline </dev/null >"$TMP/run.out" 2>"$OUT/run.txt" &
RUN_PID=$!
pipeline_ready() {
	kill -0 "$RUN_PID" || return 2
	grep -q 'capturing on' "$OUT/run.txt" && in_v nft list table inet ward
}
for _ in $(seq 300); do
	pipeline_ready >/dev/null 2>&1 && break
	kill -0 "$RUN_PID" 2>/dev/null || { sed 's/^/  /' "$OUT/run.txt" >&2; die "the pipeline stopped before the attacks"; }
	sleep 0.1
done
pipeline_ready >/dev/null 2>&1 || die "the pipeline did not get ready in 30 s (see $OUT/run.txt)"
say "pipeline ready (capture open, nftables table inet ward in $NS_V)"

# ---- the attacks ------------------------------------------------------------
# Bystander traffic among the attacks: plain browsing.
for page in / /index.html /products /about; do
	in_a curl -s -o /dev/null --interface "$BYSTANDER" -m 2 "http://$VICTIM_IP$page"
done

ssh_bruteforce "$ATK_SSH" "$VICTIM_IP"

web_attack() {   # NAME ADDR URI...: one request every 0.3 s until one gets no connection
	local name=$1 addr=$2 code sent=0 answered=0 blocked=0
	shift 2
	for uri in "$@"; do
		sent=$((sent + 1))
		code=$(in_a curl -s -o /dev/null -w '%{http_code}' --path-as-is --interface "$addr" -m 2 \
			-A 'Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0' "http://$VICTIM_IP$uri")
		if [ "$code" = 000 ]; then blocked=$((blocked + 1)); break; fi
		answered=$((answered + 1))
		sleep 0.3
	done
	say "  $name from $addr: $sent requests, $answered answered by nginx, $blocked without connection (banned)"
	printf '%s %s %s %s\n' "$name" "$sent" "$answered" "$blocked" >>"$TMP/web.txt"
}
say "web attacks"
web_attack "SQL injection" "$ATK_SQLI" \
	"/products?id=1%27%20OR%20%271%27%3D%271" \
	"/login?user=admin%27--&pass=x" \
	"/products?id=-1+union+all+select+1,2,group_concat(table_name)+from+information_schema.tables--" \
	"/products?id=1%27%20AND%20sleep%285%29%23" \
	"/search?q=1%27%20OR%201%3D1--" \
	"/api/v1/items?page=1;DROP%20TABLE%20users--" \
	"/products?id=1%2527%2520OR%25201%253D1" \
	"/products?id=1%20UnIoN/**/SeLeCt%20username,password%20FROM%20users" \
	"/products?id=2%27%20OR%20%27a%27%3D%27a" \
	"/products?id=3%27%20OR%20%27x%27%3D%27x"
web_attack "path traversal" "$ATK_TRAV" \
	"/static/../../../../etc/passwd" \
	"/download?file=..%2f..%2f..%2f..%2fetc%2fpasswd" \
	"/%2e%2e/%2e%2e/%2e%2e/etc/passwd" \
	"/download?file=....//....//....//etc/passwd" \
	"/index.php?page=php://filter/convert.base64-encode/resource=index.php" \
	"/download?file=../../../../etc/shadow" \
	"/static/..%252f..%252f..%252f..%252fetc/passwd" \
	"/download?file=..%5c..%5c..%5cwindows%5cwin.ini" \
	"/download?file=../../../../proc/self/environ" \
	"/download?file=../../../../etc/hosts"

say "SYN flood from $ATK_FLOOD to port 80 (3000 SYNs at 1000/s)"
in_a timeout 20 hping3 -q -S -p 80 -I "$IF_A" -a "$ATK_FLOOD" -i u1000 -c 3000 "$VICTIM_IP" >"$TMP/hping3.txt" 2>&1
flood_sent=$(grep -o '^[0-9]* packets transmitted' "$TMP/hping3.txt" | grep -o '^[0-9]*')
flood_answered=$(grep -o '[0-9]* packets received' "$TMP/hping3.txt" | grep -o '^[0-9]*')
say "  hping3: ${flood_sent:-?} SYNs sent, ${flood_answered:-?} answered by the victim"

# ---- the bans ---------------------------------------------------------------
banned() { in_v nft list set inet ward ban4 2>/dev/null | grep -qw -- "$1"; }
all_banned() { local a; for a in $ATTACKERS; do banned "$a" || return 1; done; }
for _ in $(seq 150); do all_banned && break; sleep 0.1; done
say "nftables in $NS_V (set inet ward ban4):"
in_v nft list set inet ward ban4 2>&1 | grep -E 'elements|[0-9]+\.[0-9]+\.' | sed 's/^[[:space:]]*/  /'

say "after the attacks, new connections from each address:"
probe_all after | tee -a "$TMP/probe.txt" | sed 's/^/  /'

# ---- stop the pipeline: it drains and ward-report writes the report --------
kill -TERM "$RUN_PID" 2>/dev/null
for _ in $(seq 150); do kill -0 "$RUN_PID" 2>/dev/null || break; sleep 0.1; done
wait "$RUN_PID"
run_status=$?
RUN_PID=""
grep -v '^{' "$OUT/run.txt" | grep -v ': info: ' | sed 's/^/  /'

# ---- verdict ------------------------------------------------------------------
BYSTANDER="$BYSTANDER" ATTACKERS="$ATTACKERS" RUN_STATUS="$run_status" \
SSH_TRIES="$ssh_tries" SSH_REJECTED="$ssh_rejected" SSH_BLOCKED="$ssh_blocked" \
ELAPSED=$(( $(date +%s) - started )) \
python3 - "$OUT/events.ndjson" "$TMP/probe.txt" "$OUT/report.html" <<'EOF'
import json, os, sys
events_path, probe_path, html = sys.argv[1:4]
attackers = os.environ["ATTACKERS"].split()
bystander = os.environ["BYSTANDER"]
expect = dict(zip(attackers, ["SSHBruteForce", "WebSQLInjection", "WebPathTraversal", "SYNFlood"]))
firing, bans, other_actions = {}, {}, 0
try:
    with open(events_path) as f:
        for line in f:
            try:
                e = json.loads(line)
            except ValueError:
                continue
            a, act = e.get("alert"), e.get("action")
            if a and a.get("state", "firing") == "firing":
                src = a.get("key", {}).get("src_ip", "")
                firing.setdefault((a.get("rule"), src), 0)
                firing[(a.get("rule"), src)] += 1
            elif act and act.get("kind") == "ban":
                bans.setdefault(act.get("target"), []).append(act.get("rule"))
            elif act:
                other_actions += 1
except OSError as err:
    print(f"ward lab: no events: {err}")
probes = {}
with open(probe_path) as f:
    for line in f:
        phase, addr, ssh, http = line.split()
        probes[(phase, addr)] = (ssh.split("=", 1)[1], http.split("=", 1)[1])

failures = []
print(f"ward lab: firing alerts: {sum(firing.values())}")
for (rule, src), n in sorted(firing.items()):
    print(f"  {rule} {src}: {n}")
print(f"ward lab: bans: {sum(len(v) for v in bans.values())} (other actions: {other_actions})")
for target, rules in sorted(bans.items()):
    print(f"  {target}: {', '.join(rules)}")
for addr, rule in expect.items():
    if (rule, addr) not in firing:
        failures.append(f"no {rule} alert for {addr}")
    if addr not in bans:
        failures.append(f"{addr} was not banned")
    if probes.get(("before", addr)) != ("answered", "200"):
        failures.append(f"{addr} could not connect before the attacks: {probes.get(('before', addr))}")
    if probes.get(("after", addr)) != ("blocked", "000"):
        failures.append(f"{addr} is not blocked after its ban: {probes.get(('after', addr))}")
if bystander in bans or any(src == bystander for _, src in firing):
    failures.append(f"the bystander {bystander} was alerted on or banned")
for phase in ("before", "after"):
    if probes.get((phase, bystander)) != ("answered", "200"):
        failures.append(f"the bystander cannot connect {phase}: {probes.get((phase, bystander))}")
if int(os.environ["SSH_REJECTED"]) <= 5:
    failures.append("sshd answered 5 wrong passwords or fewer: the brute force did not cross the threshold")
if os.environ["RUN_STATUS"] != "0":
    failures.append(f"ward-run exited with status {os.environ['RUN_STATUS']}")
if not os.path.exists(html) or os.path.getsize(html) == 0:
    failures.append(f"no report at {html}")
for f in failures:
    print(f"ward lab: FAIL: {f}")
if failures:
    sys.exit(1)
print(f"ward lab: PASS: {len(expect)} attackers detected, banned and blocked; the bystander still connects "
      f"({os.environ['ELAPSED']} s)")
EOF
verdict=$?
say "report: $OUT/report.html (and $OUT/report.md); alerts and actions: $OUT/events.ndjson; stages: $OUT/run.txt"
exit "$verdict"
