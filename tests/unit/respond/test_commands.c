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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nft_text),
		cmocka_unit_test(ipset_argv),
		cmocka_unit_test(exec_templates),
		cmocka_unit_test(docker_requests),
		cmocka_unit_test(audit_and_webhook),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
