#!/usr/bin/env bash
# ward-respond --backend docker against a real Docker Engine (Debian's
# docker.io): the workshop's Module 5, iptables run inside the victim
# container through the Engine API.
#
# The test starts its own dockerd (vfs storage, no iptables, no bridge, its
# own data root, exec root, pid file, socket and cgroup parent under $T) and
# builds the victim image from the host, as no registry is reachable: a root
# file system with busybox-static and the host's iptables binary, its
# libraries (ldd) and extensions, loaded with `docker import`. The victim
# runs with --network none --cap-add NET_ADMIN and busybox httpd on 8080; one
# veth pair joins it to an attacker namespace, a second one to a bystander
# namespace (198.18.236.0/24 and 198.18.237.0/24, inside these namespaces
# only). Checked: the attacker is cut off and the bystander is not; the rule
# goes at expiry; while the container is down ward-respond keeps running and
# reports errors; after it is started again (fresh network namespace, empty
# iptables) the ban still in force is applied again by itself (source
# "resync"); after ward-respond stopped and `docker restart`, a new
# ward-respond with the same --state journal applies it again at its start
# (source "restore") and removes it at its expiry.
. "$(dirname "$0")/../lib.sh"
t_need_root || exit 0
DOCKERD=$(command -v dockerd) || { t_skip all "dockerd not installed (Debian docker.io; make deps)"; exit 0; }
# The Debian client, not another one earlier in PATH: it matches the engine.
DOCKER_CLI=/usr/bin/docker
[ -x "$DOCKER_CLI" ] || DOCKER_CLI=$(command -v docker) || { t_skip all "docker client not installed"; exit 0; }
BUSYBOX=$(command -v busybox) || { t_skip all "busybox-static not installed"; exit 0; }
env -u LD_PRELOAD ldd "$BUSYBOX" >/dev/null 2>&1 && { t_skip all "$BUSYBOX is not static (install busybox-static)"; exit 0; }
IPT=$(readlink -f "$(command -v iptables)") || { t_skip all "iptables not installed"; exit 0; }
command -v nsenter >/dev/null || { t_skip all "nsenter not installed"; exit 0; }

D=$T/d
mkdir -p "$D"
SOCK=$D/docker.sock
CG=ward-test-$$
dk() { "$DOCKER_CLI" -H "unix://$SOCK" "$@"; }

# ---- the engine ---------------------------------------------------------------
echo '{}' >"$D/daemon.json"
"$DOCKERD" --config-file "$D/daemon.json" --storage-driver=vfs --iptables=false --ip6tables=false \
	--bridge=none --ip-forward=false --ip-masq=false --cgroup-parent "/$CG" \
	--data-root "$D/data" --exec-root "$D/exec" --pidfile "$D/dockerd.pid" \
	-H "unix://$SOCK" >"$D/dockerd.log" 2>&1 &
