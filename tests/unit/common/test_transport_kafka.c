/* Unit tests: the Kafka transport's configuration errors and delivery
 * reports, and the consumer's offsets (what a commit stores, where the group
 * resumes), against librdkafka's mock cluster hosted in this process. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "counters.h"
#include "event.h"
#include "log.h"
#include "transport.h"

struct mock {
	rd_kafka_t *rk;
	rd_kafka_mock_cluster_t *mc;
	char uri[512];
};

static int mock_setup(void **state)
{
	static struct mock m;
	char err[256];
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	rd_kafka_conf_set(conf, "log_level", "0", NULL, 0);
	m.rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
	assert_non_null(m.rk);
	m.mc = rd_kafka_mock_cluster_new(m.rk, 1);
	assert_non_null(m.mc);
	assert_int_equal(rd_kafka_mock_topic_create(m.mc, "t", 2, 1), 0);
	snprintf(m.uri, sizeof m.uri, "kafka://%s/t?key=src_ip", rd_kafka_mock_cluster_bootstraps(m.mc));
	*state = &m;
	return 0;
}

static int mock_teardown(void **state)
{
	struct mock *m = *state;
	rd_kafka_mock_cluster_destroy(m->mc);
	rd_kafka_destroy(m->rk);
	return 0;
}

static void open_fails(const char *uri, const char *const *props, int in, const char *why)
{
	struct ward_transport_opts o = { 1 << 20, props, "test", NULL };
	char err[512] = "";
	errno = 0;
	void *h = in ? (void *)kafka_input_open(uri, &o, err, sizeof err)
		     : (void *)kafka_output_open(uri, &o, err, sizeof err);
	if (h)
		fail_msg("opened: %s", uri);
	assert_int_equal(errno, EINVAL);
	if (!strstr(err, why))
		fail_msg("'%s' does not say '%s'", err, why);
}

static void config_errors(void **state)
{
	(void)state;
	static const char *const none[] = { NULL };
	static const char *const unknown[] = { "no.such.property=1", NULL };
	static const char *const secret[] = { "sasl.password=x", NULL };
	static const char *const noeq[] = { "linger.ms", NULL };
	static const char *const ward_bad[] = { "kafka.eof=maybe", NULL };
	static const char *const header_bad[] = { "kafka.schema.header=no", NULL };
	static const char *const ward_unknown[] = { "kafka.nope=1", NULL };
	static const char *const missing_file[] = { "kafka.config=/nonexistent/k.conf", NULL };
	open_fails("kafka://h:1/bad topic", none, 1, "topic");
	open_fails("kafka://h:1/t?key=f", none, 1, "key= is for outputs");
	open_fails("kafka://h:1/t?group=g", none, 0, "group= is for inputs");
	open_fails("kafka:///t", none, 0, "no brokers");
	open_fails("kafka://h:1/t", unknown, 0, "no.such.property");
	open_fails("kafka://h:1/t", secret, 1, "not taken from the command line");
	open_fails("kafka://h:1/t", noeq, 0, "want NAME=VALUE");
	open_fails("kafka://h:1/t", ward_bad, 1, "true or false");
	open_fails("kafka://h:1/t", header_bad, 0, "kafka.schema.header: want true or false");
	open_fails("kafka://h:1/t", ward_unknown, 1, "unknown ward Kafka setting");
	open_fails("kafka://h:1/t", missing_file, 0, "/nonexistent/k.conf");
}

static void config_file(void **state)
{
	(void)state;
	char path[] = "/tmp/ward-kconf-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	static const char text[] = "# test\nlinger.ms = 7\nnot a property\n";
	assert_int_equal(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
	close(fd);
	char prop[64];
	snprintf(prop, sizeof prop, "kafka.config=%s", path);
	const char *const props[] = { prop, NULL };
	open_fails("kafka://h:1/t", props, 0, "line 3: expected name=value");
	/* a secret is fine in a file */
	fd = open(path, O_WRONLY | O_TRUNC);
	static const char ok[] = "sasl.password=s3cret\nbootstrap.servers=127.0.0.1:1\n";
	assert_int_equal(write(fd, ok, sizeof ok - 1), (ssize_t)(sizeof ok - 1));
	close(fd);
	struct ward_transport_opts o = { 1 << 20, props, "test", NULL };
	char err[512];
	struct ward_output *out = kafka_output_open("kafka:///t", &o, err, sizeof err);
	assert_non_null(out);
	output_close(out);
	unlink(path);
}

static void set_src(struct ward_event *ev, const char *ip)
{
	event_reset(ev);
	event_set_line(ev, "x", 1);
	event_set_field(ev, "src_ip", ip, strlen(ip));
}

static void produce_acknowledged(void **state)
{
	struct mock *m = *state;
	struct ward_counters c;
	counters_init(&c, "test");
	struct ward_transport_opts o = { 1 << 20, NULL, "test", &c };
	char err[512];
	struct ward_output *out = kafka_output_open(m->uri, &o, err, sizeof err);
	assert_non_null(out);
	struct ward_event ev;
	event_init(&ev);
	static const char *const ips[] = { "198.18.0.1", "198.18.0.2", "198.18.0.1" };
	for (int i = 0; i < 3; i++) {
		set_src(&ev, ips[i]);
		assert_int_equal(output_write(out, &ev, "{\"v\":1}", 7), 0);
	}
	assert_int_equal(output_flush(out, 0), 0);	/* a quiet point never waits */
	assert_int_equal(output_flush(out, 10000), 0);
	assert_int_equal(*counters_extra(&c, "kafka_produced"), 3);
	assert_int_equal(*counters_extra(&c, "kafka_delivered"), 3);
	assert_int_equal(*counters_extra(&c, "kafka_delivery_failed"), 0);
	output_close(out);
	event_free(&ev);
}

