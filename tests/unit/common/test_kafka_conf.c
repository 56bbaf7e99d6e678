/* Unit tests: kafka_conf (Kafka URIs and properties files). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "kafka_conf.h"

static void uri_full(void **state)
{
	(void)state;
	struct kafka_uri u;
	char err[256];
	assert_int_equal(kafka_uri_parse("kafka://h1:9092,[::1]:9093/ev.in-1?group=g%20one&key=src_ip",
					 &u, err, sizeof err), 0);
	assert_string_equal(u.brokers, "h1:9092,[::1]:9093");
	assert_string_equal(u.topic, "ev.in-1");
	assert_string_equal(u.group, "g one");
	assert_string_equal(u.key, "src_ip");
	kafka_uri_free(&u);
}

static void uri_minimal(void **state)
{
	(void)state;
	struct kafka_uri u;
	char err[256];
	assert_int_equal(kafka_uri_parse("kafka:///t", &u, err, sizeof err), 0);
	assert_string_equal(u.brokers, "");
	assert_string_equal(u.topic, "t");
	assert_null(u.group);
	assert_null(u.key);
	kafka_uri_free(&u);
	assert_int_equal(kafka_uri_parse("kafka://b:1/t?", &u, err, sizeof err), 0);
	kafka_uri_free(&u);
	assert_int_equal(kafka_uri_parse("kafka://k-1.example.org:65535,10.0.0.1,[fe80::1%2]:1,kafka_2/t",
					 &u, err, sizeof err), -1);	/* a zone id is not allowed */
	assert_int_equal(kafka_uri_parse("kafka://k-1.example.org:65535,10.0.0.1,[fe80::1]:1,kafka_2/t",
					 &u, err, sizeof err), 0);
	kafka_uri_free(&u);
}

static void uri_rejects(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"kafka:/b/t", "http://b/t", "kafka://b", "kafka://b/", "kafka://b/t t",
		"kafka://b/a/b", "kafka://b/..", "kafka://b/.", "kafka://b c/t",
		"kafka://b,,c/t", "kafka://,b/t", "kafka://b/t?group", "kafka://b/t?grp=x",
		"kafka://b/t?group=", "kafka://b/t?group=a&group=b", "kafka://b/t?key=%zz",
		"kafka://b/t?key=%4", "kafka://b/t?key=a%00b", "kafka://b/t?key=a%0ab",
		/* ports are 1-65535, hosts names or addresses */
		"kafka://h:99999/t", "kafka://h:0/t", "kafka://h:/t", "kafka://h:9x/t",
		"kafka://h:123456/t", "kafka://a:1,h:65536/t", "kafka://:9092/t", "kafka://h!x:1/t",
		"kafka://a..b:1/t", "kafka://[::1/t", "kafka://[]:1/t", "kafka://[::1]x/t",
		"kafka://[::g]:1/t", "kafka://h:1:2/t",
	};
	char err[256];
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct kafka_uri u;
		err[0] = '\0';
		if (kafka_uri_parse(bad[i], &u, err, sizeof err) == 0)
			fail_msg("accepted: %s", bad[i]);
		assert_true(err[0] != '\0');
		assert_null(u.topic);
	}
	char longtopic[300] = "kafka://b/";
	memset(longtopic + 10, 'a', 250);
	struct kafka_uri u;
	assert_int_equal(kafka_uri_parse(longtopic, &u, err, sizeof err), -1);
	longtopic[10 + 249] = '\0';
	assert_int_equal(kafka_uri_parse(longtopic, &u, err, sizeof err), 0);
	kafka_uri_free(&u);
}

struct seen {
	char text[1024];
	int stop_at;
	int n;
};

static int collect(void *ctx, const char *name, const char *value, char *err, size_t errlen)
{
	struct seen *s = ctx;
	if (++s->n == s->stop_at) {
		snprintf(err, errlen, "refused %s", name);
		return -1;
	}
	size_t len = strlen(s->text);
	snprintf(s->text + len, sizeof s->text - len, "[%s|%s]", name, value);
	return 0;
}

static void props_kcat_format(void **state)
{
	(void)state;
	static const char text[] =
		"# comment\n"
		"bootstrap.servers=h:9092\n"
		"\n"
		"   sasl.password =  p=w#x  \r\n"
		"\t# indented comment\n"
		"empty.value=\n"
		"last=1";
	struct seen s = { "", 0, 0 };
	char err[256];
	assert_int_equal(kafka_props_parse(text, strlen(text), collect, &s, err, sizeof err), 0);
	assert_string_equal(s.text, "[bootstrap.servers|h:9092][sasl.password|p=w#x][empty.value|][last|1]");
}

static void props_errors(void **state)
{
	(void)state;
	char err[256];
	struct seen s = { "", 0, 0 };
	assert_int_equal(kafka_props_parse("a=1\nnovalue\n", 12, collect, &s, err, sizeof err), -1);
	assert_string_equal(err, "line 2: expected name=value");
	struct seen s2 = { "", 0, 0 };
	assert_int_equal(kafka_props_parse("=v\n", 3, collect, &s2, err, sizeof err), -1);
	struct seen s3 = { "", 2, 0 };
	assert_int_equal(kafka_props_parse("a=1\nb=2\nc=3\n", 12, collect, &s3, err, sizeof err), -1);
	assert_string_equal(err, "refused b");
	struct seen s4 = { "", 0, 0 };
	assert_int_equal(kafka_props_parse("a=1\0b\n", 6, collect, &s4, err, sizeof err), -1);
}

static void prop_helpers(void **state)
{
	(void)state;
	assert_int_equal(kafka_prop_split("linger.ms=5"), 9);
	assert_int_equal(kafka_prop_split("=5"), 0);
	assert_int_equal(kafka_prop_split("noeq"), 0);
	assert_true(kafka_prop_is_secret("sasl.password"));
	assert_true(kafka_prop_is_secret("ssl.key.password"));
	assert_true(kafka_prop_is_secret("ssl.key.pem"));
	assert_true(kafka_prop_is_secret("sasl.oauthbearer.client.secret"));
	assert_true(kafka_prop_is_secret("sasl.jaas.config"));
	assert_false(kafka_prop_is_secret("sasl.username"));
	assert_false(kafka_prop_is_secret("bootstrap.servers"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(uri_full),
		cmocka_unit_test(uri_minimal),
		cmocka_unit_test(uri_rejects),
		cmocka_unit_test(props_kcat_format),
		cmocka_unit_test(props_errors),
		cmocka_unit_test(prop_helpers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
