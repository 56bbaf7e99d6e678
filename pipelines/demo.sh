#!/usr/bin/env bash
# make demo: run ward over the bundled sample data. Until the detection
# stages land, this runs the stages that exist: ward-ingest turns the sample
# auth.log into events and the demo counts what it read.
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/demo
mkdir -p "$out"
sample=pipelines/samples/auth-mini.log
bin/ward-ingest --label job=sshd --label host=demo "$sample" >"$out/events.ndjson" 2>"$out/ingest.stats"
echo "ward demo: $(wc -l <"$out/events.ndjson") events from $sample -> $out/events.ndjson"
echo "ingest counters: $(cat "$out/ingest.stats")"
echo "first event:"
head -1 "$out/events.ndjson"
missing=""
for s in match window sniff respond run report; do [ -x "bin/ward-$s" ] || missing="$missing ward-$s"; done
[ -n "$missing" ] && echo "not built yet:$missing"
exit 0
