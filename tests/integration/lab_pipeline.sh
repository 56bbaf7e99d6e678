#!/usr/bin/env bash
# The live lab's parts that run without the lab (make lab itself is root-only
# and heavy, so it is not part of make check): the script parses and refuses
# to run without root, its pipeline parses and validates against the stages,
# and its SSH query selects the lines sshd -E really writes.
. "$(dirname "$0")/../lib.sh"

P="$TOP/pipelines/lab-soc.pipeline"
cd "$T" || exit 1

t_ok "lab.sh: bash syntax" bash -n "$TOP/pipelines/lab.sh"

# Not root: exit 77 with a message, before creating anything.
if t_is_root; then
	if command -v runuser >/dev/null && runuser -u nobody -- test -r "$TOP/pipelines/lab.sh"; then
		t_status "lab.sh: refuses to run without root" 77 runuser -u nobody -- bash "$TOP/pipelines/lab.sh"
		t_grep "lab.sh: says it needs root" "needs root" "$T/.out"
	else
		t_skip "lab.sh: refuses to run without root" "no runuser, or nobody cannot read the repository"
	fi
else
	t_status "lab.sh: refuses to run without root" 77 bash "$TOP/pipelines/lab.sh"
fi

: >sshd.log
: >access.log
sets=(--set SSHD_LOG="$T/sshd.log" --set NGINX_LOG="$T/access.log" --set LAB_IF=lo
	--set LAB_NS=ward-lab-test-none --set ALLOW=192.0.2.1/32 --set STATE="$T/journal" --set OUT="$T")

t_status "lab-soc.pipeline: parses" 0 "$W/ward-run" --print "${sets[@]}" "$P"
cp "$T/.out" print.txt
t_grep "lab-soc.pipeline: real bans in the victim's namespace" 'ward-respond --netns ward-lab-test-none --allow 192\.0\.2\.1/32' print.txt
if grep -q -- '--dry-run' print.txt; then t_fail "lab-soc.pipeline: no dry run" "$(grep -- --dry-run print.txt)"
else t_pass "lab-soc.pipeline: no dry run"; fi

# Validation needs every stage, ward-ingest with --follow and the rule pack.
missing=""
for s in ingest match window sniff respond; do [ -x "$W/ward-$s" ] || missing="$missing ward-$s"; done
[ -f "$TOP/rules/web.yaml" ] || missing="$missing rules/web.yaml"
if [ -n "$missing" ]; then
	t_skip "lab-soc.pipeline: every stage accepts its command line" "not built:$missing"
elif ! "$W/ward-ingest" --help 2>&1 | grep -q -- --follow; then
	t_skip "lab-soc.pipeline: every stage accepts its command line" "ward-ingest has no --follow"
else
	t_status "lab-soc.pipeline: every stage accepts its command line" 0 \
		"$W/ward-run" --check "${sets[@]}" --set RULES="$TOP/rules" "$P"
fi

