/* Unit tests: firewall command builders, exec templates, Docker Engine API
 * requests, webhook bodies and audit events - everything that turns a
 * target into text something else will act on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "stages/respond/audit.h"
#include "stages/respond/docker.h"
#include "stages/respond/exectmpl.h"
#include "stages/respond/fwcmd.h"
#include "stages/respond/webhook.h"
#include "wtime.h"

static struct fw_req req(enum fw_op op, const char *cidr, int64_t ttl_ns)
{
	struct fw_req r = { .op = op, .ttl_ns = ttl_ns };
	if (cidr)
		assert_int_equal(cidr_parse(cidr, strlen(cidr), &r.target), 0);
	strcpy(r.rule, "SSHBruteForce");
	return r;
}

static void nft_text(void **state)
{
	(void)state;
	struct ward_buf b = WARD_BUF_INIT;
	struct fw_req r = req(FW_BAN, "198.18.0.7", 90 * NS_PER_SEC);
	fwcmd_nft(&r, &b);
	assert_string_equal(b.data, "add element inet ward ban4 { 198.18.0.7 }\n"
				    "delete element inet ward ban4 { 198.18.0.7 }\n"
				    "add element inet ward ban4 { 198.18.0.7 timeout 90000ms }\n");
	buf_reset(&b);
	r = req(FW_UNBAN, "2001:db8:1:2::/64", 0);
	fwcmd_nft(&r, &b);
	assert_string_equal(b.data, "add element inet ward ban6n { 2001:db8:1:2:: }\n"
				    "delete element inet ward ban6n { 2001:db8:1:2:: }\n");
	buf_reset(&b);
	r = req(FW_SETUP, NULL, 0);
	fwcmd_nft(&r, &b);
	assert_non_null(strstr(b.data, "add rule inet ward input ip saddr @ban4 drop\n"));
	assert_non_null(strstr(b.data, "flush chain inet ward forward\n"));
	buf_free(&b);
}

static void ipset_argv(void **state)
{
	(void)state;
	struct fw_argv a;
	struct ward_buf b = WARD_BUF_INIT;
	struct fw_req r = req(FW_BAN, "2001:db8::7", 1500 * 1000000LL);
	assert_int_equal(fwcmd_ipset(&r, 0, &a), 0);
	fw_argv_render(&a, &b);
	assert_string_equal(b.data, "ipset add ward6 2001:db8::7 timeout 2 -exist");
	assert_int_equal(fwcmd_ipset(&r, 1, &a), 1);
	assert_null(a.argv[a.argc]);
	r = req(FW_SETUP, NULL, 0);
	assert_int_equal(fwcmd_ipset(&r, 1, &a), 0);
	assert_string_equal(a.argv[2], FW_IPSET6);
	assert_int_equal(fwcmd_ipset(&r, 2, &a), 1);
	r = req(FW_BAN, "198.18.0.7", 100LL * 86400 * NS_PER_SEC);
	fwcmd_ipset(&r, 0, &a);
	assert_string_equal(a.argv[5], "2147483");	/* ipset's maximum */
	buf_free(&b);
}

static void exec_templates(void **state)
{
	(void)state;
	struct exec_tmpl t;
	struct fw_argv a;
	char err[200];
	assert_int_equal(exec_tmpl_parse("  blocker\tadd {target} --ttl {ttl} {rule} {family} {action} ", &t,
					 err, sizeof(err)), 0);
	struct fw_req r = req(FW_BAN, "2001:db8:1:2::/64", 600 * NS_PER_SEC);
	assert_int_equal(exec_tmpl_expand(&t, &r, &a), 0);
	assert_int_equal(a.argc, 8);
	assert_string_equal(a.argv[2], "2001:db8:1:2::/64");
	assert_string_equal(a.argv[4], "600");
	assert_string_equal(a.argv[5], "SSHBruteForce");
	assert_string_equal(a.argv[6], "6");
	assert_string_equal(a.argv[7], "ban");
	exec_tmpl_free(&t);
	assert_int_equal(exec_tmpl_parse("blocker --ip={addr}", &t, err, sizeof(err)), -1);
	assert_int_equal(exec_tmpl_parse("blocker {unknown}", &t, err, sizeof(err)), -1);
	assert_int_equal(exec_tmpl_parse("{target} x", &t, err, sizeof(err)), -1);
	assert_int_equal(exec_tmpl_parse("   ", &t, err, sizeof(err)), -1);
}

