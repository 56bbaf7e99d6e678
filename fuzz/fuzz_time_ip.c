/* libFuzzer target: timestamp, duration, address and CIDR parsers, and
 * the search for a log line's time (stages/ingest/linetime.h).
 * Invariants: no crash; what parses formats to text that parses back to the
 * same value; a prefix never claims more bytes than it was given; a whole
 * text that parses also parses as a line's start. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ipaddr.h"
#include "stages/ingest/linetime.h"
#include "wtime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_time(const char *s, size_t n)
{
	int64_t ns, back;
	size_t used;
	char out[WARD_RFC3339_LEN];
	if (time_parse_rfc3339(s, n, &ns) == 0 && ns >= 0 && ns < 4102444800LL * NS_PER_SEC) {
		time_format_rfc3339(ns, out);
		if (time_parse_rfc3339(out, strlen(out), &back) != 0 || back != ns)
			abort();
	}
	const int64_t now = 1795867200LL * NS_PER_SEC;
	if (time_parse_prefix(s, n, now, &ns, &used) == 0 && (used == 0 || used > n))
		abort();
	if (time_parse_access(s, n, &ns, &used) == 0 && used > n)
		abort();
	if (time_parse_text(s, n, now, &ns) == 0 && ns >= 0 && ns < 4102444800LL * NS_PER_SEC) {
		time_format_rfc3339(ns, out);
		if (time_parse_text(out, strlen(out), now, &back) != 0 || back != ns)
			abort();
	}
	enum linetime_where w = linetime_find(s, n, now, &ns);
	if (w != LINETIME_NONE && w != LINETIME_START && w != LINETIME_JSON && w != LINETIME_BRACKET)
		abort();
	if (time_parse_syslog(s, n, 0, &ns, &used) == 0 && used > n)
		abort();
	(void)time_parse_epoch(s, n, &ns);
	char dur[64];
	if (duration_parse(s, n, &ns) == 0) {
		duration_format(ns, dur, sizeof dur);
		if (duration_parse(dur, strlen(dur), &back) != 0 || back != ns)
			abort();
	}
}

static void check_ip(const char *s, size_t n)
{
	struct ward_ip ip, back;
	struct ward_cidr c;
	char out[WARD_IP_STRLEN], cout[64];
	if (ip_parse(s, n, &ip) == 0) {
		ip_format(&ip, out);
		if (ip_parse(out, strlen(out), &back) != 0 || !ip_equal(&ip, &back))
			abort();
	}
	if (cidr_parse(s, n, &c) == 0) {
		cidr_format(&c, cout, sizeof cout);
		if (!cidr_contains(&c, &c.ip))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_time((const char *)data, size);
	check_ip((const char *)data, size);
	return 0;
}