# The SSH query, taken from the pipeline file, over what OpenSSH 9.2's sshd
# -E wrote in a lab run (no syslog header, CR LF line ends).
if [ -x "$W/ward-ingest" ] && [ -x "$W/ward-match" ]; then
	query=$(python3 -c '
import shlex, sys
for line in open(sys.argv[1]):
    w = shlex.split(line, comments=True)
    if w[:1] == ["ward-match"] and len(w) == 2 and "Failed password" in w[1]:
        print(w[1])' "$P")
	printf '%s\r\n' \
		'Server listening on 192.0.2.1 port 22.' \
		'Failed password for root from 192.0.2.10 port 40012 ssh2' \
		'Connection closed by authenticating user root 192.0.2.10 port 40012 [preauth]' \
		'Invalid user admin from 192.0.2.10 port 40020' \
		'Failed password for invalid user admin from 192.0.2.10 port 40020 ssh2' \
		'Failed password for invalid user x from 192.0.2.99 port 1 ssh2 from 198.18.0.9 port 5555 ssh2' \
		'Accepted password for alice from 192.0.2.50 port 40030 ssh2' >sshd-E.log
	"$W/ward-ingest" -q --label job=sshd sshd-E.log 2>ingest.err | "$W/ward-match" -q "$query" >matched.ndjson 2>match.err
	got=$(python3 -c '
import json, sys
for line in open(sys.argv[1]):
    f = json.loads(line)["fields"]
    print(f.get("user"), f.get("src_ip"), f.get("src_port"))' matched.ndjson)
	t_eq "lab ssh query: the failed passwords of sshd -E, address from the end" "$got" \
		"$(printf '%s\n' 'root 192.0.2.10 40012' 'admin 192.0.2.10 40020' 'x from 192.0.2.99 port 1 ssh2 198.18.0.9 5555')"
else
	t_skip "lab ssh query: the failed passwords of sshd -E" "ward-match not built"
fi

# ---- make lab-docker (pipelines/lab-docker.sh, lab-docker.pipeline) --------
PD="$TOP/pipelines/lab-docker.pipeline"
t_ok "lab-docker.sh: bash syntax" bash -n "$TOP/pipelines/lab-docker.sh"
if ! t_is_root; then
	t_status "lab-docker.sh: refuses to run without root" 77 bash "$TOP/pipelines/lab-docker.sh"
elif command -v runuser >/dev/null && runuser -u nobody -- test -r "$TOP/pipelines/lab-docker.sh"; then
	t_status "lab-docker.sh: refuses to run without root" 77 runuser -u nobody -- bash "$TOP/pipelines/lab-docker.sh"
fi
# sshd -D -e in the container: bare messages with CR LF on stderr, which
# Docker's json-file driver wraps.
printf '{"log":"%s\\r\\n","stream":"stderr","time":"2026-11-28T08:43:5%d.000000001Z"}\n' \
	'Server listening on 192.0.2.1 port 22.' 0 \
	'Failed password for root from 192.0.2.10 port 40012 ssh2' 1 \
	'Failed password for invalid user admin from 192.0.2.10 port 40020 ssh2' 2 \
	'Accepted password for alice from 192.0.2.50 port 40030 ssh2' 3 >victim-json.log
dsets=(--set LOG="$T/victim-json.log" --set CONTAINER=ward-lab-victim-1 --set DOCKER_SOCK="$T/docker.sock"
	--set STATE="$T/journal" --set OUT="$T")
t_status "lab-docker.pipeline: parses" 0 "$W/ward-run" --print "${dsets[@]}" "$PD"
t_grep "lab-docker.pipeline: bans through the docker backend" \
	'ward-respond --backend docker --container ward-lab-victim-1 --docker-socket [^ ]*/docker\.sock --allow 192\.0\.2\.1/32' "$T/.out"
if [ -x "$W/ward-ingest" ] && [ -x "$W/ward-match" ] && [ -x "$W/ward-window" ] && [ -x "$W/ward-respond" ]; then
	t_status "lab-docker.pipeline: every stage accepts its command line" 0 "$W/ward-run" --check "${dsets[@]}" "$PD"
	query=$(python3 -c '
import shlex, sys
for line in open(sys.argv[1]):
    w = shlex.split(line, comments=True)
    if w[:1] == ["ward-match"] and len(w) == 2 and "Failed password" in w[1]:
        print(w[1])' "$PD")
	"$W/ward-ingest" -q --format docker --label job=sshd victim-json.log 2>/dev/null |
		"$W/ward-match" -q "$query" >dmatched.ndjson 2>/dev/null
	got=$(python3 -c '
import json, sys
for line in open(sys.argv[1]):
    f = json.loads(line)["fields"]
    print(f.get("user"), f.get("src_ip"), f.get("src_port"))' dmatched.ndjson)
	t_eq "lab-docker ssh query: the failed passwords in the container's json-file log" "$got" \
		"$(printf '%s\n' 'root 192.0.2.10 40012' 'admin 192.0.2.10 40020')"
else
	t_skip "lab-docker.pipeline: every stage accepts its command line" "not built"
fi
