/* kmock - librdkafka's mock Kafka cluster as a standalone process, for tests
 * and benchmarks that drive real Kafka clients (ward stages, kcat) over the
 * real wire protocol on 127.0.0.1.
 *
 *   kmock [-b BROKERS] [-t TOPIC:PARTITIONS[:RF]]... [-f BOOTSTRAP_FILE]
 *         [-c CONTROL_FIFO]
 *
 * Prints the bootstrap servers as the first line on stdout (and writes them
 * to BOOTSTRAP_FILE atomically, so a test can wait for the file), then reads
 * commands, one a line, from stdin and from CONTROL_FIFO, answering each on
 * stdout with "ok CMD" or "error CMD: why":
 *
 *   topic NAME PARTITIONS [RF]     create a topic
 *   down ID | up ID                broker ID (or -1: all) refuses / accepts
 *   rtt ID MS                      add MS of latency to broker ID (-1: all)
 *   err API ERR...                 fail the next requests of API, one per ERR
 *   berr BROKER API ERR MS         one request of API on BROKER: ERR after MS
 *   clear API                      forget injected errors of API
 *   leader TOPIC PARTITION BROKER  move a partition leader
 *   ping                           answers "ok ping" (a sync point)
 *   quit                           exit (as SIGTERM/SIGINT do)
 *
 * API is a name (Produce, Fetch, ListOffsets, Metadata, OffsetCommit,
 * OffsetFetch, FindCoordinator, JoinGroup, Heartbeat, LeaveGroup, SyncGroup,
 * InitProducerId) or a number; ERR an rd_kafka_resp_err_t name without its
 * RD_KAFKA_RESP_ERR_ prefix (NOT_LEADER_FOR_PARTITION, _TRANSPORT, ...) or a
 * number. The mock keeps only the newest 5 MiB per partition, does not
 * deduplicate idempotent producers and loses everything when it exits. */
#include <errno.h>
#include <fcntl.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KMOCK_MAX_ARGS 16
#define KMOCK_LINE_MAX 4096

static volatile sig_atomic_t running = 1;

static void on_signal(int sig)
{
	(void)sig;
	running = 0;
}

static const struct {
	const char *name;
	int16_t key;
} apis[] = {
	{ "Produce", 0 }, { "Fetch", 1 }, { "ListOffsets", 2 }, { "Metadata", 3 },
	{ "OffsetCommit", 8 }, { "OffsetFetch", 9 }, { "FindCoordinator", 10 },
	{ "JoinGroup", 11 }, { "Heartbeat", 12 }, { "LeaveGroup", 13 }, { "SyncGroup", 14 },
	{ "ApiVersions", 18 }, { "InitProducerId", 22 },
};

static int parse_int(const char *s, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end)
		return -1;
	*out = v;
	return 0;
}

static int parse_api(const char *s, int16_t *key)
{
	long v;
	for (size_t i = 0; i < sizeof(apis) / sizeof(apis[0]); i++) {
		if (strcasecmp(s, apis[i].name) == 0) {
			*key = apis[i].key;
			return 0;
		}
	}
	if (parse_int(s, &v) != 0 || v < 0 || v > 100)
		return -1;
	*key = (int16_t)v;
	return 0;
}

static int parse_err(const char *s, rd_kafka_resp_err_t *err)
{
	const struct rd_kafka_err_desc *descs;
	size_t n;
	long v;
	rd_kafka_get_err_descs(&descs, &n);
	if (strncmp(s, "RD_KAFKA_RESP_ERR_", 18) == 0)
		s += 18;
	for (size_t i = 0; i < n; i++) {
		if (descs[i].name && strcmp(descs[i].name, s) == 0) {
			*err = descs[i].code;
			return 0;
		}
	}
	if (parse_int(s, &v) != 0)
		return -1;
	*err = (rd_kafka_resp_err_t)v;
	return 0;
}