static void docker_requests(void **state)
{
	(void)state;
	struct ward_buf path = WARD_BUF_INIT, body = WARD_BUF_INIT;
	struct fw_argv a;
	struct ward_cidr c;
	char id[DOCKER_ID_MAX + 1];
	int code;
	cidr_parse("198.18.0.7", 10, &c);
	fwcmd_ipt_plain(&c, "-I", &a);
	assert_int_equal(docker_exec_create("victim-web_1.x", &a, &path, &body), 0);
	assert_string_equal(path.data, "/v1.41/containers/victim-web_1.x/exec");
	assert_string_equal(body.data, "{\"AttachStdout\":true,\"AttachStderr\":true,\"Tty\":false,"
				       "\"Cmd\":[\"iptables\",\"-w\",\"-I\",\"INPUT\",\"-s\",\"198.18.0.7\",\"-j\",\"DROP\"]}");
	/* Argument text is JSON-escaped, never spliced. */
	buf_reset(&path), buf_reset(&body);
	fw_argv_init(&a);
	fw_argv_push(&a, "x\"],\"Privileged\":true,\"y\":[\"");
	docker_exec_create("c", &a, &path, &body);
	assert_string_equal(body.data, "{\"AttachStdout\":true,\"AttachStderr\":true,\"Tty\":false,"
				       "\"Cmd\":[\"x\\\"],\\\"Privileged\\\":true,\\\"y\\\":[\\\"\"]}");
	assert_int_equal(docker_exec_create("../../images", &a, &path, &body), -1);
	assert_int_equal(docker_exec_create("-x", &a, &path, &body), -1);
	assert_int_equal(docker_exec_create("", &a, &path, &body), -1);
	const char *resp = "{\"Id\":\"0123456789abcdef\"}";
	assert_int_equal(docker_parse_id(resp, strlen(resp), id), 0);
	assert_string_equal(id, "0123456789abcdef");
	resp = "{\"Id\":\"../containers/x\"}";
	assert_int_equal(docker_parse_id(resp, strlen(resp), id), -1);
	buf_reset(&path), buf_reset(&body);
	assert_int_equal(docker_exec_start("0123456789abcdef", &path, &body), 0);
	assert_string_equal(path.data, "/v1.41/exec/0123456789abcdef/start");
	assert_string_equal(body.data, "{\"Detach\":false,\"Tty\":false}");
	assert_int_equal(docker_exec_start("xyz", &path, &body), -1);
	resp = "{\"ExitCode\":1,\"Running\":false}";
	assert_int_equal(docker_parse_exit(resp, strlen(resp), &code), 0);
	assert_int_equal(code, 1);
	resp = "{\"ExitCode\":0,\"Running\":true}";
	assert_int_equal(docker_parse_exit(resp, strlen(resp), &code), -1);
	assert_int_equal(docker_parse_exit("[1]", 3, &code), -1);

	/* Container inspect: running and the pid of its first process. */
	bool running = true;
	long pid = -1;
	buf_reset(&path);
	assert_int_equal(docker_container_inspect("victim", &path), 0);
	assert_string_equal(path.data, "/v1.41/containers/victim/json");
	assert_int_equal(docker_container_inspect("../x", &path), -1);
	resp = "{\"Id\":\"ab\",\"State\":{\"Status\":\"running\",\"Running\":true,\"Pid\":812,"
	       "\"Health\":{\"Log\":[{\"Output\":\"\"}]}},\"Config\":{\"Labels\":{\"a\":\"b\"}}}";
	assert_int_equal(docker_parse_state(resp, strlen(resp), &running, &pid), 0);
	assert_true(running);
	assert_int_equal(pid, 812);
	resp = "{\"State\":{\"Running\":false,\"Pid\":0,\"ExitCode\":137}}";
	assert_int_equal(docker_parse_state(resp, strlen(resp), &running, &pid), 0);
	assert_false(running);
	assert_int_equal(pid, 0);
	resp = "{\"State\":{\"Running\":\"yes\",\"Pid\":1}}";
	assert_int_equal(docker_parse_state(resp, strlen(resp), &running, &pid), -1);
	resp = "{\"State\":{\"Running\":true,\"Pid\":-3}}";
	assert_int_equal(docker_parse_state(resp, strlen(resp), &running, &pid), -1);
	assert_int_equal(docker_parse_state("{\"State\":1}", 11, &running, &pid), -1);
	buf_free(&path), buf_free(&body);
}

