/* kcommitted - the offsets (and their metadata) a consumer group committed
 * for a topic's partitions, as the group coordinator answers them; kcat has
 * no such query. For the tests and measurements of ward-window's commits
 * behind its windows (docs/kafka.md).
 *
 *   kcommitted BROKERS GROUP TOPIC PARTITIONS
 *
 * One line per partition: "PARTITION OFFSET METADATA" (OFFSET -1001: none
 * committed; METADATA "-" if empty). Exit 0, or 1 when the coordinator did
 * not answer within 10 s. It never joins the group. */
#include <stdio.h>
#include <stdlib.h>

#include <librdkafka/rdkafka.h>

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: kcommitted BROKERS GROUP TOPIC PARTITIONS\n");
		return 64;
	}
	char err[512];
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	if (rd_kafka_conf_set(conf, "bootstrap.servers", argv[1], err, sizeof err) ||
	    rd_kafka_conf_set(conf, "group.id", argv[2], err, sizeof err)) {
		fprintf(stderr, "kcommitted: %s\n", err);
		return 64;
	}
	rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
	if (!rk) {
		fprintf(stderr, "kcommitted: %s\n", err);
		return 1;
	}
	int n = atoi(argv[4]);
	rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(n > 0 ? n : 1);
	for (int i = 0; i < n; i++)
		rd_kafka_topic_partition_list_add(l, argv[3], i);
	rd_kafka_resp_err_t e = rd_kafka_committed(rk, l, 10000);
	int rc = 0;
	if (e) {
		fprintf(stderr, "kcommitted: %s\n", rd_kafka_err2str(e));
		rc = 1;
	} else {
		for (int i = 0; i < l->cnt; i++) {
			const rd_kafka_topic_partition_t *p = &l->elems[i];
			printf("%d %lld %.*s\n", (int)p->partition, (long long)p->offset,
			       p->metadata_size ? (int)p->metadata_size : 1,
			       p->metadata_size ? (const char *)p->metadata : "-");
		}
	}
	rd_kafka_topic_partition_list_destroy(l);
	rd_kafka_destroy(rk);
	return rc;
}