static int split(char *line, char **argv)
{
	int argc = 0;
	for (char *tok = strtok(line, " \t\r\n"); tok && argc < KMOCK_MAX_ARGS;
	     tok = strtok(NULL, " \t\r\n"))
		argv[argc++] = tok;
	return argc;
}

static int create_topic(rd_kafka_mock_cluster_t *mc, const char *name, long parts, long rf,
			char *why, size_t whylen)
{
	if (parts < 1 || rf < 1) {
		snprintf(why, whylen, "partitions and replication factor must be >= 1");
		return -1;
	}
	rd_kafka_resp_err_t e = rd_kafka_mock_topic_create(mc, name, (int)parts, (int)rf);
	if (e) {
		snprintf(why, whylen, "%s", rd_kafka_err2name(e));
		return -1;
	}
	return 0;
}

static int cmd_topic(rd_kafka_mock_cluster_t *mc, int argc, char **argv, int nbrokers, char *why,
		     size_t whylen)
{
	long parts, rf = nbrokers;
	if (argc < 3 || parse_int(argv[2], &parts) || (argc > 3 && parse_int(argv[3], &rf))) {
		snprintf(why, whylen, "usage: topic NAME PARTITIONS [RF]");
		return -1;
	}
	return create_topic(mc, argv[1], parts, rf, why, whylen);
}

static int cmd_err(rd_kafka_mock_cluster_t *mc, int argc, char **argv, char *why, size_t whylen)
{
	int16_t api;
	rd_kafka_resp_err_t errs[KMOCK_MAX_ARGS];
	if (argc < 3 || parse_api(argv[1], &api)) {
		snprintf(why, whylen, "usage: err API ERR...");
		return -1;
	}
	for (int i = 2; i < argc; i++) {
		if (parse_err(argv[i], &errs[i - 2])) {
			snprintf(why, whylen, "unknown error %s", argv[i]);
			return -1;
		}
	}
	rd_kafka_mock_push_request_errors_array(mc, api, (size_t)(argc - 2), errs);
	return 0;
}

static int cmd_berr(rd_kafka_mock_cluster_t *mc, int argc, char **argv, char *why, size_t whylen)
{
	long broker, rtt;
	int16_t api;
	rd_kafka_resp_err_t err;
	if (argc != 5 || parse_int(argv[1], &broker) || parse_api(argv[2], &api) ||
	    parse_err(argv[3], &err) || parse_int(argv[4], &rtt)) {
		snprintf(why, whylen, "usage: berr BROKER API ERR MS");
		return -1;
	}
	rd_kafka_resp_err_t e =
		rd_kafka_mock_broker_push_request_error_rtts(mc, (int32_t)broker, api, 1, err, (int)rtt);
	if (e) {
		snprintf(why, whylen, "%s", rd_kafka_err2name(e));
		return -1;
	}
	return 0;
}

static int cmd_broker(rd_kafka_mock_cluster_t *mc, int argc, char **argv, char *why,
		      size_t whylen)
{
	long id, ms = 0;
	bool is_rtt = strcmp(argv[0], "rtt") == 0;
	if (argc != (is_rtt ? 3 : 2) || parse_int(argv[1], &id) ||
	    (is_rtt && parse_int(argv[2], &ms))) {
		snprintf(why, whylen, "usage: down ID | up ID | rtt ID MS");
		return -1;
	}
	rd_kafka_resp_err_t e;
	if (is_rtt)
		e = rd_kafka_mock_broker_set_rtt(mc, (int32_t)id, (int)ms);
	else if (strcmp(argv[0], "down") == 0)
		e = rd_kafka_mock_broker_set_down(mc, (int32_t)id);
	else
		e = rd_kafka_mock_broker_set_up(mc, (int32_t)id);
	if (e) {
		snprintf(why, whylen, "%s", rd_kafka_err2name(e));
		return -1;
	}
	return 0;
}

