#!/usr/bin/env bash
# pipelines/lab-docker.sh - what `make lab-docker` runs (as root): the
# workshop's docker-compose setup automated, Module 5 for real.
#
# A private dockerd (Debian docker.io: vfs storage, no iptables, no bridge,
# everything under a temporary directory) runs a victim container built from
# the host, as no registry is needed: busybox-static, Debian's sshd and the
# host's iptables with their libraries, loaded with `docker import`, started
# with --network none --cap-add NET_ADMIN. One veth pair joins the container's
# network namespace to an "outside" namespace holding an attacker and a
# bystander. The attacker brute-forces SSH; pipelines/lab-docker.pipeline
# (ward-run, on the host) follows the container's json-file log, counts the
# failed passwords and bans the attacker with ward-respond --backend docker:
# iptables inside the container, through the Engine API. The lab then proves
# the attacker is cut off and the bystander is not, writes the report and
# removes everything it created, also when it fails or is interrupted.
#
# Environment: WARD_LAB_BIN (directory of the ward-* programs, default bin),
# OUT (report directory, default build/lab-docker), WARD_LAB_KEEP=1 (keep the
# temporary directory), WARD_LAB_RUN_OPTS (more ward-run options).
# Exit status: 0 detected, banned and blocked as expected; 1 an expectation
# failed; 69 a program is missing or dockerd cannot start; 77 not root.
set -u
cd "$(dirname "$0")/.." || exit 70

say() { printf 'ward lab-docker: %s\n' "$*"; }
. "$(dirname "$0")/lablib.sh"	# ssh_bruteforce
die() { printf 'ward lab-docker: error: %s\n' "$1" >&2; exit "${2:-1}"; }

[ "$(id -u)" = 0 ] || die "needs root (dockerd, network namespaces): run 'sudo make lab-docker'" 77

BIN=${WARD_LAB_BIN:-bin}
[ -d "$BIN" ] || die "WARD_LAB_BIN: no directory $BIN" 69
BIN=$(cd "$BIN" && pwd)
OUT=${OUT:-build/lab-docker}

missing=""
for p in ip nsenter dockerd busybox /usr/sbin/sshd ssh ssh-keygen sshpass iptables python3; do
	command -v "$p" >/dev/null 2>&1 || missing="$missing $p"
done
[ -z "$missing" ] || die "missing programs:$missing (make lab-docker installs DEB_LAB_DOCKER)" 69
for s in run ingest match window respond report; do
	[ -x "$BIN/ward-$s" ] || missing="$missing ward-$s"
done
[ -z "$missing" ] || die "not built in $BIN:$missing" 69
DOCKER_CLI=/usr/bin/docker   # Debian's client, matching its engine
[ -x "$DOCKER_CLI" ] || DOCKER_CLI=$(command -v docker) || die "no docker client" 69
BUSYBOX=$(command -v busybox)
env -u LD_PRELOAD ldd "$BUSYBOX" >/dev/null 2>&1 && die "$BUSYBOX is not static (install busybox-static)" 69

# Documentation addresses (RFC 5737), only inside the container and the
# outside namespace: no route, no NAT, no link to the host's network.
VICTIM_IP=192.0.2.1
ATTACKER=192.0.2.10
BYSTANDER=192.0.2.50
NS_A=wardlabd-outside-$$
IF_C=wldc$$ IF_A=wlda$$
C=ward-lab-victim-$$
CG=ward-lab-docker-$$
TMP="" DPID="" RUN_PID=""