static void audit_and_webhook(void **state)
{
	(void)state;
	struct ward_event ev;
	struct ward_buf out = WARD_BUF_INIT;
	struct action_info a;
	event_init(&ev);
	action_info_init(&a, "refuse", "refused");
	a.value = "$(id)\n\"x\"";
	a.value_len = strlen(a.value);
	a.reason = "target field is not an IP address";
	a.backend = "nftables";
	a.rule = "R";
	audit_build(&ev, &a, "src_ip", 0, 0);
	event_serialize(&ev, &out);
	assert_non_null(strstr(out.data, "\"action\":{\"kind\":\"refuse\",\"value\":\"$(id)\\n\\\"x\\\"\""));
	assert_null(strstr(out.data, "\"fields\":{\"src_ip\""));	/* never in fields */

	action_info_init(&a, "ban", "applied");
	a.target = "198.18.0.7";
	a.backend = "nftables";
	a.ttl_ns = 600 * NS_PER_SEC;
	a.until_ns = 600 * NS_PER_SEC;
	a.rule = "SSHBruteForce";
	/* ts is the alert's event time, applied_at the wall clock. */
	audit_build(&ev, &a, "src_ip", 5 * NS_PER_SEC, 7 * NS_PER_SEC);
	buf_reset(&out);
	event_serialize(&ev, &out);
	assert_non_null(strstr(out.data, "\"ts\":\"1970-01-01T00:00:05.000000000Z\""));
	assert_non_null(strstr(out.data, "\"line\":\"ban 198.18.0.7 for 10m (nftables, SSHBruteForce)\""));
	assert_non_null(strstr(out.data, "\"action\":{\"kind\":\"ban\",\"target\":\"198.18.0.7\","
				       "\"backend\":\"nftables\",\"ttl\":\"10m\",\"until\":\"1970-01-01T00:10:00.000000000Z\","
				       "\"result\":\"applied\",\"rule\":\"SSHBruteForce\",\"dry_run\":false,"
				       "\"applied_at\":\"1970-01-01T00:00:07.000000000Z\"}"));
	buf_reset(&out);
	webhook_body(true, NULL, &ev, &out);
	assert_string_equal(out.data, "{\"text\":\"ward: ban 198.18.0.7 for 10m (nftables, SSHBruteForce)\"}");
	buf_reset(&out);
	webhook_body(false, NULL, &ev, &out);
	assert_memory_equal(out.data, "{\"alert\":null,\"action\":{\"v\":1,", 30);
	buf_free(&out);
	event_free(&ev);
}

/* Every placeholder becomes one whole argument, for both families and both
 * operations: an unban has ttl 0, a request without a rule names "-". */
static void exec_templates_every_placeholder(void **state)
{
	(void)state;
	struct exec_tmpl t;
	struct fw_argv a;
	struct ward_buf b = WARD_BUF_INIT;
	char err[200];
	assert_int_equal(exec_tmpl_parse("blk {action} {addr} {prefix} {family} {ttl} {rule} {target}", &t,
					 err, sizeof(err)), 0);
	struct fw_req r = req(FW_UNBAN, "198.18.0.7", 600 * NS_PER_SEC);
	r.rule[0] = '\0';
	assert_int_equal(exec_tmpl_expand(&t, &r, &a), 0);
	fw_argv_render(&a, &b);
	assert_string_equal(b.data, "blk unban 198.18.0.7 32 4 0 - 198.18.0.7");
	buf_reset(&b);
	r = req(FW_BAN, "2001:db8:1:2::/64", 1500 * 1000000LL);
	assert_int_equal(exec_tmpl_expand(&t, &r, &a), 0);
	fw_argv_render(&a, &b);
	assert_string_equal(b.data, "blk ban 2001:db8:1:2:: 64 6 2 SSHBruteForce 2001:db8:1:2::/64");
	exec_tmpl_free(&t);
	buf_free(&b);
}