static int cmd_leader(rd_kafka_mock_cluster_t *mc, int argc, char **argv, char *why,
		      size_t whylen)
{
	long part, broker;
	if (argc != 4 || parse_int(argv[2], &part) || parse_int(argv[3], &broker)) {
		snprintf(why, whylen, "usage: leader TOPIC PARTITION BROKER");
		return -1;
	}
	rd_kafka_resp_err_t e =
		rd_kafka_mock_partition_set_leader(mc, argv[1], (int32_t)part, (int32_t)broker);
	if (e) {
		snprintf(why, whylen, "%s", rd_kafka_err2name(e));
		return -1;
	}
	return 0;
}

static int run_cmd(rd_kafka_mock_cluster_t *mc, int argc, char **argv, int nbrokers, char *why,
		   size_t whylen)
{
	const char *c = argv[0];
	int16_t api;
	if (strcmp(c, "topic") == 0)
		return cmd_topic(mc, argc, argv, nbrokers, why, whylen);
	if (strcmp(c, "down") == 0 || strcmp(c, "up") == 0 || strcmp(c, "rtt") == 0)
		return cmd_broker(mc, argc, argv, why, whylen);
	if (strcmp(c, "err") == 0)
		return cmd_err(mc, argc, argv, why, whylen);
	if (strcmp(c, "berr") == 0)
		return cmd_berr(mc, argc, argv, why, whylen);
	if (strcmp(c, "leader") == 0)
		return cmd_leader(mc, argc, argv, why, whylen);
	if (strcmp(c, "clear") == 0 && argc == 2 && parse_api(argv[1], &api) == 0) {
		rd_kafka_mock_clear_request_errors(mc, api);
		return 0;
	}
	if (strcmp(c, "ping") == 0)
		return 0;
	if (strcmp(c, "quit") == 0) {
		running = 0;
		return 0;
	}
	snprintf(why, whylen, "unknown command");
	return -1;
}

static void handle_line(rd_kafka_mock_cluster_t *mc, char *line, int nbrokers)
{
	char copy[KMOCK_LINE_MAX];
	char *argv[KMOCK_MAX_ARGS];
	char why[256];
	snprintf(copy, sizeof(copy), "%s", line);
	copy[strcspn(copy, "\r\n")] = '\0';
	int argc = split(line, argv);
	if (argc == 0 || argv[0][0] == '#')
		return;
	if (run_cmd(mc, argc, argv, nbrokers, why, sizeof(why)) == 0)
		printf("ok %s\n", copy);
	else
		printf("error %s: %s\n", copy, why);
	fflush(stdout);
}

/* Line assembly for one command source. */
struct source {
	int fd;
	char buf[KMOCK_LINE_MAX];
	size_t len;
};

/* Returns -1 at end of input (stdin closed). */
static int read_source(struct source *s, rd_kafka_mock_cluster_t *mc, int nbrokers)
{
	ssize_t n = read(s->fd, s->buf + s->len, sizeof(s->buf) - 1 - s->len);
	if (n <= 0)
		return n == 0 || (errno != EAGAIN && errno != EINTR) ? -1 : 0;
	s->len += (size_t)n;
	char *nl;
	while ((nl = memchr(s->buf, '\n', s->len)) != NULL) {
		*nl = '\0';
		handle_line(mc, s->buf, nbrokers);
		size_t used = (size_t)(nl + 1 - s->buf);
		memmove(s->buf, nl + 1, s->len - used);
		s->len -= used;
	}
	if (s->len == sizeof(s->buf) - 1)
		s->len = 0;	/* an overlong line: drop it */
	return 0;
}

static int write_bootstrap_file(const char *path, const char *bs)
{
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid());
	FILE *f = fopen(tmp, "w");
	if (!f)
		return -1;
	fprintf(f, "%s\n", bs);
	if (fclose(f) != 0 || rename(tmp, path) != 0)
		return -1;
	return 0;
}