DPID=$!
stop_dockerd() {
	kill -TERM "$DPID" 2>/dev/null
	for _ in $(seq 100); do kill -0 "$DPID" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$DPID" 2>/dev/null
	wait "$DPID" 2>/dev/null
	# Whatever the engine left mounted under its data root, then its cgroups.
	grep -F " $D/" /proc/mounts | awk '{print $2}' | sort -r | xargs -r -n1 umount -l
	rmdir /sys/fs/cgroup/*/"$CG" 2>/dev/null
}
t_defer stop_dockerd
for _ in $(seq 200); do
	dk version >/dev/null 2>&1 && break
	kill -0 "$DPID" 2>/dev/null || break
	sleep 0.1
done
if ! dk version >/dev/null 2>&1; then
	t_skip all "dockerd cannot start here: $(grep -m1 -E 'level=(fatal|error)|failed' "$D/dockerd.log" | head -c 300)"
	exit 0
fi

# ---- the victim image, from the host ---------------------------------------------
R=$D/rootfs
mkdir -p "$R/bin" "$R/usr/sbin" "$R/etc" "$R/www" "$R/run" "$R/tmp" "$R/proc" "$R/sys" "$R/dev"
cp "$BUSYBOX" "$R/bin/busybox"
for a in sh httpd sleep cat; do ln -s busybox "$R/bin/$a"; done
cp "$IPT" "$R/usr/sbin/"
ln -s "$(basename "$IPT")" "$R/usr/sbin/iptables"
for lib in $(env -u LD_PRELOAD ldd "$IPT" | grep -o '/[^ ]*'); do
	mkdir -p "$R$(dirname "$lib")" && cp -L "$lib" "$R$lib"
done
# Extensions are dlopen'ed (ldd does not list them): -j DROP needs libxt_standard.
XT=$(dirname "$(env -u LD_PRELOAD ldd "$IPT" | grep -o '/[^ ]*libxtables[^ ]*')")
for d in /usr/lib/x86_64-linux-gnu/xtables /usr/lib/xtables "$XT/xtables"; do
	[ -d "$d" ] && mkdir -p "$R$d" && cp -r "$d/." "$R$d/" && break
done
echo 'ward victim' >"$R/www/index.html"
IMG=ward-victim:test$$
tar -C "$R" -c . | dk import - "$IMG" >/dev/null || { t_fail "docker import of the victim root file system"; exit 0; }
C=ward-victim-$$
dk run -d --name "$C" --network none --cap-add NET_ADMIN "$IMG" /bin/httpd -f -p 8080 -h /www >/dev/null ||
	{ t_fail "victim container starts" "$(tail -5 "$D/dockerd.log")"; exit 0; }
t_defer "dk rm -f $C"

# ---- the network: attacker and bystander namespaces, each with a veth into the container
A=wda$$ B=wdb$$
ip netns add $A; t_defer "ip netns del $A"
ip netns add $B; t_defer "ip netns del $B"
ip -n $A link set lo up; ip -n $B link set lo up
cpid() { dk inspect -f '{{.State.Pid}}' "$C"; }
in_c() { nsenter -t "$(cpid)" -n "$@"; }
# Called again after a restart: the container's new network namespace has
# only lo, and the old veth pairs went with the old one.
plumb() {
	local pid
	pid=$(cpid)
	# The kernel frees a dead namespace's devices asynchronously: on a busy
	# machine the old pairs' outer ends may still be there after a restart.
	ip -n $A link del wxa$$ 2>/dev/null
	ip -n $B link del wxb$$ 2>/dev/null
	ip link add wca$$ type veth peer name wxa$$ || return 1
	ip link set wca$$ netns "$pid" && ip link set wxa$$ netns $A || return 1
	ip link add wcb$$ type veth peer name wxb$$ || return 1
	ip link set wcb$$ netns "$pid" && ip link set wxb$$ netns $B || return 1
	in_c ip link set lo up
	in_c ip addr add 198.18.236.1/24 dev wca$$ && in_c ip link set wca$$ up || return 1
	in_c ip addr add 198.18.237.1/24 dev wcb$$ && in_c ip link set wcb$$ up || return 1
	ip -n $A addr add 198.18.236.2/24 dev wxa$$ 2>/dev/null
	ip -n $A addr add 198.18.236.3/24 dev wxa$$ 2>/dev/null
	ip -n $A link set wxa$$ up
	ip -n $B addr add 198.18.237.2/24 dev wxb$$ 2>/dev/null
	ip -n $B link set wxb$$ up
}
t_ok "veth pairs into the container's namespace" plumb

connect() { ip netns exec $A nc -z -w 1 -s 198.18.236.2 198.18.236.1 8080 </dev/null >/dev/null 2>&1; }
refused() { ! connect; }
bystander() { ip netns exec $B nc -z -w 1 198.18.237.1 8080 </dev/null >/dev/null 2>&1; }
alert() { printf '{"fields":{"src_ip":"%s"},"alert":{"rule":"SSHBruteForce","state":"firing"}}\n' "$1" >&3; }
wait_long() { local i; for i in $(seq "$1"); do "${@:2}" >/dev/null 2>&1 && return 0; sleep 0.1; done; return 1; }
rules_in_c() { in_c iptables -S INPUT 2>/dev/null | grep -c -- '-j DROP'; }
no_rules() { [ "$(rules_in_c)" = 0 ]; }

t_ok "attacker reaches the container's httpd before any ban" t_wait_for connect
t_ok "bystander reaches it" bystander

# ward-respond reads alerts from a FIFO, so it keeps running through the
# container's stop and start. First ban 3 s, the next one 3 s x 12 = 36 s:
# long enough to still be in force when the second ward-respond starts,
# after two container restarts on a loaded machine.
mkfifo "$T/in"
"$W/ward-respond" --backend docker --container "$C" --docker-socket "$SOCK" \
	--ban-time 3s --escalate 12 --state "$T/journal" <"$T/in" >"$T/out" 2>"$T/err" &
RPID=$!
t_defer "kill $RPID"
exec 3>"$T/in"

# ---- ban, bystander unaffected, unban at expiry ----------------------------------
alert 198.18.236.2
t_ok "attacker's connect fails once banned inside the container" t_wait_for refused
t_ok "bystander still connects" bystander
t_eq "one DROP rule in the container's iptables" "$(rules_in_c)" 1
t_ok "attacker connects again after the 3 s ban expired" wait_long 80 connect
t_ok "rule removed from the container at expiry" wait_long 20 no_rules
t_grep "ban audited (docker backend, real engine)" '"kind":"ban","target":"198\.18\.236\.2","backend":"docker".*"result":"applied"' "$T/out"
t_grep "unban at expiry audited" '"kind":"unban","target":"198\.18\.236\.2","backend":"docker".*"reason":"expired"' "$T/out"

# ---- the container restarts while a ban is in force -----------------------------
alert 198.18.236.2
t_ok "second offense banned (36 s)" t_wait_for refused
dk stop -t 1 "$C" >/dev/null
alert 198.18.236.3   # a new alert while the container is down
t_ok "error event for a ban while the container is down" \
	wait_long 50 grep -q '"kind":"error","target":"198\.18\.236\.3","backend":"docker".*"reason":"docker exec create in [^"]*: HTTP 409"' "$T/out"
t_ok "the outage is reported on stderr" \
	wait_long 30 grep -q "docker backend: container $C is not running" "$T/err"
t_ok "ward-respond still running while the container is down" kill -0 $RPID
dk start "$C" >/dev/null
t_ok "network plumbed into the restarted container" plumb
t_ok "bystander connects to the restarted container" t_wait_for bystander
# No new alert: ward-respond sees the container's new pid (checked about
# once a second) and applies the ban still in force again.
t_ok "re-applied ban audited with source resync" \
	t_wait_for grep -q '"kind":"ban","target":"198\.18\.236\.2","backend":"docker".*"source":"resync"' "$T/out"
t_ok "ban still in force cuts the attacker off in the new namespace" refused
t_eq "one DROP rule in the restarted container" "$(rules_in_c)" 1
alert 198.18.236.3
t_ok "a new ban works again after the restart" \
	t_wait_for grep -q '"kind":"ban","target":"198\.18\.236\.3","backend":"docker".*"result":"applied"' "$T/out"
# ward-respond stops with the ban in force (the docker backend has no kernel
# timeout: the rule stays in the container, its end is in the journal), the
# container is restarted, and a new ward-respond with the same --state
# applies the ban again at its start.
exec 3>&-
rc=0
wait $RPID || rc=$?
t_eq "ward-respond exits 0 at the end of its input" "$rc" 0
t_grep "journal holds the ban in force" '^ban 198\.18\.236\.2/32 ' "$T/journal"
dk restart -t 1 "$C" >/dev/null
t_ok "network plumbed into the container after docker restart" plumb
t_ok "docker restart wiped the container's iptables: the attacker connects" t_wait_for connect
mkfifo "$T/in2"
"$W/ward-respond" --backend docker --container "$C" --docker-socket "$SOCK" \
	--ban-time 3s --escalate 12 --state "$T/journal" <"$T/in2" >"$T/out2" 2>"$T/err2" &
RPID=$!
t_defer "kill $RPID"
exec 3>"$T/in2"
t_ok "restarted ward-respond applies the journaled ban at its start" t_wait_for refused
t_grep "restored ban audited with source restore" \
	'"kind":"ban","target":"198\.18\.236\.2","backend":"docker".*"source":"restore"' "$T/out2"
t_ok "bystander unaffected" bystander
t_ok "attacker connects again after the 36 s ban expired" wait_long 400 connect
t_grep "expiry audited by the new ward-respond" \
	'"kind":"unban","target":"198\.18\.236\.2".*"reason":"expired","rule":"SSHBruteForce","dry_run":false,"source":"expiry"' "$T/out2"
t_ok "no DROP rule left in the container" wait_long 20 no_rules
exec 3>&-
rc=0
wait $RPID || rc=$?
t_eq "second ward-respond exits 0" "$rc" 0
