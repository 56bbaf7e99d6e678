/* Unit tests: auditd records split into pairs, the values auditd
 * hex-encodes decoded (and only those), the nested msg='...' of userspace
 * records, long arguments joined, forwarded records, and lines that are not
 * records. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "stages/ingest/auditd.h"
#include "wtime.h"

static struct auditd_record *rec;

static int setup(void **state)
{
	(void)state;
	rec = malloc(sizeof *rec);
	auditd_record_init(rec);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	auditd_record_free(rec);
	free(rec);
	return 0;
}

static int parse(const char *line)
{
	const char *why = NULL;
	int rc = auditd_parse(line, strlen(line), 0, rec, &why);
	assert_true(rc == 0 || why != NULL);
	return rc;
}

/* The value of the first pair named key, or NULL. */
static const char *val(const char *key)
{
	for (size_t i = 0; i < rec->npairs; i++)
		if (strcmp(auditd_str(rec, rec->pairs[i].key), key) == 0)
			return auditd_str(rec, rec->pairs[i].val);
	return NULL;
}

static void test_syscall_record(void **state)
{
	(void)state;
	assert_int_equal(parse("type=SYSCALL msg=audit(1700000000.123:42): arch=c000003e syscall=59 success=yes exit=0 a0=55d0 a1=7f56 items=2 ppid=1 pid=2 tty=(none) comm=\"curl\" exe=\"/usr/bin/curl\" key=(null)"), 0);
	assert_int_equal(rec->ts_ns, 1700000000123LL * 1000000);
	assert_int_equal(rec->serial, 42);
	assert_string_equal(auditd_str(rec, rec->type), "SYSCALL");
	assert_int_equal(rec->node_len, 0);
	assert_string_equal(val("arch"), "c000003e");
	assert_string_equal(val("comm"), "curl");
	assert_string_equal(val("exe"), "/usr/bin/curl");
	assert_string_equal(val("tty"), "(none)");
	assert_string_equal(val("key"), "(null)");
	/* SYSCALL's a0..a3 are registers in hex, never text */
	assert_string_equal(val("a0"), "55d0");
	assert_string_equal(val("a1"), "7f56");
}

static void test_hex_values(void **state)
{
	(void)state;
	/* EXECVE arguments: quoted as they are, hex decoded */
	assert_int_equal(parse("type=EXECVE msg=audit(1700000000.123:42): argc=3 a0=\"sh\" a1=\"-c\" a2=7767657420687474703A2F2F782F792E7368"), 0);
	assert_string_equal(val("a0"), "sh");
	assert_string_equal(val("a2"), "wget http://x/y.sh");
	assert_string_equal(val("argc"), "3");
	/* proctitle: NULs between arguments become spaces, trailing ones go */
	assert_int_equal(parse("type=PROCTITLE msg=audit(1700000000.123:42): proctitle=7368002D6300776765742068747470000000"), 0);
	assert_string_equal(val("proctitle"), "sh -c wget http");
	/* the kernel's untrusted strings: exe, comm, name, cwd, key */
	assert_int_equal(parse("type=SYSCALL msg=audit(1.000:1): comm=6D7920636F6D6D exe=2F746D702F612062 key=6B31016B32"), 0);
	assert_string_equal(val("comm"), "my comm");
	assert_string_equal(val("exe"), "/tmp/a b");
	assert_string_equal(val("key"), "k1\001k2");
	assert_int_equal(parse("type=PATH msg=audit(1.000:1): item=0 name=2F746D702F782079 inode=12 dev=08:01 mode=0100644"), 0);
	assert_string_equal(val("name"), "/tmp/x y");
	assert_string_equal(val("inode"), "12");
	assert_string_equal(val("mode"), "0100644");	/* not an escaped field */
	/* an escaped field whose value is not hex stays as written */
	assert_int_equal(parse("type=SYSCALL msg=audit(1.000:1): comm=top exe=/usr/bin/top name=abc"), 0);
	assert_string_equal(val("comm"), "top");
	assert_string_equal(val("exe"), "/usr/bin/top");
	assert_string_equal(val("name"), "abc");	/* odd length: not hex */
	/* TTY data is hex; the same name elsewhere is not decoded */
	assert_int_equal(parse("type=TTY msg=audit(1.000:1): tty pid=1 data=6C730D"), 0);
	assert_string_equal(val("data"), "ls\r");
	assert_int_equal(parse("type=OTHER msg=audit(1.000:1): data=6C73"), 0);
	assert_string_equal(val("data"), "6C73");
	/* EXECVE only: a0 of another type stays hex */
	assert_int_equal(parse("type=SYSCALL msg=audit(1.000:1): a0=6C73"), 0);
	assert_string_equal(val("a0"), "6C73");
}

static void test_long_argument_joined(void **state)
{
	(void)state;
	assert_int_equal(parse("type=EXECVE msg=audit(1.000:1): argc=2 a0=\"cat\" a1_len=8 a1[0]=2F746D70 a1[1]=2F612062"), 0);
	assert_string_equal(val("a1"), "/tmp/a b");
	assert_string_equal(val("a1_len"), "8");
	assert_string_equal(val("a0"), "cat");
}