static int add_topic_arg(rd_kafka_mock_cluster_t *mc, char *spec, int nbrokers)
{
	char why[256];
	long parts = 1, rf = nbrokers;
	char *c1 = strchr(spec, ':');
	if (c1) {
		*c1++ = '\0';
		char *c2 = strchr(c1, ':');
		if (c2)
			*c2++ = '\0';
		if (parse_int(c1, &parts) || (c2 && parse_int(c2, &rf)))
			return -1;
	}
	if (create_topic(mc, spec, parts, rf, why, sizeof(why)) != 0) {
		fprintf(stderr, "kmock: topic %s: %s\n", spec, why);
		return -1;
	}
	return 0;
}

static void serve(rd_kafka_t *rk, rd_kafka_mock_cluster_t *mc, const char *fifo, int nbrokers)
{
	struct source src[2] = { { .fd = STDIN_FILENO }, { .fd = -1 } };
	if (fifo) {
		if (mkfifo(fifo, 0600) != 0 && errno != EEXIST)
			fprintf(stderr, "kmock: mkfifo %s: %s\n", fifo, strerror(errno));
		/* O_RDWR: the FIFO never reports EOF when a writer closes */
		src[1].fd = open(fifo, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	}
	while (running) {
		struct pollfd pfd[2] = { { src[0].fd, POLLIN, 0 }, { src[1].fd, POLLIN, 0 } };
		if (poll(pfd, 2, 200) > 0) {
			for (int i = 0; i < 2; i++)
				if (pfd[i].revents & (POLLIN | POLLHUP) &&
				    read_source(&src[i], mc, nbrokers) != 0)
					src[i].fd = -1;	/* stdin at EOF: keep serving */
		}
		rd_kafka_poll(rk, 0);
	}
	if (fifo && src[1].fd >= 0)
		close(src[1].fd);
}

int main(int argc, char **argv)
{
	int nbrokers = 3, opt;
	const char *bsfile = NULL, *fifo = NULL;
	char *topics[64];
	int ntopics = 0;
	while ((opt = getopt(argc, argv, "b:t:f:c:")) != -1) {
		switch (opt) {
		case 'b': nbrokers = atoi(optarg); break;
		case 't': if (ntopics < 64) topics[ntopics++] = optarg; break;
		case 'f': bsfile = optarg; break;
		case 'c': fifo = optarg; break;
		default:
			fprintf(stderr, "usage: kmock [-b BROKERS] [-t TOPIC:PARTS[:RF]]... "
				"[-f BOOTSTRAP_FILE] [-c CONTROL_FIFO]\n");
			return 64;
		}
	}
	if (nbrokers < 1 || nbrokers > 16) {
		fprintf(stderr, "kmock: -b: 1 to 16 brokers\n");
		return 64;
	}
	char errstr[512];
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	rd_kafka_conf_set(conf, "log_level", "3", NULL, 0);
	rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
	if (!rk) {
		fprintf(stderr, "kmock: %s\n", errstr);
		return 69;
	}
	rd_kafka_mock_cluster_t *mc = rd_kafka_mock_cluster_new(rk, nbrokers);
	if (!mc) {
		fprintf(stderr, "kmock: cannot start the mock cluster\n");
		rd_kafka_destroy(rk);
		return 69;
	}
	int rc = 0;
	for (int i = 0; i < ntopics; i++)
		if (add_topic_arg(mc, topics[i], nbrokers) != 0)
			rc = 64;
	const char *bs = rd_kafka_mock_cluster_bootstraps(mc);
	if (rc == 0) {
		printf("%s\n", bs);
		fflush(stdout);
		if (bsfile && write_bootstrap_file(bsfile, bs) != 0) {
			fprintf(stderr, "kmock: %s: %s\n", bsfile, strerror(errno));
			rc = 74;
		}
	}
	if (rc == 0) {
		struct sigaction sa = { .sa_handler = on_signal };
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGINT, &sa, NULL);
		signal(SIGPIPE, SIG_IGN);
		serve(rk, mc, fifo, nbrokers);
	}
	rd_kafka_mock_cluster_destroy(mc);
	rd_kafka_destroy(rk);
	return rc;
}