/* The template's bounds: FW_ARGV_MAX words, a brace only as a whole
 * placeholder, and an expansion that does not fit the argv store refused
 * whole (never cut). */
static void exec_templates_bounds(void **state)
{
	(void)state;
	struct exec_tmpl t;
	struct fw_argv a;
	char err[200], s[4096];
	size_t n = 0;
	for (int i = 0; i < FW_ARGV_MAX; i++)
		n += (size_t)snprintf(s + n, sizeof(s) - n, "w%d ", i);
	assert_int_equal(exec_tmpl_parse(s, &t, err, sizeof(err)), 0);
	assert_int_equal(t.argc, FW_ARGV_MAX);
	exec_tmpl_free(&t);
	snprintf(s + n, sizeof(s) - n, "one-more");
	assert_int_equal(exec_tmpl_parse(s, &t, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "more than 24 words"));
	assert_int_equal(exec_tmpl_parse("blk x}", &t, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "x}: a placeholder must be a whole word"));
	assert_int_equal(exec_tmpl_parse("blk {", &t, err, sizeof(err)), -1);
	/* 20 words of 60 bytes: 1220 bytes, more than the 1024 of the store */
	n = 0;
	for (int i = 0; i < 20; i++)
		n += (size_t)snprintf(s + n, sizeof(s) - n, "%060d ", i);
	assert_int_equal(exec_tmpl_parse(s, &t, err, sizeof(err)), 0);
	struct fw_req r = req(FW_BAN, "198.18.0.7", NS_PER_SEC);
	assert_int_equal(exec_tmpl_expand(&t, &r, &a), -1);
	exec_tmpl_free(&t);
}

/* ipset and plain iptables argv for IPv6 and for an unban; flush names
 * each set once; ban and unban have one command. */
static void ipset_and_iptables_v6(void **state)
{
	(void)state;
	struct fw_argv a;
	struct ward_buf b = WARD_BUF_INIT;
	struct fw_req r = req(FW_UNBAN, "2001:db8::7", 0);
	assert_int_equal(fwcmd_ipset(&r, 0, &a), 0);
	fw_argv_render(&a, &b);
	assert_string_equal(b.data, "ipset del ward6 2001:db8::7 -exist");
	assert_int_equal(fwcmd_ipset(&r, 1, &a), 1);
	r = req(FW_FLUSH, NULL, 0);
	buf_reset(&b);
	assert_int_equal(fwcmd_ipset(&r, 0, &a), 0);
	fw_argv_render(&a, &b);
	assert_string_equal(b.data, "ipset flush ward4");
	buf_reset(&b);
	assert_int_equal(fwcmd_ipset(&r, 1, &a), 0);
	fw_argv_render(&a, &b);
	assert_string_equal(b.data, "ipset flush ward6");
	assert_int_equal(fwcmd_ipset(&r, 2, &a), 1);
	struct ward_cidr c;
	assert_int_equal(cidr_parse("2001:db8::9", 11, &c), 0);
	fwcmd_ipt_plain(&c, "-D", &a);
	buf_reset(&b);
	fw_argv_render(&a, &b);
	assert_string_equal(b.data, "ip6tables -w -D INPUT -s 2001:db8::9 -j DROP");
	fwcmd_ipt_setrule(true, "-I", "FORWARD", &a);
	buf_reset(&b);
	fw_argv_render(&a, &b);
	assert_string_equal(b.data, "ip6tables -w -I FORWARD -m set --match-set ward6 src -j DROP");
	assert_string_equal(fw_op_name(FW_SETUP), "setup");
	assert_string_equal(fw_op_name(FW_FLUSH), "flush");
	assert_string_equal(fw_op_name((enum fw_op)99), "?");
	/* a ttl under a second is one second, never 0 (0 would mean "forever") */
	assert_int_equal(fw_ttl_seconds(1, 100), 1);
	assert_int_equal(fw_ttl_seconds(0, 100), 1);
	assert_int_equal(fw_ttl_seconds(1000 * NS_PER_SEC, 100), 100);
	buf_free(&b);
}