static void delivery_failure_is_sticky(void **state)
{
	struct mock *m = *state;
	struct ward_counters c;
	counters_init(&c, "test");
	static const char *const props[] = { "message.timeout.ms=300", NULL };
	struct ward_transport_opts o = { 1 << 20, props, "test", &c };
	char err[512];
	struct ward_output *out = kafka_output_open(m->uri, &o, err, sizeof err);
	assert_non_null(out);
	assert_int_equal(rd_kafka_mock_broker_set_down(m->mc, -1), 0);
	struct ward_event ev;
	event_init(&ev);
	set_src(&ev, "198.18.0.9");
	assert_int_equal(output_write(out, &ev, "{\"v\":1}", 7), 0);
	errno = 0;
	assert_int_equal(output_flush(out, -1), -1);
	assert_int_equal(errno, EIO);
	assert_int_equal(*counters_extra(&c, "kafka_delivery_failed"), 1);
	/* once failed, every later write and flush fails: no commit can follow */
	assert_int_equal(rd_kafka_mock_broker_set_up(m->mc, -1), 0);
	assert_int_equal(output_write(out, &ev, "{\"v\":1}", 7), -1);
	assert_int_equal(output_flush(out, 1000), -1);
	output_close(out);
	event_free(&ev);
}

/* Next record's line from the consumer, or NULL at the end of the topic. */
static const char *next_line(struct ward_input *in, struct ward_event *ev, struct ward_event_parser *p)
{
	for (int tries = 0; tries < 300; tries++) {
		struct ward_record rec;
		char err[160];
		enum rec_status st = input_next(in, 100, &rec);
		if (st == REC_EOF)
			return NULL;
		if (st == REC_TIMEOUT)
			continue;
		assert_int_equal(st, REC_OK);
		assert_int_equal(event_parse(ev, p, rec.data, rec.len, err, sizeof err), 0);
		return ev->line;
	}
	fail_msg("no record and no end of topic within 30 s");
	return NULL;
}

/* A short session: the mock coordinator waits for a member that left to
 * time out before the next join completes. */
static struct ward_input *consumer(const struct mock *m, const char *topic)
{
	static const char *const props[] = { "kafka.eof=true", "session.timeout.ms=6000", "heartbeat.interval.ms=500", NULL };
	struct ward_transport_opts o = { 1 << 20, props, "test", NULL };
	char uri[600], err[512];
	snprintf(uri, sizeof uri, "kafka://%s/%s?group=g-%s", rd_kafka_mock_cluster_bootstraps(m->mc), topic, topic);
	struct ward_input *in = kafka_input_open(uri, &o, err, sizeof err);
	if (!in)
		fail_msg("%s", err);
	return in;
}

/* A group consumer resumes after the last record a commit covered: records
 * read after it are read again by the next member (never lost), records
 * before it never. */
static void consumer_resumes_after_commit(void **state)
{
	struct mock *m = *state;
	assert_int_equal(rd_kafka_mock_topic_create(m->mc, "c", 1, 1), 0);
	struct ward_transport_opts o = { 1 << 20, NULL, "test", NULL };
	char err[512], uri[600], json[64];
	snprintf(uri, sizeof uri, "kafka://%s/c", rd_kafka_mock_cluster_bootstraps(m->mc));
	struct ward_output *out = kafka_output_open(uri, &o, err, sizeof err);
	assert_non_null(out);
	struct ward_event ev;
	struct ward_event_parser p;
	event_init(&ev);
	assert_int_equal(event_parser_init(&p), 0);
	for (int i = 0; i < 6; i++) {
		int n = snprintf(json, sizeof json, "{\"v\":1,\"line\":\"r%d\"}", i);
		event_reset(&ev);
		assert_int_equal(output_write(out, &ev, json, (size_t)n), 0);
	}
	assert_int_equal(output_flush(out, 10000), 0);
	output_close(out);

	/* first member: r0..r2 committed, r3 read but not committed */
	struct ward_input *in = consumer(m, "c");
	assert_string_equal(next_line(in, &ev, &p), "r0");
	assert_string_equal(next_line(in, &ev, &p), "r1");
	assert_string_equal(next_line(in, &ev, &p), "r2");
	assert_int_equal(input_commit(in), 0);
	assert_string_equal(next_line(in, &ev, &p), "r3");
	input_close(in);

	/* next member: from r3 (the uncommitted record again) to the end */
	in = consumer(m, "c");
	assert_string_equal(next_line(in, &ev, &p), "r3");
	assert_string_equal(next_line(in, &ev, &p), "r4");
	assert_string_equal(next_line(in, &ev, &p), "r5");
	assert_int_equal(input_commit(in), 0);
	assert_null(next_line(in, &ev, &p));
	input_close(in);

	/* everything committed: nothing is read again */
	in = consumer(m, "c");
	assert_null(next_line(in, &ev, &p));
	input_close(in);
	event_free(&ev);
	event_parser_free(&p);
}

int main(void)
{
	log_init("test_transport_kafka");
	log_set_level(getenv("WARD_TEST_DEBUG") ? LOG_LVL_DEBUG : LOG_LVL_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(config_errors),
		cmocka_unit_test(config_file),
		cmocka_unit_test(produce_acknowledged),
		cmocka_unit_test(delivery_failure_is_sticky),
		cmocka_unit_test(consumer_resumes_after_commit),
	};
	return cmocka_run_group_tests(tests, mock_setup, mock_teardown);
}