stop_pid() {   # PID: TERM, then KILL after 5 s
	local pid=$1
	kill -TERM "$pid" 2>/dev/null || return 0
	for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
	kill -KILL "$pid" 2>/dev/null
}
dk() { "$DOCKER_CLI" -H "unix://$TMP/docker.sock" "$@"; }
cleanup() {
	local rc=$? pid
	trap - EXIT INT TERM HUP
	[ -n "$RUN_PID" ] && stop_pid "$RUN_PID"
	if [ -n "$DPID" ]; then
		dk rm -f "$C" >/dev/null 2>&1
		stop_pid "$DPID"
		wait "$DPID" 2>/dev/null
	fi
	if [ -e "/run/netns/$NS_A" ]; then
		for pid in $(ip netns pids "$NS_A" 2>/dev/null); do stop_pid "$pid"; done
		ip netns del "$NS_A" 2>/dev/null
	fi
	if [ -n "$TMP" ] && [ -d "$TMP" ]; then
		grep -F " $TMP/" /proc/mounts | awk '{print $2}' | sort -r | xargs -r -n1 umount -l
		if [ "${WARD_LAB_KEEP:-0}" = 1 ]; then say "kept $TMP"; else rm -rf "$TMP"; fi
	fi
	rmdir /sys/fs/cgroup/*/"$CG" 2>/dev/null
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

TMP=$(mktemp -d /tmp/ward-lab-docker.XXXXXX) || die "mktemp failed"
mkdir -p "$OUT"
rm -f "$OUT/report.md" "$OUT/report.html" "$OUT/events.ndjson" "$OUT/run.txt"
started=$(date +%s)

# ---- the engine -----------------------------------------------------------------
say "starting dockerd (data root, exec root and socket in $TMP)"
echo '{}' >"$TMP/daemon.json"
dockerd --config-file "$TMP/daemon.json" --storage-driver=vfs --iptables=false --ip6tables=false \
	--bridge=none --ip-forward=false --ip-masq=false --cgroup-parent "/$CG" \
	--data-root "$TMP/data" --exec-root "$TMP/exec" --pidfile "$TMP/dockerd.pid" \
	-H "unix://$TMP/docker.sock" >"$TMP/dockerd.log" 2>&1 &
DPID=$!
for _ in $(seq 200); do
	dk version >/dev/null 2>&1 && break
	kill -0 "$DPID" 2>/dev/null || break
	sleep 0.1
done
dk version >/dev/null 2>&1 ||
	die "dockerd did not start: $(grep -m1 -E 'level=(fatal|error)|failed' "$TMP/dockerd.log")" 69

# ---- the victim image: busybox, sshd, iptables, from the host ---------------------
R=$TMP/rootfs
mkdir -p "$R"/{bin,usr/sbin,etc/ssh,run/sshd,var/empty,tmp,proc,sys,dev,root}
chmod 755 "$R/run/sshd"
chmod 1777 "$R/tmp"
cp "$BUSYBOX" "$R/bin/busybox"
for a in sh cat ls sleep; do ln -s busybox "$R/bin/$a"; done
copy_with_libs() {   # BINARY: into the root file system, with what ldd lists
	local bin lib
	bin=$(readlink -f "$1")
	mkdir -p "$R$(dirname "$1")" && cp "$bin" "$R$1"
	for lib in $(env -u LD_PRELOAD ldd "$bin" | grep -o '/[^ ]*'); do
		[ -e "$R$lib" ] || { mkdir -p "$R$(dirname "$lib")" && cp -L "$lib" "$R$lib"; }
	done
}
copy_with_libs /usr/sbin/sshd
IPT=$(readlink -f "$(command -v iptables)")
copy_with_libs "$IPT"
ln -s "$(basename "$IPT")" "$R/usr/sbin/iptables"
# iptables' extensions are dlopen'ed: ldd does not list them.
for d in /usr/lib/x86_64-linux-gnu/xtables /usr/lib/xtables; do
	[ -d "$d" ] && mkdir -p "$R$d" && cp -r "$d/." "$R$d/" && break
done
cat >"$R/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
sshd:x:100:65534::/run/sshd:/bin/false
admin:x:1000:1000:shop admin:/tmp:/bin/sh
EOF
# admin's password is 32 random bytes nobody knows: every guess fails.
hash=$(python3 -c 'import crypt,secrets; print(crypt.crypt(secrets.token_hex(16), crypt.mksalt(crypt.METHOD_SHA512)))' 2>/dev/null) ||
	hash='*'
printf 'root:*:19000:0:99999:7:::\nsshd:*:19000:0:99999:7:::\nadmin:%s:19000:0:99999:7:::\n' "$hash" >"$R/etc/shadow"
chmod 600 "$R/etc/shadow"
printf 'root:x:0:\nnogroup:x:65534:\nadmin:x:1000:\n' >"$R/etc/group"
printf 'passwd: files\ngroup: files\nshadow: files\n' >"$R/etc/nsswitch.conf"
ssh-keygen -q -t ed25519 -N '' -C ward-lab-docker -f "$R/etc/ssh/ssh_host_ed25519_key" || die "ssh-keygen failed"
sshd_config "ward lab-docker: sshd in the victim container, logging to stderr (-e)" "$VICTIM_IP" /etc/ssh/ssh_host_ed25519_key \
	>"$R/etc/ssh/sshd_config"
IMG=ward-lab-victim:$$
tar -C "$R" -c . | dk import - "$IMG" >/dev/null || die "docker import failed"
say "victim image $IMG built from the host ($(du -sh "$R" | cut -f1)): busybox, sshd, $(basename "$IPT")"
# sshd needs its address to listen on: the container waits for the network
# the lab plugs in, then runs sshd in the foreground.
dk run -d --name "$C" --network none --cap-add NET_ADMIN "$IMG" /bin/sh -c \
	"while ! busybox ip addr show | busybox grep -q '$VICTIM_IP/'; do sleep 0.1; done; exec /usr/sbin/sshd -D -e" \
	>/dev/null || die "the victim container did not start: $(tail -3 "$TMP/dockerd.log")"
CPID=$(dk inspect -f '{{.State.Pid}}' "$C")
LOG=$(dk inspect -f '{{.LogPath}}' "$C")
say "victim container $C (pid $CPID, --network none, NET_ADMIN), log $LOG"

# ---- the network ---------------------------------------------------------------
in_c() { nsenter -t "$CPID" -n "$@"; }
in_a() { ip netns exec "$NS_A" "$@"; }
ip netns add "$NS_A" || die "ip netns add failed"
ip link add "$IF_C" type veth peer name "$IF_A" netns "$NS_A" || die "veth failed"
ip link set "$IF_C" netns "$CPID" || die "moving the veth into the container failed"
in_c ip link set lo up && in_c ip addr add "$VICTIM_IP/24" dev "$IF_C" && in_c ip link set "$IF_C" up ||
	die "container address failed"
in_a ip link set lo up && in_a ip addr add "$ATTACKER/24" dev "$IF_A" && in_a ip addr add "$BYSTANDER/24" dev "$IF_A" &&
	in_a ip link set "$IF_A" up || die "outside addresses failed"
say "outside namespace $NS_A: attacker $ATTACKER, bystander $BYSTANDER; the container is $VICTIM_IP"
listening() { in_a timeout 2 bash -c "exec 3<>/dev/tcp/$VICTIM_IP/22" 2>/dev/null; }
for _ in $(seq 100); do listening && break; sleep 0.1; done
listening || die "sshd in the container does not answer on $VICTIM_IP:22 ($(dk logs "$C" 2>&1 | tail -2))"

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
before_atk=$(ssh_probe "$ATTACKER") before_by=$(ssh_probe "$BYSTANDER")
say "before: attacker ssh=$before_atk, bystander ssh=$before_by"

# ---- the pipeline ---------------------------------------------------------------
say "starting pipelines/lab-docker.pipeline ($BIN/ward-run)"
# shellcheck disable=SC2086
"$BIN/ward-run" --table --grace 3s ${WARD_LAB_RUN_OPTS:-} \
	--set LOG="$LOG" --set CONTAINER="$C" --set DOCKER_SOCK="$TMP/docker.sock" \
	--set STATE="$TMP/respond.journal" --set ALLOW="$VICTIM_IP/32" --set OUT="$OUT" \
	pipelines/lab-docker.pipeline </dev/null >"$TMP/run.out" 2>"$OUT/run.txt" &
RUN_PID=$!
sleep 1
kill -0 "$RUN_PID" 2>/dev/null || { sed 's/^/  /' "$OUT/run.txt" >&2; die "the pipeline stopped before the attack"; }

# ---- the attack -----------------------------------------------------------------
ssh_bruteforce "$ATTACKER" "$VICTIM_IP"

say "iptables INPUT inside the container (docker exec $C iptables -S INPUT):"
dk exec "$C" iptables -S INPUT 2>&1 | sed 's/^/  /' | tee "$TMP/iptables.txt"
after_atk=$(ssh_probe "$ATTACKER") after_by=$(ssh_probe "$BYSTANDER")
say "after: attacker ssh=$after_atk, bystander ssh=$after_by"

# ---- stop the pipeline: it drains and ward-report writes the report --------------
kill -TERM "$RUN_PID" 2>/dev/null
for _ in $(seq 150); do kill -0 "$RUN_PID" 2>/dev/null || break; sleep 0.1; done
wait "$RUN_PID"
run_status=$?
RUN_PID=""
grep -v '^{' "$OUT/run.txt" | grep -v ': info: ' | sed 's/^/  /'

# ---- verdict -------------------------------------------------------------------------
fail=0
check() {   # DESCRIPTION COMMAND...
	local what=$1
	shift
	if "$@" >/dev/null 2>&1; then say "ok: $what"; else say "FAIL: $what"; fail=1; fi
}
EV=$OUT/events.ndjson
check "the attacker could connect before" test "$before_atk" = answered
check "the bystander could connect before" test "$before_by" = answered
check "sshd answered more than 5 wrong passwords" test "$ssh_rejected" -gt 5
check "SSHBruteForce fired for $ATTACKER" \
	grep -qE "\"rule\":\"SSHBruteForce\".*\"state\":\"firing\".*\"src_ip\":\"${ATTACKER//./\\.}\"" "$EV"
check "ward-respond banned $ATTACKER through the docker backend" \
	grep -qE "\"kind\":\"ban\",\"target\":\"${ATTACKER//./\\.}\",\"backend\":\"docker\".*\"result\":\"applied\"" "$EV"
check "the DROP rule is in the container's iptables" grep -q -- "-s $ATTACKER/32 -j DROP" "$TMP/iptables.txt"
check "the attacker is blocked after" test "$after_atk" = blocked
check "the bystander still connects after" test "$after_by" = answered
check "the bystander was never alerted on or banned" bash -c "! grep -q '\"$BYSTANDER\"' '$EV'"
check "ward-run exited 0" test "$run_status" = 0
check "the report exists" test -s "$OUT/report.html"
say "report: $OUT/report.html (and report.md); alerts and actions: $EV; stages: $OUT/run.txt"
if [ "$fail" = 0 ]; then
	say "PASS: attacker detected from the container's log and banned inside the container; bystander unaffected ($(( $(date +%s) - started )) s)"
fi
exit "$fail"