/* Docker's name syntax and the Engine's responses: anything else is
 * refused, so no text from a response reaches a URL. */
static void docker_refuses_bad_names_and_responses(void **state)
{
	(void)state;
	char name[DOCKER_ID_MAX + 2], id[DOCKER_ID_MAX + 1];
	memset(name, 'a', DOCKER_ID_MAX);
	name[DOCKER_ID_MAX] = '\0';
	assert_true(docker_name_ok(name));
	name[DOCKER_ID_MAX] = 'a';
	name[DOCKER_ID_MAX + 1] = '\0';
	assert_false(docker_name_ok(name));	/* 129 characters */
	assert_true(docker_name_ok("Web9"));
	assert_false(docker_name_ok("a/b"));
	assert_false(docker_name_ok("a b"));
	assert_false(docker_name_ok(".a"));
	assert_false(docker_name_ok("_a"));
	assert_false(docker_name_ok("a%2f"));
	static const char *const bad_ids[] = {
		"not json", "[\"Id\"]", "{}", "{\"Id\":7}", "{\"Id\":\"\"}", "{\"Id\":\"ABCDEF\"}",
	};
	for (size_t i = 0; i < sizeof(bad_ids) / sizeof(bad_ids[0]); i++)
		if (docker_parse_id(bad_ids[i], strlen(bad_ids[i]), id) != -1)
			fail_msg("id accepted from %s", bad_ids[i]);
	char longid[DOCKER_ID_MAX + 16];
	snprintf(longid, sizeof(longid), "{\"Id\":\"%0129d\"}", 0);
	assert_int_equal(docker_parse_id(longid, strlen(longid), id), -1);
	struct ward_buf path = WARD_BUF_INIT;
	assert_int_equal(docker_exec_inspect("0a1b", &path), 0);
	assert_string_equal(path.data, "/v1.41/exec/0a1b/json");
	assert_int_equal(docker_exec_inspect("", &path), -1);
	buf_free(&path);
	int code = 42;
	static const char *const bad_exits[] = {
		"{\"ExitCode\":\"1\",\"Running\":false}", "{\"Running\":false}", "garbage",
	};
	for (size_t i = 0; i < sizeof(bad_exits) / sizeof(bad_exits[0]); i++)
		if (docker_parse_exit(bad_exits[i], strlen(bad_exits[i]), &code) != -1)
			fail_msg("exit code accepted from %s", bad_exits[i]);
	assert_int_equal(code, 42);
	/* no Running member: finished */
	assert_int_equal(docker_parse_exit("{\"ExitCode\":3}", 14, &code), 0);
	assert_int_equal(code, 3);
	bool running = false;
	long pid = 7;
	static const char *const bad_states[] = {
		"{}", "nope", "{\"State\":{\"Pid\":1}}", "{\"State\":{\"Running\":true}}",
		"{\"State\":{\"Running\":true,\"Pid\":\"1\"}}",
	};
	for (size_t i = 0; i < sizeof(bad_states) / sizeof(bad_states[0]); i++)
		if (docker_parse_state(bad_states[i], strlen(bad_states[i]), &running, &pid) != -1)
			fail_msg("state accepted from %s", bad_states[i]);
	assert_false(running);
	assert_int_equal(pid, 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nft_text),
		cmocka_unit_test(ipset_argv),
		cmocka_unit_test(exec_templates),
		cmocka_unit_test(docker_requests),
		cmocka_unit_test(exec_templates_every_placeholder),
		cmocka_unit_test(exec_templates_bounds),
		cmocka_unit_test(ipset_and_iptables_v6),
		cmocka_unit_test(docker_refuses_bad_names_and_responses),
		cmocka_unit_test(audit_and_webhook),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
