#!/usr/bin/env bash
# Kafka transport: kcat produces, a stage consumes, filters and produces,
# kcat reads back; the result equals the pipe version of the same stage.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../kafka_lib.sh"
k_need || exit 0
k_start A in:6 out:6 raw:3 ev:3 bare:3 || exit 0
P=$TOOLS/wpass
N=3000

k_events $N >"$T/in.ndjson"
t_ok "kcat produces $N events" k_produce "$A_BS" in "$T/in.ndjson"

# filter TCP events: Kafka to Kafka, and the same over pipes
rc=0
k_run "$K_RUN_S" "the stage reaches the end of its partitions" "$T/err1" \
	"$P" --keep proto=TCP --in "kafka://$A_BS/in?group=g1" --out "kafka://$A_BS/out?key=src_ip" \
	-X kafka.eof=true "${K_FAST[@]}" || rc=$?
t_eq "stage exits 0 at the end of its partitions" "$rc" 0
"$P" --keep proto=TCP <"$T/in.ndjson" 2>/dev/null | sort >"$T/want"
k_dump "$A_BS" out | sort >"$T/got"
t_eq "as many events as through a pipe" "$(wc -l <"$T/got")" "$(wc -l <"$T/want")"
t_files_eq "same events as through a pipe" "$T/got" "$T/want"
t_eq "counters: delivered = out" "$(t_counter "$T/err1" kafka_delivered)" "$(t_counter "$T/err1" out)"
t_eq "counters: no delivery failure" "$(t_counter "$T/err1" kafka_delivery_failed)" 0
t_eq "counters: lag 0 at the end" "$(t_counter "$T/err1" kafka_lag)" 0

# keys: every key on exactly one partition, the key is the src_ip field,
# and every message carries the schema header
k_dump "$A_BS" out -f '%k %p %h\n' | sort -u >"$T/keys"
t_eq "each key on one partition" "$(cut -d' ' -f1 "$T/keys" | uniq -d | wc -l)" 0
t_eq "25 keys (TCP events have odd src_ip)" "$(cut -d' ' -f1 "$T/keys" | sort -u | wc -l)" 25
t_eq "key is the src_ip field" "$(cut -d' ' -f1 "$T/keys" | grep -cv '^198\.18\.0\.')" 0
t_eq "schema header on every message" "$(cut -d' ' -f3 "$T/keys" | sort -u)" "ward-schema=1"

# -X kafka.schema.header=false: the same events, no header (its cost, 0.3 us
# per event, is the one a user may decline; docs/kafka.md)
k_run "$K_RUN_S" "without the schema header: the stage ends" "$T/err.bare" \
	"$P" --in "kafka://$A_BS/in?group=gb" --out "kafka://$A_BS/bare" \
	-X kafka.schema.header=false -X kafka.eof=true "${K_FAST[@]}"
t_eq "without the schema header: every event" "$(k_dump "$A_BS" bare | wc -l)" "$N"
t_eq "without the schema header: no message has a header" \
	"$(k_dump "$A_BS" bare -f '[%h]\n' | sort -u)" "[]"
t_status "kafka.schema.header=maybe: exit 78" 78 "$P" --out "kafka://$A_BS/bare" \
	-X kafka.schema.header=maybe

# the group committed everything: a rerun in the same group reads nothing
k_run "$K_RUN_S" "rerun in the same group ends" "$T/err.rerun" \
	"$P" --in "kafka://$A_BS/in?group=g1" --out "$T/rerun" -X kafka.eof=true "${K_FAST[@]}"
t_eq "rerun in the same group: nothing left" "$(wc -l <"$T/rerun")" 0