static void test_nested_msg(void **state)
{
	(void)state;
	assert_int_equal(parse("type=USER_AUTH msg=audit(1700000000.200:43): pid=9 uid=0 auid=4294967295 ses=4294967295 msg='op=PAM:authentication acct=\"o'brien\" exe=\"/usr/sbin/sshd\" hostname=? addr=203.0.113.9 terminal=ssh res=failed'"), 0);
	assert_string_equal(val("op"), "PAM:authentication");
	assert_string_equal(val("acct"), "o'brien");
	assert_string_equal(val("exe"), "/usr/sbin/sshd");
	assert_string_equal(val("addr"), "203.0.113.9");
	assert_string_equal(val("res"), "failed");
	assert_string_equal(val("pid"), "9");
	assert_null(val("msg"));
	/* acct in hex (a name with a space), cmd of USER_CMD in hex */
	assert_int_equal(parse("node=web1 type=USER_CMD msg=audit(1.300:44): pid=1 uid=0 msg='cwd=\"/\" cmd=6C73202D6C acct=6A6F686E20646F65 terminal=pts/0 res=success'"), 0);
	assert_string_equal(auditd_str(rec, rec->node), "web1");
	assert_string_equal(val("cmd"), "ls -l");
	assert_string_equal(val("acct"), "john doe");
	assert_string_equal(val("cwd"), "/");
	/* words that are not pairs are skipped; dashes become '_' */
	assert_int_equal(parse("type=VIRT_CONTROL msg=audit(1.0:1): pid=1 msg='pam_tally2 vm-pid=? res=success'"), 0);
	assert_string_equal(val("vm_pid"), "?");
	assert_null(val("pam_tally2"));
	/* an unterminated nested msg runs to the end */
	assert_int_equal(parse("type=USER_LOGIN msg=audit(1.0:1): msg='op=login res=failed"), 0);
	assert_string_equal(val("res"), "failed");
}

static void test_enriched_and_forwarded(void **state)
{
	(void)state;
	assert_int_equal(parse("type=SYSCALL msg=audit(1.0:1): arch=c000003e uid=0 key=(null)\035ARCH=x86_64 SYSCALL=execve UID=\"root\""), 0);
	assert_string_equal(val("key"), "(null)");
	assert_string_equal(val("SYSCALL"), "execve");
	assert_string_equal(val("UID"), "root");
	assert_int_equal(parse("Nov 28 08:43:52 web1 audisp-syslog: node=n1 type=EXECVE msg=audit(1700000000.5:7): argc=1 a0=6C73206C"), 0);
	assert_string_equal(auditd_str(rec, rec->type), "EXECVE");
	assert_string_equal(val("a0"), "ls l");
	assert_int_equal(rec->ts_ns, 1700000000500LL * 1000000);
}

static void test_not_records(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "type=", "hello", "type=SYSCALL arch=x", "type=SYSCALL msg=audit(1:2): x",
		"type=SYSCALL msg=audit(1.0:2 x", "node=x", "node=x type=Y",
		"Nov 28 08:43:52 web1 sshd[1]: type=SYSCALL msg=audit(1.0:1): x",
		"x type=SYSCALL msg=audit(1.0:1): x",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (parse(bad[i]) == 0)
			fail_msg("parsed: %s", bad[i]);
}

static void test_bounds(void **state)
{
	(void)state;
	/* more pairs than the record holds: the first kept, the rest counted */
	struct ward_buf b = WARD_BUF_INIT;
	buf_append_str(&b, "type=EXECVE msg=audit(1.0:1): argc=600");
	for (int i = 0; i < 600; i++)
		buf_printf(&b, " a%d=\"x\"", i);
	assert_int_equal(parse(buf_cstr(&b)), 0);
	assert_int_equal(rec->npairs, AUDITD_MAX_PAIRS);
	assert_int_equal(rec->dropped, 601 - AUDITD_MAX_PAIRS);
	buf_free(&b);
	/* a key longer than AUDITD_MAX_KEY is a word, not a pair */
	char line[200];
	memset(line, 'k', sizeof line);
	memcpy(line, "type=X msg=audit(1.0:1): ", 25);
	memcpy(line + 25 + 70, "=v", 3);
	assert_int_equal(parse(line), 0);
	assert_int_equal(rec->npairs, 0);
}

static void test_event(void **state)
{
	(void)state;
	const char *line = "type=EXECVE msg=audit(1700000000.123:42): argc=2 a0=\"sh\" a1=2D632069640A";
	assert_int_equal(parse(line), 0);
	struct ward_event ev;
	event_init(&ev);
	auditd_to_event(rec, line, strlen(line), &ev);
	assert_string_equal(ev.line, line);
	assert_string_equal(event_field(&ev, "a1")->val, "-c id\n");
	assert_string_equal(event_field(&ev, "type")->val, "EXECVE");
	assert_string_equal(event_label(&ev, "type")->val, "EXECVE");
	assert_non_null(event_field(&ev, "serial"));
	assert_int_equal(ev.ts_ns, 1700000000123LL * 1000000);
	event_free(&ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_syscall_record),
		cmocka_unit_test(test_hex_values),
		cmocka_unit_test(test_long_argument_joined),
		cmocka_unit_test(test_nested_msg),
		cmocka_unit_test(test_enriched_and_forwarded),
		cmocka_unit_test(test_not_records),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_event),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
