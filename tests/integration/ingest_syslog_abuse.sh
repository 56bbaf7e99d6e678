#!/usr/bin/env bash
# The syslog TCP receiver under abuse: one address holding idle connections
# must not lock a legitimate sender out (per-address cap, slots kept for new
# addresses, eviction of the hog's longest-idle connection), and idle
# connections are closed (sooner if they never sent a byte).
# 127.0.0.x loopback addresses act as distinct sources.
. "$(dirname "$0")/../lib.sh"
cd "$TOP" || exit 1
I="$W/ward-ingest"
command -v logger >/dev/null || { t_skip "syslog abuse" "no logger (bsdutils)"; exit 0; }
command -v python3 >/dev/null || { t_skip "syslog abuse" "no python3"; exit 0; }

# hold SRC PORT N SECONDS [SEND]: N connections from SRC kept open (idle,
# or after sending SEND once); prints how many the server closed by then.
cat >"$T/hold.py" <<'PY'
import socket, sys, time
src, port, n, secs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
send = sys.argv[5].encode() if len(sys.argv) > 5 else b""
socks = []
for _ in range(n):
    s = socket.socket()
    s.bind((src, 0))
    s.connect(("127.0.0.1", port))
    if send:
        s.sendall(send)
    socks.append(s)
open(sys.argv[0] + ".ready." + src, "w").close()
time.sleep(secs)
closed = 0
for s in socks:
    s.setblocking(False)
    try:
        closed += s.recv(1) == b""
    except BlockingIOError:
        pass
    except OSError:
        closed += 1
print(closed)
PY

start() {  # start NAME OPTIONS...: a receiver; its port in $PORT
	local name=$1; shift
	"$I" --syslog-tcp 127.0.0.1:0 "$@" >"$T/$name" 2>"$T/$name.err" &
	SPID=$!; t_defer "kill -9 $SPID"
	t_wait_for grep -q "tcp 127.0.0.1 port" "$T/$name.err"
	PORT=$(grep -o 'tcp 127.0.0.1 port [0-9]*' "$T/$name.err" | awk '{print $4}')
}
stop() { kill "$SPID"; wait "$SPID" 2>/dev/null; }

# ---- 200 idle connections from one address, then logger from another ------
start cap
python3 "$T/hold.py" 127.0.0.2 "$PORT" 200 4 >"$T/cap.held" &
HPID=$!
t_wait_for test -e "$T/hold.py.ready.127.0.0.2"
logger --tcp --server 127.0.0.1 --port "$PORT" -t sshd --id=4711 "Failed password for root from 198.18.0.9 port 22 ssh2"
t_wait_for grep -q "198.18.0.9" "$T/cap"
t_grep "a sender gets through while one address holds 200 idle connections" \
	'"line":"sshd\[4711\]: Failed password for root from 198.18.0.9 port 22 ssh2"' "$T/cap"
wait "$HPID"
stop
t_eq "only --syslog-max-conn-per-host (8) of the 200 were kept" "$(t_counter "$T/cap.err" syslog_refused)" 192
t_grep "the refusal names the address and the limit" 'refused a connection from 127.0.0.2: too many connections from this address' "$T/cap.err"

# ---- no per-address cap: the last slots are kept for new addresses ----------
start reserve --syslog-max-conn 16 --syslog-max-conn-per-host 16
python3 "$T/hold.py" 127.0.0.3 "$PORT" 16 3 >/dev/null &
HPID=$!
t_wait_for test -e "$T/hold.py.ready.127.0.0.3"
logger --tcp --server 127.0.0.1 --port "$PORT" -t app "reserved slot"
t_wait_for grep -q "reserved slot" "$T/reserve"
t_grep "a slot kept for a new address (16 slots, one address holds all it may)" '"line":"app: reserved slot"' "$T/reserve"
wait "$HPID"
stop
t_eq "one address may take 16 - 16/8 slots" "$(t_counter "$T/reserve.err" syslog_refused)" 2

# ---- every slot taken: a new address evicts the hog's longest-idle one ------
start evict --syslog-max-conn 4 --syslog-max-conn-per-host 4
python3 "$T/hold.py" 127.0.0.4 "$PORT" 3 4 >/dev/null &
H1=$!
t_wait_for test -e "$T/hold.py.ready.127.0.0.4"
python3 "$T/hold.py" 127.0.0.5 "$PORT" 1 4 >/dev/null &
H2=$!
t_wait_for test -e "$T/hold.py.ready.127.0.0.5"
logger --tcp --server 127.0.0.1 --port "$PORT" -t app "after eviction"
t_wait_for grep -q "after eviction" "$T/evict"
t_grep "all slots taken: a new address still gets through" '"line":"app: after eviction"' "$T/evict"
wait "$H1" "$H2"
stop
t_eq "one connection of the address holding most evicted" "$(t_counter "$T/evict.err" syslog_evicted)" 1

# ---- idle timeouts ---------------------------------------------------------
start idle --syslog-idle-timeout 2s
python3 "$T/hold.py" 127.0.0.6 "$PORT" 3 1 >"$T/idle.silent" &
H1=$!
python3 "$T/hold.py" 127.0.0.7 "$PORT" 2 1 '<13>app: partial' >"$T/idle.talked1" &
H2=$!
python3 "$T/hold.py" 127.0.0.8 "$PORT" 2 3.5 '<13>app: spoke once' >"$T/idle.talked3" &
H3=$!
wait "$H1" "$H2" "$H3"
t_eq "connections that never sent a byte closed after a tenth of the idle timeout" "$(cat "$T/idle.silent")" 3
t_eq "connections that sent something kept within the idle timeout" "$(cat "$T/idle.talked1")" 0
t_eq "... and closed after it" "$(cat "$T/idle.talked3")" 2
stop
t_eq "idle closes counted" "$(t_counter "$T/idle.err" syslog_idle_closed)" 5
t_eq "a partial frame of a connection closed idle is still emitted" "$(grep -c 'app: spoke once' "$T/idle")" 2
t_status "--syslog-idle-timeout 0 is a usage error" 64 "$I" --syslog-tcp 127.0.0.1:0 --syslog-idle-timeout 0s
t_status "--syslog-max-conn-per-host 0 is a usage error" 64 "$I" --syslog-tcp 127.0.0.1:0 --syslog-max-conn-per-host 0