# a real stage: ward-ingest reading raw lines from Kafka
seq 1 500 | sed 's/^/sshd: Failed password for root from 198.18.0.7 attempt /' >"$T/raw.txt"
k_produce "$A_BS" raw "$T/raw.txt"
k_run "$K_RUN_S" "ward-ingest over Kafka ends" "$T/err2" \
	"$W/ward-ingest" --ts none --label job=sshd --in "kafka://$A_BS/raw?group=gi" \
	--out "kafka://$A_BS/ev?key=job" -X kafka.eof=true "${K_FAST[@]}"
# the time differs by design: over Kafka it is the message's timestamp
nots() { sed 's/"ts":"[^"]*",//' | sort; }
"$W/ward-ingest" --ts none --label job=sshd <"$T/raw.txt" 2>/dev/null | nots >"$T/want2"
k_dump "$A_BS" ev | nots >"$T/got2"
t_files_eq "ward-ingest over Kafka = over a pipe (but ts)" "$T/got2" "$T/want2"
t_eq "ward-ingest over Kafka: ts from the message" \
	"$(k_dump "$A_BS" ev | grep -c '"ts":"20[0-9][0-9]-')" 500

# graceful shutdown: SIGTERM drains and commits
k_events 400 100001 >"$T/more.ndjson"
"$P" --in "kafka://$A_BS/in?group=g1" --out "$T/term.out" "${K_FAST[@]}" 2>"$T/err3" &
pid=$!
t_defer "kill -KILL $pid"
k_produce "$A_BS" in "$T/more.ndjson"
for i in $(seq 200); do [ "$(wc -l <"$T/term.out")" -ge 400 ] && break; sleep 0.05; done
kill -TERM $pid
rc=0; k_wait_pid $pid "$K_EXIT_S" "SIGTERM: the stage exits" "$T/err3" || rc=$?
t_eq "SIGTERM: exit 0" "$rc" 0
t_eq "SIGTERM: all 400 new events out" "$(k_ids "$T/term.out" | sort -u | wc -l)" 400
k_run "$K_RUN_S" "rerun after SIGTERM ends" "$T/err.rerun2" \
	"$P" --in "kafka://$A_BS/in?group=g1" --out "$T/rerun2" -X kafka.eof=true "${K_FAST[@]}"
t_eq "SIGTERM committed: a rerun reads nothing" "$(wc -l <"$T/rerun2")" 0

# configuration errors: exit 78, with the reason
t_status "bad topic: exit 78" 78 "$P" --in "kafka://$A_BS/bad%topic"
t_status "unknown URI parameter: exit 78" 78 "$P" --in "kafka://$A_BS/in?grup=x"
t_status "unknown librdkafka property: exit 78" 78 "$P" --in "kafka://$A_BS/in" -X no.such.prop=1
t_status "a secret on the command line: exit 78" 78 "$P" --out "kafka://$A_BS/out" -X sasl.password=hunter2
t_grep "a secret on the command line: says why" "not taken from the command line" "$T/.out"
t_status "no brokers anywhere: exit 78" 78 "$P" --out "kafka:///out"

# brokers from a properties file (kcat's format), as for credentials
printf '# ward test\nbootstrap.servers = %s\n\nclient.id=wardtest\n' "$A_BS" >"$T/k.conf"
chmod 600 "$T/k.conf"
k_run "$K_RUN_S" "brokers from a file: the stage ends" "$T/err.g2" \
	"$P" --in "kafka:///in?group=g2" --out "$T/fromfile" -X kafka.config="$T/k.conf" \
	-X kafka.eof=true "${K_FAST[@]}"
t_eq "brokers from -X kafka.config=FILE" "$(wc -l <"$T/fromfile")" $((N + 400))
WARD_KAFKA_CONFIG=$T/k.conf k_run "$K_RUN_S" "brokers from WARD_KAFKA_CONFIG: the stage ends" \
	"$T/err.g3" "$P" --in "kafka:///in?group=g3" --out "$T/fromenv" -X kafka.eof=true "${K_FAST[@]}"
t_eq "brokers from WARD_KAFKA_CONFIG" "$(wc -l <"$T/fromenv")" $((N + 400))
